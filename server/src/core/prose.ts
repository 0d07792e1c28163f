/** Words the core's messages share. */
import { isManifestPath } from './paths';

/** "a", "a and b", "a, b and c" (or with another conjunction: "a, b or c"). */
export function listText(items: string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Levenshtein distance, giving up above `limit` (then `limit + 1`): the one the hints and the settings index read. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidate, when one is close enough to be a typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 4));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    // Past the limit no candidate is a hint, so the distance need not be known exactly there.
    const d = editDistance(lower, c.toLowerCase(), limit);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= limit ? best : undefined;
}

/**
 * A noun phrase with its indefinite article, by its first letter's sound ("an iOS/iPadOS policy", "a macOS one",
 * "an `AppProtectionPolicy`": a code span's backtick or a quote is not its first letter).
 */
export function article(phrase: string): 'a' | 'an' {
  return /^[`"'(]*[aeiou]/i.test(phrase) ? 'an' : 'a';
}

export function withArticle(phrase: string): string {
  return `${article(phrase)} ${phrase}`;
}

/**
 * Files not analysed (they could not be read, or are Graph lists not split into files) and what they may hold, in one
 * sentence: "`a.yaml` is not analysed (…) and may hold a Windows compliance policy". At most `max` are named.
 */
export function notAnalysedText(files: readonly string[], what: string, max = Infinity): string {
  // A manifest is never a policy file: one that could not be read leaves the tenant's facts unknown, and says so.
  const manifests = files.filter(isManifestPath);
  const others = files.filter((f) => !isManifestPath(f));
  const named = others.slice(0, max).map((f) => `\`${f}\``).join(', ');
  const more = others.length > max ? ` and ${others.length - max} more` : '';
  return [
    ...(others.length ? [`${named}${more} ${others.length > 1 ? 'are' : 'is'} not analysed (a file that could not be read, or a Graph list) and may hold ${what}`] : []),
    ...manifests.map(manifestUnreadableText),
  ].join('; ');
}

/** What an unreadable manifest leaves unknown, in one clause: the tenant's facts, never a policy it "may hold". */
export function manifestUnreadableText(path: string): string {
  return `the manifest \`${path}\` could not be read, so the tenant's facts are unknown`;
}

/** A file not analysed, with the model's reason when it has one that says more than "could not be read, or a list". */
export type UnreadFile = string | { file: string; why?: { text: string; holds: boolean } };

/**
 * The files not analysed that may hold a Conditional Access policy (the tenant model's `hidingPaths`), in
 * `notAnalysedText`'s sentence, and what leaves it out: the one sentence What If (`this result leaves out`), the
 * lockout check and the report (`these sign-ins leave out`) say. A file whose reason the model knows to hold such a
 * policy (the Graph PowerShell SDK's shape, a wrapper: `hidingReasons`) is named with that reason, as `unknown-kind`
 * names it on the file.
 */
export function unreadCaText(files: readonly UnreadFile[], leftOutBy: string): string {
  const all = files.map((f) => (typeof f === 'string' ? { file: f } : f));
  // A manifest holds no policy: that it could not be read is said of its own (the tenant's facts are unknown).
  const manifests = all.filter((e) => isManifestPath(e.file)).map((e) => e.file);
  const entries = all.filter((e) => !isManifestPath(e.file));
  const generic = entries.filter((e) => !e.why?.holds).map((e) => e.file);
  const known = new Map<string, string[]>();
  for (const e of entries) if (e.why?.holds) known.set(e.why.text, [...(known.get(e.why.text) ?? []), e.file]);
  // The known reason last, after what leaves the policy out, so neither nests in the other's parentheses.
  const parts = [
    ...[...known].map(([why, named]) => `${listText(named.map((f) => `\`${f}\``))} ${named.length > 1 ? 'each hold' : 'holds'} a Conditional Access policy, which ${leftOutBy}: ${named.length > 1 ? 'they are' : 'it is'} not analysed, ${why}`),
    ...(generic.length ? [`${notAnalysedText(generic, 'a Conditional Access policy')}, which ${leftOutBy}`] : []),
    ...manifests.map((m) => `${manifestUnreadableText(m)}, which ${leftOutBy}`),
  ];
  return parts.join('; ');
}

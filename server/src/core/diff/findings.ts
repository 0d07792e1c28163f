/**
 * Findings introduced and resolved: matched by rule, severity, policy name and message as a multiset, never by line,
 * so an edit that moves a finding (or a file) changes nothing.
 */
import { acceptedEntries, type AcceptedFinding } from '../analyze';
import { modelOf } from '../model/index';
import { relative } from '../paths';
import { PROTECTIONS } from '../template-families';
import { SEVERITY_ORDER, type Finding } from '../types';
import { serviceRoot, type BrokenFile, type TenantSide } from './side';
import type { AcceptedChange, DiffFinding, RewordedFinding, SeverityChange, UnacceptedChange } from './types';

function toDiffFinding(t: TenantSide, f: Finding): DiffFinding {
  const facts = t.side.service.get(f.file);
  const policy = facts?.type === 'policy' && facts.name ? facts.name : relative(t.root, f.file);
  const line = facts ? facts.parsed.lines.positionAt(f.span.offset).line + 1 : 1;
  return { ruleId: f.ruleId, severity: f.severity, message: f.message, policy, file: relative(t.side.root, f.file), line, ...(f.layer !== undefined ? { layer: f.layer } : {}), ...(f.certain?.length ? { certain: f.certain } : {}) };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A base finding as the head would word it: a renamed policy's findings follow it (its old name, in the message too,
 * becomes the new one), so a pure rename introduces and resolves nothing.
 */
function renamed(f: DiffFinding, renames: Map<string, string>): DiffFinding {
  const to = renames.get(f.policy);
  if (!to) return f;
  const word = new RegExp(`(?<![\\w.-])${escapeRegExp(f.policy)}(?![\\w-])`, 'g');
  return { ...f, policy: to, message: f.message.replace(word, to) };
}

const keyOf = (f: DiffFinding): string => [f.ruleId, f.severity, f.policy, f.message].join('\u0000');

function sorted(list: DiffFinding[]): DiffFinding[] {
  return list.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}

/** A `# ztp-ignore` comment's finding as the diff matches it, with the comment as `ztp report` lists it. */
function acceptedOfSide(t: TenantSide | undefined): { finding: DiffFinding; entry: AcceptedChange }[] {
  if (!t) return [];
  return t.side.service.acceptedFindings(serviceRoot(t)).map((a: AcceptedFinding) => {
    const finding = toDiffFinding(t, a.finding);
    const e = acceptedEntries(t.view, [a], (p) => relative(t.side.root, p))[0]!;
    return { finding, entry: { finding, reason: e.reason, commentLine: e.commentLine, fileWide: e.fileWide } };
  });
}

/** A side's findings as the diff compares them, and those of them on the files named (paths relative to its root). */
function sideFindings(side: TenantSide | undefined, files: ReadonlySet<string>): { all: DiffFinding[]; on: Set<DiffFinding> } {
  const on = new Set<DiffFinding>();
  const all = side
    ? side.side.service.findings(serviceRoot(side)).map((f) => {
        const d = toDiffFinding(side, f);
        if (files.has(relative(side.root, f.file))) on.add(d);
        return d;
      })
    : [];
  return { all, on };
}

/**
 * The findings only the head has (introduced) and only the base has (resolved). Severity is part of the match; the
 * same finding at another severity (a report-only policy switched on turns its lowered warning back into an error) is
 * escalated or lowered, not introduced and resolved. A finding a `# ztp-ignore` comment of the head accepts (and the
 * base did not) is accepted: the gap is still there, so it is never resolved. A finding a comment of the base accepted
 * that the head reports (the comment removed) is no longer accepted (`unaccepted`): the gap was there before, so it is
 * never introduced.
 */
export function diffFindings(
  base: TenantSide | undefined,
  head: TenantSide | undefined,
  renames: Map<string, string>,
  newly: readonly BrokenFile[],
  readable: readonly BrokenFile[] = [],
): { introduced: DiffFinding[]; resolved: DiffFinding[]; reworded: RewordedFinding[]; unchecked: DiffFinding[]; nowChecked: DiffFinding[]; escalated: SeverityChange[]; lowered: SeverityChange[]; accepted: AcceptedChange[]; unaccepted: UnacceptedChange[] } {
  // While a file the base read no longer parses on the head (`newly`), what the base found that the head does not is
  // unknown, not resolved: the findings on that file, and the tenant-wide checks' (the layer rules), which hold back
  // for what the file may hold (a broken CA file makes eight tenant-wide gaps go quiet).
  const broken = new Set(newly.map((f) => f.local));
  // Only a file that may hold a policy silences a layer rule (a pipeline's settings file does not).
  const silencing = newly.some((f) => f.mayHold !== 'none');
  const { all: before, on: onBroken } = sideFindings(base, broken);
  // The mirror (`readable`): a file the base could not read that parses on the head.
  const { all: after, on: onFixed } = sideFindings(head, new Set(readable.map((f) => f.local)));
  const pool = new Map<string, DiffFinding[]>();
  for (const f of before) {
    const key = keyOf(renamed(f, renames));
    const list = pool.get(key);
    if (list) list.push(f);
    else pool.set(key, [f]);
  }
  const introduced: DiffFinding[] = [];
  for (const f of after) {
    const list = pool.get(keyOf(f));
    if (list?.length) list.shift();
    else introduced.push(f);
  }
  const gone = new Set(sorted([...pool.values()].flat()));
  const baseAccepted = acceptedOfSide(base);
  const headAccepted = acceptedOfSide(head);
  const accepted = acceptedChanges(baseAccepted, headAccepted, gone, renames);
  const paired = new Set<DiffFinding>();
  // Before severity changes and rewordings are paired: a base finding accepted at a warning that the head reports as an
  // error, its comment removed, is no longer accepted (with the base's as `before`), not escalated from nothing.
  const unaccepted = unacceptedChanges(baseAccepted, headAccepted, introduced, renames);
  for (const u of unaccepted) paired.add(u.finding);
  const changes = severityChanges(introduced.filter((f) => !paired.has(f)), [...gone], renames);
  for (const c of changes) paired.add(c.before).add(c.after);
  const reworded = rewordedPairs(
    introduced.filter((f) => !paired.has(f)),
    [...gone].filter((f) => !paired.has(f)),
  );
  for (const r of reworded) paired.add(r.before).add(r.after);
  // A configuration check's finding gone while a profile the head newly has without its settings may hold what it looks
  // for is unknown too, and says which profile (a file no longer analysed says so in the section's title).
  const silencedBy = silencedByUnexported(base, head);
  const hidden = (f: DiffFinding): boolean => onBroken.has(f) || (silencing && f.layer !== undefined);
  const unknown = (f: DiffFinding): boolean => hidden(f) || f.uncheckedBecause !== undefined;
  const resolved = [...gone]
    .filter((f) => !paired.has(f))
    .map((f) => {
      const why = hidden(f) ? undefined : silencedBy(f);
      return why ? { ...f, uncheckedBecause: why } : f;
    });
  // The mirror: while a file the base could not read parses on the head (`readable`), what the head finds that the base
  // did not was unknown on the base, not introduced: the findings on that file, and the layer rules', which held back
  // for what it may hold (a broken CA file fixed makes the tenant-wide CA checks speak again).
  const speaking = readable.some((f) => f.mayHold !== 'none');
  const wasUnknown = (f: DiffFinding): boolean => onFixed.has(f) || (speaking && f.layer !== undefined);
  const fresh = introduced.filter((f) => !paired.has(f));
  const higher = (c: SeverityChange): boolean => SEVERITY_ORDER.indexOf(c.after.severity) < SEVERITY_ORDER.indexOf(c.before.severity);
  return {
    introduced: sorted(fresh.filter((f) => !wasUnknown(f))),
    resolved: sorted(resolved.filter((f) => !unknown(f))),
    reworded,
    unchecked: sorted(resolved.filter(unknown)),
    nowChecked: sorted(fresh.filter(wasUnknown)),
    escalated: changes.filter(higher),
    lowered: changes.filter((c) => !higher(c)),
    accepted,
    unaccepted,
  };
}

/**
 * What silences a base finding of a configuration check on the head: a profile the head has without its settings that
 * the base did not (the tenant model's `profilesWithoutSettings`, the answer the checks read to stay silent), whose
 * template family may hold a protection the finding's rule looks for (`template-families.ts`). "`win-disk` exported
 * without its settings" ("`win-ep` written under `kind: ConfigurationProfile`, which does not hold it", for a file the
 * kind does not hold, `writtenAs`), or undefined. The profile is matched by its path in the tenant folder: one the base had
 * without its settings too silenced nothing new.
 */
function silencedByUnexported(base: TenantSide | undefined, head: TenantSide | undefined): (f: DiffFinding) => string | undefined {
  if (!base || !head || head.outside) return () => undefined;
  const before = new Set(modelOf(base.view).profilesWithoutSettings().map((u) => relative(base.root, u.profile.path)));
  const fresh = modelOf(head.view).profilesWithoutSettings().filter((u) => !before.has(relative(head.root, u.profile.path)));
  if (!fresh.length) return () => undefined;
  return (f) => {
    if (f.layer === undefined) return undefined;
    const by = fresh.filter((u) => u.holds.some((id) => PROTECTIONS[id].rules.includes(f.ruleId)));
    if (!by.length) return undefined;
    // A profile written under a kind that does not hold it is not read at all (`writtenAs`): said as what it is.
    const said = (us: typeof by, what: (many: boolean) => string): string[] => {
      if (!us.length) return [];
      const names = us.map((u) => `\`${u.profile.name ?? relative(head.root, u.profile.path)}\``);
      return [`${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]} ${what(us.length > 1)}`];
    };
    return [
      ...said(by.filter((u) => !u.writtenAs), (many) => `exported without ${many ? 'their' : 'its'} settings`),
      ...said(by.filter((u) => u.writtenAs), (many) => `written under \`kind: ConfigurationProfile\`, which does not hold ${many ? 'them' : 'it'}`),
    ].join('; ');
  };
}

/**
 * Whether two findings of one rule on one policy are the same gap worded for another state: one message says nothing
 * the other does not (a report-only policy's finding adds "once it is enforced (it is report-only)" to the error's).
 * Only a layer rule's: a structure finding is matched by its very words.
 */
function sameGap(b: DiffFinding, a: DiffFinding, renames: Map<string, string>): boolean {
  const was = renamed(b, renames);
  return was.layer !== undefined && a.layer !== undefined && was.ruleId === a.ruleId && was.policy === a.policy && (narrows(was.message, a.message) || narrows(a.message, was.message));
}

/**
 * The head's accepted findings the base did not accept (by rule and policy), each with the base's finding it was: the same (taken out of `gone`, so it is not resolved), the same gap
 * at another severity or in other words (taken out too, and kept as `before`), or none (`new`).
 */
function acceptedChanges(
  base: { finding: DiffFinding; entry: AcceptedChange }[],
  head: { finding: DiffFinding; entry: AcceptedChange }[],
  gone: Set<DiffFinding>,
  renames: Map<string, string>,
): AcceptedChange[] {
  // Accepted on both sides (the same rule on the same policy, whatever its words or severity now: the comment that
  // accepted it is there, and what it accepts was accepted already): no change of what is accepted.
  const ruleAt = (f: DiffFinding): string => [f.ruleId, f.policy].join('\u0000');
  const already = new Map<string, number>();
  for (const b of base) {
    const k = ruleAt(renamed(b.finding, renames));
    already.set(k, (already.get(k) ?? 0) + 1);
  }
  const out: AcceptedChange[] = [];
  for (const h of head) {
    const k = keyOf(h.finding);
    const n = already.get(ruleAt(h.finding)) ?? 0;
    if (n) {
      already.set(ruleAt(h.finding), n - 1);
      continue;
    }
    const same = [...gone].find((b) => keyOf(renamed(b, renames)) === k);
    if (same) {
      gone.delete(same);
      out.push(h.entry);
      continue;
    }
    const was = [...gone].find((b) => sameGap(b, h.finding, renames));
    if (was) {
      gone.delete(was);
      out.push({ ...h.entry, before: was });
    } else out.push({ ...h.entry, new: true });
  }
  return out.sort((a, b) => (a.finding.file < b.finding.file ? -1 : a.finding.file > b.finding.file ? 1 : a.finding.line - b.finding.line));
}

/**
 * The base's accepted findings the head no longer accepts (by rule and policy) and reports: each with the head's
 * finding it is, the same (by rule, severity, policy and message), else the same gap at another severity or in other
 * words (`sameGap`, kept as `before`). An accepted finding the head neither accepts nor reports is gone with its
 * comment: nothing to say of it. The head's findings matched here are no longer introduced.
 */
function unacceptedChanges(
  base: { finding: DiffFinding; entry: AcceptedChange }[],
  head: { finding: DiffFinding; entry: AcceptedChange }[],
  introduced: readonly DiffFinding[],
  renames: Map<string, string>,
): UnacceptedChange[] {
  const ruleAt = (f: DiffFinding): string => [f.ruleId, f.policy].join('\u0000');
  // Accepted on both sides (whatever its words or severity now): still accepted, no change.
  const still = new Map<string, number>();
  for (const h of head) still.set(ruleAt(h.finding), (still.get(ruleAt(h.finding)) ?? 0) + 1);
  const left = sorted([...introduced]);
  const out: UnacceptedChange[] = [];
  for (const b of base) {
    const was = renamed(b.finding, renames);
    const n = still.get(ruleAt(was)) ?? 0;
    if (n) {
      still.set(ruleAt(was), n - 1);
      continue;
    }
    let i = left.findIndex((a) => keyOf(a) === keyOf(was));
    const same = i >= 0;
    if (!same) i = left.findIndex((a) => sameGap(b.finding, a, renames));
    if (i < 0) continue;
    const finding = left.splice(i, 1)[0]!;
    out.push({ finding, reason: b.entry.reason, commentLine: b.entry.commentLine, fileWide: b.entry.fileWide, ...(same ? {} : { before: b.finding }) });
  }
  return out.sort((a, b) => (a.finding.file < b.finding.file ? -1 : a.finding.file > b.finding.file ? 1 : a.finding.line - b.finding.line));
}

/**
 * The same finding at another severity on each side: a layer rule's, on the same policy, its message the same gap
 * (`sameGap`). Each base finding takes the first such head finding left, in the findings' order.
 */
function severityChanges(introduced: DiffFinding[], gone: DiffFinding[], renames: Map<string, string>): SeverityChange[] {
  const left = sorted([...introduced]);
  const out: SeverityChange[] = [];
  for (const b of gone) {
    const i = left.findIndex((a) => a.severity !== b.severity && sameGap(b, a, renames));
    if (i < 0) continue;
    out.push({ before: b, after: left[i]! });
    left.splice(i, 1);
  }
  return out;
}

/**
 * A layer rule's finding on the same policy, at the same severity, on both sides, that the change only narrowed: its
 * message lists what is still missing, and the head's says nothing the base's did not ("no iOS or Android compliance
 * policy" becomes "no iOS compliance policy" when the change adds the Android one; a "comes closest" hint goes). It is
 * neither introduced nor resolved, so it fails no gate. A message that names anything new (the gap moved from Android
 * to iOS, another account, another group) is a new finding, and the base's a resolved one. Paired only where both
 * sides have as many such findings (by rule, severity and policy) left unmatched; the structure rules' findings (the
 * schema's) are never paired: a new schema error is a new error.
 */
function rewordedPairs(introduced: DiffFinding[], resolved: DiffFinding[]): RewordedFinding[] {
  const key = (f: DiffFinding): string | undefined => (f.layer === undefined ? undefined : [f.ruleId, f.severity, f.policy].join('\u0000'));
  const group = (list: DiffFinding[]): Map<string, DiffFinding[]> => {
    const out = new Map<string, DiffFinding[]>();
    for (const f of sorted([...list])) {
      const k = key(f);
      if (k !== undefined) out.set(k, [...(out.get(k) ?? []), f]);
    }
    return out;
  };
  const after = group(introduced);
  const out: RewordedFinding[] = [];
  for (const [k, before] of group(resolved)) {
    const now = after.get(k);
    if (now?.length !== before.length) continue;
    const pairs = before.map((b, i) => ({ before: b, after: now[i]! }));
    if (pairs.every((p) => narrows(p.before.message, p.after.message) && !moreCertain(p.before, p.after))) out.push(...pairs);
  }
  return out;
}

/**
 * The words of a message (names, platforms, numbers), as a set, each without a full stop or a plural's ending, so that "1 Windows
 * configuration profile" and "2 Windows configuration profiles" say the same thing but the count.
 */
const wordsOf = (message: string): Set<string> =>
  new Set(
    message
      .split(/[^\p{L}\p{N}_.@/-]+/u)
      .filter(Boolean)
      // A sentence's full stop names nothing ("blocked." and "blocked once it is enforced" say "blocked" alike).
      .map((w) => w.replace(/\.+$/, ''))
      .filter(Boolean)
      .map((w) => w.replace(/ies$/, 'y').replace(/(?<=\p{L}{2})s$/u, '')),
  );

/**
 * Whether the head's finding states as certain what the base's did not (`Finding.certain`): "may be locked out"
 * become "are locked out" (a grant's OR turned AND) words no new name, yet the gap got worse, never narrowed.
 */
function moreCertain(before: DiffFinding, after: DiffFinding): boolean {
  return (after.certain ?? []).some((c) => !(before.certain ?? []).includes(c));
}

/**
 * Whether the head's message says nothing the base's did not: every word of it is in the base's. Numbers are not
 * words here: a count that changes ("none of the tenant's 4 Windows configuration profiles" once a profile is added)
 * names no new gap.
 */
function narrows(before: string, after: string): boolean {
  const known = wordsOf(before);
  for (const w of wordsOf(after)) if (!known.has(w) && !/^\d+$/.test(w)) return false;
  return true;
}

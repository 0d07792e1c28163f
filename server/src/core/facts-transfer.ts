/**
 * A file's facts as plain data, for a host that reads and parses files on other threads (the language server's first
 * scan: host/read-pool.ts). Everything but the parsed file is plain already; the parsed file travels without its
 * syntax tree and line index, which the receiving side makes again (the tree only when something asks for it).
 * `value` and the facts' `spec` are the same objects on both sides: one structured clone keeps them shared.
 *
 * What arrives is rebuilt in the shapes this thread's own parsing makes, so that the rules see one shape per kind of
 * object whichever thread read a file (V8 optimises a property read for the hidden classes it has seen, and drops the
 * optimised code when another comes). The facts are made by their constructors (`policyFacts`…), and every array is
 * made packed: a structured clone gives arrays with holes allowed (`HOLEY_ELEMENTS`), where parsing makes packed ones.
 */
import { parsedDocument, plainParsedDocument, releaseSyntaxTree, type PlainParsedDocument } from './document';
import { manifestFacts, otherFacts, policyFacts, type FileFacts } from './facts';
import type { Span } from './types';
import type { Suppressions } from './suppress';

export type PlainFileFacts = Omit<FileFacts, 'parsed'> & { parsed: PlainParsedDocument };

/** The facts as plain data. With `release`, the file's syntax tree is let go at once (a reader that only sends). */
export function plainFacts(facts: FileFacts, release = false): PlainFileFacts {
  if (release) releaseSyntaxTree(facts.parsed);
  return { ...facts, parsed: plainParsedDocument(facts.parsed) } as PlainFileFacts;
}

/** Facts from their plain data as a structured clone delivers it (which this changes in place: it is not kept). */
export function factsFromPlain(plain: PlainFileFacts): FileFacts {
  const repacked = repacker();
  const value = repacked(plain.parsed.value);
  const spans = plain.parsed.spans?.map(([key, span]): [string, Span] => [intern(key), span]);
  const parsed = parsedDocument({
    ...plain.parsed,
    // One path string for the file and its text (the clone carried two).
    path: plain.path,
    format: intern(plain.parsed.format),
    encoding: intern(plain.parsed.encoding),
    value,
    syntaxErrors: packed(plain.parsed.syntaxErrors),
    ...(spans ? { spans } : {}),
  });
  const suppressions: Suppressions = { comments: packed(plain.suppressions.comments), invalid: packed(plain.suppressions.invalid) };
  const base = { path: plain.path, parsed, suppressions };
  // The fields as they came (their `parsed` is replaced by `base`'s).
  const f = plain as unknown as FileFacts;
  switch (f.type) {
    case 'policy':
      return policyFacts({
        ...f,
        ...base,
        kindValue: typeof f.kindValue === 'string' ? intern(f.kindValue) : repacked(f.kindValue),
        kind: f.kind && intern(f.kind),
        value: repacked(f.value),
        owner: f.owner && intern(f.owner),
        spec: repacked(f.spec),
        odataType: f.odataType && intern(f.odataType),
        platforms: packed(f.platforms.map((p) => intern(p))),
        groupRefs: packed(f.groupRefs.map((r) => ({ value: intern(r.value), path: repacked(r.path), where: r.where }))),
        schemaIssues: packed(f.schemaIssues),
      });
    case 'manifest':
      return manifestFacts({
        ...f,
        ...base,
        value: repacked(f.value),
        licenses: packed(f.licenses),
        platforms: packed(f.platforms),
        groups: packed(f.groups),
        breakGlass: { groups: packed(f.breakGlass.groups), users: packed(f.breakGlass.users) },
        teams: packed(f.teams),
        settings: repacked(f.settings),
        schemaIssues: packed(f.schemaIssues),
      });
    default:
      return otherFacts({ ...f, ...base, value: repacked(f.value) });
  }
}

/** Strings longer than this are not shared (`intern`): texts and messages, which seldom repeat. */
const INTERN_MAX_LENGTH = 200;
/**
 * The most strings `intern` keeps: a bound on what it holds for files long gone (about 12 MB at most). The bench's
 * workspaces need 195, the real exports in `../shared/corpus` 2,647 for their 171 files.
 */
const INTERN_MAX_STRINGS = 50_000;
const interned = new Map<string, string>();

/**
 * One copy of a string that many files hold alike. A structured clone makes a new string for every string it carries,
 * so without this every file read on another thread held its own copy of the same Graph types, setting ids, platforms
 * and kinds: on `msp`, a quarter of the facts' heap (bench/README.md). Fewer bytes kept are fewer bytes for the
 * collector to copy and mark while the first scan takes in the workers' reads, and less memory after it.
 */
function intern<T extends string>(s: T): T {
  if (s.length > INTERN_MAX_LENGTH) return s;
  const known = interned.get(s);
  if (known !== undefined) return known as T;
  if (interned.size < INTERN_MAX_STRINGS) interned.set(s, s);
  return s;
}

/**
 * Whether a string in a file's value is one that many files hold alike: a Graph type (`#microsoft.graph.…`), or a
 * settings catalog id or value (`device_vendor_msft_…`, `user_vendor_msft_…`). Only those are looked up (`intern`):
 * most other strings (names, descriptions) are a file's own, and looking each one up cost more than sharing saved.
 */
function isCommonValue(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 35 /* # */ || ((c === 100 /* d */ || c === 117 /* u */) && /^(?:device|user)_vendor_msft_/.test(s));
}

/** A packed copy of an array (what `push` makes). */
function packed<T>(list: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) out.push(list[i]!);
  return out;
}

/**
 * What makes a value's arrays packed: objects are changed in place (a value shared by two places stays shared, and one
 * seen before is not walked again, aliases and cycles included); an array is replaced by its packed copy, the same
 * copy wherever it was shared. One per file's facts, so that `value`, `spec` and the parsed value stay one tree.
 */
function repacker(): <T>(v: T) => T {
  const seen = new Set<object>();
  const copies = new Map<unknown[], unknown[]>();
  const repacked = <T>(v: T): T => {
    if (typeof v === 'string') return (isCommonValue(v) ? intern(v) : v) as T;
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      let copy = copies.get(v);
      if (!copy) {
        copy = [];
        copies.set(v, copy);
        for (let i = 0; i < v.length; i++) copy.push(repacked(v[i]));
      }
      return copy as T;
    }
    if (seen.has(v)) return v;
    seen.add(v);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      let y: unknown;
      if (typeof x === 'string') {
        // A file's own string stays as it came; a common one is always replaced by the shared copy (`===` cannot tell
        // the two apart).
        if (!isCommonValue(x)) continue;
        y = intern(x);
      } else {
        y = repacked(x);
        if (y === x) continue;
      }
      // A key `__proto__` is an own property here (as `yaml` makes it): assigning would set the prototype instead.
      if (k === '__proto__') Object.defineProperty(o, k, { value: y, writable: true, enumerable: true, configurable: true });
      else o[k] = y;
    }
    return v;
  };
  return repacked;
}

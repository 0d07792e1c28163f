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
  const parsed = parsedDocument({ ...plain.parsed, value, syntaxErrors: packed(plain.parsed.syntaxErrors) });
  const suppressions: Suppressions = { comments: packed(plain.suppressions.comments), invalid: packed(plain.suppressions.invalid) };
  const base = { path: plain.path, parsed, suppressions };
  // The fields as they came (their `parsed` is replaced by `base`'s).
  const f = plain as unknown as FileFacts;
  switch (f.type) {
    case 'policy':
      return policyFacts({
        ...f,
        ...base,
        value: repacked(f.value),
        spec: repacked(f.spec),
        platforms: packed(f.platforms),
        groupRefs: packed(f.groupRefs.map((r) => ({ value: r.value, path: packed(r.path), where: r.where }))),
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
      const y = repacked(x);
      if (y === x) continue;
      // A key `__proto__` is an own property here (as `yaml` makes it): assigning would set the prototype instead.
      if (k === '__proto__') Object.defineProperty(o, k, { value: y, writable: true, enumerable: true, configurable: true });
      else o[k] = y;
    }
    return v;
  };
  return repacked;
}

/** Applying fixes: pure text edits, applied from the end so earlier offsets stay valid. */
import type { Fix, TextEdit } from './types';

/** Apply edits to one file's text. Overlapping edits are refused (the later one is dropped). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  // Two findings may ask for the same edit (the same missing toggle); apply it once.
  const seen = new Set<string>();
  edits = edits.filter((e) => {
    const k = `${e.span.offset}:${e.span.length}:${e.newText}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  // Later offsets first; for inserts at the same offset, the later-listed first, so the listed order is kept.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.span.offset - a.e.span.offset || b.i - a.i).map((x) => x.e);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    const end = e.span.offset + e.span.length;
    if (end > limit) continue;
    out = out.slice(0, e.span.offset) + e.newText + out.slice(end);
    limit = e.span.offset;
  }
  return out;
}

/** Group a fix's edits by file. */
export function editsByFile(fixes: Fix[]): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  for (const f of fixes) {
    for (const e of f.edits) {
      const list = out.get(e.file) ?? [];
      list.push(e);
      out.set(e.file, list);
    }
  }
  return out;
}

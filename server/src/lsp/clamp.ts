/**
 * Clamp what a client sends before it reaches `vscode-languageserver-textdocument`, which trusts it: a change range
 * is brought inside the document (lines and characters, start before end, integers only), and a version that is not
 * a safe integer is replaced. A change at line 2^31 used to make the library allocate until the process aborted.
 */
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

interface Pos {
  line: number;
  character: number;
}

function toInt(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** A position brought inside `doc`: as `offsetAt` would read it, then back (so the line is real). */
function clampPosition(doc: TextDocument, p: Pos | undefined): Pos {
  const line = Math.min(Math.max(toInt(p?.line), 0), Math.max(doc.lineCount - 1, 0));
  const character = Math.max(toInt(p?.character), 0);
  // offsetAt clamps the character to the line; positionAt gives the position it lands on.
  return doc.positionAt(doc.offsetAt({ line, character: Math.min(character, 2 ** 31 - 1) }));
}

/**
 * Apply a client's changes to `doc`, each clamped against the text as the changes before it left it (a change that
 * is neither full text nor ranged is dropped), and set a clamped version.
 */
export function applyClampedChanges(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: unknown): TextDocument {
  const v = clampVersion(version, doc.version);
  const list = Array.isArray(changes) ? changes : [];
  for (const c of list) {
    if (!c || typeof (c as { text?: unknown }).text !== 'string') continue;
    const range = (c as { range?: { start?: Pos; end?: Pos } }).range;
    if (!range) {
      doc = TextDocument.update(doc, [{ text: c.text }], v);
      continue;
    }
    let start = clampPosition(doc, range.start);
    let end = clampPosition(doc, range.end);
    if (start.line > end.line || (start.line === end.line && start.character > end.character)) [start, end] = [end, start];
    doc = TextDocument.update(doc, [{ range: { start, end }, text: c.text }], v);
  }
  if (!list.length) doc = TextDocument.update(doc, [], v);
  return doc;
}

/** A version the document can keep: a safe integer (else one past the current one). */
export function clampVersion(version: unknown, current: number): number {
  return typeof version === 'number' && Number.isSafeInteger(version) ? version : current + 1;
}

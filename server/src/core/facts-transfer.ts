/**
 * A file's facts as plain data, for a host that reads and parses files on other threads (the language server's first
 * scan: host/read-pool.ts). Everything but the parsed file is plain already; the parsed file travels without its
 * syntax tree and line index, which the receiving side makes again (the tree only when something asks for it).
 * `value` and the facts' `spec` are the same objects on both sides: one structured clone keeps them shared.
 */
import { parsedDocument, plainParsedDocument, releaseSyntaxTree, type PlainParsedDocument } from './document';
import type { FileFacts } from './facts';

export type PlainFileFacts = Omit<FileFacts, 'parsed'> & { parsed: PlainParsedDocument };

/** The facts as plain data. With `release`, the file's syntax tree is let go at once (a reader that only sends). */
export function plainFacts(facts: FileFacts, release = false): PlainFileFacts {
  if (release) releaseSyntaxTree(facts.parsed);
  return { ...facts, parsed: plainParsedDocument(facts.parsed) } as PlainFileFacts;
}

export function factsFromPlain(plain: PlainFileFacts): FileFacts {
  return { ...plain, parsed: parsedDocument(plain.parsed) } as FileFacts;
}

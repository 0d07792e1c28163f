/** What a completion feature answers, host-neutral: the LSP layer turns it into completion items. */
import type { Span } from '../types';

export type CompletionKind = 'property' | 'value' | 'enum' | 'reference' | 'snippet' | 'keyword';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text to insert (a snippet when `snippet` is true). */
  insertText?: string;
  snippet?: boolean;
  /** `insertText` carries its own indentation: a host inserts it as is, never re-indented to the cursor's line. */
  keepIndentation?: boolean;
  /** The text a client matches what was typed against, when not the label (a display name beside an id). */
  filterText?: string;
  /** The text the entry replaces (what was typed of it, up to the cursor), when not just the word at the cursor. */
  replace?: Span;
  sortText?: string;
}

/** The entries at a place; `incomplete` when they are the best of more, so a host asks again as typing goes on. */
export type CompletionEntries = CompletionEntry[] & { incomplete?: boolean };

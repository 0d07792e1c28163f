/**
 * Bytes to text, and offsets to line/character positions. Real Graph exports come as UTF-8 (with or without a
 * BOM) and as UTF-16 LE/BE with a BOM; positions are in UTF-16 code units, as LSP counts them by default.
 */
import type { Position, Range, Span } from './types';

export interface DecodedText {
  text: string;
  encoding: 'utf8' | 'utf8bom' | 'utf16le' | 'utf16be';
  /** Set when the bytes were not clean text; the text is still the best decoding. */
  problem?: string;
}

/** Decode file bytes, honouring a BOM. Never throws. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf16be' };
  }
  let body = bytes;
  let encoding: DecodedText['encoding'] = 'utf8';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
    encoding = 'utf8bom';
  } else if (looksLikeUtf16WithoutBom(bytes)) {
    const le = bytes[1] === 0;
    return { text: new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes), encoding: le ? 'utf16le' : 'utf16be' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    if (text.includes('\u0000')) {
      return { text: text.replace(/\u0000/g, '\uFFFD'), encoding, problem: 'the file holds NUL bytes: it looks like binary data, not text' };
    }
    return { text, encoding };
  } catch {
    return {
      text: new TextDecoder('utf-8').decode(body),
      encoding,
      problem: 'the file is not valid UTF-8; save it as UTF-8 (or UTF-16 with a byte order mark)',
    };
  }
}

/** UTF-16 without a BOM: ASCII text has a NUL in every other byte. */
function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return false;
  const n = Math.min(bytes.length, 512);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  const half = n / 2;
  return (oddNul > half * 0.6 && evenNul === 0) || (evenNul > half * 0.6 && oddNul === 0);
}

/** Offsets of the start of each line (after LF, CRLF or CR). */
export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Found on first use: most files of a workspace never have a position asked of them. */
  private get starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const text = this.text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10) {
        starts.push(i + 1);
      }
    }
    return (this.lineStarts = starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** End of a line's content (before its line break). */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1]!;
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    // An offset inside a CRLF (between CR and LF) is the end of its line: a character never points into a line break.
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - this.starts[lo]! };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    return Math.min(this.lineStart(pos.line) + pos.character, this.lineEnd(pos.line));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.offset), end: this.positionAt(span.offset + span.length) };
  }

  /** The line break style the file uses most (for edits that add lines). */
  eol(): '\n' | '\r\n' {
    const crlf = (this.text.match(/\r\n/g) ?? []).length;
    const lf = (this.text.match(/\n/g) ?? []).length - crlf;
    return crlf > lf ? '\r\n' : '\n';
  }
}

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
  /** Where in `text` the problem starts (the first byte that is not UTF-8, the first NUL), in UTF-16 code units. */
  problemOffset?: number;
}

/** Decode file bytes, honouring a BOM. Never throws. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  // UTF-32's byte order marks (FF FE 00 00 starts like UTF-16 LE's): read as UTF-16 or UTF-8 it is NULs between the
  // characters. Decoded for what its text shows (the sniffing, the outline), and flagged: Graph and the tools around
  // it read UTF-8 or UTF-16.
  const utf32le = bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0;
  if (utf32le || (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)) {
    return { text: decodeUtf32(bytes.subarray(4), utf32le), encoding: 'utf8', problem: 'the file is UTF-32 (its byte order mark says so), which is not read; save it as UTF-8 (or UTF-16 with a byte order mark)', problemOffset: 0 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), 'utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), 'utf16be');
  let body = bytes;
  let encoding: DecodedText['encoding'] = 'utf8';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
    encoding = 'utf8bom';
  } else {
    const utf16 = utf16WithoutBom(bytes);
    if (utf16) return { text: utf16.text, encoding: utf16.le ? 'utf16le' : 'utf16be' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    if (text.includes('\u0000')) {
      const problem = looksLikeUtf16(body)
        ? 'the file holds a NUL byte beside each character: it looks like UTF-16 whose byte order mark is damaged or comes after other bytes (a UTF-8 round trip writes it as two U+FFFD); save it as UTF-8, or as UTF-16 with a byte order mark'
        : 'the file holds NUL bytes: it looks like binary data, not text';
      return { text: text.replace(/\u0000/g, '\uFFFD'), encoding, problem, problemOffset: text.indexOf('\u0000') };
    }
    return { text, encoding };
  } catch {
    // The bytes before the first bad one are UTF-8: their decoding's length is where the bad byte's U+FFFD stands.
    const bad = firstInvalidUtf8(body);
    return {
      text: new TextDecoder('utf-8').decode(body),
      encoding,
      problem: 'the file is not valid UTF-8; save it as UTF-8 (or UTF-16 with a byte order mark)',
      problemOffset: bad < 0 ? 0 : new TextDecoder('utf-8').decode(body.subarray(0, bad)).length,
    };
  }
}

/**
 * Whether bytes with NULs in them are UTF-16 text read as UTF-8: ASCII in UTF-16 is each character beside a zero byte,
 * so the zeros fall on one parity (nine in ten of them, and at least a third of the bytes are zeros).
 */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) i % 2 ? odd++ : even++;
  const zeros = even + odd;
  return zeros * 3 >= bytes.length && Math.max(even, odd) >= zeros * 0.9;
}

/**
 * UTF-16 after its byte order mark. An odd number of bytes (a file cut short, or UTF-8 behind a stray BOM) or an
 * unpaired surrogate is not UTF-16, and a U+0000 is binary data: flagged as the UTF-8 path flags its own, on the first
 * bad code unit (each becomes one U+FFFD, so its index is its offset in the text).
 */
function decodeUtf16(body: Uint8Array, encoding: 'utf16le' | 'utf16be'): DecodedText {
  const label = encoding === 'utf16le' ? 'utf-16le' : 'utf-16be';
  const order = encoding === 'utf16le' ? 'LE' : 'BE';
  // A policy's keys are ASCII, which UTF-16 writes with a zero byte each: a body with no zero byte that is UTF-8 is
  // UTF-8 behind a stray byte order mark (read as UTF-16 it is a line of CJK characters). Its text is the UTF-8, for
  // what the sniffing and the outline show; the file is still not read until the mark goes.
  if (body.length && !body.includes(0) && firstInvalidUtf8(body) < 0) {
    return { text: new TextDecoder('utf-8').decode(body), encoding, problem: `the file starts with a UTF-16 ${order} byte order mark, but what follows is UTF-8; remove the two bytes of the mark (save it as UTF-8)`, problemOffset: 0 };
  }
  try {
    const text = new TextDecoder(label, { fatal: true }).decode(body);
    if (!text.includes('\u0000')) return { text, encoding };
    return { text: text.replace(/\u0000/g, '\uFFFD'), encoding, problem: 'the file holds NUL characters: it looks like binary data, not text', problemOffset: text.indexOf('\u0000') };
  } catch {
    return {
      text: new TextDecoder(label).decode(body),
      encoding,
      problem: `the file is not valid UTF-16 ${order}, which its byte order mark says it is (${body.length % 2 ? 'an odd number of bytes' : 'a surrogate without its pair'}); save it as UTF-8 (or UTF-16 with a byte order mark)`,
      problemOffset: firstInvalidUtf16(body, encoding === 'utf16le'),
    };
  }
}

/** UTF-32 as text, U+FFFD for a unit that is no character (and for a last unit cut short). */
function decodeUtf32(b: Uint8Array, le: boolean): string {
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    if (i + 4 > b.length) return out + '\uFFFD';
    const c = le ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0 : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    out += c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c === 0 ? '\uFFFD' : String.fromCodePoint(c);
  }
  return out;
}

/** The index of the first code unit that is an unpaired surrogate, or of the odd last byte's unit. */
function firstInvalidUtf16(b: Uint8Array, le: boolean): number {
  const units = b.length >> 1;
  const unit = (i: number): number => (le ? b[2 * i]! | (b[2 * i + 1]! << 8) : (b[2 * i]! << 8) | b[2 * i + 1]!);
  for (let i = 0; i < units; i++) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 1 < units && unit(i + 1) >= 0xdc00 && unit(i + 1) <= 0xdfff) i++;
      else return i;
    } else if (u >= 0xdc00 && u <= 0xdfff) return i;
  }
  return units;
}

/** The index of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629), or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (more < 0 || i + more >= b.length) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (b[i + 1]! < lo || b[i + 1]! > hi) return i;
    for (let k = 2; k <= more; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return -1;
}

/**
 * UTF-16 without a BOM (some PowerShell and .NET writers), told by the classic NUL pattern. A policy file starts with
 * ASCII (`{`, `k`, `-`, `#`, a quote or white space), which UTF-16 writes as one byte and a zero: the first code unit
 * decides the byte order. The whole must then be well-formed UTF-16 (no unpaired surrogate) holding no U+0000, which
 * binary data that happens to start so does not. What the other characters are does not sway it: a code unit whose low
 * byte is zero (U+4E00 一, U+0100 Ā, U+3000, an emoji's low surrogate U+DE00) made the earlier count of zeros refuse
 * the guess. UTF-8 text holds no NUL byte, so it is never taken for UTF-16.
 */
function utf16WithoutBom(bytes: Uint8Array): { text: string; le: boolean } | undefined {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  const isTextAscii = (c: number): boolean => c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f);
  const le = isTextAscii(bytes[0]!) && bytes[1] === 0;
  const be = bytes[0] === 0 && isTextAscii(bytes[1]!);
  if (!le && !be) return undefined;
  let text: string;
  try {
    text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes);
  } catch {
    // An unpaired surrogate: not UTF-16 after all.
    return undefined;
  }
  return text.includes('\u0000') ? undefined : { text, le };
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

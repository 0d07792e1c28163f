/**
 * File names as bytes. A name that is not valid UTF-8 (`inv\xffname.yaml`) cannot be a JavaScript string as it is,
 * and Node's default decoding turns its bad bytes into U+FFFD, a name that then does not exist. As Python's
 * `surrogateescape` does, each byte that is not part of valid UTF-8 is kept as the lone surrogate U+DC80–U+DCFF:
 * the string round-trips to the same bytes (`toFsPath`), so such a file is read, analysed and reported like any other,
 * and printed with the byte escaped (`\xff`).
 */
import { realpathSync } from 'node:fs';

const strict = new TextDecoder('utf-8', { fatal: true });
const ESCAPED_BYTE = /[\uDC80-\uDCFF]/;

/** Bytes of a file name → a string that round-trips (valid UTF-8 as it is; other bytes as U+DC80 + byte). */
export function nameFromBytes(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Decode sequence by sequence.
  }
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 1) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    if (len > 0 && i + len <= bytes.length) {
      try {
        out += strict.decode(bytes.subarray(i, i + len));
        i += len;
        continue;
      } catch {
        // an invalid sequence: escape its first byte
      }
    }
    out += String.fromCharCode(0xdc00 + b);
    i++;
  }
  return out;
}

/** Whether a path holds escaped bytes (so it must go to the file system as a Buffer). */
export function hasEscapedBytes(path: string): boolean {
  return ESCAPED_BYTE.test(path);
}

/** A string path → what to give `fs`: the string itself, or its exact bytes when it holds escaped bytes. */
export function toFsPath(path: string): string | Buffer {
  if (!hasEscapedBytes(path)) return path;
  return pathBytes(path);
}

/** The bytes of a path (escaped bytes back to themselves, everything else UTF-8). */
export function pathBytes(path: string): Buffer {
  const parts: Buffer[] = [];
  let run = '';
  for (const ch of path) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xdc80 && c <= 0xdcff) {
      if (run) parts.push(Buffer.from(run, 'utf8'));
      run = '';
      parts.push(Buffer.from([c - 0xdc00]));
    } else run += ch;
  }
  if (run) parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** `realpathSync` that keeps a name's bytes (with `/` separators). */
export function realpathName(path: string): string {
  const real = realpathSync.native(toFsPath(path), { encoding: 'buffer' });
  return nameFromBytes(real).replace(/\\/g, '/');
}

/** Decoding and positions: BOMs, UTF-16, CRLF. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBytes, LineIndex } from '../../server/src/core/text';
import { parseBytes, spanAtPath } from '../../server/src/core/document';

test('UTF-8, UTF-8 with BOM, UTF-16 LE and BE with BOM decode to the same text', () => {
  const text = 'kind: Tenant\r\nname: é\r\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le);
  for (let i = 2; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1]!, be[i]!];
  be[0] = 0xfe;
  be[1] = 0xff;
  for (const [bytes, enc] of [
    [Buffer.from(text, 'utf8'), 'utf8'],
    [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf8bom'],
    [le, 'utf16le'],
    [be, 'utf16be'],
  ] as const) {
    const d = decodeBytes(bytes);
    assert.equal(d.text, text, enc);
    assert.equal(d.encoding, enc);
    assert.equal(d.problem, undefined);
  }
});

test('invalid UTF-8 and binary data are flagged, not thrown', () => {
  assert.match(decodeBytes(Buffer.from([0x6b, 0xff, 0xfe, 0x41, 0xc3])).problem ?? '', /not valid UTF-8/);
  assert.match(decodeBytes(Buffer.from([0x6b, 0x00, 0x00, 0x00, 0x01])).problem ?? '', /binary|UTF/);
});

test('positions count CRLF as one line break', () => {
  const idx = new LineIndex('a\r\nbc\nd\re');
  assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(6), { line: 2, character: 0 });
  assert.deepEqual(idx.positionAt(8), { line: 3, character: 0 });
  assert.equal(idx.eol(), '\n');
  assert.equal(new LineIndex('a\r\nb\r\nc\n').eol(), '\r\n');
});

test('a real UTF-16 Graph export from the corpus parses with positions', () => {
  const file = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'conditional-access-baseline', 'Config', 'ConditionalAccess', 'CA205-Internals-BaseProtection-AnyApp-Windows-CompliantorAADHJ.json');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return; // the corpus lives beside the repo; skip where it is not
  }
  const p = parseBytes(file, bytes);
  assert.equal(p.encoding, 'utf16le');
  assert.deepEqual(p.syntaxErrors, []);
  const span = spanAtPath(p, ['grantControls', 'builtInControls', 0], 'value');
  assert.equal(p.text.slice(span.offset, span.offset + span.length), '"compliantDevice"');
});

test('spanAtPath keeps places apart whose paths join alike: a key holding a separator, an index and a key of the same digits', () => {
  // JSON, so that a key can hold NUL: `a\u0000b` would join like the path a → b.
  const text = '{"a\\u0000b": 1, "a": {"b": 22, "0": 333}, "s": [4444]}';
  const p = parseBytes('/t/x.json', Buffer.from(text), 1);
  const at = (path: (string | number)[]): string => {
    const s = spanAtPath(p, path, 'value');
    return text.slice(s.offset, s.offset + s.length);
  };
  // Asked twice each, so the second answer comes from what the first kept.
  for (let i = 0; i < 2; i++) {
    assert.equal(at(['a\u0000b']), '1');
    assert.equal(at(['a', 'b']), '22');
    assert.equal(at(['a', '0']), '333');
    assert.equal(at(['s', 0]), '4444');
  }
});

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

test('invalid UTF-8 is reported at the first bad byte, in the decoded text\'s line and UTF-16 character', () => {
  // A Windows-1252 `ä` (0xE4) on line 5, after a CJK character and an emoji (one and two UTF-16 code units).
  const bytes = Buffer.concat([Buffer.from('kind: CompliancePolicy\nname: x\nspec:\n  displayName: "一😀 '), Buffer.from([0xe4]), Buffer.from('"\n')]);
  const d = decodeBytes(bytes);
  assert.match(d.problem ?? '', /not valid UTF-8/);
  const p = parseBytes('/t/lat.yaml', bytes);
  const e = p.syntaxErrors[0]!;
  assert.match(e.message, /not valid UTF-8/);
  assert.deepEqual(p.lines.rangeOf(e.span), { start: { line: 3, character: 20 }, end: { line: 3, character: 21 } });
  assert.equal(p.text.charAt(e.span.offset), '\uFFFD');
  // After a UTF-8 BOM, the BOM is not counted; a truncated sequence at the end is the bad byte too.
  const bom = parseBytes('/t/b.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: é\nb: '), Buffer.from([0xc3])]));
  assert.deepEqual(bom.lines.rangeOf(bom.syntaxErrors[0]!.span), { start: { line: 1, character: 3 }, end: { line: 1, character: 4 } });
  // NUL bytes: at the first one.
  const nul = parseBytes('/t/n.yaml', Buffer.from('a: 1\nb: \u0000\n'));
  assert.match(nul.syntaxErrors[0]!.message, /NUL bytes/);
  assert.deepEqual(nul.lines.rangeOf(nul.syntaxErrors[0]!.span).start, { line: 1, character: 3 });
});

test('UTF-16 without a BOM is read whatever the characters: CJK, Ā, U+3000 and emoji (code units with a zero low byte) in LE and BE', () => {
  for (const name of ['Limit', '一般限制', 'Āb', 'a\u3000b', 'Limit 😀', '一'.repeat(200)]) {
    for (const text of [`{\n  "kind": "EnrollmentRestriction",\n  "name": "lim",\n  "spec": { "displayName": "${name}", "limit": 5 }\n}\n`, `# ${name}\nkind: EnrollmentRestriction\n`]) {
      const le = Buffer.from(text, 'utf16le');
      const be = Buffer.from(text, 'utf16le').swap16();
      for (const [bytes, enc] of [[le, 'utf16le'], [be, 'utf16be']] as const) {
        const d = decodeBytes(bytes);
        assert.equal(d.encoding, enc, `${name} ${enc}`);
        assert.equal(d.text, text, `${name} ${enc}`);
        assert.equal(d.problem, undefined);
      }
    }
  }
  // UTF-8 is never taken for UTF-16 (it holds no NUL), and bytes that are not UTF-16 stay what they were.
  assert.equal(decodeBytes(Buffer.from('kind: 一般限制\n')).encoding, 'utf8');
  const unpaired = decodeBytes(Buffer.from([0x6b, 0x00, 0x00, 0xd8, 0x61, 0x00]));
  assert.equal(unpaired.encoding, 'utf8', 'an unpaired surrogate: not UTF-16');
  assert.ok(unpaired.problem);
  const nulUnit = decodeBytes(Buffer.from([0x6b, 0x00, 0x00, 0x00, 0x01, 0x00]));
  assert.equal(nulUnit.encoding, 'utf8', 'a U+0000 code unit: not UTF-16');
  assert.match(nulUnit.problem ?? '', /NUL bytes/);
});

test('UTF-16 whose byte order mark a UTF-8 round trip damaged is said to look like UTF-16, not binary data', () => {
  const utf16 = Buffer.from('{"a": "b"}', 'utf16le');
  const damaged = Buffer.concat([Buffer.from([0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd]), utf16]);
  assert.match(decodeBytes(damaged).problem ?? '', /looks like UTF-16 whose byte order mark is damaged/);
  // Binary data with a few NULs here and there is still binary data.
  assert.match(decodeBytes(Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x00, 0x3a, 0x20, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x61, 0x62])).problem ?? '', /looks like binary data/);
});

/** Strict JSON for `.json` files: every syntax error, in JSON's words, on its exact token; YAML keeps YAML's rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBytes, parseText, PARSE_LIMITS } from '../../server/src/core/document';
import { createPolicyService } from '../../server/src/core/service';
import { FIXTURES } from '../harness/fixtures';

const ROOT = join(__dirname, '..', '..');

const POLICY = `{
  "kind": "CompliancePolicy",
  "name": "win",
  "spec": {
    "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
    "displayName": "Windows baseline",
    "bitLockerEnabled": true
  }
}
`;

/** The errors of a `.json` text as `text-at-span message`, so each test shows which token is blamed. */
function errors(text: string): string[] {
  return parseText('/t/c/x.json', text).syntaxErrors.map((e) => `${JSON.stringify(text.slice(e.span.offset, e.span.offset + e.span.length))} ${e.message}`);
}

test('a trailing comma is an error on the comma, in an object and in an array, both reported', () => {
  const text = POLICY.replace('"bitLockerEnabled": true', '"bitLockerEnabled": true,').replace('"name": "win"', '"name": "win", "tags": ["a", "b",]');
  const p = parseText('/t/c/x.json', text);
  assert.equal(p.value, undefined);
  assert.deepEqual(errors(text), [
    '"," trailing comma before `]`; remove it (JSON allows none)',
    '"," trailing comma before `}`; remove it (JSON allows none)',
  ]);
  assert.equal(p.syntaxErrors[1]!.span.offset, text.indexOf('true,') + 4);
});

test('a missing comma names the comma, not YAML\'s implicit keys', () => {
  assert.deepEqual(errors(POLICY.replace('"name": "win",', '"name": "win"')), ['"\\"spec\\"" missing comma between properties; add `,` before this one']);
  assert.deepEqual(errors('{"a": [1 2, 3]}'), ['"2" missing comma between values; add `,` before this one']);
  for (const e of errors(POLICY.replace('"name": "win",', '"name": "win"'))) assert.doesNotMatch(e, /Implicit keys/);
});

test('comments, single quotes, unquoted keys and non-JSON values are errors', () => {
  assert.deepEqual(errors('// note\n{"a": 1 /* why */}'), [
    '"// note" comments are not allowed in JSON; remove it (or move the note into `description`)',
    '"/* why */" comments are not allowed in JSON; remove it (or move the note into `description`)',
  ]);
  assert.deepEqual(errors("{'a': 1}"), ['"\'a\'" strings must be in double quotes (`"`) in JSON, not single quotes']);
  assert.deepEqual(errors('{a: 1}'), ['"a" property names must be strings in double quotes in JSON: `"a"`']);
  assert.deepEqual(errors('{"a": NaN, "b": 01, "c": "x\\q"}'), [
    '"NaN" `NaN` is not a JSON value; write a string in double quotes, a number, `true`, `false` or `null`',
    '"01" `01` is not a JSON number (no leading zeros, `+`, hexadecimal, `Infinity` or bare `.`)',
    '"\\\\q" invalid escape `\\q` in a string; JSON has `\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX` (write a backslash as `\\\\`)',
  ]);
});

test('a truncated file: unexpected end of file, just after the last token, naming the open bracket', () => {
  const text = '{\n  "a": [1, 2\n';
  const p = parseText('/t/c/x.json', text);
  assert.deepEqual(p.syntaxErrors, [{ message: 'unexpected end of file: `]` expected (the `[` on line 2 is not closed)', span: { offset: text.indexOf('2\n') + 1, length: 0 } }]);
  assert.deepEqual(errors('{"a": {"b": 1}'), ['"" unexpected end of file: `}` expected (the `{` on line 1 is not closed)']);
  assert.deepEqual(errors('{"a": [1], "b": ]}'), ['"]" a value expected, not `]` (no `[` is open)']);
  assert.deepEqual(errors('[{"a": 1]'), ['"]" `}` expected to close the `{` on line 1 before this `]`']);
  assert.deepEqual(errors('{"a": 1}\n{"b": 2}'), ['"{" unexpected `{` after the end of the JSON value (a file holds exactly one value)']);
});

test('every error is reported, up to a cap', () => {
  const many = `[${Array.from({ length: 60 }, (_, i) => `${i} `).join('')}]`;
  const p = parseText('/t/c/x.json', many);
  assert.equal(p.syntaxErrors.length, PARSE_LIMITS.maxJsonSyntaxErrors + 1);
  assert.match(p.syntaxErrors.at(-1)!.message, /only the first 20 are reported/);
});

test('valid JSON reads exactly as before (the YAML reading), duplicate keys included', () => {
  const texts = [
    POLICY,
    readFileSync(join(FIXTURES, 'yaml-syntax', 'ok-json-valid', 'compliance', 'Win-Compliance-Baseline.json'), 'utf8').replace(/^\uFEFF/, ''),
    '{"a": -1.5e+3, "b": "\\u00e9\\n\\/", "c": [], "d": {}, "e": null, "f": false}',
    '{"kind": "CompliancePolicy", "name": "a", "name": "b"}',
    '',
    '  \n',
    '"just a string"',
  ];
  for (const t of texts) {
    const strict = parseText('/t/c/x.json', t);
    const before = parseText('/t/c/x.json', t, 0, { lenientJson: true });
    assert.deepEqual(strict.syntaxErrors, before.syntaxErrors, t);
    assert.deepEqual(strict.value, before.value, t);
  }
  // Duplicate keys are legal JSON syntax (JSON.parse keeps the last); the YAML reading's error stays, since Graph
  // would see only one of the two values and the author meant something else.
  assert.match(parseText('/t/c/x.json', texts[3]!).syntaxErrors[0]!.message, /`"name"` appears twice in the same object/);
});

test('a BOM (UTF-8 or UTF-16) is decoded first; a BOM left in the text is allowed at the start only', () => {
  const utf8 = parseBytes('/t/c/x.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(POLICY.replace(/\n/g, '\r\n'))]));
  assert.deepEqual(utf8.syntaxErrors, []);
  assert.equal((utf8.value as { name: string }).name, 'win');
  const utf16 = parseBytes('/t/c/x.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POLICY.replace('true\n', 'true,\n'), 'utf16le')]));
  assert.deepEqual(utf16.syntaxErrors.map((e) => e.message), ['trailing comma before `}`; remove it (JSON allows none)']);
  assert.deepEqual(parseText('/t/c/x.json', '\uFEFF' + POLICY).syntaxErrors, []);
});

test('YAML files keep YAML rules: a flow collection may end with a comma, and comments are comments', () => {
  const p = parseText('/t/c/x.yaml', 'kind: CompliancePolicy # ok\nname: win\nassignments: { include: [grp-a, ], }\n');
  assert.deepEqual(p.syntaxErrors, []);
  assert.deepEqual(p.value, { kind: 'CompliancePolicy', name: 'win', assignments: { include: ['grp-a'] } });
});

test('too deep: the depth refusal, as before, not a flood of JSON errors', () => {
  const p = parseText('/t/c/x.json', '['.repeat(5_000));
  assert.equal(p.syntaxErrors.length, 1);
  assert.match(p.syntaxErrors[0]!.message, /^refused: the document nests more than 256 levels deep/);
});

test('an editor buffer (the language server\'s update) gets the same strict reading, with JSON wording', () => {
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  s.update('/t/zerotrust.yaml', 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n', 1);
  const text = POLICY.replace('true\n', 'true,\n');
  s.update('/t/c/win.json', text, 2);
  const found = s.analyzeAll().filter((f) => f.file === '/t/c/win.json');
  assert.deepEqual(found.map((f) => [f.ruleId, f.message, f.span]), [
    ['yaml-syntax', 'JSON syntax: trailing comma before `}`; remove it (JSON allows none). Until it parses, the checks that look across the tenant for a `CompliancePolicy` for Windows say nothing: the file may hold one', { offset: text.indexOf('true,') + 4, length: 1 }],
  ]);
  // Fixed in the editor: the finding goes.
  s.update('/t/c/win.json', POLICY, 3);
  assert.deepEqual(s.analyzeAll().filter((f) => f.file === '/t/c/win.json' && f.ruleId === 'yaml-syntax'), []);
});

test('ztp check: a trailing comma in a .json policy exits 1 with a JSON-worded message on the comma', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-json-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'zerotrust.yaml'), 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n');
  mkdirSync(join(dir, 'compliance'));
  writeFileSync(join(dir, 'compliance', 'win.json'), POLICY.replace('true\n', 'true,\n'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ztp.js'), 'check', dir, '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as { file: string; code: string; message: string; range: unknown }[];
  const syntax = out.filter((f) => f.code === 'yaml-syntax');
  assert.deepEqual(syntax, [
    { file: 'compliance/win.json', code: 'yaml-syntax', severity: 'error', message: 'JSON syntax: trailing comma before `}`; remove it (JSON allows none). Until it parses, the checks that look across the tenant for a `CompliancePolicy` for Windows say nothing: the file may hold one', range: { start: { line: 6, character: 28 }, end: { line: 6, character: 29 } } },
  ]);
  const text = spawnSync(process.execPath, [join(ROOT, 'bin', 'ztp.js'), 'check', dir], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(text.status, 1);
  assert.match(text.stdout, /JSON syntax: trailing comma before `}`/);
  assert.doesNotMatch(text.stdout, /no problems/);
});

test('a YAML syntax error covers the bad token: a duplicate key\'s name, a badly indented key, not one character', () => {
  const at = (text: string): string => {
    const p = parseText('/t/p.yaml', text);
    const s = p.syntaxErrors[0]!.span;
    return text.slice(s.offset, s.offset + s.length);
  };
  assert.equal(at('kind: CompliancePolicy\nname: a\nname: b\nspec: {}\n'), 'name');
  assert.equal(at('kind: CompliancePolicy\nname: a\nspec:\n  displayName: x\n bitLockerEnabled: true\n'), 'bitLockerEnabled');
});

/** A YAML text's first syntax error: the line (1-based), the text it covers, and its message. */
function yamlError(text: string): { line: number; at: string; message: string } {
  const p = parseText('/t/c/x.yaml', text);
  const e = p.syntaxErrors[0]!;
  return { line: p.lines.positionAt(e.span.offset).line + 1, at: text.slice(e.span.offset, e.span.offset + e.span.length), message: e.message };
}

test('YAML: a key indented more than the key above it is reported on that key, with the key to align it with', () => {
  // The library reports "Nested mappings are not allowed in compact mappings" on `true`, the line above.
  const text = 'kind: CompliancePolicy\nname: a\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  bitLockerEnabled: true\n   secureBootEnabled: true\n';
  assert.deepEqual(yamlError(text), {
    line: 6,
    at: 'secureBootEnabled',
    message: '`secureBootEnabled` is indented 3 spaces, more than `bitLockerEnabled` on line 5 (2 spaces), which already has a value; align it with `bitLockerEnabled`',
  });
  // Under a list item, past a blank line and a comment, and after a quoted value (the library's BAD_INDENT there).
  assert.deepEqual(yamlError('spec:\n  items:\n    - name: x\n\n      # note\n       foo: 1\n'), { line: 6, at: 'foo', message: '`foo` is indented 7 spaces, more than `name` on line 3 (6 spaces), which already has a value; align it with `name`' });
  assert.deepEqual(yamlError('spec:\n  a: "x"\n    b: 1\n'), { line: 3, at: 'b', message: '`b` is indented 4 spaces, more than `a` on line 2 (2 spaces), which already has a value; align it with `a`' });
  // A mapping inside a value on one line: the library's place, and the fix.
  assert.match(yamlError('spec:\n  a: b: c\n').message, /^`a` has a value that holds `: ` \(`b: c`\), .* quote the value if the colon is part of it, or put the inner key on a line of its own, indented under `a`$/);
  assert.doesNotMatch(yamlError(text).message, /compact mappings/);
});

test('YAML: a key out of line with the keys of its mapping names the column they start at', () => {
  assert.deepEqual(yamlError('kind: CompliancePolicy\nname: b\nspec:\n    displayName: x\n  bitLockerEnabled: true\n'), {
    line: 5,
    at: 'bitLockerEnabled',
    message: '`bitLockerEnabled` is indented 2 spaces, but the keys under `spec` start at 4 spaces (`displayName`, line 4): keys of one mapping start at the same column; align it with `displayName`, or with `spec` if it belongs beside it',
  });
  assert.doesNotMatch(yamlError('spec:\n  a:\n    x: 1\n b: 2\n').message, /All mapping items/);
});

test('YAML: a duplicate key names the line of the first one and says to remove one', () => {
  assert.deepEqual(yamlError('kind: CompliancePolicy\nname: e\nspec:\n  displayName: x\n  bitLockerEnabled: true\n  displayName: y\n'), {
    line: 6,
    at: 'displayName',
    message: '`displayName` appears twice in the same mapping (first on line 4); remove one of the two, keeping the value you mean (a key may appear only once in a mapping)',
  });
  // A key of the same name in a nested mapping is another key: the first is the one of the same mapping.
  assert.match(yamlError('spec:\n  x:\n    a: 1\n  a: 2\n  a: 3\n').message, /^`a` appears twice in the same mapping \(first on line 4\)/);
});

test('YAML: an unclosed `[` or `{` is reported on the bracket left open, with the fix', () => {
  const list = 'kind: CompliancePolicy\nname: f\nspec:\n  list: [a, "b]", c\n  x: 1\n';
  assert.deepEqual(yamlError(list), {
    line: 4,
    at: '[',
    message: 'this `[` opens a flow list that is never closed: add `]` after its last item (a flow list may go on over later lines only if they are indented more than the line that opens it)',
  });
  const map = yamlError('spec:\n  m: { a: [1, 2], b: 1\n  x: 1\n');
  assert.equal(map.line, 2);
  assert.equal(map.at, '{');
  assert.match(map.message, /^this `\{` opens a flow mapping that is never closed: add `\}` after its last item/);
  // At the end of the file, too.
  assert.equal(yamlError('spec:\n  list: [a, b\n').at, '[');
});

test('a file with classic Mac line endings (a lone CR) is read line by line, as YAML and LSP count lines', () => {
  const text = '# header\rkind: CompliancePolicy\rname: a\rspec: {}\r';
  const p = parseText('/t/p.yaml', text);
  assert.deepEqual(p.syntaxErrors, []);
  assert.deepEqual(p.value, { kind: 'CompliancePolicy', name: 'a', spec: {} });
  assert.equal(p.lines.positionAt(text.indexOf('name')).line, 2);
});

test('a document that holds nothing after a `---` (a bare marker at the end, comments alone) is no second document: the file is read as its one policy (review B, t8)', () => {
  for (const tail of ['---\n', '---\n# kept for the next policy\n', '---\n...\n']) {
    const p = parseText('/t/ca.yaml', `kind: ConditionalAccessPolicy\nname: ca-block\nspec:\n  state: enabled\n${tail}`);
    assert.deepEqual(p.syntaxErrors, [], JSON.stringify(tail));
    assert.equal((p.value as { name?: string }).name, 'ca-block');
  }
  // A second document that holds something is still one too many: the file does not parse.
  const two = parseText('/t/ca.yaml', 'kind: ConditionalAccessPolicy\nname: a\n---\nkind: ConditionalAccessPolicy\nname: b\n');
  assert.equal(two.value, undefined);
  assert.match(two.syntaxErrors[0]!.message, /holds 2 YAML documents/);
});

/**
 * A file whose bytes are not text (review B, t04d-unreadable and t04-encodings): not valid UTF-8, NUL bytes, UTF-16
 * that its byte order mark does not fit, UTF-32, a Windows-1252 byte. Such a file does not parse, whatever the best
 * decoding of it gives, and what it may hold is unknown, never missing: every reader (the rules, What If, the lockout
 * check, `--fix`, the report and the layer tree) holds back alike, and its `yaml-syntax` finding has no `layer`, as a
 * file that does not parse for a syntax error has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBytes } from '../../server/src/core/document';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { runInProcess, tempDir } from '../harness/cli';

const FIXTURE = join(__dirname, '..', 'fixtures', 'ca-requires-compliance-policy', 'ok-compliance-file-not-utf8');
const ENV = { NO_COLOR: '1' };

const WINDOWS = 'kind: CompliancePolicy\nname: windows-compliance\nassignments:\n  include: [allDevices]\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: Windows baseline\n  bitLockerEnabled: true\n  scheduledActionsForRule:\n    - ruleName: PasswordRequired\n      scheduledActionConfigurations:\n        - { actionType: block, gracePeriodHours: 0 }\n';
const utf16le = (text: string): Buffer => Buffer.from(text, 'utf16le');
const utf32le = (text: string): Buffer => Buffer.concat([...text].map((c) => { const b = Buffer.alloc(4); b.writeUInt32LE(c.codePointAt(0)!); return b; }));

/** The Windows compliance file's bytes in each shape that is not text, with what its `yaml-syntax` message says. */
const SHAPES: { name: string; bytes: Buffer; says: RegExp }[] = [
  // The review's file: a policy's first lines, then bytes that are not UTF-8 and NULs.
  { name: 'not UTF-8, with NULs (t04d)', bytes: Buffer.from('kind: CompliancePolicy\nname: windows-compliance\n\x00\x00\xff\xfe\x81\x9c garbage \x00 spec: \x00\n', 'latin1'), says: /not valid UTF-8/ },
  // NULs in valid UTF-8, where U+FFFD in their place still parsed as a key (and the value was read as the policy).
  { name: 'NUL bytes in valid UTF-8', bytes: Buffer.from('kind: CompliancePolicy\nname: windows-compliance\n\x00\x00abcd garbage \x00 spec: \x00\n', 'latin1'), says: /NUL bytes/ },
  // A whole Windows policy saved as Windows-1252 (PowerShell 5.1's Set-Content): one `é` in the display name.
  { name: 'a Windows-1252 byte', bytes: Buffer.from(WINDOWS.replace('Windows baseline', 'Conformit\u00e9 Windows'), 'latin1'), says: /not valid UTF-8/ },
  { name: 'UTF-16 LE with a BOM, an odd number of bytes', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(WINDOWS), Buffer.from([0x0a])]), says: /not valid UTF-16 LE.*an odd number of bytes/ },
  { name: 'UTF-16 BE with a BOM, an unpaired surrogate', bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), utf16le(WINDOWS).swap16(), Buffer.from([0xd8, 0x00, 0x00, 0x41])]), says: /not valid UTF-16 BE.*a surrogate without its pair/ },
  { name: 'UTF-16 LE with a BOM, a NUL character', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(WINDOWS.replace('Windows baseline', 'Windows\u0000baseline'))]), says: /NUL characters/ },
  { name: 'a UTF-16 BOM before UTF-8', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(WINDOWS)]), says: /UTF-16 LE byte order mark, but what follows is UTF-8/ },
  { name: 'UTF-32 LE with its BOM', bytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(WINDOWS)]), says: /UTF-32/ },
];

test('bytes that are not text make a file that does not parse: no value, the problem first, the text kept for the outline and the sniffing', () => {
  for (const { name, bytes, says } of SHAPES) {
    const p = parseBytes('/t/compliance/windows-compliance.yaml', bytes);
    assert.equal(p.value, undefined, name);
    assert.match(p.syntaxErrors[0]?.message ?? '', says, name);
    assert.match(p.text, /kind: CompliancePolicy/, name);
  }
  // Clean text in each encoding still parses.
  for (const bytes of [Buffer.from(WINDOWS), Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(WINDOWS)]), Buffer.concat([Buffer.from([0xfe, 0xff]), utf16le(WINDOWS).swap16()]), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(WINDOWS)])]) {
    const p = parseBytes('/t/w.yaml', bytes);
    assert.deepEqual(p.syntaxErrors, []);
    assert.equal((p.value as { name: string }).name, 'windows-compliance');
  }
});

test('the odd byte of UTF-16 and an unpaired surrogate are reported where they are', () => {
  const odd = parseBytes('/t/w.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('a: 1\nb: 2\n'), Buffer.from([0x41])]));
  assert.deepEqual(odd.lines.positionAt(odd.syntaxErrors[0]!.span.offset), { line: 2, character: 0 });
  const lone = parseBytes('/t/w.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('a: 1\nb: '), Buffer.from([0x00, 0xd8]), utf16le('x\n')]));
  assert.deepEqual(lone.lines.positionAt(lone.syntaxErrors[0]!.span.offset), { line: 1, character: 3 });
  assert.equal(lone.text.charAt(lone.syntaxErrors[0]!.span.offset), '\uFFFD');
});

/** The review's tenant (the committed fixture) with the Windows compliance file in one of the shapes. */
function tenantWith(t: { after: (fn: () => void) => void }, bytes?: Buffer): string {
  const dir = tempDir(t, 'undecodable');
  cpSync(FIXTURE, dir, { recursive: true });
  if (bytes) writeFileSync(join(dir, 'compliance', 'windows-compliance.yaml'), bytes);
  return dir;
}

test('every reader holds back alike on a compliance file that is not text: check, What If --lockout, check --fix, report, the layers', async (t) => {
  for (const shape of [{ name: 'the committed fixture (t04d)', bytes: undefined, says: /not valid UTF-8/ }, ...SHAPES]) {
    const dir = tenantWith(t, shape.bytes);
    const check = await runInProcess(['check', '--format', 'json', '.'], { cwd: dir, env: ENV });
    const findings = JSON.parse(check.stdout) as { file: string; code: string; message: string; layer?: number }[];
    assert.deepEqual(findings.filter((f) => f.code === 'ca-requires-compliance-policy'), [], shape.name);
    const syntax = findings.filter((f) => f.code === 'yaml-syntax');
    assert.equal(syntax.length, 1, `${shape.name}: ${JSON.stringify(syntax)}`);
    assert.equal(syntax[0]!.file, 'compliance/windows-compliance.yaml');
    assert.match(syntax[0]!.message, shape.says, shape.name);
    assert.match(syntax[0]!.message, /Until it parses, the checks that look across the tenant for a `CompliancePolicy`( for Windows)? say nothing: the file may hold one$/, shape.name);
    // A file that does not parse has no kind as read: no layer (docs/format.md), as for a JSON syntax error.
    assert.equal('layer' in syntax[0]!, false, shape.name);

    const lockout = await runInProcess(['whatif', '--lockout', '.'], { cwd: dir, env: ENV });
    // Not a lockout, and not "no lockout" either: a doubt, as for an unread CA file (the twenty-ninth audit).
    assert.doesNotMatch(lockout.stdout, /✗ UNSATISFIABLE/, shape.name);
    assert.match(lockout.stdout, /\? MAY BE UNSATISFIABLE in ca-compliant/, shape.name);
    assert.notEqual(lockout.code, 1, `${shape.name}: ${lockout.stdout}`);
    assert.match(lockout.stdout, /`compliance\/windows-compliance\.yaml` is not analysed \(a file that could not be read, or a Graph list\) and may hold a Windows compliance policy/, shape.name);

    const report = await runInProcess(['report', '.'], { cwd: dir, env: ENV });
    assert.doesNotMatch(report.stdout, /Windows (compliance )?✗|ca-requires-compliance-policy/, shape.name);
    assert.match(report.stdout, /Compliance policies \(layer 3\): Windows \? \(unknown: `windows-compliance\.yaml` is not analysed/, shape.name);

    const service = createPolicyService({ fs: nodeFileSystem });
    for (const f of await service.discover(dir)) await service.load(f);
    const three = service.layers(dir).layers.find((l) => l.layer === 3)!;
    assert.notEqual(three.status, 'complete', shape.name);
    assert.ok(!three.policies.some((p) => /windows-compliance/.test(p.path)), `${shape.name}: layer 3 lists the file as a policy`);

    const before = readdirSync(dir, { recursive: true }).length;
    const fix = await runInProcess(['check', '--fix', '.'], { cwd: dir, env: ENV });
    assert.doesNotMatch(fix.stdout, /^fixed: .*compliance/im, shape.name);
    const created = readdirSync(dir, { recursive: true }).map(String).filter((p) => /compliance/i.test(p));
    assert.deepEqual(created.sort(), ['compliance', join('compliance', 'windows-compliance.yaml')], `${shape.name}: ${created.length - 2} compliance file(s) created (of ${readdirSync(dir, { recursive: true }).length - before} new files)`);
  }
});

test('the truncated JSON compliance file and the undecodable YAML one report alike: no layer on either (review B, t04-encodings)', async (t) => {
  const dir = tenantWith(t);
  writeFileSync(join(dir, 'compliance', 'android-wp.json'), '{\n  "kind": "CompliancePolicy",\n  "name": "android-wp",\n  "assignments": {"include": ["allUsers"]},\n  "spec": {\n    "@odata.type": "#microsoft.graph.androidWorkProfileCompliancePolicy",\n    "displayName": "Android WP",\n    "securityBlockJailbrokenDevices": true,\n    "scheduledActionsForRule": [ { "ruleName": "PasswordRequired", "scheduledActionConfigurations": [ {"actionType": "block", "gracePeriodHours": 0');
  const check = await runInProcess(['check', '--format', 'json', '.'], { cwd: dir, env: ENV });
  const syntax = (JSON.parse(check.stdout) as { file: string; code: string; layer?: number }[]).filter((f) => f.code === 'yaml-syntax');
  assert.deepEqual(syntax.map((f) => [f.file, f.layer]).sort(), [['compliance/android-wp.json', undefined], ['compliance/windows-compliance.yaml', undefined]]);
});

/** `ztp check` end to end through the built CLI bundle: output contract, exit codes, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../harness/fixtures';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'ztp.js');

function ztp(args: string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const SCHEMA_FIRES = join(FIXTURES, 'schema', 'fires-enum');
const CLEAN = join(FIXTURES, 'schema', 'ok-format-examples');

test('--version and --help', () => {
  const v = ztp(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+$/);
  const h = ztp(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /ztp check/);
  assert.match(h.stdout, /--format text\|json\|sarif/);
});

test('json output matches the contract: file, 0-based range, severity, code, message, layer', () => {
  const r = ztp(['check', SCHEMA_FIRES, '--format', 'json'], SCHEMA_FIRES);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>[];
  const f = out.find((x) => x.code === 'schema')!;
  assert.ok(f, r.stdout);
  assert.equal(f.file, 'ca/ca.yaml');
  assert.deepEqual(f.range, { start: { line: 10, character: 10 }, end: { line: 10, character: 19 } });
  assert.equal(f.severity, 'error');
  assert.equal(f.layer, 4);
  assert.match(String(f.message), /`windows11` is not a platform/);
  for (const x of out) {
    assert.deepEqual(Object.keys(x).filter((k) => k !== 'layer').sort(), ['code', 'file', 'message', 'range', 'severity']);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(String(x.severity)));
    assert.ok(!String(x.file).includes('\\'));
  }
});

test('file paths are relative to the current folder', () => {
  const r = ztp(['check', 'test/fixtures/schema/fires-enum', '--format', 'json']);
  const out = JSON.parse(r.stdout) as { file: string }[];
  assert.ok(out.some((f) => f.file === 'test/fixtures/schema/fires-enum/ca/ca.yaml'), r.stdout);
});

test('exit 0 with no errors, and a summary line in text', () => {
  const r = ztp(['check', CLEAN]);
  const summary = r.stdout.trim().split('\n').pop()!;
  assert.match(summary, /\(3 files in 1 tenant checked\)$/);
  assert.equal(r.code, /\d+ errors?/.test(summary) ? 1 : 0, r.stdout + r.stderr);
  const empty = ztp(['check', '.'], join(FIXTURES, 'no-tenant-manifest', 'ok-not-a-policy'));
  assert.equal(empty.code, 0);
  assert.match(empty.stdout, /✔ no problems/);
});

test('text lines are file:line:col severity code message', () => {
  const r = ztp(['check', '.'], SCHEMA_FIRES);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^ca\/ca\.yaml:11:11 error schema `windows11` is not a platform/m);
  assert.match(r.stdout, /✖ \d+ errors?/);
});

test('sarif output is SARIF 2.1.0 with rules and results', () => {
  const r = ztp(['check', SCHEMA_FIRES, '--format', 'sarif'], SCHEMA_FIRES);
  assert.equal(r.code, 1);
  const s = JSON.parse(r.stdout);
  assert.equal(s.version, '2.1.0');
  const run = s.runs[0];
  assert.equal(run.tool.driver.name, 'ztp');
  assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'schema'));
  const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'schema');
  assert.equal(res.level, 'error');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 11, startColumn: 11, endLine: 11, endColumn: 20 });
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'ca/ca.yaml');
});

test('a missing path: one line on stderr, exit 2', () => {
  const r = ztp(['check', 'no/such/folder']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^ztp: no such file or folder: no\/such\/folder/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('a bad flag or format: one line on stderr, exit 2', () => {
  for (const args of [['check', '--frmat', 'json'], ['check', '--format', 'xml'], ['frobnicate'], ['check', '--rule', 'nope=error']]) {
    const r = ztp(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^ztp: /);
  }
});

test('an unreadable file: a one-line error on stderr, exit 2, the rest still checked', { skip: process.getuid?.() === 0 ? 'root can read any file' : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-cli-'));
  try {
    cpSync(CLEAN, dir, { recursive: true });
    const f = join(dir, 'compliance', 'secret.yaml');
    writeFileSync(f, 'kind: CompliancePolicy\n');
    chmodSync(f, 0);
    const r = ztp(['check', dir, '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /secret\.yaml: cannot read the file/);
    JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a single file inside a tenant is checked with its tenant around it', () => {
  const r = ztp(['check', 'test/fixtures/unresolved-group/fires-name/compliance/win.yaml', '--format', 'json']);
  const out = JSON.parse(r.stdout) as { code: string; file: string }[];
  assert.ok(out.some((f) => f.code === 'unresolved-group'), r.stdout);
  assert.ok(out.every((f) => f.file.endsWith('compliance/win.yaml')));
});

test('UTF-16 LE exports with a BOM and CRLF are read, with correct positions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-cli-'));
  try {
    mkdirSync(join(dir, 'ca'));
    writeFileSync(join(dir, 'zerotrust.yaml'), 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n');
    const json = '{\r\n  "kind": "ConditionalAccessPolicy",\r\n  "name": "ca-x",\r\n  "spec": {\r\n    "displayName": "x",\r\n    "state": "enabeld",\r\n    "conditions": {}\r\n  }\r\n}\r\n';
    writeFileSync(join(dir, 'ca', 'x.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    const r = ztp(['check', dir, '--format', 'json'], dir);
    const out = JSON.parse(r.stdout) as { code: string; file: string; range: { start: { line: number; character: number } } }[];
    const s = out.find((f) => f.code === 'schema' && f.file === 'ca/x.json');
    assert.ok(s, r.stdout);
    assert.deepEqual(s.range.start, { line: 5, character: 13 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

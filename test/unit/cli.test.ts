/** `ztp check` end to end through the built CLI bundle: output contract, exit codes, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync, rmSync, cpSync, readdirSync, readFileSync, existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../harness/fixtures';
import { main } from '../../server/src/cli/main';
import { RULES } from '../../server/src/core/rules/index';
import type { Rule } from '../../server/src/core/rule';
import { runBuilt } from '../harness/cli';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'ztp.js');

const ztp = runBuilt;

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
  // A folder whose only YAML is not a policy (a docker-compose.yaml) has nothing to check: a wrong path (#15).
  const empty = ztp(['check', '.'], join(FIXTURES, 'no-tenant-manifest', 'ok-not-a-policy'));
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /^ztp: no tenant folder or policy file under \.\n$/);
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
    const json = '{\r\n  "kind": "ConditionalAccessPolicy",\r\n  "name": "ca-x",\r\n  "spec": {\r\n    "displayName": "x",\r\n    "state": "enabeld",\r\n    "conditions": {},\r\n    "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }\r\n  }\r\n}\r\n';
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

// ---------------------------------------------------------------------------------------------------------------
// Issue #13: writes confined, failures visible, output that cannot be forged.

const MISSING_ANDROID = join(FIXTURES, 'ca-requires-compliance-policy', 'fires-missing-android');

function tenantCopy(t: { after: (fn: () => void) => void }, from = MISSING_ANDROID): { dir: string; tenant: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-cli-13-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tenant = join(dir, 'tenant');
  cpSync(from, tenant, { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('_fixed') });
  return { dir, tenant };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

test('--fix does not follow a symlinked kind folder out of the tenant: refused, said, exit 2, nothing outside', (t) => {
  const { dir, tenant } = tenantCopy(t);
  const outside = join(dir, 'outside');
  mkdirSync(outside);
  rmSync(join(tenant, 'compliance'), { recursive: true });
  symlinkSync(outside, join(tenant, 'compliance'));
  const r = ztp(['check', '--fix', '.'], tenant);
  assert.deepEqual(readdirSync(outside), [], 'nothing written outside the tenant');
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /not fixed: Create compliance polic.*outside/);
  assert.doesNotMatch(r.stdout, /fixed: Create compliance polic/);
});

test('--fix never overwrites or appends to a file that exists: a new policy file takes the next free name', (t) => {
  const { tenant } = tenantCopy(t);
  const notes = join(tenant, 'compliance', 'android-compliance-baseline.yaml');
  writeFileSync(notes, '# team notes: Android rollout waits for the MTD contract\n');
  const r = ztp(['check', '--fix', '.'], tenant);
  assert.equal(readFileSync(notes, 'utf8'), '# team notes: Android rollout waits for the MTD contract\n');
  assert.doesNotMatch(r.stderr, /not fixed/, r.stderr);
  assert.match(r.stdout, /^fixed: Create a compliance policy for Android \(compliance\/android-compliance-baseline-2\.yaml\)$/m);
  assert.ok(existsSync(join(tenant, 'compliance', 'android-compliance-baseline-2.yaml')));
  assert.match(r.stdout, /^fixed: Create the `block-legacy-authentication`/m);
});

test('--fix with a dangling symbolic link where a folder should be: that fix refused and said, every change made listed', (t) => {
  const { tenant } = tenantCopy(t);
  rmSync(join(tenant, 'compliance'), { recursive: true });
  symlinkSync(join(tenant, 'nowhere'), join(tenant, 'compliance'));
  const before = new Map(listFiles(tenant).map((f) => [f, readFileSync(f, 'utf8')]));
  const r = ztp(['check', '--fix', '.'], tenant);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /not fixed: Create compliance policies.*symbolic link to something that does not exist/);
  // What did change is exactly what the fixed: lines say.
  const changed = listFiles(tenant).filter((f) => before.get(f) !== readFileSync(f, 'utf8'));
  const reported = [...r.stdout.matchAll(/^fixed: .*\((.*)\)$/gm)].flatMap((m) => m[1]!.split(', '));
  assert.deepEqual(changed.map((f) => f.slice(tenant.length + 1)).sort(), [...reported].sort());
  assert.ok(reported.includes('conditional-access/block-legacy-authentication.yaml'), r.stdout);
});

test('--fix with a read-only file: that fix is refused (nothing half-written), the others apply and are listed', { skip: process.getuid?.() === 0 ? 'root can write any file' : false }, (t) => {
  const { tenant } = tenantCopy(t, join(FIXTURES, 'compliance-missing-block-action', 'fires-no-scheduled-actions'));
  const f = join(tenant, 'compliance', 'win-compliance.yaml');
  const text = readFileSync(f, 'utf8');
  chmodSync(f, 0o444);
  const r = ztp(['check', '--fix', '.'], tenant);
  assert.equal(readFileSync(f, 'utf8'), text);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not fixed: .*read-only/);
});

test('a file name that is not UTF-8 is read and reported (escaped), never skipped as "went away"', { skip: process.platform === 'darwin' || process.platform === 'win32' ? 'the file system refuses such names' : false }, (t) => {
  const { tenant } = tenantCopy(t, CLEAN);
  const name = Buffer.concat([Buffer.from(join(tenant, 'compliance', 'inv')), Buffer.from([0xff]), Buffer.from('name.yaml')]);
  writeFileSync(name, 'kind: CompliancePolicy\nname: inv\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  bitLockerEnabled: maybe\n');
  const r = ztp(['check', '.'], tenant);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /went away/);
  assert.match(r.stdout, /^compliance\/inv\\xffname\.yaml:5:21 error schema/m);
  const j = ztp(['check', '.', '--format', 'json'], tenant);
  assert.ok((JSON.parse(j.stdout) as { file: string }[]).some((f) => f.file === 'compliance/inv\udcffname.yaml'), j.stdout);
});

test('text output cannot be forged by a file name: newlines, escape codes and `:1:1 error` are escaped', (t) => {
  const { tenant } = tenantCopy(t, CLEAN);
  const evil = 'a.yaml:1:1 error schema forged\n\u001b[32mok.yaml';
  writeFileSync(join(tenant, 'compliance', evil), 'kind: CompliancePolicy\nname: evil\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  bitLockerEnabled: maybe\n');
  const r = ztp(['check', '.'], tenant);
  assert.doesNotMatch(r.stdout, /\u001b/);
  const evilLines = r.stdout.split('\n').filter((l) => l.startsWith('compliance/a.yaml'));
  assert.ok(evilLines.length >= 1, r.stdout);
  for (const line of evilLines) {
    assert.match(line, /^compliance\/a\.yaml\\x3a1\\x3a1 error schema forged\\n\\x1b\[32mok\.yaml:\d+:\d+ (error|warning|information) [a-z-]+ /, line);
  }
  assert.ok(!r.stdout.split('\n').some((l) => l.startsWith('a.yaml:1:1') || l.startsWith('compliance/a.yaml:1:1')));
});

test('a named pipe on the command line is said to be one (not "no such file"), exit 2', { skip: process.platform === 'win32' ? 'no mkfifo' : false }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-cli-13-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r0 = spawnSync('mkfifo', [join(dir, 'policy.yaml')]);
  if (r0.status !== 0) return t.skip('mkfifo is not available');
  const r = ztp(['check', 'policy.yaml'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^ztp: policy\.yaml is a named pipe \(FIFO\), not a policy file or folder/);
});

test('a rule that throws: an internal-error finding naming it, a line on stderr, exit 2 (in every format)', async () => {
  const throwing: Rule = { id: 'test-throws', title: 't', category: 'structure', defaultSeverity: 'error', check: () => { throw new RangeError('kaboom'); } };
  for (const format of ['text', 'json', 'sarif']) {
    let stdout = '';
    let stderr = '';
    const code = await main(['check', '.', '--format', format], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: CLEAN, isTTY: false, env: {}, rules: [throwing, ...RULES] });
    assert.equal(code, 2, format);
    assert.match(stdout, /internal-error/);
    assert.match(stdout, /`test-throws` failed while checking this tenant/);
    assert.match(stderr, /rule test-throws failed and its findings are missing \(RangeError: kaboom\)/);
  }
  // The same tenant with no rule throwing: not 2.
  const ok = await main(['check', '.'], { stdout: () => undefined, stderr: () => undefined, cwd: CLEAN, isTTY: false, env: {} });
  assert.notEqual(ok, 2);
});

test('export: a policy name cannot write outside --out; NUL, long and reserved names get safe file names; nothing aborts', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-export-13-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tenant = join(dir, 'work', 't');
  mkdirSync(tenant, { recursive: true });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(tenant, 'zerotrust.yaml'), 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n');
  const policy = (name: string): string => `kind: CompliancePolicy\nname: ${JSON.stringify(name)}\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: x\n`;
  const names = ['../../outside/pwned', 'a\u0000b', 'x'.repeat(300), 'CON', 'con.txt', 'Same', 'same'];
  names.forEach((n, i) => writeFileSync(join(tenant, `p${i}.yaml`), policy(n)));
  const r = ztp(['export', 't', '--out', 'out'], join(dir, 'work'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(join(dir, 'outside')), []);
  const written = readdirSync(join(dir, 'work', 'out')).sort();
  assert.equal(written.length, names.length, written.join());
  for (const f of written) {
    assert.match(f, /^[A-Za-z0-9._-]{1,110}\.json$/);
    assert.doesNotMatch(f.split('.')[0]!, /^(con|prn|aux|nul|com\d|lpt\d)$/i);
  }
  assert.equal(new Set(written.map((f) => f.toLowerCase())).size, written.length, 'unique ignoring case');
});

test('export: an existing file in --out that links outside is not written through', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-export-13-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tenant = join(dir, 't');
  mkdirSync(tenant);
  mkdirSync(join(dir, 'out'));
  writeFileSync(join(dir, 'victim.json'), 'keep');
  writeFileSync(join(tenant, 'zerotrust.yaml'), 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n');
  writeFileSync(join(tenant, 'p.yaml'), 'kind: CompliancePolicy\nname: win\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: x\n');
  symlinkSync(join(dir, 'victim.json'), join(dir, 'out', 'win.json'));
  const r = ztp(['export', 't', '--out', 'out'], dir);
  assert.equal(readFileSync(join(dir, 'victim.json'), 'utf8'), 'keep');
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /nothing written/);
});

test('export --force into a folder holding a link out of it: the link is not written through, nothing written', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-export-13-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tenant = join(dir, 't');
  mkdirSync(tenant);
  mkdirSync(join(dir, 'out'));
  writeFileSync(join(dir, 'victim.json'), 'keep');
  writeFileSync(join(tenant, 'zerotrust.yaml'), 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n');
  writeFileSync(join(tenant, 'p.yaml'), 'kind: CompliancePolicy\nname: win\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: x\n');
  symlinkSync(join(dir, 'victim.json'), join(dir, 'out', 'win.json'));
  const r = ztp(['export', 't', '--out', 'out', '--force'], dir);
  assert.equal(readFileSync(join(dir, 'victim.json'), 'utf8'), 'keep');
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /nothing written; 1 file would be written outside out or over something that is not a file:\n {2}win\.json: /);
});

test('check --fix creates the legacy-authentication block once: a report-only block it staged is not staged again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-fix-once-'));
  try {
    cpSync(join(FIXTURES, 'ca-requires-compliance-policy', 'fires-missing-android'), dir, { recursive: true });
    const first = ztp(['check', '--fix', dir]);
    const created = (): string[] => readdirSync(join(dir, 'conditional-access')).filter((n) => n.startsWith('block-legacy-authentication'));
    assert.deepEqual(created(), ['block-legacy-authentication.yaml'], first.stdout + first.stderr);
    // The finding stays (the block is report-only, a person enables it); a second run creates nothing more.
    const second = ztp(['check', '--fix', dir]);
    assert.match(second.stdout, /legacy-auth-not-blocked .*is report-only, so it blocks nothing/);
    assert.deepEqual(created(), ['block-legacy-authentication.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader that goes away (ztp check | head) gets no EPIPE stack trace, and the exit status is the check\'s', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [BIN, 'check', join(ROOT, 'examples', 'contoso'), '--format', 'sarif'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 1, 'the example has errors');
});

test('ztp report / whatif --lockout / export on an MSP workspace root: exit 2, naming the tenant folders it holds', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-msp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = (name: string) => `kind: Tenant\nname: ${name}\nlicenses: [M365_E5]\n`;
  // Seven clients, and a copy in a dot-folder, which discovery skips as it does everywhere else.
  for (const c of ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf']) {
    mkdirSync(join(dir, 'msp', 'clients', c), { recursive: true });
    writeFileSync(join(dir, 'msp', 'clients', c, 'zerotrust.yaml'), manifest(c));
  }
  mkdirSync(join(dir, 'msp', '.backup', 'old'), { recursive: true });
  writeFileSync(join(dir, 'msp', '.backup', 'old', 'zerotrust.yaml'), manifest('old'));
  const listed = 'it holds 7 tenant folders (msp/clients/alpha, msp/clients/bravo, msp/clients/charlie, msp/clients/delta, msp/clients/echo and 2 more): give one of them';
  for (const args of [['report', 'msp'], ['whatif', 'msp', '--lockout']]) {
    const r = ztp(args, dir);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stderr, `ztp: msp is not a tenant folder; ${listed}\n`);
  }
  const exported = ztp(['export', 'msp', '--out', join(dir, 'out')], dir);
  assert.equal(exported.code, 2);
  assert.match(exported.stderr, new RegExp(`msp is not a tenant folder \\(it has no zerotrust\\.yaml\\); ${listed.replace(/[()]/g, '\\$&')}`));
  // Shown as typed from where the command runs; one tenant below: give that folder; none: the message as before.
  const one = ztp(['report', 'clients'], join(dir, 'msp'));
  assert.match(one.stderr, /^ztp: clients is not a tenant folder; it holds 7 tenant folders \(clients\/alpha,/);
  const single = ztp(['report', join('msp', 'clients', 'alpha', '..', '..', '.backup')], dir);
  assert.equal(single.code, 2);
  assert.match(single.stderr, /is not a tenant folder; it holds one tenant folder, msp\/\.backup\/old: give that folder\n$/);
  mkdirSync(join(dir, 'empty'));
  assert.match(ztp(['report', 'empty'], dir).stderr, /^ztp: empty is in no tenant folder \(a folder with a zerotrust\.yaml\)\n$/);
});

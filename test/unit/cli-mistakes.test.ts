/**
 * Issue #15, item 4: the mistakes a newcomer makes get a clear one-line message and the right exit status, through
 * the built `ztp` command (bin/ztp.js), as a user or CI runs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBuilt, tempDir } from '../harness/cli';
import { fork, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../harness/fixtures';
import { formatSize, tooLargeMessage } from '../../server/src/core/index';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'ztp.js');
const MANIFEST = 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n';

const ztp = runBuilt;


/** One line on stderr, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.doesNotMatch(stderr, /\n\s+at /);
  return lines[0]!;
}

test('check: a folder with no tenant folder and no policy file under it exits 2 (a wrong path in CI must not pass)', (t) => {
  const dir = tempDir(t, 'mistakes');
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'README.md'), '# not policies\n');
  // YAML and JSON that are not policies: still nothing to check.
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'docker-compose.yaml'), 'services:\n  web: { image: nginx }\n');
  writeFileSync(join(dir, 'app', 'package.json'), '{ "name": "app" }\n');
  for (const path of ['empty', 'notes', 'app']) {
    const r = ztp(['check', path], dir);
    assert.equal(r.code, 2, r.stdout);
    assert.equal(oneLine(r.stderr), `ztp: no tenant folder or policy file under ${path}`);
    assert.equal(r.stdout, '');
  }
  // In every format: nothing on stdout to mistake for a clean result.
  const json = ztp(['check', 'empty', '--format', 'json'], dir);
  assert.equal(json.code, 2);
  assert.equal(json.stdout, '');
  // The repository's docs folder, a plausible wrong path.
  const docs = ztp(['check', 'docs/rules']);
  assert.equal(docs.code, 2);
  assert.equal(oneLine(docs.stderr), 'ztp: no tenant folder or policy file under docs/rules');
});

test('check: a tenant folder with no policies is still a tenant and checks normally; so is a folder holding tenants', (t) => {
  const dir = tempDir(t, 'mistakes');
  mkdirSync(join(dir, 'tenants', 'contoso'), { recursive: true });
  writeFileSync(join(dir, 'tenants', 'contoso', 'zerotrust.yaml'), MANIFEST);
  for (const path of ['tenants/contoso', 'tenants']) {
    const r = ztp(['check', path, '--format', 'json'], dir);
    assert.notEqual(r.code, 2, `${path}: ${r.stderr}`);
    assert.ok(Array.isArray(JSON.parse(r.stdout)));
  }
  // A single policy file outside any tenant is checked as before (no-tenant-manifest), not refused.
  const orphan = ztp(['check', join(FIXTURES, 'no-tenant-manifest', 'fires-orphan')]);
  assert.notEqual(orphan.code, 2, orphan.stderr);
  assert.match(orphan.stdout, /no-tenant-manifest/);
});

test('lsp: no transport, or one the server does not offer, exits 2 with one line that says to use --stdio', () => {
  for (const [args, expected] of [
    [[], 'ztp: the language server needs a transport: use ztp lsp --stdio'],
    [['--socket=6009'], 'ztp: --socket is not supported (the server opens no socket or pipe); use ztp lsp --stdio'],
    [['--socket', '6009'], 'ztp: --socket is not supported (the server opens no socket or pipe); use ztp lsp --stdio'],
    [['--pipe=/tmp/ztp.sock'], 'ztp: --pipe is not supported (the server opens no socket or pipe); use ztp lsp --stdio'],
    [['--node-ipc'], 'ztp: --node-ipc needs a Node parent process with an IPC channel; from a shell or an editor, use ztp lsp --stdio'],
  ] as const) {
    const r = ztp(['lsp', ...args], ROOT, '');
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(oneLine(r.stderr), expected);
    assert.equal(r.stdout, '');
  }
  assert.equal(ztp(['lsp', '--help']).code, 0);
});

function lspMessage(o: unknown): string {
  const s = JSON.stringify(o);
  return `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`;
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };
const SHUTDOWN = { jsonrpc: '2.0', id: 2, method: 'shutdown' };
const EXIT = { jsonrpc: '2.0', method: 'exit' };

test('lsp --stdio answers initialize and exits 0 after shutdown', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const answered = new Promise<void>((done) => child.stdout.on('data', (d) => ((stdout += d), /"id":1,"result":\{"capabilities"/.test(stdout) && done())));
  child.stdin.write(lspMessage(INITIALIZE));
  await answered;
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  child.stdin.write(lspMessage(SHUTDOWN) + lspMessage(EXIT));
  assert.equal(await exited, 0, stderr);
});

test('lsp --node-ipc works when a Node parent gives an IPC channel', { timeout: 30_000 }, async () => {
  const child = fork(BIN, ['lsp', '--node-ipc'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const answered = new Promise<Record<string, unknown>>((done) => child.on('message', (m: Record<string, unknown>) => m.id === 1 && done(m)));
  child.send(INITIALIZE);
  const reply = await answered;
  assert.ok((reply.result as { capabilities?: unknown }).capabilities, JSON.stringify(reply));
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  child.send(SHUTDOWN);
  child.send(EXIT);
  assert.equal(await exited, 0, stderr);
});

test('import: a Microsoft365DSC export (a `.ps1` configuration) is named, with what to export instead; beside JSON exports it is listed and they are imported (pubB r27)', (t) => {
  const dir = tempDir(t, 'mistakes-dsc');
  // The head of a real `Export-M365DSCConfiguration` file (Microsoft365DSC 1.26.218.1), two of its resources.
  const dsc = [
    '# Generated with Microsoft365DSC version 1.26.218.1',
    'Configuration arnetbiz_export',
    '{',
    "    Import-DscResource -ModuleName 'Microsoft365DSC' -ModuleVersion '1.26.218.1'",
    '    Node localhost',
    '    {',
    '        IntuneDeviceCompliancePolicyWindows10 "IntuneDeviceCompliancePolicyWindows10-Windows Device Compliance"',
    '        {',
    '            BitLockerEnabled = $False;',
    '            DisplayName      = "Windows Device Compliance";',
    '            Ensure           = "Present";',
    '        }',
    '        AADConditionalAccessPolicy "AADConditionalAccessPolicy-Require MFA"',
    '        {',
    '            DisplayName = "Require MFA";',
    '            State       = "enabled";',
    '        }',
    '    }',
    '}',
    '',
  ].join('\r\n');
  mkdirSync(join(dir, 'dsc-raw'));
  writeFileSync(join(dir, 'dsc-raw', 'M365TenantConfig.ps1'), dsc);
  // Another script beside it is the folder's own: not named.
  writeFileSync(join(dir, 'dsc-raw', 'Connect.ps1'), 'Connect-MgGraph -Scopes DeviceManagementConfiguration.Read.All\n');
  const r = ztp(['import', 'dsc-raw', '--out', 'tenant'], dir);
  assert.equal(r.code, 2, r.stderr);
  const advice = 'ztp import does not read a Microsoft365DSC configuration (PowerShell DSC, not Graph JSON): export the policies with Microsoft Graph (Graph Explorer, the Graph PowerShell SDK with `ConvertTo-Json -Depth 10`) or IntuneManagement, then import that export folder';
  assert.equal(
    r.stderr,
    [
      'ztp import: skipped 1 file that is not one of the policy kinds:',
      `  M365TenantConfig.ps1: a Microsoft365DSC configuration (its Intune and Entra resources: IntuneDeviceCompliancePolicyWindows10, AADConditionalAccessPolicy); ${advice}`,
      `ztp import: nothing to import in dsc-raw: it holds no JSON file, but a Microsoft365DSC configuration (M365TenantConfig.ps1); ${advice}`,
      '',
    ].join('\n'),
  );
  assert.doesNotMatch(r.stderr, /it holds no JSON file;/);
  assert.equal(existsSync(join(dir, 'tenant')), false, 'nothing written');

  // Beside a Graph export: the export is imported, the configuration listed as skipped, as any file skipped is (exit 0).
  writeFileSync(join(dir, 'dsc-raw', 'win.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'Windows Device Compliance', bitLockerEnabled: true, scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }] }));
  const both = ztp(['import', 'dsc-raw', '--out', 'tenant'], dir);
  assert.equal(both.code, 0, both.stderr);
  assert.match(both.stdout, /^imported 1 policy into /);
  assert.match(both.stderr, /\n {2}M365TenantConfig\.ps1: a Microsoft365DSC configuration \(its Intune and Entra resources: IntuneDeviceCompliancePolicyWindows10, AADConditionalAccessPolicy\); ztp import does not read/);
  assert.doesNotMatch(both.stderr, /Connect\.ps1/);
});

test('import: a folder with nothing importable exits 2, writes nothing, and says what import looks for', (t) => {
  const dir = tempDir(t, 'mistakes');
  mkdirSync(join(dir, 'empty'));
  const empty = ztp(['import', 'empty', '--out', 'tenant'], dir);
  assert.equal(empty.code, 2);
  assert.equal(
    oneLine(empty.stderr),
    'ztp import: nothing to import in empty: it holds no JSON file; ztp import reads a Graph export of a policy of one of the kinds (Conditional Access, compliance, configuration, app protection, enrollment, Autopilot, Defender), or a CIPP template holding one, an Entra group export, a MigrationTable.json or a tenant setting (JSON, UTF-8 or UTF-16)',
  );
  assert.doesNotMatch(empty.stdout, /imported 0/);
  assert.equal(existsSync(join(dir, 'tenant')), false, 'nothing written');

  // JSON that is not an export: the skipped files are listed, then the one-line verdict.
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'other', 'package.json'), '{ "name": "x" }');
  writeFileSync(join(dir, 'other', 'tsconfig.json'), '{ "compilerOptions": {} }');
  const other = ztp(['import', 'other', '--out', 'tenant'], dir);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /^ztp import: skipped 2 files that are not one of the policy kinds:\n {2}package\.json: /);
  assert.match(other.stderr.trimEnd().split('\n').pop()!, /^ztp import: nothing to import in other: none of its 2 JSON files is a Graph export of a policy of one of the kinds/);
  assert.equal(existsSync(join(dir, 'tenant')), false, 'nothing written');

  // A group export alone is something to import: the manifest gets its groups.
  mkdirSync(join(dir, 'groups'));
  writeFileSync(join(dir, 'groups', 'g.json'), JSON.stringify({ id: '6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f', displayName: 'grp-all-staff', securityEnabled: true }));
  const groups = ztp(['import', 'groups', '--out', 'tenant'], dir);
  assert.equal(groups.code, 0, groups.stderr);
  assert.match(readFileSync(join(dir, 'tenant', 'zerotrust.yaml'), 'utf8'), /grp-all-staff/);
});

test('file sizes print with a sensible unit: bytes, KB or MB, never "0.0 MB is over the 0.0 MB limit"', () => {
  assert.equal(formatSize(512), '512 bytes');
  assert.equal(formatSize(5000), '4.9 KB');
  assert.equal(formatSize(300 * 1024), '0.3 MB');
  assert.equal(formatSize(50 * 1024 * 1024), '50.0 MB');
  assert.match(tooLargeMessage(50 * 1024 * 1024, 5 * 1024 * 1024), /^file too large: 50\.0 MB is over the 5\.0 MB limit/);
  assert.match(tooLargeMessage(5000, 0.001 * 1024 * 1024), /^file too large: 4\.9 KB is over the 1\.0 KB limit/);
  // Sizes that would print alike are given in bytes.
  assert.match(tooLargeMessage(1050, 0.001 * 1024 * 1024), /^file too large: 1050 bytes is over the 1048 bytes limit/);
  assert.match(tooLargeMessage(700, 100), /^file too large: 700 bytes is over the 100 bytes limit/);
});

test('check --max-file-size 0.001: the finding gives the sizes in KB, exit 1', (t) => {
  const dir = tempDir(t, 'mistakes');
  writeFileSync(join(dir, 'zerotrust.yaml'), MANIFEST);
  writeFileSync(join(dir, 'big.yaml'), `kind: CompliancePolicy\n${'#'.repeat(5000)}\n`);
  const r = ztp(['check', '.', '--max-file-size', '0.001', '--format', 'json'], dir);
  assert.equal(r.code, 1, r.stderr);
  const big = (JSON.parse(r.stdout) as { file: string; message: string }[]).find((f) => f.file === 'big.yaml');
  assert.match(big?.message ?? r.stdout, /file too large: 4\.9 KB is over the 1\.0 KB limit/);
});

test('usage messages say the command once, and the form that was asked for', () => {
  const noOut = ztp(['import', 'test/fixtures-interop/graph-export']);
  assert.equal(noOut.code, 2);
  assert.equal(oneLine(noOut.stderr), 'ztp import: --out is required: the tenant folder to write the policy files to');
  const noSource = ztp(['import']);
  assert.equal(oneLine(noSource.stderr), 'ztp import: name the export folder: ztp import <export-folder> --out <tenant-folder>');
  const exportNoOut = ztp(['export', 'examples/contoso']);
  assert.equal(oneLine(exportNoOut.stderr), 'ztp export: --out is required: the folder to write the request files to');
  for (const r of [noOut, noSource, exportNoOut]) assert.doesNotMatch(r.stderr, /^ztp (import|export): ztp (import|export)/);
  const lockout = ztp(['whatif', '--lockout']);
  assert.equal(lockout.code, 2);
  assert.equal(oneLine(lockout.stderr), 'ztp: name the tenant folder: ztp whatif --lockout <tenant>');
  const sign = ztp(['whatif', '--user', 'a@b.c']);
  assert.equal(oneLine(sign.stderr), 'ztp: name the tenant folder: ztp whatif <tenant> --user … --platform …');
});

test('whatif --lockout with an option of one sign-in (audit r26: --platform beos --device-compliant, --user … --guest) is a usage error naming it, exit 2, before any file is read; --format and --max-file-size it takes', () => {
  const tenant = 'test/fixtures-whatif/lockout';
  const device = ztp(['whatif', tenant, '--lockout', '--platform', 'beos', '--device-compliant']);
  assert.equal(device.code, 2, device.stdout + device.stderr);
  assert.equal(device.stdout, '');
  assert.match(oneLine(device.stderr), /^ztp: --platform, --device-compliant describe one sign-in, and --lockout signs in as every break-glass account and group sample on every platform itself: drop them, or drop --lockout/);
  const guest = ztp(['whatif', tenant, '--lockout', '--user', 'nobody@nowhere', '--guest']);
  assert.equal(guest.code, 2);
  assert.match(oneLine(guest.stderr), /^ztp: --user, --guest describe one sign-in/);
  for (const option of [['--role', 'Global Administrator'], ['--guest-type', 'internalGuest'], ['--guest-tenant', '11111111-2222-3333-4444-555555555555'], ['--app', 'Office365'], ['--client-app', 'browser'], ['--location', 'trusted'], ['--risk', 'high'], ['--user-risk', 'high'], ['--insider-risk', 'elevated'], ['--app-protected'], ['--hybrid-joined']]) {
    const r = ztp(['whatif', '--lockout', tenant, ...option]);
    assert.equal(r.code, 2, option.join(' '));
    assert.match(oneLine(r.stderr), new RegExp(`^ztp: ${option[0]} describes one sign-in, .*drop it, or drop --lockout`), option.join(' '));
  }
  // The options it does read still run it: the fixture's lockout is found (exit 1).
  const ok = ztp(['whatif', '--lockout', tenant, '--format', 'json', '--max-file-size', '5']);
  assert.equal(ok.code, 1, ok.stderr);
  assert.equal(ok.stderr, '');
});

test('export refuses a non-empty --out without --force, as import does; with --force it writes', (t) => {
  const dir = tempDir(t, 'mistakes');
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'keep.txt'), 'mine');
  const r = ztp(['export', 'examples/contoso', '--out', out]);
  assert.equal(r.code, 2);
  assert.equal(oneLine(r.stderr), `ztp export: ${out} is not empty; nothing written (use --force to write into it)`);
  assert.deepEqual(readdirSync(out), ['keep.txt']);
  const forced = ztp(['export', 'examples/contoso', '--out', out, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /^exported 25 policies/);
  assert.equal(readFileSync(join(out, 'keep.txt'), 'utf8'), 'mine');
  assert.ok(existsSync(join(out, 'win-compliance-baseline.json')));
  // An empty or missing --out needs no --force.
  mkdirSync(join(dir, 'empty'));
  assert.equal(ztp(['export', 'examples/contoso', '--out', join(dir, 'empty')]).code, 0);
  assert.equal(ztp(['export', 'examples/contoso', '--out', join(dir, 'new')]).code, 0);
});

test('--fix on a tenant outside the current folder prints absolute paths, not ../../x/…', (t) => {
  const dir = tempDir(t, 'mistakes');
  const tenant = join(dir, 'elsewhere', 'tenant');
  cpSync(join(FIXTURES, 'compliance-missing-block-action', 'fires-no-scheduled-actions'), tenant, { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('_fixed') });
  mkdirSync(join(dir, 'work'));
  const r = ztp(['check', '--fix', tenant], join(dir, 'work'));
  const fixed = r.stdout.split('\n').filter((l) => l.startsWith('fixed: '));
  assert.ok(fixed.length > 0, r.stdout + r.stderr);
  for (const line of fixed) {
    assert.doesNotMatch(line, /\.\.\//, line);
    assert.match(line, new RegExp(`\\(${tenant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`), line);
  }
  // Inside the current folder, paths stay relative.
  const inside = tempDir(t, 'mistakes');
  cpSync(join(FIXTURES, 'compliance-missing-block-action', 'fires-no-scheduled-actions'), join(inside, 't'), { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('_fixed') });
  assert.match(ztp(['check', '--fix', 't'], inside).stdout, /^fixed: .*\(t\/compliance\//m);
});

test('ztp with no command: the help on stdout, one line on stderr, exit 2 (a usage problem)', () => {
  const r = ztp([]);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /ztp check/);
  assert.equal(r.stderr, 'ztp: no command given; see the commands above, or ztp --help\n');
  const help = ztp(['--help']);
  assert.equal(help.code, 0);
  assert.equal(help.stderr, '');
});

test('a file named on the command line that is not YAML or JSON is a usage error, not a file to parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-notpolicy-'));
  writeFileSync(join(dir, 'README.md'), '# Notes\n- a: b: c\n');
  const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'ztp.js'), 'check', join(dir, 'README.md'), '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /README\.md is not a policy file: only \.yaml, \.yml and \.json files are checked/);
  rmSync(dir, { recursive: true, force: true });
});

test('check: outside any tenant, a folder scan reports a policy file that does not parse (as naming it does), and leaves alone what holds no policy', (t) => {
  const dir = tempDir(t, 'mistakes');
  mkdirSync(join(dir, 'policies'));
  // A compliance policy with a trailing comma (strict JSON), beside a valid one.
  writeFileSync(join(dir, 'policies', 'win-compliance.json'), '{\n  "kind": "CompliancePolicy",\n  "name": "win",\n  "spec": {\n    "@odata.type": "#microsoft.graph.windows10CompliancePolicy",\n    "displayName": "Win",\n  }\n}\n');
  writeFileSync(join(dir, 'policies', 'lim.yaml'), 'kind: EnrollmentRestriction\nname: lim\nspec:\n  "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration"\n  limit: 5\n');
  const both = ztp(['check', 'policies', '--format', 'json'], dir);
  assert.equal(both.code, 1, both.stdout + both.stderr);
  const found = (JSON.parse(both.stdout) as { file: string; code: string; range: { start: { line: number } } }[]).map((f) => `${f.file} ${f.code} ${f.range.start.line}`);
  assert.deepEqual(found.sort(), ['policies/lim.yaml no-tenant-manifest 0', 'policies/win-compliance.json yaml-syntax 5']);
  // Alone in its folder, and on more than one thread: the same error, not "no tenant folder or policy file".
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'broken', 'a.yaml'), 'kind: CompliancePolicy\nname: a\nspec:\n  platforms: [windows, iOS\n');
  for (const jobs of ['1', '2']) {
    const alone = ztp(['check', 'broken', '--format', 'json', '--jobs', jobs], dir);
    assert.equal(alone.code, 1, alone.stdout + alone.stderr);
    assert.deepEqual((JSON.parse(alone.stdout) as { code: string }[]).map((f) => f.code), ['yaml-syntax']);
  }
  // Broken YAML that holds no policy (no kind, no policy keys), or another tool's kind: still nothing to check.
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'other', 'notes.yaml'), 'todo: [one, two\nlater: 3\n');
  writeFileSync(join(dir, 'other', 'kustomization.yaml'), 'kind: Kustomization\nresources: [a, b\n');
  const other = ztp(['check', 'other'], dir);
  assert.equal(other.code, 2, other.stdout);
  assert.equal(oneLine(other.stderr), 'ztp: no tenant folder or policy file under other');
});

const WIN_COMPLIANCE = 'kind: CompliancePolicy\nname: win\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: Win\n';

test('check: a folder named inside a tenant that its scan skips (a dot-folder, node_modules, a symbolic link) or that holds nothing exits 2 and says why', { skip: process.platform === 'win32' ? 'symbolic links need privileges' : false }, (t) => {
  const dir = tempDir(t, 'mistakes');
  mkdirSync(join(dir, 'tenant', '.drafts'), { recursive: true });
  mkdirSync(join(dir, 'tenant', 'node_modules', 'pkg'), { recursive: true });
  mkdirSync(join(dir, 'tenant', 'empty'));
  mkdirSync(join(dir, 'shared'));
  writeFileSync(join(dir, 'tenant', 'zerotrust.yaml'), MANIFEST);
  // A broken draft: naming the folder must not pass it with nothing checked.
  writeFileSync(join(dir, 'tenant', '.drafts', 'draft.json'), '{ "kind": "CompliancePolicy", }\n');
  writeFileSync(join(dir, 'tenant', 'node_modules', 'pkg', 'win.yaml'), WIN_COMPLIANCE);
  writeFileSync(join(dir, 'shared', 'win.yaml'), WIN_COMPLIANCE);
  symlinkSync(join(dir, 'shared'), join(dir, 'tenant', 'baseline'));
  for (const [path, reason] of [
    ['tenant/.drafts', 'nothing to check under tenant/.drafts: the scan of its tenant (tenant) skips dot-folders and node_modules, and .drafts is one; name a file in it to check that file'],
    ['tenant/node_modules/pkg', 'nothing to check under tenant/node_modules/pkg: the scan of its tenant (tenant) skips dot-folders and node_modules, and node_modules is one; name a file in it to check that file'],
    ['tenant/baseline', 'nothing to check under tenant/baseline: baseline is a symbolic link, and the scan does not follow links (SECURITY.md); name the folder it points to, or a file in it'],
    ['tenant/empty', 'no tenant folder or policy file under tenant/empty'],
  ]) {
    const r = ztp(['check', path!, '--format', 'json'], dir);
    assert.equal(r.code, 2, `${path}: ${r.stdout}`);
    assert.equal(r.stdout, '');
    assert.equal(oneLine(r.stderr), `ztp: ${reason}`);
  }
  // A file named in a skipped folder is checked, as before.
  const draft = ztp(['check', 'tenant/.drafts/draft.json', '--format', 'json'], dir);
  assert.equal(draft.code, 1, draft.stderr);
  assert.match(draft.stdout, /yaml-syntax/);
});

test('check: a symbolic link met in a scan is not followed, and is said on stderr (one note per link to a folder or policy file); the JSON stays the contract\'s', { skip: process.platform === 'win32' ? 'symbolic links need privileges' : false }, (t) => {
  const dir = tempDir(t, 'mistakes');
  mkdirSync(join(dir, 'customers', 'a'), { recursive: true });
  mkdirSync(join(dir, 'shared'));
  writeFileSync(join(dir, 'customers', 'a', 'zerotrust.yaml'), MANIFEST);
  writeFileSync(join(dir, 'shared', 'win.yaml'), WIN_COMPLIANCE);
  writeFileSync(join(dir, 'shared', 'README.md'), '# shared\n');
  symlinkSync(join(dir, 'shared'), join(dir, 'customers', 'a', 'baseline'));
  symlinkSync(join(dir, 'shared', 'win.yaml'), join(dir, 'customers', 'a', 'win-link.yaml'));
  // Not said: a link to a file that is no policy file, and a dangling link.
  symlinkSync(join(dir, 'shared', 'README.md'), join(dir, 'customers', 'a', 'README.md'));
  symlinkSync(join(dir, 'nowhere'), join(dir, 'customers', 'a', 'gone'));
  for (const jobs of ['1', '2']) {
    const r = ztp(['check', 'customers', '--format', 'json', '--jobs', jobs], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      'ztp: customers/a/baseline: skipped: a symbolic link to a folder; the scan does not follow links (SECURITY.md), so nothing behind it is checked or counted here',
      'ztp: customers/a/win-link.yaml: skipped: a symbolic link to a file; the scan does not follow links (SECURITY.md), so it is not checked or counted here',
    ]);
    const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.ok(findings.every((f) => Object.keys(f).join() === 'file,range,severity,code,message,layer' || Object.keys(f).join() === 'file,range,severity,code,message'));
    assert.ok(!findings.some((f) => String(f.file).includes('baseline') || String(f.file).includes('win-link')), 'nothing behind a link is read');
  }
});

test('check: a manifest under another name (zerotrust.yml, zerotrust.json, ZeroTrust.yaml) opens no tenant, and the findings say which name does', (t) => {
  const dir = tempDir(t, 'mistakes');
  const lim = 'kind: EnrollmentRestriction\nname: lim\nspec:\n  "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration"\n  limit: 5\n';
  for (const name of ['zerotrust.yml', 'zerotrust.json', 'ZeroTrust.yaml']) {
    const folder = name.replace('.', '-');
    mkdirSync(join(dir, folder, 'policies'), { recursive: true });
    writeFileSync(join(dir, folder, name), name.endsWith('.json') ? '{ "kind": "Tenant", "name": "t", "licenses": ["M365_E5"] }\n' : MANIFEST);
    writeFileSync(join(dir, folder, 'policies', 'lim.yaml'), lim);
    for (const jobs of ['1', '2']) {
      const r = ztp(['check', folder, '--format', 'json', '--jobs', jobs], dir);
      assert.equal(r.code, 0, r.stderr);
      const found = JSON.parse(r.stdout) as { file: string; code: string; message: string }[];
      assert.deepEqual(found.map((f) => `${f.file} ${f.code}`), [`${folder}/policies/lim.yaml no-tenant-manifest`]);
      assert.equal(found[0]!.message, `this policy file is in no tenant folder, so only its schema is checked: found \`../${name}\`, but the manifest must be named \`zerotrust.yaml\`; rename it to turn on the cross-file checks`);
    }
  }
  // The look-alike alone: the usage error names it.
  mkdirSync(join(dir, 'alone'));
  writeFileSync(join(dir, 'alone', 'zerotrust.yml'), MANIFEST);
  const alone = ztp(['check', 'alone'], dir);
  assert.equal(alone.code, 2);
  assert.equal(oneLine(alone.stderr), 'ztp: no tenant folder or policy file under alone (found zerotrust.yml, but the manifest must be named zerotrust.yaml)');
  // Inside a tenant, such a file is an unknown kind that says the same.
  mkdirSync(join(dir, 'tenant', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'tenant', 'zerotrust.yaml'), MANIFEST);
  writeFileSync(join(dir, 'tenant', 'sub', 'zerotrust.yml'), MANIFEST);
  const inner = (JSON.parse(ztp(['check', 'tenant', '--format', 'json'], dir).stdout) as { file: string; code: string; message: string }[]).find((f) => f.file === 'tenant/sub/zerotrust.yml');
  assert.equal(inner?.code, 'unknown-kind');
  assert.match(inner!.message, /^`Tenant` is the manifest's kind, and the manifest must be named `zerotrust\.yaml` \(this file is `zerotrust\.yml`\): rename it/);
});

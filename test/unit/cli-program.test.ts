/**
 * Issue #14: the CLI is one program. Every command reads through `io.fs` (so faults reach them all), `--fix` feeds
 * what it wrote to the service instead of reading the tenant again, export takes duplicate names from the rule, and
 * one argument reader serves every command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../harness/fixtures';
import { runInProcess, tempDir, type CliRun } from '../harness/cli';
import { readArgs, UsageError } from '../../server/src/cli/args';
import type { PolicyFileSystem } from '../../server/src/core/index';
import { nodeFileSystemSync } from '../../server/src/host/node-fs';

const ROOT = join(__dirname, '..', '..');

function run(argv: string[], cwd: string, fs?: PolicyFileSystem): Promise<CliRun> {
  return runInProcess(argv, { cwd, env: { NO_COLOR: '1' }, fs });
}

/** The disk, except that `locked` cannot be read (EACCES), as root cannot arrange on a real disk. */
function lockedDisk(locked: (path: string) => boolean): PolicyFileSystem {
  return {
    ...nodeFileSystemSync,
    readFile: async (p, max) => {
      if (locked(p)) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
      return nodeFileSystemSync.readFile(p, max);
    },
  };
}

test('whatif, report and export read through io.fs: a file that cannot be read is said, exit 2', async (t) => {
  const dir = tempDir(t, 'program');
  const tenant = join(dir, 'ms');
  cpSync(join(ROOT, 'test', 'fixtures-whatif', 'ms-examples'), tenant, { recursive: true });
  const fs = lockedDisk((p) => p.endsWith('/ca-block-legacy-auth.yaml'));
  const line = 'ztp: ms/conditional-access/ca-block-legacy-auth.yaml: cannot read the file (EACCES: permission denied)\n';
  const whatif = await run(['whatif', 'ms', '--user', 'grp-all-staff', '--platform', 'windows'], dir, fs);
  assert.equal(whatif.code, 2);
  assert.equal(whatif.stderr, line);
  const report = await run(['report', 'ms'], dir, fs);
  assert.equal(report.code, 2);
  assert.equal(report.stderr, line);
  const exported = await run(['export', 'ms', '--out', 'out'], dir, fs);
  assert.equal(exported.code, 2);
  assert.equal(exported.stderr, line);
  assert.equal(existsSync(join(dir, 'out')), false, 'an incomplete tenant is not exported');
});

test('import reads the export folder through io.fs: a file that cannot be read stops it before anything is written', async (t) => {
  const dir = tempDir(t, 'program');
  const fs = lockedDisk((p) => p.endsWith('/MigrationTable.json'));
  const r = await run(['import', join(ROOT, 'test', 'fixtures-interop', 'graph-export'), '--out', 'tenant'], dir, fs);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `ztp import: ${join(ROOT, 'test', 'fixtures-interop', 'graph-export', 'MigrationTable.json')}: cannot read the file (EACCES: permission denied)\n`);
  assert.equal(existsSync(join(dir, 'tenant')), false);
});

test('--fix reads each file once: what it writes goes to the service, and the next pass re-analyses from there', async (t) => {
  const dir = tempDir(t, 'program');
  cpSync(join(FIXTURES, 'ca-requires-compliance-policy', 'fires-missing-android'), join(dir, 't'), { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('_fixed') });
  const reads = new Map<string, number>();
  const counting: PolicyFileSystem = { ...nodeFileSystemSync, readFile: (p, max) => (reads.set(p, (reads.get(p) ?? 0) + 1), nodeFileSystemSync.readFile(p, max)) };
  const r = await run(['check', '--fix', 't'], dir, counting);
  assert.ok((r.stdout.match(/^fixed: /gm) ?? []).length >= 2, r.stdout);
  assert.ok(reads.size >= 3, `${reads.size} files read`);
  assert.deepEqual([...reads].filter(([, n]) => n > 1), [], 'no file read twice');
  // The result is what a fresh check of the fixed files says.
  const again = await run(['check', 't', '--format', 'json'], dir);
  const after = await run(['check', 't', '--format', 'json'], dir);
  assert.equal(again.stdout, after.stdout);
  const fixedFindings = r.stdout.split('\n').filter((l) => /^t\//.test(l)).length;
  assert.equal(fixedFindings, (JSON.parse(again.stdout) as unknown[]).length, r.stdout);
});

test('export: two policies with one name stop it (the duplicate-name rule decides), nothing written', async (t) => {
  const dir = tempDir(t, 'program');
  writeFileSync(join(dir, 'zerotrust.yaml'), 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n');
  const policy = 'kind: CompliancePolicy\nname: win\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: x\n';
  writeFileSync(join(dir, 'a.yaml'), policy);
  writeFileSync(join(dir, 'b.yaml'), policy);
  const r = await run(['export', '.', '--out', 'out'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /nothing written; 2 problems to fix first:\n {2}a\.yaml: the name `win` is also used by b\.yaml; names must be unique in the tenant\n {2}b\.yaml: the name `win` is also used by a\.yaml/);
  assert.equal(existsSync(join(dir, 'out')), false);
  // Renamed: both are written.
  writeFileSync(join(dir, 'b.yaml'), policy.replace('name: win', 'name: win-2'));
  const ok = await run(['export', '.', '--out', 'out'], dir);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(existsSync(join(dir, 'out', 'win.json')) && existsSync(join(dir, 'out', 'win-2.json')));
});

test('export: user principal names are said once, from the structured list, and stay in each file\'s notes', async (t) => {
  const dir = tempDir(t, 'program');
  const r = await run(['export', join(ROOT, 'examples', 'contoso'), '--out', 'out'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.stderr.match(/is a user principal name/g) ?? []).length, 0, r.stderr);
  assert.equal((r.stderr.match(/user principal names stay in Conditional Access users/g) ?? []).length, 1);
  const ca = JSON.parse(readFileSync(join(dir, 'out', 'ca-all-users-require-compliant-device.json'), 'utf8')) as { notes: string[] };
  assert.ok(ca.notes.some((n) => /`bg-admin1@contoso\.com` is a user principal name/.test(n)), ca.notes.join('\n'));
});

test('one argument reader: --name value, --name=value, repeats, aliases, -- and one kind of usage error', () => {
  const a = readArgs(['x', '--out=o', '--rule', 'a=off', '--rule=b=error', '--fix', '-o', 'p', '--', '--not-an-option'], { values: ['--out', '--rule'], flags: ['--fix'], aliases: { '-o': '--out' } }, 'check');
  assert.deepEqual(a.positionals, ['x', '--not-an-option']);
  assert.deepEqual(a.values.get('--out'), ['o', 'p']);
  assert.deepEqual(a.values.get('--rule'), ['a=off', 'b=error']);
  assert.ok(a.flags.has('--fix'));
  assert.deepEqual(readArgs(['-'], {}, 'check').positionals, ['-'], '- alone is a path');
  assert.throws(() => readArgs(['--out'], { values: ['--out'] }, 'import'), (e: Error) => e instanceof UsageError && e.message === '--out needs a value');
  assert.throws(() => readArgs(['--out', '--force'], { values: ['--out'], flags: ['--force'] }, 'import'), /--out needs a value/);
  assert.throws(() => readArgs(['--fix=yes'], { flags: ['--fix'] }, 'check'), /unknown option '--fix=yes'; see ztp check --help/);
  assert.throws(() => readArgs(['--nope'], {}, 'export'), /unknown option '--nope'; see ztp export --help/);
});

test('every command answers --help with its own help, exit 0; an unknown command is one line, exit 2', async () => {
  for (const [cmd, first] of [
    ['check', /^ztp \d+\.\d+\.\d+ — /],
    ['whatif', /^Usage:\n {2}ztp whatif <tenant>/],
    ['report', /^Usage:\n {2}ztp report <tenant>/],
    ['import', /^ztp import <export-folder> --out <tenant-folder>/],
    ['export', /^ztp export <tenant-folder> --out <folder>/],
    ['lsp', /^ztp lsp --stdio/],
  ] as const) {
    const r = await run([cmd, '--help'], ROOT);
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, first, cmd);
  }
  const unknown = await run(['frobnicate'], ROOT);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, "ztp: unknown command 'frobnicate'; see ztp --help\n");
  // In-process there is no server to start: said, not silently skipped.
  const lsp = await run(['lsp', '--stdio'], ROOT);
  assert.equal(lsp.code, 2);
  assert.match(lsp.stderr, /^ztp: the language server runs only from the ztp command; use ztp lsp --stdio\n$/);
});

test('a tenant whose manifest cannot be read is still a tenant: its files are not "in no tenant folder", exit 2', async (t) => {
  const dir = tempDir(t, 'program');
  cpSync(join(ROOT, 'examples', 'contoso'), join(dir, 'contoso'), { recursive: true });
  const fs = lockedDisk((p) => p.endsWith('/contoso/zerotrust.yaml'));
  const r = await run(['check', 'contoso', '--format', 'json'], dir, fs);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'ztp: contoso/zerotrust.yaml: cannot read the file (EACCES: permission denied)\n');
  const codes = (JSON.parse(r.stdout) as { code: string; file: string }[]).map((f) => f.code);
  assert.ok(!codes.includes('no-tenant-manifest'), codes.join(', '));
  assert.ok(codes.includes('app-protection-weak'), 'the per-file checks still run');
});

test('an unreadable policy file and an unreadable manifest are reported alike: stderr, exit 2, and one finding on the file that says what waits for it', async (t) => {
  const dir = tempDir(t, 'program');
  cpSync(join(ROOT, 'examples', 'contoso'), join(dir, 'contoso'), { recursive: true });
  type Out = { file: string; code: string; message: string; range: { start: { line: number; character: number } } };
  // A policy file: before, only the stderr line (and the tenant's checks took the file's policy to be missing).
  const policy = await run(['check', 'contoso', '--format', 'json'], dir, lockedDisk((p) => p.endsWith('/win-compliance-baseline.yaml')));
  assert.equal(policy.code, 2);
  assert.equal(policy.stderr, 'ztp: contoso/compliance/win-compliance-baseline.yaml: cannot read the file (EACCES: permission denied)\n');
  const onPolicy = (JSON.parse(policy.stdout) as Out[]).filter((f) => f.file === 'contoso/compliance/win-compliance-baseline.yaml');
  assert.deepEqual(onPolicy.map((f) => [f.code, f.message, f.range.start]), [
    ['yaml-syntax', 'the file cannot be read (EACCES: permission denied); it is not analysed. Until it can be read, the checks that look across the tenant for a policy of any kind say nothing: the file may hold one', { line: 0, character: 0 }],
  ]);
  // The manifest: no "YAML syntax", and nothing about a policy it may hold.
  const manifest = await run(['check', 'contoso', '--format', 'json'], dir, lockedDisk((p) => p.endsWith('/contoso/zerotrust.yaml')));
  assert.equal(manifest.code, 2);
  const onManifest = (JSON.parse(manifest.stdout) as Out[]).filter((f) => f.file === 'contoso/zerotrust.yaml');
  assert.deepEqual(onManifest.map((f) => [f.code, f.message]), [
    ['yaml-syntax', 'the file cannot be read (EACCES: permission denied); it is not analysed. Until it can be read, the checks that need the manifest say nothing'],
  ]);
});

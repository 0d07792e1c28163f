/**
 * Static security checks (SECURITY.md): the extension supports untrusted workspaces and no setting can make it run
 * anything; the bundled packages' licences are allowed (scripts/check-licenses.mjs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWriteTarget, writeAll } from '../../server/src/host/confined-write';
import { nameFromBytes, pathBytes } from '../../server/src/host/fs-names';
import { SERVER_EXEC_ARGV } from '../../server/src/protocol';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { type?: string | string[]; enum?: unknown[]; items?: { type?: string } }> } };
};

test('the extension declares full support for untrusted workspaces (Restricted Mode), restricting no setting', () => {
  const u = pkg.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, true);
  assert.deepEqual(u.restrictedConfigurations ?? [], []);
});

test('no setting names a path, a command or anything else the extension could run', () => {
  const properties = pkg.contributes.configuration.properties;
  assert.ok(Object.keys(properties).length > 5);
  for (const [key, p] of Object.entries(properties)) {
    // Each word of the key (`zeroTrust.rules.ca-security-info-…` holds "uri" inside "security", which is no URI).
    for (const word of key.split(/[.-]/)) assert.doesNotMatch(word, /path|command|executable|program|runtime|binary|^bin$|args|argv|cwd|^env$|shell|script|node|java|python|^url$|^uri$/i, key);
    // Only closed choices, numbers, booleans, and lists of glob patterns (zeroTrust.exclude): no free text that could
    // hold a path or a command line.
    if (p.type === 'string') assert.ok(Array.isArray(p.enum) && p.enum.length > 0, `${key}: a free-text string setting`);
    else if (p.type === 'array') assert.equal(key, 'zeroTrust.exclude', `${key}: a list setting`);
    else assert.ok(p.type === 'number' || p.type === 'boolean', `${key}: type ${String(p.type)}`);
  }
});

test('the client starts only its own bundled server and reads only the analysis settings', () => {
  const lc = readFileSync(join(ROOT, 'client', 'src', 'language-client.ts'), 'utf8');
  // The server module is the bundled dist/server.js, never a path from settings or the workspace.
  assert.match(lc, /const module = context\.asAbsolutePath\(path\.join\('dist', 'server\.js'\)\);/);
  assert.match(lc, /run: \{ module, transport: TransportKind\.ipc, options: \{ execArgv: SERVER_EXEC_ARGV \} \}/);
  // Node options that size the heap, nothing that loads or runs code (--require, --import, --inspect, --eval…).
  for (const option of SERVER_EXEC_ARGV) assert.match(option, /^--max-semi-space-size=\d+$/);
  assert.equal([...lc.matchAll(/\bmodule\b(?!,)/g)].length, 1, 'module is set once, and used as is');
  const reads = [...lc.matchAll(/config\.get<[^>]*>\('([^']+)'\)/g)].map((m) => m[1]).sort();
  assert.deepEqual(reads, ['exclude', 'maxFileSizeMB', 'rules']);
  // Nothing else in the client reads settings, starts processes or terminals, or runs tasks.
  for (const f of readdirSync(join(ROOT, 'client', 'src'))) {
    const text = readFileSync(join(ROOT, 'client', 'src', f), 'utf8');
    if (f !== 'language-client.ts') assert.doesNotMatch(text, /getConfiguration/, f);
    assert.doesNotMatch(text, /child_process|createTerminal|ShellExecution|ProcessExecution|executeTask|\beval\s*\(|new Function/, f);
  }
});

test('the bundled packages (the only third-party code that ships) have allowed licences (scripts/check-licenses.mjs)', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-licenses.mjs'), '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; license: string; ok: boolean; exception: boolean }[];
  const names = rows.map((x) => x.name);
  for (const dep of ['ajv', 'yaml', 'vscode-languageserver', 'vscode-languageclient']) assert.ok(names.includes(dep), dep);
  assert.ok(rows.every((x) => x.ok));
  assert.deepEqual(rows.filter((x) => x.exception).map((x) => `${x.name} ${x.license}`), ['minimatch BlueOak-1.0.0']);
  assert.ok(!names.includes('fast-check') && !names.includes('typescript') && !names.includes('esbuild'), 'build and test tools are not bundled, so not counted');
});

// ---------------------------------------------------------------------------------------------------------------
// Write confinement (server/src/host/confined-write.ts): the guarantees SECURITY.md states for export, --fix,
// quick fixes and import rest on these two functions.

test('checkWriteTarget: inside the folder only, links resolved, no file overwritten, no dangling link followed', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-confine-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'tenant');
  const outside = join(dir, 'outside');
  mkdirSync(join(root, 'compliance'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'compliance', 'a.yaml'), 'x');
  writeFileSync(join(outside, 'o.yaml'), 'x');
  symlinkSync(outside, join(root, 'linked'));
  symlinkSync(join(outside, 'o.yaml'), join(root, 'file-link.yaml'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
  const create = (p: string) => checkWriteTarget(join(root, p), root, { mode: 'create', writable: true });
  const replace = (p: string) => checkWriteTarget(join(root, p), root, { mode: 'replace', writable: true });
  assert.deepEqual(create('compliance/new.yaml'), { ok: true, real: join(realpathSync(root), 'compliance', 'new.yaml').replace(/\\/g, '/'), missingDirs: [] });
  const deep = create('a/b/c.yaml');
  assert.ok(deep.ok && deep.missingDirs.length === 2, JSON.stringify(deep));
  assert.match(JSON.stringify(create('compliance/a.yaml')), /already exists/);
  assert.ok(replace('compliance/a.yaml').ok);
  assert.match(JSON.stringify(create('linked/x.yaml')), /outside/);
  assert.match(JSON.stringify(replace('file-link.yaml')), /outside/);
  assert.match(JSON.stringify(create('dangling/x.yaml')), /symbolic link to something that does not exist/);
  assert.match(JSON.stringify(create('compliance/a.yaml/x.yaml')), /not a folder/);
  assert.match(JSON.stringify(checkWriteTarget(join(root, '..', 'outside', 'x.yaml'), root, { mode: 'create' })), /outside/);
  assert.match(JSON.stringify(checkWriteTarget(outside, root, { mode: 'create' })), /outside/);
});

test('writeAll: all or nothing: a failure part-way undoes every write already made', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-confine-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.yaml'), 'before');
  const real = (p: string) => join(realpathSync(dir), p).replace(/\\/g, '/');
  const outcome = writeAll([
    { path: 'a.yaml', real: real('a.yaml'), content: 'after', mode: 'replace', missingDirs: [] },
    { path: 'n/new.yaml', real: real('n/new.yaml'), content: 'new', mode: 'create', missingDirs: [real('n')] },
    // Fails: its folder does not exist and is not planned.
    { path: 'missing/x.yaml', real: real('missing/x.yaml'), content: 'x', mode: 'create', missingDirs: [] },
  ]);
  assert.equal(outcome.failure?.path, 'missing/x.yaml');
  assert.deepEqual(outcome.written, []);
  assert.deepEqual(outcome.notUndone, []);
  assert.equal(readFileSync(join(dir, 'a.yaml'), 'utf8'), 'before');
  assert.ok(!existsSync(join(dir, 'n')));
  // And a create never goes over a file, even one that appeared after the check.
  const again = writeAll([{ path: 'a.yaml', real: real('a.yaml'), content: 'x', mode: 'create', missingDirs: [] }]);
  assert.match(String(again.failure?.reason), /EEXIST/);
  assert.equal(readFileSync(join(dir, 'a.yaml'), 'utf8'), 'before');
  // An overwrite replaces a link rather than writing through it.
  writeFileSync(join(dir, 'victim'), 'keep');
  symlinkSync(join(dir, 'victim'), join(dir, 'out.json'));
  assert.deepEqual(writeAll([{ path: 'out.json', real: real('out.json'), content: '{}', mode: 'overwrite', missingDirs: [] }]).written, ['out.json']);
  assert.equal(readFileSync(join(dir, 'victim'), 'utf8'), 'keep');
  assert.ok(!lstatSync(join(dir, 'out.json')).isSymbolicLink());
});

test('file names that are not UTF-8 round-trip through strings (surrogate escapes)', () => {
  const bytes = Buffer.from([0x69, 0x6e, 0x76, 0xff, 0xc3, 0xa9, 0xe2, 0x82, 0x2e, 0x79]);
  const name = nameFromBytes(bytes);
  assert.equal(name, 'inv\udcffé\udce2\udc82.y');
  assert.deepEqual(pathBytes(name), bytes);
  assert.equal(nameFromBytes(Buffer.from('plain-€.yaml')), 'plain-€.yaml');
});

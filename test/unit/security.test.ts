/**
 * Static security checks (SECURITY.md): the extension supports untrusted workspaces and no setting can make it run
 * anything; the production dependencies' licences are allowed (scripts/check-licenses.mjs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
    assert.doesNotMatch(key, /path|command|executable|program|runtime|binary|\bbin\b|args|argv|cwd|env|shell|script|node|java|python|url|uri/i, key);
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
  assert.match(lc, /run: \{ module, transport: TransportKind\.ipc \}/);
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

test('the production dependencies have allowed licences (scripts/check-licenses.mjs)', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-licenses.mjs'), '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; license: string; ok: boolean; exception: boolean }[];
  const names = rows.map((x) => x.name);
  for (const dep of ['ajv', 'yaml', 'vscode-languageserver', 'vscode-languageclient']) assert.ok(names.includes(dep), dep);
  assert.ok(rows.every((x) => x.ok));
  assert.deepEqual(rows.filter((x) => x.exception).map((x) => `${x.name} ${x.license}`), ['minimatch BlueOak-1.0.0']);
  assert.ok(!names.includes('fast-check') && !names.includes('typescript'), 'dev dependencies are not counted');
});

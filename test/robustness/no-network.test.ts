/**
 * No network, anywhere: with every socket, DNS and HTTP entry point replaced by a guard (network-guard.cjs), the
 * core analyses every fixture and answers hovers, completions and definitions; the CLI checks the fixtures in text,
 * JSON and SARIF and applies fixes (in-process, and as the built bundle); and the language server, started with the
 * guard preloaded, goes through initialize, diagnostics, hover, completion, code actions and shutdown. The preload
 * also refuses starting a process, so the bundles are shown to run no child_process either; `ztp diff --base`, which
 * runs git (host/git-tree.ts), is the one exception, and the test shows the guard stops it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as net from 'node:net';
import * as dns from 'node:dns';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  ShutdownRequest,
  type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { FIXTURES, fixtureCases, runFixture } from '../harness/fixtures';
import { LspClient, uri } from '../harness/lsp-client';
import { RULES } from '../../server/src/core/rules/index';
import { hover } from '../../server/src/core/features/hover';
import { complete } from '../../server/src/core/features/completion';
import { definition, references, documentSymbols } from '../../server/src/core/features/navigation';
import { main } from '../../server/src/cli/main';
import { ServerInfoRequest } from '../../server/src/protocol';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { install } = require('./network-guard.cjs') as { install: (onViolation: (what: string) => void) => () => void };
const PRELOAD = join(__dirname, 'network-guard-preload.cjs');
const ROOT = join(__dirname, '..', '..');

const violations: string[] = [];
const uninstall = install((what) => violations.push(what));
after(uninstall);

test('the guard catches network use (control)', async () => {
  const before = violations.length;
  assert.throws(() => net.connect(9, '127.0.0.1'), /refused by the test guard/);
  assert.throws(() => dns.lookup('example.com', () => undefined), /refused by the test guard/);
  await assert.rejects(async () => fetch('http://127.0.0.1:9/'), /refused by the test guard/);
  assert.deepEqual(violations.splice(before), ['net.connect', 'dns.lookup', 'fetch']);
});

test('the core analyses every fixture and answers editor requests without the network', async () => {
  let files = 0;
  for (const rule of RULES) {
    for (const dir of fixtureCases(rule.id)) {
      const { service } = await runFixture(dir);
      for (const path of service.paths()) {
        files++;
        const text = service.get(path)!.parsed.text;
        for (const offset of [0, text.indexOf('kind') + 2, text.indexOf('grp-') + 2, text.length >> 1, text.length]) {
          hover(service, path, Math.max(0, offset));
          complete(service, path, text, Math.max(0, offset));
          definition(service, path, Math.max(0, offset));
          references(service, path, Math.max(0, offset), true);
        }
        documentSymbols(service.get(path)!.parsed);
      }
    }
  }
  assert.ok(files > 300, `${files} files`);
  assert.deepEqual(violations, []);
});

test('the CLI (in-process) checks in text, JSON and SARIF and applies fixes without the network', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'ztp-nonet-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  cpSync(join(ROOT, 'examples', 'contoso'), join(work, 'contoso'), { recursive: true });
  const io = (cwd: string) => ({ stdout: () => undefined, stderr: () => undefined, cwd, isTTY: false, env: {} });
  for (const format of ['text', 'json', 'sarif']) {
    const code = await main(['check', FIXTURES, '--format', format], io(ROOT));
    assert.ok(code === 0 || code === 1, `exit ${code} (${format})`);
  }
  const fixed = await main(['check', '--fix', join(work, 'contoso')], io(work));
  assert.ok(fixed === 0 || fixed === 1, `--fix: exit ${fixed}`);
  const legacy = join('conditional-access', 'ca-block-legacy-auth.yaml');
  assert.notEqual(readFileSync(join(work, 'contoso', legacy), 'utf8'), readFileSync(join(ROOT, 'examples', 'contoso', legacy), 'utf8'), 'the fixes were written');
  assert.deepEqual(violations, []);
});

test('the CLI bundle, with the guard preloaded, checks and fixes (any network use or new process would exit 97)', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'ztp-nonet-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  cpSync(join(ROOT, 'examples', 'contoso'), join(work, 'contoso'), { recursive: true });
  const control = spawnSync(process.execPath, ['--require', PRELOAD, '-e', "require('node:net').connect(9, '127.0.0.1')"], { encoding: 'utf8' });
  assert.equal(control.status, 97, 'the preload works');
  assert.match(control.stderr, /NETWORK-GUARD: net\.connect/);
  const spawnControl = spawnSync(process.execPath, ['--require', PRELOAD, '-e', "require('node:child_process').spawnSync('true')"], { encoding: 'utf8' });
  assert.equal(spawnControl.status, 97, 'the preload also refuses starting processes');
  for (const args of [['check', FIXTURES, '--format', 'sarif'], ['check', FIXTURES, '--format', 'json'], ['check', '--fix', join(work, 'contoso')]]) {
    // The SARIF of every fixture (each rule's page embedded) is over spawnSync's default 1 MB buffer.
    const r = spawnSync(process.execPath, ['--require', PRELOAD, join(ROOT, 'bin', 'ztp.js'), ...args], { encoding: 'utf8', cwd: work, maxBuffer: 64 * 1024 * 1024 });
    assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /NETWORK-GUARD/);
  }
});

test('ztp diff <folder> <folder>, with the guard preloaded, starts no process; only ztp diff --base runs one (git)', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'ztp-nonet-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  cpSync(join(ROOT, 'examples', 'contoso'), join(work, 'contoso'), { recursive: true });
  const ca = join(work, 'contoso', 'conditional-access', 'ca-all-users-require-compliant-device.yaml');
  writeFileSync(ca, readFileSync(ca, 'utf8').replace('state: enabled', 'state: disabled'));
  for (const format of ['text', 'md', 'json']) {
    const r = spawnSync(process.execPath, ['--require', PRELOAD, join(ROOT, 'bin', 'ztp.js'), 'diff', join(ROOT, 'examples', 'contoso'), 'contoso', '--format', format], { encoding: 'utf8', cwd: work });
    assert.ok(r.status === 0 || r.status === 1, `diff --format ${format}: exit ${r.status}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /NETWORK-GUARD/);
    assert.ok(r.stdout.length > 0);
  }
  // The control: --base is the one form that starts a process, and the guard sees it.
  const base = spawnSync(process.execPath, ['--require', PRELOAD, join(ROOT, 'bin', 'ztp.js'), 'diff', '--base', 'HEAD', 'contoso'], { encoding: 'utf8', cwd: work });
  assert.equal(base.status, 97, base.stderr);
  assert.match(base.stderr, /NETWORK-GUARD: child_process\.spawn/);
});

test('the language server, with the guard preloaded, serves a workspace and shuts down cleanly', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-nonet-lsp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'examples', 'contoso'), join(dir, 'contoso'), { recursive: true });
  const client = await LspClient.start([dir], undefined, { nodeArgs: ['--require', PRELOAD] });
  t.after(() => (client.child.exitCode === null ? client.stop() : undefined));
  const ca = join(dir, 'contoso', 'conditional-access', 'ca-all-users-require-compliant-device.yaml');
  await client.until('diagnostics', () => client.codes(ca).includes('ca-requires-compliance-policy'), 30_000);
  const text = readFileSync(ca, 'utf8');
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(ca), languageId: 'yaml', version: 1, text } });
  const pos = (needle: string) => {
    const lines = text.slice(0, text.indexOf(needle) + 2).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  };
  await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri(ca) }, position: pos('kind') });
  await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uri(ca) }, position: pos('grp-') });
  await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri(ca) }, position: pos('grp-') });
  await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri(ca) } });
  const diag = client.diagnostics.get(uri(ca))!.find((d) => d.code === 'ca-requires-compliance-policy')!;
  const actions = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(ca) }, range: diag.range, context: { diagnostics: [diag] } })) as CodeAction[];
  assert.ok(actions.some((a) => a.edit), 'a quick fix');
  await client.conn.sendRequest(ServerInfoRequest);
  await client.conn.sendRequest(ShutdownRequest.type);
  client.conn.sendNotification(ExitNotification.type);
  const code = await new Promise<number | null>((resolve) => (client.child.exitCode !== null ? resolve(client.child.exitCode) : client.child.once('exit', resolve)));
  client.conn.dispose();
  assert.equal(code, 0, client.stderr.join(''));
  assert.doesNotMatch(client.stderr.join(''), /NETWORK-GUARD/);
  assert.deepEqual(violations, []);
});

/**
 * The language server over stdio never falls over: hostile documents through every handler; shutdown and exit as
 * the LSP spec says (0 after shutdown, 1 without); the server exits when its parent dies; it reads nothing outside
 * the workspace folders (symbolic links out, watcher events for other paths).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  ReferencesRequest,
  ShutdownRequest,
  WorkspaceSymbolRequest,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { LspClient, uri } from '../harness/lsp-client';
import { LayerReportRequest, LayersRequest, ServerInfoRequest, type ServerInfoResult } from '../../server/src/protocol';

function workspace(t: { after: (fn: () => void) => void }): { dir: string; tenant: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-lsp-robust-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(__dirname, 'workspace'), dir, { recursive: true });
  return { dir, tenant: join(dir, 'contoso') };
}

function exited(client: LspClient, ms: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (client.child.exitCode !== null) return resolve(client.child.exitCode);
    const timer = setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms`)), ms);
    client.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const BOMB = `kind: CompliancePolicy\nname: bomb\nspec:\n${['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)].map((l) => `  ${l}`).join('\n')}\n`;

const HOSTILE: Record<string, string> = {
  'bomb.yaml': BOMB,
  'deep-block.yaml': `kind: CompliancePolicy\nspec:\n  x:\n    ${'- '.repeat(10_000)}1\n`,
  'deep-flow.yaml': `kind: CompliancePolicy\nspec: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
  'deep.json': `{"kind": "CompliancePolicy", "spec": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
  'tabs.yaml': 'kind: CompliancePolicy\nspec:\n\tdisplayName: x\n',
  'empty.yaml': '',
  'garbage.yaml': '\u0000\uD800\uFFFF}{][: - &*!|>%@`\r\r\n\t\u2028',
  'multi.yaml': 'kind: CompliancePolicy\nname: a\n---\nkind: CompliancePolicy\nname: b\n',
  'dup.yaml': 'kind: CompliancePolicy\nkind: CompliancePolicy\n',
  'huge.yaml': `kind: CompliancePolicy\n# ${'x'.repeat(300_000)}\n`,
  'zerotrust.yaml': '',
};

test('hostile documents through every handler: answers, diagnostics, and the server stays up', { timeout: 60_000 }, async (t) => {
  const { dir, tenant } = workspace(t);
  const odd = join(tenant, 'odd');
  mkdirSync(odd);
  // The second tenant's manifest is empty (a schema finding); huge.yaml is over the 0.2 MB limit set below.
  const client = await LspClient.start([dir], { settings: { maxFileSizeMB: 0.2 } });
  t.after(() => client.stop());
  const positions = [
    { line: 0, character: 0 },
    { line: 1, character: 3 },
    { line: 2, character: 8 },
    { line: 99_999, character: 99_999 },
    { line: 0, character: 10_000_000 },
  ];
  let version = 1;
  for (const [name, text] of Object.entries(HOSTILE)) {
    const file = join(odd, name);
    writeFileSync(file, text);
    const u = uri(file);
    client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: name.endsWith('.json') ? 'json' : 'yaml', version: version++, text } });
    for (const position of positions) {
      const td = { textDocument: { uri: u }, position };
      await client.conn.sendRequest(HoverRequest.type, td);
      await client.conn.sendRequest(CompletionRequest.type, td);
      await client.conn.sendRequest(DefinitionRequest.type, td);
      await client.conn.sendRequest(ReferencesRequest.type, { ...td, context: { includeDeclaration: true } });
      const range = { start: position, end: position };
      const diagnostic: Diagnostic = { range, message: 'x', code: 'schema' };
      await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: u }, range, context: { diagnostics: [diagnostic, { ...diagnostic, code: 'yaml-syntax' }, { ...diagnostic, code: 'no-such-rule' }] } });
    }
    await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } });
    // An edit that cuts the text in half, then puts it back, then a close (which reads the file from disk again).
    client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: version++ }, contentChanges: [{ text: text.slice(0, text.length >> 1) }] });
    client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: version++ }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\uFEFF\r\n' }] });
    client.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: u } });
  }
  // Documents the server does not know, and URIs that are not files.
  for (const u of ['untitled:Untitled-1', 'file:///nonexistent/x.yaml', 'vscode-notebook-cell:/x#y', 'not a uri']) {
    await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 0, character: 0 } });
    await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line: 0, character: 0 } });
    await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } });
  }
  await client.conn.sendRequest(WorkspaceSymbolRequest.type, { query: '\uD800*[(' });
  await client.conn.sendRequest(LayersRequest);
  await client.conn.sendRequest(LayerReportRequest);

  // Each hostile file ends with a clear finding from disk (after its close), and the server is still up.
  const codes = (name: string): string[] => client.codes(join(odd, name));
  const message = (name: string): string => (client.diagnostics.get(uri(join(odd, name))) ?? []).map((d) => d.message).join('\n');
  await client.until('findings on the hostile files', () => ['bomb.yaml', 'deep-block.yaml', 'deep-flow.yaml', 'deep.json', 'tabs.yaml', 'multi.yaml', 'dup.yaml', 'huge.yaml'].every((n) => codes(n).includes('yaml-syntax')), 30_000);
  assert.match(message('bomb.yaml'), /alias bomb/);
  assert.match(message('deep-flow.yaml'), /nests more than 256 levels deep/);
  assert.match(message('huge.yaml'), /file too large: 0\.3 MB is over the 0\.2 MB limit/);
  assert.match(message('tabs.yaml'), /indent with spaces/);
  await client.until('schema finding on the empty manifest', () => codes('zerotrust.yaml').includes('schema'));
  assert.deepEqual(codes('empty.yaml'), []);
  const info = (await client.conn.sendRequest(ServerInfoRequest)) as ServerInfoResult;
  assert.equal(info.pid, client.child.pid);
  assert.equal(client.child.exitCode, null);
  assert.ok(!client.logs.some((l) => /failed:|RangeError|Maximum call stack/.test(l)), client.logs.join('\n'));
});

test('shutdown then exit: the server exits with code 0', async () => {
  const client = await LspClient.start([]);
  await client.conn.sendRequest(ShutdownRequest.type);
  client.conn.sendNotification(ExitNotification.type);
  assert.equal(await exited(client, 10_000), 0);
  client.conn.dispose();
});

test('exit without shutdown: the server exits with code 1', async () => {
  const client = await LspClient.start([]);
  client.conn.sendNotification(ExitNotification.type);
  assert.equal(await exited(client, 10_000), 1);
  client.conn.dispose();
});

test('the client going away (stdin closed) ends the server: no orphan', async () => {
  const client = await LspClient.start([]);
  await client.conn.sendRequest(ServerInfoRequest);
  client.conn.dispose();
  client.child.stdin!.end();
  assert.equal(await exited(client, 10_000), 1);
});

test('the parent process dying ends the server (the processId from initialize is watched)', { timeout: 30_000 }, async () => {
  // A stand-in parent: its pid goes in `initialize`; the test keeps the pipes open, so only the watchdog can end it.
  const parent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const client = await LspClient.start([], undefined, { processId: parent.pid! });
  await client.conn.sendRequest(ServerInfoRequest);
  parent.kill('SIGKILL');
  // vscode-languageserver checks the parent every 3 s.
  assert.equal(await exited(client, 15_000), 1);
  client.conn.dispose();
});

test('the server reads nothing outside the workspace folders: symbolic links out, watcher events for other paths', { timeout: 30_000 }, async (t) => {
  const { dir, tenant } = workspace(t);
  const outside = mkdtempSync(join(tmpdir(), 'ztp-outside-'));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  // Outside: a policy that would have findings (an unknown owner, an unresolved group) if it were read.
  const secret = 'kind: CompliancePolicy\nname: outside\nowner: nobody\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\nassignments:\n  include: [grp-nowhere]\n';
  writeFileSync(join(outside, 'secret.yaml'), secret);
  mkdirSync(join(outside, 'folder'));
  writeFileSync(join(outside, 'folder', 'inner.yaml'), secret);
  symlinkSync(join(outside, 'secret.yaml'), join(tenant, 'linked-file.yaml'));
  symlinkSync(join(outside, 'folder'), join(tenant, 'linked-folder'));
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  const CA = join(tenant, 'ca', 'ca-require-compliant.yaml');
  await client.until('initial diagnostics', () => client.diagnostics.has(uri(CA)));
  // A watcher event for each of them, and for the outside file itself; a file inside, last, marks the end.
  const control = join(tenant, 'ca', 'control.yaml');
  writeFileSync(control, secret.replace('name: outside', 'name: control'));
  client.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
    changes: [
      { uri: uri(join(tenant, 'linked-file.yaml')), type: FileChangeType.Created },
      { uri: uri(join(tenant, 'linked-folder', 'inner.yaml')), type: FileChangeType.Created },
      { uri: uri(join(outside, 'secret.yaml')), type: FileChangeType.Created },
      { uri: uri(join(outside, 'secret.yaml')), type: FileChangeType.Changed },
      { uri: `file://${dir}/contoso/../../${outside.split('/').pop()}/secret.yaml`, type: FileChangeType.Created },
      { uri: uri(control), type: FileChangeType.Created },
    ],
  });
  await client.until('the control file analysed', () => client.codes(control).includes('unknown-owner'));
  for (const p of [join(tenant, 'linked-file.yaml'), join(tenant, 'linked-folder', 'inner.yaml'), join(outside, 'secret.yaml'), join(outside, 'folder', 'inner.yaml')]) {
    assert.equal(client.diagnostics.get(uri(p))?.length ?? 0, 0, `${p} was not read`);
  }
  for (const [u] of client.diagnostics) assert.ok(!u.includes('linked-') && !u.includes('ztp-outside-'), `nothing published for ${u}`);
  // An editor may still open a file from anywhere: its buffer is analysed, but closing it does not read the disk.
  const out = join(outside, 'secret.yaml');
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(out), languageId: 'yaml', version: 1, text: secret } });
  client.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uri(out) } });
  const info = (await client.conn.sendRequest(ServerInfoRequest)) as ServerInfoResult;
  assert.ok(info.pid > 0);
});

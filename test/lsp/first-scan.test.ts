/**
 * A file opened while the first scan still runs (an editor restoring its tabs, `nvim file.yaml`) is published with
 * its tenant once the scan has read the manifest, never first as a file in no tenant ("no-tenant-manifest").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { LspClient, uri } from '../harness/lsp-client';
import { windowsCompliancePolicy as POLICY, writeWindowsTenant } from '../harness/windows-tenant';

/** `count` tenants of 20 Windows compliance policies each (t00, t01…): a scan that takes a while. */
function writeTenants(dir: string, count: number): void {
  for (let i = 0; i < count; i++) writeWindowsTenant(join(dir, `t${String(i).padStart(2, '0')}`), 20);
}

test('a file opened during the first scan never gets no-tenant-manifest', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-first-scan-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Many tenants, so the scan takes a while; the opened file's tenant sorts last.
  writeTenants(dir, 40);
  const file = join(dir, 't39', 'compliance', 'win-0.yaml');
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text: POLICY(0) + 'description: edited\n' } });
  await client.until('the opened file published with its tenant', () => client.diagnostics.has(uri(file)) && client.diagnostics.size >= 800);
  const seen = (client.history.get(uri(file)) ?? []).flat().map((d) => String(d.code));
  assert.ok(!seen.includes('no-tenant-manifest'), `published for the opened file: ${seen.join(', ') || 'nothing'}`);
});

test('a file open at start-up is read with its tenant first, and every diagnostic it receives is one the full analysis agrees with', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-first-open-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // 40 tenants; the open file's tenant sorts last, and it has a real finding (a compliance policy assigned to a group
  // the manifest does not have), so what it first shows can be compared with what it shows at the end.
  writeTenants(dir, 40);
  const file = join(dir, 't39', 'compliance', 'win-0.yaml');
  const text = POLICY(0).replace('include: [grp-all]', 'include: [grp-missing]');
  writeFileSync(file, text);
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  // Opened before the scan has read anything (the client sends it right after `initialized`).
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text } });
  await client.until('the opened file published', () => client.diagnostics.has(uri(file)));
  // Its tenant came first: when the file is first published, most of the workspace is still unread.
  assert.ok(client.diagnostics.size < 400, `${client.diagnostics.size} files were published before the open one`);
  await client.until('the whole workspace published', () => client.diagnostics.size >= 820, 60_000);
  await new Promise((r) => setTimeout(r, 300));
  const key = (d: { code?: unknown; message: unknown; range: unknown }): string => JSON.stringify([d.code, d.message, d.range]);
  const final = new Set((client.diagnostics.get(uri(file)) ?? []).map(key));
  assert.ok([...final].some((k) => k.includes('unresolved-group')), `the final analysis has the finding: ${[...final].join(', ')}`);
  for (const published of client.history.get(uri(file)) ?? []) {
    for (const d of published) assert.ok(final.has(key(d)), `published for the open file but not in the final analysis: ${key(d)}`);
  }
});

test('an edit during the first scan, to a file whose tenant is already read, is published at once', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-first-edit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeTenants(dir, 60);
  const file = join(dir, 't59', 'compliance', 'win-0.yaml');
  const broken = POLICY(0).replace('include: [grp-all]', 'include: [grp-missing]');
  writeFileSync(file, broken);
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text: broken } });
  const codes = (): string[] => (client.diagnostics.get(uri(file)) ?? []).map((d) => String(d.code));
  await client.until('the opened file published with its finding', () => codes().includes('unresolved-group'));
  // Fixed while the rest of the workspace is still being read: the fix shows without waiting for the scan.
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version: 2 }, contentChanges: [{ text: POLICY(0) }] });
  await client.until('the edit published', () => !codes().includes('unresolved-group'));
  assert.ok(client.diagnostics.size < 1200, `the edit was published only after ${client.diagnostics.size} of 1,260 files`);
});

test("a file open at start-up in a folder whose name VS Code escapes is read from its buffer, not from disk", { skip: process.platform === 'win32' && 'POSIX paths', timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-first-escaped-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // VS Code writes `(`, `)`, `!`, `@`, `+`, `,`, `;`, `=`, `&`, `$` and `:` in a file URI's path percent-encoded, where
  // `pathToFileURL` leaves them as they are: the server must find the open buffer either way.
  const tenant = join(dir, 'Conditional Access (prod)');
  writeWindowsTenant(tenant, 5);
  const file = join(tenant, 'compliance', 'win-0.yaml');
  // As VS Code's `Uri.file(…).toString()`: everything but unreserved characters and `/` percent-encoded.
  const vscodeUri = `file://${file.replace(/[^A-Za-z0-9\-._~/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
  assert.notEqual(vscodeUri, uri(file));
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  // The buffer (unsaved, restored by the editor) assigns the policy to a group the manifest lacks; the disk does not.
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: vscodeUri, languageId: 'yaml', version: 1, text: POLICY(0, 'grp-missing') } });
  await client.until('the first scan', () => client.progressEnded > 0);
  await client.until('the buffer analysed', () => client.codes(file).includes('unresolved-group'), 10_000);
});

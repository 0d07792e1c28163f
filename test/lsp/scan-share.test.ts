/**
 * The first scan of a large workspace is read by worker threads and by the server's own thread, which takes a tenant
 * only while the author is not typing (lsp/scan.ts, `shareTurn`): a tenant it takes holds it for that tenant's rules,
 * and an edit would wait for them. What is published is the same either way (test/lsp/read-workers.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { LspClient, uri } from '../harness/lsp-client';
import { windowsCompliancePolicy as POLICY, writeWindowsTenant } from '../harness/windows-tenant';

const TENANTS = 6;
const POLICIES = 80;

function workspace(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-scan-share-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < TENANTS; i++) writeWindowsTenant(join(dir, `t${i}`), POLICIES, { name: `t${i}` });
  return dir;
}

/** The scan's closing log line: how many files, how many of them read on the server's thread. */
function shares(client: LspClient): { files: number; here: number } {
  const line = client.logs.find((l) => l.startsWith('scanned '));
  assert.ok(line, `the scan logged its shares: ${client.logs.join(' | ')}`);
  const m = /^scanned (\d+) files in \d+ ms: (\d+) read on the server's thread, the rest on \d+ worker threads?$/.exec(line);
  assert.ok(m, line);
  return { files: Number(m[1]), here: Number(m[2]) };
}

test("with the editor quiet, the server's thread reads a share of the first scan", { timeout: 120_000 }, async (t) => {
  const client = await LspClient.start([workspace(t)]);
  t.after(() => client.stop());
  await client.until('the first scan', () => client.progressEnded > 0, 90_000);
  await client.until('the closing log line', () => client.logs.some((l) => l.startsWith('scanned ')));
  const { files, here } = shares(client);
  assert.equal(files, TENANTS * (POLICIES + 1));
  assert.ok(here > 0 && here % (POLICIES + 1) === 0, `whole tenants read here: ${here}`);
  assert.deepEqual(client.errorLogs, []);
});

test("while the author types, the server's thread reads only the edited file's tenant", { timeout: 120_000 }, async (t) => {
  const dir = workspace(t);
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  const file = join(dir, 't3', 'compliance', 'win-0.yaml');
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text: POLICY(0) } });
  // An edit every 50 ms until the scan is over: never the quiet the server's thread waits for.
  let version = 1;
  const typing = setInterval(() => {
    version++;
    client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version }, contentChanges: [{ text: POLICY(0, version % 2 ? 'grp-all' : 'grp-missing') }] });
  }, 50);
  t.after(() => clearInterval(typing));
  await client.until('the first scan', () => client.progressEnded > 0, 90_000);
  clearInterval(typing);
  await client.until('the closing log line', () => client.logs.some((l) => l.startsWith('scanned ')));
  assert.equal(shares(client).here, POLICIES + 1, "the edited file's tenant, and no other, was read on the server's thread");
  assert.deepEqual(client.errorLogs, []);
});

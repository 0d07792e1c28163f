/**
 * After the first scan the server warms its edit path on a copy of one tenant (server/src/lsp/warm-up.ts). The
 * author must see nothing of it: no diagnostics are published while it runs, and an edit afterwards is published as
 * it would be without it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { LspClient, uri } from '../harness/lsp-client';
import { windowsCompliancePolicy as POLICY, writeWindowsTenant } from '../harness/windows-tenant';
import { WARM_UP_EDITS } from '../../server/src/lsp/warm-up';

test('the warm-up after the first scan publishes nothing, and edits afterwards are published as before', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-warm-up-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // One policy of each tenant is assigned to a group its manifest lacks: a finding to keep, then to fix.
  for (const name of ['a', 'b']) writeWindowsTenant(join(dir, name), 30, { group: (j) => (j === 0 ? 'grp-missing' : 'grp-all') });
  const file = join(dir, 'b', 'compliance', 'win-0.yaml');
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text: POLICY(0, 'grp-missing') } });
  await client.until('the first scan', () => client.progressEnded > 0 && client.diagnostics.has(uri(file)));
  const published = (): number => [...client.history.values()].reduce((n, h) => n + h.length, 0);
  const before = published();
  const codes = (): string[] => (client.diagnostics.get(uri(file)) ?? []).map((d) => String(d.code)).sort();
  const findings = codes();
  assert.ok(findings.includes('unresolved-group'), findings.join(', '));

  // The tenant of the open file is the one copied: its 31 files, one analysis, then the edits.
  await client.until('the warm-up', () => client.logs.some((l) => l.startsWith('edit path warmed')), 60_000);
  const log = client.logs.find((l) => l.startsWith('edit path warmed'))!;
  assert.match(log, new RegExp(`^edit path warmed: ${31 + 1 + WARM_UP_EDITS} steps on a copy of 31 files of .*[\\\\/]b, over \\d+ ms$`));
  assert.equal(published(), before, 'nothing was published while the warm-up ran');
  assert.deepEqual(codes(), findings);

  // An edit afterwards: the finding goes, and comes back, as the live tenant says.
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version: 2 }, contentChanges: [{ text: POLICY(0) }] });
  await client.until('the fix published', () => !codes().includes('unresolved-group'));
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version: 3 }, contentChanges: [{ text: POLICY(0, 'grp-missing') }] });
  await client.until('the finding back', () => codes().includes('unresolved-group'));
  assert.deepEqual(codes(), findings);
  assert.deepEqual(client.errorLogs, []);
});

/**
 * `zeroTrust/layersChanged` tells the tree to ask again. It is compared with what the client was last sent
 * (`zeroTrust/layers`): an edit that changes no layer says nothing, one that does says so once typing pauses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { LayersRequest, LayersChangedNotification } from '../../server/src/protocol';
import { LspClient, uri } from '../harness/lsp-client';

test('layer notifications follow what the client was sent', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-layers-notify-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(resolve(__dirname, '..', '..', 'examples', 'contoso'), dir, { recursive: true });
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  await client.until('the first scan', () => client.progressEnded > 0, 30_000);
  const notified = (): number => client.notifications.filter((n) => n === LayersChangedNotification).length;
  await client.until('the tree told', () => notified() > 0);
  await new Promise((r) => setTimeout(r, 300));
  await client.conn.sendRequest(LayersRequest);

  const file = join(dir, 'compliance', 'win-compliance-baseline.yaml');
  const text = readFileSync(file, 'utf8');
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text } });
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version: 2 }, contentChanges: [{ text: `${text}# a comment at the end\n` }] });
  const before = notified();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(notified(), before, 'a comment at the end changes no layer (nor any line the tree points at): nothing to tell');

  // The policy stops being a compliance policy: layer 3 loses it.
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version: 3 }, contentChanges: [{ text: text.replace(/^kind: CompliancePolicy$/m, 'kind: NotAKind') }] });
  await client.until('the tree told of the change', () => notified() > before, 5_000);
});

/**
 * The server driven the way a minimal client drives it (a bare Neovim, Helix or eglot set-up): a root URI and no
 * `workspaceFolders`, no `workspace/configuration`, no `documentChanges`, no dynamic registration. It still gets
 * diagnostics, its settings from `initializationOptions` (and later from `didChangeConfiguration`), and quick fixes
 * it can apply; a fix it cannot apply (creating a file) is left out with a log line that says why and what to run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeActionRequest, DidChangeConfigurationNotification, DidOpenTextDocumentNotification, type CodeAction } from 'vscode-languageserver-protocol/node';
import { LspClient, uri } from '../harness/lsp-client';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'contoso');
let dir: string;
let client: LspClient;
const CA_BLOCK = (): string => join(dir, 'conditional-access', 'ca-block-legacy-auth.yaml');
const CA_COMPLIANT = (): string => join(dir, 'conditional-access', 'ca-all-users-require-compliant-device.yaml');
const APP = (): string => join(dir, 'app-protection', 'android-app-protection-l2.yaml');

before(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'ztp-minimal-')), 'contoso');
  cpSync(EXAMPLE, dir, { recursive: true });
  // Settings the way nvim-lspconfig's `init_options` or Helix's `config` pass them: the settings object itself.
  client = await LspClient.start([dir], { rules: { 'app-protection-weak': 'off' } }, { minimal: true });
});

after(async () => {
  await client?.stop();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

test('a minimal client gets diagnostics for the root it named, with no error in the log', async () => {
  await client.until('diagnostics of the CA policies', () => client.codes(CA_BLOCK()).includes('break-glass-not-excluded') && client.codes(CA_COMPLIANT()).includes('ca-requires-compliance-policy'));
  assert.deepEqual(client.errorLogs, [], 'no error-level log line (e.g. registering workspace folders with a client that has none)');
});

test('settings come from initializationOptions when the client has no workspace/configuration', async () => {
  await client.until('diagnostics', () => client.diagnostics.has(uri(CA_BLOCK())));
  assert.ok(!client.codes(APP()).includes('app-protection-weak'), 'the rule turned off in initializationOptions is off');
});

test('settings pushed with didChangeConfiguration apply too', async () => {
  client.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { zeroTrust: { rules: {} } } });
  await client.until('app-protection-weak back on', () => client.codes(APP()).includes('app-protection-weak'));
});

test('a fix that edits files comes as `changes`; one that creates a file is left out and the log says why', async () => {
  const text = readFileSync(CA_BLOCK(), 'utf8');
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(CA_BLOCK()), languageId: 'yaml', version: 1, text } });
  const diag = await client.until('break-glass diagnostic', () => client.diagnostics.get(uri(CA_BLOCK()))?.find((d) => d.code === 'break-glass-not-excluded'));
  const actions = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(CA_BLOCK()) }, range: diag.range, context: { diagnostics: [diag] } })) as CodeAction[];
  const fix = actions.find((a) => /break-glass/i.test(a.title) && !a.title.startsWith('Suppress'));
  assert.ok(fix?.edit?.changes, `the exclusion fix is offered as plain changes: ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(fix.edit.documentChanges, undefined);
  assert.ok(Object.keys(fix.edit.changes).includes(uri(CA_BLOCK())));

  const compliant = readFileSync(CA_COMPLIANT(), 'utf8');
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(CA_COMPLIANT()), languageId: 'yaml', version: 1, text: compliant } });
  const missing = await client.until('missing compliance diagnostic', () => client.diagnostics.get(uri(CA_COMPLIANT()))?.find((d) => d.code === 'ca-requires-compliance-policy'));
  const creating = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(CA_COMPLIANT()) }, range: missing.range, context: { diagnostics: [missing] } })) as CodeAction[];
  assert.ok(creating.every((a) => !a.edit?.documentChanges), 'nothing the client cannot apply');
  assert.ok(creating.some((a) => a.title.startsWith('Suppress')), 'the suppression is still offered');
  await client.until('the log says why the create fix is not offered', () => client.logs.some((l) => /not offered: .*cannot create files.*ztp check --fix/.test(l)));
});

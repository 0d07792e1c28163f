/**
 * The server's first scan of a large workspace runs on worker threads (host/read-pool.ts): each file's facts and each
 * tenant's findings are made there and adopted by the server. Nothing it publishes may depend on that: here every
 * rule's fixture tenants (over 900 files of every shape: raw exports, JSON, UTF-16, broken files) and a tenant large
 * enough to be read in parts are published exactly as `ztp check` reports them, finding by finding. Then an edit in
 * a tenant whose findings came from a worker is analysed by the server itself, and agrees with the CLI again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { BIN, LspClient, uri } from '../harness/lsp-client';
import { windowsCompliancePolicy, windowsManifest } from '../harness/windows-tenant';

const FIXTURES = resolve(__dirname, '..', 'fixtures');
const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

/** One tenant of `count` compliance policies, some assigned to a group its manifest lacks (findings on them). */
function writeLargeTenant(dir: string, count: number): void {
  mkdirSync(join(dir, 'compliance'), { recursive: true });
  writeFileSync(join(dir, 'zerotrust.yaml'), windowsManifest('large'));
  for (let i = 0; i < count; i++) {
    const group = i % 7 === 0 ? 'grp-missing' : 'grp-all';
    writeFileSync(join(dir, 'compliance', `win-${String(i).padStart(3, '0')}.yaml`), windowsCompliancePolicy(i, group));
  }
}

interface Reported {
  file: string;
  code: string;
  severity: string;
  message: string;
  range: unknown;
  layer?: number;
}

/** A finding as both report it (a diagnostic's message ends with its layer, which `ztp check` gives apart). */
function key(r: Reported): string {
  return JSON.stringify([r.file, r.code, r.severity, r.layer !== undefined ? `${r.message} (layer ${r.layer})` : r.message, r.range]);
}

/** What `ztp check` reports for these folders, with absolute paths. */
function cliFindings(folders: string[], cwd: string): string[] {
  const r = spawnSync(process.execPath, [BIN, 'check', ...folders, '--format', 'json'], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return (JSON.parse(r.stdout) as Reported[]).map((f) => key({ ...f, file: uri(join(cwd, f.file)) })).sort();
}

function serverFindings(client: LspClient): string[] {
  const out: string[] = [];
  for (const [file, list] of client.diagnostics) {
    for (const d of list) out.push(key({ file, code: String(d.code), severity: SEVERITY[d.severity ?? 1]!, message: String(d.message), range: d.range }));
  }
  return out.sort();
}

test('a workspace read on worker threads is published exactly as ztp check reports it, and edits agree too', { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-read-workers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(FIXTURES, join(dir, 'fixtures'), { recursive: true });
  writeLargeTenant(join(dir, 'large'), 450);
  const folders = [join(dir, 'fixtures'), join(dir, 'large')];

  const started = Date.now();
  const client = await LspClient.start(folders);
  t.after(() => client.stop());
  // Open as the scan starts (an editor restoring its tabs): these tenants are read on the server's own thread while
  // the workers start, the large one in parts with them. What is published in the end is the same.
  for (const file of [join(dir, 'large', 'compliance', 'win-010.yaml'), join(dir, 'fixtures', 'unresolved-group', 'fires-guid', 'ca', 'ca.yaml')]) {
    client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') } });
  }
  await client.until('the first scan', () => client.progressEnded > 0, 180_000);
  const scanMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, 500));
  // The tree heard as tenants came in, but not for each of them (each time, the client asks for every tenant's layers).
  const told = client.notifications.filter((n) => n === 'zeroTrust/layersChanged').length;
  assert.ok(told >= 1 && told <= scanMs / 500 + 3, `${told} layer notifications in a scan of ${scanMs} ms`);
  const expected = cliFindings(folders, dir);
  assert.ok(expected.length > 1000, `the fixtures have findings (${expected.length})`);
  const published = serverFindings(client);
  assert.deepEqual(published.filter((k) => !expected.includes(k)), [], 'published, but not reported by ztp check');
  assert.deepEqual(expected.filter((k) => !published.includes(k)), [], 'reported by ztp check, but not published');
  assert.equal(client.errorLogs.length, 0, client.errorLogs.join('\n'));

  // A file opened as it is on disk, in a tenant a worker analysed: nothing is analysed for the opening itself, its
  // diagnostics come at once; the rules then run on the server's thread (so the first edit does not pay for them)
  // and publish nothing, because they agree with what the worker found.
  const opened = join(dir, 'fixtures', 'ca-requires-compliance-policy', 'fires-missing-android', 'conditional-access');
  const openedFile = join(opened, readdirSync(opened).sort()[0]!);
  const sent = (): number => [...client.history.values()].reduce((n, h) => n + h.length, 0);
  const before = sent();
  const seen = client.history.get(uri(openedFile))?.length ?? 0;
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(openedFile), languageId: 'yaml', version: 1, text: readFileSync(openedFile, 'utf8') } });
  await client.until('the opened file published', () => (client.history.get(uri(openedFile))?.length ?? 0) > seen, 30_000);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(sent() - before, 1, 'only the opened file is published');
  assert.deepEqual(serverFindings(client), published);

  // An edit to a tenant whose findings a worker made: the server analyses it itself, as the CLI does the saved file.
  const file = join(dir, 'large', 'compliance', 'win-001.yaml');
  const text = readFileSync(file, 'utf8').replace('include: [grp-all]', 'include: [grp-other-missing]');
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') } });
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version: 2 }, contentChanges: [{ text }] });
  await client.until('the edit published', () => client.codes(file).includes('unresolved-group'), 30_000);
  writeFileSync(file, text);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(serverFindings(client).filter((k) => k.includes('/large/')), cliFindings(folders, dir).filter((k) => k.includes('/large/')));
});

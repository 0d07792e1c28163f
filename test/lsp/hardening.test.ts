/**
 * Issue #13, through a real JSON-RPC client over stdio: URIs with a host or an encoded `/` (never a crash, the batch
 * still applied), changes at huge positions (clamped, memory flat), repeated versions and close/reopen pairs (the
 * buffer wins), workspace folders changed during the first scan, quick fixes confined to the tenant and never over a
 * file that exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type CreateFile,
} from 'vscode-languageserver-protocol/node';
import { LspClient, uri } from '../harness/lsp-client';
import { ServerInfoRequest, type ServerInfoResult } from '../../server/src/protocol';
import { FIXTURES } from '../harness/fixtures';

/** A temporary workspace holding one tenant, `contoso` (the LSP test workspace's, or a fixture's). */
function workspace(t: { after: (fn: () => void) => void }, from = join(__dirname, 'workspace', 'contoso')): { dir: string; tenant: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-lsp-13-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(from, join(dir, 'contoso'), { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('_fixed') });
  return { dir, tenant: join(dir, 'contoso') };
}

async function alive(client: LspClient): Promise<void> {
  const info = (await Promise.race([client.conn.sendRequest(ServerInfoRequest), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s')), 10_000))])) as ServerInfoResult;
  assert.equal(info.pid, client.child.pid);
  assert.equal(client.child.exitCode, null);
}

function rssMB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const BAD_OWNER = 'kind: CompliancePolicy\nname: bad\nowner: nobody\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: x\n';
const GOOD = 'kind: CompliancePolicy\nname: good\nowner: endpoint\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: x\n';

test('file URIs with a host or an encoded `/`: open, close and watcher events never take the server down; the batch still applies', { timeout: 60_000 }, async (t) => {
  const { dir, tenant } = workspace(t);
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  const WIN = join(tenant, 'compliance', 'win-compliance.yaml');
  await client.until('initial diagnostics', () => client.diagnostics.has(uri(WIN)));
  const share = 'file://server/share/contoso/compliance/x.yaml';
  const encoded = `${uri(join(tenant, 'compliance'))}/a%2Fb.yaml`;
  for (const u of [share, encoded, 'file://server/', 'file:', 'file:///%', 'file:///%00.yaml', `${uri(tenant)}/%FF.yaml`]) {
    client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: BAD_OWNER } });
    await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 1, character: 7 } });
    client.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: u } });
    await alive(client);
  }
  // A network-share buffer is analysed like any other (a file the server cannot read is still a buffer it has).
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: share, languageId: 'yaml', version: 1, text: BAD_OWNER } });
  await client.until('diagnostics on the network-share URI', () => client.diagnostics.get(share)?.length);
  // A watcher batch with such URIs first: the deletion after them is still applied.
  const gone = join(tenant, 'ca', 'ca-legacy.yaml');
  await client.until('diagnostics on ca-legacy.yaml', () => client.diagnostics.get(uri(gone))?.length);
  rmSync(gone);
  client.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
    changes: [
      { uri: share, type: FileChangeType.Deleted },
      { uri: encoded, type: FileChangeType.Changed },
      { uri: 'file://server/share/y.yaml', type: FileChangeType.Created },
      { uri: uri(gone), type: FileChangeType.Deleted },
    ],
  });
  await client.until('the deleted file loses its diagnostics', () => client.diagnostics.get(uri(gone))?.length === 0);
  await alive(client);
  assert.ok(!client.logs.some((l) => /Unhandled|unhandledRejection/i.test(l)), client.logs.join('\n'));
});

test('a change at line 2^31 is clamped: the text is right and memory stays flat', { timeout: 60_000 }, async (t) => {
  const { dir, tenant } = workspace(t);
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  const f = join(tenant, 'compliance', 'edit.yaml');
  writeFileSync(f, GOOD);
  const u = uri(f);
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: GOOD } });
  await client.until('diagnostics', () => client.diagnostics.has(u));
  const before = rssMB(client.child.pid!);
  const huge = 2 ** 31;
  const ranges = [
    { start: { line: huge, character: huge }, end: { line: huge, character: huge } },
    { start: { line: huge, character: 0 }, end: { line: 0, character: 0 } },
    { start: { line: -5, character: -1 }, end: { line: 1e300, character: Number.MAX_SAFE_INTEGER } },
  ];
  let version = 2;
  // Appended at the end (clamped), twice: an unknown owner line ends up last.
  for (const range of ranges.slice(0, 2)) client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: version++ }, contentChanges: [{ range, text: '' }] });
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: version++ }, contentChanges: [{ range: ranges[0]!, text: 'description: "tail"\n' }] });
  await alive(client);
  // The third range spans the whole document: replacing it replaces everything.
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: version++ }, contentChanges: [{ range: ranges[2]!, text: BAD_OWNER }] });
  // A version that is not an integer is replaced, not trusted.
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: 1.5 as unknown as number }, contentChanges: [] });
  await client.until('the whole-document replacement analysed', () => client.codes(f).includes('unknown-owner'));
  await alive(client);
  const after = rssMB(client.child.pid!);
  if (before !== undefined && after !== undefined) assert.ok(after - before < 150, `RSS grew from ${before.toFixed(0)} MB to ${after.toFixed(0)} MB`);
});

test('the same version sent twice with new text, and close then reopen with other text: the buffer wins', { timeout: 60_000 }, async (t) => {
  const { dir, tenant } = workspace(t);
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  const f = join(tenant, 'compliance', 'reopen.yaml');
  writeFileSync(f, BAD_OWNER);
  const u = uri(f);
  await client.until('disk diagnostics', () => client.codes(f).includes('unknown-owner'));
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: BAD_OWNER } });
  // Version 1 again, other text: not the old parse.
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: 1 }, contentChanges: [{ text: GOOD }] });
  await client.until('the resent version re-analysed', () => client.diagnostics.has(u) && !client.codes(f).includes('unknown-owner'));
  // Close and reopen at once with the bad text at version 1, as VS Code does when the language mode changes; then
  // the good text again: each time, the buffer's diagnostics, not the disk's.
  for (const [text, bad] of [[GOOD, false], [BAD_OWNER, true], [GOOD, false]] as const) {
    client.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: u } });
    client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text } });
    for (let i = 0; i < 5; i++) await alive(client);
    await client.until(`the reopened buffer (${bad ? 'bad' : 'good'} owner)`, () => client.codes(f).includes('unknown-owner') === bad);
    // Give the close's disk read every chance to land, then check it did not win.
    for (let i = 0; i < 10; i++) await alive(client);
    assert.equal(client.codes(f).includes('unknown-owner'), bad);
  }
});

test('workspace folders changed during the first scan: the removed one is forgotten, the added one analysed', { timeout: 60_000 }, async (t) => {
  const a = workspace(t);
  const b = workspace(t);
  // Enough files that the first scan is still running when the change arrives.
  for (let i = 0; i < 200; i++) writeFileSync(join(a.tenant, 'compliance', `p${i}.yaml`), BAD_OWNER.replace('name: bad', `name: p${i}`));
  const bFile = join(b.tenant, 'compliance', 'only-in-b.yaml');
  writeFileSync(bFile, BAD_OWNER);
  const client = await LspClient.start([a.dir]);
  t.after(() => client.stop());
  client.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: uri(b.dir), name: 'b' }], removed: [{ uri: uri(a.dir), name: 'a' }] } });
  await client.until('the added folder analysed', () => client.codes(bFile).includes('unknown-owner'), 30_000);
  await alive(client);
  for (let i = 0; i < 5; i++) await alive(client);
  const stale = [...client.diagnostics].filter(([u, d]) => u.startsWith(uri(a.dir)) && d.length);
  assert.deepEqual(stale.map(([u]) => u), [], 'the removed folder keeps no diagnostics');
});

test('quick fixes never write outside the tenant (symlinked kind folder) nor into a file that exists', { timeout: 60_000 }, async (t) => {
  const { dir, tenant } = workspace(t, join(FIXTURES, 'ca-requires-compliance-policy', 'fires-missing-android'));
  const CA = join(tenant, 'conditional-access', 'ca-require-compliant.yaml');
  const actionsFor = async (client: LspClient): Promise<CodeAction[]> => {
    await client.until('the CA finding', () => client.codes(CA).includes('ca-requires-compliance-policy'));
    const d = client.diagnostics.get(uri(CA))!.find((x) => x.code === 'ca-requires-compliance-policy')!;
    return (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(CA) }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  };
  const creates = (a: CodeAction): CreateFile[] => (a.edit?.documentChanges ?? []).filter((c): c is CreateFile => (c as CreateFile).kind === 'create');
  // First, as it is: the fix creates the Android policy with a create that fails over an existing file.
  {
    const client = await LspClient.start([dir]);
    const actions = await actionsFor(client);
    const fix = actions.find((a) => creates(a).length);
    assert.ok(fix, actions.map((a) => a.title).join());
    for (const c of creates(fix)) assert.deepEqual(c.options, { overwrite: false, ignoreIfExists: false });
    await client.stop();
  }
  // A notes file where the new policy would go: no edit is offered that would write into it; the new policy takes
  // the next free name.
  const notes = join(tenant, 'compliance', 'android-compliance-baseline.yaml');
  writeFileSync(notes, '# team notes\n');
  {
    const client = await LspClient.start([dir]);
    const actions = await actionsFor(client);
    assert.ok(!actions.some((a) => creates(a).some((c) => c.uri === uri(notes))), JSON.stringify(actions));
    assert.ok(actions.some((a) => creates(a).some((c) => c.uri === uri(join(tenant, 'compliance', 'android-compliance-baseline-2.yaml')))), JSON.stringify(actions));
    await client.stop();
  }
  rmSync(notes);
  // The compliance folder a link to a folder outside the tenant: nothing offered that writes there.
  const outside = join(dir, 'outside');
  mkdirSync(outside);
  rmSync(join(tenant, 'compliance'), { recursive: true });
  symlinkSync(outside, join(tenant, 'compliance'));
  {
    const client = await LspClient.start([dir]);
    const actions = await actionsFor(client);
    const written = actions.flatMap((a) => creates(a).map((c) => c.uri));
    assert.ok(!written.some((u) => u.startsWith(uri(join(tenant, 'compliance')))), written.join());
    await client.until('the reason logged', () => client.logs.some((l) => /not offered: .*outside/.test(l)));
    await client.stop();
  }
  assert.ok(!existsSync(join(outside, 'android-compliance-baseline.yaml')));
});

test('a file name that is not UTF-8 is analysed and published (its bytes percent-encoded), not skipped', { timeout: 60_000, skip: process.platform !== 'linux' ? 'the file system may refuse such names' : false }, async (t) => {
  const { dir, tenant } = workspace(t);
  writeFileSync(Buffer.concat([Buffer.from(join(tenant, 'compliance', 'inv')), Buffer.from([0xff]), Buffer.from('name.yaml')]), BAD_OWNER);
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  const u = `${uri(join(tenant, 'compliance'))}/inv%FFname.yaml`;
  await client.until('diagnostics on the file with a non-UTF-8 name', () => client.diagnostics.get(u)?.some((d) => d.code === 'unknown-owner'));
});

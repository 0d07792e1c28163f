/** The language server over stdio, driven by a real LSP client: diagnostics, cross-file updates, features. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  HoverRequest,
  CompletionRequest,
  CodeActionRequest,
  DefinitionRequest,
  ReferencesRequest,
  DocumentSymbolRequest,
  WorkspaceSymbolRequest,
  FileChangeType,
  type CompletionItem,
  type CodeAction,
  type Location,
  type Hover,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { LspClient, uri } from '../harness/lsp-client';
import { LayersRequest, type LayersResult } from '../../server/src/protocol';

let dir: string;
let client: LspClient;
let T: string;
const CA = (): string => join(T, 'ca', 'ca-require-compliant.yaml');
const LEGACY = (): string => join(T, 'ca', 'ca-legacy.yaml');
const WIN = (): string => join(T, 'compliance', 'win-compliance.yaml');
const MANIFEST = (): string => join(T, 'zerotrust.yaml');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ztp-lsp-'));
  cpSync(join(__dirname, 'workspace'), dir, { recursive: true });
  T = join(dir, 'contoso');
  client = await LspClient.start([dir]);
});

after(async () => {
  await client?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function open(file: string): string {
  const text = readFileSync(file, 'utf8');
  client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text } });
  return text;
}

/** Position of the `|` marker in `marked`, and the text without it. */
function at(marked: string): { text: string; line: number; character: number } {
  const i = marked.indexOf('|');
  const before = marked.slice(0, i);
  const lines = before.split('\n');
  return { text: marked.slice(0, i) + marked.slice(i + 1), line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const i = text.indexOf(needle) + delta;
  const lines = text.slice(0, i).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

test('initial diagnostics cover files that are not open', async () => {
  await client.until('ca diagnostics', () => client.codes(CA()).includes('unresolved-group'));
  await client.until('legacy diagnostics', () => client.codes(LEGACY()).includes('unknown-owner'));
  const d = client.diagnostics.get(uri(CA()))!.find((x) => x.code === 'unresolved-group')!;
  assert.equal(d.range.start.line, 8);
  assert.equal(d.source, 'ztp');
  assert.match(String(d.codeDescription?.href), /docs\/rules\/unresolved-group\.md$/);
  assert.ok(d.relatedInformation?.some((r) => r.location.uri === uri(MANIFEST())));
  assert.deepEqual((d.data as { ruleId: string }).ruleId, 'unresolved-group');
});

test('a change in one file re-publishes another (adding the group to the manifest clears the CA error)', async () => {
  const text = open(MANIFEST());
  const next = text.replace('  - name: grp-breakglass\n', '  - name: grp-contractors\n  - name: grp-breakglass\n');
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(MANIFEST()), version: 2 }, contentChanges: [{ text: next }] });
  await client.until('ca cleared', () => !client.codes(CA()).includes('unresolved-group'));
});

test('hover on kind shows layer context with the live prerequisite status', async () => {
  const text = open(CA());
  const h = (await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri(CA()) }, position: positionOf(text, 'ConditionalAccessPolicy', 2) })) as Hover;
  const md = (h.contents as { value: string }).value;
  assert.match(md, /Layer 4 · Require compliant devices/);
  assert.match(md, /Compliance policies \(layer 3\)/);
  assert.match(md, /Windows ✓ \(win-compliance\)/);
  assert.match(md, /learn\.microsoft\.com/);
});

test('hover on a grant control says what it needs and where the tenant meets it', async () => {
  const text = readFileSync(CA(), 'utf8');
  const h = (await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri(CA()) }, position: positionOf(text, 'compliantDevice', 3) })) as Hover;
  const md = (h.contents as { value: string }).value;
  assert.match(md, /Require device to be marked as compliant/);
  assert.match(md, /This tenant:.*Windows ✓/);
});

test('hover on a group shows its manifest entry and every policy that names it', async () => {
  const text = readFileSync(CA(), 'utf8');
  const h = (await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri(CA()) }, position: positionOf(text, 'grp-all-staff', 2) })) as Hover;
  const md = (h.contents as { value: string }).value;
  assert.match(md, /Group `grp-all-staff`/);
  assert.match(md, /All employees/);
  assert.match(md, /win-compliance/);
  assert.match(md, /ca-require-compliant/);
});

test('hover on a Graph property shows its description and type', async () => {
  const text = open(WIN());
  const h = (await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri(WIN()) }, position: positionOf(text, 'bitLockerEnabled', 2) })) as Hover;
  const md = (h.contents as { value: string }).value;
  assert.match(md, /\*\*bitLockerEnabled\*\* · `boolean`/);
  assert.match(md, /BitLocker/i);
});

async function completionsAt(file: string, marked: string, version: number): Promise<string[]> {
  const { text, line, character } = at(marked);
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
  const r = (await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uri(file) }, position: { line, character } })) as CompletionItem[];
  return r.map((i) => i.label);
}

test('completion offers group names, enum values, kinds and schema keys at the cursor', async (t) => {
  const base = readFileSync(WIN(), 'utf8');
  t.after(() => client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(WIN()), version: 100 }, contentChanges: [{ text: base }] }));
  const groups = await completionsAt(WIN(), base.replace('include: [grp-all-staff]', 'include: [grp-all-staff, |]'), 10);
  assert.ok(groups.includes('grp-breakglass') && groups.includes('allDevices'), groups.join());
  const enumValues = await completionsAt(WIN(), base.replace('  bitLockerEnabled: true\n', '  bitLockerEnabled: true\n  passwordRequiredType: |\n'), 11);
  assert.deepEqual(enumValues.sort(), ['alphanumeric', 'deviceDefault', 'numeric']);
  const kinds = await completionsAt(WIN(), base.replace('kind: CompliancePolicy', 'kind: |'), 12);
  assert.ok(kinds.includes('ConditionalAccessPolicy') && kinds.includes('EndpointDlpPolicy'));
  const keys = await completionsAt(WIN(), base.replace('  bitLockerEnabled: true\n', '  bitLockerEnabled: true\n  tpm|\n'), 13);
  assert.ok(keys.includes('tpmRequired') && keys.includes('secureBootEnabled') && !keys.includes('bitLockerEnabled'), keys.slice(0, 20).join());
  const owners = await completionsAt(WIN(), base.replace('owner: endpoint', 'owner: |'), 14);
  assert.deepEqual(owners.sort(), ['endpoint', 'identity']);
  const odata = await completionsAt(WIN(), base.replace('"#microsoft.graph.windows10CompliancePolicy"', '|'), 15);
  assert.ok(odata.includes('#microsoft.graph.iosCompliancePolicy'), odata.join());
});

test('code actions: the suppression fix applies and clears the finding', async () => {
  const text = open(LEGACY());
  await client.until('legacy owner warning', () => client.codes(LEGACY()).includes('unknown-owner'));
  const diag = client.diagnostics.get(uri(LEGACY()))!.find((d) => d.code === 'unknown-owner')!;
  const actions = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(LEGACY()) }, range: diag.range, context: { diagnostics: [diag] } })) as CodeAction[];
  const suppress = actions.find((a) => a.title.startsWith('Suppress unknown-owner'))!;
  assert.ok(suppress, actions.map((a) => a.title).join());
  const edit = suppress.edit!.changes![uri(LEGACY())]![0]!;
  const lines = text.split('\n');
  lines.splice(edit.range.start.line, 0, edit.newText.replace(/\n$/, ''));
  client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(LEGACY()), version: 2 }, contentChanges: [{ text: lines.join('\n') }] });
  await client.until('suppressed', () => !client.codes(LEGACY()).includes('unknown-owner'));
});

test('go to definition from a group name, and references from the manifest', async () => {
  const text = readFileSync(WIN(), 'utf8');
  const def = (await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri(WIN()) }, position: positionOf(text, 'grp-all-staff', 3) })) as Location;
  assert.equal(def.uri, uri(MANIFEST()));
  assert.equal(def.range.start.line, 5);
  const manifest = readFileSync(MANIFEST(), 'utf8');
  const refs = (await client.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: uri(MANIFEST()) }, position: positionOf(manifest, 'grp-all-staff', 3), context: { includeDeclaration: false } })) as Location[];
  const files = refs.map((r) => r.uri).sort();
  assert.deepEqual(files, [uri(CA()), uri(WIN())].sort());
});

test('document symbols and workspace symbols', async () => {
  const syms = (await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri(WIN()) } })) as { name: string; children?: { name: string }[] }[];
  assert.deepEqual(syms.map((s) => s.name), ['kind', 'name', 'owner', 'assignments', 'spec']);
  assert.ok(syms.find((s) => s.name === 'spec')!.children!.some((c) => c.name === 'scheduledActionsForRule'));
  const ws = (await client.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'legacy' })) as { name: string }[];
  assert.deepEqual(ws.map((s) => s.name), ['ca-block-legacy']);
  const byDisplay = (await client.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'Windows baseline' })) as { name: string }[];
  assert.deepEqual(byDisplay.map((s) => s.name), ['win-compliance']);
});

test('zeroTrust/layers returns the seven layers of the tenant with statuses', async () => {
  const r = (await client.conn.sendRequest(LayersRequest)) as LayersResult;
  assert.equal(r.tenants.length, 1);
  const t = r.tenants[0]!;
  assert.equal(t.name, 'contoso-lsp');
  assert.deepEqual(t.layers.map((l) => l.layer), [1, 2, 3, 4, 5, 6, 7]);
  const l3 = t.layers[2]!;
  assert.deepEqual(l3.policies.map((p) => p.name), ['win-compliance']);
  assert.equal(t.layers[6]!.status, 'notStarted');
  assert.ok(t.layers.every((l) => l.licensed));
  assert.ok(['complete', 'partial', 'blocked'].includes(t.layers[3]!.status));
});

test('deleting a file clears its diagnostics', async () => {
  const gone = join(T, 'ca', 'broken.yaml');
  writeFileSync(gone, 'kind: ConditionalAccessPolicy\nname: broken\nspec: {}\n');
  client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(gone), type: FileChangeType.Created }] });
  await client.until('broken has diagnostics', () => client.codes(gone).includes('schema'));
  unlinkSync(gone);
  client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(gone), type: FileChangeType.Deleted }] });
  await client.until('broken cleared', () => client.diagnostics.get(uri(gone))?.length === 0);
});

void (null as unknown as TextDocumentEdit);

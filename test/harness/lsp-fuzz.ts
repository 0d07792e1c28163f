/**
 * Fuzzing the language server through a real JSON-RPC client over stdio (test/harness/lsp-client.ts). Shared by the
 * CI test (test/lsp/fuzz-lsp.test.ts, a few hundred seeded cases) and `npm run fuzz` (scripts/fuzz.ts, 100,000).
 *
 * Each case is a short sequence of what a client (or a hostile one) sends: opens, changes and closes with
 * out-of-range and huge positions (2^31, negative, fractional), repeated and backward versions, close/reopen pairs
 * with other text, requests at any position, watcher events and documents whose URIs have a host
 * (`file://server/share/…`), an encoded `/` (`%2F`), bytes that are not UTF-8 (`%FF`) or another scheme, and
 * workspace folder changes (also sent during the first scan of every new server). After each case:
 * - every request of the case was answered within the deadline, and a `zeroTrust/serverInfo` round trip succeeds;
 * - the server process is alive, and it logged no handler failure;
 * and per server, its resident memory at the end is within bounds of what it was once warm ("RSS flat").
 */
import fc from 'fast-check';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import { LspClient, uri } from './lsp-client';
import { LayersRequest, ServerInfoRequest, type ServerInfoResult } from '../../server/src/protocol';

/** A request not answered within this is a hang. */
export const REQUEST_DEADLINE_MS = 10_000;

const TEXTS = [
  'kind: CompliancePolicy\nname: win\nowner: endpoint\nassignments:\n  include: [grp-all-staff]\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: W\n  bitLockerEnabled: true\n',
  'kind: ConditionalAccessPolicy\nname: ca\nowner: nobody\nspec:\n  displayName: x\n  state: enabled\n  conditions:\n    users: { includeGroups: [grp-nowhere] }\n  grantControls: { operator: OR, builtInControls: [compliantDevice] }\n',
  '',
  'kind: Tenant\nname: t\nlicenses: [M365_E5]\ngroups:\n  - name: grp-all-staff\n',
  '{"kind": "CompliancePolicy", "name": "j", "spec": {"@odata.type": "#microsoft.graph.iosCompliancePolicy"}}',
  '\u0000\uD800}{][: - &*!|>%@`\r\r\n\t\u2028',
  'a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n',
  `kind: CompliancePolicy\nspec: ${'['.repeat(400)}${']'.repeat(400)}\n`,
];

/** The documents a case talks about: files of the workspace (by name) and URIs no file system has. */
const DOCS = ['contoso/compliance/win-compliance.yaml', 'contoso/ca/ca-require-compliant.yaml', 'contoso/zerotrust.yaml', 'contoso/compliance/new.yaml', 'contoso/ca/new.json'];
const ODD_URIS = ['file://server/share/contoso/x.yaml', 'file://SERVER/share/zerotrust.yaml', 'file:///tmp/a%2Fb.yaml', 'file:///tmp/inv%FFname.yaml', 'file:///%00.yaml', 'file://localhost/tmp/x.yaml', 'untitled:Untitled-1', 'file:', 'not a uri'];

const int = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 5, 8, 13),
  fc.constantFrom(-1, -(2 ** 31), 2 ** 31, 2 ** 31 - 1, 2 ** 32, 1e9, Number.MAX_SAFE_INTEGER, 1.5, -0.5),
  fc.integer({ min: 0, max: 40 }),
);
const position = fc.record({ line: int, character: int });
const range = fc.record({ start: position, end: position });

export type Op =
  | { op: 'open'; doc: number; version: number; text: number }
  | { op: 'change'; doc: number; version: 'next' | 'same' | 'back' | number; edits: ({ range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } | { text: string })[] }
  | { op: 'close'; doc: number }
  | { op: 'reopen'; doc: number; text: number }
  | { op: 'request'; kind: 'hover' | 'completion' | 'definition' | 'references' | 'codeAction' | 'symbols' | 'workspaceSymbols' | 'layers'; doc: number; position: { line: number; character: number } }
  | { op: 'watch'; changes: { doc: number; type: 1 | 2 | 3 }[] }
  | { op: 'folders'; add: boolean; remove: boolean };

const docIndex = fc.nat({ max: DOCS.length + ODD_URIS.length - 1 });

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('open' as const), doc: docIndex, version: int, text: fc.nat({ max: TEXTS.length - 1 }) }),
  fc.record({
    op: fc.constant('change' as const),
    doc: docIndex,
    version: fc.oneof(fc.constantFrom('next' as const, 'same' as const, 'back' as const), int),
    edits: fc.array(fc.oneof(fc.record({ range, text: fc.oneof(fc.constantFrom('', '\n', 'x', 'owner: nobody\n', '- ', '\r\n', '😀'), fc.string({ maxLength: 6 })) }), fc.record({ text: fc.constantFrom(...TEXTS) })), { maxLength: 4 }),
  }),
  fc.record({ op: fc.constant('close' as const), doc: docIndex }),
  fc.record({ op: fc.constant('reopen' as const), doc: docIndex, text: fc.nat({ max: TEXTS.length - 1 }) }),
  fc.record({ op: fc.constant('request' as const), kind: fc.constantFrom('hover' as const, 'completion' as const, 'definition' as const, 'references' as const, 'codeAction' as const, 'symbols' as const, 'workspaceSymbols' as const, 'layers' as const), doc: docIndex, position }),
  fc.record({ op: fc.constant('watch' as const), changes: fc.array(fc.record({ doc: docIndex, type: fc.constantFrom(1 as const, 2 as const, 3 as const) }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constant('folders' as const), add: fc.boolean(), remove: fc.boolean() }),
);

export const caseArb: fc.Arbitrary<Op[]> = fc.array(opArb, { minLength: 1, maxLength: 6 });

interface Server {
  client: LspClient;
  versions: Map<string, number>;
  open: Set<string>;
  secondFolder: boolean;
  warmRss?: number;
  lastRss?: number;
  cases: number;
}

function rssMB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function deadline<T>(p: Thenable<T> | Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    Promise.resolve(p).finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`unanswered: ${what} (no answer within ${REQUEST_DEADLINE_MS} ms)`)), REQUEST_DEADLINE_MS);
    }),
  ]);
}

export interface LspFuzzResult {
  runs: number;
  ms: number;
  servers: number;
  /** Per server: RSS once warm and at the end, in MB. */
  rss: { warm: number; last: number }[];
  slowestMs: number;
}

export interface LspFuzzOptions {
  runs: number;
  seed: number;
  /** Cases per server before a fresh one is started (each start also changes folders during its first scan). */
  casesPerServer?: number;
  onProgress?: (done: number) => void;
  /** Allowed RSS growth per server, from warm to the end. */
  maxRssGrowthMB?: number;
}

/** Run `runs` seeded cases against real servers; rejects with the failing case (and its seed and index). */
export async function lspFuzz(options: LspFuzzOptions): Promise<LspFuzzResult> {
  const perServer = options.casesPerServer ?? 10_000;
  const maxGrowth = options.maxRssGrowthMB ?? 150;
  const dir = mkdtempSync(join(tmpdir(), 'ztp-lsp-fuzz-'));
  const second = mkdtempSync(join(tmpdir(), 'ztp-lsp-fuzz-b-'));
  cpSync(join(__dirname, '..', 'lsp', 'workspace'), dir, { recursive: true });
  cpSync(join(__dirname, '..', 'lsp', 'workspace'), second, { recursive: true });
  // Enough files that a folder change arrives while the first scan still runs.
  for (let i = 0; i < 150; i++) writeFileSync(join(dir, 'contoso', 'compliance', `bulk-${i}.yaml`), TEXTS[0]!.replace('name: win', `name: bulk-${i}`));
  const uris = [...DOCS.map((d) => uri(join(dir, d))), ...ODD_URIS];
  const rss: LspFuzzResult['rss'] = [];
  let server: Server | undefined;
  let servers = 0;
  let done = 0;
  let slowest = 0;
  const started = performance.now();

  const startServer = async (): Promise<Server> => {
    const client = await LspClient.start([dir]);
    servers++;
    // A folder change during the first scan: add the second folder and take it away again.
    client.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: uri(second), name: 'b' }], removed: [] } });
    client.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [{ uri: uri(second), name: 'b' }] } });
    return { client, versions: new Map(), open: new Set(), secondFolder: false, cases: 0 };
  };
  const stopServer = async (s: Server): Promise<void> => {
    if (s.warmRss !== undefined && s.lastRss !== undefined) rss.push({ warm: s.warmRss, last: s.lastRss });
    await s.client.stop();
  };

  const runCase = async (s: Server, ops: Op[]): Promise<void> => {
    const c = s.client;
    const pending: Promise<unknown>[] = [];
    for (const o of ops) {
      if (o.op === 'open' || o.op === 'reopen') {
        const u = uris[o.doc]!;
        if (o.op === 'reopen') c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: u } });
        const version = o.op === 'open' ? o.version : 1;
        c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: u.endsWith('.json') ? 'json' : 'yaml', version, text: TEXTS[o.text]! } });
        s.versions.set(u, version);
        s.open.add(u);
      } else if (o.op === 'change') {
        const u = uris[o.doc]!;
        const cur = s.versions.get(u) ?? 0;
        const version = o.version === 'next' ? cur + 1 : o.version === 'same' ? cur : o.version === 'back' ? cur - 1 : o.version;
        s.versions.set(u, Number.isSafeInteger(version) ? version : cur + 1);
        c.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version }, contentChanges: o.edits });
      } else if (o.op === 'close') {
        const u = uris[o.doc]!;
        c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: u } });
        s.open.delete(u);
      } else if (o.op === 'watch') {
        c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: o.changes.map((x) => ({ uri: uris[x.doc]!, type: x.type })) });
      } else if (o.op === 'folders') {
        const added = o.add && !s.secondFolder ? [{ uri: uri(second), name: 'b' }] : [];
        const removed = o.remove && (s.secondFolder || !o.add) ? [{ uri: uri(second), name: 'b' }] : [];
        if (added.length) s.secondFolder = true;
        if (removed.length) s.secondFolder = false;
        c.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added, removed } });
      } else {
        const u = uris[o.doc]!;
        const td = { textDocument: { uri: u }, position: o.position };
        const what = `${o.kind} at ${JSON.stringify(o.position)} in ${u}`;
        const r =
          o.kind === 'hover' ? c.conn.sendRequest(HoverRequest.type, td)
          : o.kind === 'completion' ? c.conn.sendRequest(CompletionRequest.type, td)
          : o.kind === 'definition' ? c.conn.sendRequest(DefinitionRequest.type, td)
          : o.kind === 'references' ? c.conn.sendRequest(ReferencesRequest.type, { ...td, context: { includeDeclaration: true } })
          : o.kind === 'codeAction' ? c.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: u }, range: { start: o.position, end: o.position }, context: { diagnostics: [{ range: { start: o.position, end: o.position }, message: 'x', code: 'ca-requires-compliance-policy' }, { range: { start: o.position, end: o.position }, message: 'x', code: 'schema' }] } })
          : o.kind === 'symbols' ? c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } })
          : o.kind === 'workspaceSymbols' ? c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'w' })
          : c.conn.sendRequest(LayersRequest);
        pending.push(deadline(r, what));
      }
    }
    await Promise.all(pending);
    const info = (await deadline(c.conn.sendRequest(ServerInfoRequest), 'zeroTrust/serverInfo')) as ServerInfoResult;
    if (info.pid !== c.child.pid) throw new Error('the server answered with another pid');
    if (c.child.exitCode !== null) throw new Error(`the server exited with ${c.child.exitCode}`);
    const failed = c.logs.find((l) => /failed:|file watcher:|unhandled/i.test(l));
    if (failed) throw new Error(`the server logged a failure: ${failed.slice(0, 2000)}`);
    // Keep the client's memory flat too.
    c.logs.length = 0;
    c.notifications.length = 0;
    if (c.diagnostics.size > 1000) c.diagnostics.clear();
  };

  try {
    const chunk = 1000;
    for (let base = 0; base < options.runs; base += chunk) {
      const cases = fc.sample(caseArb, { numRuns: Math.min(chunk, options.runs - base), seed: options.seed + base });
      for (let i = 0; i < cases.length; i++) {
        if (!server || server.cases >= perServer) {
          if (server) {
            server.lastRss = rssMB(server.client.child.pid);
            await stopServer(server);
          }
          server = await startServer();
        }
        const t0 = performance.now();
        try {
          await runCase(server, cases[i]!);
        } catch (e) {
          throw new Error(`LSP fuzz case ${base + i} (seed ${options.seed}) failed: ${(e as Error).message}\nops: ${JSON.stringify(cases[i])}\nserver stderr: ${server.client.stderr.join('').slice(-2000)}`);
        }
        slowest = Math.max(slowest, performance.now() - t0);
        server.cases++;
        if (server.cases === Math.min(1000, Math.max(50, Math.floor(perServer / 10)))) server.warmRss = rssMB(server.client.child.pid);
        if (++done % 1000 === 0) options.onProgress?.(done);
      }
    }
    if (server) {
      server.lastRss = rssMB(server.client.child.pid);
      await stopServer(server);
      server = undefined;
    }
  } finally {
    if (server) await server.client.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  }
  for (const r of rss) if (r.last - r.warm > maxGrowth) throw new Error(`RSS not flat: ${r.warm.toFixed(0)} MB once warm, ${r.last.toFixed(0)} MB at the end`);
  return { runs: done, ms: performance.now() - started, servers, rss, slowestMs: slowest };
}

/**
 * A minimal LSP client for the benchmarks: spawns a server over stdio, answers its requests, and records when each
 * publishDiagnostics arrives (by uri) so latencies can be measured from the didChange that caused them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { stopLanguageServer } from '../test/harness/lsp-client';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';

export interface Published {
  uri: string;
  at: number;
  count: number;
}

export class BenchClient {
  readonly publishes: Published[] = [];
  firstPublishAt = 0;
  progressEndAt = 0;
  private listeners: ((p: Published) => void)[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly child: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {}

  static start(command: string, args: string[], configuration: unknown = null): BenchClient {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const c = new BenchClient(child, conn);
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
      const rec = { uri: p.uri, at: performance.now(), count: p.diagnostics.length };
      if (!c.firstPublishAt) c.firstPublishAt = rec.at;
      c.publishes.push(rec);
      for (const l of c.listeners) l(rec);
    });
    conn.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
      if (p.value?.kind === 'end') c.progressEndAt = performance.now();
    });
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => configuration));
    conn.onNotification('window/logMessage', () => undefined);
    conn.onNotification('telemetry/event', () => undefined);
    conn.listen();
    return c;
  }

  async initialize(folder: string): Promise<number> {
    const t0 = performance.now();
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(folder).toString(),
      workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
    });
    this.conn.sendNotification('initialized', {});
    return t0;
  }

  open(path: string): string {
    const uri = pathToFileURL(path).toString();
    this.versions.set(uri, 1);
    this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(path, 'utf8') } });
    return uri;
  }

  /** Send a full-text change and resolve with the time each of `waitFor` uris was next published (ms after sending). */
  async change(uri: string, text: string, waitFor: string[], timeoutMs = 10_000): Promise<number[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const pending = new Map(waitFor.map((u) => [u, -1]));
    const t0 = performance.now();
    const done = new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${[...pending].filter(([, v]) => v < 0).map(([u]) => u).join(', ')} within ${timeoutMs} ms`)), timeoutMs);
      const listener = (p: Published): void => {
        if (pending.get(p.uri) === -1) pending.set(p.uri, p.at - t0);
        if ([...pending.values()].every((v) => v >= 0)) {
          clearTimeout(timer);
          this.listeners = this.listeners.filter((l) => l !== listener);
          resolve(waitFor.map((u) => pending.get(u)!));
        }
      };
      this.listeners.push(listener);
    });
    this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return done;
  }

  /** Peak resident set size of the server process (VmHWM), in MB. */
  peakRssMb(): number {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    } catch {
      return NaN;
    }
  }

  async stop(): Promise<void> {
    await stopLanguageServer(this.conn, this.child);
  }
}

/** Poll `check` every `everyMs` (20 ms: a coarse wait; 1 ms when the wait is itself measured). */
export async function waitFor(what: string, check: () => boolean, timeoutMs: number, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A real LSP client over stdio for tests: spawns `ztp lsp --stdio`, records every publishDiagnostics, and waits
 * for conditions with a deadline (never a fixed sleep).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection, type Diagnostic, PublishDiagnosticsNotification, InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification, ResponseError } from 'vscode-languageserver-protocol/node';

export const BIN = join(__dirname, '..', '..', 'bin', 'ztp.js');

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every set of diagnostics published for each URI, in order. */
  readonly history = new Map<string, Diagnostic[][]>();
  readonly notifications: string[] = [];
  readonly logs: string[] = [];
  /** Log lines the server sent at error level. */
  readonly errorLogs: string[] = [];
  /** What the server wrote to stderr. */
  readonly stderr: string[] = [];
  /** Work-done progress reports that ended (the first scan's is the first). */
  progressEnded = 0;
  private waiters: (() => void)[] = [];
  private constructor(
    readonly child: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {}

  /**
   * Start the server and initialize it. `options.nodeArgs` go before the script (e.g. `--require <guard>`);
   * `options.processId` is the parent process id sent in `initialize` (default: this test process).
   */
  static async start(folders: string[], initializationOptions?: unknown, options: { nodeArgs?: string[]; processId?: number | null; minimal?: boolean } = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => client.stderr.push(String(d)));
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, conn);
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.history.set(p.uri, [...(client.history.get(p.uri) ?? []), p.diagnostics]);
      client.wake();
    });
    for (const method of ['zeroTrust/layersChanged', 'window/logMessage']) {
      conn.onNotification(method, (params: unknown) => {
        client.notifications.push(method);
        if (method === 'window/logMessage') {
          const m = params as { message?: string; type?: number };
          client.logs.push(String(m.message));
          if (m.type === 1) client.errorLogs.push(String(m.message));
        }
        client.wake();
      });
    }
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
      if (p?.value?.kind === 'end') client.progressEnded++;
      client.wake();
    });
    // A minimal client (as editors with a bare LSP set-up are) registers nothing dynamically.
    conn.onRequest('client/registerCapability', () => (options.minimal ? new ResponseError(-32601, 'client/registerCapability is not supported') : null));
    conn.listen();
    if (options.minimal) {
      // No workspaceFolders, no workspace/configuration, no documentChanges, no work-done progress: a root URI only.
      await conn.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: folders[0] ? uri(folders[0]) : null,
        capabilities: { textDocument: { publishDiagnostics: {} } },
        initializationOptions,
      });
      conn.sendNotification(InitializedNotification.type, {});
      return client;
    }
    await conn.sendRequest(InitializeRequest.type, {
      processId: options.processId === undefined ? process.pid : options.processId,
      rootUri: null,
      workspaceFolders: folders.map((f) => ({ uri: uri(f), name: f })),
      capabilities: {
        workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] }, workspaceFolders: true },
        textDocument: { hover: { contentFormat: ['markdown'] }, publishDiagnostics: { relatedInformation: true } },
        window: { workDoneProgress: true },
      },
      initializationOptions,
    });
    conn.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Wait until `check` holds, re-checking on every message, failing after `ms`. */
  async until<T>(what: string, check: () => T | undefined | false, ms = 15000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = check();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  codes(file: string): string[] {
    return (this.diagnostics.get(uri(file)) ?? []).map((d) => String(d.code)).sort();
  }

  async stop(): Promise<void> {
    await stopLanguageServer(this.conn, this.child);
  }
}

/**
 * Stop a server the LSP way: `shutdown` (given 2 s to answer), then `exit`; kill it only if it has not exited 3 s
 * later. Shared by the tests and the benchmarks.
 */
export async function stopLanguageServer(conn: ProtocolConnection, child: ChildProcess): Promise<void> {
  try {
    await Promise.race([conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
    conn.sendNotification(ExitNotification.type);
  } catch {
    // already gone
  }
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
  conn.dispose();
}

export function uri(path: string): string {
  return pathToFileURL(path).toString();
}

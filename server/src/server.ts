/**
 * The language server: wiring only. Started by the extension over IPC, or by any editor with `ztp lsp --stdio`. The
 * analysis is the core's (`createPolicyService`); `lsp/` turns its answers into LSP. Every handler runs behind
 * `safe`, so one failure never takes the server down.
 */
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, FileChangeType, CodeActionKind, DidChangeConfigurationNotification, type InitializeParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createPolicyService, isManifestPath, POLICY_FILE_PATTERN, precompileAll, relative, type PolicyService, type PolicyServiceOptions } from './core/index';
import { shippedSettingsCatalog } from './host/settings-catalog-file';
import { confinedFileSystem, nodeFileSystemSync } from './host/node-fs';
import { applyClampedChanges, clampVersion } from './lsp/clamp';
import { uriToPath } from './lsp/convert';
import { makeSafe } from './lsp/safe';
import { initializationSettings, Session } from './lsp/session';
import { Publisher } from './lsp/publish';
import { consoleToLog, FramedMessageWriter } from './lsp/transport';
import { Scanner } from './lsp/scan';
import { CodeActions } from './lsp/code-actions';
import { EditorFeatures } from './lsp/features';
import { handleWhatIf } from './lsp/what-if';
import { rehearsalSink, warmUp, warmUpFiles, type Rehearsal } from './lsp/warm-up';
import { changeImpact } from './lsp/change-impact';
import { ChangeImpactRequest, LayersRequest, LayerReportRequest, ServerInfoRequest, WhatIfRequest, type ChangeImpactParams, type LayersResult, type ServerInfoResult, type WhatIfParams, type ZeroTrustSettings } from './protocol';
import pkg from '../../package.json';
import { isReadWorker, serveReads } from './host/read-pool';
import { lowerBackgroundThreads } from './host/thread-priority';

/** How long after a file opens its tenant's rules run on this thread, when a read worker analysed it (`settle`). */
const SETTLE_DELAY_MS = 100;

// The same bundle runs the first scan's read workers (host/read-pool.ts).
if (isReadWorker()) serveReads();
else startLanguageServer();

function startLanguageServer(): void {

  // Over stdio, each turn's messages go out in one write (lsp/transport.ts); stdin is handed over as a stream, so that
  // the server still exits when the editor closes it.
  const stdio = process.argv.includes('--stdio');
  const writer = stdio ? new FramedMessageWriter(process.stdout) : undefined;
  const connection = writer ? createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream) : createConnection(ProposedFeatures.all);
  if (stdio) consoleToLog(connection.console);
  // When a message was last handled: the edit path's warm-up runs only while the editor is idle (lsp/warm-up.ts).
  let lastActivity = 0;
  const logError = (text: string): void => connection.console.error(text);
  const safe = makeSafe(logError, () => (lastActivity = performance.now()));
  // Changes are clamped before they reach the text document: vscode-languageserver-textdocument trusts their ranges
  // and versions, and a change at line 2^31 made it allocate until the process aborted (lsp/clamp.ts).
  const documents = new TextDocuments({ create: (uri: string, languageId: string, version: number, text: string) => TextDocument.create(uri, languageId, clampVersion(version, 0), typeof text === 'string' ? text : ''), update: applyClampedChanges });
  const serviceOptions: PolicyServiceOptions = {
    // Reads only inside the workspace folders, symbolic links resolved (see SECURITY.md).
    // Synchronous reads, as the CLI's: the scan yields to requests between batches of files (lsp/scan.ts).
    fs: confinedFileSystem(nodeFileSystemSync, () => session.folders),
    onRuleError: (id, e) => connection.console.error(`rule ${id} failed and was skipped: ${(e as Error).stack ?? String(e)}`),
    // The shipped settings catalog index, read on first use (no setting names a file: SECURITY.md).
    settingsCatalog: () => shippedSettingsCatalog((message) => connection.console.error(`the settings catalog index cannot be read: ${message}`)),
    // After an edit, only the rules whose reads it changed run again (core/reads.ts).
    incremental: true,
  };
  const service = createPolicyService(serviceOptions);
  const session = new Session(service);
  // Over IPC each message is sent as it is made; over stdio the edited file's diagnostics are written at once. The
  // publisher's own timer (the tree's layer progress) is not a message from the editor: it does not count as activity,
  // or a first scan's share of reading on this thread would wait after each of its ticks (lsp/scan.ts).
  const publisher = new Publisher(connection, documents, service, session, makeSafe(logError), () => writer?.flush());
  const scanner = new Scanner(connection, documents, service, session, publisher, (id, e) => connection.console.error(`rule ${id} failed and was skipped: ${e}`), () => lastActivity);
  const codeActions = new CodeActions(connection, documents, service, session);
  const features = new EditorFeatures(service, documents);

  /** A file this server analyses: YAML or JSON, not excluded by the settings. */
  const isPolicyPath = (path: string | undefined): path is string => !!path && POLICY_FILE_PATTERN.test(path) && !session.isExcluded(path);

  connection.onInitialize((params: InitializeParams) => {
    session.initialize(params);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '-', '"', '[', ','], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'ztp', version: pkg.version },
    };
  });

  async function pullSettings(): Promise<void> {
    if (!session.canConfigure) return;
    try {
      session.applySettings(((await connection.workspace.getConfiguration('zeroTrust')) as ZeroTrustSettings | null) ?? undefined);
    } catch (e) {
      connection.console.warn(`could not read settings: ${String(e)}`);
    }
  }

  connection.onInitialized(
    safe(
      'initialized',
      async () => {
        // Registered before the first scan, so folders added or removed while it runs are not lost; only with clients
        // that send the notification (asking others for it is an error on their side).
        if (session.canTrackFolders) {
          connection.workspace.onDidChangeWorkspaceFolders(
            safe(
              'workspace folders',
              (e) => {
                for (const r of e.removed) {
                  const p = uriToPath(r.uri);
                  if (!p) continue;
                  session.folders = session.folders.filter((f) => f !== p);
                  scanner.removeFolder(p);
                }
                scanner.pruneOutsideFolders();
                const added = e.added.map((a) => uriToPath(a.uri)).filter((p): p is string => !!p && !session.folders.includes(p));
                session.folders.push(...added);
                if (added.length) void safe('scan', (list: string[]) => scanner.scan(list), Promise.resolve())(added);
                else publisher.publish(publisher.all());
              },
              undefined,
            ),
          );
        }
        precompileAll();
        if (session.canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'zeroTrust' }).catch(() => undefined);
        await pullSettings();
        try {
          await scanner.scan([...session.folders]);
        } finally {
          // No `--optimize-for-size` after the scan (there was): measured on msp, it left the server 2 MB smaller
          // after 200 edits and made those edits 15% slower.
          session.scanned = true;
          // From now on the editor's requests come first: V8's compiler and collector threads work below this one
          // (host/thread-priority.ts).
          lowerBackgroundThreads();
          // Counts as activity: the warm-up waits for a quiet moment after the scan, as after any message.
          safe('warm-up', warmEditPath, undefined)();
        }
      },
      Promise.resolve(),
    ),
  );

  /** Warm this thread's edit path on a copy of part of the tenant the author is most likely to edit (lsp/warm-up.ts). */
  function warmEditPath(): void {
    const open = documents.all().map((d) => uriToPath(d.uri)).filter(isPolicyPath);
    const root = open.map((p) => service.tenantRootOf(p)).find((r) => r !== undefined) ?? service.tenantRoots()[0];
    if (root === undefined) return;
    const scratch = (): PolicyService => {
      const store = createPolicyService({ ...serviceOptions, onRuleError: () => undefined });
      store.settings = service.settings;
      return store;
    };
    const files = warmUpFiles(service, root, open);
    const started = performance.now();
    // The publishing path is rehearsed too: a publisher over the copy, sending nothing.
    const rehearsal = (store: PolicyService): Rehearsal => new Publisher(rehearsalSink, documents, store, session, safe);
    void warmUp(root, files, { service, scratch, rehearsal, lastActivity: () => lastActivity })
      .then((steps) => connection.console.log(`edit path warmed: ${steps} steps on a copy of ${files.length} files of ${root}, over ${Math.round(performance.now() - started)} ms`))
      // The connection may be gone by then.
      .catch(() => undefined);
  }

  connection.onDidChangeConfiguration(
    safe(
      'configuration',
      async (params: { settings?: unknown } | undefined) => {
        // Clients without `workspace/configuration` push the settings with the notification.
        if (session.canConfigure) await pullSettings();
        else {
          const pushed = initializationSettings(params?.settings);
          if (pushed) session.applySettings(pushed);
        }
        publisher.publish(publisher.all());
      },
      Promise.resolve(),
    ),
  );

  documents.onDidChangeContent(
    safe(
      'change',
      (e) => {
        const path = uriToPath(e.document.uri);
        if (!isPolicyPath(path)) return;
        const before = service.tenantRootOf(path);
        service.update(path, e.document.getText(), e.document.version);
        // The author is typing: a scan running leaves the rest of its reading to the workers for a while (lsp/scan.ts).
        scanner.noteEdit();
        // During the first scan the file's tenant may not be read yet: the scan reads it next and publishes it with
        // its tenant, this file first. A tenant already read is published at once.
        if (!session.scanned && !scanner.isReady(path)) {
          scanner.prioritize(path);
          return;
        }
        publisher.publishEdit(isManifestPath(path) ? publisher.all() : [before, service.tenantRootOf(path)], path);
      },
      undefined,
    ),
  );

  // A file opened after the first scan belongs to a tenant whose findings a read worker may have made: the rules have
  // not run on this thread yet, and the first edit would pay for what they keep per file. They run once the file's
  // diagnostics are out, while the author reads it, and publish only what (against expectation) differs. An edit
  // before then analyses the tenant itself, and this finds nothing left to do.
  documents.onDidOpen(
    safe(
      'open',
      (e) => {
        const path = uriToPath(e.document.uri);
        if (!isPolicyPath(path)) return;
        setTimeout(
          safe(
            'open',
            () => {
              const root = service.tenantRootOf(path);
              if (service.settle(root)) publisher.publish([root]);
            },
            undefined,
          ),
          SETTLE_DELAY_MS,
        );
      },
      undefined,
    ),
  );

  documents.onDidClose(
    safe(
      'close',
      async (e) => {
        // The buffer may have differed from the disk; go back to what is saved.
        const path = uriToPath(e.document.uri);
        if (!path || !POLICY_FILE_PATTERN.test(path)) return;
        // Reopened at once (VS Code does this when the language mode changes): the new buffer stands.
        if (documents.get(e.document.uri)) return;
        if (!(await scanner.loadFile(path))) publisher.clear(path);
        // A manifest back to what is saved may name its tenant otherwise: another tenant of that name is published too.
        publisher.publish(isManifestPath(path) ? publisher.all() : [service.tenantRootOf(path)], documents.get(e.document.uri) ? path : undefined);
      },
      Promise.resolve(),
    ),
  );

  connection.onDidChangeWatchedFiles(
    safe(
      'file watcher',
      async (params) => {
        const roots = new Set<string | undefined>();
        let manifestChanged = false;
        for (const change of Array.isArray(params?.changes) ? params.changes : []) {
          // One bad event (a URI that names no file here) never drops the rest of the batch.
          await safe(
            `file watcher: ${String(change?.uri)}`,
            async () => {
              const path = uriToPath(change.uri);
              // Only files in the workspace folders: the server reads nothing else (see SECURITY.md).
              if (!isPolicyPath(path) || !session.isInWorkspace(path)) return;
              if (isManifestPath(path)) manifestChanged = true;
              scanner.noteChanged(path);
              roots.add(service.tenantRootOf(path));
              if (change.type === FileChangeType.Deleted) {
                service.remove(path);
                publisher.clear(path);
              } else if (!documents.get(change.uri) && !(await scanner.loadFile(path))) publisher.clear(path);
              roots.add(service.tenantRootOf(path));
            },
            Promise.resolve(),
          )();
        }
        // A manifest that appears or goes moves files between tenants: re-publish everything.
        publisher.publish(manifestChanged ? publisher.all() : [...roots]);
      },
      Promise.resolve(),
    ),
  );

  connection.onHover(safe('hover', (p) => features.hover(p), null));
  connection.onCompletion(safe('completion', (p) => features.completion(p), []));
  connection.onCodeAction(safe('code actions', (p) => codeActions.actions(p), []));
  connection.onDefinition(safe('definition', (p) => features.definition(p), null));
  connection.onReferences(safe('references', (p) => features.references(p), []));
  connection.onDocumentSymbol(safe('document symbols', (p) => features.documentSymbols(p), []));
  connection.onWorkspaceSymbol(safe('workspace symbols', (p) => features.workspaceSymbols(p), []));

  connection.onRequest(LayersRequest, safe('layers', (): LayersResult => publisher.layers(), { tenants: [] }));
  connection.onRequest(LayerReportRequest, safe('layer report', () => ({ markdown: service.layerReport((root, p) => relative(root, p)) }), { markdown: '' }));
  connection.onRequest(ServerInfoRequest, (): ServerInfoResult => ({ pid: process.pid, version: pkg.version }));
  connection.onRequest(WhatIfRequest, safe('what if', (params: WhatIfParams | undefined) => handleWhatIf(service, service.tenantRoots(), params, session.folders[0]), { tenants: [], errors: ['the What If evaluation failed; see the server log'] }));

  connection.onRequest(
    ChangeImpactRequest,
    safe('change impact', (params: ChangeImpactParams) => changeImpact(service, session, params), Promise.resolve({ markdown: 'The change impact could not be computed; see the server log.', failures: [], layers: [] })),
  );

  documents.listen(connection);
  connection.listen();
}

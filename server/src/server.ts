/**
 * The language server: a thin adapter over the analysis core. Started by the extension over IPC, or by any
 * editor with `ztp lsp --stdio`.
 */
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, FileChangeType, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createPolicyService, POLICY_FILE_PATTERN } from './core/workspace';
import { nodeFileSystem } from './host/node-fs';
import { toDiagnostic, pathToUri, uriToPath } from './lsp/convert';
import { precompileAll } from './core/schema/validator';
import type { AnalysisSettings } from './core/analyze';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = createPolicyService({
  fs: nodeFileSystem,
  onRuleError: (id, e) => connection.console.error(`rule ${id} failed: ${(e as Error).stack ?? String(e)}`),
});
let folders: string[] = [];
const published = new Map<string, string>();

function safe<A extends unknown[], R>(name: string, fn: (...a: A) => R, fallback: R): (...a: A) => R {
  return (...a: A) => {
    try {
      return fn(...a);
    } catch (e) {
      connection.console.error(`${name} failed: ${(e as Error).stack ?? String(e)}`);
      return fallback;
    }
  };
}

connection.onInitialize((params) => {
  folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  if (!folders.length && params.rootUri) {
    const p = uriToPath(params.rootUri);
    if (p) folders = [p];
  }
  const opts = params.initializationOptions as { settings?: AnalysisSettings } | undefined;
  if (opts?.settings) service.settings = opts.settings;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'ztp', version: '0.1.0' },
  };
});

/** Publish every file whose diagnostics changed in the given tenants. */
function publish(roots: (string | undefined)[]): void {
  const byFile = new Map<string, Diagnostic[]>();
  const inRoots = new Set<string>();
  for (const root of new Set(roots)) {
    for (const p of service.paths()) if (service.tenantRootOf(p) === root) inRoots.add(p);
    for (const f of service.analyzeTenant(root)) {
      const list = byFile.get(f.file) ?? [];
      list.push(toDiagnostic(service, f));
      byFile.set(f.file, list);
    }
  }
  for (const p of inRoots) {
    const diags = byFile.get(p) ?? [];
    const key = JSON.stringify(diags);
    if (published.get(p) === key) continue;
    published.set(p, key);
    void connection.sendDiagnostics({ uri: pathToUri(p), diagnostics: diags });
  }
}

async function scanFolders(list: string[]): Promise<void> {
  for (const folder of list) {
    const files = await service.discover(folder);
    await Promise.all(files.map((f) => service.load(f).catch(() => undefined)));
  }
  publish([...service.tenantRoots(), undefined]);
}

connection.onInitialized(() => {
  precompileAll();
  void scanFolders(folders);
  connection.workspace.onDidChangeWorkspaceFolders(
    safe('workspace folders', (e) => {
      for (const r of e.removed) {
        const p = uriToPath(r.uri);
        if (!p) continue;
        for (const gone of service.removeFolder(p)) clear(gone);
        folders = folders.filter((f) => f !== p);
      }
      const added = e.added.map((a) => uriToPath(a.uri)).filter((p): p is string => !!p);
      folders.push(...added);
      void scanFolders(added);
    }, undefined),
  );
});

function clear(path: string): void {
  if (published.has(path)) {
    published.delete(path);
    void connection.sendDiagnostics({ uri: pathToUri(path), diagnostics: [] });
  }
}

documents.onDidChangeContent(
  safe('change', (e) => {
    const path = uriToPath(e.document.uri);
    if (!path || !POLICY_FILE_PATTERN.test(path)) return;
    const before = service.tenantRootOf(path);
    service.update(path, e.document.getText(), e.document.version);
    publish([before, service.tenantRootOf(path)]);
  }, undefined),
);

connection.onDidChangeWatchedFiles(async (params) => {
  const roots = new Set<string | undefined>();
  for (const change of params.changes) {
    const path = uriToPath(change.uri);
    if (!path || !POLICY_FILE_PATTERN.test(path)) continue;
    roots.add(service.tenantRootOf(path));
    if (change.type === FileChangeType.Deleted) {
      service.remove(path);
      clear(path);
    } else if (!documents.get(change.uri)) {
      await service.load(path).catch(() => undefined);
    }
    roots.add(service.tenantRootOf(path));
  }
  // A manifest that appears or goes moves files between tenants: re-publish everything.
  if (params.changes.some((c) => /zerotrust\.yaml$/.test(c.uri))) publish([...service.tenantRoots(), undefined]);
  else publish([...roots]);
});

documents.listen(connection);
connection.listen();

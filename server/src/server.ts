/**
 * The language server: a thin adapter over the analysis core. Started by the extension over IPC, or by any
 * editor with `ztp lsp --stdio`. Every handler runs behind `safe`, so one failure never takes the server down.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  FileChangeType,
  CodeActionKind,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  DidChangeConfigurationNotification,
  type Diagnostic,
  type CodeAction,
  type CompletionItem,
  type DocumentSymbol,
  type InitializeParams,
  type WorkspaceEdit,
  type TextDocumentEdit,
  type CreateFile,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyClampedChanges, clampVersion } from './lsp/clamp';
import { checkWriteTarget } from './host/confined-write';
import { setFlagsFromString } from 'node:v8';
import { createPolicyService, POLICY_FILE_PATTERN } from './core/workspace';
import { confinedFileSystem, nodeFileSystem } from './host/node-fs';
import { toDiagnostic, pathToUri, uriToPath } from './lsp/convert';
import { precompileAll } from './core/schema/validator';
import { ruleById } from './core/rules/index';
import { hover } from './core/features/hover';
import { complete, type CompletionEntry } from './core/features/completion';
import { definition, references, documentSymbols, workspaceSymbols, type OutlineSymbol } from './core/features/navigation';
import { layerStates, layerMarkdown, layerReportMarkdown } from './core/features/layer-status';
import { isInside, relative } from './core/paths';
import { spanAtPath } from './core/document';
import { forEachLimit, READ_CONCURRENCY } from './core/concurrency';
import type { Finding, Fix, Span } from './core/types';
import { LayersRequest, LayersChangedNotification, LayerReportRequest, ServerInfoRequest, type LayersResult, type ServerInfoResult, type TenantLayers, type ZeroTrustSettings } from './protocol';
import { globToRegExp } from './lsp/glob';
import { WhatIfRequest, type WhatIfParams } from './protocol';
import { handleWhatIf } from './lsp/what-if';
import pkg from '../../package.json';

// A language server lives as long as the editor: trade a little throughput for a heap that stays small.
setFlagsFromString('--optimize-for-size');

const connection = createConnection(ProposedFeatures.all);
// Changes are clamped before they reach the text document: vscode-languageserver-textdocument trusts their ranges
// and versions, and a change at line 2^31 made it allocate until the process aborted (lsp/clamp.ts).
const documents = new TextDocuments({ create: (uri: string, languageId: string, version: number, text: string) => TextDocument.create(uri, languageId, clampVersion(version, 0), typeof text === 'string' ? text : ''), update: applyClampedChanges });
const service = createPolicyService({
  // Reads only inside the workspace folders, symbolic links resolved (see SECURITY.md).
  fs: confinedFileSystem(nodeFileSystem, () => folders),
  onRuleError: (id, e) => connection.console.error(`rule ${id} failed and was skipped: ${(e as Error).stack ?? String(e)}`),
});
let folders: string[] = [];
let exclude: RegExp[] = [];
let canConfigure = false;
let canCreateFiles = false;
let canShowDisabled = false;
const published = new Map<string, string>();
const lastFindings = new Map<string | undefined, Finding[]>();
const layerHashes = new Map<string, string>();

/**
 * Wrap a handler so an exception is logged once per message and answered with a fallback. An async handler's
 * rejection is contained the same way (a rejected promise in a notification handler would otherwise go unhandled).
 */
function safe<A extends unknown[], R>(name: string, fn: (...a: A) => R, fallback: R): (...a: A) => R {
  const fail = (e: unknown): R => {
    try {
      connection.console.error(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
    } catch {
      // the connection is gone
    }
    return fallback;
  };
  return (...a: A) => {
    try {
      const r = fn(...a);
      if (r && typeof (r as { then?: unknown }).then === 'function') return (r as unknown as Promise<unknown>).then((v) => v, (e) => (fail(e) as unknown as Promise<unknown>)) as R;
      return r;
    } catch (e) {
      return fail(e);
    }
  };
}

function isExcluded(path: string): boolean {
  if (!exclude.length) return false;
  const folder = folders.find((f) => isInside(f, path));
  const rel = folder ? relative(folder, path) : path;
  return exclude.some((re) => re.test(rel));
}

connection.onInitialize((params: InitializeParams) => {
  folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  if (!folders.length && params.rootUri) {
    const p = uriToPath(params.rootUri);
    if (p) folders = [p];
  }
  const opts = params.initializationOptions as { settings?: ZeroTrustSettings } | undefined;
  if (opts?.settings) applySettings(opts.settings);
  canConfigure = !!params.capabilities.workspace?.configuration;
  const we = params.capabilities.workspace?.workspaceEdit;
  canCreateFiles = !!we?.documentChanges && !!we.resourceOperations?.includes('create');
  canShowDisabled = !!params.capabilities.textDocument?.codeAction?.disabledSupport;
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

function applySettings(s: ZeroTrustSettings | undefined): void {
  service.settings = { rules: { ...(s?.rules ?? {}) } };
  exclude = (s?.exclude ?? []).map(globToRegExp);
  if (typeof s?.maxFileSizeMB === 'number' && s.maxFileSizeMB > 0) service.maxFileSize = s.maxFileSizeMB * 1024 * 1024;
}

async function pullSettings(): Promise<void> {
  if (!canConfigure) return;
  try {
    const s = (await connection.workspace.getConfiguration('zeroTrust')) as ZeroTrustSettings | null;
    applySettings(s ?? undefined);
  } catch (e) {
    connection.console.warn(`could not read settings: ${String(e)}`);
  }
}

/** Analyse the given tenants and publish every file whose diagnostics changed. */
function publish(roots: (string | undefined)[], edited?: string): void {
  const byFile = new Map<string, Diagnostic[]>();
  const inRoots = new Set<string>();
  for (const root of new Set(roots)) {
    for (const p of service.filesOf(root)) inRoots.add(p);
    const findings = service.analyzeTenant(root).filter((f) => !isExcluded(f.file));
    lastFindings.set(root, findings);
    for (const f of findings) {
      const list = byFile.get(f.file) ?? [];
      list.push(toDiagnostic(service, f));
      byFile.set(f.file, list);
    }
  }
  // The edited file first: it is what the author is looking at.
  const order = edited && inRoots.has(edited) ? [edited, ...[...inRoots].filter((p) => p !== edited)] : [...inRoots];
  for (const p of order) {
    const diags = byFile.get(p) ?? [];
    const key = JSON.stringify(diags);
    // Other files only when their findings changed; the edited file always, so its version is known analysed.
    if (published.get(p) === key && p !== edited) continue;
    published.set(p, key);
    const version = p === edited ? documents.get(pathToUri(p))?.version : undefined;
    void connection.sendDiagnostics({ uri: pathToUri(p), version, diagnostics: diags });
  }
  scheduleLayerNotification(roots);
}

let pendingLayerRoots = new Set<string | undefined>();
let layerTimer: ReturnType<typeof setTimeout> | undefined;

/** The tree does not need every keystroke: compare layer progress once typing pauses, off the diagnostics path. */
function scheduleLayerNotification(roots: (string | undefined)[]): void {
  for (const r of roots) pendingLayerRoots.add(r);
  if (layerTimer) clearTimeout(layerTimer);
  layerTimer = setTimeout(() => {
    layerTimer = undefined;
    const list = [...pendingLayerRoots];
    pendingLayerRoots = new Set();
    safe('layer progress', () => notifyLayers(list), undefined)();
  }, 50);
}

function clear(path: string): void {
  if (published.has(path)) {
    published.delete(path);
    void connection.sendDiagnostics({ uri: pathToUri(path), diagnostics: [] });
  }
}

function layersResult(): LayersResult {
  const tenants: TenantLayers[] = [];
  for (const root of service.tenantRoots()) {
    if (isExcluded(root + '/zerotrust.yaml')) continue;
    tenants.push(tenantLayers(root));
  }
  return { tenants };
}

function tenantLayers(root: string): TenantLayers {
  const view = service.view(root);
  const findings = lastFindings.get(root) ?? service.analyzeTenant(root);
  const states = layerStates(view, findings);
  return {
    uri: pathToUri(root),
    name: view.manifest?.name ?? root,
    manifestUri: pathToUri(view.manifestFile?.path ?? `${root}/zerotrust.yaml`),
    ...(view.manifestProblem ? { problem: `the manifest cannot be read (${view.manifestProblem}); checks that need it were skipped` } : {}),
    layers: states.map((s) => ({
      layer: s.layer,
      name: s.name,
      status: s.status,
      licensed: s.licensed,
      licenseHint: s.licensed ? undefined : s.licenseHint,
      policies: s.policies.map((p) => ({ uri: pathToUri(p.path), name: p.name ?? '', kind: p.kind ?? '', platforms: p.platforms, line: p.parsed.lines.positionAt(spanAtPath(p.parsed, ['kind'], 'key').offset).line })),
      unmet: s.unmet.map((f) => ({
        ruleId: f.ruleId,
        message: f.message,
        severity: f.severity,
        uri: pathToUri(f.file),
        range: service.get(f.file)!.parsed.lines.rangeOf(f.span),
        fixable: !!ruleById(f.ruleId)?.fix,
      })),
      errors: s.errors,
      warnings: s.warnings,
      tooltip: layerMarkdown(view, s.layer),
    })),
  };
}

/** Tell the client when the layer progress of any of these tenants changed (a tenant appearing or going counts). */
function notifyLayers(roots: (string | undefined)[]): void {
  let changed = false;
  const live = new Set(service.tenantRoots());
  for (const root of new Set(roots)) {
    if (root === undefined) continue;
    const hash = live.has(root) ? JSON.stringify(tenantLayers(root)) : '';
    if (layerHashes.get(root) !== hash) {
      layerHashes.set(root, hash);
      changed = true;
    }
  }
  for (const root of [...layerHashes.keys()]) {
    if (!live.has(root)) {
      layerHashes.delete(root);
      changed = true;
    }
  }
  if (changed) void connection.sendNotification(LayersChangedNotification);
}

/**
 * Read a file from disk into the service. A file deleted since the scan, not a regular file, or outside the workspace
 * folders is forgotten silently (false); one that cannot be read gets a finding saying why, and a line in the log.
 */
async function loadFile(path: string): Promise<boolean> {
  const r = await service.loadOrSkip(path);
  if (r.status === 'unreadable') connection.console.warn(`cannot read ${path}: ${String(r.error)}`);
  // An editor may have opened the file (or its folder may have gone) while the disk was read: the buffer, and the
  // workspace as it is now, win over what the read found.
  const open = documents.get(pathToUri(path));
  if (open) {
    service.update(path, open.getText(), open.version);
    return true;
  }
  if (r.status !== 'skipped' && !isInWorkspace(path)) {
    service.remove(path);
    return false;
  }
  return r.status !== 'skipped';
}

function isInWorkspace(path: string): boolean {
  return folders.some((f) => isInside(f, path));
}

/** Forget every file that is no longer in a workspace folder (and not open): its diagnostics are cleared. */
function pruneOutsideFolders(): void {
  for (const p of service.paths()) {
    if (isInWorkspace(p) || documents.get(pathToUri(p))) continue;
    service.remove(p);
    clear(p);
  }
  for (const root of [...lastFindings.keys()]) if (root !== undefined && !service.tenantRoots().includes(root)) lastFindings.delete(root);
}

async function scanFolders(list: string[]): Promise<void> {
  const token = await connection.window.createWorkDoneProgress().catch(() => undefined);
  token?.begin('Zero Trust: analysing policies', 0, undefined, false);
  let files: string[] = [];
  for (const folder of list) files = files.concat((await service.discover(folder)).filter((f) => !isExcluded(f)));
  // Load and publish tenant by tenant, so the first diagnostics arrive long before a large workspace is done.
  const manifests = new Set(files.filter((f) => /(^|\/)zerotrust\.yaml$/.test(f)).map((f) => f.slice(0, f.lastIndexOf('/'))));
  const groups = new Map<string | undefined, string[]>();
  for (const f of files) {
    let dir = f.slice(0, f.lastIndexOf('/'));
    let root: string | undefined;
    while (dir) {
      if (manifests.has(dir)) {
        root = dir;
        break;
      }
      const up = dir.slice(0, dir.lastIndexOf('/'));
      if (up === dir) break;
      dir = up;
    }
    groups.set(root, [...(groups.get(root) ?? []), f]);
  }
  let done = 0;
  for (const [root, members] of groups) {
    await forEachLimit(members, READ_CONCURRENCY, async (f) => {
      // A folder removed during the scan is not read any further.
      if (!documents.get(pathToUri(f)) && isInWorkspace(f)) await loadFile(f);
    });
    done += members.length;
    pruneOutsideFolders();
    publish(root === undefined || isInWorkspace(root) ? [root] : []);
    token?.report(Math.round((done / Math.max(files.length, 1)) * 100), `${done}/${files.length} files`);
  }
  pruneOutsideFolders();
  publish([...service.tenantRoots(), undefined]);
  token?.done();
}

connection.onInitialized(
  safe(
    'initialized',
    async () => {
      // Registered before the first scan: folders added or removed while it runs are not lost.
      connection.workspace.onDidChangeWorkspaceFolders(
        safe(
          'workspace folders',
          (e) => {
            for (const r of e.removed) {
              const p = uriToPath(r.uri);
              if (!p) continue;
              folders = folders.filter((f) => f !== p);
              for (const gone of service.removeFolder(p)) if (!documents.get(pathToUri(gone))) clear(gone);
            }
            pruneOutsideFolders();
            const added = e.added.map((a) => uriToPath(a.uri)).filter((p): p is string => !!p && !folders.includes(p));
            folders.push(...added);
            if (added.length) void safe('scan', scanFolders, Promise.resolve())(added);
            else publish([...service.tenantRoots(), undefined]);
          },
          undefined,
        ),
      );
      precompileAll();
      if (canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'zeroTrust' }).catch(() => undefined);
      await pullSettings();
      await scanFolders([...folders]);
    },
    Promise.resolve(),
  ),
);

connection.onDidChangeConfiguration(
  safe(
    'configuration',
    async () => {
      await pullSettings();
      publish([...service.tenantRoots(), undefined]);
    },
    Promise.resolve(),
  ),
);

documents.onDidChangeContent(
  safe(
    'change',
    (e) => {
      const path = uriToPath(e.document.uri);
      if (!path || !POLICY_FILE_PATTERN.test(path) || isExcluded(path)) return;
      const before = service.tenantRootOf(path);
      const wasManifest = /zerotrust\.yaml$/.test(path);
      service.update(path, e.document.getText(), e.document.version);
      if (wasManifest) publish([...service.tenantRoots(), undefined], path);
      else publish([before, service.tenantRootOf(path)], path);
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
      if (!(await loadFile(path))) clear(path);
      publish([service.tenantRootOf(path)], documents.get(e.document.uri) ? path : undefined);
    },
    Promise.resolve(),
  ),
);

connection.onDidChangeWatchedFiles(async (params) => {
  try {
    const roots = new Set<string | undefined>();
    let manifestChanged = false;
    for (const change of Array.isArray(params?.changes) ? params.changes : []) {
      // One bad event (a URI that names no file here) never drops the rest of the batch.
      try {
        const path = uriToPath(change.uri);
        // Only files in the workspace folders: the server reads nothing else (see SECURITY.md).
        if (!path || !POLICY_FILE_PATTERN.test(path) || isExcluded(path) || !isInWorkspace(path)) continue;
        if (/zerotrust\.yaml$/.test(path)) manifestChanged = true;
        roots.add(service.tenantRootOf(path));
        if (change.type === FileChangeType.Deleted) {
          service.remove(path);
          clear(path);
        } else if (!documents.get(change.uri)) {
          if (!(await loadFile(path))) clear(path);
        }
        roots.add(service.tenantRootOf(path));
      } catch (e) {
        connection.console.error(`file watcher: ${String(change?.uri)}: ${(e as Error)?.stack ?? String(e)}`);
      }
    }
    // A manifest that appears or goes moves files between tenants: re-publish everything.
    publish(manifestChanged ? [...service.tenantRoots(), undefined] : [...roots]);
  } catch (e) {
    connection.console.error(`file watcher: ${(e as Error).stack ?? String(e)}`);
  }
});

function docOffset(uri: string, position: { line: number; character: number }): { path: string; offset: number } | undefined {
  const path = uriToPath(uri);
  if (!path) return undefined;
  const facts = service.get(path);
  if (!facts) return undefined;
  return { path, offset: facts.parsed.lines.offsetAt(position) };
}

function rangeOf(path: string, span: Span): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return service.get(path)!.parsed.lines.rangeOf(span);
}

connection.onHover(
  safe(
    'hover',
    (params) => {
      const at = docOffset(params.textDocument.uri, params.position);
      if (!at) return null;
      const h = hover(service, at.path, at.offset);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: rangeOf(at.path, h.span) } : null;
    },
    null,
  ),
);

const COMPLETION_KINDS: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
};

connection.onCompletion(
  safe(
    'completion',
    (params): CompletionItem[] => {
      const doc = documents.get(params.textDocument.uri);
      const path = uriToPath(params.textDocument.uri);
      if (!doc || !path) return [];
      const entries = complete(service, path, doc.getText(), doc.offsetAt(params.position));
      return entries.map((e) => ({
        label: e.label,
        kind: COMPLETION_KINDS[e.kind],
        detail: e.detail,
        documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
        insertText: e.insertText,
        insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: e.sortText,
      }));
    },
    [],
  ),
);

/**
 * Why a fix must not be offered as an edit, if it must not: every file it edits or creates is resolved (links
 * included) and must lie inside `root` (the tenant folder, else the workspace folder), and a file it creates must not
 * exist yet (SECURITY.md). Checked when the action is computed; the create below also fails if one appears since.
 */
function writeRefusal(fix: Fix, root: string | undefined): string | undefined {
  const reasons: string[] = [];
  for (const file of new Set(fix.edits.map((e) => e.file))) {
    const confine = root ?? folders.find((f) => isInside(f, file));
    if (!confine) reasons.push(`${file} is outside the workspace folders`);
    else {
      const c = checkWriteTarget(file, confine, { mode: 'replace' });
      if (!c.ok) reasons.push(c.reason);
    }
  }
  for (const create of fix.creates) {
    const confine = root ?? folders.find((f) => isInside(f, create.file));
    if (!confine) reasons.push(`${create.file} is outside the workspace folders`);
    else {
      const c = checkWriteTarget(create.file, confine, { mode: 'create' });
      if (!c.ok) reasons.push(c.reason);
    }
  }
  return reasons.length ? `Not offered: ${reasons.join('; ')}` : undefined;
}

/** A core fix as an LSP workspace edit (file creations need the client's resource operations). */
function toWorkspaceEdit(fix: Fix): WorkspaceEdit | undefined {
  if (fix.creates.length && !canCreateFiles) return undefined;
  const changes: (TextDocumentEdit | CreateFile)[] = [];
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const uri = pathToUri(file);
    const version = documents.get(uri)?.version ?? null;
    changes.push({ textDocument: { uri, version }, edits: edits.map((e) => ({ range: rangeOf(file, e.span), newText: e.newText })) });
  }
  for (const c of fix.creates) {
    const uri = pathToUri(c.file);
    // Never over a file that exists: the client refuses the whole edit rather than write into it.
    changes.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    changes.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.content }] });
  }
  if (canCreateFiles) return { documentChanges: changes };
  return { changes: Object.fromEntries([...byFile].map(([f, es]) => [pathToUri(f), es.map((e) => ({ range: rangeOf(f, e.span), newText: e.newText }))])) };
}

connection.onCodeAction(
  safe(
    'code actions',
    (params): CodeAction[] => {
      const path = uriToPath(params.textDocument.uri);
      if (!path) return [];
      const facts = service.get(path);
      if (!facts) return [];
      const root = service.tenantRootOf(path);
      const view = service.view(root);
      const findings = (lastFindings.get(root) ?? service.analyzeTenant(root)).filter((f) => f.file === path);
      const actions: CodeAction[] = [];
      for (const d of params.context.diagnostics) {
        const ruleId = typeof d.code === 'string' ? d.code : undefined;
        if (!ruleId) continue;
        const start = facts.parsed.lines.offsetAt(d.range.start);
        const finding = findings.find((f) => f.ruleId === ruleId && f.span.offset === start) ?? findings.find((f) => f.ruleId === ruleId && facts.parsed.lines.positionAt(f.span.offset).line === d.range.start.line);
        const rule = ruleById(ruleId);
        if (finding && rule?.fix) {
          for (const fix of rule.fix(finding, view)) {
            const refusal = writeRefusal(fix, root);
            if (refusal) {
              // Shown greyed out with the reason where the client can, so the user knows why there is no fix.
              if (canShowDisabled) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], disabled: { reason: refusal } });
              connection.console.warn(`quick fix "${fix.title}" not offered: ${refusal}`);
              continue;
            }
            const edit = toWorkspaceEdit(fix);
            if (edit) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: !!fix.isPreferred, edit });
          }
        }
        if (facts.parsed.format === 'yaml') {
          const line = d.range.start.line;
          const lineText = facts.parsed.text.slice(facts.parsed.lines.lineStart(line), facts.parsed.lines.lineEnd(line));
          const indent = /^\s*(- )?/.exec(lineText)![0].replace('- ', '  ').length;
          const eol = facts.parsed.lines.eol();
          actions.push({
            title: `Suppress ${ruleId} here (with a reason)`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [d],
            edit: { changes: { [params.textDocument.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${' '.repeat(indent)}# ztp-ignore ${ruleId}: <why this is accepted>${eol}` }] } },
          });
        }
      }
      return actions;
    },
    [],
  ),
);

connection.onDefinition(
  safe(
    'definition',
    (params) => {
      const at = docOffset(params.textDocument.uri, params.position);
      if (!at) return null;
      const d = definition(service, at.path, at.offset);
      return d ? { uri: pathToUri(d.file), range: rangeOf(d.file, d.span) } : null;
    },
    null,
  ),
);

connection.onReferences(
  safe(
    'references',
    (params) => {
      const at = docOffset(params.textDocument.uri, params.position);
      if (!at) return [];
      return references(service, at.path, at.offset, params.context.includeDeclaration).map((r) => ({ uri: pathToUri(r.file), range: rangeOf(r.file, r.span) }));
    },
    [],
  ),
);

const SYMBOL_KINDS: Record<OutlineSymbol['kind'], SymbolKind> = {
  file: SymbolKind.File,
  object: SymbolKind.Object,
  array: SymbolKind.Array,
  property: SymbolKind.Property,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
};

connection.onDocumentSymbol(
  safe(
    'document symbols',
    (params): DocumentSymbol[] => {
      const path = uriToPath(params.textDocument.uri);
      const facts = path ? service.get(path) : undefined;
      if (!facts || !path) return [];
      const convert = (s: OutlineSymbol): DocumentSymbol => ({
        name: s.name,
        detail: s.detail,
        kind: SYMBOL_KINDS[s.kind],
        range: rangeOf(path, s.span),
        selectionRange: rangeOf(path, s.selection),
        children: s.children.map(convert),
      });
      return documentSymbols(facts.parsed).map(convert);
    },
    [],
  ),
);

connection.onWorkspaceSymbol(
  safe(
    'workspace symbols',
    (params) => workspaceSymbols(service, params.query).map((s) => ({ name: s.name, containerName: s.detail, kind: SymbolKind.File, location: { uri: pathToUri(s.file), range: rangeOf(s.file, s.span) } })),
    [],
  ),
);

connection.onRequest(LayersRequest, safe('layers', (): LayersResult => layersResult(), { tenants: [] }));

connection.onRequest(
  LayerReportRequest,
  safe(
    'layer report',
    () => {
      const parts = ['# Zero Trust layer report', ''];
      for (const root of service.tenantRoots()) {
        const view = service.view(root);
        parts.push(layerReportMarkdown(view, lastFindings.get(root) ?? service.analyzeTenant(root), (p) => relative(root, p)), '');
      }
      if (parts.length === 2) parts.push('No tenant folder (a folder with a zerotrust.yaml) in this workspace.');
      return { markdown: parts.join('\n') };
    },
    { markdown: '' },
  ),
);

connection.onRequest(ServerInfoRequest, (): ServerInfoResult => ({ pid: process.pid, version: pkg.version }));

connection.onRequest(WhatIfRequest, safe('what if', (params: WhatIfParams | undefined) => handleWhatIf(service, service.tenantRoots(), params, folders[0]), { tenants: [], errors: ['the What If evaluation failed; see the server log'] }));

documents.listen(connection);
connection.listen();

/**
 * "Zero Trust: Show Change Impact": what the working changes do, compared with git `HEAD` (or a ref the user
 * picks). The files the changes touch are read at that ref with VS Code's Git extension (which keeps to workspace
 * trust and finds git itself); the server answers with `ztp diff`'s Markdown, shown in a preview, and the layer
 * tree marks the layers whose status the changes alter.
 */
import { EventEmitter, Uri, commands, extensions, window, workspace, type Disposable, type Event, type TextDocumentContentProvider } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ChangeImpactRequest, type ChangeImpactParams, type ChangeImpactResponse, type LayerStatus } from '../../server/src/protocol';

const SCHEME = 'zero-trust-change-impact';
const URI = Uri.from({ scheme: SCHEME, path: '/Zero Trust Change Impact.md' });
const POLICY_FILE = /\.(ya?ml|json)$/i;

/** The parts of the Git extension's API (`vscode.git`, version 1) this command uses. */
interface GitChange {
  uri: Uri;
  originalUri: Uri;
  renameUri?: Uri;
  status: number;
}
interface GitRepository {
  rootUri: Uri;
  state: { workingTreeChanges: GitChange[]; untrackedChanges?: GitChange[] };
  diffWith(ref: string): Promise<GitChange[]>;
  show(ref: string, path: string): Promise<string>;
}
interface GitApi {
  repositories: GitRepository[];
}

/** Git's status codes (the Git extension's `Status` enum) that mean "not in the ref" and "only in the ref". */
const ADDED = new Set([1 /* INDEX_ADDED */, 7 /* UNTRACKED */, 9 /* INTENT_TO_ADD */]);
const RENAMED = new Set([3 /* INDEX_RENAMED */, 10 /* INTENT_TO_RENAME */]);

/** The latest result as a read-only document, and the layer marks for the tree. */
export class ChangeImpact implements TextDocumentContentProvider, Disposable {
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private readonly marksChanged = new EventEmitter<void>();
  /** Fired when the layer marks change (the tree redraws). */
  readonly onDidChangeMarks: Event<void> = this.marksChanged.event;
  private markdown = '';
  private marks = new Map<string, Map<number, LayerStatus>>();
  private ref = 'HEAD';
  private readonly registration: Disposable;

  constructor(private readonly client: LanguageClient) {
    this.registration = workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  provideTextDocumentContent(): string {
    return this.markdown;
  }

  /** The status a layer had at the compared ref, when the working changes alter it. */
  before(tenantUri: string, layer: number): { status: LayerStatus; ref: string } | undefined {
    const status = this.marks.get(tenantUri.replace(/\/+$/, ''))?.get(layer);
    return status ? { status, ref: this.ref } : undefined;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.marksChanged.dispose();
  }

  /** Compares with `arg.ref` (a test or a keybinding), or asks: `HEAD`, or another ref. */
  async run(arg?: unknown): Promise<void> {
    const repo = await this.repository();
    if (!repo) return;
    let ref = typeof (arg as { ref?: unknown } | undefined)?.ref === 'string' ? (arg as { ref: string }).ref : undefined;
    if (!ref) {
      const choice = await window.showQuickPick(
        [
          { label: 'HEAD', description: 'the last commit', value: 'HEAD' },
          { label: 'Another branch, tag or commit…', value: '' },
        ],
        { title: 'Show Change Impact: compare the working changes with', ignoreFocusOut: true },
      );
      if (!choice) return;
      ref = choice.value || (await window.showInputBox({ title: 'Show Change Impact', prompt: 'A branch, tag or commit (origin/main, v1.2, a1b2c3d)', ignoreFocusOut: true }))?.trim();
      if (!ref) return;
    }
    let params: ChangeImpactParams;
    try {
      params = { ref, files: await baseFiles(repo, ref) };
    } catch (e) {
      void window.showErrorMessage(`Show Change Impact: cannot read ${ref} with git: ${(e as Error).message ?? String(e)}`);
      return;
    }
    let answer: ChangeImpactResponse;
    try {
      answer = await this.client.sendRequest<ChangeImpactResponse>(ChangeImpactRequest, params);
    } catch (e) {
      void window.showErrorMessage(`Show Change Impact failed: ${(e as Error).message ?? String(e)}`);
      return;
    }
    this.ref = ref;
    this.marks = new Map(answer.layers.map((t) => [t.uri.replace(/\/+$/, ''), new Map(t.changes.map((c) => [c.layer, c.before]))]));
    this.marksChanged.fire();
    this.markdown = answer.markdown;
    this.changed.fire(URI);
    await commands.executeCommand('markdown.showPreview', URI);
  }

  private async repository(): Promise<GitRepository | undefined> {
    const ext = extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    if (!ext) {
      void window.showErrorMessage('Show Change Impact needs VS Code\'s Git extension (built in; it may be disabled).');
      return undefined;
    }
    const api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
    // The Git extension opens repositories shortly after it starts.
    for (let i = 0; i < 50 && !api.repositories.length; i++) await new Promise((r) => setTimeout(r, 100));
    const folder = workspace.workspaceFolders?.[0]?.uri.fsPath;
    const repo = api.repositories.find((r) => folder !== undefined && (folder + '/').startsWith(r.rootUri.fsPath.replace(/\/*$/, '/'))) ?? api.repositories[0];
    if (!repo) void window.showErrorMessage('Show Change Impact compares with git: the workspace is not in a git repository.');
    return repo;
  }
}

/** Every policy-like file the working changes touch, as it is at `ref` (null when the ref does not have it). */
async function baseFiles(repo: GitRepository, ref: string): Promise<ChangeImpactParams['files']> {
  const changes = [...(await repo.diffWith(ref)), ...(repo.state.untrackedChanges ?? []), ...repo.state.workingTreeChanges.filter((c) => c.status === 7)];
  const out = new Map<string, string | null>();
  const show = async (uri: Uri): Promise<string | null> => {
    try {
      return await repo.show(ref, uri.fsPath);
    } catch {
      return null;
    }
  };
  for (const c of changes) {
    if (ADDED.has(c.status)) {
      if (POLICY_FILE.test(c.uri.fsPath)) out.set(c.uri.toString(), null);
    } else if (RENAMED.has(c.status)) {
      if (POLICY_FILE.test(c.uri.fsPath)) out.set(c.uri.toString(), null);
      if (POLICY_FILE.test(c.originalUri.fsPath)) out.set(c.originalUri.toString(), await show(c.originalUri));
    } else if (POLICY_FILE.test(c.uri.fsPath) && !out.has(c.uri.toString())) {
      out.set(c.uri.toString(), await show(c.uri));
    }
  }
  return [...out].map(([uri, content]) => ({ uri, content }));
}

/** Markdown the extension shows in a preview: the server's layer report, and the bundled rule docs. */
import { EventEmitter, FileType, Uri, commands, window, workspace, type Disposable, type TextDocumentContentProvider } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LayerReportRequest, type LayerReportResult } from '../../server/src/protocol';
import type { LayerProgress } from './layer-progress';

const REPORT_SCHEME = 'zero-trust-report';
const REPORT_URI = Uri.from({ scheme: REPORT_SCHEME, path: '/Zero Trust layer report.md' });

/**
 * The layer report as a read-only document: unlike an untitled one, it is never dirty, so it is neither backed up
 * nor restored as a stray editor, and its preview follows the layer progress while it is open.
 */
export class LayerReport implements TextDocumentContentProvider, Disposable {
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private markdown = '';
  private readonly disposables: Disposable[];

  constructor(
    private readonly client: LanguageClient,
    progress: LayerProgress,
  ) {
    this.disposables = [
      workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this),
      progress.onDidChange(() => {
        if (workspace.textDocuments.some((d) => d.uri.toString() === REPORT_URI.toString())) void this.update();
      }),
      this.changed,
    ];
  }

  provideTextDocumentContent(): string {
    return this.markdown;
  }

  /** Asks the server for the report and shows it in a Markdown preview. */
  async show(): Promise<void> {
    if (!(await this.update())) return;
    await commands.executeCommand('markdown.showPreview', REPORT_URI);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private async update(): Promise<boolean> {
    try {
      this.markdown = (await this.client.sendRequest<LayerReportResult>(LayerReportRequest)).markdown;
    } catch (e) {
      void window.showErrorMessage(`Could not get the layer report: ${(e as Error).message ?? String(e)}`);
      return false;
    }
    this.changed.fire(REPORT_URI);
    return true;
  }
}

/** Shows `docs/rules/<id>.md` from the extension; without an id, picks one of the pages. */
export async function openRuleDocs(extensionUri: Uri, arg?: unknown): Promise<void> {
  const dir = Uri.joinPath(extensionUri, 'docs', 'rules');
  const id = typeof arg === 'string' ? arg : await pickRule(dir);
  if (!id) return;
  const page = Uri.joinPath(dir, `${id}.md`);
  try {
    await workspace.fs.stat(page);
  } catch {
    void window.showWarningMessage(`There is no documentation page for the rule ${id} yet.`);
    return;
  }
  await commands.executeCommand('markdown.showPreview', page);
}

async function pickRule(dir: Uri): Promise<string | undefined> {
  const entries = await workspace.fs.readDirectory(dir);
  const ids = entries
    .filter(([name, type]) => type === FileType.File && name.endsWith('.md') && name !== 'README.md')
    .map(([name]) => name.slice(0, -3))
    .sort();
  return window.showQuickPick(ids, { title: 'Open Rule Documentation', placeHolder: 'Which rule?' });
}

/** Markdown the extension shows in a preview: the server's layer report (the rule pages: rule-docs.ts). */
import { EventEmitter, Uri, commands, window, workspace, type Disposable, type TextDocumentContentProvider } from 'vscode';
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

/**
 * The rule pages (docs/rules/<id>.md) inside the extension. The build writes them into one Brotli file,
 * dist/rule-docs.json.br (scripts/gen-rule-docs.mjs), instead of one .md file per rule in the .vsix; this module
 * serves them as read-only files at `zero-trust-rule:/<id>.md`, so that the Markdown preview shows them and follows
 * their links to one another, and the diagnostics' rule links open them.
 */
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import {
  Disposable,
  EventEmitter,
  FilePermission,
  FileSystemError,
  FileType,
  Uri,
  commands,
  window,
  workspace,
  type FileChangeEvent,
  type FileStat,
  type FileSystemProvider,
} from 'vscode';

export const RULE_DOCS_SCHEME = 'zero-trust-rule';

/** The page of rule `id`, as the extension shows it. */
export function ruleDocsUri(id: string): Uri {
  return Uri.from({ scheme: RULE_DOCS_SCHEME, path: `/${id}.md` });
}

/** The pages, read from the bundle on first use: a read-only file system with one folder. */
export class RuleDocs implements FileSystemProvider, Disposable {
  private pages: Map<string, Uint8Array> | undefined;
  private readonly time = Date.now();
  private readonly changed = new EventEmitter<FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly registration: Disposable;

  constructor(private readonly bundlePath: string) {
    this.registration = workspace.registerFileSystemProvider(RULE_DOCS_SCHEME, this, { isCaseSensitive: true, isReadonly: true });
  }

  /** The rule ids that have a page, sorted. */
  ids(): string[] {
    return [...this.load().keys()].sort();
  }

  has(id: string): boolean {
    return this.load().has(id);
  }

  stat(uri: Uri): FileStat {
    if (uri.path === '/' || uri.path === '') return { type: FileType.Directory, ctime: this.time, mtime: this.time, size: 0, permissions: FilePermission.Readonly };
    return { type: FileType.File, ctime: this.time, mtime: this.time, size: this.page(uri).byteLength, permissions: FilePermission.Readonly };
  }

  readDirectory(uri: Uri): [string, FileType][] {
    if (uri.path !== '/' && uri.path !== '') throw FileSystemError.FileNotADirectory(uri);
    return this.ids().map((id) => [`${id}.md`, FileType.File]);
  }

  readFile(uri: Uri): Uint8Array {
    return this.page(uri);
  }

  watch(): Disposable {
    // The pages never change while the extension runs.
    return new Disposable(() => undefined);
  }

  createDirectory(uri: Uri): never {
    throw FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: Uri): never {
    throw FileSystemError.NoPermissions(uri);
  }

  delete(uri: Uri): never {
    throw FileSystemError.NoPermissions(uri);
  }

  rename(uri: Uri): never {
    throw FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }

  private page(uri: Uri): Uint8Array {
    const m = /^\/([^/]+)\.md$/.exec(uri.path);
    const page = m ? this.load().get(m[1]!) : undefined;
    if (!page) throw FileSystemError.FileNotFound(uri);
    return page;
  }

  private load(): Map<string, Uint8Array> {
    if (!this.pages) {
      const pages = JSON.parse(brotliDecompressSync(readFileSync(this.bundlePath)).toString('utf8')) as Record<string, string>;
      const encoder = new TextEncoder();
      this.pages = new Map(Object.entries(pages).map(([id, text]) => [id, encoder.encode(text)]));
    }
    return this.pages;
  }
}

/** Shows rule `arg`'s page in a Markdown preview; without an id, picks one of the pages. */
export async function openRuleDocs(docs: RuleDocs, arg?: unknown): Promise<void> {
  let ids: string[];
  try {
    ids = docs.ids();
  } catch (e) {
    void window.showErrorMessage(`Could not read the rule documentation (${(e as Error).message ?? String(e)}): reinstall the extension.`);
    return;
  }
  const id = typeof arg === 'string' ? arg : await window.showQuickPick(ids, { title: 'Open Rule Documentation', placeHolder: 'Which rule?' });
  if (!id) return;
  if (!docs.has(id)) {
    void window.showWarningMessage(`There is no documentation page for the rule ${id} yet.`);
    return;
  }
  await commands.executeCommand('markdown.showPreview', ruleDocsUri(id));
}

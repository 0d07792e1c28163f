/** File helpers for the commands that create files: tenant folders, snippet text, and never-overwrite writes. */
import { FileType, Uri, window, workspace } from 'vscode';
import type { SnippetFile } from './snippet-syntax';
import { MANIFEST_FILE } from './policy-templates';
import { tenantOfUri } from './layers-model';

/** Files the scan skips, as the server's scan does: node_modules and dot-folders. */
const SKIPPED = '{**/node_modules/**,**/.*/**}';

/** The tenant folders of the workspace (folders holding a zerotrust.yaml), sorted by path. */
export async function findTenantFolders(): Promise<Uri[]> {
  const manifests = await workspace.findFiles(`**/${MANIFEST_FILE}`, SKIPPED);
  return manifests.map((m) => Uri.joinPath(m, '..')).sort((a, b) => a.path.localeCompare(b.path));
}

/** The innermost tenant folder that holds `uri`, among `folders`. */
export function tenantFolderOf(folders: readonly Uri[], uri: Uri): Uri | undefined {
  return tenantOfUri(
    folders.map((f) => ({ uri: f.toString(), folder: f })),
    uri.toString(),
  )?.folder;
}

/** The text of one snippet of `snippets/zerotrust-yaml.json`, as snippet syntax. */
export async function readYamlSnippet(extensionUri: Uri, key: string): Promise<string> {
  const bytes = await workspace.fs.readFile(Uri.joinPath(extensionUri, 'snippets', 'zerotrust-yaml.json'));
  const snippet = (JSON.parse(new TextDecoder().decode(bytes)) as SnippetFile)[key];
  if (!snippet) throw new Error(`The extension has no snippet "${key}".`);
  return snippet.body.join('\n');
}

/** Whether anything exists at `uri`. */
export async function exists(uri: Uri): Promise<boolean> {
  try {
    await workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a new file and opens it. An existing file is never overwritten: it is opened instead, with a warning.
 * Returns whether the file was created.
 */
export async function createAndOpen(uri: Uri, text: string): Promise<boolean> {
  if (await exists(uri)) {
    void window.showWarningMessage(`${workspace.asRelativePath(uri)} already exists, so nothing was written. It is open now.`);
    await window.showTextDocument(uri);
    return false;
  }
  await workspace.fs.createDirectory(Uri.joinPath(uri, '..'));
  await workspace.fs.writeFile(uri, new TextEncoder().encode(text.endsWith('\n') ? text : `${text}\n`));
  await window.showTextDocument(uri);
  return true;
}

/** Whether `uri` is a folder. */
export async function isFolder(uri: Uri): Promise<boolean> {
  try {
    return (await workspace.fs.stat(uri)).type === FileType.Directory;
  } catch {
    return false;
  }
}

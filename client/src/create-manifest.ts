/**
 * "Zero Trust: Create Tenant Manifest": folder → tenant name → licences. Writes `zerotrust.yaml` from the manifest
 * snippet and opens it; an existing manifest is opened, never overwritten.
 */
import { Uri, window, workspace, type QuickPickItem } from 'vscode';
import { LICENSES } from '../../server/src/core/licenses';
import { expandSnippet } from './snippet-syntax';
import { LICENSES_TABSTOP, MANIFEST_FILE, MANIFEST_SNIPPET, NAME_TABSTOP } from './policy-templates';
import { createAndOpen, exists, isFolder, readYamlSnippet } from './files';

/** Runs the command; `arg` is the folder when it comes from the explorer's context menu. */
export async function createManifest(extensionUri: Uri, arg?: unknown): Promise<void> {
  const folder = arg instanceof Uri && (await isFolder(arg)) ? arg : await pickFolder();
  if (!folder) return;
  const target = Uri.joinPath(folder, MANIFEST_FILE);
  if (await exists(target)) {
    await createAndOpen(target, '');
    return;
  }
  const name = await askTenantName(folder);
  if (name === undefined) return;
  const licenses = await pickLicenses();
  if (!licenses) return;
  const values = { [NAME_TABSTOP]: name, [LICENSES_TABSTOP]: licenses.join(', ') };
  await createAndOpen(target, expandSnippet(await readYamlSnippet(extensionUri, MANIFEST_SNIPPET), values));
}

async function pickFolder(): Promise<Uri | undefined> {
  const browse = { label: '$(folder-opened) Choose a folder…', folder: undefined as Uri | undefined };
  const folders = workspace.workspaceFolders ?? [];
  const items = [
    ...(await Promise.all(
      folders.map(async (f) => ({
        label: f.name,
        description: (await exists(Uri.joinPath(f.uri, MANIFEST_FILE))) ? 'has a manifest already' : f.uri.fsPath,
        folder: f.uri as Uri | undefined,
      })),
    )),
    browse,
  ];
  const picked = folders.length
    ? await window.showQuickPick(items, { title: 'Create Tenant Manifest: folder', placeHolder: 'Which folder is the tenant folder?' })
    : browse;
  if (!picked) return undefined;
  if (picked.folder) return picked.folder;
  const chosen = await window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: folders[0]?.uri,
    openLabel: 'Use as Tenant Folder',
  });
  return chosen?.[0];
}

async function askTenantName(folder: Uri): Promise<string | undefined> {
  const base = (folder.path.split('/').pop() ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return window.showInputBox({
    title: 'Create Tenant Manifest: tenant name',
    prompt: "The tenant's name in this repository",
    value: base || 'tenant',
    validateInput: (v) => (v.trim() ? undefined : 'Enter a name.'),
  });
}

/** The licences the tenant holds; an empty list is allowed (the license-missing rule will say what is needed). */
async function pickLicenses(): Promise<string[] | undefined> {
  const items: (QuickPickItem & { id: string })[] = LICENSES.map((l) => ({
    label: l.id,
    description: l.name,
    detail: l.layers.length ? `Covers layers ${l.layers.join(', ')}` : undefined,
    id: l.id,
  }));
  const picked = await window.showQuickPick(items, {
    title: 'Create Tenant Manifest: licences',
    placeHolder: 'Which licences does the tenant hold? (Each layer needs one that covers it.)',
    canPickMany: true,
    matchOnDescription: true,
  });
  return picked?.map((p) => p.id);
}

/**
 * "Zero Trust: New Policy…": kind → template (platform) → name → tenant folder. Writes the kind's snippet, filled in,
 * to `<tenant>/<folder>/<name>.yaml` and opens it. From a layer row of the tree it offers that layer's templates
 * in that tenant; a walkthrough button passes the layer number.
 */
import { Uri, commands, window, workspace, type QuickPickItem } from 'vscode';
import { KINDS, KIND_NAMES, isPolicyKind } from '../../server/src/core/kinds';
import { expandSnippet } from './snippet-syntax';
import {
  ENROLLMENT_PLATFORM_TYPES,
  NAME_TABSTOP,
  PLATFORM_TYPE_TABSTOP,
  policyFilePath,
  templatesOf,
  templatesOfLayer,
  validatePolicyName,
  type PolicyTemplate,
} from './policy-templates';
import { createAndOpen, findTenantFolders, readYamlSnippet, tenantFolderOf } from './files';
import type { LayerNode } from './layers-model';

/** Runs the command; `arg` is a layer number (walkthrough), a kind name, a layer row (tree), or nothing (palette). */
export async function newPolicy(extensionUri: Uri, arg?: unknown): Promise<void> {
  const layerNode = isLayerNode(arg) ? arg : undefined;
  const folders = layerNode ? [Uri.parse(layerNode.tenant.uri)] : await findTenantFolders();
  if (!folders.length) return offerManifest();
  const candidates = layerNode
    ? templatesOfLayer(layerNode.layer.layer)
    : typeof arg === 'number'
      ? templatesOfLayer(arg)
      : isPolicyKind(arg)
        ? templatesOf(arg)
        : await pickKindTemplates();
  if (!candidates?.length) return;
  const template = await pickTemplate(candidates);
  if (!template) return;
  const platformType = template.kind === 'EnrollmentRestriction' ? await pickEnrollmentPlatform() : undefined;
  if (template.kind === 'EnrollmentRestriction' && !platformType) return;
  const name = await askName(template, platformType);
  if (!name) return;
  const tenant = await chooseTenantFolder(folders);
  if (!tenant) return;
  const values: Record<number, string> = { [NAME_TABSTOP]: name };
  if (platformType) values[PLATFORM_TYPE_TABSTOP] = platformType;
  const text = expandSnippet(await readYamlSnippet(extensionUri, template.snippet), values, { TM_FILENAME_BASE: name });
  await createAndOpen(Uri.joinPath(tenant, policyFilePath(template, name)), text);
}

function isLayerNode(arg: unknown): arg is Extract<LayerNode, { type: 'layer' }> {
  return typeof arg === 'object' && arg !== null && (arg as LayerNode).type === 'layer';
}

async function pickKindTemplates(): Promise<PolicyTemplate[] | undefined> {
  const items = KIND_NAMES.map((kind) => ({ label: kind, description: `layer ${KINDS[kind].layer}`, detail: KINDS[kind].summary, policyKind: kind }));
  const picked = await window.showQuickPick(items, { title: 'New Policy: kind', placeHolder: 'Which kind of policy?', matchOnDetail: true });
  return picked && templatesOf(picked.policyKind);
}

async function pickTemplate(templates: PolicyTemplate[]): Promise<PolicyTemplate | undefined> {
  if (templates.length === 1) return templates[0];
  const items = templates.map((t) => ({ label: t.label, description: `${t.kind} · layer ${t.layer}`, template: t }));
  const picked = await window.showQuickPick(items, { title: 'New Policy: platform or variant', placeHolder: 'Which one?' });
  return picked?.template;
}

async function pickEnrollmentPlatform(): Promise<string | undefined> {
  const items: (QuickPickItem & { value: string })[] = ENROLLMENT_PLATFORM_TYPES.map((p) => ({ label: p.label, description: p.value, value: p.value }));
  const picked = await window.showQuickPick(items, { title: 'New Policy: platform', placeHolder: 'Which platform does the restriction apply to?' });
  return picked?.value;
}

async function askName(template: PolicyTemplate, platformType: string | undefined): Promise<string | undefined> {
  const suggested = platformType ? `${platformType.toLowerCase()}-${template.name}` : template.name;
  return window.showInputBox({
    title: 'New Policy: name',
    prompt: 'Unique in the tenant; also the file name',
    value: suggested,
    validateInput: validatePolicyName,
  });
}

async function offerManifest(): Promise<void> {
  const create = 'Create Tenant Manifest';
  const answer = await window.showWarningMessage('A policy goes into a tenant folder (a folder with a zerotrust.yaml), and this workspace has none yet.', create);
  if (answer === create) await commands.executeCommand('zeroTrust.createManifest');
}

/** The only tenant folder, else the tenant folder of the active file, else one the user picks. */
async function chooseTenantFolder(folders: Uri[]): Promise<Uri | undefined> {
  if (folders.length === 1) return folders[0];
  const active = window.activeTextEditor?.document.uri;
  const ofActive = active && tenantFolderOf(folders, active);
  if (ofActive) return ofActive;
  const items = folders.map((f) => ({ label: f.path.split('/').pop() ?? f.path, description: workspace.asRelativePath(f), folder: f }));
  const picked = await window.showQuickPick(items, { title: 'New Policy: tenant', placeHolder: 'Which tenant folder?' });
  return picked?.folder;
}

/**
 * "Zero Trust: What If…": asks for a sign-in with quick picks (tenant, user or group, platform, what it signs in to:
 * an app, a user action or an authentication context, then the context an app asks for and the authentication flow
 * where the tenant's files name any, client app, device state), has the server evaluate it against the tenant's
 * Conditional Access policies, and shows the result as a Markdown report in a preview, with links to each policy file.
 */
import { EventEmitter, QuickPickItemKind, Uri, commands, window, workspace, type Disposable, type QuickPickItem, type TextDocumentContentProvider } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WhatIfRequest, type WhatIfParams, type WhatIfResponse, type WhatIfTenantChoice } from '../../server/src/protocol';
import { CLIENT_APP_ITEMS, appContextItems, deviceItems, flowItems, isSeparator, platformItems, scenarioOf, targetItems, userItems, validateAppId, validateAuthContext, validateUpn, type PickEntry, type PickItem, type SignInTarget } from './what-if-model';

const SCHEME = 'zero-trust-what-if';
const URI = Uri.from({ scheme: SCHEME, path: '/Zero Trust What If.md' });

/** The latest result as a read-only document (never dirty, never restored as a stray editor). */
export class WhatIf implements TextDocumentContentProvider, Disposable {
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private markdown = '';
  private readonly registration: Disposable;

  constructor(private readonly client: LanguageClient) {
    this.registration = workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  provideTextDocumentContent(): string {
    return this.markdown;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }

  /**
   * Asks for the scenario, or takes it from `arg` (`{ tenantUri?, scenario }`, e.g. from a keybinding or a test), and
   * shows the result.
   */
  async run(arg?: unknown): Promise<void> {
    if (isParams(arg)) return this.show(arg);
    const choices = await this.request({});
    if (!choices) return;
    if (!choices.tenants.length) {
      void window.showInformationMessage('What If needs a tenant folder (a folder with a zerotrust.yaml) in the workspace.');
      return;
    }
    const tenant = await pickTenant(choices.tenants);
    if (!tenant) return;
    const user = await pickUser(tenant);
    if (!user) return;
    const platform = await pick('What If: platform', 'Which device platform signs in?', platformItems(tenant));
    if (!platform) return;
    const target = await pickTarget(tenant);
    if (!target) return;
    const clientApp = await pick('What If: client app', 'Which client app?', CLIENT_APP_ITEMS);
    if (!clientApp) return;
    const flags = await window.showQuickPick(deviceItems(platform), { title: 'What If: device and app state', placeHolder: 'Tick what holds (none: an unmanaged device)', canPickMany: true, ignoreFocusOut: true });
    if (!flags) return;
    await this.show({ tenantUri: tenant.uri, scenario: scenarioOf(user, platform, target, clientApp, flags.map((f) => f.value)) });
  }

  private async show(params: WhatIfParams): Promise<void> {
    const answer = await this.request(params);
    if (!answer) return;
    if (answer.errors?.length || !answer.markdown) {
      void window.showErrorMessage(`What If: ${answer.errors?.join('; ') ?? 'no result'}`);
      return;
    }
    this.markdown = answer.markdown;
    this.changed.fire(URI);
    await commands.executeCommand('markdown.showPreview', URI);
  }

  private async request(params: WhatIfParams): Promise<WhatIfResponse | undefined> {
    try {
      return await this.client.sendRequest<WhatIfResponse>(WhatIfRequest, params);
    } catch (e) {
      void window.showErrorMessage(`What If failed: ${(e as Error).message ?? String(e)}`);
      return undefined;
    }
  }
}

function isParams(arg: unknown): arg is WhatIfParams {
  const s = (arg as WhatIfParams | undefined)?.scenario;
  return typeof arg === 'object' && arg !== null && typeof s === 'object' && s !== null && Array.isArray(s.user);
}

async function pick<T>(title: string, placeHolder: string, entries: PickEntry<T>[]): Promise<T | undefined> {
  // Headings are separators; the value rides on the item VS Code hands back.
  const items: (QuickPickItem & { value?: T })[] = entries.map((e) => (isSeparator(e) ? { label: e.separator, kind: QuickPickItemKind.Separator } : e));
  return (await window.showQuickPick(items, { title, placeHolder, matchOnDescription: true, ignoreFocusOut: true }))?.value;
}

/**
 * A step whose first item ("none") is a real answer: `null`. Undefined is Escape, which ends the command as the other
 * steps do.
 */
async function pickOptional(title: string, placeHolder: string, items: PickItem<string | null>[]): Promise<string | null | undefined> {
  const chosen = await window.showQuickPick(items, { title, placeHolder, matchOnDescription: true, ignoreFocusOut: true });
  return chosen === undefined ? undefined : chosen.value;
}

/**
 * What the sign-in is to (an app, a user action or an authentication context alone), then for an app the context it
 * asks for, and the authentication flow: each optional step only where the tenant's files name a context or a flow.
 */
async function pickTarget(tenant: WhatIfTenantChoice): Promise<SignInTarget | undefined> {
  const chosen = await pick('What If: signs in to', 'A cloud app, a user action, or an authentication context', targetItems(tenant));
  if (!chosen) return undefined;
  const target: SignInTarget = {};
  if (chosen.type === 'app') target.app = chosen.app;
  else if (chosen.type === 'typeAppId') {
    const id = (await window.showInputBox({ title: 'What If: app id', prompt: 'The application (client) id', validateInput: validateAppId, ignoreFocusOut: true }))?.trim();
    if (!id) return undefined;
    target.app = id;
  } else if (chosen.type === 'userAction') target.userAction = chosen.action;
  else if (chosen.type === 'authContext') target.authContext = chosen.id;
  else {
    const id = (await window.showInputBox({ title: 'What If: authentication context', prompt: 'The authentication context id (c1 to c99)', validateInput: validateAuthContext, ignoreFocusOut: true }))?.trim();
    if (!id) return undefined;
    target.authContext = id;
  }
  const contexts = target.app !== undefined ? appContextItems(tenant) : undefined;
  if (contexts) {
    const context = await pickOptional('What If: authentication context', 'Does the app ask for an authentication context? (step-up for sensitive content or actions)', contexts);
    if (context === undefined) return undefined;
    if (context !== null) target.authContext = context;
  }
  const flows = flowItems(tenant);
  if (flows) {
    const flow = await pickOptional('What If: authentication flow', 'Does the sign-in use a transfer flow?', flows);
    if (flow === undefined) return undefined;
    if (flow !== null) target.authFlow = flow;
  }
  return target;
}

async function pickTenant(tenants: WhatIfTenantChoice[]): Promise<WhatIfTenantChoice | undefined> {
  if (tenants.length === 1) return tenants[0];
  const items = tenants.map((t) => ({ label: t.name, description: workspace.asRelativePath(Uri.parse(t.uri)), value: t }));
  return pick('What If: tenant', 'Which tenant?', items);
}

async function pickUser(tenant: WhatIfTenantChoice): Promise<string | undefined> {
  const choice = await pick('What If: user', 'Who signs in? A break-glass account, a member of a group, or a user you name', userItems(tenant));
  if (!choice) return undefined;
  if (choice.type === 'user') return choice.upn;
  if (choice.type === 'group') return choice.name;
  return (await window.showInputBox({ title: 'What If: user', prompt: 'User principal name (groups come from the manifest\'s members)', validateInput: validateUpn, ignoreFocusOut: true }))?.trim();
}

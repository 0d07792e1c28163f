/** The quick picks of "Zero Trust: What If…" as data (the pure part of the command, tested without VS Code). */
import type { WhatIfScenarioParams, WhatIfTenantChoice } from '../../server/src/protocol';
import { PLATFORMS, PLATFORM_LABELS } from '../../server/src/core/platforms';
import { authContextId } from '../../server/src/core/auth-context-id';

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

/** A heading between items (a quick pick separator), which cannot be picked. */
export interface PickSeparator {
  separator: string;
}

/** An item or a heading of a quick pick. */
export type PickEntry<T> = PickItem<T> | PickSeparator;

/** Whether an entry is a heading. */
export function isSeparator<T>(e: PickEntry<T>): e is PickSeparator {
  return 'separator' in e;
}

/** The user choice: a user principal name, a group, or "type a UPN". */
export type UserValue = { type: 'user'; upn: string } | { type: 'group'; name: string } | { type: 'typeUpn' };

export function userItems(t: WhatIfTenantChoice): PickItem<UserValue>[] {
  const items: PickItem<UserValue>[] = [];
  for (const u of t.breakGlassUsers) items.push({ label: `$(shield) ${u}`, description: 'break-glass account', value: { type: 'user', upn: u } });
  const groups = [...t.groups].sort((a, b) => Number(b.breakGlass) - Number(a.breakGlass));
  for (const g of groups) {
    items.push({ label: `$(organization) ${g.name}`, description: g.breakGlass ? 'break-glass group' : 'a member of this group', detail: g.description, value: { type: 'group', name: g.name } });
  }
  items.push({ label: '$(person) Type a user principal name…', description: 'e.g. adele.vance@contoso.com', value: { type: 'typeUpn' } });
  return items;
}

/** A UPN typed in the input box: undefined when it is fine, else why not. */
export function validateUpn(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Type the user principal name, e.g. adele.vance@contoso.com';
  if (!/^[^\s@]+@[^\s@]+$/.test(v)) return 'A user principal name looks like name@domain';
  return undefined;
}

/** The tenant's platforms first (in use), then the others. */
export function platformItems(t: WhatIfTenantChoice): PickItem<string>[] {
  const inUse = PLATFORMS.filter((p) => t.platforms.includes(p));
  const others = PLATFORMS.filter((p) => !t.platforms.includes(p));
  return [
    ...inUse.map((p) => ({ label: PLATFORM_LABELS[p], description: `${p} · in use`, value: p as string })),
    ...others.map((p) => ({ label: PLATFORM_LABELS[p], description: `${p} · not in the manifest's platforms`, value: p as string })),
  ];
}

export const APP_ITEMS: PickItem<string>[] = [
  { label: 'All cloud apps', description: 'All', detail: 'Every app: a policy applies when it targets any app', value: 'All' },
  { label: 'Office 365', description: 'Office365', detail: 'Exchange Online, SharePoint, Teams and the rest of the suite', value: 'Office365' },
  { label: 'Microsoft Admin Portals', description: 'MicrosoftAdminPortals', detail: 'Entra, Microsoft 365, Exchange and Azure admin portals', value: 'MicrosoftAdminPortals' },
  { label: 'An app by its id…', description: 'application (client) id', value: 'typeAppId' },
];

/**
 * What the sign-in is to: an app (`APP_ITEMS`' values, or an id typed next), a user action, or an authentication
 * context alone (one of the tenant's, or an id typed next), as Graph's What If takes one of the three.
 */
export type TargetValue =
  | { type: 'app'; app: string }
  | { type: 'typeAppId' }
  | { type: 'userAction'; action: string }
  | { type: 'authContext'; id: string }
  | { type: 'typeAuthContext' };

/** "ca701-secinfo-trusted, ca703-…" or the count, for a detail line: which CA policies name a target. */
function policiesText(policies: readonly string[], none: string): string {
  if (!policies.length) return none;
  const shown = policies.slice(0, 3).join(', ');
  const more = policies.length > 3 ? ` and ${policies.length - 3} more` : '';
  return `${policies.length === 1 ? '1 policy' : `${policies.length} policies`}: ${shown}${more}`;
}

const USER_ACTION_LABELS: Record<string, { label: string; detail: string }> = {
  registerSecurityInformation: { label: '$(key) Register security information', detail: 'MFA and SSPR registration (My Security Info)' },
  registerOrJoinDevices: { label: '$(device-desktop) Register or join devices', detail: 'Microsoft Entra registration or join of a device' },
};

/** An authentication context as a pick: its display name where the tenant's files give one, else its id. */
function contextItem(c: WhatIfTenantChoice['authContexts'][number]): PickItem<{ type: 'authContext'; id: string }> {
  const unpublished = c.isAvailable === false ? ' · not published to apps' : '';
  return {
    label: `$(lock) ${c.displayName ?? c.id}`,
    description: `${c.displayName ? c.id : 'authentication context'}${unpublished}`,
    detail: [c.description, policiesText(c.policies, 'no policy includes it')].filter(Boolean).join(' · '),
    value: { type: 'authContext', id: c.id },
  };
}

/**
 * The target pick: the cloud apps, then the user actions (with the policies that include each), then the tenant's
 * authentication contexts (from its policies and exports) and "a context by its id".
 */
export function targetItems(t: WhatIfTenantChoice): PickEntry<TargetValue>[] {
  const entries: PickEntry<TargetValue>[] = [{ separator: 'Cloud apps' }];
  for (const a of APP_ITEMS) entries.push({ ...a, value: a.value === 'typeAppId' ? { type: 'typeAppId' } : { type: 'app', app: a.value } });
  entries.push({ separator: 'User actions (not a sign-in to an app)' });
  for (const a of t.userActions) {
    const words = USER_ACTION_LABELS[a.name] ?? { label: `$(key) ${a.name}`, detail: '' };
    entries.push({ label: words.label, description: a.value, detail: [words.detail, policiesText(a.policies, 'no policy includes it')].filter(Boolean).join(' · '), value: { type: 'userAction', action: a.name } });
  }
  entries.push({ separator: 'Authentication contexts (the context alone, as Graph\'s What If asks it)' });
  for (const c of t.authContexts) entries.push(contextItem(c));
  entries.push({ label: '$(lock) An authentication context by its id…', description: 'c1 to c99', value: { type: 'typeAuthContext' } });
  return entries;
}

/**
 * After an app: the authentication context the app asks for, if any ("none" first); undefined when the tenant's
 * files name no context, so the step is not asked.
 */
export function appContextItems(t: WhatIfTenantChoice): PickItem<string | null>[] | undefined {
  const contexts = t.authContexts;
  if (!contexts.length) return undefined;
  return [
    { label: 'No authentication context', description: 'an ordinary sign-in to the app', value: null },
    ...contexts.map((c) => ({ ...contextItem(c), value: c.id })),
  ];
}

/** A context id typed in the input box: undefined when it is fine, else why not (as the server's validation). */
export function validateAuthContext(value: string): string | undefined {
  return authContextId(value) ? undefined : 'An authentication context id is c1 to c99, e.g. c1';
}

/**
 * The authentication flow pick ("ordinary sign-in" first), each flow with the policies that name it; undefined when
 * no policy of the tenant names a flow: only those policies read it (the others apply whatever the flow), so the
 * step would change nothing.
 */
export function flowItems(t: WhatIfTenantChoice): PickItem<string | null>[] | undefined {
  const flows = t.authFlows;
  if (!flows.some((f) => f.policies.length)) return undefined;
  const words: Record<string, string> = { deviceCodeFlow: 'Device code flow', authenticationTransfer: 'Authentication transfer' };
  return [
    { label: 'Ordinary sign-in', description: 'no transfer flow', detail: 'Policies limited to a flow (authenticationFlows) do not apply', value: null },
    ...flows.map((f) => ({ label: words[f.name] ?? f.name, description: f.name, detail: policiesText(f.policies, 'no policy names it'), value: f.name })),
  ];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateAppId(value: string): string | undefined {
  return GUID.test(value.trim()) ? undefined : 'An application (client) id is a GUID, e.g. 00000002-0000-0ff1-ce00-000000000000';
}

export const CLIENT_APP_ITEMS: PickItem<string>[] = [
  { label: 'Browser', description: 'browser', value: 'browser' },
  { label: 'Mobile apps and desktop clients', description: 'mobileAppsAndDesktopClients', detail: 'Modern authentication: Outlook, Teams, OneDrive…', value: 'mobileAppsAndDesktopClients' },
  { label: 'Exchange ActiveSync', description: 'exchangeActiveSync', detail: 'Legacy authentication', value: 'exchangeActiveSync' },
  { label: 'Other clients', description: 'other', detail: 'Legacy authentication: IMAP, POP, SMTP, older Office clients', value: 'other' },
];

export type DeviceFlag = 'deviceCompliant' | 'appProtected' | 'hybridJoined';

export const DEVICE_ITEMS: PickItem<DeviceFlag>[] = [
  { label: 'Device is marked compliant', description: 'compliantDevice', value: 'deviceCompliant' },
  { label: 'App is protected by an app protection policy', description: 'compliantApplication', value: 'appProtected' },
  { label: 'Device is Microsoft Entra hybrid joined', description: 'domainJoinedDevice', value: 'hybridJoined' },
];

/** The device states a platform can have: only Windows devices are hybrid joined. */
export function deviceItems(platform: string): PickItem<DeviceFlag>[] {
  return platform.toLowerCase() === 'windows' ? DEVICE_ITEMS : DEVICE_ITEMS.filter((i) => i.value !== 'hybridJoined');
}

/** What the sign-in is to, as the scenario names it: an app, a user action or an authentication context (alone or the app's), and a flow. */
export interface SignInTarget {
  app?: string;
  userAction?: string;
  authContext?: string;
  authFlow?: string;
}

/** The scenario from the answers (`target` an app id or keyword, or a `SignInTarget`). */
export function scenarioOf(user: string, platform: string, target: string | SignInTarget, clientApp: string, flags: DeviceFlag[]): WhatIfScenarioParams {
  const t: SignInTarget = typeof target === 'string' ? { app: target } : target;
  return {
    user: [user],
    platform,
    ...(t.app !== undefined ? { app: t.app } : {}),
    ...(t.userAction !== undefined ? { userAction: t.userAction } : {}),
    ...(t.authContext !== undefined ? { authContext: t.authContext } : {}),
    ...(t.authFlow !== undefined ? { authFlow: t.authFlow } : {}),
    clientApp,
    deviceCompliant: flags.includes('deviceCompliant'),
    appProtected: flags.includes('appProtected'),
    hybridJoined: flags.includes('hybridJoined'),
  };
}

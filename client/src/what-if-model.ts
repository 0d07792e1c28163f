/** The quick picks of "Zero Trust: What If…" as data (the pure part of the command, tested without VS Code). */
import type { WhatIfScenarioParams, WhatIfTenantChoice } from '../../server/src/protocol';
import { PLATFORMS, PLATFORM_LABELS } from '../../server/src/core/platforms';

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
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

/** The scenario from the answers. */
export function scenarioOf(user: string, platform: string, app: string, clientApp: string, flags: DeviceFlag[]): WhatIfScenarioParams {
  return {
    user: [user],
    platform,
    app,
    clientApp,
    deviceCompliant: flags.includes('deviceCompliant'),
    appProtected: flags.includes('appProtected'),
    hybridJoined: flags.includes('hybridJoined'),
  };
}

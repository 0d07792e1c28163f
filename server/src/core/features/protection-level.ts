/**
 * Which level of Microsoft's app protection data protection framework (1 Enterprise basic, 2 enhanced, 3 high) an
 * iOS or Android app protection policy reaches, from the framework's settings (facts §3.2, Intune's
 * app-protection-framework page).
 */

interface Requirement {
  level: 1 | 2 | 3;
  label: string;
  platforms?: ('ios' | 'android')[];
  met: (spec: Record<string, unknown>) => boolean;
}

const isTrue = (k: string) => (s: Record<string, unknown>): boolean => s[k] === true;
const oneOf = (k: string, values: unknown[]) => (s: Record<string, unknown>): boolean => values.includes(s[k]);

const REQUIREMENTS: Requirement[] = [
  { level: 1, label: '`pinRequired: true`', met: isTrue('pinRequired') },
  { level: 1, label: '`deviceComplianceRequired: true` (block jailbroken/rooted devices)', met: isTrue('deviceComplianceRequired') },
  { level: 1, label: '`appDataEncryptionType: whenDeviceLocked`', platforms: ['ios'], met: oneOf('appDataEncryptionType', ['whenDeviceLocked']) },
  { level: 1, label: '`encryptAppData: true`', platforms: ['android'], met: isTrue('encryptAppData') },
  { level: 2, label: '`dataBackupBlocked: true`', met: isTrue('dataBackupBlocked') },
  { level: 2, label: '`allowedOutboundDataTransferDestinations: managedApps`', met: oneOf('allowedOutboundDataTransferDestinations', ['managedApps', 'none']) },
  { level: 2, label: '`allowedOutboundClipboardSharingLevel: managedAppsWithPasteIn`', met: oneOf('allowedOutboundClipboardSharingLevel', ['managedAppsWithPasteIn', 'managedApps', 'blocked']) },
  { level: 2, label: '`saveAsBlocked: true`', met: isTrue('saveAsBlocked') },
  { level: 2, label: '`screenCaptureBlocked: true`', platforms: ['android'], met: isTrue('screenCaptureBlocked') },
  { level: 2, label: '`managedBrowserToOpenLinksRequired: true`', met: isTrue('managedBrowserToOpenLinksRequired') },
  { level: 2, label: '`notificationRestriction: blockOrganizationalData`', met: oneOf('notificationRestriction', ['blockOrganizationalData', 'block']) },
  { level: 3, label: '`allowedInboundDataTransferSources: managedApps`', met: oneOf('allowedInboundDataTransferSources', ['managedApps', 'none']) },
  { level: 3, label: '`printBlocked: true`', met: isTrue('printBlocked') },
  { level: 3, label: '`minimumPinLength` of 6 or more', met: (s) => typeof s.minimumPinLength === 'number' && s.minimumPinLength >= 6 },
  { level: 3, label: '`simplePinBlocked: true`', met: isTrue('simplePinBlocked') },
  { level: 3, label: '`blockDataIngestionIntoOrganizationDocuments: true`', met: isTrue('blockDataIngestionIntoOrganizationDocuments') },
  { level: 3, label: '`maximumAllowedDeviceThreatLevel: secured`', met: oneOf('maximumAllowedDeviceThreatLevel', ['secured']) },
  { level: 3, label: '`thirdPartyKeyboardsBlocked: true`', platforms: ['ios'], met: isTrue('thirdPartyKeyboardsBlocked') },
  { level: 3, label: '`keyboardsRestricted: true`', platforms: ['android'], met: isTrue('keyboardsRestricted') },
];

export interface ProtectionLevel {
  /** 0 when not even level 1 is met. */
  level: 0 | 1 | 2 | 3;
  /** What the next level still needs. */
  missing: string[];
}

export const LEVEL_NAMES = ['none', 'Level 1 (Enterprise basic)', 'Level 2 (Enterprise enhanced)', 'Level 3 (Enterprise high)'];

/** The framework level an app protection policy's `spec` reaches; undefined for Windows (the framework is for iOS and Android). */
export function protectionLevel(spec: Record<string, unknown> | undefined): ProtectionLevel | undefined {
  const type = typeof spec?.['@odata.type'] === 'string' ? (spec['@odata.type'] as string) : '';
  const platform = /iosManagedAppProtection$/.test(type) ? 'ios' : /androidManagedAppProtection$/.test(type) ? 'android' : undefined;
  if (!spec || !platform) return undefined;
  const applicable = REQUIREMENTS.filter((r) => !r.platforms || r.platforms.includes(platform));
  let level: ProtectionLevel['level'] = 0;
  for (const l of [1, 2, 3] as const) {
    if (applicable.filter((r) => r.level <= l).every((r) => r.met(spec))) level = l;
    else break;
  }
  const next = level < 3 ? level + 1 : undefined;
  const missing = next ? applicable.filter((r) => r.level <= next && !r.met(spec)).map((r) => r.label) : [];
  return { level, missing };
}

/** Markdown for hovers: "Data protection framework: Level 1 (…); Level 2 also needs …". */
export function protectionLevelMarkdown(spec: Record<string, unknown> | undefined): string | undefined {
  const p = protectionLevel(spec);
  if (!p) return undefined;
  const head = p.level ? `**Data protection framework:** reaches ${LEVEL_NAMES[p.level]}.` : '**Data protection framework:** below Level 1 (Enterprise basic).';
  return p.missing.length ? `${head} ${LEVEL_NAMES[p.level + 1]} also needs ${p.missing.join(', ')}.` : head;
}

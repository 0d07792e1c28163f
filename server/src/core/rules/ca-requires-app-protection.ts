import { spanAtPath } from '../document';
import type { ManifestFacts, PolicyFacts } from '../facts';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule, TenantView } from '../rule';
import { applyingCaPolicies, freeName, grantControlPath, grantControlsOf, isReportOnly, newPolicyFile, ownerFor, policiesFor, related } from '../tenant-query';
import type { FileCreate, Fix, RelatedInfo } from '../types';
import { modelOf } from '../model/index';
import { APP_SCOPE_RULE, gapMatters, grantOperator } from '../model/grants';
import { APP_GRANTS, APP_PROTECTION_PLATFORMS, caFindingLayer, codeList, coveringAssignment, platformLabels, platformSlug, policyLabel } from './ca-helpers';
import { policiesOfKind } from '../reads';

/** What the fix needs: the CA policy, its app grant, the platforms with no app protection policy, and the assignment. */
export interface AppProtectionGap {
  policy: string;
  control: string;
  platforms: Platform[];
  assign: string[];
}

/**
 * Data protection framework level 2 (enterprise enhanced), as Graph values (facts §3.2, from Microsoft's
 * Intune-Config-Frameworks templates). Only properties our schema holds; level 3 extras (threat level) are left out
 * because they need the Defender connector.
 */
const DATA_PROTECTION: Record<string, unknown> = {
  appGroupType: 'allCoreMicrosoftApps',
  dataBackupBlocked: true,
  allowedInboundDataTransferSources: 'allApps',
  allowedOutboundDataTransferDestinations: 'managedApps',
  allowedOutboundClipboardSharingLevel: 'managedAppsWithPasteIn',
  saveAsBlocked: true,
  allowedDataStorageLocations: ['oneDriveForBusiness', 'sharePoint'],
  managedBrowser: 'microsoftEdge',
  managedBrowserToOpenLinksRequired: true,
  notificationRestriction: 'blockOrganizationalData',
  printBlocked: false,
};

const ACCESS_REQUIREMENTS: Record<string, unknown> = {
  pinRequired: true,
  pinCharacterSet: 'numeric',
  minimumPinLength: 4,
  simplePinBlocked: false,
  maximumPinRetries: 5,
  periodBeforePinReset: 'PT0S',
  pinRequiredInsteadOfBiometricTimeout: 'PT12H',
  periodOnlineBeforeAccessCheck: 'PT30M',
  periodOfflineBeforeAccessCheck: 'PT12H',
  periodOfflineBeforeWipeIsEnforced: 'P90D',
};

const CONDITIONAL_LAUNCH: Record<string, unknown> = {
  deviceComplianceRequired: true,
  appActionIfDeviceComplianceRequired: 'block',
  appActionIfUnableToAuthenticateUser: 'block',
};

const LEVEL_2: Partial<Record<Platform, { odataType: string; settings: Record<string, unknown> }>> = {
  iOS: {
    odataType: '#microsoft.graph.iosManagedAppProtection',
    settings: { ...DATA_PROTECTION, appDataEncryptionType: 'whenDeviceLocked', ...ACCESS_REQUIREMENTS, ...CONDITIONAL_LAUNCH },
  },
  android: {
    odataType: '#microsoft.graph.androidManagedAppProtection',
    settings: {
      ...DATA_PROTECTION,
      encryptAppData: true,
      screenCaptureBlocked: true,
      ...ACCESS_REQUIREMENTS,
      ...CONDITIONAL_LAUNCH,
      requiredAndroidSafetyNetDeviceAttestationType: 'basicIntegrityAndDeviceCertification',
      appActionIfAndroidSafetyNetDeviceAttestationFailed: 'block',
      requiredAndroidSafetyNetAppsVerificationType: 'enabled',
      appActionIfAndroidSafetyNetAppsVerificationFailed: 'block',
      requiredAndroidSafetyNetEvaluationType: 'hardwareBacked',
    },
  },
};

/** An active CA policy requires app protection (or approved apps) on iOS/Android, and the platform has no app protection policy. */
export const caRequiresAppProtection: Rule = {
  id: 'ca-requires-app-protection',
  title: 'Conditional Access requires app protection on a platform with no app protection policy',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant', 'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy'],
  peers: ['ZTA 24548', 'ZTA 24549'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest) return;
    for (const p of applyingCaPolicies(tenant)) {
      const control = APP_GRANTS.find((g) => grantControlsOf(p).includes(g));
      if (!control) continue;
      const gaps = appProtectionGaps(tenant, p, control);
      if (!gaps.length) continue;
      const missing = gaps.map((g) => g.platform);
      const data: AppProtectionGap = { policy: p.name ?? '', control, platforms: missing.filter((pl) => APP_PROTECTION_PLATFORMS.includes(pl)), assign: coveringAssignment(p, manifest) };
      emit({
        file: p,
        span: spanAtPath(p.parsed, grantControlPath(p, control), 'value'),
        message: message(p, control, gaps),
        lowered: isReportOnly(p),
        // A policy asking only for app-based grants is layer 1's (`caFindingLayer`).
        ...caFindingLayer(p),
        related: relatedInfo(p, tenant, manifest),
        data,
      });
    }
  },
  fix(finding, tenant) {
    const gap = finding.data as AppProtectionGap | undefined;
    const platforms = (gap?.platforms ?? []).filter((pl) => LEVEL_2[pl] !== undefined && policiesFor(tenant, 'AppProtectionPolicy', pl).length === 0);
    if (!gap || !platforms.length) return [];
    const fix: Fix = {
      title: `Create ${platforms.length > 1 ? 'app protection policies' : 'an app protection policy'} for ${platformLabels(platforms)} (data protection level 2)`,
      isPreferred: true,
      safe: true,
      edits: [],
      creates: createPolicies(tenant, gap, platforms),
    };
    return [fix];
  },
};

/** One platform where the app grant cannot be met, and why. */
export interface AppGrantGap {
  platform: Platform;
  /** The platform could have an app protection policy (iOS, Android, Windows) but has none. */
  creatable: boolean;
  /** It has some, but every one is assigned to nobody. */
  unassigned?: boolean;
  /** Windows, where only Microsoft Edge meets app protection and the policy covers no browser sign-in (the model's `gap`). */
  edgeOnly?: boolean;
  /** With `edgeOnly`: the tenant has no Windows app protection policy either (the model's `missing`). */
  noPolicy?: boolean;
  reason: string;
}

/**
 * The platforms where the policy's app grant cannot be met, and, under OR, no other control can be: iOS and
 * Android with no app protection policy, Windows with no Windows app protection policy, macOS and Linux always.
 */
export function appProtectionGaps(tenant: TenantView, p: PolicyFacts, control: string): AppGrantGap[] {
  const model = modelOf(tenant);
  const out: AppGrantGap[] = [];
  for (const platform of model.caPlatforms(p)) {
    const grant = model.grant(p, platform);
    const c = grant.controls.find((x) => x.control === control);
    if (!c || c.status !== 'impossible' || !gapMatters(grant, c)) continue;
    // The platform's only policies protect no app: app-protection-targets-no-app reports each of them, where the fix
    // (selecting the apps) is made; a new policy is not what is missing.
    if (c.rule === APP_SCOPE_RULE) continue;
    // A fact the manifest declares for the whole tenant keeps app protection from everyone (no licence with Intune):
    // license-missing reports it on the policies, and no app protection policy would help.
    if (c.gap === 'unlicensed' || c.gap === 'mdmAuthority') continue;
    const unassigned = c.missing === 'AppProtectionPolicy' && model.appProtectionPolicies(platform, true).length > 0;
    // Windows with neither a browser sign-in nor a Windows app protection policy: both are named, as one gap.
    const edgeOnly = c.gap === 'edgeOnly';
    out.push({ platform, creatable: c.missing === 'AppProtectionPolicy' && !unassigned && !edgeOnly, ...(unassigned ? { unassigned } : {}), ...(edgeOnly ? { edgeOnly: true, ...(c.missing ? { noPolicy: true } : {}) } : {}), reason: c.reason ?? '' });
  }
  return out;
}

function message(p: PolicyFacts, control: string, gaps: AppGrantGap[]): string {
  const what = control === 'compliantApplication' ? 'an app protection policy (`compliantApplication`)' : 'an approved client app (`approvedApplication`)';
  const creatable = gaps.filter((g) => g.creatable).map((g) => g.platform);
  const idle = gaps.filter((g) => g.unassigned).map((g) => g.platform);
  const never = gaps.filter((g) => !g.creatable && !g.unassigned).map((g) => g.platform);
  const parts: string[] = [];
  if (creatable.length) parts.push(`no ${platformLabels(creatable, 'or')} app protection policy`);
  if (idle.length) parts.push(`the ${platformLabels(idle)} app protection policies are assigned to nobody, so they protect no user`);
  const where = control === 'compliantApplication' ? 'app protection exists only for iOS, Android and (with Edge) Windows' : 'approved client apps exist only on iOS and Android';
  // Windows covered by app protection but not for this policy's client apps (Edge only) says so in its own words.
  const edgeOnly = gaps.filter((g) => g.edgeOnly).map((g) => g.platform);
  const elsewhere = never.filter((pl) => !edgeOnly.includes(pl));
  if (elsewhere.length) parts.push(`${platformLabels(elsewhere)} cannot meet it (${where})`);
  const noPolicy = gaps.some((g) => g.edgeOnly && g.noPolicy);
  if (edgeOnly.length) parts.push(`\`windows\` cannot meet it: ${noPolicy ? 'the tenant has no Windows app protection policy, and ' : ''}Windows app protection applies only in Microsoft Edge, ${noPolicy ? 'while' : 'and'} the policy covers no browser sign-in (\`clientAppTypes\`)`);
  const fixes: string[] = [];
  if (idle.length) fixes.push(`assign the ${platformLabels(idle)} app protection ${idle.length > 1 ? 'policies' : 'policy'} to the users of ${policyLabel(p)}`);
  if (creatable.length) fixes.push(`add an AppProtectionPolicy for ${platformLabels(creatable)}`);
  if (edgeOnly.length) fixes.push(noPolicy ? 'add a Windows AppProtectionPolicy (`windowsManagedAppProtection`, for Microsoft Edge) and add `browser` to `clientAppTypes` (Edge meets it there, and only with that policy)' : 'add `browser` to `clientAppTypes` (Edge meets it there)');
  fixes.push(`exclude ${never.length && !creatable.length ? 'the platform' : 'platforms'} with \`excludePlatforms\``);
  if (grantControlsOf(p).length === 1) fixes.push('offer another control (for example a compliant device) with `OR`');
  // Under OR, the gap matters only because the other controls have gaps of their own there (gapMatters): users meet
  // one of those or are blocked, which is not the same as blocked.
  // The retired `approvedApplication` behaves as if not selected: it is no way in.
  const others = grantOperator(p) === 'OR' ? grantControlsOf(p).filter((c) => c !== control && c !== 'approvedApplication') : [];
  const blocked = others.length ? `are blocked unless they meet ${codeList(others, 'or')}, ${others.length === 1 ? 'which has' : 'each of which has'} a gap of its own there` : 'are blocked';
  return (
    `${parts.join('; ')}; ${policyLabel(p)} requires ${what} on ${codeList(gaps.map((g) => g.platform))}${scopeNote(p)}, ` +
    `${edgeOnly.length === gaps.length ? '' : 'which only an Intune AppProtectionPolicy for that platform can satisfy, '}so users there ${isReportOnly(p) ? `would be ${blocked.slice(4)} once it is enforced (it is report-only)` : blocked}. ` +
    `${fixes.join(', or ').replace(/^./, (c) => c.toUpperCase())}`
  );
}

/** Where the platforms came from, when the CA policy does not name them itself. */
function scopeNote(p: PolicyFacts): string {
  if (!p.allPlatforms) return '';
  const include = (p.spec?.conditions as { platforms?: { includePlatforms?: unknown } } | undefined)?.platforms?.includePlatforms;
  const how = Array.isArray(include) && include.includes('all') ? '`includePlatforms: [all]`' : 'no platform condition';
  return ` (${how} means the tenant's platforms)`;
}

function relatedInfo(p: PolicyFacts, tenant: TenantView, manifest: ManifestFacts): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  if (p.allPlatforms) out.push({ file: manifest.path, span: spanAtPath(manifest.parsed, ['platforms'], 'key'), message: 'the manifest\'s platforms, which the CA policy includes' });
  for (const a of policiesOfKind(tenant, 'AppProtectionPolicy').filter((x) => x.platforms.length)) {
    out.push(related(a, `${PLATFORM_LABELS[a.platforms[0]!]} app protection policy`));
  }
  return out;
}

function createPolicies(tenant: TenantView, gap: AppProtectionGap, platforms: Platform[]): FileCreate[] {
  const owner = ownerFor(tenant, 'endpoint');
  return platforms.map((platform) => {
    const t = LEVEL_2[platform]!;
    const label = PLATFORM_LABELS[platform];
    const body: Record<string, unknown> = {
      kind: 'AppProtectionPolicy',
      name: freeName(tenant, `${platformSlug(platform)}-app-protection-l2`),
      ...(owner ? { owner } : {}),
      description: `Level 2 app protection for the core Microsoft apps on ${label} required by ${gap.policy}`,
      ...(gap.assign.length ? { assignments: { include: gap.assign } } : {}),
      spec: { '@odata.type': t.odataType, displayName: `${label} - App protection - Level 2 enterprise enhanced`, ...t.settings },
    };
    const header = [
      `Layer 1: created by the ca-requires-app-protection quick fix, because ${gap.policy} requires ${gap.control} on ${platform}.`,
      'Settings follow Microsoft\'s data protection framework, level 2 (enterprise enhanced). Review them with the endpoint team.',
    ];
    if (!gap.assign.length) header.push(`Not assigned yet: ${gap.policy} targets users or roles, not groups. Assign it to the same users.`);
    return newPolicyFile(tenant, 'AppProtectionPolicy', body, header);
  });
}

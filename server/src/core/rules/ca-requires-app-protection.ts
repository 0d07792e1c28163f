import { asObject, spanAtPath } from '../document';
import { docPath, type ManifestFacts, type PolicyFacts } from '../facts';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule, TenantView } from '../rule';
import { applyingCaPolicies, freeName, grantControlPath, grantControlsOf, isReportOnly, newPolicyFile, ownerFor, policiesFor, related } from '../tenant-query';
import type { FileCreate, Fix, RelatedInfo, TextEdit } from '../types';
import { appendToSequence, replaceValue } from '../yaml-edit';
import { modelOf } from '../model/index';
import { APP_SCOPE_RULE, EXTERNAL_APP_PROTECTION_TEXT, externalGuestsBeside, gapMatters, grantOperator, grantVerdict, GUEST_TRUST_RULE, WINDOWS_MAM_UNMANAGED_ONLY, type GrantAbility } from '../model/grants';
import { listText } from '../prose';
import { APP_GRANTS, APP_PROTECTION_PLATFORMS, caFindingLayer, codeList, coveringAssignment, platformLabels, platformSlug, policyAt, policyLabel } from './ca-helpers';
import { policiesOfKind } from '../reads';

/** What the fix needs: the CA policy, its app grant, the platforms with no app protection policy, and the assignment. */
export interface AppProtectionGap {
  policy: string;
  control: string;
  platforms: Platform[];
  assign: string[];
  /**
   * Windows, where Intune MAM applies only on PCs the tenant does not manage (the model's `gap: 'managedWindows'`):
   * `doubt`, the tenant enrolls Windows PCs, whose users cannot meet app protection there; `certain`, the grant asks a
   * compliant or hybrid joined device too under AND. The fix offers a compliant device with OR.
   */
  managedWindows?: 'doubt' | 'certain';
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
      const all = appProtectionGaps(tenant, p, control);
      if (!all.length) continue;
      // Windows PCs the tenant manages, where Windows app protection does not apply: said in words of its own.
      const managed = all.find((g) => g.managedWindows);
      const gaps = all.filter((g) => !g.managedWindows);
      const missing = gaps.map((g) => g.platform);
      const data: AppProtectionGap = { policy: p.name ?? '', control, platforms: missing.filter((pl) => APP_PROTECTION_PLATFORMS.includes(pl)), assign: coveringAssignment(p, manifest), ...(managed ? { managedWindows: managed.managedWindows } : {}) };
      const text = [...(gaps.length ? [message(p, control, gaps)] : []), ...(managed ? [managedWindowsMessage(tenant, p, managed)] : [])].join('. Besides, ') + guestsNote(p);
      emit({
        file: p,
        span: spanAtPath(p.parsed, grantControlPath(p, control), 'value'),
        message: text,
        // Only enrolled PCs in doubt (which PC a user signs in from is not in the files): a warning.
        ...(!gaps.length && managed?.managedWindows === 'doubt' ? { severity: 'warning' as const } : {}),
        lowered: isReportOnly(p),
        // A policy asking only for app-based grants is layer 1's (`caFindingLayer`).
        ...caFindingLayer(p),
        related: [...relatedInfo(p, tenant, manifest), ...(managed?.managedWindows === 'doubt' ? modelOf(tenant).enrollmentEvidence('windows').map((e) => related(e, 'shows the tenant enrolls Windows PCs, where Windows app protection does not apply')) : [])],
        data,
      });
    }
  },
  fix(finding, tenant) {
    const gap = finding.data as AppProtectionGap | undefined;
    if (!gap) return [];
    const fixes: Fix[] = [];
    const platforms = (gap.platforms ?? []).filter((pl) => LEVEL_2[pl] !== undefined && policiesFor(tenant, 'AppProtectionPolicy', pl).length === 0);
    if (platforms.length) {
      fixes.push({
        title: `Create ${platforms.length > 1 ? 'app protection policies' : 'an app protection policy'} for ${platformLabels(platforms)} (data protection level 2)`,
        isPreferred: true,
        safe: true,
        edits: [],
        creates: createPolicies(tenant, gap, platforms),
      });
    }
    const p = gap.managedWindows ? policyAt(tenant, finding.file) : undefined;
    const edits = p ? orCompliantDeviceEdits(p) : [];
    if (p && edits.length) {
      // Who gets in with a compliant device instead is the identity team's call: never applied unattended.
      fixes.push({ title: `Require app protection or a compliant device in ${policyLabel(p)} (OR), as Learn's policy for Windows app protection does`, isPreferred: !fixes.length, safe: false, edits, creates: [] });
    }
    return fixes;
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
  /** Windows PCs the tenant manages, where Windows app protection does not apply (the model's `gap: 'managedWindows'`). */
  managedWindows?: 'doubt' | 'certain';
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
    if (c?.gap === 'managedWindows') {
      const managed = managedWindowsCase(grant, c);
      if (managed) out.push({ platform, creatable: false, managedWindows: managed, reason: c.reason ?? '' });
      continue;
    }
    if (!c || c.status !== 'impossible' || !gapMatters(grant, c)) continue;
    // Users of other tenants only: no app protection policy here lets them meet it (`ca-guest-device-not-trusted`'s).
    if (c.rule === GUEST_TRUST_RULE) continue;
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

/**
 * Whether the model's `managedWindows` answer is this policy's gap: certain (a compliant or hybrid joined device beside
 * app protection under AND) where it matters; in doubt where the grant as a whole is (`grantVerdict`) and no device
 * control is offered beside it under OR (a managed PC meets that one; its own doubts are its rules').
 */
function managedWindowsCase(grant: GrantAbility, c: GrantAbility['controls'][number]): 'doubt' | 'certain' | undefined {
  if (c.status === 'impossible') return gapMatters(grant, c) ? 'certain' : undefined;
  if (!c.mayBeImpossible || grantVerdict(grant) !== 'mayBeImpossible') return undefined;
  const device = grant.operator === 'OR' && grant.controls.some((x) => (x.control === 'compliantDevice' || x.control === 'domainJoinedDevice') && x.status === 'possible');
  return device ? undefined : 'doubt';
}

/** What the finding says of Windows PCs the tenant manages, where Windows app protection does not apply. */
function managedWindowsMessage(tenant: TenantView, p: PolicyFacts, gap: AppGrantGap): string {
  if (gap.managedWindows === 'certain') {
    const device = grantControlsOf(p).includes('compliantDevice') ? 'a compliant device' : 'a hybrid joined device';
    const joined = device === 'a compliant device' ? 'a compliant device is MDM enrolled' : 'a hybrid joined device is Microsoft Entra joined';
    return (
      `${policyLabel(p)} requires app protection (\`compliantApplication\`) and ${device} (AND) on \`windows\`: ${WINDOWS_MAM_UNMANAGED_ONLY}, and ${joined}, so no PC meets both and users there ${isReportOnly(p) ? 'would be blocked once it is enforced (it is report-only)' : 'are blocked'}. ` +
      `Require one or the other (\`operator: OR\`), as Learn's policy for Windows app protection does (app protection or a compliant device), or take \`windows\` out of the policy`
    );
  }
  const evidence = modelOf(tenant).enrollmentEvidence('windows');
  const shown = evidence.length ? ` (${codeList(evidence.slice(0, 3).map((e) => e.name ?? e.path))}${evidence.length > 3 ? ` and ${evidence.length - 3} more` : ''})` : '';
  return (
    `${policyLabel(p)} requires app protection (\`compliantApplication\`) on \`windows\` with no compliant device beside it, and the tenant enrolls Windows PCs${shown}: ${WINDOWS_MAM_UNMANAGED_ONLY}, ` +
    `so users signing in from a PC the tenant enrolls or joins ${isReportOnly(p) ? 'would be blocked once it is enforced (it is report-only)' : 'are blocked'}; personal PCs meet it in Microsoft Edge. ` +
    `Offer a compliant device with OR (\`builtInControls: [compliantApplication, compliantDevice]\`, \`operator: OR\`), as Learn's policy for Windows app protection does`
  );
}

/**
 * The edits that make a grant "app protection or a compliant device": `compliantDevice` appended to `builtInControls`
 * when it is not there, and an `AND` operator turned to `OR`. None where the grant has no list to append to.
 */
function orCompliantDeviceEdits(p: PolicyFacts): TextEdit[] {
  const grant = asObject(p.spec?.grantControls);
  if (!grant || !Array.isArray(grant.builtInControls)) return [];
  const edits: TextEdit[] = [];
  if (!grantControlsOf(p).includes('compliantDevice')) {
    const edit = appendToSequence(p.parsed, docPath(p, ['spec', 'grantControls', 'builtInControls']), ['compliantDevice']);
    if (!edit) return [];
    edits.push(edit);
  }
  if (grantOperator(p) === 'AND') {
    const edit = replaceValue(p.parsed, docPath(p, ['spec', 'grantControls', 'operator']), 'OR');
    if (!edit) return [];
    edits.push(edit);
  }
  return edits;
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

/**
 * What the fix does not do for the users of other tenants the policy names beside this tenant's (`externalGuestsBeside`):
 * an app protection policy here protects this tenant's users' apps, and theirs never meet the grant. Empty for any
 * other policy.
 */
function guestsNote(p: PolicyFacts): string {
  const guests = externalGuestsBeside(p);
  if (!guests) return '';
  const types = listText([...guests.keys()].map((t) => `\`${t}\``));
  return `. The ${types} guests it reaches cannot meet it whatever this tenant's policies: ${EXTERNAL_APP_PROTECTION_TEXT}. Exclude them (\`excludeGuestsOrExternalUsers\`) and give them a policy of their own that requires MFA`;
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

import { spanAtPath } from '../document';
import type { ManifestFacts, PolicyFacts } from '../facts';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Emitted, Rule, TenantView } from '../rule';
import { applyingCaPolicies, freeName, licensesForLayer, grantControlPath, isReportOnly, newPolicyFile, ownerFor, policiesFor, related } from '../tenant-query';
import type { FileCreate, Fix, RelatedInfo } from '../types';
import { codeList, coveringAssignment, platformLabels, platformSlug, policyLabel } from './ca-helpers';
import { modelOf, type TenantModel } from '../model/index';
import { COMPLIANCE_TOGGLES } from '../model/defender';
import { gapMatters, grantControlNames, uncheckedDevicesText } from '../model/grants';
import { emitKept, policiesOfKind, type KeptReading } from '../reads';

/** What the fix needs: the CA policy, the platforms with no compliance policy, and whom to assign new ones to. */
export interface CompliancePolicyGap {
  policy: string;
  platforms: Platform[];
  assign: string[];
}

interface ComplianceTemplate {
  odataType: string;
  settings: Record<string, unknown>;
}

/**
 * A minimal, schema-valid baseline per platform. It checks device health; a Defender threat level is added only where
 * the tenant's connector already sends the platform's device risk under a licence that covers it (as
 * device-risk-not-required asks), never where it would need another layer.
 */
const TEMPLATES: Partial<Record<Platform, ComplianceTemplate>> = {
  windows: {
    odataType: '#microsoft.graph.windows10CompliancePolicy',
    settings: { bitLockerEnabled: true, secureBootEnabled: true, codeIntegrityEnabled: true, storageRequireEncryption: true },
  },
  iOS: {
    odataType: '#microsoft.graph.iosCompliancePolicy',
    settings: { passcodeRequired: true, passcodeBlockSimple: true, passcodeMinimumLength: 6, securityBlockJailbrokenDevices: true },
  },
  macOS: {
    odataType: '#microsoft.graph.macOSCompliancePolicy',
    // Gatekeeper as compliance-macos-integrity asks (beta-only; the portal's "Mac App Store and identified developers").
    settings: { passwordRequired: true, passwordMinimumLength: 8, storageRequireEncryption: true, systemIntegrityProtectionEnabled: true, gatekeeperAllowedAppSource: 'macAppStoreAndIdentifiedDevelopers', firewallEnabled: true },
  },
  // Android Enterprise personally-owned work profile: the mode most tenants start with.
  android: {
    odataType: '#microsoft.graph.androidWorkProfileCompliancePolicy',
    settings: {
      passwordRequired: true,
      storageRequireEncryption: true,
      securityBlockJailbrokenDevices: true,
      securityRequireSafetyNetAttestationBasicIntegrity: true,
      securityRequireSafetyNetAttestationCertifiedDevice: true,
    },
  },
};

/** Platforms our format can hold a compliance policy for (Linux compliance is a settings catalog policy in Intune). */
function canCreate(p: Platform): boolean {
  return TEMPLATES[p] !== undefined;
}

/** An active CA policy requires a compliant device on a platform that has no compliance policy at all. */
const KEPT = new WeakMap<object, KeptReading<Emitted[]>>();

export const caRequiresCompliancePolicy: Rule = {
  id: 'ca-requires-compliance-policy',
  title: 'Conditional Access requires a compliant device on a platform with no compliance policy',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-device-compliance', 'https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started#integrate-with-conditional-access'],
  peers: ['ZTA 24541', 'ZTA 24542', 'ZTA 24543', 'ZTA 24545', 'ZTA 24547'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.manifest) return;
    // Kept per policy across edits: an edit of another CA policy leaves this one's finding as it was. What it needs
    // of the tenant is read inside, so that the kept finding notes it.
    emitKept(tenant, KEPT, applyingCaPolicies(tenant), emit, (p, emit) => {
      const manifest = tenant.manifest!;
      const model = modelOf(tenant);
      if (!grantControlNames(p).includes('compliantDevice')) return;
      const all = compliancePlatformGaps(tenant, p);
      // Under co-management with Pilot Intune, only the pilot collection's devices rest on Intune's policies: that gap
      // is said apart, as information (Configuration Manager evaluates the other devices, which no file shows).
      const gaps = all.filter((g) => !g.pilot);
      const span = spanAtPath(p.parsed, grantControlPath(p, 'compliantDevice'), 'value');
      if (gaps.length) {
        const missing = gaps.map((g) => g.platform);
        const data: CompliancePolicyGap = { policy: p.name ?? '', platforms: missing, assign: coveringAssignment(p, manifest) };
        emit({
          file: p,
          span,
          message: message(p, gaps, model.secureByDefault, platformSource(model), model.declared.complianceWorkload === undefined),
          lowered: isReportOnly(p),
          related: relatedInfo(p, tenant, manifest, gaps),
          data,
        });
      }
      for (const g of all.filter((x) => x.pilot)) {
        const data: CompliancePolicyGap = { policy: p.name ?? '', platforms: [g.platform], assign: coveringAssignment(p, manifest) };
        emit({ file: p, span, severity: 'information', message: pilotMessage(p, g.platform, model.secureByDefault), related: relatedInfo(p, tenant, manifest, [g]), data });
      }
    });
  },
  fix(finding, tenant) {
    const gap = finding.data as CompliancePolicyGap | undefined;
    if (!gap?.platforms?.length) return [];
    // Listed licences none of which covers Intune compliance (layer 3): a new policy would only add license-missing
    // errors (as device-risk-requires-defender offers no connector without a layer 6 licence).
    if (licensesForLayer(tenant, 3)?.length === 0) return [];
    // Skip platforms that have gained a compliance policy since the finding was made.
    const platforms = gap.platforms.filter((pl) => canCreate(pl) && policiesFor(tenant, 'CompliancePolicy', pl).length === 0);
    if (!platforms.length) return [];
    const creates = createPolicies(tenant, gap, platforms);
    const skipped = gap.platforms.filter((pl) => !canCreate(pl));
    // Linux compliance is a settings catalog policy (`deviceManagementCompliancePolicy`), whose settings this fix does
    // not write: made in Intune and imported, it covers the platform.
    const note = skipped.length ? ` (not ${platformLabels(skipped)}: its compliance policy is a settings catalog policy, \`deviceManagementCompliancePolicy\`, which this fix does not write; make it in Intune and import it)` : '';
    const fix: Fix = {
      title: `Create ${platforms.length > 1 ? 'compliance policies' : 'a compliance policy'} for ${platformLabels(platforms)}${note}`,
      isPreferred: true,
      safe: true,
      edits: [],
      creates,
    };
    return [fix];
  },
};

/** One platform where the CA policy's `compliantDevice` rests on no compliance policy that reaches enrollable devices. */
export interface ComplianceGap {
  platform: Platform;
  /** The compliance policies of the platform whose devices cannot enroll, with why. */
  blocked: { policy: PolicyFacts; reason: string }[];
  /** Why no device of the platform can enroll at all, when none can (then none is ever compliant). */
  cannotEnroll?: string;
  /** The platform's compliance policies that would reach devices, but are declared assigned to nobody. */
  unassigned: PolicyFacts[];
  /**
   * Co-management with Pilot Intune (`settings.coManagement.complianceWorkload`): the gap is the pilot collection's
   * alone, whose devices Intune evaluates; Configuration Manager evaluates the rest.
   */
  pilot?: true;
}

/**
 * The platforms where the policy requires a compliant device and the tenant has no compliance policy reaching
 * devices that can enroll, and, under OR, no other control of the grant can be met. A platform whose compliance
 * policy (or a restriction that would let its users enroll) might sit in a file not analysed is not reported: the
 * grant evaluator answers "unknown" there, with no gap (`model/grants.ts`).
 */
export function compliancePlatformGaps(tenant: TenantView, p: PolicyFacts): ComplianceGap[] {
  const model = modelOf(tenant);
  const out: ComplianceGap[] = [];
  for (const platform of model.caPlatforms(p)) {
    const grant = model.grant(p, platform);
    const c = grant.controls.find((x) => x.control === 'compliantDevice');
    if (!c || c.missing !== 'CompliancePolicy' || !gapMatters(grant, c)) continue;
    const blocked = model.unenrollableCompliance(platform).map((x) => ({ policy: x.policy, reason: x.enrollment.reason ?? 'its devices cannot enroll' }));
    const enrollment = model.enrollmentFor(platform);
    const unassigned = model.compliancePolicies(platform, undefined, true).filter((x) => !model.compliancePolicies(platform).includes(x));
    out.push({ platform, blocked, unassigned, ...(enrollment.state === 'blocked' ? { cannotEnroll: enrollment.reason ?? 'its devices cannot enroll' } : {}), ...(c.coManaged === 'pilotIntune' ? { pilot: true as const } : {}) });
  }
  return out;
}

/**
 * The pilot collection's gap under co-management with Pilot Intune: Intune evaluates those devices, and the tenant has
 * no Windows compliance policy for them.
 */
function pilotMessage(p: PolicyFacts, platform: Platform, secureByDefault: boolean | undefined): string {
  const label = PLATFORM_LABELS[platform];
  const pilot =
    secureByDefault === true
      ? '`secureByDefault` marks them noncompliant and they are blocked'
      : secureByDefault === false
        ? 'they count as compliant without any check (`secureByDefault` is false)'
        : 'they are blocked or pass unchecked, depending on `secureByDefault` (not declared in zerotrust.yaml)';
  const when = isReportOnly(p) ? ' once it is enforced (it is report-only)' : '';
  return `no ${label} compliance policy in Intune; ${policyLabel(p)} requires a compliant device on \`${platform}\`, and under co-management (\`settings.coManagement.complianceWorkload: pilotIntune\`) Intune evaluates the pilot collection's devices, so ${pilot}${when}; Configuration Manager evaluates the other co-managed devices, which these files cannot show. Add a ${label} CompliancePolicy assigned to the pilot collection's devices (or their users), or keep the pilot collection empty until there is one`;
}

function message(p: PolicyFacts, gaps: ComplianceGap[], secureByDefault: boolean | undefined, source: string, workloadUndeclared: boolean): string {
  const missing = gaps.map((g) => g.platform);
  const creatable = missing.filter((pl) => canCreate(pl) && !gaps.find((g) => g.platform === pl)!.blocked.length && !gaps.find((g) => g.platform === pl)!.unassigned.length);
  const idle = gaps.flatMap((g) => g.unassigned);
  // `secureByDefault` decides only for enrolled devices; a device that cannot enroll is never compliant.
  const enrolling = gaps.some((g) => !g.cannotEnroll);
  const why = !enrolling
    ? `and no such device can enroll, so none is ever compliant and its users are blocked whatever \`secureByDefault\` says`
    : secureByDefault === true
      ? 'so every such device is marked noncompliant and blocked'
      : `so ${uncheckedDevicesText(secureByDefault, 'enrolled devices there')}${secureByDefault === false ? ', and devices that are not enrolled are never compliant' : ''}`;
  // One sentence per reason: the Apple push certificate stops iOS/iPadOS and macOS alike.
  const byReason = new Map<string, Platform[]>();
  for (const g of gaps) if (g.cannotEnroll && !g.blocked.length) byReason.set(g.cannotEnroll, [...(byReason.get(g.cannotEnroll) ?? []), g.platform]);
  const cannotText = [...byReason].map(
    ([reason, platforms]) => `${platformLabels(platforms)} devices cannot enroll${enrolling ? ', so they are blocked whatever `secureByDefault` says' : ''}: ${reason}`,
  );
  const blockedText = [...gaps.flatMap((g) => g.blocked.map((b) => `${policyLabel(b.policy)} (${PLATFORM_LABELS[g.platform]}) reaches no device: ${b.reason}`)), ...cannotText].join('; ');
  const which = gaps.some((g) => g.blocked.length) ? ' that reaches devices able to enroll' : idle.length ? ' assigned to anyone' : '';
  const when = isReportOnly(p) ? ' once it is enforced (it is report-only)' : '';
  let text = `no ${platformLabels(missing, 'or')} compliance policy${which}; ${policyLabel(p)} requires a compliant device on ${codeList(missing)}${scopeNote(p, source)}, ${why}${when}. `;
  if (blockedText) text += `${blockedText}. `;
  if (idle.length) text += `${idle.map(policyLabel).join(', ')} ${idle.length === 1 ? 'is' : 'are'} assigned to nobody, so ${idle.length === 1 ? 'it evaluates' : 'they evaluate'} no device: assign ${idle.length === 1 ? 'it' : 'them'} to the users of ${policyLabel(p)}, or `;
  // Linux compliance is a settings catalog policy, with settings no template here can choose: made in Intune, then imported.
  const linux = missing.includes('linux') && !gaps.find((g) => g.platform === 'linux')!.blocked.length;
  const adds = [
    ...(creatable.length ? [`a CompliancePolicy for ${platformLabels(creatable)}`] : []),
    ...(linux ? [`${creatable.length ? 'a Linux one' : 'a Linux CompliancePolicy'} (a settings catalog compliance policy: make it in Intune and import it, the quick fix does not create it)`] : []),
  ];
  const rest = adds.length ? `add ${adds.join(' and ')}, or exclude the platform with \`excludePlatforms\`` : 'exclude the platform with `excludePlatforms`';
  text += idle.length ? rest : rest.replace(/^./, (c) => c.toUpperCase());
  // A co-managed tenant whose Windows compliance Configuration Manager evaluates has no Intune policy to add: the
  // manifest fact says so (undeclared, Windows compliance is read as Intune's).
  if (workloadUndeclared && missing.includes('windows') && !gaps.find((g) => g.platform === 'windows')!.blocked.length && !gaps.find((g) => g.platform === 'windows')!.cannotEnroll) {
    text += '. If Configuration Manager evaluates Windows compliance (co-management), declare `settings.coManagement.complianceWorkload` in zerotrust.yaml';
  }
  return text;
}

/**
 * Where the tenant's platforms come from (the model's `platforms`): the manifest's list; else the platforms its Intune
 * policies manage; else, with none named anywhere, every platform.
 */
function platformSource(model: TenantModel): string {
  const source = model.platformsSource;
  return source === 'manifest'
    ? "the manifest's platforms"
    : source === 'policies'
      ? "the platforms the tenant's Intune policies manage, as the manifest declares none"
      : 'every platform, as neither the manifest nor an Intune policy here names one';
}

/** Where the platforms came from, when the CA policy does not name them itself. */
function scopeNote(p: PolicyFacts, source: string): string {
  if (!p.allPlatforms) return '';
  const include = (p.spec?.conditions as { platforms?: { includePlatforms?: unknown } } | undefined)?.platforms?.includePlatforms;
  const how = Array.isArray(include) && include.includes('all') ? '`includePlatforms: [all]`' : 'no platform condition';
  return ` (${how} means ${source})`;
}

function relatedInfo(p: PolicyFacts, tenant: TenantView, manifest: ManifestFacts, gaps: ComplianceGap[]): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  for (const b of gaps.flatMap((g) => g.blocked)) out.push(related(b.policy, 'a compliance policy whose devices cannot enroll'));
  for (const u of gaps.flatMap((g) => g.unassigned)) out.push(related(u, 'a compliance policy assigned to nobody'));
  if (p.allPlatforms) out.push({ file: manifest.path, span: spanAtPath(manifest.parsed, ['platforms'], 'key'), message: 'the manifest\'s platforms, which the CA policy includes' });
  for (const c of policiesOfKind(tenant, 'CompliancePolicy').filter((x) => x.platforms.length)) {
    out.push(related(c, `${PLATFORM_LABELS[c.platforms[0]!]} compliance policy`));
  }
  return out;
}

function createPolicies(tenant: TenantView, gap: CompliancePolicyGap, platforms: Platform[]): FileCreate[] {
  return platforms.map((platform) => {
    const name = freeName(tenant, `${platformSlug(platform)}-compliance-baseline`);
    return newPolicyFile(tenant, 'CompliancePolicy', policyBody(tenant, gap, platform, name), header(tenant, gap, platform));
  });
}

function policyBody(tenant: TenantView, gap: CompliancePolicyGap, platform: Platform, name: string): Record<string, unknown> {
  const t = TEMPLATES[platform]!;
  const owner = ownerFor(tenant, 'endpoint');
  return {
    kind: 'CompliancePolicy',
    name,
    ...(owner ? { owner } : {}),
    description: `${PLATFORM_LABELS[platform]} compliance baseline for ${gap.policy}`,
    ...(gap.assign.length ? { assignments: { include: gap.assign } } : {}),
    spec: {
      '@odata.type': t.odataType,
      displayName: `${PLATFORM_LABELS[platform]} - Compliance baseline`,
      ...t.settings,
      ...threatLevel(tenant, platform),
      scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }],
    },
  };
}

/** The device threat level a new baseline requires: only where Defender sends the platform's risk, licensed. */
function threatLevel(tenant: TenantView, platform: Platform): Record<string, unknown> {
  const toggle = COMPLIANCE_TOGGLES[platform];
  if (!toggle || !licensesForLayer(tenant, 6)?.length || !modelOf(tenant).defender.connectorsEnabling(toggle).length) return {};
  return { deviceThreatProtectionEnabled: true, deviceThreatProtectionRequiredSecurityLevel: 'medium' };
}

function header(tenant: TenantView, gap: CompliancePolicyGap, platform: Platform): string[] {
  const label = PLATFORM_LABELS[platform];
  const lines = [
    `Layer 3: created by the ca-requires-compliance-policy quick fix, because ${gap.policy} requires a compliant device on ${platform}.`,
    'A starting point: review the settings with the endpoint team, and keep the CA policy in report-only until these devices report compliant.',
  ];
  if (!gap.assign.length) lines.push(`Not assigned yet: ${gap.policy} targets users or roles, not groups. Assign it to the same users.`);
  // The model's reading of the manifest's facts (a value the schema refuses is undeclared), as every rule reads them.
  const declared = modelOf(tenant).declared;
  if (platform === 'android') {
    lines.push('Android Enterprise personally-owned work profile; corporate-owned devices need an androidDeviceOwnerCompliancePolicy instead.');
    if (declared.androidBinding.state !== 'bound') lines.push('Android Enterprise needs managed Google Play: bind it and set settings.androidEnterprise.bindStatus in zerotrust.yaml.');
  }
  if ((platform === 'iOS' || platform === 'macOS') && declared.applePush.state === 'undeclared') {
    lines.push(`${label} devices enroll only once the Apple MDM push certificate is in place (settings.applePushCertificate in zerotrust.yaml).`);
  }
  return lines;
}

import { spanAtPath } from '../document';
import type { ManifestFacts, PolicyFacts } from '../facts';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule, TenantView } from '../rule';
import { activeCaPolicies, caPlatforms, freeName, grantControlPath, grantControlsOf, isReportOnly, newPolicyFile, ownerFor, policiesFor, related } from '../tenant-query';
import type { FileCreate, Fix, RelatedInfo } from '../types';
import { codeList, coveringAssignment, platformLabels, platformSlug, policyLabel } from './ca-helpers';

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
 * A minimal, schema-valid baseline per platform. It checks device health only: nothing here needs another layer
 * (no Defender threat level, which would need the connector).
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
    settings: { passwordRequired: true, passwordMinimumLength: 8, storageRequireEncryption: true, systemIntegrityProtectionEnabled: true, firewallEnabled: true },
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
export const caRequiresCompliancePolicy: Rule = {
  id: 'ca-requires-compliance-policy',
  title: 'Conditional Access requires a compliant device on a platform with no compliance policy',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'error',
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest) return;
    for (const p of activeCaPolicies(tenant)) {
      if (!grantControlsOf(p).includes('compliantDevice')) continue;
      const missing = caPlatforms(p, tenant).filter((pl) => policiesFor(tenant, 'CompliancePolicy', pl).length === 0);
      if (!missing.length) continue;
      const data: CompliancePolicyGap = { policy: p.name ?? '', platforms: missing, assign: coveringAssignment(p, manifest) };
      emit({
        file: p,
        span: spanAtPath(p.parsed, grantControlPath(p, 'compliantDevice'), 'value'),
        message: message(p, missing, manifest),
        lowered: isReportOnly(p),
        related: relatedInfo(p, tenant, manifest),
        data,
      });
    }
  },
  fix(finding, tenant) {
    const gap = finding.data as CompliancePolicyGap | undefined;
    if (!gap?.platforms?.length) return [];
    // Skip platforms that have gained a compliance policy since the finding was made.
    const platforms = gap.platforms.filter((pl) => canCreate(pl) && policiesFor(tenant, 'CompliancePolicy', pl).length === 0);
    if (!platforms.length) return [];
    const creates = createPolicies(tenant, gap, platforms);
    const skipped = gap.platforms.filter((pl) => !canCreate(pl));
    const note = skipped.length ? ` (not ${platformLabels(skipped)}: it has no Graph compliance policy type; exclude it from the CA policy)` : '';
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

function message(p: PolicyFacts, missing: Platform[], manifest: ManifestFacts): string {
  const creatable = missing.filter(canCreate);
  const why =
    manifest.settings.secureByDefault === true
      ? 'so every such device is marked noncompliant and blocked'
      : 'so such devices count as compliant without any check (`secureByDefault` is not true)';
  let text = `no ${platformLabels(missing, 'or')} compliance policy; ${policyLabel(p)} requires a compliant device on ${codeList(missing)}${scopeNote(p)}, ${why}. `;
  text += creatable.length ? `Add a CompliancePolicy for ${platformLabels(creatable)}, or exclude the platform with \`excludePlatforms\`` : 'Exclude the platform with `excludePlatforms`';
  if (missing.includes('linux')) text += '. Linux compliance is a settings catalog policy, which this format cannot hold yet, so the quick fix does not create it';
  return text;
}

/** Where the platforms came from, when the CA policy does not name them itself. */
function scopeNote(p: PolicyFacts): string {
  if (!p.allPlatforms) return '';
  const include = (p.spec?.conditions as { platforms?: { includePlatforms?: unknown } } | undefined)?.platforms?.includePlatforms;
  const how = Array.isArray(include) && include.includes('all') ? '`includePlatforms: [all]`' : 'no platform condition';
  return ` (${how} means the manifest's platforms)`;
}

function relatedInfo(p: PolicyFacts, tenant: TenantView, manifest: ManifestFacts): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  if (p.allPlatforms) out.push({ file: manifest.path, span: spanAtPath(manifest.parsed, ['platforms'], 'key'), message: 'the manifest\'s platforms, which the CA policy includes' });
  for (const c of tenant.policies.filter((x) => x.kind === 'CompliancePolicy' && x.platforms.length)) {
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
      scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }],
    },
  };
}

function header(tenant: TenantView, gap: CompliancePolicyGap, platform: Platform): string[] {
  const label = PLATFORM_LABELS[platform];
  const lines = [
    `Layer 3: created by the ca-requires-compliance-policy quick fix, because ${gap.policy} requires a compliant device on ${platform}.`,
    'A starting point: review the settings with the endpoint team, and keep the CA policy in report-only until these devices report compliant.',
  ];
  if (!gap.assign.length) lines.push(`Not assigned yet: ${gap.policy} targets users or roles, not groups. Assign it to the same users.`);
  const settings = tenant.manifest?.settings ?? {};
  if (platform === 'android') {
    lines.push('Android Enterprise personally-owned work profile; corporate-owned devices need an androidDeviceOwnerCompliancePolicy instead.');
    const bind = (settings.androidEnterprise as Record<string, unknown> | undefined)?.bindStatus;
    if (bind !== 'bound' && bind !== 'boundAndValidated') lines.push('Android Enterprise needs managed Google Play: bind it and set settings.androidEnterprise.bindStatus in zerotrust.yaml.');
  }
  if ((platform === 'iOS' || platform === 'macOS') && !settings.applePushCertificate) {
    lines.push(`${label} devices enroll only once the Apple MDM push certificate is in place (settings.applePushCertificate in zerotrust.yaml).`);
  }
  return lines;
}

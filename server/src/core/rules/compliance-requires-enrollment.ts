import { isPlainObject, spanAtPath, type JsonPath } from '../document';
import type { ManifestFacts, PolicyFacts } from '../facts';
import { relative } from '../paths';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule, TenantView } from '../rule';
import { assignmentIncludes, policySpan } from '../tenant-query';
import type { RelatedInfo } from '../types';

/**
 * The enrollment a compliance type needs, in the words of the restriction's `platformType`. Intune restricts
 * Android device administrator (`android`) and Android Enterprise work profile (`androidForWork`) separately.
 * Android Enterprise corporate-owned modes (`androidDeviceOwner…`) and AOSP enroll through corporate enrollment
 * profiles, which platform restrictions do not block, and the Windows Phone types are long gone: none of them
 * is checked against restrictions.
 */
const RESTRICTION_TYPE: Record<string, string> = {
  windows10CompliancePolicy: 'windows',
  windows81CompliancePolicy: 'windows',
  iosCompliancePolicy: 'ios',
  macOSCompliancePolicy: 'mac',
  androidCompliancePolicy: 'android',
  androidWorkProfileCompliancePolicy: 'androidForWork',
  androidForWorkCompliancePolicy: 'androidForWork',
};

/** The per-platform members of the legacy all-platforms restriction (`deviceEnrollmentPlatformRestrictionsConfiguration`). */
const LEGACY_MEMBERS: Record<string, string[]> = {
  windows: ['windowsRestriction'],
  ios: ['iosRestriction'],
  mac: ['macOSRestriction', 'macRestriction'],
  android: ['androidRestriction'],
  androidForWork: ['androidForWorkRestriction'],
};

/**
 * Types that need the managed Google Play binding: the Android Enterprise work profile (and its legacy name,
 * Android for Work) and the corporate-owned modes. AOSP devices have no Google Mobile Services and never use
 * managed Google Play, and device administrator predates it.
 */
const ANDROID_ENTERPRISE_TYPES = ['androidWorkProfileCompliancePolicy', 'androidDeviceOwnerCompliancePolicy', 'androidForWorkCompliancePolicy'];
const BOUND = ['bound', 'boundAndValidated'];

/** Why a platform cannot enroll, with the fix in the same breath. */
interface Blocker {
  reason: string;
  related: RelatedInfo;
}

function graphType(p: PolicyFacts): string {
  return (p.odataType ?? '').replace(/^#?microsoft\.graph\./, '');
}

/** How the message names the devices: Android's management modes enroll so differently that they are named apart. */
function devicesLabel(p: PolicyFacts, platform: Platform): string {
  const type = graphType(p);
  if (ANDROID_ENTERPRISE_TYPES.includes(type)) return 'Android Enterprise';
  if (type === 'androidCompliancePolicy') return 'Android device administrator';
  return PLATFORM_LABELS[platform];
}

/** The path of the `platformBlocked: true` that blocks `type` in a restriction, if it does. */
function blockedPath(r: PolicyFacts, type: string): JsonPath | undefined {
  const spec = r.spec;
  if (!spec) return undefined;
  const t = graphType(r);
  if (t === 'deviceEnrollmentPlatformRestrictionConfiguration') {
    const restriction = spec.platformRestriction;
    const matches = spec.platformType === type || spec.platformType === 'allPlatforms';
    return matches && isPlainObject(restriction) && restriction.platformBlocked === true ? ['spec', 'platformRestriction', 'platformBlocked'] : undefined;
  }
  if (t === 'deviceEnrollmentPlatformRestrictionsConfiguration') {
    for (const member of LEGACY_MEMBERS[type] ?? []) {
      const restriction = spec[member];
      if (isPlainObject(restriction) && restriction.platformBlocked === true) return ['spec', member, 'platformBlocked'];
    }
  }
  return undefined;
}

/**
 * Whether a restriction reaches everyone the compliance policy is assigned to. A restriction with no include
 * list is read as the tenant's default restriction, which Intune applies to all users; a restriction on a few
 * groups blocks only those, so it keeps the platform from enrolling only when it covers all the policy's groups.
 */
function reachesEveryone(restriction: PolicyFacts, policy: PolicyFacts, manifest: ManifestFacts | undefined): boolean {
  const include = assignmentIncludes(restriction, manifest);
  if (include.length === 0 || include.includes('allUsers') || include.includes('allDevices')) return true;
  const targets = assignmentIncludes(policy, manifest);
  if (targets.length === 0 || targets.includes('allUsers') || targets.includes('allDevices')) return false;
  return targets.every((g) => include.includes(g));
}

function restrictionBlockers(tenant: TenantView, policy: PolicyFacts): Blocker[] {
  const type = RESTRICTION_TYPE[graphType(policy)];
  if (!type) return [];
  const out: Blocker[] = [];
  for (const r of tenant.policies) {
    if (r.kind !== 'EnrollmentRestriction') continue;
    const path = blockedPath(r, type);
    if (!path || !reachesEveryone(r, policy, tenant.manifest)) continue;
    const where = tenant.root ? relative(tenant.root, r.path) : r.path;
    out.push({
      reason: `the enrollment restriction \`${r.name ?? where}\` (${where}) blocks the platform (\`${path.slice(1).join('.')}: true\`); allow it there, and use \`personalDeviceEnrollmentBlocked: true\` if the aim is to keep personal devices out`,
      related: { file: r.path, span: policySpan(r, path, 'value'), message: 'the restriction that blocks enrollment' },
    });
  }
  return out;
}

function manifestBlockers(manifest: ManifestFacts, policy: PolicyFacts, platform: Platform): Blocker[] {
  const settingsSpan = (path: JsonPath): RelatedInfo => ({ file: manifest.path, span: spanAtPath(manifest.parsed, path, 'key'), message: 'the tenant manifest\'s settings' });
  if ((platform === 'iOS' || platform === 'macOS') && !isPlainObject(manifest.settings.applePushCertificate)) {
    return [
      {
        reason:
          'zerotrust.yaml has no `settings.applePushCertificate`, and no Apple device enrolls without the Apple MDM push certificate; create it in Intune (Devices > Enrollment > Apple > MDM Push Certificate) and record its `expirationDateTime` in the manifest',
        related: settingsSpan(['settings']),
      },
    ];
  }
  if (ANDROID_ENTERPRISE_TYPES.includes(graphType(policy))) {
    const ae = manifest.settings.androidEnterprise;
    const status = isPlainObject(ae) ? ae.bindStatus : undefined;
    if (typeof status === 'string' && BOUND.includes(status)) return [];
    const now = typeof status === 'string' ? `is \`${status}\`` : 'is not set';
    return [
      {
        reason: `the tenant is not bound to managed Google Play (\`settings.androidEnterprise.bindStatus\` ${now} in zerotrust.yaml), which every Android Enterprise enrollment needs; bind it in Intune (Devices > Enrollment > Android > Managed Google Play) and set \`bindStatus: boundAndValidated\``,
        related: settingsSpan(typeof status === 'string' ? ['settings', 'androidEnterprise', 'bindStatus'] : ['settings']),
      },
    ];
  }
  return [];
}

/** A compliance policy for a platform that cannot enroll: it applies to no device. */
export const complianceRequiresEnrollment: Rule = {
  id: 'compliance-requires-enrollment',
  title: 'A compliance policy targets a platform that cannot enroll',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'error',
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!tenant.root || !manifest) return;
    for (const p of tenant.policies) {
      const platform = p.platforms[0];
      if (p.kind !== 'CompliancePolicy' || !platform) continue;
      const blockers = [...restrictionBlockers(tenant, p), ...manifestBlockers(manifest, p, platform)];
      if (!blockers.length) continue;
      emit({
        file: p,
        span: policySpan(p, ['spec', '@odata.type'], 'value'),
        message: `${devicesLabel(p, platform)} devices cannot enroll in this tenant, so this compliance policy applies to no device: ${blockers.map((b) => b.reason).join('; also, ')}`,
        related: blockers.map((b) => b.related),
      });
    }
  },
};

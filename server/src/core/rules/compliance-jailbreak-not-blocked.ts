import { specPath, type PolicyFacts } from '../facts';
import { complianceSetting, policySpan, related } from '../tenant-query';
import { idleNote, tighteningIsSafe } from './ca-helpers';
import type { Rule } from '../rule';
import type { Fix, TextEdit } from '../types';
import { addToMap, replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';

/**
 * The compliance types whose portal page has "Jailbroken devices" / "Rooted devices": iOS/iPadOS, Android device
 * administrator, and Android Enterprise personally-owned work profile. Each type is a different set of devices, so
 * each is checked on its own. Fully managed / dedicated / corporate-owned Android (`androidDeviceOwnerCompliancePolicy`)
 * and AOSP are left out: Microsoft's framework for them relies on Play Integrity and sets no root check.
 */
const TYPES: { type: string; platform: string; what: string }[] = [
  { type: 'iosCompliancePolicy', platform: 'iOS/iPadOS', what: 'jailbroken' },
  { type: 'androidCompliancePolicy', platform: 'Android device administrator', what: 'rooted' },
  { type: 'androidWorkProfileCompliancePolicy', platform: 'Android Enterprise personally-owned work profile', what: 'rooted' },
];

const PROPERTY = 'securityBlockJailbrokenDevices';
const DA_BLOCK = 'securityBlockDeviceAdministratorManagedDevices';

export interface JailbreakData {
  property: string;
}

function setTrue(p: PolicyFacts): TextEdit | undefined {
  return PROPERTY in p.spec! ? replaceValue(p.parsed, specPath(p, PROPERTY), true) : addToMap(p.parsed, specPath(p), PROPERTY, true);
}

/** No iOS or Android compliance policy of a type marks jailbroken/rooted devices noncompliant. */
export const complianceJailbreakNotBlocked: Rule = {
  id: 'compliance-jailbreak-not-blocked',
  title: 'No iOS or Android compliance policy marks jailbroken or rooted devices noncompliant',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-security/compliance/ref-ios-ipados-settings',
    'https://learn.microsoft.com/intune/device-security/compliance/ref-android-enterprise-settings',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-ioscompliancepolicy?view=graph-rest-1.0',
  ],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const { type, platform, what } of TYPES) {
      const answer = complianceSetting(tenant, [type], PROPERTY, (v) => v === true);
      if (answer.state !== 'unmet') continue;
      // Moving off device administrator: a policy that blocks device administrator management marks every such device
      // noncompliant, rooted or not (Microsoft's migration recipe), so the root check would add nothing.
      if (type === 'androidCompliancePolicy' && complianceSetting(tenant, [type], DA_BLOCK, (v) => v === true).state !== 'unmet') continue;
      const [first, ...others] = answer.policies;
      if (!first) continue;
      const value = first.spec![PROPERTY];
      const many = others.length ? `none of the tenant's ${answer.policies.length}${answer.idle.length ? ' assigned' : ''} \`${type}\` policies sets` : 'the policy does not set';
      emit({
        file: first,
        span: PROPERTY in first.spec! ? policySpan(first, ['spec', PROPERTY], 'value') : policySpan(first, ['spec'], 'key'),
        message:
          `${many} \`${PROPERTY}: true\`${value === false ? ' (it is `false` here)' : ''}${idleNote(answer.idle)}, so ${what} ${platform} devices count as compliant: ` +
          `a ${what} device has lost the OS protections app sandboxing and encryption rely on, yet Conditional Access lets it in. ` +
          `Set \`${PROPERTY}: true\` (portal: Device Health > ${what === 'jailbroken' ? 'Jailbroken' : 'Rooted'} devices = Block)`,
        related: others.map((p) => related(p, `another \`${type}\` policy; it does not block ${what} devices either`)),
        data: { property: PROPERTY } satisfies JailbreakData,
      });
    }
  },
  fix(finding, tenant) {
    const data = finding.data as JailbreakData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data || !p?.spec) return [];
    const edit = setTrue(p);
    if (!edit) return [];
    const fix: Fix = { title: `Set ${PROPERTY}: true (block jailbroken/rooted devices)`, isPreferred: true, safe: tighteningIsSafe(tenant, p), edits: [edit], creates: [] };
    return [fix];
  },
};

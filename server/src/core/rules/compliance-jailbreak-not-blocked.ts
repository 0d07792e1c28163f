import { specPath, type PolicyFacts } from '../facts';
import { complianceSetting, policySpan, related, type ComplianceSettingAnswer } from '../tenant-query';
import { idleNote, tighteningIsSafe } from './ca-helpers';
import type { Rule } from '../rule';
import type { Fix, TextEdit } from '../types';
import { addToMap, replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';

/** One compliance type's check of compromised devices: the properties any of which, `true`, marks them noncompliant. */
interface DeviceCheck {
  type: string;
  platform: string;
  what: string;
  /** Met when a policy that may be assigned sets one of these to `true`; the fix sets them all. */
  properties: readonly string[];
  /** The portal's setting, for the message. */
  portal: string;
  /** Why the device's compromise matters, and what Microsoft's framework sets, for the message. */
  why: string;
}

const PROPERTY = 'securityBlockJailbrokenDevices';
const DA_BLOCK = 'securityBlockDeviceAdministratorManagedDevices';
const BASIC_INTEGRITY = 'securityRequireSafetyNetAttestationBasicIntegrity';
const DEVICE_INTEGRITY = 'securityRequireSafetyNetAttestationCertifiedDevice';

const ROOT_WHY = 'has lost the OS protections app sandboxing and encryption rely on, yet Conditional Access lets it in';

/**
 * The compliance types whose portal page has "Jailbroken devices" / "Rooted devices": iOS/iPadOS, Android device
 * administrator, Android Enterprise personally-owned work profile, and Android (AOSP): its page's Device Health has
 * "Rooted devices: Block" (https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-android-aosp),
 * Graph's `aospDeviceOwnerCompliancePolicy.securityBlockJailbrokenDevices`
 * (https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-aospdeviceownercompliancepolicy?view=graph-rest-beta).
 * Each type is a different set of devices, so
 * each is checked on its own. Fully managed / dedicated / corporate-owned work profile Android
 * (`androidDeviceOwnerCompliancePolicy`) has no root check: its portal page checks the device with Google's Play
 * Integrity verdict instead ("Play Integrity Verdict": basic integrity, or basic and device integrity; Graph still names
 * it SafetyNet), which level 1 of Microsoft's security configuration framework for fully managed devices sets ("Check
 * basic integrity & certified devices"): a policy of that type that requires neither is the same gap.
 * Sources: https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-android-for-work,
 * https://learn.microsoft.com/intune/intune-service/enrollment/android-fully-managed-security-settings,
 * https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-androiddeviceownercompliancepolicy?view=graph-rest-beta
 * AOSP devices have no Google Play services, so no Play Integrity verdict: their root check is the only one.
 */
const TYPES: readonly DeviceCheck[] = [
  { type: 'iosCompliancePolicy', platform: 'iOS/iPadOS', what: 'jailbroken', properties: [PROPERTY], portal: 'Device Health > Jailbroken devices = Block', why: ROOT_WHY },
  { type: 'androidCompliancePolicy', platform: 'Android device administrator', what: 'rooted', properties: [PROPERTY], portal: 'Device Health > Rooted devices = Block', why: ROOT_WHY },
  { type: 'androidWorkProfileCompliancePolicy', platform: 'Android Enterprise personally-owned work profile', what: 'rooted', properties: [PROPERTY], portal: 'Device Health > Rooted devices = Block', why: ROOT_WHY },
  { type: 'aospDeviceOwnerCompliancePolicy', platform: 'Android (AOSP)', what: 'rooted', properties: [PROPERTY], portal: 'Device Health > Rooted devices = Block', why: ROOT_WHY },
  {
    type: 'androidDeviceOwnerCompliancePolicy',
    platform: 'Android Enterprise fully managed, dedicated and corporate-owned work profile',
    what: 'rooted or tampered',
    properties: [BASIC_INTEGRITY, DEVICE_INTEGRITY],
    portal: 'Device Health > Play Integrity Verdict = Check basic integrity & device integrity',
    why: `${ROOT_WHY}. These devices have no root check of their own: Google's Play Integrity verdict is what catches them, and level 1 of Microsoft's security configuration framework for fully managed devices requires it (basic integrity and certified devices)`,
  },
];

export interface JailbreakData {
  /** The properties the fix sets to `true`. */
  properties: string[];
}

function setTrue(p: PolicyFacts, property: string): TextEdit | undefined {
  return property in p.spec! ? replaceValue(p.parsed, specPath(p, property), true) : addToMap(p.parsed, specPath(p), property, true);
}

/**
 * How the tenant's policies of a type stand on a check: met when one that may be assigned sets any of its properties
 * to `true`; unknown when none does but one of the properties is unknown (a raw export leaves it out: Graph's
 * documentation gives these booleans no default, so the export says nothing); unmet otherwise.
 */
function checkAnswer(tenant: Parameters<Rule['check']>[0], check: DeviceCheck): ComplianceSettingAnswer {
  const answers = check.properties.map((property) => complianceSetting(tenant, [check.type], property, (v) => v === true));
  const met = answers.find((a) => a.state === 'met');
  if (met) return met;
  const idle = [...new Set(answers.flatMap((a) => a.idle))];
  return { state: answers.some((a) => a.state === 'unknown') ? 'unknown' : 'unmet', policies: answers[0]!.policies, idle };
}

/** "`a: true`" / "`a: true` or `b: true`" */
function oneOf(properties: readonly string[]): string {
  return properties.map((p) => `\`${p}: true\``).join(' or ');
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
    'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-android-for-work',
    'https://learn.microsoft.com/intune/intune-service/enrollment/android-fully-managed-security-settings',
    'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-android-aosp',
  ],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const check of TYPES) {
      const { type, platform, what, properties } = check;
      const answer = checkAnswer(tenant, check);
      if (answer.state !== 'unmet') continue;
      // Moving off device administrator: a policy that blocks device administrator management marks every such device
      // noncompliant, rooted or not (Microsoft's migration recipe), so the root check would add nothing.
      if (type === 'androidCompliancePolicy' && complianceSetting(tenant, [type], DA_BLOCK, (v) => v === true).state !== 'unmet') continue;
      const [first, ...others] = answer.policies;
      if (!first) continue;
      const falseHere = properties.filter((k) => first.spec![k] === false);
      const at = properties.find((k) => k in first.spec!);
      const many = others.length ? `none of the tenant's ${answer.policies.length}${answer.idle.length ? ' assigned' : ''} \`${type}\` policies sets` : 'the policy does not set';
      const here = properties.length === 1 ? (falseHere.length ? ' (it is `false` here)' : '') : falseHere.length ? ` (${falseHere.map((k) => `\`${k}\``).join(' and ')} ${falseHere.length > 1 ? 'are' : 'is'} \`false\` here)` : '';
      emit({
        file: first,
        span: at ? policySpan(first, ['spec', at], 'value') : policySpan(first, ['spec'], 'key'),
        message:
          `${many} ${oneOf(properties)}${here}${idleNote(answer.idle)}, so ${what} ${platform} devices count as compliant: ` +
          `a ${what} device ${check.why}. ` +
          `Set ${properties.map((k) => `\`${k}: true\``).join(' and ')} (portal: ${check.portal})`,
        related: others.map((p) => related(p, `another \`${type}\` policy; it does not block ${what} devices either`)),
        data: { properties: [...properties] } satisfies JailbreakData,
      });
    }
  },
  fix(finding, tenant) {
    const data = finding.data as JailbreakData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data?.properties?.length || !p?.spec) return [];
    // One edit per property, each at its own place (a value replaced, or a key added at the end of `spec`): keys added
    // at the same end go in one edit, in order, so no two edits overlap.
    const edits: TextEdit[] = [];
    for (const k of data.properties) {
      const e = setTrue(p, k);
      if (!e) return [];
      const same = edits.find((x) => x.file === e.file && x.span.length === 0 && e.span.length === 0 && x.span.offset === e.span.offset);
      if (same) same.newText += e.newText;
      else edits.push(e);
    }
    if (!edits.length) return [];
    const title = data.properties.length > 1 ? `Set ${data.properties.join(' and ')}: true (require Play Integrity)` : `Set ${data.properties[0]}: true (block jailbroken/rooted devices)`;
    const fix: Fix = { title, isPreferred: true, safe: tighteningIsSafe(tenant, p), edits, creates: [] };
    return [fix];
  },
};

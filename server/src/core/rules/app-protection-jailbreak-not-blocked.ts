import { specPath, type PolicyFacts } from '../facts';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import type { Fix, TextEdit } from '../types';
import { addToMap, replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';
import { policiesOfKind } from '../reads';

/** Edge on Windows has no jailbreak/root condition, so only iOS and Android are checked. */
const MOBILE_TYPES = /^#?microsoft\.graph\.(iosManagedAppProtection|androidManagedAppProtection)$/;
const ANDROID_TYPE = /^#?microsoft\.graph\.androidManagedAppProtection$/;

/** The conditional launch actions that keep work data away from a failing device. */
const ENFORCING = ['block', 'wipe'];

/** The framework's Level 1 value for Android's Play Integrity (formerly SafetyNet) device attestation. */
const ATTESTATION = 'basicIntegrityAndDeviceCertification';
const ATTESTATION_ACTION = 'appActionIfAndroidSafetyNetDeviceAttestationFailed';

/** Which gap a finding is about: the action on jailbroken/rooted devices, the attestation, or its action. */
type Gap = 'jailbreakAction' | 'attestationOff' | 'attestationAction';

export interface JailbreakData {
  gap: Gap;
}

/** The gaps of one policy, with the property each finding sits on. Properties that are not written are unknown. */
function gapsOf(p: PolicyFacts): { gap: Gap; property: string; message: string }[] {
  const spec = p.spec!;
  const out: { gap: Gap; property: string; message: string }[] = [];
  // `deviceComplianceRequired` other than `true` is app-protection-weak's finding; here only the action it takes.
  if (spec.deviceComplianceRequired === true && spec.appActionIfDeviceComplianceRequired === 'warn') {
    out.push({
      gap: 'jailbreakAction',
      property: 'appActionIfDeviceComplianceRequired',
      message:
        '`appActionIfDeviceComplianceRequired: warn` only warns the user on a jailbroken or rooted device and lets the app open work data; the conditional launch check "Jailbroken/rooted devices" takes `block` (every level of Microsoft\'s app protection framework) or `wipe` (level 3)',
    });
  }
  if (ANDROID_TYPE.test(p.odataType ?? '')) {
    const attestation = spec.requiredAndroidSafetyNetDeviceAttestationType;
    if (attestation === 'none') {
      out.push({
        gap: 'attestationOff',
        property: 'requiredAndroidSafetyNetDeviceAttestationType',
        message: `\`requiredAndroidSafetyNetDeviceAttestationType: none\` turns off Google Play Integrity device attestation, the hardware-backed check that catches rooted and tampered Android devices the app's own root detection misses; level 1 of Microsoft's app protection framework sets \`${ATTESTATION}\` with \`${ATTESTATION_ACTION}: block\``,
      });
    } else if (typeof attestation === 'string' && spec[ATTESTATION_ACTION] === 'warn') {
      out.push({
        gap: 'attestationAction',
        property: ATTESTATION_ACTION,
        message: `\`${ATTESTATION_ACTION}: warn\` only warns the user when Play Integrity finds the device rooted or tampered with, and lets the app open work data; set \`block\` (every level of Microsoft's app protection framework) or \`wipe\``,
      });
    }
  }
  return out;
}

function set(p: PolicyFacts, property: string, value: string): TextEdit | undefined {
  return property in p.spec! ? replaceValue(p.parsed, specPath(p, property), value) : addToMap(p.parsed, specPath(p), property, value);
}

function editsFor(p: PolicyFacts, gap: Gap): TextEdit[] | undefined {
  const edits: (TextEdit | undefined)[] = [];
  if (gap === 'jailbreakAction') edits.push(set(p, 'appActionIfDeviceComplianceRequired', 'block'));
  if (gap === 'attestationAction') edits.push(set(p, ATTESTATION_ACTION, 'block'));
  if (gap === 'attestationOff') {
    edits.push(set(p, 'requiredAndroidSafetyNetDeviceAttestationType', ATTESTATION));
    if (!ENFORCING.includes(String(p.spec![ATTESTATION_ACTION]))) edits.push(set(p, ATTESTATION_ACTION, 'block'));
  }
  return edits.every((e): e is TextEdit => e !== undefined) ? edits : undefined;
}

/** An iOS or Android app protection policy that lets the app run on a jailbroken or rooted device. */
export const appProtectionJailbreakNotBlocked: Rule = {
  id: 'app-protection-jailbreak-not-blocked',
  title: 'An app protection policy only warns on jailbroken/rooted devices, or turns Android device attestation off',
  category: 'layer',
  layer: 1,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/apps/app-protection-framework',
    'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy-settings-ios',
    'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy-settings-android',
    'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policies-access-actions',
  ],
  peers: ['ZTA 51014'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'AppProtectionPolicy')) {
      if (!p.spec || !MOBILE_TYPES.test(p.odataType ?? '')) continue;
      for (const { gap, property, message } of gapsOf(p)) {
        emit({ file: p, span: policySpan(p, ['spec', property], 'value'), message, data: { gap } satisfies JailbreakData });
      }
    }
  },
  fix(finding, tenant) {
    const data = finding.data as JailbreakData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data || !p?.spec) return [];
    const edits = editsFor(p, data.gap);
    if (!edits) return [];
    const fix: Fix =
      data.gap === 'attestationOff'
        ? {
            // Devices Google has not certified lose access: a person decides when, so --fix leaves it.
            title: `Require Play Integrity attestation (${ATTESTATION}) and block on failure`,
            isPreferred: true,
            safe: false,
            edits,
            creates: [],
          }
        : { title: 'Block access instead of warning', isPreferred: true, safe: true, edits, creates: [] };
    return [fix];
  },
};

import { specPath, type PolicyFacts } from '../facts';
import { complianceSetting, policySpan, related } from '../tenant-query';
import { idleNote, listText, tighteningIsSafe } from './ca-helpers';
import type { Rule } from '../rule';
import type { Fix, TextEdit } from '../types';
import { addToMap, replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';

/** The Device Health Attestation checks of a Windows 10/11 compliance policy, with their portal names. */
const SETTINGS: { property: string; portal: string; risk: string }[] = [
  { property: 'bitLockerEnabled', portal: 'Require BitLocker', risk: 'an unencrypted disk' },
  { property: 'secureBootEnabled', portal: 'Require Secure Boot to be enabled on the device', risk: 'a tampered boot chain' },
  { property: 'codeIntegrityEnabled', portal: 'Require code integrity', risk: 'unsigned kernel drivers' },
];

const TYPE = 'windows10CompliancePolicy';

export interface WindowsHealthData {
  properties: string[];
}

function setTrue(p: PolicyFacts, property: string): TextEdit | undefined {
  return property in p.spec! ? replaceValue(p.parsed, specPath(p, property), true) : addToMap(p.parsed, specPath(p), property, true);
}

/** No Windows 10/11 compliance policy requires BitLocker, Secure Boot or code integrity (Device Health Attestation). */
export const complianceWindowsDeviceHealth: Rule = {
  id: 'compliance-windows-device-health',
  title: 'No Windows compliance policy requires BitLocker, Secure Boot or code integrity',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-security/compliance/ref-windows-settings',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windows10compliancepolicy?view=graph-rest-1.0',
  ],
  check(tenant, emit) {
    if (!tenant.root) return;
    const answers = SETTINGS.map((s) => ({ ...s, answer: complianceSetting(tenant, [TYPE], s.property, (v) => v === true) }));
    const missing = answers.filter((a) => a.answer.state === 'unmet');
    const policies = answers[0]!.answer.policies;
    const [first, ...others] = policies;
    if (!missing.length || !first) return;
    const only = missing.length === 1 && missing[0]!.property in first.spec! ? missing[0]!.property : undefined;
    const names = missing.map((m) => `\`${m.property}\` (${m.portal})`).join(', ');
    // The policies counted are those that check devices; one assigned to nobody is named apart (idleNote).
    const assigned = missing.some((m) => m.answer.idle.length) ? ' assigned' : '';
    const who = others.length ? `none of the tenant's ${policies.length}${assigned} \`${TYPE}\` policies requires` : 'the policy does not require';
    emit({
      file: first,
      span: only ? policySpan(first, ['spec', only], 'value') : policySpan(first, ['spec'], 'key'),
      message:
        `${who} ${names}${idleNote(missing.flatMap((m) => m.answer.idle), missing.length === 1 ? 'it' : 'them')}: a Windows device with ${missing.length === 1 ? 'that check' : 'those checks'} off still counts as compliant, ` +
        `so ${listText(missing.map((m) => m.risk), 'or')} ${missing.length === 1 && !missing[0]!.risk.endsWith('s') ? 'gets' : 'get'} past Conditional Access. ` +
        `Set ${missing.map((m) => `\`${m.property}: true\``).join(', ')} (Device Health; Windows reports them through Device Health Attestation at boot)`,
      related: others.map((p) => related(p, `another \`${TYPE}\` policy; it does not require them either`)),
      data: { properties: missing.map((m) => m.property) } satisfies WindowsHealthData,
    });
  },
  fix(finding, tenant) {
    const data = finding.data as WindowsHealthData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data?.properties.length || !p?.spec) return [];
    const edits = data.properties.map((prop) => setTrue(p, prop));
    if (edits.some((e) => !e)) return [];
    const fix: Fix = { title: `Require ${data.properties.join(', ')}`, isPreferred: true, safe: tighteningIsSafe(tenant, p), edits: edits as TextEdit[], creates: [] };
    return [fix];
  },
};

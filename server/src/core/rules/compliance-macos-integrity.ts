import { specPath, type PolicyFacts } from '../facts';
import { complianceSetting, policySpan, related } from '../tenant-query';
import { idleNote, tighteningIsSafe } from './ca-helpers';
import type { Rule } from '../rule';
import type { Fix, TextEdit } from '../types';
import { addToMap, replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';

/** Gatekeeper levels that restrict where apps come from (`notConfigured` and `anywhere` do not). */
const GATEKEEPER_STRICT = ['macAppStore', 'macAppStoreAndIdentifiedDevelopers'];

/** The integrity checks of a macOS compliance policy, with their portal names and the value the fix sets. */
const SETTINGS: { property: string; portal: string; meets: (v: unknown) => boolean; value: boolean | string; risk: string }[] = [
  {
    property: 'systemIntegrityProtectionEnabled',
    portal: 'Require system integrity protection',
    meets: (v) => v === true,
    value: true,
    risk: 'a Mac with System Integrity Protection turned off (csrutil disable), where malware can change system files and load unsigned kernel extensions',
  },
  {
    property: 'gatekeeperAllowedAppSource',
    portal: 'Allow apps downloaded from these locations',
    meets: (v) => typeof v === 'string' && GATEKEEPER_STRICT.includes(v),
    value: 'macAppStoreAndIdentifiedDevelopers',
    risk: 'a Mac whose Gatekeeper runs unsigned apps from anywhere',
  },
];

const TYPE = 'macOSCompliancePolicy';

export interface MacIntegrityData {
  properties: string[];
}

function setValue(p: PolicyFacts, property: string, value: boolean | string): TextEdit | undefined {
  return property in p.spec! ? replaceValue(p.parsed, specPath(p, property), value) : addToMap(p.parsed, specPath(p), property, value);
}

/** No macOS compliance policy requires System Integrity Protection, or none restricts Gatekeeper's app sources. */
export const complianceMacosIntegrity: Rule = {
  id: 'compliance-macos-integrity',
  title: 'No macOS compliance policy requires System Integrity Protection or a Gatekeeper level',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-mac-os',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-macoscompliancepolicy?view=graph-rest-beta',
  ],
  check(tenant, emit) {
    if (!tenant.root) return;
    const answers = SETTINGS.map((s) => ({ ...s, answer: complianceSetting(tenant, [TYPE], s.property, s.meets) }));
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
        `${who} ${names}${idleNote(missing.flatMap((m) => m.answer.idle), missing.length === 1 ? 'it' : 'them')}: ${missing.map((m) => m.risk).join(', or ')} still counts as compliant and gets past Conditional Access. ` +
        `Set ${missing.map((m) => `\`${m.property}: ${String(m.value)}\``).join(', ')} (System Security)`,
      related: others.map((p) => related(p, `another \`${TYPE}\` policy; it does not require them either`)),
      data: { properties: missing.map((m) => m.property) } satisfies MacIntegrityData,
    });
  },
  fix(finding, tenant) {
    const data = finding.data as MacIntegrityData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data?.properties.length || !p?.spec) return [];
    const settings = data.properties.map((prop) => SETTINGS.find((s) => s.property === prop));
    if (settings.some((s) => !s)) return [];
    const edits = settings.map((s) => setValue(p, s!.property, s!.value));
    if (edits.some((e) => !e)) return [];
    const title = `Require ${settings.map((s) => `${s!.property}: ${String(s!.value)}`).join(', ')}`;
    const fix: Fix = { title, isPreferred: true, safe: tighteningIsSafe(tenant, p), edits: edits as TextEdit[], creates: [] };
    return [fix];
  },
};

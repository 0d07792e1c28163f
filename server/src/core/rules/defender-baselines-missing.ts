import { modelOf } from '../model/index';
import { asObject, isPlainObject, spanAtPath } from '../document';
import { wrapperBodyKey } from '../graph';
import { BASELINE_TEMPLATES, LEGACY_BASELINE_INTENTS } from '../kinds';
import { policySpan } from '../tenant-query';
import { isBaselineProfile, type PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { policiesOfKind } from '../reads';
import { foreignDocuments } from './configuration-helpers';

/**
 * The two baselines the seed says to deploy with Defender onboarding: by settings catalog template base GUID, and by
 * the template id of the older generation's intent (still deployed in many tenants).
 */
const BASELINES = [
  { name: 'Security Baseline for Windows 10 and later', templateBase: BASELINE_TEMPLATES.windows, intent: LEGACY_BASELINE_INTENTS.windows },
  { name: 'Microsoft Defender for Endpoint baseline', templateBase: BASELINE_TEMPLATES.defenderForEndpoint, intent: LEGACY_BASELINE_INTENTS.defenderForEndpoint },
];

function templateId(p: PolicyFacts): string | undefined {
  const id = isPlainObject(p.spec?.templateReference) ? p.spec.templateReference.templateId : undefined;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

/** Whether the tenant has a baseline of this template, in any version (the part after `_`), or its older intent. */
function hasBaseline(tenant: TenantView, b: (typeof BASELINES)[number]): boolean {
  if (policiesOfKind(tenant, 'ConfigurationProfile').some((p) => isBaselineProfile(p) && templateId(p)?.startsWith(b.templateBase))) return true;
  // The raw documents of no kind the configuration rules already read (found once per tenant view).
  return foreignDocuments(tenant).some(({ type, doc }) => type === 'deviceManagementIntent' && typeof doc.templateId === 'string' && doc.templateId.toLowerCase() === b.intent);
}

/** Windows devices are onboarded to Defender, but the Windows or the Defender for Endpoint security baseline is missing. */
export const defenderBaselinesMissing: Rule = {
  id: 'defender-baselines-missing',
  title: 'Devices are onboarded to Defender, but a security baseline is missing',
  category: 'layer',
  layer: 6,
  defaultSeverity: 'information',
  sources: ['https://learn.microsoft.com/intune/intune-service/protect/security-baselines', 'https://learn.microsoft.com/intune/intune-service/protect/microsoft-defender-integrate'],
  check(tenant, emit) {
    if (!tenant.root || modelOf(tenant).mayHide('ConfigurationProfile')) return;
    const missing = BASELINES.filter((b) => !hasBaseline(tenant, b));
    if (!missing.length) return;
    const list = missing.map((b) => `${b.name} (templateId ${b.templateBase}_…)`).join(' and no ');
    // Whether Windows devices are onboarded is the Defender model's answer, the one the DLP and onboarding rules read:
    // a profile that takes its package from the connector onboards nothing without one, and only a profile that may
    // reach devices onboards any (one declared assigned to nobody onboards none).
    const onboarding = modelOf(tenant).defender.onboarding('windows');
    if (!onboarding.onboarded) return;
    const message = `Windows devices are onboarded to Defender for Endpoint here, but the tenant has no ${list}; the seed's threat protection guidance is to deploy both baselines with onboarding. Create ${missing.length > 1 ? 'them' : 'it'} in Intune (Endpoint security > Security baselines) and export ${missing.length > 1 ? 'them' : 'it'} into the tenant folder`;
    const data = { missing: missing.map((b) => b.templateBase) };
    for (const p of onboarding.profiles) emit({ file: p, span: policySpan(p, ['spec', 'templateReference'], 'key'), message, data });
    // Onboarded by the older template profile: the finding sits on its type (on a CIPP template's body key).
    for (const o of onboarding.others) {
      const doc = asObject(o.file.value);
      const span = doc && !('@odata.type' in doc) ? spanAtPath(o.file.parsed, [wrapperBodyKey(doc)], 'key') : spanAtPath(o.file.parsed, ['@odata.type'], 'value');
      emit({ file: o.file, span, message, data });
    }
  },
};

import { modelOf } from '../model/index';
import { isPlainObject } from '../document';
import { policySpan } from '../tenant-query';
import { isBaselineProfile, type PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { policiesOfKind } from '../reads';

/** The two baselines the seed says to deploy with Defender onboarding, by settings catalog template base GUID. */
const BASELINES = [
  { name: 'Security Baseline for Windows 10 and later', templateBase: '66df8dce-0166-4b82-92f7-1f74e3ca17a3' },
  { name: 'Microsoft Defender for Endpoint baseline', templateBase: '49b8320f-e179-472e-8e2c-2fde00289ca2' },
];

function templateId(p: PolicyFacts): string | undefined {
  const id = isPlainObject(p.spec?.templateReference) ? p.spec.templateReference.templateId : undefined;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

/** Whether the tenant has a baseline of this template, in any version (the part after `_`). */
function hasBaseline(tenant: TenantView, templateBase: string): boolean {
  return policiesOfKind(tenant, 'ConfigurationProfile').some((p) => isBaselineProfile(p) && templateId(p)?.startsWith(templateBase));
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
    const missing = BASELINES.filter((b) => !hasBaseline(tenant, b.templateBase));
    if (!missing.length) return;
    const list = missing.map((b) => `${b.name} (templateId ${b.templateBase}_…)`).join(' and no ');
    // Whether Windows devices are onboarded is the Defender model's answer, the one the DLP and onboarding rules read:
    // a profile that takes its package from the connector onboards nothing without one, and only a profile that may
    // reach devices onboards any (one declared assigned to nobody onboards none).
    const onboarding = modelOf(tenant).defender.onboarding('windows');
    if (!onboarding.onboarded) return;
    for (const p of onboarding.profiles) {
      emit({
        file: p,
        span: policySpan(p, ['spec', 'templateReference'], 'key'),
        message: `Windows devices are onboarded to Defender for Endpoint here, but the tenant has no ${list}; the seed's threat protection guidance is to deploy both baselines with onboarding. Create ${missing.length > 1 ? 'them' : 'it'} in Intune (Endpoint security > Security baselines) and export ${missing.length > 1 ? 'them' : 'it'} into the tenant folder`,
        data: { missing: missing.map((b) => b.templateBase) },
      });
    }
  },
};

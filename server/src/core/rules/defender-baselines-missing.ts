import { modelOf } from '../model/index';
import { asObject, spanAtPath } from '../document';
import { wrapperBodyKey } from '../graph';
import { BASELINE_TEMPLATES } from '../kinds';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { DEFENDER_LAYER_BASELINES } from '../model/baselines';

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
    // Only a baseline the files show to be absent is missing: one that may be there (unknown) is not reported.
    const baselines = modelOf(tenant).baselines;
    const missing = DEFENDER_LAYER_BASELINES.filter((b) => baselines.presence(b.baseline) === 'no');
    if (!missing.length) return;
    // Both baselines are settings catalog policies, which the Device configuration co-management workload governs
    // whatever they hold (https://learn.microsoft.com/intune/configmgr/comanage/workloads#device-configuration): where the
    // manifest places it with Configuration Manager, Configuration Manager configures the co-managed Windows devices,
    // which no file here shows (the tenant model's one answer, read by `windows-security-baseline-missing` and layer 6).
    const coManaged = modelOf(tenant).configMgrWorkload('windows', 'deviceConfiguration');
    if (coManaged?.state === 'configurationManager') return;
    const pilot =
      coManaged?.state === 'pilotIntune'
        ? ` Under co-management (\`settings.coManagement.${coManaged.slider}: pilotIntune\`), Configuration Manager configures the co-managed devices outside the pilot collection, which these files cannot show; the pilot collection's devices get the baselines from Intune.`
        : '';
    const list = missing.map((b) => `${b.name} (templateId ${BASELINE_TEMPLATES[b.baseline]}_…)`).join(' and no ');
    // Whether Windows devices are onboarded is the Defender model's answer, the one the DLP and onboarding rules read:
    // a profile that takes its package from the connector onboards nothing without one, and only a profile that may
    // reach devices onboards any (one declared assigned to nobody onboards none).
    const onboarding = modelOf(tenant).defender.onboarding('windows');
    if (!onboarding.onboarded) return;
    const message = `Windows devices are onboarded to Defender for Endpoint here, but the tenant has no ${list}; the seed's threat protection guidance is to deploy both baselines with onboarding. Create ${missing.length > 1 ? 'them' : 'it'} in Intune (Endpoint security > Security baselines) and export ${missing.length > 1 ? 'them' : 'it'} into the tenant folder.${pilot}`.replace(/\.$/, '');
    const data = { missing: missing.map((b) => BASELINE_TEMPLATES[b.baseline]) };
    for (const p of onboarding.profiles) emit({ file: p, span: policySpan(p, ['spec', 'templateReference'], 'key'), message, data });
    // Onboarded by the older template profile: the finding sits on its type (on a CIPP template's body key).
    for (const o of onboarding.others) {
      const doc = asObject(o.file.value);
      const span = doc && !('@odata.type' in doc) ? spanAtPath(o.file.parsed, [wrapperBodyKey(doc)], 'key') : spanAtPath(o.file.parsed, ['@odata.type'], 'value');
      emit({ file: o.file, span, message, data });
    }
  },
};

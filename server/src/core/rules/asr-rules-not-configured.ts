import { BASELINE_TEMPLATES } from '../kinds';
import type { Rule } from '../rule';
import type { SettingInstanceRef } from '../settings-catalog/instances';
import { reportProtection, type Protection } from './configuration-helpers';

const ASR = 'device_vendor_msft_policy_config_defender_attacksurfacereductionrules';

/** The rule instances of the ASR group setting (each a choice: `_off`, `_block`, `_audit`, `_warn`). */
function ruleInstances(instances: SettingInstanceRef[]): SettingInstanceRef[] {
  return instances.filter((i) => i.parent?.id === ASR && i.key.startsWith(`${ASR}_`));
}

const enforces = (i: SettingInstanceRef): boolean => i.choices.some((c) => /_(block|warn)$/i.test(c.value));

/**
 * Older Endpoint protection template profiles and intents: one property per ASR rule (`enable`/`block` and `warn`
 * enforce; `auditMode`, `userDefined`, `notConfigured` do not).
 */
const LEGACY_RULES = [
  'defenderAdobeReaderLaunchChildProcess',
  'defenderAdvancedRansomewareProtectionType',
  'defenderBlockPersistenceThroughWmiType',
  'defenderEmailContentExecutionType',
  'defenderOfficeAppsExecutableContentCreationOrLaunchType',
  'defenderOfficeAppsLaunchChildProcessType',
  'defenderOfficeAppsOtherProcessInjectionType',
  'defenderOfficeCommunicationAppsLaunchChildProcess',
  'defenderOfficeMacroCodeAllowWin32ImportsType',
  'defenderPreventCredentialStealingType',
  'defenderProcessCreationType',
  'defenderScriptDownloadedPayloadExecutionType',
  'defenderScriptObfuscatedMacroCodeType',
  'defenderUntrustedExecutableType',
  'defenderUntrustedUSBProcessType',
];
const legacy = (props: Record<string, unknown>): boolean => LEGACY_RULES.some((k) => ['block', 'enable', 'warn'].includes(String(props[k])));

export const ASR_RULES: Protection = {
  id: 'asr',
  platform: 'windows',
  // Attack surface reduction rules reach devices security settings management manages too (Learn's table,
  // https://learn.microsoft.com/defender-endpoint/mde-security-integration): those devices are Windows devices to ask about.
  securitySettingsManagement: true,
  // Exploit Guard, which holds them, is in the co-management Endpoint Protection workload
  // (https://learn.microsoft.com/mem/configmgr/comanage/workloads#endpoint-protection).
  workload: 'endpointProtection',
  name: 'attack surface reduction rules',
  setting: `a rule of \`${ASR}\` set to Block or Warn`,
  enabling: (instances) => ruleInstances(instances).filter(enforces),
  // The ASR group setting, and each rule under it.
  decides: (i) => i.key === ASR || i.parent?.id === ASR,
  nearMiss: (instances) => (ruleInstances(instances).length ? 'sets attack surface reduction rules, but only to Audit or Off, which block nothing' : undefined),
  legacy: { windows10EndpointProtectionConfiguration: legacy },
  // The Defender CSP by hand: ./Device/Vendor/MSFT/Policy/Config/Defender/AttackSurfaceReductionRules, a list of
  // `<rule id>=<state>` joined by `|`, where 1 is Block and 6 Warn (2 is Audit, 0 Off).
  oma: {
    path: '/Defender/AttackSurfaceReductionRules',
    on: (v) => typeof v === 'string' && v.split('|').some((r) => ['1', '6'].includes(r.split('=')[1]?.trim() ?? '')),
  },
  // The Windows and Defender for Endpoint baselines set attack surface reduction rules; Edge's holds only Edge's settings.
  baselines: [BASELINE_TEMPLATES.windows, BASELINE_TEMPLATES.defenderForEndpoint, BASELINE_TEMPLATES.windows365],
};

/** The tenant manages Windows with Intune, but no assigned profile enforces (Block or Warn) any attack surface reduction rule. */
export const asrRulesNotConfigured: Rule = {
  id: 'asr-rules-not-configured',
  title: 'No assigned profile enforces attack surface reduction rules on Windows',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-configuration/endpoint-security/attack-surface-reduction',
    'https://learn.microsoft.com/defender-endpoint/attack-surface-reduction-rules-reference',
  ],
  peers: ['ZTA 24574'],
  check(tenant, emit) {
    reportProtection(tenant, emit, ASR_RULES, {
      risk: 'Office macros can start processes and call Win32 APIs, obfuscated scripts run, and credentials can be read from LSASS, the behaviours ASR rules exist to stop',
      create: 'Create an Attack Surface Reduction Rules profile (Endpoint security > Attack surface reduction > Windows) that sets the standard protection rules to Block (after a period in Audit)',
      besideBaseline:
        'Once the audit period is over, set the standard protection rules to Block (or Warn) in that profile, or check in the admin center which rules the baseline sets and to what (Devices > Monitor > Per-setting status); see https://learn.microsoft.com/defender-endpoint/attack-surface-reduction-rules-deployment-implement',
    });
  },
};

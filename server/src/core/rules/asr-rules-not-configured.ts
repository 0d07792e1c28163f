import { BASELINE_TEMPLATES } from '../kinds';
import type { Rule } from '../rule';
import { policiesOfKind } from '../reads';
import { settingInstances, type InstanceValue, type SettingInstanceRef } from '../settings-catalog/instances';
import { policySpan } from '../tenant-query';
import { reportProtection, type Protection } from './configuration-helpers';

const ASR = 'device_vendor_msft_policy_config_defender_attacksurfacereductionrules';

/** The rule instances of the ASR group setting (each a choice: `_off`, `_block`, `_audit`, `_warn`). */
function ruleInstances(instances: SettingInstanceRef[]): SettingInstanceRef[] {
  return instances.filter((i) => i.parent?.id === ASR && i.key.startsWith(`${ASR}_`));
}

/**
 * The attack surface reduction rules Intune cannot put in Warn mode: "Warn mode isn't supported for three attack
 * surface reduction rules when you configure them in Microsoft Intune" (Group Policy can):
 * https://learn.microsoft.com/defender-endpoint/attack-surface-reduction#cases-where-warn-mode-isnt-supported. The
 * settings catalog still offers `_warn` for them (the shipped index lists it), so the value is no typo
 * (`invalid-setting-value` has nothing to say) but it does not enforce the rule: each is keyed by its settings catalog
 * id, with its rule GUID (the Defender CSP written by hand) and the older template profile's property.
 */
export const NO_WARN_IN_INTUNE: readonly { id: string; guid: string; name: string; legacy: string }[] = [
  {
    id: `${ASR}_blockjavascriptorvbscriptfromlaunchingdownloadedexecutablecontent`,
    guid: 'd3e037e1-3eb8-44c8-a917-57927947596d',
    name: 'Block JavaScript or VBScript from launching downloaded executable content',
    legacy: 'defenderScriptDownloadedPayloadExecutionType',
  },
  { id: `${ASR}_blockpersistencethroughwmieventsubscription`, guid: 'e6db77e5-3df2-4cf1-b95a-636979351e5b', name: 'Block persistence through WMI event subscription', legacy: 'defenderBlockPersistenceThroughWmiType' },
  { id: `${ASR}_useadvancedprotectionagainstransomware`, guid: 'c1db55ab-c21a-4637-bb3f-a12568109d35', name: 'Use advanced protection against ransomware', legacy: 'defenderAdvancedRansomewareProtectionType' },
];
const NO_WARN_IDS = new Set(NO_WARN_IN_INTUNE.map((r) => r.id));
const NO_WARN_GUIDS = new Set(NO_WARN_IN_INTUNE.map((r) => r.guid));
const NO_WARN_LEGACY = new Set(NO_WARN_IN_INTUNE.map((r) => r.legacy));

/** Whether a rule instance's `_warn` value is one Intune cannot apply (`NO_WARN_IN_INTUNE`). */
const unsupportedWarn = (i: SettingInstanceRef): InstanceValue<string>[] => (NO_WARN_IDS.has(i.key) ? i.choices.filter((c) => /_warn$/i.test(c.value)) : []);

/** Block enforces a rule; so does Warn, except on the rules Intune cannot put in Warn mode. */
const enforces = (i: SettingInstanceRef): boolean => i.choices.some((c) => /_block$/i.test(c.value) || (/_warn$/i.test(c.value) && !NO_WARN_IDS.has(i.key)));

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
const legacy = (props: Record<string, unknown>): boolean => LEGACY_RULES.some((k) => ['block', 'enable'].includes(String(props[k])) || (String(props[k]) === 'warn' && !NO_WARN_LEGACY.has(k)));

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
  setting: `a rule of \`${ASR}\` set to Block, or to Warn where Intune can apply it`,
  enabling: (instances) => ruleInstances(instances).filter(enforces),
  // The ASR group setting, and each rule under it.
  decides: (i) => i.key === ASR || i.parent?.id === ASR,
  nearMiss: (instances) => {
    const rules = ruleInstances(instances);
    if (!rules.length) return undefined;
    const audit = rules.filter((i) => i.choices.some((c) => /_audit$/i.test(c.value))).length;
    // Every rule in Audit: the audit period of a deployment, which reports what the rules would block and blocks nothing.
    if (audit === rules.length) return `sets its ${audit === 1 ? 'attack surface reduction rule' : `${audit} attack surface reduction rules`} in Audit mode, which reports what ${audit === 1 ? 'it' : 'they'} would block and blocks nothing`;
    const inAudit = audit ? ` (${audit} of its ${rules.length} rules in Audit mode)` : '';
    return rules.some((i) => unsupportedWarn(i).length)
      ? `sets attack surface reduction rules, but only to Audit or Off, which block nothing${inAudit}, or to Warn on a rule Intune cannot put in Warn mode`
      : `sets attack surface reduction rules, but only to Audit or Off, which block nothing${inAudit}`;
  },
  legacy: { windows10EndpointProtectionConfiguration: legacy },
  // The Defender CSP by hand: ./Device/Vendor/MSFT/Policy/Config/Defender/AttackSurfaceReductionRules, a list of
  // `<rule id>=<state>` joined by `|`, where 1 is Block and 6 Warn (2 is Audit, 0 Off).
  oma: {
    path: '/Defender/AttackSurfaceReductionRules',
    on: (v) =>
      typeof v === 'string' &&
      v.split('|').some((r) => {
        const [guid, state] = r.split('=').map((x) => x.trim());
        return state === '1' || (state === '6' && !NO_WARN_GUIDS.has(guid?.toLowerCase() ?? ''));
      }),
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
    'https://learn.microsoft.com/defender-endpoint/attack-surface-reduction#cases-where-warn-mode-isnt-supported',
    'https://learn.microsoft.com/defender-endpoint/attack-surface-reduction-rules-deployment-operationalize',
  ],
  peers: ['ZTA 24574'],
  check(tenant, emit) {
    // A rule set to Warn where Intune cannot apply Warn: said on the value, wherever the profile reaches.
    for (const p of policiesOfKind(tenant, 'ConfigurationProfile')) {
      if (!p.spec || !p.platforms.includes('windows')) continue;
      for (const i of ruleInstances(settingInstances(p.spec))) {
        const rule = NO_WARN_IN_INTUNE.find((r) => r.id === i.key);
        if (!rule) continue;
        for (const value of unsupportedWarn(i)) {
          emit({
            file: p,
            span: policySpan(p, ['spec', ...value.path], 'value'),
            message: `${p.name ? `\`${p.name}\`` : 'This profile'} sets "${rule.name}" (${rule.guid}) to Warn (\`${value.value}\`), but Intune cannot put this rule in Warn mode (Learn: warn mode isn't supported for it when configured in Microsoft Intune), so the value does not enforce the rule and it is not counted as enforced; set it to Block (\`${rule.id}_block\`), or Audit while you test`,
          });
        }
      }
    }
    reportProtection(tenant, emit, ASR_RULES, {
      risk: 'Office macros can start processes and call Win32 APIs, obfuscated scripts run, and credentials can be read from LSASS, the behaviours ASR rules exist to stop',
      create: 'Create an Attack Surface Reduction Rules profile (Endpoint security > Attack surface reduction > Windows) that sets the standard protection rules to Block (after a period in Audit)',
      // Rules left in Audit: the deployment's last step, moving them to Block (Learn, "Operationalize attack surface
      // reduction rules": after the audit period, switch the rules to Block).
      nearMiss: (names) =>
        `Once the audit period is over, move the rules in ${names} from Audit to Block (or to Warn, where Intune can apply it), keeping exclusions for what the audit showed must run (https://learn.microsoft.com/defender-endpoint/attack-surface-reduction-rules-deployment-operationalize)`,
      besideBaseline:
        'Once the audit period is over, set the standard protection rules to Block (or Warn) in that profile, or check in the admin center which rules the baseline sets and to what (Devices > Monitor > Per-setting status); see https://learn.microsoft.com/defender-endpoint/attack-surface-reduction-rules-deployment-implement',
    });
  },
};

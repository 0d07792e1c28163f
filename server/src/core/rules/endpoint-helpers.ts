/**
 * What the Defender and Purview layer rules ask of a tenant: which devices are onboarded to Defender for Endpoint,
 * which connector toggles are on, and the onboarding profile their fixes create.
 */
import { modelOf } from '../model/index';
import type { PolicyFacts } from '../facts';
import { EDR_TEMPLATE_FAMILY } from '../kinds';
import { basename, join } from '../paths';
import type { Platform } from '../platforms';
import type { TenantView } from '../rule';
import { freeName, newPolicyFile, ownerFor } from '../tenant-query';
import type { FileCreate } from '../types';

export { MDE_CONNECTOR_ID } from '../graph';

/** The Windows endpoint security EDR template (settings catalog generation). */
export const WINDOWS_EDR_TEMPLATE_ID = '0385b795-0f2f-44ac-8602-9f65bf6adede_1';

export { APP_PROTECTION_TOGGLES, COMPLIANCE_TOGGLES, isEdrProfile } from '../model/defender';

export { policyAt } from './ca-helpers';

/** The EDR onboarding profiles for a platform (`spec.platforms` `windows10` is windows, `macOS` is macOS). */
export function edrProfilesFor(tenant: TenantView, platform: Platform): PolicyFacts[] {
  return modelOf(tenant).defender.profilesFor(platform);
}

/** The connector files that are, or may be (no `id`), Defender for Endpoint's; another partner's is left out. */
export function defenderConnectors(tenant: TenantView): PolicyFacts[] {
  return modelOf(tenant).defender.defenderConnectors;
}

/** The connectors that have a toggle switched on (`true`, not just present); with `defenderOnly`, those that may be Defender's. */
export function connectorsEnabling(tenant: TenantView, toggle: string, defenderOnly = false): PolicyFacts[] {
  return modelOf(tenant).defender.connectorsEnabling(toggle, defenderOnly);
}

/**
 * A new Windows EDR onboarding profile in `folder`, taking the onboarding package from the connector
 * (`configurationtype` `autofromconnector`), so no onboarding blob is stored in the repository.
 */
export function windowsOnboardingProfile(tenant: TenantView, folder: string, createdBy: string): FileCreate {
  const name = freeName(tenant, 'windows-edr-onboarding');
  const owner = ownerFor(tenant, 'threat') ?? ownerFor(tenant, 'endpoint');
  const policy: Record<string, unknown> = {
    kind: 'ConfigurationProfile',
    name,
    ...(owner ? { owner } : {}),
    description: 'Endpoint detection and response onboarding for Windows, package from the connector',
    assignments: { include: ['allDevices'] },
    spec: {
      name: 'Windows - Defender for Endpoint - EDR onboarding',
      description: 'Onboarding package from the Intune connector.',
      platforms: 'windows10',
      technologies: 'mdm,microsoftSense',
      templateReference: { templateId: WINDOWS_EDR_TEMPLATE_ID, templateFamily: EDR_TEMPLATE_FAMILY },
      settings: [
        {
          '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
          // As Intune writes it: the template's setting and value ids, and the connector's child setting, whose
          // secret Intune replaces with the package (a real export holds an encrypted token there).
          settingInstance: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
            settingDefinitionId: 'device_vendor_msft_windowsadvancedthreatprotection_configurationtype',
            settingInstanceTemplateReference: { settingInstanceTemplateId: '23ab0ea3-1b12-429a-8ed0-7390cf699160' },
            choiceSettingValue: {
              value: 'device_vendor_msft_windowsadvancedthreatprotection_configurationtype_autofromconnector',
              settingValueTemplateReference: { settingValueTemplateId: 'e5c7c98c-c854-4140-836e-bd22db59d651' },
              children: [
                {
                  '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
                  settingDefinitionId: 'device_vendor_msft_windowsadvancedthreatprotection_onboarding_fromconnector',
                  simpleSettingValue: {
                    '@odata.type': '#microsoft.graph.deviceManagementConfigurationSecretSettingValue',
                    value: 'Microsoft ATP connector enabled',
                    valueState: 'notEncrypted',
                  },
                },
              ],
            },
          },
        },
      ],
    },
  };
  const header = [
    'Layer 6: onboard Windows devices to Microsoft Defender for Endpoint.',
    `Created by the ${createdBy} quick fix.`,
    'Intune takes the onboarding package from the Defender connector (configurationtype',
    'autofromconnector), so no onboarding blob is stored here. Review the assignment with the',
    'threat protection team before deploying.',
  ];
  const created = newPolicyFile(tenant, 'ConfigurationProfile', policy, header);
  return { ...created, file: join(folder, basename(created.file)) };
}

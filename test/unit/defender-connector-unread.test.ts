/**
 * A Defender connector file that cannot be read, beside an EDR profile taking the onboarding package from the connector
 * (audit r30 db, expert tenant t16b): the connection is unknown, not missing. `check` holds back (yaml-syntax says the
 * cross-tenant Defender checks say nothing), and layers 6 and 7 say "?" for the connector and the onboarding, naming
 * the file; a tenant with no connector file at all still says ✗.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prerequisiteLines } from '../../server/src/core/features/layer-status';
import { memoryTenant } from '../harness/tenant';

const FILES: Record<string, string> = {
  '/t/zerotrust.yaml': "kind: Tenant\nname: t16b\nlicenses: [M365_E5]\nplatforms: [windows]\ngroups:\n  - name: grp-breakglass\n    members: [bg1@fabrikam.com]\nbreakGlass:\n  groups: [grp-breakglass]\n  users: [bg1@fabrikam.com]\nsettings:\n  mdmAuthority: intune\n  secureByDefault: true\n",
  '/t/defender/edr.yaml': "kind: ConfigurationProfile\nname: win-edr-onboarding\nassignments: { include: [allDevices] }\nspec:\n  name: Windows - EDR onboarding\n  platforms: windows10\n  technologies: mdm,microsoftSense\n  templateReference: { templateId: 0385b795-0f2f-44ac-8602-9f65bf6adede_1, templateFamily: endpointSecurityEndpointDetectionAndResponse, templateDisplayName: Endpoint detection and response, templateDisplayVersion: Version 1 }\n  settings:\n    - \"@odata.type\": \"#microsoft.graph.deviceManagementConfigurationSetting\"\n      settingInstance:\n        \"@odata.type\": \"#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance\"\n        settingDefinitionId: device_vendor_msft_windowsadvancedthreatprotection_configurationtype\n        settingInstanceTemplateReference: { settingInstanceTemplateId: 23ab0ea3-1b12-429a-8ed0-7390cf699160 }\n        choiceSettingValue:\n          value: device_vendor_msft_windowsadvancedthreatprotection_configurationtype_autofromconnector\n          settingValueTemplateReference: { settingValueTemplateId: e5c7c98c-c854-4140-836e-bd22db59d651 }\n          children:\n            - \"@odata.type\": \"#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance\"\n              settingDefinitionId: device_vendor_msft_windowsadvancedthreatprotection_onboarding_fromconnector\n              simpleSettingValue:\n                \"@odata.type\": \"#microsoft.graph.deviceManagementConfigurationSecretSettingValue\"\n                value: Microsoft ATP connector enabled\n                valueState: notEncrypted\n",
  '/t/dlp/dlp.yaml': "kind: EndpointDlpPolicy\nname: dlp-win-confidential\nspec:\n  mode: Enable\n  locations:\n    devices: { include: [All] }\n  rules:\n    - name: block-usb-confidential\n      sensitiveInfoTypes: [Credit Card Number]\n      restrictions:\n        - { activity: copyToRemovableMedia, action: block }\n        - { activity: cloudEgress, action: block }\n",
};
const BROKEN = 'kind: DefenderConnector\nname: mde-connector\nspec: {\n  "@odata.type": [\n';

test('a Defender connector file that cannot be read leaves the connection unknown: check holds back, layers 6 and 7 say unknown naming the file (r30 audit db)', () => {
  const { view, findings } = memoryTenant({ ...FILES, '/t/defender/mde-connector.yaml': BROKEN });
  assert.deepEqual(findings.filter((f) => /defender|dlp|onboard/.test(f.ruleId)).map((f) => f.ruleId), []);
  assert.ok(findings.some((f) => f.ruleId === 'yaml-syntax'));
  const six = prerequisiteLines(view, 6).lines;
  const connector = six.find((l) => l.label === 'Windows connector');
  const onboarding = six.find((l) => l.label === 'Windows onboarding');
  assert.equal(connector?.unknown, true, JSON.stringify(connector));
  assert.match(connector?.detail ?? '', /`mde-connector.yaml` is not analysed .* may hold a Defender connector that enables Windows/);
  assert.equal(onboarding?.unknown, true, JSON.stringify(onboarding));
  assert.match(onboarding?.detail ?? '', /`win-edr-onboarding` takes the onboarding package from the connection to Defender for Endpoint, and no readable connector shows it, but `mde-connector.yaml` is not analysed/);
  assert.deepEqual(onboarding?.hiding, ['/t/defender/mde-connector.yaml']);
  const seven = prerequisiteLines(view, 7).lines.find((l) => l.label === 'Windows onboarded to Defender');
  assert.equal(seven?.unknown, true);
  assert.equal(seven?.detail, onboarding?.detail);
  assert.doesNotMatch(JSON.stringify([...six, seven]), /no Defender for Endpoint connector file/);
});

test('no Defender connector file at all: the connection is missing, and layers 6 and 7 say so', () => {
  const { view } = memoryTenant(FILES);
  const onboarding = prerequisiteLines(view, 6).lines.find((l) => l.label === 'Windows onboarding');
  assert.equal(onboarding?.ok, false);
  assert.equal(onboarding?.unknown, undefined);
  assert.match(onboarding?.detail ?? '', /no Defender for Endpoint connector file/);
  assert.equal(prerequisiteLines(view, 6).lines.find((l) => l.label === 'Windows connector')?.ok, false);
});

/**
 * The endpoint security intents' templates (`deviceManagementIntent.templateId`, Graph's `deviceManagementTemplate`)
 * known here, in one table: which are security baselines of the older generation (and which baseline), and which are
 * known not to be (BitLocker, FileVault, firewall, attack surface reduction, account protection, EDR…). Learn documents
 * the template types (`deviceManagementTemplateType`: `securityBaseline`, `advancedThreatProtectionSecurityBaseline`,
 * `microsoftEdgeSecurityBaseline`, `microsoftOffice365ProPlusSecurityBaseline`, `cloudPC` are baselines;
 * `securityTemplate` the endpoint security ones,
 * https://learn.microsoft.com/graph/api/resources/intune-deviceintent-devicemanagementtemplatetype?view=graph-rest-beta)
 * but not their ids, which each tenant reads from `deviceManagement/templates`; each row says where its id was found.
 *
 * A template id not in this table is unknown: an intent of it may be any baseline (the Windows baseline's older
 * versions, May 2019 and August 2020, had templates of their own whose ids are not confirmed here).
 */

/** The security baselines the checks tell apart (the keys of `kinds.BASELINE_TEMPLATES`). */
export type IntentBaseline = 'windows' | 'defenderForEndpoint' | 'edge' | 'windows365' | 'm365Apps';

export interface IntentTemplate {
  /** The template id, lower case. */
  id: string;
  /** Its display name (`deviceManagementTemplate.displayName`) as the source gives it. */
  name: string;
  /** The baseline the template is a version of; undefined: an endpoint security template, no baseline. */
  baseline?: IntentBaseline;
  /** The platform its settings are for. */
  platform: 'windows' | 'macOS';
  /** Where the id was found, tied to the name. */
  source: string;
}

/**
 * The template of the older Windows EDR profile (endpoint security > Endpoint detection and response, platform
 * "Windows 10 and later"), an intent: Defender for Endpoint onboarding, layer 6 (`graph.isEdrIntent`). Learn:
 * "Beginning on April 5, 2022, the Windows 10 and later platform was replaced … you can continue to edit and use an
 * existing instances of this profile"
 * (https://learn.microsoft.com/intune/intune-service/protect/endpoint-security-edr-profile-settings).
 */
export const EDR_INTENT_TEMPLATE = 'e44c2ca3-2f9a-400a-a113-6cc88efd773d';

const MSDSC = 'microsoft/Microsoft365DSC @ eb886ca, Modules/Microsoft365DSC/DSCResources';
const ITPM = 'vanvfields/Microsoft-365 @ 4db1d33, Windows 10/Install-Windows10SecurityProfiles.ps1 (the template ids it looks up by display name)';

/** The table. Keep each row's source; add a row only with one. */
export const INTENT_TEMPLATES: readonly IntentTemplate[] = [
  // Security baselines (the older generation).
  {
    id: '034ccd46-190c-4afc-adf1-ad7cc11262eb',
    name: 'MDM Security Baseline for Windows 10 and later for November 2021',
    baseline: 'windows',
    platform: 'windows',
    source: 'Micke-K/IntuneManagement, "Security baselines - Legacy" (intents filtered by these four baseline ids)',
  },
  {
    id: 'c04a010a-e7c5-44b1-a814-88df6f053f16',
    name: 'MDM Security Baseline for Windows 10 and later for December 2020',
    baseline: 'windows',
    platform: 'windows',
    source: ITPM,
  },
  {
    id: '2209e067-9c8c-462e-9981-5a8c79165dcc',
    name: 'Microsoft Defender for Endpoint baseline',
    baseline: 'defenderForEndpoint',
    platform: 'windows',
    source: 'Micke-K/IntuneManagement, "Security baselines - Legacy"',
  },
  {
    id: 'a8d6fa0e-1e66-455b-bb51-8ce0dde1559e',
    name: 'Microsoft Edge baseline',
    baseline: 'edge',
    platform: 'windows',
    source: `Micke-K/IntuneManagement, "Security baselines - Legacy"; ${ITPM}`,
  },
  {
    id: 'cef15778-c3b9-4d53-a00a-042929f0aad0',
    name: 'Windows 365 Security Baseline',
    baseline: 'windows365',
    platform: 'windows',
    source: 'Micke-K/IntuneManagement, "Security baselines - Legacy"',
  },
  // Endpoint security templates: no baseline.
  { id: 'd1174162-1dd2-4976-affc-6667049ab0ae', name: 'BitLocker', platform: 'windows', source: ITPM },
  { id: 'a239407c-698d-4ef8-b314-e3ae409204b8', name: 'macOS FileVault', platform: 'macOS', source: `${MSDSC}/MSFT_IntuneDiskEncryptionMacOS; terraprovider/terraform-provider-microsoft365wp, examples/resources/microsoft365wp_device_management_intent` },
  { id: 'c53e5a9f-2eec-4175-98a1-2b3d38084b91', name: 'Microsoft Defender Firewall', platform: 'windows', source: ITPM },
  {
    id: '4356d05c-a4ab-4a07-9ece-739f7c792910',
    name: 'Microsoft Defender Firewall Rules',
    platform: 'windows',
    source: "Microsoft's firewall rule migration tool (kept at noblevarghese/microsoft-defender-firewall-migration-tool, Send-IntuneFirewallRulesPolicy.ps1: the endpoint security firewall rules profile it creates with createInstance)",
  },
  { id: '5340aa10-47a8-4e67-893f-690984e4d5da', name: 'macOS firewall', platform: 'macOS', source: 'terraprovider/terraform-provider-microsoft365wp-quickstart, intents/def.intent_macos.tf (its settings are `macOSEndpointProtectionConfiguration_firewall…`)' },
  { id: 'ccef13ea-d0a2-49b5-9a8a-5e397faeb9e4', name: 'Microsoft Defender Antivirus', platform: 'windows', source: ITPM },
  { id: '8227e75a-da4d-4f8f-8566-9a080cb43961', name: 'Windows Security experience', platform: 'windows', source: ITPM },
  { id: '0e237410-1367-4844-bd7f-15fb0f08943b', name: 'Attack surface reduction rules', platform: 'windows', source: `${MSDSC}/MSFT_IntuneASRRulesPolicyWindows10; ${ITPM}` },
  { id: '4648b50e-d3ef-4ba0-848e-b0ef561b3aa5', name: 'Device control', platform: 'windows', source: ITPM },
  { id: '63be6324-e3c9-4c97-948a-e7f4b96f0f20', name: 'Application control', platform: 'windows', source: `${MSDSC}/MSFT_IntuneApplicationControlPolicyWindows10` },
  { id: '0f2b5d70-d4e9-4156-8c16-1397eb6c54a5', name: 'Account protection', platform: 'windows', source: `${MSDSC}/MSFT_IntuneAccountProtectionPolicy; ${ITPM}` },
  {
    id: EDR_INTENT_TEMPLATE,
    name: 'Endpoint detection and response',
    platform: 'windows',
    source: "the id exporters single out as EDR (IntuneCD skips it; Microsoft's powershell-intune-samples clear its onboarding blob on import); Learn: endpoint-security-edr-profile-settings",
  },
];

const BY_ID = new Map(INTENT_TEMPLATES.map((t) => [t.id, t]));

/** The row of a template id (any case), or undefined for a template not known here. */
export function intentTemplateOf(templateId: unknown): IntentTemplate | undefined {
  return typeof templateId === 'string' ? BY_ID.get(templateId.trim().toLowerCase()) : undefined;
}

/** The template ids of a baseline's older versions, from the table. */
export function baselineIntentTemplates(baseline: IntentBaseline): readonly string[] {
  return INTENT_TEMPLATES.filter((t) => t.baseline === baseline).map((t) => t.id);
}

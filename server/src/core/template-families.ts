/**
 * Which of the configuration checks' protections a settings catalog profile may hold, by its template id where this
 * module knows it (`TEMPLATE_IDS`: the endpoint security profile type, such as Device Control or Local user group
 * membership), else by its template family (`templateReference.templateFamily`, Graph's
 * `deviceManagementConfigurationTemplateFamily`), in tables with a source for every row. A profile exported without
 * its settings (`model.settingsNotExported`) leaves unknown only the protections its template can hold: an endpoint
 * security disk encryption profile holds BitLocker (or FileVault), never LAPS or attack surface reduction rules; a
 * Device Control profile, though of the attack surface reduction family, holds no ASR rule. The configuration checks,
 * FileVault's escrow check, the layer 5 line and `ztp diff` read this table through the tenant model
 * (`TenantModel.profilesWithoutSettings`).
 *
 * A profile of no template (`templateFamily: none`, or no `templateReference`: the settings catalog itself), of the
 * baseline family (a baseline holds the settings of many areas), or of a family not in this table may hold anything.
 */
import { templateBaseOf, templateFamilyOf } from './kinds';
import type { Platform } from './platforms';

/** The protections the configuration checks look for (`Protection.id` in `rules/configuration-helpers.ts`). */
export type ProtectionId = 'bitlocker' | 'filevault' | 'laps' | 'asr' | 'windowsBaseline' | 'macOSFirewall';

/** Each protection: its name in messages, its platform, and the rules that ask about it (for `ztp diff`). */
export const PROTECTIONS: Readonly<Record<ProtectionId, { name: string; platform: Platform; rules: readonly string[] }>> = {
  bitlocker: { name: 'BitLocker', platform: 'windows', rules: ['bitlocker-not-configured'] },
  filevault: { name: 'FileVault', platform: 'macOS', rules: ['filevault-not-configured', 'filevault-recovery-key-not-escrowed'] },
  laps: { name: 'Windows LAPS', platform: 'windows', rules: ['laps-not-configured'] },
  asr: { name: 'attack surface reduction rules', platform: 'windows', rules: ['asr-rules-not-configured'] },
  windowsBaseline: { name: 'the Windows security baseline', platform: 'windows', rules: ['windows-security-baseline-missing'] },
  macOSFirewall: { name: 'the macOS firewall', platform: 'macOS', rules: ['macos-firewall-not-configured'] },
};

/** A template family's row: the protections its profiles can hold (empty: none of them), and where Learn says so. */
interface FamilyRow {
  holds: readonly ProtectionId[];
  source: string;
}

const LEARN = 'https://learn.microsoft.com/intune/intune-service/protect';

/** The endpoint security families, each with the profiles Learn lists for it. */
export const TEMPLATE_FAMILIES: Readonly<Record<string, FamilyRow>> = {
  // Disk encryption: BitLocker (Windows), FileVault (macOS), Personal Data Encryption (Windows); nothing else.
  endpointSecurityDiskEncryption: { holds: ['bitlocker', 'filevault'], source: `${LEARN}/endpoint-security-disk-encryption-policy` },
  // Account protection: Account protection (Windows Hello for Business, Credential Guard), Local admin password
  // solution (Windows LAPS), Local user group membership.
  endpointSecurityAccountProtection: { holds: ['laps'], source: `${LEARN}/endpoint-security-account-protection-policy` },
  // Attack surface reduction: Attack Surface Reduction Rules, Device control, Exploit protection, App and browser
  // isolation, Web protection, Application control (older).
  endpointSecurityAttackSurfaceReduction: { holds: ['asr'], source: `${LEARN}/endpoint-security-asr-policy` },
  // Antivirus: Microsoft Defender Antivirus (and its exclusions), Windows Security experience; macOS antivirus.
  endpointSecurityAntivirus: { holds: [], source: `${LEARN}/endpoint-security-antivirus-policy` },
  // Firewall: Windows Firewall and its rules; the macOS firewall ("macOS firewall" profile).
  endpointSecurityFirewall: { holds: ['macOSFirewall'], source: `${LEARN}/endpoint-security-firewall-policy` },
  // Endpoint detection and response: Defender for Endpoint onboarding (layer 6, never a layer 5 profile).
  endpointSecurityEndpointDetectionAndResponse: { holds: [], source: `${LEARN}/endpoint-security-edr-policy` },
  // App Control for Business: which apps may run.
  endpointSecurityApplicationControl: { holds: [], source: `${LEARN}/endpoint-security-app-control-policy` },
  // Endpoint Privilege Management: elevation settings and rules.
  endpointSecurityEndpointPrivilegeManagement: { holds: [], source: 'https://learn.microsoft.com/intune/intune-service/protect/epm-policies' },
};

/** An endpoint security template's row: its profile type (Learn's name), what it can hold, and where its id is seen. */
interface TemplateRow extends FamilyRow {
  profile: string;
}

/** The deploymenttheory/terraform-provider-microsoft365 settings catalog template table (`policyConfigMap`). */
const TF = 'deploymenttheory/terraform-provider-microsoft365 (graph_beta device_management template: policyConfigMap)';
const DSC = 'microsoft/Microsoft365DSC';

/**
 * The endpoint security settings catalog templates, by template id (the part before `_<version>`, lower-case): a
 * family holds several profile types, and only one of them can hold a protection (Learn lists each profile's settings:
 * ${LEARN}/endpoint-security-asr-policy, …-account-protection-policy, …-disk-encryption-policy). Learn documents no
 * template id; each row names the public sources that use it with that profile's name. A template id not here falls
 * back to its family's row (`TEMPLATE_FAMILIES`).
 */
export const TEMPLATE_IDS: Readonly<Record<string, TemplateRow>> = {
  // Attack surface reduction (Learn: endpoint-security-asr-policy). Only the Attack Surface Reduction Rules profile
  // holds the `…_attacksurfacereductionrules` settings; Device control, Exploit protection, App and browser isolation
  // hold none of the checks' protections.
  'e8c053d6-9f95-42b1-a7f1-ebfd71c67a4b': { profile: 'Attack Surface Reduction Rules', holds: ['asr'], source: `${TF}; Maester's Test-MtIntuneASRRules ("Attack Surface Reduction Rules" template)` },
  // The same profile for Configuration Manager tenant-attached devices (`technologies: configManager`).
  '5dd36540-eb22-4e7e-b19c-2a07772ba627': { profile: 'Attack Surface Reduction Rules (ConfigMgr)', holds: ['asr'], source: `${TF} (windows_(config_mgr)_…_attack_surface_reduction_rules); ${DSC}'s ConfigMgr ASR rules resource (technologies: configManager)` },
  '0f2034c6-3cd6-4ee1-bd37-f3c0693e9548': { profile: 'Device Control', holds: [], source: `${TF}; ${DSC} ("Intune Device Control Policy for Windows10"); dmcwee/nodeaction (templateDisplayName: Device Control)` },
  'd02f2162-fcac-48db-9b7b-b0a3f160d2c2': { profile: 'Exploit Protection', holds: [], source: TF },
  '9f667e40-8f3c-4f88-80d8-457f16906315': { profile: 'App and browser isolation', holds: [], source: TF },
  'e373ebb7-c1c5-4ffb-9ce0-698f1834fd9d': { profile: 'App and browser isolation (ConfigMgr)', holds: [], source: TF },
  // Account protection (Learn: endpoint-security-account-protection-policy). Only the Windows LAPS profile holds LAPS.
  'adc46e5a-f4aa-4ff6-aeff-4f27bc525796': { profile: 'Local admin password solution (Windows LAPS)', holds: ['laps'], source: `${TF}; Maester's Test-MtIntuneLAPSConfiguration; public create bodies (templateDisplayName: Local admin password solution (Windows LAPS))` },
  'fcef01f2-439d-4c3f-9184-823fd6e97646': { profile: 'Account protection', holds: [], source: `${TF}; ${DSC} ("Intune Account Protection" policy)` },
  '22968f54-45fa-486c-848e-f8224aa69772': { profile: 'Local user group membership', holds: [], source: `${TF}; ${DSC} ("Account Protection Local User Group Membership Policy"); public create bodies (templateDisplayName: Local user group membership)` },
  // Disk encryption (Learn: endpoint-security-disk-encryption-policy). Personal Data Encryption holds no BitLocker. The
  // BitLocker (46ddfc50-…) and macOS FileVault templates need no row: the family's, kept to the profile's platform,
  // already gives BitLocker or FileVault alone.
  '0b5708d9-9bc2-49a9-b4f7-ec463fcc41e0': { profile: 'Personal Data Encryption', holds: [], source: TF },
};

/**
 * The protections a profile of this template family, for these platforms, may hold: the family's row, kept to the
 * platforms; every protection of the platforms for a family that may hold anything (none, baseline, or not in the table).
 */
export function protectionsOfFamily(family: string | undefined, platforms: readonly Platform[]): { any: boolean; holds: ProtectionId[] } {
  const row = family !== undefined ? TEMPLATE_FAMILIES[family] : undefined;
  const ids = row ? row.holds : (Object.keys(PROTECTIONS) as ProtectionId[]);
  return { any: !row, holds: ids.filter((id) => platforms.includes(PROTECTIONS[id].platform)) };
}

/**
 * The protections a settings catalog profile of this `templateReference`, for these platforms, may hold: its template
 * id's row where `TEMPLATE_IDS` knows the id (a Device Control profile: none), else its family's
 * (`protectionsOfFamily`). Graph derives the family from the id, so the id decides where the two disagree.
 */
export function protectionsOfTemplate(templateReference: unknown, platforms: readonly Platform[]): { any: boolean; holds: ProtectionId[] } {
  const base = templateBaseOf(templateReference);
  const row = base !== undefined ? TEMPLATE_IDS[base] : undefined;
  if (row) return { any: false, holds: row.holds.filter((id) => platforms.includes(PROTECTIONS[id].platform)) };
  return protectionsOfFamily(templateFamilyOf(templateReference), platforms);
}

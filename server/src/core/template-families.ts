/**
 * Which of the configuration checks' protections a settings catalog profile may hold, by its template family
 * (`templateReference.templateFamily`, Graph's `deviceManagementConfigurationTemplateFamily`), in one table with a
 * source for every row. A profile exported without its settings (`model.settingsNotExported`) leaves unknown only the
 * protections its family can hold: an endpoint security disk encryption profile holds BitLocker (or FileVault), never
 * LAPS or attack surface reduction rules. The configuration checks, FileVault's escrow check, the layer 5 line and
 * `ztp diff` read this table through the tenant model (`TenantModel.profilesWithoutSettings`).
 *
 * A profile of no template (`templateFamily: none`, or no `templateReference`: the settings catalog itself), of the
 * baseline family (a baseline holds the settings of many areas), or of a family not in this table may hold anything.
 */
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

/**
 * The protections a profile of this template family, for these platforms, may hold: the family's row, kept to the
 * platforms; every protection of the platforms for a family that may hold anything (none, baseline, or not in the table).
 */
export function protectionsOfFamily(family: string | undefined, platforms: readonly Platform[]): { any: boolean; holds: ProtectionId[] } {
  const row = family !== undefined ? TEMPLATE_FAMILIES[family] : undefined;
  const ids = row ? row.holds : (Object.keys(PROTECTIONS) as ProtectionId[]);
  return { any: !row, holds: ids.filter((id) => platforms.includes(PROTECTIONS[id].platform)) };
}

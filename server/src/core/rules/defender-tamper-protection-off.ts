import { specPath, type PolicyFacts } from '../facts';
import { modelOf } from '../model/index';
import { policiesOfKind } from '../reads';
import { settingInstances } from '../settings-catalog/instances';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';

/**
 * The Windows Security experience profile's "TamperProtection (Device)" setting (Endpoint security > Antivirus >
 * Windows Security experience, template `d948ff9b-99cb-4ee0-8012-1fbc09685377_1`; it may sit in any settings catalog
 * profile too). The id has no `device_` prefix: the Defender CSP lives at `./Vendor/MSFT/Defender`.
 *
 * Its two options are `…_0` (On) and `…_1` (Off). Learn names the setting and its On/Off values but not the option
 * ids, and the settings catalog index has only observed entries for it, so the mapping rests on what real exports
 * write: every published profile meant to turn tamper protection on (OpenIntuneBaseline's "Defender Antivirus - D -
 * Security Experience", which Learn's "TamperProtection (Device): On" guidance matches, and the MDE deployment
 * scripts named "Windows Security tamper protection configuration") writes `…_0`, and none writes `…_1`. Only the
 * option known to be Off is reported: any other value is left to `invalid-setting-value`.
 * https://learn.microsoft.com/defender-endpoint/manage-tamper-protection-microsoft-endpoint-manager
 */
export const TAMPER_PROTECTION = 'vendor_msft_defender_configuration_tamperprotection_options';
export const TAMPER_PROTECTION_ON = `${TAMPER_PROTECTION}_0`;
export const TAMPER_PROTECTION_OFF = `${TAMPER_PROTECTION}_1`;

export interface TamperProtectionData {
  /** The choice value's path, relative to `spec`. */
  path: (string | number)[];
}

/** Where each profile turns tamper protection off: the choice values' paths, relative to `spec`. */
function turnsOff(p: PolicyFacts): (string | number)[][] {
  return settingInstances(p.spec).flatMap((i) => (i.key === TAMPER_PROTECTION ? i.choices.filter((c) => c.value.toLowerCase() === TAMPER_PROTECTION_OFF).map((c) => c.path) : []));
}

/**
 * A settings catalog profile (the Windows Security experience profile, usually) that turns Defender tamper protection
 * off for the devices it is assigned to. Not configured is not off: tamper protection is on by default for Defender
 * for Endpoint customers, so only a value that turns it off is reported.
 */
export const defenderTamperProtectionOff: Rule = {
  id: 'defender-tamper-protection-off',
  title: 'A profile turns Defender tamper protection off',
  category: 'layer',
  layer: 6,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/defender-endpoint/manage-tamper-protection-microsoft-endpoint-manager',
    'https://learn.microsoft.com/defender-endpoint/prevent-changes-to-security-settings-with-tamper-protection',
    'https://learn.microsoft.com/intune/intune-service/protect/antivirus-security-experience-windows-settings',
  ],
  emitsOn: ['ConfigurationProfile'],
  check(tenant, emit) {
    if (!tenant.root) return;
    let onboarding: ReturnType<ReturnType<typeof modelOf>['defender']['onboarding']> | undefined;
    for (const p of policiesOfKind(tenant, 'ConfigurationProfile')) {
      if (!p.spec) continue;
      const paths = turnsOff(p);
      if (!paths.length) continue;
      // Read only when a profile turns it off: the onboarding answer reads connectors, EDR profiles and more.
      onboarding ??= modelOf(tenant).defender.onboarding('windows');
      const name = p.name ? `\`${p.name}\`` : 'This profile';
      const model = modelOf(tenant);
      // Whom it reaches is the model's answer: exclusions that take out every group it includes leave it on no device.
      const nobody = model.assignmentOf(p) === 'nobody';
      // Another assigned profile that reaches every device this one does sets it otherwise (On): Intune applies neither
      // value, so the Off reaches no device (the model's `settingValues`; `setting-conflict` reports the conflict).
      const outcome = nobody ? undefined : model.settingValues.outcome(p, TAMPER_PROTECTION);
      const conflicted = outcome?.state === 'conflict' ? outcome.conflicts.map((c) => (c.a.profile === p ? c.b.profile : c.a.profile)) : [];
      // Not onboarded as far as the files show (gaps, not unknown): Defender for Endpoint manages tamper protection
      // from Intune only on onboarded devices, so the value does nothing yet; it will once they are.
      const notOnboarded = !onboarding.onboarded && onboarding.gaps.length > 0;
      const why = nobody
        ? ` It is assigned to no one yet, so no device has it off; it will once the profile is assigned.`
        : conflicted.length
          ? ` ${conflicted.map((o) => `\`${o.name ?? o.path}\``).join(', ')} ${conflicted.length > 1 ? 'set' : 'sets'} it otherwise for every device this profile reaches, a conflict Intune applies on neither side (setting-conflict), so the Off takes effect nowhere yet; it will once the other value is removed.`
          : notOnboarded
          ? ` No Windows device is onboarded to Defender for Endpoint here (${onboarding.gaps.join('; ')}), and Intune manages tamper protection only on onboarded devices, so it takes effect once they are.`
          : '';
      for (const path of paths) {
        emit({
          file: p,
          span: policySpan(p, ['spec', ...path], 'value'),
          severity: nobody || conflicted.length || notOnboarded ? 'information' : undefined,
          message: `${name} sets TamperProtection (Device) to Off (\`${TAMPER_PROTECTION_OFF}\`), turning Defender tamper protection off on the Windows devices it is assigned to: malware or a local administrator can then turn off real-time protection, cloud-delivered protection and behavior monitoring, or remove security intelligence updates. Microsoft recommends keeping tamper protection on for all devices; set it to On (\`${TAMPER_PROTECTION_ON}\`), and use troubleshooting mode for a device that needs a temporary change.${why}`,
          data: { path } satisfies TamperProtectionData,
        });
      }
    }
  },
  fix(finding, tenant) {
    const data = finding.data as TamperProtectionData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data?.path || !p?.spec) return [];
    // Only the value this finding was about, and only while it still turns tamper protection off.
    if (!turnsOff(p).some((at) => at.length === data.path.length && at.every((s, i) => s === data.path[i]))) return [];
    const edit = replaceValue(p.parsed, specPath(p, ...data.path), TAMPER_PROTECTION_ON);
    return edit ? [{ title: `Set TamperProtection (Device) to On (${TAMPER_PROTECTION_ON})`, isPreferred: true, safe: true, edits: [edit], creates: [] }] : [];
  },
};

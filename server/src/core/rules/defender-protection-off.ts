import { specPath, type PolicyFacts } from '../facts';
import { DEFENDER_PROTECTIONS, protectionsTurnedOff, type DefenderModel, type DefenderProtection, dlpPoliciesToProtect } from '../model/defender';
import { modelOf } from '../model/index';
import { policiesOfKind } from '../reads';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';

export interface ProtectionOffData {
  /** The choice value's path, relative to `spec`. */
  path: (string | number)[];
  /** The setting it is the value of (`DEFENDER_PROTECTIONS`). */
  setting: string;
}

/** What each protection turned off leaves open, for the message. */
const RISK: Record<string, string> = {
  allowrealtimemonitoring: 'files are no longer scanned as they are opened, downloaded or run, so malware that lands on the device runs unchecked until a scheduled scan',
  allowbehaviormonitoring: 'Defender no longer watches what processes do, so malware that no signature knows (ransomware encrypting files, a script injecting into another process) is not stopped',
  enablefirewall: 'every inbound connection the device takes on that network is let through, so an exposed service is reachable by anyone on it',
};

function riskOf(setting: string): string {
  return Object.entries(RISK).find(([k]) => setting.endsWith(k))?.[1] ?? '';
}

const policyName = (d: PolicyFacts): string => `\`${d.name ?? d.path}\``;

/**
 * What a profile's Off of a protection Endpoint DLP needs means for the tenant's Endpoint DLP policies in force, from
 * the tenant model's one answer (`dlpProtectionsOff`, per policy, as layer 7's line reads it): the policies whose devices
 * it certainly reaches do not protect them; those it may reach (the files do not show the overlap) are named as a
 * possibility; those it reaches none of, or where it is in conflict with an On, are not named.
 */
function dlpNoteFor(p: PolicyFacts, protection: DefenderProtection, dlp: readonly PolicyFacts[], defender: DefenderModel): string {
  if (!dlp.length) return '';
  const read = dlp.flatMap((d) => defender.dlpProtectionsOff(d)).filter((x) => x.profile === p && x.protection === protection);
  const certain = read.filter((x) => x.state === 'certain');
  const maybe = read.filter((x) => x.state === 'unknown');
  const need = 'Endpoint DLP needs real-time protection and behavior monitoring on its devices (Purview device onboarding)';
  if (certain.length) {
    const which = certain.map((x) => `${policyName(x.dlp)} (${x.shared})`).join(', ');
    // Every Endpoint DLP policy turned off (`mode: Disable`): the devices they will protect once on (review r27, t12).
    const off = certain.every((x) => x.dlp.spec?.mode === 'Disable');
    const protect = off ? 'will protect once turned on' : certain.length > 1 ? 'protect' : 'protects';
    return ` ${need}, and this profile reaches devices the Endpoint DLP ${certain.length > 1 ? 'policies' : 'policy'} ${which} ${protect}, so ${certain.length > 1 ? 'they' : 'it'} ${off ? 'will' : certain.length > 1 ? 'do' : 'does'} not protect them either.`;
  }
  if (maybe.length) return ` ${need}; whether this profile reaches the devices ${maybe.map((x) => policyName(x.dlp)).join(', ')} ${maybe.length > 1 ? 'protect' : 'protects'} the files do not show.`;
  return '';
}

/**
 * A settings catalog profile (an endpoint security Antivirus or Firewall profile, usually) that turns a Defender
 * protection off for the devices it is assigned to: real-time protection, behavior monitoring, or Windows Firewall on a
 * network profile. Not configured is not off (each is on by default), so only the option that turns it off is reported.
 * The sibling of `defender-tamper-protection-off`, which keeps its own id.
 */
export const defenderProtectionOff: Rule = {
  id: 'defender-protection-off',
  title: 'A profile turns Defender real-time protection, behavior monitoring or the firewall off',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/defender-endpoint/configure-real-time-protection-microsoft-defender-antivirus',
    'https://learn.microsoft.com/purview/device-onboarding-overview',
    'https://learn.microsoft.com/windows/client-management/mdm/policy-csp-defender',
    'https://learn.microsoft.com/windows/client-management/mdm/firewall-csp',
  ],
  emitsOn: ['ConfigurationProfile'],
  check(tenant, emit) {
    let dlp: PolicyFacts[] | undefined;
    for (const p of policiesOfKind(tenant, 'ConfigurationProfile')) {
      if (!p.spec || !p.platforms.includes('windows')) continue;
      const off = protectionsTurnedOff(p);
      if (!off.length) continue;
      // Read only when a profile turns something off: Endpoint DLP needs real-time protection and behavior monitoring.
      // The policies layer 7's line reads (`dlpPoliciesToProtect`): those on, or where every one is off, all of them.
      dlp ??= dlpPoliciesToProtect(policiesOfKind(tenant, 'EndpointDlpPolicy'));
      const name = p.name ? `\`${p.name}\`` : 'This profile';
      const model = modelOf(tenant);
      // Whom it reaches is the model's answer: exclusions that take out every group it includes leave it on no device.
      const nobody = model.assignmentOf(p) === 'nobody';
      for (const { protection, path } of off) {
        const dlpNote = protection.dlp && !nobody ? dlpNoteFor(p, protection, dlp, model.defender) : '';
        // Another assigned profile that reaches every device this one does sets it otherwise (on): Intune applies neither
        // value, so the Off reaches no device (the model's `settingValues`, as defender-tamper-protection-off reads it).
        const outcome = nobody ? undefined : model.settingValues.outcome(p, protection.setting);
        const conflicted = outcome?.state === 'conflict' ? outcome.conflicts.map((c) => (c.a.profile === p ? c.b.profile : c.a.profile)) : [];
        const why = nobody
          ? ' It is assigned to no one yet, so no device has it off; it will once the profile is assigned.'
          : conflicted.length
            ? ` ${conflicted.map((o) => `\`${o.name ?? o.path}\``).join(', ')} ${conflicted.length > 1 ? 'set' : 'sets'} it otherwise for every device this profile reaches, a conflict Intune applies on neither side (setting-conflict), so the Off takes effect nowhere yet; it will once the other value is removed.`
            : '';
        emit({
          file: p,
          span: policySpan(p, ['spec', ...path], 'value'),
          severity: nobody || conflicted.length ? 'information' : undefined,
          message: `${name} sets ${protection.settingName} to ${protection.offName} (\`${protection.off}\`), turning ${protection.label} off on the Windows devices it is assigned to: ${riskOf(protection.setting)}. Microsoft recommends keeping it on; set it to \`${protection.on}\`, or remove the setting to leave the default (on).${dlpNote}${why}`,
          data: { path, setting: protection.setting } satisfies ProtectionOffData,
        });
      }
    }
  },
  fix(finding, tenant) {
    const data = finding.data as ProtectionOffData | undefined;
    const p = policyAt(tenant, finding.file);
    const protection = DEFENDER_PROTECTIONS.find((d) => d.setting === data?.setting);
    if (!data?.path || !p?.spec || !protection) return [];
    // Only the value this finding was about, and only while it still turns the protection off.
    if (!protectionsTurnedOff(p).some((o) => o.protection === protection && o.path.length === data.path.length && o.path.every((s, i) => s === data.path[i]))) return [];
    const edit = replaceValue(p.parsed, specPath(p, ...data.path), protection.on);
    // Turning the firewall on may close inbound connections a device relies on: offered, not applied unattended.
    const safe = protection.dlp;
    return edit ? [{ title: `Set ${protection.settingName} on (${protection.on})`, isPreferred: true, safe, edits: [edit], creates: [] }] : [];
  },
};

import { modelOf } from '../model/index';
import type { Platform } from '../platforms';
import type { Emit, Rule, TenantView } from '../rule';
import { policySpan, related } from '../tenant-query';
import type { RelatedInfo } from '../types';
import { defenderConnectors, edrProfilesFor } from './endpoint-helpers';
import type { DlpOnboarding, DlpPlatformOnboarding, OtherOnboarding } from '../model/defender';
import { policiesOfKind } from '../reads';

/** Endpoint DLP runs on Windows and macOS only. */
const DLP_PLATFORMS: { platform: Platform; label: string }[] = [
  { platform: 'windows', label: 'Windows' },
  { platform: 'macOS', label: 'macOS' },
];

function relatedFiles(tenant: TenantView): RelatedInfo[] {
  const connectors = defenderConnectors(tenant).map((c) => related(c, 'the Defender connector'));
  const profiles = DLP_PLATFORMS.flatMap(({ platform }) => edrProfilesFor(tenant, platform)).map((p) => related(p, 'an EDR onboarding profile'));
  return [...connectors, ...profiles];
}

/** An Endpoint DLP policy is in force, but no Windows or macOS device is onboarded to Defender for Endpoint, or the onboarding certainly leaves some of its devices out. */
export const dlpRequiresDefenderOnboarding: Rule = {
  id: 'dlp-requires-defender-onboarding',
  title: 'An Endpoint DLP policy is in force, but no device, or only some of its devices, is onboarded to Defender for Endpoint',
  category: 'layer',
  layer: 7,
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/purview/endpoint-dlp-getting-started', 'https://learn.microsoft.com/intune/intune-service/protect/endpoint-security-edr-policy', 'https://learn.microsoft.com/defender-endpoint/mac-install-with-intune'],
  check(tenant, emit) {
    if (!tenant.root) return;
    const dlp = policiesOfKind(tenant, 'EndpointDlpPolicy').filter((p) => p.spec?.mode !== 'Disable');
    if (!dlp.length) return;
    const model = modelOf(tenant);
    // Onboarding may sit in a file that could not be read: then it is not missing.
    if (model.mayHide('ConfigurationProfile') || model.mayHide('DefenderConnector')) return;
    // The Defender model's answer, per policy (`dlpOnboarding`): onboarding the manifest declares outside Intune
    // (`settings.defenderOnboarding`) counts; `no` only where no platform is onboarded at all (one onboarded platform is
    // enough for the policy to reach devices), `partly` where the onboarding certainly leaves some of its devices out,
    // or nothing onboards a declared platform whose devices the policy takes in (all devices) beside one onboarded.
    const reasons = DLP_PLATFORMS.map(({ platform, label }) => ({ platform, label, gaps: model.defender.onboarding(platform).gaps }));
    // Where the manifest says which platforms are in use, the message speaks of those (a Windows and iOS tenant is not
    // told to onboard Macs); with neither in use, or none declared, of both.
    const inUse = model.platformsDeclared ? reasons.filter((r) => model.platforms.includes(r.platform)) : [];
    const shown = inUse.length ? inUse : reasons;
    const weighed = shown.map((r) => r.platform);
    const answers = dlp.map((p) => model.defender.dlpOnboarding(p, weighed));
    const idleMac = model.defender.otherOnboarding.filter((o) => o.platform === 'macOS' && o.assigned === 'nobody');
    for (const a of answers.filter((x) => x.state === 'partly')) emitPartly(a, weighed, idleMac, emit);
    for (const a of answers.filter((x) => x.state === 'unknown')) {
      emitConnectionUnstated(a, tenant, emit);
      emitMisfiled(a, emit);
    }
    if (!answers.some((a) => a.state === 'no')) return;
    const why = shown.map((r) => `${r.label} has ${r.gaps.join(' and ')}`).join('; ');
    const macIdle = idleMac.length > 0;
    const how = shown.map((r) =>
      r.platform === 'windows'
        ? 'Windows with an EDR onboarding profile that takes the package from the connection to Defender for Endpoint (switched on in the Intune admin center, Endpoint security > Microsoft Defender for Endpoint, and in the Defender portal: the connector then reads `partnerState: enabled`) or carries it (configuration type `onboard`)'
        : macIdle
          ? 'Macs by assigning their onboarding profile'
          : 'Macs with a custom configuration profile carrying the onboarding package (kept in the tenant folder as a raw Graph export, with no `kind`)',
    );
    const declaration = shown.map((r) => `${r.platform}: outsideIntune`).join(', ');
    for (const p of answers.filter((a) => a.state === 'no').map((a) => a.dlp)) {
      emit({
        file: p,
        span: policySpan(p, ['kind'], 'value'),
        message: `this Endpoint DLP policy reaches no device: Endpoint DLP runs on devices onboarded to Defender for Endpoint, and none are (${why}). Onboard ${how.join(', or ')} (layer 6), or hold the policy at \`mode: Disable\` until then; where the devices are onboarded outside Intune (Group Policy, Configuration Manager, a script, Purview device onboarding), declare it in the manifest: \`settings.defenderOnboarding: { ${declaration} }\``,
        related: relatedFiles(tenant),
      });
    }
  },
};

/**
 * The policy's devices are onboarded only in part: the onboarding files certainly leave some of them out, or nothing
 * onboards a platform in use whose devices the policy takes in (`noneOnboarded`) while another is onboarded, and
 * Endpoint DLP protects none of those. A warning (the rule's error is for a policy that protects no device at all):
 * the message names the onboarding files, whom each is assigned to, and the devices left out; for a platform with no
 * onboarding, the model's words for what it lacks.
 */
function emitPartly(a: DlpOnboarding, weighed: readonly Platform[], idleMac: readonly OtherOnboarding[], emit: Emit): void {
  const p = a.dlp;
  const where = a.platforms.filter((x) => x.state === 'partly' && weighed.includes(x.platform));
  const label = (platform: Platform): string => DLP_PLATFORMS.find((d) => d.platform === platform)?.label ?? platform;
  const said = where
    .map((x) => {
      if (x.noneOnboarded) return `on ${label(x.platform)}, no device is onboarded (${x.onboarding.gaps.join(' and ')}), so the policy protects none of the ${DEVICES[x.platform] ?? `${label(x.platform)} devices`} it takes in`;
      const by = x.sources!.map((s) => `\`${s.name}\` (assigned to ${s.assigned})`).join(', ');
      return `on ${label(x.platform)}, ${by} ${x.sources!.length > 1 ? 'onboard' : 'onboards'} only some of its devices: ${x.left} are not onboarded, so the policy does not protect them`;
    })
    .join('; ');
  const none = where.filter((x) => x.noneOnboarded);
  const onboard = none.map((x) =>
    x.platform === 'macOS'
      ? idleMac.length
        ? 'assign the Macs\' onboarding profile to them (layer 6)'
        : 'onboard the Macs (layer 6) with a custom configuration profile carrying the onboarding package from the Defender portal (Learn: "Deploy Microsoft Defender for Endpoint on macOS with Intune"), kept in the tenant folder as a raw Graph export, with no `kind`'
      : 'onboard the Windows devices (layer 6) with an EDR onboarding profile',
  );
  const todo = [...(where.some((x) => !x.noneOnboarded) ? ['assign the onboarding to every device the policy takes in (layer 6)'] : []), ...onboard].join(', and ');
  const declaration = where.map((x) => `${x.platform}: outsideIntune`).join(', ');
  emit({
    file: p,
    span: policySpan(p, ['kind'], 'value'),
    severity: 'warning',
    message: `this Endpoint DLP policy takes in devices that are not onboarded to Defender for Endpoint: Endpoint DLP protects only onboarded devices, and ${said}. ${todo[0]!.toUpperCase()}${todo.slice(1)}, or narrow the policy's devices location (\`locations.devices\`) to the onboarded devices; where the others are onboarded outside Intune (Group Policy, Configuration Manager, a script, Purview device onboarding${none.some((x) => x.platform === 'macOS') ? ', Jamf or another MDM for Macs' : ''}), declare it in the manifest: \`settings.defenderOnboarding: { ${declaration} }\``,
    related: [
      ...where.flatMap((x) => (x.sources ?? []).flatMap((s) => (s.file.type === 'policy' && s.file.kind !== undefined ? [related(s.file, 'an onboarding profile')] : []))),
      ...(none.some((x) => x.platform === 'macOS') ? idleMac.flatMap((o) => (o.file.type === 'policy' ? [related(o.file, 'a macOS onboarding profile assigned to nobody', o.file.raw ? ['spec'] : ['name'])] : [])) : []),
    ],
  });
}

/**
 * No platform's devices are certainly onboarded, and those that may be take the package from the connector, whose file
 * writes no `partnerState` (the Defender model's `connectionUnstated`): the connection's state is undeclared, so the
 * policy may reach no device, which is a doubt (a warning asking for the state), not the rule's certain error. Where
 * Configuration Manager may onboard instead, nothing is said: the files cannot tell, whatever the connector says.
 */
function emitConnectionUnstated(a: DlpOnboarding, tenant: TenantView, emit: Emit): void {
  const unstated = a.platforms.filter((x) => x.state === 'unknown' && x.onboarding.connectionUnstated && !x.onboarding.configMgr);
  if (!unstated.length || !a.platforms.every((x) => x.state === 'no' || unstated.includes(x))) return;
  const p = a.dlp;
  const label = (platform: Platform): string => DLP_PLATFORMS.find((d) => d.platform === platform)?.label ?? platform;
  const profiles = [...new Set(unstated.flatMap((x) => [...x.onboarding.profiles.map((f) => f.name ?? f.path), ...x.onboarding.others.map((o) => o.name)]))].map((n) => `\`${n}\``);
  const connectors = [...new Set(unstated.flatMap((x) => x.onboarding.connectionUnstated!))];
  const files = connectors.map((c) => `\`${c.name ?? c.path}\``).join(', ');
  const none = a.platforms.filter((x) => x.state === 'no' && x.onboarding.gaps.length).map((x) => `; ${label(x.platform)} has ${x.onboarding.gaps.join(' and ')}`).join('');
  const declaration = unstated.map((x) => `${x.platform}: outsideIntune`).join(', ');
  emit({
    file: p,
    span: policySpan(p, ['kind'], 'value'),
    severity: 'warning',
    message:
      `this Endpoint DLP policy may reach no device: Endpoint DLP runs on devices onboarded to Defender for Endpoint, and the files cannot show that any are (${unstated.map((x) => label(x.platform)).join(' and ')}: ${profiles.join(', ')} ${profiles.length > 1 ? 'take' : 'takes'} the onboarding package from the connection to Defender for Endpoint, whose state ${files} ${connectors.length > 1 ? 'do' : 'does'} not write: no \`partnerState\`, and \`windowsEnabled\` is the "Compliance policy evaluation" switch, not the connection${none}). ` +
      `State the connection: write the \`partnerState\` Graph returns for the connector (\`enabled\` where the Intune admin center, Endpoint security > Microsoft Defender for Endpoint, shows it connected), or export the connector again with it; where the devices are onboarded outside Intune, declare it in the manifest: \`settings.defenderOnboarding: { ${declaration} }\``,
    related: relatedFiles(tenant),
  });
}

/**
 * No platform's devices are certainly onboarded, and the only onboarding the files may hold is a macOS custom profile
 * carrying the onboarding payload written under `kind: ConfigurationProfile` (the Defender model's `without: 'kind'`):
 * the kind does not hold it, so it is not read, yet its body shows it may be the Macs' onboarding. A doubt (a warning
 * naming the file and its schema error), not the rule's certain error.
 */
function emitMisfiled(a: DlpOnboarding, emit: Emit): void {
  const misfiled = (x: DlpPlatformOnboarding): OtherOnboarding[] => (x.state === 'unknown' && !x.onboarding.configMgr ? (x.onboarding.unknown ?? []).filter((o) => o.without === 'kind') : []);
  const doubt = a.platforms.filter((x) => misfiled(x).length);
  if (!doubt.length || !a.platforms.every((x) => x.state === 'no' || doubt.includes(x))) return;
  const p = a.dlp;
  const files = doubt.flatMap(misfiled);
  const names = files.map((o) => `\`${o.name}\``).join(', ');
  const many = files.length > 1;
  const none = a.platforms.filter((x) => x.state === 'no' && x.onboarding.gaps.length).map((x) => `; ${DLP_PLATFORMS.find((d) => d.platform === x.platform)?.label ?? x.platform} has ${x.onboarding.gaps.join(' and ')}`).join('');
  emit({
    file: p,
    span: policySpan(p, ['kind'], 'value'),
    severity: 'warning',
    message:
      `this Endpoint DLP policy may reach no device: Endpoint DLP runs on devices onboarded to Defender for Endpoint, and the files cannot show that any are (macOS: ${names} ${many ? 'carry' : 'carries'} the onboarding payload, \`com.microsoft.wdav.atp\`, but ${many ? 'are' : 'is'} written under \`kind: ConfigurationProfile\`, which does not hold a custom profile, so ${many ? 'they are' : 'it is'} not read as onboarding${none}). ` +
      `Keep ${many ? 'them' : 'it'} in the tenant folder as the raw Graph export, with no \`kind\` (see ${many ? 'their' : 'its'} schema error); where the Macs are onboarded outside Intune, declare it in the manifest: \`settings.defenderOnboarding: { macOS: outsideIntune }\``,
    related: files.flatMap((o) => (o.file.type === 'policy' ? [related(o.file, 'a macOS custom profile carrying the onboarding payload, under a kind that does not hold it (schema error)', ['spec'])] : [])),
  });
}

/** A platform's devices, as a sentence names them. */
const DEVICES: Partial<Record<Platform, string>> = { macOS: 'Macs', windows: 'Windows devices' };

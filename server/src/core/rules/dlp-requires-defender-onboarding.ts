import { modelOf } from '../model/index';
import type { Platform } from '../platforms';
import type { Rule, TenantView } from '../rule';
import { policySpan, related } from '../tenant-query';
import type { RelatedInfo } from '../types';
import { defenderConnectors, edrProfilesFor } from './endpoint-helpers';
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

/** An Endpoint DLP policy is in force, but no Windows or macOS device is onboarded to Defender for Endpoint. */
export const dlpRequiresDefenderOnboarding: Rule = {
  id: 'dlp-requires-defender-onboarding',
  title: 'An Endpoint DLP policy is in force, but no device is onboarded to Defender for Endpoint',
  category: 'layer',
  layer: 7,
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/purview/endpoint-dlp-getting-started', 'https://learn.microsoft.com/intune/intune-service/protect/endpoint-security-edr-policy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    const dlp = policiesOfKind(tenant, 'EndpointDlpPolicy').filter((p) => p.spec?.mode !== 'Disable');
    if (!dlp.length) return;
    const model = modelOf(tenant);
    // Onboarding may sit in a file that could not be read: then it is not missing.
    if (model.mayHide('ConfigurationProfile') || model.mayHide('DefenderConnector')) return;
    // The Defender model's answer: onboarding the manifest declares outside Intune (`settings.defenderOnboarding`) counts.
    const reasons = DLP_PLATFORMS.map(({ platform, label }) => ({ platform, label, gaps: model.defender.onboarding(platform).gaps }));
    // One onboarded platform is enough for the policy to reach devices.
    if (reasons.some((r) => r.gaps.length === 0)) return;
    // Where the manifest says which platforms are in use, the message speaks of those (a Windows and iOS tenant is not
    // told to onboard Macs); with neither in use, or none declared, of both.
    const inUse = model.platformsDeclared ? reasons.filter((r) => model.platforms.includes(r.platform)) : [];
    const shown = inUse.length ? inUse : reasons;
    const why = shown.map((r) => `${r.label} has ${r.gaps.join(' and ')}`).join('; ');
    const macIdle = model.defender.otherOnboarding.some((o) => o.platform === 'macOS' && o.assigned === 'nobody');
    const how = shown.map((r) =>
      r.platform === 'windows'
        ? 'Windows with an EDR onboarding profile that takes the package from the connection to Defender for Endpoint (switched on in the Intune admin center, Endpoint security > Microsoft Defender for Endpoint, and in the Defender portal: the connector then reads `partnerState: enabled`) or carries it (configuration type `onboard`)'
        : macIdle
          ? 'Macs by assigning their onboarding profile'
          : 'Macs with a custom configuration profile carrying the onboarding package',
    );
    const declaration = shown.map((r) => `${r.platform}: outsideIntune`).join(', ');
    for (const p of dlp) {
      emit({
        file: p,
        span: policySpan(p, ['kind'], 'value'),
        message: `this Endpoint DLP policy reaches no device: Endpoint DLP runs on devices onboarded to Defender for Endpoint, and none are (${why}). Onboard ${how.join(', or ')} (layer 6), or hold the policy at \`mode: Disable\` until then; where the devices are onboarded outside Intune (Group Policy, Configuration Manager, a script, Purview device onboarding), declare it in the manifest: \`settings.defenderOnboarding: { ${declaration} }\``,
        related: relatedFiles(tenant),
      });
    }
  },
};

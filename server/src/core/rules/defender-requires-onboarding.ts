import { modelOf } from '../model/index';
import { EDR_CONFIGURATION_TYPE, offboards } from '../model/defender';
import type { FileFacts, PolicyFacts } from '../facts';
import { policySpan, related } from '../tenant-query';
import { dirname } from '../paths';
import type { Emit, Rule, TenantView } from '../rule';
import type { Fix, RelatedInfo } from '../types';
import { defenderConnectors, edrProfilesFor, windowsOnboardingProfile } from './endpoint-helpers';

export interface OnboardingData {
  /** Where the new onboarding profile goes: next to the connector. */
  folder: string;
}

/** Learn's page for onboarding Macs with Intune: a custom configuration profile carrying the package from the Defender portal. */
const MAC_INSTALL = 'https://learn.microsoft.com/defender-endpoint/mac-install-with-intune';

/**
 * The connector sends macOS risk, Macs are in use (the manifest's `platforms`, or, undeclared, the platforms the
 * tenant's Intune policies manage), and the Defender model's macOS onboarding is certainly absent: not unknown, not
 * declared outside Intune, not security settings management. Intune has no automatic onboarding for macOS (the macOS
 * EDR profile sets device tags only): a custom configuration profile carrying the onboarding package from the Defender
 * portal onboards Macs. No quick fix: the package is the tenant's own. Only Defender's own connector (the model's
 * partner reading) says its risk comes from Defender for Endpoint.
 */
function checkMacOS(tenant: TenantView, emit: Emit): void {
  const model = modelOf(tenant);
  const defender = model.defender;
  const connectors = defender.connectors.filter((c) => c.spec?.macEnabled === true && defender.partnerOf(c) === 'defender');
  if (!connectors.length) return;
  // With no platform declared and no Intune policy of any, every platform "may be in use": that is not Macs in use.
  if (model.platformsSource === 'all' || !model.platforms.includes('macOS')) return;
  const o = defender.onboarding('macOS');
  if (o.onboarded || o.unknownWhy !== undefined || !o.gaps.length) return;
  const idle = defender.otherOnboarding.filter((x) => x.platform === 'macOS' && x.assigned === 'nobody');
  const tags = defender.profilesFor('macOS');
  const names = (xs: { name: string }[]): string => xs.map((x) => `\`${x.name}\``).join(', ');
  const relatedFile = (f: FileFacts, message: string): RelatedInfo[] => (f.type === 'policy' ? [related(f, message, f.raw ? ['spec'] : ['name'])] : []);
  for (const c of connectors) {
    emit({
      file: c,
      span: policySpan(c, ['spec', 'macEnabled'], 'value'),
      message: idle.length
        ? `the connector takes macOS device risk from Defender for Endpoint, but the macOS onboarding ${idle.length > 1 ? 'profiles' : 'profile'} ${names(idle)} (a custom configuration profile carrying the onboarding package) ${idle.length > 1 ? 'are' : 'is'} assigned to nobody, so no Mac is onboarded and Defender has nothing to report; assign ${idle.length > 1 ? 'one' : 'it'} to the Macs, or, where Macs are onboarded outside Intune (Jamf or another MDM, a script), declare it in the manifest: \`settings.defenderOnboarding.macOS: outsideIntune\``
        : `the connector takes macOS device risk from Defender for Endpoint, but nothing onboards the Macs: Intune has no automatic onboarding for macOS (the macOS EDR profile sets device tags only${tags.length ? `, as ${names(tags.map((p) => ({ name: p.name ?? p.path })))} does` : ''}), so Defender may have nothing to report; Macs are onboarded by a custom configuration profile carrying the onboarding package downloaded from the Defender portal (Learn: "Deploy Microsoft Defender for Endpoint on macOS with Intune"): create one and keep it in the tenant folder as a raw Graph export (the JSON Graph returns for it, with no \`kind\`: \`kind: ConfigurationProfile\` holds settings catalog profiles, not custom ones), or, where Macs are onboarded outside Intune (Jamf or another MDM, a script), declare it in the manifest: \`settings.defenderOnboarding.macOS: outsideIntune\``,
      related: [
        ...idle.flatMap((x) => relatedFile(x.file, 'a macOS onboarding profile assigned to nobody')),
        ...tags.flatMap((p) => relatedFile(p, 'a macOS EDR profile: it sets device tags, it does not onboard')),
      ],
    });
  }
}

/**
 * The connector sends Windows risk, but nothing onboards Windows devices to Defender for Endpoint.
 *
 * The fix creates a Windows EDR onboarding profile, and an onboarded tenant is what defender-baselines-missing
 * looks at: in a tenant without the Windows and Defender for Endpoint security baselines, applying this fix
 * makes that (information) finding appear on the new profile. That is the next step of layer 6, not a fault of
 * the fix, so the fix's fixtures carry both baselines.
 */
export const defenderRequiresOnboarding: Rule = {
  id: 'defender-requires-onboarding',
  title: 'The Defender connector is on for Windows or macOS, but nothing onboards that platform\'s devices',
  category: 'layer',
  layer: 6,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/intune/intune-service/protect/advanced-threat-protection-configure', 'https://learn.microsoft.com/intune/intune-service/protect/endpoint-security-edr-policy', MAC_INSTALL],
  check(tenant, emit) {
    // An onboarding profile may sit in a file that could not be read: then it is not missing.
    if (!tenant.root || modelOf(tenant).mayHide('ConfigurationProfile')) return;
    checkMacOS(tenant, emit);
    if (modelOf(tenant).defender.hasOnboardingSource('windows')) return;
    // Profiles that exist but set no configuration package type onboard nothing: set it rather than add another.
    // Those declared assigned to nobody onboard no device: assign one rather than add another. One that offboards
    // (configuration type `offboard`) is not an onboarding profile at all.
    const defender = modelOf(tenant).defender;
    const unconfigured = defender.unconfiguredProfilesFor('windows');
    const unassigned = defender.idleOnboardingProfilesFor('windows');
    const names = (ps: PolicyFacts[]): string => ps.map((p) => `\`${p.name ?? p.path}\``).join(', ');
    for (const c of defenderConnectors(tenant)) {
      if (c.spec?.windowsEnabled !== true) continue;
      emit({
        file: c,
        span: policySpan(c, ['spec', 'windowsEnabled'], 'value'),
        message: unconfigured.length
          ? `the connector takes Windows device risk from Defender for Endpoint, but the Windows EDR ${unconfigured.length > 1 ? 'profiles' : 'profile'} ${names(unconfigured)} ${unconfigured.length > 1 ? 'set' : 'sets'} no "Microsoft Defender for Endpoint client configuration package type" (\`${EDR_CONFIGURATION_TYPE}\`), and Not configured, its default, onboards nothing, so no device is onboarded through Intune and Defender may have nothing to report; set it to Auto from connector in ${unconfigured.length > 1 ? 'one of them' : 'that profile'} (\`${EDR_CONFIGURATION_TYPE}_autofromconnector\`), or, where Windows devices are onboarded outside Intune, declare \`settings.defenderOnboarding.windows: outsideIntune\` in the manifest`
          : unassigned.length
          ? `the connector takes Windows device risk from Defender for Endpoint, but the Windows EDR onboarding ${unassigned.length > 1 ? 'profiles are' : 'profile is'} assigned to nobody (${names(unassigned)}), so no device is onboarded and Defender has nothing to report; assign ${unassigned.length > 1 ? 'one' : 'it'} to the Windows devices`
          : 'the connector takes Windows device risk from Defender for Endpoint, but no Windows EDR onboarding profile (a ConfigurationProfile with `templateFamily: endpointSecurityEndpointDetectionAndResponse` and `platforms: windows10`) onboards the devices through Intune, so Defender may have nothing to report; create one with `configurationtype` set to `autofromconnector`, or, where Windows devices are onboarded outside Intune (Group Policy, Configuration Manager, a script), declare it in the manifest: `settings.defenderOnboarding.windows: outsideIntune`',
        related: [
          ...unconfigured.map((p) => related(p, 'an EDR profile that sets no client configuration package type')),
          ...unassigned.map((p) => related(p, 'an EDR onboarding profile assigned to nobody')),
        ],
        data: { folder: dirname(c.path) } satisfies OnboardingData,
      });
    }
  },
  fix(finding, tenant) {
    const data = finding.data as OnboardingData | undefined;
    // No new profile beside one that only needs its assignments or its package type, nor where the manifest declares
    // Windows onboarded outside Intune (the model's answer: then there is no finding to fix).
    const defender = modelOf(tenant).defender;
    if (!data || edrProfilesFor(tenant, 'windows').some((p) => !offboards(p)) || defender.hasOnboardingSource('windows')) return [];
    const fix: Fix = {
      title: 'Create a Windows EDR onboarding profile that takes the package from the connector',
      isPreferred: true,
      safe: true,
      edits: [],
      creates: [windowsOnboardingProfile(tenant, data.folder, 'defender-requires-onboarding')],
    };
    return [fix];
  },
};

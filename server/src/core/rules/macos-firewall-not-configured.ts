import { FIREWALL_PAYLOAD, firewallEnableOn } from '../model/apple-payloads';
import type { Rule } from '../rule';
import { instancesOf, reportProtection, type Protection } from './configuration-helpers';

const ENABLE = 'com.apple.security.firewall_enablefirewall';
const ON = `${ENABLE}_true`;
/** The value of the payload's `EnableFirewall` key that each settings catalog option writes. */
const ENABLE_VALUES: Readonly<Record<string, boolean>> = { [ON]: true, [`${ENABLE}_false`]: false };

/** The older endpoint protection template's `firewallEnabled: true` writes the payload with `EnableFirewall: true`. */
const legacy = (props: Record<string, unknown>): boolean => firewallEnableOn(props.firewallEnabled === true);

export const MACOS_FIREWALL: Protection = {
  id: 'macOSFirewall',
  platform: 'macOS',
  name: 'the macOS firewall',
  setting: `\`${ENABLE}\` set to \`${ON}\`, Firewall "Enable Firewall: True"`,
  // Each option is read as the payload value it writes, through the one predicate a custom profile's payload feeds.
  enabling: (instances) => instancesOf(instances, ENABLE).filter((i) => i.choices.some((c) => firewallEnableOn(ENABLE_VALUES[c.value.toLowerCase()]))),
  // The setting, or the firewall payload's group it sits in (a backup that drops values drops the children too).
  decides: (i) => i.key === ENABLE || i.key === 'com.apple.security.firewall_com.apple.security.firewall',
  nearMiss: (instances) => (instancesOf(instances, ENABLE).length ? `sets \`${ENABLE}\`, but not to \`${ON}\`` : undefined),
  legacy: { macOSEndpointProtectionConfiguration: legacy },
  payload: { type: FIREWALL_PAYLOAD, on: (p) => firewallEnableOn(p.EnableFirewall) },
};

/** The tenant manages macOS with Intune, but no assigned profile turns the macOS application firewall on. */
export const macosFirewallNotConfigured: Rule = {
  id: 'macos-firewall-not-configured',
  title: 'No assigned profile turns on the macOS firewall',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-configuration/endpoint-security/ref-firewall-settings#macos-firewall-profile',
    'https://learn.microsoft.com/intune/device-configuration/endpoint-security/firewall',
    'https://learn.microsoft.com/intune/intune-service/configuration/custom-settings-macos',
  ],
  peers: ['ZTA 24552'],
  check(tenant, emit) {
    reportProtection(tenant, emit, MACOS_FIREWALL, {
      risk: 'Macs keep whatever firewall state their users chose, and where it is off, unsolicited inbound connections reach their services',
      change: 'set Enable Firewall (`com.apple.security.firewall_enablefirewall`) to True',
      create: 'Create a macOS firewall profile (Endpoint security > Firewall > macOS) with Enable Firewall set to True',
    });
  },
};

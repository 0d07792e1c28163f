import type { Rule } from '../rule';
import { instancesChoosing, instancesOf, reportProtection, type Protection } from './configuration-helpers';

const ENABLE = 'com.apple.security.firewall_enablefirewall';
const ON = `${ENABLE}_true`;

const legacy = (props: Record<string, unknown>): boolean => props.firewallEnabled === true;

export const MACOS_FIREWALL: Protection = {
  platform: 'macOS',
  name: 'the macOS firewall',
  setting: `\`${ENABLE}\` set to \`${ON}\`, Firewall "Enable Firewall: True"`,
  enabling: (instances) => instancesChoosing(instances, ENABLE, [ON]),
  // The setting, or the firewall payload's group it sits in (a backup that drops values drops the children too).
  decides: (i) => i.key === ENABLE || i.key === 'com.apple.security.firewall_com.apple.security.firewall',
  nearMiss: (instances) => (instancesOf(instances, ENABLE).length ? `sets \`${ENABLE}\`, but not to \`${ON}\`` : undefined),
  legacy: { macOSEndpointProtectionConfiguration: legacy },
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
  ],
  peers: ['ZTA 24552'],
  check(tenant, emit) {
    reportProtection(tenant, emit, MACOS_FIREWALL, {
      risk: 'Macs keep whatever firewall state their users chose, and where it is off, unsolicited inbound connections reach their services',
      create: 'Create a macOS firewall profile (Endpoint security > Firewall > macOS) with Enable Firewall set to True',
    });
  },
};

import { FILEVAULT_PAYLOAD, fileVaultEnableOn } from '../model/apple-payloads';
import type { Rule } from '../rule';
import { instancesOf, reportProtection, type Protection } from './configuration-helpers';

const ENABLE = 'com.apple.mcx.filevault2_enable';
/** `Enable: On` in Apple's FileVault payload (`_1` is Off). */
const ON = `${ENABLE}_0`;
/** The value of the payload's `Enable` key that each settings catalog option writes. */
const ENABLE_VALUES: Readonly<Record<string, string>> = { [ON]: 'On', [`${ENABLE}_1`]: 'Off' };

/**
 * The older endpoint protection template's `fileVaultEnabled: true` writes the same payload with `Enable: On`
 * (https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-macosendpointprotectionconfiguration).
 */
const legacy = (props: Record<string, unknown>): boolean => fileVaultEnableOn(props.fileVaultEnabled === true ? 'On' : undefined);

export const FILEVAULT: Protection = {
  id: 'filevault',
  platform: 'macOS',
  name: 'FileVault',
  setting: `\`${ENABLE}\` set to \`${ON}\`, FileVault "Enable: On"`,
  // Each option is read as the payload value it writes, through the one predicate a custom profile's payload feeds.
  enabling: (instances) => instancesOf(instances, ENABLE).filter((i) => i.choices.some((c) => fileVaultEnableOn(ENABLE_VALUES[c.value.toLowerCase()]))),
  // The setting, or the FileVault payload's group it sits in (a backup that drops values drops the children too).
  decides: (i) => i.key === ENABLE || i.key === 'com.apple.mcx.filevault2_com.apple.mcx.filevault2',
  nearMiss: (instances) => (instancesOf(instances, ENABLE).length ? `sets \`${ENABLE}\`, but not to \`${ON}\` (On)` : undefined),
  legacy: { macOSEndpointProtectionConfiguration: legacy },
  payload: { type: FILEVAULT_PAYLOAD, on: (p) => fileVaultEnableOn(p.Enable) },
};

/** The tenant manages macOS with Intune, but no assigned profile turns FileVault on. */
export const filevaultNotConfigured: Rule = {
  id: 'filevault-not-configured',
  title: 'No assigned profile turns on FileVault encryption on macOS',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-configuration/endpoint-security/encrypt-filevault-macos',
    'https://learn.microsoft.com/intune/device-configuration/assign-device-profile',
    'https://learn.microsoft.com/intune/intune-service/configuration/custom-settings-macos',
  ],
  peers: ['ZTA 24569'],
  check(tenant, emit) {
    reportProtection(tenant, emit, FILEVAULT, {
      risk: "a lost or stolen Mac's startup disk can be read by anyone who has it in hand",
      change: 'set Enable (`com.apple.mcx.filevault2_enable`) to On, with the personal recovery key escrowed',
      create: 'Create a FileVault profile (Endpoint security > Disk encryption > macOS > FileVault) that enables FileVault and escrows the personal recovery key',
    });
  },
};

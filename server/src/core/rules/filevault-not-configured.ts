import type { Rule } from '../rule';
import { instancesChoosing, instancesOf, reportProtection, type Protection } from './configuration-helpers';

const ENABLE = 'com.apple.mcx.filevault2_enable';
/** `Enable: On` in Apple's FileVault payload (`_1` is Off). */
const ON = `${ENABLE}_0`;

const legacy = (props: Record<string, unknown>): boolean => props.fileVaultEnabled === true;

export const FILEVAULT: Protection = {
  platform: 'macOS',
  name: 'FileVault',
  setting: `\`${ENABLE}\` set to \`${ON}\`, FileVault "Enable: On"`,
  enabling: (instances) => instancesChoosing(instances, ENABLE, [ON]),
  // The setting, or the FileVault payload's group it sits in (a backup that drops values drops the children too).
  decides: (i) => i.key === ENABLE || i.key === 'com.apple.mcx.filevault2_com.apple.mcx.filevault2',
  nearMiss: (instances) => (instancesOf(instances, ENABLE).length ? `sets \`${ENABLE}\`, but not to \`${ON}\` (On)` : undefined),
  legacy: { macOSEndpointProtectionConfiguration: legacy },
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
  ],
  peers: ['ZTA 24569'],
  check(tenant, emit) {
    reportProtection(tenant, emit, FILEVAULT, {
      risk: "a lost or stolen Mac's startup disk can be read by anyone who has it in hand",
      create: 'Create a FileVault profile (Endpoint security > Disk encryption > macOS > FileVault) that enables FileVault and escrows the personal recovery key',
    });
  },
};

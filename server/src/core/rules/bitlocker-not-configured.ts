import { BASELINE_TEMPLATES } from '../kinds';
import type { Rule } from '../rule';
import { instancesChoosing, instancesOf, reportProtection, type Protection } from './configuration-helpers';

const REQUIRE = 'device_vendor_msft_bitlocker_requiredeviceencryption';
const ON = `${REQUIRE}_1`;

/**
 * Older template profiles (`deviceConfigurations`) and intents: "Encrypt devices" required (`bitLockerEncryptDevice`,
 * or `storageRequireDeviceEncryption`). The drive policies beside it shape an encryption that this switch starts
 * ("Settings are enforced only at the time encryption is started", BitLocker CSP:
 * https://learn.microsoft.com/windows/client-management/mdm/bitlocker-csp; an encryption method is "applied when you
 * turn on BitLocker"), and Graph returns all three with every endpoint protection profile, with their defaults: a
 * profile that only sets the firewall carries them. So they do not count (the Zero Trust Assessment's own check,
 * looser, takes any drive policy that is there).
 */
const legacy = (props: Record<string, unknown>): boolean => props.bitLockerEncryptDevice === true || props.storageRequireDeviceEncryption === true;

export const BITLOCKER: Protection = {
  id: 'bitlocker',
  oneSetting: true,
  platform: 'windows',
  // Windows encryption is in the co-management Endpoint Protection workload (https://learn.microsoft.com/mem/configmgr/comanage/workloads#endpoint-protection).
  workload: 'endpointProtection',
  name: 'BitLocker',
  setting: `\`${REQUIRE}\` set to \`${ON}\`, "Require Device Encryption: Enabled"`,
  enabling: (instances) => instancesChoosing(instances, REQUIRE, [ON]),
  decides: (i) => i.key === REQUIRE,
  nearMiss: (instances) => (instancesOf(instances, REQUIRE).length ? `sets \`${REQUIRE}\`, but not to \`${ON}\` (Enabled)` : undefined),
  legacy: { windows10EndpointProtectionConfiguration: legacy, windows10GeneralConfiguration: legacy },
  // The BitLocker CSP by hand: ./Device/Vendor/MSFT/BitLocker/RequireDeviceEncryption = 1.
  oma: { path: '/BitLocker/RequireDeviceEncryption', on: (v) => Number(v) === 1 },
  // The Windows and Defender for Endpoint baselines set BitLocker; Edge's holds only Edge's settings.
  baselines: [BASELINE_TEMPLATES.windows, BASELINE_TEMPLATES.defenderForEndpoint, BASELINE_TEMPLATES.windows365],
};

/** The tenant manages Windows with Intune, but no assigned profile requires BitLocker device encryption. */
export const bitlockerNotConfigured: Rule = {
  id: 'bitlocker-not-configured',
  title: 'No assigned profile requires BitLocker encryption on Windows',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-configuration/endpoint-security/encrypt-bitlocker-windows',
    'https://learn.microsoft.com/windows/client-management/mdm/bitlocker-csp#requiredeviceencryption',
  ],
  peers: ['ZTA 24550'],
  check(tenant, emit) {
    reportProtection(tenant, emit, BITLOCKER, {
      risk: 'a lost or stolen Windows laptop can be read by anyone who removes its disk or boots it from other media',
      change: 'set Require Device Encryption (`device_vendor_msft_bitlocker_requiredeviceencryption`) to Enabled',
      create: 'Create a BitLocker profile (Endpoint security > Disk encryption > Windows > BitLocker) with Require Device Encryption enabled and recovery keys backed up to Entra ID',
    });
  },
};

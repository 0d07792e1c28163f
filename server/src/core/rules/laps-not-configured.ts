import { BASELINE_TEMPLATES } from '../kinds';
import type { Rule } from '../rule';
import { instancesChoosing, instancesOf, reportProtection, type Protection } from './configuration-helpers';

const BACKUP = 'device_vendor_msft_laps_policies_backupdirectory';
/** Back up the password to Microsoft Entra ID (`_1`) or to Active Directory (`_2`); `_0` turns LAPS off. */
const ON = [`${BACKUP}_1`, `${BACKUP}_2`];

export const LAPS: Protection = {
  id: 'laps',
  oneSetting: true,
  platform: 'windows',
  // Windows LAPS is not in the co-management Endpoint Protection workload's list; Intune's LAPS policy is a settings
  // catalog policy, which the Device configuration slider controls whatever it holds
  // (https://learn.microsoft.com/mem/configmgr/comanage/workloads#device-configuration).
  workload: 'deviceConfiguration',
  name: 'Windows LAPS',
  setting: `\`${BACKUP}\` set to \`${ON[0]}\` (Entra ID) or \`${ON[1]}\` (Active Directory)`,
  enabling: (instances) => instancesChoosing(instances, BACKUP, ON),
  decides: (i) => i.key === BACKUP,
  nearMiss: (instances) => (instancesOf(instances, BACKUP).length ? `sets \`${BACKUP}\` to Disabled, which turns Windows LAPS off` : undefined),
  // The LAPS CSP by hand: ./Device/Vendor/MSFT/LAPS/Policies/BackupDirectory = 1 (Entra ID) or 2 (Active Directory).
  oma: { path: '/LAPS/Policies/BackupDirectory', on: (v) => [1, 2].includes(Number(v)) },
  // Of the known baselines, only the Windows ones may carry LAPS in their template defaults: Defender for Endpoint's
  // and Edge's do not.
  baselines: [BASELINE_TEMPLATES.windows, BASELINE_TEMPLATES.windows365],
};

/** The tenant manages Windows with Intune, but no assigned profile manages the local administrator password with Windows LAPS. */
export const lapsNotConfigured: Rule = {
  id: 'laps-not-configured',
  title: 'No assigned profile turns on Windows LAPS',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-security/laps/deploy-policy',
    'https://learn.microsoft.com/windows-server/identity/laps/laps-management-policy-settings',
  ],
  peers: ['ZTA 24560'],
  check(tenant, emit) {
    reportProtection(tenant, emit, LAPS, {
      risk: 'local administrator passwords are never rotated or backed up, and one password reused across devices lets an attacker move from one to the next',
      change: 'set Backup Directory (`device_vendor_msft_laps_policies_backupdirectory`) to Entra ID (or Active Directory)',
      create: 'Create a LAPS profile (Endpoint security > Account protection > Windows > Local admin password solution) with Backup Directory set to Entra ID (and the tenant\'s Entra ID LAPS switch on)',
    });
  },
};

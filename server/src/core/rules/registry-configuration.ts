/** Layer 5 rules: the configuration profiles and security settings a managed platform should have, configured and assigned. Each rule lives in its own file. */
import type { Rule } from '../rule';
import { asrRulesNotConfigured } from './asr-rules-not-configured';
import { baselineInstancesOverlap } from './baseline-instances-overlap';
import { bitlockerNotConfigured } from './bitlocker-not-configured';
import { defenderProtectionOff } from './defender-protection-off';
import { filevaultNotConfigured } from './filevault-not-configured';
import { filevaultRecoveryKeyNotEscrowed } from './filevault-recovery-key-not-escrowed';
import { lapsNotConfigured } from './laps-not-configured';
import { macosFirewallNotConfigured } from './macos-firewall-not-configured';
import { settingConflict } from './setting-conflict';
import { windowsSecurityBaselineMissing } from './windows-security-baseline-missing';

export const CONFIGURATION_RULES: Rule[] = [
  asrRulesNotConfigured,
  baselineInstancesOverlap,
  bitlockerNotConfigured,
  defenderProtectionOff,
  filevaultNotConfigured,
  filevaultRecoveryKeyNotEscrowed,
  lapsNotConfigured,
  macosFirewallNotConfigured,
  settingConflict,
  windowsSecurityBaselineMissing,
];

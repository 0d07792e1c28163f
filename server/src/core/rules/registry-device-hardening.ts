/** Layer 1, 2, 6 and 7 hardening rules: app protection, enrollment, device risk, Defender tamper protection and endpoint DLP settings. Each rule lives in its own file. */
import type { Rule } from '../rule';
import { appProtectionJailbreakNotBlocked } from './app-protection-jailbreak-not-blocked';
import { appProtectionOfflineWipe } from './app-protection-offline-wipe';
import { defenderTamperProtectionOff } from './defender-tamper-protection-off';
import { deviceRiskNotRequired } from './device-risk-not-required';
import { dlpNoDevicesLocation } from './dlp-no-devices-location';
import { dlpSimulationOnly } from './dlp-simulation-only';

export const DEVICE_HARDENING_RULES: Rule[] = [
  appProtectionJailbreakNotBlocked,
  appProtectionOfflineWipe,
  defenderTamperProtectionOff,
  deviceRiskNotRequired,
  dlpNoDevicesLocation,
  dlpSimulationOnly,
];

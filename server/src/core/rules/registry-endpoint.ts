/** Layer rules around Intune, Defender and Purview (the endpoint, threat and data teams' side). Each rule lives in its own file. */
import type { Rule } from '../rule';
import { appProtectionNotAssigned } from './app-protection-not-assigned';
import { appProtectionWeak } from './app-protection-weak';
import { appProtectionTargetsNoApp } from './app-protection-targets-no-app';
import { applePushCertificateExpiry } from './apple-push-certificate-expiry';
import { autopilotProfileAssignment } from './autopilot-profile-assignment';
import { complianceMissingBlockAction } from './compliance-missing-block-action';
import { complianceRequiresEnrollment } from './compliance-requires-enrollment';
import { defenderBaselinesMissing } from './defender-baselines-missing';
import { defenderRequiresOnboarding } from './defender-requires-onboarding';
import { deviceRiskRequiresDefender } from './device-risk-requires-defender';
import { dlpRequiresDefenderOnboarding } from './dlp-requires-defender-onboarding';
import { enrollmentRestrictionNotAssigned } from './enrollment-restriction-not-assigned';
import { enrollmentRestrictionShadowed } from './enrollment-restriction-shadowed';
import { licenseMissing } from './license-missing';

export const ENDPOINT_RULES: Rule[] = [
  appProtectionNotAssigned,
  appProtectionTargetsNoApp,
  appProtectionWeak,
  applePushCertificateExpiry,
  autopilotProfileAssignment,
  complianceMissingBlockAction,
  complianceRequiresEnrollment,
  defenderBaselinesMissing,
  defenderRequiresOnboarding,
  deviceRiskRequiresDefender,
  dlpRequiresDefenderOnboarding,
  enrollmentRestrictionNotAssigned,
  enrollmentRestrictionShadowed,
  licenseMissing,
];

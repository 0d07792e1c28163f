/** Layer 4 hardening rules: what the Conditional Access policies cover beyond compliant devices (the identity team's side). Each rule lives in its own file. */
import type { Rule } from '../rule';
import { caDeviceCodeFlowNotBlocked } from './ca-device-code-flow-not-blocked';
import { caDirectorySyncRoleTargeted } from './ca-directory-sync-role-targeted';
import { caGuestDeviceNotTrusted } from './ca-guest-device-not-trusted';
import { caMfaAdminsMissing } from './ca-mfa-admins-missing';
import { caMfaAllUsersMissing } from './ca-mfa-all-users-missing';
import { caPolicyTargetsNothing } from './ca-policy-targets-nothing';
import { caReportOnlyCompliancePrompts } from './ca-report-only-compliance-prompts';
import { caResilienceDefaultsDisabled } from './ca-resilience-defaults-disabled';
import { caRiskConditionsCombined } from './ca-risk-conditions-combined';
import { caSecurityInfoRegistrationUnprotected } from './ca-security-info-registration-unprotected';
import { caStrengthPlatformUnsupported } from './ca-strength-platform-unsupported';
import { caTokenProtectionUnsupported } from './ca-token-protection-unsupported';
import { caUnknownPlatformsNotBlocked } from './ca-unknown-platforms-not-blocked';

export const CA_HARDENING_RULES: Rule[] = [caDeviceCodeFlowNotBlocked, caDirectorySyncRoleTargeted, caGuestDeviceNotTrusted, caMfaAdminsMissing, caMfaAllUsersMissing, caPolicyTargetsNothing, caReportOnlyCompliancePrompts, caResilienceDefaultsDisabled, caRiskConditionsCombined, caSecurityInfoRegistrationUnprotected, caStrengthPlatformUnsupported, caTokenProtectionUnsupported, caUnknownPlatformsNotBlocked];

/** Layer 3 hardening rules: what each platform's compliance policies check (the endpoint team's side). Each rule lives in its own file. */
import type { Rule } from '../rule';
import { complianceActionIneffective } from './compliance-action-ineffective';
import { complianceDeviceAdminDeprecated } from './compliance-device-admin-deprecated';
import { complianceJailbreakNotBlocked } from './compliance-jailbreak-not-blocked';
import { complianceMacosIntegrity } from './compliance-macos-integrity';
import { complianceNotAssigned } from './compliance-not-assigned';
import { complianceOsMinimumNoFloor } from './compliance-os-minimum-no-floor';
import { complianceOsVersionUnmeetable } from './compliance-os-version-unmeetable';
import { complianceWindowsDeviceHealth } from './compliance-windows-device-health';
import { mdmAuthorityNotIntune } from './mdm-authority-not-intune';

export const COMPLIANCE_HARDENING_RULES: Rule[] = [complianceActionIneffective, complianceDeviceAdminDeprecated, complianceJailbreakNotBlocked, complianceMacosIntegrity, complianceNotAssigned, complianceOsMinimumNoFloor, complianceOsVersionUnmeetable, complianceWindowsDeviceHealth, mdmAuthorityNotIntune];

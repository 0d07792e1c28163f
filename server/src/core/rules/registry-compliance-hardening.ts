/** Layer 3 hardening rules: what each platform's compliance policies check (the endpoint team's side). Each rule lives in its own file. */
import type { Rule } from '../rule';
import { complianceJailbreakNotBlocked } from './compliance-jailbreak-not-blocked';
import { complianceNotAssigned } from './compliance-not-assigned';
import { complianceWindowsDeviceHealth } from './compliance-windows-device-health';

export const COMPLIANCE_HARDENING_RULES: Rule[] = [complianceJailbreakNotBlocked, complianceNotAssigned, complianceWindowsDeviceHealth];

/** Layer rules around Conditional Access (the identity team's side). Each rule lives in its own file. */
import type { Rule } from '../rule';
import { approvedAppGrantRetired } from './approved-app-grant-retired';
import { breakGlassNotExcluded } from './break-glass-not-excluded';
import { caGroupAlignment } from './ca-group-alignment';
import { caRequiresAppProtection } from './ca-requires-app-protection';
import { caRequiresCompliancePolicy } from './ca-requires-compliance-policy';
import { complianceDefaultCompliant } from './compliance-default-compliant';
import { legacyAuthNotBlocked } from './legacy-auth-not-blocked';

export const IDENTITY_RULES: Rule[] = [
  approvedAppGrantRetired,
  breakGlassNotExcluded,
  caGroupAlignment,
  caRequiresAppProtection,
  caRequiresCompliancePolicy,
  complianceDefaultCompliant,
  legacyAuthNotBlocked,
];

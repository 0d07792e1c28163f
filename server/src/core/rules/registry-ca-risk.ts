/** Layer 4 risk-based Conditional Access rules: whether the tenant answers Entra ID Protection's sign-in and user risk. Each rule lives in its own file. */
import type { Rule } from '../rule';
import { caSignInRiskNotCovered } from './ca-sign-in-risk-not-covered';
import { caUserRiskNotCovered } from './ca-user-risk-not-covered';

export const CA_RISK_RULES: Rule[] = [caSignInRiskNotCovered, caUserRiskNotCovered];

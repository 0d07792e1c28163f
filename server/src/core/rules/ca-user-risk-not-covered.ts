import type { PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { grantControlsOf } from '../tenant-query';
import { grantText, listText, policyLabel } from './ca-helpers';
import { checkRiskCoverage, EVERY_TIME, everyTimeSpan, hasEntraIdP2, withoutEveryTime, type RiskCoverage } from './ca-sign-in-risk-not-covered';

/** The grants that answer high user risk: a secure password change, risk remediation, or a block. */
const ANSWERS = ['passwordChange', 'riskRemediation', 'block'];

/**
 * Whether the grant is meant to answer user risk. One Graph would refuse as written (a password change without MFA,
 * risk remediation without an authentication strength, a password change for some apps) answers nothing: the shared
 * check counts that as its own shortfall (`refusalShortfalls`), so the message says it would meet it but Graph refuses it.
 */
function answers(p: PolicyFacts): boolean {
  return grantControlsOf(p).some((g) => ANSWERS.includes(g));
}

const USER_RISK: RiskCoverage = {
  key: 'userRiskLevels',
  levels: ['high'],
  answers,
  grantText: 'requires a password change (or risk remediation)',
};

/**
 * No enabled CA policy requires a secure password change for high user risk for All users, in a tenant with Entra ID
 * P2 that keeps its Conditional Access policies here.
 */
export const caUserRiskNotCovered: Rule = {
  id: 'ca-user-risk-not-covered',
  title: 'No Conditional Access policy requires a password change for high user risk',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-risk-based-user',
    'https://learn.microsoft.com/entra/id-protection/howto-identity-protection-configure-risk-policies',
  ],
  peers: ['MT.1013', 'MS.AAD.2.1v1'],
  emitsOn: ['manifest', 'ConditionalAccessPolicy'],
  check(tenant, emit) {
    // A policy that answers the risk without a full sign-in every time: information, naming it, with Learn's reason.
    if (hasEntraIdP2(tenant)) {
      for (const { p, levels } of withoutEveryTime(tenant, USER_RISK)) {
        emit({
          file: p,
          span: everyTimeSpan(p, 'userRiskLevels'),
          severity: 'information',
          message:
            `${policyLabel(p)} requires ${grantText(tenant, p)} at ${listText(levels.map((l) => `\`${l}\``))} user risk for All users, but without sign-in frequency "every time": ` +
            'the MFA it asks before the password change may be met by a claim the session already holds, rather than by a fresh sign-in of the account\'s owner. ' +
            'Learn\'s user risk policy sets Session > Sign-in frequency > Every time (Entra sets it itself on a policy that requires risk remediation), and lists risky users ' +
            `among the cases that need a fresh authentication every time. Add ${EVERY_TIME}`,
          data: { everyTime: true },
        });
      }
    }
    const finding = checkRiskCoverage(tenant, USER_RISK, (open, closest) =>
      `no enabled Conditional Access policy requires a secure password change for ${listText(open.map((l) => `\`${l}\``))} user risk for All users: ` +
      'an account Entra ID Protection believes compromised (a leaked password, threat intelligence) keeps signing in as before. ' +
      'Add a policy with `userRiskLevels: [high]` that requires `mfa` and `passwordChange` (operator AND), or risk remediation, with sign-in frequency "every time", ' +
      `for All users and All resources, excluding the break-glass accounts${closest}`,
    );
    if (finding) emit(finding);
  },
};

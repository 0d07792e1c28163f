import { isPlainObject } from '../document';
import type { Rule } from '../rule';
import { applyingCaPolicies, isReportOnly, policySpan } from '../tenant-query';
import { policyLabel } from './ca-helpers';

function levels(v: unknown): string[] {
  // `none` (the portal's "No risk") scopes a policy to sign-ins without that risk: a deliberate choice, not a risk
  // the policy responds to, so only the real levels count.
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== 'none' && x !== 'unknownFutureValue') : [];
}

/**
 * An active CA policy that sets both user risk and sign-in risk: Conditional Access applies a policy only when every
 * condition matches, so it acts only on a risky sign-in by a risky user, and misses each risk on its own.
 */
export const caRiskConditionsCombined: Rule = {
  id: 'ca-risk-conditions-combined',
  title: 'A Conditional Access policy sets both user risk and sign-in risk, so it acts only when both are present',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/entra/id-protection/howto-identity-protection-configure-risk-policies',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-policies',
  ],
  peers: ['MT.1049'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of applyingCaPolicies(tenant)) {
      const c = isPlainObject(p.spec?.conditions) ? p.spec.conditions : undefined;
      const user = levels(c?.userRiskLevels);
      const signIn = levels(c?.signInRiskLevels);
      if (!user.length || !signIn.length) continue;
      emit({
        file: p,
        span: policySpan(p, ['spec', 'conditions', 'signInRiskLevels'], 'key'),
        message:
          `${policyLabel(p)} sets both \`userRiskLevels\` (${user.join(', ')}) and \`signInRiskLevels\` (${signIn.join(', ')}): ` +
          'every condition of a policy must match, so it acts only when a risky user signs in with a risky sign-in, and lets a compromised account ' +
          '(user risk alone) or a suspicious sign-in (sign-in risk alone) through. Split it into a user risk policy and a sign-in risk policy, as Microsoft recommends',
        lowered: isReportOnly(p),
      });
    }
  },
};

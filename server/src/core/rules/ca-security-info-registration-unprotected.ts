import { asObject, spanAtPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related, REPORT_ONLY } from '../tenant-query';
import { modelOf } from '../model/index';
import { caStateKnown, grantRequiresMfa, listText, policyLabel } from './ca-helpers';
import { policiesOfKind } from '../reads';

/** The user action of registering MFA and SSPR methods (the combined security info registration). */
const REGISTER_SECURITY_INFO = 'urn:user:registersecurityinfo';


function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function targetsRegistration(p: PolicyFacts): boolean {
  return strings(asObject(asObject(p.spec?.conditions)?.applications)?.includeUserActions).includes(REGISTER_SECURITY_INFO);
}

/** Whether the policy has a location condition: some locations only, or all less some (trusted) ones. */
function hasLocationCondition(p: PolicyFacts): boolean {
  const locations = asObject(asObject(p.spec?.conditions)?.locations);
  const include = strings(locations?.includeLocations);
  return strings(locations?.excludeLocations).length > 0 || (include.length > 0 && !include.includes('All'));
}

/**
 * Whether the policy restricts registration: a location condition (as Maester's MT.1011 asks), or a grant that an
 * attacker holding only a password cannot meet (block, a compliant or hybrid-joined device, MFA or an
 * authentication strength, such as a Temporary Access Pass for the first registration).
 */
function restricts(p: PolicyFacts): boolean {
  if (hasLocationCondition(p)) return true;
  const grant = grantControlsOf(p);
  return grant.some((g) => g === 'block' || g === 'compliantDevice' || g === 'domainJoinedDevice') || grantRequiresMfa(p);
}

/** Every risk level a sign-in or a user can have: a condition that lists them all limits nothing. */
const ALL_RISK_LEVELS = ['none', 'low', 'medium', 'high'];

/**
 * The risk conditions that limit the policy to some sign-ins or users (`signInRiskLevels`, `userRiskLevels`): a
 * policy for risky users leaves everyone else's registration open.
 */
function riskLimits(p: PolicyFacts): string[] {
  const conditions = asObject(p.spec?.conditions);
  const out: string[] = [];
  for (const [key, label] of [['signInRiskLevels', 'sign-in risk'], ['userRiskLevels', 'user risk']] as const) {
    const levels = strings(conditions?.[key]);
    if (levels.length && !ALL_RISK_LEVELS.every((l) => levels.includes(l))) out.push(`${listText(levels.map((l) => `\`${l}\``), 'or')} ${label}`);
  }
  return out;
}

function conditionShortfalls(p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  const risk = riskLimits(p);
  if (risk.length) problems.push(`applies only at ${listText(risk)}`);
  if (!restricts(p)) problems.push('has no location condition and its grant is one a password alone meets');
  return problems;
}

function shortfalls(p: PolicyFacts): string[] {
  const state = p.spec?.state === REPORT_ONLY ? ['is report-only, so it blocks nothing'] : p.spec?.state !== 'enabled' ? ['is disabled'] : [];
  return [...state, ...conditionShortfalls(p)];
}

function nearMisses(tenant: TenantView): PolicyFacts[] {
  return policiesOfKind(tenant, 'ConditionalAccessPolicy').filter((p) => targetsRegistration(p) && shortfalls(p).length > 0);
}

/**
 * No enabled CA policy protects the registration of security info (MFA and SSPR methods) for All users, in a tenant
 * that keeps its Conditional Access policies here.
 */
export const caSecurityInfoRegistrationUnprotected: Rule = {
  id: 'ca-security-info-registration-unprotected',
  title: 'No Conditional Access policy protects security info registration',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'information',
  sources: ['https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-policy-registration'],
  peers: ['MT.1011'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest || !tenant.root) return;
    const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
    // A tenant with no CA policy files may keep them elsewhere: nothing here says how it protects registration.
    if (!ca.length) return;
    if (ca.some((p) => targetsRegistration(p) && !shortfalls(p).length)) return;
    // A policy whose `state` is missing or invalid may be deployed enabled: unknown, not missing.
    if (ca.some((p) => targetsRegistration(p) && !caStateKnown(p) && !conditionShortfalls(p).length)) return;
    // The policy may sit in a file that could not be read.
    if (modelOf(tenant).mayHide('ConditionalAccessPolicy')) return;
    const near = nearMisses(tenant);
    const best = [...near].sort((a, b) => shortfalls(a).length - shortfalls(b).length)[0];
    const closest = best ? `; ${policyLabel(best)} comes closest but ${listText(shortfalls(best))}` : '';
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        'no enabled Conditional Access policy protects security info registration for All users: whoever has a password ' +
        'can register their own MFA method on an account that has none yet, from anywhere. Add a policy for the user action ' +
        `\`${REGISTER_SECURITY_INFO}\` that allows it only from trusted locations or compliant devices, or requires MFA ` +
        `(a Temporary Access Pass for new users)${closest}`,
      related: near.map((p) => related(p, `targets security info registration but ${listText(shortfalls(p))}`)),
      data: {},
    });
  },
};

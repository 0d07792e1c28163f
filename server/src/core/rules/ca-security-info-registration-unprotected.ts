import { asObject, spanAtPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related, REPORT_ONLY } from '../tenant-query';
import { modelOf } from '../model/index';
import { caStateKnown, grantRequiresMfa, listText, policyLabel, riskLimits } from './ca-helpers';
import { policiesOfKind } from '../reads';

/** The user action of registering MFA and SSPR methods (the combined security info registration). */
const REGISTER_SECURITY_INFO = 'urn:user:registersecurityinfo';


function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function targetsRegistration(p: PolicyFacts): boolean {
  return strings(asObject(asObject(p.spec?.conditions)?.applications)?.includeUserActions).includes(REGISTER_SECURITY_INFO);
}

/** The policy's locations: those it applies in (none listed: everywhere) and those it leaves out. */
function locationsOf(p: PolicyFacts): { include: string[]; exclude: string[] } {
  const locations = asObject(asObject(p.spec?.conditions)?.locations);
  return { include: strings(locations?.includeLocations), exclude: strings(locations?.excludeLocations) };
}

/** Whether the policy applies everywhere but some (trusted) locations it leaves out: registration stays possible only there. */
function exemptsSomeLocations(p: PolicyFacts): boolean {
  const { include, exclude } = locationsOf(p);
  return exclude.length > 0 && (include.length === 0 || include.includes('All'));
}

/** Whether the policy applies in only some locations (`includeLocations` other than `All`): elsewhere it asks nothing. */
function onlySomeLocations(p: PolicyFacts): boolean {
  const { include } = locationsOf(p);
  return include.length > 0 && !include.includes('All');
}

/**
 * Whether the policy restricts registration wherever it happens: a grant that an attacker holding only a password
 * cannot meet (block, a compliant or hybrid-joined device, MFA or an authentication strength, such as a Temporary
 * Access Pass for the first registration), or a location condition that leaves registration open only in the
 * locations it exempts (as Maester's MT.1011 asks: all locations but the trusted ones). A policy that applies in some
 * locations only (`includeLocations` such as `AllTrusted`) leaves every other network open to a password.
 */
function restricts(p: PolicyFacts): boolean {
  if (onlySomeLocations(p)) return false;
  const grant = grantControlsOf(p);
  return grant.some((g) => g === 'block' || g === 'compliantDevice' || g === 'domainJoinedDevice') || grantRequiresMfa(p) || exemptsSomeLocations(p);
}

function conditionShortfalls(p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  const risk = riskLimits(p);
  if (risk.length) problems.push(`applies only at ${listText(risk)}`);
  if (!restricts(p)) {
    const grant = asObject(p.spec?.grantControls);
    const listed = (k: string): boolean => Array.isArray(grant?.[k]) && (grant![k] as unknown[]).length > 0;
    const noGrant = !grantControlsOf(p).length && !grant?.authenticationStrength && !listed('termsOfUse') && !listed('customAuthenticationFactors');
    problems.push(
      onlySomeLocations(p)
        ? 'applies only in some locations (`includeLocations`), so elsewhere a password alone registers'
        : noGrant
          ? 'has no location condition and no grant control, so it asks nothing of a sign-in'
          : 'has no location condition and its grant is one a password alone meets',
    );
  }
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
  peers: ['MT.1011', 'MS.AAD.3.8v1', 'ZTA 21806'],
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

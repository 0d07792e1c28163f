import { asObject, spanAtPath, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related } from '../tenant-query';
import { closestNote, grantOnlyThrough, listText, readSafeguard, riskLimits, type Safeguard, shortfallsOf, singleFactorStrength } from './ca-helpers';

/** The user action of registering MFA and SSPR methods (the combined security info registration). */
const REGISTER_SECURITY_INFO = 'urn:user:registersecurityinfo';

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
function restricts(tenant: TenantView, p: PolicyFacts): boolean {
  if (onlySomeLocations(p)) return false;
  if (grantControlsOf(p).includes('block') || exemptsSomeLocations(p)) return true;
  // Under OR, every control offered must be one a password alone cannot meet: app protection or terms of use beside
  // MFA let an attacker register from an app of their own.
  return grantOnlyThrough(tenant, p, STRONG);
}

/** The grant controls a password alone cannot meet. */
const STRONG = ['compliantDevice', 'domainJoinedDevice', 'mfa', 'authenticationStrength', 'customAuthenticationFactors'];

function conditionShortfalls(tenant: TenantView, p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  const risk = riskLimits(p);
  if (risk.length) problems.push(`applies only at ${listText(risk)}`);
  if (!restricts(tenant, p)) {
    const grant = asObject(p.spec?.grantControls);
    const listed = (k: string): boolean => Array.isArray(grant?.[k]) && (grant![k] as unknown[]).length > 0;
    // The grant falls short only by a strength a single factor meets (the model's `strengthFactors`): named.
    const weak = singleFactorStrength(tenant, p);
    const noGrant = !grantControlsOf(p).length && !grant?.authenticationStrength && !listed('termsOfUse') && !listed('customAuthenticationFactors');
    problems.push(
      onlySomeLocations(p)
        ? 'applies only in some locations (`includeLocations`), so elsewhere a password alone registers'
        : noGrant
          ? 'has no location condition and no grant control, so it asks nothing of a sign-in'
          : weak && grantOnlyThrough(tenant, p, [...STRONG, 'weakAuthenticationStrength'])
            ? `has no location condition and ${weak}`
            : 'has no location condition and its grant is one a password alone meets',
    );
  }
  return problems;
}

/** A policy that keeps security info registration from a password alone, for everyone. */
function registrationSafeguard(tenant: TenantView): Safeguard {
  return { does: 'enforces', meantAs: targetsRegistration, conditionShortfalls: (p) => conditionShortfalls(tenant, p) };
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
    const safeguard = registrationSafeguard(tenant);
    const reading = readSafeguard(tenant, safeguard);
    if (reading.met.length || reading.unknown) return;
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        'no enabled Conditional Access policy protects security info registration for All users: whoever has a password ' +
        'can register their own MFA method on an account that has none yet, from anywhere. Add a policy for the user action ' +
        `\`${REGISTER_SECURITY_INFO}\` that allows it only from trusted locations or compliant devices, or requires MFA ` +
        `(a Temporary Access Pass for new users)${closestNote(safeguard, reading)}`,
      related: reading.near.map((p) => related(p, `targets security info registration but ${listText(shortfallsOf(safeguard, p))}`)),
      data: {},
    });
  },
};

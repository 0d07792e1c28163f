import { appMatches, OFFICE365_APPS } from '../whatif/conditions';
import { asObject, spanAtPath, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related, REPORT_ONLY } from '../tenant-query';
import { modelOf } from '../model/index';
import { caStateKnown, closestNote, coversAllApps, grantRequiresMfa, listText, narrowingConditions, policyLabel, readSafeguard, riskLimits, type Safeguard, shortfallsOf, stagedPolicyFix, stateShortfalls } from './ca-helpers';
import { policiesOfKind } from '../reads';
import { clientAppCoverage, guestsOf } from '../model/sign-in-scope';

/** What keeps a policy from requiring MFA for All users on All apps, its state aside. */
function conditionShortfalls(p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  if (!coversAllApps(p)) problems.push('does not cover All cloud apps');
  // A policy for risky sign-ins or users asks nothing of a sign-in at no risk (as the admin MFA rule reads it).
  const risk = riskLimits(p);
  if (risk.length) problems.push(`applies only at ${listText(risk)}`);
  if (!grantRequiresMfa(p)) problems.push('does not require MFA or an authentication strength');
  return problems;
}

/** A policy that requires MFA (or an authentication strength) of All users on All cloud apps. */
const SAFEGUARD: Safeguard = { does: 'enforces', meantAs: grantRequiresMfa, conditionShortfalls };

/** The tenant's enabled policy that requires MFA for All users on All cloud apps, if it has one. */
export function allUsersMfaPolicy(tenant: TenantView): PolicyFacts | undefined {
  return readSafeguard(tenant, SAFEGUARD).met[0];
}

/** The guest type every guest policy names: B2B collaboration guests, the partners invited to the tenant. */
const B2B_GUEST = 'b2bCollaborationGuest';

/** A policy's guest condition of one side (see `guestsOf`), for B2B guests of every organisation. */
function allB2bGuests(p: PolicyFacts, key: 'includeGuestsOrExternalUsers' | 'excludeGuestsOrExternalUsers'): boolean {
  const g = guestsOf((p.spec?.conditions as Record<string, unknown> | undefined)?.users, key);
  return !!g && g.tenants === undefined && g.types.includes(B2B_GUEST);
}

/** Whether a policy leaves B2B guests of every organisation out (`GuestsOrExternalUsers`, or their type). */
function excludesGuests(p: PolicyFacts): boolean {
  return caUsers(p).excludeUsers.includes('GuestsOrExternalUsers') || allB2bGuests(p, 'excludeGuestsOrExternalUsers');
}

/**
 * Whether an enabled policy requires MFA of B2B guests (of every organisation), or blocks them, on the apps it targets.
 * A policy for groups counts too: a dynamic group of guests is the common way, and the manifest cannot say who is in
 * it (unknown, not missing). Which apps together the guest policies cover is `guestsCovered`'s.
 */
function guestPolicy(p: PolicyFacts, anyState = false): boolean {
  // A policy for risky sign-ins asks nothing of a guest signing in at no risk.
  if ((!anyState && stateShortfalls(p, 'enforces').length) || riskLimits(p).length) return false;
  if (!grantRequiresMfa(p) && !grantControlsOf(p).includes('block')) return false;
  // It must reach every modern sign-in (`everyGuestSignIn`), an MFA policy as a block: What If lets a guest in with a
  // password alone wherever it does not.
  if (!everyGuestSignIn(p)) return false;
  // A guest policy that leaves B2B guests out asks nothing of them (Maester's MT.1016 fails any guest exclusion).
  if (excludesGuests(p)) return false;
  const users = caUsers(p);
  if (users.includeGroups.length) return true;
  if (users.includeUsers.includes('All')) return true;
  return users.includeUsers.includes('GuestsOrExternalUsers') || allB2bGuests(p, 'includeGuestsOrExternalUsers');
}

const appsOf = (p: PolicyFacts, key: 'includeApplications' | 'excludeApplications'): string[] => strings(asObject(asObject(p.spec?.conditions)?.applications)?.[key]);

/** An app no policy names: what a policy on All cloud apps reaches beyond those it names. */
const ANY_OTHER_APP = 'any-other-app';
/**
 * Another app of the Office 365 suite than the members What If names (Office.com, OneDrive, Planner, Forms…): only a
 * policy on `Office365` or All cloud apps takes it in.
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#office-365
 */
const OTHER_OFFICE365_APP = 'another-office365-app';

/**
 * Whether the enabled guest policies (MFA or a block, `guestPolicy`) together cover every cloud app: each app any of
 * them names (Office 365 as its members), and any other, is taken in by one that does not exclude it, as What If
 * matches apps (`appMatches`). A block of every app but Office 365 beside an MFA policy for guests on Office 365
 * covers them; either alone leaves a door a password opens, as What If shows ("allowed (no enforced policy applies)").
 */
function guestsCovered(ca: readonly PolicyFacts[]): boolean {
  const policies = ca.filter((p) => guestPolicy(p));
  const named = new Set(policies.flatMap((p) => [...appsOf(p, 'includeApplications'), ...appsOf(p, 'excludeApplications')]));
  const suite = [...named].some((a) => a === 'Office365' || OFFICE365_APPS[a.toLowerCase()] !== undefined);
  const apps = [...[...named].flatMap((a) => (a === 'Office365' ? Object.keys(OFFICE365_APPS) : a === 'All' || a === 'None' ? [] : [a])), ANY_OTHER_APP, ...(suite ? [OTHER_OFFICE365_APP] : [])];
  const matches = (ref: string, app: string): boolean => (app === OTHER_OFFICE365_APP ? ref === 'All' || ref === 'Office365' : appMatches(ref, app));
  const takesIn = (p: PolicyFacts, app: string): boolean => appsOf(p, 'includeApplications').some((r) => matches(r, app)) && !appsOf(p, 'excludeApplications').some((r) => matches(r, app));
  return apps.every((app) => policies.some((p) => takesIn(p, app)));
}

/**
 * Whether a guest policy (a block, or MFA) reaches every modern sign-in: it covers browsers and mobile and desktop apps,
 * and no condition narrows it to some sign-ins (`narrowingConditions`: some platforms or locations, a device filter, an
 * authentication flow such as the device code flow, some risk levels). A block of legacy clients alone (the persona
 * framework's "guests: block legacy authentication"), or MFA outside trusted locations, in browsers or on one platform
 * leaves a password alone enough elsewhere. (The apps it leaves out are `guestsCovered`'s.)
 */
function everyGuestSignIn(p: PolicyFacts): boolean {
  const clients = clientAppCoverage(p);
  return clients.browser && clients.apps && !narrowingConditions(p).length;
}

/**
 * No enabled CA policy requires MFA (or an authentication strength) for All users on All cloud apps, in a tenant
 * that keeps its Conditional Access policies here. Exclusions (break-glass accounts, guests, service accounts) and
 * other conditions do not disqualify a policy, as in Maester's MT.1007.
 */
export const caMfaAllUsersMissing: Rule = {
  id: 'ca-mfa-all-users-missing',
  title: 'No Conditional Access policy requires MFA for all users',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-policy-all-users-mfa',
    'https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths',
  ],
  peers: ['MT.1007', 'MS.AAD.3.2v1'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest || !tenant.root) return;
    const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
    const reading = readSafeguard(tenant, SAFEGUARD);
    const allUsers = reading.met;
    if (allUsers.length) {
      // Every MFA policy for All users leaves the guests out, and no policy asks MFA of them: the resource tenant is
      // responsible for its guests' MFA, whatever their home tenant does (Learn: b2b-tutorial-require-mfa).
      if (!allUsers.every(excludesGuests) || guestsCovered(ca)) return;
      if (ca.some((p) => !caStateKnown(p)) || modelOf(tenant).mayHide('ConditionalAccessPolicy')) return;
      const pending = ca.filter((p) => p.spec?.state === REPORT_ONLY && guestPolicy(p, true));
      emit({
        file: manifest,
        span: spanAtPath(manifest.parsed, ['kind'], 'value'),
        message:
          `${listText(allUsers.map(policyLabel))} ${allUsers.length === 1 ? 'requires' : 'require'} MFA of All users but ${allUsers.length === 1 ? 'excludes' : 'exclude'} guests and external users, and no enabled ` +
          'policy requires MFA of them on All cloud apps: a partner\'s guest account signs in with a password alone. The resource tenant is ' +
          'responsible for its guests\' MFA (their home tenant\'s MFA counts only where cross-tenant access trusts it, and still only when a policy asks). ' +
          'Add a policy for `GuestsOrExternalUsers` (B2B collaboration guests and members at least) on All cloud apps that requires `mfa` or an authentication strength',
        related: [...allUsers.map((p) => related(p, 'requires MFA of All users, but excludes guests')), ...pending.map((p) => related(p, 'covers guests, but is report-only, so it asks nothing yet'))],
        data: { guests: true },
      });
      return;
    }
    if (reading.unknown) return;
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        'no enabled Conditional Access policy requires MFA for All users on All cloud apps: a stolen or sprayed password ' +
        'alone signs in wherever no other policy asks for more. Add a policy for All users and All cloud apps that requires ' +
        `\`mfa\` or an authentication strength (excluding the break-glass accounts)${closestNote(SAFEGUARD, reading)}`,
      related: reading.near.map((p) => related(p, `requires MFA but ${listText(shortfallsOf(SAFEGUARD, p))}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    // Guests left out of the All users policy: which policy takes them (and which guest types) is the identity team's call.
    if ((finding.data as { guests?: boolean } | undefined)?.guests) return [];
    // An MFA policy already staged in report-only: enabling it is a person's call after the sign-in logs.
    if (readSafeguard(tenant, SAFEGUARD).staged) return [];
    return [
      stagedPolicyFix(tenant, 'require-mfa-all-users', {
      description: 'Require multifactor authentication for all users on all cloud apps',
      displayName: 'All users - Require MFA',
      users: { includeUsers: ['All'] },
      conditions: { clientAppTypes: ['all'] },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    }, HEADER),
    ];
  },
};

const HEADER = [
  'Layer 4: created by the ca-mfa-all-users-missing quick fix. A password alone should sign in nowhere.',
  'Report-only first: check the sign-in logs (Report-only tab) for service accounts and users without a registered',
  'method, exclude only the documented ones, then set state: enabled.',
];

/**
 * Does a Conditional Access policy apply to the sign-in: each condition it sets (users, target resources,
 * platforms, client apps, locations, risk, and those no offline scenario meets), checked in Entra's order with
 * exclusions winning over inclusions, and the reason in words.
 */
import type { TenantView } from '../rule';
import { resolveGroup } from '../model/groups';
import { roleId, roleLabel } from '../model/break-glass';
import { guestsOf, targetResources, transferFlows } from '../model/sign-in-scope';
import { excludedGuestGroups, guestMatch, guestReach, MEMBER_GUEST_TYPES } from '../model/guests';
import { modelOf } from '../model/index';
import { COMPLIANT_NETWORK, isCompliantNetwork, locationLabel, locationTrust, trustedLocationIs } from '../model/named-locations';
import { USER_ACTIONS, type ResolvedScenario } from './scenario';
import { list, lower, obj, strings } from './values';
import { listText } from '../prose';

/** The conditions of a policy, as the evaluation names them. */
export type ConditionName = 'users' | 'applications' | 'platforms' | 'clientAppTypes' | 'locations' | 'signInRisk' | 'userRisk' | 'insiderRisk' | 'authenticationFlows' | 'other';

/** One condition of a policy against the scenario. */
export interface ConditionCheck {
  condition: ConditionName;
  matches: boolean;
  /** Why, in words: "member of grp-admins (includeGroups)", "excluded: user is in excludeGroups grp-breakglass". */
  detail: string;
  /**
   * A condition that matches only perhaps, what the files do not say deciding it (a trusted location the policy names
   * by id, where the folder shows several trusted locations): the clause that says on what it hangs ("unless the
   * trusted location is …"). The policy is evaluated as applying, and its block is a doubt, never the verdict.
   */
  doubt?: string;
  /**
   * For a users condition that takes the user in: whom it takes them in as ("All users", "member of grp-admins
   * (includeGroups)"), what `detail` says after "user: " (the lockout check lists several accounts' by it).
   */
  who?: string;
  /**
   * For a platforms condition that takes the sign-in in through `includePlatforms: [all]`: the platforms it excludes.
   * What a fix reads (a block of unknown platforms that takes in a platform in use: add it to `excludePlatforms`).
   */
  allPlatformsExcept?: string[];
}

/** A few well-known members of the Office 365 app suite, so a policy on one of them meets a scenario on `Office365`. */
export const OFFICE365_APPS: Readonly<Record<string, string>> = {
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
  '00000003-0000-0ff1-ce00-000000000000': 'Office 365 SharePoint Online',
  'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe': 'Microsoft Teams Services',
};

/** Every condition the policy sets, checked against the scenario (a condition the policy leaves out is not listed). */
export function conditionChecks(tenant: TenantView, conditions: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck[] {
  return [
    usersCheck(tenant, obj(conditions?.users), obj(conditions?.clientApplications), s),
    applicationsCheck(obj(conditions?.applications), s),
    platformsCheck(obj(conditions?.platforms), s),
    clientAppsCheck(strings(conditions?.clientAppTypes), s),
    locationsCheck(tenant, obj(conditions?.locations), s),
    riskCheck('signInRisk', 'signInRiskLevels', 'sign-in risk', strings(conditions?.signInRiskLevels), s.signInRisk),
    riskCheck('userRisk', 'userRiskLevels', 'user risk', strings(conditions?.userRiskLevels), s.userRisk),
    insiderRiskCheck(conditions?.insiderRiskLevels, s),
    flowsCheck(conditions, s),
    ...otherChecks(conditions),
  ].filter((c): c is ConditionCheck => c !== undefined);
}

function usersCheck(tenant: TenantView, u: Record<string, unknown> | undefined, clientApps: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck {
  const manifest = tenant.manifest;
  if (!u) {
    if (clientApps) return { condition: 'users', matches: false, detail: 'not applied: the policy targets workload identities (service principals), not users' };
    return { condition: 'users', matches: false, detail: 'not applied: the policy has no users condition' };
  }
  const includeUsers = strings(u.includeUsers);
  const excludeUsers = strings(u.excludeUsers);
  const groupName = (ref: string): string => (manifest ? resolveGroup(manifest, ref) : undefined) ?? ref;
  const groupText = (ref: string): string => (groupName(ref) !== ref ? `${groupName(ref)} (by id ${ref})` : ref);
  const inGroup = (ref: string): { name: string; via: 'named' | 'members' } | undefined => s.groups.find((g) => g.name === groupName(ref) || lower(g.name) === lower(ref));
  const isUser = (ref: string): boolean => !!s.upn && (lower(ref) === lower(s.upn) || s.aliases.includes(lower(ref)));
  // Which guests the policy takes in or leaves out: the model's one reading (`guestReach`), for the scenario's guest
  // type and home tenant when it names them, else for a guest of any type or tenant the policy names (`some`: the
  // detail says so).
  const guest = { ...(s.guestType ? { type: s.guestType } : {}), ...(s.guestTenant ? { tenant: s.guestTenant } : {}) };
  const guestMatches = (side: 'include' | 'exclude'): 'yes' | 'no' | 'some' => guestMatch(guestReach(u, side), guest);
  // Exclusions first: they win over every inclusion.
  const exUser = excludeUsers.find(isUser);
  if (exUser) return { condition: 'users', matches: false, detail: `excluded: excludeUsers lists ${exUser}` };
  const exGuest = s.guest ? guestMatches('exclude') : 'no';
  if (exGuest === 'yes') {
    const scope = excludeUsers.includes('GuestsOrExternalUsers') ? '' : guestScope(guestsOf(u, 'excludeGuestsOrExternalUsers'), exGuest, s.guestType, s.guestTenant);
    return { condition: 'users', matches: false, detail: `excluded: guests and external users are excluded${scope}` };
  }
  // An exclusion of some guest types or tenants only, when the scenario does not say which the guest is (`some`): the
  // policy may apply, so it is evaluated as applying (as an inclusion of some is), and the detail says on what it hangs.
  const exNote = exGuest === 'some' ? exclusionScope(guestsOf(u, 'excludeGuestsOrExternalUsers'), s.guestType, s.guestTenant) : '';
  for (const ref of strings(u.excludeGroups)) {
    const g = inGroup(ref);
    if (g) return { condition: 'users', matches: false, detail: `excluded: user is in excludeGroups ${groupText(ref)}${g.via === 'members' ? ' (a member, by the manifest)' : ''}` };
  }
  // A group of guests it excludes (named or described as guests: the model's one reading, `excludedGuestGroups`, as
  // ca-mfa-all-users-missing reads it), that the scenario does not place the guest in: the guest may be in it, unless
  // of a type no group holds (a B2B direct connect or service provider user has no user object here).
  const guestGroupsOut = s.guest && (!s.guestType || MEMBER_GUEST_TYPES.includes(s.guestType)) ? excludedGuestGroups(u, modelOf(tenant).groups).groups : [];
  const one = guestGroupsOut.length === 1;
  const groupNote = guestGroupsOut.length
    ? `; it excludes ${one ? guestGroupsOut[0] : list(guestGroupsOut)}, ${one ? 'a group' : 'groups'} of guests by ${one ? 'its' : 'their'} name or description in zerotrust.yaml, so it applies unless the guest is in ${one ? 'it' : 'one of them'} (the scenario does not say which groups the guest is in; --user ${guestGroupsOut[0]} says so)`
    : '';
  const applies = (who: string): ConditionCheck => ({ condition: 'users', matches: true, detail: `user: ${who}${exNote}${groupNote}`, who: `${who}${exNote}${groupNote}` });
  const exRole = strings(u.excludeRoles).find((r) => s.roles.includes(roleId(r)));
  if (exRole) return { condition: 'users', matches: false, detail: `excluded: role ${roleLabel(exRole)} is in excludeRoles` };
  // Inclusions.
  if (includeUsers.includes('None') && includeUsers.length === 1 && !strings(u.includeGroups).length && !strings(u.includeRoles).length) {
    // A workload identity policy says `None` for users and names its service principals in `clientApplications`.
    const workloads = clientApps && Object.entries(clientApps).some(([k, v]) => /^include|Filter$/.test(k) && v !== null && !(Array.isArray(v) && !v.length));
    const detail = workloads ? 'not applied: the policy targets workload identities (service principals), not users' : 'not applied: includeUsers is None (the policy targets nobody)';
    return { condition: 'users', matches: false, detail };
  }
  if (includeUsers.includes('All')) return applies('All users');
  const inUser = includeUsers.find(isUser);
  if (inUser) return applies('listed in includeUsers');
  const inGuest = s.guest ? guestMatches('include') : 'no';
  if (inGuest !== 'no') {
    const scope = includeUsers.includes('GuestsOrExternalUsers') ? '' : guestScope(guestsOf(u, 'includeGuestsOrExternalUsers'), inGuest, s.guestType, s.guestTenant);
    return applies(`guests and external users${scope}`);
  }
  for (const ref of strings(u.includeGroups)) {
    const g = inGroup(ref);
    if (g) return applies(`member of ${groupText(ref)} (includeGroups)`);
  }
  const inRole = strings(u.includeRoles).find((r) => s.roles.includes(roleId(r)));
  if (inRole) return applies(`role ${roleLabel(inRole)} (includeRoles)`);
  const targets: string[] = [];
  const named = includeUsers.filter((x) => x !== 'None');
  if (named.length) targets.push(`includeUsers ${list(named)}`);
  if (strings(u.includeGroups).length) targets.push(`includeGroups ${list(strings(u.includeGroups).map(groupName))}`);
  const roles = strings(u.includeRoles);
  if (roles.length) targets.push(`includeRoles (${roles.length === 1 ? roleLabel(roles[0]!) : `${roles.length} roles`}${s.roles.length ? '' : '; the scenario names no role'})`);
  if (u.includeGuestsOrExternalUsers) {
    const types = guestsOf(u, 'includeGuestsOrExternalUsers')?.types.filter((t) => t !== 'none') ?? [];
    targets.push(`guests or external users${s.guestType && types.length ? ` (${types.join(', ')})` : ''}`);
  }
  return { condition: 'users', matches: false, detail: `not applied: user is not in ${targets.join(' or ') || 'the policy\'s users'}` };
}

/**
 * What a guest condition narrows to, when it names only some guest types or external tenants. A scenario's guest of a
 * named type is that type; one of no named type, or of some tenants only (`some`), is taken to be one of them (the
 * scenario does not say which kind of guest, nor from which tenant), and the detail says so.
 */
function guestScope(g: ReturnType<typeof guestsOf>, match: 'yes' | 'no' | 'some', type: string | undefined, tenant: string | undefined): string {
  if (!g) return '';
  const types = g.types.filter((t) => t !== 'none');
  const members = g.tenants ?? [];
  const home = tenant && members.length ? `home tenant ${tenant}` : '';
  if (match === 'yes') return type || home ? ` (${[type, home].filter(Boolean).join(', ')})` : '';
  const parts = [...(types.length ? [types.join(', ')] : []), ...(members.length ? [`of ${members.length === 1 ? 'one named tenant' : `${members.length} named tenants`}`] : [])];
  if (!parts.length) return '';
  // The home tenant named, only the kind of guest is left unsaid.
  if (tenant) return ` (only ${parts.join(' ')}: the guest from ${tenant} is taken to be one, as the scenario does not say which kind of guest; --guest-type names it)`;
  return type
    ? ` (only ${parts.join(' ')}: the ${type} guest is taken to be of one of those tenants, as the scenario does not say which; --guest-tenant names it)`
    : ` (only ${parts.join(' ')}: the guest is taken to be one, as the scenario does not say which kind of guest or tenant; --guest-type names it)`;
}

/**
 * What a guest exclusion of some types or tenants leaves the scenario's guest to: the policy applies unless the guest is
 * of one of them, which the scenario does not say (the guest's home tenant; without --guest-type, the kind of guest).
 */
function exclusionScope(g: ReturnType<typeof guestsOf>, type: string | undefined, tenant: string | undefined): string {
  if (!g) return '';
  const types = g.types.filter((t) => t !== 'none');
  const members = g.tenants ?? [];
  const tenants = members.length ? ` of ${members.length === 1 ? 'one named tenant' : `${members.length} named tenants`}` : '';
  const what = `${types.length ? types.join(', ') : 'guests'}${tenants}`;
  if (tenant) return `; it excludes ${what}, so it applies unless the guest from ${tenant} is of a type it excludes (the scenario does not say which kind of guest; --guest-type names it)`;
  return type && members.length
    ? `; it excludes ${what}, so it applies unless the ${type} guest's home tenant is ${members.length === 1 ? 'that one' : 'one of those'} (the scenario does not say which; --guest-tenant names it)`
    : `; it excludes ${what}, so it applies unless the guest is one of those (the scenario does not say which kind of guest or tenant; --guest-type names the kind)`;
}

/**
 * Whether a reference in include/excludeApplications names the scenario's app. With `All` the scenario reaches every
 * app. `Office365` holds Exchange Online, SharePoint Online and Teams. What If and the guest coverage check read it.
 */
export function appMatches(ref: string, app: string): boolean {
  if (ref === 'All') return true;
  if (app === 'All') return true;
  if (lower(ref) === lower(app)) return true;
  if (ref === 'Office365' && OFFICE365_APPS[lower(app)]) return true;
  if (app === 'Office365' && OFFICE365_APPS[lower(ref)]) return true;
  return false;
}

/** A user action as a policy writes it (`urn:user:registersecurityinfo`) and as Graph's What If names it. */
function userActionText(urn: string): string {
  const name = (Object.keys(USER_ACTIONS) as (keyof typeof USER_ACTIONS)[]).find((k) => USER_ACTIONS[k] === lower(urn));
  return name ? `${name} (${urn})` : urn;
}

/**
 * The target resources condition. A sign-in is one of three things, as Graph's What If has it (`signInContext`: an
 * application, a user action, or an authentication context; https://learn.microsoft.com/graph/api/resources/signincontext),
 * and the model's one reading of what a policy targets (`targetResources`) decides it:
 * - a user action (registering security info, registering or joining a device) meets only the policies whose
 *   `includeUserActions` holds it: a policy for All resources is a policy for apps, and targets no user action
 *   (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#user-actions:
 *   a policy is defined "not based on a cloud application but on a user action");
 * - an authentication context meets the policies that include it; named with an app, the policies for the app too, as
 *   the context is asked for in the app's own token request (a client asks for a token with the context in its claims:
 *   https://learn.microsoft.com/entra/identity-platform/developer-guide-conditional-access-authentication-context);
 *   named alone, the context alone, as Graph's What If evaluates it;
 * - an app meets the policies that include it and do not exclude it.
 */
function applicationsCheck(a: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck {
  const include = strings(a?.includeApplications);
  const exclude = strings(a?.excludeApplications);
  // User actions and authentication contexts, as the model reads them (`targetResources`, which ca-group-alignment reads too).
  const { apps, userActions: actions, authenticationContexts: contexts } = targetResources(a);
  const targets = (): string => {
    const parts = [
      ...(apps.length ? [`apps (includeApplications ${list(apps)})`] : []),
      ...(actions.length ? [`the user action${actions.length > 1 ? 's' : ''} ${listText(actions.map(userActionText), 'and')}`] : []),
      ...(contexts.length ? [`the authentication context${contexts.length > 1 ? 's' : ''} ${listText(contexts, 'and')}`] : []),
    ];
    return parts.length ? listText(parts, 'and') : 'no app, user action or authentication context';
  };
  if (s.userAction) {
    const action = userActionText(s.userAction);
    if (actions.some((x) => lower(x) === s.userAction)) return { condition: 'applications', matches: true, detail: `user action: ${action} in includeUserActions` };
    return { condition: 'applications', matches: false, detail: `not applied: the sign-in is the user action ${action}, and the policy targets ${targets()}` };
  }
  const context = s.authContext && contexts.some((x) => lower(x) === s.authContext) ? s.authContext : undefined;
  if (context) return { condition: 'applications', matches: true, detail: `authentication context: ${context} in includeAuthenticationContextClassReferences` };
  const app = s.app;
  if (app === undefined) {
    // An authentication context named alone (a user action is answered above).
    return { condition: 'applications', matches: false, detail: `not applied: the sign-in is the authentication context ${s.authContext ?? ''} alone, and the policy targets ${targets()}${apps.length ? ' (--app names the app that asks for the context: its policies apply to that sign-in too)' : ''}` };
  }
  const withContext = s.authContext ? ` (nor authentication context ${s.authContext})` : '';
  if (!include.length || (include.length === 1 && include[0] === 'None')) {
    if (actions.length || contexts.length) return { condition: 'applications', matches: false, detail: `not applied: the policy targets ${targets()}, not app sign-ins${withContext}` };
    return { condition: 'applications', matches: false, detail: 'not applied: includeApplications names no app' };
  }
  const hit = include.find((ref) => appMatches(ref, app));
  if (!hit) return { condition: 'applications', matches: false, detail: `not applied: app ${app} not in includeApplications ${list(include)}${withContext}` };
  if (app === 'All') {
    // Every app: the policy applies unless it excludes everything it includes.
    const left = include.filter((ref) => ref === 'All' || !exclude.some((x) => lower(x) === lower(ref)));
    if (!left.length) return { condition: 'applications', matches: false, detail: `excluded: every app in includeApplications is in excludeApplications ${list(exclude)}` };
    return { condition: 'applications', matches: true, detail: `app: ${include.includes('All') ? 'All cloud apps' : `${list(include)} (part of every app)`}` };
  }
  const ex = exclude.find((ref) => appMatches(ref, app));
  if (ex) return { condition: 'applications', matches: false, detail: `excluded: app ${app} is in excludeApplications${ex !== app ? ` (${ex})` : ''}` };
  const how = hit === 'All' ? `All cloud apps (${app})` : lower(hit) === lower(app) ? `${app} in includeApplications` : app === 'Office365' ? `Office365 holds ${OFFICE365_APPS[lower(hit)] ?? hit} (${hit}, in includeApplications)` : `${app} is part of ${hit} (in includeApplications)`;
  return { condition: 'applications', matches: true, detail: `app: ${how}` };
}

function platformsCheck(pl: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck {
  const include = strings(pl?.includePlatforms);
  const exclude = strings(pl?.excludePlatforms);
  const p = s.platform;
  if (exclude.some((x) => lower(x) === lower(p) || x === 'all')) return { condition: 'platforms', matches: false, detail: `excluded: platform ${p} in excludePlatforms ${list(exclude)}` };
  if (!pl || !include.length) return { condition: 'platforms', matches: true, detail: 'platform: any (no platform condition)' };
  if (include.includes('all')) return { condition: 'platforms', matches: true, detail: `platform: all${exclude.length ? ` except ${exclude.join(', ')}` : ''}`, allPlatformsExcept: exclude };
  if (include.some((x) => lower(x) === lower(p))) return { condition: 'platforms', matches: true, detail: `platform: ${p} in includePlatforms` };
  return { condition: 'platforms', matches: false, detail: `not applied: platform ${p} not in includePlatforms ${list(include)}` };
}

function clientAppsCheck(types: string[], s: ResolvedScenario): ConditionCheck {
  if (!types.length || types.includes('all')) return { condition: 'clientAppTypes', matches: true, detail: 'client app: any' };
  // `easSupported` is an older spelling of Exchange ActiveSync.
  const hit = types.includes(s.clientApp) || (s.clientApp === 'exchangeActiveSync' && types.includes('easSupported'));
  if (hit) return { condition: 'clientAppTypes', matches: true, detail: `client app: ${s.clientApp} in clientAppTypes` };
  return { condition: 'clientAppTypes', matches: false, detail: `not applied: client app ${s.clientApp} not in clientAppTypes ${list(types)}` };
}

function locationsCheck(tenant: TenantView, l: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck | undefined {
  const include = strings(l?.includeLocations);
  const exclude = strings(l?.excludeLocations);
  if (!include.length && !exclude.length) return undefined;
  const loc = s.location;
  const label = loc === undefined ? 'an untrusted location' : loc === 'trusted' ? 'a trusted location' : `location ${loc}`;
  // The tenant's named locations, the model's one reading: which ids are trusted, and which the folder does not export
  // (whether those are trusted is unknown, never "not trusted"). A scenario's "a trusted location" is the folder's one
  // trusted location, or perhaps one of several (or one a file not analysed may hold, or one it does not export).
  const locations = modelOf(tenant).namedLocations;
  const matches = (ref: string): 'yes' | 'no' | 'maybe' => {
    if (ref === 'All') return 'yes';
    // The Global Secure Access compliant network is no named location: a sign-in is in it when it comes through the
    // Global Secure Access client, which the scenario says (`compliantNetwork`) or leaves unknown.
    if (isCompliantNetwork(ref)) return loc !== undefined && lower(ref) === lower(loc) ? 'yes' : s.compliantNetwork === undefined ? (loc === undefined ? 'no' : 'maybe') : s.compliantNetwork ? 'yes' : 'no';
    if (ref === 'AllTrusted') {
      if (loc === undefined) return 'no';
      if (loc === 'trusted') return 'yes';
      const trust = locationTrust(locations, loc);
      return trust === 'trusted' ? 'yes' : trust === 'unknown' ? 'maybe' : 'no';
    }
    if (loc === undefined) return 'no';
    if (lower(ref) === lower(loc)) return 'yes';
    return loc === 'trusted' ? trustedLocationIs(locations, ref) : 'no';
  };
  const which = (ref: string): string => (ref === 'All' || ref === 'AllTrusted' ? ref : locationLabel(locations, ref));
  const notExported = (ids: string[]): string =>
    `the folder exports no named location ${listText(ids.map((id) => `\`${id}\``), 'or')}, so whether ${ids.length === 1 ? 'it is' : 'they are'} trusted is unknown`;
  const trustedCount = (refs: string[]): string => {
    const n = locations.trusted.length;
    const hidden = locations.hidden.length ? `${n ? ', and ' : ''}${locations.hidden.length === 1 ? 'a file' : `${locations.hidden.length} files`} not analysed may hold more` : '';
    const unknown = refs.filter((ref) => ref !== 'All' && ref !== 'AllTrusted' && locationTrust(locations, ref) === 'unknown');
    const shown = refs.length > unknown.length ? [`the folder shows ${n === 1 ? 'one trusted named location' : `${n} trusted named locations`}${hidden}`] : [];
    return `${[...(unknown.length ? [notExported(unknown)] : []), ...shown].join('; ')}; --location <id> names the one`;
  };
  // A sign-in from a named location the scenario names by id, which the folder does not export: `AllTrusted` takes it in
  // only if it is trusted, which is unknown.
  const byId = loc !== undefined && loc !== 'trusted';
  const clause = (refs: string[], verb: 'includes' | 'excludes'): string =>
    refs.every(isCompliantNetwork)
      ? `${verb === 'includes' ? 'if' : 'unless'} the sign-in comes through the Global Secure Access compliant network (\`${COMPLIANT_NETWORK}\`), which it ${verb}`
      : byId
      ? `${verb === 'includes' ? 'if' : 'unless'} ${which(loc)} is trusted, as ${refs.join(', ')} ${verb === 'includes' ? 'takes in' : 'leaves out'} every trusted location`
      : `${verb === 'includes' ? 'if' : 'unless'} the trusted location is ${listText(refs.map(which), 'or')}, which it ${verb}`;
  const ex = exclude.find((ref) => matches(ref) === 'yes');
  if (ex) return { condition: 'locations', matches: false, detail: `excluded: ${label} is in excludeLocations (${which(ex)})` };
  const exMaybe = exclude.filter((ref) => matches(ref) === 'maybe');
  const hit = include.length ? include.find((ref) => matches(ref) === 'yes') : undefined;
  const hitMaybe = include.length && !hit ? include.filter((ref) => matches(ref) === 'maybe') : [];
  if (include.length && !hit && !hitMaybe.length) return { condition: 'locations', matches: false, detail: `not applied: ${label} not in includeLocations ${list(include)}` };
  const doubts = [...(hitMaybe.length ? [clause(hitMaybe, 'includes')] : []), ...(exMaybe.length ? [clause(exMaybe, 'excludes')] : [])];
  const named = [...hitMaybe, ...exMaybe].filter((ref) => !isCompliantNetwork(ref));
  const doubt = doubts.length ? `${doubts.join(', and ')}${named.length ? ` (${byId ? notExported([loc]) : trustedCount(named)})` : ''}` : undefined;
  const where = hit ? ` in includeLocations (${which(hit)})` : hitMaybe.length ? ` perhaps in includeLocations (${hitMaybe.map(which).join(', ')})` : '';
  const detail = `location: ${label}${where}${exMaybe.length ? `, perhaps excluded (${exMaybe.map(which).join(', ')})` : ''}`;
  return { condition: 'locations', matches: true, detail, ...(doubt ? { doubt } : {}) };
}

function riskCheck(condition: ConditionName, key: string, what: string, levels: string[], level: string): ConditionCheck | undefined {
  if (!levels.length) return undefined;
  if (levels.includes(level)) return { condition, matches: true, detail: `${what}: ${level} in ${key}` };
  return { condition, matches: false, detail: `not applied: ${what} ${level} not in ${key} ${list(levels)}` };
}

/**
 * `insiderRiskLevels`: Graph's flags enum, written as a comma-separated string (`minor,moderate`), of the levels
 * Adaptive Protection gives a user; the policy applies to a user at one of them, as the sign-in and user risk
 * conditions do. A scenario that names no insider risk has none, and the policy does not apply.
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset
 */
function insiderRiskCheck(value: unknown, s: ResolvedScenario): ConditionCheck | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const levels = value.split(',').map((l) => l.trim()).filter(Boolean);
  if (!s.insiderRisk) return { condition: 'insiderRisk', matches: false, detail: `not applied: insiderRiskLevels (${value}) — the scenario has no insider risk (--insider-risk names one)` };
  if (levels.includes(s.insiderRisk)) return { condition: 'insiderRisk', matches: true, detail: `insider risk: ${s.insiderRisk} in insiderRiskLevels` };
  return { condition: 'insiderRisk', matches: false, detail: `not applied: insider risk ${s.insiderRisk} not in insiderRiskLevels ${list(levels)}` };
}

/**
 * `authenticationFlows.transferMethods` (the model's one reading, `transferFlows`): a policy that names flows applies
 * only to a sign-in that uses one of them, and a sign-in that uses a flow meets every other policy as an ordinary one
 * does (the flow is one more condition, `signInConditions.authenticationFlow` in Graph's What If:
 * https://learn.microsoft.com/graph/api/resources/signinconditions).
 */
function flowsCheck(conditions: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck | undefined {
  const flows = transferFlows(conditions);
  if (!flows.length) return undefined;
  if (!s.authFlow) return { condition: 'authenticationFlows', matches: false, detail: `not applied: authenticationFlows (${flows.join(',')}) — the scenario is an ordinary sign-in, not a transfer flow (--auth-flow names one)` };
  if (flows.some((f) => lower(f) === lower(s.authFlow!))) return { condition: 'authenticationFlows', matches: true, detail: `authentication flow: ${s.authFlow} in authenticationFlows.transferMethods` };
  return { condition: 'authenticationFlows', matches: false, detail: `not applied: authentication flow ${s.authFlow} not in authenticationFlows.transferMethods (${flows.join(',')})` };
}

/** Conditions the scenario cannot meet offline: they keep the policy out, and say so. */
function otherChecks(conditions: Record<string, unknown> | undefined): ConditionCheck[] {
  const out: ConditionCheck[] = [];
  const sp = strings(conditions?.servicePrincipalRiskLevels);
  if (sp.length) out.push({ condition: 'other', matches: false, detail: `not applied: servicePrincipalRiskLevels ${list(sp)} apply to workload identities` });
  return out;
}

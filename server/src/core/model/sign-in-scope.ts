/**
 * Which sign-ins a Conditional Access policy can apply to. A users side that includes no one, or a target resources
 * side that includes nothing, means it never applies: read by `ca-policy-targets-nothing` (which reports it) and by the
 * break-glass model (a policy that applies to no sign-in locks no one out). A device filter in `include` mode limits it
 * to some devices: read by the model's `caPlatforms`, `ca-group-alignment` and What If.
 */
import { asObject, strings } from '../document';
import type { PolicyFacts } from '../facts';
import { listText } from '../prose';
import { PLATFORMS, type Platform } from '../platforms';
import { compliantDeviceByFilter, deviceFilterOf } from './device-filter';

/** Entries of an include list that name someone or something: `None` is the portal's "nobody" / "no resource". */
function named(v: unknown): string[] {
  return strings(v).filter((x) => x.trim() && x !== 'None');
}

/** A set filter (`applicationFilter`, `servicePrincipalFilter`…): an object with a rule, or anything else non-null. */
function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

/**
 * Whether the policy targets identities other than users: workload identities (`clientApplications`, service
 * principals or agent identities, by list or filter) or agents (`agents`, a preview without a published type, so
 * any non-null value counts: silence where we cannot read it).
 */
function targetsOtherIdentities(conditions: Record<string, unknown>): boolean {
  if (isSet(conditions.agents)) return true;
  const ca = asObject(conditions.clientApplications);
  if (!ca) return false;
  return Object.entries(ca).some(([k, v]) => !k.includes('@') && /^include|Filter$/.test(k) && (Array.isArray(v) ? named(v).length > 0 : isSet(v)));
}

/** Why the users side targets nobody, or undefined when it targets someone (or cannot be known). */
export function noUsers(p: PolicyFacts, conditions: Record<string, unknown>): string | undefined {
  if (targetsOtherIdentities(conditions)) return undefined;
  const users = conditions.users;
  // Graph writes `users` in every export: a raw export without it is not ours to judge.
  if (users === undefined) return p.raw ? undefined : 'has no `users` condition';
  const u = asObject(users);
  if (!u) return users === null ? 'has `users: null`' : undefined;
  if (named(u.includeUsers).length || named(u.includeGroups).length || named(u.includeRoles).length) return undefined;
  if (isSet(u.includeGuestsOrExternalUsers)) return undefined;
  return strings(u.includeUsers).includes('None') ? 'includes the users `None`' : 'includes no user, group, role or guest type';
}

/**
 * Whether a CA policy's users condition takes in no person (no user, group, role or guest type: `includeUsers: [None]`)
 * while it applies to other identities (agents, workload identities: `targetsOtherIdentities`). Such a policy prompts no
 * person (review r27: the conditional-access-baseline's CA503 for agent users).
 */
export function includesNoPerson(p: PolicyFacts): boolean {
  const conditions = asObject(p.spec?.conditions);
  const u = asObject(conditions?.users);
  if (!conditions || !u || !targetsOtherIdentities(conditions)) return false;
  return !named(u.includeUsers).length && !named(u.includeGroups).length && !named(u.includeRoles).length && !isSet(u.includeGuestsOrExternalUsers);
}

/**
 * What a CA policy's target resources name (`conditions.applications`): apps (`includeApplications`, `None` left out),
 * user actions (registering security info, joining a device), and authentication contexts (the content and actions an
 * app or a sensitivity label asks one for, never a sign-in to an app as such:
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#authentication-context).
 * What If's applications condition and `ca-group-alignment` (what a grant no one can meet refuses) read this one answer.
 */
export interface TargetResources {
  apps: string[];
  userActions: string[];
  authenticationContexts: string[];
}

/** The target resources of a CA policy's `conditions.applications` (or of the policy itself). */
export function targetResources(applications: unknown): TargetResources {
  const a = asObject(applications);
  return { apps: named(a?.includeApplications), userActions: named(a?.includeUserActions), authenticationContexts: named(a?.includeAuthenticationContextClassReferences) };
}

/** The target resources of a CA policy (`targetResources` of its `conditions.applications`). */
export function policyTargetResources(p: PolicyFacts): TargetResources {
  return targetResources(asObject(p.spec?.conditions)?.applications);
}

/** Keys of `conditions.applications` that name a target resource. */
const APP_TARGETS = ['includeApplications', 'includeUserActions', 'includeAuthenticationContextClassReferences'];

/** Why the target resources are empty, or undefined when the policy targets some resource (or cannot be known). */
export function noApplications(p: PolicyFacts, conditions: Record<string, unknown>): string | undefined {
  const apps = conditions.applications;
  if (apps === undefined) return p.raw ? undefined : 'has no `applications` condition (target resources)';
  const a = asObject(apps);
  if (!a) return apps === null ? 'has `applications: null`' : undefined;
  if (APP_TARGETS.some((k) => named(a[k]).length)) return undefined;
  // A custom security attribute filter, Global Secure Access traffic (beta): targets chosen another way.
  if (isSet(a.applicationFilter) || isSet(a.globalSecureAccess) || isSet(a.networkAccess)) return undefined;
  return strings(a.includeApplications).includes('None') ? 'includes the resources `None`' : 'includes no app, user action or authentication context';
}

/** Why the policy applies to no sign-in (its users side, or its target resources), or undefined when it may apply. */
export function appliesToNoSignIn(p: PolicyFacts): string | undefined {
  // The policy's file alone decides it, and every model (one per edit) asks it of every CA policy: once per file's facts.
  if (NO_SIGN_IN.has(p)) return NO_SIGN_IN.get(p);
  const conditions = asObject(p.spec?.conditions);
  const why = conditions ? (noUsers(p, conditions) ?? noApplications(p, conditions)) : undefined;
  NO_SIGN_IN.set(p, why);
  return why;
}

const NO_SIGN_IN = new WeakMap<PolicyFacts, string | undefined>();

/**
 * Whether the CA policy applies only to the devices a filter includes (`conditions.devices.deviceFilter`, mode
 * `include`). Not a block of every device but compliant ones (`include: device.isCompliant -ne True`): its filter is
 * read as the grant, a compliant device, on every device (`compliantDeviceByFilter`).
 */
export function includesDevicesByFilter(p: PolicyFacts): boolean {
  if (compliantDeviceByFilter(p)) return false;
  const conditions = asObject(p.spec?.conditions);
  const devices = asObject(conditions?.devices);
  const filter = asObject(devices?.deviceFilter);
  return filter?.mode === 'include' && typeof filter.rule === 'string' && filter.rule.trim() !== '';
}

/**
 * The authentication flows a policy's `authenticationFlows.transferMethods` limits it to (Graph writes the flags as one
 * string, `deviceCodeFlow,authenticationTransfer`); `none` is no flow. Empty when the policy applies to every sign-in.
 * What If, `legacy-auth-not-blocked` and `ca-device-code-flow-not-blocked` read this one answer.
 */
export function transferFlows(conditions: unknown): string[] {
  const flows = asObject(asObject(conditions)?.authenticationFlows)?.transferMethods;
  if (typeof flows !== 'string') return [];
  return flows
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f && f !== 'none');
}

/**
 * Which modern client app types a CA policy applies to: no `clientAppTypes`, or `all`, is browsers and mobile and
 * desktop apps alike. Read by `ca-mfa-admins-missing` (an admin MFA policy for browsers only), the grant evaluator
 * (Windows app protection is met in browsers) and the lockout check (a block that leaves the apps open).
 */
export function clientAppCoverage(p: PolicyFacts): { browser: boolean; apps: boolean } {
  const types = strings(asObject(p.spec?.conditions)?.clientAppTypes);
  if (!types.length || types.includes('all')) return { browser: true, apps: true };
  return { browser: types.includes('browser'), apps: types.includes('mobileAppsAndDesktopClients') };
}

/**
 * A CA users condition's guest part (`includeGuestsOrExternalUsers` or `excludeGuestsOrExternalUsers`): its guest
 * types (Graph's flags string, split; `none` kept for the caller to read) and, when it names some external tenants
 * (`membershipKind: enumerated`), their ids. Undefined when the condition has no such part. The grant evaluator,
 * What If and `ca-mfa-all-users-missing` read this one answer.
 */
export function guestsOf(users: unknown, key: 'includeGuestsOrExternalUsers' | 'excludeGuestsOrExternalUsers'): { types: string[]; tenants?: string[] } | undefined {
  const g = asObject(asObject(users)?.[key]);
  if (!g) return undefined;
  const types = typeof g.guestOrExternalUserTypes === 'string' ? g.guestOrExternalUserTypes.split(',').map((t) => t.trim()).filter(Boolean) : [];
  const tenants = asObject(g.externalTenants);
  if (tenants?.membershipKind !== 'enumerated') return { types };
  const members = Array.isArray(tenants.members) ? tenants.members.filter((m): m is string => typeof m === 'string') : [];
  return { types, tenants: members };
}

/** Whether the policy covers All cloud apps (`includeApplications: [All]`). */
export function coversAllApps(p: PolicyFacts): boolean {
  return strings(asObject(asObject(p.spec?.conditions)?.applications)?.includeApplications).includes('All');
}

/** Every risk level a sign-in or a user can have: a risk condition that lists them all limits nothing. */
const ALL_RISK_LEVELS = ['none', 'low', 'medium', 'high'];

/**
 * The risk conditions that limit a CA policy to some sign-ins or users (`signInRiskLevels`, `userRiskLevels`), as text
 * ("`high` or `medium` user risk"): a policy for risky sign-ins leaves everyone else's as they were.
 */
export function riskLimits(p: PolicyFacts): string[] {
  return signInLimits(p, { platforms: false }).filter((l) => l.condition === 'signInRisk' || l.condition === 'userRisk').map(riskText);
}

/**
 * The platforms a policy's platform condition takes in, of the five Conditional Access names: the file's one reading
 * of it (`PolicyFacts.platforms`: `all` or no condition is all five, less `excludePlatforms`; a list, what it names).
 * `windowsPhone` (deprecated) is not among them, and a sign-in from a platform Entra does not recognise is taken in
 * only by `all` or no condition: that is `ca-unknown-platforms-not-blocked`'s question. Unlike the model's
 * `caPlatforms`, the tenant's platforms do not bound it: a user signs in from a phone the tenant does not manage.
 * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions#device-platforms
 */
export function platformsTakenIn(p: PolicyFacts): Platform[] {
  return PLATFORMS.filter((pl) => p.platforms.includes(pl));
}

/**
 * The platforms of `among` that none of `policies` takes in (`platformsTakenIn`): where policies that each hold some
 * sign-ins to MFA (or block them) on some platforms leave the others open together. An MFA policy for Windows and
 * macOS beside one for iOS/iPadOS, Android and Linux leaves none; one for Windows, macOS and Linux alone leaves
 * iOS/iPadOS and Android. `ca-mfa-admins-missing` (the administrators' MFA) and `ca-mfa-all-users-missing` (a group
 * excluded from the All users policy) read this one answer.
 */
export function platformsLeftOpen(policies: readonly PolicyFacts[], among: readonly Platform[] = PLATFORMS): Platform[] {
  return among.filter((pl) => !policies.some((q) => platformsTakenIn(q).includes(pl)));
}

/**
 * A condition that limits a CA policy to some sign-ins, as structure: which condition, the keys under `conditions` that
 * write it, and what they hold (the platforms, locations, levels, flows or client app types it keeps to or leaves out;
 * a device filter's mode and rule). `narrowingConditions` words it; a reader that names the policy that comes closest
 * and what leaves its gap (`ca-mfa-all-users-missing` for guests) words its message and its fix from these keys, never
 * from another reason's words.
 */
export interface SignInLimit {
  condition: 'platforms' | 'locations' | 'signInRisk' | 'userRisk' | 'deviceFilter' | 'deviceStates' | 'authenticationFlows' | 'insiderRisk' | 'clientApps';
  /** The keys that write it, as paths under `conditions` (`locations.excludeLocations`). */
  keys: string[];
  /** What those keys hold, in order: the values of each list, a filter's `mode` and `rule`, a flags string split. */
  values: string[];
}

/**
 * The conditions that limit a CA policy to some sign-ins (`SignInLimit`): platforms (some included, or some excluded),
 * locations (some included, or some excluded), risk levels short of every level, a device filter, authentication flows,
 * insider risk, and, when asked (`clientApps`), a client app condition short of browsers and mobile and desktop apps.
 * `platforms: false` leaves the platform condition out, for a reader that judges it itself.
 */
export function signInLimits(p: PolicyFacts, { platforms: readPlatforms = true, clientApps = false } = {}): SignInLimit[] {
  const conditions = asObject(p.spec?.conditions);
  const out: SignInLimit[] = [];
  const platforms = asObject(conditions?.platforms);
  const onPlatforms = strings(platforms?.includePlatforms);
  const offPlatforms = strings(platforms?.excludePlatforms);
  const somePlatforms = onPlatforms.length > 0 && !onPlatforms.includes('all');
  if (readPlatforms && (somePlatforms || offPlatforms.length)) {
    out.push({ condition: 'platforms', keys: [...(somePlatforms ? ['platforms.includePlatforms'] : []), ...(offPlatforms.length ? ['platforms.excludePlatforms'] : [])], values: [...(somePlatforms ? onPlatforms : []), ...offPlatforms] });
  }
  const locations = asObject(conditions?.locations);
  const inLocations = strings(locations?.includeLocations);
  const outLocations = strings(locations?.excludeLocations);
  const someLocations = inLocations.length > 0 && !inLocations.includes('All');
  if (someLocations || outLocations.length) {
    out.push({ condition: 'locations', keys: [...(someLocations ? ['locations.includeLocations'] : []), ...(outLocations.length ? ['locations.excludeLocations'] : [])], values: [...(someLocations ? inLocations : []), ...outLocations] });
  }
  for (const [key, condition] of [['signInRiskLevels', 'signInRisk'], ['userRiskLevels', 'userRisk']] as const) {
    const levels = strings(conditions?.[key]);
    if (levels.length && !ALL_RISK_LEVELS.every((l) => levels.includes(l))) out.push({ condition, keys: [key], values: levels });
  }
  // A device filter, or the deprecated device state condition it replaced (read as one: `deviceFilterOf`).
  const filter = deviceFilterOf(p);
  if (filter?.deviceStates) out.push({ condition: 'deviceStates', keys: ['deviceStates.excludeStates'], values: [...filter.deviceStates] });
  else if (filter) out.push({ condition: 'deviceFilter', keys: ['devices.deviceFilter'], values: [filter.mode, filter.rule.trim()] });
  // A block of device code flow or authentication transfer (with `clientAppTypes: [all]`, as Microsoft's policy has
  // it) applies to those flows only; so does one for some insider risk levels.
  const flows = transferFlows(conditions);
  if (flows.length) out.push({ condition: 'authenticationFlows', keys: ['authenticationFlows.transferMethods'], values: flows });
  const insider = conditions?.insiderRiskLevels;
  if (typeof insider === 'string' && insider.trim()) out.push({ condition: 'insiderRisk', keys: ['insiderRiskLevels'], values: [insider.trim()] });
  if (clientApps) {
    const coverage = clientAppCoverage(p);
    if (!coverage.browser || !coverage.apps) out.push({ condition: 'clientApps', keys: ['clientAppTypes'], values: strings(conditions?.clientAppTypes) });
  }
  return out;
}

/** A limit in words, as `narrowingConditions` says it ("applies only in some locations"). */
export function limitText(l: SignInLimit): string {
  switch (l.condition) {
    case 'platforms':
      return 'applies only on some platforms';
    case 'locations':
      return 'applies only in some locations';
    case 'signInRisk':
    case 'userRisk':
      return `applies only at ${riskText(l)}`;
    case 'deviceFilter':
      return 'applies only to the devices its filter picks';
    case 'deviceStates':
      return `applies only to the devices its device state condition takes in (\`excludeStates\`: ${l.values.join(', ')})`;
    case 'authenticationFlows':
      return `applies only to the authentication flows \`${l.values.join(',')}\``;
    case 'insiderRisk':
      return `applies only at insider risk \`${l.values[0]}\``;
    case 'clientApps':
      return 'applies only to some client apps';
  }
}

/** A risk limit as words: "`high` or `medium` sign-in risk". */
function riskText(l: SignInLimit): string {
  return `${listText(l.values.map((v) => `\`${v}\``), 'or')} ${l.condition === 'signInRisk' ? 'sign-in risk' : 'user risk'}`;
}

/**
 * The conditions that limit a CA policy to some sign-ins, as reasons ("applies only on some platforms"): platforms
 * (some included, or some excluded), locations (some included, or some excluded), risk levels, and a device filter
 * (`signInLimits`, client apps aside, worded). A policy meant for every sign-in (a block of legacy authentication)
 * leaves the others open. `platforms: false` leaves the platform condition out, for a reader that judges it itself (a
 * block of unknown platforms excludes some on purpose).
 */
export function narrowingConditions(p: PolicyFacts, { platforms: readPlatforms = true } = {}): string[] {
  return signInLimits(p, { platforms: readPlatforms }).map(limitText);
}

/**
 * What takes a limit out of its policy, from its keys: the keys themselves where the condition keeps its default beside
 * them (`locations.excludeLocations` beside `includeLocations: [All]`; `platforms.excludePlatforms` beside `all`), else
 * the whole condition (`locations`, `platforms`); a client app condition is set to `all` (Graph requires one).
 */
export function limitRemedy(l: SignInLimit): string {
  if (l.condition === 'clientApps') return 'set `clientAppTypes` to `[all]`';
  const whole = l.condition === 'locations' ? 'locations' : l.condition === 'platforms' ? 'platforms' : undefined;
  const onlyExclusions = l.keys.every((k) => k.endsWith('.excludeLocations') || k.endsWith('.excludePlatforms'));
  if (whole && !onlyExclusions) return `remove its \`${whole}\` condition`;
  return `remove ${listText(l.keys.map((k) => `\`${k}\``))}`;
}

/**
 * Whether a limit scopes where a policy applies (some platforms, locations, client apps or devices) rather than what it
 * is for (a risk level: the risk policies; an authentication flow: a block of the device code flow; insider risk).
 * Taking the first out widens the policy to every sign-in; taking the second out would make it another policy.
 */
export function scopesWhere(l: SignInLimit): boolean {
  return l.condition === 'platforms' || l.condition === 'locations' || l.condition === 'clientApps' || l.condition === 'deviceFilter' || l.condition === 'deviceStates';
}

/**
 * Of policies that would each hold a sign-in to what they ask but for conditions limiting them to some sign-ins, the
 * one that comes closest to every sign-in, with those limits (`signInLimits`, client apps included): the fewest limits,
 * the first of equals (the caller puts the ones it prefers first). Undefined when none is limited.
 */
export function closestToEverySignIn(policies: readonly PolicyFacts[]): { policy: PolicyFacts; limits: SignInLimit[] } | undefined {
  let best: { policy: PolicyFacts; limits: SignInLimit[] } | undefined;
  for (const policy of policies) {
    const limits = signInLimits(policy, { clientApps: true });
    if (limits.length && (!best || limits.length < best.limits.length)) best = { policy, limits };
  }
  return best;
}

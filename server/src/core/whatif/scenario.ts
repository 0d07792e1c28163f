/**
 * The sign-in What If evaluates: the scenario as a host gives it (CLI options, the editor's quick picks), its
 * validation, and the scenario as evaluated (groups resolved through the manifest, defaults filled in).
 */
import { PLATFORMS, type Platform } from '../platforms';
import type { TenantView } from '../rule';
import { resolveGroup } from '../model/groups';
import { modelOf } from '../model/index';
import { roleId, roleLabel } from '../model/break-glass';
import { GUEST_TYPES, isGuestType, type GuestType } from '../model/guests';
import { authContextId } from '../auth-context-id';
import { obj, strings } from './values';

/** The client app types a scenario can name (Conditional Access's `clientAppTypes`). */
export const CLIENT_APPS = ['browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'] as const;
/** One of `CLIENT_APPS`. */
export type ClientApp = (typeof CLIENT_APPS)[number];
/** The sign-in and user risk levels a scenario can name. */
export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
/** One of `RISK_LEVELS`. */
export type RiskLevel = (typeof RISK_LEVELS)[number];
/**
 * The insider risk levels a scenario can name: Graph's `conditionalAccessInsiderRiskLevels` (a flags enum written as a
 * comma-separated string in `conditions.insiderRiskLevels`), less its sentinel.
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset
 */
export const INSIDER_RISK_LEVELS = ['minor', 'moderate', 'elevated'] as const;
/** One of `INSIDER_RISK_LEVELS`. */
export type InsiderRiskLevel = (typeof INSIDER_RISK_LEVELS)[number];
/** The target resources a scenario can name besides an app id. */
export const APP_KEYWORDS = ['All', 'Office365', 'MicrosoftAdminPortals'] as const;
/**
 * The user actions a sign-in can be, as Graph's What If names them (`userActionContext.userAction`), with the value a
 * policy's `includeUserActions` holds for each (conditionalAccessApplications).
 * https://learn.microsoft.com/graph/api/resources/useractioncontext
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessapplications
 */
export const USER_ACTIONS = { registerSecurityInformation: 'urn:user:registersecurityinfo', registerOrJoinDevices: 'urn:user:registerdevice' } as const;
/** One of `USER_ACTIONS`' names. */
export type UserAction = keyof typeof USER_ACTIONS;
/**
 * The authentication flows a sign-in can use, as Graph's What If names them (`signInConditions.authenticationFlow`,
 * `transferMethod`) and a policy's `authenticationFlows.transferMethods` names them.
 * https://learn.microsoft.com/graph/api/resources/signinconditions
 */
export const AUTH_FLOWS = ['deviceCodeFlow', 'authenticationTransfer'] as const;
/** One of `AUTH_FLOWS`. */
export type AuthFlow = (typeof AUTH_FLOWS)[number];

/** A user action from its Graph name or its policy value (`urn:user:registersecurityinfo`), in any letter case. */
export function canonicalUserAction(value: string): UserAction | undefined {
  const v = value.trim().toLowerCase();
  return (Object.keys(USER_ACTIONS) as UserAction[]).find((k) => k.toLowerCase() === v || USER_ACTIONS[k] === v);
}

/** An authentication flow from any letter case. */
export function canonicalAuthFlow(value: string): AuthFlow | undefined {
  return AUTH_FLOWS.find((f) => f.toLowerCase() === value.trim().toLowerCase());
}

/** An authentication context id (`c1`…`c99`), lower case, as policies write it; undefined when the value is not one. */
export function canonicalAuthContext(value: string): string | undefined {
  return authContextId(value);
}

/**
 * The sign-in targets besides apps a host offers for a scenario (the editor's quick picks): the user actions and
 * authentication flows `userAction` and `authFlow` take, and the authentication contexts the tenant's files name for
 * `authContext`, each with the CA policies that name it (any state). One answer with the evaluation: the model's
 * `signInTargets`, read from the policies' `targetResources` and `transferFlows`.
 */
export interface SignInTargetChoices {
  userActions: { name: UserAction; value: string; policies: string[] }[];
  authContexts: { id: string; displayName?: string; description?: string; isAvailable?: boolean; policies: string[] }[];
  authFlows: { name: AuthFlow; policies: string[] }[];
}

/** The sign-in target choices of a tenant (`SignInTargetChoices`). */
export function signInTargetChoices(tenant: TenantView): SignInTargetChoices {
  const targets = modelOf(tenant).signInTargets;
  return {
    userActions: (Object.keys(USER_ACTIONS) as UserAction[]).map((name) => ({ name, value: USER_ACTIONS[name], policies: [...(targets.userActions.get(USER_ACTIONS[name]) ?? [])] })),
    authContexts: targets.authenticationContexts.map(({ file: _file, ...c }) => ({ ...c, policies: [...c.policies] })),
    authFlows: AUTH_FLOWS.map((name) => ({ name, policies: [...(targets.authenticationFlows.get(name.toLowerCase()) ?? [])] })),
  };
}

/** A sign-in to evaluate. */
export interface WhatIfScenario {
  /**
   * Who signs in: a user principal name (or object id), manifest group names/ids, or both. A user is in a group
   * when the manifest lists them in its `members`, or when the scenario names the group.
   */
  user: string | string[];
  /** Groups (names or object ids) the user is in besides those `user` names; an id the manifest lacks is kept as is. */
  groups?: string[];
  /** Directory roles the user holds (role template ids, or the names in `ROLE_NAMES`). */
  roles?: string[];
  /**
   * The user stands for any holder of `roles` (the lockout check's `sample@role-…`): who holds a directory role the
   * manifest does not say, so they may be in any group that lists a member other than a break-glass account
   * (`ResolvedScenario.roleHolder`). A scenario with roles and no user is read so too.
   */
  roleHolder?: boolean;
  /** The user is a guest or external user. */
  guest?: boolean;
  /**
   * Which kind of guest (one of `GUEST_TYPES`: `b2bCollaborationGuest`, `serviceProvider`…); implies `guest`. Unset, a
   * guest is taken to be of a type a policy names, and the detail says so.
   */
  guestType?: string;
  /**
   * The guest's home tenant (its tenant id, a GUID); implies `guest`, and a user of another tenant (not a local guest).
   * Unset, a guest is taken to be of a tenant a policy names, and the detail says so.
   */
  guestTenant?: string;
  /** A CA platform name (`windows`, `iOS`, `android`, `macOS`, `linux`), in any letter case. */
  platform: string;
  /**
   * An app id (GUID), `Office365`, `MicrosoftAdminPortals`, or `All` (every cloud app: see `appMatch`). Unset: `All`,
   * unless the sign-in is a user action or an authentication context, which are no sign-in to an app.
   */
  app?: string;
  /**
   * The sign-in is a user action (one of `USER_ACTIONS`' names, or its `urn:user:…` value), not a sign-in to an app:
   * only the policies whose `includeUserActions` holds it apply (`app` must be unset).
   */
  userAction?: string;
  /**
   * An authentication context (`c1`…`c99`) the app asks for: the policies that include it apply; with `app`, those of
   * the app too (the token request is for the app); without, the context alone, as Graph's What If evaluates it.
   */
  authContext?: string;
  /** The sign-in uses an authentication flow (one of `AUTH_FLOWS`). Unset: an ordinary sign-in, no transfer flow. */
  authFlow?: string;
  clientApp: string;
  deviceCompliant?: boolean;
  appProtected?: boolean;
  /** The device is Microsoft Entra hybrid joined (`domainJoinedDevice`). */
  hybridJoined?: boolean;
  /** A named location id, or `trusted` (a trusted location). Unset: an untrusted location no policy names. */
  location?: string;
  /**
   * Whether the sign-in comes through the Global Secure Access compliant network (`AllCompliantNetworkLocations`): unset,
   * unknown (a trusted location may or may not be reached through it). The lockout check's break-glass sign-ins say
   * no: the accounts are needed when the Global Secure Access client or service is not working.
   */
  compliantNetwork?: boolean;
  risk?: { signIn?: string; user?: string };
  /** The user's insider risk (one of `INSIDER_RISK_LEVELS`, from Adaptive Protection). Unset: no insider risk. */
  insiderRisk?: string;
}

/** The scenario as evaluated: names resolved, defaults filled in. */
export interface ResolvedScenario {
  upn?: string;
  /** The user's other identifiers the manifest gives (a break-glass account's object id listed beside its name), lower case. */
  aliases: string[];
  /** Manifest groups the user is in, and how we know. */
  groups: { name: string; via: 'named' | 'members' }[];
  roles: string[];
  /** The user is a break-glass account (the manifest's `breakGlass`): its roles include the ones they hold. */
  breakGlass: boolean;
  /**
   * The user is some holder of `roles` whom the manifest does not name (`WhatIfScenario.roleHolder`, or roles and no
   * user), in no group the scenario names or lists them in: whom a compliance or app protection policy reaches reads the
   * groups that list members other than break-glass accounts as "may hold them" (`BreakGlass.mayHoldRoleHolders`).
   */
  roleHolder: boolean;
  guest: boolean;
  /** The guest's type, when the scenario names one. */
  guestType?: GuestType;
  /** The guest's home tenant id (lower case), when the scenario names one. */
  guestTenant?: string;
  platform: string;
  /** The app signed in to; undefined for a user action, or an authentication context named without an app. */
  app?: string;
  /** The user action, as a policy's `includeUserActions` writes it (`urn:user:registersecurityinfo`). */
  userAction?: string;
  /** The authentication context, lower case (`c1`). */
  authContext?: string;
  /** The authentication flow the sign-in uses. */
  authFlow?: AuthFlow;
  clientApp: string;
  deviceCompliant: boolean;
  appProtected: boolean;
  hybridJoined: boolean;
  location?: string;
  /** Through the Global Secure Access compliant network: unknown when unset. */
  compliantNetwork?: boolean;
  signInRisk: string;
  userRisk: string;
  /** The user's insider risk, when the scenario names one. */
  insiderRisk?: InsiderRiskLevel;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A platform name as CA spells it, from any letter case. */
export function canonicalPlatform(value: string): Platform | undefined {
  return PLATFORMS.find((p) => p.toLowerCase() === value.trim().toLowerCase());
}

function canonicalApp(value: string): string {
  return APP_KEYWORDS.find((k) => k.toLowerCase() === value.trim().toLowerCase()) ?? value.trim();
}

/** Problems with a scenario that the caller should report before evaluating (unknown names, bad values). */
export function validateScenario(tenant: TenantView, s: WhatIfScenario): string[] {
  const errors: string[] = [];
  const values = (Array.isArray(s.user) ? s.user : [s.user]).map((v) => v.trim()).filter(Boolean);
  if (!values.length) errors.push('name the user: a user principal name, or one or more of the manifest\'s groups');
  const users = values.filter((v) => !(tenant.manifest && resolveGroup(tenant.manifest, v)));
  for (const v of users) {
    if (!v.includes('@') && !GUID.test(v)) {
      const groups = tenant.manifest?.groups.map((g) => g.name) ?? [];
      errors.push(`\`${v}\` is neither a user principal name nor a group of the manifest${groups.length ? ` (${groups.join(', ')})` : ''}`);
    }
  }
  if (users.length > 1) errors.push(`name one user, not ${users.length} (${users.join(', ')}); add groups as you like`);
  if (!canonicalPlatform(s.platform)) errors.push(`unknown platform \`${s.platform}\`; use one of ${PLATFORMS.join(', ')}`);
  else if (s.hybridJoined && canonicalPlatform(s.platform) !== 'windows') errors.push(`only Windows devices can be Microsoft Entra hybrid joined; drop the hybrid join or sign in on windows, not ${s.platform}`);
  if (s.app !== undefined) {
    const app = canonicalApp(s.app);
    if (!(APP_KEYWORDS as readonly string[]).includes(app) && !GUID.test(app)) {
      const action = canonicalUserAction(s.app);
      errors.push(action ? `\`${s.app}\` is a user action, not an app; name it as the user action (${action}), without an app` : `unknown app \`${s.app}\`; use an application (client) id, Office365, MicrosoftAdminPortals or All`);
    }
  }
  errors.push(...signInTargetErrors(s));
  if (!(CLIENT_APPS as readonly string[]).includes(s.clientApp)) errors.push(`unknown client app \`${s.clientApp}\`; use one of ${CLIENT_APPS.join(', ')}`);
  if (s.guestType !== undefined && !isGuestType(s.guestType.trim())) errors.push(`unknown guest type \`${s.guestType}\`; use one of ${GUEST_TYPES.join(', ')}`);
  if (s.guestTenant !== undefined) {
    if (!GUID.test(s.guestTenant.trim())) errors.push(`the guest's home tenant \`${s.guestTenant}\` is not a tenant id; give the tenant's id, a GUID (e.g. 11111111-2222-3333-4444-555555555555)`);
    else if (s.guestType?.trim() === 'internalGuest') errors.push('a local guest (`internalGuest`) is an account of this tenant, with no other home tenant; drop the home tenant, or name the type of a user of another tenant (e.g. b2bCollaborationGuest)');
  }
  if (s.insiderRisk !== undefined && !(INSIDER_RISK_LEVELS as readonly string[]).includes(s.insiderRisk.trim())) errors.push(`unknown insider risk \`${s.insiderRisk}\`; use one of ${INSIDER_RISK_LEVELS.join(', ')}`);
  errors.push(...locationErrors(tenant, s.location));
  for (const [what, level] of [['sign-in risk', s.risk?.signIn], ['user risk', s.risk?.user]] as const) {
    if (level !== undefined && !(RISK_LEVELS as readonly string[]).includes(level)) errors.push(`unknown ${what} \`${level}\`; use one of ${RISK_LEVELS.join(', ')}`);
  }
  return errors;
}

/**
 * A location the scenario names that no one could mean: not `trusted` or `untrusted`, not a named location's id (a
 * GUID), and neither exported here nor named by a CA policy. Read as an id the folder does not export, such a word
 * would make every policy for a location a doubt (`--location untrusted` turned a block into "allowed").
 */
function locationErrors(tenant: TenantView, location: string | undefined): string[] {
  const loc = location?.trim();
  if (loc === undefined) return [];
  const word = loc.toLowerCase();
  if (word === 'all') return ['`All` is every location, not one a sign-in comes from; use trusted, untrusted (the default) or a named location\'s id'];
  if (word === 'allcompliantnetworklocations') return ['the Global Secure Access compliant network is no named location; use --compliant-network yes'];
  if (word === 'trusted' || word === 'alltrusted' || word === 'untrusted' || GUID.test(loc) || modelOf(tenant).namedLocations.byId.has(word)) return [];
  const named = tenant.policies.some((p) => {
    if (p.kind !== 'ConditionalAccessPolicy') return false;
    const l = obj(obj(p.spec?.conditions)?.locations);
    return [...strings(l?.includeLocations), ...strings(l?.excludeLocations)].some((r) => r.trim().toLowerCase() === word);
  });
  if (named) return [];
  return [`unknown location \`${loc}\`; use trusted, untrusted (the default) or a named location's id, as the CA policies name it in includeLocations or excludeLocations`];
}

/**
 * What the scenario names as the sign-in's target that is not one: a user action, authentication context or flow of
 * an unknown value, or two targets Graph's What If never evaluates together (a sign-in's context is one application,
 * one user action or one authentication context: https://learn.microsoft.com/graph/api/resources/signincontext).
 */
function signInTargetErrors(s: WhatIfScenario): string[] {
  const errors: string[] = [];
  const names = (Object.keys(USER_ACTIONS) as UserAction[]).map((k) => `${k} (${USER_ACTIONS[k]})`).join(' or ');
  if (s.userAction !== undefined && !canonicalUserAction(s.userAction)) errors.push(`unknown user action \`${s.userAction}\`; use ${names}`);
  if (s.authContext !== undefined && !canonicalAuthContext(s.authContext)) errors.push(`unknown authentication context \`${s.authContext}\`; use its id, c1 to c99`);
  if (s.authFlow !== undefined && !canonicalAuthFlow(s.authFlow)) errors.push(`unknown authentication flow \`${s.authFlow}\`; use ${AUTH_FLOWS.join(' or ')}`);
  if (s.userAction !== undefined && s.app !== undefined) errors.push('a user action is not a sign-in to an app: Conditional Access evaluates it against the policies for that user action alone; name the user action or the app, not both');
  if (s.userAction !== undefined && s.authContext !== undefined) errors.push('a user action and an authentication context are two sign-ins: name one of them');
  return errors;
}

/** The scenario as evaluated: the user's groups through the manifest (nested groups followed), defaults filled in. */
export function resolveScenario(tenant: TenantView, s: WhatIfScenario): ResolvedScenario {
  const manifest = tenant.manifest;
  const values = (Array.isArray(s.user) ? s.user : [s.user]).map((v) => v.trim()).filter(Boolean);
  const groups: ResolvedScenario['groups'] = [];
  let upn: string | undefined;
  for (const v of values) {
    const name = manifest ? resolveGroup(manifest, v) : undefined;
    if (name) {
      if (!groups.some((g) => g.name === name)) groups.push({ name, via: 'named' });
    } else if (v.includes('@') || GUID.test(v)) upn ??= v;
    else if (!groups.some((g) => g.name === v)) groups.push({ name: v, via: 'named' });
  }
  for (const v of s.groups ?? []) {
    const name = (manifest ? resolveGroup(manifest, v.trim()) : undefined) ?? v.trim();
    if (name && !groups.some((g) => g.name === name)) groups.push({ name, via: 'named' });
  }
  // The manifest's members, nested groups followed: a member of a group is in every group that holds it.
  const directory = modelOf(tenant).groups;
  const direct = [...groups];
  // A break-glass account named by its object id is the account its name stands for: the groups list it by name.
  const aliases = upn ? modelOf(tenant).breakGlass.aliasesOf(upn) : [];
  const memberOf = [...(upn ? [upn, ...aliases].flatMap((u) => directory.groupsOf(u)) : []), ...direct.flatMap((g) => directory.memberGroups(g.name))];
  for (const name of memberOf) if (!groups.some((x) => x.name === name)) groups.push({ name, via: 'members' });
  // A break-glass account holds the roles the manifest says (Global Administrator unless `breakGlass.roles` says
  // otherwise), whether or not the scenario names them: the lockout check signs them in so too.
  const bg = modelOf(tenant).breakGlass;
  const breakGlass = bg.isAccount(upn, groups.map((g) => g.name));
  const roles = [...new Set([...(s.roles ?? []).map(roleId), ...(breakGlass ? bg.roles : [])])];
  return {
    upn,
    aliases,
    groups,
    roles,
    breakGlass,
    roleHolder: roles.length > 0 && !breakGlass && !groups.length && (!!s.roleHolder || !upn),
    guest: !!s.guest || s.guestType !== undefined || s.guestTenant !== undefined,
    ...(s.guestType !== undefined && isGuestType(s.guestType.trim()) ? { guestType: s.guestType.trim() as GuestType } : {}),
    ...(s.guestTenant !== undefined && GUID.test(s.guestTenant.trim()) ? { guestTenant: s.guestTenant.trim().toLowerCase() } : {}),
    platform: canonicalPlatform(s.platform) ?? s.platform,
    // No app for a user action, nor for an authentication context named alone: Graph's What If evaluates either as the
    // sign-in's one context (signInContext), and a policy for All resources does not take it in.
    ...(s.app !== undefined ? { app: canonicalApp(s.app) } : s.userAction === undefined && s.authContext === undefined ? { app: 'All' } : {}),
    ...(s.userAction !== undefined && canonicalUserAction(s.userAction) ? { userAction: USER_ACTIONS[canonicalUserAction(s.userAction)!] } : {}),
    ...(s.authContext !== undefined && canonicalAuthContext(s.authContext) ? { authContext: canonicalAuthContext(s.authContext)! } : {}),
    ...(s.authFlow !== undefined && canonicalAuthFlow(s.authFlow) ? { authFlow: canonicalAuthFlow(s.authFlow)! } : {}),
    clientApp: s.clientApp,
    deviceCompliant: !!s.deviceCompliant,
    appProtected: !!s.appProtected,
    hybridJoined: !!s.hybridJoined,
    // `untrusted` is the default: an untrusted location no policy names.
    location: locationOf(s.location),
    ...(s.compliantNetwork !== undefined ? { compliantNetwork: s.compliantNetwork } : {}),
    signInRisk: s.risk?.signIn ?? 'none',
    userRisk: s.risk?.user ?? 'none',
    ...(s.insiderRisk !== undefined && (INSIDER_RISK_LEVELS as readonly string[]).includes(s.insiderRisk.trim()) ? { insiderRisk: s.insiderRisk.trim() as InsiderRiskLevel } : {}),
  };
}

/** The scenario's location: `trusted` (or `AllTrusted`, every trusted one), an id, or unset for `untrusted`, the default. */
function locationOf(location: string | undefined): string | undefined {
  const loc = location?.trim();
  const word = loc?.toLowerCase();
  if (word === 'trusted' || word === 'alltrusted') return 'trusted';
  return word === 'untrusted' ? undefined : loc || undefined;
}

/** Who the scenario's user is, in words ("bg-admin1@contoso.com, member of grp-breakglass"). */
export function describeUser(s: ResolvedScenario): string {
  const parts: string[] = [];
  if (s.upn) parts.push(s.upn);
  if (s.groups.length) parts.push(`${s.upn ? 'member of ' : 'a member of '}${s.groups.map((g) => g.name).join(', ')}`);
  if (!parts.length) parts.push('a user in no listed group');
  if (s.breakGlass) parts.push('a break-glass account');
  if (s.roles.length) parts.push(`roles ${s.roles.map(roleLabel).join(', ')}`);
  if (s.guest) {
    const what = [...(s.guestType ? [s.guestType] : []), ...(s.guestTenant ? [`home tenant ${s.guestTenant}`] : [])];
    parts.push(what.length ? `guest (${what.join(', ')})` : 'guest');
  }
  return parts.join(', ');
}

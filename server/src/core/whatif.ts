/**
 * Offline What If: which Conditional Access policies a sign-in meets, why, and what they ask of it — the seed's
 * "test together using the Conditional Access What If tool before enabling enforcement", from the files alone.
 *
 * It follows Entra's evaluation: a policy applies when every condition it sets matches (users, then target
 * resources, platforms, client apps, locations, risk); exclusions win over inclusions. Every enforced policy that
 * applies must be satisfied (AND across policies); within one, `operator` combines its grant controls and `block`
 * wins. Report-only policies are evaluated the same way but never change the result. Offline, nothing is proven
 * interactively: MFA and authentication strengths become requirements ("allowed if MFA"), and the device state
 * comes from the scenario. On top of Entra, it checks the tenant can meet a requirement at all: a compliant device
 * on a platform with no compliance policy, or app protection with no app protection policy, is unsatisfiable.
 */
import { isPlainObject } from './document';
import type { PolicyFacts } from './facts';
import { PLATFORM_LABELS, PLATFORMS, type Platform } from './platforms';
import type { TenantView } from './rule';
import { resolveGroup } from './model/groups';
import { assignmentIncludes, REPORT_ONLY } from './tenant-query';
import { modelOf } from './model/index';
import { ROLE_NAMES, roleId, roleLabel } from './model/break-glass';

export const CLIENT_APPS = ['browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'] as const;
export type ClientApp = (typeof CLIENT_APPS)[number];
export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
/** The target resources a scenario can name besides an app id. */
export const APP_KEYWORDS = ['All', 'Office365', 'MicrosoftAdminPortals'] as const;

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
  /** The user is a guest or external user. */
  guest?: boolean;
  /** A CA platform name (`windows`, `iOS`, `android`, `macOS`, `linux`), in any letter case. */
  platform: string;
  /** An app id (GUID), `Office365`, `MicrosoftAdminPortals`, or `All` (every cloud app: see `appMatch`). */
  app: string;
  clientApp: string;
  deviceCompliant?: boolean;
  appProtected?: boolean;
  /** The device is Microsoft Entra hybrid joined (`domainJoinedDevice`). */
  hybridJoined?: boolean;
  /** A named location id, or `trusted` (a trusted location). Unset: an untrusted location no policy names. */
  location?: string;
  risk?: { signIn?: string; user?: string };
}

/** The scenario as evaluated: names resolved, defaults filled in. */
export interface ResolvedScenario {
  upn?: string;
  /** Manifest groups the user is in, and how we know. */
  groups: { name: string; via: 'named' | 'members' }[];
  roles: string[];
  guest: boolean;
  platform: string;
  app: string;
  clientApp: string;
  deviceCompliant: boolean;
  appProtected: boolean;
  hybridJoined: boolean;
  location?: string;
  signInRisk: string;
  userRisk: string;
}

export type ConditionName = 'users' | 'applications' | 'platforms' | 'clientAppTypes' | 'locations' | 'signInRisk' | 'userRisk' | 'other';

export interface ConditionCheck {
  condition: ConditionName;
  matches: boolean;
  /** Why, in words: "member of grp-admins (includeGroups)", "excluded: user is in excludeGroups grp-breakglass". */
  detail: string;
}

export type ControlStatus = 'satisfied' | 'required' | 'unsatisfiable' | 'notEnforced' | 'block';

export interface ControlEvaluation {
  /** The Graph name (`compliantDevice`, `mfa`, `authenticationStrength`, `termsOfUse:<id>`…). */
  control: string;
  /** What an admin reads: "MFA", "a compliant device". */
  label: string;
  status: ControlStatus;
  reason?: string;
  /** The rule whose finding (and quick fix) addresses this control when it cannot be met. */
  rule?: string;
}

export interface GrantEvaluation {
  operator: 'AND' | 'OR';
  controls: ControlEvaluation[];
  outcome: 'block' | 'granted' | 'requires' | 'unsatisfiable';
  /** The controls still to meet: all of them (AND) or any one (OR). */
  needs?: { operator: 'AND' | 'OR'; controls: ControlEvaluation[] };
  /** "block", "requires a compliant device", "granted (a compliant device: satisfied)". */
  summary: string;
}

export type PolicyState = 'enabled' | 'reportOnly' | 'disabled';

export interface PolicyEvaluation {
  name: string;
  file: string;
  displayName?: string;
  owner?: string;
  state: PolicyState;
  applies: boolean;
  /** One line: what matched, or the first condition that kept the policy out. */
  why: string;
  conditions: ConditionCheck[];
  grant?: GrantEvaluation;
  session: string[];
  notes: string[];
}

export interface Unsatisfiable {
  policy: string;
  file: string;
  control: string;
  reason: string;
  /** The rule whose finding (and quick fix) addresses it, when one does. */
  rule?: string;
}

export type Verdict = 'allowed' | 'allowedIf' | 'blocked' | 'unsatisfiable';

export interface WhatIfResult {
  tenant: string;
  scenario: ResolvedScenario;
  verdict: Verdict;
  /** "blocked by ca-block-all", "allowed if MFA and a compliant device", "allowed (no enforced policy applies)". */
  summary: string;
  blockedBy: string[];
  /** One clause per applying enforced policy that still needs something (AND across clauses). */
  requirements: { policy: string; operator: 'AND' | 'OR'; controls: string[] }[];
  unsatisfiable: Unsatisfiable[];
  warnings: string[];
  /** Enforced and disabled policies, by name. */
  policies: PolicyEvaluation[];
  /** Report-only policies: evaluated, never part of the result. */
  reportOnly: PolicyEvaluation[];
}

export { ROLE_NAMES };

/** A few well-known members of the Office 365 app suite, so a policy on one of them meets a scenario on `Office365`. */
const OFFICE365_APPS: Record<string, string> = {
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
  '00000003-0000-0ff1-ce00-000000000000': 'Office 365 SharePoint Online',
  'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe': 'Microsoft Teams Services',
};

/** Built-in authentication strengths (facts §1.2). */
const AUTH_STRENGTHS: Record<string, string> = {
  '00000000-0000-0000-0000-000000000002': 'Multifactor authentication',
  '00000000-0000-0000-0000-000000000003': 'Passwordless MFA',
  '00000000-0000-0000-0000-000000000004': 'Phishing-resistant MFA',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function obj(v: unknown): Record<string, unknown> | undefined {
  return isPlainObject(v) ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const lower = (s: string): string => s.toLowerCase();
const list = (xs: string[]): string => `[${xs.join(', ')}]`;

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
  const app = canonicalApp(s.app);
  if (!(APP_KEYWORDS as readonly string[]).includes(app) && !GUID.test(app)) errors.push(`unknown app \`${s.app}\`; use an application (client) id, Office365, MicrosoftAdminPortals or All`);
  if (!(CLIENT_APPS as readonly string[]).includes(s.clientApp)) errors.push(`unknown client app \`${s.clientApp}\`; use one of ${CLIENT_APPS.join(', ')}`);
  for (const [what, level] of [['sign-in risk', s.risk?.signIn], ['user risk', s.risk?.user]] as const) {
    if (level !== undefined && !(RISK_LEVELS as readonly string[]).includes(level)) errors.push(`unknown ${what} \`${level}\`; use one of ${RISK_LEVELS.join(', ')}`);
  }
  return errors;
}

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
  for (const member of [...(upn ? [upn] : []), ...direct.map((g) => g.name)]) {
    for (const name of directory.groupsOf(member)) if (!groups.some((x) => x.name === name)) groups.push({ name, via: 'members' });
  }
  return {
    upn,
    groups,
    roles: (s.roles ?? []).map(roleId),
    guest: !!s.guest,
    platform: canonicalPlatform(s.platform) ?? s.platform,
    app: canonicalApp(s.app),
    clientApp: s.clientApp,
    deviceCompliant: !!s.deviceCompliant,
    appProtected: !!s.appProtected,
    hybridJoined: !!s.hybridJoined,
    location: s.location?.trim().toLowerCase() === 'trusted' ? 'trusted' : s.location?.trim() || undefined,
    signInRisk: s.risk?.signIn ?? 'none',
    userRisk: s.risk?.user ?? 'none',
  };
}

/** Who the scenario's user is, in words ("bg-admin1@contoso.com, member of grp-breakglass"). */
export function describeUser(s: ResolvedScenario): string {
  const parts: string[] = [];
  if (s.upn) parts.push(s.upn);
  if (s.groups.length) parts.push(`${s.upn ? 'member of ' : 'a member of '}${s.groups.map((g) => g.name).join(', ')}`);
  if (!parts.length) parts.push('a user in no listed group');
  if (s.roles.length) parts.push(`roles ${s.roles.map(roleLabel).join(', ')}`);
  if (s.guest) parts.push('guest');
  return parts.join(', ');
}

function stateOf(p: PolicyFacts): PolicyState {
  const s = p.spec?.state;
  return s === 'enabled' ? 'enabled' : s === REPORT_ONLY ? 'reportOnly' : 'disabled';
}

/** Evaluate every Conditional Access policy of the tenant for one sign-in. */
export function evaluate(tenant: TenantView, scenario: WhatIfScenario): WhatIfResult {
  const s = resolveScenario(tenant, scenario);
  const all = tenant.policies.filter((p) => p.kind === 'ConditionalAccessPolicy').sort((a, b) => ((a.name ?? a.path) < (b.name ?? b.path) ? -1 : 1));
  const evaluations = all.map((p) => evaluatePolicy(tenant, p, s));
  const enforced = evaluations.filter((e) => e.state === 'enabled' && e.applies);
  const blockedBy = enforced.filter((e) => e.grant?.outcome === 'block').map((e) => e.name);
  const unsatisfiable: Unsatisfiable[] = [];
  const warnings: string[] = [];
  const requirements: WhatIfResult['requirements'] = [];
  for (const e of enforced) {
    const g = e.grant!;
    if (g.outcome === 'unsatisfiable') {
      for (const c of g.controls.filter((x) => x.status === 'unsatisfiable')) unsatisfiable.push({ policy: e.name, file: e.file, control: c.control, reason: c.reason ?? `${c.label} cannot be met`, ...(c.rule ? { rule: c.rule } : {}) });
    } else if (g.outcome === 'requires' && g.needs) {
      requirements.push({ policy: e.name, operator: g.needs.operator, controls: g.needs.controls.map((c) => c.label) });
    }
    for (const n of e.notes) if (!warnings.includes(n)) warnings.push(n);
  }
  const result: WhatIfResult = {
    tenant: tenant.manifest?.name ?? tenant.root ?? '',
    scenario: s,
    verdict: 'allowed',
    summary: '',
    blockedBy,
    requirements,
    unsatisfiable,
    warnings,
    policies: evaluations.filter((e) => e.state !== 'reportOnly'),
    reportOnly: evaluations.filter((e) => e.state === 'reportOnly'),
  };
  if (blockedBy.length) {
    result.verdict = 'blocked';
    result.summary = `blocked by ${blockedBy.join(', ')}`;
  } else if (unsatisfiable.length) {
    result.verdict = 'unsatisfiable';
    result.summary = `blocked in practice: ${unsatisfiable.map((u) => u.reason).join('; ')}`;
  } else if (requirements.length) {
    result.verdict = 'allowedIf';
    result.summary = `allowed if ${requirementText(requirements)}`;
  } else {
    result.summary = enforced.length ? 'allowed' : 'allowed (no enforced policy applies)';
  }
  return result;
}

/**
 * The requirements as one sentence, simplified: duplicates go, and a choice that a required control already
 * meets is dropped ("MFA and (MFA or a compliant device)" is "MFA").
 */
export function requirementText(reqs: { operator: 'AND' | 'OR'; controls: string[] }[]): string {
  const musts = new Set<string>();
  const choices: string[][] = [];
  for (const r of reqs) {
    if (r.operator === 'AND' || r.controls.length === 1) r.controls.forEach((c) => musts.add(c));
    else choices.push([...new Set(r.controls)]);
  }
  const kept: string[][] = [];
  for (const c of choices) {
    if (c.some((x) => musts.has(x))) continue;
    const key = [...c].sort().join('\u0000');
    if (!kept.some((k) => [...k].sort().join('\u0000') === key)) kept.push(c);
  }
  const parts = [...musts, ...kept.map((c) => `(${c.join(' or ')})`)];
  if (parts.length <= 1) return parts[0]?.replace(/^\((.*)\)$/, '$1') ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function evaluatePolicy(tenant: TenantView, p: PolicyFacts, s: ResolvedScenario): PolicyEvaluation {
  const state = stateOf(p);
  const base: PolicyEvaluation = {
    name: p.name ?? p.path,
    file: p.path,
    displayName: typeof p.spec?.displayName === 'string' ? p.spec.displayName : undefined,
    owner: p.owner,
    state,
    applies: false,
    why: '',
    conditions: [],
    session: sessionControls(p),
    notes: [],
  };
  if (state === 'disabled') {
    base.why = p.spec?.state === 'disabled' ? 'skipped: the policy is disabled' : 'skipped: the policy has no `state` (Graph requires one)';
    return base;
  }
  const conditions = obj(p.spec?.conditions);
  const checks: ConditionCheck[] = [
    usersCheck(tenant, obj(conditions?.users), obj(conditions?.clientApplications), s),
    applicationsCheck(obj(conditions?.applications), s),
    platformsCheck(obj(conditions?.platforms), s),
    clientAppsCheck(strings(conditions?.clientAppTypes), s),
    locationsCheck(obj(conditions?.locations), s),
    riskCheck('signInRisk', 'signInRiskLevels', 'sign-in risk', strings(conditions?.signInRiskLevels), s.signInRisk),
    riskCheck('userRisk', 'userRiskLevels', 'user risk', strings(conditions?.userRiskLevels), s.userRisk),
    ...otherChecks(conditions),
  ].filter((c): c is ConditionCheck => c !== undefined);
  base.conditions = checks;
  const failed = checks.find((c) => !c.matches);
  const filter = obj(obj(conditions?.devices)?.deviceFilter);
  if (filter && typeof filter.rule === 'string') {
    base.notes.push(`${base.name}: the device filter (${String(filter.mode ?? 'include')}: ${filter.rule}) is not evaluated offline; the device is taken to be in scope`);
  }
  if (failed) {
    base.why = failed.detail;
    return base;
  }
  base.applies = true;
  base.why = checks.filter((c) => c.condition === 'users' || c.condition === 'applications' || c.condition === 'platforms' || c.condition === 'clientAppTypes' || c.condition === 'locations').map((c) => c.detail).join('; ');
  base.grant = evaluateGrant(tenant, p, s, base);
  return base;
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
  const isUser = (ref: string): boolean => !!s.upn && lower(ref) === lower(s.upn);
  const guestObject = (key: string): boolean => {
    const g = obj(u[key]);
    if (!g) return false;
    const types = typeof g.guestOrExternalUserTypes === 'string' ? g.guestOrExternalUserTypes : '';
    return types.split(',').map((t) => t.trim()).some((t) => t && t !== 'none');
  };
  // Exclusions first: they win over every inclusion.
  const exUser = excludeUsers.find(isUser);
  if (exUser) return { condition: 'users', matches: false, detail: `excluded: excludeUsers lists ${exUser}` };
  if (s.guest && (excludeUsers.includes('GuestsOrExternalUsers') || guestObject('excludeGuestsOrExternalUsers'))) {
    return { condition: 'users', matches: false, detail: 'excluded: guests and external users are excluded' };
  }
  for (const ref of strings(u.excludeGroups)) {
    const g = inGroup(ref);
    if (g) return { condition: 'users', matches: false, detail: `excluded: user is in excludeGroups ${groupText(ref)}${g.via === 'members' ? ' (a member, by the manifest)' : ''}` };
  }
  const exRole = strings(u.excludeRoles).find((r) => s.roles.includes(roleId(r)));
  if (exRole) return { condition: 'users', matches: false, detail: `excluded: role ${roleLabel(exRole)} is in excludeRoles` };
  // Inclusions.
  if (includeUsers.includes('None') && includeUsers.length === 1 && !strings(u.includeGroups).length && !strings(u.includeRoles).length) {
    return { condition: 'users', matches: false, detail: 'not applied: includeUsers is None (the policy targets nobody)' };
  }
  if (includeUsers.includes('All')) return { condition: 'users', matches: true, detail: 'user: All users' };
  const inUser = includeUsers.find(isUser);
  if (inUser) return { condition: 'users', matches: true, detail: `user: listed in includeUsers` };
  if (s.guest && (includeUsers.includes('GuestsOrExternalUsers') || guestObject('includeGuestsOrExternalUsers'))) {
    return { condition: 'users', matches: true, detail: 'user: guests and external users' };
  }
  for (const ref of strings(u.includeGroups)) {
    const g = inGroup(ref);
    if (g) return { condition: 'users', matches: true, detail: `user: member of ${groupText(ref)} (includeGroups)` };
  }
  const inRole = strings(u.includeRoles).find((r) => s.roles.includes(roleId(r)));
  if (inRole) return { condition: 'users', matches: true, detail: `user: role ${roleLabel(inRole)} (includeRoles)` };
  const targets: string[] = [];
  const named = includeUsers.filter((x) => x !== 'None');
  if (named.length) targets.push(`includeUsers ${list(named)}`);
  if (strings(u.includeGroups).length) targets.push(`includeGroups ${list(strings(u.includeGroups).map(groupName))}`);
  const roles = strings(u.includeRoles);
  if (roles.length) targets.push(`includeRoles (${roles.length === 1 ? roleLabel(roles[0]!) : `${roles.length} roles`}${s.roles.length ? '' : '; the scenario names no role'})`);
  if (u.includeGuestsOrExternalUsers) targets.push('guests or external users');
  return { condition: 'users', matches: false, detail: `not applied: user is not in ${targets.join(' or ') || 'the policy\'s users'}` };
}

/** Whether a reference in include/excludeApplications names the scenario's app. With `All` the scenario reaches every app. */
function appMatches(ref: string, app: string): boolean {
  if (ref === 'All') return true;
  if (app === 'All') return true;
  if (lower(ref) === lower(app)) return true;
  if (ref === 'Office365' && OFFICE365_APPS[lower(app)]) return true;
  if (app === 'Office365' && OFFICE365_APPS[lower(ref)]) return true;
  return false;
}

function applicationsCheck(a: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck {
  const include = strings(a?.includeApplications);
  const exclude = strings(a?.excludeApplications);
  const actions = strings(a?.includeUserActions);
  const contexts = strings(a?.includeAuthenticationContextClassReferences);
  const app = s.app;
  if (!include.length || (include.length === 1 && include[0] === 'None')) {
    if (actions.length) return { condition: 'applications', matches: false, detail: `not applied: the policy targets user actions (${actions.join(', ')}), not app sign-ins` };
    if (contexts.length) return { condition: 'applications', matches: false, detail: `not applied: the policy targets authentication contexts (${contexts.join(', ')}), not app sign-ins` };
    return { condition: 'applications', matches: false, detail: 'not applied: includeApplications names no app' };
  }
  const hit = include.find((ref) => appMatches(ref, app));
  if (!hit) return { condition: 'applications', matches: false, detail: `not applied: app ${app} not in includeApplications ${list(include)}` };
  if (app === 'All') {
    // Every app: the policy applies unless it excludes everything it includes.
    const left = include.filter((ref) => ref === 'All' || !exclude.some((x) => lower(x) === lower(ref)));
    if (!left.length) return { condition: 'applications', matches: false, detail: `excluded: every app in includeApplications is in excludeApplications ${list(exclude)}` };
    return { condition: 'applications', matches: true, detail: `app: ${include.includes('All') ? 'All cloud apps' : `${list(include)} (part of every app)`}` };
  }
  const ex = exclude.find((ref) => appMatches(ref, app));
  if (ex) return { condition: 'applications', matches: false, detail: `excluded: app ${app} is in excludeApplications${ex !== app ? ` (${ex})` : ''}` };
  return { condition: 'applications', matches: true, detail: `app: ${hit === 'All' ? `All cloud apps (${app})` : `${app} in includeApplications`}` };
}

function platformsCheck(pl: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck {
  const include = strings(pl?.includePlatforms);
  const exclude = strings(pl?.excludePlatforms);
  const p = s.platform;
  if (exclude.some((x) => lower(x) === lower(p) || x === 'all')) return { condition: 'platforms', matches: false, detail: `excluded: platform ${p} in excludePlatforms ${list(exclude)}` };
  if (!pl || !include.length) return { condition: 'platforms', matches: true, detail: 'platform: any (no platform condition)' };
  if (include.includes('all')) return { condition: 'platforms', matches: true, detail: `platform: all${exclude.length ? ` except ${exclude.join(', ')}` : ''}` };
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

function locationsCheck(l: Record<string, unknown> | undefined, s: ResolvedScenario): ConditionCheck | undefined {
  const include = strings(l?.includeLocations);
  const exclude = strings(l?.excludeLocations);
  if (!include.length && !exclude.length) return undefined;
  const loc = s.location;
  const label = loc === undefined ? 'an untrusted location' : loc === 'trusted' ? 'a trusted location' : `location ${loc}`;
  const matches = (ref: string): boolean => ref === 'All' || (ref === 'AllTrusted' && loc === 'trusted') || (loc !== undefined && lower(ref) === lower(loc));
  const ex = exclude.find(matches);
  if (ex) return { condition: 'locations', matches: false, detail: `excluded: ${label} is in excludeLocations (${ex})` };
  if (!include.length) return { condition: 'locations', matches: true, detail: `location: ${label}` };
  const hit = include.find(matches);
  if (hit) return { condition: 'locations', matches: true, detail: `location: ${label} in includeLocations (${hit})` };
  return { condition: 'locations', matches: false, detail: `not applied: ${label} not in includeLocations ${list(include)}` };
}

function riskCheck(condition: ConditionName, key: string, what: string, levels: string[], level: string): ConditionCheck | undefined {
  if (!levels.length) return undefined;
  if (levels.includes(level)) return { condition, matches: true, detail: `${what}: ${level} in ${key}` };
  return { condition, matches: false, detail: `not applied: ${what} ${level} not in ${key} ${list(levels)}` };
}

/** Conditions the scenario cannot meet offline: they keep the policy out, and say so. */
function otherChecks(conditions: Record<string, unknown> | undefined): ConditionCheck[] {
  const out: ConditionCheck[] = [];
  const insider = conditions?.insiderRiskLevels;
  if (typeof insider === 'string' && insider.trim()) out.push({ condition: 'other', matches: false, detail: `not applied: insiderRiskLevels (${insider}) — the scenario has no insider risk` });
  const flows = obj(conditions?.authenticationFlows)?.transferMethods;
  if (typeof flows === 'string' && flows.split(',').some((f) => f.trim() && f.trim() !== 'none')) {
    out.push({ condition: 'other', matches: false, detail: `not applied: authenticationFlows (${flows}) — the scenario is an ordinary sign-in, not a transfer flow` });
  }
  const sp = strings(conditions?.servicePrincipalRiskLevels);
  if (sp.length) out.push({ condition: 'other', matches: false, detail: `not applied: servicePrincipalRiskLevels ${list(sp)} apply to workload identities` });
  return out;
}

function sessionControls(p: PolicyFacts): string[] {
  const sc = obj(p.spec?.sessionControls);
  if (!sc) return [];
  const out: string[] = [];
  const enabled = (k: string): Record<string, unknown> | undefined => {
    const v = obj(sc[k]);
    return v && v.isEnabled !== false ? v : undefined;
  };
  const sif = enabled('signInFrequency');
  if (sif) out.push(sif.frequencyInterval === 'everyTime' ? 'sign-in frequency: every time' : `sign-in frequency: ${String(sif.value ?? '?')} ${String(sif.type ?? '')}`.trim());
  const pb = enabled('persistentBrowser');
  if (pb) out.push(`persistent browser: ${String(pb.mode ?? '?')}`);
  const cas = enabled('cloudAppSecurity');
  if (cas) out.push(`Conditional Access App Control: ${String(cas.cloudAppSecurityType ?? '?')}`);
  if (enabled('applicationEnforcedRestrictions')) out.push('app enforced restrictions');
  if (enabled('secureSignInSession')) out.push('token protection');
  if (sc.disableResilienceDefaults === true) out.push('resilience defaults disabled');
  return out;
}

const LABELS: Record<string, string> = {
  block: 'block',
  mfa: 'MFA',
  compliantDevice: 'a compliant device',
  domainJoinedDevice: 'a hybrid joined device',
  compliantApplication: 'app protection',
  approvedApplication: 'an approved client app',
  passwordChange: 'a password change',
  riskRemediation: 'risk remediation',
};

function evaluateGrant(tenant: TenantView, p: PolicyFacts, s: ResolvedScenario, ev: PolicyEvaluation): GrantEvaluation {
  const gc = obj(p.spec?.grantControls);
  const operator: 'AND' | 'OR' = typeof gc?.operator === 'string' && gc.operator.toUpperCase() === 'AND' ? 'AND' : 'OR';
  const controls: ControlEvaluation[] = [];
  for (const c of strings(gc?.builtInControls)) {
    if (c === 'unknownFutureValue') continue;
    controls.push(controlStatus(tenant, c, s, ev));
  }
  const strength = obj(gc?.authenticationStrength);
  if (strength) {
    const id = typeof strength.id === 'string' ? strength.id : undefined;
    const name = (typeof strength.displayName === 'string' ? strength.displayName : undefined) ?? (id ? AUTH_STRENGTHS[id] ?? `authentication strength ${id}` : 'an authentication strength');
    controls.push({ control: 'authenticationStrength', label: /strength/.test(name) ? name : `${name} (authentication strength)`, status: 'required', reason: 'proven at sign-in; never satisfied offline' });
  }
  for (const t of strings(gc?.termsOfUse)) controls.push({ control: `termsOfUse:${t}`, label: `accepting terms of use ${t}`, status: 'required' });
  for (const f of strings(gc?.customAuthenticationFactors)) controls.push({ control: `custom:${f}`, label: `custom control ${f}`, status: 'required' });

  if (controls.some((c) => c.status === 'block')) return { operator, controls, outcome: 'block', summary: 'block' };
  const live = controls.filter((c) => c.status !== 'notEnforced');
  if (!live.length) {
    const why = controls.length ? ` — ${controls.map((c) => c.reason ?? c.label).join('; ')}` : gc ? '' : ' (session controls only)';
    return { operator, controls, outcome: 'granted', summary: `granted: nothing to meet${why}` };
  }
  const satisfied = live.filter((c) => c.status === 'satisfied');
  const open = live.filter((c) => c.status === 'required');
  const impossible = live.filter((c) => c.status === 'unsatisfiable');
  if (operator === 'OR') {
    if (satisfied.length) return { operator, controls, outcome: 'granted', summary: `granted: ${satisfied.map((c) => c.label).join(', ')} met` };
    if (open.length) {
      for (const c of impossible) ev.notes.push(`${ev.name}: ${c.reason}; the other option${open.length > 1 ? 's remain' : ' remains'}`);
      return { operator, controls, outcome: 'requires', needs: { operator, controls: open }, summary: `requires ${open.map((c) => c.label).join(' or ')}` };
    }
    return { operator, controls, outcome: 'unsatisfiable', summary: `unsatisfiable: ${impossible.map((c) => c.reason).join('; ')}` };
  }
  if (impossible.length) return { operator, controls, outcome: 'unsatisfiable', summary: `unsatisfiable: ${impossible.map((c) => c.reason).join('; ')}` };
  if (open.length) return { operator, controls, outcome: 'requires', needs: { operator, controls: open }, summary: `requires ${open.map((c) => c.label).join(' and ')}` };
  return { operator, controls, outcome: 'granted', summary: `granted: ${satisfied.map((c) => c.label).join(', ')} met` };
}

/**
 * One control for this sign-in. Whether it can be met at all on the platform, for this user, is the tenant model's
 * answer (the same the rules give); the scenario then says whether this sign-in meets it.
 */
function controlStatus(tenant: TenantView, control: string, s: ResolvedScenario, ev: PolicyEvaluation): ControlEvaluation {
  const label = LABELS[control] ?? control;
  const platform = canonicalPlatform(s.platform);
  const pLabel = platform ? PLATFORM_LABELS[platform] : s.platform;
  const model = modelOf(tenant);
  const ability = model.control(control, platform, s.platform, s.groups.map((g) => g.name));
  const base = { control, label, ...(ability.rule ? { rule: ability.rule } : {}) };
  if (ability.status === 'block') return { ...base, status: 'block' };
  if (ability.status === 'notEnforced') return { ...base, status: 'notEnforced', reason: ability.reason };
  if (ability.status === 'impossible') return { ...base, status: 'unsatisfiable', reason: ability.reason };
  switch (control) {
    case 'compliantDevice':
      if (ability.missing) ev.notes.push(`${ev.name}: ${ability.reason}`);
      else if (platform) coverageNote(tenant, model.compliancePolicies(platform, s.groups.map((g) => g.name)), s, ev, 'compliance policy', `compliance on ${pLabel}`);
      return { ...base, status: s.deviceCompliant ? 'satisfied' : 'required' };
    case 'compliantApplication':
      if (platform === 'windows') ev.notes.push(`${ev.name}: app protection on Windows covers Microsoft Edge only`);
      if (platform) coverageNote(tenant, model.appProtectionPolicies(platform), s, ev, 'app protection policy', `app protection on ${pLabel}`);
      return { ...base, status: s.appProtected ? 'satisfied' : 'required' };
    case 'domainJoinedDevice':
      return { ...base, status: s.hybridJoined ? 'satisfied' : 'required' };
    default:
      return { ...base, status: 'required', reason: control === 'mfa' ? 'proven at sign-in; never satisfied offline' : undefined };
  }
}

/** A note when the Intune policies of a platform are assigned only to groups the scenario does not put the user in. */
function coverageNote(tenant: TenantView, policies: PolicyFacts[], s: ResolvedScenario, ev: PolicyEvaluation, what: string, need: string): void {
  const includes = policies.flatMap((p) => assignmentIncludes(p, tenant.manifest));
  if (includes.includes('allUsers') || includes.includes('allDevices')) return;
  if (includes.some((g) => s.groups.some((x) => x.name === g))) return;
  const names = policies.map((p) => p.name ?? p.path).join(', ');
  ev.notes.push(`${ev.name}: ${need} relies on ${names}, assigned to ${includes.length ? includes.join(', ') : 'no group'}, and the scenario does not put the user in ${includes.length > 1 ? 'any of them' : 'it'}; a user the ${what} does not reach cannot meet it`);
}

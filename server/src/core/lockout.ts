/**
 * The lockout check: What If for the accounts that must always get in (break-glass) and for a sample user of every
 * group the Conditional Access policies include, on every platform the tenant uses or a policy names (the model's
 * `signInPlatforms`), for every app, in a browser and in mobile/desktop apps. A scenario that ends with a requirement
 * the tenant cannot meet is a lockout, and so is one that ends blocked by a policy on every app, Microsoft 365 or (for
 * an account with a role) the admin portals, in every location, on every platform and device (`locksOut`).
 *
 * Each sign-in is the most favourable one: from a trusted location, with no sign-in or user risk. A block or an
 * unsatisfiable requirement does not depend on the device state, so the device is left unmanaged (not compliant,
 * no app protection, not hybrid joined) to show what each account would need.
 */
import { usersKeywordAsGroup } from './schema/graph-constraints';
import { graphRefuses } from './schema/issue';
import { asObject } from './document';
import type { PolicyFacts } from './facts';
import type { TenantView } from './rule';
import { activeCaPolicies, applyingCaPolicies, caTargets, caUsers, includesDevicesByFilter, tenantPlatforms, uncoveredTargets } from './tenant-query';
import { clientAppCoverage } from './model/sign-in-scope';
import { COMPLIANT_NETWORK, locationLabel, onlyCompliantNetwork } from './model/named-locations';
import { compliantDeviceByFilter, filterApplies, filterScopeText, filterUnknownText } from './model/device-filter';
import { resolveGroup } from './model/groups';
import { reachingEveryAccountText, roleLabel } from './model/break-glass';
import { modelOf, type NotAnalysed, type TenantModel } from './model/index';
import { allFailText, anyOfText, optionReason, deviceFilterNote, doubtGroups, evaluate, notDeployableText, type PolicyEvaluation, type Unsatisfiable, type WhatIfResult, type WhatIfScenario } from './whatif';
import { APP_PROTECTION_COVERED, APP_SCOPE_RULE, DEVICE_ADMIN_RULE, grantControlNames, managedWindowsFix, OS_VERSION_RULE, STRENGTH_PLATFORM_RULE, type ControlGap, type UndeclaredFact } from './model/grants';
import { isPlatform, PLATFORM_LABELS, PLATFORMS, type Platform } from './platforms';
import { article, listText } from './prose';

export const LOCKOUT_CLIENT_APPS = ['browser', 'mobileAppsAndDesktopClients'] as const;

export interface LockoutSubject {
  /** The user principal name evaluated (a real break-glass account, or a synthetic `sample@<group>`). */
  user: string;
  /** Groups the scenario names directly. */
  groups: string[];
  /** Directory roles the account holds (break-glass accounts: the manifest's `breakGlass.roles`, Global Administrator by default). */
  roles?: string[];
  kind: 'breakGlass' | 'sample';
  /** How the output names it: "bg-admin1@contoso.com (break-glass)". */
  label: string;
  /**
   * Whether the sign-in comes through the Global Secure Access compliant network, when the check assumes it: `false`
   * for a break-glass account (`lockoutScenario`), which signs in when the rest has failed, the Global Secure Access
   * client and service included. What If takes the same assumption as `--compliant-network no`; without it, a sign-in
   * from a trusted location may or may not come through that network, and What If says "may be".
   */
  compliantNetwork?: boolean;
}

/**
 * The \`ztp whatif\` options that ask What If for one of the check's sign-ins (with \`--platform\` and \`--client-app\`):
 * the account, its groups and roles, and what the check assumes of the sign-in (a trusted location, no risk; a
 * break-glass account's not through the Global Secure Access compliant network). Each verdict of the check is the one
 * What If gives with them.
 */
export function lockoutWhatIfOptions(subject: LockoutSubject): string[] {
  return [
    '--user',
    [subject.user, ...subject.groups].join(','),
    ...(subject.roles ?? []).flatMap((r) => ['--role', roleLabel(r)]),
    '--location',
    'trusted',
    ...(subject.compliantNetwork !== undefined ? ['--compliant-network', subject.compliantNetwork ? 'yes' : 'no'] : []),
  ];
}

export interface LockoutFinding {
  /** Who is locked out (break-glass accounts and sample users are never mixed: their fixes differ). */
  subjects: LockoutSubject[];
  verdict: 'blocked' | 'unsatisfiable';
  policy: string;
  file: string;
  platforms: string[];
  clientApps: string[];
  /** Why the sign-in ends there: the block or the requirement that cannot be met, and why the policy applies. */
  explanation: string;
  /** What to change, and where. */
  fix: string;
  /** For a sign-in that may be locked out (`mayLockOut`): the grant control in doubt (`compliantDevice`, `compliantApplication`, `block`). */
  control?: string;
  /**
   * For a sign-in that may be locked out: the rule whose reading leaves it in doubt, when it is not whom the policies
   * reach (`compliance-requires-enrollment`: only the devices they enroll themselves are kept out;
   * `break-glass-not-excluded`: the policy may exclude the account by an object id the manifest does not list, or
   * through a break-glass group whose members it does not list: `mayBeInGroups`).
   */
  rule?: string;
  /** For a doubt of `break-glass-not-excluded`: the excluded break-glass groups, listing no members, the accounts may be in. */
  mayBeInGroups?: string[];
  /**
   * For a block that may lock a directory role's holders out: the groups it excludes that may hold them (the model's
   * `roleHolderExclusions`; the manifest does not say who holds a role), which they are let through if they are in.
   */
  roleHolderGroups?: string[];
  /**
   * For a sign-in that may be locked out: the manifest fact whose absence leaves it in doubt (What If's `undeclared`:
   * `secureByDefault`, `applePushCertificate`, `androidEnterprise`).
   */
  undeclared?: UndeclaredFact;
  /**
   * For a sign-in that may be locked out: what would keep it out (What If's `gap`; `unmanagedOnly`: app protection for
   * apps on unmanaged devices only; `unread`: a file not analysed may hold the policy the requirement rests on).
   */
  gap?: ControlGap;
  /**
   * For a sign-in that may be locked out by a grant under OR ("Require one of the selected controls") every option of
   * which is in doubt (What If's doubts with `operator: 'OR'`): each option, with why it may fail and what settles it.
   * The sign-in is blocked only if every one fails, so the grant is one entry, whose `explanation` and `fix` say so;
   * `control`, `rule`, `undeclared` and `gap` are then each option's, here, not the entry's. Absent otherwise.
   */
  alternatives?: LockoutAlternative[];
}

/** One option of a grant under OR that may fail (`LockoutFinding.alternatives`). */
export interface LockoutAlternative {
  /** The grant control (`compliantDevice`, `compliantApplication`…). */
  control: string;
  /** Why it may fail for these users (What If's reason for it). */
  explanation: string;
  /** What settles it, so that it is a way in. */
  fix: string;
  rule?: string;
  undeclared?: UndeclaredFact;
  gap?: ControlGap;
}

export interface LockoutWarning {
  subject?: LockoutSubject;
  policy?: string;
  file?: string;
  platforms: string[];
  message: string;
  /**
   * A block the break-glass accounts are not excluded from that is a restriction, not a lockout (a country allowlist):
   * what it leaves them (`locations`, `platforms`, `clientApps`). Emergency accounts must sign in from anywhere, so the
   * check says "restricted", never "every account can sign in" (`breakGlassRestricted`). Absent on other warnings.
   */
  restriction?: Restriction;
}

/** The warnings of restrictions on the break-glass accounts (`LockoutWarning.restriction`): "no lockout" is then not "every account can sign in". */
export function breakGlassRestricted(r: Pick<LockoutReport, 'warnings'>): LockoutWarning[] {
  return r.warnings.filter((w) => w.restriction !== undefined);
}

/** Learn's emergency access guidance, which the restriction warnings cite. */
const EMERGENCY_ACCESS_URL = 'https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access';

export interface LockoutReport {
  tenant: string;
  subjects: LockoutSubject[];
  platforms: string[];
  clientApps: string[];
  scenarios: number;
  findings: LockoutFinding[];
  warnings: LockoutWarning[];
  /**
   * Sign-ins that may end in a requirement no one can meet, what the files do not say deciding it (What If's
   * `uncertain`: a compliant device on a platform whose compliance policies are assigned to groups the manifest does
   * not put the users in, secureByDefault on; app protection whose policies are assigned to such groups; a compliant
   * device while secureByDefault, the Apple push certificate or the managed Google Play binding is not declared; a
   * control whose policy may be in a file not analysed, `gap: 'unread'`): neither a lockout found (the exit status stays
   * 0) nor "no lockout". Read where every block of the sign-in is a restriction too: a restriction hides no doubt, as
   * it hides no requirement no one can meet. Absent when none.
   */
  mayLockOut?: LockoutFinding[];
  /**
   * Files not analysed (they do not parse, or are Graph lists) that may hold a Conditional Access policy: the sign-ins
   * leave what they hold out, so "no lockout" is not known (`ztp whatif --lockout` exits 2, as for a file it cannot read).
   */
  unread?: readonly string[];
  /** Why each of `unread` is not analysed, by its path (the model's `hidingReasons`). */
  unreadWhy?: Readonly<Record<string, NotAnalysed>>;
  /**
   * Said when the manifest names no break-glass account (no `breakGlass.users` or `breakGlass.groups`) while a
   * Conditional Access policy is enabled, or a file not analysed may hold one: the sentence that says their sign-ins
   * were not checked and which key to add. Undeclared is unknown, not fine, so the verdict is "no lockout among the
   * accounts checked", never "every account can sign in"; the exit status is the one the other sign-ins give (a
   * missing manifest fact is `undeclared-fact`'s to ask for, not a failed gate). Absent otherwise.
   */
  breakGlassUndeclared?: string;
  /**
   * Said when the manifest lists no `platforms` and the sign-ins left some out: they were on the platforms the tenant's
   * Intune policies manage and those the Conditional Access policies name (the model's `signInPlatforms`), and a
   * platform no file names may be in use all the same. Undeclared is unknown, not absent, so the verdict is "no lockout
   * on the platforms checked", never "on every platform"; the exit status is the one the other sign-ins give. Absent
   * otherwise (declared, or every platform tried).
   */
  platformsUndeclared?: string;
  /**
   * Why the check could not run: the tenant's manifest cannot be used (it does not parse, or is no mapping). Who the
   * break-glass accounts are, the groups and the platforms are all in it, so no verdict is given: "no lockout" from
   * an unreadable manifest would pass a CI gate on the worst lockout there is.
   */
  problem?: string;
}

/**
 * Who the check signs in as: each break-glass account, a sample member of each group the active policies include or
 * let through, and of each group an enrollment restriction keeps from enrolling a type, a Global Administrator and a
 * holder of each included role (the model's `signInRoles`), and a user in no group.
 */
export function lockoutSubjects(tenant: TenantView): LockoutSubject[] {
  const m = tenant.manifest;
  const out: LockoutSubject[] = [];
  const seen = new Set<string>();
  const add = (s: LockoutSubject): void => {
    const key = s.user.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    // A break-glass account signs in when the rest has failed, the Global Secure Access client and service included:
    // not through the compliant network (https://learn.microsoft.com/entra/global-secure-access/how-to-compliant-network).
    out.push(s.kind === 'breakGlass' ? { ...s, compliantNetwork: false } : s);
  };
  if (!m) return out;
  const bg = modelOf(tenant).breakGlass;
  const roles = bg.roles;
  // One subject per account: an object id listed beside its name is that account (What If reads it as an alias).
  for (const a of bg.accounts()) add({ user: a.name, groups: [], roles, kind: 'breakGlass', label: `${a.name} (break-glass)` });
  const bgGroups = bg.groups;
  for (const g of bgGroups) {
    const directory = modelOf(tenant).groups;
    const members = [...directory.closure(g).users];
    for (const u of members) add({ user: u, groups: [], roles, kind: 'breakGlass', label: `${u} (break-glass, member of ${g})` });
    // A group that lists no members, or nests one that lists none, may hold other accounts: a member of each such group
    // signs in too (so excluding that nested group excludes it, as it does in Entra).
    for (const u of directory.unlisted(g)) add({ user: `sample@${u}`, groups: [u], roles, kind: 'breakGlass', label: u === g ? `sample@${g} (a member of the break-glass group ${g})` : `sample@${u} (a member of ${u}, in the break-glass group ${g})` });
  }
  const included = new Set<string>();
  for (const p of activeCaPolicies(tenant)) for (const ref of caUsers(p).includeGroups) included.add(resolveGroup(m, ref) ?? ref);
  // The groups a block of All users lets through (an allowlist): their members are the users meant to get in.
  for (const p of activeCaPolicies(tenant)) for (const g of allowlistGroups(p, modelOf(tenant))) included.add(g);
  // The groups an enrollment restriction keeps from enrolling a type others may enroll: a policy that requires a
  // compliant device of everyone locks them out there (What If says so of one of them).
  for (const g of modelOf(tenant).enrollment.blockingGroups()) included.add(g);
  // The groups a policy requiring a compliant device (or app protection) targets that the platform's compliance (or app
  // protection) policies leave out (one of them excludes the group, say): ca-group-alignment's gaps, sampled so that the
  // check reads what the rule says.
  for (const g of alignmentGaps(tenant)) included.add(g);
  for (const g of [...included].sort()) {
    // A template's variable names a group only once substituted: no one to sign in as (the warnings say so).
    // A group the manifest declares is a group whatever its name looks like (`__ALL_STAFF__`).
    // A users keyword written as a group (`includeGroups: [All]`, `excludeGroups: [GuestsOrExternalUsers]` in a block's
    // allowlist) names no group whose member to sign in as, unless the manifest declares a group of that name: the
    // schema reports it, and the policy is not deployable as written.
    if (bgGroups.includes(g) || modelOf(tenant).groups.isTemplateVariable(g) || (usersKeywordAsGroup(g) && !resolveGroup(m, g))) continue;
    add({ user: `sample@${g}`, groups: [g], kind: 'sample', label: `sample@${g} (a member of ${g})` });
  }
  // A holder of Global Administrator, and of each directory role the active policies include (the model's one answer).
  for (const { id, label } of modelOf(tenant).signInRoles) {
    const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    add({ user: `sample@role-${slug}`, groups: [], roles: [id], kind: 'sample', label: `sample@role-${slug} (holds the ${label} role)` });
  }
  add({ user: 'sample@all-users', groups: [], kind: 'sample', label: 'sample@all-users (a user in none of the groups)' });
  return out;
}

/**
 * The groups that policies requiring a compliant device (or app protection) target and the compliance (or app
 * protection) policies of one of their platforms do not cover (`uncoveredTargets`, the rule's reading): a sample member
 * of each signs in.
 */
function alignmentGaps(tenant: TenantView): string[] {
  const model = modelOf(tenant);
  const out = new Set<string>();
  for (const p of applyingCaPolicies(tenant)) {
    const controls = grantControlNames(p);
    const targets = caTargets(p, tenant.manifest);
    const add = (platforms: readonly Platform[], policiesOf: (platform: Platform) => PolicyFacts[]): void => {
      for (const platform of platforms) {
        const intune = policiesOf(platform);
        if (!intune.length) continue;
        for (const g of uncoveredTargets(targets, intune, tenant.manifest)) if (g !== 'All users') out.add(g);
      }
    };
    if (controls.includes('compliantDevice') && !includesDevicesByFilter(p)) add(model.caPlatforms(p), (pl) => model.compliancePolicies(pl));
    // App protection is assigned to users whatever their device: every platform a device filter may take in.
    if (controls.includes('compliantApplication')) add(model.caPlatformsReached(p).filter((pl) => APP_PROTECTION_COVERED.includes(pl)), (pl) => model.appProtectionPolicies(pl));
  }
  return [...out];
}

/** One more sign-in a finding (certain or in doubt) covers: its account, platform, client app and why, each once. */
function joinSignIn(had: { subjects: LockoutSubject[]; platforms: string[]; clientApps: string[]; whys: Applies[] }, subject: LockoutSubject, platform: string, clientApp: string, why: Applies): void {
  if (!had.subjects.includes(subject)) had.subjects.push(subject);
  if (!had.platforms.includes(platform)) had.platforms.push(platform);
  if (!had.clientApps.includes(clientApp)) had.clientApps.push(clientApp);
  if (!had.whys.some((w) => sameApplies(w, why))) had.whys.push(why);
}

/**
 * Why a policy applies to a sign-in, as the explanation groups it across accounts: whom What If's users condition
 * takes the account in as (its `detail`, and `who`, the same without "user: "), and the rest of its `why`, part by part
 * (`whyParts`: apps, platform, client app, location, device filter, an object id doubt).
 */
interface Applies {
  user?: { detail: string; who: string };
  rest: string[];
}

function appliesOf(p: PolicyEvaluation): Applies {
  const users = p.conditions.find((c) => c.condition === 'users' && c.matches && c.who !== undefined);
  const rest = (p.whyParts ?? []).filter((x) => x.condition !== 'users').map((x) => x.detail);
  return { ...(users ? { user: { detail: users.detail, who: users.who! } } : {}), rest };
}

function sameApplies(a: Applies, b: Applies): boolean {
  return a.user?.detail === b.user?.detail && a.rest.length === b.rest.length && a.rest.every((x, i) => x === b.rest[i]);
}

/**
 * The sign-in the check evaluates for an account: the most favourable one (a trusted location, no risk; the device
 * unmanaged; a break-glass account's not through the Global Secure Access compliant network). `ztp diff` evaluates the same grid on both sides of a change.
 */
export function lockoutScenario(subject: LockoutSubject, platform: string, clientApp: string, app = 'All'): WhatIfScenario {
  // What the subject says of the compliant network (a break-glass account's: not through it, `lockoutSubjects`); a
  // break-glass subject made elsewhere (\`ztp diff\`'s) is read the same way.
  const compliantNetwork = subject.compliantNetwork ?? (subject.kind === 'breakGlass' ? false : undefined);
  return { user: subject.user, groups: subject.groups, ...(subject.roles ? { roles: subject.roles, ...(subject.kind === 'sample' ? { roleHolder: true } : {}) } : {}), platform, app, clientApp, location: 'trusted', ...(compliantNetwork !== undefined ? { compliantNetwork } : {}) };
}

export function lockoutCheck(tenant: TenantView): LockoutReport {
  if (!tenant.manifest) {
    const problem = `the tenant's manifest cannot be used (${tenant.manifestProblem ?? 'it cannot be read'}): the lockout check needs its break-glass accounts, groups and platforms, so it did not run`;
    return { tenant: tenant.root ?? '', subjects: [], platforms: [], clientApps: [...LOCKOUT_CLIENT_APPS], scenarios: 0, findings: [], warnings: [], problem };
  }
  const subjects = lockoutSubjects(tenant);
  // Every platform a sign-in may come from, as the rules read them (the model's one answer): the tenant's platforms, and
  // those a CA policy names, which count even when the manifest does not list them (review r28, p08). Blocks that each
  // leave some platforms open are judged together on the tenant's platforms alone (`inUse`): a platform only a policy
  // names, open, does not let in users whose devices run the others.
  const platforms = modelOf(tenant).signInPlatforms;
  const inUse = tenantPlatforms(tenant);
  // A file that may hold a CA policy and is not analysed: the sign-ins below leave it out (a file that cannot be read is
  // not missing), so the check says what it could not see.
  const unread = modelOf(tenant).hidingPaths('ConditionalAccessPolicy');
  const findings = new Map<string, LockoutHit & { subjects: LockoutSubject[]; platforms: string[]; clientApps: string[]; whys: Applies[] }>();
  const warnings = new Map<string, LockoutWarning>();
  const doubts = new Map<string, LockoutFinding & { whys: Applies[] }>();
  const doubt = (subject: LockoutSubject, platform: string, clientApp: string, r: WhatIfResult): void => {
    const byName = new Map(r.policies.map((p) => [p.name, p]));
    // A grant's options under OR that are each in doubt are one doubt (What If's `doubtGroups`): the sign-in is
    // blocked only if every one fails.
    for (const group of doubtGroups(r.uncertain ?? [])) {
      const u = group[0]!;
      const p = byName.get(u.policy)!;
      if (u.operator === 'OR' && !p.unknownDeviceFilter) {
        anyOfDoubt(subject, platform, clientApp, p, group);
        continue;
      }
      for (const u of group) oneDoubt(subject, platform, clientApp, p, u);
    }
  };
  const anyOfDoubt = (subject: LockoutSubject, platform: string, clientApp: string, p: PolicyEvaluation, group: Unsatisfiable[]): void => {
    const reason = anyOfText(group);
    const key = `${subject.kind}\u0000${p.name}\u0000${reason}`;
    const had = doubts.get(key);
    if (had) {
      joinSignIn(had, subject, platform, clientApp, appliesOf(p));
      return;
    }
    const alternatives: LockoutAlternative[] = group.map((u) => ({
      control: u.control,
      explanation: u.reason,
      fix: uncertainFix(p, subject, platform, u.control, u.rule, u.undeclared, u.gap, u.label ?? u.control),
      ...(u.rule ? { rule: u.rule } : {}),
      ...(u.undeclared ? { undeclared: u.undeclared } : {}),
      ...(u.gap ? { gap: u.gap } : {}),
    }));
    doubts.set(key, {
      subjects: [subject],
      verdict: 'unsatisfiable',
      policy: p.name,
      file: p.file,
      platforms: [platform],
      clientApps: [clientApp],
      explanation: reason,
      fix: anyOfFix(p, group, alternatives),
      ...(group.some((u) => u.rule === 'break-glass-not-excluded') && p.mayBeInGroups?.length ? { mayBeInGroups: p.mayBeInGroups } : {}),
      alternatives,
      whys: [appliesOf(p)],
    });
  };
  const oneDoubt = (subject: LockoutSubject, platform: string, clientApp: string, p: PolicyEvaluation, u: Unsatisfiable): void => {
    // A policy whose device filter reads what is not known offline may apply (What If's doubt); the grid signs in with
    // the favourable device, one the filter leaves out (`deviceFiltered`), and its warning says which devices those are.
    // What keeps the requirement in doubt for the devices the filter takes in is still said (What If's note before
    // it was a doubt): a warning, as the filter's own.
    if (p.unknownDeviceFilter) {
      if (u.control !== 'block' && u.undeclared) {
        const message = `${u.policy}: ${u.reason}`;
        const had = warnings.get(`\u0000${message}`);
        if (!had) warnings.set(`\u0000${message}`, { policy: u.policy, file: u.file, platforms: [platform], message });
        else if (!had.platforms.includes(platform)) had.platforms.push(platform);
      }
      return;
    }
    // A block that may not exclude the account is read as a certain one would be: one that leaves some locations,
    // platforms, apps or devices open is a restriction, not a lockout, so no doubt of one either.
    if (u.control === 'block' && restrictionOf(tenant.policies.find((x) => x.path === u.file && (x.name ?? x.path) === u.policy), subject, modelOf(tenant), platform)) return;
    const key = `${subject.kind}\u0000${u.policy}\u0000${u.reason}`;
    const had = doubts.get(key);
    if (had) joinSignIn(had, subject, platform, clientApp, appliesOf(p));
    else {
      doubts.set(key, { subjects: [subject], verdict: u.control === 'block' ? 'blocked' : 'unsatisfiable', policy: u.policy, file: u.file, platforms: [platform], clientApps: [clientApp], explanation: u.reason, fix: uncertainFix(p, subject, platform, u.control, u.rule, u.undeclared, u.gap), control: u.control, ...(u.rule ? { rule: u.rule } : {}), ...(u.gap ? { gap: u.gap } : {}), ...(u.rule === 'break-glass-not-excluded' && p.mayBeInGroups?.length ? { mayBeInGroups: p.mayBeInGroups } : {}), ...(u.undeclared ? { undeclared: u.undeclared } : {}), whys: [appliesOf(p)] });
    }
  };
  // A block that may lock a role's holders out, unless they are in a group it excludes (`roleHolderDoubts`).
  const roleHolderDoubt = (subject: LockoutSubject, platform: string, clientApp: string, hit: LockoutHit, groups: string[]): void => {
    const key = `${subject.kind}\u0000${hit.policy}\u0000roleHolders\u0000${groups.join('\u0000')}`;
    const had = doubts.get(key);
    if (had) {
      joinSignIn(had, subject, platform, clientApp, hit.why);
      return;
    }
    const named = listText(groups.map((g) => `\`${g}\``), 'or');
    // A template's variable names its group only once filled in (`break-glass-not-excluded`'s reading of it too).
    const variables = groups.filter((g) => modelOf(tenant).groups.isTemplateVariable(g));
    const substituted = variables.length ? `; ${listText(variables.map((g) => `\`${g}\``))} ${variables.length > 1 ? "are a template's variables" : "is a template's variable"} (filled in per tenant when the template is deployed), whose group is known once substituted` : '';
    doubts.set(key, {
      subjects: [subject],
      verdict: 'blocked',
      policy: hit.policy,
      file: hit.file,
      platforms: [platform],
      clientApps: [clientApp],
      explanation: `${hit.cause} unless the role's holders are in ${named}, which it excludes: zerotrust.yaml does not say who holds a directory role, so whether they are in ${groups.length > 1 ? 'one of them' : 'it'} is unknown (the check signs a sample holder in as a member of no group)${substituted}`,
      fix: `if the holders of the role are in ${named} (as a persona framework puts its admins in the admins' persona group), nothing is locked out; otherwise add them to ${groups.length > 1 ? 'one of them' : 'it'}, or exclude them from ${hit.policy}`,
      control: 'block',
      roleHolderGroups: groups,
      whys: [hit.why],
    });
  };
  // The blocks that restrict the break-glass accounts (`restrictedHere`), one warning per policy and what it leaves
  // open, with the platforms and client apps it blocks them on. A block of some apps or of some devices is not said:
  // the accounts still reach what an emergency needs (the admin portals), and a device filter has its own warning.
  const restrictedBreakGlass = new Map<string, RestrictedBreakGlass>();
  const restricted = (x: SignInLockouts['restrictions'][number], platform: string, clientApp: string): void => {
    if (x.restriction !== 'locations' && x.restriction !== 'platforms' && x.restriction !== 'clientApps') return;
    const key = `${x.file}\u0000${x.restriction}`;
    const had = restrictedBreakGlass.get(key);
    if (!had) restrictedBreakGlass.set(key, { policy: x.policy, file: x.file, restriction: x.restriction, source: x.source, platforms: [platform], clientApps: [clientApp] });
    else {
      if (!had.platforms.includes(platform)) had.platforms.push(platform);
      if (!had.clientApps.includes(clientApp)) had.clientApps.push(clientApp);
    }
  };
  const read = signInLockouts(tenant);
  let scenarios = 0;
  const add = (subject: LockoutSubject, platform: string, clientApp: string, f: LockoutHit): void => {
    // One finding per policy, verdict and cause, listing every account, platform and client app it hits.
    const key = `${subject.kind}\u0000${f.policy}\u0000${f.verdict}\u0000${f.cause}`;
    const had = findings.get(key);
    if (had) joinSignIn(had, subject, platform, clientApp, f.why);
    else findings.set(key, { ...f, subjects: [subject], platforms: [platform], clientApps: [clientApp], whys: [f.why] });
  };
  for (const subject of subjects) {
    // Blocks that each leave some platforms or client apps open, where every sign-in of the grid (which tries each)
    // ends all the same: together they leave nothing ("all platforms but iOS" beside "iOS"), a lockout.
    let everyEnded = true;
    let anyLockout = false;
    const kinds: SignInLockouts['restrictions'] = [];
    const split: { platform: string; clientApp: string; hit: LockoutHit }[] = [];
    // What the break-glass accounts' blocks that are restrictions leave them: said as warnings unless, together, they
    // leave nothing (a lockout, below).
    const restrictedHere: { platform: string; clientApp: string; x: SignInLockouts['restrictions'][number] }[] = [];
    for (const platform of platforms) {
      for (const clientApp of LOCKOUT_CLIENT_APPS) {
        scenarios++;
        const r = evaluate(tenant, lockoutScenario(subject, platform, clientApp));
        const reading = read(r, subject);
        const hits = reading.lockouts;
        for (const d of reading.roleHolderDoubts) roleHolderDoubt(subject, platform, clientApp, d.hit, d.groups);
        // What If keeps its doubts beside a block and beside a requirement no one can meet: where every block of this
        // sign-in is a restriction (a country allowlist), the user gets in from where it lets them, and meets there
        // what this sign-in's doubts say, as a requirement no one can meet is read there (`signInLockouts`): a
        // restriction hides neither. Beside another policy's requirement no one can meet, a doubt is still one once
        // that is fixed. Not beside a block that locks the account out (nothing else is met), nor of a policy that is
        // itself a lockout here.
        if (r.uncertain?.length && !hits.some((f) => f.verdict === 'blocked')) doubt(subject, platform, clientApp, { ...r, uncertain: r.uncertain.filter((u) => !hits.some((f) => f.policy === u.policy)) });
        anyLockout ||= hits.length > 0;
        if (subject.kind === 'breakGlass') for (const x of reading.restrictions) restrictedHere.push({ platform, clientApp, x });
        if (inUse.includes(platform as Platform)) {
          everyEnded &&= r.verdict === 'blocked' || r.verdict === 'unsatisfiable';
          kinds.push(...reading.restrictions);
          for (const x of reading.restrictions) split.push({ platform, clientApp, hit: x.hit });
        }
        const blocks = hits.some((f) => f.verdict === 'blocked');
        for (const f of hits) {
          // (Each side of complementary device filters is kept: the finding names how every device ends.)
          if (blocks && f.verdict !== 'blocked' && !f.branch) continue;
          add(subject, platform, clientApp, f);
        }
        for (const w of warningsOf(r, subject)) {
          const key = `${w.subject?.user ?? ''}\u0000${w.message}`;
          const had = warnings.get(key);
          if (had) {
            if (!had.platforms.includes(platform)) had.platforms.push(platform);
          } else warnings.set(key, { ...w, platforms: [platform] });
        }
      }
    }
    const platformBlocks = [...new Set(kinds.filter((x) => x.restriction === 'platforms').flatMap((x) => x.source ?? []))];
    const tries = gridTries(tenant, false, platformBlocks);
    const elsewhere = kinds.some((x) => !tries.includes(x.restriction));
    if (everyEnded && !anyLockout && !elsewhere && split.length) {
      const names = [...new Set(split.map((x) => x.hit.policy))];
      for (const { platform, clientApp, hit } of split) {
        const others = names.filter((n) => n !== hit.policy);
        add(subject, platform, clientApp, { ...hit, cause: others.length ? `${hit.cause}, and ${listOf(others)} ${others.length > 1 ? 'block' : 'blocks'} what it leaves open` : hit.cause });
      }
    } else {
      for (const { platform, clientApp, x } of restrictedHere) restricted(x, platform, clientApp);
    }
  }
  for (const w of restrictedBreakGlass.values()) warnings.set(`restricted\u0000${w.file}\u0000${w.restriction}`, { policy: w.policy, file: w.file, platforms: w.platforms, restriction: w.restriction, message: restrictedText(w, modelOf(tenant)) });
  // An enabled policy Graph would refuse that no sign-in of the grid reached (`includeGroups: [All]`, a keyword no one is
  // a member of) is said all the same: fixed, it would apply, and what it would do is not checked until then.
  for (const p of activeCaPolicies(tenant)) {
    const refused = p.spec?.state === 'enabled' ? p.schemaIssues.filter(graphRefuses).length : 0;
    const w = refused ? notDeployableWarning({ policy: p.name ?? p.path, file: p.path, schemaErrors: refused }) : undefined;
    if (w && ![...warnings.values()].some((x) => x.message === w.message)) warnings.set(`refused\u0000${p.path}`, { ...w, platforms });
  }
  // What the grid above left out for the break-glass accounts: the policies whose exclusions are a template's variables.
  const bg = modelOf(tenant).breakGlass;
  for (const p of activeCaPolicies(tenant)) {
    const v = bg.variableExclusions(p);
    const names = [...v.groups, ...v.users].map((x) => `\`${x}\``);
    if (!names.length || !bg.reason(p)) continue;
    warnings.set(`variable\u0000${p.path}`, {
      policy: p.name ?? p.path,
      file: p.path,
      platforms,
      message: `${p.name ?? p.path} excludes ${names.join(', ')}, a template's ${names.length > 1 ? 'variables' : 'variable'} (filled in per tenant when the template is deployed): whether it excludes the break-glass accounts is known once substituted, so their sign-ins through it are not checked`,
    });
  }
  // Whether any CA policy may be in force (one enabled, or one in a file not analysed): only then is an undeclared fact
  // worth saying.
  const anyInForce = unread.length > 0 || activeCaPolicies(tenant).some((p) => p.spec?.state === 'enabled');
  return {
    tenant: tenant.manifest?.name ?? tenant.root ?? '',
    subjects,
    platforms,
    clientApps: [...LOCKOUT_CLIENT_APPS],
    scenarios,
    findings: [...findings.values()].map(({ cause, why, whys, ...f }) => ({ ...f, explanation: explain(f.verdict, f.policy, cause, whys) })),
    warnings: [...warnings.values()],
    ...(doubts.size ? { mayLockOut: [...doubts.values()].map(({ whys, ...f }) => ({ ...f, explanation: explain(f.verdict, f.policy, f.explanation, whys) })) } : {}),
    ...(unread.length ? { unread, unreadWhy: modelOf(tenant).hidingReasons('ConditionalAccessPolicy') } : {}),
    ...(!subjects.some((s) => s.kind === 'breakGlass') && anyInForce ? { breakGlassUndeclared: breakGlassUndeclared(modelOf(tenant)) } : {}),
    ...(anyInForce ? platformsUndeclared(tenant, platforms) : {}),
  };
}

/** A block that restricts the break-glass accounts, with the sign-ins it blocks them on. */
interface RestrictedBreakGlass {
  policy: string;
  file: string;
  restriction: 'locations' | 'platforms' | 'clientApps';
  source: PolicyFacts | undefined;
  platforms: string[];
  clientApps: string[];
}

/**
 * The warning of a block that restricts the break-glass accounts: where they can still sign in (the locations a
 * country or office allowlist excludes, by name), or where they cannot (the platforms, the browser or the apps), and
 * the fix. Emergency access accounts must work from anywhere: Learn says to exclude them from every Conditional Access
 * policy (https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access).
 */
function restrictedText(w: RestrictedBreakGlass, model: TenantModel): string {
  const fix = `emergency access accounts must be able to sign in from anywhere, on any device: exclude them from ${w.policy} (\`ztp check --fix\` does it for rule break-glass-not-excluded; ${EMERGENCY_ACCESS_URL})`;
  if (w.restriction === 'locations') {
    const locations = asObject(asObject(w.source?.spec?.conditions)?.locations);
    const excluded = Array.isArray(locations?.excludeLocations) ? locations.excludeLocations.filter((l): l is string => typeof l === 'string' && l.trim() !== '') : [];
    const where = excluded.length ? listText(excluded.map((id) => locationLabel(model.namedLocations, id)), 'or') : 'the locations it excludes';
    return `restricted: break-glass accounts can only sign in from ${where}: ${w.policy} blocks every other location and does not exclude them; ${fix}`;
  }
  if (w.restriction === 'platforms') return `restricted: break-glass accounts cannot sign in on ${w.platforms.join(', ')}: ${w.policy} blocks them there and does not exclude them; ${fix}`;
  const how = w.clientApps.length > 1 ? 'in a browser or with mobile and desktop apps on some platforms' : w.clientApps[0] === 'browser' ? 'in a browser' : 'with mobile and desktop apps';
  return `restricted: break-glass accounts cannot sign in ${how} (on ${w.platforms.join(', ')}): ${w.policy} blocks them there and does not exclude them; ${fix}`;
}

/**
 * What the check says when zerotrust.yaml lists no `platforms` and the sign-ins left some out (`platformsUndeclared`):
 * where the platforms tried came from, those not tried, and the key that declares them (the one `undeclared-fact` asks
 * for when a policy for all platforms rests on it).
 */
function platformsUndeclared(tenant: TenantView, tried: readonly Platform[]): { platformsUndeclared?: string } {
  const model = modelOf(tenant);
  if (model.platformsDeclared) return {};
  const left = PLATFORMS.filter((pl) => !tried.includes(pl));
  if (!left.length) return {};
  const managed = model.platforms;
  const named = tried.filter((pl) => !managed.includes(pl));
  const from = [...(managed.length ? ["those the tenant's Intune policies manage"] : []), ...(named.length ? ['those the Conditional Access policies name'] : [])].join(' and ');
  return { platformsUndeclared: `the platforms in use are not declared, so the sign-ins were on ${from} (${tried.join(', ')}), not on ${listText(left, 'or')} (list the platforms in use in zerotrust.yaml under \`platforms\`, and the check signs in on each)` };
}

/**
 * What the check says when zerotrust.yaml names no break-glass account: who was not signed in, and the key that
 * declares them (the one `undeclared-fact` asks for).
 */
export const BREAK_GLASS_UNDECLARED =
  'the break-glass accounts are not declared, so their sign-ins were not checked (list them in zerotrust.yaml under `breakGlass.users`, or their group under `breakGlass.groups`, and the check signs in as each)';

/**
 * `BREAK_GLASS_UNDECLARED`, with what is certain whichever accounts they are (the model's `reachingEveryAccount`, which
 * the undeclared fact's note names too): "…; whatever they are, `X` and `Y` exclude no user, group or role an
 * emergency access account could be in, so they would reach every one".
 */
function breakGlassUndeclared(model: TenantModel): string {
  const reaching = reachingEveryAccountText(model.reachingEveryAccount());
  return reaching ? `${BREAK_GLASS_UNDECLARED}; whatever they are, ${reaching}` : BREAK_GLASS_UNDECLARED;
}

/** The resources no one may be blocked from without being locked out: every app, and Microsoft 365. */
const ESSENTIAL_APPS = ['All', 'Office365'];
/** And, for an account that holds a directory role (the break-glass accounts, role holders): the admin portals. */
const ADMIN_APPS = ['MicrosoftAdminPortals', '797f4846-ba00-4fd7-ba43-dac1f8f63013'];

/**
 * What a block that is no lockout leaves open to the account, the favourable sign-in going there: the groups it lets
 * through (an allowlist of groups), some apps, the locations it excludes (a country or office allowlist), some
 * platforms, browsers or apps, the devices its filter leaves out.
 */
export type Restriction = 'groups' | 'apps' | 'locations' | 'platforms' | 'clientApps' | 'devices';

/** What the lockout check reads of one sign-in. */
export interface SignInLockouts {
  /** The enforced policies that lock the account out here: a block that is no restriction, a requirement no one can meet. */
  lockouts: LockoutHit[];
  /**
   * The enforced policies that block the sign-in, each read as a restriction, and what it leaves open; for a block of
   * every app but some, the apps it leaves open (`openApps`), which a grid that signs in to each can try.
   */
  restrictions: { policy: string; file: string; restriction: Restriction; openApps?: string[]; hit: LockoutHit; source: PolicyFacts | undefined }[];
  /**
   * The blocks that lock a role holder out unless the role's holders are in a group the block excludes (the model's
   * `roleHolderExclusions`): neither a lockout nor a restriction, a doubt, which the manifest cannot settle today.
   */
  roleHolderDoubts: { hit: LockoutHit; groups: string[] }[];
}

/**
 * The one answer to "does this sign-in lock the account out, or does it end where a restriction means it to", for a
 * tenant: the lockout check reads each sign-in of its grid with it, and `ztp diff` each sign-in on both sides of a
 * change, so the two never disagree on whether a block (a country allowlist, say) keeps an account out everywhere.
 * A block that is a restriction does not hide a requirement that no one can meet: the favourable sign-in is one the
 * restriction lets through.
 */
export function signInLockouts(tenant: TenantView, appsTried = false): (r: WhatIfResult, subject: LockoutSubject) => SignInLockouts {
  const byPath = new Map(activeCaPolicies(tenant).map((p) => [p.path, p]));
  const model = modelOf(tenant);
  // Whether the favourable sign-in to an app that a block of every app leaves open is closed too, by this account,
  // platform and client app: evaluated once each (a tenant of many such blocks asks for the same apps again).
  const closed = new Map<string, boolean>();
  const closes = (subject: LockoutSubject, platform: string, clientApp: string, app: string): boolean => {
    const key = `${subject.user}\u0000${platform}\u0000${clientApp}\u0000${app}`;
    let answer = closed.get(key);
    if (answer === undefined) {
      const inner = evaluate(tenant, lockoutScenario(subject, platform, clientApp, app));
      // Closed when it ends blocked or unsatisfiable, and not by a restriction that lets someone in some other way
      // (a group allowlist on that app keeps this account out of it on purpose). Read without the apps: a block that
      // leaves only other apps open leaves none here, since the app is the one asked about.
      // A block that may let a role's holders through a group it excludes does not close it for certain either.
      const reading = read(inner, subject, false, true);
      answer = (inner.verdict === 'blocked' || inner.verdict === 'unsatisfiable') && reading.restrictions.length === 0 && reading.roleHolderDoubts.length === 0;
      closed.set(key, answer);
    }
    return answer;
  };
  const read = (r: WhatIfResult, subject: LockoutSubject, openAppsChecked: boolean, ignoreApps: boolean): SignInLockouts => {
    const platform = r.scenario.platform;
    const lockouts: LockoutHit[] = [];
    const restrictions: SignInLockouts['restrictions'] = [];
    const roleHolderDoubts: SignInLockouts['roleHolderDoubts'] = [];
    for (let f of lockoutsOf(r, subject)) {
      const policy = byPath.get(f.file);
      // An exclusion that is a template's variable may be the break-glass group or account (`break-glass-not-excluded`
      // reads it so): unknown, not a lockout; the check's warnings say so.
      if (subject.kind === 'breakGlass' && policy) {
        const v = model.breakGlass.variableExclusions(policy);
        if (v.groups.length || v.users.length) continue;
      }
      // One side's end of complementary device filters (What If's `deviceBranch`): the other side ends too, so the
      // filter leaves no device open; what else the policy leaves open still counts.
      let restriction = f.verdict === 'blocked' ? restrictionOf(policy, subject, model, platform, ignoreApps, f.branch) : !f.branch && deviceFiltered(policy, platform, model) ? 'devices' : undefined;
      // A block of every app but some leaves those open only if another policy does not close them too ("block all
      // but the CRM" beside "block the CRM"): the favourable sign-in to each of them is evaluated.
      if (openAppsChecked && restriction === 'apps' && policy && r.scenario.app !== undefined) {
        const open = openApps(policy, subject);
        if (open.length && !open.includes(r.scenario.app) && open.every((app) => closes(subject, platform, r.scenario.clientApp, app))) {
          restriction = undefined;
          // Said, so the finding names why the way it leaves open is none (What If on those apps names the policies).
          f = { ...f, cause: `${f.cause}, and the app${open.length > 1 ? 's' : ''} it leaves open (${open.join(', ')}) end${open.length > 1 ? '' : 's'} blocked or unsatisfiable too` };
        }
      }
      if (!restriction && f.verdict === 'blocked' && subject.kind === 'breakGlass' && policy && compliantNetworkOnlyOpening(policy)) {
        f = { ...f, cause: `${f.cause} everywhere but the Global Secure Access compliant network (\`excludeLocations: [${COMPLIANT_NETWORK}]\`), which an emergency account reaches only while the Global Secure Access client and service work, exactly when it is not needed (Learn: exclude emergency access accounts, https://learn.microsoft.com/entra/global-secure-access/how-to-compliant-network)` };
      }
      // A sample holder of a role is signed in as a member of no group, which is the check's assumption, not a fact: the
      // manifest does not say who holds a role. A block that excludes a group that may hold them (a persona framework's
      // block of every account in no persona group, the admins being in the admins' group) locks them out only if they
      // are in none of those: a doubt, not a lockout. A block that excludes no such group stays a certain one.
      const holders = !restriction && f.verdict === 'blocked' && !f.branch && policy && subject.kind === 'sample' && subject.roles?.length ? model.breakGlass.roleHolderExclusions(policy) : [];
      if (holders.length) roleHolderDoubts.push({ hit: f, groups: holders });
      else if (!restriction) lockouts.push(f);
      else if (f.verdict === 'blocked') {
        const open = restriction === 'apps' && policy ? openApps(policy, subject) : [];
        restrictions.push({ policy: f.policy, file: f.file, restriction, ...(open.length ? { openApps: open } : {}), hit: f, source: policy });
      }
    }
    // A side of complementary filters that leaves the account a way in (a block of some apps, say) leaves the sign-in
    // open: the other side's end is then no lockout either.
    if (restrictions.some((x) => x.hit.branch)) return { lockouts: lockouts.filter((f) => !f.branch), restrictions, roleHolderDoubts };
    return { lockouts, restrictions, roleHolderDoubts };
  };
  // A grid that signs in to every app the policies name (`ztp diff`'s) reads a sign-in to one of them without the apps,
  // and whether the apps a block leaves open are closed is its own cells' answer; its sign-in to every app keeps what a
  // block of some apps leaves of the others, which no cell of it tries.
  return (r, subject) => (appsTried ? read(r, subject, false, r.scenario.app !== 'All') : read(r, subject, true, false));
}

/**
 * Whether a policy's block locks the accounts out, rather than keeping them from what it is meant to (undefined: a
 * lockout; else what it leaves open): it blocks every app (not all but some), Microsoft 365, or for an account with a
 * directory role the admin portals (a block of one line-of-business app, or of the admin portals for users who are
 * not admins, is a deliberate restriction), and not only outside some locations (a user in an excluded location, as
 * in a country allowlist, gets in: the favourable sign-in is from there), on some platforms or on the devices a
 * filter picks. A requirement that cannot be met is a lockout wherever it applies.
 */
function restrictionOf(p: PolicyFacts | undefined, subject: LockoutSubject, model: TenantModel, platform: string, ignoreApps = false, filterSettled = false): Restriction | undefined {
  if (!p) return undefined;
  // What lets the account itself in comes first (a country allowlist that also excludes a group lets a user outside
  // the group in from those countries).
  const scoped = scopeRestriction(p, subject, model, platform, ignoreApps, filterSettled);
  // A block that is also an allowlist of groups keeps a user outside them out on purpose, whatever apps, platforms
  // or client apps it leaves to others: that, not what the grid could try around, is what it is for this account.
  if (scoped && scoped !== 'locations' && scoped !== 'devices' && subject.kind === 'sample' && !subject.roles?.length && allowlistGroups(p, model).length) return 'groups';
  if (scoped) return scoped;
  // A block of All users but some groups (other than the break-glass ones) is an allowlist: a sample user outside
  // those groups is kept out on purpose, and a member of each is signed in as a subject of its own. A role holder is
  // still checked: an admin kept out of what the role needs is locked out.
  if (subject.kind === 'sample' && !subject.roles?.length && allowlistGroups(p, model).length) return 'groups';
  return undefined;
}

/** Whether the only location a policy leaves open is the Global Secure Access compliant network. */
function compliantNetworkOnlyOpening(p: PolicyFacts): boolean {
  const locations = asObject(asObject(p.spec?.conditions)?.locations);
  return Array.isArray(locations?.excludeLocations) && onlyCompliantNetwork(locations.excludeLocations);
}

/**
 * What a restriction may leave open that a grid of sign-ins tries itself: both client apps, the platforms when the
 * manifest declares them (else the tenant's platforms are only those its policies show, and another may be in use),
 * and the apps when the grid signs in to each app the policies name (`ztp diff`'s; the lockout check's signs in to
 * every app and reads what a block leaves open through `openApps`).
 */
export function gridTries(tenant: TenantView, apps: boolean, platformBlocks: readonly PolicyFacts[] = []): readonly Restriction[] {
  return [...(apps ? (['apps'] as const) : []), ...(modelOf(tenant).platformsDeclared || platformsClosed(platformBlocks) ? (['platforms'] as const) : []), 'clientApps'];
}

/**
 * Whether blocks that each leave some platforms open cover every platform between them, unknown ones included: one of
 * them takes `all` (which "includes unknown and unsupported platforms", Learn: block unsupported platforms) and the
 * platforms it leaves out are each another's. Then no platform is left, whether or not the manifest declares them.
 */
export function platformsClosed(blocks: readonly PolicyFacts[]): boolean {
  return blocks.some((p) => p.allPlatforms) && PLATFORMS.every((pl) => blocks.some((p) => p.platforms.includes(pl)));
}

function listOf(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]!;
}

/** What a block leaves open besides groups: some apps, locations, platforms, client apps or devices. */
function scopeRestriction(p: PolicyFacts, subject: LockoutSubject, model: TenantModel, platform: string, ignoreApps = false, filterSettled = false): Restriction | undefined {
  // (`filterSettled`: the block is one side of complementary filters, and the other side ends too: no device is left.)
  const filtered = (pl: string): boolean => !filterSettled && deviceFiltered(p, pl, model);
  const conditions = asObject(p.spec?.conditions);
  const apps = asObject(conditions?.applications);
  const include = Array.isArray(apps?.includeApplications) ? apps.includeApplications : [];
  const essential = subject.roles?.length ? [...ESSENTIAL_APPS, ...ADMIN_APPS] : ESSENTIAL_APPS;
  // (`ignoreApps`: the sign-in asked about is to one app, so what the block leaves of the others does not let it in.)
  if (!ignoreApps && !include.some((a) => typeof a === 'string' && essential.some((e) => e.toLowerCase() === a.toLowerCase()))) return 'apps';
  // Every app but some (guests: all but Office 365) leaves those open: the favourable sign-in goes there; for an
  // account with a role, only when the admin portals are among them.
  if (!ignoreApps && openApps(p, subject).length) return 'apps';
  // A block of every location but some (a country or office allowlist) lets in whoever signs in from those:
  // https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-policy-location
  const locations = asObject(conditions?.locations);
  const excluded = Array.isArray(locations?.excludeLocations) ? locations.excludeLocations.filter((l) => typeof l === 'string' && l.trim()) : [];
  // The Global Secure Access compliant network alone is no opening for a break-glass account: it exists only while the
  // client and service work, and the account is needed when they do not (the model's `onlyCompliantNetwork`).
  if (excluded.length && !(subject.kind === 'breakGlass' && onlyCompliantNetwork(excluded))) return 'locations';
  // A block its author scoped to some platforms (mobile phones for a group, say) keeps the others open; a device
  // filter blocks some devices (all but the privileged access workstations): the favourable sign-in uses another.
  // A policy's platforms (`all` less the excluded ones, or the ones listed) against those the tenant uses: a block of
  // every platform but Windows is the same restriction as a block of iOS, Android and macOS, and a list of every
  // platform the manifest declares leaves none to sign in from. With no `platforms` declared, which ones are in use
  // is unknown: only a block of every platform there is locks out.
  const used = model.platformsDeclared ? model.platforms : PLATFORMS;
  if (used.some((pl) => !p.platforms.includes(pl))) {
    if (filtered(platform) && model.platformsDeclared && isPlatform(platform) && model.platforms.includes(platform)) return 'devices';
    return platformBlock(p, platform, model);
  }
  if (filtered(platform)) return 'devices';
  // A device filter that takes in every device of this platform but may leave out some of another platform in use (a
  // block of all but the privileged access workstations, or of all but Entra-joined PCs, on a phone: no phone can be
  // Entra joined) blocks this platform as a platform condition would, and is read as one.
  if (isPlatform(platform) && used.some((pl) => pl !== platform && filtered(pl))) return platformBlock(p, platform, model);
  // A block of the browser alone (or of the apps alone) sends its users to the other.
  const clients = clientAppCoverage(p);
  return clients.browser && clients.apps ? undefined : 'clientApps';
}

/**
 * A block that leaves some platforms open, on one it closes: a restriction (the favourable sign-in uses another
 * platform, which the grid tries where the manifest declares them), except a block of All users on a platform the
 * manifest says is in use (a block of "unknown" platforms that leaves out Linux, which the developers use), when it
 * lets nobody in there: no one excluded but the break-glass accounts (an allowlist of Mac users is a restriction), and
 * both browsers and apps blocked (a block of the browser on iOS sends users to the apps).
 */
function platformBlock(p: PolicyFacts, platform: string, model: TenantModel): Restriction | undefined {
  if (!model.platformsDeclared || !isPlatform(platform) || !model.platforms.includes(platform)) return 'platforms';
  const users = caUsers(p);
  if (!users.includeUsers.includes('All') || users.excludeRoles.length || allowlistGroups(p, model).length) return 'platforms';
  if (model.breakGlass.otherExclusions(p).users.length) return 'platforms';
  const clients = clientAppCoverage(p);
  return clients.browser && clients.apps ? undefined : 'clientApps';
}

/**
 * The apps a block of every app leaves open to the account: those it excludes (for an account with a role, only the
 * admin portals among them count: an admin kept out of everything else is still locked out of the role's work).
 */
function openApps(p: PolicyFacts, subject: LockoutSubject): string[] {
  const apps = asObject(asObject(p.spec?.conditions)?.applications);
  const include = Array.isArray(apps?.includeApplications) ? apps.includeApplications : [];
  if (!include.includes('All')) return [];
  const excludedApps = Array.isArray(apps?.excludeApplications) ? apps.excludeApplications.filter((a): a is string => typeof a === 'string' && a.trim() !== '') : [];
  return subject.roles?.length ? excludedApps.filter((a) => ADMIN_APPS.some((e) => e.toLowerCase() === a.toLowerCase())) : excludedApps;
}

/** The groups a block of All users excludes besides the break-glass groups: the users it lets through. */
function allowlistGroups(p: PolicyFacts, model: TenantModel): string[] {
  const grant = asObject(p.spec?.grantControls)?.builtInControls;
  if (!Array.isArray(grant) || !grant.includes('block')) return [];
  if (!caUsers(p).includeUsers.includes('All')) return [];
  return model.breakGlass.otherExclusions(p).groups.filter((g) => g.trim());
}

/**
 * Whether a device filter may leave the favourable sign-in's device out of the policy on the platform: a filter that
 * reads what the files cannot know (an extension attribute, a model) may, and the favourable device is one it leaves
 * out (all but the privileged access workstations). One the platform decides does not: no iPhone is hybrid joined, so
 * a block of every device but hybrid-joined ones applies to every iPhone; nor, where no Mac can be compliant, does a
 * block of noncompliant Macs leave any Mac out.
 */
function deviceFiltered(p: PolicyFacts | undefined, platform: string, model: TenantModel): boolean {
  // A block of every device but compliant ones is a compliant-device requirement, its filter read as the grant.
  if (compliantDeviceByFilter(p)) return false;
  if (!isPlatform(platform)) return filterApplies(p, {}) !== true;
  // Where no device of the platform can be compliant (no compliance policy, secureByDefault on; or none can enroll),
  // a filter on compliance is decided too.
  const noneCompliant = model.control('compliantDevice', platform).status === 'impossible';
  return filterApplies(p, { platform, ...(noneCompliant ? { compliant: false } : {}) }) !== true;
}

export interface LockoutHit {
  verdict: 'blocked' | 'unsatisfiable';
  policy: string;
  file: string;
  /** The block, or the requirement that cannot be met. */
  cause: string;
  /** Why the policy applies to this sign-in. */
  why: Applies;
  fix: string;
  /** One side's end of complementary device filters (What If's `deviceBranch`). */
  branch?: true;
  /** A grant under OR whose every option fails: each option, why it fails and what makes it possible (`LockoutFinding.alternatives`). */
  alternatives?: LockoutAlternative[];
}

function lockoutsOf(r: WhatIfResult, subject: LockoutSubject): LockoutHit[] {
  const out: LockoutHit[] = [];
  const byName = new Map(r.policies.map((p) => [p.name, p]));
  for (const name of r.blockedBy) {
    const p = byName.get(name)!;
    out.push({ verdict: 'blocked', policy: name, file: p.file, cause: `${name} blocks the sign-in`, why: appliesOf(p), fix: blockFix(p, subject, r.scenario.platform) });
  }
  // One hit per policy: a grant of several controls none of which can be met (a compliant OR a hybrid joined device
  // off Windows) is one lockout, with each control's reason. Listed beside the blocks: the caller keeps them only
  // when every block is a restriction.
  const byPolicy = new Map<string, typeof r.unsatisfiable>();
  for (const u of r.unsatisfiable) byPolicy.set(u.policy, [...(byPolicy.get(u.policy) ?? []), u]);
  for (const [name, list] of byPolicy) {
    const p = byName.get(name)!;
    // A block on one side of complementary device filters is a block there (`deviceBranch`).
    const blocks = list.filter((u) => u.deviceBranch && u.control === 'block');
    if (blocks.length) out.push({ verdict: 'blocked', policy: name, file: blocks[0]!.file, cause: blocks.map((u) => u.reason).join('; and '), why: appliesOf(p), fix: blockFix(p, subject, r.scenario.platform), branch: true });
    const unmet = list.filter((u) => !blocks.includes(u));
    if (!unmet.length) continue;
    // A grant under OR whose every option fails: no option is required alone, so the entry says each fails and why,
    // and the fix is to make any one of them possible (each option's fix, without "stop requiring" it, which would
    // leave the others failing), or to take the sign-in out of the policy.
    if (unmet.length > 1 && unmet.every((u) => u.operator === 'OR')) {
      const platform = r.scenario.platform;
      const alternatives: LockoutAlternative[] = unmet.map((u) => ({
        control: u.control,
        explanation: optionReason(u),
        fix: unsatisfiableFix(u.control, u.rule, p, subject, platform, u.gap, true),
        ...(u.rule ? { rule: u.rule } : {}),
        ...(u.gap ? { gap: u.gap } : {}),
      }));
      out.push({ verdict: 'unsatisfiable', policy: name, file: unmet[0]!.file, cause: allFailText(unmet), why: appliesOf(p), fix: allFailFix(p, unmet, alternatives, subject, platform), alternatives, ...(unmet.some((u) => u.deviceBranch) ? { branch: true as const } : {}) });
      continue;
    }
    const fixes = [...new Set(unmet.map((u) => unsatisfiableFix(u.control, u.rule, p, subject, r.scenario.platform, u.gap)))];
    out.push({ verdict: 'unsatisfiable', policy: name, file: unmet[0]!.file, cause: unmet.map((u) => u.reason).join('; and '), why: appliesOf(p), fix: fixes.join('; or '), ...(unmet.some((u) => u.deviceBranch) ? { branch: true as const } : {}) });
  }
  return out;
}

/**
 * "X blocks the sign-in (user: All users; app: All cloud apps…)": whom the policy takes each account in as, once per
 * account when they differ ("users: … / …"), then the rest of why it applies.
 */
function explain(verdict: LockoutHit['verdict'], policy: string, cause: string, whys: Applies[]): string {
  const users = [...new Map(whys.flatMap((w) => (w.user ? [[w.user.detail, w.user] as const] : []))).values()];
  const rest = [...new Set(whys.map((w) => w.rest.join('; ')))];
  const applies = [users.length === 1 ? users[0]!.detail : users.length ? `users: ${users.map((u) => u.who).join(' / ')}` : '', rest.join(' / ')].filter(Boolean).join('; ');
  return verdict === 'blocked' ? `${cause} (${applies})` : `${cause} — ${policy} applies (${applies})`;
}

function blockFix(p: PolicyEvaluation, subject: LockoutSubject, platform: string): string {
  if (subject.kind === 'breakGlass') {
    return `exclude the break-glass accounts from ${p.name}: add the break-glass group to excludeGroups (and the accounts to excludeUsers) — \`ztp check --fix\` does it for rule break-glass-not-excluded`;
  }
  // A block of unknown platforms (all platforms but those it excludes) that takes in this one, which the tenant uses
  // (the check signs in on the tenant's platforms): excluding these users' groups would lift the block for them on
  // every platform; the platform belongs in its exclusions (rule ca-unknown-platforms-not-blocked reports it).
  const except = p.conditions.find((c) => c.condition === 'platforms' && c.matches)?.allPlatformsExcept;
  if (except?.length) {
    return `if ${platform} is in use, add \`${platform}\` to \`excludePlatforms\` of ${p.name}, its block of unknown platforms (see rule ca-unknown-platforms-not-blocked); excluding these users' groups would lift the block for them on every platform`;
  }
  return `if ${p.name} should not block these users, narrow its conditions or exclude their groups`;
}

/**
 * What settles a sign-in that may be locked out: an assignment that reaches them, or knowing the groups hold them.
 * `alt`: the control's label, when it is one option of a grant under OR every option of which is in doubt
 * (`anyOfFix`): what settles it then makes that option a way in, not the sign-in safe (the others may still fail), and
 * no longer asking for it in the policy would close a way in, not open one.
 */
function uncertainFix(p: PolicyEvaluation, subject: LockoutSubject, platform: string, control: string, rule?: string, undeclared?: UndeclaredFact, gap?: ControlGap, alt?: string): string {
  const label = isPlatform(platform) ? PLATFORM_LABELS[platform] : platform;
  const settled = alt ? `${alt} is a way in for them` : 'nothing is locked out';
  const stopDevice = alt ? '' : `, or stop requiring a compliant device on ${platform} in ${p.name}`;
  // The fact that decides it is who is in the excluded break-glass group (its `members`), or the accounts' object ids:
  // the rule says "may be" until the first is listed, and stays silent until the second are.
  const groups = p.mayBeInGroups;
  if (rule === 'break-glass-not-excluded' && groups?.length) {
    const named = listText(groups.map((g) => `\`${g}\``));
    return `list the \`members\` of ${groups.length > 1 ? 'the break-glass groups' : 'the break-glass group'} ${named} in the manifest (zerotrust.yaml), so the check knows whether the accounts are in ${groups.length > 1 ? 'them' : 'it'}; or exclude the accounts from ${p.name} by name in \`excludeUsers\` (\`ztp check --fix\` does it for rule break-glass-not-excluded)`;
  }
  if (rule === 'break-glass-not-excluded') {
    return `list each break-glass account's object id beside its name in \`breakGlass.users\` (zerotrust.yaml), so the check knows whether ${p.name} excludes them; if it does not, exclude them from ${p.name}`;
  }
  // A file not analysed may hold the policy the requirement rests on: reading it decides it.
  // Windows app protection where a file not analysed may show the tenant enrolls Windows PCs (the model's
  // `intuneEnrollment` unknown): reading it decides whether managed PCs, where MAM does not apply, are in play.
  if (gap === 'unread' && control === 'compliantApplication' && platform === 'windows' && rule === 'ca-requires-app-protection') {
    return `make the file the reason names readable (fix what \`ztp check\` reports on it, or split a Graph list with \`ztp import\`) and run the check again: if it shows the tenant enrolls Windows PCs and these users sign in from them, where Intune MAM does not apply, ${managedWindowsFix(p.name, offeredDeviceOf(p))}; if not, ${settled}`;
  }
  if (gap === 'unread') {
    const what = control === 'compliantDevice' ? 'compliance policy (or enrollment restriction)' : 'app protection policy';
    return `make the file the reason names readable (fix what \`ztp check\` reports on it, or split a Graph list with \`ztp import\`) and run the check again: if it holds ${article(label)} ${label} ${what} that lets these users meet ${p.name}, ${settled}; if not, the reason says what is missing without it`;
  }
  // The fact that decides it is an enrollment prerequisite (the Apple push certificate, the managed Google Play binding).
  if ((undeclared === 'applePushCertificate' || undeclared === 'androidEnterprise') && control === 'compliantDevice') {
    const key = undeclared === 'applePushCertificate' ? '`settings.applePushCertificate` (its `expirationDateTime`)' : '`settings.androidEnterprise.bindStatus`';
    const bad = undeclared === 'applePushCertificate' ? 'if it has expired, renew it in Intune (Devices > Enrollment > Apple > MDM Push Certificate) with the same Apple ID' : 'if the tenant is not bound, bind it to managed Google Play in Intune (Devices > Enrollment > Android > Managed Google Play)';
    const good = undeclared === 'applePushCertificate' ? 'if it is valid' : 'if the tenant is bound';
    return `declare ${key} in zerotrust.yaml (see rule undeclared-fact): ${bad}${stopDevice}; ${good}, ${settled} (see rule compliance-requires-enrollment)`;
  }
  // Only the devices they enroll themselves are kept out: the restriction decides it, not an assignment.
  if (rule === 'compliance-requires-enrollment' && control === 'compliantDevice') {
    return `if these users must enroll their own ${label} devices, let them (the enrollment restriction that blocks them), or exclude them from ${p.name}; if they sign in only on ${label} devices others enroll that a compliance policy reaches, ${settled} (see rule ca-group-alignment)`;
  }
  if (subject.kind === 'breakGlass') return `exclude the break-glass accounts from ${p.name} (\`ztp check --fix\` does it for rule break-glass-not-excluded)`;
  // The fact that decides it is `secureByDefault`: declared true, what is asked if it were certain; false, nothing.
  if (undeclared === 'secureByDefault' && control === 'compliantDevice') {
    // Where the groups the policies are assigned to list their members without these users (`notAssigned`), no group
    // may hold them: the assignment is what to change, as when it is certain.
    const then = (rule === 'ca-group-alignment' && gap !== 'notAssigned') || rule === DEVICE_ADMIN_RULE ? uncertainFix(p, subject, platform, control, rule, undefined, undefined, alt) : unsatisfiableFix(control, rule, p, subject, platform, gap === 'notAssigned' ? gap : undefined);
    return `declare \`settings.secureByDefault\` in zerotrust.yaml (Intune's "Mark devices with no compliance policy assigned as"): if it is true, ${then.replace(/^./, (c) => c.toLowerCase())}; if it is false, devices no compliance policy reaches pass unchecked and ${settled} (see rule compliance-default-compliant)`;
  }
  // The MDM authority is Office 365: Basic Mobility and Security's device policies, not these files, decide it.
  if (rule === 'mdm-authority-not-intune' && control === 'compliantDevice') {
    return `set the MDM authority to Intune and declare \`mdmAuthority: intune\` in zerotrust.yaml (see rule mdm-authority-not-intune)${stopDevice}; until then whether Basic Mobility and Security lets a ${label} device be compliant is not in these files`;
  }
  // A licence whose Intune coverage the table and Learn disagree on (Microsoft 365 F1): the tenant's licences decide it.
  if (rule === 'license-missing' && (control === 'compliantDevice' || control === 'compliantApplication')) {
    return `confirm what the tenant's licences include: Microsoft Learn lists Microsoft 365 F1 among the licences that include Intune, and then ${settled}; if they do not, add one with Intune to \`licenses\` in zerotrust.yaml (see rule license-missing)${alt ? '' : `, or stop requiring ${control === 'compliantDevice' ? 'a compliant device' : 'app protection'} on ${label} in ${p.name}`}`;
  }
  if (control === 'tokenProtection') return `scope ${p.name} to what token protection supports: Windows, macOS and iOS, mobile apps and desktop clients, Exchange Online, SharePoint Online and Teams (see rule ca-token-protection-unsupported)`;
  // The policies reach them, on enrolled devices only: which devices they sign in from decides it.
  // The policies reach them, on unmanaged devices only: whether they sign in from enrolled ones decides it.
  // Windows app protection applies on unmanaged PCs only: whether they sign in from enrolled ones decides it.
  if (control === 'compliantApplication' && gap === 'managedWindows') {
    return `if these users sign in from Windows PCs the tenant enrolls or joins, where Intune MAM does not apply, ${managedWindowsFix(p.name, offeredDeviceOf(p))}; if they sign in only from personal PCs Intune does not manage, nothing is locked out`;
  }
  if (rule === APP_SCOPE_RULE && control === 'compliantApplication' && gap === 'unmanagedOnly') {
    return `if these users sign in from ${label} devices enrolled in Intune, target apps on managed devices too in the ${label} app protection policies (\`targetedAppManagementLevels\`: \`unspecified\` for every device, or a policy for managed devices; see rule ${APP_SCOPE_RULE})${alt ? '' : `, or offer a compliant device with OR in ${p.name}`}; if they sign in only from devices Intune does not manage, ${settled}`;
  }
  if (rule === APP_SCOPE_RULE && control === 'compliantApplication') {
    return `if these users sign in from ${label} devices not enrolled in Intune, target apps on unmanaged devices too in the ${label} app protection policies (\`targetedAppManagementLevels\`, see rule ${APP_SCOPE_RULE})${alt ? '' : `, or offer a compliant device with OR in ${p.name}`}; if every such device is enrolled, ${settled}`;
  }
  // A compliance policy no device can meet may apply to their devices: its version is the fix, whoever it reaches.
  if (rule === OS_VERSION_RULE && control === 'compliantDevice') {
    return `correct the OS version bounds of the ${label} compliance policy no device meets (see rule ${OS_VERSION_RULE}); until then, a device it applies to is noncompliant, and if it does not apply to these users' devices, ${settled}`;
  }
  if (rule === DEVICE_ADMIN_RULE && control === 'compliantDevice') {
    return `add an Android Enterprise compliance policy (work profile or fully managed) for these users, as their GMS devices enroll as Android Enterprise (see rule ${DEVICE_ADMIN_RULE}); if they sign in only on device administrator devices without Google Mobile Services, ${settled}`;
  }
  if (control === 'compliantApplication') {
    return `assign the ${label} app protection policies to these users (the groups ${p.name} targets, or all users) and lift any exclusion that leaves them out, or exclude them from ${p.name}; if the groups those policies are assigned to hold these users, ${settled} (see rule ca-group-alignment)`;
  }
  return `assign the ${label} compliance policies to these users (the groups ${p.name} targets, or all users) and lift any exclusion that leaves them out, or exclude them from ${p.name}; if the groups those policies are assigned to hold these users or their devices (a device group of every ${label} device), ${settled} (see rule ca-group-alignment)`;
}

/**
 * The compliant device a policy's grant offers under OR, as What If evaluated it for this sign-in (`managedWindowsFix`):
 * undefined where it offers none.
 */
function offeredDeviceOf(p: PolicyEvaluation): { fails: boolean; gap?: ControlGap } | undefined {
  const device = p.grant?.operator === 'OR' ? p.grant.controls.find((c) => c.control === 'compliantDevice') : undefined;
  return device ? { fails: device.status === 'unsatisfiable', ...(device.gap ? { gap: device.gap } : {}) } : undefined;
}

/**
 * What settles a grant under OR every option of which is in doubt (`LockoutFinding.alternatives`): any one option that
 * is a way in lets these users through, so each option's fix is given, and the entry says that they are locked out
 * only if none is. One fix for every option (a break-glass account's: exclude it) is said once.
 */
function anyOfFix(p: PolicyEvaluation, group: readonly Unsatisfiable[], alternatives: readonly LockoutAlternative[]): string {
  const fixes = [...new Set(alternatives.map((a) => a.fix))];
  if (fixes.length === 1) return fixes[0]!;
  const labels = group.map((u) => u.label ?? u.control);
  return `settle any one of them, as ${p.name} lets these users in with ${listText(labels, 'or')} — ${alternatives.map((a, i) => `for ${labels[i]}: ${a.fix}`).join('; ')}; they are locked out only if none of them is a way in`;
}

/**
 * What settles a grant under OR whose every option fails: make any one of them possible (each option's fix), or take the
 * sign-in out of the policy; one fix for every option (a break-glass account's: exclude it) is said once.
 */
function allFailFix(p: PolicyEvaluation, group: readonly Unsatisfiable[], alternatives: readonly LockoutAlternative[], subject: LockoutSubject, platform: string): string {
  const fixes = [...new Set(alternatives.map((a) => a.fix))];
  if (fixes.length === 1 && subject.kind === 'breakGlass') return fixes[0]!;
  const takeOut = `take ${platform} out of ${p.name} (\`excludePlatforms\`)`;
  // The options the tenant can make possible; those it cannot (`NO_WAY`) are named as such.
  const possible = alternatives.map((a, i) => ({ a, label: group[i]!.label ?? group[i]!.control })).filter((x) => x.a.fix !== NO_WAY);
  if (!possible.length) return `nothing in the tenant makes any option of ${p.name} possible on ${platform}: ${takeOut}, or change its grant controls`;
  const labels = possible.map((x) => x.label);
  const each = possible.length === 1 ? possible[0]!.a.fix : possible.map((x) => `for ${x.label}: ${x.a.fix}`).join('; ');
  const one = possible.length === 1 ? `make ${labels[0]} possible on ${platform}, as ${p.name} lets these users in with it` : `make any one of ${listText(labels, 'or')} possible on ${platform}, as ${p.name} lets these users in with any one of them`;
  return `${one} — ${each}; or, if ${p.name} need not gate ${platform}, ${takeOut}`;
}

/** An option of a grant under OR that nothing in the tenant makes possible on the platform (`unsatisfiableFix`'s `option`). */
const NO_WAY = 'nothing in the tenant makes it possible on this platform';

/**
 * What to change; a `ztp check --fix` is named only when the rule that reports the gap offers one. Chosen from the
 * grant evaluator's structured answer (the control, its rule and its `gap`), never from the reason's words.
 */
function unsatisfiableFix(control: string, rule: string | undefined, p: PolicyEvaluation, subject: LockoutSubject, platform: string, gap?: ControlGap, option = false): string {
  const bg = subject.kind === 'breakGlass' ? `; and exclude the break-glass accounts from ${p.name}` : '';
  const label = isPlatform(platform) ? PLATFORM_LABELS[platform] : platform;
  const a = article(label);
  // What makes the control possible (`remedy`), then what drops it from the policy (`otherwise`). For one option of a
  // grant under OR whose every option fails (`option`), only the remedy: "stop requiring" one option alone leaves the
  // others failing, and "offer another control with OR" is what the grant already does (`allFailFix` says the rest once).
  const fix = (remedy: string | undefined, otherwise: string, sep = ', or '): string =>
    option ? (remedy !== undefined ? `${remedy}${bg}` : NO_WAY) : `${remedy !== undefined ? `${remedy}${sep}` : ''}${otherwise}${bg}`;
  // A fact declared for the whole tenant keeps Intune from everyone: no policy helps, the fact must change.
  const what = control === 'compliantDevice' ? 'a compliant device' : 'app protection';
  if (gap === 'unlicensed') return fix('add the Intune licence the tenant has to `licenses` in zerotrust.yaml (see rule license-missing)', `stop requiring ${what} on ${platform} in ${p.name}`);
  if (gap === 'mdmAuthority') return fix('set the MDM authority to Intune and declare `mdmAuthority: intune` in zerotrust.yaml (see rule mdm-authority-not-intune)', `stop requiring ${what} on ${platform} in ${p.name}`);
  if (control === 'compliantDevice' && rule === 'ca-group-alignment') {
    // Break-glass accounts belong out of the CA policy, not under a compliance policy.
    if (subject.kind === 'breakGlass') return `exclude the break-glass accounts from ${p.name} (\`ztp check --fix\` does it for rule break-glass-not-excluded)`;
    if (gap === 'notAssigned') return `assign the ${label} compliance policies to these users, or exclude them from ${p.name} too (see rule ca-group-alignment)`;
    return `take these users' group out of the ${label} compliance policies' exclusions, or exclude it from ${p.name} too (see rule ca-group-alignment)`;
  }
  const noDevice = `stop requiring a compliant device on ${platform} in ${p.name}`;
  // The platform's compliance policies exist and reach no device: letting their devices enroll is the fix, never a
  // new policy (`ztp check --fix` creates none where the platform has one).
  // Every device is noncompliant under the policy's OS version bounds: the version is the fix, not an assignment.
  if (control === 'compliantDevice' && gap === 'osVersion') return fix(`correct the OS version bounds of the ${label} compliance policy that no device meets (see rule ${OS_VERSION_RULE})`, noDevice);
  if (control === 'compliantDevice' && gap === 'enrollmentType') return fix(`let the devices the ${label} compliance policies are for enroll (see rule compliance-requires-enrollment)`, noDevice);
  if (control === 'compliantDevice' && gap === 'unassigned') return fix(`assign the ${label} compliance policies to these users`, noDevice);
  if (control === 'compliantDevice' && rule === 'ca-requires-compliance-policy') return fix(`create ${a} ${label} compliance policy (\`ztp check --fix\` does it for rule ca-requires-compliance-policy)`, noDevice);
  if (control === 'compliantDevice' && rule === 'compliance-requires-enrollment') return fix(`let ${label} devices enroll (see rule compliance-requires-enrollment)`, noDevice);
  if (control === 'compliantDevice') return fix(undefined, `${noDevice}, or offer another control with OR`);
  if (control === 'compliantApplication' && rule === 'ca-group-alignment') {
    if (subject.kind === 'breakGlass') return `exclude the break-glass accounts from ${p.name} (\`ztp check --fix\` does it for rule break-glass-not-excluded)`;
    if (gap === 'notAssigned') return `assign the ${label} app protection policies to these users, or exclude them from ${p.name} too (see rule ca-group-alignment)`;
    return `take these users' group out of the ${label} app protection policies' exclusions, or exclude it from ${p.name} too (see rule ca-group-alignment)`;
  }
  const takeOut = `take ${platform} out of ${p.name}`;
  if (control === 'compliantApplication' && gap === 'unassigned') return fix(`assign the ${label} app protection policies to these users`, takeOut);
  if ((control === 'compliantApplication' || control === 'approvedApplication') && rule === 'ca-requires-app-protection' && (platform === 'iOS' || platform === 'android')) {
    return fix(`create ${a} ${label} app protection policy (\`ztp check --fix\` does it for rule ca-requires-app-protection)`, takeOut);
  }
  // App protection with a compliant or hybrid joined device under AND on Windows: no PC meets both.
  if (control === 'compliantApplication' && gap === 'managedWindows') {
    return fix(`turn the AND into OR in ${p.name} (app protection or the device, as Learn's policy for Windows app protection has it): Intune MAM on Windows applies only on PCs neither MDM enrolled nor Microsoft Entra joined, so no PC meets both`, 'take windows out of it', '; or ');
  }
  if (control === 'compliantApplication' && gap === 'edgeOnly' && rule === 'ca-requires-app-protection') {
    // Both are missing: a Windows app protection policy, and a browser sign-in for Edge to meet it in.
    return fix(`create a Windows app protection policy (for Microsoft Edge) and limit ${p.name} on windows to browsers (\`clientAppTypes: [browser]\`)`, 'take windows out of it, or offer another control with OR', ', ');
  }
  if (control === 'compliantApplication' && gap === 'edgeOnly') {
    return fix(`limit ${p.name} on windows to browsers (\`clientAppTypes: [browser]\`, where Edge meets it)`, 'take windows out of it, or offer another control with OR', ', ');
  }
  if (control === 'compliantApplication' && gap === 'unmanagedOnly') {
    return fix(`target apps on managed devices too in the ${label} app protection policies (\`targetedAppManagementLevels\`: \`unspecified\` for every device, or a policy for managed devices; see rule ${APP_SCOPE_RULE})`, `drop the compliant device from the AND in ${p.name}`);
  }
  if (control === 'compliantApplication' && gap === 'noApps') {
    return fix(`select the apps in the ${label} app protection policies (\`apps\`, or an \`appGroupType\` such as \`allCoreMicrosoftApps\`; see rule ${APP_SCOPE_RULE})`, takeOut);
  }
  // Nothing the tenant sets makes these possible on the platform: app protection where no policy can exist, a hybrid
  // joined device off Windows.
  if (control === 'compliantApplication' || control === 'approvedApplication') return fix(undefined, `${takeOut} (\`excludePlatforms\`), or offer another control with OR`);
  if (control === 'domainJoinedDevice') return fix(undefined, `limit ${p.name} to Windows, or offer another control with OR`);
  // No method of the strength can be used on the platform: its methods, or the policy's platforms, must change.
  if (control === 'authenticationStrength' && gap === 'strengthPlatform') {
    return fix(`allow a method ${label} can use in the authentication strength of ${p.name} (a passkey (FIDO2), certificate-based authentication, Microsoft Authenticator; see rule ${STRENGTH_PLATFORM_RULE})`, `${takeOut} (\`excludePlatforms\`), or offer another control with OR`);
  }
  return `change the grant controls of ${p.name}${bg}`;
}

/** The grant controls that rest on a device (app protection on a managed app's): in an emergency there may be none. */
const DEVICE_CONTROLS = ['compliantDevice', 'domainJoinedDevice', 'compliantApplication'];

/**
 * The controls a break-glass account is set up to meet in an emergency: MFA (Microsoft asks that emergency access
 * accounts use passkeys (FIDO2) or certificate-based authentication for it,
 * https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access). Every other control
 * still to meet (a device, an authentication strength whose methods the account may not have registered, terms of use,
 * a custom control) is one it may not meet, and none of them can be proven offline.
 */
const EMERGENCY_MET = ['mfa'];

/**
 * What the devices a filter takes into a policy meet, in words that hold on every platform of the grid: the warning is
 * said once per policy, and which platforms those devices run is not known offline (a filter on
 * `enrollmentProfileName` may name Android devices only), so no platform's outcome is claimed for them (that one has
 * no compliance policy would contradict `ca-requires-compliance-policy`, which claims no platform for such a policy).
 * A grant with nothing to meet (session controls only) asks nothing of them: its session controls apply.
 */
function filteredDevicesThen(e: PolicyEvaluation): string {
  const g = e.grant;
  if (!g) return 'are held to it';
  if (g.outcome === 'block') return 'are blocked by it';
  const live = g.controls.filter((c) => c.status !== 'notEnforced');
  if (!live.length) return e.session.length ? `get its session controls (${e.session.join('; ')}), with nothing to meet` : 'are held to it, with nothing to meet';
  const labels = [...new Set(live.map((c) => c.label))];
  const grant = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} ${g.operator === 'AND' ? 'and' : 'or'} ${labels[labels.length - 1]}` : labels[0]!;
  return `must meet its grant (${grant})${e.session.length ? `, and get its session controls (${e.session.join('; ')})` : ''}`;
}

function warningsOf(r: WhatIfResult, subject: LockoutSubject): Omit<LockoutWarning, 'platforms'>[] {
  const out: Omit<LockoutWarning, 'platforms'>[] = [];
  if (subject.kind === 'breakGlass' && !r.blockedBy.length && !r.unsatisfiable.length) {
    for (const req of r.requirements) {
      const p = r.policies.find((x) => x.name === req.policy);
      // What the grant evaluator says is still to meet (the policy's `needs`), under the grant's own operator.
      const open = p?.grant?.needs;
      if (!open) continue;
      const device = open.controls.filter((c) => DEVICE_CONTROLS.includes(c.control));
      // Only when a device is needed: under AND one control on a device, under OR every option. In an emergency there
      // may be no device.
      if (device.length && (open.operator === 'AND' || device.length === open.controls.length)) {
        // Under AND every control is needed: each one the account may not meet is named, not only the device ones (a
        // compliant device and an authentication strength); under OR any one of the device options passes.
        const cannot = open.operator === 'AND' ? open.controls.filter((c) => !EMERGENCY_MET.includes(c.control)) : device;
        const needs = listText([...new Set(cannot.map((c) => c.label))], open.operator === 'AND' ? 'and' : 'or');
        // A policy that may exclude the account by an object id the manifest does not list (the model's
        // `mayBeExcludedById`, what keeps break-glass-not-excluded silent) may not apply to it at all: say so, as the
        // same output's What If does, rather than state the requirement as certain.
        const unless = p?.mayBeExcluded ? `, unless ${p.mayBeExcluded}` : '';
        out.push({ subject, policy: req.policy, file: p?.file, message: `${subject.user} needs ${needs} to pass ${req.policy}${unless}; break-glass accounts should be excluded from every Conditional Access policy` });
      }
    }
  }
  // A device filter that reads what is not known offline: What If takes its one device to be in scope, but the grid
  // signs in with the favourable device (`deviceFiltered`), one the filter leaves out. Say that, not What If's note.
  // (Not the policies whose complementary filters split the sign-in: every side is read, and the finding says how each ends.)
  // (Nor a policy Graph would refuse as written: it is not in the tenant, and its own warning below says so.)
  const filtered = r.policies.filter((e) => e.applies && e.state === 'enabled' && e.unknownDeviceFilter && !e.notDeployable && !r.deviceSplit?.includes(e.name));
  const whatIfNotes = new Set(filtered.map((e) => deviceFilterNote(e.name, e.unknownDeviceFilter!)));
  for (const e of filtered) {
    const filter = e.unknownDeviceFilter!;
    const { leftOut, takenIn } = filterScopeText(filter);
    out.push({
      policy: e.name,
      file: e.file,
      message: `${e.name}: ${filter.deviceStates ? 'its device state condition (deprecated; read as the device filter it is)' : 'its device filter'} ${filterUnknownText(filter.rule)}: ${leftOut} are outside the policy and sign in, ${takenIn} ${filteredDevicesThen(e)}`,
    });
  }
  for (const w of r.warnings) if (!whatIfNotes.has(w)) out.push({ message: w });
  // A policy Graph would refuse as written is not in the tenant once deployed: What If leaves it out of the sign-in, and
  // the check says so rather than dropping it silently (fixed, it applies: what it would do is not checked until then).
  for (const n of r.notDeployable ?? []) out.push(notDeployableWarning(n));
  return out;
}

/** The warning for an enabled policy Graph would refuse as written, one text wherever the check finds it. */
function notDeployableWarning(n: { policy: string; file: string; schemaErrors: number }): Omit<LockoutWarning, 'platforms'> {
  return { policy: n.policy, file: n.file, message: `${n.policy} is ${notDeployableText(n)}: Graph would refuse it, so these sign-ins leave it out; fix its schema errors (ztp check) and run the lockout check again to see what it does` };
}

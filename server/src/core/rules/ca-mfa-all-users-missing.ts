import { appMatches, OFFICE365_APPS } from '../whatif/conditions';
import { asObject, spanAtPath, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related, REPORT_ONLY } from '../tenant-query';
import { modelOf } from '../model/index';
import { caStateKnown, closestNote, coversAllApps, grantMeantAsMfa, grantRequiresMfa, listText, locationLimit, mfaShortfall, narrowingConditions, platformConditionText, platformLabels, policyLabel, readSafeguard, riskLimits, type Safeguard, shortfallsOf, stagedPolicyFix, stateShortfalls } from './ca-helpers';
import { policiesOfKind } from '../reads';
import { clientAppCoverage, closestToEverySignIn, limitRemedy, limitText, platformsLeftOpen, platformsTakenIn, scopesWhere, signInLimits, type SignInLimit } from '../model/sign-in-scope';
import { graphRefusal } from '../schema/issue';
import type { Platform } from '../platforms';
import type { GroupDirectory } from '../model/groups';
import { roleLabel } from '../model/break-glass';
import { ALL_GUESTS, excludedGuestGroups, type GuestReach, guestGroupsOf, guestReach, reachesAllGuests, reachIntersect, reachMinus, reachText, reachUnion } from '../model/guests';

/** What keeps a policy from requiring MFA for All users on All apps, its state aside. */
function conditionShortfalls(tenant: TenantView, p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  if (!coversAllApps(p)) problems.push('does not cover All cloud apps');
  // A policy for risky sign-ins or users asks nothing of a sign-in at no risk (as the admin MFA rule reads it).
  const risk = riskLimits(p);
  if (risk.length) problems.push(`applies only at ${listText(risk)}`);
  // An authentication strength a single factor meets (`federatedSingleFactor`) is no MFA: the model's `strengthFactors`.
  const mfa = mfaShortfall(tenant, p);
  if (mfa) problems.push(mfa);
  return problems;
}

/**
 * A policy that requires MFA (or a multifactor authentication strength) of All users on All cloud apps; one that asks
 * for a strength a single factor meets was meant as it, and is named when it comes closest.
 */
function allUsersMfa(tenant: TenantView): Safeguard {
  return {
    does: 'enforces',
    meantAs: (p) => grantMeantAsMfa(tenant, p),
    conditionShortfalls: (p) => conditionShortfalls(tenant, p),
    // A strength a single factor meets is the grant's shortfall: a policy for All users and All cloud apps that falls
    // short only by it comes closer than one that misses the users or the apps.
    grantShortfalls: (p) => {
      const mfa = mfaShortfall(tenant, p);
      return mfa ? [mfa] : [];
    },
  };
}

/** The tenant's enabled policy that requires MFA for All users on All cloud apps, if it has one. */
export function allUsersMfaPolicy(tenant: TenantView): PolicyFacts | undefined {
  return readSafeguard(tenant, allUsersMfa(tenant)).met[0];
}

/** A CA policy's users condition, as Graph writes it. */
const usersOf = (p: PolicyFacts): unknown => asObject(p.spec?.conditions)?.users;

/**
 * Whether a policy asks something of a guest on every modern sign-in: enabled (unless `anyState`), MFA (or an
 * authentication strength) or a block, not at some risk levels only, and reaching every sign-in (`everyGuestSignIn`).
 * Which guests it takes in is `guestCover`'s; which apps together the guest policies cover, `guestsLeft`'s.
 */
function guestPolicy(tenant: TenantView, p: PolicyFacts, anyState = false): boolean {
  // A policy for risky sign-ins asks nothing of a guest signing in at no risk.
  if ((!anyState && stateShortfalls(p, 'enforces').length) || riskLimits(p).length) return false;
  if (!grantRequiresMfa(tenant, p) && !grantControlsOf(p).includes('block')) return false;
  // It must reach every modern sign-in (`everyGuestSignIn`), an MFA policy as a block: What If lets a guest in with a
  // password alone wherever it does not.
  return everyGuestSignIn(p);
}

/** The guests a guest policy takes in: surely, and those a group it names may hold. */
interface GuestCover {
  policy: PolicyFacts;
  /** Guest types (of which tenants) it takes in by its users condition, or through a group named as guests. */
  sure: GuestReach;
  /** What a group the manifest does not say holds no guests may hold (a dynamic group of guests): every type it does not exclude. */
  maybe: GuestReach;
  /** Those groups, by their manifest names. */
  maybeGroups: string[];
  /** The groups it names that the manifest says hold no guests (`guestGroup`: `none`). */
  noGuestGroups: string[];
}

/**
 * Whom a guest policy takes in, its own guest exclusions taken out (a guest policy that leaves B2B guests out asks
 * nothing of them; Maester's MT.1016 fails any guest exclusion): the guest types of `includeGuestsOrExternalUsers`
 * (of every external tenant or of the enumerated ones), every type for `GuestsOrExternalUsers` and All users, and for
 * a group, as the group directory reads it (`guestGroup`): a group named or described as guests holds every type; a
 * group the manifest says is no guest group (administrators, break-glass accounts, or a group whose listed members,
 * the whole group, hold no guest account) none; any other may hold them (a dynamic group of guests, listing no
 * members: unknown, not missing, a description that does not name guests, or says "no guests", does not rule them
 * out). A directory role never takes guests in as a class.
 */
function guestCover(p: PolicyFacts, groups: GroupDirectory): GuestCover {
  const users = usersOf(p);
  const excluded = guestReach(users, 'exclude');
  const read = guestGroupsOf(users, 'include', groups);
  return {
    policy: p,
    sure: reachMinus(read.guests.length ? ALL_GUESTS : guestReach(users, 'include'), excluded),
    maybe: read.unknown.length ? reachMinus(ALL_GUESTS, excluded) : new Map(),
    maybeGroups: read.unknown,
    noGuestGroups: read.none,
  };
}

const appsOf = (p: PolicyFacts, key: 'includeApplications' | 'excludeApplications'): string[] => strings(asObject(asObject(p.spec?.conditions)?.applications)?.[key]);

/**
 * The apps a guest policy leaves open to the guests it takes in, in words ("`Office365` and `3f2c…`", "every app but
 * `Office365`"), or undefined when it takes in All cloud apps with none excluded, or names no app (a user action: the
 * apps are not its say).
 */
function appsLeftOpen(p: PolicyFacts): string | undefined {
  const inc = appsOf(p, 'includeApplications');
  const exc = appsOf(p, 'excludeApplications');
  const code = (a: string[]): string => listText(a.map((x) => `\`${x}\``));
  if (!inc.length) return undefined;
  if (!inc.includes('All')) return `every app but ${code(inc)}${exc.length ? ` (less ${code(exc)})` : ''}`;
  return exc.length ? code(exc) : undefined;
}

/** An app no policy names: what a policy on All cloud apps reaches beyond those it names. */
const ANY_OTHER_APP = 'any-other-app';
/**
 * Another app of the Office 365 suite than the members What If names (Office.com, OneDrive, Planner, Forms…): only a
 * policy on `Office365` or All cloud apps takes it in.
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#office-365
 */
const OTHER_OFFICE365_APP = 'another-office365-app';

/**
 * What the enabled guest policies leave of the guests the All users policies exclude (`gap`): on each cloud app any
 * of them names (Office 365 as its members), and any other, the guests no policy that takes the app in (as What If
 * matches apps, `appMatches`) takes in. `sure`: left whatever the undescribed groups hold; `may`: left unless such a
 * group holds them. A block of every app but Office 365 beside an MFA policy for guests on Office 365 covers them;
 * either alone leaves a door a password opens, as What If shows ("allowed (no enforced policy applies)"); so does an
 * MFA policy for `b2bCollaborationGuest` alone, for the other guest types the All users policy excludes.
 */
function guestsLeft(gap: GuestReach, covers: readonly GuestCover[]): { sure: GuestReach; may: GuestReach } {
  const policies = covers.map((c) => c.policy);
  const named = new Set(policies.flatMap((p) => [...appsOf(p, 'includeApplications'), ...appsOf(p, 'excludeApplications')]));
  const suite = [...named].some((a) => a === 'Office365' || OFFICE365_APPS[a.toLowerCase()] !== undefined);
  const apps = [...[...named].flatMap((a) => (a === 'Office365' ? Object.keys(OFFICE365_APPS) : a === 'All' || a === 'None' ? [] : [a])), ANY_OTHER_APP, ...(suite ? [OTHER_OFFICE365_APP] : [])];
  const matches = (ref: string, app: string): boolean => (app === OTHER_OFFICE365_APP ? ref === 'All' || ref === 'Office365' : appMatches(ref, app));
  const takesIn = (p: PolicyFacts, app: string): boolean => appsOf(p, 'includeApplications').some((r) => matches(r, app)) && !appsOf(p, 'excludeApplications').some((r) => matches(r, app));
  let sure: GuestReach = new Map();
  let may: GuestReach = new Map();
  for (const app of apps) {
    const takers = covers.filter((c) => takesIn(c.policy, app));
    const left = takers.reduce((r, c) => reachMinus(r, c.sure), gap);
    may = reachUnion(may, left);
    sure = reachUnion(sure, takers.reduce((r, c) => reachMinus(r, c.maybe), left));
  }
  return { sure, may };
}

/**
 * Whether a guest policy (a block, or MFA) reaches every modern sign-in: it covers browsers and mobile and desktop apps,
 * and no condition narrows it to some sign-ins (`signInLimits`: some platforms or locations, a device filter, an
 * authentication flow such as the device code flow, some risk levels). A block of legacy clients alone (the persona
 * framework's "guests: block legacy authentication"), or MFA outside trusted locations, in browsers or on one platform
 * leaves a password alone enough elsewhere. (The apps it leaves out are `guestsCovered`'s.)
 */
function everyGuestSignIn(p: PolicyFacts): boolean {
  // The model's one reading of what limits a policy to some sign-ins, client apps included (`signInLimits`): the
  // policy that comes closest is named by the same limits.
  return !signInLimits(p, { clientApps: true }).length;
}

/**
 * What a limit of a policy leaves open, in the words the tenant-wide MFA rules use for it: its platforms
 * (`platformConditionText`), its locations by their exported names (`locationLimit`), its client apps, else the model's
 * words (`limitText`), each with the keys that write it.
 */
function limitShortfall(tenant: TenantView, p: PolicyFacts, l: SignInLimit): string {
  if (l.condition === 'platforms') return platformConditionText(p);
  if (l.condition === 'locations') return locationLimit(tenant, p) ?? limitText(l);
  if (l.condition === 'clientApps') {
    const { browser, apps } = clientAppCoverage(p);
    return `applies only ${browser ? 'in browsers' : apps ? 'to mobile and desktop apps' : 'to legacy clients'} (\`clientAppTypes\`)`;
  }
  return `${limitText(l)} (${listText(l.keys.map((k) => `\`${k}\``))})`;
}

/**
 * Whether a policy holds every sign-in of the users it takes in to MFA (or blocks it) but for its platform condition:
 * enabled, deployable as written, MFA (a multifactor strength) or a block, on All cloud apps, at every risk level, in
 * browsers and apps, and no other condition narrowing it (locations, a device filter, a flow). Which platforms it takes
 * in is `platformsTakenIn`'s.
 */
function mfaBarPlatforms(tenant: TenantView, p: PolicyFacts): 'mfa' | 'block' | undefined {
  if (p.spec?.state !== 'enabled' || graphRefusal(p.schemaIssues) || !coversAllApps(p) || riskLimits(p).length) return undefined;
  const clients = clientAppCoverage(p);
  if (!clients.browser || !clients.apps || narrowingConditions(p, { platforms: false }).length) return undefined;
  if (grantRequiresMfa(tenant, p) && !mfaShortfall(tenant, p)) return 'mfa';
  return grantControlsOf(p).includes('block') ? 'block' : undefined;
}

/**
 * Whether a policy's users condition takes in the members of group `group` (its manifest name): All users, or a group
 * that is or holds it (`holds`: its members are the outer group's), unless it excludes a group that is or holds it.
 */
function takesInGroup(p: PolicyFacts, group: string, groups: GroupDirectory, via: 'any' | 'group' = 'any'): boolean {
  const u = caUsers(p);
  if (u.excludeGroups.some((ref) => groups.holds(groups.nameOf(ref), group))) return false;
  return (via === 'any' && u.includeUsers.includes('All')) || u.includeGroups.some((ref) => groups.holds(groups.nameOf(ref), group));
}

/** A group every All users MFA policy that takes in some platforms excludes, held to MFA elsewhere on fewer of them. */
interface ExcludedGroupGap {
  group: string;
  /** The All users MFA policies that exclude it. */
  excludedBy: PolicyFacts[];
  /** The enabled policies that require MFA of the group by name, on some platforms only. */
  instead: PolicyFacts[];
  /** The platforms the excluding policies take in where no policy requires MFA of the group or blocks it. */
  open: Platform[];
  /**
   * The policies for directory roles that would take in all or some of `open` for the group's members who hold their
   * roles: the manifest does not say who holds a role (only the break-glass accounts'), so the gap is then a "may".
   */
  roles: PolicyFacts[];
}

/**
 * The groups an All users MFA policy excludes (not the break-glass groups, not groups of guests, which the guest
 * reading below takes) that a policy for the group requires MFA of instead, on some platforms only: on the platforms
 * the All users policy takes in and no policy holding the group's members to MFA (or blocking them) takes in, they
 * sign in without MFA. Learn's template for all users excludes only the emergency access accounts; a group moved to a
 * stronger policy of its own (phishing-resistant MFA for administrators on Windows, macOS and Linux) keeps the All
 * users policy's MFA only where that policy reaches it
 * (https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-mfa-strength). A group excluded with
 * no policy of its own is a documented exception (service accounts), as before: not read.
 */
function excludedGroupGaps(tenant: TenantView, allUsers: readonly PolicyFacts[]): ExcludedGroupGap[] {
  const model = modelOf(tenant);
  const groups = model.groups;
  const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
  const holding = ca.map((p) => ({ p, bar: mfaBarPlatforms(tenant, p) })).filter((x): x is { p: PolicyFacts; bar: 'mfa' | 'block' } => x.bar !== undefined);
  const candidates = [...new Set(allUsers.flatMap((p) => model.breakGlass.otherExclusions(p).groups))].filter((g) => groups.guestGroup(g) !== 'guests' && !model.breakGlass.groupHolds(g));
  const out: ExcludedGroupGap[] = [];
  for (const group of candidates) {
    const excludedBy = allUsers.filter((p) => caUsers(p).excludeGroups.some((ref) => groups.holds(groups.nameOf(ref), group)));
    const reaching = holding.filter((x) => takesInGroup(x.p, group, groups));
    const instead = reaching.filter((x) => x.bar === 'mfa' && takesInGroup(x.p, group, groups, 'group')).map((x) => x.p);
    if (!instead.length) continue;
    const among = [...new Set(excludedBy.flatMap(platformsTakenIn))];
    const open = platformsLeftOpen(reaching.map((x) => x.p), among);
    if (!open.length) continue;
    // A policy for roles reaches the group's members who hold them, whom the manifest does not name.
    const roles = holding.filter((x) => caUsers(x.p).includeRoles.length > 0 && !reaching.includes(x) && !caUsers(x.p).excludeGroups.some((ref) => groups.holds(groups.nameOf(ref), group))).map((x) => x.p);
    const closing = roles.filter((q) => platformsTakenIn(q).some((pl) => open.includes(pl)));
    out.push({ group, excludedBy, instead, open, roles: closing });
  }
  return out;
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
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-mfa-strength',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions#device-platforms',
  ],
  peers: ['MT.1007', 'MS.AAD.3.2v1'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest || !tenant.root) return;
    const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
    const safeguard = allUsersMfa(tenant);
    const reading = readSafeguard(tenant, safeguard);
    const allUsers = reading.met;
    // A group moved from the All users policy to one of its own that takes in fewer platforms (unknown while a file
    // not analysed may hold a policy that takes the rest in).
    const unknownPolicies = allUsers.length > 0 && (ca.some((p) => !caStateKnown(p)) || modelOf(tenant).mayHide('ConditionalAccessPolicy'));
    for (const gap of allUsers.length && !unknownPolicies ? excludedGroupGaps(tenant, allUsers) : []) {
      const name = `\`${gap.group}\``;
      const open = platformLabels(gap.open);
      emit({
        file: manifest,
        span: spanAtPath(manifest.parsed, ['kind'], 'value'),
        message:
          `${listText(gap.excludedBy.map(policyLabel))} ${gap.excludedBy.length === 1 ? 'requires' : 'require'} MFA of All users but ${gap.excludedBy.length === 1 ? 'excludes' : 'exclude'} ${name}, ` +
          `and ${listText(gap.instead.map(policyLabel))}, which ${gap.instead.length === 1 ? 'requires' : 'require'} MFA of ${name} instead, ${gap.instead.length === 1 ? platformConditionText(gap.instead[0]!) : 'take in only some platforms'}: ` +
          `no enabled policy requires MFA of its members (or blocks them) on ${open}, so they ${gap.roles.length ? 'may sign' : 'sign'} in there without MFA` +
          (gap.roles.length ? `, unless they hold a directory role that ${listText(gap.roles.map(policyLabel))} ${gap.roles.length === 1 ? "requires" : "require"} MFA of there (\`zerotrust.yaml\` does not say who holds a role)` : '') +
          '. ' +
          `Take in every platform in ${listText(gap.instead.map(policyLabel), 'or')} (no platform condition), add a policy for ${name} on ${open} that requires \`mfa\` or an authentication strength, or stop excluding ${name} from ${listText(gap.excludedBy.map(policyLabel))}`,
        ...(gap.roles.length ? { severity: 'information' as const } : {}),
        related: [
          ...gap.excludedBy.map((p) => related(p, `requires MFA of All users, but excludes ${name}`)),
          ...gap.instead.map((p) => related(p, `requires MFA of ${name}, but ${platformConditionText(p)}`)),
          ...gap.roles.map((p) => related(p, `requires MFA of ${listText(caUsers(p).includeRoles.map((r) => `\`${roleLabel(r)}\``))}, whose holders ${name} may hold`)),
        ],
        data: { excludedGroup: gap.group },
      });
    }
    if (allUsers.length) {
      // The guests every MFA policy for All users leaves out, and no policy asks MFA of: the resource tenant is
      // responsible for its guests' MFA, whatever their home tenant does (Learn: b2b-tutorial-require-mfa); Learn's
      // guest template takes in every guest type (policy-guests-mfa).
      const groups = modelOf(tenant).groups;
      // Every guest of the types their guest conditions exclude (`excludeUsers: [GuestsOrExternalUsers]`,
      // `excludeGuestsOrExternalUsers`).
      const own = allUsers.map((p) => guestReach(usersOf(p), 'exclude'));
      const explicit = own.reduce(reachIntersect);
      // And, group by group, the guests they all leave out through a group of guests one of them excludes
      // (`excludedGuestGroups`: `grp-guests-external`): some guests of the types a group can hold, those in it. A group
      // a guest policy excludes too (any state: the persona framework's `CA400-GuestUsers-…-Exclude` beside CA000)
      // holds the exceptions someone made to the guests' own policy (one for guests, not for All users), as a break-glass
      // group does: no gap of its own.
      const excluding = allUsers.map((p) => excludedGuestGroups(usersOf(p), groups));
      const read = ca.filter((p) => guestPolicy(tenant, p)).map((p) => guestCover(p, groups));
      const covers = read.filter((c) => c.sure.size || c.maybe.size);
      const exempted = new Set(
        ca
          .filter((p) => !caUsers(p).includeUsers.includes('All') && guestPolicy(tenant, p, true) && (guestReach(usersOf(p), 'include').size > 0 || guestGroupsOf(usersOf(p), 'include', groups).guests.length > 0))
          .flatMap((p) => excludedGuestGroups(usersOf(p), groups).groups),
      );
      const viaGroups = [...new Set(excluding.flatMap((e) => e.groups))]
        .filter((group) => !exempted.has(group))
        .map((group) => {
          const gap = reachMinus(own.map((r, i) => (excluding[i]!.groups.includes(group) ? reachUnion(r, excluding[i]!.reach) : r)).reduce(reachIntersect), explicit);
          // Taken back in only by a policy that does not exclude the group too (an All users policy that does not).
          const left = guestsLeft(gap, covers.filter((c) => !excludedGuestGroups(usersOf(c.policy), groups).groups.includes(group)));
          // Their types are not declared: surely left only where no type they can be is taken back in.
          return { group, gap, left, sure: gap.size > 0 && !reachMinus(gap, left.sure).size };
        })
        .filter((g) => g.left.may.size > 0);
      const gap = viaGroups.reduce((r, g) => reachUnion(r, g.gap), explicit);
      if (!gap.size) return;
      // A policy for groups the manifest says hold no guests (the admins' MFA policy): named, so the reader sees why it
      // does not count.
      const groupOnly = read.filter((c) => !c.sure.size && !c.maybe.size && c.noGuestGroups.length);
      const left = explicit.size ? guestsLeft(explicit, covers) : { sure: new Map() as GuestReach, may: new Map() as GuestReach };
      if (!left.may.size && !viaGroups.length) return;
      if (unknownPolicies) return;
      const sureGroups = viaGroups.filter((g) => g.sure);
      const certain = left.sure.size > 0 || sureGroups.length > 0;
      const shownGroups = certain ? sureGroups : viaGroups;
      const shown = shownGroups.reduce((r, g) => reachUnion(r, certain ? g.left.sure : g.left.may), certain ? left.sure : left.may);
      const guestGroupsOut = viaGroups.map((g) => g.group);
      // Whether what is shown is only the guests of the excluded groups of guests (then named by their groups).
      const onlyGroups = !reachIntersect(shown, explicit).size;
      const unsure = viaGroups.filter((g) => !g.sure);
      const groupTypesLeft = unsure.reduce((r, g) => reachUnion(r, g.left.may), new Map() as GuestReach);
      const typesUnsaid = !certain && unsure.length > 0;
      const maybeCovers = covers.filter((c) => c.maybeGroups.length);
      const maybeGroups = [...new Set(maybeCovers.flatMap((c) => c.maybeGroups))];
      const partial = covers.filter((c) => reachIntersect(c.sure, gap).size > 0);
      const pending = ca.filter((p) => p.spec?.state === REPORT_ONLY && guestPolicy(tenant, p, true)).map((p) => guestCover(p, groups)).filter((c) => c.sure.size || c.maybe.size);
      // Why each guest policy that takes in some of the guests falls short: the guest types it leaves out, and for the
      // ones it takes in that are still left, the apps it leaves open to them (a block of every app but Office 365).
      const shortOf = (c: GuestCover): string | undefined => {
        const taken = reachIntersect(c.sure, gap);
        const open = reachIntersect(shown, taken);
        const apps = open.size ? appsLeftOpen(c.policy) : undefined;
        const onlySome = reachMinus(shown, c.sure).size > 0;
        const openText = (t: GuestReach, o: GuestReach): string => (onlySome && !reachMinus(t, o).size ? 'them' : reachesAllGuests(o) ? 'every guest type' : reachText(o));
        const parts = [
          ...(onlySome ? [`takes in only ${reachText(taken)}`] : []),
          ...(apps ? [`leaves ${openText(taken, open)} open on ${apps}`] : []),
        ];
        return parts.length ? parts.join(', and ') : undefined;
      };
      const shortfalls = partial.map((c) => ({ c, text: shortOf(c) })).filter((x): x is { c: GuestCover; text: string } => x.text !== undefined);
      // An enabled policy for guests (one that names them: a guest type, `GuestsOrExternalUsers`, a group of guests;
      // not All users) that asks MFA of (or blocks) some of those guests but leaves some sign-ins out (a location, a
      // platform, browsers only, a risk level, a flow: the model's `signInLimits`) is no guest policy; the one that comes
      // closest is named with what leaves the gap, and the fix is worded from the keys that write its limits. MFA comes
      // before a block, and one that takes in every guest left on every app before one that does not; then the fewest
      // limits (`closestToEverySignIn`).
      const whole = (c: GuestCover): boolean => !reachMinus(shown, c.sure).size && appsLeftOpen(c.policy) === undefined;
      const forGuests = (p: PolicyFacts): boolean => !caUsers(p).includeUsers.includes('All') && (guestReach(usersOf(p), 'include').size > 0 || guestGroupsOf(usersOf(p), 'include', groups).guests.length > 0);
      const limited = ca
        .filter((p) => forGuests(p) && !stateShortfalls(p, 'enforces').length && !guestPolicy(tenant, p) && (grantRequiresMfa(tenant, p) || grantControlsOf(p).includes('block')))
        .map((p) => guestCover(p, groups))
        .filter((c) => reachIntersect(c.sure, shown).size > 0);
      const tier = (c: GuestCover): number => (grantRequiresMfa(tenant, c.policy) ? 0 : 2) + (whole(c) ? 0 : 1);
      const nearest = [0, 1, 2, 3].map((t) => closestToEverySignIn(limited.filter((c) => tier(c) === t).map((c) => c.policy))).find((x) => x !== undefined);
      const nearCover = nearest ? limited.find((c) => c.policy === nearest.policy)! : undefined;
      const nearText = nearest && nearCover ? listText([...nearest.limits.map((l) => limitShortfall(tenant, nearest.policy, l)), ...(shortOf(nearCover) ? [shortOf(nearCover)!] : [])]) : undefined;
      // Taking its limits out settles the gap only where it takes in every guest left, on every app, asks MFA (a block
      // widened to every sign-in would keep the guests out altogether), and is limited only in where it applies (a risk
      // policy without its risk levels, or a block of the device code flow without its flow, would be another policy).
      const nearFix = nearest && nearCover && whole(nearCover) && grantRequiresMfa(tenant, nearest.policy) && nearest.limits.every(scopesWhere) ? `In ${policyLabel(nearest.policy)}, ${listText(nearest.limits.map(limitRemedy))}, so that it applies to every sign-in, or add` : undefined;
      const narrowed = shortfalls.map((x) => `${policyLabel(x.c.policy)} ${x.text}`);
      const narrowedText = narrowed.length > 1 ? narrowed.join('; ') : narrowed.join('');
      const guestGroupNames = listText(guestGroupsOut.map((g) => `\`${g}\``));
      const shownGroupNames = listText(shownGroups.map((g) => `\`${g.group}\``));
      const whom = (r: GuestReach): string =>
        onlyGroups ? `the guests in ${shownGroupNames}` : reachesAllGuests(r) ? 'guests and external users of every type' : `guests and external users of type ${reachText(r)}`;
      const groupsOut = guestGroupsOut.length ? `${guestGroupNames} (named or described as guests in \`zerotrust.yaml\`)` : '';
      const excludes = `${allUsers.length === 1 ? 'excludes' : 'exclude'} ${listText([
        ...(explicit.size ? [reachesAllGuests(explicit) ? 'guests and external users' : `guests and external users of type ${reachText(explicit)}`] : []),
        ...(groupsOut ? [groupsOut] : []),
      ])}`;
      const groupNames = listText(maybeGroups.map((g) => `\`${g}\``), 'or');
      const unless = [
        ...(maybeGroups.length ? [`unless ${groupNames} ${maybeGroups.length === 1 ? 'holds' : 'hold'} them (a dynamic group of guests, or guest members: the manifest does not say whether ${maybeGroups.length === 1 ? 'it holds' : 'they hold'} guests)`] : []),
        ...(typesUnsaid ? [`if the guests in ${listText(unsure.map((g) => `\`${g.group}\``))} are of type ${reachText(groupTypesLeft)} (the manifest does not say which types of guest ${unsure.length === 1 ? 'it holds' : 'they hold'})`] : []),
      ];
      // What would settle whether those groups hold guests: a template's variable is replaced by the tenant's group (as
      // `unresolved-group` says); a group of zerotrust.yaml is described as guests when it is one.
      const variables = maybeGroups.filter((g) => groups.isTemplateVariable(g));
      const declared = maybeGroups.filter((g) => !groups.isTemplateVariable(g));
      const settle = [
        ...(variables.length ? [`replace ${listText(variables.map((g) => `\`${g}\``))} with the tenant's group`] : []),
        ...(declared.length ? [`if ${listText(declared.map((g) => `\`${g}\``), 'or')} ${declared.length === 1 ? 'is a group' : 'are groups'} of guests, say so in ${declared.length === 1 ? 'its' : 'their'} \`description\` in \`zerotrust.yaml\``] : []),
      ];
      emit({
        file: manifest,
        span: spanAtPath(manifest.parsed, ['kind'], 'value'),
        ...(certain ? {} : { severity: 'information' as const }),
        message:
          `${listText(allUsers.map(policyLabel))} ${allUsers.length === 1 ? 'requires' : 'require'} MFA of All users but ${excludes}, and no enabled ` +
          `policy requires MFA of ${whom(shown)} on ${nearText ? 'every sign-in to ' : ''}All cloud apps${narrowed.length ? ` (${narrowedText})` : ''}: ` +
          (nearText ? `${policyLabel(nearest!.policy)} comes closest but ${nearText}, and wherever it does not apply ` : '') +
          `${certain ? 'they sign in' : 'they may sign in'} with a password alone` +
          (certain || !unless.length ? '' : `, ${unless.join(', or ')}`) +
          '. The resource tenant is responsible for its guests\' MFA (their home tenant\'s MFA counts only where cross-tenant access trusts it, and still only when a policy asks). ' +
          `${nearFix ? `${nearFix} a policy` : 'Add a policy'} for guests and external users that selects every guest type (as Learn's template does) on All cloud apps and requires \`mfa\` or an authentication strength` +
          (certain || !settle.length ? '' : `, or ${listText(settle)}`),
        related: [
          ...allUsers.map((p, i) => {
            const out = [
              ...(own[i]!.size ? [reachesAllGuests(own[i]!) ? 'guests and external users' : `guest types ${reachText(own[i]!)}`] : []),
              ...excluding[i]!.groups.filter((g) => guestGroupsOut.includes(g)).map((g) => `\`${g}\`, a group of guests`),
            ];
            return related(p, `requires MFA of All users, but excludes ${listText(out)}`);
          }),
          ...shortfalls.map((x) => related(x.c.policy, `asks MFA of (or blocks) guests, but ${x.text}`)),
          ...(nearest && nearText ? [related(nearest.policy, `asks MFA of (or blocks) guests, but ${nearText}`)] : []),
          ...(certain ? [] : maybeCovers.map((c) => related(c.policy, `requires MFA of ${listText(c.maybeGroups.map((g) => `\`${g}\``))}, which may hold guests (a dynamic group of guests, or guest members): the manifest does not say whether ${c.maybeGroups.length === 1 ? 'it does' : 'they do'}`))),
          ...(certain ? groupOnly.map((c) => related(c.policy, `requires MFA of ${listText(c.noGuestGroups.map((g) => `\`${g}\``))}, which ${c.noGuestGroups.length === 1 ? 'holds' : 'hold'} no guests (a break-glass group, or named for administrators)`)) : []),
          ...pending.map((c) => related(c.policy, 'covers guests, but is report-only, so it asks nothing yet')),
        ],
        data: { guests: true, ...(nearest ? { closest: { policy: nearest.policy.name ?? nearest.policy.path, keys: nearest.limits.flatMap((l) => l.keys) } } : {}) },
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
        `\`mfa\` or an authentication strength (excluding the break-glass accounts)${closestNote(safeguard, reading)}`,
      related: reading.near.map((p) => related(p, `${grantRequiresMfa(tenant, p) ? 'requires MFA' : 'requires an authentication strength'} but ${listText(shortfallsOf(safeguard, p))}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    // Guests left out of the All users policy, or a group held to MFA on some platforms only: which policy takes them
    // (and where) is the identity team's call.
    const data = finding.data as { guests?: boolean; excludedGroup?: string } | undefined;
    if (data?.guests || data?.excludedGroup !== undefined) return [];
    // An MFA policy already staged in report-only: enabling it is a person's call after the sign-in logs.
    if (readSafeguard(tenant, allUsersMfa(tenant)).staged) return [];
    return stagedPolicyFix(tenant, 'require-mfa-all-users', {
    description: 'Require multifactor authentication for all users on all cloud apps',
    displayName: 'All users - Require MFA',
    users: { includeUsers: ['All'] },
    conditions: { clientAppTypes: ['all'] },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  }, HEADER);
  },
};

const HEADER = [
  'Layer 4: created by the ca-mfa-all-users-missing quick fix. A password alone should sign in nowhere.',
  'Report-only first: check the sign-in logs (Report-only tab) for service accounts and users without a registered',
  'method, exclude only the documented ones, then set state: enabled.',
];

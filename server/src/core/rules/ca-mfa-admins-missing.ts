import { graphRefusal } from '../schema/issue';
import { asObject, spanAtPath, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related } from '../tenant-query';
import { ROLE_NAMES, roleId, roleLabel } from '../model/break-glass';
import { closestNote, coversAllApps, grantMeantAsMfa, grantRequiresMfa, listText, mfaShortfall, locationLimit, modernClientLimit, platformConditionText, platformLabels, policyLabel, readSafeguard, riskLimits, type Safeguard, shortfallsOf, stagedPolicyFix } from './ca-helpers';
import { policiesOfKind } from '../reads';
import { modelOf } from '../model/index';
import { locationsOverlap, locationTakesIn, type NamedLocations } from '../model/named-locations';
import { deviceFilterOf, filterScopeText } from '../model/device-filter';
import { PLATFORMS, type Platform } from '../platforms';
import { platformsLeftOpen, platformsTakenIn } from '../model/sign-in-scope';

const GLOBAL_ADMIN = ROLE_NAMES['Global Administrator']!;

/** The 14 privileged roles of Microsoft's "Require MFA for administrators" policy (and Maester's MT.1006). */
const ADMIN_ROLE_NAMES = [
  'Global Administrator',
  'Application Administrator',
  'Authentication Administrator',
  'Billing Administrator',
  'Cloud Application Administrator',
  'Conditional Access Administrator',
  'Exchange Administrator',
  'Helpdesk Administrator',
  'Password Administrator',
  'Privileged Authentication Administrator',
  'Privileged Role Administrator',
  'Security Administrator',
  'SharePoint Administrator',
  'User Administrator',
];

/**
 * The privileged roles an enabled policy covers, in words, besides the ones missing: "the Global Administrator role",
 * or the roles by name ("Global Administrator, Conditional Access Administrator and Security Administrator") where it covers more.
 */
function coveredRolesText(missing: readonly string[]): string {
  const others = ADMIN_ROLE_NAMES.filter((n) => n !== 'Global Administrator' && !missing.includes(n));
  return others.length ? listText(['Global Administrator', ...others]) : 'the Global Administrator role';
}

/** The template ids of the directory roles the product knows by name. */
const KNOWN_ROLES = new Set(Object.values(ROLE_NAMES));

/** Whether the policy names any admin role (or All users), so an MFA policy that falls short is worth showing. */
function namesAdmins(p: PolicyFacts): boolean {
  const users = caUsers(p);
  return users.includeUsers.includes('All') || users.includeRoles.some((r) => KNOWN_ROLES.has(roleId(r)));
}

/**
 * How a policy's device filter leaves some of an administrator's devices without it, as a shortfall, with whether that
 * is certain: the model's one answer to which devices a filter reaches (`deviceFilterReach`). A filter that leaves
 * out unregistered devices (an `include` of the privileged access workstations) leaves a stranger holding the password
 * outside the policy: certain. One that takes every unregistered device in but leaves out some registered ones (an
 * `exclude` of Teams Rooms by attribute), or cannot be read, leaves open only devices the files cannot count: the rule
 * says so at information (review, round 26: an include-filtered MFA policy read as admin cover). The privileged access
 * workstation pair, a block of exactly the devices the filter leaves out, is no shortfall.
 * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
 */
function filterShortfall(tenant: TenantView, p: PolicyFacts): { text: string; certain: boolean } | undefined {
  const reach = modelOf(tenant).deviceFilterReach(p);
  const filter = deviceFilterOf(p);
  if (reach === 'every' || !filter) return undefined;
  const where = filter.deviceStates ? `(the deprecated device state condition, \`deviceStates\`: \`excludeStates\` ${filter.deviceStates.map((s) => `\`${s}\``).join(', ')})` : `(\`deviceFilter\` mode \`${filter.mode}\`)`;
  if (reach === 'unknown') return { text: `has ${filter.deviceStates ? 'a device state condition' : 'a device filter'} the files cannot read ${where}, so which devices it leaves open is unknown`, certain: false };
  const { leftOut, takenIn } = filterScopeText(filter);
  if (reach === 'some') {
    return filter.mode === 'include'
      ? { text: `applies only to ${takenIn} ${where}, so it leaves every other device open, unregistered ones among them`, certain: true }
      : { text: `leaves ${leftOut} open ${where}, unregistered ones among them (a device not registered in Microsoft Entra ID matches a negative operator)`, certain: true };
  }
  return filter.mode === 'include'
    ? { text: `applies only to ${takenIn} ${where}, so it leaves open the registered devices that do not match, if there are any`, certain: false }
    : { text: `leaves ${leftOut} open ${where}, if any registered device matches (an unregistered one never does)`, certain: false };
}

/**
 * Which conditions `conditionShortfalls` reads: each cross-policy one (locations, platforms) is read off when the
 * shortfalls of another policy are asked for it, so the two never ask each other back without end; `grant: false`
 * leaves the MFA test out, for a block that takes part of the platforms' union.
 */
interface Reading {
  locations?: boolean;
  filter?: boolean;
  platforms?: boolean;
  grant?: boolean;
}

/** What keeps a policy from requiring MFA of a role (Global Administrator unless said) on All cloud apps, its state aside. */
function conditionShortfalls(tenant: TenantView, p: PolicyFacts, role = GLOBAL_ADMIN, { locations: withLocations = true, filter: withFilter = true, platforms: withPlatforms = true, grant = true }: Reading = {}): string[] {
  const problems: string[] = [];
  const users = caUsers(p);
  const label = `the ${roleLabel(role)} role`;
  if (users.excludeRoles.some((r) => roleId(r) === role)) problems.push(`excludes ${label}`);
  else if (!users.includeUsers.includes('All') && !users.includeRoles.some((r) => roleId(r) === role)) problems.push(`does not include ${label} (or All users)`);
  if (!coversAllApps(p)) problems.push('does not cover All cloud apps');
  // A policy for risky sign-ins or users asks nothing of an administrator who signs in at no risk.
  const risk = riskLimits(p);
  if (risk.length) problems.push(`applies only at ${listText(risk)}`);
  const clients = modernClientLimit(p);
  if (clients) problems.push(clients);
  // A policy outside the trusted locations (or at some locations only) asks nothing of an administrator signing in
  // from the others: a password alone is enough there, as in a browser-only policy's apps.
  // Unless another policy asks it of them at exactly the locations this one leaves open (the tenant split
  // Microsoft's policy in two: MFA outside the trusted locations, MFA at them).
  const locations = withLocations ? locationLimit(tenant, p) : undefined;
  if (locations && locationsCoveredByAnother(tenant, p, role, withPlatforms) !== 'yes') problems.push(locations);
  // A policy for some platforms only (Windows) asks nothing of an administrator signing in from another, unless other
  // policies ask it there (or block it): the platforms they leave open together.
  const platforms = withPlatforms ? platformShortfall(tenant, p, role, withLocations) : undefined;
  if (platforms) problems.push(platforms.text);
  // A policy for some devices only (the privileged access workstations) asks nothing of an administrator on another.
  const filter = withFilter ? filterShortfall(tenant, p) : undefined;
  if (filter) problems.push(filter.text);
  const mfa = grant ? mfaShortfall(tenant, p) : undefined;
  if (mfa) problems.push(mfa);
  return problems;
}

/**
 * The enabled policies that hold the role to MFA, or block it, on some platforms with nothing else short: together
 * they cover the platforms they name (one policy for Windows and macOS beside one for iOS/iPadOS, Android and Linux
 * covers every platform; so does an MFA policy for Windows beside Microsoft's block of every platform but Windows).
 */
function platformCover(tenant: TenantView, role: string, withLocations: boolean): PolicyFacts[] {
  return policiesOfKind(tenant, 'ConditionalAccessPolicy').filter((q) => {
    if (q.spec?.state !== 'enabled' || graphRefusal(q.schemaIssues)) return false;
    const reading = { locations: withLocations, platforms: false };
    if (grantRequiresMfa(tenant, q)) return !conditionShortfalls(tenant, q, role, reading).length;
    return grantControlsOf(q).includes('block') && !conditionShortfalls(tenant, q, role, { ...reading, grant: false }).length;
  });
}

/**
 * How a policy's platform condition leaves administrators' sign-ins from some platforms without MFA, as a shortfall
 * naming them, with the platforms, or undefined when it takes in all five, or the other policies that hold the role to
 * MFA (or block it) there take in the rest (`platformCover`).
 */
function platformShortfall(tenant: TenantView, p: PolicyFacts, role: string, withLocations = true): { text: string; open: Platform[] } | undefined {
  if (platformsTakenIn(p).length === PLATFORMS.length) return undefined;
  const open = platformsLeftOpen([p, ...platformCover(tenant, role, withLocations).filter((q) => q !== p)]);
  if (!open.length) return undefined;
  return { text: `${platformConditionText(p)}, so administrators signing in from ${platformLabels(open)} are asked for nothing more than a password`, open };
}

/**
 * The enabled MFA policies for administrators that would cover the role but for the platforms they leave open together
 * (an admin MFA policy for Windows alone), with those platforms: the rule's finding then names them.
 */
function platformGap(tenant: TenantView, role: string): { policies: PolicyFacts[]; open: Platform[] } | undefined {
  const short = policiesOfKind(tenant, 'ConditionalAccessPolicy')
    .filter((p) => p.spec?.state === 'enabled' && !graphRefusal(p.schemaIssues) && grantRequiresMfa(tenant, p) && namesAdmins(p))
    .map((p) => ({ p, platforms: platformShortfall(tenant, p, role) }))
    .filter((x): x is { p: PolicyFacts; platforms: { text: string; open: Platform[] } } => x.platforms !== undefined)
    .filter((x) => { const s = conditionShortfalls(tenant, x.p, role); return s.length === 1 && s[0] === x.platforms.text; });
  return short.length ? { policies: short.map((x) => x.p), open: short[0]!.platforms.open } : undefined;
}

/**
 * The enabled MFA policies for administrators that would cover the role but for a device filter whose gap the files
 * cannot count (`filterShortfall` not certain): the rule's finding is then information, and says "may".
 */
function filterMayCover(tenant: TenantView, role: string): PolicyFacts[] {
  return policiesOfKind(tenant, 'ConditionalAccessPolicy').filter((p) => {
    // A policy Graph refuses as written would not be in the tenant (`graphRefusal`): it covers no one, so it is no "may".
    if (p.spec?.state !== 'enabled' || graphRefusal(p.schemaIssues) || !grantRequiresMfa(tenant, p) || !namesAdmins(p)) return false;
    const filter = filterShortfall(tenant, p);
    return filter !== undefined && !filter.certain && !conditionShortfalls(tenant, p, role, { filter: false }).length;
  });
}

/** A policy's location condition: the locations it includes (`All` when it names none) and those it excludes. */
function locationsOf(p: PolicyFacts): { include: string[]; exclude: string[] } {
  const locations = asObject(asObject(p.spec?.conditions)?.locations);
  const include = strings(locations?.includeLocations);
  return { include: include.length ? include : ['All'], exclude: strings(locations?.excludeLocations) };
}

type Maybe = 'yes' | 'no' | 'maybe';

/** Three-valued or: `yes` if any is, `maybe` if any may be. */
function anyOf(values: Maybe[]): Maybe {
  return values.includes('yes') ? 'yes' : values.includes('maybe') ? 'maybe' : 'no';
}

/** Three-valued and: `no` if any is not, `maybe` if any may not be. */
function allOf(values: Maybe[]): Maybe {
  return values.includes('no') ? 'no' : values.includes('maybe') ? 'maybe' : 'yes';
}

function not(v: Maybe): Maybe {
  return v === 'yes' ? 'no' : v === 'no' ? 'yes' : 'maybe';
}

/**
 * Whether `b` takes in every location `a` leaves open: what `a` excludes from All, or, where `a` includes some locations
 * only (and excludes none of them), everything else, which `b` covers by including All and excluding only what `a`
 * includes. The model says which location takes in which (`locationTakesIn`): `AllTrusted` takes in a named location
 * the folder exports as trusted, and perhaps one it does not export (whether that one is trusted is unknown, so the
 * answer is `maybe`, never `no`); named locations are otherwise compared as written.
 */
function coversWhatIsLeftOpen(named: NamedLocations, a: { include: string[]; exclude: string[] }, b: { include: string[]; exclude: string[] }): Maybe {
  if (a.include.includes('All')) {
    return allOf(a.exclude.map((x) => allOf([anyOf(b.include.map((i) => locationTakesIn(named, i, x))), not(anyOf(b.exclude.map((y) => locationsOverlap(named, y, x))))])));
  }
  if (a.exclude.length || !b.include.includes('All')) return 'no';
  return allOf(b.exclude.map((y) => anyOf(a.include.map((i) => locationTakesIn(named, i, y)))));
}

/**
 * Whether another enabled policy requires MFA of the role, with nothing else short (its own locations aside), at the
 * locations `p` leaves open: the two together leave no location open (review B, round 25: "MFA outside the trusted
 * locations" beside "MFA at the trusted locations"). `maybe` where that rests on whether a named location the folder
 * does not export is trusted.
 */
function locationsCoveredByAnother(tenant: TenantView, p: PolicyFacts, role: string, withPlatforms = true): Maybe {
  const open = locationsOf(p);
  const named = modelOf(tenant).namedLocations;
  return anyOf(
    policiesOfKind(tenant, 'ConditionalAccessPolicy')
      .filter((q) => q !== p && q.spec?.state === 'enabled' && grantRequiresMfa(tenant, q) && namesAdmins(q) && !conditionShortfalls(tenant, q, role, { locations: false, platforms: withPlatforms }).length)
      .map((q) => coversWhatIsLeftOpen(named, open, locationsOf(q))),
  );
}

/**
 * Whether a policy that falls short of the role's MFA only by the locations it leaves open may cover them all the same
 * with another policy, what the folder does not show deciding it (a named location it does not export): the rule then
 * makes no finding on it, as for a policy in a file that could not be read.
 */
function mayCoverLocations(tenant: TenantView, p: PolicyFacts, role: string): boolean {
  return !conditionShortfalls(tenant, p, role, { locations: false }).length && locationLimit(tenant, p) !== undefined && locationsCoveredByAnother(tenant, p, role) === 'maybe';
}

/** A policy that requires MFA (or an authentication strength) of a role (by role, or as part of All users) on All cloud apps. */
function adminMfa(tenant: TenantView, role: string): Safeguard {
  return {
    does: 'enforces',
    meantAs: (p) => grantMeantAsMfa(tenant, p) && namesAdmins(p),
    conditionShortfalls: (p) => conditionShortfalls(tenant, p, role),
    mayMeet: (p) => mayCoverLocations(tenant, p, role),
  };
}

/**
 * No enabled CA policy requires MFA (or an authentication strength) of the Global Administrator role (by role, or as
 * part of All users) on All cloud apps, in a tenant that keeps its Conditional Access policies here.
 */
export const caMfaAdminsMissing: Rule = {
  id: 'ca-mfa-admins-missing',
  title: 'No Conditional Access policy requires MFA for administrators',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-policy-admin-mfa',
    'https://learn.microsoft.com/entra/identity/role-based-access-control/security-planning',
  ],
  peers: ['MT.1006'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest || !tenant.root) return;
    const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
    // A tenant with no CA policy files may keep them elsewhere: nothing here says whether admins need MFA.
    if (!ca.length) return;
    // Covered: an enabled policy asks it of the role; unknown: one whose `state` is missing or invalid would if it were
    // deployed enabled, or one may sit in a file that could not be read.
    const covered = (role: string): boolean => {
      const reading = readSafeguard(tenant, adminMfa(tenant, role));
      return reading.met.length > 0 || reading.unknown;
    };
    if (covered(GLOBAL_ADMIN)) {
      // The other privileged roles of Microsoft's policy, taken over every enabled policy (one for each, or All users
      // with none of them excluded, will do): a Privileged Role Administrator with a password alone can make anyone
      // a Global Administrator.
      const missing = ADMIN_ROLE_NAMES.filter((n) => !covered(ROLE_NAMES[n]!));
      if (!missing.length) return;
      const excluders = ca.filter((p) => p.spec?.state === 'enabled' && grantRequiresMfa(tenant, p) && caUsers(p).excludeRoles.some((r) => missing.some((n) => roleId(r) === ROLE_NAMES[n])));
      // An enabled MFA policy that reaches them at some locations only (MFA outside the agency network): say what it
      // leaves open, so it is not taken for their cover.
      const located = ca
        .filter((p) => p.spec?.state === 'enabled' && grantRequiresMfa(tenant, p) && namesAdmins(p) && !excluders.includes(p))
        .map((p) => ({ p, limit: missing.every((n) => locationsCoveredByAnother(tenant, p, ROLE_NAMES[n]!) === 'yes') ? undefined : locationLimit(tenant, p) }))
        .filter((x): x is { p: PolicyFacts; limit: string } => x.limit !== undefined);
      const locatedNote = located.map((x) => `; ${policyLabel(x.p)} requires it of them, but ${x.limit}`).join('');
      // An enabled policy that would cover them but for its authentication strength, which a single factor meets
      // (`ca001` for All users with a strength that admits `federatedSingleFactor`): said, so it is not taken for their cover.
      const weak = ca
        .filter((p) => p.spec?.state === 'enabled' && !grantRequiresMfa(tenant, p) && grantMeantAsMfa(tenant, p) && namesAdmins(p))
        .map((p) => ({ p, short: mfaShortfall(tenant, p)! }))
        .filter((x) => missing.some((n) => { const s = conditionShortfalls(tenant, x.p, ROLE_NAMES[n]!); return s.length === 1 && s[0] === x.short; }));
      const weakNote = weak.map((x) => `; ${policyLabel(x.p)} would cover them, but ${x.short}`).join('');
      // An enabled policy that would cover them but for its device filter (MFA on the privileged access workstations
      // only): said, so it is not taken for their cover; where the filter's gap cannot be counted, said as "may".
      const filtered = ca
        .filter((p) => p.spec?.state === 'enabled' && !graphRefusal(p.schemaIssues) && grantRequiresMfa(tenant, p) && namesAdmins(p))
        .map((p) => ({ p, filter: filterShortfall(tenant, p) }))
        .filter((x): x is { p: PolicyFacts; filter: { text: string; certain: boolean } } => x.filter !== undefined)
        .filter((x) => missing.some((n) => { const s = conditionShortfalls(tenant, x.p, ROLE_NAMES[n]!); return s.length === 1 && s[0] === x.filter.text; }));
      const filteredNote = filtered.map((x) => `; ${policyLabel(x.p)} requires it of them, but ${x.filter.text}`).join('');
      // An enabled policy that would cover them but for the platforms it leaves open (MFA on Windows alone): said, so
      // it is not taken for their cover.
      const platformed = ca
        .filter((p) => p.spec?.state === 'enabled' && !graphRefusal(p.schemaIssues) && grantRequiresMfa(tenant, p) && namesAdmins(p))
        .map((p) => ({ p, text: missing.map((n) => { const s = conditionShortfalls(tenant, p, ROLE_NAMES[n]!); const t = platformShortfall(tenant, p, ROLE_NAMES[n]!)?.text; return s.length === 1 && s[0] === t ? t : undefined; }).find((t) => t !== undefined) }))
        .filter((x): x is { p: PolicyFacts; text: string } => x.text !== undefined);
      const platformedNote = platformed.map((x) => `; ${policyLabel(x.p)} requires it of them, but ${x.text}`).join('');
      const uncertain = missing.every((n) => filterMayCover(tenant, ROLE_NAMES[n]!).length > 0);
      emit({
        file: manifest,
        span: spanAtPath(manifest.parsed, ['kind'], 'value'),
        ...(uncertain ? { severity: 'information' as const } : {}),
        message:
          `enabled Conditional Access policies require MFA of ${coveredRolesText(missing)}, but none requires it of ${listText(missing.map((n) => `${n}`))} on All cloud apps${uncertain ? ' on every device' : ''}${locatedNote}${weakNote}${filteredNote}${platformedNote}: ` +
          'Microsoft\'s "Require MFA for administrators" policy covers these privileged roles, and a password alone signs in as any of them ' +
          `(a Privileged Role Administrator can make anyone a Global Administrator). Include them in the admin MFA policy's \`includeRoles\`${excluders.length ? `, or take them out of the \`excludeRoles\` of ${listText(excluders.map(policyLabel))}` : ''}`,
        related: [
          ...excluders.map((p) => related(p, 'requires MFA, but excludes privileged roles')),
          ...located.map((x) => related(x.p, `requires MFA, but ${x.limit}`)),
          ...weak.map((x) => related(x.p, `requires an authentication strength, but ${x.short}`)),
          ...filtered.map((x) => related(x.p, `requires MFA, but ${x.filter.text}`)),
          ...platformed.map((x) => related(x.p, `requires MFA, but ${x.text}`)),
        ],
        data: { roles: missing },
      });
      return;
    }
    const globalAdminMfa = adminMfa(tenant, GLOBAL_ADMIN);
    const reading = readSafeguard(tenant, globalAdminMfa);
    // A policy that would cover the role but for a device filter whose gap the files cannot count: information, "may".
    const maybe = filterMayCover(tenant, GLOBAL_ADMIN)[0];
    if (maybe) {
      emit({
        file: manifest,
        span: spanAtPath(manifest.parsed, ['kind'], 'value'),
        severity: 'information',
        message:
          `${policyLabel(maybe)} requires MFA of the Global Administrator role on All cloud apps, but ${filterShortfall(tenant, maybe)!.text}: an administrator ` +
          'on such a device may sign in with a password alone, and no other enabled policy requires MFA of the role there. Take the device filter ' +
          'out of the policy, or block those devices for administrators in a second policy with the same users and the filter\'s other mode ' +
          '(Learn\'s privileged access workstation pair), or accept the finding where the devices it leaves out are meant to go without MFA',
        related: [related(maybe, `requires MFA, but ${filterShortfall(tenant, maybe)!.text}`)],
        data: { filter: true },
      });
      return;
    }
    // Policies that would cover the role but for the platforms they leave open together (MFA on Windows alone): a
    // password alone signs in as an administrator from the others. Whether those platforms go without MFA on purpose
    // is the identity team's call, so there is no quick fix.
    const gap = platformGap(tenant, GLOBAL_ADMIN);
    if (gap) {
      const first = gap.policies[0]!;
      // A report-only policy that would take the open platforms in: enabling it is what is left.
      const staged = reading.near.filter((p) => p.spec?.state === 'enabledForReportingButNotEnforced' && shortfallsOf(globalAdminMfa, p).length === 1);
      const stagedNote = staged.length ? ` (${listText(staged.map(policyLabel))} would ask it there, but ${staged.length === 1 ? 'it is' : 'they are'} report-only: enabling ${staged.length === 1 ? 'it' : 'them'} is what is left)` : '';
      emit({
        file: manifest,
        span: spanAtPath(manifest.parsed, ['kind'], 'value'),
        message:
          `${listText(gap.policies.map(policyLabel))} ${gap.policies.length === 1 ? 'requires' : 'require'} MFA of the Global Administrator role on All cloud apps on some device platforms only, ` +
          `and no enabled policy requires it (or blocks the sign-in) on the others: administrators signing in from ${platformLabels(gap.open)} ` +
          `are asked for nothing more than a password${stagedNote}, so a phished or sprayed admin password alone takes over the tenant from there ` +
          '(Microsoft\'s "Require MFA for administrators" sets no platform condition). ' +
          `Take the platform condition out of ${policyLabel(first)}, or ${first.allPlatforms ? 'take those platforms out of its `excludePlatforms`' : 'add those platforms to its `includePlatforms`'}`,
        related: [
          ...gap.policies.map((p) => related(p, `requires MFA, but ${platformShortfall(tenant, p, GLOBAL_ADMIN)!.text}`)),
          ...staged.map((p) => related(p, 'would ask it there, but is report-only')),
        ],
        data: { platforms: gap.open },
      });
      return;
    }
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        'no enabled Conditional Access policy requires MFA of the Global Administrator role on All cloud apps: a phished or ' +
        'sprayed admin password alone takes over the tenant. Add a policy that includes the privileged directory roles ' +
        `(Global Administrator at least) or All users, for All cloud apps, and requires \`mfa\` or an authentication strength${closestNote(globalAdminMfa, reading)}`,
      related: reading.near.map((p) => related(p, `${grantRequiresMfa(tenant, p) ? 'requires MFA' : 'requires an authentication strength'} but ${listText(shortfallsOf(globalAdminMfa, p))}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    // Some roles missing beside a Global Administrator policy: which policy takes them is the identity team's call.
    if ((finding.data as { roles?: string[] } | undefined)?.roles) return [];
    // A policy that covers the role but for a device filter: whether the devices it leaves out go without MFA is the
    // identity team's call, and a second policy for every device would only stage what that one decides.
    if ((finding.data as { filter?: boolean } | undefined)?.filter) return [];
    // A policy that covers the role but on some platforms only: widening it (or another policy beside it) is the
    // identity team's call; a staged copy for every platform would leave that policy as it is.
    if ((finding.data as { platforms?: string[] } | undefined)?.platforms) return [];
    // An admin MFA policy already staged in report-only: enabling it is a person's call after the sign-in logs.
    if (readSafeguard(tenant, adminMfa(tenant, GLOBAL_ADMIN)).staged) return [];
    return stagedPolicyFix(tenant, 'require-mfa-admins', {
    description: 'Require multifactor authentication for the privileged directory roles on all cloud apps',
    displayName: 'Admins - Require MFA',
    users: { includeRoles: ADMIN_ROLE_NAMES.map((n) => ROLE_NAMES[n]!) },
    conditions: { clientAppTypes: ['all'] },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  }, HEADER);
  },
};

const HEADER = [
  'Layer 4: created by the ca-mfa-admins-missing quick fix. The privileged roles of Microsoft\'s "Require MFA for',
  'administrators" policy. Report-only first: check the sign-in logs for admin accounts without a registered method,',
  'then set state: enabled (and consider the phishing-resistant MFA authentication strength).',
];

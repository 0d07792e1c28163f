/**
 * Small helpers the Conditional Access layer rules share: which Intune policies a grant control depends on,
 * whom a fix should assign a new Intune policy to, and how to name things in messages.
 */
import { asObject, strings } from '../document';
import type { ManifestFacts, PolicyFacts } from '../facts';
import type { PolicyKind } from '../kinds';
import { basename } from '../paths';
import { PLATFORM_LABELS, PLATFORMS, type Platform } from '../platforms';
import type { TenantView } from '../rule';
import { caTargets, freeName, grantControlsOf, newPolicyFile, ownerFor, REPORT_ONLY } from '../tenant-query';
import type { Fix } from '../types';
import { resolveGroup } from '../model/groups';
import { modelOf } from '../model/index';
import { clientAppCoverage, platformsTakenIn } from '../model/sign-in-scope';
import { strengthTitle } from '../model/cross-tenant';
import { locationLabel } from '../model/named-locations';
import { grantControlNames, grantOperator, singleFactorText, strengthIsMultifactor } from '../model/grants';
import { listText } from '../prose';
import { graphRefusal } from '../schema/issue';
import { policiesOfKind } from '../reads';

/** The app-based grants, in the order a finding prefers to sit on them. */
export const APP_GRANTS = ['compliantApplication', 'approvedApplication'] as const;

/**
 * Platforms whose missing app protection policy `ca-requires-app-protection`'s fix creates and names: iOS and Android
 * (a Windows MAM policy for Edge needs choices a fix cannot make). Which platforms app protection covers at all is
 * the model's `APP_PROTECTION_COVERED`.
 */
export const APP_PROTECTION_PLATFORMS: Platform[] = ['iOS', 'android'];

/** One grant control that needs Intune policies of a kind behind it. */
export interface GrantDependency {
  control: string;
  kind: PolicyKind;
  /** What the grant asks for, for messages ("a compliant device", "app protection"). */
  noun: string;
}

/** The Intune dependencies of a CA policy's grant: compliance for `compliantDevice`, app protection for the app grants. */
export function grantDependencies(p: PolicyFacts): GrantDependency[] {
  const grant = grantControlsOf(p);
  const out: GrantDependency[] = [];
  if (grant.includes('compliantDevice')) out.push({ control: 'compliantDevice', kind: 'CompliancePolicy', noun: 'compliance' });
  const app = APP_GRANTS.find((g) => grant.includes(g));
  if (app) out.push({ control: app, kind: 'AppProtectionPolicy', noun: 'app protection' });
  return out;
}

/**
 * The CA policy's targeted groups that name manifest groups (as manifest names). Unresolved references are left
 * out: `unresolved-group` reports them, and a fix must not copy them into another file.
 */
export function resolvedTargetGroups(p: PolicyFacts, manifest: ManifestFacts): string[] {
  const names = caTargets(p, manifest).groups.filter((g) => resolveGroup(manifest, g) === g);
  return [...new Set(names)];
}

/**
 * What a new Intune policy should be assigned to so that it covers the CA policy's targeted users:
 * `allUsers` for a policy on All users, else its include groups. Empty when it targets neither (users or roles only).
 */
export function coveringAssignment(p: PolicyFacts, manifest: ManifestFacts): string[] {
  return caTargets(p, manifest).all ? ['allUsers'] : resolvedTargetGroups(p, manifest);
}

/** The policy file a finding is in, from the tenant's current facts. */
export function policyAt(tenant: TenantView, file: string): PolicyFacts | undefined {
  return tenant.policies.find((p) => p.path === file);
}

/**
 * Whether a fix that makes a compliance policy stricter may be applied unattended (`ztp check --fix`): not where an
 * enabled Conditional Access policy asks for a compliant device on the policy's platform, since the devices the
 * stricter policy marks noncompliant are then blocked (a Cloud PC without BitLocker, a VM without Secure Boot). Who
 * that may be is a person's call; the editor still offers the fix.
 */
export function tighteningIsSafe(tenant: TenantView, p: PolicyFacts): boolean {
  const model = modelOf(tenant);
  return !p.platforms.some((platform) => model.compliantDeviceRequiredBy(platform).length);
}

export { listText };

/**
 * " (`a` requires it, but is assigned to nobody, so it checks no device)", or "" when there is no such policy: what a
 * compliance check says of the policies that would meet it but evaluate no device (each named once).
 */
export function idleNote(idle: readonly PolicyFacts[], what = 'it'): string {
  const unique = [...new Set(idle)];
  if (!unique.length) return '';
  const one = unique.length === 1;
  return ` (${listText(unique.map(policyLabel))} ${one ? 'requires' : 'require'} ${what}, but ${one ? 'is' : 'are'} assigned to nobody, so ${one ? 'it checks' : 'they check'} no device)`;
}

/** Items in backticks, listed. */
export function codeList(items: string[], conjunction = 'and'): string {
  return listText(items.map((i) => `\`${i}\``), conjunction);
}

/**
 * A CA policy's grant in words, from its own controls joined by its own operator (`grantControlNames`, `grantOperator`):
 * "`compliantDevice` or the authentication strength Phishing-resistant MFA" for an OR grant, where a compliant device
 * alone passes, never "requires MFA"; terms of use and custom controls by their ids. What a message says a policy requires.
 */
export function grantText(tenant: TenantView, p: PolicyFacts): string {
  // The strength as the model reads it: a custom one named by id, by the `displayName` of its export in the folder.
  const strength = modelOf(tenant).strengthOf(p);
  const named = grantControlNames(p).map((c) =>
    c === 'authenticationStrength' && strength
      ? strengthTitle(strength) !== undefined
        ? `the authentication strength ${strengthTitle(strength)}`
        : 'an authentication strength'
      : c.startsWith('termsOfUse:')
        ? `terms of use \`${c.slice('termsOfUse:'.length)}\``
        : c.startsWith('custom:')
          ? `the custom control \`${c.slice('custom:'.length)}\``
          : `\`${c}\``,
  );
  return listText(named, grantOperator(p) === 'AND' ? 'and' : 'or');
}

/** Platform names as people write them ("Android", "iOS/iPadOS"). */
export function platformLabels(platforms: Platform[], conjunction = 'and'): string {
  return listText(platforms.map((p) => PLATFORM_LABELS[p]), conjunction);
}

/** What a policy's platform condition takes in, as words with its keys ("applies only on Windows (`includePlatforms`)"). */
export function platformConditionText(p: PolicyFacts): string {
  const condition = asObject(asObject(p.spec?.conditions)?.platforms);
  const excluded = strings(condition?.excludePlatforms);
  const own = platformsTakenIn(p);
  if (p.allPlatforms) return `excludes ${platformLabels(PLATFORMS.filter((pl) => !own.includes(pl)))} (\`excludePlatforms\`)`;
  const keys = excluded.length ? '`includePlatforms`, `excludePlatforms`' : '`includePlatforms`';
  return own.length ? `applies only on ${platformLabels(own)} (${keys})` : `applies on none of ${platformLabels(PLATFORMS)} (${keys})`;
}

/** How a policy is named in messages: its `name`, else its file. */
export function policyLabel(p: PolicyFacts): string {
  return `\`${p.name ?? basename(p.path)}\``;
}

/**
 * The layer a finding on a Conditional Access policy counts in, where it is not the rule's: a policy asking only for
 * app-based grants (`compliantApplication` without `compliantDevice`, the facts' `layer: 1`) is layer 1's (the seed's
 * "Conditional Access policy requiring approved apps", after the app protection policies), so its gap holds layer 1
 * back, not layer 4, whose compliant-device policies it does not touch. One that also asks for a compliant device stays
 * with the rule's layer. Every rule with findings on such a policy reads this one answer.
 */
export function caFindingLayer(p: PolicyFacts): { layer?: 1 } {
  return p.layer === 1 ? { layer: 1 } : {};
}

/** Lowercase slug of a platform for file names (`iOS` → `ios`). */
export function platformSlug(p: Platform): string {
  return p.toLowerCase();
}

/** What differs between the Conditional Access policies the tenant-wide rules' fixes create. */
export interface StagedCaPolicy {
  description: string;
  displayName: string;
  /** Whom it targets (`includeUsers`, `includeRoles`); the break-glass exclusions are added after it. */
  users: Record<string, unknown>;
  /** The conditions after users and All cloud apps (client app types, platforms, authentication flows). */
  conditions: Record<string, unknown>;
  grantControls: { operator: 'OR' | 'AND'; builtInControls: string[] };
}

/**
 * The fix of a tenant-wide Conditional Access rule ("no enabled policy does X"): a new policy in report-only state,
 * named `baseName` (`-2`, `-3`… when taken), owned by the identity team when the manifest has one, on All cloud apps,
 * excluding the manifest's break-glass groups and users (Microsoft's "Manage emergency access accounts"), with
 * `header` as its opening comment. Safe, because report-only enforces nothing; enabling it stays a person's call
 * after the sign-in logs.
 */
export function stagedPolicyFix(tenant: TenantView, baseName: string, policy: StagedCaPolicy, header: string[]): Fix[] {
  const name = freeName(tenant, baseName);
  const owner = ownerFor(tenant, 'identity');
  const manifest = tenant.manifest;
  const bg = manifest?.breakGlass ?? { groups: [], users: [] };
  // A break-glass group the manifest does not list (`unresolved-group` says so on the manifest): written into the new
  // policy it would be one more unresolved group there, which `ztp export` cannot send; left out, the new policy would
  // not exclude the break-glass accounts. Nothing is created until the manifest lists it.
  if (manifest && bg.groups.some((g) => !resolveGroup(manifest, g))) return [];
  const body = {
    kind: 'ConditionalAccessPolicy',
    name,
    ...(owner ? { owner } : {}),
    description: policy.description,
    spec: {
      displayName: policy.displayName,
      state: REPORT_ONLY,
      conditions: {
        users: { ...policy.users, ...(bg.groups.length ? { excludeGroups: bg.groups } : {}), ...(bg.users.length ? { excludeUsers: bg.users } : {}) },
        applications: { includeApplications: ['All'] },
        ...policy.conditions,
      },
      grantControls: policy.grantControls,
    },
  };
  return [
    {
      title: `Create the \`${name}\` Conditional Access policy in report-only state`,
      isPreferred: true,
      safe: true,
      edits: [],
      creates: [newPolicyFile(tenant, 'ConditionalAccessPolicy', body, header)],
    },
  ];
}

/**
 * Whether a CA policy's grant asks for MFA, as Maester's MFA tests count it: the `mfa` built-in control, an
 * authentication strength (unless its expanded `requirementsSatisfied` says it is not multifactor), or a custom
 * (third-party) authentication factor. A password-change policy (the user-risk remediation) is not an MFA policy.
 * With `custom: false`, a custom control does not count: it cannot answer Entra ID Protection's risk ("custom controls
 * can't be used with Microsoft Entra ID Protection's automation requiring multifactor authentication", Learn,
 * controls).
 */
export function grantRequiresMfa(tenant: TenantView, p: PolicyFacts, { custom = true }: { custom?: boolean } = {}): boolean {
  const grant = grantControlsOf(p);
  if (grant.includes('passwordChange')) return false;
  if (grant.includes('mfa')) return true;
  const gc = asObject(p.spec?.grantControls);
  const strength = modelOf(tenant).strengthOf(p);
  if (strength) return strengthIsMultifactor(strength);
  return custom && strings(gc?.customAuthenticationFactors).length > 0;
}

/**
 * Why a policy's grant does not ask for MFA, as a shortfall, or undefined when it does (`grantRequiresMfa`): an
 * authentication strength that a single factor meets (`singleFactorStrength`), else no MFA control at all.
 */
export function mfaShortfall(tenant: TenantView, p: PolicyFacts, options: { custom?: boolean } = {}): string | undefined {
  if (grantRequiresMfa(tenant, p, options)) return undefined;
  return singleFactorStrength(tenant, p) ?? NO_MFA;
}

/**
 * A policy's authentication strength that a single factor meets, as a shortfall ("its authentication strength
 * `Tailspin - federated` admits single-factor sign-in (`federatedSingleFactor`)": the model's `strengthFactors`), or
 * undefined when it asks for none, or a multifactor one.
 */
export function singleFactorStrength(tenant: TenantView, p: PolicyFacts): string | undefined {
  const strength = modelOf(tenant).strengthOf(p);
  const single = strength ? singleFactorText(strength) : undefined;
  if (!single) return undefined;
  const name = [strength!.displayName, strength!.id].find((x): x is string => typeof x === 'string' && x !== '');
  return `its authentication strength${name ? ` \`${name}\`` : ''} admits single-factor sign-in (${single})`;
}

/** The shortfall of a grant that asks for no MFA control at all. */
export const NO_MFA = 'does not require MFA or an authentication strength';

/**
 * Whether a policy was meant to require MFA: it does (`grantRequiresMfa`), or it asks for an authentication strength
 * that falls short of MFA (`mfaShortfall`), which a tenant-wide MFA rule names as the policy that comes closest.
 */
export function grantMeantAsMfa(tenant: TenantView, p: PolicyFacts, options: { custom?: boolean } = {}): boolean {
  if (grantRequiresMfa(tenant, p, options)) return true;
  const strength = asObject(asObject(p.spec?.grantControls)?.authenticationStrength);
  return !!strength && !grantControlsOf(p).includes('passwordChange');
}

/**
 * Whether a grant can be met only through one of the `strong` controls: under AND, one of them is asked for; under
 * OR, every control offered is one (a weaker alternative, app protection or terms of use, lets a sign-in through
 * without it). The grant's controls are its built-in ones, `authenticationStrength` (when it is multifactor),
 * `customAuthenticationFactors` and `termsOfUse`.
 */
export function grantOnlyThrough(tenant: TenantView, p: PolicyFacts, strong: readonly string[]): boolean {
  const gc = asObject(p.spec?.grantControls);
  const strength = modelOf(tenant).strengthOf(p);
  const controls = [
    ...grantControlsOf(p).filter((c) => c !== 'unknownFutureValue'),
    ...(strength ? [strengthIsMultifactor(strength) ? 'authenticationStrength' : 'weakAuthenticationStrength'] : []),
    ...(strings(gc?.customAuthenticationFactors).length ? ['customAuthenticationFactors'] : []),
    ...(strings(gc?.termsOfUse).length ? ['termsOfUse'] : []),
  ];
  if (!controls.length) return false;
  return grantOperator(p) === 'AND' ? controls.some((c) => strong.includes(c)) : controls.every((c) => strong.includes(c));
}

/** Whether the policy's `state` is one Graph knows (a missing or misspelt one is the schema's finding, and unknown here). */
export function caStateKnown(p: PolicyFacts): boolean {
  return p.spec?.state === 'enabled' || p.spec?.state === 'disabled' || p.spec?.state === REPORT_ONLY;
}

/**
 * Why a policy's `state` keeps it from counting as a tenant's safeguard: a report-only policy enforces nothing, and a
 * disabled one does nothing. A missing or misspelt state (the schema's finding) may be deployed enabled: unknown.
 */
export function stateShortfalls(p: PolicyFacts, does: 'blocks' | 'enforces' = 'blocks'): string[] {
  if (p.spec?.state === REPORT_ONLY) return [`is report-only, so it ${does} nothing`];
  if (p.spec?.state === 'disabled') return ['is disabled'];
  if (p.spec?.state !== 'enabled') return ['has no valid `state`'];
  return [];
}

/**
 * A Conditional Access policy the whole tenant needs (MFA for All users, a block of device code flow…), as the rule
 * that asks for it describes it. `readSafeguard` reads every such rule's question the same way.
 */
export interface Safeguard {
  /** What it does, for a report-only one: a block "blocks nothing", a requirement "enforces nothing". */
  does: 'blocks' | 'enforces';
  /** Whether the policy was meant as one (it names device code flow, it requires MFA…). */
  meantAs(p: PolicyFacts): boolean;
  /** What keeps a policy meant as one from being it, its state aside. */
  conditionShortfalls(p: PolicyFacts): string[];
  /**
   * Whether a policy whose conditions fall short may be it all the same, what the folder does not show deciding it (a
   * named location it does not export, whose trust is unknown): its absence is then unknown, as for a policy in a file
   * that could not be read. Unset: its shortfalls are certain.
   */
  mayMeet?(p: PolicyFacts): boolean;
  /**
   * Which of its condition shortfalls are of what its grant asks (an authentication strength a single factor meets),
   * not of whom, what or when it targets. At equal distance, the policy with fewer of the others comes closest: one
   * that targets what the safeguard needs and falls short only by its grant is a change of grant away. Unset: none is.
   */
  grantShortfalls?(p: PolicyFacts): string[];
}

/** What a tenant's Conditional Access policies say of a safeguard it needs. */
export interface SafeguardReading {
  /** Its enabled policies that are the safeguard. */
  met: PolicyFacts[];
  /**
   * Whether none is, but the answer is unknown: the tenant keeps no CA policy here (it may keep them elsewhere), one
   * whose `state` is missing or misspelt would be it if deployed enabled, or one may sit in a file that was not read.
   */
  unknown: boolean;
  /** The policies meant as it that fall short, so the author sees why they do not count. */
  near: PolicyFacts[];
  /** The one that comes closest (at equal distance, one staged in report-only: enabling it is all that is left). */
  closest: PolicyFacts | undefined;
  /** Whether one meant as it is staged in report-only with nothing else missing: a quick fix would only add a copy. */
  staged: boolean;
}

/**
 * What keeps a policy Graph would refuse as written from counting (`graphRefusal`: a schema error): the tenant would
 * not have it, as What If leaves it out of its result (`notDeployable`). None for a policy Graph would take.
 */
export function refusalShortfalls(p: PolicyFacts): string[] {
  const refusal = graphRefusal(p.schemaIssues);
  return refusal ? [refusal] : [];
}

/** What keeps a policy from being the safeguard: its state, whether Graph would take it, then its conditions. */
export function shortfallsOf(safeguard: Safeguard, p: PolicyFacts): string[] {
  return [...stateShortfalls(p, safeguard.does), ...refusalShortfalls(p), ...safeguard.conditionShortfalls(p)];
}

/** Which of the tenant's policies are the safeguard, which were meant as it, and whether its absence is known. */
export function readSafeguard(tenant: TenantView, safeguard: Safeguard): SafeguardReading {
  const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
  const meant = ca.filter((p) => safeguard.meantAs(p)).map((p) => ({ p, short: shortfallsOf(safeguard, p) }));
  const met = meant.filter((x) => !x.short.length).map((x) => x.p);
  const mayMeet = (p: PolicyFacts): boolean => !stateShortfalls(p, safeguard.does).length && !refusalShortfalls(p).length && safeguard.mayMeet?.(p) === true;
  const unknown =
    !ca.length ||
    (!met.length &&
      (meant.some((x) => (!caStateKnown(x.p) && !safeguard.conditionShortfalls(x.p).length) || mayMeet(x.p)) || modelOf(tenant).mayHide('ConditionalAccessPolicy')));
  const near = meant.filter((x) => x.short.length > 0);
  const shortOf = new Map(near.map((x) => [x.p, x.short]));
  const scopeOf = (p: PolicyFacts): number => {
    const grant = safeguard.grantShortfalls?.(p) ?? [];
    return shortOf.get(p)!.filter((x) => !grant.includes(x)).length;
  };
  const closest = nearest(near.map((x) => x.p), (p) => shortOf.get(p)!, scopeOf);
  return { met, unknown, near: near.map((x) => x.p), closest, staged: near.some((x) => x.p.spec?.state === REPORT_ONLY && x.short.length === 1) };
}

/**
 * The policy that comes closest to what a rule asks: the fewest shortfalls; at equal distance the fewest that are not of
 * its grant (`scope`, where the rule tells them apart: a policy that targets All users and All cloud apps and falls
 * short only by its authentication strength comes before one that misses the users), then one staged in report-only
 * (enabling it is all that is left). Every tenant-wide rule names it so.
 */
export function nearest(policies: readonly PolicyFacts[], shortfalls: (p: PolicyFacts) => readonly string[], scope?: (p: PolicyFacts) => number): PolicyFacts | undefined {
  const staged = (p: PolicyFacts): number => (p.spec?.state === REPORT_ONLY ? 1 : 0);
  const misses = (p: PolicyFacts): number => (scope ? scope(p) : 0);
  return [...policies].sort((a, b) => shortfalls(a).length - shortfalls(b).length || misses(a) - misses(b) || staged(b) - staged(a))[0];
}

/** `; <policy> comes closest but <what it lacks>`, for a safeguard's message, or nothing. */
export function closestNote(safeguard: Safeguard, reading: SafeguardReading): string {
  const best = reading.closest;
  return best ? closestText(best, shortfallsOf(safeguard, best)) : '';
}

/**
 * `; <policy> comes closest but <what it lacks>`, or, for a policy whose only shortfall is that Graph refuses it as
 * written, `; <policy> would meet it but Graph refuses it as written: <problem>`.
 */
export function closestText(p: PolicyFacts, shortfalls: string[]): string {
  const refusal = refusalShortfalls(p)[0];
  if (refusal && shortfalls.length === 1 && shortfalls[0] === refusal) return `; ${policyLabel(p)} would meet it but ${refusal}`;
  return `; ${policyLabel(p)} comes closest but ${listText(shortfalls)}`;
}

/**
 * How a policy's client app condition limits it to some modern clients, as a shortfall ("applies only in browsers"),
 * or undefined when it covers browsers and mobile/desktop apps (`all`, both, or no condition). An MFA policy for
 * browsers leaves the desktop and command-line clients of the same account open.
 */
export function modernClientLimit(p: PolicyFacts): string | undefined {
  const { browser, apps } = clientAppCoverage(p);
  if (browser && apps) return undefined;
  if (browser) return 'applies only in browsers (not to mobile and desktop apps)';
  if (apps) return 'applies only to mobile and desktop apps (not in browsers)';
  return LEGACY_CLIENTS_ONLY;
}

/** `modernClientLimit`'s answer for a policy whose client app condition takes in legacy clients alone. */
export const LEGACY_CLIENTS_ONLY = 'applies only to legacy clients';

/**
 * How a policy's location condition leaves some sign-ins without it, as a shortfall naming them ("leaves sign-ins at
 * trusted locations open (`excludeLocations`)"), or undefined when it applies at every location (no condition, or `All`
 * with nothing excluded). An MFA policy for administrators outside the trusted locations lets a password alone sign in
 * as one from the office, or from any address a trusted range holds (Learn's "Require MFA for administrators" sets no
 * location condition: https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-admin;
 * locations: https://learn.microsoft.com/entra/identity/conditional-access/concept-assignment-network). Named
 * locations are named by the tenant's export of them (the model's `namedLocations`), else by id.
 */
export function locationLimit(tenant: TenantView, p: PolicyFacts): string | undefined {
  const locations = asObject(asObject(p.spec?.conditions)?.locations);
  const include = strings(locations?.includeLocations);
  const exclude = strings(locations?.excludeLocations);
  const narrowed = include.length > 0 && !include.includes('All');
  if (!narrowed && !exclude.length) return undefined;
  const named = modelOf(tenant).namedLocations;
  const place = (ref: string): string => (ref === 'AllTrusted' ? 'at trusted locations' : ref === 'All' ? 'at every location' : `at ${locationLabel(named, ref)}`);
  const parts: string[] = [];
  if (narrowed) parts.push(`applies only ${listText(include.map(place), 'or')} (\`includeLocations\`), so it leaves sign-ins from anywhere else open`);
  if (exclude.length) parts.push(`leaves sign-ins ${listText(exclude.map(place), 'and')} open (\`excludeLocations\`)`);
  return parts.join(', and ');
}

// `coversAllApps`, `riskLimits` and `narrowingConditions` are the model's (`model/sign-in-scope.ts`): the legacy
// authentication answer reads them there.
export { coversAllApps, narrowingConditions, riskLimits } from '../model/sign-in-scope';


import { isSeq } from 'yaml';
import { nodeAtPath } from '../document';
import { specPath, type ManifestFacts, type PolicyFacts } from '../facts';
import { graphTarget } from '../graph';
import type { PolicyKind } from '../kinds';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Emitted, Rule, TenantView } from '../rule';
import { modelOf } from '../model/index';
import { assignmentDeclaration } from '../model/targets';
import { enrollmentTypeOf } from '../model/enrollment';
import { emitKept, type KeptReading } from '../reads';
import { APP_PROTECTION_COVERED, grantControlNames, grantOperator, grantVerdict, type ControlAbility } from '../model/grants';
import { mayHoldText } from '../model/compliance-reach';
import { policyTargetResources } from '../model/sign-in-scope';
import { applyingCaPolicies, assignmentIncludes, assignmentReaches, assignmentTargets, caTargets, excludingPolicy, includesDevicesByFilter, isReportOnly, policiesFor, policySpan, related, uncoveredTargets } from '../tenant-query';
import type { Fix, RelatedInfo, TextEdit } from '../types';
import { addToMap, appendToSequence } from '../yaml-edit';
import { caFindingLayer, codeList, grantDependencies, listText, policyAt, policyLabel, resolvedTargetGroups } from './ca-helpers';

/** One platform whose Intune policies of a kind leave some of the CA policy's targeted users uncovered. */
export interface AlignmentGap {
  kind: PolicyKind;
  platform: Platform;
  /** Uncovered manifest groups; empty when the CA policy targets All users (then `all` is set). */
  groups: string[];
  all: boolean;
  /** The policy the fix assigns (the one whose include list overlaps the CA policy's groups most). */
  target: string;
  /** Every policy of that kind and platform declares assignments that include no one. */
  nobody?: true;
  /** Uncovered groups that a policy of that kind excludes (adding them to an include list would not help), by policy. */
  excluded?: { group: string; policy: string }[];
  /**
   * Uncovered groups that a compliance policy of the platform is assigned to, but whose devices cannot enroll (a
   * restriction blocks them): the policy reaches none of their devices, and assigning another would not help either.
   */
  cannotEnroll?: { group: string; policy?: string; restriction?: string }[];
  /**
   * With `mayReach`: the groups in doubt only because an enrollment restriction keeps them from enrolling the platform's
   * devices themselves, while devices others enroll may be compliant (the grant evaluator's `mayBeImpossible` with its
   * `enrollment`): the message says so, as the lockout check does.
   */
  ownEnrollment?: string[];
  /**
   * The groups the policies of that kind and platform are assigned to, when an uncovered group's users may be in one
   * of them too (`GroupDirectory.mayHoldMemberOf`: one of the two lists no members, or they share some), so the
   * message says "unless", as the lockout check's note does.
   */
  assignedTo?: string[];
  /**
   * A gap whose users the grant evaluator does not say are refused (`TenantModel.grant` with their groups, read through
   * `grantVerdict`, is not `impossible` for a member of some uncovered group, or for a user in none of the groups when
   * All users are): under AND one control they certainly cannot meet refuses them, under OR every control must be. The
   * groups this kind's policies are assigned to that may hold them (`complianceReach`, `appProtectionReach`; for
   * compliance, or be device groups holding their devices), when that is the doubt. The message then says "may be
   * locked out".
   */
  mayReach?: string[];
  /**
   * With `mayReach`: the uncovered groups whose users the grant evaluator says certainly cannot meet the grant on the
   * platform (one excludes them, their devices cannot enroll), said apart from those in doubt.
   */
  lockedOut?: string[];
  /**
   * The platform's only app protection policies, which select apps one by one and select none (the model's
   * `appProtectionWithoutApps`; `app-protection-targets-no-app` reports each): they meet app protection for no one,
   * and the groups are those they would still leave out once apps are selected. Said together, so selecting the apps
   * does not bring a second finding.
   */
  noApps?: string[];
}

/** The grant verdicts (`grantVerdict`) under which the users are refused for certain. */
const REFUSED: readonly string[] = ['impossible', 'block'];

const KEPT = new WeakMap<object, KeptReading<Emitted[]>>();

const KIND_NOUN: Partial<Record<PolicyKind, string>> = { CompliancePolicy: 'compliance', AppProtectionPolicy: 'app protection' };

/** The Intune policies of a platform do not cover the users that a CA policy requiring them targets. */
export const caGroupAlignment: Rule = {
  id: 'ca-group-alignment',
  title: 'Compliance or app protection policies do not cover the users a Conditional Access policy targets',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started#integrate-with-conditional-access', 'https://learn.microsoft.com/intune/intune-service/protect/conditional-access-intune-common-ways-use#device-based-conditional-access'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.manifest) return;
    // Kept per policy across edits: an edit of another CA policy leaves this one's finding as it was. What it needs
    // of the tenant is read inside, so that the kept finding notes it.
    emitKept(tenant, KEPT, applyingCaPolicies(tenant), emit, (p, emit) => {
      const gaps = gapsOf(p, tenant, tenant.manifest!);
      if (!gaps.length) return;
      emit({
        file: p,
        span: policySpan(p, ['spec', 'conditions', 'users'], 'key'),
        message: message(p, gaps, modelOf(tenant).declared.secureByDefault),
        lowered: isReportOnly(p),
        // A policy asking only for app-based grants is layer 1's, as for ca-requires-app-protection (`caFindingLayer`).
        ...caFindingLayer(p),
        related: relatedInfo(gaps, tenant),
        data: { gaps },
        certain: certainOf(gaps),
      });
    });
  },
  fix(finding, tenant) {
    const gaps = (finding.data as { gaps?: AlignmentGap[] } | undefined)?.gaps ?? [];
    const edits: TextEdit[] = [];
    const titles: string[] = [];
    for (const gap of gaps) {
      const target = policyAt(tenant, gap.target);
      // An excluded group stays excluded whatever the include list says: lifting the exclusion is a person's call.
      // Nor does assigning another policy to users whose devices cannot enroll.
      const groups = gap.all ? ['allUsers'] : gap.groups.filter((g) => !gap.excluded?.some((e) => e.group === g) && !gap.cannotEnroll?.some((e) => e.group === g));
      if (!groups.length) continue;
      const edit = target && assignEdit(target, groups, tenant.manifest);
      if (!edit) continue;
      edits.push(edit);
      titles.push(`${codeList(groups)} to ${policyLabel(target)}`);
    }
    if (!edits.length) return [];
    // Who a policy is assigned to is the endpoint team's call, so never applied unattended.
    const fix: Fix = { title: `Assign ${titles.join('; ')}`, isPreferred: true, safe: false, edits, creates: [] };
    return [fix];
  },
};

/**
 * Per dependency and platform: the targeted users no policy of that kind covers, skipping platforms with no such
 * policy at all (other rules report those). Under OR a user who can meet another control is not a gap: a group is
 * reported only when every Intune-backed control leaves it uncovered and no control that needs no Intune policy
 * (MFA, an authentication strength…) is offered.
 */
function gapsOf(p: PolicyFacts, tenant: TenantView, manifest: ManifestFacts): AlignmentGap[] {
  const deps = grantDependencies(p);
  // A grant that needs no Intune policy (MFA, a strength, a block…) has nothing to align, and reads nothing else.
  if (!deps.length) return [];
  const model = modelOf(tenant);
  const { all, exclude } = caTargets(p, manifest);
  // Unresolved group references are `unresolved-group`'s finding, not a coverage gap.
  const targets = { all, groups: resolvedTargetGroups(p, manifest), exclude };
  const operator = grantOperator(p);
  // A device filter that includes only some devices (shared devices, kiosks) scopes the policy by device, and their
  // compliance policies are usually assigned to device groups, which the manifest does not tell from user groups:
  // whom a compliance requirement reaches is unknown here (and under OR, whether the other control is needed). App
  // protection is assigned to users whatever their device ("targeted to a user's identity", Learn), so a gap in it
  // stands on every platform where the filter may take a device in.
  const filtered = includesDevicesByFilter(p);
  if (filtered && (operator === 'OR' || !deps.some((d) => d.kind === 'AppProtectionPolicy')) && deps.some((d) => d.kind === 'CompliancePolicy')) return [];
  const names = grantControlNames(p);
  const gaps: AlignmentGap[] = [];
  for (const platform of filtered ? model.caPlatformsReached(p) : model.caPlatforms(p)) {
    const grant = model.grant(p, platform);
    // Under OR, a control that needs no Intune policy and can be met here lets every user in.
    if (operator === 'OR' && grant.controls.some((c) => c.status === 'possible' && !c.missing && !deps.some((d) => d.control === c.control))) continue;
    // A file not analysed may hold a policy of a kind for this platform (`mayHide`): who it covers is unknown. Under OR
    // the users may meet that control, so the platform says nothing; under AND the other controls still stand.
    const hidden = deps.filter((d) => model.mayHide(d.kind, platform));
    if (hidden.length && (operator === 'OR' || hidden.length === deps.length)) continue;
    const perDep = deps
      .filter((dep) => !hidden.includes(dep))
      // Where Configuration Manager evaluates compliance under co-management (all devices, or all but the pilot
      // collection's), a user Intune's policies leave out is evaluated there: whom they cover is no gap.
      .filter((dep) => dep.kind !== 'CompliancePolicy' || !model.configMgrCompliance(platform))
      // App protection covers the platforms the grant evaluator reads it on (Windows through Edge).
      .filter((dep) => (dep.kind === 'CompliancePolicy' && !filtered) || (dep.kind === 'AppProtectionPolicy' && APP_PROTECTION_COVERED.includes(platform)))
      // A control that can never be met here whatever is assigned (app protection on Windows for apps only) is
      // ca-requires-app-protection's: assigning policies would not help.
      .filter((dep) => !grant.controls.some((c) => c.control === dep.control && c.status === 'impossible' && !c.missing))
      .map((dep) => {
        // The platform's only app protection policies select no app: no one meets the control, which
        // `app-protection-targets-no-app` reports; whom they are assigned to still decides who is left out once apps are
        // selected, and the lockout check names those users now (the grant evaluator's `noApps` gap).
        const protecting = dep.kind === 'AppProtectionPolicy' ? model.appProtectionPolicies(platform) : [];
        const noApps = dep.kind === 'AppProtectionPolicy' && !protecting.length ? model.appProtectionWithoutApps(platform) : [];
        const intune = dep.kind === 'CompliancePolicy' ? model.compliancePolicies(platform) : protecting.length ? protecting : noApps;
        const uncovered = intune.length ? uncoveredTargets(targets, intune, tenant.manifest) : all ? ['All users'] : targets.groups;
        // The targeted groups an enrollment restriction keeps from enrolling the platform, whom the grant evaluator says
        // cannot (or may not) have a compliant device whatever the assignments cover: the lockout check's sample users of
        // those groups read the same answer, so the rule names them too.
        const unenrollable = dep.kind === 'CompliancePolicy' && intune.length ? enrollmentGaps(p, platform, targets, tenant).filter((g) => !uncovered.includes(g)) : [];
        return { dep, intune, noApps, uncovered: [...uncovered, ...unenrollable], unenrollable };
      });
    for (const { dep, intune, noApps, uncovered, unenrollable } of perDep) {
      if (!intune.length || !uncovered.length) continue;
      // Under OR, only users that no other Intune-backed control covers either.
      const still = operator === 'OR' && names.length > 1 ? uncovered.filter((g) => perDep.every((o) => o.dep === dep || o.uncovered.includes(g))) : uncovered;
      if (!still.length) continue;
      const nobody = intune.every((c) => assignmentDeclaration(c) === 'nobody');
      // All users is uncovered as a whole, or only some groups (those a policy excludes) are.
      const whole = all && still.includes('All users');
      const groups = whole ? [] : still.filter((g) => g !== 'All users');
      // Under All users, the groups a policy excludes come back beside it (`uncoveredTargets`): their users are
      // certainly out, whatever the other groups hold, and are named as such.
      const excluded = (whole ? still.filter((g) => g !== 'All users') : groups).flatMap((group) => {
        const by = excludingPolicy(group, intune, tenant.manifest);
        return by ? [{ group, policy: by.name ?? by.path }] : [];
      });
      const cannotEnroll = dep.kind === 'CompliancePolicy' ? blockedEnrollment(groups, platform, intune, tenant) : [];
      for (const group of unenrollable.filter((g) => groups.includes(g) && !cannotEnroll.some((e) => e.group === g))) {
        const restriction = enrollmentOf(p, platform, group, tenant)?.enrollment?.source?.policy;
        cannotEnroll.push({ group, ...(restriction ? { restriction: restriction.name ?? restriction.path } : {}) });
      }
      // The groups of this platform's policies that the uncovered groups' users may also be in (none that excludes them).
      const plain = groups.filter((g) => !excluded.some((e) => e.group === g) && !cannotEnroll.some((e) => e.group === g));
      // Whether each uncovered group's users (All users: a user in none of the groups) are refused: the grant
      // evaluator's answer for them on this platform (`grantVerdict`), which What If and the lockout check give for the
      // same users. Under AND one control certainly unmet refuses them whatever the others; under OR only every control.
      const verdictOf = (sample: string[]) => grantVerdict(model.grant(p, platform, platform, sample));
      const samples = whole ? [[] as string[]] : groups.map((g) => model.groups.memberGroups(g));
      const inDoubt = samples.filter((sample) => !REFUSED.includes(verdictOf(sample)));
      // Those in doubt: the groups this kind's policies are assigned to that may hold them (the model's reach).
      const reachOf = (sample: string[]) => (dep.kind === 'CompliancePolicy' ? model.complianceReach(platform, sample) : model.appProtectionReach(platform, sample));
      const mayReach = [...new Set(inDoubt.map(reachOf).flatMap((r) => (r.state === 'unknown' ? r.assignedTo : [])))];
      // Those in doubt only for the devices they would enroll themselves (`enrollmentOf`: the evaluator's own reason).
      const ownEnrollment = whole ? [] : groups.filter((g) => unenrollable.includes(g) && enrollmentOf(p, platform, g, tenant)?.mayBeImpossible);
      // Beside users in doubt, the groups whose users the grant certainly refuses (under All users, those a policy excludes).
      const lockedOut = inDoubt.length ? (whole ? excluded.map((e) => e.group) : groups).filter((g) => REFUSED.includes(verdictOf(model.groups.memberGroups(g)))) : [];
      // Only those that may hold a member of an uncovered group (the group directory's one reading of listed members:
      // a group that lists its members without theirs holds none of them).
      const mayHoldThem = (a: string): boolean => plain.some((g) => model.groups.mayHoldMemberOf(a, model.groups.memberGroups(g)));
      const assignedTo = plain.length && !nobody ? [...new Set(intune.filter((c) => !plain.some((g) => excludingPolicy(g, [c], tenant.manifest))).flatMap((c) => assignmentIncludes(c, tenant.manifest)))].filter(mayHoldThem) : [];
      gaps.push({
        kind: dep.kind,
        platform,
        groups,
        all: whole,
        target: bestTarget(intune, targets.groups, tenant.manifest).path,
        ...(nobody ? { nobody } : {}),
        ...(excluded.length ? { excluded } : {}),
        ...(cannotEnroll.length ? { cannotEnroll } : {}),
        ...(assignedTo.length ? { assignedTo } : {}),
        ...(inDoubt.length ? { mayReach } : {}),
        ...(lockedOut.length ? { lockedOut } : {}),
        ...(ownEnrollment.length ? { ownEnrollment } : {}),
        ...(noApps.length ? { noApps: noApps.map((c) => c.name ?? c.path) } : {}),
      });
    }
  }
  return gaps;
}

/**
 * The compliant-device control for a sample member of a group on a platform, as the grant evaluator answers it, when an
 * enrollment restriction decides it (`enrollment`): impossible (no device of theirs can be compliant), or possible but
 * in doubt (`mayBeImpossible`: only the devices they enroll themselves are kept out). Undefined otherwise.
 */
function enrollmentOf(p: PolicyFacts, platform: Platform, group: string, tenant: TenantView): ControlAbility | undefined {
  const model = modelOf(tenant);
  const c = model.grant(p, platform, platform, model.groups.memberGroups(group)).controls.find((x) => x.control === 'compliantDevice');
  if (!c?.enrollment?.source?.policy) return undefined;
  return c.status === 'impossible' || c.mayBeImpossible ? c : undefined;
}

/**
 * The groups the CA policy targets (All users: every group a restriction is assigned to that the policy does not
 * exclude; else its groups, and the restricted groups nested in them) whose members the grant evaluator says cannot,
 * or may not, meet the grant on the platform because an enrollment restriction keeps them from enrolling
 * (`enrollmentOf`, read through `grantVerdict`): the same users and the same answer as the lockout check's.
 */
function enrollmentGaps(p: PolicyFacts, platform: Platform, targets: { all: boolean; groups: string[]; exclude?: string[] }, tenant: TenantView): string[] {
  const model = modelOf(tenant);
  const directory = model.groups;
  const restricted = model.enrollment.blockingGroups();
  const excluded = (g: string): boolean => (targets.exclude ?? []).some((x) => directory.holds(x, g));
  const candidates = targets.all
    ? restricted.filter((g) => !excluded(g))
    : [...new Set([...targets.groups, ...restricted.filter((g) => targets.groups.some((t) => directory.closure(t).groups.has(g)) && !excluded(g))])];
  return candidates.filter((g) => enrollmentOf(p, platform, g, tenant) && grantVerdict(model.grant(p, platform, platform, directory.memberGroups(g))) !== 'possible');
}

/**
 * The uncovered groups that a compliance policy of the platform is assigned to but whose devices a restriction keeps
 * from enrolling (the model leaves such a policy out of what covers them): the same answer the enrollment rule and the
 * lockout check give, said here so the advice is not "assign the policies".
 */
function blockedEnrollment(groups: string[], platform: Platform, covering: PolicyFacts[], tenant: TenantView): NonNullable<AlignmentGap['cannotEnroll']> {
  const model = modelOf(tenant);
  const manifest = tenant.manifest;
  const directory = model.groups;
  const out: NonNullable<AlignmentGap['cannotEnroll']> = [];
  for (const group of groups) {
    const assigned = model
      .policiesFor('CompliancePolicy', platform)
      .find((c) => !covering.includes(c) && assignmentDeclaration(c) !== 'nobody' && assignmentReaches(assignmentTargets(c, manifest), [group], directory));
    if (!assigned) continue;
    // The assigned policy's own enrollment type, as the model left it out of the coverage for: on Android, a work
    // profile policy whose type is blocked reaches no device even where fully managed phones enroll.
    const type = enrollmentTypeOf(assigned);
    if (!type) continue;
    const answer = model.enrollment.forUser(type, directory.memberGroups(group));
    if (answer.state !== 'blocked') continue;
    out.push({ group, policy: assigned.name ?? assigned.path, ...(answer.source?.policy?.name ? { restriction: answer.source.policy.name } : {}) });
  }
  return out;
}

/** The policy whose include list already shares the most groups with the CA policy (the first one on a tie). */
function bestTarget(intune: PolicyFacts[], groups: string[], manifest: ManifestFacts | undefined): PolicyFacts {
  let best = intune[0]!;
  let bestScore = -1;
  for (const c of intune) {
    const score = assignmentIncludes(c, manifest).filter((g) => groups.includes(g)).length;
    if (score > bestScore) [best, bestScore] = [c, score];
  }
  return best;
}

function gapText(gap: AlignmentGap): string {
  const text = coverageText(gap);
  if (!gap.noApps?.length) return text;
  const one = gap.noApps.length === 1;
  return `${text}, and ${one ? 'the only one' : 'each of them'}, ${listText(gap.noApps.map((n) => `\`${n}\``))}, selects no app (\`apps\` is empty: see app-protection-targets-no-app), so no one meets app protection on ${PLATFORM_LABELS[gap.platform]} until apps are selected, and these users would still get none`;
}

function coverageText(gap: AlignmentGap): string {
  const what = `${PLATFORM_LABELS[gap.platform]} ${KIND_NOUN[gap.kind]} policies`;
  if (gap.nobody) return `${what} are assigned to nobody`;
  const excluded = gap.excluded ?? [];
  if (gap.all) {
    const out = excluded.length ? `, and ${listText(excluded.map((e) => `\`${e.policy}\` excludes \`${e.group}\``))}` : '';
    return `${what} cover only some users, not All users (assign \`allUsers\` or \`allDevices\`)${out}`;
  }
  const named = (g: string): string => {
    const by = excluded.find((e) => e.group === g);
    if (by) return `\`${g}\` (excluded by \`${by.policy}\`)`;
    const blocked = gap.cannotEnroll?.find((e) => e.group === g);
    if (blocked && !blocked.policy) {
      const restriction = blocked.restriction ? `the enrollment restriction \`${blocked.restriction}\`` : 'an enrollment restriction';
      return `\`${g}\` (${restriction} keeps them from enrolling ${PLATFORM_LABELS[gap.platform]} devices${gap.ownEnrollment?.includes(g) ? ' themselves' : ''})`;
    }
    if (blocked) {
      const why = blocked.restriction ? `the enrollment restriction \`${blocked.restriction}\` blocks their devices` : 'their devices cannot enroll';
      return `\`${g}\` (\`${blocked.policy}\` is assigned to them, but ${why}, so it reaches none: see compliance-requires-enrollment)`;
    }
    return `\`${g}\``;
  };
  // Users of a plain uncovered group may also be in a group those policies are assigned to: the outcome is theirs only
  // if they are not (two groups are not known to be apart).
  const unless = gap.assignedTo?.length ? ` (unless they are also in ${listText(gap.assignedTo.map((g) => `\`${g}\``), 'or')})` : '';
  // Users a restriction keeps from enrolling: the policies are assigned to them (or to their devices) and reach no
  // device they would enroll.
  if (gap.groups.every((g) => gap.cannotEnroll?.some((e) => e.group === g && !e.policy))) {
    const label = PLATFORM_LABELS[gap.platform];
    const by = [...new Set(gap.cannotEnroll!.filter((e) => gap.groups.includes(e.group)).map((e) => e.restriction).filter((r): r is string => !!r))];
    const restriction = by.length ? `the enrollment restriction${by.length > 1 ? 's' : ''} ${listText(by.map((r) => `\`${r}\``))} ${by.length > 1 ? 'keep' : 'keeps'}` : 'an enrollment restriction keeps';
    return `${restriction} ${listText(gap.groups.map((g) => `\`${g}\``))} from enrolling ${label} devices, so the ${what} reach none they would enroll`;
  }
  return `${what} do not cover ${listText(gap.groups.map(named))}${unless}`;
}

function message(p: PolicyFacts, gaps: AlignmentGap[], secureByDefault: boolean | undefined): string {
  const grants = [...new Set(gaps.map((g) => (g.kind === 'CompliancePolicy' ? 'a compliant device' : 'app protection')))];
  const refused = refusedText(p);
  // Users an enrollment restriction keeps from enrolling (every gap's groups): the restriction is the fix, which the
  // advice names, so their refusal is not said to leave "nothing to fix" (that is for a user no policy reaches at all).
  const blockedOnly = gaps.every((g) => g.groups.length && g.groups.every((x) => g.cannotEnroll?.some((e) => e.group === x)));
  // Where the platform's only app protection selects no app, selecting the apps and assigning it is the fix: said as such.
  const noAppsOnly = gaps.every((g) => g.noApps?.length);
  const lockedOut = blockedOnly || noAppsOnly ? (refused ?? 'locked out') : refused ? `${refused}, with nothing to fix` : 'locked out with nothing to fix';
  // A device with no compliance policy is noncompliant under secureByDefault, compliant unchecked without it; an app
  // with no app protection policy never meets the grant.
  const complianceGaps = gaps.filter((g) => g.kind === 'CompliancePolicy');
  const appGaps = gaps.filter((g) => g.kind === 'AppProtectionPolicy');
  const noncompliant = '`secureByDefault` marks a device with no compliance policy noncompliant';
  // Users whose devices cannot enroll are out whatever `secureByDefault` says (the grant evaluator reads enrollment first).
  const enrollmentOnly = complianceGaps.length > 0 && complianceGaps.every((g) => g.groups.length && g.groups.every((x) => g.cannotEnroll?.some((e) => e.group === x && !e.policy)));
  const compliance = !complianceGaps.length
    ? undefined
    : enrollmentOnly
      ? enrollmentText(complianceGaps, lockedOut)
      : secureByDefault === true
      ? certaintyText(complianceGaps, lockedOut, noncompliant)
      : secureByDefault === false
        ? 'Those users\' enrolled devices pass unchecked where compliance is asked (`secureByDefault` is false)'
        : `Those users' enrolled devices either pass unchecked or are ${lockedOut}, depending on \`secureByDefault\``;
  const app = appGaps.length ? certaintyText(appGaps, lockedOut, appGaps.every((g) => g.noApps?.length) ? NO_APPS_SELECTED : NO_APP_PROTECTION) : undefined;
  // Both kinds: with secureByDefault on, the users are out only where neither reaches them (OR), or where either does
  // not (AND), said once; otherwise, under OR a device that passes unchecked lets them in (the compliance outcome),
  // and under AND app protection is still asked.
  const both = compliance && app;
  const outcome = !both
    ? (compliance ?? app)!
    : secureByDefault === true
      ? certaintyText(gaps, lockedOut, `${noncompliant}, and ${NO_APP_PROTECTION}`)
      : grantOperator(p) === 'OR'
        ? compliance
        : `${compliance}; where app protection is asked, ${app.charAt(0).toLowerCase()}${app.slice(1)}`;
  const assign = gaps.some((g) => g.noApps?.length) ? 'select the apps in the app protection policy and assign it to the same groups' : 'assign the policies to the same groups';
  const advice = blockedOnly
    ? 'let their devices enroll, or stop requiring a compliant device of them'
    : gaps.some((g) => g.excluded?.length)
      ? `${assign}, or lift the exclusions`
      : assign;
  // A report-only policy enforces nothing yet: the outcome is what enforcing it would do (as ca-requires-compliance-policy says).
  const when = isReportOnly(p) ? ' once it is enforced (it is report-only)' : '';
  return `${policyLabel(p)} requires ${listText(grants, grantOperator(p) === 'OR' ? 'or' : 'and')} for users that the Intune policies do not reach: ${gaps.map(gapText).join('; ')}. ${outcome}${when}; ${advice}`;
}

/** Why an app no app protection policy reaches for the user fails the grant (the grant evaluator's words). */
const NO_APP_PROTECTION = 'no app meets app protection for a user no app protection policy reaches';

/** Why, where the platform's only app protection selects no app (`AlignmentGap.noApps`). */
const NO_APPS_SELECTED = 'no app meets app protection while the app protection selects no app, and it is not assigned to them either';

/**
 * What a CA policy whose grant the users cannot meet refuses them, when that is not their sign-ins to apps: the content
 * and actions an authentication context protects, or a user action (the model's `policyTargetResources`; What If and
 * the lockout check, which sign in to apps, leave such a policy out). Undefined for a policy on apps: a lockout.
 */
function refusedText(p: PolicyFacts): string | undefined {
  const { apps, userActions, authenticationContexts } = policyTargetResources(p);
  if (apps.length) return undefined;
  const named = (xs: string[]): string => listText(xs.map((x) => `\`${x}\``));
  if (authenticationContexts.length) {
    const one = authenticationContexts.length === 1;
    return `refused what authentication context${one ? '' : 's'} ${named(authenticationContexts)} protect${one ? 's' : ''} (the content and actions apps ask ${one ? 'it' : 'them'} for; their sign-ins to apps are not affected)`;
  }
  if (userActions.length) return `refused the user action${userActions.length > 1 ? 's' : ''} ${named(userActions)} (their sign-ins to apps are not affected)`;
  return undefined;
}

/**
 * Whether the users of some gaps are refused for certain, or may be, as the grant evaluator says for them (`mayReach`
 * marks a gap in doubt, `lockedOut` its groups that are not): under AND one control they certainly cannot meet is
 * enough, under OR every control must be. The doubt is that a group the policies are assigned to may hold them (for
 * compliance, or their devices: `mayHoldText`). `because` says why a user no policy reaches cannot meet the grant.
 * Certain on some platforms, in doubt on others: each said of its own.
 */
function certaintyText(list: AlignmentGap[], lockedOut: string, because: string): string {
  const sure = list.filter((g) => !g.mayReach);
  const unsure = list.filter((g) => g.mayReach);
  if (!unsure.length) return `Those users are ${lockedOut} (${because})`;
  const open = (kind: PolicyKind): string[] => [...new Set(unsure.filter((g) => g.kind === kind).flatMap((g) => g.mayReach ?? []))].map((g) => `\`${g}\``);
  const compliance = open('CompliancePolicy');
  const appProtection = open('AppProtectionPolicy');
  // Groups in doubt only for the devices they enroll themselves (`ownEnrollment`), beside others in doubt of reach.
  const own = [...new Set(unsure.flatMap((g) => g.ownEnrollment ?? []))];
  const ownText = own.length ? `${listText(own.map((g) => `\`${g}\``))} may be refused only on devices they enroll themselves (a restriction applies to the user who enrolls, and a device someone else enrolls that a compliance policy reaches can be compliant)` : undefined;
  const reachText = compliance.length || appProtection.length ? mayHoldText({ compliance, appProtection }) : own.length ? undefined : 'a policy whose file does not say whom it is assigned to may reach them';
  const why = [reachText, ownText].filter(Boolean).join('; ');
  const platformsOf = (gs: AlignmentGap[]): string => listText([...new Set(gs.map((g) => PLATFORM_LABELS[g.platform]))]);
  // (Both on one platform: the doubt is said, of them all.)
  const apart = !sure.some((g) => unsure.some((u) => u.platform === g.platform));
  // Where some groups are certainly out (the grant evaluator says so: a policy excludes them, or their devices cannot
  // enroll) beside others in doubt on one platform, each is said of its own.
  const certain = [...new Set([...unsure.flatMap((g) => g.lockedOut ?? []), ...(apart ? [] : sure.flatMap((g) => g.groups))])];
  if (sure.length && apart) return `On ${platformsOf(sure)} those users are ${lockedOut} (${because}); on ${platformsOf(unsure)} they may be: ${why}`;
  if (certain.length) return `The users of ${listText(certain.map((g) => `\`${g}\``))} are ${lockedOut} (${because}); the others may be: ${why}`;
  return `Those users may be ${lockedOut}: ${why}; if not, ${because}`;
}

/**
 * What the users an enrollment restriction keeps from enrolling the platform get, as the grant evaluator says (its
 * `mayBeImpossible` for them: `ownEnrollment`): refused for certain where no device others enroll can be compliant for
 * them (every audience blocked, or no compliance policy reaching enrollable devices), else only on devices they would
 * enroll themselves (a restriction applies to the user who enrolls:
 * https://learn.microsoft.com/intune/device-enrollment/create-platform-restrictions). The lockout check says the same.
 */
function enrollmentText(list: AlignmentGap[], lockedOut: string): string {
  const own = [...new Set(list.flatMap((g) => g.ownEnrollment ?? []))];
  const sure = [...new Set(list.flatMap((g) => g.groups.filter((x) => !own.includes(x))))];
  const named = (gs: string[]): string => listText(gs.map((g) => `\`${g}\``));
  const certain = sure.length ? `The users of ${named(sure)} are ${lockedOut} (no device of theirs can enroll, and none others enroll can be compliant for them)` : '';
  const doubt = own.length
    ? `${sure.length ? 'those' : 'The users'} of ${named(own)} may be ${lockedOut}, only on devices they enroll themselves: a restriction applies to the user who enrolls, and a device someone else enrolls (Autopilot self-deploying, a shared device, one IT enrolls) that a compliance policy reaches can be compliant`
    : '';
  return [certain, doubt].filter(Boolean).join('; ');
}

/**
 * The platforms and groups whose users the message says are refused for certain (`Finding.certain`): every group of a
 * gap not in doubt, and a gap's `lockedOut` groups beside those in doubt.
 */
function certainOf(gaps: AlignmentGap[]): string[] {
  const keys = gaps.flatMap((g) => (g.mayReach ? g.lockedOut ?? [] : g.all ? ['All users'] : g.groups).map((x) => `${g.platform}:${x}`));
  return [...new Set(keys)];
}

function relatedInfo(gaps: AlignmentGap[], tenant: TenantView): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  for (const gap of gaps) {
    for (const c of policiesFor(tenant, gap.kind, gap.platform)) {
      const includes = assignmentIncludes(c, tenant.manifest);
      const text = `${PLATFORM_LABELS[gap.platform]} ${KIND_NOUN[gap.kind]} policy, assigned to ${includes.length ? includes.join(', ') : 'nobody'}${gap.noApps?.includes(c.name ?? c.path) ? '; it selects no app' : ''}`;
      out.push(related(c, text, includes.length ? ['assignments', 'include'] : ['name']));
    }
  }
  return out;
}

/** Add groups to `assignments.include`, creating the list or the `assignments` map when missing. */
function assignEdit(p: PolicyFacts, groups: string[], manifest: ManifestFacts | undefined): TextEdit | undefined {
  const add = groups.filter((g) => !assignmentIncludes(p, manifest).includes(g));
  if (!add.length) return undefined;
  const parsed = p.parsed;
  if (p.raw) return graphAssignEdit(p, add, manifest);
  if (isSeq(nodeAtPath(parsed.doc, ['assignments', 'include']).node)) return appendToSequence(parsed, ['assignments', 'include'], add);
  if (nodeAtPath(parsed.doc, ['assignments', 'include']).pair) return undefined;
  if (nodeAtPath(parsed.doc, ['assignments']).pair) return addToMap(parsed, ['assignments'], 'include', add);
  return addToMap(parsed, [], 'assignments', { include: add });
}

/**
 * A raw Graph export keeps Graph's own `assignments` list: append group targets there, by the manifest's ids (no fix
 * when a group has no id, or when the export has no `assignments` list to append to).
 */
function graphAssignEdit(p: PolicyFacts, add: string[], manifest: ManifestFacts | undefined): TextEdit | undefined {
  const targets: Record<string, unknown>[] = [];
  for (const g of add) {
    if (g === 'allUsers' || g === 'allDevices') targets.push({ target: graphTarget({ mode: 'include', builtin: g }) });
    else {
      const id = manifest?.groups.find((x) => x.name === g)?.id;
      if (!id) return undefined;
      targets.push({ target: graphTarget({ mode: 'include', groupId: id }) });
    }
  }
  const path = specPath(p, 'assignments');
  return isSeq(nodeAtPath(p.parsed.doc, path).node) ? appendToSequence(p.parsed, path, targets) : undefined;
}

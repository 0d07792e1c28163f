/**
 * The evaluation of one sign-in: every Conditional Access policy of the tenant, whether it applies and what it asks,
 * then the result across them (every enforced policy that applies must be satisfied; report-only policies apart).
 */
import { cloudAppsLicensed } from '../licenses';
import type { PolicyFacts } from '../facts';
import type { TenantView } from '../rule';
import { REPORT_ONLY } from '../tenant-query';
import { conditionChecks, type ConditionCheck, type ConditionName } from './conditions';
import { evaluateGrant, MFA_LABEL, sessionControls, type ControlEvaluation, type GrantEvaluation } from './grants';
import { canonicalPlatform, resolveScenario, type ResolvedScenario, type WhatIfScenario } from './scenario';
import { compliantDeviceByFilter, deviceFilterOf, filterApplies, filterAppliesWhen, filterKey, filterName, filterNoDeviceText, filterUnknownText, type DeviceFilter } from '../model/device-filter';
import { obj } from './values';
import { requiresTokenProtection, tokenProtectionUnsupported, TOKEN_PROTECTION_URL } from '../model/token-protection';
import { modelOf, type NotAnalysed } from '../model/index';
import { COMPLIANCE_EXEMPT_APPS, type ControlGap, type UndeclaredFact } from '../model/grants';
import { pathText } from '../graph';
import { graphRefuses } from '../schema/issue';
import { listText } from '../prose';

/** Where a summary's doubts start: "allowed if …; may be blocked in practice: <reasons>". */
export const MAY_BE_BLOCKED = '; may be blocked in practice: ';

/** A policy's `state`, as the evaluation sorts it. */
export type PolicyState = 'enabled' | 'reportOnly' | 'disabled';

/** One policy for this sign-in: whether it applies, why, and what it asks. */
export interface PolicyEvaluation {
  name: string;
  file: string;
  displayName?: string;
  owner?: string;
  state: PolicyState;
  applies: boolean;
  /** One line: what matched, or the first condition that kept the policy out. */
  why: string;
  /**
   * For a policy that applies: `why` in its parts, in order (`why` is their details joined by "; "): each condition
   * that matched, its device filter (`device`), and the doubt that it may exclude a break-glass account by object id
   * (`objectId`) or through a break-glass group whose members the manifest does not list (`breakGlassGroup`). The
   * lockout check reads them, never `why`'s words.
   */
  whyParts?: WhyPart[];
  conditions: ConditionCheck[];
  grant?: GrantEvaluation;
  session: string[];
  notes: string[];
  /**
   * The policy's device filter, when it reads what is not known offline (`filterApplies` is unknown for this device:
   * a model, an extension attribute, a name): the policy may apply. What it asks is listed as if it does
   * (`deviceFilterNote`), but its block or impossible requirement is a doubt (`uncertain`: "blocked if the device
   * matches …; otherwise …"), never a certain verdict; the lockout check, which tries the favourable device, says which
   * devices it leaves out.
   */
  unknownDeviceFilter?: DeviceFilter;
  /**
   * The policy applies unless it excludes the scenario's break-glass account by an object id the manifest does not
   * list (the model's `mayBeExcludedById`, the reading that keeps `break-glass-not-excluded` silent), or through a
   * break-glass group it excludes whose members the manifest does not list (`mayBeExcludedByGroup`, which makes the
   * rule's finding a "may be"): why, in words. Its
   * block or impossible requirement is then a doubt (`uncertain`), never a certain "blocked".
   */
  mayBeExcluded?: string;
  /** The break-glass groups the policy excludes that may hold the account (`mayBeExcludedByGroup`), when that is the doubt. */
  mayBeInGroups?: string[];
  /**
   * A condition the policy may not meet, what the files do not say deciding it (`ConditionCheck.doubt`: a trusted
   * location it names by id, one of several): the clause, in words. Its block or impossible requirement is then a doubt.
   */
  conditionDoubt?: string;
  /**
   * The file has schema errors Graph refuses (the analysis's own issues, `graphRefuses`): Graph would not take the
   * policy as written, so the tenant would not have it. Its conditions are evaluated as written; its invalid settings
   * are named, not read as values; an applying enforced policy does not count in the result (`notDeployable` there).
   */
  notDeployable?: { schemaErrors: number; places: string[] };
}

/** One part of an applying policy's `why`: the condition it answers, and its words. */
export interface WhyPart {
  condition: ConditionName | 'device' | 'objectId' | 'breakGlassGroup';
  detail: string;
}

/** "not deployable as written (2 schema errors)": how every format names a policy Graph would refuse. */
export function notDeployableText(n: { schemaErrors: number }): string {
  return `not deployable as written (${n.schemaErrors} schema error${n.schemaErrors === 1 ? '' : 's'})`;
}

/**
 * What If's note on a device filter that reads what is not known offline: the policy may apply, and what it asks is
 * listed as if it does.
 */
export function deviceFilterNote(policy: string, filter: DeviceFilter): string {
  return `${policy}: ${filterName(filter)} ${filterUnknownText(filter.rule)}, so the policy may apply: it applies ${filterAppliesWhen(filter)}; what it asks is listed as if it does, and a block or a control that cannot be met makes the sign-in "may be blocked", not blocked`;
}

/**
 * Why an applying policy's block or impossible requirement is a doubt rather than the verdict, when it is: it may
 * exclude the break-glass account by object id, or its device filter reads what is not known of the device. Undefined
 * when neither holds.
 */
function doubtOf(e: PolicyEvaluation): string | undefined {
  const why = [
    ...(e.unknownDeviceFilter ? [`${e.name} applies ${filterAppliesWhen(e.unknownDeviceFilter)}; otherwise its device filter leaves the device out`] : []),
    ...(e.mayBeExcluded ? [`unless ${e.mayBeExcluded}`] : []),
    ...(e.conditionDoubt ? [e.conditionDoubt] : []),
  ];
  return why.length ? why.join(', and ') : undefined;
}

/** A requirement of an applying enforced policy that this tenant cannot meet. */
export interface Unsatisfiable {
  policy: string;
  file: string;
  control: string;
  reason: string;
  /**
   * Where `reason` opens with what is asked ("compliant device required on ios, but …"): what follows, why the control
   * fails, alone (the grant evaluator's `cause`). An option under OR is said by it (`optionReason`), none being required.
   */
  cause?: string;
  /** The rule whose finding (and quick fix) addresses it, when one does. */
  rule?: string;
  /**
   * What keeps the user from the control, where what to change depends on it (the grant evaluator's `gap`); for a doubt
   * (`uncertain`), what would (`unmanagedOnly`: app protection for apps on unmanaged devices only).
   */
  gap?: ControlGap;
  /** For a doubt (`uncertain`): the manifest fact whose absence leaves it (the grant evaluator's `undeclared`). */
  undeclared?: UndeclaredFact;
  /**
   * For a doubt (`uncertain`): set on each of a policy's doubts that are the alternatives of its grant under OR
   * ("Require one of the selected controls"), when more than one is in doubt and none is a sure way in: the sign-in is
   * blocked only if every one of them fails, so they are one doubt, said together (`doubtReasons`; the lockout check's
   * one entry with its `alternatives`), never each as if it were required. With it, `label` is the control's ("a
   * compliant device").
   */
  operator?: 'OR';
  /** With `operator`: what an admin reads of the control ("app protection", "a compliant device"). */
  label?: string;
  /**
   * The end of one side of complementary device filters (`deviceSplit`): the reason names the side, and the policy's
   * filter is accounted for by the other side's end (the lockout check does not read it as leaving devices out).
   * `control: 'block'` is a block on that side.
   */
  deviceBranch?: true;
}

/** The outcome of a sign-in. */
export type Verdict = 'allowed' | 'allowedIf' | 'blocked' | 'unsatisfiable';

/** The evaluation of one sign-in across every Conditional Access policy of the tenant. */
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
  /**
   * Requirements that may be impossible to meet, what the files do not say deciding it (a compliant device no
   * compliance policy is known to reach, secureByDefault on; app protection no app protection policy is known to reach
   * the user for, even where the scenario takes the app to be protected; a compliance policy in a file not analysed; an
   * undeclared Apple push certificate or managed Google Play binding): the sign-in may be blocked in practice. Kept
   * beside a block or an unsatisfiable requirement too, as `unsatisfiable` is beside a block (the lockout check reads
   * them where the block is a restriction); the summary says "may be blocked" only of a sign-in not already ended.
   * Absent when there is none.
   */
  uncertain?: Unsatisfiable[];
  warnings: string[];
  /**
   * Enforced policies that would apply as written but that Graph would refuse (schema errors): not counted in the
   * verdict, since the tenant would not have them, and said beside it. Absent when none.
   */
  notDeployable?: { policy: string; file: string; schemaErrors: number }[];
  /**
   * The policies whose complementary device filters split the sign-in, when every side of the split ends blocked or
   * unsatisfiable (the verdict is then "unsatisfiable", each side's end in `unsatisfiable` with `deviceBranch`).
   */
  deviceSplit?: string[];
  /** Enforced and disabled policies, by name. */
  policies: PolicyEvaluation[];
  /** Report-only policies: evaluated, never part of the result. */
  reportOnly: PolicyEvaluation[];
  /**
   * Files not analysed (they do not parse, or are Graph lists) that may hold a Conditional Access policy: the result
   * leaves what they hold out.
   */
  unread?: readonly string[];
  /** Why each of `unread` is not analysed, by its path, where the model says more than "could not be read, or a list". */
  unreadWhy?: Readonly<Record<string, NotAnalysed>>;
}

function stateOf(p: PolicyFacts): PolicyState {
  const s = p.spec?.state;
  return s === 'enabled' ? 'enabled' : s === REPORT_ONLY ? 'reportOnly' : 'disabled';
}

/**
 * Evaluate every Conditional Access policy of the tenant for one sign-in. Where policies whose device filters read
 * what is not known offline are complementary (one rule, one taking in the devices that match it and one the others:
 * `filterKey`), every device is in exactly one of them: the sign-in is evaluated on both sides, and when each ends
 * blocked or unsatisfiable, it is blocked in practice whichever the device (`complementaryBranches`).
 */
export function evaluate(tenant: TenantView, scenario: WhatIfScenario): WhatIfResult {
  const result = evaluateWith(tenant, scenario);
  return complementaryBranches(tenant, scenario, result) ?? result;
}

/** How many rules complementary filters may split a sign-in on before it is left "may be blocked" (2^n evaluations). */
const MAX_SPLIT_RULES = 3;

/**
 * The sign-in on every side of the complementary device filters among the enforced policies whose filter reads what
 * is not known, when every side ends blocked or unsatisfiable: one result, "blocked in practice", whose unsatisfiable
 * entries name each side's end and the side (`deviceBranch`). Undefined when there are no such filters, when the
 * sign-in already ends, or when some side lets the user in (then the doubt stays as it is: "may be blocked").
 */
function complementaryBranches(tenant: TenantView, scenario: WhatIfScenario, result: WhatIfResult): WhatIfResult | undefined {
  if (result.verdict === 'blocked' || result.verdict === 'unsatisfiable') return undefined;
  const filtered = result.policies.filter((e) => e.state === 'enabled' && e.applies && !e.notDeployable && e.unknownDeviceFilter);
  const sides = new Map<string, { rule: string; on: Set<boolean>; policies: PolicyEvaluation[] }>();
  for (const e of filtered) {
    const k = filterKey(e.unknownDeviceFilter!);
    if (!k) continue;
    const side = sides.get(k.key) ?? { rule: k.rule, on: new Set<boolean>(), policies: [] };
    side.on.add(k.positive);
    side.policies.push(e);
    sides.set(k.key, side);
  }
  const split = [...sides].filter(([, x]) => x.on.size === 2).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_SPLIT_RULES);
  if (!split.length) return undefined;
  const ends: Unsatisfiable[] = [];
  // Each split policy as the side that takes the device in reads it: why it applies names that side.
  const sideOf = new Map<string, PolicyEvaluation>();
  for (let i = 0; i < 1 << split.length; i++) {
    const known = new Map(split.map(([key], j) => [key, (i & (1 << j)) !== 0]));
    const r = evaluateWith(tenant, scenario, known);
    if (r.verdict !== 'blocked' && r.verdict !== 'unsatisfiable') return undefined;
    for (const e of r.policies) if (e.applies && !sideOf.has(e.name) && split.some(([, x]) => x.policies.some((q) => q.name === e.name))) sideOf.set(e.name, e);
    const when = split.map(([key, x]) => `on a device that ${known.get(key) ? 'matches' : 'does not match'} \`${x.rule}\``).join(' and ');
    const byName = new Map(r.policies.map((e) => [e.name, e]));
    for (const name of r.blockedBy) ends.push({ policy: name, file: byName.get(name)!.file, control: 'block', reason: `${name} blocks the sign-in ${when}`, deviceBranch: true });
    if (!r.blockedBy.length) for (const u of r.unsatisfiable) ends.push({ ...u, reason: `${u.reason}, ${when}`, ...(u.cause !== undefined ? { cause: `${u.cause}, ${when}` } : {}), deviceBranch: true });
  }
  const names = split.flatMap(([, x]) => x.policies.map((e) => e.name));
  const notes = new Set(split.flatMap(([, x]) => x.policies.map((e) => deviceFilterNote(e.name, e.unknownDeviceFilter!))));
  const pairs = split.map(([, x]) => `${listNames(x.policies.map((e) => e.name))} have complementary device filters (\`${x.rule}\`, one taking in the devices that match it and one the others): every device is in exactly one of them, so the sign-in is read on both sides`);
  const unique = ends.filter((u, i) => ends.findIndex((x) => x.policy === u.policy && x.reason === u.reason) === i);
  const { uncertain: _doubts, ...settled } = result;
  return {
    ...settled,
    verdict: 'unsatisfiable',
    summary: `blocked in practice on every device: ${[...new Set(unique.map((u) => u.reason))].join('; ')}`,
    blockedBy: [],
    requirements: [],
    unsatisfiable: unique,
    warnings: [...pairs, ...result.warnings.filter((w) => !notes.has(w))],
    deviceSplit: names,
    policies: result.policies.map((e) => sideOf.get(e.name) ?? e),
  };
}

function listNames(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]!;
}

/** Whether a side of a split (`known`) decides this filter. */
function ruleMatchesKnown(filter: { mode: string; rule: string }, known: ReadonlyMap<string, boolean>): boolean {
  const k = filterKey(filter);
  return k !== undefined && known.has(k.key);
}

function evaluateWith(tenant: TenantView, scenario: WhatIfScenario, known?: ReadonlyMap<string, boolean>): WhatIfResult {
  const s = resolveScenario(tenant, scenario);
  const all = tenant.policies.filter((p) => p.kind === 'ConditionalAccessPolicy').sort((a, b) => ((a.name ?? a.path) < (b.name ?? b.path) ? -1 : 1));
  const evaluations = all.map((p) => evaluatePolicy(tenant, p, s, known));
  // A policy Graph would refuse as written is not in the tenant once deployed: it does not count (it is named apart).
  const enforced = evaluations.filter((e) => e.state === 'enabled' && e.applies && !e.notDeployable);
  const refused = evaluations.filter((e) => e.state === 'enabled' && e.applies && e.notDeployable);
  const uncertain: Unsatisfiable[] = [];
  // A policy that may exclude the account by object id, or whose device filter may leave the device out: its block is a
  // doubt, not the result.
  for (const e of enforced) {
    if (e.grant?.outcome !== 'block') continue;
    if (e.unknownDeviceFilter) {
      const unless = e.mayBeExcluded ? `, and unless ${e.mayBeExcluded}` : '';
      uncertain.push({ policy: e.name, file: e.file, control: 'block', reason: `${e.name} blocks the sign-in ${filterAppliesWhen(e.unknownDeviceFilter)}; otherwise its device filter leaves the device out${unless}`, ...(e.mayBeExcluded ? { rule: 'break-glass-not-excluded' } : {}) });
    } else if (e.mayBeExcluded) uncertain.push({ policy: e.name, file: e.file, control: 'block', reason: `${e.name} blocks the sign-in unless ${e.mayBeExcluded}`, rule: 'break-glass-not-excluded' });
    else if (e.conditionDoubt) uncertain.push({ policy: e.name, file: e.file, control: 'block', reason: `${e.name} blocks the sign-in ${e.conditionDoubt}` });
  }
  // Token protection on a sign-in it cannot bind (a browser, a platform besides Windows, iOS and macOS): enforced, the
  // sign-in is blocked; the model's one answer (`tokenProtectionUnsupported`), which the rule reads too. A doubt, not
  // the verdict: What If's platform is the user agent's, and Entra may grow the list before this tool does.
  for (const e of enforced) {
    const p = all.find((x) => x.path === e.file && (x.name ?? x.path) === e.name);
    const why = p && requiresTokenProtection(p) ? tokenProtectionUnsupported(canonicalPlatform(s.platform) ?? s.platform, s.clientApp) : undefined;
    if (why) uncertain.push({ policy: e.name, file: e.file, control: 'tokenProtection', reason: `${e.name} requires token protection, but ${why}: a sign-in it cannot bind is blocked (${TOKEN_PROTECTION_URL})`, rule: 'ca-token-protection-unsupported' });
  }
  const blockedBy = enforced.filter((e) => e.grant?.outcome === 'block' && !doubtOf(e)).map((e) => e.name);
  const unsatisfiable: Unsatisfiable[] = [];
  const warnings: string[] = [];
  const requirements: WhatIfResult['requirements'] = [];
  // A multifactor authentication strength that must be met meets every MFA requirement beside it.
  const strengths = new Set<string>();
  for (const e of enforced) {
    const g = e.grant!;
    if (g.outcome === 'granted') {
      // A grant met only through a control that may be impossible (app protection taken as met for a user no app
      // protection policy is known to reach): under AND any such control, under OR only when every option is one.
      const met = g.controls.filter((c) => c.status === 'satisfied' || c.status === 'required');
      const doubts = g.operator === 'AND' ? met.filter((c) => c.uncertain) : met.every((c) => c.uncertain) ? met : [];
      const anyOf = g.operator === 'OR' && doubts.length > 1;
      for (const c of doubts) uncertain.push({ policy: e.name, file: e.file, control: c.control, reason: `${c.uncertain!}${othersFail(g, c)}`, ...(c.rule ? { rule: c.rule } : {}), ...(c.undeclared ? { undeclared: c.undeclared } : {}), ...(c.gap ? { gap: c.gap } : {}), ...(anyOf ? { operator: 'OR' as const, label: c.label } : {}) });
    }
    const doubt = doubtOf(e);
    if (g.outcome === 'unsatisfiable' && doubt) {
      // The rule that settles the doubt: the break-glass one where the account's object id does; else the control's own.
      for (const c of g.controls.filter((x) => x.status === 'unsatisfiable')) {
        const rule = e.mayBeExcluded ? 'break-glass-not-excluded' : c.rule;
        const then = `${e.unknownDeviceFilter ? ' — ' : ', '}${doubt}`;
        uncertain.push({ policy: e.name, file: e.file, control: c.control, reason: `${c.reason ?? `${c.label} cannot be met`}${then}`, ...(c.cause !== undefined ? { cause: `${c.cause}${then}` } : {}), ...(rule ? { rule } : {}) });
      }
    } else if (g.outcome === 'unsatisfiable') {
      // Under OR ("Require one of the selected controls"), every option fails: none of them is required alone, so they
      // are said together (`operator`, `allFailText`), as the doubts of one are.
      const failed = g.controls.filter((x) => x.status === 'unsatisfiable');
      const anyOf = g.operator === 'OR' && failed.length > 1;
      for (const c of failed) unsatisfiable.push({ policy: e.name, file: e.file, control: c.control, reason: c.reason ?? `${c.label} cannot be met`, ...(c.cause !== undefined ? { cause: c.cause } : {}), ...(c.rule ? { rule: c.rule } : {}), ...(c.gap ? { gap: c.gap } : {}), ...(anyOf ? { operator: 'OR' as const, label: c.label } : {}) });
    } else if (g.outcome === 'requires' && g.needs) {
      requirements.push({ policy: e.name, operator: g.needs.operator, controls: g.needs.controls.map((c) => c.label) });
      // Under OR, only when every option left may be impossible; under AND, any.
      if (g.needs.operator === 'AND' || g.needs.controls.every((c) => c.uncertain)) {
        // Under OR, the options are one doubt: the sign-in is blocked only if every one fails (`operator`).
        const anyOf = g.needs.operator === 'OR' && g.needs.controls.length > 1;
        for (const c of g.needs.controls) if (c.uncertain) uncertain.push({ policy: e.name, file: e.file, control: c.control, reason: `${c.uncertain}${othersFail(g, c)}`, ...(c.rule ? { rule: c.rule } : {}), ...(c.undeclared ? { undeclared: c.undeclared } : {}), ...(c.gap ? { gap: c.gap } : {}), ...(anyOf ? { operator: 'OR' as const, label: c.label } : {}) });
      }
      if (g.needs.operator === 'AND' || g.needs.controls.length === 1) for (const c of g.needs.controls) if (c.meetsMfa) strengths.add(c.label);
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
  for (const n of azurePortalNotes(all, evaluations, s)) if (!warnings.includes(n)) warnings.push(n);
  if (refused.length) result.notDeployable = refused.map((e) => ({ policy: e.name, file: e.file, schemaErrors: e.notDeployable!.schemaErrors }));
  const unread = modelOf(tenant).hidingPaths('ConditionalAccessPolicy');
  if (unread.length) {
    result.unread = unread;
    result.unreadWhy = modelOf(tenant).hidingReasons('ConditionalAccessPolicy');
  }
  // The doubts are kept whatever the verdict, as `unsatisfiable` is beside a block: a block the lockout check reads as a
  // restriction (a country allowlist) ends this sign-in, not the one from where it lets the user in, where the doubt
  // still stands. Only the summary of a sign-in that is not already ended says "may be blocked".
  if (uncertain.length) result.uncertain = uncertain;
  if (blockedBy.length) {
    result.verdict = 'blocked';
    result.summary = `blocked by ${blockedBy.join(', ')}`;
  } else if (unsatisfiable.length) {
    result.verdict = 'unsatisfiable';
    result.summary = `blocked in practice: ${unsatisfiableReasons(unsatisfiable).join('; ')}`;
  } else {
    if (requirements.length) {
      result.verdict = 'allowedIf';
      result.summary = `allowed if ${requirementText(requirements, strengths)}`;
    } else result.summary = enforced.length ? 'allowed' : refused.length ? 'allowed (no deployable enforced policy applies)' : 'allowed (no enforced policy applies)';
    if (uncertain.length) result.summary += `${MAY_BE_BLOCKED}${doubtReasons(uncertain).join('; ')}`;
  }
  return result;
}

/**
 * The doubts of a sign-in as they are said, one per doubt: a policy's alternatives under OR (`operator`) together, as
 * one (`anyOfText`), every other doubt alone. What If's summary (`doubtReasons`, repeated reasons once), its text and
 * Markdown forms read it.
 */
export function doubtGroups(uncertain: readonly Unsatisfiable[]): Unsatisfiable[][] {
  const out: Unsatisfiable[][] = [];
  const byPolicy = new Map<string, Unsatisfiable[]>();
  for (const u of uncertain) {
    if (u.operator === 'OR') {
      const key = `${u.file}\u0000${u.policy}`;
      const had = byPolicy.get(key);
      if (had) had.push(u);
      else {
        const group = [u];
        byPolicy.set(key, group);
        out.push(group);
      }
    } else out.push([u]);
  }
  return out;
}

/**
 * The certain ends of a sign-in as they are said: a policy's options under OR that all fail (`operator`) together, as
 * one (`allFailText`), every other reason alone, repeated reasons once.
 */
export function unsatisfiableReasons(unsatisfiable: readonly Unsatisfiable[]): string[] {
  return [...new Set(doubtGroups(unsatisfiable).map((g) => (g[0]!.operator === 'OR' ? allFailText(g) : g[0]!.reason)))];
}

/**
 * Why one option of a grant under OR fails, without the "X required on P" its reason opens with when the control is
 * asked alone: under OR no option is required. The grant evaluator writes that part apart (`cause`); a reason that
 * opens otherwise is said whole.
 */
export function optionReason(u: Unsatisfiable): string {
  return u.cause ?? u.reason;
}

/**
 * A policy's options under OR that each certainly fail, said as one: the grant asks for any one of them, and none can be
 * met (Learn: "Require one of the selected controls",
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant), then why each fails.
 */
export function allFailText(alternatives: readonly Unsatisfiable[]): string {
  const labels = alternatives.map((u) => u.label ?? u.control);
  const every = alternatives.length === 2 ? 'both fail' : 'every one fails';
  return `${alternatives[0]!.policy} lets the sign-in through with any one of ${listText(labels, 'or')} (Require one of the selected controls), and ${every}: ${alternatives.map((u, i) => `for ${labels[i]}, ${optionReason(u)}`).join('; ')}`;
}

/** `doubtGroups`, each said in one sentence. */
export function doubtReasons(uncertain: readonly Unsatisfiable[]): string[] {
  return [...new Set(doubtGroups(uncertain).map((g) => (g[0]!.operator === 'OR' ? anyOfText(g) : g[0]!.reason)))];
}

/**
 * Under OR, a doubt is the sign-in's only while the grant's other options fail: what they are and why, said beside the
 * doubt (one option in doubt, the others certainly unmet, is the whole of why the sign-in may be blocked).
 */
function othersFail(g: GrantEvaluation, c: ControlEvaluation): string {
  if (g.operator !== 'OR') return '';
  const failed = g.controls.filter((x) => x !== c && x.status === 'unsatisfiable');
  if (!failed.length) return '';
  const one = failed.length === 1;
  return `; ${one ? 'the other option' : 'the other options'}, ${listText(failed.map((x) => x.label))}, ${one ? 'fails' : 'fail'} for them: ${failed.map((x) => x.reason ?? `${x.label} cannot be met`).join('; ')}`;
}

/**
 * A policy's alternatives under OR that are each in doubt, said as one: the grant asks for any one of them, so the
 * sign-in is blocked only if every one fails (Learn: "Require one of the selected controls",
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant), then each one's
 * reason under its label.
 */
export function anyOfText(alternatives: readonly Unsatisfiable[]): string {
  const labels = alternatives.map((u) => u.label ?? u.control);
  const every = alternatives.length === 2 ? 'both fail' : 'every one fails';
  return `${alternatives[0]!.policy} lets the sign-in through with any one of ${listText(labels, 'or')} (Require one of the selected controls), so it is blocked only if ${every}, and each may fail: ${alternatives.map((u, i) => `for ${labels[i]}, ${u.reason}`).join('; ')}`;
}

/** Windows Azure Service Management API, the app Conditional Access names Azure management by. */
export const AZURE_MANAGEMENT_APP = '797f4846-ba00-4fd7-ba43-dac1f8f63013';
const CLOUD_APPS_URL = 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps';

/**
 * A sign-in to Microsoft Admin Portals or to Windows Azure Service Management API, and a policy that targets the other
 * and is left out for its app: Learn lists the Azure portal under both ("Microsoft Admin Portals" and "Windows Azure
 * Service Management API", concept-conditional-access-cloud-apps), so a sign-in to the Azure portal meets that policy
 * too. Said, not evaluated together: each app stands for more than the Azure portal (Microsoft Admin Portals for the
 * Exchange, Microsoft 365, Entra and Defender admin centers; the Azure management app for Azure Resource Manager, the
 * Azure CLI and PowerShell), and What If's sign-in names one app, not which portal.
 */
function azurePortalNotes(policies: PolicyFacts[], evaluations: PolicyEvaluation[], s: ResolvedScenario): string[] {
  const app = s.app?.toLowerCase();
  const portals = 'microsoftadminportals';
  const azure = AZURE_MANAGEMENT_APP;
  if (app !== portals && app !== azure) return [];
  const other = app === portals ? azure : portals;
  const out: string[] = [];
  evaluations.forEach((e, i) => {
    if (e.state === 'disabled' || e.applies) return;
    // Left out for its app alone: a policy some earlier condition (users, say) leaves out would not apply there either.
    if (e.conditions.find((c) => !c.matches)?.condition !== 'applications') return;
    const include = obj(obj(policies[i]?.spec?.conditions)?.applications)?.includeApplications;
    if (!Array.isArray(include) || !include.some((x) => typeof x === 'string' && x.trim().toLowerCase() === other)) return;
    out.push(
      app === portals
        ? `${e.name} targets Windows Azure Service Management API (${azure}), not Microsoft Admin Portals, so it does not apply to this sign-in; a sign-in to the Azure portal meets both (Learn lists the Azure portal under each: ${CLOUD_APPS_URL}), so there ${e.name} applies too: run What If with --app ${azure} to see it`
        : `${e.name} targets Microsoft Admin Portals, not Windows Azure Service Management API, so it does not apply to this sign-in; a sign-in to the Azure portal meets both (Learn lists the Azure portal under each: ${CLOUD_APPS_URL}), so there ${e.name} applies too (the Azure CLI and PowerShell meet only Windows Azure Service Management API): run What If with --app MicrosoftAdminPortals to see it`,
    );
  });
  return out;
}

/**
 * The requirements as one sentence, simplified: duplicates go, and a choice that a required control already
 * meets is dropped ("MFA and (MFA or a compliant device)" is "MFA"). `strengths` are the labels of required
 * multifactor authentication strengths: meeting one meets MFA, so MFA beside it goes too.
 */
export function requirementText(reqs: { operator: 'AND' | 'OR'; controls: string[] }[], strengths: ReadonlySet<string> = new Set()): string {
  const musts = new Set<string>();
  const choices: string[][] = [];
  for (const r of reqs) {
    if (r.operator === 'AND' || r.controls.length === 1) r.controls.forEach((c) => musts.add(c));
    else choices.push([...new Set(r.controls)]);
  }
  const mfa = MFA_LABEL;
  const strong = [...strengths].some((l) => musts.has(l));
  if (strong) musts.delete(mfa);
  const met = (x: string): boolean => musts.has(x) || (strong && x === mfa);
  const kept: string[][] = [];
  for (const c of choices) {
    if (c.some(met)) continue;
    const key = [...c].sort().join('\u0000');
    if (!kept.some((k) => [...k].sort().join('\u0000') === key)) kept.push(c);
  }
  const parts = [...musts, ...kept.map((c) => `(${c.join(' or ')})`)];
  if (parts.length <= 1) return parts[0]?.replace(/^\((.*)\)$/, '$1') ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function evaluatePolicy(tenant: TenantView, p: PolicyFacts, s: ResolvedScenario, known?: ReadonlyMap<string, boolean>): PolicyEvaluation {
  const state = stateOf(p);
  // The schema issues the analysis found in the file (its facts), read, not validated again.
  const refused = p.schemaIssues.filter(graphRefuses);
  const base: PolicyEvaluation = {
    name: p.name ?? p.path,
    file: p.path,
    displayName: typeof p.spec?.displayName === 'string' ? p.spec.displayName : undefined,
    owner: p.owner,
    state,
    applies: false,
    why: '',
    conditions: [],
    session: sessionControls(p, refused, cloudAppsLicensed(tenant.manifest)),
    notes: [],
    ...(refused.length ? { notDeployable: { schemaErrors: refused.length, places: [...new Set(refused.map((i) => pathText(i.path)))] } } : {}),
  };
  if (state === 'disabled') {
    base.why = p.spec?.state === 'disabled' ? 'skipped: the policy is disabled' : 'skipped: the policy has no `state` (Graph requires one)';
    return base;
  }
  const conditions = obj(p.spec?.conditions);
  const checks = conditionChecks(tenant, conditions, s);
  base.conditions = checks;
  const failed = checks.find((c) => !c.matches);
  if (failed) {
    base.why = failed.detail;
    return base;
  }
  // The device filter, as far as the scenario's platform, hybrid join and compliance decide it.
  const filter = deviceFilterOf(p);
  let device: string | undefined;
  if (filter && compliantDeviceByFilter(p)) {
    // A block of every device but compliant ones: its grant is read as a compliant device (`builtInControlsOf`).
    device = `device: ${filterName(filter, 'the filter')} blocks every device but compliant ones, so the policy requires a compliant device`;
    // Learn's exemption of Intune enrollment and the Web Company Portal is the grant control's (the model's
    // `compliantDeviceExemption`); this is a block, which keeps out a device being enrolled, not yet compliant.
    if (s.app && COMPLIANCE_EXEMPT_APPS[s.app.toLowerCase()]) base.notes.push(`${base.name}: its block of every device but compliant ones is a block, not the "Require device to be marked as compliant" control, which Learn says does not block ${COMPLIANCE_EXEMPT_APPS[s.app.toLowerCase()]}; a device is compliant only once enrolled, so exclude this app from ${base.name} if devices should enroll`);
  } else if (filter) {
    const platform = canonicalPlatform(s.platform);
    const applies = filterApplies(p, { ...(platform ? { platform } : {}), hybridJoined: s.hybridJoined, compliant: s.deviceCompliant, ...(known ? { known } : {}) });
    if (applies === false) {
      // A value no device has (the schema's warning) is often why: say it.
      const noDevice = filterNoDeviceText(filter.rule);
      base.why = `not applied: ${filterName(filter)} leaves this device out${noDevice ? `: ${noDevice}` : ''}`;
      return base;
    }
    if (applies === undefined) {
      base.notes.push(deviceFilterNote(base.name, filter));
      base.unknownDeviceFilter = filter;
    }
    device = `device: ${filterName(filter, 'the filter')} ${applies ? (known?.size && ruleMatchesKnown(filter, known) ? `takes this device in ${filterAppliesWhen(filter).replace(/^if /, 'when ')}` : 'takes this device in') : `may take this device in: the policy applies ${filterAppliesWhen(filter)}`}`;
  }
  base.applies = true;
  const doubts = checks.filter((c) => c.doubt).map((c) => c.doubt!);
  if (doubts.length) base.conditionDoubt = doubts.join(', and ');
  // A break-glass account the policy may exclude by an object id the manifest does not list: the rule's reading.
  const ids = s.upn ? modelOf(tenant).breakGlass.mayBeExcludedById(p, s.upn) : [];
  if (ids.length) {
    base.mayBeExcluded = `it excludes the account by object id: it excludes users by ${ids.length > 1 ? 'ids' : 'id'} ${ids.join(', ')}, which may be the break-glass accounts' (list each account's object id beside its name in \`breakGlass.users\` to say which)`;
  }
  // Or through a break-glass group it excludes whose members the manifest does not list (the model's
  // `mayBeExcludedByGroup`, the reading that makes break-glass-not-excluded a "may be").
  const groups = s.upn && !ids.length ? modelOf(tenant).breakGlass.mayBeExcludedByGroup(p, s.upn) : [];
  if (groups.length) {
    base.mayBeInGroups = groups;
    const named = groups.map((g) => `\`${g}\``).join(', ');
    base.mayBeExcluded = `the account is a member of ${groups.length > 1 ? 'the break-glass groups' : 'the break-glass group'} ${named}, which it excludes: the manifest lists no members of ${groups.length > 1 ? 'them' : 'it'}, so who is in ${groups.length > 1 ? 'them' : 'it'} is unknown (list ${groups.length > 1 ? 'their' : 'its'} \`members\` in the manifest, or exclude the account in \`excludeUsers\`, to decide it)`;
  }
  const parts: WhyPart[] = [
    ...checks.filter((c) => c.condition === 'users' || c.condition === 'applications' || c.condition === 'platforms' || c.condition === 'clientAppTypes' || c.condition === 'locations' || c.condition === 'authenticationFlows').map((c) => ({ condition: c.condition, detail: c.detail })),
    ...(device ? [{ condition: 'device' as const, detail: device }] : []),
    ...(ids.length ? [{ condition: 'objectId' as const, detail: 'but it may exclude this break-glass account by object id' }] : []),
    ...(groups.length ? [{ condition: 'breakGlassGroup' as const, detail: `but it may exclude this break-glass account through ${groups.map((g) => `\`${g}\``).join(', ')}, whose members the manifest does not list` }] : []),
  ];
  base.whyParts = parts;
  base.why = parts.map((x) => x.detail).join('; ');
  base.grant = evaluateGrant(tenant, p, s, base);
  return base;
}

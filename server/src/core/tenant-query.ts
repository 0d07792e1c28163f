/**
 * Questions the layer rules ask of a tenant's facts: which CA policies are active, whom they target, which Intune
 * policies cover those users on a platform, and where a fix should put a new file.
 */
import { isTemplateVariable } from './schema/issue';
import { asObject, spanAtPath, type JsonPath, type SpanTarget, strings } from './document';
import { docPath, type ManifestFacts, type PolicyFacts } from './facts';
import { conventionalFolder } from './graph';
import type { PolicyKind } from './kinds';
import { basename, dirname, join } from './paths';
import type { Platform } from './platforms';
import { GroupDirectory, resolveGroup } from './model/groups';
import { assignmentDeclaration, readTargets } from './model/targets';
import { modelOf } from './model/index';
import { appliesToNoSignIn } from './model/sign-in-scope';
import { compliantDeviceByFilter, deviceFilterOf } from './model/device-filter';
import type { TenantView } from './rule';
import type { FileCreate, RelatedInfo, Span } from './types';
import { indentUnit, renderNewYamlFile } from './yaml-edit';
import { policiesOfKind } from './reads';

export const REPORT_ONLY = 'enabledForReportingButNotEnforced';

/** CA policies that are `enabled` or report-only. */
export function activeCaPolicies(tenant: TenantView): PolicyFacts[] {
  return policiesOfKind(tenant, 'ConditionalAccessPolicy').filter((p) => p.spec?.state === 'enabled' || p.spec?.state === REPORT_ONLY);
}

/**
 * Active CA policies that may apply to some sign-in: not those whose users or target resources include nothing
 * (`None`), which `ca-policy-targets-nothing` reports and which grant or block nothing. Rules that ask what a policy's
 * grant demands of the tenant read these.
 */
export function applyingCaPolicies(tenant: TenantView): PolicyFacts[] {
  return activeCaPolicies(tenant).filter((p) => appliesToNoSignIn(p) === undefined);
}

export function isReportOnly(p: PolicyFacts): boolean {
  return p.spec?.state === REPORT_ONLY;
}

export function grantControlsOf(p: PolicyFacts): string[] {
  return strings(asObject(p.spec?.grantControls)?.builtInControls);
}

/**
 * Where a control of `grantControls.builtInControls` is in the file, for placing findings on it (a raw export's
 * grant controls are at its root).
 */
export function grantControlPath(p: PolicyFacts, control: string): (string | number)[] {
  // A block of every device but compliant ones requires a compliant device through its filter: the filter's rule.
  // (or, through the deprecated device state condition, its excluded states).
  if (control === 'compliantDevice' && compliantDeviceByFilter(p)) return docPath(p, deviceFilterOf(p)?.deviceStates ? ['spec', 'conditions', 'deviceStates', 'excludeStates'] : ['spec', 'conditions', 'devices', 'deviceFilter', 'rule']);
  const i = grantControlsOf(p).indexOf(control);
  return docPath(p, i >= 0 ? ['spec', 'grantControls', 'builtInControls', i] : ['spec', 'grantControls']);
}

/**
 * The span of a path of the policy format (`['spec', …]`, `['kind']`, `['name']`…) in the policy's file: in a raw
 * Graph export, `spec` is the document itself (see `docPath`).
 */
export function policySpan(p: PolicyFacts, path: JsonPath, target: SpanTarget = 'auto'): Span {
  const inFile = docPath(p, path);
  // The whole of a raw export (its `spec`) is shown at its `@odata.type`, or its name when it has none.
  if (p.raw && inFile.length === 0) return spanAtPath(p.parsed, docPath(p, ['kind']), target);
  return spanAtPath(p.parsed, inFile, target);
}

/**
 * Where a finding about a policy assigned to nobody goes: our empty `include` list, else our `assignments` key, else
 * Graph's `assignments` list of a raw export (its `isAssigned: false` when it has no list).
 */
export function assignmentSpan(p: PolicyFacts): Span {
  const ours = p.raw ? undefined : p.value?.assignments;
  if (ours && typeof ours === 'object' && !Array.isArray(ours)) {
    return 'include' in ours ? policySpan(p, ['assignments', 'include'], 'value') : policySpan(p, ['assignments'], 'key');
  }
  // A raw export without its list that says `isAssigned: false` (`assignmentDeclaration` reads it as nobody).
  if (p.raw && p.spec && !Array.isArray(p.spec.assignments) && p.spec.isAssigned === false) return policySpan(p, ['spec', 'isAssigned'], 'key');
  return policySpan(p, ['spec', 'assignments'], 'key');
}

import { caUsers } from './model/break-glass';
export { caUsers, type CaUsers } from './model/break-glass';

/** "Targeted users": `All` when includeUsers has All, else the include groups (as manifest names where they resolve). */
export interface CaTargets {
  all: boolean;
  groups: string[];
  /** The groups the CA policy excludes (by manifest name where the manifest lists them). */
  exclude?: string[];
}

export function caTargets(p: PolicyFacts, manifest: ManifestFacts | undefined): CaTargets {
  const u = caUsers(p);
  const all = u.includeUsers.includes('All');
  const name = (g: string): string => (manifest ? resolveGroup(manifest, g) ?? g : g);
  return { all, groups: u.includeGroups.map(name), exclude: u.excludeGroups.map(name) };
}

/** The CA policy's platforms in this tenant (`all` / none → manifest platforms, less excludes). */
export function caPlatforms(p: PolicyFacts, tenant: TenantView): Platform[] {
  return modelOf(tenant).caPlatforms(p);
}

/** Intune policies of a kind for a platform. */
export function policiesFor(tenant: TenantView, kind: PolicyKind, platform: Platform): PolicyFacts[] {
  return policiesOfKind(tenant, kind).filter((p) => p.platforms.includes(platform));
}

/** Whom an Intune policy is assigned to, from our `assignments` block and Graph's own `assignments` list. */
export interface AssignmentTargets {
  /** Included groups: manifest names where the name or GUID resolves, else as written. */
  include: readonly string[];
  exclude: readonly string[];
  allUsers: boolean;
  allDevices: boolean;
}

/**
 * The assignment targets of a policy, read from either shape: our `assignments: { include, exclude }` (group names or
 * GUIDs, `allUsers`, `allDevices`), and Graph's `spec.assignments: [{ target: { "@odata.type": …, groupId } }]` (a raw
 * export's own list, or a native spec that carries one). Graph's all-licensed-users target is `allUsers`.
 */
export function assignmentTargets(p: PolicyFacts, manifest?: ManifestFacts): AssignmentTargets {
  // One reader of both assignment shapes: the tenant model's.
  const t = readTargets(p, directoryOf(manifest));
  return { include: t.groups, exclude: t.exclude, allUsers: !!t.allUsers, allDevices: !!t.allDevices };
}

/**
 * The include list of a policy's assignments as our format writes it (`allUsers`, `allDevices` and groups, as manifest
 * names where they resolve): our `assignments.include` in the file's order, then Graph's targets
 * (`assignmentTargets` reads both shapes).
 */
export function assignmentIncludes(p: PolicyFacts, manifest?: ManifestFacts): readonly string[] {
  const hit = INCLUDES.get(p);
  if (hit && hit.manifest === manifest) return hit.includes;
  const includes = readIncludes(p, manifest);
  INCLUDES.set(p, { manifest, includes });
  return includes;
}

/** Each policy's include list, read once per manifest (the CA rules ask for it of every Intune policy, per CA policy). */
const INCLUDES = new WeakMap<PolicyFacts, { manifest: ManifestFacts | undefined; includes: readonly string[] }>();

function readIncludes(p: PolicyFacts, manifest: ManifestFacts | undefined): readonly string[] {
  const out: string[] = [];
  const add = (g: string): void => {
    if (!out.includes(g)) out.push(g);
  };
  const ours = p.raw ? [] : strings(asObject(p.value?.assignments)?.include);
  for (const g of ours) add(g === 'allUsers' || g === 'allDevices' || !manifest ? g : resolveGroup(manifest, g) ?? g);
  const t = assignmentTargets(p, manifest);
  if (t.allUsers) add('allUsers');
  if (t.allDevices) add('allDevices');
  t.include.forEach(add);
  return out;
}

/**
 * The Intune policies whose files do not say whom they are assigned to (`assignmentDeclaration`: a raw export fetched
 * without `$expand=assignments`, or a file of ours with no `assignments`). Whom they cover is unknown, not nobody.
 */
export function undeclaredAssignments(policies: readonly PolicyFacts[]): PolicyFacts[] {
  return policies.filter((p) => assignmentDeclaration(p) === 'undeclared');
}

/**
 * Which of the CA policy's targeted groups the Intune policies fail to cover. A group is covered when one policy
 * reaches it (`assignmentReaches`: nested groups followed, exclusions subtracted); a CA policy on `All` users is
 * covered only by `allUsers` / `allDevices` (`['All users']` when not). Within what is covered, a group a policy
 * excludes that no other policy reaches is uncovered too, unless the CA policy excludes it as well. Returns [] when
 * covered. A policy that does not declare its assignments may cover anyone: then no group is said to be uncovered.
 */
export function uncoveredTargets(targets: CaTargets, intune: PolicyFacts[], manifest?: ManifestFacts): string[] {
  if (undeclaredAssignments(intune).length) return [];
  const reads = intune.map((p) => assignmentTargets(p, manifest));
  const directory = directoryOf(manifest);
  // A group is reached where a policy reaches it, or each group it lists as its members (listed members are the whole
  // group: the group directory's `coveredBy`).
  const reached = (g: string): boolean => directory.coveredBy(g, (x) => reads.some((t) => assignmentReaches(t, [x], directory)));
  // Within targeted users the policies do reach, a group one of them excludes that no other policy reaches (an
  // exclusion wins over an inclusion): its users get none. One the CA policy excludes too (or a group it excludes
  // holds) is not targeted: the two agree.
  const caExcludes = (e: string): boolean => (targets.exclude ?? []).some((x) => directory.holds(x, e));
  const excludedWithin = (inside: (g: string) => boolean): string[] =>
    [...new Set(reads.flatMap((t) => t.exclude))].filter((e) => inside(e) && !caExcludes(e) && !reached(e));
  if (targets.all) {
    // All users uncovered as a whole, and besides, the groups a policy excludes that no other policy reaches: their
    // users get none for certain (the lockout check signs in as one of them; the rule speaks of All users).
    if (!reads.some((t) => t.allUsers || t.allDevices)) return ['All users', ...excludedWithin(() => true)];
    return excludedWithin(() => true);
  }
  const uncovered = targets.groups.filter((g) => !reached(g));
  const covered = targets.groups.filter((g) => !uncovered.includes(g));
  const inCovered = (e: string): boolean => !targets.groups.includes(e) && covered.some((g) => directory.closure(g).groups.has(e));
  const partly = excludedWithin(inCovered);
  // An excluded group that is not itself within the targeted users can still hold some of them: a group nested in
  // both (executives in an exclusion group and, through a ring, in all staff) gets no policy. The outermost such
  // groups are named.
  const overlap = [...new Set(reads.flatMap((t) => t.exclude))]
    .filter((e) => !inCovered(e) && !targets.groups.includes(e))
    .flatMap((e) => [...directory.closure(e).groups].filter((g) => g !== e && (inCovered(g) || covered.includes(g)) && !caExcludes(g) && !reached(g)));
  // A group held by another of them is named through it; of groups that hold each other (a cycle), the first by name.
  const holds = (o: string, g: string): boolean => directory.closure(o).groups.has(g);
  const outermost = [...new Set(overlap)].filter((g, _, all) => !all.some((o) => o !== g && holds(o, g) && (!holds(g, o) || o < g)));
  // An excluded group that shares a declared user with a covered targeted group, neither nested in the other: that
  // user gets no policy either (the exclusion wins). Named by the excluding group, unless a group already named holds
  // the user.
  const named = [...uncovered, ...partly, ...outermost];
  // A user another policy still reaches (through a group that holds them, not excluded there) is covered.
  const userReached = (u: string): boolean =>
    reads.some((t) => (t.allUsers || t.allDevices || t.include.some((g) => directory.closure(g).users.has(u))) && !t.exclude.some((x) => directory.closure(x).users.has(u)));
  const sharing = [...new Set(reads.flatMap((t) => t.exclude))]
    .filter((e) => !targets.groups.includes(e) && !inCovered(e) && !caExcludes(e) && !reached(e))
    .filter((e) => {
      const users = [...directory.closure(e).users].filter((u) => covered.some((g) => directory.closure(g).users.has(u)));
      return users.some((u) => !userReached(u) && !named.some((g) => directory.closure(g).users.has(u)) && !(targets.exclude ?? []).some((x) => directory.closure(x).users.has(u)));
    });
  return [...new Set([...named, ...sharing])];
}

/** The Intune policy among these whose exclusions take a group's users out (it excludes the group or one holding it). */
export function excludingPolicy(group: string, intune: PolicyFacts[], manifest?: ManifestFacts): PolicyFacts | undefined {
  const directory = directoryOf(manifest);
  return intune.find((p) => assignmentTargets(p, manifest).exclude.some((e) => directory.holds(e, group)));
}

/**
 * Whether an Intune policy's assignments reach a user in these manifest groups: it includes all users or devices, one
 * of the groups, or a group one of them is nested in (a nested group's members are the outer group's), and excludes
 * none of them nor a group one of them is nested in (an exclusion wins over an inclusion).
 */
export function assignmentReaches(t: AssignmentTargets, groups: readonly string[], directory: GroupDirectory): boolean {
  const within = (outer: string): boolean => groups.some((g) => directory.holds(outer, g));
  if (t.exclude.some(within)) return false;
  return t.allUsers || t.allDevices || t.include.some(within);
}

/** One directory per manifest, for the coverage questions the rules and What If ask of every Intune policy. */
const DIRECTORIES = new WeakMap<object, GroupDirectory>();
const NO_MANIFEST = {};
export function directoryOf(manifest: ManifestFacts | undefined): GroupDirectory {
  const key = manifest ?? NO_MANIFEST;
  let d = DIRECTORIES.get(key);
  if (!d) DIRECTORIES.set(key, (d = new GroupDirectory(manifest)));
  return d;
}

export function related(p: PolicyFacts, message: string, path: (string | number)[] = ['name']): RelatedInfo {
  return { file: p.path, span: policySpan(p, path, 'value'), message };
}

/** The folder where the tenant keeps policies of a kind: where most of them are, else a conventional one. */
export function folderForKind(tenant: TenantView, kind: PolicyKind): string {
  const counts = new Map<string, number>();
  for (const p of policiesOfKind(tenant, kind)) counts.set(dirname(p.path), (counts.get(dirname(p.path)) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  if (best) return best[0];
  return join(tenant.root ?? '.', conventionalFolder(kind, undefined));
}

/** A policy name not yet used in the tenant (adds -2, -3… when taken). */
export function freeName(tenant: TenantView, wanted: string): string {
  // Neither a policy's name nor a file's: a new policy file is named after its policy, and a fix never overwrites a
  // file (a notes file or a raw export of that name would stop `--fix`).
  const used = new Set<string | undefined>(tenant.policies.map((p) => p.name));
  for (const f of [...tenant.policies, ...tenant.others]) used.add(basename(f.path).replace(/\.(ya?ml|json)$/i, ''));
  if (!used.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!used.has(`${wanted}-${i}`)) return `${wanted}-${i}`;
}

/** Extension the tenant's files of a kind use (yaml unless they are all JSON). */
function extensionFor(tenant: TenantView, kind: PolicyKind): string {
  const files = policiesOfKind(tenant, kind);
  if (files.length && files.every((p) => p.parsed.format === 'json')) return 'json';
  const yml = files.find((p) => /\.yml$/i.test(p.path));
  return yml ? 'yml' : 'yaml';
}

/**
 * The line ending and indentation a new file takes: those of the tenant's files of its kind and format in its folder
 * (else anywhere in the tenant, else the manifest's), so that a file a fix creates looks like its neighbours (a
 * repository checked out with CRLF, or written with 4 spaces, stays so). LF and 2 spaces when the tenant has no file
 * to follow.
 */
function styleFor(tenant: TenantView, kind: PolicyKind, folder: string, json: boolean): { eol: '\n' | '\r\n'; unit: number | '\t' } {
  const sameFormat = policiesOfKind(tenant, kind).filter((p) => (p.parsed.format === 'json') === json);
  const manifest = tenant.manifestFile?.parsed;
  const model = sameFormat.find((p) => dirname(p.path) === folder)?.parsed ?? sameFormat[0]?.parsed ?? (manifest && (manifest.format === 'json') === json ? manifest : undefined);
  if (!model) return { eol: manifest?.lines.eol() ?? '\n', unit: 2 };
  return { eol: model.lines.eol(), unit: json && /\n\t+"/.test(model.text) ? '\t' : indentUnit(model) };
}

/** A new policy file, placed where the tenant keeps policies of its kind and named after the policy. */
export function newPolicyFile(tenant: TenantView, kind: PolicyKind, policy: Record<string, unknown>, header: string[]): FileCreate {
  const ext = extensionFor(tenant, kind);
  const folder = folderForKind(tenant, kind);
  const file = join(folder, `${String(policy.name)}.${ext}`);
  const { eol, unit } = styleFor(tenant, kind, folder, ext === 'json');
  const text = ext === 'json' ? JSON.stringify(policy, null, unit) + '\n' : renderNewYamlFile(header, policy, unit === '\t' ? 2 : unit);
  return { file, content: eol === '\n' ? text : text.replace(/\n/g, eol) };
}

/** The manifest's platforms, or all of them when the manifest names none. */
export function tenantPlatforms(tenant: TenantView): Platform[] {
  return modelOf(tenant).platforms;
}

/** The team that owns policies of a kind in this tenant, when the manifest has that team. */
export function ownerFor(tenant: TenantView, team: string): string | undefined {
  return tenant.manifest?.teams.includes(team) ? team : undefined;
}

import { graphTypeName } from './graph';

/** How a compliance setting stands across the tenant's compliance policies of some Graph types. */
export interface ComplianceSettingAnswer {
  /** `met`: some policy that may be assigned requires it; `unknown`: none does, but a raw export leaves it out (or a file could not be read); `unmet`: none does. */
  state: 'met' | 'unknown' | 'unmet';
  /** The tenant's compliance policies of those types that may be assigned (not declared assigned to nobody), in path order. */
  policies: PolicyFacts[];
  /** Policies of those types that require the setting but are assigned to nobody: they check no device. */
  idle: PolicyFacts[];
}

/**
 * Whether any of the tenant's compliance policies of these Graph types (`iosCompliancePolicy`, …) sets `property`
 * to a value `meets` accepts. Intune applies every compliance policy assigned to a device, and real baselines split
 * one platform's settings over several policies (device health, password, device security…), so one policy that
 * requires the setting is enough. A raw Graph export without the property says nothing about it: unknown. A policy
 * assigned to nobody evaluates no device (`compliance-not-assigned` reports it), so it meets nothing here; one whose
 * assignments were not exported may be assigned, so it counts. When every policy of the types is assigned to nobody,
 * `policies` is empty and the rules that ask say nothing: that gap is compliance-not-assigned's, on each policy.
 */
export function complianceSetting(tenant: TenantView, types: readonly string[], property: string, meets: (value: unknown) => boolean): ComplianceSettingAnswer {
  const all = policiesOfKind(tenant, 'CompliancePolicy')
    .filter((p) => p.spec && types.includes(graphTypeName(p.odataType) ?? ''))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const policies = all.filter((p) => assignmentDeclaration(p) !== 'nobody');
  const idle = all.filter((p) => assignmentDeclaration(p) === 'nobody' && meets(p.spec![property]));
  if (policies.some((p) => meets(p.spec![property]))) return { state: 'met', policies, idle };
  // A raw export without the property (a `$select`, a trimmed template), or with a template's variable there (`%jb%`,
  // filled in per tenant by CIPP), says nothing of it.
  const unknown = modelOf(tenant).mayHide('CompliancePolicy') || policies.some((p) => p.raw && (!(property in p.spec!) || isTemplateVariable(p.spec![property])));
  return { state: unknown ? 'unknown' : 'unmet', policies, idle };
}

import { licenseInfo, refusedLicences } from './licenses';

/**
 * Whether the manifest's licences cover a layer (the licence table's `layers`, as license-missing reads them), with
 * the licences that do. Undefined when the manifest lists no licence: unknown, not "unlicensed".
 */
export function licensesForLayer(tenant: TenantView, layer: number): string[] | undefined {
  const listed = tenant.manifest?.licenses ?? [];
  if (!listed.length) return undefined;
  const covering = listed.filter((id) => licenseInfo(id)?.layers.includes(layer));
  // None listed covers it, but a licence the schema refused may: unknown.
  return covering.length || !refusedLicences(tenant.manifest).length ? covering : undefined;
}

export { includesDevicesByFilter } from './model/sign-in-scope';

/**
 * The simulation (test) modes of an Endpoint DLP policy (New-DlpCompliancePolicy / Set-DlpCompliancePolicy `-Mode`),
 * in the cmdlet's words: a policy in one records matches and blocks nothing. `dlp-simulation-only` and layer 7's
 * status read it.
 */
export const DLP_SIMULATION_MODES: Readonly<Record<string, string>> = {
  TestWithNotifications: 'takes no action and only sends notifications',
  TestWithoutNotifications: 'is an audit mode: it takes no action and sends no notification',
};

/** An Endpoint DLP policy's simulation mode, when it is in one. */
export function dlpSimulationMode(p: PolicyFacts): string | undefined {
  const mode = p.spec?.mode;
  return typeof mode === 'string' && mode in DLP_SIMULATION_MODES ? mode : undefined;
}

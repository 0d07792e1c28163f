/**
 * Whether the tenant has a security baseline of a kind (the Windows one, the Defender for Endpoint one…): yes, no, or
 * unknown. Both generations count: a settings catalog baseline profile of the kind's template
 * (`BASELINE_TEMPLATES`, any version), and an endpoint security intent of one of the older generation's templates
 * (`INTENT_TEMPLATES` in intent-templates.ts, which knows the November 2021 and December 2020 Windows versions). The
 * files cannot say no while they hold an intent of a template the table does not know (the Windows baseline's May 2019
 * and August 2020 versions had templates of their own; Learn, security-baseline-settings-mdm-all) whose settings are
 * Windows' (or unread): it may be the baseline asked about. An intent of a template the table knows as an endpoint
 * security one (BitLocker, firewall, antivirus, attack surface reduction, account protection, EDR…) is no baseline,
 * whether or not it carries an `@odata.type`. A settings catalog baseline of an unknown template is not (a baseline
 * keeps its template id across versions). `windows-security-baseline-missing`, `defender-baselines-missing` and the
 * layer status read this one answer. Whether the baseline reaches devices is another question (its assignments), asked
 * by the first.
 *
 * Each instance of a baseline (`instances`), and the pairs of instances of one baseline assigned to the same devices
 * (`overlaps`, read by `baseline-instances-overlap`): Learn's "Avoid conflicts" (security-baselines) and "Update a
 * baseline profile to the latest version" (security-baselines-configure: "to avoid configuration conflicts, be sure to
 * remove … assignments from the original baseline instance").
 */
import type { FileFacts, PolicyFacts } from '../facts';
import { isBaselineProfile } from '../facts';
import { asObject } from '../document';
import { foreignAssignment, foreignGraphTypeOf, intentProperties, intentTemplateId, isEdrIntent } from '../graph';
import { BASELINE_TEMPLATES, isKnownNonBaselineIntent, legacyBaselineOf, templateBaseOf } from '../kinds';
import { noteReads, READS_MANIFEST } from '../reads';
import type { GroupDirectory } from './groups';
import { assignmentDeclaration, foreignTargets, readTargets, type Targets } from './targets';

export type BaselineName = keyof typeof BASELINE_TEMPLATES;
export type BaselinePresence = 'yes' | 'no' | 'unknown';

/** Each known baseline's name in the admin center (Learn: security-baselines, "Available security baselines"). */
export const BASELINE_NAMES: Readonly<Record<BaselineName, string>> = {
  windows: 'Security Baseline for Windows 10 and later',
  defenderForEndpoint: 'Microsoft Defender for Endpoint baseline',
  edge: 'Microsoft Edge baseline',
  windows365: 'Windows 365 Security Baseline',
  m365Apps: 'Microsoft 365 Apps for Enterprise baseline',
};

/**
 * One instance of a security baseline: a settings catalog baseline profile, or an endpoint security intent of a known
 * baseline template (the older generation).
 */
export interface BaselineInstance {
  file: FileFacts;
  /** Its name for messages: a profile's `name`, an intent's `displayName`, else its file's name. */
  name: string;
  /** Which baseline: a known one's name (`windows`…), or `template:<id>` for a settings catalog template not known here. */
  baseline: string;
  /** The baseline's name for messages. */
  label: string;
  /** The version for messages: `templateDisplayVersion`, the template id's `_<n>`, or the older generation's intent. */
  version: string;
  /** For ordering: the template id's `_<n>`; -1 for an intent (the older generation comes first); undefined: not said. */
  order: number | undefined;
  /** Whether the file says whom it is assigned to (`assignmentDeclaration`, or a raw intent's `assignments`/`isAssigned`). */
  declaration: 'undeclared' | 'nobody' | 'assigned';
  /** Whom it is assigned to; undefined while the file does not list its targets (an intent with `isAssigned` alone). */
  targets: Targets | undefined;
  /** The Graph object's id, when the file keeps it: two files of one id are one instance exported twice. */
  id?: string;
  /** Where a finding on the instance sits: `['spec', 'templateReference']` of a profile, `['templateId']` of an intent. */
  path: readonly (string | number)[];
}

/** What two instances of one baseline are both assigned to (a target the files show both reach). */
export interface BaselineOverlap {
  /** The earlier instance (the older version; of one version, the first in path order). */
  earlier: BaselineInstance;
  later: BaselineInstance;
  /** What both reach, for messages: `all devices`, `all users`, ``group `grp-pilot` ``, ``user `ana@…` (in …)``. */
  shared: string;
}

/**
 * The two baselines the seed says to deploy with Defender onboarding (layer 6: "deploy both the Windows and the
 * Defender for Endpoint baselines"), as `defender-baselines-missing` and the layer's prerequisite line name them.
 */
export const DEFENDER_LAYER_BASELINES: readonly { name: string; baseline: BaselineName }[] = [
  { name: BASELINE_NAMES.windows, baseline: 'windows' },
  { name: BASELINE_NAMES.defenderForEndpoint, baseline: 'defenderForEndpoint' },
];

/** Whether an intent's settings are all of profile types of platforms other than Windows (and it has some). */
function otherPlatformOnly(doc: Record<string, unknown>): boolean {
  const types = [...(intentProperties(doc)?.keys() ?? [])];
  return types.length > 0 && types.every((t) => !/^windows/i.test(t));
}

/** The baselines the tenant's files show (by name), and whether one of them may be any baseline. */
export class BaselineModel {
  private readonly known = new Map<BaselineName, FileFacts[]>();
  /** Files that may be any baseline: intents of an unknown template (the older generation had one template per version). */
  readonly unknownFiles: FileFacts[] = [];

  /** Every instance of a baseline these files show (settings catalog profiles first, then intents), in the tenant's order. */
  private readonly found: { file: FileFacts; baseline: string; doc?: Record<string, unknown> }[] = [];
  private overlapsFound: readonly BaselineOverlap[] | undefined;
  private instancesFound: readonly BaselineInstance[] | undefined;

  /** `groups`: the manifest's groups, for whom each instance is assigned to (`instances`, `overlaps`). */
  constructor(
    policies: readonly PolicyFacts[],
    others: readonly FileFacts[] = [],
    private readonly groups?: GroupDirectory,
  ) {
    const names = Object.keys(BASELINE_TEMPLATES) as BaselineName[];
    for (const p of policies) {
      if (!isBaselineProfile(p)) continue;
      const base = templateBaseOf(p.spec?.templateReference);
      // A settings catalog baseline keeps its template's id across versions (only `_<version>` changes), so one of a
      // template not known here is another baseline, none of these.
      const name = names.find((n) => BASELINE_TEMPLATES[n] === base);
      if (name) this.known.set(name, [...(this.known.get(name) ?? []), p]);
      if (base) this.found.push({ file: p, baseline: name ?? `template:${base}` });
    }
    for (const f of [...policies, ...others]) {
      if (f.type === 'manifest' || (f.type === 'policy' && f.kind !== undefined)) continue;
      const doc = asObject(f.value);
      if (!doc || foreignGraphTypeOf(doc) !== 'deviceManagementIntent') continue;
      const template = intentTemplateId(doc, f.path);
      const name = legacyBaselineOf(template);
      if (name) {
        this.known.set(name, [...(this.known.get(name) ?? []), f]);
        this.found.push({ file: f, baseline: name, doc });
      }
      // An endpoint security template the table knows (BitLocker, firewall, ASR, the older Windows EDR profile…) is no
      // baseline. Every baseline here is Windows': an intent of an unknown template whose settings are all of another
      // platform's profile types (`deviceConfiguration--macOSEndpointProtectionConfiguration_…`) is none either.
      else if (!isKnownNonBaselineIntent(template) && !otherPlatformOnly(doc) && !isEdrIntent(doc, f.path)) this.unknownFiles.push(f);
    }
  }

  /** The files that are the baseline (either generation), in the tenant's order. */
  files(name: BaselineName): readonly FileFacts[] {
    return this.known.get(name) ?? [];
  }

  /** Whether the tenant has the baseline, in either generation, assigned or not. */
  presence(name: BaselineName): BaselinePresence {
    if (this.known.has(name)) return 'yes';
    return this.unknownFiles.length ? 'unknown' : 'no';
  }

  /**
   * Every instance of a baseline the files show, with whom it is assigned to. An intent of a template not known here
   * is none of them: which baseline it is, the files do not say (`unknownFiles`).
   */
  instances(): readonly BaselineInstance[] {
    noteReads([READS_MANIFEST]);
    return (this.instancesFound ??= this.found.map((f) => readInstance(f.file, f.baseline, f.doc, this.groups)));
  }

  /**
   * The pairs of instances of one baseline (any versions, either generation) that the files show assigned to the same
   * devices (`sharedTarget`), each pair once. Different baselines (Windows, Defender for Endpoint, Edge, Microsoft 365
   * Apps) are never a pair: two baselines of different intents may set a setting differently, which Learn leaves to
   * the admin; two instances of one are the same settings twice.
   */
  overlaps(): readonly BaselineOverlap[] {
    const instances = this.instances();
    if (this.overlapsFound) return this.overlapsFound;
    const out: BaselineOverlap[] = [];
    const directory = this.groups;
    const byBaseline = new Map<string, BaselineInstance[]>();
    for (const i of instances) byBaseline.set(i.baseline, [...(byBaseline.get(i.baseline) ?? []), i]);
    for (const list of byBaseline.values()) {
      const ordered = [...list].sort(laterLast);
      for (let a = 0; a < ordered.length; a++) {
        for (let b = a + 1; b < ordered.length; b++) {
          const [earlier, later] = [ordered[a], ordered[b]];
          // One Intune object exported into two files (a backup beside its import) is one instance.
          if (earlier.id && earlier.id === later.id) continue;
          if (!earlier.targets || !later.targets || !directory) continue;
          const shared = sharedTarget(earlier.targets, later.targets, directory);
          if (shared) out.push({ earlier, later, shared });
        }
      }
    }
    return (this.overlapsFound = out);
  }
}

/** Earlier versions first (the older generation's intents before any settings catalog version), then path order. */
function laterLast(a: BaselineInstance, b: BaselineInstance): number {
  if (a.order !== undefined && b.order !== undefined && a.order !== b.order) return a.order - b.order;
  return a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0;
}

function readInstance(file: FileFacts, baseline: string, doc: Record<string, unknown> | undefined, groups: GroupDirectory | undefined): BaselineInstance {
  const known = (Object.keys(BASELINE_NAMES) as BaselineName[]).find((n) => n === baseline);
  if (doc) {
    // The older generation: an endpoint security intent of a known baseline template.
    const declaration = foreignAssignment(doc);
    const targets = declaration === 'assigned' && groups ? foreignTargets(doc, groups) : undefined;
    const id = typeof doc.id === 'string' && doc.id ? doc.id.toLowerCase() : undefined;
    const name = typeof doc.displayName === 'string' && doc.displayName.trim() ? doc.displayName.trim() : file.path.replace(/^.*[\\/]/, '');
    return { file, name, baseline, label: BASELINE_NAMES[known!], version: `the older generation's endpoint security intent, template \`${intentTemplateId(doc, file.path) ?? String(doc.templateId)}\``, order: -1, declaration, targets, ...(id ? { id } : {}), path: ['templateId'] };
  }
  const p = file as PolicyFacts;
  const ref = asObject(p.spec?.templateReference);
  const templateId = typeof ref?.templateId === 'string' ? ref.templateId : '';
  const suffix = /_(\d+)$/.exec(templateId);
  const displayVersion = typeof ref?.templateDisplayVersion === 'string' && ref.templateDisplayVersion.trim() ? ref.templateDisplayVersion.trim() : undefined;
  const displayName = typeof ref?.templateDisplayName === 'string' && ref.templateDisplayName.trim() ? ref.templateDisplayName.trim() : undefined;
  const label = known ? BASELINE_NAMES[known] : displayName ?? `the baseline of template ${baseline.replace(/^template:/, '')}`;
  const version = displayVersion ? `${displayVersion} \`${templateId}\`` : `\`${templateId}\``;
  const declaration = assignmentDeclaration(p);
  const targets = declaration === 'assigned' && groups ? readTargets(p, groups) : undefined;
  const id = typeof p.spec?.id === 'string' && p.spec.id ? p.spec.id.toLowerCase() : undefined;
  return { file, name: p.name ?? p.path.replace(/^.*[\\/]/, ''), baseline, label, version, order: suffix ? Number(suffix[1]) : undefined, declaration, targets, ...(id ? { id } : {}), path: ['spec', 'templateReference'] };
}

/** A thing two assignments may both reach: all devices, all users, a group (by manifest name), a user the manifest lists. */
type Witness = { kind: 'allDevices' } | { kind: 'allUsers' } | { kind: 'group'; name: string } | { kind: 'user'; upn: string };

/**
 * What two assignments certainly both reach, in words, or undefined when the files do not show one. Decided
 * conservatively, for a warning:
 * - All devices reaches every device, and the devices of every user and every group (a user-targeted profile applies on
 *   the devices the user signs in to, all of them among all devices). All users reaches all users and each user the
 *   manifest lists, not a group of unknown members (it may be a group of shared devices no user signs in to).
 * - A group reaches the groups nested in it and the users the manifest lists in it. Two different groups whose members
 *   the manifest does not list are not an overlap: a ring deployment (the new version on a pilot group, the old one on
 *   the rest) looks exactly so, and the files cannot tell it from a forgotten migration.
 * - An exclusion that holds the shared target removes it. One that may hold part of it leaves it shared only while
 *   the other assignment excludes at least as much and includes the target itself (the policy reaches someone there):
 *   two assignments on all devices that exclude different groups may split the devices between them (complementary
 *   dynamic groups), and are not reported.
 * - A user group excluded from all devices removes no device (`Targets.exclude`: Intune does not evaluate user-to-device
 *   group relationships): what all devices reach is kept, and the words say so.
 * - A target with an assignment filter takes in only the devices its filter does: unknown, not reported; unless both
 *   assignments include the same targets through the same filters in the same modes (`Targets.filterKey`): they take
 *   in exactly the same devices, whichever those are, and the reading goes on as without filters.
 */
export function sharedTarget(a: Targets, b: Targets, directory: GroupDirectory): string | undefined {
  if ((a.filtered || b.filtered) && !sameFilters(a, b)) return undefined;
  const candidates: Witness[] = [{ kind: 'allDevices' }, { kind: 'allUsers' }];
  const groupNames = new Set<string>();
  for (const g of [...a.groups, ...b.groups]) groupNames.add(g);
  for (const g of [...a.groups, ...b.groups]) for (const n of directory.closure(g).groups) groupNames.add(n);
  for (const name of groupNames) candidates.push({ kind: 'group', name });
  const users = new Set<string>();
  for (const g of [...a.groups, ...b.groups]) for (const u of directory.closure(g).users) users.add(u);
  for (const upn of users) candidates.push({ kind: 'user', upn });
  for (const w of candidates) {
    if (!reaches(a, w, directory) || !reaches(b, w, directory)) continue;
    if (!keptAfterExclusions(a, b, w, directory)) continue;
    return describe(w, a, b, directory);
  }
  return undefined;
}

/**
 * Whether two assignments include the same targets through the same assignment filters in the same modes: both filtered,
 * each filter named by its id (`Targets.filterKey`). Then a filter takes in the same devices on both sides.
 */
export function sameFilters(a: Targets, b: Targets): boolean {
  return !!a.filtered && !!b.filtered && a.filterKey !== undefined && a.filterKey === b.filterKey;
}

/** Whether an assignment's includes hold the witness (exclusions aside). */
function reaches(t: Targets, w: Witness, directory: GroupDirectory): boolean {
  if (t.allDevices) return true;
  if (w.kind === 'allDevices') return false;
  if (w.kind === 'allUsers') return !!t.allUsers;
  if (w.kind === 'user') return !!t.allUsers || t.groups.some((g) => directory.closure(g).users.has(w.upn));
  return t.groups.some((g) => directory.closure(g).groups.has(w.name));
}

/** Whether an assignment includes the witness itself (not through another target that holds it). */
function includesDirectly(t: Targets, w: Witness): boolean {
  if (w.kind === 'allDevices') return !!t.allDevices;
  if (w.kind === 'allUsers') return !!t.allUsers;
  if (w.kind === 'group') return t.groups.includes(w.name);
  return false;
}

/** Whether an excluded group holds all of the witness. */
function holdsAll(e: string, w: Witness, directory: GroupDirectory): boolean {
  if (w.kind === 'group') return directory.closure(e).groups.has(w.name);
  if (w.kind === 'user') return directory.closure(e).users.has(w.upn);
  return false;
}

/** Whether an excluded group is known to hold none of the witness: the group directory's one reading (`mayHold`). */
function disjoint(e: string, w: Witness, directory: GroupDirectory): boolean {
  if (w.kind === 'allDevices' || w.kind === 'allUsers') return false;
  if (w.kind === 'user') return !directory.mayHold(e, (u) => u === w.upn);
  return !directory.mayHoldMemberOf(e, [w.name]);
}

/** Whether what both assignments reach of the witness is, for certain, left after both assignments' exclusions. */
function keptAfterExclusions(a: Targets, b: Targets, w: Witness, directory: GroupDirectory): boolean {
  if ([...a.exclude, ...b.exclude].some((e) => holdsAll(e, w, directory))) return false;
  const partA = a.exclude.filter((e) => !disjoint(e, w, directory));
  const partB = b.exclude.filter((e) => !disjoint(e, w, directory));
  if (!partA.length && !partB.length) return true;
  // Each exclusion of one is (or lies within) an exclusion of the other: what is left is the other's own reach of the
  // witness, which it includes itself (assigned there to reach someone).
  const within = (inner: string[], outer: string[]): boolean => inner.every((e) => outer.some((o) => directory.holds(o, e)));
  return (within(partA, partB) && includesDirectly(b, w)) || (within(partB, partA) && includesDirectly(a, w));
}

/** The assignment filters of a filtered assignment (`Targets.filterKey`), in words: ``assignment filter `id` (include)``. */
function filtersText(t: Targets): string {
  const filters = [...new Set((t.filterKey ?? '').split('\n').map((k) => k.split(':')).filter((k) => k[2]).map((k) => `\`${k[2]}\` (${k[3]})`))];
  return `${filters.length === 1 ? 'the same assignment filter' : 'the same assignment filters'} ${filters.join(', ')}`;
}

function describe(w: Witness, a: Targets, b: Targets, directory: GroupDirectory): string {
  const except = [...new Set([...a.exclude, ...b.exclude])].filter((e) => !disjoint(e, w, directory));
  const unapplied = [...new Set([...(a.unapplied ?? []), ...(b.unapplied ?? [])])].filter((e) => !disjoint(e, w, directory));
  const notes = [
    ...(except.length ? [`except ${except.map((e) => `\`${e}\``).join(', ')}`] : []),
    ...(unapplied.length ? [`${unapplied.length === 1 ? 'user group' : 'user groups'} ${unapplied.map((e) => `\`${e}\``).join(', ')} excluded from all devices ${unapplied.length === 1 ? 'removes' : 'remove'} none of ${unapplied.length === 1 ? 'its' : 'their'} users' devices: Intune does not evaluate user-to-device group relationships`] : []),
    ...(a.filtered && sameFilters(a, b) ? [`both through ${filtersText(a)}`] : []),
  ];
  const but = notes.length ? ` (${notes.join('; ')})` : '';
  if (w.kind === 'allDevices') return `all devices${but}`;
  if (w.kind === 'allUsers') return a.allDevices && b.allDevices ? `all devices${but}` : a.allDevices || b.allDevices ? `all users' devices${but}` : `all users${but}`;
  if (w.kind === 'group') return `group \`${w.name}\`${but}`;
  const via = (t: Targets): string => (t.allUsers ? 'all users' : t.allDevices ? 'all devices' : `\`${t.groups.find((g) => directory.closure(g).users.has(w.upn))}\``);
  return `user \`${w.upn}\` (through ${via(a)} and ${via(b)})${but}`;
}

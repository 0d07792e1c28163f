/**
 * Whom a profile reaches, and what value one settings catalog setting has on the devices profiles reach: the one
 * answer to "is this setting set so on those devices" that the configuration checks (BitLocker, LAPS, attack surface
 * reduction rules…), the Defender model's onboarding and `setting-conflict` read.
 *
 * - **Reach.** A profile whose exclusions hold every group it includes (the group itself, or one it is nested in: an
 *   exclusion wins over an inclusion) reaches no device, as one assigned to nobody (`include: []`) does. Only groups
 *   are read so: `allDevices` and `allUsers` are never all excluded by a group.
 * - **Conflicts.** Where two assigned profiles set one setting to different values for the same devices, Intune reports
 *   a conflict and applies neither value ("When conflicts occur, Intune generates an error and doesn't apply either
 *   setting": https://learn.microsoft.com/intune/intune-service/industry/education/tutorial-school-deployment/manage-avoid-policy-conflicts;
 *   https://learn.microsoft.com/intune/intune-service/configuration/device-profile-troubleshoot#what-happens-when-profiles-conflict).
 *   Whether two profiles reach the same devices has three answers (`overlap`): certain (the baselines model's
 *   `sharedTarget`, which `baseline-instances-overlap` reads: all devices, a group nested in both, a user the manifest
 *   lists in both, less the exclusions), none (one's groups all excluded by the other, or groups whose members the
 *   manifest lists and that share none), or unknown (two groups the manifest does not describe: a ring deployment looks
 *   so). Only a certain overlap is a conflict. An exclusion counts only where it removes something: a user group
 *   excluded from all devices removes no device (`Targets.exclude`, read once in `readTargets`: Intune does not evaluate
 *   user-to-device group relationships), and two assignments that include the same targets through the same assignment
 *   filters in the same modes (`sameFilters`) reach the same devices.
 * - Only single-valued settings are compared (a choice, a simple value): list settings (an exclusion list, the ASR
 *   rules' per-rule exclusions) are merged across profiles for some profile types, and a setting that appears more
 *   than once in a profile (inside a collection of groups) has no one value to compare, nor does a setting of an item
 *   of a list of groups (a firewall rule, a managed login item), which profiles add side by side.
 */
import type { PolicyFacts } from '../facts';
import { readGraphAssignments } from '../graph';
import { settingInstances, type SettingInstanceRef } from '../settings-catalog/instances';
import { sameFilters, sharedTarget } from './baselines';
import type { GroupDirectory } from './groups';
import { assignmentDeclaration, readTargets, type Targets } from './targets';

/**
 * The excluded groups that together take out every group an assignment includes (each included group is one of them,
 * or nested in one), or undefined when something is left: all devices or all users, or a group no exclusion holds.
 */
export function exclusionsTakingAll(t: Targets, directory: GroupDirectory): string[] | undefined {
  if (t.all || !t.groups.length || !t.exclude.length) return undefined;
  const used = new Set<string>();
  for (const g of t.groups) {
    const by = t.exclude.find((e) => directory.holds(e, g));
    if (by === undefined) return undefined;
    used.add(by);
  }
  return [...used];
}

/**
 * Whom a profile reaches: `assignmentDeclaration`'s answer (undeclared, nobody, assigned), with a profile whose
 * exclusions take out every group it includes read as assigned to nobody. A Graph target of a type not read here
 * counts as reaching someone, as it does there.
 */
export function assignmentReach(p: PolicyFacts, directory: GroupDirectory): 'undeclared' | 'nobody' | 'assigned' {
  const declared = assignmentDeclaration(p);
  if (declared !== 'assigned') return declared;
  const graph = p.spec?.assignments;
  if (Array.isArray(graph) && graph.length !== readGraphAssignments(graph).length) return declared;
  return exclusionsTakingAll(readTargets(p, directory), directory) ? 'nobody' : 'assigned';
}

/** Whether two groups certainly share no member: neither may hold a member of the other (`mayHoldMemberOf`). */
function groupsDisjoint(a: string, b: string, directory: GroupDirectory): boolean {
  return !directory.mayHoldMemberOf(a, [b]);
}

/** Whether everything `inner` includes is excluded by `outer` (so `outer` reaches none of it). */
function excludedBy(inner: Targets, outer: Targets, directory: GroupDirectory): boolean {
  return !inner.all && inner.groups.length > 0 && inner.groups.every((g) => outer.exclude.some((e) => directory.holds(e, g)));
}

/** Whether two assignments reach the same devices: certainly (`shared` says what, in words), certainly not, or unknown. */
export type Overlap = { state: 'certain'; shared: string } | { state: 'none' | 'unknown' };

/** See `Overlap`: the files decide it only where they show it. */
export function overlap(a: Targets, b: Targets, directory: GroupDirectory): Overlap {
  if (exclusionsTakingAll(a, directory) || exclusionsTakingAll(b, directory)) return { state: 'none' };
  const shared = sharedTarget(a, b, directory);
  if (shared) return { state: 'certain', shared };
  if (excludedBy(a, b, directory) || excludedBy(b, a, directory)) return { state: 'none' };
  if (!a.all && !b.all && a.groups.length && b.groups.length && a.groups.every((ga) => b.groups.every((gb) => groupsDisjoint(ga, gb, directory)))) return { state: 'none' };
  return { state: 'unknown' };
}

/**
 * Whether assignments taken together (`sources`: the profiles that onboard devices, or escrow FileVault's key) reach
 * every device another (`target`: an Endpoint DLP policy's devices location, a FileVault profile's assignment, or one
 * profile's, `targetsReachAllOf`) takes in: `all`, certainly (one of them reaches all devices,
 * less only what the target excludes too; or each of the target's groups is, or lies within, a group one of them
 * includes); `some`, certainly not: devices the target takes in are left out (`left`, in words), where
 *  - the target takes in all devices, excludes none, and every source is assigned to groups whose members the
 *    manifest lists (those members' devices, never every device: a pilot group's onboarding leaves the rest out; a
 *    group it does not describe may be a dynamic group of every device, and is unknown); or every source is assigned to all devices and all
 *    of them exclude one group (`X`'s devices are left);
 *  - a group the target includes is one that every source certainly reaches none of: it excludes the group (or one
 *    holding it), or includes only groups whose members the manifest lists and that share none with it;
 * and `unknown` otherwise: groups the manifest does not describe, an assignment filter (a target's reaches devices the
 * files do not name; a source's, devices the files do not name either), a target that excludes groups
 * besides all devices (its exclusions may be just the devices the sources leave out), or a mix of sources that
 * together may or may not take everything in. Only what the files show is a gap.
 */
export type Coverage = { state: 'all' } | { state: 'some'; left: string } | { state: 'unknown' };

/** See `Coverage`. */
export function coverage(sources: readonly Targets[], target: Targets, directory: GroupDirectory): Coverage {
  if (exclusionsTakingAll(target, directory)) return { state: 'all' };
  const live = sources.filter((s) => !exclusionsTakingAll(s, directory) && (s.all || s.groups.length));
  // An exclusion of the source's that the target does not make too may leave some of the target's devices out.
  // A source's assignment filter takes in devices the files do not name, unless the target's targets go through the same
  // filters in the same modes (`sameFilters`).
  const keepsTarget = (s: Targets): boolean => (!s.filtered || sameFilters(s, target)) && s.exclude.every((e) => target.exclude.some((x) => directory.holds(x, e)));
  if (live.some((s) => s.all && keepsTarget(s))) return { state: 'all' };
  const groups = target.groups.filter((g) => !target.exclude.some((e) => directory.holds(e, g)));
  const covered = (g: string): boolean => live.some((s) => keepsTarget(s) && (s.all || s.groups.some((outer) => directory.holds(outer, g))));
  if (!target.all && groups.every(covered)) return { state: 'all' };
  // A target with an assignment filter reaches devices the files do not name: never certainly `some`.
  if (target.filtered) return { state: 'unknown' };
  if (target.all) {
    if (target.exclude.length || !live.length || live.some((s) => s.filtered)) return { state: 'unknown' };
    if (live.every((s) => !s.all)) {
      // Groups whose members the manifest lists are those members' devices, never every device; a group it does not
      // describe may hold every device of the platform (a dynamic group of all Windows devices): unknown, not a gap.
      const included = [...new Set(live.flatMap((s) => s.groups))];
      if (included.some((g) => directory.unlisted(g).length)) return { state: 'unknown' };
      return { state: 'some', left: `the devices outside ${included.map((g) => `\`${g}\``).join(', ')}` };
    }
    if (live.every((s) => s.all)) {
      const common = live[0]!.exclude.find((x) => live.every((s) => s.exclude.some((e) => directory.holds(e, x))));
      if (common !== undefined) return { state: 'some', left: `the devices of \`${common}\`` };
    }
    return { state: 'unknown' };
  }
  const reachesNone = (s: Targets, g: string): boolean =>
    s.exclude.some((e) => directory.holds(e, g)) || (!s.all && s.groups.every((sg) => groupsDisjoint(sg, g, directory)));
  const left = groups.filter((g) => !covered(g) && live.every((s) => reachesNone(s, g)));
  if (left.length) return { state: 'some', left: `the devices of ${left.map((g) => `\`${g}\``).join(', ')}` };
  return { state: 'unknown' };
}

/** Whom an assignment takes in, in words ("`Pilot`", "all devices except `Kiosks`"), for messages. */
export function targetsInWords(t: Targets): string {
  const who = [...(t.allDevices ? ['all devices'] : t.allUsers ? ['all users'] : []), ...t.groups.map((g) => `\`${g}\``)];
  const but = t.exclude.length ? ` except ${t.exclude.map((e) => `\`${e}\``).join(', ')}` : '';
  const filter = t.filtered ? ' (with an assignment filter)' : '';
  return `${who.join(', ') || 'no one'}${but}${filter}`;
}

/**
 * Whether assignment `o` reaches every device assignment `t` reaches (nested groups followed, an exclusion wins over an
 * inclusion): the tenant model's `reachesAllOf`, `coverage`'s answer for one assignment. An exclusion of `o` that `t`
 * does not exclude too leaves some of `t`'s devices out (or may: group membership the files do not show); an assignment
 * filter on `o` takes in devices the files do not name.
 */
export function targetsReachAllOf(o: Targets, t: Targets, directory: GroupDirectory): boolean {
  return coverage([o], t, directory).state === 'all';
}

/** One profile's side of a conflict: the value it sets, and the instance that sets it. */
export interface ConflictSide {
  profile: PolicyFacts;
  /** The value as compared: a choice's option id, or a simple value as JSON. */
  value: string;
  /** A choice's option id, for messages; undefined for a simple value (which may be a secret: never shown). */
  option?: string;
  instance: SettingInstanceRef;
}

/** Two assigned profiles that set one setting to different values for devices both certainly reach. */
export interface SettingConflict {
  /** The setting's definition id, lower-cased (as ids compare). */
  key: string;
  /** The definition id as the first profile writes it. */
  id: string;
  a: ConflictSide;
  b: ConflictSide;
  /** What both reach, in words (`sharedTarget`). */
  shared: string;
}

/**
 * What setting `key` is on the devices profile `p` reaches, as `p` sets it: `applies` where no profile certainly sets it
 * otherwise there; `conflict` where a profile that reaches every one of those devices sets it otherwise (Intune applies
 * neither value, anywhere `p` reaches); `partly` where profiles set it otherwise on some of them (the value applies on
 * the others). `mayConflict` lists profiles that set it otherwise and may reach the same devices (overlap unknown):
 * not a conflict, and the value is read as applying.
 */
export type SettingOutcome =
  | { state: 'applies'; mayConflict: PolicyFacts[] }
  | { state: 'conflict' | 'partly'; conflicts: SettingConflict[] };

/** Each profile's single-valued settings (`key` → its one instance and value), read once per file. */
const VALUES = new WeakMap<PolicyFacts, Map<string, { value: string; option?: string; instance: SettingInstanceRef }>>();

function valuesOf(p: PolicyFacts): Map<string, { value: string; option?: string; instance: SettingInstanceRef }> {
  let found = VALUES.get(p);
  if (found) return found;
  found = new Map();
  const seen = new Set<string>();
  const repeated = new Set<string>();
  const instances = settingInstances(p.spec);
  // An item of a list of groups (a firewall rule: its name, action, direction; a macOS managed login item) is one entry
  // of a list that profiles add to side by side, not one value set two ways: the items are told by a simple value
  // among their settings (a name, a rule value), where the attack surface reduction rules' one group holds choices only.
  const listItems = new Set(instances.filter((i) => i.kind === 'simple').map(itemOf).filter((x): x is string => x !== undefined));
  for (const i of instances) {
    if (seen.has(i.key)) repeated.add(i.key);
    seen.add(i.key);
    const item = itemOf(i);
    if (item !== undefined && listItems.has(item)) continue;
    if (i.kind === 'choice' && i.choices.length === 1) found.set(i.key, { value: i.choices[0]!.value.toLowerCase(), option: i.choices[0]!.value, instance: i });
    // A simple value compared as written in either JSON type (`5` and `"5"` are one value; the schema says which is right).
    else if (i.kind === 'simple' && i.simple.length === 1) found.set(i.key, { value: String(i.simple[0]!.value), instance: i });
  }
  for (const k of repeated) found.delete(k);
  VALUES.set(p, found);
  return found;
}

/** The group an instance sits in, inside a group collection (its path up to the value's index), or undefined. */
function itemOf(i: SettingInstanceRef): string | undefined {
  const at = i.path.lastIndexOf('groupSettingCollectionValue');
  return at < 0 ? undefined : JSON.stringify(i.path.slice(0, at + 2));
}

/** The settings catalog profiles' values and their conflicts, made once per tenant model. */
export class SettingValues {
  private found: readonly SettingConflict[] | undefined;
  private readonly byProfile = new Map<PolicyFacts, SettingConflict[]>();
  private readonly maybe = new Map<PolicyFacts, { key: string; other: PolicyFacts }[]>();

  /**
   * `profiles`: the tenant's settings catalog profiles (`ConfigurationProfile` with their settings exported);
   * `targets`, the model's reading of whom each is assigned to; `coversAll(a, b)`, whether `a` reaches every device `b`
   * reaches (the model's `reachesAllOf`).
   */
  constructor(
    private readonly profiles: readonly PolicyFacts[],
    private readonly directory: GroupDirectory,
    private readonly targets: (p: PolicyFacts) => Targets,
    private readonly coversAll: (a: PolicyFacts, b: PolicyFacts) => boolean,
  ) {}

  /** Every conflict, in path order of the first profile, then of the second, then by setting. */
  conflicts(): readonly SettingConflict[] {
    if (this.found) return this.found;
    const assigned = this.profiles
      .filter((p) => Array.isArray(p.spec?.settings) && assignmentReach(p, this.directory) === 'assigned')
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const byKey = new Map<string, { profile: PolicyFacts; value: string; option?: string; instance: SettingInstanceRef }[]>();
    for (const profile of assigned) {
      for (const [key, v] of valuesOf(profile)) {
        let list = byKey.get(key);
        if (!list) byKey.set(key, (list = []));
        list.push({ profile, ...v });
      }
    }
    const out: SettingConflict[] = [];
    const overlaps = new Map<string, Overlap>();
    const overlapOf = (a: PolicyFacts, b: PolicyFacts): Overlap => {
      const k = `${a.path}\u0000${b.path}`;
      let o = overlaps.get(k);
      if (!o) overlaps.set(k, (o = overlap(this.targets(a), this.targets(b), this.directory)));
      return o;
    };
    for (const [key, list] of byKey) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i]!;
          const b = list[j]!;
          if (a.value === b.value) continue;
          // One Intune object exported into two files (a backup beside its import) is one profile.
          const idA = typeof a.profile.spec?.id === 'string' ? a.profile.spec.id.toLowerCase() : undefined;
          if (idA && idA === (typeof b.profile.spec?.id === 'string' ? b.profile.spec.id.toLowerCase() : undefined)) continue;
          const o = overlapOf(a.profile, b.profile);
          if (o.state === 'unknown') {
            this.note(this.maybe, a.profile, { key, other: b.profile });
            this.note(this.maybe, b.profile, { key, other: a.profile });
          }
          if (o.state !== 'certain') continue;
          const c: SettingConflict = { key, id: a.instance.id, a, b, shared: o.shared };
          out.push(c);
          this.note(this.byProfile, a.profile, c);
          this.note(this.byProfile, b.profile, c);
        }
      }
    }
    return (this.found = out);
  }

  private note<T>(map: Map<PolicyFacts, T[]>, p: PolicyFacts, item: T): void {
    let list = map.get(p);
    if (!list) map.set(p, (list = []));
    list.push(item);
  }

  /** The conflicts a profile is in (on any setting). */
  conflictsOf(p: PolicyFacts): readonly SettingConflict[] {
    this.conflicts();
    return this.byProfile.get(p) ?? [];
  }

  /** What setting `key` (any case) is on the devices profile `p` reaches, as `p` sets it (`SettingOutcome`). */
  outcome(p: PolicyFacts, key: string): SettingOutcome {
    const k = key.toLowerCase();
    const conflicts = this.conflictsOf(p).filter((c) => c.key === k);
    if (!conflicts.length) return { state: 'applies', mayConflict: (this.maybe.get(p) ?? []).filter((m) => m.key === k).map((m) => m.other) };
    const other = (c: SettingConflict): PolicyFacts => (c.a.profile === p ? c.b.profile : c.a.profile);
    const everywhere = conflicts.some((c) => this.coversAll(other(c), p));
    return { state: everywhere ? 'conflict' : 'partly', conflicts };
  }

  /**
   * Whether every one of these instances of `p` (the ones that turn something on) is in conflict on every device `p`
   * reaches: then what they set applies nowhere. The conflicts, when so.
   */
  allInConflict(p: PolicyFacts, instances: readonly SettingInstanceRef[]): SettingConflict[] | undefined {
    if (!instances.length || !this.conflictsOf(p).length) return undefined;
    const out: SettingConflict[] = [];
    for (const i of instances) {
      const o = this.outcome(p, i.key);
      if (o.state !== 'conflict') return undefined;
      out.push(...o.conflicts);
    }
    return out;
  }
}

/**
 * Whom an Intune policy is assigned to, read from either shape: our `assignments: { include, exclude }` (group names
 * or GUIDs, `allUsers`, `allDevices`) and Graph's `assignments: [{ target: { "@odata.type", groupId } }]` (a raw
 * export's own list, or a native spec that carries one).
 */
import { asObject, isPlainObject, strings } from '../document';
import { DLP_ALL_DEVICES, type ManifestFacts, type PolicyFacts } from '../facts';
import { isTenantDefault, readGraphAssignments } from '../graph';
import type { GroupDirectory } from './groups';

export interface Targets {
  /** Assigned to all users or all devices. */
  readonly all: boolean;
  readonly allUsers?: boolean;
  readonly allDevices?: boolean;
  /** Included groups, as manifest names where they resolve. */
  readonly groups: readonly string[];
  /**
   * Excluded groups that remove something from what the assignment reaches. A user group (`GroupDirectory.userGroup`)
   * excluded from an assignment that includes all devices is not one of them (it is in `unapplied`): Intune does not
   * evaluate user-to-device group relationships, so excluding user groups from an assignment to devices "isn't
   * supported … devices of the included users aren't excluded" (https://learn.microsoft.com/intune/intune-service/configuration/device-profile-assign#exclude-groups-from-a-policy-assignment,
   * its support matrix), and All devices reaches every device whoever signs in. A group of unknown kind (no user
   * listed) stays here: it may be a device group, which the exclusion removes. The reverse, a device group excluded
   * from an assignment to users, is not read: the manifest has no fact that tells a device group.
   */
  readonly exclude: readonly string[];
  /** Excluded groups that remove nothing: user groups excluded from an assignment that includes all devices (see `exclude`). */
  readonly unapplied?: readonly string[];
  /**
   * Whether an included target carries an assignment filter (only Graph's own assignments can: ours cannot hold one):
   * the policy then reaches only the devices the filter takes in, which the files do not tell.
   */
  readonly filtered?: boolean;
  /**
   * When `filtered`: every included target with its filter (id and mode), sorted, or undefined when a filtered target
   * names no filter id (or a target is of a type not read). Two assignments of the same string include the same targets
   * through the same filters in the same modes: they take in exactly the same devices, whatever the filter says.
   */
  readonly filterKey?: string;
}

/**
 * Each policy's targets, read once per manifest: the model, the enrollment answers and the layer rules ask for them
 * after every edit, of every policy. A manifest that changes (a new object) reads them again.
 */
const TARGETS = new WeakMap<PolicyFacts, { manifest: ManifestFacts | undefined; targets: Targets }>();

/** The assignment targets of an Intune policy. */
export function readTargets(p: PolicyFacts, groups: GroupDirectory): Targets {
  const hit = TARGETS.get(p);
  if (hit && hit.manifest === groups.manifest) return hit.targets;
  const targets = readTargetsOnce(p, groups);
  TARGETS.set(p, { manifest: groups.manifest, targets });
  return targets;
}

function readTargetsOnce(p: PolicyFacts, groups: GroupDirectory): Targets {
  const out = emptyTargets();
  const add = (list: string[], g: string): void => {
    const name = groups.nameOf(g);
    if (!list.includes(name)) list.push(name);
  };
  if (p.kind === 'EndpointDlpPolicy') return dlpDeviceTargets(p, out, add);
  const ours = p.raw ? undefined : isPlainObject(p.value?.assignments) ? p.value.assignments : undefined;
  for (const g of strings(ours?.include)) {
    if (g === 'allUsers') out.allUsers = true;
    else if (g === 'allDevices') out.allDevices = true;
    else add(out.groups, g);
  }
  for (const g of strings(ours?.exclude)) add(out.exclude, g);
  for (const g of out.groups) out.keys.push(`group:${g}::`);
  if (out.allUsers) out.keys.push('allUsers:::');
  if (out.allDevices) out.keys.push('allDevices:::');
  addGraphTargets(out, p.spec?.assignments, add);
  out.all = !!(out.allUsers || out.allDevices);
  return finish(out, groups);
}

/**
 * The targets as read, with the filter key of a filtered assignment (`Targets.filterKey`). With `groups` (an Intune
 * assignment, where All devices is every device whoever signs in; not an Endpoint DLP devices location, whose `All` is
 * every account and whose exclusions are accounts): a user group excluded from all devices removes none
 * (`Targets.exclude`), and is kept apart in `unapplied`.
 */
function finish(out: MutableTargets, groups?: GroupDirectory): Targets {
  if (groups && out.allDevices) {
    const unapplied = out.exclude.filter((e) => groups.userGroup(e));
    if (unapplied.length) {
      out.exclude = out.exclude.filter((e) => !unapplied.includes(e));
      out.unapplied = unapplied;
    }
  }
  const { keys, keyless, ...targets } = out;
  if (!targets.filtered || keyless) return targets;
  return { ...targets, filterKey: [...new Set(keys)].sort().join('\n') };
}

/**
 * The devices an Endpoint DLP policy protects, read as an assignment: its devices location (`spec.locations.devices`,
 * policy-format.md), Purview's `EndpointDlpLocation`, "the user accounts to include … when they are logged on to an
 * onboarded device", `All` for every account (https://learn.microsoft.com/powershell/module/exchange/new-dlpcompliancepolicy).
 * `All` is read as every device (`allDevices`: every account, on whichever device it signs in to); the rest are group
 * names, included or excluded, whose devices are their members' (a profile assigned to all devices certainly shares
 * them; one assigned to another group does only as far as the manifest's `members` show), so the same overlap reading
 * as two profiles' assignments applies, and what the manifest does not show is unknown.
 */
function dlpDeviceTargets(p: PolicyFacts, out: MutableTargets, add: (list: string[], g: string) => void): Targets {
  const devices = asObject(asObject(p.spec?.locations)?.devices);
  for (const g of strings(devices?.include)) {
    if (g === DLP_ALL_DEVICES) out.allDevices = true;
    else add(out.groups, g);
  }
  for (const g of strings(devices?.exclude)) if (g !== DLP_ALL_DEVICES) add(out.exclude, g);
  out.all = out.allDevices;
  return finish(out);
}

type MutableTargets = {
  all: boolean;
  allUsers: boolean;
  allDevices: boolean;
  groups: string[];
  exclude: string[];
  unapplied?: string[];
  filtered: boolean;
  /** Each included target with its filter: `type:group:filter id:mode`. */
  keys: string[];
  /** Whether an included target's filter has no id, or a target is of a type not read: no filter key. */
  keyless: boolean;
};

function emptyTargets(): MutableTargets {
  return { all: false, allUsers: false, allDevices: false, groups: [], exclude: [], filtered: false, keys: [], keyless: false };
}

/** Graph's assignment list (`[{ target }]`) read into targets: the one reading of Graph's targets, for policies and raw documents alike. */
function addGraphTargets(out: MutableTargets, list: unknown, add: (list: string[], g: string) => void): void {
  for (const t of readGraphAssignments(list)) {
    if (t.filtered && t.type !== 'exclusion') out.filtered = true;
    if (t.type !== 'exclusion') {
      if ((t.filtered && !t.filter) || t.type === 'other') out.keyless = true;
      const group = t.type === 'group' ? t.groupId ?? t.groupName! : '';
      // The group by its manifest name, as `groups` holds it (`add` resolves it).
      const named: string[] = [];
      if (group) add(named, group);
      out.keys.push(`${t.type}:${named[0] ?? ''}:${t.filter?.id ?? ''}:${t.filter ? t.filter.mode : ''}`);
    }
    if (t.type === 'allUsers') out.allUsers = true;
    else if (t.type === 'allDevices') out.allDevices = true;
    else if (t.type === 'group') add(out.groups, t.groupId ?? t.groupName!);
    else if (t.type === 'exclusion') add(out.exclude, t.groupId ?? t.groupName!);
  }
}

/**
 * The assignment targets of a raw Graph document of no kind of ours (an endpoint security intent exported with
 * `$expand=assignments`, as IntuneManagement and IntuneBackupAndRestore keep them), read as a policy's Graph
 * assignments are. Undefined when the document carries no `assignments` list: whom it reaches is unknown (its
 * `isAssigned` says whether, not whom).
 */
export function foreignTargets(doc: Record<string, unknown>, groups: GroupDirectory): Targets | undefined {
  if (!Array.isArray(doc.assignments)) return undefined;
  const out = emptyTargets();
  addGraphTargets(out, doc.assignments, (list, g) => {
    const name = groups.nameOf(g);
    if (!list.includes(name)) list.push(name);
  });
  out.all = out.allUsers || out.allDevices;
  return finish(out, groups);
}

/**
 * Whether a policy file says whom it is assigned to: `undeclared` when it has no assignments at all (a raw export
 * fetched without `$expand=assignments`, or a file of ours with no `assignments` block: unknown), `nobody` when
 * it declares them and they include no one (`assignments: { include: [] }`, Graph's `"assignments": []`, or only
 * exclusions), `assigned` otherwise. A Graph target of a type we do not read counts as assigned.
 */
export function assignmentDeclaration(p: PolicyFacts): 'undeclared' | 'nobody' | 'assigned' {
  const ours = p.raw ? undefined : p.value?.assignments;
  const graph = p.spec?.assignments;
  const oursDeclared = isPlainObject(ours);
  const graphDeclared = Array.isArray(graph);
  // Graph's read-only `isAssigned: false` ("deployed to no inclusion group") says what an export without its
  // assignments does not: assigned to nobody.
  if (!oursDeclared && !graphDeclared) return p.raw && graph === undefined && p.spec?.isAssigned === false ? 'nobody' : 'undeclared';
  if (oursDeclared && strings(ours.include).length > 0) return 'assigned';
  if (oursDeclared && ours.include !== undefined && !Array.isArray(ours.include)) return 'assigned';
  if (graphDeclared && (graph as unknown[]).length !== readGraphAssignments(graph).length) return 'assigned';
  if (readGraphAssignments(graph).some((t) => t.type !== 'exclusion')) return 'assigned';
  return 'nobody';
}

/**
 * Whether an enrollment restriction is the tenant default, which Intune applies to everyone no other restriction of its
 * type reaches, whatever it is assigned to: priority 0 or a Graph id ending `_Default…` (`isTenantDefault`), or, in our
 * format, a restriction with no priority of its own that is assigned to no one (`assigned`: its included targets).
 */
export function isDefaultRestriction(p: PolicyFacts, assigned: boolean): boolean {
  const priority = p.spec?.priority;
  return isTenantDefault(p) || (!assigned && !(typeof priority === 'number' && priority > 0));
}

/**
 * Whether Intune applies a policy to no one because its file declares it assigned to nobody (`assignmentDeclaration`'s
 * `nobody`: `include: []`, Graph's `"assignments": []`, only exclusions, or `isAssigned: false` without the list). The
 * tenant's default enrollment restriction is never so: it applies to everyone no other restriction reaches. A file that
 * does not say whom it is assigned to (a raw export fetched without `$expand=assignments`) is unknown, never this. The
 * one answer `compliance-not-assigned`, `app-protection-not-assigned`, `enrollment-restriction-not-assigned`,
 * `autopilot-profile-assignment`, the enrollment model, the grant evaluator and the layer status read: Intune applies
 * a compliance policy, an app protection policy, an Autopilot profile and a non-default restriction only to the groups
 * it is assigned to.
 */
export function assignedToNobody(p: PolicyFacts): boolean {
  if (assignmentDeclaration(p) !== 'nobody') return false;
  return p.kind !== 'EnrollmentRestriction' || !isDefaultRestriction(p, false);
}

/**
 * What an Autopilot deployment profile's assignment reaches, as Autopilot reads it. Autopilot profiles apply to the
 * devices of the groups they are assigned to ("After the device group is created, a … deployment profile can be
 * applied to each device in the group", https://learn.microsoft.com/autopilot/profiles): `userTargets` are the included
 * targets that reach no Autopilot device, `allUsers` and the groups the manifest shows to hold only users
 * (`GroupDirectory.userGroup`, the one reading of "its members are only users"; a group it does not describe, or that
 * lists no members, is of unknown kind and not named). `allDevicesExclusions` are the groups excluded from an
 * assignment to All devices, which Autopilot does not support ("When the assignment All Devices is used, exclusions
 * aren't supported … might cause assignment problems and might require uploading device hashes again", same page).
 */
export interface AutopilotAssignment {
  userTargets: string[];
  allDevicesExclusions: string[];
  /**
   * Every target it includes is users (All users, or groups whose listed members are all users), so it reaches no
   * device: Autopilot profiles are assigned to device groups. A group the manifest does not describe may be a device group.
   */
  reachesNoDevice: boolean;
}

/** An Autopilot profile's assignment read from its targets (`AutopilotAssignment`). */
export function autopilotAssignment(t: Targets, groups: GroupDirectory): AutopilotAssignment {
  return {
    userTargets: [...(t.allUsers ? ['allUsers'] : []), ...t.groups.filter((g) => groups.userGroup(g))],
    allDevicesExclusions: t.allDevices ? [...t.exclude, ...(t.unapplied ?? [])] : [],
    reachesNoDevice: !t.allDevices && (t.allUsers === true || t.groups.length > 0) && t.groups.every((g) => groups.userGroup(g)),
  };
}

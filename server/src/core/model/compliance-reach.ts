/**
 * Whether any compliance policy, or any app protection policy, of a platform reaches a user (or a sample member of a
 * group): yes, no, or unknown. What If, the lockout check (through What If), `ztp diff` (through both) and
 * `ca-group-alignment` all read this one answer; the grant evaluator turns it, with `secureByDefault`, into whether
 * `compliantDevice` can be met, and (alone) into whether `compliantApplication` can be.
 *
 * A compliance policy is assigned to user groups or device groups, and Intune evaluates it on a device when either
 * the device's user or the device itself is in an assigned group. A group's listed `members` (user principal names and
 * nested groups, policy-format.md) are the whole group, as every reader of the group directory takes them
 * (`GroupDirectory.mayHold`): a group that lists its members, and nests only groups that do, holds those users and no
 * one else, and no device of theirs (`userGroup`). A group that lists none, or nests one listing none, may hold
 * anyone, or be a device group holding their devices (a dynamic "all iPhones" group; a security group may hold users
 * and devices alike): a user such a group does not list is not known to be out of it, unknown, never "no". So the
 * policies do not reach a user ("no") where each is assigned to groups that cannot hold them (`mayHoldMemberOf`:
 * their members listed, without the user), excludes them, or is for devices they cannot enroll (the model leaves
 * those last two out of `compliancePolicies(platform, userGroups)`).
 * https://learn.microsoft.com/intune/intune-service/configuration/device-profile-assign (user or device groups),
 * https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started (a device no compliance policy
 * reaches is marked as `secureByDefault` says).
 *
 * App protection is assigned to user groups only (it is "targeted to a user's identity", never to devices) and has no
 * `secureByDefault`: an app no app protection policy reaches for the user never meets `compliantApplication`. The same
 * reading holds: a group the policies are assigned to that lists no members may still hold them (unknown), and a
 * policy that excludes them, or is assigned only to groups whose listed members leave them out, does not reach them
 * (`TenantModel.appProtectionReach`).
 * https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy (policies apply to the users they are
 * assigned to), https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-app-protection.
 */
import type { PolicyFacts } from '../facts';
import type { GroupDirectory } from './groups';
import { listText } from '../prose';
import { assignmentDeclaration, readTargets } from './targets';

/** Whether the platform's compliance (or app protection) policies reach a user in some groups. */
export interface PolicyReach {
  /**
   * `reached`: a policy is assigned to all users or devices, or to a group that holds theirs. `unreached`: no policy
   * is left once exclusions and enrollment are read, or those left are assigned only to groups that cannot hold them
   * (their members listed, without these users). `unknown`: none is assigned to them as far as the manifest tells, but
   * a group a policy is assigned to may hold them or their devices (`assignedTo`), or a policy's file does not say
   * whom it is assigned to (`undeclared`).
   */
  state: 'reached' | 'unreached' | 'unknown';
  /** The policies asked about (the platform's, not excluding these users; for compliance, for devices they can enroll). */
  policies: readonly PolicyFacts[];
  /**
   * The groups those policies are assigned to (manifest names where they resolve), in the policies' order: when
   * `unknown`, only those that may hold these users (or, for compliance, their devices: `mayHoldMemberOf`).
   */
  assignedTo: string[];
  /** `unknown`: the policies whose files do not say whom they are assigned to (no assignments, or targets not read). */
  undeclared?: PolicyFacts[];
  /**
   * `unknown` for a holder of a directory role whom the manifest does not name (`roleHolder`): the groups in
   * `assignedTo` may hold them because the manifest does not say who holds a role (`BreakGlass.mayHoldRoleHolders`).
   */
  roleHolders?: true;
}

/** Whether the platform's compliance policies reach a user in some groups. */
export type ComplianceReach = PolicyReach;

/**
 * Whether any of these policies (the platform's, already those that do not exclude the users and, for compliance,
 * whose devices they can enroll: `TenantModel.compliancePolicies(platform, userGroups)`; for app protection,
 * `TenantModel.appProtectionReach`) reaches a user in `userGroups` (the manifest groups the user is in, or the
 * sample's group; a user in none of the groups: `[]`).
 */
export function policyReach(policies: readonly PolicyFacts[], userGroups: readonly string[], directory: GroupDirectory, roleHolder?: (group: string) => boolean): PolicyReach {
  const reads = policies.map((p) => readTargets(p, directory));
  const assignedTo = [...new Set(reads.flatMap((t) => t.groups))];
  // Reached where a policy is assigned to a group of theirs, or each group their group lists as its members is
  // (listed members are the whole group: `coveredBy`).
  const assigned = (g: string): boolean => reads.some((t) => t.all || t.groups.some((outer) => directory.holds(outer, g)));
  if (reads.some((t) => t.all) || userGroups.some((g) => directory.coveredBy(g, assigned))) return { state: 'reached', policies, assignedTo };
  if (!policies.length) return { state: 'unreached', policies, assignedTo };
  // A file with no assignments, or assigned only through Graph targets of a type not read here: whom it reaches is unknown.
  const undeclared = policies.filter((p, i) => assignmentDeclaration(p) === 'undeclared' || !reads[i]!.groups.length);
  // The groups the policies are assigned to that may hold them or their devices: the group directory's one reading of
  // listed members (a group listing its members holds them alone; one listing none may hold anyone).
  // A holder of a directory role whom the manifest does not name may be any member it lists but a break-glass account
  // (`roleHolder`: the model's `BreakGlass.mayHoldRoleHolders`, the question a block's exclusions ask too).
  const mayHold = assignedTo.filter((g) => directory.mayHoldMemberOf(g, userGroups) || !!roleHolder?.(g));
  if (!undeclared.length && !mayHold.length) return { state: 'unreached', policies, assignedTo };
  return { state: 'unknown', policies, assignedTo: mayHold, ...(undeclared.length ? { undeclared } : {}), ...(roleHolder && mayHold.length ? { roleHolders: true as const } : {}) };
}

/**
 * How every message says that the groups a policy kind is assigned to may hold these users: the rule
 * `ca-group-alignment`, What If's uncertain reason and the lockout check all say it here. A compliance policy may be
 * assigned to device groups, so its groups "may hold them or their devices"; app protection is assigned to users only ("targeted to a user's identity",
 * https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy), so its groups only "may hold them". `compliance` and `appProtection` are the groups (or a phrase naming them), as the
 * caller writes them; a group in both is said once, as compliance's. `note` adds that the manifest cannot tell (a group
 * that lists no members may hold anyone; one that lists some of theirs, some of them).
 */
export function mayHoldText(groups: { compliance?: readonly string[]; appProtection?: readonly string[] }, subject = 'them', note = true): string {
  const compliance = [...new Set(groups.compliance ?? [])];
  const app = [...new Set(groups.appProtection ?? [])].filter((g) => !compliance.includes(g));
  const parts = [
    ...(compliance.length ? [`${listText(compliance)} may hold ${subject} or their devices`] : []),
    ...(app.length ? [`${listText(app)} may hold ${subject}`] : []),
  ];
  if (!note) return parts.join(', and ');
  const one = compliance.length === 1;
  // Said of the compliance groups only: "it" when they are the only groups named.
  const who = app.length ? listText(compliance) : one ? 'it' : 'they';
  const devices = compliance.length ? `, and ${who} may be ${one ? 'a device group' : 'device groups'}` : '';
  return `${parts.join(', and ')} (zerotrust.yaml does not tell${devices})`;
}

/**
 * How a reason says that a role's holders may be in the groups a policy kind is assigned to, the manifest not saying who
 * holds a directory role (`PolicyReach.roleHolders`): "grp-dev may hold the role's holders (zerotrust.yaml does not say
 * who holds a directory role)".
 */
export function roleHoldersText(groups: readonly string[]): string {
  return `${listText([...new Set(groups)])} may hold the role's holders (zerotrust.yaml does not say who holds a directory role)`;
}

/**
 * Whether any compliance policy of a platform reaches a user (or a sample member of a group): yes, no, or unknown.
 * What If, the lockout check (through What If), `ztp diff` (through both) and `ca-group-alignment` all read this one
 * answer; the grant evaluator turns it, with `secureByDefault`, into whether `compliantDevice` can be met.
 *
 * A compliance policy is assigned to user groups or device groups, and Intune evaluates it on a device when either
 * the device's user or the device itself is in an assigned group. The manifest does not say which kind a group is, so
 * it is told by how the manifest declares its members: a group whose members (nested groups followed) are all listed
 * as user principal names is a user group, and a user it does not list is not in it. A group that lists no members
 * (or nests one that lists none, or is not in the manifest at all) may hold anyone, or be a device group holding
 * every device of the platform (a dynamic "all iPhones" group): whether it reaches a user is unknown.
 * https://learn.microsoft.com/intune/intune-service/configuration/device-profile-assign (user or device groups),
 * https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started (a device no compliance policy
 * reaches is marked as `secureByDefault` says).
 */
import type { PolicyFacts } from '../facts';
import type { GroupDirectory } from './groups';
import { assignmentDeclaration, readTargets } from './targets';

/** Whether the platform's compliance policies reach a user in some groups. */
export interface ComplianceReach {
  /**
   * `reached`: a policy is assigned to all users or devices, or to a group that holds theirs. `unreached`: none is,
   * and every group the policies are assigned to lists its members, none of them these users (or no policy is left
   * once exclusions and enrollment are read). `unknown`: none is, but a policy's file does not say whom it is
   * assigned to, or a group it is assigned to lists no members (`open`).
   */
  state: 'reached' | 'unreached' | 'unknown';
  /** The policies asked about (the platform's, for devices these users can enroll, not excluding them). */
  policies: readonly PolicyFacts[];
  /** The groups those policies are assigned to (manifest names where they resolve), in the policies' order. */
  assignedTo: string[];
  /** `unknown`: the groups those policies are assigned to that list no members: user or device groups, unknown. */
  open?: string[];
  /** `unknown`: the policies whose files do not say whom they are assigned to (no assignments, or targets not read). */
  undeclared?: PolicyFacts[];
}

/**
 * Whether any of these compliance policies (the platform's, already those that do not exclude the users and whose
 * devices they can enroll: `TenantModel.compliancePolicies(platform, userGroups)`) reaches a user in `userGroups`
 * (the manifest groups the user is in, or the sample's group; a user in none of the groups: `[]`).
 */
export function complianceReach(policies: readonly PolicyFacts[], userGroups: readonly string[], directory: GroupDirectory): ComplianceReach {
  const reads = policies.map((p) => readTargets(p, directory));
  const assignedTo = [...new Set(reads.flatMap((t) => t.groups))];
  const holds = (outer: string): boolean => userGroups.some((g) => outer === g || directory.closure(outer).groups.has(g));
  if (reads.some((t) => t.all || t.groups.some(holds))) return { state: 'reached', policies, assignedTo };
  if (!policies.length) return { state: 'unreached', policies, assignedTo };
  // A file with no assignments, or assigned only through Graph targets of a type not read here: whom it reaches is unknown.
  const undeclared = policies.filter((p, i) => assignmentDeclaration(p) === 'undeclared' || !reads[i]!.groups.length);
  const open = assignedTo.filter((g) => directory.unlisted(g).length > 0);
  if (undeclared.length || open.length) return { state: 'unknown', policies, assignedTo, ...(open.length ? { open } : {}), ...(undeclared.length ? { undeclared } : {}) };
  return { state: 'unreached', policies, assignedTo };
}

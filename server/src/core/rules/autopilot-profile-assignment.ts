import { strings } from '../document';
import type { PolicyFacts } from '../facts';
import { modelOf } from '../model/index';
import { assignedToNobody } from '../model/targets';
import { policiesOfKind } from '../reads';
import type { Rule } from '../rule';
import { assignmentSpan, policySpan } from '../tenant-query';
import type { Span } from '../types';

const PROFILES = 'https://learn.microsoft.com/autopilot/profiles';

/**
 * Where a finding about one of a profile's targets goes: that entry of our `include` or `exclude` list (found by the
 * manifest name the model gives it, `allUsers` as written), else our `assignments` key, or Graph's `assignments` list.
 */
function targetSpan(p: PolicyFacts, list: 'include' | 'exclude', target: string, nameOf: (ref: string) => string): Span {
  const ours = p.raw ? undefined : p.value?.assignments;
  if (ours && typeof ours === 'object' && !Array.isArray(ours)) {
    const entries = strings((ours as Record<string, unknown>)[list]);
    const i = entries.findIndex((e) => e === target || nameOf(e) === target);
    return i >= 0 ? policySpan(p, ['assignments', list, i], 'value') : policySpan(p, ['assignments'], 'key');
  }
  return policySpan(p, ['spec', 'assignments'], 'key');
}

const named = (xs: readonly string[]): string => xs.map((x) => `\`${x}\``).join(', ');

/**
 * A Windows Autopilot deployment profile assigned to nobody (its file declares its assignments and they include no one:
 * the model's `assignedToNobody`; a raw export without its assignments is unknown and stays silent), to user targets (all users, or a group the manifest shows to hold only
 * users), which reach no Autopilot device, or assigned to All devices with groups excluded, which Autopilot does not
 * support. Whom a group holds is the tenant model's reading (`autopilotAssignment`): a group the manifest does not
 * describe, or that lists no members, is of unknown kind, and nothing is said of it.
 */
export const autopilotProfileAssignment: Rule = {
  id: 'autopilot-profile-assignment',
  title: 'An Autopilot deployment profile is assigned to nobody, to users, or to All devices with exclusions',
  category: 'layer',
  layer: 2,
  defaultSeverity: 'warning',
  emitsOn: ['AutopilotProfile'],
  sources: [PROFILES],
  check(tenant, emit) {
    if (!tenant.root) return;
    const profiles = policiesOfKind(tenant, 'AutopilotProfile');
    if (!profiles.length) return;
    const model = modelOf(tenant);
    const nameOf = (ref: string): string => model.groups.nameOf(ref);
    for (const p of profiles) {
      if (!p.spec) continue;
      const label = p.name ? `\`${p.name}\`` : 'this Autopilot profile';
      if (assignedToNobody(p)) {
        emit({
          file: p,
          span: assignmentSpan(p),
          message:
            `${label} is assigned to nobody (its assignments include no group or \`allDevices\`): an Autopilot deployment profile applies to the devices of the groups it is assigned to (Learn: "After the device group is created, a … deployment profile can be applied to each device in the group"), ` +
            'so no device gets it at the out-of-box experience, and its join type, account type and privacy settings apply nowhere. ' +
            'Assign it to a device group that holds the Autopilot devices (for example a dynamic group with the rule `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`), or to All devices; delete it if nothing should use it',
        });
        continue;
      }
      const a = model.autopilotAssignment(p);
      if (a.userTargets.length) {
        const groups = a.userTargets.filter((t) => t !== 'allUsers');
        const what = [
          ...(a.userTargets.includes('allUsers') ? ['`allUsers`, a user target'] : []),
          ...(groups.length ? [`${named(groups)}, whose members the manifest lists, all of them users`] : []),
        ].join(', and ');
        emit({
          file: p,
          span: targetSpan(p, 'include', a.userTargets[0]!, nameOf),
          message:
            `${label} is assigned to ${what}: an Autopilot deployment profile applies to the devices of the groups it is assigned to (Learn: "After the device group is created, a … deployment profile can be applied to each device in the group"), ` +
            `so a user target reaches no Autopilot device, and the devices it was meant for get no profile (or another one) at the out-of-box experience. ` +
            'Assign it to a device group that holds the Autopilot devices (for example a dynamic group with the rule `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`), or to All devices',
        });
      }
      if (a.allDevicesExclusions.length) {
        const many = a.allDevicesExclusions.length > 1;
        emit({
          file: p,
          span: targetSpan(p, 'exclude', a.allDevicesExclusions[0]!, nameOf),
          message:
            `${label} is assigned to All devices and excludes ${named(a.allDevicesExclusions)}: Autopilot does not support exclusions with All devices (Learn: "When the assignment All Devices is used, exclusions aren't supported", and excluding groups then "might cause assignment problems and might require uploading device hashes again"). ` +
            `Assign the profile to a device group whose rule leaves ${many ? 'those devices' : 'that group\'s devices'} out, rather than excluding ${many ? 'them' : 'it'} from All devices`,
        });
      }
    }
  },
};

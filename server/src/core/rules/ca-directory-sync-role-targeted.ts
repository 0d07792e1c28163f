import type { Rule } from '../rule';
import { applyingCaPolicies, isReportOnly, policySpan } from '../tenant-query';
import { modelOf } from '../model/index';
import { caUsers, roleId } from '../model/break-glass';
import { DIRECTORY_SYNC_ROLE, includesSyncRole, mayExcludeSyncAccount, SYNC_ACCOUNT_TEXT, syncAccountBlockedBy } from '../model/directory-sync';
import { clientAppCoverage, coversAllApps, narrowingConditions } from '../model/sign-in-scope';
import { policyLabel } from './ca-helpers';
import { grantOperator } from '../model/grants';
import { listText } from '../prose';

/** The controls the sync account cannot meet, in words. */
const CONTROL_TEXT: Record<string, string> = {
  mfa: 'MFA',
  authenticationStrength: 'an authentication strength',
  compliantDevice: 'a compliant device',
  domainJoinedDevice: 'a hybrid joined device',
  compliantApplication: 'app protection',
  passwordChange: 'a password change',
  termsOfUse: 'terms of use',
};

/**
 * An active CA policy names the Directory Synchronization Accounts role in `includeRoles` (a policy for "every
 * administrator role" often lists it) and asks it for what the Microsoft Entra Connect Sync account cannot give (MFA,
 * an authentication strength, a managed device) or blocks it, on every resource and sign-in it makes: directory
 * synchronization stops once the policy is enforced. Silent where the policy leaves the sync account's sign-ins open
 * (some resources, some locations or platforms, browsers only, a risk level: Microsoft's own pattern restricts the
 * sync account by location), and where it excludes, besides the break-glass accounts, an account that may be the sync
 * account or a group that may hold it (`mayExcludeSyncAccount`: unknown, not false; a group whose members zerotrust.yaml
 * lists holds it only if it lists it, the reading `setting-conflict` gives an excluded group). A policy for All users
 * is not read so: nearly every tenant has one,
 * and whether the sync account is excluded by a group the files do not list, or signs in with application-based
 * authentication, is not in the files.
 */
export const caDirectorySyncRoleTargeted: Rule = {
  id: 'ca-directory-sync-role-targeted',
  title: 'A Conditional Access policy asks the directory synchronization account for MFA or a device, or blocks it',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-admin#user-exclusions',
    'https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference#directory-synchronization-accounts',
  ],
  peers: ['MT.1020'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.manifest) return;
    const model = modelOf(tenant);
    for (const p of applyingCaPolicies(tenant)) {
      if (!includesSyncRole(p)) continue;
      const blocked = syncAccountBlockedBy(p);
      if (!blocked.length) continue;
      // Some of its sign-ins left open (another resource, location, platform, risk level; browsers only): the policy
      // may be Microsoft's "restrict the sync account to trusted networks", or not reach the sync at all.
      if (!coversAllApps(p) || narrowingConditions(p).length || !clientAppCoverage(p).apps) continue;
      // The sync account may be among the other users or groups it excludes: unknown, not false. A group whose members
      // zerotrust.yaml lists, none of them the sync account, does not take it out (`mayExcludeSyncAccount`, the reading
      // of listed members `setting-conflict` gives an excluded group too).
      const others = model.breakGlass.otherExclusions(p);
      if (mayExcludeSyncAccount(others, model.groups, (u) => model.breakGlass.isAccount(u))) continue;
      const besides = [
        ...(others.groups.length ? [`${listText(others.groups.map((g) => `\`${g}\``))}, whose members zerotrust.yaml lists without the sync account`] : []),
        ...(others.users.length ? [`${listText(others.users.map((u) => `\`${u}\``))}, named as a person, not a service account, is`] : []),
      ];
      const index = caUsers(p).includeRoles.findIndex((r) => roleId(r) === DIRECTORY_SYNC_ROLE);
      const what = blocked[0] === 'block' ? 'blocks it' : `requires ${listText(blocked.map((c) => CONTROL_TEXT[c] ?? `\`${c}\``), grantOperator(p) === 'AND' ? 'and' : 'or')} of it`;
      emit({
        file: p,
        span: policySpan(p, ['spec', 'conditions', 'users', 'includeRoles', index], 'value'),
        lowered: isReportOnly(p),
        message:
          `${policyLabel(p)} includes the Directory Synchronization Accounts role and ${what} on every resource${isReportOnly(p) ? ' (report-only now)' : ''}: ${SYNC_ACCOUNT_TEXT}, so directory synchronization stops once the policy is enforced` +
          (besides.length ? ` (it excludes ${listText(besides)}: if the sync account is in a group, list it in the group's \`members\`)` : '') +
          '. ' +
          'Remove the role from `includeRoles` (or add it to `excludeRoles`), and restrict the sync account to the sync server\'s location in a policy of its own; silent once Microsoft Entra Connect Sync signs in with application-based authentication, which the files do not show',
        data: { policy: p.name ?? '' },
      });
    }
  },
};

/**
 * The Microsoft Entra Connect Sync account: the one holder of the Directory Synchronization Accounts role ("automatically
 * assigned to the Microsoft Entra Connect service, and is not intended or supported for any other use",
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference#directory-synchronization-accounts).
 * It signs in from the sync server, non-interactively: it cannot perform MFA, nor present a compliant, hybrid joined
 * or app-protected device, so a Conditional Access policy that asks it for any of them stops directory
 * synchronization for the whole tenant. Learn's recommended exclusions name it ("Service accounts and service
 * principals, such as the Microsoft Entra Connect Sync Account",
 * https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-admin#user-exclusions), and
 * Maester checks it (`Test-MtCaExclusionForDirectorySyncAccount`). The rule `ca-directory-sync-role-targeted` and
 * What If (`--role "Directory Synchronization Accounts"`) read this one answer.
 */
import type { PolicyFacts } from '../facts';
import { caUsers, roleId } from './break-glass';
import type { GroupDirectory } from './groups';
import { grantControlNames, grantOperator } from './grants';

/** The Directory Synchronization Accounts role's template id. */
export const DIRECTORY_SYNC_ROLE = 'd29b2b05-8046-44ba-8758-1e26182fcf32';

/** The grant controls the sync account cannot meet: every one that asks a person or a managed device something. */
const SYNC_CANNOT_MEET = ['mfa', 'authenticationStrength', 'compliantDevice', 'domainJoinedDevice', 'compliantApplication', 'passwordChange', 'termsOfUse'];

/** Why the sync account cannot meet a control, in words every reader uses. */
export const SYNC_ACCOUNT_TEXT =
  'the Directory Synchronization Accounts role is held by the Microsoft Entra Connect Sync account, which signs in non-interactively from the sync server and cannot perform MFA or present a compliant, hybrid joined or app-protected device';

/** Whether the sync account can meet one control of a grant. */
export function syncAccountCanMeet(control: string): boolean {
  return !SYNC_CANNOT_MEET.includes(control);
}

/**
 * The controls of a policy's grant that keep the sync account out: a block, or, under AND, each control it cannot
 * meet, and under OR, all of them when none is one it can (empty: it gets in, or the policy asks nothing).
 */
export function syncAccountBlockedBy(p: PolicyFacts): string[] {
  const controls = grantControlNames(p);
  if (controls.includes('block')) return ['block'];
  const cannot = controls.filter((c) => !syncAccountCanMeet(c));
  if (grantOperator(p) === 'AND') return cannot;
  return cannot.length === controls.length ? cannot : [];
}

/** Whether a CA policy names the Directory Synchronization Accounts role in `includeRoles` and not in `excludeRoles`. */
export function includesSyncRole(p: PolicyFacts): boolean {
  const u = caUsers(p);
  return u.includeRoles.some((r) => roleId(r) === DIRECTORY_SYNC_ROLE) && !u.excludeRoles.some((r) => roleId(r) === DIRECTORY_SYNC_ROLE);
}

/**
 * Whether an account may be the Microsoft Entra Connect Sync account: a reference that is no user principal name (an
 * object id, as a raw export writes `excludeUsers`: whose it is, the files do not say), or a user principal name that is
 * no declared break-glass account's (`isBreakGlass`) and whose name says it is a service's: Connect names the account it
 * creates `Sync_<server>_<id>@<tenant>.onmicrosoft.com`, and `Add-ADSyncAADServiceAccount -Name` takes any name, which
 * an admin gives to say what the account is (`svc-adsync`, `aadconnect`, `aadc-svc`, `svc-entra-connect`: review r27,
 * t07b, t07c, t07i). A person's name (`adm-jdoe`) is not one.
 * Source: https://learn.microsoft.com/entra/identity/hybrid/connect/reference-connect-adsync#add-adsyncaadserviceaccount
 */
export function mayBeSyncAccount(user: string, isBreakGlass: (user: string) => boolean): boolean {
  if (isBreakGlass(user)) return false;
  const at = user.indexOf('@');
  return at < 0 || SERVICE_NAME.test(user.slice(0, at));
}

/** Words by which an account's name says it is a directory synchronization service's. */
const SERVICE_NAME = /sync|connect|aadc|adc|svc|service/i;

/**
 * Whether the users and groups a policy excludes besides the break-glass accounts (`BreakGlass.otherExclusions`) may
 * take the sync account out: an excluded account that may be it (`mayBeSyncAccount`), or a group that may hold one
 * (`GroupDirectory.mayHold`: a group whose members the manifest does not list may hold anyone; one that lists them
 * holds only those, the reading `setting-conflict` gives an excluded group too).
 */
export function mayExcludeSyncAccount(others: { groups: readonly string[]; users: readonly string[] }, directory: GroupDirectory, isBreakGlass: (user: string) => boolean): boolean {
  const may = (user: string): boolean => mayBeSyncAccount(user, isBreakGlass);
  return others.users.some(may) || others.groups.some((g) => directory.mayHold(g, may));
}

/**
 * Whether a CA policy reaches every emergency access account whatever they are: it includes All users and excludes
 * no user, group or role (Graph's `GuestsOrExternalUsers` keyword aside, as an emergency access account is a member of
 * the tenant; and the Directory Synchronization Accounts role aside, which only the Microsoft Entra Connect Sync account
 * holds). Known with or without `breakGlass` declared, since no exclusion could be theirs. Learn, "Manage emergency
 * access accounts": exclude them from every Conditional Access policy
 * (https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access).
 */
export function excludesNoOne(p: PolicyFacts): boolean {
  const u = caUsers(p);
  if (!u.includeUsers.includes('All')) return false;
  return !u.excludeGroups.length && u.excludeRoles.every((r) => roleId(r) === DIRECTORY_SYNC_ROLE) && u.excludeUsers.every((x) => x === 'GuestsOrExternalUsers');
}

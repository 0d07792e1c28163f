/**
 * Who the break-glass (emergency access) accounts are, and whether a Conditional Access policy reaches them and
 * excludes them. They are the manifest's `breakGlass` users and groups, with nested membership followed, and hold
 * the directory roles in `breakGlass.roles` (Global Administrator when not said: Microsoft's "Manage emergency
 * access accounts" gives them that role).
 */
import { appliesToNoSignIn } from './sign-in-scope';
import type { ManifestFacts, PolicyFacts } from '../facts';
import { isPlainObject, strings } from '../document';
import { GUID, type GroupDirectory } from './groups';
import { builtInRoleId, DIRECTORY_ROLES } from '../directory-roles';
import { isTemplateVariable } from '../schema/issue';
import { usersKeywordAsGroup } from '../schema/graph-constraints';

/** Built-in directory roles by name → template id (CA enforces built-in roles only). */
export const ROLE_NAMES: Record<string, string> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Security Administrator': '194ae4cb-b126-40b2-bd5b-6091b380977d',
  'SharePoint Administrator': 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  'Exchange Administrator': '29232cdf-9323-42fd-ade2-1d097af3e4de',
  'Conditional Access Administrator': 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  'Billing Administrator': 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Authentication Administrator': 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
  'Password Administrator': '966707d0-3269-4727-9be2-8c3a10f19b9d',
  'Privileged Authentication Administrator': '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Intune Administrator': '3a2c62db-5318-420d-8d74-23affee5d9d5',
  'Teams Administrator': '69091246-20e8-4a56-aa4d-066075b2a7a8',
  'Hybrid Identity Administrator': '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
  'Authentication Policy Administrator': '0526716b-113d-4c15-b2c8-68e3c22b9f80',
  'Cloud Device Administrator': '7698a772-787b-4ac8-901f-60d6b08affd2',
  'Groups Administrator': 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  'Compliance Administrator': '17315797-102d-40b4-93e0-432062caca18',
  'Security Operator': '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  'Security Reader': '5d6b6bb7-de71-4623-b4af-96380a352509',
  'Global Reader': 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'Directory Synchronization Accounts': 'd29b2b05-8046-44ba-8758-1e26182fcf32',
};

/** Every built-in directory role by name (`data/directory-roles.json`, from Learn's list), for names and labels. */
const ALL_ROLES = DIRECTORY_ROLES;

/** A role's template id (lower case) from its name or id. */
export function roleId(value: string): string {
  return builtInRoleId(value) ?? value.trim().toLowerCase();
}

/** A role's name when it is a built-in role (the name ROLE_NAMES uses, where it has one), else the id. */
export function roleLabel(id: string): string {
  const key = id.toLowerCase();
  return Object.entries(ROLE_NAMES).find(([, v]) => v === key)?.[0] ?? ALL_ROLES.find(([, v]) => v === key)?.[0] ?? id;
}

/** The users condition of a CA policy. */
export interface CaUsers {
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
  readonly includeRoles: readonly string[];
  readonly excludeRoles: readonly string[];
}

/** Each policy's users condition, read once: a dozen rules ask for it, after every edit, of every CA policy. */
const USERS = new WeakMap<PolicyFacts, CaUsers>();

export function caUsers(p: PolicyFacts): CaUsers {
  let users = USERS.get(p);
  if (users) return users;
  const c = isPlainObject(p.spec?.conditions) ? p.spec.conditions : undefined;
  const u = isPlainObject(c?.users) ? c.users : undefined;
  users = {
    includeUsers: strings(u?.includeUsers),
    excludeUsers: strings(u?.excludeUsers),
    includeGroups: strings(u?.includeGroups),
    excludeGroups: strings(u?.excludeGroups),
    includeRoles: strings(u?.includeRoles),
    excludeRoles: strings(u?.excludeRoles),
  };
  USERS.set(p, users);
  return users;
}

/** What the break-glass fix adds: the break-glass groups and users the policy does not exclude. */
export interface BreakGlassGap {
  groups: string[];
  users: string[];
  /**
   * Users the policy excludes by object id that the manifest cannot name (Graph writes every user as an id): they may
   * be the break-glass accounts, so those are not said to be missing.
   */
  unnamedIds?: string[];
  /**
   * Break-glass groups the policy excludes whose members the manifest does not list (or that nest a group listing
   * none): who is in them is unknown, so the accounts in `users`, and the listed members for which the groups in
   * `doubtfulGroups` are missing, may be among them. Whether the policy excludes those accounts is unknown, not
   * missing (`gapIsCertain`): list the group's `members` in the manifest, or exclude the accounts in `excludeUsers`.
   */
  mayBeIn?: string[];
  /** Of `groups`, those missing only for listed members that may be in a group of `mayBeIn`. */
  doubtfulGroups?: string[];
}

/**
 * Whether a gap is certain: a break-glass group missing for a member the policy certainly does not exclude (one that
 * lists no members and is not excluded, or one whose listed members may be in no excluded group), or an account
 * missing where no excluded break-glass group may hold it. A gap that is only "may be" (`mayBeIn`) is not.
 */
export function gapIsCertain(gap: BreakGlassGap): boolean {
  if (gap.groups.some((g) => !gap.doubtfulGroups?.includes(g))) return true;
  return gap.users.length > 0 && !gap.mayBeIn?.length;
}

/**
 * What is certain of the break-glass accounts while the manifest does not declare them: "`X` and `Y` exclude no user,
 * group or role an emergency access account could be in, so they would reach every one" (the model's
 * `reachingEveryAccount`; the Directory Synchronization Accounts role, which only the Entra Connect Sync account holds,
 * aside), or undefined when no enabled policy does. The undeclared fact's note and the lockout check say it alike.
 */
export function reachingEveryAccountText(policies: readonly PolicyFacts[]): string | undefined {
  if (!policies.length) return undefined;
  const names = [...new Set(policies.map((p) => `\`${p.name ?? p.path.replace(/^.*[\\/]/, '')}\``))];
  const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0]!;
  return names.length > 1 ? `${list} exclude no user, group or role an emergency access account could be in, so they would reach every one` : `${list} excludes no user, group or role an emergency access account could be in, so it would reach every one`;
}

export class BreakGlass {
  /** Whether the manifest declares break-glass accounts at all. */
  readonly declared: boolean;
  readonly users: string[];
  /** Break-glass groups, as manifest names where they resolve. */
  readonly groups: string[];
  /** Role template ids (lower case) the accounts hold. */
  readonly roles: string[];
  /** Whether `roles` was written in the manifest (else the Global Administrator default). */
  readonly rolesDeclared: boolean;

  constructor(
    manifest: ManifestFacts | undefined,
    private readonly directory: GroupDirectory,
  ) {
    const bg = isPlainObject(manifest?.value?.breakGlass) ? manifest.value.breakGlass : undefined;
    this.users = manifest?.breakGlass.users ?? [];
    this.groups = (manifest?.breakGlass.groups ?? []).map((g) => directory.nameOf(g));
    this.declared = this.users.length > 0 || this.groups.length > 0;
    this.rolesDeclared = Array.isArray(bg?.roles);
    this.roles = (this.rolesDeclared ? strings(bg?.roles) : ['Global Administrator']).map(roleId);
  }

  /**
   * The accounts of `users`, each with the identifiers that name it. The list may give each account's object id beside
   * its name (a raw export excludes users by id, our files by name), the n-th id being the n-th name's account, as the
   * rule's documentation says (`[bg1@…, bg2@…, <id of bg1>, <id of bg2>]`). Ids listed for only the first names pair
   * with those names, in order: `[bg1@…, bg2@…, <id of bg1>]` is two accounts, bg1 known by its id too and bg2 by name
   * only (an id the policy excludes that the list does not hold may be bg2's). An id is an account of its own only where
   * the documentation lists accounts by id "instead of their names": a list of ids alone, or an id beyond the names'
   * count (every name already has its id).
   */
  accounts(): { name: string; ids: string[] }[] {
    const ids = this.users.filter((x) => GUID.test(x));
    const names = this.users.filter((x) => !GUID.test(x));
    return [...names.map((name, i) => ({ name, ids: i < ids.length ? [ids[i]!] : [] })), ...ids.slice(names.length).map((name) => ({ name, ids: [] }))];
  }

  /** Other identifiers of a break-glass account (its paired id, or its paired name), lower case; none for anyone else. */
  aliasesOf(user: string): string[] {
    const key = user.toLowerCase();
    for (const a of this.accounts()) {
      const all = [a.name, ...a.ids].map((x) => x.toLowerCase());
      if (all.includes(key)) return all.filter((x) => x !== key);
    }
    return [];
  }

  /** Every break-glass user principal name (lower case): the listed users and the known members of the groups. */
  allUsers(): string[] {
    const out = new Set(this.users.map((u) => u.toLowerCase()));
    for (const g of this.groups) for (const u of this.directory.closure(g).users) out.add(u);
    return [...out];
  }

  /**
   * Whom a CA policy excludes besides the break-glass accounts: the groups (as manifest names where they resolve) that
   * are not break-glass groups, and the users that are neither a break-glass account nor one's paired id. Read by
   * `legacy-auth-not-blocked` (an allowlist does not block legacy clients for All users) and the lockout check.
   */
  otherExclusions(p: PolicyFacts): { groups: string[]; users: string[] } {
    const u = caUsers(p);
    const accounts = new Set(this.allUsers());
    return {
      groups: u.excludeGroups.map((g) => this.directory.nameOf(g)).filter((g) => !this.groups.includes(g)),
      users: u.excludeUsers.filter((x) => !accounts.has(x.toLowerCase()) && !this.aliasesOf(x).length),
    };
  }

  /**
   * The groups a policy excludes, besides the break-glass groups, that may hold the holders of a directory role: the
   * manifest says who holds a role only for the break-glass accounts (`breakGlass.roles`), so whether an admin is in an
   * excluded group is unknown, not "no", for every group that may hold a user other than a break-glass account
   * (`groups`' `mayHold`: a group listing no members may hold anyone; one listing members may hold whichever of them holds
   * the role; one whose listed members are all break-glass accounts holds no other admin). The lockout check reads a
   * block of All users that excludes such a group as "may lock the role's holders out unless they are in it", never as a
   * certain lockout (Microsoft's persona framework blocks every account in no persona group on purpose, the admins being
   * in the admins' persona group: https://learn.microsoft.com/azure/architecture/guide/security/conditional-access-framework).
   */
  roleHolderExclusions(p: PolicyFacts): string[] {
    // A users keyword written as a group (which Graph refuses) names no group anyone is in. A template's variable names
    // the group it is filled in with, which may hold them (it lists no members): unknown, never "in none of them".
    return this.otherExclusions(p).groups.filter((g) => g.trim() && !(usersKeywordAsGroup(g) && !this.directory.resolve(g)) && this.mayHoldRoleHolders(g));
  }

  /**
   * Whether a group may hold a holder of a directory role who is no break-glass account: the manifest says who holds a
   * role only for the break-glass accounts (`breakGlass.roles`), so any user a group may hold but a break-glass account
   * may hold one (`groups`' `mayHold`: a group listing no members may hold anyone; one listing members, whichever of them
   * holds the role; one listing only break-glass accounts, no other admin). The one answer to "may this group hold the
   * role's holders": the exclusions a block lets them through (`roleHolderExclusions`) and the groups a compliance or app
   * protection policy is assigned to (`TenantModel.complianceReach`, `appProtectionReach` for a role holder) read it.
   */
  mayHoldRoleHolders(group: string): boolean {
    const accounts = new Set(this.allUsers());
    return this.directory.mayHold(group, (u) => !accounts.has(u));
  }

  /**
   * Whether someone is a break-glass account: a listed account (by name or its paired id), a known member of a
   * break-glass group, or a member of one of `groups` (manifest names: the groups a What If scenario puts them in).
   * What If gives such an account the roles the accounts hold, as the lockout check does.
   */
  isAccount(user: string | undefined, groups: readonly string[] = []): boolean {
    if (user && (this.allUsers().includes(user.toLowerCase()) || this.aliasesOf(user).length > 0)) return true;
    return groups.some((g) => this.groups.includes(g));
  }

  /**
   * The object ids a policy excludes that may be this break-glass account's: the rule's own reading
   * (`missingExclusions`: ids the manifest's `breakGlass.users` does not list, as many as the accounts it leaves
   * unexcluded, leave it unknown whether the accounts are excluded, and the rule says nothing). The account is one
   * `breakGlass.users` lists or a known member of a break-glass group (declared through `breakGlass.groups`, its id
   * not listed): the same "may be" in both shapes. Empty when the account is excluded, certainly not, or is neither. What If and the lockout check read a policy that may exclude
   * the account this way as "may apply", never as a certain block: list each account's object id beside its name in
   * `breakGlass.users` to decide it.
   */
  mayBeExcludedById(p: PolicyFacts, user: string): string[] {
    const key = user.toLowerCase();
    const listed = this.accounts().find((a) => [a.name, ...a.ids].some((x) => x.toLowerCase() === key));
    // A known member of a break-glass group is an account too (declared through `breakGlass.groups`, no id listed).
    const member = !listed && this.groups.some((g) => this.directory.closure(g).users.has(key));
    if (!listed && !member) return [];
    const gap = this.missingExclusions(p);
    if (!gap.unnamedIds?.length) return [];
    if (listed && gap.users.includes(listed.name)) return [];
    const excluded = new Set(caUsers(p).excludeUsers.map((x) => x.toLowerCase()));
    const excludedGroups = new Set<string>();
    for (const ref of caUsers(p).excludeGroups) {
      const c = this.directory.closure(ref);
      c.users.forEach((x) => excluded.add(x));
      c.groups.forEach((x) => excludedGroups.add(x));
    }
    // A member of a group the rule still reports missing for its members (`groups`: more of them than unlisted ids) is
    // certainly not excluded, as a listed user the rule reports is not.
    const listsAll = (g: string): boolean => this.directory.unlisted(g).every((x) => excludedGroups.has(x));
    if (member && gap.groups.some((g) => this.directory.closure(g).users.has(key) && listsAll(g))) return [];
    if ([user, ...(listed ? [listed.name, ...listed.ids] : []), ...this.aliasesOf(user)].some((x) => excluded.has(x.toLowerCase()))) return [];
    return gap.unnamedIds;
  }

  /**
   * The break-glass groups a policy excludes that may hold this break-glass account: they list no members (or nest a
   * group listing none), so who is in them is unknown (the rule's reading, `missingExclusions`'s `mayBeIn`: it reports
   * the account as "may be" missing, never as certainly missing). The account is one `breakGlass.users` lists, or a
   * listed member of a break-glass group the policy misses only for members (`doubtfulGroups`). Empty when the policy
   * excludes the account for certain, certainly does not (no such group), or it is no account. What If and the lockout
   * check read a policy that may exclude the account this way as "may apply", never as a certain block: list the
   * group's `members` in the manifest, or exclude the account in `excludeUsers`, to decide it.
   */
  mayBeExcludedByGroup(p: PolicyFacts, user: string): string[] {
    const key = user.toLowerCase();
    const gap = this.missingExclusions(p);
    if (!gap.mayBeIn?.length) return [];
    const listed = this.accounts().find((a) => [a.name, ...a.ids].some((x) => x.toLowerCase() === key));
    if (listed) return gap.users.includes(listed.name) ? gap.mayBeIn : [];
    const u = caUsers(p);
    const excluded = new Set(u.excludeUsers.map((x) => x.toLowerCase()));
    for (const ref of u.excludeGroups) this.directory.closure(ref).users.forEach((x) => excluded.add(x));
    if ([user, ...this.aliasesOf(user)].some((x) => excluded.has(x.toLowerCase()))) return [];
    return (gap.doubtfulGroups ?? []).some((g) => this.directory.closure(g).users.has(key)) ? gap.mayBeIn : [];
  }

  /** Whether a group (name or id) holds break-glass accounts: it is, or nests, a break-glass group or user. */
  groupHolds(ref: string): boolean {
    const c = this.directory.closure(ref);
    if (this.groups.some((g) => c.groups.has(g))) return true;
    return this.users.some((u) => c.users.has(u.toLowerCase()));
  }

  /**
   * Whether an included group brings in a break-glass account (or a break-glass group) that the policy's exclusions
   * do not take out again: a group holding one only through a subgroup the policy excludes reaches none of them.
   */
  private reachesThrough(ref: string, p: PolicyFacts): boolean {
    const u = caUsers(p);
    if (u.excludeRoles.some((r) => this.roles.includes(roleId(r)))) return false;
    const excludedGroups = new Set<string>();
    const excludedUsers = new Set(u.excludeUsers.flatMap((x) => [x.toLowerCase(), ...this.aliasesOf(x)]));
    for (const g of u.excludeGroups) {
      const c = this.directory.closure(g);
      c.groups.forEach((x) => excludedGroups.add(x));
      c.users.forEach((x) => excludedUsers.add(x));
    }
    const c = this.directory.closure(ref);
    // A break-glass group nested in it and not excluded: its members are in (whoever they are).
    if (this.groups.some((g) => c.groups.has(g) && !excludedGroups.has(g))) return true;
    const accounts = new Set(this.allUsers());
    return [...c.users].some((x) => accounts.has(x) && !excludedUsers.has(x) && !this.aliasesOf(x).some((a) => excludedUsers.has(a)));
  }

  /**
   * The template's variables (`%breakglassgroupid%`, filled in per tenant by CIPP) among a policy's exclusions: in its
   * groups one may be the break-glass group, in its users any of the accounts. The rule and the lockout check read such
   * an exclusion as unknown, never as missing, and the lockout check names them.
   */
  variableExclusions(p: PolicyFacts): { groups: string[]; users: string[] } {
    const u = caUsers(p);
    // A group the manifest declares (`__SERVICE_ACCOUNTS__` with an id) is a group, whatever its name looks like; a
    // declared break-glass account is that account.
    const accounts = new Set(this.allUsers());
    return {
      groups: u.excludeGroups.filter((g) => this.directory.isTemplateVariable(g)),
      users: u.excludeUsers.filter((x) => isTemplateVariable(x) && !accounts.has(x.toLowerCase())),
    };
  }

  /** Why a CA policy reaches the break-glass accounts, or undefined when it does not. */
  reason(p: PolicyFacts): string | undefined {
    if (!this.declared) return undefined;
    // A policy that applies to no sign-in (its target resources are `None`, say) locks no one out.
    if (appliesToNoSignIn(p)) return undefined;
    const u = caUsers(p);
    if (u.includeUsers.includes('All')) return 'targets All users';
    const bgUsers = this.allUsers();
    const direct = u.includeUsers.find((x) => bgUsers.includes(x.toLowerCase()));
    if (direct) return `includes the break-glass user \`${direct}\``;
    for (const ref of u.includeGroups) {
      const name = this.directory.nameOf(ref);
      if (this.groupHolds(ref) && this.reachesThrough(ref, p)) return `includes \`${name}\`, which holds break-glass accounts`;
    }
    const role = u.includeRoles.find((r) => this.roles.includes(roleId(r)));
    if (role) return `includes the directory role ${roleLabel(roleId(role))}, which the break-glass accounts hold${this.rolesDeclared ? '' : ' (emergency access accounts are Global Administrators unless `breakGlass.roles` says otherwise)'}`;
    return undefined;
  }

  /**
   * The break-glass groups and users a policy does not exclude. An excluded group counts with its nested members,
   * and excluding a role the accounts hold excludes them all.
   */
  missingExclusions(p: PolicyFacts): BreakGlassGap {
    const u = caUsers(p);
    if (u.excludeRoles.some((r) => this.roles.includes(roleId(r)))) return { groups: [], users: [] };
    // A template's variable (`%breakglassgroupid%`, filled in per tenant by CIPP) may be the break-glass group, which
    // may hold the users: unknown, not missing. One among the users may be any of them.
    const variables = this.variableExclusions(p);
    if (variables.groups.length) return { groups: [], users: [] };
    const userVariable = variables.users.length > 0;
    const excludedGroups = new Set<string>();
    const excludedUsers = new Set(u.excludeUsers.map((x) => x.toLowerCase()));
    for (const ref of u.excludeGroups) {
      const c = this.directory.closure(ref);
      c.groups.forEach((g) => excludedGroups.add(g));
      c.users.forEach((x) => excludedUsers.add(x));
    }
    // A break-glass group is excluded as a group, or, when the manifest lists its members (and those of every group
    // nested in it), by excluding every one of them (a role-assignable exclusion group cannot nest groups, so it lists
    // the accounts themselves): the lockout check signs in as those members, and finds them excluded too.
    const excluded = (x: string): boolean => excludedUsers.has(x) || this.aliasesOf(x).some((a) => excludedUsers.has(a));
    // A group in it that lists nobody (it, or one nested) may hold anyone, unless the policy excludes that group too.
    const unlisted = (g: string): boolean => this.directory.unlisted(g).some((x) => !excludedGroups.has(x));
    const notExcluded = (g: string): string[] => [...this.directory.closure(g).users].filter((x) => !excluded(x));
    const groups = this.groups.filter((g) => !excludedGroups.has(g) && (unlisted(g) || notExcluded(g).length > 0));
    // A user is excluded directly (by name, or by the object id listed beside it), or as a known member of an
    // excluded group.
    const accounts = this.accounts();
    const users = userVariable ? [] : accounts.filter((a) => ![a.name, ...a.ids].some((x) => excludedUsers.has(x.toLowerCase()))).map((a) => a.name);
    // Object ids the manifest's break-glass users do not list may be theirs: as many as are missing leaves it unknown.
    // Not once every missing account has its own id listed: another id is then someone else's. The accounts in
    // question are the users not excluded and the known members a break-glass group misses only for (a group that
    // lists everyone in it): an account declared through `breakGlass.groups` is an account as much as one in
    // `breakGlass.users`, and the id may be its own just the same.
    const byMembers = groups.filter((g) => !unlisted(g));
    const members = [...new Set(byMembers.flatMap(notExcluded))].filter((x) => !users.some((n) => n.toLowerCase() === x));
    const inDoubt = [...users, ...members];
    const listed = new Set(this.users.map((x) => x.toLowerCase()));
    const unnamedIds = u.excludeUsers.filter((x) => GUID.test(x) && !listed.has(x.toLowerCase()));
    const idKnown = (name: string): boolean => GUID.test(name) || (accounts.find((a) => a.name.toLowerCase() === name.toLowerCase())?.ids.length ?? 0) > 0;
    const gap: BreakGlassGap =
      !inDoubt.length || !unnamedIds.length || inDoubt.every(idKnown)
        ? { groups, users }
        : unnamedIds.length < inDoubt.length
          ? { groups, users, unnamedIds }
          : { groups: groups.filter((g) => !byMembers.includes(g)), users: [], unnamedIds };
    // A break-glass group the policy excludes that lists no members (or nests one listing none) may hold any account:
    // a user not excluded by name, and a listed member of another group, may be in it, so whether the policy excludes
    // them is unknown (the group's doc: "who is in it is unknown"), never a certain gap. A group whose members are all
    // listed decides it: an account it does not list is not in it.
    // (A group nested in a break-glass group counts too: excluding it excludes whoever of the accounts is in it.)
    const inBreakGlass = new Set(this.groups.flatMap((g) => [...this.directory.closure(g).groups]));
    const mayBeIn = [...inBreakGlass].filter((g) => excludedGroups.has(g) && this.directory.unlisted(g).length > 0 && !this.groups.some((b) => b !== g && excludedGroups.has(b) && this.directory.holds(b, g)));
    const doubtfulGroups = gap.groups.filter((g) => byMembers.includes(g));
    if (mayBeIn.length && (gap.users.length || doubtfulGroups.length)) {
      gap.mayBeIn = mayBeIn;
      if (doubtfulGroups.length) gap.doubtfulGroups = doubtfulGroups;
    }
    return gap;
  }
}

/**
 * Groups as the manifest declares them: resolving a name or GUID to the manifest's name, and nested membership.
 * Group `members` may list user principal names and other manifest groups; CA and Intune apply to nested groups,
 * so "who is in this group" is the transitive closure.
 *
 * Who is in a group is read one way, here (`unlisted`, `mayHold`, `mayHoldMemberOf`): a group that lists its
 * `members` holds those and no one else (nested groups followed), and one that lists none, or nests one that lists
 * none, may hold anyone. Every reader asks these, whatever its question ("may this exclusion hold them", "may this
 * group hold guests", "may a compliance policy for this group reach them", "do two assignments share a device"),
 * never the `members` list with a reading of its own. Where to list a member is where to say so.
 */
import { policyFacts, type ManifestFacts, type PolicyFacts } from '../facts';
import { isTemplateVariable } from '../schema/issue';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The manifest group a reference (a group name, or a GUID matching a group's `id`) names, by its name. */
export function resolveGroup(manifest: ManifestFacts, value: string): string | undefined {
  const byName = manifest.groups.find((g) => g.name === value);
  if (byName) return byName.name;
  if (GUID.test(value)) return manifest.groups.find((g) => g.id?.toLowerCase() === value.toLowerCase())?.name;
  return undefined;
}

/**
 * A policy's facts as its tenant reads them. An `includeGroups`/`excludeGroups` entry spelling a users keyword (`All`)
 * is no group, a schema error Graph refuses (`usersKeywordAsGroup`), unless the manifest declares a group of that name:
 * there it is a group reference like any other (`ztp export` resolves it to the group's id), so the issue is dropped and
 * the reference kept, for every reader of the view (the schema rule, What If, the lockout check, `unresolved-group`).
 * The same facts when nothing changes.
 */
export function withManifestGroups(p: PolicyFacts, manifest: ManifestFacts): PolicyFacts {
  // Every policy of the tenant, after every edit: most have no such issue, and need no list made.
  if (!p.schemaIssues.some((i) => i.keywordAsGroup !== undefined)) return p;
  const declared = p.schemaIssues.filter((i) => i.keywordAsGroup !== undefined && resolveGroup(manifest, i.keywordAsGroup) !== undefined);
  if (!declared.length) return p;
  const facts = policyFacts({ ...p, schemaIssues: p.schemaIssues.filter((i) => !declared.includes(i)), groupRefs: [...p.groupRefs, ...declared.map((i) => ({ value: i.keywordAsGroup!, path: i.path, where: 'ca-users' as const }))] });
  return facts;
}

/**
 * Whether a group reference is a template's variable (`%CA504ExclGroupId%`, `__GRP_CA_EXC_ID__`, filled in per tenant
 * when the template is deployed): a reference the manifest does not declare (by name or id) and written as a
 * placeholder. A group the manifest declares is a group, whatever its name looks like (`__SERVICE_ACCOUNTS__` with an
 * id and members). Every reader asks this, never the placeholder style alone.
 */
export function isTemplateVariableGroup(manifest: ManifestFacts | undefined, ref: unknown): ref is string {
  if (typeof ref !== 'string') return false;
  if (manifest && resolveGroup(manifest, ref) !== undefined) return false;
  return isTemplateVariable(ref);
}

/** Words that name guests in a group's name or description ("grp-guests", "B2B partners", "External vendors"). */
const GUEST_WORDS = /guest|extern|b2b|partner|vendor|supplier/gi;
/** A negation before a guest word in the same clause ("All staff; no guests", "without external users", "non-guest"). */
const NEGATION = /(^|[^a-z])(no|not|non|without|excluding|except|never|nor)([^a-z]|$)/i;
/** Whether a user principal name (lower case) is a guest account's: B2B writes `#EXT#` into it. */
const isGuestAccount = (upn: string): boolean => upn.includes('#ext#');
/** Words that name administrators in a group's name ("grp-admins", "adm-accounts"): no group of guests. */
const ADMIN_WORDS = /(^|[^a-z])adm(in)?s?([^a-z]|$)|administrators?/i;

/**
 * Whether a group's name or description names it as guests: `guests` when a guest word is used without a negation
 * before it in its clause; `negated` when every guest word is negated ("no guests", "without external users"): that is
 * no evidence either way (who wrote it may be wrong, and the group may be dynamic); `none` when no guest word is used,
 * which says nothing of guests either (a description that does not mention guests does not say there are none).
 */
export function guestMention(text: string | undefined): 'guests' | 'negated' | 'none' {
  if (!text) return 'none';
  let found = false;
  for (const m of text.matchAll(GUEST_WORDS)) {
    found = true;
    const clause = text.slice(0, m.index).split(/[.;,:()!?]/).pop() ?? '';
    if (!NEGATION.test(clause)) return 'guests';
  }
  return found ? 'negated' : 'none';
}

/** What a group holds, nested groups followed: the groups below it (itself included) and the users in any of them. */
export interface Closure {
  groups: Set<string>;
  /** User principal names, lower case. */
  users: Set<string>;
}

/** The manifest's groups with their nested membership, computed once per tenant. */
export class GroupDirectory {
  private readonly closures = new Map<string, Closure>();

  /** The manifest whose groups these are (what a reading of group references depends on). */
  constructor(readonly manifest: ManifestFacts | undefined) {}

  /** The manifest name of a reference, when it names a manifest group. */
  resolve(ref: string): string | undefined {
    return this.manifest ? resolveGroup(this.manifest, ref) : undefined;
  }

  /** Whether a reference is a template's variable: undeclared and placeholder-shaped (`isTemplateVariableGroup`). */
  isTemplateVariable(ref: string): boolean {
    return isTemplateVariableGroup(this.manifest, ref);
  }

  /** The manifest name of a reference, or the reference itself when it names no manifest group. */
  nameOf(ref: string): string {
    return this.resolve(ref) ?? ref;
  }

  /** Everything a group holds, nested groups included (cycles are harmless). */
  closure(ref: string): Closure {
    const name = this.nameOf(ref);
    const cached = this.closures.get(name);
    if (cached) return cached;
    const out: Closure = { groups: new Set(), users: new Set() };
    const stack = [name];
    while (stack.length) {
      const g = stack.pop()!;
      if (out.groups.has(g)) continue;
      out.groups.add(g);
      for (const m of this.manifest?.groups.find((x) => x.name === g)?.members ?? []) {
        const nested = this.resolve(m);
        if (nested) stack.push(nested);
        else out.users.add(m.toLowerCase());
      }
    }
    this.closures.set(name, out);
    return out;
  }

  /**
   * The groups in a group (itself included, nested ones followed) that list no `members`: they may hold anyone, so who
   * is in the group is not all known. Empty when the manifest lists who is in it.
   */
  unlisted(ref: string): string[] {
    return [...this.closure(ref).groups].filter((g) => !(this.manifest?.groups.find((x) => x.name === g)?.members ?? []).length);
  }

  /**
   * Whether the manifest shows group `ref` to be a user group: it lists user principal names (members with `@`) among
   * its `members`, or holds groups that do, and nothing else: every group in it (itself included) lists its members, and
   * every member that is no group is a user principal name. The manifest has no fact for a device group (`members` list
   * users and groups, policy-format.md), so a group that lists no user is of unknown kind, never a device group; so is
   * one that also holds a group listing no members (it may be a group of devices). Intune does not
   * evaluate user-to-device group relationships: a user group excluded from an assignment to all devices removes none
   * of its users' devices (https://learn.microsoft.com/intune/intune-service/configuration/device-profile-assign#exclude-groups-from-a-policy-assignment),
   * which the assignments' reading (`readTargets`) asks here.
   */
  userGroup(ref: string): boolean {
    const users = this.closure(ref).users;
    return users.size > 0 && [...users].every((u) => u.includes('@')) && !this.unlisted(ref).length;
  }

  /**
   * Whether group `ref` may hold a user `picks` selects (a user principal name, lower case): yes where it lists one,
   * nested groups followed; yes where it, or a group nested in it, lists no `members` (it may hold anyone: `unlisted`);
   * no only where the manifest lists who is in it and none is picked. The one reading of listed members as a group's
   * whole membership for "may this exclusion hold them": the exclusions of conflicting profiles and overlapping
   * baselines (`setting-conflict`, `baseline-instances-overlap`) and the directory synchronization account's
   * (`ca-directory-sync-role-targeted`) read it, as the break-glass exclusions do (a break-glass group whose listed
   * members are all excluded is excluded), and so do whether a group holds guests (`guestGroup`) and whether a group
   * may hold a member of others (`mayHoldMemberOf`). Where to list a member is where to say so.
   */
  mayHold(ref: string, picks: (user: string) => boolean): boolean {
    if (this.unlisted(ref).length) return true;
    for (const u of this.closure(ref).users) if (picks(u)) return true;
    return false;
  }

  /**
   * Whether group `ref` may hold a user who is in every group of `groups` (a sample member of them, as `memberGroups`
   * gives; `[]`: a user in no manifest group), by `mayHold`: yes where it holds one of them; yes where it, or a group
   * nested in it, lists no `members`; else (its members all listed) only where one of its users may be in all of
   * `groups`: every group of them that lists its members lists that user too (a group listing none may hold anyone).
   * A user in no manifest group is in no group that lists its members. Whom a compliance or app protection policy
   * assigned to `ref` may reach (`policyReach`), and whether two assignments may share a device (`setting-values`),
   * read this.
   */
  mayHoldMemberOf(ref: string, groups: readonly string[]): boolean {
    if (groups.some((g) => this.holds(this.nameOf(ref), this.nameOf(g)))) return true;
    if (!groups.length) return this.unlisted(ref).length > 0;
    const listed = groups.filter((g) => !this.unlisted(g).length);
    return this.mayHold(ref, (u) => listed.every((g) => this.closure(g).users.has(u)));
  }

  /**
   * Whether every member of group `ref` is in a group `covers` accepts: `ref` itself is, or it lists its `members`, all of
   * them manifest groups, each covered so (nested groups followed). Listed members are the whole group (`mayHold`): a
   * group whose members are all groups a policy reaches (`grp-all-staff` of `grp-a` and `grp-b`) has no member it does
   * not reach. A group listing a user, or none, is covered only where `covers` accepts it. Whom a compliance or app
   * protection policy reaches (`policyReach`) and which groups a CA policy targets that the policies leave out
   * (`uncoveredTargets`) read this.
   */
  coveredBy(ref: string, covers: (group: string) => boolean, seen: ReadonlySet<string> = new Set()): boolean {
    const name = this.nameOf(ref);
    if (covers(name)) return true;
    if (seen.has(name)) return false;
    const members = this.manifest?.groups.find((x) => x.name === name)?.members ?? [];
    if (!members.length) return false;
    const inner = new Set([...seen, name]);
    return members.every((m) => {
      const nested = this.resolve(m);
      return nested !== undefined && this.coveredBy(nested, covers, inner);
    });
  }

  /**
   * Whether a group may hold guests, as a policy for a group reaches them: `guests` when it, or a group nested in it, is
   * named or described as guests (external users, B2B, partners, vendors; not "no guests", `guestMention`) or lists a
   * guest account (`#EXT#` in the user principal name): a dynamic group of guests is the common way to scope a guest
   * policy; `none` when what the group is says it holds no guest (a break-glass group, a group named for
   * administrators), or when it lists its members (and every group nested in it does) with no guest account among
   * them: listed members are the whole group (`mayHold`); `unknown` otherwise: a group the manifest does not declare,
   * or one that lists no members (a dynamic group may hold guests) whose name or description does not name guests (it
   * does not say there are none) or says "no guests" (no evidence either way). Only `#EXT#` marks a guest account: a
   * user principal name of another domain may be a member's.
   */
  guestGroup(ref: string): 'guests' | 'none' | 'unknown' {
    const name = this.resolve(ref);
    if (name === undefined) return 'unknown';
    const closure = this.closure(name);
    for (const g of closure.groups) {
      if (guestMention(g) === 'guests' || guestMention(this.manifest?.groups.find((x) => x.name === g)?.description) === 'guests') return 'guests';
    }
    if ([...closure.users].some(isGuestAccount)) return 'guests';
    if ((this.manifest?.breakGlass.groups ?? []).some((g) => this.nameOf(g) === name)) return 'none';
    if (ADMIN_WORDS.test(name)) return 'none';
    return this.mayHold(name, isGuestAccount) ? 'unknown' : 'none';
  }

  /**
   * Whether group `outer` is group `inner` or holds it through nesting (`inner` by the name `closure` gives it): the
   * one test of "this assignment's group takes in that group" the reach, exclusion and overlap questions ask.
   */
  holds(outer: string, inner: string): boolean {
    return outer === inner || this.closure(outer).groups.has(inner);
  }

  /** Whether `member` (a user principal name or a group reference) is in `group`, directly or through nesting. */
  contains(group: string, member: string): boolean {
    const c = this.closure(group);
    const asGroup = this.resolve(member);
    return asGroup ? c.groups.has(asGroup) : c.users.has(member.toLowerCase());
  }

  /** The manifest groups a user or group is in, directly or through nesting (a group is in itself). */
  groupsOf(member: string): string[] {
    const out: string[] = [];
    for (const g of this.manifest?.groups ?? []) if (this.contains(g.name, member)) out.push(g.name);
    return out;
  }

  /**
   * The groups a member of group `ref` is in: the group (by its manifest name, or the reference when the manifest does
   * not declare it) and every manifest group that holds it through nesting. What If and the lockout check sign
   * `sample@<group>` in with these groups, and whatever asks about "a member of the group" (the grant evaluator, the
   * enrollment restriction that applies to them) asks with these, never with the group alone: a restriction assigned to
   * a group that holds it applies to its members too.
   */
  memberGroups(ref: string): string[] {
    return [...new Set([this.nameOf(ref), ...this.groupsOf(ref)])];
  }
}

/**
 * Guests and external users in Conditional Access: the six guest and external user types Graph names, and which of
 * them, of which external tenants, a policy's users condition takes in or leaves out (`GuestsOrExternalUsers`, All
 * users, `include`/`excludeGuestsOrExternalUsers`). What If (a guest of one type, or of any) and
 * `ca-mfa-all-users-missing` (the types a password alone lets in) read this one answer.
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessguestsorexternalusers
 */
import { asObject, strings } from '../document';
import { listText } from '../prose';
import type { GroupDirectory } from './groups';
import { guestsOf } from './sign-in-scope';

/**
 * Every guest or external user type (`conditionalAccessGuestOrExternalUserTypes`, less `none` and the enum's sentinel).
 * Learn's "Require MFA for guest access" template selects all of them:
 * https://learn.microsoft.com/entra/identity/conditional-access/policy-guests-mfa
 */
export const GUEST_TYPES = ['internalGuest', 'b2bCollaborationGuest', 'b2bCollaborationMember', 'b2bDirectConnectUser', 'otherExternalUser', 'serviceProvider'] as const;

/** One of `GUEST_TYPES`. */
export type GuestType = (typeof GUEST_TYPES)[number];

/**
 * The guest types a group can hold as members: those with a user object in this directory, a local guest
 * (`internalGuest`, a user of this tenant whose user type is guest) and a B2B collaboration guest or member. A B2B direct
 * connect user signs in with no user object here (https://learn.microsoft.com/entra/external-id/b2b-direct-connect-overview),
 * nor does a service provider's (GDAP) user, so no group holds them; `otherExternalUser` is left out too, as nothing
 * says it has one. Read where a group is excluded (`excludedGuestGroups`): excluding a group of guests leaves out only
 * the guests it can hold.
 */
export const MEMBER_GUEST_TYPES: readonly GuestType[] = ['internalGuest', 'b2bCollaborationGuest', 'b2bCollaborationMember'];

/** Whether a value names a guest type (as Graph spells it). */
export function isGuestType(value: string): value is GuestType {
  return (GUEST_TYPES as readonly string[]).includes(value);
}

/**
 * External tenants: every tenant but some (`all`, with the ids it leaves out), or some named ones (`membershipKind:
 * enumerated`). An internal guest belongs to this tenant, so only `all` or nothing is said of them.
 */
export type TenantSet = { readonly all: true; readonly except: ReadonlySet<string> } | { readonly all: false; readonly ids: ReadonlySet<string> };

export const EVERY_TENANT: TenantSet = { all: true, except: new Set() };
export const NO_TENANT: TenantSet = { all: false, ids: new Set() };

const lowerSet = (ids: Iterable<string>): Set<string> => new Set([...ids].map((i) => i.toLowerCase()));

/** The tenants in either set. */
export function tenantUnion(a: TenantSet, b: TenantSet): TenantSet {
  if (a.all && b.all) return { all: true, except: new Set([...a.except].filter((t) => b.except.has(t))) };
  if (a.all || b.all) {
    const [every, some] = a.all ? [a, b as { ids: ReadonlySet<string> }] : [b as { except: ReadonlySet<string> }, a as { ids: ReadonlySet<string> }];
    return { all: true, except: new Set([...every.except].filter((t) => !some.ids.has(t))) };
  }
  return { all: false, ids: new Set([...a.ids, ...b.ids]) };
}

/** The tenants in both sets. */
export function tenantIntersect(a: TenantSet, b: TenantSet): TenantSet {
  return tenantMinus(a, tenantMinus(EVERY_TENANT, b));
}

/** The tenants of `a` not in `b`. */
export function tenantMinus(a: TenantSet, b: TenantSet): TenantSet {
  if (a.all && b.all) return { all: false, ids: new Set([...b.except].filter((t) => !a.except.has(t))) };
  if (a.all) return { all: true, except: new Set([...a.except, ...(b as { ids: ReadonlySet<string> }).ids]) };
  if (b.all) return { all: false, ids: new Set([...a.ids].filter((t) => b.except.has(t))) };
  return { all: false, ids: new Set([...a.ids].filter((t) => !b.ids.has(t))) };
}

/** Whether the set holds no tenant. */
export function tenantsEmpty(s: TenantSet): boolean {
  return !s.all && s.ids.size === 0;
}

/** Guest type → the tenants whose guests of that type a users condition's side reaches (a type not listed: none). */
export type GuestReach = ReadonlyMap<GuestType, TenantSet>;

/** Every guest type of every tenant. */
export const ALL_GUESTS: GuestReach = new Map(GUEST_TYPES.map((t) => [t, EVERY_TENANT]));

/**
 * The guests a CA users condition includes or excludes: on `include`, All users (guests are users) and
 * `GuestsOrExternalUsers` take every type of every tenant; `includeGuestsOrExternalUsers` its types, of every tenant
 * or of the enumerated ones. Exclusions are not subtracted here (`guestsAfterExclusions` does).
 */
export function guestReach(users: unknown, side: 'include' | 'exclude'): GuestReach {
  const listed = strings(asObject(users)?.[side === 'include' ? 'includeUsers' : 'excludeUsers']);
  if (listed.includes('GuestsOrExternalUsers') || (side === 'include' && listed.includes('All'))) return ALL_GUESTS;
  const g = guestsOf(users, side === 'include' ? 'includeGuestsOrExternalUsers' : 'excludeGuestsOrExternalUsers');
  const out = new Map<GuestType, TenantSet>();
  if (!g) return out;
  const tenants: TenantSet = g.tenants === undefined ? EVERY_TENANT : { all: false, ids: lowerSet(g.tenants) };
  for (const t of g.types) if (isGuestType(t)) out.set(t, t === 'internalGuest' ? EVERY_TENANT : tenants);
  return out;
}

/** The guests a policy's users condition takes in once its own guest exclusions are taken out (an exclusion wins). */
export function guestsAfterExclusions(users: unknown): GuestReach {
  return reachMinus(guestReach(users, 'include'), guestReach(users, 'exclude'));
}

/** The guests of `a` not in `b`, type by type. */
export function reachMinus(a: GuestReach, b: GuestReach): GuestReach {
  return typeByType(a, b, tenantMinus);
}

/** The guests in both, type by type. */
export function reachIntersect(a: GuestReach, b: GuestReach): GuestReach {
  return typeByType(a, b, tenantIntersect);
}

/** Each type of `a` with its tenants combined with `b`'s of the type (none when `b` lacks it); empty sets left out. */
function typeByType(a: GuestReach, b: GuestReach, combine: (x: TenantSet, y: TenantSet) => TenantSet): GuestReach {
  const out = new Map<GuestType, TenantSet>();
  for (const [t, s] of a) {
    const left = combine(s, b.get(t) ?? NO_TENANT);
    if (!tenantsEmpty(left)) out.set(t, left);
  }
  return out;
}

/** The guests in either, type by type. */
export function reachUnion(a: GuestReach, b: GuestReach): GuestReach {
  const out = new Map<GuestType, TenantSet>(a);
  for (const [t, s] of b) out.set(t, tenantUnion(out.get(t) ?? NO_TENANT, s));
  return out;
}

/** A guest as a sign-in knows them: their type and home tenant, each unset when not said. */
export interface GuestIdentity {
  type?: GuestType;
  tenant?: string;
}

/**
 * Whether a guest is in a reach: `yes`, `no`, or `some` when it depends on what the sign-in does not say (a guest of
 * no named type, where the reach holds some types only; a home tenant not named, where it holds some tenants only).
 * What If's `--guest-type` and `--guest-tenant` name them.
 */
export function guestMatch(reach: GuestReach, guest: GuestIdentity): 'yes' | 'no' | 'some' {
  // A guest with a home tenant of their own is a user of another tenant: not a local guest (`internalGuest`), whose
  // home is this tenant.
  const types = guest.type ? [guest.type] : GUEST_TYPES.filter((t) => guest.tenant === undefined || t !== 'internalGuest');
  const answers = types.map((t): 'yes' | 'no' | 'some' => {
    const s = reach.get(t);
    if (!s || tenantsEmpty(s)) return 'no';
    if (t === 'internalGuest') return 'yes';
    if (guest.tenant !== undefined) {
      const id = guest.tenant.toLowerCase();
      return (s.all ? !s.except.has(id) : s.ids.has(id)) ? 'yes' : 'no';
    }
    return s.all && s.except.size === 0 ? 'yes' : 'some';
  });
  if (answers.every((a) => a === 'yes')) return 'yes';
  if (answers.every((a) => a === 'no')) return 'no';
  return 'some';
}

/** A reach in words: "`b2bCollaborationMember` and `serviceProvider` (of 2 named tenants)". */
export function reachText(reach: GuestReach): string {
  return listText(GUEST_TYPES.filter((t) => reach.has(t)).map((t) => {
    const s = reach.get(t)!;
    if (s.all && s.except.size === 0) return `\`${t}\``;
    if (s.all) return `\`${t}\` (of tenants other than ${s.except.size === 1 ? 'one named tenant' : `${s.except.size} named tenants`})`;
    return `\`${t}\` (of ${s.ids.size === 1 ? 'one named tenant' : `${s.ids.size} named tenants`})`;
  }));
}

/** Whether the reach holds every guest type of every tenant. */
export function reachesAllGuests(reach: GuestReach): boolean {
  return GUEST_TYPES.every((t) => guestMatch(reach, { type: t }) === 'yes');
}

/**
 * A users condition's groups on one side (`includeGroups` or `excludeGroups`), by what the group directory says each
 * holds of guests (`guestGroup`), by manifest name: `guests`, named or described as guests (or listing a guest
 * account); `unknown`, the manifest does not say (a group with no guest words that lists no members is not a group
 * with no guests); `none`, what the group is says it holds none (a break-glass group, a group named for
 * administrators), or it lists its members with no guest account among them (`GroupDirectory.mayHold`). The one reading of a
 * policy's groups for guests: `ca-mfa-all-users-missing` and What If read it, on both sides.
 */
export interface GuestGroups {
  guests: string[];
  unknown: string[];
  none: string[];
}

/** The groups of a users condition's side, read for guests (`GuestGroups`). */
export function guestGroupsOf(users: unknown, side: 'include' | 'exclude', groups: GroupDirectory): GuestGroups {
  const out: GuestGroups = { guests: [], unknown: [], none: [] };
  for (const ref of strings(asObject(users)?.[side === 'include' ? 'includeGroups' : 'excludeGroups'])) {
    const name = groups.nameOf(ref);
    const list = out[groups.guestGroup(ref)];
    if (!list.includes(name)) list.push(name);
  }
  return out;
}

/**
 * The guests a users condition leaves out through the groups of guests it excludes (`excludeGroups` naming a group
 * named or described as guests: `grp-guests-external`): some guests of the types a group can hold
 * (`MEMBER_GUEST_TYPES`), of any tenant, those in the group; which of those types the group holds, the manifest does
 * not say. Learn: a policy applies to the users of the groups it includes and not to those of the groups it excludes,
 * whatever else includes them (All users takes in B2B guests).
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups
 * A group the manifest does not describe as guests leaves no guest out as far as the files say (unknown, never "no
 * guests": no reader concludes from it that the group holds none).
 */
export function excludedGuestGroups(users: unknown, groups: GroupDirectory): { groups: string[]; reach: GuestReach } {
  const named = guestGroupsOf(users, 'exclude', groups).guests;
  return { groups: named, reach: named.length ? new Map(MEMBER_GUEST_TYPES.map((t) => [t, EVERY_TENANT])) : new Map() };
}

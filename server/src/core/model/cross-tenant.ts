/**
 * Inbound trust: whether this (the resource) tenant accepts the MFA, device compliance and hybrid join claims a user of
 * another tenant brings from their home tenant, as the cross-tenant access settings say (the default configuration's
 * `inboundTrust`, and a partner's, which overrides it for that tenant). All three are off by default: a guest's
 * compliant device then counts for nothing here, and a grant that needs one cannot be met by them.
 * Sources: https://learn.microsoft.com/entra/external-id/authentication-conditional-access,
 * https://learn.microsoft.com/entra/external-id/cross-tenant-access-settings-b2b-collaboration,
 * https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyinboundtrust.
 */
import { asObject } from '../document';
import { listText } from '../prose';
import { BUILT_IN_STRENGTHS } from './strength-factors';
import { GUEST_TYPES, NO_TENANT, tenantUnion, type GuestReach, type TenantSet } from './guests';

/** The claims inbound trust can accept, by the Graph property that accepts each. */
export const TRUST_CLAIMS = {
  compliantDevice: 'isCompliantDeviceAccepted',
  domainJoinedDevice: 'isHybridAzureADJoinedDeviceAccepted',
  mfa: 'isMfaAccepted',
} as const;
export type TrustClaim = keyof typeof TRUST_CLAIMS;

/** One `crossTenantAccessPolicyInboundTrust`, as declared: a property not written is undefined. */
export type InboundTrustDeclaration = Partial<Record<TrustClaim, boolean>>;

/** `settings.crossTenantAccess`: the default inbound trust and each partner's (tenant ids in lower case). */
export interface InboundTrust {
  defaults: InboundTrustDeclaration;
  partners: ReadonlyMap<string, InboundTrustDeclaration>;
}

/** The manifest path that declares a claim's default trust, as messages name it. */
export function trustFact(claim: TrustClaim): string {
  return `settings.crossTenantAccess.inboundTrust.${TRUST_CLAIMS[claim]}`;
}

function declaration(v: unknown): InboundTrustDeclaration {
  const o = asObject(v);
  const out: InboundTrustDeclaration = {};
  for (const [claim, key] of Object.entries(TRUST_CLAIMS) as [TrustClaim, string][]) if (typeof o?.[key] === 'boolean') out[claim] = o[key] as boolean;
  return out;
}

/**
 * Read `settings.crossTenantAccess` (`inboundTrust`, and `partners`, each a `tenantId` with its own `inboundTrust`). A
 * value the schema refuses declares nothing; a partner's property not written inherits the default, as Graph's
 * partner configuration does when its `inboundTrust` is null.
 */
export function readInboundTrust(v: unknown): InboundTrust {
  const o = asObject(v);
  const partners = new Map<string, InboundTrustDeclaration>();
  for (const p of Array.isArray(o?.partners) ? (o.partners as unknown[]) : []) {
    const entry = asObject(p);
    if (typeof entry?.tenantId === 'string' && entry.tenantId) partners.set(entry.tenantId.toLowerCase(), declaration(entry.inboundTrust));
  }
  return { defaults: declaration(o?.inboundTrust), partners };
}

/**
 * Whether the guests of some tenants can bring a claim here: `trusted` (every one of those tenants is trusted for it),
 * `untrusted` (none is), `some` (the tenants of `untrustedTenants` are not), or `undeclared` (the trust of some of them
 * is not declared: unknown, never false).
 */
export type TrustAnswer =
  | { state: 'trusted' }
  | { state: 'untrusted'; tenants: TenantSet }
  | { state: 'some'; tenants: TenantSet }
  | { state: 'undeclared' };

/** Whether the guests of `tenants` (their home tenants) can bring `claim` to this tenant. */
export function trustOf(trust: InboundTrust, claim: TrustClaim, tenants: TenantSet): TrustAnswer {
  const of = (id: string): boolean | undefined => trust.partners.get(id)?.[claim] ?? trust.defaults[claim];
  // The tenants in the set: the named ones, or every tenant but the excepted (the partners named, and the rest, which
  // take the default).
  const named = tenants.all ? [...trust.partners.keys()].filter((id) => !tenants.except.has(id)) : [...tenants.ids];
  const answers = named.map((id) => ({ id, trusted: of(id) }));
  const rest = tenants.all ? trust.defaults[claim] : true;
  if (rest === undefined || answers.some((a) => a.trusted === undefined)) return { state: 'undeclared' };
  const untrustedNamed = answers.filter((a) => a.trusted === false).map((a) => a.id);
  const untrusted: TenantSet = tenants.all && rest === false
    ? { all: true, except: new Set([...tenants.except, ...answers.filter((a) => a.trusted).map((a) => a.id)]) }
    : { all: false, ids: new Set(untrustedNamed) };
  if (!untrusted.all && untrusted.ids.size === 0) return { state: 'trusted' };
  const none = answers.every((a) => a.trusted === false) && (!tenants.all || rest === false);
  return none ? { state: 'untrusted', tenants: untrusted } : { state: 'some', tenants: untrusted };
}

/** The home tenants of the users of other tenants a guest reach holds (internal guests are this tenant's own). */
export function externalTenantsOf(reach: GuestReach): TenantSet {
  let out: TenantSet = NO_TENANT;
  for (const t of GUEST_TYPES) if (t !== 'internalGuest' && reach.has(t)) out = tenantUnion(out, reach.get(t)!);
  return out;
}

/** A set of home tenants in words: "every external tenant", "tenants other than 2 partners", "tenant 1111…". */
export function tenantsText(s: TenantSet): string {
  if (s.all) return s.except.size ? `every external tenant but ${listText([...s.except].map((t) => `\`${t}\``))}` : 'every external tenant';
  return `${s.ids.size === 1 ? 'tenant' : 'tenants'} ${listText([...s.ids].map((t) => `\`${t}\``))}`;
}

/**
 * The authentication methods (Graph's `authenticationMethodModes`) with which a user of another tenant completes MFA in
 * this, the resource, tenant when MFA trust (`isMfaAccepted`) is off: after the password, a text message, a voice
 * call, Microsoft Authenticator push or an OATH software token. Their home tenant's Authenticator phone sign-in, OATH
 * hardware token, FIDO2 security key, Windows Hello for Business and certificate-based authentication count here only
 * under MFA trust. Source: Learn, "How Conditional Access authentication strength works for external users",
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-external-users
 */
export const RESOURCE_TENANT_MFA_METHODS: readonly string[] = ['password', 'sms', 'voice', 'microsoftAuthenticatorPush', 'softwareOath'];

/** The resource tenant's methods in words, as messages say them. */
export const RESOURCE_TENANT_MFA_TEXT = 'a text message, a voice call, Microsoft Authenticator push or an OATH software token';

export { BUILT_IN_STRENGTHS } from './strength-factors';

/**
 * Whether a user of another tenant can meet an authentication strength (a CA grant's `authenticationStrength`, by id
 * or expanded with its `allowedCombinations`) with the resource tenant's methods, that is without MFA trust: `true`
 * when a built-in strength or one of its combinations allows it (each method of the combination one of
 * `RESOURCE_TENANT_MFA_METHODS`), `false` when none does, undefined for a custom strength whose combinations the file
 * does not hold (unknown, never false).
 */
export function strengthMetInResourceTenant(strength: Record<string, unknown>): boolean | undefined {
  const builtIn = typeof strength.id === 'string' ? BUILT_IN_STRENGTHS[strength.id] : undefined;
  if (builtIn) return builtIn.inResourceTenant;
  const combos = Array.isArray(strength.allowedCombinations) ? strength.allowedCombinations.filter((c): c is string => typeof c === 'string') : [];
  if (!combos.length) return undefined;
  return combos.some((c) => c.split(',').every((m) => RESOURCE_TENANT_MFA_METHODS.includes(m.trim())));
}

/** An authentication strength's name: its `displayName`, a built-in's name, or its id ("authentication strength <id>"). */
export function strengthName(strength: Record<string, unknown>): string {
  const id = typeof strength.id === 'string' && strength.id ? strength.id : undefined;
  const title = strengthTitle(strength);
  if (title !== undefined && title !== id) return title;
  return id ? `authentication strength ${id}` : 'an authentication strength';
}

/**
 * An authentication strength's name or id alone, for a message that already calls it an authentication strength ("the
 * authentication strength Phishing-resistant MFA", "the authentication strength 2222…"): its `displayName`, a
 * built-in's name, or its id; undefined when it has none.
 */
export function strengthTitle(strength: Record<string, unknown>): string | undefined {
  if (typeof strength.displayName === 'string' && strength.displayName) return strength.displayName;
  const id = typeof strength.id === 'string' && strength.id ? strength.id : undefined;
  return (id && BUILT_IN_STRENGTHS[id]?.name) || id;
}

/**
 * Legacy authentication (Graph's client app types `exchangeActiveSync` and `other`): which legacy sign-ins the
 * tenant's enabled Conditional Access policies block, directly (`block`) or in practice (a grant a legacy client
 * cannot meet: MFA, an authentication strength, terms of use, a device or app state it does not pass). Microsoft calls
 * the second "indirectly blocking legacy authentication" and still recommends the direct block
 * (https://learn.microsoft.com/entra/identity/conditional-access/block-legacy-authentication).
 * `legacy-auth-not-blocked` reads the tenant's answer (`legacyBlocks`); What If reads `legacyCannotMeet` for each
 * control of the one sign-in it evaluates: one answer to "can a legacy client meet this".
 */
import { asObject, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { TenantView } from '../rule';
import { listText } from '../prose';
import { graphRefusal } from '../schema/issue';
import { policiesOfKind } from '../reads';
import type { BreakGlass } from './break-glass';
import { caUsers } from './break-glass';
import { grantControlNames, grantOperator, RETIRED_GRANTS, strengthMetByLegacyClient } from './grants';
import { coversAllApps, narrowingConditions } from './sign-in-scope';

/** Graph's client app types for legacy authentication. */
export const LEGACY_CLIENTS = ['exchangeActiveSync', 'other'] as const;
export type LegacyClient = (typeof LEGACY_CLIENTS)[number];

/** Whether a client app type is a legacy one. */
export function isLegacyClient(clientApp: string): clientApp is LegacyClient {
  return (LEGACY_CLIENTS as readonly string[]).includes(clientApp);
}

/** Why a legacy client cannot answer an MFA prompt (or an authentication strength). */
export const LEGACY_NO_MFA = 'a legacy client (Exchange ActiveSync or another basic-authentication client) cannot perform MFA';
/** Why a legacy client cannot meet terms of use or a custom control. */
export const LEGACY_NO_PROMPT = 'a legacy client (Exchange ActiveSync or another basic-authentication client) cannot show terms of use or run a custom control';

/**
 * Why a legacy client of this type cannot meet a grant control (Graph's name, as `grantControlNames` gives it), or
 * undefined when it may. Basic authentication answers no MFA or authentication strength prompt (though it presents a
 * password, which meets a strength that admits a password alone: `strengthMetByLegacyClient`, given the policy's
 * `strength`), shows no terms of use
 * and runs no custom control. "Legacy authentication clients don't pass device state information, so they are blocked
 * by grant controls like requiring compliant devices" (Learn, Conditional Access conditions): an `other` client (IMAP,
 * POP, SMTP, older Office) meets no device or app control. Exchange ActiveSync is the one exception for devices: the
 * native mail app of an Intune-enrolled phone reports its device, so a compliant device can be met; an approved or
 * app-protected app cannot (its user is sent to Outlook).
 */
export function legacyCannotMeet(control: string, clientApp: string, strength?: Record<string, unknown>): string | undefined {
  if (!isLegacyClient(clientApp)) return undefined;
  if (control === 'authenticationStrength' && strength && strengthMetByLegacyClient(strength)) return undefined;
  if (control === 'mfa' || control === 'authenticationStrength') return LEGACY_NO_MFA;
  if (control.startsWith('termsOfUse:') || control.startsWith('custom:')) return LEGACY_NO_PROMPT;
  const app = control === 'compliantApplication' || control === 'approvedApplication';
  const device = control === 'compliantDevice' || control === 'domainJoinedDevice';
  if (clientApp === 'other' && (app || device)) return 'a legacy client (IMAP, POP, SMTP or an older Office client) passes no device or app state';
  if (clientApp === 'exchangeActiveSync' && app) return 'an Exchange ActiveSync mail app is neither an approved app nor one app protection covers: its user is sent to Outlook';
  return undefined;
}

/**
 * Why a legacy client of this type cannot meet a policy's grant as a whole (under `OR` none of its controls, under
 * `AND` any one), or undefined when it may, or when the policy blocks (a direct block, not one in practice). A retired
 * control is not enforced and counts for nothing, as What If reads it. `strength` is the policy's authentication
 * strength as the model reads it (`TenantModel.strengthOf`: a custom one named by id, completed by the folder's export).
 */
export function legacyGrantUnmet(p: PolicyFacts, client: LegacyClient, strength: Record<string, unknown> | undefined): string | undefined {
  const controls = grantControlNames(p).filter((c) => !RETIRED_GRANTS[c]);
  if (!controls.length || controls.includes('block')) return undefined;
  const reasons = controls.map((c) => legacyCannotMeet(c, client, strength));
  const unmet = [...new Set(reasons.filter((r): r is string => r !== undefined))];
  if (grantOperator(p) === 'OR' ? reasons.some((r) => r === undefined) : !unmet.length) return undefined;
  return unmet.join('; ');
}

/** The client app types a policy names. */
export function namedClientAppTypes(p: PolicyFacts): string[] {
  return strings(asObject(p.spec?.conditions)?.clientAppTypes);
}

/**
 * The policy's client app types; `all` (the portal's "Not configured") is every type, the legacy ones included, and so
 * is none named (an export without the key), as What If reads a policy's client app condition.
 */
export function legacyClientAppTypes(p: PolicyFacts): string[] {
  const types = namedClientAppTypes(p);
  return !types.length || types.includes('all') ? [...types, ...LEGACY_CLIENTS] : types;
}

/** What legacy clients sign in to: Exchange Online, SharePoint Online, and Office 365, which holds both. */
export const LEGACY_TARGET_NAMES: Readonly<Record<string, string>> = {
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
  '00000003-0000-0ff1-ce00-000000000000': 'Office 365 SharePoint Online',
  office365: 'Office365',
};
const LEGACY_TARGETS = Object.keys(LEGACY_TARGET_NAMES);

/** Exchange Online's app id: Exchange ActiveSync reaches nothing else. */
const EXCHANGE_ONLINE = '00000002-0000-0ff1-ce00-000000000000';

/**
 * What keeps a policy from applying to every legacy sign-in of everyone, its state, its grant and the apps it covers
 * aside: its users, its client app types, the conditions that narrow it, the legacy apps it excludes.
 */
export function legacyScopeShortfalls(p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  const missing = LEGACY_CLIENTS.filter((c) => !legacyClientAppTypes(p).includes(c));
  if (missing.length === LEGACY_CLIENTS.length) problems.push(`does not include ${listText(missing.map((c) => `\`${c}\``))} in \`clientAppTypes\``);
  // Exchange ActiveSync clients are phone mail apps: a policy on Windows only, in some locations, at some risk or on
  // the devices a filter picks leaves the rest open, as Microsoft's policy (none of those conditions) does not.
  problems.push(...narrowingConditions(p));
  // Legacy clients reach Exchange Online (and `other` SharePoint Online too): a policy that excludes one of them, or
  // Office 365 which holds both, leaves that door open. Excluding another app changes nothing for them.
  const excluded = asObject(asObject(p.spec?.conditions)?.applications)?.excludeApplications;
  const opened = strings(excluded).filter((a) => LEGACY_TARGETS.includes(a.toLowerCase()));
  if (opened.length) problems.push(`excludes ${listText(opened.map((a) => `\`${LEGACY_TARGET_NAMES[a.toLowerCase()] ?? a}\``))}, which legacy clients reach`);
  return problems;
}

/**
 * The legacy client types a policy reaches on every resource they sign in to: `other` (IMAP, POP, SMTP, older Office
 * clients) reaches SharePoint as well as Exchange, so the policy must cover All cloud apps, as Microsoft's does;
 * Exchange ActiveSync reaches Exchange Online only, so a policy on it (or on Office 365, which holds it) covers it (as
 * Maester's MT.1009 and MT.1010 count them).
 */
export function legacyClientsCovered(p: PolicyFacts): LegacyClient[] {
  const list = strings(asObject(asObject(p.spec?.conditions)?.applications)?.includeApplications);
  const types = legacyClientAppTypes(p);
  return LEGACY_CLIENTS.filter((c) => types.includes(c) && (coversAllApps(p) || (c === 'exchangeActiveSync' && (list.includes(EXCHANGE_ONLINE) || list.includes('Office365')))));
}

/**
 * Whether a policy that does not name a legacy client type lets some users keep theirs: a policy on every client type
 * for All users but some groups is an allowlist (everyone outside the licensed staff, say), and the groups it lets
 * through keep their legacy clients. A policy that names the legacy types is read as Microsoft's block is, whatever
 * it excludes. With no break-glass accounts declared, which exclusions are theirs is unknown: none is held against it.
 */
export function legacyExclusionsOpen(p: PolicyFacts, bg: BreakGlass): boolean {
  if (namedClientAppTypes(p).some((c) => isLegacyClient(c))) return false;
  if (!bg.declared) return false;
  const others = bg.otherExclusions(p);
  return others.users.length > 0 || others.groups.length > 0;
}

/** An enabled policy that keeps a legacy client type out of every sign-in of All users, and how. */
export interface LegacyBlock {
  policy: PolicyFacts;
  client: LegacyClient;
  /** `block`: its grant blocks; `inPractice`: its grant asks what the client cannot do (`reason`). */
  how: 'block' | 'inPractice';
  reason?: string;
}

/**
 * The legacy sign-ins the tenant's policies keep out, client type by client type: a policy counts for a client when
 * it applies to all of that client's sign-ins of All users (`legacyScopeShortfalls`, `legacyClientsCovered`,
 * `legacyExclusionsOpen`) and its grant blocks or cannot be met by that client (`legacyGrantUnmet`). With
 * `stateUnknown`, the policies whose `state` is missing or misspelt (the schema's finding), as if deployed enabled;
 * with `refused`, the enabled ones Graph would refuse as written (`graphRefusal`), which keep no one out; otherwise
 * the enabled ones Graph would take (a report-only policy keeps no one out).
 */
export function legacyBlocks(tenant: TenantView, bg: BreakGlass, strengthOf: (p: PolicyFacts) => Record<string, unknown> | undefined, which: 'enabled' | 'stateUnknown' | 'refused' = 'enabled'): LegacyBlock[] {
  const out: LegacyBlock[] = [];
  for (const p of policiesOfKind(tenant, 'ConditionalAccessPolicy')) {
    const state = p.spec?.state;
    const known = state === 'enabled' || state === 'disabled' || state === 'enabledForReportingButNotEnforced';
    if (which === 'stateUnknown' ? known : state !== 'enabled') continue;
    // An enabled policy Graph would refuse as written (a schema error) keeps no one out: the tenant would not have it,
    // as What If leaves it out (`graphRefusal`); `refused` asks for those alone, so the rule can name them. One whose
    // state is missing stays as if deployed enabled: unknown.
    if (which !== 'stateUnknown' && !!graphRefusal(p.schemaIssues) !== (which === 'refused')) continue;
    if (legacyScopeShortfalls(p).length || legacyExclusionsOpen(p, bg)) continue;
    const blocks = grantControlNames(p).includes('block');
    for (const client of legacyClientsCovered(p)) {
      if (blocks) out.push({ policy: p, client, how: 'block' });
      else {
        const reason = legacyGrantUnmet(p, client, strengthOf(p));
        if (reason) out.push({ policy: p, client, how: 'inPractice', reason });
      }
    }
  }
  return out;
}

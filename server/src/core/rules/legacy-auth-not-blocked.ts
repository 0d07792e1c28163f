import { asObject, spanAtPath, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related, REPORT_ONLY } from '../tenant-query';
import { modelOf } from '../model/index';
import { caStateKnown, coversAllApps, listText, narrowingConditions, nearest, policyLabel, stagedPolicyFix, stateShortfalls } from './ca-helpers';
import { policiesOfKind } from '../reads';

/** Graph's client app types for legacy authentication. */
const LEGACY_CLIENTS = ['exchangeActiveSync', 'other'];

/** The client app types a policy names. */
function namedClientAppTypes(p: PolicyFacts): string[] {
  return strings(asObject(p.spec?.conditions)?.clientAppTypes);
}

/** The policy's client app types; `all` (the portal's "Not configured") is every type, the legacy ones included. */
function clientAppTypes(p: PolicyFacts): string[] {
  const types = namedClientAppTypes(p);
  return types.includes('all') ? [...types, ...LEGACY_CLIENTS] : types;
}

/** Why a CA policy does not block legacy authentication for all users, or undefined when it does. */
function shortfall(p: PolicyFacts): string | undefined {
  const problems = shortfalls(p);
  return problems.length ? listText(problems) : undefined;
}

/** What keeps a policy from blocking legacy clients for everyone: its state, its users, its client app types, its grant, its apps. */
function shortfalls(p: PolicyFacts): string[] {
  const problems = baseShortfalls(p);
  const uncovered = LEGACY_CLIENTS.filter((c) => clientAppTypes(p).includes(c) && !blockedClients(p).includes(c));
  if (uncovered.length) problems.push(`does not cover All cloud apps for ${listText(uncovered.map((c) => `\`${c}\``))}`);
  return problems;
}

/** What keeps a policy from blocking any legacy client for everyone, the apps it covers aside. */
function baseShortfalls(p: PolicyFacts): string[] {
  return [...stateShortfalls(p), ...conditionShortfalls(p)];
}

/** What keeps a policy from blocking any legacy client for everyone, its state and the apps it covers aside. */
function conditionShortfalls(p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  const missing = LEGACY_CLIENTS.filter((c) => !clientAppTypes(p).includes(c));
  if (missing.length === LEGACY_CLIENTS.length) problems.push(`does not include ${listText(missing.map((c) => `\`${c}\``))} in \`clientAppTypes\``);
  if (!grantControlsOf(p).includes('block')) problems.push('does not block');
  // Exchange ActiveSync clients are phone mail apps: a block on Windows only, in some locations, at some risk or on the
  // devices a filter picks leaves the rest open, as Microsoft's policy (none of those conditions) does not.
  problems.push(...narrowingConditions(p));
  // Legacy clients reach Exchange Online (and `other` SharePoint Online too): a block that excludes one of them, or
  // Office 365 which holds both, leaves that door open. Excluding another app changes nothing for them.
  const excluded = ((p.spec?.conditions as Record<string, unknown> | undefined)?.applications as Record<string, unknown> | undefined)?.excludeApplications;
  const opened = (Array.isArray(excluded) ? excluded : []).filter((a): a is string => typeof a === 'string' && LEGACY_TARGETS.includes(a.toLowerCase()));
  if (opened.length) problems.push(`excludes ${listText(opened.map((a) => `\`${LEGACY_TARGET_NAMES[a.toLowerCase()] ?? a}\``))}, which legacy clients reach`);
  return problems;
}

/** What legacy clients sign in to: Exchange Online, SharePoint Online, and Office 365, which holds both. */
const LEGACY_TARGET_NAMES: Record<string, string> = {
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
  '00000003-0000-0ff1-ce00-000000000000': 'Office 365 SharePoint Online',
  office365: 'Office365',
};
const LEGACY_TARGETS = Object.keys(LEGACY_TARGET_NAMES);

/** Exchange Online's app id: Exchange ActiveSync reaches nothing else. */
const EXCHANGE_ONLINE = '00000002-0000-0ff1-ce00-000000000000';

/**
 * The legacy client types a policy blocks on every resource they reach: `other` (IMAP, POP, SMTP, older Office clients)
 * reaches SharePoint as well as Exchange, so its block must cover All cloud apps, as Microsoft's policy does; Exchange
 * ActiveSync reaches Exchange Online only, so a block on it (or on Office 365, which holds it) covers it (as Maester's
 * MT.1009 and MT.1010 count them).
 */
function blockedClients(p: PolicyFacts): string[] {
  const apps = ((p.spec?.conditions as Record<string, unknown> | undefined)?.applications as Record<string, unknown> | undefined)?.includeApplications;
  const list = Array.isArray(apps) ? apps : [];
  return LEGACY_CLIENTS.filter((c) => clientAppTypes(p).includes(c) && (coversAllApps(p) || (c === 'exchangeActiveSync' && (list.includes(EXCHANGE_ONLINE) || list.includes('Office365')))));
}

/**
 * The legacy client types that the tenant's enabled policies block for All users, taken together: one policy may
 * block `exchangeActiveSync` and another `other`. A report-only policy blocks nothing. With `stateUnknown`, those that
 * the policies whose `state` is missing or misspelt (the schema's finding) would block if deployed enabled.
 */
function blockedLegacyClients(tenant: TenantView, stateUnknown = false): Set<string> {
  const out = new Set<string>();
  for (const p of policiesOfKind(tenant, 'ConditionalAccessPolicy')) {
    if (stateUnknown ? caStateKnown(p) || conditionShortfalls(p).length : baseShortfalls(p).length) continue;
    if (!namedClientAppTypes(p).some((c) => LEGACY_CLIENTS.includes(c)) && excludesBeyondBreakGlass(p, tenant)) continue;
    for (const c of blockedClients(p)) out.add(c);
  }
  return out;
}

/**
 * Whether a policy excludes users other than the break-glass accounts. A block of every client type for All users but
 * some groups is an allowlist (everyone outside the licensed staff, say): the groups it lets through keep their
 * legacy clients. A block that names the legacy types is read as Microsoft's policy is, whatever it excludes. With no
 * break-glass accounts declared, which exclusions are theirs is unknown: none is held against the policy.
 */
function excludesBeyondBreakGlass(p: PolicyFacts, tenant: TenantView): boolean {
  const bg = modelOf(tenant).breakGlass;
  if (!bg.declared) return false;
  const others = bg.otherExclusions(p);
  return others.users.length > 0 || others.groups.length > 0;
}

/** No active CA policy blocks the legacy client app types (exchangeActiveSync and other) for All users. */
export const legacyAuthNotBlocked: Rule = {
  id: 'legacy-auth-not-blocked',
  title: 'No Conditional Access policy blocks legacy authentication for all users',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication'],
  peers: ['MT.1009', 'MT.1010', 'MS.AAD.1.1v1', 'ZTA 21796'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest) return;
    const blocked = blockedLegacyClients(tenant);
    const open = LEGACY_CLIENTS.filter((c) => !blocked.has(c));
    if (!open.length) return;
    // A block whose `state` is missing or misspelt may be deployed enabled: unknown, not missing.
    const unknownState = blockedLegacyClients(tenant, true);
    if (open.every((c) => unknownState.has(c))) return;
    // A blocking policy may sit in a file that could not be read.
    if (modelOf(tenant).mayHide('ConditionalAccessPolicy')) return;
    const near = nearMisses(tenant);
    const best = nearest(near, shortfalls);
    const closest = best && `; ${policyLabel(best)} comes closest but ${shortfall(best)}`;
    const which = blocked.size ? `\`${open[0]}\` (only ${listText([...blocked].map((c) => `\`${c}\``))} is blocked)` : 'legacy authentication';
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        `no enabled Conditional Access policy blocks ${which} for All users: legacy clients cannot do MFA or report a device, ` +
        'so they are kept out only where a policy that includes their client types happens to ask for one, and a password ' +
        'alone signs in everywhere else (a policy scoped to browsers and modern apps, a new app, an exclusion). Add a policy that blocks `clientAppTypes` ' +
        `\`exchangeActiveSync\` and \`other\` for All users (excluding the break-glass accounts)${closest ?? ''}`,
      related: near.map((p) => related(p, `blocks legacy clients but ${shortfall(p)}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    // A block that is only report-only is already staged (by this fix, or by hand): what is left is a person's call,
    // after the sign-in logs, to enable it. Another copy would help nothing, and `--fix` would add one per pass.
    if (nearMisses(tenant).some((p) => p.spec?.state === REPORT_ONLY && shortfalls(p).length === 1)) return [];
    return [
      stagedPolicyFix(tenant, 'block-legacy-authentication', {
      description: 'Block Exchange ActiveSync and other legacy-authentication clients for all users',
      displayName: 'All users - Block legacy authentication',
      users: { includeUsers: ['All'] },
      conditions: { clientAppTypes: LEGACY_CLIENTS },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    }, HEADER),
    ];
  },
};

/** CA policies that try to block legacy clients but fall short, so the author sees why they do not count. */
function nearMisses(tenant: TenantView): PolicyFacts[] {
  // Policies that name a legacy client type: a block of every client type that falls short (unknown platforms, a
  // country allowlist) was not meant as this one, and naming it would mislead.
  return policiesOfKind(tenant, 'ConditionalAccessPolicy').filter((p) => shortfall(p) !== undefined && grantControlsOf(p).includes('block') && namedClientAppTypes(p).some((c) => LEGACY_CLIENTS.includes(c)));
}

const HEADER = [
  'Layer 4: created by the legacy-auth-not-blocked quick fix. Legacy authentication cannot do MFA or report a device.',
  'Report-only first: check the sign-in logs (Client app column) for accounts that still use legacy protocols,',
  'move them to modern authentication, then set state: enabled.',
];

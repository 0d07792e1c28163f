import { spanAtPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { activeCaPolicies, caUsers, freeName, grantControlsOf, newPolicyFile, ownerFor, related } from '../tenant-query';
import type { Fix } from '../types';
import { listText, policyLabel } from './ca-helpers';

/** Graph's client app types for legacy authentication. */
const LEGACY_CLIENTS = ['exchangeActiveSync', 'other'];

function clientAppTypes(p: PolicyFacts): string[] {
  const v = (p.spec?.conditions as Record<string, unknown> | undefined)?.clientAppTypes;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Why a CA policy does not block legacy authentication for all users, or undefined when it does. */
function shortfall(p: PolicyFacts, active: boolean): string | undefined {
  const problems = shortfalls(p, active);
  return problems.length ? listText(problems) : undefined;
}

function shortfalls(p: PolicyFacts, active: boolean): string[] {
  const problems: string[] = [];
  if (!active) problems.push('is disabled');
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  const missing = LEGACY_CLIENTS.filter((c) => !clientAppTypes(p).includes(c));
  if (missing.length) problems.push(`does not include ${listText(missing.map((c) => `\`${c}\``))} in \`clientAppTypes\``);
  if (!grantControlsOf(p).includes('block')) problems.push('does not block');
  return problems;
}

/** No active CA policy blocks the legacy client app types (exchangeActiveSync and other) for All users. */
export const legacyAuthNotBlocked: Rule = {
  id: 'legacy-auth-not-blocked',
  title: 'No Conditional Access policy blocks legacy authentication for all users',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest) return;
    const active = new Set(activeCaPolicies(tenant));
    // A report-only block counts: the finding is about the tenant having the policy at all, so no lowering either.
    if ([...active].some((p) => shortfall(p, true) === undefined)) return;
    const near = nearMisses(tenant);
    const best = [...near].sort((a, b) => shortfalls(a, active.has(a)).length - shortfalls(b, active.has(b)).length)[0];
    const closest = best && `; ${policyLabel(best)} comes closest but ${shortfall(best, active.has(best))}`;
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        'no active Conditional Access policy blocks legacy authentication for All users: legacy clients cannot do MFA or report a device, ' +
        'so a password alone gets past every compliant-device and MFA policy. Add a policy that blocks `clientAppTypes` ' +
        `\`exchangeActiveSync\` and \`other\` for All users (excluding the break-glass accounts)${closest ?? ''}`,
      related: near.map((p) => related(p, `blocks legacy clients but ${shortfall(p, active.has(p))}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    const name = freeName(tenant, 'block-legacy-authentication');
    const fix: Fix = {
      title: `Create the \`${name}\` Conditional Access policy in report-only state`,
      isPreferred: true,
      safe: true,
      edits: [],
      creates: [newPolicyFile(tenant, 'ConditionalAccessPolicy', policyBody(tenant, name), HEADER)],
    };
    return [fix];
  },
};

/** CA policies that try to block legacy clients but fall short, so the author sees why they do not count. */
function nearMisses(tenant: TenantView): PolicyFacts[] {
  return tenant.policies.filter((p) => p.kind === 'ConditionalAccessPolicy' && grantControlsOf(p).includes('block') && clientAppTypes(p).some((c) => LEGACY_CLIENTS.includes(c)));
}

const HEADER = [
  'Layer 4: created by the legacy-auth-not-blocked quick fix. Legacy authentication cannot do MFA or report a device.',
  'Report-only first: check the sign-in logs (Client app column) for accounts that still use legacy protocols,',
  'move them to modern authentication, then set state: enabled.',
];

function policyBody(tenant: TenantView, name: string): Record<string, unknown> {
  const bg = tenant.manifest?.breakGlass ?? { groups: [], users: [] };
  const owner = ownerFor(tenant, 'identity');
  return {
    kind: 'ConditionalAccessPolicy',
    name,
    ...(owner ? { owner } : {}),
    description: 'Block Exchange ActiveSync and other legacy-authentication clients for all users',
    spec: {
      displayName: 'All users - Block legacy authentication',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        users: {
          includeUsers: ['All'],
          ...(bg.groups.length ? { excludeGroups: bg.groups } : {}),
          ...(bg.users.length ? { excludeUsers: bg.users } : {}),
        },
        applications: { includeApplications: ['All'] },
        clientAppTypes: LEGACY_CLIENTS,
      },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    },
  };
}

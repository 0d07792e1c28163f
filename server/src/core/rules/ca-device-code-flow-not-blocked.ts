import { asObject, spanAtPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related, REPORT_ONLY } from '../tenant-query';
import { modelOf } from '../model/index';
import { caStateKnown, coversAllApps, listText, policyLabel, stagedPolicyFix } from './ca-helpers';
import { policiesOfKind } from '../reads';
import { transferFlows } from '../model/sign-in-scope';


function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Whether the policy's authentication flows condition names device code flow (a flags string: "deviceCodeFlow,authenticationTransfer"). */
function targetsDeviceCode(p: PolicyFacts): boolean {
  return transferFlows(p.spec?.conditions).includes('deviceCodeFlow');
}

/** Device-based grants: device code flow on a compliant or hybrid-joined device is restricted, as Maester counts it. */
const DEVICE_GRANTS = ['compliantDevice', 'domainJoinedDevice'];

/** Whether the grant stops device code flow: `block`, or only device-based controls (or all of them, under AND). */
function grantStops(p: PolicyFacts): boolean {
  const grant = grantControlsOf(p);
  if (grant.includes('block')) return true;
  const operator = asObject(p.spec?.grantControls)?.operator;
  const device = grant.filter((g) => DEVICE_GRANTS.includes(g));
  return device.length > 0 && (device.length === grant.length || operator === 'AND');
}

/** What keeps a policy from restricting device code flow for everyone: its state, users, client apps, locations or grant. */
function shortfalls(p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (p.spec?.state === REPORT_ONLY) problems.push('is report-only, so it blocks nothing');
  else if (p.spec?.state !== 'enabled') problems.push('is disabled');
  return [...problems, ...conditionShortfalls(p)];
}

/** What keeps a policy from restricting device code flow for everyone, its state aside. */
function conditionShortfalls(p: PolicyFacts): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  // Device code tokens reach Azure management and Graph as well as Office 365: a block of some resources leaves the
  // others open (Learn: "All resources"; ScubaGear MS.AAD.3.9 asks for it).
  if (!coversAllApps(p)) problems.push('does not cover All resources');
  const conditions = asObject(p.spec?.conditions);
  const clients = strings(conditions?.clientAppTypes);
  if (clients.length && !clients.some((c) => c === 'all' || c === 'mobileAppsAndDesktopClients')) problems.push('leaves out mobile and desktop clients in `clientAppTypes`');
  const locations = asObject(conditions?.locations);
  const include = strings(locations?.includeLocations);
  if (include.length && !include.includes('All')) problems.push('applies only in some locations');
  if (!grantStops(p)) problems.push('neither blocks nor requires a compliant or hybrid-joined device');
  return problems;
}

/** CA policies that name device code flow but fall short, so the author sees why they do not count. */
function nearMisses(tenant: TenantView): PolicyFacts[] {
  return policiesOfKind(tenant, 'ConditionalAccessPolicy').filter((p) => targetsDeviceCode(p) && shortfalls(p).length > 0);
}

/**
 * No enabled CA policy blocks (or restricts to managed devices) device code flow for All users, in a tenant that
 * keeps its Conditional Access policies here.
 */
export const caDeviceCodeFlowNotBlocked: Rule = {
  id: 'ca-device-code-flow-not-blocked',
  title: 'No Conditional Access policy blocks device code flow for all users',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows',
  ],
  peers: ['MT.1052', 'ZTA 21808', 'MS.AAD.3.9v1'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest || !tenant.root) return;
    const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
    // A tenant with no CA policy files may keep them elsewhere: nothing here says how it handles device code flow.
    if (!ca.length) return;
    if (ca.some((p) => targetsDeviceCode(p) && !shortfalls(p).length)) return;
    // A block whose `state` is missing or invalid may be deployed enabled: unknown, not missing.
    if (ca.some((p) => targetsDeviceCode(p) && !caStateKnown(p) && !conditionShortfalls(p).length)) return;
    // A blocking policy may sit in a file that could not be read.
    if (modelOf(tenant).mayHide('ConditionalAccessPolicy')) return;
    const near = nearMisses(tenant);
    const best = [...near].sort((a, b) => shortfalls(a).length - shortfalls(b).length)[0];
    const closest = best ? `; ${policyLabel(best)} comes closest but ${listText(shortfalls(best))}` : '';
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        'no enabled Conditional Access policy blocks device code flow for All users: a phishing page can hand a user a device code, ' +
        "and the token the user's sign-in (and MFA) earns goes to the attacker's device. Add a policy with " +
        '`authenticationFlows.transferMethods: deviceCodeFlow` that blocks All users (excluding the break-glass accounts and the few ' +
        `documented users who need it)${closest}`,
      related: near.map((p) => related(p, `names device code flow but ${listText(shortfalls(p))}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    // A block already staged in report-only: enabling it is a person's call after the sign-in logs; another copy helps nothing.
    if (nearMisses(tenant).some((p) => p.spec?.state === REPORT_ONLY && shortfalls(p).length === 1)) return [];
    return [
      stagedPolicyFix(tenant, 'block-device-code-flow', {
      description: 'Block device code flow for all users; allow it only for documented, reviewed exceptions',
      displayName: 'All users - Block device code flow',
      users: { includeUsers: ['All'] },
      conditions: { clientAppTypes: ['all'], authenticationFlows: { transferMethods: 'deviceCodeFlow' } },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    }, HEADER),
    ];
  },
};

const HEADER = [
  'Layer 4: created by the ca-device-code-flow-not-blocked quick fix. Device code flow is a favourite of phishing kits.',
  'Report-only first: check the sign-in logs (Authentication protocol: Device code) for the users and devices that',
  'still need it (meeting room devices, some CLIs), exclude only those, then set state: enabled.',
];

import { asObject, spanAtPath, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { caUsers, grantControlsOf, policySpan, related } from '../tenant-query';
import { closestNote, coversAllApps, listText, policyLabel, readSafeguard, type Safeguard, shortfallsOf, stagedPolicyFix } from './ca-helpers';
import { transferFlows } from '../model/sign-in-scope';

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

/** The Device Registration Service, the resource a device registration by device code signs in to. */
export const DEVICE_REGISTRATION_SERVICE = '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9';

/** Where a policy's `excludeApplications` names the Device Registration Service, or -1. */
function deviceRegistrationExcluded(p: PolicyFacts): number {
  const excluded = strings(asObject(asObject(p.spec?.conditions)?.applications)?.excludeApplications);
  return excluded.findIndex((a) => a.trim().toLowerCase() === DEVICE_REGISTRATION_SERVICE);
}

/** A policy that blocks (or restricts to managed devices) device code flow for everyone. */
const SAFEGUARD: Safeguard = { does: 'blocks', meantAs: targetsDeviceCode, conditionShortfalls };

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
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-teams-devices-device-code-flow',
  ],
  peers: ['MT.1052', 'ZTA 21808', 'MS.AAD.3.9v1'],
  emitsOn: ['manifest', 'ConditionalAccessPolicy'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest || !tenant.root) return;
    const reading = readSafeguard(tenant, SAFEGUARD);
    // Every block there is leaves the Device Registration Service out: registering a device by device code stays open.
    // Learn asks for that exclusion only where device code flow is used to register devices (Teams Android devices);
    // it is the route Storm-2372 took from a phished device code to a device of its own in Entra ID. Information: the
    // exclusion is right where the flow registers devices, which the files do not say.
    if (reading.met.length && reading.met.every((p) => deviceRegistrationExcluded(p) >= 0)) {
      for (const p of reading.met) {
        emit({
          file: p,
          span: policySpan(p, ['spec', 'conditions', 'applications', 'excludeApplications', deviceRegistrationExcluded(p)], 'value'),
          severity: 'information',
          message:
            `${policyLabel(p)} blocks device code flow for All users but excludes the Device Registration Service (\`${DEVICE_REGISTRATION_SERVICE}\`), and no other enabled policy blocks it there: ` +
            'registering a device by device code stays open, the route Storm-2372 took from a phished device code to a device of its own in Entra ID ' +
            '(and a Primary Refresh Token). Learn asks for this exclusion only where device code flow is used to register devices (Teams Android ' +
            'devices, for example): keep it only if so, and accept this finding with the reason; otherwise remove it from `excludeApplications`',
          data: { excludesDeviceRegistration: true },
        });
      }
      return;
    }
    if (reading.met.length || reading.unknown) return;
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        'no enabled Conditional Access policy blocks device code flow for All users: a phishing page can hand a user a device code, ' +
        "and the token the user's sign-in (and MFA) earns goes to the attacker's device. Add a policy with " +
        '`authenticationFlows.transferMethods: deviceCodeFlow` that blocks All users (excluding the break-glass accounts and the few ' +
        `documented users who need it)${closestNote(SAFEGUARD, reading)}`,
      related: reading.near.map((p) => related(p, `names device code flow but ${listText(shortfallsOf(SAFEGUARD, p))}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    // A block already staged in report-only: enabling it is a person's call after the sign-in logs; another copy helps nothing.
    if (readSafeguard(tenant, SAFEGUARD).staged) return [];
    return stagedPolicyFix(tenant, 'block-device-code-flow', {
    description: 'Block device code flow for all users; allow it only for documented, reviewed exceptions',
    displayName: 'All users - Block device code flow',
    users: { includeUsers: ['All'] },
    conditions: { clientAppTypes: ['all'], authenticationFlows: { transferMethods: 'deviceCodeFlow' } },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  }, HEADER);
  },
};

const HEADER = [
  'Layer 4: created by the ca-device-code-flow-not-blocked quick fix. Device code flow is a favourite of phishing kits.',
  'Report-only first: check the sign-in logs (Authentication protocol: Device code) for the users and devices that',
  'still need it (meeting room devices, some CLIs), exclude only those, then set state: enabled.',
];

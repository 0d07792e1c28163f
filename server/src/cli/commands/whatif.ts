/**
 * `ztp whatif`: offline Conditional Access What If for one sign-in, or `--lockout`, the check that no break-glass
 * account or included group is locked out (a CI gate).
 */
import { AUTH_FLOWS, canonicalAuthContext, canonicalAuthFlow, canonicalUserAction, CLIENT_APPS, INSIDER_RISK_LEVELS, lockoutJson, lockoutText, normalizeSlashes, relative, RISK_LEVELS, whatIfJson, whatIfText, type WhatIfScenario } from '../../core/index';
import { formatOption, lastValue, MAX_FILE_SIZE, maxFileSizeHelp, maxFileSizeOption, onePositional, readArgs, UsageError } from '../args';
import { escapeControls } from '../format';
import type { CliIO, Command } from '../io';
import { findTenant, loadTenant, printProblems } from '../load';

const HELP = `Usage:
  ztp whatif <tenant> --user <upn|group> --platform <platform> [options]
  ztp whatif --lockout <tenant> [--format text|json] [--max-file-size <MB>]

Evaluates every Conditional Access policy of the tenant folder for one sign-in, offline: whether each applies
and why, its grant, and the result (allowed, allowed if…, blocked, or unsatisfiable when the tenant cannot meet a
requirement, e.g. a compliant device on a platform with no compliance policy).

Scenario:
  --user <upn|group>          who signs in: a user principal name, and/or manifest groups (repeat, or a,b)
  --role <name|id>            a directory role the user holds (repeatable; e.g. "Global Administrator")
  --guest                     the user is a guest or external user
  --guest-type <type>         which kind of guest (implies --guest): internalGuest, b2bCollaborationGuest,
                              b2bCollaborationMember, b2bDirectConnectUser, otherExternalUser, serviceProvider;
                              without it a guest is taken to be of the type a policy names
  --guest-tenant <tenant id>  the guest's home tenant, a GUID (implies --guest; a user of another tenant): read
                              against a policy's external tenants and the partner's cross-tenant access trust
                              (settings.crossTenantAccess.partners), else the default's; without it a guest is
                              taken to be of a tenant a policy names
  --platform <p>              ${['windows', 'iOS', 'android', 'macOS', 'linux'].join(', ')}
  --app <id>                  an app id, Office365, MicrosoftAdminPortals, or All (default: All, every app)
  --user-action <action>      the sign-in is a user action, not a sign-in to an app: registerSecurityInformation
                              (urn:user:registersecurityinfo) or registerOrJoinDevices (urn:user:registerdevice);
                              only the policies for that user action apply (not those for All resources); not with --app
  --auth-context <c1…c99>     an authentication context the app asks for: the policies that include it apply; with
                              --app, those of the app too; without, the context alone (as Graph's What If has it)
  --auth-flow <flow>          the sign-in uses ${AUTH_FLOWS.join(' or ')}: the policies whose
                              authenticationFlows name it apply, besides the others (without it, those do not apply)
  --client-app <type>         ${CLIENT_APPS.join(', ')} (default: browser)
  --device-compliant          the device is marked compliant
  --app-protected             the app has an app protection policy
  --hybrid-joined             the device is Microsoft Entra hybrid joined
  --location <id|trusted>     a named location id, trusted, or untrusted (the default)
  --compliant-network yes|no  whether the sign-in comes through the Global Secure Access compliant network
                              (AllCompliantNetworkLocations); without it, unknown from a trusted location (a
                              policy excluding that network "may" apply), no from an untrusted one. --lockout
                              signs the break-glass accounts in with no (they are needed when its client or
                              service fails)
  --risk <level>              sign-in risk: ${RISK_LEVELS.join(', ')} (default: none)
  --user-risk <level>         user risk (default: none)
  --insider-risk <level>      insider risk: ${INSIDER_RISK_LEVELS.join(', ')} (default: none)
  --format text|json          output format (default: text)
  ${maxFileSizeHelp(28)}

--lockout signs in as every break-glass account and a sample member of every group the policies include, on
every platform of the manifest, to every app, in a browser and in mobile/desktop apps, and reports each sign-in
that ends blocked or unsatisfiable, with the policy to fix. It takes none of the scenario options above (a usage
error, exit 2): it chooses every sign-in itself.

Exit status: 0 the evaluation ran (whatever the verdict); 1 with --lockout when a lockout is found; 2 a usage or
I/O problem, or with --lockout no lockout found while a file that may hold a Conditional Access policy is not analysed
(it does not parse, or is over the size limit).`;

/** The options of one sign-in's scenario: none of them is read by --lockout, which signs in with its own. */
const SCENARIO_VALUES = ['--user', '--role', '--guest-type', '--guest-tenant', '--platform', '--app', '--user-action', '--auth-context', '--auth-flow', '--client-app', '--location', '--compliant-network', '--risk', '--user-risk', '--insider-risk'];
const SCENARIO_FLAGS = ['--guest', '--device-compliant', '--app-protected', '--hybrid-joined'];
const VALUES = [...SCENARIO_VALUES, '--format', MAX_FILE_SIZE];
const FLAGS = ['--lockout', ...SCENARIO_FLAGS];

async function run(argv: string[], io: CliIO): Promise<number> {
  const a = readArgs(argv, { values: VALUES, flags: FLAGS }, 'whatif');
  const lockout = a.flags.has('--lockout');
  const format = formatOption(lastValue(a, '--format'), ['text', 'json'], 'text');
  const maxFileSize = maxFileSizeOption(a);
  if (lockout) {
    // The lockout check signs in with its own scenarios (every account, platform and client app); an option of one
    // sign-in would be ignored, and a gate that ignores what it was told passes for the wrong reason.
    const ignored = [...SCENARIO_VALUES.filter((o) => a.values.has(o)), ...SCENARIO_FLAGS.filter((f) => a.flags.has(f))];
    if (ignored.length) {
      throw new UsageError(
        `${ignored.join(', ')} ${ignored.length === 1 ? 'describes' : 'describe'} one sign-in, and --lockout signs in as every break-glass account and group sample on every platform itself: drop ${ignored.length === 1 ? 'it' : 'them'}, or drop --lockout to evaluate that one sign-in (ztp whatif <tenant> --user … --platform …)`,
      );
    }
  }
  const tenant = onePositional(a, 'tenant folder');
  if (tenant === undefined) throw new UsageError(lockout ? 'name the tenant folder: ztp whatif --lockout <tenant>' : 'name the tenant folder: ztp whatif <tenant> --user … --platform …');
  const loaded = await loadTenant(await findTenant(tenant, io), io, { maxFileSize });
  printProblems(loaded, io);
  const rel = (p: string): string => relative(normalizeSlashes(io.cwd), p);
  const incomplete = loaded.problems.length > 0;
  if (lockout) {
    const report = loaded.service.lockout(loaded.root);
    io.stdout((format === 'json' ? JSON.stringify(lockoutJson(report, rel), null, 2) : escapeLines(lockoutText(report, rel))) + '\n');
    // Not run (the manifest cannot be used) is an I/O problem, not a pass.
    // A file that may hold a CA policy and is not analysed (it does not parse, or is over the size limit) leaves "no
    // lockout" unknown: not a pass either.
    return report.problem ? 2 : report.findings.length ? 1 : incomplete || report.unread?.length ? 2 : 0;
  }
  const user = (a.values.get('--user') ?? []).flatMap((u) => u.split(',').map((x) => x.trim()).filter(Boolean));
  if (!user.length) throw new UsageError('--user is required: a user principal name or a group of the manifest');
  const platform = lastValue(a, '--platform');
  if (!platform) throw new UsageError('--platform is required');
  const guestTenant = lastValue(a, '--guest-tenant');
  if (guestTenant !== undefined && !GUID.test(guestTenant.trim())) {
    throw new UsageError(`--guest-tenant takes the guest's home tenant id, a GUID (e.g. --guest-tenant 11111111-2222-3333-4444-555555555555), not \`${guestTenant}\`: find it in the partner's entry of the cross-tenant access settings, or with the tenant's domain name in Entra's tenant lookup`);
  }
  if (guestTenant !== undefined && lastValue(a, '--guest-type')?.trim() === 'internalGuest') {
    throw new UsageError('--guest-tenant names the home tenant of a user of another tenant, and --guest-type internalGuest is a local guest, an account of this tenant: drop --guest-tenant, or name another guest type (e.g. --guest-type b2bCollaborationGuest)');
  }
  const insiderRisk = lastValue(a, '--insider-risk');
  if (insiderRisk !== undefined && !(INSIDER_RISK_LEVELS as readonly string[]).includes(insiderRisk.trim())) {
    throw new UsageError(`--insider-risk takes one of ${INSIDER_RISK_LEVELS.join(', ')}, not \`${insiderRisk}\``);
  }
  const app = lastValue(a, '--app');
  const userAction = lastValue(a, '--user-action');
  const authContext = lastValue(a, '--auth-context');
  const authFlow = lastValue(a, '--auth-flow');
  if (userAction !== undefined && !canonicalUserAction(userAction)) {
    throw new UsageError(`--user-action takes registerSecurityInformation (urn:user:registersecurityinfo) or registerOrJoinDevices (urn:user:registerdevice), not \`${userAction}\``);
  }
  if (app !== undefined && canonicalUserAction(app)) {
    throw new UsageError(`\`${app}\` is a user action, not an app: use --user-action ${canonicalUserAction(app)} instead of --app`);
  }
  if (userAction !== undefined && app !== undefined) {
    throw new UsageError('--user-action and --app cannot be combined: a user action is not a sign-in to an app, and only the policies for that user action apply to it; drop --app');
  }
  if (userAction !== undefined && authContext !== undefined) {
    throw new UsageError('--user-action and --auth-context cannot be combined: a user action and an authentication context are two sign-ins; name one of them');
  }
  if (authContext !== undefined && !canonicalAuthContext(authContext)) {
    throw new UsageError(`--auth-context takes an authentication context id, c1 to c99 (e.g. --auth-context c1), not \`${authContext}\``);
  }
  if (authFlow !== undefined && !canonicalAuthFlow(authFlow)) {
    throw new UsageError(`--auth-flow takes ${AUTH_FLOWS.join(' or ')}, not \`${authFlow}\``);
  }
  const compliantNetwork = lastValue(a, '--compliant-network');
  if (compliantNetwork !== undefined && !['yes', 'no'].includes(compliantNetwork.trim())) {
    throw new UsageError(`--compliant-network takes yes or no (whether the sign-in comes through the Global Secure Access compliant network), not \`${compliantNetwork}\``);
  }
  const signIn = lastValue(a, '--risk');
  const userRisk = lastValue(a, '--user-risk');
  const scenario: WhatIfScenario = {
    user,
    roles: a.values.get('--role') ?? [],
    platform,
    // Unset, the app is All, unless the sign-in is a user action or an authentication context (the core decides).
    ...(app !== undefined ? { app } : {}),
    ...(userAction !== undefined ? { userAction } : {}),
    ...(authContext !== undefined ? { authContext } : {}),
    ...(authFlow !== undefined ? { authFlow } : {}),
    clientApp: lastValue(a, '--client-app') ?? 'browser',
    ...(a.flags.has('--guest') ? { guest: true } : {}),
    ...(lastValue(a, '--guest-type') !== undefined ? { guest: true, guestType: lastValue(a, '--guest-type') } : {}),
    ...(guestTenant !== undefined ? { guest: true, guestTenant } : {}),
    ...(insiderRisk !== undefined ? { insiderRisk } : {}),
    ...(a.flags.has('--device-compliant') ? { deviceCompliant: true } : {}),
    ...(a.flags.has('--app-protected') ? { appProtected: true } : {}),
    ...(a.flags.has('--hybrid-joined') ? { hybridJoined: true } : {}),
    ...(lastValue(a, '--location') !== undefined ? { location: lastValue(a, '--location') } : {}),
    ...(compliantNetwork !== undefined ? { compliantNetwork: compliantNetwork.trim() === 'yes' } : {}),
    ...(signIn !== undefined || userRisk !== undefined ? { risk: { ...(signIn !== undefined ? { signIn } : {}), ...(userRisk !== undefined ? { user: userRisk } : {}) } } : {}),
  };
  const { errors, result } = loaded.service.whatIf(loaded.root, scenario);
  if (errors.length || !result) throw new UsageError(errors.join('; '));
  io.stdout((format === 'json' ? JSON.stringify(whatIfJson(result, rel), null, 2) : escapeLines(whatIfText(result, rel))) + '\n');
  return incomplete ? 2 : 0;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Text output line by line, with the controls inside each line (from file and policy names) escaped. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}

export const whatif: Command = { name: 'whatif', prefix: 'ztp', help: HELP, run };

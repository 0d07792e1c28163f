/**
 * What If for sign-ins that are not a sign-in to an app, or not an ordinary one: a user action (registering security
 * info, registering or joining a device), an authentication context, and an authentication flow (device code flow,
 * authentication transfer). The tenants are the r26 identity review's: Lamna's security info registration templates
 * (test/fixtures-whatif/user-actions), Fourth Coffee's device code flow blocks with a Teams Rooms exception
 * (…/device-code-flow) and Relecloud's authentication contexts c1 and c2 (…/authentication-context).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { policyIn } from '../harness/whatif';
import { evaluate, validateScenario, type WhatIfResult, type WhatIfScenario } from '../../server/src/core/whatif';
import { whatIfText } from '../../server/src/core/features/whatif-format';
import type { TenantView } from '../../server/src/core/rule';

const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures-whatif');
const BIN = join(ROOT, 'bin', 'ztp.js');

async function tenant(name: string): Promise<TenantView> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  const dir = join(FIX, name);
  for (const f of await service.discover(dir)) await service.load(f);
  return service.view(dir.replace(/\\/g, '/'));
}

const lamna = tenant('user-actions');
const fourthCoffee = tenant('device-code-flow');
const relecloud = tenant('authentication-context');

async function run(view: Promise<TenantView>, s: Partial<WhatIfScenario> & { user: WhatIfScenario['user'] }): Promise<WhatIfResult> {
  const v = await view;
  const scenario: WhatIfScenario = { platform: 'windows', clientApp: 'browser', ...s };
  assert.deepEqual(validateScenario(v, scenario), []);
  return evaluate(v, scenario);
}

const policy = policyIn;

function applying(r: WhatIfResult): string[] {
  return [...r.policies, ...r.reportOnly].filter((p) => p.applies).map((p) => p.name).sort();
}

function ztp(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// ── User actions ───────────────────────────────────────────────────────────────────────────────────────────

test('registering security info meets only the policies for that user action: a block outside trusted locations blocks it, and no policy for All resources applies (t07)', async () => {
  const r = await run(lamna, { user: 'adele@lamna.com', userAction: 'registerSecurityInformation' });
  assert.equal(r.scenario.userAction, 'urn:user:registersecurityinfo');
  assert.equal(r.scenario.app, undefined);
  assert.deepEqual(applying(r), ['ca701-secinfo-trusted', 'ca703-secinfo-strength-ro']);
  assert.equal(r.verdict, 'blocked');
  assert.deepEqual(r.blockedBy, ['ca701-secinfo-trusted']);
  assert.match(policy(r, 'ca701-secinfo-trusted').why, /user action: registerSecurityInformation \(urn:user:registersecurityinfo\) in includeUserActions/);
  // Block legacy authentication, block device code flow, the risk policies, unknown platforms: all for All resources.
  for (const name of ['ca002-block-legacy', 'ca003-block-device-code', 'ca006-risk-signin', 'ca008-block-unknown-platforms']) {
    assert.match(policy(r, name).why, /not applied: the sign-in is the user action registerSecurityInformation \(urn:user:registersecurityinfo\), and the policy targets apps \(includeApplications \[All\]\)/, name);
  }
  assert.match(policy(r, 'ca702-register-join-devices').why, /the policy targets the user action registerOrJoinDevices \(urn:user:registerdevice\)/);
  const text = whatIfText(r, (p) => p);
  assert.match(text, /sign-in {4}windows · user action registerSecurityInformation \(urn:user:registersecurityinfo\) · client app browser/);
  assert.doesNotMatch(text, /· app /);
});

test('registering security info from a trusted location, as a Global Administrator: the template leaves both out, and the admins\' policy for All resources does not take the user action in (t07)', async () => {
  const r = await run(lamna, { user: 'admin@lamna.com', roles: ['Global Administrator'], userAction: 'urn:user:registersecurityinfo', location: 'trusted' });
  assert.equal(policy(r, 'ca701-secinfo-trusted').applies, false);
  assert.match(policy(r, 'ca701-secinfo-trusted').why, /excluded: role Global Administrator is in excludeRoles/);
  assert.equal(policy(r, 'ca005-admins-phish-resistant').applies, false);
  assert.match(policy(r, 'ca005-admins-phish-resistant').why, /the policy targets apps \(includeApplications \[All\]\)/);
  assert.equal(r.summary, 'allowed (no enforced policy applies)');
  // The report-only strength policy still says what it would ask.
  assert.equal(policy(r, 'ca703-secinfo-strength-ro').applies, true);
});

test('registering or joining a device meets the register-device policy alone, in either spelling of the action (t07)', async () => {
  for (const userAction of ['registerOrJoinDevices', 'urn:user:registerdevice', 'URN:USER:REGISTERDEVICE']) {
    const r = await run(lamna, { user: 'adele@lamna.com', userAction, platform: 'iOS' });
    assert.deepEqual(applying(r), ['ca702-register-join-devices'], userAction);
    assert.equal(r.summary, 'allowed if MFA');
  }
});

test('a sign-in to an app still leaves the user action policies out, naming the action (t07)', async () => {
  const r = await run(lamna, { user: 'adele@lamna.com', app: 'All' });
  assert.equal(policy(r, 'ca701-secinfo-trusted').applies, false);
  assert.match(policy(r, 'ca701-secinfo-trusted').why, /not applied: the policy targets the user action registerSecurityInformation \(urn:user:registersecurityinfo\), not app sign-ins/);
  assert.equal(policy(r, 'ca002-block-legacy').applies, false); // a browser, not legacy authentication
  assert.equal(r.scenario.app, 'All');
});

test('a scenario that names no app, no user action and no authentication context signs in to All apps, as before', async () => {
  const r = await run(lamna, { user: 'adele@lamna.com' });
  assert.equal(r.scenario.app, 'All');
  assert.equal(policy(r, 'ca001-mfa-all-users').applies, true);
});

test('validateScenario: unknown user actions, contexts and flows, a user action with an app, a user action with an authentication context, a user action given as an app', async () => {
  const view = await lamna;
  const errors = (s: Partial<WhatIfScenario>): string[] => validateScenario(view, { user: 'a@lamna.com', platform: 'windows', clientApp: 'browser', ...s });
  assert.deepEqual(errors({ userAction: 'registersecurityinfo' }), ['unknown user action `registersecurityinfo`; use registerSecurityInformation (urn:user:registersecurityinfo) or registerOrJoinDevices (urn:user:registerdevice)']);
  assert.deepEqual(errors({ userAction: 'registerSecurityInformation', app: 'All' }), ['a user action is not a sign-in to an app: Conditional Access evaluates it against the policies for that user action alone; name the user action or the app, not both']);
  assert.deepEqual(errors({ userAction: 'registerSecurityInformation', authContext: 'c1' }), ['a user action and an authentication context are two sign-ins: name one of them']);
  assert.deepEqual(errors({ app: 'urn:user:registersecurityinfo' }), ['`urn:user:registersecurityinfo` is a user action, not an app; name it as the user action (registerSecurityInformation), without an app']);
  assert.deepEqual(errors({ authContext: 'c100' }), ['unknown authentication context `c100`; use its id, c1 to c99']);
  assert.deepEqual(errors({ authContext: 'c0' }), ['unknown authentication context `c0`; use its id, c1 to c99']);
  assert.deepEqual(errors({ authFlow: 'deviceCode' }), ['unknown authentication flow `deviceCode`; use deviceCodeFlow or authenticationTransfer']);
  assert.deepEqual(errors({ authContext: 'C99', authFlow: 'DEVICECODEFLOW', app: 'Office365' }), []);
  assert.deepEqual(errors({ userAction: 'registerOrJoinDevices', authFlow: 'deviceCodeFlow' }), []);
});

// ── Authentication flows ───────────────────────────────────────────────────────────────────────────────────

test('device code flow to Office 365: the block of All users applies, the Teams Rooms exception does not, authentication transfer\'s block does not (t05)', async () => {
  const r = await run(fourthCoffee, { user: 'adele@fourthcoffee.com', platform: 'android', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', authFlow: 'deviceCodeFlow' });
  assert.deepEqual(r.blockedBy, ['ca501-block-dcf-office']);
  assert.match(policy(r, 'ca501-block-dcf-office').why, /authentication flow: deviceCodeFlow in authenticationFlows\.transferMethods/);
  assert.match(policy(r, 'ca503-block-auth-transfer').why, /not applied: authentication flow deviceCodeFlow not in authenticationFlows\.transferMethods \(authenticationTransfer\)/);
  assert.match(policy(r, 'ca504-rooms-dcf-office-only').why, /not applied: user is not in includeGroups \[grp-teams-rooms\]/);
  // The report-only block of every resource would block it too.
  assert.equal(policy(r, 'ca502-block-dcf-all-reportonly').grant?.outcome, 'block');
  assert.match(whatIfText(r, (p) => p), /sign-in {4}android · app Office365 · authentication flow deviceCodeFlow · client app mobileAppsAndDesktopClients/);
});

test('a Teams Rooms account signing in with device code: blocked outside the office by its own policy (ca504), allowed in it, excluded from the blocks of everyone (t05)', async () => {
  const room = { user: 'room-101@fourthcoffee.com', platform: 'android', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', authFlow: 'deviceCodeFlow' } as const;
  const out = await run(fourthCoffee, room);
  assert.deepEqual(out.blockedBy, ['ca504-rooms-dcf-office-only']);
  assert.match(policy(out, 'ca501-block-dcf-office').why, /excluded: user is in excludeGroups grp-teams-rooms/);
  const office = await run(fourthCoffee, { ...room, location: 'trusted' });
  assert.deepEqual(office.blockedBy, []);
  assert.equal(policy(office, 'ca504-rooms-dcf-office-only').applies, false);
  assert.equal(office.summary, 'allowed if MFA');
});

test('authentication transfer meets the block of authentication transfer alone; an ordinary sign-in meets no flow policy (t05)', async () => {
  const transfer = await run(fourthCoffee, { user: 'adele@fourthcoffee.com', platform: 'iOS', app: 'All', authFlow: 'authenticationTransfer' });
  assert.deepEqual(transfer.blockedBy, ['ca503-block-auth-transfer']);
  assert.equal(policy(transfer, 'ca501-block-dcf-office').applies, false);
  const ordinary = await run(fourthCoffee, { user: 'adele@fourthcoffee.com', platform: 'iOS', app: 'All' });
  assert.deepEqual(ordinary.blockedBy, []);
  for (const name of ['ca501-block-dcf-office', 'ca503-block-auth-transfer', 'ca504-rooms-dcf-office-only']) {
    const p = policy(ordinary, name);
    assert.equal(p.applies, false, name);
    if (name !== 'ca504-rooms-dcf-office-only') assert.match(p.why, /not applied: authenticationFlows \((deviceCodeFlow|authenticationTransfer)\) — the scenario is an ordinary sign-in, not a transfer flow \(--auth-flow names one\)/, name);
  }
});

test('a user action through device code flow: the flow blocks are for apps, and leave it out (t05)', async () => {
  const r = await run(fourthCoffee, { user: 'adele@fourthcoffee.com', userAction: 'registerSecurityInformation', authFlow: 'deviceCodeFlow' });
  assert.deepEqual(applying(r), ['ca004-secinfo']);
  assert.equal(r.verdict, 'allowedIf');
});

// ── Authentication contexts ────────────────────────────────────────────────────────────────────────────────

test('an authentication context named alone meets the policies for it only, as Graph\'s What If evaluates it: c2 for PIM activation (t08)', async () => {
  const r = await run(relecloud, { user: 'ops.lead@relecloud.com', authContext: 'c2' });
  assert.equal(r.scenario.app, undefined);
  assert.deepEqual(applying(r), ['ca802-authctx-c2-pim']);
  assert.match(policy(r, 'ca802-authctx-c2-pim').why, /authentication context: c2 in includeAuthenticationContextClassReferences/);
  assert.match(policy(r, 'ca001-mfa-all-users').why, /not applied: the sign-in is the authentication context c2 alone, and the policy targets apps \(includeApplications \[All\]\) \(--app names the app that asks for the context: its policies apply to that sign-in too\)/);
  assert.match(policy(r, 'ca801-authctx-c1').why, /the policy targets the authentication context c1$/);
  assert.equal(r.summary, 'allowed if Phishing-resistant MFA (authentication strength)');
  assert.match(whatIfText(r, (p) => p), /sign-in {4}windows · authentication context c2 \(no app\) · client app browser/);
});

test('an authentication context with the app that asks for it: the app\'s policies and the context\'s apply together (t08)', async () => {
  const sharePoint = '00000003-0000-0ff1-ce00-000000000000';
  const r = await run(relecloud, { user: 'adele@relecloud.com', authContext: 'C1', app: sharePoint });
  assert.equal(r.scenario.authContext, 'c1');
  assert.deepEqual(applying(r), ['ca001-mfa-all-users', 'ca801-authctx-c1']);
  assert.equal(r.summary, 'allowed if a compliant device and Phishing-resistant MFA (authentication strength)');
  // c2's policy is for the PIM-eligible: the user is not in it, and the context differs anyway.
  assert.equal(policy(r, 'ca802-authctx-c2-pim').applies, false);
  const alone = await run(relecloud, { user: 'adele@relecloud.com', authContext: 'c1' });
  assert.deepEqual(applying(alone), ['ca801-authctx-c1']);
  // A context no policy includes: nothing to meet.
  const none = await run(relecloud, { user: 'adele@relecloud.com', authContext: 'c3' });
  assert.equal(none.summary, 'allowed (no enforced policy applies)');
});

test('a sign-in to an app that names no authentication context leaves the context policies out, naming the context (t08)', async () => {
  const r = await run(relecloud, { user: 'ops.lead@relecloud.com', app: 'All' });
  assert.match(policy(r, 'ca801-authctx-c1').why, /not applied: the policy targets the authentication context c1, not app sign-ins/);
  const other = await run(relecloud, { user: 'ops.lead@relecloud.com', app: 'All', authContext: 'c2' });
  assert.match(policy(other, 'ca801-authctx-c1').why, /not applied: the policy targets the authentication context c1, not app sign-ins \(nor authentication context c2\)/);
});

// ── The command ────────────────────────────────────────────────────────────────────────────────────────────

test('ztp whatif --user-action, --auth-context and --auth-flow end to end; usage errors exit 2 with one line', () => {
  const secInfo = ztp(['whatif', 'test/fixtures-whatif/user-actions', '--user', 'adele@lamna.com', '--platform', 'windows', '--user-action', 'urn:user:registersecurityinfo']);
  assert.equal(secInfo.code, 0, secInfo.stderr);
  assert.match(secInfo.stdout, /Result: blocked by ca701-secinfo-trusted/);
  const json = ztp(['whatif', 'test/fixtures-whatif/authentication-context', '--user', 'ops.lead@relecloud.com', '--platform', 'windows', '--auth-context', 'c2', '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { scenario: Record<string, unknown>; verdict: string };
  assert.equal(out.scenario.authContext, 'c2');
  assert.equal('app' in out.scenario, false);
  assert.equal(out.verdict, 'allowedIf');
  const dcf = ztp(['whatif', 'test/fixtures-whatif/device-code-flow', '--user', 'room-101@fourthcoffee.com', '--platform', 'android', '--app', 'Office365', '--auth-flow', 'deviceCodeFlow']);
  assert.equal(dcf.code, 0, dcf.stderr);
  assert.match(dcf.stdout, /Result: blocked by ca504-rooms-dcf-office-only/);
  const usage: [string[], RegExp][] = [
    [['--app', 'urn:user:registersecurityinfo'], /^ztp: `urn:user:registersecurityinfo` is a user action, not an app: use --user-action registerSecurityInformation instead of --app$/],
    [['--user-action', 'registerSecurityInformation', '--app', 'All'], /^ztp: --user-action and --app cannot be combined: .*drop --app$/],
    [['--user-action', 'registerOrJoinDevices', '--auth-context', 'c1'], /^ztp: --user-action and --auth-context cannot be combined/],
    [['--user-action', 'mfa'], /^ztp: --user-action takes registerSecurityInformation \(urn:user:registersecurityinfo\) or registerOrJoinDevices \(urn:user:registerdevice\), not `mfa`$/],
    [['--auth-context', 'c100'], /^ztp: --auth-context takes an authentication context id, c1 to c99 \(e\.g\. --auth-context c1\), not `c100`$/],
    [['--auth-flow', 'deviceCode'], /^ztp: --auth-flow takes deviceCodeFlow or authenticationTransfer, not `deviceCode`$/],
  ];
  for (const [args, message] of usage) {
    const r = ztp(['whatif', 'test/fixtures-whatif/user-actions', '--user', 'adele@lamna.com', '--platform', 'windows', ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
  }
  const help = ztp(['whatif', '--help']);
  assert.match(help.stdout, /--user-action <action>/);
  assert.match(help.stdout, /--auth-context <c1…c99>/);
  assert.match(help.stdout, /--auth-flow <flow>/);
});

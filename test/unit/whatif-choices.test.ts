/**
 * What the editor's What If offers besides an app: the user actions, authentication contexts and authentication flows
 * of the `zeroTrust/whatIf` request's choices (`WhatIfTenantChoice`), read from the model's one answer
 * (`signInTargets`), and the quick picks the command builds from them (client/src/what-if-model.ts). The tenants are
 * the r26 identity review's (test/fixtures-whatif/user-actions, device-code-flow, authentication-context), whose
 * `ztp whatif --user-action`, `--auth-flow` and `--auth-context` runs test/unit/whatif-actions.test.ts checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPolicyService, type PolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { handleWhatIf } from '../../server/src/lsp/what-if';
import { pathToUri } from '../../server/src/lsp/convert';
import type { WhatIfParams, WhatIfResponse, WhatIfTenantChoice } from '../../server/src/protocol';
import { appContextItems, flowItems, isSeparator, scenarioOf, targetItems, validateAuthContext, type PickEntry, type TargetValue } from '../../client/src/what-if-model';

const FIX = join(__dirname, '..', 'fixtures-whatif');

async function serviceOf(name: string): Promise<{ service: PolicyService; root: string }> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  const dir = join(FIX, name);
  for (const f of await service.discover(dir)) await service.load(f);
  return { service, root: dir.replace(/\\/g, '/') };
}

async function ask(name: string, params: WhatIfParams = {}): Promise<{ response: WhatIfResponse; root: string }> {
  const { service, root } = await serviceOf(name);
  return { response: handleWhatIf(service, [root], params), root };
}

async function choiceOf(name: string): Promise<WhatIfTenantChoice> {
  const { response } = await ask(name);
  assert.equal(response.tenants.length, 1);
  return response.tenants[0]!;
}

/** The policies that apply to a sign-in the request evaluates, enforced and report-only alike. */
async function applying(name: string, scenario: NonNullable<WhatIfParams['scenario']>): Promise<string[]> {
  const { service, root } = await serviceOf(name);
  const r = handleWhatIf(service, [root], { tenantUri: pathToUri(root), scenario });
  assert.deepEqual(r.errors, undefined);
  return r.result!.policies.filter((p) => p.applies).map((p) => p.name).sort();
}

// ── The request's choices ───────────────────────────────────────────────────────────────────────────────

test('choices: both user actions, each with the policies (any state) that include it (Lamna, t07)', async () => {
  const t = await choiceOf('user-actions');
  assert.deepEqual(t.userActions, [
    { name: 'registerSecurityInformation', value: 'urn:user:registersecurityinfo', policies: ['ca701-secinfo-trusted', 'ca703-secinfo-strength-ro'] },
    { name: 'registerOrJoinDevices', value: 'urn:user:registerdevice', policies: ['ca702-register-join-devices'] },
  ]);
  assert.deepEqual(t.authContexts, []);
  // `transferMethods: deviceCodeFlow,authenticationTransfer` names both flows.
  assert.deepEqual(t.authFlows, [
    { name: 'deviceCodeFlow', policies: ['ca003-block-device-code'] },
    { name: 'authenticationTransfer', policies: ['ca003-block-device-code'] },
  ]);
});

test('choices: the authentication flows, each with the policies that name it (Fourth Coffee)', async () => {
  const t = await choiceOf('device-code-flow');
  assert.deepEqual(t.authFlows, [
    { name: 'deviceCodeFlow', policies: ['ca501-block-dcf-office', 'ca502-block-dcf-all-reportonly', 'ca504-rooms-dcf-office-only'] },
    { name: 'authenticationTransfer', policies: ['ca503-block-auth-transfer'] },
  ]);
  assert.deepEqual(t.userActions.find((a) => a.name === 'registerOrJoinDevices')?.policies, []);
});

test('choices: the authentication contexts the policies include, named by the folder\'s Graph list of them, and one no policy includes yet (Relecloud)', async () => {
  const t = await choiceOf('authentication-context');
  assert.deepEqual(t.authContexts, [
    { id: 'c1', displayName: 'Highly Confidential sites', description: 'SharePoint sites labelled Highly Confidential: phishing-resistant MFA on a compliant device', isAvailable: true, policies: ['ca801-authctx-c1'] },
    { id: 'c2', displayName: 'PIM role activation', description: 'Activating an eligible privileged role', isAvailable: true, policies: ['ca802-authctx-c2-pim'] },
    { id: 'c3', displayName: 'Finance approvals', description: 'Payment approvals in the finance app (no policy yet)', isAvailable: false, policies: [] },
  ]);
});

test('choices and evaluation are one answer: each offered user action, context and flow meets exactly the policies it names', async () => {
  const user = ['ops.lead@relecloud.com'];
  const relecloud = await choiceOf('authentication-context');
  for (const c of relecloud.authContexts) {
    // The context alone (Graph's What If): only the policies that include it apply; ops.lead is in grp-pim-eligible.
    assert.deepEqual(await applying('authentication-context', { user, platform: 'windows', authContext: c.id, clientApp: 'browser' }), c.policies, c.id);
  }
  const lamna = await choiceOf('user-actions');
  for (const a of lamna.userActions) {
    assert.deepEqual(await applying('user-actions', { user: ['adele@lamna.com'], platform: 'windows', userAction: a.name, clientApp: 'browser' }), [...a.policies].sort(), a.name);
  }
  const fourthCoffee = await choiceOf('device-code-flow');
  const ordinary = await applying('device-code-flow', { user: ['someone@fourthcoffee.com'], platform: 'windows', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients' });
  for (const f of fourthCoffee.authFlows) {
    const withFlow = await applying('device-code-flow', { user: ['someone@fourthcoffee.com'], platform: 'windows', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', authFlow: f.name });
    // What the flow adds are policies it names (some may be kept out by their other conditions: ca504 is the rooms'), and nothing it does not name.
    const added = withFlow.filter((p) => !ordinary.includes(p));
    assert.ok(added.length > 0, f.name);
    assert.deepEqual(added.filter((p) => !f.policies.includes(p)), [], f.name);
  }
});

test('the request without the new fields works as before; with them it evaluates what the CLI does, and refuses what the CLI refuses', async () => {
  const { response: old, root } = await ask('authentication-context', {
    tenantUri: pathToUri(join(FIX, 'authentication-context')),
    scenario: { user: ['adele@relecloud.com'], platform: 'windows', app: 'Office365', clientApp: 'browser' },
  });
  assert.deepEqual(old.errors, undefined);
  assert.equal(old.result?.verdict, 'allowedIf');
  assert.ok(!old.result!.policies.find((p) => p.name === 'ca801-authctx-c1')!.applies);
  // A request with no scenario still answers with the choices alone.
  assert.equal((await ask('authentication-context')).response.result, undefined);

  const { service } = await serviceOf('authentication-context');
  const tenantUri = pathToUri(root);
  const withContext = handleWhatIf(service, [root], { tenantUri, scenario: { user: ['adele@relecloud.com'], platform: 'windows', app: 'Office365', authContext: 'c1', clientApp: 'browser' } });
  assert.ok(withContext.result!.policies.find((p) => p.name === 'ca801-authctx-c1')!.applies);
  assert.match(withContext.markdown!, /authentication context c1/);
  const action = handleWhatIf(service, [root], { tenantUri, scenario: { user: ['adele@relecloud.com'], platform: 'windows', userAction: 'registerSecurityInformation', authFlow: 'deviceCodeFlow', clientApp: 'browser' } });
  assert.match(action.markdown!, /user action registerSecurityInformation \(urn:user:registersecurityinfo\)/);
  assert.match(action.markdown!, /authentication flow deviceCodeFlow/);
  const both = handleWhatIf(service, [root], { tenantUri, scenario: { user: ['adele@relecloud.com'], platform: 'windows', app: 'Office365', userAction: 'registerSecurityInformation', clientApp: 'browser' } });
  assert.equal(both.result, undefined);
  assert.match(both.errors!.join('\n'), /name the user action or the app, not both/);
  const bad = handleWhatIf(service, [root], { tenantUri, scenario: { user: ['adele@relecloud.com'], platform: 'windows', authContext: 'c100', clientApp: 'browser' } });
  assert.deepEqual(bad.errors, ['unknown authentication context `c100`; use its id, c1 to c99']);
});

test('contexts from every export shape: one typed object, PowerShell\'s untyped object, a bare list; a policy\'s `C5` is c5, a bad id and a named location are none', async () => {
  const files: Record<string, string> = {
    '/t/zerotrust.yaml': 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\n',
    '/t/ca.yaml': [
      'kind: ConditionalAccessPolicy',
      'name: ca-ctx',
      'spec:',
      '  displayName: Step-up',
      '  state: disabled',
      '  conditions:',
      '    users: { includeUsers: [All] }',
      '    applications: { includeAuthenticationContextClassReferences: [C5, cx, c9] }',
      '  grantControls: { operator: OR, builtInControls: [mfa] }',
      '',
    ].join('\n'),
    '/t/entra/c9.json': JSON.stringify({ '@odata.type': '#microsoft.graph.authenticationContextClassReference', id: 'c9', displayName: 'Board papers' }),
    '/t/entra/c4.json': JSON.stringify({ id: 'c4', displayName: 'HR records', description: '', isAvailable: false }),
    '/t/entra/list.json': JSON.stringify([{ id: 'c12', displayName: 'Payroll', isAvailable: true }]),
    '/t/entra/location.json': JSON.stringify({ '@odata.type': '#microsoft.graph.ipNamedLocation', id: 'c7', displayName: 'Not a context', isTrusted: true }),
  };
  const enc = new TextEncoder();
  const service = createPolicyService({ fs: { readFile: async (p) => enc.encode(files[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(files)) service.update(p, text, 1);
  const [t] = handleWhatIf(service, ['/t'], undefined).tenants;
  assert.deepEqual(t!.authContexts, [
    { id: 'c4', displayName: 'HR records', isAvailable: false, policies: [] },
    { id: 'c5', policies: ['ca-ctx'] },
    { id: 'c9', displayName: 'Board papers', policies: ['ca-ctx'] },
    { id: 'c12', displayName: 'Payroll', isAvailable: true, policies: [] },
  ]);
  assert.deepEqual(t!.authFlows, [{ name: 'deviceCodeFlow', policies: [] }, { name: 'authenticationTransfer', policies: [] }]);
});

// ── The quick picks ─────────────────────────────────────────────────────────────────────────────────────

function shape(entries: PickEntry<TargetValue>[]): string[] {
  return entries.map((e) => (isSeparator(e) ? `— ${e.separator}` : `${e.label} · ${e.description ?? ''}`));
}

test('target pick: cloud apps, then the user actions with their policies, then the tenant\'s contexts by name and "by its id"', async () => {
  const t = await choiceOf('authentication-context');
  const items = targetItems(t);
  assert.deepEqual(shape(items), [
    '— Cloud apps',
    'All cloud apps · All',
    'Office 365 · Office365',
    'Microsoft Admin Portals · MicrosoftAdminPortals',
    'An app by its id… · application (client) id',
    '— User actions (not a sign-in to an app)',
    '$(key) Register security information · urn:user:registersecurityinfo',
    '$(device-desktop) Register or join devices · urn:user:registerdevice',
    "— Authentication contexts (the context alone, as Graph's What If asks it)",
    '$(lock) Highly Confidential sites · c1',
    '$(lock) PIM role activation · c2',
    '$(lock) Finance approvals · c3 · not published to apps',
    '$(lock) An authentication context by its id… · c1 to c99',
  ]);
  const picked = items.filter((e) => !isSeparator(e)).map((e) => (e as { value: TargetValue }).value);
  assert.deepEqual(picked.slice(4, 6), [{ type: 'userAction', action: 'registerSecurityInformation' }, { type: 'userAction', action: 'registerOrJoinDevices' }]);
  assert.deepEqual(picked.slice(6), [{ type: 'authContext', id: 'c1' }, { type: 'authContext', id: 'c2' }, { type: 'authContext', id: 'c3' }, { type: 'typeAuthContext' }]);
  const secInfo = items.find((e) => !isSeparator(e) && e.description === 'urn:user:registersecurityinfo');
  assert.ok(secInfo && !isSeparator(secInfo));
  assert.match(secInfo.detail!, /1 policy: ca004-secinfo/);
  const c3 = items.find((e) => !isSeparator(e) && e.label.includes('Finance'));
  assert.ok(c3 && !isSeparator(c3));
  assert.equal(c3.detail, 'Payment approvals in the finance app (no policy yet) · no policy includes it');
});

test('optional steps: an app\'s context only where the tenant names contexts, a flow only where a policy names one; "none" first', async () => {
  const relecloud = await choiceOf('authentication-context');
  const contexts = appContextItems(relecloud)!;
  assert.deepEqual(contexts.map((i) => i.value), [null, 'c1', 'c2', 'c3']);
  assert.equal(appContextItems(await choiceOf('user-actions')), undefined);
  const flows = flowItems(await choiceOf('device-code-flow'))!;
  assert.deepEqual(flows.map((i) => i.value), [null, 'deviceCodeFlow', 'authenticationTransfer']);
  assert.match(flows[1]!.detail!, /^3 policies: ca501-block-dcf-office, ca502-block-dcf-all-reportonly, ca504-rooms-dcf-office-only$/);
  const none = { ...relecloud, authFlows: relecloud.authFlows.map((f) => ({ ...f, policies: [] })) };
  assert.equal(flowItems(none), undefined);
});

test('the scenario from the picks: a user action or a context alone has no app; an app keeps its context and flow; the old call still takes an app', () => {
  const flags = ['deviceCompliant' as const];
  assert.deepEqual(scenarioOf('grp-a', 'windows', { userAction: 'registerSecurityInformation', authFlow: 'deviceCodeFlow' }, 'browser', flags), {
    user: ['grp-a'], platform: 'windows', userAction: 'registerSecurityInformation', authFlow: 'deviceCodeFlow', clientApp: 'browser', deviceCompliant: true, appProtected: false, hybridJoined: false,
  });
  assert.deepEqual(scenarioOf('grp-a', 'windows', { authContext: 'c2' }, 'browser', []), { user: ['grp-a'], platform: 'windows', authContext: 'c2', clientApp: 'browser', deviceCompliant: false, appProtected: false, hybridJoined: false });
  assert.equal(scenarioOf('grp-a', 'windows', { app: 'Office365', authContext: 'c1' }, 'browser', []).app, 'Office365');
  assert.equal(scenarioOf('grp-a', 'windows', 'All', 'browser', []).app, 'All');
  assert.equal(validateAuthContext(' C7 '), undefined);
  assert.ok(validateAuthContext('c0'));
  assert.ok(validateAuthContext('c100'));
});

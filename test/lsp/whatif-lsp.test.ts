/** The `zeroTrust/whatIf` request over stdio: the quick-pick choices, an evaluation with its Markdown, bad input. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LspClient, uri } from '../harness/lsp-client';
import { WhatIfRequest, type WhatIfResponse } from '../../server/src/protocol';
import { previewHref } from '../../server/src/lsp/what-if';

const MS = join(__dirname, '..', 'fixtures-whatif', 'ms-examples');
let client: LspClient;

before(async () => {
  client = await LspClient.start([MS]);
  await client.until('the tenant is analysed', () => client.diagnostics.size > 0);
});

after(async () => {
  await client?.stop();
});

test('without a scenario: the tenants with their break-glass users, groups and platforms', async () => {
  const r = await client.conn.sendRequest<WhatIfResponse>(WhatIfRequest, {});
  assert.equal(r.tenants.length, 1);
  const t = r.tenants[0]!;
  assert.equal(t.name, 'fabrikam');
  assert.equal(t.uri, uri(MS));
  assert.deepEqual(t.breakGlassUsers, ['bg1@fabrikam.com']);
  assert.deepEqual(t.platforms, ['windows', 'iOS', 'android', 'macOS']);
  assert.ok(t.groups.some((g) => g.name === 'grp-breakglass' && g.breakGlass));
  // Besides an app, the user actions and authentication flows a sign-in can be, with the policies that name each.
  assert.deepEqual(t.userActions.map((a) => [a.name, a.value]), [['registerSecurityInformation', 'urn:user:registersecurityinfo'], ['registerOrJoinDevices', 'urn:user:registerdevice']]);
  assert.deepEqual(t.authFlows.map((f) => f.name), ['deviceCodeFlow', 'authenticationTransfer']);
  assert.ok(Array.isArray(t.authContexts));
  assert.equal(r.result, undefined);
});

test('with a scenario: the verdict, a row per policy with its file URI, and the Markdown report', async () => {
  const r = await client.conn.sendRequest<WhatIfResponse>(WhatIfRequest, {
    tenantUri: uri(MS),
    scenario: { user: ['someone@fabrikam.com'], platform: 'windows', app: 'Office365', clientApp: 'browser' },
  });
  assert.deepEqual(r.errors, undefined);
  assert.equal(r.result?.verdict, 'allowedIf');
  assert.equal(r.result?.summary, 'allowed if a compliant device');
  const row = r.result!.policies.find((p) => p.name === 'ca-require-compliant-device')!;
  assert.equal(row.uri, uri(join(MS, 'conditional-access', 'ca-require-compliant-device.yaml')));
  assert.ok(row.applies);
  assert.match(r.markdown!, /^# What If · fabrikam/);
  // The preview renders no file: link; it resolves `/…` against the first workspace folder.
  assert.ok(r.markdown!.includes('[ca-require-compliant-device](/conditional-access/ca-require-compliant-device.yaml)'), r.markdown);
});

test('a bad scenario answers with the problems, not an evaluation', async () => {
  const r = await client.conn.sendRequest<WhatIfResponse>(WhatIfRequest, {
    tenantUri: uri(MS),
    scenario: { user: ['grp-nope'], platform: 'windows', app: 'All', clientApp: 'browser' },
  });
  assert.equal(r.result, undefined);
  assert.match(r.errors!.join('\n'), /`grp-nope` is neither/);
  const elsewhere = await client.conn.sendRequest<WhatIfResponse>(WhatIfRequest, { tenantUri: 'file:///nowhere', scenario: { user: ['a@b.c'], platform: 'windows', app: 'All', clientApp: 'browser' } });
  assert.deepEqual(elsewhere.errors, ['choose one of the tenant folders']);
});

test('the request carries the guest\'s home tenant and insider risk as the CLI does, and their problems', async () => {
  const scenario = { user: ['g@partner.example'], platform: 'windows', app: 'Office365', clientApp: 'browser' };
  const r = await client.conn.sendRequest<WhatIfResponse>(WhatIfRequest, { tenantUri: uri(MS), scenario: { ...scenario, guestTenant: '11111111-2222-3333-4444-555555555555', insiderRisk: 'elevated' } });
  assert.deepEqual(r.errors, undefined);
  assert.match(r.markdown!, /guest \(home tenant 11111111-2222-3333-4444-555555555555\)/);
  assert.match(r.markdown!, /insider risk elevated/);
  const bad = await client.conn.sendRequest<WhatIfResponse>(WhatIfRequest, { tenantUri: uri(MS), scenario: { ...scenario, guestTenant: 'fabrikam.com', insiderRisk: 'high' } });
  assert.equal(bad.result, undefined);
  assert.deepEqual(bad.errors, [
    "the guest's home tenant `fabrikam.com` is not a tenant id; give the tenant's id, a GUID (e.g. 11111111-2222-3333-4444-555555555555)",
    'unknown insider risk `high`; use one of minor, moderate, elevated',
  ]);
});

test('preview links: relative to the first workspace folder, climbing out of it with ..', () => {
  assert.equal(previewHref('/ws/a/t/ca.yaml', '/ws/a'), '/t/ca.yaml');
  assert.equal(previewHref('/ws/b/t/ca x.yaml', '/ws/a/'), '/../b/t/ca%20x.yaml');
  assert.equal(previewHref('/ws/a/ca.yaml', undefined), 'file:///ws/a/ca.yaml');
});

/**
 * The thirty-first pass's finder, from public Conditional Access material: a tool's export that keeps its policies in
 * lists under keys of its own (`{ exportedAt, tenantId, policies: [ … ] }`; an offline analyser's `{ tenantId,
 * conditionalAccessPolicies: [ <PowerShell SDK objects> ], namedLocations, … }`) was no collection export, so `ztp
 * check` ignored it without a word and fired `legacy-auth-not-blocked`, and `ztp import` said "not a Graph export".
 * One reader (`collectionItems`, `collectionLists`) now tells such a list by its items' shape, for check, import, What
 * If, the lockout check and the report alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { planImport } from '../../server/src/core/import-plan';
import { collectionItems, collectionLists } from '../../server/src/core/graph';

const FIXTURES = join(__dirname, '..', 'fixtures');
const OWN_KEY = join(FIXTURES, 'legacy-auth-not-blocked', 'ok-list-under-own-key');
const SDK = join(FIXTURES, 'legacy-auth-not-blocked', 'ok-sdk-lists-under-own-keys');
const BLOCK = {
  displayName: 'Block legacy authentication',
  state: 'enabled',
  conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['exchangeActiveSync', 'other'] },
  grantControls: { operator: 'OR', builtInControls: ['block'] },
};

async function serviceOf(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem });
  for (const f of await service.discover(dir)) await service.load(f);
  return { service, findings: service.analyzeTenant(dir) };
}

test('a list of policies under a key of its own is a collection export, told by its items, never by the key', () => {
  assert.deepEqual(collectionLists({ exportedAt: '2026-05-01', tenantId: 'x', policies: [BLOCK] }), [{ key: 'policies', items: [BLOCK] }]);
  // Any key: the items decide.
  assert.deepEqual(collectionItems({ whatever: [BLOCK] }), [BLOCK]);
  // The SDK's PascalCase policies, and the Graph objects of other lists beside them; the tool's own list left out.
  const doc = JSON.parse(readFileSync(join(SDK, 'exports', 'offline-export.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(collectionLists(doc)?.map((l) => [l.key, l.items.length]), [['conditionalAccessPolicies', 2], ['namedLocations', 1], ['authenticationStrengthPolicies', 1]]);
  // Not every item Graph's: the tool's own data.
  assert.equal(collectionItems({ policies: [BLOCK, { displayName: 'Reviewer note', note: 'pending' }] }), undefined);
  // A policy by its shape needs the name Graph requires of it (a CA template's `details` has none).
  const { displayName: _name, ...unnamed } = BLOCK;
  assert.equal(collectionItems({ templates: [unnamed] }), undefined);
  // Graph's objects but no policy of the kinds: an authentication methods policy's configurations.
  assert.equal(collectionItems({ id: 'authenticationMethodsPolicy', authenticationMethodConfigurations: [{ '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', id: 'Fido2' }] }), undefined);
  // Graph's own resources and policy files are never lists of their own parts.
  assert.equal(collectionItems({ kind: 'ConditionalAccessPolicy', spec: {}, policies: [BLOCK] }), undefined);
  assert.equal(collectionItems({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', policies: [BLOCK] }), undefined);
  assert.equal(collectionItems({ ...BLOCK, policies: [BLOCK] }), undefined);
  // A `value` list keeps its old reading.
  assert.deepEqual(collectionLists({ '@odata.context': 'x', value: [BLOCK] }), [{ key: 'value', items: [BLOCK] }]);
  assert.deepEqual(collectionLists([BLOCK]), [{ items: [BLOCK] }]);
});

test('ztp check: such an export is reported on its list of policies and holds back the tenant-wide CA rules', async () => {
  for (const [dir, key] of [[OWN_KEY, 'policies'], [SDK, 'conditionalAccessPolicies']] as const) {
    const { findings } = await serviceOf(dir);
    assert.ok(!findings.some((f) => f.ruleId === 'legacy-auth-not-blocked'), dir);
    assert.ok(!findings.some((f) => f.ruleId === 'ca-mfa-all-users-missing'), dir);
    const note = findings.filter((f) => f.ruleId === 'unknown-kind');
    assert.equal(note.length, 1, dir);
    assert.match(note[0]!.message, new RegExp(`^this export's \`${key}\` list holds 2 policies \\(2 \`ConditionalAccessPolicy\`\\)`));
    assert.match(note[0]!.message, /ztp import/);
  }
});

test('What If, the lockout check and the report leave such an export out, saying so, not as if it were missing', async () => {
  for (const dir of [OWN_KEY, SDK]) {
    const { service } = await serviceOf(dir);
    const legacy = service.whatIf(dir, { user: 'someone@contoso.com', platform: 'iOS', clientApp: 'exchangeActiveSync' });
    assert.deepEqual(legacy.errors, []);
    assert.equal(legacy.result!.unread?.length, 1, dir);
    assert.match(legacy.result!.unread![0]!, /export\.json$/);
    const lockout = service.lockout(dir);
    assert.equal(lockout.unread?.length, 1, dir);
    const report = service.report(dir, { rel: (p) => p, format: 'md' });
    assert.match(report, /export\.json` holds a Conditional Access policy, which these sign-ins leave out: it is not analysed/);
  }
});

test('the SDK export\'s named locations are read beside its policies, as a `value` list\'s are', async () => {
  const { service } = await serviceOf(SDK);
  const { modelOf } = await import('../../server/src/core/model/index');
  const locations = modelOf(service.view(SDK)).namedLocations;
  assert.deepEqual([...locations.byId.keys()], ['50505050-5050-4050-8050-505050505051']);
  assert.equal(locations.byId.get('50505050-5050-4050-8050-505050505051')!.trusted, true);
});

test('ztp import splits such an export: the policies in Graph\'s casing, each said to come from its list, and the named locations and strengths kept', () => {
  const plan = planImport(
    [
      { path: '/export/ca-export.json', bytes: readFileSync(join(OWN_KEY, 'exports', 'ca-export.json')) },
      { path: '/export/offline-export.json', bytes: readFileSync(join(SDK, 'exports', 'offline-export.json')) },
    ],
    { source: '/export', format: 'yaml' },
  );
  assert.deepEqual(plan.skipped, []);
  assert.deepEqual(plan.policies.map((p) => [p.from, p.path]).sort(), [
    ['ca-export.json', 'conditional-access/block-legacy-authentication.yaml'],
    ['ca-export.json', 'conditional-access/require-mfa-for-all-users.yaml'],
    ['offline-export.json', 'conditional-access/block-legacy-authentication-2.yaml'],
    ['offline-export.json', 'conditional-access/require-mfa-for-all-users-2.yaml'],
  ]);
  const sdk = plan.policies.find((p) => p.path === 'conditional-access/block-legacy-authentication-2.yaml')!;
  assert.match(sdk.content, /\(item 2 of its `conditionalAccessPolicies` list\)/);
  assert.match(sdk.content, /clientAppTypes:\n\s+- exchangeActiveSync/, "Graph's casing");
  assert.doesNotMatch(sdk.content, /ClientAppTypes|tenantDisplayName|signInApps/);
  assert.deepEqual(plan.kept.map((k) => k.path).sort(), ['conditional-access/authentication-strengths/multifactor-authentication.json', 'conditional-access/named-locations/office.json']);
  assert.match(plan.kept.find((k) => /office/.test(k.path))!.what, /item 1 of its `namedLocations` list$/);
});

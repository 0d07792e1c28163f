/**
 * The thirtieth pass's finder, from public Conditional Access material: a collection export published with the
 * exporter's own keys beside `value` (a `_comment`, an `evidenceMetadata` block), and a policy kept inside a lab's own
 * wrapper under `graph`, or under `body` without its `@odata.type`. `ztp check` ignored both, so the tenant-wide CA
 * rules fired as if the policies were missing, and `ztp import` had nothing to import. One answer to "is this a
 * collection export" (`collectionItems`) and one to "is this a wrapper" (`unwrapExport`), read by both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { planImport } from '../../server/src/core/import-plan';
import { collectionItems, unwrapExport, wrappedKind } from '../../server/src/core/graph';

const FIXTURES = join(__dirname, '..', 'fixtures');
const BREAK_GLASS = 'd0447e25-8c0c-433a-b1c1-3e0660ddda3e';

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2));

function policy(displayName: string, controls: string[], clientAppTypes = ['all']): Record<string, unknown> {
  return {
    displayName,
    state: 'enabled',
    conditions: { clientAppTypes, applications: { includeApplications: ['All'] }, users: { includeUsers: ['All'], excludeGroups: [BREAK_GLASS] } },
    grantControls: { operator: 'OR', builtInControls: controls },
  };
}
const MFA = policy('Require MFA for all users', ['mfa']);
const BLOCK = policy('Block legacy authentication', ['block'], ['exchangeActiveSync', 'other']);

async function findingsOf(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem });
  for (const f of await service.discover(dir)) await service.load(f);
  return service.analyzeTenant(dir);
}

test('ztp import splits a collection export whatever keys of its own the exporter wrote beside `value`', () => {
  const context = 'https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies';
  const plan = planImport(
    [
      { path: '/export/CA_Policy_Export_Sanitized.json', bytes: json({ _comment: 'Sanitized export', value: [{ id: '00000000-0000-4000-8000-000000000001', ...MFA }, { id: '00000000-0000-4000-8000-000000000002', ...BLOCK }] }) },
      { path: '/export/current-policies.json', bytes: json({ '@odata.context': context, evidenceMetadata: { collectedAt: '2026-09-04T09:10:00Z' }, value: [{ id: '00000000-0000-4000-8000-000000000003', ...policy('Require MFA for admins', ['mfa']) }] }) },
    ],
    { source: '/export', format: 'yaml' },
  );
  assert.deepEqual(plan.skipped, []);
  assert.deepEqual(plan.policies.map((p) => [p.from, p.kind, p.path]).sort(), [
    ['CA_Policy_Export_Sanitized.json', 'ConditionalAccessPolicy', 'conditional-access/block-legacy-authentication.yaml'],
    ['CA_Policy_Export_Sanitized.json', 'ConditionalAccessPolicy', 'conditional-access/require-mfa-for-all-users.yaml'],
    ['current-policies.json', 'ConditionalAccessPolicy', 'conditional-access/require-mfa-for-admins.yaml'],
  ]);
  // The exporter's own keys are not the policy's.
  for (const p of plan.policies) assert.doesNotMatch(p.content, /_comment|evidenceMetadata/);
});

test('ztp import unwraps a Conditional Access policy kept under a single key of a wrapper, read by its shape as a top-level one is', () => {
  const plan = planImport(
    [
      { path: '/export/policies/CA001.json', bytes: json({ schemaVersion: 1, metadata: { id: 'CA001', purpose: 'Block legacy authentication' }, graph: BLOCK }) },
      { path: '/export/body/CA002.json', bytes: json({ body: MFA }) },
    ],
    { source: '/export', format: 'yaml' },
  );
  assert.deepEqual(plan.skipped, []);
  const block = plan.policies.find((p) => p.from === 'policies/CA001.json')!;
  assert.equal(block.kind, 'ConditionalAccessPolicy');
  assert.match(block.content, /another tool's wrapper \(the Graph body under `graph`, beside the tool's own keys\)/);
  const spec = (parse(block.content) as { spec: Record<string, unknown> }).spec;
  assert.deepEqual(spec, BLOCK, 'the body as exported, without the wrapper\'s keys');
  const mfa = plan.policies.find((p) => p.from === 'body/CA002.json')!;
  assert.equal(mfa.kind, 'ConditionalAccessPolicy');
  assert.match(mfa.content, /the Graph body under `body`\)\)/);
});

test('what is not a collection or a wrapper stays so: the tool\'s own list, a CA template, two policies, a policy itself, a $batch item', () => {
  // A `value` list of the tool's own data beside its own keys.
  assert.equal(collectionItems({ _comment: 'coverage', value: [{ month: '2026-08', covered: 412 }] }), undefined);
  // A policy file of this format, or a raw export, with a `value` list: never a collection.
  assert.equal(collectionItems({ kind: 'CompliancePolicy', spec: {}, value: [{ ...MFA }] }), undefined);
  assert.equal(collectionItems({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'Windows', value: [{ ...MFA }] }), undefined);
  // Only OData annotations beside `value`: a collection, whatever its items (as before).
  assert.deepEqual(collectionItems({ '@odata.context': 'x', value: [{ month: '2026-08' }] }), [{ month: '2026-08' }]);
  // A Conditional Access template: its `details` has a policy's conditions and grant, but no name.
  const { displayName: _name, state: _state, ...details } = MFA;
  assert.equal(unwrapExport({ id: 'c7503427-338e-4c5e-902d-abe252abfb43', name: 'Require MFA for admins', scenarios: 'protectAdmins', details }), undefined);
  // Two policies, neither under `body`: which one is meant is not said.
  assert.equal(unwrapExport({ before: MFA, after: BLOCK }), undefined);
  // A raw CA policy is no wrapper of its own parts.
  assert.equal(unwrapExport(BLOCK), undefined);
  // A `$batch` item's body may be part of a policy: left alone, as before.
  assert.equal(unwrapExport({ id: '1', method: 'POST', url: '/identity/conditionalAccess/policies', body: BLOCK }), undefined);
  // A `body` and a second policy beside it: left alone.
  assert.equal(unwrapExport({ body: BLOCK, graph: MFA }), undefined);
  // What check and import read is one answer.
  assert.deepEqual(wrappedKind({ schemaVersion: 1, graph: BLOCK }), { kind: 'ConditionalAccessPolicy', wrapper: "another tool's wrapper (the Graph body under `graph`, beside the tool's own keys)", key: 'graph' });
});

test('ztp check: such a file is reported and holds back the tenant-wide CA answers, as a collection saved whole does', async () => {
  for (const c of ['ok-collection-export-with-comment', 'ok-collection-export-evidence-metadata', 'ok-wrapper-under-own-key', 'ok-body-wrapper-without-type']) {
    const findings = await findingsOf(join(FIXTURES, 'legacy-auth-not-blocked', c));
    assert.ok(!findings.some((f) => f.ruleId === 'legacy-auth-not-blocked'), c);
    assert.ok(!findings.some((f) => f.ruleId === 'ca-mfa-all-users-missing'), c);
    const note = findings.filter((f) => f.ruleId === 'unknown-kind');
    assert.equal(note.length, 1, c);
    assert.match(note[0]!.message, /ztp import/, c);
    assert.match(note[0]!.message, /say nothing/, c);
  }
});

test('a manifest member that is no user principal name is said to be read as neither a user nor a group (r30 audit: a device name in an Autopilot group)', async () => {
  const enc = new TextEncoder();
  const files: Record<string, string> = {
    '/t/zerotrust.yaml': ['kind: Tenant', 'name: t', 'platforms: [windows]', 'groups:', '  - name: grp-pcs', '    members: [CTS-PC-0001]', ''].join('\n'),
  };
  const service = createPolicyService({ fs: { readFile: async (p) => enc.encode(files[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(files)) service.update(p, text, 1);
  const schema = service.findings('/t').filter((f) => f.ruleId === 'schema' && /CTS-PC-0001/.test(f.message));
  assert.equal(schema.length, 1);
  assert.match(schema[0]!.message, /the checks read it as a member of that name, neither a user they can match nor a group \(a device name leaves the group of unknown kind\)/);
});

/**
 * `ztp diff` over an MSP's workspace: shared templates in no tenant folder, and two tenant folders whose manifests
 * share a `name` (a copied customer folder). Shaped like an expert's workspace (repro-diff, repro-dupname).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { changeImpactExitCode, changeImpactJson, changeImpactMarkdown, changeImpactText, createPolicyService, diffWorkspaces, type ChangeImpact, type PolicyService } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { FIXTURE_NOW } from '../harness/fixtures';
import { tempDir } from '../harness/cli';

const manifest = (name: string): string => `kind: Tenant
name: ${name}
licenses: [M365_E3]
platforms: [windows]
groups:
  - name: grp-breakglass
    members: [bg1@${name}.com]
breakGlass:
  groups: [grp-breakglass]
  users: [bg1@${name}.com]
settings:
  mdmAuthority: intune
  secureByDefault: true
`;

const mfa = (apps = 'includeApplications', excluded = 'grp-breakglass'): string => `kind: ConditionalAccessPolicy
name: ca-all-users-mfa
owner: identity
spec:
  displayName: CA001 - All users - MFA
  state: enabled
  conditions:
    users:
      includeUsers: [All]
      excludeGroups: [${excluded}]
    applications:
      ${apps}: [All]
    clientAppTypes: [all]
  grantControls:
    operator: OR
    builtInControls: [mfa]
`;

function write(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root.replace(/\\/g, '/');
}

async function loaded(dir: string): Promise<PolicyService> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  return service;
}

async function impactOf(base: string, head: string): Promise<ChangeImpact> {
  const [b, h] = await Promise.all([loaded(base), loaded(head)]);
  return diffWorkspaces({ service: b, root: base, label: 'base' }, { service: h, root: head, label: 'head' });
}

const tenant = { 'acme/zerotrust.yaml': manifest('acme'), 'acme/ca-mfa.yaml': mfa() };

test('a shared template in no tenant folder broken by the change: its schema error is introduced, and fails the change (expert repro-diff)', async (t) => {
  const dir = tempDir(t, 'diff-outside');
  const base = write(join(dir, 'base'), { ...tenant, 'templates/ca-all-users-mfa.yaml': mfa('includeApplications', 'grp-breakglass-TEMPLATE') });
  const head = write(join(dir, 'head'), { ...tenant, 'templates/ca-all-users-mfa.yaml': mfa('includeApplicatons', 'grp-breakglass-TEMPLATE') });
  const impact = await impactOf(base, head);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(impact.tenants.map((x) => [x.name, x.change]), [['acme', 'unchanged']]);
  const n = impact.noTenant;
  assert.ok(n, 'the files in no tenant are compared');
  assert.equal(n.change, 'changed');
  assert.deepEqual(n.introduced.map((f) => [f.ruleId, f.severity, f.policy, f.file, f.line]), [['schema', 'error', 'ca-all-users-mfa', 'templates/ca-all-users-mfa.yaml', 12]]);
  assert.deepEqual(n.resolved, []);
  assert.equal(impact.failures.length, 1);
  assert.match(impact.failures[0]!, /^files in no tenant: introduces an error: schema on ca-all-users-mfa \(templates\/ca-all-users-mfa\.yaml:12\): `includeApplicatons`/);
  const text = changeImpactText(impact);
  assert.match(text, /⛔ This change introduces an error finding · 1 finding introduced/);
  assert.match(text, /\nFiles in no tenant folder \(changed\) · checked against their schema only\n {2}1 finding introduced\n\n {2}Findings introduced \(1\)\n {4}error {7}schema {2}ca-all-users-mfa {2}templates\/ca-all-users-mfa\.yaml:12/);
  assert.match(text, /\nUnchanged: acme$/);
  assert.match(changeImpactMarkdown(impact), /### Files in no tenant folder · changed · checked against their schema only/);
  const json = changeImpactJson(impact) as { tenants: unknown[]; noTenant: { change: string; introduced: { ruleId: string }[] }; failures: string[] };
  // A group of its own, beside the tenants, which keep their shape.
  assert.deepEqual(Object.keys(json), ['base', 'head', 'tenants', 'noTenant', 'failures']);
  assert.equal(json.tenants.length, 1);
  assert.equal(json.noTenant.change, 'changed');
  assert.deepEqual(json.noTenant.introduced.map((f) => f.ruleId), ['schema']);
});

test('a tenant-less file with schema errors deleted: its findings are resolved, and nothing fails', async (t) => {
  const dir = tempDir(t, 'diff-outside-deleted');
  const base = write(join(dir, 'base'), { ...tenant, 'templates/ca-all-users-mfa.yaml': mfa('includeApplicatons') });
  const head = write(join(dir, 'head'), tenant);
  const impact = await impactOf(base, head);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.ok(impact.noTenant);
  assert.equal(impact.noTenant.change, 'changed');
  assert.deepEqual(impact.noTenant.resolved.map((f) => f.ruleId).sort(), ['no-tenant-manifest', 'schema']);
  const text = changeImpactText(impact);
  assert.match(text, /Files in no tenant folder \(changed\)[^\n]*\n {2}2 findings resolved/);
  assert.doesNotMatch(text, /No change to findings/);
});

test('tenant-less files alike on both sides: unchanged, and said so; a workspace without any: no such group', async (t) => {
  const dir = tempDir(t, 'diff-outside-same');
  const files = { ...tenant, 'templates/ca-all-users-mfa.yaml': mfa('includeApplicatons') };
  const impact = await impactOf(write(join(dir, 'base'), files), write(join(dir, 'head'), files));
  assert.equal(changeImpactExitCode(impact), 0);
  assert.equal(impact.noTenant?.change, 'unchanged');
  assert.match(changeImpactText(impact), /✅ No change to findings, layers, sign-ins or policies\n\nUnchanged: acme, the files in no tenant$/);
  const none = await impactOf(write(join(dir, 'b2'), tenant), write(join(dir, 'h2'), tenant));
  assert.equal(none.noTenant, undefined);
  assert.ok(!('noTenant' in (changeImpactJson(none) as object)));
});

test('a customer folder copied with its manifest: the two tenants of one name are paired by folder, and each is named with its folder (expert repro-dupname)', async (t) => {
  const dir = tempDir(t, 'diff-dupname');
  const litware = { 'customers/litware/zerotrust.yaml': manifest('litware'), 'customers/litware/ca-mfa.yaml': mfa() };
  const base = write(join(dir, 'base'), litware);
  // The copy sorts before the original: it must not take the original's place.
  const head = write(join(dir, 'head'), { ...litware, 'customers/a-copy/zerotrust.yaml': manifest('litware'), 'customers/a-copy/ca-mfa.yaml': mfa('includeApplications', 'grp-all') });
  const impact = await impactOf(base, head);
  assert.deepEqual(
    impact.tenants.map((x) => [x.name, x.change, x.baseRoot, x.headRoot]),
    [
      ['litware in customers/a-copy', 'added', undefined, 'customers/a-copy'],
      ['litware in customers/litware', 'changed', 'customers/litware', 'customers/litware'],
    ],
  );
  // The original is the second of the name in path order: the warning is its.
  const original = impact.tenants[1]!;
  assert.deepEqual(original.introduced.map((f) => [f.ruleId, f.severity, f.file]), [['duplicate-tenant-name', 'warning', 'customers/litware/zerotrust.yaml']]);
  assert.deepEqual(original.policies, []);
  const text = changeImpactText(impact);
  assert.match(text, /\nTenant litware in customers\/a-copy \(added\)\n/);
  assert.match(text, /\nTenant litware in customers\/litware \(changed\)\n/);
  assert.doesNotMatch(text, /Unchanged/);
  // A name each side gives one tenant is paired by name, as before, wherever the folder went.
  const moved = await impactOf(write(join(dir, 'b2'), { 'old/zerotrust.yaml': manifest('litware') }), write(join(dir, 'h2'), { 'new/zerotrust.yaml': manifest('litware') }));
  assert.deepEqual(moved.tenants.map((x) => [x.name, x.change, x.baseRoot, x.headRoot]), [['litware', 'unchanged', 'old', 'new']]);
});

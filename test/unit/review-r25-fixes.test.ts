/**
 * r25 review fixes: a sibling type's property keeps its near-miss error; a users keyword in a group list is a group
 * where the manifest declares one of that name; the lockout check names every refused policy and signs in as no
 * keyword; a raw Simeon export is not refused for the name it carries in `$friendlyName`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePolicy } from '../../server/src/core/schema/validator';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { lockoutCheck } from '../../server/src/core/lockout';

const FIXTURES = join(__dirname, '..', 'fixtures');

async function open(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem });
  for (const f of await service.discover(dir)) await service.load(f);
  return service;
}

test('a sibling type\'s property that is a near miss of this type\'s is an error with its "did you mean" and whose it is', () => {
  const issues = validatePolicy('CompliancePolicy', { kind: 'CompliancePolicy', name: 'a', spec: { '@odata.type': '#microsoft.graph.androidWorkProfileCompliancePolicy', displayName: 'a', passcodeRequired: true } });
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.severity, undefined);
  assert.equal(issues[0]!.message, '`passcodeRequired` is not a property of `androidWorkProfileCompliancePolicy`; did you mean `passwordRequired`? (`passcodeRequired` is `iosCompliancePolicy`\'s)');
});

test('a sibling type\'s property with no near miss is a warning naming this type\'s own setting, never "move it"', () => {
  const issues = validatePolicy('CompliancePolicy', { kind: 'CompliancePolicy', name: 'w', spec: { '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'w', firewallEnabled: true } });
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.severity, 'warning');
  assert.match(issues[0]!.message, /^`firewallEnabled` is a property of `macOSCompliancePolicy`, not of `windows10CompliancePolicy`/);
  assert.match(issues[0]!.message, /this type's setting is `activeFirewallRequired`/);
  assert.doesNotMatch(issues[0]!.message, /move it/);
  // Where the table knows no equivalent, the advice is to remove it.
  const ios = validatePolicy('CompliancePolicy', { kind: 'CompliancePolicy', name: 'i', spec: { '@odata.type': '#microsoft.graph.iosCompliancePolicy', displayName: 'i', firewallEnabled: true } });
  assert.match(ios[0]!.message, /this type has no such setting: remove it/);
});

test('includeGroups: [All] with a manifest group named All is that group: no schema error, and the lockout check signs in as its member', async () => {
  const dir = join(FIXTURES, 'schema', 'ok-includegroups-manifest-group-named-all');
  const service = await open(dir);
  const findings = service.analyzeTenant(dir);
  assert.deepEqual(findings.filter((f) => f.ruleId === 'schema' || f.ruleId === 'unresolved-group').map((f) => f.message), []);
  const report = lockoutCheck(service.view(dir));
  assert.ok(report.subjects.some((s) => s.user === 'sample@All'), JSON.stringify(report.subjects.map((s) => s.user)));
  // Without the manifest group, the keyword is no group: the schema error, and no sample@All.
  const tmp = mkdtempSync(join(tmpdir(), 'ztp-all-'));
  try {
    cpSync(dir, tmp, { recursive: true });
    writeFileSync(join(tmp, 'zerotrust.yaml'), 'kind: Tenant\nname: r4\nlicenses: [ENTRA_ID_P1]\nplatforms: [windows]\ngroups:\n  - name: CA-Breakglass\n  - name: CA-Persona-Internals\nbreakGlass: { groups: [CA-Breakglass] }\n');
    const s2 = await open(tmp);
    assert.ok(s2.analyzeTenant(tmp).some((f) => f.ruleId === 'schema' && /keyword of `includeUsers`/.test(f.message)));
    const r2 = lockoutCheck(s2.view(tmp));
    assert.ok(!r2.subjects.some((s) => s.user.toLowerCase() === 'sample@all'));
    // The refused policy applies to no sample, and is named all the same (r25 reviewA g1, g4).
    assert.ok(r2.warnings.some((w) => w.policy === 'ca001-block-non-personas' && /not deployable as written/.test(w.message)), JSON.stringify(r2.warnings));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('an excludeGroups keyword in a block\'s allowlist gets no sample member (r25 reviewA g3)', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ztp-g3-'));
  try {
    mkdirSync(join(tmp, 'ca'));
    writeFileSync(join(tmp, 'zerotrust.yaml'), 'kind: Tenant\nname: g3\nlicenses: [ENTRA_ID_P1]\nplatforms: [windows]\ngroups:\n  - name: CA-Breakglass\nbreakGlass: { groups: [CA-Breakglass] }\n');
    writeFileSync(join(tmp, 'ca', 'ca001.yaml'), 'kind: ConditionalAccessPolicy\nname: ca001\nspec:\n  displayName: CA001\n  state: enabled\n  conditions:\n    users:\n      includeUsers: [All]\n      excludeGroups: [CA-Breakglass, GuestsOrExternalUsers]\n    applications: { includeApplications: [All] }\n    clientAppTypes: [all]\n  grantControls: { operator: OR, builtInControls: [block] }\n');
    const service = await open(tmp);
    const report = lockoutCheck(service.view(tmp));
    assert.ok(!report.subjects.some((s) => /GuestsOrExternalUsers/i.test(s.user)), JSON.stringify(report.subjects.map((s) => s.user)));
    assert.equal(report.warnings.filter((w) => /not deployable as written/.test(w.message)).length, 1);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a raw Simeon export is not refused for its name: $friendlyName is read as displayName, as ztp import reads it', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ztp-simeon-'));
  try {
    mkdirSync(join(tmp, 'Identity', 'ConditionalAccess', 'Policies'), { recursive: true });
    writeFileSync(join(tmp, 'zerotrust.yaml'), 'kind: Tenant\nname: simeon\nlicenses: [ENTRA_ID_P1]\nplatforms: [windows]\ngroups:\n  - name: CA-Breakglass\nbreakGlass: { groups: [CA-Breakglass] }\n');
    writeFileSync(
      join(tmp, 'Identity', 'ConditionalAccess', 'Policies', 'Baseline - Block Legacy Authentication.json'),
      JSON.stringify({ $description: '| What does this do? | Blocks all legacy authentication in the tenant. |', $friendlyName: 'Baseline - Block Legacy Authentication', conditions: { applications: { includeApplications: ['All'] }, clientAppTypes: ['exchangeActiveSync', 'other'], users: { includeUsers: ['All'], excludeGroups: ['CA-Breakglass'] } }, grantControls: { builtInControls: ['block'], operator: 'OR' }, state: 'enabled' }, null, 2),
    );
    const service = await open(tmp);
    const findings = service.analyzeTenant(tmp);
    assert.ok(!findings.some((f) => f.ruleId === 'legacy-auth-not-blocked'), JSON.stringify(findings.filter((f) => f.ruleId === 'legacy-auth-not-blocked')));
    const schema = findings.filter((f) => f.ruleId === 'schema');
    assert.ok(schema.every((f) => f.severity === 'warning'), JSON.stringify(schema));
    assert.ok(schema.some((f) => /`\$friendlyName` is Simeon Cloud's name for the policy, not a Graph property: Graph's is `displayName`/.test(f.message)));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

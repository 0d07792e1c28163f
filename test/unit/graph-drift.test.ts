/**
 * Graph drift (docs/schemas.md): Graph returns properties before its metadata lists them. A near miss of a known
 * property is an error with "did you mean"; a null-valued unknown property is no finding and an import drops it;
 * any other unknown property is a warning naming the metadata snapshot. Plus Linux compliance, which is
 * settings-catalog based (`deviceManagementCompliancePolicy`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validatePolicy } from '../../server/src/core/schema/validator';
import { GRAPH_SNAPSHOT } from '../../server/src/core/schema/schemas';
import { importedSpec } from '../../server/src/core/interop';
import { graphEndpoint, rawKindOf } from '../../server/src/core/graph';
import { collectFacts, type PolicyFacts } from '../../server/src/core/facts';
import { parseBytes } from '../../server/src/core/document';
import { FIXTURES } from '../harness/fixtures';
import { ROOT, tmp, ztp } from '../harness/interop';

const ca = (extra: Record<string, unknown>) => ({
  kind: 'ConditionalAccessPolicy',
  name: 'ca',
  spec: {
    displayName: 'CA',
    state: 'enabled',
    conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
    // A grant, which Graph requires (unless the test writes its own, misspelt or not).
    ...('GrantControls' in extra || 'grantControls' in extra ? {} : { grantControls: { operator: 'OR', builtInControls: ['mfa'] } }),
    ...extra,
  },
});

test('an unknown property that is a near miss is an error with "did you mean"', () => {
  const issues = validatePolicy('ConditionalAccessPolicy', ca({ GrantControls: { operator: 'OR', builtInControls: ['mfa'] } }));
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.severity, undefined);
  assert.match(issues[0]!.message, /did you mean `grantControls`\?/);
});

test('a null-valued unknown property is no finding; a valued one is a warning that names the snapshot', () => {
  assert.deepEqual(validatePolicy('ConditionalAccessPolicy', ca({ somethingGraphAddedLater: null })), []);
  const issues = validatePolicy('ConditionalAccessPolicy', ca({ somethingGraphAddedLater: { isEnabled: true } }));
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.severity, 'warning');
  assert.ok(issues[0]!.message.includes(`snapshot ${GRAPH_SNAPSHOT}`), issues[0]!.message);
  assert.match(GRAPH_SNAPSHOT, /^\d{4}-\d{2}-\d{2}$/);
});

test('our own shapes are not Graph: an unknown key in the envelope or the manifest stays an error', () => {
  const issues = validatePolicy('ConditionalAccessPolicy', { ...ca({}), reviewer: 'someone' });
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.severity, undefined);
});

test('the properties observed in real exports that the metadata lacks are accepted, null or not', () => {
  const sc = (instance: Record<string, unknown>) => ({
    kind: 'ConfigurationProfile',
    name: 'sc',
    spec: { name: 'SC', platforms: 'windows10', technologies: 'mdm', settings: [{ settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: 'x', choiceSettingValue: { value: 'x_1', children: [] }, ...instance } }] },
  });
  assert.deepEqual(validatePolicy('ConfigurationProfile', sc({ auditRuleInformation: null })), []);
  assert.deepEqual(validatePolicy('ConditionalAccessPolicy', ca({ sessionControls: { networkAccessSecurity: { policyId: '00000000-0000-0000-0000-000000000000', isEnabled: true } } })), []);
  // Graph's operator values as written: `or` is reported, with the value to write.
  const lower = validatePolicy('ConditionalAccessPolicy', ca({ grantControls: { operator: 'or', builtInControls: ['mfa'] } }));
  assert.equal(lower.length, 1);
  assert.match(lower[0]!.message, /write `OR`/);
  // A grant control Graph's own templates return (Secure account recovery), after the evolvable enum's sentinel.
  assert.deepEqual(validatePolicy('ConditionalAccessPolicy', ca({ grantControls: { operator: 'AND', builtInControls: ['verifiedID'] } })), []);
  const apps = { includeApplications: [], networkAccess: { includeTrafficProfiles: 'm365' }, globalSecureAccess: { includeTrafficProfiles: 'internet' } };
  const withApps = ca({});
  (withApps.spec.conditions as Record<string, unknown>).applications = apps;
  assert.deepEqual(validatePolicy('ConditionalAccessPolicy', withApps), []);
});

test('import drops null-valued properties the metadata lacks, and keeps the ones it knows', () => {
  const spec = importedSpec('ConditionalAccessPolicy', {
    displayName: 'CA',
    state: 'enabled',
    somethingGraphAddedLater: null,
    conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'], futureAppCondition: null }, clientAppTypes: ['all'], platforms: null },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  });
  assert.equal('somethingGraphAddedLater' in spec, false);
  const conditions = spec.conditions as Record<string, unknown>;
  assert.equal('futureAppCondition' in (conditions.applications as object), false);
  assert.equal(conditions.platforms, null, 'a known property keeps its null');
});

test('`ztp import` of recent settings catalog and CA exports, then `ztp check`: no schema error', async () => {
  const exportDir = tmp('ztp-drift-export-');
  const out = tmp('ztp-drift-tenant-');
  try {
    for (const c of ['ok-graph-drift-settings-catalog', 'ok-graph-drift-conditional-access']) {
      for (const f of readdirSync(join(FIXTURES, 'schema', c)).filter((n) => n.endsWith('.json'))) cpSync(join(FIXTURES, 'schema', c, f), join(exportDir, f));
    }
    cpSync(join(FIXTURES, 'ca-requires-compliance-policy', 'ok-linux-compliance-raw-export', 'compliance', 'Linux-Compliance-Baseline.json'), join(exportDir, 'Linux-Compliance-Baseline.json'));
    writeFileSync(join(exportDir, 'group-breakglass.json'), JSON.stringify({ id: '6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f', displayName: 'grp-breakglass', securityEnabled: true, groupTypes: [] }));
    const imported = await ztp(['import', exportDir, '--out', out, '--license', 'M365_E5']);
    assert.equal(imported.code, 0, imported.stderr);
    const checked = await ztp(['check', out, '--format', 'json']);
    const findings = JSON.parse(checked.stdout) as { code: string; severity: string; message: string }[];
    assert.deepEqual(findings.filter((f) => f.code === 'schema'), []);
    const linux = parse(readFileSync(join(out, 'compliance', 'linux-compliance-baseline.yaml'), 'utf8')) as Record<string, unknown>;
    assert.equal(linux.kind, 'CompliancePolicy');
    const sc = parse(readFileSync(join(out, 'configuration', 'win-sc-defender-antivirus.yaml'), 'utf8')) as { spec: Record<string, unknown> };
    assert.equal('futureGraphProperty' in sc.spec, false, 'the unknown null was dropped');
  } finally {
    rmSync(exportDir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('Linux compliance: an untagged deviceManagementCompliancePolicy export is a CompliancePolicy for linux, created at /compliancePolicies', () => {
  const path = join(FIXTURES, 'ca-requires-compliance-policy', 'ok-linux-compliance-raw-export', 'compliance', 'Linux-Compliance-Baseline.json');
  const parsed = parseBytes(path, readFileSync(path));
  assert.equal(rawKindOf(parsed.value), 'CompliancePolicy');
  const facts = collectFacts(parsed) as PolicyFacts;
  assert.deepEqual(facts.platforms, ['linux']);
  assert.deepEqual(facts.schemaIssues, []);
  assert.equal(graphEndpoint('CompliancePolicy', facts.spec!)!.create, 'POST https://graph.microsoft.com/beta/deviceManagement/compliancePolicies');
  assert.equal(graphEndpoint('CompliancePolicy', { '@odata.type': '#microsoft.graph.windows10CompliancePolicy' })!.create, 'POST https://graph.microsoft.com/beta/deviceManagement/deviceCompliancePolicies');
  // A Linux settings catalog *configuration* profile (no compliance settings, no scheduled actions) stays one.
  const profile = { name: 'Linux - Defender', platforms: 'linux', technologies: 'linuxMdm,microsoftSense', settings: [{ settingInstance: { settingDefinitionId: 'linux_mdatp_managed_antivirusengine_enablerealtimeprotection' } }] };
  assert.equal(rawKindOf(profile), 'ConfigurationProfile');
  // A template without context or actions, told by its Linux compliance settings (jorgeasaurus/IntuneHydrationKit).
  assert.equal(rawKindOf({ ...profile, settings: [{ settingInstance: { settingDefinitionId: 'linux_passwordpolicy_minimumlength' } }] }), 'CompliancePolicy');
});

test('Linux compliance: a native file needs a block action like every compliance policy', async () => {
  const dir = tmp('ztp-linux-');
  try {
    cpSync(join(FIXTURES, 'ca-requires-compliance-policy', 'ok-linux-compliance'), dir, { recursive: true });
    const file = join(dir, 'compliance', 'linux-compliance.yaml');
    const text = readFileSync(file, 'utf8').replace(/ {2}scheduledActionsForRule:[\s\S]*$/, '');
    mkdirSync(join(dir, 'compliance'), { recursive: true });
    writeFileSync(file, text);
    const checked = await ztp(['check', dir, '--format', 'json', '--rule', 'break-glass-not-excluded=off']);
    const findings = JSON.parse(checked.stdout) as { code: string; file: string }[];
    assert.ok(findings.some((f) => f.code === 'compliance-missing-block-action' && f.file.endsWith('linux-compliance.yaml')), checked.stdout);
    assert.deepEqual(findings.filter((f) => f.code === 'schema'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(ROOT);
});

test('a property of a sibling Graph type names the types that have it: an error beside its "did you mean" when it is a near miss, else a warning', () => {
  // periodOnlineBeforeAccessCheck is a property of targetedManagedAppProtection (iOS, Android), not of
  // windowsManagedAppProtection; it is a near miss of periodOfflineBeforeAccessCheck, so an error (the format's rule)
  // that says whose property it is (r1-windows-mam-near-miss). pinRequired has no near miss there: the warning.
  const spec = { '@odata.type': '#microsoft.graph.windowsManagedAppProtection', displayName: 'Windows MAM Edge Policy', periodOfflineBeforeAccessCheck: 'PT720M', periodOnlineBeforeAccessCheck: 'PT30M', pinRequired: true, printBlocked: true };
  const issues = validatePolicy('AppProtectionPolicy', { kind: 'AppProtectionPolicy', name: 'windows-mam-edge', assignments: { include: ['allUsers'] }, spec });
  assert.deepEqual(issues.map((i) => i.path.at(-1)), ['periodOnlineBeforeAccessCheck', 'pinRequired']);
  const [online, pin] = issues;
  assert.equal(online!.severity, undefined);
  assert.match(online!.message, /did you mean `periodOfflineBeforeAccessCheck`\? \(`periodOnlineBeforeAccessCheck` is `iosManagedAppProtection` and `androidManagedAppProtection`'s\)/);
  assert.equal(pin!.severity, 'warning');
  assert.doesNotMatch(pin!.message, /did you mean|move it to/);
  assert.match(pin!.message, /`pinRequired` is a property of `iosManagedAppProtection` and `androidManagedAppProtection`, not of `windowsManagedAppProtection`/);
  // A real typo on the Windows body still gets its "did you mean".
  const typo = validatePolicy('AppProtectionPolicy', { kind: 'AppProtectionPolicy', name: 'w', spec: { '@odata.type': '#microsoft.graph.windowsManagedAppProtection', displayName: 'W', periodOflineBeforeAccessCheck: 'PT720M' } });
  assert.match(typo[0]!.message, /did you mean `periodOfflineBeforeAccessCheck`\?/);
});

test('tokenProtection under sessionControls names Graph\'s property for token protection, secureSignInSession', () => {
  const issues = validatePolicy('ConditionalAccessPolicy', ca({ sessionControls: { tokenProtection: { isEnabled: true } } }));
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.severity, 'warning');
  assert.match(issues[0]!.message, /^`tokenProtection` is not a property of `conditionalAccessSessionControls`: Graph's property for token protection is `secureSignInSession`/);
  assert.deepEqual(validatePolicy('ConditionalAccessPolicy', ca({ sessionControls: { secureSignInSession: { isEnabled: true } } })), []);
});

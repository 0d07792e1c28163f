/**
 * Graph interop: raw Graph exports analysed as they are, `ztp import` (exports → policy files), `ztp export` (policy
 * files → Graph request bodies), and the round trip between them. The export folder under test/fixtures-interop is
 * written like IntuneManagement's (UTF-16 LE with a BOM and CRLF, a migration table, exported groups).
 */
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createPolicyService, type PolicyService } from '../../server/src/core/service';
import { docPath, specPath, type ManifestFacts, type PolicyFacts } from '../../server/src/core/facts';
import { betaOnlyUses, classifyExportFile, importedSpec, importPolicy, pruneODataTypes, writableBody } from '../../server/src/core/interop';
import { foreignGraphTypeOf, readGraphAssignments, rawKindOf, slugName, stripReadOnly } from '../../server/src/core/graph';
import { assignmentIncludes, assignmentTargets, policySpan } from '../../server/src/core/tenant-query';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { platformsOf } from '../../server/src/core/import-plan';
import { exportPolicy } from '../../server/src/core/export-policy';
import { collectFacts } from '../../server/src/core/facts';
import { parseText } from '../../server/src/core/document';
import { hover } from '../../server/src/core/features/hover';
import { complete } from '../../server/src/core/features/completion';
import { FIXTURES } from '../harness/fixtures';
import { lostSettings, roundTrip, ROOT, tmp, ztp } from '../harness/interop';
import { modelOf } from '../../server/src/core/model/index';
import { policiesOfKind } from '../../server/src/core/reads';
import { locationTrust } from '../../server/src/core/model/named-locations';

const EXPORT = join(ROOT, 'test', 'fixtures-interop', 'graph-export');
const CONTOSO = join(ROOT, 'examples', 'contoso');

async function load(root: string): Promise<PolicyService> {
  const s = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await s.discover(root)) await s.load(f);
  return s;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Raw exports, analysed as they are

test('a raw CA export (UTF-16 LE, BOM, CRLF) is read as a ConditionalAccessPolicy, with no schema issue', async () => {
  const dir = join(FIXTURES, 'ca-requires-compliance-policy', 'fires-raw-export-utf16');
  const s = await load(dir);
  const file = join(dir, 'conditional-access', 'CA010-Staff-AnyApp-WindowsAndroid-Compliant.json').replace(/\\/g, '/');
  const p = s.get(file) as PolicyFacts;
  assert.equal(p.type, 'policy');
  assert.equal(p.kind, 'ConditionalAccessPolicy');
  assert.equal(p.raw, true);
  assert.equal(p.parsed.encoding, 'utf16le');
  assert.equal(p.name, 'ca010-staff-anyapp-windowsandroid-compliant');
  assert.deepEqual(p.schemaIssues, []);
  assert.deepEqual(p.platforms, ['windows', 'android']);
  // Group references point at the document's own paths, and the GUIDs resolve through the manifest's ids.
  assert.deepEqual(
    p.groupRefs.map((r) => r.path),
    [
      ['conditions', 'users', 'includeGroups', 0],
      ['conditions', 'users', 'excludeGroups', 0],
    ],
  );
  const findings = s.analyzeAll();
  assert.deepEqual(findings.filter((f) => f.ruleId === 'unresolved-group' || f.ruleId === 'unknown-kind' || f.ruleId === 'schema'), []);
  const ca = findings.find((f) => f.ruleId === 'ca-requires-compliance-policy')!;
  assert.ok(ca, 'the finding is there');
  const text = p.parsed.text.slice(ca.span.offset, ca.span.offset + ca.span.length);
  assert.equal(text, '"compliantDevice"', 'placed on the control itself');
  assert.match(ca.message, /no Android compliance policy/);
});

test('docPath and specPath drop `spec` for raw exports, and map kind and name to the export\'s own keys', async () => {
  const s = await load(join(FIXTURES, 'ca-requires-compliance-policy', 'fires-raw-export-utf16'));
  const raw = s.view(s.tenantRoots()[0]).policies.find((p) => p.raw)!;
  const native = s.view(s.tenantRoots()[0]).policies.find((p) => !p.raw)!;
  assert.deepEqual(specPath(raw, 'grantControls', 'builtInControls', 0), ['grantControls', 'builtInControls', 0]);
  assert.deepEqual(specPath(native, 'grantControls'), ['spec', 'grantControls']);
  assert.deepEqual(docPath(raw, ['kind']), ['@odata.type']);
  assert.deepEqual(docPath(raw, ['name']), ['displayName']);
  assert.deepEqual(docPath(native, ['name']), ['name']);
  const span = policySpan(raw, ['name'], 'value');
  assert.equal(raw.parsed.text.slice(span.offset, span.offset + span.length), '"CA010-Staff-AnyApp-WindowsAndroid-Compliant"');
});

test('hover and completion work in a raw export: the grant control, a Graph property, a group id', async () => {
  const dir = join(FIXTURES, 'ca-requires-compliance-policy', 'fires-raw-export-utf16');
  const s = await load(dir);
  const file = join(dir, 'conditional-access', 'CA010-Staff-AnyApp-WindowsAndroid-Compliant.json').replace(/\\/g, '/');
  const text = s.get(file)!.parsed.text;
  const at = (needle: string): number => text.indexOf(needle) + 1;
  assert.match(hover(s, file, at('"compliantDevice"'))!.markdown, /compliant/i);
  assert.match(hover(s, file, at('"includePlatforms"'))!.markdown, /platform/i);
  assert.match(hover(s, file, at('"6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f"'))!.markdown, /grp-all-staff/);
  // Completion reads the export as its kind's `spec`, not as a file that lacks `kind`.
  const controls = complete(s, file, text, at('"compliantDevice"')).map((c) => c.label);
  assert.ok(controls.includes('compliantApplication') && !controls.includes('CompliancePolicy'), controls.join(', '));
});

test('raw kind detection: @odata.type first, then shape; a file with `kind` or `spec` is never raw', () => {
  assert.equal(rawKindOf({ '@odata.type': '#microsoft.graph.iosManagedAppProtection' }), 'AppProtectionPolicy');
  assert.equal(rawKindOf({ '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration' }), 'EnrollmentRestriction');
  assert.equal(rawKindOf({ '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration' }), undefined);
  assert.equal(rawKindOf({ displayName: 'x', conditions: {}, grantControls: null }), 'ConditionalAccessPolicy');
  assert.equal(rawKindOf({ name: 'x', settings: [], platforms: 'windows10', technologies: 'mdm' }), 'ConfigurationProfile');
  assert.equal(rawKindOf({ partnerState: 'enabled', windowsEnabled: true }), 'DefenderConnector');
  assert.equal(rawKindOf({ name: 'x', spec: { '@odata.type': '#microsoft.graph.windows10CompliancePolicy' } }), undefined);
  assert.equal(rawKindOf({ kind: 'CompliancePolicy', '@odata.type': '#microsoft.graph.windows10CompliancePolicy' }), undefined);
  assert.equal(slugName('Win - OIB - Compliance - U - Device Health - v3.1'), 'win-oib-compliance-u-device-health-v3-1');
  assert.equal(slugName('CA-BreakGlassAccounts – Exclude (été)'), 'ca-breakglassaccounts-exclude-ete');
  // Two long versions of one policy stay two names, each at most 100 characters.
  const long = 'CAD003-O365: Grant macOS access for All users when Browser and Modern Auth Clients and require approved app or compliant device';
  const [v1, v2] = [slugName(`${long} v1.1`), slugName(`${long} v1.2`)];
  assert.notEqual(v1, v2);
  for (const n of [v1, v2]) assert.match(n, /^[a-z0-9]+(-[a-z0-9]+)*$/), assert.ok(n.length <= 100, n);
});

test('assignment targets are read from our block and from Graph\'s list; GUIDs resolve to manifest names', async () => {
  const s = await load(join(FIXTURES, 'ca-group-alignment', 'ok-raw-compliance-graph-assignments'));
  const view = s.view(s.tenantRoots()[0]);
  const raw = view.policies.find((p) => p.raw)!;
  assert.deepEqual(assignmentTargets(raw, view.manifest), { include: ['grp-all-staff'], exclude: ['grp-breakglass'], allUsers: false, allDevices: false });
  assert.deepEqual(assignmentIncludes(raw, view.manifest), ['grp-all-staff']);
  assert.deepEqual(assignmentIncludes(raw), ['6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f'], 'without a manifest, ids stay ids');
  const contoso = await load(CONTOSO);
  const cv = contoso.view(contoso.tenantRoots()[0]);
  const win = cv.policies.find((p) => p.name === 'win-compliance-baseline')!;
  assert.deepEqual(assignmentIncludes(win, cv.manifest), ['allDevices']);
  assert.equal(assignmentTargets(win, cv.manifest).allDevices, true);
  assert.deepEqual(
    readGraphAssignments([{ target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget', deviceAndAppManagementAssignmentFilterId: 'f', deviceAndAppManagementAssignmentFilterType: 'include' } }]).map((t) => [t.type, t.filtered]),
    [['allUsers', true]],
  );
});

test('read-only stripping keeps every setting, `@odata.type` and nulls; authenticationStrength becomes a reference', () => {
  const doc = {
    '@odata.context': 'x',
    '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
    id: 'a',
    'createdDateTime@odata.type': '#DateTimeOffset',
    createdDateTime: 'now',
    templateId: null,
    partialEnablementStrategy: null,
    displayName: 'p',
    sessionControls: null,
    conditions: { '@odata.type': '#microsoft.graph.conditionalAccessConditionSet', 'clientAppTypes@odata.type': '#Collection', clientAppTypes: ['all'] },
    grantControls: { authenticationStrength: { id: '00000000-0000-0000-0000-000000000004', displayName: 'Phishing-resistant MFA', allowedCombinations: ['fido2'] } },
    '#microsoft.graph.restore': { title: 'restore', target: 'x' },
  };
  assert.deepEqual(stripReadOnly(doc), {
    '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
    templateId: null,
    partialEnablementStrategy: null,
    displayName: 'p',
    sessionControls: null,
    conditions: { '@odata.type': '#microsoft.graph.conditionalAccessConditionSet', clientAppTypes: ['all'] },
    grantControls: { authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } },
  });
  const body = writableBody('ConditionalAccessPolicy', doc);
  assert.equal('templateId' in body, false);
  assert.equal('partialEnablementStrategy' in body, false);
  // `@odata.type` stays only where the Graph type is chosen by it.
  assert.deepEqual(pruneODataTypes('ConditionalAccessPolicy', body), {
    displayName: 'p',
    sessionControls: null,
    conditions: { clientAppTypes: ['all'] },
    grantControls: { authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } },
  });
  const setting = { settings: [{ '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting', id: '0', settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance', settingDefinitionId: 'd', simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue', value: 3 } } }] };
  assert.deepEqual(importedSpec('ConfigurationProfile', setting), {
    settings: [{ settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance', settingDefinitionId: 'd', simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue', value: 3 } } }],
  });
});

test('a CA body goes to beta only when it holds what only beta has (even as null)', () => {
  const v1 = { displayName: 'p', state: 'enabled', conditions: { users: { includeUsers: ['All'] }, clientAppTypes: ['all'] }, grantControls: { operator: 'OR', builtInControls: ['mfa'] } };
  assert.deepEqual(betaOnlyUses('ConditionalAccessPolicy', v1), []);
  assert.deepEqual(betaOnlyUses('ConditionalAccessPolicy', { ...v1, sessionControls: { continuousAccessEvaluation: { mode: 'strictEnforcement' } } }), ['sessionControls.continuousAccessEvaluation']);
  assert.deepEqual(betaOnlyUses('ConditionalAccessPolicy', { ...v1, conditions: { ...v1.conditions, times: null } }), ['conditions.times']);
});

// ---------------------------------------------------------------------------------------------------------------
// ztp import

test('ztp import turns a Graph export folder into policy files, a manifest with its groups, and a loud skip list', async () => {
  const out = tmp('ztp-import-');
  try {
    const r = await ztp(['import', EXPORT, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported 5 policies .*\(1 AppProtectionPolicy, 1 CompliancePolicy, 2 ConditionalAccessPolicy, 1 ConfigurationProfile\)/);
    assert.match(r.stdout, /read 4 groups from 2 files/);
    // What was skipped, and why.
    assert.match(r.stderr, /skipped 1 file/);
    // The named location the CA policy names by id is copied as exported (UTF-16 read, UTF-8 written), as check reads it.
    assert.match(r.stdout, /kept 1 file as exported \(no policy kind holds them; the Conditional Access checks read them\)\n  .*conditional-access[\\/]named-locations[\\/]allowed-countries\.json  ← NamedLocations\/ALLOWED COUNTRIES\.json: the named location `ALLOWED COUNTRIES` \(185c993e-10a9-44fa-98d1-230c8f72f497\), a `countryNamedLocation`/);
    assert.doesNotMatch(r.stderr, /ALLOWED COUNTRIES/);
    assert.match(r.stderr, /UpdatePolicies\/Win - WUfB - Ring 1\.json: `#microsoft\.graph\.windowsUpdateForBusinessConfiguration` is a Windows Update ring/);
    assert.match(r.stderr, /assignments\[3\]: an assignment with a filter cannot be written in the `assignments` block/);
    assert.match(r.stderr, /named location ids kept as they are \(185c993e-10a9-44fa-98d1-230c8f72f497\)/);

    const rel = files(out).map((f) => f.slice(out.length + 1).replace(/\\/g, '/'));
    assert.deepEqual(rel, [
      'app-protection/ios-byod-app-protection.yaml',
      'compliance/win-compliance-baseline.yaml',
      'conditional-access/ca010-staff-require-compliant-device.yaml',
      'conditional-access/ca100-admins-phishing-resistant-mfa.yaml',
      'conditional-access/named-locations/allowed-countries.json',
      'defender/win-edr-onboarding.yaml',
      'zerotrust.yaml',
    ]);
    const manifest = parse(readFileSync(join(out, 'zerotrust.yaml'), 'utf8'));
    assert.deepEqual(manifest.licenses, ['M365_E5']);
    assert.deepEqual(manifest.platforms, ['windows', 'iOS']);
    assert.deepEqual(manifest.groups, [
      { name: 'CA-BreakGlassAccounts - Exclude', id: 'd0447e25-8c0c-433a-b1c1-3e0660ddda3e' },
      { name: 'grp-admins', id: '1d965296-fb79-49f3-947f-7d8437a4288c' },
      { name: 'grp-all-staff', id: '6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f' },
      { name: 'grp-mobile-users', id: '454ce7c8-7be2-454d-858a-0e7fc2499574' },
    ]);
    assert.deepEqual(manifest.breakGlass, { groups: ['CA-BreakGlassAccounts - Exclude'] });

    const ca = parse(readFileSync(join(out, 'conditional-access', 'ca010-staff-require-compliant-device.yaml'), 'utf8'));
    assert.equal(ca.kind, 'ConditionalAccessPolicy');
    assert.deepEqual(ca.spec.conditions.users.includeGroups, ['grp-all-staff']);
    assert.deepEqual(ca.spec.conditions.users.excludeGroups, ['CA-BreakGlassAccounts - Exclude']);
    assert.deepEqual(ca.spec.conditions.locations, { includeLocations: ['All'], excludeLocations: ['185c993e-10a9-44fa-98d1-230c8f72f497'] });
    for (const k of ['id', 'createdDateTime', 'modifiedDateTime', 'deletedDateTime', 'templateId', '@odata.type', '@odata.context', '#microsoft.graph.restore']) assert.equal(k in ca.spec, false, k);
    const strength = parse(readFileSync(join(out, 'conditional-access', 'ca100-admins-phishing-resistant-mfa.yaml'), 'utf8'));
    assert.deepEqual(strength.spec.grantControls.authenticationStrength, { id: '00000000-0000-0000-0000-000000000004' });

    const win = parse(readFileSync(join(out, 'compliance', 'win-compliance-baseline.yaml'), 'utf8'));
    assert.deepEqual(win.assignments, { include: ['grp-all-staff', 'allDevices'], exclude: ['grp-mobile-users'] });
    assert.equal(win.spec['@odata.type'], '#microsoft.graph.windows10CompliancePolicy', 'kept: the kind needs it');
    assert.deepEqual(win.spec.assignments, [
      { target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget', deviceAndAppManagementAssignmentFilterId: '7e4b3c2a-1234-4321-8765-0a1b2c3d4e5f', deviceAndAppManagementAssignmentFilterType: 'include' } },
    ]);
    assert.deepEqual(win.spec.scheduledActionsForRule, [
      { ruleName: null, scheduledActionConfigurations: [{ gracePeriodHours: 0, actionType: 'block', notificationTemplateId: '00000000-0000-0000-0000-000000000000', notificationMessageCCList: [] }] },
    ]);
    for (const k of ['id', 'version', 'createdDateTime', 'lastModifiedDateTime']) assert.equal(k in win.spec, false, k);

    const app = parse(readFileSync(join(out, 'app-protection', 'ios-byod-app-protection.yaml'), 'utf8'));
    assert.deepEqual(app.assignments, { include: ['allUsers'] });
    assert.deepEqual(app.spec.apps[0], { mobileAppIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.office.outlook' } });
    for (const k of ['isAssigned', 'deployedAppCount', 'version', 'id']) assert.equal(k in app.spec, false, k);

    // The imported tenant checks clean of structure findings: no schema error, every group resolves. The named location
    // kept as exported is told to be kept (information), as on the export folder.
    const s = await load(out);
    const structure = s.analyzeAll().filter((f) => ['schema', 'unresolved-group', 'unknown-kind', 'yaml-syntax', 'duplicate-name'].includes(f.ruleId) && !(f.severity === 'information' && /: keep it in the tenant folder$/.test(f.message)));
    assert.deepEqual(structure.map((f) => `${f.ruleId} ${f.message}`), []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import --format json writes JSON policy files', async () => {
  const out = tmp('ztp-import-json-');
  try {
    const r = await ztp(['import', EXPORT, '--out', out, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(readFileSync(join(out, 'compliance', 'win-compliance-baseline.json'), 'utf8'));
    assert.equal(doc.kind, 'CompliancePolicy');
    assert.match(r.stdout, /add the tenant's licences/);
    assert.deepEqual(parse(readFileSync(join(out, 'zerotrust.yaml'), 'utf8')).licenses, []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import extends an existing manifest (comments kept), and says loudly what it could not map or read', async () => {
  const src = tmp('ztp-export-src-');
  const out = tmp('ztp-import-ext-');
  try {
    cpSync(EXPORT, src, { recursive: true });
    // No migration table: grp-admins and the break-glass group lose their names; a broken file is added.
    rmSync(join(src, 'MigrationTable.json'));
    writeFileSync(join(src, 'broken.json'), '{ "displayName": ');
    writeFileSync(
      join(out, 'zerotrust.yaml'),
      '# Our tenant\nkind: Tenant\nname: ours\nlicenses: [M365_E5]\ngroups:\n  - name: grp-all-staff   # named here, id unknown\n  - name: grp-kiosk\n    id: dce9b4e6-4b31-43c9-81a2-ad2b9577a225\n',
    );
    writeFileSync(join(src, 'Groups', 'staff.json'), JSON.stringify({ id: '6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f', displayName: 'grp-all-staff', securityEnabled: true }));
    const r = await ztp(['import', src, '--out', out]);
    assert.equal(r.code, 1, 'something was not mapped');
    assert.match(r.stderr, /could not read 1 file:\n {2}broken\.json: could not be read/);
    assert.match(r.stderr, /could not map 3 group ids to a name/);
    assert.match(r.stderr, /CA010 - Staff - Require compliant device\.json: conditions\.users\.excludeGroups\[0\]: group id d0447e25-8c0c-433a-b1c1-3e0660ddda3e has no name/);
    assert.match(r.stderr, /CA100 - Admins - Phishing-resistant MFA\.json: conditions\.users\.includeGroups\[0\]: group id 1d965296-fb79-49f3-947f-7d8437a4288c has no name/);
    const text = readFileSync(join(out, 'zerotrust.yaml'), 'utf8');
    assert.match(text, /^# Our tenant/);
    assert.match(text, /# named here, id unknown/);
    const m = parse(text);
    assert.deepEqual(m.groups, [
      { name: 'grp-all-staff', id: '6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f' },
      { name: 'grp-kiosk', id: 'dce9b4e6-4b31-43c9-81a2-ad2b9577a225' },
      { name: 'grp-mobile-users', id: '454ce7c8-7be2-454d-858a-0e7fc2499574' },
    ]);
    // Unmapped ids stay ids, so unresolved-group tells the admin in the editor too.
    const ca = parse(readFileSync(join(out, 'conditional-access', 'ca010-staff-require-compliant-device.yaml'), 'utf8'));
    assert.deepEqual(ca.spec.conditions.users.excludeGroups, ['d0447e25-8c0c-433a-b1c1-3e0660ddda3e']);
    // A second import does not overwrite what is there.
    const again = await ztp(['import', src, '--out', out]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /did not write 6 files:[\s\S]*exists; not overwritten \(use --force\)/);
    assert.equal((await ztp(['import', src, '--out', out, '--force'])).stdout.includes('imported 5 policies'), true);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import and export: usage problems exit 2 with one line', async () => {
  for (const args of [['import'], ['import', EXPORT], ['import', join(EXPORT, 'nope'), '--out', '/tmp/x'], ['import', EXPORT, '--out', '/tmp/x', '--license', 'M365_E9'], ['export', CONTOSO], ['export', EXPORT, '--out', '/tmp/x']]) {
    const r = await ztp(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const help = await ztp(['import', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /ztp import <export-folder> --out <tenant-folder>/);
  assert.match((await ztp(['--help'])).stdout, /ztp import <export> --out <tenant>[\s\S]*ztp export <tenant> --out <folder>/);
});

// ---------------------------------------------------------------------------------------------------------------
// ztp export

test('ztp export writes Graph request bodies with endpoints, versions and assign calls (the contoso example)', async () => {
  const out = tmp('ztp-export-');
  try {
    const r = await ztp(['export', CONTOSO, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /exported 25 policies/);
    assert.match(r.stderr, /3 user principal names stay in Conditional Access users, where Graph takes object ids/);
    const read = (n: string): Record<string, any> => JSON.parse(readFileSync(join(out, `${n}.json`), 'utf8'));

    const ca = read('ca-all-users-require-compliant-device');
    assert.equal(ca.apiVersion, 'v1.0');
    assert.equal(ca.endpoint, 'POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies');
    assert.deepEqual(ca.body.conditions.users.excludeGroups, ['d0447e25-8c0c-433a-b1c1-3e0660ddda3e']);
    assert.equal('assign' in ca, false, 'CA policies are not assigned');
    assert.ok(ca.notes.some((n: string) => /bg-admin1@contoso\.com` is a user principal name/.test(n)));

    const win = read('win-compliance-baseline');
    assert.equal(win.endpoint, 'POST https://graph.microsoft.com/beta/deviceManagement/deviceCompliancePolicies');
    assert.equal(win.body['@odata.type'], '#microsoft.graph.windows10CompliancePolicy');
    assert.deepEqual(win.assign, {
      endpoint: 'POST https://graph.microsoft.com/beta/deviceManagement/deviceCompliancePolicies/{id}/assign',
      body: { assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] },
    });
    const enrollment = read('windows-enrollment-restriction');
    assert.deepEqual(Object.keys(enrollment.assign.body), ['enrollmentConfigurationAssignments']);
    const ios = read('ios-app-protection-l2');
    assert.equal(ios.endpoint, 'POST https://graph.microsoft.com/beta/deviceAppManagement/iosManagedAppProtections');
    const targets = ios.assign.body.assignments.map((a: { target: Record<string, string> }) => a.target);
    assert.ok(targets.every((t: Record<string, string>) => t.groupId === undefined || /^[0-9a-f-]{36}$/.test(t.groupId)), JSON.stringify(targets));
    const connector = read('mde-connector');
    assert.equal(connector.endpoint, 'PATCH https://graph.microsoft.com/beta/deviceManagement/mobileThreatDefenseConnectors/fc780465-2017-40d4-a0c5-307022471b92');
    const dlp = read('dlp-devices-financial-data');
    assert.equal(dlp.endpoint, null);
    assert.equal(dlp.powershell[0].cmdlet, 'New-DlpCompliancePolicy');
    assert.deepEqual(dlp.powershell[0].parameters.EndpointDlpLocationException, ['grp-kiosk']);
    assert.deepEqual(dlp.powershell[1].parameters.EndpointDlpRestrictions[0], { Setting: 'RemovableMedia', Value: 'Block' });
    const autopilot = read('autopilot-user-driven');
    assert.match(autopilot.assign.endpoint, /windowsAutopilotDeploymentProfiles\/\{id\}\/assignments$/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("ztp export sends a connector without an id to Defender's id only where the tenant model says it is Defender's; a partner's or an unknown one keeps {id}, with a warning", async () => {
  const tenant = tmp('ztp-export-connector-');
  const out = join(tenant, 'out');
  const MDE = 'fc780465-2017-40d4-a0c5-307022471b92';
  const COLLECTION = 'PATCH https://graph.microsoft.com/beta/deviceManagement/mobileThreatDefenseConnectors';
  // Lookout's connector as a file of this format, written without its id (the expert panel's case), beside contoso's.
  const lookout = `kind: DefenderConnector\nname: lookout-connector\nowner: threat\nspec:\n  "@odata.type": "#microsoft.graph.mobileThreatDefenseConnector"\n  iosEnabled: true\n  androidEnabled: true\n`;
  const mde = join(tenant, 'defender', 'mde-connector.yaml');
  const exported = async (): Promise<{ code: number; stderr: string; read: (n: string) => Record<string, any> }> => {
    rmSync(out, { recursive: true, force: true });
    const r = await ztp(['export', tenant, '--out', out]);
    return { code: r.code, stderr: r.stderr, read: (n) => JSON.parse(readFileSync(join(out, `${n}.json`), 'utf8')) };
  };
  try {
    cpSync(CONTOSO, tenant, { recursive: true });
    writeFileSync(join(tenant, 'defender', 'lookout-connector.yaml'), lookout);
    // Two connector files without an id: either may be Defender's, so neither is sent to Defender's id.
    const both = await exported();
    assert.equal(both.code, 0, both.stderr);
    for (const n of ['mde-connector', 'lookout-connector']) {
      const c = both.read(n);
      assert.equal(c.endpoint, `${COLLECTION}/{id}`, n);
      assert.ok(c.notes.some((x: string) => /^no `id`: this is Defender for Endpoint's connector or another Mobile Threat Defense partner's: it cannot be told .*set `spec\.id` to the partner's connector id/.test(x)), n);
      assert.match(both.stderr, new RegExp(`ztp export: warning: defender/${n}\\.yaml: no \`id\`: .*set \`spec\\.id\` to the partner's connector id \\(from \`GET /deviceManagement/mobileThreatDefenseConnectors\`; Defender for Endpoint's is \`${MDE}\`\\) and export again`));
    }
    // Defender's connector given its id: the file without one beside it is another partner's, still not sent to Defender's.
    writeFileSync(mde, readFileSync(mde, 'utf8').replace('spec:\n', `spec:\n  id: ${MDE}\n`));
    const known = await exported();
    assert.equal(known.read('mde-connector').endpoint, `${COLLECTION}/${MDE}`);
    assert.equal(known.read('lookout-connector').endpoint, `${COLLECTION}/{id}`);
    assert.match(known.stderr, /defender\/lookout-connector\.yaml: no `id`: this is another Mobile Threat Defense partner's connector \(Lookout, Zimperium…\): the tenant's Defender for Endpoint connector is the file with its id/);
    assert.doesNotMatch(known.stderr, /mde-connector\.yaml: no `id`/);
    // The near miss: the tenant's only connector file, without an id, is Defender's (contoso as shipped): its id, no warning.
    rmSync(join(tenant, 'defender', 'lookout-connector.yaml'));
    writeFileSync(mde, readFileSync(mde, 'utf8').replace(`  id: ${MDE}\n`, ''));
    const sole = await exported();
    assert.equal(sole.read('mde-connector').endpoint, `${COLLECTION}/${MDE}`);
    assert.doesNotMatch(sole.stderr, /no `id`/);
  } finally {
    rmSync(tenant, { recursive: true, force: true });
  }
});

test('ztp export refuses, writing nothing, when a group has no id, and names it', async () => {
  const tenant = tmp('ztp-export-noid-');
  const out = join(tenant, 'out');
  try {
    cpSync(CONTOSO, tenant, { recursive: true });
    const m = join(tenant, 'zerotrust.yaml');
    writeFileSync(m, readFileSync(m, 'utf8').replace('    id: d0447e25-8c0c-433a-b1c1-3e0660ddda3e\n', ''));
    const r = await ztp(['export', tenant, '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nothing written; 10 problems to fix first/);
    assert.match(r.stderr, /conditional-access\/ca-all-users-require-compliant-device\.yaml: conditions\.users\.excludeGroups\[0\]: group `grp-breakglass` has no `id` in zerotrust\.yaml/);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(tenant, { recursive: true, force: true });
  }
});

test('ztp export counts schema findings as ztp check does: a property Graph\'s metadata lacks is a warning', async () => {
  const tenant = tmp('ztp-export-drift-');
  const out = join(tenant, 'out');
  try {
    cpSync(CONTOSO, tenant, { recursive: true });
    const ca = join(tenant, 'conditional-access', 'ca-all-users-require-compliant-device.yaml');
    writeFileSync(ca, readFileSync(ca, 'utf8').replace(/^spec:\n/m, 'spec:\n  isSynced: true\n'));
    const r = await ztp(['export', tenant, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /ca-all-users-require-compliant-device\.yaml: 1 schema warning; Graph may refuse the body \(run ztp check\)/);
  } finally {
    rmSync(tenant, { recursive: true, force: true });
  }
});

test('ztp export reads raw exports in a tenant folder as they are', async () => {
  const out = tmp('ztp-export-raw-');
  try {
    const r = await ztp(['export', join(FIXTURES, 'ca-group-alignment', 'ok-raw-compliance-graph-assignments'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const win = JSON.parse(readFileSync(join(out, 'win-compliance-baseline.json'), 'utf8'));
    for (const k of ['id', 'version', 'createdDateTime', '@odata.context', '#microsoft.graph.assign', 'assignments']) assert.equal(k in win.body, false, k);
    assert.deepEqual(win.assign.body.assignments, [
      { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: 'none', groupId: '6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f' } },
      { target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: 'none', groupId: 'd0447e25-8c0c-433a-b1c1-3e0660ddda3e' } },
    ]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Round trip

test('round trip: import then export reproduces every setting and assignment of the export, less read-only fields', async () => {
  const r = await roundTrip(EXPORT);
  assert.deepEqual(r.problems, []);
  assert.equal(r.checked, 5);
});

test('the round-trip check itself notices a lost setting', () => {
  assert.deepEqual(lostSettings({ id: 'x', a: 1, b: { c: [1, 2] }, '@odata.type': 't' }, { a: 1, b: { c: [1, 2] } }), []);
  assert.deepEqual(lostSettings({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1] } }), ['.b.c: 2 items became 1']);
  assert.deepEqual(lostSettings({ a: null, d: false }, { d: true }), ['.a: missing', '.d: false became true']);
});

test('ztp import: the platforms a block of every platform but some leaves out are the platforms the tenant supports; CA platform conditions alone beside a policy on every platform say nothing', () => {
  const raw = (name: string, body: Record<string, unknown>) => collectFacts(parseText(`/x/${name}.json`, JSON.stringify({ '@odata.type': '#microsoft.graph.conditionalAccessPolicy', displayName: name, state: 'enabled', ...body })));
  const conditions = (platforms: Record<string, unknown>) => ({ users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] }, platforms });
  const blockUnsupported = raw('block-unsupported', { conditions: conditions({ includePlatforms: ['all'], excludePlatforms: ['android', 'iOS', 'windows', 'macOS'] }), grantControls: { operator: 'OR', builtInControls: ['block'] } });
  const mfaButLinux = raw('mfa-but-linux', { conditions: conditions({ includePlatforms: ['all'], excludePlatforms: ['linux'] }), grantControls: { operator: 'OR', builtInControls: ['mfa'] } });
  const iosOnly = raw('ios-compliant', { conditions: conditions({ includePlatforms: ['iOS'] }), grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] } });
  assert.deepEqual(platformsOf([iosOnly]), ['iOS']);
  // A policy on every platform (but Linux) beside one on iOS: which others are in use is unknown, so none is written.
  assert.deepEqual(platformsOf([iosOnly, mfaButLinux]), []);
  // An Intune policy shows a platform in use; with it, the CA policies' own platforms count too.
  const winCompliance = collectFacts(parseText('/x/win.json', JSON.stringify({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'win' })));
  assert.deepEqual(platformsOf([iosOnly, mfaButLinux, winCompliance]), ['windows', 'iOS']);
  assert.deepEqual(platformsOf([iosOnly, mfaButLinux, blockUnsupported]), ['windows', 'iOS', 'android', 'macOS']);
});

test('ztp import reads the Graph body inside CIPP templates (table entries and template files), and says so in the header', async () => {
  const src = tmp('ztp-cipp-src-');
  const out = tmp('ztp-cipp-out-');
  try {
    // Shaped like CIPP's template table (Set-CIPPIntuneTemplate, New-CIPPCATemplate): JSON strings inside JSON.
    const catalog = {
      name: '[Baseline] Windows - Microsoft Store',
      description: '',
      platforms: 'windows10',
      technologies: 'mdm',
      templateReference: { templateId: '' },
      settings: [
        {
          id: '0',
          settingInstance: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
            settingDefinitionId: 'device_vendor_msft_policy_config_applicationmanagement_allowgamedvr',
            choiceSettingValue: { value: 'device_vendor_msft_policy_config_applicationmanagement_allowgamedvr_0', children: [] },
          },
        },
      ],
    };
    const intune = { Displayname: catalog.name, Description: '', RAWJson: JSON.stringify(catalog), Type: 'Catalog', GUID: '9c9005f1-359c-469c-ac8e-ba3bdc56d9bd' };
    writeFileSync(join(src, 'Baseline_Microsoft_Store.json'), JSON.stringify({ PartitionKey: 'IntuneTemplate', RowKey: intune.GUID, GUID: intune.GUID, JSON: JSON.stringify(intune) }));
    const compliance = { '@odata.type': '#microsoft.graph.iosCompliancePolicy', displayName: 'iOS - Compliance', passcodeRequired: true, scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }] };
    writeFileSync(join(src, 'iOS Compliance.IntuneTemplate.json'), JSON.stringify({ Displayname: 'iOS - Compliance', Description: '', RAWJson: JSON.stringify(compliance), Type: 'deviceCompliancePolicies' }));
    const ca = {
      displayName: 'All users - Require MFA',
      state: 'enabledForReportingButNotEnforced',
      conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      LocationInfo: [null, null],
    };
    writeFileSync(join(src, 'CA - Require MFA.json'), JSON.stringify({ PartitionKey: 'CATemplate', RowKey: 'b3a2a0e4-7d4c-4c8e-9a51-2f0c6d8e1a77', JSON: JSON.stringify(ca) }));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported 3 policies .*\(1 ConfigurationProfile, 1 ConditionalAccessPolicy, 1 CompliancePolicy\)/);
    const rel = files(out).map((f) => f.slice(out.length + 1).replace(/\\/g, '/'));
    const profile = rel.find((f) => f.endsWith('baseline-windows-microsoft-store.yaml'));
    assert.ok(profile, rel.join('\n'));
    const text = readFileSync(join(out, profile), 'utf8');
    assert.match(text, /Imported by ztp import from Baseline_Microsoft_Store\.json \(a CIPP Intune template\)\./);
    assert.match(text, /device_vendor_msft_policy_config_applicationmanagement_allowgamedvr_0/);
    const caFile = rel.find((f) => f.startsWith('conditional-access/'))!;
    const caText = readFileSync(join(out, caFile), 'utf8');
    assert.match(caText, /\(a CIPP Conditional Access template\)/);
    assert.doesNotMatch(caText, /LocationInfo/);
    const check = await ztp(['check', out, '--format', 'json']);
    const findings = JSON.parse(check.stdout) as { code: string }[];
    assert.deepEqual(findings.filter((f) => f.code === 'schema'), [], check.stdout);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import of a CIPP Conditional Access template: groups named by display name go to the manifest by name, CIPP keys are left out and said', async () => {
  const src = tmp('ztp-cipp-names-src-');
  const out = tmp('ztp-cipp-names-out-');
  try {
    const ca = {
      tenantFilter: [{ label: 'Template Tenant', value: 'Template Tenant' }],
      displayName: 'Block - Countries not allowed',
      state: 'enabled',
      conditions: {
        users: { includeUsers: ['All'], excludeGroups: ['CA - Emergency access accounts', 'CA - Travel exception'] },
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
        locations: { includeLocations: ['All'], excludeLocations: ['Allowed countries'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
      LocationInfo: [{ '@odata.type': '#microsoft.graph.countryNamedLocation', displayName: 'Allowed countries', countriesAndRegions: ['NL'] }],
      // A template synced from a CIPP community repository says where it came from (JC-Logic/ConditionalAccessBaseline).
      source: 'contoso/ca-templates',
      isSynced: true,
    };
    writeFileSync(join(src, 'Block countries.json'), JSON.stringify({ PartitionKey: 'CATemplate', RowKey: '5d0c1e7a-2b4f-4e8a-9d3c-7f1a2b3c4d5e', JSON: JSON.stringify(ca) }));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /groups named by display name, not id \(`CA - Emergency access accounts`, `CA - Travel exception`\): added to zerotrust\.yaml by name, without an id/);
    assert.match(r.stderr, /named location definitions \(`Allowed countries`\) are left out/);
    const manifest = readFileSync(join(out, 'zerotrust.yaml'), 'utf8');
    assert.match(manifest, /- name: CA - Emergency access accounts\n/);
    assert.match(manifest, /breakGlass:\n  groups:\n    - CA - Emergency access accounts/);
    const caFile = files(out).find((f) => f.includes('conditional-access'))!;
    assert.doesNotMatch(readFileSync(caFile, 'utf8'), /tenantFilter|LocationInfo|source|isSynced/);
    const check = await ztp(['check', out, '--format', 'json']);
    const findings = JSON.parse(check.stdout) as { code: string; message: string }[];
    // The named location is named by display name, which CIPP resolves when it deploys the template but `ztp export`
    // sends as written: the one schema error, as export's warning says (Graph refuses it).
    assert.deepEqual(
      findings.filter((f) => ['schema', 'unresolved-group', 'break-glass-not-excluded'].includes(f.code)).map((f) => f.message.replace(/:.*/, '')),
      ["`Allowed countries` in `excludeLocations` is neither a named location's id (a GUID) nor `All`, `AllTrusted` or `AllCompliantNetworkLocations`"],
      check.stdout,
    );
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import of an Intune assignment whose `groupId` holds a display name (Azure/securedworkstation): the group goes to the manifest by name, as for a CA policy, and is never called an id', async () => {
  const src = tmp('ztp-groupid-name-src-');
  const out = tmp('ztp-groupid-name-out-');
  try {
    // securedworkstation's ENT-Compliance-Immediate.json writes each group's display name where Graph puts its id; the
    // CA policy beside it names the same break-glass group by name, as CIPP's templates do: one group, one note each.
    cpSync(join(FIXTURES, 'unresolved-group', 'ok-raw-assignment-group-by-name', 'compliance', 'ENT-Compliance-Immediate.json'), join(src, 'ENT-Compliance-Immediate.json'));
    writeFileSync(
      join(src, 'CA001.json'),
      JSON.stringify({
        displayName: 'CA001 - Require MFA',
        state: 'enabledForReportingButNotEnforced',
        conditions: { users: { includeUsers: ['All'], excludeGroups: ['Emergency Breakglass'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      }),
    );
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /group id|has no name in the migration table|kept as the id/);
    assert.match(r.stderr, /ENT-Compliance-Immediate\.json: groups: groups named by display name, not id \(`Emergency Breakglass`, `Enterprise Workstation Users`\): added to zerotrust\.yaml by name, without an id/);
    assert.match(r.stderr, /CA001\.json: groups: groups named by display name, not id \(`Emergency Breakglass`\): added to zerotrust\.yaml by name/);
    assert.match(r.stdout, /created .*zerotrust\.yaml with 2 groups \(break-glass: Emergency Breakglass\)/);
    const m = parse(readFileSync(join(out, 'zerotrust.yaml'), 'utf8'));
    assert.deepEqual(m.groups, [{ name: 'Emergency Breakglass' }, { name: 'Enterprise Workstation Users' }]);
    const policy = parse(readFileSync(join(out, 'compliance', 'ent-compliance-immediate.yaml'), 'utf8'));
    assert.deepEqual(policy.assignments, { include: ['Enterprise Workstation Users'], exclude: ['Emergency Breakglass'] });
    const check = await ztp(['check', out, '--format', 'json']);
    const findings = JSON.parse(check.stdout) as { code: string }[];
    assert.deepEqual(findings.filter((f) => f.code === 'unresolved-group'), [], check.stdout);

    // Imported again into that tenant, the names are the manifest's groups: nothing is added, and no note says so.
    const again = await ztp(['import', src, '--out', out, '--force']);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /groups named by display name/);
    assert.deepEqual(parse(readFileSync(join(out, 'zerotrust.yaml'), 'utf8')).groups, m.groups);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import splits a Graph collection export (a list response saved whole) into one policy file per item', async () => {
  const src = tmp('ztp-list-src-');
  const out = tmp('ztp-list-out-');
  try {
    cpSync(join(FIXTURES, 'legacy-auth-not-blocked', 'ok-collection-export', 'conditional-access', 'policies.json'), join(src, 'policies.json'));
    writeFileSync(join(src, 'locations.json'), JSON.stringify({ '@odata.context': 'x', value: [{ '@odata.type': '#microsoft.graph.countryNamedLocation', displayName: 'Allowed countries', countriesAndRegions: ['DE'] }] }));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 1, r.stderr); // the excluded group's id has no name
    assert.match(r.stdout, /imported 2 policies .*\(2 ConditionalAccessPolicy\)/);
    assert.match(r.stderr, /locations\.json: a Graph collection export whose 1 items hold no policy of the kinds and no group/);
    const rel = files(out).map((f) => f.slice(out.length + 1).replace(/\\/g, '/'));
    assert.deepEqual(rel.filter((f) => f.startsWith('conditional-access/')), ['conditional-access/all-users-block-legacy-authentication.yaml', 'conditional-access/all-users-require-mfa.yaml']);
    assert.match(readFileSync(join(out, 'conditional-access', 'all-users-block-legacy-authentication.yaml'), 'utf8'), /Imported by ztp import from policies\.json \(item 1 of its `value` list\)\./);
    const check = await ztp(['check', out, '--format', 'json']);
    const codes = (JSON.parse(check.stdout) as { code: string }[]).map((f) => f.code);
    assert.ok(!codes.includes('legacy-auth-not-blocked'), check.stdout);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('a template profile inside a deviceConfigurations collection export is here, unread; ztp import keeps it as a file of its own', async () => {
  const src = tmp('ztp-list-profile-src-');
  const out = tmp('ztp-list-profile-out-');
  try {
    const fixture = join(FIXTURES, 'bitlocker-not-configured', 'ok-collection-export');
    // Checked in place: the configuration checks cannot say BitLocker is off, and the list is named.
    const inPlace = await ztp(['check', fixture, '--format', 'json']);
    const found = JSON.parse(inPlace.stdout) as { code: string; file: string; message: string }[];
    assert.ok(!found.some((f) => f.code === 'bitlocker-not-configured'), inPlace.stdout);
    assert.ok(found.some((f) => f.code === 'unknown-kind' && /deviceConfigurations\.json$/.test(f.file) && /1 template, custom or onboarding profile/.test(f.message)), inPlace.stdout);
    cpSync(join(fixture, 'configuration', 'deviceConfigurations.json'), join(src, 'deviceConfigurations.json'));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.match(r.stdout, /kept 1 file as exported/, r.stderr);
    const kept = join(out, 'configuration', 'windows-endpoint-protection-bitlocker.json');
    assert.equal((JSON.parse(readFileSync(kept, 'utf8')) as { bitLockerEncryptDevice?: boolean }).bitLockerEncryptDevice, true);
    const check = await ztp(['check', out, '--format', 'json']);
    const codes = (JSON.parse(check.stdout) as { code: string }[]).map((f) => f.code);
    assert.ok(!codes.includes('bitlocker-not-configured'), check.stdout);
    assert.ok(codes.includes('asr-rules-not-configured'), check.stdout); // read, not merely unknown
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import says when a compliance export has no scheduledActionsForRule (fetched without $expand)', () => {
  const raw = { '@odata.type': '#microsoft.graph.androidWorkProfileCompliancePolicy', displayName: 'Android', passwordRequired: true };
  const imported = importPolicy('CompliancePolicy', raw, 'android', () => undefined);
  assert.ok(imported.notes.some((n) => n.where === 'scheduledActionsForRule' && /\$expand=scheduledActionsForRule/.test(n.message)), JSON.stringify(imported.notes));
  const expanded = importPolicy('CompliancePolicy', { ...raw, scheduledActionsForRule: [{ ruleName: null, scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }] }, 'android', () => undefined);
  assert.ok(!expanded.notes.some((n) => n.where === 'scheduledActionsForRule'));
});

test('ztp import says, per settings catalog item of a list, that its settings were not in the export and how to fetch them (public source dmcwee/nodeaction configurationPolicies.json)', () => {
  // An item of `GET /deviceManagement/configurationPolicies`, as Graph lists it: the setting count, no settings, no assignments.
  const item = {
    createdDateTime: '2024-07-17T16:30:13.4884129Z',
    description: '',
    name: 'API Testing',
    platforms: 'windows10',
    roleScopeTagIds: ['0'],
    settingCount: 7,
    technologies: 'mdm,microsoftSense',
    id: '046ab877-143d-498b-a295-841aa7d5c653',
    templateReference: { templateId: '804339ad-1553-4478-a742-138fb5807418_1', templateFamily: 'endpointSecurityAntivirus', templateDisplayName: 'Microsoft Defender Antivirus', templateDisplayVersion: 'Version 1' },
  };
  const imported = importPolicy('ConfigurationProfile', item, 'api-testing', () => undefined);
  const note = imported.notes.find((n) => n.where === 'settings');
  assert.ok(note, JSON.stringify(imported.notes));
  assert.match(note.message, /^`api-testing`: its 7 settings are not in the export, nor its assignments .*fetch it with `GET \/deviceManagement\/configurationPolicies\/\{id\}\?\$expand=settings,assignments`/);
  // Fetched with its settings: nothing to say. A count of 0: it has none, and the file says so.
  assert.ok(!importPolicy('ConfigurationProfile', { ...item, settings: [] }, 'api-testing', () => undefined).notes.some((n) => n.where === 'settings'));
  const empty = importPolicy('ConfigurationProfile', { ...item, settingCount: 0 }, 'api-testing', () => undefined);
  assert.ok(!empty.notes.some((n) => n.where === 'settings'));
  assert.deepEqual((empty.doc.spec as Record<string, unknown>).settings, []);
});

test('ztp import says what IntuneManagement\'s <profile>_Settings.json is: a copy, as one JSON string, of the settings the profile file holds (public source 0125joel/IntoTheCloud-data)', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const settings = [
    { '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', definitionId: 'deviceConfiguration--windows10EndpointProtectionConfiguration_bitLockerEncryptDevice', valueJson: 'true', value: true },
    { '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', definitionId: 'deviceConfiguration--windows10EndpointProtectionConfiguration_bitLockerDisableWarningForOtherDiskEncryption', valueJson: 'true', value: true },
  ];
  const intent = { '@odata.type': '#microsoft.graph.deviceManagementIntent', displayName: 'Win - BitLocker Encryption', templateId: 'd1174162-1dd2-4976-affc-6667049ab0ae', isAssigned: true, settings };
  // IntuneManagement writes both in UTF-16 LE with a BOM; the copy is one JSON string of `{ "settings": [ … ] }`.
  const utf16 = (text: string): Uint8Array => new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
  const dir = '/x/Windows/EndpointSecurity';
  const copy = { path: `${dir}/Win - BitLocker Encryption_Settings.json`, bytes: utf16(JSON.stringify(JSON.stringify({ settings }, null, 2))) };
  const profile = { path: `${dir}/Win - BitLocker Encryption.json`, bytes: utf16(JSON.stringify(intent, null, 2)) };
  const plan = planImport([profile, copy], { source: '/x', format: 'yaml' });
  const skipped = plan.skipped.find((x) => x.file.endsWith('_Settings.json'));
  assert.equal(skipped?.reason, "IntuneManagement's copy of `Win - BitLocker Encryption`'s settings (2 settings, as one JSON string), which the profile file Windows/EndpointSecurity/Win - BitLocker Encryption.json holds: nothing lost");
  assert.equal(plan.kept.length, 1, JSON.stringify(plan.kept.map((k) => k.from)));
  // Without the profile beside it: said, not "nothing lost".
  const alone = planImport([copy], { source: '/x', format: 'yaml' }).skipped[0]!;
  assert.match(alone.reason, /^a copy of a profile's settings \(2 settings, as one JSON string, .*without the profile file it belongs to/);
  // A profile file beside it cut short (an odd byte of UTF-16): it could not be read, which says nothing of what it holds.
  const cut = { path: profile.path, bytes: profile.bytes.subarray(0, profile.bytes.length - 1) };
  const unread = planImport([cut, copy], { source: '/x', format: 'yaml' });
  assert.equal(unread.skipped.find((x) => x.file.endsWith('_Settings.json'))?.reason, "IntuneManagement's copy of `Win - BitLocker Encryption.json`'s settings (2 settings, as one JSON string), beside the profile file Windows/EndpointSecurity/Win - BitLocker Encryption.json, which could not be read: fix that file, then import again");
  assert.match(unread.unreadable[0]!.reason, /not valid UTF-16 LE/);
  // Any other JSON string is still not a JSON object.
  const other = planImport([{ path: '/x/note.json', bytes: new TextEncoder().encode(JSON.stringify('hello')) }], { source: '/x', format: 'yaml' }).skipped[0]!;
  assert.equal(other.reason, 'not a JSON object');
});

test('ztp import keeps an endpoint security intent as exported, where the configuration checks read it, and says so', async () => {
  const src = tmp('ztp-intent-src-');
  const out = tmp('ztp-intent-out-');
  try {
    const intent = {
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/intents/$entity',
      '@odata.type': '#microsoft.graph.deviceManagementIntent',
      id: '3f7c9a12-5b4e-4d6a-8c21-0e9b7a6d5c43',
      displayName: 'Windows - BitLocker',
      templateId: 'd1174162-1dd2-4976-affc-6667049ab0ae',
      isAssigned: true,
      settings: [{ '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', definitionId: 'deviceConfiguration--windows10EndpointProtectionConfiguration_bitLockerEncryptDevice', valueJson: 'true', value: true }],
      assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }],
    };
    writeFileSync(join(src, 'Windows-BitLocker.json'), JSON.stringify(intent, null, 2));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kept 1 file as exported \(no policy kind holds them; the configuration and Defender onboarding checks read them\)\n  .*configuration[\\/]windows-bitlocker\.json  ← Windows-BitLocker\.json: an endpoint security profile made from a template/);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'configuration', 'windows-bitlocker.json'), 'utf8')), intent);
    const check = await ztp(['check', out, '--format', 'json']);
    const findings = JSON.parse(check.stdout) as { code: string; message: string }[];
    assert.ok(!findings.some((f) => f.code === 'bitlocker-not-configured'), check.stdout);
    assert.ok(findings.some((f) => f.code === 'unknown-kind' && /the configuration checks .* read what it turns on: keep it in the tenant folder/.test(f.message)), check.stdout);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

// Nerdio's NMW and NMM-SE policy libraries publish endpoint security intents with no `@odata.type`: `templateId`, the
// names, and `settings` in Graph's own shape (`definitionId`, `valueJson`, `value`, each with its instance type). The
// bodies below are ours, shaped like theirs (the libraries state no licence).
const UNTAGGED_BITLOCKER_INTENT = {
  templateId: 'd1174162-1dd2-4976-affc-6667049ab0ae',
  description: 'Encrypts the OS drive with XTS-AES 256 and escrows the recovery password in Entra ID.',
  displayName: 'Contoso - BitLocker OS drive',
  settings: [
    { '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', definitionId: 'deviceConfiguration--windows10EndpointProtectionConfiguration_bitLockerEncryptDevice', valueJson: 'true', value: true },
    { '@odata.type': '#microsoft.graph.deviceManagementStringSettingInstance', definitionId: 'deviceConfiguration--windows10EndpointProtectionConfiguration_bitLockerRecoveryPasswordRotation', valueJson: '"enabledForAzureAd"', value: 'enabledForAzureAd' },
    { '@odata.type': '#microsoft.graph.deviceManagementComplexSettingInstance', definitionId: 'deviceConfiguration--windows10EndpointProtectionConfiguration_bitLockerSystemDrivePolicy', valueJson: '{"encryptionMethod":"xtsAes256","startupAuthenticationRequired":true}' },
  ],
};

test('an endpoint security intent exported with no @odata.type (templateId, settings by definitionId) is read as the intent it is, in place and by ztp import', async () => {
  const src = tmp('ztp-untagged-intent-src-');
  const out = tmp('ztp-untagged-intent-out-');
  try {
    const text = JSON.stringify(UNTAGGED_BITLOCKER_INTENT, null, 4) + '\n';
    writeFileSync(join(src, 'zerotrust.yaml'), 'kind: Tenant\nname: untagged\nlicenses: [M365_E3]\nplatforms: [windows]\n');
    writeFileSync(join(src, 'Contoso - BitLocker OS drive.json'), text);
    // In place: the BitLocker rule reads the intent's settings (its assignments unknown, so it says nothing), and the
    // count of Windows profiles holds it.
    const inPlace = await ztp(['check', src, '--format', 'json']);
    const found = JSON.parse(inPlace.stdout) as { code: string; message: string }[];
    assert.ok(!found.some((f) => f.code === 'bitlocker-not-configured'), inPlace.stdout);
    assert.ok(found.some((f) => f.code === 'laps-not-configured' && /none of the tenant's endpoint security policies \(it has one\) turns on/.test(f.message)), inPlace.stdout);
    // With Graph's assignments list it is a policy file of no kind: unknown-kind says what it is and that the checks read it.
    const assigned = { ...UNTAGGED_BITLOCKER_INTENT, displayName: 'Contoso - BitLocker assigned', assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] };
    writeFileSync(join(src, 'assigned.json'), JSON.stringify(assigned, null, 2));
    const withList = JSON.parse((await ztp(['check', src, '--format', 'json'])).stdout) as { file: string; code: string; message: string }[];
    const kind = withList.find((f) => f.code === 'unknown-kind' && f.file.endsWith('assigned.json'));
    assert.match(kind?.message ?? '', /^this export \(no `@odata\.type`; its `templateId` and `settings` by `definitionId` make it `deviceManagementIntent`\) is an endpoint security profile made from a template .*the configuration checks .* read what it turns on: keep it in the tenant folder$/, JSON.stringify(withList));
    assert.ok(!withList.some((f) => f.code === 'bitlocker-not-configured'), JSON.stringify(withList));
    rmSync(join(src, 'assigned.json'));
    rmSync(join(src, 'zerotrust.yaml'));
    // Imported: kept as exported, byte for byte, and named for what it is.
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.match(r.stdout, /kept 1 file as exported .*\n  .*configuration[\\/]contoso-bitlocker-os-drive\.json  ← Contoso - BitLocker OS drive\.json: an endpoint security profile made from a template/);
    assert.doesNotMatch(r.stderr, /not a Graph export of a policy/);
    assert.equal(readFileSync(join(out, 'configuration', 'contoso-bitlocker-os-drive.json'), 'utf8'), text);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('an IntuneBackupAndRestore intent backup (template id in its file name alone) says the same in place and imported: ztp import writes the name\'s template into the kept file as templateId', async () => {
  // The backup writes `<templateId>_<template name>_<intent name>_<intent id>.json` and no templateId in the body
  // (jseerden/IntuneBackupAndRestore, Invoke-IntuneBackupDeviceManagementIntent.ps1); the kept file is named after the
  // intent, so without `templateId` the imported tenant lost the template, and windows-security-baseline-missing with it.
  const fixture = join(FIXTURES, 'windows-security-baseline-missing', 'fires-intent-backup-settings-delta');
  const backup = join(fixture, 'Device Management Intents', 'BitLocker', 'd1174162-1dd2-4976-affc-6667049ab0ae_BitLocker_Contoso BitLocker_6e1f0a52-3c8d-4b7e-9a14-2f5d8c0b7e31.json');
  const out = tmp('ztp-ibr-intent-out-');
  try {
    const r = await ztp(['import', join(fixture, 'Device Management Intents'), '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    const keptPath = join(out, 'configuration', 'contoso-bitlocker.json');
    const keptText = readFileSync(keptPath, 'utf8');
    const original = readFileSync(backup, 'utf8');
    // The backup's body, with Graph's templateId added first, in the backup's own layout; every line of it kept.
    assert.deepEqual(JSON.parse(keptText), { templateId: 'd1174162-1dd2-4976-affc-6667049ab0ae', ...(JSON.parse(original) as Record<string, unknown>) });
    assert.equal(keptText, original.replace(/^\{(\s*)/, '{$1"templateId":  "d1174162-1dd2-4976-affc-6667049ab0ae",$1'));
    // Said on stderr, naming the export file, the template and the kept file.
    assert.match(r.stderr, /ztp import: notes:\n {2}BitLocker\/d1174162-1dd2-4976-affc-6667049ab0ae_BitLocker_Contoso BitLocker_6e1f0a52-3c8d-4b7e-9a14-2f5d8c0b7e31\.json: templateId: the intent's template \(`d1174162-1dd2-4976-affc-6667049ab0ae`, BitLocker\) is in the file's name alone, .* written into configuration\/contoso-bitlocker\.json as `templateId`/);
    // Under the fixture's manifest, the imported folder gives the findings the backup gives in place.
    writeFileSync(join(out, 'zerotrust.yaml'), readFileSync(join(fixture, 'zerotrust.yaml')));
    const findings = async (root: string): Promise<string[]> => {
      const list = JSON.parse((await ztp(['check', root, '--format', 'json'])).stdout) as { file: string; code: string; severity: string; message: string }[];
      return list.map((f) => `${f.code} ${f.severity} ${f.file.endsWith('zerotrust.yaml') ? 'zerotrust.yaml' : (JSON.parse(readFileSync(join(ROOT, f.file), 'utf8').replace(/^\uFEFF/, '')) as { displayName: string }).displayName}: ${f.message}`).sort();
    };
    const inPlace = await findings(fixture);
    assert.ok(inPlace.some((f) => f.startsWith('windows-security-baseline-missing information zerotrust.yaml')), inPlace.join('\n'));
    assert.deepEqual(await findings(out), inPlace);
    // A body that names its template keeps its own, byte for byte, whatever its file's name says.
    const named = tmp('ztp-ibr-named-src-');
    const namedOut = tmp('ztp-ibr-named-out-');
    try {
      const body = `{\n  "templateId": "034ccd46-190c-4afc-adf1-ad7cc11262eb",\n${original.slice(original.indexOf('"displayName"'))}`;
      writeFileSync(join(named, 'd1174162-1dd2-4976-affc-6667049ab0ae_BitLocker_Contoso BitLocker_6e1f0a52-3c8d-4b7e-9a14-2f5d8c0b7e31.json'), body);
      const again = await ztp(['import', named, '--out', namedOut, '--license', 'M365_E5']);
      assert.equal(readFileSync(join(namedOut, 'configuration', 'contoso-bitlocker.json'), 'utf8'), body);
      assert.doesNotMatch(again.stderr, /templateId:/);
    } finally {
      rmSync(named, { recursive: true, force: true });
      rmSync(namedOut, { recursive: true, force: true });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('only an intent\'s own shape reads as an untagged intent: settings catalog, template, compliance bodies and half-shapes do not', () => {
  const intent = UNTAGGED_BITLOCKER_INTENT;
  assert.equal(foreignGraphTypeOf(intent), 'deviceManagementIntent');
  // A settings catalog policy: settings hold a settingInstance (and its template is a templateReference).
  const catalog = {
    name: 'Windows - BitLocker',
    platforms: 'windows10',
    technologies: 'mdm',
    templateReference: { templateId: 'd1174162-1dd2-4976-affc-6667049ab0ae', templateFamily: 'endpointSecurityDiskEncryption' },
    settings: [{ id: '0', settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: 'device_vendor_msft_bitlocker_requiredeviceencryption', choiceSettingValue: { value: 'device_vendor_msft_bitlocker_requiredeviceencryption_1', children: [] } } }],
  };
  assert.equal(foreignGraphTypeOf(catalog), undefined);
  assert.equal(foreignGraphTypeOf({ ...catalog, templateId: 'd1174162-1dd2-4976-affc-6667049ab0ae' }), undefined);
  // Half an intent: no templateId, no settings, empty settings, or a setting named otherwise.
  assert.equal(foreignGraphTypeOf({ ...intent, templateId: undefined }), undefined);
  assert.equal(foreignGraphTypeOf({ ...intent, settings: [] }), undefined);
  assert.equal(foreignGraphTypeOf({ templateId: intent.templateId, displayName: 'x' }), undefined);
  assert.equal(foreignGraphTypeOf({ ...intent, settings: [...intent.settings, { definitionId: 'bitLockerEncryptDevice', valueJson: 'true' }] }), undefined);
  // A tagged body is its tag: a template profile, a compliance policy, a tagged intent.
  assert.equal(foreignGraphTypeOf({ ...intent, '@odata.type': '#microsoft.graph.windows10EndpointProtectionConfiguration' }), 'windows10EndpointProtectionConfiguration');
  assert.equal(classifyExportFile({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'Windows', bitLockerEnabled: true }).type, 'policy');
  assert.equal(classifyExportFile(catalog).type, 'policy');
  // The sample scripts' shape is still an intent.
  assert.equal(foreignGraphTypeOf({ TemplateId: intent.templateId, displayName: 'x', settingsDelta: intent.settings }), 'deviceManagementIntent');
});

test('the real corpus holds no body that reads as an untagged intent or authentication strength', { skip: existsSync(join(ROOT, '..', 'shared', 'corpus')) ? false : 'the corpus is not beside the repository' }, () => {
  // Every JSON file of the corpus (settings catalog profiles, compliance and app protection policies, update rings, CA
  // policies, named locations, groups), with its @odata.type taken away: none is taken for either shape.
  const corpus = join(ROOT, '..', 'shared', 'corpus');
  let read = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.json$/i.test(e.name)) {
        const buf = readFileSync(p);
        const text = (buf[0] === 0xff && buf[1] === 0xfe ? buf.toString('utf16le') : buf.toString('utf8')).replace(/^\uFEFF/, '');
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch {
          continue;
        }
        if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
        const { ['@odata.type']: _type, ...untagged } = v as Record<string, unknown>;
        read++;
        assert.equal(foreignGraphTypeOf(untagged), undefined, p);
      }
    }
  };
  walk(corpus);
  assert.ok(read > 100, `read ${read} files`);
});

test('ztp import names an Entra authentication strength for what it is, with or without @odata.type', async () => {
  const src = tmp('ztp-strength-src-');
  const out = tmp('ztp-strength-out-');
  try {
    // Shaped like Cloud-Harbor-Consulting-LLC/M365-Security-Frameworks' Supporting-Artifacts (no @odata.type), and as
    // Graph returns one.
    writeFileSync(join(src, 'AUTH-STRENGTH-Admins.json'), JSON.stringify({ displayName: 'Admins', description: 'Security keys only.', policyType: 'custom', requirementsSatisfied: 'mfa', allowedCombinations: ['fido2'] }, null, 2));
    writeFileSync(join(src, 'strength-tagged.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.authenticationStrengthPolicy', id: '7c1a3e52-0d4b-4f2e-9a61-3b8d2c5e7f90', displayName: 'Passkeys', policyType: 'custom', allowedCombinations: ['fido2', 'windowsHelloForBusiness'] }, null, 2));
    writeFileSync(join(src, 'ca.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.conditionalAccessPolicy', displayName: 'Admins - strength', state: 'enabledForReportingButNotEnforced', conditions: { users: { includeRoles: ['62e90394-69f5-4237-9190-012177145e10'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] }, grantControls: { operator: 'OR', authenticationStrength: { id: '7c1a3e52-0d4b-4f2e-9a61-3b8d2c5e7f90' } } }, null, 2));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.match(r.stderr, /AUTH-STRENGTH-Admins\.json: this export \(no `@odata\.type`; its `allowedCombinations` makes it `authenticationStrengthPolicy`\) is an Entra authentication strength \(no policy kind holds one; the CA policies keep its id in `grantControls\.authenticationStrength`, so it must exist in the tenant you export to: create it there/);
    // One with an id, which a CA policy can name, is copied as exported, as `ztp check` reads it beside the policies;
    // one without (a create body) names nothing and is skipped as before.
    assert.match(r.stdout, /conditional-access[\\/]authentication-strengths[\\/]passkeys\.json {2}← strength-tagged\.json: the authentication strength `Passkeys` \(7c1a3e52-0d4b-4f2e-9a61-3b8d2c5e7f90\), admitting `fido2`, `windowsHelloForBusiness`, which/);
    assert.doesNotMatch(r.stderr, /strength-tagged\.json/);
    assert.doesNotMatch(r.stderr, /not a Graph export of a policy/);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp export writes directory roles named by their built-in names as role template ids, and says so of names it does not know', () => {
  const text = [
    'kind: ConditionalAccessPolicy',
    'name: ca-admins-mfa',
    'spec:',
    '  displayName: Admins - Require MFA',
    '  state: enabled',
    '  conditions:',
    '    users:',
    '      includeRoles: [Global Administrator, security administrator, 62e90394-69f5-4237-9190-012177145e10, Tier 0 operators]',
    // Learn's list of 2026-01-20 (AI Administrator) and MSOnline's name for Global Administrator are written as ids.
    '      excludeRoles: [AI Administrator, Company Administrator]',
    '    applications: { includeApplications: [All] }',
    '    clientAppTypes: [all]',
    '  grantControls: { operator: OR, builtInControls: [mfa] }',
    '',
  ].join('\n');
  const facts = collectFacts(parseText('/t/ca/ca-admins-mfa.yaml', text)) as PolicyFacts;
  const out = exportPolicy(facts, undefined, 'ca/ca-admins-mfa.yaml');
  const users = ((out.content!.body as Record<string, unknown>).conditions as Record<string, Record<string, unknown>>).users!;
  assert.deepEqual(users.includeRoles, ['62e90394-69f5-4237-9190-012177145e10', '194ae4cb-b126-40b2-bd5b-6091b380977d', '62e90394-69f5-4237-9190-012177145e10', 'Tier 0 operators']);
  assert.ok((out.content!.notes as string[]).some((n) => /includeRoles\[3\]: `Tier 0 operators` is not a built-in role name/.test(n)), JSON.stringify(out.content!.notes));
  assert.deepEqual(users.excludeRoles, ['d2562ede-74db-457e-a7b6-544e236ebb61', '62e90394-69f5-4237-9190-012177145e10']);
  assert.ok(!(out.content!.notes as string[]).some((n) => /excludeRoles/.test(n)), JSON.stringify(out.content!.notes));
});

test('ztp export writes a deprecated role and an AzureAD module name as their template ids, with no note', () => {
  const text = [
    'kind: ConditionalAccessPolicy',
    'name: ca-legacy-role-names',
    'spec:',
    '  displayName: Legacy role names - Require MFA',
    '  state: enabled',
    '  conditions:',
    '    users:',
    '      includeRoles: [Exchange Service Administrator, Power BI Administrator, Guest User]',
    '      excludeRoles: [Directory Synchronization Accounts]',
    '    applications: { includeApplications: [All] }',
    '    clientAppTypes: [all]',
    '  grantControls: { operator: OR, builtInControls: [mfa] }',
    '',
  ].join('\n');
  const out = exportPolicy(collectFacts(parseText('/t/ca/ca-legacy-role-names.yaml', text)) as PolicyFacts, undefined, 'ca/ca-legacy-role-names.yaml');
  const users = ((out.content!.body as Record<string, unknown>).conditions as Record<string, Record<string, unknown>>).users!;
  assert.deepEqual(users.includeRoles, ['29232cdf-9323-42fd-ade2-1d097af3e4de', 'a9ea8996-122f-4c74-9520-8edcd192826c', '10dae51f-b6af-4016-8d66-8c2a99b929b3']);
  assert.deepEqual(users.excludeRoles, ['d29b2b05-8046-44ba-8758-1e26182fcf32']);
  assert.ok(!(out.content!.notes as string[] | undefined ?? []).some((n) => /Roles/.test(n)), JSON.stringify(out.content!.notes));
});

test('ztp export refuses a group name the manifest lists twice with different ids, rather than sending the first', () => {
  const manifest = collectFacts(parseText('/t/zerotrust.yaml', [
    'kind: Tenant',
    'name: t',
    'licenses: [M365_E5]',
    'groups:',
    '  - { name: grp-staff, id: 11111111-1111-4111-8111-111111111111 }',
    '  - { name: grp-staff, id: 22222222-2222-4222-8222-222222222222 }',
    '  - { name: grp-other, id: 33333333-3333-4333-8333-333333333333 }',
    '',
  ].join('\n'))) as ManifestFacts;
  const policy = (include: string): PolicyFacts => collectFacts(parseText('/t/lim.yaml', [
    'kind: EnrollmentRestriction',
    'name: lim',
    `assignments: { include: [${include}] }`,
    'spec:',
    '  "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration"',
    '  displayName: lim',
    '  limit: 5',
    '',
  ].join('\n'))) as PolicyFacts;
  const out = exportPolicy(policy('grp-staff'), manifest, 'lim.yaml');
  assert.ok(out.errors.some((e) => /group `grp-staff` is listed 2 times in zerotrust\.yaml with different ids/.test(e)), JSON.stringify(out.errors));
  assert.deepEqual(exportPolicy(policy('grp-other'), manifest, 'lim.yaml').errors, []);
});

test('ztp export warns of what Graph refuses: placeholders for users, external tenants, named locations and strengths, a compliance policy without its block action', () => {
  const ca = collectFacts(parseText('/t/ca.json', JSON.stringify({
    '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
    displayName: 'CA - template',
    state: 'disabled',
    conditions: {
      users: {
        includeUsers: ['All'],
        excludeUsers: ['OBJECTID-BREAKGLASS-1', '3e5a7c9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d'],
        // An MSP template's service provider tenant (JC-Logic/ConditionalAccessBaseline).
        excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'serviceProvider', externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants', membershipKind: 'enumerated', members: ['%msptenantid%', '8b3e1f0a-4c2d-4e6f-9a1b-3c5d7e9f1a2b'] } },
      },
      applications: { includeApplications: ['All'] },
      locations: { includeLocations: ['All'], excludeLocations: ['%SvcCountryLocationId%', 'AllTrusted', '00000000-0000-0000-0000-000000000000'] },
    },
    grantControls: { operator: 'OR', authenticationStrength: { id: '%TempAccessPassStrengthId%' } },
  }))) as PolicyFacts;
  const caOut = exportPolicy(ca, undefined, 'ca.json');
  assert.deepEqual(caOut.errors, []);
  assert.deepEqual(caOut.warnings.map((w) => w.replace(/;.*$/, '')), [
    'conditions.users.excludeUsers[0]: `OBJECTID-BREAKGLASS-1` is neither a user\'s object id nor `All`, `None` or `GuestsOrExternalUsers`',
    'conditions.users.excludeGuestsOrExternalUsers.externalTenants.members[0]: `%msptenantid%` is a template variable (as CIPP writes them, filled in per tenant when CIPP deploys the template), not a tenant id',
    'conditions.locations.excludeLocations[0]: `%SvcCountryLocationId%` is a template variable (as CIPP writes them, filled in per tenant when CIPP deploys the template), neither a named location\'s id nor `All`, `AllTrusted` or `AllCompliantNetworkLocations`',
    'conditions.locations.excludeLocations[2]: `00000000-0000-0000-0000-000000000000` is the all-zero id, a template\'s placeholder, not a named location',
    'grantControls.authenticationStrength.id: `%TempAccessPassStrengthId%` is a template variable (as CIPP writes them, filled in per tenant when CIPP deploys the template), not an authentication strength\'s id',
  ]);
  const compliance = collectFacts(parseText('/t/c.json', JSON.stringify({ '@odata.type': '#microsoft.graph.androidCompliancePolicy', displayName: 'Android', passwordRequired: true }))) as PolicyFacts;
  assert.ok(exportPolicy(compliance, undefined, 'c.json').warnings.some((w) => /Graph refuses to create a compliance policy without one/.test(w)));
});

test('CIPP template variables: a note in a raw export, an error in a file of this format; ztp export names them once per file and counts no note as an error', async () => {
  const raw = await ztp(['check', join(FIXTURES, 'schema', 'notes-template-variables-raw'), '--format', 'json']);
  const notes = (JSON.parse(raw.stdout) as { code: string; severity: string; file: string; message: string }[]).filter((f) => f.code === 'schema');
  // One note per file, naming every variable of it, however many places hold them.
  assert.deepEqual(notes.map((f) => [f.file.replace(/^.*\/(ca|configuration)\//, '$1/'), f.severity]), [
    ['ca/CA100-guests-partner-tenant.json', 'information'],
    ['configuration/Win - OIB - SC - Device Security - U - Power and Device Lock - v3.6.json', 'information'],
  ]);
  assert.match(notes[1]!.message, /^`%BatterySleepTimeout%` and `%PluggedSleepTimeout%` are template variables .* where Graph takes another value \(`value` must be a whole number, not text \(`%BatterySleepTimeout%`\); 2 places in all\): this file is a template, and those values are checked only once substituted/);
  const ours = await ztp(['check', join(FIXTURES, 'schema', 'fires-template-variable-in-policy-file'), '--format', 'json']);
  const error = (JSON.parse(ours.stdout) as { code: string; severity: string; message: string }[]).find((f) => f.code === 'schema')!;
  assert.equal(error.severity, 'error');
  assert.match(error.message, /`%partneradminid%` is a template variable \(as CIPP writes them, filled in per tenant when CIPP deploys the template\), which `ztp export` sends as written: replace it with the tenant's value$/);

  const out = tmp('template-variables-export');
  const exported = await ztp(['export', join(FIXTURES, 'schema', 'notes-template-variables-raw'), '--out', out]);
  assert.equal(exported.code, 0, exported.stderr);
  const warnings = exported.stderr.split('\n').filter((l) => l.includes('Power and Device Lock'));
  assert.deepEqual(warnings, [
    "ztp export: warning: configuration/Win - OIB - SC - Device Security - U - Power and Device Lock - v3.6.json: `%BatterySleepTimeout%` and `%PluggedSleepTimeout%` are template variables (as CIPP writes them, filled in per tenant when CIPP deploys the template), sent as written: Graph refuses them, so replace each with the tenant's value before sending",
  ]);
  // The user the schema rule already names is not said a second time by the CA checks of export.
  assert.equal(exported.stderr.split('\n').filter((l) => l.includes('%partneradminid%')).length, 1, exported.stderr);
  rmSync(out, { recursive: true, force: true });
});

test('IntuneCD\'s names beside ids (a notification template\'s, a script\'s) raise no schema finding, and ztp export leaves them out', async () => {
  const dir = join(FIXTURES, 'schema', 'ok-intunecd-helper-keys');
  const checked = await ztp(['check', dir, '--format', 'json']);
  assert.deepEqual((JSON.parse(checked.stdout) as { code: string }[]).filter((f) => f.code === 'schema'), []);
  const path = join(dir, 'compliance', 'ios-device-health.json');
  // Without its IntuneCD group name (which export maps through the manifest's ids, tested apart).
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete raw.assignments;
  const out = exportPolicy(collectFacts(parseText(path, JSON.stringify(raw))) as PolicyFacts, undefined, 'ios-device-health.json');
  assert.deepEqual(out.errors, []);
  const body = out.content!.body as { scheduledActionsForRule: { scheduledActionConfigurations: Record<string, unknown>[] }[] };
  const actions = body.scheduledActionsForRule[0]!.scheduledActionConfigurations;
  assert.equal(actions.length, 2);
  assert.ok(actions.every((a) => !('notificationTemplateName' in a)), JSON.stringify(actions));
  assert.equal(actions[1]!.notificationTemplateId, '5c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5');
  const linuxPath = join(dir, 'compliance', 'linux-custom-compliance.json');
  const linux = exportPolicy(collectFacts(parseText(linuxPath, readFileSync(linuxPath, 'utf8'))) as PolicyFacts, undefined, 'linux-custom-compliance.json');
  assert.equal('detectionScriptName' in (linux.content!.body as Record<string, unknown>), false);
});

test('ztp export updates the tenant\'s default enrollment restriction in place (PATCH, no assignment), and creates the others', () => {
  const spec = (extra: Record<string, unknown>): string =>
    JSON.stringify({ '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration', displayName: 'All users and all devices', iosRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: true }, assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }], ...extra });
  const byId = exportPolicy(collectFacts(parseText('/t/default.json', spec({ id: '4b2c1a0e-1111-4c1a-9a57-1d2b3c4d5e6f_DefaultPlatformRestrictions', priority: 0 }))) as PolicyFacts, undefined, 'default.json');
  assert.deepEqual(byId.errors, []);
  assert.match(byId.content!.endpoint as string, /^PATCH https:\/\/graph\.microsoft\.com\/beta\/deviceManagement\/deviceEnrollmentConfigurations\/\{id\}$/);
  assert.equal(byId.content!.assign, undefined);
  assert.equal('id' in (byId.content!.body as Record<string, unknown>), false);
  assert.ok((byId.content!.notes as string[]).some((n) => /updated in place, never created/.test(n)));
  const single = JSON.stringify({ '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration', displayName: 'Block macOS for contractors', priority: 2, platformType: 'macOS', platformRestriction: { platformBlocked: true }, assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] });
  const created = exportPolicy(collectFacts(parseText('/t/block-mac.json', single)) as PolicyFacts, undefined, 'block-mac.json');
  assert.match(created.content!.endpoint as string, /^POST /);
  assert.ok(created.content!.assign);
});

test('ztp import skips a CA policy the retired AzureAD module wrote (numbers for enums, `_Operator`), naming the module', async () => {
  const src = tmp('ztp-azuread-src-');
  const out = tmp('ztp-azuread-out-');
  try {
    cpSync(join(FIXTURES, 'unknown-kind', 'fires-azuread-module', 'conditional-access', 'block-legacy-auth.json'), join(src, 'block-legacy-auth.json'));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.match(r.stderr, /block-legacy-auth\.json: a Conditional Access policy written by the retired AzureAD PowerShell module/);
    assert.equal(existsSync(join(out, 'conditional-access')), false);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import does not take an exported user (it has a mailNickname, as groups do) for a group', () => {
  const user = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', accountEnabled: true, displayName: 'Break Glass 1', id: '48646b61-a56f-4888-b209-b6dd3e8490f3', mail: null, mailNickname: 'bg1', userPrincipalName: 'bg1@contoso.onmicrosoft.com', userType: 'Member' };
  const c = classifyExportFile(user);
  assert.equal(c.type, 'skip');
  assert.match((c as { reason: string }).reason, /an Entra user/);
  // Without its context or user principal name ($select=id,displayName,mailNickname), as before: a group's shape.
  assert.equal(classifyExportFile({ id: user.id, displayName: 'grp-x', mailNickname: 'grpx' }).type, 'group');
  assert.equal(classifyExportFile({ id: user.id, displayName: 'grp-x', securityEnabled: true, groupTypes: [] }).type, 'group');
});

test('the Intune PowerShell SDK\'s own properties are left out of an import and an export, and nothing of Graph\'s is', () => {
  const id = '0c5a3f2e-6b1d-4c8e-9a7f-1e2d3c4b5a69';
  const body = writableBody('CompliancePolicy', {
    '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
    id,
    displayName: 'Win',
    activeFirewallRequired: true,
    deviceCompliancePolicyScript: { deviceComplianceScriptId: 'x', rulesContent: 'e30=' },
    deviceCompliancePolicyId: id,
    deviceCompliancePolicyODataType: 'microsoft.graph.windows10CompliancePolicy',
    windows10CompliancePolicyReferenceUrl: `https://graph.microsoft.com/Beta/deviceManagement/deviceCompliancePolicies/${id}`,
  });
  assert.deepEqual(Object.keys(body).sort(), ['@odata.type', 'activeFirewallRequired', 'deviceCompliancePolicyScript', 'displayName']);
  // Recognised by value: a property of that shape whose value is not the SDK's is kept.
  const kept = writableBody('CompliancePolicy', { '@odata.type': '#microsoft.graph.iosCompliancePolicy', displayName: 'iOS', somethingODataType: 'not a type' });
  assert.equal(kept.somethingODataType, 'not a type');
});

test('import: the two objects of one Android platform restriction get their enrollment type in their names, and no "keep one" note', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const dir = join(FIXTURES, 'duplicate-name', 'ok-raw-android-restriction-pair', 'enrollment');
  const files = readdirSync(dir).map((f) => ({ path: join(dir, f), bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  const plan = planImport(files, { source: dir, format: 'yaml' });
  assert.deepEqual(plan.policies.map((p) => p.path).sort(), ['enrollment/enrolment-android-corporate-androidforwork.yaml', 'enrollment/enrolment-android-corporate.yaml']);
  assert.ok(!plan.notes.some((n) => /Keep one of them/.test(n.note.message)), JSON.stringify(plan.notes));
  // Two exports of one name that are not such a pair still get the note.
  const twice = planImport([files[0]!, { path: join(dir, 'copy.json'), bytes: files[0]!.bytes }], { source: dir, format: 'yaml' });
  assert.ok(twice.notes.some((n) => /Keep one of them/.test(n.note.message)));
});

test('import: a string a YAML 1.1 or 1.2 reader would take for a date, a boolean or a number is written quoted, and reads back the same', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const body = {
    '@odata.type': '#microsoft.graph.androidManagedAppProtection',
    displayName: 'Android - Level 2',
    minimumRequiredPatchVersion: '0000-00-00',
    minimumWarningPatchVersion: '2025-01-01',
    customDialerAppDisplayName: 'on',
    customBrowserDisplayName: '0o17',
    pinRequired: true,
    maximumPinRetries: 5,
  };
  const plan = planImport([{ path: '/x/android.json', bytes: new TextEncoder().encode(JSON.stringify(body)) }], { source: '/x', format: 'yaml' });
  const text = plan.policies[0]!.content;
  for (const line of ['minimumRequiredPatchVersion: "0000-00-00"', 'minimumWarningPatchVersion: "2025-01-01"', 'customDialerAppDisplayName: "on"', 'customBrowserDisplayName: "0o17"', 'pinRequired: true', 'maximumPinRetries: 5']) {
    assert.ok(text.includes(line), `${line} in\n${text}`);
  }
  assert.doesNotMatch(text, /%YAML/);
  const spec = (parseDocument(text).toJS() as { spec: Record<string, unknown> }).spec;
  assert.equal(spec.minimumRequiredPatchVersion, '0000-00-00');
  assert.equal(spec.customDialerAppDisplayName, 'on');
  assert.equal(spec.customBrowserDisplayName, '0o17');
});

test('import: a policy the PowerShell SDK wrote (PascalCase, nulls for unset) and a bare JSON list are read with Graph\'s names', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const sdk = {
    Conditions: { Applications: { ApplicationFilter: { Mode: null, Rule: null }, IncludeApplications: ['All'] }, ClientAppTypes: ['exchangeActiveSync', 'other'], Users: { IncludeUsers: ['All'], ExcludeUsers: [] } },
    DisplayName: 'Block legacy authentication',
    GrantControls: { BuiltInControls: ['block'], Operator: 'OR' },
    Id: '5b1c4d4e-0000-4000-8000-000000000001',
    State: 'enabled',
    AdditionalProperties: {},
  };
  const list = [{ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'Win', scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }] }];
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const plan = planImport([{ path: '/x/ca.json', bytes: enc(sdk) }, { path: '/x/list.json', bytes: enc(list) }], { source: '/x', format: 'yaml' });
  assert.deepEqual(plan.policies.map((p) => p.kind).sort(), ['CompliancePolicy', 'ConditionalAccessPolicy']);
  const ca = plan.policies.find((p) => p.kind === 'ConditionalAccessPolicy')!.content;
  assert.match(ca, /\n {4}clientAppTypes:\n {6}- exchangeActiveSync/);
  assert.match(ca, /builtInControls:\n {6}- block/);
  assert.doesNotMatch(ca, /applicationFilter|Conditions|null/);
  // Written at ConvertTo-Json's default depth, the nested settings are type names: skipped, with how to export again.
  const truncated = { ...sdk, Conditions: { Applications: 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessApplications', Users: 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers' } };
  const skipped = planImport([{ path: '/x/ca.json', bytes: enc(truncated) }], { source: '/x', format: 'yaml' });
  assert.deepEqual(skipped.policies, []);
  assert.match(skipped.skipped.map((x) => x.reason).join('\n'), /ConvertTo-Json -Depth 10/);
});

test('import: a settings catalog policy the PowerShell SDK wrote with its enums as empty objects is kept as exported, saying how to export it again', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  // `Get-MgBetaDeviceManagementConfigurationPolicy | ConvertTo-Json`: `Platforms` and `Technologies` come out as `{}`,
  // and `Settings` is null unless expanded (seen in a live tenant's daily backup).
  const sdk = { Id: '3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b', Name: 'Win - BitLocker', Description: '', Platforms: {}, Technologies: {}, SettingCount: 6, Settings: null, TemplateReference: { TemplateId: '46ddfc50-d10f-4867-b852-9434254b3bff_1', TemplateFamily: {} }, AdditionalProperties: {} };
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  for (const [name, doc] of [['one', sdk], ['list', [sdk]]] as const) {
    const plan = planImport([{ path: `/x/${name}.json`, bytes: enc(doc) }], { source: '/x', format: 'yaml' });
    assert.deepEqual(plan.policies, [], name);
    // Kept in the tenant folder, where it holds back the configuration checks as it does in the export.
    assert.deepEqual(plan.kept.map((k) => k.path), ['configuration/win-bitlocker.json'], name);
    assert.deepEqual(JSON.parse(plan.kept[0]!.content), sdk, name);
    assert.deepEqual(plan.skipped, [], name);
    const what = plan.kept[0]!.what;
    assert.match(what, /`Platforms`, `Technologies`\) as empty objects, so its platform is lost, and its settings were not fetched/, name);
    assert.match(what, /Invoke-MgGraphRequest -Uri 'beta\/deviceManagement\/configurationPolicies\/<id>\?\$expand=settings' -OutputType Json/, name);
  }
});

test('import: an export without its assignments whose isAssigned is false is written assigned to nobody', () => {
  const imported = importPolicy('AppProtectionPolicy', { '@odata.type': '#microsoft.graph.iosManagedAppProtection', displayName: 'iOS', isAssigned: false, pinRequired: true }, 'ios', () => undefined);
  assert.deepEqual(imported.doc.assignments, { include: [] });
  const unknown = importPolicy('AppProtectionPolicy', { '@odata.type': '#microsoft.graph.iosManagedAppProtection', displayName: 'iOS', isAssigned: true, pinRequired: true }, 'ios', () => undefined);
  assert.equal(unknown.doc.assignments, undefined);
});

test('import and unknown-kind say what a foreign Graph type is: an enrollment or app configuration is not a configuration profile', async () => {
  const { describeForeignGraphType } = await import('../../server/src/core/graph');
  for (const t of ['windowsRestoreDeviceEnrollmentConfiguration', 'deviceEnrollmentWindowsHelloForBusinessConfiguration', 'windows10EnrollmentCompletionPageConfiguration']) {
    assert.match(describeForeignGraphType(t), /^an enrollment configuration/, t);
  }
  assert.match(describeForeignGraphType('windows10GeneralConfiguration'), /^a template-based device configuration profile/);
  for (const t of ['androidManagedStoreAppConfiguration', 'iosMobileAppConfiguration', 'targetedManagedAppConfiguration']) {
    assert.match(describeForeignGraphType(t), /^an app configuration policy/, t);
  }
});

test('an Entra authentication methods policy configuration (and the other Entra and Intune …Configuration types) is named for what it is, not as a device configuration profile', async () => {
  const { describeForeignGraphType } = await import('../../server/src/core/graph');
  // Every authentication method configuration Graph lists (https://learn.microsoft.com/graph/api/resources/authenticationmethodconfiguration), and the expert's Windows Hello for Business one.
  for (const method of ['fido2', 'microsoftAuthenticator', 'temporaryAccessPass', 'x509Certificate', 'email', 'sms', 'voice', 'softwareOath', 'windowsHelloForBusiness']) {
    const t = `${method}AuthenticationMethodConfiguration`;
    assert.match(describeForeignGraphType(t), /^an Entra authentication methods policy configuration \(`\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations`: .*\), which no policy kind holds$/, t);
  }
  const others: [string, RegExp][] = [
    ['authenticationMethodsPolicy', /^the Entra authentication methods policy \(`\/policies\/authenticationMethodsPolicy`\)/],
    ['fido2CombinationConfiguration', /^an authentication strength's combination configuration .*`grantControls\.authenticationStrength`$/],
    ['x509CertificateCombinationConfiguration', /^an authentication strength's combination configuration/],
    ['crossTenantAccessPolicyConfigurationDefault', /^an Entra cross-tenant access setting/],
    ['crossTenantAccessPolicyConfigurationPartner', /^an Entra cross-tenant access setting/],
    ['certificateBasedAuthConfiguration', /^an Entra certificate-based authentication configuration/],
    ['microsoftTunnelConfiguration', /^a Microsoft Tunnel Gateway server configuration \(`\/deviceManagement\/microsoftTunnelConfigurations`\)/],
    ['teamworkDeviceConfiguration', /^a Microsoft Teams device configuration/],
  ];
  for (const [t, what] of others) assert.match(describeForeignGraphType(t), what, t);
  for (const t of [...['fido2', 'email'].map((m) => `${m}AuthenticationMethodConfiguration`), ...others.map(([t]) => t)]) assert.doesNotMatch(describeForeignGraphType(t), /template-based device configuration profile/, t);
  // The device configuration profiles (deviceConfigurations) are still named so.
  for (const t of ['windows10GeneralConfiguration', 'windows10CustomConfiguration', 'windows10EndpointProtectionConfiguration', 'macOSCustomConfiguration', 'iosGeneralDeviceConfiguration', 'windowsDefenderAdvancedThreatProtectionConfiguration']) {
    assert.match(describeForeignGraphType(t), /^a template-based device configuration profile/, t);
  }
  // A description that ends on a clause of its own ("…count here"): the verdict is a sentence of its own, not its consequence.
  const xtap = createPolicyService({ fs: nodeFileSystem });
  xtap.update('/x/zerotrust.yaml', 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n', 1);
  xtap.update('/x/cross-tenant-default.json', JSON.stringify({ '@odata.type': '#microsoft.graph.crossTenantAccessPolicyConfigurationDefault', inboundTrust: { isCompliantDeviceAccepted: true } }), 1);
  const xf = xtap.analyzeTenant('/x').find((f) => f.ruleId === 'unknown-kind');
  assert.match(xf!.message, /compliant or hybrid joined devices count here\. This Graph export is not analysed: raw exports are read when their `@odata\.type` is one of the kinds' resources\./);
  assert.doesNotMatch(xf!.message, /count here, so/);
  // unknown-kind says it on the export, and ztp import in its skip list.
  const dir = join(FIXTURES, 'unknown-kind', 'fires-entra-authentication-methods').replace(/\\/g, '/');
  const service = createPolicyService({ fs: nodeFileSystem });
  for (const f of await service.discover(dir)) await service.load(f);
  const unknown = service.findings(dir).filter((f) => f.ruleId === 'unknown-kind');
  assert.equal(unknown.length, 3);
  for (const f of unknown) {
    assert.match(f.message, /AuthenticationMethodConfiguration` is an Entra authentication methods policy configuration/, f.file);
    assert.doesNotMatch(f.message, /template-based device configuration profile/, f.file);
  }
  const fido2 = JSON.parse(readFileSync(join(dir, 'authentication-methods', 'fido2.json'), 'utf8'));
  const skipped = classifyExportFile(fido2);
  assert.equal(skipped.type, 'skip');
  assert.match((skipped as { reason: string }).reason, /^`#microsoft\.graph\.fido2AuthenticationMethodConfiguration` is an Entra authentication methods policy configuration \(`\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations`/);
});

test('import: a Windows Hello for Business template profile is skipped with what it is and what to do, while the template profiles the checks read are kept', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v, null, 2));
  // As Graph beta returns it (GET /deviceManagement/deviceConfigurations/{id}; windowsIdentityProtectionConfiguration).
  const whfb = {
    '@odata.type': '#microsoft.graph.windowsIdentityProtectionConfiguration',
    id: '8f1c2a3b-0000-4000-8000-00000000a001',
    displayName: 'Win - Windows Hello for Business',
    version: 2,
    useSecurityKeyForSignin: true,
    enhancedAntiSpoofingForFacialFeaturesEnabled: true,
    pinMinimumLength: 6,
    pinMaximumLength: 127,
    pinUppercaseCharactersUsage: 'allowed',
    pinLowercaseCharactersUsage: 'allowed',
    pinSpecialCharactersUsage: 'allowed',
    pinExpirationInDays: 0,
    pinPreviousBlockCount: 0,
    pinRecoveryEnabled: true,
    securityDeviceRequired: true,
    unlockWithBiometricsEnabled: true,
    useCertificatesForOnPremisesAuth: false,
    windowsHelloForBusinessBlocked: false,
  };
  const endpointProtection = { '@odata.type': '#microsoft.graph.windows10EndpointProtectionConfiguration', id: '8f1c2a3b-0000-4000-8000-00000000a002', displayName: 'Win - Endpoint protection', bitLockerEncryptDevice: true };
  const plan = planImport([{ path: '/x/Windows Hello.json', bytes: enc(whfb) }, { path: '/x/Endpoint protection.json', bytes: enc(endpointProtection) }], { source: '/x', format: 'yaml' });
  assert.deepEqual(plan.kept.map((k) => k.from), ['Endpoint protection.json']);
  assert.deepEqual(plan.skipped.map((x) => x.file), ['Windows Hello.json']);
  const reason = plan.skipped[0]!.reason;
  assert.match(reason, /^`#microsoft\.graph\.windowsIdentityProtectionConfiguration` is a Windows Hello for Business profile made from the Identity protection template \(deviceConfigurations\), which Intune deprecated in July 2024/);
  assert.match(reason, /no check reads it, so it is not imported \(not kept as exported either\); to review Windows Hello for Business here, recreate its settings as an Account protection policy/);
  assert.doesNotMatch(reason, /only settings catalog profiles are a kind/);
});

test('import: macOS custom profiles are kept as exported, as Windows custom profiles are, and the tenant reads their payloads as the export did', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  // The public repro's shape: Ruthhl3ss/Intune-Goodies' firewall payload and a FileVault payload, raw, assigned to All devices.
  const fixture = (rule: string, name: string): string => join(FIXTURES, rule, 'ok-raw-custom-profile', 'configuration', name);
  const files = [
    { path: '/x/custom-filevault.json', bytes: readFileSync(fixture('filevault-not-configured', 'macOS custom filevault.json')) },
    { path: '/x/custom-firewall.json', bytes: readFileSync(fixture('macos-firewall-not-configured', 'macOS custom firewall.json')) },
    { path: '/x/gatekeeper.json', bytes: new TextEncoder().encode(JSON.stringify({ '@odata.type': '#microsoft.graph.macOSGeneralDeviceConfiguration', id: 'g', displayName: 'macOS - general' })) },
  ];
  const plan = planImport(files, { source: '/x', format: 'yaml' });
  assert.deepEqual(plan.kept.map((k) => k.from).sort(), ['custom-filevault.json', 'custom-firewall.json']);
  for (const k of plan.kept) assert.match(k.what, /^a template-based device configuration profile/, k.from);
  // In a tenant folder, the kept files turn both protections on: neither configuration rule speaks, and the layer
  // status counts them as layer 5.
  const service = createPolicyService({ fs: nodeFileSystem });
  service.update('/t/zerotrust.yaml', 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [macOS]\n', 1);
  for (const k of plan.kept) service.update(`/t/${k.path}`, k.content, 1);
  const ids = service.analyzeTenant('/t').map((f) => f.ruleId);
  assert.ok(!ids.includes('filevault-not-configured') && !ids.includes('macos-firewall-not-configured'), ids.join(', '));
  // FileVault without an escrow payload: the escrow rule speaks on the FileVault profile's payload.
  const escrow = service.analyzeTenant('/t').filter((f) => f.ruleId === 'filevault-recovery-key-not-escrowed');
  assert.equal(escrow.length, 1);
  assert.match(escrow[0]!.file, /macos-custom-filevault\.json$/);
  const layer5 = service.layers('/t').layers.find((l) => l.layer === 5)!;
  assert.deepEqual(layer5.policies.map((p) => p.kind).sort(), ['macOSCustomConfiguration (raw export)', 'macOSCustomConfiguration (raw export)']);
  assert.deepEqual(layer5.checks.failing, ['filevault-recovery-key-not-escrowed']);
});

test('a backup whose bodies are JSON strings (`JSON`, CIPP-like `RawJSON`): imported as the policies they wrap, said so by unknown-kind, and never missing to the checks', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const ca = { '@odata.type': '#microsoft.graph.conditionalAccessPolicy', displayName: 'Block - Legacy authentication', state: 'enabled', conditions: { clientAppTypes: ['exchangeActiveSync', 'other'], applications: { includeApplications: ['All'] }, users: { includeUsers: ['All'], excludeUsers: ['bg1@contoso.com'] } }, grantControls: { operator: 'OR', builtInControls: ['block'] } };
  const ios = { '@odata.type': '#microsoft.graph.iosCompliancePolicy', displayName: 'iOS - Compliance', passcodeRequired: true, scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }] };
  const ring = { '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration', displayName: 'Ring 1', qualityUpdatesDeferralPeriodInDays: 0 };
  const files: Record<string, string> = {
    'Block legacy authentication.json': JSON.stringify({ displayName: ca.displayName, type: 'ConditionalAccess', JSON: JSON.stringify(ca) }, null, 2),
    'iOS compliance.json': JSON.stringify({ Displayname: ios.displayName, Description: '', RawJSON: JSON.stringify(ios) }, null, 2),
    'Ring 1.json': JSON.stringify({ displayName: ring.displayName, JSON: JSON.stringify(ring) }, null, 2),
    // A tool's own settings as a JSON string, with no Graph type: not a policy, and not said to be one.
    'settings.json': JSON.stringify({ name: 'backup settings', json: JSON.stringify({ retention: 30 }) }, null, 2),
  };
  const enc = (t: string): Uint8Array => new TextEncoder().encode(t);
  const plan = planImport(Object.entries(files).map(([f, t]) => ({ path: `/x/${f}`, bytes: enc(t) })), { source: '/x', format: 'yaml' });
  assert.deepEqual(plan.policies.map((p) => p.path).sort(), ['compliance/ios-compliance.yaml', 'conditional-access/block-legacy-authentication.yaml']);
  const reason = (f: string): string | undefined => plan.skipped.find((x) => x.file === f)?.reason;
  assert.match(reason('Ring 1.json')!, /^a backup tool's wrapper whose `JSON` is the Graph body as a JSON string that holds no policy of the kinds \(`#microsoft\.graph\.windowsUpdateForBusinessConfiguration` is a Windows Update ring/);
  assert.equal(reason('settings.json'), 'not a Graph export of a policy, a group or a migration table');

  // In a tenant folder, as the backup left them: a policy here, unread, not missing.
  const manifest = 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [iOS]\nbreakGlass:\n  users: [bg1@contoso.com]\n';
  const mfa = 'kind: ConditionalAccessPolicy\nname: ca-ios-compliant\nspec:\n  displayName: iOS - require a compliant device\n  state: enabled\n  conditions:\n    users: { includeUsers: [All], excludeUsers: [bg1@contoso.com] }\n    applications: { includeApplications: [All] }\n    platforms: { includePlatforms: [iOS] }\n    clientAppTypes: [all]\n  grantControls: { operator: OR, builtInControls: [compliantDevice] }\n';
  const run = (withBackup: boolean) => {
    const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
    service.update('/t/zerotrust.yaml', manifest, 1);
    service.update('/t/ca/ca-ios-compliant.yaml', mfa, 1);
    if (withBackup) for (const [f, t] of Object.entries(files)) service.update(`/t/backup/${f}`, t, 1);
    return service.analyzeTenant('/t');
  };
  // Without the backup the two checks fire, so their silence below is the wrapped policies' doing.
  const bare = run(false).map((f) => f.ruleId);
  assert.ok(bare.includes('legacy-auth-not-blocked') && bare.includes('ca-requires-compliance-policy'), bare.join());
  const findings = run(true);
  assert.ok(!findings.some((f) => f.ruleId === 'legacy-auth-not-blocked' || f.ruleId === 'ca-requires-compliance-policy'), findings.map((f) => f.message).join('\n'));
  const wrapped = findings.filter((f) => f.ruleId === 'unknown-kind').map((f) => f.message).sort();
  assert.equal(wrapped.length, 2, wrapped.join('\n'));
  assert.match(wrapped[0]!, /^this file is a backup tool's wrapper whose `JSON` is the Graph body as a JSON string holding a `ConditionalAccessPolicy` \(`#microsoft\.graph\.conditionalAccessPolicy`\), which is not analysed inside its wrapper/);
  assert.match(wrapped[1]!, /^this file is a backup tool's wrapper whose `RawJSON` is the Graph body as a JSON string holding a `CompliancePolicy` \(`#microsoft\.graph\.iosCompliancePolicy`\)/);
});

test('import reads the tenant facts of an IntuneCD backup, which carry neither @odata.type nor @odata.context', async () => {
  const { tenantFactsOf } = await import('../../server/src/core/interop');
  assert.deepEqual(tenantFactsOf({ appleIdentifier: 'mdm@contoso.example', expirationDateTime: '2027-02-01T00:00:00Z', certificateSerialNumber: '0A1B' }), { applePushCertificate: { expirationDateTime: '2027-02-01T00:00:00Z' } });
  assert.deepEqual(tenantFactsOf({ bindStatus: 'boundAndValidated', ownerOrganizationName: 'Contoso', lastAppSyncStatus: 'success' }), { androidEnterprise: { bindStatus: 'boundAndValidated' } });
  assert.deepEqual(tenantFactsOf({ deviceComplianceCheckinThresholdDays: 30, secureByDefault: true, isScheduledActionEnabled: true }), { secureByDefault: true });
  // A policy that happens to have one of those names is not a tenant fact.
  assert.equal(tenantFactsOf({ '@odata.type': '#microsoft.graph.iosCompliancePolicy', displayName: 'iOS', secureByDefault: true }), undefined);
  assert.equal(tenantFactsOf({ displayName: 'notes', expirationDateTime: '2027-02-01T00:00:00Z' }), undefined);
});

test('a group export is a group by its @odata.type, or without one by a group\'s own properties ($select reads keep little else)', () => {
  const id = '5e2f1a3b-7c4d-4e8f-9a0b-1c2d3e4f5a6b';
  assert.deepEqual(classifyExportFile({ '@odata.type': '#microsoft.graph.group', id, displayName: 'CaC-Children' }), { type: 'group', id, name: 'CaC-Children' });
  assert.deepEqual(classifyExportFile({ id, displayName: 'CaC-Children', securityEnabled: true }), { type: 'group', id, name: 'CaC-Children' });
  // Untyped and without a group's properties, it could be anything with a name.
  assert.equal(classifyExportFile({ id, displayName: 'CaC-Children' }).type, 'skip');
  assert.equal(classifyExportFile({ '@odata.type': '#microsoft.graph.user', id, displayName: 'Ada' }).type, 'skip');
});

test('a groups list fetched with $select is read as groups by its @odata.context (v1.0, beta, a cast to group)', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const id = '5e2f1a3b-7c4d-4e8f-9a0b-1c2d3e4f5a6b';
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  for (const context of [
    'https://graph.microsoft.com/v1.0/$metadata#groups(displayName,id)',
    'https://graph.microsoft.com/v1.0/$metadata#groups',
    'https://graph.microsoft.com/beta/$metadata#groups(id,displayName)',
    'https://graph.microsoft.com/v1.0/$metadata#directoryObjects/microsoft.graph.group',
  ]) {
    const plan = planImport([{ path: '/x/groups.json', bytes: enc({ '@odata.context': context, value: [{ displayName: 'BreakGlass', id }] }) }], { source: '/x', format: 'yaml' });
    assert.deepEqual(plan.skipped, [], context);
    assert.ok(JSON.stringify(plan).includes('BreakGlass'), context);
    // One object, as GET /groups/{id}?$select=id,displayName returns it.
    assert.deepEqual(classifyExportFile({ '@odata.context': `${context.replace(/\(.*$/, '')}/$entity`, id, displayName: 'BreakGlass' }), { type: 'group', id, name: 'BreakGlass' }, context);
  }
  // A list whose context names the members of a group (users) is no list of groups.
  const members = planImport([{ path: '/x/members.json', bytes: enc({ '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#groups('${id}')/members`, value: [{ displayName: 'Ada', id }] }) }], { source: '/x', format: 'yaml' });
  assert.equal(members.skipped.length, 1);
});

test('exported groups: one reading for ztp import and ztp check (one group, a Graph list of groups with $select, a bare list, a migration table)', async () => {
  const { exportedGroups } = await import('../../server/src/core/interop');
  const id = 'a1b2c3d4-0000-4000-8000-000000000001';
  const other = 'a1b2c3d4-0000-4000-8000-000000000002';
  assert.deepEqual(exportedGroups({ '@odata.type': '#microsoft.graph.group', id, displayName: 'BreakGlass' }), [{ id, name: 'BreakGlass', path: ['displayName'], table: false }]);
  const listed = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#groups(id,displayName)', value: [{ id, displayName: 'BreakGlass' }, { id: other, displayName: 'Sales' }] };
  assert.deepEqual(exportedGroups(listed), [
    { id, name: 'BreakGlass', path: ['value', 0, 'displayName'], table: false },
    { id: other, name: 'Sales', path: ['value', 1, 'displayName'], table: false },
  ]);
  assert.deepEqual(exportedGroups([{ id, displayName: 'BreakGlass', securityEnabled: true }]), [{ id, name: 'BreakGlass', path: [0, 'displayName'], table: false }]);
  assert.deepEqual(exportedGroups({ Objects: [{ Id: id, DisplayName: 'BreakGlass', Type: 'Group' }] }), [{ id, name: 'BreakGlass', path: ['Objects'], table: true }]);
  // A list of users, or of a group's members, holds no group; nor does a list item that is only an id and a name.
  assert.deepEqual(exportedGroups({ '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#groups('${id}')/members`, value: [{ id, displayName: 'Ada' }] }), []);
  assert.deepEqual(exportedGroups({ value: [{ id, displayName: 'Ada' }] }), []);
  // ztp import reads the same list the same way: each group named in the manifest it plans.
  const { planImport } = await import('../../server/src/core/import-plan');
  const plan = planImport([{ path: '/x/groups.json', bytes: new TextEncoder().encode(JSON.stringify(listed)) }], { source: '/x', format: 'yaml' });
  assert.deepEqual(plan.skipped, []);
  assert.ok(JSON.stringify(plan).includes('BreakGlass') && JSON.stringify(plan).includes('Sales'));
});

test('import: an enrollment status page or Windows Hello for Business export is skipped as what it is; an enrollment policy of the settings catalog goes to enrollment/', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const esp = { '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration', displayName: 'ESP Lab', priority: 1, showInstallationProgress: true };
  const whfb = { '@odata.type': '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration', displayName: 'WHfB', priority: 1, state: 'enabled' };
  const limit = { '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration', displayName: 'Limit', priority: 1, limit: 5 };
  const prep = {
    name: 'Autopilot device preparation',
    platforms: 'windows10',
    technologies: 'enrollment',
    templateReference: { templateId: 'a6157a7f-aa00-42d9-ac82-7d2479f545db_1', templateFamily: 'enrollmentConfiguration' },
    settings: [],
  };
  const plan = planImport(
    [
      { path: '/x/esp.json', bytes: enc(esp) },
      { path: '/x/whfb.json', bytes: enc(whfb) },
      { path: '/x/limit.json', bytes: enc(limit) },
      { path: '/x/prep.json', bytes: enc(prep) },
    ],
    { source: '/x', format: 'yaml' },
  );
  // Only the device limit is an enrollment restriction; the ESP and WHfB are not, as `describeForeignGraphType` says.
  assert.deepEqual(plan.policies.map((p) => `${p.kind} ${p.path}`).sort(), ['ConfigurationProfile enrollment/autopilot-device-preparation.yaml', 'EnrollmentRestriction enrollment/limit.yaml']);
  for (const f of ['esp.json', 'whfb.json']) assert.match(plan.skipped.find((s) => s.file === f)?.reason ?? '', /is an enrollment configuration of a type the EnrollmentRestriction kind does not hold/, f);
  assert.equal(rawKindOf(esp), undefined);
});

test('import: a Windows Autopilot device preparation create body (template id without the read-only templateFamily) goes to enrollment/, as one of a template not known by id that sets enrollment_autopilot_dpp_ settings', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  // The user-driven template, the id alone and no settings: the template id decides.
  const userDriven = { name: 'Prep user driven', platforms: 'windows10', technologies: 'enrollment', templateReference: { templateId: '80d33118-b7b4-40d8-b15f-81be745e053f_1' }, settings: [] };
  const choice = (id: string, value: string) => ({
    settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: id, choiceSettingValue: { value, children: [] } },
  });
  const otherTemplate = { name: 'Prep other template', platforms: 'windows10', technologies: 'enrollment', templateReference: { templateId: '9e0c7b11-2d4f-4a6e-8c3b-5f1a2d7e9c04_1' }, settings: [choice('enrollment_autopilot_dpp_jointype', 'enrollment_autopilot_dpp_jointype_0')] };
  // A settings catalog profile of no template that sets no device preparation setting stays a configuration profile.
  const plain = { name: 'Plain profile', platforms: 'windows10', technologies: 'mdm', templateReference: { templateId: '' }, settings: [choice('device_vendor_msft_policy_config_defender_allowrealtimemonitoring', 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1')] };
  const plan = planImport(
    [
      { path: '/x/a.json', bytes: enc(userDriven) },
      { path: '/x/b.json', bytes: enc(otherTemplate) },
      { path: '/x/c.json', bytes: enc(plain) },
    ],
    { source: '/x', format: 'yaml' },
  );
  assert.deepEqual(plan.policies.map((p) => p.path).sort(), ['configuration/plain-profile.yaml', 'enrollment/prep-other-template.yaml', 'enrollment/prep-user-driven.yaml']);
});

test('import: an expanded custom authentication strength keeps its id in the body, and the note names it, its methods and what it satisfies', () => {
  const raw = {
    displayName: 'Admins - phishing-resistant',
    state: 'enabled',
    conditions: { users: { includeRoles: ['62e90394-69f5-4237-9190-012177145e10'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
    grantControls: {
      operator: 'OR',
      builtInControls: [],
      authenticationStrength: { id: '5b0f4d3c-2a6e-4c1d-9e8f-7a6b5c4d3e2f', displayName: 'Keys and certificates', allowedCombinations: ['fido2', 'x509CertificateMultiFactor'], requirementsSatisfied: 'mfa' },
    },
  };
  const imported = importPolicy('ConditionalAccessPolicy', raw, 'admins-phishing-resistant', () => undefined);
  assert.deepEqual((imported.doc.spec as { grantControls: { authenticationStrength: unknown } }).grantControls.authenticationStrength, { id: '5b0f4d3c-2a6e-4c1d-9e8f-7a6b5c4d3e2f' });
  const note = imported.notes.find((n) => n.where === 'grantControls.authenticationStrength');
  assert.equal(note?.message, 'custom authentication strength `Keys and certificates` (5b0f4d3c-2a6e-4c1d-9e8f-7a6b5c4d3e2f), methods fido2, x509CertificateMultiFactor; satisfies mfa, kept by id (its export in the folder is kept beside the policies, where `ztp check` reads it; without one, what it admits is unknown to the checks); it must exist in the tenant you export to');
});

test('selectedProperties: a `$select` list in an @odata.context, not an expand, `*` or a key', async () => {
  const { selectedProperties } = await import('../../server/src/core/graph');
  const meta = 'https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceCompliancePolicies';
  assert.deepEqual(selectedProperties(`${meta}(id,displayName,microsoft.graph.windows10CompliancePolicy/bitLockerEnabled,assignments())`), ['id', 'displayName', 'microsoft.graph.windows10CompliancePolicy/bitLockerEnabled']);
  assert.deepEqual(selectedProperties(`${meta}(id,displayName)/$entity`), ['id', 'displayName']);
  assert.deepEqual(selectedProperties('https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies(id,name,assignments(id,target))'), ['id', 'name']);
  // What IntuneManagement and Graph Explorer write for a full read: every property.
  for (const full of [meta, `${meta}/$entity`, `${meta}(assignments(),scheduledActionsForRule(scheduledActionConfigurations()))/$entity`, `${meta}(*,assignments())`, `${meta}('9a1c2b3d-0000-4c1a-9a57-1d2b3c4d5e6f')/microsoft.graph.windows10CompliancePolicy/assignments`, `${meta}('x')`, 'x', undefined]) {
    assert.equal(selectedProperties(full), undefined, String(full));
  }
});

test('ztp import of a `$select` export keeps its policies as raw exports (a setting left out is unknown, not unset), says so loudly, exits 1', async () => {
  const src = tmp('ztp-select-src-');
  const out = tmp('ztp-select-out-');
  try {
    const group = '2d4e6f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
    const assignments = [{ id: 'a_1', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: group } }];
    // A portal list view's capture: only the columns it shows were fetched, no security setting.
    const context = 'https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceCompliancePolicies(id,displayName,lastModifiedDateTime,roleScopeTagIds,microsoft.graph.windows10CompliancePolicy/deviceThreatProtectionRequiredSecurityLevel,assignments())';
    const item = (id: string, displayName: string) => ({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', id, displayName, lastModifiedDateTime: '2025-03-01T10:00:00Z', roleScopeTagIds: ['0'], deviceThreatProtectionRequiredSecurityLevel: 'unavailable', assignments });
    writeFileSync(join(src, 'deviceCompliancePolicies.json'), JSON.stringify({ '@odata.context': context, value: [item('5b0e1c2d-1111-4a2b-8c3d-4e5f6a7b8c9d', 'Windows - Device Health'), item('5b0e1c2d-2222-4a2b-8c3d-4e5f6a7b8c9d', 'Windows - Encryption')] }, null, 2));
    // A full read of another policy beside it: converted as always.
    writeFileSync(join(src, 'macos.json'), JSON.stringify({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceCompliancePolicies(assignments(),scheduledActionsForRule(scheduledActionConfigurations()))/$entity',
      '@odata.type': '#microsoft.graph.macOSCompliancePolicy', id: '5b0e1c2d-3333-4a2b-8c3d-4e5f6a7b8c9d', displayName: 'macOS - Device Health', systemIntegrityProtectionEnabled: true, gatekeeperAllowedAppSource: 'macAppStoreAndIdentifiedDevelopers',
      scheduledActionsForRule: [{ ruleName: null, scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }], assignments,
    }, null, 2));
    writeFileSync(join(src, 'groups.json'), JSON.stringify({ value: [{ '@odata.type': '#microsoft.graph.group', id: group, displayName: 'grp-devices' }] }));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /imported 1 policy .*\(1 CompliancePolicy\)/);
    assert.match(r.stdout, /kept 2 policies as raw Graph exports: exported with `\$select`, so not converted \(see stderr\)\n {2}\S*compliance\/windows-device-health\.json {2}← deviceCompliancePolicies\.json\n/);
    assert.match(r.stderr, /ztp import: 2 policies were exported with `\$select` .* a setting the export leaves out is unknown, not unset\. .* export again without `\$select`/);
    assert.match(r.stderr, /\n {2}deviceCompliancePolicies\.json \(item 2 of its `value` list\) → compliance\/windows-encryption\.json: only id, displayName, lastModifiedDateTime, roleScopeTagIds, deviceThreatProtectionRequiredSecurityLevel\n/);
    // The file says itself what it holds: the context Graph gives one object of that request.
    const kept = JSON.parse(readFileSync(join(out, 'compliance', 'windows-device-health.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(kept['@odata.context'], `${context}/$entity`);
    assert.equal(kept.displayName, 'Windows - Device Health');
    assert.deepEqual(kept.assignments, assignments);
    assert.ok(existsSync(join(out, 'compliance', 'macos-device-health.yaml')));
    // Checked, the imported tenant says what the export says: nothing about the settings it left out.
    const check = await ztp(['check', out, '--format', 'json']);
    const found = JSON.parse(check.stdout) as { code: string; file: string }[];
    const silent = ['compliance-windows-device-health', 'compliance-missing-block-action', 'compliance-jailbreak-not-blocked'];
    assert.deepEqual(found.filter((f) => silent.includes(f.code)), [], check.stdout);
    assert.ok(!found.some((f) => f.code === 'unresolved-group'), check.stdout);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('import: a list of settings catalog compliance policies (deviceManagement/compliancePolicies) holds compliance policies, and a list whose items name no type takes its entity set', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const linux = {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/compliancePolicies',
    value: [{ name: 'Linux - encryption', platforms: 'linux', technologies: 'linuxMdm', settings: [], templateReference: { templateId: '' } }],
  };
  const android = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/androidManagedAppProtections', value: [{ displayName: 'Android app protection', pinRequired: true }] };
  const plan = planImport([{ path: '/x/linux.json', bytes: enc(linux) }, { path: '/x/android.json', bytes: enc(android) }], { source: '/x', format: 'yaml' });
  assert.deepEqual(plan.policies.map((p) => [p.path.split('/')[0], p.kind]).sort(), [['app-protection', 'AppProtectionPolicy'], ['compliance', 'CompliancePolicy']]);
});

test('a Graph body kept as an object under `body` beside another tool\'s keys (nurejev/TUNO\'s baseline files): import and the checks give the one answer; a $batch item, or a wrapper of two Graph objects, is not read so (pubB r27)', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const { unwrapExport, wrappedKind } = await import('../../server/src/core/graph');
  // TUNO's shape, as its public baseline writes a macOS compliance policy (trimmed).
  const macos = { '@odata.type': '#microsoft.graph.macOSCompliancePolicy', firewallEnabled: true, osMinimumVersion: '15.0', storageRequireEncryption: true, systemIntegrityProtectionEnabled: true, scheduledActionsForRule: [{ scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0, notificationMessageCCList: [], notificationTemplateId: '00000000-0000-0000-0000-000000000000' }] }] };
  const tuno = { name: 'MACOS - CMP - Device Properties - U - Validbuilds 15+ - R26.9 - v3.1', key: 'macos cmp device properties u validbuilds 15+', release: 'R26.9', version: '3.1', section: 'compliance', sectionLabel: 'Compliance policies', area: 'CompliancePolicies', du: 'U', description: 'Baseline macOS compliance policy', importable: true, hash: 'sha256:57b0', body: macos };
  assert.deepEqual(wrappedKind(tuno), { kind: 'CompliancePolicy', wrapper: "another tool's wrapper (the Graph body under `body`, beside the tool's own keys)", key: 'body', type: '#microsoft.graph.macOSCompliancePolicy' });
  // Near misses: a $batch item (a PATCH body may be part of a policy), a wrapper that holds a second Graph object, a
  // body of a type no kind holds, a body that is itself the resource's (no `@odata.type` on the wrapper), our own export.
  assert.equal(unwrapExport({ id: '1', method: 'PATCH', url: '/deviceManagement/deviceCompliancePolicies/x', body: { '@odata.type': macos['@odata.type'], osMinimumVersion: '15.0' } }), undefined);
  assert.equal(unwrapExport({ name: 'x', body: macos, previous: { '@odata.type': macos['@odata.type'] } }), undefined);
  assert.equal(unwrapExport({ name: 'x', body: { '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration' } }), undefined);
  assert.equal(unwrapExport({ '@odata.type': macos['@odata.type'], body: macos }), undefined);
  assert.equal(unwrapExport({ kind: 'CompliancePolicy', name: 'x', body: macos }), undefined);

  const enc = (t: string): Uint8Array => new TextEncoder().encode(t);
  const file = 'CompliancePolicies/MACOS - CMP - Device Properties - U - Validbuilds 15+ - R26.9 - v3.1.json';
  const plan = planImport([{ path: `/x/${file}`, bytes: enc(JSON.stringify(tuno, null, 2)) }], { source: '/x', format: 'yaml' });
  assert.deepEqual(plan.skipped, []);
  assert.deepEqual(plan.policies.map((p) => [p.path, p.kind]), [['compliance/macos-cmp-device-properties-u-validbuilds-15-r26-9-v3-1.yaml', 'CompliancePolicy']]);
  const written = plan.policies[0]!.content;
  assert.match(written, /"@odata\.type": "#microsoft\.graph\.macOSCompliancePolicy"/);
  assert.match(written, /osMinimumVersion: "15\.0"/);
  assert.match(written, /from CompliancePolicies\/MACOS - CMP - Device Properties - U - Validbuilds 15\+ - R26\.9 - v3\.1\.json \(another tool's wrapper \(the Graph body under `body`, beside the tool's own keys\)\)/);
  assert.doesNotMatch(written, /sectionLabel|sha256/, 'the wrapper\'s own keys are left out');

  // In a tenant folder as the tool left it: a policy here, unread, not missing.
  const manifest = 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [macOS]\nbreakGlass:\n  users: [bg1@contoso.com]\n';
  const ca = 'kind: ConditionalAccessPolicy\nname: ca-macos-compliant\nspec:\n  displayName: macOS - require a compliant device\n  state: enabled\n  conditions:\n    users: { includeUsers: [All], excludeUsers: [bg1@contoso.com] }\n    applications: { includeApplications: [All] }\n    platforms: { includePlatforms: [macOS] }\n    clientAppTypes: [all]\n  grantControls: { operator: OR, builtInControls: [compliantDevice] }\n';
  const run = (withWrapper: boolean) => {
    const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
    service.update('/t/zerotrust.yaml', manifest, 1);
    service.update('/t/ca/ca-macos-compliant.yaml', ca, 1);
    if (withWrapper) service.update(`/t/${file}`, JSON.stringify(tuno, null, 2), 1);
    return service.analyzeTenant('/t');
  };
  // Without the wrapper the check fires, so its silence below is the wrapped policy's doing.
  assert.ok(run(false).some((f) => f.ruleId === 'ca-requires-compliance-policy'));
  const findings = run(true);
  assert.ok(!findings.some((f) => f.ruleId === 'ca-requires-compliance-policy'), findings.map((f) => f.message).join('\n'));
  const wrapped = findings.filter((f) => f.ruleId === 'unknown-kind');
  assert.equal(wrapped.length, 1, wrapped.map((f) => f.message).join('\n'));
  assert.equal(
    wrapped[0]!.message,
    "this file is another tool's wrapper (the Graph body under `body`, beside the tool's own keys) holding a `CompliancePolicy` (`#microsoft.graph.macOSCompliancePolicy`), which is not analysed inside its wrapper: turn it into a policy file with `ztp import <folder> --out <tenant folder>`. Until then, the checks that look across the tenant for `CompliancePolicy` say nothing, since the policy is here, unread",
  );
});

/** The export folder whose CA policies name a custom strength, a trusted named location and an authentication context by id. */
const CA_REFERENCES = join(ROOT, 'test', 'fixtures-interop', 'ca-references');

/** What `ztp check` says of a tenant folder, without where: each finding's rule, severity and message, sorted. */
async function checkOf(root: string): Promise<string[]> {
  const s = await load(root);
  return s
    .analyzeTenant(root.replace(/\\/g, '/'))
    .map((f) => `${f.ruleId} ${f.severity}: ${f.message}`)
    .sort();
}

/** The facts a CA policy's references stand for, as the tenant model reads them. */
async function referenceFacts(root: string) {
  const s = await load(root);
  const view = s.view(root.replace(/\\/g, '/'));
  const model = modelOf(view);
  const admins = policiesOfKind(view, 'ConditionalAccessPolicy').find((p) => p.name === 'ca200-admins-allapps-adminstrength')!;
  return {
    strength: model.strengthOf(admins),
    location: locationTrust(model.namedLocations, '7d2b4c1e-5f3a-4e8b-9a6d-0c1e2f3a4b5c'),
    locationName: model.namedLocations.byId.get('7d2b4c1e-5f3a-4e8b-9a6d-0c1e2f3a4b5c')?.displayName,
    contexts: model.signInTargets.authenticationContexts.map((c) => ({ id: c.id, displayName: c.displayName, policies: c.policies })),
  };
}

test('ztp import copies the authentication strengths, named locations and authentication contexts the CA policies name by id: check reads the imported folder as it reads the export', async () => {
  const out = tmp('ztp-ca-references-');
  try {
    cpSync(join(CA_REFERENCES, 'zerotrust.yaml'), join(out, 'zerotrust.yaml'));
    const r = await ztp(['import', CA_REFERENCES, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    // The summary says what was copied, where, and what reads it.
    assert.match(r.stdout, /kept 3 files as exported \(no policy kind holds them; the Conditional Access checks read them\)/);
    assert.match(r.stdout, /conditional-access[\\/]authentication-strengths[\\/]authenticationstrengthpolicies\.json {2}← AuthenticationStrengths[\\/]authenticationStrengthPolicies\.json: a list of 2 authentication strengths/);
    assert.match(r.stdout, /conditional-access[\\/]named-locations[\\/]corporate-network\.json {2}← NamedLocations[\\/]Corporate network\.json: the named location `Corporate network` \(7d2b4c1e-5f3a-4e8b-9a6d-0c1e2f3a4b5c\), an IP location marked trusted, which the Conditional Access checks and What If read/);
    assert.match(r.stdout, /conditional-access[\\/]authentication-contexts[\\/]authenticationcontextclassreferences\.json {2}← AuthenticationContexts[\\/]authenticationContextClassReferences\.json: the authentication context `Sensitive apps` \(c1\), whose name What If's choices read/);
    assert.doesNotMatch(r.stderr, /skipped/);
    // Copied as exported, byte for byte (the text, less a BOM).
    assert.equal(readFileSync(join(out, 'conditional-access', 'named-locations', 'corporate-network.json'), 'utf8'), readFileSync(join(CA_REFERENCES, 'NamedLocations', 'Corporate network.json'), 'utf8'));

    // The facts: the strength the admins' policy names by id (a password alone), the location's trust, the context's name.
    const exported = await referenceFacts(CA_REFERENCES);
    assert.deepEqual(exported.strength?.allowedCombinations, ['password']);
    assert.equal(exported.location, 'trusted');
    assert.deepEqual(exported.contexts, [{ id: 'c1', displayName: 'Sensitive apps', policies: ['ca300-allusers-sensitivecontext-mfa'] }]);
    assert.deepEqual(await referenceFacts(out), exported);

    // And what check says: the same findings, on the export folder and on the imported one.
    const before = await checkOf(CA_REFERENCES);
    const after = await checkOf(out);
    assert.ok(before.some((f) => /^ca-mfa-admins-missing warning: .*leaves sign-ins at `Corporate network`/.test(f)), before.join('\n'));
    assert.deepEqual(after, before);

    // Without the copies, the imported folder would read otherwise (the comparison above is not vacuous).
    rmSync(join(out, 'conditional-access', 'authentication-strengths'), { recursive: true });
    rmSync(join(out, 'conditional-access', 'named-locations'), { recursive: true });
    const lost = await referenceFacts(out);
    assert.equal(lost.location, 'unknown');
    assert.deepEqual(lost.strength, { id: '5e1a7c3d-2b4f-4a6e-8c0d-9f1e2a3b4c5d' });
    assert.notDeepEqual(await checkOf(out), before);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import reads a PowerShell SDK strength export and a PowerShell SDK CA policy requiring it: ca-mfa-admins-missing fires on the imported folder as with the camelCase export', async () => {
  const src = tmp('ztp-sdk-strength-src-');
  const out = tmp('ztp-sdk-strength-out-');
  try {
    const id = '5e1a7c3d-2b4f-4a6e-8c0d-9f1e2a3b4c5d';
    // `Get-MgPolicyAuthenticationStrengthPolicy | ConvertTo-Json -Depth 10`: PascalCase, no `@odata.type`.
    writeFileSync(join(src, 'strength.json'), JSON.stringify({ AllowedCombinations: ['password'], CombinationConfigurations: [], CreatedDateTime: '2025-02-03T10:11:12Z', Description: null, DisplayName: 'Admins - password', Id: id, ModifiedDateTime: '2025-02-03T10:11:12Z', PolicyType: 'custom', RequirementsSatisfied: 'none', AdditionalProperties: {} }, null, 2));
    // `Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json -Depth 10`: the strength expanded in the SDK's shape, its combinations not fetched.
    writeFileSync(
      join(src, 'ca-admins.json'),
      JSON.stringify({
        Conditions: { Applications: { IncludeApplications: ['All'], ExcludeApplications: [] }, ClientAppTypes: ['all'], Users: { IncludeRoles: ['62e90394-69f5-4237-9190-012177145e10'], ExcludeGroups: ['33333333-bbbb-4ccc-8ddd-000000000001'], IncludeUsers: [] } },
        DisplayName: 'Admins - strength',
        GrantControls: { AuthenticationStrength: { AllowedCombinations: [], CombinationConfigurations: [], CreatedDateTime: null, Description: null, DisplayName: null, Id: id, ModifiedDateTime: null, PolicyType: null, RequirementsSatisfied: null }, BuiltInControls: [], Operator: 'OR' },
        Id: '0a5c7e21-3b4d-4f6a-8c9e-1d2f3a4b5c70',
        State: 'enabled',
        AdditionalProperties: {},
      }, null, 2),
    );
    writeFileSync(join(out, 'zerotrust.yaml'), ['kind: Tenant', 'name: sdk', 'licenses: [M365_E5]', 'platforms: [windows]', 'groups:', '  - { name: grp-bg, id: 33333333-bbbb-4ccc-8ddd-000000000001, members: [bg1@sdk.example] }', 'breakGlass: { groups: [grp-bg], users: [bg1@sdk.example] }', ''].join('\n'));
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /conditional-access[\\/]authentication-strengths[\\/]admins-password\.json {2}← strength\.json: the authentication strength `Admins - password` \(5e1a7c3d-2b4f-4a6e-8c0d-9f1e2a3b4c5d\), admitting `password`, which the Conditional Access checks/);
    const imported = parse(readFileSync(join(out, 'conditional-access', 'admins-strength.yaml'), 'utf8'));
    assert.deepEqual(imported.spec.grantControls.authenticationStrength, { id });
    const findings = await checkOf(out);
    assert.ok(findings.some((f) => /^ca-mfa-admins-missing warning: .*`admins-strength` comes closest but its authentication strength `Admins - password` admits single-factor sign-in \(`password`\)/.test(f)), findings.join('\n'));
    // The camelCase export of the same strength, in its place: the same finding.
    const camel = tmp('ztp-sdk-strength-camel-');
    try {
      cpSync(out, camel, { recursive: true });
      rmSync(join(camel, 'conditional-access', 'authentication-strengths'), { recursive: true });
      writeFileSync(join(camel, 'strength.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.authenticationStrengthPolicy', id, displayName: 'Admins - password', policyType: 'custom', requirementsSatisfied: 'none', allowedCombinations: ['password'] }));
      const camelFindings = (await checkOf(camel)).filter((f) => f.startsWith('ca-mfa-admins-missing'));
      assert.deepEqual(findings.filter((f) => f.startsWith('ca-mfa-admins-missing')), camelFindings);
    } finally {
      rmSync(camel, { recursive: true, force: true });
    }
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('named locations and authentication contexts exported with the PowerShell SDK are read as Graph exports of them, and ztp import copies them', async () => {
  const src = tmp('ztp-sdk-refs-src-');
  const out = tmp('ztp-sdk-refs-out-');
  try {
    // `Get-MgIdentityConditionalAccessNamedLocation | ConvertTo-Json -Depth 10`: the type and its properties under `AdditionalProperties`.
    writeFileSync(join(src, 'location.json'), JSON.stringify({ CreatedDateTime: '2021-09-01T00:00:00Z', DisplayName: 'Corporate network', Id: '7d2b4c1e-5f3a-4e8b-9a6d-0c1e2f3a4b5c', ModifiedDateTime: null, AdditionalProperties: { '@odata.type': '#microsoft.graph.ipNamedLocation', isTrusted: true, ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '192.0.2.0/24' }] } }, null, 2));
    // `Get-MgIdentityConditionalAccessAuthenticationContextClassReference | ConvertTo-Json`.
    writeFileSync(join(src, 'context.json'), JSON.stringify({ Description: 'Step-up', DisplayName: 'Sensitive apps', Id: 'c2', IsAvailable: true, AdditionalProperties: {} }, null, 2));
    writeFileSync(join(src, 'zerotrust.yaml'), 'kind: Tenant\nname: sdk-refs\nlicenses: [M365_E5]\n');
    const facts = async (root: string) => {
      const view = (await load(root)).view(root.replace(/\\/g, '/'));
      const model = modelOf(view);
      return { trust: locationTrust(model.namedLocations, '7d2b4c1e-5f3a-4e8b-9a6d-0c1e2f3a4b5c'), name: model.namedLocations.byId.get('7d2b4c1e-5f3a-4e8b-9a6d-0c1e2f3a4b5c')?.displayName, contexts: model.signInTargets.authenticationContexts.map((c) => `${c.id} ${c.displayName}`) };
    };
    const before = await facts(src);
    assert.deepEqual(before, { trust: 'trusted', name: 'Corporate network', contexts: ['c2 Sensitive apps'] });
    cpSync(join(src, 'zerotrust.yaml'), join(out, 'zerotrust.yaml'));
    const r = await ztp(['import', src, '--out', out]);
    assert.match(r.stdout, /conditional-access[\\/]named-locations[\\/]corporate-network\.json {2}← location\.json: the named location `Corporate network` \(7d2b4c1e-5f3a-4e8b-9a6d-0c1e2f3a4b5c\), an IP location marked trusted/);
    assert.match(r.stdout, /conditional-access[\\/]authentication-contexts[\\/]sensitive-apps\.json {2}← context\.json: the authentication context `Sensitive apps` \(c2\)/);
    assert.deepEqual(await facts(out), before);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import: a list of ids and names alone is not read as groups, and the skip says how to export groups that are (r30 finder2)', async () => {
  const { planImport } = await import('../../server/src/core/import-plan');
  const file = (path: string, value: unknown) => ({ path, bytes: new TextEncoder().encode(JSON.stringify(value)) });
  for (const value of [
    { value: [{ id: '11111111-1111-1111-1111-111111111111', displayName: 'grp-a' }] },
    [{ Id: '11111111-1111-1111-1111-111111111111', DisplayName: 'grp-a' }],
  ]) {
    const plan = planImport([file('/x/groups.json', value)], { source: '/x', format: 'yaml' });
    assert.deepEqual(plan.policies ?? [], []);
    assert.match(plan.skipped[0]?.reason ?? '', /its items hold only ids and names, which do not say they are groups; export the groups with `securityEnabled` in the `\$select`/);
  }
  // A list of named locations with other properties gets no such hint.
  const other = planImport([file('/x/l.json', { value: [{ id: 'x', displayName: 'y', countriesAndRegions: ['DE'] }] })], { source: '/x', format: 'yaml' });
  assert.doesNotMatch(other.skipped[0]?.reason ?? '', /ids and names/);
});

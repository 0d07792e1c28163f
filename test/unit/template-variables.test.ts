/**
 * A template's variables (`templateVariableStyle` in `schema/issue.ts`): the one recogniser that `ztp import`, the
 * schema's note, `unresolved-group`, the break-glass model, the lockout check and export read. CIPP's `%name%`, a
 * deployment script's `__NAME__` placeholder, a PowerShell `$name`, Nerdio Manager's `{$GroupVars.Name}` and a
 * hand-filled `REPLACE_WITH_…`, and none of the group names real tenants use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { isTemplateVariable, templateVariableStyle, templateVariableText } from '../../server/src/core/schema/issue';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { lockoutCheck } from '../../server/src/core/lockout';
import { modelOf } from '../../server/src/core/model/index';
import { exportPolicy } from '../../server/src/core/export-policy';
import { FIXTURE_NOW, FIXTURES } from '../harness/fixtures';
import { tmp, ztp } from '../harness/interop';

test('the recogniser: CIPP `%name%`, `__NAME__` placeholders, `$name` script variables, Nerdio `{$Name}` and `REPLACE_WITH_…`, the whole value; real group names are not caught', () => {
  for (const [value, style] of [
    ['%tenantid%', 'cipp'],
    ['%CA504ExclGroupId%', 'cipp'],
    ['__GRP_CA_EXC_EMERGENCY_ID__', 'placeholder'],
    ['__AUTH_STRENGTH_PHISHING_RESISTANT_ID__', 'placeholder'],
    ['__BREAKGLASS__', 'placeholder'],
    ['__GROUP2_ID__', 'placeholder'],
    ['$allusersgroupid', 'script'],
    ['$BreakGlassGroupId', 'script'],
    ['${break_glass_group}', 'script'],
    // Get-Nerdio/NMW's deployer variables, and Cloud-Harbor-Consulting-LLC/M365-Security-Frameworks' hand-filled tokens.
    ['{$GroupVars.BreakGlass}', 'nerdio'],
    ['{$LocationVars.HomeCountries}', 'nerdio'],
    ['{$InheritedVars.AllowedWebsites}', 'nerdio'],
    ['{$TenantId}', 'nerdio'],
    ['REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID', 'replace'],
    ['REPLACE_WITH_TRUSTED_COUNTRIES_LOCATION_ID', 'replace'],
    ['REPLACE_WITH_STRONGAUTH_STRENGTH_ID', 'replace'],
    ['REPLACE_WITH_ICB_PERSONA_CORPWINDOWS_GROUP_OBJECT_ID', 'replace'],
  ] as const) {
    assert.equal(templateVariableStyle(value), style, value);
    assert.ok(isTemplateVariable(value), value);
  }
  // Names real tenants give their groups, and values that only look alike.
  for (const value of [
    'grp-breakglass',
    'CA - Emergency access accounts',
    'SG_ALL_STAFF',
    '_GRP_ONE_',
    '__init__',
    '__Finance__',
    '__GRP CA__',
    '__GRP__X',
    'GRP__X__',
    '____',
    '__1_GRP__',
    '$',
    '$ab',
    '$ales team',
    'Team $dev',
    '$dev-ops',
    '%tenant id%',
    '100%',
    '6f1c2a9e-0d1b-4f51-9a57-1d2b3c4d5e6f',
    'All',
    // Names with `replace` or braces in them, and forms no CA/Intune template library uses.
    'Replace Team',
    'SG-REPLACE',
    'REPLACE',
    'REPLACE_WITH_',
    'REPLACE_WITH_sales',
    'Replace_With_Sales',
    'REPLACE WITH GROUP',
    'REPLACE_WITH__X',
    'SG_REPLACE_WITH_ID',
    'REPLACE_ME',
    '<BreakGlassGroupId>',
    '<ExclusionTempGroup>',
    '{{DEVICEREGISTRATION}}',
    '{{BreakGlassGroup}}',
    '{Pilot} Devices',
    '{$}',
    '{$ Name}',
    '{$Group Vars}',
    '{$GroupVars.}',
    '{$GroupVars.BreakGlass} (old)',
    '{GroupVars.BreakGlass}',
  ]) {
    assert.equal(templateVariableStyle(value), undefined, value);
  }
  assert.equal(templateVariableStyle(42), undefined);
  assert.match(templateVariableText('__GRP_X_ID__'), /^a template placeholder/);
  assert.match(templateVariableText('$groupid'), /^a script variable/);
  assert.match(templateVariableText('%groupid%'), /as CIPP writes them/);
  assert.match(templateVariableText('{$GroupVars.BreakGlass}'), /^a deployment variable \(`\{\$Name\}`, as Nerdio Manager writes them/);
  assert.match(templateVariableText('REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID'), /^a template placeholder \(`REPLACE_WITH_…`, replaced by hand/);
});

test('ztp import: a `__NAME__` placeholder and a `$name` group id are placeholders, said so, and not added to the manifest as groups; check then names them', async () => {
  const src = tmp('ztp-placeholders-src-');
  const out = tmp('ztp-placeholders-out-');
  // A CA baseline shipped as templates whose script replaces `__NAME__` tokens, and an app protection policy whose
  // assignment's group id is a PowerShell variable, as public template repositories have them (our own values).
  writeFileSync(
    join(src, 'CA020.json'),
    JSON.stringify({
      displayName: 'CA020 - All apps - Require MFA for all users',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        users: { includeUsers: ['All'], excludeGroups: ['__GRP_CA_EXCLUDE_EMERGENCY_ID__', '__GRP_CA_EXCLUDE_SERVICES_ID__'] },
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    }),
  );
  writeFileSync(
    join(src, 'ios-apps.json'),
    JSON.stringify({
      '@odata.type': '#microsoft.graph.iosManagedAppProtection',
      displayName: 'iOS - managed apps',
      pinRequired: true,
      assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: '$allstaffgroupid' } }],
    }),
  );
  const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /groups named by display name/);
  assert.doesNotMatch(r.stderr, /has no name in the migration table/);
  assert.match(r.stderr, /CA020\.json: groups: group placeholders \(`__GRP_CA_EXCLUDE_EMERGENCY_ID__`, `__GRP_CA_EXCLUDE_SERVICES_ID__`\): each is a template placeholder \(`__NAME__`, filled in per tenant when the template is deployed\), not a group; kept as written and not added to zerotrust\.yaml/);
  assert.match(r.stderr, /ios-apps\.json: groups: group placeholders \(`\$allstaffgroupid`\): it is a script variable/);
  const manifest = readFileSync(join(out, 'zerotrust.yaml'), 'utf8');
  assert.doesNotMatch(manifest, /__GRP|allstaff|Groups without an id/);
  // check: not silent; each is named for what it is, in the imported policy files (of this format: an error).
  const check = await ztp(['check', out, '--format', 'json']);
  const groups = (JSON.parse(check.stdout) as { code: string; severity: string; message: string }[]).filter((f) => f.code === 'unresolved-group');
  assert.deepEqual(
    groups.map((f) => f.message).sort(),
    [
      'group `$allstaffgroupid` is a script variable (`$name`, filled in per tenant when the script deploys the template): replace it with a group of zerotrust.yaml, or its object id',
      'group `__GRP_CA_EXCLUDE_EMERGENCY_ID__` is a template placeholder (`__NAME__`, filled in per tenant when the template is deployed): replace it with a group of zerotrust.yaml, or its object id',
      'group `__GRP_CA_EXCLUDE_SERVICES_ID__` is a template placeholder (`__NAME__`, filled in per tenant when the template is deployed): replace it with a group of zerotrust.yaml, or its object id',
    ],
  );
  assert.ok(groups.every((f) => f.severity === 'error'));
});

test('a `__NAME__` placeholder where the break-glass group goes: the break-glass model and the lockout check read it as CIPP\'s variables, and export names it', async () => {
  const dir = join(FIXTURES, 'break-glass-not-excluded', 'ok-placeholder-exclusion');
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  const findings = service.analyzeTenant(dir);
  const view = service.view(dir);
  assert.ok(!findings.some((f) => f.ruleId === 'break-glass-not-excluded'));
  const p = view.policies.find((x) => x.kind === 'ConditionalAccessPolicy')!;
  assert.deepEqual(modelOf(view).breakGlass.variableExclusions(p), { groups: ['__GRP_EMERGENCY_ACCESS_ID__'], users: [] });
  const lockout = lockoutCheck(view);
  assert.deepEqual(lockout.findings, []);
  assert.ok(!lockout.subjects.some((s) => s.user.includes('__')), 'no one signs in as a member of a placeholder');
  assert.match(lockout.warnings.map((w) => w.message).join('\n'), /excludes `__GRP_EMERGENCY_ACCESS_ID__`, a template's variable .*whether it excludes the break-glass accounts is known once substituted/);
  const exported = exportPolicy(p, view.manifest, 'ca/CA010-block-outside-countries.json');
  assert.match(JSON.stringify(exported), /`__GRP_EMERGENCY_ACCESS_ID__` is a template placeholder \(`__NAME__`, filled in per tenant when the template is deployed\), not a group Graph knows/);
});

/** A tenant folder written from `files` (path → text), loaded; its findings and view. */
async function loadTenant(prefix: string, files: Record<string, string>) {
  const dir = tmp(prefix);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  return { findings: service.analyzeTenant(dir), view: service.view(dir) };
}

const BREAK_GLASS_MANIFEST = (extra: string): string =>
  `kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\ngroups:\n  - name: grp-emergency-access\n    members: [bg1@contoso.com]\n${extra}breakGlass:\n  groups: [grp-emergency-access]\nsettings:\n  secureByDefault: true\n`;

test('a group the manifest declares is a group, even named like a placeholder: the break-glass rule and the lockout check read its exclusion as excluding only it', async () => {
  // Declared by name, with its id and members; the block of All users excludes only it (by name, then by its id).
  for (const ref of ['__SERVICE_ACCOUNTS__', '6f0c6a52-2222-4a5b-8c9d-0e1f2a3b4c5d']) {
    const { findings, view } = await loadTenant('ztp-declared-placeholder-bg-', {
      'zerotrust.yaml': BREAK_GLASS_MANIFEST('  - name: __SERVICE_ACCOUNTS__\n    id: 6f0c6a52-2222-4a5b-8c9d-0e1f2a3b4c5d\n    members: [svc1@contoso.com]\n'),
      'conditional-access/ca-mfa.yaml': `kind: ConditionalAccessPolicy\nname: ca-mfa\nspec:\n  displayName: All users - block\n  state: enabled\n  conditions:\n    users:\n      includeUsers: [All]\n      excludeGroups: ['${ref}']\n    applications:\n      includeApplications: [All]\n    clientAppTypes: [all]\n  grantControls:\n    operator: OR\n    builtInControls: [block]\n`,
    });
    const p = view.policies.find((x) => x.kind === 'ConditionalAccessPolicy')!;
    assert.deepEqual(modelOf(view).breakGlass.variableExclusions(p), { groups: [], users: [] }, ref);
    assert.equal(modelOf(view).groups.isTemplateVariable(ref), false, ref);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'break-glass-not-excluded').map((f) => f.message), ['`ca-mfa` targets All users, but does not exclude the break-glass group `grp-emergency-access` (add to `excludeGroups`); the emergency-access accounts could be locked out when they are needed most'], ref);
    assert.ok(!findings.some((f) => f.ruleId === 'unresolved-group'), ref);
    const lockout = lockoutCheck(view);
    assert.deepEqual(lockout.findings.map((f) => [f.verdict, f.policy, f.subjects.map((s) => s.user)]), [['blocked', 'ca-mfa', ['bg1@contoso.com']]], ref);
    assert.ok(!lockout.warnings.some((w) => /template's variable/.test(w.message)), ref);
  }
  // The same name undeclared is a placeholder: unknown, not missing (the contrast).
  const { findings, view } = await loadTenant('ztp-undeclared-placeholder-bg-', {
    'zerotrust.yaml': BREAK_GLASS_MANIFEST(''),
    'conditional-access/ca-mfa.yaml': `kind: ConditionalAccessPolicy\nname: ca-mfa\nspec:\n  displayName: All users - block\n  state: enabled\n  conditions:\n    users:\n      includeUsers: [All]\n      excludeGroups: [__SERVICE_ACCOUNTS__]\n    applications:\n      includeApplications: [All]\n    clientAppTypes: [all]\n  grantControls:\n    operator: OR\n    builtInControls: [block]\n`,
  });
  assert.ok(!findings.some((f) => f.ruleId === 'break-glass-not-excluded'));
  assert.equal(modelOf(view).groups.isTemplateVariable('__SERVICE_ACCOUNTS__'), true);
  assert.deepEqual(lockoutCheck(view).findings, []);
});

test('a declared group named like a placeholder that a compliant-device policy includes: the lockout check signs in as a member of it', async () => {
  const { findings, view } = await loadTenant('ztp-declared-placeholder-tv-', {
    'zerotrust.yaml': BREAK_GLASS_MANIFEST('  - name: __ALL_STAFF__\n    id: 6f0c6a52-1111-4a5b-8c9d-0e1f2a3b4c5d\n'),
    'conditional-access/ca-staff-compliant.yaml': `kind: ConditionalAccessPolicy\nname: ca-staff-compliant\nspec:\n  displayName: Staff - require compliant device\n  state: enabled\n  conditions:\n    users:\n      includeGroups: [__ALL_STAFF__]\n      excludeGroups: [grp-emergency-access]\n    applications:\n      includeApplications: [All]\n    clientAppTypes: [all]\n    platforms:\n      includePlatforms: [windows]\n  grantControls:\n    operator: OR\n    builtInControls: [compliantDevice]\n`,
  });
  assert.ok(findings.some((f) => f.ruleId === 'ca-requires-compliance-policy'));
  const lockout = lockoutCheck(view);
  assert.ok(lockout.subjects.some((s) => s.user === 'sample@__ALL_STAFF__'));
  assert.deepEqual(lockout.findings.map((f) => [f.verdict, f.policy, f.platforms, f.subjects.map((s) => s.user)]), [['unsatisfiable', 'ca-staff-compliant', ['windows'], ['sample@__ALL_STAFF__']]]);
});

test('a declared group named like a placeholder in enrollment restrictions: a higher restriction assigned to it takes its nested groups', async () => {
  const { findings } = await loadTenant('ztp-declared-placeholder-enr-', {
    'zerotrust.yaml': 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows, iOS, android]\ngroups:\n  - name: __ALL_STAFF__\n    members: [grp-sales]\n  - name: grp-sales\n    members: [grp-sales-emea]\n  - name: grp-sales-emea\nsettings:\n  secureByDefault: true\n',
    'enrollment/staff-limit.yaml': 'kind: EnrollmentRestriction\nname: staff-limit\nassignments:\n  include: [__ALL_STAFF__]\nspec:\n  "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration"\n  displayName: Staff - 5 devices\n  priority: 1\n  limit: 5\n',
    'enrollment/emea-limit.yaml': 'kind: EnrollmentRestriction\nname: emea-limit\nassignments:\n  include: [grp-sales-emea]\nspec:\n  "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration"\n  displayName: EMEA sales - 3 devices\n  priority: 2\n  limit: 3\n',
  });
  const shadowed = findings.filter((f) => f.ruleId === 'enrollment-restriction-shadowed');
  assert.equal(shadowed.length, 1);
  assert.match(shadowed[0]!.message, /^`emea-limit` \(priority 2\) never applies to anyone: .*`staff-limit` \(priority 1, `enrollment\/staff-limit\.yaml`\) is assigned to `__ALL_STAFF__`, which `grp-sales-emea` is nested in/);
});

test('ztp import: a group reference reads alike in a CA policy and an Intune assignment, whatever its shape (one shared reading)', async () => {
  const src = tmp('ztp-ref-shapes-src-');
  const out = tmp('ztp-ref-shapes-out-');
  // Each shape public templates use where a group goes: ModernWorkplaceConcierge's `<ExclusionTempGroup>` (a name to
  // the import, as in a CA policy), a deployment script's `__GRP_X_ID__`, CIPP's `%x%`, a PowerShell `$x`.
  const refs = ['<ExclusionTempGroup>', '__GRP_DEVICES_ID__', '%DeviceGroupId%', '$devicegroupid'];
  writeFileSync(
    join(src, 'ca.json'),
    JSON.stringify({
      displayName: 'CA001 - Require compliant device',
      state: 'enabledForReportingButNotEnforced',
      conditions: { users: { includeUsers: ['All'], excludeGroups: refs }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
      grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] },
    }),
  );
  writeFileSync(
    join(src, 'win.json'),
    JSON.stringify({
      '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
      displayName: 'Windows compliance',
      bitLockerEnabled: true,
      scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }],
      assignments: refs.map((groupId) => ({ target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId } })),
    }),
  );
  try {
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /group id|has no name in the migration table/);
    for (const file of ['ca', 'win']) {
      assert.match(r.stderr, new RegExp(`${file}\\.json: groups: group placeholders \\(\`__GRP_DEVICES_ID__\`, \`%DeviceGroupId%\`, \`\\$devicegroupid\`\\): each is a template's variable, not a group; kept as written and not added to zerotrust\\.yaml`));
      assert.match(r.stderr, new RegExp(`${file}\\.json: groups: groups named by display name, not id \\(\`<ExclusionTempGroup>\`\\): added to zerotrust\\.yaml by name`));
    }
    assert.deepEqual(parse(readFileSync(join(out, 'zerotrust.yaml'), 'utf8')).groups, [{ name: '<ExclusionTempGroup>' }]);
    const win = parse(readFileSync(join(out, 'compliance', 'windows-compliance.yaml'), 'utf8'));
    assert.deepEqual(win.assignments, { exclude: refs });
    // check: the name resolves; each variable is named for what it is, in both files alike.
    const check = await ztp(['check', out, '--format', 'json']);
    const groups = (JSON.parse(check.stdout) as { code: string; file: string; message: string }[]).filter((f) => f.code === 'unresolved-group');
    assert.equal(groups.length, 6, check.stdout);
    for (const file of ['conditional-access', 'compliance']) {
      assert.deepEqual(
        groups.filter((f) => f.file.replace(/\\/g, '/').includes(`/${file}/`)).map((f) => f.message.replace(/ is .*/, '')).sort(),
        ['group `$devicegroupid`', 'group `%DeviceGroupId%`', 'group `__GRP_DEVICES_ID__`'],
      );
    }
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import: a template token where a CA policy names a location or an authentication strength is noted with what to put there, and no manifest fact is made of it', async () => {
  const src = tmp('ztp-loc-tokens-src-');
  const out = tmp('ztp-loc-tokens-out-');
  // Giancito/conditional-access-baseline's tokens (`__LOC_…_ID__`, `__AUTH_STRENGTH_…_ID__`) and a CIPP variable.
  writeFileSync(
    join(src, 'CA005.json'),
    JSON.stringify({
      displayName: 'CA005 - Block access outside allowed countries',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        users: { includeUsers: ['All'] },
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
        locations: { includeLocations: ['All'], excludeLocations: ['__LOC_PAISES_PERMITIDOS_ID__', '%TrustedLocation%', 'AllTrusted'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    }),
  );
  writeFileSync(
    join(src, 'CA021.json'),
    JSON.stringify({
      displayName: 'CA021 - Admins - Phishing-resistant MFA',
      state: 'enabledForReportingButNotEnforced',
      conditions: { users: { includeRoles: ['62e90394-69f5-4237-9190-012177145e10'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
      grantControls: { operator: 'OR', authenticationStrength: { id: '__AUTH_STRENGTH_PHISHING_RESISTANT_ID__' } },
    }),
  );
  try {
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /CA005\.json: conditions\.locations\.excludeLocations: named location placeholders \(`__LOC_PAISES_PERMITIDOS_ID__`, `%TrustedLocation%`\): each is a template's variable, not a named location's id; kept as written\. Replace each with the id of the named location it stands for .* before `ztp export`/,
    );
    assert.doesNotMatch(r.stderr, /named location ids kept as they are/);
    assert.match(
      r.stderr,
      /CA021\.json: grantControls\.authenticationStrength\.id: authentication strength placeholders \(`__AUTH_STRENGTH_PHISHING_RESISTANT_ID__`\): it is a template placeholder \(`__NAME__`, filled in per tenant when the template is deployed\), not an authentication strength's id; kept as written\. Replace it with the id of the authentication strength it stands for/,
    );
    assert.doesNotMatch(r.stderr, /custom authentication strength .* kept by id/);
    const ca = readFileSync(join(out, 'conditional-access', 'ca005-block-access-outside-allowed-countries.yaml'), 'utf8');
    assert.match(ca, /- __LOC_PAISES_PERMITIDOS_ID__\n/);
    const manifest = readFileSync(join(out, 'zerotrust.yaml'), 'utf8');
    assert.doesNotMatch(manifest, /LOC_|TrustedLocation|AUTH_STRENGTH|groups:/);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('ztp import: Nerdio `{$GroupVars.BreakGlass}` and hand-filled `REPLACE_WITH_…` groups are placeholders in CA policies and Intune assignments alike, never groups or break-glass accounts', async () => {
  const src = tmp('ztp-nerdio-replace-src-');
  const out = tmp('ztp-nerdio-replace-out-');
  // Shaped as Get-Nerdio/NMW's CA templates and Cloud-Harbor-Consulting-LLC/M365-Security-Frameworks' CA and compliance
  // templates have them (our own values): before, both CA placeholders went to `groups` and `breakGlass` (their names
  // say "BreakGlass" and "EMERGENCY_ACCESS"), each policy got a `break-glass-not-excluded` warning naming the other's
  // "group", and the compliance assignment's token alone an `unresolved-group` error.
  const ca = (name: string, exclude: string): string =>
    JSON.stringify({
      '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
      displayName: name,
      state: 'enabledForReportingButNotEnforced',
      conditions: { users: { includeUsers: ['All'], excludeGroups: [exclude] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
  writeFileSync(join(src, 'NMW-CA-MFA.json'), ca('NMW - All users - Require MFA', '{$GroupVars.BreakGlass}'));
  writeFileSync(join(src, 'CAP-001.json'), ca('CAP-001 - All users - Require MFA', 'REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID'));
  writeFileSync(
    join(src, 'windows-compliance.json'),
    JSON.stringify({
      '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
      displayName: 'Windows - Compliance baseline',
      bitLockerEnabled: true,
      scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }],
      assignments: [
        { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'REPLACE_WITH_INTERNAL_USERS_GROUP_OBJECT_ID' } },
        { target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: 'REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID' } },
      ],
    }),
  );
  try {
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /groups named by display name/);
    assert.match(r.stderr, /NMW-CA-MFA\.json: groups: group placeholders \(`\{\$GroupVars\.BreakGlass\}`\): it is a deployment variable \(`\{\$Name\}`, as Nerdio Manager writes them, filled in per tenant when it deploys the template\), not a group; kept as written and not added to zerotrust\.yaml/);
    assert.match(r.stderr, /CAP-001\.json: groups: group placeholders \(`REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID`\): it is a template placeholder \(`REPLACE_WITH_…`/);
    assert.match(r.stderr, /windows-compliance\.json: groups: group placeholders \(`REPLACE_WITH_INTERNAL_USERS_GROUP_OBJECT_ID`, `REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID`\): each is a template placeholder/);
    const manifest = parse(readFileSync(join(out, 'zerotrust.yaml'), 'utf8'));
    assert.equal(manifest.groups, undefined);
    assert.equal(manifest.breakGlass, undefined);
    // check: one answer for each placeholder, in the CA policies and the compliance assignment alike; no break-glass
    // warning (which group each names is known once substituted).
    const check = await ztp(['check', out, '--format', 'json']);
    const findings = JSON.parse(check.stdout) as { code: string; file: string; severity: string; message: string }[];
    assert.ok(!findings.some((f) => f.code === 'break-glass-not-excluded'), check.stdout);
    const groups = findings.filter((f) => f.code === 'unresolved-group');
    assert.deepEqual(
      groups.map((f) => `${f.file.replace(/\\/g, '/').split('/').slice(-2).join('/')} ${f.severity} ${f.message.replace(/ is .*/, '')}`).sort(),
      [
        'compliance/windows-compliance-baseline.yaml error group `REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID`',
        'compliance/windows-compliance-baseline.yaml error group `REPLACE_WITH_INTERNAL_USERS_GROUP_OBJECT_ID`',
        'conditional-access/cap-001-all-users-require-mfa.yaml error group `REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID`',
        'conditional-access/nmw-all-users-require-mfa.yaml error group `{$GroupVars.BreakGlass}`',
      ],
    );
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('checked in place (raw export beside a manifest): a Nerdio or `REPLACE_WITH_…` exclusion reads as the existing placeholders do in the break-glass model and the lockout check (`ztp whatif --lockout`)', async () => {
  for (const [fixture, refs] of [
    ['ok-nerdio-deployment-variable-exclusion', ['{$GroupVars.BreakGlass}']],
    ['ok-replace-with-placeholder-exclusion', ['REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID', 'REPLACE_WITH_SERVICE_ACCOUNTS_GROUP_OBJECT_ID']],
  ] as const) {
    const dir = join(FIXTURES, 'break-glass-not-excluded', fixture);
    const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
    for (const f of await service.discover(dir)) await service.load(f);
    const findings = service.analyzeTenant(dir);
    const view = service.view(dir);
    assert.ok(!findings.some((f) => f.ruleId === 'break-glass-not-excluded'), fixture);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'unresolved-group').map((f) => f.severity), refs.map(() => 'information'), fixture);
    const p = view.policies.find((x) => x.kind === 'ConditionalAccessPolicy')!;
    assert.deepEqual(modelOf(view).breakGlass.variableExclusions(p), { groups: [...refs], users: [] }, fixture);
    const lockout = lockoutCheck(view);
    assert.deepEqual(lockout.findings, [], fixture);
    assert.ok(!lockout.subjects.some((s) => refs.some((r) => s.user.includes(r))), `${fixture}: no one signs in as a member of a placeholder`);
    assert.match(lockout.warnings.map((w) => w.message).join('\n'), new RegExp(`excludes \`${refs[0]!.replace(/[{}$.]/g, '\\$&')}\`.*, a template's variables? .*whether it excludes the break-glass accounts is known once substituted`), fixture);
  }
});

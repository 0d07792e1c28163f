/**
 * Exports that do not name their Graph type, or carry an exporter's metadata: an app protection policy a GET of its
 * collection returned (no `@odata.type`, its `@odata.context` naming the entity set), Simeon Cloud's files
 * (`$description`, `$friendlyName`, `expand`, `${urn:resource:MSGraph:Groups/<name>?id}`), and a Conditional Access
 * policy Graph would refuse as written, which the CA rules read as What If does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { contextODataType, foreignGraphTypeOf, rawKindOf, typedExport } from '../../server/src/core/graph';
import { simeonGroupName } from '../../server/src/core/import-plan';
import { FIXTURES } from '../harness/fixtures';
import { tmp, ztp } from '../harness/interop';

const IOS_CONTEXT = 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/iosManagedAppProtections(assignments())/$entity';

test('an untyped export is read as the type of the entity set its @odata.context names', () => {
  const ios = { '@odata.context': IOS_CONTEXT, displayName: 'iOS - BYOD', pinRequired: true };
  assert.equal(contextODataType(ios), '#microsoft.graph.iosManagedAppProtection');
  assert.equal(rawKindOf(ios), 'AppProtectionPolicy');
  assert.equal((typedExport(ios) as Record<string, unknown>)['@odata.type'], '#microsoft.graph.iosManagedAppProtection');
  const android = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/androidManagedAppProtections/$entity', displayName: 'Android' };
  assert.equal(contextODataType(android), '#microsoft.graph.androidManagedAppProtection');
  // Its own type wins; a list response is no policy (its items are read one by one); a set of several types says nothing.
  assert.equal(contextODataType({ ...ios, '@odata.type': '#microsoft.graph.androidManagedAppProtection' }), undefined);
  assert.equal(rawKindOf({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/iosManagedAppProtections', value: [{ displayName: 'x' }] }), undefined);
  assert.equal(rawKindOf({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/managedAppPolicies/$entity', displayName: 'x' }), undefined);
  // The file's value is left as written.
  assert.equal('@odata.type' in ios, false);
});

test('check, What If and the lockout check read the untyped app protection policies (no false ca-requires-app-protection, no lockout)', async () => {
  const dir = join(FIXTURES, 'ca-requires-app-protection', 'ok-untyped-app-protection-odata-context');
  const check = await ztp(['check', dir, '--format', 'json']);
  const findings = JSON.parse(check.stdout) as { ruleId: string; message: string }[] | { findings: { ruleId: string; message: string }[] };
  const list = Array.isArray(findings) ? findings : findings.findings;
  assert.equal(list.some((f) => f.ruleId === 'ca-requires-app-protection'), false);
  assert.equal(list.some((f) => f.ruleId === 'unknown-kind'), false, 'both files are analysed');
  const lockout = await ztp(['whatif', dir, '--lockout']);
  assert.equal(lockout.code, 0, lockout.stdout + lockout.stderr);
});

test('an intent without @odata.type and without its settings (Simeon Cloud) is an intent by its template and assignments', () => {
  const simeon = {
    $friendlyName: 'Baseline - Windows',
    assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: '${urn:resource:MSGraph:Groups/Baseline - Corporate Devices?id}' } }],
    expand: 'assignments',
    templateId: '${urn:resource:MSGraph:DeviceManagement:Templates/#microsoft.graph.securityBaselineTemplate--MDM Security Baseline for Windows 10 and later for November 2021?id}',
  };
  assert.equal(foreignGraphTypeOf(simeon), 'deviceManagementIntent');
  // A settings catalog policy names its template in `templateReference`: not an intent.
  assert.equal(foreignGraphTypeOf({ templateId: 'x', templateReference: { templateId: 'x' }, assignments: [] }), undefined);
  assert.equal(foreignGraphTypeOf({ templateId: 'x' }), undefined, 'a template id alone says nothing');
});

test('Simeon Cloud group references name the group', () => {
  assert.equal(simeonGroupName('${urn:resource:MSGraph:Groups/Baseline - Corporate Devices?id}'), 'Baseline - Corporate Devices');
  assert.equal(simeonGroupName('${urn:resource:MSGraph:DeviceManagement:RoleScopeTags/Default?id}'), undefined);
  assert.equal(simeonGroupName('Baseline - Corporate Devices'), undefined);
});

test('ztp import drops an exporter\'s $ keys and expand, names the policy from $friendlyName, reads group references, types from @odata.context', async () => {
  const src = tmp('ztp-simeon-');
  const out = join(tmp('ztp-simeon-out-'), 'tenant');
  mkdirSync(join(src, 'Identity', 'ConditionalAccess', 'Policies'), { recursive: true });
  mkdirSync(join(src, 'DeviceAppManagement', 'IosManagedAppProtections'), { recursive: true });
  writeFileSync(
    join(src, 'Identity', 'ConditionalAccess', 'Policies', 'Baseline - Require MFA for All Users.json'),
    JSON.stringify(
      {
        $description: '| What does this do? | Requires MFA for every user. |',
        $friendlyName: 'Baseline - Require MFA for All Users',
        conditions: {
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
          users: { excludeGroups: ['${urn:resource:MSGraph:Groups/Baseline - Break Glass?id}'], includeUsers: ['All'] },
        },
        grantControls: { builtInControls: ['mfa'], operator: 'OR' },
        state: 'enabled',
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(src, 'DeviceAppManagement', 'IosManagedAppProtections', 'iOS BYOD.json'),
    JSON.stringify(
      {
        '@odata.context': IOS_CONTEXT,
        $description: 'iOS app protection for personal devices',
        $friendlyName: 'Baseline - iOS BYOD',
        displayName: 'Baseline - iOS BYOD',
        expand: 'assignments',
        pinRequired: true,
        minimumPinLength: 6,
        assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: '${urn:resource:MSGraph:Groups/Baseline - Mobile Users?id}' } }],
      },
      null,
      2,
    ),
  );
  const r = await ztp(['import', src, '--out', out, '--license', 'M365_E5']);
  const said = r.stdout + r.stderr;
  assert.match(said, /imported 2 policies/);
  assert.match(said, /`\$description`, `\$friendlyName`: left out: an exporter's metadata/);
  assert.match(said, /displayName: taken from `\$friendlyName` \(`Baseline - Require MFA for All Users`\)/);
  assert.match(said, /read as the groups they name: `Baseline - Break Glass`/);
  const ca = parse(readFileSync(join(out, 'conditional-access', readdirSync(join(out, 'conditional-access'))[0]!), 'utf8'));
  assert.equal(ca.spec.displayName, 'Baseline - Require MFA for All Users');
  assert.equal(Object.keys(ca.spec).some((k: string) => k.startsWith('$')), false);
  assert.deepEqual(ca.spec.conditions.users.excludeGroups, ['Baseline - Break Glass']);
  const app = parse(readFileSync(join(out, 'app-protection', readdirSync(join(out, 'app-protection'))[0]!), 'utf8'));
  assert.equal(app.spec['@odata.type'], '#microsoft.graph.iosManagedAppProtection');
  assert.equal('expand' in app.spec, false);
  assert.deepEqual(app.assignments, { include: ['Baseline - Mobile Users'] });
  const manifest = parse(readFileSync(join(out, 'zerotrust.yaml'), 'utf8'));
  assert.deepEqual(manifest.groups.map((g: { name: string }) => g.name).sort(), ['Baseline - Break Glass', 'Baseline - Mobile Users']);
  // The imported tenant has no schema finding of the exporter's keys.
  const check = await ztp(['check', out]);
  assert.doesNotMatch(check.stdout, / schema .*(\$description|\$friendlyName|`expand`)/);
  assert.doesNotMatch(check.stdout, /missing required property `displayName`/);
});

test('the CA rules do not count a policy Graph refuses as written, and name it', async () => {
  const mfa = await ztp(['check', join(FIXTURES, 'ca-mfa-all-users-missing', 'fires-enabled-policy-graph-refuses')]);
  assert.match(mfa.stdout, /ca-mfa-all-users-missing .*`require-mfa-all-users` would meet it but Graph refuses it as written: missing required property `displayName`/);
  const legacy = await ztp(['check', join(FIXTURES, 'legacy-auth-not-blocked', 'fires-in-practice-policy-graph-refuses')]);
  assert.match(legacy.stdout, /legacy-auth-not-blocked .*`require-mfa-all-users` would block them in practice but Graph refuses it as written/);
  assert.doesNotMatch(legacy.stdout, /blocked in practice today/);
  // The risk rules too: risk remediation without an authentication strength would answer high user risk, but Graph
  // refuses it (audit r29, t12), so it is named as such, not as one that "neither blocks nor requires a password change".
  const risk = await ztp(['check', join(FIXTURES, 'ca-user-risk-not-covered', 'fires-risk-remediation-without-strength')]);
  assert.match(risk.stdout, /ca-user-risk-not-covered .*`ca-user-risk` would meet it but Graph refuses it as written: `riskRemediation` must come with an authentication strength/);
  assert.doesNotMatch(risk.stdout, /neither blocks nor requires a password change/);
  // What If gives the same answer: the policy is not counted.
  const whatif = await ztp(['whatif', join(FIXTURES, 'ca-mfa-all-users-missing', 'fires-enabled-policy-graph-refuses'), '--user', 'someone@contoso.com', '--platform', 'windows']);
  assert.match(whatif.stdout, /not deployable as written/);
});

test('an intent written with `#microsoft.graph.intent`, a type Graph does not have (audit r26 raw-asd): read as the deviceManagementIntent its shape says, as with no type or the right one; unknown-kind and ztp import say the type is wrong, not that Graph has such a resource', async () => {
  const fixture = join(FIXTURES, 'windows-security-baseline-missing', 'ok-baseline-intent-odata-type-not-graph');
  const intent = JSON.parse(readFileSync(join(fixture, 'configuration', 'windows-baseline.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(foreignGraphTypeOf(intent), 'deviceManagementIntent');
  const { ['@odata.type']: _wrong, ...untyped } = intent;
  void _wrong;
  // The same findings, but for unknown-kind's words on the file, whether the type is wrong, missing or Graph's own.
  const codes = async (doc: Record<string, unknown>): Promise<string[]> => {
    const dir = tmp('wrong-intent-type-');
    for (const f of ['zerotrust.yaml', 'configuration/windows-smb-hardening.yaml']) {
      mkdirSync(join(dir, 'configuration'), { recursive: true });
      writeFileSync(join(dir, f), readFileSync(join(fixture, f)));
    }
    writeFileSync(join(dir, 'configuration', 'windows-baseline.json'), JSON.stringify(doc, null, 2));
    const r = await ztp(['check', dir, '--format', 'json']);
    return (JSON.parse(r.stdout) as { code: string }[]).map((f) => f.code).filter((c) => c !== 'unknown-kind').sort();
  };
  const wrong = await codes(intent);
  assert.ok(!wrong.includes('windows-security-baseline-missing'), 'the baseline intent is read');
  assert.deepEqual(wrong, await codes(untyped));
  assert.deepEqual(wrong, await codes({ ...intent, '@odata.type': '#microsoft.graph.deviceManagementIntent' }));
  const check = await ztp(['check', fixture]);
  assert.match(check.stdout, /windows-baseline\.json:2:18 information unknown-kind this export \(its `@odata\.type` `#microsoft\.graph\.intent` is not a type Graph knows; its `settingsDelta` makes it a `deviceManagementIntent` written with a wrong type, read as one: write `#microsoft\.graph\.deviceManagementIntent`\) is an endpoint security profile made from a template/);
  assert.doesNotMatch(check.stdout, /is a Graph resource/);
  // Of another shape, it is not read, and said to be no type Graph knows.
  const other = await ztp(['check', join(FIXTURES, 'unknown-kind', 'fires-odata-type-not-graph')]);
  assert.match(other.stdout, /edge-baseline\.json:2:18 information unknown-kind `#microsoft\.graph\.intent` is not a type Graph knows \(an endpoint security intent is `#microsoft\.graph\.deviceManagementIntent`\), so no policy kind holds it\. This Graph export is not analysed/);
  assert.equal(foreignGraphTypeOf({ '@odata.type': '#microsoft.graph.deviceManagementIntent', templateId: 'x', settingsDelta: [] }), 'deviceManagementIntent');
  assert.equal(foreignGraphTypeOf({ '@odata.type': '#microsoft.graph.intent', displayName: 'x' }), 'intent');
  // ztp import keeps it as exported, as an untyped intent, with a note on the type.
  const source = tmp('wrong-intent-src-');
  writeFileSync(join(source, 'edge-bl.json'), JSON.stringify(intent, null, 2));
  const out = join(tmp('wrong-intent-out-'), 'tenant');
  const imported = await ztp(['import', source, '--out', out]);
  assert.match(imported.stdout, /kept 1 file as exported/);
  assert.match(imported.stderr, /edge-bl\.json: @odata\.type: `#microsoft\.graph\.intent` is not a type Graph knows; by its shape this is a `deviceManagementIntent` written with a wrong type, kept as exported in configuration\/[a-z0-9-]+\.json and read as one: write `#microsoft\.graph\.deviceManagementIntent` before sending it to Graph/);
  assert.doesNotMatch(imported.stdout + imported.stderr, /is a Graph resource/);
  assert.ok(readdirSync(join(out, 'configuration')).length === 1);
});

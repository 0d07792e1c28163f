/**
 * Change impact (`ztp diff`): pairs of workspaces in test/fixtures-diff/<case>/{base,head}, each compared with its
 * golden Markdown (`expected.md`, byte for byte; `UPDATE_GOLDEN=1` writes them again) and with assertions on the
 * structure: failures, lockouts, layers, sign-ins, report-only policies, policy changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  changeImpactExitCode,
  changeImpactJson,
  changeImpactMarkdown,
  changeImpactText,
  createPolicyService,
  diffWorkspaces,
  sameHeadOverSize,
  type ChangeImpact,
  type PolicyFileSystem,
  type PolicyService,
  type TenantImpact,
} from '../../server/src/core/index';
import { nodeFileSystem, nodeFileSystemSync } from '../../server/src/host/node-fs';
import { compactCells } from '../../server/src/core/diff/cells';
import { settingChanges } from '../../server/src/core/diff/policies';
import { modelOf } from '../../server/src/core/model/index';
import { sniffKind, sniffPlatform } from '../../server/src/core/model/sniff';
import { FIXTURE_NOW } from '../harness/fixtures';
import { runInProcess, tempDir } from '../harness/cli';

const FIX = join(__dirname, '..', 'fixtures-diff');

async function loaded(dir: string): Promise<PolicyService> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  return service;
}

async function impactOf(name: string): Promise<ChangeImpact> {
  const dir = join(FIX, name).replace(/\\/g, '/');
  const [base, head] = await Promise.all([loaded(`${dir}/base`), loaded(`${dir}/head`)]);
  return diffWorkspaces({ service: base, root: `${dir}/base`, label: 'base' }, { service: head, root: `${dir}/head`, label: 'head' });
}

/**
 * The Android sign-ins of a tenant whose compliance file could not be read on one side: "allowed if" on both sides,
 * "may be blocked in practice" on the unreadable side only (unknown is not fine, audit r29 r2), never blocked.
 */
function unreadDoubts(signIns: ChangeImpact['tenants'][number]['signIns'], unreadable: 'before' | 'after', ext: string): void {
  assert.ok(signIns.length > 0);
  const doubt = new RegExp(`; may be blocked in practice: unknown whether a compliant device can be met on android: \`compliance/android-compliance\\.${ext}\` is not analysed`);
  for (const c of signIns) {
    assert.equal(c.platform, 'android');
    assert.deepEqual([c.before, c.after], ['allowedIf', 'allowedIf']);
    assert.match(unreadable === 'after' ? c.afterSummary : c.beforeSummary, doubt);
    assert.doesNotMatch(unreadable === 'after' ? c.beforeSummary : c.afterSummary, /may be blocked/);
  }
}

/** The case's Markdown against its golden file (written again with UPDATE_GOLDEN=1). */
function golden(name: string, impact: ChangeImpact): string {
  const md = changeImpactMarkdown(impact);
  const file = join(FIX, name, 'expected.md');
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, md);
  assert.equal(md, readFileSync(file, 'utf8'), `${name}: the Markdown differs from expected.md (UPDATE_GOLDEN=1 writes it again)`);
  return md;
}

function only(impact: ChangeImpact, name?: string): TenantImpact {
  const t = name ? impact.tenants.find((x) => x.name === name) : impact.tenants[0];
  assert.ok(t, `tenant ${name ?? '(first)'}`);
  return t;
}

test('a break-glass exclusion removed: the account is blocked on every sign-in, the failure names the cells and the policy, exit 1', async () => {
  const impact = await impactOf('break-glass-exclusion-removed');
  const md = golden('break-glass-exclusion-removed', impact);
  const t = only(impact);
  assert.equal(t.name, 'northwind');
  assert.equal(t.change, 'changed');
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(impact.failures[0], 'northwind: locks out break-glass account bg-admin@northwind.com · windows, macOS · browser, mobile/desktop apps · every app: allowed → blocked by ca-block-during-migration');
  assert.ok(impact.failures.some((f) => f.includes('introduces an error: break-glass-not-excluded on ca-block-during-migration')));
  assert.deepEqual(t.lockouts, [{ user: 'bg-admin@northwind.com', subjectKind: 'breakGlass', cells: 4, policies: ['ca-block-during-migration'] }]);
  assert.equal(t.signIns.length, 4);
  // The break-glass account, a member of grp-it-admins (the group the block lets through), a Global Administrator
  // (signed in whatever the policies name: admins must reach the admin portals) and a user in no group.
  assert.equal(t.scenarios, 16);
  for (const c of t.signIns) {
    assert.equal(c.subjectKind, 'breakGlass');
    assert.equal(c.before, 'allowed');
    assert.equal(c.after, 'blocked');
    assert.deepEqual(c.decidedBy, ['ca-block-during-migration']);
  }
  assert.deepEqual(t.policies, [
    { kind: 'ConditionalAccessPolicy', name: 'ca-block-during-migration', file: 'northwind/conditional-access/ca-block-during-migration.yaml', change: 'changed', settings: [{ path: 'spec.conditions.users.excludeGroups', before: ['grp-it-admins', 'grp-breakglass'], after: ['grp-it-admins'] }] },
  ]);
  assert.deepEqual(t.introduced.map((f) => `${f.severity} ${f.ruleId} ${f.policy} ${f.file}:${f.line}`), ['error break-glass-not-excluded ca-block-during-migration northwind/conditional-access/ca-block-during-migration.yaml:9']);
  assert.match(md.split('\n')[0]!, /^\*\*⛔ This change locks out a break-glass account/);
  const text = changeImpactText(impact);
  assert.match(text, /✗ northwind: locks out break-glass account bg-admin@northwind\.com · windows, macOS/);
});

test('a compliance policy deleted: layer 4 partial → blocked, the Android sign-ins that need a compliant device now unsatisfiable, a lockout as the lockout check reads it', async () => {
  const impact = await impactOf('compliance-policy-deleted');
  const md = golden('compliance-policy-deleted', impact);
  const t = only(impact);
  // Partial before: the manifest accepts tenant-wide layer 4 warnings with `# ztp-ignore`, which close no gap.
  // Layer 3 too: Android, in the manifest's platforms and asked for a compliant device, has no compliance policy left.
  assert.deepEqual(t.layers, [
    { layer: 3, name: 'Compliance policies', before: 'complete', after: 'partial' },
    { layer: 4, name: 'Require compliant devices', before: 'partial', after: 'blocked' },
  ]);
  assert.ok(t.signIns.length > 0);
  for (const c of t.signIns) {
    assert.equal(c.platform, 'android');
    assert.equal(c.after, 'unsatisfiable');
    assert.deepEqual(c.decidedBy, ['ca-require-compliant-device']);
  }
  // Every account the compliant-device policy covers, on both client apps and every app; the break-glass account is excluded.
  assert.deepEqual([...new Set(t.signIns.map((c) => c.user))], ['sample@role-global-administrator', 'sample@grp-admins', 'sample@grp-mobile', 'sample@all-users']);
  assert.equal(t.signIns.length, 4 * 2 * 2);
  assert.deepEqual(t.policies.map((p) => `${p.change} ${p.kind} ${p.name}`), ['removed CompliancePolicy android-compliance']);
  // Android alone is no whole-group lockout, but `ztp whatif --lockout` on the head finds every Android sign-in of
  // these accounts unsatisfiable: a lockout on some sign-ins, which fails the change as the check fails on the head.
  const check = await headLockout('compliance-policy-deleted', 'fabrikam');
  assert.deepEqual(check.findings.map((f) => `${f.verdict} ${f.policy} ${f.platforms.join()} ${f.subjects.map((s) => s.user).join()}`), ['unsatisfiable ca-require-compliant-device android sample@grp-admins,sample@grp-mobile,sample@role-global-administrator,sample@all-users']);
  const android = [{ platform: 'android', clientApp: 'browser', app: 'All' }, { platform: 'android', clientApp: 'mobileAppsAndDesktopClients', app: 'All' }];
  assert.deepEqual(t.lockouts, [
    { user: 'sample@role-global-administrator', subjectKind: 'sample', role: 'Global Administrator', cells: 2, policies: ['ca-require-compliant-device'], signIns: android },
    { user: 'sample@grp-admins', subjectKind: 'sample', group: 'grp-admins', cells: 2, policies: ['ca-require-compliant-device'], signIns: android },
    { user: 'sample@grp-mobile', subjectKind: 'sample', group: 'grp-mobile', cells: 2, policies: ['ca-require-compliant-device'], signIns: android },
    { user: 'sample@all-users', subjectKind: 'sample', cells: 2, policies: ['ca-require-compliant-device'], signIns: android },
  ]);
  assert.deepEqual(t.introduced.map((f) => f.ruleId), ['ca-requires-compliance-policy']);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.equal(impact.failures[0], 'fabrikam: locks out every holder of the Global Administrator role (sample@role-global-administrator), group grp-admins (sample@grp-admins), group grp-mobile (sample@grp-mobile) and every user in no group (sample@all-users) on android · browser, mobile/desktop apps · every app, as ztp whatif --lockout reads it (a requirement no one can meet, or a block that leaves nothing open), by ca-require-compliant-device');
  assert.match(md.split('\n')[0]!, /^\*\*⛔ This change locks out 2 groups, the holders of a role and users in no group on some sign-ins, and introduces an error finding\*\* · 1 finding introduced · layer 3: complete → partial · layer 4: partial → blocked · 16 sign-ins change/);
});

test('a compliance policy that no longer parses: no longer readable, not removed; its findings not resolved; its sign-ins are not blocked on a file nobody could read, only "may be" (audit r29 r2)', async () => {
  const impact = await impactOf('compliance-policy-unparsable');
  golden('compliance-policy-unparsable', impact);
  const t = only(impact);
  // The syntax error is the one new error, and what fails the change.
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(t.introduced.map((f) => f.ruleId), ['yaml-syntax']);
  assert.deepEqual(t.resolved, []);
  // The base found nothing that the head no longer checks.
  assert.deepEqual(t.unchecked, []);
  assert.deepEqual(t.policies.map((p) => [p.change, p.name]), [['unreadable', 'android-compliance']]);
  // The Android sign-ins still need a compliant device: the lockout check's grant is unknown there, never
  // unsatisfiable; unknown is not fine either, so What If says "may be blocked in practice" (audit r29 r2).
  assert.ok(t.signIns.length > 0);
  for (const c of t.signIns) {
    assert.equal(c.platform, 'android');
    assert.deepEqual([c.before, c.after], ['allowedIf', 'allowedIf']);
    assert.match(c.afterSummary, /; may be blocked in practice: unknown whether a compliant device can be met on android: `compliance\/android-compliance\.yaml` is not analysed/);
  }
  // Layer 3 is not known to be complete while the file may hold an Android compliance policy (layer 4 is partial on
  // both sides: the manifest accepts tenant-wide layer 4 warnings with `# ztp-ignore`, which close no gap).
  assert.deepEqual(t.layers.map((l) => [l.layer, l.before, l.after]), [[3, 'complete', 'partial']]);
  // Partial only because the head cannot read the file: the head's layer 3 is unknown, not a regression.
  assert.deepEqual(t.layers[0]!.headUnknown, ['fabrikam/compliance/android-compliance.yaml']);
  assert.equal(t.layers[0]!.baseUnknown, undefined);
});

test('a CA policy that no longer parses: the tenant-wide gaps it silences are no longer checked, not resolved, and the sign-ins are not compared', async () => {
  const impact = await impactOf('ca-policy-unparsable');
  golden('ca-policy-unparsable', impact);
  const t = only(impact);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(t.introduced.map((f) => f.ruleId), ['yaml-syntax']);
  assert.deepEqual(t.resolved, []);
  assert.ok(t.unchecked.some((f) => f.ruleId === 'legacy-auth-not-blocked'), JSON.stringify(t.unchecked));
  assert.ok(t.unchecked.some((f) => f.ruleId === 'unresolved-group' && f.file === 'ca/ca030-finance-mfa.yaml'));
  assert.deepEqual(t.signIns, []);
  assert.deepEqual(t.signInsNotCompared, ['ca/ca030-finance-mfa.yaml']);
});

test('a block of All users appended to a CA file as a second YAML document (audit r26 h1-multidoc): the file no longer parses, so the sign-ins are not compared, as for any other file that does not parse', async () => {
  const impact = await impactOf('ca-policy-second-document');
  const md = golden('ca-policy-second-document', impact);
  const t = only(impact);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(t.introduced.map((f) => f.ruleId), ['yaml-syntax']);
  assert.match(t.introduced[0]!.message, /the file holds 2 YAML documents; .* Until it parses, the checks that look across the tenant for a `ConditionalAccessPolicy` say nothing/);
  assert.deepEqual(t.resolved, []);
  assert.ok(t.unchecked.some((f) => f.ruleId === 'legacy-auth-not-blocked'), JSON.stringify(t.unchecked));
  assert.deepEqual(t.signIns, []);
  assert.deepEqual(t.signInsNotCompared, ['ca/ca-compliant.yaml']);
  assert.match(md, /Sign-ins not compared/);
});

test('a CA policy file that parses again (audit r25 t05-broken-ca → d2-fix-broken): what it reveals is now checked, not introduced, and the sign-ins are not compared, as the other way round', async () => {
  const impact = await impactOf('ca-policy-parses-again');
  const md = golden('ca-policy-parses-again', impact);
  const t = only(impact);
  // The base could not read `ca/ca-broken.yaml`: its lockout check said "no lockout among the policies read", so no
  // sign-in goes from allowed to blocked, and nothing the file or the tenant-wide CA checks now say is introduced.
  assert.deepEqual(t.signIns, []);
  assert.equal(t.lockouts, undefined);
  assert.deepEqual(t.baseSignInsNotCompared, ['ca/ca-broken.yaml']);
  assert.deepEqual(t.wasUnreadable, ['ca/ca-broken.yaml']);
  assert.deepEqual(t.introduced, []);
  assert.deepEqual(t.resolved.map((f) => f.ruleId), ['yaml-syntax']);
  assert.deepEqual(
    (t.nowChecked ?? []).map((f) => f.ruleId),
    ['break-glass-not-excluded', 'ca-device-code-flow-not-blocked', 'ca-sign-in-risk-not-covered', 'ca-user-risk-not-covered', 'ca-security-info-registration-unprotected', 'ca-unknown-platforms-not-blocked'],
  );
  // The head has the break-glass error, which the base could not show: the change fails on it, said as what it is.
  assert.equal(changeImpactExitCode(impact), 1);
  assert.equal(impact.failures.length, 1);
  assert.match(impact.failures[0]!, /^fabrikam: has an error now checked \(was unknown: `ca\/ca-broken\.yaml` could not be read on the base\): break-glass-not-excluded on ca-broken/);
  assert.doesNotMatch(md, /locks out|introduces/);
  assert.match(md, /Now checked \(was unknown: `ca\/ca-broken\.yaml` could not be read on the base\), not introduced \(6\)/);
  assert.match(md, /Sign-ins not compared: `ca\/ca-broken\.yaml` could not be read on the base/);
  const json = changeImpactJson(impact) as { tenants: { nowChecked?: unknown[]; baseSignInsNotCompared?: string[] }[] };
  assert.equal(json.tenants[0]!.nowChecked?.length, 6);
  assert.deepEqual(json.tenants[0]!.baseSignInsNotCompared, ['ca/ca-broken.yaml']);
  // The text says the same.
  const text = changeImpactText(impact);
  assert.match(text, /Findings now checked \(was unknown: `ca\/ca-broken\.yaml` could not be read on the base\), not introduced \(6\)/);
  assert.doesNotMatch(text, /Findings introduced/);
  // The policy was there on the base, unreadable: now readable, never added.
  assert.deepEqual(t.policies.map((p) => [p.change, p.kind, p.name]), [['readable', 'ConditionalAccessPolicy', 'ca-broken']]);
  assert.doesNotMatch(md, /added/);
  // Layer 4's base status was computed without the file (a CA policy of layer 4 may be in it): unknown, not "partial".
  assert.deepEqual(t.layers.map((l) => [l.layer, l.before, l.after, l.baseUnknown]), [[4, 'partial', 'blocked', ['ca/ca-broken.yaml']]]);
  assert.match(text, /4 Require compliant devices: base unknown \(ca\/ca-broken\.yaml could not be read; partial without it\) → blocked/);
  assert.doesNotMatch(md, /partial → blocked/);
});

test('a compliance policy that parses again (the mirror of compliance-policy-unparsable): now readable, not added; layer 3 was unknown on the base, not partial', async () => {
  const impact = await impactOf('compliance-policy-parses-again');
  const md = golden('compliance-policy-parses-again', impact);
  const t = only(impact);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.deepEqual(t.resolved.map((f) => f.ruleId), ['yaml-syntax']);
  assert.deepEqual(t.introduced, []);
  assert.deepEqual(t.policies.map((p) => [p.change, p.kind, p.name, p.file]), [['readable', 'CompliancePolicy', 'android-compliance', 'fabrikam/compliance/android-compliance.yaml']]);
  assert.deepEqual(t.wasUnreadable, ['fabrikam/compliance/android-compliance.yaml']);
  assert.deepEqual(t.layers.map((l) => [l.layer, l.before, l.after, l.baseUnknown, l.headUnknown]), [[3, 'partial', 'complete', ['fabrikam/compliance/android-compliance.yaml'], undefined]]);
  // Nothing claims the layer moved, or the policy was added.
  // The Android sign-ins' doubt on the file nobody could read is gone (audit r29 r2): they change, none locked out.
  assert.match(md.split('\n')[0]!, /^\*\*🟡 Sign-ins change — no break-glass account or whole group is locked out\*\* · 1 finding resolved · layer 3: base unknown \(fabrikam\/compliance\/android-compliance\.yaml could not be read\) → complete · 16 sign-ins change · 1 policy now readable$/);
  unreadDoubts(t.signIns, 'before', 'yaml');
  assert.doesNotMatch(md, /partial → complete|added/);
  const json = changeImpactJson(impact) as { tenants: { layers: unknown[]; policies: { change: string }[] }[] };
  assert.deepEqual(json.tenants[0]!.layers, [{ layer: 3, name: 'Compliance policies', before: 'partial', after: 'complete', baseUnknown: ['fabrikam/compliance/android-compliance.yaml'] }]);
  assert.deepEqual(json.tenants[0]!.policies.map((p) => p.change), ['readable']);
  assert.match(changeImpactText(impact), /now readable \(could not be read on the base\): CompliancePolicy android-compliance/);
});

/** The bytes of a UTF-16 LE file whose byte order mark a UTF-8 round trip (read with replacement, written back) turned into two U+FFFD. */
const damagedBom = (file: string): Buffer => Buffer.concat([Buffer.from([0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd]), readFileSync(file).subarray(2)]);

test('a UTF-16 compliance policy whose byte order mark is damaged: no longer readable, not removed; may still hold the Android compliance policy, so no lockout or compliance error; layer 3 unknown on the head', async () => {
  const dir = join(FIX, 'utf16-bom-broken');
  const file = join('fabrikam', 'compliance', 'android-compliance.json');
  // The fixture is what the round trip makes of the base's file.
  assert.deepEqual(readFileSync(join(dir, 'base', file)).subarray(0, 2), Buffer.from([0xff, 0xfe]));
  assert.deepEqual(readFileSync(join(dir, 'head', file)), damagedBom(join(dir, 'base', file)));
  const impact = await impactOf('utf16-bom-broken');
  golden('utf16-bom-broken', impact);
  const t = only(impact);
  // The head's file is read as far as its bytes decode: a CompliancePolicy for Android (its `kind` and `@odata.type`
  // show between the NULs), so the model does not take the Android compliance policy as missing.
  const head = await loaded(join(dir, 'head').replace(/\\/g, '/'));
  const broken = head.get(join(dir, 'head', file).replace(/\\/g, '/'))!;
  assert.equal(sniffKind(broken), 'CompliancePolicy');
  assert.equal(sniffPlatform(broken), 'android');
  assert.equal(modelOf(head.view(join(dir, 'head', 'fabrikam').replace(/\\/g, '/'))).mayHide('CompliancePolicy', 'android'), true);
  assert.deepEqual(t.policies.map((p) => [p.change, p.name]), [['unreadable', 'android-compliance']]);
  assert.ok(t.introduced.every((f) => f.ruleId === 'yaml-syntax' && f.file === 'fabrikam/compliance/android-compliance.json'), JSON.stringify(t.introduced.map((f) => f.ruleId)));
  unreadDoubts(t.signIns, 'after', 'json');
  assert.equal(t.lockouts, undefined);
  assert.deepEqual(t.layers.map((l) => [l.layer, l.before, l.after, l.headUnknown]), [[3, 'complete', 'partial', ['fabrikam/compliance/android-compliance.json']]]);
  // The syntax errors fail the change, nothing else does.
  assert.equal(changeImpactExitCode(impact), 1);
  assert.ok(impact.failures.every((f) => f.includes('yaml-syntax on compliance/android-compliance.json')));
});

test('a UTF-16 compliance policy whose byte order mark is repaired: now readable, not added; its syntax errors resolved; layer 3 was unknown on the base', async () => {
  const dir = join(FIX, 'utf16-bom-repaired');
  const file = join('fabrikam', 'compliance', 'android-compliance.json');
  assert.deepEqual(readFileSync(join(dir, 'base', file)), damagedBom(join(dir, 'head', file)));
  const impact = await impactOf('utf16-bom-repaired');
  const md = golden('utf16-bom-repaired', impact);
  const t = only(impact);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.deepEqual(t.introduced, []);
  assert.ok(t.resolved.length > 0 && t.resolved.every((f) => f.ruleId === 'yaml-syntax'));
  assert.deepEqual(t.policies.map((p) => [p.change, p.kind, p.name]), [['readable', 'CompliancePolicy', 'android-compliance']]);
  unreadDoubts(t.signIns, 'before', 'json');
  assert.deepEqual(t.layers.map((l) => [l.layer, l.baseUnknown, l.headUnknown]), [[3, ['fabrikam/compliance/android-compliance.json'], undefined]]);
  assert.match(md, /\| 3 · Compliance policies \| ❓ unknown: `fabrikam\/compliance\/android-compliance\.json` could not be read on the base \(🟡 partial without it\) \| ✅ complete \|/);
  assert.match(md, /📖 now readable \(could not be read on the base\) CompliancePolicy `android-compliance`/);
});

test('a CA policy file that does not parse on either side, edited: changed and unreadable on both sides, never "unchanged"; the sign-ins are not compared', async () => {
  const impact = await impactOf('ca-policy-unparsable-edited');
  const md = golden('ca-policy-unparsable-edited', impact);
  const t = only(impact);
  assert.equal(t.change, 'changed');
  assert.equal(changeImpactExitCode(impact), 0);
  assert.deepEqual(t.introduced, []);
  assert.deepEqual(t.policies.map((p) => [p.change, p.stillUnreadable, p.kind, p.file]), [['unreadable', true, 'ConditionalAccessPolicy', 'ca/ca030-finance-mfa.yaml']]);
  assert.deepEqual(t.signInsNotCompared, ['ca/ca030-finance-mfa.yaml']);
  assert.match(md, /Sign-ins not compared: a file that may hold a Conditional Access policy is not analysed/);
  // The same broken file on both sides, unedited: nothing to say.
  const dir = join(FIX, 'ca-policy-unparsable-edited', 'base').replace(/\\/g, '/');
  const [a, b] = await Promise.all([loaded(dir), loaded(dir)]);
  const same = diffWorkspaces({ service: a, root: dir, label: 'base' }, { service: b, root: dir, label: 'head' });
  assert.equal(same.tenants[0]!.change, 'unchanged');
  assert.equal(changeImpactMarkdown(same).includes('not compared'), false);
});

/**
 * A Windows settings catalog profile of 300 Edge settings (about 90 KB), as a portal export of a large profile is: its
 * last setting, past the first 64 KB, is `last` (`_0` or `_1`, so both texts are the same size).
 */
function bigEdgeProfile(last: '0' | '1'): string {
  const lines = ['kind: ConfigurationProfile', 'name: win-edge-hardening', 'assignments:', '  include: [grp-all-staff]', 'spec:', '  name: Windows - Edge hardening', '  platforms: windows10', '  technologies: mdm', '  settings:'];
  for (let i = 1; i <= 300; i++) {
    const id = `device_vendor_msft_policy_config_microsoft_edgev${100 + i}~policy~microsoft_edge~hardening_setting${i}`;
    lines.push(
      '    - settingInstance:',
      '        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"',
      `        settingDefinitionId: ${id}`,
      '        choiceSettingValue:',
      `          value: ${id}_${i === 300 ? last : '1'}`,
    );
  }
  return lines.join('\n') + '\n';
}

const OVERSIZE_PROFILE = 'configuration/win-edge-hardening.yaml';
/** 0.07 MB (73,400 bytes): the generated profile is over it, and its change lies past the 64 KB kept of it. */
const OVERSIZE_LIMIT = 0.07 * 1024 * 1024;

/** The `oversize-changed-past-head` fixture in a temporary folder, the over-size profile written on each side. */
function oversizeCase(t: { after: (fn: () => void) => void }, baseLast: '0' | '1', headLast: '0' | '1'): string {
  const dir = tempDir(t, 'diff-oversize').replace(/\\/g, '/');
  cpSync(join(FIX, 'oversize-changed-past-head'), dir, { recursive: true });
  writeFileSync(`${dir}/base/${OVERSIZE_PROFILE}`, bigEdgeProfile(baseLast));
  writeFileSync(`${dir}/head/${OVERSIZE_PROFILE}`, bigEdgeProfile(headLast));
  return dir;
}

/** Both sides over the limit, compared as `ztp diff` does: the whole of each over-size file alike in size and head hashed. */
async function oversizeImpact(dir: string, fs: PolicyFileSystem = nodeFileSystem): Promise<ChangeImpact> {
  const side = async (root: string): Promise<PolicyService> => {
    const service = createPolicyService({ fs, now: () => FIXTURE_NOW, maxFileSize: OVERSIZE_LIMIT });
    for (const f of await service.discover(root)) await service.load(f);
    return service;
  };
  const base = { service: await side(`${dir}/base`), root: `${dir}/base`, label: 'base' };
  const head = { service: await side(`${dir}/head`), root: `${dir}/head`, label: 'head' };
  const digests = { base: new Map<string, string>(), head: new Map<string, string>() };
  for (const pair of sameHeadOverSize(base, head)) {
    digests.base.set(pair.base, (await fs.digest!(pair.base))!);
    digests.head.set(pair.head, (await fs.digest!(pair.head))!);
  }
  return diffWorkspaces({ ...base, digests: digests.base }, { ...head, digests: digests.head });
}

test('an over-size profile changed past its first 64 KB, its size the same: changed and unreadable on both sides, seen by the hash of the whole file', async (t) => {
  assert.equal(bigEdgeProfile('0').length, bigEdgeProfile('1').length);
  assert.ok(bigEdgeProfile('0').length > OVERSIZE_LIMIT && bigEdgeProfile('0').lastIndexOf('_0') > 65536, 'over the limit, changed past the head');
  const dir = oversizeCase(t, '1', '0');
  const impact = await oversizeImpact(dir);
  golden('oversize-changed-past-head', impact);
  const tenant = only(impact);
  assert.equal(tenant.change, 'changed');
  assert.deepEqual(tenant.policies.map((p) => [p.change, p.stillUnreadable, p.kind, p.file]), [['unreadable', true, 'ConfigurationProfile', OVERSIZE_PROFILE]]);
  assert.equal(changeImpactExitCode(impact), 0);
  // A settings catalog profile holds no CA policy: the sign-ins are still compared.
  assert.equal(tenant.signInsNotCompared, undefined);
  // The near miss: the same text on both sides is no change, hashed or not.
  const same = await oversizeImpact(oversizeCase(t, '1', '1'));
  assert.equal(only(same).change, 'unchanged');
  assert.deepEqual(only(same).policies, []);
});

test('ztp diff hashes only the over-size files alike in size and first bytes, each once, and reads the change past 64 KB', async (t) => {
  const dir = oversizeCase(t, '1', '0');
  // A second over-size file whose size differs between the sides: told apart without a hash.
  writeFileSync(`${dir}/base/configuration/win-edge-copy.yaml`, bigEdgeProfile('1').replace('win-edge-hardening', 'win-edge-copy'));
  writeFileSync(`${dir}/head/configuration/win-edge-copy.yaml`, bigEdgeProfile('1').replace('win-edge-hardening', 'win-edge-copy') + '# reviewed\n');
  const hashed: string[] = [];
  const fs: PolicyFileSystem = { ...nodeFileSystemSync, digest: (p) => (hashed.push(p.replace(`${dir}/`, '')), nodeFileSystemSync.digest!(p)) };
  const r = await runInProcess(['diff', 'base', 'head', '--max-file-size', '0.07', '--format', 'json'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' }, fs });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(hashed.sort(), [`base/${OVERSIZE_PROFILE}`, `head/${OVERSIZE_PROFILE}`]);
  const json = JSON.parse(r.stdout) as { tenants: { policies: { file: string; change: string; stillUnreadable?: boolean }[] }[] };
  assert.deepEqual(json.tenants[0]!.policies.map((p) => [p.file, p.change, p.stillUnreadable]), [
    ['configuration/win-edge-copy.yaml', 'unreadable', true],
    [OVERSIZE_PROFILE, 'unreadable', true],
  ]);
  // The git object id the working tree's file system gives is git's own (what a revision's listing holds).
  const text = bigEdgeProfile('0');
  const { createHash } = await import('node:crypto');
  assert.equal(await nodeFileSystem.digest!(`${dir}/head/${OVERSIZE_PROFILE}`), `git-sha1:${createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex')}`);
});

test('a compliance policy added for one of two missing platforms: the error narrows (reworded), nothing is introduced, exit 0', async () => {
  const impact = await impactOf('compliance-platform-added');
  golden('compliance-platform-added', impact);
  const t = only(impact);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.deepEqual(t.introduced, []);
  assert.deepEqual(t.resolved, []);
  assert.equal(t.reworded.length, 1);
  const [r] = t.reworded;
  assert.equal(r!.before.ruleId, 'ca-requires-compliance-policy');
  assert.match(r!.before.message, /^no Android or macOS compliance policy/);
  assert.match(r!.after.message, /^no macOS compliance policy/);
  assert.ok(t.signIns.length > 0 && t.signIns.every((c) => c.platform === 'android' && c.before === 'unsatisfiable'));
});

test('a compliance gap that moves (Android covered, macOS not, then the other way round) is a new error, not a reworded one: exit 1', async () => {
  const impact = await impactOf('compliance-gap-moves');
  golden('compliance-gap-moves', impact);
  const t = only(impact);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(t.reworded, []);
  assert.deepEqual(t.introduced.map((f) => [f.ruleId, f.message.split(';')[0]]), [['ca-requires-compliance-policy', 'no Android compliance policy']]);
  assert.deepEqual(t.resolved.map((f) => [f.ruleId, f.message.split(';')[0]]), [['ca-requires-compliance-policy', 'no macOS compliance policy']]);
});

test('iOS compliance narrowed from all users to a pilot group that lists its members (the whole group): the user in no group can no longer sign in on iOS, and the diff shows the lockout', async () => {
  const impact = await impactOf('compliance-narrowed-to-pilot');
  golden('compliance-narrowed-to-pilot', impact);
  const t = only(impact);
  // Every sign-in that changes is on iOS: the user in no group's, now locked out (ca-group-alignment's gap): the pilot
  // group lists its members, the whole group, and they are not among them; a Global Administrator's, now in doubt, as
  // whether one of the listed members holds the role is not in the files.
  assert.ok(t.signIns.length > 0);
  for (const c of t.signIns) {
    if (c.user === 'sample@role-global-administrator') assert.deepEqual([c.platform, c.before, c.after], ['iOS', 'allowedIf', 'allowedIf']);
    else assert.deepEqual([c.user, c.platform, c.before, c.after], ['sample@all-users', 'iOS', 'allowedIf', 'unsatisfiable']);
  }
  assert.ok(t.signIns.some((c) => c.user === 'sample@all-users'));
  assert.deepEqual(t.introduced.map((f) => f.ruleId), ['ca-group-alignment']);
  assert.match(t.introduced[0]!.message, /Those users are locked out with nothing to fix/);
  assert.equal(changeImpactExitCode(impact), 1);
});

test('iOS compliance narrowed to a pilot group that lists no members (it may be a device group): the diff shows the sign-in that may be blocked, and the finding says "may be"', async () => {
  const impact = await impactOf('compliance-narrowed-to-unlisted-pilot');
  golden('compliance-narrowed-to-unlisted-pilot', impact);
  const t = only(impact);
  assert.ok(t.signIns.length > 0);
  for (const c of t.signIns) {
    assert.deepEqual([c.platform, c.before, c.after], ['iOS', 'allowedIf', 'allowedIf']);
    if (c.user === 'sample@all-users') assert.match(c.afterSummary, /^allowed if a compliant device; may be blocked in practice: .*grp-ios-pilot may hold them or their devices \(zerotrust\.yaml does not tell, and it may be a device group\)/);
    else assert.equal(c.user, 'sample@role-global-administrator');
  }
  assert.ok(t.signIns.some((c) => c.user === 'sample@all-users'));
  assert.deepEqual(t.introduced.map((f) => f.ruleId), ['ca-group-alignment']);
  assert.match(t.introduced[0]!.message, /Those users may be locked out with nothing to fix: `grp-ios-pilot` may hold them or their devices/);
  assert.equal(changeImpactExitCode(impact), 0);
});

test('a configuration profile added: the tenant-wide findings that count the profiles are reworded, not introduced and resolved', async () => {
  const impact = await impactOf('profile-added-counts');
  golden('profile-added-counts', impact);
  const t = only(impact);
  assert.deepEqual(t.introduced, []);
  assert.deepEqual(t.resolved, []);
  assert.ok(t.reworded.some((r) => r.before.ruleId === 'laps-not-configured' && /Windows configuration profiles \(it has one, `edge-smartscreen`\)/.test(r.before.message) && /2 Windows configuration profiles/.test(r.after.message)), JSON.stringify(t.reworded));
});

test('a disk encryption profile exported without its settings: BitLocker is no longer checked (named), not resolved; LAPS, ASR and the baseline stay (audit x1-noexport)', async () => {
  const impact = await impactOf('profile-exported-without-settings');
  const md = golden('profile-exported-without-settings', impact);
  const t = only(impact);
  assert.deepEqual(t.resolved, []);
  assert.deepEqual(t.introduced, []);
  assert.deepEqual(t.unchecked.map((f) => [f.ruleId, f.uncheckedBecause]), [['bitlocker-not-configured', '`win-disk` exported without its settings']]);
  assert.deepEqual(t.reworded.map((r) => r.after.ruleId).sort(), ['asr-rules-not-configured', 'laps-not-configured', 'windows-security-baseline-missing']);
  assert.match(md, /\*\*No longer checked \(`win-disk` exported without its settings\), so these are unknown, not resolved \(1\)\*\*/);
  assert.equal(changeImpactExitCode(impact), 0);
  // The text and JSON forms say the same.
  assert.match(changeImpactText(impact), /Findings no longer checked \(`win-disk` exported without its settings\), so these are unknown, not resolved \(1\)/);
  assert.match(JSON.stringify(changeImpactJson(impact)), /"uncheckedBecause":"`win-disk` exported without its settings"/);
});

test('a file that holds no policy breaks in the same change that adds a compliance policy: the error is resolved, not "no longer checked"', async () => {
  const impact = await impactOf('unrelated-file-broken');
  golden('unrelated-file-broken', impact);
  const t = only(impact);
  assert.deepEqual(t.introduced.map((f) => [f.ruleId, f.file]), [['yaml-syntax', 'fabrikam/pipeline-settings.json']]);
  assert.deepEqual(t.resolved.map((f) => f.ruleId), ['ca-requires-compliance-policy']);
  assert.deepEqual(t.unchecked, []);
  assert.equal(t.signInsNotCompared, undefined);
  assert.ok(t.signIns.length > 0);
});

test('a report-only policy enforced: sign-ins now ask for MFA, nothing fails', async () => {
  const impact = await impactOf('report-only-enabled');
  golden('report-only-enabled', impact);
  const t = only(impact);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.deepEqual(impact.failures, []);
  assert.ok(t.signIns.length > 0);
  assert.ok(t.signIns.every((c) => c.decidedBy.includes('ca-all-users-require-mfa') && c.after === 'allowedIf' && /MFA/.test(c.afterSummary)));
  // A user in no group on iOS met no enforced policy before.
  const ios = t.signIns.filter((c) => c.user === 'sample@all-users' && c.platform === 'iOS');
  assert.ok(ios.length && ios.every((c) => c.before === 'allowed'));
  // The break-glass account stays excluded; the promoted policy is no report-only change (its effect is in the sign-ins).
  assert.ok(t.signIns.every((c) => c.subjectKind === 'sample'));
  assert.deepEqual(t.reportOnly, []);
  assert.deepEqual(t.policies.map((p) => p.settings), [[{ path: 'spec.state', before: 'enabledForReportingButNotEnforced', after: 'enabled' }]]);
});

test('a pure rename (file and name): renamed, no finding, sign-in or report-only change, exit 0', async () => {
  const impact = await impactOf('pure-rename');
  const md = golden('pure-rename', impact);
  const t = only(impact);
  assert.deepEqual(
    t.policies.map((p) => [p.change, p.from, p.name, p.file, p.settings.length]),
    [
      ['renamed', 'ca-admins-require-mfa', 'ca-admins-mfa', 'fabrikam/conditional-access/ca-admins-mfa.yaml', 0],
      ['renamed', 'ca-all-users-require-mfa', 'ca-all-users-mfa', 'fabrikam/conditional-access/ca-all-users-mfa.yaml', 0],
    ],
  );
  assert.deepEqual([t.signIns, t.reportOnly, t.introduced, t.resolved, t.layers], [[], [], [], [], []]);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.equal(md.split('\n')[0], '✅ No sign-in or layer changes · 2 policies renamed');
});

test('a description or display name reworded: listed under its policy as a name or description, no setting counted, exit 0', async () => {
  const impact = await impactOf('description-only-change');
  const md = golden('description-only-change', impact);
  const t = only(impact);
  assert.deepEqual(t.policies, [
    {
      kind: 'ConditionalAccessPolicy',
      name: 'ca-block-legacy-auth',
      file: 'fabrikam/conditional-access/ca-block-legacy-auth.yaml',
      change: 'changed',
      settings: [],
      labels: [{ path: 'description', before: 'Blocks Exchange ActiveSync and other legacy clients.', after: 'Blocks Exchange ActiveSync and other legacy clients, which cannot do MFA.' }],
    },
    {
      kind: 'CompliancePolicy',
      name: 'windows-compliance',
      file: 'fabrikam/compliance/windows-compliance.yaml',
      change: 'changed',
      settings: [],
      labels: [
        { path: 'spec.displayName', before: 'windows compliance', after: 'Windows - Compliance baseline' },
        { path: 'spec.description', after: 'BitLocker, Secure Boot and code integrity on every Windows device.' },
      ],
    },
  ]);
  assert.deepEqual([t.signIns, t.reportOnly, t.introduced, t.resolved, t.layers], [[], [], [], [], []]);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.equal(md.split('\n')[0], '✅ No sign-in or layer changes · 2 policies changed (0 settings, 3 names or descriptions)');
  assert.doesNotMatch(md, /\| Policy \| Setting \|/);
  const text = changeImpactText(impact);
  assert.match(text, /spec\.displayName: "windows compliance" → "Windows - Compliance baseline" \(the display name, not a setting\)/);
  // The JSON carries them as `labels`, each `{ path, before?, after? }` (docs/diff.md), and no setting.
  const json = changeImpactJson(impact) as { tenants: { policies: { settings: unknown[]; labels?: { path: string }[] }[] }[] };
  assert.deepEqual(json.tenants[0]!.policies.map((p) => [p.settings.length, p.labels?.map((l) => l.path)]), [[0, ['description']], [0, ['spec.displayName', 'spec.description']]]);
});

test('a raw settings catalog export renamed in the portal with one setting changed: the setting listed, the name apart; a description alone is no setting', () => {
  const manifest = 'kind: Tenant\nname: raw\nlicenses: [M365_E5]\nplatforms: [windows]\n';
  const profile = (name: string, value: string): string =>
    JSON.stringify({
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicy',
      id: 'd1a2b3c4-0000-4000-8000-000000000002',
      name,
      description: '',
      platforms: 'windows10',
      technologies: 'mdm',
      templateReference: { templateId: '' },
      settings: [{ settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring', choiceSettingValue: { value: value, children: [] } } }],
    });
  const side = (root: string, text: string): PolicyService => {
    const s = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
    s.update(`${root}/zerotrust.yaml`, manifest, 1);
    s.update(`${root}/export/defender.json`, text, 1);
    return s;
  };
  const on = 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1';
  const impact = diffWorkspaces(
    { service: side('/b', profile('Win - Defender', on)), root: '/b', label: 'b' },
    { service: side('/h', profile('Windows - Defender AV', 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring_0')), root: '/h', label: 'h' },
  );
  // A raw export's policy name is its display name: another name in the same file is a rename, which still lists the
  // setting that changed, and the display name apart from it.
  const [p] = only(impact).policies;
  assert.deepEqual([p!.change, p!.from, p!.name], ['renamed', 'win-defender', 'windows-defender-av']);
  assert.deepEqual(p!.settings.map((c) => c.path), ['spec.settings[device_vendor_msft_policy_config_defender_allowrealtimemonitoring].settingInstance.choiceSettingValue.value']);
  assert.deepEqual(p!.labels, [{ path: 'spec.name', before: 'Win - Defender', after: 'Windows - Defender AV' }]);
  assert.match(changeImpactText(impact), /\n {6}spec\.name: "Win - Defender" → "Windows - Defender AV" \(the display name, not a setting\)/);
  // The description alone reworded: a change, with no setting.
  const reworded = diffWorkspaces({ service: side('/b', profile('Win - Defender', on)), root: '/b', label: 'b' }, { service: side('/h', profile('Win - Defender', on).replace('"description":""', '"description":"Real-time protection on"')), root: '/h', label: 'h' });
  assert.deepEqual(only(reworded).policies.map((x) => [x.change, x.settings.length, x.labels?.map((l) => l.path)]), [['changed', 0, ['spec.description']]]);
});

test('a tenant added: its policies added, its findings introduced, its layers started; the other tenant unchanged', async () => {
  const impact = await impactOf('tenant-added');
  const md = golden('tenant-added', impact);
  assert.deepEqual(impact.tenants.map((t) => [t.name, t.change]), [['fabrikam', 'unchanged'], ['northwind', 'added']]);
  const t = only(impact, 'northwind');
  assert.equal(t.baseRoot, undefined);
  assert.equal(t.headRoot, 'northwind');
  assert.deepEqual(t.policies.map((p) => `${p.change} ${p.name}`), ['added ca-block-during-migration', 'added macos-compliance', 'added windows-compliance']);
  const head = await loaded(join(FIX, 'tenant-added', 'head'));
  const root = head.tenantRoots().find((r) => r.endsWith('/northwind'))!;
  assert.equal(t.introduced.length, head.findings(root).length);
  assert.deepEqual(t.resolved, []);
  assert.ok(t.layers.length && t.layers.every((l) => l.before === 'notStarted'));
  // A tenant on one side only: no sign-in is compared.
  assert.equal(t.scenarios, 0);
  assert.deepEqual(t.signIns, []);
  assert.equal(changeImpactExitCode(impact), 0);
  // The findings its manifest accepts with `# ztp-ignore` are listed as accepted, not left out.
  assert.equal(md.split('\n')[0], '**🟡 Tenant northwind added** · 1 finding introduced · 7 findings accepted with ztp-ignore');
  assert.ok(t.accepted.length === 7 && t.accepted.every((a) => a.new && a.fileWide), JSON.stringify(t.accepted));
});

test('a group blocked on every sign-in fails the change; a report-only policy added is listed apart and does not', async () => {
  const blocked = await impactOf('group-blocked');
  golden('group-blocked', blocked);
  const t = only(blocked);
  assert.deepEqual(t.lockouts, [{ user: 'sample@grp-mobile', subjectKind: 'sample', group: 'grp-mobile', cells: 16, policies: ['ca-block-mobile-pilot'] }]);
  assert.deepEqual(blocked.failures, ['fabrikam: blocks every sign-in of group grp-mobile (sample@grp-mobile): all 16 platform/client/app sign-ins now end blocked or unsatisfiable, by ca-block-mobile-pilot']);
  assert.equal(changeImpactExitCode(blocked), 1);

  const ro = await impactOf('report-only-added');
  golden('report-only-added', ro);
  const r = only(ro);
  assert.deepEqual(r.signIns, []);
  assert.ok(r.reportOnly.length > 0);
  for (const c of r.reportOnly) {
    assert.deepEqual([c.policy, c.platform, c.clientApp, c.before, c.after], ['ca-block-android-browser', 'android', 'browser', 'absent', 'would block']);
  }
  assert.ok(!r.reportOnly.some((c) => c.user === 'bg1@fabrikam.com'));
  assert.equal(changeImpactExitCode(ro), 0);
});

test('a block of the admin portals for All users, no policy naming a role: every sign-in of a Global Administrator ends blocked, a lockout; a user in no group is restricted (round 31)', async () => {
  const impact = await impactOf('admin-portals-blocked');
  golden('admin-portals-blocked', impact);
  const t = only(impact);
  assert.deepEqual(t.lockouts?.map((l) => [l.user, l.role, l.policies]), [['sample@role-global-administrator', 'Global Administrator', ['block-sensitive-apps']]]);
  assert.deepEqual(t.restrictions?.map((r) => r.user), ['sample@all-users']);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.match(impact.failures[0]!, /^contoso: blocks every sign-in of every holder of the Global Administrator role \(sample@role-global-administrator\)/);
  // The lockout check on the head says the same.
  const check = await headLockout('admin-portals-blocked', 'contoso');
  assert.deepEqual(check.findings.map((f) => `${f.verdict} ${f.policy} ${f.subjects.map((s) => s.user).join()}`), ['blocked block-sensitive-apps sample@role-global-administrator']);
});

/** The lockout check on a case's head tenant: the grid `ztp diff` compares, read by `ztp whatif --lockout`. */
async function headLockout(name: string, tenant: string) {
  const root = join(FIX, name, 'head', tenant).replace(/\\/g, '/');
  return (await loaded(root)).lockout(root);
}

test('a country allowlist enforced (break-glass excluded): a restriction, as the lockout check reads it, not a lockout: exit 0, with a note', async () => {
  const impact = await impactOf('location-allowlist-enabled');
  const md = golden('location-allowlist-enabled', impact);
  const t = only(impact);
  // The lockout check on the same head finds no lockout, so diff finds none either.
  assert.deepEqual((await headLockout('location-allowlist-enabled', 'woodgrove')).findings, []);
  assert.deepEqual(impact.failures, []);
  assert.equal(t.lockouts, undefined);
  assert.equal(changeImpactExitCode(impact), 0);
  // Every sign-in of the grid still changes to blocked (the grid signs in from no allowed country): listed as it is.
  assert.deepEqual([...new Set(t.signIns.map((c) => `${c.user} ${c.after}`))], ['sample@role-global-administrator blocked', 'sample@grp-sales blocked', 'sample@all-users blocked']);
  // Each account blocked everywhere on the grid is noted: a restriction by location, what the lockout check says.
  const restriction = [{ policy: 'ca-block-outside-allowed-countries', restriction: 'locations' }];
  assert.deepEqual(t.restrictions, [
    { user: 'sample@role-global-administrator', role: 'Global Administrator', cells: 4, restrictions: restriction },
    { user: 'sample@grp-sales', group: 'grp-sales', cells: 4, restrictions: restriction },
    { user: 'sample@all-users', cells: 4, restrictions: restriction },
  ]);
  const text = changeImpactText(impact);
  assert.match(text, /^🟡 Sign-ins change — no break-glass account or whole group is locked out/m);
  assert.match(text, /Restrictions, not lockouts \(3\)\n {4}ca-block-outside-allowed-countries blocks only outside the locations it excludes: every sign-in of these accounts now ends blocked or unsatisfiable, a restriction as ztp whatif --lockout reads it, not a lockout\n {6}every holder of the Global Administrator role \(sample@role-global-administrator\)\n {6}group grp-sales \(sample@grp-sales\)\n {6}every user in no group \(sample@all-users\)/);
  // A role's sample holder is named as the lockout check names it, not as a user in no group.
  assert.match(text, /sample@role-global-administrator \(holds the Global Administrator role\) · windows, macOS/);
  assert.doesNotMatch(text + md, /sample@role-global-administrator \(in no group\)/);
  assert.match(md, /<summary>Restrictions, not lockouts: 3 accounts blocked on every sign-in<\/summary>/);
});

test('a block of Global Administrators outside a trusted location, break-glass not excluded: the error fails the change, no lockout, as the lockout check reads it (expert case d08)', async () => {
  const impact = await impactOf('break-glass-location-block');
  const md = golden('break-glass-location-block', impact);
  const t = only(impact);
  // The lockout check on the same head signs in from a trusted location and finds no lockout: diff says the same.
  assert.deepEqual((await headLockout('break-glass-location-block', 'locco')).findings, []);
  assert.equal(t.lockouts, undefined);
  assert.ok(!impact.failures.some((f) => /locks out/.test(f)), impact.failures.join('\n'));
  // The change still fails, on the error break-glass-not-excluded introduces.
  assert.equal(impact.failures.length, 1);
  assert.match(impact.failures[0]!, /^locco: introduces an error: break-glass-not-excluded on ca-admins-hq-only/);
  assert.equal(changeImpactExitCode(impact), 1);
  // The sign-ins are made from a trusted location, and the folder's one trusted named location is HQ
  // (locations/hq-ip.json, `isTrusted`), which the block excludes: from there the break-glass accounts get in, so no
  // sign-in changes (the model's named locations, as What If's `--location trusted` reads them).
  assert.deepEqual(t.signIns.filter((c) => c.subjectKind === 'breakGlass'), []);
  const text = changeImpactText(impact);
  assert.doesNotMatch(text + md, /locks out break-glass/);
  assert.match(md, /^\*\*⛔ This change introduces an error finding\*\*/);
});

test('a block of every app but one beside a block of that one: every sign-in ends blocked, so a lockout in diff and in the lockout check alike', async () => {
  const impact = await impactOf('split-block-enabled');
  golden('split-block-enabled', impact);
  const t = only(impact);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(t.lockouts?.map((l) => [l.user, l.policies]), [
    ['sample@role-global-administrator', ['ca-block-all-but-crm', 'ca-block-crm']],
    ['sample@grp-sales', ['ca-block-crm', 'ca-block-all-but-crm']],
    ['sample@all-users', ['ca-block-crm', 'ca-block-all-but-crm']],
  ]);
  assert.equal(t.restrictions, undefined);
  // The lockout check on the head: the app the first block leaves open is closed by the second.
  const head = await headLockout('split-block-enabled', 'fabrikam');
  assert.deepEqual([...new Set(head.findings.map((f) => f.policy))], ['ca-block-all-but-crm']);
});

test('with no platforms declared, blocks that split every platform between them (all but iOS, and iOS) are a lockout in diff and the lockout check', async () => {
  const impact = await impactOf('undeclared-platform-split');
  golden('undeclared-platform-split', impact);
  assert.equal(changeImpactExitCode(impact), 1);
  const t = only(impact);
  assert.ok(t.lockouts?.some((l) => l.user === 'sample@all-users'), JSON.stringify(t.lockouts));
  const head = await headLockout('undeclared-platform-split', 'tailspin');
  assert.ok(head.findings.some((f) => f.subjects.some((s) => s.user === 'sample@all-users')), JSON.stringify(head.findings.map((f) => f.policy)));
});

test('a block of one named app alone is a restriction in diff, as in the lockout check: the apps no policy names stay open', async () => {
  const impact = await impactOf('one-app-blocked');
  golden('one-app-blocked', impact);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.equal(only(impact).lockouts, undefined);
  assert.deepEqual((await headLockout('one-app-blocked', 'northwind')).findings, []);
});

test('a block of everyone with no location condition enforced (break-glass not excluded): still a lockout of everyone, exit 1; a role holder worded as a role', async () => {
  const impact = await impactOf('block-all-enabled');
  golden('block-all-enabled', impact);
  const t = only(impact);
  // The lockout check on the same head finds the lockouts diff fails on.
  const check = await headLockout('block-all-enabled', 'woodgrove');
  assert.deepEqual(check.findings.map((f) => `${f.verdict} ${f.policy} ${f.subjects.map((s) => s.user).join()}`), ['blocked ca-block-everyone bg-admin@woodgrove.com', 'blocked ca-block-everyone sample@grp-sales,sample@role-global-administrator,sample@all-users']);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.equal(t.restrictions, undefined);
  assert.deepEqual(t.lockouts, [
    { user: 'bg-admin@woodgrove.com', subjectKind: 'breakGlass', cells: 4, policies: ['ca-block-everyone'] },
    { user: 'sample@role-global-administrator', subjectKind: 'sample', role: 'Global Administrator', cells: 4, policies: ['ca-block-everyone'] },
    { user: 'sample@grp-sales', subjectKind: 'sample', group: 'grp-sales', cells: 4, policies: ['ca-block-everyone'] },
    { user: 'sample@all-users', subjectKind: 'sample', cells: 4, policies: ['ca-block-everyone'] },
  ]);
  assert.deepEqual(impact.failures.slice(0, 4), [
    'woodgrove: locks out break-glass account bg-admin@woodgrove.com · windows, macOS · browser, mobile/desktop apps · every app: allowed → blocked by ca-block-everyone',
    'woodgrove: blocks every sign-in of every holder of the Global Administrator role (sample@role-global-administrator): all 4 platform/client/app sign-ins now end blocked or unsatisfiable, by ca-block-everyone',
    'woodgrove: blocks every sign-in of group grp-sales (sample@grp-sales): all 4 platform/client/app sign-ins now end blocked or unsatisfiable, by ca-block-everyone',
    'woodgrove: blocks every sign-in of every user in no group (sample@all-users): all 4 platform/client/app sign-ins now end blocked or unsatisfiable, by ca-block-everyone',
  ]);
  // The report-only policy's warning is an error once enforced: the same finding, escalated (not introduced and resolved).
  assert.match(impact.failures[4]!, /^woodgrove: escalates a warning to an error: break-glass-not-excluded on ca-block-everyone/);
  assert.deepEqual(t.escalated.map((c) => [c.before.ruleId, c.before.severity, c.after.severity]), [['break-glass-not-excluded', 'warning', 'error']]);
  assert.deepEqual(t.introduced, []);
  // The headline counts a group as a group, a role's holders as a role, the user in no group as no group.
  assert.equal(changeImpactText(impact).split('\n')[1]!.split(' · ')[0], '⛔ This change locks out a break-glass account, blocks every sign-in of a group, the holders of a role and users in no group, and escalates a finding to an error');
});

test('an enforced country allowlist that loses its locations blocks every location: a lockout where the base had a restriction, exit 1', async () => {
  const impact = await impactOf('allowlist-widened');
  golden('allowlist-widened', impact);
  const t = only(impact);
  assert.ok((await headLockout('allowlist-widened', 'woodgrove')).findings.length > 0);
  // Every sign-in ended blocked on both sides (no sign-in changes): only the base's was a restriction.
  assert.deepEqual(t.signIns, []);
  assert.deepEqual(
    t.lockouts?.map((l) => [l.user, l.restrictedBefore]),
    [
      ['sample@role-global-administrator', true],
      ['sample@grp-sales', true],
      ['sample@all-users', true],
    ],
  );
  assert.equal(impact.failures[1], 'woodgrove: blocks every sign-in of group grp-sales (sample@grp-sales): all 4 platform/client/app sign-ins now end blocked or unsatisfiable, by ca-block-outside-allowed-countries (before, by a restriction, which the lockout check reads as no lockout)');
  assert.equal(changeImpactExitCode(impact), 1);
});

test('the Markdown is cut under maxChars with a note, every folded section closed', async () => {
  const impact = await impactOf('compliance-policy-deleted');
  const full = changeImpactMarkdown(impact);
  for (let max = 700; max < full.length; max += 53) {
    const md = changeImpactMarkdown(impact, { maxChars: max });
    assert.ok(md.length <= max, `${md.length} > ${max}`);
    assert.match(md, /✂️ Cut to stay under/);
    assert.equal(md.split('<details>').length, md.split('</details>').length);
    assert.equal(md.split('\n')[0], full.split('\n')[0]);
  }
  assert.doesNotMatch(full, /✂️/);
});

test('JSON: the change impact with its keys in a stable order', async () => {
  const impact = await impactOf('break-glass-exclusion-removed');
  const json = changeImpactJson(impact) as Record<string, unknown> & { tenants: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(json), ['base', 'head', 'tenants', 'failures']);
  assert.deepEqual(Object.keys(json.tenants[0]!), ['name', 'change', 'baseRoot', 'headRoot', 'introduced', 'resolved', 'reworded', 'escalated', 'lowered', 'accepted', 'unaccepted', 'unchecked', 'layers', 'signIns', 'reportOnly', 'policies', 'scenarios', 'lockouts']);
  assert.deepEqual(JSON.parse(JSON.stringify(json)), JSON.parse(JSON.stringify(impact)));
});

test('settings: leaves by path, scalar lists as sets, named items by name, absent sides', () => {
  assert.deepEqual(settingChanges({ spec: { a: [1, 2], b: { c: 1 } } }, { spec: { a: [2, 1], b: { c: 1 } } }), []);
  assert.deepEqual(settingChanges({ spec: { conditions: {} } }, { spec: { conditions: { platforms: { includePlatforms: ['iOS'] } } } }), [{ path: 'spec.conditions.platforms.includePlatforms', after: ['iOS'] }]);
  assert.deepEqual(
    settingChanges({ groups: [{ name: 'grp-a', members: ['x'] }, { name: 'grp-b' }] }, { groups: [{ name: 'grp-a', members: ['x', 'y'] }, { name: 'grp-c' }] }),
    [
      { path: 'groups[grp-a].members', before: ['x'], after: ['x', 'y'] },
      { path: 'groups[grp-b].name', before: 'grp-b' },
      { path: 'groups[grp-c].name', after: 'grp-c' },
    ],
  );
  assert.deepEqual(settingChanges({ rules: [{ a: 1 }, { a: 2 }] }, { rules: [{ a: 2 }, { a: 1 }] }), [{ path: 'rules', before: [{ a: 1 }, { a: 2 }], after: [{ a: 2 }, { a: 1 }] }]);
});

test('cells fold into blocks: the client apps that share platforms, then the apps that share both', () => {
  const cells = [
    ...['windows', 'macOS'].flatMap((platform) => ['browser', 'mobileAppsAndDesktopClients'].flatMap((clientApp) => ['All', 'Office365'].map((app) => ({ platform, clientApp, app })))),
    { platform: 'android', clientApp: 'browser', app: 'All' },
  ];
  assert.deepEqual(compactCells(cells), [
    { platforms: ['windows', 'macOS', 'android'], clientApps: ['browser'], apps: ['All'] },
    { platforms: ['windows', 'macOS'], clientApps: ['mobileAppsAndDesktopClients'], apps: ['All'] },
    { platforms: ['windows', 'macOS'], clientApps: ['browser', 'mobileAppsAndDesktopClients'], apps: ['Office365'] },
  ]);
});

test('tenants: matched by manifest name wherever they sit, else by folder (a tenant renamed in place)', async () => {
  const service = (files: Record<string, string>): PolicyService => {
    const s = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
    for (const [path, text] of Object.entries(files)) s.update(path, text, 1);
    return s;
  };
  const manifest = (name: string): string => `kind: Tenant\nname: ${name}\nlicenses: [M365_E5]\nplatforms: [windows]\n`;
  const base = service({ '/b/one/zerotrust.yaml': manifest('alpha'), '/b/two/zerotrust.yaml': manifest('beta'), '/b/gone/zerotrust.yaml': manifest('gamma') });
  const head = service({ '/h/moved/zerotrust.yaml': manifest('alpha'), '/h/two/zerotrust.yaml': manifest('beta-prod'), '/h/new/zerotrust.yaml': manifest('delta') });
  const impact = diffWorkspaces({ service: base, root: '/b', label: 'b' }, { service: head, root: '/h', label: 'h' });
  assert.deepEqual(
    impact.tenants.map((t) => [t.name, t.change, t.baseRoot, t.headRoot]),
    [
      ['alpha', 'unchanged', 'one', 'moved'],
      ['beta-prod', 'changed', 'two', 'two'],
      ['delta', 'added', undefined, 'new'],
      ['gamma', 'removed', 'gone', undefined],
    ],
  );
  assert.deepEqual(only(impact, 'beta-prod').policies, [{ kind: 'Tenant', name: 'beta-prod', file: 'two/zerotrust.yaml', change: 'changed', settings: [{ path: 'name', before: 'beta', after: 'beta-prod' }] }]);
});

test('a raw Graph export: compared as its spec, without what Graph sets itself (ids, timestamps)', () => {
  const manifest = 'kind: Tenant\nname: raw\nlicenses: [M365_E5]\nplatforms: [windows]\n';
  const ca = (modified: string, state: string): string =>
    JSON.stringify({
      '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
      id: 'c1a2b3c4-0000-4000-8000-000000000001',
      displayName: 'Block legacy authentication',
      createdDateTime: '2025-01-01T00:00:00Z',
      modifiedDateTime: modified,
      state,
      conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['exchangeActiveSync', 'other'] },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    });
  const side = (root: string, text: string): PolicyService => {
    const s = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
    s.update(`${root}/zerotrust.yaml`, manifest, 1);
    s.update(`${root}/export/ca.json`, text, 1);
    return s;
  };
  const same = diffWorkspaces({ service: side('/b', ca('2025-02-01T00:00:00Z', 'enabled')), root: '/b', label: 'b' }, { service: side('/h', ca('2025-03-01T00:00:00Z', 'enabled')), root: '/h', label: 'h' });
  assert.deepEqual(only(same).policies, []);
  const changed = diffWorkspaces({ service: side('/b', ca('2025-02-01T00:00:00Z', 'enabled')), root: '/b', label: 'b' }, { service: side('/h', ca('2025-03-01T00:00:00Z', 'disabled')), root: '/h', label: 'h' });
  assert.deepEqual(only(changed).policies.map((p) => [p.kind, p.change, p.file, p.settings]), [['ConditionalAccessPolicy', 'changed', 'export/ca.json', [{ path: 'spec.state', before: 'enabled', after: 'disabled' }]]]);
});

test('a ztp-ignore comment alone accepts an error: listed as accepted with its reason, not resolved; no layer or sign-in moves (exit 0)', async () => {
  const impact = await impactOf('compliance-error-accepted');
  const md = golden('compliance-error-accepted', impact);
  const t = only(impact);
  assert.deepEqual(t.resolved, []);
  assert.deepEqual(t.introduced, []);
  assert.deepEqual(
    t.accepted.map((a) => [a.finding.severity, a.finding.ruleId, a.finding.policy, a.reason, a.commentLine, a.fileWide, a.before, a.new]),
    [['error', 'ca-requires-compliance-policy', 'ca-require-compliant', 'Macs get compliance in Q3 (CHG-3100)', 11, false, undefined, undefined]],
  );
  // A comment changes no fact: layer 4 stays blocked (as the report and the tree say of the head), the Macs stay locked out.
  assert.deepEqual(t.layers, []);
  assert.deepEqual(t.signIns, []);
  const head = await loaded(join(FIX, 'compliance-error-accepted', 'head').replace(/\\/g, '/'));
  const root = join(FIX, 'compliance-error-accepted', 'head', 'delta').replace(/\\/g, '/');
  assert.equal(head.layers(root).layers.find((l) => l.layer === 4)?.status, 'blocked');
  assert.match(head.layers(root).layers.find((l) => l.layer === 4)?.reason ?? '', /ca-requires-compliance-policy on ca-require-compliant \(accepted with ztp-ignore\)/);
  // The report says the same of the head's layer 4, and lists the accepted finding with the same reason.
  const report = head.report(root, { rel: (p) => p, version: 'test', format: 'md' });
  assert.match(report, /\| 4 · Require compliant devices \| ⛔ blocked — by an error: ca-requires-compliance-policy on ca-require-compliant \(accepted with ztp-ignore\)/);
  assert.match(report, /Macs get compliance in Q3 \(CHG-3100\)/);
  assert.equal((await headLockout('compliance-error-accepted', 'delta')).findings.length, 1);
  // The lockout was there before the change: nothing new fails it.
  assert.equal(changeImpactExitCode(impact), 0);
  assert.equal(md.split('\n')[0], '**🟡 A finding is accepted with ztp-ignore: the gap stays** · 1 finding accepted with ztp-ignore');
  const json = changeImpactJson(impact) as { tenants: { accepted: unknown[] }[] };
  assert.deepEqual(json.tenants[0]!.accepted, [{ finding: { ruleId: 'ca-requires-compliance-policy', severity: 'error', message: t.accepted[0]!.finding.message, policy: 'ca-require-compliant', file: 'delta/ca/ca-require-compliant.yaml', line: 12, layer: 4 }, reason: 'Macs get compliance in Q3 (CHG-3100)', commentLine: 11, fileWide: false }]);
});

/** A finding as [rule, severity, policy], for the findings a report-only change adds or removes. */
function promptFinding(f: { ruleId: string; severity: string; policy?: string }): [string, string, string | undefined] {
  return [f.ruleId, f.severity, f.policy];
}

test('a report-only policy enforced: its warning escalated to an error (one finding, not introduced and resolved), and the Mac sign-ins locked out as the lockout check reads them: exit 1', async () => {
  const impact = await impactOf('report-only-enforced');
  golden('report-only-enforced', impact);
  const t = only(impact);
  assert.deepEqual(t.introduced, []);
  // Enforced, the pilot no longer prompts Macs and iPhones for a certificate: that finding goes (round 27).
  assert.deepEqual(t.resolved.map(promptFinding), [['ca-report-only-compliance-prompts', 'information', 'ca-require-compliant']]);
  assert.deepEqual(t.escalated.map((c) => [c.before.severity, c.after.severity, c.after.ruleId, c.after.policy]), [['warning', 'error', 'ca-requires-compliance-policy', 'ca-require-compliant']]);
  assert.deepEqual(t.lowered, []);
  const check = await headLockout('report-only-enforced', 'delta');
  assert.deepEqual(check.findings.map((f) => `${f.verdict} ${f.policy} ${f.platforms.join()} ${f.subjects.map((s) => s.user).join()}`), ['unsatisfiable ca-require-compliant macOS sample@role-global-administrator,sample@all-users']);
  const mac = [{ platform: 'macOS', clientApp: 'browser', app: 'All' }, { platform: 'macOS', clientApp: 'mobileAppsAndDesktopClients', app: 'All' }];
  assert.deepEqual(t.lockouts, [
    { user: 'sample@role-global-administrator', subjectKind: 'sample', role: 'Global Administrator', cells: 2, policies: ['ca-require-compliant'], signIns: mac },
    { user: 'sample@all-users', subjectKind: 'sample', cells: 2, policies: ['ca-require-compliant'], signIns: mac },
  ]);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(impact.failures.map((f) => f.slice(0, 61)), ['delta: locks out every holder of the Global Administrator rol', 'delta: escalates a warning to an error: ca-requires-complianc']);
  // The other way round (enforced → report-only): the same finding lowered, nothing fails.
  const dir = join(FIX, 'report-only-enforced').replace(/\\/g, '/');
  const [base, head] = await Promise.all([loaded(`${dir}/base`), loaded(`${dir}/head`)]);
  const back = diffWorkspaces({ service: head, root: `${dir}/head`, label: 'head' }, { service: base, root: `${dir}/base`, label: 'base' });
  assert.deepEqual(only(back).lowered.map((c) => [c.before.severity, c.after.severity, c.after.ruleId]), [['error', 'warning', 'ca-requires-compliance-policy']]);
  assert.deepEqual([only(back).introduced.map(promptFinding), only(back).resolved, only(back).escalated], [[['ca-report-only-compliance-prompts', 'information', 'ca-require-compliant']], [], []]);
  assert.equal(changeImpactExitCode(back), 0);
  assert.match(changeImpactText(back), /Findings lowered: the same gap, at a lower severity \(1\)\n {4}error → warning ca-requires-compliance-policy/);
});

test('a report-only policy enforced with a ztp-ignore on its error: accepted (it was a warning), never resolved; the Mac lockout still fails the change (exit 1)', async () => {
  const impact = await impactOf('report-only-enforced-accepted');
  const md = golden('report-only-enforced-accepted', impact);
  const t = only(impact);
  assert.deepEqual([t.introduced, t.resolved.map(promptFinding), t.escalated], [[], [['ca-report-only-compliance-prompts', 'information', 'ca-require-compliant']], []]);
  assert.deepEqual(t.accepted.map((a) => [a.finding.severity, a.before?.severity, a.new, a.reason]), [['error', 'warning', undefined, 'Mac compliance lands in wave 2 (CHG-2201); Macs are blocked until then by design']]);
  // The layer reads the accepted error as the gap it is, as the report and the tree do.
  assert.deepEqual(t.layers.map((l) => [l.layer, l.before, l.after]), [[4, 'partial', 'blocked']]);
  // Macs, in a browser and in apps, for a Global Administrator and a user in no group.
  assert.equal(t.signIns.filter((c) => c.after === 'unsatisfiable').length, 4);
  assert.equal((await headLockout('report-only-enforced-accepted', 'delta')).findings.length, 1);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.deepEqual(impact.failures, ['delta: locks out every holder of the Global Administrator role (sample@role-global-administrator) and every user in no group (sample@all-users) on macOS · browser, mobile/desktop apps · every app, as ztp whatif --lockout reads it (a requirement no one can meet, or a block that leaves nothing open), by ca-require-compliant']);
  assert.equal(md.split('\n')[0], '**⛔ This change locks out the holders of a role and users in no group on some sign-ins** · 1 finding resolved · 1 finding accepted with ztp-ignore · layer 4: partial → blocked · 12 sign-ins change · 1 policy changed (1 setting)');
});

test('a ztp-ignore comment removed: the error it accepted is no longer accepted, never introduced; an active error again, so the change fails, said as what it is (exit 1)', async () => {
  const impact = await impactOf('compliance-error-unaccepted');
  const md = golden('compliance-error-unaccepted', impact);
  const t = only(impact);
  assert.deepEqual([t.introduced, t.resolved, t.accepted, t.escalated], [[], [], [], []]);
  assert.deepEqual(
    t.unaccepted.map((u) => [u.finding.severity, u.finding.ruleId, u.finding.policy, `${u.finding.file}:${u.finding.line}`, u.reason, u.commentLine, u.fileWide, u.before]),
    [['error', 'ca-requires-compliance-policy', 'ca-require-compliant', 'delta/ca/ca-require-compliant.yaml:11', 'Macs get compliance in Q3 (CHG-3100)', 11, false, undefined]],
  );
  // The gap was there (and counted by the layer status) on both sides: no layer or sign-in moves.
  assert.deepEqual([t.layers, t.signIns], [[], []]);
  assert.equal(changeImpactExitCode(impact), 1);
  assert.equal(impact.failures.length, 1);
  assert.match(impact.failures[0]!, /^delta: makes an accepted error active again \(the base's ztp-ignore comment, line 11, no longer accepts it\): ca-requires-compliance-policy on ca-require-compliant \(delta\/ca\/ca-require-compliant.yaml:11\): no macOS compliance policy/);
  assert.doesNotMatch(impact.failures[0]!, /introduces/);
  assert.equal(md.split('\n')[0], '**⛔ This change makes an accepted error active again (no longer accepted with ztp-ignore)** · 1 finding no longer accepted');
  assert.match(changeImpactText(impact), /Findings no longer accepted: the base accepted them with ztp-ignore, the head reports them \(1\)\n {4}error {7}ca-requires-compliance-policy  ca-require-compliant  delta\/ca\/ca-require-compliant.yaml:11\n.*\n {6}accepted on the base \(ztp-ignore, line 11\): Macs get compliance in Q3 \(CHG-3100\); the head no longer accepts it$/);
  // JSON: only added (`unaccepted`), the existing keys as they were.
  const json = changeImpactJson(impact) as { tenants: { introduced: unknown[]; accepted: unknown[]; unaccepted: unknown[] }[] };
  assert.deepEqual([json.tenants[0]!.introduced, json.tenants[0]!.accepted], [[], []]);
  assert.deepEqual(json.tenants[0]!.unaccepted, [{ finding: { ruleId: 'ca-requires-compliance-policy', severity: 'error', message: t.unaccepted[0]!.finding.message, policy: 'ca-require-compliant', file: 'delta/ca/ca-require-compliant.yaml', line: 11, layer: 4 }, reason: 'Macs get compliance in Q3 (CHG-3100)', commentLine: 11, fileWide: false }]);
  // The symmetric change (the comment added back) is the accepted case: the two readings mirror each other.
  const dir = join(FIX, 'compliance-error-unaccepted').replace(/\\/g, '/');
  const [base, head] = await Promise.all([loaded(`${dir}/base`), loaded(`${dir}/head`)]);
  const back = diffWorkspaces({ service: head, root: `${dir}/head`, label: 'head' }, { service: base, root: `${dir}/base`, label: 'base' });
  assert.deepEqual([only(back).accepted.length, only(back).unaccepted.length, only(back).resolved.length], [1, 0, 0]);
  assert.equal(changeImpactExitCode(back), 0);
});

test('an enforced policy back to report-only, its ztp-ignore removed: the accepted error is a warning, no longer accepted (with what the base accepted), neither introduced nor lowered; no failure for a warning (exit 0)', async () => {
  const impact = await impactOf('report-only-enforced-unaccepted');
  const md = golden('report-only-enforced-unaccepted', impact);
  const t = only(impact);
  // Back in report-only, the pilot may prompt Macs and iPhones for a certificate again: information (round 27).
  assert.deepEqual([t.introduced.map(promptFinding), t.resolved, t.accepted, t.escalated, t.lowered], [[['ca-report-only-compliance-prompts', 'information', 'ca-require-compliant']], [], [], [], []]);
  assert.deepEqual(t.unaccepted.map((u) => [u.finding.severity, u.before?.severity, u.finding.ruleId, u.reason]), [['warning', 'error', 'ca-requires-compliance-policy', 'Mac compliance lands in wave 2 (CHG-2201); Macs are blocked until then by design']]);
  assert.deepEqual(impact.failures, []);
  assert.equal(changeImpactExitCode(impact), 0);
  assert.match(md, /\*\*No longer accepted: the base accepted them with `ztp-ignore`, the head reports them \(1\)\*\*/);
  assert.match(md, /accepted on the base \(ztp-ignore, line 11\): Mac compliance lands in wave 2 \(CHG-2201\); Macs are blocked until then by design; the head no longer accepts it · was an error: /);
});

test('a grant turned from OR to AND (compliance excludes the users, app protection in doubt): "may be locked out" becomes "locked out", a new finding, never the same gap narrowed (reviewer repro t3 → t4and)', async () => {
  const impact = await impactOf('grant-or-to-and');
  golden('grant-or-to-and', impact);
  const t = only(impact);
  assert.deepEqual(t.reworded, []);
  const introduced = t.introduced.filter((f) => f.ruleId === 'ca-group-alignment');
  const resolved = t.resolved.filter((f) => f.ruleId === 'ca-group-alignment');
  assert.equal(introduced.length, 1);
  assert.equal(resolved.length, 1);
  assert.match(resolved[0]!.message, /Those users may be locked out/);
  assert.match(introduced[0]!.message, /Those users are locked out/);
  assert.deepEqual(introduced[0]!.certain, ['iOS:grp-sales', 'android:grp-sales']);
  assert.ok(t.signIns.some((c) => c.user === 'sample@grp-sales' && c.after === 'unsatisfiable'), JSON.stringify(t.signIns));
});

test('one attack surface reduction rule set from Block to Off: the change is that rule, by its name, not the whole list of rules (expert review C)', async () => {
  const impact = await impactOf('asr-rule-block-to-off');
  golden('asr-rule-block-to-off', impact);
  const t = only(impact);
  const p = t.policies.find((x) => x.change === 'changed');
  assert.ok(p, 'the ASR profile changed');
  assert.equal(p.settings?.length, 1);
  const c = p.settings![0]!;
  assert.match(c.path, /groupSettingCollectionValue\[0\]\.children\[device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockcredentialstealingfromwindowslocalsecurityauthoritysubsystem\]\.choiceSettingValue\.value$/);
  // The values are that rule's own (the CLI names them from the shipped catalog: "Block → Off").
  assert.match(String(c.before), /_block$/);
  assert.match(String(c.after), /_off$/);
});

/**
 * A compliance policy that exists but reaches no device, its enrollment type being one no one can enroll (a tenant not
 * bound to managed Google Play, with an Android Enterprise work profile compliance policy and a CA policy requiring a
 * compliant device on Android and iOS: the t27 audit tenant, test/fixtures-whatif/lockout-android-not-bound). `ztp
 * check`, What If and the lockout check read the one answer (`unenrollableCompliance`, the grant evaluator's `gap`):
 * the policy exists, its devices cannot enroll, and the fix is the binding, never a new compliance policy. Also: the
 * lockout check's explanation and `ztp diff`'s unsatisfiable reasons come from What If's structured result, not from
 * its words.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeImpactMarkdown, changeImpactText, createPolicyService, diffWorkspaces, type ChangeImpact } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { modelOf } from '../../server/src/core/model/index';
import { ruleById } from '../../server/src/core/rules/index';
import type { TenantView } from '../../server/src/core/rule';
import { FIXTURE_NOW } from '../harness/fixtures';
import { tempDir } from '../harness/cli';

const ROOT = join(__dirname, '..', '..');
const TENANT = join(ROOT, 'test', 'fixtures-whatif', 'lockout-android-not-bound');
const DIFF = join(ROOT, 'test', 'fixtures-diff', 'android-binding-lost');

async function loaded(dir: string): Promise<{ view: TenantView; findings: ReturnType<ReturnType<typeof createPolicyService>['analyzeTenant']> }> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  const root = dir.replace(/\\/g, '/');
  return { view: service.view(root), findings: service.analyzeTenant(root) };
}

/** The fixture tenant copied to a temporary folder, its manifest edited. */
async function variant(t: TestContext, edit: (manifest: string) => string): Promise<{ view: TenantView; findings: ReturnType<ReturnType<typeof createPolicyService>['analyzeTenant']> }> {
  const dir = join(tempDir(t, 'android-bind'), 't');
  cpSync(TENANT, dir, { recursive: true });
  const manifest = join(dir, 'zerotrust.yaml');
  writeFileSync(manifest, edit(readFileSync(manifest, 'utf8')));
  return loaded(dir);
}

const NOT_BOUND = /`android-compliance` reaches no device: Android Enterprise personally-owned work profile devices cannot enroll \(the tenant is not bound to managed Google Play \(`settings\.androidEnterprise\.bindStatus` is `notBound` in zerotrust\.yaml\)/;

test('not bound to managed Google Play: check, What If and the lockout check all say the Android compliance policy exists and reaches no device', async () => {
  const { view, findings } = await loaded(TENANT);
  // ztp check: the CA policy's gap names the policy and the binding; the policy itself cannot reach devices.
  const gap = findings.find((f) => f.ruleId === 'ca-requires-compliance-policy');
  assert.ok(gap, 'ca-requires-compliance-policy reports the CA policy');
  assert.match(gap.message, /`android-compliance` \(Android\) reaches no device: the tenant is not bound to managed Google Play/);
  assert.ok(findings.some((f) => f.ruleId === 'compliance-requires-enrollment' && f.file.endsWith('android-compliance.yaml')));
  // `ztp check --fix` creates no Android compliance policy: the tenant has one.
  const fixes = ruleById('ca-requires-compliance-policy')!.fix!(gap, view);
  assert.deepEqual(fixes.map((f) => f.title), []);

  // The grant evaluator: impossible, for want of the binding; the enrollment answer and the gap are structured.
  const ability = modelOf(view).control('compliantDevice', 'android', 'android', []);
  assert.equal(ability.status, 'impossible');
  assert.equal(ability.rule, 'compliance-requires-enrollment');
  assert.equal(ability.gap, 'enrollmentType');
  assert.deepEqual(ability.enrollment?.source?.path, ['settings', 'androidEnterprise', 'bindStatus']);
  assert.deepEqual(modelOf(view).unenrollableCompliance('android').map((x) => x.policy.name), ['android-compliance']);

  // What If: the same reason, never "the tenant has no Android compliance policy".
  const r = evaluate(view, { user: 'alice@a.com', platform: 'android', app: 'All', clientApp: 'browser' });
  assert.equal(r.verdict, 'unsatisfiable');
  const u = r.unsatisfiable.find((x) => x.policy === 'ca-mobile-compliant')!;
  assert.equal(u.rule, 'compliance-requires-enrollment');
  assert.equal(u.gap, 'enrollmentType');
  assert.match(u.reason.replace(/android-compliance/, '`android-compliance`'), NOT_BOUND);
  assert.doesNotMatch(r.summary, /has no Android compliance policy/);

  // The lockout check: Android reads the enrollment answer as iOS does, and its fix is the binding, not a new policy.
  const check = lockoutCheck(view);
  const android = check.findings.find((f) => f.platforms.includes('android'))!;
  const ios = check.findings.find((f) => f.platforms.includes('iOS'))!;
  assert.ok(android && ios);
  assert.doesNotMatch(android.explanation, /has no Android compliance policy/);
  assert.match(android.explanation, /the tenant's Android compliance policy android-compliance reaches no device: Android Enterprise personally-owned work profile devices cannot enroll \(the tenant is not bound to managed Google Play/);
  assert.equal(android.fix, 'let the devices the Android compliance policies are for enroll (see rule compliance-requires-enrollment), or stop requiring a compliant device on android in ca-mobile-compliant');
  assert.doesNotMatch(android.fix, /ztp check --fix/);
  assert.match(ios.explanation, /iOS\/iPadOS devices cannot enroll \(the Apple MDM push certificate expired on 2026-05-01/);
  assert.match(ios.fix, /^let iOS\/iPadOS devices enroll \(see rule compliance-requires-enrollment\)/);
});

test('not bound, secureByDefault off: a note that names the binding, no lockout; bound: no enrollment gap at all', async (t) => {
  const off = await variant(t, (m) => m.replace('secureByDefault: true', 'secureByDefault: false'));
  const ability = modelOf(off.view).control('compliantDevice', 'android', 'android', []);
  assert.equal(ability.status, 'possible');
  assert.equal(ability.rule, 'compliance-requires-enrollment');
  assert.match(ability.reason!, /android-compliance reaches no device: Android Enterprise personally-owned work profile devices cannot enroll .*, so enrolled Android devices count as compliant without any check/);
  assert.ok(!lockoutCheck(off.view).findings.some((f) => f.platforms.includes('android')));

  const bound = await variant(t, (m) => m.replace('bindStatus: notBound', 'bindStatus: boundAndValidated'));
  assert.equal(modelOf(bound.view).control('compliantDevice', 'android', 'android', []).status, 'possible');
  assert.deepEqual(modelOf(bound.view).unenrollableCompliance('android'), []);
  assert.ok(!lockoutCheck(bound.view).findings.some((f) => f.platforms.includes('android')));
  assert.ok(!bound.findings.some((f) => f.ruleId === 'ca-requires-compliance-policy' && /android/i.test(f.message)));
});

test('a restriction that blocks the work profile for everyone reads the same way: the policy exists, the restriction keeps its devices out', async (t) => {
  const blocked = await variant(t, (m) => m.replace('bindStatus: notBound', 'bindStatus: boundAndValidated'));
  const dir = blocked.view.root!;
  writeFileSync(
    join(dir, 'enrollment.yaml'),
    [
      'kind: EnrollmentRestriction',
      'name: default-platforms',
      'spec:',
      "  '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration'",
      '  displayName: All users and all devices',
      '  id: 00000000-0000-0000-0000-000000000000_DefaultPlatformRestrictions',
      '  priority: 0',
      '  platformType: androidForWork',
      '  platformRestriction: { platformBlocked: true, personalDeviceEnrollmentBlocked: false }',
      '',
    ].join('\n'),
  );
  const { view } = await loaded(dir);
  const ability = modelOf(view).control('compliantDevice', 'android', 'android', []);
  assert.equal(ability.status, 'impossible', ability.reason);
  assert.equal(ability.gap, 'enrollmentType');
  assert.match(ability.reason!, /android-compliance reaches no device: Android Enterprise personally-owned work profile devices cannot enroll/);
  assert.equal(lockoutCheck(view).findings.find((f) => f.platforms.includes('android'))?.fix.startsWith('let the devices the Android compliance policies are for enroll'), true);
});

test('What If gives why a policy applies in parts, and the lockout check groups accounts by them, not by the words', async (t) => {
  const { view } = await loaded(TENANT);
  const r = evaluate(view, { user: 'alice@a.com', platform: 'android', app: 'All', clientApp: 'browser' });
  const e = r.policies.find((p) => p.name === 'ca-mobile-compliant')!;
  assert.deepEqual(e.whyParts, [
    { condition: 'users', detail: 'user: All users' },
    { condition: 'applications', detail: 'app: All cloud apps' },
    { condition: 'platforms', detail: 'platform: android in includePlatforms' },
    { condition: 'clientAppTypes', detail: 'client app: any' },
  ]);
  assert.equal(e.why, e.whyParts!.map((x) => x.detail).join('; '));
  assert.equal(e.conditions.find((c) => c.condition === 'users')?.who, 'All users');
  // Two accounts the policy takes in differently: one "users:" line, each account's part once.
  const groups = await variant(t, (m) => m.replace('platforms: [android, iOS]', 'platforms: [android]'));
  const ca = join(groups.view.root!, 'ca', 'ca-mobile-compliant.yaml');
  writeFileSync(ca, readFileSync(ca, 'utf8').replace('includeUsers: [All]', 'includeGroups: [grp-staff, grp-contractors]'));
  const manifest = join(groups.view.root!, 'zerotrust.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('  - name: grp-staff', '  - name: grp-contractors\n    members: [carol@a.com]\n  - name: grp-staff'));
  const check = lockoutCheck((await loaded(groups.view.root!)).view);
  const f = check.findings.find((x) => x.policy === 'ca-mobile-compliant')!;
  assert.deepEqual(f.subjects.map((s) => s.user), ['sample@grp-contractors', 'sample@grp-staff']);
  assert.match(f.explanation, / — ca-mobile-compliant applies \(users: member of grp-contractors \(includeGroups\) \/ member of grp-staff \(includeGroups\); app: All cloud apps; platform: android in includePlatforms; client app: any\)$/);
});

async function impact(): Promise<ChangeImpact> {
  const dir = DIFF.replace(/\\/g, '/');
  const [base, head] = await Promise.all(['base', 'head'].map(async (side) => {
    const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
    for (const f of await service.discover(`${dir}/${side}`)) await service.load(f);
    return service;
  }));
  return diffWorkspaces({ service: base!, root: `${dir}/base`, label: 'base' }, { service: head!, root: `${dir}/head`, label: 'head' });
}

test('ztp diff: losing the managed Google Play binding makes Android sign-ins unsatisfiable, each reason whole (What If\'s structured reasons, not its summary split on "; ")', async () => {
  const i = await impact();
  const md = changeImpactMarkdown(i);
  const file = join(DIFF, 'expected.md');
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, md);
  assert.equal(md, readFileSync(file, 'utf8'), 'the Markdown differs from expected.md (UPDATE_GOLDEN=1 writes it again)');
  const t = i.tenants[0]!;
  const change = t.signIns.find((c) => c.platform === 'android' && c.after === 'unsatisfiable')!;
  assert.ok(change, 'an Android sign-in is now unsatisfiable');
  assert.equal(change.afterUnsatisfiable?.length, 1);
  // The reason holds "; bind it in Intune …": one line, not two halves.
  const reason = change.afterUnsatisfiable![0]!;
  assert.match(reason, /which every Android Enterprise enrollment needs; bind it in Intune/);
  const text = changeImpactText(i);
  assert.ok(text.split('\n').some((l) => l.trim() === reason), text);
  assert.ok(!text.split('\n').some((l) => l.trim().startsWith('bind it in Intune')), 'the reason is not cut at "; "');
});

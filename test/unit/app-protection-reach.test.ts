/**
 * Whether an app protection policy reaches a user is the model's one answer (`appProtectionReach`): the rule
 * (`ca-group-alignment`), What If and the lockout check say the same of each case, as they do for compliance
 * (`complianceReach`). Three tenants shaped like the twenty-third pass's expert repros:
 * - every iOS app protection policy excludes the contractors: locked out for certain (t19b's exclusion counterpart);
 * - the policies are assigned to grp-mobile-users, the CA policy asks app protection of All users: may be (t07b, t19b);
 * - the same on an authentication context: refused what the context protects, not locked out (t07);
 * and `ztp diff`, which reads What If on both sides, sees the doubt go when the policies are assigned to all users.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { diffWorkspaces } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { lockoutCheck } from '../../server/src/core/lockout';
import { evaluate } from '../../server/src/core/whatif';
import { modelOf } from '../../server/src/core/model/index';
import { lockoutText } from '../../server/src/core/features/whatif-format';
import { FIXTURE_NOW } from '../harness/fixtures';

const DIR = (name: string): string => join(__dirname, '..', 'fixtures', 'ca-group-alignment', name);

async function load(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  const view = service.view(dir);
  return { service, view, findings: service.analyzeTenant(dir).filter((f) => f.ruleId === 'ca-group-alignment') };
}

const SIGN_IN = { platform: 'iOS', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients' };

test('every iOS app protection policy excludes the contractors: the model, the rule, What If and the lockout check all say they are locked out', async () => {
  const { view, findings } = await load(DIR('fires-app-protection-excluded-group'));
  const model = modelOf(view);
  assert.equal(model.appProtectionReach('iOS', ['grp-contractors']).state, 'unreached');
  assert.equal(model.appProtectionReach('iOS', ['grp-staff']).state, 'reached');
  assert.equal(model.appProtectionReach('android', ['grp-contractors']).state, 'reached');
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /iOS\/iPadOS app protection policies do not cover `grp-contractors` \(excluded by `ios-app-protection`\)\. Those users are locked out with nothing to fix \(no app meets app protection for a user no app protection policy reaches\)/);
  assert.doesNotMatch(findings[0]!.message, /may be/);
  // --app-protected cannot hold for a user no policy reaches: unsatisfiable, as a compliant device with no compliance policy.
  for (const appProtected of [true, false]) {
    const r = evaluate(view, { ...SIGN_IN, user: 'casey@fabrikam.example', groups: ['grp-contractors'], appProtected });
    assert.equal(r.verdict, 'unsatisfiable', r.summary);
    assert.match(r.unsatisfiable[0]!.reason, /the tenant's iOS\/iPadOS app protection policies leave these users out \(ios-app-protection excludes grp-contractors\)/);
    assert.equal(r.unsatisfiable[0]!.rule, 'ca-group-alignment');
  }
  // A member of all staff outside the contractors is reached: the app protected, allowed, nothing in doubt.
  const sam = evaluate(view, { ...SIGN_IN, user: 'sam@fabrikam.example', appProtected: true });
  assert.equal(sam.verdict, 'allowed', sam.summary);
  assert.equal(sam.uncertain, undefined);
  const report = lockoutCheck(view);
  assert.deepEqual(
    report.findings.map((f) => [f.verdict, f.policy, f.platforms, f.subjects.map((s) => s.user)]),
    [['unsatisfiable', 'ca-mobile-app-protection', ['iOS'], ['sample@grp-contractors']]],
  );
  assert.match(report.findings[0]!.fix, /take these users' group out of the iOS\/iPadOS app protection policies' exclusions/);
  assert.equal(report.mayLockOut, undefined);
});

test('app protection assigned to grp-mobile-users, asked of All users: the model, the rule, What If and the lockout check all say "may be" (t07b, t19b)', async () => {
  const { view, findings } = await load(DIR('fires-app-protection-all-users-group-in-doubt'));
  const model = modelOf(view);
  const reach = model.appProtectionReach('iOS', []);
  assert.equal(reach.state, 'unknown');
  assert.deepEqual(reach.assignedTo, ['grp-mobile-users']);
  assert.equal(model.appProtectionReach('iOS', ['grp-mobile-users']).state, 'reached');
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /Those users may be locked out with nothing to fix: `grp-mobile-users` may hold them \(zerotrust\.yaml does not tell\); if not, no app meets app protection for a user no app protection policy reaches/);
  assert.doesNotMatch(findings[0]!.message, /users are locked out|device group/);
  // A user in none of the groups: may be blocked in practice, whether or not the scenario takes the app to be protected
  // (only a policy that reaches the user protects their app); never taken as met in silence.
  const protectedApp = evaluate(view, { ...SIGN_IN, user: 'someone@contoso.example', appProtected: true });
  assert.equal(protectedApp.verdict, 'allowed');
  assert.equal(protectedApp.uncertain?.length, 1);
  assert.match(protectedApp.summary, /^allowed; may be blocked in practice: whether an app protection policy reaches these users on iOS\/iPadOS is unknown: the tenant's iOS\/iPadOS app protection policy ios-app-protection is assigned to grp-mobile-users/);
  assert.ok(!protectedApp.warnings.some((w) => /cannot meet it/.test(w)), JSON.stringify(protectedApp.warnings));
  const unprotected = evaluate(view, { ...SIGN_IN, user: 'someone@contoso.example' });
  assert.equal(unprotected.verdict, 'allowedIf');
  assert.match(unprotected.summary, /^allowed if app protection; may be blocked in practice: /);
  // A member of grp-mobile-users is reached: nothing in doubt.
  const member = evaluate(view, { ...SIGN_IN, user: 'mo@contoso.example', groups: ['grp-mobile-users'], appProtected: true });
  assert.equal(member.verdict, 'allowed');
  assert.equal(member.uncertain, undefined);
  const report = lockoutCheck(view);
  assert.deepEqual(report.findings, []);
  assert.deepEqual(report.mayLockOut?.map((f) => [f.policy, f.control, f.platforms, f.subjects.map((s) => s.user)]), [
    // The Global Administrator, always signed in as (the model's `signInRoles`), may be outside the group alike.
    ['ca-mobile-app-protection', 'compliantApplication', ['iOS'], ['sample@role-global-administrator']],
    ['ca-mobile-app-protection', 'compliantApplication', ['android'], ['sample@role-global-administrator']],
    ['ca-mobile-app-protection', 'compliantApplication', ['iOS'], ['sample@all-users']],
    ['ca-mobile-app-protection', 'compliantApplication', ['android'], ['sample@all-users']],
  ]);
  assert.match(report.mayLockOut![0]!.fix, /assign the iOS\/iPadOS app protection policies to these users/);
  const text = lockoutText(report, (p) => p);
  assert.match(text, /\? no certain lockout, but 4 requirements may lock accounts out: the groups the app protection policies are assigned to may hold these users$/m);
  assert.doesNotMatch(text, /✓ no lockout|cannot meet it/);
});

test('app protection on an authentication context, asked of All users: the rule says what is refused (not a lockout), and What If and the lockout check, which sign in to apps, leave the policy out (t07)', async () => {
  const { view, findings } = await load(DIR('fires-app-protection-authentication-context'));
  assert.equal(modelOf(view).appProtectionReach('iOS', []).state, 'unknown');
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /Those users may be refused what authentication context `c3` protects \(the content and actions apps ask it for; their sign-ins to apps are not affected\), with nothing to fix: `grp-mobile-users` may hold them/);
  assert.doesNotMatch(findings[0]!.message, /locked out/);
  const r = evaluate(view, { ...SIGN_IN, user: 'someone@contoso.example', app: 'All' });
  const ev = r.policies.find((p) => p.name === 'ca-authctx-c3-mobile')!;
  assert.equal(ev.applies, false);
  assert.match(ev.why, /targets the authentication context c3, not app sign-ins/);
  assert.equal(r.uncertain, undefined);
  const report = lockoutCheck(view);
  assert.deepEqual(report.findings, []);
  assert.equal(report.mayLockOut, undefined);
});

test('ztp diff reads the same answer: assigning the app protection policies to all users settles the sign-ins that were in doubt', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ztp-app-reach-'));
  try {
    const base = join(tmp, 'base');
    const head = join(tmp, 'head');
    cpSync(DIR('fires-app-protection-all-users-group-in-doubt'), base, { recursive: true });
    cpSync(base, head, { recursive: true });
    const ios = join(head, 'app-protection', 'ios-app-protection.yaml');
    writeFileSync(ios, readFileSync(ios, 'utf8').replace('include: [grp-mobile-users]', 'include: [allUsers]'));
    const [b, h] = await Promise.all([load(base), load(head)]);
    const impact = diffWorkspaces({ service: b.service, root: base, label: 'base' }, { service: h.service, root: head, label: 'head' });
    const changes = impact.tenants.flatMap((t) => t.signIns).filter((c) => c.user === 'sample@all-users' && c.platform === 'iOS');
    assert.ok(changes.length > 0, JSON.stringify(impact.tenants.map((t) => t.signIns)));
    for (const c of changes) {
      assert.match(c.beforeSummary, /^allowed if app protection; may be blocked in practice: whether an app protection policy reaches these users on iOS\/iPadOS is unknown/);
      assert.equal(c.afterSummary, 'allowed if app protection');
    }
    // Android's policy is still assigned to grp-mobile-users: its sign-ins stay in doubt, unchanged.
    assert.ok(!impact.tenants.flatMap((t) => t.signIns).some((c) => c.platform === 'android'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

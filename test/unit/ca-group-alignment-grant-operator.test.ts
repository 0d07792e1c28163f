/**
 * `ca-group-alignment` reads the grant evaluator's answer for the users (`grantVerdict` of `TenantModel.grant` with
 * their groups), as What If and the lockout check do, so that the three never disagree on one tenant. Two tenants
 * shaped like the twenty-third pass's reviewer repros (t3, t4and): the compliance policies exclude grp-sales (certainly
 * unmet, secureByDefault on), app protection is assigned to the undescribed grp-sales-emea (in doubt).
 * - `compliantDevice AND compliantApplication`: one control certainly unmet is enough: locked out, for certain;
 * - `compliantDevice OR compliantApplication`: the users may be locked out, and grp-sales-emea (an app protection
 *   group, assigned to users only) may hold them, never "their devices".
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { lockoutCheck } from '../../server/src/core/lockout';
import { evaluate } from '../../server/src/core/whatif';
import { modelOf } from '../../server/src/core/model/index';
import { grantVerdict } from '../../server/src/core/model/grants';
import { mayHoldText } from '../../server/src/core/model/compliance-reach';
import { lockoutText } from '../../server/src/core/features/whatif-format';
import { FIXTURE_NOW } from '../harness/fixtures';

const DIR = (name: string): string => join(__dirname, '..', 'fixtures', 'ca-group-alignment', name);
const AND = DIR('fires-and-grant-compliance-excluded-app-protection-in-doubt');
const OR = DIR('fires-or-grant-compliance-excluded-app-protection-in-doubt');

async function load(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  const view = service.view(dir);
  const findings = service.analyzeTenant(dir).filter((f) => f.ruleId === 'ca-group-alignment');
  const ca = view.policies.find((p) => p.name === 'ca-mobile')!;
  return { view, findings, ca };
}

test('compliantDevice AND compliantApplication, compliance excluding grp-sales, app protection in doubt: the rule, the grant evaluator, What If and the lockout check all say locked out (t4and)', async () => {
  const { view, findings, ca } = await load(AND);
  const model = modelOf(view);
  for (const platform of ['iOS', 'android'] as const) {
    assert.equal(model.complianceReach(platform, ['grp-sales']).state, 'unreached');
    assert.equal(model.appProtectionReach(platform, ['grp-sales']).state, 'unknown');
    assert.equal(grantVerdict(model.grant(ca, platform, platform, ['grp-sales'])), 'impossible');
  }
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.match(f!.message, /requires a compliant device and app protection/);
  assert.match(f!.message, /Those users are locked out with nothing to fix \(`secureByDefault` marks a device with no compliance policy noncompliant/);
  assert.doesNotMatch(f!.message, /may be|may hold/);
  assert.deepEqual(f!.certain, ['iOS:grp-sales', 'android:grp-sales']);
  const r = evaluate(view, { platform: 'iOS', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', user: 'alice@example.com', groups: ['grp-sales'], appProtected: true, deviceCompliant: true });
  assert.equal(r.verdict, 'unsatisfiable', r.summary);
  const report = lockoutCheck(view);
  assert.deepEqual(
    report.findings.map((x) => [x.verdict, x.policy, x.platforms, x.subjects.map((s) => s.user)]),
    [
      ['unsatisfiable', 'ca-mobile', ['iOS'], ['sample@grp-sales']],
      ['unsatisfiable', 'ca-mobile', ['android'], ['sample@grp-sales']],
    ],
  );
  assert.equal(report.mayLockOut, undefined);
});

test('compliantDevice OR compliantApplication, the same policies: the rule, the grant evaluator and the lockout check all say "may be", and the app protection group may hold the users, not their devices (t3)', async () => {
  const { view, findings, ca } = await load(OR);
  const model = modelOf(view);
  for (const platform of ['iOS', 'android'] as const) assert.equal(grantVerdict(model.grant(ca, platform, platform, ['grp-sales'])), 'mayBeImpossible');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.match(f!.message, /requires a compliant device or app protection/);
  assert.match(f!.message, /Those users may be locked out with nothing to fix: `grp-sales-emea` may hold them \(zerotrust\.yaml does not tell\); if not, /);
  assert.doesNotMatch(f!.message, /their devices|device group|users are locked out/);
  assert.equal(f!.certain, undefined);
  const report = lockoutCheck(view);
  assert.deepEqual(report.findings, []);
  assert.deepEqual(report.mayLockOut?.map((x) => [x.policy, x.control, x.platforms, x.subjects.map((s) => s.user)]), [
    ['ca-mobile', 'compliantApplication', ['iOS'], ['sample@grp-sales']],
    ['ca-mobile', 'compliantApplication', ['android'], ['sample@grp-sales']],
  ]);
  // What If's uncertain reason (the lockout check's "why") says the same of the app protection group.
  assert.match(report.mayLockOut![0]!.explanation, /but grp-sales-emea may hold them \(zerotrust\.yaml does not tell\); if not, no app meets app protection/);
  // The app protection group's part (the device option's failure, said after it, is about devices).
  assert.doesNotMatch(report.mayLockOut![0]!.explanation.split('; the other option')[0]!, /their devices|device group/);
  assert.match(report.mayLockOut![0]!.explanation, /; the other option, a compliant device, fails for them: compliant device required on iOS, but the tenant's iOS\/iPadOS compliance policies leave these users out/);
  // Said once: the doubt names the failing option and why, so no warning says it again beside it, and none says "the
  // other option remains" of an option that may fail too (What If's own result alike).
  assert.deepEqual(report.warnings.filter((w) => /compliance policies leave these users out/.test(w.message)), []);
  const r = evaluate(view, { platform: 'iOS', app: 'Office365', clientApp: 'browser', user: 'alice@example.com', groups: ['grp-sales'] });
  assert.match((r.uncertain ?? []).map((u) => u.reason).join('\n'), /; the other option, a compliant device, fails for them: compliant device required on iOS/);
  assert.deepEqual(r.warnings.filter((w) => /the other option remains|compliance policies leave these users out/.test(w)), []);
  assert.match(lockoutText(report, (p) => p), /may lock accounts out: the groups the app protection policies are assigned to may hold these users$/m);
});

test('mayHoldText: compliance groups may hold the users or their devices, app protection groups only the users, each said once', () => {
  assert.equal(mayHoldText({ compliance: ['`a`'] }), '`a` may hold them or their devices (zerotrust.yaml does not tell, and it may be a device group)');
  assert.equal(mayHoldText({ appProtection: ['`b`', '`c`'] }), '`b` and `c` may hold them (zerotrust.yaml does not tell)');
  assert.equal(
    mayHoldText({ compliance: ['`a`'], appProtection: ['`a`', '`b`'] }),
    '`a` may hold them or their devices, and `b` may hold them (zerotrust.yaml does not tell, and `a` may be a device group)',
  );
  assert.equal(mayHoldText({ appProtection: ['the groups'] }, 'these users', false), 'the groups may hold these users');
});

/**
 * A grant under OR ("Require one of the selected controls") every option of which certainly fails (round 30, t03): no
 * option is "required", so What If and the lockout check say it as one end, each option with why it fails, and the
 * fix makes any one option possible (or takes the platform out of the policy); never "stop requiring" one option,
 * which leaves the others failing. https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { whatIfText } from '../../server/src/core/features/whatif-format';
import { loadTenant } from '../harness/tenant';

const DIR = join(__dirname, '..', 'fixtures-whatif', 'lockout-or-grant-all-fail');
const POLICY = 'ca-device-or-app';

test('OR grant, every option certainly fails: one lockout entry per policy and platform, each option under alternatives, a fix that is true', async () => {
  const { view } = await loadTenant(DIR);
  const report = lockoutCheck(view);
  const entries = report.findings.filter((f) => f.policy === POLICY);
  assert.equal(entries.length, 1, JSON.stringify(report.findings, null, 2));
  const f = entries[0]!;
  assert.deepEqual(f.platforms, ['macOS']);
  assert.equal(f.verdict, 'unsatisfiable');
  assert.match(f.explanation, /^ca-device-or-app lets the sign-in through with any one of a compliant device or app protection \(Require one of the selected controls\), and both fail: for a compliant device, the tenant has no macOS compliance policy/);
  assert.doesNotMatch(f.explanation, /required on macOS/);
  assert.deepEqual(f.alternatives?.map((a) => a.control), ['compliantDevice', 'compliantApplication']);
  assert.match(f.alternatives![0]!.fix, /^create a macOS compliance policy/);
  assert.equal(f.alternatives![1]!.fix, 'nothing in the tenant makes it possible on this platform');
  assert.match(f.fix, /^make a compliant device possible on macOS, as ca-device-or-app lets these users in with it — create a macOS compliance policy .*; or, if ca-device-or-app need not gate macOS, take macOS out of ca-device-or-app \(`excludePlatforms`\)$/);
  assert.doesNotMatch(f.fix, /stop requiring|offer another control with OR/);
});

test('What If of the sign-in: "blocked in practice" says the grant once, both options failing, not "X required"', async () => {
  const { view } = await loadTenant(DIR);
  const r = evaluate(view, { user: 'alice@fabrikam.com', platform: 'macOS', app: 'Office365', clientApp: 'browser' });
  assert.equal(r.verdict, 'unsatisfiable');
  assert.equal(r.unsatisfiable.length, 2);
  assert.ok(r.unsatisfiable.every((u) => u.operator === 'OR'));
  assert.match(r.summary, /^blocked in practice: ca-device-or-app lets the sign-in through with any one of a compliant device or app protection \(Require one of the selected controls\), and both fail: /);
  assert.doesNotMatch(r.summary, /required on macOS/);
  // The policy's own grant line says the same: every option fails, each with why, none "required".
  assert.match(r.policies.find((p) => p.name === POLICY)!.grant!.summary, /^unsatisfiable: every option fails \(Require one of the selected controls\): for a compliant device, the tenant has no macOS compliance policy .*; for app protection, app protection policies exist only for iOS, Android and \(Edge\) Windows$/);
  const text = whatIfText(r, (p) => p);
  assert.equal(text.split('\n').filter((l) => l.startsWith('  ✗ ')).length, 1, text);
});

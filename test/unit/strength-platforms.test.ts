/**
 * An authentication strength none of whose methods can be used on a platform (round 31 expert, F5: a custom strength of
 * Windows Hello for Business alone, required of a group on every platform): Learn says a user whose strength includes no
 * method they can register and use is blocked, and Windows Hello for Business (with Platform Credential for macOS, which
 * strengths list under it) exists only on Windows and macOS. One answer, the grant evaluator's (`strengthPlatforms`):
 * What If says the sign-in is blocked in practice on iOS, the lockout check reports the lockout, and check reports the
 * policy (`ca-strength-platform-unsupported`). https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-how-it-works
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { strengthPlatforms } from '../../server/src/core/model/strength-factors';
import { loadTenant } from '../harness/tenant';

const FIXTURES = join(__dirname, '..', 'fixtures', 'ca-strength-platform-unsupported');
const WHFB = join(FIXTURES, 'fires-custom-by-id');
const PASSKEY_BESIDE = join(FIXTURES, 'ok-passkey-beside');
const UNEXPORTED = join(FIXTURES, 'ok-exported-by-id-only');

test('strengthPlatforms: Windows Hello for Business alone is Windows and macOS; any other method, or unknown combinations, limits nothing', () => {
  assert.deepEqual(strengthPlatforms({ allowedCombinations: ['windowsHelloForBusiness'] }), ['windows', 'macOS']);
  assert.equal(strengthPlatforms({ allowedCombinations: ['windowsHelloForBusiness', 'fido2'] }), undefined);
  assert.equal(strengthPlatforms({ allowedCombinations: ['password,sms'] }), undefined);
  // Known by id or `requirementsSatisfied` alone: unknown, never a gap.
  assert.equal(strengthPlatforms({ id: '2c4e6a8b-1d3f-4a5b-8c7d-9e0f1a2b3c4d' }), undefined);
  assert.equal(strengthPlatforms({ requirementsSatisfied: 'mfa' }), undefined);
  assert.equal(strengthPlatforms(undefined), undefined);
});

test('What If: on iOS the strength is unsatisfiable, naming the rule; on Windows and macOS it is proven at sign-in', async () => {
  const { view } = await loadTenant(WHFB);
  const ios = evaluate(view, { user: 'grp-finance', platform: 'iOS', app: 'All', clientApp: 'browser' });
  assert.equal(ios.verdict, 'unsatisfiable', ios.summary);
  const u = ios.unsatisfiable.find((x) => x.control === 'authenticationStrength')!;
  assert.ok(u, JSON.stringify(ios.unsatisfiable));
  assert.equal(u.rule, 'ca-strength-platform-unsupported');
  assert.equal(u.gap, 'strengthPlatform');
  assert.match(ios.summary, /^blocked in practice: authentication strength `Windows Hello for Business only` required on iOS, but none of its methods can be used on iOS\/iPadOS: Windows Hello for Business .* signs in on Windows and macOS only$/);
  for (const platform of ['windows', 'macOS']) {
    const r = evaluate(view, { user: 'grp-finance', platform, app: 'All', clientApp: 'browser' });
    assert.equal(r.verdict, 'allowedIf', `${platform}: ${r.summary}`);
  }
});

test('the lockout check: a lockout of the group on iOS and Android, with the strength or the platforms as the fix', async () => {
  const { view } = await loadTenant(WHFB);
  const report = lockoutCheck(view);
  const entries = report.findings.filter((f) => f.policy === 'finance-whfb-only');
  assert.deepEqual(entries.flatMap((f) => f.platforms).sort(), ['android', 'iOS']);
  for (const f of entries) {
    assert.equal(f.verdict, 'unsatisfiable');
    assert.match(f.fix, /^allow a method .* can use in the authentication strength of finance-whfb-only .*see rule ca-strength-platform-unsupported\), or take .* out of finance-whfb-only \(`excludePlatforms`\), or offer another control with OR$/);
  }
});

test('near misses: a passkey beside Windows Hello for Business, or a strength the folder does not export, lock no one out', async () => {
  for (const dir of [PASSKEY_BESIDE, UNEXPORTED]) {
    const { view } = await loadTenant(dir);
    assert.deepEqual(lockoutCheck(view).findings, [], dir);
    const r = evaluate(view, { user: 'grp-finance', platform: 'android', app: 'All', clientApp: 'browser' });
    assert.equal(r.verdict, 'allowedIf', r.summary);
  }
});

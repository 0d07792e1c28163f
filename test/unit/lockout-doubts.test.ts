/**
 * The twenty-ninth audit's lockout doubts (r29/audit), each asked of every reader: What If, the lockout check, the
 * report. Undeclared is unknown and a file that cannot be read is not missing, but neither is fine: the lockout check
 * lists such a sign-in under "May be locked out" (exit 0, the report's "lockouts unknown"), never "no lockout" and
 * never a lockout.
 * - a country allowlist (a restriction) hid a compliant device that may not be met (r1-allowlist-hides-doubt);
 * - a compliance policy in a file that does not parse was only a warning (r2-broken-compliance);
 * - an undeclared Apple push certificate or managed Google Play binding was read as fine (r4b, r3-android-bind-*);
 * - "✓ no lockout: every account can sign in" was said of a tenant whose guests are blocked: the grid never signs in
 *   as a guest (test/fixtures/ca-guest-device-not-trusted/fires-strength-other-external-trusted).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { lockoutText, mayLockOutText } from '../../server/src/core/features/whatif-format';
import { loadTenant, withCopy } from '../harness/tenant';
import { runBuilt } from '../harness/cli';

const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures-whatif');

const load = (dir: string) => loadTenant(dir);

const ztp = runBuilt;

/** The lockout check's verdict as the CLI gives it: exit status, JSON, and the report's summary line. */
function verdict(dir: string): { code: number; json: { findings: unknown[]; mayLockOut?: { policy: string; control?: string; undeclared?: string; gap?: string; rule?: string }[] }; text: string; report: string } {
  const j = ztp(['whatif', dir, '--lockout', '--format', 'json']);
  const t = ztp(['whatif', dir, '--lockout']);
  const r = ztp(['report', dir]);
  return { code: j.code, json: JSON.parse(j.stdout), text: t.stdout, report: r.stdout };
}

test('a country allowlist hides no doubt: the compliant device on macOS that may not be met (secureByDefault undeclared) is "may be locked out", as without the allowlist (r29 r1)', async () => {
  const dir = join(FIX, 'lockout-allowlist-doubt');
  const v = verdict(dir);
  assert.equal(v.code, 0, v.text);
  assert.equal(v.json.findings.length, 0);
  assert.deepEqual(v.json.mayLockOut?.map((m) => [m.policy, m.control, m.undeclared]), [['ca-macos-compliant', 'compliantDevice', 'secureByDefault']]);
  assert.match(v.text, /\n\? no certain lockout, but one requirement may lock accounts out: devices no compliance policy reaches may be marked noncompliant/);
  assert.match(v.report, /lockouts unknown/);
  // What If of the grid's sign-in: blocked by the allowlist from the trusted office, the doubt listed beside the block
  // (as a requirement no one can meet is), the result line unchanged.
  const { view } = await load(dir);
  const r = evaluate(view, { user: 'sample@all-users', platform: 'macOS', app: 'All', clientApp: 'browser', location: 'trusted' });
  assert.equal(r.verdict, 'blocked');
  assert.equal(r.summary, 'blocked by ca-country-allowlist');
  assert.deepEqual(r.uncertain?.map((u) => [u.policy, u.undeclared]), [['ca-macos-compliant', 'secureByDefault']]);
  // The same tenant without the allowlist: the same doubt.
  await withCopy(dir, async (copy) => {
    rmSync(join(copy, 'ca', 'ca-country-allowlist.yaml'));
    const w = verdict(copy);
    assert.equal(w.code, 0);
    assert.deepEqual(w.json.mayLockOut?.map((m) => [m.policy, m.control, m.undeclared]), [['ca-macos-compliant', 'compliantDevice', 'secureByDefault']]);
    // Declared true: a lockout behind the allowlist as without it (the restriction hides no requirement no one can meet).
    writeFileSync(join(copy, 'zerotrust.yaml'), readFileSync(join(dir, 'zerotrust.yaml'), 'utf8') + 'settings:\n  secureByDefault: true\n');
    cpSync(join(dir, 'ca', 'ca-country-allowlist.yaml'), join(copy, 'ca', 'ca-country-allowlist.yaml'));
    const x = verdict(copy);
    assert.equal(x.code, 1, x.text);
    assert.equal(x.json.mayLockOut, undefined);
  });
});

test('a compliance file that does not parse leaves a compliant device unknown: "may be locked out" (exit 0, lockouts unknown), like an unread CA file or an undeclared secureByDefault; its policy read, no doubt (r29 r2)', async () => {
  const dir = join(FIX, 'lockout-unread-compliance');
  const v = verdict(dir);
  assert.equal(v.code, 0, v.text);
  assert.equal(v.json.findings.length, 0);
  assert.deepEqual(v.json.mayLockOut?.map((m) => [m.policy, m.control, m.gap]), [['ca-ios-compliant', 'compliantDevice', 'unread']]);
  assert.match(v.text, /\n\? no certain lockout, but one requirement may lock accounts out: a file not analysed may hold the policy a requirement rests on/);
  assert.match(v.text, /fix {3}make the file the reason names readable/);
  assert.doesNotMatch(v.text, /✓ no lockout/);
  assert.match(v.report, /lockouts unknown/);
  assert.doesNotMatch(v.report, /✅ No account/);
  const { view } = await load(dir);
  const r = evaluate(view, { user: 'u@x.com', platform: 'iOS', app: 'All', clientApp: 'browser' });
  assert.equal(r.verdict, 'allowedIf');
  assert.match(r.summary, /may be blocked in practice: unknown whether a compliant device can be met on iOS: `compliance\/ios\.yaml` is not analysed/);
  // Fixed, the policy is read and nothing is in doubt.
  await withCopy(dir, async (copy) => {
    const p = join(copy, 'compliance', 'ios.yaml');
    writeFileSync(p, readFileSync(p, 'utf8').replace('[true', 'true'));
    const w = verdict(copy);
    assert.equal(w.code, 0);
    assert.equal(w.json.mayLockOut, undefined);
  });
});

test('an undeclared Apple push certificate is a doubt where a compliant iOS device rests on it: What If "may be", the lockout check "may be locked out" (exit 0), never a lockout; declared expired, a lockout; valid, nothing (r29 r4b)', async () => {
  const dir = join(FIX, 'lockout-apns-undeclared');
  const v = verdict(dir);
  assert.equal(v.code, 0, v.text);
  assert.equal(v.json.findings.length, 0);
  assert.deepEqual(v.json.mayLockOut?.map((m) => [m.policy, m.control, m.undeclared, m.rule]), [['ca-ios-compliant', 'compliantDevice', 'applePushCertificate', 'compliance-requires-enrollment']]);
  assert.match(v.text, /no Apple device enrolls if the Apple MDM push certificate has expired \(`settings\.applePushCertificate`, not declared in zerotrust\.yaml\)/);
  assert.match(v.text, /fix {3}declare `settings\.applePushCertificate` \(its `expirationDateTime`\) in zerotrust\.yaml/);
  assert.match(v.report, /lockouts unknown/);
  const w = ztp(['whatif', dir, '--user', 'u@x', '--platform', 'iOS']);
  assert.equal(w.code, 0);
  assert.match(w.stdout, /Result: allowed if a compliant device; may be blocked in practice \(see "May be unsatisfiable" above\)/);
  await withCopy(dir, async (copy) => {
    const m = join(copy, 'zerotrust.yaml');
    const manifest = readFileSync(m, 'utf8');
    writeFileSync(m, `${manifest}  applePushCertificate: { expirationDateTime: 2026-01-01 }\n`);
    const expired = verdict(copy);
    assert.equal(expired.code, 1, expired.text);
    writeFileSync(m, `${manifest}  applePushCertificate: { expirationDateTime: 2027-09-01 }\n`);
    const valid = verdict(copy);
    assert.equal(valid.code, 0, valid.text);
    assert.equal(valid.json.mayLockOut, undefined);
    assert.match(valid.text, /\n✓ no lockout: every account checked can sign in on every platform/);
  });
});

test('an undeclared managed Google Play binding is a doubt where the only Android compliance policy is an Android Enterprise one; declared notBound, a lockout (r29 r3)', async () => {
  const dir = join(FIX, 'lockout-android-binding-undeclared');
  const v = verdict(dir);
  assert.equal(v.code, 0, v.text);
  assert.equal(v.json.findings.length, 0);
  assert.deepEqual(v.json.mayLockOut?.map((m) => [m.policy, m.undeclared]), [['ca-android-compliant', 'androidEnterprise']]);
  assert.doesNotMatch(v.text, /an enrollment restriction keeps these users/);
  const { view } = await load(dir);
  const r = evaluate(view, { user: 'u@x.com', platform: 'android', app: 'All', clientApp: 'browser' });
  assert.equal(r.verdict, 'allowedIf');
  assert.deepEqual(r.uncertain?.map((u) => u.undeclared), ['androidEnterprise']);
  await withCopy(dir, async (copy) => {
    const m = join(copy, 'zerotrust.yaml');
    const manifest = readFileSync(m, 'utf8');
    writeFileSync(m, `${manifest}  androidEnterprise:\n    bindStatus: notBound\n`);
    assert.equal(verdict(copy).code, 1);
    writeFileSync(m, `${manifest}  androidEnterprise:\n    bindStatus: boundAndValidated\n`);
    const bound = verdict(copy);
    assert.equal(bound.code, 0);
    assert.equal(bound.json.mayLockOut, undefined);
  });
});

test('"no lockout" is said of the accounts checked: the grid signs in as no guest, whom a policy may block (r29, ca-guest-device-not-trusted/fires-strength-other-external-trusted)', async () => {
  const dir = join(ROOT, 'test', 'fixtures', 'ca-guest-device-not-trusted', 'fires-strength-other-external-trusted');
  const { view } = await load(dir);
  const text = lockoutText(lockoutCheck(view), (p) => p);
  assert.doesNotMatch(text, /every account can sign in/);
  assert.match(text, /\n✓ no lockout: every account checked can sign in on every platform \(if it meets what the policies require\); guests and external users are not among the accounts checked \(`ztp whatif <tenant> --guest-type <type>` asks for them\)$/);
});

test('a role holder may be any listed member but a break-glass account: a compliance policy on grp-dev (eve) leaves the Global Administrator role\'s compliant device in doubt, as a block excluding grp-dev does; a named user keeps the certain reading (r29 review, rep-role)', async () => {
  const dir = join(FIX, 'lockout-role-holder-compliance');
  const v = verdict(dir);
  assert.equal(v.code, 0, v.text);
  assert.equal(v.json.findings.length, 0);
  assert.deepEqual(v.json.mayLockOut?.map((m) => [m.policy, m.control]), [['ca-linux-compliant', 'compliantDevice']]);
  assert.match(v.text, /grp-dev may hold the role's holders \(zerotrust\.yaml does not say who holds a directory role\)/);
  const { view } = await load(dir);
  // What If with the role alone: the same doubt. A named user in no group (or eve, in grp-dev) is read by listed members.
  const base = { platform: 'linux', app: 'All', clientApp: 'browser', location: 'trusted' };
  assert.equal(evaluate(view, { user: [], roles: ['Global Administrator'], ...base }).verdict, 'allowedIf');
  assert.equal(evaluate(view, { user: 'someone@contoso.com', roles: ['Global Administrator'], ...base }).verdict, 'unsatisfiable');
  assert.equal(evaluate(view, { user: 'eve@contoso.com', roles: ['Global Administrator'], ...base }).uncertain, undefined);
  // grp-dev listing only a break-glass account holds no other admin: a certain lockout.
  await withCopy(dir, async (copy) => {
    const m = join(copy, 'zerotrust.yaml');
    writeFileSync(m, readFileSync(m, 'utf8').replace('members: [eve@contoso.com]', 'members: [bg1@contoso.com]'));
    assert.equal(verdict(copy).code, 1);
  });
});

test('a group whose listed members are all groups the compliance policies reach is covered: no ca-group-alignment finding, no doubt; a user listed in it directly is not known to be (r29 review, rep-nested)', async () => {
  const dir = join(FIX, 'lockout-nested-members-covered');
  const v = verdict(dir);
  assert.equal(v.code, 0, v.text);
  assert.equal(v.json.mayLockOut, undefined);
  assert.match(v.text, /\n✓ no lockout/);
  const { findings } = await load(dir);
  assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-group-alignment'), []);
  await withCopy(dir, async (copy) => {
    const m = join(copy, 'zerotrust.yaml');
    writeFileSync(m, readFileSync(m, 'utf8').replace('members: [grp-a, grp-b]', 'members: [grp-a, grp-b, carol@contoso.com]'));
    // carol may be in grp-a or grp-b too (they list no members): in doubt, not locked out.
    const w = verdict(copy);
    assert.equal(w.code, 0, w.text);
    assert.deepEqual(w.json.mayLockOut?.map((x) => [x.policy, x.control]), [['ca-win-compliant', 'compliantDevice']]);
    const again = await load(copy);
    assert.equal(again.findings.filter((f) => f.ruleId === 'ca-group-alignment').length, 1);
  });
});

test('the summary of sign-ins in doubt names blocks as blocks and requirements as requirements (a block is no requirement)', () => {
  const blocked = { verdict: 'blocked' as const };
  const unmet = { verdict: 'unsatisfiable' as const };
  assert.equal(mayLockOutText([blocked]), 'one block');
  assert.equal(mayLockOutText([blocked, blocked]), '2 blocks');
  assert.equal(mayLockOutText([unmet]), 'one requirement');
  assert.equal(mayLockOutText([unmet, unmet, unmet]), '3 requirements');
  assert.equal(mayLockOutText([unmet, blocked, unmet]), 'one block and 2 requirements');
});

/**
 * A grant under OR ("Require one of the selected controls") every option of which is in doubt (round r30): the
 * sign-in is blocked only if every option fails, so What If says it as one doubt and the lockout check lists one
 * "may be locked out" entry per policy and platform, with each option's doubt and fix under it, counted once, never
 * "compliant device required" and never a fix that one option alone settles the sign-in. AND grants keep one doubt
 * per control. https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { whatIfText } from '../../server/src/core/features/whatif-format';
import { loadTenant } from '../harness/tenant';
import { runBuilt } from '../harness/cli';

const DIR = join(__dirname, '..', 'fixtures-whatif', 'lockout-or-grant-doubts');
const POLICY = 'ca003-ios-require-app-or-compliant-device';

interface Entry {
  policy: string;
  platforms: string[];
  control?: string;
  explanation: string;
  fix: string;
  alternatives?: { control: string; explanation: string; fix: string; rule?: string; undeclared?: string }[];
}

test('OR grant, both options in doubt: one "may be locked out" entry, blocked only if both fail, counted once (CLI text and JSON)', () => {
  const j = runBuilt(['whatif', DIR, '--lockout', '--format', 'json']);
  assert.equal(j.code, 0, j.stderr);
  const json = JSON.parse(j.stdout) as { findings: unknown[]; mayLockOut?: (Entry & { subjects: { user: string }[] })[] };
  assert.equal(json.findings.length, 0);
  // One entry per account kind: the user in no group's, and the Global Administrator's (the app protection policy's
  // group may hold the role's holders, which the manifest does not say), each the grant's one entry.
  assert.deepEqual(json.mayLockOut?.map((x) => x.subjects.map((s) => s.user)), [['sample@role-global-administrator'], ['sample@all-users']], JSON.stringify(json.mayLockOut, null, 2));
  assert.deepEqual(json.mayLockOut![0]!.alternatives?.map((a) => a.control), ['compliantApplication', 'compliantDevice']);
  const m = json.mayLockOut![1]!;
  assert.equal(m.policy, POLICY);
  assert.deepEqual(m.platforms, ['iOS']);
  // The entry is the grant's, not one control's: each option is under `alternatives`.
  assert.equal(m.control, undefined);
  assert.deepEqual(m.alternatives?.map((a) => [a.control, a.rule, a.undeclared]), [
    ['compliantApplication', 'ca-group-alignment', undefined],
    ['compliantDevice', 'compliance-requires-enrollment', 'applePushCertificate'],
  ]);
  assert.match(m.explanation, new RegExp(`^${POLICY} lets the sign-in through with any one of app protection or a compliant device \\(Require one of the selected controls\\), so it is blocked only if both fail, and each may fail: for app protection, whether an app protection policy reaches these users .*; for a compliant device, a compliant device on iOS may be unsatisfiable: the manifest does not declare \`settings\\.applePushCertificate\``));
  assert.doesNotMatch(m.explanation, /compliant device required/);
  // The fix is true of the grant: either option settles it, and one alone does not say "nothing is locked out".
  assert.match(m.fix, /^settle any one of them, .* — for app protection: .*app protection is a way in for them .*; for a compliant device: declare `settings\.applePushCertificate`.*if it is valid, a compliant device is a way in for them .*; they are locked out only if none of them is a way in$/);
  assert.doesNotMatch(m.fix, /nothing is locked out|stop requiring a compliant device/);

  const t = runBuilt(['whatif', DIR, '--lockout']);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /\nMay be locked out \(2\)\n/);
  assert.equal(t.stdout.split('? MAY BE UNSATISFIABLE').length, 3, t.stdout);
  // The grant's doubt is said once in the summary, whichever accounts it holds for.
  assert.equal(t.stdout.split('asks for any one of its controls').length, 2, t.stdout);
  assert.match(t.stdout, /\n\? no certain lockout, but 2 requirements may lock accounts out: ca003-ios-require-app-or-compliant-device asks for any one of its controls, each in doubt, and locks these users out only if both fail: the groups the app protection policies are assigned to may hold these users; no Apple device enrolls if the Apple MDM push certificate has expired/);
});

test('OR grant, both options in doubt: What If of the same sign-in says one doubt, marked OR, in its summary and text', async () => {
  const { view } = await loadTenant(DIR);
  const r = evaluate(view, { user: 'sample@all-users', platform: 'iOS', app: 'All', clientApp: 'browser', location: 'trusted' });
  assert.equal(r.verdict, 'allowedIf');
  assert.deepEqual(r.uncertain?.map((u) => [u.control, u.operator, u.label]), [
    ['compliantApplication', 'OR', 'app protection'],
    ['compliantDevice', 'OR', 'a compliant device'],
  ]);
  assert.match(r.summary, new RegExp(`^allowed if app protection or a compliant device; may be blocked in practice: ${POLICY} lets the sign-in through with any one of app protection or a compliant device .*blocked only if both fail`));
  const text = whatIfText(r, (p) => p);
  assert.equal(text.split('\n  ? ').length, 2, text);
  assert.doesNotMatch(text, /compliant device required/);
  // The lockout check reads the same answer.
  const lockout = lockoutCheck(view).mayLockOut?.filter((x) => x.subjects.some((s) => s.user === 'sample@all-users'));
  assert.equal(lockout?.length, 1);
  assert.equal(lockout![0]!.alternatives?.length, 2);
});

test('the same grant under AND keeps one doubt per control, each with its own fix', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'ztp-or-grant-'));
  try {
    cpSync(DIR, copy, { recursive: true });
    const ca = join(copy, 'ca-ios.json');
    writeFileSync(ca, readFileSync(ca, 'utf8').replace('"operator": "OR"', '"operator": "AND"'));
    const { view } = await loadTenant(copy);
    const r = evaluate(view, { user: 'sample@all-users', platform: 'iOS', app: 'All', clientApp: 'browser', location: 'trusted' });
    assert.deepEqual(r.uncertain?.map((u) => [u.control, u.operator]), [
      ['compliantApplication', undefined],
      ['compliantDevice', undefined],
    ]);
    // (The compliant device's doubt is the same for a Global Administrator, whose entry comes first and holds both.)
    const lockout = lockoutCheck(view).mayLockOut?.filter((x) => x.subjects.some((s) => s.user === 'sample@all-users'));
    const byControl = [...(lockout ?? [])].sort((a, b) => (a.control! < b.control! ? -1 : 1));
    assert.deepEqual(byControl.map((m) => [m.policy, m.control, m.alternatives]), [
      [POLICY, 'compliantApplication', undefined],
      [POLICY, 'compliantDevice', undefined],
    ]);
    assert.match(byControl[1]!.fix, /if it is valid, nothing is locked out/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

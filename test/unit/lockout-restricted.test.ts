/**
 * A block the break-glass accounts are not excluded from that is a restriction, not a lockout (round 31 expert, F6: All
 * users blocked outside an allowed-countries named location): the lockout check reads a country allowlist as a
 * restriction, but emergency access accounts must work from anywhere, and the What If command it prints for the
 * break-glass account ends "blocked". So it warns "restricted: break-glass accounts can only sign in from …" (JSON
 * `warnings`, with `restriction`), and never prints "✓ no lockout … every account checked can sign in" beside it.
 * https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { breakGlassRestricted, lockoutCheck, lockoutScenario } from '../../server/src/core/lockout';
import { lockoutText } from '../../server/src/core/features/whatif-format';
import { loadTenant, withCopy } from '../harness/tenant';

const DIR = join(__dirname, '..', 'fixtures-whatif', 'lockout-break-glass-country-allowlist');
const POLICY = 'block-outside-allowed';

test('a country allowlist that takes in the break-glass accounts: no lockout, a "restricted" warning naming the allowed location', async () => {
  const { view } = await loadTenant(DIR);
  const report = lockoutCheck(view);
  assert.deepEqual(report.findings, []);
  const restricted = breakGlassRestricted(report);
  assert.equal(restricted.length, 1, JSON.stringify(report.warnings, null, 2));
  const w = restricted[0]!;
  assert.equal(w.policy, POLICY);
  assert.equal(w.restriction, 'locations');
  assert.deepEqual(w.platforms, ['windows']);
  assert.match(w.message, /^restricted: break-glass accounts can only sign in from `Allowed countries` \(5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d\): block-outside-allowed blocks every other location and does not exclude them; .*exclude them from block-outside-allowed/);
  // The What If of the break-glass account's sign-in the check prints ends blocked: the verdict never says ✓ beside it.
  const bg = report.subjects.find((s) => s.kind === 'breakGlass')!;
  assert.equal(evaluate(view, lockoutScenario(bg, 'windows', 'browser')).verdict, 'blocked');
  const text = lockoutText(report, (p) => p);
  assert.doesNotMatch(text, /✓/);
  assert.match(text, /\n! no lockout, but the break-glass accounts are restricted by block-outside-allowed \(see the warnings\)/);
});

test('near miss: the break-glass group excluded from the allowlist, "✓ no lockout" and no restriction', async () => {
  await withCopy(DIR, async (dir) => {
    const file = join(dir, 'ca', `${POLICY}.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('includeUsers: [All] }', 'includeUsers: [All], excludeGroups: [grp-breakglass] }'));
    const { view } = await loadTenant(dir);
    const report = lockoutCheck(view);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(breakGlassRestricted(report), []);
    assert.match(lockoutText(report, (p) => p), /✓ no lockout: every account checked can sign in/);
  });
});

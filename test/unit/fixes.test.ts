/**
 * Every fixture case with a `_fixed/` folder is a fix test: apply the rule's preferred fix to each of its
 * findings, then check that the findings are gone, that no new finding appeared, and that the changed and created
 * files equal the golden files byte for byte (comments, quoting and CRLF included) while no other file changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FIXTURES, applyFixture, cleanup, findingKeys, isSelectedRule } from '../harness/fixtures';

for (const rule of readdirSync(FIXTURES).sort()) {
  const ruleDir = join(FIXTURES, rule);
  if (!statSync(ruleDir).isDirectory() || !isSelectedRule(rule)) continue;
  for (const c of readdirSync(ruleDir).sort()) {
    const dir = join(ruleDir, c);
    if (!existsSync(join(dir, '_fixed'))) continue;
    test(`fix ${relative(FIXTURES, dir)}`, async () => {
      const o = await applyFixture(dir, rule);
      try {
        assert.ok(o.before.some((f) => f.ruleId === rule), `the fixture should raise ${rule} before the fix`);
        assert.ok(o.fixes.length > 0, `${rule} should offer a fix`);
        // A fix that creates a policy in report-only state (legacy-auth-not-blocked) leaves one step to a person:
        // enabling it. A report-only policy enforces nothing, so the finding stays and names the report-only policy;
        // any other fix makes it go.
        const stagedFix = [...o.changed.values()].some((c) => c.includes('enabledForReportingButNotEnforced'));
        const left = o.after.filter((f) => f.ruleId === rule);
        if (stagedFix && left.length) {
          assert.ok(left.every((f) => /is report-only, so it (blocks|enforces) nothing/.test(f.message)), 'a report-only fix leaves only the reminder to enable it');
        } else {
          assert.deepEqual(left.map((f) => f.message), [], 'the finding is gone');
        }
        const before = new Set(findingKeys(o.before, o.workDir));
        const added = findingKeys(stagedFix ? o.after.filter((f) => f.ruleId !== rule) : o.after, o.workDir).filter((k) => !before.has(k));
        assert.deepEqual(added, [], 'the fix creates no new finding');
        assert.deepEqual([...o.changed.keys()].sort(), [...o.golden.keys()].sort(), 'exactly the golden files changed');
        for (const [file, content] of o.golden) assert.equal(o.changed.get(file), content, `${file} matches _fixed/${file}`);
      } finally {
        cleanup(o);
      }
    });
  }
}

test('device-risk-requires-defender offers no fix where the listed licences cover no layer 6: the connector would be a license-missing error', async () => {
  const o = await applyFixture(join(FIXTURES, 'device-risk-requires-defender', 'fires-unlicensed-no-fix'), 'device-risk-requires-defender');
  try {
    const finding = o.before.find((f) => f.ruleId === 'device-risk-requires-defender');
    assert.ok(finding, 'the finding stays');
    assert.match(finding.message, /include no Defender for Endpoint device risk \(layer 6\): remove the threat level, or add the licence/);
    assert.deepEqual(o.fixes, []);
  } finally {
    cleanup(o);
  }
});

test('device-risk-requires-defender patches Defender for Endpoint\'s connector (by its id), never another partner\'s, and only unattended when the id says so', async () => {
  const known = await applyFixture(join(FIXTURES, 'device-risk-requires-defender', 'fires-fix-targets-defender-not-partner'), 'device-risk-requires-defender');
  try {
    assert.equal(known.fixes.length, 1);
    assert.equal(known.fixes[0]!.safe, true, 'the connector with Defender\'s id is Defender\'s: --fix may apply it');
    assert.deepEqual([...known.changed.keys()], ['defender/mde-connector.yaml'], 'the Lookout connector is left alone');
  } finally {
    cleanup(known);
  }
  const unknown = await applyFixture(join(FIXTURES, 'device-risk-requires-defender', 'fires-connector-without-id-fix-not-safe'), 'device-risk-requires-defender');
  try {
    assert.equal(unknown.fixes.length, 1);
    assert.equal(unknown.fixes[0]!.safe, false, 'a connector with no id may be another partner\'s: offered, not applied by --fix');
    assert.match(unknown.fixes[0]!.title, /has no `id`/);
  } finally {
    cleanup(unknown);
  }
});

test('ca-requires-compliance-policy offers no fix where the listed licences cover no Intune compliance (layer 3): the new policies would be license-missing errors (audit a19)', async () => {
  const o = await applyFixture(join(FIXTURES, 'ca-requires-compliance-policy', 'fires-unlicensed-no-fix'), 'ca-requires-compliance-policy');
  try {
    assert.ok(o.before.some((f) => f.ruleId === 'ca-requires-compliance-policy'), 'the finding stays');
    assert.deepEqual(o.fixes, []);
  } finally {
    cleanup(o);
  }
});

test('a CA policy a quick fix creates is not offered while a break-glass group is one the manifest does not list: written in, it would be unresolved there too; left out, the new policy would not exclude it (audit a11)', async () => {
  const o = await applyFixture(join(FIXTURES, 'ca-mfa-all-users-missing', 'fires-break-glass-group-unresolved'), 'ca-mfa-all-users-missing');
  try {
    assert.ok(o.before.some((f) => f.ruleId === 'ca-mfa-all-users-missing'), 'the finding stays');
    assert.ok(o.before.some((f) => f.ruleId === 'unresolved-group'), 'unresolved-group says what to mend first');
    assert.deepEqual(o.fixes, []);
  } finally {
    cleanup(o);
  }
});

test('ca-report-only-compliance-prompts offers its exclusion as a person\'s call, and none where the include list or a raw export\'s null platforms would need rewriting (round 27: p11-report-only-compliant-mobile)', async () => {
  const rule = 'ca-report-only-compliance-prompts';
  const offered = await applyFixture(join(FIXTURES, rule, 'fires-no-platform-condition'), rule);
  try {
    assert.equal(offered.fixes.length, 1);
    assert.equal(offered.fixes[0]!.safe, false, 'the pilot then reports nothing on those platforms: not applied by --fix');
    assert.match(offered.fixes[0]!.title, /^Exclude `macOS` and `iOS` from report-only `ca010-compliant-pilot`$/);
  } finally {
    cleanup(offered);
  }
  for (const c of ['fires-android-included', 'fires-raw-export-no-platforms']) {
    const o = await applyFixture(join(FIXTURES, rule, c), rule);
    try {
      const finding = o.before.find((f) => f.ruleId === rule);
      assert.ok(finding, `${c}: the finding is there`);
      assert.equal(finding.severity, 'information', `${c}: a report-only policy's finding, lowered`);
      assert.deepEqual(o.fixes, [], c);
    } finally {
      cleanup(o);
    }
  }
});

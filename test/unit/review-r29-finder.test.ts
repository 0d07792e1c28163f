/**
 * The twenty-ninth pass's finder, from public material (a Conditional Access deployment script, a device configuration
 * export, a Microsoft365DSC snapshot), where the words were what was wrong: fixtures say which rule fires; these say
 * what it tells the admin, and what the fix and `ztp import` do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { planImport } from '../../server/src/core/import-plan';
import { applyFixture, cleanup } from '../harness/fixtures';

const FIXTURES = join(__dirname, '..', 'fixtures');

async function serviceOf(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem });
  for (const f of await service.discover(dir)) await service.load(f);
  return { service, findings: service.analyzeTenant(dir) };
}

test('legacy-auth-not-blocked names a legacy block written with session controls and no grant, and its fix gives that policy the grant instead of adding a second block', async () => {
  const o = await applyFixture(join(FIXTURES, 'legacy-auth-not-blocked', 'fires-block-session-controls-only'), 'legacy-auth-not-blocked');
  try {
    const legacy = o.before.filter((f) => f.ruleId === 'legacy-auth-not-blocked');
    assert.equal(legacy.length, 1);
    assert.match(legacy[0]!.message, /`auth-block-legacy` is meant as that block but has no grant control, only session controls: What If grants a legacy sign-in it applies to with nothing to meet, and session controls keep no one out/);
    assert.doesNotMatch(legacy[0]!.message, /Add a policy that blocks/);
    assert.ok(legacy[0]!.related?.some((r) => /auth-block-legacy\.yaml$/.test(r.file) && /is meant to block legacy clients but/.test(r.message)));
    assert.equal(o.fixes.length, 1);
    assert.deepEqual(o.fixes[0]!.creates, [], 'no second policy is created');
    assert.equal(o.fixes[0]!.edits.length, 1);
    assert.match(o.fixes[0]!.edits[0]!.file, /auth-block-legacy\.yaml$/);
    // Enabled: the block is enforced at once, so `--fix` leaves it to a person.
    assert.equal(o.fixes[0]!.safe, false);
    assert.deepEqual([...o.changed.keys()], ['conditional-access/auth-block-legacy.yaml']);
  } finally {
    cleanup(o);
  }
});

test('legacy-auth-not-blocked: a report-only export of the block without its grant gets the grant unattended (report-only enforces nothing)', async () => {
  const o = await applyFixture(join(FIXTURES, 'legacy-auth-not-blocked', 'report-only-raw-export-block-without-grant'), 'legacy-auth-not-blocked');
  try {
    const legacy = o.before.filter((f) => f.ruleId === 'legacy-auth-not-blocked');
    assert.equal(legacy.length, 1);
    assert.match(legacy[0]!.message, /is report-only, so it blocks nothing and has no grant control, only session controls/);
    assert.match(legacy[0]!.message, /then enable it/);
    assert.equal(o.fixes.length, 1);
    assert.equal(o.fixes[0]!.safe, true);
    assert.deepEqual(o.fixes[0]!.creates, []);
    // After it, the finding asks only to enable it, and no fix adds a second block (a `--fix` pass would find none).
    const after = o.after.filter((f) => f.ruleId === 'legacy-auth-not-blocked');
    assert.equal(after.length, 1);
    assert.match(after[0]!.message, /comes closest but is report-only, so it blocks nothing$/);
  } finally {
    cleanup(o);
  }
});

test('ztp import says why a template profile is kept (which check reads it) and why one is skipped (none does), and does not say an empty onboarding profile onboards', () => {
  const source = '/export';
  const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2));
  const plan = planImport(
    [
      {
        path: '/export/profiles/WIN_Defender_ATP.json',
        bytes: json({
          '@odata.type': '#microsoft.graph.windowsDefenderAdvancedThreatProtectionConfiguration',
          displayName: 'WIN Defender ATP',
          advancedThreatProtectionOnboardingBlob: null,
          advancedThreatProtectionAutoPopulateOnboardingBlob: false,
          allowSampleSharing: true,
        }),
      },
      {
        path: '/export/profiles/WIN_Endpoint_Protection.json',
        bytes: json({ '@odata.type': '#microsoft.graph.windows10EndpointProtectionConfiguration', displayName: 'WIN Endpoint Protection', bitLockerEncryptDevice: true }),
      },
      {
        path: '/export/profiles/AND_Restrictions.json',
        bytes: json({ '@odata.type': '#microsoft.graph.androidGeneralDeviceConfiguration', displayName: 'AND Restrictions', passwordRequired: true }),
      },
    ],
    { source, format: 'yaml' },
  );
  const atp = plan.kept.find((k) => /Defender_ATP/.test(k.from))!;
  assert.ok(atp, 'the Defender template profile is kept');
  assert.match(atp.what, /: kept, as the Defender for Endpoint onboarding checks read it, though it onboards no device: its onboarding package \(`advancedThreatProtectionOnboardingBlob`\) is empty/);
  assert.doesNotMatch(atp.what, /which onboards/);
  const ep = plan.kept.find((k) => /Endpoint_Protection/.test(k.from))!;
  assert.match(ep.what, /: kept, as the BitLocker and attack surface reduction checks read its settings$/);
  const skipped = plan.skipped.find((s) => /AND_Restrictions/.test(s.file))!;
  assert.match(skipped.reason, /: no check reads this type, so it is not imported$/);
  assert.notEqual(skipped.reason.replace(/^`[^`]*` is /, ''), ep.what, 'kept and skipped do not read alike');
});

test('an undeclared breakGlass names, on the manifest and in the lockout check, the enabled policies that exclude no one', async () => {
  const dir = join(FIXTURES, 'undeclared-fact', 'fires-break-glass-undeclared-policies-exclude-no-one');
  const { service, findings } = await serviceOf(dir);
  const fact = findings.filter((f) => f.ruleId === 'undeclared-fact');
  assert.equal(fact.length, 1);
  assert.equal(fact[0]!.severity, 'information');
  assert.match(fact[0]!.file, /zerotrust\.yaml$/);
  assert.match(fact[0]!.message, /`block-legacy` and `require-mfa` exclude no user, group or role an emergency access account could be in, so they would reach every one/);
  assert.doesNotMatch(fact[0]!.message, /pilot-compliant/, 'a policy that excludes a group may exclude the accounts');
  // No finding on a policy because of it.
  assert.ok(!findings.some((f) => f.ruleId === 'break-glass-not-excluded'));
  const report = service.lockout(dir);
  assert.match(report.breakGlassUndeclared ?? '', /; whatever they are, `block-legacy` and `require-mfa` exclude no user, group or role an emergency access account could be in, so they would reach every one$/);
});

test('unknown-kind reads the Defender model: a template profile with an empty onboarding package onboards no device', async () => {
  const dir = join(FIXTURES, 'unknown-kind', 'fires-defender-template-profile-onboards-nothing');
  const { findings } = await serviceOf(dir);
  const f = findings.find((x) => x.ruleId === 'unknown-kind' && /WIN_Defender_ATP\.json$/.test(x.file))!;
  assert.ok(f);
  assert.match(f.message, /the Defender onboarding checks read it, but it onboards no device: its onboarding package \(`advancedThreatProtectionOnboardingBlob`\) is empty/);
  assert.doesNotMatch(f.message, /it onboards devices/);
});

test('unknown-kind reads the Defender model: an EDR intent exported without its settings may onboard devices, unknown, never "onboards devices"; ztp import says the same', async () => {
  const dir = join(FIXTURES, 'unknown-kind', 'fires-edr-intent-without-settings');
  const { service, findings } = await serviceOf(dir);
  const f = findings.find((x) => x.ruleId === 'unknown-kind' && /windows-edr-intent\.json$/.test(x.file))!;
  assert.ok(f);
  assert.match(f.message, /it may onboard devices to Defender for Endpoint, but it was exported without its settings, which would say, so the Defender checks .* read whether it onboards as unknown: keep it in the tenant folder, and export it again with its settings \(`GET \/deviceManagement\/intents\/\{id\}\/settings`\)/);
  assert.doesNotMatch(f.message, /it onboards devices/);
  // The Defender model's one answer, which the message reads: the intent may onboard Windows, and cannot say.
  const { modelOf } = await import('../../server/src/core/model/index');
  const defender = modelOf(service.view(dir)).defender;
  assert.deepEqual(defender.mayOnboard.map((o) => [o.platform, o.unknown]), [['windows', true]]);
  const { readFileSync } = await import('node:fs');
  const plan = planImport([{ path: '/export/intents/windows-edr.json', bytes: readFileSync(join(dir, 'endpoint-security', 'windows-edr-intent.json')) }], { source: '/export', format: 'yaml' });
  const kept = plan.kept.find((k) => /windows-edr/.test(k.from))!;
  assert.match(kept.what, /which may onboard Windows devices to Defender for Endpoint: the export leaves out its settings, which would say/);
});

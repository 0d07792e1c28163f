import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runFixture } from '../harness/fixtures';
import { modelOf } from '../../server/src/core/model/index';
import { layerStates } from '../../server/src/core/features/layer-status';
import { ruleById } from '../../server/src/core/rules/index';

const fixture = (rule: string, c: string): string => join(__dirname, '..', 'fixtures', rule, c);

test('attack surface reduction rules all in Audit: the finding names the profile, says Audit, and says to move the rules to Block, not to create a profile (round 30, t19-asr-audit-only, t26-baseline-asr-audit)', async () => {
  const { findings } = await runFixture(fixture('asr-rules-not-configured', 'fires-all-rules-in-audit'));
  const asr = findings.find((f) => f.ruleId === 'asr-rules-not-configured')!;
  assert.match(asr.message, /none of the tenant's Windows configuration profiles \(it has one, `windows-asr-audit`\) turns on attack surface reduction rules/);
  assert.match(asr.message, /; `windows-asr-audit` sets its 5 attack surface reduction rules in Audit mode, which reports what they would block and blocks nothing:/);
  assert.match(asr.message, /Once the audit period is over, move the rules in `windows-asr-audit` from Audit to Block .*attack-surface-reduction-rules-deployment-operationalize\)$/);
  assert.doesNotMatch(asr.message, /Create an Attack Surface Reduction Rules profile|none of the tenant's 1 /);
  // The siblings read the same one file: named, never "none of the tenant's 1 …"; a baseline is one a profile is or is not.
  const baseline = findings.find((f) => f.ruleId === 'windows-security-baseline-missing')!;
  assert.match(baseline.message, /none of the tenant's Windows configuration profiles \(it has one, `windows-asr-audit`\) is the Windows security baseline/);
  assert.doesNotMatch(baseline.message, /turns on the Windows security baseline/);
  for (const id of ['bitlocker-not-configured', 'laps-not-configured']) {
    assert.match(findings.find((f) => f.ruleId === id)!.message, /none of the tenant's Windows configuration profiles \(it has one, `windows-asr-audit`\) turns on /, id);
  }
});

test('the Windows security baseline missing among several profiles: "none … is the Windows security baseline", not "turns on"', async () => {
  const { findings } = await runFixture(fixture('windows-security-baseline-missing', 'fires-only-other-baselines'));
  const f = findings.find((x) => x.ruleId === 'windows-security-baseline-missing')!;
  assert.match(f.message, /is the Windows security baseline|is not the Windows security baseline/);
  assert.doesNotMatch(f.message, /turns on the Windows security baseline/);
});

test('nothing onboards the Macs: the Defender messages say to keep the custom onboarding profile as a raw Graph export, as a custom profile under kind ConfigurationProfile is a schema error (round 30, t18-dlp-macos-custom-onboarding)', async () => {
  const { findings } = await runFixture(fixture('defender-requires-onboarding', 'fires-macos-not-onboarded'));
  const f = findings.find((x) => x.ruleId === 'defender-requires-onboarding')!;
  assert.match(f.message, /create one and keep it in the tenant folder as a raw Graph export \(the JSON Graph returns for it, with no `kind`/);
  const dlp = await runFixture(fixture('dlp-requires-defender-onboarding', 'fires-macos-edr-profile-only'));
  const d = dlp.findings.find((x) => x.ruleId === 'dlp-requires-defender-onboarding');
  assert.ok(d);
  assert.match(d.message, /kept in the tenant folder as a raw Graph export, with no `kind`/);
});

test('a security baseline that turns BitLocker off: the finding names the baseline and says to change the setting there, not to create a profile that would conflict with it (round 30, t26-baseline-asr-audit)', async () => {
  const { findings } = await runFixture(fixture('bitlocker-not-configured', 'fires-baseline-turns-it-off'));
  const f = findings.find((x) => x.ruleId === 'bitlocker-not-configured')!;
  assert.match(f.message, /; the security baseline `win-security-baseline` sets `device_vendor_msft_bitlocker_requiredeviceencryption`, but not to /);
  assert.match(f.message, /Set Require Device Encryption \(`device_vendor_msft_bitlocker_requiredeviceencryption`\) to Enabled in the security baseline `win-security-baseline` \(that baseline turns BitLocker off on the devices it reaches: a second profile turning it on for them would set the same setting to another value, a conflict in which Intune applies neither value, `setting-conflict`\)$/);
  assert.doesNotMatch(f.message, /Create a BitLocker profile/);
});

test('a macOS custom onboarding profile written under kind ConfigurationProfile: onboarding is unknown, not missing; the DLP policy gets a warning naming the file, not the error "reaches no device", and layers 6 and 7 say unknown with the same reason (round 30, t18-dlp-macos-custom-onboarding)', async () => {
  const dir = fixture('dlp-requires-defender-onboarding', 'fires-macos-onboarding-under-kind');
  const { service, findings } = await runFixture(dir);
  const dlp = findings.filter((x) => x.ruleId === 'dlp-requires-defender-onboarding');
  assert.equal(dlp.length, 1);
  assert.equal(dlp[0]!.severity, 'warning');
  assert.match(dlp[0]!.message, /may reach no device: .*`mac-mde-onboarding` carries the onboarding payload, `com\.microsoft\.wdav\.atp`, but is written under `kind: ConfigurationProfile`/);
  assert.match(dlp[0]!.message, /see its schema error/);
  assert.doesNotMatch(dlp[0]!.message, /reaches no device/);
  // defender-requires-onboarding holds back on the Macs: the schema error is what speaks for the file.
  assert.ok(!findings.some((x) => x.ruleId === 'defender-requires-onboarding' && /Macs/.test(x.message)));
  const macOS = modelOf(service.view(dir)).defender.onboarding('macOS');
  assert.equal(macOS.onboarded, false);
  assert.deepEqual(macOS.gaps, []);
  assert.match(macOS.unknownWhy ?? '', /`mac-mde-onboarding` carries the macOS onboarding payload .* \(see its schema error\)/);
  const states = layerStates(service.view(dir), findings, (id) => ruleById(id));
  for (const n of [6, 7]) assert.match(JSON.stringify(states.find((s) => s.layer === n)), /unknown: `mac-mde-onboarding` carries the macOS onboarding payload/, `layer ${n}`);
});

/**
 * Which platforms the policies show in use, when the manifest lists none: one answer (`evidencedPlatformsOf` in
 * `reads.ts`) for the tenant model and for the `platforms` that `ztp import` writes to a new manifest. An enrollment
 * restriction that blocks its platform shows the platform kept out, not in use (AzFrameworks/SecureTenant's
 * privileged-workstation tenant, whose report told the admin to allow iOS "there").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseText } from '../../server/src/core/document';
import { collectFacts, type FileFacts } from '../../server/src/core/facts';
import { changedReads, evidencedPlatformsOf, READS_PLATFORMS, type Read } from '../../server/src/core/reads';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { modelOf } from '../../server/src/core/model/index';
import { FIXTURE_NOW, FIXTURES } from '../harness/fixtures';
import { tmp, ztp } from '../harness/interop';

/** A platform restriction for `platformType` as Graph exports it (our own values). */
const restriction = (displayName: string, platformType: string, platformBlocked: boolean, personalDeviceEnrollmentBlocked: boolean): string =>
  JSON.stringify({
    '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration',
    displayName,
    description: '',
    priority: 1,
    platformType,
    platformRestriction: { platformBlocked, personalDeviceEnrollmentBlocked, osMinimumVersion: '', osMaximumVersion: '', blockedManufacturers: [] },
  });

test('ztp import: a platform that an enrollment restriction blocks is not a platform in use; one that blocks only personal devices is', async () => {
  const src = tmp('ztp-blocked-platform-src-');
  const out = tmp('ztp-blocked-platform-out-');
  // A privileged-workstation tenant shaped as AzFrameworks/SecureTenant's: Windows allowed (personal devices blocked),
  // iOS, macOS and Android device administrator blocked.
  writeFileSync(join(src, 'PAW-Windows-Restrictions.json'), restriction('PAW - Windows - Restrictions', 'windows', false, true));
  writeFileSync(join(src, 'PAW-iOS-Restrictions.json'), restriction('PAW - iOS - Restrictions', 'ios', true, false));
  writeFileSync(join(src, 'PAW-macOS-Restrictions.json'), restriction('PAW - macOS - Restrictions', 'mac', true, false));
  writeFileSync(join(src, 'PAW-Android-Restrictions.json'), restriction('PAW - Android DA - Restrictions', 'android', true, true));
  try {
    const r = await ztp(['import', src, '--out', out, '--license', 'M365_E3']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parse(readFileSync(join(out, 'zerotrust.yaml'), 'utf8')).platforms, ['windows']);
    // The report no longer counts iOS among the platforms to enroll, and so never asks to allow it.
    const report = await ztp(['report', out]);
    assert.doesNotMatch(report.stdout, /blocks iOS\/iPadOS .*allow it there/);
    assert.doesNotMatch(report.stdout, /iOS\/iPadOS ✗/);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
  // The contrast: iOS restricted to corporate devices (Apple Business Manager enrolls them) is a platform in use.
  const src2 = tmp('ztp-corporate-platform-src-');
  const out2 = tmp('ztp-corporate-platform-out-');
  writeFileSync(join(src2, 'PAW-Windows-Restrictions.json'), restriction('PAW - Windows - Restrictions', 'windows', false, true));
  writeFileSync(join(src2, 'Staff-iOS-Corporate-only.json'), restriction('Staff - iOS - Corporate only', 'ios', false, true));
  try {
    const r = await ztp(['import', src2, '--out', out2, '--license', 'M365_E3']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parse(readFileSync(join(out2, 'zerotrust.yaml'), 'utf8')).platforms, ['windows', 'iOS']);
  } finally {
    rmSync(src2, { recursive: true, force: true });
    rmSync(out2, { recursive: true, force: true });
  }
});

test('the model, when the manifest lists no platforms, reads a blocking restriction as import does: iOS blocked is not in use, iOS blocked for personal devices only is', async () => {
  for (const [fixture, platforms] of [
    ['ok-undeclared-platforms-restriction-blocks-ios', ['windows']],
    ['fires-undeclared-platforms-restriction-blocks-personal-ios', ['windows', 'iOS']],
  ] as const) {
    const dir = join(FIXTURES, 'ca-requires-compliance-policy', fixture);
    const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
    for (const f of await service.discover(dir)) await service.load(f);
    const model = modelOf(service.view(dir));
    assert.equal(model.platformsDeclared, false, fixture);
    assert.deepEqual([...model.platforms], platforms, fixture);
  }
});

test('unblocking a platform in an enrollment restriction changes the platforms in use: the rules that read them run again', () => {
  const file = (blocked: boolean): FileFacts =>
    collectFacts(
      parseText(
        'enrollment/paw-ios.yaml',
        `kind: EnrollmentRestriction\nname: paw-ios\nassignments:\n  include: [allUsers]\nspec:\n  "@odata.type": "#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration"\n  displayName: PAW - iOS\n  priority: 1\n  platformType: ios\n  platformRestriction:\n    platformBlocked: ${blocked}\n    personalDeviceEnrollmentBlocked: false\n`,
      ),
    );
  const blocked = file(true);
  const allowed = file(false);
  assert.ok(blocked.type === 'policy' && allowed.type === 'policy');
  assert.deepEqual(evidencedPlatformsOf(blocked), []);
  assert.deepEqual(evidencedPlatformsOf(allowed), ['iOS']);
  const changed = new Set<Read>();
  changedReads(blocked, allowed, changed);
  assert.ok(changed.has(READS_PLATFORMS));
});

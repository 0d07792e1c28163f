/**
 * The only compliance policy of an Android Enterprise corporate-owned (COPE) group sets OS version bounds no device meets
 * (osMinimumVersion 14.0 above osMaximumVersion 13.0), with `secureByDefault: true` (round 31 expert, F8 and t15). The
 * policy is for one enrollment type, so their devices may enroll another way; but then no compliance policy applies to
 * them, and `secureByDefault` marks a device with none noncompliant
 * (https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started). Every way ends noncompliant:
 * a compliant device on Android is unsatisfiable for them, a certain lockout, and layer 4 cannot read complete while its
 * prerequisite can never be met. One answer, the model's `unmeetableCompliance` (carried across edits by
 * `TenantModel.carry`), read by What If, the lockout check and the layer status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { prerequisiteLines } from '../../server/src/core/features/layer-status';
import type { TenantView } from '../../server/src/core/rule';
import { loadTenant, withCopy } from '../harness/tenant';

const DIR = join(__dirname, '..', 'fixtures-whatif', 'lockout-cope-unmeetable');
const SIGN_IN = { user: 'grp-cope-users', platform: 'android', app: 'All', clientApp: 'browser' };

function editFile(dir: string, file: string, edit: (text: string) => string): void {
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

function certainLockout(view: TenantView): void {
  const r = lockoutCheck(view);
  const f = r.findings.find((x) => x.policy === 'cope-compliant');
  assert.ok(f, JSON.stringify({ findings: r.findings, mayLockOut: r.mayLockOut }, null, 2));
  assert.equal(f.verdict, 'unsatisfiable');
  assert.deepEqual(f.platforms, ['android']);
  assert.match(f.explanation, /`secureByDefault: true` marks every other Android device of theirs .* noncompliant/);
  assert.match(f.fix, /^correct the OS version bounds of the Android compliance policy that no device meets \(see rule compliance-os-version-unmeetable\)/);
  assert.equal(r.mayLockOut, undefined);
}

test('secureByDefault on: every way the COPE users enroll ends noncompliant, a certain lockout, What If unsatisfiable, and layer 4\'s Android line unmet', async () => {
  const { view, findings } = await loadTenant(DIR);
  const w = evaluate(view, SIGN_IN);
  assert.equal(w.verdict, 'unsatisfiable', w.summary);
  const u = w.unsatisfiable.find((x) => x.policy === 'cope-compliant')!;
  assert.equal(u.rule, 'compliance-os-version-unmeetable');
  assert.equal(u.gap, 'osVersion');
  certainLockout(view);
  assert.ok(findings.some((f) => f.ruleId === 'compliance-os-version-unmeetable'));
  // Layer 4's prerequisite: the Android compliance line is unmet, so the layer cannot read complete.
  const line = prerequisiteLines(view, 4).lines.find((l) => l.label === 'Android')!;
  assert.equal(line.ok, false, JSON.stringify(line));
  assert.match(line.detail, /^android-cope, but no Android device can be compliant/);
});

test('near misses: secureByDefault undeclared, or a work profile policy that can be met beside it, leave it "may be locked out"', async () => {
  await withCopy(DIR, async (dir) => {
    editFile(dir, 'zerotrust.yaml', (t) => t.replace('  secureByDefault: true\n', ''));
    const { view } = await loadTenant(dir);
    const r = lockoutCheck(view);
    assert.equal(r.findings.length, 0, JSON.stringify(r.findings, null, 2));
    assert.ok(r.mayLockOut?.some((d) => d.policy === 'cope-compliant'));
    assert.equal(prerequisiteLines(view, 4).lines.find((l) => l.label === 'Android')!.ok, true);
  });
  await withCopy(DIR, async (dir) => {
    writeFileSync(
      join(dir, 'compliance', 'android-work-profile.yaml'),
      'kind: CompliancePolicy\nname: android-work-profile\nassignments: { include: [grp-cope-users] }\nspec:\n  "@odata.type": "#microsoft.graph.androidWorkProfileCompliancePolicy"\n  displayName: Android work profile - Compliance\n  osMinimumVersion: "13.0"\n  scheduledActionsForRule:\n    - ruleName: PasswordRequired\n      scheduledActionConfigurations:\n        - { actionType: block, gracePeriodHours: 0 }\n',
    );
    const { view } = await loadTenant(dir);
    const r = lockoutCheck(view);
    assert.equal(r.findings.length, 0, JSON.stringify(r.findings, null, 2));
    assert.ok(r.mayLockOut?.some((d) => d.policy === 'cope-compliant'));
  });
});

test('the answer is carried across an edit that does not touch what it reads, and follows the manifest when it changes', async () => {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-12-07T00:00:00Z'), incremental: true });
  for (const f of await service.discover(DIR)) await service.load(f);
  const root = DIR.replace(/\\/g, '/');
  service.analyzeTenant(root);
  certainLockout(service.view(root) as TenantView);
  // An edit of the CA policy: the compliance answers are taken over, and still certain.
  const ca = join(DIR, 'ca', 'cope-compliant.yaml');
  service.update(ca, readFileSync(ca, 'utf8').replace('Require compliant device', 'Require a compliant device'), 2);
  service.analyzeTenant(root);
  certainLockout(service.view(root) as TenantView);
  // The manifest without secureByDefault: a new answer, "may".
  const manifest = join(DIR, 'zerotrust.yaml');
  service.update(manifest, readFileSync(manifest, 'utf8').replace('  secureByDefault: true\n', ''), 2);
  service.analyzeTenant(root);
  const r = lockoutCheck(service.view(root) as TenantView);
  assert.equal(r.findings.length, 0);
  assert.ok(r.mayLockOut?.some((d) => d.policy === 'cope-compliant'));
});

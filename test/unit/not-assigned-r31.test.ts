/**
 * The thirty-first pass's finder, from public Intune material: an app protection policy, an Autopilot profile and an
 * enrollment restriction other than the default, each assigned to nobody, got no finding, and the layer status called
 * layer 2 complete (layer 1 partial only for a platform with no policy at all). One reading of "assigned to nobody"
 * (the model's `assignedToNobody`), read by the rules, the enrollment model, the grant evaluator and the layer status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/service';
import { layerStates } from '../../server/src/core/features/layer-status';
import { ruleById } from '../../server/src/core/rules/index';
import { assignedToNobody } from '../../server/src/core/model/targets';
import { modelOf } from '../../server/src/core/model/index';

const NOW = new Date('2026-06-01T00:00:00Z');

const MANIFEST = `kind: Tenant
name: not-assigned
licenses: [M365_E5]
platforms: [windows, iOS, android]
groups:
  - name: grp-staff
settings:
  mdmAuthority: intune
  applePushCertificate: { expirationDateTime: 2027-03-01 }
  androidEnterprise: { bindStatus: boundAndValidated }
`;

const MAM = (include: string) => `kind: AppProtectionPolicy
name: ios-mam
assignments:
  include: ${include}
spec:
  "@odata.type": "#microsoft.graph.iosManagedAppProtection"
  displayName: iOS - BYOD - App Protection
  pinRequired: true
  deviceComplianceRequired: true
  appGroupType: allMicrosoftApps
`;

const AUTOPILOT = (include: string) => `kind: AutopilotProfile
name: win-default
assignments:
  include: ${include}
spec:
  "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile"
  displayName: Win_Default
  deviceNameTemplate: FWP-%SERIAL%
`;

const RESTRICTION = (include: string, priority = 1) => `kind: EnrollmentRestriction
name: block-personal-android
assignments:
  include: ${include}
spec:
  "@odata.type": "#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration"
  displayName: Android - block personal
  platformType: androidForWork
  priority: ${priority}
  platformRestriction:
    platformBlocked: false
    personalDeviceEnrollmentBlocked: true
`;

function tenant(files: Record<string, string>, rules: Record<string, 'off'> = {}) {
  const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] }, now: () => NOW });
  service.settings = { rules };
  service.update('/t/zerotrust.yaml', MANIFEST, 1);
  for (const [path, text] of Object.entries(files)) service.update(`/t/${path}`, text, 1);
  const findings = service.analyzeTenant('/t');
  const view = service.view('/t');
  const states = layerStates(view, findings, (id) => ruleById(id));
  return { view, findings, layer: (n: number) => states.find((s) => s.layer === n)! };
}

const UNASSIGNED = { 'ios-mam.yaml': MAM('[]'), 'autopilot.yaml': AUTOPILOT('[]'), 'restriction.yaml': RESTRICTION('[]') };
const OFF = { 'app-protection-not-assigned': 'off', 'autopilot-profile-assignment': 'off', 'enrollment-restriction-not-assigned': 'off' } as const;

test('an app protection policy, an Autopilot profile and a non-default restriction assigned to nobody are each reported (repro not-assigned)', () => {
  const t = tenant(UNASSIGNED);
  const of = (rule: string) => t.findings.filter((f) => f.ruleId === rule).map((f) => f.file.replace('/t/', ''));
  assert.deepEqual(of('app-protection-not-assigned'), ['ios-mam.yaml']);
  assert.deepEqual(of('autopilot-profile-assignment'), ['autopilot.yaml']);
  assert.deepEqual(of('enrollment-restriction-not-assigned'), ['restriction.yaml']);
  for (const f of t.findings.filter((x) => x.ruleId.endsWith('not-assigned') || x.ruleId === 'autopilot-profile-assignment')) {
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /is assigned to nobody/);
  }
});

test('assigned, the same three files get no such finding', () => {
  const t = tenant({ 'ios-mam.yaml': MAM('[grp-staff]'), 'autopilot.yaml': AUTOPILOT('[allDevices]'), 'restriction.yaml': RESTRICTION('[grp-staff]') });
  assert.deepEqual(t.findings.filter((f) => ['app-protection-not-assigned', 'autopilot-profile-assignment', 'enrollment-restriction-not-assigned'].includes(f.ruleId)), []);
  assert.equal(t.layer(2).status, 'complete');
});

test('the default restriction applies to everyone no other one reaches: never assigned to nobody', () => {
  const t = tenant({ 'restriction.yaml': RESTRICTION('[]', 0) });
  const p = t.view.policies.find((x) => x.kind === 'EnrollmentRestriction')!;
  assert.equal(assignedToNobody(p), false);
  assert.deepEqual(t.findings.filter((f) => f.ruleId === 'enrollment-restriction-not-assigned'), []);
});

test('policies assigned to nobody do not make their layer complete, whatever the rules\' severity (one answer: the layer status)', () => {
  const t = tenant(UNASSIGNED, OFF);
  assert.deepEqual(t.findings.filter((f) => f.severity === 'warning' && f.layer !== 4), []);
  const one = t.layer(1);
  const two = t.layer(2);
  assert.equal(two.status, 'partial');
  assert.deepEqual(two.assignedToNobody, ['win-default', 'block-personal-android']);
  assert.match(two.reason ?? '', /every policy of the layer is assigned to nobody \(win-default, block-personal-android\)/);
  assert.equal(one.status, 'partial');
  // iOS has an app protection policy, assigned to nobody: it does not count for the platform.
  const ios = one.prerequisites.lines.find((l) => l.label === 'iOS/iPadOS')!;
  assert.equal(ios.ok, false);
  assert.match(ios.detail, /ios-mam is assigned to nobody/);
});

test('the enrollment model reads a restriction assigned to nobody as restricting no one, and one assigned to a target it does not read as applying to whom it may', () => {
  // The default blocks personally owned work profiles; a restriction of priority 1 lets them enroll.
  const blockByDefault = RESTRICTION('[allUsers]', 0).replace('name: block-personal-android', 'name: default-android');
  const allow = (assignments: unknown) =>
    JSON.stringify({
      '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration',
      displayName: 'Android - allow personal',
      platformType: 'androidForWork',
      priority: 1,
      platformRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: false },
      assignments,
    });
  const nobody = tenant({ 'default.yaml': blockByDefault, 'allow.json': allow([]) });
  assert.equal(modelOf(nobody.view).enrollment.forUser('androidForWork', ['grp-staff']).state, 'blocked');
  assert.equal(nobody.findings.filter((f) => f.ruleId === 'enrollment-restriction-not-assigned').length, 1);
  // A Configuration Manager collection: a target the files do not resolve, not nobody. It may apply first.
  const collection = tenant({ 'default.yaml': blockByDefault, 'allow.json': allow([{ target: { '@odata.type': '#microsoft.graph.configurationManagerCollectionAssignmentTarget', collectionId: 'SMS00001' } }]) });
  const p = collection.view.policies.find((x) => x.path.endsWith('allow.json'))!;
  assert.equal(assignedToNobody(p), false);
  assert.deepEqual(collection.findings.filter((f) => f.ruleId === 'enrollment-restriction-not-assigned'), []);
  assert.equal(modelOf(collection.view).enrollment.forUser('androidForWork', ['grp-staff']).state, 'unknown');
});

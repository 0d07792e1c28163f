/**
 * The layer status as an admin signing off a tenant reads it (features/layer-status.ts), on tenants shaped like the
 * expert panel's (/tmp/sweep/expert21*): what "blocked" means when one policy lacks a licence, layer 1 while its
 * only app protection Conditional Access policy is report-only, the layer a layer 1 policy's gap holds back, and one
 * reason read by the Markdown report, the HTML report and the tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { layerStates, layerReportMarkdown, STATUS_MEANINGS, type LayerState } from '../../server/src/core/features/layer-status';
import { policyDescription } from '../../client/src/layers-model';
import { reportHtml } from '../../server/src/core/features/report/html';
import { reportMarkdown } from '../../server/src/core/features/report/markdown';
import { ruleById } from '../../server/src/core/rules/index';
import { tenantLayers } from '../../server/src/lsp/layers';
import { runFixture } from '../harness/fixtures';
import { modelOf } from '../../server/src/core/model/index';
import { PROTECTIONS, protectionsOfFamily, protectionsOfTemplate, TEMPLATE_FAMILIES, TEMPLATE_IDS } from '../../server/src/core/template-families';

const NOW = new Date('2026-06-01T00:00:00Z');

function memoryService() {
  return createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] }, now: () => NOW });
}

const MANIFEST = (licenses: string, platforms = 'windows, iOS') => `kind: Tenant
name: school
licenses: [${licenses}]
platforms: [${platforms}]
groups:
  - name: grp-staff
  - name: grp-students
  - name: grp-breakglass
    members: [bg1@school.example]
breakGlass:
  groups: [grp-breakglass]
  users: [bg1@school.example]
settings:
  mdmAuthority: intune
  secureByDefault: true
  applePushCertificate: { expirationDateTime: 2027-08-01 }
`;

const WINDOWS_COMPLIANCE = `kind: CompliancePolicy
name: windows-compliance
assignments:
  include: [allDevices]
spec:
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"
  displayName: windows-compliance
  bitLockerEnabled: true
  secureBootEnabled: true
  codeIntegrityEnabled: true
  scheduledActionsForRule:
    - ruleName: PasswordRequired
      scheduledActionConfigurations:
        - { actionType: block, gracePeriodHours: 0 }
`;

const IOS_COMPLIANCE = WINDOWS_COMPLIANCE.replace(/windows-compliance/g, 'ios-compliance').replace('windows10CompliancePolicy', 'iosCompliancePolicy').replace(/  bitLockerEnabled: true\n  secureBootEnabled: true\n  codeIntegrityEnabled: true\n/, '  securityBlockJailbrokenDevices: true\n');

const appProtection = (platform: 'ios' | 'android') => `kind: AppProtectionPolicy
name: ${platform}-app-protection
assignments:
  include: [allUsers]
spec:
  "@odata.type": "#microsoft.graph.${platform}ManagedAppProtection"
  displayName: ${platform}-app-protection
  pinRequired: true
  minimumPinLength: 6
  deviceComplianceRequired: true
  appActionIfDeviceComplianceRequired: block
  periodOfflineBeforeWipeIsEnforced: P90D
`;

/** A CA policy for grp-students (grp-staff with `staff`), break-glass excluded. */
function ca(name: string, state: string, grant: string, extra = '', platforms = '{ includePlatforms: [windows, iOS] }', group = 'grp-students'): string {
  return `kind: ConditionalAccessPolicy
name: ${name}
spec:
  displayName: ${name}
  state: ${state}
  conditions:
    users:
      includeGroups: [${group}]
      excludeGroups: [grp-breakglass]
      excludeUsers: [bg1@school.example]
    applications: { includeApplications: [All] }
    clientAppTypes: [all]
    platforms: ${platforms}
${extra}  grantControls: { operator: OR, builtInControls: [${grant}] }
`;
}

function tenant(files: Record<string, string>, licenses = 'M365_A3', platforms?: string) {
  const service = memoryService();
  service.update('/t/zerotrust.yaml', MANIFEST(licenses, platforms), 1);
  for (const [path, text] of Object.entries(files)) service.update(`/t/${path}`, text, 1);
  const findings = service.analyzeTenant('/t');
  const view = service.view('/t');
  const states = layerStates(view, findings, (id) => ruleById(id));
  return { service, view, findings, states, layer: (n: number): LayerState => states.find((s) => s.layer === n)! };
}

/**
 * Expert tenant t01-education's layer 4: an enabled compliant-device policy for the students beside a sign-in risk
 * policy for the staff that needs Entra ID P2, which A3 (the tenant's licence) does not include.
 */
function educationFiles(): Record<string, string> {
  return {
    'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE,
    'compliance/ios-compliance.yaml': IOS_COMPLIANCE,
    'conditional-access/ca-students-compliant-device.yaml': ca('ca-students-compliant-device', 'enabled', 'compliantDevice'),
    'conditional-access/ca-staff-sign-in-risk-mfa.yaml': ca('ca-staff-sign-in-risk-mfa', 'enabled', 'mfa', '    signInRiskLevels: [high, medium]\n', '{ includePlatforms: [all] }', 'grp-staff'),
  };
}

test('one Conditional Access policy without its licence leaves layer 4 partial while the compliant-device policy is licensed and enabled (expert tenant t01-education)', () => {
  const t = tenant(educationFiles());
  assert.ok(t.findings.some((f) => f.ruleId === 'license-missing' && f.severity === 'error' && f.file.endsWith('ca-staff-sign-in-risk-mfa.yaml')));
  const four = t.layer(4);
  assert.equal(four.status, 'partial');
  assert.deepEqual(four.blockedBy, []);
  assert.deepEqual(four.unlicensed, ['ca-staff-sign-in-risk-mfa']);
  assert.deepEqual(four.jobDoneBy, ['ca-students-compliant-device']);
  assert.match(four.reason ?? '', /^ca-staff-sign-in-risk-mfa needs a licence the manifest does not list \(license-missing\); ca-students-compliant-device, licensed and in force, does the layer's job/);
  // The licence error is said once, as the licence, not again among the findings that remain.
  assert.doesNotMatch(four.reason ?? '', /findings remain: .*license-missing/);
});

test('a layer whose every policy lacks its licence, or whose only licensed policy is report-only, is blocked (expert tenant t02-gcc-high, layer 7)', () => {
  const dlp = 'kind: EndpointDlpPolicy\nname: dlp-cui\nspec:\n  mode: Enable\n  locations:\n    devices: { include: [All] }\n  rules:\n    - name: block-usb\n      restrictions:\n        - { activity: copyToRemovableMedia, action: block }\n';
  const seven = tenant({ 'dlp/dlp-cui.yaml': dlp }, 'M365_E3', 'windows').layer(7);
  assert.equal(seven.status, 'blocked');
  // (No device is onboarded to Defender either: that error blocks it too.)
  assert.ok(seven.blockedBy.includes('license-missing on dlp-cui'), seven.blockedBy.join('; '));
  assert.deepEqual(seven.unlicensed, []);
  // Layer 4: the risk policy lacks P2, and the compliant-device policy that has its licence is only report-only. The
  // risk policy does not do layer 4's job, so its licence does not block the layer: the rollout holds it back.
  const four = tenant({
    'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE,
    'conditional-access/ca-students-compliant-device.yaml': ca('ca-students-compliant-device', 'enabledForReportingButNotEnforced', 'compliantDevice', '', '{ includePlatforms: [windows] }'),
    'conditional-access/ca-staff-sign-in-risk-mfa.yaml': ca('ca-staff-sign-in-risk-mfa', 'enabled', 'mfa', '    signInRiskLevels: [high]\n', '{ includePlatforms: [all] }', 'grp-staff'),
  }, 'M365_A3', 'windows').layer(4);
  assert.equal(four.status, 'partial');
  assert.deepEqual(four.blockedBy, []);
  assert.deepEqual(four.unlicensed, ['ca-staff-sign-in-risk-mfa']);
  assert.match(four.reason ?? '', /no enabled Conditional Access policy requires a compliant device yet: ca-students-compliant-device is report-only or off/);
  assert.match(four.reason ?? '', /ca-staff-sign-in-risk-mfa needs a licence the manifest does not list \(license-missing\)(;|$)/);
});

test('a licence missing on a policy that does not do the layer\'s job does not block it: a risk policy without P2 beside an MFA policy, no compliant-device policy yet (review tenant t-lic)', () => {
  const t = tenant({
    'conditional-access/ca-all-mfa.yaml': ca('ca-all-mfa', 'enabled', 'mfa', '', '{ includePlatforms: [all] }', 'grp-staff'),
    'conditional-access/ca-risk.yaml': ca('ca-risk', 'enabled', 'block', '    signInRiskLevels: [high]\n', '{ includePlatforms: [all] }', 'grp-staff'),
  }, 'M365_E3', 'windows');
  assert.ok(t.findings.some((f) => f.ruleId === 'license-missing' && f.severity === 'error' && f.file.endsWith('ca-risk.yaml')));
  const four = t.layer(4);
  assert.equal(four.status, 'partial');
  assert.deepEqual(four.blockedBy, []);
  assert.deepEqual(four.unlicensed, ['ca-risk']);
  assert.deepEqual(four.jobDoneBy, []);
  assert.match(four.reason ?? '', /ca-risk needs a licence the manifest does not list \(license-missing\)/);
  assert.doesNotMatch(four.reason ?? '', /does the layer's job/);
  assert.equal(four.notEnforced, 'no Conditional Access policy requires a compliant device yet');
  // The same risk policy beside a compliant-device policy without its licence (Entra ID P1 alone): that one blocks it.
  const blocked = tenant({
    'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE,
    'conditional-access/ca-comp.yaml': ca('ca-comp', 'enabled', 'compliantDevice', '', '{ includePlatforms: [windows] }'),
    'conditional-access/ca-risk.yaml': ca('ca-risk', 'enabled', 'block', '    signInRiskLevels: [high]\n', '{ includePlatforms: [all] }', 'grp-staff'),
  }, 'ENTRA_ID_P1', 'windows').layer(4);
  assert.equal(blocked.status, 'blocked');
  assert.ok(blocked.blockedBy.includes('license-missing on ca-comp'), blocked.blockedBy.join('; '));
  assert.ok(!blocked.blockedBy.includes('license-missing on ca-risk'), blocked.blockedBy.join('; '));
});

test('layer 4 is blocked when its only compliant-device policy lacks its licence, whatever MFA policy is enabled beside it (review tenant t-lic2)', () => {
  // Entra ID P1 alone: Conditional Access, but no Intune, so a compliant device cannot be required.
  const files = (compliantState: string) => ({
    'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE,
    'conditional-access/ca-students-compliant-device.yaml': ca('ca-students-compliant-device', compliantState, 'compliantDevice', '', '{ includePlatforms: [windows] }'),
    'conditional-access/ca-all-mfa.yaml': ca('ca-all-mfa', 'enabled', 'mfa', '', '{ includePlatforms: [all] }'),
  });
  const t = tenant(files('enabled'), 'ENTRA_ID_P1', 'windows');
  assert.ok(t.findings.some((f) => f.ruleId === 'license-missing' && f.severity === 'error' && f.file.endsWith('ca-students-compliant-device.yaml')));
  assert.ok(!t.findings.some((f) => f.ruleId === 'license-missing' && f.file.endsWith('ca-all-mfa.yaml')), 'the MFA policy is licensed');
  const four = t.layer(4);
  assert.equal(four.licensed, false);
  // The enabled MFA policy is licensed and in force, but does not require a compliant device: not the layer's job.
  assert.equal(four.status, 'blocked');
  assert.deepEqual(four.blockedBy, ['license-missing on ca-students-compliant-device']);
  assert.deepEqual(four.unlicensed, []);
  assert.doesNotMatch(four.reason ?? '', /licensed and in force/);
  // The same two policies where the tenant has Intune (Microsoft 365 E3): nothing blocks the layer.
  assert.notEqual(tenant(files('enabled'), 'M365_E3', 'windows').layer(4).status, 'blocked');
});

test('layer 1 is partial while the only Conditional Access policy asking for app protection is report-only, whichever layer it is filed under (review tenant t-l1b)', () => {
  const files = (state: string) => ({
    'app-protection/ios-app-protection.yaml': appProtection('ios'),
    'app-protection/android-app-protection.yaml': appProtection('android'),
    'compliance/ios-compliance.yaml': IOS_COMPLIANCE,
    // A compliant device or app protection: filed under layer 4, yet it asks for app protection too.
    'conditional-access/ca-compliant-or-app-protection.yaml': ca('ca-compliant-or-app-protection', state, 'compliantDevice, compliantApplication', '', '{ includePlatforms: [iOS, android] }', 'grp-staff'),
  });
  const reportOnly = tenant(files('enabledForReportingButNotEnforced'), 'M365_E5', 'iOS, android');
  assert.equal(reportOnly.view.policies.find((p) => p.name === 'ca-compliant-or-app-protection')?.layer, 4);
  const one = reportOnly.layer(1);
  assert.equal(one.status, 'partial');
  assert.equal(one.notEnforced, 'no enabled Conditional Access policy requires app protection yet: ca-compliant-or-app-protection is report-only or off');
  // Enabled, it requires app protection (the model's `appProtectionRequiredBy`): layer 1 is enforced.
  const enabled = tenant(files('enabled'), 'M365_E5', 'iOS, android');
  assert.ok(enabled.view.policies.some((p) => p.name === 'ca-compliant-or-app-protection' && p.spec?.state === 'enabled'));
  assert.equal(enabled.layer(1).notEnforced, undefined);
  assert.equal(enabled.layer(1).status, 'complete');
});

test('layer 1 is partial while the only Conditional Access policy requiring app protection is report-only or off, complete once it is enabled (expert tenant t08-report-only-rollout)', () => {
  const files = (state: string, grant = 'compliantApplication') => ({
    'app-protection/ios-app-protection.yaml': appProtection('ios'),
    'app-protection/android-app-protection.yaml': appProtection('android'),
    'conditional-access/ca-mobile-require-app-protection.yaml': ca('ca-mobile-require-app-protection', state, grant, '', '{ includePlatforms: [iOS, android] }', 'grp-staff'),
  });
  const reportOnly = tenant(files('enabledForReportingButNotEnforced'), 'M365_E5', 'iOS, android').layer(1);
  assert.equal(reportOnly.status, 'partial');
  assert.equal(reportOnly.reason, 'no enabled Conditional Access policy requires app protection yet: ca-mobile-require-app-protection is report-only or off');
  assert.equal(tenant(files('disabled'), 'M365_E5', 'iOS, android').layer(1).status, 'partial');
  const enabled = tenant(files('enabled'), 'M365_E5', 'iOS, android').layer(1);
  assert.equal(enabled.status, 'complete');
  assert.equal(enabled.reason, undefined);
  // Enabled, but asking only for the retired approved client app: nothing is enforced (and the rule says so too).
  const retired = tenant(files('enabled', 'approvedApplication'), 'M365_E5', 'iOS, android');
  assert.equal(retired.layer(1).status, 'partial');
  assert.match(retired.layer(1).reason ?? '', /ca-mobile-require-app-protection asks only for the approved client app, retired in .* and no longer enforced; findings remain: approved-app-grant-retired \(warning\)/);
  // The layer 1 policy report-only, while an enabled layer 4 policy asks for app protection or a compliant device on
  // iOS (expert tenant t01-education's ca-staff-ios-app-protection): app protection is enforced there.
  const either = tenant({
    ...files('enabledForReportingButNotEnforced'),
    'compliance/ios-compliance.yaml': IOS_COMPLIANCE,
    'conditional-access/ca-staff-ios-app-protection.yaml': ca('ca-staff-ios-app-protection', 'enabled', 'compliantApplication, compliantDevice', '', '{ includePlatforms: [iOS] }', 'grp-staff'),
  }, 'M365_E5', 'iOS, android');
  assert.equal(either.layer(1).notEnforced, undefined);
  // App protection policies with no Conditional Access policy asking for them: the protection applies in the apps.
  const alone = tenant({ 'app-protection/ios-app-protection.yaml': appProtection('ios'), 'app-protection/android-app-protection.yaml': appProtection('android') }, 'M365_E5', 'iOS, android').layer(1);
  assert.equal(alone.status, 'complete');
});

test('a layer 1 Conditional Access policy that cannot be met holds layer 1 back, not layer 4 (expert tenant t02-mam-windows-edge)', () => {
  const t = tenant({
    'app-protection/ios-app-protection.yaml': appProtection('ios'),
    'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE,
    'conditional-access/ca-windows-compliant.yaml': ca('ca-windows-compliant', 'enabled', 'compliantDevice', '', '{ includePlatforms: [windows] }'),
    // App protection on Windows desktop apps: only Edge has a Windows app protection policy, and the tenant has none.
    'conditional-access/ca-windows-desktop-app-protection.yaml': ca('ca-windows-desktop-app-protection', 'enabled', 'compliantApplication', '', '{ includePlatforms: [windows] }', 'grp-staff').replace('clientAppTypes: [all]', 'clientAppTypes: [mobileAppsAndDesktopClients]'),
  }, 'M365_E5');
  const gap = t.findings.find((f) => f.ruleId === 'ca-requires-app-protection');
  assert.equal(gap?.layer, 1);
  assert.equal(t.layer(1).status, 'blocked');
  assert.deepEqual(t.layer(1).blockedBy, ['ca-requires-app-protection on ca-windows-desktop-app-protection']);
  assert.notEqual(t.layer(4).status, 'blocked');
  assert.ok(!t.layer(4).unmet.some((f) => f.ruleId === 'ca-requires-app-protection'));
});

test('ca-group-alignment on an app-only Conditional Access policy counts in layer 1, as ca-requires-app-protection does (expert tenants t06-app-group-mismatch, t27-app-excludes-group)', () => {
  const t = tenant({
    // App protection for grp-staff only, while the app-only CA policy targets grp-students: their app meets nothing.
    'app-protection/ios-app-protection.yaml': appProtection('ios').replace('include: [allUsers]', 'include: [grp-staff]'),
    'conditional-access/ca-students-app.yaml': ca('ca-students-app', 'enabled', 'compliantApplication', '', '{ includePlatforms: [iOS] }'),
  }, 'M365_E5', 'iOS');
  const gap = t.findings.find((f) => f.ruleId === 'ca-group-alignment');
  assert.equal(gap?.layer, 1, JSON.stringify(t.findings.map((f) => [f.ruleId, f.layer])));
  assert.equal(t.layer(1).status, 'partial');
  assert.match(t.layer(1).reason ?? '', /findings remain: ca-group-alignment \(warning\) on ca-students-app/);
  assert.ok(!t.layer(4).unmet.some((f) => f.ruleId === 'ca-group-alignment'));
  // A policy that asks for a compliant device too stays layer 4's.
  const both = tenant({
    'app-protection/ios-app-protection.yaml': appProtection('ios').replace('include: [allUsers]', 'include: [grp-staff]'),
    'compliance/ios-compliance.yaml': IOS_COMPLIANCE.replace(/include: \[[^\]]*\]/, 'include: [grp-staff]'),
    'conditional-access/ca-students-both.yaml': ca('ca-students-both', 'enabled', 'compliantDevice, compliantApplication', '', '{ includePlatforms: [iOS] }').replace('operator: OR', 'operator: AND'),
  }, 'M365_E5', 'iOS');
  const four = both.findings.find((f) => f.ruleId === 'ca-group-alignment');
  assert.equal(four?.layer, 4, JSON.stringify(both.findings.map((f) => [f.ruleId, f.layer])));
});

test('a layer partial only by a finding says which finding (expert tenants t07-guests-b2b, t09-multi-compliance-per-group)', () => {
  const t = tenant({
    'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE.replace('include: [allDevices]', 'include: [grp-staff]'),
    'conditional-access/ca-students-compliant-device.yaml': ca('ca-students-compliant-device', 'enabled', 'compliantDevice', '', '{ includePlatforms: [windows] }'),
  }, 'M365_E5', 'windows');
  const four = t.layer(4);
  assert.equal(four.status, 'partial');
  assert.ok(four.warnings > 0);
  assert.match(four.reason ?? '', /findings remain: ca-group-alignment \(warning\) on ca-students-compliant-device/);
});

test('layer 3 is partial while a platform the manifest lists has no compliance policy, not for phones kept to app protection (expert tenant t20-layer3-mac-missing)', () => {
  const files = {
    'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE,
    'app-protection/android-app-protection.yaml': appProtection('android'),
  };
  // Windows and macOS listed, a Windows compliance policy only: macOS devices meet no minimum requirements.
  const three = tenant(files, 'M365_E5', 'windows, macOS, android').layer(3);
  assert.equal(three.status, 'partial');
  assert.deepEqual(three.prerequisites.lines.filter((l) => / compliance$/.test(l.label)).map((l) => [l.label, l.ok, l.detail]), [
    ['Windows compliance', true, 'windows-compliance'],
    ['macOS compliance', false, 'no compliance policy'],
  ]);
  assert.match(three.reason ?? '', /Enrolled devices \(layer 2\) and compliance policies: macOS compliance ✗ — no compliance policy/);
  // Android is kept to app protection (BYOD): no compliance line, and with Windows alone listed the layer is complete.
  const winOnly = tenant(files, 'M365_E5', 'windows, android').layer(3);
  assert.equal(winOnly.status, 'complete', winOnly.reason);
  // With a macOS compliance policy the layer is complete; the report's table says so.
  const mac = WINDOWS_COMPLIANCE.replace(/windows-compliance/g, 'macos-compliance').replace('windows10CompliancePolicy', 'macOSCompliancePolicy').replace(/  bitLockerEnabled: true\n  secureBootEnabled: true\n  codeIntegrityEnabled: true\n/, '  storageRequireEncryption: true\n  systemIntegrityProtectionEnabled: true\n  gatekeeperAllowedAppSource: macAppStoreAndIdentifiedDevelopers\n');
  const both = tenant({ ...files, 'compliance/macos-compliance.yaml': mac }, 'M365_E5', 'windows, macOS, android').layer(3);
  assert.equal(both.status, 'complete', both.reason);
});

test('a layer whose prerequisite line is unknown (an undeclared fact) is partial, not complete, and says why; a co-management declaration settles its line (public source round 23b, repro layer2-complete-unknown)', () => {
  const restriction = `kind: EnrollmentRestriction
name: windows-enrollment-restriction
assignments:
  include: [allUsers]
spec:
  "@odata.type": "#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration"
  displayName: Windows - Corporate only
  priority: 1
  platformType: windows
  platformRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: true }
`;
  const files = { 'enrollment/windows-enrollment-restriction.yaml': restriction, 'compliance/ios-compliance.yaml': IOS_COMPLIANCE, 'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE };
  const service = memoryService();
  // The Apple MDM push certificate undeclared: whether iOS devices can enroll is unknown.
  service.update('/t/zerotrust.yaml', MANIFEST('M365_E5').replace('  applePushCertificate: { expirationDateTime: 2027-08-01 }\n', ''), 1);
  for (const [path, text] of Object.entries(files)) service.update(`/t/${path}`, text, 1);
  const states = layerStates(service.view('/t'), service.analyzeTenant('/t'), (id) => ruleById(id));
  const two = states.find((s) => s.layer === 2)!;
  assert.equal(two.status, 'partial');
  assert.match(two.reason ?? '', /Platform prerequisites \(layer 2\): iOS\/iPadOS \? \(unknown: the manifest does not declare `settings.applePushCertificate`\)/);
  // Declared, the line is met and the layer complete.
  assert.equal(tenant(files, 'M365_E5').layer(2).status, 'complete', tenant(files, 'M365_E5').layer(2).reason);
  // Co-managed Windows whose compliance Configuration Manager evaluates (declared): the files cannot show it, the
  // declaration settles it, and layer 4 is not held back by the line.
  const comanaged = memoryService();
  comanaged.update('/t/zerotrust.yaml', MANIFEST('M365_E5', 'windows').replace('  secureByDefault: true\n', '  secureByDefault: true\n  coManagement: { complianceWorkload: configurationManager }\n'), 1);
  comanaged.update('/t/enrollment/windows-enrollment-restriction.yaml', restriction, 1);
  comanaged.update('/t/conditional-access/ca.yaml', ca('ca-students-compliant-device', 'enabled', 'compliantDevice', '', '{ includePlatforms: [windows] }'), 1);
  const four = layerStates(comanaged.view('/t'), comanaged.analyzeTenant('/t'), (id) => ruleById(id)).find((s) => s.layer === 4)!;
  const line = four.prerequisites.lines.find((l) => l.label === 'Windows')!;
  assert.equal(line.declared, true);
  assert.doesNotMatch(four.reason ?? '', /Configuration Manager evaluates/);
});

test('layer 5 is partial, not complete, while its settings catalog profiles were exported without their settings (a configurationPolicies list); the configuration checks stay silent on them (public source round 24, repro list-export-complete)', () => {
  // As `ztp import` writes an item of a GET /deviceManagement/configurationPolicies list (no settings, no assignments).
  const listed = `kind: ConfigurationProfile
name: api-testing
spec:
  description: ""
  name: API Testing
  platforms: windows10
  technologies: mdm
  templateReference:
    templateFamily: none
`;
  const t = tenant({ 'configuration/api-testing.yaml': listed }, 'M365_E5', 'windows');
  const five = t.layer(5);
  // The BitLocker, ASR, LAPS and baseline checks cannot tell: unknown, so silent.
  assert.deepEqual(t.findings.filter((f) => f.layer === 5).map((f) => f.ruleId), []);
  assert.equal(five.status, 'partial');
  assert.deepEqual(five.withoutSettings, ['api-testing']);
  assert.equal(five.withoutAssignments, 1);
  assert.match(five.reason ?? '', /^unknown: 1 profile was exported without its settings nor its assignments \(api-testing\), .*export it with `GET \/deviceManagement\/configurationPolicies\/\{id\}\?\$expand=settings,assignments` \(https:\/\/learn\.microsoft\.com\/graph\/api\/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list/);
  // The reports and the tree say the same.
  assert.match(layerReportMarkdown(t.view, t.findings, (p) => p, (id) => ruleById(id)), /\| 5 · Configuration profiles \| 🟡 partial — unknown: 1 profile was exported without its settings/);
  // Exported with its assignments but still without its settings: said of the settings alone.
  const assigned = tenant({ 'configuration/api-testing.yaml': listed.replace('spec:\n', 'assignments:\n  include: [allDevices]\nspec:\n') }, 'M365_E5', 'windows').layer(5);
  assert.equal(assigned.withoutAssignments, 0);
  assert.match(assigned.reason ?? '', /^unknown: 1 profile was exported without its settings \(api-testing\)/);
  // Exported with its settings (none, here), or with a setting count of 0 as a raw export says: nothing unknown.
  const expanded = tenant({ 'configuration/api-testing.yaml': `${listed}  settings: []\n` }, 'M365_E5', 'windows').layer(5);
  assert.deepEqual(expanded.withoutSettings, []);
  assert.doesNotMatch(expanded.reason ?? '', /exported without/);
});

test('a profile exported without its settings leaves unknown only what its template family can hold, and nothing while assigned to nobody (audit x1-noexport, x4-unassigned)', () => {
  const disk = (platform: string, include: string): string => `kind: ConfigurationProfile
name: disk
assignments:
  include: ${include}
spec:
  name: Disk Encryption
  platforms: ${platform}
  technologies: mdm
  templateReference:
    templateId: 46ddfc50-d10f-4867-b852-9434254b3bff_1
    templateFamily: endpointSecurityDiskEncryption
`;
  const layer5 = (t: ReturnType<typeof tenant>): string[] => t.findings.filter((f) => f.layer === 5).map((f) => f.ruleId).sort();
  // Windows disk encryption: BitLocker unknown (silent), LAPS, ASR and the baseline still asked; the layer 5 line names BitLocker alone.
  const win = tenant({ 'configuration/disk.yaml': disk('windows10', '[allDevices]') }, 'M365_E5', 'windows');
  assert.deepEqual(layer5(win), ['asr-rules-not-configured', 'laps-not-configured', 'windows-security-baseline-missing']);
  assert.deepEqual(modelOf(win.view).profilesWithoutSettings().map((u) => [u.profile.name, u.any, u.holds]), [['disk', false, ['bitlocker']]]);
  assert.deepEqual(win.layer(5).withoutSettingsUnknown, ['BitLocker']);
  assert.match(win.layer(5).reason ?? '', /^unknown: 1 profile was exported without its settings \(disk\), .*so whether it turns on BitLocker is not known;/);
  // macOS disk encryption: FileVault, not the macOS firewall.
  const mac = tenant({ 'configuration/disk.yaml': disk('macOS', '[allDevices]') }, 'M365_E5', 'macOS');
  assert.deepEqual(layer5(mac), ['macos-firewall-not-configured']);
  assert.match(mac.layer(5).reason ?? '', /so whether it turns on FileVault is not known/);
  // Assigned to nobody: it delivers nothing, so nothing is unknown; BitLocker's finding names it.
  const idle = tenant({ 'configuration/disk.yaml': disk('windows10', '[]') }, 'M365_E5', 'windows');
  assert.deepEqual(layer5(idle), ['asr-rules-not-configured', 'bitlocker-not-configured', 'laps-not-configured', 'windows-security-baseline-missing']);
  assert.match(idle.findings.find((f) => f.ruleId === 'bitlocker-not-configured')!.message, /; `disk`, exported without its settings, may hold it, but is assigned to nobody, so it delivers nothing:/);
  assert.deepEqual(idle.layer(5).withoutSettings, []);
  // Its assignments not in the file either: unknown still.
  const unsaid = tenant({ 'configuration/disk.yaml': disk('windows10', '[allDevices]').replace(/assignments:\n  include: \[allDevices\]\n/, '') }, 'M365_E5', 'windows');
  assert.deepEqual(layer5(unsaid), ['asr-rules-not-configured', 'laps-not-configured', 'windows-security-baseline-missing']);
  assert.deepEqual(unsaid.layer(5).withoutSettings, ['disk']);
  // An antivirus profile holds none of the checks' protections: they all speak, and layer 5 lists no unknown.
  const av = tenant({ 'configuration/disk.yaml': disk('windows10', '[allDevices]').replace('46ddfc50-d10f-4867-b852-9434254b3bff_1', '804339ad-1553-4478-a742-138fb5807418_1').replace('endpointSecurityDiskEncryption', 'endpointSecurityAntivirus') }, 'M365_E5', 'windows');
  assert.deepEqual(layer5(av), ['asr-rules-not-configured', 'bitlocker-not-configured', 'laps-not-configured', 'windows-security-baseline-missing']);
  assert.deepEqual(av.layer(5).withoutSettings, []);
});

test('every template family row cites Learn, and names only protections the table knows', () => {
  for (const [family, row] of Object.entries(TEMPLATE_FAMILIES)) {
    assert.match(row.source, /^https:\/\/learn\.microsoft\.com\//, family);
    for (const id of row.holds) assert.ok(PROTECTIONS[id], `${family}: ${id}`);
  }
  // No template, a baseline, or a family not in the table: anything the platform's checks ask.
  assert.deepEqual(protectionsOfFamily('none', ['windows']), { any: true, holds: ['bitlocker', 'laps', 'asr', 'windowsBaseline'] });
  assert.deepEqual(protectionsOfFamily('baseline', ['macOS']), { any: true, holds: ['filevault', 'macOSFirewall'] });
  assert.deepEqual(protectionsOfFamily('endpointSecurityAccountProtection', ['windows']), { any: false, holds: ['laps'] });
});

test('a template id the table knows decides over its family: Device Control and Local user group membership hold neither ASR rules nor LAPS (review F, round 24: a1-devcontrol, n2-lugm)', () => {
  for (const [id, row] of Object.entries(TEMPLATE_IDS)) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, id);
    assert.ok(row.source.length > 0 && row.profile.length > 0, id);
    for (const p of row.holds) assert.ok(PROTECTIONS[p], `${id}: ${p}`);
  }
  const asr = 'endpointSecurityAttackSurfaceReduction';
  const account = 'endpointSecurityAccountProtection';
  // Device Control: of the ASR family, but no ASR rule.
  assert.deepEqual(protectionsOfTemplate({ templateId: '0f2034c6-3cd6-4ee1-bd37-f3c0693e9548_1', templateFamily: asr }, ['windows']), { any: false, holds: [] });
  // The Attack Surface Reduction Rules profile, any version, its id in any case.
  assert.deepEqual(protectionsOfTemplate({ templateId: 'E8C053D6-9F95-42B1-A7F1-EBFD71C67A4B_2', templateFamily: asr }, ['windows']), { any: false, holds: ['asr'] });
  // Local user group membership and Account protection: no LAPS; the LAPS profile: LAPS, and only on Windows.
  assert.deepEqual(protectionsOfTemplate({ templateId: '22968f54-45fa-486c-848e-f8224aa69772_1', templateFamily: account }, ['windows']), { any: false, holds: [] });
  assert.deepEqual(protectionsOfTemplate({ templateId: 'fcef01f2-439d-4c3f-9184-823fd6e97646_1', templateFamily: account }, ['windows']), { any: false, holds: [] });
  assert.deepEqual(protectionsOfTemplate({ templateId: 'adc46e5a-f4aa-4ff6-aeff-4f27bc525796_1' }, ['windows', 'macOS']), { any: false, holds: ['laps'] });
  // n2-lugm's file: 5dd36540-… is the ConfigMgr ASR rules template, so the id wins over the family the file states.
  assert.deepEqual(protectionsOfTemplate({ templateId: '5dd36540-eb22-4e7e-b19c-2a07772ba627_1', templateFamily: account }, ['windows']), { any: false, holds: ['asr'] });
  // An id not in the table falls back to its family; no template at all may hold anything.
  assert.deepEqual(protectionsOfTemplate({ templateId: '11111111-2222-3333-4444-555555555555_1', templateFamily: asr }, ['windows']), { any: false, holds: ['asr'] });
  assert.deepEqual(protectionsOfTemplate(undefined, ['windows']), { any: true, holds: ['bitlocker', 'laps', 'asr', 'windowsBaseline'] });
});

test('security settings management and BYOD phones: the layers resting on enrollment do not ask for what those devices never do (review B, round 23: t5, t5b, OpenIntuneBaseline)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'defender-requires-onboarding', 'ok-security-settings-management');
  const { service, findings } = await runFixture(root);
  const states = layerStates(service.view(root), findings, (id) => ruleById(id));
  const at = (n: number) => states.find((x) => x.layer === n)!;
  // Windows servers and Linux hosts that Defender alone manages: no Windows or Linux compliance line, no enrollment
  // line, and no security baseline asked of layer 6 (security settings management delivers none).
  const labels = (n: number) => at(n).prerequisites.lines.map((l) => l.label);
  assert.ok(!labels(3).some((l) => /Windows|Linux/.test(l)), labels(3).join());
  assert.ok(!labels(5).includes('Windows'), labels(5).join());
  assert.ok(!labels(6).includes('Security baselines'), labels(6).join());
  assert.ok(labels(6).includes('Windows onboarding'));
  // iPhones kept to app protection (no compliance policy, no CA requiring a compliant device): no enrollment line, so
  // the undeclared Apple push certificate holds no layer back.
  const byod = memoryService();
  byod.update('/t/zerotrust.yaml', MANIFEST('M365_E5', 'windows, iOS').replace('  applePushCertificate: { expirationDateTime: 2027-08-01 }\n', ''), 1);
  byod.update('/t/compliance/windows-compliance.yaml', WINDOWS_COMPLIANCE, 1);
  byod.update('/t/app-protection/ios-app-protection.yaml', appProtection('ios'), 1);
  const byodStates = layerStates(byod.view('/t'), byod.analyzeTenant('/t'), (id) => ruleById(id));
  for (const n of [2, 3, 5]) assert.ok(!byodStates.find((x) => x.layer === n)!.prerequisites.lines.some((l) => /iOS/.test(l.label)), `layer ${n}`);
  assert.equal(byodStates.find((x) => x.layer === 3)!.status, 'complete', byodStates.find((x) => x.layer === 3)!.reason);
});

test('the Markdown report, the HTML report and the tree read one reason and say what the statuses mean', () => {
  const t = tenant(educationFiles());
  const four = t.layer(4);
  const reason = four.reason!;
  assert.ok(reason);
  // The editor's layer report and `ztp report` (Markdown).
  const row = `| 4 · Require compliant devices | 🟡 partial — ${reason.replace(/\|/g, '\\|')} |`;
  assert.ok(layerReportMarkdown(t.view, t.findings, (p) => p, (id) => ruleById(id)).includes(row));
  const input = { tenant: t.view, findings: t.findings, ruleOf: (id: string) => ruleById(id), rel: (p: string) => p, generated: NOW };
  const md = reportMarkdown(input);
  assert.ok(md.includes(row));
  assert.ok(md.includes(`_Blocked_: ${STATUS_MEANINGS.blocked}.`));
  // HTML: the same sentence, escaped.
  const html = reportHtml(input);
  assert.ok(html.includes(reason.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), 'the HTML report gives the same reason');
  assert.ok(html.includes(`<b>Blocked</b>: ${STATUS_MEANINGS.blocked}.`));
  // The tree: the protocol carries the reason, and the tooltip opens with the status, its reason and its meaning.
  const treeLayer = tenantLayers(t.service, '/t').layers.find((l) => l.layer === 4)!;
  assert.equal(treeLayer.status, 'partial');
  assert.equal(treeLayer.reason, reason);
  assert.ok(treeLayer.tooltip.startsWith(`**Status: 🟡 partial** — ${reason}\n\n_Partial: ${STATUS_MEANINGS.partial}._`));
  // A complete layer carries no reason in any of them.
  const three = tenantLayers(t.service, '/t').layers.find((l) => l.layer === 3)!;
  assert.equal(three.status, 'complete');
  assert.equal(three.reason, undefined);
  assert.ok(three.tooltip.startsWith('**Status: ✅ complete**\n\n'));
});

test('co-management declared: layer 3 reads Windows compliance as Configuration Manager\'s, and layer 5 the endpoint protection and device configuration workloads (review I, round 24: t10-comanaged)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'bitlocker-not-configured', 'ok-comanaged-endpoint-protection');
  const { service, findings } = await runFixture(root);
  const states = layerStates(service.view(root), findings, (id) => ruleById(id));
  const at = (n: number) => states.find((x) => x.layer === n)!;
  // Layer 3: no Intune compliance policy, but Configuration Manager evaluates Windows compliance (declared): started,
  // and said so, never "not started".
  assert.notEqual(at(3).status, 'notStarted');
  assert.deepEqual(at(3).declared, ['Windows compliance evaluated by Configuration Manager (declared)']);
  // Layer 5: BitLocker, ASR, LAPS and the baseline are Configuration Manager's; no configuration check speaks.
  assert.deepEqual(at(5).declared, [
    'Windows endpoint protection (BitLocker, attack surface reduction rules) by Configuration Manager (declared)',
    'Windows device configuration (LAPS, security baseline) by Configuration Manager (declared)',
  ]);
  assert.equal(at(5).status, 'complete', at(5).reason);
  assert.deepEqual(findings.filter((f) => f.layer === 5).map((f) => f.ruleId), []);
  const md = layerReportMarkdown(service.view(root), findings, (p) => p, (id) => ruleById(id));
  assert.match(md, /\| 3 · Compliance policies \| ✅ complete \| yes \| Windows compliance evaluated by Configuration Manager \(declared\) \|/);
});

test('co-management at Pilot Intune: the layer lines say Configuration Manager holds the workload outside the pilot collection, and undeclared workloads are Intune\'s as before', () => {
  const service = memoryService();
  service.update('/t/zerotrust.yaml', MANIFEST('M365_E5', 'windows').replace('  secureByDefault: true\n', '  secureByDefault: true\n  coManagement: { complianceWorkload: pilotIntune, endpointProtectionWorkload: pilotIntune }\n'), 1);
  const states = layerStates(service.view('/t'), service.analyzeTenant('/t'), (id) => ruleById(id));
  assert.deepEqual(states.find((s) => s.layer === 3)!.declared, ['Windows compliance evaluated by Configuration Manager outside the pilot collection (declared)']);
  assert.deepEqual(states.find((s) => s.layer === 5)!.declared, ['Windows endpoint protection (BitLocker, attack surface reduction rules) by Configuration Manager outside the pilot collection (declared)']);
  const none = memoryService();
  none.update('/t/zerotrust.yaml', MANIFEST('M365_E5', 'windows'), 1);
  const plain = layerStates(none.view('/t'), none.analyzeTenant('/t'), (id) => ruleById(id));
  assert.deepEqual(plain.find((s) => s.layer === 3)!.declared, []);
  assert.deepEqual(plain.find((s) => s.layer === 5)!.declared, []);
});

test('ASR rules all in Audit beside a security baseline: layer 5 is partial, with the unknown said, not complete (review I, round 24: t05-defender-asr-audit)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'asr-rules-not-configured', 'fires-audit-beside-baseline');
  const { service, findings } = await runFixture(root);
  const five = layerStates(service.view(root), findings, (id) => ruleById(id)).find((s) => s.layer === 5)!;
  assert.equal(five.status, 'partial');
  assert.match(five.reason ?? '', /Windows attack surface reduction rules \? \(unknown: every rule windows-asr-audit sets is Audit or Off; whether windows-security-baseline \(a security baseline\) enforces them is unknown\)/);
  const asr = findings.find((f) => f.ruleId === 'asr-rules-not-configured')!;
  assert.equal(asr.severity, 'information');
  assert.match(asr.message, /^`windows-asr-audit` sets its 5 attack surface reduction rules in Audit mode, which reports what they would block and blocks nothing; no other assigned profile sets attack surface reduction rules for the Windows devices that `windows-security-baseline` reaches/);
  assert.match(asr.message, /Whether those devices enforce attack surface reduction rules is unknown/);
  // The audit profile for some devices only: the baseline's other devices are unknown, and nothing is said of them.
  const other = join(__dirname, '..', 'fixtures', 'asr-rules-not-configured', 'ok-audit-beside-baseline-other-devices');
  const run = await runFixture(other);
  const fiveOther = layerStates(run.service.view(other), run.findings, (id) => ruleById(id)).find((s) => s.layer === 5)!;
  assert.ok(!fiveOther.prerequisites.lines.some((l) => /attack surface/.test(l.label)));
});

test('Macs onboarded for Endpoint DLP under E3 + E5 Compliance: layer 6 says they are onboarded and that device risk needs Defender for Endpoint Plan 2, not "enable a connector" (review I, round 24: t06-macos-dlp)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'license-missing', 'ok-e3-e5-compliance-macos-onboarded-for-dlp');
  const { service, findings } = await runFixture(root);
  const six = layerStates(service.view(root), findings, (id) => ruleById(id)).find((s) => s.layer === 6)!;
  assert.equal(six.licensed, false);
  const line = six.prerequisites.lines.find((l) => l.label === 'macOS connector')!;
  assert.equal(line.ok, false);
  assert.match(line.detail, /^the devices are onboarded for Endpoint DLP \(macOS - MDE onboarding\), but device risk needs Microsoft Defender for Endpoint Plan 2 \(Microsoft 365 E5, .* or another licence that includes it\), which no licence the manifest lists includes/);
  assert.doesNotMatch(six.reason ?? '', /not enabled in a Defender connector/);
});

test('co-management, Device configuration at Configuration Manager: the Defender layer reads the baselines as Configuration Manager\'s, as layer 5 and the baseline rules do (review E, round 24: adv/a8-def)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'defender-baselines-missing', 'ok-comanaged-device-configuration');
  const { service, findings } = await runFixture(root);
  const states = layerStates(service.view(root), findings, (id) => ruleById(id));
  const six = states.find((s) => s.layer === 6)!;
  const line = six.prerequisites.lines.find((l) => l.label === 'Security baselines')!;
  assert.deepEqual({ ok: line.ok, detail: line.detail }, { ok: true, detail: 'by Configuration Manager (declared)' });
  assert.ok(states.find((s) => s.layer === 5)!.declared.includes('Windows device configuration (LAPS, security baseline) by Configuration Manager (declared)'));
  assert.deepEqual(findings.filter((f) => f.ruleId === 'defender-baselines-missing' || f.ruleId === 'windows-security-baseline-missing'), []);
  // At Pilot Intune the pilot collection's devices get the baselines from Intune: still reported, with the slider named.
  const pilot = join(__dirname, '..', 'fixtures', 'defender-baselines-missing', 'fires-comanaged-device-configuration-pilot');
  const run = await runFixture(pilot);
  const missing = run.findings.find((f) => f.ruleId === 'defender-baselines-missing')!;
  assert.match(missing.message, /Under co-management \(`settings\.coManagement\.deviceConfigurationWorkload: pilotIntune`\), Configuration Manager configures the co-managed devices outside the pilot collection/);
  const sixPilot = layerStates(run.service.view(pilot), run.findings, (id) => ruleById(id)).find((s) => s.layer === 6)!;
  assert.equal(sixPilot.prerequisites.lines.find((l) => l.label === 'Security baselines')!.ok, false);
});

test('co-management: the message names the slider that decided, and a settings catalog profile follows the Device configuration slider (review E, round 24: adv/a1-dc-pilot-ep-cm, adv/a9-sc-bitlocker-dc-cm)', async () => {
  const a1 = join(__dirname, '..', 'fixtures', 'bitlocker-not-configured', 'fires-comanaged-pilot-device-configuration-ep-cm');
  const run = await runFixture(a1);
  for (const id of ['bitlocker-not-configured', 'asr-rules-not-configured']) {
    const f = run.findings.find((x) => x.ruleId === id)!;
    assert.match(f.message, /Under co-management \(`settings\.coManagement\.deviceConfigurationWorkload: pilotIntune`, which moves Endpoint Protection with it\)/, id);
    assert.doesNotMatch(f.message, /endpointProtectionWorkload: pilotIntune/, id);
  }
  const model = modelOf(run.service.view(a1));
  assert.deepEqual(model.configMgrWorkload('windows', 'endpointProtection'), { state: 'pilotIntune', slider: 'deviceConfigurationWorkload' });
  const a9 = join(__dirname, '..', 'fixtures', 'bitlocker-not-configured', 'fires-settings-catalog-device-configuration-cm');
  const nine = await runFixture(a9);
  const bitlocker = nine.findings.find((x) => x.ruleId === 'bitlocker-not-configured')!;
  assert.match(bitlocker.message, /`windows-bitlocker` turns it on, but is a settings catalog profile, which the Device configuration workload governs whatever it holds \(`settings\.coManagement\.deviceConfigurationWorkload: configurationManager`\), so it reaches no co-managed Windows device/);
  const m9 = modelOf(nine.service.view(a9));
  const profile = nine.service.view(a9).policies.find((p) => p.name === 'windows-bitlocker')!;
  assert.equal(m9.profileWorkload(profile, 'endpointProtection'), 'deviceConfiguration');
  assert.equal(m9.configMgrWorkload('windows', 'endpointProtection'), undefined);
});

test('co-management: every profile, raw export or not, takes its workload from the model\'s one answer; one Configuration Manager holds back counts for no check and is listed held back in layer 5 (round 25: raw exports followed their protection\'s workload)', async () => {
  const fixture = (rule: string, name: string): string => join(__dirname, '..', 'fixtures', rule, name);
  const fileNamed = (root: string, run: Awaited<ReturnType<typeof runFixture>>, name: string) => run.service.view(root).files.find((f) => f.path.endsWith(name))!;
  const NOTE = 'held back: Configuration Manager holds the Device configuration workload (declared)';

  // Endpoint Protection at Intune, Device configuration with Configuration Manager: the raw endpoint security intent is
  // Endpoint Protection's and turns BitLocker on (met); the custom OMA-URI profile and the settings catalog profile are
  // Device configuration's, held back.
  const intentRoot = fixture('bitlocker-not-configured', 'ok-comanaged-dc-cm-raw-intent');
  const intentRun = await runFixture(intentRoot);
  const model = modelOf(intentRun.service.view(intentRoot));
  const intent = fileNamed(intentRoot, intentRun, 'Contoso - BitLocker OS and fixed drives.json');
  const custom = fileNamed(intentRoot, intentRun, 'Windows - BitLocker (OMA-URI).json');
  const smb = fileNamed(intentRoot, intentRun, 'windows-smb-hardening.yaml');
  assert.equal(model.profileWorkload(intent, 'endpointProtection'), 'endpointProtection');
  assert.equal(model.profileWorkload(custom, 'endpointProtection'), 'deviceConfiguration');
  assert.equal(model.configMgrWorkloadOf(intent, 'endpointProtection'), undefined);
  assert.deepEqual(model.configMgrWorkloadOf(custom, 'endpointProtection'), { state: 'configurationManager', slider: 'deviceConfigurationWorkload' });
  assert.deepEqual(intentRun.findings.filter((f) => f.ruleId === 'bitlocker-not-configured'), []);
  const five = layerStates(intentRun.service.view(intentRoot), intentRun.findings, (id) => ruleById(id)).find((s) => s.layer === 5)!;
  assert.deepEqual(five.heldBack.map((h) => h.path).sort(), [custom.path, smb.path].sort());
  assert.ok(five.heldBack.every((h) => h.note === NOTE));
  // The Markdown table, the HTML report and the tree name them so; the intent is listed as it was.
  const table = layerReportMarkdown(intentRun.service.view(intentRoot), intentRun.findings, (p) => p, (id) => ruleById(id));
  assert.match(table, new RegExp(`Windows - BitLocker \\(OMA-URI\\) \\(${NOTE.replace(/[()]/g, '\\$&')}\\)`));
  assert.match(table, /Contoso - BitLocker OS and fixed drives,/);
  const html = reportHtml({ tenant: intentRun.service.view(intentRoot), findings: intentRun.findings, rel: (p) => p, generated: NOW, ruleOf: (id) => ruleById(id) });
  assert.ok(html.includes(`<code>Windows - BitLocker (OMA-URI)</code> <span class="muted">(${NOTE})</span>`));
  assert.ok(html.includes('<code>Contoso - BitLocker OS and fixed drives</code> <span class="muted">Windows device configuration'));
  const tree = tenantLayers(intentRun.service, intentRoot).layers.find((l) => l.layer === 5)!;
  const treeCustom = tree.policies.find((p) => p.name === 'Windows - BitLocker (OMA-URI)')!;
  assert.equal(treeCustom.heldBack, NOTE);
  assert.equal(policyDescription(treeCustom), `windows10CustomConfiguration (raw export) · ${NOTE}`);
  assert.equal(tree.policies.find((p) => p.name === 'Contoso - BitLocker OS and fixed drives')!.heldBack, undefined);

  // The Endpoint protection template profile is the Endpoint Protection workload's (Learn's Intune feature for it).
  const templateRoot = fixture('bitlocker-not-configured', 'ok-comanaged-dc-cm-endpoint-protection-template');
  const templateRun = await runFixture(templateRoot);
  const template = fileNamed(templateRoot, templateRun, 'legacy-endpoint-protection.json');
  assert.equal(modelOf(templateRun.service.view(templateRoot)).profileWorkload(template, 'deviceConfiguration'), 'endpointProtection');
  assert.ok(!layerStates(templateRun.service.view(templateRoot), templateRun.findings, (id) => ruleById(id)).find((s) => s.layer === 5)!.heldBack.some((h) => h.path === template.path));

  // BitLocker only in the custom profile: reported, the profile named as held back, never as delivering.
  const customRoot = fixture('bitlocker-not-configured', 'fires-comanaged-dc-cm-custom-profile');
  const customRun = await runFixture(customRoot);
  const bitlocker = customRun.findings.find((f) => f.ruleId === 'bitlocker-not-configured')!;
  assert.match(bitlocker.message, /turns on BitLocker on co-managed devices/);
  assert.match(bitlocker.message, /; `Windows - BitLocker \(OMA-URI\)` turns it on, but is a custom \(OMA-URI\) profile, which the Device configuration workload governs \(`settings\.coManagement\.deviceConfigurationWorkload: configurationManager`\), so it reaches no co-managed Windows device \(https:\/\/learn\.microsoft\.com\/intune\/configmgr\/comanage\/workloads#device-configuration\)/);

  // The older Windows baseline intent holds the ASR rules: a security baseline, Device configuration's.
  const baselineRoot = fixture('asr-rules-not-configured', 'fires-comanaged-dc-cm-baseline-intent');
  const baselineRun = await runFixture(baselineRoot);
  const asr = baselineRun.findings.find((f) => f.ruleId === 'asr-rules-not-configured')!;
  assert.match(asr.message, /`Windows Baseline` turns it on, but is a security baseline, which the Device configuration workload governs \(`settings\.coManagement\.deviceConfigurationWorkload: configurationManager`\)/);

  // Both workloads with Configuration Manager: the checks are silent, and every Windows profile is held back, the
  // intent and the template profile too (whatever they deliver, Configuration Manager holds its workload).
  const allRoot = fixture('bitlocker-not-configured', 'ok-comanaged-all-cm-raw-intent-and-template');
  const allRun = await runFixture(allRoot);
  const allFive = layerStates(allRun.service.view(allRoot), allRun.findings, (id) => ruleById(id)).find((s) => s.layer === 5)!;
  assert.equal(allFive.heldBack.length, 3);
  assert.deepEqual(allFive.heldBack.find((h) => h.path.endsWith('legacy-endpoint-protection.json'))!.note, 'held back: Configuration Manager holds the Endpoint Protection workload (declared)');
  // At Pilot Intune or Intune, nothing is held back: the pilot collection's devices (or all) take the profiles.
  for (const name of ['ok-comanaged-pilot-custom-profile', 'ok-comanaged-intune-raw-intent-and-template']) {
    const root = fixture('bitlocker-not-configured', name);
    const run = await runFixture(root);
    assert.deepEqual(layerStates(run.service.view(root), run.findings, (id) => ruleById(id)).find((s) => s.layer === 5)!.heldBack, [], name);
    assert.deepEqual(run.findings.filter((f) => f.ruleId === 'bitlocker-not-configured'), [], name);
  }
});

test('the configuration checks ask whether Intune enrolls the platform of the tenant model, as the layer status does: a template profile assigned to nobody beside security settings management shows no enrolled device (round 25: managesWithIntune\'s second answer)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'bitlocker-not-configured', 'ok-security-settings-management-unassigned-template');
  const { service, findings } = await runFixture(root);
  const model = modelOf(service.view(root));
  assert.ok(model.defender.securitySettingsManagement('windows'));
  assert.equal(model.intuneEnrolls('windows'), false);
  // The layer status asks no Windows enrollment either: one answer.
  const two = layerStates(service.view(root), findings, (id) => ruleById(id)).find((s) => s.layer === 2)!;
  assert.ok(!two.prerequisites.lines.some((l) => l.label === 'Windows'));
  for (const id of ['bitlocker-not-configured', 'laps-not-configured', 'windows-security-baseline-missing']) assert.deepEqual(findings.filter((f) => f.ruleId === id), [], id);
  // Beside an enrolment file the checks speak, and name it.
  const enrolled = join(__dirname, '..', 'fixtures', 'bitlocker-not-configured', 'fires-enrolled-beside-security-settings-management');
  const run = await runFixture(enrolled);
  assert.equal(modelOf(run.service.view(enrolled)).intuneEnrolls('windows'), true);
  assert.match(run.findings.find((f) => f.ruleId === 'bitlocker-not-configured')!.message, /the tenant manages Windows devices enrolled in Intune \(`windows-compliance`/);
});

test('ASR Audit beside a baseline: an audit profile that excludes some of the baseline\'s devices leaves them unknown, and says nothing (review E, round 24: adv/b1-audit-excl)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'asr-rules-not-configured', 'ok-audit-beside-baseline-excludes-some');
  const { service, findings } = await runFixture(root);
  assert.deepEqual(findings.filter((f) => f.ruleId === 'asr-rules-not-configured'), []);
  const model = modelOf(service.view(root));
  const audit = service.view(root).policies.find((p) => p.name === 'windows-asr-audit')!;
  const baseline = service.view(root).policies.find((p) => p.name === 'windows-security-baseline')!;
  assert.equal(model.reachesAllOf(audit, baseline), false);
  assert.equal(model.reachesAllOf(baseline, audit), true);
  const five = layerStates(service.view(root), findings, (id) => ruleById(id)).find((s) => s.layer === 5)!;
  assert.ok(!five.prerequisites.lines.some((l) => /attack surface/.test(l.label)));
});

test('a compliant-device policy for users of other tenants only does not complete layer 4: it asks nothing of this tenant\'s users\' devices (audit round 24: t01-guest-compliant, t09-msp/fabrikam)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'ca-guest-device-not-trusted', 'fires-default-untrusted');
  const { service, findings } = await runFixture(root);
  const four = layerStates(service.view(root), findings, (id) => ruleById(id)).find((s) => s.layer === 4)!;
  // Blocked here by the guest trust error itself; without it, the missing requirement keeps the layer partial.
  assert.equal(four.status, 'blocked');
  assert.equal(four.notEnforced, "no Conditional Access policy requires a compliant device of this tenant's users: ca-guests-compliant requires one of users of other tenants only, whose devices their home tenant evaluates");
  // Local guests beside B2B guests: they are this tenant's accounts, so the policy does require a compliant device here.
  const mixed = join(__dirname, '..', 'fixtures', 'ca-guest-device-not-trusted', 'fires-local-and-b2b-guests');
  const run = await runFixture(mixed);
  const fourMixed = layerStates(run.service.view(mixed), run.findings, (id) => ruleById(id)).find((s) => s.layer === 4)!;
  assert.equal(fourMixed.notEnforced, undefined);
});

test('co-management at Pilot Intune with no Intune compliance policy for Windows: layer 3 is partial, "Windows (pilot collection) ✗", as ca-requires-compliance-policy reads it (audit round 24: c1b-pilot)', () => {
  const manifest = MANIFEST('M365_E5', 'windows').replace('  secureByDefault: true\n', '  secureByDefault: true\n  coManagement: { complianceWorkload: pilotIntune }\n');
  const service = memoryService();
  service.update('/t/zerotrust.yaml', manifest, 1);
  const three = layerStates(service.view('/t'), service.analyzeTenant('/t'), (id) => ruleById(id)).find((s) => s.layer === 3)!;
  const line = three.prerequisites.lines.find((l) => l.label === 'Windows (pilot collection)')!;
  assert.equal(line.ok, false);
  assert.match(line.detail, /^no Intune compliance policy, and Intune evaluates the pilot collection's devices/);
  assert.equal(three.status, 'partial');
  // With a Windows compliance policy for the pilot, the line is the declared one again, and does not hold the layer back.
  const covered = memoryService();
  covered.update('/t/zerotrust.yaml', manifest, 1);
  covered.update('/t/windows-compliance.yaml', WINDOWS_COMPLIANCE, 1);
  const coveredThree = layerStates(covered.view('/t'), covered.analyzeTenant('/t'), (id) => ruleById(id)).find((s) => s.layer === 3)!;
  const windows = coveredThree.prerequisites.lines.find((l) => l.label === 'Windows compliance')!;
  assert.equal(windows.ok, true);
  assert.equal(windows.declared, true);
  assert.ok(!coveredThree.prerequisites.lines.some((l) => l.label === 'Windows (pilot collection)'));
});

test('layer 4 with MFA policies and a compliant-device policy for B2B guests only, their trust undeclared: partial, never complete', () => {
  const service = memoryService();
  service.update('/t/zerotrust.yaml', MANIFEST('M365_E5', 'windows'), 1);
  service.update('/t/windows-compliance.yaml', WINDOWS_COMPLIANCE, 1);
  service.update(
    '/t/ca-guests.yaml',
    `kind: ConditionalAccessPolicy
name: ca-guests-compliant
spec:
  displayName: Guests - require compliant device
  state: enabled
  conditions:
    users:
      includeGuestsOrExternalUsers:
        guestOrExternalUserTypes: b2bCollaborationGuest,b2bCollaborationMember
        externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: all }
    applications: { includeApplications: [All] }
    clientAppTypes: [all]
  grantControls: { operator: OR, builtInControls: [compliantDevice] }
`,
    1,
  );
  const four = layerStates(service.view('/t'), service.analyzeTenant('/t'), (id) => ruleById(id)).find((s) => s.layer === 4)!;
  assert.equal(four.status, 'partial');
  assert.match(four.notEnforced ?? '', /^no Conditional Access policy requires a compliant device of this tenant's users: ca-guests-compliant requires one of users of other tenants only/);
});

test('Defender onboarding from the connector with only the compliance toggle off, or under co-management with Configuration Manager holding Endpoint Protection, is unknown in the model, the rules, layers 6 and 7 and the report: one answer (review round 25, expert B: p01-autoconnector-windows-toggle-off, pC-comanaged-ep-in-configmgr-dlp)', async () => {
  const fixture = (rule: string, c: string) => join(__dirname, '..', 'fixtures', rule, c);
  const cases: { root: string; why: RegExp }[] = [
    // `partnerState: enabled` (or `available`), `windowsEnabled: false`, an Auto-from-connector EDR profile.
    { root: fixture('dlp-requires-defender-onboarding', 'ok-auto-from-connector-connection-enabled'), why: /`windows-edr-onboarding` takes the onboarding package from the connection to Defender for Endpoint, which `mde-connector` shows set up \(`partnerState: enabled`\); its `windowsEnabled`, off, is the "Compliance policy evaluation" switch/ },
    { root: fixture('dlp-requires-defender-onboarding', 'ok-auto-from-connector-connection-available'), why: /shows set up \(`partnerState: available`\)/ },
    // `unresponsive`: the connection was set up and the partner missed its heartbeat; devices onboarded stay onboarded (review A, d1-partnerstate-unresponsive).
    { root: fixture('dlp-requires-defender-onboarding', 'ok-auto-from-connector-connection-unresponsive'), why: /shows set up \(`partnerState: unresponsive`\)/ },
    // Endpoint Protection at Configuration Manager, no Intune EDR profile.
    { root: fixture('dlp-requires-defender-onboarding', 'ok-comanaged-endpoint-protection-configmgr'), why: /^Configuration Manager holds the Endpoint Protection workload \(`settings\.coManagement\.endpointProtectionWorkload: configurationManager`\) and may onboard the co-managed Windows devices, which these files cannot show \(in the Intune files: no EDR onboarding profile\)$/ },
    // A connector file that writes no `partnerState`, `windowsEnabled` off: the connection's state is undeclared, so
    // onboarding is unknown, not missing (round 30, t16/t16b-edr-fromconnector); the DLP rule asks for the state in a
    // warning, which the case below checks apart.
    { root: fixture('dlp-requires-defender-onboarding', 'fires-profile-without-connector'), why: /^`windows-edr-onboarding` takes the onboarding package from the connection to Defender for Endpoint, whose state `mde-connector` does not write \(no `partnerState`\); its `windowsEnabled`, off, is the "Compliance policy evaluation" switch/ },
    { root: fixture('dlp-requires-defender-onboarding', 'fires-auto-from-connector-no-partner-state'), why: /whose state `mde-connector` does not write \(no `partnerState`\)/ },
    // At Pilot Intune: "may", and Intune onboards the pilot collection.
    { root: fixture('dlp-requires-defender-onboarding', 'ok-comanaged-pilot-intune'), why: /outside the pilot collection \(`settings\.coManagement\.endpointProtectionWorkload: pilotIntune`\) and may onboard those co-managed Windows devices.*Intune onboards the pilot collection's/ },
  ];
  for (const { root, why } of cases) {
    const { service, findings } = await runFixture(root);
    const view = service.view(root);
    const defender = modelOf(view).defender;
    const o = defender.onboarding('windows');
    assert.equal(o.onboarded, false, root);
    assert.deepEqual(o.gaps, [], root);
    assert.match(o.unknownWhy ?? '', why, root);
    // The rules read it: nothing missing, and no baseline asked of devices not known to be onboarded.
    assert.ok(defender.hasOnboardingSource('windows'), root);
    // (A connector that does not write the connection's state: the DLP rule's warning asks for it, never the error.)
    const unstated = o.connectionUnstated !== undefined;
    assert.deepEqual(
      findings.filter((f) => ['dlp-requires-defender-onboarding', 'defender-requires-onboarding', 'defender-baselines-missing'].includes(f.ruleId)).map((f) => `${f.ruleId}:${f.severity}`),
      unstated ? ['dlp-requires-defender-onboarding:warning'] : [],
      root,
    );
    // Layers 6 and 7 give the model's reason, unknown, and the report the same lines.
    const states = layerStates(view, findings, (id) => ruleById(id));
    const six = states.find((s) => s.layer === 6)!.prerequisites.lines.find((l) => l.label === 'Windows onboarding')!;
    const seven = states.find((s) => s.layer === 7)!.prerequisites.lines.find((l) => l.label === 'Windows onboarded to Defender')!;
    for (const line of [six, seven]) {
      assert.equal(line.unknown, true, root);
      assert.equal(line.detail, `unknown: ${o.unknownWhy}`, root);
    }
    assert.notEqual(states.find((s) => s.layer === 7)!.status, 'blocked', root);
    const md = reportMarkdown({ tenant: view, findings, ruleOf: (id: string) => ruleById(id), rel: (p: string) => p, generated: NOW });
    assert.ok(md.includes(`Windows onboarded to Defender ? (unknown: ${o.unknownWhy})`), root);
  }
  // The negative cases keep "not onboarded": no connector file, a connection not set up, Endpoint Protection at Intune.
  const negatives: { root: string; gap: RegExp }[] = [
    { root: fixture('dlp-requires-defender-onboarding', 'fires-auto-from-connector-no-connector'), gap: /^no connection to Defender for Endpoint to take the onboarding package from \(no Defender for Endpoint connector file\)$/ },
    { root: fixture('dlp-requires-defender-onboarding', 'fires-auto-from-connector-connection-not-set-up'), gap: /^no connection to Defender for Endpoint to take the onboarding package from \(`mde-connector` has `partnerState: notSetUp`\)$/ },
    { root: fixture('dlp-requires-defender-onboarding', 'fires-comanaged-endpoint-protection-intune'), gap: /^no EDR onboarding profile$/ },
  ];
  for (const { root, gap } of negatives) {
    const { service, findings } = await runFixture(root);
    const o = modelOf(service.view(root)).defender.onboarding('windows');
    assert.equal(o.unknownWhy, undefined, root);
    assert.ok(o.gaps.some((g) => gap.test(g)), `${root}: ${o.gaps.join('; ')}`);
    const dlp = findings.find((f) => f.ruleId === 'dlp-requires-defender-onboarding')!;
    // The advice names the connection, never the compliance toggle, as the way to onboard.
    assert.doesNotMatch(dlp.message, /windowsEnabled: true/);
    assert.match(dlp.message, /takes the package from the connection to Defender for Endpoint/);
    const seven = layerStates(service.view(root), findings, (id) => ruleById(id)).find((s) => s.layer === 7)!;
    assert.equal(seven.prerequisites.lines.find((l) => l.label === 'Windows onboarded to Defender')!.ok, false, root);
  }
});

test('device-risk-requires-defender\'s fix creates no Intune EDR onboarding profile where Configuration Manager holds Endpoint Protection (the Defender model\'s onboarding source), and still does at Intune', () => {
  const compliance = WINDOWS_COMPLIANCE.replace('  bitLockerEnabled: true\n', '  bitLockerEnabled: true\n  deviceThreatProtectionEnabled: true\n  deviceThreatProtectionRequiredSecurityLevel: medium\n');
  const connector = 'kind: DefenderConnector\nname: mde-connector\nspec:\n  "@odata.type": "#microsoft.graph.mobileThreatDefenseConnector"\n  id: fc780465-2017-40d4-a0c5-307022471b92\n  partnerState: enabled\n  windowsEnabled: false\n';
  const creates = (workload: string) => {
    const service = memoryService();
    service.update('/t/zerotrust.yaml', MANIFEST('M365_E5', 'windows').replace('  secureByDefault: true\n', `  secureByDefault: true\n  coManagement: { endpointProtectionWorkload: ${workload}, deviceConfigurationWorkload: configurationManager }\n`), 1);
    service.update('/t/compliance/windows-compliance.yaml', compliance, 1);
    service.update('/t/defender/mde-connector.yaml', connector, 1);
    const finding = service.analyzeTenant('/t').find((f) => f.ruleId === 'device-risk-requires-defender')!;
    assert.ok(finding, workload);
    const fixes = ruleById('device-risk-requires-defender')!.fix!(finding, service.view('/t'));
    assert.equal(fixes.length, 1);
    return fixes[0]!.creates?.length ?? 0;
  };
  assert.equal(creates('configurationManager'), 0);
  assert.equal(creates('intune'), 1);
});

test('layer 6 on a connector that shows the connection set up, with no EDR profile: the model\'s one gap, the profile, says the connection is there and the toggle is off (review B, t01-bank-mam)', async () => {
  const root = join(__dirname, '..', 'fixtures', 'dlp-requires-defender-onboarding', 'fires-connection-up-no-profile');
  const { service, findings } = await runFixture(root);
  const o = modelOf(service.view(root)).defender.onboarding('windows');
  assert.equal(o.onboarded, false);
  assert.equal(o.unknownWhy, undefined);
  // One gap, the profile: the connection is not missing.
  assert.deepEqual(o.gaps, [
    "no EDR onboarding profile, though the connection to Defender for Endpoint is set up, as `mde-connector`'s `partnerState: enabled` shows, so an EDR profile taking the package from the connector is all it takes; its `windowsEnabled` is not written, so the connector does not send Windows devices' risk to compliance policies",
  ]);
  // The layer line, the report and the DLP rule read that answer, never a second one.
  const six = layerStates(service.view(root), findings, (id) => ruleById(id)).find((s) => s.layer === 6)!;
  const line = six.prerequisites.lines.find((l) => l.label === 'Windows onboarding')!;
  assert.equal(line.ok, false);
  assert.equal(line.detail, o.gaps[0]);
  const md = reportMarkdown({ tenant: service.view(root), findings, ruleOf: (id: string) => ruleById(id), rel: (p: string) => p, generated: new Date('2026-06-01T00:00:00Z') });
  assert.ok(md.includes(`Windows onboarding ✗ — ${o.gaps[0]}`), md);
  assert.doesNotMatch(md, /no connection to Defender for Endpoint/);
  const dlp = findings.find((f) => f.ruleId === 'dlp-requires-defender-onboarding')!;
  assert.ok(dlp.message.includes(`Windows has ${o.gaps[0]}`), dlp.message);
});

test('layer 7 reads real-time protection per Endpoint DLP policy: unmet where an Off reaches its devices, met where the overlap is not shown (the report, the tree and the rule read one model answer)', async () => {
  const LABEL = 'Windows real-time protection and behavior monitoring';
  const read = async (name: string) => {
    const root = join(__dirname, '..', 'fixtures', 'defender-protection-off', name);
    const { service, findings } = await runFixture(root);
    const view = service.view(root);
    const seven = layerStates(view, findings, (id) => ruleById(id)).find((s) => s.layer === 7)!;
    const md = reportMarkdown({ tenant: view, findings, ruleOf: (id: string) => ruleById(id), rel: (p: string) => p, generated: NOW });
    const tree = tenantLayers(service, root).layers.find((l) => l.layer === 7)!;
    const rule = findings.find((f) => f.ruleId === 'defender-protection-off')!;
    return { seven, line: seven.prerequisites.lines.find((l) => l.label === LABEL), md, tree, rule };
  };
  // The call centre's PCs are among the devices of a policy for every device but the executives' (members listed).
  const on = await read('fires-rtp-off-on-dlp-devices');
  assert.equal(on.line?.ok, false);
  assert.equal(on.line?.detail, 'av-call-center turns real-time protection off on devices dlp-customer-data protects (group grp-call-center-pcs) (Endpoint DLP needs both on its devices)');
  assert.equal(on.seven.status, 'partial');
  assert.match(on.seven.reason!, /Windows real-time protection and behavior monitoring ✗ — av-call-center turns real-time protection off on devices dlp-customer-data protects/);
  assert.ok(on.md.includes('av-call-center turns real-time protection off on devices dlp-customer-data protects'), 'the report names it');
  assert.equal(on.tree.reason, on.seven.reason, 'the tree shows the same reason');
  assert.match(on.rule.message, /reaches devices the Endpoint DLP policy `dlp-customer-data` \(group `grp-call-center-pcs`\) protects, so it does not protect them either\.$/);
  // A developer workstations' device group and the finance team's users, neither with members listed: unknown, read as
  // on. The line is met and names the profile; nothing about real-time protection holds layer 7 back.
  const maybe = await read('fires-raw-export-dev-group-beside-dlp-for-finance');
  assert.equal(maybe.line?.ok, true);
  assert.equal(maybe.line?.unknown, undefined);
  assert.match(maybe.line!.detail, /^on for the Endpoint DLP policies' devices as far as the files show: win-av-developer-workstations turns real-time protection off for devices that may be dlp-finance-card-data's, which the files do not show/);
  assert.doesNotMatch(maybe.seven.reason ?? '', /real-time protection/);
  assert.doesNotMatch(maybe.md, /real-time protection and behavior monitoring ✗/);
  assert.equal(maybe.rule.severity, 'warning');
  assert.match(maybe.rule.message, /whether this profile reaches the devices `dlp-finance-card-data` protects the files do not show\.$/);
});

test('layer 7 reads the onboarding per Endpoint DLP policy: unmet where an onboarding profile for a pilot group leaves the rest of the policy\'s devices out, met where it reaches them or the files do not show (the rule, the report and the tree read the Defender model\'s one answer, dlpOnboarding)', async () => {
  const LABEL = 'Windows onboarded to Defender';
  const read = async (name: string) => {
    const root = join(__dirname, '..', 'fixtures', 'dlp-requires-defender-onboarding', name);
    const { service, findings } = await runFixture(root);
    const view = service.view(root);
    const seven = layerStates(view, findings, (id) => ruleById(id)).find((s) => s.layer === 7)!;
    const md = reportMarkdown({ tenant: view, findings, ruleOf: (id: string) => ruleById(id), rel: (p: string) => p, generated: NOW });
    const tree = tenantLayers(service, root).layers.find((l) => l.layer === 7)!;
    const rule = findings.find((f) => f.ruleId === 'dlp-requires-defender-onboarding');
    const dlp = view.policies.find((p) => p.kind === 'EndpointDlpPolicy')!;
    return { seven, line: seven.prerequisites.lines.find((l) => l.label === LABEL), md, tree, rule, answer: modelOf(view).defender.dlpOnboarding(dlp, ['windows']) };
  };
  const partly = await read('fires-partly');
  assert.equal(partly.answer.state, 'partly');
  assert.equal(partly.rule?.severity, 'warning');
  assert.match(partly.rule!.message, /`edr-pilot` \(assigned to `Pilot`\) onboards only some of its devices: the devices outside `Pilot` are not onboarded/);
  assert.equal(partly.line?.ok, false);
  assert.equal(partly.line?.detail, 'edr-pilot (assigned to Pilot) onboards only some of the devices Endpoint DLP protects: of those dlp-devices protects, the devices outside Pilot are not onboarded');
  assert.equal(partly.seven.status, 'partial');
  assert.ok(partly.md.includes('edr-pilot (assigned to Pilot) onboards only some of the devices Endpoint DLP protects'), 'the report names it');
  assert.equal(partly.tree.reason, partly.seven.reason, 'the tree shows the same reason');
  const excluded = await read('fires-partly-onboarding-excludes-a-group');
  assert.equal(excluded.answer.state, 'partly');
  assert.match(excluded.line!.detail, /edr-onboard \(assigned to all devices except grp-kiosk\) onboards only some .*the devices of grp-kiosk are not onboarded/);
  for (const ok of ['ok-same-group', 'ok-all-devices-both', 'ok-declared-outside-intune', 'ok-onboarding-and-policy-exclude-the-same-group']) {
    const r = await read(ok);
    assert.equal(r.answer.state, 'yes', ok);
    assert.equal(r.rule, undefined, ok);
    assert.equal(r.line?.ok, true, ok);
  }
  // The onboarding on a group the manifest does not describe (it may be every Windows device): unknown, silent.
  const undescribed = await read('ok-onboarding-group-not-described');
  assert.equal(undescribed.answer.state, 'unknown');
  assert.equal(undescribed.rule, undefined);
  assert.equal(undescribed.line?.ok, true);
  // Finance devices and laptops, neither with members listed: unknown, silent, and the line is met, saying so.
  const unknown = await read('ok-unknown');
  assert.equal(unknown.answer.state, 'unknown');
  assert.equal(unknown.rule, undefined);
  assert.equal(unknown.line?.ok, true);
  assert.equal(unknown.line?.unknown, undefined);
  assert.match(unknown.line!.detail, /whether it reaches every device dlp-finance protects the files do not show/);
  // No onboarding at all: the rule's error, as before.
  const none = await read('fires-nothing-onboarded');
  assert.equal(none.answer.state, 'no');
  assert.equal(none.rule?.severity, 'error');
});

test('enrolled Windows with no Windows configuration profile, while the folder keeps layer 5 for another platform, is a gap: the rules speak and layer 5 says so; a folder with no layer 5 file stays silent (expert round 29: t01b-ios-profile-only, t10-comanagement)', () => {
  const IOS_PROFILE = `kind: ConfigurationProfile
name: ios-restrictions
assignments:
  include: [allDevices]
spec:
  name: iOS - restrictions
  platforms: iOS
  technologies: mdm,appleRemoteManagement
  settings:
    - "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting"
      settingInstance:
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"
        settingDefinitionId: com.apple.applicationaccess_allowscreenshot
        choiceSettingValue: { value: com.apple.applicationaccess_allowscreenshot_false, children: [] }
`;
  const WINDOWS_RULES = ['asr-rules-not-configured', 'bitlocker-not-configured', 'laps-not-configured', 'windows-security-baseline-missing'];
  const gap = tenant({ 'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE, 'configuration/ios-restrictions.yaml': IOS_PROFILE }, 'M365_E5');
  assert.deepEqual(gap.findings.filter((f) => f.layer === 5).map((f) => f.ruleId).sort(), WINDOWS_RULES);
  assert.equal(modelOf(gap.view).configurationKept('windows').state, 'missing');
  assert.equal(gap.layer(5).status, 'partial');
  assert.match(gap.layer(5).reason ?? '', /Windows configuration ✗ — no configuration profile, while Intune enrolls Windows devices \(windows-compliance\)/);
  assert.match(gap.findings.find((f) => f.ruleId === 'bitlocker-not-configured')!.message, /the tenant folder keeps no Windows configuration profile \(its layer 5 files are of other platforms: `ios-restrictions`\)/);
  // No layer 5 file at all: the folder does not keep the layer here.
  const none = tenant({ 'compliance/windows-compliance.yaml': WINDOWS_COMPLIANCE }, 'M365_E5');
  assert.deepEqual(none.findings.filter((f) => f.layer === 5).map((f) => f.ruleId), []);
  assert.equal(modelOf(none.view).configurationKept('windows').state, 'notKept');
  assert.ok(!none.layer(5).prerequisites.lines.some((l) => /configuration/.test(l.label)));
  // Co-management at Pilot Intune, no layer 5 file: the pilot collection's devices take it from Intune.
  const service = memoryService();
  service.update('/t/zerotrust.yaml', MANIFEST('M365_E5', 'windows').replace('  secureByDefault: true\n', '  secureByDefault: true\n  coManagement: { complianceWorkload: configurationManager, deviceConfigurationWorkload: pilotIntune, endpointProtectionWorkload: pilotIntune }\n'), 1);
  const findings = service.analyzeTenant('/t');
  assert.deepEqual(findings.filter((f) => f.layer === 5).map((f) => f.ruleId).sort(), WINDOWS_RULES);
  const five = layerStates(service.view('/t'), findings, (id) => ruleById(id)).find((s) => s.layer === 5)!;
  assert.equal(five.status, 'partial');
  assert.match(five.reason ?? '', /Windows configuration ✗ — no configuration profile, while the pilot collection's co-managed devices take their configuration from Intune/);
});

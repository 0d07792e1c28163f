/**
 * What an app protection policy protects (apps selected, device management levels), a Windows app grant with neither a
 * policy nor a browser sign-in, and device administrator compliance: one answer in the model, read alike by the rules,
 * What If, the lockout check and the layer status. Tenants shaped like the review's (a MAM-only bank, a Windows
 * desktop-app grant, a device-administrator-only Android tenant).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { prerequisiteLines } from '../../server/src/core/features/layer-status';
import { lockoutText } from '../../server/src/core/features/whatif-format';
import { fixtureFiles as fixtureDirFiles, memoryTenant } from '../harness/tenant';

const BANK = [
  'kind: Tenant',
  'name: bank',
  'licenses: [M365_E5]',
  'platforms: [iOS, android]',
  'groups:',
  '  - name: grp-byod-mobile',
  '    description: Staff using personal phones (MAM only, no enrollment)',
  '  - name: grp-breakglass',
  'breakGlass: { groups: [grp-breakglass] }',
  'settings: { secureByDefault: true }',
  '',
].join('\n');

const MOBILE_CA = [
  'kind: ConditionalAccessPolicy',
  'name: ca-byod-mobile-app',
  'spec:',
  '  displayName: BYOD mobile app protection',
  '  state: enabled',
  '  conditions:',
  '    users: { includeGroups: [grp-byod-mobile], excludeGroups: [grp-breakglass] }',
  '    applications: { includeApplications: [Office365] }',
  '    clientAppTypes: [browser, mobileAppsAndDesktopClients]',
  '    platforms: { includePlatforms: [iOS, android] }',
  '  grantControls: { operator: OR, builtInControls: [compliantApplication] }',
  '',
].join('\n');

function appPolicy(name: string, type: string, extra: string[]): string {
  return [`kind: AppProtectionPolicy`, `name: ${name}`, 'assignments: { include: [grp-byod-mobile] }', 'spec:', `  "@odata.type": "#microsoft.graph.${type}"`, `  displayName: ${name}`, ...extra.map((l) => `  ${l}`), '  pinRequired: true', ''].join('\n');
}

const IOS_ALL = appPolicy('ios-app', 'iosManagedAppProtection', ['appGroupType: allCoreMicrosoftApps']);
const ANDROID_ALL = appPolicy('android-app', 'androidManagedAppProtection', ['appGroupType: allCoreMicrosoftApps']);

test('an Android app protection policy with apps selected one by one and none selected protects no app: What If unsatisfiable, the lockout fix selects the apps', async () => {
  const noApps = appPolicy('android-app-l2', 'androidManagedAppProtection', ['appGroupType: selectedPublicApps', 'apps: []']);
  const { view, findings } = await memoryTenant({ '/t/zerotrust.yaml': BANK, '/t/ca.yaml': MOBILE_CA, '/t/android.yaml': noApps, '/t/ios.yaml': IOS_ALL });
  const r = evaluate(view, { user: 'grp-byod-mobile', platform: 'android', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', appProtected: true });
  assert.match(r.unsatisfiable.map((u) => u.reason).join('\n'), /only Android app protection policy, android-app-l2, selects apps one by one .* protects no app/);
  const lockout = lockoutCheck(view);
  const android = lockout.findings.find((f) => f.platforms.includes('android'));
  assert.ok(android, JSON.stringify(lockout.findings));
  assert.match(android.fix, /select the apps in the Android app protection policies/);
  // The policy's own warning, on `appGroupType`; not a "missing policy" error on the CA policy.
  assert.deepEqual(findings.filter((f) => f.ruleId === 'app-protection-targets-no-app').map((f) => [f.file, f.severity]), [['/t/android.yaml', 'warning']]);
  assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-requires-app-protection'), []);
  const layer1 = prerequisiteLines(view, 1).lines.find((l) => l.label === 'Android');
  assert.equal(layer1?.ok, false);
  assert.match(layer1?.detail ?? '', /protects no app/);
});

test('the platform\'s only app protection selects no app and leaves a targeted group out: ca-group-alignment names the group with the app selection, as the lockout check does (round 26, seen and left)', async () => {
  const bank = BANK.replace('  - name: grp-breakglass', '  - name: grp-contractors\n    members: [casey@bank.example]\n  - name: grp-breakglass');
  const ca = MOBILE_CA.replace('includeGroups: [grp-byod-mobile]', 'includeGroups: [grp-byod-mobile, grp-contractors]');
  const noApps = appPolicy('ios-app-l2', 'iosManagedAppProtection', ['appGroupType: selectedPublicApps', 'apps: []']);
  const android = ANDROID_ALL.replace('include: [grp-byod-mobile]', 'include: [grp-byod-mobile, grp-contractors]');
  const { view, findings } = await memoryTenant({ '/t/zerotrust.yaml': bank, '/t/ca.yaml': ca, '/t/ios.yaml': noApps, '/t/android.yaml': android });
  // The policy's own warning stands: it protects no app for anyone.
  assert.deepEqual(findings.filter((f) => f.ruleId === 'app-protection-targets-no-app').map((f) => f.file), ['/t/ios.yaml']);
  // The alignment finding names the contractors on iOS (not Android, whose policy covers them), and says the only
  // iOS policy selects no app, so selecting the apps does not bring a second finding.
  const alignment = findings.filter((f) => f.ruleId === 'ca-group-alignment');
  assert.equal(alignment.length, 1, JSON.stringify(alignment));
  const gaps = (alignment[0]!.data as { gaps: { platform: string; groups: string[]; noApps?: string[] }[] }).gaps;
  assert.deepEqual(gaps.map((g) => [g.platform, g.groups, g.noApps]), [['iOS', ['grp-contractors'], ['ios-app-l2']]]);
  assert.match(alignment[0]!.message, /do not cover `grp-contractors`.*`ios-app-l2`, selects no app/);
  assert.match(alignment[0]!.message, /select the apps in the app protection policy and assign it to the same groups/);
  assert.doesNotMatch(alignment[0]!.message, /nothing to fix/);
  // The lockout check names the same users on the same platform.
  const lockout = lockoutCheck(view);
  const ios = lockout.findings.filter((f) => f.platforms.includes('iOS'));
  assert.ok(ios.some((f) => f.subjects.some((x) => x.user.includes('grp-contractors') || x.groups.includes('grp-contractors'))), JSON.stringify(ios));
  // Assigned to both groups: no group is left out, and alignment says nothing (the app selection is the other rule's).
  const covered = noApps.replace('include: [grp-byod-mobile]', 'include: [grp-byod-mobile, grp-contractors]');
  const again = await memoryTenant({ '/t/zerotrust.yaml': bank, '/t/ca.yaml': ca, '/t/ios.yaml': covered, '/t/android.yaml': android });
  assert.deepEqual(again.findings.filter((f) => f.ruleId === 'ca-group-alignment'), []);
  assert.equal(again.findings.filter((f) => f.ruleId === 'app-protection-targets-no-app').length, 1);
});

test('an app protection export without its `apps` (a navigation property) is not read as selecting none: unknown, it counts', async () => {
  const raw = JSON.stringify({
    '@odata.type': '#microsoft.graph.androidManagedAppProtection',
    id: 'T_3f1c2b8e-5a4d-4e21-9c3b-7f0a1d2e3b4c',
    displayName: 'Android - APP - L2',
    appGroupType: 'selectedPublicApps',
    targetedAppManagementLevels: 'unspecified',
    assignments: [{ target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } }],
  });
  const { view, findings } = await memoryTenant({ '/t/zerotrust.yaml': BANK, '/t/ca.yaml': MOBILE_CA, '/t/android.json': raw, '/t/ios.yaml': IOS_ALL });
  const r = evaluate(view, { user: 'grp-byod-mobile', platform: 'android', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', appProtected: true });
  assert.deepEqual(r.unsatisfiable, []);
  assert.equal(r.verdict, 'allowed');
  assert.deepEqual(findings.filter((f) => f.ruleId === 'app-protection-targets-no-app'), []);
});

test('app protection for apps on Intune-managed devices only, all a MAM-only CA policy has: may be unsatisfiable on unenrolled devices', async () => {
  const mdm = appPolicy('ios-app-l3', 'iosManagedAppProtection', ['appGroupType: allCoreMicrosoftApps', 'targetedAppManagementLevels: mdm']);
  const { view, findings } = await memoryTenant({ '/t/zerotrust.yaml': BANK, '/t/ca.yaml': MOBILE_CA, '/t/ios.yaml': mdm, '/t/android.yaml': ANDROID_ALL });
  const r = evaluate(view, { user: 'grp-byod-mobile', platform: 'iOS', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients' });
  assert.deepEqual(r.unsatisfiable, []);
  assert.match((r.uncertain ?? []).map((u) => u.reason).join('\n'), /may be unsatisfiable on unenrolled devices: .*ios-app-l3 \(`targetedAppManagementLevels: mdm`\)/);
  // The app is protected: its device is enrolled, and the policy reaches it.
  const protectedApp = evaluate(view, { user: 'grp-byod-mobile', platform: 'iOS', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', appProtected: true });
  assert.deepEqual(protectedApp.uncertain ?? [], []);
  assert.equal(protectedApp.verdict, 'allowed');
  const lockout = lockoutCheck(view);
  assert.deepEqual(lockout.findings, []);
  const doubt = (lockout.mayLockOut ?? []).find((f) => f.platforms.includes('iOS'));
  assert.match(doubt?.fix ?? '', /target apps on unmanaged devices too .*targetedAppManagementLevels/);
  const warned = findings.filter((f) => f.ruleId === 'app-protection-targets-no-app');
  assert.deepEqual(warned.map((f) => [f.file, f.severity]), [['/t/ios.yaml', 'warning']]);
  assert.match(warned[0]!.message, /Intune-managed devices only .*`ca-byod-mobile-app`/);
});

test('managed devices only is no gap where apps on unmanaged devices are targeted too, or the CA policy also requires a compliant device', async () => {
  const both = appPolicy('ios-app-l3', 'iosManagedAppProtection', ['appGroupType: allCoreMicrosoftApps', 'targetedAppManagementLevels: unmanaged,mdm']);
  const a = await memoryTenant({ '/t/zerotrust.yaml': BANK, '/t/ca.yaml': MOBILE_CA, '/t/ios.yaml': both, '/t/android.yaml': ANDROID_ALL });
  assert.deepEqual(evaluate(a.view, { user: 'grp-byod-mobile', platform: 'iOS', app: 'Office365', clientApp: 'browser' }).uncertain ?? [], []);
  assert.deepEqual(a.findings.filter((f) => f.ruleId === 'app-protection-targets-no-app'), []);
  // OR a compliant device: enrolled devices meet it either way, and unenrolled ones were never meant to.
  const mdm = appPolicy('ios-app-l3', 'iosManagedAppProtection', ['appGroupType: allCoreMicrosoftApps', 'targetedAppManagementLevels: mdm']);
  const orDevice = MOBILE_CA.replace('builtInControls: [compliantApplication]', 'builtInControls: [compliantDevice, compliantApplication]');
  const compliance = 'kind: CompliancePolicy\nname: ios-compliance\nassignments: { include: [allUsers] }\nspec:\n  "@odata.type": "#microsoft.graph.iosCompliancePolicy"\n  displayName: iOS\n  passcodeRequired: true\n  scheduledActionsForRule:\n    - ruleName: PasswordRequired\n      scheduledActionConfigurations:\n        - { actionType: block, gracePeriodHours: 0 }\n';
  const b = await memoryTenant({ '/t/zerotrust.yaml': BANK, '/t/ca.yaml': orDevice, '/t/ios.yaml': mdm, '/t/android.yaml': ANDROID_ALL, '/t/compliance.yaml': compliance });
  assert.deepEqual(b.findings.filter((f) => f.ruleId === 'app-protection-targets-no-app'), []);
});

test('Windows app grant with neither a Windows app protection policy nor a browser sign-in: both causes named, the missing policy first', async () => {
  const manifest = 'kind: Tenant\nname: p2\nlicenses: [BUSINESS_PREMIUM]\nplatforms: [windows]\ngroups: [{name: grp-breakglass}]\nbreakGlass: { groups: [grp-breakglass] }\nsettings: { secureByDefault: true }\n';
  const ca = 'kind: ConditionalAccessPolicy\nname: ca-app\nspec:\n  displayName: CA - app protection\n  state: enabled\n  conditions:\n    users: { includeUsers: [All], excludeGroups: [grp-breakglass] }\n    applications: { includeApplications: [Office365] }\n    clientAppTypes: [mobileAppsAndDesktopClients]\n  grantControls: { operator: OR, builtInControls: [compliantApplication] }\n';
  const { view, findings } = await memoryTenant({ '/t/zerotrust.yaml': manifest, '/t/ca.yaml': ca });
  const error = findings.find((f) => f.ruleId === 'ca-requires-app-protection');
  assert.ok(error);
  assert.match(error.message, /the tenant has no Windows app protection policy, and Windows app protection applies only in Microsoft Edge/);
  assert.match(error.message, /Add a Windows AppProtectionPolicy .* and add `browser` to `clientAppTypes`/);
  const lockout = lockoutCheck(view);
  assert.match(lockout.findings[0]?.fix ?? '', /^create a Windows app protection policy \(for Microsoft Edge\) and limit ca-app on windows to browsers/);
  // With the Edge policy in place, browsers alone are what is missing.
  const edge = 'kind: AppProtectionPolicy\nname: edge\nassignments: { include: [allUsers] }\nspec:\n  "@odata.type": "#microsoft.graph.windowsManagedAppProtection"\n  displayName: Edge\n';
  const withEdge = await memoryTenant({ '/t/zerotrust.yaml': manifest, '/t/ca.yaml': ca, '/t/edge.yaml': edge });
  const only = withEdge.findings.find((f) => f.ruleId === 'ca-requires-app-protection');
  assert.ok(only);
  assert.doesNotMatch(only.message, /no Windows app protection policy/);
  assert.match(lockoutCheck(withEdge.view).findings[0]?.fix ?? '', /^limit ca-app on windows to browsers/);
});

const DA_TENANT = 'kind: Tenant\nname: da-only\nlicenses: [M365_E5]\nplatforms: [android]\ngroups:\n  - name: grp-breakglass\nbreakGlass: { groups: [grp-breakglass] }\nsettings:\n  mdmAuthority: intune\n  secureByDefault: true\n  androidEnterprise: { bindStatus: boundAndValidated }\n';
const DA_CA = 'kind: ConditionalAccessPolicy\nname: require-compliant-android\nspec:\n  displayName: Require compliant Android\n  state: enabled\n  conditions:\n    users: { includeUsers: [All], excludeGroups: [grp-breakglass] }\n    applications: { includeApplications: [All] }\n    platforms: { includePlatforms: [android] }\n    clientAppTypes: [all]\n  grantControls: { operator: OR, builtInControls: [compliantDevice] }\n';
function androidCompliance(name: string, type: string): string {
  return `kind: CompliancePolicy\nname: ${name}\nassignments: { include: [allUsers] }\nspec:\n  "@odata.type": "#microsoft.graph.${type}"\n  displayName: ${name}\n  passwordRequired: true\n  scheduledActionsForRule:\n    - ruleName: PasswordRequired\n      scheduledActionConfigurations:\n        - { actionType: block, gracePeriodHours: 0 }\n`;
}

test('device administrator compliance only, CA asking a compliant Android device: deprecated warning, and may be unsatisfiable (not certain)', async () => {
  const { view, findings } = await memoryTenant({ '/t/zerotrust.yaml': DA_TENANT, '/t/ca.yaml': DA_CA, '/t/da.yaml': androidCompliance('android-da', 'androidCompliancePolicy') });
  const warned = findings.filter((f) => f.ruleId === 'compliance-device-admin-deprecated');
  assert.deepEqual(warned.map((f) => [f.file, f.severity, f.tags]), [['/t/da.yaml', 'warning', ['deprecated']]]);
  assert.match(warned[0]!.message, /`require-compliant-android` requires on Android may be unsatisfiable/);
  const r = evaluate(view, { user: 'all-users', platform: 'android', app: 'Office365', clientApp: 'browser' });
  assert.deepEqual(r.unsatisfiable, []);
  assert.match((r.uncertain ?? []).map((u) => u.reason).join('\n'), /a compliant device on android may be unsatisfiable: .*android-da is for device administrator/);
  const lockout = lockoutCheck(view);
  assert.deepEqual(lockout.findings, []);
  assert.match((lockout.mayLockOut ?? [])[0]?.fix ?? '', /add an Android Enterprise compliance policy/);
  // An Android Enterprise policy beside it: no doubt, and the warning says to retire the old one.
  const both = await memoryTenant({ '/t/zerotrust.yaml': DA_TENANT, '/t/ca.yaml': DA_CA, '/t/da.yaml': androidCompliance('android-da', 'androidCompliancePolicy'), '/t/wp.yaml': androidCompliance('android-wp', 'androidWorkProfileCompliancePolicy') });
  assert.deepEqual(evaluate(both.view, { user: 'all-users', platform: 'android', app: 'Office365', clientApp: 'browser' }).uncertain ?? [], []);
  assert.match(both.findings.find((f) => f.ruleId === 'compliance-device-admin-deprecated')?.message ?? '', /`android-wp` covers Android Enterprise devices: .*keep this policy only for devices without them/);
  // secureByDefault off: such devices pass unchecked, not blocked, so no sign-in is in doubt.
  const off = await memoryTenant({ '/t/zerotrust.yaml': DA_TENANT.replace('secureByDefault: true', 'secureByDefault: false'), '/t/ca.yaml': DA_CA, '/t/da.yaml': androidCompliance('android-da', 'androidCompliancePolicy') });
  assert.deepEqual(lockoutCheck(off.view).mayLockOut ?? [], []);
});

// The r28 p05-unmanaged-only shape: app protection for apps on unmanaged devices only, for users who enroll work
// profiles (a compliance policy reaches them), while CA asks app protection alone.
const LITWARE = 'kind: Tenant\nname: litware\nlicenses: [M365_E3]\nplatforms: [android, iOS]\ngroups:\n  - name: grp-breakglass\n    members: [bg1@litware.example]\n  - name: grp-byod\nbreakGlass: { groups: [grp-breakglass], users: [bg1@litware.example] }\nsettings:\n  mdmAuthority: intune\n  secureByDefault: true\n  androidEnterprise: { bindStatus: boundAndValidated }\n';
const BYOD_CA = (platform: string, grant: string) => `kind: ConditionalAccessPolicy\nname: ca-byod-app\nspec:\n  displayName: BYOD app protection\n  state: enabled\n  conditions:\n    users: { includeGroups: [grp-byod], excludeGroups: [grp-breakglass] }\n    applications: { includeApplications: [Office365] }\n    clientAppTypes: [mobileAppsAndDesktopClients]\n    platforms: { includePlatforms: [${platform}] }\n  grantControls: ${grant}\n`;
const UNMANAGED = (name: string, type: string) => `kind: AppProtectionPolicy\nname: ${name}\nassignments: { include: [grp-byod] }\nspec:\n  "@odata.type": "#microsoft.graph.${type}"\n  displayName: ${name}\n  appGroupType: allCoreMicrosoftApps\n  targetedAppManagementLevels: unmanaged\n`;
const compliance = (name: string, type: string) => `kind: CompliancePolicy\nname: ${name}\nassignments: { include: [grp-byod] }\nspec:\n  "@odata.type": "#microsoft.graph.${type}"\n  displayName: ${name}\n  scheduledActionsForRule:\n    - ruleName: PasswordRequired\n      scheduledActionConfigurations: [{ actionType: block, gracePeriodHours: 0 }]\n`;
const WP = compliance('android-work-profile', 'androidWorkProfileCompliancePolicy');
const OR_APP = '{ operator: OR, builtInControls: [compliantApplication] }';
const AND_BOTH = '{ operator: AND, builtInControls: [compliantDevice, compliantApplication] }';

test('app protection for apps on unmanaged devices only, for users who enroll: What If and the lockout check say "may", the rule warns (r28 p05-unmanaged-only)', async () => {
  const { view, findings } = await memoryTenant({ '/t/zerotrust.yaml': LITWARE, '/t/ca.yaml': BYOD_CA('android', OR_APP), '/t/app.yaml': UNMANAGED('android-app-l2', 'androidManagedAppProtection'), '/t/wp.yaml': WP });
  const scenario = { user: 'grp-byod', platform: 'android', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients' } as const;
  const r = evaluate(view, scenario);
  assert.deepEqual(r.unsatisfiable, []);
  assert.match((r.uncertain ?? []).map((u) => u.reason).join('\n'), /may be unsatisfiable on enrolled devices: .*android-app-l2 \(`targetedAppManagementLevels: unmanaged`\) targets apps on unmanaged devices only, and Android devices are enrolled here \(android-work-profile/);
  // The app is protected: its device is not managed, and the policy reaches it.
  assert.deepEqual(evaluate(view, { ...scenario, appProtected: true }).uncertain ?? [], []);
  // A compliant device is one Intune manages: no app on it gets the policy, for certain.
  assert.match(evaluate(view, { ...scenario, deviceCompliant: true }).unsatisfiable.map((u) => u.reason).join('\n'), /this device is compliant, so Intune manages it, .*android-app-l2 targets apps on unmanaged devices only/);
  const lockout = lockoutCheck(view);
  assert.deepEqual(lockout.findings, []);
  const doubt = (lockout.mayLockOut ?? []).find((f) => f.platforms.includes('android'));
  assert.equal(doubt?.gap, 'unmanagedOnly');
  assert.match(doubt?.fix ?? '', /if these users sign in from Android devices enrolled in Intune, target apps on managed devices too/);
  assert.match(lockoutText(lockout, (p) => p), /may lock accounts out: the app protection policies target apps on unmanaged devices only, and these users may sign in from devices enrolled in Intune$/m);
  const warned = findings.filter((f) => f.ruleId === 'app-protection-targets-no-app');
  assert.deepEqual(warned.map((f) => [f.file, f.severity]), [['/t/app.yaml', 'warning']]);
  assert.match(warned[0]!.message, /targets apps on unmanaged devices only .*`ca-byod-app` asks for it of users who enroll Android devices/);
  // Nothing says they enroll (no compliance policy): a MAM-only tenant, no doubt and no warning.
  const mamOnly = await memoryTenant({ '/t/zerotrust.yaml': LITWARE, '/t/ca.yaml': BYOD_CA('android', OR_APP), '/t/app.yaml': UNMANAGED('android-app-l2', 'androidManagedAppProtection') });
  assert.deepEqual(evaluate(mamOnly.view, scenario).uncertain ?? [], []);
  assert.deepEqual(lockoutCheck(mamOnly.view).mayLockOut ?? [], []);
  assert.deepEqual(mamOnly.findings.filter((f) => f.ruleId === 'app-protection-targets-no-app'), []);
  // A second policy for managed devices: covered both ways.
  const managed = UNMANAGED('android-app-wp', 'androidManagedAppProtection').replace('targetedAppManagementLevels: unmanaged', 'targetedAppManagementLevels: androidEnterprise');
  const both = await memoryTenant({ '/t/zerotrust.yaml': LITWARE, '/t/ca.yaml': BYOD_CA('android', OR_APP), '/t/app.yaml': UNMANAGED('android-app-l2', 'androidManagedAppProtection'), '/t/app2.yaml': managed, '/t/wp.yaml': WP });
  assert.deepEqual(evaluate(both.view, scenario).uncertain ?? [], []);
  assert.deepEqual(both.findings.filter((f) => f.ruleId === 'app-protection-targets-no-app'), []);
});

test('unmanaged devices only with a compliant device under AND: certain on Android (a compliant device is one Intune manages), "may" on iOS (IntuneMAMUPN)', async () => {
  const android = await memoryTenant({ '/t/zerotrust.yaml': LITWARE, '/t/ca.yaml': BYOD_CA('android', AND_BOTH), '/t/app.yaml': UNMANAGED('android-app-l2', 'androidManagedAppProtection'), '/t/wp.yaml': WP });
  const r = evaluate(android.view, { user: 'grp-byod', platform: 'android', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', deviceCompliant: true, appProtected: true });
  assert.match(r.unsatisfiable.map((u) => u.reason).join('\n'), /with a compliant device \(AND\), but .*android-app-l2 .* targets apps on unmanaged devices only: a compliant device is enrolled in Intune/);
  const lockout = lockoutCheck(android.view);
  const hit = lockout.findings.find((f) => f.platforms.includes('android'));
  assert.ok(hit, JSON.stringify(lockout));
  assert.match(hit.fix, /^target apps on managed devices too in the Android app protection policies .*or drop the compliant device from the AND in ca-byod-app/);
  assert.match(android.findings.find((f) => f.ruleId === 'app-protection-targets-no-app')?.message ?? '', /with a compliant device \(AND\), which only a device Intune manages meets.*can never be met on Android/);
  assert.deepEqual(android.findings.filter((f) => f.ruleId === 'ca-requires-app-protection'), []);
  // iOS: an enrolled device's app gets the policy unless the MDM passes it IntuneMAMUPN: in doubt, not certain.
  const ios = await memoryTenant({ '/t/zerotrust.yaml': LITWARE, '/t/ca.yaml': BYOD_CA('iOS', AND_BOTH), '/t/app.yaml': UNMANAGED('ios-app-l2', 'iosManagedAppProtection'), '/t/ios.yaml': compliance('ios-compliance', 'iosCompliancePolicy') });
  const i = evaluate(ios.view, { user: 'grp-byod', platform: 'iOS', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', deviceCompliant: true });
  assert.deepEqual(i.unsatisfiable, []);
  assert.match((i.uncertain ?? []).map((u) => u.reason).join('\n'), /may be unsatisfiable on enrolled devices: .*ios-app-l2 .*the grant asks a compliant device too \(AND\).*`IntuneMAMUPN`/);
  assert.deepEqual(lockoutCheck(ios.view).findings, []);
});

// The r30 t23-windows-mam-managed-pcs shape: Windows app protection (Edge) for all users, a CA policy for Windows
// browsers asking app protection alone, while corporate PCs enroll (Autopilot, a Windows compliance policy). Intune MAM
// on Windows applies only to PCs neither MDM enrolled nor Microsoft Entra joined
// (https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy-settings-windows).
const WINDOWS_MAM_FIXTURES = join(__dirname, '..', 'fixtures', 'ca-requires-app-protection');

/** A Windows MAM fixture tenant's files, as `memoryTenant` reads them. */
function fixtureFiles(name: string, drop: readonly string[] = []): Record<string, string> {
  return fixtureDirFiles(join(WINDOWS_MAM_FIXTURES, name), drop);
}

test('Windows app protection alone while the tenant enrolls PCs: the rule warns, What If says a compliant or hybrid joined PC is blocked (naming the OR fix), the lockout check says "may" (r30 t23)', async () => {
  const { view, findings } = await memoryTenant(fixtureFiles('fires-windows-mam-enrolled-pcs'));
  const hit = findings.filter((f) => f.ruleId === 'ca-requires-app-protection');
  assert.deepEqual(hit.map((f) => [f.severity, f.layer]), [['warning', 1]]);
  assert.match(hit[0]!.message, /requires app protection \(`compliantApplication`\) on `windows` with no compliant device beside it, and the tenant enrolls Windows PCs \(`win-compliance` and `autopilot-user-driven`\): Intune MAM on Windows applies only to devices neither MDM enrolled nor Microsoft Entra joined/);
  assert.match(hit[0]!.message, /Offer a compliant device with OR/);
  const scenario = { user: 'alice@fabrikam.example', platform: 'windows', app: 'Office365', clientApp: 'browser' } as const;
  // A compliant PC is MDM enrolled: certain, whatever the tenant enrolls.
  const compliant = evaluate(view, { ...scenario, deviceCompliant: true });
  assert.equal(compliant.verdict, 'unsatisfiable');
  assert.match(compliant.unsatisfiable.map((u) => u.reason).join('\n'), /this device is compliant, so MDM enrolled, and Intune MAM on Windows applies only to devices neither MDM enrolled nor Microsoft Entra joined.*offer a compliant device with OR in ca-windows-browser-app/);
  assert.deepEqual(compliant.unsatisfiable.map((u) => [u.rule, u.gap]), [['ca-requires-app-protection', 'managedWindows']]);
  assert.match(evaluate(view, { ...scenario, hybridJoined: true }).unsatisfiable.map((u) => u.reason).join('\n'), /this device is hybrid joined, so Microsoft Entra joined/);
  // A PC the scenario does not call managed may be one the tenant enrolls: in doubt; with the app protected, it is not.
  const plain = evaluate(view, scenario);
  assert.deepEqual(plain.unsatisfiable, []);
  assert.match((plain.uncertain ?? []).map((u) => u.reason).join('\n'), /may be unsatisfiable on enrolled PCs: the tenant enrolls Windows devices \(win-compliance and autopilot-user-driven\)/);
  assert.deepEqual(evaluate(view, { ...scenario, appProtected: true }).uncertain ?? [], []);
  const lockout = lockoutCheck(view);
  assert.deepEqual(lockout.findings, []);
  const doubt = (lockout.mayLockOut ?? []).find((f) => f.platforms.includes('windows'));
  assert.equal(doubt?.gap, 'managedWindows');
  assert.match(doubt?.fix ?? '', /^if these users sign in from Windows PCs the tenant enrolls or joins, where Intune MAM does not apply, offer a compliant device with OR in ca-windows-browser-app/);
  assert.match(lockoutText(lockout, (p) => p), /may lock accounts out: Windows app protection applies only on PCs neither MDM enrolled nor Microsoft Entra joined, and these users may sign in from PCs the tenant enrolls$/m);
});

test('Windows app protection OR a compliant device (Learn\'s policy), or a tenant that enrolls no PC: nothing said; a compliant PC still cannot meet app protection alone', async () => {
  const or = await memoryTenant(fixtureFiles('ok-windows-mam-or-compliant-device'));
  assert.deepEqual(or.findings.filter((f) => f.ruleId === 'ca-requires-app-protection'), []);
  const scenario = { user: 'alice@fabrikam.example', platform: 'windows', app: 'Office365', clientApp: 'browser' } as const;
  const compliant = evaluate(or.view, { ...scenario, deviceCompliant: true });
  assert.deepEqual([compliant.verdict, compliant.unsatisfiable], ['allowed', []]);
  assert.deepEqual(evaluate(or.view, scenario).uncertain ?? [], []);
  assert.deepEqual((lockoutCheck(or.view).mayLockOut ?? []).filter((f) => f.platforms.includes('windows')), []);
  // No compliance policy, no Autopilot profile: MAM for personal PCs only, nothing in doubt.
  const mamOnly = await memoryTenant(fixtureFiles('fires-windows-mam-enrolled-pcs', ['compliance/windows.yaml', 'enrollment/autopilot.yaml']));
  assert.deepEqual(mamOnly.findings.filter((f) => f.ruleId === 'ca-requires-app-protection'), []);
  assert.deepEqual(evaluate(mamOnly.view, scenario).uncertain ?? [], []);
  assert.deepEqual((lockoutCheck(mamOnly.view).mayLockOut ?? []).filter((f) => f.platforms.includes('windows')), []);
  // The scenario says the PC is compliant, so managed: that is certain whatever the files show of enrollment.
  assert.equal(evaluate(mamOnly.view, { ...scenario, deviceCompliant: true }).verdict, 'unsatisfiable');
  // The Autopilot profile alone shows the tenant enrolls PCs.
  const autopilot = await memoryTenant(fixtureFiles('fires-windows-mam-enrolled-pcs', ['compliance/windows.yaml']));
  assert.match(autopilot.findings.find((f) => f.ruleId === 'ca-requires-app-protection')?.message ?? '', /the tenant enrolls Windows PCs \(`autopilot-user-driven`\)/);
  // An Autopilot profile assigned to a group of users only reaches no device (autopilot-profile-assignment says so):
  // it shows no enrollment either, one answer for both rules (model.enrollmentEvidence).
  const files = fixtureFiles('fires-windows-mam-enrolled-pcs', ['compliance/windows.yaml']);
  const key = Object.keys(files).find((k) => k.endsWith('enrollment/autopilot.yaml'))!;
  const toUsers = await memoryTenant({ ...files, [key]: files[key]!.replace('include: [allDevices]', 'include: [grp-staff]') });
  assert.deepEqual(toUsers.findings.filter((f) => f.ruleId === 'ca-requires-app-protection'), []);
  assert.equal(toUsers.findings.filter((f) => f.ruleId === 'autopilot-profile-assignment').length, 1);
});

test('Windows app protection AND a compliant device: no PC meets both, an error, and the lockout check finds it with the OR fix', async () => {
  const { view, findings } = await memoryTenant(fixtureFiles('fires-windows-mam-and-compliant-device'));
  const hit = findings.filter((f) => f.ruleId === 'ca-requires-app-protection');
  assert.deepEqual(hit.map((f) => f.severity), ['error']);
  assert.match(hit[0]!.message, /and a compliant device \(AND\) on `windows`: .*a compliant device is MDM enrolled, so no PC meets both/);
  const lockout = lockoutCheck(view);
  const found = lockout.findings.find((f) => f.platforms.includes('windows'));
  assert.ok(found, JSON.stringify(lockout));
  assert.match(found.fix, /^turn the AND into OR in ca-windows-browser-app/);
  // The grant is not the compliance rules' to report: a compliance policy reaches every PC.
  assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-group-alignment' || f.ruleId === 'ca-requires-compliance-policy'), []);
});

test('Windows app protection alone, the Windows compliance file unparseable and no Autopilot profile: "may", naming the file, in What If and the lockout check; the rule holds back; layer 3 unknown (r30 audit w6)', async () => {
  const files = fixtureFiles('fires-windows-mam-enrolled-pcs', ['enrollment/autopilot.yaml']);
  const key = Object.keys(files).find((k) => k.endsWith('compliance/windows.yaml'))!;
  const { view, findings } = await memoryTenant({ ...files, [key]: 'kind: CompliancePolicy\nname: win-compliance\nspec: {\n  "@odata.type": [\n' });
  // check: nothing from the rule (the file it rests on is not read); yaml-syntax says so on the file.
  assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-requires-app-protection'), []);
  assert.ok(findings.some((f) => f.ruleId === 'yaml-syntax'));
  const scenario = { user: 'alice@fabrikam.example', platform: 'windows', app: 'Office365', clientApp: 'browser' } as const;
  const plain = evaluate(view, scenario);
  assert.deepEqual(plain.unsatisfiable, []);
  assert.match((plain.uncertain ?? []).map((u) => u.reason).join('\n'), /no readable file shows the tenant enrolls Windows devices, but `compliance\/windows.yaml` is not analysed .* may hold a Windows compliance policy;/);
  const lockout = lockoutCheck(view);
  assert.deepEqual(lockout.findings, []);
  const doubt = (lockout.mayLockOut ?? []).find((f) => f.platforms.includes('windows'));
  assert.equal(doubt?.gap, 'unread');
  assert.match(doubt?.fix ?? '', /^make the file the reason names readable .*if it shows the tenant enrolls Windows PCs .*offer a compliant device with OR in ca-windows-browser-app/);
  const layer3 = prerequisiteLines(view, 3).lines.find((l) => l.label === 'Windows compliance');
  assert.match(JSON.stringify(layer3), /windows.yaml/);
  // Deleted, not unreadable: no enrollment shown, nothing in doubt.
  const deleted = await memoryTenant(fixtureFiles('fires-windows-mam-enrolled-pcs', ['enrollment/autopilot.yaml', 'compliance/windows.yaml']));
  assert.deepEqual((lockoutCheck(deleted.view).mayLockOut ?? []).filter((f) => f.platforms.includes('windows')), []);
});

test('Windows app protection OR a compliant device the users\' compliance policy does not reach: the why says the device option fails and why, the fix makes it reachable, never "offer a compliant device with OR" (r30 audit w16)', async () => {
  const files = fixtureFiles('fires-windows-mam-enrolled-pcs');
  const ca = Object.keys(files).find((k) => k.endsWith('ca-windows-browser-app.yaml'))!;
  const win = Object.keys(files).find((k) => k.endsWith('compliance/windows.yaml'))!;
  const { view, findings } = await memoryTenant({
    ...files,
    [ca]: files[ca]!.replace('builtInControls: [compliantApplication]', 'builtInControls: [compliantApplication, compliantDevice]'),
    [win]: files[win]!.replace('include: [allUsers]', 'include: [grp-staff]'),
  });
  // check: Learn's design (OR), so the rule says nothing; which PC a user outside grp-staff signs in from is not in the files.
  assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-requires-app-protection' || f.ruleId === 'ca-group-alignment'), []);
  const lockout = lockoutCheck(view);
  assert.deepEqual(lockout.findings, []);
  // The Global Administrator (always signed in as) has a doubt of its own, about the groups; this one is the users'.
  const doubt = (lockout.mayLockOut ?? []).find((f) => f.platforms.includes('windows') && f.subjects.some((s) => s.user === 'sample@all-users'));
  assert.equal(doubt?.gap, 'managedWindows');
  assert.match(doubt?.explanation ?? '', /; the other option, a compliant device, fails for them: compliant device required on windows, but the tenant's Windows compliance policy win-compliance is assigned to grp-staff/);
  assert.match(doubt?.fix ?? '', /make the compliant device ca-windows-browser-app already offers with OR reachable for these users on Windows: assign the Windows compliance policy to them/);
  assert.doesNotMatch(doubt?.fix ?? '', /offer a compliant device with OR/);
  const scenario = { user: 'nobody@fabrikam.example', platform: 'windows', app: 'Office365', clientApp: 'browser' } as const;
  const compliant = evaluate(view, { ...scenario, deviceCompliant: true });
  assert.doesNotMatch(compliant.summary, /offer a compliant device with OR/);
  assert.match(compliant.summary, /make the compliant device ca-windows-browser-app already offers with OR reachable/);
  // Learn's policy, the compliance policy reaching everyone: a compliant PC meets the device option instead.
  const or = await memoryTenant(fixtureFiles('ok-windows-mam-or-compliant-device'));
  const met = evaluate(or.view, { ...scenario, user: 'alice@fabrikam.example', deviceCompliant: true });
  const app = met.policies.flatMap((p) => p.grant?.controls ?? []).find((c) => c.control === 'compliantApplication');
  assert.match(app?.reason ?? '', /offers a compliant device with OR, which a PC the tenant manages meets instead/);
});

/** The pure editor services, called directly with inline YAML and `|` cursor markers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService, type PolicyService } from '../../server/src/core/service';
import { complete } from '../../server/src/core/features/completion';
import { hover } from '../../server/src/core/features/hover';
import { documentSymbols, workspaceSymbols } from '../../server/src/core/features/navigation';
import { parseText } from '../../server/src/core/document';

const MANIFEST = `kind: Tenant
name: t
licenses: [M365_E3]
platforms: [windows, iOS, android]
groups:
  - name: grp-staff
    description: Everyone
  - name: grp-bg
breakGlass: { groups: [grp-bg], users: [bg@t.example] }
teams:
  identity: {}
  endpoint: {}
`;

function service(files: Record<string, string>): PolicyService {
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  s.update('/t/zerotrust.yaml', MANIFEST, 1);
  for (const [p, text] of Object.entries(files)) s.update(p, text, 1);
  return s;
}

function completeAt(path: string, marked: string, extra: Record<string, string> = {}): string[] {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const s = service({ ...extra, [path]: text });
  return complete(s, path, text, offset).map((e) => e.label);
}

test('completion: CA include groups (block list) offer manifest groups', () => {
  const labels = completeAt('/t/ca/x.yaml', `kind: ConditionalAccessPolicy
name: x
spec:
  conditions:
    users:
      includeGroups:
        - |
`);
  assert.deepEqual(labels.sort(), ['grp-bg', 'grp-staff']);
});

test('completion: includeUsers offers All/None/GuestsOrExternalUsers/AllAgentIdUsers and break-glass users', () => {
  const labels = completeAt('/t/ca/x.yaml', `kind: ConditionalAccessPolicy
name: x
spec:
  conditions:
    users:
      includeUsers: [|]
`);
  assert.deepEqual(labels, ['All', 'None', 'GuestsOrExternalUsers', 'AllAgentIdUsers', 'bg@t.example']);
});

test('completion: keys of a list item in a settings catalog setting', () => {
  const labels = completeAt('/t/cfg/x.yaml', `kind: ConfigurationProfile
name: x
spec:
  name: x
  platforms: windows10
  technologies: mdm
  settings:
    - settingInstance:
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"
        |
`);
  assert.ok(labels.includes('settingDefinitionId') && labels.includes('choiceSettingValue'), labels.join());
});

test('completion: @odata.type chooses the subtype whose keys are offered', () => {
  const ios = completeAt('/t/c/x.yaml', `kind: CompliancePolicy
name: x
spec:
  "@odata.type": "#microsoft.graph.iosCompliancePolicy"
  pass|
`);
  assert.ok(ios.includes('passcodeRequired') && !ios.includes('bitLockerEnabled'));
});

test('completion: what Graph sets itself (id, timestamps, version) is offered last and marked read-only', () => {
  const text = `kind: CompliancePolicy
name: x
spec:
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"
  
`;
  const s = service({ '/t/c/x.yaml': text });
  const entries = complete(s, '/t/c/x.yaml', text, text.length - 1);
  const sorted = [...entries].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  const labels = sorted.map((e) => e.label);
  for (const ro of ['id', 'createdDateTime', 'lastModifiedDateTime', 'version']) {
    const i = labels.indexOf(ro);
    assert.ok(i >= 0, `${ro} is offered`);
    assert.ok(labels.indexOf('bitLockerEnabled') < i && labels.indexOf('displayName') < i, `${ro} comes after the settings an author writes`);
    assert.match(sorted[i]!.detail ?? '', /read-only/);
  }
  assert.doesNotMatch(sorted.find((e) => e.label === 'bitLockerEnabled')!.detail ?? '', /read-only/);
});

/** A Windows compliance policy whose one noncompliance action is written as `action` (`|`: the cursor). */
function windowsActions(action: string): string {
  return `kind: CompliancePolicy
name: w
spec:
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"
  scheduledActionsForRule:
    - ruleName: PasswordRequired
      scheduledActionConfigurations:
        - ${action}
`;
}

test('completion: manifest platforms and licences', () => {
  assert.deepEqual(completeAt('/t/zerotrust.yaml', MANIFEST.replace('platforms: [windows, iOS, android]', 'platforms: [|]')).sort(), ['android', 'iOS', 'linux', 'macOS', 'windows']);
  const lic = completeAt('/t/zerotrust.yaml', MANIFEST.replace('licenses: [M365_E3]', 'licenses: [|]'));
  assert.ok(lic.includes('M365_E5') && lic.includes('ENTRA_ID_P2') && lic.includes('M365_A3') && lic.includes('M365_G5_SECURITY') && lic.includes('M365_A1') && lic.includes('M365_A5_SECURITY') && lic.length === 24);
});

test('completion: an empty file offers a snippet for every kind', () => {
  const labels = completeAt('/t/new.yaml', '|');
  assert.equal(labels.filter((l) => l.endsWith(' policy')).length, 8);
});

test('completion: DLP activities and actions come from the schema', () => {
  const labels = completeAt('/t/dlp/x.yaml', `kind: EndpointDlpPolicy
name: x
spec:
  mode: Enable
  locations: { devices: { include: [All] } }
  rules:
    - name: r
      restrictions:
        - activity: |
`);
  assert.ok(labels.includes('copyToRemovableMedia') && labels.includes('cloudEgress'));
});

test('hover: kind shows the layer, licences and live prerequisites', () => {
  const text = `kind: CompliancePolicy
name: ios
spec:
  "@odata.type": "#microsoft.graph.iosCompliancePolicy"
  displayName: iOS
`;
  const s = service({ '/t/c/ios.yaml': text });
  const h = hover(s, '/t/c/ios.yaml', 3)!;
  assert.match(h.markdown, /Layer 3 · Compliance policies/);
  // The manifest does not declare the Apple push certificate: unknown, not "cannot enroll".
  assert.match(h.markdown, /Enrolled devices \(layer 2\).*iOS\/iPadOS \? \(unknown: the manifest does not declare `settings.applePushCertificate`\)/);
  assert.match(h.markdown, /this tenant: ✓ licensed/);
});

test('hover: a beta-only property says so', () => {
  const text = `kind: CompliancePolicy
name: w
spec:
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"
  tpmRequired: true
`;
  const s = service({ '/t/c/w.yaml': text });
  const h = hover(s, '/t/c/w.yaml', text.indexOf('tpmRequired') + 2)!;
  assert.match(h.markdown, /\*\*tpmRequired\*\* · `boolean`/);
  assert.match(h.markdown, /Beta only/);
});

test('hover: an enum value lists the allowed values', () => {
  const text = `kind: ConditionalAccessPolicy
name: c
spec:
  displayName: c
  state: enabledForReportingButNotEnforced
  conditions: {}
`;
  const s = service({ '/t/ca/c.yaml': text });
  const h = hover(s, '/t/ca/c.yaml', text.indexOf('enabledFor') + 3)!;
  assert.match(h.markdown, /Allowed: `enabled`, `disabled`, `enabledForReportingButNotEnforced`/);
});

test('symbols: outline and workspace search by name or displayName', () => {
  const text = 'kind: CompliancePolicy\nname: win-a\nspec:\n  displayName: Windows A\n  scheduledActionsForRule:\n    - ruleName: PasswordRequired\n';
  const syms = documentSymbols(parseText('/x.yaml', text));
  assert.deepEqual(syms.map((s) => s.name), ['kind', 'name', 'spec']);
  assert.equal(syms[2]!.children[1]!.children[0]!.name, 'PasswordRequired');
  const s = service({ '/t/c/a.yaml': text });
  assert.deepEqual(workspaceSymbols(s, 'wina').map((x) => x.name), ['win-a']);
  assert.deepEqual(workspaceSymbols(s, 'Windows A').map((x) => x.name), ['win-a']);
});

test('hover: an app protection setting shows the data protection framework level reached', () => {
  const text = `kind: AppProtectionPolicy
name: ios
spec:
  "@odata.type": "#microsoft.graph.iosManagedAppProtection"
  displayName: iOS
  pinRequired: true
  deviceComplianceRequired: true
  appDataEncryptionType: whenDeviceLocked
  dataBackupBlocked: true
`;
  const s = service({ '/t/app/ios.yaml': text });
  const h = hover(s, '/t/app/ios.yaml', text.indexOf('pinRequired') + 2)!;
  assert.match(h.markdown, /reaches Level 1 \(Enterprise basic\)/);
  assert.match(h.markdown, /Level 2 \(Enterprise enhanced\) also needs .*allowedOutboundDataTransferDestinations/);
  const k = hover(s, '/t/app/ios.yaml', 3)!;
  assert.match(k.markdown, /Data protection framework/);
});

function entriesAt(path: string, marked: string, extra: Record<string, string> = {}) {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const s = service({ ...extra, [path]: text });
  return { entries: complete(s, path, text, offset), text };
}

test('hover: allUsers, allDevices and a DLP All are built-in targets, not groups to add', () => {
  const comp = `kind: CompliancePolicy\nname: w\nassignments:\n  include: [allDevices]\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n`;
  const ios = `kind: CompliancePolicy\nname: i\nassignments:\n  include: [allUsers]\nspec:\n  "@odata.type": "#microsoft.graph.iosCompliancePolicy"\n`;
  const dlp = `kind: EndpointDlpPolicy\nname: d\nspec:\n  mode: Enable\n  locations:\n    devices: { include: [All], exclude: [grp-staff] }\n`;
  const s = service({ '/t/c/w.yaml': comp, '/t/c/i.yaml': ios, '/t/dlp/d.yaml': dlp });
  const w = hover(s, '/t/c/w.yaml', comp.indexOf('allDevices') + 2)!.markdown;
  assert.match(w, /Built-in target.*all devices.*#microsoft\.graph\.allDevicesAssignmentTarget/);
  assert.doesNotMatch(w, /not in the tenant manifest|add it/);
  assert.match(hover(s, '/t/c/i.yaml', ios.indexOf('allUsers') + 2)!.markdown, /Built-in target.*allLicensedUsersAssignmentTarget/);
  const d = hover(s, '/t/dlp/d.yaml', dlp.indexOf('[All]') + 1)!.markdown;
  assert.match(d, /Built-in target/);
  assert.doesNotMatch(d, /not in the tenant manifest/);
  assert.match(hover(s, '/t/dlp/d.yaml', dlp.indexOf('grp-staff') + 2)!.markdown, /Group `grp-staff`/);
});

test('completion: a key in a JSON file inserts `"key": ` over the quotes typed and leaves out keys already there', () => {
  const json = `{
  "kind": "CompliancePolicy",
  "name": "w",
  "spec": {
    "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
    "displayName": "W",
    "secureBootEnabled": true,
    "|": null,
    "tpmRequired": true
  }
}`;
  const { entries, text } = entriesAt('/t/c/w.json', json);
  const labels = entries.map((e) => e.label);
  assert.ok(labels.includes('bitLockerEnabled'));
  for (const had of ['secureBootEnabled', 'tpmRequired', 'displayName']) assert.ok(!labels.includes(had), had);
  const e = entries.find((x) => x.label === 'bitLockerEnabled')!;
  // `: null` follows the quotes: only the quoted key goes in, over `""`.
  assert.equal(e.insertText, '"bitLockerEnabled"');
  assert.equal(text.slice(e.replace!.offset, e.replace!.offset + e.replace!.length), '""');
  assert.equal(e.filterText, '"bitLockerEnabled"');
  // A bare new line in an object that does not parse: `"key": ` at the cursor.
  const bare = json.replace('    "|": null,\n', '    |\n');
  // Another property follows with no comma between: the comma goes in too, the cursor before it.
  const b = entriesAt('/t/c/w.json', bare).entries.find((x) => x.label === 'bitLockerEnabled')!;
  assert.equal(b.insertText, '"bitLockerEnabled": $0,');
  assert.equal(b.snippet, true);
  assert.equal(b.replace!.length, 0);
  // A key half typed inside its quotes: replaced whole.
  const part = entriesAt('/t/c/w.json', json.replace('"|": null', '"bitL|"'));
  const p = part.entries.find((x) => x.label === 'bitLockerEnabled')!;
  assert.equal(p.insertText, '"bitLockerEnabled": ');
  assert.equal(part.text.slice(p.replace!.offset, p.replace!.offset + p.replace!.length), '"bitL"');
});

test('completion: inside YAML flow mappings and lists, the same values as block style', () => {
  const ca = `kind: ConditionalAccessPolicy
name: c
spec:
  state: enabled
  conditions:
    users: { includeGroups: [grp-staff, |], excludeGroups: [grp-bg] }
    applications: { includeApplications: [Office365] }
    platforms: { includePlatforms: [windows, iOS] }
  grantControls: { operator: OR, builtInControls: [mfa] }
`;
  // grp-staff is in the list already: only grp-bg is offered (the list's own items are left out: see below).
  assert.deepEqual(completeAt('/t/ca/c.yaml', ca).sort(), ['grp-bg']);
  const plat = completeAt('/t/ca/c.yaml', ca.replace('grp-staff, |', 'grp-staff').replace('[windows, iOS]', '[windows, |]'));
  assert.ok(plat.includes('android') && plat.includes('macOS'), plat.join());
  const grant = completeAt('/t/ca/c.yaml', ca.replace('grp-staff, |', 'grp-staff').replace('[mfa]', '[mfa, |]'));
  assert.ok(grant.includes('compliantDevice') && grant.includes('block'), grant.join());
  const win = windowsActions('{ actionType: |, gracePeriodHours: 24 }');
  const actions = completeAt('/t/c/w.yaml', win);
  assert.ok(actions.includes('block') && actions.includes('notification'), actions.join());
  const keys = completeAt('/t/c/w.yaml', win.replace('actionType: |, gracePeriodHours: 24', 'actionType: block, |'));
  assert.ok(keys.includes('notificationTemplateId') && !keys.includes('actionType'), keys.join());
});

test('completion: a raw Graph CA export gets group ids, labelled with the names; our format keeps names', () => {
  const manifest = MANIFEST.replace('  - name: grp-staff\n', '  - name: grp-staff\n    id: 11111111-1111-4111-8111-111111111111\n');
  const raw = `{
  "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
  "displayName": "CA",
  "state": "enabled",
  "conditions": { "users": { "includeUsers": [], "excludeGroups": ["|"] }, "applications": { "includeApplications": ["All"] } },
  "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }
}`;
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  s.update('/t/zerotrust.yaml', manifest, 1);
  const offset = raw.indexOf('|');
  const text = raw.replace('|', '');
  s.update('/t/ca/raw.json', text, 1);
  const entries = complete(s, '/t/ca/raw.json', text, offset);
  const staff = entries.find((e) => e.label === 'grp-staff')!;
  assert.equal(staff.insertText, '11111111-1111-4111-8111-111111111111');
  assert.match(staff.detail!, /grp-staff/);
  assert.match(staff.detail!, /11111111-1111-4111-8111-111111111111/);
  // grp-bg has no object id: nothing Graph would take.
  assert.ok(!entries.some((e) => e.label === 'grp-bg'));
  const ours = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  conditions:\n    users:\n      excludeGroups: [|]\n`;
  const o = entriesAt('/t/ca/c.yaml', ours, {}).entries.find((e) => e.label === 'grp-staff')!;
  assert.equal(o.insertText, 'grp-staff');
});

test('completion: the groups and users a CA list holds already are not offered again, by name or id, raw or ours, JSON or YAML, block or flow', () => {
  const STAFF = '11111111-1111-4111-8111-111111111111';
  const BG = '22222222-2222-4222-8222-222222222222';
  const manifest = MANIFEST.replace('  - name: grp-staff\n', `  - name: grp-staff\n    id: ${STAFF}\n`).replace('  - name: grp-bg\n', `  - name: grp-bg\n    id: ${BG}\n  - name: grp-finance\n    id: 33333333-3333-4333-8333-333333333333\n`);
  const at = (path: string, marked: string): string[] => {
    const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
    s.update('/t/zerotrust.yaml', manifest, 1);
    const text = marked.replace('|', '');
    s.update(path, text, 1);
    return complete(s, path, text, marked.indexOf('|')).map((e) => e.label).sort();
  };
  // A raw Graph export (the corpus's case): the break-glass group's id is excluded already.
  const raw = (users: string): string => `{
  "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
  "displayName": "CA",
  "state": "enabled",
  "conditions": { "users": ${users}, "applications": { "includeApplications": ["All"] } },
  "grantControls": { "operator": "OR", "builtInControls": ["block"] }
}`;
  assert.deepEqual(at('/t/ca/raw.json', raw(`{ "includeUsers": ["All"], "excludeGroups": ["${BG}", "|"] }`)), ['grp-finance', 'grp-staff']);
  // By the group's display name, as some exports and hand edits write it; ids compared without case.
  assert.deepEqual(at('/t/ca/raw.json', raw(`{ "includeUsers": ["All"], "excludeGroups": ["grp-bg", "${STAFF.toUpperCase()}", "|"] }`)), ['grp-finance']);
  // JSON, the list on lines of its own, the cursor before an item.
  assert.deepEqual(at('/t/ca/raw.json', raw(`{\n      "includeGroups": [\n        "|",\n        "${STAFF}"\n      ]\n    }`)), ['grp-bg', 'grp-finance']);
  // A raw export written as YAML, block and flow.
  const rawYaml = (users: string): string => `"@odata.type": "#microsoft.graph.conditionalAccessPolicy"\ndisplayName: CA\nstate: enabled\nconditions:\n  users:\n${users}  applications:\n    includeApplications: [All]\ngrantControls:\n  operator: OR\n  builtInControls: [block]\n`;
  assert.deepEqual(at('/t/ca/raw.yaml', rawYaml(`    includeUsers: [All]\n    excludeGroups:\n      - ${BG}\n      - |\n`)), ['grp-finance', 'grp-staff']);
  assert.deepEqual(at('/t/ca/raw.yaml', rawYaml(`    includeUsers: [All]\n    excludeGroups: [${BG}, |]\n`)), ['grp-finance', 'grp-staff']);
  // Our format, block and flow: a group named by its id is held as much as by its name.
  const ours = (users: string): string => `kind: ConditionalAccessPolicy\nname: c\nspec:\n  state: enabled\n  conditions:\n    users:\n${users}`;
  assert.deepEqual(at('/t/ca/c.yaml', ours(`      includeGroups:\n        - ${STAFF}\n        - |\n`)), ['grp-bg', 'grp-finance']);
  assert.deepEqual(at('/t/ca/c.yaml', ours(`      includeUsers: [All]\n      excludeGroups: [grp-bg, grp-finance, |]\n`)), ['grp-staff']);
  // Users: a keyword or a break-glass account already in the list is not offered again.
  assert.ok(!at('/t/ca/c.yaml', ours('      includeUsers: [All, |]\n')).includes('All'));
  assert.ok(at('/t/ca/c.yaml', ours('      includeUsers: [|]\n')).includes('All'));
  assert.deepEqual(at('/t/ca/c.yaml', ours('      excludeUsers:\n        - bg@t.example\n        - |\n')).filter((l) => l.includes('@')), []);
  assert.deepEqual(at('/t/ca/c.yaml', ours('      excludeUsers:\n        - |\n')).filter((l) => l.includes('@')), ['bg@t.example']);
  // The near miss: the item being typed is not "held", even typed in full, so it is still offered where it stands.
  assert.deepEqual(at('/t/ca/c.yaml', ours('      excludeGroups:\n        - grp-bg|\n')), ['grp-bg', 'grp-finance', 'grp-staff']);
  assert.deepEqual(at('/t/ca/raw.json', raw(`{ "includeUsers": ["All"], "excludeGroups": ["${BG}|"] }`)), ['grp-bg', 'grp-finance', 'grp-staff']);
});

test('completion: a list of enum values is not offered what it holds (grant controls, client app types, the manifest\'s platforms and licences), block or flow, ours or raw', () => {
  const at = (path: string, marked: string): string[] => entriesAt(path, marked).entries.map((e) => e.label);
  const ca = (grant: string): string => `kind: ConditionalAccessPolicy\nname: c\nspec:\n  grantControls:\n    operator: OR\n    builtInControls: ${grant}\n`;
  const flow = at('/t/ca/c.yaml', ca('[mfa, compliantDevice, |]'));
  assert.ok(!flow.includes('mfa') && !flow.includes('compliantDevice'), flow.join());
  assert.ok(flow.includes('domainJoinedDevice') && flow.includes('block'), flow.join());
  const block = at('/t/ca/c.yaml', `kind: ConditionalAccessPolicy\nname: c\nspec:\n  conditions:\n    clientAppTypes:\n      - exchangeActiveSync\n      - |\n`);
  assert.ok(!block.includes('exchangeActiveSync') && block.includes('other'), block.join());
  // The value typed in full is still offered where it stands; an empty list is offered everything.
  assert.ok(at('/t/ca/c.yaml', ca('[mfa|]')).includes('mfa'));
  assert.ok(at('/t/ca/c.yaml', ca('[|]')).includes('mfa'));
  // A raw Graph export, JSON.
  const raw = at('/t/ca/raw.json', `{\n  "@odata.type": "#microsoft.graph.conditionalAccessPolicy",\n  "displayName": "CA",\n  "grantControls": { "operator": "OR", "builtInControls": ["mfa", "|"] }\n}`);
  assert.ok(!raw.includes('mfa') && raw.includes('compliantDevice'), raw.join());
  // The manifest's platforms and licences.
  const platforms = at('/t/zerotrust.yaml', 'kind: Tenant\nname: t\nplatforms: [windows, iOS, |]\n');
  assert.deepEqual(platforms.filter((l) => ['windows', 'iOS', 'android', 'macOS'].includes(l)).sort(), ['android', 'macOS']);
  const licences = at('/t/zerotrust.yaml', 'kind: Tenant\nname: t\nlicenses:\n  - M365_E5\n  - |\n');
  assert.ok(!licences.includes('M365_E5') && licences.includes('M365_E3'), licences.join());
});

test('completion: no unknownFutureValue, approvedApplication marked retired and last, Windows actions as the hover says', () => {
  const ca = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  grantControls:\n    operator: OR\n    builtInControls: [mfa, |]\n`;
  const { entries } = entriesAt('/t/ca/c.yaml', ca);
  const labels = entries.map((e) => e.label);
  assert.ok(!labels.includes('unknownFutureValue'));
  const approved = entries.find((e) => e.label === 'approvedApplication')!;
  assert.match(approved.detail!, /retired in March 2026/);
  assert.ok(entries.every((e) => e === approved || (e.sortText ?? e.label) < approved.sortText!));
  const win = windowsActions('actionType: |');
  const actions = completeAt('/t/c/w.yaml', win);
  for (const no of ['pushNotification', 'remoteLock']) assert.ok(!actions.includes(no), no);
  // Learn lists Windows 10/11 among the platforms of "Retire the noncompliant device" (the retire list).
  assert.ok(actions.includes('wipe') && actions.includes('block') && actions.includes('retire'));
  const ios = completeAt('/t/c/i.yaml', win.replace('windows10CompliancePolicy', 'iosCompliancePolicy'));
  assert.ok(ios.includes('retire') && ios.includes('remoteLock'));
  // The hover reads the same fact.
  const text = win.replace('actionType: |', 'actionType: block');
  const s = service({ '/t/c/w.yaml': text });
  const h = hover(s, '/t/c/w.yaml', text.indexOf('actionType') + 2)!.markdown;
  assert.match(h, /Not offered for Windows: `pushNotification`, `remoteLock`/);
  // The Allowed list is the platform's, as completion's: what it lacks is only in the "not offered" sentence.
  const allowed = /^Allowed: (.*)$/m.exec(h)![1]!;
  assert.equal(allowed, '`noAction`, `notification`, `block`, `retire`, `wipe`, `removeResourceAccessProfiles`');
  const iosText = text.replace('windows10CompliancePolicy', 'iosCompliancePolicy');
  const si = service({ '/t/c/i.yaml': iosText });
  assert.match(hover(si, '/t/c/i.yaml', iosText.indexOf('actionType') + 2)!.markdown, /^Allowed: .*`retire`.*`remoteLock` \(beta\)$/m);
});

test('completion and hover: AOSP and Linux actions are their own rows of Learn\'s table, not Conditional Access\' platforms', () => {
  const win = windowsActions('actionType: |');
  // AOSP is `android` to Conditional Access, as Android Enterprise is; Learn offers AOSP no push notification.
  const aosp = completeAt('/t/c/a.yaml', win.replace('windows10CompliancePolicy', 'aospDeviceOwnerCompliancePolicy'));
  assert.ok(!aosp.includes('pushNotification') && aosp.includes('remoteLock') && aosp.includes('retire'), aosp.join());
  const owner = completeAt('/t/c/a.yaml', win.replace('windows10CompliancePolicy', 'androidDeviceOwnerCompliancePolicy'));
  assert.ok(owner.includes('pushNotification') && owner.includes('remoteLock'), owner.join());
  // Linux: a settings catalog policy, told by its `platforms` (untagged, as Graph exports it: the rule's fixtures).
  const linux = win.replace('"#microsoft.graph.windows10CompliancePolicy"', '"#microsoft.graph.deviceManagementCompliancePolicy"\n  platforms: linux');
  const actions = completeAt('/t/c/l.yaml', linux);
  for (const no of ['pushNotification', 'remoteLock', 'retire']) assert.ok(!actions.includes(no), `${no}: ${actions.join()}`);
  assert.ok(actions.includes('block') && actions.includes('notification'), actions.join());
  const aospText = win.replace('windows10CompliancePolicy', 'aospDeviceOwnerCompliancePolicy').replace('actionType: |', 'actionType: block');
  assert.match(hover(service({ '/t/c/a.yaml': aospText }), '/t/c/a.yaml', aospText.indexOf('actionType') + 2)!.markdown, /Not offered for Android \(AOSP\): `pushNotification` \(\[/);
  const linuxText = linux.replace('actionType: |', 'actionType: block');
  assert.match(hover(service({ '/t/c/l.yaml': linuxText }), '/t/c/l.yaml', linuxText.indexOf('actionType') + 2)!.markdown, /Not offered for Linux: `pushNotification`, `remoteLock`, `retire` \(\[actions for noncompliance\]\(https:\/\/learn\.microsoft\.com\/intune\/device-security\/compliance\/configure-noncompliance-actions\)\)/);
});

test('completion: includeApplications offers the keywords the hover lists; operator offers AND and OR', () => {
  const ca = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  conditions:\n    applications:\n      includeApplications: [|]\n  grantControls:\n    operator: OR\n    builtInControls: [mfa]\n`;
  assert.deepEqual(completeAt('/t/ca/c.yaml', ca).sort(), ['All', 'MicrosoftAdminPortals', 'None', 'Office365']);
  assert.deepEqual(completeAt('/t/ca/c.yaml', ca.replace('includeApplications: [|]', 'excludeApplications: [|]')).sort(), ['MicrosoftAdminPortals', 'Office365']);
  assert.deepEqual(completeAt('/t/ca/c.yaml', ca.replace('[|]', '[All]').replace('operator: OR', 'operator: |')).sort(), ['AND', 'OR']);
  const text = ca.replace('[|]', '[All]');
  const s = service({ '/t/ca/c.yaml': text });
  assert.match(hover(s, '/t/ca/c.yaml', text.indexOf('includeApplications') + 2)!.markdown, /Keywords: `All`, `None`, `Office365`, `MicrosoftAdminPortals`/);
});

test('hover: a CA policy templateId is not called v1.0 only (beta exports carry it)', () => {
  const text = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  templateId: null\n`;
  const s = service({ '/t/ca/c.yaml': text });
  const h = hover(s, '/t/ca/c.yaml', text.indexOf('templateId') + 2)!.markdown;
  assert.doesNotMatch(h, /v1\.0 only/);
  assert.match(h, /beta/);
});

/** The text after accepting an entry as VS Code does: its edit over `replace`, else its text over the word at the cursor. */
function accept(text: string, e: { label: string; insertText?: string; replace?: { offset: number; length: number } }): string {
  assert.ok(e.replace, `${e.label} carries the range it replaces`);
  return text.slice(0, e.replace.offset) + (e.insertText ?? e.label) + text.slice(e.replace.offset + e.replace.length);
}

/** The line of the cursor after accepting the entry labelled `label` at `|`. */
function acceptAt(path: string, marked: string, label: string, extra: Record<string, string> = {}): string {
  const offset = marked.indexOf('|');
  const { entries, text } = entriesAt(path, marked, extra);
  const e = entries.find((x) => x.label === label);
  assert.ok(e, `${label} is offered`);
  const out = accept(text, e);
  return out.split('\n')[text.slice(0, offset).split('\n').length - 1]!;
}

test('completion: a value replaces the whole token under the cursor (VS Code splits words at - and .), quoted as the file needs', () => {
  const ca = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  conditions:\n    users:\n      excludeGroups:\n        - grp-s|\n`;
  assert.equal(acceptAt('/t/ca/c.yaml', ca, 'grp-staff'), '        - grp-staff');
  // The rest of the token after the cursor is replaced too.
  assert.equal(acceptAt('/t/ca/c.yaml', ca.replace('grp-s|', 'grp-|st'), 'grp-staff'), '        - grp-staff');
  const flow = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  conditions:\n    users: { includeUsers: [All], excludeGroups: [grp-b|] }\n`;
  assert.equal(acceptAt('/t/ca/c.yaml', flow, 'grp-bg'), '    users: { includeUsers: [All], excludeGroups: [grp-bg] }');
  // Inside quotes: only what is between them, single or double.
  assert.equal(acceptAt('/t/ca/c.yaml', flow.replace('[grp-b|]', "[grp-bg, 'grp-s|']"), 'grp-staff'), "    users: { includeUsers: [All], excludeGroups: [grp-bg, 'grp-staff'] }");
  assert.equal(acceptAt('/t/ca/c.yaml', flow.replace('[grp-b|]', '["grp-s|"]'), 'grp-staff'), '    users: { includeUsers: [All], excludeGroups: ["grp-staff"] }');
  // An opened quote not closed yet is closed.
  assert.equal(acceptAt('/t/ca/c.yaml', ca.replace('grp-s|', '"grp-s|'), 'grp-staff'), '        - "grp-staff"');

  // `#` starts a YAML comment: an @odata.type typed where no quote is goes in quoted.
  const win = `kind: CompliancePolicy\nname: w\nspec:\n  "@odata.type": |\n  displayName: W\n`;
  assert.equal(acceptAt('/t/c/w.yaml', win, '#microsoft.graph.windows10CompliancePolicy'), '  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"');
  assert.equal(acceptAt('/t/c/w.yaml', win.replace(': |', ': "#microsoft.graph.win|"'), '#microsoft.graph.windows10CompliancePolicy'), '  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"');
  assert.equal(acceptAt('/t/c/w.yaml', 'kind: CompliancePolicy\nname: w\nspec: { "@odata.type": | }\n', '#microsoft.graph.windows10CompliancePolicy'), 'spec: { "@odata.type": "#microsoft.graph.windows10CompliancePolicy" }');
  // A boolean stays a boolean.
  const bool = `kind: CompliancePolicy\nname: w\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  secureBootEnabled: |\n`;
  assert.equal(acceptAt('/t/c/w.yaml', bool, 'true'), '  secureBootEnabled: true');
});

test('completion: in JSON a value typed with no quote goes in as a JSON string, a boolean bare, a group id in quotes', () => {
  const json = `{
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
  "displayName": "W",
  "secureBootEnabled": tr|,
  "scheduledActionsForRule": [
    { "ruleName": "PasswordRequired", "scheduledActionConfigurations": [ { "actionType": bl|, "gracePeriodHours": 0 } ] }
  ]
}`;
  const first = json.replace('bl|', '');
  assert.equal(acceptAt('/t/c/w.json', first, 'true'), '  "secureBootEnabled": true,');
  const second = json.replace('tr|', 'true');
  assert.equal(acceptAt('/t/c/w.json', second, 'block'), '    { "ruleName": "PasswordRequired", "scheduledActionConfigurations": [ { "actionType": "block", "gracePeriodHours": 0 } ] }');
  assert.equal(acceptAt('/t/c/w.json', second.replace('bl|', '"bl|"'), 'block'), '    { "ruleName": "PasswordRequired", "scheduledActionConfigurations": [ { "actionType": "block", "gracePeriodHours": 0 } ] }');
  const manifest = MANIFEST.replace('  - name: grp-staff\n', '  - name: grp-staff\n    id: 11111111-1111-4111-8111-111111111111\n');
  const raw = `{
  "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
  "displayName": "CA",
  "state": "enabled",
  "conditions": { "users": { "includeUsers": ["All"], "excludeGroups": [grp-s|] }, "applications": { "includeApplications": ["All"] } },
  "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }
}`;
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  s.update('/t/zerotrust.yaml', manifest, 1);
  for (const [marked, want] of [
    [raw, '["11111111-1111-4111-8111-111111111111"]'],
    [raw.replace('[grp-s|]', '["grp-s|"]'), '["11111111-1111-4111-8111-111111111111"]'],
  ] as const) {
    const offset = marked.indexOf('|');
    const text = marked.replace('|', '');
    s.update('/t/ca/raw.json', text, 1);
    const e = complete(s, '/t/ca/raw.json', text, offset).find((x) => x.label === 'grp-staff')!;
    assert.equal(e.filterText, 'grp-staff');
    assert.ok(accept(text, e).includes(`"excludeGroups": ${want} }`), accept(text, e));
  }
});

test('completion: a key typed before its colon is replaced by the key alone, in YAML block and flow style as in JSON', () => {
  const win = `kind: CompliancePolicy\nname: w\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  secureBo|: true\n`;
  assert.equal(acceptAt('/t/c/w.yaml', win, 'secureBootEnabled'), '  secureBootEnabled: true');
  assert.equal(acceptAt('/t/c/w.yaml', win.replace('secureBo|: true', 'secure|Bo: true'), 'secureBootEnabled'), '  secureBootEnabled: true');
  // No colon yet: `key: `, over the whole token.
  assert.equal(acceptAt('/t/c/w.yaml', win.replace('secureBo|: true', 'secureBo|'), 'secureBootEnabled'), '  secureBootEnabled: ');
  const flow = windowsActions('{ actionType: block, grace|: 24 }');
  assert.equal(acceptAt('/t/c/w.yaml', flow, 'gracePeriodHours'), '        - { actionType: block, gracePeriodHours: 24 }');
  assert.equal(acceptAt('/t/c/w.yaml', flow.replace('grace|: 24', 'grace|'), 'gracePeriodHours'), '        - { actionType: block, gracePeriodHours:  }');
});

test('completion: a flow list written over several lines completes its items', () => {
  const ca = `kind: ConditionalAccessPolicy
name: c
spec:
  conditions:
    users: { includeUsers: [All] }
  grantControls:
    operator: OR
    builtInControls: [
      mfa,
      |
    ]
`;
  const labels = completeAt('/t/ca/c.yaml', ca);
  assert.ok(labels.includes('compliantDevice') && labels.includes('block'), labels.join());
  assert.equal(acceptAt('/t/ca/c.yaml', ca.replace('      |', '      compl|'), 'compliantDevice'), '      compliantDevice');
  // A mapping over several lines: its keys, and no block-style guess from the indentation.
  const grant = ca.replace('  grantControls:\n    operator: OR\n    builtInControls: [\n      mfa,\n      |\n    ]\n', '  grantControls: {\n    operator: OR,\n    |\n  }\n');
  const keys = completeAt('/t/ca/c.yaml', grant);
  assert.ok(keys.includes('builtInControls') && !keys.includes('operator') && !keys.includes('conditions'), keys.join());
  // After the collection closed, block style again.
  const after = completeAt('/t/ca/c.yaml', ca.replace('      |\n    ]\n', '      compliantDevice\n    ]\n    |\n'));
  assert.ok(after.includes('authenticationStrength') && !after.includes('compliantDevice'), after.join());
});

test('completion: a boolean typed inside quotes goes in bare, its quotes replaced, in JSON and YAML', () => {
  // The review's case: `"secureBootEnabled": "t|"` accepted as `"true"`, which the schema refuses (must be a boolean).
  const json = `{
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
  "displayName": "W",
  "secureBootEnabled": "t|"
}`;
  assert.equal(acceptAt('/t/c/w.json', json, 'true'), '  "secureBootEnabled": true');
  // The client filters on the range's text, which starts at the quote.
  const e = entriesAt('/t/c/w.json', json).entries.find((x) => x.label === 'true')!;
  assert.equal(e.filterText, '"true"');
  assert.equal(acceptAt('/t/c/w.json', json.replace('"t|"', '"|"'), 'false'), '  "secureBootEnabled": false');
  // A quote not closed yet goes too.
  assert.equal(acceptAt('/t/c/w.json', json.replace('"t|"', '"t|'), 'true'), '  "secureBootEnabled": true');
  assert.equal(acceptAt('/t/c/w.json', json.replace('"t|"\n', '"t|",\n  "bitLockerEnabled": true\n'), 'true'), '  "secureBootEnabled": true,');

  const yaml = `kind: CompliancePolicy\nname: w\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  secureBootEnabled: "t|" # on every device\n`;
  assert.equal(acceptAt('/t/c/w.yaml', yaml, 'true'), '  secureBootEnabled: true # on every device');
  assert.equal(acceptAt('/t/c/w.yaml', yaml.replace('"t|"', "'f|'"), 'false'), '  secureBootEnabled: false # on every device');
  assert.equal(acceptAt('/t/c/w.yaml', yaml.replace('"t|" # on every device', '"t|'), 'true'), '  secureBootEnabled: true');
  const flow = `kind: CompliancePolicy\nname: w\nspec: { "@odata.type": "#microsoft.graph.windows10CompliancePolicy", secureBootEnabled: "t|" }\n`;
  assert.equal(acceptAt('/t/c/w.yaml', flow, 'true'), 'spec: { "@odata.type": "#microsoft.graph.windows10CompliancePolicy", secureBootEnabled: true }');
  // The manifest's booleans too.
  const manifest = MANIFEST.replace('teams:', "settings:\n  secureByDefault: 'f|'\nteams:");
  assert.equal(acceptAt('/t/zerotrust.yaml', manifest, 'false'), '  secureByDefault: false');
  // A string value in quotes stays in them.
  const ca = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  grantControls:\n    operator: "O|"\n`;
  assert.equal(acceptAt('/t/ca/c.yaml', ca, 'OR'), '    operator: "OR"');
});

test('completion: a YAML block plain scalar with spaces is replaced whole, up to a comment or the end of the line', () => {
  const manifest = MANIFEST.replace('  - name: grp-bg\n', '  - name: grp-bg\n  - name: SG All Staff\n');
  const ca = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  conditions:\n    users:\n      excludeGroups:\n        - SG All| Staff\n`;
  const extra = { '/t/zerotrust.yaml': manifest };
  // The review's cases: `SG All Staff Staff` and `SG All Staff All Staff`.
  assert.equal(acceptAt('/t/ca/c.yaml', ca, 'SG All Staff', extra), '        - SG All Staff');
  assert.equal(acceptAt('/t/ca/c.yaml', ca.replace('SG All| Staff', 'SG| All Staff'), 'SG All Staff', extra), '        - SG All Staff');
  // A comment after it stays, and the blanks before it.
  assert.equal(acceptAt('/t/ca/c.yaml', ca.replace('SG All| Staff', 'SG| All Staff   # HR feed'), 'SG All Staff', extra), '        - SG All Staff   # HR feed');
  assert.equal(acceptAt('/t/ca/c.yaml', ca.replace('SG All| Staff', 'SG| All Staff  '), 'SG All Staff', extra), '        - SG All Staff  ');
  // `#` inside a plain scalar (no blank before it) is no comment.
  assert.equal(acceptAt('/t/ca/c.yaml', ca.replace('SG All| Staff', 'grp-s|taff#2'), 'grp-staff', extra), '        - grp-staff');
  // A key's value: the same.
  const comp = `kind: CompliancePolicy\nname: w\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  passwordRequiredType: al|pha numeric # c\n`;
  assert.equal(acceptAt('/t/c/w.yaml', comp, 'alphanumeric'), '  passwordRequiredType: alphanumeric # c');
  // A `: ` ends a plain scalar (what follows is a mapping's value, not this token).
  assert.equal(acceptAt('/t/c/w.yaml', comp.replace('al|pha numeric # c', 'al|x: y'), 'alphanumeric'), '  passwordRequiredType: alphanumeric: y');
  // A flow list read from its line alone ends its item at `,` and `]`.
  const flow = `kind: ConditionalAccessPolicy\nname: c\nspec:\n  conditions:\n    users:\n      excludeGroups: [SG| All Staff, grp-bg]\n`;
  assert.equal(acceptAt('/t/ca/c.yaml', flow, 'SG All Staff', extra), '      excludeGroups: [SG All Staff, grp-bg]');
});

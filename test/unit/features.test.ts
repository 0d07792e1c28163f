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

test('completion: manifest platforms and licences', () => {
  assert.deepEqual(completeAt('/t/zerotrust.yaml', MANIFEST.replace('platforms: [windows, iOS, android]', 'platforms: [|]')).sort(), ['android', 'iOS', 'linux', 'macOS', 'windows']);
  const lic = completeAt('/t/zerotrust.yaml', MANIFEST.replace('licenses: [M365_E3]', 'licenses: [|]'));
  assert.ok(lic.includes('M365_E5') && lic.includes('ENTRA_ID_P2') && lic.includes('M365_A3') && lic.length === 21);
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

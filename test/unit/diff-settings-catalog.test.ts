/**
 * Change impact on settings catalog policies: settings followed by definition id (a reordered list is no change), a
 * changed value, a child changed under its parent, a setting added and one removed, each named by the settings
 * catalog index (display name, option names) in the text, Markdown and JSON; a setting the index knows only by id
 * keeps its path and raw values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeImpactJson, changeImpactMarkdown, changeImpactText, createPolicyService, diffWorkspaces, type ChangeImpact, type PolicyService } from '../../server/src/core/index';
import { settingChanges } from '../../server/src/core/diff/policies';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { loadSettingsCatalog } from '../../server/src/host/settings-catalog-file';
import { FIXTURE_NOW } from '../harness/fixtures';

const BL = 'device_vendor_msft_bitlocker';
const ENCRYPT = `${BL}_requiredeviceencryption`;
const WARN = `${BL}_allowwarningforotherdiskencryption`;
const STANDARD = `${BL}_allowstandarduserencryption`;
const REALTIME = 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring';
/** In the index by id only (seen in exports, no display name). */
const TOASTS = 'device_vendor_msft_policy_config_abovelock_allowtoasts';

const choice = (id: string, value: string, children: unknown[] = []): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
  settingDefinitionId: id,
  choiceSettingValue: { value, children },
});
const item = (instance: Record<string, unknown>): Record<string, unknown> => ({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting', settingInstance: instance });

/** A BitLocker profile: JSON is YAML, so the file is written as JSON text. */
function profile(settings: unknown[]): string {
  return JSON.stringify({
    kind: 'ConfigurationProfile',
    name: 'windows-bitlocker',
    owner: 'endpoint',
    assignments: { include: ['allDevices'] },
    spec: { name: 'Windows - BitLocker', platforms: 'windows10', technologies: 'mdm', settings },
  });
}

const BASE = profile([item(choice(ENCRYPT, `${ENCRYPT}_1`)), item(choice(WARN, `${WARN}_0`, [choice(STANDARD, `${STANDARD}_1`)])), item(choice(TOASTS, `${TOASTS}_0`))]);
// Reordered, one value and one child changed, TOASTS removed, REALTIME added.
const HEAD = profile([item(choice(WARN, `${WARN}_0`, [choice(STANDARD, `${STANDARD}_0`)])), item(choice(REALTIME, `${REALTIME}_1`)), item(choice(ENCRYPT, `${ENCRYPT}_0`))]);

function side(root: string, text: string, withCatalog: boolean): PolicyService {
  const s = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW, ...(withCatalog ? { settingsCatalog: () => loadSettingsCatalog() } : {}) });
  s.update(`${root}/zerotrust.yaml`, 'kind: Tenant\nname: tailspin\nlicenses: [M365_E5]\nplatforms: [windows]\n', 1);
  s.update(`${root}/configuration/windows-bitlocker.yaml`, text, 1);
  return s;
}

function impact(withCatalog = true): ChangeImpact {
  return diffWorkspaces({ service: side('/b', BASE, withCatalog), root: '/b', label: 'base' }, { service: side('/h', HEAD, withCatalog), root: '/h', label: 'head' });
}

const VALUE = 'settingInstance.choiceSettingValue.value';
const CHILD_PATH = `spec.settings[${WARN}].settingInstance.choiceSettingValue.children[${STANDARD}].choiceSettingValue.value`;

test('settings catalog: changes keyed by definition id and named by the index; the reorder alone is no change', () => {
  const t = impact().tenants[0]!;
  assert.equal(t.name, 'tailspin');
  assert.deepEqual(t.policies.map((p) => [p.change, p.kind, p.name]), [['changed', 'ConfigurationProfile', 'windows-bitlocker']]);
  assert.deepEqual(t.policies[0]!.settings, [
    { path: `spec.settings[${ENCRYPT}].${VALUE}`, before: `${ENCRYPT}_1`, after: `${ENCRYPT}_0`, setting: 'Require Device Encryption', beforeName: 'Enabled', afterName: 'Disabled' },
    { path: CHILD_PATH, before: `${STANDARD}_1`, after: `${STANDARD}_0`, setting: 'Allow Standard User Encryption', beforeName: 'Enabled', afterName: 'Disabled' },
    { path: `spec.settings[${TOASTS}]`, before: item(choice(TOASTS, `${TOASTS}_0`)), beforeName: `${TOASTS}_0` },
    { path: `spec.settings[${REALTIME}]`, after: item(choice(REALTIME, `${REALTIME}_1`)), setting: 'Allow Realtime Monitoring', afterName: 'Allowed' },
  ]);
});

test('settings catalog, text: the display name and option names first, the path below; an unnamed setting as before', () => {
  const lines = changeImpactText(impact()).split('\n');
  const at = (line: string): number => {
    const i = lines.indexOf(line);
    assert.ok(i >= 0, `missing line: ${line}\n${lines.join('\n')}`);
    return i;
  };
  const encrypt = at(`      Require Device Encryption: Enabled ("${ENCRYPT}_1") → Disabled ("${ENCRYPT}_0")`);
  assert.equal(lines[encrypt + 1], `        spec.settings[${ENCRYPT}].${VALUE}`);
  const child = at(`      Allow Standard User Encryption: Enabled ("${STANDARD}_1") → Disabled ("${STANDARD}_0")`);
  assert.equal(lines[child + 1], `        ${CHILD_PATH}`);
  const added = at('      Allow Realtime Monitoring: — → Allowed');
  assert.equal(lines[added + 1], `        spec.settings[${REALTIME}]`);
  // Known only by id: the path, and the removed setting by its value id rather than its JSON.
  at(`      spec.settings[${TOASTS}]: ${TOASTS}_0 → —`);
});

test('settings catalog, Markdown: the name in bold over the path in the setting column, values by option name', () => {
  const md = changeImpactMarkdown(impact());
  const rows = md.split('\n').filter((l) => l.startsWith('| `windows-bitlocker` |'));
  assert.deepEqual(rows.slice(0, 2), [
    `| \`windows-bitlocker\` | **Require Device Encryption**<br>\`spec.settings[${ENCRYPT}].${VALUE}\` | Enabled (\`"${ENCRYPT}_1"\`) | Disabled (\`"${ENCRYPT}_0"\`) |`,
    `| \`windows-bitlocker\` | **Allow Standard User Encryption**<br>\`${CHILD_PATH}\` | Enabled (\`"${STANDARD}_1"\`) | Disabled (\`"${STANDARD}_0"\`) |`,
  ]);
  assert.equal(rows[2], `| \`windows-bitlocker\` | \`spec.settings[${TOASTS}]\` | \`${TOASTS}_0\` | — |`);
  assert.equal(rows[3], `| \`windows-bitlocker\` | **Allow Realtime Monitoring**<br>\`spec.settings[${REALTIME}]\` | — | Allowed |`);
  assert.equal(rows.length, 4);
  assert.match(md, /- ✏️ changed ConfigurationProfile `windows-bitlocker` · `configuration\/windows-bitlocker\.yaml` · 4 settings/);
});

test('settings catalog, JSON: the names after the fields tools already read, absent when the index has none', () => {
  const json = changeImpactJson(impact()) as { tenants: { policies: { settings: Record<string, unknown>[] }[] }[] };
  const settings = json.tenants[0]!.policies[0]!.settings;
  assert.deepEqual(Object.keys(settings[0]!), ['path', 'before', 'after', 'setting', 'beforeName', 'afterName']);
  assert.deepEqual(settings[0], { path: `spec.settings[${ENCRYPT}].${VALUE}`, before: `${ENCRYPT}_1`, after: `${ENCRYPT}_0`, setting: 'Require Device Encryption', beforeName: 'Enabled', afterName: 'Disabled' });
  assert.deepEqual(Object.keys(settings[2]!), ['path', 'before', 'beforeName']);
  assert.deepEqual(Object.keys(settings[3]!), ['path', 'after', 'setting', 'afterName']);
});

test('settings catalog without an index: keyed paths, no names (a whole setting by its value ids), rendered as any other setting', () => {
  const plain = impact(false);
  const settings = plain.tenants[0]!.policies[0]!.settings;
  assert.deepEqual(settings.map((c) => Object.keys(c).filter((k) => !['path', 'before', 'after'].includes(k))), [[], [], ['beforeName'], ['afterName']]);
  assert.deepEqual([settings[2]!.beforeName, settings[3]!.afterName], [`${TOASTS}_0`, `${REALTIME}_1`]);
  assert.deepEqual(settings.map((c) => c.path), [`spec.settings[${ENCRYPT}].${VALUE}`, CHILD_PATH, `spec.settings[${TOASTS}]`, `spec.settings[${REALTIME}]`]);
  assert.ok(changeImpactText(plain).includes(`      spec.settings[${ENCRYPT}].${VALUE}: "${ENCRYPT}_1" → "${ENCRYPT}_0"`));
  assert.ok(changeImpactText(plain).includes(`      spec.settings[${REALTIME}]: — → ${REALTIME}_1`));
  assert.ok(changeImpactMarkdown(plain).includes(`| \`windows-bitlocker\` | \`spec.settings[${ENCRYPT}].${VALUE}\` | \`"${ENCRYPT}_1"\` | \`"${ENCRYPT}_0"\` |`));
});

test('settingChanges: bare instances, ids matched case-insensitively, a first child, choice collections and whole items by name', () => {
  const catalog = loadSettingsCatalog();
  assert.ok(catalog, 'the shipped settings catalog index');
  // Top-level items written as the instance itself; the id's case differs between the sides (Graph ignores it).
  assert.deepEqual(settingChanges({ settings: [choice(ENCRYPT, `${ENCRYPT}_1`)] }, { settings: [choice(ENCRYPT.toUpperCase(), `${ENCRYPT}_1`)] }, 'spec', catalog), [
    { path: `spec.settings[${ENCRYPT.toUpperCase()}].settingDefinitionId`, before: ENCRYPT, after: ENCRYPT.toUpperCase(), setting: 'Require Device Encryption' },
  ]);
  // A child under a parent that had none: the child, keyed, not the whole children list.
  assert.deepEqual(settingChanges({ settings: [item(choice(WARN, `${WARN}_0`))] }, { settings: [item(choice(WARN, `${WARN}_0`, [choice(STANDARD, `${STANDARD}_1`)]))] }, 'spec', catalog), [
    { path: `spec.settings[${WARN}].settingInstance.choiceSettingValue.children[${STANDARD}]`, after: choice(STANDARD, `${STANDARD}_1`), setting: 'Allow Standard User Encryption', afterName: 'Enabled' },
  ]);
  // A whole setting added with a child under it says both.
  const added = settingChanges({ settings: [] }, { settings: [item(choice(WARN, `${WARN}_0`, [choice(STANDARD, `${STANDARD}_1`)]))] }, 'spec', catalog);
  assert.deepEqual(added.map((c) => [c.path, c.setting, c.afterName]), [[`spec.settings[${WARN}]`, 'Allow Warning For Other Disk Encryption', 'Disabled + 1 child setting']]);
  // A choice collection compared whole: option names joined when the index names every one.
  const collection = (values: string[]): unknown => ({
    settings: [item({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingCollectionInstance', settingDefinitionId: REALTIME, choiceSettingCollectionValue: values.map((value) => ({ value, children: [] })) })],
  });
  assert.deepEqual(settingChanges(collection([`${REALTIME}_1`]), collection([`${REALTIME}_0`, `${REALTIME}_1`]), 'spec', catalog)[0], {
    path: `spec.settings[${REALTIME}].settingInstance.choiceSettingCollectionValue`,
    before: [{ value: `${REALTIME}_1`, children: [] }],
    after: [{ value: `${REALTIME}_0`, children: [] }, { value: `${REALTIME}_1`, children: [] }],
    setting: 'Allow Realtime Monitoring',
    beforeName: 'Allowed',
    afterName: 'Not allowed, Allowed',
  });
  // Two items with the same id are no keyed list: compared whole, as before.
  const twice = { settings: [item(choice(ENCRYPT, `${ENCRYPT}_1`)), item(choice(ENCRYPT, `${ENCRYPT}_0`))] };
  assert.deepEqual(settingChanges({ settings: [] }, twice, 'spec', catalog), [{ path: 'spec.settings', before: [], after: twice.settings }]);
});

test('a secret value that changes is reported as changed, never with its text', () => {
  const blob = (value: string): Record<string, unknown> => ({
    spec: {
      settings: [
        item({
          '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
          settingDefinitionId: 'device_vendor_msft_windowsadvancedthreatprotection_onboarding',
          simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSecretSettingValue', value, valueState: 'notEncrypted' },
        }),
      ],
    },
  });
  const changes = settingChanges(blob('ONBOARDING-BLOB-OLD'), blob('ONBOARDING-BLOB-NEW'));
  assert.equal(changes.length, 1);
  const text = JSON.stringify(changes);
  assert.doesNotMatch(text, /ONBOARDING-BLOB/);
  assert.match(text, /secret, not shown/);
  assert.match(changes[0]!.path, /simpleSettingValue$/);
});

/**
 * The settings catalog index (issue 19): building it from Graph's own definitions, the shipped index, the naming
 * conventions, the three checks against a complete catalog, and `ztp check --settings-catalog`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSettingsCatalog, parseSettingsCatalog } from '../../server/src/core/settings-catalog/build';
import { optionStems, platformFamily, valueBelongsTo } from '../../server/src/core/settings-catalog/conventions';
import { settingInstances } from '../../server/src/core/settings-catalog/instances';
import { loadSettingsCatalog } from '../../server/src/host/settings-catalog-file';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { FIXTURES } from '../harness/fixtures';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'ztp.js');
const G = '#microsoft.graph.deviceManagementConfiguration';

/** Three definitions in Graph's shape: a choice with a child, its child (an integer with a range), a macOS setting. */
const DEFINITIONS = [
  {
    '@odata.type': `${G}ChoiceSettingDefinition`,
    id: 'device_vendor_msft_laps_policies_backupdirectory',
    displayName: 'Backup Directory',
    description: 'Where the password is backed up.',
    categoryId: 'cat-laps',
    baseUri: './Device/Vendor/MSFT/LAPS',
    offsetUri: '/Policies/BackupDirectory',
    infoUrls: ['https://learn.microsoft.com/windows/client-management/mdm/laps-csp'],
    applicability: { platform: 'windows10', technologies: 'mdm' },
    options: [
      { itemId: 'device_vendor_msft_laps_policies_backupdirectory_0', displayName: 'Disabled', optionValue: { value: 0 } },
      {
        itemId: 'device_vendor_msft_laps_policies_backupdirectory_1',
        displayName: 'Backup the password to Azure AD only',
        optionValue: { value: 1 },
        dependedOnBy: [{ dependedOnBy: 'device_vendor_msft_laps_policies_passwordagedays_aad', required: false }],
      },
    ],
    defaultOptionId: 'device_vendor_msft_laps_policies_backupdirectory_0',
  },
  {
    '@odata.type': `${G}SimpleSettingDefinition`,
    id: 'device_vendor_msft_laps_policies_passwordagedays_aad',
    displayName: 'Password Age Days',
    categoryId: 'cat-laps',
    applicability: { platform: 'windows10', technologies: 'mdm' },
    valueDefinition: { '@odata.type': `${G}IntegerSettingValueDefinition`, minimumValue: 7, maximumValue: 365 },
  },
  {
    '@odata.type': `${G}ChoiceSettingDefinition`,
    id: 'com.apple.security.firewall_enablefirewall',
    displayName: 'Enable Firewall (Deprecated)',
    applicability: { platform: 'macOS', technologies: 'mdm,appleRemoteManagement' },
    options: [
      { itemId: 'com.apple.security.firewall_enablefirewall_false', displayName: 'False', optionValue: { value: 0 } },
      { itemId: 'com.apple.security.firewall_enablefirewall_true', displayName: 'True', optionValue: { value: 1 } },
    ],
  },
];
const CATEGORIES = [
  { id: 'cat-root', displayName: 'Local Policies Security Options', parentCategoryId: '00000000-0000-0000-0000-000000000000' },
  { id: 'cat-laps', displayName: 'LAPS', parentCategoryId: 'cat-root' },
];

test('the index is built from Graph definitions: kinds, options, children, ranges, category path, deprecation', () => {
  const { data, conflicts } = buildSettingsCatalog({ definitions: DEFINITIONS, categories: CATEGORIES, source: 'test', snapshot: '2026-12-01', complete: true });
  assert.deepEqual(conflicts, []);
  const c = parseSettingsCatalog(JSON.parse(JSON.stringify(data)));
  const backup = c.get('DEVICE_VENDOR_MSFT_LAPS_POLICIES_BACKUPDIRECTORY')!;
  assert.equal(backup.kind, 'choice');
  assert.equal(backup.displayName, 'Backup Directory');
  assert.deepEqual(backup.categoryPath, ['Local Policies Security Options', 'LAPS']);
  assert.equal(backup.cspPath, './Device/Vendor/MSFT/LAPS/Policies/BackupDirectory');
  assert.deepEqual(backup.options.map((o) => [o.id, o.name, o.value]), [
    ['device_vendor_msft_laps_policies_backupdirectory_0', 'Disabled', 0],
    ['device_vendor_msft_laps_policies_backupdirectory_1', 'Backup the password to Azure AD only', 1],
  ]);
  assert.deepEqual(backup.children, ['device_vendor_msft_laps_policies_passwordagedays_aad']);
  assert.equal(backup.defaultValue, 'device_vendor_msft_laps_policies_backupdirectory_0');
  assert.deepEqual(c.get('device_vendor_msft_laps_policies_passwordagedays_aad')!.constraint, { type: 'integer', min: 7, max: 365 });
  assert.equal(c.get('com.apple.security.firewall_enablefirewall')!.deprecated, true);
  assert.equal(backup.deprecated, false);
});

test('observations that the definitions refuse are reported as conflicts, not written silently', () => {
  const observed = {
    device_vendor_msft_laps_policies_backupdirectory: { kinds: [`deviceManagementConfigurationChoiceSettingInstance`], values: ['device_vendor_msft_laps_policies_backupdirectory_2'], platforms: ['windows10'], parents: [] },
    device_vendor_msft_laps_policies_passwordagedays_aad: { kinds: ['deviceManagementConfigurationChoiceSettingInstance'], values: [], platforms: ['windows10'], parents: [] },
    device_vendor_msft_policy_config_experience_allowcortana: { kinds: ['deviceManagementConfigurationChoiceSettingInstance'], values: ['device_vendor_msft_policy_config_experience_allowcortana_0'], platforms: ['windows10'], parents: [] },
  };
  const { data, conflicts } = buildSettingsCatalog({ definitions: DEFINITIONS, categories: [], observed, source: 'test', snapshot: '2026-12-01', complete: false });
  assert.equal(conflicts.length, 2, conflicts.join('\n'));
  assert.match(conflicts.join('\n'), /backupdirectory_2/);
  assert.match(conflicts.join('\n'), /definition says simple, a real export has a choice instance/);
  const spotlight = parseSettingsCatalog(data).get('device_vendor_msft_policy_config_experience_allowcortana')!;
  assert.equal(spotlight.defined, false);
  assert.deepEqual(spotlight.options.map((o) => o.id), ['device_vendor_msft_policy_config_experience_allowcortana_0']);
});

test('naming conventions: option stems (versioned ids, type pickers) and platform families', () => {
  assert.ok(valueBelongsTo('device_vendor_msft_policy_config_windowsai_setmaximumstoragespaceforrecallsnapshots_v2', 'device_vendor_msft_policy_config_windowsai_setmaximumstoragespaceforrecallsnapshots_10240'));
  assert.ok(valueBelongsTo('com.apple.extensiblesso_ignored_$typepicker', 'com.apple.extensiblesso_ignored_0'));
  assert.ok(!valueBelongsTo('device_vendor_msft_policy_config_defender_allowcloudprotection', 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1'));
  assert.deepEqual(optionStems('A_v12'), ['a_v12', 'a']);
  assert.equal(platformFamily('user_vendor_msft_policy_config_excel16v2~policy~x')!.family, 'Windows');
  assert.equal(platformFamily('vendor_msft_firewall_mdmstore_domainprofile_enablefirewall')!.family, 'Windows');
  assert.equal(platformFamily('com.apple.mcx.filevault2_enable')!.family, 'Apple');
  assert.equal(platformFamily('linux_passwordpolicy_minimumlength')!.family, 'Linux');
  assert.equal(platformFamily('extensionsettings_managedextensions_generickey_state'), undefined);
});

test('the shipped index: partial, dated, every seed definition defined, real-export settings observed', () => {
  const c = loadSettingsCatalog()!;
  assert.ok(c, 'data/settings-catalog/index.json.gz is built (npm run settings-catalog:refresh)');
  assert.equal(c.complete, false);
  assert.match(c.snapshot, /^\d{4}-\d{2}-\d{2}$/);
  const seed = JSON.parse(readFileSync(join(ROOT, 'data', 'settings-catalog', 'seed', 'definitions.json'), 'utf8')) as { value: { id: string }[] };
  for (const d of seed.value) assert.equal(c.get(d.id)?.defined, true, d.id);
  assert.ok(c.size > 2000, `${c.size} settings`);
  const observed = c.get('device_vendor_msft_policy_config_experience_allowcortana');
  assert.equal(observed?.defined, false);
});

/** A tenant with one Windows profile whose settings are given, analysed against `catalog`. */
async function findingsWith(catalogJson: unknown, settings: unknown[], technologies = 'mdm'): Promise<{ ruleId: string; severity: string; message: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-sc-'));
  cpSync(join(FIXTURES, 'unknown-setting', 'ok-macos-type-picker', 'zerotrust.yaml'), join(dir, 'zerotrust.yaml'));
  mkdirSync(join(dir, 'configuration'));
  const policy = { kind: 'ConfigurationProfile', name: 'p', owner: 'endpoint', assignments: { include: ['allDevices'] }, spec: { name: 'p', platforms: 'windows10', technologies, settings } };
  writeFileSync(join(dir, 'configuration', 'p.json'), JSON.stringify(policy, null, 2));
  const catalog = parseSettingsCatalog(catalogJson);
  const service = createPolicyService({ fs: nodeFileSystem, settingsCatalog: () => catalog });
  await service.load(join(dir, 'zerotrust.yaml'));
  await service.load(join(dir, 'configuration', 'p.json'));
  return service.analyzeAll().filter((f) => ['unknown-setting', 'invalid-setting-value', 'setting-platform-mismatch'].includes(f.ruleId));
}

const choice = (id: string, value: string): unknown => ({
  '@odata.type': `${G}Setting`,
  settingInstance: { '@odata.type': `${G}ChoiceSettingInstance`, settingDefinitionId: id, choiceSettingValue: { value, children: [] } },
});

test('with a complete catalog: an unknown id is an error with suggestions, a retired one a warning; technologies are compared', async () => {
  const observed = { device_vendor_msft_policy_config_oldsetting: { kinds: [`deviceManagementConfigurationChoiceSettingInstance`], values: [], platforms: ['windows10'], parents: [] } };
  const { data } = buildSettingsCatalog({ definitions: DEFINITIONS, categories: [], observed, source: 'test', snapshot: '2026-12-01', complete: true });
  const found = await findingsWith(data, [
    choice('device_vendor_msft_laps_policies_backupdirectry', 'device_vendor_msft_laps_policies_backupdirectry_1'),
    choice('device_vendor_msft_policy_config_oldsetting', 'device_vendor_msft_policy_config_oldsetting_1'),
    choice('device_vendor_msft_laps_policies_backupdirectory', 'device_vendor_msft_laps_policies_backupdirectory_1'),
  ], 'microsoftSense');
  const unknown = found.filter((f) => f.ruleId === 'unknown-setting');
  assert.equal(unknown.length, 2, JSON.stringify(found, null, 1));
  assert.equal(unknown[0]!.severity, 'error');
  assert.match(unknown[0]!.message, /snapshot 2026-12-01.*Did you mean `device_vendor_msft_laps_policies_backupdirectory`\?/);
  assert.equal(unknown[1]!.severity, 'warning');
  assert.match(unknown[1]!.message, /has left the settings catalog/);
  const tech = found.filter((f) => f.ruleId === 'setting-platform-mismatch');
  assert.equal(tech.length, 1);
  assert.match(tech[0]!.message, /technologies `mdm`.*`microsoftSense`/);
});

test('with the partial shipped index, an id it does not know is not reported', async () => {
  const c = loadSettingsCatalog()!;
  const found = await findingsWith(c.data, [choice('device_vendor_msft_policy_config_brandnew_setting', 'device_vendor_msft_policy_config_brandnew_setting_1')]);
  assert.deepEqual(found, []);
});

test('ztp check --settings-catalog reads Graph definitions (complete) and refuses a file that is neither', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-sc-cli-'));
  const dump = join(dir, 'configurationSettings.json');
  writeFileSync(dump, JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationSettings', value: DEFINITIONS }));
  const tenant = join(FIXTURES, 'invalid-setting-value', 'ok-defined-settings');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'check', tenant, '--format', 'json', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const r = run(['--settings-catalog', dump]);
  const codes = (JSON.parse(r.stdout) as { code: string; message: string }[]).filter((f) => f.code === 'unknown-setting');
  // The dump has no firewall or BitLocker definitions: complete, so those ids are unknown to it.
  assert.ok(codes.some((f) => /vendor_msft_firewall_mdmstore_domainprofile_enablefirewall/.test(f.message)), r.stdout);
  const bad = join(dir, 'notes.json');
  writeFileSync(bad, '{"hello": 1}');
  const r2 = run(['--settings-catalog', bad]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /--settings-catalog: .*notes\.json: neither a settings catalog index nor Graph setting definitions/);
});

test('setting instances: each value and definition id is placed by its path from `spec`, nested and in collections', () => {
  const spec = {
    settings: [
      {
        settingInstance: {
          '@odata.type': `${G}ChoiceSettingInstance`,
          settingDefinitionId: 'a',
          choiceSettingValue: {
            value: 'a_1',
            children: [{ '@odata.type': `${G}SimpleSettingInstance`, settingDefinitionId: 'a_b', simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue', value: 5 } }],
          },
        },
      },
      {
        '@odata.type': `${G}ChoiceSettingCollectionInstance`,
        settingDefinitionId: 'c',
        choiceSettingCollectionValue: [{ value: 'c_1' }, { value: 'c_2' }],
      },
      { '@odata.type': `${G}SimpleSettingCollectionInstance`, settingDefinitionId: 'd', simpleSettingCollectionValue: [{ value: 'x' }, { value: 'y' }] },
    ],
  };
  const found = settingInstances(spec).map((i) => ({
    id: i.id,
    kind: i.kind,
    path: i.path,
    idPath: i.idPath,
    parent: i.parent,
    choices: i.choices.map((c) => [c.value, c.path]),
    simple: i.simple.map((v) => [v.value, v.path, v.odataType]),
  }));
  const child = ['settings', 0, 'settingInstance', 'choiceSettingValue', 'children', 0];
  assert.deepEqual(found, [
    { id: 'a', kind: 'choice', path: ['settings', 0, 'settingInstance'], idPath: ['settings', 0, 'settingInstance', 'settingDefinitionId'], parent: undefined, choices: [['a_1', ['settings', 0, 'settingInstance', 'choiceSettingValue', 'value']]], simple: [] },
    {
      id: 'a_b',
      kind: 'simple',
      path: child,
      idPath: [...child, 'settingDefinitionId'],
      parent: { id: 'a', option: 'a_1' },
      choices: [],
      simple: [[5, [...child, 'simpleSettingValue', 'value'], '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue']],
    },
    {
      id: 'c',
      kind: 'choiceCollection',
      path: ['settings', 1],
      idPath: ['settings', 1, 'settingDefinitionId'],
      parent: undefined,
      choices: [
        ['c_1', ['settings', 1, 'choiceSettingCollectionValue', 0, 'value']],
        ['c_2', ['settings', 1, 'choiceSettingCollectionValue', 1, 'value']],
      ],
      simple: [],
    },
    {
      id: 'd',
      kind: 'simpleCollection',
      path: ['settings', 2],
      idPath: ['settings', 2, 'settingDefinitionId'],
      parent: undefined,
      choices: [],
      simple: [
        ['x', ['settings', 2, 'simpleSettingCollectionValue', 0, 'value'], undefined],
        ['y', ['settings', 2, 'simpleSettingCollectionValue', 1, 'value'], undefined],
      ],
    },
  ]);
  // Each path is a list of its own: a caller may keep or change it without touching the instance.
  const first = settingInstances(spec)[0]!;
  first.idPath.push('x');
  first.choices[0]!.path.push('x');
  assert.deepEqual(first.idPath, ['settings', 0, 'settingInstance', 'settingDefinitionId']);
  assert.deepEqual(first.choices[0]!.path, ['settings', 0, 'settingInstance', 'choiceSettingValue', 'value']);
});

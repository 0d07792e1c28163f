/**
 * Hovers and completions for settings catalog settings, from the shipped index, in a tenant folder on disk: our YAML
 * and raw Graph JSON exports; ids, choice values, simple values, observed-only ids, and the whole-setting snippet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createPolicyService, type PolicyService } from '../../server/src/core/service';
import type { CompletionEntries, CompletionEntry } from '../../server/src/core/features/completion';
import { MAX_SETTING_COMPLETIONS } from '../../server/src/core/features/setting-completion';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { loadSettingsCatalog } from '../../server/src/host/settings-catalog-file';

const catalog = loadSettingsCatalog();
const MANIFEST = join(__dirname, '..', 'fixtures', 'app-protection-jailbreak-not-blocked', 'fires-ios-warn', 'zerotrust.yaml');
const BITLOCKER = 'device_vendor_msft_bitlocker_requiredeviceencryption';
const RTM = 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring';
const LAPS_LENGTH = 'device_vendor_msft_laps_policies_passwordlength';
const CHOICE = '"#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"';

/** A setting observed in real exports only (no definition): the first Windows choice setting with two values seen. */
const OBSERVED = (() => {
  for (const id of catalog?.ids() ?? []) {
    const info = catalog!.get(id)!;
    if (!info.defined && info.kind === 'choice' && id.startsWith('device_vendor_msft_') && info.options.length > 1) return info;
  }
  return undefined;
})();

/** A service over a temporary tenant folder holding the fixture manifest and `files`, each loaded. */
async function tenant(files: Record<string, string>): Promise<{ s: PolicyService; dir: string; done: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-sc-features-'));
  copyFileSync(MANIFEST, join(dir, 'zerotrust.yaml'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const s = createPolicyService({ fs: nodeFileSystem, settingsCatalog: () => loadSettingsCatalog() });
  for (const f of await s.discover(dir)) await s.load(f);
  return { s, dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function profile(platforms: string, settings: string): string {
  return `kind: ConfigurationProfile
name: p
owner: endpoint
spec:
  name: p
  platforms: ${platforms}
  technologies: mdm
  settings:
${settings}`;
}

const choiceSetting = (id: string, value: string): string => `    - "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting"
      settingInstance:
        "@odata.type": ${CHOICE}
        settingDefinitionId: ${id}
        choiceSettingValue:
          value: ${value}
          children: []
`;

const SIMPLE = `    - settingInstance:
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance"
        settingDefinitionId: ${LAPS_LENGTH}
        simpleSettingValue:
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue"
          value: 20
`;

/** A raw Graph export of a Windows settings catalog profile (settings at the document's root). */
function rawExport(settings: unknown[]): string {
  return JSON.stringify({ name: 'Win - raw', platforms: 'windows10', technologies: 'mdm', settings: settings.map((settingInstance, i) => ({ id: String(i), settingInstance })) }, null, 4);
}

const rawChoice = (id: string, value: string): unknown => ({ '@odata.type': CHOICE.slice(1, -1), settingDefinitionId: id, choiceSettingValue: { value, children: [] } });

/** Completions at the `|` of `marked`, in a tenant where the file holds the text without the marker. */
async function completeAt(name: string, marked: string): Promise<CompletionEntries> {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const t = await tenant({ [name]: text });
  try {
    return t.s.complete(join(t.dir, name), text, offset);
  } finally {
    t.done();
  }
}

async function hoverAt(name: string, text: string, needle: string, into = 3): Promise<string> {
  const t = await tenant({ [name]: text });
  try {
    const at = text.indexOf(needle);
    assert.ok(at >= 0, `${needle} is in the text`);
    const h = t.s.hover(join(t.dir, name), at + into);
    assert.ok(h, `a hover on ${needle}`);
    assert.equal(text.slice(h.span.offset, h.span.offset + h.span.length).replace(/"/g, ''), needle.replace(/"/g, ''), 'the hover covers the value');
    return h.markdown;
  } finally {
    t.done();
  }
}

/** A snippet as the editor inserts it with every tab stop left at its first choice or placeholder. */
function expandSnippet(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) out += s[++i];
    else if (c === '$' && s[i + 1] === '{') {
      const choice = /^\$\{\d+\|((?:\\.|[^\\,|])*)(?:,(?:\\.|[^\\|])*)*\|\}/.exec(s.slice(i));
      const placeholder = /^\$\{\d+:((?:\\.|[^\\}])*)\}/.exec(s.slice(i));
      const m = choice ?? placeholder;
      assert.ok(m, `a tab stop at ${s.slice(i, i + 40)}`);
      out += m[1]!.replace(/\\(.)/g, '$1');
      i += m[0].length - 1;
    } else if (c === '$' && /\d/.test(s[i + 1] ?? '')) {
      while (/\d/.test(s[i + 1] ?? '')) i++;
    } else out += c;
  }
  return out;
}

/** The text after the entry is applied at its `replace` span. */
function apply(text: string, offset: number, e: CompletionEntry): string {
  const r = e.replace ?? { offset, length: 0 };
  const inserted = e.snippet ? expandSnippet(e.insertText ?? e.label) : e.insertText ?? e.label;
  return text.slice(0, r.offset) + inserted + text.slice(r.offset + r.length);
}

test('the shipped settings catalog index is there', () => {
  assert.ok(catalog, 'run npm run settings-catalog:refresh');
  assert.ok(catalog.get(BITLOCKER)?.defined && catalog.get(RTM)?.defined && catalog.get(LAPS_LENGTH)?.defined);
  assert.ok(OBSERVED, 'an observed-only Windows choice setting');
});

test('hover on a settingDefinitionId (YAML): display name, category, description, platforms, CSP, options, default, docs, snapshot', async () => {
  const text = profile('windows10', choiceSetting(RTM, `${RTM}_1`));
  const md = await hoverAt('p.yaml', text, RTM, 5);
  assert.match(md, /^\*\*Allow Realtime Monitoring\*\* \(`device_vendor_msft_policy_config_defender_allowrealtimemonitoring`\) · choice setting/);
  assert.match(md, /^Defender$/m);
  assert.match(md, /Turn the real-time protection \(monitoring\) service on or off\./);
  assert.match(md, /Platforms: windows10 · technologies: mdm, microsoftSense/);
  assert.match(md, /CSP: `\.\/Device\/Vendor\/MSFT\/Policy\/Config\/Defender\/AllowRealtimeMonitoring`/);
  assert.match(md, /- Not allowed — `device_vendor_msft_policy_config_defender_allowrealtimemonitoring_0` \(value 0\)/);
  assert.match(md, /- Allowed — `device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1` \(value 1, default\)/);
  assert.match(md, /\[Documentation\]\(https:\/\/learn\.microsoft\.com\/en-us\/windows\/client-management\/mdm\/policy-csp-defender\)/);
  assert.ok(md.includes(`snapshot ${catalog!.snapshot}`), md);
});

test('hover on a choice value (YAML): the chosen option, the setting, and the other options', async () => {
  const text = profile('windows10', choiceSetting(BITLOCKER, `${BITLOCKER}_1`));
  const md = await hoverAt('p.yaml', text, `${BITLOCKER}_1`, 8);
  assert.match(md, /^\*\*Enabled\*\* \(value 1\) — option of \*\*Require Device Encryption\*\* \(`device_vendor_msft_bitlocker_requiredeviceencryption`\)/);
  assert.match(md, /Other options:\n- Disabled — `device_vendor_msft_bitlocker_requiredeviceencryption_0` \(value 0, default\)/);
  assert.doesNotMatch(md, /_1` \(value 1\)\n/, 'the chosen option is not listed among the others');
});

test('hover on a choice value that is not an option lists the options', async () => {
  const text = profile('windows10', choiceSetting(BITLOCKER, `${BITLOCKER}_7`));
  const md = await hoverAt('p.yaml', text, `${BITLOCKER}_7`, 8);
  assert.match(md, /`device_vendor_msft_bitlocker_requiredeviceencryption_7` is \*\*not an option\*\* of \*\*Require Device Encryption\*\*/);
  assert.match(md, /- Enabled — `device_vendor_msft_bitlocker_requiredeviceencryption_1`/);
});

test('hover on a simple value (YAML): the setting and its constraint', async () => {
  const text = profile('windows10', SIMPLE);
  const md = await hoverAt('p.yaml', text, '20', 1);
  assert.match(md, /^`20` — value of \*\*Password Length\*\* \(`device_vendor_msft_laps_policies_passwordlength`\)/);
  assert.match(md, /Allowed: integer, 8–64/);
  assert.match(md, /Default: `14`/);
});

test('hover in a raw Graph export (JSON): a defined id and a chosen option', async () => {
  const text = rawExport([rawChoice(BITLOCKER, `${BITLOCKER}_1`)]);
  const id = await hoverAt('raw.json', text, `"${BITLOCKER}"`, 4);
  assert.match(id, /^\*\*Require Device Encryption\*\* \(`device_vendor_msft_bitlocker_requiredeviceencryption`\) · choice setting/);
  assert.match(id, /CSP: `\.\/Device\/Vendor\/MSFT\/BitLocker\/RequireDeviceEncryption`/);
  const value = await hoverAt('raw.json', text, `"${BITLOCKER}_1"`, 4);
  assert.match(value, /^\*\*Enabled\*\* \(value 1\) — option of \*\*Require Device Encryption\*\*/);
});

test('hover on an observed-only id (raw JSON and YAML) says what is known and how to get its definition', async () => {
  const o = OBSERVED!;
  const json = await hoverAt('raw.json', rawExport([rawChoice(o.id, o.options[0]!.id)]), `"${o.id}"`, 4);
  const yaml = await hoverAt('p.yaml', profile('windows10', choiceSetting(o.id, o.options[0]!.id)), o.id, 4);
  for (const md of [json, yaml]) {
    assert.ok(md.startsWith(`\`${o.id}\` · choice setting · windows10`), md);
    assert.match(md, /Seen in real Graph exports, but the shipped settings catalog index has \*\*no definition\*\* for it/);
    assert.ok(md.includes(`Values seen: ${o.options.map((x) => `\`${x.id}\``).join(', ')}`), md);
    assert.match(md, /`ztp check --settings-catalog`/);
    assert.match(md, /docs\/settings-catalog\.md/);
  }
});

test('completion of a settingDefinitionId is filtered to the policy platform, full definitions first, capped', async () => {
  const win = await completeAt('p.yaml', profile('windows10', choiceSetting('|', 'x')));
  assert.ok(win.length > 0 && win.length <= MAX_SETTING_COMPLETIONS, `${win.length} entries`);
  assert.ok(win.every((e) => !e.label.startsWith('com.apple.') && !e.label.startsWith('linux_')), 'no Apple or Linux ids in a Windows policy');
  assert.ok(win.some((e) => e.label === BITLOCKER));
  // Full definitions come first (the sort text keeps the order): every entry with a display name before the others.
  const firstObserved = win.findIndex((e) => !catalog!.get(e.label)!.defined);
  assert.ok(firstObserved > 0 && win.slice(firstObserved).every((e) => !catalog!.get(e.label)!.defined), 'defined before observed');
  assert.deepEqual(win.map((e) => e.sortText), [...win.map((e) => e.sortText)].sort());
  assert.equal(win.incomplete, true, 'more Windows settings than the cap: the list asks again as typing goes on');
  const mac = await completeAt('p.yaml', profile('macOS', choiceSetting('com.apple.mcx|', 'x')));
  assert.ok(mac.length > 0 && mac.every((e) => e.label.startsWith('com.apple.mcx')), mac.map((e) => e.label).join());
  assert.ok(mac.some((e) => e.detail === 'Defer Force At User Login Max Bypass Attempts'));
});

test('completion of a settingDefinitionId finds it by the words of its display name and replaces what was typed', async () => {
  const marked = profile('windows10', choiceSetting('Require Device Encryption|', 'x'));
  const entries = await completeAt('p.yaml', marked);
  const first = entries[0]!;
  assert.equal(first.label, BITLOCKER);
  assert.equal(first.detail, 'Require Device Encryption');
  assert.equal(first.documentation?.split('\n')[0], 'Require BitLocker encryption on the device.');
  assert.ok(first.filterText?.includes('Require Device Encryption'));
  const text = marked.replace('|', '');
  const after = apply(text, marked.indexOf('|'), first);
  assert.equal(parse(after).spec.settings[0].settingInstance.settingDefinitionId, BITLOCKER);
  const words = await completeAt('p.yaml', profile('windows10', choiceSetting('encryption require|', 'x')));
  assert.ok(words.some((e) => e.label === BITLOCKER), 'words in any order');
  assert.ok(!words.some((e) => e.label === RTM), 'a setting without the words is left out');
});

test('completion of a choice value offers the options of the sibling settingDefinitionId, with display names', async () => {
  const entries = await completeAt('p.yaml', profile('windows10', choiceSetting(RTM, '|') + choiceSetting(BITLOCKER, `${BITLOCKER}_1`)));
  assert.deepEqual(entries.map((e) => [e.label, e.detail]), [
    [`${RTM}_0`, 'Not allowed'],
    [`${RTM}_1`, 'Allowed (default)'],
  ]);
  // An item of a choice collection, and a child under a choice value (its own settingDefinitionId, not the parent's).
  const collection = await completeAt('p.yaml', profile('windows10', `    - settingInstance:
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingCollectionInstance"
        choiceSettingCollectionValue:
          - value: |
            children: []
        settingDefinitionId: ${BITLOCKER}
`));
  assert.deepEqual(collection.map((e) => e.label), [`${BITLOCKER}_0`, `${BITLOCKER}_1`]);
  const child = 'device_vendor_msft_bitlocker_allowstandarduserencryption';
  const nested = await completeAt('p.yaml', profile('windows10', `    - settingInstance:
        "@odata.type": ${CHOICE}
        settingDefinitionId: device_vendor_msft_bitlocker_allowwarningforotherdiskencryption
        choiceSettingValue:
          value: device_vendor_msft_bitlocker_allowwarningforotherdiskencryption_0
          children:
            - "@odata.type": ${CHOICE}
              settingDefinitionId: ${child}
              choiceSettingValue:
                value: |
                children: []
`));
  assert.ok(nested.length > 0 && nested.every((e) => e.label.startsWith(`${child}_`)), nested.map((e) => e.label).join());
});

test('completion of a choice value in a raw Graph export (JSON)', async () => {
  const text = rawExport([rawChoice(RTM, `${RTM}_1`), rawChoice(BITLOCKER, 'device_vendor_msft_bitlocker_')]);
  const marked = text.replace('"device_vendor_msft_bitlocker_"', '"device_vendor_msft_bitlocker_|"');
  const entries = await completeAt('raw.json', marked);
  assert.deepEqual(entries.map((e) => [e.label, e.detail]), [
    [`${BITLOCKER}_0`, 'Disabled (default)'],
    [`${BITLOCKER}_1`, 'Enabled'],
  ]);
  const after = apply(marked.replace('|', ''), marked.indexOf('|'), entries[1]!);
  assert.equal(JSON.parse(after).settings[1].settingInstance.choiceSettingValue.value, `${BITLOCKER}_1`);
});

test('a new item of spec.settings offers whole-setting snippets that insert the right instance and value (YAML)', async () => {
  const marked = profile('windows10', `${choiceSetting(RTM, `${RTM}_1`)}    - Require Device Enc|\n`);
  const entries = await completeAt('p.yaml', marked);
  const snippet = entries.find((e) => e.label === 'settings catalog setting: Require Device Encryption')!;
  assert.ok(snippet, entries.map((e) => e.label).join());
  assert.equal(snippet.kind, 'snippet');
  assert.equal(snippet.snippet, true);
  assert.equal(snippet.keepIndentation, true);
  assert.match(snippet.insertText!, /value: \$\{1\|device_vendor_msft_bitlocker_requiredeviceencryption_0,device_vendor_msft_bitlocker_requiredeviceencryption_1\|\}/);
  assert.ok(entries.some((e) => e.label === 'settingInstance'), 'the schema keys are still offered');
  const doc = parse(apply(marked.replace('|', ''), marked.indexOf('|'), snippet));
  const added = doc.spec.settings[1];
  assert.equal(added['@odata.type'], '#microsoft.graph.deviceManagementConfigurationSetting');
  assert.equal(added.settingInstance['@odata.type'], CHOICE.slice(1, -1));
  assert.equal(added.settingInstance.settingDefinitionId, BITLOCKER);
  assert.deepEqual(added.settingInstance.choiceSettingValue, { value: `${BITLOCKER}_0`, children: [] }, 'the default option');
  assert.equal(doc.spec.settings[0].settingInstance.settingDefinitionId, RTM, 'the item before is untouched');

  const simple = (await completeAt('p.yaml', profile('windows10', '    - Password Length|\n'))).find((e) => e.detail === LAPS_LENGTH)!;
  const simpleDoc = parse(apply(profile('windows10', '    - Password Length\n'), profile('windows10', '    - Password Length|\n').indexOf('|'), simple));
  assert.deepEqual(simpleDoc.spec.settings[0].settingInstance, {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
    settingDefinitionId: LAPS_LENGTH,
    simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue', value: 14 },
  });
});

test('the snippets are filtered to the policy platform and written as JSON in a raw export', async () => {
  const mac = await completeAt('p.yaml', profile('macOS', '    - |\n'));
  const snippets = mac.filter((e) => e.kind === 'snippet');
  assert.ok(snippets.length > 0 && snippets.every((e) => e.detail!.startsWith('com.apple.')), snippets.map((e) => e.detail).join());
  const text = rawExport([rawChoice(RTM, `${RTM}_1`)]);
  const marked = text.replace('"settings": [', '"settings": [\n        |');
  const entries = await completeAt('raw.json', marked);
  const snippet = entries.find((e) => e.detail === BITLOCKER)!;
  assert.ok(snippet, entries.map((e) => e.label).join());
  const doc = JSON.parse(apply(marked.replace('|', ''), marked.indexOf('|'), snippet));
  assert.equal(doc.settings.length, 2, 'the comma before the next item is inserted too');
  assert.equal(doc.settings[0].settingInstance['@odata.type'], CHOICE.slice(1, -1));
  assert.deepEqual(doc.settings[0].settingInstance.choiceSettingValue, { value: `${BITLOCKER}_0`, children: [] });
  assert.equal(doc.settings[1].settingInstance.settingDefinitionId, RTM);
});

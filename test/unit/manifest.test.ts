/**
 * The extension manifest (package.json) and what it points at: generated parts are current (one setting per rule,
 * the JSON snippets), every contributed command is registered, every referenced file exists and is packaged, and
 * the client stays thin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/core/rules/index';
import { KIND_NAMES } from '../../server/src/core/kinds';
import { jsonSnippets, ruleSettings, RULE_SETTING_PREFIX, SEVERITY_SETTING_VALUES } from '../../scripts/contributes';
import { MANIFEST_SNIPPET } from '../../client/src/policy-templates';
import type { SnippetFile } from '../../client/src/snippet-syntax';

const ROOT = join(__dirname, '..', '..');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');
const pkg = JSON.parse(read('package.json')) as any;
const contributes = pkg.contributes;
const properties = contributes.configuration.properties as Record<string, Record<string, unknown>>;
const commandIds = (contributes.commands as { command: string }[]).map((c) => c.command);
const REGENERATE = 'run `npm run gen:contributes` to regenerate';

test('every rule has a zeroTrust.rules.<id> setting with its default severity, and no setting is stale', () => {
  const ruleKeys = Object.keys(properties).filter((k) => k.startsWith(RULE_SETTING_PREFIX));
  const ids = RULES.map((r) => r.id);
  assert.deepEqual(ids.filter((id) => !properties[RULE_SETTING_PREFIX + id]), [], `rules without a setting: ${REGENERATE}`);
  assert.deepEqual(ruleKeys.filter((k) => !ids.includes(k.slice(RULE_SETTING_PREFIX.length))), [], `settings of rules that are gone: ${REGENERATE}`);
  for (const rule of RULES) {
    const s = properties[RULE_SETTING_PREFIX + rule.id]!;
    assert.equal(s.default, rule.defaultSeverity, `${rule.id}: default`);
    assert.deepEqual(s.enum, [...SEVERITY_SETTING_VALUES], `${rule.id}: enum`);
    assert.match(String(s.markdownDescription), new RegExp(`docs/rules/${rule.id}\\.md`), `${rule.id}: docs link`);
  }
  assert.deepEqual(Object.fromEntries(ruleKeys.map((k) => [k, properties[k]])), ruleSettings(RULES), REGENERATE);
});

test('the JSON snippets are generated from the YAML ones', () => {
  const yaml = JSON.parse(read('snippets/zerotrust-yaml.json')) as SnippetFile;
  assert.deepEqual(JSON.parse(read('snippets/zerotrust-json.json')), jsonSnippets(yaml, [MANIFEST_SNIPPET]), REGENERATE);
});

test('the other settings: trace, exclude, maxFileSizeMB', () => {
  assert.equal(contributes.configuration.title, 'Zero Trust Policies');
  assert.deepEqual(properties['zeroTrust.trace.server']!.enum, ['off', 'messages', 'verbose']);
  assert.equal(properties['zeroTrust.trace.server']!.default, 'off');
  assert.deepEqual(properties['zeroTrust.exclude']!.default, []);
  assert.equal(properties['zeroTrust.exclude']!.type, 'array');
  assert.equal(properties['zeroTrust.maxFileSizeMB']!.default, 5);
  for (const [key, s] of Object.entries(properties)) assert.notEqual(s.scope, 'machine', `${key}: nothing here needs machine scope`);
});

test('entry points, engines, activation and workspace trust', () => {
  assert.equal(pkg.main, './dist/client.js');
  assert.equal(pkg.engines.vscode, '^1.91.0');
  assert.equal(pkg.bin.ztp, 'bin/ztp.js');
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/zerotrust.yaml'));
  assert.ok(pkg.activationEvents.includes('onView:zeroTrustLayers'));
  for (const id of commandIds) assert.ok(pkg.activationEvents.includes(`onCommand:${id}`), `activationEvents lacks onCommand:${id}`);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  assert.equal(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, undefined, 'no setting makes anything run');
  assert.ok(existsSync(join(ROOT, pkg.icon)), pkg.icon);
});

test('every contributed command is registered in extension.ts, in the Zero Trust category', () => {
  const source = read('client/src/extension.ts');
  for (const c of contributes.commands as { command: string; category: string }[]) {
    assert.ok(source.includes(`registerCommand('${c.command}'`), `${c.command} is not registered`);
    assert.equal(c.category, 'Zero Trust', c.command);
  }
  const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(registered.filter((id) => !commandIds.includes(id!)), [], 'registered but not contributed');
});

test('commands named in menus, welcome views, walkthroughs and settings exist', () => {
  const own = new Set([...commandIds, 'zeroTrustLayers.focus']);
  const menuCommands = Object.values(contributes.menus as Record<string, { command: string }[]>).flat().map((m) => m.command);
  const texts = [
    ...(contributes.viewsWelcome as { contents: string }[]).map((v) => v.contents),
    ...contributes.walkthroughs.flatMap((w: { steps: { description: string }[] }) => w.steps.map((s) => s.description)),
    ...Object.values(properties).map((s) => String(s.markdownDescription ?? '')),
  ];
  const linked = texts.flatMap((t) => [...t.matchAll(/\(command:((?:zeroTrust)[\w.]*)/g)].map((m) => m[1]!));
  for (const id of [...menuCommands, ...linked]) assert.ok(own.has(id), `${id} is not a command of the extension`);
  for (const tree of ['client/src/layers-tree.ts']) {
    for (const m of read(tree).matchAll(/'(zeroTrust\.[\w]+)'/g)) assert.ok(own.has(m[1]!), `${tree} uses ${m[1]}`);
  }
});

test('the activity bar container, the layer view and its welcome view', () => {
  const container = (contributes.viewsContainers.activitybar as { id: string; title: string; icon: string }[]).find((c) => c.id === 'zeroTrust');
  assert.ok(container, 'activity bar container zeroTrust');
  assert.equal(container.title, 'Zero Trust');
  const svg = read(container.icon);
  assert.match(svg, /viewBox="0 0 24 24"/);
  assert.match(svg, /currentColor/);
  const view = (contributes.views.zeroTrust as { id: string; name: string }[]).find((v) => v.id === 'zeroTrustLayers');
  assert.equal(view?.name, 'Layer progress');
  const welcome = (contributes.viewsWelcome as { view: string; contents: string; when: string }[]).filter((w) => w.view === 'zeroTrustLayers');
  assert.ok(welcome.some((w) => w.contents.includes('command:zeroTrust.createManifest') && w.when.includes('!zeroTrust.hasTenant')));
});

test('snippets are contributed for YAML and JSON, and cover every kind', () => {
  const byLanguage = Object.fromEntries((contributes.snippets as { language: string; path: string }[]).map((s) => [s.language, s.path]));
  assert.deepEqual(Object.keys(byLanguage).sort(), ['json', 'yaml']);
  const bodies = Object.fromEntries(
    Object.entries(byLanguage).map(([lang, path]) => [lang, Object.values(JSON.parse(read(path)) as SnippetFile).map((s) => s.body.join('\n'))]),
  );
  for (const kind of KIND_NAMES) {
    assert.ok(bodies.yaml!.some((b) => b.includes(`kind: ${kind}\n`)), `no YAML snippet for ${kind}`);
    assert.ok(bodies.json!.some((b) => b.includes(`"kind": "${kind}"`)), `no JSON snippet for ${kind}`);
  }
  assert.ok(bodies.yaml!.some((b) => b.includes('kind: Tenant\n')), 'no manifest snippet');
});

test('only the manifest is mapped for the YAML extension; policies are selected by kind, which it cannot do', () => {
  assert.deepEqual(contributes.yamlValidation, [{ fileMatch: '**/zerotrust.yaml', url: './schemas/zerotrust.schema.json' }]);
  assert.equal(contributes.jsonValidation, undefined);
});

test('the walkthrough follows the seed: manifest, then layers 1 to 7, each step with its page', () => {
  const walk = contributes.walkthroughs.find((w: { id: string }) => w.id === 'zeroTrust.getStarted');
  assert.equal(walk.title, 'Get started with Zero Trust layers');
  const steps = walk.steps as { id: string; media: { markdown: string }; description: string }[];
  assert.deepEqual(steps.map((s) => s.id), ['manifest', 'layer1', 'layer2', 'layer3', 'layer4', 'layer5', 'layer6', 'layer7', 'progress']);
  for (const s of steps) assert.ok(existsSync(join(ROOT, s.media.markdown)), s.media.markdown);
  assert.match(read(steps.find((s) => s.id === 'layer4')!.media.markdown), /What If/);
});

test('.vscodeignore is an allowlist that packages every file the manifest names', () => {
  const lines = read('.vscodeignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**', 'starts by excluding everything');
  const allowed = lines.filter((l) => l.startsWith('!')).map((l) => globToRegExp(l.slice(1)));
  const named = [
    pkg.main.replace(/^\.\//, ''),
    'dist/server.js',
    pkg.icon,
    ...contributes.viewsContainers.activitybar.map((c: { icon: string }) => c.icon),
    ...contributes.snippets.map((s: { path: string }) => s.path.replace(/^\.\//, '')),
    ...contributes.yamlValidation.map((v: { url: string }) => v.url.replace(/^\.\//, '')),
    ...contributes.walkthroughs.flatMap((w: { steps: { media: { markdown: string } }[] }) => w.steps.map((s) => s.media.markdown)),
    // The rule pages, which the extension serves from this file (client/src/rule-docs.ts).
    'dist/rule-docs.json.br',
  ];
  for (const file of named) assert.ok(allowed.some((re) => re.test(file)), `${file} would be left out of the .vsix`);
});

test('the client stays thin: vscode, the language client, node, itself and the pure shared modules only', () => {
  const allowed = /^(vscode$|vscode-languageclient\/node$|node:|\.\/|\.\.\/\.\.\/server\/src\/(protocol|core\/(kinds|platforms|licenses|auth-context-id))$)/;
  const bad: string[] = [];
  for (const name of readdirSync(join(ROOT, 'client', 'src'))) {
    const text = read(`client/src/${name}`);
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
      const spec = m[1] ?? m[2]!;
      if (!allowed.test(spec)) bad.push(`client/src/${name} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

/** `*` within a path segment, `**` across segments. */
function globToRegExp(glob: string): RegExp {
  const re = glob
    .split('**')
    .map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${re}$`);
}

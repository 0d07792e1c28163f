/** Every rule is complete: a well-formed id, a place in the sorted registry, a docs page, fixtures and a setting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/core/rules/index';
import { fixtureCases, isSelectedRule } from '../harness/fixtures';
import { withRuleCatalogue } from '../../scripts/contributes';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const settings = pkg.contributes.configuration.properties as Record<string, { default: string }>;

test('the registry is sorted and ids are unique kebab-case', () => {
  const ids = RULES.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
});

test('every rule in the catalogue of shared/design/rules.md is implemented', () => {
  let catalogue: string;
  try {
    catalogue = readFileSync(join(ROOT, '..', 'shared', 'design', 'rules.md'), 'utf8');
  } catch {
    return;
  }
  const ids = [...catalogue.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
  assert.ok(ids.length >= 23);
  for (const id of ids) assert.ok(RULES.some((r) => r.id === id), `${id} is implemented`);
});

/** Rules whose findings only the engine raises (a rule that throws), with the test that covers each. */
const ENGINE_RAISED: Record<string, string> = { 'internal-error': 'test/robustness/faults.test.ts' };

for (const rule of RULES.filter((r) => isSelectedRule(r.id))) {
  test(`${rule.id}: docs page, setting and fixtures`, () => {
    const page = join(ROOT, 'docs', 'rules', `${rule.id}.md`);
    assert.ok(existsSync(page), `docs/rules/${rule.id}.md`);
    const text = readFileSync(page, 'utf8');
    assert.match(text, new RegExp(`^# ${rule.id}\\b`, 'm'));
    for (const section of ['What it checks', 'Why', 'Avoid', 'Prefer', 'How to fix', 'Configuration']) assert.match(text, new RegExp(`^## ${section}`, 'm'), `${rule.id}.md has "${section}"`);
    assert.ok(readFileSync(join(ROOT, 'docs', 'rules', 'README.md'), 'utf8').includes(`${rule.id}.md`), 'listed in docs/rules/README.md');

    const setting = settings[`zeroTrust.rules.${rule.id}`];
    assert.ok(setting, `zeroTrust.rules.${rule.id} setting`);
    assert.equal(setting.default, rule.defaultSeverity);

    // A finding the engine raises on another rule's behalf cannot come from a fixture: its test is named instead.
    const engineTest = ENGINE_RAISED[rule.id];
    if (engineTest) {
      assert.ok(existsSync(join(ROOT, engineTest)), `${rule.id} is tested in ${engineTest}`);
      assert.match(readFileSync(join(ROOT, engineTest), 'utf8'), new RegExp(rule.id));
      return;
    }
    const cases = fixtureCases(rule.id).map((c) => c.split(/[\\/]/).pop()!);
    assert.ok(cases.some((c) => c.startsWith('fires')), 'a case that fires');
    assert.ok(cases.filter((c) => c.startsWith('ok')).length >= 2, 'at least two near misses');
    if (rule.fix) assert.ok(fixtureCases(rule.id).some((c) => existsSync(join(c, '_fixed'))), 'a fix test with golden files');
    const source = readFileSync(join(ROOT, 'server', 'src', 'core', 'rules', `${rule.id}.ts`), 'utf8');
    if (/lowered/.test(source)) {
      const withSeverity = fixtureCases(rule.id).some((c) => grep(c, new RegExp(`expect: ${rule.id}\\((warning|information|hint)\\)`)));
      assert.ok(withSeverity, 'a report-only case that checks the lowered severity');
    }
  });
}

function grep(dir: string, re: RegExp): boolean {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) {
      if (grep(p, re)) return true;
    } else if (re.test(readFileSync(p, 'utf8'))) return true;
  }
  return false;
}


test('docs/rules/README.md holds the catalogue the rules make (npm run gen:contributes), with the peers of each', () => {
  const readme = readFileSync(join(ROOT, 'docs', 'rules', 'README.md'), 'utf8');
  assert.equal(readme, withRuleCatalogue(readme, RULES), 'stale catalogue: run `npm run gen:contributes`');
  for (const rule of RULES) {
    for (const peer of rule.peers ?? []) assert.match(peer, /^(MT\.\d{4}|ZTA \d{5}|MS\.[A-Z]+\.\d+\.\d+v\d+)$/, `${rule.id}: peer id '${peer}'`);
    for (const source of rule.sources ?? []) assert.match(source, /^https:\/\/(learn\.microsoft\.com|maester\.dev|github\.com\/cisagov|microsoft\.github\.io)\//, `${rule.id}: source ${source}`);
  }
});

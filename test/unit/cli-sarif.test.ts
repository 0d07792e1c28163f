/**
 * Issue #15, item 5: SARIF for GitHub code scanning. Every rule's `helpUri` is an absolute URL, and its docs page is
 * embedded as `help.markdown` (from a generated module that must match docs/rules/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES } from '../harness/fixtures';
import { RULES } from '../../server/src/core/rules/index';
import { RULE_DOCS } from '../../server/src/cli/rule-docs.generated';
import { absoluteLinks, ruleHelp } from '../../server/src/cli/sarif';
import { repositoryUrl, ruleDocsUrl } from '../../server/src/cli/meta';

const ROOT = join(__dirname, '..', '..');
const BASE = 'https://github.com/intune-zero-trust/intune-zero-trust-policies';

test('the embedded rule pages are current: run `node scripts/gen-rule-docs.mjs` after editing docs/rules/', async () => {
  const gen = (await import(pathToFileURL(join(ROOT, 'scripts', 'gen-rule-docs.mjs')).href)) as { renderRuleDocs: (root?: string) => string; GENERATED: string };
  assert.equal(readFileSync(join(ROOT, gen.GENERATED), 'utf8'), gen.renderRuleDocs(ROOT), 'server/src/cli/rule-docs.generated.ts is stale; run node scripts/gen-rule-docs.mjs');
  for (const r of RULES) assert.ok(RULE_DOCS[r.id], `${r.id} has an embedded page`);
});

test('the docs address comes from package.json (repository, then homepage), with the project as fallback', () => {
  assert.equal(repositoryUrl({ repository: { type: 'git', url: 'git+https://github.com/a/b.git' } }), 'https://github.com/a/b');
  assert.equal(repositoryUrl({ repository: { type: 'git', url: 'https://github.com/a/b' } }), 'https://github.com/a/b');
  assert.equal(repositoryUrl({ repository: 'github:a/b' }), 'https://github.com/a/b');
  assert.equal(repositoryUrl({ repository: 'a/b' }), 'https://github.com/a/b');
  assert.equal(repositoryUrl({ homepage: 'https://github.com/a/b#readme' }), 'https://github.com/a/b');
  assert.equal(repositoryUrl({}), BASE);
  assert.equal(repositoryUrl({ repository: { url: 'not a url' } }), BASE);
  assert.equal(ruleDocsUrl('schema', 'https://github.com/a/b'), 'https://github.com/a/b/blob/main/docs/rules/schema.md');
});

test('relative links of a page become absolute; absolute ones stay', () => {
  const page = `${BASE}/blob/main/docs/rules/schema.md`;
  const md = 'See [yaml-syntax](yaml-syntax.md), [schemas](../schemas.md#beta), [below](#how-to-fix) and [RFC](https://www.rfc-editor.org/rfc/rfc8259).\n\n[ref]: other.md\n';
  assert.equal(
    absoluteLinks(md, page),
    `See [yaml-syntax](${BASE}/blob/main/docs/rules/yaml-syntax.md), [schemas](${BASE}/blob/main/docs/schemas.md#beta), [below](${page}#how-to-fix) and [RFC](https://www.rfc-editor.org/rfc/rfc8259).\n\n[ref]: ${BASE}/blob/main/docs/rules/other.md\n`,
  );
  // A rule with no page (a test rule) still gets a text help with the address.
  assert.deepEqual(ruleHelp({ id: 'x-test', title: 'A test rule', category: 'structure', defaultSeverity: 'error', check: () => undefined }, {}), { text: `A test rule. Documentation: ${BASE}/blob/main/docs/rules/x-test.md` });
});

test('ztp check --format sarif: absolute helpUri and the page as help.markdown for every rule', () => {
  const dir = join(FIXTURES, 'schema', 'fires-enum');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ztp.js'), 'check', '.', '--format', 'sarif'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const rules = JSON.parse(r.stdout).runs[0].tool.driver.rules as { id: string; helpUri: string; help: { text: string; markdown: string } }[];
  assert.deepEqual(rules.map((x) => x.id), RULES.map((x) => x.id));
  for (const rule of rules) {
    const url = `${BASE}/blob/main/docs/rules/${rule.id}.md`;
    assert.equal(rule.helpUri, url);
    assert.ok(rule.help.text.length > 20 && rule.help.text.endsWith(`Documentation: ${url}`), rule.help.text);
    assert.equal(rule.help.markdown, absoluteLinks(readFileSync(join(ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8').replace(/\r\n/g, '\n'), url));
    assert.match(rule.help.markdown, new RegExp(`^# ${rule.id}\\n`));
    // No link is left pointing into the user's repository.
    for (const m of rule.help.markdown.matchAll(/\]\(([^)\s]+)\)/g)) assert.match(m[1]!, /^(https?|mailto):/, `${rule.id}: ${m[1]}`);
  }
  const schema = rules.find((x) => x.id === 'schema')!;
  assert.match(schema.help.text, /^\S.*\. Documentation: /);
});

test('SARIF artifact URIs are valid relative references: spaces in real export names are percent-encoded', async () => {
  const { formatSarif } = await import('../../server/src/cli/sarif');
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const out = JSON.parse(formatSarif([{ file: 'tenant/Settings Catalog/Windows - ASR rules#2.json', range, severity: 'error', code: 'schema', message: 'm' }] as never, [], '0.0.0'));
  assert.equal(out.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'tenant/Settings%20Catalog/Windows%20-%20ASR%20rules%232.json');
});

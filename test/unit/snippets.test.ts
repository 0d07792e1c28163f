/**
 * The snippets and the "New Policy…" templates: every kind has one, every snippet expands to a file that passes the
 * structure rules (schema-valid, groups resolve, names unique) in a tenant made from the manifest snippet, in YAML
 * and in JSON, and the snippet syntax is read as VS Code reads it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { KIND_NAMES } from '../../server/src/core/kinds';
import { STRUCTURE_RULES } from '../harness/fixtures';
import { expandSnippet, parseSnippet, type SnippetFile } from '../../client/src/snippet-syntax';
import {
  ENROLLMENT_PLATFORM_TYPES,
  MANIFEST_FILE,
  MANIFEST_SNIPPET,
  NAME_TABSTOP,
  PLATFORM_TYPE_TABSTOP,
  POLICY_TEMPLATES,
  policyFilePath,
  validatePolicyName,
} from '../../client/src/policy-templates';

const ROOT = join(__dirname, '..', '..');
const readSnippets = (lang: 'yaml' | 'json') => JSON.parse(readFileSync(join(ROOT, 'snippets', `zerotrust-${lang}.json`), 'utf8')) as SnippetFile;

test('snippet syntax: tabstops, placeholders, choices, variables, mirrors and escapes', () => {
  assert.equal(expandSnippet('name: ${1:x}\nsame: $1', { 1: 'win' }), 'name: win\nsame: win');
  assert.equal(expandSnippet('a: ${1:one} b: ${1}'), 'a: one b: one');
  assert.equal(expandSnippet('t: ${2|windows,ios|}'), 't: windows');
  assert.equal(expandSnippet('t: ${2|windows,ios|}', { 2: 'ios' }), 't: ios');
  assert.equal(expandSnippet('n: ${1:$TM_FILENAME_BASE}', {}, { TM_FILENAME_BASE: 'f' }), 'n: f');
  assert.equal(expandSnippet('n: ${1:$TM_FILENAME_BASE}', { 1: 'mine' }), 'n: mine');
  assert.equal(expandSnippet('cost: \\$5 ${1:a\\}b} $0'), 'cost: $5 a}b ');
  assert.equal(expandSnippet('${1:outer ${2:inner}}'), 'outer inner');
  assert.equal(expandSnippet('literal $ and ${ and }'), 'literal $ and ${ and }');
  assert.equal(expandSnippet('${3|a\\,b,c|}'), 'a,b');
  const nodes = parseSnippet('x ${1:y} z');
  assert.deepEqual(nodes.map((n) => n.type), ['text', 'tabstop', 'text']);
});

test('every kind has a template, and every template a snippet in both files', () => {
  const yaml = readSnippets('yaml');
  const json = readSnippets('json');
  for (const kind of KIND_NAMES) assert.ok(POLICY_TEMPLATES.some((t) => t.kind === kind), `no template for ${kind}`);
  for (const t of POLICY_TEMPLATES) {
    assert.ok(yaml[t.snippet], `snippets/zerotrust-yaml.json has no "${t.snippet}"`);
    assert.ok(json[t.snippet], `snippets/zerotrust-json.json has no "${t.snippet}"`);
    assert.equal(validatePolicyName(t.name), undefined, t.name);
    assert.match(yaml[t.snippet]!.body.join('\n'), new RegExp(`^kind: ${t.kind}$`, 'm'), t.snippet);
  }
  assert.ok(yaml[MANIFEST_SNIPPET], 'the manifest snippet');
  assert.equal(json[MANIFEST_SNIPPET], undefined, 'the manifest is zerotrust.yaml, so it has no JSON snippet');
  const templated = new Set([MANIFEST_SNIPPET, ...POLICY_TEMPLATES.map((t) => t.snippet)]);
  assert.deepEqual(Object.keys(yaml).filter((k) => !templated.has(k)), [], 'snippets that "New Policy…" cannot create');
  for (const [key, s] of Object.entries(yaml)) assert.match(s.prefix, /^ztp-[a-z0-9-]+$/, key);
});

test('policy names follow the format contract', () => {
  assert.equal(validatePolicyName('win-compliance-baseline'), undefined);
  for (const bad of ['', 'Win', 'a_b', 'a b', 'a.b']) assert.ok(validatePolicyName(bad), bad);
  // The contract's rule is the characters, nothing stricter (the schema takes these too).
  for (const good of ['a--b', '-a', 'a-', '123']) assert.equal(validatePolicyName(good), undefined, good);
});

for (const lang of ['yaml', 'json'] as const) {
  test(`every ${lang} snippet expands to a policy that passes the structure rules`, async () => {
    const snippets = readSnippets(lang);
    const dir = mkdtempSync(join(tmpdir(), `ztp-snippets-${lang}-`));
    try {
      const write = (rel: string, text: string) => {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      };
      write(MANIFEST_FILE, expandSnippet(readSnippets('yaml')[MANIFEST_SNIPPET]!.body.join('\n'), { [NAME_TABSTOP]: 'snippet-test' }));
      const files: string[] = [];
      POLICY_TEMPLATES.forEach((t, i) => {
        const platformTypes = t.kind === 'EnrollmentRestriction' ? ENROLLMENT_PLATFORM_TYPES.map((p) => p.value) : [undefined];
        for (const platformType of platformTypes) {
          const name = `${t.name}-${i}${platformType ? `-${platformType.toLowerCase()}` : ''}`;
          const values: Record<number, string> = { [NAME_TABSTOP]: name };
          if (platformType) values[PLATFORM_TYPE_TABSTOP] = platformType;
          const rel = policyFilePath(t, name).replace(/\.yaml$/, `.${lang}`);
          write(rel, expandSnippet(snippets[t.snippet]!.body.join('\n'), values));
          files.push(rel);
        }
      });
      const service = createPolicyService({ fs: nodeFileSystem });
      for (const f of await service.discover(dir)) await service.load(f);
      const structural = service
        .analyzeAll()
        .filter((f) => STRUCTURE_RULES.includes(f.ruleId) && f.ruleId !== 'no-tenant-manifest')
        .map((f) => `${relative(dir, f.file)}: ${f.ruleId}: ${f.message}`);
      assert.deepEqual(structural, []);
      const kinds = files.map((f) => service.get(join(dir, f)));
      assert.ok(kinds.every((k) => k), 'every expanded snippet was loaded as a policy');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

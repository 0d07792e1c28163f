/**
 * Rewrites the generated contributions: package.json's `zeroTrust.rules.<id>` settings (from the rule registry),
 * the rule catalogue in docs/rules/README.md, and `snippets/zerotrust-json.json` (from the YAML snippets). Usage: `npm run gen:contributes` (`-- --check` to only compare).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../server/src/core/rules/index';
import { jsonSnippets, withRuleCatalogue, withRuleSettings } from './contributes';
import type { SnippetFile } from '../client/src/snippet-syntax';
import { MANIFEST_SNIPPET } from '../client/src/policy-templates';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

const pkgPath = join(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
pkg.contributes.configuration.properties = withRuleSettings(pkg.contributes.configuration.properties, RULES);

const yamlSnippets = JSON.parse(readFileSync(join(root, 'snippets', 'zerotrust-yaml.json'), 'utf8')) as SnippetFile;
const readmePath = join(root, 'docs', 'rules', 'README.md');
const outputs: [string, string][] = [
  [pkgPath, json(pkg)],
  [readmePath, withRuleCatalogue(readFileSync(readmePath, 'utf8'), RULES)],
  [join(root, 'snippets', 'zerotrust-json.json'), json(jsonSnippets(yamlSnippets, [MANIFEST_SNIPPET]))],
];

let stale = 0;
for (const [path, text] of outputs) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
  stale++;
  if (check) console.error(`stale: ${path.slice(root.length + 1)}`);
  else writeFileSync(path, text);
}
if (check && stale) process.exit(1);
console.log(`${check ? 'checked' : 'wrote'} ${RULES.length} rule settings and ${Object.keys(yamlSnippets).length - 1} JSON snippets${stale && !check ? ` (${stale} file(s) changed)` : ''}`);

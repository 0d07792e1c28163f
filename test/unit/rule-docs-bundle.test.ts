/**
 * The rule pages the VS Code extension shows: the build writes docs/rules/<id>.md into dist/rule-docs.json.br
 * (scripts/gen-rule-docs.mjs), which the .vsix ships instead of the .md files (client/src/rule-docs.ts serves them).
 * Every page is in it, unchanged but for its links out of docs/rules/, which become the repository's addresses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

const ROOT = join(__dirname, '..', '..');
const REPO = 'https://github.com/intune-zero-trust/intune-zero-trust-policies/blob/HEAD/';

interface Gen {
  BUNDLE: string;
  extensionRulePages: (root?: string) => Record<string, string>;
  writeRuleDocsBundle: (root?: string, production?: boolean) => number;
}
const gen = async (): Promise<Gen> => (await import(pathToFileURL(join(ROOT, 'scripts', 'gen-rule-docs.mjs')).href)) as Gen;

test('the built dist/rule-docs.json.br holds every rule page of docs/rules/, and nothing else', async () => {
  const { BUNDLE, extensionRulePages } = await gen();
  assert.ok(existsSync(join(ROOT, BUNDLE)), `${BUNDLE} is built (npm test builds it first)`);
  const packed = JSON.parse(brotliDecompressSync(readFileSync(join(ROOT, BUNDLE))).toString('utf8')) as Record<string, string>;
  const ids = readdirSync(join(ROOT, 'docs', 'rules'))
    .filter((n) => n.endsWith('.md') && n !== 'README.md')
    .map((n) => n.slice(0, -3))
    .sort();
  assert.deepEqual(Object.keys(packed).sort(), ids);
  assert.deepEqual(packed, extensionRulePages(ROOT));
  // A page is the file as written, but for its links out of docs/rules/.
  const page = readFileSync(join(ROOT, 'docs', 'rules', 'ca-requires-compliance-policy.md'), 'utf8').replace(/\r\n/g, '\n');
  assert.equal(packed['ca-requires-compliance-policy'], page);
});

test('links between rule pages stay relative; links out of docs/rules/ become the file in the repository', async () => {
  const { extensionRulePages, writeRuleDocsBundle, BUNDLE } = await gen();
  const root = mkdtempSync(join(tmpdir(), 'ztp-rule-docs-'));
  try {
    mkdirSync(join(root, 'docs', 'rules'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ repository: { type: 'git', url: 'git+https://github.com/intune-zero-trust/intune-zero-trust-policies.git' } }));
    writeFileSync(join(root, 'docs', 'rules', 'README.md'), '# Rules\n');
    writeFileSync(join(root, 'docs', 'rules', 'other-rule.md'), '# other-rule\n');
    writeFileSync(
      join(root, 'docs', 'rules', 'some-rule.md'),
      [
        '# some-rule',
        'See [other-rule](other-rule.md#fix), [the catalogue](README.md), [the format](../format.md#groups),',
        '[a missing page](no-such-rule.md), [Learn](https://learn.microsoft.com/en-us/mem/intune/) and [below](#fix).',
        '',
      ].join('\r\n'),
    );
    const pages = extensionRulePages(root);
    assert.deepEqual(Object.keys(pages).sort(), ['other-rule', 'some-rule']);
    assert.equal(
      pages['some-rule'],
      [
        '# some-rule',
        `See [other-rule](other-rule.md#fix), [the catalogue](${REPO}docs/rules/README.md), [the format](${REPO}docs/format.md#groups),`,
        `[a missing page](${REPO}docs/rules/no-such-rule.md), [Learn](https://learn.microsoft.com/en-us/mem/intune/) and [below](#fix).`,
        '',
      ].join('\n'),
    );
    // The written file decompresses to the same pages.
    assert.ok(writeRuleDocsBundle(root) > 0);
    assert.deepEqual(JSON.parse(brotliDecompressSync(readFileSync(join(root, BUNDLE))).toString('utf8')), pages);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('every link of the shipped pages out of docs/rules/ names a file the repository has', async () => {
  const { extensionRulePages } = await gen();
  const missing: string[] = [];
  for (const [id, text] of Object.entries(extensionRulePages(ROOT))) {
    for (const m of text.matchAll(/\]\((https:\/\/github\.com\/intune-zero-trust\/intune-zero-trust-policies\/blob\/HEAD\/([^)#?\s]+))/g)) {
      if (!existsSync(join(ROOT, decodeURIComponent(m[2]!)))) missing.push(`${id}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

/**
 * The npm package (`npm pack`, `npm install -g`, `npx`): it ships the launcher, the bundles, the schemas, the rule
 * pages and the notices, and nothing else; it needs no dependency at run time (everything is bundled); and
 * THIRD_PARTY_NOTICES.md is what scripts/third-party-notices.mjs makes from the bundles now.
 * scripts/ci-packed.sh (run by .ci/run) installs the real tarball offline and runs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function packedFiles(): string[] {
  // --ignore-scripts: list what would ship without rebuilding dist/ (npm test has just built it).
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
}

test('package.json: no runtime dependencies, a prepack that builds, repository links, and no `files` (vsce refuses it beside .vscodeignore)', () => {
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'the bundles hold every dependency: list them under devDependencies');
  assert.match(pkg.scripts.prepack, /^node scripts\/build\.mjs && node scripts\/third-party-notices\.mjs$/);
  assert.equal(pkg.scripts.prepare, 'node scripts/build.mjs', 'a clone still builds on npm ci');
  assert.equal(pkg.bin.ztp, 'bin/ztp.js');
  assert.match(pkg.repository.url, /^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
  assert.match(pkg.bugs.url, /^https:\/\/github\.com\/[^/]+\/[^/]+\/issues$/);
  assert.match(pkg.homepage, /^https:\/\/github\.com\//);
  assert.equal(pkg.files, undefined, 'the npm allowlist is .npmignore: vsce exits when package.json has `files` and a .vscodeignore exists');
  assert.ok(existsSync(join(ROOT, '.npmignore')));
});

test('npm pack ships the launcher, the bundles, schemas, rule pages and notices, and no sources, tests, maps or examples', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/ is built (npm test builds it first)');
  const files = packedFiles();
  const rules = readdirSync(join(ROOT, 'docs', 'rules')).map((n) => `docs/rules/${n}`);
  const schemas = readdirSync(join(ROOT, 'schemas')).filter((n) => n.endsWith('.schema.json')).map((n) => `schemas/${n}`);
  const expected = ['bin/ztp.js', 'dist/cli.js', 'dist/server.js', 'dist/settings-catalog.json.gz', 'docs/settings-catalog.md', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'THIRD_PARTY_NOTICES.md', 'docs/format.md', ...rules, ...schemas];
  assert.deepEqual(expected.filter((f) => !files.includes(f)), [], 'missing from the package');
  const unwanted = files.filter((f) => /^(server|client|test|scripts|examples|bench|node_modules|walkthrough|snippets|\.ci)\/|\.map$|\.ts$|^schemas\/src\/|^docs\/images\//.test(f));
  assert.deepEqual(unwanted, [], 'in the package but not needed by it');
});

test('the bundles the package runs need nothing but Node: every require is a built-in module', () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  for (const name of ['cli.js', 'server.js']) {
    const text = readFileSync(join(ROOT, 'dist', name), 'utf8');
    // (A require written inside a string, as ajv's code generator keeps them, is not a require.)
    const required = [...text.matchAll(/(?<!['"\w.$])require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
    assert.ok(required.length > 0, `${name}: requires found`);
    assert.deepEqual([...new Set(required.filter((r) => !builtins.has(r)))], [], `${name} requires packages that are not bundled`);
  }
  const launcher = readFileSync(join(ROOT, 'bin', 'ztp.js'), 'utf8');
  assert.deepEqual([...launcher.matchAll(/require\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]).filter((r) => r && !builtins.has(r)), []);
});

test('THIRD_PARTY_NOTICES.md is current: every bundled package with its version, licence and licence text', async () => {
  const notices = (await import(pathToFileURL(join(ROOT, 'scripts', 'third-party-notices.mjs')).href)) as {
    bundledInputs(): Promise<string[]>;
    bundledPackages(inputs: string[]): { name: string; version: string; license: string; licenseText?: { text: string } }[];
    renderNotices(rows: unknown[]): string;
  };
  const rows = notices.bundledPackages(await notices.bundledInputs());
  const names = rows.map((r) => r.name);
  for (const dep of ['ajv', 'yaml', 'vscode-languageserver', 'vscode-languageclient', 'vscode-jsonrpc']) assert.ok(names.includes(dep), `${dep} is bundled`);
  assert.ok(!names.includes('esbuild') && !names.includes('typescript'), 'build tools are not bundled');
  for (const r of rows) assert.ok(r.licenseText?.text, `${r.name} ships a licence text`);
  const committed = readFileSync(join(ROOT, 'THIRD_PARTY_NOTICES.md'), 'utf8');
  assert.ok(committed === notices.renderNotices(rows), 'THIRD_PARTY_NOTICES.md is out of date: run node scripts/third-party-notices.mjs');
  for (const r of rows) assert.ok(committed.includes(`## ${r.name} ${r.version}\n`), r.name);
});

test('the bundles keep licence comments (legalComments eof) and name the notices', async () => {
  const { commonOptions } = (await import(pathToFileURL(join(ROOT, 'scripts', 'bundles.mjs')).href)) as { commonOptions(p: boolean): { legalComments: string; banner: { js: string } } };
  for (const production of [false, true]) {
    assert.equal(commonOptions(production).legalComments, 'eof');
    assert.match(commonOptions(production).banner.js, /THIRD_PARTY_NOTICES\.md/);
  }
  for (const name of ['cli.js', 'server.js', 'client.js']) assert.match(readFileSync(join(ROOT, 'dist', name), 'utf8').slice(0, 300), /THIRD_PARTY_NOTICES\.md/, name);
});

/**
 * The extension's Marketplace page: `npm run package` packages README.marketplace.md as the .vsix README (vsce
 * rewrites its relative links against `repository`); it opens with what the extension does, names the commands and
 * settings the manifest contributes, and every link and image in it is a web address or a file that the .vsix
 * contains (the list comes from `vsce ls` itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkProblem, markdownLinks } from '../harness/markdown-links';

const ROOT = join(__dirname, '..', '..');
const README = 'README.marketplace.md';
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const text = readFileSync(join(ROOT, README), 'utf8');

/** The files `vsce package` puts in the .vsix, as vsce lists them (asked once). */
let listed: string[] | undefined;
function vsixFiles(): string[] {
  return (listed ??= listVsix());
}

function listVsix(): string[] {
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies', '--readme-path', README], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

test('npm run package uses README.marketplace.md, rewrites relative links, and the manifest names its repository', () => {
  assert.match(pkg.scripts.package, /vsce package .*--readme-path README\.marketplace\.md/);
  assert.doesNotMatch(pkg.scripts.package, /--no-rewrite-relative-links|--allow-missing-repository/);
  assert.match(pkg.repository?.url ?? '', /github\.com\//, 'vsce rewrites relative links against the repository');
});

test('the Marketplace page opens with what the extension does, not with a clone, and lists the commands and settings', () => {
  const intro = text.split('\n## ')[0]!;
  assert.match(intro, /^# Intune Zero Trust Policies\n/);
  assert.match(intro, /Zero Trust/);
  assert.doesNotMatch(text, /git clone|npm ci\b/, 'an extension user does not clone the repository');
  const palette = new Set<string>((pkg.contributes.menus.commandPalette as { command: string; when: string }[]).filter((m) => m.when === 'false').map((m) => m.command));
  for (const c of pkg.contributes.commands as { command: string; title: string }[]) {
    if (!palette.has(c.command)) assert.ok(text.includes(`**${c.title}**`), `the command "${c.title}" is described`);
  }
  for (const key of Object.keys(pkg.contributes.configuration.properties)) {
    const setting = key.startsWith('zeroTrust.rules.') ? 'zeroTrust.rules.<id>' : key;
    assert.ok(text.includes(`\`${setting}\``), `the setting ${setting} is described`);
  }
});

test('every link and image of the Marketplace README is a web address or a file the .vsix contains', () => {
  const packaged = new Set(vsixFiles());
  assert.ok(packaged.has(README) && packaged.has('dist/client.js'), 'vsce lists the README and the client bundle');
  assert.ok(packaged.has('dist/server.js') && packaged.has('dist/settings-catalog.json.gz'), 'the server reads the settings catalog index beside it');
  assert.ok(!packaged.has('README.md'), 'the repository README (a clone quick start) is not packaged beside it');
  const links = markdownLinks(text);
  assert.ok(links.filter((l) => l.image).length >= 3, 'the page shows the screenshots');
  const problems: string[] = [];
  for (const l of links) {
    const where = `${README}:${l.line}: ${l.image ? 'image' : 'link'} ${l.target}`;
    if (/^https:\/\//.test(l.target)) {
      if (l.image && /\.svg([?#]|$)/i.test(l.target)) problems.push(`${where}: the Marketplace refuses SVG images`);
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(l.target)) {
      problems.push(`${where}: only https addresses work on the Marketplace page`);
      continue;
    }
    if (l.target.startsWith('#')) continue;
    const problem = linkProblem(ROOT, join(ROOT, README), l.target);
    if (problem) problems.push(`${where} ${problem}`);
    else {
      const file = decodeURIComponent(l.target.replace(/[?#].*$/, '')).replace(/^\.\//, '');
      if (!packaged.has(file)) problems.push(`${where}: not in the .vsix (add it to .vscodeignore's allowlist)`);
      if (l.image && !/\.(png|jpe?g|gif)$/i.test(file)) problems.push(`${where}: the Marketplace shows PNG, JPEG or GIF images`);
    }
  }
  assert.deepEqual(problems, []);
  for (const f of ['LICENSE', 'THIRD_PARTY_NOTICES.md', 'CHANGELOG.md', pkg.icon]) assert.ok(packaged.has(f) && existsSync(join(ROOT, f)), `${f} is packaged`);
});

test('the .vsix carries each thing once: the rule pages in dist/rule-docs.json.br, and only the schemas the manifest names', () => {
  const packaged = vsixFiles();
  // client/src/rule-docs.ts serves the pages from the one file; dist/server.js carries every schema it validates with.
  assert.ok(packaged.includes('dist/rule-docs.json.br'), 'the rule pages are packaged');
  assert.deepEqual(packaged.filter((f) => f.startsWith('docs/rules/')), [], 'the rule pages are not packaged a second time as .md files');
  const contributes = pkg.contributes as { yamlValidation?: { url: string }[]; jsonValidation?: { url: string }[] };
  const named = [...(contributes.yamlValidation ?? []), ...(contributes.jsonValidation ?? [])].map((v) => v.url.replace(/^\.\//, '')).sort();
  assert.ok(named.length > 0 && named.every((f) => existsSync(join(ROOT, f))), named.join(', '));
  assert.deepEqual(packaged.filter((f) => f.startsWith('schemas/')).sort(), named);
});

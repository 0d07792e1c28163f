/**
 * Every Markdown link and image in the repository stays inside it and points at something a fresh clone has: web and
 * mail addresses are fine, anchors are fine, and a relative path must name a file or folder of the repository
 * (not a build output, not a sibling folder such as ../shared).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { linkProblem, markdownLinks } from '../harness/markdown-links';

const ROOT = join(__dirname, '..', '..');

/** Folders that are not part of a clone: dependencies, build outputs, tools the e2e set-up installs, git itself. */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'test/e2e/tools', 'test/e2e/artifacts', 'test/e2e/out', '.tmp', '.probe']);

function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const rel = relative(ROOT, p).split(sep).join('/');
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !SKIP_DIRS.has(rel)) markdownFiles(p, out);
    } else if (e.isFile() && e.name.toLowerCase().endsWith('.md')) out.push(p);
  }
  return out;
}

/** A path exists in a fresh clone: on disk, and not inside one of the skipped (generated or installed) folders. */
function inClone(abs: string): boolean {
  const rel = relative(ROOT, abs).split(sep).join('/');
  if (rel.split('/').some((part, i, parts) => SKIP_DIRS.has(part) || SKIP_DIRS.has(parts.slice(0, i + 1).join('/')))) return false;
  return existsSync(abs);
}

test('the link reader finds inline links, images, reference definitions and HTML, but not code', () => {
  const md = [
    '# Title',
    'See [the format](docs/format.md#kinds) and ![a shot](docs/images/hover.png "Hover").',
    '[![badge](img/badge.png)](https://example.com/ci)',
    '`[not a link](../outside.md)` and',
    '```',
    '[nor this](../outside.md)',
    '```',
    '[ref]: ../shared/design/policy-format.md',
    '<img src="images/icon.png" alt=""> <a href="mailto:someone@example.com">mail</a>',
    '[parens](<docs/a file.md>) [encoded](docs/a%20file.md) [nested](docs/x_(y).md)',
  ].join('\n');
  assert.deepEqual(
    markdownLinks(md).map((l) => `${l.line} ${l.image ? 'image' : 'link'} ${l.target}`),
    [
      '2 link docs/format.md#kinds',
      '2 image docs/images/hover.png',
      '3 image img/badge.png',
      '3 link https://example.com/ci',
      '8 link ../shared/design/policy-format.md',
      '9 image images/icon.png',
      '9 link mailto:someone@example.com',
      '10 link docs/a file.md',
      '10 link docs/a%20file.md',
      '10 link docs/x_(y).md',
    ],
  );
});

test('the link check: outside the repository, missing files and foreign schemes are problems; web, mail, anchors and existing files are not', () => {
  const file = join(ROOT, 'docs', 'format.md');
  assert.equal(linkProblem(ROOT, file, 'https://learn.microsoft.com/x'), undefined);
  assert.equal(linkProblem(ROOT, file, 'mailto:a@b.c'), undefined);
  assert.equal(linkProblem(ROOT, file, '#choices-this-project-made'), undefined);
  assert.equal(linkProblem(ROOT, file, 'rules/README.md'), undefined);
  assert.equal(linkProblem(ROOT, file, '../schemas'), undefined, 'a folder');
  assert.equal(linkProblem(ROOT, file, 'graph-interop.md#raw-exports-in-a-tenant-folder'), undefined);
  assert.match(linkProblem(ROOT, join(ROOT, 'README.md'), '../shared/design/policy-format.md')!, /outside the repository/);
  assert.match(linkProblem(ROOT, file, '../../etc/passwd')!, /outside the repository/);
  assert.match(linkProblem(ROOT, file, 'no-such-page.md')!, /points to nothing/);
  assert.match(linkProblem(ROOT, file, 'file:///etc/passwd')!, /scheme file:/);
  assert.match(linkProblem(ROOT, file, '../dist/cli.js', inClone)!, /points to nothing/, 'a build output is not in a clone');
});

test('no Markdown link or image in the repository points outside it or to nothing', () => {
  const files = markdownFiles(ROOT);
  assert.ok(files.some((f) => relative(ROOT, f) === 'README.md'), 'README.md is among the files checked');
  const problems: string[] = [];
  for (const f of files) {
    for (const link of markdownLinks(readFileSync(f, 'utf8'))) {
      const problem = linkProblem(ROOT, f, link.target, inClone);
      if (problem) problems.push(`${relative(ROOT, f).split(sep).join('/')}:${link.line}: ${link.image ? 'image' : 'link'} ${link.target} ${problem}`);
    }
  }
  assert.deepEqual(problems, []);
});

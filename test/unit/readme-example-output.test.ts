/**
 * The README prints what `npx ztp check examples/contoso` prints, each line shortened with `…`: every line of that
 * block must be the real output's line with only `…` standing for text left out, and no line of the real output
 * may be missing from it. A rule's message that changes must change the README with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The fenced block that follows the README's "`npx ztp check examples/contoso` prints" sentence. */
function readmeBlock(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('`npx ztp check examples/contoso` prints');
  assert.ok(at >= 0, 'the README shows the example check');
  const open = readme.indexOf('```\n', at);
  const close = readme.indexOf('\n```', open + 4);
  return readme.slice(open + 4, close).split('\n');
}

/** Whether `line` is `full` with some runs of text replaced by `…`, in order. */
function abridges(line: string, full: string): boolean {
  let from = 0;
  for (const part of line.split('…').map((p) => p.trim())) {
    if (!part) continue;
    const i = full.indexOf(part, from);
    if (i < 0) return false;
    from = i + part.length;
  }
  return true;
}

test('README: the example check block is the real output of `ztp check examples/contoso`, abridged with …', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ztp.js'), 'check', 'examples/contoso'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const real = r.stdout.split('\n').filter((l) => l.trim());
  const shown = readmeBlock().filter((l) => l.trim());
  assert.equal(shown.length, real.length, `the README shows ${shown.length} lines, the check prints ${real.length}:\n${r.stdout}`);
  shown.forEach((line, i) => assert.ok(abridges(line, real[i]!), `README line\n  ${line}\nis not an abridgement of the output's\n  ${real[i]}`));
});

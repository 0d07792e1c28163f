/**
 * `ztp check` on several threads (server/src/cli/parallel.ts): nothing about the result depends on the number of
 * threads. The built CLI is run with `--jobs 1` and `--jobs 3` on the fixture tenants and on a generated bench
 * workspace, and the outputs are compared finding by finding, in order, with the exit status and the summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../bench/generate';
import { tenantUnits } from '../../server/src/cli/parallel';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'ztp.js');

function check(dir: string, jobs: number, format: 'json' | 'text'): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'check', dir, '--jobs', String(jobs), '--format', format], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function same(dir: string): void {
  for (const format of ['json', 'text'] as const) {
    const one = check(dir, 1, format);
    const many = check(dir, 3, format);
    assert.equal(many.code, one.code, `${dir} (${format}): exit status`);
    assert.equal(many.stderr, one.stderr, `${dir} (${format}): stderr`);
    if (format === 'json') {
      const a = JSON.parse(one.stdout) as unknown[];
      const b = JSON.parse(many.stdout) as unknown[];
      assert.ok(a.length > 0, `${dir}: findings to compare`);
      assert.equal(b.length, a.length, `${dir}: as many findings`);
      a.forEach((f, i) => assert.deepEqual(b[i], f, `${dir}: finding ${i}`));
    } else assert.equal(many.stdout, one.stdout, `${dir}: text output`);
  }
}

test('one thread or three: the same findings, in the same order, on every fixture tenant', () => {
  same(join(ROOT, 'test', 'fixtures'));
  same(join(ROOT, 'test', 'fixtures-tenants'));
});

test('one thread or three: the same findings on a generated workspace of 300 files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-parallel-'));
  try {
    generate('scale-300', dir, 7);
    same(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('units: one per tenant folder (nested ones apart), the files in no tenant together, the largest first', () => {
  const files = [
    '/w/a/zerotrust.yaml', '/w/a/p1.yaml', '/w/a/p2.yaml', '/w/a/p3.yaml',
    '/w/b/zerotrust.yaml', '/w/b/p1.yaml',
    '/w/a/nested/zerotrust.yaml', '/w/a/nested/p.yaml',
    '/w/loose.yaml',
  ];
  const units = tenantUnits(files, ['/w/loose.yaml', '/w/b/p1.yaml']);
  assert.deepEqual(units.map((u) => [u.root, u.files.length]), [['/w/a', 4], ['/w/a/nested', 2], ['/w/b', 2], [null, 1]]);
  assert.deepEqual(units.find((u) => u.root === null)!.explicit, ['/w/loose.yaml']);
  assert.deepEqual(units.find((u) => u.root === '/w/b')!.explicit, ['/w/b/p1.yaml']);
  assert.deepEqual(units.flatMap((u) => u.files).sort(), [...files].sort());
});

/** `ztp rules`: the catalogue in text, JSON (the shape) and Markdown (the same tables as docs/rules/README.md). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/core/rules/index';
import { createPolicyService } from '../../server/src/core/index';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'ztp.js');

function ztp(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('ztp rules --format json lists every rule with category, layer, severity, fix, sources and peers', () => {
  const r = ztp('rules', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { id: string; category: string; layer: number | null; severity: string; fix: boolean; sources: string[]; peers: string[] }[];
  assert.deepEqual(list.map((e) => e.id).sort(), RULES.map((x) => x.id).sort());
  for (const e of list) {
    const rule = RULES.find((x) => x.id === e.id)!;
    assert.equal(e.category, rule.category);
    assert.equal(e.layer, rule.layer ?? null);
    assert.equal(e.severity, rule.defaultSeverity);
    assert.equal(e.fix, !!rule.fix);
    assert.deepEqual(e.sources, rule.sources ?? []);
    assert.deepEqual(e.peers, rule.peers ?? []);
  }
  const bg = list.find((e) => e.id === 'break-glass-not-excluded')!;
  assert.deepEqual(bg.peers, ['MT.1005']);
  assert.ok(bg.sources.every((s) => s.startsWith('https://learn.microsoft.com/')));
});

test('ztp rules --format md prints the tables of docs/rules/README.md; text ends with the counts', () => {
  const md = ztp('rules', '--format', 'md');
  assert.equal(md.code, 0);
  const readme = readFileSync(join(ROOT, 'docs', 'rules', 'README.md'), 'utf8');
  assert.ok(readme.includes(md.stdout.trim()), 'the README holds the same catalogue');
  const text = ztp('rules');
  assert.match(text.stdout, /\n\d+ rules: \d+ structure, \d+ layer \(\d+ with peer checks\)\n$/);
  const bad = ztp('rules', 'extra');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^ztp: ztp rules takes no argument/);
});

test('each layer counts its checks: the layer rules that run, and how many find nothing in the tenant', async () => {
  const { nodeFileSystem } = await import('../../server/src/host/node-fs');
  const s = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  const contoso = join(ROOT, 'examples', 'contoso').replace(/\\/g, '/');
  for (const f of await s.discover(contoso)) await s.load(f);
  const layers = s.layers(contoso).layers;
  const four = layers.find((l) => l.layer === 4)!;
  const rules4 = RULES.filter((r) => r.category === 'layer' && r.layer === 4).map((r) => r.id);
  assert.equal(four.checks.total, rules4.length);
  assert.ok(four.checks.failing.includes('break-glass-not-excluded'), 'the example leaves a CA policy without the break-glass exclusion');
  assert.equal(four.checks.passing, four.checks.total - four.checks.failing.length);
  // A rule turned off is not a check of the layer.
  s.settings = { rules: { 'break-glass-not-excluded': 'off' } };
  const off = s.layers(contoso).layers.find((l) => l.layer === 4)!;
  assert.equal(off.checks.total, rules4.length - 1);
  assert.ok(!off.checks.failing.includes('break-glass-not-excluded'));
});

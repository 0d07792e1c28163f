/** `npm test -- --rule <id>` runs that rule's fixtures, fix tests and meta test, and nothing of the other rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function runTests(...args: string[]): { status: number | null; out: string } {
  // A nested run must not report into this run's test stream.
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('NODE_TEST')) delete env[k];
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-tests.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', env });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('--rule runs one rule\'s cases only', () => {
  const r = runTests('--rule', 'unknown-owner');
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /fixture unknown-owner\//);
  assert.match(r.out, /unknown-owner: docs page, setting and fixtures/);
  assert.doesNotMatch(r.out, /fixture (?!unknown-owner\/)[a-z-]+\//, 'no other rule\'s fixture ran');
  assert.doesNotMatch(r.out, /(?<!unknown-owner): docs page/);
});

test('--rule with an id that is no rule says so and lists the rules', () => {
  const r = runTests('--rule', 'break-glass');
  assert.equal(r.status, 2);
  assert.match(r.out, /no rule 'break-glass'; the rules are: .*break-glass-not-excluded/);
});

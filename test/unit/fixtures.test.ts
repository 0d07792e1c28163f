/** Runs every rule fixture: the findings must be exactly those the fixture's comments expect. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FIXTURES, isSelectedRule, runFixture } from '../harness/fixtures';

for (const rule of readdirSync(FIXTURES).sort()) {
  const ruleDir = join(FIXTURES, rule);
  if (!statSync(ruleDir).isDirectory() || !isSelectedRule(rule)) continue;
  for (const c of readdirSync(ruleDir).sort()) {
    const dir = join(ruleDir, c);
    if (!statSync(dir).isDirectory()) continue;
    test(`fixture ${relative(FIXTURES, dir)}`, async () => {
      const { actual, expected } = await runFixture(dir, rule);
      assert.deepEqual(actual, expected);
    });
  }
}

/**
 * Property-based fuzzing of the core, bounded and seeded for CI (about 2,000 cases, a few seconds). `npm run fuzz`
 * runs the same properties 100,000 times (scripts/fuzz.ts). See test/harness/fuzz.ts for what is generated and checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, checkJsonContract } from '../harness/fuzz';

/** Fixed, so a failure in CI replays the same way everywhere (fast-check prints the path to the failing case). */
const SEED = 20260601;
const RUNS = Number(process.env.FUZZ_RUNS_CI ?? 2000);

test(`fuzz: ${RUNS} hostile variants of the fixtures never throw, stay fast, and keep every span and the JSON contract valid`, { timeout: 120_000 }, async () => {
  const r = await fuzz(RUNS, SEED);
  assert.equal(r.runs, RUNS);
  assert.ok(r.slowestMs < 1000, `slowest case ${r.slowestMs.toFixed(0)} ms`);
});

test('the JSON contract check itself rejects what breaks the contract', () => {
  const ok = { file: 'a.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 'error', code: 'schema', message: 'm' };
  assert.deepEqual(checkJsonContract(JSON.stringify([ok, { ...ok, layer: 4 }])), []);
  assert.ok(checkJsonContract(JSON.stringify([{ ...ok, severity: 'fatal' }])).length);
  assert.ok(checkJsonContract(JSON.stringify([{ ...ok, extra: 1 }])).length);
  assert.ok(checkJsonContract(JSON.stringify([{ ...ok, range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } }])).length);
  assert.ok(checkJsonContract(JSON.stringify([{ ...ok, layer: 9 }])).length);
  assert.ok(checkJsonContract('{').length);
});

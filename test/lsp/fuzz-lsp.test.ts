/**
 * The language server fuzzed through a real JSON-RPC client over stdio, bounded and seeded for CI (see
 * test/harness/lsp-fuzz.ts for what is sent and checked; `npm run fuzz` runs 100,000 cases).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lspFuzz } from '../harness/lsp-fuzz';

const SEED = 20260613;
const RUNS = Number(process.env.FUZZ_LSP_RUNS_CI ?? 400);

test(`LSP fuzz: ${RUNS} cases (huge positions, odd URIs, repeated versions, close/reopen, folder changes during the first scan): no crash, no hang, every request answered`, { timeout: 180_000 }, async () => {
  // Two servers, so the folder change during the first scan happens twice.
  const r = await lspFuzz({ runs: RUNS, seed: SEED, casesPerServer: Math.ceil(RUNS / 2) });
  assert.equal(r.runs, RUNS);
  assert.equal(r.servers, 2);
});

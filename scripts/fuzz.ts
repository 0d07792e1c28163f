/**
 * `npm run fuzz`: property-based fuzzing at scale, of the core and of the language server.
 *   npm run fuzz                      100,000 core cases, then 100,000 LSP cases (a random seed, printed to replay)
 *   npm run fuzz -- 20000 42          20,000 of each with seed 42
 *   npm run fuzz -- --lsp 100000 7    only the language server; `--core` only the core
 *   FUZZ_RUNS=5000 FUZZ_SEED=7 npm run fuzz
 * The core cases are test/harness/fuzz.ts; the LSP cases (test/harness/lsp-fuzz.ts) drive real servers over stdio:
 * huge and out-of-range positions, host and percent-encoded URIs, repeated and backward versions, close/reopen
 * pairs, folder changes during the first scan. Exits 1 with the failing case and its seed when a property fails.
 */
import { fuzz } from '../test/harness/fuzz';
import { lspFuzz } from '../test/harness/lsp-fuzz';

const args = process.argv.slice(2);
const only = args.includes('--lsp') ? 'lsp' : args.includes('--core') ? 'core' : 'both';
const nums = args.filter((a) => !a.startsWith('--'));
const runs = Number(nums[0] ?? process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(nums[1] ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
if (!(runs > 0) || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--core|--lsp] [runs] [seed]');
  process.exit(2);
}

async function run(): Promise<void> {
  if (only !== 'lsp') {
    console.log(`fuzz (core): ${runs} cases, seed ${seed}`);
    const r = await fuzz(runs, seed, (done) => {
      if (done % 10_000 === 0) console.log(`  ${done} cases…`);
    });
    console.log(`fuzz (core): ${r.runs} cases passed in ${(r.ms / 1000).toFixed(1)} s (${Math.round(r.runs / (r.ms / 1000))} cases/s; slowest ${r.slowestMs.toFixed(0)} ms), seed ${seed}`);
  }
  if (only !== 'core') {
    console.log(`fuzz (LSP over stdio): ${runs} cases, seed ${seed}`);
    const r = await lspFuzz({
      runs,
      seed,
      onProgress: (done) => {
        if (done % 10_000 === 0) console.log(`  ${done} cases…`);
      },
    });
    const rss = r.rss.map((x) => `${x.warm.toFixed(0)}→${x.last.toFixed(0)}`).join(', ');
    console.log(
      `fuzz (LSP): ${r.runs} cases passed in ${(r.ms / 1000).toFixed(1)} s on ${r.servers} servers (${Math.round(r.runs / (r.ms / 1000))} cases/s; slowest ${r.slowestMs.toFixed(0)} ms): 0 crashes, 0 hangs, 0 unanswered requests; RSS MB warm→end per server: ${rss}; seed ${seed}`,
    );
  }
}

run().then(
  () => process.exit(0),
  (e: unknown) => {
    const err = e as Error & { cause?: unknown };
    console.error(err.message);
    if (err.cause) console.error(String((err.cause as Error).stack ?? err.cause));
    process.exit(1);
  },
);

/**
 * `npm run fuzz`: the core's property-based fuzzing at scale (100,000 cases by default; the CI test runs 2,000).
 *   npm run fuzz                      100,000 cases, a random seed (printed, to replay a failure)
 *   npm run fuzz -- 20000 42          20,000 cases with seed 42
 *   FUZZ_RUNS=5000 FUZZ_SEED=7 npm run fuzz
 * Exits 1 with fast-check's report (the seed and the path to the shrunk failing case) when a property fails.
 */
import { fuzz } from '../test/harness/fuzz';

const runs = Number(process.argv[2] ?? process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(process.argv[3] ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
if (!(runs > 0) || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [runs] [seed]');
  process.exit(2);
}
console.log(`fuzz: ${runs} cases, seed ${seed}`);
fuzz(runs, seed, (done) => {
  if (done % 10_000 === 0) console.log(`  ${done} cases…`);
}).then(
  (r) => {
    console.log(`fuzz: ${r.runs} cases passed in ${(r.ms / 1000).toFixed(1)} s (${Math.round(r.runs / (r.ms / 1000))} cases/s; slowest ${r.slowestMs.toFixed(0)} ms), seed ${seed}`);
  },
  (e: unknown) => {
    const err = e as Error & { cause?: unknown };
    console.error(err.message);
    if (err.cause) console.error(String((err.cause as Error).stack ?? err.cause));
    process.exit(1);
  },
);

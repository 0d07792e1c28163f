/**
 * V8's parallel scavenging, off while a thread of ours is busy on every core.
 *
 * A scavenge (a collection of the young generation) sends helper tasks to V8's worker pool, which one process shares
 * among its threads. With a busy thread on every core (`ztp check`'s main thread and workers, the language server's
 * read workers during its first scan) they find no idle core: they only take time from the other threads. On 2
 * cores, a check took 3–4% longer with them, and the language server's first analysis of `msp` about 6% longer
 * (interleaved pairs; bench/README.md). Once those threads are done, a lone thread's scavenges gain from the helpers
 * again (an edit's scavenge took 2.7–2.8 ms with them, 3.1–3.7 ms without).
 *
 * V8 reads the flag at the start of each scavenge (`ScavengerCollector::NumberOfScavengeTasks`), so it can be changed
 * while V8 runs. The collector's other flags cannot: `--single-threaded-gc` set at run time crashed V8 in its next full
 * collection. A flag given on the command line (`--no-parallel-scavenge`, `--single-threaded-gc`) is left as it is.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

let holders = 0;

export interface ScavengeFlagHost {
  cores: number;
  execArgv: readonly string[];
  setFlags: (flags: string) => void;
}

const NODE: ScavengeFlagHost = {
  cores: availableParallelism(),
  execArgv: process.execArgv,
  setFlags: setFlagsFromString,
};

/**
 * Scavenge on one thread while `threads` busy threads fill every core. Call the function returned once they are done:
 * parallel scavenging comes back when no caller holds it off any more (the language server may scan a folder added
 * while it scans another).
 */
export function serialScavengesWhile(threads: number, host: ScavengeFlagHost = NODE): () => void {
  // A say on the collector's threads given on the command line is the user's.
  if (threads < host.cores || host.execArgv.some((a) => /parallel[-_]scavenge|single[-_]threaded/.test(a))) return () => undefined;
  if (holders++ === 0) host.setFlags('--no-parallel-scavenge');
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) host.setFlags('--parallel-scavenge');
  };
}

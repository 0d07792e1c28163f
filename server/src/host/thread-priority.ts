/**
 * The language server's background threads, below the thread that answers the editor.
 *
 * Once the first scan is done, the server's own thread answers edits and requests, and the process's other threads
 * work in the background: V8's worker threads (its optimising compiler, the collector's helpers) and libuv's pool. On
 * two cores, a compile job that held a core when an edit came delayed the edit's answer, or the editor's reading of
 * it, by a few milliseconds. With those threads at the lowest priority (nice 19) they still have every idle core, but
 * the server's thread and the editor's own processes come first (bench/README.md has the measurements).
 *
 * Not before the first scan ends: the author is waiting for it, and it should not yield to whatever else runs on the
 * machine. A later scan's read workers are new threads, at the server's own priority.
 *
 * Linux only, where each thread has a priority of its own (`setpriority` on a thread id). Elsewhere nothing changes. A
 * priority lowered this way cannot be raised again without privileges: it lasts as long as the server.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The priority (nice value) of the background threads: the lowest. */
export const BACKGROUND_NICE = 19;

export interface ThreadHost {
  /** This process's threads, by id; undefined where a thread has no priority of its own. */
  threads(): number[] | undefined;
  /** The server's own thread (on Linux, the main thread's id is the process id). */
  main: number;
  setPriority(thread: number, nice: number): void;
}

const NODE: ThreadHost = {
  threads: () => {
    if (process.platform !== 'linux') return undefined;
    try {
      return readdirSync('/proc/self/task').map(Number).filter(Number.isInteger);
    } catch {
      return undefined;
    }
  },
  main: process.pid,
  setPriority,
};

/**
 * Give every thread of the process but the server's own the lowest priority. Returns how many were lowered (none where
 * threads have no priority of their own); a thread that cannot be changed (gone since it was listed) is left alone.
 */
export function lowerBackgroundThreads(host: ThreadHost = NODE): number {
  const threads = host.threads();
  if (!threads) return 0;
  let count = 0;
  for (const thread of threads) {
    if (thread === host.main) continue;
    try {
      host.setPriority(thread, BACKGROUND_NICE);
      count++;
    } catch {
      // Gone since it was listed.
    }
  }
  return count;
}

/**
 * Waiting for the editor to be quiet: work that would hold this thread for a while (the warm-up's steps, a tenant of
 * the first scan read here) starts only once no message has been handled for a moment, so that an edit or a request
 * that comes meanwhile waits as little as possible.
 */

/** How long no message must have been handled. */
export const QUIET_MS = 50;

/**
 * Resolves on a later turn, once `performance.now()` has reached `quietFrom()` (asked again after each wait: each
 * message handled moves it), or as soon as `stop()` holds (checked at least every `QUIET_MS`).
 */
export async function untilQuiet(quietFrom: () => number, stop: () => boolean = () => false): Promise<void> {
  await new Promise((r) => setImmediate(r));
  for (let wait = quietFrom() - performance.now(); wait > 0 && !stop(); wait = quietFrom() - performance.now()) {
    await new Promise((r) => setTimeout(r, Math.min(Math.ceil(wait), QUIET_MS)));
  }
}

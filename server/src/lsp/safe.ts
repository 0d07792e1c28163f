/** Every handler runs behind `safe`: one failure is logged and answered with a fallback, never taking the server down. */

export type Safe = <A extends unknown[], R>(name: string, fn: (...a: A) => R, fallback: R) => (...a: A) => R;

/**
 * A `safe` that logs through `log`. An exception is logged once per message and answered with the fallback; an async
 * handler's rejection is contained the same way (a rejected promise in a notification handler would otherwise go
 * unhandled). `onCall` hears of every call (the warm-up waits for the editor to be idle: lsp/warm-up.ts).
 */
export function makeSafe(log: (text: string) => void, onCall?: () => void): Safe {
  return <A extends unknown[], R>(name: string, fn: (...a: A) => R, fallback: R) => {
    const fail = (e: unknown): R => {
      try {
        log(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
      } catch {
        // the connection is gone
      }
      return fallback;
    };
    return (...a: A): R => {
      onCall?.();
      try {
        const r = fn(...a);
        if (r && typeof (r as { then?: unknown }).then === 'function') return (r as unknown as Promise<unknown>).then((v) => v, (e) => fail(e) as unknown) as R;
        return r;
      } catch (e) {
        return fail(e);
      }
    };
  };
}

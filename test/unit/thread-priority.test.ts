/**
 * host/thread-priority.ts: every thread but the server's own is lowered; nothing is done where threads have no
 * priority of their own; a thread gone since it was listed is skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKGROUND_NICE, lowerBackgroundThreads, type ThreadHost } from '../../server/src/host/thread-priority';

function host(threads: number[] | undefined, gone: number[] = []): ThreadHost & { set: [number, number][] } {
  const set: [number, number][] = [];
  return {
    set,
    threads: () => threads,
    main: 100,
    setPriority: (thread, nice) => {
      if (gone.includes(thread)) throw Object.assign(new Error('no such process'), { code: 'ESRCH' });
      set.push([thread, nice]);
    },
  };
}

test('every thread but the main one is given the lowest priority', () => {
  const h = host([100, 101, 102, 107]);
  assert.equal(lowerBackgroundThreads(h), 3);
  assert.deepEqual(h.set, [
    [101, BACKGROUND_NICE],
    [102, BACKGROUND_NICE],
    [107, BACKGROUND_NICE],
  ]);
  assert.equal(BACKGROUND_NICE, 19);
});

test('a thread gone since it was listed is skipped, and the rest are still lowered', () => {
  const h = host([100, 101, 102, 103], [102]);
  assert.equal(lowerBackgroundThreads(h), 2);
  assert.deepEqual(
    h.set.map(([t]) => t),
    [101, 103],
  );
});

test('nothing is changed where threads have no priority of their own', () => {
  const h = host(undefined);
  assert.equal(lowerBackgroundThreads(h), 0);
  assert.deepEqual(h.set, []);
});

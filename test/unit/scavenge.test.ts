/** Parallel scavenging, off while our threads fill every core, and back once the last of them is done. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serialScavengesWhile, type ScavengeFlagHost } from '../../server/src/host/scavenge';

function host(cores: number, execArgv: string[] = []): ScavengeFlagHost & { set: string[] } {
  const set: string[] = [];
  return { cores, execArgv, set, setFlags: (f) => void set.push(f) };
}

test('off while the threads fill every core, back when they are done', () => {
  const h = host(2);
  const back = serialScavengesWhile(2, h);
  assert.deepEqual(h.set, ['--no-parallel-scavenge']);
  back();
  assert.deepEqual(h.set, ['--no-parallel-scavenge', '--parallel-scavenge']);
  // Said twice, done once.
  back();
  assert.deepEqual(h.set, ['--no-parallel-scavenge', '--parallel-scavenge']);
});

test('two scans at once: back only when both are done', () => {
  const h = host(2);
  const first = serialScavengesWhile(4, h);
  const second = serialScavengesWhile(2, h);
  assert.deepEqual(h.set, ['--no-parallel-scavenge']);
  first();
  first();
  assert.deepEqual(h.set, ['--no-parallel-scavenge'], 'the second scan still runs');
  second();
  assert.deepEqual(h.set, ['--no-parallel-scavenge', '--parallel-scavenge']);
  // And off again for the next.
  serialScavengesWhile(2, h)();
  assert.deepEqual(h.set, ['--no-parallel-scavenge', '--parallel-scavenge', '--no-parallel-scavenge', '--parallel-scavenge']);
});

test('left alone when a core is free, or when the command line says how to collect', () => {
  for (const [threads, h] of [
    [1, host(2)],
    [3, host(4)],
    [2, host(2, ['--max-semi-space-size=8', '--no-parallel-scavenge'])],
    [2, host(2, ['--single-threaded-gc'])],
    [2, host(2, ['--single_threaded'])],
  ] as const) {
    serialScavengesWhile(threads, h)();
    assert.deepEqual(h.set, [], `${threads} threads, ${h.cores} cores, ${h.execArgv.join(' ')}`);
  }
});

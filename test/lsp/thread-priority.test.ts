/**
 * After the first scan, the language server's background threads (V8's compiler and collector threads, libuv's pool)
 * run at the lowest priority and its own thread at the one it was started with (server/src/host/thread-priority.ts).
 * Linux only: elsewhere threads have no priority of their own and nothing is changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../harness/lsp-client';
import { writeWindowsTenant } from '../harness/windows-tenant';
import { BACKGROUND_NICE } from '../../server/src/host/thread-priority';

/** Each thread of a process and its nice value (the 19th field of /proc/<pid>/task/<tid>/stat). */
function niceByThread(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // The command name, in parentheses, may hold spaces: the fields are counted after it (field 3 first).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
    } catch {
      // Gone since it was listed.
    }
  }
  return out;
}

test('after the first scan the background threads run below the server thread', { skip: process.platform !== 'linux' && 'threads have a priority of their own on Linux only', timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-priority-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeWindowsTenant(dir, 5);
  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  const pid = client.child.pid!;
  const started = niceByThread(pid).get(pid)!;
  await client.until('the first scan', () => client.progressEnded > 0);
  // Lowered right after the scan's progress ends (read from outside the process: wait until all of them are).
  const lowered = Math.max(BACKGROUND_NICE, started);
  await client.until('the background threads lowered', () => [...niceByThread(pid)].every(([tid, nice]) => tid === pid || nice === lowered));
  const threads = niceByThread(pid);
  assert.ok(threads.size > 1, `the server has threads besides its own: ${[...threads.keys()].join(', ')}`);
  for (const [tid, nice] of threads) {
    if (tid === pid) assert.equal(nice, started, 'the server thread keeps its priority');
    else assert.equal(nice, lowered, `thread ${tid}`);
  }
});

/**
 * `ztp` run in the test's own process (`main`), its output collected, and the temporary folders CLI tests write into:
 * one copy for the test files that drive the CLI this way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../server/src/cli/main';
import type { PolicyFileSystem } from '../../server/src/core/index';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `ztp <argv>` in this process with no terminal (`isTTY: false`), the environment given and, if given, a file system. */
export async function runInProcess(argv: string[], options: { cwd: string; env: Record<string, string | undefined>; fs?: PolicyFileSystem }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: options.cwd, isTTY: false, env: options.env, fs: options.fs };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A new temporary folder (`ztp-<prefix>-…`), removed once the test ends. */
export function tempDir(t: { after: (fn: () => void) => void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ztp-${prefix}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `ztp` run in the test's own process (`main`), its output collected, and the temporary folders CLI tests write into:
 * one copy for the test files that drive the CLI this way.
 */
import { spawnSync } from 'node:child_process';
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

/** The repository's root, and the built `ztp` the suites that run it as a user would spawn. */
const REPO_ROOT = join(__dirname, '..', '..');
const BUILT_BIN = join(REPO_ROOT, 'bin', 'ztp.js');

/**
 * Run the built `ztp <args>` in a child process, as a user would (no colour; `input` on its stdin), from `cwd` (the
 * repository's root unless given): one copy for the suites that read the CLI's exit status and text that way.
 */
export function runBuilt(args: string[], cwd = REPO_ROOT, input?: string): CliRun {
  const r = spawnSync(process.execPath, [BUILT_BIN, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

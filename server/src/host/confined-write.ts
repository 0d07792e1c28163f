/**
 * Write confinement (SECURITY.md, "Writes are confined"): before anything is written, every path a command would
 * write is resolved, symbolic links included, and checked to lie inside the one folder it may write to (the tenant
 * for `--fix` and quick fixes, `--out` for import and export). Then the planned writes run as one set: new files
 * are created with O_EXCL (never over a file, never through a link), and if any write fails the ones already made
 * are undone, so a command either makes every change it reports or none.
 */
import { accessSync, closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isInside, normalizeSlashes } from '../core/index';
import { realpathName, toFsPath } from './fs-names';

/** Where a write would land, or why it must not happen. */
export type WriteCheck = { ok: true; real: string; missingDirs: string[] } | { ok: false; reason: string; exists?: boolean };

export interface WriteCheckOptions {
  /** `create`: the file must not exist. `replace`: it must exist and be a regular file (an edit). `overwrite`:
   *  either (a regular file there is replaced). */
  mode: 'create' | 'replace' | 'overwrite';
  /** Also check the file (or the folder a new file goes in) is writable; hosts that only propose edits skip it. */
  writable?: boolean;
}

function code(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

/** The real path of the folder writes are confined to. */
function realRoot(root: string): string | undefined {
  try {
    return realpathName(root);
  } catch {
    return undefined;
  }
}

/**
 * Check one path a command would write, synchronously and without writing: `path` (absolute) must be inside `root`
 * lexically, and the real path of its deepest existing ancestor (links resolved) must be inside the real `root`.
 */
export function checkWriteTarget(path: string, root: string, options: WriteCheckOptions): WriteCheck {
  const target = normalizeSlashes(resolve(path));
  const base = normalizeSlashes(resolve(root));
  if (!isInside(base, target) || target === base) return { ok: false, reason: `it is outside ${base}` };
  const rootReal = realRoot(base);
  if (!rootReal) return { ok: false, reason: `the folder ${base} cannot be resolved` };
  // Walk up to the deepest part of the path that exists (a dangling link counts: it exists as a link).
  const missing: string[] = [];
  let cur = target;
  let st: ReturnType<typeof lstatSync> | undefined;
  for (;;) {
    try {
      st = lstatSync(toFsPath(cur));
      break;
    } catch (e) {
      if (code(e) === 'ENOTDIR') return { ok: false, reason: `a part of ${cur} is not a folder` };
      if (code(e) !== 'ENOENT') return { ok: false, reason: `${cur} cannot be examined (${code(e) ?? String(e)})` };
      missing.unshift(basename(cur));
      const up = normalizeSlashes(dirname(cur));
      if (up === cur) return { ok: false, reason: 'no part of the path exists' };
      cur = up;
    }
  }
  let real: string;
  try {
    real = realpathName(cur);
  } catch (e) {
    if (st.isSymbolicLink()) return { ok: false, reason: `${cur} is a symbolic link to something that does not exist` };
    return { ok: false, reason: `${cur} cannot be resolved (${code(e) ?? String(e)})` };
  }
  if (!isInside(rootReal, real)) return { ok: false, reason: `${cur} resolves to ${real}, outside ${base}${st.isSymbolicLink() ? ' (a symbolic link)' : ''}` };
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(toFsPath(real));
  } catch (e) {
    return { ok: false, reason: `${real} cannot be examined (${code(e) ?? String(e)})` };
  }
  if (!missing.length) {
    if (options.mode === 'create') return { ok: false, reason: `${target} already exists; it is not overwritten`, exists: true };
    if (!stat.isFile()) return { ok: false, reason: `${target} is not a regular file` };
    if (options.writable) {
      try {
        accessSync(toFsPath(real), constants.W_OK);
      } catch {
        return { ok: false, reason: `${target} is read-only` };
      }
    }
    return { ok: true, real, missingDirs: [] };
  }
  if (options.mode === 'replace') return { ok: false, reason: `${target} does not exist` };
  if (!stat.isDirectory()) return { ok: false, reason: `${cur} is not a folder` };
  if (options.writable) {
    try {
      accessSync(toFsPath(real), constants.W_OK);
    } catch {
      return { ok: false, reason: `the folder ${cur} is read-only` };
    }
  }
  const dirs: string[] = [];
  let d = real;
  for (const part of missing.slice(0, -1)) dirs.push((d = `${d}/${part}`));
  return { ok: true, real: join(real, ...missing).replace(/\\/g, '/'), missingDirs: dirs };
}

/** One planned write: the real path (already checked) and the bytes. */
export interface PlannedWrite {
  /** The path as the user knows it (for messages). */
  path: string;
  real: string;
  content: Uint8Array | string;
  /** `create` makes a new file (O_EXCL); `replace` rewrites an existing one in place; `overwrite` writes a file
   *  that may exist, replacing a link there rather than writing through it. */
  mode: 'create' | 'replace' | 'overwrite';
  missingDirs: string[];
}

export interface WriteOutcome {
  /** Every path written (in the order written), when all succeeded. */
  written: string[];
  /** The write that failed, and why. */
  failure?: { path: string; reason: string };
  /** After a failure: changes that could not be undone (each still on disk). */
  notUndone: string[];
}

/**
 * Write a checked plan as one set: folders first, then files. On the first failure everything already written is
 * undone (files restored to their bytes, new files and folders removed); what cannot be undone is listed.
 */
export function writeAll(plan: PlannedWrite[]): WriteOutcome {
  const undo: { what: string; run: () => void }[] = [];
  const written: string[] = [];
  let failure: WriteOutcome['failure'];
  for (const w of plan) {
    try {
      for (const dir of w.missingDirs) {
        try {
          mkdirSync(toFsPath(dir));
          undo.push({ what: `created the folder ${dir}`, run: () => rmdirSync(toFsPath(dir)) });
        } catch (e) {
          // Made by an earlier write of this plan.
          if (code(e) !== 'EEXIST' || !lstatSync(toFsPath(dir)).isDirectory()) throw e;
        }
      }
      const bytes = typeof w.content === 'string' ? Buffer.from(w.content, 'utf8') : w.content;
      if (w.mode === 'create') {
        // O_EXCL: never over an existing file, and never through a symbolic link put there since the check.
        const fd = openSync(toFsPath(w.real), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
        undo.push({ what: `created ${w.path}`, run: () => unlinkSync(toFsPath(w.real)) });
        try {
          writeAllBytes(fd, bytes);
        } finally {
          closeSync(fd);
        }
      } else if (w.mode === 'replace') {
        const before = readFileSync(toFsPath(w.real));
        writeFileSync(toFsPath(w.real), bytes);
        undo.push({ what: `changed ${w.path}`, run: () => writeFileSync(toFsPath(w.real), before) });
      } else {
        overwrite(w, bytes, undo);
      }
      written.push(w.path);
    } catch (e) {
      failure = { path: w.path, reason: code(e) ? `${code(e)}: ${(e as Error).message}` : String(e) };
      break;
    }
  }
  if (!failure) return { written, notUndone: [] };
  const notUndone: string[] = [];
  for (const u of undo.reverse()) {
    try {
      u.run();
    } catch {
      notUndone.push(u.what);
    }
  }
  return { written: [], failure, notUndone };
}

function writeAllBytes(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
}

/** Write a file that may exist: a new file beside it (O_EXCL), then a rename over it, so a link there is replaced. */
function overwrite(w: PlannedWrite, bytes: Uint8Array, undo: { what: string; run: () => void }[]): void {
  let before: Buffer | undefined;
  try {
    if (lstatSync(toFsPath(w.real)).isFile()) before = readFileSync(toFsPath(w.real));
  } catch {
    before = undefined;
  }
  const temp = `${dirname(w.real)}/.${basename(w.real)}.${process.pid}.${Date.now().toString(36)}.tmp`.replace(/\\/g, '/');
  const fd = openSync(toFsPath(temp), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
  try {
    writeAllBytes(fd, bytes);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(toFsPath(temp), toFsPath(w.real));
  } catch (e) {
    try {
      unlinkSync(toFsPath(temp));
    } catch {
      // nothing to clean
    }
    throw e;
  }
  undo.push({
    what: before ? `overwrote ${w.path}` : `created ${w.path}`,
    run: () => (before ? writeFileSync(toFsPath(w.real), before) : unlinkSync(toFsPath(w.real))),
  });
}

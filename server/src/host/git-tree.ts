/**
 * A git revision as a read-only file system, for `ztp diff --base <ref>`: the tree is listed once
 * (`git ls-tree -r -z -l --full-tree`), blobs are read raw through one `git cat-file --batch`, and nothing is written
 * anywhere: not the working tree, not the index, not a temporary folder. Its files appear at the paths they have in
 * the working tree (`root` + their path in the tree), so both sides of a diff name a file the same way.
 *
 * This is the one module of the server and the CLI that starts a process (test/unit/layering.test.ts). git runs
 * without a shell, with a fixed argument list, and with the options below, so a repository's own configuration (a
 * cloned repository is untrusted input, SECURITY.md) cannot make it run a program or reach the network.
 */
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { dirname, isInside, normalizeSlashes, relative, TOO_LARGE_HEAD_BYTES, type DirEntry, type PolicyFileSystem } from '../core/index';
import { nameFromBytes, realpathName } from './fs-names';

/**
 * Before every git command: no fsmonitor program, no hooks, no transport at all (a partial clone cannot fetch a
 * missing blob through a remote helper or ssh), no pager. `ls-tree`, `cat-file` and `rev-parse` read no index and
 * run no filters (`cat-file --batch` prints blobs as stored: no textconv, no smudge).
 */
export const GIT_SAFETY_ARGS: readonly string[] = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'protocol.allow=never',
  '--no-pager',
];

/** Why git could not answer, for the command to say in one line. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-git' | 'not-a-repository' | 'no-revision' | 'failed',
  ) {
    super(message);
  }
}

/**
 * The environment git runs with: the caller's, with no prompt for credentials, no optional locks (nothing that
 * would refresh the index), no lazy fetch of missing objects, and no `GIT_DIR`/`GIT_WORK_TREE`/`GIT_INDEX_FILE`
 * (the repository is the one around the path, even when ztp runs inside a git hook).
 */
function gitEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && k !== 'GIT_DIR' && k !== 'GIT_WORK_TREE' && k !== 'GIT_INDEX_FILE') out[k] = v;
  return { ...out, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_NO_LAZY_FETCH: '1' };
}

interface GitResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Run `git <safety> <args>` in `cwd` (no shell) and collect its output. */
function runGit(args: readonly string[], cwd: string, env: Record<string, string | undefined>): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_SAFETY_ARGS, ...args], { cwd, env: gitEnvironment(env), shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(spawnError(e)));
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function spawnError(e: unknown): Error {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new GitError('git is needed for --base, and it was not found on the PATH; install git, or compare two folders: ztp diff <base> <head>', 'no-git');
  return e instanceof Error ? e : new Error(String(e));
}

/** git's first line of complaint, for a message. */
function firstLine(stderr: string): string {
  return stderr.split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).find(Boolean) ?? 'no message';
}

/** A folder's real path, with `/` separators. */
function realFolder(path: string): string | undefined {
  try {
    return realpathName(path);
  } catch {
    return undefined;
  }
}

/**
 * The repository around `folder` (an existing folder): `git rev-parse --show-toplevel` run there. The answer is a
 * real path (symbolic links resolved); the root returned is the folder above `folder` that is that real path, as the
 * user wrote it, so the revision's files are named as the working tree's are.
 */
export async function gitRepositoryRoot(folder: string, env: Record<string, string | undefined>): Promise<string> {
  const r = await runGit(['rev-parse', '--show-toplevel'], folder, env);
  if (r.status !== 0) {
    if (/not a git repository/i.test(r.stderr)) throw new GitError(`${folder} is not in a git repository; --base compares the working tree with a git revision`, 'not-a-repository');
    throw new GitError(`git rev-parse --show-toplevel failed in ${folder}: ${firstLine(r.stderr)}`, 'failed');
  }
  const top = normalizeSlashes(r.stdout.toString('utf8').replace(/\r?\n$/, ''));
  if (!top) throw new GitError(`${folder} is in a git repository with no working tree (a bare repository); --base needs one`, 'not-a-repository');
  const realTop = realFolder(top) ?? top;
  for (let dir = normalizeSlashes(folder); ; dir = dirname(dir)) {
    if (realFolder(dir) === realTop) return dir;
    if (dirname(dir) === dir) return top;
  }
}

/** The commit a revision names in the repository at `root`; a `GitError` ('no-revision') when there is none. */
export async function resolveRevision(root: string, ref: string, env: Record<string, string | undefined>): Promise<string> {
  // A revision never starts with '-': refusing it keeps it from being read as an option.
  if (ref.startsWith('-') || ref.includes('\0')) throw new GitError(`'${ref}' is not a git revision`, 'no-revision');
  const r = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root, env);
  const sha = r.stdout.toString('utf8').trim();
  if (r.status === 0 && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  if (r.status === 1 || r.status === 128) throw new GitError(`no git revision '${ref}' in ${root}`, 'no-revision');
  throw new GitError(`git rev-parse failed for '${ref}' in ${root}: ${firstLine(r.stderr)}`, 'failed');
}

interface TreeEntry {
  kind: DirEntry['kind'];
  oid?: string;
  size?: number;
}

/** A revision's files, readable until `close()`. */
export interface GitTree {
  /** The commit read. */
  commit: string;
  /** The working tree's root: the files are at `root/<path in the tree>`. */
  root: string;
  fs: PolicyFileSystem;
  /** Stop the `git cat-file` process (pending reads fail). */
  close(): void;
}

/**
 * The tree of `commit` (from `resolveRevision`) in the repository at `root`, as a `PolicyFileSystem`: folders from
 * the listing, regular files read on demand (symbolic links and submodules are listed as such, never followed).
 */
export async function openGitTree(root: string, commit: string, env: Record<string, string | undefined>): Promise<GitTree> {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new GitError(`not a commit id: ${commit}`, 'failed');
  const listing = await runGit(['ls-tree', '-r', '-z', '-l', '--full-tree', commit], root, env);
  if (listing.status !== 0) throw new GitError(`git ls-tree failed for ${commit.slice(0, 12)} in ${root}: ${firstLine(listing.stderr)}`, 'failed');
  const files = new Map<string, TreeEntry>();
  const folders = new Map<string, Map<string, DirEntry>>([['', new Map()]]);
  for (const record of splitRecords(listing.stdout)) {
    // `<mode> SP <type> SP <object> SP+ <size> TAB <path>`; the path is raw bytes (-z: never quoted).
    const tab = record.indexOf(0x09);
    if (tab < 0) continue;
    const [mode, type, oid, size] = record.subarray(0, tab).toString('latin1').trim().split(/ +/);
    const path = nameFromBytes(record.subarray(tab + 1));
    const kind: DirEntry['kind'] = mode === '120000' ? 'symlink' : type === 'blob' ? 'file' : 'other';
    files.set(path, { kind, oid, size: size === '-' ? undefined : Number(size) });
    // Each folder on the way, with the entry below it; a folder already known has its parents already.
    for (let child = path; ; ) {
      const parent = parentOf(child);
      let entries = folders.get(parent);
      const known = entries !== undefined;
      if (!entries) folders.set(parent, (entries = new Map()));
      const name = parent ? child.slice(parent.length + 1) : child;
      if (!entries.has(name)) entries.set(name, { name, kind: child === path ? kind : 'directory' });
      if (known) break;
      child = parent;
    }
  }
  const blobs = new BlobReader(root, env);
  const base = normalizeSlashes(root).replace(/\/+$/, '');
  const inTree = (path: string): string | undefined => {
    const p = normalizeSlashes(path).replace(/\/+$/, '');
    if (!isInside(base, p)) return undefined;
    return p === base ? '' : relative(base, p);
  };
  const missing = (path: string, what: string): Error => Object.assign(new Error(`${path}: no such ${what} in ${commit.slice(0, 12)}`), { code: 'ENOENT' });
  const fs: PolicyFileSystem = {
    async readDirectory(path) {
      const rel = inTree(path);
      const entries = rel === undefined ? undefined : folders.get(rel);
      if (!entries) throw missing(path, 'folder');
      return [...entries.values()];
    },
    async readFile(path, maxBytes = Infinity) {
      const rel = inTree(path);
      const entry = rel === undefined ? undefined : files.get(rel);
      if (!entry) throw missing(path, 'file');
      if (entry.kind !== 'file' || !entry.oid) throw Object.assign(new Error(`${path} is not a regular file in ${commit.slice(0, 12)}`), { code: 'ENOTREGULAR' });
      if (entry.size !== undefined && entry.size > maxBytes) {
        // Its first bytes only (the rest streams past unkept), as the working tree's file system hands them over.
        const head = await blobs.read(entry.oid, TOO_LARGE_HEAD_BYTES);
        throw Object.assign(new Error(`${path} is larger than the limit`), { code: 'ETOOLARGE', size: entry.size, head });
      }
      return blobs.read(entry.oid);
    },
    // The blob's id is the hash of its whole content, known from the listing: nothing is read. A repository of SHA-256
    // object ids (64 hex digits) does not compare with the working tree's SHA-1 (`PolicyFileSystem.digest`): unknown.
    async digest(path) {
      const rel = inTree(path);
      const entry = rel === undefined ? undefined : files.get(rel);
      return entry?.kind === 'file' && entry.oid && /^[0-9a-f]{40}$/.test(entry.oid) ? `git-sha1:${entry.oid}` : undefined;
    },
  };
  return { commit, root: base, fs, close: () => blobs.close() };
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function splitRecords(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(0); i >= 0; start = i + 1, i = bytes.indexOf(0, start)) out.push(bytes.subarray(start, i));
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

/**
 * One `git cat-file --batch`, started on the first read: each object id written on its stdin is answered on its
 * stdout, in order, as `<oid> <type> <size>\n<bytes>\n` (or `<oid> missing\n`).
 */
class BlobReader {
  private child?: ReturnType<typeof spawn>;
  private readonly waiting: { oid: string; keep: number; resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The size of the object being received, once its header is read. */
  private bodySize?: number;
  /** How much of that object's body is kept (all of it, unless its reader asked for its first bytes only). */
  private bodyKept = 0;
  /** How much of the body past what is kept has gone by, dropped as it came. */
  private bodyDropped = 0;
  private failure?: Error;

  constructor(
    private readonly root: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  /** An object's bytes; with `keep`, its first `keep` bytes only (the rest is dropped as it streams by). */
  read(oid: string, keep = Infinity): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ oid, keep, resolve, reject });
      this.process().stdin!.write(`${oid}\n`);
    });
  }

  close(): void {
    this.fail(new Error('the git revision was closed'));
    this.child?.stdin?.end();
  }

  private process(): ReturnType<typeof spawn> {
    if (this.child) return this.child;
    const child = spawn('git', [...GIT_SAFETY_ARGS, 'cat-file', '--batch'], { cwd: this.root, env: gitEnvironment(this.env), shell: false, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.stdout!.on('data', (b: Buffer) => this.receive(b));
    child.stdin!.on('error', () => undefined);
    child.on('error', (e) => this.fail(spawnError(e)));
    child.on('close', (status) => this.fail(new Error(`git cat-file --batch ended (status ${status}): ${firstLine(stderr)}`)));
    this.child = child;
    return child;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.bodySize === undefined) {
        const all = this.joined();
        const nl = all.indexOf(0x0a);
        if (nl < 0) return;
        const header = all.subarray(0, nl).toString('latin1');
        this.keep(all.subarray(nl + 1));
        const w = this.waiting[0];
        const m = /^(\S+) (\S+) (\d+)$/.exec(header);
        if (!m) {
          this.waiting.shift();
          w?.reject(Object.assign(new Error(`object ${w.oid} is not in the repository (${header})`), { code: 'EGITOBJECT' }));
          continue;
        }
        this.bodySize = Number(m[3]);
        this.bodyKept = Math.min(this.bodySize, w?.keep ?? Infinity);
        this.bodyDropped = 0;
      }
      // The bytes kept, then those past them dropped as they come (a file over the size limit is never held whole).
      if (this.buffered < this.bodyKept) return;
      const toDrop = this.bodySize - this.bodyKept - this.bodyDropped;
      if (toDrop > 0) {
        const all = this.joined();
        const drop = Math.min(toDrop, all.length - this.bodyKept);
        this.bodyDropped += drop;
        this.keep(Buffer.concat([all.subarray(0, this.bodyKept), all.subarray(this.bodyKept + drop)]));
        if (drop < toDrop) return;
      }
      // The body's trailing newline.
      if (this.buffered < this.bodyKept + 1) return;
      const all = this.joined();
      const body = Buffer.from(all.subarray(0, this.bodyKept));
      this.keep(all.subarray(this.bodyKept + 1));
      this.bodySize = undefined;
      this.waiting.shift()?.resolve(body);
    }
  }

  /** Everything received so far, as one buffer (joined once per object, not per chunk). */
  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private keep(rest: Buffer): void {
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
  }
}

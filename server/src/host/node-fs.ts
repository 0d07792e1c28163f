/** The Node file system behind the policy service, for the CLI and the language server. */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, realpathSync, promises as fs } from 'node:fs';
import type { DirEntry, PolicyFileSystem } from '../core/index';
import { isInside, normalizeSlashes, TOO_LARGE_HEAD_BYTES } from '../core/index';
import { nameFromBytes, toFsPath } from './fs-names';

/** A folder's entries, names read as bytes (a name that is not UTF-8 is kept exactly: host/fs-names.ts). */
function toEntries(entries: import('node:fs').Dirent<Buffer>[]): DirEntry[] {
  return entries.map((e): DirEntry => ({
    name: nameFromBytes(e.name),
    kind: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other',
  }));
}

export const nodeFileSystem: PolicyFileSystem = {
  /**
   * Reads regular files only. Opening with O_NONBLOCK keeps a named pipe (a FIFO called `policy.yaml`) from blocking
   * the open; it, a device or a folder is then refused with `ENOTREGULAR` (a code the service skips).
   */
  async readFile(path, maxBytes = Infinity) {
    const { size, bytes, head } = await readRegular(path, maxBytes);
    if (!bytes) throw tooLargeError(path, size, head);
    return bytes;
  },
  async readDirectory(path) {
    return toEntries(await fs.readdir(toFsPath(path), { withFileTypes: true, encoding: 'buffer' }));
  },
  digest: (path) => blobDigest(path),
};

/**
 * One open, one fstat, one read: the size check and the read share the handle (a cold check reads thousands of
 * files, and a separate stat per file showed in profiles). Opening with O_NONBLOCK keeps a named pipe from blocking;
 * anything but a regular file is refused with `ENOTREGULAR` (a code the service skips).
 */
async function readRegular(path: string, maxBytes: number): Promise<{ size: number; bytes?: Uint8Array; head?: Uint8Array }> {
  const handle = await fs.open(toFsPath(path), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREGULAR' });
    // Too large: only its first bytes, for the model to tell what it may hold (TOO_LARGE_HEAD_BYTES).
    const length = stat.size > maxBytes ? Math.min(stat.size, TOO_LARGE_HEAD_BYTES) : stat.size;
    // A Buffer is a Uint8Array already: no copy.
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return stat.size > maxBytes ? { size: stat.size, head: buffer.subarray(0, read) } : { size: stat.size, bytes: buffer.subarray(0, read) };
  } finally {
    await handle.close();
  }
}

/** How much of a file `blobDigest` holds at a time. */
const DIGEST_CHUNK_BYTES = 1024 * 1024;

/**
 * The id git gives a file's content as a blob (`PolicyFileSystem.digest`): the SHA-1 of `blob <size>\0` and the bytes,
 * read a chunk at a time (a file over the size limit is never held whole). Undefined when the file changed size
 * while it was read (the size hashed first would not be its own).
 */
async function blobDigest(path: string): Promise<string | undefined> {
  const handle = await fs.open(toFsPath(path), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREGULAR' });
    const hash = createHash('sha1').update(`blob ${stat.size}\0`);
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(stat.size, DIGEST_CHUNK_BYTES)));
    let read = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, read);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      read += bytesRead;
    }
    return read === stat.size ? `git-sha1:${hash.digest('hex')}` : undefined;
  } finally {
    await handle.close();
  }
}

/** The refusal of a file over the size limit, with its first bytes (`PolicyFileSystem.readFile`). */
function tooLargeError(path: string, size: number, head: Uint8Array | undefined): Error {
  return Object.assign(new Error(`${path} is larger than the limit`), { code: 'ETOOLARGE', size, ...(head ? { head } : {}) });
}

/** The first `length` bytes of an open file (fewer if it ends before). */
function readStart(fd: number, length: number): Uint8Array {
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/** The first bytes of an open file, at most `TOO_LARGE_HEAD_BYTES` of its `size`. */
function headOf(fd: number, size: number): Uint8Array {
  return readStart(fd, Math.min(size, TOO_LARGE_HEAD_BYTES));
}

/**
 * The same file system done synchronously, for the CLI: a batch run has nothing else to do while it reads, and four
 * awaited calls per file cost more than the reads themselves on thousands of files.
 */
export const nodeFileSystemSync: PolicyFileSystem = {
  async readFile(path, maxBytes = Infinity) {
    const fd = openSync(toFsPath(path), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREGULAR' });
      if (stat.size > maxBytes) throw tooLargeError(path, stat.size, headOf(fd, stat.size));
      return readStart(fd, stat.size);
    } finally {
      closeSync(fd);
    }
  },
  async readDirectory(path) {
    return toEntries(readdirSync(toFsPath(path), { withFileTypes: true, encoding: 'buffer' }));
  },
  // Asked of a few files only (`sameHeadOverSize`), each read a chunk at a time: awaited, as the asynchronous one.
  digest: (path) => blobDigest(path),
};

/** The error a confined file system throws for a path that resolves outside its folders. */
export const OUTSIDE_WORKSPACE = 'EOUTSIDEWORKSPACE';

/**
 * A file system that reads only inside `folders()` (the language server's workspace folders): a path that is
 * outside them, or that resolves outside them through a symbolic link (the file itself or a folder on the way), is
 * refused with the code `EOUTSIDEWORKSPACE` before anything is read. Discovery never follows symbolic links anyway;
 * this guards the other ways a path reaches the server (file watcher events, closing an editor).
 */
export function confinedFileSystem(inner: PolicyFileSystem, folders: () => string[]): PolicyFileSystem {
  const realFolders = new Map<string, Promise<string | undefined>>();
  const realFolder = (f: string): Promise<string | undefined> => {
    let r = realFolders.get(f);
    if (!r) {
      r = fs.realpath(toFsPath(f), { encoding: 'buffer' }).then((b) => normalizeSlashes(nameFromBytes(b)), () => {
        realFolders.delete(f);
        return undefined;
      });
      realFolders.set(f, r);
    }
    return r;
  };
  const check = async (path: string): Promise<void> => {
    const list = folders();
    const refuse = (): never => {
      throw Object.assign(new Error(`${path} is outside the workspace folders; not read`), { code: OUTSIDE_WORKSPACE });
    };
    if (!list.some((f) => isInside(f, path)) || /(^|[\\/])\.\.([\\/]|$)/.test(path)) refuse();
    // The real path (symbolic links resolved) must still be inside a workspace folder (itself resolved).
    // Synchronous: one system call, and a scan of thousands of files pays for every awaited one (see nodeFileSystemSync).
    const real = normalizeSlashes(nameFromBytes(realpathSync.native(toFsPath(path), { encoding: 'buffer' })));
    const roots = await Promise.all(list.map(realFolder));
    if (!roots.some((r) => r !== undefined && isInside(r, real))) refuse();
  };
  // `load` asks the size, then reads: the read reuses the size's check (one realpath per file, not two).
  const checkedForRead = new Map<string, Promise<void>>();
  return {
    async readFile(path, maxBytes) {
      const checked = checkedForRead.get(path);
      checkedForRead.delete(path);
      await (checked ?? check(path));
      return inner.readFile(path, maxBytes);
    },
    async readDirectory(path) {
      await check(path);
      return inner.readDirectory(path);
    },
    size: inner.size
      ? async (path) => {
          const checked = check(path);
          // A file too large is never read: keep the map small.
          if (checkedForRead.size > 256) checkedForRead.clear();
          checkedForRead.set(path, checked);
          try {
            await checked;
          } catch (e) {
            checkedForRead.delete(path);
            throw e;
          }
          return inner.size!(path);
        }
      : undefined,
    digest: inner.digest
      ? async (path) => {
          await check(path);
          return inner.digest!(path);
        }
      : undefined,
  };
}

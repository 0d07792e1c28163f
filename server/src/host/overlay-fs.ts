/**
 * A file system that reads another one with some files replaced: the workspace as it was at a git revision, given
 * the files the working changes touched (their old content, or absent). Nothing is written; the inner file system's
 * confinement still applies to every file not replaced.
 */
import { createHash } from 'node:crypto';
import { basename, dirname, normalizeSlashes, TOO_LARGE_HEAD_BYTES, type DirEntry, type PolicyFileSystem } from '../core/index';

/** `content` null: the file did not exist on the other side. */
export type Overrides = Map<string, Uint8Array | null>;

export function overlayFileSystem(inner: PolicyFileSystem, overrides: Overrides): PolicyFileSystem {
  const files = new Map([...overrides].map(([p, c]) => [normalizeSlashes(p), c] as const));
  /** Folders that hold a file only the other side has (a file the working changes deleted). */
  const extraDirs = new Map<string, Set<string>>();
  for (const [p, c] of files) {
    if (c === null) continue;
    let child = p;
    let dir = dirname(p);
    while (dir !== child) {
      const set = extraDirs.get(dir) ?? new Set<string>();
      set.add(basename(child));
      extraDirs.set(dir, set);
      child = dir;
      dir = dirname(dir);
    }
  }
  const missing = (path: string): Error => Object.assign(new Error(`ENOENT: no such file, '${path}'`), { code: 'ENOENT' });
  return {
    async readFile(path, maxBytes) {
      const p = normalizeSlashes(path);
      if (!files.has(p)) return inner.readFile(path, maxBytes);
      const content = files.get(p);
      if (!content) throw missing(path);
      if (maxBytes !== undefined && content.byteLength > maxBytes) {
        throw Object.assign(new Error(`${path} is larger than the limit`), { code: 'ETOOLARGE', size: content.byteLength, head: content.subarray(0, TOO_LARGE_HEAD_BYTES) });
      }
      return content;
    },
    async digest(path) {
      const p = normalizeSlashes(path);
      if (!files.has(p)) return inner.digest?.(path);
      const content = files.get(p);
      if (!content) throw missing(path);
      // Held already: the same id the disk's file system streams (`PolicyFileSystem.digest`).
      return `git-sha1:${createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex')}`;
    },
    async readDirectory(path) {
      const p = normalizeSlashes(path);
      let entries: DirEntry[] = [];
      try {
        entries = await inner.readDirectory(path);
      } catch (e) {
        if (!extraDirs.has(p)) throw e;
      }
      const out = entries.filter((e) => files.get(`${p}/${e.name}`) !== null);
      const names = new Set(out.map((e) => e.name));
      for (const name of extraDirs.get(p) ?? []) {
        if (names.has(name)) continue;
        out.push({ name, kind: files.has(`${p}/${name}`) ? 'file' : 'directory' });
      }
      return out;
    },
  };
}

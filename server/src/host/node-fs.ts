/** The Node file system behind the policy service, for the CLI and the language server. */
import { promises as fs } from 'node:fs';
import type { DirEntry, PolicyFileSystem } from '../core/workspace';

export const nodeFileSystem: PolicyFileSystem = {
  async readFile(path) {
    return new Uint8Array(await fs.readFile(path));
  },
  async readDirectory(path) {
    const entries = await fs.readdir(path, { withFileTypes: true });
    return entries.map((e): DirEntry => ({
      name: e.name,
      kind: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other',
    }));
  },
  async size(path) {
    return (await fs.stat(path)).size;
  },
};

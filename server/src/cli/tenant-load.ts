/** Loading one tenant folder for the commands that work on a whole tenant (`whatif`, `report`). */
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createPolicyService, type PolicyService } from '../core/workspace';
import { MANIFEST_FILE } from '../core/facts';
import { normalizeSlashes, relative } from '../core/paths';
import type { TenantView } from '../core/rule';
import { nodeFileSystemSync as nodeFileSystem } from '../host/node-fs';

/** A mistake in the command line: printed as one line, exit status 2. */
export class CommandError extends Error {}

export interface LoadedTenant {
  service: PolicyService;
  root: string;
  view: TenantView;
  /** Problems reading files (printed on stderr by the caller). */
  problems: string[];
}

async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isFile(), () => false);
}

/** The tenant folder at or above `path` (a folder, a manifest, or any file in the tenant). */
export async function loadTenant(path: string, cwd: string): Promise<LoadedTenant> {
  const abs = resolve(cwd, path);
  const stat = await fs.stat(abs).catch(() => undefined);
  if (!stat) throw new CommandError(`no such file or folder: ${path}`);
  let dir = stat.isDirectory() ? abs : dirname(abs);
  for (;;) {
    if (await isFile(join(dir, MANIFEST_FILE))) break;
    const up = dirname(dir);
    if (up === dir) throw new CommandError(`${path} is in no tenant folder (a folder with a ${MANIFEST_FILE})`);
    dir = up;
  }
  const root = normalizeSlashes(dir);
  const service = createPolicyService({ fs: nodeFileSystem });
  const scan: { path: string; message: string }[] = [];
  const files = await service.discover(root, scan);
  const problems = scan.map((p) => `${relative(normalizeSlashes(cwd), p.path)}: ${p.message}`);
  await Promise.all(
    files.map((f) =>
      service.load(f).catch((e: NodeJS.ErrnoException) => {
        problems.push(`${relative(normalizeSlashes(cwd), f)}: cannot read the file: ${e.code ?? e.message}`);
      }),
    ),
  );
  // Nested tenant folders are tenants of their own: the view holds only this one's files.
  return { service, root, view: service.view(root), problems };
}

/** A `--name value` / `--name=value` argument reader shared by the tenant commands. */
export class ArgReader {
  private i = 0;
  constructor(private readonly args: string[]) {}

  next(): string | undefined {
    return this.args[this.i++];
  }

  /** The value of the option just read (`--x v` or `--x=v`). */
  value(arg: string, name: string): string {
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) return arg.slice(eq + 1);
    const v = this.args[this.i++];
    if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new CommandError(`${name} needs a value`);
    return v;
  }
}

/** `--name=value` → `--name`. */
export function optionName(arg: string): string {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
}

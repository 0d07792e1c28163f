/**
 * `ztp diff`: what a change does to findings, layers, sign-ins and settings, between two folders or between a git
 * revision and the working tree. The comparison is the core's (`diffWorkspaces`); this command loads the two sides,
 * each into its own service, the working tree through `io.fs` and a revision through `git` (host/git-tree.ts).
 */
import { resolve } from 'node:path';
import {
  changeImpactExitCode,
  changeImpactJson,
  changeImpactMarkdown,
  changeImpactText,
  diffWorkspaces,
  dirname,
  isInside,
  join,
  MANIFEST_FILE,
  nearestTenantRootAsync,
  normalizeSlashes,
  sameHeadOverSize,
  type DiffSide,
  type PolicyFileSystem,
} from '../../core/index';
import { GitError, gitRepositoryRoot, openGitTree, resolveRevision, type GitTree } from '../../host/git-tree';
import { formatOption, lastValue, MAX_FILE_SIZE, maxFileSizeHelp, maxFileSizeOption, readArgs, UsageError } from '../args';
import { escapeControls } from '../format';
import type { CliIO, Command } from '../io';
import { entryKind, fileSystem, loadFiles, openSession, printProblems, type Session } from '../load';

const HELP = `Usage:
  ztp diff <base> <head> [--format text|md|json] [--max-file-size <MB>]
  ztp diff --base <git-revision> [paths…] [--format text|md|json] [--max-file-size <MB>]

What a change does, offline. Each side is a folder (a tenant folder or a folder of tenants); with --base, the
working tree (the paths, default: the current folder) is compared with a git revision, which is read with git's
own commands and never checked out (the working tree and the index are left alone). Tenants are matched by their
manifest name (by folder where two tenant folders share one). For each tenant it reports:
  - the findings the change introduces and resolves (matched by rule, policy and message, not by line);
  - the layers whose status changes;
  - the sign-ins whose outcome changes, on the grid of ztp whatif --lockout (break-glass accounts, a member of each
    group the policies name, a Global Administrator and a holder of each role they name, a user in no group; each
    platform; browser and apps),
    report-only policies apart;
  - the policies added, removed, renamed or changed, setting by setting.
Policy files in no tenant folder (shared templates) are checked against their schema alone: their findings are
compared as a group of their own, and an error they introduce fails the change too.

  --base <revision>     compare the working tree with this git revision (a branch, tag, commit, origin/main…)
  --format <f>          text (default), md (a pull-request comment: a summary line, details folded), or json
  ${maxFileSizeHelp(22)}

Exit status: 0 nothing the change does needs attention; 1 it introduces an error finding, locks out a break-glass
account (blocked or unsatisfiable), or newly locks out a whole group, as ztp whatif --lockout reads it (a country
allowlist is a restriction, listed apart, not a lockout); 2 a usage or I/O problem (a missing folder, a
file that cannot be read, no tenant folder or policy file on either side, no such git revision, git not installed).
With no tenant folder on either side, the policy files in none are still compared, and exit 0 or 1 as above.
See docs/diff.md.`;

/** One side as the engine takes it, and what loading it met. */
interface Side {
  session: Session;
  /** The folders loaded: the tenant folder at or above each folder asked about, else that folder. */
  scopes: string[];
  /** What it was read from: the disk (or `io.fs`), or a git revision. */
  fs: PolicyFileSystem;
}

/** Whether a folder holds a manifest, asked through the side's file system (the disk, or a git revision). */
function manifestIn(fs: PolicyFileSystem): (dir: string) => Promise<boolean> {
  return async (dir) => {
    try {
      return (await fs.readDirectory(dir)).some((e) => e.name === MANIFEST_FILE && e.kind === 'file');
    } catch {
      return false;
    }
  };
}

/** Load what a side holds under `folders`: each with the whole tenant around it, as `ztp check` does. */
async function loadSide(io: CliIO, folders: string[], maxFileSize: number | undefined): Promise<Side> {
  const session = openSession(io, { maxFileSize });
  const fs = fileSystem(io);
  const scopes: string[] = [];
  for (const folder of folders) {
    const scope = (await nearestTenantRootAsync(folder, manifestIn(fs))) ?? folder;
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  // A folder inside another is discovered with it.
  const files = new Set<string>();
  for (const scope of scopes.filter((s) => !scopes.some((o) => o !== s && isInside(o, s)))) {
    for (const f of await session.service.discover(scope, session.problems)) files.add(f);
  }
  await loadFiles(session, [...files]);
  return { session, scopes, fs };
}

/**
 * The hashes of the whole files that only a hash can tell apart: those over the size limit whose size and first
 * bytes are alike on both sides (`sameHeadOverSize`), each read as a stream, so a change past the first 64 KB that
 * keeps the size is seen. A pair either side cannot hash is left to its size and first bytes.
 */
async function overSizeDigests(base: DiffSide, head: DiffSide, baseFs: PolicyFileSystem, headFs: PolicyFileSystem): Promise<{ base: Map<string, string>; head: Map<string, string> }> {
  const out = { base: new Map<string, string>(), head: new Map<string, string>() };
  for (const pair of sameHeadOverSize(base, head)) {
    const [b, h] = await Promise.all([baseFs.digest?.(pair.base), headFs.digest?.(pair.head)].map((d) => d?.catch(() => undefined)));
    if (b === undefined || h === undefined) continue;
    out.base.set(pair.base, b);
    out.head.set(pair.head, h);
  }
  return out;
}

/** A side's problems on stderr, each saying which side when the paths alone do not (a git revision's files). */
function printSideProblems(side: Side, io: CliIO, where?: string): void {
  const at = (list: typeof side.session.problems) => (where ? list.map((p) => ({ ...p, message: `${p.message} (in ${where})` })) : list);
  printProblems({ ...side.session, problems: at(side.session.problems), notes: at(side.session.notes) }, io);
}

/** `ztp diff <base> <head>`: two folders. */
async function loadFolders(rawBase: string, rawHead: string, io: CliIO, maxFileSize: number | undefined): Promise<{ base: Side; head: Side; baseRoot: string; headRoot: string }> {
  const folder = async (raw: string): Promise<string> => {
    const abs = normalizeSlashes(resolve(io.cwd, raw));
    const what = await entryKind(abs);
    if (what === 'missing') throw new UsageError(`no such folder: ${raw}`);
    if (what !== 'directory') throw new UsageError(`${raw} is ${what === 'file' ? 'a file' : what}, not a folder; ztp diff compares two folders (tenant folders or folders of tenants)`);
    return abs;
  };
  const [b, h] = [await folder(rawBase), await folder(rawHead)];
  const base = await loadSide(io, [b], maxFileSize);
  const head = await loadSide(io, [h], maxFileSize);
  return { base, head, baseRoot: base.scopes[0]!, headRoot: head.scopes[0]! };
}

/** Where a path asked about is, in the working tree or else in the revision: the folder to load. */
async function folderOf(raw: string, abs: string, tree: GitTree, ref: string): Promise<string> {
  const what = await entryKind(abs);
  if (what === 'directory') return abs;
  if (what === 'file') return dirname(abs);
  if (what !== 'missing') throw new UsageError(`${raw} is ${what}, not a file or folder`);
  // Deleted in the working tree: a folder or a file of the revision.
  try {
    await tree.fs.readDirectory(abs);
    return abs;
  } catch {
    const parent = dirname(abs);
    const inRevision = await tree.fs.readDirectory(parent).then((es) => es.some((e) => join(parent, e.name) === abs), () => false);
    if (inRevision) return parent;
  }
  throw new UsageError(`no such file or folder: ${raw} (neither in the working tree nor in ${ref})`);
}

/** The nearest folder at or above `abs` that exists in the working tree (git runs there to find the repository). */
async function existingFolder(abs: string): Promise<string> {
  for (let dir = abs; ; dir = dirname(dir)) {
    if ((await entryKind(dir)) === 'directory') return dir;
    if (dirname(dir) === dir) return dir;
  }
}

/** `ztp diff --base <ref> [paths…]`: the working tree against a revision, read while `use` runs. */
async function withRevision<T>(ref: string, paths: string[], io: CliIO, maxFileSize: number | undefined, use: (sides: { base: Side; head: Side; root: string }) => Promise<T> | T): Promise<T> {
  const absolute = paths.map((raw) => ({ raw, abs: normalizeSlashes(resolve(io.cwd, raw)) }));
  let tree: GitTree | undefined;
  try {
    const repo = await gitRepositoryRoot(await existingFolder(absolute[0]!.abs), io.env);
    for (const p of absolute) if (!isInside(repo, p.abs)) throw new UsageError(`${p.raw} is outside the git repository at ${repo}`);
    tree = await openGitTree(repo, await resolveRevision(repo, ref, io.env), io.env);
    const folders: string[] = [];
    for (const p of absolute) folders.push(await folderOf(p.raw, p.abs, tree, ref));
    const head = await loadSide(io, folders, maxFileSize);
    const base = await loadSide({ ...io, fs: tree.fs }, folders, maxFileSize);
    // Paths read from the current folder when everything compared is in it (the repository root in CI), else from
    // the repository's root.
    const cwd = normalizeSlashes(io.cwd);
    const root = [...base.scopes, ...head.scopes].every((s) => isInside(cwd, s)) ? cwd : repo;
    return await use({ base, head, root });
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(e.message);
    throw e;
  } finally {
    tree?.close();
  }
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const a = readArgs(argv, { values: ['--format', '--base', MAX_FILE_SIZE] }, 'diff');
  const format = formatOption(lastValue(a, '--format'), ['text', 'md', 'json'], 'text', { markdown: 'md' });
  const maxFileSize = maxFileSizeOption(a);
  const ref = lastValue(a, '--base');
  const compare = async (base: Side, head: Side, baseRoot: string, headRoot: string, baseLabel: string, headLabel: string, baseWhere?: string): Promise<number> => {
    printSideProblems(base, io, baseWhere);
    printSideProblems(head, io);
    const baseSide: DiffSide = { service: base.session.service, root: baseRoot, label: baseLabel };
    const headSide: DiffSide = { service: head.session.service, root: headRoot, label: headLabel };
    const digests = await overSizeDigests(baseSide, headSide, base.fs, head.fs);
    const impact = diffWorkspaces({ ...baseSide, digests: digests.base }, { ...headSide, digests: digests.head });
    // Policy files in no tenant folder are compared as a group of their own (`noTenant`), so a side without tenants
    // still has something to compare; only a side with neither is a wrong path.
    if (!impact.tenants.length && !impact.noTenant) throw new UsageError(`no tenant folder (a folder with a ${MANIFEST_FILE}) or policy file in ${baseLabel} or ${headLabel}`);
    const out = format === 'json' ? JSON.stringify(changeImpactJson(impact), null, 2) : format === 'md' ? changeImpactMarkdown(impact) : changeImpactText(impact).split('\n').map(escapeControls).join('\n');
    io.stdout(out.endsWith('\n') ? out : `${out}\n`);
    const incomplete = [base, head].some((s) => s.session.problems.length > 0 || s.session.ruleErrors.length > 0);
    return incomplete ? 2 : changeImpactExitCode(impact);
  };
  if (ref !== undefined) {
    if (!ref) throw new UsageError('--base needs a git revision: a branch, a tag or a commit');
    const paths = a.positionals.length ? a.positionals : ['.'];
    const label = `git:${ref}`;
    return withRevision(ref, paths, io, maxFileSize, ({ base, head, root }) => compare(base, head, root, root, label, 'working tree', label));
  }
  const [rawBase, rawHead, ...more] = a.positionals;
  if (rawBase === undefined) throw new UsageError('name two folders to compare (ztp diff <base> <head>), or a git revision (ztp diff --base <ref> [paths…])');
  if (rawHead === undefined) throw new UsageError(`name the folder to compare ${rawBase} with (ztp diff <base> <head>), or compare with git: ztp diff --base <ref> ${rawBase}`);
  if (more.length) throw new UsageError(`ztp diff compares two folders, not ${a.positionals.length}; to compare paths with a git revision, use --base <ref>`);
  const { base, head, baseRoot, headRoot } = await loadFolders(rawBase, rawHead, io, maxFileSize);
  return compare(base, head, baseRoot, headRoot, rawBase, rawHead);
}

export const diff: Command = { name: 'diff', prefix: 'ztp', help: HELP, run };

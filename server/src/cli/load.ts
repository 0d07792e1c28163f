/**
 * The one way the CLI loads files: a policy service over `io.fs` (the disk unless a test injects faults), folders
 * discovered and files read by it, with one handling of what could not be read. `loadPaths` serves `ztp check`
 * (paths and the tenants around them); `findTenant` + `loadTenant` serve the commands that work on one tenant.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  createPolicyService,
  forEachLimit,
  isInside,
  isManifestLookalike,
  isSkippedFolder,
  isSkippedReadError,
  MANIFEST_FILE,
  mayHoldPolicyOutsideTenant,
  nearestTenantRootAsync,
  normalizeSlashes,
  overSize,
  POLICY_FILE_PATTERN,
  READ_CONCURRENCY,
  readErrorReason,
  relative,
  tooLargeMessage,
  TOO_LARGE_HEAD_BYTES,
  type PolicyFileSystem,
  type PolicyService,
  type PolicyServiceOptions,
  type ScanProblem,
  type SettingsCatalog,
  type TenantView,
} from '../core/index';
import { nodeFileSystemSync } from '../host/node-fs';
import { loadSettingsCatalog, shippedSettingsCatalog } from '../host/settings-catalog-file';
import { UsageError } from './args';
import { escapeControls, printablePath, shownPath } from './format';
import type { CliIO } from './io';

/** A service and what went wrong loading its files. */
export interface Session {
  service: PolicyService;
  /** Folders or files that could not be read: the result is incomplete (exit status 2). */
  problems: ScanProblem[];
  /** Said on stderr without changing the exit status (files that went away during the run). */
  notes: ScanProblem[];
  /** Rules that threw (each once): the result is incomplete, so exit status 2. */
  ruleErrors: string[];
}

/** The file system a command reads through. */
export function fileSystem(io: CliIO): PolicyFileSystem {
  return io.fs ?? nodeFileSystemSync;
}

/** A new service over `io.fs`, running `io.rules` (default: the registry). */
export function openSession(io: CliIO, options: Pick<PolicyServiceOptions, 'settings' | 'maxFileSize' | 'tenantNames'> & { settingsCatalogPath?: string } = {}): Session {
  const ruleErrors: string[] = [];
  const { settingsCatalogPath, ...serviceOptions } = options;
  const service = createPolicyService({
    fs: fileSystem(io),
    ...serviceOptions,
    settingsCatalog: () => settingsCatalogFor(settingsCatalogPath),
    rules: io.rules,
    onRuleError: (id, e) => ruleErrors.push(`rule ${id} failed and its findings are missing (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}); see the internal-error finding`),
  });
  return { service, problems: [], notes: [], ruleErrors };
}

/**
 * The settings catalog index: the one `--settings-catalog` names (a bad one is a usage error, raised by the command
 * before it loads anything), or the shipped one (read on first use; without it the settings checks keep to what the
 * ids themselves say).
 */
export function settingsCatalogFor(path: string | undefined): SettingsCatalog | undefined {
  return path ? loadSettingsCatalog(path) : shippedSettingsCatalog();
}

/** Read files into the service, a bounded number at a time (memory stays flat on large workspaces). */
export async function loadFiles(session: Session, files: string[]): Promise<void> {
  await forEachLimit(files, READ_CONCURRENCY, async (f) => {
    try {
      await session.service.load(f);
    } catch (e) {
      // Deleted between discovery and the read (or not a regular file): not a user error, so skipped with a note.
      if (isSkippedReadError(e)) session.notes.push({ path: f, message: 'skipped: the file went away while it was being checked' });
      else {
        session.problems.push({ path: f, message: `cannot read the file (${readErrorReason(e)})` });
        // Kept as a file that could not be read, a policy file or the manifest alike, as in the editor: one finding on
        // it says so, a manifest still makes its folder a tenant (its policies are not "in no tenant folder"), and the
        // checks that look for what it may hold wait rather than call it missing.
        session.service.setUnreadable(f, readErrorReason(e));
      }
    }
  });
}

/** The notes, problems and rule errors of a session, one `ztp: …` line each on stderr. */
export function printProblems(session: Session, io: CliIO): void {
  // By path: the same order however the files were read (one thread or several).
  const byPath = (a: ScanProblem, b: ScanProblem): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  for (const p of [...[...session.notes].sort(byPath), ...[...session.problems].sort(byPath)]) io.stderr(`ztp: ${printablePath(shownPath(io.cwd, p.path))}: ${escapeControls(p.message)}\n`);
  for (const e of new Set(session.ruleErrors)) io.stderr(`ztp: ${escapeControls(e)}\n`);
}

export type EntryKind = 'file' | 'directory' | 'missing' | 'a named pipe (FIFO)' | 'a socket' | 'a device' | 'not a file or folder';

/** What is at a path (links followed): a file, a folder, something else by name, or nothing. */
export async function entryKind(p: string): Promise<EntryKind> {
  let s;
  try {
    s = await fs.stat(p);
  } catch {
    return 'missing';
  }
  if (s.isDirectory()) return 'directory';
  if (s.isFile()) return 'file';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a file or folder';
}

/** The tenant folder at or above a folder: the nearest one holding a zerotrust.yaml. */
export function tenantRootAt(folder: string): Promise<string | undefined> {
  return nearestTenantRootAsync(normalizeSlashes(folder), async (dir) => (await entryKind(join(dir, MANIFEST_FILE))) === 'file');
}

/** What `ztp check` loaded: the session, and the paths it was asked about (findings outside them are not shown). */
export interface CheckLoad extends Session {
  scopes: string[];
}

/** What `ztp check <paths>` will read, found before anything is read. */
export interface CheckPlan {
  scopes: string[];
  files: string[];
  /** Files named on the command line. */
  explicit: string[];
  /** Folders named that are in no tenant: each must hold something to check. */
  bare: { raw: string; folder: string; files: string[] }[];
}

/**
 * Find what `ztp check <paths>` checks. A path inside a tenant is checked with the whole tenant around it, so
 * cross-file rules see everything. A folder named inside a tenant that the tenant's scan does not enter (a dot-folder,
 * `node_modules`, a symbolic link), or that holds no file at all, is a usage error saying why: a wrong path in CI must
 * not pass with nothing checked. Each symbolic link the scan meets is said on stderr (a note: the exit status stays).
 */
export async function planPaths(session: Session, paths: string[], io: CliIO): Promise<CheckPlan> {
  const { service } = session;
  const scopes: string[] = [];
  const roots = new Set<string>();
  const files = new Set<string>();
  const explicit: string[] = [];
  const bare: { raw: string; folder: string }[] = [];
  const inTenant: { raw: string; folder: string; root: string }[] = [];
  for (const raw of paths) {
    const abs = normalizeSlashes(resolve(io.cwd, raw));
    const what = await entryKind(abs);
    if (what === 'missing') throw new UsageError(`no such file or folder: ${raw}`);
    if (what !== 'file' && what !== 'directory') throw new UsageError(`${raw} is ${what}, not a policy file or folder; only regular files and folders are checked`);
    // Only YAML and JSON files are policy files (the format's contract): a README or a .txt named on the command line is
    // a mistake, not a file to parse.
    if (what === 'file' && !/\.(ya?ml|json)$/i.test(abs)) throw new UsageError(`${raw} is not a policy file: only .yaml, .yml and .json files are checked`);
    scopes.push(abs);
    const tenant = await tenantRootAt(what === 'directory' ? abs : dirname(abs));
    if (what === 'file') {
      files.add(abs);
      explicit.push(abs);
    }
    if (what === 'directory' && !tenant) bare.push({ raw, folder: abs });
    if (what === 'directory' && tenant && tenant !== abs) inTenant.push({ raw, folder: abs, root: tenant });
    if (what === 'directory' || tenant) roots.add(tenant && (what === 'file' || tenant !== abs) ? tenant : abs);
  }
  const found = new Map<string, string[]>();
  const links = new Set<string>();
  for (const root of roots) {
    const met: string[] = [];
    const list = await service.discover(root, session.problems, met);
    found.set(root, list);
    for (const f of list) files.add(f);
    for (const l of met) links.add(l);
  }
  for (const f of inTenant) {
    const under = (p: string): boolean => isInside(f.folder, p);
    if (!found.get(f.root)!.some(under) && !session.problems.some((p) => under(p.path))) throw new UsageError(await nothingUnder(f.raw, f.folder, f.root));
  }
  for (const link of [...links].sort()) {
    const note = await linkNote(link);
    if (note) session.notes.push({ path: link, message: note });
  }
  return { scopes, files: [...files], explicit, bare: bare.map((b) => ({ ...b, files: found.get(b.folder) ?? [] })) };
}

/**
 * Why a folder named inside a tenant has nothing to check: the scan of its tenant skips a folder on the way (a
 * dot-folder or `node_modules`, as the contract says), does not follow a symbolic link on the way (SECURITY.md), or
 * the folder holds no YAML or JSON file.
 */
async function nothingUnder(raw: string, folder: string, root: string): Promise<string> {
  const steps: string[] = [];
  for (let dir = folder; dir !== root && isInside(root, dir); dir = dirname(dir)) steps.unshift(dir);
  for (const dir of steps) {
    if (isSkippedFolder(basename(dir))) {
      return `nothing to check under ${raw}: the scan of its tenant (${basename(root)}) skips dot-folders and node_modules, and ${basename(dir)} is one; name a file in it to check that file`;
    }
    let link = false;
    try {
      link = (await fs.lstat(dir)).isSymbolicLink();
    } catch {
      // Gone since it was named: the plain reason below.
    }
    if (link) return `nothing to check under ${raw}: ${basename(dir)} is a symbolic link, and the scan does not follow links (SECURITY.md); name the folder it points to, or a file in it`;
  }
  return `no tenant folder or policy file under ${raw}`;
}

/**
 * The note for a symbolic link the scan met and did not follow: one to a folder, or to a YAML or JSON file, may hide
 * policies of the tenant (a shared baseline linked into each customer's folder), so it is said; a link to anything
 * else (a README), or to nothing, is not.
 */
async function linkNote(link: string): Promise<string | undefined> {
  const what = await entryKind(link);
  if (what === 'directory' && !isSkippedFolder(basename(link))) return 'skipped: a symbolic link to a folder; the scan does not follow links (SECURITY.md), so nothing behind it is checked or counted here';
  if (what === 'file' && POLICY_FILE_PATTERN.test(link)) return 'skipped: a symbolic link to a file; the scan does not follow links (SECURITY.md), so it is not checked or counted here';
  return undefined;
}

/**
 * A folder with no tenant around it and no policy file under it is a mistake (a wrong path in CI must not pass): a
 * usage error. YAML and JSON that are not policies (a docker-compose.yaml, a package.json) are nothing to check.
 */
export function checkBareFolders(plan: CheckPlan, problems: ScanProblem[], isCheckable: (file: string) => boolean, notes: readonly { path: string; message: string }[] = []): void {
  for (const b of plan.bare) {
    const unreadable = problems.some((p) => isInside(b.folder, p.path));
    if (b.files.some(isCheckable) || unreadable) continue;
    // A manifest under another name (`zerotrust.yml`) is the likely mistake: name it.
    const lookalike = b.files.find(isManifestLookalike);
    const hint = lookalike ? ` (found ${relative(b.folder, lookalike)}, but the manifest must be named ${MANIFEST_FILE})` : '';
    // A file the scan skipped there (over the size limit, `noteOverSizeOutsideTenants`): the usage error ends the run
    // before the notes are printed, so it says them itself, with the size, the limit and the flag.
    const skipped = notes.filter((n) => isInside(b.folder, n.path) && n.message.startsWith('skipped: ')).map((n) => `; ${relative(b.folder, n.path)} was ${n.message}`);
    throw new UsageError(`no tenant folder or policy file under ${b.raw}${hint}${skipped.join('')}`);
  }
}

/**
 * Whether a file found in a folder outside every tenant is something checked: a manifest, a policy of one of the kinds,
 * or a file that did not parse but may hold a policy (what the store's view of the files in no tenant holds). A file of
 * another `kind` (a `kind: Tenant` in a `zerotrust.yml`, a Kustomization) is not checked there, so it is not counted.
 */
export function isCheckable(service: PolicyService, file: string): boolean {
  const facts = service.get(file);
  if (!facts) return false;
  return facts.type === 'manifest' || (facts.type === 'policy' && !!facts.kind) || mayHoldPolicyOutsideTenant(facts);
}

/**
 * Say each file over the size limit that a folder scan met outside every tenant and does not check: its first bytes
 * show no policy (`mayHoldPolicyOutsideTenant`), so it gets no finding, but a scan must not pass it by in silence (it
 * may be a policy after all, exported with a long preamble). One note each on stderr, with the limit and the flag; the
 * exit status stays. Files named on the command line are checked whatever they hold, so they are not among them.
 */
export function noteOverSizeOutsideTenants(session: Session, files: string[], explicit: string[]): void {
  const named = new Set(explicit);
  const { service } = session;
  for (const f of files) {
    const facts = service.get(f);
    const size = facts && overSize(facts);
    if (size === undefined || named.has(f) || service.tenantRootOf(f) !== undefined || isCheckable(service, f)) continue;
    const message = tooLargeMessage(size, service.maxFileSize);
    session.notes.push({ path: f, message: `skipped: ${message.replace(/, so it is not analysed/, '')}; it is in no tenant folder and its first ${TOO_LARGE_HEAD_BYTES / 1024} KB show no policy, so it is not checked` });
  }
}

/** Load what a plan found, in this thread. */
export async function loadPlan(session: Session, plan: CheckPlan): Promise<CheckLoad> {
  for (const f of plan.explicit) session.service.markExplicit(f);
  await loadFiles(session, plan.files);
  noteOverSizeOutsideTenants(session, plan.files, plan.explicit);
  checkBareFolders(plan, session.problems, (f) => isCheckable(session.service, f), session.notes);
  return { ...session, scopes: plan.scopes };
}

/** Load what `ztp check <paths>` checks, in this thread. */
export async function loadPaths(session: Session, paths: string[], io: CliIO): Promise<CheckLoad> {
  return loadPlan(session, await planPaths(session, paths, io));
}

/**
 * The tenant folder a command works on. `exact`: `path` must itself be a tenant folder (`ztp export`); otherwise
 * the tenant at or above it (a folder, the manifest, or any file in the tenant).
 */
export async function findTenant(path: string, io: CliIO, exact = false): Promise<string> {
  const abs = resolve(io.cwd, path);
  const what = await entryKind(abs);
  if (exact) {
    if (what !== 'directory') throw new UsageError(`no such folder: ${path}`);
    if ((await entryKind(join(abs, MANIFEST_FILE))) !== 'file') throw new UsageError(`${path} is not a tenant folder (it has no ${MANIFEST_FILE})${await tenantsBelow(abs, io)}`);
    return normalizeSlashes(abs);
  }
  if (what === 'missing') throw new UsageError(`no such file or folder: ${path}`);
  const root = await tenantRootAt(what === 'directory' ? abs : dirname(abs));
  if (!root) {
    const below = what === 'directory' ? await tenantsBelow(abs, io) : '';
    throw new UsageError(below ? `${path} is not a tenant folder${below}` : `${path} is in no tenant folder (a folder with a ${MANIFEST_FILE})`);
  }
  return root;
}

/** Tenant folders named in a usage error at most; the rest are counted. */
const TENANTS_LISTED = 5;

/**
 * The tenant folders below a folder given to a command that works on one tenant (an MSP workspace's root holds one
 * per client), as the rest of a usage error: "; it holds 3 tenant folders: a, b, c; give one of them". Found by the
 * store's own discovery (dot-folders and node_modules skipped), shown as the user would type them. Empty when none.
 */
async function tenantsBelow(abs: string, io: CliIO): Promise<string> {
  const files = await openSession(io).service.discover(normalizeSlashes(abs));
  const roots = files.filter((f) => basename(f) === MANIFEST_FILE).map((f) => escapeControls(shownPath(io.cwd, dirname(f))));
  if (!roots.length) return '';
  const listed = roots.slice(0, TENANTS_LISTED).join(', ');
  const more = roots.length > TENANTS_LISTED ? ` and ${roots.length - TENANTS_LISTED} more` : '';
  return roots.length === 1 ? `; it holds one tenant folder, ${listed}: give that folder` : `; it holds ${roots.length} tenant folders (${listed}${more}): give one of them`;
}

/** A tenant loaded on its own. */
export interface TenantLoad extends Session {
  root: string;
  /** Nested tenant folders are tenants of their own: the view holds only this one's files. */
  view: TenantView;
}

/** Discover and read every file of one tenant folder (files over `maxFileSize`, in bytes, are not analysed). */
export async function loadTenant(root: string, io: CliIO, options: Pick<PolicyServiceOptions, 'maxFileSize'> = {}): Promise<TenantLoad> {
  const session = openSession(io, options);
  await loadFiles(session, await session.service.discover(root, session.problems));
  return { ...session, root, view: session.service.view(root) };
}

/**
 * `ztp import` and `ztp export`: Graph exports in, Graph request bodies out. Thin: the conversions are in
 * `core/interop.ts`; this file reads and writes the files and says what happened (stdout), and what could not be
 * done or mapped (stderr).
 */
import { promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Document, isMap, isSeq, parseDocument, YAMLMap } from 'yaml';
import { parseBytes, parseText } from '../core/document';
import { collectFacts, MANIFEST_FILE, type ManifestFacts, type PolicyFacts } from '../core/facts';
import { conventionalFolder, rawPolicyName, slugName } from '../core/graph';
import { classifyExportFile, exportFileName, exportPolicy, importPolicy, tenantFactsOf, type ExportedTenantFacts, type ImportNote } from '../core/interop';
import { LICENSE_IDS } from '../core/licenses';
import { normalizeSlashes, relative } from '../core/paths';
import { PLATFORMS, type Platform } from '../core/platforms';
import { createPolicyService, isSkippedFolder } from '../core/workspace';
import { nodeFileSystemSync as nodeFileSystem } from '../host/node-fs';
import type { CliIO } from './main';
import { checkWriteTarget, writeAll, type PlannedWrite } from '../host/confined-write';
import { escapeControls, printablePath } from './format';

/** Names Windows reserves for devices, with any extension (`CON`, `con.json`, `LPT1.yaml`…). */
const RESERVED_NAME = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;

/**
 * A file name stem derived safely from a policy name: only letters, digits, `.`, `_` and `-` (no separators, `..`,
 * NUL or control characters), no leading or trailing dot, at most 100 characters (a longer name gets a short hash,
 * so two long names stay apart), and never a reserved device name. `taken` (lower-cased) keeps names unique on
 * case-insensitive file systems.
 */
export function safeFileStem(name: string | undefined, taken: Set<string>, fallback = 'policy'): string {
  const raw = name ?? '';
  let stem = raw.normalize('NFC').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.\s-]+|[.\s-]+$/g, '').replace(/\.{2,}/g, '.');
  if (stem.length > 100) stem = `${stem.slice(0, 90).replace(/[.-]+$/, '')}-${shortHash(raw)}`;
  if (!stem) stem = fallback;
  // Windows reserves the name before the first dot (`con.txt` is CON too).
  if (RESERVED_NAME.test(stem.split('.')[0]!)) stem = stem.replace(/^[^.]*/, (m) => `${m}-policy`);
  let unique = stem;
  for (let i = 2; taken.has(unique.toLowerCase()); i++) unique = `${stem}-${i}`;
  taken.add(unique.toLowerCase());
  return unique;
}

function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** A mistake in the command line: one line on stderr, exit status 2. */
class InteropUsageError extends Error {}

export const IMPORT_HELP = `ztp import <export-folder> --out <tenant-folder> [--format yaml|json] [--license <id>]… [--force]
  Turns Graph exports (IntuneManagement, Graph Explorer, scripts: JSON, UTF-8 or UTF-16) into policy files.
  Group ids become names through a MigrationTable.json, exported groups (displayName + id) or the manifest;
  zerotrust.yaml is created or extended with the groups found. Files that are not one of the kinds are skipped,
  and listed. Exit status: 0 all imported and mapped, 1 something was not (see stderr), 2 a usage or I/O problem.`;

export const EXPORT_HELP = `ztp export <tenant-folder> --out <folder>
  Writes one JSON file per policy: the Graph request body, its endpoint and API version, and the assign call
  (group names become the manifest's ids). Endpoint DLP is written as Security & Compliance PowerShell calls.
  Exit status: 0 written, 1 nothing written because something cannot be exported (listed on stderr), 2 usage or I/O.`;

interface ImportArgs {
  source: string;
  out: string;
  format: 'yaml' | 'json';
  licenses: string[];
  force: boolean;
}

function takeValue(args: string[], i: number, name: string): [string, number] {
  const a = args[i]!;
  const eq = a.indexOf('=');
  if (eq >= 0) return [a.slice(eq + 1), i];
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new InteropUsageError(`${name} needs a value`);
  return [v, i + 1];
}

function parseImportArgs(args: string[]): ImportArgs {
  let source: string | undefined;
  let out: string | undefined;
  let format: 'yaml' | 'json' = 'yaml';
  const licenses: string[] = [];
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--out' || a.startsWith('--out=')) [out, i] = takeValue(args, i, '--out');
    else if (a === '--format' || a.startsWith('--format=')) {
      let v: string;
      [v, i] = takeValue(args, i, '--format');
      if (v !== 'yaml' && v !== 'json') throw new InteropUsageError(`unknown format '${v}'; use yaml or json`);
      format = v;
    } else if (a === '--license' || a.startsWith('--license=')) {
      let v: string;
      [v, i] = takeValue(args, i, '--license');
      for (const id of v.split(',').map((x) => x.trim()).filter(Boolean)) {
        if (!(LICENSE_IDS as string[]).includes(id)) throw new InteropUsageError(`unknown licence '${id}'; use one of ${LICENSE_IDS.join(', ')}`);
        licenses.push(id);
      }
    } else if (a === '--force') force = true;
    else if (a.startsWith('-')) throw new InteropUsageError(`unknown option '${a}'; see ztp import --help`);
    else if (source === undefined) source = a;
    else throw new InteropUsageError(`ztp import takes one export folder, not also '${a}'`);
  }
  if (!source) throw new InteropUsageError('ztp import needs an export folder: ztp import <export-folder> --out <tenant-folder>');
  if (!out) throw new InteropUsageError('ztp import needs --out <tenant-folder>');
  return { source, out, format, licenses: [...new Set(licenses)], force };
}

async function statOf(p: string): Promise<'file' | 'directory' | undefined> {
  try {
    const s = await fs.stat(p);
    return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON files below a folder (dot-folders and node_modules skipped), sorted. */
async function jsonFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!isSkippedFolder(e.name)) stack.push(p);
      } else if (e.isFile() && /\.json$/i.test(e.name)) out.push(p);
    }
  }
  return out.sort();
}

interface FoundGroup {
  id: string;
  name: string;
  from: string;
  /** From a migration table (else an exported group file). */
  table: boolean;
}

function groupBy<T>(list: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
  return out;
}

/** A path as the user would write it: relative to the current folder when inside it, else absolute. */
function shown(cwd: string, p: string): string {
  const r = relative(normalizeSlashes(cwd), normalizeSlashes(p));
  return r.startsWith('..') ? normalizeSlashes(p) : r;
}

/** Render a policy file. YAML gets a header that says where it came from. */
function renderPolicy(doc: Record<string, unknown>, format: 'yaml' | 'json', header: string[]): string {
  if (format === 'json') return JSON.stringify(doc, null, 2) + '\n';
  const d = new Document(doc);
  d.commentBefore = header.map((h) => ` ${h}`).join('\n');
  return d.toString({ lineWidth: 0 });
}

/** Read an existing manifest's groups (name and id) without judging the rest of it. */
function manifestGroups(text: string): { name: string; id?: string }[] {
  const facts = collectFacts(parseText(MANIFEST_FILE, text));
  return facts.type === 'manifest' ? facts.groups.map((g) => ({ name: g.name, id: g.id })) : [];
}

const BREAK_GLASS = /break[\s_-]*glass|emergency[\s_-]*access/i;

export async function importCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(IMPORT_HELP + '\n');
    return 0;
  }
  try {
    return await runImport(parseImportArgs(argv), io);
  } catch (e) {
    if (e instanceof InteropUsageError) {
      io.stderr(`ztp import: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    io.stderr(`ztp import: ${escapeControls(`${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`)}\n`);
    return 2;
  }
}

async function runImport(args: ImportArgs, io: CliIO): Promise<number> {
  const source = resolve(io.cwd, args.source);
  const out = resolve(io.cwd, args.out);
  if ((await statOf(source)) !== 'directory') throw new InteropUsageError(`no such folder: ${args.source}`);
  if ((await statOf(out)) === 'file') throw new InteropUsageError(`--out must be a folder: ${args.out}`);
  const rel = (p: string): string => relative(normalizeSlashes(source), normalizeSlashes(p));
  const relOut = (p: string): string => shown(io.cwd, p);

  const manifestPath = join(out, MANIFEST_FILE);
  const manifestText = (await statOf(manifestPath)) === 'file' ? await fs.readFile(manifestPath, 'utf8') : undefined;
  const existing = manifestText ? manifestGroups(manifestText) : [];

  // Read and sort every file of the export.
  const skipped: { file: string; reason: string }[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const policies: { file: string; kind: Parameters<typeof importPolicy>[0]; value: Record<string, unknown> }[] = [];
  const found: FoundGroup[] = [];
  // Tenant-wide facts the export shows (push certificate, Google Play binding, compliance settings).
  const facts: ExportedTenantFacts = {};
  for (const file of await jsonFiles(source)) {
    const parsed = parseBytes(file, await fs.readFile(file));
    if (parsed.syntaxErrors.length || parsed.value === undefined) {
      unreadable.push({ file: rel(file), reason: `could not be read: ${parsed.syntaxErrors[0]?.message ?? 'no JSON value'}` });
      continue;
    }
    const learned = tenantFactsOf(parsed.value);
    if (learned) {
      Object.assign(facts, learned);
      continue;
    }
    const c = classifyExportFile(parsed.value);
    if (c.type === 'policy') policies.push({ file, kind: c.kind, value: parsed.value as Record<string, unknown> });
    else if (c.type === 'group') found.push({ id: c.id.toLowerCase(), name: c.name, from: rel(file), table: false });
    else if (c.type === 'migration-table') for (const g of c.groups) found.push({ id: g.id.toLowerCase(), name: g.name, from: rel(file), table: true });
    else if (c.type === 'native') skipped.push({ file: rel(file), reason: 'already a policy file of this format (has `kind` and `spec`); copy it as it is' });
    else skipped.push({ file: rel(file), reason: c.reason });
  }

  // Group ids → names: the manifest first, then migration tables (written with the policies, so their names are the
  // ones the policies knew), then exported group files. An id with two names in the export is said on stderr. Two
  // groups with one display name get the id's first block added, so names stay unique.
  const names = new Map<string, string>();
  for (const g of existing) if (g.id) names.set(g.id.toLowerCase(), g.name);
  const taken = new Set(existing.map((g) => g.name));
  const ordered = [...found].sort((a, b) => Number(!a.table) - Number(!b.table));
  const conflicts: { file: string; note: ImportNote }[] = [];
  for (const [id, list] of groupBy(found, (g) => g.id)) {
    const distinct = [...new Set(list.map((g) => g.name))];
    if (distinct.length < 2) continue;
    const chosen = names.get(id) ?? ordered.find((g) => g.id === id)!.name;
    conflicts.push({ file: list.map((g) => g.from).join(', '), note: { where: `group ${id}`, message: `has ${distinct.length} names in the export (${distinct.map((n) => `"${n}"`).join(', ')}); "${chosen}" is used` } });
  }
  const newGroups: { name: string; id: string }[] = [];
  const idForExistingName = new Map<string, string>();
  for (const g of ordered) {
    if (names.has(g.id)) continue;
    let name = g.name.trim() || g.id;
    const sameName = existing.find((e) => e.name === name);
    if (sameName && !sameName.id) {
      // The manifest lists the group by name without an id: this export supplies it.
      idForExistingName.set(name, g.id);
      names.set(g.id, name);
      continue;
    }
    if (taken.has(name)) name = `${name} (${g.id.slice(0, 8)})`;
    taken.add(name);
    names.set(g.id, name);
    newGroups.push({ name, id: g.id });
  }

  // Convert the policies.
  const used = new Set<string>();
  const unmapped: { file: string; note: ImportNote }[] = [];
  const notes: { file: string; note: ImportNote }[] = [];
  const written: { file: string; from: string; kind: string }[] = [];
  const refused: { file: string; reason: string }[] = [];
  const ext = args.format === 'json' ? 'json' : 'yaml';
  const planned: PlannedWrite[] = [];
  const plannedFrom = new Map<string, { from: string; kind: string }>();
  const stems = new Set<string>();
  // --out is the folder the user named: create it first, so the writes below resolve inside it.
  if (policies.length) await fs.mkdir(out, { recursive: true });
  for (const p of policies) {
    const wanted = safeFileStem(rawPolicyName(p.value, basename(p.file)), new Set());
    let name = wanted;
    for (let i = 2; used.has(name); i++) name = `${wanted}-${i}`;
    used.add(name);
    stems.add(name);
    const imported = importPolicy(p.kind, p.value, name, (id) => names.get(id));
    for (const n of imported.unmapped) unmapped.push({ file: rel(p.file), note: n });
    for (const n of imported.notes) notes.push({ file: rel(p.file), note: n });
    const spec = imported.doc.spec as Record<string, unknown>;
    const dest = join(out, conventionalFolder(p.kind, spec), `${name}.${ext}`);
    // Confined to --out: the path is resolved (links included) before anything is written.
    const checked = checkWriteTarget(dest, out, { mode: args.force ? 'overwrite' : 'create', writable: true });
    if (!checked.ok) {
      refused.push({ file: relOut(dest), reason: checked.exists ? 'exists; not overwritten (use --force)' : `not written: ${escapeControls(checked.reason)}` });
      continue;
    }
    const header = [`Imported by ztp import from ${normalizeSlashes(rel(p.file))}.`, 'Read-only fields (ids, timestamps, OData annotations) were left out; every setting is as exported.'];
    planned.push({ path: dest, real: checked.real, content: renderPolicy(imported.doc, args.format, header), mode: args.force ? 'overwrite' : 'create', missingDirs: checked.missingDirs });
    plannedFrom.set(dest, { from: rel(p.file), kind: p.kind });
  }
  if (planned.length) {
    const outcome = writeAll(planned);
    if (outcome.failure) {
      throw new Error(`could not write ${relOut(outcome.failure.path)} (${outcome.failure.reason}); ${outcome.notUndone.length ? `these changes could not be undone: ${outcome.notUndone.join(', ')}` : 'nothing was written'}`);
    }
    for (const w of planned) written.push({ file: relOut(w.path), ...plannedFrom.get(w.path)! });
  }

  // The manifest: created, or extended with the groups found.
  const manifestChange = await writeManifest(out, manifestPath, manifestText, newGroups, idForExistingName, args, relOut, facts);

  // Report: what was written on stdout; what was skipped, not mapped or not written on stderr.
  const byKind = new Map<string, number>();
  for (const w of written) byKind.set(w.kind, (byKind.get(w.kind) ?? 0) + 1);
  const lines = [`imported ${written.length} ${written.length === 1 ? 'policy' : 'policies'} into ${relOut(out)}${byKind.size ? ` (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}`];
  for (const w of written) lines.push(`  ${w.file}  ← ${w.from}`);
  const groupFiles = new Set(found.map((g) => g.from));
  const groupIds = new Set(found.map((g) => g.id));
  if (found.length) lines.push(`read ${groupIds.size} ${groupIds.size === 1 ? 'group' : 'groups'} from ${groupFiles.size} ${groupFiles.size === 1 ? 'file' : 'files'} (exported groups and migration tables)`);
  if (manifestChange) lines.push(manifestChange);
  // Paths and names come from the export: nothing in them may act on the terminal.
  io.stdout(lines.map(escapeControls).join('\n') + '\n');
  const err: string[] = [];
  if (skipped.length) {
    err.push(`ztp import: skipped ${skipped.length} ${skipped.length === 1 ? 'file' : 'files'} that ${skipped.length === 1 ? 'is' : 'are'} not one of the policy kinds:`);
    for (const s of skipped) err.push(`  ${s.file}: ${s.reason}`);
  }
  if (unreadable.length) {
    err.push(`ztp import: could not read ${unreadable.length} ${unreadable.length === 1 ? 'file' : 'files'}:`);
    for (const s of unreadable) err.push(`  ${s.file}: ${s.reason}`);
  }
  if (unmapped.length) {
    err.push(`ztp import: could not map ${unmapped.length} group ${unmapped.length === 1 ? 'id' : 'ids'} to a name (kept as ids; add the groups to ${MANIFEST_FILE} with their names):`);
    for (const u of unmapped) err.push(`  ${u.file}: ${u.note.where}: ${u.note.message}`);
  }
  if (refused.length) {
    err.push(`ztp import: did not write ${refused.length} ${refused.length === 1 ? 'file' : 'files'}:`);
    for (const r of refused) err.push(`  ${r.file}: ${r.reason}`);
  }
  if (notes.length || conflicts.length) {
    err.push('ztp import: notes:');
    for (const n of [...conflicts, ...notes]) err.push(`  ${n.file}: ${n.note.where}: ${n.note.message}`);
  }
  if (err.length) io.stderr(err.map(escapeControls).join('\n') + '\n');
  return unmapped.length || unreadable.length || refused.length ? 1 : 0;
}

/** Create the manifest, or add the new groups (and ids found for listed groups) to the one there. */
async function writeManifest(
  out: string,
  manifestPath: string,
  text: string | undefined,
  groups: { name: string; id: string }[],
  ids: Map<string, string>,
  args: ImportArgs,
  relOut: (p: string) => string,
  facts: ExportedTenantFacts = {},
): Promise<string | undefined> {
  const sorted = [...groups].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  if (text === undefined) {
    const platforms = await importedPlatforms(out);
    const breakGlass = sorted.filter((g) => BREAK_GLASS.test(g.name)).map((g) => g.name);
    const value: Record<string, unknown> = { kind: 'Tenant', name: slugName(basename(out)) || 'tenant', licenses: args.licenses };
    if (platforms.length) value.platforms = platforms;
    if (sorted.length) value.groups = sorted.map((g) => ({ name: g.name, id: g.id }));
    if (breakGlass.length) value.breakGlass = { groups: breakGlass };
    if (Object.keys(facts).length) value.settings = { ...facts };
    const d = new Document(value);
    const header = [
      ` Created by ztp import from ${basename(resolve(args.source))}.`,
      args.licenses.length ? ' Licences as given with --license.' : ' TODO: list the licences the tenant holds (license-missing checks nothing until you do).',
      platforms.length ? ' Platforms: those the imported policies name.' : ' No platforms: the imported policies name none, so `all` means every platform.',
    ];
    if (sorted.length) header.push(' Groups: names from the export (migration table, exported groups); ids as in Entra.');
    if (breakGlass.length) header.push(' breakGlass: groups whose name says break-glass or emergency access; check them.');
    const undeclared = [
      ...(breakGlass.length ? [] : ['breakGlass']),
      ...(facts.secureByDefault === undefined ? ['settings.secureByDefault'] : []),
      ...(facts.applePushCertificate ? [] : ['settings.applePushCertificate']),
      ...(facts.androidEnterprise ? [] : ['settings.androidEnterprise.bindStatus']),
    ];
    if (Object.keys(facts).length) header.push(` settings: ${Object.keys(facts).join(', ')} as the export shows them.`);
    if (undeclared.length) {
      header.push(` Not declared, because the export does not show them: ${undeclared.join(', ')}.`);
      header.push(' Unknown is not false: the checks that need them stay silent and say (undeclared-fact) what to declare.');
    }
    d.commentBefore = header.join('\n');
    await fs.mkdir(out, { recursive: true });
    writeConfined(manifestPath, out, d.toString({ lineWidth: 0 }), 'create');
    return `created ${relOut(manifestPath)} with ${sorted.length} groups${breakGlass.length ? ` (break-glass: ${breakGlass.join(', ')})` : ''}${args.licenses.length ? '' : '; add the tenant\'s licences to it'}`;
  }
  if (!sorted.length && !ids.size) return undefined;
  const d = parseDocument(text);
  if (d.errors.length || !isMap(d.contents)) return `${MANIFEST_FILE} could not be extended (it does not parse as a mapping); add these groups by hand: ${sorted.map((g) => `${g.name} (${g.id})`).join(', ')}`;
  let seq = d.get('groups');
  if (!isSeq(seq)) {
    d.set('groups', d.createNode([]));
    seq = d.get('groups');
  }
  if (isSeq(seq)) {
    for (const item of seq.items) {
      if (isMap(item)) {
        const name = item.get('name');
        if (typeof name === 'string' && ids.has(name) && !item.has('id')) item.set('id', ids.get(name));
      }
    }
    for (const g of sorted) {
      const m = new YAMLMap();
      m.set('name', g.name);
      m.set('id', g.id);
      seq.items.push(m);
    }
  }
  writeConfined(manifestPath, out, d.toString({ lineWidth: 0 }), 'replace');
  return `extended ${MANIFEST_FILE}: ${sorted.length} groups added${ids.size ? `, ids for ${[...ids.keys()].join(', ')}` : ''}`;
}

/** Write one file inside `root` (checked first, links resolved); throws with the reason when it may not. */
function writeConfined(path: string, root: string, content: string, mode: 'create' | 'replace'): void {
  const checked = checkWriteTarget(path, root, { mode, writable: true });
  if (!checked.ok) throw new Error(`${MANIFEST_FILE} not written: ${checked.reason}`);
  const outcome = writeAll([{ path, real: checked.real, content, mode, missingDirs: checked.missingDirs }]);
  if (outcome.failure) throw new Error(`could not write ${path} (${outcome.failure.reason})`);
}

/** The platforms the policies now in the tenant folder name (a CA policy on all platforms names none). */
async function importedPlatforms(out: string): Promise<Platform[]> {
  const service = createPolicyService({ fs: nodeFileSystem });
  const files = (await statOf(out)) === 'directory' ? await service.discover(normalizeSlashes(out)) : [];
  const set = new Set<Platform>();
  for (const f of files) {
    const facts = await service.load(f);
    if (facts.type === 'policy' && facts.kind && !facts.allPlatforms) for (const p of facts.platforms) set.add(p);
  }
  return PLATFORMS.filter((p) => set.has(p));
}

// ---------------------------------------------------------------------------------------------------------------

interface ExportArgs {
  tenant: string;
  out: string;
}

function parseExportArgs(args: string[]): ExportArgs {
  let tenant: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--out' || a.startsWith('--out=')) [out, i] = takeValue(args, i, '--out');
    else if (a.startsWith('-')) throw new InteropUsageError(`unknown option '${a}'; see ztp export --help`);
    else if (tenant === undefined) tenant = a;
    else throw new InteropUsageError(`ztp export takes one tenant folder, not also '${a}'`);
  }
  if (!tenant) throw new InteropUsageError('ztp export needs a tenant folder: ztp export <tenant-folder> --out <folder>');
  if (!out) throw new InteropUsageError('ztp export needs --out <folder>');
  return { tenant, out };
}

export async function exportCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(EXPORT_HELP + '\n');
    return 0;
  }
  try {
    return await runExport(parseExportArgs(argv), io);
  } catch (e) {
    if (e instanceof InteropUsageError) {
      io.stderr(`ztp export: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    io.stderr(`ztp export: ${escapeControls(`${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`)}\n`);
    return 2;
  }
}

async function runExport(args: ExportArgs, io: CliIO): Promise<number> {
  const root = normalizeSlashes(resolve(io.cwd, args.tenant));
  const out = resolve(io.cwd, args.out);
  if ((await statOf(root)) !== 'directory') throw new InteropUsageError(`no such folder: ${args.tenant}`);
  if ((await statOf(join(root, MANIFEST_FILE))) !== 'file') throw new InteropUsageError(`${args.tenant} is not a tenant folder (it has no ${MANIFEST_FILE})`);
  if ((await statOf(out)) === 'file') throw new InteropUsageError(`--out must be a folder: ${args.out}`);
  const service = createPolicyService({ fs: io.fs ?? nodeFileSystem });
  for (const f of await service.discover(root)) await service.load(f);
  const view = service.view(root);
  const manifest: ManifestFacts | undefined = view.manifest;
  const rel = (p: string): string => relative(root, p);
  const errors: string[] = [];
  const warnings: string[] = [];
  const outputs: { name: string; content: Record<string, unknown>; policy: PolicyFacts }[] = [];
  const names = new Set<string>();
  const fileNames = new Set<string>();
  const upns = new Map<string, string[]>();
  if (manifest?.parsed.syntaxErrors.length) errors.push(`${MANIFEST_FILE}: does not parse (${manifest.parsed.syntaxErrors[0]!.message})`);
  for (const p of view.policies) {
    const where = rel(p.path);
    if (p.parsed.syntaxErrors.length) {
      errors.push(`${where}: does not parse (${p.parsed.syntaxErrors[0]!.message})`);
      continue;
    }
    if (!p.kind) {
      warnings.push(`${where}: skipped, its \`kind\` is missing or unknown`);
      continue;
    }
    if (p.schemaIssues.length) warnings.push(`${where}: ${p.schemaIssues.length} schema ${p.schemaIssues.length === 1 ? 'error' : 'errors'}; Graph may refuse the body (run ztp check)`);
    const r = exportPolicy(p, manifest, where);
    for (const e of r.errors) errors.push(`${where}: ${e}`);
    // User principal names are said once each, below, not once per place.
    for (const w of r.warnings) if (!/is a user principal name/.test(w)) warnings.push(`${where}: ${w}`);
    for (const u of r.userPrincipalNames ?? []) upns.set(u, [...(upns.get(u) ?? []), p.name ?? where].filter((x, i, a) => a.indexOf(x) === i));
    if (!r.content) continue;
    if (names.has(exportFileName(p))) {
      errors.push(`${where}: another policy is also named \`${escapeControls(String(p.name))}\`; names must be unique in the tenant`);
      continue;
    }
    names.add(exportFileName(p));
    // The file name comes from the policy's name, an untrusted string: made safe, and unique ignoring case.
    const name = `${safeFileStem(p.name, fileNames)}.json`;
    outputs.push({ name, content: r.content, policy: p });
  }
  if (upns.size) {
    warnings.push(
      `${upns.size} user principal ${upns.size === 1 ? 'name stays' : 'names stay'} in Conditional Access users, where Graph takes object ids; replace ${upns.size === 1 ? 'it' : 'them'} before sending (each file's notes say where): ${[...upns].map(([u, ps]) => `${u} (${ps.join(', ')})`).join('; ')}`,
    );
  }
  if (warnings.length) io.stderr(warnings.map((w) => `ztp export: warning: ${escapeControls(w)}`).join('\n') + '\n');
  if (errors.length) {
    io.stderr(`ztp export: nothing written; ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'} to fix first:\n${errors.map((e) => `  ${escapeControls(e)}`).join('\n')}\n`);
    return 1;
  }
  await fs.mkdir(out, { recursive: true });
  // Plan every file first, each resolved (links included) and checked to be inside --out; then write them all.
  const plan: PlannedWrite[] = [];
  const refusedOut: string[] = [];
  for (const o of outputs) {
    const dest = join(out, o.name);
    const checked = checkWriteTarget(dest, out, { mode: 'overwrite', writable: true });
    if (!checked.ok) refusedOut.push(`${printablePath(o.name)}: ${escapeControls(checked.reason)}`);
    else plan.push({ path: dest, real: checked.real, content: JSON.stringify(o.content, null, 2) + '\n', mode: 'overwrite', missingDirs: checked.missingDirs });
  }
  if (refusedOut.length) {
    io.stderr(`ztp export: nothing written; ${refusedOut.length} ${refusedOut.length === 1 ? 'file' : 'files'} would be written outside ${printablePath(shown(io.cwd, out))} or over something that is not a file:\n${refusedOut.map((e) => `  ${e}`).join('\n')}\n`);
    return 2;
  }
  const outcome = writeAll(plan);
  if (outcome.failure) {
    io.stderr(`ztp export: could not write ${printablePath(shown(io.cwd, outcome.failure.path))} (${escapeControls(outcome.failure.reason)}); ${outcome.notUndone.length ? `these changes could not be undone: ${outcome.notUndone.map(escapeControls).join(', ')}` : 'nothing was written'}\n`);
    return 2;
  }
  const lines = [`exported ${outputs.length} ${outputs.length === 1 ? 'policy' : 'policies'} to ${printablePath(shown(io.cwd, out))}`];
  for (const o of outputs) lines.push(`  ${o.name}  ${escapeControls(String(o.content.endpoint ?? 'Security & Compliance PowerShell'))}`);
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

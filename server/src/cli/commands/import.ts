/**
 * `ztp import`: Graph exports in, policy files out. Thin: the plan (what to write, the manifest's groups, what to
 * say) is the core's (`planImport`, `planManifest`); this reads the export folder through `io.fs`, writes the plan
 * confined to `--out`, and says what happened (stdout) and what could not be done or mapped (stderr).
 */
import { promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { IMPORT_FOREIGN_FILE_PATTERN, IMPORTABLE, LICENSE_IDS, MICROSOFT365DSC_ADVICE, MANIFEST_FILE, normalizeSlashes, planImport, planManifest, platformsOf, readErrorReason, type ExportFolderFile, type ImportPlan, type Platform } from '../../core/index';
import { checkWriteTarget, writeAll, type PlannedWrite } from '../../host/confined-write';
import { formatOption, lastValue, onePositional, readArgs, UsageError } from '../args';
import { escapeControls, shownPath } from '../format';
import type { CliIO, Command } from '../io';
import { entryKind, fileSystem, loadFiles, openSession } from '../load';

const HELP = `ztp import <export-folder> --out <tenant-folder> [--format yaml|json] [--license <id>]… [--force]
  Turns Graph exports (IntuneManagement, Graph Explorer, scripts: JSON, UTF-8 or UTF-16) into policy files.
  Group ids become names through a MigrationTable.json, exported Entra groups (id, displayName and securityEnabled,
  groupTypes or mailNickname, or a list whose @odata.context names groups) or the manifest;
  zerotrust.yaml is created or extended with the groups found. Files that are not one of the kinds are skipped,
  and listed. Exit status: 0 every policy imported and every group id mapped (files skipped because no check
  reads their type do not change it); 1 a file could not be read, a group id was not mapped, a policy exported with
  $select was kept raw, or a file was not written (see stderr); 2 a usage or I/O problem (an export folder with
  nothing to import is one).`;

interface ImportArgs {
  source: string;
  out: string;
  format: 'yaml' | 'json';
  licenses: string[];
  force: boolean;
}

function parseImportArgs(argv: string[]): ImportArgs {
  const a = readArgs(argv, { values: ['--out', '--format', '--license'], flags: ['--force'] }, 'import');
  const format = formatOption(lastValue(a, '--format'), ['yaml', 'json'], 'yaml');
  const licenses: string[] = [];
  for (const id of (a.values.get('--license') ?? []).flatMap((v) => v.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!LICENSE_IDS.includes(id)) throw new UsageError(`unknown licence '${id}'; use one of ${LICENSE_IDS.join(', ')}`);
    licenses.push(id);
  }
  const source = onePositional(a, 'export folder');
  if (!source) throw new UsageError('name the export folder: ztp import <export-folder> --out <tenant-folder>');
  const out = lastValue(a, '--out');
  if (!out) throw new UsageError('--out is required: the tenant folder to write the policy files to');
  return { source, out, format, licenses: [...new Set(licenses)], force: a.flags.has('--force') };
}

/**
 * Every `*.json` file below the export folder (dot-folders and node_modules skipped), and every PowerShell script, which
 * the plan names when it is a Microsoft365DSC configuration; read through `io.fs`.
 */
async function readExportFolder(source: string, io: CliIO): Promise<ExportFolderFile[]> {
  const session = openSession(io);
  const paths = (await session.service.discover(source, session.problems, undefined, EXPORT_FOLDER_FILE)).filter((p) => EXPORT_FOLDER_FILE.test(p));
  const problem = session.problems[0];
  if (problem) throw new Error(`${shownPath(io.cwd, problem.path)}: ${problem.message}`);
  const files: ExportFolderFile[] = [];
  for (const path of paths) {
    try {
      files.push({ path, bytes: await fileSystem(io).readFile(path) });
    } catch (e) {
      // Nothing is written from part of an export.
      throw new Error(`${shownPath(io.cwd, path)}: cannot read the file (${readErrorReason(e)})`);
    }
  }
  return files;
}

const JSON_FILE = /\.json$/i;
/** The files an export folder is read for: JSON exports, and scripts (`IMPORT_FOREIGN_FILE_PATTERN`). */
const EXPORT_FOLDER_FILE = new RegExp(`${JSON_FILE.source}|${IMPORT_FOREIGN_FILE_PATTERN.source}`, 'i');

/** The platforms the policies now in the tenant folder name (for a new manifest). */
async function tenantPlatforms(out: string, io: CliIO): Promise<Platform[]> {
  const session = openSession(io);
  await loadFiles(session, await session.service.discover(out, session.problems));
  return platformsOf(session.service.paths().map((p) => session.service.get(p)!));
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseImportArgs(argv);
  const source = resolve(io.cwd, args.source);
  const out = resolve(io.cwd, args.out);
  if ((await entryKind(source)) !== 'directory') throw new UsageError(`no such folder: ${args.source}`);
  if ((await entryKind(out)) === 'file') throw new UsageError(`--out must be a folder: ${args.out}`);
  const shown = (p: string): string => shownPath(io.cwd, p);
  const manifestPath = join(out, MANIFEST_FILE);
  const manifestText = (await entryKind(manifestPath)) === 'file' ? Buffer.from(await fileSystem(io).readFile(manifestPath)).toString('utf8') : undefined;

  const files = await readExportFolder(source, io);
  const plan = planImport(files, { source: normalizeSlashes(source), format: args.format, manifestText });
  if (!plan.importable) {
    writeProblems(plan, [], io);
    // Scripts are read only to tell a Microsoft365DSC configuration: the JSON files are what is counted.
    const json = files.filter((f) => JSON_FILE.test(f.path));
    const dsc = plan.skipped.filter((x) => !JSON_FILE.test(x.file));
    if (!json.length && dsc.length) {
      throw new UsageError(`nothing to import in ${args.source}: it holds no JSON file, but ${dsc.length > 1 ? `${dsc.length} Microsoft365DSC configurations` : 'a Microsoft365DSC configuration'} (${dsc.map((x) => x.file).join(', ')}); ${MICROSOFT365DSC_ADVICE}`);
    }
    // Files skipped with a reason of their own (above) are named there: the summary does not contradict it.
    const specific = plan.skipped.filter((x) => JSON_FILE.test(x.file) && !/^not a Graph export of a policy/.test(x.reason));
    if (specific.length && plan.skipped.length - dsc.length === json.length) throw new UsageError(`nothing to import in ${args.source}: ${json.length > 1 ? `each of its ${json.length} JSON files was skipped` : 'its one JSON file was skipped'}, for the reason given above`);
    const found = json.length > 1 ? `none of its ${json.length} JSON files is` : json.length ? 'its one JSON file is not' : 'it holds no JSON file; ztp import reads';
    throw new UsageError(`nothing to import in ${args.source}: ${found} ${IMPORTABLE}`);
  }

  // Policy files: each confined to --out (the path resolved, links included) before anything is written.
  const mode = args.force ? 'overwrite' : 'create';
  const planned: (PlannedWrite & { from: string; kind: string })[] = [];
  const refused: { file: string; reason: string }[] = [];
  // --out is the folder the user named: create it first, so the writes below resolve inside it.
  if (plan.policies.length || plan.selected.length || plan.kept.length) await fs.mkdir(out, { recursive: true });
  for (const p of plan.policies) {
    const dest = join(out, p.path);
    const checked = checkWriteTarget(dest, out, { mode, writable: true });
    if (!checked.ok) refused.push({ file: shown(dest), reason: checked.exists ? 'exists; not overwritten (use --force)' : `not written: ${checked.reason}` });
    else planned.push({ path: dest, real: checked.real, content: p.content, mode, missingDirs: checked.missingDirs, from: p.from, kind: p.kind });
  }
  // Policies exported with `$select`: written as the raw exports they are (the core's plan says why).
  const selected: (PlannedWrite & { from: string })[] = [];
  for (const p of plan.selected) {
    const dest = join(out, p.path);
    const checked = checkWriteTarget(dest, out, { mode, writable: true });
    if (!checked.ok) refused.push({ file: shown(dest), reason: checked.exists ? 'exists; not overwritten (use --force)' : `not written: ${checked.reason}` });
    else selected.push({ path: dest, real: checked.real, content: p.content, mode, missingDirs: checked.missingDirs, from: p.from });
  }
  // Resources no kind holds that the configuration checks read: copied as exported.
  const kept: (PlannedWrite & { from: string; what: string })[] = [];
  for (const k of plan.kept) {
    const dest = join(out, k.path);
    const checked = checkWriteTarget(dest, out, { mode, writable: true });
    if (!checked.ok) refused.push({ file: shown(dest), reason: checked.exists ? 'exists; not overwritten (use --force)' : `not written: ${checked.reason}` });
    else kept.push({ path: dest, real: checked.real, content: k.content, mode, missingDirs: checked.missingDirs, from: k.from, what: k.what });
  }
  const outcome = writeAll([...planned, ...selected, ...kept]);
  if (outcome.failure) throw new Error(`could not write ${shown(outcome.failure.path)} (${outcome.failure.reason}); ${outcome.notUndone.length ? `these changes could not be undone: ${outcome.notUndone.join(', ')}` : 'nothing was written'}`);

  // The manifest: created (with the platforms the tenant's policies now name), or extended with the groups found.
  const platforms = manifestText === undefined ? await tenantPlatforms(out, io) : [];
  const manifest = planManifest(plan, { text: manifestText, label: shown(manifestPath), tenantFolder: basename(out), sourceFolder: basename(source), licenses: args.licenses, platforms });
  if (manifest.write) {
    if (manifest.write.mode === 'create') await fs.mkdir(out, { recursive: true });
    const checked = checkWriteTarget(manifestPath, out, { mode: manifest.write.mode, writable: true });
    if (!checked.ok) throw new Error(`${MANIFEST_FILE} not written: ${checked.reason}`);
    const written = writeAll([{ path: manifestPath, real: checked.real, content: manifest.write.content, mode: manifest.write.mode, missingDirs: checked.missingDirs }]);
    if (written.failure) throw new Error(`could not write ${manifestPath} (${written.failure.reason})`);
  }

  // What was written on stdout; what was skipped, not mapped or not written on stderr.
  const byKind = new Map<string, number>();
  for (const w of planned) byKind.set(w.kind, (byKind.get(w.kind) ?? 0) + 1);
  const n = planned.length;
  const lines = [`imported ${n} ${n === 1 ? 'policy' : 'policies'} into ${shown(out)}${byKind.size ? ` (${[...byKind].map(([k, c]) => `${c} ${k}`).join(', ')})` : ''}`];
  for (const w of planned) lines.push(`  ${shown(w.path)}  ← ${w.from}`);
  if (selected.length) {
    lines.push(`kept ${selected.length} ${selected.length === 1 ? 'policy' : 'policies'} as raw Graph ${selected.length === 1 ? 'export' : 'exports'}: exported with \`$select\`, so not converted (see stderr)`);
    for (const w of selected) lines.push(`  ${shown(w.path)}  ← ${w.from}`);
  }
  if (kept.length) {
    // What reads them: the configuration and Defender onboarding checks (profiles, intents), the Conditional Access
    // checks (authentication strengths, named locations, authentication contexts, below `conditional-access/`).
    const inCa = (w: { path: string }): boolean => /^[\\/]?conditional-access[\\/]/.test(w.path.slice(out.length));
    const ca = kept.some(inCa);
    const other = kept.some((w) => !inCa(w));
    const readers = [...(other ? ['the configuration and Defender onboarding checks'] : []), ...(ca ? ['the Conditional Access checks'] : [])].join(' and ');
    lines.push(`kept ${kept.length} ${kept.length === 1 ? 'file' : 'files'} as exported (no policy kind holds them; ${readers} read them)`);
    for (const w of kept) lines.push(`  ${shown(w.path)}  ← ${w.from}: ${w.what}`);
  }
  const g = plan.groupsRead;
  if (g.ids) lines.push(`read ${g.ids} ${g.ids === 1 ? 'group' : 'groups'} from ${g.files} ${g.files === 1 ? 'file' : 'files'} (exported groups and migration tables)`);
  if (manifest.summary) lines.push(manifest.summary);
  // Paths and names come from the export: nothing in them may act on the terminal.
  io.stdout(lines.map(escapeControls).join('\n') + '\n');
  writeProblems(plan, refused, io);
  return plan.unmapped.length || plan.unreadable.length || plan.selected.length || refused.length ? 1 : 0;
}

/** Stderr: what was skipped, could not be read or mapped, was not written, and the notes. */
function writeProblems(plan: ImportPlan, refused: { file: string; reason: string }[], io: CliIO): void {
  const err: string[] = [];
  const files = (n: number): string => `${n} ${n === 1 ? 'file' : 'files'}`;
  if (plan.skipped.length) {
    // A list's items are skipped one by one, each with its reason ("item 2 of its list: …"), and its other items may be
    // imported: whole files and items are counted apart.
    const items = plan.skipped.filter((s) => /^item \d+ of its/.test(s.reason)).length;
    const whole = plan.skipped.length - items;
    const parts = [...(whole ? [`${files(whole)} that ${whole === 1 ? 'is' : 'are'} not one of the policy kinds`] : []), ...(items ? [`${items} ${items === 1 ? 'item' : 'items'} of lists`] : [])];
    err.push(`ztp import: skipped ${parts.join(', and ')}:`);
    for (const s of plan.skipped) err.push(`  ${s.file}: ${s.reason}`);
  }
  if (plan.unreadable.length) {
    err.push(`ztp import: could not read ${files(plan.unreadable.length)}:`);
    for (const s of plan.unreadable) err.push(`  ${s.file}: ${s.reason}`);
  }
  if (plan.selected.length) {
    // Loud: the export lacks the settings, and only a new export without `$select` brings them.
    const n = plan.selected.length;
    // A derived type's property (`microsoft.graph.windows10CompliancePolicy/bitLockerEnabled`) by its own name, once.
    const listed = (ps: string[]): string => {
      const names = [...new Set(ps.map((x) => x.replace(/^.*\//, '')))];
      return names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
    };
    err.push(
      `ztp import: ${n} ${n === 1 ? 'policy was' : 'policies were'} exported with \`$select\` (the export's \`@odata.context\` lists the only properties fetched), so a setting the export leaves out is unknown, not unset. ` +
        `${n === 1 ? 'It is' : 'They are'} kept as raw Graph exports, which the checks read as saying nothing about what they leave out, not converted to policy files. ` +
        'To import the settings, export again without `$select` (a plain GET of the collection, with `$expand=assignments`), delete the files below, and import the new export:',
    );
    for (const p of plan.selected) err.push(`  ${p.from}${p.wrapper ? ` (${p.wrapper})` : ''} → ${p.path}: only ${listed(p.properties)}`);
  }
  if (plan.unmapped.length) {
    err.push(`ztp import: could not map ${plan.unmapped.length} group ${plan.unmapped.length === 1 ? 'id' : 'ids'} to a name (kept as ids; add the groups to ${MANIFEST_FILE} with their names):`);
    for (const u of plan.unmapped) err.push(`  ${u.file}: ${u.note.where}: ${u.note.message}`);
  }
  if (refused.length) {
    err.push(`ztp import: did not write ${files(refused.length)}:`);
    for (const r of refused) err.push(`  ${r.file}: ${r.reason}`);
  }
  if (plan.notes.length) {
    err.push('ztp import: notes:');
    for (const n of plan.notes) err.push(`  ${n.file}: ${n.note.where}: ${n.note.message}`);
  }
  if (err.length) io.stderr(err.map(escapeControls).join('\n') + '\n');
}

export const importCommand: Command = { name: 'import', prefix: 'ztp import', help: HELP, run };

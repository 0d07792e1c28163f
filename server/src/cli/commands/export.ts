/**
 * `ztp export`: a tenant folder in, Graph request bodies out. Thin: the plan (each file, the errors that stop the
 * export, the warnings) is the core's (`planExport`); this loads the tenant through `io.fs` and writes the files
 * confined to `--out`.
 */
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { planExport } from '../../core/index';
import { checkWriteTarget, writeAll, type PlannedWrite } from '../../host/confined-write';
import { onePositional, readArgs, lastValue, UsageError } from '../args';
import { escapeControls, printablePath, shownPath } from '../format';
import type { CliIO, Command } from '../io';
import { entryKind, findTenant, loadTenant, printProblems } from '../load';

const HELP = `ztp export <tenant-folder> --out <folder> [--force]
  Writes one JSON file per policy: the Graph request body, its endpoint and API version, and the assign call
  (group names become the manifest's ids). Endpoint DLP is written as Security & Compliance PowerShell calls.
  A --out folder that is not empty is written into only with --force (files of the same name are replaced).
  Exit status: 0 written, 1 nothing written because something cannot be exported (listed on stderr), 2 usage or I/O.`;

/** Whether a folder holds anything (a missing folder holds nothing). */
async function isEmptyFolder(path: string): Promise<boolean> {
  try {
    return (await fs.readdir(path)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const a = readArgs(argv, { values: ['--out'], flags: ['--force'] }, 'export');
  const tenant = onePositional(a, 'tenant folder');
  if (!tenant) throw new UsageError('name the tenant folder: ztp export <tenant-folder> --out <folder>');
  const outArg = lastValue(a, '--out');
  if (!outArg) throw new UsageError('--out is required: the folder to write the request files to');
  const root = await findTenant(tenant, io, true);
  const out = resolve(io.cwd, outArg);
  if ((await entryKind(out)) === 'file') throw new UsageError(`--out must be a folder: ${outArg}`);
  // As import does with the files it would replace: a folder that holds something is written into only when asked.
  if (!a.flags.has('--force') && !(await isEmptyFolder(out))) throw new UsageError(`${outArg} is not empty; nothing written (use --force to write into it)`);

  const loaded = await loadTenant(root, io);
  printProblems(loaded, io);
  // A file not read would be a policy missing from the export: nothing is written.
  if (loaded.problems.length) return 2;
  const duplicates = loaded.service.findings(root).filter((f) => f.ruleId === 'duplicate-name');
  const plan = planExport(loaded.view, duplicates);
  if (plan.warnings.length) io.stderr(plan.warnings.map((w) => `ztp export: warning: ${escapeControls(w)}`).join('\n') + '\n');
  if (plan.errors.length) {
    io.stderr(`ztp export: nothing written; ${plan.errors.length} ${plan.errors.length === 1 ? 'problem' : 'problems'} to fix first:\n${plan.errors.map((e) => `  ${escapeControls(e)}`).join('\n')}\n`);
    return 1;
  }
  const shownOut = printablePath(shownPath(io.cwd, out));
  await fs.mkdir(out, { recursive: true });
  // Every file is resolved (links included) and checked to be inside --out first; then they are written as one set.
  const writes: PlannedWrite[] = [];
  const refused: string[] = [];
  for (const f of plan.files) {
    const dest = join(out, f.name);
    const checked = checkWriteTarget(dest, out, { mode: 'overwrite', writable: true });
    if (!checked.ok) refused.push(`${printablePath(f.name)}: ${escapeControls(checked.reason)}`);
    else writes.push({ path: dest, real: checked.real, content: JSON.stringify(f.content, null, 2) + '\n', mode: 'overwrite', missingDirs: checked.missingDirs });
  }
  if (refused.length) {
    io.stderr(`ztp export: nothing written; ${refused.length} ${refused.length === 1 ? 'file' : 'files'} would be written outside ${shownOut} or over something that is not a file:\n${refused.map((e) => `  ${e}`).join('\n')}\n`);
    return 2;
  }
  const outcome = writeAll(writes);
  if (outcome.failure) {
    io.stderr(`ztp export: could not write ${printablePath(shownPath(io.cwd, outcome.failure.path))} (${escapeControls(outcome.failure.reason)}); ${outcome.notUndone.length ? `these changes could not be undone: ${outcome.notUndone.map(escapeControls).join(', ')}` : 'nothing was written'}\n`);
    return 2;
  }
  const lines = [`exported ${plan.files.length} ${plan.files.length === 1 ? 'policy' : 'policies'} to ${shownOut}`];
  for (const f of plan.files) lines.push(`  ${f.name}  ${escapeControls(String(f.content.endpoint ?? 'Security & Compliance PowerShell'))}`);
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

export const exportCommand: Command = { name: 'export', prefix: 'ztp export', help: HELP, run };

/** `ztp report`: one page per tenant — the seven layers, their diagram, findings by team, the lockout check. */
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { normalizeSlashes, relative } from '../../core/index';
import { formatOption, lastValue, MAX_FILE_SIZE, maxFileSizeHelp, maxFileSizeOption, onePositional, readArgs, UsageError } from '../args';
import { escapeControls } from '../format';
import type { CliIO, Command } from '../io';
import { findTenant, loadTenant, printProblems } from '../load';
import { VERSION } from '../meta';

const HELP = `Usage:
  ztp report <tenant> [--format md|html] [--out <file>] [--max-file-size <MB>]

Writes the tenant's Zero Trust report: the seven-layer progress (status, licence, policies, findings) with a
diagram of the layers, the findings grouped by the team that owns them (with the manifest's contacts), and the
lockout check (see ztp whatif --lockout). HTML is one self-contained page: no script, stylesheet, font or image
is loaded from anywhere.

  --format md|html      default: html when --out ends in .html, else md
  --out <file>          write to a file instead of stdout
  ${maxFileSizeHelp(22)}

Exit status: 0 the report was written (whatever it says); 2 a usage or I/O problem.`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const a = readArgs(argv, { values: ['--format', '--out', MAX_FILE_SIZE], aliases: { '-o': '--out' } }, 'report');
  const out = lastValue(a, '--out');
  const given = lastValue(a, '--format');
  const format = given !== undefined ? formatOption(given, ['md', 'html'], 'md', { markdown: 'md' }) : out && /\.html?$/i.test(out) ? 'html' : 'md';
  const maxFileSize = maxFileSizeOption(a);
  const tenant = onePositional(a, 'tenant folder');
  if (tenant === undefined) throw new UsageError('name the tenant folder: ztp report <tenant> [--format md|html] [--out file]');
  const loaded = await loadTenant(await findTenant(tenant, io), io, { maxFileSize });
  printProblems(loaded, io);
  const text = loaded.service.report(loaded.root, { format, rel: (p) => relative(loaded.root, normalizeSlashes(p)), generated: new Date(), version: VERSION });
  if (out) {
    const target = resolve(io.cwd, out);
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.writeFile(target, text, 'utf8');
    io.stderr(`ztp: wrote ${escapeControls(out)}\n`);
  } else io.stdout(text);
  return loaded.problems.length ? 2 : 0;
}

export const report: Command = { name: 'report', prefix: 'ztp', help: HELP, run };

/** `ztp report`: one page per tenant — the seven layers, their diagram, findings by team, the lockout check. */
import { escapeControls } from './format';
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { normalizeSlashes, relative } from '../core/paths';
import { lockoutCheck } from '../core/lockout';
import { reportHtml, reportMarkdown } from '../core/features/report';
import { ArgReader, CommandError, loadTenant, optionName } from './tenant-load';
import type { CliIO } from './main';
import pkg from '../../../package.json';

export const REPORT_HELP = `Usage:
  ztp report <tenant> [--format md|html] [--out <file>]

Writes the tenant's Zero Trust report: the seven-layer progress (status, licence, policies, findings) with a
diagram of the layers, the findings grouped by the team that owns them (with the manifest's contacts), and the
lockout check (see ztp whatif --lockout). HTML is one self-contained page: no script, stylesheet, font or image
is loaded from anywhere.

  --format md|html   default: html when --out ends in .html, else md
  --out <file>       write to a file instead of stdout

Exit status: 0 the report was written (whatever it says); 2 a usage or I/O problem.`;

export async function report(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(REPORT_HELP + '\n');
    return 0;
  }
  let tenant: string | undefined;
  let format: 'md' | 'html' | undefined;
  let out: string | undefined;
  const r = new ArgReader(argv);
  for (let a = r.next(); a !== undefined; a = r.next()) {
    const name = optionName(a);
    if (name === '--format') {
      const v = r.value(a, name);
      if (v !== 'md' && v !== 'html' && v !== 'markdown') throw new CommandError(`unknown format '${v}'; use md or html`);
      format = v === 'html' ? 'html' : 'md';
    } else if (name === '--out' || name === '-o') out = r.value(a, name);
    else if (a.startsWith('-')) throw new CommandError(`unknown option '${a}'; see ztp report --help`);
    else if (tenant !== undefined) throw new CommandError(`one tenant folder at a time ('${tenant}' and '${a}')`);
    else tenant = a;
  }
  if (tenant === undefined) throw new CommandError('name the tenant folder: ztp report <tenant> [--format md|html] [--out file]');
  format ??= out && /\.html?$/i.test(out) ? 'html' : 'md';
  const loaded = await loadTenant(tenant, io.cwd);
  for (const p of loaded.problems) io.stderr(`ztp: ${escapeControls(p)}\n`);
  const findings = loaded.service.analyzeTenant(loaded.root);
  const input = {
    tenant: loaded.view,
    findings,
    lockout: lockoutCheck(loaded.view),
    rel: (p: string) => relative(loaded.root, normalizeSlashes(p)),
    generated: new Date(),
    version: pkg.version,
  };
  const text = format === 'html' ? reportHtml(input) : reportMarkdown(input);
  if (out) {
    const target = resolve(io.cwd, out);
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.writeFile(target, text, 'utf8');
    io.stderr(`ztp: wrote ${escapeControls(out)}\n`);
  } else io.stdout(text);
  return loaded.problems.length ? 2 : 0;
}

/**
 * `ztp`: the command-line host of the analysis core, one program. Thin: a table of commands (one file each under
 * commands/), one argument reader and usage error (args.ts), one way to load files (load.ts).
 */
import { UsageError } from './args';
import { check } from './commands/check';
import { diff } from './commands/diff';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { lsp } from './commands/lsp';
import { report } from './commands/report';
import { rules } from './commands/rules';
import { whatif } from './commands/whatif';
import { escapeControls } from './format';
import { HELP } from './help';
import type { CliIO, Command } from './io';
import { VERSION } from './meta';

export type { CliIO } from './io';
export { toOutput } from './output';
export { VERSION } from './meta';

const COMMANDS: readonly Command[] = [check, whatif, diff, report, importCommand, exportCommand, rules, lsp];

/** Run the CLI; returns the exit status. Never throws. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP + '\n');
    if (name !== undefined) return 0;
    // No command is a usage problem: one line on stderr says so, as for every other.
    io.stderr('ztp: no command given; see the commands above, or ztp --help\n');
    return 2;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(VERSION + '\n');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  const prefix = command?.prefix ?? 'ztp';
  try {
    if (!command) throw new UsageError(`unknown command '${name}'; see ztp --help`);
    const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (options.includes('--help') || options.includes('-h')) {
      io.stdout(command.help + '\n');
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    // One line on stderr, and nothing in it (a path, a name from a file) may act on the terminal.
    if (e instanceof UsageError) {
      io.stderr(`${prefix}: ${escapeControls(e.message)}\n`);
      return 2;
    }
    // An I/O error: its code once (Node's messages start with it), and its message, which names the path.
    const { code, message } = e as NodeJS.ErrnoException;
    const text = message ?? String(e);
    io.stderr(`${prefix}: ${escapeControls(code && !text.startsWith(code) ? `${code}: ${text}` : text)}\n`);
    return 2;
  }
}

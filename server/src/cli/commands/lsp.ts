/**
 * `ztp lsp`: the language server, for any LSP editor. It talks over stdin/stdout (`--stdio`); `--node-ipc` is for a
 * Node parent that gives the process an IPC channel (as VS Code's client does). Anything else is a usage error
 * that says what to type, rather than a stack trace or a silent exit.
 */
import { UsageError } from '../args';
import type { CliIO, Command } from '../io';

const HELP = `ztp lsp --stdio
  Starts the language server (diagnostics, hover, completion, quick fixes, What If) over stdin and stdout, for any
  editor that speaks the Language Server Protocol: Neovim, Helix, Emacs (eglot), VS Code.
  --node-ipc works only when a Node parent process starts ztp with an IPC channel.
  Sockets and pipes are not offered: the server opens no network connection.`;

const USE = 'use ztp lsp --stdio';

/** Why these arguments cannot start the server, or undefined when they can. */
export function lspProblem(argv: string[], hasIpc: boolean): string | undefined {
  const transport = argv.find((a) => /^--(stdio|node-ipc|socket|pipe)(=|$)/.test(a));
  if (transport === undefined) return `the language server needs a transport: ${USE}`;
  if (transport === '--stdio') return undefined;
  if (transport === '--node-ipc') return hasIpc ? undefined : `--node-ipc needs a Node parent process with an IPC channel; from a shell or an editor, ${USE}`;
  return `${transport.split('=')[0]} is not supported (the server opens no socket or pipe); ${USE}`;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const problem = lspProblem(argv, !!io.hasIpc);
  if (problem) throw new UsageError(problem);
  if (!io.startLanguageServer) throw new UsageError(`the language server runs only from the ztp command; ${USE}`);
  io.startLanguageServer();
  return 0;
}

export const lsp: Command = { name: 'lsp', prefix: 'ztp', help: HELP, run };

/** What the CLI is given by its host (the process, or a test), and the shape of one command. */
import type { PolicyFileSystem, Rule } from '../core/index';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** Where policy files and exports are read (default: the disk); tests inject faults through it. */
  fs?: PolicyFileSystem;
  /** The rules to run (default: the registry); tests inject a rule that throws. */
  rules?: Rule[];
  /** Whether the process has an IPC channel to a Node parent (`ztp lsp --node-ipc` needs one). */
  hasIpc?: boolean;
  /** Start the language server in this process (`ztp lsp`); only the `ztp` command can. */
  startLanguageServer?: () => void;
}

/** One `ztp` command: its name, its help, and how it runs (returning the exit status). */
export interface Command {
  name: string;
  /** What its messages on stderr start with (`ztp`, `ztp import`). */
  prefix: string;
  help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

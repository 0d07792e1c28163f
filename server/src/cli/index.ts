/** Entry point of the `ztp` bundle (dist/cli.js, run by bin/ztp.js; also the body of `ztp check`'s worker threads). */
import { join } from 'node:path';
import { main } from './main';
import { isShareWorker, serveShare } from './parallel';

/** Run the command line in this process. */
function runMain(): void {
  /**
   * A reader that went away (`ztp check … | head`) is not an error of the check: the rest of the output is dropped
   * and the exit status is still the check's, instead of an EPIPE stack trace.
   */
  let stdoutClosed = false;
  if (process.argv[2] !== 'lsp') {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      stdoutClosed = true;
    });
  }

  main(process.argv.slice(2), {
    stdout: (t) => {
      if (!stdoutClosed) process.stdout.write(t);
    },
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    isTTY: !!process.stdout.isTTY,
    env: process.env,
    hasIpc: typeof process.send === 'function',
    // `ztp lsp`: the server bundle beside this one takes over the process (it reads its transport from argv).
    startLanguageServer: () => module.require(join(__dirname, 'server.js')),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`ztp: ${(e as Error).message ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (isShareWorker()) {
  // A worker thread of `ztp check` (parallel.ts): it analyses its share and ends.
  serveShare();
} else {
  runMain();
}

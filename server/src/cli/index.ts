/** Entry point of the `ztp` bundle. */
import { main } from './main';

main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ztp: ${(e as Error).message ?? String(e)}\n`);
    process.exitCode = 2;
  },
);

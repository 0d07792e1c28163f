/**
 * The built bundle this code runs in (`dist/cli.js`, `dist/server.js`), which worker threads run again with worker
 * data of their own; undefined when running from sources (tests through tsx), where the work stays on one thread.
 */
export function builtBundle(): string | undefined {
  return /\.js$/.test(__filename) ? __filename : undefined;
}

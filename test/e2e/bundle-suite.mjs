// Bundles the mocha suite (test/e2e/suite) for the extension host: `vscode` and `mocha` stay external.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export async function bundleSuite() {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(HERE, 'suite', 'index.ts'), join(HERE, 'suite', 'extension.test.ts')],
    outdir: join(HERE, 'out'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(HERE, 'out', 'index.js');
}

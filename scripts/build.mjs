// Builds the three bundles (extension client, language server, CLI) with esbuild, in one go.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { buildValidators } from './build-validators.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
rmSync('dist', { recursive: true, force: true });
// The precompiled schema validators come first: the bundles include them.
buildValidators();

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/index.ts'], outfile: 'dist/cli.js' },
];

if (watch) {
  const { context } = await import('esbuild');
  for (const e of entries) (await context({ ...common, ...e })).watch();
  console.log('watching…');
} else {
  await Promise.all(entries.map((e) => build({ ...common, ...e })));
  console.log(`built dist/client.js, dist/server.js, dist/cli.js${production ? ' (production)' : ''}`);
}

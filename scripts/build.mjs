// Builds the three bundles (extension client, language server, CLI) with esbuild, in one go.
// THIRD_PARTY_NOTICES.md lists what they bundle: `node scripts/third-party-notices.mjs` (run by prepack and package).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { buildValidators } from './build-validators.mjs';
import { writeRuleDocs } from './gen-rule-docs.mjs';
import { commonOptions, ENTRIES } from './bundles.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
rmSync('dist', { recursive: true, force: true });
// The precompiled schema validators and the rule pages for SARIF come first: the bundles include them.
buildValidators();
writeRuleDocs();

const common = commonOptions(production);

if (watch) {
  const { context } = await import('esbuild');
  for (const e of ENTRIES) (await context({ ...common, ...e })).watch();
  console.log('watching…');
} else {
  await Promise.all(ENTRIES.map((e) => build({ ...common, ...e })));
  console.log(`built dist/client.js, dist/server.js, dist/cli.js${production ? ' (production)' : ''}`);
}

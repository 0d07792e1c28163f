// Builds the three bundles (extension client, language server, CLI) with esbuild, in one go.
// THIRD_PARTY_NOTICES.md lists what they bundle: `node scripts/third-party-notices.mjs` (run by prepack and package).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { buildValidators } from './build-validators.mjs';
import { writeRuleDocs, writeRuleDocsBundle } from './gen-rule-docs.mjs';
import { commonOptions, ENTRIES } from './bundles.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
rmSync('dist', { recursive: true, force: true });
// The precompiled schema validators and the rule pages for SARIF come first: the bundles include them.
buildValidators();
writeRuleDocs();

const common = commonOptions(production);

/** The settings catalog index goes beside the bundles, which read it on first use (host/settings-catalog-file.ts). */
function copySettingsCatalog() {
  const from = 'data/settings-catalog/index.json.gz';
  if (!existsSync(from)) throw new Error(`${from} is missing: run \`npm run settings-catalog:refresh\``);
  mkdirSync('dist', { recursive: true });
  copyFileSync(from, 'dist/settings-catalog.json.gz');
}

if (watch) {
  const { context } = await import('esbuild');
  for (const e of ENTRIES) (await context({ ...common, ...e })).watch();
  copySettingsCatalog();
  writeRuleDocsBundle();
  console.log('watching…');
} else {
  await Promise.all(ENTRIES.map((e) => build({ ...common, ...e })));
  copySettingsCatalog();
  // The rule pages the extension shows (client/src/rule-docs.ts), beside the bundles.
  writeRuleDocsBundle(undefined, production);
  console.log(`built dist/client.js, dist/server.js, dist/cli.js${production ? ' (production)' : ''}`);
}

/**
 * Writes `schemas/*.schema.json` from `schemas/src`. Usage:
 *   npm run schemas                       regenerate from the committed metadata snapshot
 *   npm run schemas -- --check            only compare (a test does this)
 *   npm run schemas -- --v1-csdl v1.0.csdl --beta-csdl beta.csdl --date YYYY-MM-DD --source "msgraph-metadata @ <commit>"
 *                                         refresh schemas/src/graph-types.json from newer Graph metadata, then regenerate
 * See docs/schemas.md.
 */
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSchemas } from './schema-gen/generate';
import { graphTypesText, importMetadata, parseCsdl } from './schema-gen/metadata-import';
import type { GraphTypesFile } from './schema-gen/graph-model';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'schemas', 'src');
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const check = args.includes('--check');

const v1Csdl = flag('--v1-csdl');
const betaCsdl = flag('--beta-csdl');
if (v1Csdl || betaCsdl) {
  const date = flag('--date');
  const source = flag('--source');
  if (!v1Csdl || !betaCsdl || !date || !source) {
    console.error('refreshing the metadata needs --v1-csdl <file> --beta-csdl <file> --date YYYY-MM-DD --source "<where it came from>"');
    process.exit(2);
  }
  const path = join(srcDir, 'graph-types.json');
  const previous = JSON.parse(readFileSync(path, 'utf8')) as GraphTypesFile;
  const next = importMetadata({ previous, v1: parseCsdl(readFileSync(v1Csdl, 'utf8')), beta: parseCsdl(readFileSync(betaCsdl, 'utf8')), snapshot: { date, source, note: previous.snapshot?.note } });
  delete (next as { source?: string }).source;
  writeFileSync(path, graphTypesText(next));
  console.log(`schemas/src/graph-types.json: metadata snapshot ${previous.snapshot?.date ?? '?'} → ${date} (${source})`);
}

const { files, missingDescriptions, snapshot } = generateSchemas(srcDir);
let stale = 0;
for (const [name, schema] of files) {
  const path = join(root, 'schemas', name);
  const text = JSON.stringify(schema, null, 2) + '\n';
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      console.error(`stale: schemas/${name}`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
  }
}
if (missingDescriptions.length) console.error(`${missingDescriptions.length} properties have no description yet, e.g. ${missingDescriptions.slice(0, 5).join(', ')}`);
if (check && stale) process.exit(1);
console.log(`${check ? 'checked' : 'wrote'} ${files.size} schemas from Graph's metadata of ${snapshot.date} (${snapshot.source})`);

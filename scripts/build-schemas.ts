/** Writes `schemas/*.schema.json` from `schemas/src`. Usage: `npm run schemas` (add `--check` to only compare). */
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSchemas } from './schema-gen/generate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { files, missingDescriptions } = generateSchemas(join(root, 'schemas', 'src'));
const check = process.argv.includes('--check');
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
console.log(`${check ? 'checked' : 'wrote'} ${files.size} schemas`);

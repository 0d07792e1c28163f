// The parse floor: read every policy file below a folder and parse it with `yaml`, and nothing else.
// `ztp check` on the same folder is compared against this process's wall-clock time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

const files = [];
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(ya?ml|json)$/i.test(e.name)) files.push(p);
  }
})(process.argv[2]);
let nodes = 0;
for (const f of files) if (parseDocument(readFileSync(f, 'utf8')).contents) nodes++;
process.stdout.write(`${files.length} files, ${nodes} documents\n`);

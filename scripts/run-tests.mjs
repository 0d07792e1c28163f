// Runs every unit, fixture, CLI and LSP test with node's built-in test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [filter]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filter = process.argv[2];
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === 'e2e' || name === 'fixtures' || name === 'node_modules') continue;
      walk(p);
    } else if (name.endsWith('.test.ts') && (!filter || p.includes(filter))) files.push(p);
  }
}
walk('test');
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);

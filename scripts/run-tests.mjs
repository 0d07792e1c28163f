// Runs every unit, fixture, CLI and LSP test with node's built-in test runner (TypeScript through tsx).
// Usage:
//   node scripts/run-tests.mjs [filter]          every test file, or those whose path contains `filter`
//   node scripts/run-tests.mjs --rule <id>[,<id>…]   one rule's fixtures, fix tests and meta test (npm test -- --rule <id>)
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
let filter;
let rules;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--rule') rules = args[++i];
  else if (a.startsWith('--rule=')) rules = a.slice('--rule='.length);
  else if (a.startsWith('-')) {
    console.error(`run-tests: unknown option '${a}'; use [filter] or --rule <id>`);
    process.exit(2);
  } else filter = a;
}

const env = { ...process.env };
const files = [];
if (rules !== undefined) {
  const ids = rules.split(',').map((r) => r.trim()).filter(Boolean);
  const known = readdirSync(join('docs', 'rules')).filter((n) => n.endsWith('.md') && n !== 'README.md').map((n) => n.slice(0, -3));
  const unknown = ids.filter((id) => !known.includes(id));
  if (!ids.length || unknown.length) {
    console.error(`run-tests: ${ids.length ? `no rule '${unknown.join("', '")}'` : '--rule needs a rule id'}; the rules are: ${known.join(', ')}`);
    process.exit(2);
  }
  env.ZTP_RULE = ids.join(',');
  for (const f of ['fixtures.test.ts', 'fixes.test.ts', 'rules-meta.test.ts']) files.push(join('test', 'unit', f));
  console.log(`run-tests: the fixtures, fix tests and meta test of ${ids.join(', ')}`);
} else {
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name === 'e2e' || name === 'fixtures' || name === 'node_modules') continue;
        walk(p);
      } else if (name.endsWith('.test.ts') && (!filter || p.includes(filter))) files.push(p);
    }
  };
  walk('test');
}
if (!files.length || !files.every((f) => existsSync(f))) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);

/** The three layers stay apart: the core imports only yaml, ajv and LSP types; nothing runs code or opens sockets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (n.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const CORE_ALLOWED = /^(\.|yaml$|ajv$|vscode-languageserver-types$)/;

test('the analysis core imports only yaml, ajv, LSP types and itself', () => {
  const bad: string[] = [];
  for (const f of sources(join(ROOT, 'server', 'src', 'core'))) {
    for (const i of imports(f)) if (!CORE_ALLOWED.test(i)) bad.push(`${relative(ROOT, f)} imports ${i}`);
  }
  assert.deepEqual(bad, []);
});

test('neither the core nor the server imports vscode', () => {
  const bad: string[] = [];
  for (const f of sources(join(ROOT, 'server', 'src'))) for (const i of imports(f)) if (i === 'vscode') bad.push(relative(ROOT, f));
  assert.deepEqual(bad, []);
});

/** The one module that may start a process: `ztp diff --base` reads a git revision through git (SECURITY.md). */
const GIT_TREE = join('server', 'src', 'host', 'git-tree.ts');

test('no eval, new Function or child_process in the core, the server or the CLI (child_process only in host/git-tree.ts)', () => {
  const bad: string[] = [];
  for (const f of sources(join(ROOT, 'server', 'src'))) {
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    if (/\beval\s*\(|new\s+Function\s*\(/.test(text) || (/child_process/.test(text) && relative(ROOT, f) !== GIT_TREE)) bad.push(relative(ROOT, f));
  }
  assert.deepEqual(bad, []);
});

test('host/git-tree.ts runs only git: spawn without a shell, a fixed argument list behind the safety options; only ztp diff uses it', () => {
  const text = readFileSync(join(ROOT, GIT_TREE), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  assert.deepEqual([...text.matchAll(/^import .*child_process.*$/gm)].map((m) => m[0]), ["import { spawn } from 'node:child_process';"]);
  // (Only `spawn` is imported, so `exec` here could only be a RegExp's.)
  assert.doesNotMatch(text, /(?<![.\w])exec(File|Sync|FileSync)?\s*\(|\bfork\s*\(|spawnSync|shell:\s*true/);
  const calls = [...text.matchAll(/\bspawn\((.*)$/gm)].map((m) => m[1]!);
  assert.equal(calls.length, 2, 'two git commands: one-shot ones, and cat-file --batch');
  for (const c of calls) {
    assert.match(c, /^'git', \[\.\.\.GIT_SAFETY_ARGS, /, c);
    assert.match(c, /shell: false/, c);
  }
  // The safety options: no fsmonitor program, no hooks, no transport (so no remote helper, no ssh), no pager.
  const safety = /GIT_SAFETY_ARGS: readonly string\[\] = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
  for (const o of ["'core.fsmonitor=false'", "'core.hooksPath=/dev/null'", "'protocol.allow=never'", "'--no-pager'"]) assert.ok(safety.includes(o), o);
  for (const v of ['GIT_TERMINAL_PROMPT', 'GIT_OPTIONAL_LOCKS', 'GIT_NO_LAZY_FETCH']) assert.match(text, new RegExp(`${v}: '[01]'`), v);
  // The git commands run: rev-parse, ls-tree and cat-file, which read no index and run no filters. Never status or diff.
  const commands = [...text.matchAll(/(?:runGit\(\[|GIT_SAFETY_ARGS, )'([a-z-]+)'/g)].map((m) => m[1]!);
  assert.deepEqual([...new Set(commands)].sort(), ['cat-file', 'ls-tree', 'rev-parse']);
  // Each git command's arguments are written out where it is called (an argument list, not a string for a shell).
  const runs = [...text.matchAll(/\brunGit\((.)/g)].map((m) => m[1]);
  assert.deepEqual(runs.filter((c) => c !== '['), ['a'], 'runGit is called with a literal argument list (the one other match is its declaration)');
  const importers = sources(join(ROOT, 'server', 'src')).filter((f) => /from ['"][./]+host\/git-tree['"]/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(importers.map((f) => relative(ROOT, f)), [join('server', 'src', 'cli', 'commands', 'diff.ts')]);
});

test('schemas reference nothing remote', () => {
  for (const n of readdirSync(join(ROOT, 'schemas')).filter((x) => x.endsWith('.json'))) {
    const text = readFileSync(join(ROOT, 'schemas', n), 'utf8');
    for (const m of text.matchAll(/"\$ref":\s*"([^"]+)"/g)) assert.ok(m[1]!.startsWith('#'), `${n}: ${m[1]}`);
  }
});

test('ajv never loads a schema from elsewhere: no loadSchema option, no compileAsync', async () => {
  const files = [...sources(join(ROOT, 'server', 'src'))];
  for (const n of readdirSync(join(ROOT, 'scripts'))) if (/\.(ts|mjs|js)$/.test(n)) files.push(join(ROOT, 'scripts', n));
  const bad: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    if (/compileAsync|loadSchema\s*:\s*(?!undefined\b)/.test(text)) bad.push(relative(ROOT, f));
  }
  assert.deepEqual(bad, []);
  // The options the bundled validators are built with, when they are precompiled (scripts/build-validators.mjs).
  const builder = join(ROOT, 'scripts', 'build-validators.mjs');
  if (existsSync(builder)) {
    const mod = (await import(pathToFileURL(builder).href)) as { AJV_OPTIONS?: Record<string, unknown> };
    if (mod.AJV_OPTIONS) assert.equal(mod.AJV_OPTIONS.loadSchema, undefined);
  }
});

/**
 * The bundles that run (the CLI, and the server the extension starts) contain no eval or new Function. The CLI
 * starts a process in one module only, host/git-tree.ts (`ztp diff --base` runs git); the server bundle does not
 * hold that module, and has exactly one `require("child_process")`: vscode-languageserver's `Files`
 * helpers (`resolve`, `resolveModulePath`, `resolveGlobalNodePath`, `resolveGlobalYarnPath`, for servers that load
 * a workspace's node modules), which this server never calls; test/robustness/no-network.test.ts runs both bundles
 * with child_process blocked to show it (every command but ztp diff --base).
 */
test('the built bundles: no eval or new Function; child_process in the CLI only in host/git-tree.ts, in the server only in vscode-languageserver Files helpers we never call', () => {
  const bundle = (name: string): string => {
    const p = join(ROOT, 'dist', name);
    assert.ok(existsSync(p), `${p} is missing; run npm run build`);
    return readFileSync(p, 'utf8');
  };
  const server = bundle('server.js');
  const cli = bundle('cli.js');
  for (const [name, text] of [['server.js', server], ['cli.js', cli]] as const) {
    assert.doesNotMatch(text, /\beval\s*\(/, `${name}: eval`);
    assert.doesNotMatch(text, /\bnew\s+Function\s*\(/, `${name}: new Function`);
  }
  // esbuild marks each module's start with a `// <path>` line: every use of child_process in cli.js lies in git-tree's.
  const gitStart = cli.indexOf('\n// server/src/host/git-tree.ts\n');
  const gitEnd = cli.indexOf('\n// ', gitStart + 1);
  assert.ok(gitStart >= 0 && gitEnd > gitStart, 'cli.js holds host/git-tree.ts');
  const cliUses = [...cli.matchAll(/child_process/g)].map((m) => m.index!);
  assert.ok(cliUses.length > 0 && cliUses.every((u) => u > gitStart && u < gitEnd), 'cli.js: child_process only in server/src/host/git-tree.ts');
  assert.equal([...cli.matchAll(/require\(\s*["'](?:node:)?child_process["']\s*\)/g)].length, 1, 'cli.js: one child_process require');
  assert.ok(!server.includes('// server/src/host/git-tree.ts'), 'server.js does not hold host/git-tree.ts');
  const requires = [...server.matchAll(/require\(\s*["'](?:node:)?child_process["']\s*\)/g)];
  assert.equal(requires.length, 1, 'server.js: one child_process require');
  // It, and every use of it, sits in vscode-languageserver/lib/node/files.js (esbuild marks each module's start).
  const start = server.indexOf('// node_modules/vscode-languageserver/lib/node/files.js');
  const end = server.indexOf('\n// ', start + 1);
  assert.ok(start >= 0 && end > start, 'the files module is in the bundle');
  const uses = [...server.matchAll(/child_process/g)].map((m) => m.index!);
  assert.ok(uses.length > 0 && uses.every((u) => u > start && u < end), 'child_process appears only in vscode-languageserver/lib/node/files.js');
  assert.match(server.slice(start, end), /exports2\.resolveGlobalYarnPath = resolveGlobalYarnPath/);
  const ours = sources(join(ROOT, 'server', 'src')).filter((f) => /\bFiles\s*\.\s*(resolve|resolveModulePath|resolveGlobalNodePath|resolveGlobalYarnPath)\b|\bFiles\b.*from ['"]vscode-languageserver/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(ours.map((f) => relative(ROOT, f)), [], 'the server never calls the Files helpers');
});

/** Every relative import of a server source file, resolved to a path relative to server/src (type-only ones flagged). */
function importGraph(): Map<string, { to: string; typeOnly: boolean }[]> {
  const src = join(ROOT, 'server', 'src');
  const graph = new Map<string, { to: string; typeOnly: boolean }[]>();
  for (const f of sources(src)) {
    if (f.endsWith('.d.ts')) continue;
    const text = readFileSync(f, 'utf8');
    const out: { to: string; typeOnly: boolean }[] = [];
    for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
      const base = join(f, '..', m[3]!);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c));
      if (target) out.push({ to: relative(src, target).replace(/\\/g, '/'), typeOnly: !!m[2] });
    }
    graph.set(relative(src, f).replace(/\\/g, '/'), out);
  }
  return graph;
}

/** Where a module sits: hosts on top, then the core's front door, its features, the rules, and the core below them. */
function layerOf(file: string): 'host' | 'front' | 'features' | 'rules' | 'core' | 'platform' | 'protocol' {
  if (file === 'core/index.ts' || file === 'core/service.ts') return 'front';
  if (file.startsWith('core/features/')) return 'features';
  if (file.startsWith('core/rules/')) return 'rules';
  if (file.startsWith('core/')) return 'core';
  if (file.startsWith('host/')) return 'platform';
  if (file === 'protocol.ts') return 'protocol';
  return 'host';
}

const MAY_IMPORT: Record<ReturnType<typeof layerOf>, ReturnType<typeof layerOf>[]> = {
  core: ['core'],
  rules: ['core', 'rules'],
  features: ['core', 'rules', 'features'],
  front: ['core', 'rules', 'features', 'front'],
  platform: ['front', 'platform'],
  protocol: ['protocol'],
  host: ['front', 'platform', 'protocol', 'host'],
};

test('no import circle anywhere in the server, the core or the CLI', () => {
  const graph = importGraph();
  assert.ok(graph.size > 50, 'the sources were found');
  const state = new Map<string, 'open' | 'done'>();
  const circles: string[] = [];
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      circles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const e of graph.get(file) ?? []) visit(e.to, [...trail, file]);
    state.set(file, 'done');
  };
  for (const f of graph.keys()) visit(f, []);
  assert.deepEqual(circles, []);
});

test('no import runs from a lower layer to a higher one; hosts use the core only through core/index.ts', () => {
  const bad: string[] = [];
  let edges = 0;
  for (const [from, list] of importGraph()) {
    for (const { to, typeOnly } of list) {
      edges++;
      const a = layerOf(from);
      const b = layerOf(to);
      // The protocol names the core's What If types: a type import leaves no code in the client's bundle.
      if (a === 'protocol' && typeOnly && b !== 'host') continue;
      if (!MAY_IMPORT[a].includes(b)) bad.push(`${from} (${a}) imports ${to} (${b})`);
      // Hosts enter the core by its front door only, not its service module or anything behind it.
      else if ((a === 'host' || a === 'platform') && b === 'front' && to !== 'core/index.ts') bad.push(`${from} imports ${to}; import from core/index.ts`);
      // Features are given the service's rules; the global registry is for the front door alone.
      else if (a === 'features' && to === 'core/rules/index.ts') bad.push(`${from} imports the rule registry; take the rules from the service`);
    }
  }
  assert.ok(edges > 200, `the import graph has ${edges} edges`);
  assert.deepEqual(bad, []);
});

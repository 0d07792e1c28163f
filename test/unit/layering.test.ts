/** The three layers stay apart: the core imports only yaml, ajv and LSP types; nothing runs code or opens sockets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

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

test('no eval, new Function or child_process in the core, the server or the CLI', () => {
  const bad: string[] = [];
  for (const f of sources(join(ROOT, 'server', 'src'))) {
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    if (/\beval\s*\(|new\s+Function\s*\(|child_process/.test(text)) bad.push(relative(ROOT, f));
  }
  assert.deepEqual(bad, []);
});

test('schemas reference nothing remote', () => {
  for (const n of readdirSync(join(ROOT, 'schemas')).filter((x) => x.endsWith('.json'))) {
    const text = readFileSync(join(ROOT, 'schemas', n), 'utf8');
    for (const m of text.matchAll(/"\$ref":\s*"([^"]+)"/g)) assert.ok(m[1]!.startsWith('#'), `${n}: ${m[1]}`);
  }
});

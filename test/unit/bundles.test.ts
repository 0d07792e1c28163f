/**
 * What scripts/bundles.mjs promises of the built bundles (npm test builds them first): every character fits in one
 * byte, so V8 keeps each bundle's source at one byte per character in every isolate that runs it; and `yaml`'s debug
 * switches are read as off, not looked up in the process environment for every token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIST = join(__dirname, '..', '..', 'dist');
const BUNDLES = ['cli.js', 'server.js', 'client.js'];

for (const name of BUNDLES) {
  test(`dist/${name}: no character above U+00FF, and yaml's debug switches off`, () => {
    const text = readFileSync(join(DIST, name), 'utf8');
    const wide = /[^\x00-\xff]/.exec(text);
    assert.equal(wide, null, wide ? `U+${wide[0].charCodeAt(0).toString(16).toUpperCase()} at offset ${wide.index}: ${JSON.stringify(text.slice(Math.max(0, wide.index - 60), wide.index + 20))}` : '');
    assert.doesNotMatch(text, /process\.env\.LOG_(TOKENS|STREAM)/);
  });
}

test('a character above U+00FF that esbuild leaves in a comment is escaped; strings keep their value', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-bundle-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, `export class Shelf {\n  /** Items… in order (first → last). */\n  items: string[] = ['→ next', 'a…b'];\n}\n`);
    const { build } = await import('esbuild');
    const { commonOptions } = await import(pathToFileURL(join(__dirname, '..', '..', 'scripts', 'bundles.mjs')).href);
    const outfile = join(dir, 'out.js');
    await build({ ...commonOptions(false), entryPoints: [entry], outfile, sourcemap: false });
    const text = readFileSync(outfile, 'utf8');
    assert.doesNotMatch(text, /[^\x00-\xff]/);
    assert.match(text, /Items\\u2026 in order \(first \\u2192 last\)/);
    const { Shelf } = require(outfile) as { Shelf: new () => { items: string[] } };
    assert.deepEqual(new Shelf().items, ['→ next', 'a…b']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

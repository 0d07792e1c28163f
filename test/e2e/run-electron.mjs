#!/usr/bin/env node
// The same real-editor suite under @vscode/test-electron, for anyone with internet access (it downloads VS Code).
// CI here has no such access and uses code-server instead: see run-code-server.mjs.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSuite } from './bundle-suite.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

const testsIndex = await bundleSuite();
const workspace = join(mkdtempSync(join(tmpdir(), 'ztp-e2e-')), 'workspace');
cpSync(join(HERE, 'workspace'), workspace, { recursive: true });
const { runTests } = await import('@vscode/test-electron');
try {
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: testsIndex,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`e2e (electron): ${e.message ?? e}`);
  process.exit(1);
}

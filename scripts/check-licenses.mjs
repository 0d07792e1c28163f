#!/usr/bin/env node
// Checks the licences of the production dependencies, the packages that esbuild bundles into dist/ (client,
// server, CLI). It walks package-lock.json's package tree (every entry that is neither `dev` nor `devOptional`) and
// reads each licence from the lockfile, or else from the installed package.json.
//
// Allowed: MIT, ISC, BSD-2-Clause, BSD-3-Clause, 0BSD, Apache-2.0 (an SPDX `OR` needs one allowed side, `AND` all).
// EXCEPTIONS below names, package by package, any other licence that was reviewed and accepted; a package that
// changes licence fails again.
//
//   node scripts/check-licenses.mjs           a table; exit 1 when a licence is not allowed
//   node scripts/check-licenses.mjs --json    the same as JSON
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const ALLOWED = ['MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'Apache-2.0'];

/**
 * Reviewed exceptions: package name → the exact licence accepted.
 * - minimatch (10.x, bundled into dist/client.js through vscode-languageclient): the Blue Oak Model License 1.0.0 is
 *   a permissive, OSI-approved licence (use, copy, modify, distribute; keep the notice), with no copyleft.
 */
export const EXCEPTIONS = { minimatch: 'BlueOak-1.0.0' };

function licenseOf(entry, path) {
  if (typeof entry.license === 'string') return entry.license;
  const pj = join(ROOT, path, 'package.json');
  if (!existsSync(pj)) return undefined;
  const json = JSON.parse(readFileSync(pj, 'utf8'));
  if (typeof json.license === 'string') return json.license;
  if (json.license && typeof json.license.type === 'string') return json.license.type;
  if (Array.isArray(json.licenses)) return json.licenses.map((l) => l.type ?? l).join(' OR ');
  return undefined;
}

/** Whether an SPDX expression is allowed (simple forms: `A`, `(A OR B)`, `A AND B`). */
export function allowed(expression) {
  const e = expression.trim().replace(/^\((.*)\)$/, '$1');
  if (/\sOR\s/i.test(e)) return e.split(/\s+OR\s+/i).some(allowed);
  if (/\sAND\s/i.test(e)) return e.split(/\s+AND\s+/i).every(allowed);
  return ALLOWED.includes(e);
}

export function checkLicenses(root = ROOT) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const rows = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path || entry.dev || entry.devOptional || entry.link) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const license = licenseOf(entry, path) ?? 'UNKNOWN';
    const ok = allowed(license) || EXCEPTIONS[name] === license;
    rows.push({ name, version: entry.version, license, ok, exception: !allowed(license) && EXCEPTIONS[name] === license });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : 1));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = checkLicenses();
  const bad = rows.filter((r) => !r.ok);
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else {
    for (const r of rows) console.log(`${r.ok ? (r.exception ? '!' : '✓') : '✖'} ${r.name}@${r.version} ${r.license}${r.exception ? ' (reviewed exception)' : ''}`);
    console.log(bad.length ? `\n${bad.length} production dependenc${bad.length === 1 ? 'y has a licence' : 'ies have licences'} outside ${ALLOWED.join(', ')}` : `\n${rows.length} production dependencies: licences allowed`);
  }
  process.exitCode = bad.length ? 1 : 0;
}

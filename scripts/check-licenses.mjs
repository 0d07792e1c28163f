#!/usr/bin/env node
// Checks the licences of the packages that esbuild bundles into dist/ (client, server, CLI): the only third-party
// code that ships, in the npm package and in the .vsix (package.json has no runtime dependencies; they are all
// devDependencies, bundled at build time). The list comes from esbuild's metafile, as THIRD_PARTY_NOTICES.md does
// (scripts/third-party-notices.mjs); each licence from the package's own package.json.
//
// Allowed: MIT, ISC, BSD-2-Clause, BSD-3-Clause, 0BSD, Apache-2.0 (an SPDX `OR` needs one allowed side, `AND` all).
// EXCEPTIONS below names, package by package, any other licence that was reviewed and accepted; a package that
// changes licence fails again.
//
//   node scripts/check-licenses.mjs           a table; exit 1 when a licence is not allowed
//   node scripts/check-licenses.mjs --json    the same as JSON
// (Run it after scripts/build.mjs, which generates the schema validators the server bundles.)
import { fileURLToPath } from 'node:url';
import { bundledInputs, bundledPackages, ROOT } from './third-party-notices.mjs';

export const ALLOWED = ['MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'Apache-2.0'];

/**
 * Reviewed exceptions: package name → the exact licence accepted.
 * - minimatch (10.x, bundled into dist/client.js through vscode-languageclient): the Blue Oak Model License 1.0.0 is
 *   a permissive, OSI-approved licence (use, copy, modify, distribute; keep the notice), with no copyleft.
 */
export const EXCEPTIONS = { minimatch: 'BlueOak-1.0.0' };

/** Whether an SPDX expression is allowed (simple forms: `A`, `(A OR B)`, `A AND B`). */
export function allowed(expression) {
  const e = expression.trim().replace(/^\((.*)\)$/, '$1');
  if (/\sOR\s/i.test(e)) return e.split(/\s+OR\s+/i).some(allowed);
  if (/\sAND\s/i.test(e)) return e.split(/\s+AND\s+/i).every(allowed);
  return ALLOWED.includes(e);
}

/** One row per bundled package: name, version, licence, whether it is allowed, whether by a reviewed exception. */
export async function checkLicenses(root = ROOT) {
  return bundledPackages(await bundledInputs(root), root).map(({ name, version, license }) => {
    const ok = allowed(license) || EXCEPTIONS[name] === license;
    return { name, version, license, ok, exception: !allowed(license) && EXCEPTIONS[name] === license };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await checkLicenses();
  const bad = rows.filter((r) => !r.ok);
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else {
    for (const r of rows) console.log(`${r.ok ? (r.exception ? '!' : '✓') : '✖'} ${r.name}@${r.version} ${r.license}${r.exception ? ' (reviewed exception)' : ''}`);
    console.log(bad.length ? `\n${bad.length} bundled package${bad.length === 1 ? ' has a licence' : 's have licences'} outside ${ALLOWED.join(', ')}` : `\n${rows.length} bundled packages: licences allowed`);
  }
  process.exitCode = bad.length ? 1 : 0;
}

/**
 * Path helpers that work on both `/` and `\` separators, so the core needs no Node module and runs the same in
 * every host.
 */

export function normalizeSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}

export function dirname(p: string): string {
  const n = normalizeSlashes(p).replace(/\/+$/, '');
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalizeSlashes(p).replace(/\/+$/, '');
  return n.slice(n.lastIndexOf('/') + 1);
}

export function join(...parts: string[]): string {
  const list = parts.filter(Boolean);
  const joined = normalizeSlashes(list.join('/')).replace(/\/{2,}/g, '/');
  // A network-share path (`//server/share`) keeps its leading `//`.
  return /^\/\/[^/]/.test(normalizeSlashes(list[0] ?? '')) ? `/${joined}` : joined;
}

/** `to` relative to `from` (both absolute), with `/` separators. */
export function relative(from: string, to: string): string {
  const a = normalizeSlashes(from).replace(/\/+$/, '').split('/');
  const b = normalizeSlashes(to).replace(/\/+$/, '').split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  return [...up, ...b.slice(i)].join('/') || '.';
}

/** Whether `child` is `parent` or inside it. */
export function isInside(parent: string, child: string): boolean {
  const p = normalizeSlashes(parent).replace(/\/+$/, '');
  const c = normalizeSlashes(child);
  return c === p || c.startsWith(p + '/');
}

/** The tenant manifest's file name: every folder holding one is a tenant folder (the format's contract). */
export const MANIFEST_FILE = 'zerotrust.yaml';

/** Whether a path names a tenant manifest (`zerotrust.yaml`, exactly: a lookalike opens no tenant): never a policy file. */
export function isManifestPath(path: string): boolean {
  return /(^|[\\/])zerotrust\.yaml$/.test(path);
}

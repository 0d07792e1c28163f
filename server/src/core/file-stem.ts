/** File names made from policy names, an untrusted string (`ztp import` and `ztp export` name their files this way). */

/** Names Windows reserves for devices, with any extension (`CON`, `con.json`, `LPT1.yaml`…). */
const RESERVED_NAME = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;

/**
 * A file name stem derived safely from a policy name: only letters, digits, `.`, `_` and `-` (no separators, `..`,
 * NUL or control characters), no leading or trailing dot, at most 100 characters (a longer name gets a short hash,
 * so two long names stay apart), and never a reserved device name. `taken` (lower-cased) keeps names unique on
 * case-insensitive file systems.
 */
export function safeFileStem(name: string | undefined, taken: Set<string>, fallback = 'policy'): string {
  const raw = name ?? '';
  let stem = raw.normalize('NFC').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.\s-]+|[.\s-]+$/g, '').replace(/\.{2,}/g, '.');
  if (stem.length > 100) stem = `${stem.slice(0, 90).replace(/[.-]+$/, '')}-${shortHash(raw)}`;
  if (!stem) stem = fallback;
  // Windows reserves the name before the first dot (`con.txt` is CON too).
  if (RESERVED_NAME.test(stem.split('.')[0]!)) stem = stem.replace(/^[^.]*/, (m) => `${m}-policy`);
  let unique = stem;
  for (let i = 2; taken.has(unique.toLowerCase()); i++) unique = `${stem}-${i}`;
  taken.add(unique.toLowerCase());
  return unique;
}

/** Eight hex digits of FNV-1a: what keeps two long names apart once they are cut. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

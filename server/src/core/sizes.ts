/** File sizes as people read them, for the "file too large" finding. */

const KB = 1024;
const MB = 1024 * 1024;

/**
 * How much of a file over the size limit is read all the same: its first 64 KB, never parsed, from which the tenant
 * model tells what it may hold (its `kind:`, its outermost `@odata.type`: `model/sniff.ts`), as it does for a file
 * that does not parse. A file system that refuses a file for its size hands them over with the refusal
 * (`PolicyFileSystem.readFile`).
 */
export const TOO_LARGE_HEAD_BYTES = 64 * KB;

/**
 * `512 bytes`, `4.9 KB`, `0.3 MB`, `50.0 MB`: bytes under 1 KB, KB under 0.1 MB, else MB (the unit of the setting),
 * so one decimal always says something (never "0.0 MB").
 */
export function formatSize(bytes: number): string {
  const n = Math.max(0, Math.floor(bytes));
  if (n < KB) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  if (n < 0.1 * MB) return `${(n / KB).toFixed(1)} KB`;
  return `${(n / MB).toFixed(1)} MB`;
}

/**
 * The finding on a file over the size limit. When the two sizes would print alike (a file a few bytes over the
 * limit), both are given in bytes, so the message never says "1.0 KB is over the 1.0 KB limit".
 */
export function tooLargeMessage(size: number, max: number): string {
  const alike = formatSize(size) === formatSize(max);
  const shown = (n: number): string => (alike ? `${Math.floor(n)} bytes` : formatSize(n));
  return `file too large: ${shown(size)} is over the ${shown(max)} limit, so it is not analysed (raise it with the setting \`zeroTrust.maxFileSizeMB\` or \`--max-file-size <MB>\` on the command line)`;
}

/** File system errors as the hosts and the store tell them apart: nothing to analyse, or a reason to report. */

/** The code of a file system error, when it has one. */
function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Read errors that mean "no file here to analyse", which hosts skip without a finding: the file was deleted between
 * discovery and the read (`ENOENT`, `ENOTDIR`), it is not a regular file (`ENOTREGULAR`: a named pipe, a device), or
 * it is outside the workspace folders (`EOUTSIDEWORKSPACE`, from the server's confined file system).
 */
export const SKIPPED_READ_ERRORS: readonly string[] = ['ENOENT', 'ENOTDIR', 'ENOTREGULAR', 'EOUTSIDEWORKSPACE'];

export function isSkippedReadError(e: unknown): boolean {
  const code = errorCode(e);
  return code !== undefined && SKIPPED_READ_ERRORS.includes(code);
}

/** A short reason for a read error, for a finding or a log line: `EACCES: permission denied`. */
export function readErrorReason(e: unknown): string {
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return `${code}: permission denied`;
  if (code === 'EISDIR') return `${code}: it is a folder`;
  const message = e instanceof Error ? e.message : String(e);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/**
 * The output of `ztp check`: text (default) and json (the contract) here, SARIF 2.1.0 in sarif.ts; and how every
 * command prints paths and untrusted text.
 */
import { normalizeSlashes, relative, type Finding } from '../core/index';
import type { OutputFinding } from './output';

export type { OutputFinding } from './output';
export { formatSarif } from './sarif';

export function formatJson(findings: OutputFinding[]): string {
  return JSON.stringify(
    findings.map((f) => {
      const o: Record<string, unknown> = { file: f.file, range: f.range, severity: f.severity, code: f.code, message: f.message };
      if (f.layer !== undefined) o.layer = f.layer;
      return o;
    }),
    null,
    2,
  );
}

/**
 * Text for a terminal or a CI log, with nothing in it that could act as a control: C0 and C1 control characters
 * (newlines, ESC sequences), Unicode line separators and bidirectional overrides, and lone surrogates (the bytes of
 * a file name that is not UTF-8, see host/fs-names.ts) become visible escapes: `\n`, `\x1b`, `\xff`, `\u{202e}`.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, escapeChar);
}

function escapeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  if (c >= 0xdc80 && c <= 0xdcff) return `\\x${(c - 0xdc00).toString(16).padStart(2, '0')}`;
  if (c < 0x100) return `\\x${c.toString(16).padStart(2, '0')}`;
  return `\\u{${c.toString(16)}}`;
}

/**
 * A path as the CLI prints it in text: controls escaped as above, and also `\` and `:` (but a drive letter's), so a
 * file named `a.yaml:1:1 error …` cannot pass for a finding in a `file:line:col` line.
 */
export function printablePath(path: string): string {
  const drive = /^[A-Za-z]:(?=\/)/.exec(path)?.[0] ?? '';
  return drive + escapeControls(path.slice(drive.length).replace(/\\/g, '\\\\')).replace(/:/g, '\\x3a');
}

/**
 * A path as the user would write it: relative to the current folder when inside it, else absolute (a file outside
 * is not shown as `../../x/…`). Not escaped: pass it through `printablePath` or `escapeControls` to print it.
 */
export function shownPath(cwd: string, path: string): string {
  const r = relative(normalizeSlashes(cwd), normalizeSlashes(path));
  return r === '..' || r.startsWith('../') ? normalizeSlashes(path) : r;
}

const COLORS = { error: '\u001b[31m', warning: '\u001b[33m', information: '\u001b[36m', hint: '\u001b[90m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m', green: '\u001b[32m' };

export interface TextSummary {
  files: number;
  tenants: number;
}

/** `file:line:col severity code message`, 1-based like compilers print, then a summary line. */
export function formatText(findings: OutputFinding[], summary: TextSummary, color: boolean): string {
  const c = (k: keyof typeof COLORS, s: string): string => (color ? `${COLORS[k]}${s}${COLORS.reset}` : s);
  const lines: string[] = [];
  for (const f of findings) {
    const loc = `${printablePath(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    const sev = f.severity;
    const layer = f.layer !== undefined ? c('dim', ` [layer ${f.layer}]`) : '';
    lines.push(`${c('bold', loc)} ${c(sev, sev)} ${c('dim', f.code)} ${escapeControls(f.message)}${layer}`);
  }
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  const parts: string[] = [];
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (count('error')) parts.push(c('error', plural(count('error'), 'error')));
  if (count('warning')) parts.push(c('warning', plural(count('warning'), 'warning')));
  if (count('information')) parts.push(c('information', `${count('information')} information`));
  if (count('hint')) parts.push(c('hint', plural(count('hint'), 'hint')));
  const scope = `${plural(summary.files, 'file')} in ${plural(summary.tenants, 'tenant')}`;
  if (lines.length) lines.push('');
  lines.push(parts.length ? `${count('error') ? c('error', '✖') : c('warning', '⚠')} ${parts.join(', ')} (${scope} checked)` : `${c('green', '✔')} no problems (${scope} checked)`);
  return lines.join('\n');
}

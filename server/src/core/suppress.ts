/**
 * Suppression comments: `# ztp-ignore RULE-ID: reason` on the line above a finding suppresses that rule there;
 * at the top of the file (before any content) it suppresses the rule for the whole file. The reason is required.
 */
import { visit } from 'yaml';
import type { ParsedDocument } from './document';
import type { Span } from './types';

export interface SuppressionComment {
  ruleIds: string[];
  reason: string;
  /** 0-based line of the comment. */
  line: number;
  span: Span;
  fileWide: boolean;
}

export interface Suppressions {
  comments: SuppressionComment[];
  /** Comments that name no reason (reported by `invalid-suppression`). */
  invalid: SuppressionComment[];
}

const PATTERN = /^(\s*)#\s*ztp-ignore\s+([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)\s*(:\s*(.*?))?\s*$|^(\s*)#\s*ztp-ignore\s+([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)\b(.*)$/;

/** The comment that suppresses `ruleId` on the line below it, `indent` spaces in; the reason is left to the author. */
export function suppressionComment(ruleId: string, indent: number): string {
  return `${' '.repeat(indent)}# ztp-ignore ${ruleId}: <why this is accepted>`;
}

export function parseSuppressions(parsed: ParsedDocument): Suppressions {
  const comments: SuppressionComment[] = [];
  const invalid: SuppressionComment[] = [];
  if (parsed.format === 'json' || !parsed.text.includes('ztp-ignore')) return { comments, invalid };
  let sawContent = false;
  let multiLine: [number, number][] | undefined;
  for (let line = 0; line < parsed.lines.lineCount; line++) {
    const start = parsed.lines.lineStart(line);
    const end = parsed.lines.lineEnd(line);
    const text = parsed.text.slice(start, end);
    const trimmed = text.trim();
    if (trimmed === '' || trimmed === '---') continue;
    if (!trimmed.startsWith('#')) {
      sawContent = true;
      continue;
    }
    const m = PATTERN.exec(text);
    if (!m) continue;
    // Only a real comment suppresses: a `# ztp-ignore` line inside a block scalar (`description: |`) or a quoted
    // scalar that spans lines is the value's text, not a comment (the contract: "A comment `# ztp-ignore …`").
    if (inScalarText((multiLine ??= multiLineScalars(parsed)), start + text.indexOf('#'))) continue;
    // Second alternative: ids followed by something that is not `: reason` (so no reason was given).
    const indent = (m[1] ?? m[5] ?? '').length;
    const ids = m[2] ?? m[6]!;
    const c: SuppressionComment = {
      ruleIds: ids.split(',').map((s) => s.trim()),
      reason: m[2] !== undefined ? (m[4] ?? '').trim() : '',
      line,
      span: { offset: start + indent, length: end - start - indent },
      fileWide: !sawContent,
    };
    if (c.reason) comments.push(c);
    else invalid.push(c);
  }
  return { comments, invalid };
}

/** The source ranges of the document's scalars that span lines (block scalars, multi-line quoted ones). */
function multiLineScalars(parsed: ParsedDocument): [number, number][] {
  const out: [number, number][] = [];
  const doc = parsed.doc;
  if (!doc) return out;
  visit(doc, {
    Scalar(_, node) {
      const r = node.range;
      if (r && /[\r\n]/.test(parsed.text.slice(r[0], r[1]))) out.push([r[0], r[1]]);
    },
  });
  return out;
}

/** Whether an offset lies inside one of those scalars (after its first character: the indicator or the quote). */
function inScalarText(ranges: [number, number][], offset: number): boolean {
  return ranges.some(([from, to]) => offset > from && offset < to);
}

/**
 * Whether a finding of `ruleId` starting on `line` is suppressed. A comment applies to the next line with content,
 * so a block of comments above a key works as people write them.
 */
export function isSuppressed(parsed: ParsedDocument, s: Suppressions, ruleId: string, line: number): boolean {
  return suppressingComment(parsed, s, ruleId, line) !== undefined;
}

/** The comment that suppresses a finding of `ruleId` starting on `line` (its reason is what an auditor reads), if any. */
export function suppressingComment(parsed: ParsedDocument, s: Suppressions, ruleId: string, line: number): SuppressionComment | undefined {
  for (const c of s.comments) {
    if (!c.ruleIds.includes(ruleId)) continue;
    if (c.fileWide) return c;
    if (nextContentLine(parsed, c.line) === line) return c;
  }
  return undefined;
}

function nextContentLine(parsed: ParsedDocument, line: number): number {
  for (let l = line + 1; l < parsed.lines.lineCount; l++) {
    const t = parsed.text.slice(parsed.lines.lineStart(l), parsed.lines.lineEnd(l)).trim();
    if (t !== '' && !t.startsWith('#')) return l;
  }
  return -1;
}

/**
 * Phase two: run the rules over one tenant's facts, then apply settings (severity overrides, `off`), report-only
 * lowering and suppression comments. A rule that throws is contained and reported once through `onRuleError`.
 */
import { isSuppressed } from './suppress';
import { lowerSeverity, type Finding, type SeveritySetting } from './types';
import type { Rule, TenantView, Emitted } from './rule';
import type { FileFacts } from './facts';

export interface AnalysisSettings {
  /** `zeroTrust.rules.<id>`: a severity, or `off`. */
  rules?: Record<string, SeveritySetting>;
}

export interface AnalyzeOptions {
  settings?: AnalysisSettings;
  onRuleError?: (ruleId: string, error: unknown) => void;
}

const reportedErrors = new Set<string>();

export function runRules(view: TenantView, rules: Rule[], options: AnalyzeOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const overrides = options.settings?.rules ?? {};
  for (const rule of rules) {
    const setting = overrides[rule.id];
    if (setting === 'off') continue;
    const emitted: Emitted[] = [];
    try {
      rule.check(view, (f) => emitted.push(f));
    } catch (error) {
      const key = `${rule.id}:${String(error)}`;
      if (!reportedErrors.has(key)) {
        reportedErrors.add(key);
        options.onRuleError?.(rule.id, error);
      }
      continue;
    }
    for (const e of emitted) {
      let severity = setting ?? e.severity ?? rule.defaultSeverity;
      if (e.lowered) severity = lowerSeverity(severity);
      const finding: Finding = {
        ruleId: rule.id,
        severity,
        message: e.message,
        file: e.file.path,
        span: e.span,
      };
      const layer = e.layer ?? rule.layer ?? layerOf(e.file);
      if (layer !== undefined) finding.layer = layer;
      if (e.related?.length) finding.related = e.related;
      if (e.data !== undefined) finding.data = e.data;
      if (e.tags?.length) finding.tags = e.tags;
      if (isSuppressedFinding(e.file, rule.id, e.span.offset)) continue;
      findings.push(finding);
    }
  }
  return findings.sort(compareFindings);
}

function layerOf(file: FileFacts): number | undefined {
  return file.type === 'policy' ? file.layer : undefined;
}

function isSuppressedFinding(file: FileFacts, ruleId: string, offset: number): boolean {
  if (!file.suppressions.comments.length) return false;
  const line = file.parsed.lines.positionAt(offset).line;
  return isSuppressed(file.parsed, file.suppressions, ruleId, line);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.span.offset !== b.span.offset) return a.span.offset - b.span.offset;
  return a.ruleId.localeCompare(b.ruleId);
}

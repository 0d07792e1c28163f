/**
 * Phase two: run the rules over one tenant's facts, then apply settings (severity overrides, `off`), report-only
 * lowering and suppression comments. A rule that throws is contained: it becomes an `internal-error` finding that names
 * it (every run, so it stays visible), and each distinct error is reported once per callback through `onRuleError`.
 */
import { suppressingComment, type SuppressionComment } from './suppress';
import { firstLineSpan } from './document';
import { lowerSeverity, type Finding, type Severity, type SeveritySetting } from './types';
import type { Rule, TenantView, Emitted } from './rule';
import type { FileFacts } from './facts';
import { recordingReads, touches, type Read } from './reads';

export interface AnalysisSettings {
  /** `zeroTrust.rules.<id>`: a severity, or `off`. */
  rules?: Record<string, SeveritySetting>;
}

export interface AnalyzeOptions {
  settings?: AnalysisSettings;
  onRuleError?: (ruleId: string, error: unknown) => void;
  /**
   * Collects the findings a `# ztp-ignore` comment accepted, with the comment: what the findings leave out, for the
   * report (an auditor asks for each accepted finding and its reason).
   */
  accepted?: AcceptedFinding[];
  /**
   * Record what each rule reads (`reads.ts`) into `runs`, and take a rule's findings from `previous` instead of
   * running it when none of what it read there is among `previous.changed`. For a store that keeps a tenant's
   * analysis across edits; the findings are the same as a full run's.
   */
  incremental?: {
    runs: RuleRuns;
    previous?: { runs: RuleRuns; changed: ReadonlySet<Read> };
    /** Rules already run in this analysis (for one file's findings first: `PolicyStore.fileFindings`): taken as they are. */
    made?: RuleRuns;
  };
  /** Return only the findings on this file (the runs recorded keep every file's): one file's findings, sorted alone. */
  onlyFile?: string;
}

/** One rule's findings in one tenant, with what it read to make them. */
export interface RuleRun {
  reads: ReadonlySet<Read>;
  findings: readonly Finding[];
  /** The findings a suppression comment accepted (not among `findings`). */
  accepted: readonly AcceptedFinding[];
}

/**
 * A finding a `# ztp-ignore RULE-ID: reason` comment suppressed: left out of the findings (`ztp check`, the editor), kept
 * with the comment for the report.
 */
export interface AcceptedFinding {
  finding: Finding;
  /** The comment that accepted it: its reason, its line (0-based), and whether it covers the whole file. */
  comment: Pick<SuppressionComment, 'reason' | 'line' | 'fileWide'>;
}

/**
 * A finding accepted with `# ztp-ignore`, as a reader is shown it: rule, file, place, reason. The report lists these for
 * an auditor, and `ztp diff` the ones a change accepts: one reading of a comment and what it accepted.
 */
export interface AcceptedEntry {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The file, as the report shows paths, and the finding's line (1-based). */
  file: string;
  line: number;
  policy?: string;
  /** The comment's reason, and its line (1-based); `fileWide` when it sits at the top of the file. */
  reason: string;
  commentLine: number;
  fileWide: boolean;
}

/** The accepted findings in file and line order (hints too: a comment accepted them all the same). */
export function acceptedEntries(t: TenantView, accepted: readonly AcceptedFinding[], rel: (p: string) => string): AcceptedEntry[] {
  return [...accepted]
    .sort((a, b) => (a.finding.file < b.finding.file ? -1 : a.finding.file > b.finding.file ? 1 : a.finding.span.offset - b.finding.span.offset || a.finding.ruleId.localeCompare(b.finding.ruleId)))
    .map(({ finding: f, comment }) => {
      const facts = t.files.find((x) => x.path === f.file);
      return {
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        file: rel(f.file),
        line: facts ? facts.parsed.lines.positionAt(f.span.offset).line + 1 : 1,
        ...(t.policies.find((x) => x.path === f.file)?.name ? { policy: t.policies.find((x) => x.path === f.file)!.name } : {}),
        reason: comment.reason,
        commentLine: comment.line + 1,
        fileWide: comment.fileWide,
      };
    });
}

/** Each rule's run (by id) in one analysis of a tenant; a rule that failed has none. */
export type RuleRuns = Map<string, RuleRun>;

/** Errors already passed to each `onRuleError` callback: a server logs each once, yet every CLI run hears its own. */
const reportedErrors = new WeakMap<object, Set<string>>();

export const INTERNAL_ERROR = 'internal-error';

export function runRules(view: TenantView, rules: Rule[], options: AnalyzeOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const overrides = options.settings?.rules ?? {};
  const incremental = options.incremental;
  for (const rule of rules) {
    const setting = overrides[rule.id];
    if (setting === 'off') continue;
    const made = incremental?.made?.get(rule.id);
    if (made) {
      incremental!.runs.set(rule.id, made);
      findings.push(...made.findings);
      options.accepted?.push(...made.accepted);
      continue;
    }
    const before = incremental?.previous?.runs.get(rule.id);
    if (before && !touches(before.reads, incremental!.previous!.changed)) {
      incremental!.runs.set(rule.id, before);
      findings.push(...before.findings);
      options.accepted?.push(...before.accepted);
      continue;
    }
    const emitted: Emitted[] = [];
    const reads = incremental ? new Set<Read>() : undefined;
    try {
      const emit = (f: Emitted): void => void emitted.push(f);
      if (reads) recordingReads(reads, () => rule.check(view, emit));
      else rule.check(view, emit);
    } catch (error) {
      const key = `${rule.id}:${String(error)}`;
      const callback = options.onRuleError;
      if (callback) {
        let seen = reportedErrors.get(callback);
        if (!seen) reportedErrors.set(callback, (seen = new Set()));
        if (!seen.has(key)) {
          seen.add(key);
          callback(rule.id, error);
        }
      }
      const internal = internalErrorFinding(view, rule.id, error, overrides[INTERNAL_ERROR]);
      if (internal) findings.push(internal);
      continue;
    }
    const start = findings.length;
    const accepted: AcceptedFinding[] = [];
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
      if (e.certain?.length) finding.certain = e.certain;
      const comment = suppressionOf(e.file, rule.id, e.span.offset);
      if (comment) accepted.push({ finding, comment: { reason: comment.reason, line: comment.line, fileWide: comment.fileWide } });
      else findings.push(finding);
    }
    options.accepted?.push(...accepted);
    if (reads) incremental!.runs.set(rule.id, { reads, findings: findings.slice(start), accepted });
  }
  return (options.onlyFile === undefined ? findings : findings.filter((f) => f.file === options.onlyFile)).sort(compareFindings);
}

/**
 * The finding for a rule that threw: on line 1 of the tenant's manifest (or of the view's first file). Not subject to
 * suppression comments: a file cannot hide that a check did not run. Only `off` (an explicit setting) silences it.
 */
function internalErrorFinding(view: TenantView, ruleId: string, error: unknown, setting: SeveritySetting | undefined): Finding | undefined {
  if (setting === 'off' || ruleId === INTERNAL_ERROR) return undefined;
  const file = view.manifest ?? view.files[0];
  if (!file) return undefined;
  const reason = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).replace(/\s+/g, ' ').slice(0, 300);
  return {
    ruleId: INTERNAL_ERROR,
    severity: setting ?? 'error',
    message: `the rule \`${ruleId}\` failed while checking ${view.root === undefined ? 'this file' : 'this tenant'}, so its findings are missing (${reason}); please report it with \`ztp --version\``,
    file: file.path,
    span: firstLineSpan(file.parsed),
    data: { ruleId },
  };
}

function layerOf(file: FileFacts): number | undefined {
  return file.type === 'policy' ? file.layer : undefined;
}

/** The suppression comment that accepts a finding of a rule at an offset of a file, if any. */
function suppressionOf(file: FileFacts, ruleId: string, offset: number): SuppressionComment | undefined {
  if (!file.suppressions.comments.length) return undefined;
  const line = file.parsed.lines.positionAt(offset).line;
  return suppressingComment(file.parsed, file.suppressions, ruleId, line);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.span.offset !== b.span.offset) return a.span.offset - b.span.offset;
  return a.ruleId.localeCompare(b.ruleId);
}

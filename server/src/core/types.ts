/**
 * The core's vocabulary. Spans are offsets into a file's decoded text; LSP ranges are made at the edge.
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];

/** One step down (report-only lowering): error → warning → information → hint. */
export function lowerSeverity(s: Severity): Severity {
  const i = SEVERITY_ORDER.indexOf(s);
  return SEVERITY_ORDER[Math.min(i + 1, SEVERITY_ORDER.length - 1)]!;
}

export interface Span {
  offset: number;
  length: number;
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface RelatedInfo {
  /** Absolute path of the related file. */
  file: string;
  span: Span;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Absolute path of the file the finding is in. */
  file: string;
  span: Span;
  /** The Zero Trust layer the finding belongs to (1–7), when it has one. */
  layer?: number;
  related?: RelatedInfo[];
  /** What the rule needs to compute its fix. */
  data?: unknown;
  tags?: ('deprecated' | 'unnecessary')[];
  /**
   * What the message states as certain, where such a rule also says of some things that they only may be (platform and
   * group: `iOS:grp-sales`). \`ztp diff\` reads it: a head finding that states as certain what the base's said only may
   * be is not the same gap narrowed, however its words compare.
   */
  certain?: string[];
}

/** A replacement of `span` in `file` (offsets in the file's current text). */
export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface FileCreate {
  file: string;
  content: string;
}

export interface Fix {
  title: string;
  /** The one fix an editor should offer first. */
  isPreferred?: boolean;
  /** Safe to apply unattended (`ztp check --fix`). */
  safe: boolean;
  edits: TextEdit[];
  creates: FileCreate[];
}

/** One finding as `ztp check` prints it: a path relative to the current folder and 0-based LSP ranges. */
import { normalizeSlashes, relative, type Finding, type PolicyService, type Range } from '../core/index';

export interface OutputFinding {
  file: string;
  range: Range;
  severity: Finding['severity'];
  code: string;
  message: string;
  layer?: number;
  related?: { file: string; range: Range; message: string }[];
}

/** One finding as `--format json` prints it (the contract: `file` relative to `cwd`, with `/`). */
export function toOutput(service: PolicyService, f: Finding, cwd: string): OutputFinding {
  const rel = (p: string): string => relative(normalizeSlashes(cwd), p);
  const lines = service.get(f.file)!.parsed.lines;
  const out: OutputFinding = { file: rel(f.file), range: lines.rangeOf(f.span), severity: f.severity, code: f.ruleId, message: f.message };
  if (f.layer !== undefined) out.layer = f.layer;
  if (f.related?.length) {
    out.related = f.related.map((r) => {
      const rl = service.get(r.file)?.parsed.lines;
      return { file: rel(r.file), range: rl ? rl.rangeOf(r.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: r.message };
    });
  }
  return out;
}

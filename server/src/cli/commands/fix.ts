/**
 * `ztp check --fix`: apply the safe quick fixes, a few passes, each confined to its tenant and written as one set;
 * what was written is fed back to the service, so a pass re-analyses without reading the tenant again.
 */
import { dirname } from 'node:path';
import { applyEdits, editsByFile, type Finding, type Fix, type PolicyService } from '../../core/index';
import { checkWriteTarget, writeAll, type PlannedWrite } from '../../host/confined-write';
import { escapeControls, printablePath, shownPath } from '../format';

/** What one pass did. */
interface FixPass {
  /** `fixed: …` lines, one per fix whose writes all happened. */
  changes: string[];
  /** `not fixed: …` lines: fixes refused before anything was written (a write outside the tenant, a file there). */
  refused: string[];
  /** Set when a write failed: every write of the pass was undone (what could not be is said). */
  failure?: string;
  /** What was written, for the service. */
  written: PlannedWrite[];
}

/** What `--fix` did over all its passes. */
export interface FixOutcome {
  /** The findings after the last pass. */
  findings: Finding[];
  /** `fixed: …` lines. */
  log: string[];
  /** `not fixed: …` lines and write failures: something was not applied (exit status 2). */
  refused: string[];
}

const MAX_PASSES = 5;

/** Which finding a later pass may still fix: its rule on its file, as the first check reported them. */
const findingKey = (f: Finding): string => `${f.ruleId}\u0000${f.file}`;

/**
 * Apply safe fixes until none is left (or five passes); `analyze` gives the findings in scope. Later passes finish
 * what the first check reported (one fix per file per pass): a finding that only the fixes brought up (a tenant-wide
 * CA check that a first CA file wakes) is reported by the check after, not fixed unasked.
 */
export async function fixAll(service: PolicyService, findings: Finding[], analyze: () => Finding[], cwd: string): Promise<FixOutcome> {
  const log: string[] = [];
  const refused: string[] = [];
  const tried = new Set<string>();
  const reported = new Set(findings.map(findingKey));
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const r = applySafeFixes(service, findings.filter((f) => reported.has(findingKey(f))), cwd, tried);
    refused.push(...r.refused);
    log.push(...r.changes);
    if (r.failure) refused.push(r.failure);
    if (!r.changes.length) break;
    // The service gets the bytes just written (as the next read would), and re-analyses only the changed tenants.
    for (const w of r.written) service.update(w.path, w.content, pass);
    findings = analyze();
  }
  return { findings, log, refused };
}

/**
 * Apply every safe fix once. Every path a fix writes is resolved (links included) and checked to be inside its
 * tenant folder, and a file it creates must not exist, before anything is written; a fix with any refused path is
 * not applied at all (said on stderr). The remaining writes then run as one set (host/confined-write.ts).
 */
function applySafeFixes(service: PolicyService, findings: Finding[], cwd: string, tried: Set<string>): FixPass {
  const shown = (p: string): string => printablePath(shownPath(cwd, p));
  const pass: FixPass = { changes: [], refused: [], written: [] };
  const chosen: { fix: Fix; writes: PlannedWrite[] }[] = [];
  const touched = new Set<string>();
  for (const f of findings) {
    const fixes = service.fixes(f).filter((x) => x.safe);
    const fix = fixes.find((x) => x.isPreferred) ?? fixes[0];
    if (!fix) continue;
    // One fix per file per pass keeps edits from overlapping; the next pass picks up the rest.
    const files = [...fix.edits.map((e) => e.file), ...fix.creates.map((c) => c.file)];
    if (files.some((x) => touched.has(x))) continue;
    const key = `${fix.title}\u0000${files.join('\u0000')}`;
    // A fix refused once is refused again: say it once.
    if (tried.has(key)) continue;
    // Outside a tenant, a fix may write only beside the file it fixes.
    const confine = service.tenantRootOf(f.file) ?? dirname(f.file);
    const writes: PlannedWrite[] = [];
    const reasons: string[] = [];
    for (const [file, edits] of editsByFile([fix])) {
      const facts = service.get(file);
      const checked = checkWriteTarget(file, confine, { mode: 'replace', writable: true });
      if (!facts) reasons.push(`${shown(file)} was not read`);
      else if (!checked.ok) reasons.push(escapeControls(checked.reason));
      else writes.push({ path: file, real: checked.real, content: reencode(applyEdits(facts.parsed.text, edits), facts.parsed.encoding), mode: 'replace', missingDirs: [] });
    }
    for (const c of fix.creates) {
      const checked = checkWriteTarget(c.file, confine, { mode: 'create', writable: true });
      if (!checked.ok) reasons.push(escapeControls(checked.reason));
      else writes.push({ path: c.file, real: checked.real, content: c.content, mode: 'create', missingDirs: checked.missingDirs });
    }
    if (reasons.length) {
      tried.add(key);
      pass.refused.push(`not fixed: ${fix.title} (${reasons.join('; ')})`);
      continue;
    }
    files.forEach((x) => touched.add(x));
    chosen.push({ fix, writes });
  }
  const outcome = writeAll(chosen.flatMap((c) => c.writes));
  if (outcome.failure) {
    const notUndone = outcome.notUndone.length ? `; these changes could not be undone: ${outcome.notUndone.map(escapeControls).join(', ')}` : '; every change of this pass was undone';
    pass.failure = `--fix could not write ${shown(outcome.failure.path)} (${escapeControls(outcome.failure.reason)})${notUndone}`;
    return pass;
  }
  for (const { fix, writes } of chosen) {
    const where = [...new Set([...fix.edits.map((e) => e.file), ...fix.creates.map((c) => c.file)])].map(shown);
    pass.changes.push(`fixed: ${fix.title} (${where.join(', ')})`);
    pass.written.push(...writes);
  }
  return pass;
}

/** Write text back in the encoding it was read in, BOM included. */
function reencode(text: string, encoding: string): Uint8Array {
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf16be') {
    const le = Buffer.from(text, 'utf16le');
    for (let i = 0; i + 1 < le.length; i += 2) {
      const t = le[i]!;
      le[i] = le[i + 1]!;
      le[i + 1] = t;
    }
    return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
  }
  if (encoding === 'utf8bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  return Buffer.from(text, 'utf8');
}

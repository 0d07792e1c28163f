/**
 * `ztp`: the command-line host of the analysis core. Thin: it reads files, calls the core and prints.
 */
import { promises as fs } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { createPolicyService, isSkippedReadError, readErrorReason, type PolicyFileSystem, type PolicyService, type ScanProblem } from '../core/workspace';
import { MANIFEST_FILE } from '../core/facts';
import { RULES, ruleById } from '../core/rules/index';
import { isInside, normalizeSlashes, relative } from '../core/paths';
import type { Finding, Fix } from '../core/types';
import { applyEdits, editsByFile } from '../core/fix-apply';
import { nodeFileSystemSync as nodeFileSystem } from '../host/node-fs';
import { forEachLimit, READ_CONCURRENCY } from '../core/concurrency';
import { escapeControls, formatJson, formatSarif, formatText, printablePath, type OutputFinding } from './format';
import { checkWriteTarget, writeAll, type PlannedWrite } from '../host/confined-write';
import type { Rule } from '../core/rule';
import { INTERNAL_ERROR } from '../core/analyze';
import { whatif } from './whatif';
import { report } from './report';
import { exportCommand, importCommand } from './interop';
import pkg from '../../../package.json';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** Where policy files are read (default: the disk); tests inject faults through it. */
  fs?: PolicyFileSystem;
  /** The rules to run (default: the registry); tests inject a rule that throws. */
  rules?: Rule[];
}

export const VERSION: string = pkg.version;

const HELP = `ztp ${VERSION} — check Intune and Entra Zero Trust policies as code, offline

Usage:
  ztp check [paths…] [options]   check tenant folders and policy files (default: the current folder)
  ztp whatif <tenant> …          offline Conditional Access What If; --lockout checks no account is locked out
  ztp report <tenant> …          the tenant's Zero Trust report (seven layers, findings by team), md or html
  ztp import <export> --out <tenant>   Graph exports (JSON, UTF-16 too) → policy files and zerotrust.yaml groups
  ztp export <tenant> --out <folder>   policy files → Graph request bodies, endpoints and assign calls
  ztp lsp --stdio                start the language server (for any LSP editor)
  ztp --help | --version

Options for check:
  --format text|json|sarif       output format (default: text)
  --fix                          apply the safe quick fixes, print what changed, then check again
  --no-color                     plain text even on a terminal (NO_COLOR is honoured too)
  --rule <id>=<severity|off>     change a rule's severity for this run (repeatable)
  --max-file-size <MB>           larger files are not analysed, each gets one finding (default: 5)

Exit status: 0 no errors, 1 errors found, 2 a usage or I/O problem.
A tenant folder is any folder with a zerotrust.yaml. Docs for each rule: docs/rules/<id>.md.`;

class UsageError extends Error {}

interface CheckArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  color: boolean | undefined;
  rules: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>;
  /** In bytes; undefined for the default. */
  maxFileSize?: number;
}

function parseCheckArgs(args: string[]): CheckArgs {
  const out: CheckArgs = { paths: [], format: 'text', fix: false, color: undefined, rules: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const takeValue = (name: string): string => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === '--format' || a.startsWith('--format=')) {
      const v = takeValue('--format');
      if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`unknown format '${v}'; use text, json or sarif`);
      out.format = v;
    } else if (a === '--max-file-size' || a.startsWith('--max-file-size=')) {
      const v = takeValue('--max-file-size');
      const mb = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(mb > 0)) throw new UsageError(`--max-file-size takes a size in MB greater than 0, not '${v}'`);
      out.maxFileSize = mb * 1024 * 1024;
    } else if (a === '--fix') out.fix = true;
    else if (a === '--no-color') out.color = false;
    else if (a === '--color') out.color = true;
    else if (a === '--rule' || a.startsWith('--rule=')) {
      const v = a === '--rule' ? takeValue('--rule') : a.slice('--rule='.length);
      const m = /^([a-z0-9-]+)=(error|warning|information|hint|off)$/.exec(v);
      if (!m) throw new UsageError(`--rule takes <id>=<error|warning|information|hint|off>, not '${v}'`);
      if (!ruleById(m[1]!)) throw new UsageError(`unknown rule '${m[1]}'`);
      out.rules[m[1]!] = m[2] as CheckArgs['rules'][string];
    } else if (a === '--') {
      out.paths.push(...args.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'; see ztp --help`);
    else out.paths.push(a);
  }
  if (out.paths.length === 0) out.paths.push('.');
  return out;
}

async function exists(p: string): Promise<'file' | 'directory' | undefined> {
  const k = await entryKind(p);
  return k === 'file' || k === 'directory' ? k : undefined;
}

/** What is at a path (links followed): a file, a folder, something else by name, or nothing. */
async function entryKind(p: string): Promise<'file' | 'directory' | 'missing' | 'a named pipe (FIFO)' | 'a socket' | 'a device' | 'not a file or folder'> {
  let s;
  try {
    s = await fs.stat(p);
  } catch {
    return 'missing';
  }
  if (s.isDirectory()) return 'directory';
  if (s.isFile()) return 'file';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a file or folder';
}

/** The nearest folder at or above `start` that holds a manifest. */
async function findTenantRoot(start: string): Promise<string | undefined> {
  let dir = start;
  for (;;) {
    if ((await exists(join(dir, MANIFEST_FILE))) === 'file') return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

interface Loaded {
  service: PolicyService;
  scopes: string[];
  /** Exit status 2. */
  problems: ScanProblem[];
  /** Printed on stderr, without changing the exit status (files that went away during the check). */
  notes: ScanProblem[];
  /** Rules that threw (each once): the result is incomplete, so exit status 2. */
  ruleErrors: string[];
}

async function loadPaths(paths: string[], io: CliIO, args: CheckArgs): Promise<Loaded> {
  const ruleErrors: string[] = [];
  const service = createPolicyService({
    fs: io.fs ?? nodeFileSystem,
    settings: { rules: args.rules },
    maxFileSize: args.maxFileSize,
    rules: io.rules,
    onRuleError: (id, e) => ruleErrors.push(`rule ${id} failed and its findings are missing (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}); see the internal-error finding`),
  });
  const problems: ScanProblem[] = [];
  const notes: ScanProblem[] = [];
  const scopes: string[] = [];
  const roots = new Set<string>();
  const files = new Set<string>();
  for (const raw of paths) {
    const abs = resolve(io.cwd, raw);
    const what = await entryKind(abs);
    if (what === 'missing') throw new UsageError(`no such file or folder: ${escapeControls(raw)}`);
    if (what !== 'file' && what !== 'directory') throw new UsageError(`${escapeControls(raw)} is ${what}, not a policy file or folder; only regular files and folders are checked`);
    const kind = what;
    scopes.push(normalizeSlashes(abs));
    // A path inside a tenant is checked with the whole tenant around it, so cross-file rules see everything.
    const tenant = await findTenantRoot(kind === 'directory' ? abs : dirname(abs));
    const scanRoot = tenant && (kind === 'file' || tenant !== abs) ? tenant : abs;
    if (kind === 'file') {
      files.add(abs);
      service.markExplicit(abs);
    }
    if (kind === 'directory' || tenant) roots.add(scanRoot);
  }
  for (const root of roots) for (const f of await service.discover(root, problems)) files.add(f);
  const list = [...files];
  // Reads overlap, a bounded number at a time, so memory stays flat on large workspaces.
  await forEachLimit(list, READ_CONCURRENCY, async (f) => {
    try {
      await service.load(f);
    } catch (e) {
      // Deleted between discovery and the read (or not a regular file): not a user error, so skipped with a note.
      if (isSkippedReadError(e)) notes.push({ path: f, message: 'skipped: the file went away while it was being checked' });
      else problems.push({ path: f, message: `cannot read the file (${readErrorReason(e)})` });
    }
  });
  return { service, scopes, problems, notes, ruleErrors };
}

function inScope(file: string, scopes: string[]): boolean {
  return scopes.some((s) => isInside(s, file));
}

/** One finding as `--format json` prints it (exported for the contract tests). */
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

interface FixPass {
  /** `fixed: …` lines, one per fix whose writes all happened. */
  changes: string[];
  /** `not fixed: …` lines: fixes refused before anything was written (a write outside the tenant, a file there). */
  refused: string[];
  /** Set when a write failed: every write of the pass was undone (what could not be is said). */
  failure?: string;
}

/**
 * Apply every safe fix once. Every path a fix writes is resolved (links included) and checked to be inside its
 * tenant folder, and a file it creates must not exist, before anything is written; a fix with any refused path is
 * not applied at all (said on stderr). The remaining writes then run as one set (host/confined-write.ts).
 */
async function applySafeFixes(service: PolicyService, findings: Finding[], cwd: string, tried: Set<string>): Promise<FixPass> {
  const shownPath = (p: string): string => printablePath(relative(normalizeSlashes(cwd), p));
  const pass: FixPass = { changes: [], refused: [] };
  const chosen: { fix: Fix; writes: PlannedWrite[] }[] = [];
  const touched = new Set<string>();
  for (const f of findings) {
    const rule = ruleById(f.ruleId);
    if (!rule?.fix) continue;
    const root = service.tenantRootOf(f.file);
    const fixes = rule.fix(f, service.view(root)).filter((x) => x.safe);
    const fix = fixes.find((x) => x.isPreferred) ?? fixes[0];
    if (!fix) continue;
    // One fix per file per pass keeps edits from overlapping; the next pass picks up the rest.
    const files = [...fix.edits.map((e) => e.file), ...fix.creates.map((c) => c.file)];
    if (files.some((x) => touched.has(x))) continue;
    const key = `${fix.title}\u0000${files.join('\u0000')}`;
    // A fix refused once is refused again: say it once.
    if (tried.has(key)) continue;
    // Outside a tenant, a fix may write only beside the file it fixes.
    const confine = root ?? dirname(f.file);
    const writes: PlannedWrite[] = [];
    const reasons: string[] = [];
    for (const [file, edits] of editsByFile([fix])) {
      const facts = service.get(file);
      const checked = checkWriteTarget(file, confine, { mode: 'replace', writable: true });
      if (!facts) reasons.push(`${shownPath(file)} was not read`);
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
    pass.failure = `--fix could not write ${shownPath(outcome.failure.path)} (${escapeControls(outcome.failure.reason)})${notUndone}`;
    return pass;
  }
  for (const { fix } of chosen) {
    const where = [...new Set([...fix.edits.map((e) => e.file), ...fix.creates.map((c) => c.file)])].map(shownPath);
    pass.changes.push(`fixed: ${fix.title} (${where.join(', ')})`);
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

async function check(args: CheckArgs, io: CliIO): Promise<number> {
  let loaded = await loadPaths(args.paths, io, args);
  let findings = loaded.service.analyzeAll().filter((f) => inScope(f.file, loaded.scopes));
  let fixFailed = false;
  if (args.fix) {
    const log: string[] = [];
    const refused: string[] = [];
    const tried = new Set<string>();
    for (let pass = 0; pass < 5; pass++) {
      const r = await applySafeFixes(loaded.service, findings, io.cwd, tried);
      refused.push(...r.refused);
      log.push(...r.changes);
      if (r.failure) {
        refused.push(r.failure);
        fixFailed = true;
      }
      if (!r.changes.length) break;
      loaded = await loadPaths(args.paths, io, args);
      findings = loaded.service.analyzeAll().filter((f) => inScope(f.file, loaded.scopes));
    }
    const report = log.length ? log.join('\n') : 'nothing to fix automatically';
    // Keep stdout machine-readable for json and sarif. Every change made is listed, even when a later one failed.
    if (args.format === 'text') io.stdout(report + '\n');
    else io.stderr(report + '\n');
    for (const r of refused) io.stderr(`ztp: ${r}\n`);
    if (refused.length) fixFailed = true;
  }
  for (const p of [...loaded.notes, ...loaded.problems]) io.stderr(`ztp: ${printablePath(relative(normalizeSlashes(io.cwd), normalizeSlashes(p.path)))}: ${escapeControls(p.message)}\n`);
  for (const e of new Set(loaded.ruleErrors)) io.stderr(`ztp: ${escapeControls(e)}\n`);
  const out = findings.map((f) => toOutput(loaded.service, f, io.cwd));
  const color = args.color ?? (io.isTTY && !io.env.NO_COLOR);
  if (args.format === 'json') io.stdout(formatJson(out) + '\n');
  else if (args.format === 'sarif') io.stdout(formatSarif(out, RULES, VERSION) + '\n');
  else {
    const files = loaded.service.paths().filter((p) => inScope(p, loaded.scopes)).length;
    const tenants = loaded.service.tenantRoots().filter((r) => loaded.scopes.some((s) => isInside(s, r) || isInside(r, s))).length;
    io.stdout(formatText(out, { files, tenants }, !!color) + '\n');
  }
  // A rule that did not run, a fix not applied, or a file not read: the result is incomplete.
  if (loaded.problems.length || loaded.ruleErrors.length || fixFailed || findings.some((f) => f.ruleId === INTERNAL_ERROR)) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** Run the CLI; returns the exit status. Never throws. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.stdout(HELP + '\n');
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
      io.stdout(VERSION + '\n');
      return 0;
    }
    if (cmd === 'check') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(HELP + '\n');
        return 0;
      }
      return await check(parseCheckArgs(rest), io);
    }
    if (cmd === 'whatif') return await whatif(rest, io);
    if (cmd === 'report') return await report(rest, io);
    if (cmd === 'import') return await importCommand(rest, io);
    if (cmd === 'export') return await exportCommand(rest, io);
    if (cmd === 'lsp') {
      throw new UsageError('the language server is started from the server bundle: node dist/server.js --stdio');
    }
    throw new UsageError(`unknown command '${cmd}'; see ztp --help`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ztp: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    io.stderr(`ztp: ${escapeControls(`${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`)}\n`);
    return 2;
  }
}

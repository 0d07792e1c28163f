/** `ztp check`: check tenant folders and policy files; text, json (the contract) or SARIF; `--fix`. */
import { INTERNAL_ERROR, isInside, type Finding, type PolicyService, type SeveritySetting } from '../../core/index';
import { formatOption, lastValue, MAX_FILE_SIZE, maxFileSizeOption, readArgs, UsageError } from '../args';
import { formatJson, formatSarif, formatText } from '../format';
import { HELP } from '../help';
import type { CliIO, Command } from '../io';
import { checkBareFolders, loadPaths, loadPlan, openSession, planPaths, printProblems, settingsCatalogFor, type CheckLoad, type CheckPlan, type Session } from '../load';
import { jobCount, mergeOutcomes, PARALLEL_MIN_FILES, runUnits, tenantNamesOf, tenantUnits, type CheckOptions } from '../parallel';
import { resolve } from 'node:path';
import { VERSION } from '../meta';
import { toOutput, type OutputFinding } from '../output';
import { fixAll } from './fix';

interface CheckArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  color: boolean | undefined;
  rules: Record<string, SeveritySetting>;
  /** In bytes; undefined for the default. */
  maxFileSize?: number;
  /** A settings catalog index or Graph definitions dump to use instead of the shipped index. */
  settingsCatalog?: string;
  /** `--jobs`: threads to use (default: one per core). */
  jobs?: string;
}

function parseCheckArgs(argv: string[]): CheckArgs {
  const a = readArgs(argv, { values: ['--format', MAX_FILE_SIZE, '--rule', '--settings-catalog', '--jobs'], flags: ['--fix', '--no-color', '--color'] }, 'check');
  // The last of --color and --no-color wins; with neither, the terminal and NO_COLOR decide.
  const color = argv.filter((x) => x === '--color' || x === '--no-color').at(-1);
  const out: CheckArgs = {
    paths: a.positionals.length ? a.positionals : ['.'],
    format: formatOption(lastValue(a, '--format'), ['text', 'json', 'sarif'], 'text'),
    fix: a.flags.has('--fix'),
    color: color === undefined ? undefined : color === '--color',
    rules: {},
  };
  const maxFileSize = maxFileSizeOption(a);
  if (maxFileSize !== undefined) out.maxFileSize = maxFileSize;
  const jobs = lastValue(a, '--jobs');
  if (jobs !== undefined) {
    if (!/^\d+$/.test(jobs.trim()) || Number(jobs) < 1) throw new UsageError(`--jobs takes a number of threads, 1 or more, not '${jobs}'`);
    out.jobs = jobs.trim();
  }
  const catalog = lastValue(a, '--settings-catalog');
  if (catalog !== undefined) out.settingsCatalog = catalog;
  for (const v of a.values.get('--rule') ?? []) {
    const m = /^([a-z0-9-]+)=(error|warning|information|hint|off)$/.exec(v);
    if (!m) throw new UsageError(`--rule takes <id>=<error|warning|information|hint|off>, not '${v}'`);
    out.rules[m[1]!] = m[2] as SeveritySetting;
  }
  return out;
}

/** The findings of every loaded tenant that lie in the paths asked about. */
function findingsIn(service: PolicyService, scopes: string[]): Finding[] {
  return service.analyzeAll().filter((f) => scopes.some((s) => isInside(s, f.file)));
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseCheckArgs(argv);
  let settingsCatalogPath: string | undefined;
  if (args.settingsCatalog !== undefined) {
    settingsCatalogPath = resolve(io.cwd, args.settingsCatalog);
    try {
      settingsCatalogFor(settingsCatalogPath);
    } catch (e) {
      throw new UsageError(`--settings-catalog: ${(e as Error).message}`);
    }
  }
  const session = openSession(io, { settings: { rules: args.rules }, maxFileSize: args.maxFileSize, settingsCatalogPath });
  const { service } = session;
  for (const id of Object.keys(args.rules)) if (!service.rule(id)) throw new UsageError(`unknown rule '${id}'`);
  // Several threads when there is enough to share, on the real disk with the real rules (tests inject others); --fix
  // edits files and checks again, so it keeps one service.
  const jobs = jobCount(args.jobs, io.env);
  if (!args.fix && jobs > 1 && !io.fs && !io.rules) {
    const plan = await planPaths(session, args.paths, io);
    if (args.jobs !== undefined || plan.files.length >= PARALLEL_MIN_FILES) return checkInParallel(args, io, session, plan, jobs, settingsCatalogPath);
    return finish(args, io, await loadPlan(session, plan), false);
  }
  const loaded = await loadPaths(session, args.paths, io);
  let fixFailed = false;
  if (args.fix) {
    const fixed = await fixAll(service, findingsIn(service, loaded.scopes), () => findingsIn(service, loaded.scopes), io.cwd);
    const report = fixed.log.length ? fixed.log.join('\n') : 'nothing to fix automatically';
    // Keep stdout machine-readable for json and sarif. Every change made is listed, even when a later one failed.
    if (args.format === 'text') io.stdout(report + '\n');
    else io.stderr(report + '\n');
    for (const r of fixed.refused) io.stderr(`ztp: ${r}\n`);
    fixFailed = fixed.refused.length > 0;
  }
  return finish(args, io, loaded, fixFailed);
}

/** Print what one service found, and the exit status. */
function finish(args: CheckArgs, io: CliIO, loaded: CheckLoad, fixFailed: boolean): number {
  const { service } = loaded;
  const findings = findingsIn(service, loaded.scopes);
  return report(args, io, findings.map((f) => toOutput(service, f, io.cwd)), countsIn(loaded.scopes, service.paths(), service.tenantRoots()), loaded, fixFailed);
}

/**
 * The summary's counts: the files in the paths asked about, and the tenant folders those files belong to (a tenant
 * folder around the path asked about, none of whose files is checked, is not counted).
 */
function countsIn(scopes: string[], files: string[], roots: string[]): { files: number; tenants: number } {
  const checked = files.filter((p) => scopes.some((s) => isInside(s, p)));
  // Each file's tenant: the deepest tenant folder around it.
  const deepestFirst = [...roots].sort((a, b) => b.length - a.length);
  const tenants = new Set<string>();
  for (const p of checked) {
    const root = deepestFirst.find((r) => isInside(r, p));
    if (root !== undefined) tenants.add(root);
  }
  return { files: checked.length, tenants: tenants.size };
}

/** Check the files tenant by tenant on `jobs` threads (parallel.ts). */
async function checkInParallel(args: CheckArgs, io: CliIO, session: Session, plan: CheckPlan, jobs: number, settingsCatalogPath: string | undefined): Promise<number> {
  const tenantNames = await tenantNamesOf(session.service, plan.files);
  const options: CheckOptions = { ztpShare: 1, scopes: plan.scopes, cwd: io.cwd, rules: args.rules, maxFileSize: args.maxFileSize, settingsCatalogPath, tenantNames };
  const { findings, outcome } = mergeOutcomes(await runUnits(options, tenantUnits(plan.files, plan.explicit), jobs));
  const problems = [...session.problems, ...outcome.problems];
  const checkable = new Set(outcome.checkable);
  const notes = [...session.notes, ...outcome.notes];
  checkBareFolders(plan, problems, (f) => checkable.has(f), notes);
  const loaded: Session = { service: session.service, problems, notes, ruleErrors: outcome.ruleErrors };
  return report(args, io, findings, countsIn(plan.scopes, outcome.files, outcome.roots), loaded, false);
}

/** Print the findings in the format asked for; the exit status. */
function report(args: CheckArgs, io: CliIO, out: OutputFinding[], counts: { files: number; tenants: number }, loaded: Session, fixFailed: boolean): number {
  printProblems(loaded, io);
  const color = args.color ?? (io.isTTY && !io.env.NO_COLOR);
  if (args.format === 'json') io.stdout(formatJson(out) + '\n');
  else if (args.format === 'sarif') io.stdout(formatSarif(out, loaded.service.rules, VERSION) + '\n');
  else io.stdout(formatText(out, counts, !!color) + '\n');
  // A rule that did not run, a fix not applied, or a file not read: the result is incomplete.
  if (loaded.problems.length || loaded.ruleErrors.length || fixFailed || out.some((f) => f.code === INTERNAL_ERROR)) return 2;
  return out.some((f) => f.severity === 'error') ? 1 : 0;
}

export const check: Command = { name: 'check', prefix: 'ztp', help: HELP, run };

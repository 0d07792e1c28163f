/** `ztp check`: check tenant folders and policy files; text, json (the contract) or SARIF; `--fix`. */
import { INTERNAL_ERROR, isInside, type Finding, type PolicyService, type SeveritySetting } from '../../core/index';
import { formatOption, lastValue, readArgs, UsageError } from '../args';
import { formatJson, formatSarif, formatText } from '../format';
import { HELP } from '../help';
import type { CliIO, Command } from '../io';
import { loadPaths, openSession, printProblems } from '../load';
import { VERSION } from '../meta';
import { toOutput } from '../output';
import { fixAll } from './fix';

interface CheckArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  color: boolean | undefined;
  rules: Record<string, SeveritySetting>;
  /** In bytes; undefined for the default. */
  maxFileSize?: number;
}

function parseCheckArgs(argv: string[]): CheckArgs {
  const a = readArgs(argv, { values: ['--format', '--max-file-size', '--rule'], flags: ['--fix', '--no-color', '--color'] }, 'check');
  // The last of --color and --no-color wins; with neither, the terminal and NO_COLOR decide.
  const color = argv.filter((x) => x === '--color' || x === '--no-color').at(-1);
  const out: CheckArgs = {
    paths: a.positionals.length ? a.positionals : ['.'],
    format: formatOption(lastValue(a, '--format'), ['text', 'json', 'sarif'], 'text'),
    fix: a.flags.has('--fix'),
    color: color === undefined ? undefined : color === '--color',
    rules: {},
  };
  const size = lastValue(a, '--max-file-size');
  if (size !== undefined) {
    const mb = Number(size);
    if (!/^\d+(\.\d+)?$/.test(size.trim()) || !(mb > 0)) throw new UsageError(`--max-file-size takes a size in MB greater than 0, not '${size}'`);
    out.maxFileSize = mb * 1024 * 1024;
  }
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
  const session = openSession(io, { settings: { rules: args.rules }, maxFileSize: args.maxFileSize });
  const { service } = session;
  for (const id of Object.keys(args.rules)) if (!service.rule(id)) throw new UsageError(`unknown rule '${id}'`);
  const loaded = await loadPaths(session, args.paths, io);
  let findings = findingsIn(service, loaded.scopes);
  let fixFailed = false;
  if (args.fix) {
    const fixed = await fixAll(service, findings, () => findingsIn(service, loaded.scopes), io.cwd);
    findings = fixed.findings;
    const report = fixed.log.length ? fixed.log.join('\n') : 'nothing to fix automatically';
    // Keep stdout machine-readable for json and sarif. Every change made is listed, even when a later one failed.
    if (args.format === 'text') io.stdout(report + '\n');
    else io.stderr(report + '\n');
    for (const r of fixed.refused) io.stderr(`ztp: ${r}\n`);
    fixFailed = fixed.refused.length > 0;
  }
  printProblems(loaded, io);
  const out = findings.map((f) => toOutput(service, f, io.cwd));
  const color = args.color ?? (io.isTTY && !io.env.NO_COLOR);
  if (args.format === 'json') io.stdout(formatJson(out) + '\n');
  else if (args.format === 'sarif') io.stdout(formatSarif(out, service.rules, VERSION) + '\n');
  else {
    const files = service.paths().filter((p) => loaded.scopes.some((s) => isInside(s, p))).length;
    const tenants = service.tenantRoots().filter((r) => loaded.scopes.some((s) => isInside(s, r) || isInside(r, s))).length;
    io.stdout(formatText(out, { files, tenants }, !!color) + '\n');
  }
  // A rule that did not run, a fix not applied, or a file not read: the result is incomplete.
  if (loaded.problems.length || loaded.ruleErrors.length || fixFailed || findings.some((f) => f.ruleId === INTERNAL_ERROR)) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export const check: Command = { name: 'check', prefix: 'ztp', help: HELP, run };

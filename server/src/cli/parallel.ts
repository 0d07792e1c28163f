/**
 * `ztp check` on every core. Tenants are independent (no rule reads across tenant folders), so the files found are
 * split by tenant into shares, one per core: the main thread analyses one share while worker threads (running this
 * same bundle) analyse the others, each with a service of its own. Each share reads, parses, builds facts and runs
 * the rules for its tenants, and sends back what `ztp check` prints, finding by finding. The results are put back in
 * the order one thread gives (tenant folders sorted, then the files in no tenant), so nothing about them depends on
 * the number of threads (test/unit/cli-parallel.test.ts compares 1 and N on the fixture tenants and a bench preset).
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { basename, dirname, isInside, MANIFEST_FILE, nearestTenantRoot, type ScanProblem, type SeveritySetting } from '../core/index';
import type { CliIO } from './io';
import { loadFiles, openSession } from './load';
import { toOutput, type OutputFinding } from './output';

/** What one share analyses. Plain data: it crosses to a worker thread. */
export interface CheckShare {
  /** Marks a message as a share for a worker of this bundle. */
  ztpShare: 1;
  files: string[];
  /** Files named on the command line (checked even outside a tenant folder). */
  explicit: string[];
  scopes: string[];
  cwd: string;
  rules: Record<string, SeveritySetting>;
  maxFileSize?: number;
  settingsCatalogPath?: string;
}

/** What a share found, ready to print. */
export interface ShareOutcome {
  /** Findings per tenant folder (`null`: the files in no tenant), each list in the order one thread gives. */
  tenants: [string | null, OutputFinding[]][];
  problems: ScanProblem[];
  notes: ScanProblem[];
  ruleErrors: string[];
  /** Files read, and which of them are policies or manifests (something to check). */
  files: string[];
  checkable: string[];
  /** Tenant folders. */
  roots: string[];
}

/** How many threads `ztp check` uses: `--jobs`, else `ZTP_JOBS`, else one per core, at most 8. */
export function jobCount(option: string | undefined, env: Record<string, string | undefined>): number {
  const raw = option ?? env.ZTP_JOBS;
  if (raw !== undefined && /^\d+$/.test(raw.trim()) && Number(raw) >= 1) return Math.min(Number(raw), 64);
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** Fewer files than this are checked on one thread unless `--jobs` asks: starting a worker costs more than they do. */
export const PARALLEL_MIN_FILES = 400;

/** Analyse one share in this thread. */
export async function runShare(share: CheckShare): Promise<ShareOutcome> {
  const io: CliIO = { stdout: () => {}, stderr: () => {}, cwd: share.cwd, isTTY: false, env: {} };
  const session = openSession(io, { settings: { rules: share.rules }, maxFileSize: share.maxFileSize, settingsCatalogPath: share.settingsCatalogPath });
  const { service } = session;
  for (const f of share.explicit) service.markExplicit(f);
  await loadFiles(session, share.files);
  const inScope = (p: string): boolean => share.scopes.some((s) => isInside(s, p));
  const tenants: ShareOutcome['tenants'] = [];
  for (const root of [...service.tenantRoots(), undefined]) {
    const found = service.analyzeTenant(root).filter((f) => inScope(f.file));
    if (found.length || root !== undefined) tenants.push([root ?? null, found.map((f) => toOutput(service, f, share.cwd))]);
  }
  const files = service.paths();
  return {
    tenants,
    problems: session.problems,
    notes: session.notes,
    ruleErrors: [...new Set(session.ruleErrors)],
    files,
    checkable: files.filter((f) => ['policy', 'manifest'].includes(service.get(f)?.type ?? '')),
    roots: service.tenantRoots(),
  };
}

/**
 * Split files into `count` shares by tenant folder, the largest tenants first onto the least loaded share; the files
 * in no tenant go to the first share (the main thread's).
 */
export function partition(files: string[], count: number): string[][] {
  const manifests = new Set(files.filter((f) => basename(f) === MANIFEST_FILE).map((f) => dirname(f)));
  const byRoot = new Map<string | undefined, string[]>();
  for (const f of files) {
    const root = nearestTenantRoot(f, (dir) => manifests.has(dir));
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(f);
  }
  const shares: string[][] = Array.from({ length: count }, () => []);
  shares[0]!.push(...(byRoot.get(undefined) ?? []));
  byRoot.delete(undefined);
  const tenants = [...byRoot.entries()].sort((a, b) => b[1].length - a[1].length || (a[0]! < b[0]! ? -1 : 1));
  for (const [, list] of tenants) {
    let least = 0;
    for (let i = 1; i < count; i++) if (shares[i]!.length < shares[least]!.length) least = i;
    shares[least]!.push(...list);
  }
  return shares.filter((s, i) => i === 0 || s.length > 0);
}

/** The bundle a worker runs: this one, when it is the built `dist/cli.js` (from sources, shares run in this thread). */
function workerEntry(): string | undefined {
  return /\.js$/.test(__filename) ? __filename : undefined;
}

/** Analyse the shares: the first in this thread, the others in worker threads, all at once. */
export async function runShares(shares: CheckShare[]): Promise<ShareOutcome[]> {
  const entry = workerEntry();
  if (!entry) {
    const out: ShareOutcome[] = [];
    for (const s of shares) out.push(await runShare(s));
    return out;
  }
  const others = shares.slice(1).map(
    (share) =>
      new Promise<ShareOutcome>((resolve, reject) => {
        const worker = new Worker(entry, { workerData: share, argv: [], stdout: false, stderr: false });
        worker.once('message', (m: ShareOutcome) => resolve(m));
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (code !== 0) reject(new Error(`a worker thread stopped with status ${code}`));
        });
      }),
  );
  const first = await runShare(shares[0]!);
  return [first, ...(await Promise.all(others))];
}

/** Whether this thread is a `ztp check` worker (the bundle's entry then serves its share instead of running `main`). */
export function isShareWorker(): boolean {
  return !isMainThread && !!workerData && (workerData as CheckShare).ztpShare === 1;
}

/** Serve the share this worker was started with, then let the thread end. */
export async function serveShare(): Promise<void> {
  const outcome = await runShare(workerData as CheckShare);
  parentPort!.postMessage(outcome);
}

/** The outcomes merged in one thread's order: tenant folders sorted, then the files in no tenant. */
export function mergeOutcomes(outcomes: ShareOutcome[]): { findings: OutputFinding[]; outcome: Omit<ShareOutcome, 'tenants'> } {
  const byRoot = new Map<string | null, OutputFinding[]>();
  for (const o of outcomes) for (const [root, list] of o.tenants) byRoot.set(root, [...(byRoot.get(root) ?? []), ...list]);
  const roots = [...byRoot.keys()].filter((r): r is string => r !== null).sort();
  const findings = [...roots, null].flatMap((r) => byRoot.get(r) ?? []);
  return {
    findings,
    outcome: {
      problems: outcomes.flatMap((o) => o.problems),
      notes: outcomes.flatMap((o) => o.notes),
      ruleErrors: [...new Set(outcomes.flatMap((o) => o.ruleErrors))],
      files: outcomes.flatMap((o) => o.files),
      checkable: outcomes.flatMap((o) => o.checkable),
      roots: outcomes.flatMap((o) => o.roots).sort(),
    },
  };
}

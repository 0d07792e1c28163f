/**
 * `ztp check` on every core. Tenants are independent (no rule reads another tenant's files; the manifests' names,
 * which `duplicate-tenant-name` compares, are read first and handed to every unit: `tenantNames`), so the files found are
 * cut into units, one per tenant folder (and one for the files in no tenant), and the units are handed out from one
 * queue, the largest first: the main thread takes one whenever it is free, and so does each worker thread (running
 * this same bundle). A unit is read, parsed and analysed by a service of its own, and comes back as what
 * `ztp check` prints. The results are put back in the order one thread gives (tenant folders sorted, then the files
 * in no tenant), so nothing about them depends on the number of threads or on which thread took which unit
 * (test/unit/cli-parallel.test.ts compares 1 and N on the fixture tenants and a bench preset).
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { basename, dirname, isInside, manifestName, MANIFEST_FILE, nearestTenantRoot, type PolicyService, type ScanProblem, type SeveritySetting } from '../core/index';
import { builtBundle } from '../host/bundle';
import { serialScavengesWhile } from '../host/scavenge';
import type { CliIO } from './io';
import { isCheckable, loadFiles, noteOverSizeOutsideTenants, openSession } from './load';
import { toOutput, type OutputFinding } from './output';

/** What every unit of one check shares. Plain data: it crosses to the worker threads. */
export interface CheckOptions {
  /** Marks the worker data of this bundle's `ztp check` workers. */
  ztpShare: 1;
  scopes: string[];
  cwd: string;
  rules: Record<string, SeveritySetting>;
  maxFileSize?: number;
  settingsCatalogPath?: string;
  /**
   * The manifest `name` of every tenant folder checked (root, name): a unit's service holds one tenant, and is told
   * the others' names, so `duplicate-tenant-name` finds on N threads what it finds on one.
   */
  tenantNames?: [string, string][];
}

/** One tenant folder's files (or, with `root` null, the files in no tenant). */
export interface Unit {
  root: string | null;
  files: string[];
  /** Files named on the command line (checked even outside a tenant folder). */
  explicit: string[];
}

/** What a unit found, ready to print. */
export interface UnitOutcome {
  root: string | null;
  findings: OutputFinding[];
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

/** Analyse one unit in this thread, with a service of its own (its memory goes when the unit is done). */
export async function runUnit(options: CheckOptions, unit: Unit): Promise<UnitOutcome> {
  const io: CliIO = { stdout: () => {}, stderr: () => {}, cwd: options.cwd, isTTY: false, env: {} };
  const session = openSession(io, { settings: { rules: options.rules }, maxFileSize: options.maxFileSize, settingsCatalogPath: options.settingsCatalogPath, ...(options.tenantNames?.length ? { tenantNames: new Map(options.tenantNames) } : {}) });
  const { service } = session;
  for (const f of unit.explicit) service.markExplicit(f);
  await loadFiles(session, unit.files);
  noteOverSizeOutsideTenants(session, unit.files, unit.explicit);
  const findings = service
    .analyzeAll()
    .filter((f) => options.scopes.some((s) => isInside(s, f.file)))
    .map((f) => toOutput(service, f, options.cwd));
  const files = service.paths();
  return {
    root: unit.root,
    findings,
    problems: session.problems,
    notes: session.notes,
    ruleErrors: [...new Set(session.ruleErrors)],
    files,
    checkable: files.filter((f) => isCheckable(service, f)),
    roots: service.tenantRoots(),
  };
}

/** The units of a check: one per tenant folder (its nearest `zerotrust.yaml`), the largest first, then the rest. */
export function tenantUnits(files: string[], explicit: string[]): Unit[] {
  const manifests = new Set(files.filter((f) => basename(f) === MANIFEST_FILE).map((f) => dirname(f)));
  const byRoot = new Map<string | null, string[]>();
  for (const f of files) {
    const root = nearestTenantRoot(f, (dir) => manifests.has(dir)) ?? null;
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(f);
  }
  const named = new Set(explicit);
  return [...byRoot.entries()]
    .sort((a, b) => b[1].length - a[1].length || ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1))
    .map(([root, list]) => ({ root, files: list, explicit: list.filter((f) => named.has(f)) }));
}

/**
 * The manifest `name` of each tenant folder among `files` (root, name), read in this thread before the units go out.
 * A manifest that cannot be read names no tenant (its unit reports why).
 */
export async function tenantNamesOf(service: PolicyService, files: string[]): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const f of files) {
    if (basename(f) !== MANIFEST_FILE) continue;
    try {
      const name = manifestName(await service.load(f));
      if (name !== undefined) out.push([dirname(f), name]);
    } catch {
      // Its unit reads it again, and says why it could not.
    }
  }
  return out;
}

/** Messages between the main thread and a worker. */
type ToWorker = { unit: Unit };
type FromWorker = { ready: true } | { outcome: UnitOutcome };

/** Analyse every unit: the main thread and `jobs - 1` workers take them from one queue, the largest first. */
export async function runUnits(options: CheckOptions, units: Unit[], jobs: number): Promise<UnitOutcome[]> {
  const queue = [...units];
  const results: UnitOutcome[] = [];
  const entry = builtBundle();
  const workerCount = entry ? Math.min(jobs - 1, queue.length - 1) : 0;
  // With a thread on every core, the scavenger's helper tasks find no idle core (host/scavenge.ts). Set before the
  // workers, which share the flag, exist.
  const parallelScavengesBack = serialScavengesWhile(workerCount > 0 ? jobs : 0);
  const workers: Promise<void>[] = [];
  for (let i = 0; i < workerCount; i++) {
    workers.push(
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(entry!, { workerData: options, argv: [] });
        let inFlight = 0;
        // Two units in flight: the next is there when one is done, whatever the main thread is busy with.
        const feed = (): void => {
          while (inFlight < 2 && queue.length) {
            worker.postMessage({ unit: queue.shift()! } satisfies ToWorker);
            inFlight++;
          }
          if (!inFlight) void worker.terminate().then(() => resolve());
        };
        worker.on('message', (m: FromWorker) => {
          if ('outcome' in m) {
            results.push(m.outcome);
            inFlight--;
          }
          feed();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (inFlight) reject(new Error(`a worker thread stopped with status ${code} before its work was done`));
        });
        // The first units go now: they wait in the worker's queue while it starts, instead of waiting for this thread
        // (busy with a unit of its own) to hear that the worker is ready.
        feed();
      }),
    );
  }
  while (queue.length) {
    results.push(await runUnit(options, queue.shift()!));
    // Let the workers' messages in: they take the next units while this thread works on its own.
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(workers);
  parallelScavengesBack();
  return results;
}

/** Whether this thread is a `ztp check` worker (the bundle's entry then serves units instead of running `main`). */
export function isShareWorker(): boolean {
  return !isMainThread && !!workerData && (workerData as CheckOptions).ztpShare === 1;
}

/** Serve units until the main thread ends this worker; units are analysed one at a time, in the order sent. */
export function serveShare(): void {
  const options = workerData as CheckOptions;
  let chain = Promise.resolve();
  parentPort!.on('message', (m: ToWorker) => {
    chain = chain.then(async () => parentPort!.postMessage({ outcome: await runUnit(options, m.unit) } satisfies FromWorker));
  });
  parentPort!.postMessage({ ready: true } satisfies FromWorker);
}

/** The outcomes merged in one thread's order: tenant folders sorted, then the files in no tenant. */
export function mergeOutcomes(outcomes: UnitOutcome[]): { findings: OutputFinding[]; outcome: Omit<UnitOutcome, 'root' | 'findings'> } {
  const sorted = [...outcomes].sort((a, b) => (a.root === null ? 1 : b.root === null ? -1 : a.root < b.root ? -1 : 1));
  return {
    findings: sorted.flatMap((o) => o.findings),
    outcome: {
      // (printProblems puts problems and notes in path order, however many threads read the files.)
      problems: outcomes.flatMap((o) => o.problems),
      notes: outcomes.flatMap((o) => o.notes),
      ruleErrors: [...new Set(outcomes.flatMap((o) => o.ruleErrors))].sort(),
      files: outcomes.flatMap((o) => o.files),
      checkable: outcomes.flatMap((o) => o.checkable),
      roots: outcomes.flatMap((o) => o.roots).sort(),
    },
  };
}

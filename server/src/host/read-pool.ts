/**
 * Reading and parsing on worker threads, for the language server's first scan. Reading, decoding, parsing, each
 * file's facts and the rules are most of a scan; a worker does them for one tenant folder at a time with a store of
 * its own (the same code, the same confinement to the workspace folders), and sends back each file's facts as plain
 * data (core/facts-transfer.ts) with the tenant's findings. The server's thread adopts them
 * (`PolicyStore.adopt`, `adoptAnalysis`) and publishes, so it stays free for edits and requests while the workers
 * read. Nothing about the results depends on the thread that made them (test/lsp/read-workers.test.ts compares).
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createPolicyService, plainFacts, releaseSyntaxTree, type AcceptedFinding, type AnalysisSettings, type Finding, type PlainFileFacts, type PolicyService } from '../core/index';
import { builtBundle } from './bundle';
import { shippedSettingsCatalog } from './settings-catalog-file';
import { confinedFileSystem, nodeFileSystemSync } from './node-fs';

/** What a worker is asked: the files of one tenant folder, and the settings that decide how they are read. */
export interface ReadRequest {
  paths: string[];
  /** The workspace folders: nothing outside them is read (SECURITY.md). */
  folders: string[];
  maxFileSize: number;
  /**
   * Also analyse the files as one tenant (all of its files, none open in an editor), with these settings: the
   * worker's syntax trees are at hand, so the findings' places cost nothing to find there.
   */
  analyse?: { settings: AnalysisSettings };
}

/** A worker's answer: each file, and the tenant's findings when asked for them. */
export interface ReadResponse {
  results: ReadResult[];
  analysis?: {
    /** The files analysed together (those read, less any skipped). */
    files: string[];
    /** The day the rules saw (rules compare dates). */
    day: string;
    findings: Finding[];
    /** The findings `# ztp-ignore` comments accepted there: the layer status counts them (`layerStates`). */
    accepted: AcceptedFinding[];
    /** Rules that threw: their id and the error, for the server's log. */
    ruleErrors: [string, string][];
  };
}

/** One file as a worker read it: as `PolicyStore.loadOrSkip` says, with its facts unless it was skipped. */
export interface ReadResult {
  path: string;
  status: 'loaded' | 'skipped' | 'unreadable';
  /** Why an unreadable file could not be read (for the log; its facts carry the finding). */
  error?: string;
  facts?: PlainFileFacts;
}

/** A request the worker could not serve. */
interface ReadFailure {
  failed: string;
}

/** Marks the worker data of the server bundle's read workers. */
interface ReadWorkerData {
  ztpRead: 1;
}

/**
 * Workers for a scan: one per core but the one the server's thread reads on (lsp/scan.ts), at least one, at most four
 * (each has a heap of its own, up to `READ_WORKER_LIMITS`).
 */
export function readWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, 4));
}

/** Fewer files than this are read on the server's own thread: starting workers costs more than they save. */
export const READ_WORKERS_MIN_FILES = 400;

/**
 * A worker's heap is kept small: it holds one tenant folder at a time, and without limits each grew to some 150 MB
 * on `msp` before collecting (the server's peak memory is the sum). A tenant too large for them fails its worker,
 * and the server reads it itself.
 */
const READ_WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

/**
 * One worker thread. Requests are served in the order sent (the scan sends the next while it takes in the last). The
 * worker's stdout and stderr are kept from the server's own: they may be the LSP transport.
 */
export class ReadWorker {
  private pending: { resolve: (r: ReadResponse) => void; reject: (e: Error) => void }[] = [];
  private failed: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (response: ReadResponse | ReadFailure) => {
      const p = this.pending.shift();
      if ('failed' in response) p?.reject(new Error(`the read worker could not read its share: ${response.failed}`));
      else p?.resolve(response);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`a read worker stopped (status ${code})`)));
  }

  /** A worker running `entry` (the server bundle), or undefined when it cannot be started. */
  static start(entry: string): ReadWorker | undefined {
    try {
      return new ReadWorker(new Worker(entry, { workerData: { ztpRead: 1 } satisfies ReadWorkerData, argv: [], stdout: true, stderr: true, resourceLimits: READ_WORKER_LIMITS }));
    } catch {
      return undefined;
    }
  }

  /** Read and parse these files; rejects if the worker fails (the caller reads them itself then). */
  read(request: ReadRequest): Promise<ReadResponse> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(request);
    });
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }

  async close(): Promise<void> {
    this.failed ??= new Error('the read worker was closed');
    await this.worker.terminate();
  }
}

/** Whether this thread is a read worker (the server bundle's entry then serves reads instead of starting a server). */
export function isReadWorker(): boolean {
  return !isMainThread && !!workerData && (workerData as ReadWorkerData).ztpRead === 1;
}

/** Serve read requests, one at a time, until the server ends this worker. */
export function serveReads(): void {
  let folders: string[] = [];
  const ruleErrors: [string, string][] = [];
  const service = createPolicyService({
    fs: confinedFileSystem(nodeFileSystemSync, () => folders),
    onRuleError: (id, e) => ruleErrors.push([id, (e as Error).stack ?? String(e)]),
    // The index the server reads (the same file beside the same bundle); the server reports it if it cannot be read.
    settingsCatalog: () => shippedSettingsCatalog(),
  });
  let chain = Promise.resolve();
  parentPort!.on('message', (request: ReadRequest) => {
    chain = chain.then(async () => {
      try {
        parentPort!.postMessage(await serveRead(service, request, (f) => (folders = f), () => ruleErrors.splice(0)));
      } catch (e) {
        // Whatever went wrong (a value that cannot be sent, say), the server hears it and reads this share itself.
        for (const p of service.paths()) service.remove(p);
        parentPort!.postMessage({ failed: (e as Error).stack ?? String(e) } satisfies ReadFailure);
      }
    });
  });
}

async function serveRead(service: PolicyService, request: ReadRequest, setFolders: (f: string[]) => void, takeRuleErrors: () => [string, string][]): Promise<ReadResponse> {
  setFolders(request.folders);
  service.maxFileSize = request.maxFileSize;
  const read: { path: string; status: ReadResult['status']; error?: unknown }[] = [];
  for (const path of request.paths) {
    read.push({ path, ...(await service.loadOrSkip(path)) });
    // Without an analysis to follow, a file's tree goes as soon as it is read (its common places are found).
    const facts = request.analyse ? undefined : service.get(path);
    if (facts) releaseSyntaxTree(facts.parsed);
  }
  const files = service.paths();
  const roots = new Set(files.map((p) => service.tenantRootOf(p)));
  let analysis: ReadResponse['analysis'];
  if (request.analyse && roots.size === 1) {
    service.settings = request.analyse.settings;
    takeRuleErrors();
    const findings = service.findings([...roots][0]);
    analysis = { files, day: service.today(), findings, accepted: service.acceptedFindings([...roots][0]), ruleErrors: takeRuleErrors() };
  }
  // The facts go after the analysis: they carry every place the rules found in them (`spanAtPath`), so the server
  // need not parse a tree again to find them when the tenant is analysed there (after an edit). Then the trees go.
  const results = read.map(({ path, status, error }): ReadResult => {
    const facts = status === 'skipped' ? undefined : service.get(path);
    return { path, status, ...(status === 'unreadable' ? { error: String(error) } : {}), ...(facts ? { facts: plainFacts(facts, true) } : {}) };
  });
  for (const p of files) service.remove(p);
  const response: ReadResponse = { results, ...(analysis ? { analysis } : {}) };
  return response;
}

/** The workers for one scan (none when running from sources, or when none can start). */
export function startReadWorkers(): ReadWorker[] {
  const entry = builtBundle();
  if (!entry) return [];
  const workers: ReadWorker[] = [];
  // The server starts with smaller semi-spaces (SERVER_EXEC_ARGV), a V8 flag that would override every worker's own
  // young generation too: a worker parsing at 2 MB spent a fifth of its time in the scavenger. V8 reads the flag when
  // a heap is made, so clearing it now leaves the server's own heap as it is and lets READ_WORKER_LIMITS decide.
  setFlagsFromString('--max-semi-space-size=0');
  for (let i = 0; i < readWorkerCount(); i++) {
    const w = ReadWorker.start(entry);
    if (w) workers.push(w);
  }
  return workers;
}

/**
 * Reading the workspace: the first scan (tenant by tenant, so the first diagnostics arrive long before a large
 * workspace is done), single files from disk, and forgetting what left the workspace folders.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { dirname, factsFromPlain, isManifestPath, nearestTenantRoot, type AnalysisSettings, type PolicyService } from '../core/index';
import { serialScavengesWhile } from '../host/scavenge';
import { READ_WORKERS_MIN_FILES, startReadWorkers, type ReadRequest, type ReadResponse, type ReadResult, type ReadWorker } from '../host/read-pool';
import { openDocument, uriToPath } from './convert';
import type { Publisher } from './publish';
import type { Session } from './session';
import { QUIET_MS, untilQuiet } from './quiet';

/** Files read between two yields to the event loop during the scan (a few ms of work: edits wait no longer). */
const YIELD_EVERY = 4;

/** How long after an edit this thread takes no tenant of a scan to read (the author is typing). */
const TYPING_MS = 500;

/** A tenant folder with more files than this is read in parts of `TENANT_PART_FILES` by all the workers at once. */
const LARGE_TENANT_FILES = 400;
const TENANT_PART_FILES = 200;

/** A share of a scan: a tenant folder's files, or one part of a large one (`whole` false). */
interface ScanJob {
  tenant: { root: string | undefined; members: string[]; left: number };
  files: string[];
  whole: boolean;
}

export class Scanner {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: PolicyService,
    private readonly session: Session,
    private readonly publisher: Publisher,
    /** Where a rule that threw on a worker is reported (the server logs its own the same way). */
    private readonly onRuleError?: (ruleId: string, error: string) => void,
    /** When a message was last handled (`performance.now()`): this thread reads a share of a scan only when quiet. */
    private readonly lastActivity: () => number = () => 0,
  ) {}

  private isOpen(path: string): boolean {
    return !!openDocument(this.documents, path);
  }

  /**
   * Read a file from disk into the service. A file deleted since the scan, not a regular file, or outside the
   * workspace folders is forgotten silently (false); one that cannot be read gets a finding saying why, and a line in
   * the log.
   */
  async loadFile(path: string): Promise<boolean> {
    const r = await this.service.loadOrSkip(path);
    return this.settle(path, r.status, r.error);
  }

  /** What a read on a worker thread found, taken as `loadFile` takes its own read. */
  private adoptRead(r: ReadResult): boolean {
    if (r.facts) this.service.adopt(factsFromPlain(r.facts));
    else this.service.remove(r.path);
    return this.settle(r.path, r.facts ? r.status : 'skipped', r.error);
  }

  private settle(path: string, status: 'loaded' | 'skipped' | 'unreadable', error: unknown): boolean {
    if (status === 'unreadable') this.connection.console.warn(`cannot read ${path}: ${String(error)}`);
    // An editor may have opened the file (or its folder may have gone) while the disk was read: the buffer, and the
    // workspace as it is now, win over what the read found.
    const open = openDocument(this.documents, path);
    if (open) {
      this.service.update(path, open.getText(), open.version);
      return true;
    }
    if (status !== 'skipped' && !this.session.isInWorkspace(path)) {
      this.service.remove(path);
      return false;
    }
    return status !== 'skipped';
  }

  /**
   * Forget every file (of `paths`, else of the store) that is no longer in a workspace folder and is not open: its
   * diagnostics are cleared.
   */
  pruneOutsideFolders(paths: Iterable<string> = this.service.paths()): void {
    for (const p of paths) {
      if (this.session.isInWorkspace(p) || this.isOpen(p) || !this.service.get(p)) continue;
      this.service.remove(p);
      this.publisher.clear(p);
    }
  }

  /** A workspace folder was removed: forget its files (open ones stay) and clear their diagnostics. */
  removeFolder(folder: string): void {
    for (const gone of this.service.removeFolder(folder)) if (!this.isOpen(gone)) this.publisher.clear(gone);
  }

  /** Files opened while a scan runs: their tenants are read next (`prioritize`). */
  private readonly wanted = new Set<string>();
  /** While a scan runs: each file's tenant as the scan found it, and the tenants read in full so far. */
  private scanning: { rootOf: (f: string) => string | undefined; done: Set<string | undefined> } | undefined;

  /**
   * Whether a scan that is running has read and published `path`'s tenant in full, so an edit to it can be published
   * now (false before the first scan starts: nothing is read yet).
   */
  isReady(path: string): boolean {
    return !!this.scanning && this.scanning.done.has(this.scanning.rootOf(path));
  }

  /**
   * An editor opened `path` during the first scan: read its tenant next, so that its first diagnostics come early
   * and are already those of the whole tenant (never of a file read without its manifest).
   */
  prioritize(path: string): void {
    this.wanted.add(path);
  }

  /**
   * Discover, load and publish the policy files of these folders, tenant by tenant, with progress. The tenants of
   * open files go first (and each is published with its open file first); a tenant is published only once all its
   * files are read, so what a file first shows is what the full analysis says of it. A large workspace is read and
   * parsed on worker threads (host/read-pool.ts), one tenant each at a time, while this thread adopts what they read,
   * runs each tenant's rules and publishes. This thread reads too, as `ztp check`'s main thread does: the open files'
   * tenants at once, then the next tenant whenever the editor is quiet and the author is not typing (`shareTurn`), so
   * that an edit does not wait behind a tenant it took.
   */
  async scan(list: string[]): Promise<void> {
    const started = performance.now();
    const token = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    token?.begin('Zero Trust: analysing policies', 0, undefined, false);
    let files: string[] = [];
    for (const folder of list) files = files.concat((await this.service.discover(folder)).filter((f) => !this.session.isExcluded(f)));
    const manifests = new Set(files.filter(isManifestPath).map(dirname));
    const rootOf = (f: string): string | undefined => nearestTenantRoot(f, (dir) => manifests.has(dir));
    const tenants = new Map<string | undefined, string[]>();
    for (const f of files) {
      const root = rootOf(f);
      const members = tenants.get(root);
      if (members) members.push(f);
      else tenants.set(root, [f]);
    }
    let done = 0;
    const scanning = { rootOf, done: new Set<string | undefined>() };
    this.scanning = scanning;
    const finish = (root: string | undefined, members: string[]): void => {
      done += members.length;
      // The tenant's own files, not the whole store again: that made a scan quadratic (a folder removed during it
      // prunes the rest at once, and the end of the scan prunes everything).
      this.pruneOutsideFolders(members);
      const open = members.find((f) => this.isOpen(f));
      this.publisher.publish(root === undefined || this.session.isInWorkspace(root) ? [root] : [], open);
      scanning.done.add(root);
      token?.report(Math.round((done / Math.max(files.length, 1)) * 100), `${done}/${files.length} files`);
    };
    const workers = files.length >= READ_WORKERS_MIN_FILES ? startReadWorkers() : [];
    if (workers.length) this.publisher.bulk = true;
    // The workers and this thread keep every core busy: the scavenger's helper tasks would only take time from them
    // (host/scavenge.ts). This thread's scavenges after the scan, an edit's, have the cores to themselves again.
    const parallelScavengesBack = serialScavengesWhile(workers.length + 1);
    // A large tenant is read in parts by every reader at once (the workers and this thread); its rules then run here,
    // once all parts are in.
    const parts: ScanJob[] = [];
    const take = (wantedOnly = false): ScanJob | undefined => {
      if (parts.length) return wantedOnly ? undefined : parts.shift();
      if (!tenants.size) return undefined;
      const [root, members, wanted] = this.next(tenants, rootOf);
      if (wantedOnly && !wanted) return undefined;
      tenants.delete(root);
      const tenant = { root, members, left: 1 };
      if (!workers.length || members.length <= LARGE_TENANT_FILES) return { tenant, files: members, whole: true };
      for (let i = 0; i < members.length; i += TENANT_PART_FILES) parts.push({ tenant, files: members.slice(i, i + TENANT_PART_FILES), whole: false });
      tenant.left = parts.length;
      return parts.shift();
    };
    const jobDone = (job: ScanJob): void => {
      if (--job.tenant.left === 0) finish(job.tenant.root, job.tenant.members);
    };
    let filesHere = 0;
    const readJob = async (job: ScanJob): Promise<void> => {
      filesHere += job.files.length;
      await this.readHere(job.files);
      jobDone(job);
    };
    const readHereWhile = async (next: () => ScanJob | undefined): Promise<void> => {
      for (let job = next(); job; job = next()) await readJob(job);
    };
    try {
      // The tenants of files open (or edited) are read here at once, while the workers start (each loads its bundle
      // first, about a tenth of a second): their diagnostics need not wait for that. Any other tenant only when the
      // editor is quiet (`shareTurn`).
      const here = async (): Promise<void> => {
        await readHereWhile(() => take(true));
        for (;;) {
          // A tenant an author opens or edits meanwhile is read at once, typing or not: it is what they wait for.
          await this.shareTurn(() => (!tenants.size && !parts.length) || (!parts.length && this.wantedLeft(tenants, rootOf)));
          const job = take();
          if (!job) return;
          await readJob(job);
          await readHereWhile(() => take(true));
        }
      };
      await Promise.all([...(workers.length ? [here()] : []), ...workers.map((w) => this.readOn(w, () => take(), jobDone))]);
      // What no worker read (none started, or one failed): this thread reads it.
      await readHereWhile(() => take());
    } finally {
      if (workers.length) this.publisher.bulk = false;
      await Promise.all(workers.map((w) => w.close()));
      parallelScavengesBack();
    }
    this.wanted.clear();
    if (this.scanning === scanning) {
      this.scanning = undefined;
      this.changedAt.clear();
    }
    this.pruneOutsideFolders();
    this.publisher.publish(this.publisher.all());
    if (workers.length) this.connection.console.log(`scanned ${files.length} files in ${Math.round(performance.now() - started)} ms: ${filesHere} read on the server's thread, the rest on ${workers.length} worker thread${workers.length === 1 ? '' : 's'}`);
    token?.done();
  }

  /** When the author last edited a policy file (`noteEdit`). */
  private lastEditAt = -Infinity;

  /** An edit came: while a scan runs, this thread leaves the reading to the workers for a while (`shareTurn`). */
  noteEdit(): void {
    this.lastEditAt = performance.now();
  }

  /**
   * Resolves when this thread may take a tenant of a scan to read: once no message has been handled for a moment
   * (`QUIET_MS`) and no edit for `TYPING_MS`, or at once when `now()` holds (nothing left to take, or a tenant the
   * author waits for). A tenant taken holds this thread for its rules (tens of ms), and an author who is typing would
   * wait for them; the workers read meanwhile.
   */
  private shareTurn(now: () => boolean): Promise<void> {
    return untilQuiet(() => Math.max(this.lastActivity() + QUIET_MS, this.lastEditAt + TYPING_MS), now);
  }

  /** Read a tenant's files on this thread. Reads are synchronous: yield to requests and edits every few files. */
  private async readHere(members: string[]): Promise<void> {
    for (let i = 0; i < members.length; i++) {
      const f = members[i]!;
      // A folder removed during the scan is not read any further.
      if (!this.isOpen(f) && this.session.isInWorkspace(f)) await this.loadFile(f);
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * Tenants (or parts of large ones) read, and analysed, by one worker until none is left. The next is asked for
   * before this one is taken in, so the worker reads while this thread publishes. If the worker fails, what it had
   * is read here.
   */
  private async readOn(worker: ReadWorker, take: () => ScanJob | undefined, done: (job: ScanJob) => void): Promise<void> {
    type Reading = { job: ScanJob; since: number; settings: AnalysisSettings; response: Promise<ReadResponse | Error> };
    const read = (job: ScanJob | undefined): Reading | undefined => {
      if (!job) return undefined;
      const paths = job.files.filter((f) => !this.isOpen(f) && this.session.isInWorkspace(f));
      const settings = this.service.settings;
      // A tenant with a file open in an editor is analysed here, on the buffer (and a large one's parts, together).
      const analyse = job.whole && paths.length === job.files.length;
      const request: ReadRequest = { paths, folders: [...this.session.folders], maxFileSize: this.service.maxFileSize, ...(analyse ? { analyse: { settings } } : {}) };
      const response = failed ? Promise.resolve(new Error('the read worker failed')) : worker.read(request).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      return { job, since: this.clock, settings, response };
    };
    let failed = false;
    for (let reading = read(take()); reading; ) {
      const { job, since, settings } = reading;
      const response = await reading.response;
      if (response instanceof Error) {
        if (!failed) this.connection.console.warn(`a read worker failed (${response.message}); the server reads its share of the workspace itself`);
        failed = true;
        await this.readHere(job.files);
      }
      reading = read(take());
      if (!(response instanceof Error)) this.adoptResponse(job.tenant.root, job.files, since, settings, response);
      done(job);
    }
  }

  /**
   * Take in what a worker read, except files an editor opened or the file watcher reported since it was asked (what
   * this thread has of them is newer); its findings only if nothing of the tenant changed meanwhile.
   */
  private adoptResponse(root: string | undefined, members: string[], since: number, settings: AnalysisSettings, response: ReadResponse): void {
    // Opened in an editor, or reported by the file watcher, since the worker was asked: what this thread has is newer.
    const touched = (f: string): boolean => this.isOpen(f) || (this.changedAt.get(f) ?? -1) >= since;
    for (const r of response.results) if (!touched(r.path)) this.adoptRead(r);
    const a = response.analysis;
    if (!a) return;
    for (const [id, error] of a.ruleErrors) {
      // Once per distinct error, as the server's own analysis reports them.
      if (this.ruleErrorsSeen.has(`${id}:${error}`)) continue;
      this.ruleErrorsSeen.add(`${id}:${error}`);
      this.onRuleError?.(id, error);
    }
    // The results are the members' files read (less any open when asked, in which case nothing was analysed).
    if (!members.some(touched)) {
      this.service.adoptAnalysis(root, { files: a.files, settings, day: a.day, findings: a.findings, accepted: a.accepted });
    }
  }

  private readonly ruleErrorsSeen = new Set<string>();
  /** A tick for each change the file watcher reports during a scan (see `noteChanged`). */
  private clock = 0;
  private readonly changedAt = new Map<string, number>();

  /**
   * The file watcher reported a change (or a deletion) of `path`: what a worker read of it before now is older
   * than what this thread does with the event, so it is not taken in.
   */
  noteChanged(path: string): void {
    if (this.scanning) this.changedAt.set(path, this.clock++);
  }

  /** The tenant to read next: one with an open (or just opened) file, else the next found; and whether it is wanted. */
  private next(tenants: Map<string | undefined, string[]>, rootOf: (f: string) => string | undefined): [string | undefined, string[], boolean] {
    // The tenants of the files wanted and of those open (a handful), looked up: not every file asked whether it is open.
    const wantedRoots = new Set([...this.wanted, ...this.documents.keys().map(uriToPath)].filter((p): p is string => !!p).map(rootOf));
    for (const root of wantedRoots) {
      const members = tenants.get(root);
      if (members) return [root, members, true];
    }
    const [root, members] = tenants.entries().next().value as [string | undefined, string[]];
    return [root, members, false];
  }

  /** Whether the tenant of a file open or edited is still to be read (whole: a large one's parts are not `wanted`). */
  private wantedLeft(tenants: Map<string | undefined, string[]>, rootOf: (f: string) => string | undefined): boolean {
    return tenants.size > 0 && this.next(tenants, rootOf)[2];
  }
}

/**
 * Reading the workspace: the first scan (tenant by tenant, so the first diagnostics arrive long before a large
 * workspace is done), single files from disk, and forgetting what left the workspace folders.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { dirname, isManifestPath, nearestTenantRoot, type PolicyService } from '../core/index';
import { pathToUri } from './convert';
import type { Publisher } from './publish';
import type { Session } from './session';

/** Files read between two yields to the event loop during the scan (a few ms of work: edits wait no longer). */
const YIELD_EVERY = 4;

export class Scanner {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: PolicyService,
    private readonly session: Session,
    private readonly publisher: Publisher,
  ) {}

  private isOpen(path: string): boolean {
    return !!this.documents.get(pathToUri(path));
  }

  /**
   * Read a file from disk into the service. A file deleted since the scan, not a regular file, or outside the
   * workspace folders is forgotten silently (false); one that cannot be read gets a finding saying why, and a line in
   * the log.
   */
  async loadFile(path: string): Promise<boolean> {
    const r = await this.service.loadOrSkip(path);
    if (r.status === 'unreadable') this.connection.console.warn(`cannot read ${path}: ${String(r.error)}`);
    // An editor may have opened the file (or its folder may have gone) while the disk was read: the buffer, and the
    // workspace as it is now, win over what the read found.
    const open = this.documents.get(pathToUri(path));
    if (open) {
      this.service.update(path, open.getText(), open.version);
      return true;
    }
    if (r.status !== 'skipped' && !this.session.isInWorkspace(path)) {
      this.service.remove(path);
      return false;
    }
    return r.status !== 'skipped';
  }

  /** Forget every file that is no longer in a workspace folder (and not open): its diagnostics are cleared. */
  pruneOutsideFolders(): void {
    for (const p of this.service.paths()) {
      if (this.session.isInWorkspace(p) || this.isOpen(p)) continue;
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
   * files are read, so what a file first shows is what the full analysis says of it.
   */
  async scan(list: string[]): Promise<void> {
    const token = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    token?.begin('Zero Trust: analysing policies', 0, undefined, false);
    let files: string[] = [];
    for (const folder of list) files = files.concat((await this.service.discover(folder)).filter((f) => !this.session.isExcluded(f)));
    const manifests = new Set(files.filter(isManifestPath).map(dirname));
    const rootOf = (f: string): string | undefined => nearestTenantRoot(f, (dir) => manifests.has(dir));
    const tenants = new Map<string | undefined, string[]>();
    for (const f of files) {
      const root = rootOf(f);
      tenants.set(root, [...(tenants.get(root) ?? []), f]);
    }
    let done = 0;
    const scanning = { rootOf, done: new Set<string | undefined>() };
    this.scanning = scanning;
    while (tenants.size) {
      const [root, members] = this.next(tenants, rootOf);
      tenants.delete(root);
      // Reads are synchronous: yield to requests and edits every few files, so none waits long for the scan.
      for (let i = 0; i < members.length; i++) {
        const f = members[i]!;
        // A folder removed during the scan is not read any further.
        if (!this.isOpen(f) && this.session.isInWorkspace(f)) await this.loadFile(f);
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
      }
      done += members.length;
      this.pruneOutsideFolders();
      const open = members.find((f) => this.isOpen(f));
      this.publisher.publish(root === undefined || this.session.isInWorkspace(root) ? [root] : [], open);
      scanning.done.add(root);
      token?.report(Math.round((done / Math.max(files.length, 1)) * 100), `${done}/${files.length} files`);
    }
    this.wanted.clear();
    if (this.scanning === scanning) this.scanning = undefined;
    this.pruneOutsideFolders();
    this.publisher.publish(this.publisher.all());
    token?.done();
  }

  /** The tenant to read next: one with an open (or just opened) file, else the next found. */
  private next(tenants: Map<string | undefined, string[]>, rootOf: (f: string) => string | undefined): [string | undefined, string[]] {
    const wantedRoots = new Set([...this.wanted].map(rootOf));
    for (const [root, members] of tenants) {
      if (wantedRoots.has(root) || members.some((f) => this.isOpen(f))) return [root, members];
    }
    return tenants.entries().next().value as [string | undefined, string[]];
  }
}

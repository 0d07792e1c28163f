/**
 * The policy store: discovers tenant folders, keeps each file's parse and facts cached by content, builds tenant
 * views and keeps each tenant's findings until one of its files (or the settings) changes. Hosts never use it
 * directly: `createPolicyService` (core/service.ts) puts the features on top of it. It never touches a file system
 * itself; hosts give it one.
 */
import { keepSyntaxTree, parseBytes, parseText, releaseSyntaxTree, spanAtPath } from './document';
import { grantControlPath, grantControlsOf, policySpan } from './tenant-query';
import { APP_GRANTS } from './model/grants';
import { mayHoldPolicyOutsideTenant } from './model/sniff';
import { withManifestGroups } from './model/groups';
import { collectFacts, isManifestLookalike, isManifestPath, MANIFEST_FILE, type FileFacts, type GroupInfo, type ManifestFacts, type OtherFacts, type PolicyFacts } from './facts';
import { exportedGroups } from './interop';
import type { JsonPath } from './document';
import { runRules, type AcceptedFinding, type AnalysisSettings, type RuleRuns } from './analyze';
import { fileKindOf, mayEmitOn, type FileKind, type Rule, type TenantView } from './rule';
import type { PolicyKind } from './kinds';
import { changedReads, kindRead, noteRead, READS_ALL, READS_MANIFEST, READS_OTHERS, ReadVersions, type Read } from './reads';
import type { Finding } from './types';
import type { SettingsCatalog } from './settings-catalog/catalog';
import { dirname, isInside, join, normalizeSlashes } from './paths';
import { isSkippedReadError, readErrorReason } from './read-errors';
import { TOO_LARGE_HEAD_BYTES, tooLargeMessage } from './sizes';
import { decodeBytes } from './text';

export { isSkippedReadError, readErrorReason, SKIPPED_READ_ERRORS } from './read-errors';

export interface DirEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

export interface PolicyFileSystem {
  /**
   * The file's bytes. With `maxBytes`, a file system that can check the size as it opens the file throws an error
   * with code `ETOOLARGE` and a `size` instead of reading a larger file (one open instead of a stat and a read), and
   * with it, when it can read them without the rest, the file's first bytes (`head`, at most `TOO_LARGE_HEAD_BYTES`):
   * what the model tells the file's kind and platform by (a file not analysed is unknown, never missing).
   */
  readFile(path: string, maxBytes?: number): Promise<Uint8Array>;
  readDirectory(path: string): Promise<DirEntry[]>;
  /** Size in bytes, to refuse files that are too large before reading them. */
  size?(path: string): Promise<number>;
  /**
   * A hash of the whole file, read as a stream (never held whole): the id git gives its content as a blob
   * (`git-sha1:<hex>`, the SHA-1 of `blob <size>\0` and the bytes), so the working tree's and a revision's compare
   * (a revision knows it without reading the blob). Undefined when it cannot tell. `ztp diff` asks it only of files
   * over the size limit whose size and first bytes are alike on both sides (`sameHeadOverSize`).
   */
  digest?(path: string): Promise<string | undefined>;
}

export interface ScanProblem {
  path: string;
  message: string;
}

export interface PolicyServiceOptions {
  fs: PolicyFileSystem;
  settings?: AnalysisSettings;
  /** The rules to run; `createPolicyService` defaults them to the registry. */
  rules?: Rule[];
  /** Largest file analysed, in bytes. */
  maxFileSize?: number;
  now?: () => Date;
  onRuleError?: (ruleId: string, error: unknown) => void;
  /** The settings catalog index, read on first use (the host reads the file: host/settings-catalog-file.ts). */
  settingsCatalog?: () => SettingsCatalog | undefined;
  /**
   * Keep each tenant's analysis across edits, and after an edit run only the rules whose reads it changed
   * (`reads.ts`). For a host that analyses the same files again and again (the language server); a one-shot check
   * gains nothing from it.
   */
  incremental?: boolean;
  /**
   * The manifest `name` of tenant folders checked together with this store's but not held by it (by tenant root): a
   * `ztp check` thread holds one tenant's files, and is told the others' names, so each tenant's `sameNameTenants`
   * is the same on any number of threads. The store's own manifests win over these.
   */
  tenantNames?: ReadonlyMap<string, string>;
}

export const POLICY_FILE_PATTERN = /\.(ya?ml|json)$/i;
const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Folders the scan never enters. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * The tenant folder of `path`: the nearest folder above it for which `hasManifest` holds. The one answer to "which
 * tenant does this file belong to", for the store, the server's scan and the CLI.
 */
export function nearestTenantRoot(path: string, hasManifest: (folder: string) => boolean): string | undefined {
  let dir = dirname(normalizeSlashes(path));
  for (;;) {
    if (hasManifest(dir)) return dir;
    const up = dirname(dir);
    if (up === dir || up === '.') return undefined;
    dir = up;
  }
}

/** `nearestTenantRoot` where asking costs a file system call; `path` itself counts when it is a folder. */
export async function nearestTenantRootAsync(path: string, hasManifest: (folder: string) => Promise<boolean>): Promise<string | undefined> {
  let dir = normalizeSlashes(path);
  for (;;) {
    if (await hasManifest(dir)) return dir;
    const up = dirname(dir);
    if (up === dir || up === '.') return undefined;
    dir = up;
  }
}

/** What one tenant's analysis is kept with: it holds while no file of the tenant and no setting changed. */
interface TenantCache {
  /** The day the view was made: rules that compare dates (certificate expiry) see a new day. */
  day: string;
  view: TenantView;
  findings?: Finding[];
  /** The findings `# ztp-ignore` comments accepted, made with `findings` (here, or by the store they were adopted from). */
  accepted?: AcceptedFinding[];
  /** The findings came from another store (`adoptAnalysis`): the rules have not run here on this view yet. */
  adopted?: boolean;
  /** Each rule's findings and what it read (`incremental` stores), for the analysis after the next edit. */
  runs?: RuleRuns;
  /** The rules run so far for one file's findings (`fileFindings`), before the tenant's whole analysis. */
  partial?: RuleRuns;
}

/**
 * A tenant's last analysis, kept across edits of its files (`incremental`): each rule's run, and what the edits since
 * changed of what rules read. The next analysis runs only the rules whose reads were changed.
 */
interface CarriedRuns {
  day: string;
  runs: RuleRuns;
  changed: Set<Read>;
}

/**
 * A tenant's files as the rules see them, in a store: each collection notes what a rule reads of it (`reads.ts`), and
 * the policies are kept by kind.
 */
class StoreView implements TenantView {
  private readonly byKind = new Map<PolicyKind, PolicyFacts[]>();
  private readonly allPolicies: PolicyFacts[];
  private usableManifest: ManifestFacts | undefined;
  private allFiles: FileFacts[] | undefined;
  private readonly file: ManifestFacts | undefined;
  private readonly problem: string | undefined;
  readonly catalog?: () => SettingsCatalog | undefined;
  readonly readVersions?: ReadVersions;
  readonly generation?: number;

  constructor(
    readonly root: string | undefined,
    manifest: ManifestFacts | undefined,
    policies: PolicyFacts[],
    private readonly otherFiles: OtherFacts[],
    readonly now: Date,
    catalog: (() => SettingsCatalog | undefined) | undefined,
    readVersions: ReadVersions | undefined,
    private readonly lookalikes: readonly string[] = [],
    private readonly sameName: readonly string[] = [],
  ) {
    if (catalog) this.catalog = catalog;
    if (readVersions) {
      this.readVersions = readVersions;
      this.generation = readVersions.generation;
    }
    this.file = manifest;
    this.problem = manifest && manifestProblem(manifest);
    if (manifest && !this.problem) this.usableManifest = withExportedGroups(manifest, otherFiles);
    // A users keyword in a group list that the manifest declares as a group is that group (`withManifestGroups`).
    const usable = this.usableManifest;
    this.allPolicies = usable ? policies.map((p) => withManifestGroups(p, usable)) : policies;
    for (const p of this.allPolicies) {
      if (!p.kind) continue;
      let list = this.byKind.get(p.kind);
      if (!list) this.byKind.set(p.kind, (list = []));
      list.push(p);
    }
  }

  get manifest(): ManifestFacts | undefined {
    noteRead(READS_MANIFEST);
    return this.usableManifest;
  }

  get manifestFile(): ManifestFacts | undefined {
    noteRead(READS_MANIFEST);
    return this.file;
  }

  get manifestProblem(): string | undefined {
    noteRead(READS_MANIFEST);
    return this.problem;
  }

  get policies(): PolicyFacts[] {
    noteRead(READS_ALL);
    return this.allPolicies;
  }

  get others(): OtherFacts[] {
    noteRead(READS_OTHERS);
    return this.otherFiles;
  }

  get files(): FileFacts[] {
    noteRead(READS_ALL);
    return (this.allFiles ??= [...(this.file ? [this.file] : []), ...this.allPolicies, ...this.otherFiles]);
  }

  get sameNameTenants(): readonly string[] {
    // Made from the manifests: this tenant's (noted), and the others', a change of which drops this view (`manifestChanged`).
    noteRead(READS_MANIFEST);
    return this.sameName;
  }

  get manifestLookalikes(): readonly string[] {
    // Any file of no tenant may come or go as one: read as everything.
    noteRead(READS_ALL);
    return this.lookalikes;
  }

  ofKind(kind: PolicyKind): readonly PolicyFacts[] {
    noteRead(kindRead(kind));
    return this.byKind.get(kind) ?? [];
  }
}

/**
 * The files of one tenant (`PolicyStore.filesOf`), with their list in path order kept until a file comes or goes: every
 * view of the tenant (one after each edit) lists its files in that order.
 */
class TenantMembers implements Iterable<string> {
  private readonly paths = new Set<string>();
  private inOrder: string[] | undefined;

  add(path: string): void {
    if (this.paths.has(path)) return;
    this.paths.add(path);
    this.inOrder = undefined;
  }

  delete(path: string): void {
    if (this.paths.delete(path)) this.inOrder = undefined;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.paths.values();
  }

  /** The paths in code-unit order (as `<` compares them). */
  sorted(): readonly string[] {
    return (this.inOrder ??= [...this.paths].sort());
  }
}

export class PolicyStore {
  private readonly files = new Map<string, FileFacts>();
  /** The editor buffer changed last: the one whose syntax tree is kept (`update`). */
  private lastBuffer: string | undefined;
  /** The manifests held (kept as they come and go: a scan adds hundreds, and each asks for the roots again). */
  private readonly manifests = new Set<string>();
  /** The tenant folders by manifest name (`tenantsByName`), until a manifest comes, goes or changes. */
  private byName: Map<string, string[]> | undefined;
  /** `tenantRoots()`, until a manifest comes or goes. */
  private roots: string[] | undefined;
  private readonly tenants = new Map<string | undefined, TenantCache>();
  /** Tenants analysed before an edit of one of their files, with what the edits changed (`incremental`). */
  private readonly carried = new Map<string | undefined, CarriedRuns>();
  /** How often each read of each tenant changed (`incremental`; `keptReading`). */
  private readonly readVersions = new Map<string | undefined, ReadVersions>();
  /** The day `dayOf` found last, and when it began (ms). */
  private day: { day: string; from: number } | undefined;
  /** Tenant folder of each file, and the files of each tenant; rebuilt when the set of manifests changes. */
  private rootIndex: Map<string, string | undefined> | undefined;
  /** Each folder's tenant (`findRoot`): the files of a folder share it, until a manifest comes or goes. */
  private readonly dirRoots = new Map<string, string | undefined>();
  private members: Map<string | undefined, TenantMembers> | undefined;
  /** Files named explicitly (checked even outside tenants, e.g. `ztp check file.yaml`). */
  private readonly explicit = new Set<string>();
  private analysisSettings: AnalysisSettings;
  readonly rules: Rule[];
  /** Largest file analysed, in bytes (a setting). */
  maxFileSize: number;

  constructor(
    private readonly options: PolicyServiceOptions & { rules: Rule[] },
  ) {
    this.analysisSettings = options.settings ?? {};
    this.rules = options.rules;
    this.maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  }

  /** The settings catalog index (read by the host on first use), or undefined when the host has none. */
  settingsCatalog(): SettingsCatalog | undefined {
    return this.options.settingsCatalog?.();
  }

  /** Severity settings (`zeroTrust.rules.<id>`, `--rule`); changing them re-analyses every tenant. */
  get settings(): AnalysisSettings {
    return this.analysisSettings;
  }

  set settings(value: AnalysisSettings) {
    this.analysisSettings = value;
    this.tenants.clear();
    this.carried.clear();
  }

  /**
   * Find the policy files below `root` (skipping dot-folders and node_modules), or the files whose names `pattern`
   * matches (`ztp import` reads scripts too). Symlinks are not followed (SECURITY.md); those met are added to `links`,
   * when given, so a host can say what was not checked.
   */
  async discover(root: string, problems: ScanProblem[] = [], links?: string[], pattern: RegExp = POLICY_FILE_PATTERN): Promise<string[]> {
    const out: string[] = [];
    const stack = [normalizeSlashes(root)];
    while (stack.length) {
      const dir = stack.pop()!;
      let entries: DirEntry[];
      try {
        entries = await this.options.fs.readDirectory(dir);
      } catch (e) {
        // A folder deleted during the scan is skipped like a file that went away; other errors are reported.
        if (!isSkippedReadError(e)) problems.push({ path: dir, message: `cannot read the folder (${readErrorReason(e)})` });
        continue;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.kind === 'directory') {
          if (!isSkippedFolder(e.name)) stack.push(p);
        } else if (e.kind === 'file' && pattern.test(e.name)) {
          out.push(p);
        } else if (e.kind === 'symlink') {
          links?.push(p);
        }
      }
    }
    return out.sort();
  }

  /**
   * Read and parse a file from disk into the cache. A file larger than `maxFileSize` is not read: it gets one
   * finding saying so (`tooLarge`). Throws what the file system throws (see `isMissingFileError`).
   */
  async load(path: string): Promise<FileFacts> {
    const p = normalizeSlashes(path);
    const max = this.maxFileSize;
    // A file system that tells the size alone hands over no head: such a file may hold anything.
    if (this.options.fs.size) {
      const size = await this.options.fs.size(p);
      if (size > max) return this.tooLarge(p, 0, size, max);
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.options.fs.readFile(p, max);
    } catch (e) {
      const err = e as { code?: string; size?: number; head?: Uint8Array };
      if (err.code === 'ETOOLARGE') return this.tooLarge(p, 0, err.size ?? max + 1, max, err.head);
      throw e;
    }
    if (bytes.byteLength > max) return this.tooLarge(p, 0, bytes.byteLength, max, bytes);
    const facts = this.setParsed(parseBytes(p, bytes, 0));
    // Its facts are made: the tree goes (most files of a workspace are never asked for one again; see DOC_CACHE_SIZE).
    releaseSyntaxTree(facts.parsed);
    return facts;
  }

  /**
   * Set a file's content (an editor buffer), parsing only if the version changed. A buffer over `maxFileSize`
   * (counted in UTF-16 code units for text, which never exceeds its UTF-8 size) is not parsed either.
   */
  update(path: string, content: string | Uint8Array, version: number): FileFacts {
    const p = normalizeSlashes(path);
    const cached = this.files.get(p);
    // The same text: nothing to parse, and nothing of the tenant to analyse again. A file opened in the editor is
    // usually what was read from disk; a client may also resend a version. The text of a file that was too large or
    // could not be read is kept as '' (its facts say why), so an empty buffer is always parsed.
    if (cached && typeof content === 'string' && content !== '' && cached.parsed.text === content) return cached;
    // The previous text's tree, and below that of the buffer changed before this one (the author has moved on), go now
    // rather than when they are the oldest: kept, every edit's tree outlived the young generation and was copied to
    // the old one (see DOC_CACHE_SIZE). Either is parsed again if it is asked for.
    if (cached) releaseSyntaxTree(cached.parsed);
    const size = typeof content === 'string' ? content.length : content.byteLength;
    if (size > this.maxFileSize) return this.tooLarge(p, version, size, this.maxFileSize, content);
    const parsed = typeof content === 'string' ? parseText(p, content, version) : parseBytes(p, content, version);
    const left = this.lastBuffer !== p && this.lastBuffer !== undefined ? this.files.get(this.lastBuffer) : undefined;
    if (left) releaseSyntaxTree(left.parsed);
    this.lastBuffer = p;
    // An editor buffer: its findings' places, hovers and fixes ask for its tree next.
    keepSyntaxTree(parsed);
    return this.setParsed(parsed);
  }

  /** Record a file that exists but cannot be read (permissions…): one finding says why. */
  setUnreadable(path: string, reason: string): FileFacts {
    const p = normalizeSlashes(path);
    return this.setParsed(parseText(p, '', 0), `the file cannot be read (${reason}); it is not analysed`);
  }

  /**
   * `load` for hosts that must not fail: a file that is not there to analyse (see `isSkippedReadError`: deleted
   * since discovery, not a regular file, outside the workspace) is forgotten; any other error (permissions…)
   * becomes one finding on the file. Never throws.
   */
  async loadOrSkip(path: string): Promise<{ status: 'loaded' | 'skipped' | 'unreadable'; error?: unknown }> {
    try {
      await this.load(path);
      return { status: 'loaded' };
    } catch (error) {
      if (isSkippedReadError(error)) {
        this.remove(path);
        return { status: 'skipped', error };
      }
      this.setUnreadable(path, readErrorReason(error));
      return { status: 'unreadable', error };
    }
  }

  /**
   * A file over the size limit, the one way every host's file and buffer takes: not parsed, one finding says so, and
   * its first bytes (at most `TOO_LARGE_HEAD_BYTES`, when there are any to hand) are kept, never parsed, for the model
   * to tell what it may hold (`model/sniff.ts`): an over-size file is a file not analysed, like one that does not
   * parse, never a missing policy.
   */
  private tooLarge(p: string, version: number, size: number, max: number, first?: Uint8Array | string): FileFacts {
    const head =
      first === undefined ? undefined : typeof first === 'string' ? first.slice(0, TOO_LARGE_HEAD_BYTES) : decodeBytes(first.subarray(0, TOO_LARGE_HEAD_BYTES)).text;
    return this.setParsed(parseText(p, '', version), tooLargeMessage(size, max), head, size);
  }

  private setParsed(parsed: ReturnType<typeof parseText>, problem?: string, head?: string, size?: number): FileFacts {
    // Only files that were not read come with a problem (too large, refused).
    if (problem) parsed.syntaxErrors.unshift({ message: problem, span: { offset: 0, length: 0 }, unread: true, ...(head ? { head } : {}), ...(size !== undefined ? { size } : {}) });
    const facts = collectFacts(parsed);
    findCommonSpans(facts);
    return this.adopt(facts);
  }

  /**
   * Take a file's facts as another store made them (a host reading files on other threads: `factsFromPlain`), as
   * if this store had read the file itself.
   */
  adopt(facts: FileFacts): FileFacts {
    const path = normalizeSlashes(facts.path);
    const before = this.files.get(path);
    this.files.set(path, facts);
    if (isManifestPath(path)) this.manifestChanged(path, before);
    else {
      if (!before && this.rootIndex) this.indexFile(path);
      // Nothing analysed yet (a host loading a workspace): no tenant to find and forget.
      if (this.tenants.size || this.carried.size || this.readVersions.size) this.forgetAnalysis(this.tenantRootOf(path), before, facts);
    }
    return facts;
  }

  /**
   * A file of a tenant changed (`before` → `after`; either absent: it came or went). Its analysis goes; an
   * `incremental` store keeps its rules' runs, with what the change touched, for the next analysis.
   */
  private forgetAnalysis(root: string | undefined, before: FileFacts | undefined, after: FileFacts | undefined): void {
    const cached = this.tenants.get(root);
    this.tenants.delete(root);
    if (!this.options.incremental) return;
    let carried = this.carried.get(root);
    if (cached?.runs) {
      // The runs of the analysis just forgotten are the newest: what changed is counted from them.
      carried = { day: cached.day, runs: cached.runs, changed: new Set() };
      this.carried.set(root, carried);
    }
    const versions = this.readVersions.get(root);
    if (!carried && !versions) return;
    const changed = new Set<Read>();
    changedReads(before, after, changed);
    if (carried) for (const r of changed) carried.changed.add(r);
    versions?.changed(changed);
  }

  /** The counts of a tenant's reads for views of this day (a new day starts them again). */
  private readVersionsOf(root: string | undefined, day: string): ReadVersions | undefined {
    if (!this.options.incremental) return undefined;
    let versions = this.readVersions.get(root);
    if (!versions || versions.day !== day) this.readVersions.set(root, (versions = new ReadVersions(day)));
    return versions;
  }

  /**
   * A manifest came, went or changed (the file map already says which). Only files below its folder can change
   * tenant, between this tenant and the nearest one above it (or none), so only those tenants are analysed again,
   * and only those files are indexed again: loading a workspace of many tenants stays linear.
   */
  private manifestChanged(path: string, before?: FileFacts): void {
    const dir = dirname(path);
    // The tenants named as this one was, or is now, when its name came, went or changed: whether they share their name
    // with another changes (`sameNameTenants`). An edit that keeps the name changes nothing of theirs; nothing to
    // forget either while a host is still loading (nothing analysed).
    const was = manifestName(before);
    const is = manifestName(this.files.get(path));
    const names = was === is ? new Set<string>() : new Set([was, is].filter((n) => n !== undefined));
    if (names.size && (this.tenants.size || this.carried.size || this.readVersions.size)) {
      const index = this.tenantsByName();
      for (const name of names) {
        for (const root of index.get(name) ?? []) {
          if (root === dir) continue;
          this.tenants.delete(root);
          this.carried.delete(root);
          this.readVersions.delete(root);
        }
      }
    }
    this.byName = undefined;
    this.dirRoots.clear();
    if (this.files.has(path)) this.manifests.add(path);
    else this.manifests.delete(path);
    this.roots = undefined;
    // The tenants that can lose or gain files: no tenant, `dir`'s own and those above it (one nested below `dir` keeps
    // its files). Their analyses go.
    const around: (string | undefined)[] = [undefined];
    for (let d = dir; ; ) {
      around.push(d);
      const up = dirname(d);
      if (up === d || up === '.') break;
      d = up;
    }
    for (const root of around) {
      this.tenants.delete(root);
      this.carried.delete(root);
      this.readVersions.delete(root);
    }
    if (!this.rootIndex) return;
    if (!this.files.has(path)) {
      this.members!.get(this.rootIndex.get(path))?.delete(path);
      this.rootIndex.delete(path);
    } else if (!this.rootIndex.has(path)) {
      this.indexFile(path);
    }
    // The files below `dir` in those tenants (looked up, not searched for among every tenant: a scan adds a manifest
    // per tenant) are indexed again.
    const moving: string[] = [];
    for (const root of around) {
      const files = this.members!.get(root);
      if (files) for (const p of files) if (isInside(dir, p)) moving.push(p);
    }
    for (const p of moving) {
      const old = this.rootIndex.get(p);
      const root = this.findRoot(p);
      if (root === old) continue;
      this.members!.get(old)?.delete(p);
      this.rootIndex.set(p, root);
      let set = this.members!.get(root);
      if (!set) this.members!.set(root, (set = new TenantMembers()));
      set.add(p);
    }
  }

  private indexFile(path: string): void {
    const root = this.findRoot(path);
    this.rootIndex!.set(path, root);
    let set = this.members!.get(root);
    if (!set) this.members!.set(root, (set = new TenantMembers()));
    set.add(path);
  }

  private ensureIndex(): void {
    if (this.rootIndex) return;
    this.rootIndex = new Map();
    this.members = new Map();
    for (const p of this.files.keys()) this.indexFile(p);
  }

  private findRoot(path: string): string | undefined {
    const dir = dirname(path);
    const known = this.dirRoots.get(dir);
    if (known !== undefined || this.dirRoots.has(dir)) return known;
    const root = nearestTenantRoot(path, (d) => this.files.has(join(d, MANIFEST_FILE)));
    this.dirRoots.set(dir, root);
    return root;
  }

  /** A file named on the command line: checked even outside a tenant. */
  markExplicit(path: string): void {
    const p = normalizeSlashes(path);
    this.explicit.add(p);
    this.tenants.delete(this.tenantRootOf(p));
    this.carried.delete(this.tenantRootOf(p));
    this.readVersions.delete(this.tenantRootOf(p));
  }

  remove(path: string): void {
    const p = normalizeSlashes(path);
    const before = this.files.get(p);
    if (!before) return;
    this.forgetAnalysis(this.tenantRootOf(p), before, undefined);
    this.files.delete(p);
    this.explicit.delete(p);
    if (isManifestPath(p)) this.manifestChanged(p, before);
    else if (this.rootIndex) {
      this.members!.get(this.rootIndex.get(p))?.delete(p);
      this.rootIndex.delete(p);
    }
  }

  /** Forget every file under a folder (a workspace folder that was removed). */
  removeFolder(folder: string): string[] {
    const gone: string[] = [];
    for (const p of this.files.keys()) if (isInside(folder, p)) gone.push(p);
    for (const p of gone) this.remove(p);
    return gone;
  }

  get(path: string): FileFacts | undefined {
    return this.files.get(normalizeSlashes(path));
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  /** The tenant folder a file belongs to: the nearest folder above it with a manifest. */
  tenantRootOf(path: string): string | undefined {
    const p = normalizeSlashes(path);
    this.ensureIndex();
    return this.rootIndex!.has(p) ? this.rootIndex!.get(p) : this.findRoot(p);
  }

  /** The files of one tenant (or of no tenant). */
  filesOf(root: string | undefined): string[] {
    this.ensureIndex();
    return [...(this.members!.get(root) ?? [])];
  }

  /** Every tenant folder known, sorted. */
  tenantRoots(): string[] {
    this.roots ??= [...this.manifests].map(dirname).sort();
    return [...this.roots];
  }

  /** The view of one tenant (or of the files in no tenant, with `root` undefined), kept until the tenant changes. */
  view(root: string | undefined): TenantView {
    return this.tenantCache(root).view;
  }

  private tenantCache(root: string | undefined): TenantCache {
    const now = this.options.now?.() ?? new Date();
    const day = this.dayOf(now);
    let cached = this.tenants.get(root);
    if (!cached || cached.day !== day) {
      cached = { day, view: this.buildView(root, now, day) };
      this.tenants.set(root, cached);
    }
    return cached;
  }

  private buildView(root: string | undefined, now: Date, day: string): TenantView {
    const policies: PolicyFacts[] = [];
    const others: OtherFacts[] = [];
    let manifest: ManifestFacts | undefined;
    const lookalikes: string[] = [];
    // In path order, so the view's lists are too.
    this.ensureIndex();
    for (const p of this.members!.get(root)?.sorted() ?? []) {
      const f = this.files.get(p)!;
      if (root === undefined && isManifestLookalike(p)) lookalikes.push(p);
      if (f.type === 'manifest') {
        manifest = f;
      } else if (f.type === 'policy') {
        if (root !== undefined || f.kind || this.explicit.has(p)) policies.push(f);
      } else if (root !== undefined || this.explicit.has(p) || mayHoldPolicyOutsideTenant(f)) {
        // Outside a tenant, a file that did not parse but may hold a policy is checked as if named: a folder scan
        // must not pass a broken policy file (the contract: a policy file in no tenant is still checked).
        others.push(f);
      }
    }
    return new StoreView(root, manifest, policies, others, now, this.options.settingsCatalog, this.readVersionsOf(root, day), lookalikes, root === undefined ? [] : this.sameNameBefore(root, manifest));
  }

  /**
   * The tenant folders before `root` (in path order) whose manifest has the same `name` as its own: a customer folder
   * copied with its manifest. Those this store holds, and those the host names (`tenantNames`).
   */
  private sameNameBefore(root: string, manifest: ManifestFacts | undefined): string[] {
    const name = manifestName(manifest);
    return name === undefined ? [] : (this.tenantsByName().get(name) ?? []).filter((other) => other < root);
  }

  /**
   * The tenant folders by their manifest's `name`, each list sorted: the store's manifests, and the names the host
   * gives of tenants it does not hold (`tenantNames`). Kept until a manifest comes, goes or changes.
   */
  private tenantsByName(): Map<string, string[]> {
    if (this.byName) return this.byName;
    const index = new Map<string, Set<string>>();
    const add = (name: string | undefined, root: string): void => {
      if (name === undefined) return;
      let set = index.get(name);
      if (!set) index.set(name, (set = new Set()));
      set.add(root);
    };
    for (const m of this.manifests) add(manifestName(this.files.get(m)), dirname(m));
    for (const [root, name] of this.options.tenantNames ?? []) if (!this.manifests.has(join(root, MANIFEST_FILE))) add(name.trim() || undefined, root);
    return (this.byName = new Map([...index].map(([name, roots]) => [name, [...roots].sort()])));
  }

  /** Every rule of this store over a view, with its settings (taking those `fileFindings` ran already). */
  private runRules(cached: TenantCache, root: string | undefined): Finding[] {
    const carried = this.carried.get(root);
    this.carried.delete(root);
    const accepted: AcceptedFinding[] = [];
    cached.accepted = accepted;
    if (!this.options.incremental) return runRules(cached.view, this.rules, { settings: this.analysisSettings, onRuleError: this.options.onRuleError, accepted });
    cached.runs = new Map();
    const made = cached.partial;
    cached.partial = undefined;
    return runRules(cached.view, this.rules, { settings: this.analysisSettings, onRuleError: this.options.onRuleError, accepted, incremental: { runs: cached.runs, previous: sameDay(carried, cached), made } });
  }

  /**
   * The findings `# ztp-ignore` comments accepted in one tenant, each with its comment (rule, file, place, reason): what
   * an auditor asks of the report. The same analysis as `analyzeTenant`'s; a tenant whose findings were adopted from
   * another store (which sends only the findings) is analysed here first, to the same findings.
   */
  acceptedFindings(root: string | undefined): AcceptedFinding[] {
    const cached = this.tenantCache(root);
    if (!cached.findings || !cached.accepted) {
      cached.adopted = false;
      cached.findings = this.runRules(cached, root);
    }
    return [...cached.accepted!];
  }

  /** The rules that may find something on a file of each kind (`Rule.emitsOn`), in the store's order. */
  private readonly rulesByKind = new Map<FileKind | undefined, Rule[]>();

  /**
   * One file's findings as its tenant's analysis gives them, with only the rules run that may find something on a file
   * of its kind (`Rule.emitsOn`): what an edit publishes first. The tenant's analysis (`analyzeTenant`) then takes
   * their runs as they are and runs the other rules. A tenant already analysed, or a store that is not `incremental`,
   * answers from the whole analysis.
   */
  fileFindings(root: string | undefined, path: string): Finding[] {
    const p = normalizeSlashes(path);
    const cached = this.tenantCache(root);
    const file = this.files.get(p);
    if (cached.findings || !this.options.incremental || !file) return this.analyzeTenant(root).filter((f) => f.file === p);
    const kind = fileKindOf(file);
    let rules = this.rulesByKind.get(kind);
    if (!rules) this.rulesByKind.set(kind, (rules = this.rules.filter((r) => mayEmitOn(r, kind))));
    cached.partial ??= new Map();
    const runs = cached.partial;
    return runRules(cached.view, rules, { settings: this.analysisSettings, onRuleError: this.options.onRuleError, incremental: { runs, previous: sameDay(this.carried.get(root), cached), made: runs }, onlyFile: p });
  }

  /** One tenant's findings, analysed again only when one of its files or the settings changed. */
  analyzeTenant(root: string | undefined): Finding[] {
    const cached = this.tenantCache(root);
    cached.findings ??= this.runRules(cached, root);
    return [...cached.findings];
  }

  /**
   * Take a tenant's findings as another store made them (a read worker that also analysed it), instead of running
   * the rules here. Only when that store held exactly the files this one holds for the tenant, with the same facts
   * (the caller checks that no file changed since), the same settings and the same day: otherwise the findings are
   * ignored and the rules run here when asked. So too when the tenant's name is shared with an earlier tenant folder
   * this store holds (`sameNameTenants`), which a store of one tenant cannot see. Returns whether they were taken.
   */
  adoptAnalysis(root: string | undefined, analysis: { files: string[]; settings: AnalysisSettings; day: string; findings: Finding[]; accepted?: AcceptedFinding[] }): boolean {
    if (analysis.settings !== this.analysisSettings) return false;
    const mine = this.filesOf(root);
    if (mine.length !== analysis.files.length) return false;
    const theirs = new Set(analysis.files);
    if (!mine.every((p) => theirs.has(p))) return false;
    const cached = this.tenantCache(root);
    if (cached.day !== analysis.day) return false;
    // A store that held this tenant alone did not see the other tenants' manifests: a name another tenant shares
    // (`duplicate-tenant-name`) is analysed here. (One that comes later drops these findings: `manifestChanged`.)
    if (cached.view.sameNameTenants?.length) return false;
    if (!cached.findings) {
      cached.findings = analysis.findings;
      // What the comments accepted comes along when sent (the layer status reads it); else the rules run here when asked.
      cached.accepted = analysis.accepted;
      cached.adopted = true;
    }
    return true;
  }

  /**
   * Run the rules of a tenant whose findings were adopted (`adoptAnalysis`), so that what they keep per file (each
   * profile's setting instances and diagnosis, the places they name) is at hand before its first edit, which would
   * otherwise pay for it. The findings are the same (`adoptAnalysis` takes them only from the same files); they
   * replace the adopted ones. Returns whether the rules ran.
   */
  settle(root: string | undefined): boolean {
    const cached = this.tenants.get(root);
    if (!cached?.adopted) return false;
    cached.adopted = false;
    cached.findings = this.runRules(cached, root);
    return true;
  }

  /** The day an analysis made now counts as (rules that compare dates see it). */
  today(): string {
    return this.dayOf(this.options.now?.() ?? new Date());
  }

  /** The UTC day of a time, as `YYYY-MM-DD` (kept for the day it names: views are looked up on every request). */
  private dayOf(now: Date): string {
    const t = now.getTime();
    const known = this.day;
    if (known && t >= known.from && t < known.from + DAY_MS) return known.day;
    const day = now.toISOString().slice(0, 10);
    this.day = { day, from: Date.parse(`${day}T00:00:00Z`) };
    return day;
  }

  /** Analyse every tenant and the files in none. */
  analyzeAll(): Finding[] {
    const out: Finding[] = [];
    for (const root of this.tenantRoots()) out.push(...this.analyzeTenant(root));
    out.push(...this.analyzeTenant(undefined));
    return out;
  }
}

/** A tenant's carried runs, if made on the day of this view (a new day runs every rule again). */
function sameDay(carried: CarriedRuns | undefined, cached: TenantCache): CarriedRuns | undefined {
  return carried && carried.day === cached.day ? carried : undefined;
}

/** The grant controls that findings point at for want of another file (`ca-requires-compliance-policy`, `ca-requires-app-protection`). */
const GRANTS_OF_OTHER_FILES = new Set<string>(['compliantDevice', ...APP_GRANTS]);

/**
 * Find, while the file's syntax tree is at hand, the places that every analysis of its tenant asks of a policy: the
 * line of its `kind` (the layer tree: `PolicyService.layers`) and its name (named in related information:
 * `related`). They are kept with the text (`spanAtPath`) and travel with facts read on another thread, so neither
 * parses the tree again. So are the places that an edit of another file can make a finding point at, or name (a CA
 * policy's `compliantDevice` when the platform's last compliance policy goes, say): without them, that first edit
 * parsed the file again.
 */
function findCommonSpans(facts: FileFacts): void {
  if (facts.type !== 'policy') return;
  try {
    spanAtPath(facts.parsed, ['kind'], 'key');
    policySpan(facts, ['name'], 'value');
    if (facts.kind === 'ConditionalAccessPolicy') {
      for (const control of grantControlsOf(facts)) if (GRANTS_OF_OTHER_FILES.has(control)) spanAtPath(facts.parsed, grantControlPath(facts, control), 'value');
    } else if (facts.kind === 'CompliancePolicy' || facts.kind === 'AppProtectionPolicy') {
      // Named by `ca-group-alignment` when a CA policy's users change.
      policySpan(facts, ['assignments', 'include'], 'value');
    }
  } catch {
    // Only a head start: whatever asks for these places later finds them (or reports its own failure) as before.
  }
}

/** A manifest's `name`, trimmed, when it can be read and has one. */
export function manifestName(f: FileFacts | undefined): string | undefined {
  if (f?.type !== 'manifest' || manifestProblem(f)) return undefined;
  return typeof f.name === 'string' ? f.name.trim() || undefined : undefined;
}

/**
 * The manifest with the groups that Graph group exports (one group, or a list of them) and migration tables beside
 * raw exports name, read as `ztp import` reads them (`exportedGroups`), so raw exports checked in place resolve their
 * group ids the same way. The manifest's own groups win: an id it lists, or a name it uses, is not added again.
 */
function withExportedGroups(manifest: ManifestFacts, others: OtherFacts[]): ManifestFacts {
  const extra: GroupInfo[] = [];
  const ids = new Set(manifest.groups.map((g) => g.id?.toLowerCase()).filter(Boolean));
  const names = new Set(manifest.groups.map((g) => g.name));
  const add = (id: string, name: string, source: string, path: JsonPath): void => {
    const key = id.toLowerCase();
    if (ids.has(key) || names.has(name)) return;
    ids.add(key);
    names.add(name);
    extra.push({ name, id, members: [], path, source });
  };
  for (const f of others) for (const g of exportedGroups(f.value)) add(g.id, g.name, f.path, g.path);
  return extra.length ? { ...manifest, groups: [...manifest.groups, ...extra] } : manifest;
}

/**
 * Why a manifest cannot be used: it does not parse, is too large, cannot be read, or is not a mapping. Its own
 * finding says so; nothing is inferred from it.
 */
export function manifestProblem(m: ManifestFacts): string | undefined {
  if (m.value) return undefined;
  const first = m.parsed.syntaxErrors[0];
  if (first) return first.message;
  return 'the manifest is empty or not a mapping';
}

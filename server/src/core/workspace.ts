/**
 * The policy service: discovers tenant folders, keeps each file's parse and facts cached by version, and analyses
 * tenants. Hosts (CLI, language server, tests) give it a file system; it never touches one itself.
 */
import { parseBytes, parseText } from './document';
import { collectFacts, isManifestPath, MANIFEST_FILE, type FileFacts, type GroupInfo, type ManifestFacts, type OtherFacts, type PolicyFacts } from './facts';
import { classifyExportFile } from './interop';
import type { JsonPath } from './document';
import { runRules, type AnalysisSettings } from './analyze';
import { RULES } from './rules/index';
import type { Rule, TenantView } from './rule';
import type { Finding } from './types';
import { basename, dirname, isInside, join, normalizeSlashes } from './paths';

export interface DirEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

export interface PolicyFileSystem {
  /**
   * The file's bytes. With `maxBytes`, a file system that can check the size as it opens the file throws an error
   * with code `ETOOLARGE` and a `size` instead of reading a larger file (one open instead of a stat and a read).
   */
  readFile(path: string, maxBytes?: number): Promise<Uint8Array>;
  readDirectory(path: string): Promise<DirEntry[]>;
  /** Size in bytes, to refuse files that are too large before reading them. */
  size?(path: string): Promise<number>;
}

export interface ScanProblem {
  path: string;
  message: string;
}

export interface PolicyServiceOptions {
  fs: PolicyFileSystem;
  settings?: AnalysisSettings;
  rules?: Rule[];
  /** Largest file analysed, in bytes. */
  maxFileSize?: number;
  now?: () => Date;
  onRuleError?: (ruleId: string, error: unknown) => void;
}

export const POLICY_FILE_PATTERN = /\.(ya?ml|json)$/i;
const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** Folders the scan never enters. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

export class PolicyService {
  private readonly files = new Map<string, FileFacts>();
  /** Tenant folder of each file, and the files of each tenant; rebuilt when the set of manifests changes. */
  private rootIndex: Map<string, string | undefined> | undefined;
  private members: Map<string | undefined, Set<string>> | undefined;
  /** Files named explicitly (checked even outside tenants, e.g. `ztp check file.yaml`). */
  private readonly explicit = new Set<string>();
  settings: AnalysisSettings;
  readonly rules: Rule[];
  /** Largest file analysed, in bytes (a setting). */
  maxFileSize: number;

  constructor(private readonly options: PolicyServiceOptions) {
    this.settings = options.settings ?? {};
    this.rules = options.rules ?? RULES;
    this.maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  }

  /** Find the policy files below `root` (skipping dot-folders and node_modules). Symlinks are not followed. */
  async discover(root: string, problems: ScanProblem[] = []): Promise<string[]> {
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
        } else if (e.kind === 'file' && POLICY_FILE_PATTERN.test(e.name)) {
          out.push(p);
        }
      }
    }
    return out.sort();
  }

  /**
   * Read and parse a file from disk into the cache. A file larger than `maxFileSize` is not read: it gets one
   * finding saying so. Throws what the file system throws (see `isMissingFileError`).
   */
  async load(path: string): Promise<FileFacts> {
    const p = normalizeSlashes(path);
    const max = this.maxFileSize;
    if (this.options.fs.size) {
      const size = await this.options.fs.size(p);
      if (size > max) return this.setParsed(p, parseText(p, '', 0), tooLargeMessage(size, max));
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.options.fs.readFile(p, max);
    } catch (e) {
      const err = e as { code?: string; size?: number };
      if (err.code === 'ETOOLARGE') return this.setParsed(p, parseText(p, '', 0), tooLargeMessage(err.size ?? max + 1, max));
      throw e;
    }
    if (bytes.byteLength > max) return this.setParsed(p, parseText(p, '', 0), tooLargeMessage(bytes.byteLength, max));
    return this.setParsed(p, parseBytes(p, bytes, 0));
  }

  /**
   * Set a file's content (an editor buffer), parsing only if the version changed. A buffer over `maxFileSize`
   * (counted in UTF-16 code units for text, which never exceeds its UTF-8 size) is not parsed either.
   */
  update(path: string, content: string | Uint8Array, version: number): FileFacts {
    const p = normalizeSlashes(path);
    const cached = this.files.get(p);
    // Same version and same text: a client may resend a version, or close and reopen with new text at version 1.
    if (cached && cached.parsed.version === version && version !== 0 && typeof content === 'string' && cached.parsed.text === content) return cached;
    const size = typeof content === 'string' ? content.length : content.byteLength;
    if (size > this.maxFileSize) return this.setParsed(p, parseText(p, '', version), tooLargeMessage(size, this.maxFileSize));
    const parsed = typeof content === 'string' ? parseText(p, content, version) : parseBytes(p, content, version);
    return this.setParsed(p, parsed);
  }

  /** Record a file that exists but cannot be read (permissions…): one finding says why. */
  setUnreadable(path: string, reason: string): FileFacts {
    const p = normalizeSlashes(path);
    return this.setParsed(p, parseText(p, '', 0), `the file cannot be read (${reason}); it is not analysed`);
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

  private setParsed(path: string, parsed: ReturnType<typeof parseText>, problem?: string): FileFacts {
    if (problem) parsed.syntaxErrors.unshift({ message: problem, span: { offset: 0, length: 0 } });
    const facts = collectFacts(parsed);
    const isNew = !this.files.has(path);
    this.files.set(path, facts);
    if (isManifestPath(path)) this.invalidateIndex();
    else if (isNew && this.rootIndex) this.indexFile(path);
    return facts;
  }

  private invalidateIndex(): void {
    this.rootIndex = undefined;
    this.members = undefined;
  }

  private indexFile(path: string): void {
    const root = this.findRoot(path);
    this.rootIndex!.set(path, root);
    let set = this.members!.get(root);
    if (!set) this.members!.set(root, (set = new Set()));
    set.add(path);
  }

  private ensureIndex(): void {
    if (this.rootIndex) return;
    this.rootIndex = new Map();
    this.members = new Map();
    for (const p of this.files.keys()) this.indexFile(p);
  }

  private findRoot(path: string): string | undefined {
    let dir = dirname(path);
    for (;;) {
      if (this.files.has(join(dir, MANIFEST_FILE))) return dir;
      const up = dirname(dir);
      if (up === dir || up === '.') return undefined;
      dir = up;
    }
  }

  markExplicit(path: string): void {
    this.explicit.add(normalizeSlashes(path));
  }

  remove(path: string): void {
    const p = normalizeSlashes(path);
    if (!this.files.delete(p)) return;
    this.explicit.delete(p);
    if (isManifestPath(p)) this.invalidateIndex();
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
    return [...this.files.keys()].filter(isManifestPath).map(dirname).sort();
  }

  /** The view of one tenant (or of the files in no tenant, with `root` undefined). */
  view(root: string | undefined): TenantView {
    const policies: PolicyFacts[] = [];
    const others: OtherFacts[] = [];
    let manifest: ManifestFacts | undefined;
    for (const p of this.filesOf(root)) {
      const f = this.files.get(p)!;
      if (f.type === 'manifest') {
        manifest = f;
      } else if (f.type === 'policy') {
        if (root !== undefined || f.kind || this.explicit.has(p)) policies.push(f);
      } else if (root !== undefined || this.explicit.has(p)) {
        others.push(f);
      }
    }
    policies.sort((a, b) => (a.path < b.path ? -1 : 1));
    others.sort((a, b) => (a.path < b.path ? -1 : 1));
    const files: FileFacts[] = [...(manifest ? [manifest] : []), ...policies, ...others];
    const view: TenantView = { root, manifest, policies, others, files, now: this.options.now?.() ?? new Date() };
    const problem = manifest && manifestProblem(manifest);
    if (manifest && problem) {
      view.manifest = undefined;
      view.manifestFile = manifest;
      view.manifestProblem = problem;
    } else if (manifest) {
      view.manifestFile = manifest;
      view.manifest = withExportedGroups(manifest, others);
    }
    return view;
  }

  /** Analyse one tenant. */
  analyzeTenant(root: string | undefined): Finding[] {
    return runRules(this.view(root), this.rules, { settings: this.settings, onRuleError: this.options.onRuleError });
  }

  /** Analyse every tenant and the files in none. */
  analyzeAll(): Finding[] {
    const out: Finding[] = [];
    for (const root of this.tenantRoots()) out.push(...this.analyzeTenant(root));
    out.push(...this.analyzeTenant(undefined));
    return out;
  }
}

/**
 * The manifest with the groups that Graph group exports and migration tables beside raw exports name (the files
 * `ztp import` reads for group names), so raw exports checked in place resolve their group ids the same way. The
 * manifest's own groups win: an id it lists, or a name it uses, is not added again.
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
  for (const f of others) {
    const c = classifyExportFile(f.value);
    if (c.type === 'group') add(c.id, c.name, f.path, ['displayName']);
    else if (c.type === 'migration-table') c.groups.forEach((g) => add(g.id, g.name, f.path, ['Objects']));
  }
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

function tooLargeMessage(size: number, max: number): string {
  const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
  return `file too large: ${mb(size)} is over the ${mb(max)} limit, so it is not analysed (raise it with the setting \`zeroTrust.maxFileSizeMB\` or \`ztp check --max-file-size <MB>\`)`;
}

/** The code of a file system error, when it has one. */
function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Read errors that mean "no file here to analyse", which hosts skip without a finding: the file was deleted between
 * discovery and the read (`ENOENT`, `ENOTDIR`), it is not a regular file (`ENOTREGULAR`: a named pipe, a device), or
 * it is outside the workspace folders (`EOUTSIDEWORKSPACE`, from the server's confined file system).
 */
export const SKIPPED_READ_ERRORS: readonly string[] = ['ENOENT', 'ENOTDIR', 'ENOTREGULAR', 'EOUTSIDEWORKSPACE'];

export function isSkippedReadError(e: unknown): boolean {
  const code = errorCode(e);
  return code !== undefined && SKIPPED_READ_ERRORS.includes(code);
}

/** A short reason for a read error, for a finding or a log line: `EACCES: permission denied`. */
export function readErrorReason(e: unknown): string {
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return `${code}: permission denied`;
  if (code === 'EISDIR') return `${code}: it is a folder`;
  const message = e instanceof Error ? e.message : String(e);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

export function createPolicyService(options: PolicyServiceOptions): PolicyService {
  return new PolicyService(options);
}

export { basename };

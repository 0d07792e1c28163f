/**
 * The policy service: discovers tenant folders, keeps each file's parse and facts cached by version, and analyses
 * tenants. Hosts (CLI, language server, tests) give it a file system; it never touches one itself.
 */
import { parseBytes, parseText } from './document';
import { collectFacts, isManifestPath, MANIFEST_FILE, type FileFacts, type ManifestFacts, type OtherFacts, type PolicyFacts } from './facts';
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
  readFile(path: string): Promise<Uint8Array>;
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
        problems.push({ path: dir, message: `cannot read the folder: ${(e as Error).message}` });
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

  /** Read and parse a file from disk into the cache. */
  async load(path: string): Promise<FileFacts> {
    const p = normalizeSlashes(path);
    const max = this.maxFileSize;
    if (this.options.fs.size) {
      const size = await this.options.fs.size(p);
      if (size > max) {
        return this.setParsed(p, parseText(p, '', 0), `the file is too large to analyse (${(size / 1048576).toFixed(1)} MB; the limit is ${(max / 1048576).toFixed(1)} MB)`);
      }
    }
    const bytes = await this.options.fs.readFile(p);
    return this.setParsed(p, parseBytes(p, bytes, 0));
  }

  /** Set a file's content (an editor buffer), parsing only if the version changed. */
  update(path: string, content: string | Uint8Array, version: number): FileFacts {
    const p = normalizeSlashes(path);
    const cached = this.files.get(p);
    if (cached && cached.parsed.version === version && version !== 0) return cached;
    const parsed = typeof content === 'string' ? parseText(p, content, version) : parseBytes(p, content, version);
    return this.setParsed(p, parsed);
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
    return { root, manifest, policies, others, files, now: this.options.now?.() ?? new Date() };
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

export function createPolicyService(options: PolicyServiceOptions): PolicyService {
  return new PolicyService(options);
}

export { basename };

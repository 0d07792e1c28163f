/**
 * What the server knows of its client and workspace: the folders, the exclusions, what the client can do, and the
 * settings, read from `workspace/configuration` or, for clients without it, from `initializationOptions`.
 */
import type { InitializeParams } from 'vscode-languageserver/node';
import { isInside, relative, type PolicyService } from '../core/index';
import type { ZeroTrustSettings } from '../protocol';
import { globToRegExp } from './glob';
import { uriToPath } from './convert';

export class Session {
  folders: string[] = [];
  private exclude: RegExp[] = [];
  /** The client answers `workspace/configuration`. */
  canConfigure = false;
  /** The client applies `documentChanges` with file creations (the fixes that add a missing policy need it). */
  canCreateFiles = false;
  /** The client shows a code action greyed out with the reason it is not offered. */
  canShowDisabled = false;
  /** The client sends `workspace/didChangeWorkspaceFolders`. */
  canTrackFolders = false;
  /**
   * The first scan is done. Until then an open file's tenant may not be known yet (its manifest not read), so its
   * diagnostics wait for the scan rather than say "no tenant manifest" for a moment.
   */
  scanned = false;

  constructor(private readonly service: PolicyService) {}

  /** Read the client's capabilities, folders and initial settings. */
  initialize(params: InitializeParams): void {
    this.folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (!this.folders.length && params.rootUri) {
      const p = uriToPath(params.rootUri);
      if (p) this.folders = [p];
    }
    if (!this.folders.length && typeof params.rootPath === 'string' && params.rootPath) this.folders = [params.rootPath.replace(/\\/g, '/')];
    const settings = initializationSettings(params.initializationOptions);
    if (settings) this.applySettings(settings);
    const caps = params.capabilities;
    this.canConfigure = !!caps.workspace?.configuration;
    const we = caps.workspace?.workspaceEdit;
    this.canCreateFiles = !!we?.documentChanges && !!we.resourceOperations?.includes('create');
    this.canShowDisabled = !!caps.textDocument?.codeAction?.disabledSupport;
    this.canTrackFolders = !!caps.workspace?.workspaceFolders;
  }

  applySettings(s: ZeroTrustSettings | undefined): void {
    this.service.settings = { rules: { ...(s?.rules ?? {}) } };
    this.exclude = (s?.exclude ?? []).map(globToRegExp);
    if (typeof s?.maxFileSizeMB === 'number' && s.maxFileSizeMB > 0) this.service.maxFileSize = s.maxFileSizeMB * 1024 * 1024;
  }

  /** A file the `zeroTrust.exclude` globs (relative to its workspace folder) leave out. */
  isExcluded(path: string): boolean {
    if (!this.exclude.length) return false;
    const folder = this.folders.find((f) => isInside(f, path));
    const rel = folder ? relative(folder, path) : path;
    return this.exclude.some((re) => re.test(rel));
  }

  isInWorkspace(path: string): boolean {
    return this.folders.some((f) => isInside(f, path));
  }

  /** The workspace folder a path is in. */
  folderOf(path: string): string | undefined {
    return this.folders.find((f) => isInside(f, path));
  }
}

/**
 * The settings a client passes at start-up. Editors name them differently: `{ settings: { … } }` (what this
 * extension sends), `{ zeroTrust: { … } }` (the section name, as nvim-lspconfig's `settings` table) or the settings
 * themselves.
 */
export function initializationSettings(options: unknown): ZeroTrustSettings | undefined {
  if (!options || typeof options !== 'object') return undefined;
  const o = options as Record<string, unknown>;
  const pick = (v: unknown): ZeroTrustSettings | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as ZeroTrustSettings) : undefined);
  const inner = pick(o.settings);
  if (inner) return pick((inner as Record<string, unknown>).zeroTrust) ?? inner;
  if (pick(o.zeroTrust)) return pick(o.zeroTrust);
  if ('rules' in o || 'exclude' in o || 'maxFileSizeMB' in o) return o as ZeroTrustSettings;
  return undefined;
}

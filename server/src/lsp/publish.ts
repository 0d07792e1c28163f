/**
 * Diagnostics and layer notifications: after a change, the findings of the affected tenants are published for
 * every file whose diagnostics changed (the edited file first), and the tree hears once typing pauses.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, PolicyService } from '../core/index';
import { LayersChangedNotification, type LayersResult } from '../protocol';
import { openDocument, pathToUri, toDiagnostic, uriToPath } from './convert';
import { layersResult, tenantLayers } from './layers';
import type { Safe } from './safe';
import type { Session } from './session';

/**
 * A file's findings as they decide its diagnostics. Ranges follow from the spans in the file's text, which is the
 * same unless the file was edited (always published anyway); a related place in an edited file may have moved, so
 * it is keyed by that file's version too (0 on disk). Keyed by every related file's version, not only the file being
 * edited now: otherwise an edit of one file changed the key of findings that name another, and re-sent them unchanged.
 */
function findingsKey(findings: readonly Finding[], service: PolicyService): string {
  return JSON.stringify(
    findings.map((f) => [
      f.ruleId,
      f.severity,
      f.message,
      f.layer,
      f.span.offset,
      f.span.length,
      f.tags,
      f.data,
      f.related?.map((r) => [r.file, r.span.offset, r.span.length, r.message, service.get(r.file)?.parsed.version ?? 0]),
    ]),
  );
}

const NONE: readonly Finding[] = [];

/** What a publisher sends through: the client's connection, or the warm-up's rehearsal (lsp/warm-up.ts). */
export type DiagnosticsSink = Pick<Connection, 'sendDiagnostics' | 'sendNotification'>;

/** Whether two lists hold the same finding objects, in the same order. */
function sameObjects(a: readonly Finding[] | undefined, b: readonly Finding[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How long typing must pause before the tree compares layer progress. */
const LAYER_DELAY_MS = 50;
/**
 * How long the rest of an edit waits (`Publisher.publishEdit`): one timer tick (Node's shortest, 1 ms), long enough
 * for the editor's next message, sent once it has read the edited file's diagnostics, to reach this thread first.
 */
const REST_DELAY_MS = 1;
/** How often the tree hears during a large first scan (`Publisher.bulk`). */
const BULK_LAYER_DELAY_MS = 500;

export class Publisher {
  /** What was last sent for each file (as JSON), so unchanged files are not sent again. */
  private readonly published = new Map<string, string>();
  /**
   * The findings each file's diagnostics were last decided from (sent, or found unchanged, or nothing to send). An
   * incremental analysis hands back the very same findings for the rules it did not run again, so a file whose
   * findings are all the same objects needs no comparison at all.
   */
  private readonly decided = new Map<string, readonly Finding[]>();
  private readonly layerHashes = new Map<string, string>();
  private pendingLayerRoots = new Set<string | undefined>();
  private layerTimer: ReturnType<typeof setTimeout> | undefined;
  /** What edits left for their rest (`publishEdit`): the tenants, and the files edited, whose version goes with them. */
  private readonly pendingRoots = new Set<string | undefined>();
  private readonly pendingEdited = new Set<string>();
  private restTimer: ReturnType<typeof setTimeout> | undefined;
  /** A large first scan is running (on read workers): layer notifications are throttled, not debounced. */
  bulk = false;

  constructor(
    private readonly connection: DiagnosticsSink,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: PolicyService,
    private readonly session: Session,
    private readonly safe: Safe,
    /** Write what was sent so far, now (the transport's `flush`; nothing where each message goes out as it is sent). */
    private readonly sendNow: () => void = () => undefined,
  ) {}

  /** Every tenant, and the files in none. */
  all(): (string | undefined)[] {
    return [...this.service.tenantRoots(), undefined];
  }

  /**
   * An edit: the edited file's diagnostics now, and the rest of its tenants (the rules that cannot find anything on
   * it, the other files compared and sent) a timer tick later, so that a message already on its way (the next
   * keystroke, the next file of a workspace edit) is handled first instead of waiting behind that rest. Edits that
   * come within the tick share one rest; any other `publish` takes what is pending with it.
   */
  publishEdit(roots: (string | undefined)[], edited: string): void {
    this.sendEdited(roots, edited);
    for (const root of roots) this.pendingRoots.add(root);
    this.pendingEdited.add(edited);
    this.restTimer ??= setTimeout(() => {
      this.restTimer = undefined;
      this.safe('publish', () => this.publish([]), undefined)();
    }, REST_DELAY_MS);
  }

  /** Analyse the given tenants and publish every file whose diagnostics changed (the edited file first). */
  publish(roots: (string | undefined)[], edited?: string): void {
    if (edited) this.sendEdited(roots, edited);
    // What an edit left for later goes now, with these.
    const edits = new Set(this.pendingEdited);
    if (edited) edits.add(edited);
    const all = new Set([...roots, ...this.pendingRoots]);
    this.pendingRoots.clear();
    this.pendingEdited.clear();
    if (this.restTimer) clearTimeout(this.restTimer);
    this.restTimer = undefined;
    const byFile = new Map<string, Finding[]>();
    const inRoots = new Set<string>();
    for (const root of all) {
      for (const p of this.service.filesOf(root)) inRoots.add(p);
      for (const f of this.service.findings(root)) {
        if (this.session.isExcluded(f.file)) continue;
        const list = byFile.get(f.file) ?? [];
        list.push(f);
        byFile.set(f.file, list);
      }
    }
    for (const p of inRoots) {
      const findings = byFile.get(p) ?? NONE;
      // A file only when its findings changed (the edited file's, sent above, are the very same objects here).
      if (sameObjects(this.decided.get(p), findings)) continue;
      this.decided.set(p, findings);
      // What the diagnostics are made from: a file whose findings are the same, in a text that did not change, gets
      // the same diagnostics, so they are made (ranges, links) only for the files that changed.
      const key = findingsKey(findings, this.service);
      const before = this.published.get(p);
      if (before === key) continue;
      // A file with nothing to say that was never published (most files of a large workspace, at the first scan)
      // needs no message, unless it is open: the client shows no diagnostics for it either way.
      if (before === undefined && !findings.length && !openDocument(this.documents, p)) continue;
      this.published.set(p, key);
      this.send(p, findings, edits.has(p) ? openDocument(this.documents, p)?.version : undefined);
    }
    this.scheduleLayers([...all]);
  }

  /**
   * The edited file first, and out at once: it is what the author is looking at, and it is always sent (so that its
   * version is known analysed). Its findings are made by the rules that may find something on a file of its kind
   * (`fileFindings`, `Rule.emitsOn`): the tenant's other rules run after it has gone, and the other files are compared
   * then. Should the whole analysis find otherwise on it, it is sent again then, as any changed file is.
   */
  private sendEdited(roots: (string | undefined)[], edited: string): void {
    const root = this.service.tenantRootOf(edited);
    if (!roots.includes(root) || !this.service.get(edited)) return;
    const findings = this.session.isExcluded(edited) ? NONE : this.service.fileFindings(root, edited);
    this.decided.set(edited, findings);
    this.send(edited, findings, openDocument(this.documents, edited)?.version);
    this.sendNow();
    this.published.set(edited, findingsKey(findings, this.service));
  }

  private send(path: string, findings: readonly Finding[], version: number | undefined): void {
    void this.connection.sendDiagnostics({ uri: pathToUri(path), version, diagnostics: findings.map((f) => toDiagnostic(this.service, f)) });
  }

  /** The layer progress the client asks for (`zeroTrust/layers`); what it was sent is what later changes are compared with. */
  layers(): LayersResult {
    const result = layersResult(this.service, this.session);
    for (const t of result.tenants) {
      const root = uriToPath(t.uri);
      if (root) this.layerHashes.set(root, JSON.stringify(t));
    }
    return result;
  }

  /** Clear a file's diagnostics (it went away, or left the workspace). */
  clear(path: string): void {
    this.decided.delete(path);
    if (!this.published.has(path)) return;
    this.published.delete(path);
    this.send(path, NONE, undefined);
  }

  /** The tree does not need every keystroke: compare layer progress once typing pauses, off the diagnostics path. */
  private scheduleLayers(roots: (string | undefined)[]): void {
    for (const r of roots) this.pendingLayerRoots.add(r);
    // A large first scan publishes a tenant every few tens of ms, and each notification makes the client ask for every
    // tenant's layers: the tree hears at most once per BULK_LAYER_DELAY_MS then, as tenants come in.
    if (this.bulk && this.layerTimer) return;
    if (this.layerTimer) clearTimeout(this.layerTimer);
    this.layerTimer = setTimeout(() => {
      this.layerTimer = undefined;
      const list = [...this.pendingLayerRoots];
      this.pendingLayerRoots = new Set();
      void this.safe('layer progress', () => this.notifyLayers(list), Promise.resolve())();
    }, this.bulk ? BULK_LAYER_DELAY_MS : LAYER_DELAY_MS);
  }

  /** Tell the client when the layer progress of any of these tenants changed (a tenant appearing or going counts). */
  private async notifyLayers(roots: (string | undefined)[]): Promise<void> {
    let changed = false;
    let live = new Set(this.service.tenantRoots());
    let n = 0;
    for (const root of new Set(roots)) {
      if (root === undefined) continue;
      // Many tenants at once (the first scan): let edits and requests in between them (which may add or remove one).
      if (n++ % 4 === 3) {
        await new Promise((r) => setImmediate(r));
        live = new Set(this.service.tenantRoots());
      }
      // A tenant the client has not been sent yet: it will ask, nothing to compare (the first scan makes many).
      if (!this.layerHashes.has(root)) {
        changed = true;
        continue;
      }
      const hash = live.has(root) ? JSON.stringify(tenantLayers(this.service, root)) : '';
      if (this.layerHashes.get(root) !== hash) {
        this.layerHashes.set(root, hash);
        changed = true;
      }
    }
    live = new Set(this.service.tenantRoots());
    for (const root of [...this.layerHashes.keys()]) {
      if (!live.has(root)) {
        this.layerHashes.delete(root);
        changed = true;
      }
    }
    if (changed) void this.connection.sendNotification(LayersChangedNotification);
  }
}

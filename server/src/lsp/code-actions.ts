/**
 * Quick fixes: each diagnostic's fixes, computed by its rule (never from the message), as workspace edits the client
 * applies; a fix that would write outside the tenant, over a file that exists, or create a file the client cannot
 * create is not offered, and says why. Every diagnostic in a YAML file also gets a suppression comment.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Connection, type CreateFile, type TextDocumentEdit, type TextDocuments, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix, PolicyService, Span } from '../core/index';
import { checkWriteTarget } from '../host/confined-write';
import { openDocument, pathToUri, uriToPath } from './convert';
import type { Session } from './session';

export class CodeActions {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: PolicyService,
    private readonly session: Session,
  ) {}

  /** The quick fixes and suppressions for the diagnostics the client sent. */
  actions(params: CodeActionParams): CodeAction[] {
    const path = uriToPath(params.textDocument.uri);
    const facts = path ? this.service.get(path) : undefined;
    if (!path || !facts) return [];
    const root = this.service.tenantRootOf(path);
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      const ruleId = typeof d.code === 'string' ? d.code : undefined;
      if (!ruleId) continue;
      const finding = this.service.findingAt(path, ruleId, facts.parsed.lines.offsetAt(d.range.start));
      for (const fix of finding ? this.service.fixes(finding) : []) {
        const refusal = this.refusal(fix, root);
        if (refusal) {
          // Shown greyed out with the reason where the client can, so the user knows why there is no fix.
          if (this.session.canShowDisabled) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], disabled: { reason: refusal } });
          this.connection.console.warn(`quick fix "${fix.title}" not offered: ${refusal}`);
          continue;
        }
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: !!fix.isPreferred, edit: this.workspaceEdit(fix) });
      }
      const suppression = this.service.suppression(path, d.range.start.line, ruleId);
      if (suppression) {
        actions.push({
          title: `Suppress ${ruleId} here (with a reason)`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: { changes: { [params.textDocument.uri]: [{ range: this.rangeOf(path, suppression.span), newText: suppression.newText }] } },
        });
      }
    }
    return actions;
  }

  private rangeOf(path: string, span: Span): { start: { line: number; character: number }; end: { line: number; character: number } } {
    return this.service.get(path)!.parsed.lines.rangeOf(span);
  }

  /**
   * Why a fix must not be offered as an edit, if it must not: every file it edits or creates is resolved (links
   * included) and must lie inside `root` (the tenant folder, else the workspace folder), a file it creates must not
   * exist yet (SECURITY.md), and the client must be able to create files. Checked when the action is computed; the
   * create below also fails if a file appears since.
   */
  private refusal(fix: Fix, root: string | undefined): string | undefined {
    const reasons: string[] = [];
    const check = (file: string, mode: 'replace' | 'create'): void => {
      const confine = root ?? this.session.folderOf(file);
      if (!confine) return void reasons.push(`${file} is outside the workspace folders`);
      const c = checkWriteTarget(file, confine, { mode });
      if (!c.ok) reasons.push(c.reason);
    };
    for (const file of new Set(fix.edits.map((e) => e.file))) check(file, 'replace');
    for (const create of fix.creates) check(create.file, 'create');
    if (fix.creates.length && !this.session.canCreateFiles) {
      reasons.push('this editor cannot create files through a workspace edit (it needs `workspaceEdit.documentChanges` with the `create` resource operation); run `ztp check --fix` instead');
    }
    return reasons.length ? `Not offered: ${reasons.join('; ')}` : undefined;
  }

  /** A core fix as an LSP workspace edit: `documentChanges` where the client takes them, else `changes`. */
  private workspaceEdit(fix: Fix): WorkspaceEdit {
    const byFile = new Map<string, typeof fix.edits>();
    for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    const edits = (file: string, es: typeof fix.edits): { range: ReturnType<CodeActions['rangeOf']>; newText: string }[] => es.map((e) => ({ range: this.rangeOf(file, e.span), newText: e.newText }));
    if (!this.session.canCreateFiles) return { changes: Object.fromEntries([...byFile].map(([f, es]) => [pathToUri(f), edits(f, es)])) };
    const changes: (TextDocumentEdit | CreateFile)[] = [];
    for (const [file, es] of byFile) {
      const uri = pathToUri(file);
      changes.push({ textDocument: { uri, version: openDocument(this.documents, file)?.version ?? null }, edits: edits(file, es) });
    }
    for (const c of fix.creates) {
      const uri = pathToUri(c.file);
      // Never over a file that exists: the client refuses the whole edit rather than write into it.
      changes.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
      changes.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.content }] });
    }
    return { documentChanges: changes };
  }
}

/** The editor features as LSP answers: the core's hover, completion and navigation, offsets turned into ranges. */
import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, SymbolKind, type CompletionItem, type CompletionList, type CompletionParams, type DefinitionParams, type DocumentSymbol, type DocumentSymbolParams, type Hover, type HoverParams, type Location, type ReferenceParams, type SymbolInformation, type TextDocuments, type WorkspaceSymbolParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionKind, OutlineSymbol, PolicyService, Span } from '../core/index';
import { pathToUri, uriToPath } from './convert';

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
};

const SYMBOL_KINDS: Record<OutlineSymbol['kind'], SymbolKind> = {
  file: SymbolKind.File,
  object: SymbolKind.Object,
  array: SymbolKind.Array,
  property: SymbolKind.Property,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
};

type LspRange = Location['range'];

export class EditorFeatures {
  constructor(
    private readonly service: PolicyService,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  private at(uri: string, position: { line: number; character: number }): { path: string; offset: number } | undefined {
    const path = uriToPath(uri);
    const facts = path ? this.service.get(path) : undefined;
    return path && facts ? { path, offset: facts.parsed.lines.offsetAt(position) } : undefined;
  }

  private rangeOf(path: string, span: Span): LspRange {
    return this.service.get(path)!.parsed.lines.rangeOf(span);
  }

  hover(params: HoverParams): Hover | null {
    const at = this.at(params.textDocument.uri, params.position);
    const h = at && this.service.hover(at.path, at.offset);
    return at && h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: this.rangeOf(at.path, h.span) } : null;
  }

  /** The completions at a position: a list marked incomplete when the core cut it, so the client asks again. */
  completion(params: CompletionParams): CompletionItem[] | CompletionList {
    const doc = this.documents.get(params.textDocument.uri);
    const path = uriToPath(params.textDocument.uri);
    if (!doc || !path) return [];
    const entries = this.service.complete(path, doc.getText(), doc.offsetAt(params.position));
    const items = entries.map((e): CompletionItem => {
      const text = e.insertText ?? e.label;
      return {
        label: e.label,
        kind: COMPLETION_KINDS[e.kind],
        detail: e.detail,
        documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
        ...(e.replace ? { textEdit: { range: { start: doc.positionAt(e.replace.offset), end: doc.positionAt(e.replace.offset + e.replace.length) }, newText: text } } : { insertText: e.insertText }),
        insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        ...(e.keepIndentation ? { insertTextMode: InsertTextMode.asIs } : {}),
        ...(e.filterText !== undefined ? { filterText: e.filterText } : {}),
        sortText: e.sortText,
      };
    });
    return entries.incomplete ? { isIncomplete: true, items } : items;
  }

  definition(params: DefinitionParams): Location | null {
    const at = this.at(params.textDocument.uri, params.position);
    const d = at && this.service.definition(at.path, at.offset);
    return d ? { uri: pathToUri(d.file), range: this.rangeOf(d.file, d.span) } : null;
  }

  references(params: ReferenceParams): Location[] {
    const at = this.at(params.textDocument.uri, params.position);
    if (!at) return [];
    return this.service.references(at.path, at.offset, params.context.includeDeclaration).map((r) => ({ uri: pathToUri(r.file), range: this.rangeOf(r.file, r.span) }));
  }

  documentSymbols(params: DocumentSymbolParams): DocumentSymbol[] {
    const path = uriToPath(params.textDocument.uri);
    if (!path) return [];
    const convert = (s: OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      detail: s.detail,
      kind: SYMBOL_KINDS[s.kind],
      range: this.rangeOf(path, s.span),
      selectionRange: this.rangeOf(path, s.selection),
      children: s.children.map(convert),
    });
    return this.service.documentSymbols(path).map(convert);
  }

  workspaceSymbols(params: WorkspaceSymbolParams): SymbolInformation[] {
    return this.service.workspaceSymbols(params.query).map((s) => ({ name: s.name, containerName: s.detail, kind: SymbolKind.File, location: { uri: pathToUri(s.file), range: this.rangeOf(s.file, s.span) } }));
  }
}

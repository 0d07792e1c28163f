/** The one place where core findings become LSP diagnostics (offsets → ranges, paths → URIs). */
import { pathToFileURL, fileURLToPath } from 'node:url';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../core/types';
import type { PolicyService } from '../core/workspace';
import { docsPath } from '../core/rule';
import { join } from 'node:path';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function pathToUri(path: string): string {
  return pathToFileURL(path).toString();
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  return fileURLToPath(uri).replace(/\\/g, '/');
}

/** Root of the installed package (the bundles live in `dist/`). */
export const PACKAGE_ROOT = join(__dirname, '..');

export function toDiagnostic(service: PolicyService, f: Finding): Diagnostic {
  const lines = service.get(f.file)!.parsed.lines;
  const d: Diagnostic = {
    range: lines.rangeOf(f.span),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: pathToUri(join(PACKAGE_ROOT, docsPath(f.ruleId))) },
    source: 'ztp',
    message: f.layer !== undefined ? `${f.message} (layer ${f.layer})` : f.message,
    data: { ruleId: f.ruleId, data: f.data ?? null, span: f.span },
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.flatMap((r) => {
      const rl = service.get(r.file)?.parsed.lines;
      return rl ? [{ location: { uri: pathToUri(r.file), range: rl.rangeOf(r.span) }, message: r.message }] : [];
    });
  }
  if (f.tags?.includes('deprecated')) d.tags = [DiagnosticTag.Deprecated];
  return d;
}

/** The one place where core findings become LSP diagnostics (offsets → ranges, paths → URIs). */
import { pathToFileURL } from 'node:url';
import { hasEscapedBytes, nameFromBytes, pathBytes } from '../host/fs-names';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { docsPath, type Finding, type PolicyService, type Severity } from '../core/index';
import { join } from 'node:path';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * A path → its `file:` URI. A network-share path (`//server/share/…`, which is how `file://server/share/…` reads on a
 * system without UNC paths) keeps its host, and a name that is not UTF-8 (host/fs-names.ts) has its bytes
 * percent-encoded, so the URI names exactly the file the client named.
 */
export function pathToUri(path: string): string {
  // Asked for every file published and every open-file check: `pathToFileURL` showed in profiles of the first scan.
  let uri = uris.get(path);
  if (uri === undefined) {
    if (uris.size >= URI_CACHE_SIZE) uris.clear();
    uris.set(path, (uri = toUri(path)));
  }
  return uri;
}

/**
 * The open document of a path: looked up by `pathToUri`, else among the open documents by their paths. A client may
 * write a URI otherwise: VS Code percent-encodes `(`, `)`, `!`, `@`, `+`, `,`, `;`, `=`, `&`, `$` and `:` (so a Windows
 * drive's colon), which `pathToFileURL` leaves as they are. Few documents are open; each URI's path is kept.
 */
export function openDocument<T>(documents: { get(uri: string): T | undefined; keys(): string[] }, path: string): T | undefined {
  const exact = documents.get(pathToUri(path));
  if (exact !== undefined) return exact;
  for (const uri of documents.keys()) if (uriToPath(uri) === path) return documents.get(uri);
  return undefined;
}

/** Paths already turned into URIs (a workspace's worth; cleared when it grows past that). */
const URI_CACHE_SIZE = 100_000;
const uris = new Map<string, string>();

/**
 * A POSIX path that `pathToFileURL` writes as it is: absolute, every segment named (no empty, `.` or `..` one) with
 * characters a file URL keeps unescaped. Its URI is `file://` and the path, found without `pathToFileURL`, which was
 * most of the time a first scan spent asking whether each file is open (test/unit/convert.test.ts compares the two).
 */
const PLAIN_POSIX_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9!$&'()*+,\-.:;=@_]+)+\/?$/;

function toUri(path: string): string {
  if (process.platform !== 'win32' && PLAIN_POSIX_PATH.test(path)) return `file://${path}`;
  const unc = /^\/\/([^/]+)(\/.*)?$/.exec(path);
  if ((unc && process.platform !== 'win32') || hasEscapedBytes(path)) {
    const host = unc ? unc[1]! : '';
    const rest = unc ? (unc[2] ?? '/') : path.startsWith('/') ? path : `/${path}`;
    return `file://${encodeURIComponent(host)}${percentEncodePath(rest)}`;
  }
  return pathToFileURL(path).toString();
}

function percentEncodePath(path: string): string {
  let out = '';
  for (const b of pathBytes(path)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * A `file:` URI → a path with `/` separators, or undefined when it names no file this server could read (another
 * scheme, an encoded `/` or NUL inside a name, a malformed URI). Never throws: it runs in every handler. A host
 * (`file://server/share/…`, a Windows network share) becomes a UNC path on Windows and `//server/share/…` elsewhere;
 * percent-encoded bytes that are not UTF-8 are kept as bytes (host/fs-names.ts).
 */
export function uriToPath(uri: string): string | undefined {
  if (typeof uri !== 'string') return undefined;
  // Asked once per message (every edit, hover, request): decoding byte by byte showed in the edit path's profile.
  if (paths.has(uri)) return paths.get(uri);
  const path = toPath(uri);
  if (uri.length > MAX_CACHED_URI) return path;
  if (paths.size >= URI_CACHE_SIZE) paths.clear();
  paths.set(uri, path);
  return path;
}

/** A URI longer than any path a file system takes (PATH_MAX, each byte percent-encoded) is not kept. */
const MAX_CACHED_URI = 3 * 4096 + 16;
/** URIs already turned into paths (undefined: names no file), as `uris` the other way. */
const paths = new Map<string, string | undefined>();

function toPath(uri: string): string | undefined {
  if (!/^file:/i.test(uri)) return undefined;
  try {
    const m = /^file:(?:\/\/([^/?#]*))?([^?#]*)/i.exec(uri);
    if (!m) return undefined;
    const host = decodeURIComponent(m[1] ?? '').toLowerCase();
    const rawPath = m[2] ?? '';
    if (/%2f|%5c|%00/i.test(rawPath) || /[/\\\u0000]/.test(host)) return undefined;
    let path = nameFromBytes(percentDecodedBytes(rawPath));
    if (!path.startsWith('/')) return undefined;
    if (process.platform === 'win32') {
      // `/c:/x` → `c:/x`; a host → `//server/share/x` (a UNC path, which Node reads on Windows).
      if (host && host !== 'localhost') return `//${host}${path}`;
      if (/^\/[A-Za-z]:/.test(path)) path = path.slice(1);
      return path.replace(/\\/g, '/');
    }
    if (host && host !== 'localhost') return `//${host}${path}`;
    return path;
  } catch {
    return undefined;
  }
}

/** A URI's path as bytes: each `%XX` one byte, the text between them UTF-8 (a character beyond U+FFFF whole). */
function percentDecodedBytes(rawPath: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let literal = 0;
  for (let i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
    if (!/^[0-9a-f]{2}$/i.test(rawPath.slice(i + 1, i + 3))) continue;
    if (i > literal) parts.push(Buffer.from(rawPath.slice(literal, i), 'utf8'));
    parts.push(Uint8Array.of(parseInt(rawPath.slice(i + 1, i + 3), 16)));
    i += 2;
    literal = i + 1;
  }
  if (literal < rawPath.length) parts.push(Buffer.from(rawPath.slice(literal), 'utf8'));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Root of the installed package (the bundles live in `dist/`). */
export const PACKAGE_ROOT = join(__dirname, '..');

/** Each rule's docs page as a URI, made once (every diagnostic of the rule links it). */
const docsUris = new Map<string, string>();
function docsUri(ruleId: string): string {
  let uri = docsUris.get(ruleId);
  if (!uri) docsUris.set(ruleId, (uri = pathToUri(join(PACKAGE_ROOT, docsPath(ruleId)))));
  return uri;
}

export function toDiagnostic(service: PolicyService, f: Finding): Diagnostic {
  const lines = service.get(f.file)!.parsed.lines;
  const d: Diagnostic = {
    range: lines.rangeOf(f.span),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: docsUri(f.ruleId) },
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

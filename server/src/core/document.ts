/**
 * A parsed policy or manifest file: the `yaml` library's document (which keeps every node's offsets), its plain
 * value, and the syntax problems found. JSON files are parsed by the same parser, since JSON is YAML 1.2, after a
 * strict JSON check (`json-syntax.ts`): YAML would accept trailing commas, comments and single quotes.
 */
import { Composer, Parser, parseAllDocuments, isMap, isSeq, isScalar, isAlias, type CST, type Document, type Node, type Pair } from 'yaml';
import { LineIndex, decodeBytes } from './text';
import { checkJsonSyntax } from './json-syntax';
import type { Span } from './types';

export type JsonPath = (string | number)[];

export interface SyntaxProblem {
  message: string;
  span: Span;
  /** The file's bytes were not read at all (too large, or refused: `EACCES`): no syntax was looked at. */
  unread?: true;
  /**
   * A file over the size limit: its first characters (at most `TOO_LARGE_HEAD_BYTES` of its bytes, decoded), when the
   * host read them. Never parsed: the model's sniffing reads them to tell what the file may hold (`model/sniff.ts`).
   */
  head?: string;
  /** A file over the size limit: its size in bytes (or characters, for an editor buffer), what `ztp diff` compares. */
  size?: number;
  /**
   * The bytes are not clean text (NUL bytes, or not UTF-8: a UTF-16 file whose byte order mark was damaged): the text is
   * the best decoding, with U+FFFD where it failed. The model's sniffing reads past those (`model/sniff.ts`).
   */
  undecodable?: true;
}

export interface ParsedDocument {
  /** Absolute path. */
  path: string;
  version: number;
  text: string;
  lines: LineIndex;
  format: 'yaml' | 'json';
  encoding: string;
  /**
   * The first YAML document (undefined when there is none). Kept for recently used files only and parsed again on
   * demand, so a workspace of thousands of files does not hold every syntax tree: facts and values stay.
   */
  readonly doc: Document.Parsed | undefined;
  /** The plain value of the first document (undefined when it could not be built). */
  value: unknown;
  syntaxErrors: SyntaxProblem[];
}

/**
 * Limits that keep hostile input from costing more than a normal file. Real policies nest about 15 levels (settings
 * catalog profiles the most); the `yaml` library's composer recurses per level and runs out of stack near 800 nested
 * flow sequences, so the depth is checked on the parser's tokens (iteratively) before anything recurses.
 */
export const PARSE_LIMITS = {
  maxAliasCount: 100,
  maxDepth: 256,
  /** A `.json` file's syntax errors reported at most (a YAML document reports its first only). */
  maxJsonSyntaxErrors: 20,
};

export interface ParseOptions {
  /**
   * Read a `.json` file as YAML, without the strict JSON check: for callers that want whatever value a half-typed
   * buffer holds (completion), never for diagnostics.
   */
  lenientJson?: boolean;
}

const YAML_OPTIONS = { uniqueKeys: true, strict: true, prettyErrors: false, keepSourceTokens: false } as const;

export function formatOf(path: string): 'yaml' | 'json' {
  return /\.json$/i.test(path) ? 'json' : 'yaml';
}

/**
 * The text the YAML parser reads: a lone CR (classic Mac line endings) becomes LF. YAML and LSP both count a lone CR
 * as a line break, but the parser does not; one character for one, so every offset stays the text's own.
 */
function yamlSource(text: string): string {
  return text.includes('\r') && /\r(?!\n)/.test(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Parse text (already decoded). Never throws. */
export function parseText(path: string, text: string, version = 0, options: ParseOptions = {}): ParsedDocument {
  const lines = new LineIndex(text);
  const format = formatOf(path);
  let syntaxErrors: SyntaxProblem[] = [];
  let doc: Document.Parsed | undefined;
  let value: unknown;
  // A scan, no tree: undefined past the depth limit (one level of slack, so the YAML check below surely refuses it).
  const jsonErrors =
    format === 'json' && !options.lenientJson
      ? checkJsonSyntax(text, { maxProblems: PARSE_LIMITS.maxJsonSyntaxErrors, maxDepth: PARSE_LIMITS.maxDepth + 1, lineOf: (o) => lines.positionAt(o).line + 1 })
      : undefined;
  try {
    // What parseAllDocuments does, in two steps: the parser is iterative, the composer recursive. Only a text that
    // may nest too deeply has its tokens collected first and measured before they are composed; any other streams
    // from the parser to the composer, so its tokens die young.
    const source = yamlSource(text);
    const tokens: Iterable<CST.Token> = mayBeTooDeep(text, PARSE_LIMITS.maxDepth) ? Array.from(new Parser().parse(source)) : new Parser().parse(source);
    const tooDeep = Array.isArray(tokens) ? firstTooDeep(tokens, PARSE_LIMITS.maxDepth) : undefined;
    if (tooDeep !== undefined) {
      syntaxErrors.push({
        message: `refused: the document nests more than ${PARSE_LIMITS.maxDepth} levels deep (a policy needs far fewer); flatten it`,
        span: { offset: Math.min(Math.max(0, tooDeep), text.length), length: 0 },
      });
      return { path, version, text, lines, format, encoding: 'utf8', doc: undefined, value: undefined, syntaxErrors };
    }
    // An empty stream gives no document at all.
    const composed = Array.from(new Composer({ uniqueKeys: true, strict: true, keepSourceTokens: false, logLevel: 'error' }).compose(tokens));
    // A document that holds nothing (a bare `---` at the end, or comments alone after one) is no second document: it
    // carries no policy, and the file is read as its one document (review B, t8).
    const held = composed.filter((d) => d.errors.length > 0 || !(d.contents === null || (isScalar(d.contents) && d.contents.value === null)));
    const list = held.length ? held : composed.slice(0, 1);
    doc = list[0];
    for (const d of list) {
      // The first error of a document is the real one; the parser's later errors mostly cascade from it.
      const e = d.errors[0];
      if (e) {
        // The parser may place an error at the end of input, one past the last character: keep spans in the text.
        const start = Math.min(Math.max(0, e.pos[0]), text.length);
        const end = Math.min(Math.max(start, e.pos[1]), text.length);
        syntaxErrors.push(yamlError(d, e.code, e.message, format, text, start, end, (o) => lines.positionAt(o).line + 1));
      }
    }
    if (list.length > 1) {
      const second = list[1]!;
      const start = second.range[0];
      syntaxErrors.push({
        message: `the file holds ${list.length} YAML documents; a policy file holds exactly one (remove the extra \`---\` document or move it to its own file)`,
        span: documentMarkerSpan(text, start),
      });
    }
    if (jsonErrors?.length) {
      // The file is not JSON: its JSON errors replace YAML's view of it. The tree stays, for outline and hover.
      syntaxErrors = jsonErrors;
    } else if (doc && doc.errors.length === 0 && list.length <= 1) {
      // A file of several documents has no value, as any file that does not parse: reading its first alone would
      // analyse half a file, and the policy after its `---` (a block of All users, say) would be taken to be missing.
      // The first document's tree stays, for outline and hover; what the file may hold is sniffed from its text.
      try {
        value = doc.toJS({ maxAliasCount: PARSE_LIMITS.maxAliasCount });
      } catch (e) {
        const m = (e as Error).message;
        syntaxErrors.push({
          message: /alias/i.test(m)
            ? `refused: the document expands YAML aliases too many times (over ${PARSE_LIMITS.maxAliasCount}), as an alias bomb does`
            : e instanceof RangeError
              ? 'refused: the document nests too deeply once its aliases are expanded; flatten it'
              : `the document could not be read: ${m}`,
          span: { offset: 0, length: 0 },
        });
      }
    }
  } catch (e) {
    // The yaml library recurses per nesting level; a hostile file can exhaust the stack. Say so plainly.
    const message = e instanceof RangeError ? 'the document nests too deeply to read (thousands of levels); flatten it' : `the file could not be parsed: ${(e as Error).message}`;
    doc = undefined;
    value = undefined;
    syntaxErrors.push({ message, span: { offset: 0, length: 0 } });
  }
  const parsed = parsedDocument({ path, version, text, format, encoding: 'utf8', value, syntaxErrors }, lines);
  rememberFresh(parsed, doc);
  return parsed;
}

/** A parsed file as plain data: what another thread sends of it (the syntax tree is parsed again on demand). */
export type PlainParsedDocument = Omit<ParsedDocument, 'doc' | 'lines'> & {
  /** False for a text refused before its tree was built (too deep): it is never parsed again. */
  tree?: boolean;
  /** The spans `spanAtPath` found in it so far, so the other side need not parse the tree again to find them. */
  spans?: [string, Span][];
};

export function plainParsedDocument(p: ParsedDocument): PlainParsedDocument {
  const tree = p instanceof ParsedText;
  const spans = knownSpans.get(p);
  return { path: p.path, version: p.version, text: p.text, format: p.format, encoding: p.encoding, value: p.value, syntaxErrors: p.syntaxErrors, tree, ...(spans ? { spans: [...spans] } : {}) };
}

/**
 * A parsed file whose syntax tree is parsed again when something asks for it (`doc`, on the prototype). A class, not
 * an object literal with a getter: V8 gives every such literal a shape of its own, which made parsing a third slower
 * (mostly in the collector) and every read of a parsed file's fields slower too.
 */
class ParsedText implements ParsedDocument {
  path: string;
  version: number;
  text: string;
  format: 'yaml' | 'json';
  encoding: string;
  value: unknown;
  syntaxErrors: SyntaxProblem[];

  constructor(
    fields: Omit<ParsedDocument, 'doc' | 'lines'>,
    readonly lines: LineIndex,
  ) {
    this.path = fields.path;
    this.version = fields.version;
    this.text = fields.text;
    this.format = fields.format;
    this.encoding = fields.encoding;
    this.value = fields.value;
    this.syntaxErrors = fields.syntaxErrors;
  }

  get doc(): Document.Parsed | undefined {
    return cachedDoc(this);
  }
}

/** A parsed file from its plain data (its syntax tree is parsed again when something asks for it). */
export function parsedDocument(plain: PlainParsedDocument, lines = new LineIndex(plain.text)): ParsedDocument {
  const { tree, spans, ...fields } = plain;
  const parsed: ParsedDocument = tree === false ? { ...fields, lines, doc: undefined } : new ParsedText(fields, lines);
  if (spans?.length) knownSpans.set(parsed, new Map(spans));
  return parsed;
}

/** How many syntax trees stay in memory (the most recently used). */
export const DOC_CACHE_SIZE = 256;
const docs = new Map<ParsedDocument, Document.Parsed | undefined>();

/**
 * The tree of the file parsed last, kept apart from those: what asks for a file's tree right after parsing it (its
 * facts, their common places) finds it here. A host reading files from disk lets it go once their facts are made
 * (`releaseSyntaxTree`); an editor buffer's tree is kept among the recently used (`keepSyntaxTree`) until the buffer
 * changes again or another does (`PolicyStore.update`). Most files of a workspace are never asked again, and a tree
 * kept any longer outlives the young generation, to be copied and collected again later: that made reading a
 * workspace over half again as slow. A tree asked for later is parsed again and kept among the recently used.
 */
let freshParsed: ParsedDocument | undefined;
let freshDoc: Document.Parsed | undefined;

function rememberFresh(p: ParsedDocument, doc: Document.Parsed | undefined): void {
  freshParsed = p;
  freshDoc = doc;
}

/** Keep a file's just-parsed tree among the recently used (an editor buffer: hovers and fixes ask for it). */
export function keepSyntaxTree(p: ParsedDocument): void {
  if (freshParsed === p) remember(p, freshDoc);
}

function remember(p: ParsedDocument, doc: Document.Parsed | undefined): void {
  docs.delete(p);
  docs.set(p, doc);
  while (docs.size > DOC_CACHE_SIZE) docs.delete(docs.keys().next().value!);
}

/** Let a file's syntax tree go now (a reader that has taken what it needs from it), not when it is the oldest. */
export function releaseSyntaxTree(p: ParsedDocument): void {
  docs.delete(p);
  if (freshParsed === p) freshParsed = freshDoc = undefined;
}

function cachedDoc(p: ParsedDocument): Document.Parsed | undefined {
  if (docs.has(p)) {
    const d = docs.get(p);
    remember(p, d);
    return d;
  }
  if (freshParsed === p) return freshDoc;
  let d: Document.Parsed | undefined;
  try {
    const list = parseAllDocuments(yamlSource(p.text), YAML_OPTIONS);
    d = Array.isArray(list) ? list[0] : undefined;
  } catch {
    d = undefined;
  }
  remember(p, d);
  return d;
}

/**
 * Decode and parse file bytes. Bytes that are not text (not UTF-8, not the UTF-16 their byte order mark says, NULs,
 * UTF-32) make a file that does not parse, whatever the best decoding of them would give: U+FFFD in place of a key's
 * bytes can turn `spec:` into part of another key, so the value is not the file's. Its text stays, for the outline and
 * for the model's sniffing (`model/sniff.ts`), which tells what it may hold: a policy that is unknown, never missing.
 */
export function parseBytes(path: string, bytes: Uint8Array, version = 0): ParsedDocument {
  const decoded = decodeBytes(bytes);
  const parsed = parseText(path, decoded.text, version);
  parsed.encoding = decoded.encoding;
  if (decoded.problem) {
    // On the first bad byte (its U+FFFD), so the editor and the CLI point at it. The parser's errors go: text that is
    // not the file's gives errors that are not the file's (a UTF-16 file read wrongly gave twenty "unexpected
    // character" errors beside the one that says why); once it is saved as text, its own syntax errors show.
    const at = decoded.problemOffset;
    parsed.syntaxErrors = [{ message: decoded.problem, span: at !== undefined ? { offset: at, length: 1 } : { offset: 0, length: 0 }, undecodable: true }];
    parsed.value = undefined;
  }
  return parsed;
}

function documentMarkerSpan(text: string, near: number): Span {
  const idx = text.lastIndexOf('---', near + 3);
  if (idx >= 0 && idx <= near + 3) return { offset: idx, length: 3 };
  return { offset: near, length: 0 };
}

/**
 * A YAML error in plain words, with the fix, placed where the mistake is. The `yaml` library's own wording ("Nested
 * mappings are not allowed in compact mappings", "Map keys must be unique") names its grammar, not the edit to make;
 * the product's rule is that bad input gets a message naming the place and the fix. Where the library's position is
 * not the mistake (an over-indented key is reported on the value of the line above it; an unclosed `[` on the line
 * after it), the place is derived from the text, and only when the text says so plainly; otherwise the library's
 * place is kept with a plain message.
 */
function yamlError(doc: Document.Parsed, code: string, message: string, format: 'yaml' | 'json', text: string, start: number, end: number, lineOf: (offset: number) => number): SyntaxProblem {
  const clean = cleanYamlMessage(message, format);
  const at = (msg: string, span: Span = badToken(text, start, end)): SyntaxProblem => ({ message: msg, span });
  if (code === 'DUPLICATE_KEY') {
    // Name the key: a quoted or plain scalar up to its `:` (the parser's position covers only its first character).
    const key = /^("(?:[^"\\\r\n]|\\.){0,80}"|'(?:[^'\r\n]|''){0,80}'|[^:#\r\n{}[\],]{1,80}?)\s*:/.exec(text.slice(start, start + 200))?.[1];
    if (key) {
      const first = firstKeyOffset(doc, start);
      const where = first !== undefined ? ` (first on line ${lineOf(first)})` : '';
      return at(
        format === 'json'
          ? `\`${key.trim()}\` appears twice in the same object${where}; remove one of the two, keeping the value you mean (only one of them would reach Graph)`
          : `\`${key.trim()}\` appears twice in the same mapping${where}; remove one of the two, keeping the value you mean (a key may appear only once in a mapping)`,
      );
    }
  }
  if (code === 'TAB_AS_INDENT' || /^Tabs are not allowed/.test(clean)) return at(`${clean} (YAML forbids tab characters in indentation; indent with spaces)`);
  if (format !== 'yaml') return at(clean);
  if (code === 'BLOCK_AS_IMPLICIT_KEY') {
    const line = lineAt(text, start);
    const rest = text.slice(start, line.end);
    const key = lineKey(text, line);
    // `a: b: c`: a mapping inside a value on one line.
    if (key && /:(?:\s|$)/.test(rest.replace(/\s+#.*$/, ''))) {
      return at(`\`${key.name}\` has a value that holds \`: \` (\`${rest.trim().slice(0, 60)}\`), which YAML reads as a mapping inside a value on one line; quote the value if the colon is part of it, or put the inner key on a line of its own, indented under \`${key.name}\``);
    }
    // A key indented more than the key above it, which already has a value: the library reports the value.
    const next = nextContentLine(text, line.end);
    const misplaced = next && indentProblem(text, next, lineOf);
    if (misplaced && misplaced.above.start === line.start) return misplaced.problem;
    return at('a key cannot start inside the value on this line: indent the line below it like the other keys of its mapping, or quote a value that holds `: `');
  }
  if (code === 'BAD_INDENT' && /^All mapping items must start at the same column/.test(clean)) {
    // The library points at the start of the line (or a blank line before it): the key of the first line with content.
    const line = nextContentLine(text, lineAt(text, start).start);
    const misplaced = line && indentProblem(text, line, lineOf);
    if (misplaced) return misplaced.problem;
    return at('the keys of one mapping must start at the same column: align this key with the keys above it');
  }
  const flow = code === 'BAD_INDENT' ? /^Flow (sequence|map) in block collection must be sufficiently indented and end with a ([\]}])/.exec(clean) : null;
  if (flow) {
    // The library notices the open list on the next line it reads; the place to fix is the bracket left open.
    const [open, close, what] = flow[1] === 'map' ? ['{', '}', 'mapping'] : ['[', ']', 'list'];
    const opener = unclosedBracket(text, start);
    if (opener !== undefined && text[opener] === open) {
      return at(`this \`${open}\` opens a flow ${what} that is never closed: add \`${close}\` after its last item (a flow ${what} may go on over later lines only if they are indented more than the line that opens it)`, { offset: opener, length: 1 });
    }
    return at(`a flow ${what} (\`${open}…\`) is not closed before this line: add \`${close}\` where it ends`);
  }
  return at(clean);
}

interface TextLine {
  start: number;
  end: number;
}

/** The line holding an offset (without its line break). */
function lineAt(text: string, offset: number): TextLine {
  const start = Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
  const nl = text.indexOf('\n', offset);
  const end = nl < 0 ? text.length : text[nl - 1] === '\r' ? nl - 1 : nl;
  return { start, end: Math.max(start, end) };
}

/** The first line at or after `from` (an offset at a line's start or end) with something besides spaces and a comment. */
function nextContentLine(text: string, from: number): TextLine | undefined {
  let offset = text[from] === '\r' ? from + 1 : from;
  if (text[offset] === '\n') offset++;
  // Only a few lines: an indentation mistake is next to the line the library names.
  for (let i = 0; i < 50 && offset < text.length; i++) {
    const line = lineAt(text, offset);
    if (!/^\s*(?:#.*)?$/.test(text.slice(line.start, line.end))) return line;
    offset = text.indexOf('\n', line.end);
    if (offset < 0) return undefined;
    offset++;
  }
  return undefined;
}

/** A line's key, after its indentation and any `- ` markers: its name, its column, and whether a value follows on the line. */
function lineKey(text: string, line: TextLine): { name: string; column: number; offset: number; hasValue: boolean } | undefined {
  const m = /^((?: *- +)*[ ]*)("(?:[^"\\]|\\.){0,80}"|'(?:[^']|''){0,80}'|[^\s#:{}[\],"'-][^:#{}[\],]{0,80}?|-[^\s:#{}[\],][^:#{}[\],]{0,80}?)[ \t]*:(?:[ \t]+(.*))?$/.exec(text.slice(line.start, line.end));
  if (!m) return undefined;
  // An anchor or a tag alone is not a value: the mapping under the key follows.
  const value = (m[3] ?? '').replace(/(^|\s)#.*$/, '').trim().replace(/^(?:[&!]\S*\s*)+$/, '');
  return { name: m[2]!, column: m[1]!.length, offset: line.start + m[1]!.length, hasValue: value !== '' };
}

/** Spaces before a line's first character. */
function indentOf(text: string, line: TextLine): number {
  return /^ */.exec(text.slice(line.start, line.end))![0].length;
}

/**
 * Why a key line is misplaced, read from the lines above it: the line above it at a smaller column is either a key
 * with a value on its line (then this key is indented more than that key and belongs beside it) or a key that opens a
 * mapping (then this key is out of line with that mapping's keys). Undefined when the text does not say which.
 */
function indentProblem(text: string, line: TextLine, lineOf: (offset: number) => number): { problem: SyntaxProblem; above: TextLine } | undefined {
  const key = lineKey(text, line);
  if (!key || key.column !== indentOf(text, line)) return undefined;
  const spaces = (n: number): string => `${n} space${n === 1 ? '' : 's'}`;
  const span = { offset: key.offset, length: key.name.length };
  // Walk up over the lines in between (deeper ones, blank lines, comments) to the first at a smaller column.
  let children: { key: NonNullable<ReturnType<typeof lineKey>>; line: TextLine } | undefined;
  for (let cursor = line.start, i = 0; cursor > 0 && i < 200; i++) {
    const above = lineAt(text, cursor - 1);
    cursor = above.start;
    const content = text.slice(above.start, above.end);
    if (/^\s*(?:#.*)?$/.test(content)) continue;
    const k = lineKey(text, above);
    if (!k) return undefined;
    if (k.column >= key.column) {
      children = { key: k, line: above };
      continue;
    }
    if (k.hasValue) {
      if (children) return undefined;
      return {
        above,
        problem: { span, message: `\`${key.name}\` is indented ${spaces(key.column)}, more than \`${k.name}\` on line ${lineOf(above.start)} (${spaces(k.column)}), which already has a value; align it with \`${k.name}\`` },
      };
    }
    // `above` opens a mapping: its keys start where its first key does.
    if (!children || children.key.column === key.column) return undefined;
    const first = children.key;
    return {
      above,
      problem: {
        span,
        message: `\`${key.name}\` is indented ${spaces(key.column)}, but the keys under \`${k.name}\` start at ${spaces(first.column)} (\`${first.name}\`, line ${lineOf(children.line.start)}): keys of one mapping start at the same column; align it with \`${first.name}\`${key.column < first.column ? `, or with \`${k.name}\` if it belongs beside it` : ''}`,
      },
    };
  }
  return undefined;
}

/** The offset of the `[` or `{` still open at `before`, outside quotes and comments; undefined when none is. */
function unclosedBracket(text: string, before: number): number | undefined {
  const open: number[] = [];
  let i = 0;
  while (i < before) {
    const c = text[i]!;
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? before : nl;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) {
      // A quoted scalar: skip to its end (`\\` escapes in double quotes, `''` in single ones).
      let j = i + 1;
      while (j < before && text[j] !== c) j += c === '"' && text[j] === '\\' ? 2 : 1;
      if (c === "'" && text[j + 1] === "'") {
        i = j + 2;
        continue;
      }
      i = j + 1;
      continue;
    }
    if (c === '[' || c === '{') open.push(i);
    else if ((c === ']' || c === '}') && open.length) open.pop();
    i++;
  }
  return open.at(-1);
}

/** Where the first of two equal keys is, for the duplicate key at `offset`: the pair before it in the same mapping. */
function firstKeyOffset(doc: Document.Parsed, offset: number): number | undefined {
  let found: number | undefined;
  const stack: unknown[] = [doc.contents];
  // Iterative, and bounded by the document (already measured against the depth limit).
  while (stack.length && found === undefined) {
    const node = stack.pop();
    if (isMap(node)) {
      const pairs = node.items;
      const i = pairs.findIndex((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (i > 0) {
        const dup = pairs[i]!.key as { value: unknown };
        const first = pairs.slice(0, i).find((p) => isScalar(p.key) && p.key.value === dup.value);
        if (first && isScalar(first.key)) found = first.key.range?.[0];
      }
      for (const p of pairs) stack.push(p.value);
    } else if (isSeq(node)) for (const x of node.items) stack.push(x);
  }
  return found;
}

function cleanYamlMessage(message: string, format: 'yaml' | 'json'): string {
  // The yaml library appends "at line N, column M" and a code frame; ranges carry that already.
  const m = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
  return format === 'json' ? m.replace(/flow map/gi, 'object').replace(/flow sequence/gi, 'array').replace(/flow collection/gi, 'object or array') : m;
}

/**
 * A cheap upper bound on the nesting depth, from the text alone: a line's depth is at most its indentation plus the
 * structural characters on it, plus the open flow brackets before it. Real files are far below the limit, so the
 * exact check over the tokens (which allocates) runs only for the odd one.
 */
export function mayBeTooDeep(text: string, limit: number): boolean {
  let open = 0;
  let indent = 0;
  let onLine = 0;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (indent + onLine + open + 1 > limit) return true;
      indent = 0;
      onLine = 0;
      atStart = true;
      continue;
    }
    if (atStart && c === 32) {
      indent++;
      continue;
    }
    atStart = false;
    if (c === 91 || c === 123) {
      open++;
      onLine++;
    } else if (c === 93 || c === 125) {
      if (open > 0) open--;
    } else if (c === 45 || c === 58 || c === 63) onLine++;
  }
  return indent + onLine + open + 1 > limit;
}

/**
 * The offset of the first CST token nested deeper than `limit`, or undefined. Iterative, so any depth is safe.
 * Collections (block and flow) and their keys and values each count one level, as the composer recurses.
 */
function firstTooDeep(tokens: CST.Token[], limit: number): number | undefined {
  const stack: [CST.Token | null | undefined, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, d] = stack.pop()!;
    if (!t) continue;
    if (d > limit) return t.offset;
    if (t.type === 'document') stack.push([t.value, d]);
    else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      for (const item of t.items as { key?: CST.Token | null; value?: CST.Token }[]) {
        stack.push([item.key, d + 1], [item.value, d + 1]);
      }
    }
  }
  return undefined;
}

export interface NodeAtPath {
  /** The value node at the path. */
  node: Node | undefined;
  /** The pair whose value it is, when the last segment is a map key. */
  pair: Pair<unknown, unknown> | undefined;
  /** How many segments of the path were found. */
  depth: number;
  /** The deepest node that exists on the way. */
  deepest: Node | undefined;
  deepestPair: Pair<unknown, unknown> | undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** Walk a document along a JSON path. */
export function nodeAtPath(doc: Document.Parsed | undefined, path: JsonPath): NodeAtPath {
  let node: Node | undefined = doc?.contents ?? undefined;
  let pair: Pair<unknown, unknown> | undefined;
  let deepest = node;
  let deepestPair: Pair<unknown, unknown> | undefined;
  let depth = 0;
  for (const seg of path) {
    if (isAlias(node) && doc) node = node.resolve(doc) as Node | undefined;
    if (isMap(node)) {
      const found = node.items.find((p) => keyText(p.key) === String(seg));
      if (!found) return { node: undefined, pair: undefined, depth, deepest, deepestPair };
      pair = found as Pair<unknown, unknown>;
      node = (found.value ?? undefined) as Node | undefined;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return { node: undefined, pair: undefined, depth, deepest, deepestPair };
      pair = undefined;
      node = item as Node;
    } else {
      return { node: undefined, pair: undefined, depth, deepest, deepestPair };
    }
    depth++;
    deepest = node ?? (pair?.key as Node | undefined);
    deepestPair = pair;
  }
  return { node, pair, depth, deepest, deepestPair };
}

/** Span of a node's value, trimmed of trailing white space. */
export function nodeSpan(node: Node | undefined | null, text: string): Span | undefined {
  const range = node?.range;
  if (!range) return undefined;
  let end = range[1];
  while (end > range[0] && /\s/.test(text[end - 1]!)) end--;
  return { offset: range[0], length: end - range[0] };
}

export type SpanTarget = 'key' | 'value' | 'auto';

/**
 * The span for a path: the key (for "unknown property", "missing …"), the value (wrong value), or `auto`
 * (value when it is a scalar, otherwise the key). Falls back to the deepest existing ancestor, then line 1.
 */
export function spanAtPath(parsed: ParsedDocument, path: JsonPath, target: SpanTarget = 'auto'): Span {
  // Kept with the text they were found in: a file's syntax tree may have been let go (see DOC_CACHE_SIZE), and a
  // tenant's cross-file findings ask the same few places of its files (their names) after every edit.
  let spans = knownSpans.get(parsed);
  if (!spans) knownSpans.set(parsed, (spans = new Map()));
  const key = spanKey(path, target);
  let span = spans.get(key);
  if (!span) spans.set(key, (span = findSpanAtPath(parsed, path, target)));
  return { offset: span.offset, length: span.length };
}

/** A character no step of a path holds when `spanKey` joins them (one that does gets a key of another form). */
const SEPARATORS = /[\0\u0001\u0002]/;

/**
 * The key of a place in `knownSpans`: the target, then each step after a separator that tells a key (`\0`) from an
 * index (`\u0001`), so `['a', 0]` and `['a', '0']` differ. Asked many times per edit; `JSON.stringify` took twice as
 * long. A key holding a separator is written as JSON behind a third one (`\u0002`), so no two places share a key.
 */
function spanKey(path: JsonPath, target: SpanTarget): string {
  let key: string = target;
  for (const step of path) {
    if (typeof step === 'number') key += '\u0001' + step;
    else if (SEPARATORS.test(step)) return '\u0002' + target + JSON.stringify(path);
    else key += '\0' + step;
  }
  return key;
}

/** The spans `spanAtPath` found, by file text: a handful per file (names, kinds, the places findings point at). */
const knownSpans = new WeakMap<ParsedDocument, Map<string, Span>>();

function findSpanAtPath(parsed: ParsedDocument, path: JsonPath, target: SpanTarget): Span {
  const found = nodeAtPath(parsed.doc, path);
  if (found.depth === path.length) {
    const keyNode = found.pair?.key as Node | undefined;
    if (target === 'key' && keyNode) return nodeSpan(keyNode, parsed.text) ?? firstLineSpan(parsed);
    const valueSpan = nodeSpan(found.node, parsed.text);
    if (target === 'value' && valueSpan && valueSpan.length > 0) return valueSpan;
    if (target === 'auto') {
      if (found.node && isScalar(found.node) && valueSpan && valueSpan.length > 0) return valueSpan;
      if (keyNode) return nodeSpan(keyNode, parsed.text) ?? firstLineSpan(parsed);
      if (valueSpan && valueSpan.length > 0 && isScalar(found.node)) return valueSpan;
      if (valueSpan) return firstLineOf(parsed, valueSpan);
    }
    if (keyNode) return nodeSpan(keyNode, parsed.text) ?? firstLineSpan(parsed);
    if (valueSpan) return firstLineOf(parsed, valueSpan);
  }
  const parentKey = found.deepestPair?.key as Node | undefined;
  if (found.depth > 0 && parentKey) return nodeSpan(parentKey, parsed.text) ?? firstLineSpan(parsed);
  if (found.depth > 0 && found.deepest) {
    const s = nodeSpan(found.deepest, parsed.text);
    if (s) return firstLineOf(parsed, s);
  }
  return firstLineSpan(parsed);
}

/**
 * The span of some characters of the string value at a path (`within`: offsets in the value as read) in the file's
 * text: a finding on one token of a value (a device filter rule's attribute) squiggles that token, where the file
 * writes the value on one line, plain, in single quotes (`''` for a quote) or in double quotes (YAML's and JSON's
 * escapes). A value written otherwise (a block scalar, a quoted one folded over lines) gets the whole value's span.
 */
export function spanWithinValue(parsed: ParsedDocument, path: JsonPath, within: { offset: number; length: number }): Span {
  const whole = spanAtPath(parsed, path, 'value');
  const node = nodeAtPath(parsed.doc, path).node;
  const range = node?.range;
  if (!isScalar(node) || typeof node.value !== 'string' || !range) return whole;
  const starts = sourceOffsets(parsed.text.slice(range[0], range[1]).replace(/\s+$/, ''), node.value);
  const from = starts?.[within.offset];
  const to = starts?.[within.offset + within.length];
  if (from === undefined || to === undefined || to <= from) return whole;
  return { offset: range[0] + from, length: to - from };
}

/** Escapes of a double-quoted scalar (YAML's, which hold JSON's) that stand for one character. */
const ESCAPES: Readonly<Record<string, string>> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029' };

/**
 * Where each character of a one-line scalar's value starts in its source (and, last, where the value ends), or
 * undefined when the source is not read one for one here (a line break, a block scalar) or does not spell `value`.
 */
function sourceOffsets(source: string, value: string): number[] | undefined {
  if (/[\r\n]/.test(source)) return undefined;
  const starts: number[] = [];
  let read = '';
  const quote = source[0];
  if (quote !== '"' && quote !== "'") {
    if (source !== value) return undefined;
    return Array.from({ length: value.length + 1 }, (_, i) => i);
  }
  let i = 1;
  for (; i < source.length - 1; ) {
    const c = source[i]!;
    starts.push(i);
    if (quote === "'" && c === "'" && source[i + 1] === "'") {
      read += "'";
      i += 2;
    } else if (quote === '"' && c === '\\') {
      const e = source[i + 1] ?? '';
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex) {
        const code = Number.parseInt(source.slice(i + 2, i + 2 + hex), 16);
        if (Number.isNaN(code)) return undefined;
        const ch = String.fromCodePoint(code);
        read += ch;
        // A character beyond the BMP is two UTF-16 units of the value, both from this escape.
        if (ch.length > 1) starts.push(i);
        i += 2 + hex;
      } else if (ESCAPES[e] !== undefined) {
        read += ESCAPES[e];
        i += 2;
      } else return undefined;
    } else {
      read += c;
      i++;
    }
  }
  starts.push(i);
  return read === value ? starts : undefined;
}

/** The part of a span on its first line (a multi-line block makes a poor squiggle). */
function firstLineOf(parsed: ParsedDocument, span: Span): Span {
  const pos = parsed.lines.positionAt(span.offset);
  const end = Math.min(span.offset + span.length, parsed.lines.lineEnd(pos.line));
  return { offset: span.offset, length: Math.max(0, end - span.offset) };
}

/** Line 1's content. */
export function firstLineSpan(parsed: ParsedDocument): Span {
  // "Line 1" is the file's first line, as the rule catalogue places these findings, whatever it holds (a header
  // comment included): a consumer of the CLI's JSON finds them at line 0.
  return { offset: 0, length: parsed.lines.lineEnd(0) };
}

/** The value at a path in a plain JS value. */
export function valueAtPath(value: unknown, path: JsonPath): unknown {
  let cur: unknown = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The value as a mapping, or undefined when it is not one (for reading optional nested JSON). */
export function asObject(v: unknown): Record<string, unknown> | undefined {
  return isPlainObject(v) ? v : undefined;
}

/** The strings of a list value, anything else left out (a value that is not a list reads as none). */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The bad token at a parser error: the parser often marks one character (a duplicate key's first letter, the space
 * before a badly indented key), so a span shorter than two characters grows to the token there, the spaces before
 * it on the same line skipped: the key's name, the scalar, up to a space or a flow or mapping indicator.
 */
function badToken(text: string, start: number, end: number): Span {
  if (end - start > 1) return { offset: start, length: end - start };
  let from = start;
  while (from < text.length && (text[from] === ' ' || text[from] === '\t')) from++;
  let to = from;
  while (to < text.length && !/[\s:,[\]{}#]/.test(text[to]!)) to++;
  return to > from ? { offset: from, length: to - from } : { offset: start, length: end - start };
}


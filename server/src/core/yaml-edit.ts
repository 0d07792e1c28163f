/**
 * Minimal text edits on a parsed file, for quick fixes. Every edit touches only the bytes it must: comments, key
 * order, quoting, indentation (2 or 4 spaces) and line endings (LF or CRLF) of the rest of the file survive.
 * JSON files get JSON-shaped edits.
 */
import { isMap, isSeq, isScalar, parse, visit, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { nodeAtPath, type JsonPath, type ParsedDocument } from './document';
import type { TextEdit } from './types';

/** The file's indentation unit: the smallest step between nested block lines (2 when unknown). */
export function indentUnit(parsed: ParsedDocument): number {
  if (parsed.format === 'json') {
    const m = /\n([ \t]+)"/.exec(parsed.text);
    return m ? m[1]!.length : 2;
  }
  let best = Infinity;
  let prev = 0;
  for (let l = 0; l < parsed.lines.lineCount; l++) {
    const line = parsed.text.slice(parsed.lines.lineStart(l), parsed.lines.lineEnd(l));
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const ind = line.length - line.trimStart().length;
    const content = line.trimStart();
    if (ind > prev && ind - prev < best && !content.startsWith('- ')) best = ind - prev;
    // A sequence item's content starts after its dash: the item's next keys line up with that, one dash deeper
    // than the dash itself, which is not an indentation step (it would make a 4-space file look like 2).
    prev = content.startsWith('- ') ? ind + content.length - content.slice(1).trimStart().length : ind;
  }
  return best === Infinity || best > 8 ? 2 : best;
}

/**
 * No edit of a file that did not parse (its syntax tree is partial, so offsets computed from it can be wrong), and
 * none that would reach outside the text: a fix then offers nothing rather than damage the file.
 */
function guarded(parsed: ParsedDocument, edit: () => TextEdit | undefined): TextEdit | undefined {
  if (parsed.syntaxErrors.length) return undefined;
  const e = edit();
  if (!e || e.span.offset < 0 || e.span.length < 0 || e.span.offset + e.span.length > parsed.text.length) return undefined;
  // An anchored node an alias repeats elsewhere (`excludeGroups: &none []` … `excludeApplications: *none`): an edit
  // of it would change every place the alias stands for, which the fix did not mean to touch. Nothing then.
  if (sharedByAlias(parsed, e)) return undefined;
  return e;
}

/** Whether an edit lands in (or at the end of the last line of) an anchored node that an alias of the file refers to. */
function sharedByAlias(parsed: ParsedDocument, e: TextEdit): boolean {
  if (parsed.format === 'json' || !parsed.doc || !/[&]/.test(parsed.text)) return false;
  const aliased = new Set<string>();
  const anchored: Node[] = [];
  visit(parsed.doc, {
    Alias(_, node) {
      aliased.add(node.source);
    },
    Node(_, node) {
      if (node.anchor) anchored.push(node);
    },
  });
  const from = e.span.offset;
  const to = e.span.offset + e.span.length;
  return anchored.some((n) => {
    if (!n.anchor || !aliased.has(n.anchor) || !n.range) return false;
    const end = contentEnd(parsed, n);
    // An item appended to a block sequence goes after the end of its last line.
    const lastLineEnd = parsed.lines.lineEnd(parsed.lines.positionAt(end).line);
    return from <= Math.max(end, lastLineEnd) && to >= n.range[0];
  });
}

function columnOf(parsed: ParsedDocument, offset: number): number {
  return parsed.lines.positionAt(offset).character;
}

/** Offset just past the last non-space character of the node's last line (before comments/newlines that follow). */
function contentEnd(parsed: ParsedDocument, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /\s/.test(parsed.text[end - 1]!)) end--;
  return end;
}

function quoteIfNeeded(value: string): string {
  const plainLooking = /^[A-Za-z0-9_./@-][A-Za-z0-9_ ./@-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/\s$/.test(value) && !/^\d/.test(value);
  return plainLooking && readsBackAs(value) ? value : JSON.stringify(value);
}

/**
 * Whether `text`, written plain, reads back as that same string. The pattern above lets through a few plain
 * scalars YAML reads differently: `@x` (a reserved indicator, a syntax error), `- x` (a sequence), `.5`/`.inf` (numbers).
 */
function readsBackAs(text: string): boolean {
  try {
    return (parse(`k: ${text}`) as Record<string, unknown> | null)?.k === text;
  } catch {
    return false;
  }
}

/** Render a plain value as a YAML scalar (strings quoted only when needed). */
export function yamlScalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return quoteIfNeeded(value);
  return String(value);
}

/** Replace the value at `path` with `text` (a scalar written in the file's syntax). */
export function replaceValue(parsed: ParsedDocument, path: JsonPath, value: string | number | boolean): TextEdit | undefined {
  return guarded(parsed, () => replaceValueIn(parsed, path, value));
}

function replaceValueIn(parsed: ParsedDocument, path: JsonPath, value: string | number | boolean): TextEdit | undefined {
  const found = nodeAtPath(parsed.doc, path);
  const node = found.node;
  if (!node?.range) return undefined;
  const end = contentEnd(parsed, node);
  let newText: string;
  if (parsed.format === 'json') newText = JSON.stringify(value);
  else if (isScalar(node) && typeof value === 'string' && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) {
    newText = node.type === 'QUOTE_DOUBLE' ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
  } else newText = typeof value === 'string' ? quoteIfNeeded(value) : String(value);
  // An empty value (`key:` and nothing after it) sits right after the colon; `key:true` would not be a pair.
  if (end === node.range[0] && parsed.text[end - 1] === ':') newText = ' ' + newText;
  // An empty value followed by a comment (`key: # why`) sits on the `#`; `true# why` would read as one string.
  if (end === node.range[0] && parsed.text[end] === '#') newText += ' ';
  return { file: parsed.path, span: { offset: node.range[0], length: end - node.range[0] }, newText };
}

/**
 * Replace the scalar at `path` (a `null`, say) with a small collection written on one line where the scalar stood:
 * `{ operator: OR, builtInControls: [block] }` in YAML, `{ "operator": "OR", "builtInControls": ["block"] }` in JSON.
 * Nothing when the value there is not a scalar (a collection keeps its own lines: edit inside it instead).
 */
export function replaceScalarWith(parsed: ParsedDocument, path: JsonPath, value: unknown): TextEdit | undefined {
  return guarded(parsed, () => {
    const node = nodeAtPath(parsed.doc, path).node;
    if (!isScalar(node) || !node.range) return undefined;
    const end = contentEnd(parsed, node);
    let newText = parsed.format === 'json' ? renderInlineJson(value) : renderFlow(value);
    // As `replaceValueIn`: an empty value sits right after the colon, or on a comment's `#`.
    if (end === node.range[0] && parsed.text[end - 1] === ':') newText = ' ' + newText;
    if (end === node.range[0] && parsed.text[end] === '#') newText += ' ';
    return { file: parsed.path, span: { offset: node.range[0], length: end - node.range[0] }, newText };
  });
}

/**
 * Append items to the sequence at `path` (flow `[a, b]` or block `- a`; YAML or JSON). Items are scalars or small
 * maps: in a block sequence a map is written as the last item is (block lines, or `{ k: v }` flow), and in a
 * multi-line JSON array it is pretty-printed when the last item is.
 */
export function appendToSequence(parsed: ParsedDocument, path: JsonPath, items: unknown[]): TextEdit | undefined {
  return guarded(parsed, () => appendToSequenceIn(parsed, path, items));
}

function appendToSequenceIn(parsed: ParsedDocument, path: JsonPath, items: unknown[]): TextEdit | undefined {
  const seq = nodeAtPath(parsed.doc, path).node;
  if (!isSeq(seq) || !seq.range) return undefined;
  const json = parsed.format === 'json';
  const inline = (v: unknown): string => (json ? renderInlineJson(v) : renderFlow(v));
  const s = seq as YAMLSeq;
  const eol = parsed.lines.eol();
  if (s.flow || json) {
    // Insert before the closing bracket.
    const close = parsed.text.lastIndexOf(']', contentEnd(parsed, seq));
    if (close < 0) return undefined;
    if (s.items.length === 0) {
      return { file: parsed.path, span: { offset: seq.range[0] + 1, length: close - seq.range[0] - 1 }, newText: items.map(inline).join(', ') };
    }
    const last = s.items[s.items.length - 1] as Node;
    const at = contentEnd(parsed, last);
    // Multi-line JSON arrays keep one item per line, with the last item's indentation.
    const multiline = /\n/.test(parsed.text.slice(seq.range[0], close));
    if (multiline) {
      const col = columnOf(parsed, last.range![0]);
      const pretty = json && /\n/.test(parsed.text.slice(last.range![0], at));
      const render = (v: unknown): string =>
        pretty && v !== null && typeof v === 'object' ? JSON.stringify(v, null, indentUnit(parsed)).split('\n').join(eol + ' '.repeat(col)) : inline(v);
      // The rest of the last item's line, when it is only a trailing comma and a comment (`grp-staff,  # temporary`):
      // the new items go on lines of their own after it, so the comment stays with the item it was written for, and a
      // trailing comma is kept after the new last item as the file wrote it.
      const lineEnd = parsed.lines.lineEnd(parsed.lines.positionAt(at).line);
      const rest = parsed.text.slice(at, lineEnd);
      const tail = /^(\s*)(,?)(\s*#.*)$/.exec(rest);
      if (!json && tail) {
        const added = items.map((i) => `${eol}${' '.repeat(col)}${render(i)}`).join(',');
        return { file: parsed.path, span: { offset: at, length: rest.length }, newText: `,${tail[1]}${tail[3]}${added}${tail[2]}` };
      }
      return { file: parsed.path, span: { offset: at, length: 0 }, newText: items.map((i) => `,${eol}${' '.repeat(col)}${render(i)}`).join('') };
    }
    return { file: parsed.path, span: { offset: at, length: 0 }, newText: items.map((i) => `, ${inline(i)}`).join('') };
  }
  const first = s.items[0] as Node | undefined;
  if (!first?.range) return undefined;
  // The dash sits before the first item; its column is the sequence's indentation.
  const dash = parsed.text.lastIndexOf('-', first.range[0]);
  const col = columnOf(parsed, dash);
  const last = s.items[s.items.length - 1] as Node;
  const at = contentEnd(parsed, last);
  const lineEnd = parsed.lines.lineEnd(parsed.lines.positionAt(at).line);
  const pad = ' '.repeat(col);
  const blockMaps = isMap(last) && !(last as YAMLMap).flow;
  const render = (v: unknown): string => {
    if (!blockMaps || isFlowable(v) || Array.isArray(v)) return `${pad}- ${renderFlow(v)}`;
    // A map item's keys line up after its dash.
    const lines = renderYaml(v, col + 2, indentUnit(parsed)).slice(1);
    return [`${pad}- ${lines[0]!.trimStart()}`, ...lines.slice(1)].join(eol);
  };
  return { file: parsed.path, span: { offset: lineEnd, length: 0 }, newText: items.map((i) => `${eol}${render(i)}`).join('') };
}

/** A plain value as one line of JSON, spaced as people write it: `{ "a": 1, "b": [2, 3] }`. */
function renderInlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderInlineJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${renderInlineJson(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/** A value that fits on one line: a scalar, a list of scalars, or an empty list or map. */
function isFlowable(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every((v) => v === null || typeof v !== 'object');
  return Object.keys(value).length === 0;
}

/** Render a plain value in YAML flow style (`[a, b]`, `{ k: v }`), quoting strings only when needed. */
export function renderFlow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderFlow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${quoteKey(k)}: ${renderFlow(v)}`).join(', ')} }` : '{}';
  }
  return yamlScalar(value as string | number | boolean | null);
}

/**
 * Render a small plain value as block YAML lines at `indent` (for inserting a new key). A block collection comes
 * back as `['', ...lines]`; a value that fits on one line (scalar, list of scalars) as that one line.
 */
export function renderYaml(value: unknown, indent: number, unit: number): string[] {
  if (isFlowable(value)) return [renderFlow(value)];
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      // An item's first line goes after its dash; the rest are already indented past it.
      const sub = renderYaml(item, indent + 2, unit);
      if (sub[0] === '') lines.push(`${pad}- ${sub[1]!.trimStart()}`, ...sub.slice(2));
      else lines.push(`${pad}- ${sub[0]}`);
    }
    return ['', ...lines];
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    // Nested lists are indented under their key, as the format's own examples write them.
    const sub = renderYaml(v, indent + unit, unit);
    if (sub[0] === '') lines.push(`${pad}${quoteKey(k)}:`, ...sub.slice(1));
    else lines.push(`${pad}${quoteKey(k)}: ${sub[0]}`);
  }
  return ['', ...lines];
}

/**
 * Add `key: value` at the end of the map at `path` (block or flow; YAML or JSON). Returns undefined when the
 * map is not there.
 */
export function addToMap(parsed: ParsedDocument, path: JsonPath, key: string, value: unknown): TextEdit | undefined {
  return guarded(parsed, () => addToMapIn(parsed, path, key, value));
}

function addToMapIn(parsed: ParsedDocument, path: JsonPath, key: string, value: unknown): TextEdit | undefined {
  const map = nodeAtPath(parsed.doc, path).node;
  if (!isMap(map) || !map.range) return undefined;
  const m = map as YAMLMap;
  const eol = parsed.lines.eol();
  const unit = indentUnit(parsed);
  if (parsed.format === 'json') {
    const close = parsed.text.lastIndexOf('}', contentEnd(parsed, map));
    const last = m.items[m.items.length - 1];
    const json = JSON.stringify(value, null, unit);
    if (!last) return { file: parsed.path, span: { offset: map.range[0] + 1, length: close - map.range[0] - 1 }, newText: `${JSON.stringify(key)}: ${json}` };
    const lastNode = (last.value ?? last.key) as Node;
    const at = contentEnd(parsed, lastNode);
    const col = columnOf(parsed, (last.key as Node).range![0]);
    const multi = /\n/.test(parsed.text.slice(map.range[0], close));
    const body = json.split('\n').map((l, i) => (i === 0 ? l : ' '.repeat(col) + l)).join(eol);
    return { file: parsed.path, span: { offset: at, length: 0 }, newText: multi ? `,${eol}${' '.repeat(col)}${JSON.stringify(key)}: ${body}` : `, ${JSON.stringify(key)}: ${JSON.stringify(value)}` };
  }
  if (m.flow) {
    const close = parsed.text.lastIndexOf('}', contentEnd(parsed, map));
    const flowValue = renderFlow(value);
    const last = m.items[m.items.length - 1];
    if (!last) return { file: parsed.path, span: { offset: map.range[0] + 1, length: close - map.range[0] - 1 }, newText: ` ${quoteKey(key)}: ${flowValue} ` };
    const at = contentEnd(parsed, (last.value ?? last.key) as Node);
    return { file: parsed.path, span: { offset: at, length: 0 }, newText: `, ${quoteKey(key)}: ${flowValue}` };
  }
  const firstKey = m.items[0]?.key as Node | undefined;
  if (!firstKey?.range) return undefined;
  const col = columnOf(parsed, firstKey.range[0]);
  const last = m.items[m.items.length - 1]!;
  const lastNode = (last.value && (last.value as Node).range ? last.value : last.key) as Node;
  const at = contentEnd(parsed, lastNode);
  const lineEnd = parsed.lines.lineEnd(parsed.lines.positionAt(at).line);
  const rendered = renderYaml(value, col + unit, unit);
  const text = rendered[0] === '' ? `${' '.repeat(col)}${quoteKey(key)}:${eol}${rendered.slice(1).join(eol)}` : `${' '.repeat(col)}${quoteKey(key)}: ${rendered[0]}`;
  return { file: parsed.path, span: { offset: lineEnd, length: 0 }, newText: eol + text };
}

function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
}

/** Render a whole new YAML document (for files a fix creates), with a comment header. */
export function renderNewYamlFile(header: string[], value: Record<string, unknown>, unit = 2): string {
  const lines = [...header.map((h) => `# ${h}`), ...renderYaml(value, 0, unit).filter((l, i) => !(i === 0 && l === ''))];
  return lines.join('\n') + '\n';
}

/**
 * The cursor's place in JSON text, or in a YAML flow collection (`{ a: 1, b: [x, y] }`), read from the text itself:
 * a half-typed key or value does not parse, and completion is asked exactly then. The scanner walks the text from
 * where the JSON (or the flow collection) starts to the cursor, keeping the open objects and arrays with the key or
 * index each is at, and reads the keys the object at the cursor already has, before and after it.
 */
import type { JsonPath } from '../document';
import type { Span } from '../types';

export interface FlowPlace {
  /** The path of the object (key mode) or of the value (value mode), relative to where the scan started. */
  path: JsonPath;
  mode: 'key' | 'value';
  /** In value mode: the cursor is at an item of an array (the index ends `path`). */
  inArray: boolean;
  /** What was typed of the token at the cursor (without its opening quote). */
  partial: string;
  /** The token at the cursor, quotes included, up to its end on the line (empty at the cursor when none). */
  token: Span;
  /** The token is quoted. */
  quoted: boolean;
  /** A `:` already follows the token (a key typed before its value). */
  colonFollows: boolean;
  /** The keys the object at the cursor already has (the one being typed left out). */
  siblings: string[];
}

interface Frame {
  obj: boolean;
  /** The key (object) or index (array) this container is at in its parent. */
  at: string | number | undefined;
  key?: string;
  expectKey: boolean;
  index: number;
  keys: string[];
}

/** The end of a quoted string opened at `i` (the index of its closing quote), or -1 when the line ends first. */
function stringEnd(text: string, i: number, quote: string): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\n' || c === '\r') return -1;
    if (quote === '"' && c === '\\') {
      j++;
      continue;
    }
    if (c === quote) {
      // YAML's single-quoted strings escape a quote by doubling it.
      if (quote === "'" && text[j + 1] === "'") {
        j++;
        continue;
      }
      return j;
    }
  }
  return -1;
}

function unquote(raw: string, quote: string): string {
  if (quote === '"') {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  return raw.slice(1, -1).replace(/''/g, "'");
}

/** The end of a bare word (a YAML plain scalar, a JSON literal or a key not yet quoted) that starts at `i`. */
function wordEnd(text: string, i: number, yaml: boolean): number {
  let j = i;
  for (; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\n' || c === '\r' || c === ',' || c === '{' || c === '}' || c === '[' || c === ']' || c === '"') break;
    // In YAML a colon ends a key only before a space or an indicator (`http://x` is one word).
    if (c === ':' && (!yaml || j + 1 >= text.length || /[\s,{}[\]]/.test(text[j + 1]!))) break;
    if (yaml && c === '#' && /\s/.test(text[j - 1] ?? '')) break;
  }
  return j;
}

/** The keys written after `from` in the object the scan is in (depth 0 there), up to its end. */
function keysAfter(text: string, from: number, yaml: boolean): string[] {
  const keys: string[] = [];
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || (yaml && c === "'")) {
      const end = stringEnd(text, i, c);
      if (end < 0) return keys;
      if (depth === 0 && /^\s*:/.test(text.slice(end + 1, end + 40))) keys.push(unquote(text.slice(i, end + 1), c));
      i = end + 1;
    } else if (c === '{' || c === '[') {
      depth++;
      i++;
    } else if (c === '}' || c === ']') {
      if (--depth < 0) return keys;
      i++;
    } else if (/[\s,:]/.test(c)) {
      i++;
    } else {
      const end = wordEnd(text, i, yaml);
      if (end === i) {
        i++;
        continue;
      }
      if (yaml && depth === 0 && text[end] === ':') keys.push(text.slice(i, end).trim());
      i = end;
    }
  }
  return keys;
}

/**
 * The place of `offset` in the JSON or YAML flow collection that starts at `start`, or undefined when the cursor is
 * in none of its containers (before its first `{`/`[`, or after it closed).
 */
export function flowPlace(text: string, start: number, offset: number, yaml: boolean): FlowPlace | undefined {
  const stack: Frame[] = [];
  const place = (tokenStart: number, quote: string | undefined): FlowPlace | undefined => {
    const top = stack[stack.length - 1];
    if (!top) return undefined;
    const path = stack.slice(1).map((f) => f.at!) as JsonPath;
    let tokenEnd = offset;
    if (quote) {
      const end = stringEnd(text, tokenStart, quote);
      tokenEnd = end < 0 ? offset : end + 1;
    } else if (tokenStart < offset) {
      tokenEnd = wordEnd(text, tokenStart, yaml);
    }
    const partial = text.slice(quote ? tokenStart + 1 : tokenStart, offset);
    const token = { offset: tokenStart, length: tokenEnd - tokenStart };
    const colonFollows = /^[ \t]*:/.test(text.slice(tokenEnd, tokenEnd + 40));
    if (top.obj && top.expectKey) {
      const siblings = [...top.keys, ...keysAfter(text, tokenEnd, yaml)];
      return { path, mode: 'key', inArray: false, partial, token, quoted: !!quote, colonFollows, siblings };
    }
    if (top.obj) return { path: [...path, top.key ?? ''], mode: 'value', inArray: false, partial, token, quoted: !!quote, colonFollows: false, siblings: [] };
    return { path: [...path, top.index], mode: 'value', inArray: true, partial, token, quoted: !!quote, colonFollows: false, siblings: [] };
  };
  const scalar = (value: string): void => {
    const top = stack[stack.length - 1];
    if (top?.obj && top.expectKey) {
      top.key = value;
      top.keys.push(value);
    }
  };
  let i = start;
  while (i < offset) {
    const c = text[i]!;
    if (c === '"' || (yaml && c === "'")) {
      const end = stringEnd(text, i, c);
      if (end < 0 || end >= offset) return place(i, c);
      scalar(unquote(text.slice(i, end + 1), c));
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      const top = stack[stack.length - 1];
      stack.push({ obj: c === '{', at: top ? (top.obj ? top.key ?? '' : top.index) : undefined, expectKey: c === '{', index: 0, keys: [] });
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      stack.pop();
      if (!stack.length) return undefined;
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === ',') {
      if (top?.obj) {
        top.expectKey = true;
        top.key = undefined;
      } else if (top) top.index++;
      i++;
      continue;
    }
    if (c === ':') {
      if (top?.obj) top.expectKey = false;
      i++;
      continue;
    }
    if (yaml && c === '#' && /\s/.test(text[i - 1] ?? ' ')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const end = wordEnd(text, i, yaml);
    if (end >= offset) return place(i, undefined);
    if (end === i) {
      i++;
      continue;
    }
    scalar(text.slice(i, end).trim());
    i = end;
  }
  return place(offset, undefined);
}

/** What is at an offset: the JSON path of the innermost node, and whether the offset is on a key or a value. */
import { isMap, isSeq, isScalar, isPair, type Node } from 'yaml';
import type { JsonPath, ParsedDocument } from '../document';
import type { Span } from '../types';

export interface Located {
  path: JsonPath;
  on: 'key' | 'value';
  /** The scalar under the offset, when there is one. */
  scalar?: { value: unknown; span: Span };
}

function within(node: unknown, offset: number): boolean {
  const r = (node as Node | null)?.range;
  return !!r && offset >= r[0] && offset <= r[1];
}

export function locate(parsed: ParsedDocument, offset: number): Located | undefined {
  let node: unknown = parsed.doc?.contents;
  const path: JsonPath = [];
  for (let guard = 0; guard < 10000; guard++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => within(p.key, offset) || within(p.value, offset));
      if (!pair || !isPair(pair)) return path.length ? { path, on: 'value' } : undefined;
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) return undefined;
      if (within(pair.key, offset)) {
        const r = (pair.key as Node).range!;
        return { path: [...path, key], on: 'key', scalar: { value: key, span: { offset: r[0], length: r[1] - r[0] } } };
      }
      path.push(key);
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => within(it, offset));
      if (i < 0) return { path, on: 'value' };
      path.push(i);
      node = node.items[i];
    } else if (isScalar(node)) {
      const r = node.range!;
      return { path, on: 'value', scalar: { value: node.value, span: { offset: r[0], length: r[1] - r[0] } } };
    } else {
      return { path, on: 'value' };
    }
  }
  return undefined;
}

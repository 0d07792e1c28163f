/** Walk a JSON Schema along a JSON path, resolving $ref, allOf, nullable anyOf and `@odata.type` discriminators. */
import { isPlainObject, valueAtPath, type JsonPath } from '../document';
import type { SchemaObject } from '../schema/schemas';
import { EVOLVABLE_ENUM_SENTINEL } from '../graph';

type S = Record<string, unknown>;

function resolve(root: S, s: S | undefined, data: unknown): S | undefined {
  let cur = s;
  for (let guard = 0; cur && guard < 20; guard++) {
    if (typeof cur.$ref === 'string') {
      const name = cur.$ref.replace('#/definitions/', '');
      cur = (root.definitions as Record<string, S> | undefined)?.[name];
      continue;
    }
    if (Array.isArray(cur.allOf) && !cur.properties) {
      const desc = cur.description;
      const inner = resolve(root, cur.allOf[0] as S, data);
      return inner && desc && !inner.description ? { ...inner, description: desc } : inner;
    }
    if (Array.isArray(cur.anyOf)) {
      cur = (cur.anyOf as S[]).find((b) => b.type !== 'null');
      continue;
    }
    if (Array.isArray(cur.oneOf)) {
      const tag = isPlainObject(data) ? data['@odata.type'] : undefined;
      const branches = (cur.oneOf as S[]).map((b) => resolve(root, b, data)).filter((b): b is S => !!b);
      const match = branches.find((b) => (b.properties as Record<string, S> | undefined)?.['@odata.type']?.const === tag);
      if (match) return match;
      return cur;
    }
    return cur;
  }
  return cur;
}

/** The subtypes a discriminated schema offers (`#microsoft.graph.x` values). */
export function discriminatorOptions(root: SchemaObject, s: S | undefined): string[] {
  if (!s || !Array.isArray(s.oneOf)) return [];
  return (s.oneOf as S[])
    .map((b) => resolve(root as S, b, undefined))
    .map((b) => (b?.properties as Record<string, S> | undefined)?.['@odata.type']?.const)
    .filter((x): x is string => typeof x === 'string');
}

export interface SchemaAt {
  schema: S | undefined;
  /** The object schema that declares the last key (for key hovers and sibling completions). */
  parent: S | undefined;
}

/** The schema of the value at `path`, given the document's value (for choosing subtypes). */
export function schemaAtPath(root: SchemaObject, value: unknown, path: JsonPath): SchemaAt {
  let s: S | undefined = resolve(root as S, root as S, value);
  let parent: S | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = valueAtPath(value, path.slice(0, i));
    s = resolve(root as S, s, here);
    if (!s) return { schema: undefined, parent };
    if (typeof seg === 'number') {
      s = resolve(root as S, s.items as S | undefined, valueAtPath(value, path.slice(0, i + 1)));
      continue;
    }
    parent = s;
    const props = s.properties as Record<string, S> | undefined;
    let next = props?.[seg];
    if (!next && s.patternProperties) {
      for (const [re, sub] of Object.entries(s.patternProperties as Record<string, S>)) if (new RegExp(re).test(seg)) next = sub;
    }
    if (!next && isPlainObject(s.additionalProperties)) next = s.additionalProperties as S;
    s = resolve(root as S, next, valueAtPath(value, path.slice(0, i + 1)));
  }
  return { schema: resolve(root as S, s, valueAtPath(value, path)), parent: parent ? resolve(root as S, parent, valueAtPath(value, path.slice(0, -1))) : undefined };
}

/** Allowed values of a schema: its enum, const, flags members or boolean. */
export function allowedValues(s: S | undefined): string[] {
  if (!s) return [];
  // Graph's evolvable-enum sentinel is no value to write.
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).filter((v) => v !== null && v !== EVOLVABLE_ENUM_SENTINEL).map(String);
  if (s.const !== undefined) return [String(s.const)];
  if (Array.isArray(s['x-flags'])) return (s['x-flags'] as unknown[]).map(String).filter((v) => v !== EVOLVABLE_ENUM_SENTINEL);
  const t = s.type;
  if (t === 'boolean' || (Array.isArray(t) && t.includes('boolean'))) return ['true', 'false'];
  return [];
}

export function typeLabel(s: S | undefined): string {
  if (!s) return 'any';
  if (s['x-enumType']) return `${String(s['x-enumType'])}${s['x-flags'] ? ' (flags: comma-separated)' : ''}`;
  if (s['x-graphType'] && s.type === 'object') return String(s['x-graphType']);
  const t = s.type;
  const base = Array.isArray(t) ? t.filter((x) => x !== 'null').join(' | ') : typeof t === 'string' ? t : s.properties ? 'object' : 'any';
  if (base === 'array') {
    const items = s.items as S | undefined;
    return `list of ${typeLabel(items)}`;
  }
  return base;
}

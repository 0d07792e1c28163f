/** Go to definition (group name → manifest entry), find references (manifest group → every policy), symbols. */
import { isMap, isSeq, isScalar, type Node } from 'yaml';
import { spanAtPath, nodeSpan, type ParsedDocument } from '../document';
import type { PolicyStore } from '../workspace';
import type { Span } from '../types';
import { resolveGroup } from '../model/groups';
import { policySpan } from '../tenant-query';
import { groupUses } from './hover';
import { locate } from './locate';

export interface FileSpan {
  file: string;
  span: Span;
}

function groupAt(service: PolicyStore, path: string, offset: number): { group: string; root: string | undefined } | undefined {
  const file = service.get(path);
  if (!file) return undefined;
  const loc = locate(file.parsed, offset);
  if (!loc || typeof loc.scalar?.value !== 'string') return undefined;
  const root = service.tenantRootOf(path);
  const t = service.view(root);
  if (!t.manifest) return undefined;
  const p = loc.path.join('/');
  const isRef =
    (file.type === 'policy' && file.groupRefs.some((r) => r.path.join('/') === p)) ||
    (file.type === 'manifest' && (/^groups\/\d+\/name$/.test(p) || /^breakGlass\/groups\/\d+$/.test(p)));
  if (!isRef) return undefined;
  const group = resolveGroup(t.manifest, loc.scalar.value as string);
  return group ? { group, root } : undefined;
}

/** Where a group is defined: its entry in the manifest. */
export function definition(service: PolicyStore, path: string, offset: number): FileSpan | undefined {
  const g = groupAt(service, path, offset);
  if (!g) return undefined;
  const m = service.view(g.root).manifest!;
  const entry = m.groups.find((x) => x.name === g.group)!;
  if (entry.source) {
    const f = service.get(entry.source);
    return f ? { file: entry.source, span: spanAtPath(f.parsed, entry.path, 'value') } : undefined;
  }
  return { file: m.path, span: spanAtPath(m.parsed, [...entry.path, 'name'], 'value') };
}

/** Every place that names the group under the cursor (manifest entry included when asked). */
export function references(service: PolicyStore, path: string, offset: number, includeDeclaration: boolean): FileSpan[] {
  const g = groupAt(service, path, offset);
  if (!g) return [];
  const t = service.view(g.root);
  const out: FileSpan[] = [];
  if (includeDeclaration) {
    const d = definition(service, path, offset);
    if (d) out.push(d);
  }
  for (const u of groupUses(t, g.group)) out.push({ file: u.file.path, span: spanAtPath(u.file.parsed, u.path, 'value') });
  return out;
}

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: 'file' | 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null';
  span: Span;
  selection: Span;
  children: OutlineSymbol[];
}

/** The document outline: the YAML/JSON tree of keys (lists show their items by `name`/`displayName` when they have one). */
export function documentSymbols(parsed: ParsedDocument): OutlineSymbol[] {
  const root = parsed.doc?.contents;
  if (!root) return [];
  const walk = (node: unknown, depth: number): OutlineSymbol[] => {
    if (depth > 64) return [];
    const out: OutlineSymbol[] = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const keySpan = nodeSpan(pair.key as Node, parsed.text)!;
        const value = pair.value as Node | null;
        const valueSpan = value ? nodeSpan(value, parsed.text) : undefined;
        const end = valueSpan ? valueSpan.offset + valueSpan.length : keySpan.offset + keySpan.length;
        out.push({
          name: String(pair.key.value),
          detail: isScalar(value) ? String(value.value ?? '') : undefined,
          kind: isMap(value) ? 'object' : isSeq(value) ? 'array' : scalarKind(value),
          span: { offset: keySpan.offset, length: end - keySpan.offset },
          selection: keySpan,
          children: isMap(value) || isSeq(value) ? walk(value, depth + 1) : [],
        });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (!isMap(item)) return;
        const span = nodeSpan(item as Node, parsed.text)!;
        const named = item.items.find((p) => isScalar(p.key) && ['name', 'displayName', 'ruleName', 'settingDefinitionId'].includes(String(p.key.value)));
        const label = named && isScalar(named.value) ? String(named.value.value) : `[${i}]`;
        out.push({ name: label, kind: 'object', span, selection: { offset: span.offset, length: 0 }, children: walk(item, depth + 1) });
      });
    }
    return out;
  };
  return walk(root, 0);
}

function scalarKind(node: unknown): OutlineSymbol['kind'] {
  if (!isScalar(node)) return 'null';
  const v = node.value;
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : v === null ? 'null' : 'string';
}

export interface WorkspaceSymbol {
  name: string;
  detail: string;
  file: string;
  span: Span;
}

/** Policies whose name or displayName matches the query (case-insensitive, in order of the letters). */
export function workspaceSymbols(service: PolicyStore, query: string): WorkspaceSymbol[] {
  const q = query.toLowerCase();
  const matches = (s: string): boolean => {
    let i = 0;
    for (const c of s.toLowerCase()) if (c === q[i]) i++;
    return i === q.length;
  };
  const out: WorkspaceSymbol[] = [];
  for (const p of service.paths()) {
    const f = service.get(p);
    if (f?.type !== 'policy' || !f.kind || !f.name) continue;
    const display = typeof f.spec?.displayName === 'string' ? f.spec.displayName : typeof f.spec?.name === 'string' ? (f.spec.name as string) : '';
    if (q && !matches(f.name) && !matches(display)) continue;
    out.push({ name: f.name, detail: `${f.kind}${display ? ` · ${display}` : ''}`, file: f.path, span: policySpan(f, ['name'], 'value') });
    if (out.length >= 500) break;
  }
  return out;
}

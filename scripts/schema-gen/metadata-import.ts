/**
 * Refreshes `schemas/src/graph-types.json` from newer Graph metadata: the CSDL files that Microsoft publishes
 * (github.com/microsoftgraph/msgraph-metadata, `schemas/v1.0-Prod.csdl` and `schemas/beta-Prod.csdl`, or the
 * `$metadata` documents of https://graph.microsoft.com/v1.0 and /beta). Offline: it reads files you give it.
 *
 * It keeps the file's shape and its selection: the types and enums the current file holds (those our kinds reach),
 * plus any type or enum that their properties or base types newly reference. v1.0 gives full types; beta gives the
 * names of properties and navigation properties, and enum members (a name in beta but not in v1.0 is beta-only),
 * which `beta-overlay.json` types as before. The snapshot's date and source are recorded in the file.
 */
import type { GraphSnapshot, GraphTypesFile, RawBetaType, RawV1Type } from './graph-model';

interface CsdlProperty {
  name: string;
  type: string;
  nullable: boolean;
}

interface CsdlType {
  name: string;
  kind: 'EntityType' | 'ComplexType';
  base: string | null;
  abstract: boolean;
  properties: CsdlProperty[];
  navigation: string[];
}

interface CsdlEnum {
  name: string;
  flags: boolean;
  members: string[];
}

export interface Csdl {
  types: Map<string, CsdlType>;
  enums: Map<string, CsdlEnum>;
}

const MAIN_NAMESPACE = 'microsoft.graph';

function attrs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z_:][\w.:-]*)\s*=\s*"([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** `graph.x` / `microsoft.graph.x` → `x`; `Collection(graph.x)` → `Collection(x)`; Edm types unchanged. */
function bareType(expr: string, aliases: string[]): string {
  const coll = /^Collection\((.+)\)$/.exec(expr);
  if (coll) return `Collection(${bareType(coll[1]!, aliases)})`;
  for (const a of aliases) if (expr.startsWith(a + '.')) return expr.slice(a.length + 1);
  return expr;
}

/**
 * Read the `microsoft.graph` schema of a CSDL document. A small reader for the regular XML Microsoft publishes
 * (elements and attributes only); other namespaces (`microsoft.graph.callRecords`…) are skipped.
 */
export function parseCsdl(xml: string): Csdl {
  const types = new Map<string, CsdlType>();
  const enums = new Map<string, CsdlEnum>();
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  for (const schema of text.matchAll(/<Schema\b([^>]*)>([\s\S]*?)<\/Schema>/g)) {
    const a = attrs(schema[1]!);
    if (a.Namespace !== MAIN_NAMESPACE) continue;
    const aliases = [MAIN_NAMESPACE, ...(a.Alias ? [a.Alias] : [])];
    const body = schema[2]!;
    for (const m of body.matchAll(/<EnumType\b([^>]*?)(\/>|>([\s\S]*?)<\/EnumType>)/g)) {
      const ea = attrs(m[1]!);
      const members = [...(m[3] ?? '').matchAll(/<Member\b([^>]*?)\/?>/g)].map((x) => attrs(x[1]!).Name!).filter(Boolean);
      enums.set(ea.Name!, { name: ea.Name!, flags: ea.IsFlags === 'true', members });
    }
    for (const m of body.matchAll(/<(EntityType|ComplexType)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g)) {
      const ta = attrs(m[2]!);
      const inner = m[4] ?? '';
      const properties = [...inner.matchAll(/<Property\b([^>]*?)\/?>/g)].map((x) => {
        const pa = attrs(x[1]!);
        return { name: pa.Name!, type: bareType(pa.Type!, aliases), nullable: pa.Nullable !== 'false' };
      });
      const navigation = [...inner.matchAll(/<NavigationProperty\b([^>]*?)\/?>/g)].map((x) => attrs(x[1]!).Name!);
      types.set(ta.Name!, {
        name: ta.Name!,
        kind: m[1] as 'EntityType' | 'ComplexType',
        base: ta.BaseType ? bareType(ta.BaseType, aliases) : null,
        abstract: ta.Abstract === 'true',
        properties,
        navigation,
      });
    }
  }
  return { types, enums };
}

function referencedNames(expr: string): string | undefined {
  const coll = /^Collection\((.+)\)$/.exec(expr);
  const inner = coll ? coll[1]! : expr;
  return inner.startsWith('Edm.') ? undefined : inner;
}

/** Build a new graph-types.json from v1.0 and beta CSDL, keeping the selection of `previous`. */
export function importMetadata(opts: { previous: GraphTypesFile; v1: Csdl; beta: Csdl; snapshot: GraphSnapshot }): GraphTypesFile {
  const { previous, v1, beta, snapshot } = opts;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(snapshot.date)) throw new Error(`--date must be YYYY-MM-DD (the metadata's own date), not ${snapshot.date}`);
  const wanted = new Set([...Object.keys(previous.v1_0.types), ...Object.keys(previous.beta.types)]);
  const wantedEnums = new Set([...Object.keys(previous.v1_0.enums), ...Object.keys(previous.beta.enums)]);
  // Close the selection over base types and property types (in each version's own metadata).
  for (const csdl of [v1, beta]) {
    const queue = [...wanted];
    while (queue.length) {
      const name = queue.pop()!;
      const t = csdl.types.get(name);
      if (!t) continue;
      const refs = [t.base, ...t.properties.map((p) => referencedNames(p.type))].filter((r): r is string => !!r && r !== 'entity');
      for (const r of refs) {
        if (csdl.enums.has(r)) wantedEnums.add(r);
        else if (csdl.types.has(r) && !wanted.has(r)) {
          wanted.add(r);
          queue.push(r);
        }
      }
    }
  }
  const v1Types: Record<string, RawV1Type> = {};
  const betaTypes: Record<string, RawBetaType> = {};
  for (const name of [...wanted].sort()) {
    const t = v1.types.get(name);
    if (t) {
      v1Types[name] = {
        abstract: t.abstract,
        base: t.base,
        kind: t.kind,
        navigation: [...t.navigation],
        properties: Object.fromEntries(t.properties.map((p) => [p.name, { nullable: p.nullable, type: p.type }])),
      };
    }
    const b = beta.types.get(name);
    // Like the beta type maps: beta lists a type's own names; a type only beta has, or that beta extends, is listed.
    if (b && (!t || b.properties.some((p) => !t.properties.some((q) => q.name === p.name)) || b.navigation.some((n) => !t.navigation.includes(n)) || previous.beta.types[name])) {
      betaTypes[name] = { navigation: [...b.navigation].sort(), properties: b.properties.map((p) => p.name).sort() };
    }
  }
  const v1Enums: GraphTypesFile['v1_0']['enums'] = {};
  const betaEnums: GraphTypesFile['beta']['enums'] = {};
  for (const name of [...wantedEnums].sort()) {
    const e = v1.enums.get(name);
    if (e) v1Enums[name] = { flags: e.flags, members: [...e.members] };
    const b = beta.enums.get(name);
    if (b && (!e || b.members.some((m) => !e.members.includes(m)) || previous.beta.enums[name])) betaEnums[name] = [...b.members].sort();
  }
  const lost = [...Object.keys(previous.v1_0.types), ...Object.keys(previous.beta.types)].filter((n) => !v1Types[n] && !betaTypes[n]);
  if (lost.length) throw new Error(`the new metadata lacks types the schemas use: ${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ', …' : ''}`);
  return {
    beta: { enums: betaEnums, types: betaTypes },
    note: previous.note,
    snapshot,
    v1_0: { enums: v1Enums, types: v1Types },
  };
}

/** graph-types.json's text: keys as written above, one-space indent (the committed file's format). */
export function graphTypesText(file: GraphTypesFile): string {
  const sorted = Object.fromEntries(Object.entries(file).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify(sorted, null, 1) + '\n';
}

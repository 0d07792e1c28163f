/**
 * A merged view of Graph metadata: the v1.0 CSDL types from `graph-types.json`, plus the beta-only
 * properties and types that `beta-overlay.json` types. Every name comes from those two files. The overlay may also
 * add, each with a source: properties real exports carry that the beta maps lack (`extraProperties`), enum members
 * the maps lack (`extraEnumMembers`), and which beta-only enums are flags (`flagsEnums`).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface GraphProperty {
  name: string;
  type: string;
  nullable: boolean;
  betaOnly: boolean;
  /** The type that declares the property (for descriptions). */
  declaredOn: string;
}

export interface GraphType {
  name: string;
  base: string | null;
  abstract: boolean;
  kind: string;
  betaOnly: boolean;
  own: GraphProperty[];
  navigation: string[];
}

export interface GraphEnum {
  name: string;
  members: string[];
  betaOnlyMembers: string[];
  flags: boolean;
}

export interface RawV1Type {
  abstract: boolean;
  base: string | null;
  kind: string;
  navigation: string[];
  properties: Record<string, { type: string; nullable: boolean }>;
}

export interface RawBetaType {
  navigation: string[];
  properties: string[];
}

interface OverlayProperty {
  type: string;
  nullable?: boolean;
  source?: string;
}

/** The overlay file: typed beta properties, and the additions that cite real exports or docs. */
export interface Overlay {
  types?: Record<string, OverlayType>;
  extraTypes?: Record<string, OverlayType>;
  /** type → property → its type and source (beta-only properties the beta maps do not name). */
  extraProperties?: Record<string, Record<string, OverlayProperty> | string>;
  /** enum → member → source. */
  extraEnumMembers?: Record<string, Record<string, string> | string>;
  /** enum → source, for beta-only flags enums. */
  flagsEnums?: Record<string, string>;
  /** `type.property` → the documented range of an integer property (the metadata has no ranges), with its source. */
  ranges?: Record<string, { minimum?: number; maximum?: number; source: string } | string>;
  /** `type.property` → the documented values of a string property (or of each item of a string list), with its source. */
  values?: Record<string, { values: string[]; source: string } | string>;
}

/** A documented range of an integer property. */
export interface PropertyRange {
  minimum?: number;
  maximum?: number;
}

interface OverlayType {
  base?: string | null;
  abstract?: boolean;
  kind?: string;
  properties?: Record<string, { type: string; nullable?: boolean; source?: string }>;
}

/** Which Graph metadata the types were read from: the metadata's own date (YYYY-MM-DD) and where it came from. */
export interface GraphSnapshot {
  date: string;
  source: string;
  note?: string;
}

export interface GraphTypesFile {
  snapshot?: GraphSnapshot;
  source?: string;
  note?: string;
  v1_0: { types: Record<string, RawV1Type>; enums: Record<string, { flags: boolean; members: string[] }> };
  beta: { types: Record<string, RawBetaType>; enums: Record<string, string[]> };
}

/**
 * Flags enums that only beta defines (so the v1.0 metadata cannot say so). The facts file (§5) documents
 * these as comma-joined flags.
 */
const BETA_FLAGS_ENUMS = new Set(['deviceManagementConfigurationPlatforms', 'deviceManagementConfigurationTechnologies']);

export class GraphModel {
  readonly types = new Map<string, GraphType>();
  readonly enums = new Map<string, GraphEnum>();
  readonly betaTypeNames: Set<string>;
  readonly betaPropertyNames = new Map<string, Set<string>>();
  /** The metadata snapshot the model was built from (shown in schemas and in `schema` warnings). */
  readonly snapshot: GraphSnapshot;
  /** Documented ranges of integer properties, by `declaringType.property` (from the overlay's `ranges`). */
  readonly ranges = new Map<string, PropertyRange>();
  /** Documented values of string properties, by `declaringType.property` (from the overlay's `values`). */
  readonly values = new Map<string, readonly string[]>();

  constructor(raw: GraphTypesFile, overlay: Overlay) {
    if (!raw.snapshot || !/^\d{4}-\d{2}-\d{2}$/.test(raw.snapshot.date)) throw new Error('graph-types.json: `snapshot.date` (YYYY-MM-DD, the metadata\'s own date) is missing');
    this.snapshot = raw.snapshot;
    const overlayFlags = new Set(Object.keys(overlay.flagsEnums ?? {}).filter((k) => !k.startsWith('$')));
    this.betaTypeNames = new Set(Object.keys(raw.beta.types));
    for (const [name, t] of Object.entries(raw.beta.types)) {
      this.betaPropertyNames.set(name, new Set([...t.properties, ...t.navigation]));
    }
    for (const [name, e] of Object.entries(raw.v1_0.enums)) {
      const beta = raw.beta.enums[name] ?? [];
      this.enums.set(name, {
        name,
        members: [...e.members, ...beta.filter((m) => !e.members.includes(m))],
        betaOnlyMembers: beta.filter((m) => !e.members.includes(m)),
        flags: e.flags,
      });
    }
    for (const [name, members] of Object.entries(raw.beta.enums)) {
      if (!this.enums.has(name)) {
        this.enums.set(name, { name, members: [...members], betaOnlyMembers: [...members], flags: BETA_FLAGS_ENUMS.has(name) || overlayFlags.has(name) });
      }
    }
    for (const [name, t] of Object.entries(raw.v1_0.types)) {
      this.types.set(name, {
        name,
        base: t.base,
        abstract: t.abstract,
        kind: t.kind,
        betaOnly: false,
        own: Object.entries(t.properties).map(([p, d]) => ({ name: p, type: d.type, nullable: d.nullable, betaOnly: false, declaredOn: name })),
        navigation: [...t.navigation],
      });
    }
    const overlayTypes = { ...(overlay.extraTypes ?? {}), ...(overlay.types ?? {}) };
    for (const [name, bt] of Object.entries(raw.beta.types)) {
      let type = this.types.get(name);
      const o = overlayTypes[name] ?? {};
      if (!type) {
        type = {
          name,
          base: o.base ?? null,
          abstract: o.abstract ?? false,
          kind: o.kind ?? 'ComplexType',
          betaOnly: true,
          own: [],
          navigation: [...bt.navigation],
        };
        this.types.set(name, type);
      } else {
        for (const n of bt.navigation) if (!type.navigation.includes(n)) type.navigation.push(n);
      }
    }
    // Beta-only properties: named by the beta type maps, typed by the overlay (untyped where it has no entry).
    for (const [name, bt] of Object.entries(raw.beta.types)) {
      const type = this.types.get(name)!;
      const inherited = new Set(this.allProperties(name).map((p) => p.name));
      const o = overlayTypes[name]?.properties ?? {};
      for (const p of bt.properties) {
        if (inherited.has(p)) continue;
        const typed = o[p];
        type.own.push({
          name: p,
          type: typed?.type ?? 'Edm.Untyped',
          nullable: typed?.nullable ?? true,
          betaOnly: true,
          declaredOn: name,
        });
      }
    }
    // Properties real exports carry that the beta maps do not name: beta-only, typed (or untyped) by the overlay.
    for (const [typeName, props] of Object.entries(overlay.extraProperties ?? {})) {
      if (typeName.startsWith('$') || typeof props === 'string') continue;
      const type = this.types.get(typeName);
      if (!type) throw new Error(`beta-overlay extraProperties: unknown type ${typeName}`);
      const known = new Set(this.allProperties(typeName).map((p) => p.name));
      for (const [p, d] of Object.entries(props)) {
        if (known.has(p)) throw new Error(`beta-overlay extraProperties: ${typeName}.${p} is already in the metadata; type it under \`types\` instead`);
        if (!d.source) throw new Error(`beta-overlay extraProperties: ${typeName}.${p} has no source`);
        type.own.push({ name: p, type: d.type, nullable: d.nullable ?? true, betaOnly: true, declaredOn: typeName });
      }
    }
    // Enum members the beta maps lack (documented, or written by real exports): beta-only members.
    for (const [enumName, members] of Object.entries(overlay.extraEnumMembers ?? {})) {
      if (enumName.startsWith('$') || typeof members === 'string') continue;
      const en = this.enums.get(enumName);
      if (!en) throw new Error(`beta-overlay extraEnumMembers: unknown enum ${enumName}`);
      for (const [m, source] of Object.entries(members)) {
        if (en.members.includes(m)) throw new Error(`beta-overlay extraEnumMembers: ${enumName}.${m} is already in the metadata`);
        if (!source) throw new Error(`beta-overlay extraEnumMembers: ${enumName}.${m} has no source`);
        en.members.push(m);
        en.betaOnlyMembers.push(m);
      }
    }
    for (const name of overlayFlags) if (!this.enums.has(name)) throw new Error(`beta-overlay flagsEnums: unknown enum ${name}`);
    // Documented ranges: each names the type that declares an integer property, and cites its source.
    for (const [key, r] of Object.entries(overlay.ranges ?? {})) {
      if (key.startsWith('$') || typeof r === 'string') continue;
      const [typeName, prop] = key.split('.');
      const declared = typeName ? this.types.get(typeName)?.own.find((p) => p.name === prop) : undefined;
      if (!declared) throw new Error(`beta-overlay ranges: ${key} is not a property declared on that type`);
      if (!/^Edm\.(Int16|Int32|Int64|Byte)$/.test(declared.type)) throw new Error(`beta-overlay ranges: ${key} is ${declared.type}, not an integer`);
      if (!r.source) throw new Error(`beta-overlay ranges: ${key} has no source`);
      if (r.minimum === undefined && r.maximum === undefined) throw new Error(`beta-overlay ranges: ${key} has neither minimum nor maximum`);
      this.ranges.set(key, { ...(r.minimum !== undefined ? { minimum: r.minimum } : {}), ...(r.maximum !== undefined ? { maximum: r.maximum } : {}) });
    }
    // Complex types that neither metadata file carries but the overlay defines from the beta docs.
    for (const [name, o] of Object.entries(overlay.extraTypes ?? {})) {
      if (this.types.has(name)) continue;
      this.types.set(name, {
        name,
        base: o.base ?? null,
        abstract: o.abstract ?? false,
        kind: o.kind ?? 'ComplexType',
        betaOnly: true,
        own: Object.entries(o.properties ?? {}).map(([p, d]) => ({ name: p, type: d.type, nullable: d.nullable ?? true, betaOnly: true, declaredOn: name })),
        navigation: [],
      });
    }
    // Documented values, after the overlay's own types (which may declare the property): each names the type that
    // declares a string property (or a list of strings), and cites its source.
    for (const [key, v] of Object.entries(overlay.values ?? {})) {
      if (key.startsWith('$') || typeof v === 'string') continue;
      const [typeName, prop] = key.split('.');
      const declared = typeName ? this.types.get(typeName)?.own.find((p) => p.name === prop) : undefined;
      if (!declared) throw new Error(`beta-overlay values: ${key} is not a property declared on that type`);
      if (!/^(Collection\()?Edm\.String\)?$/.test(declared.type)) throw new Error(`beta-overlay values: ${key} is ${declared.type}, not a string or a list of strings`);
      if (!v.source) throw new Error(`beta-overlay values: ${key} has no source`);
      if (!Array.isArray(v.values) || !v.values.length || !v.values.every((x) => typeof x === 'string')) throw new Error(`beta-overlay values: ${key} lists no values`);
      this.values.set(key, [...v.values]);
    }
  }

  /** Every property of a type, base types first. `entity` contributes `id`. */
  allProperties(name: string): GraphProperty[] {
    const chain: GraphType[] = [];
    let cur: string | null = name;
    let entity = false;
    while (cur) {
      if (cur === 'entity') {
        entity = true;
        break;
      }
      const t = this.types.get(cur);
      if (!t) break;
      chain.unshift(t);
      cur = t.base;
    }
    const out: GraphProperty[] = [];
    if (entity) out.push({ name: 'id', type: 'Edm.String', nullable: true, betaOnly: false, declaredOn: 'entity' });
    const seen = new Set<string>(out.map((p) => p.name));
    for (const t of chain) {
      for (const p of t.own) {
        if (seen.has(p.name)) continue;
        seen.add(p.name);
        out.push(p);
      }
    }
    return out;
  }

  allNavigation(name: string): { name: string; declaredOn: string }[] {
    const out: { name: string; declaredOn: string }[] = [];
    let cur: string | null = name;
    while (cur && cur !== 'entity') {
      const t = this.types.get(cur);
      if (!t) break;
      for (const n of t.navigation) if (!out.some((o) => o.name === n)) out.push({ name: n, declaredOn: cur });
      cur = t.base;
    }
    return out;
  }

  /** Concrete types that derive from `name` (including itself when concrete). */
  concreteSubtypes(name: string): string[] {
    const out: string[] = [];
    for (const t of this.types.values()) {
      if (t.abstract) continue;
      let cur: string | null = t.name;
      while (cur) {
        if (cur === name) {
          out.push(t.name);
          break;
        }
        cur = this.types.get(cur)?.base ?? null;
      }
    }
    return out.sort();
  }

  isBetaOnlyType(name: string): boolean {
    return this.types.get(name)?.betaOnly ?? false;
  }
}

/** Load the model from the repo's `schemas/src` folder. */
export function loadGraphModel(srcDir: string): GraphModel {
  const raw = JSON.parse(readFileSync(join(srcDir, 'graph-types.json'), 'utf8')) as GraphTypesFile;
  const overlayPath = join(srcDir, 'beta-overlay.json');
  const overlay = existsSync(overlayPath) ? JSON.parse(readFileSync(overlayPath, 'utf8')) : {};
  return new GraphModel(raw, overlay);
}

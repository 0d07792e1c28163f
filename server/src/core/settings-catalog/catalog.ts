/**
 * The settings catalog index: what the editor and the rules know about each settings catalog setting
 * (`settingDefinitionId`) without a tenant. It is derived from Graph's own setting definitions
 * (`GET /beta/deviceManagement/configurationSettings`) by `npm run settings-catalog:refresh`, stored compressed beside
 * the bundles, and read once, on first use, by the host (`host/settings-catalog-file.ts`).
 *
 * Two kinds of entry:
 * - a **definition**: Graph's definition of the setting (display name, options, constraints, children…);
 * - an **observed** entry: a setting seen in real, published Graph exports but not in the definitions the index was
 *   built from. It says the id exists, its instance kind, the values seen and its platform; never that a value is
 *   impossible.
 * An index built from a complete Graph snapshot says so (`complete`): only then is an id it lacks unknown to Graph.
 */

/** The setting instance kinds (`#microsoft.graph.deviceManagementConfiguration<Kind>SettingInstance`). */
export type SettingKind = 'choice' | 'choiceCollection' | 'simple' | 'simpleCollection' | 'group' | 'groupCollection' | 'redirect';

/** A choice option: its itemId (the value a policy writes), display name and the CSP value behind it. */
export interface SettingOption {
  id: string;
  name: string;
  value?: string | number;
  /** Settings that may (or must) sit under this option. */
  children?: string[];
}

/** The constraints of a simple setting's value. */
export interface ValueConstraint {
  type: 'integer' | 'string' | 'secret' | 'boolean' | 'reference';
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  /** A regular expression the string must match, when Graph gives one. */
  pattern?: string;
}

/** One setting as the index keeps it (field names are short: the file holds thousands). */
export interface SettingEntry {
  id: string;
  /** Instance kind. */
  k: SettingKind;
  /** Display name. */
  n?: string;
  /** Short description. */
  d?: string;
  /** Category id. */
  c?: string;
  /** Platforms (Graph's flags, comma-joined: `windows10`, `macOS`, `iOS,macOS`…). */
  p?: string;
  /** Technologies (Graph's flags, comma-joined). */
  t?: string;
  /** The CSP path (Windows) or payload key (Apple). */
  u?: string;
  /** Documentation link. */
  l?: string;
  /** Deprecated: Intune still shows it, marked so. */
  x?: 1;
  /** Choice options: [itemId, display name, CSP value?, children?]. */
  o?: [string, string, (string | number)?, string[]?][];
  /** Default option or value. */
  df?: string | number;
  /** Children of a group (or every child the setting may have). */
  ch?: string[];
  /** The children listed are some of them, not all (a seed entry that did not confirm the full list). */
  cp?: 1;
  /** Simple value constraints. */
  v?: ValueConstraint;
  /** Observed only: seen in real exports, not in the definitions. */
  obs?: 1;
  /** Observed choice values (for observed entries). */
  ov?: string[];
}

/** The compressed file's content. */
export interface SettingsCatalogData {
  format: 1;
  /** Where the definitions came from. */
  source: string;
  /** The date of the Graph snapshot (or of the seed), `YYYY-MM-DD`. */
  snapshot: string;
  /** Built from every definition Graph had on `snapshot`: an id the index lacks is not in the catalog. */
  complete: boolean;
  /** Category id → [display name, parent id]. */
  categories: Record<string, [string, string | null]>;
  settings: SettingEntry[];
}

/** A setting with its category path resolved, as features and rules see it. */
export interface SettingInfo {
  id: string;
  kind: SettingKind;
  displayName?: string;
  description?: string;
  categoryPath: string[];
  platforms: string[];
  technologies: string[];
  cspPath?: string;
  docsUrl?: string;
  deprecated: boolean;
  /** A full definition (options, constraints and children are complete), or only observed in real exports. */
  defined: boolean;
  options: SettingOption[];
  defaultValue?: string | number;
  /** Every setting that may sit under this one (group children and the children of every option). */
  children: string[];
  /** Whether `children` (and each option's) is the whole list, so that another child is an error. */
  childrenComplete: boolean;
  constraint?: ValueConstraint;
}

const split = (s: string | undefined): string[] => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);

/** The index, with lookups. Built once from the file's data; every question after that is a map lookup. */
export class SettingsCatalog {
  private readonly byId = new Map<string, SettingEntry>();
  private readonly infos = new Map<string, SettingInfo>();

  constructor(readonly data: SettingsCatalogData) {
    for (const s of data.settings) this.byId.set(s.id, s);
  }

  get size(): number {
    return this.byId.size;
  }

  get complete(): boolean {
    return this.data.complete;
  }

  get snapshot(): string {
    return this.data.snapshot;
  }

  get source(): string {
    return this.data.source;
  }

  has(id: string): boolean {
    return this.byId.has(id.toLowerCase()) || this.byId.has(id);
  }

  /** The setting, or undefined when the index does not know it. Ids are matched as Graph does: case-insensitively. */
  get(id: string): SettingInfo | undefined {
    const entry = this.byId.get(id) ?? this.byId.get(id.toLowerCase());
    if (!entry) return undefined;
    let info = this.infos.get(entry.id);
    if (!info) {
      info = this.toInfo(entry);
      this.infos.set(entry.id, info);
    }
    return info;
  }

  /** Every id, for completion and "did you mean". */
  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  categoryPath(categoryId: string | undefined): string[] {
    const path: string[] = [];
    const seen = new Set<string>();
    let id = categoryId;
    while (id && !seen.has(id)) {
      seen.add(id);
      const c = this.data.categories[id];
      if (!c) break;
      path.unshift(c[0]);
      id = c[1] ?? undefined;
    }
    return path;
  }

  private toInfo(e: SettingEntry): SettingInfo {
    const options: SettingOption[] = (e.o ?? []).map(([id, name, value, children]) => ({
      id,
      name,
      ...(value !== undefined ? { value } : {}),
      ...(children?.length ? { children } : {}),
    }));
    if (e.obs) for (const v of e.ov ?? []) options.push({ id: v, name: v });
    const children = new Set(e.ch ?? []);
    for (const o of options) for (const c of o.children ?? []) children.add(c);
    return {
      id: e.id,
      kind: e.k,
      displayName: e.n,
      description: e.d,
      categoryPath: this.categoryPath(e.c),
      platforms: split(e.p),
      technologies: split(e.t),
      cspPath: e.u,
      docsUrl: e.l,
      deprecated: e.x === 1,
      defined: !e.obs,
      options,
      defaultValue: e.df,
      children: [...children],
      childrenComplete: !e.obs && e.cp !== 1,
      constraint: e.v,
    };
  }
}

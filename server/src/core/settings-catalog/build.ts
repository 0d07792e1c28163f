/**
 * Builds the index (`SettingsCatalogData`) from Graph's own setting definitions and categories, as
 * `GET /beta/deviceManagement/configurationSettings` and `…/configurationCategories` return them, plus the settings
 * observed in real exports. Pure: `scripts/settings-catalog/refresh.ts` reads and writes the files, and the host
 * uses it to read a Graph dump an admin points the product at.
 */
import { asObject } from '../document';
import { instanceKind } from './instances';
import { SettingsCatalog, type SettingEntry, type SettingKind, type SettingsCatalogData, type ValueConstraint } from './catalog';

/** A setting seen in real exports (`scripts/settings-catalog/harvest-observed.ts`). */
export interface ObservedSetting {
  kinds: string[];
  values: string[];
  platforms: string[];
  parents: string[];
}

export interface BuildInput {
  definitions: unknown[];
  categories: unknown[];
  observed?: Record<string, ObservedSetting>;
  source: string;
  snapshot: string;
  complete: boolean;
}

export interface BuildResult {
  data: SettingsCatalogData;
  /** Observed values or parents that the definitions do not allow: a sign the definitions are stale or wrong. */
  conflicts: string[];
  skipped: number;
}

const DEFINITION_KINDS: Record<string, SettingKind> = {
  deviceManagementConfigurationChoiceSettingDefinition: 'choice',
  deviceManagementConfigurationChoiceSettingCollectionDefinition: 'choiceCollection',
  deviceManagementConfigurationSimpleSettingDefinition: 'simple',
  deviceManagementConfigurationSimpleSettingCollectionDefinition: 'simpleCollection',
  deviceManagementConfigurationSettingGroupDefinition: 'group',
  deviceManagementConfigurationSettingGroupCollectionDefinition: 'groupCollection',
  deviceManagementConfigurationRedirectSettingDefinition: 'redirect',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const typeName = (v: unknown): string => (typeof v === 'string' ? v.replace(/^#?microsoft\.graph\./, '') : '');

/** A description cut to its first sentences, at most `max` characters. */
export function shortDescription(text: string | undefined, max = 240): string | undefined {
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat || undefined;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('; '));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

function constraintOf(def: Record<string, unknown>): ValueConstraint | undefined {
  const vd = asObject(def.valueDefinition);
  const t = typeName(vd?.['@odata.type']);
  if (!vd) return undefined;
  if (t.endsWith('IntegerSettingValueDefinition')) {
    const c: ValueConstraint = { type: 'integer' };
    const min = num(vd.minimumValue);
    const max = num(vd.maximumValue);
    if (min !== undefined) c.min = min;
    if (max !== undefined) c.max = max;
    return c;
  }
  if (t.endsWith('StringSettingValueDefinition')) {
    const c: ValueConstraint = { type: vd.isSecret === true ? 'secret' : 'string' };
    const min = num(vd.minimumLength);
    const max = num(vd.maximumLength);
    if (min !== undefined && min > 0) c.minLength = min;
    if (max !== undefined && max > 0) c.maxLength = max;
    return c;
  }
  if (t.endsWith('ReferenceSettingValueDefinition')) return { type: 'reference' };
  return undefined;
}

function entryOf(def: Record<string, unknown>): SettingEntry | undefined {
  const id = str(def.id);
  const k = DEFINITION_KINDS[typeName(def['@odata.type'])];
  if (!id || !k) return undefined;
  const e: SettingEntry = { id: id.toLowerCase(), k };
  const name = str(def.displayName) ?? str(def.name);
  if (name) e.n = name;
  const d = shortDescription(str(def.description) ?? str(def.helpText));
  if (d) e.d = d;
  const c = str(def.categoryId);
  if (c) e.c = c;
  const app = asObject(def.applicability);
  const p = str(app?.platform);
  if (p) e.p = p;
  const t = str(app?.technologies);
  if (t) e.t = t;
  const u = `${str(def.baseUri) ?? ''}${str(def.offsetUri) ?? ''}`;
  if (u) e.u = u;
  const urls = Array.isArray(def.infoUrls) ? def.infoUrls.map(str).filter((x): x is string => !!x) : [];
  if (urls[0]) e.l = urls[0];
  if (name && /\bdeprecated\b/i.test(name)) e.x = 1;
  if (Array.isArray(def.options)) {
    e.o = def.options.flatMap((raw) => {
      const o = asObject(raw);
      const itemId = str(o?.itemId);
      if (!o || !itemId) return [];
      const value = asObject(o.optionValue)?.value;
      const children = Array.isArray(o.dependedOnBy)
        ? o.dependedOnBy.map((x) => str(asObject(x)?.dependedOnBy)?.toLowerCase()).filter((x): x is string => !!x)
        : [];
      const option: [string, string, (string | number)?, string[]?] = [itemId.toLowerCase(), str(o.displayName) ?? str(o.name) ?? itemId];
      if (typeof value === 'string' || typeof value === 'number') option.push(value);
      if (children.length) {
        if (option.length === 2) option.push(undefined);
        option.push(children);
      }
      return [option];
    });
  }
  const df = str(def.defaultOptionId)?.toLowerCase() ?? asObject(def.defaultValue)?.value;
  if (typeof df === 'string' || typeof df === 'number') e.df = df;
  if (Array.isArray(def.childIds)) {
    const ch = def.childIds.map((x) => str(x)?.toLowerCase()).filter((x): x is string => !!x);
    if (ch.length) e.ch = ch;
  }
  const v = constraintOf(def);
  if (v) e.v = v;
  // The seed marks a group whose child list it could not confirm in full.
  if (def['x-ztp-childIdsPartial'] === true) e.cp = 1;
  return e;
}

/** Builds the index. Definitions win over observations; observations of defined settings are checked against them. */
export function buildSettingsCatalog(input: BuildInput): BuildResult {
  const entries = new Map<string, SettingEntry>();
  let skipped = 0;
  for (const raw of input.definitions) {
    const def = asObject(raw);
    const e = def && entryOf(def);
    if (!e) {
      skipped++;
      continue;
    }
    entries.set(e.id, e);
  }
  const categories: SettingsCatalogData['categories'] = {};
  for (const raw of input.categories) {
    const c = asObject(raw);
    const id = str(c?.id);
    if (!c || !id) continue;
    const parent = str(c.parentCategoryId);
    categories[id] = [str(c.displayName) ?? str(c.name) ?? id, parent && !/^0{8}-/.test(parent) && parent !== id ? parent : null];
  }
  const conflicts: string[] = [];
  for (const [rawId, seen] of Object.entries(input.observed ?? {})) {
    const id = rawId.toLowerCase();
    const e = entries.get(id);
    const kind = seen.kinds.map(instanceKind).find((k) => !!k);
    if (e) {
      if (kind && kind !== e.k) conflicts.push(`${id}: definition says ${e.k}, a real export has a ${kind} instance`);
      const options = new Set((e.o ?? []).map((o) => o[0]));
      for (const v of seen.values) if (e.o && !options.has(v.toLowerCase())) conflicts.push(`${id}: real exports use the value ${v}, which the definition does not list`);
      continue;
    }
    if (!kind) continue;
    const o: SettingEntry = { id, k: kind, obs: 1 };
    const platforms = [...new Set(seen.platforms.flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p && p !== 'None' && p !== 'none'))];
    if (platforms.length) o.p = platforms.join(',');
    if (seen.values.length) o.ov = [...new Set(seen.values.map((v) => v.toLowerCase()))].sort();
    entries.set(id, o);
  }
  // Every parent observed must allow the child it was seen with.
  for (const [rawId, seen] of Object.entries(input.observed ?? {})) {
    for (const parent of seen.parents) {
      const pe = entries.get(parent.toLowerCase());
      if (!pe || pe.obs || pe.cp) continue;
      const allowed = new Set([...(pe.ch ?? []), ...(pe.o ?? []).flatMap((o) => o[3] ?? [])]);
      if (allowed.size && !allowed.has(rawId.toLowerCase())) conflicts.push(`${parent}: real exports nest ${rawId} under it, which the definition does not list as a child`);
    }
  }
  const settings = [...entries.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    data: { format: 1, source: input.source, snapshot: input.snapshot, complete: input.complete, categories, settings },
    conflicts,
    skipped,
  };
}

/** Reads the index file's JSON (already decompressed); throws with what is wrong when it is not an index. */
export function parseSettingsCatalog(json: unknown): SettingsCatalog {
  const d = asObject(json);
  if (!d || d.format !== 1 || !Array.isArray(d.settings) || !asObject(d.categories)) {
    throw new Error('not a settings catalog index (format 1): build one with `npm run settings-catalog:refresh`');
  }
  return new SettingsCatalog(d as unknown as SettingsCatalogData);
}

/** The definitions of a Graph response: a page (`{ value: [...] }`), a list of pages, or a bare array. */
export function graphValues(json: unknown): unknown[] {
  if (Array.isArray(json)) return json.flatMap((x) => (asObject(x) && Array.isArray(asObject(x)!.value) ? (asObject(x)!.value as unknown[]) : [x]));
  const o = asObject(json);
  return o && Array.isArray(o.value) ? o.value : [];
}

/**
 * Which policies a change adds, removes, renames or changes, and each changed setting by its property path (a
 * policy's name and description apart: `labels`).
 * Settings catalog settings are followed by definition id and named from the settings catalog index.
 * Policies are matched by kind and name; a removed and an added policy of one kind with the same settings (the
 * display name aside) are a rename, and so are two of one kind in the same file.
 */
import { isPlainObject } from '../document';
import type { PolicyFacts } from '../facts';
import { stripReadOnly } from '../graph';
import { relative } from '../paths';
import { itemValueText, optionName, settingDisplayName } from '../setting-names';
import type { SettingsCatalog } from '../settings-catalog/catalog';
import { hasSettingInstances } from '../settings-catalog/instances';
import type { BrokenFile, TenantSide } from './side';
import type { PolicyChange, SettingChange } from './types';

interface Entry {
  kind: string;
  name: string;
  /** Path relative to the tenant folder (a rename keeps the tenant, so the same file means the same policy). */
  local: string;
  /** Path relative to the side's root. */
  file: string;
  /** What is compared: the file without `kind` and `name` (a raw export without what Graph sets itself). */
  content: Record<string, unknown>;
  /** The content less the display name, for finding renames. */
  identity: string;
}

/**
 * What a policy file sets, in the format's paths. Ours: everything but `kind` and `name` (`spec`, `assignments`,
 * `owner`…). A raw Graph export is all `spec` (the format's reading of it, see `docPath`), less the ids, versions
 * and timestamps Graph sets (an export taken again differs in those alone); so a raw export and the policy file
 * it was imported into compare setting by setting.
 */
function contentOf(p: PolicyFacts): Record<string, unknown> {
  if (p.raw) return { spec: stripReadOnly(p.spec ?? {}) };
  const { kind: _kind, name: _name, ...rest } = p.value ?? {};
  return rest;
}

/** The content without the display name (a raw export's name comes from it; ours usually follows the name). */
function identityOf(content: Record<string, unknown>): string {
  const spec = isPlainObject(content.spec) ? content.spec : undefined;
  if (!spec) return canonical(content);
  const { displayName: _d, ...specRest } = spec;
  return canonical({ ...content, spec: specRest });
}

/**
 * A JSON text that two equal settings share: object keys sorted, and arrays of scalars sorted too (Graph's
 * scalar lists — platforms, groups, client app types, controls — are sets; reordering one changes nothing).
 */
export function canonical(v: unknown): string {
  return JSON.stringify(normalize(v));
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(normalize);
    return items.every((x) => x === null || typeof x !== 'object') ? [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0)) : items;
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = normalize(v[k]);
    return out;
  }
  return v instanceof Date ? v.toISOString() : v;
}

/** Arrays whose items are objects with distinct names (the manifest's groups): compared item by item, by name. */
function namedItems(v: unknown): Map<string, unknown> | undefined {
  if (!Array.isArray(v) || !v.length) return undefined;
  const out = new Map<string, unknown>();
  for (const x of v) {
    if (!isPlainObject(x) || typeof x.name !== 'string' || out.has(x.name)) return undefined;
    out.set(x.name, x);
  }
  return out;
}

/** A settings catalog item's definition id: `{ settingInstance: { settingDefinitionId } }` or the instance itself. */
function definitionIdOf(x: unknown): string | undefined {
  if (!isPlainObject(x)) return undefined;
  const inst = isPlainObject(x.settingInstance) ? x.settingInstance : x;
  return typeof inst.settingDefinitionId === 'string' ? inst.settingDefinitionId : undefined;
}

/**
 * Arrays of settings catalog settings (`spec.settings`, and the `children` under a choice or a group), keyed by
 * definition id, matched as Graph does (case-insensitively); the id as written is kept for the path.
 */
function settingItems(v: unknown): Map<string, { id: string; item: unknown }> | undefined {
  if (!Array.isArray(v) || !v.length) return undefined;
  const out = new Map<string, { id: string; item: unknown }>();
  for (const item of v) {
    const id = definitionIdOf(item);
    if (id === undefined || out.has(id.toLowerCase())) return undefined;
    out.set(id.toLowerCase(), { id, item });
  }
  return out;
}

/** A settings catalog group collection's values: a non-empty list of objects, each with its `children` settings. */
function groupValues(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => isPlainObject(x) && Array.isArray(x.children));
}

/** A settings catalog secret value (`…SecretSettingValue`). */
const isSecret = (v: unknown): boolean => isPlainObject(v) && typeof v['@odata.type'] === 'string' && /SecretSettingValue$/.test(v['@odata.type']);

/** A secret value with its text replaced, so a change impact (a pull-request comment) never shows it. */
const maskSecret = (v: unknown): unknown => (isSecret(v) && 'value' in (v as Record<string, unknown>) ? { ...(v as Record<string, unknown>), value: '(secret, not shown)' } : v);

const emptyList = (v: unknown): boolean => v === undefined || (Array.isArray(v) && !v.length);

/**
 * The reader's names of a changed leaf inside the setting `id`: the setting's display name, and each side's value
 * by name (a choice value's option, a choice collection's options, or what a setting added or removed whole sets).
 */
function labelled(change: SettingChange, id: string, catalog: SettingsCatalog | undefined): SettingChange {
  const setting = settingDisplayName(catalog, id);
  const nameOf = (v: unknown): string | undefined => {
    if (typeof v === 'string') return optionName(catalog, id, v);
    // A setting added or removed whole: what it sets (option names where the index has them, else value ids).
    if (definitionIdOf(v) !== undefined) return itemValueText(catalog, v);
    // A choice collection's items, compared whole: named when every option is.
    if (Array.isArray(v) && v.length && v.every((x) => isPlainObject(x) && typeof x.value === 'string')) {
      const names = v.map((x) => optionName(catalog, id, (x as { value: string }).value));
      return names.every((n) => n !== undefined) ? names.join(', ') : undefined;
    }
    return undefined;
  };
  const beforeName = change.before !== undefined ? nameOf(change.before) : undefined;
  const afterName = change.after !== undefined ? nameOf(change.after) : undefined;
  return { ...change, ...(setting ? { setting } : {}), ...(beforeName !== undefined ? { beforeName } : {}), ...(afterName !== undefined ? { afterName } : {}) };
}

/**
 * The leaf settings that differ: objects are followed key by key, arrays compared as whole values (as sets when
 * they hold scalars), except arrays of named objects, followed by name (`groups[grp-staff].members`), and settings
 * catalog settings, followed by definition id
 * (`spec.settings[device_vendor_msft_bitlocker_requiredeviceencryption].settingInstance.choiceSettingValue.value`),
 * whose changes carry the setting's display name and the values' option names from `catalog` when it has them.
 */
export function settingChanges(before: unknown, after: unknown, path = '', catalog?: SettingsCatalog): SettingChange[] {
  const out: SettingChange[] = [];
  const walk = (a: unknown, b: unknown, at: string, setting: string | undefined): void => {
    if (canonical(a) === canonical(b)) return;
    // A secret's text (an onboarding package, a password) is not repeated in a change: only that it changed.
    if (isSecret(a) || isSecret(b)) return leaf(maskSecret(a), maskSecret(b), at, setting);
    if ((isPlainObject(a) || a === undefined) && (isPlainObject(b) || b === undefined)) {
      const x = (a ?? {}) as Record<string, unknown>;
      const y = (b ?? {}) as Record<string, unknown>;
      const keys = [...Object.keys(x), ...Object.keys(y).filter((k) => !(k in x))];
      for (const k of keys) walk(x[k], y[k], at ? `${at}.${k}` : k, setting);
      return;
    }
    let xs = settingItems(a);
    let ys = settingItems(b);
    // A setting's first child, or its last one gone: the other side's empty list is no settings.
    if (xs && !ys && emptyList(b)) ys = new Map();
    if (ys && !xs && emptyList(a)) xs = new Map();
    if (xs && ys) {
      // A setting on one side only is one change, the whole setting (not each of its properties).
      for (const [key, x] of xs) {
        const y = ys.get(key);
        if (y) walk(x.item, y.item, `${at}[${y.id}]`, y.id);
        else leaf(x.item, undefined, `${at}[${x.id}]`, x.id);
      }
      for (const [key, y] of ys) if (!xs.has(key)) leaf(undefined, y.item, `${at}[${y.id}]`, y.id);
      return;
    }
    // A group setting collection's values (`groupSettingCollectionValue`: the attack surface reduction rules are the
    // children of one value): followed value by value, by position, when both sides have as many, so the change of one
    // child reads as that setting's (`Block credential stealing from LSASS: Block → Off`), not as the whole list.
    if (groupValues(a) && groupValues(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], `${at}[${i}]`, setting));
      return;
    }
    const xa = namedItems(a);
    const ya = namedItems(b);
    if (xa && ya) {
      for (const [name, item] of xa) walk(item, ya.get(name), `${at}[${name}]`, setting);
      for (const [name, item] of ya) if (!xa.has(name)) walk(undefined, item, `${at}[${name}]`, setting);
      return;
    }
    leaf(a, b, at, setting);
  };
  const leaf = (a: unknown, b: unknown, at: string, setting: string | undefined): void => {
    const change: SettingChange = { path: at, ...(a !== undefined ? { before: a } : {}), ...(b !== undefined ? { after: b } : {}) };
    out.push(setting !== undefined ? labelled(change, setting, catalog) : change);
  };
  walk(before, after, path, undefined);
  return out;
}

/**
 * The paths where a policy names itself to a reader: our format's `description`, and Graph's `displayName` and
 * `description` (a settings catalog profile's display name is its `name`). Changing one changes nothing a device or a
 * sign-in meets, so a diff lists it apart from the settings (a raw export's body is all `spec`).
 */
const LABEL_PATHS = new Set(['description', 'spec.displayName', 'spec.description', 'spec.name']);

/** A policy's changes, its settings apart from its name and description. */
function changesOf(before: Record<string, unknown>, after: Record<string, unknown>, catalog: SettingsCatalog | undefined): Pick<PolicyChange, 'settings' | 'labels'> {
  const all = settingChanges(before, after, '', catalog);
  const labels = all.filter((c) => LABEL_PATHS.has(c.path));
  return { settings: all.filter((c) => !LABEL_PATHS.has(c.path)), ...(labels.length ? { labels } : {}) };
}

function entriesOf(t: TenantSide | undefined): Entry[] {
  if (!t) return [];
  return t.view.policies
    .filter((p) => p.kind)
    .map((p) => {
      const content = contentOf(p);
      return { kind: p.kind!, name: p.name ?? relative(t.root, p.path), local: relative(t.root, p.path), file: relative(t.side.root, p.path), content, identity: identityOf(content) };
    });
}

function take(list: Entry[], test: (e: Entry) => boolean): Entry | undefined {
  const i = list.findIndex(test);
  return i < 0 ? undefined : list.splice(i, 1)[0];
}

/**
 * The policy changes of a tenant, and the renames (base name → head name) that findings and report-only policies
 * follow. The manifest comes first, as kind `Tenant`, when both sides have it and it differs.
 */
export function diffPolicies(base: TenantSide | undefined, head: TenantSide | undefined, newly: readonly BrokenFile[], readable: readonly BrokenFile[] = []): { policies: PolicyChange[]; renames: Map<string, string> } {
  const removed = entriesOf(base);
  const added: Entry[] = [];
  // The head's index names the settings (the one the change is read with), else the base's; read only when needed.
  const named = [base, head].some((t) => t?.view.policies.some((p) => hasSettingInstances(p.spec)));
  const catalog = named ? (head?.view.catalog?.() ?? base?.view.catalog?.()) : undefined;
  const policies: PolicyChange[] = [];
  const renames = new Map<string, string>();
  // A file the base could not read that the head reads: the policies in it that the base shows nowhere else are now
  // readable, not added (the base's file may have held them) nor renamed (what it held is unknown).
  const nowReadable = new Set(readable.map((f) => f.local));
  const fixed: Entry[] = [];
  for (const h of entriesOf(head)) {
    // Names are unique per tenant (duplicate-name says so when not): among duplicates, the same file first.
    const b = take(removed, (x) => x.kind === h.kind && x.name === h.name && x.local === h.local) ?? take(removed, (x) => x.kind === h.kind && x.name === h.name);
    if (!b) {
      (nowReadable.has(h.local) ? fixed : added).push(h);
      continue;
    }
    const changes = changesOf(b.content, h.content, catalog);
    if (changes.settings.length || changes.labels) policies.push({ kind: h.kind, name: h.name, file: h.file, change: 'changed', ...changes });
  }
  const rename = (b: Entry, h: Entry): void => {
    added.splice(added.indexOf(h), 1);
    removed.splice(removed.indexOf(b), 1);
    renames.set(b.name, h.name);
    policies.push({ kind: h.kind, name: h.name, file: h.file, change: 'renamed', from: b.name, ...changesOf(b.content, h.content, catalog) });
  };
  // A rename: the same settings under another name (and file), else another name in the same file.
  for (const h of [...added]) {
    const b = removed.find((x) => x.kind === h.kind && x.identity === h.identity);
    if (b) rename(b, h);
  }
  for (const h of [...added]) {
    const b = removed.find((x) => x.kind === h.kind && x.local === h.local);
    if (b) rename(b, h);
  }
  for (const h of added) policies.push({ kind: h.kind, name: h.name, file: h.file, change: 'added', settings: [] });
  for (const h of fixed) policies.push({ kind: h.kind, name: h.name, file: h.file, change: 'readable', settings: [] });
  // A file still there that no longer parses is not a removal: what it holds is unknown until it does.
  const unreadable = new Set(newly.map((f) => f.local));
  for (const b of removed) policies.push({ kind: b.kind, name: b.name, file: b.file, change: unreadable.has(b.local) ? 'unreadable' : 'removed', settings: [] });
  // A file unread on both sides whose text changed (a broken CA file edited): changed, and unknown how.
  for (const f of newly) {
    if (f.before && f.mayHold !== 'none') policies.push({ kind: f.mayHold === '*' ? 'unknown kind' : f.mayHold, name: f.local.replace(/^.*\//, ''), file: f.shown, change: 'unreadable', stillUnreadable: true, settings: [] });
  }
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const manifest = manifestChange(base, head);
  return { policies: manifest ? [manifest, ...policies] : policies, renames };
}

/**
 * What the change did to the manifest: its facts, setting by setting, where both sides read it. A manifest one side
 * could not read (it does not parse, or is over the size limit) is not a manifest with every fact gone: it is no longer
 * readable (`unreadable`: the tenant's facts are unknown on the head), now readable (`readable`), or changed while
 * unreadable on both sides (`stillUnreadable`), never a list of its facts going to nothing.
 */
function manifestChange(base: TenantSide | undefined, head: TenantSide | undefined): PolicyChange | undefined {
  const b = base?.view.manifestFile;
  const h = head?.view.manifestFile;
  if (!b || !h) return undefined;
  const tenant = { kind: 'Tenant', name: head!.view.manifest?.name ?? base!.view.manifest?.name ?? head!.folder, file: relative(head!.side.root, h.path) };
  const unreadBefore = base!.view.manifestProblem !== undefined;
  const unreadNow = head!.view.manifestProblem !== undefined;
  if (unreadNow && unreadBefore) return b.parsed.text === h.parsed.text ? undefined : { ...tenant, change: 'unreadable', stillUnreadable: true, settings: [] };
  if (unreadNow) return { ...tenant, change: 'unreadable', settings: [] };
  if (unreadBefore) return { ...tenant, change: 'readable', settings: [] };
  const changes = changesOf(b.value ?? {}, h.value ?? {}, undefined);
  if (!changes.settings.length && !changes.labels) return undefined;
  return { ...tenant, change: 'changed', ...changes };
}

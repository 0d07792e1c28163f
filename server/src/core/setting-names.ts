/**
 * Settings catalog settings as a reader names them: a setting's display name, a choice value's option name, and what
 * an instance sets ("Enabled", `30`, "Auto from connector"), from the settings catalog index when the host has one.
 * The change impact and the tenant report both read these, so a setting reads the same in a change and in a report.
 * An index entry known only by id (observed in exports) has no names: the id is what a reader sees then.
 */
import type { SettingsCatalog } from './settings-catalog/catalog';
import { settingInstances, type SettingInstanceRef } from './settings-catalog/instances';

/** The setting's display name, or undefined when the index has none. */
export function settingDisplayName(catalog: SettingsCatalog | undefined, id: string): string | undefined {
  return catalog?.get(id)?.displayName || undefined;
}

/** The option name of a choice value (`…_requiredeviceencryption_1` → "Enabled"), or undefined when unnamed. */
export function optionName(catalog: SettingsCatalog | undefined, id: string, value: string): string | undefined {
  const v = value.toLowerCase();
  const option = catalog?.get(id)?.options.find((o) => o.id.toLowerCase() === v);
  // Observed entries list the values seen with the value itself as the name: that is no name.
  return option && option.name && option.name.toLowerCase() !== v ? option.name : undefined;
}

/** A choice value without a name, short: the setting id's prefix left out (`…_1`), since the id is shown beside it. */
function shortValueId(id: string, value: string): string {
  return value.toLowerCase().startsWith(`${id.toLowerCase()}_`) ? `…${value.slice(id.length)}` : value;
}

const MAX_VALUE = 80;

function scalarText(v: unknown): string {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export interface ValueTextOptions {
  /** Unnamed choice values without the setting id's prefix (`…_1`), for lists that show the id beside them. */
  short?: boolean;
}

/**
 * What one instance sets, in words: its choice values by option name (else by value id), its simple values (a
 * secret as `secret`, never its text), several joined by ", "; undefined for an instance that holds only children.
 */
export function instanceValueText(catalog: SettingsCatalog | undefined, ref: SettingInstanceRef, options: ValueTextOptions = {}): string | undefined {
  const parts = [
    ...ref.choices.map((c) => optionName(catalog, ref.id, c.value) ?? (options.short ? shortValueId(ref.id, c.value) : c.value)),
    ...ref.simple.map((s) => (/SecretSettingValue$/.test(s.odataType ?? '') ? 'secret' : scalarText(s.value))),
  ];
  return parts.length ? parts.join(', ') : undefined;
}

/** One setting a settings catalog body sets, as a list shows it. */
export interface NamedSetting {
  id: string;
  /** The display name, when the index has one. */
  name?: string;
  /** What it is set to, in words (see `instanceValueText`). */
  value?: string;
}

/**
 * Every setting a settings catalog body (`spec`) sets, parents before children, with names where the index has
 * them. Instances that only hold children (groups) are left out: their children are listed.
 */
export function namedSettings(catalog: SettingsCatalog | undefined, spec: Record<string, unknown> | undefined): NamedSetting[] {
  const out: NamedSetting[] = [];
  for (const ref of settingInstances(spec)) {
    const value = instanceValueText(catalog, ref, { short: true });
    if (value === undefined) continue;
    const name = settingDisplayName(catalog, ref.id);
    out.push({ id: ref.id, ...(name ? { name } : {}), value });
  }
  return out;
}

/**
 * What a whole setting item sets, for a setting added or removed: its own value in words, and how many settings sit
 * under it ("Auto from connector + 1 child setting", "4 settings" for a group); undefined when it is no setting.
 */
export function itemValueText(catalog: SettingsCatalog | undefined, item: unknown): string | undefined {
  const [top, ...under] = settingInstances({ settings: [item] });
  if (!top) return undefined;
  const own = instanceValueText(catalog, top);
  const n = under.length;
  if (own === undefined) return n ? `${n} setting${n === 1 ? '' : 's'}` : undefined;
  return n ? `${own} + ${n} child setting${n === 1 ? '' : 's'}` : own;
}

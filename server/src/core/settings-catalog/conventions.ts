/**
 * What a setting's id says by itself, true of every settings catalog setting in the real exports we checked
 * (9,825 instances of 2,471 settings from 8 public repositories; docs/settings-catalog.md):
 * - **the platform family**: Windows settings are CSP paths (`device_vendor_msft_…`, `user_vendor_msft_…`,
 *   `vendor_msft_…`), Apple settings are payload keys (`com.apple.…`), Android settings `com.android.…`, Linux
 *   settings `linux_…`. No real export put a setting of one family in a policy of another platform.
 * - **the owner of a choice value**: an option's itemId is `<settingDefinitionId>_<suffix>`. The exceptions seen are
 *   versioned ids (`…_v2`, whose options keep the unversioned stem) and type pickers (`…_$typepicker`, whose options
 *   hang off the stem before it). 8,350 of 8,364 choice values follow the rule; the 14 others are those two forms.
 */
import type { SettingsCatalog } from './catalog';
import { editDistance } from '../prose';

/** The platform families an id's prefix decides, as Graph's `platforms` flags that may hold it. */
const FAMILIES: { test: RegExp; family: string; platforms: string[] }[] = [
  { test: /^(?:device|user)_vendor_msft_|^vendor_msft_/, family: 'Windows', platforms: ['windows10', 'windows10X'] },
  { test: /^com\.apple\./, family: 'Apple', platforms: ['macOS', 'iOS', 'visionOS', 'tvOS'] },
  { test: /^com\.android\./, family: 'Android', platforms: ['android', 'androidEnterprise', 'aosp'] },
  { test: /^linux_/, family: 'Linux', platforms: ['linux'] },
];

/** The platform family of a setting id, when its prefix decides one. */
export function platformFamily(id: string): { family: string; platforms: string[] } | undefined {
  const f = FAMILIES.find((x) => x.test.test(id.toLowerCase()));
  return f && { family: f.family, platforms: f.platforms };
}

/** The stems an option of `id` may start with (followed by `_`). */
export function optionStems(id: string): string[] {
  const lower = id.toLowerCase();
  const stems = [lower];
  const versioned = /^(.*)_v\d+$/.exec(lower);
  if (versioned) stems.push(versioned[1]!);
  const picker = /^(.*)_\$typepicker$/.exec(lower);
  if (picker) stems.push(picker[1]!);
  return stems;
}

/** Whether a choice value can belong to the setting `id` (its itemId starts with one of the setting's stems). */
export function valueBelongsTo(id: string, value: string): boolean {
  const v = value.toLowerCase();
  return optionStems(id).some((s) => v.startsWith(`${s}_`));
}

/** Whether an id has placeholders or characters that make the naming rules above unsafe to apply. */
export function isTemplatedId(id: string): boolean {
  return /[{}$]/.test(id) && !/_\$typepicker$/i.test(id);
}

/**
 * The setting a choice value belongs to: the longest id the index knows that the value starts with (followed by
 * `_`), or else the value without its last `_suffix`.
 */
export function ownerOfValue(value: string, catalog: SettingsCatalog | undefined): { id: string; known: boolean } | undefined {
  const v = value.toLowerCase();
  let cut = v.lastIndexOf('_');
  while (cut > 0) {
    const stem = v.slice(0, cut);
    if (catalog?.has(stem)) return { id: stem, known: true };
    cut = v.lastIndexOf('_', cut - 1);
  }
  const last = v.lastIndexOf('_');
  return last > 0 ? { id: v.slice(0, last), known: false } : undefined;
}


/** The ids of the index nearest to `id` (same platform family, within a distance that grows with the length). */
export function nearestIds(id: string, catalog: SettingsCatalog, max = 3): string[] {
  const lower = id.toLowerCase();
  const family = platformFamily(lower)?.family;
  const limit = Math.max(2, Math.min(6, Math.floor(lower.length / 12)));
  const scored: { id: string; d: number }[] = [];
  for (const other of catalog.ids()) {
    if (platformFamily(other)?.family !== family) continue;
    const d = editDistance(lower, other, limit);
    if (d <= limit) scored.push({ id: other, d });
  }
  return scored.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id)).slice(0, max).map((s) => s.id);
}

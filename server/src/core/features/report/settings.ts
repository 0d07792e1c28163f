/**
 * What each settings catalog profile of a tenant sets (configuration profiles, endpoint security and EDR profiles,
 * Linux compliance), by display name where the settings catalog index has one and by id where it has none, capped
 * so a baseline of 300 settings stays one line in the report.
 */
import type { PolicyFacts } from '../../facts';
import type { TenantView } from '../../rule';
import { namedSettings, type NamedSetting } from '../../setting-names';
import { hasSettingInstances } from '../../settings-catalog/instances';

/** How many settings a profile's line shows before "… and N more". */
export const SETTINGS_SHOWN = 8;

/** A settings catalog profile's settings, as the report lists them. */
export interface ProfileSettings {
  /** The first `SETTINGS_SHOWN` settings, in the file's order (a parent before its children). */
  shown: NamedSetting[];
  /** How many more the profile sets. */
  more: number;
}

/** Every settings catalog profile of the tenant (by its file's path) with what it sets; profiles that set nothing are left out. */
export function profileSettings(t: TenantView): Map<string, ProfileSettings> {
  const out = new Map<string, ProfileSettings>();
  const catalog = t.catalog?.();
  for (const p of t.policies) {
    if (!p.spec || !hasSettingInstances(p.spec)) continue;
    const all = namedSettings(catalog, p.spec);
    if (all.length) out.set(p.path, { shown: all.slice(0, SETTINGS_SHOWN), more: Math.max(0, all.length - SETTINGS_SHOWN) });
  }
  return out;
}

/** The settings catalog profiles among `policies`, each with its settings, in the order given. */
export function profilesOf(policies: PolicyFacts[], settings: Map<string, ProfileSettings>): { policy: PolicyFacts; settings: ProfileSettings }[] {
  return policies.flatMap((policy) => {
    const s = settings.get(policy.path);
    return s ? [{ policy, settings: s }] : [];
  });
}

/** The setting's label: its display name, else its id. */
export function settingLabel(s: NamedSetting): string {
  return s.name ?? s.id;
}

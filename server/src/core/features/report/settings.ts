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

/** Settings catalog policies of one kind, under the heading the report gives them. */
export interface ProfileGroup {
  heading: string;
  items: { policy: PolicyFacts; settings: ProfileSettings }[];
}

/**
 * The settings catalog policies among `policies`, each with its settings, in the order given, grouped by what their
 * facts say they are (`kind`): the configuration profiles (endpoint security and EDR among them), then the compliance
 * policies (Linux compliance is a settings catalog body, but a compliance policy, layer 3). Groups with none are left out.
 */
export function profileGroups(policies: PolicyFacts[], settings: Map<string, ProfileSettings>): ProfileGroup[] {
  const items = policies.flatMap((policy) => {
    const s = settings.get(policy.path);
    return s ? [{ policy, settings: s }] : [];
  });
  const compliance = items.filter((x) => x.policy.kind === 'CompliancePolicy');
  const profiles = items.filter((x) => x.policy.kind !== 'CompliancePolicy');
  return [
    ...(profiles.length ? [{ heading: 'Settings catalog profiles', items: profiles }] : []),
    ...(compliance.length ? [{ heading: 'Settings catalog compliance policies', items: compliance }] : []),
  ];
}

/** The setting's label: its display name, else its id. */
export function settingLabel(s: NamedSetting): string {
  return s.name ?? s.id;
}

import type { PolicyFacts } from '../facts';
import { modelOf } from '../model/index';
import type { ConflictSide, SettingConflict } from '../model/setting-values';
import { listText } from '../prose';
import type { Rule } from '../rule';
import { policySpan } from '../tenant-query';

/** How many settings one message names before "and N more". */
const NAMED = 3;

function label(p: PolicyFacts): string {
  return `\`${p.name || p.path.replace(/^.*[\\/]/, '')}\``;
}

/** A value as the message shows it: a choice's option id; a simple value is never shown (it may be a secret). */
function valueText(side: ConflictSide): string {
  return side.option ? `\`${side.option}\`` : 'a value of its own';
}

/**
 * Two assigned settings catalog profiles set one setting to different values for devices both certainly reach: Intune
 * reports a conflict and applies neither value there. Which pairs conflict is the tenant model's answer
 * (`settingValues`), which the configuration checks and the Defender model read too. One finding on each profile,
 * naming the profiles it conflicts with, on the first setting it conflicts on.
 */
export const settingConflict: Rule = {
  id: 'setting-conflict',
  title: 'Two assigned profiles set one setting to different values for the same devices',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  emitsOn: ['ConfigurationProfile'],
  sources: [
    'https://learn.microsoft.com/intune/intune-service/configuration/device-profile-troubleshoot#what-happens-when-profiles-conflict',
    'https://learn.microsoft.com/intune/intune-service/industry/education/tutorial-school-deployment/manage-avoid-policy-conflicts',
  ],
  check(tenant, emit) {
    if (!tenant.root || !tenant.manifest) return;
    const model = modelOf(tenant);
    // Two instances of one security baseline on the same devices are `baseline-instances-overlap`'s, whatever they set.
    const baselinePairs = new Set(model.baselines.overlaps().map((o) => [o.earlier.file.path, o.later.file.path].sort().join('\u0000')));
    const pairs = new Map<string, SettingConflict[]>();
    for (const c of model.settingValues.conflicts()) {
      const key = [c.a.profile.path, c.b.profile.path].sort().join('\u0000');
      if (baselinePairs.has(key)) continue;
      let list = pairs.get(key);
      if (!list) pairs.set(key, (list = []));
      list.push(c);
    }
    // One finding on each profile, whatever the number of profiles it conflicts with (a tenant of many overlapping
    // profiles gets one line a profile, not one a pair), on the first setting it conflicts on.
    const byProfile = new Map<PolicyFacts, { other: PolicyFacts; list: SettingConflict[] }[]>();
    for (const list of pairs.values()) {
      const first = list[0]!;
      for (const [own, other] of [
        [first.a.profile, first.b.profile],
        [first.b.profile, first.a.profile],
      ] as const) {
        let of = byProfile.get(own);
        if (!of) byProfile.set(own, (of = []));
        of.push({ other, list });
      }
    }
    const side = (c: SettingConflict, p: PolicyFacts): ConflictSide => (c.a.profile === p ? c.a : c.b);
    for (const [own, withOthers] of byProfile) {
      const first = withOthers[0]!;
      const all = withOthers.flatMap((w) => w.list.map((c) => ({ c, other: w.other })));
      const named = all.slice(0, NAMED).map(({ c, other }) => `\`${c.id}\` (${valueText(side(c, own))} here, ${valueText(side(c, other))} in ${label(other)})`);
      const more = all.length > NAMED ? ` and ${all.length - NAMED} more` : '';
      const settings = all.length > 1 ? `${all.length} settings` : 'a setting';
      const others = withOthers.length === 1 ? label(first.other) : `${withOthers.length} other profiles (${listText(withOthers.slice(0, NAMED).map((w) => label(w.other)))}${withOthers.length > NAMED ? ` and ${withOthers.length - NAMED} more` : ''})`;
      const shared = withOthers.length === 1 ? `both for ${first.list[0]!.shared}` : 'for devices they share';
      emit({
        file: own,
        span: policySpan(own, ['spec', ...side(first.list[0]!, own).instance.idPath], 'value'),
        message:
          `${label(own)} and ${others} set ${settings} to different values, ${shared}: ${listText(named)}${more}. ` +
          'Intune reports a conflict and applies neither value on those devices. Keep each setting in one profile (remove it from the other, or delete the profile it replaced), or assign the profiles to groups that do not overlap',
        related: all.slice(0, NAMED).map(({ c, other }) => ({ file: other.path, span: policySpan(other, ['spec', ...side(c, other).instance.idPath], 'value'), message: `sets \`${c.id}\` to ${valueText(side(c, other))}` })),
        data: { others: withOthers.map((w) => w.other.path), settings: [...new Set(all.map(({ c }) => c.key))] },
      });
    }
  },
};

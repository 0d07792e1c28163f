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
 * (`settingValues`), which the configuration checks and the Defender model read too. One finding on each profile per
 * other profile, on the first setting they conflict on.
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
    for (const list of pairs.values()) {
      const first = list[0]!;
      for (const [own, other] of [
        [first.a.profile, first.b.profile],
        [first.b.profile, first.a.profile],
      ] as const) {
        const side = (c: SettingConflict, p: PolicyFacts): ConflictSide => (c.a.profile === p ? c.a : c.b);
        const named = list.slice(0, NAMED).map((c) => `\`${c.id}\` (${valueText(side(c, own))} here, ${valueText(side(c, other))} there)`);
        const more = list.length > NAMED ? ` and ${list.length - NAMED} more` : '';
        const settings = list.length > 1 ? `${list.length} settings` : 'a setting';
        emit({
          file: own,
          span: policySpan(own, ['spec', ...side(first, own).instance.idPath], 'value'),
          message:
            `${label(own)} and ${label(other)} set ${settings} to different values, both for ${first.shared}: ${listText(named)}${more}. ` +
            'Intune reports a conflict and applies neither value on those devices. Keep each setting in one profile (remove it from the other, or delete the profile it replaced), or assign the two to groups that do not overlap',
          related: list.slice(0, NAMED).map((c) => ({ file: other.path, span: policySpan(other, ['spec', ...side(c, other).instance.idPath], 'value'), message: `sets \`${c.id}\` to ${valueText(side(c, other))}` })),
          data: { other: other.path, settings: list.map((c) => c.key) },
        });
      }
    }
  },
};

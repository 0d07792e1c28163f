/**
 * Whether the tenant has a security baseline of a kind (the Windows one, the Defender for Endpoint one…): yes, no, or
 * unknown. Both generations count: a settings catalog baseline profile of the kind's template
 * (`BASELINE_TEMPLATES`, any version), and an endpoint security intent of the older generation's template
 * (`LEGACY_BASELINE_INTENTS`). The files cannot say no while they hold an intent of a template not known here (an
 * older version of a baseline had a template of its own: "MDM Security Baseline for Windows 10 and later for December
 * 2020", "for August 2020"; Learn, security-baseline-settings-mdm-all) whose settings are Windows' (or unread): it may be
 * the baseline asked about. A settings catalog baseline of an unknown template is not (a baseline keeps its template
 * id across versions). `windows-security-baseline-missing` and `defender-baselines-missing` read
 * this one answer. Whether the baseline reaches devices is another question (its assignments), asked by the first.
 */
import type { FileFacts, PolicyFacts } from '../facts';
import { isBaselineProfile } from '../facts';
import { asObject } from '../document';
import { foreignGraphTypeOf, intentProperties, isEdrIntent } from '../graph';
import { BASELINE_TEMPLATES, legacyBaselineOf, templateBaseOf } from '../kinds';

export type BaselineName = keyof typeof BASELINE_TEMPLATES;
export type BaselinePresence = 'yes' | 'no' | 'unknown';

/**
 * The two baselines the seed says to deploy with Defender onboarding (layer 6: "deploy both the Windows and the
 * Defender for Endpoint baselines"), as `defender-baselines-missing` and the layer's prerequisite line name them.
 */
export const DEFENDER_LAYER_BASELINES: readonly { name: string; baseline: BaselineName }[] = [
  { name: 'Security Baseline for Windows 10 and later', baseline: 'windows' },
  { name: 'Microsoft Defender for Endpoint baseline', baseline: 'defenderForEndpoint' },
];

/** Whether an intent's settings are all of profile types of platforms other than Windows (and it has some). */
function otherPlatformOnly(doc: Record<string, unknown>): boolean {
  const types = [...(intentProperties(doc)?.keys() ?? [])];
  return types.length > 0 && types.every((t) => !/^windows/i.test(t));
}

/** The baselines the tenant's files show (by name), and whether one of them may be any baseline. */
export class BaselineModel {
  private readonly known = new Map<BaselineName, FileFacts[]>();
  /** Files that may be any baseline: intents of an unknown template (the older generation had one template per version). */
  readonly unknownFiles: FileFacts[] = [];

  constructor(policies: readonly PolicyFacts[], others: readonly FileFacts[] = []) {
    const names = Object.keys(BASELINE_TEMPLATES) as BaselineName[];
    for (const p of policies) {
      if (!isBaselineProfile(p)) continue;
      const base = templateBaseOf(p.spec?.templateReference);
      // A settings catalog baseline keeps its template's id across versions (only `_<version>` changes), so one of a
      // template not known here is another baseline, none of these.
      const name = names.find((n) => BASELINE_TEMPLATES[n] === base);
      if (name) this.known.set(name, [...(this.known.get(name) ?? []), p]);
    }
    for (const f of [...policies, ...others]) {
      if (f.type === 'manifest' || (f.type === 'policy' && f.kind !== undefined)) continue;
      const doc = asObject(f.value);
      if (!doc || foreignGraphTypeOf(doc) !== 'deviceManagementIntent') continue;
      const name = legacyBaselineOf(doc.templateId);
      if (name) this.known.set(name, [...(this.known.get(name) ?? []), f]);
      // Every baseline here is Windows': an intent whose settings are all of another platform's profile types
      // (`deviceConfiguration--macOSEndpointProtectionConfiguration_…`, a macOS FileVault or firewall policy) is none,
      // and so is the older Windows EDR profile (Defender for Endpoint onboarding, known by its template).
      else if (!otherPlatformOnly(doc) && !isEdrIntent(doc)) this.unknownFiles.push(f);
    }
  }

  /** Whether the tenant has the baseline, in either generation, assigned or not. */
  /** The files that are the baseline (either generation), in the tenant's order. */
  files(name: BaselineName): readonly FileFacts[] {
    return this.known.get(name) ?? [];
  }

  presence(name: BaselineName): BaselinePresence {
    if (this.known.has(name)) return 'yes';
    return this.unknownFiles.length ? 'unknown' : 'no';
  }
}

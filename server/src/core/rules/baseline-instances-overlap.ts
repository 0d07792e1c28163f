import { spanAtPath } from '../document';
import type { FileFacts, PolicyFacts } from '../facts';
import type { BaselineInstance } from '../model/baselines';
import { modelOf } from '../model/index';
import type { Rule } from '../rule';
import { policySpan } from '../tenant-query';
import type { Span } from '../types';
import { relative } from '../paths';

/** Where a finding on an instance sits: a profile's `templateReference` key, an intent's `templateId` key. */
function instanceSpan(i: BaselineInstance): Span {
  const f = i.file as FileFacts;
  if (f.type === 'policy' && f.kind !== undefined) return policySpan(f as PolicyFacts, [...i.path], 'key');
  return spanAtPath(f.parsed, [...i.path], 'key');
}

function nameOf(i: BaselineInstance): string {
  return `\`${i.name}\``;
}

/**
 * Two instances of one security baseline (any versions, either generation) are assigned to the same devices: where
 * they set a setting differently, Intune reports a conflict. Which pairs overlap is the baselines model's answer.
 */
export const baselineInstancesOverlap: Rule = {
  id: 'baseline-instances-overlap',
  title: 'Two instances of one security baseline are assigned to the same devices',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/protect/security-baselines#avoid-conflicts',
    'https://learn.microsoft.com/intune/intune-service/protect/security-baselines-configure#update-a-baseline-profile-to-the-latest-version',
    'https://learn.microsoft.com/intune/intune-service/industry/education/tutorial-school-deployment/manage-avoid-policy-conflicts',
  ],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const { earlier, later, shared } of modelOf(tenant).baselines.overlaps()) {
      const sameVersion = earlier.order !== undefined && earlier.order === later.order && earlier.version === later.version;
      const versions = sameVersion ? `both ${later.version}` : `${later.version} and ${earlier.version}`;
      const fix = sameVersion
        ? 'Keep one instance per device: fold the customizations into one profile and delete the other, or assign them to groups that no device is in twice (an exclusion on one for the other\'s group)'
        : `Finish the migration: give ${nameOf(later)} the assignments ${nameOf(earlier)} still has and remove them from ${nameOf(earlier)}${earlier.order === -1 ? '' : ' ("Update Version" makes the newer instance beside the older one, which keeps its assignments)'}, then delete the older instance`;
      const where = relative(tenant.root, earlier.file.path).replace(/\\/g, '/');
      emit({
        file: later.file,
        span: instanceSpan(later),
        message: `${nameOf(later)} and ${nameOf(earlier)} (\`${where}\`) are two instances of the ${later.label} (${versions}), both assigned to ${shared}: each setting they set to different values conflicts on those devices, and Intune reports the conflict and applies neither value. ${fix}`,
        related: [{ file: earlier.file.path, span: instanceSpan(earlier), message: `the other instance of the ${earlier.label}, also assigned to ${shared}` }],
        data: { other: earlier.file.path, shared },
      });
    }
  },
};

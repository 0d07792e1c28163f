import { includesNoPerson, policyTargetResources } from '../model/sign-in-scope';
import { asObject, spanAtPath, strings } from '../document';
import { docPath, type PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { applyingCaPolicies, grantControlPath, isReportOnly } from '../tenant-query';
import { modelOf } from '../model/index';
import { builtInControlsOf } from '../model/grants';
import type { Platform } from '../platforms';
import type { Fix, TextEdit } from '../types';
import { addToMap, appendToSequence } from '../yaml-edit';
import { codeList, platformLabels, policyAt, policyLabel } from './ca-helpers';

const REPORT_ONLY_URL = 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only';

/** The platforms on which Learn says a report-only compliance check may prompt for a device certificate, in its order. */
const PROMPTING: readonly Platform[] = ['macOS', 'iOS', 'android'];

/**
 * A report-only CA policy that checks device compliance on macOS, iOS or Android. Learn's report-only page warns that
 * evaluating it may prompt users there to select a device certificate, again and again until the device is compliant,
 * though nothing is enforced: the pilot meant to change nothing for users does. The platforms are the tenant model's
 * answer (`caPlatforms`): explicit, or through `all` or no platform condition, the tenant's.
 */
export const caReportOnlyCompliancePrompts: Rule = {
  id: 'ca-report-only-compliance-prompts',
  title: 'A report-only policy that checks device compliance prompts macOS, iOS and Android users for a certificate',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [REPORT_ONLY_URL, 'https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    const model = modelOf(tenant);
    for (const p of applyingCaPolicies(tenant)) {
      if (!isReportOnly(p) || !builtInControlsOf(p).includes('compliantDevice')) continue;
      // Report-only mode does not evaluate user actions ("except for items included in the User Actions scope",
      // REPORT_ONLY_URL): a report-only policy for registering security information prompts no one (review r27, t06).
      const targets = policyTargetResources(p);
      if (targets.userActions.length && !targets.apps.length && !targets.authenticationContexts.length) continue;
      // A policy for agents or workload identities alone asks no person to pick a certificate.
      if (includesNoPerson(p)) continue;
      const reached = model.caPlatforms(p);
      const platforms = PROMPTING.filter((pl) => reached.includes(pl));
      if (!platforms.length) continue;
      const include = strings(asObject(asObject(p.spec?.conditions)?.platforms)?.includePlatforms);
      const how = !p.allPlatforms ? 'in `includePlatforms`' : include.includes('all') ? 'through `all`' : 'with no platform condition: the tenant\'s platforms';
      emit({
        file: p,
        severity: 'warning',
        lowered: true,
        span: spanAtPath(p.parsed, grantControlPath(p, 'compliantDevice'), 'value'),
        message:
          `${policyLabel(p)} is report-only and checks for a compliant device on ${platformLabels(platforms)} (${how}): ` +
          'report-only enforces nothing, but evaluating the check may prompt users there to select a device certificate, ' +
          `again at each sign-in until the device is compliant (${REPORT_ONLY_URL}). ` +
          (p.allPlatforms
            ? `Exclude ${codeList(platforms)} in \`conditions.platforms.excludePlatforms\` while it is report-only, as Learn advises`
            : `Take ${codeList(platforms)} out of \`includePlatforms\` while it is report-only, as Learn advises`),
        data: { platforms },
      });
    }
  },
  fix(finding, tenant) {
    const platforms = (finding.data as { platforms?: Platform[] } | undefined)?.platforms;
    const p = policyAt(tenant, finding.file);
    if (!platforms?.length || !p) return [];
    const edit = excludeEdit(p, platforms);
    if (!edit) return [];
    // Not applied unattended: the pilot then reports nothing on those platforms, which is the author's call.
    return [{ title: `Exclude ${codeList(platforms)} from report-only ${policyLabel(p)}`, isPreferred: true, safe: false, edits: [edit], creates: [] } satisfies Fix];
  },
};

/**
 * The edit that excludes `platforms` from a policy on every platform: appended to `excludePlatforms`, or that key added
 * to its platform condition, or a platform condition of `all` less them added to its conditions. A policy naming its
 * platforms in `includePlatforms` gets none: taking them out of the list, which may leave it empty, is the author's;
 * nor does a raw export whose `platforms` is `null`.
 */
function excludeEdit(p: PolicyFacts, platforms: Platform[]): TextEdit | undefined {
  if (!p.allPlatforms) return undefined;
  const conditions = asObject(p.spec?.conditions);
  const condition = asObject(conditions?.platforms);
  if (!conditions) return undefined;
  // A raw export writes `"platforms": null` for no platform condition: a second `platforms` key is no fix.
  if (!condition && conditions.platforms !== undefined) return undefined;
  if (!condition) return addToMap(p.parsed, docPath(p, ['spec', 'conditions']), 'platforms', { includePlatforms: ['all'], excludePlatforms: platforms });
  const excluded = strings(condition.excludePlatforms);
  const missing = platforms.filter((pl) => !excluded.includes(pl));
  if (!missing.length) return undefined;
  if (Array.isArray(condition.excludePlatforms)) return appendToSequence(p.parsed, docPath(p, ['spec', 'conditions', 'platforms', 'excludePlatforms']), missing);
  return addToMap(p.parsed, docPath(p, ['spec', 'conditions', 'platforms']), 'excludePlatforms', missing);
}

import { modelOf } from '../model/index';
import type { PolicyFacts } from '../facts';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule } from '../rule';
import { licensesForLayer, policySpan, related } from '../tenant-query';
import { COMPLIANCE_TOGGLES } from './endpoint-helpers';
import { isDefenderOnlyLevel } from '../model/defender';
import { withArticle } from '../prose';

/** Threat levels that set no requirement (`deviceThreatProtectionLevel`). */
const UNSET_LEVELS = ['unavailable', 'notSet'];

const GENERIC = 'deviceThreatProtectionRequiredSecurityLevel';
const ADVANCED = 'advancedThreatProtectionRequiredSecurityLevel';

function isSetLevel(v: unknown): boolean {
  return typeof v === 'string' && !UNSET_LEVELS.includes(v);
}

/**
 * Whether a compliance policy requires a device risk level that the connectors sending the platform's risk meet: the
 * threat level with threat protection enabled (on Windows, "Require the device to be at or under the machine risk
 * score"; on mobile, any Mobile Threat Defense partner, Defender included), or the Defender for Endpoint risk score
 * when a connector that is (or may be) Defender's sends it (the model's `isDefenderOnlyLevel`: another partner's risk
 * does not meet it). `unknown` when a raw Graph export leaves the properties out (a v1.0 export of a Windows policy
 * has none of them).
 */
function requiresRisk(p: PolicyFacts, defenderSends: boolean): 'yes' | 'no' | 'unknown' {
  const spec = p.spec!;
  if (spec.deviceThreatProtectionEnabled === true && isSetLevel(spec[GENERIC])) return 'yes';
  if (isSetLevel(spec[ADVANCED]) && (defenderSends || !isDefenderOnlyLevel(ADVANCED))) return 'yes';
  // Defender's own score where only another partner sends risk: `device-risk-requires-defender`'s error says what to do
  // (turn Defender's connector on, or require the partner's level), so this rule does not say it again.
  if (isSetLevel(spec[ADVANCED])) return 'unknown';
  if (p.raw && !('deviceThreatProtectionEnabled' in spec) && !(ADVANCED in spec)) return 'unknown';
  return 'no';
}

/** Whether a compliance policy is for AOSP devices (`aospDeviceOwnerCompliancePolicy`), which has no device threat level. */
function isAosp(p: PolicyFacts): boolean {
  const type = p.spec?.['@odata.type'];
  return typeof type === 'string' && /aospDeviceOwnerCompliancePolicy$/i.test(type);
}

/**
 * What to write, per platform: Windows has only the machine risk score; the others also the Defender risk score, which
 * only Defender's connector sends (another partner's meets the generic level only).
 */
function advice(platform: Platform, defenderSends: boolean): string {
  if (platform === 'windows') return '`deviceThreatProtectionEnabled: true` with `deviceThreatProtectionRequiredSecurityLevel: medium` (the portal\'s "Require the device to be at or under the machine risk score")';
  if (!defenderSends) return `\`deviceThreatProtectionEnabled: true\` with \`${GENERIC}: medium\` (the partner's threat level; \`${ADVANCED}\` is Defender for Endpoint's own risk score, which this connector does not send)`;
  return `\`${ADVANCED}: medium\` (the Defender for Endpoint risk score), or \`deviceThreatProtectionEnabled: true\` with \`${GENERIC}\``;
}

/** Defender sends a platform's device risk to Intune, but none of the platform's compliance policies makes it count. */
export const deviceRiskNotRequired: Rule = {
  id: 'device-risk-not-required',
  title: 'Defender sends device risk for a platform, but no compliance policy of it requires a risk level',
  category: 'layer',
  layer: 6,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/protect/advanced-threat-protection-configure',
    'https://learn.microsoft.com/intune/intune-service/protect/advanced-threat-protection',
    'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-windows',
  ],
  check(tenant, emit) {
    if (!tenant.root) return;
    // Without a licence for layer 6 there is no device risk to require; an empty list is unknown, not "none".
    const licences = licensesForLayer(tenant, 6);
    if (!licences?.length) return;
    const model = modelOf(tenant);
    for (const platform of model.platforms) {
      const toggle = COMPLIANCE_TOGGLES[platform];
      if (!toggle) continue;
      // A file not analysed may hold the platform's policy that requires a level (a Graph list of another platform's
      // policies holds none of this one's): unknown there, not missing.
      if (model.mayHide('CompliancePolicy', platform)) continue;
      // Only where Defender sends the platform's device risk to Intune: without the connector a required level
      // could never be met (device-risk-requires-defender), and the gap is onboarding, not this setting.
      const connectors = model.defender.connectorsEnabling(toggle);
      if (!connectors.length) continue;
      // Whether Defender for Endpoint is (or may be) among the senders: the model's reading of each connector's `id`.
      const defenderSends = connectors.some((c) => model.defender.partnerOf(c) !== 'partner');
      // A platform that cannot enroll, or whose enrollment is unknown, has no compliant devices to speak of; nor has
      // a policy whose own enrollment type cannot, or may not, enroll (an Android Enterprise policy while the Google
      // Play binding is not declared).
      if (model.enrollmentFor(platform).state !== 'allowed') continue;
      // An AOSP policy (devices without Google Mobile Services) has no threat level to set (Graph's
      // aospDeviceOwnerCompliancePolicy has none): it is left out, and the advice never names it.
      const all = [...model.compliancePolicies(platform)].filter((p) => !isAosp(p)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      // One that requires a level (or may) answers, whatever its enrollment; the finding speaks of the others.
      if (all.map((p) => requiresRisk(p, defenderSends)).some((a) => a !== 'no')) continue;
      const policies = all.filter((p) => model.complianceEnrollment(p).state === 'allowed');
      // No compliance policy at all is the layer 3 rules' finding, not this one.
      if (!policies.length) continue;
      const label = PLATFORM_LABELS[platform];
      const first = policies[0]!;
      const names = policies.map((p) => `\`${p.name ?? p.path}\``).join(', ');
      emit({
        file: first,
        span: policySpan(first, ['spec'], 'key'),
        message: defenderSends
          ? `the Defender connector sends ${label} device risk to Intune (\`${toggle}: true\`, licensed by ${licences.join(', ')}), but none of the tenant's ${label} compliance policies (${names}) requires a risk level, so ${withArticle(label)} device that Defender for Endpoint finds compromised stays compliant and Conditional Access keeps letting it in. Set ${advice(platform, defenderSends)} in one of them`
          : `the Mobile Threat Defense connector ${connectors.map((c) => `\`${c.name ?? c.path}\``).join(', ')} (not Defender for Endpoint's, by its \`id\`) sends ${label} device risk to Intune (\`${toggle}: true\`), but none of the tenant's ${label} compliance policies (${names}) requires a level that partner meets, so ${withArticle(label)} device the partner finds compromised stays compliant and Conditional Access keeps letting it in. Set ${advice(platform, defenderSends)} in one of them`,
        related: [
          ...connectors.map((c) => related(c, `the connector that sends ${label} device risk (\`${toggle}: true\`)`, ['spec', toggle])),
          ...policies.slice(1).map((p) => related(p, `another ${label} compliance policy that requires no device risk level`)),
        ],
      });
    }
  },
};

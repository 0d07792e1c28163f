import { modelOf } from '../model/index';
import type { PolicyFacts } from '../facts';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule } from '../rule';
import { licensesForLayer, policySpan, related } from '../tenant-query';
import { COMPLIANCE_TOGGLES } from './endpoint-helpers';
import { withArticle } from '../prose';

/** Threat levels that set no requirement (`deviceThreatProtectionLevel`). */
const UNSET_LEVELS = ['unavailable', 'notSet'];

const GENERIC = 'deviceThreatProtectionRequiredSecurityLevel';
const ADVANCED = 'advancedThreatProtectionRequiredSecurityLevel';

function isSetLevel(v: unknown): boolean {
  return typeof v === 'string' && !UNSET_LEVELS.includes(v);
}

/**
 * Whether a compliance policy requires a device risk level: the threat level with threat protection enabled (on
 * Windows, "Require the device to be at or under the machine risk score"; on mobile, any Mobile Threat Defense
 * partner, Defender included), or the Defender for Endpoint risk score. `unknown` when a raw Graph export leaves
 * the properties out (a v1.0 export of a Windows policy has none of them).
 */
function requiresRisk(p: PolicyFacts): 'yes' | 'no' | 'unknown' {
  const spec = p.spec!;
  if ((spec.deviceThreatProtectionEnabled === true && isSetLevel(spec[GENERIC])) || isSetLevel(spec[ADVANCED])) return 'yes';
  if (p.raw && !('deviceThreatProtectionEnabled' in spec) && !(ADVANCED in spec)) return 'unknown';
  return 'no';
}

/** Whether a compliance policy is for AOSP devices (`aospDeviceOwnerCompliancePolicy`), which has no device threat level. */
function isAosp(p: PolicyFacts): boolean {
  const type = p.spec?.['@odata.type'];
  return typeof type === 'string' && /aospDeviceOwnerCompliancePolicy$/i.test(type);
}

/** What to write, per platform: Windows has only the machine risk score; the others also the Defender risk score. */
function advice(platform: Platform): string {
  return platform === 'windows'
    ? '`deviceThreatProtectionEnabled: true` with `deviceThreatProtectionRequiredSecurityLevel: medium` (the portal\'s "Require the device to be at or under the machine risk score")'
    : `\`${ADVANCED}: medium\` (the Defender for Endpoint risk score), or \`deviceThreatProtectionEnabled: true\` with \`${GENERIC}\``;
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
      // A platform that cannot enroll, or whose enrollment is unknown, has no compliant devices to speak of; nor has
      // a policy whose own enrollment type cannot, or may not, enroll (an Android Enterprise policy while the Google
      // Play binding is not declared).
      if (model.enrollmentFor(platform).state !== 'allowed') continue;
      // An AOSP policy (devices without Google Mobile Services) has no threat level to set (Graph's
      // aospDeviceOwnerCompliancePolicy has none): it is left out, and the advice never names it.
      const all = [...model.compliancePolicies(platform)].filter((p) => !isAosp(p)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      // One that requires a level (or may) answers, whatever its enrollment; the finding speaks of the others.
      if (all.map(requiresRisk).some((a) => a !== 'no')) continue;
      const policies = all.filter((p) => model.complianceEnrollment(p).state === 'allowed');
      // No compliance policy at all is the layer 3 rules' finding, not this one.
      if (!policies.length) continue;
      const label = PLATFORM_LABELS[platform];
      const first = policies[0]!;
      const names = policies.map((p) => `\`${p.name ?? p.path}\``).join(', ');
      emit({
        file: first,
        span: policySpan(first, ['spec'], 'key'),
        message: `the Defender connector sends ${label} device risk to Intune (\`${toggle}: true\`, licensed by ${licences.join(', ')}), but none of the tenant's ${label} compliance policies (${names}) requires a risk level, so ${withArticle(label)} device that Defender for Endpoint finds compromised stays compliant and Conditional Access keeps letting it in. Set ${advice(platform)} in one of them`,
        related: [
          ...connectors.map((c) => related(c, `the connector that sends ${label} device risk (\`${toggle}: true\`)`, ['spec', toggle])),
          ...policies.slice(1).map((p) => related(p, `another ${label} compliance policy that requires no device risk level`)),
        ],
      });
    }
  },
};

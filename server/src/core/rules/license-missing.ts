import { isPlainObject, spanAtPath } from '../document';
import type { ManifestFacts, PolicyFacts } from '../facts';
import { cloudAppSecurityOf, cloudAppsLicensed, LICENSES, licenseInfo, refusedLicences, type LicenseInfo } from '../licenses';
import type { Rule } from '../rule';
import { isReportOnly, policySpan } from '../tenant-query';
import { grantNeedsIntune } from '../model/grants';
import { listText } from '../prose';
import { modelOf } from '../model/index';
import type { ConnectorPartner } from '../model/defender';

/** The seed's names for its seven layers. */
const LAYER_NAMES: Record<number, string> = {
  1: 'App protection',
  2: 'Enrollment',
  3: 'Compliance policies',
  4: 'Require compliant devices',
  5: 'Configuration profiles',
  6: 'Device risk monitoring',
  7: 'Endpoint DLP',
};

/** A licence requirement: what it is for, and which table rows satisfy it. */
interface Need {
  what: string;
  satisfiedBy: (l: LicenseInfo) => boolean;
  /** Said after the licences that meet it (a way to meet it the licence enum cannot hold). */
  note?: string;
}


/**
 * The risk conditions a policy sets: sign-in and user risk (lists), and the newer insider risk and agent identity risk
 * (flags strings, `elevated`, `high`), each an Entra ID Protection signal that needs Entra ID P2 (Learn: the risk
 * policies, and the Conditional Access templates for insider risk and risky agents). Service principal risk needs
 * Workload Identities Premium, which the licence table does not hold: it is left alone.
 */
const RISK_CONDITIONS = ['signInRiskLevels', 'userRiskLevels', 'insiderRiskLevels', 'agentIdRiskLevels'];

function riskConditionsOf(p: PolicyFacts): string[] {
  const conditions = isPlainObject(p.spec?.conditions) ? p.spec.conditions : undefined;
  return RISK_CONDITIONS.filter((k) => {
    const v = conditions?.[k];
    return (Array.isArray(v) && v.length > 0) || (typeof v === 'string' && v.trim() !== '' && v.trim() !== 'none');
  });
}

/** The need of each layer, made once: the rule asks for every policy after every edit. */
const LAYER_NEEDS = new Map<number, Need>();
function layerNeed(layer: number): Need {
  let need = LAYER_NEEDS.get(layer);
  if (!need) LAYER_NEEDS.set(layer, (need = { what: `layer ${layer} (${LAYER_NAMES[layer] ?? 'unknown'})`, satisfiedBy: (l) => l.layers.includes(layer) }));
  return need;
}
const CONDITIONAL_ACCESS_NEED: Need = { what: 'Conditional Access (Entra ID P1)', satisfiedBy: (l) => l.conditionalAccess };
/** Risk-based Conditional Access, per the conditions a policy sets (made once per set). */
const RISK_NEEDS = new Map<string, Need>();
function riskNeed(conditions: string[]): Need {
  const key = conditions.join(',');
  let need = RISK_NEEDS.get(key);
  if (!need) RISK_NEEDS.set(key, (need = { what: `risk-based Conditional Access (Entra ID P2, for ${conditions.map((c) => `\`${c}\``).join(' and ')})`, satisfiedBy: (l) => l.entraIdP2 }));
  return need;
}

/**
 * The insider risk condition is Adaptive Protection's: Microsoft Purview Insider Risk Management assigns the insider
 * risk levels the condition reads, so the tenant needs its licence besides Entra ID P2 (asked above with the other
 * risk conditions): Microsoft 365 E5/A5/G5, E5 Compliance, F5 Compliance or F5 Security + Compliance. The Insider Risk
 * Management add-on is not in the manifest's licence enum, so the message says how to accept the finding for it.
 * Sources: https://learn.microsoft.com/entra/identity/conditional-access/how-to-policy-insider-risk,
 * https://learn.microsoft.com/purview/insider-risk-management-adaptive-protection,
 * https://learn.microsoft.com/office365/servicedescriptions/microsoft-365-service-descriptions/microsoft-365-tenantlevel-services-licensing-guidance/microsoft-365-security-compliance-licensing-guidance
 */
const INSIDER_RISK_NEED: Need = {
  what: 'the insider risk condition (`insiderRiskLevels`: the risk Adaptive Protection sets) needs Entra ID P2 and Microsoft Purview Insider Risk Management; Insider Risk Management',
  satisfiedBy: (l) => l.insiderRiskManagement,
  note: ' (or the Insider Risk Management add-on, which `licenses` cannot list: accept the finding with `# ztp-ignore license-missing: <reason>` above `kind`)',
};

/**
 * An EDR onboarding profile (layer 6) onboards devices to Defender; Endpoint DLP (layer 7) needs devices onboarded
 * the same way (the seed's layer 7 prerequisite), and its licence (E5 Compliance) lets the tenant onboard them for
 * it. So a tenant on E3 with the E5 Compliance add-on may onboard devices for Endpoint DLP: otherwise the profile is a
 * licence error and, without it, the DLP policy is `dlp-requires-defender-onboarding`'s, with no way out.
 * Sources: https://learn.microsoft.com/purview/endpoint-dlp-getting-started (licensing, onboarding),
 * https://learn.microsoft.com/defender-endpoint/configure-machines-onboarding (Plan 1 and Plan 2).
 */
const ONBOARDING_NEED: Need = {
  what: 'onboarding devices to Defender for Endpoint (layer 6, Device risk monitoring; or layer 7, for Endpoint DLP)',
  satisfiedBy: (l) => l.layers.includes(6) || l.layers.includes(7),
};

/**
 * What a policy needs: its layer, and for Conditional Access Entra ID P1 (P2 with risk conditions). `partner`: whose
 * connector a `DefenderConnector` is, the tenant model's answer (`DefenderModel.partnerOf`): another Mobile Threat
 * Defense partner's connector (Lookout, Zimperium, Windows Security Center for Windows MAM…) sends that partner's risk,
 * licensed by the partner, not by Defender for Endpoint; the manifest's licence enum cannot name it, so it needs
 * nothing this table holds beyond layer 6's Intune side, which the connector does not ask of Defender. Only Defender's
 * connector, or one that may be Defender's (no id), needs layer 6's licence.
 * Source: https://learn.microsoft.com/intune/intune-service/protect/mobile-threat-defense (MTD partners, each licensed
 * by its vendor), https://learn.microsoft.com/intune/intune-service/apps/mamedge-3-scc (Windows Security Center, the MTD
 * partner of Windows MAM).
 */
function needsOf(p: PolicyFacts, partner: ConnectorPartner | undefined): Need[] {
  const needs: Need[] = [];
  if (partner === 'partner') return needs;
  // A CA policy is in layer 4 (or 1) because of what its grant asks Intune for; one that only asks for MFA or blocks
  // needs Entra ID P1 and nothing from Intune (a block-legacy-auth policy is fine on ENTRA_ID_P1 alone), and so does
  // one that offers MFA (or another control met without Intune) beside a compliant device, under OR.
  const layer = p.kind === 'ConditionalAccessPolicy' && !grantNeedsIntune(p) ? undefined : p.layer;
  if (layer === 6 && p.kind === 'ConfigurationProfile') needs.push(ONBOARDING_NEED);
  else if (layer !== undefined) needs.push(layerNeed(layer));
  if (p.kind === 'ConditionalAccessPolicy') {
    needs.push(CONDITIONAL_ACCESS_NEED);
    const risk = riskConditionsOf(p);
    if (risk.length) needs.push(riskNeed(risk));
    if (risk.includes('insiderRiskLevels')) needs.push(INSIDER_RISK_NEED);
  }
  return needs;
}

/**
 * The rule runs after every edit of a tenant and asks this of every policy: both answers are kept, the licences per
 * manifest text (a manifest copied with exported groups keeps its text) and each policy's unmet needs against them.
 * Facts never change; an edited file or manifest gets new ones, so nothing kept goes stale.
 */
const OWNED = new WeakMap<object, LicenseInfo[]>();
const UNMET = new WeakMap<PolicyFacts, { owned: LicenseInfo[]; partner: ConnectorPartner | undefined; missing: Need[] }>();

function ownedLicenses(manifest: ManifestFacts): LicenseInfo[] {
  let owned = OWNED.get(manifest.parsed);
  if (!owned) OWNED.set(manifest.parsed, (owned = manifest.licenses.map(licenseInfo).filter((l): l is LicenseInfo => l !== undefined)));
  return owned;
}

function unmetNeeds(p: PolicyFacts, owned: LicenseInfo[], partner: ConnectorPartner | undefined): Need[] {
  const kept = UNMET.get(p);
  if (kept?.owned === owned && kept.partner === partner) return kept.missing;
  const missing = needsOf(p, partner).filter((n) => !owned.some(n.satisfiedBy));
  UNMET.set(p, { owned, partner, missing });
  return missing;
}

function describe(n: Need): string {
  return `${n.what} needs ${listText(LICENSES.filter(n.satisfiedBy).map((l) => l.id), 'or')}${n.note ?? ''}`;
}

/**
 * Conditional Access App Control (`sessionControls.cloudAppSecurity`) routes the session through Microsoft Defender
 * for Cloud Apps, which the tenant needs besides Entra ID P1 ("Your organization must have the following licenses to
 * use Conditional Access App Control: … Microsoft Defender for Cloud Apps";
 * https://learn.microsoft.com/defender-cloud-apps/proxy-deployment-any-app). A standalone Defender for Cloud Apps
 * licence is not in the manifest's enum: the message says how to accept the finding for it. Its own finding, on the
 * control's key, so that the fix is seen where the control is written.
 */
const CLOUD_APPS_NEED: Need = {
  what: 'Conditional Access App Control (`sessionControls.cloudAppSecurity`: Microsoft Defender for Cloud Apps)',
  satisfiedBy: (l) => l.defenderForCloudApps,
  note: ' (or a standalone Defender for Cloud Apps licence, which `licenses` cannot list: accept the finding with `# ztp-ignore license-missing: <reason>` above `cloudAppSecurity`)',
};

/** A policy's capability needs a licence the manifest does not list. */
export const licenseMissing: Rule = {
  id: 'license-missing',
  title: 'The policy needs a licence that the tenant manifest lacks',
  category: 'layer',
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/intune/intune-service/fundamentals/licenses', 'https://learn.microsoft.com/entra/identity/conditional-access/overview#license-requirements'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    // No `licenses` list, or an empty one (as `ztp import` writes it), is unknown, not "no licence": the schema or
    // `undeclared-fact` asks for it.
    if (!tenant.root || !manifest || !manifest.licenses.length) return;
    // A licence the schema refuses may be the one a policy needs: what the tenant lacks is unknown (the schema says why).
    if (refusedLicences(manifest).length) return;
    const listed = manifest.licenses.length ? manifest.licenses.join(', ') : 'no licence';
    const owned = ownedLicenses(manifest);
    for (const p of tenant.policies) {
      if (!p.kind) continue;
      // Without Defender for Cloud Apps the session control does nothing the policy means (What If says so too); a
      // disabled policy asks nothing of it yet.
      if (p.kind === 'ConditionalAccessPolicy' && p.spec?.state !== 'disabled' && cloudAppSecurityOf(p.spec) && cloudAppsLicensed(manifest) === false) {
        emit({
          file: p,
          span: policySpan(p, ['spec', 'sessionControls', 'cloudAppSecurity'], 'key'),
          message: `${describe(CLOUD_APPS_NEED)}; the manifest lists ${listed}. Add the licence the tenant has to \`licenses\` in zerotrust.yaml, or remove the session control if the tenant is not licensed for it`,
          layer: p.layer,
          lowered: isReportOnly(p),
          related: [{ file: manifest.path, span: spanAtPath(manifest.parsed, ['licenses'], 'key'), message: 'the tenant\'s licences' }],
          data: { missing: [CLOUD_APPS_NEED.what] },
        });
      }
      const partner = p.kind === 'DefenderConnector' ? modelOf(tenant).defender.partnerOf(p) : undefined;
      const missing = unmetNeeds(p, owned, partner);
      if (!missing.length) continue;
      emit({
        file: p,
        span: policySpan(p, ['kind'], 'value'),
        message: `${missing.map(describe).join('; ')}; the manifest lists ${listed}. Add the licence the tenant has to \`licenses\` in zerotrust.yaml, or remove the policy if the tenant is not licensed for it`,
        layer: p.layer,
        // The catalogue lowers every finding on a report-only CA policy: it enforces nothing yet.
        lowered: p.kind === 'ConditionalAccessPolicy' && isReportOnly(p),
        related: [{ file: manifest.path, span: spanAtPath(manifest.parsed, ['licenses'], 'key'), message: 'the tenant\'s licences' }],
        data: { missing: missing.map((n) => n.what) },
      });
    }
  },
};

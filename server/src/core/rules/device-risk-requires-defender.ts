import { modelOf } from '../model/index';
import { specPath, type PolicyFacts } from '../facts';
import { dirname } from '../paths';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule, TenantView } from '../rule';
import { folderForKind, freeName, licensesForLayer, newPolicyFile, ownerFor, policySpan } from '../tenant-query';
import type { FileCreate, Fix, Span, TextEdit } from '../types';
import { addToMap, replaceValue } from '../yaml-edit';
import { policiesOfKind } from '../reads';
import {
  APP_PROTECTION_TOGGLES,
  COMPLIANCE_TOGGLES,
  MDE_CONNECTOR_ID,
  connectorsEnabling,
  defenderConnectors,
  edrProfilesFor,
  windowsOnboardingProfile,
} from './endpoint-helpers';

/** Threat levels that set no requirement (`deviceThreatProtectionLevel`). */
const UNSET_LEVELS = ['unavailable', 'notSet'];

export interface DeviceRiskData {
  platform: Platform;
  /** The connector toggle that must be `true`. */
  toggle: string;
}

interface ThreatUse {
  /** The threat-level property the finding sits on. */
  property: string;
  level: string;
  toggle: string;
}

function isSetLevel(v: unknown): v is string {
  return typeof v === 'string' && !UNSET_LEVELS.includes(v);
}

/**
 * The threat level a compliance policy requires, if any: the generic partner level (only with threat protection
 * enabled) or the Defender for Endpoint risk score. When both are set, the first in the file carries the finding.
 */
function complianceUse(p: PolicyFacts, platform: Platform): ThreatUse | undefined {
  const spec = p.spec!;
  const toggle = COMPLIANCE_TOGGLES[platform];
  if (!toggle) return undefined;
  const uses: ThreatUse[] = [];
  if (spec.deviceThreatProtectionEnabled === true && isSetLevel(spec.deviceThreatProtectionRequiredSecurityLevel)) {
    uses.push({ property: 'deviceThreatProtectionRequiredSecurityLevel', level: spec.deviceThreatProtectionRequiredSecurityLevel, toggle });
  }
  if (isSetLevel(spec.advancedThreatProtectionRequiredSecurityLevel)) {
    uses.push({ property: 'advancedThreatProtectionRequiredSecurityLevel', level: spec.advancedThreatProtectionRequiredSecurityLevel, toggle });
  }
  const offset = (u: ThreatUse): number => policySpan(p, ['spec', u.property], 'key').offset;
  return uses.sort((a, b) => offset(a) - offset(b))[0];
}

function appProtectionUse(p: PolicyFacts, platform: Platform): ThreatUse | undefined {
  const level = p.spec!.maximumAllowedDeviceThreatLevel;
  const toggle = APP_PROTECTION_TOGGLES[platform];
  if (!toggle || typeof level !== 'string' || level === 'notConfigured') return undefined;
  return { property: 'maximumAllowedDeviceThreatLevel', level, toggle };
}

function threatUse(p: PolicyFacts): ThreatUse | undefined {
  const platform = p.platforms[0];
  if (!p.spec || !platform) return undefined;
  if (p.kind === 'CompliancePolicy') return complianceUse(p, platform);
  if (p.kind === 'AppProtectionPolicy') return appProtectionUse(p, platform);
  return undefined;
}

function describeConnectors(tenant: TenantView, toggle: string): string {
  const list = defenderConnectors(tenant);
  if (!list.length) return 'the tenant has no DefenderConnector file';
  const names = list.map((c) => `\`${c.name ?? c.path}\``).join(', ');
  return `${names} ${list.length === 1 ? 'does' : 'do'} not set \`${toggle}: true\``;
}

/** The connector's toggle when it is written down, else its `spec` key. */
function toggleSpan(connector: PolicyFacts, toggle: string): Span {
  return connector.spec && toggle in connector.spec ? policySpan(connector, ['spec', toggle], 'value') : policySpan(connector, ['spec'], 'key');
}

/** Switch the toggle on in an existing connector: replace its value, or add the key to `spec`. */
function patchConnector(connector: PolicyFacts, toggle: string): TextEdit | undefined {
  if (connector.spec && toggle in connector.spec) return replaceValue(connector.parsed, specPath(connector, toggle), true);
  return addToMap(connector.parsed, specPath(connector), toggle, true);
}

function newConnector(tenant: TenantView, toggle: string): FileCreate {
  const owner = ownerFor(tenant, 'threat');
  const policy: Record<string, unknown> = {
    kind: 'DefenderConnector',
    name: freeName(tenant, 'microsoft-defender-for-endpoint'),
    ...(owner ? { owner } : {}),
    description: 'Microsoft Defender for Endpoint connector: device risk for Intune policies',
    spec: { '@odata.type': '#microsoft.graph.mobileThreatDefenseConnector', id: MDE_CONNECTOR_ID, [toggle]: true },
  };
  const header = [
    'Layer 6: the Intune side of the Microsoft Defender for Endpoint connection.',
    'Created by the device-risk-requires-defender quick fix. The other half is switched on in the',
    'Defender portal: Settings > Endpoints > Advanced features > Microsoft Intune connection.',
    'The connector is tenant-wide, so it has no assignments.',
  ];
  return newPolicyFile(tenant, 'DefenderConnector', policy, header);
}

/** A compliance or app protection policy uses a device threat level, but no Defender connector sends risk for its platform. */
export const deviceRiskRequiresDefender: Rule = {
  id: 'device-risk-requires-defender',
  title: 'A device threat level is set, but no Defender connector sends risk for the platform',
  category: 'layer',
  layer: 6,
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/intune/intune-service/protect/advanced-threat-protection-configure', 'https://learn.microsoft.com/intune/intune-service/protect/mtd-app-protection-policy'],
  peers: ['ZTA 24871'],
  check(tenant, emit) {
    // A connector may sit in a file that could not be read: then it is not missing.
    if (!tenant.root || modelOf(tenant).mayHide('DefenderConnector')) return;
    for (const p of [...policiesOfKind(tenant, 'CompliancePolicy'), ...policiesOfKind(tenant, 'AppProtectionPolicy')]) {
      const use = threatUse(p);
      if (!use || connectorsEnabling(tenant, use.toggle).length) continue;
      const platform = p.platforms[0]!;
      const what = p.kind === 'CompliancePolicy' ? 'compliance' : 'app protection';
      const connectors = defenderConnectors(tenant);
      // Listed licences none of which covers layer 6: a connector would only add license-missing errors.
      const unlicensed = licensesForLayer(tenant, 6)?.length === 0;
      const advice = unlicensed
        ? `, and the manifest's licences (${tenant.manifest!.licenses.join(', ')}) include no Defender for Endpoint device risk (layer 6): remove the threat level, or add the licence and then set \`${use.toggle}: true\``
        : `; ${connectors.length ? 'set' : 'add a DefenderConnector file with'} \`${use.toggle}: true\`${connectors.length ? ' in the connector' : ''}, and ask the threat protection team to switch on the Intune connection in the Defender portal`;
      emit({
        file: p,
        span: policySpan(p, ['spec', use.property], 'value'),
        message: `\`${use.property}: ${use.level}\` needs device risk from Defender for Endpoint, but no DefenderConnector enables ${PLATFORM_LABELS[platform]} for ${what} evaluation (${describeConnectors(tenant, use.toggle)})${advice}`,
        related: connectors.map((c) => ({ file: c.path, span: toggleSpan(c, use.toggle), message: `this connector does not set \`${use.toggle}: true\`` })),
        data: { platform, toggle: use.toggle } satisfies DeviceRiskData,
      });
    }
  },
  /**
   * Enabling `windowsEnabled` would raise defender-requires-onboarding when no Windows EDR onboarding profile
   * exists, so the fix creates that profile too: a connector that sends Windows risk is useless without it.
   */
  fix(finding, tenant) {
    const data = finding.data as DeviceRiskData | undefined;
    // Not where the listed licences cover no layer 6: the connector and profile would be license-missing errors.
    if (!data || licensesForLayer(tenant, 6)?.length === 0) return [];
    const connector = defenderConnectors(tenant)[0];
    const edits: TextEdit[] = [];
    const creates: FileCreate[] = [];
    if (connector) {
      const edit = patchConnector(connector, data.toggle);
      if (!edit) return [];
      edits.push(edit);
    } else {
      creates.push(newConnector(tenant, data.toggle));
    }
    if (data.toggle === 'windowsEnabled' && !edrProfilesFor(tenant, 'windows').length) {
      const folder = connector ? dirname(connector.path) : folderForKind(tenant, 'DefenderConnector');
      creates.push(windowsOnboardingProfile(tenant, folder, 'device-risk-requires-defender'));
    }
    const where = connector ? `\`${connector.name ?? 'the connector'}\`` : 'a new DefenderConnector file';
    const onboarding = creates.length > (connector ? 0 : 1) ? ', and create a Windows EDR onboarding profile' : '';
    const fix: Fix = { title: `Set ${data.toggle}: true in ${where}${onboarding}`, isPreferred: true, safe: true, edits, creates };
    return [fix];
  },
};

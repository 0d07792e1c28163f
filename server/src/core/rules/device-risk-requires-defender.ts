import { modelOf } from '../model/index';
import { isDefenderOnlyLevel } from '../model/defender';
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
  /** Only Defender for Endpoint's connector meets it (another partner's does not). */
  defenderOnly: boolean;
}

function isSetLevel(v: unknown): v is string {
  return typeof v === 'string' && !UNSET_LEVELS.includes(v);
}

/**
 * The threat levels a compliance policy requires, in file order: the generic partner level (only with threat
 * protection enabled), which any Mobile Threat Defense connector enabling the platform meets, and the Defender for
 * Endpoint risk score, which only Defender's connector meets (the model's `isDefenderOnlyLevel`).
 */
function complianceUses(p: PolicyFacts, platform: Platform): ThreatUse[] {
  const spec = p.spec!;
  const toggle = COMPLIANCE_TOGGLES[platform];
  if (!toggle) return [];
  const uses: ThreatUse[] = [];
  if (spec.deviceThreatProtectionEnabled === true && isSetLevel(spec.deviceThreatProtectionRequiredSecurityLevel)) {
    uses.push({ property: 'deviceThreatProtectionRequiredSecurityLevel', level: spec.deviceThreatProtectionRequiredSecurityLevel, toggle, defenderOnly: false });
  }
  if (isSetLevel(spec.advancedThreatProtectionRequiredSecurityLevel)) {
    uses.push({ property: 'advancedThreatProtectionRequiredSecurityLevel', level: spec.advancedThreatProtectionRequiredSecurityLevel, toggle, defenderOnly: isDefenderOnlyLevel('advancedThreatProtectionRequiredSecurityLevel') });
  }
  const offset = (u: ThreatUse): number => policySpan(p, ['spec', u.property], 'key').offset;
  return uses.sort((a, b) => offset(a) - offset(b));
}

function appProtectionUse(p: PolicyFacts, platform: Platform): ThreatUse | undefined {
  const level = p.spec!.maximumAllowedDeviceThreatLevel;
  const toggle = APP_PROTECTION_TOGGLES[platform];
  if (!toggle || typeof level !== 'string' || level === 'notConfigured') return undefined;
  return { property: 'maximumAllowedDeviceThreatLevel', level, toggle, defenderOnly: false };
}

function threatUses(p: PolicyFacts): ThreatUse[] {
  const platform = p.platforms[0];
  if (!p.spec || !platform) return [];
  if (p.kind === 'CompliancePolicy') return complianceUses(p, platform);
  if (p.kind === 'AppProtectionPolicy') return [appProtectionUse(p, platform) ?? []].flat();
  return [];
}

const label = (c: PolicyFacts): string => `\`${c.name ?? c.path}\``;

/** Why no connector meets the level: each connector named with what it lacks. */
function describeConnectors(tenant: TenantView, use: ThreatUse): string {
  const defender = modelOf(tenant).defender;
  if (!use.defenderOnly) {
    const list = defender.connectors;
    if (!list.length) return 'the tenant has no DefenderConnector file';
    return `${list.map(label).join(', ')} ${list.length === 1 ? 'does' : 'do'} not set \`${use.toggle}: true\``;
  }
  const parts: string[] = [];
  const own = defender.defenderConnectors;
  parts.push(own.length ? `${own.map(label).join(', ')} ${own.length === 1 ? 'does' : 'do'} not set \`${use.toggle}: true\`` : 'the tenant has no Defender for Endpoint connector file');
  const partners = defender.partnersEnabling(use.toggle);
  if (partners.length) {
    parts.push(`${partners.map(label).join(', ')} ${partners.length === 1 ? 'sends its risk, but is another Mobile Threat Defense partner\'s connector (its `id` is not Defender for Endpoint\'s)' : 'send their risk, but are other Mobile Threat Defense partners\' connectors (their `id` is not Defender for Endpoint\'s)'}, which meets only \`deviceThreatProtectionRequiredSecurityLevel\``);
  }
  return parts.join('; ');
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
    const defender = modelOf(tenant).defender;
    for (const p of [...policiesOfKind(tenant, 'CompliancePolicy'), ...policiesOfKind(tenant, 'AppProtectionPolicy')]) {
      // The first level in the file that no connector meets: a partner's connector meets the generic level and not
      // Defender's own risk score beside it.
      const use = threatUses(p).find((u) => !defender.connectorsEnabling(u.toggle, u.defenderOnly).length);
      if (!use) continue;
      const platform = p.platforms[0]!;
      const what = p.kind === 'CompliancePolicy' ? 'compliance' : 'app protection';
      const own = defender.defenderConnectors;
      const target = defender.defenderConnectorToEdit();
      // Listed licences none of which covers layer 6: a connector would only add license-missing errors.
      const unlicensed = licensesForLayer(tenant, 6)?.length === 0;
      // The partner's level is a way out only where another partner's connector sends the platform's risk.
      const partners = use.defenderOnly ? defender.partnersEnabling(use.toggle) : [];
      const partnerLevel = partners.length ? ', or require the partner\'s level instead (`deviceThreatProtectionEnabled: true` with `deviceThreatProtectionRequiredSecurityLevel`)' : '';
      const advice = unlicensed
        ? `, and the manifest's licences (${tenant.manifest!.licenses.join(', ')}) include no Defender for Endpoint device risk (layer 6): remove the threat level, or add the licence and then set \`${use.toggle}: true\``
        : `; ${target ? 'set' : 'add a DefenderConnector file with'} \`${use.toggle}: true\`${target ? ` in Defender for Endpoint's connector (${label(target.connector)}${target.known ? '' : ', if it is: it has no `id`'})` : ` and Defender for Endpoint's \`id\` (${MDE_CONNECTOR_ID})`}, and ask the threat protection team to switch on the Intune connection in the Defender portal${partnerLevel}`;
      const needs = use.defenderOnly ? 'is Defender for Endpoint\'s own risk score' : 'needs device risk from Defender for Endpoint (or another Mobile Threat Defense partner)';
      const connectorWord = use.defenderOnly ? 'Defender for Endpoint connector' : 'DefenderConnector';
      emit({
        file: p,
        span: policySpan(p, ['spec', use.property], 'value'),
        message: `\`${use.property}: ${use.level}\` ${needs}, but no ${connectorWord} enables ${PLATFORM_LABELS[platform]} for ${what} evaluation (${describeConnectors(tenant, use)})${advice}`,
        related: [
          ...(use.defenderOnly ? own : defender.connectors).map((c) => ({ file: c.path, span: toggleSpan(c, use.toggle), message: `this connector does not set \`${use.toggle}: true\`` })),
          ...partners.map((c) => ({ file: c.path, span: toggleSpan(c, use.toggle), message: 'another Mobile Threat Defense partner\'s connector: its risk meets `deviceThreatProtectionRequiredSecurityLevel`, not Defender for Endpoint\'s risk score' })),
        ],
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
    // Defender's own connector, never another partner's (switching iOS on in Lookout's is not what the finding asks).
    // A connector file with no `id` may be either: the fix is offered, but `--fix` does not apply it unattended.
    const target = modelOf(tenant).defender.defenderConnectorToEdit();
    const connector = target?.connector;
    const edits: TextEdit[] = [];
    const creates: FileCreate[] = [];
    if (connector) {
      const edit = patchConnector(connector, data.toggle);
      if (!edit) return [];
      edits.push(edit);
    } else {
      creates.push(newConnector(tenant, data.toggle));
    }
    // Not beside anything that may onboard Windows (the Defender model's one answer: onboarding declared outside Intune,
    // or Configuration Manager holding the Endpoint Protection workload), as defender-requires-onboarding's fix.
    if (data.toggle === 'windowsEnabled' && !edrProfilesFor(tenant, 'windows').length && !modelOf(tenant).defender.hasOnboardingSource('windows')) {
      const folder = connector ? dirname(connector.path) : folderForKind(tenant, 'DefenderConnector');
      creates.push(windowsOnboardingProfile(tenant, folder, 'device-risk-requires-defender'));
    }
    const where = connector ? `\`${connector.name ?? 'the connector'}\`${target.known ? '' : ' (it has no `id`: check that it is the Defender for Endpoint connector)'}` : 'a new DefenderConnector file';
    const onboarding = creates.length > (connector ? 0 : 1) ? ', and create a Windows EDR onboarding profile' : '';
    const fix: Fix = { title: `Set ${data.toggle}: true in ${where}${onboarding}`, isPreferred: true, safe: !target || target.known, edits, creates };
    return [fix];
  },
};

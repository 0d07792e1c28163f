/**
 * What "New Policy…" and "Create Tenant Manifest" can create: one template per snippet in
 * `snippets/zerotrust-yaml.json`, with the folder a new file goes to (the layout of `examples/contoso`).
 * Pure (no `vscode`), so tests check the table against the snippet files and the schemas.
 */
import type { PolicyKind } from '../../server/src/core/kinds';

export interface PolicyTemplate {
  kind: PolicyKind;
  /** The snippet's key in the snippet files. */
  snippet: string;
  /** Shown in the template pick when there are several. */
  label: string;
  /** The layer the new policy counts for (a Defender onboarding profile is layer 6, not its kind's 5). */
  layer: number;
  /** A name to start from. */
  name: string;
  /** Sub-folder of the tenant folder that the new file goes to. */
  folder: string;
}

/** Tabstop that every policy snippet uses for `name` (and the manifest for the tenant's name). */
export const NAME_TABSTOP = 1;
/** Tabstop of the EnrollmentRestriction snippet's `platformType`. */
export const PLATFORM_TYPE_TABSTOP = 2;
/** Tabstop of the manifest snippet's `licenses` item. */
export const LICENSES_TABSTOP = 2;

/** The manifest snippet's key. */
export const MANIFEST_SNIPPET = 'Zero Trust: tenant manifest';
export const MANIFEST_FILE = 'zerotrust.yaml';

/** A policy's name: lowercase letters, digits and '-' (the format contract, as the schema reads it). */
export const POLICY_NAME_PATTERN = /^[a-z0-9-]+$/;

const t = (kind: PolicyKind, layer: number, folder: string, name: string, label: string, snippet: string): PolicyTemplate => ({
  kind,
  layer,
  folder,
  name,
  label,
  snippet,
});

export const POLICY_TEMPLATES: PolicyTemplate[] = [
  t('AppProtectionPolicy', 1, 'app-protection', 'ios-app-protection', 'iOS/iPadOS', 'Zero Trust: app protection policy (iOS/iPadOS)'),
  t('AppProtectionPolicy', 1, 'app-protection', 'android-app-protection', 'Android', 'Zero Trust: app protection policy (Android)'),
  t('AppProtectionPolicy', 1, 'app-protection', 'windows-edge-app-protection', 'Windows (Microsoft Edge)', 'Zero Trust: app protection policy (Windows, Edge)'),
  t('ConditionalAccessPolicy', 1, 'conditional-access', 'ca-require-app-protection', 'Require app protection policy (iOS, Android)', 'Zero Trust: Conditional Access, require app protection policy'),
  t('EnrollmentRestriction', 2, 'enrollment', 'enrollment-restriction', 'Platform restriction', 'Zero Trust: enrollment platform restriction'),
  t('AutopilotProfile', 2, 'enrollment', 'autopilot-user-driven', 'Windows Autopilot: user-driven, Entra joined', 'Zero Trust: Autopilot profile (user-driven, Entra joined)'),
  t('CompliancePolicy', 3, 'compliance', 'windows-compliance', 'Windows', 'Zero Trust: compliance policy (Windows)'),
  t('CompliancePolicy', 3, 'compliance', 'ios-compliance', 'iOS/iPadOS', 'Zero Trust: compliance policy (iOS/iPadOS)'),
  t('CompliancePolicy', 3, 'compliance', 'macos-compliance', 'macOS', 'Zero Trust: compliance policy (macOS)'),
  t('CompliancePolicy', 3, 'compliance', 'android-compliance', 'Android Enterprise (corporate-owned)', 'Zero Trust: compliance policy (Android Enterprise, fully managed)'),
  t('ConditionalAccessPolicy', 4, 'conditional-access', 'ca-require-compliant-device', 'Require compliant device', 'Zero Trust: Conditional Access, require compliant device'),
  t('ConditionalAccessPolicy', 4, 'conditional-access', 'ca-block-legacy-auth', 'Block legacy authentication', 'Zero Trust: Conditional Access, block legacy authentication'),
  t('ConfigurationProfile', 5, 'configuration', 'windows-security-baseline', 'Windows: security baseline', 'Zero Trust: configuration profile, Windows security baseline'),
  t('ConfigurationProfile', 5, 'configuration', 'macos-firewall', 'macOS: settings catalog profile', 'Zero Trust: configuration profile, macOS settings catalog'),
  t('ConfigurationProfile', 6, 'defender', 'windows-edr-onboarding', 'Windows: Defender for Endpoint onboarding (EDR)', 'Zero Trust: configuration profile, Defender for Endpoint onboarding (EDR)'),
  t('DefenderConnector', 6, 'defender', 'mde-connector', 'Defender for Endpoint connector', 'Zero Trust: Defender for Endpoint connector'),
  t('EndpointDlpPolicy', 7, 'dlp', 'dlp-devices', 'Endpoint DLP policy', 'Zero Trust: Endpoint DLP policy'),
];

/** The EnrollmentRestriction `platformType` values offered, with their labels. */
export const ENROLLMENT_PLATFORM_TYPES: { value: string; label: string }[] = [
  { value: 'windows', label: 'Windows' },
  { value: 'ios', label: 'iOS/iPadOS' },
  { value: 'android', label: 'Android device administrator' },
  { value: 'androidForWork', label: 'Android Enterprise (work profile)' },
  { value: 'mac', label: 'macOS' },
];

/** The templates of one kind, in table order. */
export function templatesOf(kind: PolicyKind): PolicyTemplate[] {
  return POLICY_TEMPLATES.filter((x) => x.kind === kind);
}

/** The templates of one layer, in table order. */
export function templatesOfLayer(layer: number): PolicyTemplate[] {
  return POLICY_TEMPLATES.filter((x) => x.layer === layer);
}

/** Relative path of a new policy file in its tenant folder. */
export function policyFilePath(t: PolicyTemplate, name: string): string {
  return `${t.folder}/${name}.yaml`;
}

/** Why a policy name is not allowed, or undefined when it is. */
export function validatePolicyName(name: string): string | undefined {
  if (!name) return 'Enter a name.';
  if (!POLICY_NAME_PATTERN.test(name)) return "Use lowercase letters, digits and '-', e.g. win-compliance-baseline.";
  return undefined;
}

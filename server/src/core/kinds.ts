/**
 * The policy kinds of the format contract, with their Zero Trust layer and the Graph resources that `spec` holds.
 */
import { intentTemplateOf, type IntentBaseline } from './intent-templates';

export type PolicyKind =
  | 'AppProtectionPolicy'
  | 'EnrollmentRestriction'
  | 'AutopilotProfile'
  | 'CompliancePolicy'
  | 'ConditionalAccessPolicy'
  | 'ConfigurationProfile'
  | 'DefenderConnector'
  | 'EndpointDlpPolicy';

export type Team = 'identity' | 'endpoint' | 'threat' | 'data';

export interface KindInfo {
  kind: PolicyKind;
  /** The layer a policy of this kind sits in by default (the seed's table). */
  layer: number;
  /** Schema file basename under `schemas/`. */
  schema: string;
  /** Graph types `spec` may hold; empty for kinds with our own spec shape. */
  graphTypes: string[];
  /** Whether `spec["@odata.type"]` must name one of `graphTypes` (several possible types). */
  odataTypeRequired: boolean;
  /** Whether the top-level `assignments` block applies (Intune kinds). */
  assignable: boolean;
  /** Whether the Graph resource is documented in beta only (Intune kinds follow beta). */
  graphVersion: 'v1.0' | 'beta';
  /** Graph collection the body is created in. */
  endpoint: string;
  /** Which team the seed says owns or coordinates this kind. */
  team: Team;
  summary: string;
}

export const KINDS: Record<PolicyKind, KindInfo> = {
  AppProtectionPolicy: {
    kind: 'AppProtectionPolicy',
    layer: 1,
    schema: 'app-protection-policy',
    graphTypes: ['iosManagedAppProtection', 'androidManagedAppProtection', 'windowsManagedAppProtection'],
    odataTypeRequired: true,
    assignable: true,
    graphVersion: 'beta',
    endpoint: '/deviceAppManagement/{iosManagedAppProtections|androidManagedAppProtections|windowsManagedAppProtections}',
    team: 'endpoint',
    summary: 'An Intune app protection (MAM) policy for iOS, Android or Edge on Windows.',
  },
  EnrollmentRestriction: {
    kind: 'EnrollmentRestriction',
    layer: 2,
    schema: 'enrollment-restriction',
    graphTypes: [
      'deviceEnrollmentPlatformRestrictionConfiguration',
      'deviceEnrollmentPlatformRestrictionsConfiguration',
      'deviceEnrollmentLimitConfiguration',
      // Not Windows Hello for Business or the enrollment status page: deviceEnrollmentConfigurations too, but settings
      // of an enrollment, not restrictions of who may enroll (docs/format.md; `describeForeignGraphType`).
    ],
    odataTypeRequired: true,
    assignable: true,
    graphVersion: 'beta',
    endpoint: '/deviceManagement/deviceEnrollmentConfigurations',
    team: 'endpoint',
    summary: 'An Intune enrollment restriction: a platform restriction or a device limit.',
  },
  AutopilotProfile: {
    kind: 'AutopilotProfile',
    layer: 2,
    schema: 'autopilot-profile',
    graphTypes: ['azureADWindowsAutopilotDeploymentProfile', 'activeDirectoryWindowsAutopilotDeploymentProfile'],
    odataTypeRequired: true,
    assignable: true,
    graphVersion: 'beta',
    endpoint: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    team: 'endpoint',
    summary: 'A Windows Autopilot deployment profile (Entra join or hybrid join).',
  },
  CompliancePolicy: {
    kind: 'CompliancePolicy',
    layer: 3,
    schema: 'compliance-policy',
    graphTypes: [
      'windows10CompliancePolicy',
      'iosCompliancePolicy',
      'macOSCompliancePolicy',
      'androidWorkProfileCompliancePolicy',
      'androidDeviceOwnerCompliancePolicy',
      'aospDeviceOwnerCompliancePolicy',
      'androidCompliancePolicy',
      'androidForWorkCompliancePolicy',
      'windows10MobileCompliancePolicy',
      'windows81CompliancePolicy',
      'windowsPhone81CompliancePolicy',
      // Settings-catalog-based compliance (Linux): platform from `spec.platforms`; created at /deviceManagement/compliancePolicies.
      'deviceManagementCompliancePolicy',
    ],
    odataTypeRequired: true,
    assignable: true,
    graphVersion: 'beta',
    endpoint: '/deviceManagement/deviceCompliancePolicies',
    team: 'endpoint',
    summary: 'An Intune device compliance policy: the minimum a device must meet to count as compliant.',
  },
  ConditionalAccessPolicy: {
    kind: 'ConditionalAccessPolicy',
    layer: 4,
    schema: 'conditional-access-policy',
    graphTypes: ['conditionalAccessPolicy'],
    odataTypeRequired: false,
    assignable: false,
    graphVersion: 'v1.0',
    endpoint: '/identity/conditionalAccess/policies',
    team: 'identity',
    summary: 'A Microsoft Entra Conditional Access policy.',
  },
  ConfigurationProfile: {
    kind: 'ConfigurationProfile',
    layer: 5,
    schema: 'configuration-profile',
    graphTypes: ['deviceManagementConfigurationPolicy'],
    odataTypeRequired: false,
    assignable: true,
    graphVersion: 'beta',
    endpoint: '/deviceManagement/configurationPolicies',
    team: 'endpoint',
    summary: 'A settings catalog or endpoint security policy (security baselines and Defender onboarding included).',
  },
  DefenderConnector: {
    kind: 'DefenderConnector',
    layer: 6,
    schema: 'defender-connector',
    graphTypes: ['mobileThreatDefenseConnector'],
    odataTypeRequired: false,
    assignable: false,
    graphVersion: 'beta',
    endpoint: '/deviceManagement/mobileThreatDefenseConnectors',
    team: 'threat',
    summary: 'The Microsoft Defender for Endpoint (mobile threat defense) connector and its per-platform toggles.',
  },
  EndpointDlpPolicy: {
    kind: 'EndpointDlpPolicy',
    layer: 7,
    schema: 'endpoint-dlp-policy',
    graphTypes: [],
    odataTypeRequired: false,
    assignable: false,
    graphVersion: 'beta',
    endpoint: 'Security & Compliance PowerShell (New-DlpCompliancePolicy); Purview has no Graph CRUD',
    team: 'data',
    summary: 'A Microsoft Purview Endpoint DLP policy for onboarded Windows and macOS devices.',
  },
};

export const KIND_NAMES = Object.keys(KINDS) as PolicyKind[];

export function isPolicyKind(value: unknown): value is PolicyKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(KINDS, value);
}

/** The template family that marks a settings catalog policy as Defender for Endpoint onboarding (EDR). */
export const EDR_TEMPLATE_FAMILY = 'endpointSecurityEndpointDetectionAndResponse';
export const BASELINE_TEMPLATE_FAMILY = 'baseline';
/**
 * The template family of the settings catalog policies that set up enrollment, not a device: Windows Autopilot device
 * preparation and Apple automated device enrollment (ADE) policies (Intune admin center: Devices › Enrollment).
 * Graph's `deviceManagementConfigurationTemplateFamily` keeps `enrollmentConfiguration` apart from the configuration
 * families (`deviceConfigurationPolicies`, `baseline`, the endpoint security ones); it is the only enrollment family.
 * Sources: https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicytemplate?view=graph-rest-beta,
 * https://learn.microsoft.com/autopilot/device-preparation/overview
 */
export const ENROLLMENT_TEMPLATE_FAMILY = 'enrollmentConfiguration';

/** The settings catalog security baselines the checks tell apart, by template id (the part before `_<version>`). */
export const BASELINE_TEMPLATES = {
  windows: '66df8dce-0166-4b82-92f7-1f74e3ca17a3', // Security Baseline for Windows 10 and later
  defenderForEndpoint: '49b8320f-e179-472e-8e2c-2fde00289ca2', // Microsoft Defender for Endpoint baseline
  edge: 'c66347b7-8325-4954-a235-3bf2233dfbfd', // Security Baseline for Microsoft Edge
  // Windows 365 Security Baseline: the settings catalog template (microsoft/Microsoft365DSC
  // IntuneSecurityBaselineWindows365 and the Intune terraform provider's security_baseline_for_windows_365 agree);
  // `cef15778-…` is its older intent's template.
  windows365: 'b00e1a0f-19dd-41de-8243-e6733ca7b4ae',
  // Microsoft 365 Apps for Enterprise baseline: Office's settings only ("the recommended configuration for Microsoft
  // Office", Learn: security-baseline-settings-office), so it holds no Windows protection.
  m365Apps: '90316f12-246d-44c6-a767-f87692e86083',
} as const;

/**
 * The baseline an endpoint security intent is, by its template id (the table `INTENT_TEMPLATES`: the older generation's
 * Windows, Defender for Endpoint, Edge and Windows 365 baselines), or undefined for any other template: an endpoint
 * security template known not to be a baseline (`isKnownNonBaselineIntent`), or one not known here, which may be any
 * baseline (the Windows baseline's May 2019 and August 2020 versions were templates of their own, still deployed until
 * someone migrates them, whose ids are not confirmed here).
 */
export function legacyBaselineOf(templateId: unknown): IntentBaseline | undefined {
  return intentTemplateOf(templateId)?.baseline;
}

/** Whether an intent's template is one the table knows as an endpoint security template, not a baseline. */
export function isKnownNonBaselineIntent(templateId: unknown): boolean {
  const row = intentTemplateOf(templateId);
  return !!row && !row.baseline;
}

/**
 * The families of the templates the checks ask about, by template id (the part before `_<version>`). Graph derives
 * `templateFamily` from `templateId` and documents it read-only, so a create body (a baseline published to be POSTed)
 * carries the id alone.
 */
const FAMILY_OF_TEMPLATE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(BASELINE_TEMPLATES).map((id) => [id, BASELINE_TEMPLATE_FAMILY])),
  '0385b795-0f2f-44ac-8602-9f65bf6adede': EDR_TEMPLATE_FAMILY, // Windows endpoint detection and response
  // Windows Autopilot device preparation, its two templates. Learn documents no template id; these are the ids the
  // portal writes (a portal capture's POST response: `templateFamily: enrollmentConfiguration`, `templateDisplayName:
  // Device Preparation`), which Microsoft365DSC's device preparation resources and the Intune
  // terraform provider's windows_autopilot_device_preparation_policy (`baseTemplateIDUserDriven`,
  // `baseTemplateIDAutomatic`) use too; the automatic one was also observed in an IntuneCD backup
  // (cloudendpoint/ce-backup) with `templateFamily: enrollmentConfiguration`.
  '80d33118-b7b4-40d8-b15f-81be745e053f': ENROLLMENT_TEMPLATE_FAMILY, // user-driven
  'a6157a7f-aa00-42d9-ac82-7d2479f545db': ENROLLMENT_TEMPLATE_FAMILY, // automatic mode
  '27d20e9c-50c1-48f8-a44c-f37de4510051': ENROLLMENT_TEMPLATE_FAMILY, // ADE Policy (Apple automated device enrollment)
};

/**
 * The layer of a settings catalog `ConfigurationProfile`, from its template family: Defender for Endpoint onboarding
 * (EDR) is layer 6, an enrollment policy (Autopilot device preparation, Apple ADE) layer 2, any other profile layer 5.
 * The one answer the facts keep (`PolicyFacts.layer`): the configuration checks count layer 5 profiles only, and the
 * report and the tree list each profile under its layer.
 */
export function configurationProfileLayer(templateReference: unknown, settings?: unknown): number {
  const family = templateFamilyOf(templateReference);
  if (family === EDR_TEMPLATE_FAMILY) return 6;
  if (family === ENROLLMENT_TEMPLATE_FAMILY) return 2;
  if (family === undefined && setsDevicePreparation(settings)) return 2;
  return KINDS.ConfigurationProfile.layer;
}

/**
 * Whether a settings catalog body with no known template sets a Windows Autopilot device preparation setting: the
 * `enrollment_autopilot_dpp_…` settings exist in the device preparation templates only, so they tell an enrollment
 * policy whose template id is not in `FAMILY_OF_TEMPLATE` (an older or newer version of the template) by themselves.
 */
function setsDevicePreparation(settings: unknown): boolean {
  if (!Array.isArray(settings)) return false;
  return settings.some((s) => {
    const instance = s && typeof s === 'object' ? (s as Record<string, unknown>).settingInstance : undefined;
    const id = instance && typeof instance === 'object' ? (instance as Record<string, unknown>).settingDefinitionId : undefined;
    return typeof id === 'string' && id.toLowerCase().startsWith('enrollment_autopilot_dpp_');
  });
}

/** A settings catalog policy's template id without its `_<version>`, lower-cased. */
export function templateBaseOf(templateReference: unknown): string | undefined {
  if (!templateReference || typeof templateReference !== 'object' || Array.isArray(templateReference)) return undefined;
  const id = (templateReference as Record<string, unknown>).templateId;
  return typeof id === 'string' ? id.toLowerCase().replace(/_\d+$/, '') : undefined;
}

/** A settings catalog policy's template family: `templateReference.templateFamily`, else the one its `templateId` implies. */
export function templateFamilyOf(templateReference: unknown): string | undefined {
  if (!templateReference || typeof templateReference !== 'object' || Array.isArray(templateReference)) return undefined;
  const ref = templateReference as Record<string, unknown>;
  if (typeof ref.templateFamily === 'string') return ref.templateFamily;
  const id = templateBaseOf(ref);
  return id ? FAMILY_OF_TEMPLATE[id] : undefined;
}

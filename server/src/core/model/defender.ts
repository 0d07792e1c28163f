/**
 * Which platforms' devices are onboarded to Microsoft Defender for Endpoint. A Windows device is onboarded by an
 * endpoint security EDR profile that either carries the onboarding package itself (configuration type `onboard`,
 * with the `onboarding` blob) or takes it from the connector (`autofromconnector`; one that sets no configuration
 * package type, "Not configured", the default, onboards nothing: `EdrConfigurationType`), in which case the
 * Defender connector must show the connection (`windowsEnabled: true`; with only that compliance toggle off and
 * `partnerState` showing the connection set up, unknown); under co-management with Configuration Manager holding
 * Endpoint Protection, Configuration Manager may onboard instead (unknown); an EDR profile of type `offboard` removes devices instead. The
 * older template profile (`windowsDefenderAdvancedThreatProtectionConfiguration`) and the older EDR intent (template
 * `e44c2ca3-…`, Windows 10 and later, before April 2022) onboard the same two ways, and a
 * custom profile (`windows10CustomConfiguration`) that writes the onboarding blob to the CSP's `Onboarding` node by
 * hand carries the package itself (WindowsAdvancedThreatProtection CSP). Intune
 * has no automatic onboarding package for macOS: Macs are onboarded by a custom configuration profile that carries
 * the package (`com.microsoft.wdav.atp`), and the macOS EDR profile sets device tags only. Sources: Learn "Configure
 * Microsoft Defender for Endpoint in Intune" (Onboard macOS devices), "Endpoint detection and response policy" (Tip:
 * device configuration profiles onboard too), "Deploy Microsoft Defender for Endpoint on macOS with Intune".
 */
import type { FileFacts, PolicyFacts } from '../facts';
import { settingsNotExported, templateFamily } from '../facts';
import { asObject } from '../document';
import { settingInstances } from '../settings-catalog/instances';
import { EDR_INTENT_PROFILE_TYPE, MDE_CONNECTOR_ID, foreignAssignment, foreignGraphTypeOf, intentProperties, isEdrIntent, isOnboardingEvidence, unwrapExport, windowsOmaOnboards } from '../graph';
import { EDR_TEMPLATE_FAMILY } from '../kinds';
import { assignmentDeclaration } from './targets';
import type { Coverage, Overlap, SettingConflict, SettingValues } from './setting-values';
import { targetsInWords } from './setting-values';
import type { Targets } from './targets';
import type { Platform } from '../platforms';
import { basename } from '../paths';
import type { DeclaredFacts } from './declared';
import { enrollmentEvidenceText, type EnrollmentEvidenceKind } from './enrollment';
import { notAnalysedText } from '../prose';

/**
 * The connector toggle that feeds device risk into compliance evaluation, per platform: the connector page's
 * "Compliance policy evaluation" switches ("Connect Windows devices … to Microsoft Defender for Endpoint"), which send
 * the machine risk score to compliance policies. They do not carry the onboarding package: that comes from the
 * service-to-service connection itself (`partnerState`, `connectionUp`). Sources:
 * https://learn.microsoft.com/intune/intune-service/protect/advanced-threat-protection-configure,
 * https://learn.microsoft.com/intune/intune-service/protect/endpoint-security-edr-policy
 */
export const COMPLIANCE_TOGGLES: Partial<Record<Platform, string>> = {
  windows: 'windowsEnabled',
  iOS: 'iosEnabled',
  android: 'androidEnabled',
  macOS: 'macEnabled',
};

/** The connector toggle that feeds device risk into app protection evaluation, per platform. */
export const APP_PROTECTION_TOGGLES: Partial<Record<Platform, string>> = {
  iOS: 'iosMobileApplicationManagementEnabled',
  android: 'androidMobileApplicationManagementEnabled',
  windows: 'windowsMobileApplicationManagementEnabled',
};

/**
 * The connector property behind "Allow Microsoft Defender for Endpoint to enforce Endpoint Security Configurations"
 * (Intune admin center > Endpoint security > Microsoft Defender for Endpoint): Defender for Endpoint security settings
 * management, also known as MDE attach, which delivers Intune endpoint security policies to devices Intune does not
 * enroll (Windows Server, unenrolled Windows clients, Linux, macOS). https://learn.microsoft.com/defender-endpoint/mde-security-integration
 */
export const ATTACH_TOGGLE = 'microsoftDefenderForEndpointAttachEnabled';

/** A settings catalog profile's `technologies` (Graph's flags enum, `mdm,microsoftSense`), lower-cased. */
export function technologiesOf(p: PolicyFacts): string[] {
  const t = p.spec?.technologies;
  return typeof t === 'string' ? t.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'none') : [];
}

/**
 * Whether devices managed by security settings management take a profile: its `technologies` include `microsoftSense`.
 * Graph writes `mdm,microsoftSense` on every endpoint security profile of a type that both Intune-enrolled and
 * security settings management devices take (antivirus, firewall, firewall rules, ASR rules, EDR; the real exports
 * of fully enrolled tenants carry it too, so it alone says nothing of which devices the tenant has), and
 * `microsoftSense` alone on those only Defender delivers (Linux, and macOS antivirus from the Defender portal).
 */
export function reachesSecuritySettingsManagement(p: PolicyFacts): boolean {
  return technologiesOf(p).includes('microsoftsense');
}

/** Whether only security settings management delivers a profile: `microsoftSense` without `mdm` (or any other channel). */
export function onlySecuritySettingsManagement(p: PolicyFacts): boolean {
  const t = technologiesOf(p);
  return t.length > 0 && t.every((x) => x === 'microsoftsense');
}

/**
 * Defender for Endpoint security settings management in use for a platform: Defender's connector allows it
 * (`microsoftDefenderForEndpointAttachEnabled: true`), or, with no Defender connector switching it off, a profile only
 * it delivers (`microsoftSense` alone) may reach devices; and some profile of the platform that its devices take may
 * reach devices. Devices managed this way were onboarded to Defender for Endpoint first, outside Intune (onboarding is
 * its prerequisite, and an Intune-enrolled device does not process these policies):
 * https://learn.microsoft.com/defender-endpoint/mde-security-integration
 */
export interface SecuritySettingsManagement {
  platform: Platform;
  /** Defender's connectors that allow it (may be empty where a `microsoftSense`-only profile shows it). */
  connectors: PolicyFacts[];
  /** The platform's profiles its devices take (`technologies` with `microsoftSense`), not assigned to nobody. */
  profiles: PolicyFacts[];
}

/**
 * Whose connector a `DefenderConnector` file is. Graph's `mobileThreatDefenseConnector` is one object per Mobile Threat
 * Defense partner (Defender for Endpoint, Lookout, Zimperium…), each with its own per-platform toggles
 * (https://learn.microsoft.com/intune/intune-service/protect/mobile-threat-defense,
 * https://learn.microsoft.com/graph/api/resources/intune-onboarding-mobilethreatdefenseconnector), and the object's
 * `id` names the partner: Defender for Endpoint's is `fc780465-2017-40d4-a0c5-307022471b92` (the WindowsDefenderATP
 * app id; Microsoft's Zero Trust Assessment reads `deviceManagement/mobileThreatDefenseConnectors/fc780465-…` as the
 * Defender connector, test 24871: https://github.com/microsoft/zerotrustassessment). `defender`: that id; `partner`:
 * another partner's id. A file with no id (or not an id) is another partner's when a file has Defender's id (a tenant
 * has one connector per partner); else, when it is the tenant's only connector file without one and is of this format
 * (its kind is `DefenderConnector`), Defender's; else `unknown`, which may be either (a raw Graph export, or two files
 * without an id: give another partner's connector its id).
 */
export type ConnectorPartner = 'defender' | 'partner' | 'unknown';

const CONNECTOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whose connector a file is by its own `id`, undefined when it writes none. */
function partnerById(connector: PolicyFacts): Exclude<ConnectorPartner, 'unknown'> | undefined {
  const id = connector.spec?.id;
  if (typeof id !== 'string' || !CONNECTOR_ID.test(id.trim())) return undefined;
  return id.trim().toLowerCase() === MDE_CONNECTOR_ID ? 'defender' : 'partner';
}

/** Whose connector each of a tenant's connector files is (see `ConnectorPartner`), read together. */
function connectorPartners(connectors: readonly PolicyFacts[]): Map<PolicyFacts, ConnectorPartner> {
  const byId = connectors.map((c) => [c, partnerById(c)] as const);
  const defenderKnown = byId.some(([, p]) => p === 'defender');
  const without = byId.filter(([, p]) => p === undefined).map(([c]) => c);
  return new Map(byId.map(([c, p]) => [c, p ?? (defenderKnown ? 'partner' : without.length === 1 && !c.raw ? 'defender' : 'unknown')]));
}

/**
 * Whether a compliance policy's threat-level property is Defender for Endpoint's own risk score, which only the
 * Defender connector meets: `advancedThreatProtectionRequiredSecurityLevel` ("MDATP Require Mobile Threat Protection
 * minimum risk level", https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-androiddeviceownercompliancepolicy),
 * unlike `deviceThreatProtectionRequiredSecurityLevel`, which any enabled Mobile Threat Defense partner meets.
 */
export function isDefenderOnlyLevel(property: string): boolean {
  return property.startsWith('advancedThreatProtection');
}

/** Threat levels that set no requirement (`deviceThreatProtectionLevel`). */
const UNSET_LEVELS = ['unavailable', 'notSet'];

/** The Defender-only threat levels a compliance policy requires (`isDefenderOnlyLevel`), as `property: level`. */
export function defenderOnlyLevels(p: PolicyFacts): string[] {
  if (p.kind !== 'CompliancePolicy' || !p.spec) return [];
  return Object.entries(p.spec)
    .filter(([k, v]) => isDefenderOnlyLevel(k) && k.endsWith('RequiredSecurityLevel') && typeof v === 'string' && !UNSET_LEVELS.includes(v))
    .map(([k, v]) => `${k}: ${String(v)}`);
}

/**
 * The `partnerState` values of Defender's connector that show the service-to-service connection with Defender for
 * Endpoint set up (`mobileThreatPartnerTenantState`: `enabled`, `available`, and `unresponsive`, a connection set up
 * whose partner has sent no heartbeat within `partnerUnresponsivenessThresholdInDays`: devices onboarded through it
 * stay onboarded), the connection an EDR profile of configuration type "Auto from connector" takes the onboarding
 * package from (https://learn.microsoft.com/graph/api/resources/intune-onboarding-mobilethreatdefenseconnector).
 * `notSetUp`, `unavailable` and `error` show no connection to take it from; an absent value shows nothing, and the
 * catalogue's reading (only `windowsEnabled: true` counts) stands.
 */
const CONNECTION_UP = ['enabled', 'available', 'unresponsive'];

/** Whether a connector file shows the connection with its partner set up (`CONNECTION_UP`). */
export function connectionUp(connector: PolicyFacts): boolean {
  const state = connector.spec?.partnerState;
  return typeof state === 'string' && CONNECTION_UP.includes(state);
}

/**
 * Where Configuration Manager holds the Endpoint Protection co-management workload for a platform (the tenant model's
 * `configMgrWorkload(platform, 'endpointProtection')`, the one answer): the workload that delivers Defender for
 * Endpoint onboarding to co-managed Windows devices (https://learn.microsoft.com/intune/configmgr/comanage/workloads#endpoint-protection).
 */
export interface OnboardingWorkload {
  state: 'configurationManager' | 'pilotIntune';
  slider: string;
}

export const EDR_CONFIGURATION_TYPE = 'device_vendor_msft_windowsadvancedthreatprotection_configurationtype';
const ONBOARDING_BLOB = 'device_vendor_msft_windowsadvancedthreatprotection_onboarding';
const ONBOARD_CHOICE = `${EDR_CONFIGURATION_TYPE}_onboard`;
const FROM_CONNECTOR_CHOICE = `${EDR_CONFIGURATION_TYPE}_autofromconnector`;
const OFFBOARD_CHOICE = `${EDR_CONFIGURATION_TYPE}_offboard`;
const OFFBOARDING_BLOB = 'device_vendor_msft_windowsadvancedthreatprotection_offboarding';

/**
 * What the Defender model asks of the tenant model about profiles (`DefenderModel`'s constructor): whom a profile
 * reaches (`assignmentReach`: exclusions that take out every group it includes read as nobody), and the settings'
 * conflicts (an onboarding profile whose configuration type another profile, reaching every device it reaches, sets to
 * another value onboards nothing: Intune applies neither).
 */
export interface ProfileReading {
  reach: (p: PolicyFacts) => 'undeclared' | 'nobody' | 'assigned';
  settingValues?: () => SettingValues;
  /**
   * Whether two policies (a profile and an Endpoint DLP policy, whose devices location the model reads as an
   * assignment) reach the same devices: certain, none or unknown (`setting-values.ts`' `overlap`).
   */
  overlap?: (a: PolicyFacts, b: PolicyFacts) => Overlap;
  /** Whether `a` reaches every device `b` reaches (the tenant model's `reachesAllOf`). */
  reachesAllOf?: (a: PolicyFacts, b: PolicyFacts) => boolean;
  /**
   * Whom a file is assigned to (a policy's assignments, an Endpoint DLP policy's devices location, a raw Graph
   * document's `assignments`), undefined where the file does not say (no assignments exported).
   */
  targetsOf?: (f: FileFacts) => Targets | undefined;
  /** Whether assignments together reach every device another takes in (`setting-values.ts`' `coverage`). */
  coverage?: (sources: readonly Targets[], target: Targets) => Coverage;
  /**
   * Whether the manifest declares the platform in use (its `platforms`): a platform with no onboarding beside an
   * onboarded one is a gap in an Endpoint DLP policy for all devices only where the tenant has its devices.
   */
  platformDeclared?: (platform: Platform) => boolean;
  /**
   * The files not analysed (one that could not be read, a Graph list) that may hold a Defender connector, by path (the
   * tenant model's `hiding`): a connection no readable connector shows may be shown there, so it is unknown, not missing.
   */
  connectorHiding?: () => readonly string[];
}

/** An endpoint security EDR policy: how Intune onboards devices to Defender for Endpoint. */
export function isEdrProfile(p: PolicyFacts): boolean {
  return p.kind === 'ConfigurationProfile' && templateFamily(p.spec) === EDR_TEMPLATE_FAMILY;
}

/** Whether an EDR profile's settings hold a setting definition or choice value that `test` accepts. */
function settingsHold(p: PolicyFacts, test: (o: Record<string, unknown>) => boolean): boolean {
  let found = false;
  const walk = (v: unknown, depth: number): void => {
    if (found || depth > 40) return;
    if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (test(o)) found = true;
      else for (const x of Object.values(o)) walk(x, depth + 1);
    }
  };
  walk(p.spec?.settings, 0);
  return found;
}

/**
 * What an EDR profile's "Microsoft Defender for Endpoint client configuration package type" says, the setting whose
 * options Learn lists as "Not configured (default)", "Auto from connector", "Onboard" and "Offboard"
 * (https://learn.microsoft.com/intune/intune-service/protect/endpoint-security-edr-profile-settings): `package`, Onboard
 * (or the onboarding blob itself); `connector`, Auto from connector; `offboard` (or the offboarding blob);
 * `notConfigured`, the profile's settings are there and do not set it (one that sets only sample sharing or telemetry
 * reporting frequency, as directorcia/bp's `Endpoint/EDR/edr.json`), so it onboards nothing; `unknown`, the file cannot
 * say: exported without its `settings` (`settingsNotExported`), or the setting written without a value Intune offers
 * (a backup that drops values).
 */
export type EdrConfigurationType = 'package' | 'connector' | 'offboard' | 'notConfigured' | 'unknown';

/** The configuration package types that onboard devices. */
const ONBOARDING_TYPES: ReadonlySet<EdrConfigurationType> = new Set(['package', 'connector']);

/**
 * An EDR profile's configuration package type (`EdrConfigurationType`), read in one walk and kept per profile: the
 * model asks it of every profile for each platform and question (facts never change; an edited file gets new ones).
 */
const CONFIGURATION_TYPE = new WeakMap<PolicyFacts, EdrConfigurationType>();
export function edrConfigurationType(p: PolicyFacts): EdrConfigurationType {
  let known = CONFIGURATION_TYPE.get(p);
  if (!known) {
    let withPackage = false;
    let fromConnector = false;
    let offboarding = false;
    let setting = false;
    if (!settingsNotExported(p)) {
      settingsHold(p, (o) => {
        if (o.settingDefinitionId === EDR_CONFIGURATION_TYPE) setting = true;
        if (o.settingDefinitionId === ONBOARDING_BLOB || o.value === ONBOARD_CHOICE) withPackage = true;
        if (o.value === FROM_CONNECTOR_CHOICE) fromConnector = true;
        if (o.value === OFFBOARD_CHOICE || o.settingDefinitionId === OFFBOARDING_BLOB) offboarding = true;
        return withPackage && offboarding;
      });
    }
    // Offboarding wins, as before: a profile that writes both removes devices as often as it adds them.
    known = settingsNotExported(p) ? 'unknown' : offboarding ? 'offboard' : withPackage ? 'package' : fromConnector ? 'connector' : setting ? 'unknown' : 'notConfigured';
    CONFIGURATION_TYPE.set(p, known);
  }
  return known;
}

/** Whether an EDR profile carries the onboarding package itself, so it needs no connector. */
export function onboardsWithPackage(p: PolicyFacts): boolean {
  return edrConfigurationType(p) === 'package';
}

/** Whether an EDR profile offboards its devices (configuration type `offboard`, or the offboarding blob). */
export function offboards(p: PolicyFacts): boolean {
  return edrConfigurationType(p) === 'offboard';
}

/**
 * A Defender protection a Windows settings catalog profile can turn off, by the setting and the options the shipped
 * settings catalog index lists (and OpenIntuneBaseline's "Defender Antivirus - D - AV Configuration" and "Windows
 * Firewall - D - Firewall Configuration" write on): `off` turns it off, `on` back on. Not configured is not off: each is
 * on by default. `dlp`: Endpoint DLP needs it on its devices ("real-time protection and behavior monitoring",
 * https://learn.microsoft.com/purview/device-onboarding-overview). Tamper protection has its own rule,
 * `defender-tamper-protection-off`. Sources:
 * https://learn.microsoft.com/defender-endpoint/configure-real-time-protection-microsoft-defender-antivirus,
 * https://learn.microsoft.com/windows/client-management/mdm/policy-csp-defender,
 * https://learn.microsoft.com/windows/client-management/mdm/firewall-csp
 */
export interface DefenderProtection {
  setting: string;
  off: string;
  on: string;
  /** What it is, as a sentence names it ("real-time protection"). */
  label: string;
  /** The setting's name in the settings catalog, and its option that turns the protection off. */
  settingName: string;
  offName: string;
  dlp: boolean;
}

const AV = 'device_vendor_msft_policy_config_defender_';
const FIREWALL = 'vendor_msft_firewall_mdmstore_';
export const DEFENDER_PROTECTIONS: readonly DefenderProtection[] = [
  { setting: `${AV}allowrealtimemonitoring`, off: `${AV}allowrealtimemonitoring_0`, on: `${AV}allowrealtimemonitoring_1`, label: 'Microsoft Defender Antivirus real-time protection', settingName: 'Allow Realtime Monitoring', offName: 'Not allowed', dlp: true },
  { setting: `${AV}allowbehaviormonitoring`, off: `${AV}allowbehaviormonitoring_0`, on: `${AV}allowbehaviormonitoring_1`, label: 'Microsoft Defender Antivirus behavior monitoring', settingName: 'Allow Behavior Monitoring', offName: 'Not allowed', dlp: true },
  ...(['domain', 'private', 'public'] as const).map((network) => ({
    setting: `${FIREWALL}${network}profile_enablefirewall`,
    off: `${FIREWALL}${network}profile_enablefirewall_false`,
    on: `${FIREWALL}${network}profile_enablefirewall_true`,
    label: `Windows Firewall (${network} network profile)`,
    settingName: `Enable ${network[0]!.toUpperCase()}${network.slice(1)} Network Firewall`,
    offName: 'False',
    dlp: false,
  })),
];

/** Where a profile turns a Defender protection off: the choice value's path, relative to `spec`. */
export interface ProtectionOff {
  profile: PolicyFacts;
  protection: DefenderProtection;
  path: (string | number)[];
}

const PROTECTIONS_OFF = new WeakMap<PolicyFacts, ProtectionOff[]>();

/** The Defender protections a profile turns off (`DEFENDER_PROTECTIONS`), wherever in its settings they sit; kept per profile. */
export function protectionsTurnedOff(p: PolicyFacts): ProtectionOff[] {
  let known = PROTECTIONS_OFF.get(p);
  if (!known) {
    known = settingInstances(p.spec).flatMap((i) => {
      const protection = DEFENDER_PROTECTIONS.find((d) => d.setting === i.key);
      return protection ? i.choices.filter((c) => c.value.toLowerCase() === protection.off).map((c) => ({ profile: p, protection, path: c.path })) : [];
    });
    PROTECTIONS_OFF.set(p, known);
  }
  return known;
}

/**
 * A protection Endpoint DLP needs, turned off by a Windows profile, read against one Endpoint DLP policy's devices
 * (`DefenderModel.dlpProtectionsOff`): `certain`, the Off applies on devices the policy protects (`shared` says which,
 * in words: the two reach them both, and no profile sets the protection otherwise there); `none`, it applies on none of
 * them (the profile reaches none of them, or it is in conflict with a profile turning it on wherever they meet:
 * `conflicts`); `unknown`, it may (the manifest does not show whether the profile's groups and the policy's share
 * devices, the profile's file does not say whom it is assigned to, or it is in conflict on some of its devices only).
 */
export interface DlpProtectionOff extends ProtectionOff {
  dlp: PolicyFacts;
  state: 'certain' | 'none' | 'unknown';
  shared?: string;
  /** The profiles that set the protection otherwise where they meet this one (Intune applies neither value there). */
  conflicts?: PolicyFacts[];
}

/**
 * The Endpoint DLP policies whose devices the protections Endpoint DLP needs are read against: those not turned off
 * (`mode` other than `Disable`; a policy in simulation still monitors its devices), or, where every one is off, all of
 * them (the devices they will protect once on).
 */
export function dlpPoliciesToProtect(dlp: readonly PolicyFacts[]): PolicyFacts[] {
  const on = dlp.filter((d) => d.spec?.mode !== 'Disable');
  return on.length ? on : [...dlp];
}

/**
 * A file of a type no kind holds that onboards devices: the Windows template profile, a Windows custom profile writing
 * the CSP, or a macOS custom profile.
 */
export interface OtherOnboarding {
  file: FileFacts;
  platform: Platform;
  /** It carries the package itself (no connector needed). */
  withPackage: boolean;
  assigned: 'assigned' | 'nobody' | 'undeclared';
  name: string;
  /**
   * The file cannot say whether it onboards: a Windows custom profile exported without its OMA-URI settings, an EDR
   * intent exported without its settings. It is not an onboarding source, but while nothing else onboards the platform
   * the answer is unknown, not "no".
   */
  unknown?: true;
  /**
   * What an unknown file was exported without (default: its OMA-URI settings); `packageType`: an EDR profile that
   * writes its configuration package type with no value Intune offers.
   */
  without?: 'settings' | 'packageType' | 'kind';
}

/**
 * What a raw Graph document of a type no kind holds does for Defender for Endpoint onboarding, read from the document
 * alone: `yes`, it onboards the platform's devices (with the package itself, or the one it takes from the connector);
 * `unknown`, it may, but the export leaves out what would say; `no`, it onboards nothing (`why`, in words), or it is no
 * onboarding profile at all (`why` undefined). The model's `otherOnboardingOf` reads it for a tenant's files, and
 * `ztp import` for the note on a profile it keeps: one answer.
 */
export type DocumentOnboarding =
  | { onboards: 'yes'; platform: Platform; withPackage: boolean }
  | { onboards: 'unknown'; platform: Platform; withPackage: boolean; without: 'settings' | 'packageType' }
  | { onboards: 'no'; why?: string };

export function documentOnboarding(type: string, doc: Record<string, unknown>, path?: string): DocumentOnboarding {
  // The older Windows EDR profile, as a template profile or as an endpoint security intent (tenants from before April
  // 2022 keep theirs): the intent's settings are the template profile's properties, so both read alike.
  const edrIntent = type === 'deviceManagementIntent' && isEdrIntent(doc, path);
  if (type === 'windowsDefenderAdvancedThreatProtectionConfiguration' || edrIntent) {
    const byType = edrIntent ? intentProperties(doc) : undefined;
    // An intent exported without its settings may onboard (its configuration package type is one of them).
    if (edrIntent && !byType) return { onboards: 'unknown', platform: 'windows', withPackage: false, without: 'settings' };
    const props = edrIntent ? (byType!.get(EDR_INTENT_PROFILE_TYPE) ?? {}) : doc;
    if (typeof props.advancedThreatProtectionOffboardingBlob === 'string' && props.advancedThreatProtectionOffboardingBlob.trim()) {
      return { onboards: 'no', why: 'it carries an offboarding package (`advancedThreatProtectionOffboardingBlob`), which removes devices from Defender for Endpoint' };
    }
    const withPackage = typeof props.advancedThreatProtectionOnboardingBlob === 'string' && props.advancedThreatProtectionOnboardingBlob.trim() !== '';
    if (!withPackage && props.advancedThreatProtectionAutoPopulateOnboardingBlob !== true) {
      return { onboards: 'no', why: 'its onboarding package (`advancedThreatProtectionOnboardingBlob`) is empty and it does not take the connector\'s (`advancedThreatProtectionAutoPopulateOnboardingBlob` is not `true`)' };
    }
    return { onboards: 'yes', platform: 'windows', withPackage };
  }
  if (type === 'windows10CustomConfiguration') {
    // The CSP written by hand: the Onboarding node takes the package itself. A custom profile carries anything, so
    // only one that sets the node is read as onboarding; one exported without its OMA settings may be one.
    const onboards = windowsOmaOnboards(doc);
    if (onboards === false) return { onboards: 'no' };
    return onboards === undefined ? { onboards: 'unknown', platform: 'windows', withPackage: true, without: 'settings' } : { onboards: 'yes', platform: 'windows', withPackage: true };
  }
  if (type === 'macOSCustomConfiguration' && isOnboardingEvidence(type, doc)) return { onboards: 'yes', platform: 'macOS', withPackage: true };
  return { onboards: 'no' };
}

/** The onboarding a raw Graph export of a type no kind holds does, if any. */
export function otherOnboardingOf(file: FileFacts): OtherOnboarding | undefined {
  if (file.type === 'policy' && file.kind !== undefined) return misfiledOnboarding(file);
  if (file.type === 'manifest') return undefined;
  // A CIPP template holds the Graph body as a string: its onboarding counts as the body's would.
  const wrapped = unwrapExport(file.value);
  const doc = wrapped ? wrapped.value : asObject(file.value);
  const type = foreignGraphTypeOf(doc);
  if (!doc || !type) return undefined;
  const name = typeof doc.displayName === 'string' && doc.displayName ? doc.displayName : basename(file.path);
  const answer = documentOnboarding(type, doc, file.path);
  if (answer.onboards === 'no') return undefined;
  const base = { file, platform: answer.platform, withPackage: answer.withPackage, assigned: foreignAssignment(doc), name };
  if (answer.onboards === 'yes') return base;
  // The custom profile's unknown is its OMA-URI settings, the default `without`.
  return answer.without === 'settings' && type === 'windows10CustomConfiguration' ? { ...base, unknown: true } : { ...base, unknown: true, without: answer.without };
}

export interface Onboarding {
  platform: Platform;
  onboarded: boolean;
  /** The EDR profiles for the platform that may onboard devices (not assigned to nobody, not offboarding). */
  profiles: PolicyFacts[];
  /** Files of types no kind holds that onboard the platform and may reach devices (see `OtherOnboarding`). */
  others: OtherOnboarding[];
  /** The connectors that switch the platform on. */
  connectors: PolicyFacts[];
  /** What is missing, when not onboarded ("no EDR onboarding profile", "no connection to Defender for Endpoint to take the onboarding package from (…)"). */
  gaps: string[];
  /**
   * Not onboarded as far as the files show, but a file that may onboard cannot say (see `OtherOnboarding.unknown`):
   * then `gaps` is empty, and nothing should be reported as missing.
   */
  unknown?: OtherOnboarding[];
  /**
   * Why onboarding is unknown, set whenever it is (then `onboarded` is false and `gaps` empty, and nothing should be
   * reported as missing): a file that may onboard cannot say (`unknown`); the EDR profile takes the package from a
   * connection the connector shows set up, with only the compliance toggle (`windowsEnabled`) off (`fromConnection`);
   * or Configuration Manager holds the Endpoint Protection workload, which delivers onboarding to co-managed devices
   * (`configMgr`). The layer lines give this reason.
   */
  unknownWhy?: string;
  /** The Intune files take the package from the connector, which shows the connection set up (see `unknownWhy`). */
  fromConnection?: PolicyFacts;
  /**
   * The Intune files take the package from the connector, whose files write no `partnerState`, with the platform's
   * compliance toggle not on: whether the connection is set up is undeclared, so onboarding is unknown (see
   * `unknownWhy`), not missing. `dlp-requires-defender-onboarding` asks for the state.
   */
  connectionUnstated?: PolicyFacts[];
  /** Configuration Manager may onboard the co-managed devices (see `unknownWhy`). */
  configMgr?: OnboardingWorkload;
  /**
   * The Intune files take the package from the connector, no readable connector shows the connection, and these files
   * not analysed may hold the connector that does (see `unknownWhy`; the layer lines' `hiding`).
   */
  connectorHiding?: readonly string[];
  /**
   * Security settings management onboards the devices it manages, and no readable file shows Intune enrolls others of
   * the platform, but these files not analysed may (the tenant model's `intuneEnrollment` unknown): whether enrolled
   * devices, which would still need an onboarding profile, exist is unknown (see `unknownWhy`; the layer lines' `hiding`).
   */
  enrollmentHiding?: readonly string[];
  /**
   * The manifest declares the platform's devices onboarded outside Intune (`settings.defenderOnboarding`: Group Policy,
   * Configuration Manager, a script, Purview device onboarding), which no file of the tenant can show: then
   * `onboarded`, with no gaps, whatever the files hold. `profiles`, `others` and `connectors` still name what the files
   * show (a tenant may onboard some devices by Intune too).
   */
  declared?: 'outsideIntune';
  /**
   * Defender for Endpoint security settings management is in use for the platform (see `SecuritySettingsManagement`):
   * its devices were onboarded outside Intune, so the platform is `onboarded`, with no gaps, as for a declaration
   * (which it implies: nothing to declare). `profiles`, `others` and `connectors` still name what the files show.
   */
  securitySettingsManagement?: SecuritySettingsManagement;
}

/**
 * Whether an Endpoint DLP policy's devices are onboarded to Defender for Endpoint on one platform
 * (`DefenderModel.dlpOnboarding`). Endpoint DLP protects only onboarded devices ("Before you can include endpoint
 * devices in DLP policies, you need to onboard them": https://learn.microsoft.com/purview/endpoint-dlp-getting-started,
 * https://learn.microsoft.com/purview/device-onboarding-overview).
 * - `yes`: the manifest declares the platform onboarded outside Intune (`settings.defenderOnboarding`), security
 *   settings management shows it, or the onboarding files certainly reach every device the policy takes in (both all
 *   devices; the same group, or one holding it);
 * - `no`: nothing onboards the platform (`Onboarding.gaps`);
 * - `partly`: onboarding files exist, but certainly leave some of the policy's devices out (`left`): an onboarding
 *   profile for a pilot group beside a policy for all devices, or one excluding a group the policy takes in; or
 *   nothing onboards the platform while another is onboarded, the manifest declares it in use and the policy takes in
 *   all devices with no exclusion (`noneOnboarded`: none of its devices of the platform is protected);
 * - `unknown`: the platform's onboarding is unknown (`Onboarding.unknownWhy`), or the files do not show whether the
 *   onboarding reaches the policy's devices (groups the manifest does not describe, a file that does not say whom it
 *   is assigned to, an assignment filter): never read as "no".
 */
export interface DlpPlatformOnboarding {
  platform: Platform;
  state: 'yes' | 'no' | 'partly' | 'unknown';
  onboarding: Onboarding;
  /** The files that onboard the platform, each with whom it is assigned to in words (set where the files decide). */
  sources?: { file: FileFacts; name: string; assigned: string }[];
  /** `partly`: the policy's devices the onboarding leaves out, in words (`Coverage`'s `left`). */
  left?: string;
  /**
   * `partly` because nothing onboards the platform at all (`onboarding.gaps` say why) while another platform is
   * onboarded, and the policy certainly takes in the platform's devices (all devices, nothing excluded, no filter)
   * in a tenant whose manifest declares the platform in use: the policy protects none of them. No `sources`.
   */
  noneOnboarded?: true;
}

/**
 * An Endpoint DLP policy's devices against the onboarding, per platform, and in one word (`DefenderModel.dlpOnboarding`):
 * `no` where no platform's devices are onboarded at all (`dlp-requires-defender-onboarding`'s error, as before); else
 * `partly` where, on a platform weighed, the onboarding certainly leaves some of the policy's devices out; `unknown`
 * where on one it may; `yes` otherwise. A weighed platform with no onboarding at all beside one that is onboarded is
 * `partly` too where the manifest declares it in use and the policy certainly takes in its devices (all devices, with
 * no exclusion: a group may hold none of them), `noneOnboarded`: the policy protects none of them; else `no` for that
 * platform, which does not hold the policy's word back (the platform's own line and layer 6's onboarding rule say it).
 */
export interface DlpOnboarding {
  dlp: PolicyFacts;
  state: 'yes' | 'no' | 'partly' | 'unknown';
  platforms: DlpPlatformOnboarding[];
}

/** The platforms Endpoint DLP runs on. */
export const DLP_ONBOARDING_PLATFORMS: readonly Platform[] = ['windows', 'macOS'];

/**
 * A macOS custom profile carrying the onboarding payload, written under `kind: ConfigurationProfile` (its `spec` a
 * `macOSCustomConfiguration`): the kind does not hold a custom profile (the file's schema error says to keep it as its
 * raw Graph export), so the file is not read as onboarding; but its body shows it may be the Macs' onboarding
 * profile, so it is no proof that nothing onboards them either. Unknown (`without: 'kind'`), never `yes`: the one
 * answer the rules and the layer lines read.
 */
function misfiledOnboarding(file: PolicyFacts): OtherOnboarding | undefined {
  if (file.kind !== 'ConfigurationProfile' || file.raw) return undefined;
  // The file's own `spec` as written: the model's `spec` holds only what the kind reads (a settings catalog body).
  const spec = asObject(asObject(file.value)?.spec);
  if (!spec || foreignGraphTypeOf(spec) !== 'macOSCustomConfiguration' || !isOnboardingEvidence('macOSCustomConfiguration', spec)) return undefined;
  return { file, platform: 'macOS', withPackage: true, assigned: assignmentDeclaration(file), name: file.name ?? basename(file.path), unknown: true, without: 'kind' };
}

/**
 * Whether Intune enrolls a platform's devices (the tenant model's `intuneEnrollment`), with the files not analysed that
 * leave it unknown by their paths and by the names a message gives them.
 */
export type EnrollmentReading = (platform: Platform) => { state: 'yes' | 'no' } | { state: 'unknown'; paths: readonly string[]; names: readonly string[]; mayHold: readonly EnrollmentEvidenceKind[] };

export class DefenderModel {
  readonly connectors: PolicyFacts[];
  readonly edrProfiles: PolicyFacts[];
  /** Raw exports of types no kind holds that onboard devices (Windows template profiles and EDR intents, macOS custom profiles). */
  readonly otherOnboarding: OtherOnboarding[];
  /** Raw exports that may onboard devices but cannot say (see `OtherOnboarding.unknown`). */
  readonly mayOnboard: OtherOnboarding[];

  /** What the manifest declares of each platform's onboarding (`settings.defenderOnboarding`). */
  private readonly declared: DeclaredFacts['defenderOnboarding'];
  /** The settings catalog profiles (endpoint security ones included), for security settings management. */
  private readonly catalogProfiles: PolicyFacts[];

  /**
   * Whether the files show Intune enrolls the platform's devices (the tenant model's `intuneEnrollment`): security
   * settings management onboards only the devices it manages, so beside enrolled devices it says nothing of theirs.
   */
  private readonly intuneEnrollment: EnrollmentReading;

  /** Where Configuration Manager holds the Endpoint Protection workload (`OnboardingWorkload`), read from the tenant model. */
  private readonly configMgrOnboarding: (platform: Platform) => OnboardingWorkload | undefined;

  /** Whom a profile reaches, and the settings' conflicts (`ProfileReading`), read from the tenant model. */
  private readonly reading: ProfileReading;

  constructor(
    policies: PolicyFacts[],
    others: readonly FileFacts[] = [],
    declared: DeclaredFacts['defenderOnboarding'] = {},
    intuneEnrollment: EnrollmentReading = () => ({ state: 'no' }),
    configMgrOnboarding: (platform: Platform) => OnboardingWorkload | undefined = () => undefined,
    reading: ProfileReading = { reach: assignmentDeclaration },
  ) {
    this.reading = reading;
    this.declared = declared;
    this.intuneEnrollment = intuneEnrollment;
    this.configMgrOnboarding = configMgrOnboarding;
    this.connectors = policies.filter((p) => p.kind === 'DefenderConnector');
    this.edrProfiles = policies.filter(isEdrProfile);
    this.catalogProfiles = policies.filter((p) => p.kind === 'ConfigurationProfile' && p.spec);
    const all = [...policies, ...others].flatMap((f) => otherOnboardingOf(f) ?? []);
    this.otherOnboarding = all.filter((o) => !o.unknown);
    this.mayOnboard = all.filter((o) => o.unknown);
  }

  private partners: Map<PolicyFacts, ConnectorPartner> | undefined;

  /** Whose connector a connector file is (see `ConnectorPartner`), read once per tenant. */
  partnerOf(connector: PolicyFacts): ConnectorPartner {
    return (this.partners ??= connectorPartners(this.connectors)).get(connector) ?? partnerById(connector) ?? 'unknown';
  }

  /** The connector files that are, or may be (no `id`), Defender for Endpoint's: not another partner's. */
  get defenderConnectors(): PolicyFacts[] {
    return this.connectors.filter((c) => this.partnerOf(c) !== 'partner');
  }

  /**
   * The connectors that have a toggle switched on (`true`, not just present). With `defenderOnly`, only those that are
   * or may be Defender for Endpoint's: what a Defender-only level (`isDefenderOnlyLevel`) and onboarding from the
   * connector need; any partner's meets a generic threat level.
   */
  connectorsEnabling(toggle: string, defenderOnly = false): PolicyFacts[] {
    return this.connectors.filter((c) => c.spec?.[toggle] === true && (!defenderOnly || this.partnerOf(c) !== 'partner'));
  }

  /**
   * Other Mobile Threat Defense partners' connectors that switch a toggle on: they send the platform's risk, which meets
   * a generic threat level, but not Defender for Endpoint's own risk score.
   */
  partnersEnabling(toggle: string): PolicyFacts[] {
    return this.connectorsEnabling(toggle).filter((c) => this.partnerOf(c) === 'partner');
  }

  /**
   * The connector file that switching on one of Defender's toggles should edit: the one with Defender for Endpoint's
   * id (`known`), else one with no id, which may be Defender's or a partner's (not `known`: a fix must not edit it
   * unattended), else none (another partner's connector is never Defender's).
   */
  defenderConnectorToEdit(): { connector: PolicyFacts; known: boolean } | undefined {
    const known = this.connectors.find((c) => this.partnerOf(c) === 'defender');
    if (known) return { connector: known, known: true };
    const maybe = this.connectors.find((c) => this.partnerOf(c) === 'unknown');
    return maybe ? { connector: maybe, known: false } : undefined;
  }

  /**
   * Where the platform's settings catalog profiles that may reach devices (not assigned to nobody) turn a Defender
   * protection off (`protectionsTurnedOff`): Windows only. The one answer `defender-protection-off` and layer 7's line
   * (Endpoint DLP needs real-time protection and behavior monitoring) read.
   */
  protectionsOffFor(platform: Platform): ProtectionOff[] {
    if (platform !== 'windows') return [];
    return this.catalogProfiles.filter((p) => p.platforms.includes(platform) && this.reading.reach(p) !== 'nobody').flatMap(protectionsTurnedOff);
  }

  /**
   * Whether the Windows profiles that turn off a protection Endpoint DLP needs (real-time protection, behavior
   * monitoring: `DefenderProtection.dlp`) do so on the devices an Endpoint DLP policy protects (`DlpProtectionOff`), one
   * entry per such value. The one answer `defender-protection-off`'s note and layer 7's line read: a profile for other
   * devices than the policy's does not leave the policy's devices unprotected. Source:
   * https://learn.microsoft.com/purview/device-onboarding-overview (real-time protection and behavior monitoring on the
   * onboarded devices), https://learn.microsoft.com/purview/endpoint-dlp-getting-started.
   */
  dlpProtectionsOff(dlp: PolicyFacts): DlpProtectionOff[] {
    return this.protectionsOffFor('windows')
      .filter((x) => x.protection.dlp)
      .map((off) => ({ ...off, dlp, ...this.offOnDlpDevices(off, dlp) }));
  }

  private offOnDlpDevices(off: ProtectionOff, dlp: PolicyFacts): Pick<DlpProtectionOff, 'state' | 'shared' | 'conflicts'> {
    const profile = off.profile;
    const o = this.reading.overlap?.(profile, dlp) ?? { state: 'unknown' as const };
    if (o.state === 'none') return { state: 'none' };
    const outcome = this.reading.settingValues?.().outcome(profile, off.protection.setting);
    const others = (conflicts: readonly SettingConflict[]): PolicyFacts[] => [...new Set(conflicts.map((c) => (c.a.profile === profile ? c.b.profile : c.a.profile)))];
    // Another profile sets it otherwise (on) on every device this one reaches: Intune applies neither value, so the
    // protection keeps its default (on) there, the policy's devices among them.
    if (outcome?.state === 'conflict') return { state: 'none', conflicts: others(outcome.conflicts) };
    if (outcome?.state === 'partly') {
      // In conflict on some of its devices: on every one of the policy's where a conflicting profile reaches all of them
      // (then neither value applies there); otherwise the Off may apply on some of the policy's devices, or may not.
      const conflicts = others(outcome.conflicts);
      if (conflicts.some((c) => this.reading.reachesAllOf?.(c, dlp))) return { state: 'none', conflicts };
      return { state: 'unknown', conflicts };
    }
    // A profile that may set it otherwise on the same devices (overlap unknown) is not a conflict: the Off is read as
    // applying, as `setting-conflict` and the rule read it. But one that turns it on for every device the policy
    // protects leaves each of them on whatever the overlap: where the Off reaches one too, Intune applies neither value
    // and the default (on) stays.
    const covering = outcome?.state === 'applies' ? outcome.mayConflict.filter((c) => this.reading.reachesAllOf?.(c, dlp)) : [];
    if (covering.length) return { state: 'none', conflicts: covering };
    return o.state === 'certain' ? { state: 'certain', shared: o.shared } : { state: 'unknown' };
  }

  /**
   * Whether an Endpoint DLP policy's devices are onboarded (`DlpOnboarding`), weighing the platforms `weighed` (those
   * in use; both where none is known): the one answer `dlp-requires-defender-onboarding` and layer 7's onboarding
   * lines read. The policy's devices location is read as an assignment (`targets`), and compared with the onboarding
   * files' assignments by `setting-values.ts`' `coverage`.
   */
  dlpOnboarding(dlp: PolicyFacts, weighed: readonly Platform[] = DLP_ONBOARDING_PLATFORMS): DlpOnboarding {
    const each = DLP_ONBOARDING_PLATFORMS.map((p) => this.dlpOnboardingOn(dlp, p));
    if (each.every((x) => x.state === 'no')) return { dlp, state: 'no', platforms: each };
    // A platform in use with no onboarding at all, beside one that is onboarded, in a policy that certainly takes in
    // its devices: the policy protects none of them (Endpoint DLP protects onboarded devices only).
    const platforms = each.map((x): DlpPlatformOnboarding => (x.state === 'no' && each.some((y) => y !== x && y.onboarding.onboarded) && this.reading.platformDeclared?.(x.platform) === true && this.takesInEveryDevice(dlp) ? { ...x, state: 'partly', noneOnboarded: true } : x));
    const read = platforms.filter((x) => weighed.includes(x.platform));
    const state = read.some((x) => x.state === 'partly') ? 'partly' : read.some((x) => x.state === 'unknown') ? 'unknown' : 'yes';
    return { dlp, state, platforms };
  }

  /**
   * Whether an Endpoint DLP policy's devices location certainly takes in every device of each platform: all devices,
   * with no group excluded (an excluded group may hold every Mac) and no filter.
   */
  private takesInEveryDevice(dlp: PolicyFacts): boolean {
    const t = this.reading.targetsOf?.(dlp);
    return t !== undefined && t.allDevices === true && t.exclude.length === 0 && t.filtered !== true;
  }

  private dlpOnboardingOn(dlp: PolicyFacts, platform: Platform): DlpPlatformOnboarding {
    const onboarding = this.onboarding(platform);
    if (onboarding.unknownWhy) return { platform, state: 'unknown', onboarding };
    if (!onboarding.onboarded) return { platform, state: onboarding.gaps.length ? 'no' : 'unknown', onboarding };
    if (onboarding.declared || onboarding.securitySettingsManagement) return { platform, state: 'yes', onboarding };
    const files: { file: FileFacts; name: string }[] = [...onboarding.profiles.map((p) => ({ file: p as FileFacts, name: p.name ?? p.path })), ...onboarding.others.map((o) => ({ file: o.file, name: o.name }))];
    const target = this.reading.targetsOf?.(dlp);
    if (!target || !this.reading.coverage || !this.reading.targetsOf) return { platform, state: 'unknown', onboarding };
    const read = files.map((f) => ({ ...f, targets: this.reading.targetsOf!(f.file) }));
    const known = read.filter((f): f is typeof f & { targets: Targets } => f.targets !== undefined);
    const sources = known.map((f) => ({ file: f.file, name: f.name, assigned: targetsInWords(f.targets) }));
    const c = this.reading.coverage(known.map((f) => f.targets), target);
    if (c.state === 'all') return { platform, state: 'yes', onboarding, sources };
    // A file that does not say whom it is assigned to may reach the devices the others leave out.
    if (c.state === 'unknown' || known.length < read.length) return { platform, state: 'unknown', onboarding, sources };
    return { platform, state: 'partly', onboarding, sources, left: c.left };
  }

  profilesFor(platform: Platform): PolicyFacts[] {
    return this.edrProfiles.filter((p) => p.platforms.includes(platform));
  }

  /**
   * The EDR profiles of a platform that may onboard devices: all but those whose file declares them assigned to
   * nobody (unknown assignments may reach devices) and those that offboard. Only Windows EDR profiles onboard: the
   * macOS one sets device tags.
   */
  onboardingProfilesFor(platform: Platform): PolicyFacts[] {
    if (platform !== 'windows') return [];
    return this.profilesFor(platform).filter((p) => this.reading.reach(p) !== 'nobody' && ONBOARDING_TYPES.has(edrConfigurationType(p)) && !this.inConflict(p));
  }

  /**
   * The conflicts that keep an EDR profile's configuration type (onboard, from the connector) from every device it
   * reaches: another assigned profile that reaches all of them sets it to another value (offboard), and Intune applies
   * neither (`SettingValues.outcome`). Undefined when its value applies somewhere, or may.
   */
  inConflict(p: PolicyFacts): readonly SettingConflict[] | undefined {
    const values = this.reading.settingValues?.();
    if (!values) return undefined;
    const o = values.outcome(p, EDR_CONFIGURATION_TYPE);
    return o.state === 'conflict' ? o.conflicts : undefined;
  }

  /**
   * The EDR profiles of a platform that would onboard devices, but whose exclusions take out every group they include
   * (`assignmentReach`): they reach no device, as one assigned to nobody.
   */
  excludedEntirely(platform: Platform): PolicyFacts[] {
    if (platform !== 'windows') return [];
    return this.profilesFor(platform).filter((p) => !offboards(p) && edrConfigurationType(p) !== 'notConfigured' && assignmentDeclaration(p) === 'assigned' && this.reading.reach(p) === 'nobody');
  }

  /**
   * The platform's EDR profiles that would onboard devices (or may: exported without their settings) but whose file
   * declares them assigned to nobody: assigning one is the fix, not adding another.
   */
  idleOnboardingProfilesFor(platform: Platform): PolicyFacts[] {
    if (platform !== 'windows') return [];
    return this.profilesFor(platform).filter((p) => assignmentDeclaration(p) === 'nobody' && edrConfigurationType(p) !== 'offboard' && edrConfigurationType(p) !== 'notConfigured');
  }

  /**
   * The platform's EDR profiles that may reach devices but set no client configuration package type ("Not configured",
   * the default: `EdrConfigurationType`), so they onboard nothing: setting the type in one is the fix.
   */
  unconfiguredProfilesFor(platform: Platform): PolicyFacts[] {
    if (platform !== 'windows') return [];
    return this.profilesFor(platform).filter((p) => this.reading.reach(p) !== 'nobody' && edrConfigurationType(p) === 'notConfigured');
  }

  /**
   * The platform's EDR profiles whose file cannot say whether they onboard (exported without their settings, or the
   * package type written without a value), read as the other files that cannot say (`mayOnboard`).
   */
  private unknownProfilesFor(platform: Platform): OtherOnboarding[] {
    if (platform !== 'windows') return [];
    return this.profilesFor(platform)
      .filter((p) => this.reading.reach(p) !== 'nobody' && edrConfigurationType(p) === 'unknown')
      .map((p) => ({ file: p, platform, withPackage: false, assigned: assignmentDeclaration(p), name: p.name ?? p.path, unknown: true as const, ...(settingsNotExported(p) ? { without: 'settings' as const } : { without: 'packageType' as const }) }));
  }

  /**
   * Whether anything may onboard the platform's devices: a profile in the files (with or without a connector),
   * onboarding the manifest declares outside Intune, or security settings management, whose devices are onboarded.
   */
  hasOnboardingSource(platform: Platform): boolean {
    const o = this.onboarding(platform);
    return o.declared !== undefined || o.securitySettingsManagement !== undefined || o.profiles.length > 0 || o.others.length > 0 || o.unknownWhy !== undefined;
  }

  private ssm = new Map<Platform, SecuritySettingsManagement | undefined>();

  /**
   * Whether Defender for Endpoint security settings management is in use for the platform (see
   * `SecuritySettingsManagement`), undefined when not, or not as far as the files show. The one answer the onboarding
   * answer, the configuration rules ("does the tenant manage the platform's devices with Intune") and the layer lines read.
   */
  securitySettingsManagement(platform: Platform): SecuritySettingsManagement | undefined {
    if (this.ssm.has(platform)) return this.ssm.get(platform);
    const profiles = this.catalogProfiles.filter((p) => p.platforms.includes(platform) && reachesSecuritySettingsManagement(p) && this.reading.reach(p) !== 'nobody');
    const connectors = this.connectorsEnabling(ATTACH_TOGGLE, true);
    // Switched off on Defender's own connector: Intune lets Defender enforce nothing, whatever the profiles say.
    const off = this.connectors.some((c) => this.partnerOf(c) === 'defender' && c.spec?.[ATTACH_TOGGLE] === false);
    const inUse = profiles.length > 0 && (connectors.length > 0 || (!off && profiles.some(onlySecuritySettingsManagement)));
    const answer = inUse ? { platform, connectors, profiles } : undefined;
    this.ssm.set(platform, answer);
    return answer;
  }

  /**
   * Whether the platform's devices are onboarded to Defender for Endpoint: by what the files show (an EDR profile, with
   * the connector unless it carries the package; the older profiles; a custom profile carrying the package), or, where
   * the manifest declares it (`settings.defenderOnboarding.<platform>: outsideIntune`), or security settings management
   * shows it (`securitySettingsManagement`), outside Intune. The one answer the onboarding, DLP and baseline rules, the
   * layer lines and the report read.
   */
  onboarding(platform: Platform): Onboarding {
    const found = this.onboardingInFiles(platform);
    const declared = this.declared[platform as keyof DeclaredFacts['defenderOnboarding']] === 'outsideIntune';
    // Security settings management onboards the devices it manages (Learn: onboarding is its prerequisite), which are
    // the platform's devices only where Intune enrolls none: beside enrolled devices (the attach switch is on in many
    // enrolled tenants), those still need an onboarding profile, and the files say whether they have one.
    const managed = this.securitySettingsManagement(platform);
    const enrollment = managed ? this.intuneEnrollment(platform) : undefined;
    const ssm = managed && enrollment?.state === 'no' ? managed : undefined;
    if (!declared && !ssm) {
      // Where no readable file shows Intune enrolls the platform's devices but a file not analysed may, whether enrolled
      // devices are left without onboarding is unknown, not "none are enrolled" (a file that cannot be read is not
      // missing): the devices security settings management manages are onboarded, and the others may not exist.
      if (managed && enrollment?.state === 'unknown' && !found.onboarded && found.unknownWhy === undefined) {
        const why = `security settings management onboards the ${PLATFORM_NAME[platform] ?? platform} devices it manages (${managed.profiles.map((p) => `\`${p.name ?? p.path}\``).join(', ')}), and no readable file shows Intune enrolls ${PLATFORM_NAME[platform] ?? platform} devices, but ${notAnalysedText(enrollment.names, enrollmentEvidenceText(platform, enrollment.mayHold), 3)}: Intune-enrolled ${PLATFORM_NAME[platform] ?? platform} devices would still need onboarding (${found.gaps.join(' and ')})`;
        return { platform, onboarded: false, profiles: found.profiles, others: found.others, connectors: found.connectors, gaps: [], enrollmentHiding: enrollment.paths, unknownWhy: why };
      }
      return found;
    }
    // Declared, or shown by security settings management: nothing is missing, and no file left unknown matters.
    return {
      platform,
      onboarded: true,
      profiles: found.profiles,
      others: found.others,
      connectors: found.connectors,
      gaps: [],
      ...(declared ? { declared: 'outsideIntune' as const } : {}),
      ...(ssm ? { securitySettingsManagement: ssm } : {}),
    };
  }

  private onboardingInFiles(platform: Platform): Onboarding {
    const profiles = this.onboardingProfilesFor(platform);
    const others = this.otherOnboarding.filter((o) => o.platform === platform && o.assigned !== 'nobody');
    const toggle = COMPLIANCE_TOGGLES[platform];
    // Onboarding takes the package from Defender's own connector: another partner's switched on for the platform
    // onboards nothing.
    const connectors = toggle ? this.connectorsEnabling(toggle, true) : [];
    const gaps: string[] = [];
    if (platform === 'macOS') {
      const idle = this.otherOnboarding.filter((o) => o.platform === platform && o.assigned === 'nobody');
      if (!others.length) {
        gaps.push(
          idle.length
            ? `its onboarding profile assigned to no device (${idle.map((o) => `\`${o.name}\``).join(', ')}: assign it to the Macs)`
            : 'no custom configuration profile carrying the onboarding package (Intune has no automatic onboarding for macOS, and the macOS EDR profile sets device tags only)',
        );
      }
      // A file that may be the onboarding profile but cannot be read as one (a custom profile under a kind that does
      // not hold it): nothing is known to be missing.
      const unknown = this.mayOnboard.filter((o) => o.platform === platform && o.assigned !== 'nobody');
      if (gaps.length && unknown.length) return { platform, onboarded: false, profiles, others, connectors, gaps: [], unknown, unknownWhy: unknownOnboarding(unknown) };
      return { platform, onboarded: gaps.length === 0, profiles, others, connectors, gaps };
    }
    const selfContained = profiles.some(onboardsWithPackage) || others.some((o) => o.withPackage);
    // The catalogue counts a profile taking its package from the connector as onboarding with the platform's toggle on
    // (`windowsEnabled: true`, which shows the connection in use). That toggle only sends device risk to compliance
    // evaluation: with it off and the connector showing the connection set up (`partnerState: enabled`, `available` or
    // `unresponsive`), the files
    // cannot say whether the devices are onboarded (unknown, not missing).
    let fromConnection: PolicyFacts | undefined;
    let connectionUnstated: PolicyFacts[] | undefined;
    let connectorHiding: readonly string[] | undefined;
    if (!selfContained) {
      const edr = this.profilesFor(platform);
      if (!profiles.length && !others.length) {
        const conflicted = edr.filter((p) => !offboards(p) && this.reading.reach(p) !== 'nobody' && this.inConflict(p));
        const excluded = this.excludedEntirely(platform);
        const unconfigured = this.unconfiguredProfilesFor(platform);
        const label = (p: PolicyFacts): string => `\`${p.name ?? p.path}\``;
        if (conflicted.length) {
          // Intune applies neither value of a setting two profiles set differently for the same devices
          // (https://learn.microsoft.com/intune/intune-service/configuration/device-profile-troubleshoot#what-happens-when-profiles-conflict).
          const against = [...new Set(conflicted.flatMap((p) => this.inConflict(p)!.map((c) => (c.a.profile === p ? c.b.profile : c.a.profile))))];
          gaps.push(
            `no EDR onboarding profile that applies (${conflicted.map(label).join(', ')} ${conflicted.length > 1 ? 'conflict' : 'conflicts'} with ${against.map(label).join(', ')}, which ${against.length > 1 ? 'set' : 'sets'} \`${EDR_CONFIGURATION_TYPE}\` to another value for every device ${conflicted.length > 1 ? 'they reach' : 'it reaches'}: Intune reports the conflict and applies neither)`,
          );
        } else if (excluded.length) {
          gaps.push(`no EDR onboarding profile that reaches a device (${excluded.map(label).join(', ')}: the groups ${excluded.length > 1 ? 'they exclude' : 'it excludes'} hold every group ${excluded.length > 1 ? 'they include' : 'it includes'}, and an exclusion wins over an inclusion)`);
        } else if (unconfigured.length) {
          gaps.push(`no EDR profile that onboards (${unconfigured.map(label).join(', ')} ${unconfigured.length > 1 ? 'set' : 'sets'} no "Microsoft Defender for Endpoint client configuration package type", and Not configured, its default, onboards nothing: set \`${EDR_CONFIGURATION_TYPE}\` to Auto from connector, \`${FROM_CONNECTOR_CHOICE}\`)`);
        } else {
          gaps.push(this.idleOnboardingProfilesFor(platform).length ? 'no EDR onboarding profile assigned to any device' : edr.some(offboards) ? 'no EDR onboarding profile (only one that offboards)' : 'no EDR onboarding profile');
        }
      }
      if (!connectors.length) {
        const own = this.defenderConnectors;
        const up = own.find(connectionUp);
        fromConnection = profiles.length || others.length ? up : undefined;
        // A profile takes the package from the connector, whose file writes no `partnerState`: the connection's state
        // is undeclared, so whether it is set up is unknown, not missing (the compliance toggle, off, is not the
        // connection; and Intune offers "Auto from connector" only once the connection is set up).
        if (!up && (profiles.length || others.length) && own.length && own.every((c) => typeof c.spec?.partnerState !== 'string')) connectionUnstated = own;
        // With no profile, a connection the connector shows set up is not what is missing: the profile alone is, and
        // the gap says the connection is there (its compliance toggle, off, sends no device risk; it onboards nothing).
        // A file not analysed may hold the connector that shows the connection: unknown, not missing (a file that cannot
        // be read is not missing). Without a profile to take the package, the profile is what is missing, whatever it holds.
        const hidden = !up ? (this.reading.connectorHiding?.() ?? []) : [];
        if (up && toggle && !profiles.length && !others.length) gaps[gaps.length - 1] += `, ${connectionUpNote(up, toggle, platform)}`;
        else if (hidden.length) {
          if (profiles.length || others.length) connectorHiding = hidden;
        } else if (!fromConnection && !connectionUnstated) gaps.push(toggle ? this.connectionGap(own, toggle) : 'no Defender connector for the platform');
      }
    }
    // A custom profile exported without its OMA settings may carry the package: nothing is known to be missing.
    const unknown = [...this.mayOnboard.filter((o) => o.platform === platform && o.assigned !== 'nobody'), ...this.unknownProfilesFor(platform)];
    if (gaps.length && unknown.length) return { platform, onboarded: false, profiles, others, connectors, gaps: [], unknown, unknownWhy: unknownOnboarding(unknown) };
    // Configuration Manager holds the Endpoint Protection workload, which delivers Defender for Endpoint onboarding to the
    // co-managed devices (https://learn.microsoft.com/intune/configmgr/comanage/workloads#endpoint-protection): what
    // the Intune files lack may be done there, which they cannot show.
    const configMgr = gaps.length || fromConnection || connectionUnstated ? this.configMgrOnboarding(platform) : undefined;
    if (configMgr) {
      const by =
        configMgr.state === 'configurationManager'
          ? `Configuration Manager holds the Endpoint Protection workload (\`settings.coManagement.${configMgr.slider}: configurationManager\`) and may onboard the co-managed ${PLATFORM_NAME[platform]} devices, which these files cannot show`
          : `Configuration Manager holds the Endpoint Protection workload outside the pilot collection (\`settings.coManagement.${configMgr.slider}: pilotIntune\`) and may onboard those co-managed ${PLATFORM_NAME[platform]} devices, which these files cannot show; Intune onboards the pilot collection's`;
      const intune = gaps.length
        ? ` (in the Intune files: ${gaps.join(' and ')})`
        : fromConnection
          ? ` (${fromConnectionWhy(profiles, others, fromConnection)})`
          : connectionUnstated && toggle
            ? ` (${connectionUnstatedWhy(profiles, others, connectionUnstated, toggle)})`
            : '';
      return { platform, onboarded: false, profiles, others, connectors, gaps: [], configMgr, ...(fromConnection ? { fromConnection } : {}), ...(!gaps.length && connectionUnstated ? { connectionUnstated } : {}), unknownWhy: `${by}${intune}` };
    }
    if (fromConnection) return { platform, onboarded: false, profiles, others, connectors, gaps: [], fromConnection, unknownWhy: fromConnectionWhy(profiles, others, fromConnection) };
    if (connectorHiding && !gaps.length) {
      const names = [...profiles.map((p) => p.name ?? p.path), ...others.map((o) => o.name)].map((n) => `\`${n}\``).join(', ');
      const files = connectorHiding.map((f) => `\`${basename(f)}\``).join(', ');
      const why = `${names} ${profiles.length + others.length > 1 ? 'take' : 'takes'} the onboarding package from the connection to Defender for Endpoint, and no readable connector shows it, but ${files} ${connectorHiding.length > 1 ? 'are' : 'is'} not analysed (a file that could not be read, or a Graph list) and may hold the Defender for Endpoint connector that does`;
      return { platform, onboarded: false, profiles, others, connectors, gaps: [], connectorHiding, unknownWhy: why };
    }
    if (connectionUnstated && toggle && !gaps.length) {
      return { platform, onboarded: false, profiles, others, connectors, gaps: [], connectionUnstated, unknownWhy: connectionUnstatedWhy(profiles, others, connectionUnstated, toggle) };
    }
    return { platform, onboarded: gaps.length === 0, profiles, others, connectors, gaps };
  }

  /**
   * What is missing when a profile takes its package from the connector and no Defender connector shows the connection
   * set up (no connector file, or `partnerState` not `enabled`/`available`/`unresponsive`, with the platform's toggle off): the
   * connection, not the toggle, which only sends device risk to compliance evaluation.
   */
  private connectionGap(own: PolicyFacts[], toggle: string): string {
    const label = (c: PolicyFacts): string => `\`${c.name ?? c.path}\``;
    const partners = this.partnersEnabling(toggle);
    const partnerNote = partners.length ? `; ${partners.map(label).join(', ')} ${partners.length > 1 ? 'are other partners\' connectors' : 'is another partner\'s connector'}` : '';
    // A connector file that writes no `partnerState` does not say the connection is missing: it does not show it, and
    // the message says what the file leaves out rather than a state it does not hold.
    if (own.length && own.every((c) => typeof c.spec?.partnerState !== 'string')) {
      const toggleOff = (c: PolicyFacts): string => (c.spec?.[toggle] === false ? `\`${toggle}\` is off` : `\`${toggle}\` is not written`);
      const said = own.map((c) => `${label(c)} writes no \`partnerState\` and its ${toggleOff(c)}`).join(', ');
      return `no connection to Defender for Endpoint shown to take the onboarding package from (${said}: add the \`partnerState\` Graph returns for the connector, \`enabled\` where the connection is set up, or switch on \`${toggle}\`${partnerNote})`;
    }
    const shown = own.length
      ? own.map((c) => (typeof c.spec?.partnerState === 'string' ? `${label(c)} has \`partnerState: ${c.spec.partnerState}\`` : `${label(c)} writes no \`partnerState\``)).join(', ')
      : 'no Defender for Endpoint connector file';
    return `no connection to Defender for Endpoint to take the onboarding package from (${shown}${partnerNote})`;
  }
}

const PLATFORM_NAME: Partial<Record<Platform, string>> = { windows: 'Windows', macOS: 'macOS' };

/** Why onboarding is unknown when files that may onboard were exported without the settings that would say. */
function unknownOnboarding(files: { name: string; without?: OtherOnboarding['without'] }[]): string {
  const reasons: string[] = [];
  const exported = files.filter((f) => f.without !== 'packageType' && f.without !== 'kind');
  if (exported.length) {
    const what = exported.every((f) => !f.without) ? 'OMA-URI settings' : 'settings';
    reasons.push(`${exported.map((f) => `\`${f.name}\``).join(', ')} exported without ${exported.length > 1 ? 'their' : 'its'} ${what}, which may onboard the devices`);
  }
  const valueless = files.filter((f) => f.without === 'packageType');
  if (valueless.length) reasons.push(`${valueless.map((f) => `\`${f.name}\``).join(', ')} ${valueless.length > 1 ? 'write' : 'writes'} the client configuration package type with no value Intune offers, so whether ${valueless.length > 1 ? 'they onboard' : 'it onboards'} the devices is unknown`);
  const misfiled = files.filter((f) => f.without === 'kind');
  if (misfiled.length) {
    reasons.push(
      `${misfiled.map((f) => `\`${f.name}\``).join(', ')} ${misfiled.length > 1 ? 'carry' : 'carries'} the macOS onboarding payload (\`com.microsoft.wdav.atp\`) but ${misfiled.length > 1 ? 'are' : 'is'} written under \`kind: ConfigurationProfile\`, which does not hold a custom profile (see ${misfiled.length > 1 ? 'their' : 'its'} schema error), so ${misfiled.length > 1 ? 'they are' : 'it is'} not read: keep ${misfiled.length > 1 ? 'them' : 'it'} as the raw Graph export, with no \`kind\`, to have ${misfiled.length > 1 ? 'them' : 'it'} read`,
    );
  }
  return reasons.join('; ');
}

/**
 * What a connector showing the connection set up, with the platform's compliance toggle not on, says beside a missing
 * onboarding profile: the connection an "Auto from connector" profile would take the package from is there, and the
 * toggle only sends the devices' risk to compliance policies.
 */
function connectionUpNote(connector: PolicyFacts, toggle: string, platform: Platform): string {
  const state = connector.spec?.[toggle] === false ? 'is off' : 'is not written';
  return `though the connection to Defender for Endpoint is set up, as \`${connector.name ?? connector.path}\`'s \`partnerState: ${String(connector.spec?.partnerState)}\` shows, so an EDR profile taking the package from the connector is all it takes; its \`${toggle}\` ${state}, so the connector does not send ${PLATFORM_NAME[platform] ?? platform} devices' risk to compliance policies`;
}

/**
 * Why onboarding is unknown when the profiles take the package from the connector and its file writes no
 * `partnerState`: the connection's state is not in the files. Intune offers "Auto from connector" only once the
 * service-to-service connection is set up (https://learn.microsoft.com/intune/intune-service/protect/endpoint-security-edr-policy),
 * and the platform's toggle is the "Compliance policy evaluation" switch, not the connection
 * (https://learn.microsoft.com/intune/intune-service/protect/advanced-threat-protection-configure).
 */
function connectionUnstatedWhy(profiles: PolicyFacts[], others: OtherOnboarding[], connectors: PolicyFacts[], toggle: string): string {
  const names = [...profiles.map((p) => p.name ?? p.path), ...others.map((o) => o.name)].map((n) => `\`${n}\``).join(', ');
  const files = connectors.map((c) => `\`${c.name ?? c.path}\``).join(', ');
  const state = connectors.every((c) => c.spec?.[toggle] === false) ? `its \`${toggle}\`, off,` : `\`${toggle}\`, not on,`;
  return `${names} ${profiles.length + others.length > 1 ? 'take' : 'takes'} the onboarding package from the connection to Defender for Endpoint, whose state ${files} ${connectors.length > 1 ? 'do' : 'does'} not write (no \`partnerState\`); ${state} is the "Compliance policy evaluation" switch that sends device risk to compliance policies, not the connection, so the files cannot show whether the devices are onboarded: add the \`partnerState\` Graph returns for the connector (\`enabled\` where the connection is set up)`;
}

/** Why onboarding from a connection the connector shows set up, with the compliance toggle off, is unknown. */
function fromConnectionWhy(profiles: PolicyFacts[], others: OtherOnboarding[], connector: PolicyFacts): string {
  const names = [...profiles.map((p) => p.name ?? p.path), ...others.map((o) => o.name)].map((n) => `\`${n}\``).join(', ');
  const c = `\`${connector.name ?? connector.path}\``;
  return `${names} ${profiles.length + others.length > 1 ? 'take' : 'takes'} the onboarding package from the connection to Defender for Endpoint, which ${c} shows set up (\`partnerState: ${String(connector.spec?.partnerState)}\`); its \`windowsEnabled\`, off, is the "Compliance policy evaluation" switch that sends device risk to compliance policies, not the connection, so the files cannot show whether the devices are onboarded`;
}

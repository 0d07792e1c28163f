/**
 * The manifest's tenant-wide facts, each in one of three states: declared one way, declared the other, or not
 * declared. A fact the manifest does not write down is unknown, never false: rules that need it stay silent on
 * policies and the manifest gets one information finding naming what to declare (`undeclared-fact`).
 */
import { isPlainObject, type JsonPath } from '../document';
import type { ManifestFacts } from '../facts';
import { isPlatform, type Platform } from '../platforms';
import { readInboundTrust, type InboundTrust } from './cross-tenant';

/** The Apple MDM push certificate, as the manifest declares it. */
export type ApplePushState =
  | { state: 'undeclared' }
  | { state: 'valid'; expires?: Date }
  | { state: 'expiring'; expires: Date; daysLeft: number }
  | { state: 'expired'; expires: Date; daysAgo: number };

/** The managed Google Play binding, as the manifest declares it. */
export type BindingState = { state: 'undeclared' } | { state: 'bound'; status: string } | { state: 'notBound'; status: string };

export interface DeclaredFacts {
  applePush: ApplePushState;
  androidBinding: BindingState;
  /** `settings.mdmAuthority`, when it is one of the schema's values (organization.mobileDeviceManagementAuthority). */
  mdmAuthority: MdmAuthority | undefined;
  /** `settings.secureByDefault`: devices with no compliance policy are noncompliant. */
  secureByDefault: boolean | undefined;
  /**
   * `settings.coManagement.complianceWorkload`: where Configuration Manager co-management puts the compliance workload
   * of co-managed Windows devices (the slider's Configuration Manager, Pilot Intune, Intune); undefined when not
   * declared (or a value the schema refuses), which is unknown: the checks read Windows compliance as Intune's.
   */
  complianceWorkload: ComplianceWorkload | undefined;
  /**
   * `settings.coManagement.endpointProtectionWorkload` and `deviceConfigurationWorkload`: where the co-management
   * Endpoint Protection and Device configuration workload sliders sit (the same three positions); undefined when not
   * declared (or a value the schema refuses), which is unknown: the configuration checks read Windows as Intune's.
   */
  endpointProtectionWorkload: ComplianceWorkload | undefined;
  deviceConfigurationWorkload: ComplianceWorkload | undefined;
  /**
   * `settings.deviceComplianceCheckinThresholdDays`, the admin center's "Compliance status validity period (days)": a
   * device that has not reported compliance for this many days becomes noncompliant (1 to 120; Intune's default is 30,
   * https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started). Undefined when not
   * declared or out of that range.
   */
  complianceValidityDays: number | undefined;
  /** The platforms in use, when the manifest lists them. */
  platforms: Platform[] | undefined;
  /** Whether the manifest has a `breakGlass` block at all. */
  breakGlassDeclared: boolean;
  /** Whether the manifest has a `licenses` list. */
  licensesDeclared: boolean;
  /**
   * `settings.defenderOnboarding`: how each platform's devices are onboarded to Defender for Endpoint, where the
   * manifest says (`DefenderOnboardingDeclaration`); a platform it does not name, or names with a value the schema
   * refuses, is undeclared and the files decide.
   */
  defenderOnboarding: Partial<Record<DefenderOnboardingPlatform, DefenderOnboardingDeclaration>>;
  /**
   * `settings.crossTenantAccess`: which claims of users of other tenants (MFA, a compliant or hybrid joined device)
   * this tenant's cross-tenant access settings trust, by default and per partner (`model/cross-tenant.ts`).
   */
  inboundTrust: InboundTrust;
}

/**
 * How a platform's devices are onboarded to Defender for Endpoint, as the manifest declares it. `intune`: by Intune
 * (an EDR profile, a custom profile carrying the package), which the files must show, as when nothing is declared.
 * `outsideIntune`: by something no Intune file shows (Group Policy, Configuration Manager, a local script, Purview
 * device onboarding): the checks take the platform's devices as onboarded. Sources:
 * https://learn.microsoft.com/defender-endpoint/configure-endpoints-gp,
 * https://learn.microsoft.com/defender-endpoint/configure-endpoints-sccm,
 * https://learn.microsoft.com/defender-endpoint/configure-endpoints-script,
 * https://learn.microsoft.com/purview/device-onboarding-overview.
 */
export const DEFENDER_ONBOARDING_VALUES = ['intune', 'outsideIntune'] as const;
export type DefenderOnboardingDeclaration = (typeof DEFENDER_ONBOARDING_VALUES)[number];
/** The platforms whose onboarding the manifest can declare: those Intune onboards, and Endpoint DLP runs on. */
export const DEFENDER_ONBOARDING_PLATFORMS = ['windows', 'macOS'] as const satisfies readonly Platform[];
export type DefenderOnboardingPlatform = (typeof DEFENDER_ONBOARDING_PLATFORMS)[number];

/** The MDM authorities the manifest's schema takes (Graph's mdmAuthority enum). */
const MDM_AUTHORITIES = ['intune', 'office365', 'sccm', 'unknown'] as const;
export type MdmAuthority = (typeof MDM_AUTHORITIES)[number];

/**
 * The positions of the co-management compliance workload slider: Configuration Manager evaluates every co-managed
 * device's compliance, Pilot Intune moves the pilot collection's devices to Intune and leaves the rest with
 * Configuration Manager, Intune evaluates them all (https://learn.microsoft.com/mem/configmgr/comanage/workloads#compliance-policies).
 */
export const COMPLIANCE_WORKLOADS = ['configurationManager', 'pilotIntune', 'intune'] as const;
export type ComplianceWorkload = (typeof COMPLIANCE_WORKLOADS)[number];

/**
 * The co-management workloads the manifest can place (`settings.coManagement.<workload>Workload`), each slider with the
 * same three positions (`COMPLIANCE_WORKLOADS`). Endpoint Protection holds Defender Antivirus, the firewall, Windows
 * encryption (BitLocker), Exploit Guard (attack surface reduction rules), Application Control and Defender for
 * Endpoint; Device configuration holds the other device settings (a settings catalog profile is controlled by its
 * slider whatever it holds), and switching it to Intune moves Endpoint Protection (and Resource access) with it.
 * Source: https://learn.microsoft.com/mem/configmgr/comanage/workloads
 */
export const COMANAGEMENT_WORKLOADS = ['complianceWorkload', 'endpointProtectionWorkload', 'deviceConfigurationWorkload'] as const;
export type CoManagementWorkload = (typeof COMANAGEMENT_WORKLOADS)[number];

/** One workload slider's position as the manifest declares it; undefined when it does not (or the schema refuses it). */
function workloadOf(coManagement: unknown, key: CoManagementWorkload): ComplianceWorkload | undefined {
  return isPlainObject(coManagement) ? COMPLIANCE_WORKLOADS.find((w) => w === coManagement[key]) : undefined;
}

/** Days before expiry from which the push certificate counts as expiring. */
export const APPLE_PUSH_WARNING_DAYS = 30;

const DAY = 86_400_000;

/**
 * The expiry as a time: a plain `YYYY-MM-DD` is that day at 00:00 UTC (the earliest it can lapse), a full date-time
 * is read as written. Undefined when it is not a real date (the schema reports the shape).
 */
function parseDate(v: unknown): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Calendar days from one date to another, in UTC (the 6th to the 20th is 14 days, whatever the hour). */
function calendarDays(from: Date, to: Date): number {
  const day = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(to) - day(from)) / DAY);
}

/**
 * Read the manifest's tenant-wide facts. With no usable manifest every fact is undeclared; so is a fact written with
 * a value the schema refuses (`secureByDefault:` left empty, `applePushCertificate: {}`, `platforms: null`): the schema
 * reports the value, and no rule reads it as false. Rules read these answers, never the manifest's raw settings.
 */
export function readDeclaredFacts(manifest: ManifestFacts | undefined, now: Date): DeclaredFacts {
  const value = manifest?.value;
  const settings = manifest?.settings ?? {};
  return {
    applePush: applePush(settings.applePushCertificate, now),
    androidBinding: binding(settings.androidEnterprise),
    mdmAuthority: MDM_AUTHORITIES.find((a) => a === settings.mdmAuthority),
    secureByDefault: typeof settings.secureByDefault === 'boolean' ? settings.secureByDefault : undefined,
    complianceWorkload: workloadOf(settings.coManagement, 'complianceWorkload'),
    endpointProtectionWorkload: workloadOf(settings.coManagement, 'endpointProtectionWorkload'),
    deviceConfigurationWorkload: workloadOf(settings.coManagement, 'deviceConfigurationWorkload'),
    complianceValidityDays: validityDays(settings.deviceComplianceCheckinThresholdDays),
    platforms: Array.isArray(value?.platforms) ? (value.platforms as unknown[]).filter(isPlatform) : undefined,
    breakGlassDeclared: isPlainObject(value?.breakGlass),
    licensesDeclared: Array.isArray(value?.licenses),
    defenderOnboarding: defenderOnboarding(settings.defenderOnboarding),
    inboundTrust: readInboundTrust(settings.crossTenantAccess),
  };
}

/** Intune's default compliance status validity period, in days (device-compliance-get-started). */
export const DEFAULT_COMPLIANCE_VALIDITY_DAYS = 30;

function validityDays(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 120 ? v : undefined;
}

function defenderOnboarding(v: unknown): DeclaredFacts['defenderOnboarding'] {
  const declared: DeclaredFacts['defenderOnboarding'] = {};
  if (!isPlainObject(v)) return declared;
  for (const platform of DEFENDER_ONBOARDING_PLATFORMS) {
    const how = DEFENDER_ONBOARDING_VALUES.find((x) => x === v[platform]);
    if (how) declared[platform] = how;
  }
  return declared;
}

function applePush(v: unknown, now: Date): ApplePushState {
  // The schema requires `expirationDateTime`: a certificate written without a date it can read (`{}`, `null`, a
  // typo) is a schema error and declares nothing, so every reader takes it as undeclared, as if it were not there.
  const expires = isPlainObject(v) ? parseDate(v.expirationDateTime) : undefined;
  if (!expires) return { state: 'undeclared' };
  if (expires.getTime() <= now.getTime()) return { state: 'expired', expires, daysAgo: calendarDays(expires, now) };
  const daysLeft = calendarDays(now, expires);
  if (daysLeft <= APPLE_PUSH_WARNING_DAYS) return { state: 'expiring', expires, daysLeft };
  return { state: 'valid', expires };
}

const BOUND = ['bound', 'boundAndValidated'];
/** androidManagedStoreAccountBindStatus (the schema's enum): any other value is a schema error and declares nothing. */
const NOT_BOUND = ['notBound', 'unbinding'];

function binding(v: unknown): BindingState {
  const status = isPlainObject(v) ? v.bindStatus : undefined;
  if (typeof status !== 'string') return { state: 'undeclared' };
  if (BOUND.includes(status)) return { state: 'bound', status };
  return NOT_BOUND.includes(status) ? { state: 'notBound', status } : { state: 'undeclared' };
}

/** One fact the manifest does not declare although a rule needs it, and the rules it would let run. */
export interface UndeclaredFact {
  /** The manifest path to declare, e.g. `settings.androidEnterprise.bindStatus`. */
  fact: string;
  /** Where it would go (the parent key that exists, for placing the finding). */
  path: JsonPath;
  /** An example of the declaration. */
  example: string;
  /** Why it is needed here: which policies make it matter. */
  why: string;
  rules: string[];
  /** What the checks do until it is declared, when they assume something ("take every platform to be in use"). */
  until?: string;
}

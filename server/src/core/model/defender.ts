/**
 * Which platforms' devices are onboarded to Microsoft Defender for Endpoint. A device is onboarded by an endpoint
 * security EDR profile for its platform that either carries the onboarding package itself (configuration type
 * `onboard`, with the `onboarding` blob) or takes it from the connector (`autofromconnector`, the default), in which
 * case the Defender connector must be switched on for that platform.
 */
import type { PolicyFacts } from '../facts';
import { templateFamily } from '../facts';
import { EDR_TEMPLATE_FAMILY } from '../kinds';
import { assignmentDeclaration } from './targets';
import type { Platform } from '../platforms';

/** The connector toggle that feeds device risk into compliance evaluation, per platform. */
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

const ONBOARDING_BLOB = 'device_vendor_msft_windowsadvancedthreatprotection_onboarding';
const ONBOARD_CHOICE = 'device_vendor_msft_windowsadvancedthreatprotection_configurationtype_onboard';

/** An endpoint security EDR policy: how Intune onboards devices to Defender for Endpoint. */
export function isEdrProfile(p: PolicyFacts): boolean {
  return p.kind === 'ConfigurationProfile' && templateFamily(p.spec) === EDR_TEMPLATE_FAMILY;
}

/** Whether an EDR profile carries the onboarding package itself, so it needs no connector. */
export function onboardsWithPackage(p: PolicyFacts): boolean {
  let found = false;
  const walk = (v: unknown, depth: number): void => {
    if (found || depth > 40) return;
    if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.settingDefinitionId === ONBOARDING_BLOB || o.value === ONBOARD_CHOICE) found = true;
      else for (const x of Object.values(o)) walk(x, depth + 1);
    }
  };
  walk(p.spec?.settings, 0);
  return found;
}

export interface Onboarding {
  platform: Platform;
  onboarded: boolean;
  /** The EDR profiles for the platform. */
  profiles: PolicyFacts[];
  /** The connectors that switch the platform on. */
  connectors: PolicyFacts[];
  /** What is missing, when not onboarded ("no EDR onboarding profile", "no DefenderConnector with `windowsEnabled: true`"). */
  gaps: string[];
}

export class DefenderModel {
  readonly connectors: PolicyFacts[];
  readonly edrProfiles: PolicyFacts[];

  constructor(policies: PolicyFacts[]) {
    this.connectors = policies.filter((p) => p.kind === 'DefenderConnector');
    this.edrProfiles = policies.filter(isEdrProfile);
  }

  /** The connectors that have a toggle switched on (`true`, not just present). */
  connectorsEnabling(toggle: string): PolicyFacts[] {
    return this.connectors.filter((c) => c.spec?.[toggle] === true);
  }

  profilesFor(platform: Platform): PolicyFacts[] {
    return this.edrProfiles.filter((p) => p.platforms.includes(platform));
  }

  /**
   * The EDR profiles of a platform that may onboard devices: all but those whose file declares them assigned to
   * nobody (unknown assignments may reach devices).
   */
  onboardingProfilesFor(platform: Platform): PolicyFacts[] {
    return this.profilesFor(platform).filter((p) => assignmentDeclaration(p) !== 'nobody');
  }

  onboarding(platform: Platform): Onboarding {
    const all = this.profilesFor(platform);
    const profiles = this.onboardingProfilesFor(platform);
    const toggle = COMPLIANCE_TOGGLES[platform];
    const connectors = toggle ? this.connectorsEnabling(toggle) : [];
    const gaps: string[] = [];
    const selfContained = profiles.some(onboardsWithPackage);
    if (!selfContained) {
      if (!profiles.length) gaps.push(all.length ? 'no EDR onboarding profile assigned to any device' : 'no EDR onboarding profile');
      if (!connectors.length) gaps.push(toggle ? `no DefenderConnector with \`${toggle}: true\`` : 'no Defender connector for the platform');
    }
    return { platform, onboarded: gaps.length === 0, profiles, connectors, gaps };
  }
}

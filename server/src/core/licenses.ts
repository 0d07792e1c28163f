/** The licence table (`data/licenses.json`): the one place that says what each licence covers. */
import table from './data/licenses.json';
import { asObject } from './document';
import { closest } from './prose';

export interface LicenseInfo {
  id: string;
  name: string;
  layers: number[];
  conditionalAccess: boolean;
  entraIdP2: boolean;
  /** Microsoft Purview Insider Risk Management (Adaptive Protection), which Conditional Access' insider risk condition reads. */
  insiderRiskManagement: boolean;
  /** Microsoft Defender for Cloud Apps, which Conditional Access App Control (`sessionControls.cloudAppSecurity`) needs. */
  defenderForCloudApps: boolean;
  /**
   * Layers the table does not give the licence but Microsoft Learn says it covers (Microsoft 365 F1: the seed's layer
   * table lists it for layers 1-2, Learn's Intune licensing page among the licences that include Intune). `license-missing`
   * keeps to `layers`; the grant evaluator claims no lockout from a gap only these rows leave (`layerDisputed`).
   */
  disputedLayers?: number[];
  source: string;
}

export const LICENSES: LicenseInfo[] = table.licenses;
export const LICENSE_IDS: string[] = LICENSES.map((l) => l.id);

export function licenseInfo(id: string): LicenseInfo | undefined {
  return LICENSES.find((l) => l.id === id);
}

/**
 * A licence's family: the plan line after `M365_` (`A` Education, `E` Enterprise, `F` Frontline, `G` Government), or
 * its first word (`EMS`, `ENTRA`, `INTUNE`, `MDE`, `WINDOWS`, `BUSINESS`).
 */
function licenceFamily(id: string): string {
  // Separators as a typo writes them (`M365-E5`, `M365E3`, `M365 E5`) name the same family (review r27, t09).
  const m = /^M365[-_ ]?([A-Z])/i.exec(id);
  return (m ? `M365_${m[1]}` : id.split(/[-_ ]/)[0]!).toUpperCase();
}

/**
 * The licence a refused `licenses` entry may be a typo of, for the schema's "did you mean": one of its own family only
 * (`M365_A5_SECURITY` was offered `M365_F5_SECURITY`, a Frontline plan for a school), and never another tier of the
 * same plan (`M365_A1` was offered `M365_A3`: A1 is a plan of its own, not a misspelt A3).
 */
export function licenceHint(word: string): string | undefined {
  const family = licenceFamily(word);
  const hint = closest(word, LICENSE_IDS.filter((id) => licenceFamily(id) === family));
  return hint && !otherTier(hint.toUpperCase(), word.toUpperCase()) ? hint : undefined;
}

/** Whether two ids of one length differ, and only in digits (`M365_A1`, `M365_A3`). */
function otherTier(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(/\d/.test(a[i]!) && /\d/.test(b[i]!))) return false;
  return true;
}

/**
 * The manifest's `licenses` entries the schema refuses (a misspelt `M365_G5_SECURTY`). They declare nothing, and leave
 * what the tenant lacks unknown: the refused one may be what covers a policy. So the licences listed beside them say
 * what the tenant holds (Entra ID P2 from M365_E5), never that it lacks something (`license-missing`, a layer "not
 * licensed"); `license-missing` read `[M365_E3, M365_G5_SECURTY]` as E3 alone.
 */
export function refusedLicences(manifest: { value?: Record<string, unknown> } | undefined): string[] {
  const listed = manifest?.value?.licenses;
  return Array.isArray(listed) ? listed.filter((id) => typeof id !== 'string' || !licenseInfo(id)).map(String) : [];
}

/**
 * Whether the manifest's licences cover a layer of the licence table (`layers`): true when one listed does, false when
 * none does, undefined while unknown (no `licenses`, an empty list as `ztp import` writes it, or none covering it beside
 * one the schema refuses, which may be the one that does). `license-missing` reports a policy of the layer on the same
 * reading, and the grant evaluator reads it for the Intune controls (`model/intune-service.ts`).
 */
export function layerLicensed(manifest: { licenses: readonly string[]; value?: Record<string, unknown> } | undefined, layer: number): boolean | undefined {
  if (!manifest?.licenses.length) return undefined;
  if (manifest.licenses.some((id) => licenseInfo(id)?.layers.includes(layer))) return true;
  return refusedLicences(manifest).length ? undefined : false;
}

/**
 * The manifest's licences that the table does not give a layer but Learn says cover it (`disputedLayers`): a gap they
 * leave is unknown to the grant evaluator, not certain.
 */
export function layerDisputed(manifest: { licenses: readonly string[] } | undefined, layer: number): string[] {
  return (manifest?.licenses ?? []).filter((id) => licenseInfo(id)?.disputedLayers?.includes(layer));
}

/**
 * Whether the manifest's licences include Microsoft Defender for Cloud Apps, which Conditional Access App Control
 * (`sessionControls.cloudAppSecurity`) needs (https://learn.microsoft.com/defender-cloud-apps/proxy-deployment-any-app):
 * undefined while unknown (no `licenses`, or one the schema refuses, which may be it). The one answer `license-missing`
 * and What If read.
 */
export function cloudAppsLicensed(manifest: { licenses: readonly string[]; value?: Record<string, unknown> } | undefined): boolean | undefined {
  if (!manifest?.licenses.length || refusedLicences(manifest).length) return undefined;
  return manifest.licenses.some((id) => licenseInfo(id)?.defenderForCloudApps);
}

/** A Conditional Access policy's `sessionControls.cloudAppSecurity` when it is switched on (`isEnabled` not false). */
export function cloudAppSecurityOf(spec: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const cas = asObject(asObject(spec?.sessionControls)?.cloudAppSecurity);
  return cas && cas.isEnabled !== false ? cas : undefined;
}

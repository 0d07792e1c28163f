/**
 * Whether Intune can give a tenant's users a compliant device, or app protection, at all, by what the manifest declares
 * for the whole tenant: the MDM authority (`settings.mdmAuthority`) and the licences (`licenses`). The files' policies
 * cannot change it. `mdm-authority-not-intune` and `license-missing` report the same facts on the manifest and on the
 * policies; the grant evaluator reads this one answer (`grants.ts`), so What If, the lockout check, `ztp diff` and the
 * report say what those rules say. Undeclared, or a value the schema refuses, is unknown: nothing is said.
 */
import { layerDisputed, layerLicensed } from '../licenses';
import { listText } from '../prose';
import type { DeclaredFacts, MdmAuthority } from './declared';

/** The Intune grant controls a tenant-wide fact can keep from everyone. */
export type IntuneControl = 'compliantDevice' | 'compliantApplication';

/** Which fact keeps Intune from them: the licences (`license-missing`), or the MDM authority (`mdm-authority-not-intune`). */
export type IntuneServiceGap = 'unlicensed' | 'mdmAuthority';

export interface IntuneServiceAnswer {
  /** `none`: no device (or app) of the tenant's can meet the control; `unknown`: what the files cannot show decides it. */
  state: 'none' | 'unknown';
  gap: IntuneServiceGap;
  /** The rule that reports the fact, whose fix is the fix here. */
  rule: 'license-missing' | 'mdm-authority-not-intune';
  /** Why, in a clause that follows "but" ("no device can enroll in Intune: …"). */
  reason: string;
}

/**
 * What each MDM authority other than Intune means; `mdm-authority-not-intune` says it on the manifest. An MDM authority
 * must be set before users can enroll devices, and Basic Mobility and Security for Microsoft 365 sets it to Office 365
 * (https://learn.microsoft.com/intune/intune-service/fundamentals/mdm-authority-set).
 */
export const MDM_AUTHORITY_MEANING: Readonly<Record<Exclude<MdmAuthority, 'intune'>, string>> = {
  unknown: 'no MDM authority is set, so no device can enroll in Intune',
  office365: 'devices are managed by Basic Mobility and Security (Office 365 MDM), which has no Intune compliance or configuration policies',
  sccm: 'the tenant is still set to hybrid MDM with Configuration Manager, which Microsoft retired; Intune policies do not reach its devices',
};

/**
 * The licence table's layer an Intune control rests on, as `license-missing` reads the policies it rests on: a compliant
 * device on the compliance policies that evaluate it (layer 3), app protection on the app protection policies (layer 1).
 * Intune licences each user or device it manages (https://learn.microsoft.com/intune/intune-service/fundamentals/licenses).
 */
const LAYER_OF: Readonly<Record<IntuneControl, { layer: number; what: string }>> = {
  compliantDevice: { layer: 3, what: 'Intune compliance (layer 3)' },
  compliantApplication: { layer: 1, what: 'Intune app protection (layer 1)' },
};

/**
 * Whether a tenant-wide fact keeps an Intune control from every user: undefined where nothing declared does.
 * - `settings.mdmAuthority: unknown` or `sccm`: no device enrolls in Intune, so no compliance policy here evaluates one
 *   (`none`); `office365`: Basic Mobility and Security manages the devices with device policies these files do not
 *   hold, and may mark them compliant, or Intune may manage some users' devices beside it (coexistence, by licence):
 *   `unknown`. App protection is not said to rest on the MDM authority (its policies need no enrollment).
 * - `licenses` declared, with none covering the control's layer (`layerLicensed`: false, not undefined): `none`.
 */
export function intuneServiceFor(control: IntuneControl, declared: DeclaredFacts, manifest: { licenses: readonly string[]; value?: Record<string, unknown> } | undefined): IntuneServiceAnswer | undefined {
  const mdm = declared.mdmAuthority;
  if (control === 'compliantDevice' && mdm && mdm !== 'intune') {
    const fact = `\`settings.mdmAuthority: ${mdm}\``;
    const rule = 'mdm-authority-not-intune';
    if (mdm === 'office365') {
      return { state: 'unknown', gap: 'mdmAuthority', rule, reason: `the MDM authority is Office 365 (${fact}): ${MDM_AUTHORITY_MEANING.office365}, and whether its own device policies, which these files do not hold, let a device be compliant is unknown` };
    }
    return { state: 'none', gap: 'mdmAuthority', rule, reason: `${MDM_AUTHORITY_MEANING[mdm]} (${fact}), and no device is compliant` };
  }
  const { layer, what } = LAYER_OF[control];
  if (layerLicensed(manifest, layer) !== false) return undefined;
  const listed = listText((manifest?.licenses ?? []).map((id) => `\`${id}\``));
  // A licence the table does not give the layer but Learn says covers it (Microsoft 365 F1 and Intune compliance):
  // whether it does decides the sign-in, so it is unknown, never a certain lockout (review r27 B, f1).
  const disputed = layerDisputed(manifest, layer);
  if (disputed.length) {
    const named = listText(disputed.map((id) => `\`${id}\``));
    return { state: 'unknown', gap: 'unlicensed', rule: 'license-missing', reason: `the licence table gives ${named} no ${what}, as the seed's layer table does, but Microsoft Learn lists it among the licences that include Intune (https://learn.microsoft.com/intune/intune-service/fundamentals/licenses): whether its devices can be compliant is unknown` };
  }
  // Enrollment (layer 2) licensed: devices enroll, but no compliance policy evaluates them.
  const enrolls = layerLicensed(manifest, 2) === true;
  const then =
    control === 'compliantDevice'
      ? enrolls
        ? 'no compliance policy evaluates a device, so none is compliant'
        : 'no device is enrolled and evaluated by Intune, so none is compliant'
      : 'no app protection policy applies to any user, so no app meets it';
  return { state: 'none', gap: 'unlicensed', rule: 'license-missing', reason: `the licences in zerotrust.yaml (${listed}) include none with ${what}: ${then}` };
}

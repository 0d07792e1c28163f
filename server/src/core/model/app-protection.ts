/**
 * What an app protection policy protects, read from its own file: which apps (`appGroupType` and `apps`) and on which
 * devices (`targetedAppManagementLevels`). The grant evaluator reads it to tell whether a policy can meet
 * `compliantApplication` for a user's app, and `app-protection-targets-no-app` to say where it cannot.
 *
 * - `appGroupType` (targetedManagedAppGroupType): `selectedPublicApps` protects the apps listed in `apps`, the others
 *   a built-in set (`allCoreMicrosoftApps`, `allMicrosoftApps`, `allApps`)
 *   (https://learn.microsoft.com/graph/api/resources/intune-mam-targetedmanagedappprotection). With `apps` empty, it
 *   protects no app, and an app protection policy "applies to the apps it targets"
 *   (https://learn.microsoft.com/intune/intune-service/apps/app-protection-policies). `apps` is a navigation property:
 *   a Graph export without `$expand=apps` leaves it out, so an absent list is unknown, never empty.
 * - `targetedAppManagementLevels` (appManagementLevel, a flags enum: `unspecified`, `unmanaged`, `mdm`,
 *   `androidEnterprise`, …) says which devices' apps the policy targets: `unspecified` all of them, `unmanaged` apps on
 *   devices Intune does not manage, `mdm` and the Android Enterprise levels apps on Intune-managed devices only
 *   (https://learn.microsoft.com/graph/api/resources/intune-mam-appmanagementlevel; the portal's "Target to apps on all
 *   device types" off, with only managed device types picked). A device that is not enrolled gets no policy from a
 *   policy of managed levels only. `unmanaged` alone is the mirror: on Android, devices where Intune MDM management is
 *   not detected (third-party MDM included); on iOS/iPadOS, devices where neither Intune MDM nor a third-party MDM
 *   passes the app the `IntuneMAMUPN` key
 *   (https://learn.microsoft.com/intune/intune-service/apps/app-protection-policies#target-app-protection-policies-based-on-device-management-state).
 *   An Android device enrolled in Intune (a work profile, a fully managed phone) gets no policy from it; an enrolled
 *   iOS device's app does not where Intune passes it `IntuneMAMUPN` (an app configuration policy, or Intune itself for
 *   Excel, Outlook, PowerPoint, Teams and Word since its 2409 release).
 */
import { isPlainObject } from '../document';
import type { PolicyFacts } from '../facts';

/** The `targetedAppManagementLevels` values that target apps on Intune-managed (enrolled) devices only. */
const MANAGED_LEVELS: readonly string[] = [
  'mdm',
  'androidEnterprise',
  'androidEnterpriseDedicatedDevicesWithAzureAdSharedMode',
  'androidOpenSourceProjectUserAssociated',
  'androidOpenSourceProjectUserless',
];

/**
 * Whether a policy selects apps one by one (`appGroupType: selectedPublicApps`) and selects none (`apps: []`):
 * it protects no app. An `apps` list the file leaves out (a raw export without the navigation property) is unknown:
 * false.
 */
export function protectsNoApp(p: PolicyFacts): boolean {
  const spec = p.spec;
  if (!spec || spec.appGroupType !== 'selectedPublicApps') return false;
  return Array.isArray(spec.apps) && spec.apps.filter((a) => a !== null && (isPlainObject(a) || typeof a === 'string')).length === 0;
}

/**
 * The management levels a policy targets when every one of them is a managed device's (`mdm`, the Android Enterprise
 * levels): apps on devices Intune does not enroll get nothing from it. Undefined when it targets every device
 * (`unspecified`, or the property is not set, which is Graph's `unspecified`) or unmanaged ones, or the value is not
 * read (an unknown level: unknown, so nothing is said).
 */
export function managedDevicesOnly(p: PolicyFacts): string[] | undefined {
  const raw = p.spec?.targetedAppManagementLevels;
  if (typeof raw !== 'string') return undefined;
  const levels = raw.split(',').map((x) => x.trim()).filter(Boolean);
  if (!levels.length || !levels.every((l) => MANAGED_LEVELS.includes(l))) return undefined;
  return levels;
}

/**
 * The management levels a policy targets when they are `unmanaged` alone: apps on devices Intune manages get nothing
 * from it (on iOS/iPadOS, apps the MDM passes `IntuneMAMUPN`). Undefined otherwise (not set, `unspecified`, a managed
 * level beside it, or a value not read).
 */
export function unmanagedDevicesOnly(p: PolicyFacts): string[] | undefined {
  const raw = p.spec?.targetedAppManagementLevels;
  if (typeof raw !== 'string') return undefined;
  const levels = raw.split(',').map((x) => x.trim()).filter(Boolean);
  return levels.length && levels.every((l) => l === 'unmanaged') ? levels : undefined;
}

/** How a message names a policy's managed levels: "`targetedAppManagementLevels: mdm`". */
export function managedLevelsText(levels: readonly string[]): string {
  return `\`targetedAppManagementLevels: ${levels.join(',')}\``;
}

/** How a message says a policy protects no app. */
export const PROTECTS_NO_APP = 'selects apps one by one (`appGroupType: selectedPublicApps`) and selects none (`apps` is empty), so it protects no app';

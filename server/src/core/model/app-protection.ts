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
 *   policy of managed levels only.
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

/** How a message names a policy's managed levels: "`targetedAppManagementLevels: mdm`". */
export function managedLevelsText(levels: readonly string[]): string {
  return `\`targetedAppManagementLevels: ${levels.join(',')}\``;
}

/** How a message says a policy protects no app. */
export const PROTECTS_NO_APP = 'selects apps one by one (`appGroupType: selectedPublicApps`) and selects none (`apps` is empty), so it protects no app';

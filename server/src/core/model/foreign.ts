/**
 * The raw Graph documents of a tenant that no kind of ours holds but that the checks read as exported: endpoint
 * security intents, the older template profiles, custom profiles. One reader for the configuration checks
 * (`rules/configuration-helpers.ts`) and the layer status (`features/layer-status.ts`), so the layer a file counts
 * in is the one the checks read it for.
 */
import { asObject } from '../document';
import type { FileFacts } from '../facts';
import { CONFIGURATION_EVIDENCE_TYPES, foreignAssignment, foreignGraphTypeOf, intentProperties, onboardingPlatformOf } from '../graph';
import type { Platform } from '../platforms';

/** Each file's answer to `foreignDocument`, found once (the configuration rules ask it of every file on every edit). */
const FOREIGN = new WeakMap<FileFacts, { type: string; doc: Record<string, unknown> } | null>();

/**
 * The Graph type and document of a file that is not one of our kinds (a raw template profile or intent): its
 * `@odata.type`, or an intent told by its `settingsDelta` (IntuneBackupAndRestore, Microsoft's
 * powershell-intune-samples export), as `foreignGraphTypeOf` reads them.
 */
export function foreignDocument(f: FileFacts): { type: string; doc: Record<string, unknown> } | undefined {
  let found = FOREIGN.get(f);
  if (found === undefined) FOREIGN.set(f, (found = readForeignDocument(f) ?? null));
  return found ?? undefined;
}

function readForeignDocument(f: FileFacts): { type: string; doc: Record<string, unknown> } | undefined {
  if (f.type === 'manifest') return undefined;
  if (f.type === 'policy' && f.kind !== undefined) return undefined;
  const doc = asObject(f.value);
  const type = foreignGraphTypeOf(doc);
  return doc && type ? { type, doc } : undefined;
}

/**
 * The platforms a raw configuration export is for: a template or custom profile by its type (`windows10…`,
 * `macOS…`), an endpoint security intent by the template profile types its settings are named by (`intent`: its
 * `intentProperties`, when the caller has read them already). None for an export of another type. One reading for
 * the configuration checks (a profile of the platform is in the folder) and the tenant model (`enrollsPlatform`).
 */
export function foreignPlatformsOf(type: string, doc: Record<string, unknown>, intent: Map<string, unknown> | undefined = type === 'deviceManagementIntent' ? intentProperties(doc) : undefined): Platform[] {
  const types = type === 'deviceManagementIntent' ? [...(intent?.keys() ?? [])] : CONFIGURATION_EVIDENCE_TYPES.includes(type) ? [type] : [];
  return [...(types.some((t) => /^windows/i.test(t)) ? (['windows'] as const) : []), ...(types.some((t) => /^macOS/i.test(t)) ? (['macOS'] as const) : [])];
}

/**
 * Whether a raw configuration export of the platform may reach enrolled devices of it (not assigned to nobody):
 * Intune delivers template and custom profiles and intents to enrolled devices only, so each shows the tenant enrolls
 * the platform (the tenant model's `intuneEnrolls`).
 */
export function enrollsPlatform(f: FileFacts, platform: Platform): boolean {
  const found = foreignDocument(f);
  return !!found && foreignAssignment(found.doc) !== 'nobody' && foreignPlatformsOf(found.type, found.doc).includes(platform);
}

/** Each file's answer to `managedPlatformsOf`, found once (the model asks it of every file when the manifest lists no platforms). */
const MANAGED = new WeakMap<FileFacts, readonly Platform[]>();

/**
 * The platforms a raw export of no kind manages, as the checks read it: a configuration export's (`foreignPlatformsOf`:
 * a template or custom profile by its type, an intent by its settings) and an onboarding profile's (`onboardingPlatformOf`:
 * the older Windows EDR profile or intent, a Windows custom profile writing the onboarding CSP, a macOS custom profile
 * carrying Defender's `com.microsoft.wdav.atp` payload). None for a file of ours, or of another type. What
 * `evidencedPlatformsOf` counts for such a file: the platforms `ztp import` writes to a new manifest, and those the
 * tenant model counts when the manifest lists none.
 */
export function managedPlatformsOf(f: FileFacts): readonly Platform[] {
  let found = MANAGED.get(f);
  if (found) return found;
  const doc = foreignDocument(f);
  const out = new Set<Platform>(doc ? foreignPlatformsOf(doc.type, doc.doc) : []);
  const onboarding = doc ? onboardingPlatformOf(doc.type, doc.doc) : undefined;
  if (onboarding) out.add(onboarding);
  found = [...out];
  MANAGED.set(f, found);
  return found;
}

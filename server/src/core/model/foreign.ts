/**
 * The raw Graph documents of a tenant that no kind of ours holds but that the checks read as exported: endpoint
 * security intents, the older template profiles, custom profiles. One reader for the configuration checks
 * (`rules/configuration-helpers.ts`) and the layer status (`features/layer-status.ts`), so the layer a file counts
 * in is the one the checks read it for.
 */
import { asObject } from '../document';
import type { FileFacts } from '../facts';
import { CONFIGURATION_EVIDENCE_TYPES, foreignAssignment, foreignGraphTypeOf, intentProperties } from '../graph';
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
 * The platform whose enrolled devices a raw configuration export reaches, when it may reach any (not assigned to
 * nobody): a template or custom profile by its type (`windows10…`, `macOS…`), an endpoint security intent by the
 * template profile types its settings are named by. Intune delivers these to enrolled devices only, so each shows the
 * tenant enrolls the platform (the tenant model's `intuneEnrolls`).
 */
export function enrolledPlatformOf(f: FileFacts): Platform | undefined {
  const found = foreignDocument(f);
  if (!found || foreignAssignment(found.doc) === 'nobody') return undefined;
  const types = found.type === 'deviceManagementIntent' ? [...(intentProperties(found.doc)?.keys() ?? [])] : CONFIGURATION_EVIDENCE_TYPES.includes(found.type) ? [found.type] : [];
  if (types.some((t) => /^windows/i.test(t))) return 'windows';
  if (types.some((t) => /^macOS/i.test(t))) return 'macOS';
  return undefined;
}

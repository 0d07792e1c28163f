/**
 * The raw Graph documents of a tenant that no kind of ours holds but that the checks read as exported: endpoint
 * security intents, the older template profiles, custom profiles. One reader for the configuration checks
 * (`rules/configuration-helpers.ts`) and the layer status (`features/layer-status.ts`), so the layer a file counts
 * in is the one the checks read it for.
 */
import { asObject } from '../document';
import type { FileFacts } from '../facts';
import { foreignGraphTypeOf } from '../graph';

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

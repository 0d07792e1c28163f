/**
 * The tenant's Conditional Access named locations, as its folder exports them (raw Graph `namedLocation` documents, one
 * a file or a Graph list of them): no policy kind holds one, and the CA policies name them by id. The one reader of
 * "which named location is this id, and is it trusted": What If's `--location`, and the rules that say what a location
 * condition leaves open, read it here.
 *
 * Only an IP named location can be marked trusted (`isTrusted`); a country location cannot
 * (https://learn.microsoft.com/graph/api/resources/ipnamedlocation,
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-assignment-network). `AllTrusted` takes in
 * every location marked trusted (and the legacy MFA trusted IPs, which no named location export holds).
 */
import { asObject } from '../document';
import type { FileFacts } from '../facts';
import { collectionItems, graphTypeName, topLevelODataType } from '../graph';
import { isUnreadable } from '../reads';
import { sniffedText, sniffKind } from './sniff';

/** One named location the folder exports. */
export interface NamedLocation {
  id: string;
  displayName: string | undefined;
  /** Its Graph type without the namespace (`ipNamedLocation`, `countryNamedLocation`). */
  type: string;
  /** Marked trusted: an IP named location with `isTrusted: true`. */
  trusted: boolean;
  file: string;
}

/** What the folder says of the tenant's named locations. */
export interface NamedLocations {
  /** Every named location exported, by lower-case id. */
  byId: ReadonlyMap<string, NamedLocation>;
  /** Those marked trusted. */
  trusted: readonly NamedLocation[];
  /** Files not analysed (they do not parse) that may hold a named location: the list above may lack some. */
  hidden: readonly string[];
}

function namedLocationOf(doc: Record<string, unknown>, file: string): NamedLocation | undefined {
  const type = graphTypeName(doc['@odata.type']);
  if (!type || !/NamedLocation$/.test(type) || typeof doc.id !== 'string' || !doc.id.trim()) return undefined;
  const displayName = typeof doc.displayName === 'string' ? doc.displayName : undefined;
  return { id: doc.id.trim(), displayName, type, trusted: type === 'ipNamedLocation' && doc.isTrusted === true, file };
}

/** Whether a file that does not parse may hold a named location: its text says nothing, or names one at its top. */
function mayHoldNamedLocation(f: FileFacts): boolean {
  if (!isUnreadable(f)) return false;
  const top = topLevelODataType(sniffedText(f));
  if (top !== undefined) return /NamedLocation$/.test(graphTypeName(top) ?? '');
  return sniffKind(f) === '*';
}

/** The named locations of a tenant's files (its policies of no kind and its other files). */
export function readNamedLocations(files: readonly FileFacts[]): NamedLocations {
  const byId = new Map<string, NamedLocation>();
  const hidden: string[] = [];
  for (const f of files) {
    if (f.type === 'manifest' || (f.type === 'policy' && f.kind !== undefined)) continue;
    if (mayHoldNamedLocation(f)) {
      hidden.push(f.path);
      continue;
    }
    const doc = asObject(f.value);
    const docs = collectionItems(f.value) ?? (doc ? [doc] : []);
    for (const d of docs) {
      const loc = namedLocationOf(d, f.path);
      if (loc && !byId.has(loc.id.toLowerCase())) byId.set(loc.id.toLowerCase(), loc);
    }
  }
  return { byId, trusted: [...byId.values()].filter((l) => l.trusted), hidden };
}

/**
 * Whether a location id is the trusted location a sign-in comes from, where the scenario says only "a trusted
 * location": `yes` when it is the folder's one trusted location and no file not analysed may hold another; `maybe` when
 * it is one of several trusted locations, or when it is one the folder does not show while a file not analysed may
 * hold it; `no` when the folder shows it is not trusted, or does not show it at all.
 */
export function trustedLocationIs(locations: NamedLocations, id: string): 'yes' | 'no' | 'maybe' {
  const loc = locations.byId.get(id.trim().toLowerCase());
  if (!loc) return locations.hidden.length ? 'maybe' : 'no';
  if (!loc.trusted) return 'no';
  return locations.trusted.length === 1 && !locations.hidden.length ? 'yes' : 'maybe';
}

/** A location id as a message names it: "`Agency egress (TIC)` (3c1f…)", or the id alone. */
export function locationLabel(locations: NamedLocations, id: string): string {
  const loc = locations.byId.get(id.trim().toLowerCase());
  return loc?.displayName ? `\`${loc.displayName}\` (${id})` : `\`${id}\``;
}

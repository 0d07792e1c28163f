/**
 * The tenant's Conditional Access named locations, as its folder exports them (raw Graph `namedLocation` documents, one
 * a file or a Graph list of them): no policy kind holds one, and the CA policies name them by id. The one reader of
 * "which named location is this id, and is it trusted" (`locationTrust`, unknown for an id the folder does not export):
 * What If's `--location`, and the rules that say what a location condition leaves open, read it here.
 *
 * Only an IP named location can be marked trusted (`isTrusted`); a country location cannot
 * (https://learn.microsoft.com/graph/api/resources/ipnamedlocation,
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-assignment-network). `AllTrusted` takes in
 * every location marked trusted (and the legacy MFA trusted IPs, which no named location export holds).
 */
import { asObject } from '../document';
import type { FileFacts } from '../facts';
import { collectionItems, graphTypeName, powerShellSdkRenamed, topLevelODataType } from '../graph';
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

/**
 * Whether a document is a named location's export the model reads (an `@odata.type` ending in `NamedLocation`, and an
 * id): `ztp import` copies a file exactly when this reads something from it. The PowerShell SDK's shape
 * (`Get-MgIdentityConditionalAccessNamedLocation | ConvertTo-Json -Depth 10`: `Id`, `DisplayName`, the type and
 * `isTrusted` under `AdditionalProperties`) is read through `powerShellSdkRenamed`, as the SDK's policies are.
 */
export function isNamedLocationExport(doc: Record<string, unknown>): boolean {
  return namedLocationOf(doc, '') !== undefined;
}

function namedLocationOf(raw: Record<string, unknown>, file: string): NamedLocation | undefined {
  const doc = powerShellSdkRenamed(raw) ?? raw;
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
 * Whether a named location is trusted, the one answer every reader takes: `trusted` or `untrusted` from its export;
 * `unknown` when the folder exports no named location with that id. An undeclared fact is unknown, not false: a CA
 * policy may name a location the tenant has (Graph takes only an existing location's id, and public baselines such as
 * Microsoft's Conditional Access for Zero Trust exclude one by id with no export beside them) whose export is not here,
 * and nothing here says whether it is marked trusted.
 */
export function locationTrust(locations: NamedLocations, id: string): 'trusted' | 'untrusted' | 'unknown' {
  const loc = locations.byId.get(id.trim().toLowerCase());
  if (!loc) return 'unknown';
  return loc.trusted ? 'trusted' : 'untrusted';
}

/**
 * Whether a location id is the trusted location a sign-in comes from, where the scenario says only "a trusted
 * location": `yes` when it is the folder's one trusted location and no file not analysed may hold another; `maybe` when
 * it is one of several trusted locations, or one the folder does not export (whether it is trusted is unknown); `no`
 * when the folder's export of it says it is not trusted.
 */
export function trustedLocationIs(locations: NamedLocations, id: string): 'yes' | 'no' | 'maybe' {
  const trust = locationTrust(locations, id);
  if (trust === 'unknown') return 'maybe';
  if (trust === 'untrusted') return 'no';
  return locations.trusted.length === 1 && !locations.hidden.length ? 'yes' : 'maybe';
}

/**
 * Whether a location reference of a CA policy (`All`, `AllTrusted` or a named location's id) takes in every sign-in at
 * another: `All` takes in everything, a reference itself; `AllTrusted` takes in a named location as far as that one is
 * trusted (`locationTrust`, unknown for one the folder does not export). `AllTrusted` inside one named location is
 * `maybe` at best: the legacy MFA trusted IPs count among the trusted locations and no export holds them, nor does the
 * contract's manifest declare them, so it is `no` only where the folder shows another trusted location. Two named
 * locations are compared as written (different ids are different locations).
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-assignment-network
 */
export function locationTakesIn(locations: NamedLocations, outer: string, inner: string): 'yes' | 'no' | 'maybe' {
  if (outer === 'All' || outer.trim().toLowerCase() === inner.trim().toLowerCase()) return 'yes';
  if (inner === 'All') return 'no';
  if (outer === 'AllTrusted') return threeValued(locationTrust(locations, inner));
  if (inner === 'AllTrusted') return locations.trusted.some((l) => l.id.toLowerCase() !== outer.trim().toLowerCase()) ? 'no' : 'maybe';
  return 'no';
}

/**
 * Whether two location references share some sign-ins: one takes in the other, or `AllTrusted` meets a named location
 * as far as that one is trusted.
 */
export function locationsOverlap(locations: NamedLocations, a: string, b: string): 'yes' | 'no' | 'maybe' {
  if (a === 'All' || b === 'All' || a.trim().toLowerCase() === b.trim().toLowerCase()) return 'yes';
  if (a === 'AllTrusted') return threeValued(locationTrust(locations, b));
  if (b === 'AllTrusted') return threeValued(locationTrust(locations, a));
  return 'no';
}

function threeValued(trust: 'trusted' | 'untrusted' | 'unknown'): 'yes' | 'no' | 'maybe' {
  return trust === 'trusted' ? 'yes' : trust === 'untrusted' ? 'no' : 'maybe';
}

/** A location id as a message names it: "`Agency egress (TIC)` (3c1f…)", or the id alone. */
export function locationLabel(locations: NamedLocations, id: string): string {
  const loc = locations.byId.get(id.trim().toLowerCase());
  return loc?.displayName ? `\`${loc.displayName}\` (${id})` : `\`${id}\``;
}

/** The location reference Conditional Access gives the Global Secure Access compliant network. */
export const COMPLIANT_NETWORK = 'AllCompliantNetworkLocations';

/**
 * Whether the locations a policy excludes are the Global Secure Access compliant network and nothing else: a block
 * outside it ("block outside the compliant network") lets in only sign-ins that come through the Global Secure Access
 * client and service, so it leaves nothing open to an emergency account when they fail, which is exactly when one is
 * needed; Learn tells you to exclude the emergency access accounts from such a policy
 * (https://learn.microsoft.com/entra/global-secure-access/how-to-compliant-network). The lockout check (and `ztp diff`,
 * which reads its sign-ins) takes it as no opening for the break-glass accounts.
 */
export function onlyCompliantNetwork(excluded: readonly unknown[]): boolean {
  const ids = excluded.filter((l): l is string => typeof l === 'string' && l.trim() !== '');
  return ids.length > 0 && ids.every(isCompliantNetwork);
}

/** Whether a location reference is the Global Secure Access compliant network (no named location: no trust to read). */
export function isCompliantNetwork(ref: string): boolean {
  return ref.trim().toLowerCase() === COMPLIANT_NETWORK.toLowerCase();
}

/**
 * The two sides of a change and their tenants, paired: by manifest `name`, else by the tenant folder's place under
 * the side's root (a manifest with no usable name, or a tenant renamed in place), else added or removed.
 */
import type { FileFacts } from '../facts';
import type { PolicyKind } from '../kinds';
import { sniffKind, sniffedText } from '../model/sniff';
import { relative } from '../paths';
import { isUnreadable } from '../reads';
import type { TenantView } from '../rule';
import type { Finding } from '../types';
import type { LayerChange } from './types';

/**
 * What the diff reads of a side's service. `PolicyService` (core/service.ts) has all of it; the diff takes this
 * shape because the core below the front door may not import the service.
 */
export interface DiffService {
  tenantRoots(): string[];
  view(root: string | undefined): TenantView;
  findings(root: string | undefined): Finding[];
  layers(root: string): { layers: { layer: number; name: string; status: LayerChange['after'] }[] };
  get(path: string): FileFacts | undefined;
}

/** One side of the change: a loaded service, the folder its paths are shown relative to, and what to call it. */
export interface DiffSide {
  service: DiffService;
  root: string;
  label: string;
}

/** A tenant on one side. */
export interface TenantSide {
  side: DiffSide;
  root: string;
  view: TenantView;
  /** The manifest's `name`, when the manifest can be read and has one. */
  name?: string;
  /** The tenant folder relative to the side's root (`.` when it is the root). */
  folder: string;
}

export interface TenantPair {
  name: string;
  base?: TenantSide;
  head?: TenantSide;
}

function tenantsOf(side: DiffSide): TenantSide[] {
  return side.service
    .tenantRoots()
    .map((root) => {
      const view = side.service.view(root);
      const name = view.manifest?.name?.trim() || undefined;
      return { side, root, view, ...(name ? { name } : {}), folder: relative(side.root, root) };
    })
    .sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}

/** Take the first element that satisfies `test` out of `list`. */
function takeFirst<T>(list: T[], test: (x: T) => boolean): T | undefined {
  const i = list.findIndex(test);
  return i < 0 ? undefined : list.splice(i, 1)[0];
}

/** Pair the tenants of both sides; the pairs come sorted by name. */
export function matchTenants(base: DiffSide, head: DiffSide): TenantPair[] {
  const left = tenantsOf(base);
  const right = tenantsOf(head);
  const pairs: TenantPair[] = [];
  const pair = (b: TenantSide | undefined, h: TenantSide | undefined): void => {
    pairs.push({ name: h?.name ?? b?.name ?? h?.folder ?? b?.folder ?? '.', ...(b ? { base: b } : {}), ...(h ? { head: h } : {}) });
  };
  // By name; among tenants that share a name on one side (a mistake the manifest rules report), the same folder first.
  for (const h of [...right]) {
    if (!h.name) continue;
    const b = takeFirst(left, (x) => x.name === h.name && x.folder === h.folder) ?? takeFirst(left, (x) => x.name === h.name);
    if (b) {
      right.splice(right.indexOf(h), 1);
      pair(b, h);
    }
  }
  // No name to match (a manifest without a usable one), or the manifest renamed the tenant: the same folder is the
  // same tenant, and the manifest's `name` shows among its changed settings.
  for (const h of [...right]) {
    const b = takeFirst(left, (x) => x.folder === h.folder);
    if (b) {
      right.splice(right.indexOf(h), 1);
      pair(b, h);
    }
  }
  for (const b of left) pair(b, undefined);
  for (const h of right) pair(undefined, h);
  return pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.head ?? a.base)!.folder < (b.head ?? b.base)!.folder ? -1 : 1));
}

/** A head file that could not be read or parsed where the base read it (or did not have it). */
export interface BrokenFile {
  /** Path relative to the tenant folder, as on either side. */
  local: string;
  /** Path relative to the head side's root, for the reader. */
  shown: string;
  /** What it may hold, read from its text once (`sniffKind`): `none` when it holds no policy. */
  mayHold: PolicyKind | '*' | 'none';
  /** It could not be read on the base side either, and its text changed: what the change did is unknown. */
  before?: true;
}

/**
 * The head's files that could not be read or parsed where the base read them (or did not have them): what they hold
 * on the head is unknown, so a policy there is no longer readable (not removed), what the base found that the head
 * does not is not resolved, and the head's sign-ins are not all there to compare. So is a file unread on both sides
 * whose text changed (a broken CA file edited): what the change did to it is unknown, not "unchanged". Found once per
 * tenant pair.
 */
export function newlyUnreadable(base: TenantSide | undefined, head: TenantSide | undefined): BrokenFile[] {
  if (!head) return [];
  // What of an unread file there is to compare: its text, or the size and first bytes of one over the size limit (a
  // change past them, of the same size, is not seen).
  const seen = (f: FileFacts): string => f.parsed.text || `${f.parsed.syntaxErrors[0]?.size ?? ''}\u0000${sniffedText(f)}`;
  const before = new Map((base?.view.files ?? []).filter(isUnreadable).map((f) => [relative(base!.root, f.path), seen(f)]));
  return head.view.files
    .filter((f) => isUnreadable(f) && before.get(relative(head.root, f.path)) !== seen(f))
    .map((f) => ({ local: relative(head.root, f.path), shown: relative(head.side.root, f.path), mayHold: sniffKind(f), ...(before.has(relative(head.root, f.path)) ? { before: true as const } : {}) }));
}

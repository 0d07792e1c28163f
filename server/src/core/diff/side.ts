/**
 * The two sides of a change and their tenants, paired: by manifest `name`, else by the tenant folder's place under
 * the side's root (a manifest with no usable name, a name several tenant folders share, or a tenant renamed in
 * place), else added or removed.
 */
import type { AcceptedFinding } from '../analyze';
import type { FileFacts } from '../facts';
import type { PolicyKind } from '../kinds';
import { overSize, sniffKind, sniffedText } from '../model/sniff';
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
  /** The findings `# ztp-ignore` comments accepted, each with its comment (what `ztp report` lists). */
  acceptedFindings(root: string | undefined): AcceptedFinding[];
  /** Each layer's status, with the paths of the files not analysed it rests on (`LayerState.hiddenPaths`). */
  layers(root: string): { layers: { layer: number; name: string; status: LayerChange['after']; hiddenPaths: readonly string[] }[] };
  get(path: string): FileFacts | undefined;
}

/** One side of the change: a loaded service, the folder its paths are shown relative to, and what to call it. */
export interface DiffSide {
  service: DiffService;
  root: string;
  label: string;
  /**
   * Hashes of whole files over the size limit, by path (`PolicyFileSystem.digest`), for the pairs `sameHeadOverSize`
   * names: their size and first bytes are alike, so only the rest can tell whether they changed.
   */
  digests?: ReadonlyMap<string, string>;
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
  /**
   * The files in no tenant folder, not a tenant: `root` is then the side's root (paths are shown relative to it), and
   * the service is asked for the files in no tenant (`serviceRoot`).
   */
  outside?: true;
}

/** What to ask a side's service for: the tenant's root, or undefined for the files in no tenant. */
export const serviceRoot = (t: TenantSide): string | undefined => (t.outside ? undefined : t.root);

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

/**
 * Pair the tenants of both sides; the pairs come sorted by name. A name two tenant folders of one side share (a
 * customer folder copied with its manifest, a mistake `duplicate-tenant-name` reports) names no tenant: those tenants
 * are paired by folder alone, and each is called by its name and folder ("litware in customers/t09-newclient"), so
 * the report never says one name is both changed and unchanged.
 */
export function matchTenants(base: DiffSide, head: DiffSide): TenantPair[] {
  const left = tenantsOf(base);
  const right = tenantsOf(head);
  const shared = new Set<string>();
  for (const side of [left, right]) {
    const seen = new Set<string>();
    for (const t of side) if (t.name !== undefined) (seen.has(t.name) ? shared : seen).add(t.name);
  }
  const pairs: TenantPair[] = [];
  const pair = (b: TenantSide | undefined, h: TenantSide | undefined): void => {
    const name = h?.name ?? b?.name;
    const folder = h?.folder ?? b?.folder ?? '.';
    pairs.push({ name: name === undefined ? folder : shared.has(name) ? `${name} in ${folder}` : name, ...(b ? { base: b } : {}), ...(h ? { head: h } : {}) });
  };
  // By name, where it names one tenant on each side.
  for (const h of [...right]) {
    if (!h.name || shared.has(h.name)) continue;
    const b = takeFirst(left, (x) => x.name === h.name);
    if (b) {
      right.splice(right.indexOf(h), 1);
      pair(b, h);
    }
  }
  // No name to match (a manifest without a usable one), a name several tenants share, or the manifest renamed the
  // tenant: the same folder is the same tenant, and the manifest's `name` shows among its changed settings.
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
  // An over-size file alike in size and first bytes on both sides is compared by the hash of its whole (`digests`), so
  // a change past its first 64 KB that keeps its size is seen.
  const seen = (f: FileFacts, side: TenantSide): string => `${seenWithoutReading(f)}\u0000${side.side.digests?.get(f.path) ?? ''}`;
  const before = new Map((base?.view.files ?? []).filter(isUnreadable).map((f) => [relative(base!.root, f.path), seen(f, base!)]));
  return head.view.files
    .filter((f) => isUnreadable(f) && before.get(relative(head.root, f.path)) !== seen(f, head))
    .map((f) => ({ local: relative(head.root, f.path), shown: relative(head.side.root, f.path), mayHold: sniffKind(f), ...(before.has(relative(head.root, f.path)) ? { before: true as const } : {}) }));
}

/**
 * The base's files that could not be read or parsed, which the head reads (the mirror of `newlyUnreadable`): what they
 * held on the base is unknown, so what the head finds that the base did not is not introduced but now checked (the
 * findings on them, and the layer rules', which held back for what they may hold), and the base's sign-ins are not
 * all there to compare. `mayHold` is what the base's text may hold (`sniffKind`), `shown` the head's path.
 */
export function newlyReadable(base: TenantSide | undefined, head: TenantSide | undefined): BrokenFile[] {
  if (!base || !head) return [];
  const readable = new Map(head.view.files.filter((f) => !isUnreadable(f)).map((f) => [relative(head.root, f.path), f]));
  return base.view.files.flatMap((f) => {
    const local = relative(base.root, f.path);
    const now = isUnreadable(f) ? readable.get(local) : undefined;
    return now ? [{ local, shown: relative(head.side.root, now.path), mayHold: sniffKind(f) }] : [];
  });
}

/** What of an unread file there is to compare as it was loaded: its text, or the size and first bytes of one over the size limit. */
function seenWithoutReading(f: FileFacts): string {
  return f.parsed.text || `${overSize(f) ?? ''}\u0000${sniffedText(f)}`;
}

/**
 * The files over the size limit, unread on both sides of a change at the same place in paired tenants, whose size and
 * first bytes are alike: only a hash of each whole file (`PolicyFileSystem.digest`, handed back as `DiffSide.digests`)
 * can tell whether the change touched them past their first 64 KB. Every other file is told apart without it, so a
 * host hashes these alone.
 */
export function sameHeadOverSize(base: DiffSide, head: DiffSide): { base: string; head: string }[] {
  const out: { base: string; head: string }[] = [];
  for (const pair of matchTenants(base, head)) {
    const { base: b, head: h } = pair;
    if (!b || !h) continue;
    const before = new Map(b.view.files.filter((f) => overSize(f) !== undefined).map((f) => [relative(b.root, f.path), f]));
    for (const f of h.view.files) {
      if (overSize(f) === undefined) continue;
      const was = before.get(relative(h.root, f.path));
      if (was && seenWithoutReading(was) === seenWithoutReading(f)) out.push({ base: was.path, head: f.path });
    }
  }
  return out;
}

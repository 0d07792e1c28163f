/**
 * What a rule read of its tenant, so that after an edit only the rules whose inputs changed run again.
 *
 * A rule reaches a tenant's files only through its view (`TenantView`) and the tenant model (`modelOf`). In the
 * store, both note what each access reads while a rule runs: a kind of policy (`policiesOfKind`, the model's
 * questions), the manifest, the other files, or everything (`view.policies`, `view.files`). An edit says which of
 * these it changed (`changedReads`); a rule whose reads it did not touch keeps its findings. A reading that is made
 * once and kept (the model, a per-view memo) notes what it depends on every time it is asked, not only when it is
 * computed, so a rule that finds it already made still records what it read.
 *
 * Nothing here decides a finding: with no recorder (the CLI, What If, hovers, tests' own views) every note is a
 * no-op. A read noted too broadly (everything, where one kind would do) only makes a rule run more often; a read not
 * noted at all would leave its findings stale after an edit. So every way to a tenant's files notes what it reads,
 * and test/unit/incremental-rules.test.ts compares incremental findings with full ones after thousands of edits.
 */
import type { FileFacts, PolicyFacts } from './facts';
import { managedPlatformsOf } from './model/foreign';
import type { PolicyKind } from './kinds';
import type { Emit, Emitted, ReadCounts, TenantView } from './rule';

/** One thing a rule may read of its tenant. */
export type Read = string;

/** Every file of the tenant (a rule that walks `view.policies` or `view.files`). */
export const READS_ALL: Read = 'all';
/** The manifest, usable or not, with the groups that group exports beside it add (`withExportedGroups`). */
export const READS_MANIFEST: Read = 'manifest';
/** The tenant's files that are neither manifest nor policy (`view.others`). */
export const READS_OTHERS: Read = 'others';
/** Which files could not be read or parsed, and what kind each may hide (`TenantModel.unreadable`). */
export const READS_UNREADABLE: Read = 'unreadable';
/** The platforms the tenant's Intune policies manage (`TenantModel.platforms`, when the manifest lists none). */
export const READS_PLATFORMS: Read = 'platforms';

/** The policies of one kind (`kind:` alone: policies of no kind we know). */
export function kindRead(kind: PolicyKind | undefined): Read {
  return `kind:${kind ?? ''}`;
}

let current: Set<Read> | undefined;

/** Note a read, for the rule that is running (nothing when none is recorded). */
export function noteRead(read: Read): void {
  current?.add(read);
}

export function noteReads(reads: readonly Read[]): void {
  if (current) for (const r of reads) current.add(r);
}

/** Run `fn`, noting what it reads into `into` (undefined: nothing is noted, as for a reading made once and kept). */
export function recordingReads<T>(into: Set<Read> | undefined, fn: () => T): T {
  const before = current;
  current = into;
  try {
    return fn();
  } finally {
    current = before;
  }
}

/**
 * The policies of one kind. A store's view keeps them by kind and notes the kind; any other view (a test's, a
 * scenario's) filters its policies.
 */
export function policiesOfKind(view: TenantView, kind: PolicyKind): readonly PolicyFacts[] {
  return view.ofKind ? view.ofKind(kind) : view.policies.filter((p) => p.kind === kind);
}

/**
 * The platforms a file counts towards when the manifest lists none (`TenantModel.platforms`), and those `ztp import`
 * writes to a new manifest's `platforms` (`platformsOf` in `import-plan.ts`): one answer for both. A policy file of a
 * kind: the platforms it manages, but for a platform restriction that blocks its platform
 * (`platformRestriction.platformBlocked: true`, AzFrameworks/SecureTenant's privileged-workstation tenant blocking
 * iOS, Android and macOS), which shows the platform is kept out, not in use (one that blocks only personal devices lets
 * corporate devices enroll and counts). A raw export of no kind that the checks read: the platforms its profile
 * configures or onboards (`managedPlatformsOf`: a macOS custom profile carrying Defender's onboarding payload is
 * macOS's).
 */
export function evidencedPlatformsOf(f: FileFacts): readonly string[] {
  if (f.type === 'manifest') return [];
  if (f.type === 'other' || f.kind === undefined) return managedPlatformsOf(f);
  const p = f;
  if (p.kind === 'ConditionalAccessPolicy' || p.kind === 'EndpointDlpPolicy' || p.kind === 'DefenderConnector') return [];
  if (p.kind === 'EnrollmentRestriction' && (p.allPlatforms || blocksItsPlatform(p))) return [];
  return p.platforms;
}

/** Whether a single-platform enrollment restriction blocks its platform (`platformRestriction.platformBlocked: true`). */
function blocksItsPlatform(p: PolicyFacts): boolean {
  const restriction = p.spec?.platformRestriction;
  return typeof restriction === 'object' && restriction !== null && !Array.isArray(restriction) && (restriction as Record<string, unknown>).platformBlocked === true;
}

/** Whether a file could not be read or parsed at all (`TenantModel.unreadable`). */
export function isUnreadable(f: FileFacts): boolean {
  return f.parsed.syntaxErrors.length > 0 && f.parsed.value === undefined;
}

/**
 * What replacing a tenant's file `before` with `after` (either absent: the file came or went) changes of what rules
 * read. A manifest is not handled here: it changes which files a tenant has, and its tenant is analysed again whole.
 */
export function changedReads(before: FileFacts | undefined, after: FileFacts | undefined, into: Set<Read>): void {
  for (const f of [before, after]) {
    if (!f) continue;
    if (f.type === 'policy') into.add(kindRead(f.kind));
    else {
      // Group exports and migration tables beside raw exports add groups to the manifest's (`withExportedGroups`).
      into.add(READS_OTHERS);
      into.add(READS_MANIFEST);
    }
    if (isUnreadable(f)) into.add(READS_UNREADABLE);
  }
  const evidence = (f: FileFacts | undefined): string => (f ? evidencedPlatformsOf(f).join(',') : '');
  if (evidence(before) !== evidence(after)) into.add(READS_PLATFORMS);
}

/** Whether a rule that read `reads` must run again after changes to `changed`. */
export function touches(reads: ReadonlySet<Read>, changed: ReadonlySet<Read>): boolean {
  if (!changed.size) return false;
  if (reads.has(READS_ALL)) return true;
  for (const r of changed) if (reads.has(r)) return true;
  return false;
}

/**
 * How often each read of one tenant has changed (a store's, `incremental`). A manifest that changes or a new day
 * starts a new count: what was kept under the old one is made again.
 */
export class ReadVersions implements ReadCounts {
  private readonly counts = new Map<Read, number>();
  /** Changes counted so far: a view made at another generation is not the tenant as it is now. */
  generation = 0;

  constructor(readonly day: string) {}

  changed(reads: Iterable<Read>): void {
    this.generation++;
    for (const r of reads) this.counts.set(r, this.generation);
  }

  version(read: Read): number {
    return this.counts.get(read) ?? 0;
  }
}

/** A reading kept by `keptReading`, with what it read and the version of each. */
export interface KeptReading<T> {
  versions: ReadCounts;
  reads: Read[];
  at: number[];
  value: T;
}

/**
 * A reading of part of a tenant (a rule's answer for one policy), kept across analyses: made again only when
 * something it read changed since. `key` is what it is about (a policy's facts: an edited file has new facts); `read`
 * must reach the tenant only through the view and the model, as a rule does, so that what it reads is noted. What it
 * read is noted for the rule that asks, kept or not. Without a store's counts (any other view), it is just made.
 */
export function keptReading<T>(view: TenantView, kept: WeakMap<object, KeptReading<T>>, key: object, read: () => T): T {
  const versions = view.readVersions;
  // A view made before the latest change is not the tenant as the counts see it: nothing is kept from it.
  const current = versions !== undefined && view.generation === versions.generation;
  const old = current ? kept.get(key) : undefined;
  if (old && old.versions === versions && old.reads.every((r, i) => versions.version(r) === old.at[i])) {
    noteReads(old.reads);
    return old.value;
  }
  const reads = new Set<Read>();
  const value = recordingReads(reads, read);
  const list = [...reads];
  noteReads(list);
  if (current && !reads.has(READS_ALL)) kept.set(key, { versions, reads: list, at: list.map((r) => versions.version(r)), value });
  return value;
}

/**
 * For each policy, emit what `check` emits for it, kept per policy (`keptReading`): for a rule whose findings on one
 * policy depend on that policy and the rest of the tenant, so that an edit of one policy checks only that one again
 * (unless it changed what the others read).
 */
export function emitKept(tenant: TenantView, kept: WeakMap<object, KeptReading<Emitted[]>>, policies: readonly PolicyFacts[], emit: Emit, check: (p: PolicyFacts, emit: Emit) => void): void {
  for (const p of policies) {
    const found = keptReading(tenant, kept, p, () => {
      const out: Emitted[] = [];
      check(p, (e) => void out.push(e));
      return out;
    });
    for (const e of found) emit(e);
  }
}

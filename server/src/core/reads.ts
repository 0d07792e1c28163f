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
 * no-op, and a rule that reads more than it could name only makes itself run more often.
 */
import type { FileFacts, PolicyFacts } from './facts';
import type { PolicyKind } from './kinds';
import type { TenantView } from './rule';

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

/** The platforms a policy file counts towards when the manifest lists none (`TenantModel.platforms`). */
export function evidencedPlatformsOf(p: PolicyFacts): readonly string[] {
  if (p.kind === 'ConditionalAccessPolicy' || p.kind === 'EndpointDlpPolicy' || p.kind === 'DefenderConnector') return [];
  if (p.kind === 'EnrollmentRestriction' && p.allPlatforms) return [];
  return p.platforms;
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
  const evidence = (f: FileFacts | undefined): string => (f?.type === 'policy' ? evidencedPlatformsOf(f).join(',') : '');
  if (evidence(before) !== evidence(after)) into.add(READS_PLATFORMS);
}

/** Whether a rule that read `reads` must run again after changes to `changed`. */
export function touches(reads: ReadonlySet<Read>, changed: ReadonlySet<Read>): boolean {
  if (!changed.size) return false;
  if (reads.has(READS_ALL)) return true;
  for (const r of changed) if (reads.has(r)) return true;
  return false;
}

/**
 * What a change does (`ztp diff`, "Zero Trust: Show Change Impact"): two loaded workspaces in, per tenant the
 * findings introduced and resolved, the layers whose status moves, the sign-ins whose outcome changes, the
 * report-only policies whose would-be effect changes, the policies changed setting by setting; and the reasons,
 * if any, the change should not merge as it is (`failures`, exit status 1).
 */
import { listText } from '../prose';
import type { Verdict } from '../whatif';
import { cellBlockText, compactCells, groupSignIns, sampleText } from './cells';
import { diffFindings } from './findings';
import { diffPolicies } from './policies';
import { matchTenants, newlyReadable, newlyUnreadable, type BrokenFile, type DiffSide, type TenantPair, type TenantSide } from './side';
import { diffSignIns, type LockedGroup, type LockedSignIns } from './sign-ins';
import { relative } from '../paths';
import type { ChangeImpact, DiffFinding, FindingChanges, LayerChange, NewLockout, NoTenantImpact, SignInChange, TenantImpact } from './types';

export type { DiffService, DiffSide } from './side';
export { sameHeadOverSize } from './side';
export type { AcceptedChange, UnacceptedChange, ChangeImpact, NoTenantImpact, DiffFinding, LayerChange, NewLockout, NewRestriction, PolicyChange, ReportOnlyChange, Restricted, SettingChange, SeverityChange, SignInChange, TenantImpact } from './types';

const locked = (v: Verdict): boolean => v === 'blocked' || v === 'unsatisfiable';

/**
 * A break-glass account's sign-in the change locks out, as the lockout check reads it on the head: it ended neither
 * blocked nor unsatisfiable before, and does now by something other than a restriction (a block outside the locations
 * it excludes lets the account in from there: `ztp whatif --lockout` says "no lockout", and so does the diff).
 */
function newlyLockedOut(c: SignInChange): boolean {
  return c.subjectKind === 'breakGlass' && locked(c.after) && !locked(c.before) && !c.restrictedBy?.length;
}

/**
 * The layers whose status differs. A tenant one side lacks counts as not started there, so an added tenant lists
 * the layers it starts and a removed one those it leaves.
 *
 * A side's status computed without a file that side could not read, and the other side reads (`unread`: the base's
 * files the head reads, `newly`: the head's files the base read), is not compared as if the file were missing: where
 * it rests on such a file (the layer status names it among the files not analysed it rests on, `hiddenPaths`, or a
 * finding of the layer is now checked or no longer checked because of it), the change carries the files as
 * `baseUnknown` or `headUnknown`, never a plain "partial → blocked". A side's `blocked` is certain whatever the file
 * holds (a layer rule reports an error only when nothing unread may close it), so it is compared as it is.
 */
function diffLayers(
  base: TenantSide | undefined,
  head: TenantSide | undefined,
  unread: readonly BrokenFile[],
  newly: readonly BrokenFile[],
  nowChecked: readonly DiffFinding[],
  unchecked: readonly DiffFinding[],
): LayerChange[] {
  const before = base ? base.side.service.layers(base.root).layers : [];
  const after = head ? head.side.service.layers(head.root).layers : [];
  // The files of `broken` the side's status of a layer rests on, as the head shows them.
  const restsOn = (t: TenantSide | undefined, l: (typeof before)[number] | undefined, broken: readonly BrokenFile[], findings: readonly DiffFinding[]): string[] => {
    if (!t || !l || l.status === 'blocked' || !broken.length) return [];
    const hidden = new Set(l.hiddenPaths.map((p) => relative(t.root, p)));
    // A finding of the layer the findings section already reads as unknown on this side: every file that may hold a
    // policy (those the layer rules held back for) leaves it unknown, as `diffFindings` reads them.
    const byFindings = findings.some((f) => f.layer === l.layer && f.uncheckedBecause === undefined);
    return broken.filter((f) => hidden.has(f.local) || (byFindings && f.mayHold !== 'none')).map((f) => f.shown);
  };
  const out: LayerChange[] = [];
  for (const l of after.length ? after : before) {
    const was = before.find((x) => x.layer === l.layer);
    const is = after.find((x) => x.layer === l.layer);
    const b = was?.status ?? 'notStarted';
    const a = is?.status ?? 'notStarted';
    if (a === b) continue;
    const baseUnknown = restsOn(base, was, unread, nowChecked);
    const headUnknown = restsOn(head, is, newly.filter((f) => !f.before), unchecked);
    out.push({ layer: l.layer, name: l.name, before: b, after: a, ...(baseUnknown.length ? { baseUnknown } : {}), ...(headUnknown.length ? { headUnknown } : {}) });
  }
  return out;
}

/**
 * Break-glass accounts locked out on a sign-in they passed before, groups locked out on every one, and groups locked
 * out on some sign-ins of the lockout check's grid, as it reads them.
 */
function lockoutsOf(signIns: SignInChange[], groups: LockedGroup[], some: LockedSignIns[]): NewLockout[] {
  const out: NewLockout[] = [];
  for (const c of signIns) {
    if (!newlyLockedOut(c)) continue;
    let had = out.find((x) => x.user === c.user);
    if (!had) out.push((had = { user: c.user, subjectKind: 'breakGlass', cells: 0, policies: [] }));
    had.cells++;
    for (const p of c.decidedBy) if (!had.policies.includes(p)) had.policies.push(p);
  }
  for (const g of groups) out.push({ user: g.user, subjectKind: 'sample', ...(g.group ? { group: g.group } : {}), ...(g.role ? { role: g.role } : {}), cells: g.cells, policies: g.policies, ...(g.restrictedBefore ? { restrictedBefore: true as const } : {}) });
  for (const g of some) out.push({ user: g.user, subjectKind: 'sample', ...(g.group ? { group: g.group } : {}), ...(g.role ? { role: g.role } : {}), cells: g.cells.length, policies: g.policies, signIns: g.cells });
  return out;
}

/** Why the change fails, one line each: the cells and policies of each lockout, each error finding it introduces. */
function failuresOf(t: TenantImpact): string[] {
  const out: string[] = [];
  const newlyLocked = t.signIns.filter(newlyLockedOut);
  for (const g of groupSignIns(newlyLocked)) {
    for (const b of g.blocks) out.push(`${t.name}: locks out break-glass account ${g.changes[0]!.user} · ${cellBlockText(b)}: ${g.before} → ${g.after}`);
  }
  // Sample members locked out on the same sign-ins by the same policies: one line, as the lockout check lists them.
  const some = new Map<string, { whom: string[]; where: string; policies: string[] }>();
  for (const l of t.lockouts ?? []) {
    if (!l.signIns) continue;
    const where = compactCells(l.signIns).map(cellBlockText).join('; ');
    const key = `${where}\u0000${l.policies.join('\u0001')}`;
    const had = some.get(key);
    if (had) had.whom.push(sampleText(l));
    else some.set(key, { whom: [sampleText(l)], where, policies: l.policies });
  }
  for (const g of some.values()) {
    out.push(`${t.name}: locks out ${listText(g.whom)} on ${g.where}, as ztp whatif --lockout reads it (a requirement no one can meet, or a block that leaves nothing open), by ${g.policies.join(', ')}`);
  }
  for (const l of t.lockouts ?? []) {
    if (l.subjectKind !== 'sample' || l.signIns) continue;
    const before = l.restrictedBefore ? ' (before, by a restriction, which the lockout check reads as no lockout)' : '';
    out.push(`${t.name}: blocks every sign-in of ${sampleText(l)}: all ${l.cells} platform/client/app sign-ins now end blocked or unsatisfiable, by ${l.policies.join(', ')}${before}`);
  }
  for (const f of t.introduced) {
    if (f.severity === 'error') out.push(`${t.name}: introduces an error: ${f.ruleId} on ${f.policy} (${f.file}:${f.line}): ${f.message}`);
  }
  // An error the head has on a file the base could not read (or a layer rule's, which held back for it): now checked,
  // not introduced, but the head has it, and the base could not say it was there: it fails the change, said as what it is.
  for (const f of t.nowChecked ?? []) {
    if (f.severity === 'error') out.push(`${t.name}: has an error now checked (was unknown: ${listText((t.wasUnreadable ?? []).map((x) => `\`${x}\``))} could not be read on the base): ${f.ruleId} on ${f.policy} (${f.file}:${f.line}): ${f.message}`);
  }
  for (const { before, after: f } of t.escalated) {
    if (f.severity === 'error') out.push(`${t.name}: escalates a ${before.severity} to an error: ${f.ruleId} on ${f.policy} (${f.file}:${f.line}): ${f.message}`);
  }
  // An error a comment of the base accepted, active on the head: a new active error for CI, said as what it is.
  for (const u of t.unaccepted) {
    const f = u.finding;
    if (f.severity === 'error') out.push(`${t.name}: makes an accepted ${u.before && u.before.severity !== 'error' ? `${u.before.severity} an active error` : 'error active again'} (the base's ztp-ignore comment, line ${u.commentLine}, no longer accepts it): ${f.ruleId} on ${f.policy} (${f.file}:${f.line}): ${f.message}`);
  }
  return out;
}

function tenantImpact(pair: TenantPair): TenantImpact {
  const { base, head } = pair;
  // The head's files that no longer parse where the base read them, found once for what each part says of them.
  const newly = base ? newlyUnreadable(base, head) : [];
  // The base's files that could not be read and that the head reads: the mirror, found once too.
  const readable = newlyReadable(base, head);
  const { policies, renames } = diffPolicies(base, head, newly, readable);
  const findings = findingChanges(diffFindings(base, head, renames, newly, readable), readable);
  const layers = diffLayers(base, head, readable, newly, findings.nowChecked ?? [], findings.unchecked);
  // A file the base read that no longer parses and may hold a CA policy: the head's sign-ins would be evaluated without
  // it, as if it were deleted, so they are not compared (its syntax error fails the change anyway).
  const mayHoldCa = (f: BrokenFile): boolean => f.mayHold === 'ConditionalAccessPolicy' || f.mayHold === '*';
  const hidingCa = newly.filter(mayHoldCa);
  // The mirror: a file the base could not read that may hold a CA policy and parses on the head: the base's sign-ins
  // were evaluated without it, so what it does to them is unknown, never "allowed → blocked".
  const hidBeforeCa = readable.filter(mayHoldCa);
  const noGrid = { signIns: [], lockedSignIns: [], reportOnly: [], scenarios: 0, lockedGroups: [], restrictedGroups: [] };
  const grid = base && head && !hidingCa.length && !hidBeforeCa.length ? diffSignIns(base, head, renames) : noGrid;
  const lockouts = lockoutsOf(grid.signIns, grid.lockedGroups, grid.lockedSignIns);
  const restrictions = grid.restrictedGroups;
  const changed = findingsChanged(findings) || !!(hidBeforeCa.length || layers.length || grid.signIns.length || grid.reportOnly.length || policies.length || hidingCa.length);
  return {
    name: pair.name,
    change: !base ? 'added' : !head ? 'removed' : changed ? 'changed' : 'unchanged',
    ...(base ? { baseRoot: base.folder } : {}),
    ...(head ? { headRoot: head.folder } : {}),
    ...findings,
    ...(hidingCa.length ? { signInsNotCompared: hidingCa.map((f) => f.shown) } : {}),
    ...(hidBeforeCa.length ? { baseSignInsNotCompared: hidBeforeCa.map((f) => f.shown) } : {}),
    layers,
    signIns: grid.signIns,
    reportOnly: grid.reportOnly,
    // An added or removed tenant's policies are all added or removed (the manifest is the tenant itself).
    policies: !base || !head ? policies.filter((p) => p.kind !== 'Tenant') : policies,
    scenarios: grid.scenarios,
    ...(lockouts.length ? { lockouts } : {}),
    ...(restrictions.length ? { restrictions } : {}),
  };
}

/**
 * What the change from `base` to `head` does. Both services are loaded (discovered and read) by the caller; paths
 * in the result are relative to each side's `root`, and `label` says what the side is (`git:main`, a folder).
 * An added tenant's findings are all introduced and its policies all added; the sign-ins of a tenant only one side
 * has are not evaluated (there is nothing to compare them with).
 */
export function diffWorkspaces(base: DiffSide, head: DiffSide): ChangeImpact {
  const tenants = matchTenants(base, head).map(tenantImpact);
  const noTenant = noTenantImpact(base, head);
  const failures = [...tenants, ...(noTenant ? [noTenantGroup(noTenant)] : [])].flatMap(failuresOf);
  return { base: base.label, head: head.label, tenants, ...(noTenant ? { noTenant } : {}), failures };
}

/** What the diff and its formats call the files in no tenant folder, where a tenant's name would go. */
export const NO_TENANT_NAME = 'files in no tenant';

/**
 * The files in no tenant folder as a tenant without layers, sign-ins or policies: what the failures and the formats
 * read of a tenant, so that they say the same of these.
 */
export function noTenantGroup(n: NoTenantImpact): TenantImpact {
  return { name: NO_TENANT_NAME, ...n, layers: [], signIns: [], reportOnly: [], policies: [], scenarios: 0 };
}

/**
 * The findings of the files in no tenant folder on both sides (a shared template: the contract checks it against its
 * schema), compared as a tenant's are, when either side has such a file. No cross-file check reads them, so a file
 * that no longer parses (or now does) makes only its own findings unknown, never the others'.
 */
function noTenantImpact(base: DiffSide, head: DiffSide): NoTenantImpact | undefined {
  const sideOf = (s: DiffSide): TenantSide | undefined => {
    const view = s.service.view(undefined);
    if (!view.files.length && !s.service.findings(undefined).length) return undefined;
    return { side: s, root: s.root, view, folder: '.', outside: true };
  };
  const b = sideOf(base);
  const h = sideOf(head);
  if (!b && !h) return undefined;
  const ownOnly = (list: BrokenFile[]): BrokenFile[] => list.map((f) => ({ ...f, mayHold: 'none' as const }));
  const newly = ownOnly(newlyUnreadable(b, h));
  const readable = ownOnly(newlyReadable(b, h));
  const findings = findingChanges(diffFindings(b, h, new Map(), newly, readable), readable);
  return { change: findingsChanged(findings) ? 'changed' : 'unchanged', ...findings };
}

/**
 * The findings part of a tenant's impact (or of the files in no tenant folder), from what `diffFindings` found and the
 * base's files the head now reads, in the order the JSON gives them.
 */
function findingChanges(d: ReturnType<typeof diffFindings>, readable: readonly BrokenFile[]): FindingChanges {
  const { introduced, resolved, reworded, unchecked, nowChecked, escalated, lowered, accepted, unaccepted } = d;
  return {
    introduced,
    resolved,
    reworded,
    escalated,
    lowered,
    accepted,
    unaccepted,
    unchecked,
    ...(nowChecked.length ? { nowChecked } : {}),
    ...(readable.length ? { wasUnreadable: readable.map((f) => f.shown) } : {}),
  };
}

/** Whether any finding changed (`findingChanges`). */
function findingsChanged(c: FindingChanges): boolean {
  return !!(c.introduced.length || c.resolved.length || c.reworded.length || c.unchecked.length || c.nowChecked?.length || c.escalated.length || c.lowered.length || c.accepted.length || c.unaccepted.length);
}

/** The exit status of `ztp diff`: 1 when the change fails (an error finding introduced, a new lockout), else 0. */
export function changeImpactExitCode(impact: ChangeImpact): 0 | 1 {
  return impact.failures.length ? 1 : 0;
}

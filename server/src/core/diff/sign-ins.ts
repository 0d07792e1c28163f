/**
 * The sign-ins whose outcome a change alters: the lockout check's grid (break-glass accounts, a sample member of
 * each group the policies include, a user in no group; each platform; browser and mobile/desktop clients), over
 * every app the policies name besides `All`, evaluated by What If on both sides.
 */
import { gridTries, LOCKOUT_CLIENT_APPS, lockoutScenario, lockoutSubjects, signInLockouts, type LockoutSubject, type Restriction, type SignInLockouts } from '../lockout';
import { roleLabel } from '../model/break-glass';
import { PLATFORMS } from '../platforms';
import type { TenantView } from '../rule';
import { tenantPlatforms } from '../tenant-query';
import { APP_KEYWORDS, evaluate, type PolicyEvaluation, type Verdict, type WhatIfResult } from '../whatif';
import { obj, strings } from '../whatif/values';
import { canonical } from './policies';
import type { Cell } from './cells';
import type { TenantSide } from './side';
import type { NewRestriction, ReportOnlyChange, Restricted, SignInChange } from './types';

/**
 * An account of the grid, as each side defines it. An account only one side names (a sample member of a group
 * only the head's policies include, a break-glass account the head adds) is signed in on both sides all the same:
 * What If keeps a group the manifest lacks as a name no policy matches, so the other side evaluates an ordinary
 * user of that group, which is what that user's sign-in was (or will be) there.
 */
interface GridSubject {
  user: string;
  /** The head's kind when the head names the account (a change that demotes a break-glass account is judged as the head sees it). */
  kind: LockoutSubject['kind'];
  group?: string;
  /** The role a sample holder stands for, by name. */
  role?: string;
  base: LockoutSubject;
  head: LockoutSubject;
}

/**
 * A sample member of a group (a holder of a role, a user in no group) whose every sign-in the head locks out, as the
 * lockout check reads each one, when the base let some through.
 */
export interface LockedGroup {
  user: string;
  group?: string;
  role?: string;
  /** The enforced policies that lock them out on the head side. */
  policies: string[];
  cells: number;
  /** Every sign-in ended blocked or unsatisfiable on the base side too, but by a restriction there. */
  restrictedBefore?: true;
}

/**
 * A sample member of a group (a holder of a role, a user in no group) some sign-ins of which the head locks out, as
 * `ztp whatif --lockout` reads each (its grid: every app; a requirement no one can meet, a block that leaves nothing
 * open), where the base did not: the lockout check on the head fails on them, so the change does too.
 */
export interface LockedSignIns {
  user: string;
  group?: string;
  role?: string;
  /** The lockout check's sign-ins (every app) newly locked out. */
  cells: Cell[];
  /** The enforced policies that lock them out on the head side. */
  policies: string[];
}

export interface SignInDiff {
  signIns: SignInChange[];
  /** Sample members the head locks out on some sign-ins of the lockout check's grid, where the base did not. */
  lockedSignIns: LockedSignIns[];
  reportOnly: ReportOnlyChange[];
  scenarios: number;
  lockedGroups: LockedGroup[];
  /** Sample members every sign-in of which now ends by a block the lockout check reads as a restriction: no lockout. */
  restrictedGroups: NewRestriction[];
}

/** Whether one sign-in is a lockout for the grid: a lockout, or blocked only by restrictions the grid tries around. */
function closedHere(read: SignInLockouts, tries: readonly Restriction[], everyApp: boolean): boolean {
  if (read.lockouts.length) return true;
  if (!read.restrictions.length || !read.restrictions.every((r) => tries.includes(r.restriction))) return false;
  // The sign-in to every app stands for the apps no policy names, which no cell tries: some block here must take them
  // in (a block of some named apps alone leaves them open).
  return !everyApp || read.restrictions.some((r) => r.restriction !== 'apps' || r.openApps !== undefined);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALL_USERS = 'sample@all-users';

function gridSubjects(base: TenantView, head: TenantView): GridSubject[] {
  const before = lockoutSubjects(base);
  const after = lockoutSubjects(head);
  const key = (s: LockoutSubject): string => s.user.toLowerCase();
  const baseOf = new Map(before.map((s) => [key(s), s]));
  const headOf = new Map(after.map((s) => [key(s), s]));
  const out: GridSubject[] = [];
  for (const s of [...after, ...before.filter((x) => !headOf.has(key(x)))]) {
    const b = baseOf.get(key(s)) ?? s;
    const h = headOf.get(key(s)) ?? s;
    out.push({ user: s.user, kind: h.kind, ...(s.kind === 'sample' && s.groups[0] ? { group: s.groups[0] } : {}), ...(s.kind === 'sample' && s.roles?.[0] ? { role: roleLabel(s.roles[0]) } : {}), base: b, head: h });
  }
  // Break-glass accounts first (head's order, then the base's), then sample members by group, the user in no group last.
  const rank = (s: GridSubject): number => (s.kind === 'breakGlass' ? 0 : s.user === ALL_USERS ? 2 : 1);
  return out
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || (rank(a.s) === 1 ? ((a.s.group ?? '') < (b.s.group ?? '') ? -1 : (a.s.group ?? '') > (b.s.group ?? '') ? 1 : 0) : a.i - b.i))
    .map((x) => x.s);
}

/** The union of both sides' platforms (the manifest's, or those the policies manage), in the catalogue's order. */
function gridPlatforms(base: TenantView, head: TenantView): string[] {
  const used = new Set<string>([...tenantPlatforms(base), ...tenantPlatforms(head)]);
  return PLATFORMS.filter((p) => used.has(p));
}

/**
 * `All` (the lockout check's: any policy on any app applies), then every app a Conditional Access policy of either
 * side includes or excludes, so a change to an app list shows on the app it names ("block All but app X" blocks
 * `All` on both sides; only X's cell shows the exclusion going).
 */
function gridApps(views: TenantView[]): string[] {
  const named = new Map<string, string>();
  for (const v of views) {
    for (const p of v.policies) {
      if (p.kind !== 'ConditionalAccessPolicy') continue;
      const a = obj(obj(p.spec?.conditions)?.applications);
      for (const ref of [...strings(a?.includeApplications), ...strings(a?.excludeApplications)]) {
        const keyword = APP_KEYWORDS.find((k) => k.toLowerCase() === ref.trim().toLowerCase());
        if (keyword && keyword !== 'All') named.set(keyword.toLowerCase(), keyword);
        else if (GUID.test(ref.trim()) && !named.has(ref.trim().toLowerCase())) named.set(ref.trim().toLowerCase(), ref.trim());
      }
    }
  }
  const keywords = APP_KEYWORDS.filter((k) => k !== 'All' && named.has(k.toLowerCase()));
  const ids = [...named.values()].filter((x) => GUID.test(x)).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  return ['All', ...keywords, ...ids];
}

/** Everything a tenant's evaluation reads (the manifest, the policies, the group exports beside them), as one text. */
function evaluationInput(view: TenantView): string {
  const values = (files: { value?: unknown; path: string }[]): string[] => files.map((f) => canonical(f.value ?? null)).sort();
  return canonical({ manifest: view.manifestFile?.value ?? null, policies: values(view.policies), others: values(view.others) });
}

const locked = (v: Verdict): boolean => v === 'blocked' || v === 'unsatisfiable';

/** The enforced policies behind an outcome: those that block, else those asking what cannot be met, else those asking at all. */
function decidedBy(r: WhatIfResult): string[] {
  if (r.verdict === 'blocked') return [...r.blockedBy];
  if (r.verdict === 'unsatisfiable') return [...new Set(r.unsatisfiable.map((u) => u.policy))];
  if (r.verdict === 'allowedIf') return [...new Set(r.requirements.map((q) => q.policy))];
  return [];
}

/** What a report-only policy would do to this sign-in, were it enforced. */
function wouldText(e: PolicyEvaluation): string {
  if (!e.applies || !e.grant) return 'notApplied';
  switch (e.grant.outcome) {
    case 'block':
      return 'would block';
    case 'requires':
      return `would ${e.grant.summary.replace(/^requires/, 'require')}`;
    case 'unsatisfiable':
      return 'would be unsatisfiable';
    default:
      return 'would grant';
  }
}

/**
 * A report-only policy of the head whose would-be effect on a sign-in differs from the base's. The base side says
 * what the policy was there when it was not report-only (`enforced`, `disabled`, `absent`). A report-only policy
 * the head enforces or drops is left out: its effect shows in the sign-ins, its removal in the policies.
 */
function reportOnlyChanges(rb: WhatIfResult, rh: WhatIfResult, baseNameOf: Map<string, string>): { policy: string; before: string; after: string }[] {
  const out: { policy: string; before: string; after: string }[] = [];
  for (const e of rh.reportOnly) {
    const after = wouldText(e);
    const baseName = baseNameOf.get(e.name) ?? e.name;
    const was = rb.reportOnly.find((x) => x.name === baseName);
    let before: string;
    if (was) before = wouldText(was);
    else {
      if (after === 'notApplied') continue;
      const other = rb.policies.find((x) => x.name === baseName);
      before = !other ? 'absent' : other.state === 'enabled' ? 'enforced' : 'disabled';
    }
    if (before !== after) out.push({ policy: e.name, before, after });
  }
  return out;
}

/**
 * Evaluate the grid on both sides and keep what changed: a verdict, or what an "allowed if" asks (a sign-in that
 * now needs a compliant device as well as MFA changes for the user even though both are "allowed if"). Which
 * policy decides is not compared, so a pure rename changes no sign-in.
 */
export function diffSignIns(base: TenantSide, head: TenantSide, renames: Map<string, string>): SignInDiff {
  const subjects = gridSubjects(base.view, head.view);
  const platforms = gridPlatforms(base.view, head.view);
  const apps = gridApps([base.view, head.view]);
  // What If reads nothing but the tenant's files: when they set the same on both sides (a change to another tenant
  // of the workspace), no sign-in can change, and the grid is not evaluated.
  if (evaluationInput(base.view) === evaluationInput(head.view)) {
    return { signIns: [], lockedSignIns: [], reportOnly: [], scenarios: subjects.length * platforms.length * LOCKOUT_CLIENT_APPS.length * apps.length, lockedGroups: [], restrictedGroups: [] };
  }
  // Whether a sign-in locks the account out is the lockout check's answer on each side, so the two commands agree
  // on a head: a block that leaves some locations, apps, platforms or groups open is a restriction, not a lockout.
  // The grid signs in to each app the policies name: a sign-in to one of them is read without the apps, the sign-in to
  // every app with what a block of some apps leaves of the others (see signInLockouts).
  const readBase = signInLockouts(base.view, true);
  const readHead = signInLockouts(head.view, true);
  // The lockout check's own reading of its sign-ins (every app; what a block of some apps leaves open is tried there):
  // a sign-in it finds locked out on the head and not on the base fails the change, as `ztp whatif --lockout` fails
  // on the head. Read on the cells of its grid (the sign-in to every app), for each sample member.
  const checkBase = signInLockouts(base.view);
  const checkHead = signInLockouts(head.view);
  const lockedSignIns: LockedSignIns[] = [];
  const baseNameOf = new Map([...renames].map(([from, to]) => [to, from]));
  const signIns: SignInChange[] = [];
  const reportOnly: ReportOnlyChange[] = [];
  const lockedGroups: LockedGroup[] = [];
  const restrictedGroups: NewRestriction[] = [];
  let scenarios = 0;
  for (const s of subjects) {
    // Every sign-in locked out on each side, as the lockout check reads it; and every one ending blocked or
    // unsatisfiable, whatever the reason, so that a restriction that now stops them all is told apart.
    let lockedBefore = true;
    let lockedAfter = true;
    let endedBefore = true;
    let endedAfter = true;
    let cells = 0;
    const policies: string[] = [];
    const restrictions: NewRestriction['restrictions'] = [];
    // Each side's readings, judged once the subject's grid is done (which platforms a split of blocks leaves open is
    // known only then).
    const readsBase: { read: SignInLockouts; everyApp: boolean }[] = [];
    const readsHead: { read: SignInLockouts; everyApp: boolean }[] = [];
    const newlyLocked: Cell[] = [];
    const lockedBy: string[] = [];
    // The subject's changes that end blocked, with the lockout check's reading of the head's block: one it reads as a
    // restriction only (a block outside the locations it excludes) is said so, and is no lockout unless the grid closes.
    const blockedChanges: { change: SignInChange; read: SignInLockouts }[] = [];
    for (const platform of platforms) {
      for (const clientApp of LOCKOUT_CLIENT_APPS) {
        for (const app of apps) {
          scenarios++;
          cells++;
          const rb = evaluate(base.view, lockoutScenario(s.base, platform, clientApp, app));
          const rh = evaluate(head.view, lockoutScenario(s.head, platform, clientApp, app));
          endedBefore &&= locked(rb.verdict);
          endedAfter &&= locked(rh.verdict);
          const headRead = locked(rh.verdict) ? readHead(rh, s.head) : undefined;
          // A break-glass account's grid is read as the lockout check reads it too, so that `ztp diff` calls a block a
          // lockout only where `ztp whatif --lockout` on the head would (a block outside trusted locations is not).
          if (s.kind === 'breakGlass' && endedAfter && headRead) readsHead.push({ read: headRead, everyApp: app === 'All' });
          if (s.kind === 'sample') {
            // Break-glass accounts fail on any sign-in newly locked out, one by one (diff/index.ts), a block the lockout
            // check reads as a restriction excepted (`restrictedBy`, below). A block that leaves only some apps, platforms or client apps open is no way in when every sign-in of
            // the grid (which has each of those) ends too: only what the grid cannot try (a location, a device, a
            // group) stays a restriction.
            if (lockedBefore) {
              if (locked(rb.verdict)) readsBase.push({ read: readBase(rb, s.base), everyApp: app === 'All' });
              else lockedBefore = false;
            }
            if (endedAfter) {
              const read = headRead!;
              readsHead.push({ read, everyApp: app === 'All' });
              for (const f of read.lockouts) if (!policies.includes(f.policy)) policies.push(f.policy);
              for (const r of read.restrictions) if (!restrictions.some((x) => x.policy === r.policy && x.restriction === r.restriction)) restrictions.push({ policy: r.policy, restriction: r.restriction });
            } else lockedAfter = false;
          }
          if (s.kind === 'sample' && app === 'All' && locked(rh.verdict)) {
            const now = checkHead(rh, s.head).lockouts;
            if (now.length && !(locked(rb.verdict) && checkBase(rb, s.base).lockouts.length)) {
              newlyLocked.push({ platform, clientApp, app });
              for (const f of now) if (!lockedBy.includes(f.policy)) lockedBy.push(f.policy);
            }
          }
          const after = decidedBy(rh);
          if (rb.verdict !== rh.verdict || (rb.verdict === 'allowedIf' && rb.summary !== rh.summary)) {
            const change: SignInChange = {
              user: s.user,
              subjectKind: s.kind,
              ...(s.group ? { group: s.group } : {}),
              ...(s.role ? { role: s.role } : {}),
              platform,
              clientApp,
              app,
              before: rb.verdict,
              after: rh.verdict,
              decidedBy: after,
              decidedByBefore: decidedBy(rb),
              beforeSummary: rb.summary,
              afterSummary: rh.summary,
              ...(rh.verdict === 'unsatisfiable' ? { afterUnsatisfiable: [...new Set(rh.unsatisfiable.map((u) => u.reason))] } : {}),
            };
            signIns.push(change);
            if (rh.verdict === 'blocked' && headRead) blockedChanges.push({ change, read: headRead });
          }
          for (const c of reportOnlyChanges(rb, rh, baseNameOf)) reportOnly.push({ user: s.user, platform, clientApp, app, ...c });
        }
      }
    }
    // Locked out only when every sign-in ended: a restriction the grid tried around is then no way in.
    const closed = (view: TenantView, reads: { read: SignInLockouts; everyApp: boolean }[]): boolean => {
      const platformBlocks = [...new Set(reads.flatMap((r) => r.read.restrictions.filter((x) => x.restriction === 'platforms').flatMap((x) => x.source ?? [])))];
      const tries = gridTries(view, true, platformBlocks);
      return reads.every((r) => closedHere(r.read, tries, r.everyApp));
    };
    lockedBefore &&= endedBefore && closed(base.view, readsBase);
    lockedAfter &&= endedAfter && closed(head.view, readsHead);
    // A block the lockout check reads as a restriction (no lockout on this sign-in, and not every sign-in of the
    // account closed between the blocks) is marked with what it leaves open, on every account alike.
    if (!lockedAfter) {
      for (const { change, read } of blockedChanges) {
        if (read.lockouts.length || !read.restrictions.length) continue;
        const by: Restricted[] = [];
        for (const r of read.restrictions) if (!by.some((x) => x.policy === r.policy && x.restriction === r.restriction)) by.push({ policy: r.policy, restriction: r.restriction });
        change.restrictedBy = by;
      }
    }
    // Locked out, the blocks each leaving what another closes are named too (in the order the grid met them).
    if (lockedAfter) for (const r of restrictions) if (!policies.includes(r.policy)) policies.push(r.policy);
    if (s.kind !== 'sample' || !cells) continue;
    const who = { user: s.user, ...(s.group ? { group: s.group } : {}), ...(s.role ? { role: s.role } : {}) };
    if (lockedAfter && !lockedBefore) lockedGroups.push({ ...who, policies, cells, ...(endedBefore ? { restrictedBefore: true as const } : {}) });
    else if (newlyLocked.length) lockedSignIns.push({ ...who, cells: newlyLocked, policies: lockedBy });
    else if (endedAfter && !endedBefore && !lockedAfter && restrictions.length) restrictedGroups.push({ ...who, cells, restrictions });
  }
  return { signIns, lockedSignIns, reportOnly, scenarios, lockedGroups, restrictedGroups };
}

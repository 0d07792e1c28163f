/**
 * What a change does (`ztp diff`, "Zero Trust: Show Change Impact"): the two sides are whole workspaces (a folder and
 * another folder, or the working tree and a git revision), each loaded into its own `PolicyService`; tenants are
 * matched by their manifest `name`, policies by kind and name. Paths in here are relative to each side's root.
 */
import type { Severity } from '../types';
import type { Restriction } from '../lockout';
import type { Verdict } from '../whatif';

/** A finding as the diff matches it: by rule, policy (or file) and message, never by line. */
export interface DiffFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The policy's name, or the file's path relative to the tenant folder when it is no policy (the manifest). */
  policy: string;
  /** Path relative to the side's root, and the 1-based line, for the reader. */
  file: string;
  line: number;
  layer?: number;
  /** What the message states as certain (`Finding.certain`). */
  certain?: string[];
  /**
   * For a finding no longer checked because a profile was exported without its settings (the head's
   * `profilesWithoutSettings`, which the base did not have, may hold what the finding's rule looks for): why, as
   * "`win-disk` exported without its settings". Undefined for one a file no longer analysed silences.
   */
  uncheckedBecause?: string;
}

/** A finding both sides have (a layer rule's, on the same policy, at the same severity), worded otherwise by the head. */
export interface RewordedFinding {
  before: DiffFinding;
  after: DiffFinding;
}

/**
 * The same finding on both sides at another severity (`escalated`: a report-only policy enforced turns its lowered
 * warning into an error; `lowered`: the other way), its message changed at most as `reworded` allows.
 */
export interface SeverityChange {
  before: DiffFinding;
  after: DiffFinding;
}

/**
 * A finding the head does not report because a `# ztp-ignore` comment accepts it, where the base did not accept it: the
 * gap is still there, a person accepted it (never "resolved"). The comment as `ztp report` lists it.
 */
export interface AcceptedChange {
  /** The head's finding, as the comment accepts it. */
  finding: DiffFinding;
  /** The comment's reason, its line (1-based) in the finding's file, and whether it covers the whole file. */
  reason: string;
  commentLine: number;
  fileWide: boolean;
  /**
   * The base's finding it was, when the base reported it at another severity or in other words (a report-only policy
   * enforced, with the comment added); absent when the base reported the very same finding, or none (`new`).
   */
  before?: DiffFinding;
  /** The base had no such finding: the change makes the gap and accepts it at once. */
  new?: true;
}

/**
 * A finding a `# ztp-ignore` comment of the base accepted, that the head reports: the comment is gone (or no longer
 * covers it), so the gap the base had accepted is active again. Never "introduced": the gap was there before, a person
 * had accepted it. An error made active again fails the change as a new error does (it is a new active error for CI).
 */
export interface UnacceptedChange {
  /** The head's finding, active. */
  finding: DiffFinding;
  /** The base's comment: its reason, its line (1-based) in the base's file, and whether it covered the whole file. */
  reason: string;
  commentLine: number;
  fileWide: boolean;
  /**
   * The base's accepted finding, when the head reports it at another severity or in other words (a report-only policy
   * enforced, with the comment removed); absent when the head reports the very same finding.
   */
  before?: DiffFinding;
}

/**
 * A layer whose status differs between the sides: `before` and `after` as each side's tree and report give it. With
 * `baseUnknown`, the base's status rested on files the base could not read and the head reads (paths on the head
 * side): it was computed without them, so what the base's layer was is unknown, and the change is not "before →
 * after". `headUnknown` is the mirror: files the base read that the head cannot. A `blocked` side never carries them.
 */
export interface LayerChange {
  layer: number;
  name: string;
  before: 'complete' | 'partial' | 'blocked' | 'notStarted';
  after: 'complete' | 'partial' | 'blocked' | 'notStarted';
  baseUnknown?: string[];
  headUnknown?: string[];
}

/** One sign-in of the grid whose outcome the change alters. */
export interface SignInChange {
  /** The account: a break-glass user, `sample@<group>` or `sample@all-users`. */
  user: string;
  subjectKind: 'breakGlass' | 'sample';
  /** The group the sample user stands for, when it stands for one. */
  group?: string;
  /** The directory role the sample user holds, by name, when it stands for the role's holders. */
  role?: string;
  platform: string;
  clientApp: string;
  /** The app signed in to (`All`, or an app id a policy names). */
  app: string;
  before: Verdict;
  after: Verdict;
  /** The enforced policies that decide the new outcome (blocking, or asking what cannot be met). */
  decidedBy: string[];
  /** The same on the base side: what decided the old outcome (what stopped blocking, for a sign-in now allowed). */
  decidedByBefore?: string[];
  /** The summary What If gives on each side. */
  beforeSummary: string;
  afterSummary: string;
  /** For a sign-in now unsatisfiable: what cannot be met, each reason once (What If's `unsatisfiable`, not its summary's words). */
  afterUnsatisfiable?: string[];
  /**
   * A sign-in now blocked that the lockout check reads as a restriction, not a lockout (each enforced policy that
   * blocks it, with what it leaves open: the locations it excludes, say): listed among the sign-ins that change, never
   * a lockout of its own.
   */
  restrictedBy?: Restricted[];
}

/** An enforced policy whose block the lockout check reads as a restriction, with what it leaves open. */
export interface Restricted {
  policy: string;
  restriction: Restriction;
}

/** Report-only policies: what they would do, before and after ("would block"). */
export interface ReportOnlyChange {
  user: string;
  platform: string;
  clientApp: string;
  app: string;
  policy: string;
  /** What the report-only policy would have done on each side (`notApplied` when it did not apply). */
  before: string;
  after: string;
}

/**
 * One setting of a policy that changed, by property path in the policy file (`spec.grantControls.builtInControls`).
 * Settings catalog settings are keyed by definition id in the path
 * (`spec.settings[device_vendor_msft_bitlocker_requiredeviceencryption].settingInstance.choiceSettingValue.value`)
 * and named from the settings catalog index when it names them.
 */
export interface SettingChange {
  path: string;
  /** JSON values; undefined when the property was absent on that side. */
  before?: unknown;
  after?: unknown;
  /** The settings catalog setting's display name ("Require Device Encryption"), when the index has one. */
  setting?: string;
  /**
   * Each side's value by name: a choice value's option name ("Enabled") or a choice collection's option names
   * joined by ", ", when the index names them; for a setting added or removed whole (`before` or `after` is the
   * whole item), what it sets, in words: its option names (else its value ids) or simple values, a secret as
   * `secret`, and how many settings sit under it ("Enabled + 1 child setting").
   */
  beforeName?: string;
  afterName?: string;
}

export interface PolicyChange {
  kind: string;
  name: string;
  /** Path relative to the side's root (head when it exists, else base). */
  file: string;
  /**
   * `unreadable`: the policy's file is still there on the head side, but could not be read or parsed there, so what it
   * holds now is unknown (never "removed"). With `stillUnreadable`, it could not be read on the base side either, and
   * its text changed: what the change did to it is unknown, never "unchanged" (its name is then its file's).
   * `readable`: the mirror: the policy's file was there on the base side but could not be read or parsed there, and
   * the head reads it: now readable, never "added" (what the base's file held is unknown).
   */
  change: 'added' | 'removed' | 'changed' | 'renamed' | 'unreadable' | 'readable';
  stillUnreadable?: true;
  /** For `renamed`: the name it had (the same kind and settings under another name or file). */
  from?: string;
  /** The settings that changed: what a device or a sign-in meets. The name and description are not among them. */
  settings: SettingChange[];
  /**
   * How the policy names itself to a reader, changed (`description`, `spec.displayName`, `spec.description`, a
   * settings catalog profile's `spec.name`): listed apart, never counted as a setting, since no device or sign-in
   * meets them. Only when one changed.
   */
  labels?: SettingChange[];
}

/**
 * An account the change newly locks out (a reason for exit 1): a break-glass account on any sign-in of the grid, or
 * a sample member of a group (or the user in no group) on every one of them.
 */
export interface NewLockout {
  user: string;
  subjectKind: 'breakGlass' | 'sample';
  group?: string;
  role?: string;
  /** How many sign-ins of the grid now end blocked or unsatisfiable for the account, that did not before. */
  cells: number;
  /** The enforced policies that lock the account out on the head side. */
  policies: string[];
  /**
   * For a sample member: every sign-in ended blocked or unsatisfiable before the change too, but by a block the
   * lockout check reads as a restriction (a country allowlist that now blocks every location).
   */
  restrictedBefore?: true;
  /**
   * For a sample member locked out on some sign-ins only (not every one): those sign-ins of the lockout check's grid
   * (every app), which `ztp whatif --lockout` reads as lockouts on the head and not on the base (`cells` counts them).
   */
  signIns?: { platform: string; clientApp: string; app: string }[];
}

/**
 * A sample member of a group (a holder of a role, a user in no group) whose every sign-in of the grid now ends blocked
 * or unsatisfiable, where some did not before, by a block `ztp whatif --lockout` reads as a restriction: it leaves
 * some locations (a country allowlist), apps, platforms, client apps, devices or groups open. No failure.
 */
export interface NewRestriction {
  user: string;
  group?: string;
  role?: string;
  cells: number;
  /** Each enforced policy whose block is a restriction, with what it leaves open. */
  restrictions: Restricted[];
}

/** How the findings of a tenant (or of the files in no tenant folder) changed: `TenantImpact`'s and `NoTenantImpact`'s. */
export interface FindingChanges {
  introduced: DiffFinding[];
  resolved: DiffFinding[];
  /** The same gap on both sides, its message changed (narrowed): neither introduced nor resolved. */
  reworded: RewordedFinding[];
  /** The same finding at a higher severity on the head (an error escalated from a warning fails the change). */
  escalated: SeverityChange[];
  /** The same finding at a lower severity on the head. */
  lowered: SeverityChange[];
  /** Findings a `# ztp-ignore` comment of the head accepts that the base did not: accepted, never resolved. */
  accepted: AcceptedChange[];
  /**
   * Findings a `# ztp-ignore` comment of the base accepted that the head reports: no longer accepted, never introduced
   * (an error among them fails the change as an introduced one does).
   */
  unaccepted: UnacceptedChange[];
  /**
   * What the base found that the head does not, while a file the base read no longer parses on the head: unknown, not
   * resolved (the findings on that file, and the layer rules', which hold back for what it may hold). So too a
   * configuration check's finding while a profile the base did not have without its settings may hold what it looks
   * for (`DiffFinding.uncheckedBecause` says which).
   */
  unchecked: DiffFinding[];
  /**
   * The mirror of `unchecked`: what the head finds that the base did not, while a file the base could not read parses
   * on the head (`wasUnreadable` names them): unknown on the base, so now checked, not introduced (the findings on that
   * file, and the layer rules', which held back for what it may hold). An error among them still fails the change: the
   * head has it, and the base could not say it was there. Absent when there are none.
   */
  nowChecked?: DiffFinding[];
  /** The base's files that could not be read and that the head reads (paths on the head side), when any. */
  wasUnreadable?: string[];
}

export interface TenantImpact extends FindingChanges {
  /** The manifest `name` both sides share (or the folder, when a manifest has none). */
  name: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  baseRoot?: string;
  headRoot?: string;
  /**
   * Those of `wasUnreadable` that may hold a Conditional Access policy: the base's sign-ins are not all there, so none
   * is compared (empty `signIns`), as with `signInsNotCompared` the other way round.
   */
  baseSignInsNotCompared?: string[];
  /**
   * The head's files, no longer parsing, that may hold a Conditional Access policy: the head's sign-ins are not all
   * there, so none is compared (empty `signIns`).
   */
  signInsNotCompared?: string[];
  layers: LayerChange[];
  signIns: SignInChange[];
  reportOnly: ReportOnlyChange[];
  policies: PolicyChange[];
  /** How many sign-ins were evaluated on each side (the grid's size). */
  scenarios: number;
  /** Who the change newly locks out (each also a line of `failures`). */
  lockouts?: NewLockout[];
  /** Who the change now blocks on every sign-in by a restriction, which is no lockout (no failure). */
  restrictions?: NewRestriction[];
}

/**
 * The findings of the files in no tenant folder, compared as a tenant's are (`TenantImpact`'s fields of the same
 * names). No cross-file check reads them, so there are no layers, sign-ins or policies to compare; a file that no
 * longer parses leaves only its own findings unknown.
 */
export interface NoTenantImpact extends FindingChanges {
  change: 'changed' | 'unchanged';
}

export interface ChangeImpact {
  /** What each side is, for the reader: a folder, or `git:<ref>`, or `working tree`. */
  base: string;
  head: string;
  tenants: TenantImpact[];
  /**
   * The files in no tenant folder (a shared template beside the tenants), when either side has one: checked against
   * their schema alone (the contract), so only their findings are compared, as a group of their own. An error they
   * introduce fails the change as a tenant's does.
   */
  noTenant?: NoTenantImpact;
  /** Why the exit status is 1, one line each (empty: 0). */
  failures: string[];
}

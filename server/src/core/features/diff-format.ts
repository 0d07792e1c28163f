/**
 * What a change does, in words: plain text for the terminal, Markdown for a pull-request comment (a summary line a
 * reviewer gets the gist from, then each tenant with its details folded, cut under a size with a note), and JSON
 * with a stable key order for tools.
 */
import { appLabel, cellBlockText, clientAppLabel, groupReportOnly, groupRestrictions, groupSignIns, unsatisfiableReasons, type SignInGroup } from '../diff/cells';
import type { AcceptedChange, ChangeImpact, DiffFinding, LayerChange, PolicyChange, ReportOnlyChange, SettingChange, SeverityChange, SignInChange, TenantImpact, UnacceptedChange } from '../diff/types';
import { listText } from '../prose';
import { isManifestPath } from '../paths';
import { noTenantGroup } from '../diff/index';

/** The tenants, then the files in no tenant folder as a group of their own: what the findings are counted over. */
function groupsOf(impact: ChangeImpact): TenantImpact[] {
  return impact.noTenant ? [...impact.tenants, noTenantGroup(impact.noTenant)] : impact.tenants;
}

/** "Unchanged: a, b", the files in no tenant folder last when they are unchanged too. */
function unchangedNames(impact: ChangeImpact): string[] {
  return [...impact.tenants.filter((t) => t.change === 'unchanged').map((t) => t.name), ...(impact.noTenant?.change === 'unchanged' ? ['the files in no tenant'] : [])];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const STATUS_TEXT: Record<LayerChange['after'], string> = { complete: 'complete', partial: 'partial', blocked: 'blocked', notStarted: 'not started' };
const STATUS_ICON: Record<LayerChange['after'], string> = { complete: '✅', partial: '🟡', blocked: '⛔', notStarted: '⚪' };
const SEVERITY_ICON: Record<DiffFinding['severity'], string> = { error: '⛔', warning: '⚠️', information: 'ℹ️', hint: '💡' };

/**
 * A side's status of a changed layer in words: the status, or, where it rests on files that side could not read and
 * the other side reads (`baseUnknown`, `headUnknown`), unknown, with the files and (`withStatus`) what it read as
 * without them: never a plain "partial → blocked" that the file alone may have made.
 */
function layerSideText(l: LayerChange, side: 'base' | 'head', withStatus = false): string {
  const files = side === 'base' ? l.baseUnknown : l.headUnknown;
  const status = STATUS_TEXT[side === 'base' ? l.before : l.after];
  if (!files?.length) return status;
  return `${side} unknown (${listText(files)} could not be read${withStatus ? `; ${status} without ${files.length > 1 ? 'them' : 'it'}` : ''})`;
}

const layerText = (l: LayerChange): string => `layer ${l.layer}: ${layerSideText(l, 'base')} → ${layerSideText(l, 'head')}`;

/** A layer change neither side of which rests on a file that side could not read: a change in status the diff can claim. */
const layerKnown = (l: LayerChange): boolean => !l.baseUnknown?.length && !l.headUnknown?.length;

/** A Markdown cell of a changed layer's status on one side (`layerSideText`, with the files as code). */
function layerCellMd(l: LayerChange, side: 'base' | 'head'): string {
  const files = side === 'base' ? l.baseUnknown : l.headUnknown;
  const status = side === 'base' ? l.before : l.after;
  const shown = `${STATUS_ICON[status]} ${STATUS_TEXT[status]}`;
  if (!files?.length) return shown;
  return `❓ unknown: ${listText(files.map((f) => code(f)))} could not be read on the ${side} (${shown} without ${files.length > 1 ? 'them' : 'it'})`;
}


/** Who the change newly locks out, and the error findings it introduces, as the headline says them. */
function failureHeadline(impact: ChangeImpact): string | undefined {
  if (!impact.failures.length) return undefined;
  const lockouts = impact.tenants.flatMap((t) => t.lockouts ?? []);
  const accounts = new Set(lockouts.filter((l) => l.subjectKind === 'breakGlass').map((l) => l.user)).size;
  // A sample member stands for a group, the holders of a role, or the users in no group: each counted as what it is.
  const samples = lockouts.filter((l) => l.subjectKind === 'sample');
  const whomOf = (list: typeof samples): string[] => {
    const groups = list.filter((l) => l.group).length;
    const roles = list.filter((l) => !l.group && l.role).length;
    return [
      ...(groups ? [groups === 1 ? 'a group' : `${groups} groups`] : []),
      ...(roles ? [roles === 1 ? 'the holders of a role' : `the holders of ${roles} roles`] : []),
      ...(list.some((l) => !l.group && !l.role) ? ['users in no group'] : []),
    ];
  };
  const whom = whomOf(samples.filter((l) => !l.signIns));
  // Locked out on some sign-ins (a platform whose compliant device no one can have), as the lockout check reads them.
  const some = whomOf(samples.filter((l) => l.signIns));
  const errors = groupsOf(impact).reduce((n, t) => n + t.introduced.filter((f) => f.severity === 'error').length, 0);
  const escalated = groupsOf(impact).reduce((n, t) => n + t.escalated.filter((c) => c.after.severity === 'error').length, 0);
  const unaccepted = groupsOf(impact).reduce((n, t) => n + t.unaccepted.filter((u) => u.finding.severity === 'error').length, 0);
  const nowChecked = groupsOf(impact).reduce((n, t) => n + (t.nowChecked ?? []).filter((f) => f.severity === 'error').length, 0);
  const parts: string[] = [];
  if (accounts) parts.push(`locks out ${accounts === 1 ? 'a break-glass account' : `${accounts} break-glass accounts`}`);
  if (whom.length) parts.push(`blocks every sign-in of ${listText(whom)}`);
  if (some.length) parts.push(`locks out ${listText(some)} on some sign-ins`);
  if (errors) parts.push(`introduces ${errors === 1 ? 'an error finding' : `${errors} error findings`}`);
  if (escalated) parts.push(`escalates ${escalated === 1 ? 'a finding' : `${escalated} findings`} to an error`);
  if (unaccepted) parts.push(`makes ${unaccepted === 1 ? 'an accepted error' : `${unaccepted} accepted errors`} active again (no longer accepted with ztp-ignore)`);
  if (nowChecked) parts.push(`has ${nowChecked === 1 ? 'an error finding' : `${nowChecked} error findings`} now checked (unknown on the base, which could not read a file)`);
  // "…, blocks every sign-in of a group and users in no group, and introduces…": a comma before the last part when
  // a part is a list of its own.
  const last = parts.length > 1 && parts.some((p) => p.includes(' and ')) ? `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}` : undefined;
  return `This change ${last ?? listText(parts.length ? parts : ['fails'])}`;
}

/**
 * Why the sign-ins were not compared: the files, no longer parsing, that may hold a Conditional Access policy; or the
 * manifest, no longer readable, which holds none but every fact the sign-ins rest on (its accounts, groups, platforms).
 */
function notComparedText(all: string[]): string {
  const files = all.filter((f) => !isManifestPath(f));
  return [
    ...(files.length ? [`${files.map((f) => `\`${f}\``).join(', ')} ${files.length > 1 ? 'are' : 'is'} not analysed (it does not parse, or is over the size limit) and may hold a Conditional Access policy, so the head's sign-ins would leave ${files.length > 1 ? 'them' : 'it'} out`] : []),
    ...all.filter(isManifestPath).map((m) => `the manifest \`${m}\` is no longer readable, so the tenant's facts are unknown on the head (its break-glass accounts, groups and platforms, which the sign-ins rest on)`),
  ].join('; ');
}

/** The mirror: files the base could not read that may hold a CA policy, which the head reads (or the base's manifest). */
function baseNotComparedText(all: string[]): string {
  const files = all.filter((f) => !isManifestPath(f));
  return [
    ...(files.length ? [`${files.map((f) => `\`${f}\``).join(', ')} could not be read on the base (it did not parse, or was over the size limit) and may hold a Conditional Access policy, so the base's sign-ins left ${files.length > 1 ? 'them' : 'it'} out: what the change does to them is unknown`] : []),
    ...all.filter(isManifestPath).map((m) => `the manifest \`${m}\` could not be read on the base, so the tenant's facts were unknown there: what the change does to the sign-ins is unknown`),
  ].join('; ');
}

/**
 * The manifest's change in a few words: changed, or no longer (or now) readable, which is no list of its facts going to
 * nothing (or coming from it): the tenant's facts are unknown on the side that cannot read it.
 */
function manifestFact(p: PolicyChange): string {
  if (p.change === 'unreadable') return p.stillUnreadable ? 'manifest changed, unreadable on both sides' : 'manifest no longer readable';
  return p.change === 'readable' ? 'manifest now readable' : 'manifest changed';
}

/** The sentence under a manifest that one side cannot read: what that leaves unknown. */
function manifestUnreadableNote(p: PolicyChange): string | undefined {
  if (p.kind !== 'Tenant') return undefined;
  if (p.change === 'unreadable') return p.stillUnreadable ? "the manifest changed and still cannot be read; the tenant's facts are unknown" : "the manifest is no longer readable; the tenant's facts are unknown";
  return p.change === 'readable' ? "the manifest is readable again; the base could not read it, so the tenant's facts were unknown there" : undefined;
}

/** The manifest facts of a tenant's (or the whole change's) policies: one per manifest change. */
function manifestFacts(policies: readonly PolicyChange[]): string[] {
  return [...new Set(policies.filter((p) => p.kind === 'Tenant').map(manifestFact))];
}

/** The title of the findings now checked: the base could not read these files, so they were unknown there. */
function nowCheckedTitle(t: TenantImpact): string {
  const files = (t.wasUnreadable ?? []).map((f) => `\`${f}\``);
  return `now checked (was unknown: ${listText(files)} could not be read on the base), not introduced`;
}

function policyCounts(policies: PolicyChange[]): string[] {
  const out: string[] = [];
  const of = (c: PolicyChange['change']): PolicyChange[] => policies.filter((p) => p.kind !== 'Tenant' && p.change === c);
  const changed = of('changed');
  if (changed.length) {
    // A name or description is no setting: counted apart, so "0 settings" says the change sets nothing new.
    const labels = changed.reduce((n, p) => n + (p.labels?.length ?? 0), 0);
    out.push(`${plural(changed.length, 'policy', 'policies')} changed (${plural(changed.reduce((n, p) => n + p.settings.length, 0), 'setting')}${labels ? `, ${labels} ${labels === 1 ? 'name or description' : 'names or descriptions'}` : ''})`);
  }
  for (const c of ['renamed', 'added', 'removed'] as const) if (of(c).length) out.push(`${out.length ? of(c).length : plural(of(c).length, 'policy', 'policies')} ${c}`);
  const readable = of('readable').length;
  if (readable) out.push(`${out.length ? readable : plural(readable, 'policy', 'policies')} now readable`);
  const unreadable = of('unreadable').filter((p) => !p.stillUnreadable).length;
  if (unreadable) out.push(`${out.length ? unreadable : plural(unreadable, 'policy', 'policies')} no longer readable`);
  const still = of('unreadable').length - unreadable;
  if (still) out.push(`${plural(still, 'unreadable file')} changed`);
  return out;
}

/** The facts of the summary line: findings, layers, sign-ins, report-only outcomes, policies, tenants. */
function summaryFacts(impact: ChangeImpact): string[] {
  const facts: string[] = [];
  const groups = groupsOf(impact);
  const introduced = groups.reduce((n, t) => n + t.introduced.length, 0);
  const resolved = groups.reduce((n, t) => n + t.resolved.length, 0);
  if (introduced) facts.push(`${plural(introduced, 'finding')} introduced${resolved ? `, ${resolved} resolved` : ''}`);
  else if (resolved) facts.push(`${plural(resolved, 'finding')} resolved`);
  const reworded = groups.reduce((n, t) => n + t.reworded.length, 0);
  if (reworded) facts.push(`${plural(reworded, 'finding')} reworded`);
  const escalated = groups.reduce((n, t) => n + t.escalated.length, 0);
  if (escalated) facts.push(`${plural(escalated, 'finding')} escalated`);
  const lowered = groups.reduce((n, t) => n + t.lowered.length, 0);
  if (lowered) facts.push(`${plural(lowered, 'finding')} lowered`);
  const accepted = groups.reduce((n, t) => n + t.accepted.length, 0);
  if (accepted) facts.push(`${plural(accepted, 'finding')} accepted with ztp-ignore`);
  const unaccepted = groups.reduce((n, t) => n + t.unaccepted.length, 0);
  if (unaccepted) facts.push(`${plural(unaccepted, 'finding')} no longer accepted`);
  const unchecked = groups.reduce((n, t) => n + t.unchecked.length, 0);
  if (unchecked) facts.push(`${plural(unchecked, 'finding')} no longer checked`);
  const nowChecked = groups.reduce((n, t) => n + (t.nowChecked?.length ?? 0), 0);
  if (nowChecked) facts.push(`${plural(nowChecked, 'finding')} now checked`);
  const matched = impact.tenants.filter((t) => t.change === 'changed');
  const layers = matched.flatMap((t) => t.layers.map((l) => (impact.tenants.length > 1 ? `${t.name} ${layerText(l)}` : layerText(l))));
  facts.push(...layers.slice(0, 3));
  if (layers.length > 3) facts.push(`${plural(layers.length - 3, 'more layer change')}`);
  const signIns = matched.reduce((n, t) => n + t.signIns.length, 0);
  if (signIns) facts.push(`${plural(signIns, 'sign-in')} change${signIns === 1 ? 's' : ''}`);
  const reportOnly = matched.reduce((n, t) => n + t.reportOnly.length, 0);
  if (reportOnly) facts.push(`${plural(reportOnly, 'report-only outcome')} change${reportOnly === 1 ? 's' : ''}`);
  const policies = policyCounts(matched.flatMap((t) => t.policies));
  if (policies.length) facts.push(policies.join(', '));
  facts.push(...manifestFacts(matched.flatMap((t) => t.policies)));
  for (const t of impact.tenants) if (t.change === 'added' || t.change === 'removed') facts.push(`tenant ${t.name} ${t.change}`);
  return facts;
}

/** The summary line, without Markdown: what a reviewer should know first. */
function summary(impact: ChangeImpact): { icon: string; headline: string; facts: string[] } {
  const facts = summaryFacts(impact);
  const failed = failureHeadline(impact);
  if (failed) return { icon: '⛔', headline: failed, facts };
  const signIns = impact.tenants.some((t) => t.signIns.length);
  const layers = impact.tenants.some((t) => t.change === 'changed' && t.layers.some(layerKnown));
  if (signIns) return { icon: '🟡', headline: 'Sign-ins change — no break-glass account or whole group is locked out', facts };
  if (layers) return { icon: '🟡', headline: 'Layer status changes', facts };
  // A file that may hold a CA policy is not analysed on the head: what the sign-ins do is unknown, never "no change".
  // (The manifest holds no policy: when it alone is the file, the headline says it is the manifest.)
  const notCompared = impact.tenants.flatMap((t) => t.signInsNotCompared ?? []);
  if (notCompared.length) return { icon: '🟡', headline: notCompared.every(isManifestPath) ? "Sign-ins not compared: the manifest is no longer readable, so the tenant's facts are unknown" : 'Sign-ins not compared: a file that may hold a Conditional Access policy is not analysed', facts };
  const baseNotCompared = impact.tenants.flatMap((t) => t.baseSignInsNotCompared ?? []);
  if (baseNotCompared.length) return { icon: '🟡', headline: baseNotCompared.every(isManifestPath) ? "Sign-ins not compared: the base's manifest could not be read, so the tenant's facts were unknown there" : 'Sign-ins not compared: a file that may hold a Conditional Access policy was not analysed on the base', facts };
  // A layer whose status moved only where one side could not read a file it rests on: unknown, never "no layer change".
  const unknownLayers = impact.tenants.filter((t) => t.change === 'changed').flatMap((t) => t.layers);
  if (unknownLayers.some((l) => l.baseUnknown?.length)) return { icon: '🟡', headline: 'Layer status not compared: the base\'s rested on a file the base could not read', facts };
  if (unknownLayers.some((l) => l.headUnknown?.length)) return { icon: '🟡', headline: 'Layer status not compared: the head\'s rests on a file the head cannot read', facts };
  for (const change of ['added', 'removed'] as const) {
    const names = impact.tenants.filter((t) => t.change === change).map((t) => t.name);
    if (names.length) return { icon: '🟡', headline: `${names.length === 1 ? 'Tenant' : 'Tenants'} ${listText(names)} ${change}`, facts: facts.filter((f) => !names.some((n) => f === `tenant ${n} ${change}`)) };
  }
  // A comment that accepts a finding closes no gap: never "no change".
  const accepted = groupsOf(impact).reduce((n, t) => n + t.accepted.length, 0);
  if (accepted) return { icon: '🟡', headline: `${accepted === 1 ? 'A finding is' : `${accepted} findings are`} accepted with ztp-ignore: the gap stays`, facts };
  // A finding no longer accepted is a gap active again (an error among them has failed the change above).
  const unaccepted = groupsOf(impact).reduce((n, t) => n + t.unaccepted.length, 0);
  if (unaccepted) return { icon: '🟡', headline: `${unaccepted === 1 ? 'A finding is' : `${unaccepted} findings are`} no longer accepted with ztp-ignore: the gap is active again`, facts };
  if (!facts.length) return { icon: '✅', headline: 'No change to findings, layers, sign-ins or policies', facts };
  return { icon: '✅', headline: 'No sign-in or layer changes', facts };
}

function tenantFacts(t: TenantImpact): string[] {
  const facts: string[] = [];
  if (t.change === 'added' || t.change === 'removed') {
    const policies = t.policies.length;
    facts.push(`${t.change === 'added' ? 'new tenant' : 'tenant removed'}: ${plural(policies, 'policy', 'policies')}`);
    const findings = t.change === 'added' ? t.introduced : t.resolved;
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (findings.length) facts.push(`${plural(findings.length, 'finding')}${errors ? ` (${plural(errors, 'error')})` : ''}${t.change === 'added' ? '' : ' gone'}`);
    if (t.change === 'added') {
      const started = t.layers.filter((l) => l.after !== 'notStarted');
      if (started.length) facts.push(`layers ${started.map((l) => `${l.layer} ${STATUS_TEXT[l.after]}`).join(', ')}`);
    }
    return facts;
  }
  if (t.introduced.length) facts.push(`${plural(t.introduced.length, 'finding')} introduced${t.resolved.length ? `, ${t.resolved.length} resolved` : ''}`);
  else if (t.resolved.length) facts.push(`${plural(t.resolved.length, 'finding')} resolved`);
  if (t.reworded.length) facts.push(`${plural(t.reworded.length, 'finding')} reworded`);
  if (t.escalated.length) facts.push(`${plural(t.escalated.length, 'finding')} escalated`);
  if (t.lowered.length) facts.push(`${plural(t.lowered.length, 'finding')} lowered`);
  if (t.accepted.length) facts.push(`${plural(t.accepted.length, 'finding')} accepted with ztp-ignore`);
  if (t.unaccepted.length) facts.push(`${plural(t.unaccepted.length, 'finding')} no longer accepted`);
  if (t.unchecked.length) facts.push(`${plural(t.unchecked.length, 'finding')} no longer checked`);
  if (t.nowChecked?.length) facts.push(`${plural(t.nowChecked.length, 'finding')} now checked`);
  facts.push(...t.layers.map(layerText));
  if (t.signIns.length) facts.push(`${t.signIns.length} of ${plural(t.scenarios, 'sign-in')} change${t.signIns.length === 1 ? 's' : ''}`);
  if (t.reportOnly.length) facts.push(`${plural(t.reportOnly.length, 'report-only outcome')} change${t.reportOnly.length === 1 ? 's' : ''}`);
  facts.push(...policyCounts(t.policies));
  facts.push(...manifestFacts(t.policies));
  return facts;
}

/** A JSON value, short: `["grp-a","grp-b"]`, or — when absent. */
function valueText(v: unknown, max = 160): string {
  if (v === undefined) return '—';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A whole settings catalog setting, added or removed: an object (its JSON would be the whole instance). */
const isItem = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value by name when it has one: `Enabled ("…_1")`, the JSON kept beside the name; a whole setting by name alone. */
function namedValue(v: unknown, name: string | undefined, json: (v: unknown) => string = valueText): string {
  if (v === undefined) return '—';
  if (name === undefined) return json(v);
  return isItem(v) ? name : `${name} (${json(v)})`;
}

/** A whole setting by what it sets, when that is known; any other value as JSON. */
const plainValue = (v: unknown, name: string | undefined): string => (name !== undefined && isItem(v) ? name : valueText(v));

/** What a label path is to a reader: the policy's description, or the name Graph and the portal show. */
const labelWord = (c: SettingChange): string => (/description$/i.test(c.path) ? 'description' : 'display name');

/** The labels a policy line names: "description changed", "display name and description changed". */
function labelsText(p: PolicyChange): string | undefined {
  if (!p.labels) return undefined;
  const words = [...new Set(p.labels.map(labelWord))].sort((a, b) => (a === 'display name' ? -1 : b === 'display name' ? 1 : 0));
  return `${words.join(' and ')} changed`;
}

/** A setting change for the terminal: a named settings catalog setting by name first, then its path; else the path. */
function settingLinesText(c: SettingChange): string[] {
  if (!c.setting) return [`${c.path}: ${plainValue(c.before, c.beforeName)} → ${plainValue(c.after, c.afterName)}`];
  return [`${c.setting}: ${namedValue(c.before, c.beforeName)} → ${namedValue(c.after, c.afterName)}`, `  ${c.path}`];
}

function roText(s: string): string {
  return s === 'notApplied' ? 'not applied' : s === 'absent' ? 'new policy' : s;
}

function roAfter(c: Pick<ReportOnlyChange, 'before' | 'after'>): string {
  return `${roText(c.before)} → ${roText(c.after)}`;
}

/** The tenant's folders, relative to the compared roots (`.`: the roots are the tenant's own folders, not said). */
function folders(t: TenantImpact): string {
  if (t.baseRoot !== undefined && t.headRoot !== undefined && t.baseRoot !== t.headRoot) return `${t.baseRoot} → ${t.headRoot}`;
  return t.headRoot ?? t.baseRoot ?? '.';
}

/**
 * Whether a tenant's title names its folders: not when they are the compared roots (`.`), the name itself, or in the
 * name already (a name two tenant folders share is said with its folder: "litware in customers/t09").
 */
function folderShown(t: TenantImpact): boolean {
  const where = folders(t);
  return where !== t.name && where !== '.' && !t.name.endsWith(` in ${where}`);
}

/** Why accounts every sign-in of which now ends blocked do not fail the change. */
function restrictionHeadText(what: string, command = 'ztp whatif --lockout'): string {
  return `${what}: every sign-in of these accounts now ends blocked or unsatisfiable, a restriction as ${command} reads it, not a lockout`;
}

const ACCEPTED_TITLE = 'Findings accepted with ztp-ignore: the gap stays, not resolved';

/** What accepts a finding, and what the base said of it: "accepted (ztp-ignore, line 20): <reason> · was a warning". */
function acceptedText(a: AcceptedChange): string {
  const where = a.fileWide ? `line ${a.commentLine}, the whole file` : `line ${a.commentLine}`;
  const was = a.new ? ' · new in this change' : a.before ? ` · was ${a.before.severity === a.finding.severity ? 'worded' : `a ${a.before.severity}`}: ${a.before.message}` : '';
  return `accepted (ztp-ignore, ${where}): ${a.reason}${was}`;
}

const UNACCEPTED_TITLE = 'Findings no longer accepted: the base accepted them with ztp-ignore, the head reports them';

/** The comment the base had, and what the base said of the finding: "accepted on the base (ztp-ignore, line 11): <reason>; no longer". */
function unacceptedText(u: UnacceptedChange): string {
  const where = u.fileWide ? `line ${u.commentLine}, the whole file` : `line ${u.commentLine}`;
  const was = u.before ? ` · was ${u.before.severity === u.finding.severity ? 'worded' : `${u.before.severity === 'error' || u.before.severity === 'information' ? 'an' : 'a'} ${u.before.severity}`}: ${u.before.message}` : '';
  return `accepted on the base (ztp-ignore, ${where}): ${u.reason}; the head no longer accepts it${was}`;
}

// ── Text ───────────────────────────────────────────────────────────────────────────────────────────────────────

function signInLinesText(g: SignInGroup): string[] {
  const out = g.blocks.map((b) => `${g.who} · ${cellBlockText(b)}: ${g.before} → ${g.after}`);
  if (g.changes[0]!.after === 'unsatisfiable') for (const r of unsatisfiableReasons(g.changes)) out.push(`    ${r}`);
  return out;
}

/** The terminal form: the summary, why it fails, then each tenant with everything listed. */
export function changeImpactText(impact: ChangeImpact): string {
  const s = summary(impact);
  const out: string[] = [`Change impact: ${impact.base} → ${impact.head}`, [`${s.icon} ${s.headline}`, ...s.facts].join(' · ')];
  if (impact.failures.length) {
    out.push('', `Fails (${impact.failures.length})`);
    for (const f of impact.failures) out.push(`  ✗ ${f}`);
  }
  const outside = impact.noTenant ? noTenantGroup(impact.noTenant) : undefined;
  for (const t of outside ? [...impact.tenants, outside] : impact.tenants) {
    if (t.change === 'unchanged') continue;
    if (t === outside) out.push('', `Files in no tenant folder (${t.change}) · checked against their schema only`);
    else out.push('', `Tenant ${t.name} (${t.change})${folderShown(t) ? ` · ${folders(t)}` : ''}`);
    const facts = tenantFacts(t);
    if (facts.length) out.push(`  ${facts.join(' · ')}`);
    if (t.layers.length) {
      out.push('', '  Layers');
      for (const l of t.layers) out.push(`    ${l.layer} ${l.name}: ${layerSideText(l, 'base', true)} → ${layerSideText(l, 'head', true)}`);
    }
    if (t.signInsNotCompared?.length) out.push('', `  Sign-ins not compared: ${notComparedText(t.signInsNotCompared)}`);
    if (t.baseSignInsNotCompared?.length) out.push('', `  Sign-ins not compared: ${baseNotComparedText(t.baseSignInsNotCompared)}`);
    if (t.signIns.length) {
      out.push('', `  Sign-ins that change (${t.signIns.length} of ${t.scenarios})`);
      for (const g of groupSignIns(t.signIns)) for (const line of signInLinesText(g)) out.push(`    ${line}`);
    }
    if (t.restrictions?.length) {
      out.push('', `  Restrictions, not lockouts (${t.restrictions.length})`);
      for (const g of groupRestrictions(t.restrictions)) out.push(`    ${restrictionHeadText(g.what)}`, ...g.accounts.map((a) => `      ${a}`));
    }
    if (t.reportOnly.length) {
      out.push('', `  Report-only policies: what they would do (${t.reportOnly.length})`);
      for (const g of groupReportOnly(t.reportOnly)) for (const b of g.blocks) out.push(`    ${g.user} · ${cellBlockText(b)}: ${g.policy}: ${roAfter(g)}`);
    }
    const findings = (title: string, list: DiffFinding[]): void => {
      if (!list.length) return;
      out.push('', `  ${title} (${list.length})`);
      for (const f of list) out.push(`    ${f.severity.padEnd(11)} ${f.ruleId}  ${f.policy}  ${f.file}:${f.line}`, `      ${f.message}`);
    };
    findings('Findings introduced', t.introduced);
    findings('Findings resolved', t.resolved);
    if (t.unchecked.length) {
      const { title, each } = uncheckedTitle(t.unchecked);
      out.push('', `  Findings ${title} (${t.unchecked.length})`);
      for (const f of t.unchecked) out.push(`    ${f.severity.padEnd(11)} ${f.ruleId}  ${f.policy}  ${f.file}:${f.line}`, `      ${f.message}`, ...(each && f.uncheckedBecause ? [`      (no longer checked: ${f.uncheckedBecause})`] : []));
    }
    findings(`Findings ${nowCheckedTitle(t)}`, t.nowChecked ?? []);
    if (t.reworded.length) {
      out.push('', `  Findings reworded: the same gap, narrowed (${t.reworded.length})`);
      for (const r of t.reworded) out.push(`    ${r.after.severity.padEnd(11)} ${r.after.ruleId}  ${r.after.policy}  ${r.after.file}:${r.after.line}`, `      before: ${r.before.message}`, `      after:  ${r.after.message}`);
    }
    const severityChanged = (title: string, list: SeverityChange[]): void => {
      if (!list.length) return;
      out.push('', `  ${title} (${list.length})`);
      for (const c of list) {
        out.push(`    ${`${c.before.severity} → ${c.after.severity}`.padEnd(11)} ${c.after.ruleId}  ${c.after.policy}  ${c.after.file}:${c.after.line}`, `      ${c.after.message}`);
        if (c.before.message !== c.after.message) out.push(`      before: ${c.before.message}`);
      }
    };
    severityChanged('Findings escalated: the same gap, at a higher severity', t.escalated);
    severityChanged('Findings lowered: the same gap, at a lower severity', t.lowered);
    if (t.accepted.length) {
      out.push('', `  ${ACCEPTED_TITLE} (${t.accepted.length})`);
      for (const a of t.accepted) {
        const f = a.finding;
        out.push(`    ${f.severity.padEnd(11)} ${f.ruleId}  ${f.policy}  ${f.file}:${f.line}`, `      ${f.message}`, `      ${acceptedText(a)}`);
      }
    }
    if (t.unaccepted.length) {
      out.push('', `  ${UNACCEPTED_TITLE} (${t.unaccepted.length})`);
      for (const u of t.unaccepted) {
        const f = u.finding;
        out.push(`    ${f.severity.padEnd(11)} ${f.ruleId}  ${f.policy}  ${f.file}:${f.line}`, `      ${f.message}`, `      ${unacceptedText(u)}`);
      }
    }
    if (t.policies.length) {
      out.push('', `  Policies (${t.policies.length})`);
      for (const p of t.policies) {
        // A manifest one side cannot read is named as the manifest, and as no longer readable (no policy "unreadable").
        const word = p.stillUnreadable ? 'changed, unreadable on both sides:' : p.change === 'readable' ? 'now readable (could not be read on the base):' : p.kind === 'Tenant' && p.change === 'unreadable' ? 'no longer readable:' : p.change;
        out.push(`    ${word.padEnd(8)} ${p.kind === 'Tenant' && p.change !== 'changed' ? 'manifest' : p.kind} ${p.name}${p.from ? ` (was ${p.from})` : ''}  ${p.file}`);
        const note = manifestUnreadableNote(p);
        if (note) out.push(`      ${note}`);
        for (const c of p.settings) out.push(...settingLinesText(c).map((l) => `      ${l}`));
        for (const c of p.labels ?? []) out.push(`      ${c.path}: ${valueText(c.before)} → ${valueText(c.after)} (the ${labelWord(c)}, not a setting)`);
      }
    }
  }
  const unchanged = unchangedNames(impact);
  if (unchanged.length) out.push('', `Unchanged: ${unchanged.join(', ')}`);
  if (!impact.tenants.length) out.push('', 'No tenant folder (a folder with a zerotrust.yaml) on either side.');
  return out.join('\n');
}

// ── Markdown ───────────────────────────────────────────────────────────────────────────────────────────────────

/** Inline code that holds any text (a backtick inside becomes a quote). */
const code = (s: string): string => `\`${s.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
/** Prose on one line that cannot open HTML; the code spans a message holds (`excludeGroups`) are kept as they are. */
const text = (s: string): string =>
  s
    .replace(/\r?\n/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 ? part : part.replace(/&(?=[#\w]+;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
/** The same in a table cell, where a pipe would end the cell (GitHub reads `\|` as a pipe in code spans too). */
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** Markdown that stops adding lines once the next would pass the budget, closing what it opened. */
class Budget {
  private readonly parts: string[] = [];
  private used = 0;
  private reserved = 0;
  cut = false;
  omitted = 0;

  constructor(private readonly max: number) {}

  add(...lines: string[]): boolean {
    const s = lines.join('\n');
    if (this.cut || this.used + s.length + 1 + this.reserved > this.max) {
      this.cut = true;
      this.omitted += lines.length;
      return false;
    }
    this.parts.push(s);
    this.used += s.length + 1;
    return true;
  }

  /** A folded section: `<details>` with its summary, the lines that fit, and always its closing tag. */
  details(title: string, body: string[]): void {
    const close = '\n</details>';
    this.reserved += close.length + 1;
    const opened = this.add('', `<details><summary>${title}</summary>`, '');
    if (opened) for (const line of body) this.add(line);
    else this.omitted += body.length;
    this.reserved -= close.length + 1;
    if (!opened) return;
    this.parts.push(close);
    this.used += close.length + 1;
  }

  toString(): string {
    return this.parts.join('\n');
  }
}

function signInLinesMd(g: SignInGroup): string[] {
  const c = g.changes[0]!;
  const after = c.after === 'allowed' ? g.after : `**${text(g.after)}**`;
  const out = g.blocks.map((b) => `- ${code(c.user)}${g.who !== c.user ? ` ${text(g.who.slice(c.user.length + 1))}` : ''} · ${text(cellBlockText(b))}: ${text(g.before)} → ${after}`);
  if (c.after === 'unsatisfiable') for (const r of unsatisfiableReasons(g.changes)) out.push(`  - ${text(r)}`);
  return out;
}

/**
 * The title of the findings no longer checked, saying why: a file no longer analysed, or a profile exported without
 * its settings ("no longer checked (`win-disk` exported without its settings)"); `each`: the reasons differ, so each
 * finding names its own.
 */
function uncheckedTitle(list: readonly DiffFinding[]): { title: string; each: boolean } {
  const reasons = [...new Set(list.map((f) => f.uncheckedBecause ?? BROKEN_REASON))];
  if (reasons.length === 1 && reasons[0] === BROKEN_REASON) return { title: `no longer checked: ${BROKEN_REASON}, so these are unknown, not resolved`, each: false };
  return { title: `no longer checked (${reasons.join('; ')}), so these are unknown, not resolved`, each: reasons.length > 1 };
}

const BROKEN_REASON = 'a file is no longer analysed (it does not parse, or is over the size limit)';

function findingLineMd(f: DiffFinding): string {
  return `- ${SEVERITY_ICON[f.severity]} ${f.severity} ${code(f.ruleId)} on ${code(f.policy)} — ${text(f.message)} (${code(`${f.file}:${f.line}`)})`;
}

function settingRowMd(p: PolicyChange, c: SettingChange): string {
  if (!c.setting) return `| ${cell(code(p.name))} | ${cell(code(c.path))} | ${c.before === undefined ? '—' : cell(code(plainValue(c.before, c.beforeName)))} | ${c.after === undefined ? '—' : cell(code(plainValue(c.after, c.afterName)))} |`;
  // A named settings catalog setting: its name in bold, the path below it; values by option name, the JSON beside.
  const value = (v: unknown, name: string | undefined): string => cell(namedValue(v, name === undefined ? undefined : text(name), (x) => code(valueText(x))));
  return `| ${cell(code(p.name))} | **${cell(text(c.setting))}**<br>${cell(code(c.path))} | ${value(c.before, c.beforeName)} | ${value(c.after, c.afterName)} |`;
}

const CHANGE_WORD: Record<PolicyChange['change'], string> = { added: '➕ added', removed: '➖ removed', changed: '✏️ changed', renamed: '🔀 renamed', unreadable: '❓ no longer readable', readable: '📖 now readable (could not be read on the base)' };

function tenantMd(out: Budget, t: TenantImpact, outside = false): void {
  const where = folders(t);
  const title = outside ? `### Files in no tenant folder · ${t.change} · checked against their schema only` : `### Tenant ${code(t.name)} · ${t.change}${folderShown(t) ? ` · ${code(where)}` : ''}`;
  out.add('', title, '', tenantFacts(t).map(text).join(' · '));
  if (t.layers.length) {
    out.add('', '| Layer | Before | After |', '|---|---|---|');
    for (const l of t.layers) out.add(`| ${l.layer} · ${cell(text(l.name))} | ${cell(layerCellMd(l, 'base'))} | ${cell(layerCellMd(l, 'head'))} |`);
  }
  if (t.signIns.length) {
    const groups = groupSignIns(t.signIns);
    out.details(`Sign-ins: ${t.signIns.length} of ${t.scenarios} change`, [...groups.flatMap(signInLinesMd), '', gridNoteMd(t.signIns)]);
  }
  if (t.restrictions?.length) {
    const lines = groupRestrictions(t.restrictions).flatMap((g) => [`- ${text(restrictionHeadText(g.what, code('ztp whatif --lockout')))}`, ...g.accounts.map((a) => `  - ${text(a)}`)]);
    out.details(`Restrictions, not lockouts: ${plural(t.restrictions.length, 'account')} blocked on every sign-in`, lines);
  }
  if (t.reportOnly.length) {
    const lines = groupReportOnly(t.reportOnly).flatMap((g) => g.blocks.map((b) => `- ${code(g.user)} · ${text(cellBlockText(b))}: ${code(g.policy)}: ${text(roAfter(g))}`));
    out.details(`Report-only policies: ${plural(t.reportOnly.length, 'would-be outcome')} change${t.reportOnly.length === 1 ? 's' : ''} (never enforced)`, lines);
  }
  if (t.signInsNotCompared?.length) out.add('', `_Sign-ins not compared: ${text(notComparedText(t.signInsNotCompared))}_`);
  if (t.baseSignInsNotCompared?.length) out.add('', `_Sign-ins not compared: ${text(baseNotComparedText(t.baseSignInsNotCompared))}_`);
  if (t.introduced.length || t.resolved.length || t.reworded.length || t.unchecked.length || t.nowChecked?.length || t.escalated.length || t.lowered.length || t.accepted.length || t.unaccepted.length) {
    const lines: string[] = [];
    if (t.introduced.length) lines.push(`**Introduced (${t.introduced.length})**`, '', ...t.introduced.map(findingLineMd));
    if (t.resolved.length) lines.push(...(lines.length ? [''] : []), `**Resolved (${t.resolved.length})**`, '', ...t.resolved.map(findingLineMd));
    if (t.reworded.length) {
      lines.push(...(lines.length ? [''] : []), `**Reworded: the same gap, narrowed (${t.reworded.length})**`, '');
      for (const r of t.reworded) lines.push(findingLineMd(r.after), `  - before: ${text(r.before.message)}`);
    }
    for (const [title, list] of [['Escalated: the same gap, at a higher severity', t.escalated], ['Lowered: the same gap, at a lower severity', t.lowered]] as const) {
      if (!list.length) continue;
      lines.push(...(lines.length ? [''] : []), `**${title} (${list.length})**`, '');
      for (const c of list) lines.push(`${findingLineMd(c.after)} · ${c.before.severity} → ${c.after.severity}`, ...(c.before.message !== c.after.message ? [`  - before: ${text(c.before.message)}`] : []));
    }
    if (t.accepted.length) {
      lines.push(...(lines.length ? [''] : []), `**Accepted with ${code('ztp-ignore')}: the gap stays, not resolved (${t.accepted.length})**`, '');
      for (const a of t.accepted) lines.push(findingLineMd(a.finding), `  - ${text(acceptedText(a))}`);
    }
    if (t.unaccepted.length) {
      lines.push(...(lines.length ? [''] : []), `**No longer accepted: the base accepted them with ${code('ztp-ignore')}, the head reports them (${t.unaccepted.length})**`, '');
      for (const u of t.unaccepted) lines.push(findingLineMd(u.finding), `  - ${text(unacceptedText(u))}`);
    }
    if (t.unchecked.length) {
      const { title, each } = uncheckedTitle(t.unchecked);
      lines.push(...(lines.length ? [''] : []), `**${text(title.replace(/^n/, 'N'))} (${t.unchecked.length})**`, '', ...t.unchecked.map((f) => `${findingLineMd(f)}${each && f.uncheckedBecause ? ` · no longer checked: ${text(f.uncheckedBecause)}` : ''}`));
    }
    if (t.nowChecked?.length) lines.push(...(lines.length ? [''] : []), `**${text(nowCheckedTitle(t).replace(/^n/, 'N'))} (${t.nowChecked.length})**`, '', ...t.nowChecked.map(findingLineMd));
    out.details(`Findings: ${t.introduced.length} introduced, ${t.resolved.length} resolved${t.reworded.length ? `, ${t.reworded.length} reworded` : ''}${t.escalated.length ? `, ${t.escalated.length} escalated` : ''}${t.lowered.length ? `, ${t.lowered.length} lowered` : ''}${t.accepted.length ? `, ${t.accepted.length} accepted with ztp-ignore` : ''}${t.unaccepted.length ? `, ${t.unaccepted.length} no longer accepted` : ''}${t.unchecked.length ? `, ${t.unchecked.length} no longer checked` : ''}${t.nowChecked?.length ? `, ${t.nowChecked.length} now checked` : ''}`, lines);
  }
  if (t.policies.length) {
    const lines = t.policies.flatMap((p) => [
      `- ${p.stillUnreadable ? '❓ changed, unreadable on both sides:' : CHANGE_WORD[p.change]} ${p.kind === 'Tenant' ? 'manifest' : text(p.kind)} ${code(p.name)}${p.from ? ` (was ${code(p.from)})` : ''} · ${code(p.file)}${p.settings.length ? ` · ${plural(p.settings.length, 'setting')}` : ''}${p.labels ? ` · ${labelsText(p)}` : ''}`,
      // A name or description is no setting: under its policy, not in the settings' table.
      ...(p.labels ?? []).map((c) => `  - ${code(c.path)}: ${code(valueText(c.before))} → ${code(valueText(c.after))}`),
      ...(manifestUnreadableNote(p) ? [`  - ${text(manifestUnreadableNote(p)!)}`] : []),
    ]);
    const rows = t.policies.flatMap((p) => p.settings.map((c) => settingRowMd(p, c)));
    if (rows.length) lines.push('', '| Policy | Setting | Before | After |', '|---|---|---|---|', ...rows);
    out.details(`Policies: ${policyCounts(t.policies).concat(manifestFacts(t.policies)).join(', ')}`, lines);
  }
}

/** How the grid is signed in, once per section, so the reader knows what "allowed" means. */
function gridNoteMd(changes: SignInChange[]): string {
  const clients = [...new Set(changes.map((c) => clientAppLabel(c.clientApp)))];
  const apps = [...new Set(changes.map((c) => appLabel(c.app)))];
  return `_Each sign-in as ${code('ztp whatif --lockout')} makes it: from a trusted location, no risk, an unmanaged device (${clients.join(', ')}; ${apps.join(', ')}). "Allowed if" names what the user must still bring._`;
}

/** The pull-request comment: the summary line first, why it fails, then each tenant with its details folded. */
export function changeImpactMarkdown(impact: ChangeImpact, options: { maxChars?: number } = {}): string {
  const max = options.maxChars ?? 65_000;
  const s = summary(impact);
  const note = (omitted: number): string => `\n\n---\n_✂️ Cut to stay under ${max.toLocaleString('en-US')} characters: ${plural(omitted, 'more line')} not shown. ${code('ztp diff --format text')} or ${code('--format json')} shows everything._`;
  const out = new Budget(max - note(999_999).length);
  const head = s.icon === '✅' ? `${s.icon} ${s.headline}` : `**${s.icon} ${s.headline}**`;
  out.add([head, ...s.facts.map(text)].join(' · '));
  out.add('', `${code(impact.base)} → ${code(impact.head)} · ${plural(impact.tenants.length, 'tenant')}`);
  if (impact.failures.length) {
    out.add('', `**Why this fails (${impact.failures.length})**`, '');
    for (const f of impact.failures) out.add(`- ⛔ ${text(f)}`);
  }
  for (const t of impact.tenants) if (t.change !== 'unchanged') tenantMd(out, t);
  if (impact.noTenant && impact.noTenant.change !== 'unchanged') tenantMd(out, noTenantGroup(impact.noTenant), true);
  const unchanged = impact.tenants.filter((t) => t.change === 'unchanged');
  const outsideUnchanged = impact.noTenant?.change === 'unchanged' ? ['the files in no tenant'] : [];
  if (unchanged.length || outsideUnchanged.length) out.add('', `_Unchanged: ${[...unchanged.map((t) => code(t.name)), ...outsideUnchanged].join(', ')}._`);
  if (!impact.tenants.length) out.add('', '_No tenant folder (a folder with a zerotrust.yaml) on either side._');
  const body = out.toString();
  return (out.cut ? body + note(out.omitted) : body) + '\n';
}

// ── JSON ───────────────────────────────────────────────────────────────────────────────────────────────────────

function defined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** The change impact for tools: every field, keys in the order the types declare them. */
export function changeImpactJson(impact: ChangeImpact): unknown {
  const finding = (f: DiffFinding): unknown => defined({ ruleId: f.ruleId, severity: f.severity, message: f.message, policy: f.policy, file: f.file, line: f.line, layer: f.layer, uncheckedBecause: f.uncheckedBecause });
  return {
    base: impact.base,
    head: impact.head,
    tenants: impact.tenants.map((t) =>
      defined({
        name: t.name,
        change: t.change,
        baseRoot: t.baseRoot,
        headRoot: t.headRoot,
        introduced: t.introduced.map(finding),
        resolved: t.resolved.map(finding),
        reworded: t.reworded.map((r) => ({ before: finding(r.before), after: finding(r.after) })),
        escalated: t.escalated.map((r) => ({ before: finding(r.before), after: finding(r.after) })),
        lowered: t.lowered.map((r) => ({ before: finding(r.before), after: finding(r.after) })),
        accepted: t.accepted.map((a) => defined({ finding: finding(a.finding), reason: a.reason, commentLine: a.commentLine, fileWide: a.fileWide, before: a.before ? finding(a.before) : undefined, new: a.new })),
        unaccepted: t.unaccepted.map((u) => defined({ finding: finding(u.finding), reason: u.reason, commentLine: u.commentLine, fileWide: u.fileWide, before: u.before ? finding(u.before) : undefined })),
        unchecked: t.unchecked.map(finding),
        nowChecked: t.nowChecked?.map(finding),
        wasUnreadable: t.wasUnreadable,
        baseSignInsNotCompared: t.baseSignInsNotCompared,
        signInsNotCompared: t.signInsNotCompared,
        layers: t.layers.map((l) => defined({ layer: l.layer, name: l.name, before: l.before, after: l.after, baseUnknown: l.baseUnknown, headUnknown: l.headUnknown })),
        signIns: t.signIns.map((c) =>
          defined({
            user: c.user,
            subjectKind: c.subjectKind,
            group: c.group,
            role: c.role,
            platform: c.platform,
            clientApp: c.clientApp,
            app: c.app,
            before: c.before,
            after: c.after,
            decidedBy: c.decidedBy,
            decidedByBefore: c.decidedByBefore,
            beforeSummary: c.beforeSummary,
            afterSummary: c.afterSummary,
            restrictedBy: c.restrictedBy?.map((r) => ({ policy: r.policy, restriction: r.restriction })),
          }),
        ),
        reportOnly: t.reportOnly.map((c) => ({ user: c.user, platform: c.platform, clientApp: c.clientApp, app: c.app, policy: c.policy, before: c.before, after: c.after })),
        policies: t.policies.map((p) => defined({ kind: p.kind, name: p.name, file: p.file, change: p.change, stillUnreadable: p.stillUnreadable, from: p.from, settings: p.settings.map((c) => defined({ path: c.path, before: c.before, after: c.after, setting: c.setting, beforeName: c.beforeName, afterName: c.afterName })), labels: p.labels?.map((c) => defined({ path: c.path, before: c.before, after: c.after })) })),
        scenarios: t.scenarios,
        lockouts: t.lockouts?.map((l) => defined({ user: l.user, subjectKind: l.subjectKind, group: l.group, role: l.role, cells: l.cells, policies: l.policies, restrictedBefore: l.restrictedBefore, signIns: l.signIns?.map((c) => ({ platform: c.platform, clientApp: c.clientApp, app: c.app })) })),
        restrictions: t.restrictions?.map((r) => defined({ user: r.user, group: r.group, role: r.role, cells: r.cells, restrictions: r.restrictions.map((x) => ({ policy: x.policy, restriction: x.restriction })) })),
      }),
    ),
    ...(impact.noTenant ? { noTenant: noTenantJson(impact.noTenant, finding) } : {}),
    failures: impact.failures,
  };
}

/** The files in no tenant folder for tools: the findings fields a tenant has, with the same names and shapes. */
function noTenantJson(n: NonNullable<ChangeImpact['noTenant']>, finding: (f: DiffFinding) => unknown): unknown {
  const pair = (r: { before: DiffFinding; after: DiffFinding }): unknown => ({ before: finding(r.before), after: finding(r.after) });
  return defined({
    change: n.change,
    introduced: n.introduced.map(finding),
    resolved: n.resolved.map(finding),
    reworded: n.reworded.map(pair),
    escalated: n.escalated.map(pair),
    lowered: n.lowered.map(pair),
    accepted: n.accepted.map((a) => defined({ finding: finding(a.finding), reason: a.reason, commentLine: a.commentLine, fileWide: a.fileWide, before: a.before ? finding(a.before) : undefined, new: a.new })),
    unaccepted: n.unaccepted.map((u) => defined({ finding: finding(u.finding), reason: u.reason, commentLine: u.commentLine, fileWide: u.fileWide, before: u.before ? finding(u.before) : undefined })),
    unchecked: n.unchecked.map(finding),
    nowChecked: n.nowChecked?.map(finding),
    wasUnreadable: n.wasUnreadable,
  });
}

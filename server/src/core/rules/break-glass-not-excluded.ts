import { isSeq } from 'yaml';
import { nodeAtPath, spanAtPath } from '../document';
import { docPath, type PolicyFacts } from '../facts';
import type { Emitted, Rule, TenantView } from '../rule';
import { emitKept, type KeptReading } from '../reads';
import { modelOf } from '../model/index';
import { gapIsCertain, type BreakGlassGap } from '../model/break-glass';
import { GUID } from '../model/groups';
import { grantControlNames } from '../model/grants';
import { activeCaPolicies, caUsers, grantControlsOf, isReportOnly, policySpan } from '../tenant-query';
import type { Severity, TextEdit } from '../types';
import { addToMap, appendToSequence } from '../yaml-edit';
import { codeList, listText, policyAt, policyLabel } from './ca-helpers';
import { hasSessionControl } from '../schema/graph-constraints';

export type { BreakGlassGap } from '../model/break-glass';

const USERS_PATH = ['spec', 'conditions', 'users'];

/** An active CA policy targets break-glass accounts (All users, or a group holding them) without excluding them all. */
const KEPT = new WeakMap<object, KeptReading<Emitted[]>>();

export const breakGlassNotExcluded: Rule = {
  id: 'break-glass-not-excluded',
  title: 'A Conditional Access policy does not exclude the break-glass accounts',
  category: 'layer',
  layer: 4,
  // The headline severity; each finding sets its own (see severityOf).
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access', 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups'],
  peers: ['MT.1005'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.manifest || !modelOf(tenant).breakGlass.declared) return;
    // Kept per policy across edits: an edit of another CA policy leaves this one's finding as it was. What it needs
    // of the tenant is read inside, so that the kept finding notes it.
    emitKept(tenant, KEPT, activeCaPolicies(tenant), emit, (p, emit) => {
      const manifest = tenant.manifest!;
      const breakGlass = modelOf(tenant).breakGlass;
      const reason = breakGlass.reason(p);
      if (!reason) return;
      const gap = breakGlass.missingExclusions(p);
      if (!gap.groups.length && !gap.users.length) return;
      emit({
        file: p,
        span: policySpan(p, USERS_PATH, 'key'),
        message: message(p, reason, gap, namedBreakGlass(p, tenant)),
        severity: gapIsCertain(gap) ? severityOf(p) : maySeverityOf(p),
        lowered: isReportOnly(p),
        related: [{ file: manifest.path, span: spanAtPath(manifest.parsed, ['breakGlass'], 'key'), message: 'the break-glass accounts the manifest lists' }],
        data: gap,
      });
    });
  },
  fix(finding, tenant) {
    const gap = finding.data as BreakGlassGap | undefined;
    const p = policyAt(tenant, finding.file);
    if (!gap || !p) return [];
    // A policy that names the break-glass accounts in its own includes targets them on purpose (strong authentication
    // for them, say): excluding them would undo that. A person decides; no fix is offered.
    if (namedBreakGlass(p, tenant)) return [];
    // A raw Graph export names groups by id, so the fix writes the manifest's ids there (and offers nothing when a
    // break-glass group has none).
    const groups = p.raw ? gap.groups.map((g) => tenant.manifest?.groups.find((x) => x.name === g)?.id) : gap.groups;
    if (groups.some((g) => g === undefined)) return [];
    // Users likewise need object ids there, not user principal names: the id listed beside a name in
    // `breakGlass.users` is written (and nothing is offered for a name without one).
    const accounts = modelOf(tenant).breakGlass.accounts();
    const users = p.raw ? gap.users.map((u) => (GUID.test(u) ? u : accounts.find((a) => a.name === u)?.ids[0])) : gap.users;
    if (users.some((u) => u === undefined)) return [];
    const groupEdit = excludeEdit(p, 'excludeGroups', groups as string[]);
    const userEdit = excludeEdit(p, 'excludeUsers', users as string[]);
    const planned = [groupEdit, userEdit].filter((e) => e !== undefined);
    // Appending to the last list of `users` and adding a key after it insert at the same offset: the list item must come first.
    const edits = [...planned.filter((e) => e.append), ...planned.filter((e) => !e.append)].map((e) => e.edit);
    if (!edits.length) return [];
    // The title names what the fix excludes: a list it cannot edit (a key with no list under it) is left to the schema rule.
    const excluded = [...(groupEdit ? gap.groups : []), ...(userEdit ? gap.users : [])];
    return [{ title: `Exclude the break-glass accounts (${listText(excluded)})`, isPreferred: true, safe: true, edits, creates: [] }];
  },
};

/**
 * An error when the policy can never be met in an emergency (`block`, or `compliantDevice` that a break-glass sign-in
 * may have no device for) and is enforced; a warning otherwise. Report-only lowering comes after.
 */
function severityOf(p: PolicyFacts): Severity {
  const grant = grantControlsOf(p);
  return grant.includes('block') || grant.includes('compliantDevice') ? 'error' : 'warning';
}

/**
 * A gap that is only "may be" (the accounts may be in an excluded break-glass group whose members the manifest does not
 * list: `gapIsCertain`) is one level lower than a certain one: a warning where the grant can never be met in an
 * emergency, information otherwise. It is no error: an undeclared fact is unknown, not false.
 */
function maySeverityOf(p: PolicyFacts): Severity {
  return severityOf(p) === 'error' ? 'warning' : 'information';
}

/**
 * Whether the policy's includes name a break-glass group or user itself (not All users, a role or a wider group):
 * `only` when they name those accounts and nobody else (excluding them would leave it applying to no one), `named`
 * when others beside them, undefined when they do not name them.
 */
function namedBreakGlass(p: PolicyFacts, tenant: TenantView): 'only' | 'named' | undefined {
  const breakGlass = modelOf(tenant).breakGlass;
  const directory = modelOf(tenant).groups;
  const u = caUsers(p);
  const users = u.includeUsers.filter((x) => x.trim() && x !== 'None');
  const groups = u.includeGroups.filter((g) => g.trim());
  const isGroup = (g: string): boolean => breakGlass.groups.includes(directory.nameOf(g));
  const isUser = (x: string): boolean => breakGlass.isAccount(x);
  if (!users.some(isUser) && !groups.some(isGroup)) return undefined;
  const others = u.includeRoles.some((r) => r.trim()) || !users.every(isUser) || !groups.every(isGroup);
  return others ? 'named' : 'only';
}

/**
 * The finding's text. A policy that names the break-glass accounts in its own includes targets them on purpose
 * (phishing-resistant MFA for them, as Microsoft now recommends): the text asks whether that is meant, and how to
 * record it, instead of asking for an exclusion that would undo it (and, for a policy of theirs alone, leave it
 * applying to no one).
 */
function message(p: PolicyFacts, reason: string, gap: BreakGlassGap, named: 'only' | 'named' | undefined): string {
  const missing: string[] = [];
  const hint = (key: string): string => (named ? '' : ` (add to \`${key}\`)`);
  // What the policy may exclude through a break-glass group whose members the manifest does not list is said apart, as
  // unknown: the accounts may be in that group.
  const doubtful = gap.mayBeIn?.length ? gap.mayBeIn : undefined;
  const groups = doubtful ? gap.groups.filter((g) => !gap.doubtfulGroups?.includes(g)) : gap.groups;
  if (groups.length) missing.push(`${groups.length > 1 ? 'groups' : 'group'} ${codeList(groups)}${hint('excludeGroups')}`);
  if (gap.users.length && !doubtful) missing.push(`${gap.users.length > 1 ? 'users' : 'user'} ${codeList(gap.users)}${hint('excludeUsers')}`);
  const ids = gap.unnamedIds?.length
    ? ` (it excludes users by object id, ${codeList(gap.unnamedIds)}, which may be the break-glass accounts: list their ids in \`breakGlass.users\` to say so)`
    : '';
  const parts = [...(missing.length ? [`does not exclude the break-glass ${listText(missing)}${ids}`] : []), ...(doubtful ? [mayBeText(doubtful, gap, !!named)] : [])];
  if (named) {
    return (
      `${policyLabel(p)} ${reason}, and ${parts.join('; and it ')}: it names the emergency-access accounts in its includes, ` +
      'so it may lock them out when they are needed most. If it enforces their own strong authentication on purpose (FIDO2 keys kept in the safe), ' +
      'test it and record that with a `# ztp-ignore break-glass-not-excluded: <reason>` comment above its `users` key' +
      (named === 'only' ? '; excluding them would leave it applying to no one' : '; otherwise take them out of its includes')
    );
  }
  // A policy with no grant (session controls only: sign-in frequency, app-enforced restrictions, token protection…)
  // asks for no control, but still applies to the accounts, which Microsoft advises excluding from every policy
  // (https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access).
  const consequence = grantControlNames(p).length
    ? 'the emergency-access accounts could be locked out when they are needed most'
    : p.spec && hasSessionControl(p.spec)
      ? 'it has no grant, but its session controls apply to the emergency-access accounts too (a sign-in frequency prompts them again, token protection refuses a client that cannot bind its token), and Microsoft advises excluding them from every Conditional Access policy'
      : 'it has no grant and no session control (Graph refuses such a policy, as its schema finding says), and Microsoft advises excluding the emergency-access accounts from every Conditional Access policy';
  return `${policyLabel(p)} ${reason}, but ${parts.join('; and it ')}; ${consequence}`;
}

/**
 * The "may be" of a gap: the policy excludes break-glass groups whose members the manifest does not list, so whether
 * the accounts it does not exclude otherwise are in them is unknown; the two facts that decide it.
 */
function mayBeText(groups: string[], gap: BreakGlassGap, named: boolean): string {
  const several = groups.length > 1;
  const who = [
    ...(gap.users.length ? [`${gap.users.length > 1 ? 'users' : 'user'} ${codeList(gap.users)}`] : []),
    ...(gap.doubtfulGroups?.length ? [`listed members of ${codeList(gap.doubtfulGroups)}`] : []),
  ];
  const add = [
    ...(gap.users.length ? [`the ${gap.users.length > 1 ? 'users' : 'user'} to \`excludeUsers\``] : []),
    ...(gap.doubtfulGroups?.length ? [`${codeList(gap.doubtfulGroups)} to \`excludeGroups\``] : []),
  ];
  const decide = named
    ? `list ${several ? 'their' : 'its'} \`members\` in the manifest to decide it`
    : `list ${several ? 'their' : 'its'} \`members\` in the manifest, or add ${listText(add, 'and')}, to decide it`;
  return `excludes the break-glass ${several ? 'groups' : 'group'} ${codeList(groups)}, whose \`members\` the manifest does not list, so whether the break-glass ${listText(who)} ${gap.users.length > 1 || who.length > 1 || gap.doubtfulGroups?.length ? 'are' : 'is'} in ${several ? 'them' : 'it'} is unknown (${decide})`;
}

/** Append to the exclude list, or add the key to `conditions.users` when the policy has none. */
function excludeEdit(p: PolicyFacts, key: 'excludeGroups' | 'excludeUsers', values: string[]): { edit: TextEdit; append: boolean } | undefined {
  if (!values.length) return undefined;
  const users = docPath(p, USERS_PATH);
  const path = [...users, key];
  const found = nodeAtPath(p.parsed.doc, path);
  const append = isSeq(found.node);
  // A key with no list under it (`excludeUsers:`) is a schema error; adding a second key would be another.
  if (!append && found.pair) return undefined;
  const edit = append ? appendToSequence(p.parsed, path, values) : addToMap(p.parsed, users, key, values);
  return edit && { edit, append };
}

/**
 * What If and the lockout check in words: plain text for the terminal, Markdown for the editor, and JSON-ready
 * objects with paths relative to wherever the host prints them.
 */
import { breakGlassRestricted, lockoutWhatIfOptions, type LockoutReport } from '../lockout';
import { allFailText, anyOfText, describeUser, doubtGroups, MAY_BE_BLOCKED, USER_ACTIONS, notDeployableText, type PolicyEvaluation, type ResolvedScenario, type Unsatisfiable, type WhatIfResult } from '../whatif';
import { listText, unreadCaText } from '../prose';
import { mayHoldText } from '../model/compliance-reach';
import { APP_SCOPE_RULE, DEVICE_ADMIN_RULE, OS_VERSION_RULE } from '../model/grants';

/** Turns an absolute path into what the host shows (relative to the current folder, or a URI). */
export type PathText = (path: string) => string;

const VERDICT_ICON: Record<WhatIfResult['verdict'], string> = { allowed: '✅', allowedIf: '🟡', blocked: '⛔', unsatisfiable: '⛔' };

export function scenarioLines(s: ResolvedScenario): [string, string][] {
  const device = [s.deviceCompliant ? 'compliant' : 'not compliant', s.appProtected ? 'app protected' : 'no app protection', s.hybridJoined ? 'hybrid joined' : 'not hybrid joined'];
  const place = s.location === undefined ? 'an untrusted location' : s.location === 'trusted' ? 'a trusted location' : `named location ${s.location}`;
  const network = s.compliantNetwork === undefined ? '' : s.compliantNetwork ? ', through the Global Secure Access compliant network' : ', not through the Global Secure Access compliant network';
  const location = `${place}${network}`;
  return [
    ['user', describeUser(s)],
    ['sign-in', signInText(s)],
    ['device', device.join(' · ')],
    ['conditions', `${location} · sign-in risk ${s.signInRisk} · user risk ${s.userRisk}${s.insiderRisk ? ` · insider risk ${s.insiderRisk}` : ''}`],
  ];
}

/** The sign-in: platform, what it reaches (an app, a user action, an authentication context), flow and client app. */
function signInText(s: ResolvedScenario): string {
  const action = s.userAction ? (Object.keys(USER_ACTIONS) as (keyof typeof USER_ACTIONS)[]).find((k) => USER_ACTIONS[k] === s.userAction) : undefined;
  const parts = [
    s.platform,
    ...(s.app !== undefined ? [`app ${s.app === 'All' ? 'All (every cloud app)' : s.app}`] : []),
    ...(s.userAction ? [`user action ${action ?? s.userAction} (${s.userAction})`] : []),
    ...(s.authContext ? [`authentication context ${s.authContext}${s.app === undefined ? ' (no app)' : ''}`] : []),
    ...(s.authFlow ? [`authentication flow ${s.authFlow}`] : []),
    `client app ${s.clientApp}`,
  ];
  return parts.join(' · ');
}

function grantText(e: PolicyEvaluation): string {
  if (!e.applies) return '—';
  const g = e.grant!;
  const session = e.session.length ? `; session: ${e.session.join(', ')}` : '';
  return g.summary + session;
}

/**
 * What a policy Graph would refuse is, and what of it was evaluated: its conditions as written; the places the schema
 * errors are, not read as values.
 */
function deployText(e: PolicyEvaluation): string | undefined {
  const n = e.notDeployable;
  if (!n) return undefined;
  const counted = e.state === 'enabled' && e.applies ? ', and it is not counted in the result' : '';
  const places = n.places.map((x) => `\`${x}\``).join(', ');
  return `${notDeployableText(n)}: Graph would refuse it, so the tenant would not have it${counted}; evaluated: its conditions and controls as written, the invalid settings (${places}) not read as values (run ztp check)`;
}

/** The end of the result line: the applying enforced policies Graph would refuse, which the verdict leaves out. */
function notCountedText(r: WhatIfResult): string {
  if (!r.notDeployable?.length) return '';
  const list = r.notDeployable.map((n) => `${n.policy} (${notDeployableText(n)})`).join(', ');
  const one = r.notDeployable.length === 1;
  return `; not counted: ${list} would apply as written, but Graph would refuse ${one ? 'it' : 'them'}, so nothing of ${one ? 'it' : 'them'} applies in the tenant`;
}

/** The terminal form: the scenario, a block per policy (applies? why, grant), then the result line. */
export function whatIfText(r: WhatIfResult, rel: PathText): string {
  const out: string[] = [`What If — tenant ${r.tenant}`];
  for (const [k, v] of scenarioLines(r.scenario)) out.push(`  ${k.padEnd(11)}${v}`);
  const section = (title: string, items: PolicyEvaluation[]): void => {
    if (!items.length) return;
    out.push('', `${title} (${items.length})`);
    for (const e of items) {
      out.push(`  ${e.applies ? '●' : '○'} ${e.name}  ${rel(e.file)}`);
      out.push(`      applies  ${e.applies ? 'yes' : 'no'} — ${e.why}`);
      if (e.applies) out.push(`      grant    ${grantText(e)}`);
      const deploy = deployText(e);
      if (deploy) out.push(`      deploy   ${deploy}`);
    }
  };
  section('Enforced policies', r.policies.filter((p) => p.state === 'enabled'));
  section('Report-only policies (evaluated, never enforced)', r.reportOnly);
  const disabled = r.policies.filter((p) => p.state === 'disabled');
  if (disabled.length) out.push('', `Disabled (${disabled.length}): ${disabled.map((d) => d.name).join(', ')}`);
  if (r.unsatisfiable.length) {
    out.push('', 'Unsatisfiable');
    // A policy's options under OR that all fail are one end (`doubtGroups` groups them as it groups doubts), said once.
    for (const g of doubtGroups(r.unsatisfiable)) out.push(`  ✗ ${g[0]!.operator === 'OR' ? allFailText(g) : g[0]!.reason} (${g[0]!.policy}, ${rel(g[0]!.file)})`);
  }
  if (r.uncertain?.length) {
    out.push('', doubtHeading(r.uncertain));
    // A policy's alternatives under OR are one doubt (`doubtGroups`), said once.
    for (const g of doubtGroups(r.uncertain)) out.push(`  ? ${g[0]!.operator === 'OR' ? anyOfText(g) : g[0]!.reason} (${g[0]!.policy}, ${rel(g[0]!.file)})`);
  }
  if (r.warnings.length) {
    out.push('', 'Warnings');
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  if (r.unread?.length) out.push('', `! ${unreadCaText(r.unread.map((f) => ({ file: rel(f), why: r.unreadWhy?.[f] })), WHATIF_LEAVES_OUT)}`);
  const ro = reportOnlyLine(r);
  out.push('', `Result: ${resultText(r, 'above')}${r.unread?.length ? ' (among the policies read)' : ''}`);
  if (ro) out.push(`Report-only: ${ro}`);
  return out.join('\n');
}

/**
 * The heading of the reasons a sign-in may be blocked in practice, naming what is listed under it: a policy that may
 * block the user (a block whose exclusion may or may not hold them: `control: 'block'`) is "May be blocked"; a grant
 * the user may be unable to meet (a compliant device no compliance policy is known to reach) "May be unsatisfiable";
 * both, "May be blocked or unsatisfiable". Read from each doubt's control, never from its words.
 */
export function doubtHeading(uncertain: readonly Unsatisfiable[]): string {
  const blocks = uncertain.some((u) => u.control === 'block');
  const grants = uncertain.some((u) => u.control !== 'block');
  return blocks && grants ? 'May be blocked or unsatisfiable' : blocks ? 'May be blocked' : 'May be unsatisfiable';
}

/**
 * The result line. The reasons a sign-in may be blocked in practice are listed under their heading (`doubtHeading`),
 * each with its policy and file; the line points there instead of repeating them (one reason can run to three lines).
 */
function resultText(r: WhatIfResult, where: 'above' | 'below'): string {
  const cut = r.uncertain?.length ? r.summary.indexOf(MAY_BE_BLOCKED) : -1;
  return (cut < 0 ? r.summary : `${r.summary.slice(0, cut)}; may be blocked in practice (see "${doubtHeading(r.uncertain!)}" ${where})`) + notCountedText(r);
}

/** What the report-only policies would do, were they enforced. */
export function reportOnlyLine(r: WhatIfResult): string | undefined {
  const applying = r.reportOnly.filter((p) => p.applies);
  if (!r.reportOnly.length) return undefined;
  if (!applying.length) return 'none of them applies';
  return applying.map((p) => `${p.name} would ${wouldText(p)}${p.notDeployable ? ` (${notDeployableText(p.notDeployable)}: Graph would refuse it)` : ''}`).join('; ');
}

function wouldText(p: PolicyEvaluation): string {
  const g = p.grant!;
  if (g.outcome === 'block') return 'block';
  if (g.outcome === 'requires') return g.summary.replace(/^requires/, 'require');
  if (g.outcome === 'unsatisfiable') return `be unsatisfiable (${g.summary.replace(/^unsatisfiable: /, '')})`;
  return `grant access: ${g.summary.replace(/^granted: /, '')}`;
}

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The editor form: result first, then the scenario, then a table per group of policies, with links. */
export function whatIfMarkdown(r: WhatIfResult, link: PathText): string {
  const lines: string[] = [`# What If · ${cell(r.tenant)}`, ''];
  const policyLink = (name: string, file: string): string => `[${cell(name)}](${link(file)})`;
  let result = resultText(r, 'below');
  if (r.verdict === 'blocked') {
    const files = new Map(r.policies.map((p) => [p.name, p.file]));
    result = `blocked by ${r.blockedBy.map((b) => policyLink(b, files.get(b) ?? '')).join(', ')}${cell(notCountedText(r))}`;
  }
  lines.push(`**Result: ${VERDICT_ICON[r.verdict]} ${result}**`, '');
  const ro = reportOnlyLine(r);
  if (ro) lines.push(`Report-only (not enforced): ${cell(ro)}`, '');
  lines.push('| Scenario | |', '|---|---|');
  for (const [k, v] of scenarioLines(r.scenario)) lines.push(`| ${k[0]!.toUpperCase()}${k.slice(1)} | ${cell(v)} |`);
  const table = (title: string, items: PolicyEvaluation[]): void => {
    if (!items.length) return;
    lines.push('', `## ${title}`, '', '| Policy | Applies | Why | Grant |', '|---|---|---|---|');
    for (const e of items) lines.push(`| ${policyLink(e.name, e.file)} | ${e.applies ? '✅ yes' : '— no'}${e.notDeployable ? ` · ⚠️ ${notDeployableText(e.notDeployable)}` : ''} | ${cell(e.why)} | ${cell(grantText(e))} |`);
  };
  table('Enforced policies', r.policies.filter((p) => p.state === 'enabled'));
  table('Report-only policies (evaluated, never change the result)', r.reportOnly);
  const disabled = r.policies.filter((p) => p.state === 'disabled');
  if (disabled.length) lines.push('', `Disabled: ${disabled.map((d) => policyLink(d.name, d.file)).join(', ')}`);
  if (r.unsatisfiable.length) {
    lines.push('', '## Unsatisfiable', '');
    for (const g of doubtGroups(r.unsatisfiable)) lines.push(`- ⛔ ${cell(g[0]!.operator === 'OR' ? allFailText(g) : g[0]!.reason)} — ${policyLink(g[0]!.policy, g[0]!.file)}`);
  }
  if (r.uncertain?.length) {
    lines.push('', `## ${doubtHeading(r.uncertain)}`, '');
    for (const g of doubtGroups(r.uncertain)) lines.push(`- ❓ ${cell(g[0]!.operator === 'OR' ? anyOfText(g) : g[0]!.reason)} — ${policyLink(g[0]!.policy, g[0]!.file)}`);
  }
  const refused = [...r.policies, ...r.reportOnly].filter((e) => e.notDeployable);
  if (refused.length) {
    lines.push('', '## Not deployable as written', '');
    for (const e of refused) lines.push(`- ⚠️ ${policyLink(e.name, e.file)}: ${cell(deployText(e)!)}`);
  }
  if (r.warnings.length) {
    lines.push('', '## Warnings', '');
    for (const w of r.warnings) lines.push(`- ⚠️ ${cell(w)}`);
  }
  if (r.unread?.length) lines.push('', `⚠️ ${cell(unreadCaText(r.unread.map((f) => ({ file: f.replace(/^.*[\\/]/, ''), why: r.unreadWhy?.[f] })), WHATIF_LEAVES_OUT))}`);
  lines.push('', '_Evaluated offline from the policy files: MFA and authentication strengths are requirements, never proven; the device state is the scenario\'s._');
  return lines.join('\n');
}

/** The result with paths as the host shows them (for `--format json`). */
export function whatIfJson(r: WhatIfResult, rel: PathText): unknown {
  const policy = (p: PolicyEvaluation): unknown => ({ ...p, file: rel(p.file) });
  return {
    ...r,
    policies: r.policies.map(policy),
    reportOnly: r.reportOnly.map(policy),
    unsatisfiable: r.unsatisfiable.map((u) => ({ ...u, file: rel(u.file) })),
    ...(r.uncertain ? { uncertain: r.uncertain.map((u) => ({ ...u, file: rel(u.file) })) } : {}),
    ...(r.unread ? { unread: r.unread.map(rel) } : {}),
    ...(r.notDeployable ? { notDeployable: r.notDeployable.map((n) => ({ ...n, file: rel(n.file) })) } : {}),
  };
}

/** What leaves out the policy a file not analysed may hold (`unreadCaText`): What If's result. */
const WHATIF_LEAVES_OUT = 'this result leaves out';
/** The same, for the lockout check's sign-ins (here and in the report). */
export const LOCKOUT_LEAVES_OUT = 'these sign-ins leave out';

/** The lockout check for the terminal: every lockout with its explanation and fix, then the warnings. */
export function lockoutText(r: LockoutReport, rel: PathText): string {
  if (r.problem) return `Lockout check — tenant ${r.tenant}\n\n✖ not run: ${r.problem}`;
  const out: string[] = [
    `Lockout check — tenant ${r.tenant}`,
    `  ${r.scenarios} sign-ins: ${r.subjects.length} ${r.subjects.length === 1 ? 'account' : 'accounts'} × ${r.platforms.length} ${r.platforms.length === 1 ? 'platform' : 'platforms'} (${r.platforms.join(', ')}) × ${r.clientApps.join(' and ')}, every app, from a trusted location, no risk${r.subjects.some((s) => s.compliantNetwork === false) ? '; the break-glass accounts not through the Global Secure Access compliant network (they are needed when its client or service fails)' : ''}`,
    `  accounts: ${r.subjects.map((s) => s.label).join('; ')}`,
    // The What If that gives each verdict below: the same sign-in, asked of one account.
    `  What If of one sign-in: ztp whatif <tenant> ${whatIfOptionsText(r.subjects.find((s) => s.compliantNetwork === false) ?? r.subjects[0])} --platform <platform> --client-app <client app>`,
  ];
  if (r.findings.length) {
    out.push('', `Lockouts (${r.findings.length})`);
    for (const f of r.findings) {
      out.push(`  ✗ ${f.verdict === 'blocked' ? 'BLOCKED by' : 'UNSATISFIABLE in'} ${f.policy} — on ${f.platforms.join(', ')} (${f.clientApps.join(', ')})`);
      out.push(`      who   ${f.subjects.map((s) => s.label).join('; ')}`);
      out.push(`      why   ${f.explanation}`);
      out.push(`      fix   ${f.fix}`);
      out.push(`      file  ${rel(f.file)}`);
    }
  }
  if (r.mayLockOut?.length) {
    out.push('', `May be locked out (${r.mayLockOut.length})`);
    for (const f of r.mayLockOut) {
      out.push(`  ? MAY BE ${f.verdict === 'blocked' ? 'BLOCKED' : 'UNSATISFIABLE'} in ${f.policy} — on ${f.platforms.join(', ')} (${f.clientApps.join(', ')})`);
      out.push(`      who   ${f.subjects.map((s) => s.label).join('; ')}`);
      out.push(`      why   ${f.explanation}`);
      out.push(`      fix   ${f.fix}`);
      out.push(`      file  ${rel(f.file)}`);
    }
  }
  if (r.warnings.length) {
    out.push('', `Warnings (${r.warnings.length})`);
    for (const w of r.warnings) out.push(`  ! ${w.message}${w.subject && w.platforms.length ? ` (on ${w.platforms.join(', ')})` : ''}`);
  }
  // Said once: beside the lockouts found, or as the reason "no lockout" is not known.
  const unread = r.unread?.length ? unreadCaText(r.unread.map((f) => ({ file: rel(f), why: r.unreadWhy?.[f] })), LOCKOUT_LEAVES_OUT) : undefined;
  if (unread && r.findings.length) out.push('', `! ${unread}`);
  // Break-glass accounts the manifest does not name were not signed in: said beside another verdict, or as the verdict
  // itself, never "every account can sign in".
  const otherVerdict = r.findings.length > 0 || unread !== undefined || (r.mayLockOut?.length ?? 0) > 0;
  if (r.breakGlassUndeclared && otherVerdict) out.push('', `! ${r.breakGlassUndeclared}`);
  // The same for platforms the manifest does not list and no file names: never "on every platform".
  if (r.platformsUndeclared && (otherVerdict || r.breakGlassUndeclared)) out.push('', `! ${r.platformsUndeclared}`);
  out.push(
    '',
    r.findings.length
      ? `✖ ${r.findings.length} lockout${r.findings.length === 1 ? '' : 's'} found`
      : unread
        ? `? no lockout among the policies read: ${unread}`
        : r.mayLockOut?.length
          ? `? no certain lockout, but ${mayLockOutText(r.mayLockOut)} may lock accounts out: ${doubtText(r.mayLockOut)}`
          : r.breakGlassUndeclared
            ? `? no lockout among the accounts checked, but ${r.breakGlassUndeclared}`
            : r.platformsUndeclared
              ? `? no lockout on the platforms checked, but ${r.platformsUndeclared}`
              : breakGlassRestricted(r).length
                ? `! no lockout, but ${restrictedVerdictText(r)}`
                : `✓ no lockout: every account checked can sign in on every platform (if it meets what the policies require); ${NO_GUEST_SIGN_IN}`,
  );
  return out.join('\n');
}

/**
 * What may lock accounts out, counted as what each sign-in in doubt ends in: a block (`blocked`) is no requirement,
 * a control that may not be met (`unsatisfiable`) is one. "one block", "2 requirements", "one block and 2 requirements".
 */
export function mayLockOutText(doubts: readonly { verdict: 'blocked' | 'unsatisfiable' }[]): string {
  const count = (n: number, what: string) => (n === 1 ? `one ${what}` : `${n} ${what}s`);
  const blocks = doubts.filter((d) => d.verdict === 'blocked').length;
  const requirements = doubts.length - blocks;
  return [...(blocks ? [count(blocks, 'block')] : []), ...(requirements ? [count(requirements, 'requirement')] : [])].join(' and ');
}

/**
 * "No lockout" where blocks restrict the break-glass accounts (a country allowlist they are not excluded from): never
 * "every account can sign in", since the What If of their sign-in says blocked (`breakGlassRestricted`).
 */
export function restrictedVerdictText(r: Pick<LockoutReport, 'warnings'>): string {
  const policies = [...new Set(breakGlassRestricted(r).map((w) => w.policy ?? ''))];
  return `the break-glass accounts are restricted by ${listText(policies)} (see the warnings): emergency access accounts must be able to sign in from anywhere`;
}

/**
 * What the check's "no lockout" leaves out, said beside it: its accounts are the break-glass ones and a member of each
 * group and role (\`lockoutSubjects\`), never a guest, whom a policy may still block (What If's \`--guest-type\` asks).
 */
export const NO_GUEST_SIGN_IN = 'guests and external users are not among the accounts checked (`ztp whatif <tenant> --guest-type <type>` asks for them)';

interface DoubtFacts {
  control?: string;
  rule?: string;
  mayBeInGroups?: string[];
  roleHolderGroups?: string[];
  undeclared?: string;
  gap?: string;
  policy?: string;
  alternatives?: readonly DoubtFacts[];
}

/**
 * What the sign-ins in doubt rest on, one clause per kind of doubt; a grant under OR every option of which is in doubt
 * (`alternatives`) is one clause, its options' doubts together: it locks users out only if every option fails.
 */
function doubtText(doubts: readonly DoubtFacts[]): string {
  const anyOf = doubts.filter((d) => d.alternatives?.length);
  const one = doubts.filter((d) => !d.alternatives?.length);
  // Each sentence once: the same grant in doubt for two accounts (a user in no group, a Global Administrator) is one.
  return [
    ...(one.length ? [oneDoubtText(one)] : []),
    ...new Set(anyOf.map((d) => `${d.policy ?? 'a policy'} asks for any one of its controls, each in doubt, and locks these users out only if ${d.alternatives!.length === 2 ? 'both fail' : 'every one fails'}: ${oneDoubtText(d.alternatives!)}`)),
  ].join('; ');
}

/** Whose groups may hold the users a sign-in in doubt rests on: the compliance policies' (users or devices), the app protection policies' (users). */
function oneDoubtText(doubts: readonly DoubtFacts[]): string {
  // Doubts of other kinds than whom the policies reach: each said of its own.
  const groups = [...new Set(doubts.flatMap((d) => (d.rule === 'break-glass-not-excluded' ? (d.mayBeInGroups ?? []) : [])))];
  // A block that may let a role's holders through a group it excludes (the model's `roleHolderExclusions`).
  const holderGroups = [...new Set(doubts.flatMap((d) => d.roleHolderGroups ?? []))];
  const others = [
    ...(doubts.some((d) => d.rule === 'break-glass-not-excluded' && !d.mayBeInGroups?.length) ? ['a policy may exclude the break-glass accounts by object ids zerotrust.yaml does not list (`breakGlass.users`)'] : []),
    ...(groups.length ? [`a policy may exclude the break-glass accounts through ${listText(groups.map((g) => `\`${g}\``))}, whose \`members\` zerotrust.yaml does not list`] : []),
    ...(holderGroups.length ? [`a block lets ${listText(holderGroups.map((g) => `\`${g}\``))} through, and zerotrust.yaml does not say whether the directory roles' holders are in ${holderGroups.length > 1 ? 'them' : 'it'}`] : []),
    ...(doubts.some((d) => d.rule === 'compliance-requires-enrollment' && !d.undeclared) ? ['an enrollment restriction keeps these users from enrolling devices themselves, and devices others enroll may be compliant'] : []),
    ...(doubts.some((d) => d.rule === APP_SCOPE_RULE && d.gap !== 'unmanagedOnly') ? ['the app protection policies target apps on Intune-managed devices only, and these users may sign in from devices not enrolled'] : []),
    ...(doubts.some((d) => d.rule === APP_SCOPE_RULE && d.gap === 'unmanagedOnly') ? ['the app protection policies target apps on unmanaged devices only, and these users may sign in from devices enrolled in Intune'] : []),
    ...(doubts.some((d) => d.gap === 'managedWindows') ? ['Windows app protection applies only on PCs neither MDM enrolled nor Microsoft Entra joined, and these users may sign in from PCs the tenant enrolls'] : []),
    ...(doubts.some((d) => d.rule === DEVICE_ADMIN_RULE) ? ['the only Android compliance policies are for device administrator, and these users\' devices may enroll as Android Enterprise'] : []),
    ...(doubts.some((d) => d.rule === OS_VERSION_RULE) ? ['a compliance policy whose OS version bounds no device meets may apply to these users\' devices'] : []),
    ...(doubts.some((d) => d.undeclared === 'secureByDefault') ? ['devices no compliance policy reaches may be marked noncompliant (`settings.secureByDefault`, not declared in zerotrust.yaml)'] : []),
    ...(doubts.some((d) => d.undeclared === 'applePushCertificate') ? ['no Apple device enrolls if the Apple MDM push certificate has expired (`settings.applePushCertificate`, not declared in zerotrust.yaml)'] : []),
    ...(doubts.some((d) => d.undeclared === 'androidEnterprise') ? ['no Android Enterprise device enrolls if the tenant is not bound to managed Google Play (`settings.androidEnterprise.bindStatus`, not declared in zerotrust.yaml)'] : []),
    ...(doubts.some((d) => d.gap === 'unread') ? ['a file not analysed may hold the policy a requirement rests on'] : []),
    ...(doubts.some((d) => d.rule === 'license-missing') ? ['the licence table and Microsoft Learn disagree on whether the tenant\'s licences include Intune (Microsoft 365 F1)'] : []),
    ...(doubts.some((d) => d.rule === 'mdm-authority-not-intune') ? ['the MDM authority is Office 365, and Basic Mobility and Security\'s device policies, which these files do not hold, may mark devices noncompliant'] : []),
  ];
  const reach = doubts.filter((d) => !d.roleHolderGroups?.length && d.rule !== 'break-glass-not-excluded' && d.rule !== 'compliance-requires-enrollment' && d.rule !== APP_SCOPE_RULE && d.rule !== DEVICE_ADMIN_RULE && d.rule !== OS_VERSION_RULE && !(d.undeclared && (d.rule !== 'ca-group-alignment' || d.gap === 'notAssigned')) && d.rule !== 'mdm-authority-not-intune' && d.rule !== 'license-missing' && d.gap !== 'unread' && d.gap !== 'managedWindows');
  if (!reach.length) return others.join('; ');
  const app = reach.some((d) => d.control === 'compliantApplication');
  const device = reach.some((d) => d.control !== 'compliantApplication');
  return [mayHoldText(
    { ...(device ? { compliance: [`the groups the compliance policies are assigned to`] } : {}), ...(app ? { appProtection: [device ? 'those the app protection policies are assigned to' : 'the groups the app protection policies are assigned to'] } : {}) },
    'these users',
    false,
  ), ...others].join('; ');
}

/** A subject's What If options (`lockoutWhatIfOptions`) as a shell would take them. */
function whatIfOptionsText(subject: LockoutReport['subjects'][number] | undefined): string {
  if (!subject) return '--user <upn> --location trusted';
  return lockoutWhatIfOptions(subject)
    .map((x) => (/^[\w@.,:\/-]+$/.test(x) ? x : `"${x.replace(/(["\\$`])/g, '\\$1')}"`))
    .join(' ');
}

export function lockoutJson(r: LockoutReport, rel: PathText): unknown {
  return {
    ...r,
    // Each account with the What If options that ask for one of its sign-ins (with --platform and --client-app).
    subjects: r.subjects.map((s) => ({ ...s, whatIf: lockoutWhatIfOptions(s) })),
    findings: r.findings.map((f) => ({ ...f, file: rel(f.file) })),
    warnings: r.warnings.map((w) => (w.file ? { ...w, file: rel(w.file) } : w)),
    ...(r.mayLockOut ? { mayLockOut: r.mayLockOut.map((f) => ({ ...f, file: rel(f.file) })) } : {}),
    ...(r.unread ? { unread: r.unread.map(rel) } : {}),
  };
}

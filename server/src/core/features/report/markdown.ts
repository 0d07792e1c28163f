/** The tenant report in Markdown, for repositories and wikis: a mermaid diagram of the layers, tables, links. */
import { LAYERS } from '../../layers';
import { breakGlassRestricted, type LockoutReport } from '../../lockout';
import { layerTableMarkdown, STATUS_MEANINGS, type LayerState } from '../layer-status';
import { plural, reportModel, type ReportAccepted, type ReportInput } from './model';
import { unreadCaText } from '../../prose';
import { LOCKOUT_LEAVES_OUT, NO_GUEST_SIGN_IN, restrictedVerdictText } from '../whatif-format';
import { profileGroups, settingLabel, type ProfileSettings } from './settings';

const MERMAID_STYLE: Record<LayerState['status'], string> = {
  complete: 'fill:#dcfce7,stroke:#15803d,color:#14532d',
  partial: 'fill:#fef3c7,stroke:#b45309,color:#78350f',
  blocked: 'fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d',
  notStarted: 'fill:#f1f5f9,stroke:#64748b,color:#334155',
};

const EMOJI: Record<LayerState['status'], string> = { complete: '✅', partial: '🟡', blocked: '⛔', notStarted: '⚪' };

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
/** Text from a file or the index on one line that opens no HTML and no code span. */
const mdText = (s: string): string => s.replace(/\r?\n/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, "'");

/** A profile's settings on one line: "Require Device Encryption: Enabled · … and 3 more". */
function settingsLineMarkdown(s: ProfileSettings): string {
  return [...s.shown.map((x) => `${mdText(settingLabel(x))}: ${mdText(x.value ?? '')}`), ...(s.more ? [`… and ${s.more} more`] : [])].join(' · ');
}

/** A mermaid flowchart of the layers and what each builds on, coloured by status; an emoji strip for plain viewers. */
export function layerDiagramMarkdown(states: LayerState[]): string[] {
  const lines = ['```mermaid', 'flowchart LR'];
  for (const s of states) lines.push(`  L${s.layer}["${s.layer} · ${s.name}<br/>${s.status === 'notStarted' ? 'not started' : s.status}${s.licensed ? '' : ' · not licensed'}"]:::${s.status}`);
  for (const def of LAYERS) for (const r of def.requires) lines.push(`  L${r} --> L${def.layer}`);
  for (const [status, style] of Object.entries(MERMAID_STYLE)) lines.push(`  classDef ${status} ${style}`);
  lines.push('```', '', states.map((s) => `${EMOJI[s.status]} ${s.layer}`).join(' → '));
  return lines;
}

/** The tenant report as one Markdown page. */
export function reportMarkdown(input: ReportInput): string {
  const { name, states, counts: c, complete, teams, profiles, date, accepted, policyFiles } = reportModel(input);
  const out = [
    `# Zero Trust report · ${name}`,
    '',
    `${complete} of 7 layers complete · ${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.information} information${accepted.length ? ` · ${accepted.length} accepted with \`ztp-ignore\`` : ''} · ${plural(policyFiles, 'policy file')}${input.lockout ? ` · ${input.lockout.problem ? 'lockout check not run' : input.lockout.findings.length ? `⛔ ${plural(input.lockout.findings.length, 'lockout')}` : input.lockout.unread?.length || input.lockout.mayLockOut?.length ? 'lockouts unknown' : input.lockout.breakGlassUndeclared ? 'no lockout among the accounts checked (break-glass accounts not declared)' : input.lockout.platformsUndeclared ? 'no lockout on the platforms checked (platforms not declared)' : breakGlassRestricted(input.lockout).length ? 'no lockout (break-glass accounts restricted)' : 'no lockout'}` : ''} · generated ${date}${input.version ? ` by ztp ${input.version}` : ''}, offline`,
    '',
    '## The seven layers',
    '',
    ...layerDiagramMarkdown(states),
    '',
    ...layerTableMarkdown(states),
    '',
    `_Blocked_: ${STATUS_MEANINGS.blocked}. _Partial_: ${STATUS_MEANINGS.partial}.`,
    '',
    '## Findings by team',
  ];
  for (const g of teams) {
    out.push('', `### ${g.team ? `${g.team}${g.contact ? ` — ${g.contact}` : ''}` : 'No owner'}`, '');
    out.push(`${plural(g.policies.length, 'policy')} ${g.team ? 'owned' : 'without an owner'} · ${g.findings.length ? plural(g.findings.length, 'finding') : 'no findings'}`);
    for (const group of profileGroups(g.policies, profiles)) {
      out.push('', `${group.heading}:`, '');
      for (const { policy, settings } of group.items) out.push(`- \`${mdText(policy.name ?? input.rel(policy.path))}\` (${plural(settings.shown.length + settings.more, 'setting')}): ${settingsLineMarkdown(settings)}`);
    }
    if (g.findings.length) {
      out.push('', '| Severity | Layer | Where | Rule | Finding |', '|---|---|---|---|---|');
      for (const f of g.findings) {
        const withText = f.with.length ? ` _(coordinate with ${f.with.join(', ')})_` : '';
        out.push(`| ${f.finding.severity} | ${f.finding.layer ?? '—'} | ${mdCell(`${f.file}:${f.line}`)} | \`${f.finding.ruleId}\` | ${mdCell(f.finding.message)}${withText} |`);
      }
    }
  }
  out.push('', ...acceptedMarkdown(accepted));
  if (input.lockout) out.push('', ...lockoutMarkdown(input.lockout, input.rel));
  out.push('', '## Who to coordinate with', '');
  for (const def of LAYERS) out.push(`- **${def.layer} · ${def.name}** — ${def.coordinate} ${def.docs.map((d) => `[${d.title}](${d.url})`).join(' · ')}`);
  return out.join('\n') + '\n';
}

/** The findings accepted with `# ztp-ignore`: each with its rule, file, place and the comment's reason. */
function acceptedMarkdown(accepted: ReportAccepted[]): string[] {
  const out = ['## Accepted findings (`ztp-ignore`)', ''];
  if (!accepted.length) return [...out, 'No finding is accepted with a `# ztp-ignore` comment.'];
  out.push(
    `${plural(accepted.length, 'finding')} that \`ztp check\` does not report, because a \`# ztp-ignore\` comment accepts ${accepted.length === 1 ? 'it' : 'them'} with a reason:`,
    '',
    '| Rule | Where | Severity | Finding | Reason (comment) |',
    '|---|---|---|---|---|',
  );
  for (const a of accepted) {
    const comment = a.fileWide ? `line ${a.commentLine}, the whole file` : `line ${a.commentLine}`;
    out.push(`| \`${a.ruleId}\` | ${mdCell(`${a.file}:${a.line}`)}${a.policy ? ` (${mdCell(mdText(a.policy))})` : ''} | ${a.severity} | ${mdCell(a.message)} | ${mdCell(mdText(a.reason))} _(${comment})_ |`);
  }
  return out;
}

function lockoutMarkdown(r: LockoutReport, rel: (p: string) => string): string[] {
  if (r.problem) return ['## Lockout check', '', `Not run: ${r.problem}.`];
  const out = ['## Lockout check', '', `${r.scenarios} sign-ins: ${plural(r.subjects.length, 'account')} on ${r.platforms.join(', ')}, every app, in ${r.clientApps.join(' and ')}.`, ''];
  const unread = r.unread?.length ? unreadCaText(r.unread.map((f) => ({ file: rel(f), why: r.unreadWhy?.[f] })), LOCKOUT_LEAVES_OUT) : undefined;
  if (!r.findings.length) out.push(unread ? `❔ No account is locked out by the policies read: ${unread}.` : r.mayLockOut?.length ? '❔ No account is certainly locked out, but some may be (below).' : r.breakGlassUndeclared ? `❔ No account checked is locked out, but ${r.breakGlassUndeclared}.` : r.platformsUndeclared ? `❔ No account is locked out on the platforms checked, but ${r.platformsUndeclared}.` : breakGlassRestricted(r).length ? `⚠️ No account checked is locked out, but ${restrictedVerdictText(r)}.` : `✅ No account checked is locked out; ${NO_GUEST_SIGN_IN}.`);
  else if (unread) out.push(`- ❔ ${unread}.`);
  // Beside another verdict, the break-glass accounts not signed in are said as a line of their own.
  if (r.breakGlassUndeclared && (r.findings.length || unread || r.mayLockOut?.length)) out.push(`- ❔ ${r.breakGlassUndeclared[0]!.toUpperCase()}${r.breakGlassUndeclared.slice(1)}.`);
  // So are the platforms not declared, unless they are the verdict.
  if (r.platformsUndeclared && (r.findings.length || unread || r.mayLockOut?.length || r.breakGlassUndeclared)) out.push(`- ❔ ${r.platformsUndeclared[0]!.toUpperCase()}${r.platformsUndeclared.slice(1)}.`);
  for (const f of r.findings) out.push(`- ⛔ **${f.verdict} in ${f.policy}** on ${f.platforms.join(', ')} for ${f.subjects.map((s) => s.label).join('; ')}: ${f.explanation}. Fix: ${f.fix} (\`${rel(f.file)}\`)`);
  for (const f of r.mayLockOut ?? []) out.push(`- ❔ **may be ${f.verdict} in ${f.policy}** on ${f.platforms.join(', ')} for ${f.subjects.map((s) => s.label).join('; ')}: ${f.explanation}. Fix: ${f.fix} (\`${rel(f.file)}\`)`);
  for (const w of r.warnings) out.push(`- ⚠️ ${w.message}`);
  return out;
}

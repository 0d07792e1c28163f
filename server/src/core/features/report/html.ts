/**
 * The tenant report as one self-contained HTML page for mail and auditors: no script, and no stylesheet, font or
 * image from anywhere (the CSS is inline, the layer diagram an inline SVG).
 */
import { refusedLicences } from '../../licenses';
import { LAYERS, layerDefinition } from '../../layers';
import { evidenceName, STATUS_LABELS, STATUS_MEANINGS, type LayerState } from '../layer-status';
import { plural, reportModel, type ReportInput } from './model';
import { unreadCaText } from '../../prose';
import { LOCKOUT_LEAVES_OUT, NO_GUEST_SIGN_IN, restrictedVerdictText } from '../whatif-format';
import { breakGlassRestricted } from '../../lockout';
import { profileGroups, settingLabel, type ProfileSettings } from './settings';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Escaped text with the messages' `code` spans as <code>. */
const codeSpans = (s: string): string => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const COLORS: Record<LayerState['status'], { fill: string; stroke: string; text: string; label: string }> = {
  complete: { fill: '#16a34a', stroke: '#15803d', text: '#ffffff', label: 'Complete' },
  partial: { fill: '#f59e0b', stroke: '#d97706', text: '#1f2937', label: 'Partial' },
  blocked: { fill: '#dc2626', stroke: '#b91c1c', text: '#ffffff', label: 'Blocked' },
  notStarted: { fill: '#e2e8f0', stroke: '#94a3b8', text: '#334155', label: 'Not started' },
};

/** The seven layers as a row of chevrons, coloured by status; unlicensed layers are hatched. */
export function layerDiagramSvg(states: LayerState[]): string {
  const w = 1120;
  const h = 140;
  const tip = 18;
  const gap = 4;
  const step = (w - tip) / states.length;
  const parts: string[] = [
    `<svg class="diagram" viewBox="0 0 ${w} ${h}" role="img" aria-label="The seven Zero Trust layers by status">`,
    '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-opacity="0.5" stroke-width="3"/></pattern></defs>',
  ];
  states.forEach((s, i) => {
    const x = i * step;
    const r = x + step - gap;
    const c = COLORS[s.status];
    // A chevron: flat left edge for the first layer, a notch for the others; a tip on the right.
    const pts = [`${x},0`, `${r},0`, `${r + tip},${h / 2}`, `${r},${h}`, `${x},${h}`, ...(i === 0 ? [] : [`${x + tip},${h / 2}`])].join(' ');
    const cx = (x + (i === 0 ? 0 : tip) + r + tip / 2) / 2;
    parts.push(`<g><title>Layer ${s.layer} · ${esc(s.name)}: ${c.label.toLowerCase()}${s.licensed ? '' : ' (not licensed)'}</title>`);
    parts.push(`<polygon points="${pts}" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.5"/>`);
    if (!s.licensed) parts.push(`<polygon points="${pts}" fill="url(#hatch)"/>`);
    parts.push(`<text x="${cx}" y="38" text-anchor="middle" font-size="28" font-weight="700" fill="${c.text}">${s.layer}</text>`);
    const name = wrap(s.name, 14);
    name.forEach((line, j) => parts.push(`<text x="${cx}" y="${(name.length > 2 ? 60 : 66) + j * 17}" text-anchor="middle" font-size="14" font-weight="600" fill="${c.text}">${esc(line)}</text>`));
    parts.push(`<text x="${cx}" y="${h - 14}" text-anchor="middle" font-size="12" fill="${c.text}" opacity="0.9">${c.label}${s.licensed ? '' : ' · no licence'}</text>`);
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A profile's settings on one line: "Require Device Encryption: <b>Enabled</b> · … and 3 more". */
function settingsLineHtml(s: ProfileSettings): string {
  const items = s.shown.map((x) => `<span class="setting">${esc(settingLabel(x))}: <b>${esc(x.value ?? '')}</b></span>`);
  if (s.more) items.push(`<span class="muted">… and ${s.more} more</span>`);
  return items.join(' · ');
}

/** A layer's name in lines of about `width` characters (three at most), for the diagram. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && (cur + ' ' + word).length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines.slice(0, 3);
}

/** The page's whole style: inline, so the page loads nothing. */
const CSS = `
:root { --ink:#0f172a; --muted:#475569; --line:#e2e8f0; --bg:#f8fafc; --card:#ffffff; --accent:#1d4ed8; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font: 14px/1.5 "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; }
header { background:#0f172a; color:#f8fafc; padding:28px 40px 24px; }
header h1 { margin:0 0 4px; font-size:24px; font-weight:650; letter-spacing:.2px; }
header .sub { color:#cbd5e1; font-size:13px; }
.chips { display:flex; flex-wrap:wrap; gap:10px; margin-top:16px; }
.chip { background:#1e293b; border:1px solid #334155; border-radius:999px; padding:4px 12px; font-size:13px; color:#e2e8f0; }
.chip b { color:#fff; }
.chip.bad { background:#7f1d1d; border-color:#b91c1c; }
.chip.good { background:#14532d; border-color:#15803d; }
main { max-width:1200px; margin:0 auto; padding:24px 40px 48px; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:20px 24px; margin:0 0 20px; box-shadow:0 1px 2px rgba(15,23,42,.04); }
h2 { font-size:17px; margin:0 0 14px; font-weight:650; }
h3 { font-size:15px; margin:0; font-weight:650; }
.diagram { width:100%; height:auto; display:block; font-family:inherit; }
.legend { display:flex; gap:18px; margin-top:10px; color:var(--muted); font-size:12px; flex-wrap:wrap; }
.legend span::before { content:""; display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:6px; vertical-align:-1px; background:var(--c); box-shadow:inset 0 0 0 1px rgba(15,23,42,.18); }
table { width:100%; border-collapse:collapse; font-size:13px; }
th { text-align:left; font-weight:600; color:var(--muted); border-bottom:2px solid var(--line); padding:8px 10px; white-space:nowrap; }
td { border-bottom:1px solid var(--line); padding:8px 10px; vertical-align:top; }
tr:last-child td { border-bottom:none; }
td.num { white-space:nowrap; }
.pill { display:inline-block; border-radius:999px; padding:1px 10px; font-size:12px; font-weight:600; white-space:nowrap; }
.s-complete { background:#dcfce7; color:#166534; } .s-partial { background:#fef3c7; color:#92400e; }
.s-blocked { background:#fee2e2; color:#991b1b; } .s-notStarted { background:#f1f5f9; color:#475569; }
.sev-error { background:#fee2e2; color:#991b1b; } .sev-warning { background:#fef3c7; color:#92400e; }
.sev-information { background:#e0f2fe; color:#075985; }
.muted { color:var(--muted); }
code, .mono { font-family: ui-monospace, "Cascadia Mono", Consolas, "Liberation Mono", monospace; font-size:12px; }
code { background:#f1f5f9; border-radius:4px; padding:0 4px; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
.teams { display:grid; gap:16px; }
.team { border:1px solid var(--line); border-radius:8px; overflow:hidden; }
.team-head { display:flex; justify-content:space-between; align-items:baseline; gap:12px; background:#f8fafc; padding:10px 14px; border-bottom:1px solid var(--line); }
.team-head .meta { color:var(--muted); font-size:12px; }
.team table td, .team table th { padding-left:14px; }
.team .empty { padding:10px 14px; color:var(--muted); }
.team .profiles { padding:10px 14px; border-bottom:1px solid var(--line); font-size:13px; }
.with { color:var(--muted); font-style:italic; }
.where { margin-top:4px; color:var(--muted); font-size:12px; }
.where .rule { font-weight:600; color:#334155; }
td code, .nowrap { white-space:nowrap; }
.pols code { display:inline-block; margin:0 4px 4px 0; }
ul.plain { margin:0; padding-left:18px; } ul.plain li { margin:4px 0; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:0 0 28px; }
@media print { body { background:#fff; } section { box-shadow:none; break-inside:avoid; } header { -webkit-print-color-adjust:exact; print-color-adjust:exact; } }
`;

/** The tenant report as one self-contained HTML page. */
export function reportHtml(input: ReportInput): string {
  const t = input.tenant;
  const { name, states, counts: c, complete, teams: groups, profiles, date, accepted, policyFiles } = reportModel(input);
  const chips = [
    `<span class="chip ${complete === 7 ? 'good' : ''}"><b>${complete}</b> of 7 layers complete</span>`,
    `<span class="chip ${c.error ? 'bad' : ''}"><b>${c.error}</b> error${c.error === 1 ? '' : 's'}</span>`,
    `<span class="chip"><b>${c.warning}</b> warning${c.warning === 1 ? '' : 's'}</span>`,
    `<span class="chip"><b>${c.information}</b> information</span>`,
    ...(accepted.length ? [`<span class="chip"><b>${accepted.length}</b> accepted with <code>ztp-ignore</code></span>`] : []),
    `<span class="chip"><b>${policyFiles}</b> policy file${policyFiles === 1 ? '' : 's'}</span>`,
  ];
  if (input.lockout?.problem) chips.push('<span class="chip bad">lockout check not run</span>');
  else if (input.lockout) chips.push(input.lockout.findings.length ? `<span class="chip bad"><b>${input.lockout.findings.length}</b> lockout${input.lockout.findings.length === 1 ? '' : 's'}</span>` : input.lockout.unread?.length || input.lockout.mayLockOut?.length ? '<span class="chip">lockouts unknown</span>' : input.lockout.breakGlassUndeclared ? '<span class="chip">break-glass not checked</span>' : input.lockout.platformsUndeclared ? '<span class="chip">some platforms not checked</span>' : breakGlassRestricted(input.lockout).length ? '<span class="chip">break-glass restricted</span>' : '<span class="chip good">no lockout</span>');
  // A refused entry is shown as what it is: the tenant's licences are not only those listed beside it.
  const licences = [...(t.manifest?.licenses ?? []), ...refusedLicences(t.manifest).map((id) => `${id} (not a licence the schema takes)`)].join(', ') || 'none';

  const rows = states
    .map((s) => {
      const def = layerDefinition(s.layer)!;
      const doc = def.docs[0];
      const title = doc ? `<a href="${esc(doc.url)}">${esc(s.name)}</a>` : esc(s.name);
      // A profile Configuration Manager holds back (layer 5 under co-management) is named with why, in plain text.
      const held = (path: string): string => {
        const h = s.heldBack.find((x) => x.path === path);
        return h ? ` <span class="muted">(${esc(h.note)})</span>` : '';
      };
      const names = [...s.policies.map((p) => ({ name: p.name ?? '?', path: p.path })), ...s.evidence.map((p) => ({ name: evidenceName(p), path: p.path }))];
      // What the manifest declares in place of files (layer 6's onboarding outside Intune) is not a file name: plain text.
      const declared = s.declared.map((d) => `<span class="muted">${esc(d)}</span>`);
      const pols = names.length || declared.length ? [...names.map((n) => `<code>${esc(n.name)}</code>${held(n.path)}`), ...declared].join(' ') : '<span class="muted">—</span>';
      const ids = [...new Set(s.unmet.map((f) => f.ruleId))];
      const unmet = ids.length ? `<div class="muted">${ids.map((id) => `<span class="nowrap">${esc(id)}</span>`).join(', ')}</div>` : '';
      const why = s.reason;
      const reason = why ? `<div class="muted">${codeSpans(why)}</div>` : '';
      return `<tr><td class="num"><b>${s.layer}</b></td><td>${title}</td><td><span class="pill s-${s.status}">${esc(STATUS_LABELS[s.status].replace(/^\S+ /, ''))}</span>${reason}</td><td>${s.licenseUnknown ? '<span title="the manifest lists no licence, or one the schema does not take">unknown</span>' : s.licensed ? 'yes' : `<span title="${esc(s.licenseHint)}">no</span>`}</td><td class="pols">${pols}</td><td><span class="nowrap">${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}</span>${unmet}</td></tr>`;
    })
    .join('\n');

  const teams = groups
    .map((g) => {
      const head = `<div class="team-head"><h3>${g.team ? esc(g.team) : 'No owner'}${g.contact ? ` · <a href="mailto:${esc(g.contact)}">${esc(g.contact)}</a>` : ''}</h3><span class="meta">${plural(g.policies.length, 'policy')} ${g.team ? 'owned' : 'without an owner'} · ${g.findings.length ? plural(g.findings.length, 'finding') : 'no findings'}</span></div>`;
      const settings = profileGroups(g.policies, profiles)
        .map((group) => `<div class="profiles"><div class="muted">${esc(group.heading)}</div><ul class="plain">${group.items.map(({ policy, settings: p }) => `<li><code>${esc(policy.name ?? input.rel(policy.path))}</code> <span class="muted">(${plural(p.shown.length + p.more, 'setting')})</span>: ${settingsLineHtml(p)}</li>`).join('')}</ul></div>`)
        .join('');
      if (!g.findings.length) return `<div class="team">${head}${settings}<div class="empty">Nothing to do.</div></div>`;
      const body = g.findings
        .map((f) => {
          const withText = f.with.length ? ` <span class="with">— coordinate with ${esc(f.with.join(', '))}</span>` : '';
          const rule = input.ruleOf(f.finding.ruleId);
          return `<tr><td><span class="pill sev-${f.finding.severity}">${f.finding.severity}</span></td><td class="num">${f.finding.layer ?? '—'}</td><td>${codeSpans(f.finding.message)}${withText}<div class="where"><span class="mono">${esc(`${f.file}:${f.line}`)}</span> · <span class="rule" title="${esc(rule?.title ?? '')}">${esc(f.finding.ruleId)}</span></div></td></tr>`;
        })
        .join('\n');
      return `<div class="team">${head}${settings}<table><thead><tr><th style="width:110px">Severity</th><th style="width:60px">Layer</th><th>Finding</th></tr></thead><tbody>${body}</tbody></table></div>`;
    })
    .join('\n');

  // The findings accepted with `# ztp-ignore`: an auditor asks for each, with its reason.
  const acceptedRows = accepted
    .map((a) => {
      const rule = input.ruleOf(a.ruleId);
      const comment = a.fileWide ? `line ${a.commentLine}, the whole file` : `line ${a.commentLine}`;
      return `<tr><td><span class="rule" title="${esc(rule?.title ?? '')}">${esc(a.ruleId)}</span></td><td><span class="mono">${esc(`${a.file}:${a.line}`)}</span>${a.policy ? `<div class="where">${esc(a.policy)}</div>` : ''}</td><td><span class="pill sev-${a.severity}">${a.severity}</span></td><td>${codeSpans(a.message)}</td><td>${esc(a.reason)}<div class="where">${comment}</div></td></tr>`;
    })
    .join('');
  const acceptedSection = `<section><h2>Accepted findings (<code>ztp-ignore</code>)</h2>${
    accepted.length
      ? `<p class="muted">${plural(accepted.length, 'finding')} that <code>ztp check</code> does not report, because a <code># ztp-ignore</code> comment accepts ${accepted.length === 1 ? 'it' : 'them'} with a reason.</p><table><thead><tr><th>Rule</th><th>Where</th><th>Severity</th><th>Finding</th><th>Reason (comment)</th></tr></thead><tbody>${acceptedRows}</tbody></table>`
      : '<p class="muted">No finding is accepted with a <code># ztp-ignore</code> comment.</p>'
  }</section>`;
  let lockout = '';
  if (input.lockout?.problem) lockout = `<section><h2>Lockout check</h2><p>Not run: ${esc(input.lockout.problem)}.</p></section>`;
  else if (input.lockout) {
    const r = input.lockout;
    const rows = [...r.findings.map((f) => ({ f, may: false })), ...(r.mayLockOut ?? []).map((f) => ({ f, may: true }))].map(
      ({ f, may }) =>
        `<tr><td><span class="pill ${may ? 'sev-warning' : 'sev-error'}">${may ? 'may be ' : ''}${f.verdict}</span></td><td><code>${esc(f.policy)}</code><div class="where">${esc(f.platforms.join(', '))} · ${esc(f.clientApps.join(', '))}</div></td><td>${f.subjects.map((s) => `<div class="mono nowrap">${esc(s.user)}</div>`).join('')}</td><td>${codeSpans(f.explanation)}<div class="where">Fix: ${codeSpans(f.fix)}</div></td></tr>`,
    );
    const table = rows.length ? `<table><thead><tr><th style="width:120px">Verdict</th><th>Policy</th><th>Accounts</th><th>Why, and the fix</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '';
    const unread = r.unread?.length ? unreadCaText(r.unread.map((f) => ({ file: input.rel(f), why: r.unreadWhy?.[f] })), LOCKOUT_LEAVES_OUT) : undefined;
    // Break-glass accounts the manifest does not name were not signed in: the verdict when nothing else is, a line beside it otherwise.
    const otherVerdict = r.findings.length > 0 || unread !== undefined || (r.mayLockOut?.length ?? 0) > 0;
    const bg = r.breakGlassUndeclared;
    const bgUndeclared = bg ? `<p><span class="pill s-partial">unknown</span> ${codeSpans(otherVerdict ? `${bg[0]!.toUpperCase()}${bg.slice(1)}` : `No account checked is locked out, but ${bg}`)}.</p>` : '';
    const pl = r.platformsUndeclared;
    const plUndeclared = pl ? `<p><span class="pill s-partial">unknown</span> ${codeSpans(otherVerdict || bg ? `${pl[0]!.toUpperCase()}${pl.slice(1)}` : `No account is locked out on the platforms checked, but ${pl}`)}.</p>` : '';
    const warns = r.warnings.length ? `<ul class="plain">${r.warnings.map((w) => `<li><span class="pill sev-warning">warning</span> ${codeSpans(w.message)}</li>`).join('')}</ul>` : '';
    lockout = `<section><h2>Lockout check</h2><p class="muted">${r.scenarios} sign-ins: ${plural(r.subjects.length, 'account')} (break-glass, and a sample member of each group the policies include) on ${esc(r.platforms.join(', '))}, every app, in ${esc(r.clientApps.join(' and '))}, evaluated offline.</p>${r.findings.length ? (unread ? `<p><span class="pill s-partial">unknown</span> ${codeSpans(unread)}.</p>` : '') : unread ? `<p><span class="pill s-partial">unknown</span> No account is locked out by the policies read: ${codeSpans(unread)}.</p>` : r.mayLockOut?.length ? '<p><span class="pill s-partial">unknown</span> No account is certainly locked out, but some may be (below).</p>' : r.breakGlassUndeclared || r.platformsUndeclared ? '' : breakGlassRestricted(r).length ? `<p><span class="pill s-partial">restricted</span> No account checked is locked out, but ${codeSpans(restrictedVerdictText(r))}.</p>` : `<p><span class="pill s-complete">no lockout</span> Every break-glass account and every included group can sign in on every platform; ${codeSpans(NO_GUEST_SIGN_IN)}.</p>`}${bgUndeclared}${plUndeclared}${table}${warns}</section>`;
  }

  const coordinate = LAYERS.map((d) => `<li><b>${d.layer} · ${esc(d.name)}</b> — ${esc(d.coordinate)} ${d.docs.map((x) => `<a href="${esc(x.url)}">${esc(x.title)}</a>`).join(' · ')}</li>`).join('');
  const legend = (Object.keys(COLORS) as LayerState['status'][]).map((k) => `<span style="--c:${COLORS[k].fill}" title="${esc(STATUS_MEANINGS[k])}">${COLORS[k].label}</span>`).join('') + '<span style="--c:repeating-linear-gradient(45deg,#64748b 0 2px,#cbd5e1 2px 5px)">Not licensed (hatched)</span>';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Zero Trust report · ${esc(name)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Zero Trust report · ${esc(name)}</h1>
<div class="sub">Licences: ${esc(licences)} · Platforms: ${esc(t.manifest?.platforms.join(', ') || '—')} · Generated ${date}${input.version ? ` by ztp ${esc(input.version)}` : ''}, offline, from the policy files</div>
<div class="chips">${chips.join('')}</div>
</header>
<main>
<section><h2>The seven layers</h2>${layerDiagramSvg(states)}<div class="legend">${legend}</div></section>
<section><h2>Layer progress</h2><table><thead><tr><th>#</th><th style="min-width:170px">Layer</th><th>Status</th><th>Licensed</th><th>Policies</th><th>Findings</th></tr></thead><tbody>
${rows}
</tbody></table><p class="muted"><b>Blocked</b>: ${esc(STATUS_MEANINGS.blocked)}. <b>Partial</b>: ${esc(STATUS_MEANINGS.partial)}.</p></section>
<section><h2>Findings by team</h2><div class="teams">
${teams}
</div></section>
${acceptedSection}
${lockout}
<section><h2>Who to coordinate with</h2><ul class="plain">${coordinate}</ul></section>
</main>
<footer>Intune Zero Trust Policies · the seven-layer progression of Microsoft's Zero Trust deployment guide for Intune</footer>
</body>
</html>
`;
}

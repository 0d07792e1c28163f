/**
 * The tenant report's words: counts read "1 warning", "2 warnings", in the header and in the seven-layer table; each
 * team lists its settings catalog profiles with what they set, by display name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleById } from '../../server/src/core/rules/index';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { reportHtml, reportMarkdown } from '../../server/src/core/features/report';
import { loadSettingsCatalog } from '../../server/src/host/settings-catalog-file';
import type { Finding, Severity } from '../../server/src/core/types';

const CONTOSO = join(__dirname, '..', '..', 'examples', 'contoso').replace(/\\/g, '/');

async function contoso() {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(CONTOSO)) await service.load(f);
  return service.view(CONTOSO);
}

/** A finding of no rule on a policy file of layer 1 (so it counts on that layer and changes no status rule). */
function finding(file: string, severity: Severity): Finding {
  return { ruleId: 'test-finding', severity, message: `a ${severity}`, file, span: { offset: 0, length: 0 }, layer: 1 };
}

function markdown(view: Awaited<ReturnType<typeof contoso>>, severities: Severity[]): string {
  const file = view.policies.find((p) => p.layer === 1 && p.kind)!.path;
  const findings = severities.map((s) => finding(file, s));
  return reportMarkdown({ tenant: view, findings, rel: (p) => p.slice(CONTOSO.length + 1), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById });
}

const layerRow = (md: string, layer: number): string => md.split('\n').find((l) => l.startsWith(`| ${layer} · `))!;

test('report Markdown: one of a kind is singular ("1 error, 1 warning"), in the header and the layer table', async () => {
  const md = markdown(await contoso(), ['error', 'warning', 'information']);
  assert.match(md, /· 1 error, 1 warning, 1 information ·/);
  assert.match(layerRow(md, 1), /\| 1 error, 1 warning \|$/);
  assert.doesNotMatch(md, /\b1 (errors|warnings|informations)\b/);
});

test('report Markdown: none or several are plural ("0 errors, 2 warnings")', async () => {
  const md = markdown(await contoso(), ['warning', 'warning']);
  assert.match(md, /· 0 errors, 2 warnings, 0 information ·/);
  assert.match(layerRow(md, 1), /\| 0 errors, 2 warnings \|$/);
  assert.match(layerRow(md, 2), /\| 0 errors, 0 warnings \|$/);
});

// ── Settings catalog profiles: what each sets, by display name ─────────────────────────────────────────────────

const choiceItem = (id: string, value: string, children: unknown[] = []): unknown => ({
  settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: id, choiceSettingValue: { value, children } },
});
const BL = 'device_vendor_msft_bitlocker';
const DEFENDER = 'device_vendor_msft_policy_config_defender';
/** In the index by id only: no display name, no option names. */
const TOASTS = 'device_vendor_msft_policy_config_abovelock_allowtoasts';
const NOTE = 'device_vendor_msft_policy_config_test_note';

/** A tenant whose endpoint team owns a settings catalog profile of nine settings (one a child, two known only by id). */
function profileTenant(withCatalog: boolean) {
  const settings = [
    choiceItem(`${BL}_requiredeviceencryption`, `${BL}_requiredeviceencryption_1`),
    choiceItem(`${BL}_allowwarningforotherdiskencryption`, `${BL}_allowwarningforotherdiskencryption_0`, [
      { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: `${BL}_allowstandarduserencryption`, choiceSettingValue: { value: `${BL}_allowstandarduserencryption_1`, children: [] } },
    ]),
    choiceItem(`${DEFENDER}_allowrealtimemonitoring`, `${DEFENDER}_allowrealtimemonitoring_1`),
    choiceItem(TOASTS, `${TOASTS}_0`),
    { settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance', settingDefinitionId: NOTE, simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value: '<b>x</b> & y' } } },
    choiceItem(`${DEFENDER}_allowbehaviormonitoring`, `${DEFENDER}_allowbehaviormonitoring_1`),
    choiceItem('device_vendor_msft_policy_config_lanmanworkstation_enableinsecureguestlogons', 'device_vendor_msft_policy_config_lanmanworkstation_enableinsecureguestlogons_0'),
    choiceItem('device_vendor_msft_windowsadvancedthreatprotection_configuration_samplesharing', 'device_vendor_msft_windowsadvancedthreatprotection_configuration_samplesharing_1'),
  ];
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z'), ...(withCatalog ? { settingsCatalog: () => loadSettingsCatalog() } : {}) });
  service.update('/t/zerotrust.yaml', 'kind: Tenant\nname: tailspin\nlicenses: [M365_E5]\nplatforms: [windows]\nteams:\n  endpoint: { contact: endpoint@tailspin.com }\n  identity: { contact: identity@tailspin.com }\n', 1);
  const profile = { kind: 'ConfigurationProfile', name: 'windows-bitlocker', owner: 'endpoint', assignments: { include: ['allDevices'] }, spec: { name: 'Windows - BitLocker', platforms: 'windows10', technologies: 'mdm', settings } };
  service.update('/t/configuration/windows-bitlocker.yaml', JSON.stringify(profile), 1);
  service.update('/t/configuration/windows-empty.yaml', JSON.stringify({ ...profile, name: 'windows-empty', spec: { ...profile.spec, name: 'Windows - empty', settings: [] } }), 1);
  const input = { tenant: service.view('/t'), findings: [], rel: (p: string) => p.slice(3), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById };
  return { md: reportMarkdown(input), html: reportHtml(input) };
}

/** The lines between a team's heading and the next heading. */
const teamSection = (md: string, team: string): string[] => {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`### ${team}`));
  assert.ok(start >= 0, team);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
  return lines.slice(start + 1, end < 0 ? undefined : end);
};

test('report Markdown: each settings catalog profile under its team, its settings by display name (ids without one), eight then "and N more"', () => {
  const { md } = profileTenant(true);
  assert.deepEqual(teamSection(md, 'endpoint'), [
    '',
    '2 policies owned · no findings',
    '',
    'Settings catalog profiles:',
    '',
    '- `windows-bitlocker` (9 settings): Require Device Encryption: Enabled · Allow Warning For Other Disk Encryption: Disabled · Allow Standard User Encryption: Enabled · Allow Realtime Monitoring: Allowed · ' +
      `${TOASTS}: …_0 · ${NOTE}: &lt;b&gt;x&lt;/b&gt; &amp; y · Allow Behavior Monitoring: Allowed · Enable Insecure Guest Logons: Disabled · … and 1 more`,
    '',
  ]);
  // A team without a settings catalog profile lists none.
  assert.deepEqual(teamSection(md, 'identity'), ['', '0 policies owned · no findings', '']);
});

test('report Markdown without the settings catalog index: every setting by id, its value by value id', () => {
  const line = teamSection(profileTenant(false).md, 'endpoint').find((l) => l.startsWith('- `windows-bitlocker`'));
  assert.equal(line, `- \`windows-bitlocker\` (9 settings): ${BL}_requiredeviceencryption: …_1 · ${BL}_allowwarningforotherdiskencryption: …_0 · ${BL}_allowstandarduserencryption: …_1 · ${DEFENDER}_allowrealtimemonitoring: …_1 · ${TOASTS}: …_0 · ${NOTE}: &lt;b&gt;x&lt;/b&gt; &amp; y · ${DEFENDER}_allowbehaviormonitoring: …_1 · device_vendor_msft_policy_config_lanmanworkstation_enableinsecureguestlogons: …_0 · … and 1 more`);
});

test('report HTML: the same list in the team card, escaped', () => {
  const { html } = profileTenant(true);
  const profiles = html.match(/<div class="profiles">.*?<\/ul><\/div>/g);
  assert.deepEqual(profiles?.length, 1);
  const li = profiles![0]!;
  assert.ok(li.startsWith('<div class="profiles"><div class="muted">Settings catalog profiles</div><ul class="plain"><li><code>windows-bitlocker</code> <span class="muted">(9 settings)</span>: <span class="setting">Require Device Encryption: <b>Enabled</b></span> · '), li);
  assert.ok(li.includes(`<span class="setting">${NOTE}: <b>&lt;b&gt;x&lt;/b&gt; &amp; y</b></span>`), li);
  assert.ok(li.endsWith('<span class="setting">Enable Insecure Guest Logons: <b>Disabled</b></span> · <span class="muted">… and 1 more</span></li></ul></div>'), li);
  assert.doesNotMatch(html, /<b>x<\/b>/);
  // In the endpoint team's card, between its heading and "Nothing to do.".
  assert.match(html, /<h3>endpoint · <a href="mailto:endpoint@tailspin\.com">endpoint@tailspin\.com<\/a><\/h3><span class="meta">2 policies owned · no findings<\/span><\/div><div class="profiles">.*?<\/ul><\/div><div class="empty">Nothing to do\.<\/div>/);
});

test('report: a Linux compliance policy (a settings catalog body) is listed as a compliance policy, not a settings catalog profile (round 30: t-mix)', () => {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z'), settingsCatalog: () => loadSettingsCatalog() });
  service.update('/t/zerotrust.yaml', 'kind: Tenant\nname: tailspin\nlicenses: [M365_E5]\nplatforms: [windows, linux]\nteams:\n  endpoint: { contact: endpoint@tailspin.com }\n', 1);
  const profile = { kind: 'ConfigurationProfile', name: 'windows-bitlocker', owner: 'endpoint', assignments: { include: ['allDevices'] }, spec: { name: 'Windows - BitLocker', platforms: 'windows10', technologies: 'mdm', settings: [choiceItem(`${BL}_requiredeviceencryption`, `${BL}_requiredeviceencryption_1`)] } };
  service.update('/t/configuration/windows-bitlocker.yaml', JSON.stringify(profile), 1);
  const linux = {
    kind: 'CompliancePolicy',
    name: 'linux-compliance',
    owner: 'endpoint',
    assignments: { include: ['allDevices'] },
    spec: {
      name: 'Linux compliance',
      platforms: 'linux',
      technologies: 'linuxMdm',
      settings: [choiceItem('linux_deviceencryption_required', 'linux_deviceencryption_required_true')],
      scheduledActionsForRule: [{ ruleName: null, scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }],
    },
  };
  service.update('/t/compliance/linux-compliance.yaml', JSON.stringify(linux), 1);
  const input = { tenant: service.view('/t'), findings: [], rel: (p: string) => p.slice(3), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById };
  const section = teamSection(reportMarkdown(input), 'endpoint');
  const profiles = section.indexOf('Settings catalog profiles:');
  const compliance = section.indexOf('Settings catalog compliance policies:');
  assert.ok(profiles >= 0 && compliance > profiles, section.join('\n'));
  assert.match(section[profiles + 2]!, /^- `windows-bitlocker` \(1 setting\)/);
  assert.match(section[compliance + 2]!, /^- `linux-compliance` \(1 setting\)/);
  assert.equal(section.filter((l) => l.startsWith('- `linux-compliance`')).length, 1);
  const html = reportHtml(input);
  assert.match(html, /<div class="profiles"><div class="muted">Settings catalog compliance policies<\/div><ul class="plain"><li><code>linux-compliance<\/code>/);
  assert.doesNotMatch(html, /Settings catalog profiles<\/div><ul class="plain">(?:(?!<\/ul>).)*linux-compliance/);
});

test('report Markdown: a layer blocked by a layer rule error says which error blocks it, before the prerequisites', async () => {
  const view = await contoso();
  const ca = view.policies.find((p) => p.kind === 'ConditionalAccessPolicy')!;
  const error: Finding = { ruleId: 'break-glass-not-excluded', severity: 'error', message: 'does not exclude the break-glass accounts', file: ca.path, span: { offset: 0, length: 0 }, layer: 4 };
  const md = reportMarkdown({ tenant: view, findings: [error], rel: (p) => p.slice(CONTOSO.length + 1), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById });
  assert.match(layerRow(md, 4), new RegExp(`⛔ blocked — by an error: break-glass-not-excluded on ${ca.name}`));
});

// ── Layer 6 asks only of the platforms in use ─────────────────────────────────────────────────────────────────

const MAC_LINUX = join(__dirname, '..', 'fixtures', 'defender-baselines-missing', 'ok-mac-and-linux-tenant').replace(/\\/g, '/');

/** The fixture tenant with its manifest's platforms (and the connector's toggles) changed, read from memory. */
async function macTenant(platforms: string, edit: (path: string, text: string) => string | undefined = (_, t) => t) {
  const { readFileSync } = await import('node:fs');
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(MAC_LINUX)) {
    const text = edit(f, readFileSync(f, 'utf8').replace(/^platforms:\n(- .*\n)+/m, `platforms: [${platforms}]\n`));
    if (text !== undefined) service.update(f, text, 1);
  }
  const findings = service.analyzeTenant(MAC_LINUX);
  const md = reportMarkdown({ tenant: service.view(MAC_LINUX), findings, rel: (p) => p.slice(MAC_LINUX.length + 1), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById });
  const { layerStates } = await import('../../server/src/core/features/layer-status');
  const six = layerStates(service.view(MAC_LINUX), findings, ruleById).find((l) => l.layer === 6)!;
  return { md, six, labels: six.prerequisites.lines.map((l) => `${l.label} ${l.unknown ? '?' : l.ok ? '✓' : '✗'}`) };
}

test('report: layer 6 of a Mac and Linux tenant asks for macOS onboarding, not Windows onboarding or the Windows baselines', async () => {
  const { md, six, labels } = await macTenant('macOS, linux');
  assert.deepEqual(labels, ['macOS connector ✓', 'macOS onboarding ✓']);
  assert.equal(six.status, 'complete');
  assert.match(six.prerequisites.lines[1]!.detail, /macOS - Defender for Endpoint onboarding/);
  assert.match(layerRow(md, 6), /✅ complete/);
  assert.doesNotMatch(md, /Windows onboarding|Security baselines ✗/);
});

test('report: layer 6 of a Mac tenant without the onboarding profile says macOS onboarding is missing', async () => {
  const { six, labels } = await macTenant('macOS', (path, text) => (/macos-defender-onboarding/.test(path) ? undefined : text));
  assert.deepEqual(labels, ['macOS connector ✓', 'macOS onboarding ✗']);
  assert.equal(six.status, 'partial');
  assert.match(six.prerequisites.lines[1]!.detail, /no custom configuration profile carrying the onboarding package/);
});

test('report: layer 6 of a tenant with Windows and Macs asks for both onboardings and the Windows baselines', async () => {
  const { labels } = await macTenant('windows, macOS');
  assert.deepEqual(labels, ['Windows connector ✗', 'macOS connector ✓', 'Windows onboarding ✗', 'macOS onboarding ✓', 'Security baselines ✗']);
});

test('report Markdown: a finding counts on its own layer whatever file it is on, and a manifest that lists no licence leaves licensing unknown', async () => {
  const view = await contoso();
  const compliance = view.policies.find((p) => p.kind === 'CompliancePolicy')!;
  // A layer 6 error on a compliance policy (device-risk-requires-defender's place) is layer 6's.
  const error: Finding = { ruleId: 'device-risk-requires-defender', severity: 'error', message: 'no Defender connector', file: compliance.path, span: { offset: 0, length: 0 }, layer: 6 };
  const md = reportMarkdown({ tenant: view, findings: [error], rel: (p) => p.slice(CONTOSO.length + 1), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById });
  assert.match(layerRow(md, 6), /\| 1 error, 0 warnings \|$/);
  assert.match(layerRow(md, 6), /⛔ blocked — by an error: device-risk-requires-defender on /);
  assert.match(layerRow(md, 3), /\| 0 errors, 0 warnings \|$/);
  // `licenses: []` (what an import writes when the export says nothing of them): unknown, not "no".
  const { layerStates } = await import('../../server/src/core/features/layer-status');
  const { readFileSync } = await import('node:fs');
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(CONTOSO)) await service.load(f);
  const manifest = `${CONTOSO}/zerotrust.yaml`;
  service.update(manifest, readFileSync(manifest, 'utf8').replace(/^licenses:.*$/m, 'licenses: []'), 2);
  const states = layerStates(service.view(CONTOSO), [], ruleById);
  assert.ok(states.every((s) => s.licensed && s.licenseUnknown), JSON.stringify(states.map((s) => [s.licensed, s.licenseUnknown])));
  const { layerTableMarkdown } = await import('../../server/src/core/features/layer-status');
  assert.ok(layerTableMarkdown(states).slice(2).every((row) => row.includes('| unknown |')));
});

test('report: layer 7 whose every DLP policy is in simulation mode is partial, saying so', async () => {
  const { readFileSync } = await import('node:fs');
  const { layerStates, unmetPrerequisitesText } = await import('../../server/src/core/features/layer-status');
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(CONTOSO)) await service.load(f);
  const dlp = service.view(CONTOSO).policies.filter((p) => p.kind === 'EndpointDlpPolicy');
  assert.ok(dlp.length > 0);
  const before = layerStates(service.view(CONTOSO), service.analyzeTenant(CONTOSO), ruleById).find((s) => s.layer === 7)!;
  assert.equal(before.notEnforced, undefined);
  for (const p of dlp) service.update(p.path, readFileSync(p.path, 'utf8').replace(/^(\s*)mode: .*$/m, '$1mode: TestWithNotifications'), 2);
  const seven = layerStates(service.view(CONTOSO), service.analyzeTenant(CONTOSO), ruleById).find((s) => s.layer === 7)!;
  assert.equal(seven.status === 'complete', false);
  assert.match(unmetPrerequisitesText(seven) ?? '', /every Endpoint DLP policy is in simulation mode/);
});

test('report: layer 4 whose only policy requiring a compliant device is report-only is partial, naming it', async () => {
  const { readFileSync } = await import('node:fs');
  const { layerStates, unmetPrerequisitesText } = await import('../../server/src/core/features/layer-status');
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(CONTOSO)) await service.load(f);
  const requiring = service.view(CONTOSO).policies.filter((p) => p.kind === 'ConditionalAccessPolicy' && JSON.stringify(p.spec?.grantControls ?? {}).includes('compliantDevice'));
  assert.equal(requiring.length, 1);
  const before = layerStates(service.view(CONTOSO), service.analyzeTenant(CONTOSO), ruleById).find((s) => s.layer === 4)!;
  assert.equal(before.notEnforced, undefined);
  service.update(requiring[0]!.path, readFileSync(requiring[0]!.path, 'utf8').replace(/^(\s*)state: enabled$/m, '$1state: enabledForReportingButNotEnforced'), 2);
  const four = layerStates(service.view(CONTOSO), service.analyzeTenant(CONTOSO), ruleById).find((s) => s.layer === 4)!;
  assert.notEqual(four.status, 'complete');
  assert.match(unmetPrerequisitesText(four) ?? '', new RegExp(`no enabled Conditional Access policy requires a compliant device yet: ${requiring[0]!.name} is report-only or off`));
});

// ── Accepted findings (`# ztp-ignore`) ──────────────────────────────────────────────────────────────────────

/** A tenant with two findings accepted: one by a comment at the top of a file, one by a comment above its line. */
function acceptingTenant(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-accepted-')).replace(/\\/g, '/');
  mkdirSync(join(dir, 'ca'));
  writeFileSync(
    join(dir, 'zerotrust.yaml'),
    'kind: Tenant\nname: fabrikam\nlicenses: [M365_E5]\nplatforms: [windows]\ngroups:\n  - name: grp-breakglass\n    members: [bg1@fabrikam.example]\nbreakGlass:\n  groups: [grp-breakglass]\n  users: [bg1@fabrikam.example]\nsettings:\n  secureByDefault: true\n',
  );
  writeFileSync(
    join(dir, 'ca', 'ca-windows-require-compliant.yaml'),
    '# ztp-ignore ca-requires-compliance-policy: compliance workload is on Configuration Manager (CHG-2041)\nkind: ConditionalAccessPolicy\nname: ca-windows-require-compliant\nspec:\n  displayName: CA010 - Windows - Require compliant device\n  state: enabled\n  conditions:\n    users: { includeUsers: [All], excludeGroups: [grp-breakglass] }\n    applications: { includeApplications: [Office365] }\n    platforms: { includePlatforms: [windows] }\n  grantControls: { operator: OR, builtInControls: [compliantDevice] }\n',
  );
  writeFileSync(
    join(dir, 'ca', 'ca-all-users-mfa.yaml'),
    'kind: ConditionalAccessPolicy\nname: ca-all-users-mfa\nspec:\n  displayName: CA001 - All users - MFA\n  state: enabled\n  conditions:\n    # ztp-ignore break-glass-not-excluded: the break-glass accounts hold FIDO2 keys and pass MFA (CHG-1187)\n    users: { includeUsers: [All] }\n    applications: { includeApplications: [All] }\n  grantControls: { operator: OR, builtInControls: [mfa] }\n',
  );
  return dir;
}

test('report: the findings accepted with ztp-ignore, each with its rule, file, line and reason (Markdown and HTML); check still leaves them out', async () => {
  const dir = acceptingTenant();
  try {
    for (const incremental of [false, true]) {
      const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z'), incremental });
      for (const f of await service.discover(dir)) await service.load(f);
      const findings = service.findings(dir);
      assert.ok(!findings.some((f) => f.ruleId === 'ca-requires-compliance-policy' || f.ruleId === 'break-glass-not-excluded'), 'check reports neither');
      const accepted = service.acceptedFindings(dir);
      assert.deepEqual(
        accepted.map((a) => [a.finding.ruleId, a.finding.file.slice(dir.length + 1), a.comment.line, a.comment.fileWide, a.comment.reason]),
        [
          ['break-glass-not-excluded', 'ca/ca-all-users-mfa.yaml', 6, false, 'the break-glass accounts hold FIDO2 keys and pass MFA (CHG-1187)'],
          ['ca-requires-compliance-policy', 'ca/ca-windows-require-compliant.yaml', 0, true, 'compliance workload is on Configuration Manager (CHG-2041)'],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      const rel = (p: string) => p.slice(dir.length + 1);
      const md = service.report(dir, { format: 'md', rel, generated: new Date('2026-06-01T00:00:00Z') });
      assert.match(md, /· 2 accepted with `ztp-ignore` ·/);
      assert.match(md, /## Accepted findings \(`ztp-ignore`\)\n\n2 findings that `ztp check` does not report/);
      assert.match(md, /\| `break-glass-not-excluded` \| ca\/ca-all-users-mfa\.yaml:8 \(ca-all-users-mfa\) \| warning \| .* \| the break-glass accounts hold FIDO2 keys and pass MFA \(CHG-1187\) _\(line 7\)_ \|/);
      assert.match(md, /\| `ca-requires-compliance-policy` \| ca\/ca-windows-require-compliant\.yaml:11 \(ca-windows-require-compliant\) \| error \| no Windows compliance policy; .* \| compliance workload is on Configuration Manager \(CHG-2041\) _\(line 1, the whole file\)_ \|/);
      const html = service.report(dir, { format: 'html', rel, generated: new Date('2026-06-01T00:00:00Z') });
      assert.match(html, /<b>2<\/b> accepted with <code>ztp-ignore<\/code>/);
      assert.match(html, /<h2>Accepted findings \(<code>ztp-ignore<\/code>\)<\/h2>/);
      assert.match(html, /ca\/ca-all-users-mfa\.yaml:8<\/span>.*the break-glass accounts hold FIDO2 keys and pass MFA \(CHG-1187\)<div class="where">line 7<\/div>/);
      // After an edit elsewhere, an incremental store keeps the accepted findings of the rules it does not run again.
      if (incremental) {
        const mfa = join(dir, 'ca', 'ca-all-users-mfa.yaml').replace(/\\/g, '/');
        service.update(mfa, readFileSync(mfa, 'utf8').replace('CA001 - All users - MFA', 'CA001 - All users - Require MFA'), 2);
        service.findings(dir);
        assert.equal(service.acceptedFindings(dir).length, 2, 'still both after an edit');
      }
    }
    // A tenant with none says so.
    const contosoService = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
    for (const f of await contosoService.discover(CONTOSO)) await contosoService.load(f);
    assert.match(contosoService.report(CONTOSO, { format: 'md', rel: (p) => p, generated: new Date('2026-06-01T00:00:00Z') }), /## Accepted findings \(`ztp-ignore`\)\n\nNo finding is accepted with a `# ztp-ignore` comment\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ── Defender onboarding declared outside Intune (settings.defenderOnboarding) ──────────────────────────────────

const GPO = join(__dirname, '..', 'fixtures', 'dlp-requires-defender-onboarding', 'ok-windows-onboarded-outside-intune').replace(/\\/g, '/');

/**
 * The fixture tenant whose Windows devices Group Policy onboards (no Intune EDR profile, the connector on for Windows,
 * an Endpoint DLP policy), as it is or with its manifest's `defenderOnboarding` block taken out.
 */
async function gpoTenant(declared: boolean) {
  const { readFileSync } = await import('node:fs');
  const { layerStates } = await import('../../server/src/core/features/layer-status');
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(GPO)) {
    const text = readFileSync(f, 'utf8');
    service.update(f, declared || !f.endsWith('zerotrust.yaml') ? text : text.replace(/^ {2}defenderOnboarding:\n( {4}.*\n)+/m, ''), 1);
  }
  // The fixture is a rule fixture, not a whole tenant: only the layer 6 and 7 findings are its subject.
  const findings = service.analyzeTenant(GPO).filter((f) => f.layer === 6 || f.layer === 7);
  const input = { tenant: service.view(GPO), findings, rel: (p: string) => p.slice(GPO.length + 1), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById };
  const states = layerStates(service.view(GPO), findings, ruleById);
  const line = (layer: number, label: string) => states.find((s) => s.layer === layer)!.prerequisites.lines.find((l) => l.label === label)!;
  return { service, findings, md: reportMarkdown(input), html: reportHtml(input), six: states.find((s) => s.layer === 6)!, seven: states.find((s) => s.layer === 7)!, line };
}

test('report: Windows onboarded outside Intune (declared) counts in layers 6 and 7, and the layer 6 row says so', async () => {
  const { findings, md, html, six, seven, line } = await gpoTenant(true);
  assert.deepEqual(findings.map((f) => f.ruleId), []);
  // Layer 6 still asks for the two security baselines, which this fixture lacks: nothing else is unmet.
  assert.equal(six.status, 'partial');
  assert.deepEqual(six.prerequisites.lines.filter((l) => !l.ok).map((l) => l.label), ['Security baselines']);
  assert.equal(seven.status, 'complete');
  assert.deepEqual(six.declared, ['Windows onboarded outside Intune (declared)']);
  assert.deepEqual({ ok: line(6, 'Windows onboarding').ok, detail: line(6, 'Windows onboarding').detail }, { ok: true, detail: 'onboarded outside Intune (declared)' });
  assert.deepEqual({ ok: line(7, 'Windows onboarded to Defender').ok, detail: line(7, 'Windows onboarded to Defender').detail }, { ok: true, detail: 'onboarded outside Intune (declared), mde-connector' });
  assert.match(layerRow(md, 6), /^\| 6 · [^|]+ \| 🟡 partial — Defender for Endpoint \(layer 6\): Security baselines ✗ [^|]+ \| yes \| mde-connector, Windows onboarded outside Intune \(declared\) \| 0 errors, 0 warnings \|$/);
  assert.match(layerRow(md, 7), /✅ complete/);
  assert.match(html, /<code>mde-connector<\/code> <span class="muted">Windows onboarded outside Intune \(declared\)<\/span>/);
});

test('report: the same tenant without the declaration is unchanged: Windows onboarding missing, layer 7 blocked, the EDR profile offered', async () => {
  const { service, findings, md, six, seven, line } = await gpoTenant(false);
  assert.deepEqual(findings.map((f) => `${f.ruleId}(${f.severity})`).sort(), ['defender-requires-onboarding(warning)', 'dlp-requires-defender-onboarding(error)']);
  assert.equal(six.status, 'partial');
  assert.equal(seven.status, 'blocked');
  assert.deepEqual(six.declared, []);
  assert.deepEqual({ ok: line(6, 'Windows onboarding').ok, detail: line(6, 'Windows onboarding').detail }, { ok: false, detail: 'no EDR onboarding profile' });
  assert.match(layerRow(md, 6), /\| mde-connector \| 0 errors, 1 warning \|$/);
  const onboarding = findings.find((f) => f.ruleId === 'defender-requires-onboarding')!;
  assert.deepEqual(service.fixes(onboarding).map((f) => f.title), ['Create a Windows EDR onboarding profile that takes the package from the connector']);
});

test('fix: defender-requires-onboarding offers no EDR profile where the manifest declares Windows onboarded outside Intune', async () => {
  const undeclared = await gpoTenant(false);
  const finding = undeclared.findings.find((f) => f.ruleId === 'defender-requires-onboarding')!;
  // The finding of the undeclared tenant, asked of the declared one (an editor's code action on a stale diagnostic).
  const { service } = await gpoTenant(true);
  assert.deepEqual(service.fixes(finding), []);
});

// ── Defender for Endpoint security settings management ("MDE attach") ──────────────────────────────────────────

const ATTACH = join(__dirname, '..', 'fixtures', 'dlp-requires-defender-onboarding', 'ok-security-settings-management').replace(/\\/g, '/');

test('report: servers that security settings management manages are onboarded outside Intune in layers 6 and 7, and no BitLocker or LAPS is asked of them', async () => {
  const { layerStates } = await import('../../server/src/core/features/layer-status');
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z'), settingsCatalog: () => loadSettingsCatalog() });
  for (const f of await service.discover(ATTACH)) await service.load(f);
  const findings = service.analyzeTenant(ATTACH);
  // The tenant has no Conditional Access policy at all: layer 4's legacy authentication warning is its only finding.
  assert.deepEqual(findings.map((f) => f.ruleId), ['legacy-auth-not-blocked']);
  const states = layerStates(service.view(ATTACH), findings, ruleById);
  const state = (layer: number) => states.find((s) => s.layer === layer)!;
  const line = (layer: number, label: string) => state(layer).prerequisites.lines.find((l) => l.label === label)!;
  const by = 'onboarded outside Intune: security settings management in use (servers-antivirus, servers-asr, servers-firewall)';
  assert.deepEqual({ ok: line(6, 'Windows onboarding').ok, detail: line(6, 'Windows onboarding').detail }, { ok: true, detail: by });
  assert.deepEqual({ ok: line(7, 'Windows onboarded to Defender').ok, detail: line(7, 'Windows onboarded to Defender').detail }, { ok: true, detail: by });
  assert.deepEqual(state(6).declared, ['Windows onboarded outside Intune: security settings management in use']);
  // The connector leaves Windows compliance off (the servers are not enrolled); the baselines reach enrolled devices
  // only, and security settings management delivers none, so layer 6 does not ask them of these servers.
  assert.deepEqual(state(6).prerequisites.lines.filter((l) => !l.ok).map((l) => l.label), ['Windows connector']);
  assert.ok(!state(6).prerequisites.lines.some((l) => l.label === 'Security baselines'));
  assert.equal(state(5).status, 'complete');
  assert.equal(state(7).status, 'complete');
  const md = reportMarkdown({ tenant: service.view(ATTACH), findings, rel: (p: string) => p.slice(ATTACH.length + 1), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById });
  assert.match(layerRow(md, 6), /\| yes \| mde-connector, Windows onboarded outside Intune: security settings management in use \| 0 errors, 0 warnings \|$/);
  assert.doesNotMatch(md, /Windows onboarding ✗/);
});


test('report: a declaration alone starts layer 6 (Macs onboarded by Jamf, no connector yet): partial, asking for the connector', async () => {
  const MAC = join(__dirname, '..', 'fixtures', 'dlp-requires-defender-onboarding', 'ok-macos-onboarded-outside-intune').replace(/\\/g, '/');
  const { layerStates } = await import('../../server/src/core/features/layer-status');
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(MAC)) await service.load(f);
  const findings = service.analyzeTenant(MAC);
  const six = layerStates(service.view(MAC), findings, ruleById).find((l) => l.layer === 6)!;
  assert.equal(six.policies.length, 0);
  assert.deepEqual(six.declared, ['macOS onboarded outside Intune (declared)']);
  assert.equal(six.status, 'partial');
  assert.deepEqual(six.prerequisites.lines.map((l) => `${l.label} ${l.ok ? '✓' : '✗'} ${l.detail}`), ['macOS connector ✗ not enabled in a Defender connector', 'iOS/iPadOS connector ✗ not enabled in a Defender connector', 'macOS onboarding ✓ onboarded outside Intune (declared)']);
});

test('report: the policies of no team are "without an owner", not "owned" (a Conditional Access policy with no owner, and no identity team for its layer)', () => {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  service.update('/t/zerotrust.yaml', 'kind: Tenant\nname: tailspin\nlicenses: [M365_E5]\nplatforms: [windows]\nteams:\n  endpoint: { contact: endpoint@tailspin.com }\n', 1);
  const ca = (name: string) => ({ kind: 'ConditionalAccessPolicy', name, spec: { displayName: name, state: 'disabled', conditions: { users: { includeUsers: ['None'] }, applications: { includeApplications: ['None'] } }, grantControls: { operator: 'OR', builtInControls: ['mfa'] } } });
  service.update('/t/conditional-access/a.yaml', JSON.stringify(ca('ca-a')), 1);
  service.update('/t/conditional-access/b.yaml', JSON.stringify({ ...ca('ca-b'), owner: 'endpoint' }), 1);
  const input = { tenant: service.view('/t'), findings: [], rel: (p: string) => p.slice(3), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById };
  const md = reportMarkdown(input);
  assert.deepEqual(teamSection(md, 'No owner')[1], '1 policy without an owner · no findings');
  assert.deepEqual(teamSection(md, 'endpoint')[1], '1 policy owned · no findings');
  const html = reportHtml(input);
  assert.match(html, /<h3>No owner<\/h3><span class="meta">1 policy without an owner · no findings<\/span>/);
  assert.doesNotMatch(html, /No owner<\/h3><span class="meta">[^<]*owned/);
});

test('the report counts policy files as the contract does: a named location or an authentication strength export is read, but is no policy file and no policy without an owner (pubA r27 t1, t2b)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ztp-report-count-')).replace(/\\/g, '/');
  try {
    mkdirSync(join(root, 'ca'));
    mkdirSync(join(root, 'compliance'));
    mkdirSync(join(root, 'entra'));
    writeFileSync(join(root, 'zerotrust.yaml'), 'kind: Tenant\nname: count\nlicenses: [M365_E5]\nplatforms: [windows]\nbreakGlass:\n  users: [bg1@count.example]\nteams:\n  identity: { contact: identity@count.example }\n');
    writeFileSync(join(root, 'ca', 'all-users-mfa.yaml'), 'kind: ConditionalAccessPolicy\nname: all-users-mfa\nowner: identity\nspec:\n  displayName: all_users_mfa\n  state: enabled\n  conditions:\n    users: { includeUsers: [All], excludeUsers: [bg1@count.example] }\n    applications: { includeApplications: [All] }\n    clientAppTypes: [all]\n  grantControls:\n    operator: OR\n    builtInControls: []\n    authenticationStrength: { id: 22222222-aaaa-4bbb-8ccc-0000000000a2 }\n');
    // A raw export of a policy kind, no owner and no team for its layer: a policy without an owner.
    writeFileSync(join(root, 'compliance', 'win.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'Windows', bitLockerEnabled: true, scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }] }, null, 2));
    // As the public tenant exports them: Graph JSON of no policy kind.
    writeFileSync(join(root, 'entra', 'nl-home.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.countryNamedLocation', id: '22222222-aaaa-4bbb-8ccc-000000000001', displayName: 'home', countriesAndRegions: ['DE'], includeUnknownCountriesAndRegions: false }, null, 2));
    writeFileSync(join(root, 'entra', 'strength-user.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.authenticationStrengthPolicy', id: '22222222-aaaa-4bbb-8ccc-0000000000a2', displayName: 'User-Authentication-Policy', policyType: 'custom', allowedCombinations: ['fido2', 'password'] }, null, 2));
    const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
    for (const f of await service.discover(root)) await service.load(f);
    const view = service.view(root);
    assert.equal(view.policies.length, 4, 'the model reads all four');
    const input = { tenant: view, findings: service.analyzeTenant(root), rel: (p: string) => p.slice(root.length + 1), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById };
    const md = reportMarkdown(input);
    assert.match(md.split('\n')[2]!, / · 2 policy files · /);
    assert.match(md, /\n### identity — identity@count\.example\n\n1 policy owned · /);
    assert.match(md, /\n### No owner\n\n1 policy without an owner · /);
    const html = reportHtml(input);
    assert.match(html, /<span class="chip"><b>2<\/b> policy files<\/span>/);
    assert.match(html, /1 policy without an owner · /);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// ── A file that does not parse, filed under the owner its text names ─────────────────────────────────────────

test('report: a compliance file that does not parse, starting with `owner: endpoint`, is filed under endpoint, not "No owner" (expert case t02)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-report-owner-')).replace(/\\/g, '/');
  try {
    writeFileSync(join(dir, 'zerotrust.yaml'), 'kind: Tenant\nname: northwind\nlicenses: [M365_E3]\nplatforms: [windows]\nteams:\n  identity: { contact: id@northwind.com }\n  endpoint: { contact: ep@northwind.com }\n');
    // Bad indentation and an unclosed flow sequence: the file does not parse.
    writeFileSync(join(dir, 'win-compliance.yaml'), 'owner: endpoint\nkind: CompliancePolicy\nname: win-compliance\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n   bitLockerEnabled: [true\n');
    // The same without an owner: nobody's.
    writeFileSync(join(dir, 'mac-compliance.yaml'), 'kind: CompliancePolicy\nname: mac-compliance\nspec:\n  "@odata.type": "#microsoft.graph.macOSCompliancePolicy"\n   storageRequireEncryption: [true\n');
    const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
    for (const f of await service.discover(dir)) await service.load(f);
    const md = service.report(dir, { format: 'md', rel: (p) => p.slice(dir.length + 1), generated: new Date('2026-06-01T00:00:00Z') });
    const section = (title: string): string => md.slice(md.indexOf(`### ${title}`), md.indexOf('\n### ', md.indexOf(`### ${title}`) + 1) >>> 0);
    assert.match(section('endpoint'), /win-compliance\.yaml/);
    assert.doesNotMatch(section('endpoint'), /mac-compliance\.yaml/);
    assert.match(section('No owner'), /mac-compliance\.yaml/);
    assert.doesNotMatch(section('No owner'), /win-compliance\.yaml/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

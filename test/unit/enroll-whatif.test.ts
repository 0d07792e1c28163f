/**
 * What If on the Intune enrollment sign-in (the compliant device control does not gate it), and the lockout check on a
 * block of everyone but groups that may hold a directory role's holders (a doubt, not a lockout). From an expert's
 * tenants (round r29, expertA t06 and t10).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { evaluate, type WhatIfScenario } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { lockoutText, whatIfText } from '../../server/src/core/features/whatif-format';
import { COMPLIANCE_EXEMPT_APPS } from '../../server/src/core/model/grants';
import type { TenantView } from '../../server/src/core/rule';
import { caPolicyText } from '../harness/ca-policy';

const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures-whatif');
const ENROLL = join(FIX, 'compliant-device-enrollment');
const PERSONAS = join(FIX, 'lockout-persona-framework');
const BIN = join(ROOT, 'bin', 'ztp.js');

const INTUNE_ENROLLMENT = 'd4ebce55-015a-49b5-a083-c84d1797ae8c';
const WEB_COMPANY_PORTAL = '74bcdadc-2fdc-4bb3-8459-76d06952a0e9';
const MICROSOFT_INTUNE = '0000000a-0000-0000-c000-000000000000';

async function tenant(dir: string): Promise<TenantView> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(dir)) await service.load(f);
  return service.view(dir.replace(/\\/g, '/'));
}

async function memTenant(files: Record<string, string>): Promise<TenantView> {
  const enc = new TextEncoder();
  const service = createPolicyService({ fs: { readFile: async (p) => enc.encode(files[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(files)) service.update(p, text, 1);
  return service.view('/t');
}

const scenario = (platform: string, app: string): WhatIfScenario => ({ user: 'grp-staff', platform, app, clientApp: 'mobileAppsAndDesktopClients' });

test('the exempt apps are Learn\'s two: Intune enrollment and the Web Company Portal, not Microsoft Intune', () => {
  assert.deepEqual(Object.keys(COMPLIANCE_EXEMPT_APPS).sort(), [WEB_COMPANY_PORTAL, INTUNE_ENROLLMENT].sort());
});

test('What If: a compliant device of All users does not gate the Intune enrollment sign-in nor the Web Company Portal; MFA still does (r29 expertA t06)', async () => {
  const view = await tenant(ENROLL);
  for (const app of [INTUNE_ENROLLMENT, WEB_COMPANY_PORTAL, WEB_COMPANY_PORTAL.toUpperCase()]) {
    const r = evaluate(view, scenario('windows', app));
    const compliant = r.policies.find((p) => p.name === 'dev-all-compliant')!;
    assert.equal(compliant.applies, true);
    assert.equal(compliant.grant?.outcome, 'granted', app);
    assert.equal(compliant.grant?.controls[0]?.status, 'notEnforced');
    assert.match(compliant.grant?.summary ?? '', /Learn says "Require device to be marked as compliant" does not block/);
    assert.equal(r.verdict, 'allowedIf');
    assert.match(whatIfText(r, (p) => p), /\nResult: allowed if MFA$/);
  }
  // Any other app, Microsoft Intune's included, still asks a compliant device.
  for (const app of [MICROSOFT_INTUNE, 'Office365']) {
    const r = evaluate(view, scenario('windows', app));
    assert.equal(r.policies.find((p) => p.name === 'dev-all-compliant')!.grant?.outcome, 'requires', app);
    assert.match(whatIfText(r, (p) => p), /\nResult: allowed if MFA and a compliant device$/);
  }
});

test('What If: a block of every device but compliant ones (a device filter) is a block, not the control: it still keeps an enrolling iPhone out, and What If says so', async () => {
  const view = await tenant(ENROLL);
  const r = evaluate(view, scenario('iOS', INTUNE_ENROLLMENT));
  assert.equal(r.policies.find((p) => p.name === 'dev-all-compliant')!.grant?.outcome, 'granted');
  assert.equal(r.policies.find((p) => p.name === 'dev-block-unmanaged-mobile')!.grant?.outcome, 'requires');
  assert.ok(r.warnings.some((w) => /dev-block-unmanaged-mobile: its block of every device but compliant ones is a block/.test(w)), r.warnings.join('\n'));
  // On another app the filter's block says nothing of enrollment.
  assert.ok(!evaluate(view, scenario('iOS', 'Office365')).warnings.some((w) => /enrollment/.test(w)));
});

test('What If: under AND the other controls of the grant still apply on the enrollment sign-in', async () => {
  const view = await memTenant({
    '/t/zerotrust.yaml': 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\ngroups:\n  - name: grp-staff\nsettings:\n  secureByDefault: true\n',
    '/t/ca.yaml': caPolicyText('mfa-and-compliant', '{ includeUsers: [All] }', '{ includeApplications: [All] }', [], '{ operator: AND, builtInControls: [mfa, compliantDevice] }'),
  });
  const r = evaluate(view, scenario('windows', INTUNE_ENROLLMENT));
  const p = r.policies.find((x) => x.name === 'mfa-and-compliant')!;
  assert.equal(p.grant?.outcome, 'requires');
  assert.deepEqual(p.grant?.needs?.controls.map((c) => c.control), ['mfa']);
  // With no Windows compliance policy and secureByDefault on, a compliant device is impossible elsewhere; not here.
  assert.equal(r.verdict, 'allowedIf');
  assert.equal(evaluate(view, scenario('windows', 'Office365')).verdict, 'unsatisfiable');
});

test('lockout: a block of everyone but persona groups listing no members may lock a role\'s holders out, never for certain; exit 0 (r29 expertA t10)', async () => {
  const view = await tenant(PERSONAS);
  const r = lockoutCheck(view);
  assert.deepEqual(r.findings, []);
  const doubt = r.mayLockOut?.find((f) => f.policy.startsWith('ca001-'));
  assert.ok(doubt, JSON.stringify(r.mayLockOut));
  assert.ok(doubt.subjects.length > 0 && doubt.subjects.every((s) => s.user.startsWith('sample@role-')), doubt.subjects.map((s) => s.user).join(', '));
  assert.ok(doubt.roleHolderGroups?.includes('ca-persona-admins'));
  assert.ok(!doubt.roleHolderGroups?.includes('grp-breakglass'));
  assert.match(doubt.explanation, /unless the role's holders are in .*`ca-persona-admins`/);
  // The sample user in no group is kept out on purpose (an allowlist), as before.
  assert.ok(!(r.mayLockOut ?? []).some((f) => f.subjects.some((s) => s.user === 'sample@all-users')));
  assert.match(lockoutText(r, (p) => p), /\? no certain lockout, but .*does not say whether the directory roles' holders are in them/);
  // A block is no requirement: the summary counts what each doubt ends in.
  assert.ok((r.mayLockOut ?? []).every((f) => f.verdict === 'blocked'));
  assert.match(lockoutText(r, (p) => p), /\? no certain lockout, but (one block|\d+ blocks) may lock accounts out: /);
  assert.doesNotMatch(lockoutText(r, (p) => p), /requirements? may lock/);
  const cli = spawnSync(process.execPath, [BIN, 'whatif', '--lockout', PERSONAS], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stdout);
  assert.match(cli.stdout, /\? MAY BE BLOCKED in ca001-/);
  assert.doesNotMatch(cli.stdout, /✖/);
});

test('lockout: a block whose exclusions cannot hold a role\'s holders stays a certain lockout', async () => {
  const manifest = (members: string) =>
    `kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\ngroups:\n  - name: grp-breakglass\n    members: [bg1@contoso.com]\n  - name: grp-allowed\n${members}breakGlass:\n  groups: [grp-breakglass]\n`;
  const block = (exclude: string) => caPolicyText('block-all', `{ includeUsers: [All], excludeGroups: [${exclude}] }`, '{ includeApplications: [All] }', [], '{ operator: OR, builtInControls: [block] }');
  const mfa = caPolicyText('admins-mfa', '{ includeRoles: [Global Administrator], excludeGroups: [grp-breakglass] }', '{ includeApplications: [All] }', [], '{ operator: OR, builtInControls: [mfa] }');
  const holder = 'sample@role-global-administrator';
  const certain = (view: TenantView): boolean => lockoutCheck(view).findings.some((f) => f.policy === 'block-all' && f.subjects.some((s) => s.user === holder));
  const doubtful = (view: TenantView): boolean => (lockoutCheck(view).mayLockOut ?? []).some((f) => f.policy === 'block-all' && f.subjects.some((s) => s.user === holder));
  // Only the break-glass group excluded: no way in for the role's holders.
  const onlyBg = await memTenant({ '/t/zerotrust.yaml': manifest(''), '/t/block.yaml': block('grp-breakglass'), '/t/mfa.yaml': mfa });
  assert.ok(certain(onlyBg) && !doubtful(onlyBg));
  // An allowed group whose listed members are the break-glass accounts only: it holds no other admin.
  const bgOnly = await memTenant({ '/t/zerotrust.yaml': manifest('    members: [bg1@contoso.com]\n'), '/t/block.yaml': block('grp-breakglass, grp-allowed'), '/t/mfa.yaml': mfa });
  assert.ok(certain(bgOnly) && !doubtful(bgOnly));
  // An allowed group listing other members: one of them may hold the role.
  const listed = await memTenant({ '/t/zerotrust.yaml': manifest('    members: [alice@contoso.com]\n'), '/t/block.yaml': block('grp-breakglass, grp-allowed'), '/t/mfa.yaml': mfa });
  assert.ok(!certain(listed) && doubtful(listed));
});

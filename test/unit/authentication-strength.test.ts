/**
 * What an authentication strength says of MFA, one answer (`strengthFactors`) for every reader: a custom strength whose
 * `allowedCombinations` admit one single-factor mode alone (`federatedSingleFactor`, `x509CertificateSingleFactor`,
 * `password`) is no MFA, whether or not the file holds `requirementsSatisfied` (the r26 identity review's p3-strength
 * and t02-tailspin tenants); the MFA rules name the policy and the combination, the sign-in risk rule and the legacy
 * authentication reading agree, and What If says a single factor passes it. And the lockout check says nothing of a
 * hybrid joined device off Windows under OR beside a compliant device (Microsoft's template; t08-relecloud).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { evaluate, validateScenario, type WhatIfScenario } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { strengthFactors, strengthIsMultifactor, strengthMetByLegacyClient } from '../../server/src/core/model/grants';
import { LEGACY_NO_MFA } from '../../server/src/core/model/legacy-auth';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const P3 = join(FIXTURES, 'ca-mfa-all-users-missing', 'fires-strength-single-factor-combinations');
const TAILSPIN = join(FIXTURES, 'ca-mfa-all-users-missing', 'fires-strength-requirements-none');
const HYBRID = join(ROOT, 'test', 'fixtures-whatif', 'compliant-or-hybrid-joined');

async function open(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(dir)) await service.load(f);
  const root = dir.replace(/\\/g, '/');
  return { view: service.view(root), findings: service.analyzeTenant(root) };
}

function messageOf(findings: { ruleId: string; message: string }[], rule: string): string {
  const hits = findings.filter((f) => f.ruleId === rule);
  assert.equal(hits.length, 1, `${rule}: ${JSON.stringify(findings.map((f) => f.ruleId))}`);
  return hits[0]!.message;
}

test('strengthFactors: requirementsSatisfied first, then the combinations, then the built-in ids; a custom id alone is unknown', () => {
  // The p3-strength tenant's hand-written strength: no requirementsSatisfied, both combinations one factor alone.
  const p3 = { id: '6d3f1c2b-8a9e-4f10-b2c3-d4e5f6a7b8c9', policyType: 'custom', allowedCombinations: ['x509CertificateSingleFactor', 'federatedSingleFactor'] };
  assert.deepEqual(strengthFactors(p3), { multifactor: false, singleFactor: ['x509CertificateSingleFactor', 'federatedSingleFactor'], from: 'allowedCombinations' });
  // Two modes in one combination are multifactor, and so are the passwordless modes alone.
  const mfa = { allowedCombinations: ['password,sms', 'federatedSingleFactor,softwareOath', 'fido2', 'windowsHelloForBusiness', 'deviceBasedPush', 'x509CertificateMultiFactor', 'temporaryAccessPassOneTime'] };
  assert.deepEqual(strengthFactors(mfa), { multifactor: true, singleFactor: [], from: 'allowedCombinations' });
  // Graph's own answer wins where the file holds it: `none` (the Tailspin export), a list, or the flags string.
  assert.equal(strengthIsMultifactor({ requirementsSatisfied: 'none', allowedCombinations: ['federatedSingleFactor', 'fido2'] }), false);
  assert.deepEqual(strengthFactors({ requirementsSatisfied: 'none', allowedCombinations: ['federatedSingleFactor', 'fido2'] }).singleFactor, ['federatedSingleFactor']);
  assert.equal(strengthIsMultifactor({ requirementsSatisfied: ['mfa'] }), true);
  assert.equal(strengthIsMultifactor({ requirementsSatisfied: 'none, unknownFutureValue' }), false);
  // A flow sequence that splits `password,microsoftAuthenticatorPush` leaves `password` alone, but Graph's
  // `requirementsSatisfied: mfa` beside it is the answer (the Tailspin onboarding strength).
  assert.equal(strengthIsMultifactor({ requirementsSatisfied: 'mfa', allowedCombinations: ['temporaryAccessPassOneTime', 'password', 'microsoftAuthenticatorPush'] }), true);
  // By id only: the built-in strengths are multifactor; a custom one is unknown, read as before (no gap).
  assert.deepEqual(strengthFactors({ id: '00000000-0000-0000-0000-000000000004' }), { multifactor: true, singleFactor: [], from: 'builtIn' });
  assert.deepEqual(strengthFactors({ id: '6d3f1c2b-8a9e-4f10-b2c3-d4e5f6a7b8c9' }), { multifactor: true, singleFactor: [], from: 'unknown' });
  // A legacy client presents a password: it may meet a strength that admits `password` or `federatedSingleFactor`
  // alone, not one whose only single factor is a certificate, nor a multifactor one.
  assert.equal(strengthMetByLegacyClient({ allowedCombinations: ['password', 'fido2'] }), true);
  assert.equal(strengthMetByLegacyClient(p3), true);
  assert.equal(strengthMetByLegacyClient({ allowedCombinations: ['x509CertificateSingleFactor', 'fido2'] }), false);
  assert.equal(strengthMetByLegacyClient(mfa), false);
});

test('ca-mfa-all-users-missing names the All users policy whose strength admits a single factor, and the combination, not a user-action policy', async () => {
  const tailspin = messageOf((await open(TAILSPIN)).findings, 'ca-mfa-all-users-missing');
  assert.match(tailspin, /; `ca001-mfa-all-users` comes closest but its authentication strength `Tailspin - federated or Authenticator` admits single-factor sign-in \(`federatedSingleFactor`\)/);
  assert.doesNotMatch(tailspin, /ca004-secinfo/);
  // Without requirementsSatisfied, the combinations decide (p3-strength: check was clean before).
  const { findings } = await open(P3);
  const p3 = messageOf(findings, 'ca-mfa-all-users-missing');
  assert.match(p3, /`ca001-mfa-all-users` comes closest but its authentication strength `Certificate single factor` admits single-factor sign-in \(`x509CertificateSingleFactor` and `federatedSingleFactor`\)/);
  const related = findings.find((f) => f.ruleId === 'ca-mfa-all-users-missing')!.related ?? [];
  assert.ok(related.some((r) => /ca001-mfa-all-users\.yaml$/.test(r.file) && /requires an authentication strength but its authentication strength/.test(r.message)), JSON.stringify(related));
});

test('ca-mfa-all-users-missing: the All users policy short only by its strength comes closest, before a role policy short by its users (r28 p02-closest)', async () => {
  const msg = messageOf((await open(join(FIXTURES, 'ca-mfa-all-users-missing', 'fires-closest-strength-beside-role-policy'))).findings, 'ca-mfa-all-users-missing');
  // Both fall short by one thing; the role policy sorts first by name, but it misses the users the rule is about.
  assert.match(msg, /; `ca020-all-users-strength` comes closest but its authentication strength `Migration - Authenticator or SMS sign-in` admits single-factor sign-in \(`sms`\)/);
  assert.doesNotMatch(msg, /ca001-admins-strength/);
});

test('ca-mfa-admins-missing no longer takes the All users policy for the admin roles, and says why', async () => {
  const msg = messageOf((await open(join(FIXTURES, 'ca-mfa-admins-missing', 'fires-all-users-strength-single-factor'))).findings, 'ca-mfa-admins-missing');
  // Global Administrator is covered by the phishing-resistant policy for four roles; the others only by ca001.
  assert.match(msg, /none requires it of Application Administrator, .*User Administrator on All cloud apps/);
  assert.match(msg, /; `ca001-mfa-all-users` would cover them, but its authentication strength `Certificate single factor` admits single-factor sign-in/);
});

test('ca-sign-in-risk-not-covered: a risk policy whose strength a password alone meets answers no risk, and the message says so', async () => {
  const msg = messageOf((await open(join(FIXTURES, 'ca-sign-in-risk-not-covered', 'fires-risk-policy-strength-single-factor'))).findings, 'ca-sign-in-risk-not-covered');
  assert.match(msg, /`ca006-risk-signin` comes closest but its authentication strength `Tailspin - password or MFA` admits single-factor sign-in \(`password`\)$/);
});

test('ca-security-info-registration-unprotected: a registration policy whose strength admits a password alone protects nothing, and says which', async () => {
  const msg = messageOf((await open(join(FIXTURES, 'ca-security-info-registration-unprotected', 'fires-strength-admits-password'))).findings, 'ca-security-info-registration-unprotected');
  assert.match(msg, /`ca004-secinfo` comes closest but has no location condition and its authentication strength `Tailspin - onboarding` admits single-factor sign-in \(`password`\)$/);
});

test('legacy-auth-not-blocked: a multifactor strength blocks legacy clients in practice; one that admits a password does not', async () => {
  const dir = join(FIXTURES, 'legacy-auth-not-blocked');
  const mfa = messageOf((await open(join(dir, 'fires-strength-multifactor-blocks-in-practice'))).findings, 'legacy-auth-not-blocked');
  assert.match(mfa, /blocked in practice today: `ca001-mfa-all-users` requires the authentication strength Authenticator or security key of All users/);
  const password = await open(join(dir, 'fires-strength-admits-password'));
  const msg = messageOf(password.findings, 'legacy-auth-not-blocked');
  assert.doesNotMatch(msg, /in practice/);
  assert.match(msg, /^no enabled Conditional Access policy blocks legacy authentication for All users: /);
  // What If reads the same answer for a legacy sign-in.
  const scenario: WhatIfScenario = { user: 'grp-all-staff', platform: 'iOS', app: 'All', clientApp: 'exchangeActiveSync' };
  assert.deepEqual(validateScenario(password.view, scenario), []);
  const open1 = evaluate(password.view, scenario);
  const grant = open1.policies.find((p) => p.name === 'ca001-mfa-all-users')?.grant;
  assert.equal(grant?.outcome, 'requires', JSON.stringify(grant));
  const blocked = evaluate((await open(join(dir, 'fires-strength-multifactor-blocks-in-practice'))).view, scenario);
  assert.equal(blocked.verdict, 'unsatisfiable');
  assert.ok(blocked.unsatisfiable.some((u) => u.policy === 'ca001-mfa-all-users' && u.reason === LEGACY_NO_MFA), JSON.stringify(blocked.unsatisfiable));
});

test('What If says a single factor passes the strength, and does not count it as MFA', async () => {
  const { view } = await open(TAILSPIN);
  const r = evaluate(view, { user: 'grp-all-staff', platform: 'windows', app: 'All', clientApp: 'browser' });
  assert.equal(r.summary, 'allowed if Tailspin - federated or Authenticator (an authentication strength a single factor passes: `federatedSingleFactor`)');
  const control = r.policies.find((p) => p.name === 'ca001-mfa-all-users')?.grant?.controls.find((c) => c.control === 'authenticationStrength');
  assert.equal(control?.meetsMfa, undefined);
  // A multifactor custom strength keeps its plain label and counts as MFA.
  const admin = evaluate(view, { user: 'ops@tailspin.com', roles: ['Global Administrator'], platform: 'windows', app: 'All', clientApp: 'browser' });
  const strong = admin.policies.find((p) => p.name === 'ca005-admins-phish-resistant')?.grant?.controls.find((c) => c.control === 'authenticationStrength');
  assert.equal(strong?.label, 'Tailspin - admin security keys (authentication strength)');
  assert.equal(strong?.meetsMfa, true);
});

test('the lockout check says nothing of hybrid join off Windows beside a compliant device under OR, and still names it where it is the only option', async () => {
  const { view } = await open(HYBRID);
  const report = lockoutCheck(view);
  assert.deepEqual(report.warnings.filter((w) => /hybrid joined/.test(w.message)).map((w) => w.message), []);
  assert.equal(report.findings.length, 0);
  // What If on iOS for the PIM-eligible user: the compliant device remains, no note of the other.
  const r = evaluate(view, { user: 'grp-pim-eligible', platform: 'iOS', app: '797f4846-ba00-4fd7-ba43-dac1f8f63013', clientApp: 'browser' });
  assert.equal(r.policies.find((p) => p.name === 'ca804-azure-mgmt-device')?.grant?.summary, 'requires a compliant device');
  assert.deepEqual(r.warnings.filter((w) => /hybrid/.test(w)), []);
  // With hybrid join the only option, the sign-in on iOS cannot be met, and the reason says why.
  const tmp = mkdtempSync(join(tmpdir(), 'ztp-hybrid-'));
  try {
    cpSync(HYBRID, tmp, { recursive: true });
    const file = join(tmp, 'ca', 'ca804-azure-mgmt-device.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('builtInControls: [compliantDevice, domainJoinedDevice]', 'builtInControls: [domainJoinedDevice]'));
    const only = lockoutCheck((await open(tmp)).view);
    assert.ok(only.findings.some((f) => f.policy === 'ca804-azure-mgmt-device' && f.verdict === 'unsatisfiable' && /only Windows devices can be hybrid joined/.test(f.explanation)), JSON.stringify(only.findings));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/**
 * Custom authentication strengths exported beside the policies (review r27, public Terraform/DSC/TMF sources): a CA
 * policy that names its strength by id alone (`grantControls.authenticationStrength.id`) is read through the folder's
 * `authenticationStrengthPolicy` export of that id (the model's `strengthOf`), by every rule, What If and the
 * `unknown-kind` note; a built-in id keeps its known combinations and an id the folder does not export stays unknown.
 * And the texts the finder read wrong: the advice on `mfa` beside a strength a single factor meets (r2), the doubled
 * "authentication strength authentication strength" (t2b), and the sign-in risk message beside an MFA policy for
 * legacy clients only (r3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { withCopy } from '../harness/tenant';
import { evaluate, type WhatIfScenario } from '../../server/src/core/whatif';
import { modelOf } from '../../server/src/core/model/index';
import { policiesOfKind } from '../../server/src/core/reads';
import { mfaWithStrength } from '../../server/src/core/schema/graph-constraints';

const FIXTURES = join(__dirname, '..', 'fixtures');
/** The r1 repro: a policy for All users naming `User-Authentication-Policy` by id, its export in entra/. */
const R1 = join(FIXTURES, 'unknown-kind', 'fires-authentication-strength-read-by-id');
/** The r2 repro: `mfa` beside that strength, expanded in the policy. */
const R2 = join(FIXTURES, 'schema', 'fires-mfa-beside-single-factor-strength');
/** The r3 repro: MFA of All users for legacy clients only. */
const R3 = join(FIXTURES, 'ca-sign-in-risk-not-covered', 'fires-mfa-legacy-clients-only');

async function open(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(dir)) await service.load(f);
  const root = dir.replace(/\\/g, '/');
  return { view: service.view(root), findings: service.analyzeTenant(root) };
}

type Found = { ruleId: string; message: string; file?: string; uri?: string };

function messageOf(findings: readonly Found[], rule: string, file?: RegExp): string {
  const hits = findings.filter((f) => f.ruleId === rule && (!file || file.test(JSON.stringify(f))));
  assert.equal(hits.length, 1, `${rule}: ${JSON.stringify(findings.map((f) => f.ruleId))}`);
  return hits[0]!.message;
}

const BROWSER: WhatIfScenario = { user: 'a@r1.example', platform: 'windows', app: 'All', clientApp: 'browser' };

test('r1: a strength named by id alone is read from its export beside the policies, by the model, the MFA rules, the legacy reading and What If', async () => {
  const { view, findings } = await open(R1);
  const policy = policiesOfKind(view, 'ConditionalAccessPolicy').find((p) => p.name === 'all-users-strength')!;
  const strength = modelOf(view).strengthOf(policy);
  assert.deepEqual(strength, { id: '22222222-aaaa-4bbb-8ccc-0000000000a2', displayName: 'User-Authentication-Policy', allowedCombinations: ['fido2', 'password'] });
  // No longer taken as MFA: the rule names the strength by its export's displayName, and the combination.
  assert.match(messageOf(findings, 'ca-mfa-all-users-missing'), /`all-users-strength` comes closest but its authentication strength `User-Authentication-Policy` admits single-factor sign-in \(`password`\)/);
  assert.match(messageOf(findings, 'ca-mfa-admins-missing'), /`all-users-strength` comes closest but its authentication strength `User-Authentication-Policy` admits single-factor sign-in/);
  // A legacy client's password meets it: no block in practice.
  const legacy = messageOf(findings, 'legacy-auth-not-blocked');
  assert.doesNotMatch(legacy, /in practice/);
  // The sign-in risk rule no longer finds an MFA policy for All users.
  assert.match(messageOf(findings, 'ca-sign-in-risk-not-covered'), /then gets in with the password alone\./);
  // What If: the same answer, by name.
  const r = evaluate(view, BROWSER);
  assert.equal(r.summary, 'allowed if User-Authentication-Policy (an authentication strength a single factor passes: `password`)');
  const eas = evaluate(view, { ...BROWSER, clientApp: 'exchangeActiveSync' });
  assert.equal(eas.policies.find((p) => p.name === 'all-users-strength')?.grant?.outcome, 'requires');
  // The export says it is read; a create body without an id is not (nothing can name it).
  assert.match(messageOf(findings, 'unknown-kind', /strength-user\.json/), /it is read as the tenant's authentication strength `User-Authentication-Policy`: the Conditional Access checks, What If and the lockout check read its `allowedCombinations`/);
  assert.match(messageOf(findings, 'unknown-kind', /strength-template\.json/), /This Graph export is not analysed/);
});

test('r1: a multifactor export counts as MFA; an id the folder does not export stays unknown; a built-in id keeps its combinations', async () => {
  await withCopy(R1, async (dir) => {
    writeFileSync(
      join(dir, 'entra', 'strength-user.json'),
      JSON.stringify({ '@odata.type': '#microsoft.graph.authenticationStrengthPolicy', id: '22222222-aaaa-4bbb-8ccc-0000000000a2', displayName: 'User-Authentication-Policy', allowedCombinations: ['fido2', 'password,microsoftAuthenticatorPush'] }),
    );
    const { view, findings } = await open(dir);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-mfa-all-users-missing'), []);
    assert.equal(evaluate(view, BROWSER).policies.find((p) => p.name === 'all-users-strength')?.grant?.controls.find((c) => c.control === 'authenticationStrength')?.meetsMfa, true);
  });
  await withCopy(R1, async (dir) => {
    rmSync(join(dir, 'entra', 'strength-user.json'));
    const { view, findings } = await open(dir);
    // Unknown: not MFA-less (no finding), and What If does not say a single factor passes.
    assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-mfa-all-users-missing'), []);
    assert.equal(evaluate(view, BROWSER).summary, 'allowed if authentication strength 22222222-aaaa-4bbb-8ccc-0000000000a2');
  });
  await withCopy(R1, async (dir) => {
    // An export that claims a built-in id with a password alone: the built-in strength's own combinations win.
    const builtIn = '00000000-0000-0000-0000-000000000002';
    writeFileSync(join(dir, 'entra', 'strength-user.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.authenticationStrengthPolicy', id: builtIn, displayName: 'Weak', allowedCombinations: ['password'] }));
    writeFileSync(
      join(dir, 'ca', 'all-users-strength.json'),
      JSON.stringify({ kind: 'ConditionalAccessPolicy', name: 'all-users-strength', spec: { displayName: 'All users - strength', state: 'enabled', conditions: { users: { includeUsers: ['All'], excludeGroups: ['grp-bg'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] }, grantControls: { operator: 'OR', authenticationStrength: { id: builtIn } } } }),
    );
    const { findings } = await open(dir);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-mfa-all-users-missing'), []);
  });
});

test('t2b: a strength named by id alone, not exported, is "the authentication strength <id>", never said twice', async () => {
  await withCopy(R1, async (dir) => {
    rmSync(join(dir, 'entra', 'strength-user.json'));
    const { findings } = await open(dir);
    const legacy = messageOf(findings, 'legacy-auth-not-blocked');
    assert.match(legacy, /`all-users-strength` requires the authentication strength 22222222-aaaa-4bbb-8ccc-0000000000a2 of All users/);
    const risk = messageOf(findings, 'ca-sign-in-risk-not-covered');
    assert.match(risk, /`all-users-strength` requires the authentication strength 22222222-aaaa-4bbb-8ccc-0000000000a2 of All users, but an MFA claim/);
    for (const m of [legacy, risk]) assert.doesNotMatch(m, /authentication strength authentication strength/);
  });
});

test('r2: `mfa` beside a strength a single factor meets: keep MFA with a multifactor strength, never "remove `mfa`, the strength already requires MFA"', async () => {
  const { findings } = await open(R2);
  const keep = /admits single-factor sign-in \(`password`\), so removing `mfa` would let a password alone through: keep MFA, and require a multifactor authentication strength instead of it \(the built-in Multifactor authentication, `00000000-0000-0000-0000-000000000002`/;
  const schema = messageOf(findings, 'schema');
  assert.match(schema, keep);
  assert.doesNotMatch(schema, /already requires MFA/);
  // The tenant-wide rules name the policy Graph refuses with the same advice.
  for (const rule of ['ca-mfa-all-users-missing', 'ca-mfa-admins-missing']) {
    const m = messageOf(findings, rule);
    assert.match(m, /`all-users-strength` would meet it but Graph refuses it as written/);
    assert.match(m, keep);
    assert.doesNotMatch(m, /already requires MFA/);
  }
  // A custom strength named by id alone is unknown to the file: the advice says both; a multifactor one keeps the old advice.
  const grant = (authenticationStrength: Record<string, unknown>) => mfaWithStrength({ grantControls: { operator: 'OR', builtInControls: ['mfa'], authenticationStrength } })[0]!.message;
  assert.match(grant({ id: '22222222-aaaa-4bbb-8ccc-0000000000a2' }), /Remove `mfa` if the authentication strength `22222222-aaaa-4bbb-8ccc-0000000000a2` requires MFA \(its combinations are not in this file\); if it admits a single factor, require a multifactor authentication strength/);
  assert.match(grant({ id: '00000000-0000-0000-0000-000000000004' }), /Remove `mfa`: the authentication strength already requires MFA$/);
});

test('r3: MFA of All users for legacy clients only asks nothing of a risky modern sign-in, and the sign-in risk message says so', async () => {
  const { findings } = await open(R3);
  const m = messageOf(findings, 'ca-sign-in-risk-not-covered');
  assert.match(m, /then is asked for nothing in a browser or a mobile or desktop app: `sec001` requires `mfa` of All users but applies only to legacy clients, and the risk is never remediated\./);
  assert.doesNotMatch(m, /an MFA claim the session already holds/);
  // The admin rule's answer for the same policy, read from the same place (`modernClientLimit`).
  assert.match(messageOf(findings, 'ca-mfa-admins-missing'), /`sec001` comes closest but applies only to legacy clients/);
});

test('two exports of one strength id that admit different methods: which the tenant holds is unknown, read as the id alone (review r27 B, s3)', async () => {
  await withCopy(R1, async (dir) => {
    // A second export of the same id (a stale copy, an edited one): Graph's ids are unique, so one of them is not the tenant's.
    writeFileSync(
      join(dir, 'entra', 'strength-user-2.json'),
      JSON.stringify({ '@odata.type': '#microsoft.graph.authenticationStrengthPolicy', id: '22222222-AAAA-4bbb-8ccc-0000000000a2', displayName: 'User-Authentication-Policy', allowedCombinations: ['password,microsoftAuthenticatorPush'] }),
    );
    const { view, findings } = await open(dir);
    assert.ok(modelOf(view).authStrengths.conflicting.has('22222222-aaaa-4bbb-8ccc-0000000000a2'));
    assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-mfa-all-users-missing'), []);
    assert.equal(evaluate(view, BROWSER).summary, 'allowed if authentication strength 22222222-aaaa-4bbb-8ccc-0000000000a2');
  });
  await withCopy(R1, async (dir) => {
    // The same methods in another order: no conflict, the export is read.
    writeFileSync(
      join(dir, 'entra', 'strength-user-2.json'),
      JSON.stringify({ '@odata.type': '#microsoft.graph.authenticationStrengthPolicy', id: '22222222-aaaa-4bbb-8ccc-0000000000a2', displayName: 'User-Authentication-Policy', allowedCombinations: ['password', 'fido2'] }),
    );
    const { view } = await open(dir);
    assert.equal(modelOf(view).authStrengths.conflicting.size, 0);
    assert.match(evaluate(view, BROWSER).summary, /a single factor passes: `password`/);
  });
});

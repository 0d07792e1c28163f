/**
 * `legacy-auth-not-blocked`'s message when several policies block legacy sign-ins in practice alike: the policies
 * named together, the explanation said once (expert case u16: two MFA-for-everyone policies).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runFixture } from '../harness/fixtures';

const FIX = join(__dirname, '..', 'fixtures', 'legacy-auth-not-blocked');

test('two MFA-for-everyone policies: named once together, "each require", the explanation once', async () => {
  const { findings } = await runFixture(join(FIX, 'fires-two-mfa-policies-in-practice'), 'legacy-auth-not-blocked');
  const f = findings.filter((x) => x.ruleId === 'legacy-auth-not-blocked');
  assert.equal(f.length, 1);
  const m = f[0]!.message;
  assert.match(m, /Those sign-ins are blocked in practice today: `ca-mfa-everyone-copy` and `ca-mfa-everyone` each require `mfa` of All users on All cloud apps, `exchangeActiveSync` and `other` included, and a legacy client \(Exchange ActiveSync or another basic-authentication client\) cannot perform MFA \(Microsoft's "indirectly blocking legacy authentication"\)\. That rests on the policies keeping their scope:/);
  assert.equal(m.split('cannot perform MFA').length, 2, m);
  assert.equal(m.split('requires').length + m.split(' require ').length, 3, m);
});

test('one policy: said as before', async () => {
  const { findings } = await runFixture(join(FIX, 'fires-mfa-blocks-in-practice'), 'legacy-auth-not-blocked');
  const m = findings.find((x) => x.ruleId === 'legacy-auth-not-blocked')!.message;
  assert.match(m, /: `ca-mfa-everyone` requires `mfa` of everyone else on All cloud apps/);
  assert.match(m, /That rests on the policy keeping its scope/);
});

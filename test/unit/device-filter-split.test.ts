/**
 * Complementary device filters (Learn's privileged access workstation pattern) and the block of every device but
 * compliant ones, as What If, the lockout check and the filter model read them (review of public CA sets, round 26).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { compliantDeviceByFilter, filterApplies, filterKey } from '../../server/src/core/model/device-filter';
import type { PolicyFacts } from '../../server/src/core/facts';
import type { TenantView } from '../../server/src/core/rule';
import { FIXTURE_NOW } from '../harness/fixtures';

const WHATIF = join(__dirname, '..', 'fixtures-whatif');

async function viewOf(name: string): Promise<TenantView> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  const dir = join(WHATIF, name);
  for (const f of await service.discover(dir)) await service.load(f);
  return service.view(dir.replace(/\\/g, '/'));
}

const policy = (mode: string, rule: string, grant = ['block']): PolicyFacts =>
  ({ spec: { conditions: { devices: { deviceFilter: { mode, rule } } }, grantControls: { operator: 'OR', builtInControls: grant } } }) as unknown as PolicyFacts;

const GA = { user: 'admin@contoso.com', groups: [], roles: ['Global Administrator'], platform: 'windows', app: 'All', clientApp: 'browser' };

test('filterKey: one rule, normalised, in two polarities', () => {
  const paw = filterKey({ mode: 'include', rule: 'device.displayName -contains "PAW"' })!;
  const notPaw = filterKey({ mode: 'exclude', rule: '  device.DisplayName   -Contains "PAW" ' })!;
  const negated = filterKey({ mode: 'include', rule: '-not (device.displayName -contains "PAW")' })!;
  const notContains = filterKey({ mode: 'include', rule: 'device.displayName -notContains "PAW"' })!;
  assert.equal(notPaw.key, paw.key);
  assert.equal(negated.key, paw.key);
  assert.equal(notContains.key, paw.key);
  assert.deepEqual([paw.positive, notPaw.positive, negated.positive, notContains.positive], [true, false, false, false]);
  assert.equal(negated.rule, 'device.displayName -contains "PAW"', 'the side is named by the rule without its -not');
  // Values are compared as written: "paw" is another rule.
  assert.notEqual(filterKey({ mode: 'exclude', rule: 'device.displayName -contains "paw"' })!.key, paw.key);
  // A rule that does not parse, or a mode Graph does not know, has no key.
  assert.equal(filterKey({ mode: 'include', rule: 'device.displayName -contains' }), undefined);
  assert.equal(filterKey({ mode: 'sometimes', rule: 'device.displayName -contains "PAW"' }), undefined);
  // A side of a split decides the filter; nothing else does.
  const known = new Map([[paw.key, true]]);
  assert.equal(filterApplies(policy('include', 'device.displayName -contains "PAW"'), { platform: 'windows', known }), true);
  assert.equal(filterApplies(policy('exclude', 'device.displayName -contains "PAW"'), { platform: 'windows', known }), false);
  assert.equal(filterApplies(policy('exclude', 'device.displayName -contains "PAW"'), { platform: 'windows' }), undefined);
});

test('compliantDeviceByFilter: only the exact isCompliant filter on a block alone', () => {
  assert.equal(compliantDeviceByFilter(policy('exclude', 'device.isCompliant -eq True')), true);
  assert.equal(compliantDeviceByFilter(policy('include', 'device.isCompliant -ne True')), true);
  assert.equal(compliantDeviceByFilter(policy('include', '-not (device.isCompliant -eq True)')), true);
  // An unregistered device's isCompliant is null, which `-eq False` does not match: it is left out of the block.
  assert.equal(compliantDeviceByFilter(policy('include', 'device.isCompliant -eq False')), false);
  assert.equal(compliantDeviceByFilter(policy('include', 'device.isCompliant -eq True')), false);
  assert.equal(compliantDeviceByFilter(policy('exclude', 'device.isCompliant -eq True -or device.trustType -eq "ServerAD"')), false);
  assert.equal(compliantDeviceByFilter(policy('exclude', 'device.isCompliant -eq True', ['mfa'])), false);
  assert.equal(compliantDeviceByFilter(policy('exclude', 'device.isCompliant -eq True', ['block', 'mfa'])), false);
});

test('PAW pair, no Windows compliance policy: blocked in practice on every device, and a certain lockout', async () => {
  const view = await viewOf('lockout-paw-filter-no-compliance');
  const r = evaluate(view, GA);
  assert.equal(r.verdict, 'unsatisfiable');
  assert.match(r.summary, /^blocked in practice on every device: /);
  assert.deepEqual(r.unsatisfiable.map((u) => [u.policy, u.control]).sort(), [['admins-block-non-paw', 'block'], ['admins-paw-mfa-compliant', 'compliantDevice']]);
  assert.ok(r.unsatisfiable.some((u) => u.reason.includes('on a device that does not match `device.displayName -contains "PAW"`')));
  assert.ok(!r.warnings.some((w) => w.includes('reads what is not known offline')), 'no "may apply" note beside a certain verdict');
  assert.ok(r.warnings.some((w) => w.includes('complementary device filters')));
  const check = lockoutCheck(view);
  const forGa = check.findings.filter((f) => f.subjects.some((s) => s.user === 'sample@role-global-administrator'));
  assert.deepEqual(forGa.map((f) => [f.policy, f.verdict]).sort(), [['admins-block-non-paw', 'blocked'], ['admins-paw-mfa-compliant', 'unsatisfiable']]);
  assert.match(forGa.find((f) => f.verdict === 'unsatisfiable')!.fix, /^create a Windows compliance policy/);
  assert.ok(!check.warnings.some((w) => w.message.includes('reads what is not known offline')));
  // The break-glass group is excluded from both: not locked out.
  assert.ok(!check.findings.some((f) => f.subjects.some((s) => s.kind === 'breakGlass')));
});

test('PAW pair written with -not: the same complement', async () => {
  const view = await viewOf('lockout-paw-filter-negated');
  assert.equal(evaluate(view, GA).verdict, 'unsatisfiable');
  assert.ok(lockoutCheck(view).findings.some((f) => f.policy === 'admins-paw-mfa-compliant'));
});

test('PAW pair with a Windows compliance policy: a PAW side is satisfiable, so "may", and no lockout', async () => {
  const view = await viewOf('lockout-paw-filter-with-compliance');
  const r = evaluate(view, GA);
  assert.equal(r.verdict, 'allowedIf');
  assert.ok(r.uncertain?.some((u) => u.policy === 'admins-block-non-paw'), 'the block stays a doubt');
  assert.equal(lockoutCheck(view).findings.length, 0);
});

test('a block of every device but compliant ones is a compliant-device requirement, as the grant is', async () => {
  const view = await viewOf('lockout-filter-iscompliant');
  const r = evaluate(view, { user: 'someone@contoso.com', groups: [], platform: 'windows', app: 'All', clientApp: 'browser' });
  assert.equal(r.verdict, 'unsatisfiable');
  assert.deepEqual(r.unsatisfiable.map((u) => [u.policy, u.control, u.rule]), [['block-noncompliant', 'compliantDevice', 'ca-requires-compliance-policy']]);
  const compliant = evaluate(view, { user: 'someone@contoso.com', groups: [], platform: 'windows', app: 'All', clientApp: 'browser', deviceCompliant: true });
  assert.notEqual(compliant.verdict, 'blocked');
  const check = lockoutCheck(view);
  assert.equal(check.findings.length, 1);
  assert.equal(check.findings[0]!.verdict, 'unsatisfiable');
  assert.match(check.findings[0]!.fix, /^create a Windows compliance policy/);
});

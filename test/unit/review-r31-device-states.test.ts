/**
 * The thirty-first pass's finder: the deprecated device state condition (`conditions.deviceStates`: `includeStates:
 * [All]`, `excludeStates: [Compliant, DomainJoined]`, Graph beta) was not read, so What If blocked a compliant device
 * and the lockout check found every user locked out. It is read as the filter for devices that replaced it, in the one
 * place a device filter is read (`deviceFilterOf`), for What If, the lockout check and the model alike.
 * Source: https://learn.microsoft.com/graph/api/resources/conditionalaccessdevicestates?view=graph-rest-beta
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { compliantDeviceByFilter, deviceFilterOf, filterApplies } from '../../server/src/core/model/device-filter';
import type { PolicyFacts } from '../../server/src/core/facts';
import type { TenantView } from '../../server/src/core/rule';
import { FIXTURE_NOW } from '../harness/fixtures';

const DIR = join(__dirname, '..', 'fixtures-whatif', 'lockout-device-states');

async function view(): Promise<TenantView> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(DIR)) await service.load(f);
  return service.view(DIR.replace(/\\/g, '/'));
}

const withStates = (deviceStates: unknown, grant = ['block']): PolicyFacts =>
  ({ spec: { conditions: { deviceStates }, grantControls: { operator: 'OR', builtInControls: grant } } }) as unknown as PolicyFacts;

const SIGN_IN = { user: 'someone@contoso.com', groups: [], app: 'All', clientApp: 'browser' };

test('the device state condition reads as the filter for devices that replaced it', () => {
  const unmanaged = withStates({ includeStates: ['All'], excludeStates: ['Compliant', 'DomainJoined'] });
  assert.deepEqual(deviceFilterOf(unmanaged), { mode: 'exclude', rule: 'device.isCompliant -eq True -or device.trustType -eq "ServerAD"', deviceStates: ['Compliant', 'DomainJoined'] });
  // A compliant or hybrid-joined device is left out; an unregistered one (null attributes) is not.
  assert.equal(filterApplies(unmanaged, { platform: 'windows', compliant: true }), false);
  assert.equal(filterApplies(unmanaged, { platform: 'windows', hybridJoined: true }), false);
  assert.equal(filterApplies(unmanaged, { registered: false }), true);
  // Which one a Windows device is, the files cannot say: unknown, never decided. An iPhone is never hybrid joined.
  assert.equal(filterApplies(unmanaged, { platform: 'windows' }), undefined);
  assert.equal(filterApplies(unmanaged, { platform: 'iOS', compliant: false }), true);
  // A block of every device but compliant ones is a compliant-device requirement, as with a filter.
  assert.equal(compliantDeviceByFilter(withStates({ includeStates: ['All'], excludeStates: ['compliant'] })), true);
  // No exclusion (or no condition): every device. `null`, as a beta export writes it, is no condition.
  assert.equal(deviceFilterOf(withStates({ includeStates: ['All'], excludeStates: [] })), undefined);
  assert.equal(deviceFilterOf(withStates(null)), undefined);
  // What Graph does not document is unknown: whether the policy applies is never decided.
  for (const undocumented of [{ includeStates: ['Compliant'] }, { includeStates: ['All'], excludeStates: ['HybridJoined'] }, { excludeStates: ['Compliant'] }]) {
    assert.equal(deviceFilterOf(withStates(undocumented))?.mode, 'deviceStates', JSON.stringify(undocumented));
    assert.equal(filterApplies(withStates(undocumented), { platform: 'windows', compliant: true }), undefined, JSON.stringify(undocumented));
  }
  // A device filter beside it (which Graph refuses) is the one read.
  const both = { spec: { conditions: { deviceStates: { includeStates: ['All'], excludeStates: ['Compliant'] }, devices: { deviceFilter: { mode: 'include', rule: 'device.model -eq "X"' } } } } } as unknown as PolicyFacts;
  assert.deepEqual(deviceFilterOf(both), { mode: 'include', rule: 'device.model -eq "X"' });
});

test('What If: a compliant or hybrid-joined device is not blocked by a block of unmanaged devices written with device states', async () => {
  const v = await view();
  const compliant = evaluate(v, { ...SIGN_IN, platform: 'windows', deviceCompliant: true });
  assert.equal(compliant.verdict, 'allowed');
  const policy = compliant.policies.find((p) => p.name === 'block-unmanaged')!;
  assert.equal(policy.applies, false);
  assert.match(policy.why, /^not applied: the device state condition \(excludeStates: Compliant, DomainJoined; the filter exclude: device\.isCompliant -eq True -or device\.trustType -eq "ServerAD"\) leaves this device out$/);
  assert.equal(evaluate(v, { ...SIGN_IN, platform: 'windows', hybridJoined: true }).verdict, 'allowed');
  // The other devices are blocked.
  const unmanaged = evaluate(v, { ...SIGN_IN, platform: 'windows' });
  assert.equal(unmanaged.verdict, 'blocked');
  assert.deepEqual(unmanaged.blockedBy, ['block-unmanaged']);
});

test('the lockout check: no lockout where a device may be hybrid joined (Windows), a lockout where none can be compliant or joined (iOS)', async () => {
  const check = lockoutCheck(await view());
  assert.deepEqual(check.findings.map((f) => [f.policy, f.platforms, f.verdict]), [['block-unmanaged', ['iOS'], 'blocked']]);
  // The Global Administrator is always signed in as (the model's `signInRoles`), and is blocked alike.
  assert.deepEqual(check.findings[0]!.subjects.map((s) => s.user), ['sample@role-global-administrator', 'sample@all-users']);
});

test('the overlay\'s documented values reach the schema (`includeStates` takes `All` only), and values on a property that is no string are refused', async () => {
  const { readFileSync } = await import('node:fs');
  const { GraphModel } = await import('../../scripts/schema-gen/graph-model');
  const src = join(__dirname, '..', '..', 'schemas', 'src');
  const raw = JSON.parse(readFileSync(join(src, 'graph-types.json'), 'utf8'));
  const overlay = JSON.parse(readFileSync(join(src, 'beta-overlay.json'), 'utf8'));
  const model = new GraphModel(raw, overlay);
  assert.deepEqual(model.values.get('conditionalAccessDeviceStates.includeStates'), ['All']);
  assert.deepEqual(model.values.get('conditionalAccessDeviceStates.excludeStates'), ['Compliant', 'DomainJoined']);
  const schema = readFileSync(join(__dirname, '..', '..', 'schemas', 'conditional-access-policy.schema.json'), 'utf8');
  assert.match(schema, /"includeStates": \{\s*"type": \[\s*"array",\s*"null"\s*\],\s*"items": \{\s*"type": "string",\s*"enum": \[\s*"All"\s*\]/);
  const notString = { ...overlay, values: { 'deviceEnrollmentLimitConfiguration.limit': { values: ['1'], source: 'x' } } };
  assert.throws(() => new GraphModel(raw, notString), /not a string or a list of strings/);
  const unsourced = { ...overlay, values: { 'conditionalAccessDeviceStates.includeStates': { values: ['All'] } } };
  assert.throws(() => new GraphModel(raw, unsourced), /has no source/);
});

/**
 * When two instances of one security baseline reach the same devices (`sharedTarget` in model/baselines.ts, read by
 * `baseline-instances-overlap`): only what the files show for certain, each decision with the case it stands for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/index';
import type { ManifestFacts } from '../../server/src/core/facts';
import { GroupDirectory } from '../../server/src/core/model/groups';
import { sharedTarget } from '../../server/src/core/model/baselines';
import type { Targets } from '../../server/src/core/model/targets';

const MANIFEST = `kind: Tenant
name: t
licenses: [M365_E5]
groups:
  - name: grp-pilot
  - name: grp-ring2
  - name: grp-kiosks
  - name: grp-finance
    members: [grp-finance-laptops, dana@contoso.com]
  - name: grp-finance-laptops
  - name: grp-sales
    members: [ana@contoso.com]
  - name: grp-emea
    members: [ana@contoso.com, ben@contoso.com]
  - name: grp-apac
    members: [chloe@contoso.com]
`;

function directory(): GroupDirectory {
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  return new GroupDirectory(s.update('/t/zerotrust.yaml', MANIFEST, 1) as ManifestFacts);
}

const T = (t: Partial<Targets>): Targets => {
  const out = { allUsers: false, allDevices: false, groups: [], exclude: [], filtered: false, ...t };
  return { ...out, all: !!(out.allUsers || out.allDevices) };
};

test('all devices overlaps all devices, all users and any group; all users only a listed user', () => {
  const d = directory();
  assert.equal(sharedTarget(T({ allDevices: true }), T({ allDevices: true }), d), 'all devices');
  assert.equal(sharedTarget(T({ allDevices: true }), T({ allUsers: true }), d), "all users' devices");
  assert.equal(sharedTarget(T({ allDevices: true }), T({ groups: ['grp-pilot'] }), d), 'group `grp-pilot`', 'the pilot devices get the old version too');
  assert.equal(sharedTarget(T({ allUsers: true }), T({ allUsers: true }), d), 'all users');
  // A group of unknown members may be shared devices nobody signs in to.
  assert.equal(sharedTarget(T({ allUsers: true }), T({ groups: ['grp-kiosks'] }), d), undefined);
  assert.match(sharedTarget(T({ allUsers: true }), T({ groups: ['grp-sales'] }), d) ?? '', /^user `ana@contoso.com` \(through all users and `grp-sales`\)/);
});

test('groups: the same or a nested one overlaps, two of unknown members do not, a listed member shared does', () => {
  const d = directory();
  assert.equal(sharedTarget(T({ groups: ['grp-pilot'] }), T({ groups: ['grp-pilot'] }), d), 'group `grp-pilot`');
  assert.equal(sharedTarget(T({ groups: ['grp-finance'] }), T({ groups: ['grp-finance-laptops'] }), d), 'group `grp-finance-laptops`');
  assert.equal(sharedTarget(T({ groups: ['grp-ring2'] }), T({ groups: ['grp-pilot'] }), d), undefined, 'a ring deployment');
  assert.match(sharedTarget(T({ groups: ['grp-sales'] }), T({ groups: ['grp-emea'] }), d) ?? '', /^user `ana@contoso.com`/);
  assert.equal(sharedTarget(T({ groups: ['grp-sales'] }), T({ groups: ['grp-apac'] }), d), undefined, 'listed members, none shared');
});

test('exclusions: one that holds the shared target removes it; ones that may split it leave it unknown', () => {
  const d = directory();
  assert.equal(sharedTarget(T({ allDevices: true, exclude: ['grp-pilot'] }), T({ groups: ['grp-pilot'] }), d), undefined);
  assert.equal(sharedTarget(T({ allDevices: true, exclude: ['grp-finance'] }), T({ groups: ['grp-finance-laptops'] }), d), undefined, 'an exclusion of the group holding it');
  // Complementary dynamic groups may split all devices between the two.
  assert.equal(sharedTarget(T({ allDevices: true, exclude: ['grp-pilot'] }), T({ allDevices: true, exclude: ['grp-ring2'] }), d), undefined);
  // The old one excludes the pilot, the new one is on all devices: the devices outside the pilot get both.
  assert.equal(sharedTarget(T({ allDevices: true, exclude: ['grp-pilot'] }), T({ allDevices: true }), d), 'all devices (except `grp-pilot`)');
  // An exclusion of another group of unknown members may hold the pilot's devices.
  assert.equal(sharedTarget(T({ allDevices: true, exclude: ['grp-ring2'] }), T({ groups: ['grp-pilot'] }), d), undefined);
  // Listed members known apart from the shared user: no doubt left.
  assert.match(sharedTarget(T({ groups: ['grp-emea'], exclude: ['grp-apac'] }), T({ groups: ['grp-sales'] }), d) ?? '', /^user `ana@contoso.com`/);
});

test('an assignment filter leaves the overlap unknown', () => {
  const d = directory();
  assert.equal(sharedTarget(T({ allDevices: true, filtered: true }), T({ allDevices: true }), d), undefined);
});

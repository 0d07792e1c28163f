/**
 * When two instances of one security baseline reach the same devices (`sharedTarget` in model/baselines.ts, read by
 * `baseline-instances-overlap`): only what the files show for certain, each decision with the case it stands for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/index';
import type { ManifestFacts, PolicyFacts } from '../../server/src/core/facts';
import { GroupDirectory } from '../../server/src/core/model/groups';
import { sharedTarget } from '../../server/src/core/model/baselines';
import { readTargets, type Targets } from '../../server/src/core/model/targets';

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

test('two assignments through the same filters in the same modes reach the same devices; include against exclude stays unknown', () => {
  const d = directory();
  const key = (mode: string): string => `allDevices::f11e:${mode}`;
  assert.equal(sharedTarget(T({ allDevices: true, filtered: true, filterKey: key('include') }), T({ allDevices: true, filtered: true, filterKey: key('include') }), d), 'all devices (both through the same assignment filter `f11e` (include))');
  assert.equal(sharedTarget(T({ allDevices: true, filtered: true, filterKey: key('include') }), T({ allDevices: true, filtered: true, filterKey: key('exclude') }), d), undefined);
  // A filtered target whose filter id is not said has no key: unknown.
  assert.equal(sharedTarget(T({ allDevices: true, filtered: true }), T({ allDevices: true, filtered: true }), d), undefined);
});

test('a user group excluded from all devices removes no device, read once by readTargets', () => {
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  const d = new GroupDirectory(s.update('/t/zerotrust.yaml', MANIFEST, 1) as ManifestFacts);
  const profile = (name: string, assignments: string): PolicyFacts =>
    s.update(`/t/configuration/${name}.yaml`, `kind: ConfigurationProfile\nname: ${name}\nowner: endpoint\n${assignments}\nspec:\n  name: ${name}\n  platforms: windows10\n  technologies: mdm\n  settings: []\n`, 1) as PolicyFacts;
  // grp-sales lists users only: a user group. All devices excluding it still reaches its users' devices.
  const allButSales = readTargets(profile('all-but-sales', 'assignments:\n  include: [allDevices]\n  exclude: [grp-sales]'), d);
  assert.deepEqual(allButSales.exclude, []);
  assert.deepEqual(allButSales.unapplied, ['grp-sales']);
  assert.match(sharedTarget(allButSales, readTargets(profile('sales', 'assignments:\n  include: [grp-sales]'), d), d) ?? '', /^group `grp-sales` \(user group `grp-sales` excluded from all devices removes none/);
  // From all users, a user group exclusion is supported: it stays an exclusion.
  assert.deepEqual(readTargets(profile('users-but-sales', 'assignments:\n  include: [allUsers]\n  exclude: [grp-sales]'), d).exclude, ['grp-sales']);
  // A group of unknown kind (no members listed, or a nested group that lists none) keeps today's reading.
  assert.deepEqual(readTargets(profile('all-but-kiosks', 'assignments:\n  include: [allDevices]\n  exclude: [grp-kiosks, grp-finance]'), d).exclude, ['grp-kiosks', 'grp-finance']);
});

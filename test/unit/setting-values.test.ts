/** The tenant model's reach and overlap answers (`model/setting-values.ts`), read by `setting-conflict` and the configuration checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupDirectory } from '../../server/src/core/model/groups';
import { coverage, exclusionsTakingAll, overlap } from '../../server/src/core/model/setting-values';
import type { Targets } from '../../server/src/core/model/targets';
import type { ManifestFacts } from '../../server/src/core/facts';

/** A directory over the groups a manifest would declare (name → members). */
function directory(groups: Record<string, string[]>): GroupDirectory {
  const manifest = { groups: Object.entries(groups).map(([name, members]) => ({ name, members })), breakGlass: { groups: [], users: [] } } as unknown as ManifestFacts;
  return new GroupDirectory(manifest);
}

function targets(include: string[], exclude: string[] = []): Targets {
  const allDevices = include.includes('allDevices');
  const allUsers = include.includes('allUsers');
  return { all: allDevices || allUsers, allDevices, allUsers, groups: include.filter((g) => g !== 'allDevices' && g !== 'allUsers'), exclude };
}

test('exclusions that hold every included group take the whole assignment out, nested groups followed', () => {
  const d = directory({ 'grp-laptops': [], 'grp-autopilot-reset': ['grp-laptops'], 'grp-kiosk': [] });
  assert.deepEqual(exclusionsTakingAll(targets(['grp-laptops'], ['grp-laptops']), d), ['grp-laptops']);
  assert.deepEqual(exclusionsTakingAll(targets(['grp-laptops'], ['grp-autopilot-reset']), d), ['grp-autopilot-reset']);
  // The nested group excluded leaves the outer group's other members: not all.
  assert.equal(exclusionsTakingAll(targets(['grp-autopilot-reset'], ['grp-laptops']), d), undefined);
  assert.equal(exclusionsTakingAll(targets(['grp-laptops'], ['grp-kiosk']), d), undefined);
  assert.equal(exclusionsTakingAll(targets(['allDevices'], ['grp-laptops']), d), undefined);
  // Undeclared groups: a group excluding itself is still itself.
  assert.deepEqual(exclusionsTakingAll(targets(['grp-x'], ['grp-x']), directory({})), ['grp-x']);
});

test('two assignments overlap certainly, not at all, or unknown', () => {
  const d = directory({ 'grp-laptops': [], 'grp-kiosk': [], 'grp-ring': ['grp-laptops'], 'grp-a': ['a@contoso.com'], 'grp-b': ['b@contoso.com'] });
  assert.equal(overlap(targets(['allDevices']), targets(['allDevices']), d).state, 'certain');
  assert.equal(overlap(targets(['grp-ring']), targets(['grp-laptops']), d).state, 'certain');
  // Disjoint by exclusion: one takes out every group the other includes.
  assert.equal(overlap(targets(['allDevices'], ['grp-kiosk']), targets(['grp-kiosk']), d).state, 'none');
  // Members listed on both sides, none shared.
  assert.equal(overlap(targets(['grp-a']), targets(['grp-b']), d).state, 'none');
  // Two groups the manifest does not describe: a ring deployment looks so.
  assert.equal(overlap(targets(['grp-laptops']), targets(['grp-kiosk']), d).state, 'unknown');
  // A side that reaches no device overlaps nothing.
  assert.equal(overlap(targets(['allDevices']), targets(['grp-laptops'], ['grp-laptops']), d).state, 'none');
});

test('onboarding assignments taken together reach every device an Endpoint DLP policy takes in, some of them for certain, or unknown (coverage)', () => {
  const d = directory({ Pilot: ['pilot1@contoso.com'], 'grp-pilot-devices': [], 'grp-laptops': [], 'grp-kiosk': [], 'grp-ring': ['grp-laptops'], 'grp-a': ['a@contoso.com'], 'grp-b': ['b@contoso.com'] });
  const state = (sources: Targets[], target: Targets): string => coverage(sources, target, d).state;
  // All: both all devices; the same group; a group nested in the onboarding's; all but a group the policy excludes too;
  // two groups the policy names, each onboarded by its own profile.
  assert.equal(state([targets(['allDevices'])], targets(['allDevices'])), 'all');
  assert.equal(state([targets(['Pilot'])], targets(['Pilot'])), 'all');
  assert.equal(state([targets(['grp-ring'])], targets(['grp-laptops'])), 'all');
  assert.equal(state([targets(['allDevices'], ['grp-kiosk'])], targets(['allDevices'], ['grp-kiosk'])), 'all');
  assert.equal(state([targets(['grp-a']), targets(['grp-b'])], targets(['grp-a', 'grp-b'])), 'all');
  // Some: a pilot group's onboarding beside a policy for every device; all devices but the kiosks; a group the
  // onboarding excludes; groups whose listed members share none.
  assert.deepEqual(coverage([targets(['Pilot'])], targets(['allDevices']), d), { state: 'some', left: 'the devices outside `Pilot`' });
  assert.deepEqual(coverage([targets(['allDevices'], ['grp-kiosk'])], targets(['allDevices']), d), { state: 'some', left: 'the devices of `grp-kiosk`' });
  assert.deepEqual(coverage([targets(['allDevices'], ['grp-kiosk'])], targets(['grp-kiosk']), d), { state: 'some', left: 'the devices of `grp-kiosk`' });
  assert.deepEqual(coverage([targets(['grp-a'])], targets(['grp-b']), d), { state: 'some', left: 'the devices of `grp-b`' });
  // Unknown: groups the manifest does not describe; a policy for all devices with exclusions of its own (they may be
  // just the devices the onboarding leaves out); a mix that may take everything in; an assignment filter.
  assert.equal(state([targets(['grp-laptops'])], targets(['grp-kiosk'])), 'unknown');
  // A group the manifest does not describe may be a dynamic group of every device: not certainly some.
  assert.equal(state([targets(['grp-pilot-devices'])], targets(['allDevices'])), 'unknown');
  assert.equal(state([targets(['Pilot'])], targets(['allDevices'], ['grp-kiosk'])), 'unknown');
  assert.equal(state([targets(['allDevices'], ['Pilot']), targets(['grp-laptops'])], targets(['allDevices'])), 'unknown');
  assert.equal(state([{ ...targets(['allDevices']), filtered: true }], targets(['allDevices'])), 'unknown');
});

test('the FileVault escrow profiles together reach every device a FileVault profile reaches, certainly not, or unknown (coverage, as reachOfAll reads it)', () => {
  const d = directory({ 'grp-laptops': [], 'grp-kiosk': [], 'grp-ring': ['grp-laptops'], 'grp-a': ['a@contoso.com'], 'grp-b': ['b@contoso.com'] });
  // All devices reaches everyone; a group holding the other's group reaches all of it; two covers each take one group.
  assert.equal(coverage([targets(['allDevices'])], targets(['grp-a']), d).state, 'all');
  assert.equal(coverage([targets(['grp-ring'])], targets(['grp-laptops']), d).state, 'all');
  assert.equal(coverage([targets(['grp-a']), targets(['grp-b'])], targets(['grp-a', 'grp-b']), d).state, 'all');
  // An exclusion the covered side does not make leaves some of its devices out, or may: not 'all'.
  assert.notEqual(coverage([targets(['allDevices'], ['grp-kiosk'])], targets(['allDevices']), d).state, 'all');
  // All devices against groups only: a group is not every device.
  assert.equal(coverage([targets(['grp-a'])], targets(['allDevices']), d).state, 'some');
  // A group the covers certainly share no device with (listed members, none shared; or excluded by the cover).
  assert.equal(coverage([targets(['grp-b'])], targets(['grp-a']), d).state, 'some');
  assert.equal(coverage([targets(['allDevices'], ['grp-kiosk'])], targets(['grp-kiosk']), d).state, 'some');
  // Groups the manifest does not describe, a filter, or all devices less an exclusion: unknown.
  assert.equal(coverage([targets(['grp-kiosk'])], targets(['grp-laptops']), d).state, 'unknown');
  assert.equal(coverage([targets(['grp-a'])], { ...targets(['allDevices']), filtered: true }, d).state, 'unknown');
  assert.equal(coverage([targets(['grp-a'])], targets(['allDevices'], ['grp-kiosk']), d).state, 'unknown');
  // A cover with a filter reaches devices the files do not name: never 'all', and not certainly some either.
  assert.equal(coverage([{ ...targets(['allDevices']), filtered: true }], targets(['grp-a']), d).state, 'unknown');
});

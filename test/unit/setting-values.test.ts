/** The tenant model's reach and overlap answers (`model/setting-values.ts`), read by `setting-conflict` and the configuration checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupDirectory } from '../../server/src/core/model/groups';
import { exclusionsTakingAll, jointReach, overlap } from '../../server/src/core/model/setting-values';
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

test('assignments together reach every device another reaches, certainly not, or unknown (jointReach)', () => {
  const d = directory({ 'grp-laptops': [], 'grp-kiosk': [], 'grp-ring': ['grp-laptops'], 'grp-a': ['a@contoso.com'], 'grp-b': ['b@contoso.com'] });
  // All devices reaches everyone; a group holding the other's group reaches all of it; two covers each take one group.
  assert.equal(jointReach([targets(['allDevices'])], targets(['grp-a']), d), 'all');
  assert.equal(jointReach([targets(['grp-ring'])], targets(['grp-laptops']), d), 'all');
  assert.equal(jointReach([targets(['grp-a']), targets(['grp-b'])], targets(['grp-a', 'grp-b']), d), 'all');
  // An exclusion the covered side does not make leaves some of its devices out, or may: not 'all'.
  assert.notEqual(jointReach([targets(['allDevices'], ['grp-kiosk'])], targets(['allDevices']), d), 'all');
  // All devices against groups only: a group is not every device.
  assert.equal(jointReach([targets(['grp-a'])], targets(['allDevices']), d), 'notAll');
  assert.equal(jointReach([], targets(['allDevices']), d), 'notAll');
  // A group the covers certainly share no device with (listed members, none shared; or excluded by the cover).
  assert.equal(jointReach([targets(['grp-b'])], targets(['grp-a']), d), 'notAll');
  assert.equal(jointReach([targets(['allDevices'], ['grp-kiosk'])], targets(['grp-kiosk']), d), 'notAll');
  // Groups the manifest does not describe, a filter, or all devices less an exclusion: unknown.
  assert.equal(jointReach([targets(['grp-kiosk'])], targets(['grp-laptops']), d), 'unknown');
  assert.equal(jointReach([targets(['grp-a'])], { ...targets(['allDevices']), filtered: true }, d), 'unknown');
  assert.equal(jointReach([targets(['grp-a'])], targets(['allDevices'], ['grp-kiosk']), d), 'unknown');
  // A cover with a filter reaches devices the files do not name: never 'all', and not certainly none either.
  assert.equal(jointReach([{ ...targets(['allDevices']), filtered: true }], targets(['grp-a']), d), 'unknown');
});

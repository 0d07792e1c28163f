/**
 * What rules ask of one policy file after every edit is read once per file and kept with its facts (WeakMaps keyed
 * by the facts). A reading that resolves group references depends on the manifest too: with another manifest it is
 * read again, and a changed file (new facts) is always read again. A kept reading that outlived its manifest would
 * name groups the tenant no longer has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/index';
import type { ManifestFacts, PolicyFacts } from '../../server/src/core/facts';
import { GroupDirectory } from '../../server/src/core/model/groups';
import { readTargets } from '../../server/src/core/model/targets';
import { caUsers } from '../../server/src/core/model/break-glass';
import { assignmentIncludes } from '../../server/src/core/tenant-query';

const GUID = '3c0f9b2e-7d41-4e6a-9b58-2f1d8c7a6e05';
const BARE = 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n';
const NAMED = `${BARE}groups:\n  - name: grp-executives\n    id: ${GUID}\n`;
const COMPLIANCE = (include: string): string =>
  `kind: CompliancePolicy\nname: c\nowner: endpoint\nassignments:\n  include: [${include}]\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n`;
const CA = (include: string): string =>
  `kind: ConditionalAccessPolicy\nname: ca\nowner: identity\nspec:\n  displayName: ca\n  state: enabled\n  conditions:\n    users:\n      includeUsers: [${include}]\n    applications:\n      includeApplications: [All]\n  grantControls:\n    operator: OR\n    builtInControls: [mfa]\n`;

function store(): ReturnType<typeof createPolicyService> {
  return createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
}

test('an Intune policy\'s targets and include list are read again under another manifest, and for a changed file', () => {
  const s = store();
  const bare = s.update('/t/zerotrust.yaml', BARE, 1) as ManifestFacts;
  const policy = s.update('/t/c.yaml', COMPLIANCE(GUID), 1) as PolicyFacts;
  assert.deepEqual(readTargets(policy, new GroupDirectory(bare)).groups, [GUID], 'no manifest group: the GUID as written');
  assert.deepEqual(assignmentIncludes(policy, bare), [GUID]);

  const named = s.update('/t/zerotrust.yaml', NAMED, 2) as ManifestFacts;
  assert.deepEqual(readTargets(policy, new GroupDirectory(named)).groups, ['grp-executives'], 'the new manifest names it');
  assert.deepEqual(assignmentIncludes(policy, named), ['grp-executives']);
  assert.deepEqual(readTargets(policy, new GroupDirectory(bare)).groups, [GUID], 'and the old one still does not');

  // The same file, read once per manifest: the same answer object while neither changes.
  assert.equal(readTargets(policy, new GroupDirectory(named)), readTargets(policy, new GroupDirectory(named)));

  const edited = s.update('/t/c.yaml', COMPLIANCE('allDevices'), 2) as PolicyFacts;
  assert.notEqual(edited, policy, 'an edit makes new facts');
  const t = readTargets(edited, new GroupDirectory(named));
  assert.deepEqual([t.all, t.allDevices, t.groups], [true, true, []]);
  assert.deepEqual(assignmentIncludes(edited, named), ['allDevices']);
});

test('a CA policy\'s users condition is read once per file, and again for a changed file', () => {
  const s = store();
  s.update('/t/zerotrust.yaml', BARE, 1);
  const ca = s.update('/t/ca.yaml', CA('All'), 1) as PolicyFacts;
  assert.deepEqual(caUsers(ca).includeUsers, ['All']);
  assert.equal(caUsers(ca), caUsers(ca));
  const edited = s.update('/t/ca.yaml', CA('alex@contoso.com'), 2) as PolicyFacts;
  assert.deepEqual(caUsers(edited).includeUsers, ['alex@contoso.com']);
  assert.deepEqual(caUsers(ca).includeUsers, ['All'], 'the old facts keep their own reading');
});

test('an edit that changes what a rule reads per file changes its findings, through the service', () => {
  // ca-group-alignment reads each compliance policy's include list (kept per file): assigning the policy to the
  // group the CA policy targets must clear the finding, and taking it away must bring it back.
  const s = store();
  s.update('/t/zerotrust.yaml', `${BARE}platforms: [windows]\ngroups:\n  - name: grp-staff\n  - name: grp-executives\n    id: ${GUID}\n`, 1);
  const caText = `kind: ConditionalAccessPolicy\nname: ca\nowner: identity\nspec:\n  displayName: ca\n  state: enabled\n  conditions:\n    users:\n      includeGroups: [grp-staff]\n    applications:\n      includeApplications: [All]\n    platforms:\n      includePlatforms: [windows]\n  grantControls:\n    operator: OR\n    builtInControls: [compliantDevice]\n`;
  s.update('/t/ca.yaml', caText, 1);
  s.update('/t/c.yaml', COMPLIANCE('grp-executives'), 1);
  const codes = (): string[] => s.findings('/t').filter((f) => f.file === '/t/ca.yaml').map((f) => f.ruleId);
  assert.ok(codes().includes('ca-group-alignment'), `grp-staff is not covered: ${codes().join(', ')}`);
  s.update('/t/c.yaml', COMPLIANCE('grp-staff'), 2);
  assert.ok(!codes().includes('ca-group-alignment'), `grp-staff is covered now: ${codes().join(', ')}`);
  s.update('/t/c.yaml', COMPLIANCE('grp-executives'), 3);
  assert.ok(codes().includes('ca-group-alignment'), 'and not any more');
});

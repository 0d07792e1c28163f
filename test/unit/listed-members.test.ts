/**
 * One reading of a group whose members zerotrust.yaml lists: the model's `GroupDirectory.mayHold`. An excluded group
 * that lists its members holds no one else, to `setting-conflict` (an exclusion that cannot hold the member two
 * profiles share leaves the conflict certain) and to `ca-directory-sync-role-targeted` (an exclusion that does not list
 * the Microsoft Entra Connect Sync account does not take it out) alike; a group that lists none may hold anyone, to
 * both. Round 26's "seen and left": the two rules read the same manifest two ways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { modelOf } from '../../server/src/core/model/index';
import { mayBeSyncAccount, mayExcludeSyncAccount } from '../../server/src/core/model/directory-sync';

/** A BitLocker disk encryption profile, as the Intune export writes it: on (`_1`) or off (`_0`). */
function bitlocker(name: string, include: string, exclude: string[], on: boolean): string {
  return [
    'kind: ConfigurationProfile',
    `name: ${name}`,
    'owner: endpoint',
    'assignments:',
    `  include: [${include}]`,
    ...(exclude.length ? [`  exclude: [${exclude.join(', ')}]`] : []),
    'spec:',
    `  name: ${name}`,
    '  platforms: windows10',
    '  technologies: mdm',
    '  templateReference:',
    '    templateId: 46ddfc50-d10f-4867-b852-9434254b3bff_1',
    '    templateFamily: endpointSecurityDiskEncryption',
    '  settings:',
    '    - "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting"',
    '      settingInstance:',
    '        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"',
    '        settingDefinitionId: device_vendor_msft_bitlocker_requiredeviceencryption',
    '        choiceSettingValue:',
    `          value: device_vendor_msft_bitlocker_requiredeviceencryption_${on ? 1 : 0}`,
    '          children: []',
    '',
  ].join('\n');
}

const ADMIN_POLICY = `kind: ConditionalAccessPolicy
name: ca-admins-mfa
spec:
  displayName: Admins - All apps - Require MFA
  state: enabled
  conditions:
    users:
      includeRoles:
        - 62e90394-69f5-4237-9190-012177145e10   # Global Administrator
        - d29b2b05-8046-44ba-8758-1e26182fcf32   # Directory Synchronization Accounts
      excludeGroups: [grp-breakglass, grp-exempt]
    applications: { includeApplications: [All] }
    clientAppTypes: [all]
  grantControls: { operator: OR, builtInControls: [mfa] }
`;

/**
 * A tenant where `grp-exempt` is both excluded from the off profile (whose group shares ana with the on profile's) and
 * from the admin MFA policy that takes in the sync role; `exempt` is its `members` line, or none.
 */
async function tenantWith(exempt: string[] | undefined): Promise<{ conflict: boolean; sync: boolean; mayHold: { ana: boolean; sync: boolean } }> {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-listed-'));
  try {
    const manifest = [
      'kind: Tenant',
      'name: contoso-listed',
      'licenses: [M365_E5]',
      'platforms: [windows]',
      'groups:',
      '  - name: grp-breakglass',
      '    members: [bg1@contoso.com]',
      '  - name: grp-sales',
      '    members: [ana@contoso.com, ben@contoso.com]',
      '  - name: grp-emea',
      '    members: [ana@contoso.com, chloe@contoso.com]',
      '  - name: grp-exempt',
      '    description: Accounts exempt from the encryption rollout and from admin MFA',
      ...(exempt ? [`    members: [${exempt.join(', ')}]`] : []),
      'breakGlass:',
      '  groups: [grp-breakglass]',
      'teams:',
      '  endpoint: { contact: endpoint@contoso.com }',
      'settings:',
      '  secureByDefault: true',
      '  mdmAuthority: intune',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'zerotrust.yaml'), manifest);
    mkdirSync(join(dir, 'endpoint-security'));
    mkdirSync(join(dir, 'ca'));
    writeFileSync(join(dir, 'endpoint-security', 'bitlocker-sales.yaml'), bitlocker('bitlocker-sales', 'grp-sales', [], true));
    writeFileSync(join(dir, 'endpoint-security', 'bitlocker-emea-off.yaml'), bitlocker('bitlocker-emea-off', 'grp-emea', ['grp-exempt'], false));
    writeFileSync(join(dir, 'ca', 'ca-admins-mfa.yaml'), ADMIN_POLICY);
    const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
    for (const f of await service.discover(dir)) await service.load(f);
    const root = dir.replace(/\\/g, '/');
    const findings = service.analyzeTenant(root);
    const model = modelOf(service.view(root));
    const others = model.breakGlass.otherExclusions(model.tenant.policies.find((p) => p.name === 'ca-admins-mfa')!);
    assert.deepEqual(others.groups, ['grp-exempt']);
    return {
      conflict: findings.some((f) => f.ruleId === 'setting-conflict'),
      sync: findings.some((f) => f.ruleId === 'ca-directory-sync-role-targeted'),
      mayHold: { ana: model.groups.mayHold('grp-exempt', (u) => u === 'ana@contoso.com'), sync: mayExcludeSyncAccount(others, model.groups, (u) => model.breakGlass.isAccount(u)) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an excluded group that lists its members holds no one else, to setting-conflict and the sync-role rule alike', async () => {
  const r = await tenantWith(['bg1@contoso.com']);
  assert.deepEqual(r.mayHold, { ana: false, sync: false });
  assert.equal(r.conflict, true, 'ana is on both profiles, and grp-exempt lists only bg1: a certain conflict');
  assert.equal(r.sync, true, 'grp-exempt lists only bg1, a break-glass account: it does not take the sync account out');
});

test('an excluded group that lists an account of any name but a break-glass one may hold the sync account', async () => {
  // `Add-ADSyncAADServiceAccount -Name` takes any name (review r27, t07b: `aadconnect@…`).
  const r = await tenantWith(['aadconnect@contoso.onmicrosoft.com']);
  assert.deepEqual(r.mayHold, { ana: false, sync: true });
  assert.equal(r.conflict, true, 'ana is not in grp-exempt: the conflict stands');
  assert.equal(r.sync, false, 'aadconnect may be the sync account');
});

test('an excluded group that lists no members may hold anyone: both rules hold back', async () => {
  const r = await tenantWith(undefined);
  assert.deepEqual(r.mayHold, { ana: true, sync: true });
  assert.equal(r.conflict, false, 'grp-exempt may hold ana: the overlap is unknown, not a conflict');
  assert.equal(r.sync, false, 'grp-exempt may hold the sync account');
});

test('an excluded group that lists the member each rule asks about takes it out, for both', async () => {
  const r = await tenantWith(['ana@contoso.com', 'Sync_AADC01_5e1f0c2b7a9d@contoso.onmicrosoft.com']);
  assert.deepEqual(r.mayHold, { ana: true, sync: true });
  assert.equal(r.conflict, false, 'ana is excluded from the off profile, ben and chloe are on one profile each');
  assert.equal(r.sync, false, 'the sync account is in grp-exempt');
});

test('which account may be the Microsoft Entra Connect Sync account: an object id, or a service account by its name, never a break-glass account', () => {
  const bg = (u: string): boolean => u === 'bg1@contoso.com';
  assert.equal(mayBeSyncAccount('sync_aadc01_5e1f0c2b7a9d@contoso.onmicrosoft.com', bg), true);
  assert.equal(mayBeSyncAccount('aadconnect@contoso.onmicrosoft.com', bg), true);
  assert.equal(mayBeSyncAccount('3f0c2b7a-9d5e-4e1f-8a2b-7c9d0e1f2a3b', bg), true);
  assert.equal(mayBeSyncAccount('svc-entra-connect@contoso.com', bg), true);
  assert.equal(mayBeSyncAccount('aadc-svc@contoso.com', bg), true);
  assert.equal(mayBeSyncAccount('adm-jdoe@contoso.com', bg), false);
  assert.equal(mayBeSyncAccount('bg1@contoso.com', bg), false);
});

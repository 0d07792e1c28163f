/**
 * A template or custom device configuration profile written under `kind: ConfigurationProfile`, which holds settings
 * catalog profiles only: the file is not read (its schema error says to keep the raw Graph export), so what it
 * configures is unknown. Layer 5 says what it is, written under another kind, not "exported without its settings" (a
 * settings catalog list export); a macOS custom profile carrying the Defender onboarding payload is named as such, its
 * onboarding unknown (layer 6's "?"), one answer with the Defender model (audit r31).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { diffWorkspaces, type PolicyService } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { FIXTURE_NOW } from '../harness/fixtures';
import { tempDir } from '../harness/cli';
import { layerReportMarkdown, layerStates, prerequisiteLines } from '../../server/src/core/features/layer-status';
import { ruleById } from '../../server/src/core/rules/index';
import { modelOf } from '../../server/src/core/model/index';
import { fixtureFiles, memoryTenant, WINDOWS_CATALOG_PROFILE } from '../harness/tenant';

const MAC_ONBOARDING = fixtureFiles(join(__dirname, '..', 'fixtures', 'schema', 'fires-custom-profile-under-kind'));

test('a macOS onboarding profile written under kind ConfigurationProfile: layer 5 says it is written under another kind and its onboarding unknown, never "exported without its settings" (r31 audit)', () => {
  const { view, findings } = memoryTenant(MAC_ONBOARDING);
  const five = layerStates(view, findings, (id) => ruleById(id)).find((s) => s.layer === 5)!;
  assert.equal(five.status, 'partial');
  assert.deepEqual(five.withoutSettings, []);
  assert.deepEqual(five.misfiled, [{ name: 'mac-mde-onboarding', type: 'macOSCustomConfiguration', onboarding: 'macOS', onboardingUnknown: true }]);
  assert.doesNotMatch(five.reason ?? '', /exported without/);
  assert.match(
    five.reason ?? '',
    /unknown: `mac-mde-onboarding` \(`#microsoft\.graph\.macOSCustomConfiguration`\) is written under `kind: ConfigurationProfile`, which holds settings catalog profiles only, so it is not read \(see its schema error\) and what it configures is not known; it carries the macOS Defender for Endpoint onboarding payload \(`com\.microsoft\.wdav\.atp`\), so whether the Macs are onboarded is unknown \(layer 6\); keep it as its raw Graph export, with no `kind`, to have it read/,
  );
  // Layer 6 and the Defender model say the same of the Macs' onboarding.
  assert.equal(modelOf(view).defender.onboarding('macOS').unknown?.[0]?.without, 'kind');
  assert.equal(prerequisiteLines(view, 6).lines.find((l) => l.label === 'macOS onboarding')?.unknown, true);
  // The report's row reads the same state.
  const md = layerReportMarkdown(view, findings, (p) => p, (id) => ruleById(id));
  assert.match(md, /\| 5 · Configuration profiles \| 🟡 partial — unknown: `mac-mde-onboarding` \(`#microsoft\.graph\.macOSCustomConfiguration`\) is written under `kind: ConfigurationProfile`/);
  assert.doesNotMatch(md, /exported without/);
});

test('a Windows template profile written under kind ConfigurationProfile: layer 5 says so, with no onboarding clause; the configuration checks stay silent on it', () => {
  const template = [
    'kind: ConfigurationProfile',
    'name: win-endpoint-protection',
    'assignments: { include: [allDevices] }',
    'spec:',
    '  "@odata.type": "#microsoft.graph.windows10EndpointProtectionConfiguration"',
    '  displayName: Windows - endpoint protection',
    '  bitLockerEncryptDevice: true',
    '',
  ].join('\n');
  // A Windows settings catalog profile beside it: the folder keeps Windows' layer 5, so the checks would speak.
  const files = { ...MAC_ONBOARDING, '/t/configuration/win-endpoint-protection.yaml': template, '/t/configuration/win-restrictions.yaml': WINDOWS_CATALOG_PROFILE };
  delete (files as Record<string, string>)['/t/configuration/mac-mde-onboarding.yaml'];
  const { view, findings } = memoryTenant(files);
  const five = layerStates(view, findings, (id) => ruleById(id)).find((s) => s.layer === 5)!;
  assert.deepEqual(five.withoutSettings, []);
  assert.deepEqual(five.misfiled, [{ name: 'win-endpoint-protection', type: 'windows10EndpointProtectionConfiguration' }]);
  assert.match(five.reason ?? '', /unknown: `win-endpoint-protection` \(`#microsoft\.graph\.windows10EndpointProtectionConfiguration`\) is written under `kind: ConfigurationProfile`, which holds settings catalog profiles only, so it is not read \(see its schema error\) and what it configures is not known; keep it as its raw Graph export/);
  assert.doesNotMatch(five.reason ?? '', /onboard|exported without/);
  // Not read, it may turn BitLocker on (as it does): the checks hold back, as on a profile exported without its settings.
  assert.deepEqual(findings.filter((f) => f.layer === 5 && f.ruleId !== 'schema').map((f) => f.ruleId), []);
  assert.deepEqual(modelOf(view).configurationKept('windows').state, 'kept');
});

test('ztp diff: a disk encryption profile replaced by a template profile written under kind ConfigurationProfile: the configuration checks no longer checked, said as written under another kind', async (t) => {
  const dir = tempDir(t, 'misfiled');
  const from = join(__dirname, '..', 'fixtures-diff', 'profile-exported-without-settings');
  cpSync(join(from, 'base'), join(dir, 'base'), { recursive: true });
  cpSync(join(from, 'head'), join(dir, 'head'), { recursive: true });
  writeFileSync(
    join(dir, 'head', 'configuration', 'win-disk.yaml'),
    'kind: ConfigurationProfile\nname: win-disk\nowner: endpoint\nassignments:\n  include: [allDevices]\nspec:\n  "@odata.type": "#microsoft.graph.windows10EndpointProtectionConfiguration"\n  displayName: Win - Disk Encryption\n  bitLockerEncryptDevice: true\n',
  );
  const loaded = async (root: string): Promise<PolicyService> => {
    const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
    for (const f of await service.discover(root)) await service.load(f);
    return service;
  };
  const base = join(dir, 'base').replace(/\\/g, '/');
  const head = join(dir, 'head').replace(/\\/g, '/');
  const impact = diffWorkspaces({ service: await loaded(base), root: base, label: 'base' }, { service: await loaded(head), root: head, label: 'head' });
  const tenant = impact.tenants[0]!;
  assert.deepEqual(tenant.resolved.filter((f) => f.ruleId === 'bitlocker-not-configured'), []);
  // Not read, the template profile may set any of them: each is unknown, said as what the file is.
  const why = '`win-disk` written under `kind: ConfigurationProfile`, which does not hold it';
  assert.deepEqual(tenant.unchecked.map((f) => [f.ruleId, f.uncheckedBecause]).sort(), ['asr-rules-not-configured', 'bitlocker-not-configured', 'laps-not-configured', 'windows-security-baseline-missing'].map((r) => [r, why]));
  assert.deepEqual(tenant.introduced.map((f) => f.ruleId), ['schema']);
});

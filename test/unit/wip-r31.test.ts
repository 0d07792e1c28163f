/**
 * The thirty-first pass's finder: a Windows Information Protection policy (Microsoft's powershell-intune-samples' WIP
 * without enrollment) got `unknown-kind`'s generic "a Graph resource that no policy kind holds", and `ztp import` the
 * same skip note. WIP is deprecated, WIP without enrollment can no longer be created, and it is not Windows app
 * protection, which the `compliantApplication` grant needs on Windows: one text (`describeForeignGraphType`) for both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/service';
import { describeForeignGraphType } from '../../server/src/core/graph';
import { planImport } from '../../server/src/core/import-plan';

const WIP_WE = {
  displayName: 'Win10 WIP WE Policy',
  enforcementLevel: 'encryptAuditAndPrompt',
  enterpriseDomain: 'contoso.example',
  protectedApps: [{ '@odata.type': '#microsoft.graph.windowsInformationProtectionDesktopApp', displayName: 'Microsoft Teams', binaryName: 'teams.exe', denied: false }],
  '@odata.type': '#microsoft.graph.windowsInformationProtectionPolicy',
};

test('a WIP policy is named as deprecated, and as not Windows app protection, with or without enrollment', () => {
  for (const type of ['windowsInformationProtectionPolicy', 'mdmWindowsInformationProtectionPolicy']) {
    const text = describeForeignGraphType(type);
    assert.match(text, /Windows Information Protection \(WIP\)/);
    assert.match(text, /deprecated WIP in July 2022/);
    assert.match(text, /not Windows app protection/);
    assert.match(text, /`compliantApplication`/);
    assert.match(text, /`windowsManagedAppProtection`/);
  }
  assert.match(describeForeignGraphType('windowsInformationProtectionPolicy'), /no longer creates WIP policies for unenrolled devices/);
  assert.doesNotMatch(describeForeignGraphType('mdmWindowsInformationProtectionPolicy'), /unenrolled/);
});

test('unknown-kind and the import skip note say the same of a WIP export', () => {
  const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  service.update('/t/zerotrust.yaml', 'kind: Tenant\nname: wip\nlicenses: [M365_E5]\nplatforms: [windows]\n', 1);
  service.update('/t/wip-we.json', JSON.stringify(WIP_WE, null, 2), 1);
  const finding = service.analyzeTenant('/t').find((f) => f.ruleId === 'unknown-kind');
  const what = describeForeignGraphType('windowsInformationProtectionPolicy');
  assert.ok(finding?.message.includes(what), finding?.message);
  assert.doesNotMatch(finding!.message, /a Graph resource that no policy kind holds/);
  const plan = planImport([{ path: '/export/wip-we.json', bytes: new TextEncoder().encode(JSON.stringify(WIP_WE)) }], { source: '/export', format: 'yaml' });
  assert.equal(plan.skipped.length, 1);
  assert.ok(plan.skipped[0]!.reason.includes(what), plan.skipped[0]!.reason);
});

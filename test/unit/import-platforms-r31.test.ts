/**
 * The thirty-first pass's finder: `ztp import` wrote the manifest's `platforms` from the policies it imported and
 * ignored the raw profiles it keeps, so an export whose only macOS file is a custom profile carrying Defender's
 * `com.microsoft.wdav.atp` onboarding payload (which import itself says "onboards macOS devices to Defender for
 * Endpoint") left `platforms: [iOS]`, and macOS's missing compliance policy was never reported. One reader of "which
 * platforms does this file manage" (`evidencedPlatformsOf`, through the model's `managedPlatformsOf` for a raw export),
 * read by import and by the tenant model when the manifest lists none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runInProcess, tempDir } from '../harness/cli';
import { createPolicyService } from '../../server/src/core/service';
import { modelOf } from '../../server/src/core/model/index';
import { layerStates } from '../../server/src/core/features/layer-status';
import { ruleById } from '../../server/src/core/rules/index';

const PLIST = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict>
<key>PayloadType</key><string>com.microsoft.wdav.atp</string>
<key>PayloadIdentifier</key><string>com.microsoft.wdav.atp.example</string>
<key>PayloadUUID</key><string>11111111-2222-3333-4444-555555555555</string>
<key>PayloadVersion</key><integer>1</integer>
<key>OrgId</key><string>00000000-0000-0000-0000-000000000000</string>
<key>OnboardingInfo</key><string>placeholder</string>
</dict></array>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadIdentifier</key><string>com.example.mde.onboarding</string>
<key>PayloadUUID</key><string>66666666-7777-8888-9999-000000000000</string>
<key>PayloadVersion</key><integer>1</integer>
</dict></plist>
`;

const MAC_ONBOARDING = {
  '@odata.type': '#microsoft.graph.macOSCustomConfiguration',
  displayName: 'macOS MDATP Onboarding',
  payloadName: 'MDATP Onboarding',
  payloadFileName: 'WindowsDefenderATPOnboarding.xml',
  payload: Buffer.from(PLIST).toString('base64'),
  assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }],
};

const IOS_COMPLIANCE = {
  '@odata.type': '#microsoft.graph.iosCompliancePolicy',
  displayName: 'iOS compliance policy',
  passcodeRequired: true,
  scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }],
  assignments: [{ target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } }],
};

test('ztp import counts the platforms of the raw profiles it keeps: a macOS custom profile that onboards Macs to Defender shows macOS', async (t) => {
  const dir = tempDir(t, 'import-platforms');
  const src = join(dir, 'export');
  mkdirSync(src);
  writeFileSync(join(src, 'ios-compliance.json'), JSON.stringify(IOS_COMPLIANCE, null, 1));
  writeFileSync(join(src, 'macos-mdatp-onboarding.json'), JSON.stringify(MAC_ONBOARDING, null, 1));
  const run = await runInProcess(['import', 'export', '--out', 'tenant', '--license', 'M365_E5'], { cwd: dir, env: {} });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /onboards macOS devices to Defender for Endpoint/);
  const manifest = parse(readFileSync(join(dir, 'tenant', 'zerotrust.yaml'), 'utf8')) as { platforms?: string[] };
  assert.deepEqual(manifest.platforms, ['iOS', 'macOS']);
  // The check then asks macOS for its compliance policy (layer 3's line), which the export does not hold.
  const report = await runInProcess(['report', 'tenant'], { cwd: dir, env: {} });
  assert.match(report.stdout, /macOS compliance ✗ — no compliance policy/);
});

test('a manifest that lists no platforms counts the raw profiles the checks read, as import does (one answer)', () => {
  const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  service.update('/t/zerotrust.yaml', 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n', 1);
  service.update('/t/compliance/ios.json', JSON.stringify(IOS_COMPLIANCE), 1);
  service.update('/t/configuration/macos-mdatp-onboarding.json', JSON.stringify(MAC_ONBOARDING), 1);
  const view = service.view('/t');
  assert.deepEqual(modelOf(view).platforms, ['iOS', 'macOS']);
  assert.equal(modelOf(view).platformsSource, 'policies');
  const three = layerStates(view, service.analyzeTenant('/t'), (id) => ruleById(id)).find((s) => s.layer === 3)!;
  assert.ok(three.prerequisites.lines.some((l) => l.label === 'macOS compliance' && !l.ok), three.reason);
});

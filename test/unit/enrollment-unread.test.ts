/**
 * Whether Intune enrolls a platform's devices, where the file that would show it cannot be read: unknown, never "no"
 * (a file that cannot be read is not missing). A configuration profile only enrolled devices take shows enrollment as
 * a compliance policy or an Autopilot profile does, so an unreadable one leaves it unknown as theirs do; and the
 * Defender model does not read an unknown enrollment as none when security settings management would onboard the
 * devices. One answer for the rules, What If, the lockout check and the layer status (audit r31).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { modelOf } from '../../server/src/core/model/index';
import { prerequisiteLines } from '../../server/src/core/features/layer-status';
import { fixtureFiles, memoryTenant, WINDOWS_CATALOG_PROFILE } from '../harness/tenant';

/** Windows app protection for Edge on personal PCs, with neither the compliance policy nor the Autopilot profile. */
const MAM_ONLY = fixtureFiles(join(__dirname, '..', 'fixtures', 'ca-requires-app-protection', 'fires-windows-mam-enrolled-pcs'), ['compliance/windows.yaml', 'enrollment/autopilot.yaml']);

/** `WINDOWS_CATALOG_PROFILE`, cut off mid-file: it does not parse. */
const CATALOG_BROKEN = 'kind: ConfigurationProfile\nname: win-restrictions\nassignments: { include: [allDevices] }\nspec: {\n  platforms: windows10,\n  technologies: [\n';
/** A raw Graph export of a Windows template profile (device restrictions) with a trailing comma: it does not parse. */
const TEMPLATE_BROKEN = '{\n  "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",\n  "displayName": "Windows - device restrictions",\n  "passwordRequired": true,\n}\n';

const SCENARIO = { user: 'alice@fabrikam.example', platform: 'windows', app: 'Office365', clientApp: 'browser' } as const;

test('a readable Windows configuration profile only enrolled devices take shows the tenant enrolls Windows: Windows app protection is in doubt (the baseline the unreadable cases are held to)', async () => {
  const { view } = await memoryTenant({ ...MAM_ONLY, '/t/configuration/restrictions.yaml': WINDOWS_CATALOG_PROFILE });
  assert.equal(modelOf(view).intuneEnrollment('windows').state, 'yes');
  const doubt = (lockoutCheck(view).mayLockOut ?? []).find((f) => f.platforms.includes('windows'));
  assert.equal(doubt?.gap, 'managedWindows');
});

for (const [what, path, text] of [
  ['a settings catalog profile', '/t/configuration/restrictions.yaml', CATALOG_BROKEN],
  ['a raw template profile', '/t/configuration/restrictions.json', TEMPLATE_BROKEN],
] as const) {
  test(`${what} only enrolled devices take, unreadable: Windows enrollment is unknown, and What If and the lockout check say "may" naming the file; the rule holds back (r31 audit)`, async () => {
    const { view, findings } = await memoryTenant({ ...MAM_ONLY, [path]: text });
    const enrollment = modelOf(view).intuneEnrollment('windows');
    assert.equal(enrollment.state, 'unknown');
    assert.deepEqual(enrollment.state === 'unknown' ? enrollment.hiding.map((f) => f.path) : [], [path]);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'ca-requires-app-protection'), []);
    const plain = evaluate(view, SCENARIO);
    assert.deepEqual(plain.unsatisfiable, []);
    const name = path.replace('/t/', '');
    const reasons = (plain.uncertain ?? []).map((u) => u.reason).join('\n');
    assert.match(reasons, new RegExp(`no readable file shows the tenant enrolls Windows devices, but \`${name}\` is not analysed .* may hold a Windows configuration profile that only enrolled devices take`));
    assert.doesNotMatch(reasons, /may hold a Windows compliance policy/);
    const doubt = (lockoutCheck(view).mayLockOut ?? []).find((f) => f.platforms.includes('windows'));
    assert.equal(doubt?.gap, 'unread');
    assert.match(doubt?.fix ?? '', /^make the file the reason names readable .*if it shows the tenant enrolls Windows PCs/);
  });
}

test('an unreadable macOS configuration profile leaves Windows enrollment as the readable files say: no', async () => {
  const macBroken = '{\n  "@odata.type": "#microsoft.graph.macOSEndpointProtectionConfiguration",\n  "displayName": "macOS - restrictions",\n}\n';
  const { view } = await memoryTenant({ ...MAM_ONLY, '/t/configuration/mac.json': macBroken });
  assert.equal(modelOf(view).intuneEnrollment('windows').state, 'no');
  assert.deepEqual((lockoutCheck(view).mayLockOut ?? []).filter((f) => f.platforms.includes('windows')), []);
});

/**
 * Windows servers that Defender for Endpoint security settings management manages (the connector allows it, their
 * endpoint security profiles carry `microsoftSense`), no EDR onboarding profile, and staff laptops a Windows
 * compliance policy shows enrolled (`fires-enrolled-beside-security-settings-management`).
 */
const SSM_DIR = join(__dirname, '..', 'fixtures', 'defender-requires-onboarding', 'fires-enrolled-beside-security-settings-management');
const SSM_COMPLIANCE = '/t/compliance/windows-compliance.yaml';
const COMPLIANCE_BROKEN = 'kind: CompliancePolicy\nname: windows-compliance\nspec: {\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy",\n  scheduledActionsForRule: [\n';

test('security settings management beside a Windows compliance file that cannot be read: onboarding is unknown ("?", naming the file), not onboarded; the rule holds back, no error (r31 audit)', async () => {
  const { view, findings } = await memoryTenant({ ...fixtureFiles(SSM_DIR), [SSM_COMPLIANCE]: COMPLIANCE_BROKEN });
  const model = modelOf(view);
  assert.equal(model.intuneEnrollment('windows').state, 'unknown');
  const o = model.defender.onboarding('windows');
  assert.equal(o.onboarded, false);
  assert.deepEqual(o.gaps, []);
  assert.equal(o.securitySettingsManagement, undefined);
  assert.deepEqual(o.enrollmentHiding, [SSM_COMPLIANCE]);
  assert.match(o.unknownWhy ?? '', /security settings management onboards the Windows devices it manages .*`compliance\/windows-compliance.yaml` is not analysed .* may hold a Windows compliance policy.*: Intune-enrolled Windows devices would still need onboarding \(no EDR onboarding profile\)/);
  // check: no onboarding finding (an error or a warning would call a gap the files cannot show); yaml-syntax says why.
  assert.deepEqual(findings.filter((f) => /onboard|dlp|defender/.test(f.ruleId)).map((f) => f.ruleId), []);
  assert.ok(findings.some((f) => f.ruleId === 'yaml-syntax'));
  const line = prerequisiteLines(view, 6).lines.find((l) => l.label === 'Windows onboarding');
  assert.equal(line?.unknown, true, JSON.stringify(line));
  assert.deepEqual(line?.hiding, [SSM_COMPLIANCE]);
  assert.equal(line?.detail, `unknown: ${o.unknownWhy}`);
});

test('security settings management: the compliance file read says enrolled (✗, the rule warns); no such file says not (✓ by security settings management)', async () => {
  const enrolled = await memoryTenant(fixtureFiles(SSM_DIR));
  assert.equal(prerequisiteLines(enrolled.view, 6).lines.find((l) => l.label === 'Windows onboarding')?.ok, false);
  assert.ok(enrolled.findings.some((f) => f.ruleId === 'defender-requires-onboarding'));
  const servers = await memoryTenant(fixtureFiles(SSM_DIR, ['compliance/windows-compliance.yaml']));
  const line = prerequisiteLines(servers.view, 6).lines.find((l) => l.label === 'Windows onboarding');
  assert.equal(line?.ok, true);
  assert.equal(line?.unknown, undefined);
  assert.ok(modelOf(servers.view).defender.onboarding('windows').securitySettingsManagement);
});

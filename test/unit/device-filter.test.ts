/** Conditional Access device filters, read in three values against what is known of the device. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterApplies, ruleMatches } from '../../server/src/core/model/device-filter';
import type { PolicyFacts } from '../../server/src/core/facts';
import { createPolicyService } from '../../server/src/core/service';
import { modelOf } from '../../server/src/core/model/index';
import { caPolicyText } from '../harness/ca-policy';

const policy = (mode: string, rule: string): PolicyFacts => ({ spec: { conditions: { devices: { deviceFilter: { mode, rule } } } } }) as unknown as PolicyFacts;

test('trustType: only Windows devices are hybrid joined (ServerAD)', () => {
  const hybridOnly = policy('exclude', 'device.trustType -eq "ServerAD"');
  assert.equal(filterApplies(hybridOnly, { platform: 'iOS' }), true, 'no iPhone is excluded');
  assert.equal(filterApplies(hybridOnly, { platform: 'windows' }), undefined, 'a Windows PC may be hybrid joined');
  assert.equal(filterApplies(hybridOnly, { platform: 'windows', hybridJoined: true }), false);
  assert.equal(filterApplies(hybridOnly, { platform: 'windows', hybridJoined: false }), true);
  // An Android phone is registered (Workplace) or not registered at all: never Entra or hybrid joined.
  assert.equal(ruleMatches('device.trustType -eq "AzureAD" -or device.trustType -eq "ServerAD"', { platform: 'android' }), false);
  assert.equal(ruleMatches('device.trustType -ne "ServerAD"', { platform: 'macOS' }), true);
});

test('trustType: only Windows devices and Macs (Platform SSO) are Microsoft Entra joined (AzureAD); iOS, Android and Linux only registered', () => {
  // As a Cyber Essentials tenant has it (CA-007): block every device but Entra-joined ones.
  const joinedOnly = policy('exclude', 'device.trustType -eq "AzureAD"');
  for (const platform of ['iOS', 'android', 'linux'] as const) {
    assert.equal(filterApplies(joinedOnly, { platform }), true, `no ${platform} device is excluded: it cannot be Entra joined`);
    assert.equal(ruleMatches('device.trustType -ne "AzureAD"', { platform }), true);
    assert.equal(ruleMatches('device.trustType -ne "AzureAD" -and device.trustType -ne "ServerAD"', { platform }), true);
    // Registered or not registered at all: neither is known.
    assert.equal(ruleMatches('device.trustType -eq "Workplace"', { platform }), undefined);
  }
  assert.equal(filterApplies(joinedOnly, { platform: 'macOS' }), undefined, 'Platform SSO joins a Mac to Microsoft Entra ID');
  assert.equal(filterApplies(joinedOnly, { platform: 'windows' }), undefined);
  assert.equal(filterApplies(joinedOnly, { platform: 'windows', hybridJoined: false }), undefined, 'not hybrid joined may still be Entra joined');
  assert.equal(filterApplies(joinedOnly, { platform: 'windows', hybridJoined: true }), true, 'a hybrid joined PC is ServerAD, not AzureAD');
  assert.equal(filterApplies(joinedOnly, {}), undefined, 'a device of no known platform may be anything');
  // As CA-004 has it: require a compliant device of the Entra-joined devices only, which leaves out every iPhone.
  const compliantJoined = policy('include', 'device.trustType -eq "AzureAD"');
  assert.equal(filterApplies(compliantJoined, { platform: 'iOS' }), false);
  assert.equal(filterApplies(compliantJoined, { platform: 'android', compliant: true }), false);
  assert.equal(filterApplies(compliantJoined, { platform: 'macOS' }), undefined);
  // Several join states, joined by -or (trustType takes -eq and -ne only: Learn's table).
  const anyState = 'device.trustType -eq "AzureAD" -or device.trustType -eq "ServerAD" -or device.trustType -eq "Workplace"';
  assert.equal(ruleMatches(anyState, { platform: 'iOS', compliant: true }), true, 'a compliant iPhone is registered');
  assert.equal(ruleMatches(anyState, { platform: 'iOS' }), undefined, 'an iPhone may not be registered at all');
  assert.equal(ruleMatches('device.trustType -eq "AzureAD" -or device.trustType -eq "Workplace"', { platform: 'windows', hybridJoined: true }), false);
  assert.equal(ruleMatches('device.trustType -ne "AzureAD"', { platform: 'macOS' }), undefined);
  // -in, which Learn's table does not list for trustType: what Entra makes of it is unknown.
  assert.equal(ruleMatches('device.trustType -in ["AzureAD", "ServerAD"]', { platform: 'android' }), undefined);
  assert.equal(ruleMatches('device.trustType -eq "azuread"', { platform: 'android' }), false, 'values are compared without case');
});

test('isCompliant and operatingSystem, with -and, -or, parentheses and negations', () => {
  assert.equal(ruleMatches('device.isCompliant -eq True', { compliant: true }), true);
  assert.equal(ruleMatches('device.isCompliant -ne True', { compliant: false }), true);
  assert.equal(ruleMatches('device.isCompliant -eq True', {}), undefined);
  // A device that is not compliant may not be registered at all: its isCompliant is null, which no positive operator
  // matches (Learn: unregistered devices), so `-eq False` is unknown while `-ne True` holds either way.
  assert.equal(ruleMatches('device.isCompliant -eq False', { compliant: false }), undefined);
  assert.equal(ruleMatches('device.isCompliant -ne False', { compliant: false }), undefined);
  assert.equal(ruleMatches('device.isCompliant -eq False', { compliant: true }), false);
  assert.equal(filterApplies(policy('include', 'device.isCompliant -eq False'), { platform: 'macOS', compliant: false }), undefined);
  assert.equal(ruleMatches('device.operatingSystem -eq "Windows"', { platform: 'iOS' }), false);
  assert.equal(ruleMatches('device.operatingSystem -eq "Windows"', { platform: 'windows' }), undefined, 'the value a device reports is not assumed');
  assert.equal(ruleMatches('device.operatingSystem -in ["iOS", "iPadOS"]', { platform: 'android' }), false);
  // Unknown or false is unknown; unknown and false is false.
  assert.equal(ruleMatches('device.extensionAttribute1 -eq "SAW" -or device.operatingSystem -eq "Android"', { platform: 'iOS' }), undefined);
  assert.equal(ruleMatches('device.extensionAttribute1 -eq "SAW" -and device.operatingSystem -eq "Android"', { platform: 'iOS' }), false);
  assert.equal(ruleMatches('(device.trustType -eq "ServerAD") -or (device.isCompliant -eq True)', { platform: 'iOS', compliant: true }), true);
  assert.equal(ruleMatches("device.model -startsWith 'Surface'", { platform: 'windows' }), undefined);
});

test('a rule that does not parse, or no filter, decides nothing against the policy', () => {
  assert.equal(ruleMatches('device.trustType -eq', { platform: 'iOS' }), undefined);
  assert.equal(ruleMatches('device.trustType -eq "ServerAD" -and', { platform: 'iOS' }), undefined);
  assert.equal(ruleMatches('device.trustType -eq "ServerAD" (', { platform: 'iOS' }), undefined);
  assert.equal(ruleMatches('device.trustType -sounds "ServerAD"', { platform: 'iOS' }), undefined);
  assert.equal(filterApplies({ spec: {} } as unknown as PolicyFacts, { platform: 'iOS' }), true);
  assert.equal(filterApplies(policy('include', '  '), { platform: 'iOS' }), true);
  // A mode Graph does not know (the schema reports `Exclude`): which way the filter works is unknown.
  assert.equal(filterApplies(policy('Exclude', 'device.trustType -eq "ServerAD"'), { platform: 'iOS' }), undefined);
  // Nested deeper than any real rule (Graph caps rules at 3,072 characters): no crash, nothing decided.
  const deep = `${'('.repeat(5000)}device.trustType -eq "ServerAD"${')'.repeat(5000)}`;
  assert.equal(ruleMatches(deep, { platform: 'iOS' }), undefined);
  assert.equal(ruleMatches(`${'('.repeat(20)}device.trustType -eq "ServerAD"${')'.repeat(20)}`, { platform: 'iOS' }), false);
});

test('a device not registered in Microsoft Entra ID: every attribute null, so no positive operator matches it and every negative one does (Learn, filter for devices)', () => {
  const unregistered = { registered: false } as const;
  assert.equal(ruleMatches('device.extensionAttribute1 -eq "PAW"', unregistered), false);
  assert.equal(ruleMatches('device.displayName -contains "PAW" -or device.model -in ["Surface Hub"]', unregistered), false);
  assert.equal(ruleMatches('device.extensionAttribute1 -ne "TeamsRoom"', unregistered), true);
  assert.equal(ruleMatches('device.isCompliant -eq True', unregistered), false);
  assert.equal(ruleMatches('device.trustType -ne "AzureAD" -and device.trustType -ne "ServerAD"', unregistered), true);
  // A rule that does not parse decides nothing, registered or not.
  assert.equal(ruleMatches("device.operatingSystem == 'Windows'", unregistered), undefined);
  // Include mode takes in only what matches; exclude mode leaves it out.
  assert.equal(filterApplies(policy('include', 'device.extensionAttribute1 -eq "PAW"'), unregistered), false);
  assert.equal(filterApplies(policy('exclude', 'device.extensionAttribute1 -eq "TeamsRoom"'), unregistered), true);
  assert.equal(filterApplies(policy('exclude', 'device.trustType -ne "AzureAD"'), unregistered), false);
  // A registered device is in some join state: never the null trustType.
  assert.equal(ruleMatches('device.trustType -eq "AzureAD" -or device.trustType -eq "ServerAD" -or device.trustType -eq "Workplace"', { platform: 'iOS', registered: true }), true);
});

test('which devices a filter leaves out of its policy (deviceFilterReach): every, registered ones only, unregistered ones too, or unknown; the privileged access workstation pair leaves none', async () => {
  const ca = (name: string, mode: string, rule: string, control = 'mfa'): string =>
    caPolicyText(name, '{ includeRoles: [62e90394-69f5-4237-9190-012177145e10] }', '{ includeApplications: [All] }', [`devices: { deviceFilter: { mode: ${mode}, rule: '${rule}' } }`], `{ operator: OR, builtInControls: [${control}] }`);
  const files: Record<string, string> = {
    '/t/zerotrust.yaml': 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\n',
    '/t/paw.yaml': ca('paw', 'include', 'device.extensionAttribute1 -eq "PAW"'),
    '/t/rooms.yaml': ca('rooms', 'exclude', 'device.extensionAttribute1 -eq "TeamsRoom"'),
    '/t/not-joined.yaml': ca('not-joined', 'exclude', 'device.trustType -ne "AzureAD"'),
    '/t/not-kiosk.yaml': ca('not-kiosk', 'include', 'device.displayName -notContains "Kiosk"'),
    '/t/prose.yaml': ca('prose', 'exclude', "device.operatingSystem == 'Windows'").replace(`'device.operatingSystem == 'Windows''`, `"device.operatingSystem == 'Windows'"`),
    '/t/saw.yaml': ca('saw', 'include', 'device.extensionAttribute1 -eq "SAW"'),
    '/t/saw-block.yaml': ca('saw-block', 'exclude', 'device.extensionAttribute1 -eq "SAW"', 'block'),
  };
  const enc = new TextEncoder();
  const service = createPolicyService({ fs: { readFile: async (p) => enc.encode(files[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(files)) service.update(p, text, 1);
  const view = service.view('/t');
  const model = modelOf(view);
  const reach = (name: string) => model.deviceFilterReach(view.policies.find((p) => p.name === name)!);
  assert.equal(reach('paw'), 'some', 'an include of positive operators leaves every unregistered device out');
  assert.equal(reach('rooms'), 'registered', 'an exclude of positive operators leaves out only registered devices that match');
  assert.equal(reach('not-joined'), 'some', 'an exclude of a negative operator leaves unregistered devices out');
  assert.equal(reach('not-kiosk'), 'registered', 'an include of a negative operator takes every unregistered device in');
  assert.equal(reach('prose'), 'unknown', 'a rule that does not parse');
  assert.equal(reach('saw'), 'every', 'the devices it leaves out are blocked by the complementary filter');
});

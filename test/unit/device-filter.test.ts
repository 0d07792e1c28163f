/** Conditional Access device filters, read in three values against what is known of the device. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterApplies, ruleMatches } from '../../server/src/core/model/device-filter';
import type { PolicyFacts } from '../../server/src/core/facts';

const policy = (mode: string, rule: string): PolicyFacts => ({ spec: { conditions: { devices: { deviceFilter: { mode, rule } } } } }) as unknown as PolicyFacts;

test('trustType: only Windows devices are hybrid joined (ServerAD)', () => {
  const hybridOnly = policy('exclude', 'device.trustType -eq "ServerAD"');
  assert.equal(filterApplies(hybridOnly, { platform: 'iOS' }), true, 'no iPhone is excluded');
  assert.equal(filterApplies(hybridOnly, { platform: 'windows' }), undefined, 'a Windows PC may be hybrid joined');
  assert.equal(filterApplies(hybridOnly, { platform: 'windows', hybridJoined: true }), false);
  assert.equal(filterApplies(hybridOnly, { platform: 'windows', hybridJoined: false }), true);
  // An Android phone is registered (Workplace) or not registered at all: never Entra or hybrid joined.
  assert.equal(ruleMatches('device.trustType -in ["AzureAD", "ServerAD"]', { platform: 'android' }), false);
  assert.equal(ruleMatches('device.trustType -ne "ServerAD"', { platform: 'macOS' }), true);
});

test('trustType: only Windows devices and Macs (Platform SSO) are Microsoft Entra joined (AzureAD); iOS, Android and Linux only registered', () => {
  // As a Cyber Essentials tenant has it (CA-007): block every device but Entra-joined ones.
  const joinedOnly = policy('exclude', 'device.trustType -eq "AzureAD"');
  for (const platform of ['iOS', 'android', 'linux'] as const) {
    assert.equal(filterApplies(joinedOnly, { platform }), true, `no ${platform} device is excluded: it cannot be Entra joined`);
    assert.equal(ruleMatches('device.trustType -ne "AzureAD"', { platform }), true);
    assert.equal(ruleMatches('device.trustType -notIn ["AzureAD", "ServerAD"]', { platform }), true);
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
  // Lists, as -in and -notIn read them.
  assert.equal(ruleMatches('device.trustType -in ["AzureAD", "ServerAD", "Workplace"]', { platform: 'iOS', compliant: true }), true, 'a compliant iPhone is registered');
  assert.equal(ruleMatches('device.trustType -in ["AzureAD", "ServerAD", "Workplace"]', { platform: 'iOS' }), undefined, 'an iPhone may not be registered at all');
  assert.equal(ruleMatches('device.trustType -in ["AzureAD", "Workplace"]', { platform: 'windows', hybridJoined: true }), false);
  assert.equal(ruleMatches('device.trustType -notIn ["AzureAD"]', { platform: 'macOS' }), undefined);
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

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
  assert.equal(ruleMatches('device.trustType -in ["AzureAD", "ServerAD"]', { platform: 'android' }), undefined, 'Entra joined or registered is not known');
  assert.equal(ruleMatches('device.trustType -ne "ServerAD"', { platform: 'macOS' }), true);
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

/**
 * The one reading of a device filter rule: what Learn's filter for devices page does not accept in it, at its token
 * (`filterRuleProblems`), the schema's warning placed on those characters of the file, and a value no device has read
 * as matching no device by What If.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterRuleProblems, ruleMatches } from '../../server/src/core/device-filter-rule';
import { createPolicyService } from '../../server/src/core/service';
import { evaluate } from '../../server/src/core/whatif';

/** Each problem as `kind: the characters it is on`. */
const problems = (rule: string): string[] => filterRuleProblems(rule).map((p) => `${p.kind}: ${rule.slice(p.offset, p.offset + p.length)}`);

test("Learn's own examples, and the syntax's documented forms, have no problem", () => {
  for (const rule of [
    '(device.deviceid -eq "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb")',
    '(device.displayName -contains "ABC")',
    '(device.deviceOwnership -eq "Company")',
    '(device.enrollmentProfileName -startsWith "AutoPilot Profile")',
    '(device.isCompliant -eq "True")',
    '(device.manufacturer -startsWith "Microsoft")',
    '(device.mdmAppId -in ["00001111-aaaa-2222-bbbb-3333cccc4444"])',
    '(device.model -notContains "Surface")',
    '(device.operatingSystem -eq "Windows")',
    '(device.operatingSystemVersion -in ["10.0.18363", "10.0.19041", "10.0.19042", "10.0.22000"])',
    '(device.physicalIds -contains "[ZTDId]:value")',
    '(device.profileType -eq "Printer")',
    '(device.systemLabels -contains "M365Managed")',
    '(device.trustType -eq "ServerAD")',
    '(device.extensionAttribute1 -eq "SAW")',
    'device.extensionAttribute1 -ne "SAW"',
    'device.isCompliant -eq True -or device.trustType -eq "ServerAD"',
    '-not (device.extensionAttribute15 -eq "x") -and device.model -eq null',
    // Operators with or without the hyphen; a quote escaped as the syntax escapes it.
    'device.displayName startsWith "PAW" and device.model -eq \'O\'\'Brien\'',
    'device.displayName -eq "say `"hi`""',
  ]) {
    assert.deepEqual(problems(rule), [], rule);
  }
});

test('an attribute, an operator or a value the page does not list, and a syntax error, each on its token', () => {
  assert.deepEqual(problems('device.isManaged -eq False'), ['attribute: device.isManaged']);
  assert.deepEqual(problems('device.trustType -eq "HybridAzureADJoined"'), ['value: HybridAzureADJoined']);
  assert.deepEqual(problems('device.deviceOwnership -eq Personal'), ['syntax: Personal']);
  assert.deepEqual(problems('device.trustType -in ["AzureAD", "ServerAD"]'), ['operator: -in']);
  assert.deepEqual(problems('device.displayName -match "^PAW"'), ['operator: -match']);
  assert.deepEqual(problems('device.deviceId -in ["aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb", "PAW-01"]'), ['value: PAW-01']);
  assert.deepEqual(problems('device.trustType -eq "ServerAD" -or device.profileType -eq "Laptop"'), ['value: Laptop']);
  assert.deepEqual(problems("device.operatingSystem == 'Windows'"), ['syntax: ==']);
  assert.deepEqual(problems('(device.trustType -eq "ServerAD"'), ['syntax: (']);
  assert.deepEqual(problems('device.trustType -eq "ServerAD")'), ['syntax: )']);
  assert.deepEqual(problems('device.trustType -eq "ServerAD" -and'), ['syntax: -and']);
  assert.deepEqual(problems('trustType -eq "ServerAD"'), ['syntax: trustType']);
  assert.deepEqual(problems('device.extensionAttribute1 -eq "SAW'), ['syntax: "SAW']);
  assert.deepEqual(problems('device.model -eq ["a"]'), ['syntax: ["a"]']);
  assert.deepEqual(problems(`device.displayName -eq "${'x'.repeat(3100)}"`).map((p) => p.slice(0, 7)), ['length:']);
  // The message names the fix: the attribute a hybrid joined device has, the quotes.
  assert.match(filterRuleProblems('device.trustType -eq "HybridAzureADJoined"')[0]!.message, /matches no device: a hybrid joined device is `ServerAD`/);
  assert.match(filterRuleProblems('device.deviceOwnership -eq Personal')[0]!.message, /write `"Personal"`/);
});

test('a value no device has: its comparison matches no device, its negation every device; an unlisted attribute or operator stays unknown', () => {
  for (const platform of ['windows', 'iOS'] as const) {
    assert.equal(ruleMatches('device.trustType -eq "HybridAzureADJoined"', { platform }), false);
    assert.equal(ruleMatches('device.trustType -ne "HybridAzureADJoined"', { platform }), true);
    assert.equal(ruleMatches('device.isCompliant -eq "Yes"', { platform, compliant: true }), false);
    assert.equal(ruleMatches('device.isManaged -eq False', { platform }), undefined);
    assert.equal(ruleMatches('device.trustType -in ["AzureAD"]', { platform }), undefined);
  }
  // A list keeps the values that fit.
  assert.equal(ruleMatches('device.deviceOwnership -eq "Employee" -or device.trustType -eq "ServerAD"', { platform: 'iOS' }), false);
});

const ca = (name: string, rule: string): string =>
  `kind: ConditionalAccessPolicy\nname: ${name}\nspec:\n  displayName: ${name}\n  state: enabled\n  conditions:\n    users: { includeUsers: [All] }\n    applications: { includeApplications: [All] }\n    clientAppTypes: [all]\n    devices:\n      deviceFilter:\n        mode: include\n        rule: ${rule}\n  grantControls: { operator: OR, builtInControls: [block] }\n`;

function serviceOf(files: Record<string, string>) {
  const enc = new TextEncoder();
  const service = createPolicyService({ fs: { readFile: async (p) => enc.encode(files[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(files)) service.update(p, text, 1);
  return service;
}

test('the schema warning sits on the token, however the file quotes the rule', () => {
  const files: Record<string, string> = {
    '/t/zerotrust.yaml': 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\n',
    '/t/single.yaml': ca('single', `'device.trustType -eq "Hybrid" -and device.model -eq ''x'''`),
    '/t/double.yaml': ca('double', '"device.model -eq \\"x\\" -and device.trustType -eq \\"Hybrid\\""'),
    '/t/plain.yaml': ca('plain', 'device.model -eq "x" -and device.trustType -eq "Hybrid"'),
    '/t/escaped.yaml': ca('escaped', '"device.model -eq \\u0022\\u00e9\\u0022 -and device.trustType -eq \\"Hybrid\\""'),
    '/t/folded.yaml': ca('folded', '>-\n          device.trustType -eq "Hybrid"'),
    '/t/raw.json': JSON.stringify({ displayName: 'raw', state: 'enabled', conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'], devices: { deviceFilter: { mode: 'include', rule: 'device.model -eq "\u00e9" -and device.isManaged -eq True' } } }, grantControls: { operator: 'OR', builtInControls: ['block'] } }, null, 2).replace('\u00e9', '\\u00e9'),
  };
  const service = serviceOf(files);
  const on = (path: string): string[] =>
    service
      .findings('/t')
      .filter((f) => f.ruleId === 'schema' && f.file === path)
      .map((f) => files[path]!.slice(f.span.offset, f.span.offset + f.span.length));
  assert.deepEqual(on('/t/single.yaml'), ['Hybrid']);
  assert.deepEqual(on('/t/double.yaml'), ['Hybrid']);
  assert.deepEqual(on('/t/plain.yaml'), ['Hybrid']);
  assert.deepEqual(on('/t/escaped.yaml'), ['Hybrid']);
  // A folded block scalar: the whole value, as the schema's other findings on a value.
  assert.deepEqual(on('/t/folded.yaml'), ['>-\n          device.trustType -eq "Hybrid"']);
  assert.deepEqual(on('/t/raw.json'), ['device.isManaged']);
});

test('What If: a rule that matches no device leaves the policy out, and says why; one it cannot read may apply, naming the token', () => {
  const service = serviceOf({
    '/t/zerotrust.yaml': 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\n',
    '/t/hybrid.yaml': ca('hybrid', `'device.trustType -eq "HybridAzureADJoined"'`),
    '/t/managed.yaml': ca('managed', `'device.isManaged -eq False'`),
  });
  const r = evaluate(service.view('/t'), { user: 'u@example.com', platform: 'windows', app: 'All', clientApp: 'browser' });
  const hybrid = r.policies.find((p) => p.name === 'hybrid')!;
  assert.equal(hybrid.applies, false);
  assert.match(hybrid.why ?? '', /leaves this device out: `HybridAzureADJoined` is not a value `trustType` takes/);
  const managed = r.policies.find((p) => p.name === 'managed')!;
  assert.equal(managed.applies, true);
  assert.ok(r.warnings.some((w) => w.includes('managed: the device filter (include: device.isManaged -eq False) holds `device.isManaged`, which Learn\'s filter for devices page does not document')));
});

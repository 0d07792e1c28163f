/** The schemas: generated from Graph metadata, current, described, and strict enough to catch typos on the right line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchemas } from '../../scripts/schema-gen/generate';
import { parseText } from '../../server/src/core/document';
import { collectFacts } from '../../server/src/core/facts';
import { validatePolicy } from '../../server/src/core/schema/validator';
import { createPolicyService } from '../../server/src/core/service';
import { FIXTURES } from '../harness/fixtures';

const ROOT = join(__dirname, '..', '..');
const SCHEMAS = join(ROOT, 'schemas');

test('the committed schemas are what the generator makes from schemas/src', () => {
  const { files } = generateSchemas(join(SCHEMAS, 'src'));
  for (const [name, schema] of files) {
    const onDisk = readFileSync(join(SCHEMAS, name), 'utf8');
    assert.equal(onDisk, JSON.stringify(schema, null, 2) + '\n', `schemas/${name} is stale: run npm run schemas`);
  }
});

test('the repo copy of graph-types.json holds the metadata of shared/domain when that is present and of the same snapshot', () => {
  let shared: { source?: string; snapshot?: { date: string }; v1_0: unknown; beta: unknown };
  try {
    shared = JSON.parse(readFileSync(join(ROOT, '..', 'shared', 'domain', 'graph-types.json'), 'utf8'));
  } catch {
    return;
  }
  const repo = JSON.parse(readFileSync(join(SCHEMAS, 'src', 'graph-types.json'), 'utf8')) as typeof shared & { snapshot: { date: string; source: string } };
  // A refresh from newer metadata (docs/schemas.md) replaces the repo copy; only the same snapshot must match.
  const sameSnapshot = shared.snapshot ? shared.snapshot.date === repo.snapshot.date : (shared.source ?? '').startsWith(repo.snapshot.source);
  if (!sameSnapshot) return;
  assert.deepEqual(repo.v1_0, shared.v1_0);
  assert.deepEqual(repo.beta, shared.beta);
});

function walkProperties(schema: unknown, visit: (name: string, prop: Record<string, unknown>, where: string) => void, where = ''): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  const props = s.properties as Record<string, Record<string, unknown>> | undefined;
  if (props) for (const [k, v] of Object.entries(props)) visit(k, v, `${where}.${k}`);
  for (const [k, v] of Object.entries(s)) if (typeof v === 'object') walkProperties(v, visit, `${where}/${k}`);
}

test('every property in every schema has a description', () => {
  const missing: string[] = [];
  for (const f of readdirSync(SCHEMAS).filter((n) => n.endsWith('.schema.json'))) {
    walkProperties(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')), (name, prop, where) => {
      if (typeof prop.description !== 'string' || prop.description.length < 8) missing.push(`${f}${where} (${name})`);
    });
  }
  assert.deepEqual(missing.slice(0, 20), []);
});

test('every described property comes from our own words, not the generator fallback', () => {
  const { missingDescriptions } = generateSchemas(join(SCHEMAS, 'src'));
  assert.deepEqual(missingDescriptions, []);
});

test('beta-only properties are marked, v1.0 ones are not', () => {
  const compliance = JSON.parse(readFileSync(join(SCHEMAS, 'compliance-policy.schema.json'), 'utf8'));
  const win = compliance.definitions.windows10CompliancePolicy.properties;
  assert.equal(win.tpmRequired['x-betaOnly'], true);
  assert.match(win.tpmRequired.description, /beta/i);
  assert.equal(win.bitLockerEnabled['x-betaOnly'], undefined);
  assert.equal(compliance.definitions.androidDeviceOwnerCompliancePolicy['x-betaOnly'], true);
});

test('every property the facts file names for the Intune kinds is in the schemas', () => {
  const compliance = JSON.parse(readFileSync(join(SCHEMAS, 'compliance-policy.schema.json'), 'utf8'));
  const names = (t: string): string[] => Object.keys(compliance.definitions[t].properties);
  for (const p of ['deviceThreatProtectionRequiredSecurityLevel', 'advancedThreatProtectionRequiredSecurityLevel', 'securityBlockJailbrokenDevices', 'passcodeRequired', 'scheduledActionsForRule']) {
    assert.ok(names('iosCompliancePolicy').includes(p), `iosCompliancePolicy.${p}`);
  }
  for (const p of ['tpmRequired', 'defenderEnabled', 'rtpEnabled', 'deviceThreatProtectionEnabled', 'validOperatingSystemBuildRanges', 'roleScopeTagIds']) {
    assert.ok(names('windows10CompliancePolicy').includes(p), `windows10CompliancePolicy.${p}`);
  }
  const mam = JSON.parse(readFileSync(join(SCHEMAS, 'app-protection-policy.schema.json'), 'utf8'));
  for (const p of ['pinRequired', 'maximumAllowedDeviceThreatLevel', 'mobileThreatDefenseRemediationAction', 'appActionIfDeviceComplianceRequired', 'deviceComplianceRequired', 'apps', 'assignments']) {
    assert.ok(Object.keys(mam.definitions.androidManagedAppProtection.properties).includes(p), `androidManagedAppProtection.${p}`);
  }
  const defender = JSON.parse(readFileSync(join(SCHEMAS, 'defender-connector.schema.json'), 'utf8'));
  for (const p of ['windowsEnabled', 'macEnabled', 'iosMobileApplicationManagementEnabled', 'windowsMobileApplicationManagementEnabled', 'partnerState']) {
    assert.ok(Object.keys(defender.definitions.mobileThreatDefenseConnector.properties).includes(p), `mobileThreatDefenseConnector.${p}`);
  }
});

const EXAMPLE = join(FIXTURES, 'schema', 'ok-format-examples');

test("the format contract's examples validate", () => {
  for (const f of ['compliance/win-compliance-baseline.yaml', 'dlp/dlp-block-usb.yaml']) {
    const facts = collectFacts(parseText(f, readFileSync(join(EXAMPLE, f), 'utf8')));
    assert.equal(facts.type, 'policy');
    if (facts.type === 'policy') assert.deepEqual(facts.schemaIssues, [], f);
  }
  const manifest = collectFacts(parseText('/t/zerotrust.yaml', readFileSync(join(EXAMPLE, 'zerotrust.yaml'), 'utf8')));
  assert.equal(manifest.type, 'manifest');
  if (manifest.type === 'manifest') assert.deepEqual(manifest.schemaIssues, []);
});

/** Every key of the examples, misspelt, is reported by `schema` on that key's line. */
for (const file of ['zerotrust.yaml', 'compliance/win-compliance-baseline.yaml', 'dlp/dlp-block-usb.yaml']) {
  test(`a typo in any key of ${file} is reported on its line`, async () => {
    const text = readFileSync(join(EXAMPLE, file), 'utf8');
    const lines = text.split('\n');
    let checked = 0;
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*(?:- )?)([A-Za-z@"][\w@."]*):/.exec(lines[i]!);
      if (!m) continue;
      const key = m[2]!;
      // Keys under `teams` are free names, not properties.
      if (/^\s{2}(identity|endpoint|threat|data):/.test(lines[i]!)) continue;
      const typo = key.startsWith('"') ? key.replace(/"$/, 'x"') : `${key}x`;
      const mutated = [...lines];
      mutated[i] = lines[i]!.replace(key + ':', typo + ':');
      const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
      service.update(join('/t', 'zerotrust.yaml'), file === 'zerotrust.yaml' ? mutated.join('\n') : readFileSync(join(EXAMPLE, 'zerotrust.yaml'), 'utf8'), 1);
      if (file !== 'zerotrust.yaml') service.update(join('/t', file), mutated.join('\n'), 1);
      const findings = service.analyzeAll().filter((f) => f.file === join('/t', file) && (f.ruleId === 'schema' || f.ruleId === 'unknown-kind'));
      const onLine = findings.filter((f) => service.get(f.file)!.parsed.lines.positionAt(f.span.offset).line === i);
      assert.ok(onLine.length > 0, `typo ${typo} on line ${i + 1} of ${file} not reported there: ${JSON.stringify(findings.map((f) => f.message))}`);
      checked++;
    }
    assert.ok(checked >= 8, `checked ${checked} keys`);
  });
}

test('enum errors name the allowed values and the closest match', () => {
  const issues = validatePolicy('ConditionalAccessPolicy', {
    kind: 'ConditionalAccessPolicy',
    name: 'x',
    spec: { displayName: 'x', state: 'enabled', conditions: { applications: { includeApplications: ['All'] }, platforms: { includePlatforms: ['windows11'] } }, grantControls: { operator: 'OR', builtInControls: ['mfa'] } },
  });
  assert.equal(issues.length, 1);
  assert.match(issues[0]!.message, /^`windows11` is not a platform; expected one of /);
  for (const p of ['windows', 'macOS', 'iOS', 'android', 'linux']) assert.ok(issues[0]!.message.includes(p), p);
  assert.match(issues[0]!.message, /did you mean `windows`/);
  assert.deepEqual(issues[0]!.path, ['spec', 'conditions', 'platforms', 'includePlatforms', 0]);
});

test('the manifest takes settings.coManagement.complianceWorkload, and a misspelt workload is an error with the closest match', () => {
  const manifest = (workload: string, key = 'complianceWorkload') => {
    const facts = collectFacts(parseText('/t/zerotrust.yaml', `kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\nsettings:\n  secureByDefault: true\n  coManagement:\n    ${key}: ${workload}\n`));
    assert.equal(facts.type, 'manifest');
    return { schemaIssues: facts.type === 'manifest' ? facts.schemaIssues : [] };
  };
  for (const ok of ['configurationManager', 'pilotIntune', 'intune']) assert.deepEqual(manifest(ok).schemaIssues, [], ok);
  const typo = manifest('configurationManger').schemaIssues;
  assert.equal(typo.length, 1);
  assert.match(typo[0]!.message, /^`configurationManger` is not a compliance workload; expected one of configurationManager, pilotIntune, intune \(did you mean `configurationManager`\?\)$/);
  assert.deepEqual(typo[0]!.path, ['settings', 'coManagement', 'complianceWorkload']);
  const key = manifest('intune', 'complianceWorkloads').schemaIssues;
  assert.equal(key.length, 1);
  assert.match(key[0]!.message, /did you mean `complianceWorkload`/);
});

test('the manifest takes the Endpoint Protection and Device configuration workloads with the compliance slider\'s values; an unknown value or a misspelt key is an error with the closest match (review I, round 24: t10-comanaged)', () => {
  const manifest = (key: string, workload: string) => {
    const facts = collectFacts(parseText('/t/zerotrust.yaml', `kind: Tenant\nname: t\nlicenses: [M365_E3]\nplatforms: [windows]\nsettings:\n  secureByDefault: true\n  coManagement:\n    complianceWorkload: configurationManager\n    ${key}: ${workload}\n`));
    assert.equal(facts.type, 'manifest');
    return facts.type === 'manifest' ? facts.schemaIssues : [];
  };
  for (const key of ['endpointProtectionWorkload', 'deviceConfigurationWorkload']) {
    for (const ok of ['configurationManager', 'pilotIntune', 'intune']) assert.deepEqual(manifest(key, ok), [], `${key}: ${ok}`);
    const typo = manifest(key, 'configurationManger');
    assert.equal(typo.length, 1, key);
    assert.match(typo[0]!.message, /^`configurationManger` is not (an endpoint protection|a device configuration) workload; expected one of configurationManager, pilotIntune, intune \(did you mean `configurationManager`\?\)$/);
    assert.deepEqual(typo[0]!.path, ['settings', 'coManagement', key]);
  }
  const key = manifest('endpointProtectionWorkloads', 'intune');
  assert.equal(key.length, 1);
  assert.match(key[0]!.message, /did you mean `endpointProtectionWorkload`/);
});

test('a wrong @odata.type names the accepted types, and nothing else is reported under it', () => {
  const issues = validatePolicy('CompliancePolicy', { kind: 'CompliancePolicy', name: 'x', spec: { '@odata.type': '#microsoft.graph.windows11CompliancePolicy', nonsense: 1 } });
  assert.equal(issues.length, 1);
  assert.match(issues[0]!.message, /windows10CompliancePolicy/);
});

test('Graph export annotations are accepted, not reported', () => {
  const issues = validatePolicy('CompliancePolicy', {
    kind: 'CompliancePolicy',
    name: 'x',
    spec: {
      '@odata.type': '#microsoft.graph.iosCompliancePolicy',
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#x',
      'roleScopeTagIds@odata.type': '#Collection(String)',
      roleScopeTagIds: ['0'],
      '#microsoft.graph.assign': { title: 'assign', target: 'x' },
      id: '1',
      createdDateTime: '2024-01-01T00:00:00Z',
      version: 1,
      displayName: 'x',
      description: null,
    },
  });
  assert.deepEqual(issues, []);
});

test('externalTenants: `membershipKind: all` without `@odata.type` is all external tenants; an enumerated list must say its type', () => {
  const policy = (externalTenants: Record<string, unknown>) => ({
    kind: 'ConditionalAccessPolicy',
    name: 'ca-guests-mfa',
    spec: {
      displayName: 'Guests - Require MFA',
      state: 'enabled',
      conditions: {
        users: { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'b2bCollaborationGuest,serviceProvider', externalTenants } },
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    },
  });
  assert.deepEqual(validatePolicy('ConditionalAccessPolicy', policy({ membershipKind: 'all' })), []);
  assert.deepEqual(validatePolicy('ConditionalAccessPolicy', policy({ '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' })), []);
  const enumerated = validatePolicy('ConditionalAccessPolicy', policy({ membershipKind: 'enumerated', members: ['cb95ad24-5d0c-4a8e-9f36-2a1b7c4d8e90'] }));
  assert.ok(enumerated.some((i) => /@odata\.type/.test(i.message)), JSON.stringify(enumerated));
});

test('what Graph refuses between properties: Autopilot name templates, password change grants', async () => {
  const { constraintIssues } = await import('../../server/src/core/schema/graph-constraints');
  const autopilot = (deviceNameTemplate: string, type = 'azureADWindowsAutopilotDeploymentProfile') =>
    constraintIssues('AutopilotProfile', { spec: { '@odata.type': `#microsoft.graph.${type}`, deviceNameTemplate } }).map((i) => i.message);
  assert.deepEqual(autopilot('CTS-%RAND:8%'), []);
  assert.deepEqual(autopilot('CONTOSO-LAPTOP-%SERIAL%'), [], 'the serial number is cut to fit');
  assert.match(autopilot('CONTOSO-LAPTOP-X-%SERIAL%')[0]!, /names of 17 characters before the serial number/);
  assert.match(autopilot('CTS %RAND:4%')[0]!, /also has a space/);
  assert.match(autopilot('12345')[0]!, /digits only/);
  assert.deepEqual(autopilot('ANY NAME AT ALL', 'activeDirectoryWindowsAutopilotDeploymentProfile'), []);
  const ca = (grantControls: Record<string, unknown>, conditions: Record<string, unknown> = { userRiskLevels: ['high'] }) =>
    constraintIssues('ConditionalAccessPolicy', { spec: { conditions: { applications: { includeApplications: ['All'] }, ...conditions }, grantControls } }).map((i) => i.path.join('.'));
  assert.deepEqual(ca({ operator: 'AND', builtInControls: ['mfa', 'passwordChange'] }), []);
  assert.deepEqual(ca({ operator: 'AND', builtInControls: ['passwordChange'], authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' } }), []);
  assert.deepEqual(ca({ operator: 'OR', builtInControls: ['mfa', 'passwordChange'] }), ['spec.grantControls.operator']);
  assert.deepEqual(ca({ operator: 'AND', builtInControls: ['mfa', 'passwordChange'] }, {}), ['spec.grantControls.builtInControls.1']);
  // A password change is for All resources, with no condition but users, applications and user risk (`clientAppTypes:
  // [all]` and a raw export's nulls are none); beside another control than MFA, a warning (the portal's restriction).
  const pc = (conditions: Record<string, unknown>, builtInControls = ['mfa', 'passwordChange']) =>
    constraintIssues('ConditionalAccessPolicy', { spec: { conditions: { applications: { includeApplications: ['All'] }, userRiskLevels: ['high'], ...conditions }, grantControls: { operator: 'AND', builtInControls } } }).map((i) => `${i.severity ?? 'error'} ${i.message.slice(0, 80)}`);
  assert.deepEqual(pc({ clientAppTypes: ['all'], platforms: null, locations: { includeLocations: [] }, signInRiskLevels: [] }), []);
  assert.match(pc({ applications: { includeApplications: ['Office365'] } })[0]!, /^error `passwordChange` requires a policy for All resources/);
  assert.match(pc({ applications: { includeApplications: ['All'], excludeApplications: ['x'] } })[0]!, /^error `passwordChange` requires a policy for All resources/);
  assert.match(pc({ locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } })[0]!, /^error `passwordChange` is only allowed in a policy whose conditions/);
  assert.match(pc({ clientAppTypes: ['browser'] })[0]!, /^error `passwordChange` is only allowed in a policy whose conditions/);
  assert.match(pc({}, ['mfa', 'passwordChange', 'compliantDevice'])[0]!, /^warning `passwordChange` cannot be combined with other controls/);
  // Session controls Graph takes but that do not do what they say: warnings.
  const session = (applications: string[], sessionControls: Record<string, unknown>) =>
    constraintIssues('ConditionalAccessPolicy', { spec: { conditions: { applications: { includeApplications: applications } }, sessionControls } }).map((i) => `${i.severity ?? 'error'} ${i.path.join('.')}`);
  assert.deepEqual(session(['Office365'], { persistentBrowser: { isEnabled: true, mode: 'never' } }), ['warning spec.sessionControls.persistentBrowser']);
  assert.deepEqual(session(['All'], { persistentBrowser: { isEnabled: true, mode: 'never' } }), []);
  assert.deepEqual(session(['Office365'], { persistentBrowser: { isEnabled: false, mode: 'never' } }), []);
  assert.deepEqual(session(['All'], { signInFrequency: { isEnabled: true, frequencyInterval: 'everyTime', type: 'hours', value: 4 } }), ['warning spec.sessionControls.signInFrequency.type']);
  assert.deepEqual(session(['All'], { signInFrequency: { isEnabled: true, frequencyInterval: 'everyTime', type: null, value: null } }), []);
  // A period no timed frequency takes (`value: 0`, as a CIPP template holds) offers no timed frequency in its stead.
  const everyTimeMessage = (value: unknown) =>
    constraintIssues('ConditionalAccessPolicy', { spec: { conditions: { applications: { includeApplications: ['All'] } }, sessionControls: { signInFrequency: { isEnabled: true, frequencyInterval: 'everyTime', type: 'hours', value } } } })[0]!.message;
  assert.match(everyTimeMessage(4), /Remove `type` and `value`, or set `frequencyInterval: timeBased` if a reauthentication every 4 hours was meant$/);
  assert.match(everyTimeMessage(0), /Remove `type` and `value`$/);
  assert.deepEqual(session(['All'], { signInFrequency: { isEnabled: true, frequencyInterval: 'timeBased', type: 'hours', value: 4 } }), []);
  // Graph requires `conditions.applications`, and spells its lists' keywords `All`, `AllTrusted`…
  const grant = { operator: 'OR', builtInControls: ['block'] };
  assert.deepEqual(constraintIssues('ConditionalAccessPolicy', { spec: { conditions: { users: { includeUsers: ['All'] } }, grantControls: grant } }).map((i) => i.path.join('.')), ['spec.conditions']);
  assert.deepEqual(
    constraintIssues('ConditionalAccessPolicy', { spec: { conditions: { applications: { includeApplications: ['all'] }, users: { includeUsers: ['none'], excludeUsers: ['GuestsOrExternalUsers'] }, locations: { excludeLocations: ['alltrusted'] } }, grantControls: grant } }).map((i) => i.path.join('.')),
    ['spec.conditions.users.includeUsers.0', 'spec.conditions.applications.includeApplications.0', 'spec.conditions.locations.excludeLocations.0'],
  );
  // A grant or a session control is required; `grantControls` under `conditions` is the usual cause of neither. A raw
  // export that leaves both out (a `$select` list) says nothing of them.
  const apps = { applications: { includeApplications: ['All'] }, users: { includeUsers: ['All'] } };
  assert.deepEqual(constraintIssues('ConditionalAccessPolicy', { spec: { conditions: apps } }).map((i) => i.path.join('.')), ['spec']);
  assert.deepEqual(constraintIssues('ConditionalAccessPolicy', { spec: { conditions: { ...apps, grantControls: grant } } }).map((i) => i.path.join('.')), ['spec.conditions']);
  assert.deepEqual(constraintIssues('ConditionalAccessPolicy', { spec: { conditions: apps, grantControls: null, sessionControls: { signInFrequency: { isEnabled: true, type: 'hours', value: 4 } } } }), []);
  assert.deepEqual(constraintIssues('ConditionalAccessPolicy', { spec: { conditions: apps, grantControls: null, sessionControls: null } }).map((i) => i.path.join('.')), ['spec.grantControls']);
  // A v1.0 export of a policy whose only session control is beta's (continuous access evaluation) holds the object with
  // every v1.0 property null: it may hold a control, so it is no finding.
  assert.deepEqual(constraintIssues('ConditionalAccessPolicy', { spec: { conditions: apps, grantControls: null, sessionControls: { signInFrequency: null, persistentBrowser: null } } }), []);
  assert.deepEqual(constraintIssues('ConditionalAccessPolicy', { spec: { conditions: apps } }, true), []);
  // `AllAgentIdUsers` is Graph's keyword for the agents' user accounts.
  assert.deepEqual(constraintIssues('ConditionalAccessPolicy', { spec: { conditions: { ...apps, users: { includeUsers: ['AllAgentIdUsers'] } }, grantControls: grant } }), []);
});

test('a flags property written as a list is told to be one comma-separated string, with the values', () => {
  const issues = validatePolicy('ConditionalAccessPolicy', {
    kind: 'ConditionalAccessPolicy',
    name: 'ca-partners',
    spec: {
      displayName: 'Partners - MFA',
      state: 'enabled',
      conditions: {
        users: { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: ['b2bCollaborationGuest', 'b2bCollaborationMember'], externalTenants: { membershipKind: 'all' } } },
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    },
  });
  assert.deepEqual(
    issues.map((i) => i.message.replace(/ \(values: .*$/, '')),
    ['`guestOrExternalUserTypes` is one string of comma-separated values in Graph, not a list: write `b2bCollaborationGuest,b2bCollaborationMember`'],
  );
});

test('text written unquoted that YAML or JSON reads as a number or a boolean: the message names what was written and says to quote it', () => {
  const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  const ios = (version: string): string => `kind: CompliancePolicy\nname: ios\nspec:\n  "@odata.type": "#microsoft.graph.iosCompliancePolicy"\n  displayName: ios\n  osMinimumVersion: ${version}\n`;
  service.update('/t/a.yaml', ios('17.0'), 1);
  service.update('/t/b.yaml', ios('true'), 1);
  service.update('/t/c.json', JSON.stringify({ kind: 'CompliancePolicy', name: 'c', spec: { '@odata.type': '#microsoft.graph.iosCompliancePolicy', displayName: 'c' } }).replace(/}}$/, ', "osMinimumVersion": 16.40}}'), 1);
  service.markExplicit('/t/a.yaml');
  service.markExplicit('/t/b.yaml');
  service.markExplicit('/t/c.json');
  const messages = service.analyzeAll().filter((f) => f.ruleId === 'schema').map((f) => `${f.file} ${f.message}`).sort();
  assert.deepEqual(messages, [
    '/t/a.yaml `osMinimumVersion` must be text: YAML read `17.0` as the number 17; write it in quotes, `"17.0"`',
    '/t/b.yaml `osMinimumVersion` must be text: YAML read `true` as the boolean true; write it in quotes, `"true"`',
    '/t/c.json `osMinimumVersion` must be text: JSON read `16.40` as the number 16.4; write it in quotes, `"16.40"`',
  ]);
});

test('a YAML merge key (`<<: *base`) is said to be unsupported (its keys are not merged), an error, not Graph metadata drift', () => {
  const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  service.update(
    '/t/ca.yaml',
    'kind: ConditionalAccessPolicy\nname: ca\nspec:\n  displayName: ca\n  state: enabled\n  conditions:\n    applications: { includeApplications: [All] }\n    users: { includeUsers: [All] }\n    locations:\n      <<: { includeLocations: [All] }\n      excludeLocations: [AllTrusted]\n  grantControls: { operator: OR, builtInControls: [mfa] }\n',
    1,
  );
  service.markExplicit('/t/ca.yaml');
  const merge = service.analyzeAll().filter((f) => f.ruleId === 'schema');
  assert.deepEqual(merge.map((f) => [f.severity, f.message]), [
    ['error', 'YAML merge keys (`<<`) are not supported in policy files: the keys it would merge in are not read (and Graph refuses a `<<` property); write those keys out here in its place'],
  ]);
});

test('role names: Learn\'s current names and known other names are roles; another name is a warning, with a hint only for a typo', async () => {
  const { constraintIssues } = await import('../../server/src/core/schema/graph-constraints');
  const roles = (includeRoles: string[]) =>
    constraintIssues('ConditionalAccessPolicy', {
      spec: { conditions: { applications: { includeApplications: ['All'] }, users: { includeRoles } }, grantControls: { operator: 'OR', builtInControls: ['mfa'] } },
    });
  // Learn's "Microsoft Entra built-in roles" (ms.date 2026-01-20) lists these; MSOnline named Global Administrator
  // "Company Administrator" (Learn, Add-MsolRoleMember).
  assert.deepEqual(roles(['AI Administrator', 'Teams Telephony Administrator', 'Agent ID Administrator', 'Windows 365 Administrator', 'Microsoft 365 Backup Administrator', 'Company Administrator', 'azure ad joined device local administrator']), []);
  const [typo, far, word] = [roles(['Securty Administrator'])[0]!, roles(['Copilot Studio Administrator'])[0]!, roles(['Compny Admin'])[0]!];
  for (const issue of [typo, far, word]) assert.equal(issue.severity, 'warning', issue.message);
  assert.match(typo.message, /not .* in this tool's list \(Learn's "Microsoft Entra built-in roles" of 2026-01-20; did you mean `Security Administrator`\?\)/);
  assert.match(far.message, /^`Copilot Studio Administrator` in `includeRoles` is not a directory role's template id \(a GUID\), nor a built-in Entra role name in this tool's list \(Learn's "Microsoft Entra built-in roles" of 2026-01-20\): Graph takes the template id, and `ztp export` cannot write one/);
  assert.doesNotMatch(far.message, /did you mean/);
  // A near miss of the old name is told that name (read as Global Administrator), never a different role.
  assert.match(word.message, /did you mean `Company Administrator`/);
  const { roleNameHint } = await import('../../server/src/core/directory-roles');
  assert.equal(roleNameHint('Compliance Admin'), 'Compliance Administrator');
  assert.equal(roleNameHint('Edge Admin'), 'Edge Administrator');
  for (const name of ['Company Administrators Group', 'Copilot Administrator', 'Tier 0 operators', 'Device Admins Group']) assert.equal(roleNameHint(name), undefined, name);
});

test('role names: deprecated and portal-hidden built-in roles and the AzureAD module\'s older names are roles, not warnings', async () => {
  const { constraintIssues } = await import('../../server/src/core/schema/graph-constraints');
  const { builtInRoleId } = await import('../../server/src/core/directory-roles');
  // A CA policy written with the AzureAD module's `Get-AzureADDirectoryRole` display names, and the roles Learn lists
  // under "Deprecated roles" and "Roles not shown in the portal" (permissions-reference, 2026-01-20).
  const includeRoles = [
    'Exchange Service Administrator', 'SharePoint Service Administrator', 'Lync Service Administrator', 'CRM Service Administrator',
    'Power BI Service Administrator', 'Power BI Administrator', 'Intune Service Administrator', 'Teams Service Administrator',
    'User Account Administrator', 'Device Administrators', 'Helpdesk Administrator', 'Password Administrator',
    'Device Join', 'Device Users', 'Device Managers', 'Workplace Device Join', 'Guest User', 'Restricted Guest User', 'User',
    'Directory Synchronization Accounts', 'Partner Tier1 Support', 'Partner Tier 2 Support', 'Modern Commerce Administrator',
  ];
  const issues = constraintIssues('ConditionalAccessPolicy', {
    spec: { conditions: { applications: { includeApplications: ['All'] }, users: { includeUsers: ['All'], includeRoles } }, grantControls: { operator: 'OR', builtInControls: ['mfa'] } },
  });
  assert.deepEqual(issues.map((i) => i.message), []);
  // An older name is the role it names today: the same template id (Learn's "Role template IDs", 2020-04-29).
  for (const [old, now] of [
    ['Exchange Service Administrator', 'Exchange Administrator'],
    ['SharePoint Service Administrator', 'SharePoint Administrator'],
    ['Lync Service Administrator', 'Skype for Business Administrator'],
    ['CRM Service Administrator', 'Dynamics 365 Administrator'],
    ['Power BI Service Administrator', 'Fabric Administrator'],
    ['Power BI Administrator', 'Fabric Administrator'],
    ['Intune Service Administrator', 'Intune Administrator'],
    ['Teams Service Administrator', 'Teams Administrator'],
    ['User Account Administrator', 'User Administrator'],
    ['Device Administrators', 'Microsoft Entra Joined Device Local Administrator'],
    ['Partner Tier 1 Support', 'Partner Tier1 Support'],
  ]) assert.equal(builtInRoleId(old!), builtInRoleId(now!), old);
  assert.equal(builtInRoleId('Device Join'), '9c094953-4995-41c8-84c8-3ebb9b32c93f');
  assert.equal(builtInRoleId('guest user'), '10dae51f-b6af-4016-8d66-8c2a99b929b3');
  assert.equal(builtInRoleId('Restricted Guest User'), '2af84b1e-32c8-42b7-82bc-daa82404023b');
  assert.equal(builtInRoleId('User'), 'a0b1b346-4d3e-4e8b-98f8-753987be4970');
  // Learn names these deprecated roles with no template id on any page: still the not-in-this-list warning.
  for (const name of ['Mailbox Administrator', 'Email Verified User Creator']) assert.equal(builtInRoleId(name), undefined, name);
});

test('the repro of current and legacy role names gets no schema finding, in a policy or the manifest', () => {
  const service = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] } });
  service.update('/t/zerotrust.yaml', 'kind: Tenant\nname: roles\nlicenses: [M365_E5]\nplatforms: [windows]\nbreakGlass:\n  users: [bg-01@contoso.onmicrosoft.com]\n  roles: [Global Administrator, Company Administrator, Not A Role Name]\n', 1);
  service.update('/t/ca/ca002.yaml', 'kind: ConditionalAccessPolicy\nname: ca002\nspec:\n  displayName: CA002\n  state: enabled\n  conditions:\n    users:\n      includeRoles: [Global Administrator, AI Administrator, Teams Telephony Administrator, Agent ID Administrator]\n      excludeUsers: [bg-01@contoso.onmicrosoft.com]\n    applications:\n      includeApplications: [All]\n    clientAppTypes: [all]\n  grantControls:\n    operator: OR\n    builtInControls: [mfa]\n', 1);
  const schema = service.analyzeTenant('/t').filter((f) => f.ruleId === 'schema');
  assert.deepEqual(schema.map((f) => [f.severity, f.message.split(' in ')[0]]), [['warning', '`Not A Role Name`']]);
  assert.match(schema[0]!.message, /the checks match it to a policy's role only by this same name, not by the role's template id, so write the template id$/);
});

test('settings.defenderOnboarding: the two values per platform validate; a misspelt value or platform is an error with a suggestion, and declares nothing', async () => {
  const { readDeclaredFacts } = await import('../../server/src/core/model/declared');
  const manifest = (settings: string) => collectFacts(parseText('/t/zerotrust.yaml', `kind: Tenant\nname: gpo\nlicenses: [M365_E5]\nsettings:\n  defenderOnboarding:\n${settings}`));
  const issues = (settings: string) => {
    const m = manifest(settings);
    return m.type === 'manifest' ? m.schemaIssues.map((i) => i.message) : ['not a manifest'];
  };
  const declared = (settings: string) => {
    const m = manifest(settings);
    return m.type === 'manifest' ? readDeclaredFacts(m, new Date('2026-06-01T00:00:00Z')).defenderOnboarding : undefined;
  };
  const good = '    windows: outsideIntune   # the "MDE Onboarding" GPO\n    macOS: intune\n';
  assert.deepEqual(issues(good), []);
  assert.deepEqual(declared(good), { windows: 'outsideIntune', macOS: 'intune' });
  assert.deepEqual(issues('    windows: outsideIntue\n'), ['`outsideIntue` is not a Defender onboarding value; expected one of intune, outsideIntune (did you mean `outsideIntune`?)']);
  assert.deepEqual(declared('    windows: outsideIntue\n'), {});
  assert.deepEqual(issues('    Windows: outsideIntune\n'), ['`Windows` is not a property of `defenderOnboarding`; did you mean `windows`?']);
  assert.deepEqual(declared('    Windows: outsideIntune\n'), {});
  assert.deepEqual(issues('    windows: GPO\n'), ['`GPO` is not a Defender onboarding value; expected one of intune, outsideIntune']);
});

test('co-management sliders the console cannot hold (Endpoint Protection further from Intune than Device configuration) are a warning naming the fix; the positions it can hold are silent (audit round 24)', () => {
  const issues = (ep: string, dc: string) => {
    const facts = collectFacts(parseText('/t/zerotrust.yaml', `kind: Tenant\nname: t\nlicenses: [M365_E3]\nplatforms: [windows]\nsettings:\n  coManagement:\n    endpointProtectionWorkload: ${ep}\n    deviceConfigurationWorkload: ${dc}\n`));
    return facts.type === 'manifest' ? facts.schemaIssues : [];
  };
  const held = issues('configurationManager', 'intune');
  assert.equal(held.length, 1);
  assert.equal(held[0]!.severity, 'warning');
  assert.deepEqual(held[0]!.path, ['settings', 'coManagement', 'endpointProtectionWorkload']);
  assert.match(held[0]!.message, /^`endpointProtectionWorkload: configurationManager` with `deviceConfigurationWorkload: intune` is a position the co-management console cannot hold: moving Device configuration to Intune moves Endpoint Protection with it.*Set `endpointProtectionWorkload: intune`/);
  assert.equal(issues('configurationManager', 'pilotIntune').length, 1);
  assert.equal(issues('pilotIntune', 'intune').length, 1);
  for (const [ep, dc] of [['intune', 'configurationManager'], ['intune', 'intune'], ['pilotIntune', 'pilotIntune'], ['configurationManager', 'configurationManager'], ['intune', 'pilotIntune']]) assert.deepEqual(issues(ep!, dc!), [], `${ep} with ${dc}`);
});

test('licences: the Education plans A1 and A5 Security are licences; a refused one says it declares nothing, and its hint keeps to its family and tier (round 27: p10-edu-a5-security, p01-edu-a1)', () => {
  const issues = (licenses: string) => {
    const facts = collectFacts(parseText('/t/zerotrust.yaml', `kind: Tenant\nname: t\nlicenses: ${licenses}\nplatforms: [windows]\n`));
    assert.equal(facts.type, 'manifest');
    return facts.type === 'manifest' ? facts.schemaIssues : [];
  };
  assert.deepEqual(issues('[M365_A3, M365_A5_SECURITY]'), []);
  assert.deepEqual(issues('[M365_A1, M365_A3]'), []);
  const hintOf = (id: string) => {
    const found = issues(`[${id}]`);
    assert.equal(found.length, 1, id);
    assert.match(found[0]!.message, new RegExp(`^\`${id}\` is not a licence this tool models: it declares nothing, so what the tenant lacks stays unknown; expected one of `));
    assert.deepEqual(found[0]!.path, ['licenses', 0]);
    return /did you mean `([A-Z0-9_]+)`/.exec(found[0]!.message)?.[1];
  };
  // A typo of its own family is offered; another family (A→F) or another tier of the plan (A2→A1/A3) is not.
  assert.equal(hintOf('M365_A5_SECURTY'), 'M365_A5_SECURITY');
  assert.equal(hintOf('M365_F5_SECURTY'), 'M365_F5_SECURITY');
  assert.equal(hintOf('M365_E55'), 'M365_E5');
  assert.equal(hintOf('M365_A5_COMPLIANCE'), undefined);
  assert.equal(hintOf('M365_A2'), undefined);
  assert.equal(hintOf('M365_G1'), undefined);
  // Separators written otherwise are the same family (review r27, t09).
  assert.equal(hintOf('M365-E5'), 'M365_E5');
  assert.equal(hintOf('M365E3'), 'M365_E3');
  assert.equal(hintOf('EMS-E3'), 'EMS_E3');
});

test('a template-based or custom device configuration profile under kind ConfigurationProfile: one error on its type, saying to keep it as its raw Graph export, not an error per property (round 30, t18-dlp-macos-custom-onboarding)', () => {
  const issues = validatePolicy('ConfigurationProfile', {
    kind: 'ConfigurationProfile',
    name: 'mac-mde-onboarding',
    spec: { '@odata.type': '#microsoft.graph.macOSCustomConfiguration', displayName: 'macOS - MDE onboarding', payloadName: 'x', payload: 'PD94', deploymentChannel: 'deviceChannel' },
  });
  assert.deepEqual(issues.map((i) => i.path), [['spec', '@odata.type']]);
  assert.match(issues[0]!.message, /^`#microsoft\.graph\.macOSCustomConfiguration` is a template-based device configuration profile .* which `kind: ConfigurationProfile` does not hold .*: keep such a profile in the tenant folder as its raw Graph export, the JSON Graph returns for it, with no `kind`/);
  // A typo of the kind's own type keeps the schema's own message (its near name), and a raw export is not touched.
  const typo = validatePolicy('ConfigurationProfile', { kind: 'ConfigurationProfile', name: 'x', spec: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolcy' } });
  assert.ok(!typo.some((i) => /raw Graph export/.test(i.message)));
});

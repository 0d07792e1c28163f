/** Quick-fix edit helpers: what they render, and that they leave the rest of the file alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseText } from '../../server/src/core/document';
import { applyEdits } from '../../server/src/core/fix-apply';
import { addToMap, appendToSequence, renderFlow, renderNewYamlFile, renderYaml, replaceValue, yamlScalar } from '../../server/src/core/yaml-edit';
import type { TextEdit } from '../../server/src/core/types';

function apply(path: string, text: string, edit: (p: ReturnType<typeof parseText>) => TextEdit | undefined): string {
  const e = edit(parseText(path, text));
  assert.ok(e, 'an edit');
  return applyEdits(text, [e]);
}

test('a list of maps renders each map after its dash, not on the line below', () => {
  const lines = renderYaml([{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }], 2, 2);
  assert.deepEqual(lines, [
    '',
    '  - ruleName: PasswordRequired',
    '    scheduledActionConfigurations:',
    '      - actionType: block',
    '        gracePeriodHours: 0',
  ]);
});

test('lists nested in a map are indented under their key, with the file\'s unit', () => {
  assert.deepEqual(renderYaml({ include: ['a', 'b'], actions: [{ actionType: 'block' }] }, 0, 4), ['', 'include: [a, b]', 'actions:', '    - actionType: block']);
});

test('an empty map or list stays a value, not a null', () => {
  assert.deepEqual(renderYaml({ a: {}, b: [] }, 0, 2), ['', 'a: {}', 'b: []']);
});

test('scalars are quoted exactly when plain text would read back differently', () => {
  for (const plain of ['grp-all-staff', 'bg-admin1@contoso.com', 'PT12H', 'iOS/iPadOS - Compliance baseline', 'microsoftEdge']) assert.equal(yamlScalar(plain), plain);
  for (const risky of ['@odata', '- x', '-', '.5', '.inf', 'true', 'No', '17.0', 'a: b', 'x # y', 'trailing ', '']) {
    const written = yamlScalar(risky);
    assert.notEqual(written, risky, risky);
    assert.equal(parse(`k: ${written}`).k, risky, risky);
  }
});

test('a new file reads back as the value it was rendered from', () => {
  const value = {
    kind: 'CompliancePolicy',
    name: 'ios-compliance-baseline',
    assignments: { include: ['allUsers'], exclude: [] },
    spec: {
      '@odata.type': '#microsoft.graph.iosCompliancePolicy',
      displayName: 'iOS/iPadOS - Compliance baseline',
      osMinimumVersion: '17.0',
      passcodeMinimumLength: 6,
      scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }],
    },
  };
  const text = renderNewYamlFile(['a header'], value);
  assert.ok(text.startsWith('# a header\nkind: CompliancePolicy\n'));
  assert.doesNotMatch(text, /- *\n/, 'no dash alone on a line');
  assert.deepEqual(parse(text), value);
});

test('adding to a flow map writes YAML flow style, quoting only what needs it', () => {
  const out = apply('a.yaml', 'spec:\n  users: { includeUsers: [All] }   # note\n', (p) => addToMap(p, ['spec', 'users'], 'excludeGroups', ['grp-breakglass', '@odd']));
  assert.equal(out, 'spec:\n  users: { includeUsers: [All], excludeGroups: [grp-breakglass, "@odd"] }   # note\n');
  assert.equal(renderFlow({ a: [1, 'x y'], b: {} }), '{ a: [1, x y], b: {} }');
});

test('replacing an empty value keeps a space after the colon', () => {
  const out = apply('a.yaml', 'settings:\n  secureByDefault:\n  mdmAuthority: intune\n', (p) => replaceValue(p, ['settings', 'secureByDefault'], true));
  assert.equal(out, 'settings:\n  secureByDefault: true\n  mdmAuthority: intune\n');
  assert.deepEqual(parse(out), { settings: { secureByDefault: true, mdmAuthority: 'intune' } });
});

test('adding a key to a 4-space CRLF map keeps its indentation, line endings and comments', () => {
  const text = 'settings:\r\n    mdmAuthority: intune   # set in 2019\r\n    # more to come\r\nteams: {}\r\n';
  const out = apply('a.yaml', text, (p) => addToMap(p, ['settings'], 'secureByDefault', true));
  assert.equal(out, 'settings:\r\n    mdmAuthority: intune   # set in 2019\r\n    secureByDefault: true\r\n    # more to come\r\nteams: {}\r\n');
});

test('an item appended to a flow list spread over lines keeps each comment on its own item, and the trailing comma (audit a22)', () => {
  const path = ['users', 'excludeGroups'];
  const trailing = 'users:\r\n  excludeGroups: [   # who is out\r\n    grp-staff,  # temporary\r\n  ]\r\n';
  assert.equal(apply('/t.yaml', trailing, (p) => appendToSequence(p, path, ['grp-bg'])), 'users:\r\n  excludeGroups: [   # who is out\r\n    grp-staff,  # temporary\r\n    grp-bg,\r\n  ]\r\n');
  const bare = 'users:\n  excludeGroups: [\n    grp-staff  # temporary\n  ]\n';
  const out = apply('/t.yaml', bare, (p) => appendToSequence(p, path, ['grp-bg', 'grp-bg2']));
  assert.equal(out, 'users:\n  excludeGroups: [\n    grp-staff,  # temporary\n    grp-bg,\n    grp-bg2\n  ]\n');
  assert.deepEqual(parse(out).users.excludeGroups, ['grp-staff', 'grp-bg', 'grp-bg2']);
});

test('no edit of an anchored node an alias repeats elsewhere: it would change the other place too (audit a21)', () => {
  const text = 'users:\n  excludeGroups: &none []\napplications:\n  excludeApplications: *none\n';
  assert.equal(appendToSequence(parseText('/t.yaml', text), ['users', 'excludeGroups'], ['grp-bg']), undefined);
  // Through the alias, the anchor's node is edited just the same.
  assert.equal(appendToSequence(parseText('/t.yaml', text), ['applications', 'excludeApplications'], ['x']), undefined);
  const block = 'a: &list\n  - one\nb: *list\nc:\n  - two\n';
  assert.equal(appendToSequence(parseText('/t.yaml', block), ['a'], ['three']), undefined);
  // An anchor no alias uses, and a node beside the anchored one, are edited as usual.
  assert.equal(apply('/t.yaml', 'a: &lonely []\n', (p) => appendToSequence(p, ['a'], ['x'])), 'a: &lonely [x]\n');
  assert.equal(apply('/t.yaml', block, (p) => appendToSequence(p, ['c'], ['three'])), 'a: &list\n  - one\nb: *list\nc:\n  - two\n  - three\n');
});

/**
 * The edit helpers the endpoint rules' fixes lean on: maps appended to sequences in every shape a compliance policy's
 * actions come in, the indentation unit of files with block sequences, and values that are empty but commented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText } from '../../server/src/core/document';
import { applyEdits } from '../../server/src/core/fix-apply';
import { addToMap, appendToSequence, indentUnit, replaceValue } from '../../server/src/core/yaml-edit';
import type { TextEdit } from '../../server/src/core/types';

const BLOCK = { actionType: 'block', gracePeriodHours: 0 };
const ACTIONS = ['spec', 'scheduledActionsForRule', 0, 'scheduledActionConfigurations'];

function apply(text: string, edit: (p: ReturnType<typeof parseText>) => TextEdit | undefined, path = '/t/p.yaml'): string {
  const e = edit(parseText(path, text));
  assert.ok(e, 'an edit is made');
  return applyEdits(text, [e]);
}

test('indentUnit: the keys after a sequence dash are not an indentation step (4-space file)', () => {
  const text = ['spec:', '    rules:', '        - ruleName: x', '          actions:', '              - a', ''].join('\n');
  assert.equal(indentUnit(parseText('/t/p.yaml', text)), 4);
});

test('appendToSequence: a map after block-map items is written as block lines, CRLF kept', () => {
  const text = ['spec:', '    scheduledActionsForRule:', '        - ruleName: PasswordRequired', '          scheduledActionConfigurations:', '              - actionType: retire', '                gracePeriodHours: 4320', '    other: 1', ''].join('\r\n');
  const out = apply(text, (p) => appendToSequence(p, ACTIONS, [BLOCK]));
  assert.equal(
    out,
    ['spec:', '    scheduledActionsForRule:', '        - ruleName: PasswordRequired', '          scheduledActionConfigurations:', '              - actionType: retire', '                gracePeriodHours: 4320', '              - actionType: block', '                gracePeriodHours: 0', '    other: 1', ''].join('\r\n'),
  );
});

test('appendToSequence: a map after flow-map items is written as a flow map', () => {
  const text = 'spec:\n  scheduledActionsForRule:\n    - ruleName: x\n      scheduledActionConfigurations:\n        - { actionType: retire, gracePeriodHours: 24 }   # why\n';
  const out = apply(text, (p) => appendToSequence(p, ACTIONS, [BLOCK]));
  assert.equal(out, text + '        - { actionType: block, gracePeriodHours: 0 }\n');
});

test('appendToSequence: maps go into flow sequences, empty or not', () => {
  const text = 'spec:\n  scheduledActionsForRule: [{ ruleName: x, scheduledActionConfigurations: [] }]\n';
  assert.equal(
    apply(text, (p) => appendToSequence(p, ACTIONS, [BLOCK])),
    'spec:\n  scheduledActionsForRule: [{ ruleName: x, scheduledActionConfigurations: [{ actionType: block, gracePeriodHours: 0 }] }]\n',
  );
  const two = 'a: [{ k: 1 }]\n';
  assert.equal(apply(two, (p) => appendToSequence(p, ['a'], [{ k: 2, s: 'x y' }])), 'a: [{ k: 1 }, { k: 2, s: x y }]\n');
});

test('appendToSequence: a pretty-printed JSON array gets a pretty-printed object', () => {
  const text = '{\n  "a": [\n    {\n      "k": 1\n    }\n  ]\n}\n';
  assert.equal(apply(text, (p) => appendToSequence(p, ['a'], [{ k: 2 }]), '/t/p.json'), '{\n  "a": [\n    {\n      "k": 1\n    },\n    {\n      "k": 2\n    }\n  ]\n}\n');
});

test('appendToSequence: one-line JSON objects stay on one line', () => {
  const text = '{\n  "a": [\n    { "k": 1 }\n  ],\n  "b": []\n}\n';
  assert.equal(apply(text, (p) => appendToSequence(p, ['a'], [{ k: 2 }]), '/t/p.json'), '{\n  "a": [\n    { "k": 1 },\n    { "k": 2 }\n  ],\n  "b": []\n}\n');
  assert.equal(apply(text, (p) => appendToSequence(p, ['b'], [{ k: 2 }]), '/t/p.json'), '{\n  "a": [\n    { "k": 1 }\n  ],\n  "b": [{ "k": 2 }]\n}\n');
});

test('appendToSequence: scalars are written as before', () => {
  assert.equal(apply('a:\n  - x\n', (p) => appendToSequence(p, ['a'], ['y', 2, true])), 'a:\n  - x\n  - y\n  - 2\n  - true\n');
  assert.equal(apply('a: [x]\n', (p) => appendToSequence(p, ['a'], ['y z'])), 'a: [x, y z]\n');
});

test('addToMap: a list of maps under a rule item lines up after the dash', () => {
  const text = 'spec:\n  scheduledActionsForRule:\n    - ruleName: PasswordRequired   # note\n  x: 1\n';
  const out = apply(text, (p) => addToMap(p, ['spec', 'scheduledActionsForRule', 0], 'scheduledActionConfigurations', [BLOCK]));
  assert.equal(out, 'spec:\n  scheduledActionsForRule:\n    - ruleName: PasswordRequired   # note\n      scheduledActionConfigurations:\n        - actionType: block\n          gracePeriodHours: 0\n  x: 1\n');
});

test('replaceValue: an empty value with a comment keeps the comment a comment', () => {
  assert.equal(apply('spec:\n  pinRequired: # decide later\n  x: 1\n', (p) => replaceValue(p, ['spec', 'pinRequired'], true)), 'spec:\n  pinRequired: true # decide later\n  x: 1\n');
});

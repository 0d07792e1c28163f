/**
 * A rule that throws is contained: each distinct error is reported once (through `onRuleError`, which the server sends to
 * connection.console.error), and every other rule still reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService, type PolicyFileSystem } from '../../server/src/core/workspace';
import { RULES } from '../../server/src/core/rules/index';
import type { Rule } from '../../server/src/core/rule';

const files = new Map<string, string>([
  ['/t/zerotrust.yaml', 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows]\nteams:\n  endpoint: {}\n'],
  ['/t/win.yaml', 'kind: CompliancePolicy\nname: win\nowner: nobody\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  bitLockerEnabled: maybe\n'],
]);
const fs: PolicyFileSystem = {
  readFile: async (p) => new TextEncoder().encode(files.get(p) ?? ''),
  readDirectory: async () => [],
};

const throwing: Rule = {
  id: 'test-throwing-rule',
  title: 'always throws',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant) {
    void tenant;
    throw new TypeError('boom');
  },
};

const lateThrowing: Rule = {
  id: 'test-throwing-after-emit',
  title: 'emits, then throws',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant, emit) {
    emit({ file: tenant.files[0]!, span: { offset: 0, length: 1 }, message: 'half-done' });
    throw new Error('late boom');
  },
};

test('a rule that throws is logged once, and the other rules still report', async () => {
  const errors: string[] = [];
  const service = createPolicyService({ fs, rules: [throwing, ...RULES, lateThrowing], onRuleError: (id, e) => errors.push(`${id}: ${(e as Error).message}`) });
  for (const p of files.keys()) await service.load(p);
  const first = service.analyzeAll().map((f) => f.ruleId);
  const again = service.analyzeAll().map((f) => f.ruleId);
  service.update('/t/win.yaml', files.get('/t/win.yaml')!.replace('bitLockerEnabled: maybe', 'bitLockerEnabled: perhaps'), 2);
  service.analyzeAll();
  assert.ok(first.includes('schema') && first.includes('unknown-owner'), first.join());
  assert.deepEqual(again, first);
  assert.ok(!first.includes('test-throwing-rule'));
  // A rule that throws half-way reports nothing: its partial findings are dropped with it.
  assert.ok(!first.includes('test-throwing-after-emit'));
  assert.deepEqual(errors, ['test-throwing-rule: boom', 'test-throwing-after-emit: late boom']);
});

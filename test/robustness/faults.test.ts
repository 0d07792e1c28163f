/**
 * A rule that throws is contained: each distinct error is reported once (through `onRuleError`, which the server sends to
 * connection.console.error), every other rule still reports, and an `internal-error` finding names the rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type PolicyFileSystem } from '../../server/src/core/workspace';
import { createPolicyService } from '../../server/src/core/service';
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

test('internal-error: a rule that throws is a visible finding on line 1 of the manifest, naming the rule, on every run', async () => {
  const service = createPolicyService({ fs, rules: [throwing, ...RULES, lateThrowing], onRuleError: () => undefined });
  for (const p of files.keys()) await service.load(p);
  for (let run = 0; run < 2; run++) {
    const internal = service.analyzeAll().filter((f) => f.ruleId === 'internal-error');
    assert.equal(internal.length, 2, JSON.stringify(internal));
    for (const f of internal) {
      assert.equal(f.file, '/t/zerotrust.yaml');
      assert.equal(f.severity, 'error');
      assert.equal(service.get(f.file)!.parsed.lines.positionAt(f.span.offset).line, 0);
    }
    assert.match(internal.map((f) => f.message).join('\n'), /`test-throwing-rule` failed while checking this tenant.*TypeError: boom/);
    assert.match(internal.map((f) => f.message).join('\n'), /`test-throwing-after-emit` failed/);
  }
  // A suppression comment cannot hide it; only an explicit `off` does.
  service.update('/t/zerotrust.yaml', '# ztp-ignore internal-error: hide it\n' + files.get('/t/zerotrust.yaml')!, 5);
  assert.equal(service.analyzeAll().filter((f) => f.ruleId === 'internal-error').length, 2);
  service.settings = { rules: { 'internal-error': 'off' } };
  assert.equal(service.analyzeAll().filter((f) => f.ruleId === 'internal-error').length, 0);
});

test('internal-error outside a tenant: on line 1 of the file', async () => {
  const loose = new Map([['/loose/p.yaml', 'kind: CompliancePolicy\nname: p\n']]);
  const service = createPolicyService({
    fs: { readFile: async (p) => new TextEncoder().encode(loose.get(p) ?? ''), readDirectory: async () => [] },
    rules: [throwing, ...RULES],
  });
  await service.load('/loose/p.yaml');
  const internal = service.analyzeAll().filter((f) => f.ruleId === 'internal-error');
  assert.equal(internal.length, 1);
  assert.equal(internal[0]!.file, '/loose/p.yaml');
  assert.match(internal[0]!.message, /failed while checking this file/);
});

/**
 * The service's findings cache: a tenant is analysed again only when one of its files, a manifest or the settings
 * change, and what it returns is always what a fresh analysis would say.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/index';
import type { Rule } from '../../server/src/core/rule';

const MANIFEST = 'kind: Tenant\nname: t\nlicenses: [M365_E5]\n';
const POLICY = (name: string, owner = 'nobody'): string => `kind: CompliancePolicy\nname: ${name}\nowner: ${owner}\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n`;

/** A rule that counts the tenants it checks and reports each policy whose owner is `nobody`. */
function countingRule(): { rule: Rule; runs: (string | undefined)[] } {
  const runs: (string | undefined)[] = [];
  const rule: Rule = {
    id: 'counting',
    title: 'counts',
    category: 'structure',
    defaultSeverity: 'warning',
    check(tenant, emit) {
      runs.push(tenant.root);
      for (const p of tenant.policies) if ((p.value as { owner?: string } | undefined)?.owner === 'nobody') emit({ file: p, span: { offset: 0, length: 0 }, message: `${p.name} has no owner` });
    },
  };
  return { rule, runs };
}

function service(rule: Rule): ReturnType<typeof createPolicyService> {
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] }, rules: [rule] });
  s.update('/a/zerotrust.yaml', MANIFEST, 1);
  s.update('/b/zerotrust.yaml', MANIFEST, 1);
  s.update('/a/x.yaml', POLICY('ax'), 1);
  s.update('/b/y.yaml', POLICY('by'), 1);
  return s;
}

test('a tenant is analysed once until one of its files changes; other tenants keep their findings', () => {
  const { rule, runs } = countingRule();
  const s = service(rule);
  assert.deepEqual(s.findings('/a').map((f) => f.message), ['ax has no owner']);
  assert.deepEqual(s.findings('/a').map((f) => f.message), ['ax has no owner']);
  s.findings('/b');
  assert.deepEqual(runs, ['/a', '/b'], 'each tenant analysed once');

  s.update('/a/x.yaml', POLICY('ax', 'endpoint'), 2);
  assert.deepEqual(s.findings('/a'), [], 'the edit is seen');
  s.findings('/b');
  assert.deepEqual(runs, ['/a', '/b', '/a'], 'only the edited tenant analysed again');

  // The same text sent again (a client resending a version) changes nothing.
  s.update('/a/x.yaml', POLICY('ax', 'endpoint'), 2);
  s.findings('/a');
  assert.equal(runs.length, 3);

  // The same text at another version (a file opened in the editor as it is on disk) changes nothing either.
  s.update('/a/x.yaml', POLICY('ax', 'endpoint'), 7);
  s.findings('/a');
  assert.equal(runs.length, 3);

  s.remove('/b/y.yaml');
  assert.deepEqual(s.findings('/b'), [], 'a removed file takes its findings with it');
  assert.equal(runs.length, 4);
});

test('a manifest change analyses its own tenant again, a settings change every tenant', () => {
  const { rule, runs } = countingRule();
  const s = service(rule);
  s.findings('/a');
  s.findings('/b');
  s.update('/b/zerotrust.yaml', MANIFEST + 'platforms: [windows]\n', 2);
  s.findings('/a');
  s.findings('/b');
  // Only files below /b can change tenant: /a keeps its analysis (a workspace of many tenants loads in linear time).
  assert.deepEqual(runs, ['/a', '/b', '/b']);

  s.settings = { rules: { counting: 'error' } };
  assert.deepEqual(s.findings('/a').map((f) => f.severity), ['error'], 'the new severity applies');
  s.findings('/b');
  assert.deepEqual(runs, ['/a', '/b', '/b', '/a', '/b'], 'a settings change analyses every tenant again');
  s.settings = { rules: { counting: 'off' } };
  assert.deepEqual(s.findings('/a'), []);
});

test('a file that moves between tenants (a manifest appearing above it) is analysed with its new tenant', () => {
  const { rule } = countingRule();
  const s = service(rule);
  s.update('/a/sub/z.yaml', POLICY('z'), 1);
  assert.deepEqual(s.findings('/a').map((f) => f.message).sort(), ['ax has no owner', 'z has no owner']);
  s.update('/a/sub/zerotrust.yaml', MANIFEST, 1);
  assert.deepEqual(s.findings('/a').map((f) => f.message), ['ax has no owner']);
  assert.deepEqual(s.findings('/a/sub').map((f) => f.message), ['z has no owner']);
  assert.deepEqual(s.filesOf('/a/sub').sort(), ['/a/sub/z.yaml', '/a/sub/zerotrust.yaml']);
  // The manifest goes: its files go back to the tenant above, and the folder is no tenant any more.
  s.remove('/a/sub/zerotrust.yaml');
  assert.deepEqual(s.findings('/a').map((f) => f.message).sort(), ['ax has no owner', 'z has no owner']);
  assert.deepEqual(s.filesOf('/a/sub'), []);
  assert.equal(s.tenantRootOf('/a/sub/z.yaml'), '/a');
});

test('the tenant roots follow the manifests as they come and go, nested ones included', () => {
  const { rule } = countingRule();
  const s = service(rule);
  assert.deepEqual(s.tenantRoots(), ['/a', '/b']);
  s.update('/a/sub/zerotrust.yaml', MANIFEST, 1);
  s.update('/c/notes/zerotrust.yaml.bak', 'x: 1\n', 1);
  assert.deepEqual(s.tenantRoots(), ['/a', '/a/sub', '/b']);
  const roots = s.tenantRoots();
  roots.length = 0;
  assert.deepEqual(s.tenantRoots(), ['/a', '/a/sub', '/b'], 'a caller changing the list changes nothing');
  s.remove('/a/zerotrust.yaml');
  s.update('/a/sub/zerotrust.yaml', MANIFEST.replace('\n', '\n# edited\n'), 2);
  assert.deepEqual(s.tenantRoots(), ['/a/sub', '/b'], 'an edited manifest stays; a removed one goes');
  s.remove('/a/zerotrust.yaml');
  assert.deepEqual(s.tenantRoots(), ['/a/sub', '/b'], 'removing what is gone changes nothing');
  s.update('/a/zerotrust.yaml', MANIFEST, 3);
  assert.deepEqual(s.tenantRoots(), ['/a', '/a/sub', '/b']);
  assert.equal(s.tenantRootOf('/a/x.yaml'), '/a');
});

test('findings a caller changes do not change the cache', () => {
  const { rule } = countingRule();
  const s = service(rule);
  s.findings('/a').length = 0;
  assert.equal(s.findings('/a').length, 1);
});

test('a file too large to read keeps no text: an empty buffer for it is parsed, not taken for the same text', () => {
  const { rule } = countingRule();
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] }, rules: [rule], maxFileSize: 200 });
  s.update('/a/zerotrust.yaml', MANIFEST, 1);
  s.update('/a/x.yaml', POLICY('ax') + '#'.repeat(300) + '\n', 1);
  assert.match(s.get('/a/x.yaml')!.parsed.syntaxErrors[0]?.message ?? '', /too large|larger/i);
  s.update('/a/x.yaml', '', 2);
  assert.deepEqual(s.get('/a/x.yaml')!.parsed.syntaxErrors, [], 'the empty buffer is what is analysed now');
});

test('settle runs the rules of a tenant whose findings were adopted, once, and keeps the same findings', () => {
  const { rule, runs } = countingRule();
  const s = service(rule);
  const worker = service(countingRule().rule);
  const findings = worker.findings('/a');
  assert.equal(s.settle('/a'), false, 'nothing adopted, nothing to settle');
  assert.ok(s.adoptAnalysis('/a', { files: worker.filesOf('/a'), settings: s.settings, day: s.today(), findings }));
  assert.deepEqual(runs, [], 'adopted: no rule ran here');
  assert.equal(s.settle('/a'), true);
  assert.deepEqual(runs, ['/a']);
  assert.deepEqual(s.findings('/a'), findings);
  assert.equal(s.settle('/a'), false, 'settled once');
  s.findings('/a');
  assert.deepEqual(runs, ['/a'], 'the findings the rules made here are kept');
});

test('the layer status of a tenant whose findings were adopted reads the accepted findings the worker sent, no rule run here', () => {
  const { rule, runs } = countingRule();
  const s = service(rule);
  const worker = service(countingRule().rule);
  const findings = worker.findings('/a');
  const accepted = worker.acceptedFindings('/a');
  assert.ok(s.adoptAnalysis('/a', { files: worker.filesOf('/a'), settings: s.settings, day: s.today(), findings, accepted }));
  s.layers('/a');
  assert.deepEqual(runs, [], 'the tree needs no rule run: the worker sent what the comments accepted');
  assert.deepEqual(s.acceptedFindings('/a'), accepted);
  // Without them (an older worker's answer), the rules run here when the tree asks, to the same answer.
  const t = service(rule);
  assert.ok(t.adoptAnalysis('/a', { files: worker.filesOf('/a'), settings: t.settings, day: t.today(), findings }));
  t.layers('/a');
  assert.deepEqual(runs, ['/a']);
});

test('an editor buffer keeps its syntax tree until another buffer changes; a tree let go is parsed again when asked', () => {
  const { rule } = countingRule();
  const s = service(rule);
  const a = (): NonNullable<ReturnType<typeof s.get>>['parsed'] => s.get('/a/x.yaml')!.parsed;
  s.update('/a/x.yaml', POLICY('ax2'), 2);
  const first = a();
  const tree = first.doc;
  assert.ok(tree);
  // Hovers, fixes and outlines ask for the edited file's tree: the same one each time.
  assert.equal(a().doc, tree);
  // The same file changed again: its previous text's tree goes (it would otherwise be kept, long dead, until 256
  // other trees pushed it out).
  s.update('/a/x.yaml', POLICY('ax3'), 3);
  const third = a().doc;
  assert.ok(third);
  assert.notEqual(first.doc, tree, 'the previous text was parsed again, its tree having gone');
  assert.equal(first.doc?.toJS().name, 'ax2');
  // Another buffer changed: the author moved on, and this file's tree goes too. Asked for, it is parsed again.
  s.update('/b/y.yaml', POLICY('by2'), 2);
  const again = a().doc;
  assert.notEqual(again, third);
  assert.deepEqual(again?.toJS(), third.toJS());
  assert.equal(a().doc, again, 'and then kept among the recently used');
  // The tenant's findings are those of the latest text.
  const finding = s.findings('/a').find((f) => f.file === '/a/x.yaml')!;
  assert.equal(finding.message, 'ax3 has no owner');
});

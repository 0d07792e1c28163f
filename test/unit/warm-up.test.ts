/**
 * The server warms its edit path after the first scan (server/src/lsp/warm-up.ts): edits to a copy of one tenant, in
 * a scratch store, while the editor is idle. What an author sees must not depend on it: the live store is only read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { createPolicyService, type PolicyService } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { editedText, warmUp, warmUpFiles, WARM_UP_FILES } from '../../server/src/lsp/warm-up';

const NOW = new Date('2026-06-01T00:00:00Z');
const CONTOSO = resolve(__dirname, '..', '..', 'examples', 'contoso');

async function contoso(): Promise<PolicyService> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => NOW, incremental: true });
  for (const path of await service.discover(CONTOSO)) await service.load(path);
  return service;
}

test('the warm-up edits a copy of the tenant and leaves the live store as it was', async () => {
  const service = await contoso();
  const root = service.tenantRoots()[0]!;
  const findings = service.findings(root);
  const facts = new Map(service.paths().map((p) => [p, service.get(p)]));
  const files = warmUpFiles(service, root);
  const edited = files.filter((p) => !p.endsWith('zerotrust.yaml'));
  const scratches: PolicyService[] = [];
  const edits = edited.length * 2 + 1;
  const steps = await warmUp(root, files, {
    service,
    scratch: () => {
      const s = createPolicyService({ fs: nodeFileSystem, now: () => NOW, incremental: true });
      scratches.push(s);
      return s;
    },
    lastActivity: () => 0,
    idleMs: 0,
    edits,
  });
  // Every file copied, one analysis of the copy, then every edit.
  assert.equal(steps, files.length + 1 + edits);
  assert.equal(scratches.length, 1);
  const scratch = scratches[0]!;
  // The copy was edited: each file changed, then put back, and the first changed once more (renamed, or a setting
  // dropped, on alternate files and rounds: the first is renamed in even rounds).
  const n = edited.length;
  for (const [i, p] of edited.entries()) {
    const text = service.get(p)!.parsed.text;
    assert.equal(scratch.get(p)!.parsed.text, i === 0 ? editedText(text, (n + 1) % 2 ? 'drop' : 'rename') : text, p);
  }
  assert.equal(scratch.get(edited[0]!)!.parsed.version, edits, 'the last edit was parsed');
  // The live store: the same facts (the very objects) and the same findings, still cached.
  for (const [p, f] of facts) assert.equal(service.get(p), f, p);
  assert.deepEqual(service.paths().sort(), [...facts.keys()].sort());
  const after = service.findings(root);
  assert.equal(after.length, findings.length);
  after.forEach((f, i) => assert.equal(f, findings[i]));
});

test('rehearsing, each step publishes the copy through a publisher over the scratch store: every file once, then each edited file', async () => {
  const service = await contoso();
  const root = service.tenantRoots()[0]!;
  const files = warmUpFiles(service, root);
  const edited = files.filter((p) => !p.endsWith('zerotrust.yaml'));
  let scratch: PolicyService | undefined;
  const stores: PolicyService[] = [];
  const calls: [(string | undefined)[], string | undefined][] = [];
  const edits = 6;
  const steps = await warmUp(root, files, {
    service,
    scratch: () => (scratch = createPolicyService({ fs: nodeFileSystem, now: () => NOW, incremental: true })),
    rehearsal: (store) => {
      stores.push(store);
      return { publish: (roots, path) => void calls.push([roots, path]) };
    },
    lastActivity: () => 0,
    idleMs: 0,
    edits,
  });
  assert.equal(steps, files.length + 1 + edits);
  // One publisher, over the scratch store, never the live one.
  assert.deepEqual(stores, [scratch]);
  assert.notEqual(stores[0], service);
  // The first analysis publishes the whole copy; each edit publishes its tenant with the edited file first.
  const expected: [(string | undefined)[], string | undefined][] = [[[root], undefined]];
  for (let i = 0; i < edits; i++) expected.push([[root], edited[Math.floor(i / 2) % edited.length]]);
  assert.deepEqual(calls, expected);
});

test('the warm-up takes a step only once no message has been handled for a while', async () => {
  const service = await contoso();
  const root = service.tenantRoots()[0]!;
  // Messages keep coming (each check sees one just handled) until `busy` goes, 100 ms in.
  let busy = true;
  let quietSince = 0;
  setTimeout(() => {
    busy = false;
    quietSince = performance.now();
  }, 100);
  let firstStepAt = 0;
  const steps = await warmUp(root, warmUpFiles(service, root), {
    service,
    scratch: () => {
      firstStepAt ||= performance.now();
      return createPolicyService({ fs: nodeFileSystem, now: () => NOW, incremental: true });
    },
    lastActivity: () => (busy ? performance.now() : quietSince),
    idleMs: 20,
    edits: 3,
  });
  assert.ok(steps > 0);
  assert.ok(quietSince > 0 && firstStepAt >= quietSince + 20, 'no step ran while messages came, nor before 20 ms of quiet');
});

test('the files copied: the manifest, the open files, then each kind in turn, at most WARM_UP_FILES', () => {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  const root = '/t';
  service.update(`${root}/zerotrust.yaml`, 'kind: Tenant\nname: t\nplatforms: [windows]\n', 1);
  const compliance = (i: number): string => `${root}/compliance/c-${String(i).padStart(3, '0')}.yaml`;
  const ca = (i: number): string => `${root}/ca/ca-${String(i).padStart(3, '0')}.yaml`;
  for (let i = 0; i < 200; i++) service.update(compliance(i), `kind: CompliancePolicy\nname: c-${i}\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n`, 1);
  for (let i = 0; i < 3; i++) service.update(ca(i), `kind: ConditionalAccessPolicy\nname: ca-${i}\nspec: {}\n`, 1);
  const files = warmUpFiles(service, root, [compliance(150), '/elsewhere/x.yaml']);
  assert.equal(files.length, WARM_UP_FILES);
  assert.deepEqual(files.slice(0, 8), [`${root}/zerotrust.yaml`, compliance(150), compliance(0), ca(0), compliance(1), ca(1), compliance(2), ca(2)]);
  assert.equal(new Set(files).size, files.length);
  assert.equal(warmUpFiles(service, root).length, WARM_UP_FILES);
  // A small tenant is copied whole.
  const small = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  small.update(`${root}/zerotrust.yaml`, 'kind: Tenant\nname: t\n', 1);
  small.update(ca(0), 'kind: ConditionalAccessPolicy\nname: ca-0\n', 1);
  assert.deepEqual(warmUpFiles(small, root), [`${root}/zerotrust.yaml`, ca(0)]);
});

test('the text an edit of the copy makes: the policy renamed, in YAML or JSON, or one more line', () => {
  assert.equal(editedText('kind: X\nname: ca-01   # mine\nspec: {}\n'), 'kind: X\nname: ca-01-warm   # mine\nspec: {}\n');
  assert.equal(editedText('kind: X\nname: "quoted"\n'), 'kind: X\nname: "quoted-warm"\n');
  assert.equal(editedText("kind: X\nname: 'single' # c\n"), "kind: X\nname: 'single-warm' # c\n");
  assert.equal(editedText('{ "kind": "X", "name": "a" }'), '{ "kind": "X", "name": "warm-a" }');
  assert.equal(editedText('kind: Tenant\n'), 'kind: Tenant\n\n');
  assert.equal(editedText('kind: X\nname: a\nspec:\n  one: 1\n  two: 2\n', 'drop'), 'kind: X\nname: a\nspec:\n  one: 1\n');
  // Nothing indented to drop (or JSON, where that breaks the file): renamed instead.
  assert.equal(editedText('kind: X\nname: a\n', 'drop'), 'kind: X\nname: a-warm\n');
  assert.equal(editedText('{\n  "name": "a"\n}', 'drop'), '{\n  "name": "warm-a"\n}');
});

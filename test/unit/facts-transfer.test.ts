/**
 * Facts made on another thread (the server's read workers) travel as plain data: a structured clone of
 * `plainFacts`, made again with `factsFromPlain`. A store that adopts them must be the store that read the files:
 * the same findings, places, layers and hovers, for every rule fixture and the example tenant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { getHeapSnapshot, setFlagsFromString } from 'node:v8';
import { createPolicyService, factsFromPlain, plainFacts } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { spanAtPath } from '../../server/src/core/document';
import { grantControlPath, grantControlsOf, policySpan } from '../../server/src/core/tenant-query';

const NOW = new Date('2026-06-01T00:00:00Z');
const ROOTS = [resolve(__dirname, '..', 'fixtures'), resolve(__dirname, '..', '..', 'examples', 'contoso')];

test('a store that adopts facts read elsewhere analyses as the store that read the files', async () => {
  const read = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  const sender = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  const adopted = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  let files = 0;
  for (const root of ROOTS) {
    for (const path of await read.discover(root)) {
      await read.load(path);
      await sender.load(path);
      // What a worker sends, as postMessage copies it.
      adopted.adopt(factsFromPlain(structuredClone(plainFacts(sender.get(path)!, true))));
      files++;
    }
  }
  assert.ok(files > 900, `${files} files`);
  assert.deepEqual(adopted.analyzeAll(), read.analyzeAll());
  for (const root of read.tenantRoots()) assert.deepEqual(adopted.layers(root), read.layers(root), root);
  // Places found after adoption (a hover, an outline) come from the text, as they do in the store that read it.
  for (const path of read.paths().slice(0, 200)) {
    assert.deepEqual(adopted.documentSymbols(path), read.documentSymbols(path), path);
    const text = read.get(path)!.parsed.text;
    const offset = text.indexOf(':') + 2;
    assert.deepEqual(adopted.hover(path, offset), read.hover(path, offset), path);
  }
});

test('the findings of one tenant made by another store are adopted only for the same files, settings and day', async () => {
  const root = resolve(__dirname, '..', '..', 'examples', 'contoso');
  const worker = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  const server = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  for (const path of await worker.discover(root)) {
    await worker.load(path);
    server.adopt(factsFromPlain(structuredClone(plainFacts(worker.get(path)!))));
  }
  const analysis = { files: worker.paths(), settings: server.settings, day: worker.today(), findings: structuredClone(worker.findings(root)) };
  assert.equal(server.adoptAnalysis(root, { ...analysis, files: analysis.files.slice(1) }), false, 'a file missing');
  assert.equal(server.adoptAnalysis(root, { ...analysis, settings: {} }), false, 'other settings');
  assert.equal(server.adoptAnalysis(root, { ...analysis, day: '2020-01-01' }), false, 'another day');
  assert.equal(server.adoptAnalysis(root, analysis), true);
  assert.deepEqual(server.findings(root), worker.findings(root));
});

test('the places that findings caused by other files point at come with the facts, with no syntax tree', async () => {
  // An edit of another file (the platform's last compliance policy going) makes `ca-requires-compliance-policy` point
  // at a CA policy's `compliantDevice`, and a change of a CA policy's users makes `ca-group-alignment` name compliance
  // policies' assignments. The facts bring those places, so the server need not parse those files again. Made here
  // with no tree at all: a place not brought would fall back to line 1.
  const store = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  let controls = 0;
  let assignments = 0;
  for (const root of ROOTS) {
    for (const path of await store.discover(root)) {
      const facts = await store.load(path);
      if (facts.type !== 'policy') continue;
      const plain = structuredClone(plainFacts(facts, true));
      const treeless = factsFromPlain({ ...plain, parsed: { ...plain.parsed, tree: false } });
      assert.equal(treeless.parsed.doc, undefined);
      if (treeless.type !== 'policy') continue;
      if (facts.kind === 'CompliancePolicy' || facts.kind === 'AppProtectionPolicy') {
        assert.deepEqual(policySpan(treeless, ['assignments', 'include'], 'value'), policySpan(facts, ['assignments', 'include'], 'value'), path);
        assignments++;
      }
      for (const control of facts.kind === 'ConditionalAccessPolicy' ? grantControlsOf(facts) : []) {
        if (!['compliantDevice', 'compliantApplication', 'approvedApplication'].includes(control)) continue;
        const at = grantControlPath(facts, control);
        assert.deepEqual(spanAtPath(treeless.parsed, at, 'value'), spanAtPath(facts.parsed, at, 'value'), `${path} ${control}`);
        controls++;
      }
    }
  }
  assert.ok(controls > 20 && assignments > 50, `${controls} grant controls, ${assignments} assignments`);
});

test('facts adopted from another thread have the shapes of facts read here: one hidden class per type, packed arrays', async () => {
  // V8's own view of the objects (natives syntax, allowed for the functions compiled from here on).
  setFlagsFromString('--allow-natives-syntax');
  const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;
  const holey = new Function('a', 'return %HasHoleyElements(a)') as (a: unknown) => boolean;
  const store = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  const seen = new Set<string>();
  for (const root of ROOTS) {
    for (const path of await store.discover(root)) {
      const facts = await store.load(path);
      const adopted = factsFromPlain(structuredClone(plainFacts(facts)));
      assert.deepEqual(plainFacts(adopted), plainFacts(facts), path);
      const shape = `${facts.type}${facts.type === 'policy' && facts.raw ? ' raw' : ''}`;
      seen.add(shape);
      assert.ok(sameMap(adopted, facts), `${path}: the facts of a ${shape} file`);
      assert.ok(sameMap(adopted.suppressions, facts.suppressions), `${path}: suppressions`);
      assert.ok(sameMap(adopted.parsed, facts.parsed), `${path}: parsed file`);
      // Every array under the adopted value is packed, as parsing makes them; and the value is still one tree.
      const arrays: unknown[][] = [];
      const walk = (v: unknown, depth: number): void => {
        if (typeof v !== 'object' || v === null || depth > 64) return;
        if (Array.isArray(v)) arrays.push(v);
        for (const x of Object.values(v)) walk(x, depth + 1);
      };
      walk(adopted.value, 0);
      for (const a of arrays) assert.ok(!holey(a), `${path}: an array of the value`);
      assert.equal(adopted.parsed.value, adopted.value, path);
      if (adopted.type === 'policy' && facts.type === 'policy') {
        // One tree, where it was one before (a CA policy whose keywords the facts spell as Graph does has its own spec).
        if (adopted.spec && !adopted.raw && facts.spec === (facts.value as Record<string, unknown>).spec) assert.equal(adopted.spec, (adopted.value as Record<string, unknown>).spec, path);
        for (const a of [adopted.platforms, adopted.groupRefs, adopted.schemaIssues, adopted.parsed.syntaxErrors]) assert.ok(!holey(a), path);
      }
    }
  }
  assert.deepEqual([...seen].sort(), ['manifest', 'other', 'policy', 'policy raw']);
});

test('adopting keeps an own `__proto__` key of a policy as data, and a value shared by two keys stays shared', () => {
  const parsedValue = JSON.parse('{"kind":"CompliancePolicy","name":"x","spec":{"__proto__":["a"],"list":["b"]}}') as Record<string, unknown>;
  const store = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  const facts = store.update('/t/compliance/x.json', JSON.stringify(parsedValue), 1);
  const plain = structuredClone(plainFacts(facts));
  const adopted = factsFromPlain(plain);
  const spec = (adopted.value as { spec: Record<string, unknown> }).spec;
  assert.equal(Object.getPrototypeOf(spec), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(spec, '__proto__')?.value, ['a']);
  assert.deepEqual(spec.list, ['b']);
});

test('facts adopted from other threads share one copy of the Graph types and settings catalog ids they all hold', async () => {
  // Strings made at run time, so that no copy of them is in this file's code.
  const tag = `${process.pid}${Date.now()}`;
  const graphType = `#microsoft.graph.zzShared${tag}`;
  const settingId = `device_vendor_msft_policy_config_zzshared_${tag}`;
  const ownName = `zz-own-${tag}`;
  const store = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  const text = `kind: ConfigurationProfile\nname: ${ownName}\nspec:\n  settings:\n    - "@odata.type": "${graphType}"\n      settingDefinitionId: ${settingId}\n`;
  const plain = plainFacts(store.update('/t/configuration/p.yaml', text, 1));
  store.remove('/t/configuration/p.yaml');
  // Many threads' reads of files with the same content: each structured clone carries its own copy of every string.
  // The first is taken in before counting (cloning flattens the strings the test made, which changes their count), and
  // a copy or two the engine holds for a while (a clone just dropped) are allowed for.
  const adopted = [factsFromPlain(structuredClone(plain))];
  const before = await heapStringCounts([graphType, settingId, ownName]);
  for (let i = 0; i < 20; i++) adopted.push(factsFromPlain(structuredClone(plain)));
  const after = await heapStringCounts([graphType, settingId, ownName]);
  const added = (s: string): number => after.get(s)! - before.get(s)!;
  assert.ok(added(graphType) <= 2, `the Graph type the first held, shared (${added(graphType)} more copies)`);
  assert.ok(added(settingId) <= 2, `the setting id the first held, shared (${added(settingId)} more copies)`);
  // A file's own strings (names, descriptions) are not looked up: each keeps its copy.
  assert.ok(added(ownName) >= 18, `a copy of the name for each file (${added(ownName)})`);
  assert.equal(adopted.length, 21);
  assert.ok(plain);
});

/**
 * How many strings of the heap (reachable ones: a snapshot collects first; flat, sliced or concatenated) are each of
 * `wanted`.
 */
async function heapStringCounts(wanted: string[]): Promise<Map<string, number>> {
  // Made first: a string used as a key is flattened, which would count it once more in the next snapshot.
  const counts = new Map(wanted.map((w) => [w, 0]));
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (!types[snapshot.nodes[i + typeAt]!]!.endsWith('string')) continue;
    const name = snapshot.strings[snapshot.nodes[i + nameAt]!]!;
    if (counts.has(name)) counts.set(name, counts.get(name)! + 1);
  }
  return counts;
}

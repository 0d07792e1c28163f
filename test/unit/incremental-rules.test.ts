/**
 * An incremental store (the language server's) runs again, after an edit, only the rules whose reads the edit changed
 * (core/reads.ts), and keeps per-policy readings (`keptReading`). Its findings must be a full run's, whatever the edit.
 * The files of the fixtures, the example and the real exports beside the repository are edited in many ways (a line
 * gone, a value flipped, a platform changed, the file unparseable or removed, another tenant's file added, two edits
 * before one analysis), and after each edit the incremental findings are compared with those of a store that analyses
 * the same files from scratch. A rule that read more than it noted would keep stale findings here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPolicyService, type PolicyService } from '../../server/src/core/index';
import { RULES } from '../../server/src/core/rules/index';
import type { Rule } from '../../server/src/core/rule';
import { nodeFileSystemSync } from '../../server/src/host/node-fs';
import { keptReading, kindRead, READS_ALL, READS_OTHERS, recordingReads, type KeptReading } from '../../server/src/core/reads';
import { modelOf } from '../../server/src/core/model/index';
import { TENANT_WORKSPACES } from '../harness/tenant-workspaces';

const ROOT = join(__dirname, '..', '..');
const NOW = new Date('2026-11-20T12:00:00Z');

/** The rules, each counting its runs. */
function countingRules(counts: Map<string, number>): Rule[] {
  return RULES.map((r) => ({
    ...r,
    check(view, emit) {
      counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      r.check(view, emit);
    },
  }));
}

async function loaded(dir: string, incremental: boolean, rules?: Rule[]): Promise<PolicyService> {
  const s = createPolicyService({ fs: nodeFileSystemSync, now: () => NOW, incremental, ...(rules ? { rules } : {}) });
  for (const p of await s.discover(dir)) await s.loadOrSkip(p);
  return s;
}

/** Deterministic edits of one file's text: each is a text (an edit) or null (the file is removed). */
function editsOf(text: string): (string | null)[] {
  const lines = text.split('\n');
  const out: (string | null)[] = [];
  for (const at of new Set([Math.floor(lines.length / 3), Math.floor((2 * lines.length) / 3)])) {
    if (at > 0 && at < lines.length) out.push([...lines.slice(0, at), ...lines.slice(at + 1)].join('\n'));
  }
  const swaps: [RegExp, string][] = [
    [/\benabled\b/, 'disabled'],
    [/\bdisabled\b/, 'enabled'],
    [/\btrue\b/, 'false'],
    [/\bfalse\b/, 'true'],
    [/android/i, 'ios'],
    [/windows/i, 'macOS'],
    [/iOS/, 'android'],
    [/\bblock\b/, 'mfa'],
    [/\bmfa\b/, 'compliantDevice'],
    [/excludeUsers/, 'excludedUsersX'],
    [/\bAll\b/, 'None'],
  ];
  for (const [re, to] of swaps) if (re.test(text)) out.push(text.replace(re, to));
  out.push('kind: [unclosed\n');
  out.push(null);
  return out;
}

function same(a: PolicyService, b: PolicyService, root: string | undefined, what: string): void {
  const x = JSON.stringify(a.findings(root));
  const y = JSON.stringify(b.findings(root));
  if (x === y) return;
  const ids = (s: string): string[] => (JSON.parse(s) as { ruleId: string; file: string; span: { offset: number } }[]).map((f) => `${f.ruleId} ${f.file.slice(ROOT.length)}@${f.span.offset}`);
  const xi = ids(x);
  const yi = ids(y);
  assert.fail(`${what}: incremental and full findings differ\n  only incremental: ${xi.filter((i) => !yi.includes(i)).join('; ') || '(same places)'}\n  only full: ${yi.filter((i) => !xi.includes(i)).join('; ') || '(same places; messages differ)'}`);
}

/**
 * An edit's file first (`fileFindings`, what the language server publishes before the rest of the tenant's rules run):
 * its findings must be the full run's on that file, and the tenant's analysis that follows must hand back the very same
 * finding objects, in the same order (the publisher then has nothing to send again).
 */
function sameForFile(inc: PolicyService, full: PolicyService, root: string | undefined, path: string, what: string): void {
  const early = inc.fileFindings(root, path);
  const expected = full.findings(root).filter((f) => f.file === path);
  assert.equal(JSON.stringify(early), JSON.stringify(expected), `${what}: the file's findings first differ from a full run's`);
  const after = inc.findings(root).filter((f) => f.file === path);
  assert.ok(after.length === early.length && after.every((f, i) => f === early[i]), `${what}: the tenant's analysis made the file's findings again`);
}

/** Every tenant the tests hold; the real exports (see corpus.test.ts) get a few edits of each file, as they are many and large. */
const WORKSPACES = TENANT_WORKSPACES.map((w) => ({ ...w, ...(w.corpus ? { edits: 3 } : {}) }));

for (const { dir, edits: perFile, skip } of WORKSPACES) {
  test(`incremental analysis equals a full one after every edit (${dir})`, { skip }, async () => {
    const counts = new Map<string, number>();
    const inc = await loaded(join(ROOT, dir), true, countingRules(counts));
    const full = await loaded(join(ROOT, dir), false);
    const roots = [...inc.tenantRoots(), undefined];
    for (const r of roots) same(inc, full, r, `${r} before any edit`);
    const paths = inc.paths().sort();
    let version = 100;
    let edits = 0;
    for (const [i, path] of paths.entries()) {
      const original = readFileSync(path, 'utf8');
      const root = inc.tenantRootOf(path);
      const all = editsOf(original);
      for (const edit of perFile ? [...all.slice(0, perFile), null] : all) {
        if (edit === null) {
          inc.remove(path);
          full.remove(path);
        } else {
          inc.update(path, edit, ++version);
          full.update(path, edit, version);
        }
        edits++;
        // Each edit replaces the one before (from one edited text to another, or back from a removal).
        const what = `${path.slice(ROOT.length)} edited (${edit === null ? 'removed' : JSON.stringify(edit.slice(0, 60))}…)`;
        sameForFile(inc, full, root, path, what);
        same(inc, full, root, what);
      }
      inc.update(path, original, ++version);
      full.update(path, original, version);
      same(inc, full, root, `${path.slice(ROOT.length)} restored`);
      // Two files edited before one analysis: another file of the same tenant (or a neighbour's file added here).
      const other = paths[(i + 1) % paths.length]!;
      const second = inc.tenantRootOf(other) === root ? other : join(path, '..', `added-from-elsewhere-${i}.yaml`);
      const secondText = readFileSync(other, 'utf8');
      for (const s of [inc, full]) {
        s.update(path, editsOf(original)[0] ?? '', ++version);
        s.update(second, secondText.replace(/\benabled\b/, 'disabled'), version);
      }
      same(inc, full, root, `${path.slice(ROOT.length)} and ${second.slice(ROOT.length)} edited together`);
      for (const s of [inc, full]) {
        s.update(path, original, ++version);
        if (second === other) s.update(other, secondText, version);
        else s.remove(second);
      }
      same(inc, full, root, `${path.slice(ROOT.length)} and ${second.slice(ROOT.length)} restored`);
    }
    assert.ok(edits > 0);
    // It is incremental: after the first analysis of each tenant, fewer rules ran than a full run each time would make.
    const runs = [...counts.values()].reduce((a, b) => a + b, 0);
    const analyses = (counts.get('yaml-syntax') ?? 0) || 1;
    assert.ok(runs < analyses * RULES.length * 0.8, `${runs} rule runs for ${analyses} analyses of ${RULES.length} rules: the edits re-ran nearly every rule`);
  });
}

test('an edit of a Conditional Access policy does not run the rules that read no Conditional Access policy', async () => {
  const counts = new Map<string, number>();
  const s = await loaded(join(ROOT, 'examples', 'contoso'), true, countingRules(counts));
  const root = s.tenantRoots()[0]!;
  s.findings(root);
  const ca = s.paths().find((p) => s.get(p)?.type === 'policy' && (s.get(p) as { kind?: string }).kind === 'ConditionalAccessPolicy')!;
  counts.clear();
  s.update(ca, readFileSync(ca, 'utf8').replace(/\benabled\b/, 'disabled'), 2);
  s.findings(root);
  assert.equal(counts.get('break-glass-not-excluded'), 1, 'a Conditional Access rule runs again');
  assert.equal(counts.get('compliance-missing-block-action'), undefined, 'a compliance rule does not');
  assert.equal(counts.get('bitlocker-not-configured'), undefined, 'nor a configuration rule');
});

test('an edit of a compliance or Conditional Access policy does not run the baseline rule, which reads the configuration profiles and raw exports', async () => {
  // The baselines model walks every policy for the baseline profiles and the raw intents when first asked: made while a
  // rule ran, it was noted as reading everything, so `baseline-instances-overlap` ran again after every edit.
  const counts = new Map<string, number>();
  const s = await loaded(join(ROOT, 'examples', 'contoso'), true, countingRules(counts));
  const root = s.tenantRoots()[0]!;
  s.findings(root);
  const ofKind = (kind: string): string => s.paths().find((p) => s.get(p)?.type === 'policy' && (s.get(p) as { kind?: string }).kind === kind)!;
  const compliance = ofKind('CompliancePolicy');
  const ca = ofKind('ConditionalAccessPolicy');
  const profile = ofKind('ConfigurationProfile');
  assert.ok(compliance && ca && profile, 'the example has a policy of each kind');
  for (const [path, change] of [
    [compliance, (t: string) => `${t}\n# a comment\n`],
    [ca, (t: string) => t.replace(/\benabled\b/, 'disabled')],
  ] as const) {
    counts.clear();
    s.update(path, change(readFileSync(path, 'utf8')), 2);
    s.findings(root);
    assert.ok(counts.size > 0, 'some rules ran again');
    assert.equal(counts.get('baseline-instances-overlap'), undefined, `an edit of ${path} does not run the baseline rule`);
  }
  counts.clear();
  s.update(profile, `${readFileSync(profile, 'utf8')}\n# a comment\n`, 2);
  s.findings(root);
  assert.equal(counts.get('baseline-instances-overlap'), 1, 'an edit of a configuration profile does');
});

test('whether Intune enrolls a platform notes the raw exports it reads, not every file', async () => {
  const s = await loaded(join(ROOT, 'examples', 'contoso'), true);
  const view = s.view(s.tenantRoots()[0]!);
  const model = modelOf(view);
  // Linux: no enrollment evidence and no configuration profile in the example, so the raw exports are asked.
  const reads = new Set<string>();
  recordingReads(reads, () => model.intuneEnrolls('linux'));
  assert.ok(reads.has(kindRead(undefined)) && reads.has(READS_OTHERS), `the files of no kind and the other files are noted (${[...reads].join(', ')})`);
  assert.ok(!reads.has(READS_ALL), `not every file (${[...reads].join(', ')})`);
});

test('the layer 5 question notes the files it reads, not every file, so the configuration rules do not run after a compliance or CA edit', async () => {
  // `configurationKept` walks every file for the raw configuration exports when first asked: that walk, noted, made the
  // first configuration rule to ask (`filevault-not-configured`) read everything, and so run again after every edit.
  const counts = new Map<string, number>();
  const s = await loaded(join(ROOT, 'examples', 'contoso'), true, countingRules(counts));
  const root = s.tenantRoots()[0]!;
  const model = modelOf(s.view(root));
  for (const platform of ['windows', 'macOS'] as const) {
    const reads = new Set<string>();
    recordingReads(reads, () => model.configurationKept(platform));
    assert.ok(reads.has(kindRead('ConfigurationProfile')) && reads.has(kindRead(undefined)) && reads.has(READS_OTHERS), `the profiles and the raw exports are noted (${[...reads].join(', ')})`);
    assert.ok(!reads.has(READS_ALL), `not every file (${[...reads].join(', ')})`);
  }
  s.findings(root);
  const ofKind = (kind: string): string => s.paths().find((p) => s.get(p)?.type === 'policy' && (s.get(p) as { kind?: string }).kind === kind)!;
  for (const [path, change] of [
    [ofKind('CompliancePolicy'), (t: string) => `${t}\n# a comment\n`],
    [ofKind('ConditionalAccessPolicy'), (t: string) => t.replace(/\benabled\b/, 'disabled')],
  ] as const) {
    counts.clear();
    s.update(path, change(readFileSync(path, 'utf8')), 2);
    s.findings(root);
    assert.ok(counts.size > 0, 'some rules ran again');
    for (const id of ['filevault-not-configured', 'bitlocker-not-configured', 'laps-not-configured']) assert.equal(counts.get(id), undefined, `an edit of ${path} does not run ${id}`);
  }
});

test("a new view's model takes over the answers whose reads the edit did not change, and only those", async () => {
  const s = await loaded(join(ROOT, 'examples', 'contoso'), true);
  const root = s.tenantRoots()[0]!;
  const ofKind = (kind: string): string => s.paths().find((p) => s.get(p)?.type === 'policy' && (s.get(p) as { kind?: string }).kind === kind)!;
  const ca = ofKind('ConditionalAccessPolicy');
  const compliance = ofKind('CompliancePolicy');
  const restriction = ofKind('EnrollmentRestriction');
  assert.ok(ca && compliance && restriction, 'the example has a policy of each kind');
  const answers = () => {
    const model = modelOf(s.view(root));
    return { model, enrollment: model.enrollment, compliance: model.compliancePolicies('windows'), unmeetable: model.unmeetableCompliance('windows') };
  };
  let before = answers();
  let version = 2;
  const edit = (path: string, change: (t: string) => string): void => {
    s.update(path, change(readFileSync(path, 'utf8')), version++);
  };
  // A CA edit: who can enroll and which compliance policies reach whom are taken over as they are.
  edit(ca, (t) => t.replace(/\benabled\b/, 'disabled'));
  let after = answers();
  assert.notEqual(after.model, before.model, 'a new view, a new model');
  assert.equal(after.enrollment, before.enrollment);
  assert.equal(after.compliance, before.compliance);
  assert.equal(after.unmeetable, before.unmeetable);
  // A compliance edit: the compliance answers are made again, who can enroll is not.
  before = after;
  edit(compliance, (t) => `${t}\n# a comment\n`);
  after = answers();
  assert.equal(after.enrollment, before.enrollment);
  assert.notEqual(after.compliance, before.compliance);
  assert.notEqual(after.unmeetable, before.unmeetable);
  // An enrollment restriction's edit: both are made again (the compliance policies that reach enrollable devices read it).
  before = after;
  edit(restriction, (t) => `${t}\n# a comment\n`);
  after = answers();
  assert.notEqual(after.enrollment, before.enrollment);
  assert.notEqual(after.compliance, before.compliance);
  // A model of a view made before the latest change takes over nothing, and gives what a fresh one gives.
  const stale = s.view(root);
  edit(ca, (t) => t.replace(/\benabled\b/, 'disabled'));
  const fresh = answers();
  assert.deepEqual(modelOf(stale).compliancePolicies('windows').map((p) => p.path), fresh.compliance.map((p) => p.path));
});

test('a kept reading is made again only when what it read changed, and never from a view older than the last change', async () => {
  const dir = join(ROOT, 'examples', 'contoso');
  let day = new Date('2026-11-20T12:00:00Z');
  const s = createPolicyService({ fs: nodeFileSystemSync, now: () => day, incremental: true });
  for (const p of await s.discover(dir)) await s.loadOrSkip(p);
  const root = s.tenantRoots()[0]!;
  const file = (rel: string): string => join(dir, rel);
  const kept = new WeakMap<object, KeptReading<number>>();
  const key = {};
  let made = 0;
  // Reads the compliance policies (through the model) and the manifest, as a rule's check for one policy would.
  const read = (): number => keptReading(s.view(root), kept, key, () => {
    made++;
    return modelOf(s.view(root)).compliancePolicies('windows').length + (s.view(root).manifest ? 1 : 0);
  });
  const edit = (rel: string, change: (t: string) => string): void => {
    s.update(file(rel), change(readFileSync(file(rel), 'utf8')), made + 100);
  };

  assert.equal(read(), 2);
  assert.equal(read(), 2);
  assert.equal(made, 1, 'kept');
  edit('conditional-access/ca-block-legacy-auth.yaml', (t) => t.replace(/\benabled\b/, 'disabled'));
  assert.equal(read(), 2);
  assert.equal(made, 1, 'a Conditional Access policy changed: nothing it read');
  edit('compliance/win-compliance-baseline.yaml', (t) => `${t}\n# a comment\n`);
  read();
  assert.equal(made, 2, 'a compliance policy changed: made again');

  const before = s.view(root);
  edit('configuration/windows-laps.yaml', (t) => `${t}\n# a comment\n`);
  assert.equal(keptReading(before, kept, key, () => 0), 0, 'a view from before the last change: made again, and not kept');
  assert.equal(read(), 2, 'what was kept from a current view is still there');
  assert.equal(made, 2);

  edit('zerotrust.yaml', (t) => `${t}\n# a comment\n`);
  read();
  assert.equal(made, 3, 'a manifest change starts the counts again');
  day = new Date('2026-11-21T12:00:00Z');
  read();
  assert.equal(made, 4, 'so does a new day');
});

/**
 * One tenant model: the rules, What If, the lockout check and the layer tree give one answer to one question.
 * For every fixture tenant (each rule's cases, the What If tenants, the expert-style tenants in
 * test/fixtures-tenants and the bundled example):
 * - every sign-in the lockout check finds unsatisfiable because a compliance or app protection requirement cannot be
 *   met is also a finding of `ztp check` on that policy, and the rule the lockout check names for the fix is one
 *   whose finding `check` emits there, with a fix;
 * - What If and the rules read the same grant evaluator: for each active policy and platform, the model's verdict
 *   and What If's agree;
 * - the layer tree's compliance line says what the rules say.
 * The expert-style tenants also carry `# expect:` comments for every rule (not only one), checked exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createPolicyService } from '../../server/src/core/workspace';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { lockoutCheck } from '../../server/src/core/lockout';
import { evaluate } from '../../server/src/core/whatif';
import { modelOf } from '../../server/src/core/model/index';
import { prerequisiteLines } from '../../server/src/core/features/layer-status';
import { ruleById } from '../../server/src/core/rules/index';
import { activeCaPolicies } from '../../server/src/core/tenant-query';
import { PLATFORM_LABELS } from '../../server/src/core/platforms';
import { FIXTURE_NOW, runFixture } from '../harness/fixtures';

const ROOT = join(__dirname, '..', '..');

/** Every folder holding a zerotrust.yaml under `dir` (not inside `_fixed`). */
function tenants(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  if (existsSync(join(dir, 'zerotrust.yaml'))) out.push(dir);
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (!n.startsWith('_') && !n.startsWith('.') && statSync(p).isDirectory()) tenants(p, out);
  }
  return out;
}

const ALL = [
  ...tenants(join(ROOT, 'test', 'fixtures')),
  ...tenants(join(ROOT, 'test', 'fixtures-whatif')),
  ...tenants(join(ROOT, 'test', 'fixtures-tenants')),
  join(ROOT, 'examples', 'contoso'),
];

async function load(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  return { service, view: service.view(dir), findings: service.analyzeTenant(dir) };
}

/** The rules that report a CA requirement the tenant cannot meet. */
const GAP_RULES = ['ca-requires-compliance-policy', 'ca-requires-app-protection'];

test('every fixture tenant: the lockout check, the rules, What If and the layer tree agree', async () => {
  assert.ok(ALL.length > 100, `found ${ALL.length} fixture tenants`);
  const seen = { named: 0, gaps: 0, grants: 0, impossible: 0 };
  for (const dir of ALL) {
    const where = relative(ROOT, dir);
    const { view, findings } = await load(dir);
    if (!view.manifest) continue;
    const model = modelOf(view);
    const report = lockoutCheck(view);
    for (const f of report.findings.filter((x) => x.verdict === 'unsatisfiable')) {
      const named = /does it for rule ([a-z-]+)/.exec(f.fix)?.[1];
      if (named) {
        seen.named++;
        const hit = findings.find((x) => x.ruleId === named && x.file === f.file);
        assert.ok(hit, `${where}: the lockout check names rule ${named} for ${f.policy}, but check does not report it there`);
        assert.ok(ruleById(named)?.fix, `${where}: ${named} offers a fix`);
      }
      // A requirement no one can meet on the platform (not one that only this user's enrollment restriction blocks)
      // is a gap the rules report on the policy.
      const p = view.policies.find((x) => x.path === f.file)!;
      const platformWide = f.platforms.filter((pl) => {
        const g = model.grant(p, pl as never);
        return g.outcome === 'impossible' && g.controls.some((c) => c.rule && GAP_RULES.includes(c.rule) && !c.enrollment);
      });
      if (platformWide.length) {
        seen.gaps++;
        assert.ok(
          findings.some((x) => GAP_RULES.includes(x.ruleId) && x.file === f.file),
          `${where}: the lockout check finds ${f.policy} unsatisfiable on ${platformWide.join(', ')} (${f.explanation}), but check reports no gap on it`,
        );
      }
    }
    // What If reads the model's grant evaluator: a grant the model says cannot be met on a platform is unsatisfiable
    // (or blocked) for a user it targets there, and the other way round.
    for (const p of activeCaPolicies(view).filter((x) => x.spec?.state === 'enabled')) {
      const users = (p.spec?.conditions as { users?: { includeUsers?: string[]; includeGroups?: string[] } } | undefined)?.users;
      const group = users?.includeGroups?.[0];
      const everyone = users?.includeUsers?.includes('All');
      if (!group && !everyone) continue;
      for (const platform of model.caPlatforms(p)) {
        const grant = model.grant(p, platform);
        const groups = group ? [model.groups.nameOf(group)] : [];
        const r = evaluate(view, { user: everyone ? 'someone@example.com' : groups, groups, platform, app: 'All', clientApp: 'browser', location: 'trusted' });
        const ev = r.policies.find((x) => x.file === p.path);
        if (!ev?.applies || !ev.grant) continue;
        const userGrant = model.grant(p, platform, platform, r.scenario.groups.map((g) => g.name));
        seen.grants++;
        if (userGrant.outcome === 'impossible') seen.impossible++;
        if (userGrant.outcome === 'impossible') assert.equal(ev.grant.outcome, 'unsatisfiable', `${where}: ${p.name} on ${platform}: What If agrees the grant cannot be met`);
        if (grant.outcome === 'possible' && userGrant.outcome === 'possible') assert.notEqual(ev.grant.outcome, 'unsatisfiable', `${where}: ${p.name} on ${platform}: What If agrees the grant can be met`);
      }
    }
    // The layer tree's layer 4 prerequisite ("compliance policies") is the model's answer.
    for (const line of prerequisiteLines(view, 4).lines) {
      const platform = (Object.keys(PLATFORM_LABELS) as (keyof typeof PLATFORM_LABELS)[]).find((k) => PLATFORM_LABELS[k] === line.label)!;
      assert.equal(line.ok, model.compliancePolicies(platform).length > 0, `${where}: the tree's ${line.label} compliance line`);
    }
  }
  // The comparisons ran on real cases, not on nothing.
  assert.ok(seen.named >= 3 && seen.gaps >= 3 && seen.grants >= 100 && seen.impossible >= 5, JSON.stringify(seen));
});

for (const dir of tenants(join(ROOT, 'test', 'fixtures-tenants'))) {
  test(`expert tenant ${relative(join(ROOT, 'test', 'fixtures-tenants'), dir)}: exactly the expected findings, every rule`, async () => {
    const r = await runFixture(dir);
    assert.deepEqual(r.actual, r.expected);
  });
}

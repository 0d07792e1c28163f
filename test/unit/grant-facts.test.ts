/**
 * One answer per tenant-wide fact the manifest declares: What If, the lockout check, `ztp diff`'s sign-ins and the
 * report read the grant evaluator, and `check`'s rules the same facts (audit r27: `settings.secureByDefault` undeclared
 * read as false, licences without Intune and an MDM authority other than Intune left out of the grant evaluator).
 * Tenants: `test/fixtures-whatif/grant-facts-*`, the audit's repro shapes; the diff: `test/fixtures-diff/compliance-only-policy-removed-sbd-undeclared`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeImpactMarkdown, createPolicyService, diffWorkspaces, type PolicyService } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { lockoutCheck } from '../../server/src/core/lockout';
import { evaluate } from '../../server/src/core/whatif';
import { modelOf } from '../../server/src/core/model/index';
import { grantVerdict } from '../../server/src/core/model/grants';
import { lockoutText } from '../../server/src/core/features/whatif-format';
import { FIXTURE_NOW } from '../harness/fixtures';

const ROOT = join(__dirname, '..', '..');
const WHATIF = join(ROOT, 'test', 'fixtures-whatif');

async function loaded(dir: string): Promise<PolicyService> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  for (const f of await service.discover(dir)) await service.load(f);
  return service;
}

async function tenant(name: string) {
  const dir = join(WHATIF, name);
  const service = await loaded(dir);
  const view = service.view(dir);
  const findings = service.analyzeTenant(dir);
  const report = service.report(dir, { format: 'md', rel: (p) => p, generated: FIXTURE_NOW });
  return { dir, service, view, findings, model: modelOf(view), lockout: lockoutCheck(view), report };
}

const WINDOWS = { user: 'someone@contoso.com', platform: 'windows', app: 'All', clientApp: 'browser' };
const policyOf = (t: Awaited<ReturnType<typeof tenant>>, name: string) => t.view.policies.find((p) => p.name === name)!;

test('secureByDefault not declared, no Windows compliance policy: the grant evaluator, What If, the lockout check and the report say "may be", naming the fact, as the rules do (audit r27 s1)', async () => {
  const t = await tenant('grant-facts-sbd-undeclared');
  // check: the missing policy is an error that says it depends on secureByDefault; undeclared-fact asks for it.
  const missing = t.findings.find((f) => f.ruleId === 'ca-requires-compliance-policy');
  assert.ok(missing);
  assert.match(missing.message, /either blocked or pass unchecked, depending on `secureByDefault` \(not declared in zerotrust\.yaml\)/);
  assert.ok(t.findings.some((f) => f.ruleId === 'undeclared-fact' && /settings\.secureByDefault/.test(f.message)));
  assert.ok(!t.findings.some((f) => f.ruleId === 'compliance-default-compliant'), 'undeclared is not false');
  // The model: possible, but in doubt for want of the fact.
  const c = t.model.grant(policyOf(t, 'ca-compliant'), 'windows').controls.find((x) => x.control === 'compliantDevice')!;
  assert.equal(c.status, 'possible');
  assert.equal(c.mayBeImpossible, true);
  assert.equal(c.undeclared, 'secureByDefault');
  assert.equal(grantVerdict(t.model.grant(policyOf(t, 'ca-compliant'), 'windows', 'windows', [])), 'mayBeImpossible');
  // What If: allowed if a compliant device, may be blocked in practice (not a note beside "allowed").
  const r = evaluate(t.view, WINDOWS);
  assert.equal(r.verdict, 'allowedIf');
  assert.deepEqual(r.uncertain?.map((u) => [u.policy, u.control, u.undeclared]), [['ca-compliant', 'compliantDevice', 'secureByDefault']]);
  assert.match(r.summary, /may be blocked in practice: the tenant has no Windows compliance policy, .*depending on `secureByDefault` \(not declared in zerotrust\.yaml\)/);
  // A device the scenario states is compliant meets it.
  assert.equal(evaluate(t.view, { ...WINDOWS, deviceCompliant: true }).uncertain, undefined);
  // The lockout check: no lockout claimed, and not "no lockout" either; the fix names the fact.
  assert.deepEqual(t.lockout.findings, []);
  assert.deepEqual(t.lockout.mayLockOut?.map((f) => [f.policy, f.platforms, f.subjects.map((s) => s.user), f.undeclared]), [['ca-compliant', ['windows'], ['sample@role-global-administrator', 'sample@all-users'], 'secureByDefault']]);
  assert.match(t.lockout.mayLockOut![0]!.fix, /^declare `settings\.secureByDefault` in zerotrust\.yaml .*if it is true, create a Windows compliance policy \(`ztp check --fix` does it for rule ca-requires-compliance-policy\)/);
  const text = lockoutText(t.lockout, (p) => p);
  assert.doesNotMatch(text, /✓ no lockout/);
  assert.match(text, /\? no certain lockout, but one requirement may lock accounts out: devices no compliance policy reaches may be marked noncompliant \(`settings\.secureByDefault`, not declared in zerotrust\.yaml\)$/m);
  // The report's lockout line reads the same check.
  assert.match(t.report, /lockouts unknown/);
  assert.match(t.report, /No account is certainly locked out, but some may be/);
  assert.doesNotMatch(t.report, /✅ No account is locked out/);
});

test('secureByDefault true, no Windows compliance policy: unsatisfiable everywhere, as ca-requires-compliance-policy says (audit r27 s2)', async () => {
  const t = await tenant('grant-facts-sbd-true');
  const missing = t.findings.find((f) => f.ruleId === 'ca-requires-compliance-policy');
  assert.ok(missing);
  assert.match(missing.message, /every such device is marked noncompliant and blocked/);
  const c = t.model.grant(policyOf(t, 'ca-compliant'), 'windows').controls.find((x) => x.control === 'compliantDevice')!;
  assert.equal(c.status, 'impossible');
  assert.equal(c.undeclared, undefined);
  const r = evaluate(t.view, WINDOWS);
  assert.equal(r.verdict, 'unsatisfiable');
  assert.equal(r.uncertain, undefined);
  assert.deepEqual(t.lockout.findings.map((f) => [f.policy, f.verdict, f.platforms]), [['ca-compliant', 'unsatisfiable', ['windows']]]);
  assert.equal(t.lockout.mayLockOut, undefined);
  assert.match(t.report, /⛔ 1 lockout/);
});

test('licences declared without Intune (ENTRA_ID_P1): a compliant device is impossible in What If and the lockout check, as license-missing reports the policies (audit r27 m1)', async () => {
  const t = await tenant('grant-facts-p1-only');
  const licence = t.findings.filter((f) => f.ruleId === 'license-missing').map((f) => f.file.replace(/^.*[\\/]/, '')).sort();
  assert.deepEqual(licence, ['ca-compliant.yaml', 'win-comp.yaml']);
  const c = t.model.grant(policyOf(t, 'ca-compliant'), 'windows').controls.find((x) => x.control === 'compliantDevice')!;
  assert.equal(c.status, 'impossible');
  assert.equal(c.gap, 'unlicensed');
  assert.equal(c.rule, 'license-missing');
  const r = evaluate(t.view, WINDOWS);
  assert.equal(r.verdict, 'unsatisfiable');
  assert.match(r.unsatisfiable[0]!.reason, /the licences in zerotrust\.yaml \(`ENTRA_ID_P1`\) include none with Intune compliance \(layer 3\)/);
  // Even a device the scenario says is compliant: no device is enrolled and evaluated by Intune.
  assert.equal(evaluate(t.view, { ...WINDOWS, deviceCompliant: true }).verdict, 'unsatisfiable');
  assert.deepEqual(t.lockout.findings.map((f) => [f.policy, f.verdict, f.platforms]), [['ca-compliant', 'unsatisfiable', ['windows']]]);
  assert.match(t.lockout.findings[0]!.fix, /^add the Intune licence the tenant has to `licenses` in zerotrust\.yaml \(see rule license-missing\)/);
  // No rule reports a missing compliance policy: the tenant has one, unlicensed.
  assert.ok(!t.findings.some((f) => f.ruleId === 'ca-requires-compliance-policy' || f.ruleId === 'ca-group-alignment'));
  assert.match(t.report, /⛔ 1 lockout/);
});

test('licences declared without Intune: app protection is impossible, and ca-requires-app-protection does not claim the platform cannot have it', async () => {
  const t = await tenant('grant-facts-p1-only-app-protection');
  assert.deepEqual(t.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId).sort(), ['license-missing', 'license-missing']);
  const c = t.model.grant(policyOf(t, 'ca-ios-app-protection'), 'iOS').controls.find((x) => x.control === 'compliantApplication')!;
  assert.equal(c.status, 'impossible');
  assert.equal(c.gap, 'unlicensed');
  const r = evaluate(t.view, { user: 'someone@contoso.com', platform: 'iOS', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', appProtected: true });
  assert.equal(r.verdict, 'unsatisfiable');
  assert.match(r.unsatisfiable[0]!.reason, /include none with Intune app protection \(layer 1\)/);
  assert.deepEqual(t.lockout.findings.map((f) => [f.policy, f.platforms]), [['ca-ios-app-protection', ['iOS']]]);
});

test('licences not declared (an empty list): unknown, so no licence gap is said by the rule, What If or the lockout check', async () => {
  const t = await tenant('grant-facts-licences-undeclared');
  assert.ok(!t.findings.some((f) => f.ruleId === 'license-missing'));
  assert.equal(t.model.intuneService('compliantDevice'), undefined);
  const r = evaluate(t.view, WINDOWS);
  assert.equal(r.verdict, 'allowedIf');
  assert.equal(r.uncertain, undefined);
  assert.deepEqual(t.lockout.findings, []);
  assert.equal(t.lockout.mayLockOut, undefined);
});

test('settings.mdmAuthority unknown: no device enrolls in Intune, so a compliant device is impossible, as mdm-authority-not-intune says (audit r27 mdm-unknown)', async () => {
  const t = await tenant('grant-facts-mdm-unknown');
  const rule = t.findings.find((f) => f.ruleId === 'mdm-authority-not-intune');
  assert.ok(rule);
  assert.match(rule.message, /no MDM authority is set, so no device can enroll in Intune/);
  const c = t.model.grant(policyOf(t, 'ca-compliant'), 'windows').controls.find((x) => x.control === 'compliantDevice')!;
  assert.equal(c.status, 'impossible');
  assert.equal(c.gap, 'mdmAuthority');
  const r = evaluate(t.view, WINDOWS);
  assert.equal(r.verdict, 'unsatisfiable');
  assert.match(r.unsatisfiable[0]!.reason, /no MDM authority is set, so no device can enroll in Intune \(`settings\.mdmAuthority: unknown`\)/);
  assert.deepEqual(t.lockout.findings.map((f) => [f.policy, f.verdict]), [['ca-compliant', 'unsatisfiable']]);
  assert.match(t.lockout.findings[0]!.fix, /^set the MDM authority to Intune and declare `mdmAuthority: intune` in zerotrust\.yaml \(see rule mdm-authority-not-intune\)/);
  // The report: the compliance policy is not counted as evaluating devices (layer 3 is not complete), and the lockout.
  assert.match(t.report, /\| 3 · Compliance policies \| 🟡 partial — [^|]*Windows compliance ✗ — win-comp reaches no device: no MDM authority is set/);
  assert.match(t.report, /⛔ 1 lockout/);
});

test('settings.mdmAuthority office365: Basic Mobility and Security decides compliance, which the files do not hold: "may be", not "allowed"', async () => {
  const t = await tenant('grant-facts-mdm-office365');
  assert.ok(t.findings.some((f) => f.ruleId === 'mdm-authority-not-intune'));
  const c = t.model.grant(policyOf(t, 'ca-compliant'), 'windows').controls.find((x) => x.control === 'compliantDevice')!;
  assert.equal(c.status, 'possible');
  assert.equal(c.mayBeImpossible, true);
  assert.equal(c.rule, 'mdm-authority-not-intune');
  const r = evaluate(t.view, WINDOWS);
  assert.equal(r.verdict, 'allowedIf');
  assert.equal(r.uncertain?.[0]?.rule, 'mdm-authority-not-intune');
  assert.deepEqual(t.lockout.findings, []);
  assert.deepEqual(t.lockout.mayLockOut?.map((f) => [f.policy, f.rule]), [['ca-compliant', 'mdm-authority-not-intune']]);
  assert.match(lockoutText(t.lockout, (p) => p), /the MDM authority is Office 365, and Basic Mobility and Security's device policies, which these files do not hold, may mark devices noncompliant$/m);
  assert.match(t.report, /\| 3 · Compliance policies \| 🟡 partial — [^|]*Windows compliance \? \(unknown: the MDM authority is Office 365/);
  assert.match(t.report, /No account is certainly locked out, but some may be/);
});

test('ztp diff: removing the only Windows compliance policy, secureByDefault not declared, changes the sign-ins to "may be blocked" (audit r27 df/e1)', async () => {
  const dir = join(ROOT, 'test', 'fixtures-diff', 'compliance-only-policy-removed-sbd-undeclared').replace(/\\/g, '/');
  const [base, head] = await Promise.all([loaded(`${dir}/base`), loaded(`${dir}/head`)]);
  const impact = diffWorkspaces({ service: base, root: `${dir}/base`, label: 'base' }, { service: head, root: `${dir}/head`, label: 'head' });
  // The Markdown against its golden file (written again with UPDATE_GOLDEN=1), as test/unit/diff.test.ts does.
  const md = changeImpactMarkdown(impact);
  if (process.env.UPDATE_GOLDEN) writeFileSync(join(dir, 'expected.md'), md);
  assert.equal(md, readFileSync(join(dir, 'expected.md'), 'utf8'));
  assert.match(md, /may be blocked in practice/);
  const t = impact.tenants[0]!;
  // The Global Administrator is always signed in as (the model's `signInRoles`), and changes alike.
  assert.deepEqual([...new Set(t.signIns.map((c) => c.user))], ['sample@role-global-administrator', 'sample@all-users']);
  for (const c of t.signIns) {
    assert.equal(c.platform, 'windows');
    assert.equal(c.before, 'allowedIf');
    assert.equal(c.after, 'allowedIf');
    assert.doesNotMatch(c.beforeSummary, /may be blocked/);
    assert.match(c.afterSummary, /may be blocked in practice: the tenant has no Windows compliance policy, .*`secureByDefault` \(not declared in zerotrust\.yaml\)/);
  }
});

test('Microsoft 365 F1, whose Intune coverage the licence table and Learn disagree on: "may be" in the grant evaluator, What If and the lockout check, never a certain lockout (review r27 B, f1)', async () => {
  const t = await tenant('grant-facts-f1');
  // license-missing keeps to the table (layers 1-2): the compliance policy and the compliant-device policy.
  const licence = t.findings.filter((f) => f.ruleId === 'license-missing').map((f) => f.file.replace(/^.*[\\/]/, '')).sort();
  assert.deepEqual(licence, ['ca-compliant.yaml', 'win-comp.yaml']);
  const c = t.model.grant(policyOf(t, 'ca-compliant'), 'windows').controls.find((x) => x.control === 'compliantDevice')!;
  assert.notEqual(c.status, 'impossible');
  const r = evaluate(t.view, WINDOWS);
  assert.notEqual(r.verdict, 'unsatisfiable');
  assert.equal(t.lockout.findings.length, 0, 'no certain lockout');
  assert.ok((t.lockout.mayLockOut ?? []).some((m) => m.rule === 'license-missing' && /Microsoft Learn lists it among the licences that include Intune/.test(m.explanation)));
  assert.match((t.lockout.mayLockOut ?? [])[0]!.fix, /^confirm what the tenant's licences include/);
});

/**
 * The twenty-seventh audit's commands that gave two answers, each asked of every reader:
 * - break-glass accounts declared as users and a break-glass group whose `members` the manifest does not list: a block
 *   of All users that excludes only the group "may" exclude the accounts (they may be in it), never a certain lockout
 *   (the audit's adv/a01-nomembers-*); a group whose members are listed decides it (a02, a03);
 * - a block outside the Global Secure Access compliant network: the lockout check's break-glass sign-in is one What If
 *   can be asked (`--compliant-network no`), and gives the same verdict there (r26 expertA t10-litware, ca1003);
 * - an unreadable manifest is no policy file: the diff, What If and the report say the tenant's facts are unknown
 *   (df/d7-bad-manifest).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck, lockoutWhatIfOptions } from '../../server/src/core/lockout';
import { loadTenant } from '../harness/tenant';
import { runBuilt } from '../harness/cli';

const ROOT = join(__dirname, '..', '..');

const load = (dir: string) => loadTenant(dir);

const ztp = runBuilt;

/** A tenant shaped like the audit's adv/a0x: two break-glass users, a break-glass group (members as given), one policy. */
function breakGlassTenant(dir: string, members: string | undefined, grant: string, excludeGroups = '[grp-breakglass]'): void {
  mkdirSync(join(dir, 'ca'), { recursive: true });
  writeFileSync(
    join(dir, 'zerotrust.yaml'),
    `kind: Tenant\nname: a01\nlicenses: [M365_E5]\nplatforms: [windows]\ngroups:\n  - name: grp-breakglass\n${members ? `    members: ${members}\n` : '\n'}  - name: grp-staff\nbreakGlass:\n  groups: [grp-breakglass]\n  users: [bg1@x.com, bg2@x.com]\nsettings:\n  secureByDefault: true\n`,
  );
  writeFileSync(
    join(dir, 'ca', 'ca.yaml'),
    `kind: ConditionalAccessPolicy\nname: ca-block-all\nspec:\n  displayName: block all\n  state: enabled\n  conditions:\n    users:\n      includeUsers: [All]\n      excludeGroups: ${excludeGroups}\n    applications:\n      includeApplications: [All]\n    clientAppTypes: [all]\n  grantControls:\n    operator: OR\n    builtInControls: [${grant}]\n`,
  );
}

const SIGN_IN = { platform: 'windows', app: 'All', clientApp: 'browser', location: 'trusted' } as const;

test('break-glass group with no listed members, excluded by a block of All users: the rule, What If and the lockout check all say "may be"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-bg-nomembers-'));
  try {
    breakGlassTenant(dir, undefined, 'block');
    const { view, findings } = await load(dir);
    const f = findings.find((x) => x.ruleId === 'break-glass-not-excluded');
    assert.ok(f, 'the rule still asks for the fact');
    assert.equal(f.severity, 'warning', 'a may-be of a block is a warning, not an error');
    assert.match(f.message, /excludes the break-glass group `grp-breakglass`, whose `members` the manifest does not list, so whether the break-glass users `bg1@x\.com` and `bg2@x\.com` are in it is unknown/);
    assert.match(f.message, /list its `members` in the manifest, or add the users to `excludeUsers`/);
    // What If: not "blocked by", a doubt that names the group and the facts that decide it.
    const w = evaluate(view, { user: 'bg1@x.com', ...SIGN_IN });
    assert.deepEqual(w.blockedBy, []);
    assert.notEqual(w.verdict, 'blocked');
    assert.ok(w.uncertain?.some((u) => u.policy === 'ca-block-all' && u.control === 'block' && u.rule === 'break-glass-not-excluded' && /`grp-breakglass`/.test(u.reason)));
    // The lockout check: no certain lockout of a break-glass account; both accounts "may be locked out", with the fix.
    const r = lockoutCheck(view);
    assert.ok(!r.findings.some((x) => x.subjects.some((s) => s.kind === 'breakGlass')), JSON.stringify(r.findings.map((x) => x.subjects.map((s) => s.user))));
    const doubt = r.mayLockOut?.find((x) => x.policy === 'ca-block-all');
    assert.ok(doubt);
    assert.deepEqual(doubt.subjects.map((s) => s.user).sort(), ['bg1@x.com', 'bg2@x.com']);
    assert.deepEqual(doubt.mayBeInGroups, ['grp-breakglass']);
    assert.match(doubt.fix, /list the `members` of the break-glass group `grp-breakglass` in the manifest/);
    // An MFA grant: information, and nothing to doubt in the lockout check (MFA can be met).
    breakGlassTenant(dir, undefined, 'mfa');
    const mfa = await load(dir);
    assert.equal(mfa.findings.find((x) => x.ruleId === 'break-glass-not-excluded')?.severity, 'information');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ztp whatif --lockout: break-glass accounts that may be in an excluded group listing no members are a doubt, exit 0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-bg-nomembers-cli-'));
  try {
    // A block of everyone but the staff (an allowlist: a user outside it is kept out on purpose) and the break-glass group.
    breakGlassTenant(dir, undefined, 'block', '[grp-breakglass, grp-staff]');
    const r = ztp(['whatif', '--lockout', dir]);
    assert.equal(r.code, 0, r.stdout);
    // The break-glass accounts, and the Global Administrator (always signed in as), who may be in the group alike.
    assert.match(r.stdout, /May be locked out \(2\)/);
    assert.match(r.stdout, /who {3}bg1@x\.com \(break-glass\); bg2@x\.com \(break-glass\)/);
    assert.match(r.stdout, /a policy may exclude the break-glass accounts through `grp-breakglass`, whose `members` zerotrust\.yaml does not list/);
    assert.doesNotMatch(r.stdout, /by object ids/);
    assert.doesNotMatch(r.stdout, /✗ BLOCKED/);
    const c = ztp(['check', dir]);
    assert.equal(c.code, 0, c.stdout);
    assert.match(c.stdout, /warning break-glass-not-excluded/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('break-glass group whose members are listed decides it: a user it does not list is blocked for certain, by every reader', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-bg-listed-'));
  try {
    for (const [members, blocked] of [
      ['[other@x.com]', ['bg1@x.com', 'bg2@x.com']],
      ['[bg1@x.com]', ['bg2@x.com']],
    ] as const) {
      rmSync(dir, { recursive: true, force: true });
      breakGlassTenant(dir, members, 'block');
      const { view, findings } = await load(dir);
      const f = findings.find((x) => x.ruleId === 'break-glass-not-excluded');
      assert.equal(f?.severity, 'error', members);
      assert.doesNotMatch(f.message, /is unknown|are in it/);
      const r = lockoutCheck(view);
      const hit = r.findings.find((x) => x.policy === 'ca-block-all' && x.subjects.some((s) => s.kind === 'breakGlass'));
      assert.deepEqual(hit?.subjects.map((s) => s.user).sort(), [...blocked], members);
      assert.equal(r.mayLockOut, undefined);
      for (const user of blocked) assert.deepEqual(evaluate(view, { user, ...SIGN_IN }).blockedBy, ['ca-block-all']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a block outside the compliant network: the lockout check carries the What If options of its sign-in, and What If with them gives its verdict', async () => {
  const tenant = join(ROOT, 'test', 'fixtures-whatif', 'compliant-network-block');
  const { view } = await load(tenant);
  const r = lockoutCheck(view);
  const hit = r.findings.find((f) => f.policy === 'ca1003-azure-compliant-network');
  assert.ok(hit);
  const bg = hit.subjects[0]!;
  assert.equal(bg.compliantNetwork, false, 'the check assumes the break-glass sign-in is not through the compliant network');
  assert.deepEqual(lockoutWhatIfOptions(bg).slice(-4), ['--location', 'trusted', '--compliant-network', 'no']);
  // The sample users carry no such assumption.
  assert.ok(r.subjects.filter((s) => s.kind === 'sample').every((s) => s.compliantNetwork === undefined));
  // The same sign-in through the CLI: the lockout check's JSON gives the options, and What If with them is blocked.
  const json = JSON.parse(ztp(['whatif', '--lockout', tenant, '--format', 'json']).stdout);
  const subject = json.subjects.find((s: { user: string }) => s.user === bg.user);
  for (const platform of hit.platforms) {
    const w = ztp(['whatif', tenant, ...subject.whatIf, '--platform', platform, '--client-app', hit.clientApps[0]!, '--format', 'json']);
    assert.equal(w.code, 0, w.stderr);
    assert.equal(JSON.parse(w.stdout).verdict, 'blocked', platform);
  }
  // Without the assumption, a trusted location may be reached through the compliant network: a doubt, not a block.
  const unsaid = ztp(['whatif', tenant, '--user', bg.user, '--platform', 'windows', '--location', 'trusted', '--format', 'json']);
  assert.notEqual(JSON.parse(unsaid.stdout).verdict, 'blocked');
  // Through it, allowed; the text says what the sign-in assumed.
  const through = ztp(['whatif', tenant, '--user', bg.user, '--platform', 'windows', '--location', 'trusted', '--compliant-network', 'yes']);
  assert.match(through.stdout, /a trusted location, through the Global Secure Access compliant network/);
  assert.doesNotMatch(through.stdout, /Result: blocked/);
  // The text of the lockout check says the assumption and the What If that asks it.
  const text = ztp(['whatif', '--lockout', tenant]).stdout;
  assert.match(text, /the break-glass accounts not through the Global Secure Access compliant network/);
  assert.match(text, /What If of one sign-in: ztp whatif <tenant> --user bg-admin1@litware\.com --role "Global Administrator" --location trusted --compliant-network no --platform <platform>/);
  const bad = ztp(['whatif', tenant, '--user', bg.user, '--platform', 'windows', '--compliant-network', 'maybe']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--compliant-network takes yes or no/);
});

test('an unreadable manifest is no policy file: diff, What If and the report say the tenant\'s facts are unknown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-bad-manifest-'));
  try {
    const base = join(dir, 'base', 'contoso');
    const head = join(dir, 'head', 'contoso');
    cpSync(join(ROOT, 'examples', 'contoso'), base, { recursive: true });
    cpSync(join(ROOT, 'examples', 'contoso'), head, { recursive: true });
    // A Windows-1252 byte (é as 0xE9) in a description: not UTF-8, so the manifest does not parse.
    const text = readFileSync(join(head, 'zerotrust.yaml'));
    writeFileSync(join(head, 'zerotrust.yaml'), Buffer.concat([text, Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const d = ztp(['diff', 'base', 'head'], dir);
    assert.match(d.stdout, /the manifest is no longer readable; the tenant's facts are unknown/);
    assert.doesNotMatch(d.stdout, /changed +Tenant contoso/);
    assert.doesNotMatch(d.stdout, /licenses: .* → —/);
    assert.doesNotMatch(d.stdout, /zerotrust\.yaml` (is|are) not analysed .*may hold a Conditional Access policy/);
    const md = ztp(['diff', 'base', 'head', '--format', 'markdown'], dir);
    assert.match(md.stdout, /the manifest is no longer readable; the tenant's facts are unknown/);
    const w = ztp(['whatif', head, '--user', 'a@contoso.com', '--platform', 'windows']);
    assert.match(w.stdout, /the manifest `[^`]*zerotrust\.yaml` could not be read, so the tenant's facts are unknown/);
    assert.doesNotMatch(w.stdout, /zerotrust\.yaml` is not analysed/);
    const rep = ztp(['report', head]);
    assert.doesNotMatch(rep.stdout, /zerotrust\.yaml` is not analysed/);
    assert.doesNotMatch(rep.stdout, /zerotrust\.yaml[^|]*may hold/);
    assert.match(rep.stdout, /the manifest `zerotrust\.yaml` could not be read, so the tenant's facts are unknown/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

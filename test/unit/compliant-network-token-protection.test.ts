/**
 * Two readings an identity expert's tenants showed wrong (review A, round 26): a block of everything outside the
 * Global Secure Access compliant network for All users, not excluding the break-glass accounts, is a lockout for them
 * (the lockout check said "no lockout"; test/fixtures-whatif/compliant-network-block, shaped like t10b's ca1003); and a
 * token protection policy on every platform and client app may block Android and browser sign-ins, which What If says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { tokenProtectionUnsupported } from '../../server/src/core/model/token-protection';
import { loadTenant } from '../harness/tenant';

const ROOT = join(__dirname, '..', '..');

const load = (dir: string) => loadTenant(dir);

test('lockout: a block outside the compliant network alone locks the break-glass accounts out; the pilot group is restricted, not locked out', async () => {
  const { view, findings } = await load(join(ROOT, 'test', 'fixtures-whatif', 'compliant-network-block'));
  assert.ok(findings.some((f) => f.ruleId === 'break-glass-not-excluded' && f.severity === 'error'));
  const r = lockoutCheck(view);
  const hit = r.findings.find((f) => f.policy === 'ca1003-azure-compliant-network');
  assert.ok(hit, 'ca1003 locks the break-glass accounts out');
  assert.equal(hit.verdict, 'blocked');
  assert.deepEqual(hit.subjects.map((s) => s.kind), ['breakGlass', 'breakGlass']);
  assert.match(hit.explanation, /everywhere but the Global Secure Access compliant network/);
  assert.match(hit.fix, /exclude the break-glass accounts from ca1003-azure-compliant-network/);
  // A member of the GSA pilot group signing in through the client is what the block is for: no lockout of theirs.
  assert.ok(!r.findings.some((f) => f.subjects.some((s) => s.kind === 'sample')));
  // What If for an ordinary sign-in names the compliant network, not an unexported named location.
  const w = evaluate(view, { user: 'it.one@litware.com', platform: 'windows', app: 'All', clientApp: 'browser', location: 'trusted' });
  assert.match(w.summary, /unless the sign-in comes through the Global Secure Access compliant network/);
  assert.doesNotMatch(w.summary, /exports no named location `AllCompliantNetworkLocations`/);
  // Told it comes through it, the blocks do not apply.
  assert.equal(evaluate(view, { user: 'it.one@litware.com', platform: 'windows', app: 'All', clientApp: 'browser', location: 'trusted', compliantNetwork: true }).blockedBy.length, 0);
});

test('token protection: one answer for the rule and What If, browsers and Android unsupported', async () => {
  assert.equal(tokenProtectionUnsupported('windows', 'mobileAppsAndDesktopClients'), undefined);
  assert.equal(tokenProtectionUnsupported('iOS', 'mobileAppsAndDesktopClients'), undefined);
  assert.match(tokenProtectionUnsupported('windows', 'browser') ?? '', /browsers/);
  assert.match(tokenProtectionUnsupported('android', 'mobileAppsAndDesktopClients') ?? '', /Android/);
  const { view, findings } = await load(join(ROOT, 'test', 'fixtures', 'ca-token-protection-unsupported', 'fires-all-apps-all-clients'));
  const f = findings.find((x) => x.ruleId === 'ca-token-protection-unsupported');
  assert.ok(f);
  assert.match(f.message, /browsers .*Android/);
  assert.match(f.message, /mobileAppsAndDesktopClients/);
  const android = evaluate(view, { user: 'fin.user1@woodgrove.com', platform: 'android', app: 'All', clientApp: 'mobileAppsAndDesktopClients' });
  assert.match(android.summary, /may be blocked in practice: ca305-token-protection-finance requires token protection, but it does not support Android/);
  const windows = evaluate(view, { user: 'fin.user1@woodgrove.com', platform: 'windows', app: 'All', clientApp: 'mobileAppsAndDesktopClients' });
  assert.doesNotMatch(windows.summary, /token protection/);
});

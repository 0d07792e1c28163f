/**
 * The twenty-eighth pass's findings from public material and expert tenants, where the words of a finding are what
 * was wrong (fixtures say which rule fires; these say what it tells the admin).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';

const FIXTURES = join(__dirname, '..', 'fixtures');

async function findingsOf(dir: string) {
  const service = createPolicyService({ fs: nodeFileSystem });
  for (const f of await service.discover(dir)) await service.load(f);
  return service.analyzeTenant(dir);
}

test('legacy-auth-not-blocked names a block named as the legacy authentication block whose client app types are the modern ones, with why it keeps no legacy client out', async () => {
  const findings = await findingsOf(join(FIXTURES, 'legacy-auth-not-blocked', 'fires-named-block-of-modern-clients'));
  const legacy = findings.filter((f) => f.ruleId === 'legacy-auth-not-blocked');
  assert.equal(legacy.length, 1);
  assert.match(legacy[0]!.message, /`ca-block-basicauth-all` comes closest but does not include `exchangeActiveSync` and `other` in `clientAppTypes`/);
  assert.ok(legacy[0]!.related?.some((r) => /ca-block-basicauth-all\.yaml$/.test(r.file)), 'the policy is pointed at');
});

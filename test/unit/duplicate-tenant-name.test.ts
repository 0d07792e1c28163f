/**
 * `duplicate-tenant-name` reads across tenant folders (`TenantView.sameNameTenants`): an edit of one manifest's
 * `name` changes another tenant's findings, in the language server's incremental store and a one-shot one alike; and
 * `ztp check` finds on N threads what it finds on one (each thread holds one tenant, and is told the others' names).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createPolicyService, type PolicyService } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { FIXTURE_NOW } from '../harness/fixtures';
import { runInProcess, tempDir } from '../harness/cli';

const manifest = (name: string): string => `kind: Tenant\nname: ${name}\nlicenses: [M365_E3]\nplatforms: [windows]\n`;

function write(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root.replace(/\\/g, '/');
}

async function loaded(dir: string, incremental: boolean): Promise<PolicyService> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW, incremental });
  for (const f of await service.discover(dir)) await service.load(f);
  return service;
}

const dupes = (s: PolicyService): string[] => s.analyzeAll().filter((f) => f.ruleId === 'duplicate-tenant-name').map((f) => `${f.file.replace(/^.*\/ws\//, '')}: ${f.message}`);

for (const incremental of [true, false]) {
  test(`a manifest's name edited: the other tenant's finding follows (${incremental ? 'incremental' : 'one-shot'} store)`, async (t) => {
    const dir = write(join(tempDir(t, 'dup-tenant'), 'ws'), { 'litware/zerotrust.yaml': manifest('litware'), 'newclient/zerotrust.yaml': manifest('litware'), 'other/zerotrust.yaml': manifest('other') });
    const s = await loaded(dir, incremental);
    assert.deepEqual(dupes(s), ['newclient/zerotrust.yaml: the tenant name `litware` is also the name of the tenant folder `../litware` (relative to this one): a customer folder copied with its manifest? Reports, `ztp diff` and What If name tenants by this name, so give each tenant its own']);
    // The first folder renamed: the second keeps its name, and its finding goes.
    s.update(`${dir}/litware/zerotrust.yaml`, manifest('litware-old'), 2);
    assert.deepEqual(dupes(s), []);
    // A third tenant takes the name: it comes after `newclient`, so it is the one told.
    s.update(`${dir}/other/zerotrust.yaml`, manifest('litware'), 3);
    assert.deepEqual(dupes(s).map((m) => m.split(':')[0]), ['other/zerotrust.yaml']);
    // The first one removed: no clash left.
    s.remove(`${dir}/newclient/zerotrust.yaml`);
    assert.deepEqual(dupes(s), []);
  });
}

test('ztp check: the same finding on one thread and on two', async (t) => {
  const dir = tempDir(t, 'dup-tenant-cli');
  write(dir, { 'litware/zerotrust.yaml': manifest('litware'), 'newclient/zerotrust.yaml': manifest('litware') });
  const env = { PATH: process.env.PATH, NO_COLOR: '1' };
  const one = await runInProcess(['check', '.', '--format', 'json', '--jobs', '1'], { cwd: dir, env });
  const two = await runInProcess(['check', '.', '--format', 'json', '--jobs', '2'], { cwd: dir, env });
  assert.equal(one.stdout, two.stdout);
  const found = (JSON.parse(one.stdout) as { code: string; file: string }[]).filter((f) => f.code === 'duplicate-tenant-name');
  assert.deepEqual(found.map((f) => f.file.replace(/\\/g, '/')), ['newclient/zerotrust.yaml']);
});

/**
 * `ztp check`'s summary counts the tenants whose files it checked: a folder below a tenant folder that holds only a
 * nested tenant is one tenant, not two (expert repro-sub), on one thread and on two.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runInProcess, tempDir } from '../harness/cli';

const manifest = (name: string): string => `kind: Tenant\nname: ${name}\nlicenses: [M365_E3]\nplatforms: [windows]\n`;
const compliance = `kind: CompliancePolicy
name: win-compliance
assignments:
  include: [allDevices]
spec:
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"
  displayName: Windows compliance
  bitLockerEnabled: true
`;

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

test('ztp check <folder inside a tenant, holding a nested tenant>: the nested tenant alone is counted', async (t) => {
  const dir = tempDir(t, 'check-counts');
  write(dir, { 'outer/zerotrust.yaml': manifest('woodgrove'), 'outer/sub/inner/zerotrust.yaml': manifest('woodgrove-eu'), 'outer/sub/inner/win-compliance.yaml': compliance });
  const env = { PATH: process.env.PATH, NO_COLOR: '1' };
  for (const jobs of ['1', '2']) {
    const sub = await runInProcess(['check', 'outer/sub', '--jobs', jobs], { cwd: dir, env });
    assert.match(sub.stdout, /\(2 files in 1 tenant checked\)\n$/, sub.stdout);
    const all = await runInProcess(['check', '.', '--jobs', jobs], { cwd: dir, env });
    assert.match(all.stdout, /\(3 files in 2 tenants checked\)\n$/, all.stdout);
    // A file of the outer tenant named alone: its tenant.
    const one = await runInProcess(['check', 'outer/zerotrust.yaml', '--jobs', jobs], { cwd: dir, env });
    assert.match(one.stdout, /\(1 file in 1 tenant checked\)\n$/, one.stdout);
  }
});

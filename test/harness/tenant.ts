/** A tenant folder loaded into a policy service as the editor and `ztp check` load it, for the suites that read its view. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import type { TenantView } from '../../server/src/core/rule';

/** Load every file of `dir` (at `now`, so expiry dates read alike on any day) and give its view and findings. */
export async function loadTenant(dir: string, now = new Date('2026-12-07T00:00:00Z')): Promise<{ view: TenantView; findings: ReturnType<ReturnType<typeof createPolicyService>['analyzeTenant']> }> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => now });
  for (const f of await service.discover(dir)) await service.load(f);
  const root = dir.replace(/\\/g, '/');
  return { view: service.view(root) as TenantView, findings: service.analyzeTenant(root) };
}

/** A copy of a fixture tenant folder to change, removed after `body` (whatever it throws). */
export async function withCopy(from: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-copy-'));
  try {
    cpSync(from, dir, { recursive: true });
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

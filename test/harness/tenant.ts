/** A tenant folder loaded into a policy service as the editor and `ztp check` load it, for the suites that read its view. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import type { TenantView } from '../../server/src/core/rule';
import type { Finding } from '../../server/src/core/types';

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

/** A tenant held in memory (paths under `/t` to their texts), each file sent as the editor sends it: its view and findings. */
export function memoryTenant(files: Record<string, string>): { view: TenantView; findings: Finding[] } {
  const enc = new TextEncoder();
  const service = createPolicyService({ fs: { readFile: async (p) => enc.encode(files[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(files)) service.update(p, text, 1);
  return { view: service.view('/t'), findings: service.findings('/t') };
}

/** A fixture tenant folder's files as `memoryTenant` reads them (`/t/…`), less its golden `_fixed/` output and `drop`. */
export function fixtureFiles(dir: string, drop: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (n !== '_fixed') walk(p);
      } else {
        const rel = relative(dir, p).replace(/\\/g, '/');
        if (!drop.includes(rel)) out[`/t/${rel}`] = readFileSync(p, 'utf8');
      }
    }
  };
  walk(dir);
  return out;
}

/** A Windows settings catalog profile only enrolled devices take (`technologies: mdm`), assigned to all devices. */
export const WINDOWS_CATALOG_PROFILE = [
  'kind: ConfigurationProfile',
  'name: win-restrictions',
  'assignments: { include: [allDevices] }',
  'spec:',
  '  name: Windows - restrictions',
  '  platforms: windows10',
  '  technologies: mdm',
  '  settings:',
  '    - "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting"',
  '      settingInstance:',
  '        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"',
  '        settingDefinitionId: device_vendor_msft_policy_config_experience_allowcortana',
  '        choiceSettingValue: { value: device_vendor_msft_policy_config_experience_allowcortana_0 }',
  '',
].join('\n');

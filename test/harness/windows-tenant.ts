/**
 * A small Windows tenant as the LSP tests write it out: a manifest with one group (`grp-all`) and one team
 * (`endpoint`), and Windows compliance policies numbered `win-<n>`, assigned to a group (a group the manifest lacks
 * gives an `unresolved-group` finding to follow).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The manifest of tenant `name`. */
export function windowsManifest(name = 't'): string {
  return `kind: Tenant\nname: ${name}\nlicenses: [M365_E5]\nplatforms: [windows]\ngroups:\n  - name: grp-all\nteams:\n  endpoint: {}\n`;
}

/**
 * A tenant folder `dir`: the manifest of tenant `name` and `count` Windows compliance policies in `compliance/`
 * (`win-0.yaml`…), policy `n` assigned to `group(n)` (`grp-all` unless given).
 */
export function writeWindowsTenant(dir: string, count: number, options: { name?: string; group?: (n: number) => string } = {}): void {
  mkdirSync(join(dir, 'compliance'), { recursive: true });
  writeFileSync(join(dir, 'zerotrust.yaml'), windowsManifest(options.name));
  for (let n = 0; n < count; n++) writeFileSync(join(dir, 'compliance', `win-${n}.yaml`), windowsCompliancePolicy(n, options.group?.(n)));
}

/** Windows compliance policy `win-<n>`, assigned to `group`. */
export function windowsCompliancePolicy(n: number, group = 'grp-all'): string {
  return `kind: CompliancePolicy\nname: win-${n}\nowner: endpoint\nassignments:\n  include: [${group}]\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: Windows ${n}\n  bitLockerEnabled: true\n`;
}

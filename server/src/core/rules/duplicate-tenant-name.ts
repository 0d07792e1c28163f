import { spanAtPath } from '../document';
import { relative } from '../paths';
import type { Rule } from '../rule';

/** Two tenant folders checked together have manifests of the same `name`. */
export const duplicateTenantName: Rule = {
  id: 'duplicate-tenant-name',
  title: 'Two tenant folders share a manifest name',
  category: 'structure',
  defaultSeverity: 'warning',
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    const before = tenant.sameNameTenants ?? [];
    if (!tenant.root || !manifest?.name || !before.length) return;
    // The first folder of the name (in path order) keeps it; each later one is told which folders came first.
    const folders = before.map((r) => `\`${relative(tenant.root!, r) || '.'}\``);
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['name'], 'value'),
      message: `the tenant name \`${manifest.name.trim()}\` is also the name of ${folders.length > 1 ? `the tenant folders ${folders.slice(0, -1).join(', ')} and ${folders[folders.length - 1]}` : `the tenant folder ${folders[0]}`} (relative to this one): a customer folder copied with its manifest? Reports, \`ztp diff\` and What If name tenants by this name, so give each tenant its own`,
    });
  },
};

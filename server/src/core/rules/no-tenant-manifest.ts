import { firstLineSpan } from '../document';
import type { Rule } from '../rule';

/** The policy file is in no tenant folder. */
export const noTenantManifest: Rule = {
  id: 'no-tenant-manifest',
  title: 'The policy file is in no tenant folder',
  category: 'structure',
  defaultSeverity: 'information',
  check(tenant, emit) {
    if (tenant.root) return;
    for (const p of tenant.policies) {
      if (!p.kind) continue;
      emit({
        file: p,
        span: firstLineSpan(p.parsed),
        message: 'this policy file is in no tenant folder, so only its schema is checked; add a zerotrust.yaml to the tenant\'s folder to turn on the cross-file checks',
      });
    }
  },
};

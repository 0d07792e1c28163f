import { firstLineSpan } from '../document';
import { MANIFEST_FILE } from '../facts';
import { dirname, isInside, relative } from '../paths';
import type { Rule } from '../rule';

/** The policy file is in no tenant folder. */
export const noTenantManifest: Rule = {
  id: 'no-tenant-manifest',
  title: 'The policy file is in no tenant folder',
  category: 'structure',
  defaultSeverity: 'information',
  check(tenant, emit) {
    if (tenant.root) return;
    const lookalikes = tenant.manifestLookalikes ?? [];
    for (const p of tenant.policies) {
      if (!p.kind) continue;
      // A `zerotrust.yml` (or `.json`, or `ZeroTrust.yaml`) beside the file or above it was meant as its manifest: the
      // nearest one is named, since renaming it is the fix.
      const near = lookalikes.filter((l) => isInside(dirname(l), p.path)).sort((a, b) => b.length - a.length)[0];
      emit({
        file: p,
        span: firstLineSpan(p.parsed),
        message: near
          ? `this policy file is in no tenant folder, so only its schema is checked: found \`${relative(dirname(p.path), near)}\`, but the manifest must be named \`${MANIFEST_FILE}\`; rename it to turn on the cross-file checks`
          : 'this policy file is in no tenant folder, so only its schema is checked; add a zerotrust.yaml to the tenant\'s folder to turn on the cross-file checks',
      });
    }
  },
};

import { isTenantDefault } from '../graph';
import { relative } from '../paths';
import type { PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { policySpan } from '../tenant-query';

/** Two or more policies of one tenant share a `name`. */
export const duplicateName: Rule = {
  id: 'duplicate-name',
  title: 'Two policies in a tenant share a name',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant, emit) {
    if (!tenant.root) return;
    const byName = new Map<string, PolicyFacts[]>();
    for (const p of tenant.policies) {
      // Intune's built-in defaults ("All users and all devices", priority 0) share one display name in every tenant.
      if (!p.name || !p.kind || (p.raw && isTenantDefault(p))) continue;
      const list = byName.get(p.name) ?? [];
      list.push(p);
      byName.set(p.name, list);
    }
    for (const [name, list] of byName) {
      if (list.length < 2) continue;
      for (const p of list) {
        const others = list.filter((o) => o !== p);
        emit({
          file: p,
          span: policySpan(p, ['name'], 'value'),
          message: `the name \`${name}\` is also used by ${others.map((o) => relative(tenant.root!, o.path).replace(/\\/g, '/')).join(', ')}; names must be unique in the tenant`,
          related: others.map((o) => ({ file: o.path, span: policySpan(o, ['name'], 'value'), message: `\`${name}\` is also used here` })),
        });
      }
    }
  },
};

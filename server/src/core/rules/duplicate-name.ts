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
    // Each name's first policy, and the policies of each name used more than once (in the tenant's order). Runs after
    // every edit of the tenant: no list is made for a name used once, as most are.
    const first = new Map<string, PolicyFacts>();
    const shared = new Map<string, PolicyFacts[]>();
    const add = (p: PolicyFacts, name: string): void => {
      const seen = first.get(name);
      if (!seen) first.set(name, p);
      else {
        const list = shared.get(name);
        if (list) list.push(p);
        else shared.set(name, [seen, p]);
      }
    };
    for (const p of tenant.policies) {
      // A raw Graph export has no name of its own: the one it goes by comes from its display name, which Graph lets
      // objects share (Intune's built-in defaults in every tenant; one Android platform restriction, written as two
      // objects of one name, one per enrollment type). Only names an author wrote are compared among themselves.
      if (!p.name || !p.kind || p.raw) continue;
      add(p, p.name);
    }
    // A raw export that goes by the name of a policy file of its kind is most likely the export that file was made
    // from, left in the tenant: every rule would count the policy twice, and `ztp export` would create it twice.
    // Same kind, same name, and the same display name as the file (the import keeps it): a raw export of another
    // policy whose display name only slugs to the same name is left alone.
    const displayName = (p: PolicyFacts | undefined): string | undefined => (typeof p?.spec?.displayName === 'string' ? p.spec.displayName.trim().toLowerCase() : undefined);
    const raws = tenant.policies.filter((p) => {
      const file = p.raw && p.kind && p.name ? first.get(p.name) : undefined;
      return file?.kind === p.kind && displayName(file) !== undefined && displayName(file) === displayName(p);
    });
    for (const p of raws) add(p, p.name!);
    if (!shared.size) return;
    for (const name of first.keys()) {
      const list = shared.get(name);
      if (!list) continue;
      for (const p of list) {
        const others = list.filter((o) => o !== p);
        emit({
          file: p,
          span: policySpan(p, ['name'], 'value'),
          message: `the name \`${name}\` is also used by ${others.map((o) => relative(tenant.root!, o.path).replace(/\\/g, '/')).join(', ')}; names must be unique in the tenant${list.some((o) => o.raw) ? ' (a raw Graph export goes by its display name: if it is the export a policy file was imported from, delete one of the two files, or every check counts the policy twice and `ztp export` creates it twice)' : ''}`,
          related: others.map((o) => ({ file: o.path, span: policySpan(o, ['name'], 'value'), message: `\`${name}\` is also used here` })),
        });
      }
    }
  },
};

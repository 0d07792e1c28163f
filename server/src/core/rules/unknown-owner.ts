import { spanAtPath } from '../document';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { closest } from '../prose';

/** The owner is not a key of the manifest's `teams`. */
export const unknownOwner: Rule = {
  id: 'unknown-owner',
  title: 'The owner is not one of the manifest\'s teams',
  category: 'structure',
  defaultSeverity: 'warning',
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest) return;
    for (const p of tenant.policies) {
      if (p.owner === undefined || manifest.teams.includes(p.owner)) continue;
      const hint = closest(p.owner, manifest.teams);
      emit({
        file: p,
        span: policySpan(p, ['owner'], 'value'),
        message: manifest.teams.length
          ? `\`${p.owner}\` is not a team in zerotrust.yaml; expected one of ${manifest.teams.join(', ')}${hint ? ` (did you mean \`${hint}\`?)` : ''}`
          : `\`${p.owner}\` is not a team in zerotrust.yaml, which lists no \`teams\`; add it there`,
        related: [{ file: manifest.path, span: spanAtPath(manifest.parsed, ['teams'], 'key'), message: 'the manifest\'s teams' }],
      });
    }
  },
};

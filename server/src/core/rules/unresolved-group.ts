import { spanAtPath } from '../document';
import type { FileFacts, GroupRef, ManifestFacts } from '../facts';
import type { Rule } from '../rule';
import { closest } from '../schema/validator';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a reference (a group name, or a GUID matching a group's `id`) names a manifest group. */
export function resolveGroup(manifest: ManifestFacts, value: string): string | undefined {
  const byName = manifest.groups.find((g) => g.name === value);
  if (byName) return byName.name;
  if (GUID.test(value)) return manifest.groups.find((g) => g.id?.toLowerCase() === value.toLowerCase())?.name;
  return undefined;
}

/** A group name or GUID that the manifest does not list. */
export const unresolvedGroup: Rule = {
  id: 'unresolved-group',
  title: 'A group reference that the manifest does not list',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest) return;
    const names = manifest.groups.map((g) => g.name);
    const report = (file: FileFacts, ref: GroupRef): void => {
      if (resolveGroup(manifest, ref.value)) return;
      const isGuid = GUID.test(ref.value);
      const hint = isGuid ? undefined : closest(ref.value, names);
      const fixText = isGuid
        ? 'add a group with this `id` to `groups` in zerotrust.yaml'
        : `add it to \`groups\` in zerotrust.yaml${hint ? `, or did you mean \`${hint}\`?` : ''}`;
      emit({
        file,
        span: spanAtPath(file.parsed, ref.path, 'value'),
        message: `${isGuid ? 'group id' : 'group'} \`${ref.value}\` is not in the tenant manifest; ${fixText}`,
        related: [{ file: manifest.path, span: spanAtPath(manifest.parsed, ['groups'], 'key'), message: 'the manifest\'s groups' }],
        data: { group: ref.value, suggestion: hint },
      });
    };
    for (const p of tenant.policies) for (const ref of p.groupRefs) report(p, ref);
    manifest.breakGlass.groups.forEach((g, i) => report(manifest, { value: g, path: ['breakGlass', 'groups', i], where: 'manifest' }));
  },
};

import { isTemplateVariable, templateVariableText } from '../schema/issue';
import { spanAtPath } from '../document';
import type { FileFacts, GroupRef } from '../facts';
import type { Rule } from '../rule';
import { closest } from '../prose';

import { GUID, resolveGroup } from '../model/groups';

/** A group name or GUID that the manifest does not list. */
export const unresolvedGroup: Rule = {
  id: 'unresolved-group',
  title: 'A group reference that the manifest does not list',
  category: 'structure',
  defaultSeverity: 'error',
  peers: ['MT.1038'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest) return;
    const names = manifest.groups.map((g) => g.name);
    const report = (file: FileFacts, ref: GroupRef): void => {
      if (resolveGroup(manifest, ref.value)) return;
      // A template's variable (`%CA504ExclGroupId%`, which CIPP fills in per tenant): in a raw export, which can only be
      // a template's body, a note that the group is known once substituted; in a policy file of ours, an error that says
      // what it is (ztp export would send it as written).
      if (isTemplateVariable(ref.value)) {
        const raw = file.type === 'policy' && !!file.raw;
        emit({
          file,
          span: spanAtPath(file.parsed, ref.path, 'value'),
          message: `group \`${ref.value}\` is ${templateVariableText(ref.value)}: ${raw ? 'which group it names is known once it is substituted' : 'replace it with a group of zerotrust.yaml, or its object id'}`,
          ...(raw ? { severity: 'information' as const } : {}),
          data: { group: ref.value },
        });
        return;
      }
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

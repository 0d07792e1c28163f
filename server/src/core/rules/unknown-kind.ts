import { firstLineSpan, isPlainObject, spanAtPath } from '../document';
import { describeForeignGraphType, graphTypeName } from '../graph';
import { KIND_NAMES } from '../kinds';
import type { Rule } from '../rule';
import { closest } from '../schema/validator';

/** `kind` is missing or not one of the catalogue's kinds. */
export const unknownKind: Rule = {
  id: 'unknown-kind',
  title: '`kind` is missing or not a known policy kind',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant, emit) {
    for (const file of tenant.policies) {
      if (file.kind) continue;
      const list = KIND_NAMES.join(', ');
      const foreign = file.kindValue === undefined && isPlainObject(file.value) && !('spec' in file.value) ? graphTypeName(file.value['@odata.type']) : undefined;
      if (foreign) {
        // A raw Graph export of a resource that no kind holds (an update ring, a named location…).
        // Information, not an error: a full Intune backup holds many resources no kind checks, and they are not wrong.
        emit({
          file,
          severity: 'information',
          span: spanAtPath(file.parsed, ['@odata.type'], 'value'),
          message: `\`#microsoft.graph.${foreign}\` is ${describeForeignGraphType(foreign)}, so this Graph export is not analysed; raw exports are read when their \`@odata.type\` is one of the kinds' resources. Move the file out of the tenant folder, or leave it: nothing here checks it`,
        });
      } else if (file.kindValue === undefined) {
        emit({ file, span: firstLineSpan(file.parsed), message: `the file has no \`kind\`; add \`kind:\` with one of ${list}` });
      } else {
        const hint = typeof file.kindValue === 'string' ? closest(file.kindValue, KIND_NAMES) : undefined;
        const shown = typeof file.kindValue === 'string' ? `\`${file.kindValue}\`` : 'this value';
        emit({
          file,
          span: spanAtPath(file.parsed, ['kind'], 'value'),
          message: `${shown} is not a policy kind; expected one of ${list}${hint ? ` (did you mean \`${hint}\`?)` : ''}`,
        });
      }
    }
  },
};

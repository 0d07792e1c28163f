import { spanAtPath } from '../document';
import type { Rule } from '../rule';

/** The file breaks its kind's JSON schema (Graph's property names, types and enums). */
export const schema: Rule = {
  id: 'schema',
  title: 'The file breaks its kind\'s schema',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant, emit) {
    for (const file of tenant.files) {
      if (file.type === 'other' || file.parsed.syntaxErrors.length) continue;
      for (const issue of file.schemaIssues) {
        emit({ file, span: spanAtPath(file.parsed, issue.path, issue.target), message: issue.message, severity: issue.severity, data: { path: issue.path } });
      }
    }
  },
};

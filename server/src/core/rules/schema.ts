import { spanAtPath, spanWithinValue, valueAtPath } from '../document';
import { unquotedMessage } from '../schema/validator';
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
        // On the token of a value the issue is about (a device filter rule's attribute), where it names one.
        const span = issue.within ? spanWithinValue(file.parsed, issue.path, issue.within) : spanAtPath(file.parsed, issue.path, issue.target);
        const written = issue.unquoted ? file.parsed.text.slice(span.offset, span.offset + span.length) : '';
        // A plain scalar, as the file writes it (`17.0`); anything else (a raw export's path mapping) keeps the general message.
        const message = written && /^[^"'\s][^\r\n]{0,60}$/.test(written) ? unquotedMessage(issue, written, file.parsed.format, valueAtPath(file.value, issue.path)) : issue.message;
        emit({ file, span, message, severity: issue.severity, ...(issue.deprecated ? { tags: ['deprecated' as const] } : {}), data: { path: issue.path } });
      }
    }
  },
};


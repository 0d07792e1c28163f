import type { Rule } from '../rule';

/** The file does not parse (or is not text): YAML for `.yaml`/`.yml`, strict JSON for `.json` (document.ts). */
export const yamlSyntax: Rule = {
  id: 'yaml-syntax',
  title: 'The file does not parse as YAML or JSON',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant, emit) {
    for (const file of tenant.files) {
      for (const e of file.parsed.syntaxErrors) {
        emit({ file, span: e.span, message: `${file.parsed.format === 'json' ? 'JSON' : 'YAML'} syntax: ${e.message}` });
      }
    }
  },
};

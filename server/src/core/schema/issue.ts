import type { JsonPath } from '../document';

/** One thing a file's schema (or what Graph refuses beyond it) finds, at a place in the file. */
export interface SchemaIssue {
  path: JsonPath;
  target: 'key' | 'value' | 'auto';
  message: string;
  /**
   * `warning` for a property that Graph's metadata does not list but that may be newer than the metadata (the
   * format's rule on Graph drift), or a manifest reference the checks cannot follow but that may still be right
   * (`manifest-constraints.ts`); `information` for the template variables of a raw export (`templateVariables`); an
   * error otherwise.
   */
  severity?: 'warning' | 'information';
  /**
   * Graph takes the body as `ztp export` sends it (a keyword in another case, sent in Graph's spelling; an enrollment
   * configuration this format's kind does not hold): the warning is the format's, not a refusal to come.
   */
  graphTakesIt?: true;
  /**
   * Text written without quotes, read as a number or a boolean (`osMinimumVersion: 17.0`): the schema rule words the
   * message from the file's own text (`unquotedMessage`).
   */
  unquoted?: 'number' | 'boolean';
  /**
   * The template variables (`%tenantid%`, a CIPP custom variable) standing, whole, where Graph takes another value: a
   * raw export's are one note (`templateVariableIssues` in `validator.ts`), checked once substituted.
   */
  templateVariables?: string[];
}

/**
 * A template's variable as CIPP writes one, the whole value (`%tenantid%`, `%serial%`, a custom `%BatterySleepTimeout%`):
 * CIPP replaces each in the template's text per tenant before it deploys it (CIPP-API `Get-CIPPTextReplacement`).
 */
export function isTemplateVariable(value: unknown): value is string {
  return typeof value === 'string' && /^%[A-Za-z0-9_.-]+%$/.test(value);
}

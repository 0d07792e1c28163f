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
   * Some characters of the string value at `path` (offsets in the value as read, before any quoting or escapes of
   * the file), where the issue is one token of it: a device filter rule's attribute, operator or value. The `schema`
   * rule places the finding on those characters of the file's text (`spanWithinValue`).
   */
  within?: { offset: number; length: number };
  /**
   * Graph takes the body as `ztp export` sends it (a keyword in another case, sent in Graph's spelling; an enrollment
   * configuration this format's kind does not hold; an issue in the file's own keys around `spec`, which export does
   * not send as such: `envelopeIssue` in validator.ts): the issue is the format's, not a refusal to come.
   */
  graphTakesIt?: true;
  /** What the issue is on is deprecated (the device state condition): the finding carries LSP's `Deprecated` tag. */
  deprecated?: true;
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
  /**
   * An `includeGroups`/`excludeGroups` entry that spells a users keyword (`All`), as written: no group, unless the
   * tenant's manifest declares a group of that name (`withManifestGroups` in model/groups.ts then drops the issue).
   */
  keywordAsGroup?: string;
}

/** The ways a template writes a value it fills in per tenant (`templateVariableStyle`). */
export type TemplateVariableStyle = 'cipp' | 'placeholder' | 'script' | 'nerdio' | 'replace';

/**
 * How a value is a template's variable, the whole value, or undefined when it is not one. The one recogniser: import,
 * the schema's note, the rules, the break-glass model, the lockout check and export all read it.
 * - `cipp`: `%tenantid%`, `%serial%`, a custom `%BatterySleepTimeout%`. CIPP replaces each in the template's text per
 *   tenant before it deploys it (CIPP-API `Get-CIPPTextReplacement`).
 * - `placeholder`: `__GRP_CA_EXC_EMERGENCIA_ID__`, a token a deployment script replaces: upper case letters, digits and
 *   underscores between double underscores on both sides. A real group is rarely named so; a lower case or mixed case
 *   name between underscores (`__test__`, a Python-style name) is taken as a name.
 * - `script`: `$allusersgroupid`, `${breakGlassGroupId}`, a PowerShell variable a script expands before it sends the
 *   body: `$` and an identifier of at least three characters, no space. A display name never holds a variable's syntax
 *   by chance; a group really named `$name` would have to be referred to by its id.
 * - `nerdio`: `{$GroupVars.BreakGlass}`, `{$LocationVars.HomeCountries}`, `{$InheritedVars.AllowedWebsites}`: Nerdio
 *   Manager's (Get-Nerdio/NMW, NMM) deployer variables, `{$`, an identifier, optional `.`-separated identifiers, `}`.
 * - `replace`: `REPLACE_WITH_EMERGENCY_ACCESS_GROUP_OBJECT_ID`, `REPLACE_WITH_TRUSTED_COUNTRIES_LOCATION_ID`:
 *   Cloud-Harbor-Consulting-LLC/M365-Security-Frameworks' (MIT) CA and Intune templates, the admin replacing each by
 *   hand: `REPLACE_WITH_` and upper case words joined by single underscores. Only this form: `REPLACE_ME` appears in
 *   public repositories' scripts and config files, never in a CA/Intune template; `<BreakGlassGroupId>` only in
 *   documents' examples, and nicolonsky/ModernWorkplaceConcierge's `<ExclusionTempGroup>` is a group's display name
 *   (`isGroupNamedInExport`); `{{DEVICEREGISTRATION}}` is Intune's own Platform SSO token, sent as written. A name in
 *   other case or with other words (`Replace Team`, `SG-REPLACE`, `Replace_with_sales`) is a name.
 */
export function templateVariableStyle(value: unknown): TemplateVariableStyle | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^%[A-Za-z0-9_.-]+%$/.test(value)) return 'cipp';
  if (/^__[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*__$/.test(value)) return 'placeholder';
  if (/^\$(?:[A-Za-z_][A-Za-z0-9_]{2,}|\{[A-Za-z_][A-Za-z0-9_]{2,}\})$/.test(value)) return 'script';
  if (/^\{\$[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\}$/.test(value)) return 'nerdio';
  if (/^REPLACE_WITH_[A-Z0-9]+(?:_[A-Z0-9]+)*$/.test(value)) return 'replace';
  return undefined;
}

/** Whether a value is a template's variable (`templateVariableStyle`), the whole value. */
export function isTemplateVariable(value: unknown): value is string {
  return templateVariableStyle(value) !== undefined;
}

/**
 * What a template's variable is, in a message: "a template variable (as CIPP writes them, filled in per tenant when
 * CIPP deploys the template)", "a template placeholder (`__NAME__`, filled in per tenant when the template is
 * deployed)", "a script variable (`$name`, filled in per tenant when the script deploys the template)", Nerdio's "a
 * deployment variable (`{$Name}`, …)" and "a template placeholder (`REPLACE_WITH_…`, replaced by hand …)".
 */
export function templateVariableText(value: string): string {
  switch (templateVariableStyle(value)) {
    case 'placeholder':
      return 'a template placeholder (`__NAME__`, filled in per tenant when the template is deployed)';
    case 'script':
      return 'a script variable (`$name`, filled in per tenant when the script deploys the template)';
    case 'nerdio':
      return 'a deployment variable (`{$Name}`, as Nerdio Manager writes them, filled in per tenant when it deploys the template)';
    case 'replace':
      return 'a template placeholder (`REPLACE_WITH_…`, replaced by hand with the tenant\'s value before the template is deployed)';
    default:
      return 'a template variable (as CIPP writes them, filled in per tenant when CIPP deploys the template)';
  }
}

/**
 * Whether Graph refuses a body with this issue: an error of the schema or of what Graph refuses between properties (a
 * value outside the enum, a wrong type, a missing required property). Not a warning (a property newer than Graph's
 * metadata may be taken), not the format's own spelling Graph takes as sent, not a template's variable (a note).
 * What If reads it to say a policy is not deployable as written.
 */
export function graphRefuses(issue: SchemaIssue): boolean {
  return issue.severity === undefined && !issue.graphTakesIt && !issue.templateVariables?.length;
}

/**
 * Why Graph would refuse a policy as written, from the schema issues the analysis found in its file (`graphRefuses`):
 * "Graph refuses it as written: <the first problem>" (and how many more), or undefined when Graph would take it. What
 * If leaves such a policy out of its result (`notDeployable`), and the Conditional Access rules that look for a
 * tenant's safeguard do not count it (`ca-helpers.refusalShortfalls`, `model/legacy-auth.legacyBlocks`): one answer.
 */
export function graphRefusal(issues: readonly SchemaIssue[]): string | undefined {
  const refused = issues.filter(graphRefuses);
  if (!refused.length) return undefined;
  const more = refused.length - 1;
  return `Graph refuses it as written: ${refused[0]!.message.replace(/\s*\[layer \d+\]$/, '')}${more ? ` (and ${more} more schema error${more > 1 ? 's' : ''})` : ''}`;
}

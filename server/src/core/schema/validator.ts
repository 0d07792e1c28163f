/**
 * Validates documents against our schemas and turns ajv's errors into one clear issue each: placed on the exact
 * key or value, naming the allowed values. Validators are compiled once per process, on first use.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { valueAtPath, type JsonPath } from '../document';
import type { PolicyKind } from '../kinds';
import { KINDS } from '../kinds';
import * as precompiled from './validators.generated';
import { GRAPH_SNAPSHOT, impliedODataType, POLICY_SCHEMAS } from './schemas';
import { describeForeignGraphType, graphTypeName, isOtherEnrollmentConfiguration, kindOfODataType, powerShellSdkKeys } from '../graph';
import { constraintIssues } from './graph-constraints';
import { isTemplateVariable, templateVariableStyle, templateVariableText, type SchemaIssue } from './issue';
import { closest, listText, withArticle } from '../prose';
import { licenceHint } from '../licenses';


export type { SchemaIssue } from './issue';

const VALIDATORS = precompiled as unknown as Record<string, ValidateFunction>;

/** The precompiled validator of a schema file (`compliance-policy` → `compliance_policy`). */
function validatorFor(schema: string): ValidateFunction {
  const v = VALIDATORS[schema.replace(/-/g, '_')];
  if (!v) throw new Error(`no precompiled validator for ${schema}; run npm run build`);
  return v;
}

/** `raw`: the value is a raw Graph export read as a policy file (a property it leaves out says nothing). */
export function validatePolicy(kind: PolicyKind, value: unknown, raw = false): SchemaIssue[] {
  const v = validatorFor(KINDS[kind].schema);
  const input = withImpliedODataType(kind, withHashedODataTypes(value));
  const foreign = raw ? undefined : foreignSpecIssue(kind, input);
  if (foreign) return [...(v(input) ? [] : toIssues(v.errors ?? [], input)).filter((i) => i.path[0] !== 'spec').map(envelopeIssue), foreign];
  const issues = v(input) ? [] : toIssues(v.errors ?? [], input);
  // What Graph refuses beyond its metadata's shapes (documented rules between properties), on what is well-formed.
  const taken = new Set(issues.map((i) => i.path.join('/')));
  for (const c of constraintIssues(kind, input, raw)) if (!taken.has(c.path.join('/'))) issues.push(c);
  return templateVariableIssues(raw ? issues : issues.map(envelopeIssue), input, raw);
}

/**
 * A `spec` whose `@odata.type` is a Graph resource no kind holds (a template-based or custom device configuration
 * profile such as `macOSCustomConfiguration`, an endpoint security intent): the body is not of this kind at all, so
 * its properties are not checked one by one against the kind's type (a required property "missing", each property
 * "not a property of" it), and one error on the type says how such a profile is kept: as the raw Graph export, with no
 * `kind` (docs/rules/unknown-kind.md), which the configuration and Defender onboarding checks read. A type of another
 * kind, or one `describeForeignGraphType` cannot name (a typo, which the kind's own message answers with its near
 * name), is left to the schema's messages.
 */
function foreignSpecIssue(kind: PolicyKind, input: unknown): SchemaIssue | undefined {
  const spec = input && typeof input === 'object' ? (input as Record<string, unknown>).spec : undefined;
  const type = spec && typeof spec === 'object' ? (spec as Record<string, unknown>)['@odata.type'] : undefined;
  const name = graphTypeName(type);
  if (!name || kindOfODataType(type) || KINDS[kind].graphTypes.includes(name)) return undefined;
  if (!/Configuration$/.test(name) && name !== 'deviceManagementIntent') return undefined;
  // An enrollment configuration no kind holds under EnrollmentRestriction has its own message (the discriminator's: an
  // older `ztp import` wrote it so, a warning).
  if (isOtherEnrollmentConfiguration(name)) return undefined;
  const what = describeForeignGraphType(name);
  if (what === 'a Graph resource that no policy kind holds') return undefined;
  return {
    path: ['spec', '@odata.type'],
    target: 'value',
    message:
      `\`${String(type)}\` is ${what}, which \`kind: ${kind}\` does not hold (its \`spec\` is ${listText(KINDS[kind].graphTypes.map((t) => `\`${t}\``), 'or')}): ` +
      'keep such a profile in the tenant folder as its raw Graph export, the JSON Graph returns for it, with no `kind`, `name` or `spec` (see the rule page of `unknown-kind`); the configuration and Defender onboarding checks read it so, and `ztp import` writes one from an export',
  };
}

/**
 * An issue in the file's own keys around `spec` (`name`, `owner`, `description`, `assignments`): the format's, not
 * the body's. `ztp export` sends `spec` (and turns `assignments` into Graph's), so Graph takes the body all the same
 * and the policy still counts where the rules, What If and the lockout check ask what Graph would deploy
 * (`graphRefuses`): a portal-style `name: CA001-MFA-All-Users` is a schema error of the format, not a policy Graph
 * refuses. A raw export has no such keys (its issues are the body's).
 */
function envelopeIssue(issue: SchemaIssue): SchemaIssue {
  return issue.path.length > 0 && issue.path[0] !== 'spec' && !issue.graphTakesIt ? { ...issue, graphTakesIt: true } : issue;
}

/**
 * The issues on a value that is, whole, a template's variable (`%tenantid%` in a GUID, a CIPP custom variable in a
 * whole number): Graph refuses it as written, but a template tool fills it in per tenant before deploying.
 *
 * In a raw export they are one note (information) per file, naming the variables: Graph never returns such a value,
 * so the file is a template's body (CIPP's, or one an admin prepared for it), and what the value will be is checked
 * only once substituted. In a file of this format they stay errors, saying what the variable is: the format is what
 * `ztp export` sends as written, and nothing in it says the file is a template (its top-level keys are the contract's).
 */
function templateVariableIssues(issues: SchemaIssue[], input: unknown, raw: boolean): SchemaIssue[] {
  const onVariable = issues.filter((i) => i.target !== 'key' && isTemplateVariable(valueAtPath(input, i.path)));
  if (!onVariable.length) return issues;
  const variables = [...new Set(onVariable.map((i) => valueAtPath(input, i.path) as string))];
  if (!raw) {
    return issues.map((i) => {
      if (!onVariable.includes(i)) return i;
      const v = valueAtPath(input, i.path) as string;
      return { ...i, templateVariables: [v], message: `${i.message}. \`${v}\` is ${templateVariableText(v)}, which \`ztp export\` sends as written: replace it with the tenant's value` };
    });
  }
  const first = onVariable[0]!;
  // What Graph takes there, without the error's own advice ("Graph refuses it. Write the user's UPN…"), which the
  // note's "checked only once substituted" would contradict.
  const what = first.message.split(/: Graph refuses|\. (?=[A-Z])/)[0];
  const named = variables.map((v) => `\`${v}\``);
  const note: SchemaIssue = {
    path: first.path,
    target: 'value',
    severity: 'information',
    templateVariables: variables,
    message:
      `${listText(named)} ${variables.length === 1 ? `is ${templateVariableText(variables[0]!)}` : `are template variables (${variables.every((v) => templateVariableStyle(v) === 'cipp') ? 'as CIPP writes them, ' : ''}filled in per tenant when the template is deployed)`} where Graph takes another value (${what}${onVariable.length > 1 ? `; ${onVariable.length} places in all` : ''}): ` +
      `this file is a template, and ${variables.length > 1 ? 'those values are' : 'that value is'} checked only once substituted. \`ztp export\` sends ${variables.length > 1 ? 'them' : 'it'} as written, which Graph refuses`,
  };
  return [...issues.filter((i) => !onVariable.includes(i)), note];
}

/**
 * Graph takes an `@odata.type` with or without its leading `#` (`microsoft.graph.deviceEnrollmentPlatformRestriction`
 * is how Learn's own request and response bodies write the nested types of enrollment restrictions and compliance
 * actions: intune-onboarding-deviceenrollmentplatformrestrictionconfiguration-create), and the schemas name each type
 * with it. A value without it is validated as the same type, on a copy (made only when one is there); no issue can
 * point at the copy's additions, since the paths are the same.
 */
function withHashedODataTypes(value: unknown, depth = 0): unknown {
  if (depth > 64 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = withHashedODataTypes(value[i], depth + 1);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  // Walked on every validation (each edit of a file): no array of entries is made for an object that needs no copy.
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in obj) {
    const v = obj[k];
    const w = k === '@odata.type' ? (typeof v === 'string' && v.startsWith('microsoft.graph.') ? `#${v}` : v) : typeof v === 'object' && v !== null ? withHashedODataTypes(v, depth + 1) : v;
    if (w !== v) (out ??= { ...obj })[k] = w;
  }
  return out ?? value;
}

/**
 * Graph exports settings-catalog compliance (`deviceManagementCompliancePolicy`) without `@odata.type`; such a spec
 * is validated as that type (the tag is added to a copy, so no issue can point at it).
 */
function withImpliedODataType(kind: PolicyKind, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const spec = (value as Record<string, unknown>).spec;
  const tag = impliedODataType(POLICY_SCHEMAS[kind], spec);
  const tagged = tag ? { ...(value as Record<string, unknown>), spec: { '@odata.type': tag, ...(spec as Record<string, unknown>) } } : value;
  return kind === 'ConditionalAccessPolicy' ? withImpliedExternalTenants(tagged as Record<string, unknown>) : tagged;
}

const ALL_EXTERNAL_TENANTS = '#microsoft.graph.conditionalAccessAllExternalTenants';

/**
 * `externalTenants` is abstract, but with `membershipKind: all` Graph takes the body without `@odata.type` as all
 * external tenants (it asks for the type of an enumerated list only: hashicorp/terraform-provider-azuread #1555 and
 * #1601), and request bodies published as working omit it. Such a value is validated as that subtype, on a copy.
 */
function withImpliedExternalTenants(value: Record<string, unknown>): Record<string, unknown> {
  const spec = value.spec as Record<string, unknown> | undefined;
  const users = (spec?.conditions as Record<string, unknown> | undefined)?.users as Record<string, unknown> | undefined;
  if (!users || typeof users !== 'object') return value;
  let changed: Record<string, unknown> | undefined;
  for (const key of ['includeGuestsOrExternalUsers', 'excludeGuestsOrExternalUsers']) {
    const guests = users[key] as Record<string, unknown> | undefined;
    const tenants = guests && typeof guests === 'object' ? (guests.externalTenants as Record<string, unknown> | undefined) : undefined;
    if (!tenants || typeof tenants !== 'object' || Array.isArray(tenants) || '@odata.type' in tenants || tenants.membershipKind !== 'all') continue;
    changed ??= { ...users };
    changed[key] = { ...guests, externalTenants: { '@odata.type': ALL_EXTERNAL_TENANTS, ...tenants } };
  }
  if (!changed) return value;
  const conditions = { ...(spec!.conditions as Record<string, unknown>), users: changed };
  return { ...value, spec: { ...spec, conditions } };
}

export function validateManifest(value: unknown): SchemaIssue[] {
  const v = validatorFor('zerotrust');
  return v(value) ? [] : toIssues(v.errors ?? [], value);
}

/** Validators are precompiled at build time (scripts/build-validators.mjs); kept for hosts that warm up. */
export function precompileAll(): void {
  for (const k of Object.values(KINDS)) validatorFor(k.schema);
  validatorFor('zerotrust');
}

function pointerToPath(pointer: string): JsonPath {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function show(value: unknown): string {
  if (typeof value === 'string') return `\`${value.length > 80 ? value.slice(0, 77) + '…' : value}\``;
  if (value === null) return '`null`';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `\`${String(value)}\``;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'text';
}

function typeWord(t: string): string {
  switch (t) {
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object (a map of keys)';
    case 'null':
      return 'null';
    default:
      return t;
  }
}

function listValues(values: unknown[], max = 14): string {
  const vs = values.filter((v) => v !== null).map((v) => String(v));
  return vs.length > max ? `${vs.slice(0, max).join(', ')}, … (${vs.length} in all)` : vs.join(', ');
}

function lastKey(path: JsonPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return 'value';
}

/**
 * `closest` among a schema's properties, found once per schema and word: the same unknown properties come back on
 * every edit of a file (a policy whose Graph type was changed has dozens), each compared with every property.
 */
const PROPERTY_HINTS = new WeakMap<object, Map<string, string | undefined>>();

function closestProperty(properties: Record<string, unknown>, word: string): string | undefined {
  let hints = PROPERTY_HINTS.get(properties);
  if (!hints || hints.size > 1000) PROPERTY_HINTS.set(properties, (hints = new Map()));
  if (!hints.has(word)) hints.set(word, closest(word, Object.keys(properties)));
  return hints.get(word);
}

/**
 * The other Graph types of the same kind that have a property: `periodOnlineBeforeAccessCheck` is a property of iOS and
 * Android app protection (https://learn.microsoft.com/graph/api/resources/intune-mam-targetedmanagedappprotection), not
 * of `windowsManagedAppProtection`. The message says whose property it is: with a near miss of this type's own
 * property, beside the "did you mean" (an error, the format's rule); without one, in the drift warning. Made once per kind.
 */
let SIBLING_PROPERTIES: Map<string, { type: string; properties: Record<string, unknown> }[]> | undefined;
export function siblingTypesWith(graphType: string, prop: string): string[] {
  if (!SIBLING_PROPERTIES) {
    SIBLING_PROPERTIES = new Map();
    for (const [kind, info] of Object.entries(KINDS)) {
      const defs = (POLICY_SCHEMAS[kind as PolicyKind]?.definitions ?? {}) as Record<string, Record<string, unknown>>;
      const types = info.graphTypes.flatMap((type) => (defs[type]?.properties ? [{ type, properties: defs[type].properties as Record<string, unknown> }] : []));
      for (const t of types) SIBLING_PROPERTIES.set(t.type, types.filter((o) => o.type !== t.type));
    }
  }
  return (SIBLING_PROPERTIES.get(graphType) ?? []).filter((o) => Object.prototype.hasOwnProperty.call(o.properties, prop)).map((o) => o.type);
}

function schemaNoun(schema: unknown): string | undefined {
  return schema && typeof schema === 'object' ? ((schema as Record<string, unknown>)['x-noun'] as string | undefined) : undefined;
}

function ownerName(parentSchema: unknown, path: JsonPath): string {
  const s = parentSchema as Record<string, unknown> | undefined;
  const g = s?.['x-graphType'];
  if (typeof g === 'string') return `\`${g}\``;
  if (path.length === 0) return 'the file';
  return `\`${lastKey(path)}\``;
}

/** Turn ajv errors into one issue each, most specific first, with no raw ajv text. */
export function toIssues(errors: ErrorObject[], root: unknown): SchemaIssue[] {
  // Errors from the `null` branch of a nullable reference, and the anyOf/oneOf wrappers, are noise when a more
  // specific error explains the same value.
  const specific = errors.filter((e) => !(e.keyword === 'type' && (e.params as { type?: string }).type === 'null') && e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const discriminatorPaths = specific.filter((e) => e.keyword === 'discriminator').map((e) => e.instancePath);
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of specific) {
    // Under a bad discriminator there is nothing more to say about the object.
    if (discriminatorPaths.some((p) => e.keyword !== 'discriminator' && e.instancePath.startsWith(p + '/'))) continue;
    const issue = toIssue(e, root);
    if (!issue) continue;
    const key = `${issue.path.join('/')}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  // When the same value has a 'type' error and an error from another branch, keep the first. (Not when the only
  // specific errors were dropped on purpose: a null-valued property the metadata lacks is no finding.)
  const wrapperOnly = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (issues.length === 0 && specific.length === 0 && wrapperOnly.length) {
    const e = wrapperOnly[0]!;
    issues.push({ path: pointerToPath(e.instancePath), target: 'auto', message: `${show(e.data)} does not match any allowed shape for \`${lastKey(pointerToPath(e.instancePath))}\`` });
  }
  return issues;
}

/**
 * Names the portal or Microsoft's docs give a setting, written as a key, whose Graph property is named otherwise (too far
 * apart for a "did you mean"), by Graph type and key. Token protection is `secureSignInSession` (a
 * `secureSignInSessionControl`, beta): https://learn.microsoft.com/graph/api/resources/conditionalaccesssessioncontrols?view=graph-rest-beta,
 * https://learn.microsoft.com/graph/api/resources/securesigninsessioncontrol?view=graph-rest-beta.
 */
const GRAPH_NAME_OF: Record<string, Record<string, string>> = {
  conditionalAccessSessionControls: { tokenProtection: 'Graph\'s property for token protection is `secureSignInSession` (`secureSignInSession: { isEnabled: true }`, beta)' },
};

/**
 * A setting one Graph type of a kind names otherwise than a sibling type, too far apart for a "did you mean": by the
 * type written and the sibling's property, this type's property. The macOS firewall setting is `firewallEnabled`
 * (https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-macoscompliancepolicy), Windows' is
 * `activeFirewallRequired` (https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windows10compliancepolicy).
 * Only pairs with such sources: where this table is silent, no equivalent is named.
 */
const EQUIVALENT_OF: Record<string, Record<string, string>> = {
  windows10CompliancePolicy: { firewallEnabled: 'activeFirewallRequired' },
  macOSCompliancePolicy: { activeFirewallRequired: 'firewallEnabled' },
};

/** "`iosCompliancePolicy`" / "`a` and `b`" / "`a`, `b` and `c` (and 2 more)": the sibling types that have a property. */
function siblingNames(siblings: string[]): string {
  return `${listText(siblings.slice(0, 3).map((t) => `\`${t}\``), 'and')}${siblings.length > 3 ? ` (and ${siblings.length - 3} more)` : ''}`;
}

/**
 * A property of a Graph object that Graph's metadata does not list, and that is no near miss of one it does (those are
 * typos that Graph refuses: errors with "did you mean"). Graph's metadata lags what Graph returns, so: a `null` value
 * is no finding (Graph returns such properties before its metadata lists them, and an import drops them); any other
 * value is a warning naming the metadata snapshot, so that a property Graph added since never blocks CI.
 */
function graphDrift(prop: string, value: unknown, owner: string, path: JsonPath, siblings: string[] = [], graphType?: string): SchemaIssue | undefined {
  if (value === null) return undefined;
  const known = graphType ? GRAPH_NAME_OF[graphType]?.[prop] : undefined;
  if (known) return { path: [...path, prop], target: 'key', severity: 'warning', message: `\`${prop}\` is not a property of ${owner}: ${known}; write it under that name. Graph refuses properties it does not know` };
  // A sibling type's property on this type: it is that type's setting, not this one's. Never "move it to a policy of
  // that type" (a Windows policy's firewall setting does not belong on a macOS policy): this type's own setting is
  // named where the table of equivalents knows it, otherwise the advice is to remove it.
  const equivalent = graphType && siblings.length ? EQUIVALENT_OF[graphType]?.[prop] : undefined;
  return {
    path: [...path, prop],
    target: 'key',
    severity: 'warning',
    message: siblings.length
      ? `\`${prop}\` is a property of ${siblingNames(siblings)}, not of ${owner} (Graph's metadata, snapshot ${GRAPH_SNAPSHOT}); ${equivalent ? `this type's setting is \`${equivalent}\`: write that in its place` : 'this type has no such setting: remove it'}. Graph refuses properties it does not know`
      : `\`${prop}\` is not a property of ${owner} in Graph's metadata (snapshot ${GRAPH_SNAPSHOT}); if Graph added it since, add it to schemas/src/beta-overlay.json with its source or refresh the metadata (docs/schemas.md), otherwise remove it: Graph refuses properties it does not know`,
  };
}

/**
 * The message for text written without quotes (`SchemaIssue.unquoted`), naming the value as the file writes it:
 * `osMinimumVersion: 17.0` was read as the number 17, and only `"17.0"` keeps what was meant.
 */
export function unquotedMessage(issue: SchemaIssue, written: string, format: 'yaml' | 'json', value: unknown): string {
  const as = issue.unquoted === 'number' ? `the number ${String(value)}` : `the boolean ${String(value)}`;
  return `\`${lastKey(issue.path)}\` must be text: ${format === 'json' ? 'JSON' : 'YAML'} read \`${written}\` as ${as}; write it in quotes, \`"${written}"\``;
}

function toIssue(e: ErrorObject, _root: unknown): SchemaIssue | undefined {
  const path = pointerToPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(params.additionalProperty);
      // What the Intune PowerShell SDK adds to the objects it returns is not data: like an OData annotation, not
      // reported (an import and `ztp export` leave it out).
      if (typeof parent?.['x-graphType'] === 'string' && path.length <= 1 && powerShellSdkKeys(e.data).has(prop)) return undefined;
      // A YAML merge key (`<<: *base`, YAML 1.1) is no property, and no Graph drift: the policy format reads YAML 1.2,
      // which has no merge keys, so the keys it was meant to bring in are not read, and Graph would refuse `<<`.
      if (prop === '<<') {
        return {
          path: [...path, prop],
          target: 'key',
          message: 'YAML merge keys (`<<`) are not supported in policy files: the keys it would merge in are not read (and Graph refuses a `<<` property); write those keys out here in its place',
        };
      }
      const properties = (parent?.properties as Record<string, unknown>) ?? {};
      const props = Object.keys(properties);
      const graphType = typeof parent?.['x-graphType'] === 'string' ? parent['x-graphType'] : undefined;
      // A near miss of this type's own property is an error with its "did you mean" (the format's rule), also when a
      // sibling type of the kind has the written name (`passcodeRequired`, iOS's, on an Android body: Android's is
      // `passwordRequired`); the message then says whose property it is. Without a near miss, a sibling type's
      // property is the drift warning naming that type (graphDrift).
      const siblings = graphType ? siblingTypesWith(graphType, prop) : [];
      const hint = closestProperty(properties, prop);
      const owner = ownerName(parent, path);
      if (!hint && graphType) return graphDrift(prop, (e.data as Record<string, unknown> | undefined)?.[prop], owner, path, siblings, graphType);
      return {
        path: [...path, prop],
        target: 'key',
        message: `\`${prop}\` is not a property of ${owner}${hint ? `; did you mean \`${hint}\`?${siblings.length ? ` (\`${prop}\` is ${siblingNames(siblings)}'s)` : ''}` : props.length ? `; allowed: ${listValues(props.filter((p) => p !== '@odata.type'), 10)}` : ''}`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const noun = schemaNoun(parent);
      const licence = noun === 'licence';
      const hint = typeof e.data !== 'string' ? undefined : licence ? licenceHint(e.data) : closest(e.data, allowed.filter((a): a is string => typeof a === 'string'));
      // A licence the table does not hold declares nothing (`refusedLicences`): say so, so the author knows what the
      // checks make of the list.
      const what = licence
        ? 'is not a licence this tool models: it declares nothing, so what the tenant lacks stays unknown'
        : noun ? `is not ${withArticle(noun)}` : `is not an allowed value for \`${lastKey(path)}\``;
      return {
        path,
        target: 'value',
        message: `${show(e.data)} ${what}; expected one of ${listValues(allowed)}${hint && hint !== e.data ? ` (did you mean \`${hint}\`?)` : ''}`,
      };
    }
    case 'const': {
      const allowed = params.allowedValue;
      return { path, target: 'value', message: `\`${lastKey(path)}\` must be ${show(allowed)} here, not ${show(e.data)}` };
    }
    case 'discriminator': {
      const tag = String(params.tag);
      if (params.error === 'tag') {
        // A missing tag is reported by `required`; only a non-text tag needs saying.
        const data = e.data as Record<string, unknown> | undefined;
        if (!data || data[tag] === undefined) return undefined;
        return { path: [...path, tag], target: 'value', message: `\`${tag}\` must be text naming the Graph type` };
      }
      const options = ((parent?.oneOf as { $ref?: string }[]) ?? []).map((o) => `#microsoft.graph.${String(o.$ref).split('/').pop()}`);
      const value = params.tagValue;
      const hint = typeof value === 'string' ? closest(value, options) : undefined;
      const noun = schemaNoun(parent) ?? `\`${tag}\` value`;
      // An enrollment configuration no kind holds (an enrollment status page or Windows Hello for Business
      // configuration, which older `ztp import`s wrote as an EnrollmentRestriction): say what it is, as `ztp import` and
      // `unknown-kind` do, rather than a near name it is not.
      const name = graphTypeName(value);
      const known = name && isOtherEnrollmentConfiguration(name) ? describeForeignGraphType(name) : undefined;
      // Not Graph's refusal but this format's (the file is a valid enrollment configuration, which an older import
      // wrote here): a warning, so a tenant that ran that import does not fail its gate on it.
      return {
        path: [...path, tag],
        target: 'value',
        ...(known ? { severity: 'warning' as const, graphTakesIt: true as const } : {}),
        message: `${show(value)} is not ${withArticle(noun)} this kind accepts; expected one of ${listValues(options, 20)}${known ? `. It is ${known}, which nothing here checks (an older \`ztp import\` wrote it as this kind): move the file out of the tenant folder` : hint ? ` (did you mean \`${hint}\`?)` : ''}`,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const where = path.length === 0 ? 'the file' : ownerName(parent, path);
      // A misspelt required key is reported on the misspelling, where the author will look.
      const present = e.data && typeof e.data === 'object' ? Object.keys(e.data as object) : [];
      const near = present.find((k) => k !== missing && closest(k, [missing]) === missing);
      if (near) return { path: [...path, near], target: 'key', message: `\`${near}\` is not a property of ${where}; did you mean \`${missing}\`?` };
      return { path, target: 'key', message: `missing required property \`${missing}\` in ${where}` };
    }
    case 'type': {
      const expected = String(params.type).split(',').filter((t) => t !== 'null');
      // A flags property (Graph's flag enums: `guestOrExternalUserTypes`, `platforms`…) written as a YAML list: say
      // how Graph writes it, one string of comma-separated values.
      const flags = parent?.['x-flags'] as string[] | undefined;
      if (flags && Array.isArray(e.data)) {
        const items = e.data as unknown[];
        const known = items.length > 0 && items.every((x) => typeof x === 'string' && flags.includes(x));
        return {
          path,
          target: 'value',
          message: `\`${lastKey(path)}\` is one string of comma-separated values in Graph, not a list: ${known ? `write \`${(items as string[]).join(',')}\`` : `write the values as one string, as in \`${flags.slice(0, 2).join(',')}\``} (values: ${listValues(flags)})`,
        };
      }
      // Text written without quotes that YAML or JSON reads as a number or a boolean (`osMinimumVersion: 17.0` is the
      // number 17): the schema rule names what was written, and says to quote it (`unquotedMessage`).
      const unquoted = expected.length === 1 && expected[0] === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean');
      return {
        path,
        target: 'value',
        ...(unquoted ? { unquoted: typeof e.data === 'number' ? ('number' as const) : ('boolean' as const) } : {}),
        message: `\`${lastKey(path)}\` must be ${expected.map(typeWord).join(' or ')}, not ${typeName(e.data)}${typeof e.data === 'string' || typeof e.data === 'number' || typeof e.data === 'boolean' ? ` (${show(e.data)})` : ''}${unquoted ? '; write it in quotes' : ''}`,
      };
    }
    case 'pattern': {
      const flags = parent?.['x-flags'] as string[] | undefined;
      if (flags) {
        return {
          path,
          target: 'value',
          message: `${show(e.data)} is not a valid \`${lastKey(path)}\` value; expected one or more of ${listValues(flags)}, separated by commas`,
        };
      }
      const noun = schemaNoun(parent);
      return { path, target: 'value', message: `${show(e.data)} is not a valid ${noun ?? `\`${lastKey(path)}\` value`}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, target: 'value', message: `\`${lastKey(path)}\` must be ${e.keyword.includes('inimum') ? 'at least' : 'at most'} ${String(params.limit)}, not ${show(e.data)}` };
    case 'minItems':
      return { path, target: 'auto', message: `\`${lastKey(path)}\` needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { path, target: 'auto', message: `\`${lastKey(path)}\` takes at most ${String(params.limit)} items` };
    case 'uniqueItems':
      return { path: [...path, Number(params.i)], target: 'value', message: `\`${lastKey(path)}\` lists ${show((e.data as unknown[])[Number(params.i)])} twice` };
    case 'minLength':
      return { path, target: 'auto', message: `\`${lastKey(path)}\` must not be empty` };
    case 'maxLength':
      return { path, target: 'value', message: `\`${lastKey(path)}\` is longer than ${String(params.limit)} characters` };
    default:
      return { path, target: 'auto', message: `\`${lastKey(path)}\` is not valid here (${e.keyword})` };
  }
}

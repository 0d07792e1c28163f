/**
 * Builds the JSON Schemas in `schemas/` from Graph's own metadata (`schemas/src/graph-types.json`), the beta
 * overlay and our property descriptions. No Graph property name or enum value is typed here: they all come from
 * the metadata. Run with `npm run schemas`; a test checks that the committed schemas are current.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { GraphModel, loadGraphModel, type GraphProperty, type GraphSnapshot } from './graph-model';
import { KINDS, KIND_NAMES, type KindInfo } from '../../server/src/core/kinds';
import { manifestSchema } from './manifest-schema';
import { DURATION_PATTERN, GUID_PATTERN } from './patterns';

type Json = Record<string, unknown>;

/** Navigation properties that a request body may carry inline, and what they hold. Names are checked against the metadata. */
const INLINE_NAVIGATION: Record<string, Record<string, string>> = {
  deviceCompliancePolicy: {
    scheduledActionsForRule: 'Collection(deviceComplianceScheduledActionForRule)',
    assignments: 'Collection(deviceCompliancePolicyAssignment)',
  },
  deviceComplianceScheduledActionForRule: {
    scheduledActionConfigurations: 'Collection(deviceComplianceActionItem)',
  },
  targetedManagedAppProtection: {
    assignments: 'Collection(targetedManagedAppPolicyAssignment)',
  },
  iosManagedAppProtection: { apps: 'Collection(managedMobileApp)' },
  androidManagedAppProtection: { apps: 'Collection(managedMobileApp)' },
  windowsManagedAppProtection: {
    apps: 'Collection(managedMobileApp)',
    assignments: 'Collection(targetedManagedAppPolicyAssignment)',
  },
  deviceEnrollmentConfiguration: { assignments: 'Collection(enrollmentConfigurationAssignment)' },
  deviceManagementConfigurationPolicy: {
    settings: 'Collection(deviceManagementConfigurationSetting)',
    assignments: 'Collection(deviceManagementConfigurationPolicyAssignment)',
  },
  // Settings-catalog-based compliance (Linux): beta doc intune-deviceconfigv2-devicemanagementcompliancepolicy-create
  // sends `settings` and `scheduledActionsForRule` inline.
  deviceManagementCompliancePolicy: {
    settings: 'Collection(deviceManagementConfigurationSetting)',
    assignments: 'Collection(deviceManagementConfigurationPolicyAssignment)',
    scheduledActionsForRule: 'Collection(deviceManagementComplianceScheduledActionForRule)',
  },
  conditionalAccessGrantControls: { authenticationStrength: 'Edm.Untyped' },
};


/**
 * Graph types of a kind that Graph exports without `@odata.type` (the settings catalog's compliance policies: a
 * `GET /deviceManagement/compliancePolicies` body names no type), so the kind's schema takes a body without the tag
 * that has their shape (`platforms` or `settings`) as that type.
 */
const UNTAGGED_TYPES = new Set(['deviceManagementCompliancePolicy']);

/** Property annotations Graph exports carry (`@odata.type`, `x@odata.type`, `#microsoft.graph.assign`). */
const ANNOTATION_PATTERNS: Json = {
  '^@odata\\.': { description: 'An OData annotation. Graph exports carry these; they are ignored on import.' },
  '^[A-Za-z0-9_]+@odata\\.[A-Za-z]+$': { description: 'An OData annotation on a sibling property, as Graph exports write it.' },
  '^#microsoft\\.graph\\.': { description: 'An OData action advertisement that Graph adds to exports. Read-only; ignored.' },
};

export interface GeneratedSchemas {
  /** file name → schema */
  files: Map<string, Json>;
  /** descriptions that were missing (key → generated fallback) */
  missingDescriptions: string[];
  /** The Graph metadata snapshot the schemas were generated from. */
  snapshot: GraphSnapshot;
}

/** A short noun for an enum's values, derived from the enum's own name (e.g. `…DevicePlatform` → platform). */
function enumNoun(enumName: string): string | undefined {
  const endings: [RegExp, string][] = [
    [/Platforms?$/, 'platform'],
    [/GrantControl$/, 'grant control'],
    [/ClientApp$/, 'client app type'],
    [/PolicyState$/, 'policy state'],
    [/ActionType$/, 'action type'],
    [/RemediationAction$/, 'remediation action'],
    [/ThreatProtectionLevel$|DeviceThreatLevel$/, 'threat level'],
    [/RiskLevel$/, 'risk level'],
    [/TemplateFamily$/, 'template family'],
  ];
  for (const [re, noun] of endings) if (re.test(enumName)) return noun;
  return undefined;
}

function withBetaNote(desc: string, betaOnly: boolean, what: string): string {
  return betaOnly && !/beta[- ]only/i.test(desc) ? `${desc} Beta only: this ${what} is not in Graph v1.0.` : desc;
}

function humanize(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

export function loadDescriptions(srcDir: string): Map<string, string> {
  const dir = join(srcDir, 'descriptions');
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    const obj = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, string>;
    for (const [k, v] of Object.entries(obj)) out.set(k, v);
  }
  return out;
}

class SchemaBuilder {
  readonly definitions: Record<string, Json> = {};
  private readonly pending = new Set<string>();

  constructor(
    private readonly model: GraphModel,
    private readonly descriptions: Map<string, string>,
    private readonly missing: Set<string>,
  ) {}

  describe(key: string, fallback: string): string {
    const d = this.descriptions.get(key);
    if (d) return d;
    this.missing.add(key);
    return fallback;
  }

  /** A schema fragment for a metadata type expression. */
  typeSchema(expr: string, nullable: boolean): Json {
    const coll = /^Collection\((.+)\)$/.exec(expr);
    if (coll) {
      const s: Json = { type: nullable ? ['array', 'null'] : 'array', items: this.typeSchema(coll[1]!, false) };
      return s;
    }
    const nul = (s: Json): Json => (nullable ? { anyOf: [s, { type: 'null' }] } : s);
    const withNull = (t: string): unknown => (nullable ? [t, 'null'] : t);
    switch (expr) {
      case 'Edm.String':
      case 'Edm.Binary':
      case 'Edm.Date':
      case 'Edm.TimeOfDay':
      case 'Edm.DateTimeOffset':
      case 'Edm.Stream':
        return { type: withNull('string') };
      case 'Edm.Guid':
        return { type: withNull('string'), pattern: GUID_PATTERN, 'x-noun': 'GUID' };
      case 'Edm.Duration':
        return { type: withNull('string'), pattern: DURATION_PATTERN, 'x-noun': 'ISO 8601 duration (for example PT12H or P90D)' };
      case 'Edm.Boolean':
        return { type: withNull('boolean') };
      case 'Edm.Int16':
      case 'Edm.Int32':
      case 'Edm.Int64':
      case 'Edm.Byte':
        return { type: withNull('integer') };
      case 'Edm.Double':
      case 'Edm.Single':
      case 'Edm.Decimal':
        return { type: withNull('number') };
      case 'Edm.Untyped':
        return {};
    }
    const en = this.model.enums.get(expr);
    if (en) {
      if (en.flags) {
        const alt = en.members.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
        return {
          type: withNull('string'),
          pattern: `^\\s*(${alt})\\s*(,\\s*(${alt})\\s*)*$`,
          'x-flags': en.members,
          'x-enumType': en.name,
        };
      }
      const s: Json = { enum: nullable ? [...en.members, null] : [...en.members], 'x-enumType': en.name };
      const noun = enumNoun(en.name);
      if (noun) s['x-noun'] = noun;
      if (en.betaOnlyMembers.length && en.betaOnlyMembers.length < en.members.length) s['x-betaMembers'] = en.betaOnlyMembers;
      return s;
    }
    if (this.model.types.has(expr)) {
      this.ensureDefinition(expr);
      return nul({ $ref: `#/definitions/${expr}` });
    }
    throw new Error(`schema generator: unknown type expression ${expr}`);
  }

  ensureDefinition(name: string): void {
    if (this.definitions[name] || this.pending.has(name)) return;
    this.pending.add(name);
    const type = this.model.types.get(name)!;
    if (type.abstract) {
      const subs = this.model.concreteSubtypes(name);
      for (const s of subs) this.ensureDefinition(s);
      this.definitions[name] = {
        description: this.describe(name, `One of the ${name} subtypes, chosen by \`@odata.type\`.`),
        type: 'object',
        required: ['@odata.type'],
        discriminator: { propertyName: '@odata.type' },
        oneOf: subs.map((s) => ({ $ref: `#/definitions/${s}` })),
        'x-graphType': name,
      };
    } else {
      this.definitions[name] = this.objectSchema(name, { odataTypeRequired: false });
    }
    this.pending.delete(name);
  }

  /** The object schema of a concrete Graph type. */
  objectSchema(name: string, opts: { odataTypeRequired: boolean; readOnlyHint?: boolean }): Json {
    const type = this.model.types.get(name)!;
    const props: Record<string, Json> = {};
    props['@odata.type'] = {
      const: `#microsoft.graph.${name}`,
      description: `The Graph type of this object: \`#microsoft.graph.${name}\`.`,
    };
    for (const p of this.model.allProperties(name)) props[p.name] = this.propertySchema(p);
    for (const nav of this.model.allNavigation(name)) {
      const inline = this.inlineNavigation(name, nav.name);
      const key = `${nav.declaredOn}.${nav.name}`;
      const s: Json = inline ? { ...this.typeSchema(inline, true) } : {};
      s.description = this.describe(key, `The \`${nav.name}\` navigation of ${nav.declaredOn}.`) + (inline ? '' : ' Read-only in a request body; accepted and ignored.');
      if (!this.model.allProperties(name).some((p) => p.name === nav.name)) props[nav.name] = s;
    }
    const out: Json = {
      type: 'object',
      description: withBetaNote(this.describe(name, `A Graph ${humanize(name)} object.`), type.betaOnly, 'type'),
      properties: props,
      patternProperties: ANNOTATION_PATTERNS,
      additionalProperties: false,
      'x-graphType': name,
    };
    if (type.betaOnly) out['x-betaOnly'] = true;
    const required = this.requiredOf(name);
    if (opts.odataTypeRequired) required.unshift('@odata.type');
    if (required.length) out.required = required;
    return out;
  }

  private inlineNavigation(typeName: string, nav: string): string | undefined {
    let cur: string | null = typeName;
    while (cur) {
      const t: string | undefined = INLINE_NAVIGATION[cur]?.[nav];
      if (t) return t;
      cur = this.model.types.get(cur)?.base ?? null;
    }
    return undefined;
  }

  /** Properties Graph needs on create. The metadata has no "required on create", so only those the docs name. */
  private requiredOf(name: string): string[] {
    const props = new Set(this.model.allProperties(name).map((p) => p.name));
    const req: string[] = [];
    // Graph rejects a policy without a display name (the metadata marks it non-nullable on these entity roots).
    if (props.has('displayName') && ['deviceCompliancePolicy', 'conditionalAccessPolicy', 'managedAppPolicy'].some((b) => this.derivesFrom(name, b))) {
      req.push('displayName');
    }
    if (name === 'conditionalAccessPolicy') req.push('state', 'conditions');
    if (name === 'deviceManagementConfigurationPolicy' || name === 'deviceManagementCompliancePolicy') req.push('name', 'platforms', 'technologies');
    if (name === 'deviceManagementComplianceActionItem') req.push('actionType');
    if (name === 'deviceComplianceActionItem') req.push('actionType');
    return req.filter((r) => props.has(r));
  }

  private derivesFrom(name: string, base: string): boolean {
    let cur: string | null = name;
    while (cur) {
      if (cur === base) return true;
      cur = this.model.types.get(cur)?.base ?? null;
    }
    return false;
  }

  propertySchema(p: GraphProperty): Json {
    const s: Json = { ...this.typeSchema(p.type, p.nullable) };
    const key = `${p.declaredOn}.${p.name}`;
    let desc = this.describe(key, `The ${humanize(p.name)} setting.`);
    if (p.betaOnly && !/beta[- ]only/i.test(desc)) desc += ' Beta only: this property is not in Graph v1.0.';
    s.description = desc;
    const range = this.model.ranges.get(key);
    if (range) Object.assign(s, range);
    // Documented values of a string, or of each string of a list (Graph's type is a plain string there).
    const values = this.model.values.get(key);
    if (values) {
      if (s.items) s.items = { ...(s.items as Json), enum: [...values] };
      else s.enum = [...values];
    }
    if (p.betaOnly) s['x-betaOnly'] = true;
    s['x-graphType'] = p.type;
    return s;
  }
}

function assignmentsSchema(): Json {
  const list = (what: string): Json => ({
    type: 'array',
    description: what,
    items: { type: 'string', minLength: 1, 'x-noun': 'group name' },
    uniqueItems: true,
  });
  return {
    type: 'object',
    description:
      'Who the policy is assigned to. Group names from the manifest, or the built-in targets `allUsers` and `allDevices`. Exporting turns names into Graph assignment targets.',
    properties: {
      include: list('Groups the policy is assigned to: manifest group names, or `allUsers` / `allDevices`.'),
      exclude: list('Groups excluded from the assignment (manifest group names). Exclusion wins over inclusion.'),
    },
    additionalProperties: false,
  };
}

function envelope(info: KindInfo, spec: Json, definitions: Record<string, Json>, snapshot?: GraphSnapshot): Json {
  const props: Record<string, Json> = {
    kind: { const: info.kind, description: `${info.summary} Layer ${info.layer} of the Zero Trust progression.` },
    name: {
      type: 'string',
      // The contract's rule as written ("lowercase letters, digits, '-'"), nothing stricter: `a--b` and `-a` are names.
      pattern: '^[a-z0-9-]+$',
      'x-noun': "policy name (lowercase letters, digits and '-')",
      description: 'The policy\'s id in this repository: unique in the tenant; lowercase letters, digits and \'-\'.',
    },
    owner: { type: 'string', description: 'The team that owns this policy: a key of the manifest\'s `teams`.' },
    description: { type: 'string', description: 'What the policy is for, for the people who review it.' },
  };
  if (info.assignable) props.assignments = assignmentsSchema();
  props.spec = spec;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Zero Trust ${info.kind}`,
    description: `${info.summary} Graph ${info.graphVersion} ${info.endpoint}.${snapshot ? ` Generated from Graph's metadata of ${snapshot.date} (${snapshot.source}).` : ''}`,
    ...(snapshot ? { 'x-graphSnapshot': snapshot.date } : {}),
    type: 'object',
    required: ['kind', 'name', 'spec'],
    properties: props,
    additionalProperties: false,
    definitions,
  };
}

function graphKindSchema(model: GraphModel, info: KindInfo, descriptions: Map<string, string>, missing: Set<string>): Json {
  const b = new SchemaBuilder(model, descriptions, missing);
  let spec: Json;
  if (info.graphTypes.length === 1 && !info.odataTypeRequired) {
    const t = info.graphTypes[0]!;
    b.definitions[t] = b.objectSchema(t, { odataTypeRequired: false });
    // draft-07 ignores keywords beside $ref, so the description sits on a wrapper.
    spec = { description: `The Graph body: a \`${t}\` resource.`, allOf: [{ $ref: `#/definitions/${t}` }] };
  } else {
    for (const t of info.graphTypes) {
      b.definitions[t] = b.objectSchema(t, { odataTypeRequired: true });
      // Graph exports this type without `@odata.type`; the validator and the spec walkers read such a body (one
      // with `platforms` or `settings`) as this type.
      if (UNTAGGED_TYPES.has(t)) b.definitions[t]!['x-untagged'] = true;
    }
    const untagged = info.graphTypes.filter((t) => UNTAGGED_TYPES.has(t));
    spec = {
      type: 'object',
      description: `The Graph body. \`@odata.type\` chooses the resource: ${info.graphTypes.map((t) => `\`#microsoft.graph.${t}\``).join(', ')}.${untagged.length ? ` A body without \`@odata.type\` that has \`platforms\` or \`settings\` is a \`${untagged[0]}\` (Graph exports it untagged).` : ''}`,
      required: ['@odata.type'],
      discriminator: { propertyName: '@odata.type' },
      oneOf: info.graphTypes.map((t) => ({ $ref: `#/definitions/${t}` })),
      'x-noun': `${info.kind} @odata.type`,
    };
  }
  return envelope(info, spec, sortKeys(b.definitions), model.snapshot);
}

function dlpSchema(snapshot: GraphSnapshot): Json {
  const info = KINDS.EndpointDlpPolicy;
  const activities = ['copyPaste', 'copyToNetworkShare', 'copyToRemovableMedia', 'screenCapture', 'print', 'cloudEgress', 'unallowedApps'];
  const spec: Json = {
    type: 'object',
    description:
      'Purview has no Graph CRUD for DLP policies, so this is our own small shape, mirroring New-DlpCompliancePolicy / New-DlpComplianceRule and Graph beta\'s device restriction vocabulary.',
    required: ['mode', 'locations', 'rules'],
    additionalProperties: false,
    properties: {
      mode: {
        enum: ['Enable', 'TestWithNotifications', 'TestWithoutNotifications', 'Disable'],
        'x-noun': 'DLP mode',
        description: '`Enable` enforces; the two `Test…` modes simulate (with or without policy tips); `Disable` turns the policy off.',
      },
      locations: {
        type: 'object',
        additionalProperties: false,
        required: ['devices'],
        description: 'Where the policy applies. Endpoint DLP applies to onboarded devices.',
        properties: {
          devices: {
            type: 'object',
            additionalProperties: false,
            description: 'The devices location (EndpointDlpLocation and its exceptions).',
            properties: {
              include: { type: 'array', items: { type: 'string', minLength: 1 }, description: '`All`, or manifest group names whose users\' devices are in scope.' },
              exclude: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Manifest group names left out of the policy.' },
            },
          },
        },
      },
      rules: {
        type: 'array',
        minItems: 1,
        description: 'The DLP rules: what content they match and what they restrict on the device.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'restrictions'],
          properties: {
            name: { type: 'string', minLength: 1, description: 'The rule\'s name, unique in the policy.' },
            sensitiveInfoTypes: {
              type: 'array',
              items: { type: 'string', minLength: 1 },
              description: 'Sensitive information types (by name) the rule looks for, such as `Credit Card Number`.',
            },
            restrictions: {
              type: 'array',
              minItems: 1,
              description: 'What the rule does for each device activity.',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['activity', 'action'],
                properties: {
                  activity: { enum: activities, 'x-noun': 'DLP activity', description: 'The device activity restricted (Graph beta restrictionTrigger vocabulary).' },
                  action: { enum: ['audit', 'warn', 'block'], 'x-noun': 'DLP action', description: '`audit` records, `warn` blocks with override, `block` blocks.' },
                },
              },
            },
          },
        },
      },
    },
  };
  return envelope(info, spec, {}, snapshot);
}

function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Generate every schema. */
export function generateSchemas(srcDir: string): GeneratedSchemas {
  const model = loadGraphModel(srcDir);
  const descriptions = loadDescriptions(srcDir);
  const missing = new Set<string>();
  const files = new Map<string, Json>();
  files.set('zerotrust.schema.json', manifestSchema(model));
  for (const k of KIND_NAMES) {
    const info = KINDS[k];
    const schema = info.graphTypes.length ? graphKindSchema(model, info, descriptions, missing) : dlpSchema(model.snapshot);
    files.set(`${info.schema}.schema.json`, schema);
  }
  return { files, missingDescriptions: [...missing].sort(), snapshot: model.snapshot };
}

/**
 * Phase one of the analysis: facts per file, computed once per file version. Cross-file rules read only these.
 */
import { asObject, type JsonPath, type ParsedDocument, strings } from './document';
import { TARGET_TYPES, displayNameKey, exporterMetadata, kindOfODataType, typedExport, isSettingsCatalogComplianceSpec, rawKindOf, rawPolicyName, readGraphAssignments } from './graph';
import { KINDS, isPolicyKind, BASELINE_TEMPLATE_FAMILY, configurationProfileLayer, templateFamilyOf, type PolicyKind } from './kinds';
import { licenseInfo } from './licenses';
import { basename, isManifestPath } from './paths';
import { isPlatform, platformOfEnrollmentType, platformOfODataType, platformsOfConfigurationFlags, PLATFORMS, type Platform } from './platforms';
import { validateManifest, validatePolicy, type SchemaIssue } from './schema/validator';
import { LIST_KEYWORDS, usersKeywordAsGroup } from './schema/graph-constraints';
import { manifestConstraintIssues } from './schema/manifest-constraints';
import { parseSuppressions, type Suppressions } from './suppress';

// The manifest's name and its test live with the paths (prose reads them too); re-exported for the readers of facts.
export { isManifestPath, MANIFEST_FILE } from './paths';

/** Special assignment targets that are not manifest groups. */
export const BUILTIN_TARGETS = ['allUsers', 'allDevices'] as const;
export type BuiltinTarget = (typeof BUILTIN_TARGETS)[number];

/** What each built-in assignment target is, with the Graph target type it is exported as (`graphTarget`). */
export const BUILTIN_TARGET_INFO: Record<BuiltinTarget, { summary: string; graphType: string }> = {
  allUsers: { summary: 'all users', graphType: TARGET_TYPES.allUsers },
  allDevices: { summary: 'all devices', graphType: TARGET_TYPES.allDevices },
};

/** The keyword of an Endpoint DLP policy's `locations.devices` lists that stands for every device, not a group. */
export const DLP_ALL_DEVICES = 'All';

/** A value that names a built-in target (not a manifest group) where group references are read. */
export function isBuiltinTarget(where: 'assignments' | 'dlp-locations', value: string): boolean {
  return where === 'assignments' ? (BUILTIN_TARGETS as readonly string[]).includes(value) : value === DLP_ALL_DEVICES;
}

export interface GroupRef {
  /** The name or GUID as written. */
  value: string;
  path: JsonPath;
  where: 'assignments' | 'ca-users' | 'dlp-locations' | 'manifest';
}

export interface GroupInfo {
  name: string;
  id?: string;
  description?: string;
  members: string[];
  path: JsonPath;
  /**
   * Where a group that the manifest does not list comes from: a Graph group export or a migration table beside raw
   * exports in the tenant folder (read as `ztp import` reads them). `path` is then a path in that file.
   */
  source?: string;
}

interface BaseFacts {
  path: string;
  parsed: ParsedDocument;
  suppressions: Suppressions;
}

export interface ManifestFacts extends BaseFacts {
  type: 'manifest';
  value: Record<string, unknown> | undefined;
  name?: string;
  licenses: string[];
  platforms: Platform[];
  groups: GroupInfo[];
  breakGlass: { groups: string[]; users: string[] };
  teams: string[];
  settings: Record<string, unknown>;
  schemaIssues: SchemaIssue[];
}

export interface PolicyFacts extends BaseFacts {
  type: 'policy';
  /** The value of `kind` as written (may be missing or unknown). */
  kindValue: unknown;
  kind: PolicyKind | undefined;
  value: Record<string, unknown> | undefined;
  name?: string;
  owner?: string;
  spec: Record<string, unknown> | undefined;
  odataType?: string;
  layer: number | undefined;
  /** Platforms from the file alone; a CA policy's `all` / missing condition is expanded per tenant. */
  platforms: Platform[];
  /** CA: whether the platform condition is `all` or missing (so it means the manifest's platforms). */
  allPlatforms: boolean;
  groupRefs: GroupRef[];
  schemaIssues: SchemaIssue[];
  /**
   * A raw Graph export (no `kind`; its `@odata.type` or shape names the resource): `spec` is the whole document,
   * `name` is derived from its display name, and every path under `spec` is found at the document's root. Rules
   * place findings through `docPath` / `specPath`.
   */
  raw?: boolean;
}

/** A YAML/JSON file in a tenant folder that is neither a manifest nor a policy (no `kind`). */
export interface OtherFacts extends BaseFacts {
  type: 'other';
  value: unknown;
}

export type FileFacts = ManifestFacts | PolicyFacts | OtherFacts;

/**
 * A file named like the manifest but not it (`zerotrust.yml`, `zerotrust.json`, `ZeroTrust.yaml`): the contract names
 * the manifest `zerotrust.yaml`, so such a file opens no tenant; `no-tenant-manifest` and `unknown-kind` say so.
 */
export function isManifestLookalike(path: string): boolean {
  return /(^|[\\/])zerotrust\.(ya?ml|json)$/i.test(path) && !isManifestPath(path);
}

/**
 * The facts of each type are made by one of these three, one object literal each, in one property order, whether a
 * file is read on this thread (`collectFacts`) or its facts come from another (`factsFromPlain`). V8 gives the objects
 * of one literal one hidden class; a structured clone of facts got a class of its own (past four properties), so code
 * optimised on the thousands of facts the language server adopts from its read workers was deoptimised by the first
 * file parsed on its own thread (the first edit).
 */
export function policyFacts(f: PolicyFacts): PolicyFacts {
  const facts: PolicyFacts = {
    type: 'policy',
    path: f.path,
    parsed: f.parsed,
    suppressions: f.suppressions,
    kindValue: f.kindValue,
    kind: f.kind,
    value: f.value,
    name: f.name,
    owner: f.owner,
    spec: f.spec,
    odataType: f.odataType,
    layer: f.layer,
    platforms: f.platforms,
    allPlatforms: f.allPlatforms,
    groupRefs: f.groupRefs,
    schemaIssues: f.schemaIssues,
  };
  if (f.raw) facts.raw = true;
  return facts;
}

export function manifestFacts(f: ManifestFacts): ManifestFacts {
  return {
    type: 'manifest',
    path: f.path,
    parsed: f.parsed,
    suppressions: f.suppressions,
    value: f.value,
    name: f.name,
    licenses: f.licenses,
    platforms: f.platforms,
    groups: f.groups,
    breakGlass: f.breakGlass,
    teams: f.teams,
    settings: f.settings,
    schemaIssues: f.schemaIssues,
  };
}

export function otherFacts(f: OtherFacts): OtherFacts {
  return { type: 'other', path: f.path, parsed: f.parsed, suppressions: f.suppressions, value: f.value };
}

/** Collect the facts of one parsed file. Never throws on odd input. */
export function collectFacts(parsed: ParsedDocument): FileFacts {
  const suppressions = parseSuppressions(parsed);
  if (isManifestPath(parsed.path)) return collectManifest(parsed, suppressions);
  const value = asObject(parsed.value);
  const kindValue = value?.kind;
  const rawKind = rawKindOf(value);
  if (value && rawKind) return collectPolicy(parsed, value, suppressions, rawKind);
  if (!value || kindValue === undefined && !looksLikePolicy(value)) {
    return otherFacts({ type: 'other', path: parsed.path, parsed, suppressions, value: parsed.value });
  }
  return collectPolicy(parsed, value, suppressions);
}

/**
 * Where a path of the policy format (`['spec', …]`, `['kind']`, `['name']`, `['assignments', …]`) is in the file.
 * In a native file that is the path itself. A raw Graph export holds the spec at its root, so `spec` is dropped;
 * `kind` is found at `@odata.type`, `name` at the display name, and our `assignments` block at Graph's list.
 */
export function docPath(p: PolicyFacts, path: JsonPath): JsonPath {
  if (!p.raw) return path;
  const [head, ...rest] = path;
  const doc = p.spec ?? {};
  switch (head) {
    case 'spec':
      return rest;
    case 'kind':
      // The file's own `@odata.type`, not one its `@odata.context` gave it (`typedExport`).
      return '@odata.type' in (asObject(p.value) ?? doc) ? ['@odata.type'] : nameKeyPath(doc);
    case 'name':
    case 'owner':
      return nameKeyPath(doc);
    case 'assignments':
      // `['assignments', 2, 'target', …]` is already a path into Graph's own list; our `include`/`exclude` are not there.
      if (typeof rest[0] === 'number') return path;
      return 'assignments' in doc ? ['assignments'] : nameKeyPath(doc);
    default:
      return path;
  }
}

function nameKeyPath(doc: Record<string, unknown>): JsonPath {
  const key = displayNameKey(doc);
  return key ? [key] : [];
}

/** The path in the file of `spec.<rest>` (the document root of a raw export). */
export function specPath(p: PolicyFacts, ...rest: (string | number)[]): JsonPath {
  return docPath(p, ['spec', ...rest]);
}

/** A mapping without `kind` that still looks like one of ours, or a Graph export (so `unknown-kind` tells the author). */
function looksLikePolicy(v: Record<string, unknown>): boolean {
  return 'spec' in v || 'assignments' in v || typeof v['@odata.type'] === 'string';
}

function collectManifest(parsed: ParsedDocument, suppressions: Suppressions): ManifestFacts {
  const value = asObject(parsed.value);
  const groups: GroupInfo[] = [];
  const rawGroups = Array.isArray(value?.groups) ? (value!.groups as unknown[]) : [];
  rawGroups.forEach((g, i) => {
    const o = asObject(g);
    if (o && typeof o.name === 'string') {
      groups.push({
        name: o.name,
        id: typeof o.id === 'string' ? o.id : undefined,
        description: typeof o.description === 'string' ? o.description : undefined,
        members: strings(o.members),
        path: ['groups', i],
      });
    }
  });
  const bg = asObject(value?.breakGlass);
  return manifestFacts({
    type: 'manifest',
    path: parsed.path,
    parsed,
    suppressions,
    value,
    name: typeof value?.name === 'string' ? value.name : undefined,
    // Only the licences the schema takes, as `platforms` below: a misspelt one (`M365_E55`) is a schema error and
    // declares nothing. The others beside it still say what the tenant holds, but not all it holds (`refusedLicences`).
    licenses: strings(value?.licenses).filter((id) => licenseInfo(id) !== undefined),
    platforms: strings(value?.platforms).filter(isPlatform),
    groups,
    breakGlass: { groups: strings(bg?.groups), users: strings(bg?.users) },
    teams: Object.keys(asObject(value?.teams) ?? {}),
    settings: asObject(value?.settings) ?? {},
    schemaIssues: value ? [...validateManifest(value), ...manifestConstraintIssues(value)] : parsed.syntaxErrors.length ? [] : [{ path: [], target: 'auto', message: 'the manifest must be a mapping with `kind: Tenant`, `name` and `licenses`' }],
  });
}

function collectPolicy(parsed: ParsedDocument, value: Record<string, unknown>, suppressions: Suppressions, rawKind?: PolicyKind): PolicyFacts {
  const raw = rawKind !== undefined;
  const kind = raw ? rawKind : isPolicyKind(value.kind) ? value.kind : undefined;
  // A raw export that names no type reads as the type its `@odata.context` names (`typedExport`), so its platform and
  // schema are those of its type; `value` stays the file as written.
  const spec = raw ? typedExport(value) : asObject(value.spec);
  const name = raw ? rawPolicyName(value, basename(parsed.path)) : typeof value.name === 'string' ? value.name : undefined;
  const odataType = typeof spec?.['@odata.type'] === 'string' ? (spec['@odata.type'] as string) : undefined;
  const facts = policyFacts({
    type: 'policy',
    path: parsed.path,
    parsed,
    suppressions,
    kindValue: raw ? rawKind : value.kind,
    kind,
    value,
    name,
    // Only a file of our format has our `owner` (a Graph resource's own `owner`, as on a mobile app, is not a team).
    owner: !raw && value.kind !== undefined && typeof value.owner === 'string' ? value.owner : undefined,
    spec,
    odataType,
    layer: kind ? KINDS[kind].layer : undefined,
    platforms: [],
    allPlatforms: false,
    groupRefs: [],
    schemaIssues: [],
    raw,
  });
  if (!kind) return facts;
  facts.schemaIssues = raw ? rawSchemaIssues(kind, name!, spec!) : validatePolicy(kind, value);
  if (!raw) collectAssignmentRefs(facts, value);
  collectGraphAssignmentRefs(facts);
  switch (kind) {
    case 'AppProtectionPolicy':
    case 'CompliancePolicy': {
      const p = platformOfODataType(odataType);
      if (p) facts.platforms = [p];
      // Settings-catalog-based compliance (deviceManagementCompliancePolicy: Linux): platforms from `spec.platforms`.
      else if (kind === 'CompliancePolicy' && isSettingsCatalogComplianceSpec(spec)) facts.platforms = platformsOfConfigurationFlags(spec?.platforms);
      break;
    }
    case 'EnrollmentRestriction': {
      const p = platformOfEnrollmentType(spec?.platformType);
      if (p === 'all' || (odataType && !/PlatformRestrictionConfiguration$/.test(odataType))) {
        facts.platforms = [...PLATFORMS];
        facts.allPlatforms = true;
      } else if (p) facts.platforms = [p];
      break;
    }
    case 'AutopilotProfile':
      facts.platforms = ['windows'];
      break;
    case 'ConditionalAccessPolicy':
      facts.spec = canonicalCaKeywords(spec);
      collectConditionalAccess(facts, facts.spec);
      break;
    case 'ConfigurationProfile': {
      facts.platforms = platformsOfConfigurationFlags(spec?.platforms);
      // A template or custom profile written under this kind (its schema error says to keep the raw export) is for the
      // platform its type names: not read, it may hold what any profile of that platform would, so the checks of that
      // platform hold back on it (its settings are not read) rather than call what it may set missing.
      const foreignPlatform = !facts.platforms.length && odataType && !kindOfODataType(odataType) ? platformOfODataType(odataType) : undefined;
      if (foreignPlatform) facts.platforms = [foreignPlatform];
      facts.layer = configurationProfileLayer(spec?.templateReference, spec?.settings);
      break;
    }
    case 'DefenderConnector': {
      const toggles: [string, Platform][] = [
        ['windowsEnabled', 'windows'],
        ['iosEnabled', 'iOS'],
        ['androidEnabled', 'android'],
        ['macEnabled', 'macOS'],
      ];
      facts.platforms = toggles.filter(([k]) => spec?.[k] === true).map(([, p]) => p);
      break;
    }
    case 'EndpointDlpPolicy': {
      facts.platforms = ['windows', 'macOS'];
      const devices = asObject(asObject(spec?.locations)?.devices);
      for (const key of ['include', 'exclude'] as const) {
        strings(devices?.[key]).forEach((g, i) => {
          if (!isBuiltinTarget('dlp-locations', g)) facts.groupRefs.push({ value: g, path: specPath(facts, 'locations', 'devices', key, i), where: 'dlp-locations' });
        });
      }
      break;
    }
  }
  return facts;
}

export function templateFamily(spec: Record<string, unknown> | undefined): string | undefined {
  return templateFamilyOf(spec?.templateReference);
}

/**
 * Whether a settings catalog profile was exported without its settings: Graph returns a policy's `settings` only with
 * `$expand=settings`, so a list (`GET /deviceManagement/configurationPolicies`) or a GET without it has no `settings`,
 * only their count (`settingCount`, which `ztp import` leaves out as read-only). Such a profile says nothing about its
 * settings: unknown, never "none" (a `settingCount` of 0 says there are none). Source:
 * https://learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list?view=graph-rest-beta
 */
export function settingsNotExported(p: PolicyFacts): boolean {
  const spec = p.spec;
  if (p.kind !== 'ConfigurationProfile' || !spec) return false;
  return !Array.isArray(spec.settings) && spec.settingCount !== 0;
}

export function isBaselineProfile(f: PolicyFacts): boolean {
  return f.kind === 'ConfigurationProfile' && templateFamily(f.spec) === BASELINE_TEMPLATE_FAMILY;
}

function collectAssignmentRefs(facts: PolicyFacts, value: Record<string, unknown>): void {
  const a = asObject(value.assignments);
  for (const key of ['include', 'exclude'] as const) {
    strings(a?.[key]).forEach((g, i) => {
      if (!isBuiltinTarget('assignments', g)) facts.groupRefs.push({ value: g, path: ['assignments', key, i], where: 'assignments' });
    });
  }
}

/** Group ids in Graph-shaped assignments (`spec.assignments[].target.groupId`; a raw export's own list). */
function collectGraphAssignmentRefs(facts: PolicyFacts): void {
  for (const t of readGraphAssignments(facts.spec?.assignments)) {
    if (t.groupId) facts.groupRefs.push({ value: t.groupId, path: specPath(facts, 'assignments', t.index, 'target', 'groupId'), where: 'assignments' });
  }
}

/**
 * Validate a raw export as the policy file it would be (`{ kind, name, spec: <the document> }`), and place each issue
 * on the document's own path.
 */
function rawSchemaIssues(kind: PolicyKind, name: string, doc: Record<string, unknown>): SchemaIssue[] {
  const { checked, notes } = withoutExporterKeys(kind, doc);
  return [...notes, ...validatePolicy(kind, { kind, name, spec: checked }, true).map((issue) => ({ ...issue, path: issue.path[0] === 'spec' ? issue.path.slice(1) : [] }))];
}

/**
 * A raw export read as `ztp import` reads it (`exporterMetadata`, graph.ts): a top-level key beginning
 * with `$` (Simeon Cloud's `$description`, `$friendlyName`) is an exporter's metadata, never an OData property, and is
 * left out, with Simeon's `expand` beside them; the display name (`name` in the settings catalog) is taken from
 * `$friendlyName` when the export has none. Each such key is a warning, not a refusal: the file carries its name, and
 * the import sends the body without them.
 */
function withoutExporterKeys(kind: PolicyKind, doc: Record<string, unknown>): { checked: Record<string, unknown>; notes: SchemaIssue[] } {
  const metadata = exporterMetadata(kind, doc);
  if (!metadata) return { checked: doc, notes: [] };
  const { body, dropped, named } = metadata;
  const notes: SchemaIssue[] = dropped.map((k) => ({
    path: [k],
    target: 'key',
    severity: 'warning',
    message:
      k === '$friendlyName' && named
        ? `\`$friendlyName\` is Simeon Cloud's name for the policy, not a Graph property: Graph's is \`${named.key}\`, which this export lacks. \`ztp import\` writes it as \`${named.key}\`; a tool sending this file to Graph as it is must do the same, or Graph refuses it`
        : `\`${k}\` is an exporter's metadata (Simeon Cloud writes \`$description\`, \`$friendlyName\` and \`expand\`), not a Graph property (a key beginning with \`$\` never is one): \`ztp import\` leaves it out; a tool sending this file to Graph as it is must do the same, or Graph refuses it`,
  }));
  return { checked: body, notes };
}

/**
 * A CA policy's spec with the keywords of its user, application and location lists in Graph's own casing (`all` →
 * `All`): Graph takes them without regard to case and keeps them as sent, so every reader of the policy (the rules,
 * What If, the lockout check, export) reads `all` as `All`. The file's value is left as written, for the schema's
 * warning. A copy only where something changes.
 */
function canonicalCaKeywords(spec: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const conditions = asObject(spec?.conditions);
  if (!spec || !conditions) return spec;
  let out: Record<string, unknown> | undefined;
  for (const list of LIST_KEYWORDS) {
    const [, section] = list.at;
    const at = asObject(conditions[section!]);
    if (!at) continue;
    for (const key of list.keys) {
      const values = at[key];
      if (!Array.isArray(values)) continue;
      const fixed = values.map((v) => (typeof v === 'string' ? (list.words.find((w) => w !== v && w.toLowerCase() === v.toLowerCase()) ?? v) : v));
      if (fixed.every((v, i) => v === values[i])) continue;
      out ??= { ...spec, conditions: { ...conditions } };
      const outConditions = out.conditions as Record<string, unknown>;
      outConditions[section!] = { ...(asObject(outConditions[section!]) ?? {}), [key]: fixed };
    }
  }
  return out ?? spec;
}

function collectConditionalAccess(facts: PolicyFacts, spec: Record<string, unknown> | undefined): void {
  const conditions = asObject(spec?.conditions);
  const users = asObject(conditions?.users);
  for (const key of ['includeGroups', 'excludeGroups'] as const) {
    // `All` (an `includeUsers` keyword) in a group list names no group: the schema says so (`usersKeywordAsGroup`).
    strings(users?.[key]).forEach((g, i) => {
      if (!usersKeywordAsGroup(g)) facts.groupRefs.push({ value: g, path: specPath(facts, 'conditions', 'users', key, i), where: 'ca-users' });
    });
  }
  const platforms = asObject(conditions?.platforms);
  const include = strings(platforms?.includePlatforms);
  const exclude = strings(platforms?.excludePlatforms);
  if (!platforms || include.length === 0 || include.includes('all')) {
    facts.allPlatforms = true;
    facts.platforms = PLATFORMS.filter((p) => !exclude.includes(p));
  } else {
    facts.platforms = include.filter(isPlatform).filter((p) => !exclude.includes(p));
  }
  const grant = strings(asObject(spec?.grantControls)?.builtInControls);
  const appBased = grant.some((g) => g === 'compliantApplication' || g === 'approvedApplication') && !grant.includes('compliantDevice');
  if (appBased) facts.layer = 1;
}

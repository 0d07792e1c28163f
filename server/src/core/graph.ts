/**
 * What the core knows about Microsoft Graph's own JSON, beyond the schemas: which resource a raw export holds, how
 * Graph writes assignments, which properties are read-only (so an import drops them and an export never sends
 * them), and where each kind's body is created. Used by the facts (raw exports are analysed as they are) and by
 * `ztp import` / `ztp export`.
 */
import { asObject, isPlainObject, type JsonPath } from './document';
import { KINDS, KIND_NAMES, configurationProfileLayer, type PolicyKind } from './kinds';
import { shortHash } from './file-stem';
import { EDR_INTENT_TEMPLATE } from './intent-templates';
import { platformOfODataType, platformsOfConfigurationFlags, type Platform } from './platforms';

export const GRAPH_PREFIX = '#microsoft.graph.';

/** The assignment target types our `assignments` block maps to (Graph's names, as `@odata.type`). */
export const TARGET_TYPES = {
  group: '#microsoft.graph.groupAssignmentTarget',
  exclusion: '#microsoft.graph.exclusionGroupAssignmentTarget',
  allUsers: '#microsoft.graph.allLicensedUsersAssignmentTarget',
  allDevices: '#microsoft.graph.allDevicesAssignmentTarget',
} as const;

/**
 * The member Graph adds at the end of an evolvable enum as a sentinel: not a value to write
 * (https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations).
 */
export const EVOLVABLE_ENUM_SENTINEL = 'unknownFutureValue';

/** The Microsoft Defender for Endpoint connector's id (the WindowsDefenderATP app id; facts §6). */
export const MDE_CONNECTOR_ID = 'fc780465-2017-40d4-a0c5-307022471b92';


/** `#microsoft.graph.x` or `microsoft.graph.x` → `x`. */
export function graphTypeName(odataType: unknown): string | undefined {
  if (typeof odataType !== 'string') return undefined;
  const m = /^#?microsoft\.graph\.([A-Za-z0-9_]+)$/.exec(odataType.trim());
  return m?.[1];
}

/** The kind whose `spec` holds this Graph type. */
export function kindOfODataType(odataType: unknown): PolicyKind | undefined {
  const name = graphTypeName(odataType);
  if (!name) return undefined;
  return KIND_NAMES.find((k) => KINDS[k].graphTypes.includes(name));
}

/**
 * The `@odata.type` of a JSON text's outermost object, read without parsing it (the text may not parse: a trailing
 * comma further down). Keys are told by their depth, so an `@odata.type` of a nested object (a setting instance, an
 * assignment target) is never taken for the file's own. Undefined when the text is not a JSON object, or when its
 * outermost object has no `@odata.type` before the end of the text or the first `limit` characters.
 */
export function topLevelODataType(text: string, limit = 65536): string | undefined {
  const end = Math.min(text.length, limit);
  let i = 0;
  while (i < end && /[\s\uFEFF]/.test(text[i]!)) i++;
  if (text[i] !== '{') return undefined;
  let depth = 0;
  // The string just read at depth 1, while its `:` may still follow (a key), and the key whose value comes next.
  let lastString: string | undefined;
  let key: string | undefined;
  for (; i < end; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < end && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= end) return undefined;
      const value = text.slice(i + 1, j);
      if (depth === 1 && key === '@odata.type') return value;
      lastString = depth === 1 ? value : undefined;
      key = undefined;
      i = j;
    } else if (c === ':') {
      key = depth === 1 ? lastString : undefined;
      lastString = undefined;
    } else if (c === '{' || c === '[') {
      depth++;
      key = lastString = undefined;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth <= 0) return undefined;
    } else if (c === ',') {
      key = lastString = undefined;
    }
  }
  return undefined;
}

/**
 * The kind of a raw Graph export: a mapping with no `kind` and no `spec` whose top-level `@odata.type` names a
 * resource of one of our kinds, or, without `@odata.type`, whose shape is unmistakably one (only the kinds that hold
 * a single Graph type can be told by shape).
 */
export function rawKindOf(doc: unknown): PolicyKind | undefined {
  const d = asObject(doc);
  if (!d || 'kind' in d || 'spec' in d) return undefined;
  const t = d['@odata.type'] ?? contextODataType(d);
  if (t !== undefined) return kindOfODataType(t);
  if (isPlainObject(d.conditions) && ('grantControls' in d || 'sessionControls' in d || 'state' in d)) return 'ConditionalAccessPolicy';
  // A settings catalog policy; GET returns its `settings` only with `$expand=settings`, so a list or a single GET
  // without it has the template reference and the setting count instead.
  const catalog = Array.isArray(d.settings) || (isPlainObject(d.templateReference) && ('settingCount' in d || typeof d.name === 'string'));
  if (catalog && 'platforms' in d && 'technologies' in d) return isSettingsCatalogCompliance(d) ? 'CompliancePolicy' : 'ConfigurationProfile';
  if ('partnerState' in d && ['androidEnabled', 'iosEnabled', 'windowsEnabled'].some((k) => k in d)) return 'DefenderConnector';
  return undefined;
}

/**
 * How a message tells where to fetch a settings catalog policy's settings and assignments, which a list
 * (`GET /deviceManagement/configurationPolicies`) or a GET without `$expand` leaves out:
 * https://learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list?view=graph-rest-beta
 */
export const FETCH_PROFILE_SETTINGS = '`GET /deviceManagement/configurationPolicies/{id}?$expand=settings,assignments`';

/** Whether a compliance policy's `scheduledActionsForRule` holds a `block` action ("Mark device noncompliant"), in any rule. */
export function hasBlockAction(rules: unknown): boolean {
  if (!Array.isArray(rules)) return false;
  return rules.some((r) => isPlainObject(r) && Array.isArray(r.scheduledActionConfigurations) && r.scheduledActionConfigurations.some((a) => isPlainObject(a) && a.actionType === 'block'));
}

/** One list of a collection export: the key it sits under (`value`, or a tool's own key; none for a bare list) and its items. */
export interface CollectionList {
  key?: string;
  items: Record<string, unknown>[];
}

/**
 * The items of a Graph collection export: a list response saved whole (`{ "@odata.context": "…", "value": [ … ] }`,
 * as `GET /identity/conditionalAccess/policies` returns it and some exporters keep it), or undefined when the value
 * is no such list. The one answer to "is this a collection export", which `ztp check` (the model, `unknown-kind`) and
 * `ztp import` both read. Beside `value`, OData annotations, or an exporter's own keys (a `_comment`, an
 * `evidenceMetadata` block) where the list is still Graph's: see `listBesideOwnKeys`. A tool's export that keeps its
 * policies in lists under keys of its own (`{ "tenantId": …, "policies": [ … ] }`) is one too, its lists' items
 * together: see `listsUnderOwnKeys`; `collectionLists` says which list each came from.
 */
export function collectionItems(doc: unknown): Record<string, unknown>[] | undefined {
  const lists = collectionLists(doc);
  if (!lists) return undefined;
  return lists.length === 1 ? lists[0]!.items : lists.flatMap((l) => l.items);
}

const COLLECTION_LISTS = new WeakMap<object, readonly CollectionList[] | null>();

/** The lists of a collection export (`collectionItems`), each with the key it sits under; undefined when it is none. */
export function collectionLists(doc: unknown): readonly CollectionList[] | undefined {
  if (doc === null || typeof doc !== 'object') return undefined;
  // Read once per document: the model's readers, `unknown-kind` and import each ask it of every file of no kind.
  let lists = COLLECTION_LISTS.get(doc);
  if (lists === undefined) COLLECTION_LISTS.set(doc, (lists = listsOf(doc) ?? null));
  return lists ?? undefined;
}

function listsOf(doc: object): readonly CollectionList[] | undefined {
  // A bare list, as `.value | ConvertTo-Json` or `az rest --query value` writes one.
  if (Array.isArray(doc)) return doc.length && doc.every(isPlainObject) ? [{ items: doc }] : undefined;
  const d = asObject(doc);
  if (!d) return undefined;
  if (Array.isArray(d.value)) {
    if (!Object.keys(d).some((k) => k !== 'value' && !k.startsWith('@odata.'))) return [{ key: 'value', items: d.value.filter(isPlainObject) }];
    const items = listBesideOwnKeys(d);
    if (items) return [{ key: 'value', items }];
  }
  return listsUnderOwnKeys(d);
}

/**
 * A `value` list an exporter saved with keys of its own beside it (`{ "_comment": "Sanitized export…", "value":
 * [ … ] }`, `{ "evidenceMetadata": { … }, "value": [ … ] }`: public CA baselines are published so): a collection
 * export where the document is none of Graph's resources nor a policy file (no `@odata.type`, `kind` or `spec`, not a
 * policy by its shape), every item is an object, and one at least is Graph's: a policy of the kinds (by its type or
 * shape, the PowerShell SDK's casing read as Graph's), or a resource no kind holds, by its `@odata.type` or its shape
 * (`foreignGraphTypeOf`: an intent, an authentication strength). Anything else under `value` is the tool's own data.
 */
function listBesideOwnKeys(d: Record<string, unknown>): Record<string, unknown>[] | undefined {
  if (notAList(d)) return undefined;
  const items = d.value as unknown[];
  if (!items.length || !items.every(isPlainObject)) return undefined;
  const graphs = (item: Record<string, unknown>): boolean =>
    listItemKind(d, listItem(d, item)) !== undefined || foreignGraphTypeOf(item) !== undefined;
  return (items as Record<string, unknown>[]).some(graphs) ? (items as Record<string, unknown>[]) : undefined;
}

/** A document that is itself one of Graph's resources or a policy file, so none of its lists is a collection export. */
function notAList(d: Record<string, unknown>): boolean {
  return '@odata.type' in d || 'kind' in d || 'spec' in d || rawKindOf(d) !== undefined;
}

/**
 * A tool's export that keeps its policies in lists under keys of its own, with no `value` list of Graph's: `{
 * "exportedAt": …, "tenantId": …, "policies": [ <CA policies> ] }`, or an offline analyser's `{ "tenantId": …,
 * "conditionalAccessPolicies": [ <the PowerShell SDK's PascalCase policies> ], "namedLocations": [ … ],
 * "authenticationStrengthPolicies": [ … ], "signInApps": [ … ] }`. Told by the items' shape, never by the key's name:
 * the document is none of Graph's resources nor a policy file (`notAList`, nor a policy in the SDK's casing); a list
 * is Graph's when every item is, each a policy of the kinds (by its `@odata.type`, or by its shape with the name Graph
 * requires of it, as a wrapper's body is read: `wrappedPolicy`; the SDK's casing read as Graph's) or a resource no
 * kind holds (`foreignGraphTypeOf`: a named location, an authentication strength); and one list at least holds a
 * policy of the kinds. Then every list of Graph's is read (the named locations beside the policies too); a list of
 * anything else (the tool's sign-in counts) is its own data, and a document with no list of policies is left alone
 * (an authentication methods policy's configurations are Graph's, but no policies).
 */
function listsUnderOwnKeys(d: Record<string, unknown>): CollectionList[] | undefined {
  if (notAList(d) || fromPowerShellSdk(d)) return undefined;
  const lists: CollectionList[] = [];
  let policies = false;
  for (const [key, v] of Object.entries(d)) {
    if (key === 'value' || key.startsWith('@') || !Array.isArray(v) || !v.length || !v.every(isPlainObject)) continue;
    const items = v as Record<string, unknown>[];
    const kinds = items.map((item) => wrappedPolicy(listItem(d, item)));
    if (!kinds.every((k, i) => k || foreignGraphTypeOf(powerShellSdkRenamed(items[i]) ?? items[i]) !== undefined)) continue;
    policies ||= kinds.some((k) => k);
    lists.push({ key, items });
  }
  return policies ? lists : undefined;
}

/**
 * The properties a `$select` fetched, read from a response's `@odata.context`; undefined when the context names no
 * select list (every property was returned). OData's context URL carries the select list in parentheses after the
 * entity set (`…$metadata#deviceManagement/deviceCompliancePolicies(id,displayName,assignments())`, `…/$entity` for one
 * object); an expanded navigation (`assignments()`) or `*` is no select, and a key (`('…')`) is not a list of properties.
 * Source: OData v4.01 Protocol, 10 Context URL (https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_ContextURL);
 * Graph: https://learn.microsoft.com/graph/query-parameters#select-parameter
 */
export function selectedProperties(context: unknown): string[] | undefined {
  if (typeof context !== 'string') return undefined;
  const hash = context.indexOf('#');
  if (hash < 0) return undefined;
  const fragment = context.slice(hash + 1).replace(/\/\$(?:entity|delta)$/, '');
  if (!fragment.endsWith(')')) return undefined;
  // The last segment's outermost parentheses (a select list may hold nested ones: `assignments(id,target)`).
  let depth = 0;
  let open = -1;
  for (let i = fragment.length - 1; i >= 0; i--) {
    const c = fragment[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) {
      open = i;
      break;
    }
  }
  if (open <= 0 || fragment[open - 1] === '/') return undefined;
  const items: string[] = [];
  let start = open + 1;
  depth = 0;
  for (let i = open + 1; i < fragment.length - 1; i++) {
    const c = fragment[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      items.push(fragment.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(fragment.slice(start, fragment.length - 1).trim());
  if (items.includes('*')) return undefined;
  const properties = items.filter((x) => !x.includes('('));
  // A property, or one of a derived type (`microsoft.graph.windows10CompliancePolicy/bitLockerEnabled`).
  return properties.length && properties.every((x) => /^[A-Za-z_][\w.]*(?:\/[A-Za-z_]\w*)*$/.test(x)) ? properties : undefined;
}

/** A policy found inside another tool's wrapper, and which wrapper it was. */
export interface UnwrappedExport {
  value: Record<string, unknown>;
  /** How the import's header names the source ("a CIPP Intune template"). */
  wrapper: string;
  /** The wrapper's own word for what it holds (CIPP's `Type`: `Catalog`, `Admin`…), for a skip's reason. */
  type?: string;
  /** The named locations whose definitions the wrapper carried (CIPP's `LocationInfo`), by display name. */
  locations?: string[];
  /** The key that holds the body as a JSON string (`JSON`, `RAWJson`, `RawJSON`), where a finding on the wrapper sits. */
  key?: string;
}

/** The keys other backup tools keep a Graph body under as a JSON string: `JSON`, `RawJSON`, `rawJson`… */
const JSON_STRING_BODY_KEY = /^(raw)?json$/i;

function parsedObject(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return asObject(text);
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * The Graph body inside a CIPP template (the MSP tool's template table and files), or undefined when the value is no
 * such wrapper. A table entry is `{ PartitionKey, RowKey, JSON: "<template>" }`; an Intune template is
 * `{ Displayname, Description, RAWJson: "<Graph body>", Type }`; a Conditional Access template is the policy itself
 * with CIPP's `LocationInfo` (the named locations it names), `tenantFilter`, `source` and `isSynced`, which are left
 * out. Sources: CIPP-API `Set-CIPPIntuneTemplate`, `New-CIPPCATemplate` (KelvinTegelaar/CIPP-API).
 */
export function unwrapExport(value: unknown): UnwrappedExport | undefined {
  let v = asObject(value);
  if (!v) return undefined;
  let wrapper: string | undefined;
  if (typeof v.PartitionKey === 'string' && 'JSON' in v && !('@odata.type' in v)) {
    const inner = parsedObject(v.JSON);
    if (!inner) return undefined;
    wrapper = v.PartitionKey === 'CATemplate' ? 'a CIPP Conditional Access template' : `a CIPP ${v.PartitionKey} entry`;
    v = inner;
  }
  if ('RAWJson' in v && ('Displayname' in v || 'Type' in v)) {
    const body = parsedObject(v.RAWJson);
    if (!body) return undefined;
    return { value: body, wrapper: 'a CIPP Intune template', key: 'RAWJson', ...(typeof v.Type === 'string' ? { type: v.Type } : {}) };
  }
  if (!wrapper) return jsonStringBody(v) ?? objectBody(v);
  // CIPP's own keys: the named locations the policy names (`LocationInfo`), the tenants it was deployed with
  // (`tenantFilter`, seen in sjkanon/CA-Policies @ a284643), and where a template synced from a community repository
  // came from (`source`, `isSynced`, seen in JC-Logic/ConditionalAccessBaseline @ 4b62308). None is Graph's: sent
  // as they are, Graph refuses the body.
  const { LocationInfo: locations, tenantFilter: _tenants, source: _source, isSynced: _synced, ...rest } = v;
  const named = Array.isArray(locations) ? locations.map((l) => asObject(l)?.displayName).filter((n): n is string => typeof n === 'string' && n.trim() !== '') : [];
  return { value: rest, wrapper, key: 'JSON', ...(named.length ? { locations: named } : {}) };
}

/**
 * A Graph body another backup tool keeps as a JSON string beside its own keys (`{ "displayName": …, "JSON":
 * "{\"@odata.type\": …}" }`, CIPP-like `"RawJSON": "…"`): the wrapper is none of Graph's resources (no `@odata.type`,
 * no `kind` or `spec`), and the string parses to an object that names its Graph type, or is one of our kinds by its
 * keys as `rawKindOf` tells a raw export (Graph returns a CA policy with no `@odata.type`). A string of any other JSON
 * is the tool's own data.
 */
function jsonStringBody(v: Record<string, unknown>): UnwrappedExport | undefined {
  if ('@odata.type' in v || 'kind' in v || 'spec' in v) return undefined;
  for (const key of Object.keys(v)) {
    if (!JSON_STRING_BODY_KEY.test(key) || typeof v[key] !== 'string') continue;
    const body = parsedObject(v[key]);
    if (body && (typeof body['@odata.type'] === 'string' || rawKindOf(body))) return { value: body, wrapper: `a backup tool's wrapper whose \`${key}\` is the Graph body as a JSON string`, key };
  }
  return undefined;
}

/** Keys of a Graph `$batch` request or response item: a PATCH body may hold part of a policy only, so none is read as one. */
const BATCH_KEYS = ['method', 'url', 'status', 'headers'];

/**
 * A Graph body another tool keeps as an object beside its own keys, read only where nothing else could be meant: the
 * wrapper is none of Graph's resources (no `@odata.type`, `@odata.context`, `kind` or `spec`, not a policy by its
 * shape) nor a `$batch` item (whose PATCH body may be part of a policy), and no key but the body's holds an object that
 * names a Graph type or is a policy by its shape. The body sits under `body` (nurejev/TUNO's baseline files:
 * `{ name, key, release, version, section, description, importable, hash, body: { "@odata.type": … } }`), or under
 * another key that is then the only one holding a policy (`{ schemaVersion, metadata: { … }, graph: { <CA policy> } }`,
 * as a public Conditional Access lab keeps its policies). The body is a policy of one of the kinds by its
 * `@odata.type`, or, with none, by its shape (`rawKindOf`: Graph returns a CA policy with no type) with the name Graph
 * requires of it (a CA policy's `displayName`, a settings catalog policy's `name`), which a Conditional Access
 * template's `details` (its conditions and grant, no name) lacks. Anything else is the tool's own.
 */
function objectBody(v: Record<string, unknown>): UnwrappedExport | undefined {
  if ('@odata.type' in v || '@odata.context' in v || 'kind' in v || 'spec' in v || BATCH_KEYS.some((k) => k in v) || rawKindOf(v)) return undefined;
  const bodies = Object.keys(v).filter((k) => wrappedPolicy(v[k]));
  const key = bodies.includes('body') ? 'body' : bodies.length === 1 ? bodies[0]! : undefined;
  if (key === undefined) return undefined;
  const named = (x: unknown): boolean => typeof asObject(x)?.['@odata.type'] === 'string' || rawKindOf(x) !== undefined;
  if (Object.entries(v).some(([k, x]) => k !== key && named(x))) return undefined;
  return { value: v[key] as Record<string, unknown>, wrapper: `another tool's wrapper (the Graph body under \`${key}\`${Object.keys(v).length > 1 ? ", beside the tool's own keys" : ''})`, key };
}

/** Whether a wrapper's value is a policy of one of the kinds: by its `@odata.type`, or by its shape with its name (`objectBody`). */
function wrappedPolicy(x: unknown): boolean {
  const body = asObject(x);
  if (!body) return false;
  if (typeof body['@odata.type'] === 'string') return kindOfODataType(body['@odata.type']) !== undefined;
  const kind = rawKindOf(body);
  if (!kind) return false;
  const name = kind === 'ConditionalAccessPolicy' ? body.displayName : body.displayName ?? body.name;
  return typeof name === 'string' && name.trim() !== '';
}

/**
 * The policy kind inside another tool's wrapper (a CIPP template: see `unwrapExport`), or undefined when the value is
 * no such wrapper or holds no policy of a kind. `ztp import` reads the policy; `ztp check` reports the file
 * (`unknown-kind`) and holds back the checks of that kind, as for a collection export.
 */
export function wrappedKind(doc: unknown): { kind: PolicyKind; wrapper: string; key: string; type?: string } | undefined {
  const unwrapped = unwrapExport(doc);
  const kind = unwrapped ? rawKindOf(unwrapped.value) : undefined;
  if (!unwrapped || !kind) return undefined;
  const type = unwrapped.value['@odata.type'];
  return { kind, wrapper: unwrapped.wrapper, key: wrapperBodyKey(asObject(doc)!), ...(typeof type === 'string' ? { type } : {}) };
}

/** Where a wrapper holds its Graph body (the key `unwrapExport` read it from): the key a finding on it sits on. */
export function wrapperBodyKey(wrapper: Record<string, unknown>): string {
  return unwrapExport(wrapper)?.key ?? ('JSON' in wrapper ? 'JSON' : 'RAWJson');
}

/**
 * The Graph type a list's items are when they do not say: the entity set its `@odata.context` names, where that set
 * holds one type (`…#deviceAppManagement/androidManagedAppProtections`: `androidManagedAppProtection`). An exporter
 * may leave `@odata.type` out of each item, which Graph writes only where a set holds several types.
 */
const TYPE_OF_ENTITY_SET: Record<string, string> = {
  androidManagedAppProtections: '#microsoft.graph.androidManagedAppProtection',
  iosManagedAppProtections: '#microsoft.graph.iosManagedAppProtection',
  windowsManagedAppProtections: '#microsoft.graph.windowsManagedAppProtection',
};

/** The entity set a collection's `@odata.context` names (its last path segment, without a select list or `/$entity`). */
function entitySetOf(doc: unknown): string | undefined {
  const context = asObject(doc)?.['@odata.context'];
  if (typeof context !== 'string') return undefined;
  const path = context.split('#')[1]?.replace(/\(.*$/, '').replace(/\/\$entity$/, '');
  return path?.split('/').pop();
}

/**
 * Whether a response's `@odata.context` says it holds groups: the `groups` entity set (`…/v1.0/$metadata#groups`, with a
 * `$select` list, `#groups(displayName,id)`, or one object, `#groups/$entity`; beta alike), or a cast to the group type
 * (`#directoryObjects/microsoft.graph.group`, `#users('…')/memberOf/microsoft.graph.group`). Graph writes no
 * `@odata.type` on the items of a set of one type, so a list fetched with `$select=displayName,id` holds nothing else
 * that says they are groups.
 */
export function contextNamesGroups(doc: unknown): boolean {
  const context = asObject(doc)?.['@odata.context'];
  if (typeof context !== 'string') return false;
  // The path after `#`, each key or `$select` list in parentheses taken out: `groups('…')/members` is the members.
  const path = (context.split('#')[1] ?? '').replace(/\([^)]*\)/g, '').replace(/\/\$entity$/, '');
  const last = path.split('/').pop();
  return last === 'microsoft.graph.group' || (last === 'groups' && !path.includes('/'));
}

/**
 * The Graph type a single exported object is, when it names none: the type of the entity set its own `@odata.context`
 * names (`…#deviceAppManagement/iosManagedAppProtections/$entity`, or with an expand,
 * `…/iosManagedAppProtections(assignments())/$entity`), where that set holds one type. OData writes `@odata.type` only
 * where the object's type is derived from the set's, so a GET of an iOS app protection policy has none
 * (OData JSON Format v4.0, 4.5.3 Annotation odata.type:
 * https://docs.oasis-open.org/odata/odata-json-format/v4.0/odata-json-format-v4.0.html#_Toc372793053). Undefined for
 * an object that names its type, for a list response (its items are read by `listItem`), and for a set of several types.
 */
export function contextODataType(doc: unknown): string | undefined {
  const d = asObject(doc);
  if (!d || d['@odata.type'] !== undefined || Array.isArray(d.value)) return undefined;
  const set = entitySetOf(d);
  return set ? TYPE_OF_ENTITY_SET[set] : undefined;
}

/**
 * The kinds an entity set of several types holds, where one of them is a kind's: `managedAppPolicies` is the base set
 * of iOS, Android and Windows app protection (and of app configuration and Windows Information Protection, which no
 * kind holds): https://learn.microsoft.com/graph/api/resources/intune-mam-managedapppolicy. An object exported from it
 * without its `@odata.type` cannot be read as one type (`contextODataType` is undefined), but may hold such a policy.
 */
const KINDS_OF_ENTITY_SET: Record<string, readonly PolicyKind[]> = {
  managedAppPolicies: ['AppProtectionPolicy'],
};

/**
 * The kinds a single object that names no `@odata.type` may be, by the set of several types its `@odata.context`
 * names (`…#deviceAppManagement/managedAppPolicies/$entity`): the model counts such a file among those that may hold
 * a policy of the kind (`mayHide`), so "there is none" is not said. Empty for a typed object, a list, or another set.
 */
export function contextKinds(doc: unknown): readonly PolicyKind[] {
  const d = asObject(doc);
  if (!d || d['@odata.type'] !== undefined || Array.isArray(d.value)) return [];
  const set = entitySetOf(d);
  return (set && KINDS_OF_ENTITY_SET[set]) || [];
}

/**
 * A raw export as the checks and `ztp import` read it: with the `@odata.type` its `@odata.context` names
 * (`contextODataType`) when it names none, else as it is. One reader, so a file's kind (`rawKindOf`), its platform and
 * its imported spec agree.
 */
export function typedExport<T extends Record<string, unknown>>(doc: T): T {
  const t = contextODataType(doc);
  return t ? ({ '@odata.type': t, ...doc } as T) : doc;
}

/**
 * The policies of a collection export, each with its kind: an item's own type or keys (PowerShell SDK casing read as
 * Graph's), else the type its list's entity set holds; a settings catalog item of `deviceManagement/compliancePolicies`
 * (Linux compliance) is a compliance policy, which its keys alone may not show in a list.
 */
function collectionPolicies(doc: unknown): { kind: PolicyKind; item: Record<string, unknown> }[] {
  const out: { kind: PolicyKind; item: Record<string, unknown> }[] = [];
  for (const raw of collectionItems(doc) ?? []) {
    const item = listItem(doc, raw);
    const kind = listItemKind(doc, item);
    if (kind) out.push({ kind, item });
  }
  return out;
}

/**
 * A list's item as a document of its own: in Graph's casing (the PowerShell SDK's read as Graph's), with the
 * `@odata.type` its list's entity set holds when it names none. `ztp import` and the model read items so.
 */
export function listItem(doc: unknown, raw: Record<string, unknown>): Record<string, unknown> {
  const item = rawKindOf(raw) ? raw : (fromPowerShellSdk(raw) ?? raw);
  const set = entitySetOf(doc);
  return set && TYPE_OF_ENTITY_SET[set] && item['@odata.type'] === undefined ? { ...item, '@odata.type': TYPE_OF_ENTITY_SET[set] } : item;
}

/** A list item's kind (`rawKindOf`), where a settings catalog item of `deviceManagement/compliancePolicies` is compliance. */
export function listItemKind(doc: unknown, item: Record<string, unknown>): PolicyKind | undefined {
  const kind = rawKindOf(item);
  return kind === 'ConfigurationProfile' && entitySetOf(doc) === 'compliancePolicies' ? 'CompliancePolicy' : kind;
}

/**
 * The platforms each kind's items of a collection export are for (from an item's `@odata.type`, or a settings catalog
 * item's `platforms`); undefined for a kind any item of which names none, which may then be for any platform.
 */
export function collectionKindPlatforms(doc: unknown): Map<PolicyKind, Platform[] | undefined> {
  const out = new Map<PolicyKind, Platform[] | undefined>();
  for (const { kind, item } of collectionPolicies(doc)) {
    const byType = platformOfODataType(item['@odata.type']);
    const platforms = byType ? [byType] : platformsOfConfigurationFlags(item.platforms);
    const known = out.has(kind) ? out.get(kind) : [];
    out.set(kind, known && platforms.length ? [...new Set([...known, ...platforms])] : undefined);
  }
  return out;
}

/** The policy kinds a collection export holds, with how many of each (empty when it holds none, or is no collection). */
export function collectionKinds(doc: unknown): Map<PolicyKind, number> {
  const out = new Map<PolicyKind, number>();
  for (const { kind } of collectionPolicies(doc)) out.set(kind, (out.get(kind) ?? 0) + 1);
  return out;
}

/**
 * Whether a raw Graph document of a type no kind holds is one the configuration or Defender onboarding checks read (a
 * template or custom profile, an intent, an onboarding profile): its type, or undefined when it is none of those.
 */
export function configurationEvidenceType(doc: unknown): string | undefined {
  const d = asObject(doc);
  const foreign = d && !rawKindOf(d) ? foreignGraphTypeOf(d) : undefined;
  if (!foreign) return undefined;
  return CONFIGURATION_EVIDENCE_TYPES.includes(foreign) || isOnboardingEvidence(foreign, d!) ? foreign : undefined;
}

/**
 * How many items of a collection export are profiles the configuration or Defender onboarding checks read
 * (`configurationEvidenceType`): here, unread, as a collection's policies are.
 */
export function collectionEvidence(doc: unknown): number {
  let n = 0;
  for (const item of collectionItems(doc) ?? []) if (configurationEvidenceType(item)) n++;
  return n;
}

/**
 * A policy as the Microsoft Graph PowerShell SDK writes it (`Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json`):
 * every property PascalCase, and what the SDK's model lacks under `AdditionalProperties`. The same body with Graph's
 * own names, or undefined when the document is not one (any camelCase key, or no policy kind once renamed).
 */
export function fromPowerShellSdk(doc: unknown): Record<string, unknown> | undefined {
  const d = asObject(doc);
  const renamed = powerShellSdkRenamed(d);
  if (!d || !renamed) return undefined;
  if (rawKindOf(renamed)) return renamed;
  // A settings catalog policy's enums (`Platforms`, `Technologies`), written as empty objects (`powerShellSdkEnumsLost`),
  // which the renaming drops with the SDK's other empty objects: they still tell its kind.
  if (!powerShellSdkEnumsLost(d)) return undefined;
  const kept = { ...renamed, platforms: {}, technologies: {} };
  return rawKindOf(kept) ? kept : undefined;
}

/**
 * Any object the Microsoft Graph PowerShell SDK wrote (`ConvertTo-Json` of a `Get-Mg…` object: at least two PascalCase
 * properties and no camelCase one), with Graph's own property names (`camelCased`); undefined for any other document.
 * The one reading of that shape: `fromPowerShellSdk` for a policy, and the model's readers of the resources no kind
 * holds that the checks read (`Get-MgPolicyAuthenticationStrengthPolicy | ConvertTo-Json`'s `Id`, `DisplayName`,
 * `AllowedCombinations`, `PolicyType`, `RequirementsSatisfied`, with no `@odata.type`: `model/auth-strengths.ts`).
 */
export function powerShellSdkRenamed(doc: unknown): Record<string, unknown> | undefined {
  const d = asObject(doc);
  if (!d) return undefined;
  const keys = Object.keys(d);
  if (keys.filter((k) => /^[A-Z]/.test(k)).length < 2 || keys.some((k) => /^[a-z]/.test(k))) return undefined;
  return camelCased(d) as Record<string, unknown>;
}

/**
 * Whether a PowerShell SDK object lost its enum values: `ConvertTo-Json` writes the SDK's enum types as empty objects,
 * so a settings catalog policy from `Get-MgBetaDeviceManagementConfigurationPolicy | ConvertTo-Json` has
 * `"Platforms": {}` and `"Technologies": {}` (seen in a live tenant's backup), and its platform is unknown. Such an
 * object cannot become a policy file; Graph's own JSON (`Invoke-MgGraphRequest`) keeps the names.
 */
export function powerShellSdkEnumsLost(doc: unknown): boolean {
  const d = asObject(doc);
  const empty = (v: unknown): boolean => isPlainObject(v) && !Object.keys(v).length;
  return !!d && (empty(d.Platforms) || empty(d.Technologies));
}

/** Why a PowerShell SDK object whose enums were lost cannot be imported, with the way to export it again. */
export function powerShellSdkEnumsAdvice(doc: unknown): string | undefined {
  if (powerShellSdkEnumsLost(doc))
    return "`ConvertTo-Json` wrote the SDK's enum values (`Platforms`, `Technologies`) as empty objects, so its platform is lost" +
      (asObject(doc)?.Settings == null ? ', and its settings were not fetched (`Settings` is null)' : '') +
      ": export it again as Graph's own JSON, with its settings (`Invoke-MgGraphRequest -Uri 'beta/deviceManagement/configurationPolicies/<id>?$expand=settings' -OutputType Json`; single quotes, or PowerShell expands `$expand` to nothing)";
  return undefined;
}

/**
 * Whether a PowerShell SDK object was written at `ConvertTo-Json`'s default depth (2): the objects deeper down are
 * their type names (`Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers`), their settings lost.
 */
export function powerShellSdkTruncated(doc: unknown, depth = 0): boolean {
  if (typeof doc === 'string') return /^(Microsoft\.Graph\.PowerShell\.Models\.|System\.Collections\.)/.test(doc);
  if (depth > 20) return false;
  if (Array.isArray(doc)) return doc.some((x) => powerShellSdkTruncated(x, depth + 1));
  const o = asObject(doc);
  return !!o && Object.values(o).some((x) => powerShellSdkTruncated(x, depth + 1));
}

/**
 * Whether a PascalCase Conditional Access policy was written by the retired AzureAD PowerShell module
 * (`Get-AzureADMSConditionalAccessPolicy | ConvertTo-Json`), not by the Graph SDK: its enums are numbers (client app
 * types `[3, 5]`, grant controls `[0]`) and the grant operator is `_Operator`. Graph takes names, and the numbers'
 * meaning is the module's own, so such a file is not converted: it is exported again through Graph.
 */
export function fromAzureAdModule(doc: unknown): boolean {
  const d = asObject(doc);
  if (!d || !('Conditions' in d || 'GrantControls' in d)) return false;
  const grant = asObject(d.GrantControls);
  const conditions = asObject(d.Conditions);
  const numbers = (v: unknown): boolean => Array.isArray(v) && v.some((x) => typeof x === 'number');
  const platforms = asObject(conditions?.Platforms);
  return (
    (grant !== undefined && '_Operator' in grant) ||
    numbers(grant?.BuiltInControls) ||
    numbers(conditions?.ClientAppTypes) ||
    numbers(conditions?.SignInRiskLevels) ||
    numbers(platforms?.IncludePlatforms) ||
    numbers(platforms?.ExcludePlatforms)
  );
}

/**
 * How the Microsoft Graph PowerShell SDK's shape is named (`fromPowerShellSdk`): `unknown-kind` says it on the file,
 * and the model's reason for leaving the file out (`NotAnalysed`) says it in What If, the lockout check and the report.
 */
export const POWERSHELL_SDK_SHAPE = 'as the Microsoft Graph PowerShell SDK writes it (PascalCase properties, `ConvertTo-Json` of a `Get-Mg…` object)';
/** What turns such a file, or a list or a wrapper, into policy files. */
export const IMPORT_ADVICE = '`ztp import <folder> --out <tenant folder>`';

/** What to do with a policy the AzureAD module wrote (`fromAzureAdModule`), for import's skip list and the check. */
export const AZUREAD_MODULE_ADVICE =
  'written by the retired AzureAD PowerShell module (`Get-AzureADMSConditionalAccessPolicy`): its enums (client app types, platforms, grant controls) are numbers, or its grant operator is `_Operator`, which Graph does not take. ' +
  'Export it again through Microsoft Graph (`Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json -Depth 10`, Graph Explorer, or IntuneManagement)';

/**
 * Graph's names for an SDK object's properties. The SDK writes every property of its model, unset ones as `null`
 * (an `ApplicationFilter` of two nulls on every policy): those are left out, as the SDK leaves them out of the
 * request it sends, and so is an object left with nothing set.
 */
function camelCased(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelCased);
  const o = asObject(v);
  if (!o) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    // The SDK keeps the properties its model lacks as Graph names them.
    if (k === 'AdditionalProperties' && isPlainObject(x)) Object.assign(out, x);
    else if (x !== null) {
      const y = camelCased(x);
      if (!(isPlainObject(y) && isPlainObject(x) && !Object.keys(y).length)) out[k.charAt(0).toLowerCase() + k.slice(1)] = y;
    }
  }
  return out;
}

/**
 * Whether an untagged settings catalog body is a compliance policy (`deviceManagementCompliancePolicy`, Linux
 * compliance) rather than a configuration profile: it carries the compliance-only `scheduledActionsForRule`, or its
 * `@odata.context` names the `compliancePolicies` collection. Graph exports both without `@odata.type`.
 */
export function isSettingsCatalogCompliance(d: Record<string, unknown>): boolean {
  if ('scheduledActionsForRule' in d) return true;
  const ctx = d['@odata.context'];
  if (typeof ctx === 'string') return /[#/]deviceManagement\/compliancePolicies\b/.test(ctx);
  // Without either (a template or a trimmed export), Linux compliance is told by its settings: every one is a Linux
  // compliance setting (encryption, password policy, allowed distributions; jorgeasaurus/IntuneHydrationKit @ dea7a5b,
  // Templates/Compliance/Linux-Compliance-*.json; custom compliance, PacktPublishing/Microsoft-Intune-Cookbook @
  // 4b1f932). Linux configuration profiles use other settings (`linux_mdatp_…`).
  if (!Array.isArray(d.settings)) return false;
  const ids = d.settings.map((s) => asObject(asObject(s)?.settingInstance)?.settingDefinitionId);
  return ids.length > 0 && ids.every((id) => typeof id === 'string' && LINUX_COMPLIANCE_SETTING.test(id));
}

const LINUX_COMPLIANCE_SETTING = /^linux_(deviceencryption|passwordpolicy|distribution|customcompliance)_/;

/** The property that names a Graph resource: `name` for the settings catalog, else `displayName`. */
export function displayNameKey(doc: Record<string, unknown>): 'displayName' | 'name' | undefined {
  if (typeof doc.displayName === 'string' && doc.displayName.trim()) return 'displayName';
  if (typeof doc.name === 'string' && doc.name.trim()) return 'name';
  return undefined;
}

/**
 * A policy name from free text: lowercase letters, digits and single `-` (`Win - OIB - Compliance - v3.1` →
 * `win-oib-compliance-v3-1`). Accents are dropped; words are not split inside (`AnyPlatform` → `anyplatform`). A
 * name over 100 characters is cut and ends in a short hash of the whole: two long names that differ only at the end
 * (`… v1.1`, `… v1.2`) stay two names.
 */
export function slugName(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.length > 100 ? `${s.slice(0, 91).replace(/-+$/, '')}-${shortHash(s)}` : s;
}

/** The name a raw export is known by: the slug of its display name, else of its file name. */
export function rawPolicyName(doc: Record<string, unknown>, fileName: string): string {
  const key = displayNameKey(doc);
  const fromDoc = key ? slugName(String(doc[key])) : '';
  return fromDoc || slugName(fileName.replace(/\.[^.]*$/, '')) || 'policy';
}

// ---------------------------------------------------------------------------------------------------------------
// Assignments in Graph's shape: [{ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId } }]

export interface GraphTarget {
  /** Index in the `assignments` list. */
  index: number;
  /** `group` (include), `exclusion`, `allUsers`, `allDevices`, or `other` (a type our `assignments` cannot say). */
  type: 'group' | 'exclusion' | 'allUsers' | 'allDevices' | 'other';
  groupId?: string;
  /**
   * The group's display name, when the target names it without an id: IntuneCD removes `groupId` from every target
   * and keeps `groupName` (almenscorner/IntuneCD, BaseGraphModule `remove_keys`). A group it names, not nobody.
   */
  groupName?: string;
  /** The target's `@odata.type` as written. */
  odataType: string;
  /** Whether the target carries an assignment filter (which our `assignments` block cannot hold). */
  filtered: boolean;
  /** The filter's id (lower case) and mode (`include`, `exclude`; `none` when not said), when the target names one. */
  filter?: { id: string; mode: string };
}

/** Read Graph-shaped assignments (a list of `{ target }`); anything else reads as no assignments. */
export function readGraphAssignments(list: unknown): GraphTarget[] {
  if (!Array.isArray(list)) return [];
  const out: GraphTarget[] = [];
  list.forEach((a, index) => {
    const target = asObject(asObject(a)?.target);
    if (!target) return;
    const odataType = typeof target['@odata.type'] === 'string' ? (target['@odata.type'] as string) : '';
    const name = graphTypeName(odataType);
    const filterType = target.deviceAndAppManagementAssignmentFilterType;
    const filterId = target.deviceAndAppManagementAssignmentFilterId;
    const namesFilter = typeof filterId === 'string' && filterId !== '' && filterId !== '00000000-0000-0000-0000-000000000000';
    const filtered = namesFilter || (typeof filterType === 'string' && filterType !== 'none');
    const filter = namesFilter ? { id: filterId.toLowerCase(), mode: typeof filterType === 'string' ? filterType.toLowerCase() : 'none' } : undefined;
    const groupId = typeof target.groupId === 'string' && target.groupId ? target.groupId : undefined;
    const groupName = !groupId && typeof target.groupName === 'string' && target.groupName.trim() ? target.groupName : undefined;
    let type: GraphTarget['type'] = 'other';
    if (name === 'groupAssignmentTarget' && (groupId || groupName)) type = 'group';
    else if (name === 'exclusionGroupAssignmentTarget' && (groupId || groupName)) type = 'exclusion';
    else if (name === 'allLicensedUsersAssignmentTarget') type = 'allUsers';
    else if (name === 'allDevicesAssignmentTarget') type = 'allDevices';
    out.push({ index, type, ...(groupId ? { groupId } : {}), ...(groupName ? { groupName } : {}), odataType, filtered, ...(filter ? { filter } : {}) });
  });
  return out;
}

/** One Graph assignment target for an entry of our `assignments` block (group ids already resolved). */
export function graphTarget(entry: { mode: 'include' | 'exclude'; groupId?: string; builtin?: 'allUsers' | 'allDevices' }): Record<string, unknown> {
  if (entry.builtin === 'allUsers') return { '@odata.type': TARGET_TYPES.allUsers };
  if (entry.builtin === 'allDevices') return { '@odata.type': TARGET_TYPES.allDevices };
  return { '@odata.type': entry.mode === 'exclude' ? TARGET_TYPES.exclusion : TARGET_TYPES.group, groupId: entry.groupId };
}

// ---------------------------------------------------------------------------------------------------------------
// Read-only properties

/** Read-only at any depth: timestamps Graph sets. */
const READ_ONLY_ANYWHERE = new Set(['createdDateTime', 'lastModifiedDateTime', 'modifiedDateTime', 'deletedDateTime']);

/**
 * Read-only at the root of a resource: its id and version, counters and flags Graph computes, and the status
 * navigations a `$expand` brings along (facts §2 and §5; the beta resource docs mark them read-only).
 */
const READ_ONLY_ROOT = new Set([
  'id',
  'version',
  'settingCount',
  'isAssigned',
  'creationSource',
  'priorityMetaData',
  'deployedAppCount',
  'supportsScopeTags',
  'lastHeartbeatDateTime',
  'disableEntraGroupPolicyAssignment',
  // status and report navigations
  'deviceStatuses',
  'userStatuses',
  'deviceStatusOverview',
  'userStatusOverview',
  'deviceSettingStateSummaries',
  'deploymentSummary',
  'assignedDevices',
]);

/** Lists of child entities whose items carry a read-only `id` (and, for apps, `version`). */
const ENTITY_LISTS = new Set(['scheduledActionsForRule', 'scheduledActionConfigurations', 'settings', 'apps', 'assignments']);

/** Navigation properties the settings catalog's settings expand (read-only; the definitions live in Intune). */
const READ_ONLY_IN_ENTITY_LIST = new Set(['id', 'version', 'settingDefinitions', 'source', 'sourceId']);

/** Whether Graph sets a property itself (`ztp export` drops it): a timestamp anywhere, an id or counter at the root. */
export function isReadOnlyProperty(key: string, atRoot: boolean): boolean {
  return READ_ONLY_ANYWHERE.has(key) || (atRoot && READ_ONLY_ROOT.has(key));
}

/** Whether a key is an OData annotation or an action advertisement, never data (`@odata.type` is kept). */
export function isAnnotationKey(key: string): boolean {
  if (key === '@odata.type') return false;
  return key.startsWith('@odata.') || key.startsWith('#') || /^[^@]+@odata\.[A-Za-z]+$/.test(key);
}

/**
 * The properties the Intune PowerShell SDK (Microsoft.Graph.Intune) adds to every object it returns, which are not
 * Graph's: `<baseType>ODataType` (`"microsoft.graph.windows10CompliancePolicy"`), `<baseType>Id` (the object's id
 * again) and `<type>ReferenceUrl` (the object's Graph URL). Backups made with it keep them; Graph refuses them in a
 * request body. Recognised by their values, so a real property of a similar name is never taken for one.
 */
export function powerShellSdkKeys(o: unknown): Set<string> {
  const out = new Set<string>();
  if (!isPlainObject(o)) return out;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string') continue;
    if (k.endsWith('ODataType') && k.length > 9 && /^#?microsoft\.graph\.[A-Za-z0-9]+$/.test(v)) {
      out.add(k);
      const id = o[`${k.slice(0, -9)}Id`];
      if (typeof id === 'string' && (o.id === undefined || o.id === id)) out.add(`${k.slice(0, -9)}Id`);
    } else if (k.endsWith('ReferenceUrl') && k.length > 12 && /^https:\/\/graph\.microsoft\.com\//i.test(v)) {
      out.add(k);
    }
  }
  return out;
}

export interface StripOptions {
  /** Keep the root `id` (the Defender connector's id names the partner). */
  keepRootId?: boolean;
}

/**
 * The resource without what Graph would refuse or ignore in a request body: OData annotations (`@odata.context`,
 * `@odata.id`, `x@odata.type` siblings…, but not `@odata.type`), action advertisements (`#microsoft.graph.assign`),
 * ids, versions, timestamps, counters and status navigations. An expanded `authenticationStrength` becomes the
 * `{ id }` reference that Graph's create takes. Everything else is kept as it is, `null` included.
 */
export function stripReadOnly(doc: Record<string, unknown>, options: StripOptions = {}): Record<string, unknown> {
  return stripObject(doc, { root: true, inEntityList: false, keepRootId: !!options.keepRootId }) as Record<string, unknown>;
}

interface StripContext {
  root: boolean;
  inEntityList: boolean;
  keepRootId: boolean;
}

function stripValue(v: unknown, ctx: StripContext): unknown {
  if (Array.isArray(v)) return v.map((x) => stripValue(x, ctx));
  if (isPlainObject(v)) return stripObject(v, ctx);
  return v;
}

function stripObject(o: Record<string, unknown>, ctx: StripContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sdk = ctx.root ? powerShellSdkKeys(o) : undefined;
  for (const [k, v] of Object.entries(o)) {
    if (isAnnotationKey(k)) continue;
    if (sdk?.has(k)) continue;
    if (READ_ONLY_ANYWHERE.has(k)) continue;
    if (ctx.root && READ_ONLY_ROOT.has(k) && !(k === 'id' && ctx.keepRootId)) continue;
    if (ctx.inEntityList && READ_ONLY_IN_ENTITY_LIST.has(k)) continue;
    if (k === 'authenticationStrength' && isPlainObject(v)) {
      out[k] = typeof v.id === 'string' ? { id: v.id } : stripObject(v, { root: false, inEntityList: false, keepRootId: false });
      continue;
    }
    if (ENTITY_LISTS.has(k) && Array.isArray(v)) {
      out[k] = v.map((x) => (isPlainObject(x) ? stripObject(x, { root: false, inEntityList: true, keepRootId: false }) : stripValue(x, { root: false, inEntityList: false, keepRootId: false })));
      continue;
    }
    out[k] = stripValue(v, { root: false, inEntityList: false, keepRootId: false });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoints

export interface GraphEndpoint {
  /** `POST https://graph.microsoft.com/beta/deviceManagement/deviceCompliancePolicies` */
  create: string;
  apiVersion: 'v1.0' | 'beta';
  /** The collection URL (for `…/{id}/assign`). */
  collection: string;
  /** How assignments are written, when the kind has them. */
  assign?: { endpoint: string; bodyKey: string; note?: string };
}

export const GRAPH_ROOT = 'https://graph.microsoft.com';

const APP_PROTECTION_COLLECTIONS: Record<string, string> = {
  iosManagedAppProtection: '/deviceAppManagement/iosManagedAppProtections',
  androidManagedAppProtection: '/deviceAppManagement/androidManagedAppProtections',
  windowsManagedAppProtection: '/deviceAppManagement/windowsManagedAppProtections',
};

/**
 * Where a body of this kind is created, and how its assignments are written (facts §2.4: `POST …/{id}/assign` with
 * `{ assignments }`; enrollment configurations name the list `enrollmentConfigurationAssignments`; Autopilot profiles
 * take one `POST …/{id}/assignments` per target). Undefined for Endpoint DLP, which has no Graph CRUD.
 */
export function graphEndpoint(kind: PolicyKind, spec: Record<string, unknown>, apiVersion: 'v1.0' | 'beta' = KINDS[kind].graphVersion): GraphEndpoint | undefined {
  const base = `${GRAPH_ROOT}/${apiVersion}`;
  let path: string;
  switch (kind) {
    case 'AppProtectionPolicy':
      path = APP_PROTECTION_COLLECTIONS[graphTypeName(spec['@odata.type']) ?? ''] ?? APP_PROTECTION_COLLECTIONS.iosManagedAppProtection!;
      break;
    case 'EndpointDlpPolicy':
      return undefined;
    case 'CompliancePolicy':
      // Settings-catalog-based compliance (Linux) has its own collection (beta doc
      // intune-deviceconfigv2-devicemanagementcompliancepolicy-create); it is untagged, with `platforms` and `settings`.
      path = isSettingsCatalogComplianceSpec(spec) ? '/deviceManagement/compliancePolicies' : KINDS[kind].endpoint;
      break;
    default:
      path = KINDS[kind].endpoint;
  }
  const collection = `${base}${path}`;
  if (kind === 'DefenderConnector') {
    // Without an id, whose connector it is is the tenant model's answer (`DefenderModel.partnerOf`), which the export
    // reads: it gives Defender's connector its id; another partner's, or one that may be either, keeps `{id}`.
    const id = typeof spec.id === 'string' && spec.id.trim() ? spec.id.trim() : '{id}';
    return { create: `PATCH ${collection}/${id}`, apiVersion, collection };
  }
  const out: GraphEndpoint = { create: `POST ${collection}`, apiVersion, collection };
  if (KINDS[kind].assignable) {
    if (kind === 'EnrollmentRestriction') out.assign = { endpoint: `POST ${collection}/{id}/assign`, bodyKey: 'enrollmentConfigurationAssignments' };
    else if (kind === 'AutopilotProfile')
      out.assign = { endpoint: `POST ${collection}/{id}/assignments`, bodyKey: 'assignments', note: 'Autopilot profiles take one POST per assignment: send each item of body.assignments on its own' };
    else out.assign = { endpoint: `POST ${collection}/{id}/assign`, bodyKey: 'assignments' };
  }
  return out;
}

/** Whether a CompliancePolicy's spec is a `deviceManagementCompliancePolicy` (tagged, or untagged with its shape). */
export function isSettingsCatalogComplianceSpec(spec: Record<string, unknown> | undefined): boolean {
  if (!spec) return false;
  const t = spec['@odata.type'];
  if (t !== undefined) return graphTypeName(t) === 'deviceManagementCompliancePolicy';
  return 'platforms' in spec || 'settings' in spec;
}

/**
 * The conventional folder of a kind in a tenant (EDR onboarding profiles sit with the Defender connector, enrollment
 * policies of the settings catalog with the enrollment restrictions: each profile with its layer).
 */
export function conventionalFolder(kind: PolicyKind, spec: Record<string, unknown> | undefined): string {
  if (kind === 'ConfigurationProfile') {
    const layer = configurationProfileLayer(spec?.templateReference, spec?.settings);
    if (layer === 6) return 'defender';
    if (layer === 2) return 'enrollment';
  }
  const folders: Record<PolicyKind, string> = {
    AppProtectionPolicy: 'app-protection',
    EnrollmentRestriction: 'enrollment',
    AutopilotProfile: 'enrollment',
    CompliancePolicy: 'compliance',
    ConditionalAccessPolicy: 'conditional-access',
    ConfigurationProfile: 'configuration',
    DefenderConnector: 'defender',
    EndpointDlpPolicy: 'dlp',
  };
  return folders[kind];
}

/**
 * The Graph type of a document no kind holds: its `@odata.type`, or, without one, what its shape says:
 * - `deviceManagementIntent` for an endpoint security intent saved by its `settingsDelta` (IntuneBackupAndRestore
 *   writes intents so, and a `createInstance` body is so), or by its `templateId` and `settings` in the intent's own
 *   shape (`isUntaggedIntent`: Nerdio's NMW and NMM-SE policy libraries publish intents so);
 * - `authenticationStrengthPolicy` for an Entra authentication strength saved by its `allowedCombinations`
 *   (`isUntaggedAuthenticationStrength`; Cloud-Harbor-Consulting-LLC/M365-Security-Frameworks publishes them so beside
 *   its CA policies).
 */
export function foreignGraphTypeOf(doc: Record<string, unknown> | undefined): string | undefined {
  if (!doc) return undefined;
  const t = graphTypeName(doc['@odata.type']);
  // An intent written with a type Graph does not have (`#microsoft.graph.intent`): read by its shape, as it would be
  // with no type at all, so a stray type makes it no less read than a missing one (`misnamedIntentType`).
  if (t && misnamedIntentType(doc) !== undefined) return 'deviceManagementIntent';
  if (t) return t;
  if (Array.isArray(doc.settingsDelta) || isUntaggedIntent(doc)) return 'deviceManagementIntent';
  if (isUntaggedAuthenticationStrength(doc)) return 'authenticationStrengthPolicy';
  return undefined;
}

/**
 * `@odata.type` names Graph does not have that exporters write for an endpoint security intent, whose resource is
 * `deviceManagementIntent` (https://learn.microsoft.com/graph/api/resources/intune-deviceintent-devicemanagementintent?view=graph-rest-beta):
 * `#microsoft.graph.intent` (the ASD blueprint's baseline exports), `…intents`, `…deviceManagementIntents` (the set).
 */
const NOT_GRAPH_INTENT_TYPES = /^(?!deviceManagementIntent$)(?:deviceManagement)?intents?$/i;

/** Whether a type name is one of those Graph does not have, written for an intent (`NOT_GRAPH_INTENT_TYPES`). */
export function isNotGraphIntentType(name: string): boolean {
  return NOT_GRAPH_INTENT_TYPES.test(name);
}

/**
 * The type name as written, when a document's `@odata.type` is one Graph does not have (`#microsoft.graph.intent`)
 * and its shape is an intent's, as a document with no type is told to be one: a `settingsDelta`, or a `templateId`
 * and intent settings (`isUntaggedIntent`). Undefined otherwise.
 */
export function misnamedIntentType(doc: Record<string, unknown>): string | undefined {
  const t = graphTypeName(doc['@odata.type']);
  if (t === undefined || !isNotGraphIntentType(t)) return undefined;
  const untyped = { ...doc };
  delete untyped['@odata.type'];
  return Array.isArray(doc.settingsDelta) || isUntaggedIntent(untyped) ? t : undefined;
}

/**
 * Whether a document with no `@odata.type` is an intent as Graph returns it with `$expand=settings`
 * (https://learn.microsoft.com/graph/api/resources/intune-deviceintent-devicemanagementintent?view=graph-rest-beta):
 * a `templateId` and a non-empty `settings` list of `deviceManagementSettingInstance`s, each naming its setting by
 * `definitionId` in the intent's style (`<family>--<type>_<property>`, e.g.
 * `deviceConfiguration--windows10EndpointProtectionConfiguration_bitLockerEncryptDevice`). A settings catalog policy's
 * settings hold a `settingInstance` and no `definitionId`, and it names its template in `templateReference`; a template
 * profile or a compliance policy has an `@odata.type` (or is read as its kind first), so none of them is taken for one.
 */
function isUntaggedIntent(doc: Record<string, unknown>): boolean {
  if (typeof doc.templateId !== 'string') return false;
  // Without its settings, which an exporter may keep in files of their own (Simeon Cloud's
  // `DeviceManagement/Intents/<name>.json` beside `Intents/Settings/…`, simeoncloud/Baseline @ a9c205d): the template
  // and Graph's assignment list, and nothing of another resource (a settings catalog policy names its template in
  // `templateReference`; a template profile has an `@odata.type`). What it sets is then unknown, not none.
  if (!('settings' in doc) && Array.isArray(doc.assignments)) return !('templateReference' in doc) && !('@odata.type' in doc) && !('kind' in doc) && !('spec' in doc);
  if (!Array.isArray(doc.settings) || doc.settings.length === 0) return false;
  return doc.settings.every((s) => {
    const o = asObject(s);
    return !!o && !('settingInstance' in o) && typeof o.definitionId === 'string' && INTENT_DEFINITION_ID.test(o.definitionId);
  });
}

/**
 * Whether a document with no `@odata.type` is an Entra authentication strength: a non-empty `allowedCombinations` list
 * of method modes (`"fido2"`, `"password,sms"`), the property only that resource has
 * (https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy; Learn's create body is
 * `displayName`, `description`, `allowedCombinations`, and a read adds `policyType` and `requirementsSatisfied`).
 */
function isUntaggedAuthenticationStrength(doc: Record<string, unknown>): boolean {
  const list = doc.allowedCombinations;
  return Array.isArray(list) && list.length > 0 && list.every((c) => typeof c === 'string');
}

/** An intent setting's definition id: a family and the rest, `--` between (`deviceConfiguration--macOSEndpointProtectionConfiguration_fileVaultEnabled`). */
const INTENT_DEFINITION_ID = /^[A-Za-z][A-Za-z0-9]*--[A-Za-z0-9_]+$/;

/** The properties an intent sets, per template profile type (`deviceConfiguration--<type>_<property>`); undefined without settings. */
export function intentProperties(doc: Record<string, unknown>): Map<string, Record<string, unknown>> | undefined {
  // An export with `$expand=settings` lists them as `settings`; a backup or a create body as `settingsDelta`.
  const settings = Array.isArray(doc.settings) ? doc.settings : Array.isArray(doc.settingsDelta) ? doc.settingsDelta : undefined;
  if (!settings) return undefined;
  const out = new Map<string, Record<string, unknown>>();
  for (const s of settings) {
    const o = asObject(s);
    const m = typeof o?.definitionId === 'string' ? /^deviceConfiguration--([A-Za-z0-9]+)_([A-Za-z0-9]+)$/.exec(o.definitionId) : null;
    if (!o || !m) continue;
    let value: unknown = o.value;
    if (typeof o.valueJson === 'string') {
      try {
        value = JSON.parse(o.valueJson);
      } catch {
        value = undefined;
      }
    }
    const props = out.get(m[1]!) ?? {};
    props[m[2]!] = value;
    out.set(m[1]!, props);
  }
  return out;
}

/** The profile type an EDR intent's settings are of (`deviceConfiguration--<type>_<property>`). */
export const EDR_INTENT_PROFILE_TYPE = 'windowsDefenderAdvancedThreatProtectionConfiguration';

/**
 * An intent's template id, lower case: `templateId` as Graph writes it, or `TemplateId` as Microsoft's
 * powershell-intune-samples export (EndpointSecurityPolicy_Export.ps1) writes it beside `TemplateDisplayName`. A body
 * with neither, saved by its `settingsDelta`, is IntuneBackupAndRestore's backup: it keeps the template id in the file's
 * name alone (`<templateId>_<template name>_<intent name>_<intent id>.json`, and its restore reads it back from there:
 * jseerden/IntuneBackupAndRestore, Invoke-IntuneBackupDeviceManagementIntent.ps1 and
 * Invoke-IntuneRestoreDeviceManagementIntent.ps1), so `path`, the file's path, gives it then.
 */
export function intentTemplateId(doc: Record<string, unknown>, path?: string): string | undefined {
  const id = typeof doc.templateId === 'string' ? doc.templateId : doc.TemplateId;
  if (typeof id === 'string') return id.toLowerCase();
  if (id !== undefined || path === undefined || !Array.isArray(doc.settingsDelta)) return undefined;
  const named = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_/i.exec(path.replace(/^.*[\\/]/, ''));
  return named ? named[1]!.toLowerCase() : undefined;
}

/**
 * Whether an endpoint security intent is the older Windows EDR profile (Defender for Endpoint onboarding, layer 6, as
 * the EDR template profile and the EDR settings catalog profile are): by its template, or, with no template id, by
 * settings that are all of the Defender for Endpoint profile type. `path`: the file's, for a backup that names its
 * template there (`intentTemplateId`).
 */
export function isEdrIntent(doc: Record<string, unknown>, path?: string): boolean {
  if (foreignGraphTypeOf(doc) !== 'deviceManagementIntent') return false;
  const template = intentTemplateId(doc, path);
  if (template) return template === EDR_INTENT_TEMPLATE;
  const types = [...(intentProperties(doc)?.keys() ?? [])];
  return types.length > 0 && types.every((t) => t === EDR_INTENT_PROFILE_TYPE);
}

/** Whether a raw Graph document of a type no kind holds is assigned: its `assignments` list, or an intent's `isAssigned`. */
export function foreignAssignment(doc: Record<string, unknown>): 'assigned' | 'nobody' | 'undeclared' {
  if (doc.isAssigned === true) return 'assigned';
  const list = doc.assignments;
  if (!Array.isArray(list)) return doc.isAssigned === false ? 'nobody' : 'undeclared';
  if (list.length !== readGraphAssignments(list).length) return 'assigned';
  return readGraphAssignments(list).some((t) => t.type !== 'exclusion') ? 'assigned' : 'nobody';
}

/** What marks a macOS custom configuration profile as the Defender for Endpoint onboarding package (its payload domain). */
const MAC_ONBOARDING_PAYLOAD = 'com.microsoft.wdav.atp';

function decodedPayload(v: unknown): string {
  if (typeof v !== 'string' || !v) return '';
  try {
    return atob(v.replace(/\s+/g, ''));
  } catch {
    return '';
  }
}

/** One OMA-URI setting of a custom profile: its CSP path and value, and whether Graph returned the value encrypted. */
export interface OmaSetting {
  omaUri: string;
  value: unknown;
  encrypted: boolean;
}

/**
 * The OMA-URI settings of a Windows custom profile (`windows10CustomConfiguration`), or undefined when the export leaves
 * them out. A string value comes back encrypted (`isEncrypted: true`, `secretReferenceValueId`) until
 * `getOmaSettingPlainTextValue` is asked; its path is always plain. The configuration checks (BitLocker, LAPS, ASR) and
 * the Defender onboarding checks read custom profiles through this one reader.
 */
export function omaSettingsOf(doc: Record<string, unknown>): OmaSetting[] | undefined {
  if (!Array.isArray(doc.omaSettings)) return undefined;
  return doc.omaSettings.flatMap((o) => {
    const x = asObject(o);
    return x && typeof x.omaUri === 'string' ? [{ omaUri: x.omaUri, value: x.value, encrypted: x.isEncrypted === true || (typeof x.secretReferenceValueId === 'string' && x.secretReferenceValueId !== '') }] : [];
  });
}

/** The OMA-URI setting whose path ends with `end` (paths compare case-insensitively), if the profile sets it. */
export function omaSettingAt(settings: OmaSetting[], end: string): OmaSetting | undefined {
  const e = end.toLowerCase();
  return settings.find((o) => o.omaUri.toLowerCase().endsWith(e));
}

/**
 * The WindowsAdvancedThreatProtection CSP's nodes: `Onboarding` takes the onboarding blob and onboards the device,
 * `Offboarding` takes the offboarding blob and offboards it. The EDR profile and the older template profile write the
 * same nodes. Learn: https://learn.microsoft.com/windows/client-management/mdm/windowsadvancedthreatprotection-csp
 */
const WINDOWS_ONBOARDING_OMA = '/WindowsAdvancedThreatProtection/Onboarding';
const WINDOWS_OFFBOARDING_OMA = '/WindowsAdvancedThreatProtection/Offboarding';

/**
 * Whether a Windows custom profile onboards its devices to Defender for Endpoint through the CSP: yes when it sets the
 * `Onboarding` node (decided from the path, which Graph never encrypts: an encrypted value is the blob, hidden; a
 * plain one must not be empty) and not the `Offboarding` node; no when it sets neither; unknown (undefined) when the
 * export leaves its OMA settings out.
 */
export function windowsOmaOnboards(doc: Record<string, unknown>): boolean | undefined {
  const settings = omaSettingsOf(doc);
  if (!settings) return undefined;
  if (omaSettingAt(settings, WINDOWS_OFFBOARDING_OMA)) return false;
  const s = omaSettingAt(settings, WINDOWS_ONBOARDING_OMA);
  if (!s) return false;
  return s.encrypted || (typeof s.value === 'string' && s.value.trim() !== '');
}

/**
 * Whether a raw Graph export of a type no kind holds is how devices are onboarded to Defender for Endpoint: the
 * Windows template profile (`windowsDefenderAdvancedThreatProtectionConfiguration`) or EDR intent (`isEdrIntent`), a Windows custom profile that
 * sets the CSP's `Onboarding` node (`windowsOmaOnboards`), or a macOS custom configuration profile whose payload is the
 * onboarding package (`com.microsoft.wdav.atp`). The Defender model reads these.
 */
export function isOnboardingEvidence(type: string, doc: Record<string, unknown>): boolean {
  if (type === 'windowsDefenderAdvancedThreatProtectionConfiguration') return true;
  if (type === 'deviceManagementIntent') return isEdrIntent(doc);
  if (type === 'windows10CustomConfiguration') return windowsOmaOnboards(doc) === true;
  return type === 'macOSCustomConfiguration' && decodedPayload(doc.payload).includes(MAC_ONBOARDING_PAYLOAD);
}

/**
 * The platform whose devices a Defender for Endpoint onboarding export onboards (`isOnboardingEvidence`): macOS for a
 * macOS custom profile carrying the onboarding payload, Windows for the others; undefined for any other export.
 */
export function onboardingPlatformOf(type: string, doc: Record<string, unknown>): Platform | undefined {
  if (!isOnboardingEvidence(type, doc)) return undefined;
  return type === 'macOSCustomConfiguration' ? 'macOS' : 'windows';
}

/**
 * Whether a file whose outermost `@odata.type` is this type (no kind holds it) may be one the configuration or Defender
 * onboarding checks read (`configurationEvidenceType`, told by the type alone, as a file that does not parse must be):
 * a template, custom or intent profile, or the older onboarding template. `model/sniff.ts` reads such an unreadable
 * file as one that may hold a configuration profile, as a Graph list of them is read (`collectionEvidence`).
 */
export function mayBeConfigurationEvidence(type: string): boolean {
  return CONFIGURATION_EVIDENCE_TYPES.includes(type) || type === EDR_INTENT_PROFILE_TYPE;
}

/**
 * The Graph resources no kind holds whose settings the configuration checks still read, as exported: endpoint
 * security intents and the template profiles that turn BitLocker, attack surface reduction rules, FileVault or the
 * macOS firewall on (the `legacy` readers of bitlocker-not-configured, asr-rules-not-configured,
 * filevault-not-configured, filevault-recovery-key-not-escrowed, macos-firewall-not-configured; windows-security-baseline-missing reads intents). A tenant
 * folder keeps them raw; `ztp import` copies them as they are.
 */
export const CONFIGURATION_EVIDENCE_TYPES: readonly string[] = [
  'deviceManagementIntent',
  'windows10EndpointProtectionConfiguration',
  'windows10GeneralConfiguration',
  'macOSEndpointProtectionConfiguration',
  // A custom profile's OMA-URI settings may set the BitLocker, LAPS or ASR CSP by hand.
  'windows10CustomConfiguration',
  // A macOS custom profile's `.mobileconfig` may carry the FileVault, firewall or recovery key escrow payload
  // (model/apple-payloads.ts reads it). https://learn.microsoft.com/intune/intune-service/configuration/custom-settings-macos
  'macOSCustomConfiguration',
];

/**
 * An enrollment configuration other than the restrictions (Windows Restore, Windows Hello for Business, the enrollment
 * status page, co-management): deviceEnrollmentConfigurations, not deviceConfigurations, and not the
 * `EnrollmentRestriction` kind, which holds the platform restrictions and device limits (docs/format.md).
 */
export function isOtherEnrollmentConfiguration(name: string): boolean {
  if (KINDS.EnrollmentRestriction.graphTypes.includes(name)) return false;
  return /EnrollmentConfiguration$|^deviceEnrollment[A-Za-z]*Configuration$|EnrollmentCompletionPageConfiguration$|^deviceComanagementAuthorityConfiguration$/.test(name);
}

/** The Identity protection template profile (Windows Hello for Business), which no check reads. */
export const WINDOWS_HELLO_TEMPLATE = 'windowsIdentityProtectionConfiguration';

/**
 * Graph types named like a device configuration profile (`…Configuration`) that are not one (deviceConfigurations), and
 * Entra's neighbours of them: named for what they are before `describeForeignGraphType`'s catch-all reads every other
 * `…Configuration` as a template profile. Each row cites the Graph resource that decides it.
 */
const NOT_DEVICE_CONFIGURATIONS: readonly { test: RegExp; what: string }[] = [
  // fido2…, microsoftAuthenticator…, temporaryAccessPass…, x509Certificate…, email…, sms…, voice…, softwareOath…:
  // https://learn.microsoft.com/graph/api/resources/authenticationmethodconfiguration
  {
    test: /AuthenticationMethodConfiguration$/,
    what: 'an Entra authentication methods policy configuration (`/policies/authenticationMethodsPolicy/authenticationMethodConfigurations`: whether users may use one sign-in method, and which), which no policy kind holds',
  },
  // https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy
  { test: /^authenticationMethodsPolicy$/, what: 'the Entra authentication methods policy (`/policies/authenticationMethodsPolicy`), which no policy kind holds' },
  // fido2CombinationConfiguration, x509CertificateCombinationConfiguration:
  // https://learn.microsoft.com/graph/api/resources/authenticationcombinationconfiguration
  {
    test: /CombinationConfiguration$/,
    what: "an authentication strength's combination configuration (`/identity/conditionalAccess/authenticationStrength/policies/{id}/combinationConfigurations`: which FIDO2 keys or certificates a strength allows), which no policy kind holds; a CA policy names its strength in `grantControls.authenticationStrength`",
  },
  // https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyconfigurationdefault
  {
    test: /^crossTenantAccessPolicyConfiguration(Default|Partner)$/,
    what: "an Entra cross-tenant access setting (the default or a partner's, under `/policies/crossTenantAccessPolicy`), which no policy kind holds; it says whether another tenant's compliant or hybrid joined devices count here",
  },
  // https://learn.microsoft.com/graph/api/resources/certificatebasedauthconfiguration
  { test: /^certificateBasedAuthConfiguration$/, what: "an Entra certificate-based authentication configuration (the organization's certificate authorities), which no policy kind holds" },
  // https://learn.microsoft.com/graph/api/resources/intune-mstunnel-microsofttunnelconfiguration
  { test: /^microsoftTunnelConfiguration$/, what: 'a Microsoft Tunnel Gateway server configuration (`/deviceManagement/microsoftTunnelConfigurations`), not a device configuration profile; no policy kind holds one' },
  // https://learn.microsoft.com/graph/api/resources/teamworkdeviceconfiguration
  { test: /^teamwork[A-Za-z]*Configuration$/, what: 'a Microsoft Teams device configuration (`/teamwork/devices`: Teams Rooms, phones, displays), not an Intune profile; no policy kind holds one' },
];

/** Why a Windows Information Protection policy is no app protection, said after what it is. */
const WIP_IS_NOT_APP_PROTECTION =
  'Microsoft deprecated WIP in July 2022 (Windows keeps supporting it where it runs today; new versions of Windows will not), and it is not Windows app protection: ' +
  'the Require app protection policy grant (`compliantApplication`) on Windows needs a Windows app protection policy (`windowsManagedAppProtection`, an `AppProtectionPolicy` here), which WIP does not meet. ' +
  'For data protection on Windows, Microsoft points to Purview Information Protection and Data Loss Prevention (Endpoint DLP, layer 7)';

/**
 * What a Windows Information Protection policy is, by its Graph type: with enrollment (MDM) or without (WIP-WE). The
 * one text `unknown-kind` and `ztp import`'s skip note read (`describeForeignGraphType`).
 */
const WINDOWS_INFORMATION_PROTECTION: Readonly<Record<string, string>> = {
  windowsInformationProtectionPolicy: `a Windows Information Protection (WIP) policy without enrollment (WIP-WE, \`/deviceAppManagement/windowsInformationProtectionPolicies\`), which no policy kind holds; Intune no longer creates WIP policies for unenrolled devices. ${WIP_IS_NOT_APP_PROTECTION}`,
  mdmWindowsInformationProtectionPolicy: `a Windows Information Protection (WIP) policy for enrolled devices (\`/deviceAppManagement/mdmWindowsInformationProtectionPolicies\`), which no policy kind holds. ${WIP_IS_NOT_APP_PROTECTION}`,
};

/** Graph types that are exports, but not of a policy kind, and what they are (for `ztp import`'s skip list). */
export function describeForeignGraphType(name: string): string {
  const known = NOT_DEVICE_CONFIGURATIONS.find((t) => t.test.test(name));
  if (known) return known.what;
  if (/NamedLocation$/.test(name)) return 'a Conditional Access named location (no policy kind holds one; the CA policies keep its id)';
  // https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy
  if (name === 'authenticationStrengthPolicy') {
    return 'an Entra authentication strength (no policy kind holds one; the CA policies keep its id in `grantControls.authenticationStrength`, so it must exist in the tenant you export to: create it there, Entra admin center > Protection > Authentication methods > Authentication strengths, or require a built-in strength)';
  }
  // Windows Information Protection, with enrollment (`mdmWindowsInformationProtectionPolicy`) or without
  // (`windowsInformationProtectionPolicy`, WIP-WE): deprecated since July 2022
  // (https://learn.microsoft.com/windows/win32/devnotes/windows-information-protection-api), and "You can no longer
  // create WIP policies for unenrolled devices" (https://learn.microsoft.com/intune/intune-service/apps/app-protection-policies-configure-windows-10).
  // Not Windows app protection (`windowsManagedAppProtection`), which the `compliantApplication` grant reads on Windows.
  const wip = WINDOWS_INFORMATION_PROTECTION[name];
  if (wip) return wip;
  if (/UpdateForBusinessConfiguration$/.test(name)) return 'a Windows Update ring (not one of the Zero Trust kinds)';
  if (/DriverUpdateProfile$/.test(name)) return 'a Windows driver update profile (not one of the Zero Trust kinds)';
  if (/FeatureUpdateProfile$|QualityUpdateProfile$/.test(name)) return 'a Windows update profile (not one of the Zero Trust kinds)';
  if (isOtherEnrollmentConfiguration(name)) {
    return 'an enrollment configuration of a type the EnrollmentRestriction kind does not hold (deviceEnrollmentConfigurations: Windows Restore, Windows Hello for Business, the enrollment status page, co-management)';
  }
  // App configuration policies (managed devices and managed apps): mobileAppConfigurations and
  // targetedManagedAppConfigurations, not deviceConfigurations.
  if (/AppConfiguration$|^targetedManagedAppConfiguration$|^managedDeviceMobileAppConfiguration$/.test(name)) {
    return 'an app configuration policy (mobileAppConfigurations or targetedManagedAppConfigurations; not one of the Zero Trust kinds)';
  }
  // Learn, "Identity protection profile settings" (https://learn.microsoft.com/mem/intune/protect/identity-protection-windows-settings):
  // since July 2024 Intune creates no new Identity protection profiles; existing ones still apply and can be edited.
  if (name === WINDOWS_HELLO_TEMPLATE) {
    return "a Windows Hello for Business profile made from the Identity protection template (deviceConfigurations), which Intune deprecated in July 2024 for endpoint security's Account protection profile (a settings catalog policy)";
  }
  if (/Configuration$/.test(name)) return 'a template-based device configuration profile (deviceConfigurations; only settings catalog profiles are a kind)';
  if (name === 'deviceManagementIntent') return 'an endpoint security profile made from a template (an intent; only settings catalog profiles are a kind)';
  // Not in Graph's metadata: an intent's resource is `deviceManagementIntent` (a document of its shape is read as one).
  if (isNotGraphIntentType(name)) return `not a type Graph knows (an endpoint security intent is \`${GRAPH_PREFIX}deviceManagementIntent\`), so no policy kind holds it`;
  if (name === 'group') return 'an Entra group';
  if (name === 'user') return 'an Entra user, not a policy or a group (zerotrust.yaml names users by user principal name: `breakGlass.users`, group `members`)';
  return 'a Graph resource that no policy kind holds';
}

/**
 * How a message names the Graph type of a document: its `@odata.type` as written, or, for a document that has none
 * and is told by its shape (`foreignGraphTypeOf`), the type and what told it.
 */
export function foreignTypeLabel(doc: Record<string, unknown>, type: string): string {
  const written = graphTypeName(doc['@odata.type']);
  const misnamed = type === 'deviceManagementIntent' ? misnamedIntentType(doc) : undefined;
  if (written && misnamed === undefined) return `\`${GRAPH_PREFIX}${type}\``;
  const by = type === 'authenticationStrengthPolicy' ? '`allowedCombinations`' : Array.isArray(doc.settingsDelta) ? '`settingsDelta`' : Array.isArray(doc.settings) ? '`templateId` and `settings` by `definitionId`' : "`templateId` and Graph's `assignments` list";
  // An intent without its settings (`isUntaggedIntent`): what it turns on is in other files, so unknown here.
  const elsewhere = type === 'deviceManagementIntent' && !Array.isArray(doc.settings) && !Array.isArray(doc.settingsDelta) ? ', its settings not in this file' : '';
  if (misnamed !== undefined) {
    return `this export (its \`@odata.type\` \`${GRAPH_PREFIX}${misnamed}\` is not a type Graph knows; its ${by} make${by.includes(' and ') ? '' : 's'} it a \`${type}\` written with a wrong type, read as one: write \`${GRAPH_PREFIX}${type}\`)`;
  }
  return `this export (no \`@odata.type\`; its ${by} make${by.includes(' and ') ? '' : 's'} it \`${type}\`${elsewhere})`;
}

/** Path helper: a JSON path as `a.b[0].c`, for messages. */
export function pathText(path: JsonPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * One of Intune's built-in default enrollment configurations, which every tenant has and which share the display
 * name "All users and all devices": `priority: 0` or an id ending `_Default…`
 * (`…_DefaultPlatformRestrictions`, `…_DefaultLimit`, `…_DefaultWindowsHelloForBusiness`).
 */
export function isTenantDefault(p: { kind?: string; spec?: Record<string, unknown> }): boolean {
  if (p.kind !== 'EnrollmentRestriction' || !p.spec) return false;
  const id = typeof p.spec.id === 'string' ? p.spec.id : '';
  return p.spec.priority === 0 || /_Default[A-Za-z0-9]*$/.test(id);
}

/**
 * What an exporter added to a raw export that is no Graph property, read once for `ztp import` and the raw reader: a
 * key beginning with `$` (Simeon Cloud's `$description`, `$friendlyName`, `$name`) is never an OData property (an OData
 * identifier starts with a letter or `_`:
 * https://docs.oasis-open.org/odata/odata-csdl-json/v4.01/odata-csdl-json-v4.01.html#sec_SimpleIdentifier), and, beside
 * them, Simeon's `expand` (the `$expand` it fetched with). `body` is the export without them, its display name (`name`
 * in the settings catalog) taken from `$friendlyName` where it has none (`named`); undefined when it has no such key.
 */
export function exporterMetadata(kind: string | undefined, doc: Record<string, unknown>): { body: Record<string, unknown>; dropped: string[]; named?: { key: string; value: string } } | undefined {
  const dollar = Object.keys(doc).filter((k) => k.startsWith('$'));
  if (!dollar.length) return undefined;
  const body: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(doc)) if (!k.startsWith('$') && !(k === 'expand' && typeof x === 'string')) body[k] = x;
  const dropped = [...dollar, ...(typeof doc.expand === 'string' ? ['expand'] : [])];
  // The settings catalog names a policy by `name`; every other resource by `displayName`.
  const key = kind === 'ConfigurationProfile' || 'technologies' in doc ? 'name' : 'displayName';
  const friendly = doc.$friendlyName;
  if (typeof friendly !== 'string' || !friendly.trim() || (typeof doc[key] === 'string' && (doc[key] as string).trim())) return { body, dropped };
  body[key] = friendly;
  return { body, dropped, named: { key, value: friendly } };
}

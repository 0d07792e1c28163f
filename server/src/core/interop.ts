/**
 * Graph interop, without I/O: a raw Graph export becomes a policy file of the format (`ztp import`; the folder is
 * planned in core/import-plan.ts), with what export shares (`@odata.type` pruning, beta detection, writable bodies;
 * a policy's request bodies are core/export-policy.ts). Pure, so the language server or a test can use it too.
 */
import { isPlainObject, strings, type JsonPath } from './document';
import {
  GRAPH_PREFIX,
  graphTypeName,
  pathText,
  rawKindOf,
  readGraphAssignments,
  describeForeignGraphType,
  foreignGraphTypeOf,
  foreignTypeLabel,
  WINDOWS_HELLO_TEMPLATE,
  stripReadOnly,
  FETCH_PROFILE_SETTINGS,
  isSettingsCatalogCompliance,
  contextNamesGroups,
  collectionLists,
  listItem,
} from './graph';
import { KINDS, type PolicyKind } from './kinds';
import { impliedODataType, POLICY_SCHEMAS, type SchemaObject } from './schema/schemas';
import { isTemplateVariable, templateVariableStyle, templateVariableText } from './schema/issue';

type Json = Record<string, unknown>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(v: unknown): v is string {
  return typeof v === 'string' && GUID.test(v);
}

/**
 * A group reference of an export (a CA policy's `includeGroups`/`excludeGroups`, an Intune assignment's
 * `target.groupId` or IntuneCD's `target.groupName`) that is no object id: a group named by display name (CIPP's
 * templates, nicolonsky/ModernWorkplaceConcierge's `<ExclusionTempGroup>`, Azure/securedworkstation's
 * `"groupId": "Emergency Breakglass"`) or a template's variable (`__GRP_X_ID__`, `$groupid`, `%groupid%`,
 * `{$GroupVars.BreakGlass}`, `REPLACE_WITH_…_GROUP_OBJECT_ID`). The one answer import gives for both kinds of
 * policy: such a reference is kept as written, never mapped as an id; the plan adds a name to the manifest and notes a
 * variable (`templateVariableStyle`). `All` and `None` are Graph's words.
 */
export function isGroupNamedInExport(ref: unknown): ref is string {
  return typeof ref === 'string' && ref.trim() !== '' && !isGuid(ref) && ref !== 'None' && ref !== 'All';
}

/**
 * What import says of the template variables (`templateVariableStyle`) standing where an export names `what` (a group,
 * a named location, an authentication strength): each named, what it is, and what to put in its place.
 */
export function templateVariablesNote(held: readonly string[], what: { name: string; not: string; kept?: string; replace: string }): string {
  const named = held.map((n) => `\`${n}\``).join(', ');
  const style = held.every((v) => templateVariableStyle(v) === templateVariableStyle(held[0])) ? templateVariableText(held[0]!) : "a template's variable";
  return `${what.name} placeholders (${named}): ${held.length > 1 ? 'each is' : 'it is'} ${style}, not ${what.not}; kept as written${what.kept ?? ''}. Replace ${held.length > 1 ? 'each' : 'it'} with ${what.replace} before \`ztp export\``;
}

export function obj(v: unknown): Json | undefined {
  return isPlainObject(v) ? v : undefined;
}

export { strings };

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

// ---------------------------------------------------------------------------------------------------------------
// Walking a kind's schema along a value

interface Resolved {
  schema: Json | undefined;
  /** Whether the declared type is a union chosen by `@odata.type` (so the value must say which). */
  polymorphic: boolean;
}

function resolveSchema(root: SchemaObject, s: Json | undefined, data: unknown): Resolved {
  let cur = s;
  let polymorphic = false;
  for (let guard = 0; cur && guard < 30; guard++) {
    if (typeof cur.$ref === 'string') {
      cur = (root.definitions as Record<string, Json> | undefined)?.[cur.$ref.replace('#/definitions/', '')];
      continue;
    }
    if (Array.isArray(cur.allOf) && !cur.properties) {
      cur = cur.allOf[0] as Json;
      continue;
    }
    if (Array.isArray(cur.anyOf)) {
      cur = (cur.anyOf as Json[]).find((b) => b.type !== 'null');
      continue;
    }
    if (Array.isArray(cur.oneOf)) {
      polymorphic = true;
      const tag = obj(data)?.['@odata.type'] ?? impliedODataType(root, data);
      const branch = (cur.oneOf as Json[]).map((b) => resolveSchema(root, b, data).schema).find((b) => obj(obj(b?.properties)?.['@odata.type'])?.const === tag);
      return { schema: branch, polymorphic };
    }
    return { schema: cur, polymorphic };
  }
  return { schema: cur, polymorphic };
}

function propertySchema(s: Json | undefined, key: string): Json | undefined {
  const props = obj(s?.properties);
  if (props?.[key]) return props[key] as Json;
  return undefined;
}

/** The schema of `spec` for a kind (the envelope's `spec` property). */
function specSchema(kind: PolicyKind): { root: SchemaObject; spec: Json | undefined } {
  const root = POLICY_SCHEMAS[kind];
  return { root, spec: propertySchema(root as Json, 'spec') };
}

/**
 * Drop `null` properties the metadata does not list, and the `@odata.type` annotations a body does not need: those on values whose declared Graph type is concrete
 * (`conditions`, `grantControls`, a settings catalog `choiceSettingValue`…). Kept where the type is chosen by it: the
 * root of a kind with several Graph types, a setting instance, a `mobileAppIdentifier`, an assignment target. Values
 * the schema leaves untyped are left as they are.
 */
export function pruneODataTypes(kind: PolicyKind, spec: Json): Json {
  const { root, spec: s } = specSchema(kind);
  return pruneValue(root, s, spec) as Json;
}

function pruneValue(root: SchemaObject, s: Json | undefined, value: unknown): unknown {
  if (Array.isArray(value)) {
    const r = resolveSchema(root, s, value);
    const items = r.schema?.items as Json | undefined;
    return value.map((v) => (items ? pruneValue(root, items, v) : v));
  }
  if (!isPlainObject(value)) return value;
  const r = resolveSchema(root, s, value);
  if (!r.schema || !r.schema.properties) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '@odata.type') {
      const declared = obj(propertySchema(r.schema, '@odata.type'))?.const;
      if (!r.polymorphic && declared === v) continue;
      out[k] = v;
      continue;
    }
    const ps = propertySchema(r.schema, k);
    // A `null` property that Graph's metadata does not list (Graph returns such properties before its metadata
    // lists them) says nothing and is no finding: the import drops it.
    if (!ps && v === null && isUnknownGraphProperty(r.schema, k)) continue;
    out[k] = ps ? pruneValue(root, ps, v) : v;
  }
  return out;
}

/** Whether `key` is neither a property nor an annotation of a Graph object schema (one with `x-graphType`). */
function isUnknownGraphProperty(schema: Json, key: string): boolean {
  if (typeof schema['x-graphType'] !== 'string' || schema.additionalProperties !== false) return false;
  const patterns = Object.keys(obj(schema.patternProperties) ?? {});
  return !patterns.some((p) => new RegExp(p).test(key));
}

/** The properties (even `null` ones) and enum members of a body that only Graph beta has (so it must go to beta). */
export function betaOnlyUses(kind: PolicyKind, spec: Json): string[] {
  const { root, spec: s } = specSchema(kind);
  const out: string[] = [];
  const walk = (schema: Json | undefined, value: unknown, path: JsonPath): void => {
    if (value === undefined) return;
    const r = resolveSchema(root, schema, value);
    const sc = r.schema;
    if (!sc) return;
    // Even `null`: v1.0 refuses a property it does not have, whatever its value. The mark sits on the property's
    // schema (around a nullable reference) or on a beta-only type.
    if ((schema?.['x-betaOnly'] === true || sc['x-betaOnly'] === true) && path.length) {
      out.push(pathText(path));
      return;
    }
    if (value === null) return;
    const betaMembers = sc['x-betaMembers'] as string[] | undefined;
    if (betaMembers && typeof value === 'string' && betaMembers.includes(value)) out.push(`${pathText(path)}: ${value}`);
    if (Array.isArray(value)) {
      const items = sc.items as Json | undefined;
      value.forEach((v, i) => {
        const ir = resolveSchema(root, items, v).schema;
        const members = ir?.['x-betaMembers'] as string[] | undefined;
        if (members && typeof v === 'string' && members.includes(v)) out.push(`${pathText([...path, i])}: ${v}`);
        else if (isPlainObject(v)) walk(items, v, [...path, i]);
      });
      return;
    }
    if (!isPlainObject(value)) return;
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('@') || k.startsWith('#')) continue;
      const ps = propertySchema(sc, k);
      if (ps) walk(ps, v, [...path, k]);
    }
  };
  walk(s, spec, []);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The Graph body a policy stands for

/**
 * The body without read-only content (see `stripReadOnly`). Conditional Access also loses `templateId` (set by Graph
 * when a policy is made from a template) and a `null` `partialEnablementStrategy`, which Graph's create refuses.
 */
export function writableBody(kind: PolicyKind, doc: Json): Json {
  const body = stripReadOnly(doc, { keepRootId: kind === 'DefenderConnector' });
  if (kind === 'ConditionalAccessPolicy') {
    delete body.templateId;
    if (body.partialEnablementStrategy === null) delete body.partialEnablementStrategy;
  }
  return body;
}

/**
 * What an import keeps of a raw export's body: the writable body with `@odata.type` only where it is needed, with no
 * `null` property that Graph's metadata lacks, and without the `assignments` list (which becomes the `assignments` block). The round-trip test compares an export's
 * body with this.
 */
export function importedSpec(kind: PolicyKind, doc: Json): Json {
  const body = pruneODataTypes(kind, writableBody(kind, doc));
  delete body.assignments;
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Import: a raw export → a policy file

export type ExportFileClass =
  | { type: 'policy'; kind: PolicyKind }
  | { type: 'group'; id: string; name: string }
  | { type: 'migration-table'; groups: { id: string; name: string }[] }
  | { type: 'native' }
  | { type: 'skip'; reason: string };

export { unwrapExport, type UnwrappedExport } from './graph';

/**
 * What a file of an export folder is: a policy of one of the kinds, a group, a migration table, or something else.
 * `list`: the list response an item was read from, whose `@odata.context` may say what its items are.
 */
export function classifyExportFile(value: unknown, list?: unknown): ExportFileClass {
  const v = obj(value);
  if (!v) return { type: 'skip', reason: 'not a JSON object' };
  if (typeof v.kind === 'string' && 'spec' in v) return { type: 'native' };
  if (Array.isArray(v.Objects)) {
    const groups = (v.Objects as unknown[])
      .map(obj)
      .filter((o): o is Json => !!o && (o.Type === undefined || o.Type === 'Group') && isGuid(o.Id) && typeof o.DisplayName === 'string')
      .map((o) => ({ id: String(o.Id), name: String(o.DisplayName) }));
    return { type: 'migration-table', groups };
  }
  const kind = rawKindOf(v);
  if (kind) return { type: 'policy', kind };
  const t = graphTypeName(v['@odata.type']);
  // A group says so by its type, or, exported without one, by a group's own properties; a `$select=id,displayName`
  // read (GET /directoryObjects/{id}) keeps the type and little else.
  // A user, read the same way, has `mailNickname` too, but a group never has a user principal name (nor a response
  // context naming the users collection).
  const userShaped = t === 'user' || 'userPrincipalName' in v || (typeof v['@odata.context'] === 'string' && /#users(\(|\/|$)/.test(v['@odata.context']));
  // A response whose context names the groups (`#groups(displayName,id)`: a list fetched with `$select`) says what
  // its items are, where they keep only an id and a name.
  const groupContext = contextNamesGroups(v) || (list !== undefined && contextNamesGroups(list));
  const groupShaped = t === 'group' || (t === undefined && !userShaped && (groupContext || 'securityEnabled' in v || 'groupTypes' in v || 'mailNickname' in v));
  if (groupShaped && isGuid(v.id) && typeof v.displayName === 'string') {
    return { type: 'group', id: v.id, name: v.displayName };
  }
  if (userShaped && t === undefined) return { type: 'skip', reason: 'an Entra user, not a policy or a group (zerotrust.yaml names users by user principal name: `breakGlass.users`, group `members`)' };
  // Unlike the template profiles the configuration checks read (kept as exported), no check reads Windows Hello for
  // Business: the import leaves it out, and says how to bring its settings under review.
  if (t === WINDOWS_HELLO_TEMPLATE) {
    return {
      type: 'skip',
      reason: `\`${GRAPH_PREFIX}${t}\` is ${describeForeignGraphType(t)}: no check reads it, so it is not imported (not kept as exported either); to review Windows Hello for Business here, recreate its settings as an Account protection policy (Endpoint security > Account protection) and import that policy's export`,
    };
  }
  // A resource no kind holds, by its `@odata.type` or, without one, by its shape (an intent, an authentication strength).
  const foreign = foreignGraphTypeOf(v);
  if (foreign) return { type: 'skip', reason: `${foreignTypeLabel(v, foreign)} is ${describeForeignGraphType(foreign)}` };
  return { type: 'skip', reason: 'not a Graph export of a policy, a group or a migration table' };
}

/** A group an export file names, with where its name is in the file. */
export interface ExportedGroup {
  id: string;
  name: string;
  /** Where the group's name is: `displayName`, `value[2].displayName`, or `Objects[1]` of a migration table. */
  path: JsonPath;
  /** From a migration table (IntuneManagement's `MigrationTable.json`), not a group's own export. */
  table: boolean;
}

/**
 * The groups an export file names, as `ztp import` and `ztp check` (raw exports checked in place) both read them: a
 * group exported alone, a Graph list of groups (`{ "value": [ … ] }` or a bare list, fetched with `$select` too, whose
 * context names the groups), or a migration table. A list's items are read as a list's policies are (`listItem`).
 */
export function exportedGroups(value: unknown): ExportedGroup[] {
  const lists = collectionLists(value);
  if (lists) {
    return lists.flatMap(({ key, items }) => {
      const at: JsonPath = key === undefined ? [] : [key];
      return items.flatMap((raw, i) => {
        const c = classifyExportFile(listItem(value, raw), value);
        return c.type === 'group' ? [{ id: c.id, name: c.name, path: [...at, i, 'displayName'], table: false }] : [];
      });
    });
  }
  const c = classifyExportFile(value);
  if (c.type === 'group') return [{ id: c.id, name: c.name, path: ['displayName'], table: false }];
  if (c.type === 'migration-table') return c.groups.map((g) => ({ ...g, path: ['Objects'], table: true }));
  return [];
}

export interface ImportNote {
  /** Where in the export (`conditions.users.excludeGroups[2]`). */
  where: string;
  message: string;
}

export interface ImportedPolicy {
  kind: PolicyKind;
  /** The policy file's content: `kind`, `name`, `assignments` (Intune kinds), `spec`. */
  doc: Json;
  /** Group ids the policy names that no source maps to a name (kept as GUIDs). */
  unmapped: ImportNote[];
  /** Other things said about the import (assignments kept in Graph's shape, named locations…). */
  notes: ImportNote[];
  /** Group ids the policy uses that were mapped to names (for the manifest). */
  groupIds: string[];
}

/**
 * A raw export as a policy file of the format. `groupName` maps a group id to its display name (migration table,
 * exported groups, manifest). Unmapped ids stay as GUIDs and are listed. Nothing that is not read-only is lost:
 * assignments our `assignments` block cannot say (filters, other target types) stay in `spec.assignments`.
 */
export function importPolicy(kind: PolicyKind, raw: Json, name: string, groupName: (id: string) => string | undefined): ImportedPolicy {
  const spec = importedSpec(kind, raw);
  const unmapped: ImportNote[] = [];
  const notes: ImportNote[] = [];
  const groupIds = new Set<string>();
  // A group named by display name, or a template's variable (`$allusersgroupid`), is no id to map: kept as written, and
  // the plan adds the name to the manifest or notes the variable (`isGroupNamedInExport`), for CA and Intune alike.
  const groupRef = (ref: string, where: string): string => {
    if (!isGuid(ref)) return ref;
    const n = groupName(ref.toLowerCase());
    if (n !== undefined) {
      groupIds.add(ref.toLowerCase());
      return n;
    }
    unmapped.push({ where, message: `group id ${ref} has no name in the migration table, the exported groups or the manifest; kept as the id` });
    return ref;
  };
  const doc: Json = { kind, name };
  if (kind === 'ConditionalAccessPolicy') {
    const users = obj(obj(spec.conditions)?.users);
    for (const key of ['includeGroups', 'excludeGroups'] as const) {
      if (!Array.isArray(users?.[key])) continue;
      users![key] = (users![key] as unknown[]).map((g, i) => (typeof g === 'string' ? groupRef(g, `conditions.users.${key}[${i}]`) : g));
    }
    const locations = obj(obj(spec.conditions)?.locations);
    const ids = [...strings(locations?.includeLocations), ...strings(locations?.excludeLocations)].filter(isGuid);
    if (ids.length) notes.push({ where: 'conditions.locations', message: `named location ids kept as they are (${ids.join(', ')}); named locations have no policy kind: their exports in the folder are kept beside the policies, where \`ztp check\` reads them, and they must exist in the tenant you export to` });
    // A template's tokens where a named location's id goes (Giancito/conditional-access-baseline's
    // `__LOC_PAISES_PERMITIDOS_ID__`): no id to keep, and no fact of the manifest; the note says what to put there (Graph
    // takes a location's id, `All` or `AllTrusted`: https://learn.microsoft.com/en-us/graph/api/resources/conditionalaccesslocations).
    for (const key of ['includeLocations', 'excludeLocations'] as const) {
      const held = [...new Set(strings(locations?.[key]).filter(isTemplateVariable))];
      if (held.length) {
        notes.push({
          where: `conditions.locations.${key}`,
          message: templateVariablesNote(held, { name: 'named location', not: "a named location's id", replace: "the id of the named location it stands for (named locations have no policy kind, so it must exist in the tenant you export to; Graph takes only an id, `All` or `AllTrusted` here)" }),
        });
      }
    }
    const strength = obj(obj(spec.grantControls)?.authenticationStrength);
    if (strength && isTemplateVariable(strength.id)) {
      // A template's token where the strength's id goes (`__AUTH_STRENGTH_PHISHING_RESISTANT_ID__`): no strength to keep by id.
      notes.push({
        where: 'grantControls.authenticationStrength.id',
        message: templateVariablesNote([strength.id], {
          name: 'authentication strength',
          not: "an authentication strength's id",
          replace: 'the id of the authentication strength it stands for (a built-in strength\'s, `00000000-0000-0000-0000-000000000002` to `…0004`, or a custom strength\'s, which must exist in the tenant you export to)',
        }),
      });
    } else if (strength && typeof strength.id === 'string' && !/^00000000-0000-0000-0000-00000000000[234]$/.test(strength.id)) {
      // The export may hold the strength expanded (its name, methods and what it satisfies): Graph's create takes the
      // id alone, so the body keeps only that, and the note says what the id stands for.
      // Read without regard to case: the PowerShell SDK writes `DisplayName`, `AllowedCombinations`.
      const at = (o: Json | undefined, key: string): unknown => (o ? Object.entries(o).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1] : undefined);
      const expanded = obj(at(obj(at(raw, 'grantControls')), 'authenticationStrength'));
      const name = at(expanded, 'displayName');
      const label = typeof name === 'string' ? `\`${name}\` (${strength.id})` : strength.id;
      const methods = strings(at(expanded, 'allowedCombinations'));
      const required = at(expanded, 'requirementsSatisfied');
      const satisfies = Array.isArray(required) ? strings(required).join(', ') : typeof required === 'string' ? required : undefined;
      const detail = [methods.length ? `methods ${methods.join(', ')}` : '', satisfies ? `satisfies ${satisfies}` : ''].filter(Boolean).join('; ');
      notes.push({ where: 'grantControls.authenticationStrength', message: `custom authentication strength ${label}${detail ? `, ${detail},` : ''} kept by id (its export in the folder is kept beside the policies, where \`ztp check\` reads it; without one, what it admits is unknown to the checks); it must exist in the tenant you export to` });
    }
  }
  if (KINDS[kind].assignable) {
    const include: string[] = [];
    const exclude: string[] = [];
    const kept: unknown[] = [];
    const list = Array.isArray(raw.assignments) ? (raw.assignments as unknown[]) : [];
    const strippedList = (writableBody(kind, { assignments: list }).assignments as unknown[] | undefined) ?? [];
    for (const t of readGraphAssignments(list)) {
      const where = `assignments[${t.index}]`;
      if (t.filtered || t.type === 'other') {
        kept.push(strippedList[t.index]);
        notes.push({ where, message: `${t.filtered ? 'an assignment with a filter' : `a \`${t.odataType}\` assignment`} cannot be written in the \`assignments\` block; kept in Graph's shape in \`spec.assignments\`` });
        continue;
      }
      if (t.type === 'allUsers') include.push('allUsers');
      else if (t.type === 'allDevices') include.push('allDevices');
      // A target named by display name (IntuneCD's `groupName`, or a name where the id goes) keeps its name: the plan
      // adds it to the manifest.
      else (t.type === 'group' ? include : exclude).push(groupRef(t.groupId ?? t.groupName!, `${where}.target.${t.groupId ? 'groupId' : 'groupName'}`));
    }
    if (include.length || exclude.length) doc.assignments = { ...(include.length ? { include: [...new Set(include)] } : {}), ...(exclude.length ? { exclude: [...new Set(exclude)] } : {}) };
    // An export that lists no assignment at all says the policy is assigned to nobody: keep that fact (an export
    // without the property says nothing, and gets no block).
    // Graph's empty list, or its own word that the policy is deployed to no inclusion group (`isAssigned: false`, on
    // an export without its assignments): assigned to nobody.
    else if ((Array.isArray(raw.assignments) && !list.length) || (raw.assignments === undefined && raw.isAssigned === false)) doc.assignments = { include: [] };
    if (kept.length) spec.assignments = kept;
  }
  // Graph returns a compliance policy's actions only when asked (`$expand=scheduledActionsForRule(…)`): an export made
  // without it has none, though every policy in Intune has its block action.
  if (kind === 'CompliancePolicy' && !('scheduledActionsForRule' in raw)) {
    notes.push({
      where: 'scheduledActionsForRule',
      message:
        'the export has no `scheduledActionsForRule` (Graph returns the actions only with `$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`), so the policy file has none: add its block action, which Graph requires on create, or export again with the expansion',
    });
  }
  // Graph returns a settings catalog policy's settings only with `$expand=settings`: a list
  // (`GET /deviceManagement/configurationPolicies`) or a GET without it has their count alone (`settingCount`, read-only,
  // so not written). The checks then know nothing of what the profile configures (the model's `settingsNotExported`);
  // a count of 0 says it has none, written as such.
  // Source: https://learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list?view=graph-rest-beta
  const catalogShape = typeof raw.technologies === 'string' && (raw['@odata.type'] === undefined || /deviceManagement(Configuration|Compliance)Policy$/.test(String(raw['@odata.type'])));
  if ((kind === 'ConfigurationProfile' || (kind === 'CompliancePolicy' && catalogShape && isSettingsCatalogCompliance(raw))) && !Array.isArray(raw.settings)) {
    if (raw.settingCount === 0) spec.settings = [];
    else {
      const count = typeof raw.settingCount === 'number' && raw.settingCount > 0 ? raw.settingCount : undefined;
      const what = count === undefined ? 'its settings are' : `its ${count} ${count === 1 ? 'setting is' : 'settings are'}`;
      const nor = raw.assignments === undefined ? ', nor its assignments' : '';
      notes.push({
        where: 'settings',
        message: `\`${name}\`: ${what} not in the export${nor} (Graph lists settings catalog policies without them), so the checks cannot read what it configures; fetch it with ${FETCH_PROFILE_SETTINGS} and import that`,
      });
    }
  }
  doc.spec = spec;
  return { kind, doc, unmapped, notes, groupIds: [...groupIds] };
}


/** Tenant-wide facts an export may show, in the manifest's `settings` names. */
export interface ExportedTenantFacts {
  secureByDefault?: boolean;
  applePushCertificate?: { expirationDateTime: string };
  androidEnterprise?: { bindStatus: string };
}

/**
 * The tenant facts a Graph export file shows, if it is one of the tenant-wide resources: the Apple MDM push
 * certificate (`applePushNotificationCertificate.expirationDateTime`), the managed Google Play binding
 * (`androidManagedStoreAccountEnterpriseSettings.bindStatus`) and the compliance settings
 * (`deviceManagementSettings.secureByDefault`, also found under `settings` of `deviceManagement`).
 */
export function tenantFactsOf(value: unknown): ExportedTenantFacts | undefined {
  const v = obj(value);
  if (!v) return undefined;
  const t = typeof v['@odata.type'] === 'string' ? String(v['@odata.type']).replace(/^#?microsoft\.graph\./, '') : undefined;
  const ctx = typeof v['@odata.context'] === 'string' ? String(v['@odata.context']) : '';
  const out: ExportedTenantFacts = {};
  // IntuneCD strips `@odata.context` and these singletons carry no `@odata.type`: without either, each is told by its
  // own properties (almenscorner/IntuneCD backs them up as "Apple Push Notification", "Managed Google Play" and
  // "Device Management Settings/settings.json").
  const untyped = t === undefined && !ctx;
  const apns = t === 'applePushNotificationCertificate' || /applePushNotificationCertificate/.test(ctx) || (untyped && typeof v.appleIdentifier === 'string' && 'certificateSerialNumber' in v);
  if (apns && typeof v.expirationDateTime === 'string') {
    out.applePushCertificate = { expirationDateTime: v.expirationDateTime };
  }
  const play = t === 'androidManagedStoreAccountEnterpriseSettings' || /androidManagedStoreAccountEnterpriseSettings/.test(ctx) || (untyped && 'ownerOrganizationName' in v && 'lastAppSyncStatus' in v);
  if (play && typeof v.bindStatus === 'string') {
    out.androidEnterprise = { bindStatus: v.bindStatus };
  }
  const settings = t === 'deviceManagementSettings' || untyped ? v : obj(v.settings);
  const deviceSettings = t === 'deviceManagementSettings' || /deviceManagement(\/settings)?(\$|\b)/.test(ctx) || (untyped && 'deviceComplianceCheckinThresholdDays' in v);
  if (deviceSettings && typeof settings?.secureByDefault === 'boolean') {
    out.secureByDefault = settings.secureByDefault;
  }
  return Object.keys(out).length ? out : undefined;
}

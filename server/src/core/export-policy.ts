/**
 * `ztp export`, one policy: a policy file becomes the Graph request bodies that create and assign it (the endpoint,
 * the writable body, the assignments with group ids from the manifest). Pure; core/export-plan.ts plans the folder.
 */
import type { ManifestFacts, PolicyFacts } from './facts';
import { graphEndpoint, graphTarget, hasBlockAction, isTenantDefault, MDE_CONNECTOR_ID, readGraphAssignments } from './graph';
import type { ConnectorPartner } from './model/defender';
import { betaOnlyUses, clone, isGuid, obj, strings, writableBody } from './interop';
import { KINDS } from './kinds';
import { builtInRoleId } from './directory-roles';
import { isLocationReference, LIST_KEYWORDS } from './schema/graph-constraints';
import { isTemplateVariable, templateVariableText } from './schema/issue';

type Json = Record<string, unknown>;

export interface ExportOutcome {
  /** The request file's content; undefined when the policy cannot be exported. */
  content?: Json;
  /** Why it cannot be exported (a group without an id…). */
  errors: string[];
  /** What the admin must still do by hand, besides the user principal names below (the file's `notes` hold both). */
  warnings: string[];
  /** User principal names the body still holds where Graph wants object ids. */
  userPrincipalNames?: string[];
}

const DLP_SETTINGS: Record<string, string> = {
  copyPaste: 'CopyPaste',
  copyToNetworkShare: 'NetworkShare',
  copyToRemovableMedia: 'RemovableMedia',
  screenCapture: 'ScreenCapture',
  print: 'Print',
  cloudEgress: 'CloudEgress',
  unallowedApps: 'UnallowedApps',
};

/** The all-zero GUID: templates use it where an id must be filled in. */
const NIL_GUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

const DLP_VALUES: Record<string, string> = { audit: 'Audit', warn: 'Warn', block: 'Block' };

/** The values `includeUsers`/`excludeUsers` take besides users' object ids. */
const USER_KEYWORDS = LIST_KEYWORDS[0]!.words;

/** What of its tenant a policy's export reads besides the manifest. */
export interface ExportContext {
  /** A `DefenderConnector` file's: whose connector it is, the tenant model's answer (`DefenderModel.partnerOf`). */
  connectorPartner?: ConnectorPartner;
}

/** The Graph request bodies that create a policy and assign it, with the endpoint and API version of each. */
export function exportPolicy(p: PolicyFacts, manifest: ManifestFacts | undefined, source: string, context: ExportContext = {}): ExportOutcome {
  const errors: string[] = [];
  const warnings: string[] = [];
  const kind = p.kind;
  if (!kind || !p.spec) return { errors: ['the file is not a policy of a known kind'], warnings };
  const name = p.name ?? source;
  if (kind === 'EndpointDlpPolicy') return exportDlp(p, name, source);

  /** A group name or GUID as the Graph id, or an error naming it. */
  const groupId = (ref: string, where: string): string | undefined => {
    const byName = manifest?.groups.find((g) => g.name === ref);
    if (byName) {
      // A name listed twice (a `schema` error on the manifest) with two ids: either could be meant, so neither is sent.
      const ids = new Set(manifest!.groups.filter((g) => g.name === ref && g.id).map((g) => g.id!.toLowerCase()));
      if (ids.size > 1) {
        errors.push(`${where}: group \`${ref}\` is listed ${ids.size} times in zerotrust.yaml with different ids; keep one`);
        return undefined;
      }
      if (byName.id) return byName.id;
      errors.push(`${where}: group \`${ref}\` has no \`id\` in zerotrust.yaml; add its Entra object id`);
      return undefined;
    }
    if (isGuid(ref)) return ref;
    errors.push(
      isTemplateVariable(ref)
        ? `${where}: group \`${ref}\` is ${templateVariableText(ref)}, not a group Graph knows: replace it with the group's name from zerotrust.yaml or its object id`
        : `${where}: group \`${ref}\` is not in zerotrust.yaml (and is not a GUID)`,
    );
    return undefined;
  };

  const upns: string[] = [];
  /** Where each user principal name is, for the file's notes (hosts say the names once, from `userPrincipalNames`). */
  const upnNotes: string[] = [];
  const roleNotes: string[] = [];
  const body = writableBody(kind, clone(p.spec));
  const graphList = readGraphAssignments(body.assignments);
  const keptAssignments = Array.isArray(body.assignments) ? (body.assignments as unknown[]) : [];
  delete body.assignments;

  if (kind === 'ConditionalAccessPolicy') {
    const users = obj(obj(body.conditions)?.users);
    for (const key of ['includeGroups', 'excludeGroups'] as const) {
      if (!Array.isArray(users?.[key])) continue;
      users![key] = (users![key] as unknown[]).map((g, i) => (typeof g === 'string' ? groupId(g, `conditions.users.${key}[${i}]`) ?? g : g));
    }
    // Graph takes directory roles by template id: a built-in role's name becomes its id, any other name is said.
    for (const key of ['includeRoles', 'excludeRoles'] as const) {
      if (!Array.isArray(users?.[key])) continue;
      users![key] = (users![key] as unknown[]).map((r, i) => {
        if (typeof r !== 'string' || isGuid(r.trim())) return r;
        // The one table of built-in roles `check` reads too, so a name it takes is a name export writes as an id.
        const id = builtInRoleId(r);
        if (id) return id;
        roleNotes.push(`conditions.users.${key}[${i}]: \`${r}\` is not a built-in role name this tool knows; Graph takes the role's template id, so replace it before sending`);
        return r;
      });
    }
    for (const key of ['includeUsers', 'excludeUsers'] as const) {
      strings(users?.[key]).forEach((u, i) => {
        if (u.includes('@')) {
          upns.push(u);
          upnNotes.push(`conditions.users.${key}[${i}]: \`${u}\` is a user principal name; Graph takes the user's object id, so replace it before sending (GET /users/${u})`);
        } else if (NIL_GUID.test(u)) {
          warnings.push(`conditions.users.${key}[${i}]: \`${u}\` is the all-zero id, a template's placeholder, not a user; replace it with the user's object id before sending`);
        } else if (!isGuid(u) && !USER_KEYWORDS.includes(u) && !isTemplateVariable(u)) {
          // A template's placeholder (`OBJECTID-BREAKGLASS-1`, `{{…}}`) or a mistyped id. A CIPP variable (`%…%`) is a
          // schema issue, which the plan names with the file's other template variables.
          warnings.push(`conditions.users.${key}[${i}]: \`${u}\` is neither a user's object id nor \`All\`, \`None\` or \`GuestsOrExternalUsers\`; Graph refuses it, so replace it before sending`);
        }
      });
    }
    // Guests of some organisations only: Graph takes those tenants' ids (an MSP template's `%msptenantid%` is not one).
    for (const key of ['includeGuestsOrExternalUsers', 'excludeGuestsOrExternalUsers'] as const) {
      strings(obj(obj(users?.[key])?.externalTenants)?.members).forEach((t, i) => {
        const where = `conditions.users.${key}.externalTenants.members[${i}]`;
        if (!isGuid(t)) warnings.push(`${where}: \`${t}\` is ${refused(t, 'not a tenant id')}; Graph refuses it, so replace it with the organisation's tenant id before sending`);
        else if (NIL_GUID.test(t)) warnings.push(`${where}: \`${t}\` is the all-zero id, a template's placeholder, not a tenant; replace it with the organisation's tenant id before sending`);
      });
    }
    const locations = obj(obj(body.conditions)?.locations);
    for (const key of ['includeLocations', 'excludeLocations'] as const) {
      strings(locations?.[key]).forEach((l, i) => {
        // The one answer `check` gives too (the schema's `locationValues`): an id, `All`, `AllTrusted` or the compliant network.
        if (!isLocationReference(l)) warnings.push(`conditions.locations.${key}[${i}]: \`${l}\` is ${refused(l, "neither a named location's id nor `All`, `AllTrusted` or `AllCompliantNetworkLocations`")}; Graph refuses it, so replace it before sending`);
        // The all-zero id is a template's placeholder: no named location has it.
        else if (NIL_GUID.test(l)) warnings.push(`conditions.locations.${key}[${i}]: \`${l}\` is the all-zero id, a template's placeholder, not a named location; replace it with the named location's id before sending`);
      });
    }
    const strength = obj(obj(body.grantControls)?.authenticationStrength);
    if (strength && typeof strength.id === 'string' && !isGuid(strength.id)) {
      warnings.push(`grantControls.authenticationStrength.id: \`${strength.id}\` is ${refused(strength.id, "not an authentication strength's id")}; Graph refuses it, so replace it before sending`);
    }
  }
  // A settings catalog policy exported without `$expand=settings` has none: sent as it is, it creates an empty policy.
  if ((kind === 'ConfigurationProfile' || kind === 'CompliancePolicy') && 'templateReference' in body && 'technologies' in body && !Array.isArray(body.settings)) {
    warnings.push('no `settings`: the policy was exported without them (GET without `$expand=settings`), so Graph would create it empty; export it again with its settings before sending');
  }
  // Graph refuses to create a compliance policy without exactly one block action (an export fetched without
  // `$expand=scheduledActionsForRule` has none: compliance-missing-block-action reports the file).
  if (kind === 'CompliancePolicy' && !hasBlockAction(body.scheduledActionsForRule)) {
    warnings.push('no `scheduledActionsForRule` with a `block` action ("Mark device noncompliant"); Graph refuses to create a compliance policy without one, so add it before sending');
  }
  // Names IntuneCD adds beside the ids they stand for (a script's, a notification template's): not Graph's properties.
  if (kind === 'CompliancePolicy') {
    delete body.deviceComplianceScriptName;
    delete body.detectionScriptName;
    for (const rule of Array.isArray(body.scheduledActionsForRule) ? body.scheduledActionsForRule : []) {
      for (const action of Array.isArray(obj(rule)?.scheduledActionConfigurations) ? (obj(rule)!.scheduledActionConfigurations as unknown[]) : []) delete obj(action)?.notificationTemplateName;
    }
  }
  // The template's family, name and version are Graph's to derive from its id (read-only).
  const template = obj(body.templateReference);
  if (template) for (const key of ['templateFamily', 'templateDisplayName', 'templateDisplayVersion']) delete template[key];

  const beta = betaOnlyUses(kind, body);
  const apiVersion = KINDS[kind].graphVersion === 'v1.0' && beta.length ? 'beta' : KINDS[kind].graphVersion;
  // A connector is updated in place at its partner's id (one object per partner): a file without one is sent to
  // Defender for Endpoint's only where the tenant model says it is Defender's; another partner's, or one that may be
  // either, keeps `{id}`, and the admin is told to set it (sent to Defender's, it would switch Defender's toggles).
  const connectorWithoutId = kind === 'DefenderConnector' && !(typeof p.spec.id === 'string' && p.spec.id.trim());
  const partner = connectorWithoutId ? (context.connectorPartner ?? 'unknown') : undefined;
  const endpoint = graphEndpoint(kind, partner === 'defender' ? { ...p.spec, id: MDE_CONNECTOR_ID } : p.spec, apiVersion)!;
  if (partner && partner !== 'defender') {
    const whose =
      partner === 'partner'
        ? "another Mobile Threat Defense partner's connector (Lookout, Zimperium…): the tenant's Defender for Endpoint connector is the file with its id"
        : "Defender for Endpoint's connector or another Mobile Threat Defense partner's: it cannot be told (a raw Graph export without its id, or one of several connector files without one)";
    warnings.push(
      `no \`id\`: this is ${whose}, so its endpoint keeps \`{id}\` (\`PATCH …/mobileThreatDefenseConnectors/{id}\`) rather than Defender's; set \`spec.id\` to the partner's connector id (from \`GET /deviceManagement/mobileThreatDefenseConnectors\`; Defender for Endpoint's is \`${MDE_CONNECTOR_ID}\`) and export again`,
    );
  }
  if (kind === 'DefenderConnector') delete body.id;
  const content: Json = { kind, name, source, apiVersion, endpoint: endpoint.create, body };
  const notes: string[] = [];
  if (apiVersion !== KINDS[kind].graphVersion) notes.push(`sent to beta: the body uses what only Graph beta has (${beta.slice(0, 5).join(', ')}${beta.length > 5 ? ', …' : ''})`);

  // The tenant's default restriction (priority 0) exists in every tenant and is only ever updated in place; it applies
  // to everyone no other restriction reaches, so it takes no assignment. Its id is the source tenant's.
  const tenantDefault = isTenantDefault(p);
  if (tenantDefault) {
    content.endpoint = `PATCH ${endpoint.collection}/{id}`;
    delete body.id;
    delete body.priority;
    notes.push(
      "the tenant's default enrollment configuration: every tenant has its own, so it is updated in place, never created (`{id}` is the target tenant's default, whose id ends in `_Default…`, from `GET …/deviceEnrollmentConfigurations`), and it is not assigned (it applies to everyone no other configuration of its type reaches)",
    );
  }

  if (KINDS[kind].assignable && endpoint.assign && !tenantDefault) {
    const targets: Json[] = [];
    const ours = p.raw ? undefined : obj(p.value?.assignments);
    strings(ours?.include).forEach((g, i) => {
      if (g === 'allUsers' || g === 'allDevices') targets.push({ target: graphTarget({ mode: 'include', builtin: g }) });
      else {
        const id = groupId(g, `assignments.include[${i}]`);
        if (id) targets.push({ target: graphTarget({ mode: 'include', groupId: id }) });
      }
    });
    strings(ours?.exclude).forEach((g, i) => {
      const id = groupId(g, `assignments.exclude[${i}]`);
      if (id) targets.push({ target: graphTarget({ mode: 'exclude', groupId: id }) });
    });
    // Graph-shaped assignments the spec carries (filters, other target types): sent as they are, group names resolved.
    // Only `target` is written: an assignment's id, source and type annotation are Graph's.
    for (const t of graphList) {
      const target = clone(obj(obj(keptAssignments[t.index])?.target) ?? {});
      if (typeof target.groupId === 'string' && target.groupId) {
        const id = groupId(target.groupId, `spec.assignments[${t.index}].target.groupId`);
        if (id) target.groupId = id;
      } else if (t.groupName) {
        // Named by display name only (IntuneCD): Graph takes the id, from the manifest.
        const id = groupId(t.groupName, `spec.assignments[${t.index}].target.groupName`);
        if (id) target.groupId = id;
        delete target.groupName;
        delete target.groupType;
      }
      targets.push({ target });
    }
    if (targets.length) {
      content.assign = { endpoint: endpoint.assign.endpoint, body: { [endpoint.assign.bodyKey]: targets } };
      if (endpoint.assign.note) notes.push(endpoint.assign.note);
    } else if (p.raw && p.spec.isAssigned === true) notes.push('not assigned here: the export does not list its assignments (its `isAssigned` is true), so assign it after creating it');
    else notes.push('not assigned: the policy has no assignments');
  }
  if (kind === 'AppProtectionPolicy' && Array.isArray(body.apps)) {
    // Apps are set with the targetApps action, not in the create body (facts §3.1).
    const apps = body.apps;
    delete body.apps;
    const targetBody: Json = { apps };
    if (typeof body.appGroupType === 'string') targetBody.appGroupType = body.appGroupType;
    content.targetApps = { endpoint: `POST ${endpoint.collection}/{id}/targetApps`, body: targetBody };
  }
  if (kind === 'ConditionalAccessPolicy') {
    const locations = obj(obj(body.conditions)?.locations);
    const ids = [...strings(locations?.includeLocations), ...strings(locations?.excludeLocations)].filter(isGuid);
    if (ids.length) notes.push(`named locations ${ids.join(', ')} must exist in the target tenant (ids are sent as they are)`);
  }
  if (notes.length || warnings.length || upnNotes.length || roleNotes.length) content.notes = [...notes, ...upnNotes, ...roleNotes, ...warnings];
  return errors.length ? { errors, warnings, userPrincipalNames: upns } : { content, errors, warnings, userPrincipalNames: upns };
}

/**
 * Endpoint DLP has no Graph CRUD (facts §7): the export is the Security & Compliance PowerShell calls that create the
 * policy and its rules, as cmdlet parameters.
 */
function exportDlp(p: PolicyFacts, name: string, source: string): ExportOutcome {
  const spec = p.spec!;
  const devices = obj(obj(spec.locations)?.devices);
  const policyParams: Json = { Name: name, Mode: spec.mode, EndpointDlpLocation: strings(devices?.include) };
  if (strings(devices?.exclude).length) policyParams.EndpointDlpLocationException = strings(devices?.exclude);
  if (typeof p.value?.description === 'string') policyParams.Comment = p.value.description;
  const rules = (Array.isArray(spec.rules) ? spec.rules : []).map(obj).filter((r): r is Json => !!r);
  const ruleCalls = rules.map((r) => {
    const params: Json = { Name: r.name, Policy: name };
    const sits = strings(r.sensitiveInfoTypes);
    if (sits.length) params.ContentContainsSensitiveInformation = sits.map((s) => ({ Name: s }));
    params.EndpointDlpRestrictions = (Array.isArray(r.restrictions) ? r.restrictions : [])
      .map(obj)
      .filter((x): x is Json => !!x)
      .map((x) => ({ Setting: DLP_SETTINGS[String(x.activity)] ?? x.activity, Value: DLP_VALUES[String(x.action)] ?? x.action }));
    return { cmdlet: 'New-DlpComplianceRule', parameters: params };
  });
  return {
    content: {
      kind: 'EndpointDlpPolicy',
      name,
      source,
      apiVersion: null,
      endpoint: null,
      powershell: [{ cmdlet: 'New-DlpCompliancePolicy', parameters: policyParams }, ...ruleCalls],
      notes: [
        'Purview has no Graph API to create DLP policies: run these cmdlets in Security & Compliance PowerShell (Connect-IPPSSession), in order',
        'EndpointDlpLocation takes group names or email addresses as Purview knows them, not Entra ids',
        'a Block or Warn restriction also needs -NotifyUser on the rule',
      ],
    },
    errors: [],
    warnings: [],
  };
}

/**
 * What a value Graph refuses is (`what`: "not a tenant id"), said first of a template's variable (`%msptenantid%`,
 * which CIPP fills in per tenant when it deploys the template but `ztp export` sends as written), as `ztp check` says it.
 */
function refused(value: string, what: string): string {
  return isTemplateVariable(value) ? `${templateVariableText(value)}, ${what}` : what;
}

/**
 * What Graph refuses that no JSON Schema generated from its metadata can say: rules between properties, and values an
 * enum lists but a property does not take. Each is documented on the resource's page (the source beside it), and
 * each gives a `schema` error, as Graph's 400 would. A value that is not there, or not of the documented type, is
 * the generated schema's to judge: these read only what is well-formed.
 */
import { asObject as obj, strings, type JsonPath } from '../document';
import type { PolicyKind } from '../kinds';
import { isTemplateVariable, type SchemaIssue } from './issue';
import { builtInRoleId, roleNameHint, ROLES_LISTED } from '../directory-roles';
import { singleFactorText, strengthFactors } from '../model/strength-factors';
import { deviceStatesFilter } from '../model/device-states';
import { filterRuleProblems } from '../device-filter-rule';

type Obj = Record<string, unknown>;

function typeName(spec: Obj): string {
  return typeof spec['@odata.type'] === 'string' ? spec['@odata.type'].replace(/^#?microsoft\.graph\./, '') : '';
}

/** The documented constraints a policy's `spec` breaks (paths from the file's root: `spec`, …). */
export function constraintIssues(kind: PolicyKind, value: unknown, raw = false): SchemaIssue[] {
  const spec = obj(obj(value)?.spec);
  if (!spec) return [];
  switch (kind) {
    case 'ConditionalAccessPolicy':
      return [...grantOperator(spec), ...passwordChange(spec), ...riskRemediation(spec), ...mfaWithStrength(spec), ...keywordCase(spec), ...applicationsRequired(spec), ...controlRequired(spec, raw), ...userValues(spec), ...locationValues(spec, raw), ...groupKeywords(spec), ...roleValues(spec), ...authenticationContexts(spec), ...workloadIdentityGrant(spec), ...registerDeviceAction(spec), ...persistentBrowserApps(spec), ...appEnforcedApps(spec), ...cloudAppSecurityClients(spec), ...everyTimeInterval(spec), ...deviceStatesCondition(spec), ...deviceFilterRule(spec)];
    case 'AppProtectionPolicy':
      return threatDefenseAction(spec);
    case 'AutopilotProfile':
      return deviceNameTemplate(spec);
    default:
      return [];
  }
}

/**
 * `grantControls.operator` is a string in Graph's metadata, but it takes `AND` or `OR` only ("Defines the relationship
 * of the grant controls. Possible values: AND, OR."; conditionalAccessGrantControls,
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols), as written. The grant evaluator reads
 * it without regard to case (a lowercase `or` is taken as `OR`), but the schema reports anything else, `or` included.
 */
export const GRANT_OPERATORS: readonly string[] = ['AND', 'OR'];

function grantOperator(spec: Obj): SchemaIssue[] {
  const operator = obj(spec.grantControls)?.operator;
  if (typeof operator !== 'string' || GRANT_OPERATORS.includes(operator)) return [];
  const fix = GRANT_OPERATORS.includes(operator.toUpperCase()) ? `: write \`${operator.toUpperCase()}\`, as Graph documents it` : ': allowed values are `AND` (every control) and `OR` (any one of them)';
  return [{ path: ['spec', 'grantControls', 'operator'], target: 'value', message: `\`operator\` is \`${operator}\`, which is not one of Graph's values${fix}` }];
}

/**
 * A CA policy's `conditions.applications` is required ("Applications and user actions included in and excluded from
 * the policy. Required."; conditionalAccessConditionSet, https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset):
 * Graph refuses to create the policy without it, so the file never becomes a policy. (`users` is not: "Either users
 * or clientApplications is required".)
 */
function applicationsRequired(spec: Obj): SchemaIssue[] {
  const conditions = obj(spec.conditions);
  if (!conditions || 'applications' in conditions) return [];
  return [
    {
      path: ['spec', 'conditions'],
      target: 'key',
      message:
        '`conditions` has no `applications` (target resources), which Graph requires: it refuses to create the policy, so this file never takes effect. ' +
        'Add `applications: { includeApplications: [All] }`, or the apps, user actions or authentication contexts it is meant for',
    },
  ];
}

/**
 * Whether a policy has (or may have) a session control: `sessionControls` is an object with a property. Graph returns
 * `null` for a policy with none; a v1.0 export of a policy whose only session control is beta's (continuous access
 * evaluation, token protection, Global Secure Access) holds the object with every v1.0 property `null`, so the object
 * alone counts.
 */
export function hasSessionControl(spec: Obj): boolean {
  const session = obj(spec.sessionControls);
  return !!session && Object.keys(session).some((k) => !k.startsWith('@'));
}

/** Whether a policy's `grantControls` asks for anything: a built-in control, an authentication strength, terms of use, a custom control. */
function hasGrantControl(spec: Obj): boolean {
  const grant = obj(spec.grantControls);
  if (!grant) return false;
  return strings(grant.builtInControls).length > 0 || !!obj(grant.authenticationStrength) || strings(grant.termsOfUse).length > 0 || strings(grant.customAuthenticationFactors).length > 0;
}

/**
 * A CA policy needs a grant or a session control ("A valid policy should contain at least one application rule … one
 * user rule … and at least one grant/session control"; Create conditionalAccessPolicy,
 * https://learn.microsoft.com/graph/api/conditionalaccessroot-post-policies): Graph refuses one with neither. A
 * `grantControls` written under `conditions` (a CIPP template of 2022 did so) is the usual cause.
 */
function controlRequired(spec: Obj, raw: boolean): SchemaIssue[] {
  if (hasGrantControl(spec) || hasSessionControl(spec)) return [];
  // A raw export that leaves both out says nothing of them (a `$select` list); one misspelled (`GrantControls`) is
  // the schema's own finding, with its "did you mean".
  if (raw && !('grantControls' in spec) && !('sessionControls' in spec)) return [];
  if (Object.keys(spec).some((k) => ['grantcontrols', 'sessioncontrols'].includes(k.toLowerCase()) && !(k in { grantControls: 1, sessionControls: 1 }))) return [];
  const misplaced = obj(spec.conditions) && ['grantControls', 'sessionControls'].find((k) => k in obj(spec.conditions)!);
  // On `conditions` when the control sits inside it (the schema's own finding is on the misplaced key itself).
  const at: JsonPath = 'grantControls' in spec ? ['spec', 'grantControls'] : 'sessionControls' in spec ? ['spec', 'sessionControls'] : misplaced ? ['spec', 'conditions'] : ['spec'];
  return [
    {
      path: at,
      target: 'key',
      message:
        'the policy has no grant control and no session control, which Graph requires of every Conditional Access policy: it refuses to create it, so this file never takes effect. ' +
        (misplaced
          ? `\`${misplaced}\` is written under \`conditions\`: move it up a level, beside \`conditions\``
          : 'Add `grantControls` (for example `{ operator: OR, builtInControls: [mfa] }`, or `[block]`) or a session control'),
    },
  ];
}

/** Learn's page of the actions for noncompliance and the platforms that offer each (`NONCOMPLIANCE_ACTION_PLATFORMS`). */
export const NONCOMPLIANCE_ACTIONS_SOURCE = 'https://learn.microsoft.com/intune/device-security/compliance/configure-noncompliance-actions';

/**
 * The compliance policy platforms as that page names them, one row each. They are not Conditional Access' platforms:
 * Android (AOSP) and Android Enterprise are both `android` there, yet the page offers them different actions. Read from a
 * policy's `@odata.type`, or from a settings catalog policy's `platforms` for Linux (`actionPlatformOf` in
 * model/compliance-actions.ts).
 */
export type ComplianceActionPlatform = 'androidDeviceAdministrator' | 'aosp' | 'androidEnterprise' | 'iOS' | 'macOS' | 'windows' | 'linux';

export const COMPLIANCE_ACTION_PLATFORM_LABELS: Readonly<Record<ComplianceActionPlatform, string>> = {
  androidDeviceAdministrator: 'Android device administrator',
  aosp: 'Android (AOSP)',
  androidEnterprise: 'Android Enterprise',
  iOS: 'iOS/iPadOS',
  macOS: 'macOS',
  windows: 'Windows',
  linux: 'Linux',
};

/**
 * The platforms that offer each action for noncompliance that not every platform offers, as `NONCOMPLIANCE_ACTIONS_SOURCE`
 * lists them (MicrosoftDocs/memdocs @ 178cc023, intune/device-security/compliance/configure-noncompliance-actions.md):
 * "Remotely lock the noncompliant device" (`remoteLock`) on Android device administrator, Android (AOSP), Android
 * Enterprise (fully managed, dedicated, corporate-owned and personally owned work profile), iOS/iPadOS and macOS;
 * "Add device to retire list" (`retire`) on those and Windows; "Send push notification to end user"
 * (`pushNotification`) on Android device administrator, Android Enterprise and iOS/iPadOS. Linux is in none of the
 * three lists. "Mark device noncompliant" (`block`) and "Send email to end user" (`notification`) are "supported on all
 * platforms supported by Intune", so they are not here; nor are Graph's `wipe`, `removeResourceAccessProfiles` and
 * `noAction`, which the page does not list (what they do is unknown, not reported). The one table the `actionType`
 * hover, completion and `compliance-action-ineffective` (its check and its message) read.
 */
export const NONCOMPLIANCE_ACTION_PLATFORMS: Readonly<Record<string, readonly ComplianceActionPlatform[]>> = {
  remoteLock: ['androidDeviceAdministrator', 'aosp', 'androidEnterprise', 'iOS', 'macOS'],
  retire: ['androidDeviceAdministrator', 'aosp', 'androidEnterprise', 'iOS', 'macOS', 'windows'],
  pushNotification: ['androidDeviceAdministrator', 'androidEnterprise', 'iOS'],
};

/** The platforms that offer an action, when the table lists it (any other action: undefined, offered or unknown). */
export function platformsOfferingAction(action: string): readonly ComplianceActionPlatform[] | undefined {
  return Object.hasOwn(NONCOMPLIANCE_ACTION_PLATFORMS, action) ? NONCOMPLIANCE_ACTION_PLATFORMS[action] : undefined;
}

/** The actions of `NONCOMPLIANCE_ACTION_PLATFORMS` that Intune does not offer on a platform. */
export function noncomplianceActionsNotOffered(platform: ComplianceActionPlatform): string[] {
  return Object.keys(NONCOMPLIANCE_ACTION_PLATFORMS)
    .filter((action) => !NONCOMPLIANCE_ACTION_PLATFORMS[action]!.includes(platform))
    .sort();
}

/** Where the table lists an action as offered, for a message (`Android device administrator, … and iOS/iPadOS`). */
export function noncomplianceActionOfferedOn(action: string): string | undefined {
  const labels = platformsOfferingAction(action)?.map((p) => COMPLIANCE_ACTION_PLATFORM_LABELS[p]);
  if (!labels) return undefined;
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : labels.join('');
}

/**
 * The keywords of a CA policy's user, application and location lists, as Graph spells them: `All`, `None`,
 * `GuestsOrExternalUsers`, `AllAgentIdUsers` (conditionalAccessUsers), `All`, `None`, `Office365`, `MicrosoftAdminPortals`
 * (conditionalAccessApplications), `All`, `AllTrusted` (conditionalAccessLocations). These lists hold ids besides, so
 * no enum says so; and the casing differs from the enums beside them (`clientAppTypes` and platforms take `all`), a
 * known trap (microsoftgraph/msgraph-metadata#702: users, applications and locations support `All`, those three `all`).
 */
export const LIST_KEYWORDS: readonly { at: readonly string[]; keys: readonly string[]; words: readonly string[] }[] = [
  // `AllAgentIdUsers`: the agents' user accounts ("All agents acting as users"), which `All` does not take in
  // (https://learn.microsoft.com/entra/agent-id/disable-agent-identities; j0eyv's baseline CA503–505 use it).
  { at: ['conditions', 'users'], keys: ['includeUsers', 'excludeUsers'], words: ['All', 'None', 'GuestsOrExternalUsers', 'AllAgentIdUsers'] },
  { at: ['conditions', 'applications'], keys: ['includeApplications', 'excludeApplications'], words: ['All', 'None', 'Office365', 'MicrosoftAdminPortals'] },
  { at: ['conditions', 'locations'], keys: ['includeLocations', 'excludeLocations'], words: ['All', 'AllTrusted'] },
];

/**
 * A keyword of those lists in another case (`all`, `alltrusted`): a warning. Graph takes it as the keyword and keeps
 * it as sent (a live tenant's export holds `includeApplications: ["all"]`: PathwayITSolutions/ConditionalAccess, CA007),
 * and the checks read it so (`canonicalCaKeywords` in facts.ts), but Graph documents the keyword's own casing and
 * tools that compare strings do not.
 */
function keywordCase(spec: Obj): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  for (const list of LIST_KEYWORDS) {
    let at: Obj | undefined = spec;
    for (const k of list.at) at = obj(at?.[k]);
    for (const key of list.keys) {
      const values = at?.[key];
      if (!Array.isArray(values)) continue;
      values.forEach((v, i) => {
        if (typeof v !== 'string') return;
        const word = list.words.find((w) => w.toLowerCase() === v.toLowerCase());
        if (!word || word === v) return;
        out.push({
          path: ['spec', ...list.at, key, i],
          target: 'value',
          severity: 'warning',
          graphTakesIt: true,
          message: `\`${v}\` is Graph's keyword \`${word}\` in another case: write \`${word}\`, as Graph documents it (in \`${key}\`: ${listWords(list.words)}; \`clientAppTypes\` and platforms take \`all\`). The checks read it as \`${word}\`, as Graph does, but tools that compare strings do not`,
        });
      });
    }
  }
  return out;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `includeUsers`/`excludeUsers` take users' object ids and the keywords `All`, `None`, `GuestsOrExternalUsers` and
 * `AllAgentIdUsers` (`LIST_KEYWORDS`; conditionalAccessUsers,
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessusers); the format adds
 * user principal names, which `ztp export` leaves for the author to replace. Anything else (`notauser`, a template's
 * `OBJECTID-BREAKGLASS-1`) Graph refuses: an error. Any string with an `@` may be a user principal name, so none is
 * reported; a keyword in another case is `keywordCase`'s.
 */
function userValues(spec: Obj): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const users = obj(obj(spec.conditions)?.users);
  for (const key of ['includeUsers', 'excludeUsers']) {
    const values = users?.[key];
    if (!Array.isArray(values)) continue;
    values.forEach((v, i) => {
      if (typeof v !== 'string' || v.includes('@') || GUID.test(v.trim()) || USER_WORDS.includes(v.toLowerCase())) return;
      out.push({
        path: ['spec', 'conditions', 'users', key, i],
        target: 'value',
        message: `\`${v}\` in \`${key}\` is neither a user principal name, a user's object id (a GUID), nor ${listWords(USER_KEYWORDS)}: Graph refuses it. Write the user's UPN or object id (a group goes in \`${key.replace('Users', 'Groups')}\`)`,
      });
    });
  }
  return out;
}

/**
 * The references a location list takes besides named locations' ids: `All` and `AllTrusted` (`LIST_KEYWORDS`), and the
 * Global Secure Access compliant network, `AllCompliantNetworkLocations` (`COMPLIANT_NETWORK` in model/named-locations.ts).
 */
const LOCATION_WORDS = [...LIST_KEYWORDS[2]!.words, 'AllCompliantNetworkLocations'];

/**
 * Whether Graph takes a value of `includeLocations`/`excludeLocations`: a named location's id (a GUID) or one of
 * `LOCATION_WORDS`, in any case (another case is `keywordCase`'s warning). `ztp export` reads the same answer.
 */
export function isLocationReference(value: string): boolean {
  const v = value.trim();
  return GUID.test(v) || LOCATION_WORDS.some((w) => w.toLowerCase() === v.toLowerCase());
}

/**
 * `includeLocations`/`excludeLocations` take named locations' ids and the keywords above ("Location IDs in scope of
 * policy unless explicitly excluded, All, or AllTrusted": conditionalAccessLocations,
 * https://learn.microsoft.com/graph/api/resources/conditionalaccesslocations); no name is resolved on export. Anything
 * else (a display name, `{NL-AllowedCountries-Id}`) Graph refuses: an error in a file of this format, which `ztp
 * export` sends as written. A template's variable of a style the product knows is said to be one
 * (`templateVariableIssues` in validator.ts). In a raw export, which Graph never returns so, the file is a template's
 * body whose tool fills the value in (CIPP resolves a named location by its display name): information, as a raw
 * export's template variables are, checked only once it is filled in.
 */
function locationValues(spec: Obj, raw: boolean): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const locations = obj(obj(spec.conditions)?.locations);
  for (const key of ['includeLocations', 'excludeLocations']) {
    const values = locations?.[key];
    if (!Array.isArray(values)) continue;
    values.forEach((v, i) => {
      if (typeof v !== 'string' || isLocationReference(v)) return;
      const what = `\`${v}\` in \`${key}\` is neither a named location's id (a GUID) nor ${listWords(LOCATION_WORDS)}`;
      out.push(
        raw && !isTemplateVariable(v)
          ? { path: ['spec', 'conditions', 'locations', key, i], target: 'value', severity: 'information', message: `${what}: Graph never exports one so, so this file is a template whose tool fills it in per tenant (CIPP resolves a named location by its display name), checked only once it is. \`ztp export\` sends it as written, which Graph refuses` }
          : { path: ['spec', 'conditions', 'locations', key, i], target: 'value', message: `${what}: Graph refuses it, so the policy cannot be deployed as written. Write the named location's id (Entra ID > Conditional Access > Named locations), or \`AllTrusted\`` },
      );
    });
  }
  return out;
}

/**
 * `includeAuthenticationContextClassReferences` names authentication contexts by id: "Organizations can create up to 99
 * authentication context definitions (c1-c99)" (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#configure-authentication-contexts;
 * Graph's authContext: "Supported values are c1 through c99"; authenticationContextClassReference's "c1 through c25"
 * is older). A mistyped id (`cx`, `c0`, `C1`, `c100`) names no context a resource can ask for, so the step-up it
 * guards never comes.
 */
const CONTEXT_ID = /^c([1-9]|[1-9][0-9])$/;

function authenticationContexts(spec: Obj): SchemaIssue[] {
  const values = obj(obj(spec.conditions)?.applications)?.includeAuthenticationContextClassReferences;
  if (!Array.isArray(values)) return [];
  const out: SchemaIssue[] = [];
  values.forEach((v, i) => {
    if (typeof v !== 'string' || CONTEXT_ID.test(v)) return;
    const lower = v.toLowerCase();
    const fix = CONTEXT_ID.test(lower) ? `write \`${lower}\` (ids are lower case)` : 'write the id of the authentication context it means, from `c1` to `c99` (Entra ID > Protection > Conditional Access > Authentication contexts)';
    out.push({ path: ['spec', 'conditions', 'applications', 'includeAuthenticationContextClassReferences', i], target: 'value', message: `\`${v}\` is no authentication context id: Graph takes \`c1\` through \`c99\`; ${fix}` });
  });
  return out;
}

/**
 * A policy for workload identities (`clientApplications.includeServicePrincipals`) can only block: "Under Grant, Block
 * access is the only available option" (https://learn.microsoft.com/entra/identity/conditional-access/workload-identity).
 * A service principal does no MFA and has no device, so Graph refuses any other control there.
 */
function workloadIdentityGrant(spec: Obj): SchemaIssue[] {
  const conditions = obj(spec.conditions);
  if (!strings(obj(conditions?.clientApplications)?.includeServicePrincipals).length) return [];
  const controls = strings(obj(spec.grantControls)?.builtInControls);
  const others = controls.filter((c) => c !== 'block');
  if (!others.length) return [];
  return [
    {
      path: ['spec', 'grantControls', 'builtInControls'],
      target: 'key',
      message: `a policy for workload identities (\`clientApplications.includeServicePrincipals\`) can only block, but this one grants with ${others.map((c) => `\`${c}\``).join(', ')}: a service principal does no MFA and has no device, and Graph refuses it. Use \`builtInControls: [block]\` (with the conditions that say when: locations, service principal risk)`,
    },
  ];
}

/** The user action "Register or join devices". */
const REGISTER_DEVICE = 'urn:user:registerdevice';

/**
 * A policy for the user action "Register or join devices" (`includeUserActions: [urn:user:registerdevice]`): "`Require
 * multifactor authentication` and `Require auth strength` are the only access controls available with this user action
 * and all others are disabled", and "`Client apps`, `Filters for devices`, and `Device state` conditions aren't
 * available with this user action" (Learn, target resources, user actions:
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#user-actions). A
 * device being registered or joined is not registered yet, so a device control cannot be met there: as written, nobody
 * could register or join a device. Block is left to the sign-in (Learn names the grant controls). A device condition
 * (a filter, device states) reads a device that is not registered yet, so the policy does nothing for the devices it
 * names. The client apps condition the portal hides is not reported: a deployed Terraform module writes
 * `clientAppTypes` there, and whether Graph refuses it is not documented.
 */
function registerDeviceAction(spec: Obj): SchemaIssue[] {
  const conditions = obj(spec.conditions);
  const actions = strings(obj(conditions?.applications)?.includeUserActions).map((a) => a.toLowerCase());
  if (!actions.includes(REGISTER_DEVICE)) return [];
  const out: SchemaIssue[] = [];
  const action = 'the user action `urn:user:registerdevice` (Register or join devices)';
  const grant = obj(spec.grantControls);
  strings(grant?.builtInControls).forEach((c, i) => {
    if (c === 'mfa' || c === 'block') return;
    out.push({ path: ['spec', 'grantControls', 'builtInControls', i], target: 'value', message: `\`${c}\` cannot be required for ${action}: Entra offers only \`mfa\` and an authentication strength there, and a device being registered or joined cannot meet a device control, so nobody could register or join one. Use \`mfa\` or an authentication strength` });
  });
  for (const key of ['termsOfUse', 'customAuthenticationFactors']) {
    if (strings(grant?.[key]).length) out.push({ path: ['spec', 'grantControls', key], target: 'key', message: `\`${key}\` cannot be required for ${action}: Entra offers only \`mfa\` and an authentication strength there. Remove it` });
  }
  // A device condition: the device is not registered yet, so a filter or a state has nothing to read, and the
  // policy does nothing for the devices it was written for (a block of personal devices blocks none).
  const devices = obj(conditions?.devices);
  for (const key of ['deviceFilter', 'includeDeviceStates', 'excludeDeviceStates', 'includeDevices', 'excludeDevices']) {
    const v = devices?.[key];
    if (v === undefined || v === null || (Array.isArray(v) && !v.length)) continue;
    out.push({ path: ['spec', 'conditions', 'devices', key], target: 'key', message: `${action} takes no device condition (\`devices.${key}\`), which Entra does not offer there: the device is not registered yet, so nothing about it can be read, and the policy does nothing for the devices it names. Remove it` });
  }
  return out;
}

/**
 * The device state condition (`conditions.deviceStates`: `includeStates: [All]`, `excludeStates` `Compliant` and
 * `DomainJoined`) is deprecated, beta only, and replaced by the filter for devices
 * (https://learn.microsoft.com/graph/api/resources/conditionalaccessdevicestates?view=graph-rest-beta; facts §1.1): a
 * warning that names the filter it reads as (`deviceFilterOf`, which What If and the lockout check evaluate), to write
 * instead. Graph still takes it. It cannot be combined with a device filter (facts §1.1 [DOC]; conditionalAccessDevices,
 * beta: "Cannot be set if deviceFilter is set"): an error, Graph refusing the policy. Values outside the documented
 * ones are the generated schema's (the overlay's `values`). `deviceStates: null`, which a beta export writes on every
 * policy, is no condition.
 */
function deviceStatesCondition(spec: Obj): SchemaIssue[] {
  const conditions = obj(spec.conditions);
  const states = obj(conditions?.deviceStates);
  if (!states || (!strings(states.includeStates).length && !strings(states.excludeStates).length)) return [];
  const filter = obj(obj(conditions?.devices)?.deviceFilter);
  if (typeof filter?.rule === 'string' && filter.rule.trim()) {
    return [{ path: ['spec', 'conditions', 'deviceStates'], target: 'key', message: 'the deprecated device state condition (`deviceStates`) cannot be combined with a device filter (`devices.deviceFilter`): Graph refuses the policy. Keep the filter (it can say the same: `device.isCompliant`, `device.trustType`) and remove `deviceStates`' }];
  }
  const read = deviceStatesFilter(states);
  const rule = read?.mode === 'exclude' ? read.rule : undefined;
  return [
    {
      path: ['spec', 'conditions', 'deviceStates'],
      target: 'key',
      severity: 'warning',
      graphTakesIt: true,
      deprecated: true,
      message:
        'the device state condition (`deviceStates`) is deprecated and beta only: Microsoft replaced it with the filter for devices, which Graph v1.0 takes too. ' +
        (rule
          ? `The checks read it as that filter: write \`devices: { deviceFilter: { mode: exclude, rule: '${rule}' } }\` instead and remove \`deviceStates\``
          : 'As written it says what Graph does not document (`includeStates` takes `All` only, `excludeStates` `Compliant` and `DomainJoined`), so whether the policy applies to a device is unknown to the checks: write the filter it means under `devices.deviceFilter` (`device.isCompliant -eq True`, `device.trustType -eq "ServerAD"`) and remove `deviceStates`'),
    },
  ];
}

const USER_KEYWORDS = LIST_KEYWORDS[0]!.words;
const USER_WORDS = USER_KEYWORDS.map((w) => w.toLowerCase());

/**
 * The `includeUsers` keyword (`All`, `None`, `GuestsOrExternalUsers`, `AllAgentIdUsers`) an `includeGroups` or
 * `excludeGroups` entry writes, in Graph's spelling, or undefined. Those lists take group ids only ("Group IDs in scope
 * of policy"; conditionalAccessUsers, https://learn.microsoft.com/graph/api/resources/conditionalaccessusers), so Graph
 * refuses `includeGroups: [All]` (Microsoft's Terraform sample CA001 writes it): it names no group. The one answer the
 * schema, `unresolved-group`, the facts' group references and the lockout check's samples read. Where the manifest
 * declares a group of that name (`- name: All` with an id, which `ztp export` resolves), the entry is that group: the
 * tenant's view drops the issue and keeps the reference (`withManifestGroups` in model/groups.ts), and the lockout check
 * signs in as its member.
 */
export function usersKeywordAsGroup(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const i = USER_WORDS.indexOf(value.trim().toLowerCase());
  return i < 0 ? undefined : USER_KEYWORDS[i];
}

function groupKeywords(spec: Obj): SchemaIssue[] {
  const users = obj(obj(spec.conditions)?.users);
  const out: SchemaIssue[] = [];
  for (const key of ['includeGroups', 'excludeGroups'] as const) {
    const values = users?.[key];
    if (!Array.isArray(values)) continue;
    const usersKey = key === 'includeGroups' ? 'includeUsers' : 'excludeUsers';
    values.forEach((v, i) => {
      const keyword = usersKeywordAsGroup(v);
      if (!keyword) return;
      out.push({
        path: ['spec', 'conditions', 'users', key, i],
        target: 'value',
        message: `\`${String(v)}\` is a keyword of \`${usersKey}\`, not a group: \`${key}\` takes group ids, and Graph refuses the policy. Move it to \`${usersKey}\` (\`${usersKey}: [${keyword}]\`)`,
        keywordAsGroup: String(v),
      });
    });
  }
  return out;
}

/**
 * `includeRoles`/`excludeRoles` take directory role template ids (conditionalAccessUsers); the format also takes a
 * built-in role's name (`Global Administrator`, as the manifest's `breakGlass.roles` does), which `ztp export` writes
 * as its id. A name this tool's table does not hold Graph would refuse (400) as sent, but the table is Learn's list
 * of one date and Microsoft adds roles after it (`AI Administrator`, `Agent ID Administrator`): a warning that says
 * so, with the role a typo probably meant, never a claim that no such role exists.
 */
function roleValues(spec: Obj): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const users = obj(obj(spec.conditions)?.users);
  for (const key of ['includeRoles', 'excludeRoles']) {
    const values = users?.[key];
    if (!Array.isArray(values)) continue;
    values.forEach((v, i) => {
      if (typeof v !== 'string' || GUID.test(v.trim()) || builtInRoleId(v)) return;
      out.push({ path: ['spec', 'conditions', 'users', key, i], target: 'value', severity: 'warning', message: unknownRoleMessage(v, key) });
    });
  }
  return out;
}

/**
 * The message for a role that is neither a template id nor a role name this tool knows (CA lists and the manifest).
 * It says what the tool does not know, not that the role does not exist: Learn's list grows after the table's date.
 */
export function unknownRoleMessage(value: string, key: string): string {
  const hint = roleNameHint(value);
  return (
    `\`${value}\` in \`${key}\` is not a directory role's template id (a GUID), nor a built-in Entra role name in this tool's list ` +
    `(Learn's "Microsoft Entra built-in roles" of ${ROLES_LISTED}${hint ? `; did you mean \`${hint}\`?` : ''}): ` +
    (key === 'breakGlass.roles'
      ? `the checks match it to a policy's role only by this same name, not by the role's template id, so write ${hint ? `\`${hint}\` or ` : ''}the template id`
      : `Graph takes the template id, and \`ztp export\` cannot write one for a name it does not know, so write ${hint ? `\`${hint}\` or ` : ''}the role's template id`)
  );
}

function listWords(words: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  const quoted = words.map((w) => `\`${w}\``);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}` : quoted[0]!;
}

/** A built-in grant control of a CA policy: its grant, the grant's built-in controls, and the control's place. */
interface GrantControlAt {
  grant: Obj;
  controls: string[];
  path: JsonPath;
}

function grantControlAt(spec: Obj, control: string): GrantControlAt | undefined {
  const grant = obj(spec.grantControls);
  const controls = strings(grant?.builtInControls);
  const at = controls.indexOf(control);
  return grant && at >= 0 ? { grant, controls, path: ['spec', 'grantControls', 'builtInControls', at] } : undefined;
}

/**
 * Where to report a control Graph takes only beside a companion under `operator: AND` (`passwordChange` with MFA,
 * `riskRemediation` with an authentication strength): on the operator when it is not `AND`, else on the control;
 * undefined when the grant has both.
 */
function missingCompanion(g: GrantControlAt, companion: boolean): JsonPath | undefined {
  const operator = g.grant.operator;
  const and = typeof operator === 'string' && operator.toUpperCase() === 'AND';
  if (and && companion) return undefined;
  return !and && typeof operator === 'string' ? ['spec', 'grantControls', 'operator'] : g.path;
}

/** The conditions a `passwordChange` policy may set: "users, applications and userRiskLevels" (and `clientAppTypes: [all]`, no condition). */
const PASSWORD_CHANGE_CONDITIONS = ['users', 'applications', 'userRiskLevels'];

/**
 * Whether a condition's value sets anything: a non-empty list, a string, a number or a boolean, or an object one of whose
 * properties does. `null` and empty lists (a raw Graph export's `platforms: null`, `locations: { includeLocations: [] }`)
 * set nothing.
 */
function setsCondition(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'string') return v.length > 0;
  const o = obj(v);
  if (o) return Object.entries(o).some(([k, x]) => !k.includes('@') && setsCondition(x));
  return true;
}

/** The conditions a `passwordChange` policy sets beyond users, applications and user risk, by key. */
function otherConditions(spec: Obj): string[] {
  const conditions = obj(spec.conditions);
  if (!conditions) return [];
  return Object.keys(conditions).filter((k) => {
    // Annotations (`userRiskLevels@odata.type`) are a raw export's, no condition.
    if (k.includes('@') || PASSWORD_CHANGE_CONDITIONS.includes(k)) return false;
    // `clientAppTypes: [all]` is Graph's way of writing no client app condition.
    if (k === 'clientAppTypes') return strings(conditions[k]).some((c) => c.toLowerCase() !== 'all');
    return setsCondition(conditions[k]);
  });
}

/** What keeps a policy's target resources from being All resources with nothing excluded, in words, or nothing. */
function notAllResources(spec: Obj): string | undefined {
  const apps = obj(obj(spec.conditions)?.applications);
  if (!apps) return undefined; // `applicationsRequired` reports it.
  const include = strings(apps.includeApplications);
  if (!include.some((a) => a.toLowerCase() === 'all')) {
    const named = include.length ? `targets ${include.slice(0, 3).map((a) => `\`${a}\``).join(', ')}${include.length > 3 ? '…' : ''}` : 'targets no app';
    return `${named}, not \`All\` resources`;
  }
  if (strings(apps.excludeApplications).length) return `excludes ${strings(apps.excludeApplications).map((a) => `\`${a}\``).join(', ')} from All resources`;
  if (setsCondition(apps.applicationFilter)) return 'leaves some apps out of All resources with `applicationFilter`';
  return undefined;
}

/**
 * `passwordChange`: with `mfa` (or an authentication strength) under `AND`, never with `riskRemediation`, only in a
 * policy with `userRiskLevels`, for All resources with none excluded, and with no condition but users, applications and
 * user risk. Source: conditionalAccessGrantControls, "Special considerations when using passwordChange as a control"
 * (https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols); Graph answers a policy with another
 * condition (`clientAppTypes`) with 400 "1032: ConditionalActionPolicy validation failed due to
 * InvalidPasswordResetControl" (AlexFilipin/ConditionalAccess#4). Learn's grant controls page says the same of All
 * resources, and adds that "Require password change can't be used with other controls, such as requiring a compliant
 * device" (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant#require-password-change):
 * Graph's page does not list that one, so it is a warning (the admin center does not offer it; whether Graph refuses
 * it is not documented). `mfa` beside it is required, not another control.
 */
export function passwordChange(spec: Obj): SchemaIssue[] {
  const g = grantControlAt(spec, 'passwordChange');
  if (!g) return [];
  const { grant, controls, path } = g;
  const out: SchemaIssue[] = [];
  if (controls.includes('riskRemediation')) {
    out.push({ path, target: 'value', message: '`passwordChange` and `riskRemediation` cannot be in one grant: Graph refuses the policy. Keep one of them (risk remediation, with an authentication strength, or a password change with `mfa`)' });
  }
  const missing = missingCompanion(g, controls.includes('mfa') || obj(grant.authenticationStrength) !== undefined);
  if (missing) {
    out.push({
      path: missing,
      target: 'value',
      message: '`passwordChange` must come with `mfa` (or an authentication strength) under `operator: AND`: Graph refuses the policy otherwise, so the password change is never asked for. Set `operator: AND` and add `mfa`',
    });
  }
  const risk = obj(spec.conditions)?.userRiskLevels;
  if (!strings(risk).length) {
    out.push({ path, target: 'value', message: '`passwordChange` is only allowed in a policy with `conditions.userRiskLevels` (a secure password change remediates user risk): Graph refuses the policy otherwise. Add `userRiskLevels: [high]`' });
  }
  const apps = notAllResources(spec);
  if (apps) {
    out.push({
      path,
      target: 'value',
      message:
        `\`passwordChange\` requires a policy for All resources with none excluded, but this one ${apps}: Graph refuses the policy (an attacker could otherwise change the password through another app and reset the account's risk). ` +
        'Set `includeApplications: [All]` with no `excludeApplications`',
    });
  }
  const others = otherConditions(spec);
  if (others.length) {
    out.push({
      path,
      target: 'value',
      message:
        `\`passwordChange\` is only allowed in a policy whose conditions are users, applications and user risk, but this one also sets ${listWords(others.map((k) => `conditions.${k}`), 'and')}: Graph refuses the policy. ` +
        'Remove it: the user risk policy applies wherever the user signs in',
    });
  }
  const extra = [...controls.filter((c) => c !== 'passwordChange' && c !== 'mfa' && c !== 'riskRemediation'), ...(['termsOfUse', 'customAuthenticationFactors'] as const).filter((k) => strings(grant[k]).length)];
  if (extra.length) {
    out.push({
      path,
      target: 'value',
      severity: 'warning',
      message:
        `\`passwordChange\` cannot be combined with other controls (Learn: "Require password change can't be used with other controls, such as requiring a compliant device"), but this grant also requires ${listWords(extra, 'and')}: ` +
        'the admin center does not let you save such a policy, and Graph does not document whether it refuses it. Keep `mfa` and `passwordChange` alone here, and require the other control in a policy of its own',
    });
  }
  return out;
}

/**
 * `riskRemediation` (Microsoft-managed remediation of user risk): with an authentication strength under `AND`. Its
 * clash with `passwordChange` is reported there. Source: conditionalAccessGrantControls, "Special considerations"
 * ("riskRemediation must be accompanied by authenticationStrength using an AND operator";
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols?view=graph-rest-beta).
 */
export function riskRemediation(spec: Obj): SchemaIssue[] {
  const g = grantControlAt(spec, 'riskRemediation');
  const missing = g && missingCompanion(g, obj(g.grant.authenticationStrength) !== undefined);
  if (!missing) return [];
  return [
    {
      path: missing,
      target: 'value',
      message:
        '`riskRemediation` must come with an authentication strength (`authenticationStrength`) under `operator: AND`: Graph refuses the policy otherwise, ' +
        'so the risk is never remediated. Set `operator: AND` and add the authentication strength (`mfa` alone does not do)',
    },
  ];
}

/**
 * `mfa` beside an authentication strength in one grant: "Require multifactor authentication and Require authentication
 * strength can't be used together in the same Conditional Access policy" (the built-in strength Multifactor
 * authentication is the same control), and the portal does not save such a policy. Reported on the `mfa` entry, as the
 * other grant combinations are on theirs. Source: Authentication strengths, "Limitations"
 * (https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths).
 */
export function mfaWithStrength(spec: Obj): SchemaIssue[] {
  const g = grantControlAt(spec, 'mfa');
  const strength = g ? obj(g.grant.authenticationStrength) : undefined;
  if (!g || strength === undefined) return [];
  return [
    {
      path: g.path,
      target: 'value',
      message:
        '`mfa` and an authentication strength (`authenticationStrength`) cannot be in one policy: Entra refuses the policy (Learn, authentication strengths: ' +
        `"Require multifactor authentication and Require authentication strength can't be used together"). ${mfaWithStrengthAdvice(strength)}`,
    },
  ];
}

/** A session control the policy sets and has not turned off (`isEnabled: false`). */
function sessionControl(spec: Obj, key: string): Obj | undefined {
  const control = obj(obj(spec.sessionControls)?.[key]);
  return control && control.isEnabled !== false ? control : undefined;
}

/** The apps a policy includes (`conditions.applications.includeApplications`), or undefined when it has no `applications`. */
function includedApps(spec: Obj): string[] | undefined {
  const apps = obj(obj(spec.conditions)?.applications);
  return apps ? strings(apps.includeApplications) : undefined;
}

/** "targets `a`, `b`, `c`…", or "targets no app". */
function targetsText(include: string[]): string {
  return include.length ? `targets ${include.slice(0, 3).map((a) => `\`${a}\``).join(', ')}${include.length > 3 ? '…' : ''}` : 'targets no app';
}

/**
 * A session control set on sign-ins it does not act on as Graph or Learn documents it: a warning on the control's key,
 * Graph taking the policy as written. The one shape of the session controls' scope checks (`persistentBrowserApps`,
 * `appEnforcedApps`, `cloudAppSecurityClients`).
 */
function sessionScopeIssue(key: string, message: string): SchemaIssue {
  return { path: ['spec', 'sessionControls', key], target: 'key', severity: 'warning', graphTakesIt: true, message };
}

/**
 * The persistent browser session control on a policy that does not target All resources: "All apps should be selected
 * for this session control to work correctly" (conditionalAccessSessionControls,
 * https://learn.microsoft.com/graph/api/resources/conditionalaccesssessioncontrols). Graph takes it; the browser
 * session it sets is the one sign-in session of every app, so set for Office 365 alone it does not do what it says.
 * A warning, on `persistentBrowser`.
 */
function persistentBrowserApps(spec: Obj): SchemaIssue[] {
  const control = sessionControl(spec, 'persistentBrowser');
  const include = includedApps(spec);
  if (!control || !include || include.some((a) => a.toLowerCase() === 'all')) return [];
  const mode = typeof control.mode === 'string' ? ` (\`${control.mode}\`)` : '';
  return [
    sessionScopeIssue(
      'persistentBrowser',
      `the persistent browser session control${mode} works correctly only in a policy for All resources (Graph: "All apps should be selected for this session control to work correctly"), but this policy ${targetsText(include)}: ` +
        'the browser session is one for every app, so the setting may not hold. Graph takes the policy as written. Set `includeApplications: [All]` (keeping the other conditions, such as the unmanaged devices filter), or move the persistent browser setting to a policy for All resources',
    ),
  ];
}

/** Office 365 Exchange Online and SharePoint Online, the apps that act on app enforced restrictions, and what holds them. */
const APP_ENFORCED_APPS: ReadonlySet<string> = new Set(['all', 'office365', '00000002-0000-0ff1-ce00-000000000000', '00000003-0000-0ff1-ce00-000000000000']);

/**
 * App enforced restrictions on a policy none of whose apps acts on them: "Only Exchange Online and Sharepoint Online
 * support this session control" (conditionalAccessSessionControls,
 * https://learn.microsoft.com/graph/api/resources/conditionalaccesssessioncontrols). Entra passes the device state to
 * the app, and only those two limit the session by it, so for another app the control does nothing. A policy that
 * includes All resources, `Office365`, Exchange Online or SharePoint Online is silent (the control acts there); so is
 * one that names no app (an authentication context, which SharePoint sites read). A warning, on
 * `applicationEnforcedRestrictions`, built as the persistent browser one is.
 */
function appEnforcedApps(spec: Obj): SchemaIssue[] {
  const include = includedApps(spec);
  if (!sessionControl(spec, 'applicationEnforcedRestrictions') || !include?.length || include.some((a) => APP_ENFORCED_APPS.has(a.toLowerCase()))) return [];
  return [
    sessionScopeIssue(
      'applicationEnforcedRestrictions',
      `app enforced restrictions act only in Exchange Online and SharePoint Online (Graph: "Only Exchange Online and Sharepoint Online support this session control"), but this policy ${targetsText(include)}: ` +
        'the app does not limit the session by the device state Entra passes it, so the control does nothing. Graph takes the policy as written. Target Office 365 Exchange Online (`00000002-0000-0ff1-ce00-000000000000`) and SharePoint Online (`00000003-0000-0ff1-ce00-000000000000`), or `Office365`, and set the limited access in those services; ' +
        'for another app, a Conditional Access App Control session (`cloudAppSecurity`) limits browser sessions',
    ),
  ];
}

/** The App Control session types that are session policies of Defender for Cloud Apps (`mcasConfigured` may be an access policy). */
const APP_CONTROL_SESSIONS: Readonly<Record<string, string>> = { blockDownloads: 'downloads are never blocked', monitorOnly: 'no session is monitored' };

/**
 * A Conditional Access App Control session (`cloudAppSecurity` with `blockDownloads` or `monitorOnly`) on a policy
 * that takes in no browser sign-in (`clientAppTypes` only `mobileAppsAndDesktopClients`, `exchangeActiveSync` or
 * `other`): Defender for Cloud Apps controls sessions in browsers ("Scope of support for session control": the latest
 * Edge, Chrome, Firefox and Safari; troubleshooting access and session controls: "Session controls are available for
 * browser-based sessions"), so the session control never acts. `mcasConfigured` (a custom policy) is left alone: an
 * access policy of Defender for Cloud Apps may act on built-in mobile and desktop apps ("Access controls are also
 * supported for built-in mobile and desktop client apps"). Sources:
 * https://learn.microsoft.com/defender-cloud-apps/proxy-intro-aad,
 * https://learn.microsoft.com/defender-cloud-apps/troubleshooting-proxy. A warning, on `cloudAppSecurity`, built as the
 * persistent browser one is.
 */
function cloudAppSecurityClients(spec: Obj): SchemaIssue[] {
  const control = sessionControl(spec, 'cloudAppSecurity');
  const type = control?.cloudAppSecurityType;
  const clients = strings(obj(spec.conditions)?.clientAppTypes);
  if (typeof type !== 'string' || !APP_CONTROL_SESSIONS[type] || !clients.length || clients.some((c) => c.toLowerCase() === 'all' || c.toLowerCase() === 'browser')) return [];
  return [
    sessionScopeIssue(
      'cloudAppSecurity',
      `Conditional Access App Control's \`${type}\` session acts on browser sessions only (Defender for Cloud Apps: "Session controls are available for browser-based sessions"), but this policy takes in ${clients.map((c) => `\`${c}\``).join(', ')} only: ` +
        `no sign-in it applies to is routed through Defender for Cloud Apps, so ${APP_CONTROL_SESSIONS[type]}. Graph takes the policy as written. Set \`clientAppTypes: [browser]\` (a policy of its own for browsers), and keep desktop and mobile clients to a grant control (a compliant device, app protection), or to a Defender for Cloud Apps access policy (\`cloudAppSecurityType: mcasConfigured\`), which acts on built-in mobile and desktop apps`,
    ),
  ];
}

/**
 * A device filter rule against Learn's filter for devices page (`filterRuleProblems`, the one parser What If and the
 * tenant model read): a syntax error, an attribute the page does not list, an operator it does not list for the
 * attribute, a value outside those it lists, a rule over 3,072 characters. A warning each, on the token in the rule:
 * Learn does not say whether Graph refuses such a rule, and What If reads what Entra would make of it as unknown (the
 * policy may apply), except a value no device has, whose comparison matches no device (its negation, every device).
 * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
 */
function deviceFilterRule(spec: Obj): SchemaIssue[] {
  const rule = obj(obj(obj(spec.conditions)?.devices)?.deviceFilter)?.rule;
  if (typeof rule !== 'string' || !rule.trim()) return [];
  return filterRuleProblems(rule).map((p) => ({
    path: ['spec', 'conditions', 'devices', 'deviceFilter', 'rule'],
    target: 'value',
    severity: 'warning',
    within: { offset: p.offset, length: p.length },
    message:
      `device filter rule: ${p.message}` +
      (p.kind === 'value'
        ? ''
        : p.kind === 'length'
          ? ': the admin center refuses a longer rule'
          : `. Learn does not say whether Graph refuses such a rule; if it takes it, what Entra makes of ${p.kind === 'syntax' ? 'it' : 'this comparison'} is not documented, so What If reads ${p.kind === 'syntax' ? 'the filter' : 'the comparison'} as unknown and the policy as one that may apply`),
  }));
}

/**
 * A sign-in frequency of `everyTime` with a `type` or a `value`: "The possible values are: days, hours, or null if
 * frequencyInterval is everyTime" (signInFrequencySessionControl, beta,
 * https://learn.microsoft.com/graph/api/resources/signinfrequencysessioncontrol?view=graph-rest-beta). The period says
 * nothing when every sign-in reauthenticates, and a reader takes `hours: 4` for the policy's frequency. Graph's pages do
 * not say whether it refuses one: a warning, on `type` (or `value`).
 */
function everyTimeInterval(spec: Obj): SchemaIssue[] {
  const sif = sessionControl(spec, 'signInFrequency');
  if (!sif || sif.frequencyInterval !== 'everyTime') return [];
  const set = (['type', 'value'] as const).filter((k) => sif[k] !== undefined && sif[k] !== null);
  if (!set.length) return [];
  const period = sif.type !== undefined && sif.type !== null && sif.value !== undefined && sif.value !== null ? ` (${String(sif.value)} ${String(sif.type)})` : '';
  // A period no timed frequency takes (`value: 0`, as exports of every-time policies hold: the portal offers 1 to 23
  // hours or 1 to 365 days) was not meant as one, so the message offers no timed frequency then.
  const timed = !(sif.value !== undefined && sif.value !== null && !(typeof sif.value === 'number' && Number.isInteger(sif.value) && sif.value >= 1));
  return [
    {
      path: ['spec', 'sessionControls', 'signInFrequency', set[0]!],
      target: 'key',
      severity: 'warning',
      message:
        `sign-in frequency \`everyTime\` takes no period, but this one also sets ${listWords(set, 'and')}${period}: Graph documents \`type\` as null when \`frequencyInterval\` is \`everyTime\`, and does not say whether it refuses a period beside it. ` +
        'Every sign-in reauthenticates, so the period means nothing, and a reader may take it for the policy\'s frequency. Remove ' +
        `${listWords(set, 'and')}${timed ? `, or set \`frequencyInterval: timeBased\` if a reauthentication${period ? ` every${period.replace(/[()]/g, '')}` : ' after a period'} was meant` : ''}`,
    },
  ];
}

/** The built-in Multifactor authentication strength: password plus any second factor, or a passwordless method. */
const MULTIFACTOR_STRENGTH = '00000000-0000-0000-0000-000000000002';

/**
 * What to do of `mfa` beside a strength, as far as this file shows the strength (the model's `strengthFactors`): a
 * multifactor one already requires MFA, so `mfa` goes; one that admits a single factor (`password` alone) does not,
 * so MFA is kept by requiring a multifactor strength in its place; a custom one named by id alone, whose combinations
 * are elsewhere (the folder's export, or the tenant), is unknown here, and the advice says both.
 */
function mfaWithStrengthAdvice(strength: Obj): string {
  const factors = strengthFactors(strength);
  const name = typeof strength.displayName === 'string' && strength.displayName ? ` \`${strength.displayName}\`` : typeof strength.id === 'string' && strength.id ? ` \`${strength.id}\`` : '';
  const instead = `require a multifactor authentication strength instead of it (the built-in Multifactor authentication, \`${MULTIFACTOR_STRENGTH}\`, or a custom one whose every combination takes two factors or a passwordless method)`;
  if (!factors.multifactor) {
    return `The authentication strength${name} admits single-factor sign-in (${singleFactorText(strength)}), so removing \`mfa\` would let a password alone through: keep MFA, and ${instead}, then remove \`mfa\``;
  }
  if (factors.from === 'unknown') {
    return `Remove \`mfa\` if the authentication strength${name} requires MFA (its combinations are not in this file); if it admits a single factor, ${instead}, then remove \`mfa\``;
  }
  return 'Remove `mfa`: the authentication strength already requires MFA';
}

/**
 * An app protection policy's `mobileThreatDefenseRemediationAction` takes `block` or `wipe`: the enum lists `warn`, but
 * Graph refuses it here. Source: iosManagedAppProtection and androidManagedAppProtection ("Warn isn't a supported
 * value for this property"; https://learn.microsoft.com/graph/api/resources/intune-mam-iosmanagedappprotection?view=graph-rest-beta).
 */
function threatDefenseAction(spec: Obj): SchemaIssue[] {
  if (spec.mobileThreatDefenseRemediationAction !== 'warn') return [];
  return [
    {
      path: ['spec', 'mobileThreatDefenseRemediationAction'],
      target: 'value',
      message: '`warn` is not supported for `mobileThreatDefenseRemediationAction` (Graph refuses it); use `block` or `wipe`',
    },
  ];
}

/** The macros a device name template may hold: the serial number, or `x` random digits. */
const MACRO = /%SERIAL%|%RAND:(\d+)%/gi;

/**
 * A Windows Autopilot profile's `deviceNameTemplate`: letters, digits and hyphens, with the `%SERIAL%` and `%RAND:x%`
 * macros, at most 15 characters once generated, and not digits only. Source: windowsAutopilotDeploymentProfile
 * ("the total length of the text generated by the template can be no more than 15 characters",
 * https://learn.microsoft.com/graph/api/resources/intune-enrollment-windowsautopilotdeploymentprofile?view=graph-rest-beta)
 * and Intune's Autopilot profile settings (names of letters, digits and hyphens, not only digits). A hybrid-joined
 * profile names devices through its domain join profile, so its template is not read.
 */
function deviceNameTemplate(spec: Obj): SchemaIssue[] {
  const template = spec.deviceNameTemplate;
  if (typeof template !== 'string' || !template || typeName(spec) === 'activeDirectoryWindowsAutopilotDeploymentProfile') return [];
  const path: JsonPath = ['spec', 'deviceNameTemplate'];
  const literal = template.replace(MACRO, '');
  const bad = [...new Set(literal.replace(/[A-Za-z0-9-]/g, ''))];
  if (bad.length) {
    return [{ path, target: 'value', message: `a device name may hold only letters, digits and hyphens, with the \`%SERIAL%\` and \`%RAND:x%\` macros; \`${template}\` also has ${bad.map((c) => (c === ' ' ? 'a space' : `\`${c}\``)).join(', ')}: Intune refuses the profile` }];
  }
  let random = 0;
  for (const m of template.matchAll(MACRO)) random += m[1] ? Number(m[1]) : 0;
  const length = literal.length + random;
  if (length > 15) {
    return [{ path, target: 'value', message: `\`${template}\` makes names of ${length} characters${/%SERIAL%/i.test(template) ? ' before the serial number' : ''}; a device name is at most 15 characters (NetBIOS): Intune refuses the profile. Shorten the prefix or the random part` }];
  }
  if (!/%SERIAL%|%RAND:/i.test(template) && /^\d+$/.test(template)) {
    return [{ path, target: 'value', message: `a device name cannot be digits only (\`${template}\`): Intune refuses the profile` }];
  }
  return [];
}

/**
 * What the layer 5 rules ask of a tenant: is a protection (BitLocker, FileVault, LAPS, attack surface reduction
 * rules, the macOS firewall) configured in a profile, and is that profile assigned. A protection counts when a
 * settings catalog or endpoint security profile of the platform sets its setting to the protective value, or when
 * an older template profile (`deviceConfigurations`: `windows10EndpointProtectionConfiguration`, …) or endpoint
 * security intent (`deviceManagementIntent`) in the tenant folder does. Anything the files cannot answer (a file
 * that could not be read, a profile exported without its settings or its assignments, an intent without settings)
 * is unknown, and the rules stay silent.
 */
import { isPlainObject, spanAtPath, type JsonPath } from '../document';
import { isBaselineProfile, type FileFacts, type ManifestFacts, type PolicyFacts } from '../facts';
import { foreignAssignment, intentProperties, intentTemplateId, isEdrIntent, isOnboardingEvidence, omaSettingAt, omaSettingsOf } from '../graph';
import { macOSCustomPayloads, payloadsOfType } from '../model/apple-payloads';
import type { PlistDict } from '../plist';
import { modelOf, settingsNotExported, unexportedMayHold, type CoManagedSlider, type ConfigurationWorkload, type TenantModel } from '../model/index';
import type { SettingConflict } from '../model/setting-values';
import { foreignDocument, foreignPlatformsOf } from '../model/foreign';
import { assignmentDeclaration } from '../model/targets';
import type { Platform } from '../platforms';
import { listText } from '../prose';
import type { ProtectionId } from '../template-families';
import { BASELINE_TEMPLATES, legacyBaselineOf, templateBaseOf, templateFamilyOf } from '../kinds';
import type { Emit, TenantView } from '../rule';
import { settingInstances, type SettingInstanceRef } from '../settings-catalog/instances';
import { policySpan, related } from '../tenant-query';
import type { RelatedInfo, Span } from '../types';
import { kindRead, noteReads, policiesOfKind, READS_OTHERS, recordingReads, type Read } from '../reads';

/**
 * Whether a custom profile turns a protection on through its CSP: yes, no, or unknown (exported without its
 * settings, or with the value encrypted, as Graph returns a string value until `getOmaSettingPlainTextValue` is asked).
 */
function omaTurnsOn(doc: Record<string, unknown>, oma: NonNullable<Protection['oma']>): boolean | undefined {
  const settings = omaSettingsOf(doc);
  if (!settings) return undefined;
  const setting = omaSettingAt(settings, oma.path);
  if (!setting) return false;
  return setting.encrypted ? undefined : oma.on(setting.value);
}

/** One protection a layer 5 rule looks for. */
export interface Protection {
  /** Its row in the template family table (`template-families.ts`): which families' profiles may hold it. */
  id: ProtectionId;
  platform: Platform;
  /** Its name in messages: `BitLocker`, `FileVault`… */
  name: string;
  /** What turns it on in the settings catalog, for messages: `` `device_vendor_msft_…` set to `…_1` ``. */
  setting: string;
  /** The instances of one settings catalog profile that turn it on (empty: none). */
  enabling(instances: SettingInstanceRef[]): SettingInstanceRef[];
  /** Why the profile sets the protection's setting but does not turn it on, when it does (a near miss). */
  nearMiss?(instances: SettingInstanceRef[]): string | undefined;
  /**
   * The instances whose value decides the protection (its setting, and for a group its children): one exported with no
   * value leaves the profile's answer unknown.
   */
  decides(instance: SettingInstanceRef): boolean;
  /** Older template profiles and intents: Graph type name → whether its properties turn the protection on. */
  legacy?: Record<string, (props: Record<string, unknown>) => boolean>;
  /**
   * The protection's CSP written by hand in a custom profile (`windows10CustomConfiguration`): the OMA-URI path's end
   * (`/BitLocker/RequireDeviceEncryption`), and whether a value turns it on. A custom profile that does not set it is
   * not read as a profile of the protection's: custom profiles carry anything.
   */
  oma?: { path: string; on: (value: unknown) => boolean };
  /**
   * The protection's Apple payload in a macOS custom profile (`macOSCustomConfiguration`): its `PayloadType`, and
   * whether one payload of that type turns it on (the same predicate the settings catalog's choice feeds). A custom
   * profile whose payload cannot be read (binary, signed, not base64) leaves the answer unknown while it is assigned.
   */
  payload?: { type: string; on: (payload: PlistDict) => boolean };
  /** A whole profile that is the protection (a security baseline, by its template), settings or not. */
  isProfile?(p: PolicyFacts): boolean;
  /** Endpoint security intents that are the protection, by `templateId` (the older generation of a baseline). */
  intentTemplates?: readonly string[];
  /**
   * The known security baselines (`BASELINE_TEMPLATES`) whose template defaults may turn the protection on. A known
   * baseline not listed cannot (the Edge baseline holds only Edge's settings); a baseline of a template not known here
   * may. Undefined: any baseline may.
   */
  baselines?: readonly string[];
  /**
   * The protection is one setting a baseline may also hold (LAPS' backup directory, BitLocker's device encryption):
   * a profile that sets it to another value for the same devices conflicts with the baseline's default. Not so for
   * settings made of many (ASR's rules): one rule in audit leaves the baseline's others as they are.
   */
  oneSetting?: true;
  /**
   * Its profile type is one Defender for Endpoint security settings management delivers to devices Intune does not
   * enroll (antivirus, firewall, firewall rules, attack surface reduction rules, EDR: Learn's "Which solution should I
   * use" table, https://learn.microsoft.com/defender-endpoint/mde-security-integration). The others (disk encryption,
   * account protection and LAPS, security baselines, settings catalog profiles) reach enrolled devices only.
   */
  securitySettingsManagement?: true;
  /**
   * The co-management workload that delivers it to co-managed Windows devices (the tenant model's
   * `configMgrWorkload`): `endpointProtection` for BitLocker (Windows encryption) and attack surface reduction rules
   * (Exploit Guard), `deviceConfiguration` for what is not in the Endpoint Protection workload's list (Windows LAPS,
   * the security baseline: settings catalog policies, which its slider controls whatever they hold). Source:
   * https://learn.microsoft.com/mem/configmgr/comanage/workloads
   */
  workload?: ConfigurationWorkload;
}

/** Whether a security baseline's template defaults may turn a protection on (see `Protection.baselines`). */
function baselineMayTurnOn(p: PolicyFacts, protection: Protection): boolean {
  if (!protection.baselines) return true;
  // No baseline's defaults are the protection (the Windows baseline itself, which `isProfile` finds by its template):
  // a baseline of another template, known or not, is another baseline (a template keeps its id across versions).
  if (!protection.baselines.length) return false;
  const base = templateBaseOf(p.spec?.templateReference);
  const known = Object.values(BASELINE_TEMPLATES) as string[];
  return !base || !known.includes(base) || protection.baselines.includes(base);
}

/**
 * Whether an endpoint security intent may hold the protection's settings. The older baselines' intents are known by
 * template (`INTENT_TEMPLATES`' baseline rows, all Windows; `template`: `intentTemplateId`): one may hold a Windows
 * protection its settings catalog counterpart may hold (`Protection.baselines`), and nothing of another platform. Any
 * other intent may.
 */
function intentMayHold(template: string | undefined, protection: Protection): boolean {
  const key = legacyBaselineOf(template);
  if (!key) return true;
  if (protection.platform !== 'windows') return false;
  return !protection.baselines || protection.baselines.includes(BASELINE_TEMPLATES[key]);
}

/** A file that turns the protection on, and whether it is assigned. */
export interface ProtectionSource {
  file: FileFacts;
  assigned: 'assigned' | 'nobody' | 'undeclared';
  /**
   * Assigned to nobody because its exclusions take out every group it includes (the tenant model's `assignmentOf`):
   * those exclusions, for the message.
   */
  excludedBy?: string[];
  /**
   * Where its assignments are (for a finding on an unassigned source). Found only when asked: most sources are
   * assigned, and a place in a file read from disk needs its syntax tree parsed again.
   */
  assignmentsSpan(): Span;
  name: string;
}

/** How many raw exports of the platform a check read, by what each is (for the message that says what was read). */
export interface ForeignRead {
  /** Endpoint security intents (`deviceManagementIntent`). */
  intents: number;
  /** Older template profiles (`windows10EndpointProtectionConfiguration`, `macOSEndpointProtectionConfiguration`…). */
  templates: number;
  /** Custom profiles (`windows10CustomConfiguration`'s OMA-URI settings, `macOSCustomConfiguration`'s `.mobileconfig`). */
  custom: number;
}

export type ProtectionAnswer =
  /** Some assigned profile turns it on: every source that does, assigned or not. */
  | { state: 'met'; sources: ProtectionSource[] }
  /** The files cannot tell (a source with undeclared assignments, a hidden file), or the tenant does not manage the platform. */
  | { state: 'unknown' | 'not-managed'; besideBaselines?: undefined }
  /**
   * Unknown only because security baselines whose template defaults may turn it on reach the devices, while every
   * assigned profile that sets the protection's settings for those devices leaves it off (ASR rules all in Audit):
   * whether the baseline's defaults enforce it, or conflict with those settings and apply on neither side, no file says.
   */
  | { state: 'unknown'; besideBaselines: { profiles: PolicyFacts[]; baselines: PolicyFacts[] } }
  /**
   * Configuration Manager delivers it to every co-managed device: the manifest places the protection's co-management
   * workload with it (`settings.coManagement.<workload>Workload: configurationManager`), which no file here shows.
   */
  | { state: 'configurationManager'; workload: ConfigurationWorkload; slider: CoManagedSlider['slider'] }
  /** Turned on only in profiles assigned to nobody. */
  | { state: 'unassigned'; sources: ProtectionSource[] }
  /**
   * Turned on only in assigned profiles whose enabling settings another assigned profile, reaching every device they
   * reach, sets to another value: Intune reports a conflict and applies neither value (the tenant model's
   * `settingValues`), so it is on nowhere.
   */
  | { state: 'conflict'; conflicted: { profile: PolicyFacts; conflicts: SettingConflict[] }[] }
  /** The platform's configuration profiles are here, and none turns it on. */
  | {
      state: 'missing';
      profiles: PolicyFacts[];
      nearMisses: RelatedInfo[];
      /**
       * The profiles that set the protection's setting without turning it on (ASR rules in Audit, BitLocker's setting
       * not Enabled), each with why and whether it is assigned: the message names them, and what to change in them.
       */
      nearMissed: NearMissed[];
      /** The raw exports read beside them, by what they are: endpoint security intents, template and custom profiles. */
      legacyRead: ForeignRead;
      /**
       * Where security settings management is in use and its devices cannot take the protection: the files that show the
       * tenant enrolls the platform's devices in Intune too (see `managesWithIntune`).
       */
      enrolledBy?: string[];
      /**
       * Profiles exported without their settings whose template family may hold the protection, assigned to nobody:
       * they deliver nothing whatever they hold, so the answer stands; the message names them.
       */
      unassignedWithoutSettings?: PolicyFacts[];
      /**
       * Profiles, of ours or raw exports, that turn it on but that a co-management workload Configuration Manager holds
       * governs (a settings catalog profile, a custom profile: Device configuration; the tenant model's
       * `profileWorkload`): they do not reach co-managed Windows devices, and the message names them with that slider.
       */
      heldBack?: HeldBack[];
      /** No configuration profile of the platform is in the folder at all (`NoProfile`). */
      noProfile?: NoProfile;
    };


/**
 * A profile that sets a protection's setting and leaves it off (`ProtectionAnswer`'s `nearMissed`): why, whether it is
 * assigned, and whether it is a security baseline (`isBaselineProfile`), whose value a second profile turning the
 * protection on would meet as a conflict on the devices both reach (the tenant model's `settingValues`: Intune applies
 * neither), so the fix is to change it in the baseline.
 */
export interface NearMissed {
  profile: PolicyFacts;
  why: string;
  assigned: boolean;
  baseline: boolean;
}

/**
 * The folder keeps no configuration profile of the platform, though its devices take configuration from Intune (the
 * tenant model's `configurationKept`): the folder's layer 5 files of other platforms (`keptFor`), the files that show
 * Intune enrolls the platform's devices (`enrolledBy`, named for messages), and whether a workload at Pilot Intune does.
 */
export interface NoProfile {
  keptFor: readonly FileFacts[];
  enrolledBy: string[];
  pilot: boolean;
}

/** A profile that turns a protection on, but that a workload Configuration Manager holds governs (`ProtectionAnswer`). */
export interface HeldBack {
  file: FileFacts;
  /** Its name in messages. */
  name: string;
  /** What it is, in messages (`profileTypeOf`): what decides the workload that governs it. */
  type: ProfileType;
  slider: CoManagedSlider['slider'];
}

/** What a profile is, for the messages that say which co-management workload governs it (`ModelOf.profileWorkload`). */
type ProfileType = 'settingsCatalog' | 'baseline' | 'endpointSecurity' | 'custom' | 'endpointProtectionTemplate' | 'template';

const PROFILE_TYPE_NAMES: Record<ProfileType, { one: string; many: string }> = {
  settingsCatalog: { one: 'a settings catalog profile', many: 'settings catalog profiles' },
  baseline: { one: 'a security baseline', many: 'security baselines' },
  endpointSecurity: { one: 'an endpoint security policy', many: 'endpoint security policies' },
  custom: { one: 'a custom (OMA-URI) profile', many: 'custom (OMA-URI) profiles' },
  endpointProtectionTemplate: { one: 'an Endpoint protection template profile', many: 'Endpoint protection template profiles' },
  template: { one: 'a template profile', many: 'template profiles' },
};

/** What a profile of ours, or a raw export (`foreignDocument`), is, as the workload messages name it. */
function profileTypeOf(f: FileFacts): ProfileType {
  if (f.type === 'policy' && f.kind === 'ConfigurationProfile') {
    if (isBaselineProfile(f)) return 'baseline';
    const family = templateFamilyOf(f.spec?.templateReference);
    return !family || family === 'none' ? 'settingsCatalog' : 'endpointSecurity';
  }
  const foreign = foreignDocument(f);
  if (foreign?.type === 'deviceManagementIntent') return legacyBaselineOf(intentTemplateId(foreign.doc, f.path)) ? 'baseline' : 'endpointSecurity';
  if (foreign?.type === 'windows10CustomConfiguration') return 'custom';
  return foreign?.type === 'windows10EndpointProtectionConfiguration' ? 'endpointProtectionTemplate' : 'template';
}

/** The lower-cased choice values of instances, for matching. */
export function choiceValues(instances: SettingInstanceRef[]): string[] {
  return instances.flatMap((i) => i.choices.map((c) => c.value.toLowerCase()));
}

/** The instances with this definition id (ids compare lower-case). */
export function instancesOf(instances: SettingInstanceRef[], id: string): SettingInstanceRef[] {
  return instances.filter((i) => i.key === id);
}

/** The instances with this definition id whose choice is one of `values`. */
export function instancesChoosing(instances: SettingInstanceRef[], id: string, values: string[]): SettingInstanceRef[] {
  return instancesOf(instances, id).filter((i) => i.choices.some((c) => values.includes(c.value.toLowerCase())));
}

export function foreignName(f: FileFacts, doc: Record<string, unknown>): string {
  const n = typeof doc.displayName === 'string' ? doc.displayName : typeof doc.name === 'string' ? doc.name : undefined;
  return n ? `\`${n}\`` : `\`${f.path.replace(/^.*[\\/]/, '')}\``;
}

/**
 * A raw export that turns the protection on, as a source: its assignments (Graph's list), else an intent's
 * `isAssigned`, else its type, is where a finding about its assignment goes.
 */
function foreignSource(f: FileFacts, doc: Record<string, unknown>): ProtectionSource {
  const at: JsonPath = Array.isArray(doc.assignments) || 'assignments' in doc ? ['assignments'] : doc.isAssigned !== undefined ? ['isAssigned'] : ['@odata.type'];
  return { file: f, assigned: foreignAssignment(doc), assignmentsSpan: () => spanAtPath(f.parsed, at, 'key'), name: foreignName(f, doc) };
}

function profileAssignmentsSpan(p: PolicyFacts): Span {
  const ours = p.raw ? undefined : p.value?.assignments;
  if (isPlainObject(ours)) return 'include' in ours ? policySpan(p, ['assignments', 'include'], 'value') : policySpan(p, ['assignments'], 'key');
  return policySpan(p, ['spec', 'assignments'], 'key');
}

/**
 * A profile of ours that turns a protection on, as a source: whom it reaches is the tenant model's answer
 * (`assignmentOf`: a profile whose exclusions take out every group it includes reaches nobody).
 */
function profileSource(p: PolicyFacts, model: TenantModel): ProtectionSource {
  const assigned = model.assignmentOf(p);
  const excludedBy = assigned === 'nobody' && assignmentDeclaration(p) === 'assigned' ? model.excludedEntirelyBy(p) : undefined;
  return { file: p, assigned, ...(excludedBy ? { excludedBy } : {}), assignmentsSpan: () => profileAssignmentsSpan(p), name: p.name ? `\`${p.name}\`` : 'a profile' };
}

/** The tenant's raw Graph documents of no kind of ours (intents, template profiles…), with their Graph types. */
export function foreignDocuments(tenant: TenantView): TenantProfiles['foreign'] {
  return profilesOf(tenant).foreign;
}

/** The tenant's layer 5 configuration profiles of a platform (Defender onboarding, layer 6, is not configuration). */
export function configurationProfiles(tenant: TenantView, platform: Platform): PolicyFacts[] {
  return profilesOf(tenant).byPlatform.get(platform) ?? [];
}

/**
 * What the configuration rules read of a tenant, found once per tenant view (five rules ask, after every edit): its
 * layer 5 profiles by platform, sorted by path, and the files that are raw Graph documents of no kind of ours.
 */
interface TenantProfiles {
  byPlatform: Map<Platform, PolicyFacts[]>;
  foreign: { file: FileFacts; type: string; doc: Record<string, unknown> }[];
}
const PROFILES = new WeakMap<TenantView, TenantProfiles>();
/** What `profilesOf` reads: the profiles, and the files that may be raw Graph documents (of no kind, or not policies). */
const PROFILE_READS: readonly Read[] = [kindRead('ConfigurationProfile'), kindRead(undefined), READS_OTHERS];

function profilesOf(tenant: TenantView): TenantProfiles {
  noteReads(PROFILE_READS);
  let found = PROFILES.get(tenant);
  if (!found) PROFILES.set(tenant, (found = recordingReads(undefined, () => readProfiles(tenant))));
  return found;
}

function readProfiles(tenant: TenantView): TenantProfiles {
  const byPlatform = new Map<Platform, PolicyFacts[]>();
  const profiles = policiesOfKind(tenant, 'ConfigurationProfile').filter((p) => p.layer === 5 && p.spec).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const p of profiles) {
    p.platforms.forEach((platform, i) => {
      // Each platform once (a profile's list names each once; a Set per profile was two fifths of this walk's time).
      if (p.platforms.indexOf(platform) !== i) return;
      let list = byPlatform.get(platform);
      if (!list) byPlatform.set(platform, (list = []));
      list.push(p);
    });
  }
  const foreign: TenantProfiles['foreign'] = [];
  for (const file of [...tenant.policies, ...tenant.others]) {
    const f = foreignDocument(file);
    if (f) foreign.push({ file, ...f });
  }
  return { byPlatform, foreign };
}

/** What one settings catalog profile says of one protection: whether it turns it on, and why it almost does. */
interface ProfileVerdict {
  turnsOn: boolean;
  nearMiss?: string;
  /** The profile holds the protection's setting with no value (an export that dropped it): it may turn it on. */
  unknown?: true;
}

/**
 * Each profile's verdict on each protection, found once: five rules ask it of every profile of the platform after
 * every edit, and it depends on the profile's settings alone (a changed file has new facts).
 */
const VERDICTS = new WeakMap<PolicyFacts, Map<Protection, ProfileVerdict>>();

function verdictOf(p: PolicyFacts, protection: Protection): ProfileVerdict {
  let byProtection = VERDICTS.get(p);
  if (!byProtection) VERDICTS.set(p, (byProtection = new Map()));
  let verdict = byProtection.get(protection);
  if (!verdict) {
    const instances = settingInstances(p.spec);
    const turnsOn = protection.enabling(instances).length > 0;
    const unknown = !turnsOn && instances.some((i) => i.valueless && protection.decides(i));
    const nearMiss = turnsOn || unknown ? undefined : protection.nearMiss?.(instances);
    byProtection.set(protection, (verdict = unknown ? { turnsOn, unknown } : nearMiss ? { turnsOn, nearMiss } : { turnsOn }));
  }
  return verdict;
}

/** How a protection stands in a tenant. */
export function protectionIn(tenant: TenantView, protection: Protection): ProtectionAnswer {
  if (!tenant.root || !tenant.manifest) return { state: 'not-managed' };
  const model = modelOf(tenant);
  if (!model.platforms.includes(protection.platform)) return { state: 'not-managed' };
  // Co-management: where Configuration Manager holds the protection's workload for every co-managed device, what
  // delivers it is Configuration Manager's, which no file here shows (read once, in the tenant model).
  const coManaged = protection.workload ? model.configMgrWorkload(protection.platform, protection.workload) : undefined;
  if (protection.workload && coManaged?.state === 'configurationManager') return { state: 'configurationManager', workload: protection.workload, slider: coManaged.slider };
  const profiles = configurationProfiles(tenant, protection.platform);
  const sources: ProtectionSource[] = [];
  let unknown = model.mayHide('ConfigurationProfile');
  const baselines: PolicyFacts[] = [];
  const offProfiles: PolicyFacts[] = [];
  const nearMisses: RelatedInfo[] = [];
  const nearMissed: NearMissed[] = [];
  const unassignedUnexported: PolicyFacts[] = [];
  const heldBack: HeldBack[] = [];
  const conflicted: { profile: PolicyFacts; conflicts: SettingConflict[] }[] = [];
  for (const p of profiles) {
    // A profile governed by a co-management workload Configuration Manager holds (a settings catalog profile: Device
    // configuration, whatever it holds) does not reach co-managed Windows devices: it delivers nothing here (the tenant
    // model's one answer, which layer 5 reads too). One that turns the protection on is named in the message.
    const held = protection.workload ? model.configMgrWorkloadOf(p, protection.workload) : undefined;
    if (held?.state === 'configurationManager') {
      if (protection.isProfile?.(p) || (!settingsNotExported(p) && verdictOf(p, protection).turnsOn)) heldBack.push({ file: p, name: profileLabel(p), type: profileTypeOf(p), slider: held.slider });
      continue;
    }
    if (protection.isProfile?.(p)) {
      sources.push(profileSource(p, model));
      continue;
    }
    // A profile exported without its settings says nothing about them: the protection is unknown if its template family
    // can hold it and it reaches someone (the model's one answer, which layer 5's status and `ztp diff` read too). One
    // assigned to nobody delivers nothing, whatever it holds; the message names it where it may hold the protection.
    if (settingsNotExported(p)) {
      if (model.settingsUnknownFor(p, protection.id)) unknown = true;
      else if (model.assignmentOf(p) === 'nobody' && unexportedMayHold(p).holds.includes(protection.id)) unassignedUnexported.push(p);
      continue;
    }
    const verdict = verdictOf(p, protection);
    if (verdict.turnsOn) {
      // Every setting by which it turns the protection on is in conflict on every device it reaches (another assigned
      // profile reaching them all sets it otherwise): Intune applies neither value, so it turns nothing on.
      const source = profileSource(p, model);
      const conflicts = source.assigned === 'assigned' ? model.settingValues.allInConflict(p, protection.enabling(settingInstances(p.spec))) : undefined;
      if (conflicts) conflicted.push({ profile: p, conflicts });
      else sources.push(source);
      continue;
    }
    // Its setting is there without a value (an export that kept ids and dropped values): it may turn it on.
    if (verdict.unknown) {
      unknown = true;
      continue;
    }
    const why = verdict.nearMiss;
    if (why) {
      nearMisses.push(related(p, why));
      const assigned = model.assignmentOf(p) === 'assigned';
      nearMissed.push({ profile: p, why, assigned, baseline: isBaselineProfile(p) });
      if (assigned) offProfiles.push(p);
    }
    // A security baseline lists only the settings changed from its template; the others keep the template's
    // defaults, which may turn the protection on (Microsoft's baselines set ASR rules and BitLocker options). A
    // baseline that applies to devices and does not say otherwise leaves the answer unknown.
    else if (isBaselineProfile(p) && model.assignmentOf(p) !== 'nobody' && baselineMayTurnOn(p, protection)) baselines.push(p);
  }
  // ...unless an assigned profile sets the one setting to another value (LAPS backup Disabled) for every device the
  // baseline reaches: the tenant says it is off there, and the baseline's default against it is a conflict, which
  // Intune applies on neither side.
  // (The model's one reach answer: an exclusion of the off profile that the baseline does not share leaves some of the
  // baseline's devices to its defaults alone.)
  const reaches = (off: PolicyFacts, base: PolicyFacts): boolean => model.reachesAllOf(off, base);
  const baselineUnknown = baselines.some((b) => !(protection.oneSetting && offProfiles.some((o) => reaches(o, b))));
  const legacyRead: ForeignRead = { intents: 0, templates: 0, custom: 0 };
  for (const { file: f, type, doc } of profilesOf(tenant).foreign) {
    // The older Windows EDR profile kept as an intent is how devices onboard to Defender (layer 6, the Defender model
    // reads whether it does), as its template profile is: no configuration profile, as neither is.
    if (type === 'deviceManagementIntent' && isEdrIntent(doc, f.path)) continue;
    // The properties an intent sets, by template profile type, read once for both questions below.
    const intent = type === 'deviceManagementIntent' ? intentProperties(doc) : undefined;
    // A raw export governed by a co-management workload Configuration Manager holds (a custom profile, device
    // restrictions, an older baseline: Device configuration; the tenant model's one answer, as for the settings catalog
    // profiles above) reaches no co-managed Windows device: what it turns on is named as held back, never counted, and
    // what it may hold leaves nothing unknown there.
    const held = protection.workload ? model.configMgrWorkloadOf(f, protection.workload) : undefined;
    const heldBy = held?.state === 'configurationManager' ? held : undefined;
    const turnsOn = (): void => {
      if (heldBy) heldBack.push({ file: f, name: foreignName(f, doc), type: profileTypeOf(f), slider: heldBy.slider });
      else sources.push(foreignSource(f, doc));
    };
    // A template or custom profile of the platform (or an intent of its settings) shows the tenant configures it,
    // whether or not this protection reads that type: without a settings catalog profile, the question is still asked.
    // (Only the types the configuration checks read: an update ring is no configuration profile.)
    // A macOS custom profile that carries the Defender onboarding package is layer 6's, as the layer status counts it.
    const evidence = foreignPlatformsOf(type, doc, intent).includes(protection.platform) && !(type === 'macOSCustomConfiguration' && isOnboardingEvidence(type, doc));
    if (evidence) {
      if (type === 'deviceManagementIntent') legacyRead.intents++;
      else if (type === 'windows10CustomConfiguration' || type === 'macOSCustomConfiguration') legacyRead.custom++;
      else legacyRead.templates++;
    }
    // An intent of a template that is the protection itself (the older Windows baseline) is a source of it.
    const template = type === 'deviceManagementIntent' ? intentTemplateId(doc, f.path) : undefined;
    if (template && protection.intentTemplates?.includes(template)) {
      turnsOn();
      continue;
    }
    // A security baseline intent of a known template holds only that template's settings: the Windows ones say
    // nothing of a Mac, and the Edge one nothing of BitLocker.
    if (type === 'deviceManagementIntent' && !intentMayHold(template, protection)) continue;
    if (type === 'windows10CustomConfiguration') {
      if (!protection.oma) continue;
      const on = omaTurnsOn(doc, protection.oma);
      if (on === undefined) unknown ||= !heldBy;
      else if (on) {
        turnsOn();
      }
      continue;
    }
    if (type === 'macOSCustomConfiguration') {
      if (!protection.payload) continue;
      const read = macOSCustomPayloads(doc);
      // A payload we cannot read may turn it on, if the profile reaches anyone.
      if (read.state === 'unknown') {
        if (foreignAssignment(doc) !== 'nobody') unknown = true;
        continue;
      }
      if (payloadsOfType(read.payloads, protection.payload.type).some(protection.payload.on)) {
        turnsOn();
      }
      continue;
    }
    if (!protection.legacy) continue;
    let props: Record<string, unknown> | undefined;
    let predicate: ((props: Record<string, unknown>) => boolean) | undefined;
    if (type === 'deviceManagementIntent') {
      const byType = intent;
      if (!byType) {
        // An intent exported without its settings may hold the protection.
        unknown ||= !heldBy;
        continue;
      }
      for (const [t, ps] of byType) {
        if (protection.legacy[t] && protection.legacy[t]!(ps)) {
          props = ps;
          predicate = protection.legacy[t];
        }
      }
    } else if (protection.legacy[type]) {
      props = doc;
      predicate = protection.legacy[type];
    }
    if (!props || !predicate?.(props)) continue;
    turnsOn();
  }
  if (sources.some((s) => s.assigned === 'assigned')) return { state: 'met', sources };
  if (!unknown && baselineUnknown && !protection.oneSetting && !sources.length) {
    // Every baseline that may turn it on reaches only devices an assigned profile sets it off for (ASR rules all in
    // Audit): unknown still, but the tenant's own settings say off, which the finding says as information.
    const beside = baselines.every((b) => offProfiles.some((o) => reaches(o, b)));
    if (beside) return { state: 'unknown', besideBaselines: { profiles: offProfiles.filter((o) => baselines.some((b) => reaches(o, b))), baselines } };
  }
  if (unknown || baselineUnknown || sources.some((s) => s.assigned === 'undeclared')) return { state: 'unknown' };
  if (conflicted.length) return { state: 'conflict', conflicted };
  if (sources.length) return { state: 'unassigned', sources };
  const manages = managesWithIntune(tenant, protection);
  if (!manages) return { state: 'not-managed' };
  return { state: 'missing', profiles, nearMisses, nearMissed, legacyRead, ...(manages === true ? {} : Array.isArray(manages) ? { enrolledBy: manages } : manages), ...(unassignedUnexported.length ? { unassignedWithoutSettings: unassignedUnexported } : {}), ...(heldBack.length ? { heldBack } : {}) };
}

/**
 * Whether the tenant manages the platform's devices in a way that could deliver the protection: the one answer to
 * "the tenant manages Windows devices" of the configuration checks. Whether the folder keeps the platform's layer 5
 * configuration is the tenant model's answer (`configurationKept`), the one layer 5's status reads: its profiles (or
 * older template, custom or intent ones) are here; or none is, but the folder keeps layer 5 for other platforms and
 * Intune enrolls this one's devices, or a workload at Pilot Intune has the pilot collection take it from Intune (a gap:
 * `{ noProfile }`); else it does not keep it here, and nothing is said. Where Defender for Endpoint security settings management is in use for
 * the platform (the Defender model's answer) and the protection's profile type is one it cannot deliver (BitLocker,
 * LAPS, the security baseline: `Protection.securitySettingsManagement`), the devices that could take it are those
 * Intune enrolls, which the tenant model answers (`intuneEnrolls`: an enrolment file, a profile only enrolled devices
 * take, a raw export that may be assigned), the one answer the Defender model and the layer status read too. `true`:
 * managed; a list: managed, and these enrolment files (`enrollmentEvidence`) show it beside security settings
 * management; `noProfile`: managed, with no profile of the platform in the folder; undefined: not managed.
 */
function managesWithIntune(tenant: TenantView, protection: Protection): true | string[] | { noProfile: NoProfile } | undefined {
  const model = modelOf(tenant);
  const kept = model.configurationKept(protection.platform, protection.workload);
  if (kept.state === 'notKept' || kept.state === 'unknown') return undefined;
  if (kept.state === 'missing') return { noProfile: { keptFor: kept.keptFor, enrolledBy: kept.enrolledBy.map((p) => `\`${p.name ?? p.path}\``), pilot: !!kept.pilot } };
  if (protection.securitySettingsManagement) return true;
  if (!model.defender.securitySettingsManagement(protection.platform)) return true;
  if (!model.intuneEnrolls(protection.platform)) return undefined;
  const enrolled = model.enrollmentEvidence(protection.platform);
  return enrolled.length ? enrolled.map((p) => `\`${p.name ?? p.path}\``) : true;
}

/** Where a tenant-wide finding about a platform goes: the platform in the manifest's `platforms`, else its `kind`. */
export function manifestPlatformSpan(manifest: ManifestFacts, platform: Platform): Span {
  const list = manifest.value?.platforms;
  const i = Array.isArray(list) ? list.indexOf(platform) : -1;
  return i >= 0 ? spanAtPath(manifest.parsed, ['platforms', i], 'value') : spanAtPath(manifest.parsed, ['kind'], 'value');
}

/** A profile as the messages name it: its name, or its file's name. */
export function profileLabel(p: PolicyFacts): string {
  return `\`${p.name || p.path.replace(/^.*[\\/]/, '')}\``;
}

/** The platform's name in messages. */
const PLATFORM_NAMES: Record<string, string> = { windows: 'Windows', macOS: 'macOS', iOS: 'iOS/iPadOS', android: 'Android', linux: 'Linux' };

/**
 * Report a protection that is missing or unassigned: on the manifest's platform entry when no profile turns it on,
 * on each profile that turns it on when none of them is assigned.
 */
export function reportProtection(
  tenant: TenantView,
  emit: Emit,
  protection: Protection,
  advice: {
    risk: string;
    create: string;
    besideBaseline?: string;
    /** What to change in the profiles that set the protection's setting without turning it on (named, `and`-joined). */
    nearMiss?: (names: string, many: boolean) => string;
    /**
     * The one setting's value that turns it on, as the admin center names it ("set Require Device Encryption to
     * Enabled"): said of the profiles that set it otherwise (a baseline that turns it off), in place of `create`.
     */
    change?: string;
  },
): void {
  const answer = protectionIn(tenant, protection);
  const platform = PLATFORM_NAMES[protection.platform] ?? protection.platform;
  if (answer.state === 'unassigned') {
    for (const s of answer.sources) {
      emit({
        file: s.file,
        span: s.assignmentsSpan(),
        message:
          `${s.name} turns on ${protection.name}, but ${nobodyText(s)}, ` +
          `and no ${answer.sources.length > 1 ? `assigned profile turns it on (${answer.sources.length - 1 === 1 ? 'the other one that does is' : `the ${answer.sources.length - 1} others that do are`} assigned to nobody too)` : 'other profile of the tenant turns it on'}: Intune applies a profile only to the devices it is assigned to, so ${advice.risk}. ` +
          'Assign it to the devices (or users) it is meant for',
        related: answer.sources.filter((o) => o !== s).map((o) => ({ file: o.file.path, span: o.assignmentsSpan(), message: `also turns on ${protection.name}, and is assigned to nobody too` })),
        data: { platform: protection.platform, state: 'unassigned' },
      });
    }
    return;
  }
  if (answer.state === 'conflict') {
    reportConflict(tenant, emit, protection, answer.conflicted, platform, advice);
    return;
  }
  if (answer.state === 'unknown' && answer.besideBaselines) {
    reportBesideBaselines(emit, protection, answer.besideBaselines, platform, advice);
    return;
  }
  if (answer.state !== 'missing') return;
  const manifest = tenant.manifest!;
  // Co-management at Pilot Intune: Intune delivers the protection to the pilot collection's co-managed devices (and to
  // the devices Intune alone manages), Configuration Manager to the others (the tenant model's one answer).
  // The slider named is the one that decided (the model's answer): Device configuration at Pilot Intune moves Endpoint
  // Protection with it, whatever `endpointProtectionWorkload` says.
  const co = protection.workload ? modelOf(tenant).configMgrWorkload(protection.platform, protection.workload) : undefined;
  const moves = co && protection.workload === 'endpointProtection' && co.slider === 'deviceConfigurationWorkload' ? ', which moves Endpoint Protection with it' : '';
  const coManaged = co?.state === 'pilotIntune'
    ? ` Under co-management (\`settings.coManagement.${co.slider}: pilotIntune\`${moves}), Configuration Manager delivers it to the co-managed devices outside the pilot collection, which these files cannot show; the pilot collection's devices (and any device Intune alone manages) get it from Intune.`
    : '';
  const count = answer.profiles.length;
  // What was read: the platform's configuration profiles, and the raw exports beside them, each named for what it is (a
  // custom profile is neither an endpoint security policy nor a template profile).
  const { intents, templates, custom } = answer.legacyRead;
  // Each kind of file read, with its count and its plural (the one-file message names the kind in the plural).
  const kinds = [
    { n: count, one: `${platform} configuration profile`, many: `${platform} configuration profiles` },
    { n: intents, one: 'endpoint security policy', many: 'endpoint security policies' },
    { n: templates, one: 'template profile', many: 'template profiles' },
    { n: custom, one: 'custom profile', many: 'custom profiles' },
  ].filter((k) => k.n > 0);
  const read = kinds.map((k) => `${k.n} ${k.n === 1 ? k.one : k.many}`);
  const list = listText(read);
  const onCoManaged = answer.heldBack?.length ? ' on co-managed devices' : '';
  // A baseline is a whole profile (`isProfile`): a profile is it or is not, it does not "turn it on".
  const provides = protection.isProfile ? `is ${protection.name}` : `turns on ${protection.name}`;
  // One file read: "none of the tenant's Windows configuration profiles (it has one, `x`)", never "none of the
  // tenant's 1 … profile". The words are those of the message for more files but the count, so `ztp diff` reads a
  // profile added or removed as the same gap reworded (`narrows`).
  const only = kinds.length === 1 && kinds[0]!.n === 1;
  const onlyText = only ? `${kinds[0]!.many} (it has one${count === 1 ? `, ${profileLabel(answer.profiles[0]!)}` : ''})` : list;
  const among = !list ? `no ${platform} profile ${provides}${onCoManaged}` : `none of the tenant's ${onlyText} ${provides}${onCoManaged}`;
  // The profiles that set the protection's setting and leave it off (ASR rules in Audit): named, with what to change.
  const near = answer.nearMissed;
  // A security baseline is named as one: its value is the tenant's choice, and it is where that choice is changed.
  const nearLabel = (n: NearMissed): string => `${n.baseline ? 'the security baseline ' : ''}${profileLabel(n.profile)}`;
  const nearText = near.length ? `; ${near.map((n) => `${nearLabel(n)} ${n.why}${n.assigned ? '' : ' (and is assigned to nobody)'}`).join('; ')}` : '';
  const nearNames = listText(near.map((n) => profileLabel(n.profile)));
  const assignNear = near.some((n) => n.assigned) ? '' : `, and assign ${near.length > 1 ? 'one' : 'it'}`;
  // A profile that sets the one setting otherwise is changed, not joined by another: a second profile turning it on
  // for the devices an assigned baseline reaches sets the same setting to another value, which Intune reports as a
  // conflict and applies on neither side (the model's `settingValues`, `setting-conflict`), so the baseline is where.
  const inBaseline = near.filter((n) => n.baseline && n.assigned);
  const baselineNote = inBaseline.length
    ? ` (${inBaseline.length > 1 ? 'those baselines turn' : 'that baseline turns'} ${protection.name} off on the devices ${inBaseline.length > 1 ? 'they reach' : 'it reaches'}: a second profile turning it on for them would set the same setting to another value, a conflict in which Intune applies neither value, \`setting-conflict\`)`
    : '';
  const nearFix = !near.length
    ? undefined
    : advice.nearMiss
      ? `${advice.nearMiss(nearNames, near.length > 1)}${assignNear}`
      : advice.change
        ? `${advice.change[0]!.toUpperCase()}${advice.change.slice(1)} in ${listText(near.map(nearLabel))}${baselineNote}${assignNear}`
        : undefined;
  // Beside security settings management, whose devices cannot take such a profile, the files that show enrolled devices.
  const enrolled = answer.enrolledBy
    ? ` enrolled in Intune (${answer.enrolledBy.join(', ')}; Defender for Endpoint security settings management, in use here, does not deliver ${protection.name} to the devices it manages)`
    : '';
  // Profiles that may hold it, exported without their settings, but assigned to nobody: named, so the reader knows why
  // they do not leave the answer unknown.
  const idle = answer.unassignedWithoutSettings ?? [];
  const idleText = idle.length
    ? `; ${listText(idle.map(profileLabel))}, exported without ${idle.length > 1 ? 'their' : 'its'} settings, may hold it, but ${idle.length > 1 ? 'are' : 'is'} assigned to nobody, so ${idle.length > 1 ? 'they deliver' : 'it delivers'} nothing`
    : '';
  // Profiles that turn it on, but that a workload Configuration Manager holds governs: they reach no co-managed device.
  const heldText = heldBackText(answer.heldBack ?? []);
  const held = answer.heldBack ?? [];
  const heldFix = held.length && protection.workload === 'endpointProtection' ? ` (an endpoint security policy, which the Endpoint Protection workload governs)` : '';
  // No profile of the platform in the folder at all, while its devices take configuration from Intune: a gap, said so.
  const none = answer.noProfile;
  if (none) {
    const by = none.enrolledBy.length ? ` enrolled in Intune (${none.enrolledBy.join(', ')})` : none.pilot ? '' : ' enrolled in Intune';
    const kept = none.keptFor.length ? ` (its layer 5 files are of other platforms: ${keptList(none.keptFor)})` : '';
    emit({
      file: manifest,
      span: manifestPlatformSpan(manifest, protection.platform),
      message:
        `the tenant manages ${platform} devices${by}, but the tenant folder keeps no ${platform} configuration profile${kept}, so none ${protection.isProfile ? `is ${protection.name}` : `turns on ${protection.name}`} (${protection.setting}): ${advice.risk}. ` +
        `${advice.create}, assign it, and keep its file in the tenant folder.${coManaged}`.replace(/\.$/, ''),
      data: { platform: protection.platform, state: 'missing' },
    });
    return;
  }
  emit({
    file: manifest,
    span: manifestPlatformSpan(manifest, protection.platform),
    message:
      `the tenant manages ${platform} devices${enrolled}, but ${among} (${protection.setting})${nearText}${idleText}${heldText}: ${advice.risk}. ` +
      `${nearFix ? `${nearFix}.` : `${advice.create}${heldFix}, assign it, and keep its file in the tenant folder.`}${coManaged}`.replace(/\.$/, ''),
    related: answer.nearMisses,
    data: { platform: protection.platform, state: 'missing' },
  });
}

/** A few files as a message names them: "`a`, `b`, `c` and 2 more". */
function keptList(files: readonly FileFacts[]): string {
  const label = (f: FileFacts): string => {
    if (f.type === 'policy' && f.kind) return profileLabel(f);
    const foreign = foreignDocument(f);
    return foreign ? foreignName(f, foreign.doc) : `\`${f.path.replace(/^.*[\\/]/, '')}\``;
  };
  const shown = files.slice(0, 3).map(label);
  return files.length > 3 ? `${shown.join(', ')} and ${files.length - 3} more` : listText(shown);
}

/** Why a source reaches no device, in a message: assigned to nobody, or its exclusions take out all it includes. */
function nobodyText(s: ProtectionSource): string {
  if (!s.excludedBy) return 'it is assigned to nobody (its assignments include no group, `allUsers` or `allDevices`)';
  const ex = s.excludedBy.map((e) => `\`${e}\``).join(', ');
  return `it reaches no device: its exclusions (${ex}) hold every group it includes, and an exclusion wins over an inclusion, so it is assigned to nobody in effect`;
}

/** A setting's value as a message names it: a choice's option id, or "another value" (a simple value may be a secret). */
function sideValue(side: SettingConflict['a']): string {
  return side.option ? `\`${side.option}\`` : 'another value';
}

/**
 * The protection is turned on only by profiles whose enabling setting another assigned profile sets to another value
 * for every device they reach: one finding on the manifest's platform entry, naming each conflict. Intune reports a
 * conflict and applies neither value
 * (https://learn.microsoft.com/intune/intune-service/configuration/device-profile-troubleshoot#what-happens-when-profiles-conflict),
 * so the protection is on nowhere; `setting-conflict` reports the conflict on both profiles.
 */
function reportConflict(tenant: TenantView, emit: Emit, protection: Protection, conflicted: { profile: PolicyFacts; conflicts: SettingConflict[] }[], platform: string, advice: { risk: string }): void {
  const manifest = tenant.manifest!;
  const seen = new Set<SettingConflict>();
  const parts: string[] = [];
  const rel: RelatedInfo[] = [];
  for (const { profile, conflicts } of conflicted) {
    for (const c of conflicts) {
      if (seen.has(c)) continue;
      seen.add(c);
      const [own, other] = c.a.profile === profile ? [c.a, c.b] : [c.b, c.a];
      parts.push(`${profileLabel(own.profile)} sets \`${c.id}\` to ${sideValue(own)} and ${profileLabel(other.profile)} to ${sideValue(other)}, both for ${c.shared}`);
      for (const side of [own, other]) {
        if (rel.some((r) => r.file === side.profile.path)) continue;
        rel.push({ file: side.profile.path, span: policySpan(side.profile, ['spec', ...side.instance.idPath], 'value'), message: `sets \`${c.id}\` to ${sideValue(side)}, in conflict` });
      }
    }
  }
  const many = conflicted.length > 1;
  emit({
    file: manifest,
    span: manifestPlatformSpan(manifest, protection.platform),
    message:
      `the tenant manages ${platform} devices, but the only assigned ${many ? 'profiles' : 'profile'} that ${many ? 'turn' : 'turns'} on ${protection.name} ${many ? 'are' : 'is'} in conflict on every device ${many ? 'they reach' : 'it reaches'}: ${parts.join('; ')}. ` +
      `Where two profiles set one setting to different values, Intune reports a conflict and applies neither value, so nothing turns ${protection.name} on there: ${advice.risk}. ` +
      `Keep the setting in one profile (remove it from the other, or delete the profile it replaced), or assign the two to groups that do not overlap`,
    related: rel,
    data: { platform: protection.platform, state: 'conflict' },
  });
}

/** The co-management sliders, as messages name their workloads, with Learn's section on each. */
const WORKLOADS: Record<CoManagedSlider['slider'], { name: string; anchor: string }> = {
  deviceConfigurationWorkload: { name: 'Device configuration', anchor: 'device-configuration' },
  endpointProtectionWorkload: { name: 'Endpoint Protection', anchor: 'endpoint-protection' },
};

/**
 * The message's part on profiles that turn the protection on but that a workload Configuration Manager holds governs,
 * one clause per slider: "; `a` turns it on, but is a settings catalog profile, which the Device configuration workload
 * governs whatever it holds (`settings.coManagement.deviceConfigurationWorkload: configurationManager`), so it reaches
 * no co-managed Windows device (Learn)".
 */
function heldBackText(held: readonly HeldBack[]): string {
  const sliders = [...new Set(held.map((h) => h.slider))];
  return sliders
    .map((slider) => {
      const these = held.filter((h) => h.slider === slider);
      const many = these.length > 1;
      const types = [...new Set(these.map((h) => h.type))];
      const what = types.length === 1 ? (many ? PROFILE_TYPE_NAMES[types[0]!].many : PROFILE_TYPE_NAMES[types[0]!].one) : listText(types.map((t) => PROFILE_TYPE_NAMES[t].one));
      // Learn says it of the settings catalog: its slider governs such a policy "regardless of the contents".
      const whatever = types.every((t) => t === 'settingsCatalog') ? ` whatever ${many ? 'they hold' : 'it holds'}` : '';
      const workload = WORKLOADS[slider];
      return (
        `; ${listText(these.map((h) => h.name))} ${many ? 'turn' : 'turns'} it on, but ${many ? 'are' : 'is'} ${what}, which the ${workload.name} workload governs${whatever} ` +
        `(\`settings.coManagement.${slider}: configurationManager\`), so ${many ? 'they reach' : 'it reaches'} no co-managed Windows device (https://learn.microsoft.com/intune/configmgr/comanage/workloads#${workload.anchor})`
      );
    })
    .join('');
}

/**
 * The protection is set off (ASR rules in Audit) by every assigned profile that sets it for the devices security
 * baselines reach, and the baselines' template defaults may turn it on: information, on the first such profile. A
 * baseline lists only the settings changed from its template, and where two profiles set one setting to different
 * values Intune applies neither (a conflict), so whether the devices enforce it no file says
 * (https://learn.microsoft.com/intune/intune-service/configuration/device-profile-troubleshoot#what-happens-when-profiles-conflict).
 */
function reportBesideBaselines(emit: Emit, protection: Protection, beside: { profiles: PolicyFacts[]; baselines: PolicyFacts[] }, platform: string, advice: { besideBaseline?: string }): void {
  const [first, ...others] = beside.profiles;
  if (!first) return;
  const label = profileLabel;
  const list = (ps: PolicyFacts[]): string => listText(ps.map(profileLabel));
  const why = verdictOf(first, protection).nearMiss ?? `leaves ${protection.name} off`;
  const baselines = list(beside.baselines);
  emit({
    file: first,
    span: policySpan(first, ['spec', 'settings'], 'key'),
    severity: 'information',
    message:
      `${label(first)} ${why}${others.length ? ` (so ${others.length === 1 ? 'does' : 'do'} ${list(others)})` : ''}; no other assigned profile sets ${protection.name} for the ${platform} devices that ${baselines} reach${beside.baselines.length > 1 ? '' : 'es'}, ` +
      `${beside.baselines.length > 1 ? 'security baselines' : 'a security baseline'} whose template defaults may turn ${protection.name} on (a baseline file lists only the settings changed from its template). ` +
      `Whether those devices enforce ${protection.name} is unknown: the baseline's defaults may, and where they set the same rule to another value Intune applies neither (a conflict). ` +
      (advice.besideBaseline ?? `Turn ${protection.name} on in ${label(first)} when its audit period is over, or check the baseline's values in the admin center`),
    related: [...others.map((o) => related(o, `also sets ${protection.name} off for those devices`)), ...beside.baselines.map((b) => related(b, `a security baseline whose template defaults may turn ${protection.name} on`))],
    data: { platform: protection.platform, state: 'besideBaseline' },
  });
}

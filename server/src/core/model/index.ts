/**
 * The tenant model: every fact about a tenant that more than one place asks, computed once per analysis and read by
 * every rule, What If, the lockout check, hovers and the layer tree. Who can enroll, which compliance and app
 * protection policies reach enrollable devices, whether a grant can be met, who the break-glass accounts are, which
 * devices are onboarded to Defender, which manifest facts are undeclared, which files could not be read.
 * Two answers to one question would be a bug: add a question here, never in a rule.
 */
import { appliesToNoSignIn, includesDevicesByFilter } from './sign-in-scope';
import { asObject } from '../document';
import { compliantDeviceByFilter, deviceFilterOf, filterApplies, filterKey } from './device-filter';
import { settingsNotExported, type FileFacts, type ManifestFacts, type PolicyFacts } from '../facts';
import { AZUREAD_MODULE_ADVICE, CONFIGURATION_EVIDENCE_TYPES, foreignGraphTypeOf, isEdrIntent, kindOfODataType, isOnboardingEvidence, collectionEvidence, collectionKindPlatforms, collectionKinds, contextKinds, fromAzureAdModule, fromPowerShellSdk, IMPORT_ADVICE, intentTemplateId, POWERSHELL_SDK_SHAPE, rawKindOf, readGraphAssignments, unwrapExport, wrappedKind } from '../graph';
import type { PolicyKind } from '../kinds';
import { relative } from '../paths';
import { isPlatform, PLATFORMS, type Platform } from '../platforms';
import type { ReadCounts, TenantView } from '../rule';
import { BreakGlass, caUsers, ROLE_NAMES, roleId, roleLabel } from './break-glass';
import { DIRECTORY_SYNC_ROLE, excludesNoOne } from './directory-sync';
import { graphRefusal } from '../schema/issue';
import { readDeclaredFacts, type ComplianceWorkload, type DeclaredFacts, type UndeclaredFact } from './declared';
import { BaselineModel } from './baselines';
import { DefenderModel, otherOnboardingOf, reachesSecuritySettingsManagement, technologiesOf, type EnrollmentReading } from './defender';
import { ENROLLMENT_EVIDENCE_KINDS, EnrollmentModel, enrollmentTypeOf, type EnrollmentAnswer, type IntuneEnrollment } from './enrollment';
import { policyReach, type ComplianceReach, type PolicyReach } from './compliance-reach';
import { protectsNoApp } from './app-protection';
import { appliesToEveryDevice, osVersionUnmeetable, type UnmeetableCompliance } from './os-version';
import { intuneServiceFor, type IntuneControl, type IntuneServiceAnswer } from './intune-service';
import { controlAbility, externalUsersOnly, grantAbility, grantControlNames, pilotWithoutCompliance, type CoManagedWorkload, type ControlAbility, type GrantAbility, type GrantContext } from './grants';
import { GroupDirectory } from './groups';
import { excludedGuestGroups } from './guests';
import { enrollsPlatform, foreignDocument, foreignPlatformsOf } from './foreign';
import { readNamedLocations, type NamedLocations } from './named-locations';
import { readSignInTargets, type SignInTargets } from './sign-in-targets';
import { policyStrength, readAuthStrengths, type AuthStrengths } from './auth-strengths';
import { assignedToNobody, assignmentDeclaration, autopilotAssignment, foreignTargets, readTargets, type AutopilotAssignment, type Targets } from './targets';
import { assignmentReach, coverage, type Coverage, exclusionsTakingAll, overlap, SettingValues, targetsReachAllOf } from './setting-values';
import { undeclaredFacts } from './undeclared';
import { legacyBlocks, type LegacyBlock } from './legacy-auth';
import { sniffKind, sniffOwner, sniffPlatform } from './sniff';
import { protectionsOfTemplate, type ProtectionId } from '../template-families';
import { BASELINE_TEMPLATE_FAMILY, legacyBaselineOf, templateFamilyOf } from '../kinds';
import { evidencedPlatformsOf, isUnreadable, kindRead, noteReads, policiesOfKind, READS_MANIFEST, READS_OTHERS, READS_PLATFORMS, READS_UNREADABLE, recordingReads, type Read } from '../reads';

/**
 * What each part of the model reads of the tenant (`reads.ts`). The model is made once per view, so each part notes
 * its reads whenever a rule asks for it: a part that reads more than it names here would leave a rule's findings
 * stale after an edit (test/unit/incremental-rules.test.ts compares every rule's incremental run with a full one).
 */
const MANIFEST_READS: readonly Read[] = [READS_MANIFEST];
const ENROLLMENT_READS: readonly Read[] = [READS_MANIFEST, kindRead('EnrollmentRestriction')];
const DEFENDER_READS: readonly Read[] = [READS_MANIFEST, kindRead('DefenderConnector'), kindRead('ConfigurationProfile'), kindRead(undefined), READS_OTHERS];
/** The baselines: profiles of ours, and raw intents (files of no kind, or not policies). */
const BASELINE_READS: readonly Read[] = [kindRead('ConfigurationProfile'), kindRead(undefined), READS_OTHERS];
const UNREADABLE_READS: readonly Read[] = [READS_UNREADABLE, READS_MANIFEST];
// Policy files of no kind too: an untyped object of a set of several types (`contextKinds`) may hold a policy.
const COLLECTION_READS: readonly Read[] = [READS_OTHERS, kindRead(undefined)];
/** The raw exports no kind holds: files of no kind, among the policies and the other files. */
const FOREIGN_READS: readonly Read[] = [kindRead(undefined), READS_OTHERS];
/** The CA policies' sign-in targets, and the authentication contexts exported as files of no kind. */
const SIGN_IN_TARGET_READS: readonly Read[] = [kindRead('ConditionalAccessPolicy'), ...FOREIGN_READS];
const PLATFORM_READS: readonly Read[] = [READS_MANIFEST, READS_PLATFORMS];
const COMPLIANCE_READS: readonly Read[] = [...ENROLLMENT_READS, kindRead('CompliancePolicy')];
const AUTOPILOT_READS: readonly Read[] = [kindRead('AutopilotProfile')];
const APP_PROTECTION_READS: readonly Read[] = [READS_MANIFEST, kindRead('AppProtectionPolicy')];
const PROFILE_READS: readonly Read[] = [kindRead('ConfigurationProfile')];
/** The settings catalog profiles' values: the profiles, and the manifest's groups for whom they reach. */
const SETTING_VALUE_READS: readonly Read[] = [READS_MANIFEST, kindRead('ConfigurationProfile')];
/** The CA policies: what the index of blocks by device filter (`blockedComplement`) is made of. */
const CA_READS: readonly Read[] = [kindRead('ConditionalAccessPolicy')];

export { settingsNotExported } from '../facts';

/**
 * What a profile exported without its settings may hold of the configuration checks' protections, by its template id
 * where known, else its template family (`template-families.ts`, the one table module): `any` for the settings catalog
 * without a template, a baseline or a family not in the table; else only `holds` (a disk encryption profile: BitLocker,
 * or FileVault on a Mac; a Device Control profile: none).
 */
export function unexportedMayHold(p: PolicyFacts): { any: boolean; holds: readonly ProtectionId[] } {
  return protectionsOfTemplate(p.spec?.templateReference, p.platforms);
}

/** Which devices a CA policy reaches as far as its device filter goes (`TenantModel.deviceFilterReach`). */
export type DeviceFilterReach = 'every' | 'registered' | 'some' | 'unknown';

/**
 * A layer 5 profile whose settings are not read, which leaves something unknown (`TenantModel.profilesWithoutSettings`):
 * exported without them, or written under a kind that does not hold it (`writtenAs`).
 */
export interface ProfileWithoutSettings {
  profile: PolicyFacts;
  /** It may hold anything (no template, a baseline): what it configures is not known. */
  any: boolean;
  /** The configuration checks' protections of its platforms it may hold, by its template id where known, else its family. */
  holds: readonly ProtectionId[];
  /**
   * Its `spec` is a Graph resource `kind: ConfigurationProfile` does not hold (a template or custom profile, an intent:
   * the schema's error on its `@odata.type`), by its type name, so the file is not read at all: not a settings catalog
   * profile exported without its settings. `onboarding`: the platform whose Defender for Endpoint onboarding it carries
   * (a macOS custom profile with the onboarding payload, the Defender model's `otherOnboardingOf` with `without: 'kind'`).
   */
  writtenAs?: { type: string; onboarding?: Platform };
}

/** What a `kind: ConfigurationProfile` file's `spec` is when the kind does not hold it (`ProfileWithoutSettings.writtenAs`). */
function writtenAsOf(p: PolicyFacts): { writtenAs?: { type: string; onboarding?: Platform } } {
  if (p.kind !== 'ConfigurationProfile' || p.raw) return {};
  // The file's own `spec` as written: the model's `spec` holds only what the kind reads.
  const spec = asObject(asObject(p.value)?.spec);
  const type = foreignGraphTypeOf(spec);
  if (!spec || !type || kindOfODataType(spec['@odata.type'])) return {};
  const onboarding = otherOnboardingOf(p);
  return { writtenAs: { type, ...(onboarding?.without === 'kind' ? { onboarding: onboarding.platform } : {}) } };
}

/**
 * The co-management workloads that deliver configuration (`ModelOf.configMgrWorkload`): Endpoint Protection
 * (`settings.coManagement.endpointProtectionWorkload`) and Device configuration (`deviceConfigurationWorkload`).
 */
export type ConfigurationWorkload = 'endpointProtection' | 'deviceConfiguration';

/**
 * Where Configuration Manager holds a configuration workload (`configurationManager`, or `pilotIntune`: all but the
 * pilot collection's devices), and the manifest's slider that decided it: Device configuration at Pilot Intune moves
 * Endpoint Protection with it, so the slider a message names is not always the workload's own.
 */
export interface CoManagedSlider {
  state: CoManagedWorkload;
  slider: 'endpointProtectionWorkload' | 'deviceConfigurationWorkload';
}

/**
 * How the tenant folder keeps a platform's layer 5 configuration (`TenantModel.configurationKept`), the one answer the
 * configuration checks and layer 5's status read before saying "no profile turns it on".
 */
export type ConfigurationKept =
  /** The platform's configuration profiles (or raw template, custom or intent exports of it) are in the folder. */
  | { state: 'kept' }
  /**
   * None is, and the folder does not show the platform's configuration is kept here: it keeps no layer 5 file at all,
   * or the files do not show Intune enrolls the platform's devices (nor a co-management workload at Pilot Intune).
   */
  | { state: 'notKept' }
  /** None is, but a file not analysed may hold one (the model's `hiding`). */
  | { state: 'unknown'; hiding: readonly FileFacts[] }
  /**
   * None is, though the files show the platform's devices take configuration from Intune: the folder keeps layer 5
   * for other platforms (`keptFor`, their files) and Intune enrolls the platform's devices (`enrolledBy`: the files
   * that show it, `enrollmentEvidence`; empty where only a raw export does), or the manifest places a configuration
   * workload at Pilot Intune (`pilot`), whose pilot collection's devices take it from Intune. A gap, not a folder that
   * does not keep layer 5.
   */
  | { state: 'missing'; keptFor: readonly FileFacts[]; enrolledBy: readonly PolicyFacts[]; pilot?: CoManagedSlider };

/** A file of the tenant that could not be read or parsed, and the policy kind it may hold (`*`: any). */
export interface UnreadableFile {
  file: FileFacts;
  kind: PolicyKind | '*';
  /** The platforms its policies are for, when its text (or a list's items) says; undefined: any platform. */
  platforms?: readonly Platform[];
  /** Why it is not analysed (`NotAnalysed`): the one reason `unknown-kind`, What If, the lockout check and the report give. */
  why: NotAnalysed;
  /** For a file that could not be read: the `owner` its text names (`sniffOwner`), whom the report files it under. */
  owner?: string;
}

/**
 * Why a file that may hold a policy is not analysed: it could not be read (`unreadable`; the generic reason), it is a
 * Graph list (`list`), a policy inside another tool's wrapper, or a policy in the Graph PowerShell SDK's or the AzureAD
 * module's shape. `holds`: the file is known to hold a policy of its kind (a wrapper's or an SDK object's), not only
 * that it may; `text`, the reason as a message gives it, the shape named as `unknown-kind` names it on the file.
 */
export interface NotAnalysed {
  shape: 'unreadable' | 'list' | 'wrapper' | 'powershellSdk' | 'azureAdModule' | 'untyped' | 'manifest';
  text: string;
  holds: boolean;
}

const UNREADABLE: NotAnalysed = { shape: 'unreadable', text: 'a file that could not be read', holds: false };
/**
 * The tenant's manifest, when it could not be read: it holds no policy (a manifest is never a policy file), but every
 * fact of the tenant is in it, so nothing it would decide is known (the texts say so: `manifestUnreadableText`).
 */
const MANIFEST_UNREADABLE: NotAnalysed = { shape: 'manifest', text: "the tenant's manifest, which could not be read: the tenant's facts are unknown", holds: false };
const LIST: NotAnalysed = { shape: 'list', text: 'a Graph list', holds: false };
/**
 * A Graph list whose items the model reads as policies of the kind (`collectionKindPlatforms`): it holds them, and the
 * texts say so (as `unknown-kind` counts them on the file), not that it "may hold" one.
 */
function listHolding(count: number): NotAnalysed {
  return { shape: 'list', text: `in a Graph list that holds ${count === 1 ? 'it' : `${count} of them`}; ${IMPORT_ADVICE} splits such a list into one file per policy`, holds: true };
}
const UNTYPED: NotAnalysed = { shape: 'untyped', text: 'an export of a Graph set of several types without its `@odata.type`; export it again with its `@odata.type`', holds: false };
// Said of one file or several ("it is not analysed, …", "they are …"): no "it" for the file, and one level of parentheses.
const POWERSHELL_SDK: NotAnalysed = { shape: 'powershellSdk', text: `written ${POWERSHELL_SDK_SHAPE.replace('writes it', 'writes a policy')}; ${IMPORT_ADVICE} turns such a file into a policy file`, holds: true };
const AZUREAD_MODULE: NotAnalysed = { shape: 'azureAdModule', text: `${AZUREAD_MODULE_ADVICE.replace(/:.*$/s, '')}; export such a file again through Microsoft Graph, then run ${IMPORT_ADVICE}`, holds: true };

export class TenantModel {
  private readonly _manifest: ManifestFacts | undefined;
  private readonly _declared: DeclaredFacts;
  private readonly _groups: GroupDirectory;
  private _enrollment: EnrollmentModel | undefined;
  private readonly _breakGlass: BreakGlass;
  private _defender: DefenderModel | undefined;
  private _baselines: BaselineModel | undefined;
  private _settingValues: SettingValues | undefined;
  private _namedLocations: NamedLocations | undefined;
  private _signInTargets: SignInTargets | undefined;
  private _authStrengths: AuthStrengths | undefined;
  private readonly _unreadable: UnreadableFile[];
  private readonly _collections: UnreadableFile[];
  private readonly _platforms: Platform[];
  private readonly _platformsDeclared: boolean;
  /** Whether, undeclared, the platforms are those the tenant's Intune policies manage (not every one, for want of any). */
  private readonly _platformsEvidenced: boolean;
  /**
   * The store's counts of this tenant's reads, and the count this model's view was made at (`TenantView.readVersions`);
   * undefined for any other view, or a view made before the tenant's latest change. With them, answers that read
   * nothing changed since are taken over from the model of the view before (`carry`).
   */
  private readonly counts: ReadCounts | undefined;
  private readonly madeAt: number = 0;
  /** By policy (one of the manifest's groups' reading of it): whom it targets. */
  private targetsCache = new WeakMap<PolicyFacts, Targets>();
  /** `compliancePolicies`' answers (COMPLIANCE_READS), by `includeUnassigned` and platform, then users (`usersKey`). */
  private complianceCache: [Map<Platform, Map<string, PolicyFacts[]>>, Map<Platform, Map<string, PolicyFacts[]>>] = [new Map(), new Map()];
  /** `unmeetableCompliance`'s answers (COMPLIANCE_READS), by platform, then users (`usersKey`). */
  private unmeetableCache = new Map<Platform, Map<string, UnmeetableCompliance[]>>();
  private grantContext: GrantContext | undefined;
  private roleHolderContext: GrantContext | undefined;
  /**
   * `grant`'s answers for all users, by policy, then platform and its name, with what each read and the count of the
   * view it was made for: shared with the models of the views before and after while the manifest and the day stay.
   */
  private grantCache = new WeakMap<PolicyFacts, Map<string, { ability: GrantAbility; reads: readonly Read[]; at: number }>>();
  /** `hiding`'s answers by kind and platform: What If asks on every evaluation, the lockout check's grid once per sign-in. */
  private readonly hidingCache = new Map<string, readonly FileFacts[]>();
  /** `configurationFiles`' answer, once found. */
  private _configurationFiles: readonly { file: FileFacts; platforms: readonly Platform[] }[] | undefined;
  private readonly hidingPathsCache = new Map<PolicyKind, readonly string[]>();
  private withoutSettingsCache: readonly ProfileWithoutSettings[] | undefined;
  /** The enabled blocks that a device filter scopes, by the filter's rule (`filterKey`): `blockedComplement`'s index. */
  private filteredBlocks: Map<string, { policy: PolicyFacts; positive: boolean; scope: string }[]> | undefined;

  constructor(readonly tenant: TenantView) {
    this._manifest = tenant.manifest;
    this._declared = readDeclaredFacts(this._manifest, tenant.now);
    // The manifest's groups and break-glass accounts are the manifest's alone: one directory per manifest, whose nested
    // group closures outlive an edit of a policy (a new view, a new model).
    const byManifest = this._manifest ? PER_MANIFEST.get(this._manifest) : undefined;
    if (byManifest) ({ groups: this._groups, breakGlass: this._breakGlass } = byManifest);
    else {
      this._groups = new GroupDirectory(this._manifest);
      this._breakGlass = new BreakGlass(this._manifest, this._groups);
      if (this._manifest) PER_MANIFEST.set(this._manifest, { groups: this._groups, breakGlass: this._breakGlass });
    }
    // What each file not analysed may hold is the file's alone (`fileEntries`): read once per file, not once per model.
    // (Loops, not spreads and flatMap: the model is made once per edit, over every file of the tenant, most of them with
    // nothing to add.)
    const others = tenant.others;
    const policies = tenant.policies;
    this._unreadable = [];
    for (const file of others) for (const u of fileEntries(file).unreadable) this._unreadable.push(u);
    for (const file of policies) for (const u of fileEntries(file).unreadable) this._unreadable.push(u);
    // A manifest that could not be read holds no policy, but leaves every fact of the tenant unknown: nothing may be said
    // missing for want of it (it stands for any kind here), and every text names it as the manifest, never as a file
    // that "may hold" a policy (`notAnalysedText`, `unreadCaText`).
    if (tenant.manifestProblem && tenant.manifestFile) this._unreadable.push({ file: tenant.manifestFile, kind: '*', why: MANIFEST_UNREADABLE });
    this._collections = [];
    for (const file of others) for (const c of fileEntries(file).collections) this._collections.push(c);
    // An object of a set of several types that names no `@odata.type` (`managedAppPolicies`), a file of no kind: it may
    // be a policy of the kind, which is not read (`contextKinds`).
    for (const file of others) for (const u of fileEntries(file).untyped) this._collections.push(u);
    for (const file of policies) if (!file.kind) for (const u of fileEntries(file).untyped) this._collections.push(u);
    this._platformsDeclared = this._declared.platforms !== undefined && this._declared.platforms.length > 0;
    // Declared platforms are the manifest's alone; otherwise the policies' are counted, and with no evidence at all
    // (a Conditional Access-only tenant) every platform may be in use.
    const evidenced = this._platformsDeclared ? [] : evidencedPlatforms(policies, others);
    this._platformsEvidenced = evidenced.length > 0;
    this._platforms = this._platformsDeclared ? this._declared.platforms! : this._platformsEvidenced ? evidenced : [...PLATFORMS];
    const counts = tenant.readVersions;
    if (counts && tenant.generation === counts.generation) {
      this.counts = counts;
      this.madeAt = counts.generation;
      const before = LATEST.get(counts);
      LATEST.set(counts, this);
      if (before) this.carry(before);
    }
  }

  /**
   * Take over from the model of an earlier view of the tenant (same manifest, same day: the same counts) the answers
   * whose reads no change since has touched. An edit makes a new view, and so a new model, which would otherwise make
   * again after every keystroke who can enroll, which compliance policies reach whom, and every grant's evaluation
   * (`ca-group-alignment` asks one per platform of the edited CA policy). Both views are fixed, and the reads of what
   * is taken over did not change between them, so both models give the same answers from the same caches; facts of
   * files not changed since are the same objects in both.
   */
  private carry(before: TenantModel): void {
    const unchanged = (reads: readonly Read[]): boolean => reads.every((r) => this.counts!.version(r) <= before.madeAt);
    // Whom a policy targets is its facts' and the manifest's alone; a new manifest starts new counts.
    this.targetsCache = before.targetsCache;
    // Each answer checks its own reads when asked (`grant`).
    this.grantCache = before.grantCache;
    if (unchanged(ENROLLMENT_READS) && before._enrollment) this._enrollment = before._enrollment;
    if (unchanged(COMPLIANCE_READS)) {
      this.complianceCache = before.complianceCache;
      this.unmeetableCache = before.unmeetableCache;
    }
  }

  /** Whether an answer made for the view at count `at` holds for this model's view: none of its reads changed between. */
  private holds(reads: readonly Read[], at: number): boolean {
    if (at === this.madeAt) return true;
    const counts = this.counts;
    if (!counts) return false;
    const since = Math.min(at, this.madeAt);
    return reads.every((r) => counts.version(r) <= since);
  }

  get manifest(): ManifestFacts | undefined {
    noteReads(MANIFEST_READS);
    return this._manifest;
  }

  get declared(): DeclaredFacts {
    noteReads(MANIFEST_READS);
    return this._declared;
  }

  get groups(): GroupDirectory {
    noteReads(MANIFEST_READS);
    return this._groups;
  }

  /** Made when first asked, with nothing noted (as the model is): what it reads is what ENROLLMENT_READS names. */
  get enrollment(): EnrollmentModel {
    noteReads(ENROLLMENT_READS);
    return (this._enrollment ??= recordingReads(undefined, () => new EnrollmentModel(this.tenant.policies, this._declared, this._groups, this._manifest?.path, this.tenant.manifestProblem !== undefined)));
  }

  get breakGlass(): BreakGlass {
    noteReads(MANIFEST_READS);
    return this._breakGlass;
  }

  /** Made when first asked, with nothing noted (as the model is): what it reads is what DEFENDER_READS names. */
  get defender(): DefenderModel {
    noteReads(DEFENDER_READS);
    return (this._defender ??= recordingReads(
      undefined,
      () =>
        new DefenderModel(this.tenant.policies, this.tenant.others, this._declared.defenderOnboarding, (p) => this.enrollmentReading(p), (p) => this.configMgrWorkload(p, 'endpointProtection'), {
          reach: (p) => assignmentReach(p, this._groups),
          settingValues: () => this.settingValues,
          overlap: (a, b) => overlap(this.targets(a), this.targets(b), this._groups),
          reachesAllOf: (a, b) => this.reachesAllOf(a, b),
          targetsOf: (f) => this.fileTargets(f),
          coverage: (sources, target) => coverage(sources, target, this._groups),
          platformDeclared: (p) => this.platformsDeclared && this.platforms.includes(p),
          connectorHiding: () => this.hidingPaths('DefenderConnector'),
        }),
    ));
  }

  /**
   * Which security baselines the tenant has, and each instance with whom it is assigned to (`BaselineModel`): made when
   * first asked. Its `instances` and `overlaps` read the manifest's groups too, and note it.
   */
  get baselines(): BaselineModel {
    noteReads(BASELINE_READS);
    // Made with nothing noted, as the model is (`modelOf`): its constructor walks every policy for the baseline profiles
    // and the raw intents, which are what BASELINE_READS names; noted as everything, a compliance or CA edit re-ran
    // every rule that asks for the baselines.
    return (this._baselines ??= recordingReads(undefined, () => new BaselineModel(this.tenant.policies, this.tenant.others, this._groups)));
  }

  /**
   * The settings catalog profiles' values and their conflicts (`setting-values.ts`): two assigned profiles that set one
   * setting to different values for devices both certainly reach, which Intune applies on neither side. Made when first
   * asked; reads the profiles and the manifest's groups.
   */
  get settingValues(): SettingValues {
    noteReads(SETTING_VALUE_READS);
    return (this._settingValues ??= recordingReads(undefined, () =>
      new SettingValues(policiesOfKind(this.tenant, 'ConfigurationProfile'), this._groups, (p) => this.targets(p), (a, b) => this.reachesAllOf(a, b)),
    ));
  }

  /**
   * Whom an Intune policy reaches (`assignmentReach`): `assignmentDeclaration`'s answer, with a policy whose exclusions
   * take out every group it includes (nested groups followed: an exclusion wins) read as assigned to nobody, as
   * `include: []` is. The one answer the configuration checks and the Defender model read.
   */
  assignmentOf(p: PolicyFacts): 'undeclared' | 'nobody' | 'assigned' {
    noteReads(MANIFEST_READS);
    return assignmentReach(p, this._groups);
  }

  /** The excluded groups that take out every group a policy includes (`exclusionsTakingAll`), for messages. */
  excludedEntirelyBy(p: PolicyFacts): string[] | undefined {
    return exclusionsTakingAll(this.targets(p), this.groups);
  }

  /**
   * The tenant's named locations as its folder exports them, and which are trusted (`named-locations.ts`): made when
   * first asked. What If's `--location trusted` and the rules that name what a location condition leaves open read it.
   */
  get namedLocations(): NamedLocations {
    noteReads(FOREIGN_READS);
    noteReads(UNREADABLE_READS);
    return (this._namedLocations ??= recordingReads(undefined, () => readNamedLocations([...this.tenant.policies, ...this.tenant.others])));
  }

  /**
   * What the CA policies name as a sign-in's target besides apps (user actions, authentication contexts, flows), with
   * the authentication contexts the folder exports (`sign-in-targets.ts`): made when first asked. What If's choices
   * read it.
   */
  get signInTargets(): SignInTargets {
    noteReads(SIGN_IN_TARGET_READS);
    return (this._signInTargets ??= recordingReads(undefined, () => readSignInTargets(policiesOfKind(this.tenant, 'ConditionalAccessPolicy'), [...this.tenant.policies, ...this.tenant.others])));
  }

  /**
   * The tenant's custom authentication strengths as its folder exports them (`auth-strengths.ts`): made when first
   * asked. What a CA policy's strength is, `strengthOf`, reads it.
   */
  get authStrengths(): AuthStrengths {
    noteReads(FOREIGN_READS);
    return (this._authStrengths ??= recordingReads(undefined, () => readAuthStrengths([...this.tenant.policies, ...this.tenant.others])));
  }

  /**
   * The authentication strength a CA policy requires, the one answer every reader takes (`policyStrength`): its own
   * `authenticationStrength`, completed by the folder's export of a custom strength it names by id only; undefined
   * when it requires none.
   */
  strengthOf(p: PolicyFacts): Record<string, unknown> | undefined {
    const gc = p.spec?.grantControls;
    if (!gc || typeof gc !== 'object' || !('authenticationStrength' in gc)) return undefined;
    return policyStrength(this.authStrengths, p);
  }

  /**
   * Files that could not be read or parsed and may hold a policy: what they hold is unknown, so it is never
   * "missing". A file whose top-level `@odata.type` names a resource of none of our kinds, or that has none of the
   * keys a policy is told by, is not among them (`sniffKind`).
   */
  get unreadable(): readonly UnreadableFile[] {
    noteReads(UNREADABLE_READS);
    return this._unreadable;
  }

  /** The platforms in use: the manifest's, else those the tenant's Intune policies manage. */
  get platforms(): Platform[] {
    // Declared platforms are the manifest's alone; otherwise the policies' are counted.
    noteReads(this._platformsDeclared ? MANIFEST_READS : PLATFORM_READS);
    return this._platforms;
  }

  /**
   * The platforms a sign-in may come from, as the rules read them: those in use (`platforms`), and every one an active
   * CA policy names in `includePlatforms` (less its `excludePlatforms`: `caPlatforms`), which counts even when the
   * manifest does not list it (`ca-requires-compliance-policy`: "named platforms count"). `platforms` first, in its
   * order, then the named ones. The lockout check signs in on each (review r28, p08).
   */
  get signInPlatforms(): Platform[] {
    const out = [...this.platforms];
    const named = new Set<Platform>();
    for (const p of policiesOfKind(this.tenant, 'ConditionalAccessPolicy')) {
      if (p.allPlatforms || appliesToNoSignIn(p) || (p.spec?.state !== 'enabled' && p.spec?.state !== 'enabledForReportingButNotEnforced')) continue;
      for (const pl of this.caPlatforms(p)) named.add(pl);
    }
    return [...out, ...PLATFORMS.filter((pl) => named.has(pl) && !out.includes(pl))];
  }

  /**
   * The directory roles a sign-in check signs in a holder of (an administrator the manifest does not name, no
   * break-glass account), by template id with its name, in the names' order: Global Administrator always, as
   * administrators must reach the admin portals and Azure management whether or not a policy names their role (a block
   * of `MicrosoftAdminPortals` for All users keeps every one of them out, which a sample user, with no role, does not
   * show: the lockout check reads the admin portals as essential only for an account with a role); and every role an
   * active CA policy includes, as admin policies are scoped by role. Not Directory Synchronization Accounts, the
   * Microsoft Entra Connect Sync account's alone, no person who signs in to apps: its one sign-in, the sync service's,
   * is `ca-directory-sync-role-targeted`'s to read, and a sample holder of it, read as a person, made every MFA policy
   * that names the role a lockout. The lockout check and `ztp diff` read it.
   */
  get signInRoles(): { id: string; label: string }[] {
    const roles = new Map<string, string>([[ROLE_NAMES['Global Administrator']!, 'Global Administrator']]);
    for (const p of policiesOfKind(this.tenant, 'ConditionalAccessPolicy')) {
      if (p.spec?.state !== 'enabled' && p.spec?.state !== 'enabledForReportingButNotEnforced') continue;
      for (const r of caUsers(p).includeRoles) if (r.trim()) roles.set(roleId(r), roleLabel(roleId(r)));
    }
    roles.delete(DIRECTORY_SYNC_ROLE);
    return [...roles].map(([id, label]) => ({ id, label })).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }

  get platformsDeclared(): boolean {
    noteReads(MANIFEST_READS);
    return this._platformsDeclared;
  }

  /**
   * Where `platforms` comes from: the manifest's list; else the platforms the tenant's Intune policies manage; else
   * (none named anywhere) every platform.
   */
  get platformsSource(): 'manifest' | 'policies' | 'all' {
    if (this.platformsDeclared) return 'manifest';
    noteReads(PLATFORM_READS);
    return this._platformsEvidenced ? 'policies' : 'all';
  }

  get secureByDefault(): boolean | undefined {
    return this.declared.secureByDefault;
  }

  /**
   * Whether a fact the manifest declares for the whole tenant keeps an Intune grant control from every user: an MDM
   * authority other than Intune (`settings.mdmAuthority`), or licences none of which includes the Intune service the
   * control rests on (`licenses`), as `mdm-authority-not-intune` and `license-missing` report them (`intune-service.ts`).
   * Undefined where nothing declared does (undeclared is unknown). The grant evaluator reads it.
   */
  intuneService(control: IntuneControl): IntuneServiceAnswer | undefined {
    noteReads(MANIFEST_READS);
    return intuneServiceFor(control, this._declared, this._manifest);
  }

  /**
   * Whether Configuration Manager evaluates the compliance of the platform's devices under co-management, as the
   * manifest declares (`settings.coManagement.complianceWorkload`): `configurationManager` for every co-managed device,
   * `pilotIntune` for all but the pilot collection's, undefined where Intune alone does or nothing is declared (the
   * checks then read compliance as Intune's). Co-management manages Windows 10 and later only. The grant evaluator,
   * and through it What If, the lockout check and the rules, and the layer tree read this one answer.
   */
  configMgrCompliance(platform: Platform): CoManagedWorkload | undefined {
    if (platform !== 'windows') return undefined;
    const workload = this.declared.complianceWorkload;
    return workload === 'configurationManager' || workload === 'pilotIntune' ? workload : undefined;
  }

  /**
   * Under Pilot Intune, whether the pilot collection has no Intune compliance policy of the platform (`pilotWithoutCompliance`,
   * the grant evaluator's answer): layer 3 is then not done for the pilot's devices.
   */
  pilotLacksCompliance(platform: Platform): boolean {
    return this.configMgrCompliance(platform) === 'pilotIntune' && pilotWithoutCompliance(this.context(), platform);
  }

  /**
   * Whether Configuration Manager delivers a configuration workload to the platform's co-managed devices, as the
   * manifest declares (`settings.coManagement.endpointProtectionWorkload`, `deviceConfigurationWorkload`):
   * `configurationManager` for every co-managed device, `pilotIntune` for all but the pilot collection's, undefined where
   * Intune does or nothing is declared (the configuration checks then read the platform as Intune's, as before).
   * Switching Device configuration moves Endpoint Protection with it
   * (https://learn.microsoft.com/mem/configmgr/comanage/workloads#device-configuration): with Device configuration at
   * Intune, Endpoint Protection is Intune's whatever its own slider says; at Pilot Intune, the pilot collection's is.
   * Co-management manages Windows 10 and later only. The configuration checks (`Protection.workload`) and the layer
   * status read this one answer.
   */
  configMgrWorkload(platform: Platform, workload: ConfigurationWorkload): CoManagedSlider | undefined {
    if (platform !== 'windows') return undefined;
    const { endpointProtectionWorkload: ep, deviceConfigurationWorkload: dc } = this.declared;
    const held = (w: ComplianceWorkload | undefined, slider: CoManagedSlider['slider']): CoManagedSlider | undefined =>
      w === 'configurationManager' || w === 'pilotIntune' ? { state: w, slider } : undefined;
    if (workload === 'deviceConfiguration') return held(dc, 'deviceConfigurationWorkload');
    if (dc === 'intune') return undefined;
    // Device configuration at Pilot Intune moves Endpoint Protection with it: its slider, not Endpoint Protection's
    // (which says Configuration Manager), decides.
    if (dc === 'pilotIntune' && ep === 'configurationManager') return { state: 'pilotIntune', slider: 'deviceConfigurationWorkload' };
    return held(ep, 'endpointProtectionWorkload');
  }

  /**
   * Which co-management workload governs a configuration profile on co-managed Windows devices, by its profile type
   * (https://learn.microsoft.com/intune/configmgr/comanage/workloads): a policy created from the settings catalog (no
   * endpoint security template: no `templateReference`, or `templateFamily: none`) is controlled by the Device
   * configuration slider "regardless of the contents of the policy", and so is a security baseline (a settings catalog
   * one, or an older baseline intent); the older device configuration profiles are Device configuration's too (a custom
   * OMA-URI profile, device restrictions: "the Microsoft Defender Antivirus settings that are part of the Device
   * restrictions profile type … are not included in scope of the Endpoint protection slider"), save the Endpoint
   * protection template (`windows10EndpointProtectionConfiguration`), the Intune feature Learn gives for the Endpoint
   * Protection workload. An endpoint security template, settings catalog or older intent, follows the workload of what
   * it delivers (`fallback`: the protection's, BitLocker and attack surface reduction rules Endpoint Protection's). A
   * raw export is read as the configuration checks read it (`foreignDocument`). Every configuration check and layer 5
   * read this one answer, through `configMgrWorkloadOf` and `configMgrHolds`.
   */
  profileWorkload(p: FileFacts, fallback: ConfigurationWorkload): ConfigurationWorkload {
    if (p.type === 'policy' && p.kind === 'ConfigurationProfile') {
      const family = templateFamilyOf(p.spec?.templateReference);
      if (!family || family === 'none' || family === BASELINE_TEMPLATE_FAMILY) return 'deviceConfiguration';
      return fallback;
    }
    const foreign = foreignDocument(p);
    if (!foreign) return fallback;
    if (foreign.type === 'deviceManagementIntent') return legacyBaselineOf(intentTemplateId(foreign.doc, p.path)) ? 'deviceConfiguration' : fallback;
    return foreign.type === 'windows10EndpointProtectionConfiguration' ? 'endpointProtection' : 'deviceConfiguration';
  }

  /**
   * Whether Configuration Manager holds the workload that governs the profile (a policy of ours or a raw export) on
   * co-managed Windows devices (`profileWorkload`).
   */
  configMgrWorkloadOf(p: FileFacts, fallback: ConfigurationWorkload): CoManagedSlider | undefined {
    if (!this.windowsProfile(p)) return undefined;
    return this.configMgrWorkload('windows', this.profileWorkload(p, fallback));
  }

  /**
   * The slider with which Configuration Manager holds, for every co-managed Windows device, whatever workload governs
   * the profile, whatever it delivers (`configMgrWorkloadOf` at `configurationManager` for both workloads an endpoint
   * security template may follow): it delivers nothing to co-managed devices. What layer 5's status lists as held back.
   */
  configMgrHolds(p: FileFacts): CoManagedSlider | undefined {
    const ep = this.configMgrWorkloadOf(p, 'endpointProtection');
    const dc = this.configMgrWorkloadOf(p, 'deviceConfiguration');
    // A profile whose workload is its type's (not the fallback's) reads the same slider both ways.
    return ep?.state === 'configurationManager' && dc?.state === 'configurationManager' ? ep : undefined;
  }

  /**
   * How the tenant folder keeps a platform's layer 5 configuration, for the configuration checks (BitLocker, LAPS, ASR
   * rules, the Windows baseline, FileVault, the macOS firewall) and layer 5's status: one answer, so the rules and the
   * layer line never disagree.
   * - `kept`: a layer 5 `ConfigurationProfile` of the platform, or a raw template, custom or intent export of it
   *   (`configurationFiles`), is in the folder: the checks read them.
   * - `missing`: none is, yet the platform is the tenant's (`platforms`) and its devices take configuration from Intune:
   *   for Windows, the folder keeps layer 5 files (of any platform) and Intune enrolls Windows devices (`intuneEnrolls`:
   *   a compliance policy, an Autopilot profile…); or the manifest places the configuration workload (`workload`;
   *   without it, either) at Pilot Intune, whose pilot collection's devices take it from Intune
   *   (https://learn.microsoft.com/mem/configmgr/comanage/workloads). Keeping less configuration is no better grade.
   * - `unknown`: none is read, and a file not analysed may hold one.
   * - `notKept`: otherwise. A folder with no layer 5 file at all does not keep the layer here (a folder of Conditional
   *   Access and compliance policies), unless a workload at Pilot Intune says Intune delivers it.
   */
  configurationKept(platform: Platform, workload?: ConfigurationWorkload): ConfigurationKept {
    noteReads(PROFILE_READS);
    noteReads(FOREIGN_READS);
    // Each question below notes its own reads as it is asked.
    if (!this.platforms.includes(platform)) return { state: 'notKept' };
    const files = this.configurationFiles();
    if (files.some((f) => f.platforms.includes(platform))) return { state: 'kept' };
    const keptFor = files.map((f) => f.file);
    const pilots = (workload ? [workload] : (['endpointProtection', 'deviceConfiguration'] as const)).map((w) => this.configMgrWorkload(platform, w)).filter((s) => s?.state === 'pilotIntune');
    const pilot = pilots[0];
    // Asked of Windows alone: Intune-enrolled Windows devices take their hardening (BitLocker, LAPS, ASR rules, the
    // baseline) from configuration profiles. Macs kept to compliance and onboarding beside Windows profiles (the contoso
    // example) are not read as a gap here: FileVault there is the compliance policy's to require.
    const enrolled = platform === 'windows' && keptFor.length > 0 && this.intuneEnrolls(platform);
    if (!pilot && !enrolled) return { state: 'notKept' };
    const hiding = this.hiding('ConfigurationProfile', platform);
    if (hiding.length) return { state: 'unknown', hiding };
    return { state: 'missing', keptFor, enrolledBy: enrolled ? this.enrollmentEvidence(platform) : [], ...(pilot ? { pilot } : {}) };
  }

  /**
   * The tenant's layer 5 configuration files and the platforms each is for: its layer 5 `ConfigurationProfile`s (not
   * Defender onboarding, layer 6, nor an enrollment profile, layer 2), and the raw exports the configuration checks
   * read (`CONFIGURATION_EVIDENCE_TYPES`: template, custom and intent exports; not what onboards devices to Defender,
   * which is layer 6's), as the layer status lists them. Found once per model: six configuration rules and the layer
   * line ask `configurationKept` of it on an edit (its reads are noted by `configurationKept` on every call).
   */
  private configurationFiles(): readonly { file: FileFacts; platforms: readonly Platform[] }[] {
    // What it reads is noted by `configurationKept` on every call (PROFILE_READS, FOREIGN_READS): it walks every file for
    // the raw exports, of which only a file of no kind or not a policy can be one. Noted here, that walk read as
    // everything for the first rule to ask, which then ran again after every edit of any file (issue 18).
    return (this._configurationFiles ??= recordingReads(undefined, () => this.readConfigurationFiles()));
  }

  private readConfigurationFiles(): readonly { file: FileFacts; platforms: readonly Platform[] }[] {
    const out: { file: FileFacts; platforms: readonly Platform[] }[] = policiesOfKind(this.tenant, 'ConfigurationProfile')
      .filter((p) => p.layer === 5 && p.spec)
      .map((p) => ({ file: p, platforms: p.platforms }));
    for (const f of [...this.tenant.policies, ...this.tenant.others]) {
      const foreign = foreignDocument(f);
      if (!foreign || !CONFIGURATION_EVIDENCE_TYPES.includes(foreign.type)) continue;
      const { type, doc } = foreign;
      // The older EDR profile kept as an intent, and a macOS custom profile carrying the Defender onboarding package,
      // onboard devices (layer 6): no configuration. (A Windows custom profile that onboards may set a CSP of layer 5
      // beside it, as the configuration checks read it.)
      if ((type === 'deviceManagementIntent' && isEdrIntent(doc, f.path)) || (type === 'macOSCustomConfiguration' && isOnboardingEvidence(type, doc))) continue;
      out.push({ file: f, platforms: foreignPlatformsOf(type, doc) });
    }
    return out;
  }

  /** Whether a configuration profile, of ours or a raw export (`foreignPlatformsOf`), is for Windows. */
  private windowsProfile(p: FileFacts): boolean {
    if (p.type === 'policy' && p.kind !== undefined) return p.kind === 'ConfigurationProfile' && p.platforms.includes('windows');
    const foreign = foreignDocument(p);
    return !!foreign && foreignPlatformsOf(foreign.type, foreign.doc).includes('windows');
  }

  /**
   * Whether profile `a`'s assignments reach every device profile `b`'s reach (the reach answer of `assignmentReaches`:
   * nested groups followed, an exclusion wins over an inclusion). An exclusion of `a` that `b` does not exclude too
   * leaves some of `b`'s devices out (or may: group membership the files do not show); an assignment filter on `a`
   * takes in devices the files do not name, unless `b` includes the same targets through the same filters
   * (`sameFilters`). A user group excluded from all devices is no exclusion (`Targets.exclude`).
   */
  reachesAllOf(a: PolicyFacts, b: PolicyFacts): boolean {
    return targetsReachAllOf(this.targets(a), this.targets(b), this._groups);
  }

  /**
   * Whom a file is assigned to: a policy of ours (`targets`; an Endpoint DLP policy's devices location, which it always
   * states), or a raw Graph export of no kind (an intent, a template or custom profile; a CIPP template's body read as
   * the body) by its `assignments` list. Undefined where that is unknown: a policy whose file does not say, an export
   * without its `assignments`, or a Graph target among them of a type not read (nor whom it holds). The one reading the
   * Defender model's onboarding reach and `reachOfAll` take.
   */
  fileTargets(f: FileFacts): Targets | undefined {
    const unread = (graph: unknown): boolean => Array.isArray(graph) && graph.length !== readGraphAssignments(graph).length;
    if (f.type === 'policy' && f.kind !== undefined) {
      if (f.kind !== 'EndpointDlpPolicy' && assignmentDeclaration(f) === 'undeclared') return undefined;
      return unread(f.spec?.assignments) ? undefined : this.targets(f);
    }
    const wrapped = unwrapExport(f.value);
    const doc = wrapped ? asObject(wrapped.value) : asObject(f.value);
    return doc && !unread(doc.assignments) ? foreignTargets(doc, this._groups) : undefined;
  }

  /**
   * Whether files `covers` together reach every device file `f` reaches (`coverage`): all, certainly not all (`some`: a
   * FileVault profile on all devices, its escrow on a group), or unknown (groups that may overlap, filters, a file that
   * does not say whom it is assigned to). `filevault-recovery-key-not-escrowed` reads it.
   */
  reachOfAll(covers: readonly FileFacts[], f: FileFacts): Coverage {
    noteReads(MANIFEST_READS);
    const t = this.fileTargets(f);
    const of = covers.map((c) => this.fileTargets(c));
    if (!t || of.some((c) => c === undefined)) return { state: 'unknown' };
    return coverage(of as Targets[], t, this._groups);
  }

  /**
   * Whether a policy of this kind may exist in a file that is not analysed (one that could not be read, or a collection
   * export): then "there is no X" cannot be said.
   */
  mayHide(kind: PolicyKind, platform?: Platform): boolean {
    return this.hiding(kind, platform).length > 0;
  }

  /**
   * The files not analysed that may hold a policy of this kind (unreadable, or a collection), for a note in a message;
   * with a platform, those that may hold one for it (a Graph list of Windows compliance policies holds no iOS one).
   */
  hiding(kind: PolicyKind, platform?: Platform): readonly FileFacts[] {
    // Noted on every call (the answer is kept, but each rule run must still record what it rests on).
    noteReads(UNREADABLE_READS);
    noteReads(COLLECTION_READS);
    // Most tenants have no file that is not analysed: nothing to look up (rules ask this many times per edit).
    if (!this._unreadable.length && !this._collections.length) return NO_FILES;
    const key = `${kind}\u0000${platform ?? ''}`;
    let files = this.hidingCache.get(key);
    if (!files) {
      const holds = (u: UnreadableFile): boolean => platform === undefined || !u.platforms || u.platforms.includes(platform);
      files = [...this._unreadable.filter((u) => (u.kind === '*' || u.kind === kind) && holds(u)), ...this._collections.filter((c) => c.kind === kind && holds(c))].map((u) => u.file);
      this.hidingCache.set(key, files);
    }
    return files;
  }

  /**
   * Why each file `hidingPaths` names is not analysed, by its path (a file both unreadable and a list is unreadable):
   * What If's and the lockout check's `unreadWhy`, which their sentence on those files reads (`unreadCaText`).
   */
  hidingReasons(kind: PolicyKind): Readonly<Record<string, NotAnalysed>> {
    const paths = new Set(this.hidingPaths(kind));
    const out: Record<string, NotAnalysed> = {};
    for (const u of [...this._collections, ...this._unreadable]) if (paths.has(u.file.path) && (u.kind === kind || u.kind === '*')) out[u.file.path] = u.why;
    return out;
  }

  /**
   * The paths of the files not analysed that may hold a policy of this kind, on any platform (`hiding`): What If's and
   * the lockout check's `unread`, one list per model however many sign-ins ask.
   */
  hidingPaths(kind: PolicyKind): readonly string[] {
    const files = this.hiding(kind);
    let paths = this.hidingPathsCache.get(kind);
    if (!paths) this.hidingPathsCache.set(kind, (paths = files.map((f) => f.path)));
    return paths;
  }

  /**
   * The tenant's layer 5 settings catalog profiles exported without their settings (`settingsNotExported`) whose
   * missing settings leave something unknown, sorted by path, each with what it may hold, and, for a file whose `spec`
   * is a profile the kind does not hold, what it is (`writtenAs`: not read at all): what the configuration checks
   * cannot read (they stay silent on those protections), what keeps layer 5 from complete, and what `ztp diff` calls
   * no longer checked. The one answer all three read. A profile assigned to nobody delivers nothing whatever it holds,
   * and is left out (one whose assignments are not in its file stays); so is one whose template family holds none of
   * the protections (an antivirus or Device Control profile), unless it may hold anything (`template-families.ts`).
   */
  profilesWithoutSettings(): readonly ProfileWithoutSettings[] {
    noteReads(PROFILE_READS);
    if (!this.withoutSettingsCache) {
      this.withoutSettingsCache = policiesOfKind(this.tenant, 'ConfigurationProfile')
        .filter((p) => p.layer === 5 && settingsNotExported(p) && assignmentDeclaration(p) !== 'nobody')
        .map((profile) => ({ profile, ...unexportedMayHold(profile), ...writtenAsOf(profile) }))
        .filter((u) => u.any || u.holds.length)
        .sort((a, b) => (a.profile.path < b.profile.path ? -1 : a.profile.path > b.profile.path ? 1 : 0));
    }
    return this.withoutSettingsCache;
  }

  /** Whether a profile's missing settings leave a protection unknown (`profilesWithoutSettings`' answer for one profile). */
  settingsUnknownFor(p: PolicyFacts, protection: ProtectionId): boolean {
    return this.profilesWithoutSettings().some((u) => u.profile === p && u.holds.includes(protection));
  }

  /**
   * Graph collection exports (`{ "value": [ … ] }`, a list response saved whole) and policies inside another tool's
   * wrapper (a CIPP template), with their kinds: those policies are not analysed one by one (`ztp import` splits and
   * unwraps them), so they are not missing either.
   */
  get collections(): readonly UnreadableFile[] {
    noteReads(COLLECTION_READS);
    return this._collections;
  }

  /**
   * What an Autopilot profile's assignment reaches (`AutopilotAssignment`): the targets that reach no Autopilot device
   * (all users, groups the manifest shows to hold only users) and the groups excluded from All devices, which Autopilot
   * does not support. `autopilot-profile-assignment` reads it.
   */
  autopilotAssignment(p: PolicyFacts): AutopilotAssignment {
    return autopilotAssignment(this.targets(p), this.groups);
  }

  targets(p: PolicyFacts): Targets {
    const groups = this.groups;
    let t = this.targetsCache.get(p);
    if (!t) this.targetsCache.set(p, (t = readTargets(p, groups)));
    return t;
  }

  /**
   * The platforms a CA policy applies to here: `all` or no platform condition means the tenant's platforms, less
   * excludes. A policy on every platform that a device filter limits to some devices (shared devices, a kiosk model)
   * applies to the platforms those devices run, which the files do not say: none is claimed.
   */
  caPlatforms(p: PolicyFacts): Platform[] {
    if (!p.allPlatforms) return p.platforms;
    // The devices a filter leaves out of it may run no platform in particular, unless another policy for the same
    // sign-ins blocks exactly them (the privileged access workstation pair): then every device of each platform is
    // held to this one's grant or blocked.
    if (includesDevicesByFilter(p)) {
      if (!this.blockedComplement(p)) return [];
      // Only the platforms whose devices the filter may take in: Microsoft Entra joined devices (`trustType -eq
      // "AzureAD"`) are never iOS or Android ones, which the block takes whole (review B, fa1).
      return this.caPlatformsReached(p);
    }
    return this.platforms.filter((pl) => p.platforms.includes(pl));
  }

  /**
   * Which devices a CA policy reaches as far as its device filter goes, for a question about every device a user may
   * sign in from (an administrator's MFA): `every` (no filter; a block of every device but compliant ones, whose filter
   * is its grant; or an enabled block of the same sign-ins takes exactly the devices the filter leaves out, so every
   * device is held to the policy or blocked: the privileged access workstation pair, `blockedComplement`);
   * `registered` (the filter takes in every device not registered in Microsoft Entra ID, whose attributes are null, but
   * leaves out the registered devices it matches or fails to match: `exclude: device.extensionAttribute1 -eq
   * "TeamsRoom"`, which a device of no such attribute never escapes); `some` (it leaves out unregistered devices, any
   * device a stranger holds: an `include` of positive operators, as `device.displayName -contains "PAW"`); `unknown`
   * (a mode Graph does not know, or a rule that does not parse). `caPlatforms` reads the same complement.
   * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
   */
  deviceFilterReach(p: PolicyFacts): DeviceFilterReach {
    const filter = deviceFilterOf(p);
    if (!filter || compliantDeviceByFilter(p)) return 'every';
    if (filter.mode !== 'include' && filter.mode !== 'exclude') return 'unknown';
    const unregistered = filterApplies(p, { registered: false });
    if (unregistered === undefined) return 'unknown';
    if (this.blockedComplement(p)) return 'every';
    return unregistered ? 'registered' : 'some';
  }

  /**
   * Whether an enabled policy blocks exactly the devices `p`'s filter leaves out, for the same sign-ins: a block
   * whose filter is the complement of `p`'s (`filterKey`: one rule, the other polarity) and whose users, target
   * resources, platforms, client apps and locations are written as `p`'s.
   */
  blockedComplement(p: PolicyFacts): boolean {
    const filter = deviceFilterOf(p);
    const key = filter ? filterKey(filter) : undefined;
    if (!key) return false;
    // The index is made once per model; each question notes the CA policies it rests on.
    noteReads(CA_READS);
    const blocks = (this.filteredBlocks ??= recordingReads(undefined, () => {
      const index = new Map<string, { policy: PolicyFacts; positive: boolean; scope: string }[]>();
      for (const q of policiesOfKind(this.tenant, 'ConditionalAccessPolicy')) {
        if (q.spec?.state !== 'enabled' || !grantControlNames(q).includes('block')) continue;
        const other = deviceFilterOf(q);
        const k = other ? filterKey(other) : undefined;
        if (!k) continue;
        let list = index.get(k.key);
        if (!list) index.set(k.key, (list = []));
        list.push({ policy: q, positive: k.positive, scope: signInScope(q) });
      }
      return index;
    }));
    const candidates = blocks.get(key.key)?.filter((b) => b.policy !== p && b.positive !== key.positive);
    if (!candidates?.length) return false;
    const scope = signInScope(p);
    return candidates.some((b) => b.scope === scope);
  }

  /**
   * The platforms on which a CA policy may reach some device: its platforms (`all`: the tenant's), less those whose
   * devices its device filter leaves out whatever else is known (`device.operatingSystem -eq "iOS"` leaves out every
   * Android phone). Where `caPlatforms` claims only the platforms every device of which it reaches, this is for what
   * is assigned to users, whatever their device (app protection).
   */
  caPlatformsReached(p: PolicyFacts): Platform[] {
    const platforms = p.allPlatforms ? this.platforms.filter((pl) => p.platforms.includes(pl)) : p.platforms;
    return platforms.filter((platform) => filterApplies(p, { platform }) !== false);
  }

  /** Policies of a kind for a platform. */
  policiesFor(kind: PolicyKind, platform: Platform): PolicyFacts[] {
    return policiesOfKind(this.tenant, kind).filter((p) => p.platforms.includes(platform));
  }

  /** Whether a compliance policy reaches any device that can enroll (a type whose enrollment is blocked does not). */
  complianceEnrollment(p: PolicyFacts): EnrollmentAnswer {
    return this.enrollment.forCompliancePolicy(p);
  }

  /**
   * The compliance policies of a platform whose devices no one they are assigned to can enroll (`complianceEnrollment`
   * blocked: a restriction, an expired Apple push certificate, or Android Enterprise without the managed Google Play
   * binding), with why: they reach no device, though other enrollment types of the platform may enroll. The grant
   * evaluator (What If, the lockout check) and `ca-requires-compliance-policy` read this one answer.
   */
  unenrollableCompliance(platform: Platform): { policy: PolicyFacts; enrollment: EnrollmentAnswer }[] {
    noteReads(COMPLIANCE_READS);
    return this.policiesFor('CompliancePolicy', platform)
      .map((policy) => ({ policy, enrollment: this.complianceEnrollment(policy) }))
      .filter((x) => x.enrollment.state === 'blocked');
  }

  /**
   * The platform's compliance policies that reach enrollable devices (for users in these groups, when given: not those
   * that exclude them) and whose OS version bounds no device meets (`osVersionUnmeetable`, bounds on Windows 10 Mobile
   * only left out): a device such a policy applies to is noncompliant, whatever the other policies say. `certain`: it
   * applies to every device of the platform these users sign in on: its type is the platform's one
   * (`appliesToEveryDevice`), it is assigned without an assignment filter to all users or devices, or (with
   * `userGroups`) to a group the manifest puts them in; for no users in particular, to all users or devices with no
   * exclusion. Otherwise it may reach them (a group that may hold them or their devices, an Android enrollment type they
   * may not use); one assigned only to groups whose listed members leave them out is left out. A policy whose file does
   * not say whom it is assigned to is left out (whom it reaches is unknown, as `complianceReach` leaves it). The grant
   * evaluator (What If, the lockout check, `ztp diff`) reads this one answer, and `compliance-os-version-unmeetable` the
   * same reading of each file.
   */
  unmeetableCompliance(platform: Platform, userGroups?: readonly string[]): UnmeetableCompliance[] {
    noteReads(COMPLIANCE_READS);
    const key = usersKey(userGroups);
    let byUsers = this.unmeetableCache.get(platform);
    if (!byUsers) this.unmeetableCache.set(platform, (byUsers = new Map()));
    const cached = byUsers.get(key);
    if (cached) return cached;
    const out: UnmeetableCompliance[] = [];
    for (const policy of this.compliancePolicies(platform, userGroups ? [...userGroups] : undefined)) {
      const bounds = osVersionUnmeetable(policy).filter((u) => u.devices === 'policy');
      if (!bounds.length || assignmentDeclaration(policy) !== 'assigned') continue;
      const t = readTargets(policy, this.groups);
      // Whom it reaches is compliance reach's one reading (`policyReach`); for no user in particular, everyone it must.
      // A policy assigned only to groups whose listed members leave them out does not reach them at all.
      const reach = userGroups ? policyReach([policy], userGroups, this.groups) : undefined;
      if (reach?.state === 'unreached') continue;
      const reaches = reach ? reach.state === 'reached' : t.all && !t.exclude.length;
      const doubt = !appliesToEveryDevice(policy) ? 'enrollmentType' : t.filtered ? 'filter' : !reaches ? 'groups' : undefined;
      out.push({ policy, bounds, certain: !doubt, ...(doubt ? { doubt } : {}), ...(doubt === 'groups' ? { groups: reach ? [...reach.assignedTo] : [...t.groups] } : {}) });
    }
    // With `secureByDefault` on, a device no compliance policy applies to is noncompliant too: where every policy of the
    // platform that may reach these users is one of these, a device they enroll another way (another Android enrollment
    // type), or that the policy's groups or filter leave out, gets no policy and is noncompliant, and one it applies to
    // is noncompliant under its bounds. Every device is: certain, by `secureByDefault` (the grant evaluator still asks
    // whether a file not analysed may hold a policy that can be met).
    if (out.some((x) => !x.certain) && this._declared.secureByDefault === true) {
      const meetable = this.compliancePolicies(platform, userGroups ? [...userGroups] : undefined).filter((p) => !out.some((x) => x.policy === p) && !(userGroups && policyReach([p], userGroups, this.groups).state === 'unreached'));
      if (!meetable.length) for (const x of out) if (!x.certain) Object.assign(x, { certain: true, bySecureByDefault: true });
    }
    byUsers.set(key, out);
    return out;
  }

  /**
   * The compliance policies of a platform that reach enrollable devices, and are not declared assigned to nobody; with
   * `userGroups`, those whose enrollment type those users can enroll.
   */
  compliancePolicies(platform: Platform, userGroups?: string[], includeUnassigned = false): PolicyFacts[] {
    noteReads(COMPLIANCE_READS);
    const byPlatform = this.complianceCache[includeUnassigned ? 1 : 0];
    let byUsers = byPlatform.get(platform);
    if (!byUsers) byPlatform.set(platform, (byUsers = new Map()));
    const key = usersKey(userGroups);
    const cached = byUsers.get(key);
    if (cached) return cached;
    // A policy declared assigned to nobody evaluates no device (compliance-not-assigned reports it): it makes no
    // device compliant, so it counts only when asked for (to say why none reaches the users).
    const out = this.policiesFor('CompliancePolicy', platform).filter((p) => {
      if (!includeUnassigned && assignedToNobody(p)) return false;
      // Users in a group the policy excludes (nested groups followed) are out of it, whatever else it includes: the
      // exclusion wins. (A policy on all devices is evaluated per device: a user group's exclusion is not read there.)
      if (userGroups && this.excludesAny(p, userGroups)) return false;
      const type = enrollmentTypeOf(p);
      if (userGroups && type) return this.enrollment.forUser(type, userGroups).state !== 'blocked';
      return this.complianceEnrollment(p).state !== 'blocked';
    });
    byUsers.set(key, out);
    return out;
  }

  /**
   * Whether the files show Intune enrolls devices of the platform: `enrollmentEvidence`, a settings catalog profile
   * that only enrolled devices take (assigned, its `technologies` without `microsoftSense`), or a raw template, custom
   * or intent export of the platform that may be assigned (`enrollsPlatform`). What the layer status reads before asking
   * for the platform's compliance policies (the Defender model reads the three-valued `intuneEnrollment`).
   */
  intuneEnrolls(platform: Platform): boolean {
    return this.intuneEnrollment(platform).state === 'yes';
  }

  /**
   * The three-valued reading of `intuneEnrolls`: yes where the readable files show it; unknown where none does but a
   * file not analysed may hold what would: a compliance policy of the platform, for Windows an Autopilot profile, or a
   * configuration profile of the platform (`hiding`: a settings catalog profile, which only enrolled devices take unless
   * security settings management delivers it, and a raw template, custom or intent profile, which Intune delivers to
   * enrolled devices only: https://learn.microsoft.com/intune/intune-service/protect/mde-security-integration), with
   * the kinds it may hold (`mayHold`; a file that cannot be read is not missing); no otherwise. What Windows app
   * protection on managed PCs reads (`gap: 'managedWindows'` is in doubt while unknown, naming the files), and the
   * Defender model before taking security settings management for the platform's onboarding (unknown while unknown,
   * `enrollmentHiding`); the layer status reads `intuneEnrolls` (yes alone), as it did.
   */
  intuneEnrollment(platform: Platform): IntuneEnrollment {
    if (this.enrollsShown(platform)) return { state: 'yes' };
    const byKind = ENROLLMENT_EVIDENCE_KINDS.filter((k) => k !== 'AutopilotProfile' || platform === 'windows').map((kind) => ({ kind, files: this.hiding(kind, kind === 'AutopilotProfile' ? undefined : platform) }));
    const hiding = byKind.flatMap((k) => k.files).filter((f, i, all) => all.indexOf(f) === i);
    return hiding.length ? { state: 'unknown', hiding, mayHold: byKind.filter((k) => k.files.length).map((k) => k.kind) } : { state: 'no' };
  }

  /** `intuneEnrollment` with the files not analysed by their paths and as messages name them (the Defender model's reading). */
  private enrollmentReading(platform: Platform): ReturnType<EnrollmentReading> {
    const e = this.intuneEnrollment(platform);
    if (e.state !== 'unknown') return e;
    return { state: 'unknown', paths: e.hiding.map((f) => f.path), names: e.hiding.map((f) => this.shownPath(f)), mayHold: e.mayHold };
  }

  /** A file's path as messages name it: relative to the tenant folder. */
  private shownPath(f: FileFacts): string {
    return this.tenant.root ? relative(this.tenant.root, f.path) : f.path;
  }

  private enrollsShown(platform: Platform): boolean {
    if (this.enrollmentEvidence(platform).length) return true;
    if (policiesOfKind(this.tenant, 'ConfigurationProfile').some((p) => p.platforms.includes(platform) && assignmentDeclaration(p) !== 'nobody' && technologiesOf(p).length > 0 && !reachesSecuritySettingsManagement(p))) return true;
    // A template or custom profile, or an older endpoint security intent, of the platform: Intune delivers these to
    // enrolled devices only (the configuration checks read the same files as the same evidence).
    noteReads(FOREIGN_READS);
    // Only files of no kind and the other files can be such exports (`foreignDocument`): FOREIGN_READS, not everything.
    return recordingReads(undefined, () => [...this.tenant.policies, ...this.tenant.others].some((f) => enrollsPlatform(f, platform)));
  }

  /**
   * The files that show the tenant enrolls devices of a platform in Intune, beyond its configuration profiles (which the
   * configuration checks read themselves): its compliance policies that reach enrollable devices and are not assigned
   * to nobody, and for Windows its Autopilot profiles that may reach a device (not one assigned to users only, which
   * `autopilot-profile-assignment` says reaches none). Devices that Defender for Endpoint security settings management
   * manages are not enrolled, and take neither. The configuration checks read it where security settings management
   * is in use, to tell a tenant that also enrolls the platform from one whose devices only Defender manages.
   */
  enrollmentEvidence(platform: Platform): PolicyFacts[] {
    noteReads(AUTOPILOT_READS);
    const autopilot = platform === 'windows' ? policiesOfKind(this.tenant, 'AutopilotProfile').filter((p) => !assignedToNobody(p) && !this.autopilotAssignment(p).reachesNoDevice) : [];
    return [...this.compliancePolicies(platform), ...autopilot];
  }

  /**
   * Whether any compliance policy of the platform reaches a user in these manifest groups (a user in none of them:
   * `[]`): yes; no when every policy excludes them or their devices cannot enroll; unknown while the policies are
   * assigned to groups that may hold them or their devices, or a policy's file does not say whom (`compliance-reach.ts`).
   * The one answer What If, the lockout check, `ztp diff` and `ca-group-alignment` read.
   */
  complianceReach(platform: Platform, userGroups: readonly string[], roleHolder = false): ComplianceReach {
    return policyReach(this.compliancePolicies(platform, [...userGroups]), userGroups, this.groups, this.roleHolderReading(roleHolder));
  }

  /**
   * For a holder of a directory role whom the manifest does not name (the lockout check's role sample, What If's `--role`
   * without `--user`): which groups may hold them, the break-glass model's one answer (`mayHoldRoleHolders`), which a
   * block's exclusions read too (`roleHolderExclusions`). A named user, or a member of a named group, is read by the
   * groups' listed members alone.
   */
  private roleHolderReading(roleHolder: boolean): ((group: string) => boolean) | undefined {
    return roleHolder ? (g) => this.breakGlass.mayHoldRoleHolders(g) : undefined;
  }

  /**
   * Whether any app protection policy of the platform reaches a user in these manifest groups (a user in none of them:
   * `[]`): yes; no when every policy excludes them (or there is none); unknown while the policies are assigned to groups
   * that may hold them, or a policy's file does not say whom (`compliance-reach.ts`). App protection is assigned to
   * users only and has no `secureByDefault`: a user it does not reach meets `compliantApplication` in no app. The one
   * answer What If, the lockout check, `ztp diff` and `ca-group-alignment` read.
   */
  appProtectionReach(platform: Platform, userGroups: readonly string[], roleHolder = false): PolicyReach {
    noteReads(APP_PROTECTION_READS);
    return policyReach(this.appProtectionPolicies(platform).filter((p) => !this.excludesAny(p, userGroups)), userGroups, this.groups, this.roleHolderReading(roleHolder));
  }

  /** Whether an Intune policy's assignment excludes one of these users' groups (an excluded group nesting it counts). */
  excludesAny(p: PolicyFacts, userGroups: readonly string[]): boolean {
    return this.excludedOf(p, userGroups).length > 0;
  }

  /**
   * The groups of an Intune policy's exclusions that hold one of these users' groups (an exclusion wins over any
   * include). None for an all-devices policy (evaluated per device).
   */
  excludedOf(p: PolicyFacts, userGroups: readonly string[]): string[] {
    const t = readTargets(p, this.groups);
    if (t.allDevices) return [];
    return t.exclude.filter((outer) => userGroups.some((g) => this.groups.holds(outer, g)));
  }

  /** Whether an Intune policy's includes reach these users (all users or devices, or an included group holding theirs). */
  includesAny(p: PolicyFacts, userGroups: readonly string[]): boolean {
    const t = readTargets(p, this.groups);
    return !!t.allUsers || !!t.allDevices || t.groups.some((outer) => userGroups.some((g) => this.groups.holds(outer, g)));
  }

  /**
   * The app protection policies of a platform that may reach users: not those whose file declares them assigned to
   * nobody (an app protection policy applies only to the users it is assigned to, so one assigned to nobody meets
   * `compliantApplication` for no one).
   */
  appProtectionPolicies(platform: Platform, includeUnassigned = false): PolicyFacts[] {
    // A policy that selects apps one by one and selects none protects no app (`protectsNoApp`): it meets
    // `compliantApplication` for no one, wherever it is assigned (`appProtectionWithoutApps` names it).
    const all = this.policiesFor('AppProtectionPolicy', platform).filter((p) => !protectsNoApp(p));
    return includeUnassigned ? all : all.filter((p) => !assignedToNobody(p));
  }

  /**
   * The app protection policies of a platform that select apps one by one and select none (`appGroupType:
   * selectedPublicApps`, `apps: []`): they protect no app, so they count as no app protection for the platform. The
   * grant evaluator names them where they are all the platform has; `app-protection-targets-no-app` reports each.
   */
  appProtectionWithoutApps(platform: Platform): PolicyFacts[] {
    return this.policiesFor('AppProtectionPolicy', platform).filter(protectsNoApp);
  }

  enrollmentFor(platform: Platform, userGroups?: string[]): EnrollmentAnswer {
    return this.enrollment.forPlatform(platform, userGroups);
  }

  /**
   * Whether a control can be met on a platform (by users in `userGroups`, when given). `roleHolder`: those users are a
   * directory role's holders whom the manifest does not name, in none of its groups as far as it says, but perhaps in
   * any group that lists a member other than a break-glass account (`BreakGlass.mayHoldRoleHolders`).
   */
  control(control: string, platform: Platform | undefined, platformName: string = platform ?? '', userGroups?: string[], policy?: PolicyFacts, roleHolder = false): ControlAbility {
    return controlAbility(this.context(roleHolder && !!userGroups), control, platform, platformName, userGroups, policy);
  }

  /**
   * Whether a CA policy's grant can be met on a platform (by these users, when given). For all users the answer is
   * made once per policy and platform (several rules ask it of every CA policy after an edit), with what it read, which
   * is noted again whenever it is asked. The answer is shared: read it, never change it.
   */
  grant(p: PolicyFacts, platform: Platform | undefined, platformName: string = platform ?? '', userGroups?: string[]): GrantAbility {
    if (userGroups) return grantAbility(this.context(), p, platform, platformName, userGroups);
    let byPlatform = this.grantCache.get(p);
    if (!byPlatform) this.grantCache.set(p, (byPlatform = new Map()));
    const key = `${platform ?? ''}\u0000${platformName}`;
    const known = byPlatform.get(key);
    if (known && this.holds(known.reads, known.at)) {
      noteReads(known.reads);
      return known.ability;
    }
    const reads = new Set<Read>();
    const ability = recordingReads(reads, () => grantAbility(this.context(), p, platform, platformName));
    const list = [...reads];
    noteReads(list);
    // Shared with the other views' models (`carry`): only a model of the tenant as it is now replaces an answer.
    if (!known || this.madeAt >= known.at) byPlatform.set(key, { ability, reads: list, at: this.madeAt });
    return ability;
  }

  /** What the grant evaluator reads, made once per model; each of its questions notes its own reads. */
  private context(roleHolder = false): GrantContext {
    noteReads(MANIFEST_READS);
    // A holder of a directory role whom the manifest does not name: the same questions, whom the compliance and app
    // protection policies reach read as of someone who may be any listed member but a break-glass account.
    if (roleHolder) {
      const base = this.context();
      return (this.roleHolderContext ??= {
        ...base,
        complianceReach: (pl, g) => this.complianceReach(pl, g, true),
        appProtectionReach: (pl, g) => this.appProtectionReach(pl, g, true),
      });
    }
    return (this.grantContext ??= {
      compliancePolicies: (pl, g, all) => this.compliancePolicies(pl, g, all),
      complianceReach: (pl, g) => this.complianceReach(pl, g),
      appProtectionReach: (pl, g) => this.appProtectionReach(pl, g),
      excludedOf: (p, g) => this.excludedOf(p, g),
      includesAny: (p, g) => this.includesAny(p, g),
      appProtectionPolicies: (pl, all) => this.appProtectionPolicies(pl, all),
      appProtectionWithoutApps: (pl) => this.appProtectionWithoutApps(pl),
      enrollment: (pl, g) => this.enrollmentFor(pl, g),
      unenrollableCompliance: (pl) => this.unenrollableCompliance(pl),
      unmeetableCompliance: (pl, g) => this.unmeetableCompliance(pl, g),
      policyEnrollment: (p, g) => {
        const type = enrollmentTypeOf(p);
        return type ? this.enrollment.forUser(type, g) : { state: 'allowed' };
      },
      secureByDefault: this._declared.secureByDefault,
      intuneEnrolls: (pl) => this.intuneEnrolls(pl),
      enrollmentUnknown: (pl) => {
        const e = this.intuneEnrollment(pl);
        return e.state === 'unknown' ? { files: e.hiding.map((f) => this.shownPath(f)), mayHold: e.mayHold } : undefined;
      },
      enrollmentEvidence: (pl) => this.enrollmentEvidence(pl),
      intuneService: (control) => this.intuneService(control),
      inboundTrust: this._declared.inboundTrust,
      excludedGuestGroups: (users) => excludedGuestGroups(users, this._groups).groups,
      configMgrCompliance: (pl) => this.configMgrCompliance(pl),
      // As a message names a file: from the tenant's folder, with forward slashes.
      hiding: (kind, platform) => this.hiding(kind, platform).map((f) => (this.tenant.root ? relative(this.tenant.root, f.path) : f.path)),
      strengthOf: (p) => this.strengthOf(p),
    });
  }

  /**
   * The CA policies, whatever their state, that ask this tenant's own users for a compliant device and apply to some
   * sign-in: `compliantDevice` in the grant (a block of every device but compliant ones among them), by a policy not for
   * users of other tenants only (`externalUsersOnly`). A guest's device is compliant in their home tenant and counts
   * here only through the cross-tenant access settings' trust, so this tenant's compliance policies and
   * `settings.secureByDefault` never decide it
   * (https://learn.microsoft.com/entra/external-id/authentication-conditional-access). The one answer to "does a policy
   * require a compliant device of this tenant's users": `compliantDeviceRequiredBy` (layer 4's status, the report) and
   * the `secureByDefault` the manifest is asked for (`undeclared`) read it.
   */
  compliantDeviceAskedBy(): PolicyFacts[] {
    return policiesOfKind(this.tenant, 'ConditionalAccessPolicy').filter((p) => !appliesToNoSignIn(p) && grantControlNames(p).includes('compliantDevice') && !externalUsersOnly(p));
  }

  /**
   * The enabled CA policies that ask this tenant's users for a compliant device on a platform (`compliantDeviceAskedBy`;
   * any platform condition that takes it in, a device filter not narrowing it here): where a stricter compliance policy
   * marks devices noncompliant, these block them. A fix that tightens compliance there is a person's call, never applied
   * unattended. A policy for users of other tenants only asks nothing of this tenant's devices, so it is not one of
   * these: layer 4 is not done by it.
   */
  compliantDeviceRequiredBy(platform: Platform): PolicyFacts[] {
    return this.compliantDeviceAskedBy().filter((p) => p.spec?.state === 'enabled' && p.platforms.includes(platform));
  }

  /**
   * The enabled CA policies that ask for an app protection policy (`compliantApplication`, alone or beside other
   * controls) on a platform: what enforces layer 1 at sign-in, the seed's "Conditional Access policy requiring approved
   * apps" (`approvedApplication` is retired and enforces nothing, `RETIRED_GRANTS`). A report-only or disabled policy
   * enforces nothing (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only).
   */
  appProtectionRequiredBy(platform: Platform): PolicyFacts[] {
    return policiesOfKind(this.tenant, 'ConditionalAccessPolicy').filter(
      (p) => p.spec?.state === 'enabled' && !appliesToNoSignIn(p) && grantControlNames(p).includes('compliantApplication') && p.platforms.includes(platform),
    );
  }

  /**
   * The CA policies that ask for app protection, whatever their state: `compliantApplication`, or the retired
   * `approvedApplication`, alone or beside other controls (a `compliantDevice OR compliantApplication` policy is filed
   * under layer 4, yet asks for it too), that apply to some sign-in. Layer 1 reads it beside `appProtectionRequiredBy`:
   * a tenant that asks for app protection but enforces it nowhere has not finished the layer.
   */
  appProtectionAskedBy(): PolicyFacts[] {
    return policiesOfKind(this.tenant, 'ConditionalAccessPolicy').filter(
      (p) => !appliesToNoSignIn(p) && grantControlNames(p).some((g) => g === 'compliantApplication' || g === 'approvedApplication'),
    );
  }

  /**
   * The legacy sign-ins (`exchangeActiveSync`, `other`) that the enabled CA policies keep out for All users, by
   * policy and client type: blocked directly, or in practice by a grant a legacy client cannot meet (`legacy-auth.ts`).
   * With `stateUnknown`, those the policies whose `state` is missing or misspelt would keep out if deployed enabled;
   * with `refused`, those the enabled policies Graph would refuse as written would keep out (they keep no one out).
   */
  legacyBlocks(which: 'enabled' | 'stateUnknown' | 'refused' = 'enabled'): LegacyBlock[] {
    return legacyBlocks(this.tenant, this.breakGlass, (p) => this.strengthOf(p), which);
  }

  /**
   * The enabled CA policies that reach every emergency access account whichever accounts they are (`excludesNoOne`:
   * All users, no user, group or role excluded), that apply to some sign-in and that Graph would take as written.
   * Read whether or not `breakGlass` is declared: the undeclared fact's note and the lockout check name them.
   */
  reachingEveryAccount(): PolicyFacts[] {
    return policiesOfKind(this.tenant, 'ConditionalAccessPolicy').filter(
      (p) => p.spec?.state === 'enabled' && !appliesToNoSignIn(p) && !graphRefusal(p.schemaIssues) && excludesNoOne(p),
    );
  }

  /** The facts the manifest should declare for the rules this tenant needs, with the rules each would let run. */
  undeclared(): UndeclaredFact[] {
    return undeclaredFacts(this);
  }
}

/** Platforms the tenant's Intune policies and the raw profiles the checks read manage (for a manifest that lists none). */
function evidencedPlatforms(policies: readonly PolicyFacts[], others: readonly FileFacts[]): Platform[] {
  const seen = new Set<string>();
  for (const p of policies) for (const x of evidencedPlatformsOf(p)) seen.add(x);
  for (const f of others) for (const x of evidencedPlatformsOf(f)) seen.add(x);
  return PLATFORMS.filter((x) => seen.has(x) && isPlatform(x));
}

/**
 * The sign-ins a CA policy is written for, as `blockedComplement` compares them: users, target resources, platforms,
 * client apps and locations, each list in one order (`includeRoles` listed the other way round names the same roles) and
 * client apps `all` written as its four values or as `all` alike (review r27, t15, t15b).
 */
function signInScope(q: PolicyFacts): string {
  const c = asObject(q.spec?.conditions);
  const apps = Array.isArray(c?.clientAppTypes) ? (c.clientAppTypes as unknown[]) : undefined;
  const allApps = apps !== undefined && (apps.includes('all') || ALL_CLIENT_APPS.every((a) => apps.includes(a)));
  return JSON.stringify(canonical([c?.users, c?.applications, c?.platforms, allApps ? ['all'] : apps, c?.locations]));
}

const ALL_CLIENT_APPS = ['browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'];

/** A value with every list of plain values sorted and every object's keys in order: one string for one meaning. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(canonical);
    return items.every((x) => typeof x !== 'object' || x === null) ? [...items].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)) : items;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canonical(o[k])]));
  }
  return v;
}

/** The manifest's group directory and break-glass accounts, shared by every model made over the same manifest. */
const PER_MANIFEST = new WeakMap<ManifestFacts, { groups: GroupDirectory; breakGlass: BreakGlass }>();

/** What one file that is not analysed may hold (`TenantModel.unreadable`, `collections`), by the kind of reason. */
interface FileEntries {
  unreadable: UnreadableFile[];
  collections: UnreadableFile[];
  untyped: UnreadableFile[];
}

const FILE_ENTRIES = new WeakMap<FileFacts, FileEntries>();

/**
 * What a file may hold that is not analysed: unreadable (its kind and platform sniffed from its text), a collection
 * export's policies, a policy inside another tool's wrapper or in the PowerShell SDK's shape (`collections`), or an
 * object of a set of several types that names no `@odata.type` (`untyped`, `contextKinds`). It is the file's alone, so
 * it is read once per file, whatever number of models (one per edit of the tenant) ask.
 */
function fileEntries(file: FileFacts): FileEntries {
  let entries = FILE_ENTRIES.get(file);
  if (entries) return entries;
  const unreadable: UnreadableFile[] = [];
  if (isUnreadable(file)) {
    const kind = sniffKind(file);
    const platform = kind === 'none' ? undefined : sniffPlatform(file);
    const owner = kind === 'none' ? undefined : sniffOwner(file);
    if (kind !== 'none') unreadable.push({ file, kind, ...(platform ? { platforms: [platform] } : {}), why: UNREADABLE, ...(owner ? { owner } : {}) });
  }
  const collections: UnreadableFile[] = [];
  if (file.type !== 'policy') {
    // A collection export's policies, a policy inside another tool's wrapper (a CIPP template), and one written by the
    // PowerShell SDK (PascalCase): here, unread.
    const wrapped = wrappedKind(file.value);
    const sdk = wrapped ? undefined : rawKindOf(fromPowerShellSdk(file.value));
    if (wrapped) collections.push({ file, kind: wrapped.kind, why: { shape: 'wrapper', text: `inside ${wrapped.wrapper}; ${IMPORT_ADVICE} unwraps such a file`, holds: true } });
    else if (sdk) collections.push({ file, kind: sdk, why: fromAzureAdModule(file.value) ? AZUREAD_MODULE : POWERSHELL_SDK });
    else {
      const counts = collectionKinds(file.value);
      for (const [kind, platforms] of collectionKindPlatforms(file.value)) collections.push({ file, kind, ...(platforms ? { platforms } : {}), why: listHolding(counts.get(kind) ?? 0) });
      // Template and custom profiles in a list hold what the configuration and onboarding checks look for.
      if (collectionEvidence(file.value)) collections.push({ file, kind: 'ConfigurationProfile', why: LIST });
    }
  }
  const untyped: UnreadableFile[] = file.type !== 'policy' || !file.kind ? contextKinds(file.value).map((kind) => ({ file, kind, why: UNTYPED })) : [];
  FILE_ENTRIES.set(file, (entries = { unreadable, collections, untyped }));
  return entries;
}

/**
 * The key of a list of users' groups in the model's caches: one group by its name, as it is (most questions are asked of
 * one group's members, and a string already hashed is found at once); several joined; none (every user) apart.
 */
function usersKey(userGroups: readonly string[] | undefined): string {
  if (userGroups === undefined) return '\u0000';
  return userGroups.length === 1 ? userGroups[0]! : `\u0001${userGroups.join('\u0001')}`;
}

const MODELS = new WeakMap<TenantView, TenantModel>();
/** The model of the latest view of a tenant, by the store's counts of its reads (`TenantModel.carry`). */
const LATEST = new WeakMap<ReadCounts, TenantModel>();

/** `hiding`'s answer for a tenant whose every file is analysed. */
const NO_FILES: readonly FileFacts[] = Object.freeze([]);

/** The tenant model of a view, computed on first use and shared by everything that reads the same view. */
export function modelOf(tenant: TenantView): TenantModel {
  let m = MODELS.get(tenant);
  // Made with nothing noted: each part notes its own reads when it is asked for (see MANIFEST_READS).
  if (!m) MODELS.set(tenant, (m = recordingReads(undefined, () => new TenantModel(tenant))));
  return m;
}

export type { ControlAbility, GrantAbility } from './grants';
export type { ComplianceReach, PolicyReach } from './compliance-reach';
export type { EnrollmentAnswer, EnrollmentEvidenceKind, EnrollmentType, IntuneEnrollment } from './enrollment';
export type { Targets } from './targets';
export type { LegacyBlock, LegacyClient } from './legacy-auth';

/**
 * One evaluator for Conditional Access grants: can a control, and a policy's whole grant, be met on a platform by
 * the users it targets. The rules, What If and the lockout check all ask this; nothing else answers it.
 * Under `OR` ("Require one of the selected controls") one control that can be met is enough; `AND` needs all of
 * them; `block` is never met.
 */
import { isPlainObject, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { PolicyKind } from '../kinds';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import { listText, notAnalysedText, withArticle } from '../prose';
import type { ComplianceWorkload } from './declared';
import type { IntuneControl, IntuneServiceAnswer, IntuneServiceGap } from './intune-service';
import { mayHoldText, roleHoldersText, type ComplianceReach, type PolicyReach } from './compliance-reach';
import { ENROLLMENT_LABELS, enrollmentEvidenceText, enrollmentTypeOf, type EnrollmentAnswer, type EnrollmentEvidenceKind } from './enrollment';
import { managedDevicesOnly, managedLevelsText, PROTECTS_NO_APP, unmanagedDevicesOnly } from './app-protection';
import { clientAppCoverage, includesDevicesByFilter } from './sign-in-scope';
import { compliantDeviceByFilter, filterApplies } from './device-filter';
import { hasSessionControl } from '../schema/graph-constraints';
import { boundText, type OsVersionUnmeetable, type UnmeetableCompliance } from './os-version';
import { externalTenantsOf, RESOURCE_TENANT_MFA_TEXT, strengthMetInResourceTenant, strengthName, strengthTitle, tenantsText, trustFact, trustOf, TRUST_CLAIMS, type InboundTrust, type TrustAnswer, type TrustClaim } from './cross-tenant';
import { guestsAfterExclusions, tenantIntersect, tenantsEmpty, tenantUnion, type GuestReach, type GuestType, type TenantSet } from './guests';

// What a strength says of MFA is read from the strength alone, in a leaf module the schema reads too.
export { singleFactorText, strengthFactors, strengthIsMultifactor, strengthMetByLegacyClient, strengthPlatforms, type StrengthFactors } from './strength-factors';
import { PLATFORM_CREDENTIAL_TEXT, strengthPlatforms } from './strength-factors';

export type AbilityStatus = 'possible' | 'impossible' | 'block' | 'notEnforced';

/** Whether one grant control can be met on a platform. */
export interface ControlAbility {
  control: string;
  status: AbilityStatus;
  /** Why it cannot be met, or what meeting it rests on. */
  reason?: string;
  /**
   * Where `reason` opens with what is asked ("compliant device required on ios, but …", or "…: …"): what follows it,
   * why the control fails (or what meeting it rests on), for a text that names the control and the platform itself:
   * What If's options under OR, none of which is required alone (`optionReason`), and the doubt of a file not analysed
   * (`unlessHidden`). Written with the reason (`requiredBut`), never cut from its words; absent where the reason opens
   * otherwise, which is then said whole.
   */
  cause?: string;
  /**
   * The Intune policy kind the control rests on that the platform lacks: the gap a layer rule reports. A
   * `compliantDevice` with no compliance policy may still be `possible` (without `secureByDefault`, such devices
   * count as compliant, unchecked).
   */
  missing?: PolicyKind;
  /** The rule whose finding (and quick fix) addresses this control's gap. */
  rule?: string;
  /** The devices cannot enroll (so compliance cannot be met, whatever the policies). */
  enrollment?: EnrollmentAnswer;
  /**
   * Whether it can be met is not known: the tenant's readable files say it cannot, but a file that could not be read
   * (or a Graph list not analysed one by one) may hold the policy it rests on. Such a control counts as `possible`
   * (nothing is said to lock anyone out on a file nobody could read), and `reason` says what is unknown. So is a
   * compliant device whose compliance Configuration Manager evaluates under co-management (`coManaged`).
   */
  unknown?: true;
  /**
   * The manifest declares that Configuration Manager evaluates these devices' compliance, all of them or all but the
   * pilot collection's (`settings.coManagement.complianceWorkload`): what it decides, no file here shows.
   */
  coManaged?: CoManagedWorkload;
  /**
   * For `compliantDevice` asked of some users: the platform's compliance policies are assigned only to groups the
   * manifest does not put them in, which may still hold them or their devices (`unknown`; the model's `complianceReach`).
   * For `compliantApplication`, the same of its app protection policies and the users (`appProtectionReach`).
   */
  reach?: 'unknown';
  /**
   * `reach: unknown` where a user no policy reaches cannot meet the control: `compliantDevice` with `secureByDefault` on,
   * `compliantApplication` always. What If says the sign-in may be blocked in practice, the lockout check that the users
   * may be locked out.
   */
  mayBeImpossible?: true;
  /**
   * With `mayBeImpossible`: the manifest fact whose absence leaves the control in doubt, which decides it once declared.
   * `secureByDefault`: a device no compliance policy reaches is marked noncompliant (the control cannot be met) or
   * passes unchecked, as `settings.secureByDefault` says; not declared, it is unknown, never false
   * (https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started#compliance-policy-settings).
   * `applePushCertificate`, `androidEnterprise`: the enrollment prerequisite the model's enrollment answer leaves
   * unknown (`EnrollmentAnswer.undeclared`): expired, or not bound, no device of that enrollment can be compliant
   * (`undeclaredEnrollment`). The lockout check names it in its fix.
   */
  undeclared?: UndeclaredFact;
  /**
   * A device control asked of users of other tenants: the home tenants whose claim the cross-tenant access settings do
   * not trust (`ca-guest-device-not-trusted`'s gap).
   */
  untrustedTenants?: TenantSet;
  /** What keeps these users from a control that cannot be met, where what to change depends on it (`ControlGap`). */
  gap?: ControlGap;
  /**
   * The control can never be met on this platform, whatever the tenant's policies: hybrid join is Windows-only. Under
   * `OR` beside a control that can be met (Microsoft's "compliant or hybrid joined device" template), that is the
   * template's design, no gap: What If and the lockout check say nothing of it.
   */
  notOnPlatform?: true;
  /**
   * `compliantApplication` where every app protection policy of the platform that may reach these users targets apps
   * on Intune-managed devices only (`targetedAppManagementLevels: mdm`, the Android Enterprise levels): on a device
   * that is not enrolled their apps get no policy, so the grant may not be met there (`mayBeImpossible`). The policies,
   * for `app-protection-targets-no-app` to name.
   */
  managedDevicesOnly?: PolicyFacts[];
  /**
   * The mirror: `compliantApplication` where every app protection policy of the platform that may reach these users
   * targets apps on unmanaged devices only (`targetedAppManagementLevels: unmanaged`), and these users may sign in from
   * an enrolled device (a compliance policy of the platform reaches them, or the grant asks a compliant device too):
   * there their apps get no policy (on iOS/iPadOS, an app the MDM passes `IntuneMAMUPN`). `mayBeImpossible`, with
   * `gap: 'unmanagedOnly'`; impossible where the grant asks a compliant Android device under AND, which only a device
   * Intune manages meets. The policies, for `app-protection-targets-no-app` to name.
   */
  unmanagedDevicesOnly?: PolicyFacts[];
  /**
   * `compliantDevice` on Android where every compliance policy that may reach these users is a device administrator
   * one (`androidCompliancePolicy`): a device enrolled as Android Enterprise, as every GMS device must be since device
   * administrator management ended on 31 December 2024, gets no compliance policy from them. The policies, for
   * `compliance-device-admin-deprecated` and the lockout check.
   */
  deviceAdminOnly?: PolicyFacts[];
  /**
   * A device (or, for an authentication strength, MFA) claim asked by a policy whose users condition reaches users of
   * other tenants (a guest policy, or All users): what the cross-tenant access settings say of the home tenants it
   * reaches. What If reads this one answer for a guest of another tenant, as `ca-guest-device-not-trusted` reads `rule`.
   */
  guestTrust?: TrustAnswer;
  /**
   * App protection asked by a policy whose users condition reaches users of other tenants by type (a guest policy, one
   * that names them beside this tenant's users, or All users with no group of guests excluded): they cannot meet it,
   * whatever this tenant's app protection policies (`externalUsersCanMeet`). For users of other tenants only, the control
   * is impossible with `rule: GUEST_TRUST_RULE` (`externalAppProtection`); beside this tenant's users, whose answer it
   * keeps, it carries that rule where they can meet it (`appProtectionBeside`). `ca-guest-device-not-trusted` counts it
   * as no way in for the guests, as What If says it is unsatisfiable for a guest of another tenant.
   */
  notForExternalUsers?: true;
  /**
   * An MFA claim (`mfa`, an authentication strength) asked of guest types that cannot meet it as the others do: each
   * entry the types, what keeps them out and how to let them in (`GuestTypeGap`). What If reads the entry of a guest's
   * type; `ca-guest-device-not-trusted` picks its fix from `fix`, never from the reason's words.
   */
  guestTypeGaps?: GuestTypeGap[];
}

/**
 * A reason that opens with what is asked ("compliant device required on ios"), then, after `joint`, why it fails:
 * the reason and its `cause`, written together so that a text naming the control and the platform itself says the
 * cause alone.
 */
export function requiredBut(asked: string, cause: string, joint: ', but ' | ': ' = ', but '): { reason: string; cause: string } {
  return { reason: `${asked}${joint}${cause}`, cause };
}

/**
 * Guest types an MFA claim cannot be asked of as of the others: `never`, no trust can help (`otherExternalUser` asked an
 * authentication strength: `fix: 'mfaGrant'`); otherwise MFA trust for their tenants is declared off (`untrusted`, for
 * all of them; `some`), or not declared (`undeclared`): `fix: 'trust'`.
 */
export interface GuestTypeGap {
  types: GuestType[];
  state: 'never' | 'untrusted' | 'some' | 'undeclared';
  tenants?: TenantSet;
  reason: string;
  fix: 'mfaGrant' | 'trust';
  /** Who they are, in words: "the `otherExternalUser` users", "the guests". */
  who: string;
}

/**
 * What keeps users from a control that cannot be met, where what to change depends on it: the lockout check picks its
 * fix from it, never from the reason's words (which may change). `unassigned`: the platform's policies the control
 * rests on exist but are assigned to nobody; `excluded`: the policies that include these users exclude them too (the
 * exclusion wins); `notAssigned`: a policy that excludes them is not assigned to them either (the assignment is the
 * gap); `edgeOnly`: app protection on Windows, which only Microsoft Edge meets, asked of a sign-in that is not Edge's;
 * `enrollmentType`: the platform's compliance policies are all for an enrollment type no one they are assigned to can
 * enroll (Android Enterprise without the managed Google Play binding, say), though other types of the platform may
 * enroll: they exist and reach no device, so the fix is letting those devices enroll, not creating a policy
 * (`enrollment` says why they cannot; `compliance-requires-enrollment` reports each policy); `noApps`: the platform's
 * only app protection policies select apps one by one and select none, so they protect no app (the fix is selecting
 * the apps, not creating a policy; `app-protection-targets-no-app` reports each); `unmanagedOnly`: the platform's app
 * protection policies target apps on unmanaged devices only, where these users sign in (or may) from devices Intune
 * manages (the fix is targeting those devices' apps too; also the doubt's, `mayBeImpossible`). `managedWindows`: app
 * protection on Windows, which Intune MAM applies only on PCs neither MDM enrolled nor Microsoft Entra joined, asked of
 * users who sign in (or may) from PCs the tenant enrolls, or beside a compliant or hybrid joined device under AND (the fix
 * is offering a compliant device with OR, as Learn's policy for Windows MAM does: `managedWindowsAbility`). With `edgeOnly`, `missing` says the
 * tenant has no Windows app protection policy either: both must change. `unlicensed` and `mdmAuthority`: a fact the
 * manifest declares for the whole tenant keeps Intune from every user (`intune-service.ts`): no licence it lists
 * includes the Intune service the control rests on (`license-missing`), or the MDM authority is not Intune
 * (`mdm-authority-not-intune`); no policy would help, and `missing` still names one the platform lacks besides.
 * `osVersion`: a compliance policy that applies to every device of the platform these users sign in on sets OS version
 * bounds no device meets (`TenantModel.unmeetableCompliance`): every device is noncompliant, and the fix is the
 * policy's version, not an assignment (`compliance-os-version-unmeetable` reports it). `strengthPlatform`: an
 * authentication strength none of whose methods can be used on the platform (Windows Hello for Business alone, off
 * Windows and macOS: `strengthPlatforms`); the fix is the strength's methods or the policy's platforms
 * (`ca-strength-platform-unsupported` reports it). `unread`: a doubt, not a gap
 * found: the readable files say the control cannot be met (or may not be), and a file not analysed may hold the policy
 * it rests on (`unlessHidden`); reading that file decides it.
 */
export type ControlGap = 'unassigned' | 'excluded' | 'notAssigned' | 'edgeOnly' | 'enrollmentType' | 'noApps' | 'unmanagedOnly' | 'managedWindows' | 'osVersion' | 'strengthPlatform' | 'unread' | IntuneServiceGap;

/**
 * The manifest facts whose absence can leave a control in doubt (`ControlAbility.undeclared`): `secureByDefault`, and
 * the enrollment prerequisites the enrollment model reads (`EnrollmentAnswer.undeclared`).
 */
export type UndeclaredFact = 'secureByDefault' | NonNullable<EnrollmentAnswer['undeclared']>;

/** `excluded` or `notAssigned`: whether each Intune policy that excludes these users also includes them. */
function exclusionGap(ctx: GrantContext, excluding: readonly { c: PolicyFacts }[], userGroups: readonly string[]): ControlGap {
  return excluding.every((x) => ctx.includesAny(x.c, userGroups)) ? 'excluded' : 'notAssigned';
}

/** The co-management compliance workloads under which Configuration Manager evaluates some devices' compliance. */
export type CoManagedWorkload = Exclude<ComplianceWorkload, 'intune'>;

export interface GrantAbility {
  operator: 'AND' | 'OR';
  controls: ControlAbility[];
  /** `possible` when the grant can be met, `impossible` when it cannot, `block` when it blocks. */
  outcome: 'possible' | 'impossible' | 'block';
}

/** What the grant evaluator needs to know of the tenant, per platform and audience. */
export interface GrantContext {
  /**
   * The platform's compliance policies that reach enrollable devices (for these users, when given); with
   * `includeUnassigned`, also those assigned to nobody.
   */
  compliancePolicies(platform: Platform, userGroups?: string[], includeUnassigned?: boolean): PolicyFacts[];
  /** Whether any compliance policy of the platform reaches a user in these groups (`TenantModel.complianceReach`). */
  complianceReach(platform: Platform, userGroups: readonly string[]): ComplianceReach;
  /** Whether any app protection policy of the platform reaches a user in these groups (`TenantModel.appProtectionReach`). */
  appProtectionReach(platform: Platform, userGroups: readonly string[]): PolicyReach;
  /** The groups of an Intune policy's exclusions that hold one of these users' groups. */
  excludedOf(p: PolicyFacts, userGroups: readonly string[]): string[];
  /** Whether an Intune policy's includes reach these users. */
  includesAny(p: PolicyFacts, userGroups: readonly string[]): boolean;
  /** The platform's app protection policies that may reach users; with `includeUnassigned`, also those assigned to nobody. */
  appProtectionPolicies(platform: Platform, includeUnassigned?: boolean): PolicyFacts[];
  /** The platform's app protection policies that select apps one by one and select none (`TenantModel.appProtectionWithoutApps`). */
  appProtectionWithoutApps(platform: Platform): PolicyFacts[];
  enrollment(platform: Platform, userGroups?: string[]): EnrollmentAnswer;
  /** Whether these users can enroll the devices a compliance policy is for (its enrollment type). */
  policyEnrollment(p: PolicyFacts, userGroups: string[]): EnrollmentAnswer;
  /** The platform's compliance policies whose devices no one they are assigned to can enroll, with why (`TenantModel.unenrollableCompliance`). */
  unenrollableCompliance(platform: Platform): { policy: PolicyFacts; enrollment: EnrollmentAnswer }[];
  /**
   * The platform's compliance policies that reach enrollable devices (for these users, when given) whose OS version
   * bounds no device meets, and whether each certainly applies to every device they sign in on (`TenantModel.unmeetableCompliance`).
   */
  unmeetableCompliance(platform: Platform, userGroups?: readonly string[]): UnmeetableCompliance[];
  secureByDefault: boolean | undefined;
  /** Whether the files show Intune enrolls devices of the platform (`TenantModel.intuneEnrolls`). */
  intuneEnrolls(platform: Platform): boolean;
  /**
   * Where no readable file shows it, the files not analysed that may (`TenantModel.intuneEnrollment` unknown), named for
   * a message, with the kinds of policy they may hold that would; undefined when the answer is yes or no.
   */
  enrollmentUnknown(platform: Platform): { files: string[]; mayHold: readonly EnrollmentEvidenceKind[] } | undefined;
  /** The compliance policies and (Windows) Autopilot profiles that show it (`TenantModel.enrollmentEvidence`). */
  enrollmentEvidence(platform: Platform): PolicyFacts[];
  /** Whether a fact the manifest declares for the whole tenant (MDM authority, licences) keeps an Intune control from everyone (`TenantModel.intuneService`). */
  intuneService(control: IntuneControl): IntuneServiceAnswer | undefined;
  /** What the cross-tenant access settings trust of users of other tenants (`settings.crossTenantAccess`). */
  inboundTrust: InboundTrust;
  /** The groups a users condition excludes that the manifest names or describes as guests (`excludedGuestGroups`). */
  excludedGuestGroups(users: unknown): string[];
  /** Whether Configuration Manager evaluates the platform's compliance, in whole or but for the pilot collection (the model's `configMgrCompliance`). */
  configMgrCompliance(platform: Platform): CoManagedWorkload | undefined;
  /** The files not analysed (unreadable, or a Graph list) that may hold a policy of this kind for this platform, named for a message. */
  hiding(kind: PolicyKind, platform: Platform): string[];
  /** The authentication strength a CA policy requires, completed by the folder's export of a custom one (`TenantModel.strengthOf`). */
  strengthOf(p: PolicyFacts): Record<string, unknown> | undefined;
}

/**
 * A control the readable files say cannot be met, when a file not analysed may hold the policy it rests on: unknown,
 * and so `possible` (a file that cannot be read is not missing), never a lockout. Nor is it fine: where the readable
 * files say it cannot be met, or may not be, it may be impossible (`mayBeImpossible`, `gap: 'unread'`), so What If says
 * "may be blocked in practice" and the lockout check "may be locked out", as for an undeclared `secureByDefault`.
 * Otherwise the answer as it is.
 */
function unlessHidden(ctx: GrantContext, ability: ControlAbility, kind: PolicyKind, what: string, platform: Platform): ControlAbility {
  const files = ctx.hiding(kind, platform);
  if (!files.length) return ability;
  const subject = ability.control === 'compliantDevice' ? 'a compliant device' : 'app protection';
  const question = ability.status === 'impossible' ? `${subject} can be met` : `${subject} is checked`;
  // The readable files' answer, without its "… required on <platform>, but" (said once, here): its cause.
  const without = ability.cause ?? ability.reason ?? '';
  const doubt = ability.status === 'impossible' || ability.mayBeImpossible;
  return {
    control: ability.control,
    status: 'possible',
    reason: `unknown whether ${question} on ${platform}: ${notAnalysedText(files, what, 3)}; without ${files.length > 1 ? 'them' : 'it'}, ${without}`,
    unknown: true,
    ...(doubt ? { mayBeImpossible: true as const, gap: 'unread' as const } : {}),
  };
}

/**
 * Grant controls Microsoft retired, with when and what replaces them: the grant evaluator, the
 * approved-app-grant-retired rule, the hover and completion read it
 * (https://learn.microsoft.com/entra/identity/conditional-access/migrate-approved-client-app).
 */
export const RETIRED_GRANTS: Readonly<Record<string, { retired: string; successor: string }>> = {
  approvedApplication: { retired: 'March 2026', successor: 'compliantApplication' },
};

/** The app-based grants. */
export const APP_GRANTS = ['compliantApplication', 'approvedApplication'] as const;

/** How a reason says the platform's app protection policies exist but reach no one (`gap: 'unassigned'`). */
export const UNASSIGNED_APP_PROTECTION = 'app protection policies are assigned to nobody';
/** The same for compliance policies. */
export const UNASSIGNED_COMPLIANCE = 'compliance policies are assigned to nobody';

/** The grant operator as Entra reads it (`OR` unless `AND`). */
export function grantOperator(p: PolicyFacts): 'AND' | 'OR' {
  const gc = isPlainObject(p.spec?.grantControls) ? p.spec.grantControls : undefined;
  return typeof gc?.operator === 'string' && gc.operator.toUpperCase() === 'AND' ? 'AND' : 'OR';
}

/**
 * A policy's grant controls are its file's alone, and asked of every CA policy by many readings on every edit (one
 * model per view): read once per file's facts (which never change: an edited file gets new ones) and shared, so
 * callers never change the list they are given.
 */
const BUILT_IN_CONTROLS = new WeakMap<PolicyFacts, readonly string[]>();
const GRANT_CONTROL_NAMES = new WeakMap<PolicyFacts, readonly string[]>();

/**
 * A policy's built-in grant controls as Entra enforces them: as written, except that a block of every device but
 * compliant ones (`compliantDeviceByFilter`: `exclude: device.isCompliant -eq True`) is a requirement of a compliant
 * device, and read as one by the grant evaluator, What If, the lockout check and the rules alike.
 */
export function builtInControlsOf(p: PolicyFacts): readonly string[] {
  let found = BUILT_IN_CONTROLS.get(p);
  if (found) return found;
  if (compliantDeviceByFilter(p)) found = ['compliantDevice'];
  else {
    const gc = isPlainObject(p.spec?.grantControls) ? p.spec.grantControls : undefined;
    found = strings(gc?.builtInControls).filter((c) => c !== 'unknownFutureValue');
  }
  BUILT_IN_CONTROLS.set(p, found);
  return found;
}

/**
 * The sign-ins the "Require device to be marked as compliant" control does not gate, by app id: Intune enrollment (the
 * Microsoft Intune Enrollment app) and the Microsoft Intune Web Company Portal. Learn: "Require device to be marked as
 * compliant control doesn't block Intune enrollment and the access to the Microsoft Intune Web Company Portal
 * application" (https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-device-compliance), the
 * way out of "a device is compliant only once enrolled". Only those two apps: Learn names no other (Microsoft Intune,
 * `0000000a-…`, which enrolled devices check in to, is not among them).
 */
export const COMPLIANCE_EXEMPT_APPS: Readonly<Record<string, string>> = {
  'd4ebce55-015a-49b5-a083-c84d1797ae8c': 'Intune enrollment (the Microsoft Intune Enrollment app)',
  '74bcdadc-2fdc-4bb3-8459-76d06952a0e9': 'the Microsoft Intune Web Company Portal',
};

/**
 * Why a policy's compliant device does not gate a sign-in to an app, or undefined where it does: the app is one the
 * control does not block (`COMPLIANCE_EXEMPT_APPS`), and the policy asks it as its grant. A block of every device but
 * compliant ones (`compliantDeviceByFilter`), read as a compliant device elsewhere, is a block, not the control: Learn's
 * exemption is the control's, and a device being enrolled is not yet compliant, so the block keeps it out. What If
 * reads it; the other controls of the grant still apply.
 */
export function compliantDeviceExemption(p: PolicyFacts, app: string | undefined): string | undefined {
  const what = app ? COMPLIANCE_EXEMPT_APPS[app.toLowerCase()] : undefined;
  if (!what || compliantDeviceByFilter(p)) return undefined;
  return `not enforced here: Learn says "Require device to be marked as compliant" does not block ${what}`;
}

/** Every control of a policy's grant: built-in controls, then authentication strength, terms of use and custom controls. */
export function grantControlNames(p: PolicyFacts): readonly string[] {
  let found = GRANT_CONTROL_NAMES.get(p);
  if (found) return found;
  const gc = isPlainObject(p.spec?.grantControls) ? p.spec.grantControls : undefined;
  const out = [...builtInControlsOf(p)];
  if (isPlainObject(gc?.authenticationStrength)) out.push('authenticationStrength');
  for (const t of strings(gc?.termsOfUse)) out.push(`termsOfUse:${t}`);
  for (const f of strings(gc?.customAuthenticationFactors)) out.push(`custom:${f}`);
  GRANT_CONTROL_NAMES.set(p, (found = out));
  return found;
}

/**
 * What a policy's grant is when it names no control, or undefined when it names one: `sessionOnly`, no
 * `grantControls` (`null`, or left out) beside session controls, so a sign-in it applies to is granted with nothing to
 * meet and only its session controls apply (sign-in frequency, persistent browser…: they keep no one out);
 * `neither`, no grant and no session control (Graph refuses such a policy); `empty`, a `grantControls` that names no
 * control. What If says it of such a sign-in ("granted: nothing to meet (session controls only)"), and
 * `legacy-auth-not-blocked` of a block of legacy clients written without its grant.
 */
export function emptyGrant(p: PolicyFacts): EmptyGrant | undefined {
  if (grantControlNames(p).length) return undefined;
  if (isPlainObject(p.spec?.grantControls)) return 'empty';
  return p.spec && hasSessionControl(p.spec) ? 'sessionOnly' : 'neither';
}

/** `emptyGrant`'s answers. */
export type EmptyGrant = 'sessionOnly' | 'neither' | 'empty';

/** What What If adds to "granted: nothing to meet" for each `emptyGrant` answer. */
export const EMPTY_GRANT_TEXT: Readonly<Record<EmptyGrant, string>> = {
  sessionOnly: 'session controls only',
  neither: 'no grant or session control: Graph refuses such a policy',
  empty: '',
};

/** The grant controls that Intune evaluates: a compliant device, or app protection (approved client apps, retired). */
const INTUNE_CONTROLS = ['compliantDevice', 'compliantApplication', 'approvedApplication'];

/**
 * Whether a CA policy's grant can only be met through Intune: it asks for a compliant device or app protection, and
 * under `OR` offers no other control (MFA, an authentication strength, a hybrid-joined device, terms of use…), which
 * every user could meet instead. `block` alone asks nothing of Intune.
 */
export function grantNeedsIntune(p: PolicyFacts): boolean {
  const controls = grantControlNames(p);
  if (!controls.some((c) => INTUNE_CONTROLS.includes(c))) return false;
  return grantOperator(p) === 'AND' || controls.every((c) => INTUNE_CONTROLS.includes(c));
}

/** The guest and external user types whose accounts, and devices, belong to another tenant (all but `internalGuest`). */
const EXTERNAL_TYPES: readonly GuestType[] = ['b2bCollaborationGuest', 'b2bCollaborationMember', 'b2bDirectConnectUser', 'otherExternalUser', 'serviceProvider'];

/**
 * What a user of another tenant (a B2B guest) can present: their device's compliance or hybrid join is their home
 * tenant's, and counts only where this tenant's cross-tenant access settings trust those claims (off by default); app
 * protection and approved apps are not supported for them. Source: Learn, "Authentication and Conditional Access for
 * External ID" (the table comparing policies for external users).
 */
export const EXTERNAL_DEVICE_CLAIMS =
  "a guest's device is compliant or hybrid joined in their home tenant, which counts here only when the cross-tenant access settings trust those claims (isCompliantDeviceAccepted, isHybridAzureADJoinedDeviceAccepted; off by default)";
export const EXTERNAL_NO_APP_PROTECTION = 'app protection (and approved apps) cannot be required of B2B guests: Conditional Access does not support the grant for users of other tenants';

/**
 * Whether users of other tenants (B2B guests and external users) can meet a grant control here at all: not app
 * protection nor approved apps, whose Intune app protection policies apply to the users of the tenant that assigns them
 * (https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy), and which Conditional Access does not
 * support for external users (https://learn.microsoft.com/entra/external-id/authentication-conditional-access). The
 * grant evaluator (`notForExternalUsers`), `ca-guest-device-not-trusted` and What If read this one answer.
 */
export function externalUsersCanMeet(control: string): boolean {
  return !(APP_GRANTS as readonly string[]).includes(control);
}

/**
 * The grant evaluator's trust answer for one guest whose home tenant the sign-in names (What If's `--guest-tenant`):
 * the partner's trust for that tenant, else the default (`trustOf`). Without a tenant, the policy's answer as it is;
 * undefined where the policy reaches no user of another tenant by type (the sign-in decides).
 */
export function guestTrustFor(trust: InboundTrust, answer: TrustAnswer | undefined, claim: TrustClaim, tenant: string | undefined): TrustAnswer | undefined {
  if (!answer || tenant === undefined) return answer;
  return trustOf(trust, claim, { all: false, ids: new Set([tenant.toLowerCase()]) });
}

/**
 * Whom a CA policy asks a device claim of, where its users condition takes in guests and external users only (no user,
 * group or role of this tenant, and not All users): `external`, the types of users of other tenants it reaches once its
 * guest exclusions are taken out (every type but `internalGuest`), whose device is their home tenant's and counts here
 * only as far as the cross-tenant access settings trust it; `local`, whether it reaches local guests (`internalGuest`),
 * accounts of this tenant whose devices enroll and are evaluated here, as any user's, and to whom cross-tenant access
 * settings do not apply. `GuestsOrExternalUsers` in `includeUsers` takes every type. Undefined for a policy that takes
 * in this tenant's users (All users: `allUsersGuests` says which users of other tenants it reaches besides them).
 * Sources: https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups,
 * https://learn.microsoft.com/entra/external-id/cross-tenant-access-overview.
 */
export function guestAudience(p: PolicyFacts): { external: GuestType[]; local: boolean; reach: GuestReach } | undefined {
  const conditions = isPlainObject(p.spec?.conditions) ? p.spec.conditions : undefined;
  const users = isPlainObject(conditions?.users) ? conditions.users : undefined;
  if (!users) return undefined;
  if (strings(users.includeUsers).some((u) => u !== 'None' && u !== 'GuestsOrExternalUsers') || strings(users.includeGroups).length || strings(users.includeRoles).length) return undefined;
  const reach = guestsAfterExclusions(users);
  if (!reach.size) return undefined;
  const external = [...reach.keys()].filter((t) => EXTERNAL_TYPES.includes(t));
  return { external, local: reach.has('internalGuest'), reach };
}

/**
 * Whether a CA policy's users condition takes in local guests (`internalGuest`, accounts of this tenant whose devices
 * are this tenant's) by type, once its guest exclusions are out: All users, `GuestsOrExternalUsers`, or
 * `includeGuestsOrExternalUsers` naming them. What If reads it for a guest of no stated type.
 */
export function reachesLocalGuests(p: PolicyFacts): boolean {
  const users = isPlainObject(p.spec?.conditions) ? p.spec.conditions.users : undefined;
  return guestsAfterExclusions(users).has('internalGuest');
}

/**
 * Whether a CA policy targets only users of other tenants (`guestAudience`: external types, no local guest, no user,
 * group or role of this tenant). Their device compliance is their home tenant's, and counts here only when the
 * cross-tenant access settings trust it (`isCompliantDeviceAccepted`): this tenant's compliance policies and
 * `secureByDefault` do not decide it, and such a policy asks nothing of this tenant's users' devices (layer 4).
 */
export function externalUsersOnly(p: PolicyFacts): boolean {
  const audience = guestAudience(p);
  return !!audience && audience.external.length > 0 && !audience.local;
}

/**
 * Whether a guest of this type signs in with a device of their home tenant, whose claims count here only as the
 * cross-tenant access settings trust them: every type but a local guest (`internalGuest`), an account of this tenant
 * whose device enrolls and is evaluated here. A guest of no stated type may be either.
 */
export function guestBringsHomeDevice(guestType: string | undefined): boolean {
  return guestType !== 'internalGuest';
}

/** The rule that reports a device control the guests a policy reaches cannot meet, for want of inbound trust. */
export const GUEST_TRUST_RULE = 'ca-guest-device-not-trusted';

/**
 * A compliant or hybrid joined device asked of users of other tenants only: their home tenant's claim, which counts
 * here as far as the cross-tenant access settings trust it (`model/cross-tenant.ts`). Declared untrusted for every
 * tenant the policy reaches, none of its guests can meet it; for some, those tenants' guests cannot (the rule says
 * which, the control stays possible for the others); undeclared, it is unknown, and `undeclared-fact` asks for it.
 */
function guestDeviceAbility(ctx: GrantContext, control: 'compliantDevice' | 'domainJoinedDevice', policy: PolicyFacts): ControlAbility {
  const answer = guestDeviceTrust(ctx.inboundTrust, control, policy);
  const what = control === 'compliantDevice' ? 'a compliant device' : 'a hybrid joined device';
  const fact = `\`${TRUST_CLAIMS[control]}\``;
  switch (answer.state) {
    case 'trusted':
      return { control, status: 'possible', reason: `the policy targets only users of other tenants, whose home tenant's ${what} this tenant's cross-tenant access settings trust (${fact})`, guestTrust: answer };
    case 'untrusted':
      return {
        control,
        status: 'impossible',
        reason: `${what} required of users of other tenants only, but ${untrustedClaimText(control, answer.tenants)}, so none of them can meet it`,
        rule: GUEST_TRUST_RULE,
        untrustedTenants: answer.tenants,
        guestTrust: answer,
      };
    case 'some':
      return { control, status: 'possible', reason: `the guests of ${tenantsText(answer.tenants)} cannot meet it: the cross-tenant access settings do not trust their home tenant's device claims (${fact} is false there)`, rule: GUEST_TRUST_RULE, untrustedTenants: answer.tenants, guestTrust: answer };
    case 'undeclared':
      return { control, status: 'possible', reason: `the policy targets only users of other tenants: ${EXTERNAL_DEVICE_CLAIMS}; whether this tenant trusts them is not declared (\`${trustFact(control)}\`)`, guestTrust: answer };
  }
}

/**
 * A device control asked of users of other tenants beside users whose devices are this tenant's: local guests
 * (`internalGuest`, a guest policy of several types) or this tenant's users (`members`: a policy for All users, which
 * takes in B2B guests, https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups).
 * Those meet it as this tenant's users do (`own`); the others only as far as the cross-tenant access settings trust
 * their home tenant's claim (`external`). Where some of the external types cannot, the control stays possible (the
 * others can), and `ca-guest-device-not-trusted` warns, naming the guests that cannot. A gap of `own` (no compliance
 * policy, enrollment blocked, unknown) comes first: it is this tenant's rules' to say. A policy for All users that
 * excludes a group the manifest names or describes as guests (`excludedGuestGroups`) gives them a policy of their own,
 * as far as the files say: no gap is said of it (which guests the group holds, the manifest does not say).
 */
function withGuestsBeside(ctx: GrantContext, own: ControlAbility, external: ControlAbility, reach: GuestReach, who: 'localGuests' | 'members', policy: PolicyFacts): ControlAbility {
  const guestTrust = external.guestTrust ? { guestTrust: external.guestTrust } : {};
  const users = isPlainObject(policy.spec?.conditions) ? policy.spec.conditions.users : undefined;
  if (who === 'members' && ctx.excludedGuestGroups(users).length) return { ...own, ...guestTrust };
  if (external.rule !== GUEST_TRUST_RULE || own.status !== 'possible' || own.rule || own.unknown || own.missing || own.mayBeImpossible) return { ...own, ...guestTrust };
  const claim = external.control as TrustClaim;
  const answer = external.status === 'impossible' ? 'untrusted' : 'some';
  const untrusted = external.untrustedTenants;
  const reached = [...reach.entries()].filter(([t, s]) => EXTERNAL_TYPES.includes(t) && (!untrusted || !tenantsEmpty(tenantIntersect(s, untrusted)))).map(([t]) => t);
  const types = who === 'members' && EXTERNAL_TYPES.every((t) => reached.includes(t)) ? 'the B2B guests and external users' : `the ${listText(reached.map((t) => `\`${t}\``))} guests`;
  const what = claim === 'compliantDevice' ? 'a compliant device' : 'a hybrid joined device';
  const whose = untrusted ? `${answer === 'some' && who === 'localGuests' ? ' of ' : ' from '}${tenantsText(untrusted)}` : '';
  const can = who === 'members' ? "this tenant's users, whose devices are enrolled and evaluated here, can" : "the local guests (`internalGuest`) it reaches can, their devices being this tenant's";
  return {
    control: external.control,
    status: 'possible',
    reason: `${types}${who === 'members' ? ' it reaches' : ''}${whose} cannot meet it: ${what} of a user of another tenant is their home tenant's, and the cross-tenant access settings do not trust it (\`${TRUST_CLAIMS[claim]}\` is false there); ${can}`,
    rule: GUEST_TRUST_RULE,
    untrustedTenants: untrusted,
    ...guestTrust,
  };
}

/**
 * The users of other tenants a policy for All users (`includeUsers: [All]`) reaches besides this tenant's own, once its
 * guest exclusions (`excludeGuestsOrExternalUsers`) are taken out: every external type of every tenant unless it
 * excludes them. Undefined for any other policy, or one that excludes them all. Guests are users: All users takes in
 * B2B guests, https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups.
 */
export function allUsersGuests(p: PolicyFacts): GuestReach | undefined {
  const users = isPlainObject(p.spec?.conditions) ? p.spec.conditions.users : undefined;
  if (!isPlainObject(users) || !strings(users.includeUsers).includes('All')) return undefined;
  const reach = new Map([...guestsAfterExclusions(users)].filter(([t]) => EXTERNAL_TYPES.includes(t)));
  return reach.size ? reach : undefined;
}

/**
 * The users of other tenants a CA policy names by type (`includeGuestsOrExternalUsers`, `GuestsOrExternalUsers`) beside
 * users whose accounts are this tenant's (local guests, or a user, group or role of this tenant), once its guest
 * exclusions are taken out: the external types, each with its tenants. Undefined for a policy of users of other
 * tenants only (`externalUsersOnly`), for All users (`allUsersGuests`), and for one that names no external type.
 */
export function externalGuestsBeside(p: PolicyFacts): GuestReach | undefined {
  const users = isPlainObject(p.spec?.conditions) ? p.spec.conditions.users : undefined;
  if (!isPlainObject(users) || strings(users.includeUsers).includes('All') || externalUsersOnly(p)) return undefined;
  const reach = new Map([...guestsAfterExclusions(users)].filter(([t]) => EXTERNAL_TYPES.includes(t)));
  return reach.size ? reach : undefined;
}

/**
 * Why users of other tenants cannot meet app protection (`compliantApplication`) or an approved client app: Learn's
 * table of Conditional Access for external users marks both "Not supported" for B2B collaboration and B2B direct
 * connect users (https://learn.microsoft.com/entra/external-id/authentication-conditional-access), and this tenant's
 * app protection policies protect its own users' apps. The grant evaluator's reasons and `ca-guest-device-not-trusted`
 * say it alike.
 */
export const EXTERNAL_APP_PROTECTION_TEXT =
  "Conditional Access does not support app protection, nor approved client apps, for B2B collaboration and B2B direct connect users, and this tenant's app protection policies protect its own users' apps";

/**
 * App protection asked of users of other tenants only: none of them can meet it, whatever this tenant's app protection
 * policies or the cross-tenant access settings (no trust setting carries it): impossible, `ca-guest-device-not-trusted`'s
 * error, never `ca-requires-app-protection`'s (no app protection policy here would let a guest in). What If says the
 * same of a guest of another tenant (`EXTERNAL_NO_APP_PROTECTION`).
 */
function externalAppProtection(control: string, types: readonly GuestType[]): ControlAbility {
  return {
    control,
    status: 'impossible',
    reason: `app protection required of users of other tenants only (${listText(types.map((t) => `\`${t}\``))}), but ${EXTERNAL_APP_PROTECTION_TEXT}, so none of them can meet it`,
    rule: GUEST_TRUST_RULE,
    notForExternalUsers: true,
  };
}

/**
 * App protection asked of users of other tenants the policy names beside users whose accounts are this tenant's
 * (`externalGuestsBeside`): those meet it as this tenant's users do (`own`); the guests never. Where `own` can be met,
 * the control stays possible with the guests' gap named (`ca-guest-device-not-trusted`'s warning: the problem is only
 * the guests'); a gap of `own` (no app protection policy, none reaching them) is this tenant's rules' to say first, as
 * `withGuestsBeside` reads a device claim.
 */
function appProtectionBeside(own: ControlAbility, reach: GuestReach, policy: PolicyFacts): ControlAbility {
  if (own.status !== 'possible' || own.rule || own.unknown || own.missing || own.mayBeImpossible) return { ...own, notForExternalUsers: true };
  const types = EXTERNAL_TYPES.filter((t) => reach.has(t));
  const can = guestAudience(policy)?.local ? "the local guests (`internalGuest`) it reaches can, their accounts being this tenant's" : "this tenant's users it reaches can";
  return {
    ...own,
    reason: `the ${listText(types.map((t) => `\`${t}\``))} guests it reaches cannot meet it: ${EXTERNAL_APP_PROTECTION_TEXT}; ${can}`,
    rule: GUEST_TRUST_RULE,
    notForExternalUsers: true,
  };
}

/**
 * Why the guests of `tenants` cannot bring a device claim here: "the cross-tenant access settings do not trust their
 * home tenant's device claims (`isCompliantDeviceAccepted` is false for every external tenant)". The grant evaluator's
 * reason and `ca-guest-device-not-trusted`'s message say it alike.
 */
export function untrustedClaimText(claim: TrustClaim, tenants: TenantSet): string {
  return `the cross-tenant access settings do not trust their home tenant's device claims (\`${TRUST_CLAIMS[claim]}\` is false for ${tenantsText(tenants)})`;
}

/** Whether the cross-tenant access settings trust the device claim a policy for guests asks of the tenants it reaches. */
export function guestDeviceTrust(trust: InboundTrust, claim: TrustClaim, policy: PolicyFacts): TrustAnswer {
  const users = isPlainObject(policy.spec?.conditions) ? policy.spec.conditions.users : undefined;
  return trustOf(trust, claim, externalTenantsOf(guestsAfterExclusions(users)));
}

/**
 * Users of other tenants who do not sign in with Microsoft Entra ID: `otherExternalUser`, "users who ... don't
 * authenticate internally via Microsoft Entra ID" (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups).
 * An authentication strength cannot be applied to them: Learn says it applies only to external users who authenticate
 * with Microsoft Entra ID, and to use the MFA grant for email one-time passcode, SAML/WS-Fed and Google federation users
 * (https://learn.microsoft.com/entra/identity/conditional-access/policy-guests-mfa-strength, the Note;
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-external-users). MFA trust,
 * which is trust in Microsoft Entra tenants, cannot help them.
 */
const NO_STRENGTH_TYPES: readonly GuestType[] = ['otherExternalUser'];

/**
 * B2B direct connect users (`b2bDirectConnectUser`, Teams shared channels) have no account here and complete no MFA
 * here: with MFA asked of them, only their home tenant's MFA, under MFA trust, lets them in. Learn: "If you want to allow
 * B2B direct connect with an external organization and your Conditional Access policies require MFA, you must configure
 * your inbound trust settings so that your Conditional Access policies accept MFA claims from the external
 * organization" (https://learn.microsoft.com/entra/external-id/b2b-direct-connect-overview; MFA trust is optional for
 * B2B collaboration, required for B2B direct connect:
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-external-users).
 */
const DIRECT_CONNECT: GuestType = 'b2bDirectConnectUser';

/** The guest types in words: "the `otherExternalUser` users", "the `b2bCollaborationGuest` and `serviceProvider` users". */
function typesText(types: readonly GuestType[]): string {
  return `the ${listText(types.map((t) => `\`${t}\``))} users`;
}

/** The gaps of B2B direct connect users an MFA claim (`mfa`, or any authentication strength) is asked of. */
function directConnectGap(ctx: GrantContext, reach: GuestReach): GuestTypeGap | undefined {
  const tenants = reach.get(DIRECT_CONNECT);
  return tenants ? directConnectGapOf(trustOf(ctx.inboundTrust, 'mfa', tenants)) : undefined;
}

/** The gap of B2B direct connect users whose home tenants' MFA trust is `answer`: none where it is trusted. */
function directConnectGapOf(answer: TrustAnswer): GuestTypeGap | undefined {
  const types = [DIRECT_CONNECT];
  if (answer.state === 'trusted') return undefined;
  if (answer.state === 'undeclared') {
    return { types, who: typesText(types), state: 'undeclared', fix: 'trust', reason: `B2B direct connect users (\`${DIRECT_CONNECT}\`) complete no MFA here, and their home tenant's counts only when the cross-tenant access settings trust it (\`${trustFact('mfa')}\`, not declared; off by default), which B2B direct connect requires` };
  }
  return { types, who: typesText(types), state: answer.state, tenants: answer.tenants, fix: 'trust', reason: `B2B direct connect users (\`${DIRECT_CONNECT}\`) complete no MFA here, and their home tenant's counts only under MFA trust, which B2B direct connect requires and the cross-tenant access settings do not give (\`${TRUST_CLAIMS.mfa}\` is false for ${tenantsText(answer.tenants)})` };
}

/**
 * A guest type's gap (`ControlAbility.guestTypeGaps`) for the guests of one home tenant (What If's `--guest-tenant`): a
 * gap of MFA trust (`fix: 'trust'`, which the policy's answer gives for every tenant it reaches, some trusted and some
 * not) becomes that tenant's, the partner's trust or else the default (as `guestTrustFor` answers a device claim or a
 * strength): none where it is trusted, `untrusted` or `undeclared` otherwise. A gap no trust can help is kept.
 */
export function guestTypeGapFor(trust: InboundTrust, gap: GuestTypeGap, tenant: string): GuestTypeGap | undefined {
  if (gap.fix !== 'trust') return gap;
  const answer = trustOf(trust, 'mfa', { all: false, ids: new Set([tenant.toLowerCase()]) });
  if (gap.types.length === 1 && gap.types[0] === DIRECT_CONNECT) return directConnectGapOf(answer);
  if (answer.state === 'trusted') return undefined;
  return answer.state === 'undeclared' ? { ...gap, state: 'undeclared', tenants: undefined } : { ...gap, state: answer.state, tenants: answer.tenants };
}

/**
 * An MFA claim asked of users of other tenants, some types of which cannot meet it (`gaps`): none of the types it reaches
 * can, and no local guest is reached, impossible (`ca-guest-device-not-trusted`'s error); some can, or local guests
 * (who sign in here as this tenant's users), possible with the gap named (its warning); only undeclared trust stands in
 * the way, possible, and `mayBeImpossible` where no type it reaches is known to meet it (What If says "may be blocked").
 */
function guestGapsAbility(control: string, guests: { external: GuestType[]; local: boolean }, gaps: GuestTypeGap[], extra: Pick<ControlAbility, 'guestTrust'>): ControlAbility {
  const locals = guests.local ? "; the local guests (`internalGuest`) it reaches sign in here as this tenant's users, and can" : '';
  const certain = gaps.filter((g) => g.state === 'never' || g.state === 'untrusted');
  const blocked = new Set(certain.flatMap((g) => g.types));
  const known = gaps.filter((g) => g.state !== 'undeclared');
  const typeGaps = gaps.length ? { guestTypeGaps: gaps } : {};
  const untrustedTenants = (gs: GuestTypeGap[]): { untrustedTenants?: TenantSet } => {
    const t = gs.map((g) => g.tenants).filter((x): x is TenantSet => !!x);
    return t.length ? { untrustedTenants: t.reduce(tenantUnion) } : {};
  };
  if (!guests.local && guests.external.length && guests.external.every((t) => blocked.has(t))) {
    return { control, status: 'impossible', reason: certain.map((g) => g.reason).join('; '), rule: GUEST_TRUST_RULE, ...untrustedTenants(certain), ...extra, ...typeGaps };
  }
  // B2B direct connect is blocked for every external organization until both sides allow it
  // (https://learn.microsoft.com/entra/external-id/b2b-direct-connect-overview), and the manifest does not say with
  // whom it is: beside other types (a policy for every guest type), nothing says any direct connect user signs in, so
  // their gap is said where a sign-in names them (What If's `--guest-type b2bDirectConnectUser`), not reported.
  const reported = known.filter((g) => !(g.types.includes(DIRECT_CONNECT) && guests.external.some((t) => t !== DIRECT_CONNECT)));
  if (known.length && !reported.length) {
    return { control, status: 'possible', reason: `${known.map((g) => g.reason).join('; ')}${locals}`, ...extra, ...typeGaps };
  }
  if (reported.length) {
    // The reasons of the types with a gap of their own name them; the others' (`the guests`), and a gap of some of a
    // type's tenants, say who.
    const reason = reported.map((g) => (g.who === 'the guests' || g.state === 'some' ? `${g.who}${g.tenants ? ` from ${tenantsText(g.tenants)}` : ''} cannot meet it: ${g.reason}` : g.reason)).join('; ');
    return { control, status: 'possible', reason: `${reason}${locals}`, rule: GUEST_TRUST_RULE, ...untrustedTenants(reported), ...extra, ...typeGaps };
  }
  if (gaps.length) {
    const open = guests.external.some((t) => !gaps.some((g) => g.types.includes(t)));
    return { control, status: 'possible', reason: `${gaps.map((g) => g.reason).join('; ')}${locals}`, ...extra, ...typeGaps, ...(guests.local || open ? {} : { mayBeImpossible: true as const }) };
  }
  return { control, status: 'possible', ...extra };
}

/**
 * An authentication strength asked of users of other tenants. `otherExternalUser` users cannot be asked one at all,
 * whatever the trust (`NO_STRENGTH_TYPES`: use the `mfa` grant for them); B2B direct connect users meet one only under
 * MFA trust (`DIRECT_CONNECT`); the others, with MFA trust on (`isMfaAccepted`), by their home tenant's MFA, by any
 * method; off, they complete MFA here, with a text message, a voice call, Authenticator push or an OATH software token
 * only (Learn, "How Conditional Access authentication strength works for external users",
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-external-users), so a
 * strength that allows none of those (Phishing-resistant MFA, Passwordless MFA, a custom one of such methods) cannot then
 * be met by them. How the types' gaps make the control's answer: `guestGapsAbility`. A strength they can meet here, or a
 * custom one whose methods the file does not hold, is possible for the others.
 */
function guestStrengthAbility(ctx: GrantContext, policy: PolicyFacts, guests: { external: GuestType[]; local: boolean; reach: GuestReach }): ControlAbility {
  const control = 'authenticationStrength';
  const gaps: GuestTypeGap[] = [];
  const never = NO_STRENGTH_TYPES.filter((t) => guests.reach.has(t));
  if (never.length) gaps.push(neverStrengthGap(never));
  const direct = directConnectGap(ctx, guests.reach);
  if (direct) gaps.push(direct);
  const strength = ctx.strengthOf(policy);
  const answer = guestStrengthTrust(ctx.inboundTrust, policy, strength, [DIRECT_CONNECT]);
  const rest = guests.external.filter((t) => !NO_STRENGTH_TYPES.includes(t) && t !== DIRECT_CONNECT);
  const extra = answer ? { guestTrust: answer } : {};
  if (answer && answer.state !== 'trusted' && rest.length) {
    const name = `\`${strengthName(strength ?? {})}\``;
    const here = `they complete MFA here, where only ${RESOURCE_TENANT_MFA_TEXT} is open to them, and ${name} allows none of these`;
    if (answer.state === 'undeclared') {
      gaps.push({ types: rest, who: 'the guests', state: 'undeclared', fix: 'trust', reason: `whether the users of other tenants it reaches can meet ${name} is unknown: their home tenant's MFA counts here only when the cross-tenant access settings trust it (\`${trustFact('mfa')}\`, not declared; off by default), and without it ${here}` });
    } else {
      gaps.push({ types: rest, who: 'the guests', state: answer.state, tenants: answer.tenants, fix: 'trust', reason: `${untrustedMfaText(answer.tenants)}, so ${here}` });
    }
  }
  return guestGapsAbility(control, guests, gaps, extra);
}

/** The guest types no authentication strength can be asked of (`NO_STRENGTH_TYPES`), whatever the MFA trust. */
function neverStrengthGap(types: GuestType[]): GuestTypeGap {
  return { types, who: typesText(types), state: 'never', fix: 'mfaGrant', reason: `${listText(types.map((t) => `\`${t}\``))} users do not sign in with Microsoft Entra ID (email one-time passcode, SAML/WS-Fed or Google federation), and an authentication strength applies only to external users who do, whatever the MFA trust (use the \`mfa\` grant for these users)` };
}

/**
 * An authentication strength of a policy for All users, which reaches the B2B guests and external users besides this
 * tenant's users (`allUsersGuests`). This tenant's users meet it at sign-in. The guests, when it allows only methods
 * they can use in their home tenant (phishing-resistant MFA: `guestStrengthTrust`), meet it only where the cross-tenant
 * access settings trust their home tenant's MFA: where the manifest declares that trust off for some or all of the
 * tenants it reaches, a gap of theirs (`GUEST_TRUST_RULE`), as `withGuestsBeside` says of a device claim. Not declared,
 * or a group of guests excluded (they have a policy of their own), it is left to the sign-in (What If reads
 * `guestTrust`), as a device claim of All users is. `otherExternalUser` users cannot be asked a strength whatever the
 * trust (`NO_STRENGTH_TYPES`): their gap is kept for a sign-in that names them (What If's `--guest-type`), not
 * reported of every All users policy. B2B direct connect users are left to the sign-in, as beside other types
 * (`guestGapsAbility`). https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-external-users
 */
function membersStrengthAbility(ctx: GrantContext, policy: PolicyFacts, besides: GuestReach): ControlAbility {
  const control = 'authenticationStrength';
  const users = isPlainObject(policy.spec?.conditions) ? policy.spec.conditions.users : undefined;
  if (ctx.excludedGuestGroups(users).length) return { control, status: 'possible' };
  const never = NO_STRENGTH_TYPES.filter((t) => besides.has(t));
  const gaps: GuestTypeGap[] = never.length ? [neverStrengthGap(never)] : [];
  const strength = ctx.strengthOf(policy);
  const answer = guestStrengthTrust(ctx.inboundTrust, policy, strength, [DIRECT_CONNECT]);
  const extra = { ...(answer ? { guestTrust: answer } : {}), ...(gaps.length ? { guestTypeGaps: gaps } : {}) };
  if (!answer || (answer.state !== 'untrusted' && answer.state !== 'some')) return { control, status: 'possible', ...extra };
  const name = `\`${strengthName(strength ?? {})}\``;
  const why = `${untrustedMfaText(answer.tenants)}, so they complete MFA here, where only ${RESOURCE_TENANT_MFA_TEXT} is open to them, and ${name} allows none of these`;
  const types = [...besides.keys()].filter((t) => !NO_STRENGTH_TYPES.includes(t) && t !== DIRECT_CONNECT);
  gaps.push({ types, who: 'the guests', state: answer.state, tenants: answer.tenants, fix: 'trust', reason: why });
  return {
    control,
    status: 'possible',
    reason: `the B2B guests and external users it reaches from ${tenantsText(answer.tenants)} cannot meet it: ${why}; this tenant's users can`,
    rule: GUEST_TRUST_RULE,
    untrustedTenants: answer.tenants,
    ...extra,
    guestTypeGaps: gaps,
  };
}

/**
 * `mfa` asked of users of other tenants: met at sign-in by every type but B2B direct connect users, who complete no MFA
 * here and need MFA trust (`DIRECT_CONNECT`).
 */
function guestMfaAbility(ctx: GrantContext, guests: { external: GuestType[]; local: boolean; reach: GuestReach }): ControlAbility {
  const direct = directConnectGap(ctx, guests.reach);
  return guestGapsAbility('mfa', guests, direct ? [direct] : [], {});
}

/**
 * Whether the cross-tenant access settings trust the MFA of the users of other tenants a policy's authentication
 * strength is asked of, where it matters: undefined when the strength can be met in this tenant (or its methods are
 * not in the file), or the policy reaches no user of another tenant by type whose MFA trust can help (`otherExternalUser`
 * users cannot be asked a strength whatever the trust; `without` leaves out more types). `strength` is the policy's as
 * the model reads it (`TenantModel.strengthOf`). `undeclared-fact` reads it too.
 */
export function guestStrengthTrust(trust: InboundTrust, policy: PolicyFacts, strength: Record<string, unknown> | undefined, without: readonly GuestType[] = []): TrustAnswer | undefined {
  if (!strength || strengthMetInResourceTenant(strength) !== false) return undefined;
  const users = isPlainObject(policy.spec?.conditions) ? policy.spec.conditions.users : undefined;
  const out = [...NO_STRENGTH_TYPES, ...without];
  const reach = new Map([...guestsAfterExclusions(users)].filter(([t]) => !out.includes(t)));
  const tenants = externalTenantsOf(reach);
  return tenantsEmpty(tenants) ? undefined : trustOf(trust, 'mfa', tenants);
}

/** Why the guests of `tenants` cannot bring their home tenant's MFA here: "the cross-tenant access settings do not trust … (`isMfaAccepted` is false for …)". */
export function untrustedMfaText(tenants: TenantSet): string {
  return `the cross-tenant access settings do not trust their home tenant's MFA (\`${TRUST_CLAIMS.mfa}\` is false for ${tenantsText(tenants)})`;
}

/**
 * A compliant device or app protection of this tenant's users, once what the manifest declares for the whole tenant is
 * read (`TenantModel.intuneService`): an MDM authority other than Intune, or licences that include no Intune, keep the
 * control from every user whatever the policies (`none`: impossible, `gap` names the fact, `rule` the rule that reports
 * it; `missing` is kept, the rule that reports a missing policy still does); an Office 365 MDM authority leaves it in
 * doubt (`mayBeImpossible`). A control already impossible keeps its cause, the fact said beside it.
 */
function withIntuneService(ctx: GrantContext, own: ControlAbility, platform: Platform | undefined): ControlAbility {
  if (!platform || (own.control !== 'compliantDevice' && own.control !== 'compliantApplication')) return own;
  const answer = ctx.intuneService(own.control);
  if (!answer) return own;
  // Configuration Manager evaluates these devices' compliance under co-management, as the manifest declares: what it
  // reports, no file shows, whatever the MDM authority says (the layer tree reads it so too).
  if (answer.gap === 'mdmAuthority' && own.coManaged) return own;
  const subject = own.control === 'compliantDevice' ? 'compliant device' : 'app protection';
  if (own.status === 'impossible') {
    if (answer.state !== 'none') return own;
    const besides = `; besides, ${answer.reason}`;
    return { ...own, reason: `${own.reason ?? `${subject} required on ${platform} cannot be met`}${besides}`, ...(own.cause !== undefined ? { cause: `${own.cause}${besides}` } : {}) };
  }
  if (own.status !== 'possible') return own;
  if (answer.state === 'none') {
    // What kept it in doubt, or unknown, no longer does: nothing any policy holds lets it be met.
    const { mayBeImpossible: _doubt, undeclared: _fact, reach: _reach, unknown: _unknown, ...rest } = own;
    return { ...rest, status: 'impossible', ...requiredBut(`${subject} required on ${platform}`, answer.reason), rule: answer.rule, gap: answer.gap };
  }
  const { undeclared: _fact, cause: _cause, ...rest } = own;
  return { ...rest, mayBeImpossible: true, reason: `${subject === 'compliant device' ? 'a compliant device' : subject} on ${platform} may be unsatisfiable: ${answer.reason}${own.reason ? `; ${own.reason}` : ''}`, rule: answer.rule };
}

/** The platforms app protection policies exist for: iOS, Android and (Edge, `windowsManagedAppProtection`) Windows. */
export const APP_PROTECTION_COVERED: readonly Platform[] = ['iOS', 'android', 'windows'];

/**
 * Whether one control can be met on a platform (`undefined`: a platform Intune does not manage, such as windowsPhone),
 * for the users of `policy` when it is given (a policy for external users only meets `compliantDevice` in their home
 * tenant).
 */
export function controlAbility(ctx: GrantContext, control: string, platform: Platform | undefined, platformName: string, userGroups?: string[], policy?: PolicyFacts): ControlAbility {
  const label = platform ? PLATFORM_LABELS[platform] : platformName;
  switch (control) {
    case 'block':
      return { control, status: 'block' };
    case 'compliantDevice': {
      const guests = policy ? guestAudience(policy) : undefined;
      if (policy && guests?.external.length) {
        const external = guestDeviceAbility(ctx, control, policy);
        // Local guests beside them: their devices are this tenant's, asked as any user's (the policy's own device
        // filter aside, which only narrows whom a compliance reach is asked of).
        // (The guests' gap is said before an undeclared enrollment fact's doubt, which is this tenant's devices' alone.)
        return guests.local ? undeclaredEnrollment(ctx, withGuestsBeside(ctx, withIntuneService(ctx, ownCompliantDevice(ctx, control, platform, platformName, userGroups, undefined), platform), external, guests.reach, 'localGuests', policy), platform, userGroups) : external;
      }
      const own = withIntuneService(ctx, ownCompliantDevice(ctx, control, platform, platformName, userGroups, policy), platform);
      // All users takes in the users of other tenants too: this tenant's users meet it as above, the guests as the
      // cross-tenant access settings trust their home tenant's claim.
      const besides = policy ? allUsersGuests(policy) : undefined;
      return undeclaredEnrollment(ctx, besides && policy ? withGuestsBeside(ctx, own, guestDeviceAbility(ctx, control, policy), besides, 'members', policy) : own, platform, userGroups);
    }
    case 'approvedApplication':
      // Microsoft retired the grant in March 2026: it is no longer enforced and behaves as if not selected
      // (approved-app-grant-retired says so on the policy).
      return { control, status: 'notEnforced', reason: `approvedApplication was retired in ${RETIRED_GRANTS.approvedApplication!.retired} and behaves as if not selected` };
    case 'compliantApplication': {
      // Users of other tenants only: none of them can meet it, whatever this tenant's app protection policies, which
      // protect this tenant's users' apps and are no gap of this policy's (`externalAppProtection`).
      if (policy && externalUsersOnly(policy)) return externalAppProtection(control, guestAudience(policy)!.external);
      const own = withIntuneService(ctx, ownAppProtection(ctx, control, platform, platformName, label, userGroups, policy), platform);
      // Users of other tenants the policy names beside this tenant's (local guests, or a user, group or role of this
      // tenant): those meet it as this tenant's users do, the guests never (`appProtectionBeside`).
      const beside = policy ? externalGuestsBeside(policy) : undefined;
      if (beside && policy) return appProtectionBeside(own, beside, policy);
      // All users reaches them too (`externalUsersCanMeet`), unless a group of guests it excludes gives them a policy of
      // their own (as `withGuestsBeside` reads it): marked, not reported (Learn's own app protection policy is for All
      // users), and What If says a guest of another tenant cannot meet it.
      const users = isPlainObject(policy?.spec?.conditions) ? policy.spec.conditions.users : undefined;
      const external = policy && !externalUsersCanMeet(control) && allUsersGuests(policy) && !ctx.excludedGuestGroups(users).length;
      return external ? { ...own, notForExternalUsers: true } : own;
    }
    case 'domainJoinedDevice':
      if (platform !== 'windows') return { control, status: 'impossible', ...requiredBut(`a hybrid joined device required on ${platformName}`, 'only Windows devices can be hybrid joined'), notOnPlatform: true };
      {
        const guests = policy ? guestAudience(policy) : undefined;
        const besides = policy && !guests ? allUsersGuests(policy) : undefined;
        if (!policy || (!guests?.external.length && !besides)) return { control, status: 'possible' };
        const external = guestDeviceAbility(ctx, control, policy);
        if (besides) return withGuestsBeside(ctx, { control, status: 'possible' }, external, besides, 'members', policy);
        return guests!.local ? withGuestsBeside(ctx, { control, status: 'possible' }, external, guests!.reach, 'localGuests', policy) : external;
      }
    case 'authenticationStrength': {
      // A strength no method of which can be used on the platform is met by no one there, this tenant's users and
      // guests alike: their home tenant's Windows Hello for Business is still Windows'.
      const unusable = policy && platform ? strengthPlatformAbility(ctx.strengthOf(policy), platform, platformName) : undefined;
      if (unusable) return unusable;
      const guests = policy ? guestAudience(policy) : undefined;
      if (policy && guests?.external.length) return guestStrengthAbility(ctx, policy, guests);
      // All users takes in the users of other tenants too: this tenant's users meet it at sign-in, the guests as far
      // as the MFA trust goes (`membersStrengthAbility`).
      const besides = policy && !guests ? allUsersGuests(policy) : undefined;
      if (policy && besides) return membersStrengthAbility(ctx, policy, besides);
      return { control, status: 'possible' };
    }
    case 'mfa': {
      // B2B direct connect users meet MFA only under MFA trust (`guestMfaAbility`); every other user at sign-in.
      const guests = policy ? guestAudience(policy) : undefined;
      if (guests?.reach.has(DIRECT_CONNECT)) return guestMfaAbility(ctx, guests);
      return { control, status: 'possible' };
    }
    default:
      // MFA, authentication strengths, password change, risk remediation, terms of use, custom controls: met at sign-in.
      return { control, status: 'possible' };
  }
}

/** The rule that reports a strength no method of which can be used on a platform a policy takes in. */
export const STRENGTH_PLATFORM_RULE = 'ca-strength-platform-unsupported';

/**
 * An authentication strength on a platform none of its methods can be used on (`strengthPlatforms`): impossible, whatever
 * the tenant's policies (`notOnPlatform`, as hybrid join off Windows: beside a control that can be met under OR, the
 * grant's design). Undefined where it may be met there, or where its methods are not known.
 */
function strengthPlatformAbility(strength: Record<string, unknown> | undefined, platform: Platform, platformName: string): ControlAbility | undefined {
  const usable = strengthPlatforms(strength);
  if (!usable || usable.includes(platform)) return undefined;
  const title = strengthTitle(strength ?? {});
  return {
    control: 'authenticationStrength',
    status: 'impossible',
    ...requiredBut(`authentication strength${title ? ` \`${title}\`` : ''} required on ${platformName}`, `none of its methods can be used on ${PLATFORM_LABELS[platform]}: ${PLATFORM_CREDENTIAL_TEXT}`),
    rule: STRENGTH_PLATFORM_RULE,
    gap: 'strengthPlatform',
    notOnPlatform: true,
  };
}

/**
 * `compliantApplication` for this tenant's users: whether the platform has app protection policies (Windows: Edge's,
 * for a policy that covers browser sign-ins), assigned to someone, that reach them.
 */
function ownAppProtection(ctx: GrantContext, control: string, platform: Platform | undefined, platformName: string, label: string, userGroups: string[] | undefined, policy: PolicyFacts | undefined): ControlAbility {
  const what = 'app protection';
  if (!platform || !APP_PROTECTION_COVERED.includes(platform)) {
    return { control, status: 'impossible', ...requiredBut(`${what} required on ${platformName}`, 'app protection policies exist only for iOS, Android and (Edge) Windows') };
  }
  // Windows app protection is Microsoft Edge's: a policy for desktop and mobile apps only has no sign-in it can
  // meet there. Source: https://learn.microsoft.com/entra/identity/conditional-access/how-to-app-protection-policy-windows
  if (platform === 'windows' && policy && !clientAppCoverage(policy).browser) {
    // With no Windows app protection policy either (none at all, none a file not read may hold), adding browsers alone
    // would not do: both causes are named, the missing policy first.
    const none = !ctx.appProtectionPolicies(platform, true).length && !ctx.appProtectionWithoutApps(platform).length && !ctx.hiding('AppProtectionPolicy', platform).length;
    const edge = (joint: string): string => `Windows app protection applies only in Microsoft Edge, ${joint} the policy covers no browser sign-in (\`clientAppTypes\`)`;
    return none
      ? { control, status: 'impossible', ...requiredBut(`${what} required on windows`, `the tenant has no Windows app protection policy, and ${edge('while')}`), gap: 'edgeOnly', missing: 'AppProtectionPolicy', rule: 'ca-requires-app-protection' }
      : { control, status: 'impossible', ...requiredBut(`${what} required on windows`, edge('and')), gap: 'edgeOnly' };
  }
  // The platform's only app protection policies protect no app (apps selected one by one, none selected): no app meets
  // the grant, and selecting the apps is the fix (`app-protection-targets-no-app`), not a new policy.
  const noApps = ctx.appProtectionWithoutApps(platform);
  if (!ctx.appProtectionPolicies(platform, true).length && noApps.length) {
    const names = listText(noApps.map((c) => c.name ?? c.path));
    return unlessHidden(
      ctx,
      {
        control,
        status: 'impossible',
        ...requiredBut(`${what} required on ${platform}`, `the tenant's only ${label} app protection ${noApps.length > 1 ? 'policies' : 'policy'}, ${names}, ${noApps.length > 1 ? 'each ' : ''}${PROTECTS_NO_APP}`),
        missing: 'AppProtectionPolicy',
        rule: APP_SCOPE_RULE,
        gap: 'noApps',
      },
      'AppProtectionPolicy',
      withArticle(`${label} app protection policy`),
      platform,
    );
  }
  if (ctx.appProtectionPolicies(platform).length) {
    const reached = userGroups ? appReachAbility(ctx, platform, userGroups) : { control, status: 'possible' as const };
    if (reached.status !== 'possible' || reached.mayBeImpossible) return reached;
    return platform === 'windows' ? managedWindowsAbility(ctx, reached, policy) : managedOnlyAbility(ctx, reached, platform, label, userGroups, policy);
  }
  return unlessHidden(
    ctx,
    {
      control,
      status: 'impossible',
      ...requiredBut(`${what} required on ${platform}`, ctx.appProtectionPolicies(platform, true).length ? `the tenant's ${label} ${UNASSIGNED_APP_PROTECTION}` : `the tenant has no ${label} app protection policy`),
      missing: 'AppProtectionPolicy',
      rule: 'ca-requires-app-protection',
      ...(ctx.appProtectionPolicies(platform, true).length ? { gap: 'unassigned' as const } : {}),
    },
    'AppProtectionPolicy',
    withArticle(`${label} app protection policy`),
    platform,
  );
}

/**
 * What Learn says of Windows app protection on a managed PC, for the reasons that say it: "Intune MAM on Windows
 * supports unmanaged devices. If a device is already managed, then Intune MAM enrollment is blocked and app protection
 * policies settings won't be applied" (https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy-settings-windows).
 */
export const WINDOWS_MAM_UNMANAGED_ONLY = 'Intune MAM on Windows applies only to devices neither MDM enrolled nor Microsoft Entra joined (Learn: on a managed device MAM enrollment is blocked and app protection settings are not applied)';

/**
 * What to change for it, as Learn's own policy for Windows MAM does: app protection OR a compliant device. Where the
 * grant already offers a compliant device under OR (`device`, the grant evaluator's answer for that option), offering it
 * is no fix: where it cannot be met for these users (`fails`, with its `gap`), the fix is to make it reachable; where it
 * can, a PC the tenant manages meets it instead.
 */
export function managedWindowsFix(policy: string, device?: { fails: boolean; gap?: ControlGap }): string {
  if (!device) return `offer a compliant device with OR in ${policy} (\`builtInControls: [compliantApplication, compliantDevice]\`, \`operator: OR\`), as Learn's policy for Windows app protection does`;
  if (!device.fails) return `${policy} offers a compliant device with OR, which a PC the tenant manages meets instead`;
  const how = device.gap === 'excluded' ? 'take them out of the Windows compliance policy\'s exclusions' : device.gap === 'unassigned' ? 'assign the Windows compliance policy' : 'assign the Windows compliance policy to them';
  return `make the compliant device ${policy} already offers with OR reachable for these users on Windows: ${how} (see rule ca-group-alignment)`;
}

/**
 * A grant's compliant device option beside Windows app protection under OR, for `managedWindowsFix`: undefined where the
 * grant does not offer one (or not under OR).
 */
export function offeredDevice(p: PolicyFacts | undefined, ability: () => ControlAbility): { fails: boolean; gap?: ControlGap } | undefined {
  if (!p || grantOperator(p) !== 'OR' || !builtInControlsOf(p).includes('compliantDevice')) return undefined;
  const a = ability();
  return { fails: a.status === 'impossible', ...(a.gap ? { gap: a.gap } : {}) };
}

/**
 * Whether a sign-in's Windows device is one Intune MAM does not apply on, as What If's scenario states it: compliant (so
 * MDM enrolled) or hybrid joined (so Microsoft Entra joined). Undefined for any other platform or device.
 */
export function managedWindowsDevice(platform: Platform | undefined, device: { compliant?: boolean; hybridJoined?: boolean }): 'compliant' | 'hybridJoined' | undefined {
  if (platform !== 'windows') return undefined;
  return device.compliant ? 'compliant' : device.hybridJoined ? 'hybridJoined' : undefined;
}

/**
 * App protection on Windows the platform's policies reach these users with: Intune MAM for Microsoft Edge, which applies
 * only on PCs that are neither MDM enrolled nor Microsoft Entra joined (`WINDOWS_MAM_UNMANAGED_ONLY`). A compliant device
 * is MDM enrolled and a hybrid joined one is joined, so where the grant asks either beside app protection under AND, no
 * sign-in meets both: impossible. Otherwise in doubt (`mayBeImpossible`) where the files show the tenant enrolls Windows
 * devices (`intuneEnrolls`: compliance policies, Autopilot profiles, profiles only enrolled devices take), whatever the
 * users: which PC a user signs in from is not in the files, and on an enrolled one the grant is not met. Where nothing
 * shows Windows enrolled (MAM for personal PCs only), or the policy's device filter leaves compliant devices out, nothing
 * is said. Both carry `gap: 'managedWindows'` and `ca-requires-app-protection`, which reports them; the fix is a
 * compliant device offered with OR (`managedWindowsFix`), Learn's design for Windows MAM
 * (https://learn.microsoft.com/entra/identity/conditional-access/how-to-app-protection-policy-windows).
 */
function managedWindowsAbility(ctx: GrantContext, reached: ControlAbility, policy: PolicyFacts | undefined): ControlAbility {
  if (policy && filterApplies(policy, { platform: 'windows', compliant: true, registered: true }) === false) return reached;
  const controls = policy ? builtInControlsOf(policy) : [];
  const device = policy && grantOperator(policy) === 'AND' ? (['compliantDevice', 'domainJoinedDevice'] as const).find((c) => controls.includes(c)) : undefined;
  if (device) {
    return {
      control: reached.control,
      status: 'impossible',
      ...requiredBut(`app protection required on windows with ${device === 'compliantDevice' ? 'a compliant device' : 'a hybrid joined device'} (AND)`, `${WINDOWS_MAM_UNMANAGED_ONLY}, while ${device === 'compliantDevice' ? 'a compliant device is MDM enrolled' : 'a hybrid joined device is Microsoft Entra joined'}: no sign-in meets both`),
      rule: 'ca-requires-app-protection',
      gap: 'managedWindows',
    };
  }
  if (!ctx.intuneEnrolls('windows')) {
    // A file not analysed may show the tenant enrolls Windows PCs: then the doubt is there too, unknown (the rule holds
    // back, as on any file it rests on that is not read), and reading the file decides it.
    const unread = ctx.enrollmentUnknown('windows');
    if (!unread) return reached;
    return {
      ...reached,
      status: 'possible',
      mayBeImpossible: true,
      unknown: true,
      rule: 'ca-requires-app-protection',
      gap: 'unread',
      reason: `unknown whether app protection can be met on windows: no readable file shows the tenant enrolls Windows devices, but ${notAnalysedText(unread.files, enrollmentEvidenceText('windows', unread.mayHold), 3)}; if the tenant enrolls Windows PCs, ${WINDOWS_MAM_UNMANAGED_ONLY}: Edge on such a PC gets no app protection policy, and a user signing in from it is blocked`,
    };
  }
  const evidence = ctx.enrollmentEvidence('windows');
  const shown = evidence.length ? `${listText(evidence.slice(0, 3).map((c) => c.name ?? c.path))}${evidence.length > 3 ? ` and ${evidence.length - 3} more` : ''}` : 'configuration profiles that only enrolled devices take';
  return {
    ...reached,
    status: 'possible',
    mayBeImpossible: true,
    rule: 'ca-requires-app-protection',
    gap: 'managedWindows',
    reason: `app protection on windows may be unsatisfiable on enrolled PCs: the tenant enrolls Windows devices (${shown}), and ${WINDOWS_MAM_UNMANAGED_ONLY}: Edge on such a PC gets no app protection policy, and a user signing in from it is blocked`,
  };
}

/** The rule that reports an app protection policy that protects no app, or none on the devices a CA policy asks it of. */
export const APP_SCOPE_RULE = 'app-protection-targets-no-app';

/**
 * App protection the platform's policies reach these users with, where every one of them that may (all of the
 * platform's, for all users; those not excluding them, otherwise) targets apps on Intune-managed devices only
 * (`managedDevicesOnly`): on a device that is not enrolled no policy applies, so the grant may not be met there.
 * Possible (enrolled devices meet it), `mayBeImpossible`, and the policies named for the rule. A file not analysed may
 * hold a policy for every device: then nothing is said.
 */
function managedOnlyAbility(ctx: GrantContext, reached: ControlAbility, platform: Platform, label: string, userGroups: string[] | undefined, policy: PolicyFacts | undefined): ControlAbility {
  const policies = ctx.appProtectionPolicies(platform).filter((c) => !userGroups || !ctx.excludedOf(c, userGroups).length);
  if (!policies.length || ctx.hiding('AppProtectionPolicy', platform).length) return reached;
  const levels = policies.map((c) => managedDevicesOnly(c));
  if (levels.some((l) => !l)) return policies.every((c) => unmanagedDevicesOnly(c)) ? unmanagedOnlyAbility(ctx, reached, platform, label, userGroups, policies, policy) : reached;
  const named = policies.map((c, i) => `${c.name ?? c.path} (${managedLevelsText(levels[i]!)})`);
  return {
    ...reached,
    status: 'possible',
    mayBeImpossible: true,
    rule: APP_SCOPE_RULE,
    managedDevicesOnly: policies,
    reason: `app protection on ${platform} may be unsatisfiable on unenrolled devices: the tenant's ${label} app protection ${policies.length > 1 ? 'policies' : 'policy'} ${listText(named)} ${policies.length > 1 ? 'target' : 'targets'} apps on Intune-managed devices only, so on ${withArticle(`${label} device`)} not enrolled in Intune no app gets a policy and none meets the grant`,
  };
}

/**
 * App protection the platform's policies reach these users with, where every one of them that may targets apps on
 * unmanaged devices only (`unmanagedDevicesOnly`): on Android, a device where Intune MDM is detected gets no policy
 * from them; on iOS/iPadOS, an app the MDM passes `IntuneMAMUPN` (Intune does for Excel, Outlook, PowerPoint, Teams and
 * Word on its enrolled devices, and for other apps an app configuration policy may)
 * (https://learn.microsoft.com/intune/intune-service/apps/app-protection-policies#target-app-protection-policies-based-on-device-management-state).
 * Certain only where every sign-in that meets the grant is from an Android device Intune manages: the grant asks a
 * compliant device too, under AND (a compliant device is enrolled in Intune): impossible. Otherwise in doubt
 * (`mayBeImpossible`) where these users may sign in from an enrolled device: the grant asks a compliant device under
 * AND (iOS), or a compliance policy of the platform reaches enrollable devices for them (they enroll). Where nothing
 * says they enroll, a MAM-only tenant, nothing is said.
 */
function unmanagedOnlyAbility(ctx: GrantContext, reached: ControlAbility, platform: Platform, label: string, userGroups: string[] | undefined, policies: PolicyFacts[], policy: PolicyFacts | undefined): ControlAbility {
  const named = policies.map((c) => `${c.name ?? c.path} (${managedLevelsText(unmanagedDevicesOnly(c)!)})`);
  const target = `the tenant's ${label} app protection ${policies.length > 1 ? 'policies' : 'policy'} ${listText(named)} ${policies.length > 1 ? 'target' : 'targets'} apps on unmanaged devices only`;
  const withDevice = !!policy && grantOperator(policy) === 'AND' && builtInControlsOf(policy).includes('compliantDevice');
  if (withDevice && platform === 'android') {
    return {
      control: reached.control,
      status: 'impossible',
      ...requiredBut('app protection required on android with a compliant device (AND)', `${target}: a compliant device is enrolled in Intune, and on an Android device Intune manages (a work profile, a fully managed phone) no app gets a policy from ${policies.length > 1 ? 'them' : 'it'}, so no sign-in meets both`),
      rule: APP_SCOPE_RULE,
      gap: 'unmanagedOnly',
      unmanagedDevicesOnly: policies,
    };
  }
  const compliance = withDevice ? [] : ctx.compliancePolicies(platform, userGroups);
  if (!withDevice && !compliance.length) return reached;
  const enroll = withDevice
    ? `the grant asks a compliant device too (AND), so these users sign in from devices enrolled in Intune`
    : `${label} devices are enrolled here (${listText(compliance.map((c) => c.name ?? c.path))} ${compliance.length > 1 ? 'reach' : 'reaches'} ${userGroups ? "these users' devices" : 'enrolled devices'})`;
  const there =
    platform === 'android'
      ? `on ${withArticle(`${label} device`)} Intune manages (a work profile, a fully managed phone) no app gets a policy and none meets the grant`
      : `on ${withArticle(`${label} device`)} enrolled in Intune an app the MDM passes \`IntuneMAMUPN\` (Intune does for Excel, Outlook, PowerPoint, Teams and Word) gets no policy and does not meet the grant`;
  return {
    ...reached,
    status: 'possible',
    mayBeImpossible: true,
    rule: APP_SCOPE_RULE,
    gap: 'unmanagedOnly',
    unmanagedDevicesOnly: policies,
    reason: `app protection on ${platform} may be unsatisfiable on enrolled devices: ${target}, and ${enroll}; ${there}`,
  };
}

/**
 * A compliant device the files say can be had, where the enrollment model leaves the devices' enrollment unknown for a
 * manifest fact not declared (`EnrollmentAnswer.undeclared`: the Apple MDM push certificate, the managed Google Play
 * binding), as the same fact declared expired or not bound would make it impossible: the platform's enrollment itself
 * (an Apple platform), or that of every compliance policy that reaches these users (Android Enterprise ones). Undeclared
 * is unknown, neither fine nor missing: possible, but in doubt (`mayBeImpossible`, with the fact in `undeclared`), so
 * What If says "may be blocked in practice" and the lockout check "may be locked out" and names the fact, as for
 * `secureByDefault`; `undeclared-fact` asks for it on the files. Of policies of one enrollment type among several a
 * platform has (Android), as for a policy declared stranded: only where `secureByDefault` may mark the devices no
 * other policy reaches noncompliant. An answer already impossible, unknown or in doubt is kept as it is, and so is one
 * with a gap of its own that a rule reports (a missing policy, the guests' device trust): what the rules read of it
 * stays theirs. Read after the guests' answer (`controlAbility`), never for the devices of users of other tenants.
 */
function undeclaredEnrollment(ctx: GrantContext, ability: ControlAbility, platform: Platform | undefined, userGroups: string[] | undefined): ControlAbility {
  // (An answer with a gap or a rule of its own, a missing policy, a guests' gap, says what it says: its rules read it.)
  if (!platform || ability.status !== 'possible' || ability.mayBeImpossible || ability.unknown || ability.missing || ability.rule) return ability;
  const label = PLATFORM_LABELS[platform];
  const own = ctx.enrollment(platform, userGroups);
  const policies = ctx.compliancePolicies(platform, userGroups);
  const answers = policies.map((c) => ctx.policyEnrollment(c, userGroups ?? []));
  const byPolicy = ctx.secureByDefault !== false && answers.length > 0 && answers.every((a) => a.state === 'unknown' && a.undeclared) ? answers[0] : undefined;
  const fact = own.state === 'unknown' && own.undeclared ? own : byPolicy;
  if (!fact?.undeclared) return ability;
  const apple = fact.undeclared === 'applePushCertificate';
  const needs = apple ? 'no Apple device enrolls or checks in without a valid Apple MDM push certificate' : 'every Android Enterprise enrollment needs the managed Google Play binding';
  const bad = apple ? 'if it has expired' : 'if the tenant is not bound';
  const which =
    fact === own
      ? `no ${label} device can be compliant`
      : `the devices the tenant's ${label} compliance ${policies.length > 1 ? 'policies' : 'policy'} ${listText(policies.map((c) => c.name ?? c.path))} ${policies.length > 1 ? 'are' : 'is'} for cannot enroll, and ${ctx.secureByDefault === true ? 'secureByDefault marks the others noncompliant' : uncheckedDevicesText(undefined, 'the others')}`;
  return {
    ...ability,
    mayBeImpossible: true,
    undeclared: fact.undeclared,
    rule: 'compliance-requires-enrollment',
    reason: `a compliant device on ${platform} may be unsatisfiable: ${fact.reason ?? 'an enrollment prerequisite is not declared'}, and ${needs}: ${bad}, ${which}`,
  };
}

/**
 * `compliantDevice` for this tenant's users (and local guests, whose devices are this tenant's): whether the platform
 * can enroll, which compliance policies reach them, and what `secureByDefault` makes of a device none reaches. The
 * undeclared enrollment facts are read after (`undeclaredEnrollment`).
 */
function ownCompliantDevice(ctx: GrantContext, control: string, platform: Platform | undefined, platformName: string, userGroups: string[] | undefined, policy: PolicyFacts | undefined): ControlAbility {
  const label = platform ? PLATFORM_LABELS[platform] : platformName;
  if (!platform) return { control, status: 'impossible', reason: `compliant device required on ${platformName}, which Intune compliance does not support` };
  const enrollment = ctx.enrollment(platform, userGroups);
  if (enrollment.state === 'blocked') {
    const blocked: ControlAbility = { control, status: 'impossible', ...requiredBut(`compliant device required on ${platform}`, `${label} devices cannot enroll (${enrollment.reason})`), missing: 'CompliancePolicy', rule: 'compliance-requires-enrollment', enrollment };
    // A restriction's block may be lifted for them by one of higher priority in a file not read (the manifest's
    // facts, the push certificate or the Google Play binding, are read whatever the files).
    const answer = enrollment.source?.policy ? unlessHidden(ctx, blocked, 'EnrollmentRestriction', 'a restriction of higher priority that lets them enroll', platform) : blocked;
    return (userGroups && !answer.unknown ? othersEnroll(ctx, blocked, platform) : undefined) ?? answer;
  }
  const workload = ctx.configMgrCompliance(platform);
  if (workload) return coManagedCompliance(ctx, control, workload, platform, userGroups);
  const unmeetable = unmeetableAbility(ctx, control, platform, userGroups);
  if (unmeetable) return unmeetable;
  if (ctx.compliancePolicies(platform, userGroups).length) {
    // Under a device filter that includes only some devices, compliance is assigned to device groups, which the
    // manifest does not tell from user groups: whom it reaches is not asked (as ca-group-alignment does not).
    const reached: ControlAbility = userGroups && !(policy && includesDevicesByFilter(policy)) ? reachAbility(ctx, platform, userGroups) : { control, status: 'possible' };
    return platform === 'android' && reached.status === 'possible' && !reached.reason ? deviceAdminOnlyAbility(ctx, reached, userGroups) : reached;
  }
  // These users are in a group that every policy reaching devices here excludes: the exclusion wins, and
  // ca-group-alignment says so on the CA policy.
  const excluding = userGroups ? ctx.compliancePolicies(platform).map((c) => ({ c, groups: ctx.excludedOf(c, userGroups) })).filter((x) => x.groups.length) : [];
  if (excluding.length) {
    // An exclusion of users the policy never included: the gap is the assignment, and the exclusion says so too.
    const which = excluding.map((x) => `${x.c.name ?? x.c.path} ${ctx.includesAny(x.c, userGroups!) ? 'excludes' : 'is not assigned to them, and excludes'} ${x.groups.join(', ')}`).join('; ');
    const asked = `compliant device required on ${platform}`;
    const why = `the tenant's ${label} compliance policies leave these users out (${which})`;
    const hidden = (a: ControlAbility): ControlAbility => unlessHidden(ctx, a, 'CompliancePolicy', `${withArticle(label)} compliance policy that reaches them`, platform);
    if (ctx.secureByDefault === true) return hidden({ control, status: 'impossible', ...requiredBut(asked, `${why}, and secureByDefault marks their devices noncompliant`), missing: 'CompliancePolicy', rule: 'ca-group-alignment', gap: exclusionGap(ctx, excluding, userGroups!) });
    return hidden({ control, status: 'possible', ...requiredBut(asked, `${why}, so ${uncheckedDevicesText(ctx.secureByDefault, 'their enrolled devices')}`), missing: 'CompliancePolicy', rule: 'ca-group-alignment', ...undeclaredSecureByDefault(ctx) });
  }
  // Policies of the platform that reach devices, but of an enrollment type these users' devices cannot enroll (a
  // restriction keeps them out of it, not everyone): that, not a missing policy, is why none reaches them.
  const theirs = ctx.compliancePolicies(platform, userGroups, true);
  const unenrollable = userGroups ? ctx.compliancePolicies(platform).filter((c) => !theirs.includes(c) && !ctx.excludedOf(c, userGroups).length) : [];
  const blockedBy = unenrollable.map((c) => `${c.name ?? c.path}: ${ctx.policyEnrollment(c, userGroups!).reason ?? 'an enrollment restriction blocks that enrollment type for them'}`);
  // Policies of the platform that reach no device at all, their enrollment type being one no one they are assigned to
  // can enroll (Android Enterprise without the managed Google Play binding, which every Android Enterprise enrollment
  // needs, https://learn.microsoft.com/intune/intune-service/enrollment/connect-intune-android-enterprise, while device
  // administrator still enrolls):
  // the tenant has them, and what keeps them from every device is compliance-requires-enrollment's, as
  // ca-requires-compliance-policy says (`unenrollableCompliance`, the one answer both read). Not those that exclude
  // these users: letting their devices enroll would not bring these users in.
  const stranded = !unenrollable.length && !theirs.length ? ctx.unenrollableCompliance(platform).filter((x) => !userGroups || !ctx.excludedOf(x.policy, userGroups).length) : [];
  const none = unenrollable.length
    ? `the tenant's ${label} compliance ${unenrollable.length > 1 ? 'policies are' : 'policy is'} for devices these users cannot enroll (${blockedBy.join('; ')})`
    : theirs.length
      ? `the tenant's ${label} ${UNASSIGNED_COMPLIANCE}`
      : stranded.length
        ? `the tenant's ${label} compliance ${stranded.length > 1 ? 'policies' : 'policy'} ${listText(stranded.map((x) => x.policy.name ?? x.policy.path))} ${stranded.length > 1 ? 'reach' : 'reaches'} no device: ${strandedText(stranded)}`
        : `the tenant has no ${label} compliance policy`;
  // The rule that reports it: a missing or unassigned policy is ca-requires-compliance-policy's; a policy no device can
  // enroll for is compliance-requires-enrollment's; a restriction that keeps only some users from enrolling is left to
  // the lockout check (the expert tenants restrict on purpose).
  const rule = unenrollable.length ? {} : stranded.length ? { rule: 'compliance-requires-enrollment', enrollment: stranded[0]!.enrollment } : { rule: 'ca-requires-compliance-policy' };
  const gap = unenrollable.length ? {} : theirs.length ? { gap: 'unassigned' as const } : stranded.length ? { gap: 'enrollmentType' as const } : {};
  // A file not read may hold a compliance policy that reaches them, or (for a policy they cannot enroll for, or one a
  // restriction keeps from every device) a restriction that lets them enroll.
  const restricted = unenrollable.length > 0 || stranded.some((x) => x.enrollment.source?.policy);
  const hidden = (a: ControlAbility): ControlAbility => {
    const lifted = restricted ? unlessHidden(ctx, a, 'EnrollmentRestriction', 'a restriction of higher priority that lets them enroll', platform) : a;
    return lifted.unknown ? lifted : unlessHidden(ctx, a, 'CompliancePolicy', withArticle(`${label} compliance policy`), platform);
  };
  if (ctx.secureByDefault === true) {
    return hidden({
      control,
      status: 'impossible',
      ...requiredBut(`compliant device required on ${platform}`, `${none} (and secureByDefault marks such devices noncompliant)`),
      missing: 'CompliancePolicy',
      ...rule,
      ...gap,
    });
  }
  return hidden({
    control,
    status: 'possible',
    reason: `${none}, so ${uncheckedDevicesText(ctx.secureByDefault, `enrolled ${label} devices`)}`,
    missing: 'CompliancePolicy',
    ...rule,
    ...undeclaredSecureByDefault(ctx),
  });
}

/**
 * `secureByDefault` not declared, where it decides whether a device no compliance policy reaches can be compliant: on,
 * it is marked noncompliant and the control cannot be met; off, it passes unchecked. Undeclared is unknown, never
 * false: the control may be impossible (`mayBeImpossible`), What If says the sign-in may be blocked in practice and the
 * lockout check that the users may be locked out, naming the fact, as `ca-requires-compliance-policy` and
 * `undeclared-fact` say it on the files. Declared `false`, nothing is in doubt (`compliance-default-compliant` warns).
 */
function undeclaredSecureByDefault(ctx: GrantContext): Pick<ControlAbility, 'mayBeImpossible' | 'undeclared'> {
  return ctx.secureByDefault === undefined ? { mayBeImpossible: true, undeclared: 'secureByDefault' } : {};
}


/**
 * Why compliance policies reach no device, by enrollment type: "Android Enterprise personally-owned work profile devices
 * cannot enroll (the tenant is not bound to managed Google Play …)", the enrollment model's reason as
 * `compliance-requires-enrollment` gives it.
 */
function strandedText(stranded: readonly { policy: PolicyFacts; enrollment: EnrollmentAnswer }[]): string {
  const byReason = new Map<string, string[]>();
  for (const { policy, enrollment } of stranded) {
    const type = enrollmentTypeOf(policy);
    const reason = enrollment.reason ?? 'an enrollment restriction blocks that enrollment type';
    const labels = byReason.get(reason) ?? [];
    if (type && !labels.includes(ENROLLMENT_LABELS[type])) labels.push(ENROLLMENT_LABELS[type]);
    byReason.set(reason, labels);
  }
  return [...byReason].map(([reason, labels]) => `${labels.length ? listText(labels) : 'their'} devices cannot enroll (${reason})`).join(', and ');
}

/** How the reason says that only the devices the users enroll themselves are kept out. */
const OWN_ENROLLMENT_ONLY = 'only on devices they enroll themselves';

/**
 * A compliant device for users an enrollment restriction keeps from enrolling the platform (`blocked`): in doubt, not
 * impossible, where devices others enroll can be compliant. A restriction applies to the user who enrolls the device;
 * enrollments without a user (Autopilot self-deploying and pre-provisioning, shared devices, Azure Virtual Desktop)
 * take the default restriction (https://learn.microsoft.com/intune/device-enrollment/create-platform-restrictions). CA
 * reads the compliance Intune reports for the device (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant#require-device-to-be-marked-as-compliant),
 * whoever signs in on it. So such users can sign in on a compliant device when
 * - someone the restrictions let enroll the platform may enroll one (the default restriction, or another user's,
 *   does not block it: `enrollment` for the tenant's audiences), and
 * - a compliance policy of the platform reaches such devices. One assigned to `allDevices`, or to groups (which may be
 *   device groups, or hold the users who enroll), reaches them. One assigned to `allUsers` only reaches a device
 *   through its user: Learn's compliance evaluation reads policies assigned to the device's users as well as to the
 *   device (https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started), so a device
 *   another user enrolls (user-driven Autopilot, a device an IT technician enrolls and hands over) is evaluated and can
 *   be compliant, though a userless one is not. Either way a compliant device is not out of their reach: in doubt.
 * With neither (every audience blocked, or no compliance policy reaching enrollable devices) the block stands: no
 * device of the platform can be compliant for them. `mayBeImpossible`: What If says "may be blocked in practice"
 * unless the scenario states the device is compliant, the lockout check "may be locked out" and ca-group-alignment
 * "may be", each from this one answer (`grantVerdict`).
 */
function othersEnroll(ctx: GrantContext, blocked: ControlAbility, platform: Platform): ControlAbility | undefined {
  if (!blocked.enrollment?.source?.policy) return undefined;
  if (ctx.enrollment(platform).state === 'blocked') return undefined;
  const reaching = ctx.compliancePolicies(platform);
  if (!reaching.length) return undefined;
  const label = PLATFORM_LABELS[platform];
  const names = listText(reaching.map((c) => `\`${c.name ?? c.path}\``));
  const restriction = blocked.enrollment.reason ?? 'an enrollment restriction blocks it';
  return {
    ...blocked,
    status: 'possible',
    mayBeImpossible: true,
    ...requiredBut(
      `compliant device required on ${platform}`,
      `these users cannot enroll ${label} devices themselves (${restriction}), so they may be blocked ${OWN_ENROLLMENT_ONLY}; ` +
        `a restriction applies to the user who enrolls, and a ${label} device someone else enrolls (Autopilot self-deploying, a shared device, one IT enrolls) that ${names} ${reaching.length > 1 ? 'reach' : 'reaches'} can be compliant`,
      ': ',
    ),
  };
}

/**
 * What becomes of enrolled devices no compliance policy reaches, where `secureByDefault` is off or not declared (on, it
 * marks them noncompliant: the control cannot be met). Undeclared is unknown, not Intune's default: they are either
 * blocked or pass unchecked. The grant evaluator (so What If and the lockout check) and `ca-requires-compliance-policy`
 * say this one sentence. `devices` names them ("enrolled Windows devices").
 */
export function uncheckedDevicesText(secureByDefault: false | undefined, devices: string): string {
  return secureByDefault === false
    ? `${devices} count as compliant without any check (\`secureByDefault\` is false)`
    : `${devices} are either blocked or pass unchecked, depending on \`secureByDefault\` (not declared in zerotrust.yaml)`;
}

/**
 * Under Pilot Intune (`settings.coManagement.complianceWorkload: pilotIntune`), whether the pilot collection's devices,
 * which Intune evaluates, have no Intune compliance policy of the platform at all (none reaching devices, none
 * unassigned, none a file not read may hold): `secureByDefault` then decides them alone. The grant evaluator's gap
 * (`ca-requires-compliance-policy`, What If, the lockout check) and layer 3's line read this one answer.
 */
export function pilotWithoutCompliance(ctx: GrantContext, platform: Platform): boolean {
  return !ctx.compliancePolicies(platform).length && !ctx.compliancePolicies(platform, undefined, true).length && !ctx.hiding('CompliancePolicy', platform).length;
}

/**
 * A compliant device on a platform whose compliance Configuration Manager evaluates under co-management, as the
 * manifest declares (`settings.coManagement.complianceWorkload`): ConfigMgr evaluates co-managed devices against its
 * own compliance baselines and reports the result to Entra ID for Conditional Access
 * (https://learn.microsoft.com/mem/configmgr/comanage/workloads#compliance-policies). No file here holds those
 * baselines, so a compliant device can be had as far as the files tell: unknown, never impossible, whatever Intune
 * holds; and `secureByDefault`, Intune's answer for devices no Intune policy evaluates, is not said of those devices.
 * Under Pilot Intune the pilot collection's devices are Intune's: with no Intune compliance policy for the platform,
 * that gap is named (`missing`), for ca-requires-compliance-policy to say as information, still not impossible.
 */
function coManagedCompliance(ctx: GrantContext, control: string, workload: CoManagedWorkload, platform: Platform, userGroups: string[] | undefined): ControlAbility {
  const label = PLATFORM_LABELS[platform];
  const fact = `\`settings.coManagement.complianceWorkload: ${workload}\``;
  const theirs = ctx.compliancePolicies(platform, userGroups);
  const named = (ps: PolicyFacts[]): string => ps.map((p) => p.name ?? p.path).join(', ');
  if (workload === 'configurationManager') {
    const intune = theirs.length ? `; Intune's ${named(theirs)} evaluate${theirs.length > 1 ? '' : 's'} only the devices Intune alone manages` : '';
    return {
      control,
      status: 'possible',
      unknown: true,
      coManaged: workload,
      ...requiredBut(`compliant device required on ${platform}`, `Configuration Manager evaluates the compliance of co-managed ${label} devices and reports it to Entra ID (${fact}), which these files cannot show${intune}`, ': '),
    };
  }
  const any = ctx.compliancePolicies(platform);
  const unchecked = ctx.secureByDefault === true ? 'secureByDefault marks them noncompliant' : uncheckedDevicesText(ctx.secureByDefault, 'they');
  const pilot = theirs.length
    ? `through ${named(theirs)}`
    : any.length
      ? `but the tenant's ${label} compliance policies leave these users out, so ${unchecked}`
      : `but the tenant has no ${label} compliance policy, so ${unchecked}`;
  // The gap ca-requires-compliance-policy names, and layer 3's line: no Intune policy at all for the pilot.
  const gap = pilotWithoutCompliance(ctx, platform);
  return {
    control,
    status: 'possible',
    unknown: true,
    coManaged: workload,
    ...requiredBut(`compliant device required on ${platform}`, `under co-management (${fact}) Configuration Manager evaluates ${label} devices outside the pilot collection, which these files cannot show, and Intune those in it, ${pilot}`, ': '),
    ...(gap ? { missing: 'CompliancePolicy' as const, rule: 'ca-requires-compliance-policy' } : {}),
  };
}

/**
 * `compliantDevice` for users the platform has compliance policies for (none excludes them, their devices can enroll):
 * possible when one is assigned to them; otherwise, as `secureByDefault` marks a device no policy reaches, or unknown
 * while a group the policies are assigned to may hold them, its members not listed or some of theirs among them
 * (`complianceReach`); where every such group lists its members without them, the assignment is the gap (`notAssigned`).
 */
function reachAbility(ctx: GrantContext, platform: Platform, userGroups: string[]): ControlAbility {
  const control = 'compliantDevice';
  const reach = ctx.complianceReach(platform, userGroups);
  // A policy whose file does not say whom it is assigned to may reach them: nothing is said (as ca-group-alignment).
  if (reach.state === 'reached' || reach.undeclared) return { control, status: 'possible' };
  const label = PLATFORM_LABELS[platform];
  const names = reach.policies.map((c) => c.name ?? c.path);
  const groups = reach.assignedTo;
  const policies = `the tenant's ${label} compliance ${names.length > 1 ? 'policies' : 'policy'} ${listText(names)}`;
  const hidden = (a: ControlAbility): ControlAbility => unlessHidden(ctx, a, 'CompliancePolicy', `${withArticle(label)} compliance policy that reaches them`, platform);
  const sbd = ctx.secureByDefault;
  // "No" with policies left: they are assigned only to groups whose listed members leave these users out (the
  // group directory's one reading of `members`): the assignment is the gap, as ca-group-alignment says.
  if (reach.state === 'unreached') {
    const asked = `compliant device required on ${platform}`;
    const why = `${policies} ${names.length > 1 ? 'are' : 'is'} assigned to ${listText(reach.assignedTo)}, whose members zerotrust.yaml lists without these users`;
    if (sbd === true) return hidden({ control, status: 'impossible', ...requiredBut(asked, `${why}, and secureByDefault marks their devices noncompliant`), missing: 'CompliancePolicy', rule: 'ca-group-alignment', gap: 'notAssigned' });
    return hidden({ control, status: 'possible', ...requiredBut(asked, `${why}, so ${uncheckedDevicesText(sbd, 'their enrolled devices')}`), missing: 'CompliancePolicy', rule: 'ca-group-alignment', gap: 'notAssigned', ...undeclaredSecureByDefault(ctx) });
  }
  const not = groups.length > 1 ? 'none of which the manifest puts these users in' : 'which the manifest does not put these users in';
  const then = sbd === true ? 'if not, secureByDefault marks their devices noncompliant and no compliant device can be met' : `if not, ${uncheckedDevicesText(sbd, 'their enrolled devices')}`;
  const reason = `whether a compliance policy reaches these users' ${label} devices is unknown: ${policies} ${names.length > 1 ? 'are' : 'is'} assigned to ${listText(groups)}, ${not}, but ${reach.roleHolders ? roleHoldersText(groups) : mayHoldText({ compliance: groups })}; ${then}`;
  return hidden({ control, status: 'possible', reason, missing: 'CompliancePolicy', rule: 'ca-group-alignment', reach: 'unknown', ...(sbd === true ? { mayBeImpossible: true as const } : undeclaredSecureByDefault(ctx)) });
}

/** The rule that reports a compliance policy whose OS version bounds no device meets. */
export const OS_VERSION_RULE = 'compliance-os-version-unmeetable';

/** A compliance policy and the bounds of it no device meets, for a reason: "Windows compliance (`osMinimumVersion: 11.0.22000`: …)". */
function unmeetableText(found: readonly { policy: PolicyFacts; bounds: readonly OsVersionUnmeetable[] }[]): string {
  return listText(found.map((x) => `${x.policy.name ?? x.policy.path} (${x.bounds.map((b) => `${boundText(b)}: ${b.detail}`).join('; ')})`));
}

/** Why policies that may apply to these users' devices are not certain to: each policy's doubt, said once. */
function doubtText(found: readonly UnmeetableCompliance[]): string {
  const groups = [...new Set(found.filter((x) => x.doubt === 'groups').flatMap((x) => x.groups ?? []))];
  const texts: Record<NonNullable<UnmeetableCompliance['doubt']>, string> = {
    groups: groups.length ? mayHoldText({ compliance: groups }) : 'whom it is assigned to may include them',
    filter: 'an assignment filter picks the devices it applies to',
    enrollmentType: 'it is for one enrollment type of the platform, and their devices may enroll another way',
  };
  return [...new Set(found.flatMap((x) => (x.doubt ? [texts[x.doubt]] : [])))].join('; ');
}

/**
 * `compliantDevice` where a compliance policy that reaches these users' devices sets OS version bounds no device meets
 * (`TenantModel.unmeetableCompliance`): a device must meet every compliance policy that applies to it, so a device it
 * applies to is noncompliant whatever the others say. Certainly applied to every device of the platform these users
 * sign in on: impossible (`gap: 'osVersion'`), with no file not analysed able to change it (another policy cannot make
 * the device meet this one). Applied perhaps (a group that may hold them or their devices, an Android enrollment type
 * they may not use): possible but in doubt (`mayBeImpossible`), asked of some users only; for all users, those such a
 * policy does not reach meet the control. Undefined when no such policy reaches them.
 */
function unmeetableAbility(ctx: GrantContext, control: string, platform: Platform, userGroups: string[] | undefined): ControlAbility | undefined {
  const found = ctx.unmeetableCompliance(platform, userGroups);
  if (!found.length) return undefined;
  const label = PLATFORM_LABELS[platform];
  const certain = found.filter((x) => x.certain);
  const one = (n: number): boolean => n === 1;
  // Certain only as `secureByDefault` marks the devices none of them applies to noncompliant (another enrollment type,
  // a group or filter that leaves a device out): every device is noncompliant, unless a file not analysed holds a
  // policy that can be met.
  if (certain.length && certain.every((x) => x.bySecureByDefault)) {
    return unlessHidden(
      ctx,
      {
        control,
        status: 'impossible',
        ...requiredBut(
          `compliant device required on ${platform}`,
          `no ${label} device can be compliant for these users: the compliance ${one(certain.length) ? 'policy' : 'policies'} ${unmeetableText(certain)} ${one(certain.length) ? 'sets' : 'set'} OS version bounds no device meets, so a device ${one(certain.length) ? 'it applies' : 'they apply'} to is noncompliant, and ${one(certain.length) ? 'it is' : 'they are'} the only ${label} compliance ${one(certain.length) ? 'policy' : 'policies'} that may reach them, so \`secureByDefault: true\` marks every other ${label} device of theirs (${doubtText(certain)}) noncompliant as one with no compliance policy`,
        ),
        rule: OS_VERSION_RULE,
        gap: 'osVersion',
      },
      'CompliancePolicy',
      withArticle(`${label} compliance policy that can be met`),
      platform,
    );
  }
  if (certain.length) {
    return {
      control,
      status: 'impossible',
      ...requiredBut(`compliant device required on ${platform}`, `no ${label} device can be compliant for these users: the compliance ${one(certain.length) ? 'policy' : 'policies'} ${unmeetableText(certain.filter((x) => !x.bySecureByDefault))}, which ${one(certain.length) ? 'applies' : 'apply'} to every ${label} device they sign in on, ${one(certain.length) ? 'sets' : 'set'} OS version bounds no device meets, and a device must meet every compliance policy that applies to it`),
      rule: OS_VERSION_RULE,
      gap: 'osVersion',
    };
  }
  if (!userGroups) return undefined;
  return {
    control,
    status: 'possible',
    mayBeImpossible: true,
    rule: OS_VERSION_RULE,
    reason: `a compliant device on ${platform} may be unsatisfiable: the ${label} compliance ${one(found.length) ? 'policy' : 'policies'} ${unmeetableText(found)} ${one(found.length) ? 'sets' : 'set'} OS version bounds no device meets, and may apply to these users' ${label} devices (${doubtText(found)}); a device ${one(found.length) ? 'it applies' : 'they apply'} to is noncompliant`,
  };
}

/** The rule that reports a device administrator compliance policy. */
export const DEVICE_ADMIN_RULE = 'compliance-device-admin-deprecated';

/**
 * `compliantDevice` on Android where every compliance policy that reaches enrollable devices for these users is a
 * device administrator one (`androidCompliancePolicy`). Intune ended device administrator management on devices with
 * Google Mobile Services on 31 December 2024: those enroll as Android Enterprise
 * (https://learn.microsoft.com/intune/intune-service/enrollment/android-move-device-admin-work-profile), and a device
 * administrator policy does not reach them. Devices without GMS may still be device administrator ones, so it is not
 * certain: with `secureByDefault` on, their Android Enterprise devices are marked noncompliant (`mayBeImpossible`);
 * off or undeclared, such devices are unchecked, which the reason says. A file not analysed may hold another policy:
 * then nothing is said.
 */
function deviceAdminOnlyAbility(ctx: GrantContext, reached: ControlAbility, userGroups: string[] | undefined): ControlAbility {
  const policies = ctx.compliancePolicies('android', userGroups);
  if (!policies.length || !policies.every((c) => enrollmentTypeOf(c) === 'android') || ctx.hiding('CompliancePolicy', 'android').length) return reached;
  const names = listText(policies.map((c) => c.name ?? c.path));
  const then = ctx.secureByDefault === true ? 'secureByDefault marks them noncompliant' : uncheckedDevicesText(ctx.secureByDefault, 'they');
  return {
    ...reached,
    rule: DEVICE_ADMIN_RULE,
    deviceAdminOnly: policies,
    ...(ctx.secureByDefault === true ? { mayBeImpossible: true as const } : undeclaredSecureByDefault(ctx)),
    reason: `a compliant device on android ${ctx.secureByDefault !== false ? 'may be unsatisfiable' : 'is checked only on device administrator devices'}: the tenant's only Android compliance ${policies.length > 1 ? 'policies' : 'policy'} ${names} ${policies.length > 1 ? 'are' : 'is'} for device administrator (\`androidCompliancePolicy\`), which Intune no longer manages on devices with Google Mobile Services (since 31 December 2024); devices enrolled as Android Enterprise get no compliance policy from ${policies.length > 1 ? 'them' : 'it'}, and ${then}`,
  };
}

/** How a reason says that no app meets app protection for a user no app protection policy reaches. */
export const NO_APP_PROTECTION_THEN = 'no app meets app protection for them (an app protection policy applies only to the users it is assigned to)';

/**
 * `compliantApplication` for users the platform has app protection policies for (some assigned to someone): possible
 * when one reaches them; impossible when every one excludes them (the exclusion wins); otherwise possible but in doubt
 * (`mayBeImpossible`: a group the policies are assigned to may hold them, or not), as `appProtectionReach` says. App
 * protection has no `secureByDefault`: an app no policy reaches for the user never meets the grant.
 */
function appReachAbility(ctx: GrantContext, platform: Platform, userGroups: string[]): ControlAbility {
  const control = 'compliantApplication';
  const reach = ctx.appProtectionReach(platform, userGroups);
  // A policy whose file does not say whom it is assigned to may reach them: nothing is said (as ca-group-alignment).
  if (reach.state === 'reached' || reach.undeclared) return { control, status: 'possible' };
  const label = PLATFORM_LABELS[platform];
  const hidden = (a: ControlAbility): ControlAbility => unlessHidden(ctx, a, 'AppProtectionPolicy', `${withArticle(label)} app protection policy that reaches them`, platform);
  if (reach.state === 'unreached') {
    const excluding = ctx.appProtectionPolicies(platform).map((c) => ({ c, groups: ctx.excludedOf(c, userGroups) })).filter((x) => x.groups.length);
    // The policies left are assigned only to groups whose listed members leave these users out (the group directory's
    // one reading of `members`): the assignment is the gap.
    const unassigned = reach.policies.length
      ? [`${listText(reach.policies.map((c) => c.name ?? c.path))} ${reach.policies.length > 1 ? 'are' : 'is'} assigned to ${listText(reach.assignedTo)}, whose members zerotrust.yaml lists without them`]
      : [];
    const which = [...excluding.map((x) => `${x.c.name ?? x.c.path} ${ctx.includesAny(x.c, userGroups) ? 'excludes' : 'is not assigned to them, and excludes'} ${x.groups.join(', ')}`), ...unassigned].join('; ');
    return hidden({
      control,
      status: 'impossible',
      ...requiredBut(`app protection required on ${platform}`, `the tenant's ${label} app protection policies leave these users out (${which}), so ${NO_APP_PROTECTION_THEN}`),
      missing: 'AppProtectionPolicy',
      rule: 'ca-group-alignment',
      gap: unassigned.length ? 'notAssigned' : exclusionGap(ctx, excluding, userGroups),
    });
  }
  const names = reach.policies.map((c) => c.name ?? c.path);
  const groups = reach.assignedTo;
  const policies = `the tenant's ${label} app protection ${names.length > 1 ? 'policies' : 'policy'} ${listText(names)}`;
  const not = groups.length > 1 ? 'none of which the manifest puts these users in' : 'which the manifest does not put these users in';
  const reason = `whether an app protection policy reaches these users on ${label} is unknown: ${policies} ${names.length > 1 ? 'are' : 'is'} assigned to ${listText(groups)}, ${not}, but ${reach.roleHolders ? roleHoldersText(groups) : mayHoldText({ appProtection: groups })}; if not, ${NO_APP_PROTECTION_THEN}`;
  return hidden({ control, status: 'possible', reason, missing: 'AppProtectionPolicy', rule: 'ca-group-alignment', reach: 'unknown', mayBeImpossible: true });
}

/** Combine control abilities under the grant's operator. */
export function combine(operator: 'AND' | 'OR', controls: ControlAbility[]): GrantAbility['outcome'] {
  if (controls.some((c) => c.status === 'block')) return 'block';
  const live = controls.filter((c) => c.status !== 'notEnforced');
  if (!live.length) return 'possible';
  if (operator === 'OR') return live.some((c) => c.status === 'possible') ? 'possible' : 'impossible';
  return live.some((c) => c.status === 'impossible') ? 'impossible' : 'possible';
}

/**
 * Whether the users a grant was asked for (`grantAbility` with their groups) are refused: `impossible` when no way
 * through the grant is left (under AND one control they certainly cannot meet is enough; under OR every control must be
 * certainly unmet), `mayBeImpossible` when what is left rests on controls that may be impossible (`mayBeImpossible`:
 * under AND any of them; under OR all that can be met), `possible` otherwise, `block` for a block. What If and the
 * lockout check read the same combination (`whatif/evaluate.ts`); `ca-group-alignment` reads it here.
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant
 */
export function grantVerdict(grant: GrantAbility): 'possible' | 'mayBeImpossible' | 'impossible' | 'block' {
  if (grant.outcome !== 'possible') return grant.outcome;
  const met = grant.controls.filter((c) => c.status === 'possible');
  if (!met.length) return 'possible';
  const doubt = grant.operator === 'AND' ? met.some((c) => c.mayBeImpossible) : met.every((c) => c.mayBeImpossible);
  return doubt ? 'mayBeImpossible' : 'possible';
}

/**
 * Whether a control's gap matters for this grant: under AND every control must be met, so a gap always matters;
 * under OR it matters only when no other control can be met without a gap of its own.
 */
export function gapMatters(grant: GrantAbility, gap: ControlAbility): boolean {
  if (grant.operator === 'AND') return true;
  return !grant.controls.some((c) => c !== gap && c.status === 'possible' && !c.missing);
}

export function grantAbility(ctx: GrantContext, p: PolicyFacts, platform: Platform | undefined, platformName: string, userGroups?: string[]): GrantAbility {
  const operator = grantOperator(p);
  const controls = grantControlNames(p).map((c) => controlAbility(ctx, c, platform, platformName, userGroups, p));
  return { operator, controls, outcome: combine(operator, controls) };
}

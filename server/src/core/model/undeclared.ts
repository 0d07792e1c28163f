/**
 * Which manifest facts this tenant's rules need but the manifest does not declare. Each becomes one information
 * finding on the manifest (`undeclared-fact`) naming the fact, an example, and the rules it would let run; no rule
 * reports an error on a policy because of it.
 */
import type { ManifestFacts, PolicyFacts } from '../facts';
import type { Platform } from '../platforms';
import type { TenantView } from '../rule';
import type { DeclaredFacts, UndeclaredFact } from './declared';
import { enrollmentTypeOf } from './enrollment';
import { externalUsersCanMeet, grantControlNames, guestAudience, grantOperator, guestDeviceTrust, guestStrengthTrust, GUEST_TRUST_RULE } from './grants';
import { trustFact, type TrustClaim } from './cross-tenant';
import { reachingEveryAccountText } from './break-glass';

const ACTIVE = ['enabled', 'enabledForReportingButNotEnforced'];

/**
 * What the question reads of the tenant model (the model passes itself). Named here rather than imported, so this
 * module does not import the model that imports it.
 */
export interface UndeclaredInputs {
  readonly manifest: ManifestFacts | undefined;
  readonly tenant: Pick<TenantView, 'policies'>;
  readonly declared: DeclaredFacts;
  readonly platforms: Platform[];
  readonly platformsDeclared: boolean;
  /** Where `platforms` comes from when the manifest lists none: the files' evidence, or every platform. */
  readonly platformsSource: 'manifest' | 'policies' | 'all';
  /** The authentication strength a CA policy requires, completed by the folder's export of a custom one. */
  strengthOf(p: PolicyFacts): Record<string, unknown> | undefined;
  /** The enabled CA policies that exclude no one, so reach every emergency access account, whatever they are. */
  reachingEveryAccount(): PolicyFacts[];
  /** The CA policies, whatever their state, that ask this tenant's own users (not guests only) for a compliant device. */
  compliantDeviceAskedBy(): PolicyFacts[];
}

/** The facts the manifest should declare for the rules this tenant needs, each with the rules it would let run. */
export function undeclaredFacts(m: UndeclaredInputs): UndeclaredFact[] {
  const out: UndeclaredFact[] = [];
  if (!m.manifest) return out;
  const policies = m.tenant.policies;
  const active = policies.filter((p) => p.kind === 'ConditionalAccessPolicy' && ACTIVE.includes(String(p.spec?.state)));
  // A compliant device asked of this tenant's users (the model's one answer, which layer 4's status reads): one asked of
  // users of other tenants only is their home tenant's to evaluate, which `secureByDefault` never decides.
  const requiringCompliance = m.compliantDeviceAskedBy().filter((p) => ACTIVE.includes(String(p.spec?.state)));
  const compliance = policies.filter((p) => p.kind === 'CompliancePolicy');
  const types = new Set(compliance.map(enrollmentTypeOf));

  const listed = m.manifest.value?.licenses;
  if (Array.isArray(listed) && !m.manifest.licenses.length && policies.some((p) => p.kind)) {
    out.push({
      fact: 'licenses',
      path: ['licenses'],
      example: 'licenses: [M365_E5]',
      why: `${listed.length ? 'the list names no licence the schema takes' : 'the list is empty'}, and every policy needs some licence; until the tenant's licences are listed, none is checked`,
      rules: ['license-missing'],
    });
  }
  // Only where an Apple compliance policy depends on it: with none, a CA policy that requires a compliant iPhone is
  // `ca-requires-compliance-policy`'s whatever the certificate (a BYOD tenant that offers app protection beside it,
  // under OR, enrolls no Apple device and need not say anything of Apple's certificate).
  if (m.declared.applePush.state === 'undeclared' && (types.has('ios') || types.has('mac'))) {
    out.push({
      fact: 'settings.applePushCertificate',
      path: ['settings'],
      example: 'settings: { applePushCertificate: { expirationDateTime: 2027-03-01 } }',
      why: 'the tenant has iOS/iPadOS or macOS compliance, and no Apple device enrolls without the Apple MDM push certificate',
      rules: ['compliance-requires-enrollment', 'apple-push-certificate-expiry', 'ca-requires-compliance-policy'],
    });
  }
  if (m.declared.androidBinding.state === 'undeclared' && (types.has('androidForWork') || types.has('androidCorporate'))) {
    out.push({
      fact: 'settings.androidEnterprise.bindStatus',
      path: ['settings'],
      example: 'settings: { androidEnterprise: { bindStatus: boundAndValidated } }',
      why: 'the tenant has Android Enterprise compliance, and every Android Enterprise enrollment needs managed Google Play',
      rules: ['compliance-requires-enrollment', 'ca-requires-compliance-policy'],
    });
  }
  if (m.declared.secureByDefault === undefined && requiringCompliance.length) {
    out.push({
      fact: 'settings.secureByDefault',
      path: ['settings'],
      example: 'settings: { secureByDefault: true }',
      why: "Conditional Access requires compliant devices of this tenant's users, and whether a device with no compliance policy counts as compliant decides who gets in",
      rules: ['compliance-default-compliant', 'ca-requires-compliance-policy'],
    });
  }
  if (!m.declared.breakGlassDeclared && active.length) {
    const reaching = reachingEveryAccountText(m.reachingEveryAccount());
    out.push({
      fact: 'breakGlass',
      path: [],
      example: 'breakGlass: { groups: [grp-breakglass], users: [bg-admin1@contoso.com] }',
      // What is certain whichever accounts they are: a policy for All users that excludes no one reaches each of them.
      ...(reaching
        ? { why: `${reaching}, and emergency access accounts must be excluded from every Conditional Access policy`, until: 'Until then which exclusions each policy needs is unknown, and the check reports nothing on the policies' }
        : { why: 'Conditional Access policies are active, and emergency-access accounts must be excluded from them' }),
      rules: ['break-glass-not-excluded'],
    });
  }
  // A compliant or hybrid joined device asked of users of other tenants only: theirs counts here only as far as the
  // cross-tenant access settings trust it, which no file shows. Asked once per claim, where it decides who gets in (no
  // other control of an OR grant lets them in without it).
  for (const claim of ['compliantDevice', 'domainJoinedDevice'] as const satisfies readonly TrustClaim[]) {
    const needing = active.filter((p) => {
      const names = grantControlNames(p);
      if (!names.includes(claim) || !guestAudience(p)?.external.length) return false;
      // App protection beside it is no way in for them (`externalUsersCanMeet`), nor is the retired approved client app.
      if (grantOperator(p) === 'OR' && !names.every((c) => c === 'compliantDevice' || c === 'domainJoinedDevice' || !externalUsersCanMeet(c))) return false;
      return guestDeviceTrust(m.declared.inboundTrust, claim, p).state === 'undeclared';
    });
    if (!needing.length) continue;
    const what = claim === 'compliantDevice' ? 'a compliant device' : 'a hybrid joined device';
    out.push({
      fact: trustFact(claim),
      path: ['settings'],
      example: `settings: { crossTenantAccess: { inboundTrust: { ${trustFact(claim).split('.').pop()}: true } } }`,
      why: `${needing.map((p) => `\`${p.name ?? p.path}\``).join(', ')} ${needing.length > 1 ? 'require' : 'requires'} ${what} of users of other tenants only, whose device is compliant or hybrid joined in their home tenant and counts here only when the cross-tenant access settings trust it (off by default, when every such guest is blocked)`,
      rules: [GUEST_TRUST_RULE],
    });
  }
  // An authentication strength of methods a user of another tenant can only use in their home tenant (phishing-resistant
  // MFA), asked of guests only: met only under MFA trust, which no file shows (`guestStrengthTrust`, the grant
  // evaluator's answer). A policy that reaches local guests too is met by them: not asked.
  const strengthNeeding = active.filter((p) => {
    const audience = guestAudience(p);
    if (!audience?.external.length || audience.local) return false;
    if (grantOperator(p) === 'OR' && grantControlNames(p).length > 1) return false;
    return guestStrengthTrust(m.declared.inboundTrust, p, m.strengthOf(p))?.state === 'undeclared';
  });
  if (strengthNeeding.length) {
    out.push({
      fact: trustFact('mfa'),
      path: ['settings'],
      example: `settings: { crossTenantAccess: { inboundTrust: { ${trustFact('mfa').split('.').pop()}: true } } }`,
      why: `${strengthNeeding.map((p) => `\`${p.name ?? p.path}\``).join(', ')} ${strengthNeeding.length > 1 ? 'require' : 'requires'} of users of other tenants only an authentication strength they can meet only in their home tenant, which counts here only when the cross-tenant access settings trust their MFA (off by default, when they complete MFA here and every such guest is blocked)`,
      rules: [GUEST_TRUST_RULE],
    });
  }
  const intuneBacked = (p: (typeof active)[number]): boolean => grantControlNames(p).some((c) => c === 'compliantDevice' || c === 'compliantApplication');
  if (!m.platformsDeclared && active.some((p) => p.allPlatforms && intuneBacked(p))) {
    out.push({
      fact: 'platforms',
      path: [],
      example: 'platforms: [windows, iOS, android, macOS]',
      why: `Conditional Access policies require compliant devices or app protection on all platforms, so the checks need to know which ones are in use (${
        m.platformsSource === 'policies'
          ? `now taken from the tenant's Intune policies and profiles: ${m.platforms.join(', ')}`
          : `no Intune policy here names one, so every platform is taken to be in use: ${m.platforms.join(', ')}`
      })`,
      rules: ['ca-requires-compliance-policy', 'ca-requires-app-protection', 'ca-group-alignment'],
      until: `Until then those checks take ${m.platforms.join(', ')} to be in use`,
    });
  }
  return out;
}

/**
 * What an authentication strength says of MFA, read from the strength alone (a CA grant's `authenticationStrength`,
 * by id or expanded, or the folder's export of it as `TenantModel.strengthOf` completes it): the built-in strengths,
 * which single-factor modes a combination may hold alone, and whether a legacy client's password meets it. A leaf
 * module, so that the schema's constraints (`mfaWithStrength`, which reads the file alone) and the model read one
 * answer. https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy
 */
import { strings } from '../document';
import type { Platform } from '../platforms';
import { listText } from '../prose';

/**
 * The built-in authentication strengths, by id: their names, and whether a user of another tenant can meet them with
 * the resource tenant's methods alone (`RESOURCE_TENANT_MFA_METHODS`). Multifactor authentication takes password plus
 * any second factor; Passwordless MFA (Windows Hello for Business, passkeys, multifactor certificates, Authenticator
 * phone sign-in) and Phishing-resistant MFA (Windows Hello for Business, passkeys, multifactor certificates) take none
 * of them. https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths
 */
export const BUILT_IN_STRENGTHS: Readonly<Record<string, { name: string; inResourceTenant: boolean }>> = {
  '00000000-0000-0000-0000-000000000002': { name: 'Multifactor authentication', inResourceTenant: true },
  '00000000-0000-0000-0000-000000000003': { name: 'Passwordless MFA', inResourceTenant: false },
  '00000000-0000-0000-0000-000000000004': { name: 'Phishing-resistant MFA', inResourceTenant: false },
};

/**
 * The authentication method modes (Graph's `authenticationMethodModes`) that are one factor when a combination holds one
 * of them alone: a password, a one-time code or a call, an email one-time passcode, a single-factor certificate, a
 * federated single-factor sign-in, a QR code with its PIN. A combination of two modes (`password,sms`) is multifactor, as
 * are the passwordless modes alone (`fido2`, `windowsHelloForBusiness`, `deviceBasedPush`, `x509CertificateMultiFactor`,
 * `federatedMultiFactor`, the Temporary Access Pass). A mode this list does not know is not read as single-factor.
 * https://learn.microsoft.com/graph/api/resources/authenticationmethodmodes,
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths
 */
const SINGLE_FACTOR_MODES: ReadonlySet<string> = new Set([
  'password',
  'voice',
  'sms',
  'email',
  'hardwareOath',
  'softwareOath',
  'microsoftAuthenticatorPush',
  'x509CertificateSingleFactor',
  'federatedSingleFactor',
  'qrCodePin',
]);

/** The single-factor modes a legacy (basic authentication) client can present: a password, checked by Entra ID or by the federation server. */
const LEGACY_PASSWORD_MODES: ReadonlySet<string> = new Set(['password', 'federatedSingleFactor']);

/** What an authentication strength (a CA grant's `authenticationStrength`, by id or expanded) says of MFA. */
export interface StrengthFactors {
  /** Whether meeting it meets MFA too. */
  multifactor: boolean;
  /** Its combinations that are one single-factor mode alone (`federatedSingleFactor`), as the file writes them. */
  singleFactor: string[];
  /**
   * Where the answer comes from: Graph's `requirementsSatisfied`, the `allowedCombinations`, a built-in strength's id, or
   * nothing (a custom strength named by id only, read as multifactor: unknown, never a gap).
   */
  from: 'requirementsSatisfied' | 'allowedCombinations' | 'builtIn' | 'unknown';
}

/**
 * What an authentication strength says of MFA, one answer for every reader (the MFA rules, the sign-in risk rules, the
 * legacy authentication reading, What If): Graph's `requirementsSatisfied` where the file holds it (a list, or Graph's
 * flags string; `none` leaves `mfa` out); else its `allowedCombinations`, where any combination of one single-factor
 * mode alone (`password`, `federatedSingleFactor`, `x509CertificateSingleFactor`, `sms`…) lets a single factor meet
 * it, so it is not MFA (hand-written and Terraform-derived strengths often leave `requirementsSatisfied` out); else a
 * built-in strength's id (all three are multifactor); a custom strength named by id only is read as multifactor
 * (unknown). https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy
 */
export function strengthFactors(strength: Record<string, unknown>): StrengthFactors {
  const combos = Array.isArray(strength.allowedCombinations) ? strings(strength.allowedCombinations) : [];
  const singleFactor = combos.filter((c) => {
    const modes = c.split(',').map((m) => m.trim()).filter(Boolean);
    return modes.length === 1 && SINGLE_FACTOR_MODES.has(modes[0]!);
  });
  const satisfied = strength.requirementsSatisfied;
  const listed = Array.isArray(satisfied) ? strings(satisfied) : typeof satisfied === 'string' ? satisfied.split(',').map((x) => x.trim()) : undefined;
  if (listed) {
    const multifactor = listed.includes('mfa');
    return { multifactor, singleFactor: multifactor ? [] : singleFactor, from: 'requirementsSatisfied' };
  }
  if (combos.length) return { multifactor: !singleFactor.length, singleFactor, from: 'allowedCombinations' };
  return { multifactor: true, singleFactor: [], from: typeof strength.id === 'string' && BUILT_IN_STRENGTHS[strength.id] ? 'builtIn' : 'unknown' };
}

/** Whether a grant's authentication strength is multifactor, so that meeting it meets MFA too (`strengthFactors`). */
export function strengthIsMultifactor(strength: Record<string, unknown>): boolean {
  return strengthFactors(strength).multifactor;
}

/**
 * Why a strength that is not multifactor is not, in words: the single-factor combinations it admits
 * ("`federatedSingleFactor`"), or, where the file lists none, its `requirementsSatisfied`. Undefined for a multifactor one.
 */
export function singleFactorText(strength: Record<string, unknown>): string | undefined {
  const factors = strengthFactors(strength);
  if (factors.multifactor) return undefined;
  return factors.singleFactor.length ? listText(factors.singleFactor.map((c) => `\`${c}\``)) : `\`requirementsSatisfied: ${String(strength.requirementsSatisfied)}\``;
}

/**
 * Whether a legacy (basic authentication) client may meet an authentication strength: it presents a password, so a
 * strength that admits `password` or `federatedSingleFactor` alone may let it through (a federated domain's password
 * is checked by the federation server), as may one that is not multifactor by its `requirementsSatisfied` while the
 * file lists no combinations (which single factor is unknown). A multifactor strength it cannot meet.
 */
export function strengthMetByLegacyClient(strength: Record<string, unknown>): boolean {
  const factors = strengthFactors(strength);
  if (factors.multifactor) return false;
  return !factors.singleFactor.length || factors.singleFactor.some((c) => LEGACY_PASSWORD_MODES.has(c.trim()));
}


/**
 * The authentication method modes that can be performed on some platforms only, with those platforms. Windows Hello for
 * Business is a Windows sign-in method, and Platform Credential for macOS is the one other platform credential, which
 * authentication strengths list under Windows Hello for Business ("Platform credentials, such as Windows Hello for
 * Business and Platform Credential for macOS are both represented in authentication strength under Windows Hello For
 * Business"): neither exists on iOS/iPadOS, Android or Linux. Every other mode (a passkey, a certificate, Authenticator,
 * a one-time code, a Temporary Access Pass, a federated sign-in) can be used on any platform.
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths (Known issues),
 * https://learn.microsoft.com/graph/api/resources/windowshelloforbusinessauthenticationmethod
 */
const MODE_PLATFORMS: Readonly<Record<string, readonly Platform[]>> = {
  windowsHelloForBusiness: ['windows', 'macOS'],
};

/** The one-line reason `MODE_PLATFORMS` holds, for a message that says why a strength cannot be met on a platform. */
export const PLATFORM_CREDENTIAL_TEXT = 'Windows Hello for Business (and Platform Credential for macOS, which authentication strengths list under it) signs in on Windows and macOS only';

/**
 * The platforms an authentication strength can be met on, where its methods limit them: the platforms on which one of
 * its combinations can be performed, every mode of it (`MODE_PLATFORMS`). Undefined where a combination can be used on
 * any platform, or where the strength's combinations are not known (a custom strength named by id only, or read by its
 * `requirementsSatisfied` alone: unknown, never a gap). "If the authentication strength doesn't include a method that
 * the user can register and use, the user is blocked from sign-in to the resource"
 * (https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-how-it-works): on a platform
 * outside this list, the strength cannot be met. The grant evaluator and `ca-strength-platform-unsupported` read it.
 */
export function strengthPlatforms(strength: Record<string, unknown> | undefined): readonly Platform[] | undefined {
  const combos = strength && Array.isArray(strength.allowedCombinations) ? strings(strength.allowedCombinations) : [];
  if (!combos.length) return undefined;
  const out = new Set<Platform>();
  for (const combo of combos) {
    const modes = combo.split(',').map((m) => m.trim()).filter(Boolean);
    const limited = modes.map((m) => MODE_PLATFORMS[m]).filter((l): l is readonly Platform[] => l !== undefined);
    if (!modes.length || !limited.length) return undefined;
    // Every mode of the combination must be performed on the same platform: the platforms all its limited modes share.
    for (const platform of limited[0]!) if (limited.every((l) => l.includes(platform))) out.add(platform);
  }
  return [...out];
}

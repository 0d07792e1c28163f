import type { Rule } from '../rule';
import { applyingCaPolicies, isReportOnly, policySpan } from '../tenant-query';
import { modelOf } from '../model/index';
import { gapMatters, STRENGTH_PLATFORM_RULE } from '../model/grants';
import { strengthTitle } from '../model/cross-tenant';
import { PLATFORM_CREDENTIAL_TEXT, strengthPlatforms } from '../model/strength-factors';
import type { Platform } from '../platforms';
import { platformLabels, policyLabel } from './ca-helpers';

const HOW_IT_WORKS = 'https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-how-it-works';

/**
 * An active CA policy that requires an authentication strength on platforms none of its methods can be used on (a
 * custom strength of Windows Hello for Business alone, taken in on iOS or Android): no user meets it there, so every
 * sign-in of its users on those platforms is blocked, unless under OR another control can be met. The grant
 * evaluator's answer (`gap: 'strengthPlatform'`, from `strengthPlatforms`), which What If and the lockout check read.
 */
export const caStrengthPlatformUnsupported: Rule = {
  id: STRENGTH_PLATFORM_RULE,
  title: 'An authentication strength is required on platforms none of its methods can be used on',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [HOW_IT_WORKS, 'https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    const model = modelOf(tenant);
    for (const p of applyingCaPolicies(tenant)) {
      const strength = model.strengthOf(p);
      if (!strengthPlatforms(strength)) continue;
      const platforms: Platform[] = [];
      for (const platform of model.caPlatforms(p)) {
        const grant = model.grant(p, platform);
        const c = grant.controls.find((x) => x.control === 'authenticationStrength');
        if (c?.status === 'impossible' && c.gap === 'strengthPlatform' && gapMatters(grant, c)) platforms.push(platform);
      }
      if (!platforms.length) continue;
      const usable = strengthPlatforms(strength)!;
      const title = strengthTitle(strength ?? {});
      const scope = p.allPlatforms ? 'no platform condition, or `all`' : '`includePlatforms`';
      emit({
        file: p,
        severity: 'warning',
        lowered: isReportOnly(p),
        span: policySpan(p, ['spec', 'grantControls', 'authenticationStrength'], 'key'),
        message:
          `${policyLabel(p)} requires ${title ? `the authentication strength \`${title}\`` : 'an authentication strength'} on ${platformLabels(platforms)} (${scope}), ` +
          `but none of its methods can be used there: ${PLATFORM_CREDENTIAL_TEXT}. ` +
          `${isReportOnly(p) ? 'Once it is enforced, its' : 'Its'} users are blocked on ${platforms.length > 1 ? 'those platforms' : 'that platform'} ("If the authentication strength doesn't include a method that the user can register and use, the user is blocked", ${HOW_IT_WORKS}). ` +
          `Allow a method those devices can use in the strength (a passkey (FIDO2), certificate-based authentication, Microsoft Authenticator), ` +
          `limit the policy to ${usable.length ? platformLabels([...usable]) : 'the platforms its methods can be used on'} (\`includePlatforms\`), or offer another control with OR`,
        data: { platforms },
      });
    }
  },
};

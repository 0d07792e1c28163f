import type { Rule } from '../rule';
import { applyingCaPolicies, isReportOnly, policySpan } from '../tenant-query';
import { modelOf } from '../model/index';
import { tokenProtectionGaps, TOKEN_PROTECTION_URL, requiresTokenProtection } from '../model/token-protection';
import { PLATFORMS } from '../platforms';
import { codeList, platformLabels, policyLabel } from './ca-helpers';

/**
 * An active CA policy that requires token protection on sign-ins it cannot bind: in browsers, or on platforms besides
 * Windows, iOS and macOS. Enforced, it blocks them (the model's `tokenProtectionGaps`, which What If reads too).
 */
export const caTokenProtectionUnsupported: Rule = {
  id: 'ca-token-protection-unsupported',
  title: 'A token protection policy takes in browsers or platforms token protection does not support',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    TOKEN_PROTECTION_URL,
    'https://learn.microsoft.com/entra/identity/conditional-access/deployment-guide-token-protection-windows',
    'https://learn.microsoft.com/entra/identity/conditional-access/deployment-guide-token-protection-apple',
  ],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    const model = modelOf(tenant);
    // The platforms in use: the manifest's, or every known one when it does not say (a policy with no platform
    // condition takes in Android sign-ins whether or not the manifest lists Android).
    const inUse = model.platformsDeclared ? model.platforms : PLATFORMS;
    for (const p of applyingCaPolicies(tenant)) {
      if (!requiresTokenProtection(p)) continue;
      const gaps = tokenProtectionGaps(p, inUse);
      if (!gaps.platforms.length && !gaps.browser) continue;
      const what = [
        ...(gaps.browser ? ['browsers (`clientAppTypes` takes in `browser`: token protection supports native apps only)'] : []),
        ...(gaps.platforms.length ? [`${platformLabels(gaps.platforms)} (${gaps.unknownPlatforms ? 'no platform condition, or `all`' : '`includePlatforms`'}: token protection supports Windows, iOS and macOS only)`] : []),
      ];
      const fix = [
        ...(gaps.platforms.length || gaps.unknownPlatforms ? ['`platforms.includePlatforms: [windows, macOS, iOS]` (those the tenant uses)'] : []),
        ...(gaps.browser ? ['`clientAppTypes: [mobileAppsAndDesktopClients]`'] : []),
        ...(gaps.otherResources.length ? [`the supported resources in \`includeApplications\` instead of ${codeList(gaps.otherResources)} (Exchange Online, SharePoint Online, Teams; Azure Virtual Desktop and Windows 365 on Windows)`] : []),
      ];
      emit({
        file: p,
        severity: 'warning',
        lowered: isReportOnly(p),
        span: policySpan(p, ['spec', 'sessionControls', 'secureSignInSession'], 'key'),
        message:
          `${policyLabel(p)} requires token protection (\`secureSignInSession\`) but takes in ${what.join(', and ')}: ` +
          `${isReportOnly(p) ? 'once it is enforced, ' : ''}a sign-in token protection cannot bind is blocked (${TOKEN_PROTECTION_URL}). ` +
          `Scope it as Microsoft's deployment guides do: ${fix.join('; ')}`,
        data: { platforms: gaps.platforms, browser: gaps.browser },
      });
    }
  },
};

/**
 * Token protection (`sessionControls.secureSignInSession`, beta): the one answer to "does token protection support
 * this sign-in", which `ca-token-protection-unsupported` and What If read.
 *
 * Learn: token protection supports native (desktop and mobile) apps only, "Browser-based applications are not
 * supported"; on Windows (generally available) and on iOS/iPadOS and macOS (preview, MDM-managed devices with the
 * Enterprise SSO plug-in); for Exchange Online, SharePoint Online and Teams (and, on Windows, Azure Virtual Desktop and
 * Windows 365). A sign-in it cannot bind is blocked when the policy is enforced, which is why the deployment guides
 * scope the policy to those platforms, those resources and "Mobile apps and desktop clients" only
 * (https://learn.microsoft.com/entra/identity/conditional-access/concept-token-protection,
 * https://learn.microsoft.com/entra/identity/conditional-access/deployment-guide-token-protection-windows,
 * https://learn.microsoft.com/entra/identity/conditional-access/deployment-guide-token-protection-apple).
 */
import { asObject } from '../document';
import type { PolicyFacts } from '../facts';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import { clientAppCoverage } from './sign-in-scope';

export const TOKEN_PROTECTION_URL = 'https://learn.microsoft.com/entra/identity/conditional-access/concept-token-protection';

/** The device platforms token protection supports (Windows generally available; iOS/iPadOS and macOS in preview). */
export const TOKEN_PROTECTION_PLATFORMS: readonly Platform[] = ['windows', 'iOS', 'macOS'];

/**
 * The resources it supports, as a policy names them: Office 365 Exchange Online, Office 365 SharePoint Online,
 * Microsoft Teams Services, Azure Virtual Desktop, Windows 365 and Windows Cloud Login (the last three on Windows).
 */
export const TOKEN_PROTECTION_RESOURCES: readonly string[] = [
  '00000002-0000-0ff1-ce00-000000000000',
  '00000003-0000-0ff1-ce00-000000000000',
  'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe',
  '9cdead84-a844-4324-93f2-b2e6bb768d07',
  '0af06dc6-e4b5-4f28-818e-e78e62d137a5',
  '270efc09-cd0d-444b-a71f-39af4910ec45',
];

/** Whether a CA policy requires token protection (`secureSignInSession` set, and not `isEnabled: false`). */
export function requiresTokenProtection(p: PolicyFacts): boolean {
  const v = asObject(asObject(p.spec?.sessionControls)?.secureSignInSession);
  return !!v && v.isEnabled !== false;
}

/**
 * Why token protection cannot bind a sign-in on this platform in this client app, or undefined when it supports it:
 * a browser, or a platform other than Windows, iOS and macOS (Android, Linux, an unknown one).
 */
export function tokenProtectionUnsupported(platform: string, clientApp: string): string | undefined {
  const reasons: string[] = [];
  if (clientApp === 'browser') reasons.push('it does not support browsers (native apps only)');
  else if (clientApp !== 'mobileAppsAndDesktopClients') reasons.push(`it supports modern mobile and desktop apps only, not ${clientApp}`);
  if (!(TOKEN_PROTECTION_PLATFORMS as readonly string[]).includes(platform)) reasons.push(`it does not support ${PLATFORM_LABELS[platform as Platform] ?? platform} (Windows, iOS and macOS only)`);
  return reasons.length ? reasons.join(', and ') : undefined;
}

/**
 * What a token protection policy takes in that token protection does not support: the platforms among `inUse` it
 * applies to besides Windows, iOS and macOS (`unknownPlatforms` when it applies to every platform, unknown ones
 * included), browsers, and whether it names resources besides the supported ones (`All`, `Office365`, another app).
 */
export function tokenProtectionGaps(p: PolicyFacts, inUse: readonly Platform[]): { platforms: Platform[]; unknownPlatforms: boolean; browser: boolean; otherResources: string[] } {
  const apps = asObject(asObject(p.spec?.conditions)?.applications);
  const include = Array.isArray(apps?.includeApplications) ? apps.includeApplications.filter((a): a is string => typeof a === 'string') : [];
  const supported = new Set(TOKEN_PROTECTION_RESOURCES);
  return {
    platforms: inUse.filter((pl) => p.platforms.includes(pl) && !TOKEN_PROTECTION_PLATFORMS.includes(pl)),
    unknownPlatforms: p.allPlatforms,
    browser: clientAppCoverage(p).browser,
    otherResources: include.filter((a) => !supported.has(a.trim().toLowerCase())),
  };
}

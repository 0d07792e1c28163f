import { isPlainObject, spanAtPath, strings } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { grantControlsOf, related } from '../tenant-query';
import { modelOf } from '../model/index';
import { closestNote, codeList, listText, readSafeguard, type Safeguard, shortfallsOf, stagedPolicyFix } from './ca-helpers';

/** A CA policy that blocks on `includePlatforms: [all]`: a block of unknown platforms, if nothing else narrows it. */
function blocksOnAllPlatforms(p: PolicyFacts): boolean {
  const conditions = isPlainObject(p.spec?.conditions) ? p.spec.conditions : undefined;
  const platforms = isPlainObject(conditions?.platforms) ? conditions.platforms : undefined;
  return strings(platforms?.includePlatforms).some((x) => x.toLowerCase() === 'all') && grantControlsOf(p).includes('block');
}

/**
 * What keeps a block on all platforms from blocking the unknown ones, its state aside. Microsoft's policy excludes the
 * supported platforms and applies to all resources, everywhere, in every client; a block that excludes no platform
 * blocks every one for some other reason (a location allowlist), and one limited to some apps, locations or client
 * apps leaves the rest open to an unknown platform.
 */
function conditionShortfalls(p: PolicyFacts): string[] {
  const conditions = isPlainObject(p.spec?.conditions) ? p.spec.conditions : {};
  const platforms = isPlainObject(conditions.platforms) ? conditions.platforms : {};
  const apps = isPlainObject(conditions.applications) ? conditions.applications : {};
  const locations = isPlainObject(conditions.locations) ? conditions.locations : undefined;
  const clients = strings(conditions.clientAppTypes);
  const out: string[] = [];
  if (!strings(platforms.excludePlatforms).length) out.push('excludes no platform, so it is a block of every platform, not of the unknown ones');
  if (!strings(apps.includeApplications).includes('All')) out.push('applies to some resources only, not All resources');
  const include = strings(locations?.includeLocations);
  if (locations && (strings(locations.excludeLocations).length || (include.length && !include.includes('All')))) out.push('applies in some locations only');
  if (clients.length && !clients.includes('all') && !(clients.includes('browser') && clients.includes('mobileAppsAndDesktopClients'))) out.push('applies to some client apps only');
  return out;
}

/** A block of the platforms the tenant does not use: all platforms but those, everywhere, for every resource and client. */
const SAFEGUARD: Safeguard = { does: 'blocks', meantAs: blocksOnAllPlatforms, conditionShortfalls };

/**
 * No enabled CA policy blocks the device platforms the tenant does not use (include `all`, exclude the platforms in
 * use, block), in a tenant that declares its platforms and keeps its Conditional Access policies here.
 */
export const caUnknownPlatformsNotBlocked: Rule = {
  id: 'ca-unknown-platforms-not-blocked',
  title: 'No Conditional Access policy blocks unknown or unsupported device platforms',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'information',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-device-unknown-unsupported',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions',
  ],
  peers: ['MT.1015'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    const model = modelOf(tenant);
    // Which platforms are "known" is the manifest's to say: undeclared, the rule cannot tell what to allow.
    if (!manifest || !tenant.root || !model.platformsDeclared) return;
    const reading = readSafeguard(tenant, SAFEGUARD);
    if (reading.met.length || reading.unknown) return;
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['platforms'], 'key'),
      message:
        `no enabled Conditional Access policy blocks the device platforms this tenant does not use (it uses ${codeList(model.platforms)}): ` +
        `a sign-in whose device reports another or no known platform (${[...(model.platforms.includes('linux') ? [] : ['Linux']), 'ChromeOS', 'an unrecognised or altered user agent'].join(', ')}) meets none of the ` +
        'platform-scoped policies. Add a policy that includes `all` platforms, excludes the ones in use, and blocks' + closestNote(SAFEGUARD, reading),
      related: reading.near.map((p) => related(p, `blocks on all platforms but ${listText(shortfallsOf(SAFEGUARD, p))}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    const model = modelOf(tenant);
    if (!manifest || finding.file !== manifest.path || !model.platformsDeclared) return [];
    // Already staged in report-only: enabling it is a person's call after the sign-in logs.
    if (readSafeguard(tenant, SAFEGUARD).staged) return [];
    return [
      stagedPolicyFix(tenant, 'block-unknown-platforms', {
      description: 'Block sign-ins from device platforms the tenant does not support',
      displayName: 'All users - Block unknown or unsupported device platforms',
      users: { includeUsers: ['All'] },
      conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: [...model.platforms] } },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    }, HEADER),
    ];
  },
};

const HEADER = [
  'Layer 4: created by the ca-unknown-platforms-not-blocked quick fix. Blocks every device platform the manifest does not list.',
  'Report-only first: check the sign-in logs (Device info, Operating system) for platforms still in use that the manifest',
  'does not list; add those to the manifest and to excludePlatforms, then set state: enabled.',
];

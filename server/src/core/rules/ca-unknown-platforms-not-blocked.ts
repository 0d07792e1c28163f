import { isPlainObject, spanAtPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { grantControlsOf, related, REPORT_ONLY } from '../tenant-query';
import { modelOf } from '../model/index';
import { codeList, listText, policyLabel, stagedPolicyFix } from './ca-helpers';
import { policiesOfKind } from '../reads';

function staged(p: PolicyFacts): number {
  return p.spec?.state === REPORT_ONLY ? 1 : 0;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

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

function shortfalls(p: PolicyFacts): string[] {
  const state = p.spec?.state === REPORT_ONLY ? ['is report-only, so it blocks nothing'] : p.spec?.state === 'disabled' ? ['is disabled'] : [];
  return [...state, ...conditionShortfalls(p)];
}

/** Blocks on all platforms that fall short, so the author sees why they do not count. */
function nearMisses(tenant: TenantView): PolicyFacts[] {
  return policiesOfKind(tenant, 'ConditionalAccessPolicy').filter((p) => blocksOnAllPlatforms(p) && shortfalls(p).length > 0);
}

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
    const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
    // A tenant with no CA policy files may keep them elsewhere.
    if (!ca.length) return;
    // A block whose `state` is missing or invalid (the schema's finding) may be deployed enabled: unknown, not missing.
    if (ca.some((p) => blocksOnAllPlatforms(p) && !conditionShortfalls(p).length && p.spec?.state !== 'disabled' && p.spec?.state !== REPORT_ONLY)) return;
    if (model.mayHide('ConditionalAccessPolicy')) return;
    const near = nearMisses(tenant);
    // At equal distance, a staged report-only policy is the one to name: enabling it is all that is left.
    const closest = [...near].sort((a, b) => shortfalls(a).length - shortfalls(b).length || staged(b) - staged(a))[0];
    const why = closest ? `; ${policyLabel(closest)} comes closest but ${listText(shortfalls(closest))}` : '';
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['platforms'], 'key'),
      message:
        `no enabled Conditional Access policy blocks the device platforms this tenant does not use (it uses ${codeList(model.platforms)}): ` +
        `a sign-in whose device reports another or no known platform (${[...(model.platforms.includes('linux') ? [] : ['Linux']), 'ChromeOS', 'an unrecognised or altered user agent'].join(', ')}) meets none of the ` +
        'platform-scoped policies. Add a policy that includes `all` platforms, excludes the ones in use, and blocks' + why,
      related: near.map((p) => related(p, `blocks on all platforms but ${listText(shortfalls(p))}`)),
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    const model = modelOf(tenant);
    if (!manifest || finding.file !== manifest.path || !model.platformsDeclared) return [];
    // Already staged in report-only: enabling it is a person's call after the sign-in logs.
    if (nearMisses(tenant).some((p) => p.spec?.state === REPORT_ONLY && shortfalls(p).length === 1)) return [];
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

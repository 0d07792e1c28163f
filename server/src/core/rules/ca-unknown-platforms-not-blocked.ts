import { isPlainObject, spanAtPath, strings } from '../document';
import { docPath, type PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { applyingCaPolicies, caUsers, grantControlsOf, isReportOnly, policySpan, related } from '../tenant-query';
import { modelOf } from '../model/index';
import type { Platform } from '../platforms';
import type { Fix } from '../types';
import { appendToSequence } from '../yaml-edit';
import { closestNote, codeList, listText, narrowingConditions, policyAt, policyLabel, readSafeguard, type Safeguard, shortfallsOf, stagedPolicyFix } from './ca-helpers';

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

/** The platforms a policy's `excludePlatforms` lists. */
function excludedPlatforms(p: PolicyFacts): string[] {
  const conditions = isPlainObject(p.spec?.conditions) ? p.spec.conditions : undefined;
  const platforms = isPlainObject(conditions?.platforms) ? conditions.platforms : undefined;
  return strings(platforms?.excludePlatforms);
}

/**
 * The platforms in use (the manifest's) that an active block of unknown platforms for All users takes in: it includes
 * `all`, excludes some platforms (the ones the tenant meant to allow) but not these. Microsoft's policy excludes every
 * platform the organisation uses; one it leaves in is blocked for everyone. A block that excludes no platform is a
 * block of every platform for another reason (a location allowlist), and one for some groups may keep them off a
 * platform on purpose: neither is read so.
 */
function platformsTakenIn(tenant: TenantView, p: PolicyFacts): Platform[] {
  if (!blocksOnAllPlatforms(p) || !caUsers(p).includeUsers.includes('All')) return [];
  const excluded = excludedPlatforms(p).map((x) => x.toLowerCase());
  if (!excluded.length || excluded.includes('all')) return [];
  // Only Microsoft's shape blocks everyone there: any other condition (a location, a client app, a resource, a risk
  // level, a device filter) or an exclusion besides the break-glass accounts leaves the platform open to some sign-ins
  // (a policy applies only when all its conditions match), as the lockout check reads it.
  if (conditionShortfalls(p).length || narrowingConditions(p, { platforms: false }).length) return [];
  const model = modelOf(tenant);
  const others = model.breakGlass.otherExclusions(p);
  if (others.groups.length || others.users.length || caUsers(p).excludeRoles.length) return [];
  return model.platforms.filter((platform) => !excluded.includes(platform.toLowerCase()));
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
  emitsOn: ['manifest', 'ConditionalAccessPolicy'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    const model = modelOf(tenant);
    // Which platforms are "known" is the manifest's to say: undeclared, the rule cannot tell what to allow.
    if (!manifest || !tenant.root || !model.platformsDeclared) return;
    // A block of unknown platforms that takes in a platform the manifest says is in use blocks everyone there.
    for (const p of applyingCaPolicies(tenant)) {
      const taken = platformsTakenIn(tenant, p);
      if (!taken.length) continue;
      const names = codeList(taken);
      emit({
        file: p,
        severity: 'warning',
        lowered: isReportOnly(p),
        span: policySpan(p, ['spec', 'conditions', 'platforms', 'excludePlatforms'], 'key'),
        message:
          `${policyLabel(p)} blocks unknown device platforms (it includes \`all\` and excludes ${codeList(excludedPlatforms(p))}), but not ${names}, which zerotrust.yaml lists among the platforms in use: ` +
          `every sign-in on ${taken.length === 1 ? 'it' : 'them'} ${isReportOnly(p) ? 'would be blocked for All users once it is enabled (it is report-only now)' : 'is blocked for All users'}. Add ${names} to \`excludePlatforms\` (the other policies then decide what ${taken.length === 1 ? 'that platform needs' : 'those platforms need'}), or take ${taken.length === 1 ? 'it' : 'them'} out of the manifest's \`platforms\` if ${taken.length === 1 ? 'it is' : 'they are'} not in use`,
        related: [{ file: manifest.path, span: spanAtPath(manifest.parsed, ['platforms'], 'key'), message: 'lists the platforms in use' }],
        data: { platforms: taken },
      });
    }
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
    const platforms = (finding.data as { platforms?: Platform[] } | undefined)?.platforms;
    if (platforms) return excludeFix(tenant, finding.file, platforms);
    const manifest = tenant.manifest;
    const model = modelOf(tenant);
    if (!manifest || finding.file !== manifest.path || !model.platformsDeclared) return [];
    // Already staged in report-only: enabling it is a person's call after the sign-in logs.
    if (readSafeguard(tenant, SAFEGUARD).staged) return [];
    return stagedPolicyFix(tenant, 'block-unknown-platforms', {
    description: 'Block sign-ins from device platforms the tenant does not support',
    displayName: 'All users - Block unknown or unsupported device platforms',
    users: { includeUsers: ['All'] },
    conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: [...model.platforms] } },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  }, HEADER);
  },
};

/**
 * Add the platforms in use a block of unknown platforms takes in to its `excludePlatforms` (appended in place, comments
 * and formatting kept). Not applied unattended: it lifts a block, and whether the platform is meant to be blocked after
 * all (the manifest listing it for its compliance policy alone) is a person's call.
 */
function excludeFix(tenant: TenantView, file: string, platforms: Platform[]): Fix[] {
  const p = policyAt(tenant, file);
  if (!p) return [];
  const taken = platformsTakenIn(tenant, p).filter((x) => platforms.includes(x));
  if (!taken.length) return [];
  const edit = appendToSequence(p.parsed, docPath(p, ['spec', 'conditions', 'platforms', 'excludePlatforms']), taken);
  if (!edit) return [];
  return [{ title: `Add ${codeList(taken)} to \`excludePlatforms\` of ${policyLabel(p)}`, isPreferred: true, safe: false, edits: [edit], creates: [] }];
}

const HEADER = [
  'Layer 4: created by the ca-unknown-platforms-not-blocked quick fix. Blocks every device platform the manifest does not list.',
  'Report-only first: check the sign-in logs (Device info, Operating system) for platforms still in use that the manifest',
  'does not list; add those to the manifest and to excludePlatforms, then set state: enabled.',
];

/**
 * Platform names across the product are Conditional Access' own (`conditionalAccessDevicePlatform`).
 */

export type Platform = 'android' | 'iOS' | 'windows' | 'macOS' | 'linux';

export const PLATFORMS: Platform[] = ['windows', 'iOS', 'android', 'macOS', 'linux'];

export const PLATFORM_LABELS: Record<Platform, string> = {
  windows: 'Windows',
  iOS: 'iOS/iPadOS',
  android: 'Android',
  macOS: 'macOS',
  linux: 'Linux',
};

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORMS as string[]).includes(value);
}

/** Platform of a compliance policy or app protection `@odata.type` (`#microsoft.graph.x`). */
export function platformOfODataType(odataType: unknown): Platform | undefined {
  if (typeof odataType !== 'string') return undefined;
  const t = odataType.replace(/^#?microsoft\.graph\./, '');
  if (/^(android|aosp)/i.test(t)) return 'android';
  if (/^ios/i.test(t)) return 'iOS';
  if (/^macOS/i.test(t)) return 'macOS';
  if (/^windows/i.test(t)) return 'windows';
  return undefined;
}

/** Platforms named by a settings catalog `platforms` flags value (e.g. `windows10`, `macOS`). */
export function platformsOfConfigurationFlags(value: unknown): Platform[] {
  if (typeof value !== 'string') return [];
  const out = new Set<Platform>();
  for (const raw of value.split(',')) {
    const v = raw.trim();
    if (v === 'windows10' || v === 'windows10X') out.add('windows');
    else if (v === 'macOS') out.add('macOS');
    else if (v === 'iOS' || v === 'visionOS' || v === 'tvOS') out.add('iOS');
    else if (v === 'android' || v === 'androidEnterprise' || v === 'aosp') out.add('android');
    else if (v === 'linux') out.add('linux');
  }
  return [...out];
}

/** Platform of an enrollment restriction's `platformType` (`enrollmentRestrictionPlatformType`); `all` for allPlatforms. */
export function platformOfEnrollmentType(value: unknown): Platform | 'all' | undefined {
  switch (value) {
    case 'allPlatforms':
      return 'all';
    case 'ios':
      return 'iOS';
    case 'windows':
      return 'windows';
    case 'android':
    case 'androidForWork':
      return 'android';
    case 'mac':
      return 'macOS';
    case 'linux':
      return 'linux';
    default:
      return undefined;
  }
}

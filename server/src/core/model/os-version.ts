/**
 * What a compliance policy's OS version bounds say, read from its own file: the one parser of a compliance policy's
 * version strings, and whether its bounds can be met by any device. `compliance-os-minimum-no-floor` reads the parser;
 * `compliance-os-version-unmeetable` and the grant evaluator (through `TenantModel.unmeetableCompliance`, so What If,
 * the lockout check, `ztp diff` and the report) read `osVersionUnmeetable`: one answer.
 *
 * Two bounds no device meets, and only these (no guess at a future iOS, Android or macOS version):
 * - Windows 10/11 (`windows10CompliancePolicy`): every Windows 10 and 11 device reports version 10.0.<build>
 *   (Windows 11 is 10.0.22000 and later), so a minimum above 10.0 in major.minor (`11.0.22000`, written for Windows
 *   11) is met by none, and a maximum below 10.0.10240, the first Windows 10 build, by none either. The portal asks for
 *   the version as `ver` writes it, major.minor.build.revision
 *   (https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-windows;
 *   https://learn.microsoft.com/windows/win32/sysinfo/operating-system-version: Windows 11 and Windows 10 are 10.0;
 *   https://learn.microsoft.com/windows/release-health/windows11-release-information: Windows 11 builds 22000 and later).
 * - Any platform: a minimum above the maximum of the same pair (`osMinimumVersion` > `osMaximumVersion`, and
 *   Windows 10 Mobile's `mobileOsMinimumVersion` > `mobileOsMaximumVersion`), compared number by number.
 * And the lists of versions a device may be within, where the list's entries are read the same way:
 * - Windows 10/11's valid operating system builds (`validOperatingSystemBuildRanges`, `operatingSystemVersionRange`,
 *   both ends inclusive: https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-operatingsystemversionrange):
 *   a device is compliant within any one range, so the policy is met by no device only when no range holds one (its
 *   lowest version above its highest, above 10.0 in major.minor, or its highest below 10.0.10240); a range that holds
 *   none beside one that does leaves only the builds it was meant to allow noncompliant.
 * - Linux's allowed distributions (settings catalog `linux_distribution_alloweddistros`: a distribution type with a
 *   minimum and a maximum version; a device must match an entry,
 *   https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-linux): met by no device when
 *   every entry's minimum is above its maximum; where only a distribution's entries are, its devices alone.
 * - Windows 10/11's WSL distributions (`wslDistributions`, `wslDistributionConfiguration`, beta): an installed
 *   distribution of the name must be within the versions given
 *   (https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-windows, Windows Subsystem for
 *   Linux), so a minimum above the maximum makes noncompliant only the devices with that distribution installed.
 * A value that is not a dotted version (`17.0 beta`, a build string such as iOS's `20A362`) is unknown: nothing is said.
 *
 * A device must meet every compliance policy that applies to it: one it cannot meet makes it noncompliant whatever the
 * others say (https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-monitor: the most severe
 * state of the policies assigned is the device's).
 */
import { asObject, type JsonPath } from '../document';
import type { PolicyFacts } from '../facts';
import { graphTypeName, isSettingsCatalogComplianceSpec } from '../graph';
import { settingInstances, type SettingInstanceRef } from '../settings-catalog/instances';

/**
 * A version as the portal asks for it (`major.minor.build.revision`, up to four numbers), as numbers; undefined for
 * anything else (unknown, never "no version").
 */
export function versionParts(value: unknown): number[] | undefined {
  if (typeof value !== 'string' || !/^\s*\d+(\.\d+){0,3}\s*$/.test(value)) return undefined;
  return value.trim().split('.').map(Number);
}

/** Compares two versions number by number, a missing number read as 0: negative, 0 or positive. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/** The first Windows 10 build (version 1507): every Windows 10 or 11 device reports this version or a later one. */
export const FIRST_WINDOWS_10: readonly number[] = [10, 0, 10240];

/** An OS version bound of a compliance policy that no device meets. */
export interface OsVersionUnmeetable {
  /** `minimum`: the minimum alone is met by no device; `maximum`: the maximum alone; `range`: the minimum is above the maximum. */
  which: 'minimum' | 'maximum' | 'range';
  /** The property whose value the finding sits on (the minimum, for a range). */
  property: string;
  /** Where it is in the file. */
  path: JsonPath;
  /** The value as written, trimmed. */
  value: string;
  /** For a range, the maximum's property, value and place. */
  maximum?: { property: string; value: string; path: JsonPath };
  /**
   * For an entry of a list (a build range, an allowed distribution, a WSL distribution), the entry in words: "the range
   * `Windows 11 24H2` (10.0.26100.4000 to 10.0.26100.1)"; `property` is then the list's.
   */
  entry?: string;
  /** Why no device meets it, in words a message ends with. */
  detail: string;
  /**
   * Which devices of the policy's platform the bound makes noncompliant: `policy`, every device the policy applies to;
   * `mobile`, Windows 10 Mobile devices only (the `mobileOs…` pair of a Windows 10/11 policy), not a Windows desktop;
   * `some`, only some devices it applies to (`someDevices` says which): the builds one range of several was meant to
   * allow, the devices running one distribution of several, the devices with a distribution installed in WSL.
   */
  devices: 'policy' | 'mobile' | 'some';
  /** With `devices: 'some'`, who is noncompliant, as a clause: "a Windows device with `Ubuntu` installed in WSL is noncompliant". */
  someDevices?: string;
  /** A replacement that means what was evidently meant (`11.0.22000` → `10.0.22000`), where one is certain. */
  replacement?: string;
}

/** The minimum and maximum pairs a compliance policy's Graph type carries. */
const PAIRS: readonly { min: string; max: string; mobile?: true }[] = [
  { min: 'osMinimumVersion', max: 'osMaximumVersion' },
  { min: 'mobileOsMinimumVersion', max: 'mobileOsMaximumVersion', mobile: true },
];

/** The Graph types whose pairs are read: every compliance type with a dotted `osMinimumVersion`/`osMaximumVersion`. */
const TYPES_WITH_VERSIONS = new Set([
  'windows10CompliancePolicy',
  'windows10MobileCompliancePolicy',
  'windows81CompliancePolicy',
  'windowsPhone81CompliancePolicy',
  'iosCompliancePolicy',
  'macOSCompliancePolicy',
  'androidCompliancePolicy',
  'androidWorkProfileCompliancePolicy',
  'androidForWorkCompliancePolicy',
  'androidDeviceOwnerCompliancePolicy',
  'aospDeviceOwnerCompliancePolicy',
]);

/**
 * A compliance policy of a platform whose OS version bounds no device meets, as it reaches some users
 * (`TenantModel.unmeetableCompliance`). `certain`: it applies to every device of the platform they sign in on; if not,
 * `doubt` says why not: `groups`, it is assigned to groups that may hold them or their devices; `filter`, an assignment
 * filter picks the devices; `enrollmentType`, it is for one enrollment type of the platform (Android's, or an older
 * Windows').
 */
export interface UnmeetableCompliance {
  policy: PolicyFacts;
  bounds: readonly OsVersionUnmeetable[];
  certain: boolean;
  doubt?: 'groups' | 'filter' | 'enrollmentType';
  /** With `doubt: 'groups'`, the groups it is assigned to (manifest names where they resolve). */
  groups?: string[];
  /**
   * `certain` though `doubt` says it may not apply: `secureByDefault` is on and no other compliance policy of the
   * platform that can be met may reach these users, so a device it does not apply to has none and is noncompliant too.
   */
  bySecureByDefault?: true;
}

const READINGS = new WeakMap<PolicyFacts, readonly OsVersionUnmeetable[]>();

/**
 * The OS version bounds of a compliance policy that no device meets (none: `[]`). Read from the policy's own file, once
 * per facts (a changed file is new facts).
 */
export function osVersionUnmeetable(p: PolicyFacts): readonly OsVersionUnmeetable[] {
  let known = READINGS.get(p);
  if (!known) READINGS.set(p, (known = readOnce(p)));
  return known;
}

function readOnce(p: PolicyFacts): readonly OsVersionUnmeetable[] {
  const type = graphTypeName(p.odataType) ?? '';
  const spec = p.spec;
  if (p.kind !== 'CompliancePolicy' || !spec) return [];
  if (isLinuxCompliance(p)) return allowedDistributions(spec);
  if (!TYPES_WITH_VERSIONS.has(type)) return [];
  const out: OsVersionUnmeetable[] = [];
  const windows = type === 'windows10CompliancePolicy';
  for (const pair of PAIRS) {
    if (pair.mobile && !windows) continue;
    const devices = pair.mobile ? ('mobile' as const) : ('policy' as const);
    const minText = typeof spec[pair.min] === 'string' ? (spec[pair.min] as string).trim() : undefined;
    const maxText = typeof spec[pair.max] === 'string' ? (spec[pair.max] as string).trim() : undefined;
    const min = versionParts(spec[pair.min]);
    const max = versionParts(spec[pair.max]);
    // Windows 10/11 desktop: every device reports 10.0.<build>, 10240 or later.
    if (windows && !pair.mobile && min && compareVersions(min.slice(0, 2), [10, 0]) > 0) {
      // `11.0.22000`: a Windows 11 build written with 11 for 10; with the major 11 and minor 0, 10.0.<build> is meant.
      const replacement = min[0] === 11 && min[1] === 0 && min.length >= 3 && min[2]! >= 22000 ? ['10', ...minText!.split('.').slice(1)].join('.') : undefined;
      out.push({
        which: 'minimum',
        property: pair.min,
        path: ['spec', pair.min],
        value: minText!,
        detail: `every Windows 10 and 11 device reports version 10.0.<build> (Windows 11 is 10.0.22000 and later): none reaches ${minText}`,
        devices,
        ...(replacement ? { replacement } : {}),
      });
    }
    if (windows && !pair.mobile && max && compareVersions(max, FIRST_WINDOWS_10) < 0) {
      out.push({
        which: 'maximum',
        property: pair.max,
        path: ['spec', pair.max],
        value: maxText!,
        detail: `every Windows 10 and 11 device reports version 10.0.10240 (the first Windows 10 build) or later: all are above ${maxText}`,
        devices,
      });
    }
    // A bound no device meets alone says it already; the range is said where each bound alone could be met.
    if (min && max && !out.some((u) => u.devices === devices) && compareVersions(min, max) > 0) {
      out.push({
        which: 'range',
        property: pair.min,
        path: ['spec', pair.min],
        value: minText!,
        maximum: { property: pair.max, value: maxText!, path: ['spec', pair.max] },
        detail: `the minimum ${minText} is above the maximum ${maxText} (\`${pair.max}\`): no version is within both`,
        devices,
      });
    }
  }
  if (windows) out.push(...buildRanges(spec), ...wslDistributions(spec));
  return out;
}

/** A Linux compliance policy: the settings catalog's (`deviceManagementCompliancePolicy`) for Linux alone. */
function isLinuxCompliance(p: PolicyFacts): boolean {
  return p.kind === 'CompliancePolicy' && p.platforms.length === 1 && p.platforms[0] === 'linux' && isSettingsCatalogComplianceSpec(p.spec);
}

/** A version as written, trimmed, and as numbers (undefined where it is not a dotted version). */
function versionAt(value: unknown): { text: string; parts: number[] } | undefined {
  const parts = versionParts(value);
  return parts ? { text: (value as string).trim(), parts } : undefined;
}

/**
 * Why one Windows 10/11 build range (`operatingSystemVersionRange`, both ends inclusive) holds no device, with where to
 * say it; undefined where it may hold one, or a bound is not a dotted version (unknown).
 */
function emptyBuildRange(range: Record<string, unknown>, at: JsonPath): Omit<OsVersionUnmeetable, 'detail' | 'devices' | 'property' | 'entry'> & { why: string } | undefined {
  const low = versionAt(range.lowestVersion);
  const high = versionAt(range.highestVersion);
  if (!low || !high) return undefined;
  const lowPath = [...at, 'lowestVersion'];
  if (compareVersions(low.parts.slice(0, 2), [10, 0]) > 0) {
    return { which: 'minimum', path: lowPath, value: low.text, why: `every Windows 10 and 11 device reports version 10.0.<build> (Windows 11 is 10.0.22000 and later): none reaches its lowest version, ${low.text}` };
  }
  if (compareVersions(high.parts, FIRST_WINDOWS_10) < 0) {
    return { which: 'maximum', path: [...at, 'highestVersion'], value: high.text, why: `every Windows 10 and 11 device reports version 10.0.10240 (the first Windows 10 build) or later: all are above its highest version, ${high.text}` };
  }
  if (compareVersions(low.parts, high.parts) > 0) {
    return { which: 'range', path: lowPath, value: low.text, maximum: { property: 'highestVersion', value: high.text, path: [...at, 'highestVersion'] }, why: `its lowest version ${low.text} is above its highest ${high.text}: no build is within it` };
  }
  return undefined;
}

/**
 * Windows 10/11's valid operating system builds: a device within any one range meets the setting, so where no range
 * holds a device, every device is noncompliant (`policy`); a range that holds none beside one that may leaves only the
 * builds it was meant to allow noncompliant (`some`).
 */
function buildRanges(spec: Record<string, unknown>): OsVersionUnmeetable[] {
  const list = spec.validOperatingSystemBuildRanges;
  if (!Array.isArray(list) || !list.length) return [];
  const property = 'validOperatingSystemBuildRanges';
  const read = list.map((r, i) => {
    const o = asObject(r);
    return o ? emptyBuildRange(o, ['spec', property, i]) : undefined;
  });
  const none = read.every((r) => r !== undefined);
  return read.flatMap((r, i): OsVersionUnmeetable[] => {
    if (!r) return [];
    const o = asObject(list[i])!;
    const name = typeof o.description === 'string' && o.description.trim() ? ` \`${o.description.trim()}\`` : ` ${i + 1}`;
    const { why, ...bound } = r;
    const entry = `the range${name} (${String(o.lowestVersion).trim()} to ${String(o.highestVersion).trim()})`;
    if (none) {
      const others = list.length > 1 ? '; no other range holds a device either, and a device must be within one' : '; a device must be within one of the ranges';
      return [{ ...bound, property, entry, detail: `${why}${others}`, devices: 'policy' as const }];
    }
    return [{ ...bound, property, entry, detail: why, devices: 'some' as const, someDevices: 'a device whose build only this range was meant to allow is noncompliant (a device must be within one of the ranges)' }];
  });
}

/** An entry of a list of distributions with a minimum and a maximum version. */
interface DistributionEntry {
  /** The distribution as written, for grouping its entries (lower-cased) and for the message. */
  name: string;
  min?: { text: string; parts: number[]; path: JsonPath };
  max?: { text: string; parts: number[]; path: JsonPath };
}

/** Whether an entry's minimum is above its maximum: no version of its distribution is within both. */
const inverted = (e: DistributionEntry): boolean => !!e.min && !!e.max && compareVersions(e.min.parts, e.max.parts) > 0;

/** The distributions (by name, lower-cased) whose every entry is inverted: a device running one is within none. */
function distributionsWithin(entries: readonly DistributionEntry[]): Set<string> {
  const met = new Set(entries.filter((e) => !inverted(e)).map((e) => e.name.toLowerCase()));
  return new Set(entries.filter((e) => inverted(e) && !met.has(e.name.toLowerCase())).map((e) => e.name.toLowerCase()));
}

/** A distribution entry's inverted versions as a bound. */
function invertedBound(e: DistributionEntry, property: string, entry: string, maxProperty: string): Omit<OsVersionUnmeetable, 'detail' | 'devices'> {
  return { which: 'range', property, path: e.min!.path, value: e.min!.text, entry, maximum: { property: maxProperty, value: e.max!.text, path: e.max!.path } };
}

const ALLOWED_DISTROS = 'linux_distribution_alloweddistros';
const DISTRO_TYPE = `${ALLOWED_DISTROS}_item_$type`;
const DISTRO_MIN = `${ALLOWED_DISTROS}_item_minimumversion`;
const DISTRO_MAX = `${ALLOWED_DISTROS}_item_maximumversion`;

/**
 * Linux's allowed distributions: each entry a distribution type with a minimum and a maximum version, and a device must
 * match one. Every entry inverted: every device is noncompliant (`policy`); only a distribution's: its devices (`some`).
 */
function allowedDistributions(spec: Record<string, unknown>): OsVersionUnmeetable[] {
  const instances = settingInstances(spec);
  const entries: DistributionEntry[] = [];
  for (const list of instances.filter((i) => i.key === ALLOWED_DISTROS)) {
    // Each item of the group collection is an entry: its children sit below `groupSettingCollectionValue[j]`.
    const items = new Map<number, SettingInstanceRef[]>();
    for (const child of instances) {
      if (child.parent?.id !== ALLOWED_DISTROS || child.path.length <= list.path.length + 1) continue;
      if (!list.path.every((step, k) => child.path[k] === step) || child.path[list.path.length] !== 'groupSettingCollectionValue') continue;
      const j = child.path[list.path.length + 1] as number;
      items.set(j, [...(items.get(j) ?? []), child]);
    }
    for (const children of items.values()) {
      const one = (key: string): SettingInstanceRef | undefined => children.find((c) => c.key === key);
      const type = one(DISTRO_TYPE)?.choices[0]?.value;
      const version = (key: string): DistributionEntry['min'] => {
        const v = one(key)?.simple[0];
        const at = v ? versionAt(v.value) : undefined;
        return v && at ? { ...at, path: ['spec', ...v.path] } : undefined;
      };
      const min = version(DISTRO_MIN);
      const max = version(DISTRO_MAX);
      entries.push({ name: typeof type === 'string' ? type.replace(/^.*_\$type_/i, '') : '', ...(min ? { min } : {}), ...(max ? { max } : {}) });
    }
  }
  if (!entries.length) return [];
  const every = entries.every(inverted);
  const dead = distributionsWithin(entries);
  return entries.flatMap((e): OsVersionUnmeetable[] => {
    if (!inverted(e) || (!every && !dead.has(e.name.toLowerCase()))) return [];
    const name = e.name ? `\`${e.name}\`` : 'with no type';
    const bound = invertedBound(e, DISTRO_MIN, `the allowed distribution ${name} (${e.min!.text} to ${e.max!.text})`, DISTRO_MAX);
    const detail = `its minimum version ${e.min!.text} is above its maximum ${e.max!.text}: no version is within both`;
    if (every) return [{ ...bound, detail: `${detail}; ${entries.length > 1 ? 'no other entry holds a device either' : 'it is the only distribution allowed'}, and a device must match one`, devices: 'policy' as const }];
    return [{ ...bound, detail, devices: 'some' as const, someDevices: `a Linux device running ${e.name ? name : 'the distribution this entry was meant to allow'} is noncompliant, whatever its version (another distribution the list allows can be compliant)` }];
  });
}

/**
 * Windows 10/11's WSL distributions: an installed distribution of a name listed must be within its versions. A name
 * whose every entry is inverted makes noncompliant the devices with it installed, and only those (`some`): devices
 * without it (without WSL) are not affected, so no device is certain to be.
 */
function wslDistributions(spec: Record<string, unknown>): OsVersionUnmeetable[] {
  const list = spec.wslDistributions;
  if (!Array.isArray(list)) return [];
  const entries: (DistributionEntry & { i: number })[] = [];
  list.forEach((item, i) => {
    const o = asObject(item);
    if (!o || typeof o.distribution !== 'string' || !o.distribution.trim()) return;
    const min = versionAt(o.minimumOSVersion);
    const max = versionAt(o.maximumOSVersion);
    entries.push({
      i,
      name: o.distribution.trim(),
      ...(min ? { min: { ...min, path: ['spec', 'wslDistributions', i, 'minimumOSVersion'] } } : {}),
      ...(max ? { max: { ...max, path: ['spec', 'wslDistributions', i, 'maximumOSVersion'] } } : {}),
    });
  });
  const dead = distributionsWithin(entries);
  return entries.flatMap((e): OsVersionUnmeetable[] => {
    if (!inverted(e) || !dead.has(e.name.toLowerCase())) return [];
    const bound = invertedBound(e, 'wslDistributions', `the WSL distribution \`${e.name}\` (${e.min!.text} to ${e.max!.text})`, 'maximumOSVersion');
    return [{
      ...bound,
      detail: `its minimum version ${e.min!.text} is above its maximum ${e.max!.text}: no version is within both`,
      devices: 'some' as const,
      someDevices: `a Windows device with \`${e.name}\` installed in WSL is noncompliant, whatever its version (devices without it are not affected; the check needs the Intune WSL plug-in)`,
    }];
  });
}

/** How a reason names a bound: "`osMinimumVersion: 11.0.22000`", or an entry of a list in words. */
export function boundText(b: OsVersionUnmeetable): string {
  return b.entry ? `${b.entry} in \`${b.property === DISTRO_MIN ? ALLOWED_DISTROS : b.property}\`` : `\`${b.property}: ${b.value}\``;
}

/**
 * The compliance types that apply to every device of their platform: Windows 10/11 (desktop, Holographic, Surface
 * Hub), iOS/iPadOS and macOS have one each. Android's are one per enrollment type (a device enrolled another way is
 * not checked by them), and Windows 8.1, Windows Phone 8.1 and Windows 10 Mobile's are for devices of their own.
 */
const EVERY_DEVICE_TYPES = new Set(['windows10CompliancePolicy', 'iosCompliancePolicy', 'macOSCompliancePolicy']);

/**
 * Whether a compliance policy's Graph type applies to every device of its platform it is assigned to (`EVERY_DEVICE_TYPES`;
 * Linux's settings catalog compliance too: Linux has one enrollment type).
 */
export function appliesToEveryDevice(p: PolicyFacts): boolean {
  return EVERY_DEVICE_TYPES.has(graphTypeName(p.odataType) ?? '') || isLinuxCompliance(p);
}

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
 * A value that is not a dotted version (`17.0 beta`, a build string such as iOS's `20A362`) is unknown: nothing is said.
 *
 * A device must meet every compliance policy that applies to it: one it cannot meet makes it noncompliant whatever the
 * others say (https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-monitor: the most severe
 * state of the policies assigned is the device's).
 */
import type { JsonPath } from '../document';
import type { PolicyFacts } from '../facts';
import { graphTypeName } from '../graph';

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
  /** For a range, the maximum's property and value. */
  maximum?: { property: string; value: string };
  /** Why no device meets it, in words a message ends with. */
  detail: string;
  /**
   * Which devices of the policy's platform the bound applies to: `policy`, every device the policy applies to; `mobile`,
   * Windows 10 Mobile devices only (the `mobileOs…` pair of a Windows 10/11 policy), not a Windows desktop.
   */
  devices: 'policy' | 'mobile';
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
  if (p.kind !== 'CompliancePolicy' || !spec || !TYPES_WITH_VERSIONS.has(type)) return [];
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
        maximum: { property: pair.max, value: maxText! },
        detail: `the minimum ${minText} is above the maximum ${maxText} (\`${pair.max}\`): no version is within both`,
        devices,
      });
    }
  }
  return out;
}

/**
 * The compliance types that apply to every device of their platform: Windows 10/11 (desktop, Holographic, Surface
 * Hub), iOS/iPadOS and macOS have one each. Android's are one per enrollment type (a device enrolled another way is
 * not checked by them), and Windows 8.1, Windows Phone 8.1 and Windows 10 Mobile's are for devices of their own.
 */
const EVERY_DEVICE_TYPES = new Set(['windows10CompliancePolicy', 'iosCompliancePolicy', 'macOSCompliancePolicy']);

/** Whether a compliance policy's Graph type applies to every device of its platform it is assigned to (`EVERY_DEVICE_TYPES`). */
export function appliesToEveryDevice(p: PolicyFacts): boolean {
  return EVERY_DEVICE_TYPES.has(graphTypeName(p.odataType) ?? '');
}

/**
 * Who can enroll which devices. Intune applies to each user the enrollment restriction with the highest priority
 * (lowest `priority` number) among those assigned to the user's groups, and the default restriction ("All users",
 * priority 0) to users no other one reaches; restrictions are evaluated per platform type. Apple enrollment also
 * needs the MDM push certificate, and Android Enterprise the managed Google Play binding. What the manifest does not
 * declare is unknown, never "cannot enroll".
 */
import { isPlainObject, type JsonPath } from '../document';
import type { FileFacts, PolicyFacts } from '../facts';
import { listText, withArticle } from '../prose';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { DeclaredFacts } from './declared';
import type { GroupDirectory } from './groups';
import { assignedToNobody, isDefaultRestriction, readTargets, type Targets } from './targets';

/**
 * How a device enrolls, in the words of a restriction's `platformType`. Intune restricts Android device
 * administrator (`android`) and the Android Enterprise work profile (`androidForWork`) apart. Corporate-owned
 * Android Enterprise (`androidCorporate`) and AOSP enroll through enrollment profiles, which platform restrictions
 * do not block; corporate Android Enterprise still needs managed Google Play.
 */
export type EnrollmentType = 'windows' | 'ios' | 'mac' | 'android' | 'androidForWork' | 'androidCorporate' | 'aosp' | 'linux';

/** The enrollment a compliance policy's Graph type needs. */
const TYPE_OF_COMPLIANCE: Record<string, EnrollmentType> = {
  windows10CompliancePolicy: 'windows',
  windows81CompliancePolicy: 'windows',
  windowsPhone81CompliancePolicy: 'windows',
  windows10MobileCompliancePolicy: 'windows',
  iosCompliancePolicy: 'ios',
  macOSCompliancePolicy: 'mac',
  androidCompliancePolicy: 'android',
  androidWorkProfileCompliancePolicy: 'androidForWork',
  androidForWorkCompliancePolicy: 'androidForWork',
  androidDeviceOwnerCompliancePolicy: 'androidCorporate',
  aospDeviceOwnerCompliancePolicy: 'aosp',
  deviceManagementCompliancePolicy: 'linux',
};

/** The enrollment types by which a platform's devices may come in (AOSP is corporate-only and left out). */
const TYPES_OF_PLATFORM: Record<Platform, EnrollmentType[]> = {
  windows: ['windows'],
  iOS: ['ios'],
  macOS: ['mac'],
  android: ['androidForWork', 'androidCorporate', 'android'],
  linux: ['linux'],
};

/** The per-platform members of the legacy all-platforms restriction (`deviceEnrollmentPlatformRestrictionsConfiguration`). */
const LEGACY_MEMBERS: Partial<Record<EnrollmentType, string[]>> = {
  windows: ['windowsRestriction'],
  ios: ['iosRestriction'],
  mac: ['macOSRestriction', 'macRestriction'],
  android: ['androidRestriction'],
  androidForWork: ['androidForWorkRestriction'],
};

/**
 * The kinds of policy whose files show Intune enrolls a platform's devices (`TenantModel.intuneEnrollment`): a
 * compliance policy, a Windows Autopilot profile, a configuration profile only enrolled devices take.
 */
export const ENROLLMENT_EVIDENCE_KINDS = ['CompliancePolicy', 'AutopilotProfile', 'ConfigurationProfile'] as const;
export type EnrollmentEvidenceKind = (typeof ENROLLMENT_EVIDENCE_KINDS)[number];

/**
 * Whether Intune enrolls a platform's devices, as the files show it: yes, no, or unknown while files not analysed
 * (`hiding`) may hold a policy of a kind that would show it (`mayHold`).
 */
export type IntuneEnrollment = { state: 'yes' | 'no' } | { state: 'unknown'; hiding: readonly FileFacts[]; mayHold: readonly EnrollmentEvidenceKind[] };

const EVIDENCE_WORDS: Record<EnrollmentEvidenceKind, string> = {
  CompliancePolicy: 'compliance policy',
  AutopilotProfile: 'Autopilot profile',
  ConfigurationProfile: 'configuration profile that only enrolled devices take',
};

/** What files not analysed may hold that would show the platform enrolled, in words: "a Windows compliance policy or Autopilot profile". */
export function enrollmentEvidenceText(platform: Platform, kinds: readonly EnrollmentEvidenceKind[]): string {
  return withArticle(`${PLATFORM_LABELS[platform]} ${listText(kinds.map((k) => EVIDENCE_WORDS[k]), 'or')}`);
}

/** Types that platform restrictions govern. */
const RESTRICTED: EnrollmentType[] = ['windows', 'ios', 'mac', 'android', 'androidForWork'];

export const ENROLLMENT_LABELS: Record<EnrollmentType, string> = {
  windows: 'Windows',
  ios: 'iOS/iPadOS',
  mac: 'macOS',
  android: 'Android device administrator',
  androidForWork: 'Android Enterprise personally-owned work profile',
  androidCorporate: 'Android Enterprise corporate-owned',
  aosp: 'Android (AOSP)',
  linux: 'Linux',
};

export function graphTypeName(p: PolicyFacts): string {
  return (p.odataType ?? '').replace(/^#?microsoft\.graph\./, '');
}

/** `enrollmentTypeOf`'s answers, by a file's facts (null: none). */
const TYPE_OF = new WeakMap<PolicyFacts, EnrollmentType | null>();

/**
 * The enrollment type a compliance policy applies to; Linux compliance may carry no `@odata.type`. Read once per file's
 * facts: the grant evaluator asks it of every compliance policy for every group it evaluates, after every edit.
 */
export function enrollmentTypeOf(p: PolicyFacts): EnrollmentType | undefined {
  let t = TYPE_OF.get(p);
  if (t === undefined) TYPE_OF.set(p, (t = readEnrollmentType(p) ?? null));
  return t ?? undefined;
}

function readEnrollmentType(p: PolicyFacts): EnrollmentType | undefined {
  const t = TYPE_OF_COMPLIANCE[graphTypeName(p)];
  if (t) return t;
  return p.kind === 'CompliancePolicy' && p.platforms.length === 1 && p.platforms[0] === 'linux' ? 'linux' : undefined;
}

/** One restriction, read once. */
interface Restriction {
  policy: PolicyFacts;
  priority: number;
  isDefault: boolean;
  targets: Targets;
  /**
   * A restriction of its own priority (not the tenant default) whose file does not say whom it is assigned to (a raw
   * export without `$expand=assignments`): it may apply to anyone, before the restrictions of lower priority.
   */
  audienceUnknown: boolean;
  /** Where it blocks a type (`platformBlocked: true`), by type; a type it addresses without blocking maps to undefined. */
  addresses: Map<EnrollmentType, JsonPath | undefined>;
}

/** The answer to "can these devices enroll". */
export interface EnrollmentAnswer {
  state: 'allowed' | 'blocked' | 'unknown';
  /** Why not (blocked) or why unknown, in a sentence that says what to do. */
  reason?: string;
  /** The restriction or manifest fact behind a block. */
  source?: { file: string; path: JsonPath; policy?: PolicyFacts };
  /** The undeclared manifest fact that leaves it unknown. */
  undeclared?: 'applePushCertificate' | 'androidEnterprise';
  /**
   * A block that holds only if these users are in none of these groups, each of which a restriction of higher priority
   * lets enroll: the manifest does not say whether they are (two groups are not known to be apart). For a policy's
   * users the answer is then unknown, and `compliance-requires-enrollment` warns instead of reporting an error.
   */
  unlessIn?: string[];
}

/**
 * Where a platform restriction blocks an enrollment type, or undefined when it does not. Blocking personally owned
 * devices blocks the Android Enterprise work profile outright: it is the personally-owned enrollment (corporate-owned
 * work profiles enroll through enrollment profiles, and their compliance type is `androidDeviceOwnerCompliancePolicy`).
 * For the other types a personal-device block leaves corporate devices (Apple business manager, Autopilot,
 * corporate identifiers) to enroll. Source: https://learn.microsoft.com/intune/intune-service/enrollment/android-work-profile-enroll
 */
function blockPath(type: EnrollmentType, restriction: unknown, at: JsonPath): JsonPath | undefined {
  if (!isPlainObject(restriction)) return undefined;
  if (restriction.platformBlocked === true) return [...at, 'platformBlocked'];
  if (type === 'androidForWork' && restriction.personalDeviceEnrollmentBlocked === true) return [...at, 'personalDeviceEnrollmentBlocked'];
  return undefined;
}

/** Whom a restriction is assigned to and where it stands in its priority list, read once for every restriction type. */
interface Audience {
  priority: number;
  isDefault: boolean;
  targets: Targets;
  audienceUnknown: boolean;
}

/**
 * A restriction's audience, or undefined when its file says it is assigned to no one (it restricts no one). The tenant
 * default: priority 0 or a Graph id ending `_Default…`, or (in our format) a restriction with no priority of its own
 * that is assigned to no one. Intune applies the default to everyone no other one reaches.
 */
function readAudience(p: PolicyFacts, groups: GroupDirectory): Audience | undefined {
  const spec = p.spec!;
  const targets = readTargets(p, groups);
  const priority = typeof spec.priority === 'number' ? spec.priority : Number.POSITIVE_INFINITY;
  const assigned = targets.all || targets.groups.length > 0;
  const isDefault = isDefaultRestriction(p, assigned);
  // A restriction of its own priority assigned to no one restricts no one (the one answer, `assignedToNobody`); one
  // whose assignments are not in its file, or are of target types not read here, may apply to anyone.
  if (assignedToNobody(p)) return undefined;
  const audienceUnknown = !isDefault && !assigned;
  return { priority: isDefault ? Number.POSITIVE_INFINITY : priority, isDefault, targets, audienceUnknown };
}

function readRestriction(p: PolicyFacts, groups: GroupDirectory): Restriction | undefined {
  const spec = p.spec;
  if (!spec) return undefined;
  const type = graphTypeName(p);
  const addresses = new Map<EnrollmentType, JsonPath | undefined>();
  if (type === 'deviceEnrollmentPlatformRestrictionConfiguration' || (!type && typeof spec.platformType === 'string')) {
    const types = spec.platformType === 'allPlatforms' ? RESTRICTED : RESTRICTED.filter((t) => t === spec.platformType);
    for (const t of types) addresses.set(t, blockPath(t, spec.platformRestriction, ['spec', 'platformRestriction']));
  } else if (type === 'deviceEnrollmentPlatformRestrictionsConfiguration') {
    for (const t of RESTRICTED) {
      for (const member of LEGACY_MEMBERS[t] ?? []) {
        const r = spec[member];
        if (!isPlainObject(r)) continue;
        addresses.set(t, blockPath(t, r, ['spec', member]));
        break;
      }
    }
  } else {
    return undefined;
  }
  const audience = readAudience(p, groups);
  return audience && { policy: p, ...audience, addresses };
}

/**
 * The priority list a restriction is ranked in. Intune ranks device limit restrictions and platform restrictions
 * apart, and since the 2023 move to one platform restriction per platform, each platform's apart; the older
 * all-platforms restriction (`deviceEnrollmentPlatformRestrictionsConfiguration`) keeps a list of its own here, since
 * nothing documents how it ranks against the per-platform ones. Undefined: a restriction whose list its file does not
 * say (no type we know, or no `platformType`).
 * Source: https://learn.microsoft.com/intune/intune-service/enrollment/enrollment-restrictions-set ("Device enrollment
 * includes default restrictions for both device type and device limit restrictions"; "You can have up to 25
 * restrictions per type").
 */
function priorityList(p: PolicyFacts): string | undefined {
  const spec = p.spec;
  if (!spec) return undefined;
  const type = graphTypeName(p);
  if (type === 'deviceEnrollmentLimitConfiguration') return 'limit';
  if (type === 'deviceEnrollmentPlatformRestrictionsConfiguration') return 'allPlatforms';
  if (type === 'deviceEnrollmentPlatformRestrictionConfiguration' || !type) return typeof spec.platformType === 'string' ? `platform:${spec.platformType}` : undefined;
  return undefined;
}

/** A restriction ranked in its priority list: the input of `shadowedBy`. */
interface Ranked extends Audience {
  policy: PolicyFacts;
  list: string;
}

/** A restriction of higher priority that takes some of a shadowed restriction's users first. */
export interface ShadowingRestriction {
  policy: PolicyFacts;
  priority: number;
  /**
   * The shadowed restriction's targets this one takes (manifest group names, or `allUsers`), each with the target of
   * this one it falls in: `allUsers`, the same group, or a group it is nested in.
   */
  takes: { target: string; through: string }[];
}

/**
 * Why a restriction never applies to anyone: every user it is assigned to is also assigned a restriction of the same
 * type (and platform) with a higher priority, which Intune applies instead.
 */
export interface Shadowing {
  /** The restriction's own priority. */
  priority: number;
  /** The restrictions it is ranked against, as an admin reads them: "device limit", "iOS/iPadOS platform"… */
  list: string;
  /** The restrictions that take its users, highest priority first. */
  by: ShadowingRestriction[];
}

/**
 * Whether a restriction of higher priority takes every user of a target of a lower one: assigned to all users, or
 * to the same manifest group or one it is nested in (so every member of the target is a member of it). Its exclusions
 * and assignment filters leave some users (or devices) to the next restriction, and a group the manifest does not
 * declare, or a template's variable, has members no one knows: neither takes anyone here.
 */
function takenThrough(higher: Ranked, target: string, groups: GroupDirectory): string | undefined {
  if (higher.targets.filtered || higher.targets.exclude.length) return undefined;
  if (higher.targets.allUsers) return 'allUsers';
  if (target === 'allUsers') return undefined;
  return higher.targets.groups.includes(target) ? target : higher.targets.groups.find((g) => knownGroup(g, groups) && groups.closure(g).groups.has(target));
}

/** A priority list as an admin reads it. */
function listLabel(list: string): string {
  if (list === 'limit') return 'device limit';
  if (list === 'allPlatforms') return 'all-platforms device type';
  const platform = list.slice('platform:'.length);
  return `${Object.hasOwn(ENROLLMENT_LABELS, platform) ? ENROLLMENT_LABELS[platform as EnrollmentType] : platform} platform`;
}

function knownGroup(name: string, groups: GroupDirectory): boolean {
  // A group the manifest declares is a group, even named like a placeholder (`__ALL_STAFF__`): only an undeclared
  // reference is a template's variable (`GroupDirectory.isTemplateVariable`).
  return !groups.isTemplateVariable(name) && groups.resolve(name) === name;
}

/**
 * Whether two files hold one restriction (an export and the file imported from it, or two exports of it): the same
 * Graph id or name. `duplicate-name` reports them; neither shadows the other.
 */
function sameRestriction(a: PolicyFacts, b: PolicyFacts): boolean {
  const id = (p: PolicyFacts): unknown => p.spec?.id;
  if (typeof id(a) === 'string' && id(a) !== '' && id(a) === id(b)) return true;
  return a.name !== undefined && a.name === b.name;
}

/** Enrollment per type and audience, from the tenant's restrictions and the manifest's declared facts. */
export class EnrollmentModel {
  private readonly restrictions: Restriction[];
  /** Every restriction, of every type, that has a priority list and an audience: what `shadowedBy` compares. */
  private readonly ranked: Ranked[];
  private shadowing: Map<PolicyFacts, Shadowing> | undefined;

  constructor(
    policies: PolicyFacts[],
    private readonly declared: DeclaredFacts,
    private readonly groups: GroupDirectory,
    private readonly manifestPath: string | undefined,
    /** The tenant's manifest could not be read: its facts are unknown, not undeclared. */
    private readonly manifestUnreadable = false,
  ) {
    this.restrictions = policies
      .filter((p) => p.kind === 'EnrollmentRestriction')
      .map((p) => readRestriction(p, groups))
      .filter((r): r is Restriction => r !== undefined)
      .sort((a, b) => a.priority - b.priority || (a.policy.path < b.policy.path ? -1 : 1));
    this.ranked = policies
      .filter((p) => p.kind === 'EnrollmentRestriction' && p.spec)
      .flatMap((p): Ranked[] => {
        const list = priorityList(p);
        const audience = list === undefined ? undefined : readAudience(p, groups);
        return list !== undefined && audience ? [{ policy: p, list, ...audience }] : [];
      })
      .sort((a, b) => a.priority - b.priority || (a.policy.path < b.policy.path ? -1 : 1));
  }

  /**
   * Whether a restriction never applies to anyone, and which restrictions take its users first. Intune applies to a
   * user only the highest-priority restriction of each type assigned to a group they are in (Learn: "Users are subject
   * only to the highest priority restriction assigned to a group that they are in"), so a restriction each of whose
   * targets a restriction of the same list and a higher priority takes whole applies to no one. Undefined when it may
   * apply, or when that is not known: the default (it takes whoever no other one reaches), a restriction with no
   * priority or whose assignments its file does not hold, one assigned to all devices (device enrollments without a
   * user), a target group the manifest does not declare.
   * Source: https://learn.microsoft.com/intune/intune-service/enrollment/enrollment-restrictions-set
   */
  shadowedBy(p: PolicyFacts): Shadowing | undefined {
    this.shadowing ??= this.computeShadowing();
    return this.shadowing.get(p);
  }

  private computeShadowing(): Map<PolicyFacts, Shadowing> {
    const out = new Map<PolicyFacts, Shadowing>();
    for (const r of this.ranked) {
      if (r.isDefault || r.audienceUnknown || !Number.isFinite(r.priority) || r.targets.allDevices) continue;
      const targets = [...(r.targets.allUsers ? ['allUsers'] : []), ...r.targets.groups];
      if (!targets.length || targets.some((t) => t !== 'allUsers' && !knownGroup(t, this.groups))) continue;
      const higher = this.ranked.filter(
        (h) => h !== r && h.list === r.list && !h.isDefault && !h.audienceUnknown && h.priority < r.priority && !sameRestriction(h.policy, r.policy),
      );
      const by = new Map<Ranked, { target: string; through: string }[]>();
      let all = true;
      for (const target of targets) {
        let through: string | undefined;
        const h = higher.find((x) => (through = takenThrough(x, target, this.groups)) !== undefined);
        if (!h || through === undefined) {
          all = false;
          break;
        }
        by.set(h, [...(by.get(h) ?? []), { target, through }]);
      }
      if (!all) continue;
      out.set(r.policy, { priority: r.priority, list: listLabel(r.list), by: [...by].map(([h, takes]) => ({ policy: h.policy, priority: h.priority, takes })) });
    }
    return out;
  }

  /**
   * The groups the tenant's restrictions that block some enrollment type are assigned to (the default restriction
   * aside): their members may be kept from enrolling where others are not, so the lockout check signs in as one.
   */
  blockingGroups(): string[] {
    const out = new Set<string>();
    for (const r of this.restrictions) {
      if (r.isDefault || ![...r.addresses.values()].some((at) => at !== undefined)) continue;
      for (const g of r.targets.groups) out.add(g);
    }
    return [...out];
  }

  /**
   * The restriction that applies to a user in `userGroups` (their manifest groups, nesting included), for a type,
   * leaving out those in `skip` (a filtered restriction a device may pass by).
   */
  private applicable(type: EnrollmentType, userGroups: readonly string[], skip?: ReadonlySet<Restriction>): Restriction | undefined {
    const candidates = this.restrictions.filter((r) => r.addresses.has(type) && !skip?.has(r));
    const assigned = candidates.find(
      (r) => !r.isDefault && (r.targets.all || r.targets.groups.some((g) => userGroups.includes(g))) && !r.targets.exclude.some((g) => userGroups.includes(g)),
    );
    if (assigned) return assigned;
    // The most specific default: a per-platform one before the legacy all-platforms one.
    const defaults = candidates.filter((r) => r.isDefault);
    return defaults.find((r) => graphTypeName(r.policy) === 'deviceEnrollmentPlatformRestrictionConfiguration') ?? defaults[0];
  }

  private restrictionAnswer(type: EnrollmentType, r: Restriction | undefined, userGroups: readonly string[] = []): EnrollmentAnswer | undefined {
    const path = r?.addresses.get(type);
    if (!r || !path) return undefined;
    const name = r.policy.name ?? r.policy.path;
    // The work profile is the personal devices' enrollment, so blocking personal devices would not be a narrower choice;
    // corporate-owned Android Enterprise enrolls through enrollment profiles, which no restriction blocks.
    const advice =
      type === 'androidForWork'
        ? 'allow it there, or move these users to corporate-owned Android Enterprise (enrollment profiles, which restrictions do not block)'
        : type === 'android'
          ? // Blocking device administrator is Microsoft's advice: Intune ended its management on devices with Google Mobile
            // Services at the end of 2024. Source: https://learn.microsoft.com/intune/intune-service/enrollment/android-move-device-admin-work-profile
            'device administrator is deprecated, so keep it blocked: move these users to Android Enterprise (work profile or fully managed, with their own compliance types) and retire this policy, or set `securityBlockDeviceAdministratorManagedDevices: true` in it to mark the phones still enrolled that way noncompliant while they move'
          : 'allow it there, and use `personalDeviceEnrollmentBlocked: true` if the aim is to keep personal devices out';
    // A restriction that lets some groups enroll the type, and would come first for them: the way a tenant that allows
    // a platform for a pilot means it. Said first, since allowing the type in the blocking one opens it wider.
    const allowing = this.restrictions.filter(
      (u) => u !== r && !u.isDefault && !u.audienceUnknown && u.priority < r.priority && u.addresses.has(type) && u.addresses.get(type) === undefined && (u.targets.all || u.targets.groups.length),
    );
    // Device administrator is deprecated: a restriction that still lets a group enroll it is no way to recommend.
    const through = allowing.length && type !== 'android'
      ? `${listText(allowing.map((u) => `\`${u.policy.name ?? u.policy.path}\` (priority ${u.priority}${u.targets.groups.length ? `, assigned to ${listText(u.targets.groups.map((g) => `\`${g}\``))}` : ''})`))} ${allowing.length === 1 ? 'allows' : 'allow'} it: add these users' groups to its assignments, or assign the policy to the groups it lets enroll; or `
      : '';
    // Whoever is also in a group those restrictions are assigned to enrolls: the manifest does not tell who is. Not
    // where the restriction excludes these users' own groups (the exclusion wins whatever else they are in).
    const unlessIn = [...new Set(allowing.filter((u) => !u.targets.exclude.some((g) => userGroups.includes(g))).flatMap((u) => (u.targets.all ? [] : u.targets.groups)))];
    return {
      state: 'blocked',
      reason: `the enrollment restriction \`${name}\` blocks ${ENROLLMENT_LABELS[type]} (\`${path.slice(1).join('.')}: true\`); ${through}${through ? advice.replace('allow it there', `allow it in \`${name}\` for everyone it applies to`) : advice}`,
      source: { file: r.policy.path, path, policy: r.policy },
      ...(unlessIn.length ? { unlessIn } : {}),
    };
  }

  /** Why a manifest fact is unknown: not declared, or the manifest could not be read (then no fact of it is known). */
  private undeclared(fact: string): string {
    return this.manifestUnreadable ? `the manifest could not be read, so ${fact} is unknown` : `the manifest does not declare ${fact}`;
  }

  /** What the manifest's declared facts say of a type: the Apple push certificate, the managed Google Play binding. */
  private prerequisite(type: EnrollmentType): EnrollmentAnswer {
    const file = this.manifestPath ?? '';
    if (type === 'ios' || type === 'mac') {
      const a = this.declared.applePush;
      if (a.state === 'undeclared') return { state: 'unknown', reason: this.undeclared('`settings.applePushCertificate`'), undeclared: 'applePushCertificate' };
      if (a.state === 'expired') {
        return {
          state: 'blocked',
          reason: `the Apple MDM push certificate expired on ${a.expires.toISOString().slice(0, 10)} (\`settings.applePushCertificate.expirationDateTime\`), and no Apple device enrolls or checks in without it; renew it in Intune (Devices > Enrollment > Apple > MDM Push Certificate) with the same Apple ID`,
          source: { file, path: ['settings', 'applePushCertificate', 'expirationDateTime'] },
        };
      }
    }
    if (type === 'androidForWork' || type === 'androidCorporate') {
      const b = this.declared.androidBinding;
      if (b.state === 'undeclared') return { state: 'unknown', reason: this.undeclared('`settings.androidEnterprise.bindStatus`'), undeclared: 'androidEnterprise' };
      if (b.state === 'notBound') {
        return {
          state: 'blocked',
          reason: `the tenant is not bound to managed Google Play (\`settings.androidEnterprise.bindStatus\` is \`${b.status}\` in zerotrust.yaml), which every Android Enterprise enrollment needs; bind it in Intune (Devices > Enrollment > Android > Managed Google Play) and set \`bindStatus: boundAndValidated\``,
          source: { file, path: ['settings', 'androidEnterprise', 'bindStatus'] },
        };
      }
    }
    return { state: 'allowed' };
  }

  /**
   * What the restrictions say of a type for a user in these groups: blocked, unknown (a block that a restriction of
   * higher priority whose audience is unknown may override, since it allows the type), or undefined (not blocked).
   */
  private restrictionsSay(type: EnrollmentType, userGroups: readonly string[], skip?: ReadonlySet<Restriction>): EnrollmentAnswer | undefined {
    const r = this.applicable(type, userGroups, skip);
    const blocked = this.restrictionAnswer(type, r, userGroups);
    if (r?.targets.filtered && !r.isDefault) {
      // An assignment filter takes some of these users' devices to this restriction; the others go on to the next one
      // (Learn: "you can use a filter to allow personal Windows devices to enroll while blocking devices that run a
      // specific operating system SKU"). Blocked only when both ways block.
      const rest = this.restrictionsSay(type, userGroups, new Set([...(skip ?? []), r]));
      if (!blocked || !rest) return undefined;
      if (rest.state !== 'blocked') return rest;
    }
    if (!blocked || !r) return blocked;
    const before = this.restrictions.find((u) => u.audienceUnknown && u.priority < r.priority && u.addresses.has(type) && u.addresses.get(type) === undefined);
    if (!before) return blocked;
    const name = (x: Restriction): string => x.policy.name ?? x.policy.path;
    return {
      state: 'unknown',
      reason:
        `the enrollment restriction \`${name(r)}\` blocks ${ENROLLMENT_LABELS[type]}, but \`${name(before)}\` (priority ${before.priority}) allows it ` +
        'and may apply first: its file does not say whom it is assigned to',
    };
  }

  /** Whether a user in these manifest groups can enroll a device of this type. */
  forUser(type: EnrollmentType, userGroups: string[]): EnrollmentAnswer {
    return this.restrictionsSay(type, userGroups) ?? this.prerequisite(type);
  }

  /**
   * Whether anyone a policy is assigned to can enroll a device of this type: blocked only when every audience is
   * blocked. All users (or no assignment) reaches the users of every restriction, so one restriction that allows the
   * type is enough.
   */
  forTargets(type: EnrollmentType, targets: Targets): EnrollmentAnswer {
    const audiences: (readonly string[])[] = [];
    if (targets.all || !targets.groups.length) {
      audiences.push([]);
      for (const r of this.restrictions) if (!r.isDefault && !r.audienceUnknown && r.addresses.has(type)) audiences.push(r.targets.all ? [] : r.targets.groups);
    }
    // A group's users: its direct members, and those of every group nested in it (also members of the group, and
    // perhaps of a group a restriction of higher priority is assigned to).
    for (const g of targets.groups) for (const sub of this.groups.closure(g).groups) audiences.push(this.groups.memberGroups(sub));
    // A user the manifest lists in one of them is in every group it lists them in: a known member who is also in a
    // group a restriction of higher priority lets enroll enrolls.
    // (Not one a group the policy excludes holds: the exclusion wins.)
    for (const g of targets.groups) {
      for (const user of this.groups.closure(g).users) if (!targets.exclude.some((x) => this.groups.closure(x).users.has(user))) audiences.push(this.groups.groupsOf(user));
    }
    const answers = audiences.map((a) => this.restrictionsSay(type, a));
    if (answers.some((a) => a === undefined)) return this.prerequisite(type);
    const answer = answers.find((a) => a!.state === 'unknown') ?? answers[0]!;
    // Blocked only if these users are in none of the groups a restriction of higher priority lets enroll: unknown,
    // since the manifest does not say (the policy may well reach their devices).
    // Not a group the policy itself excludes: its users are out of the policy, wherever they enroll.
    const outside = (g: string): boolean => targets.exclude.some((x) => this.groups.holds(x, g));
    const open = answers.map((a) => (a!.unlessIn ?? []).filter((g) => !outside(g)));
    const unlessIn = [...new Set(open.flat())];
    if (answer.state === 'blocked' && open.every((o) => o.length)) return { ...answer, state: 'unknown', unlessIn };
    return answer;
  }

  /** Whether a platform's devices can enroll for these users (any of the platform's enrollment types). */
  forPlatform(platform: Platform, userGroups?: string[]): EnrollmentAnswer {
    const answers = TYPES_OF_PLATFORM[platform].map((t) => (userGroups ? this.forUser(t, userGroups) : this.forTargets(t, { all: true, groups: [], exclude: [] })));
    return answers.find((a) => a.state === 'allowed') ?? answers.find((a) => a.state === 'unknown') ?? answers[0]!;
  }

  /** Whether a compliance policy reaches any enrolled device: its type, for the users it is assigned to. */
  forCompliancePolicy(p: PolicyFacts): EnrollmentAnswer {
    const type = enrollmentTypeOf(p);
    if (!type) return { state: 'allowed' };
    return this.forTargets(type, readTargets(p, this.groups));
  }
}

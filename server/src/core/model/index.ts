/**
 * The tenant model: every fact about a tenant that more than one place asks, computed once per analysis and read by
 * every rule, What If, the lockout check, hovers and the layer tree. Who can enroll, which compliance and app
 * protection policies reach enrollable devices, whether a grant can be met, who the break-glass accounts are, which
 * devices are onboarded to Defender, which manifest facts are undeclared, which files could not be read.
 * Two answers to one question would be a bug: add a question here, never in a rule.
 */
import type { FileFacts, ManifestFacts, PolicyFacts } from '../facts';
import { kindOfODataType } from '../graph';
import { isPolicyKind, type PolicyKind } from '../kinds';
import { isPlatform, PLATFORMS, type Platform } from '../platforms';
import type { TenantView } from '../rule';
import { BreakGlass } from './break-glass';
import { readDeclaredFacts, type DeclaredFacts, type UndeclaredFact } from './declared';
import { DefenderModel } from './defender';
import { EnrollmentModel, enrollmentTypeOf, type EnrollmentAnswer } from './enrollment';
import { controlAbility, grantAbility, type ControlAbility, type GrantAbility, type GrantContext } from './grants';
import { GroupDirectory } from './groups';
import { readTargets, type Targets } from './targets';
import { undeclaredFacts } from './undeclared';

/** A file of the tenant that could not be read or parsed, and the policy kind it may hold (`*`: any). */
export interface UnreadableFile {
  file: FileFacts;
  kind: PolicyKind | '*';
}

const KIND_IN_YAML = /^\s*["']?kind["']?\s*:\s*["']?([A-Za-z]+)/m;
const ODATA_IN_TEXT = /"@odata\.type"\s*:\s*"(#?microsoft\.graph\.[A-Za-z0-9]+)"/;

/** What kind of policy an unreadable file may hold, from what of its text there is. */
function sniffKind(f: FileFacts): PolicyKind | '*' {
  const text = f.parsed.text.slice(0, 65536);
  const k = KIND_IN_YAML.exec(text)?.[1];
  if (k === 'Tenant') return '*';
  if (k && isPolicyKind(k)) return k;
  const t = ODATA_IN_TEXT.exec(text)?.[1];
  const byType = t ? kindOfODataType(t) : undefined;
  return byType ?? '*';
}

export class TenantModel {
  readonly manifest: ManifestFacts | undefined;
  readonly declared: DeclaredFacts;
  readonly groups: GroupDirectory;
  readonly enrollment: EnrollmentModel;
  readonly breakGlass: BreakGlass;
  readonly defender: DefenderModel;
  /** Files that could not be read or parsed: what they hold is unknown, so it is never "missing". */
  readonly unreadable: UnreadableFile[];
  /** The platforms in use: the manifest's, else those the tenant's Intune policies manage. */
  readonly platforms: Platform[];
  readonly platformsDeclared: boolean;
  private readonly targetsCache = new Map<PolicyFacts, Targets>();
  private readonly complianceCache = new Map<string, PolicyFacts[]>();

  constructor(readonly tenant: TenantView) {
    this.manifest = tenant.manifest;
    this.declared = readDeclaredFacts(this.manifest, tenant.now);
    this.groups = new GroupDirectory(this.manifest);
    this.enrollment = new EnrollmentModel(tenant.policies, this.declared, this.groups, this.manifest?.path);
    this.breakGlass = new BreakGlass(this.manifest, this.groups);
    this.defender = new DefenderModel(tenant.policies);
    this.unreadable = [...tenant.others, ...tenant.policies]
      .filter((f) => f.parsed.syntaxErrors.length > 0 && f.parsed.value === undefined)
      .map((file) => ({ file, kind: sniffKind(file) }));
    if (tenant.manifestProblem && tenant.manifestFile) this.unreadable.push({ file: tenant.manifestFile, kind: '*' });
    this.platformsDeclared = this.declared.platforms !== undefined && this.declared.platforms.length > 0;
    this.platforms = this.platformsDeclared ? this.declared.platforms! : evidencedPlatforms(tenant.policies);
  }

  get secureByDefault(): boolean | undefined {
    return this.declared.secureByDefault;
  }

  /**
   * Whether a policy of this kind may exist in a file that could not be read: then "there is no X" cannot be said.
   */
  mayHide(kind: PolicyKind): boolean {
    return this.unreadable.some((u) => u.kind === '*' || u.kind === kind);
  }

  /** The unreadable files that may hold a policy of this kind, for a note in a message. */
  hiding(kind: PolicyKind): FileFacts[] {
    return this.unreadable.filter((u) => u.kind === '*' || u.kind === kind).map((u) => u.file);
  }

  targets(p: PolicyFacts): Targets {
    let t = this.targetsCache.get(p);
    if (!t) this.targetsCache.set(p, (t = readTargets(p, this.groups)));
    return t;
  }

  /** The platforms a CA policy applies to here: `all` or no platform condition means the tenant's platforms, less excludes. */
  caPlatforms(p: PolicyFacts): Platform[] {
    if (!p.allPlatforms) return p.platforms;
    return this.platforms.filter((pl) => p.platforms.includes(pl));
  }

  /** Policies of a kind for a platform. */
  policiesFor(kind: PolicyKind, platform: Platform): PolicyFacts[] {
    return this.tenant.policies.filter((p) => p.kind === kind && p.platforms.includes(platform));
  }

  /** Whether a compliance policy reaches any device that can enroll (a type whose enrollment is blocked does not). */
  complianceEnrollment(p: PolicyFacts): EnrollmentAnswer {
    return this.enrollment.forCompliancePolicy(p);
  }

  /**
   * The compliance policies of a platform that reach enrollable devices; with `userGroups`, those whose enrollment
   * type those users can enroll.
   */
  compliancePolicies(platform: Platform, userGroups?: string[]): PolicyFacts[] {
    const key = `${platform}\u0000${userGroups?.join('\u0001') ?? '*'}`;
    const cached = this.complianceCache.get(key);
    if (cached) return cached;
    const out = this.policiesFor('CompliancePolicy', platform).filter((p) => {
      const type = enrollmentTypeOf(p);
      if (userGroups && type) return this.enrollment.forUser(type, userGroups).state !== 'blocked';
      return this.complianceEnrollment(p).state !== 'blocked';
    });
    this.complianceCache.set(key, out);
    return out;
  }

  appProtectionPolicies(platform: Platform): PolicyFacts[] {
    return this.policiesFor('AppProtectionPolicy', platform);
  }

  enrollmentFor(platform: Platform, userGroups?: string[]): EnrollmentAnswer {
    return this.enrollment.forPlatform(platform, userGroups);
  }

  control(control: string, platform: Platform | undefined, platformName: string = platform ?? '', userGroups?: string[]): ControlAbility {
    return controlAbility(this.context(), control, platform, platformName, userGroups);
  }

  /** Whether a CA policy's grant can be met on a platform (by these users, when given). */
  grant(p: PolicyFacts, platform: Platform | undefined, platformName: string = platform ?? '', userGroups?: string[]): GrantAbility {
    return grantAbility(this.context(), p, platform, platformName, userGroups);
  }

  private context(): GrantContext {
    return {
      compliancePolicies: (pl, g) => this.compliancePolicies(pl, g),
      appProtectionPolicies: (pl) => this.appProtectionPolicies(pl),
      enrollment: (pl, g) => this.enrollmentFor(pl, g),
      secureByDefault: this.secureByDefault,
    };
  }

  /** The facts the manifest should declare for the rules this tenant needs, with the rules each would let run. */
  undeclared(): UndeclaredFact[] {
    return undeclaredFacts(this);
  }
}

/** Platforms the tenant's Intune policies manage (for a manifest that lists none). */
function evidencedPlatforms(policies: PolicyFacts[]): Platform[] {
  const seen = new Set<Platform>();
  for (const p of policies) {
    if (p.kind === 'ConditionalAccessPolicy' || p.kind === 'EndpointDlpPolicy' || p.kind === 'DefenderConnector') continue;
    if (p.kind === 'EnrollmentRestriction' && p.allPlatforms) continue;
    p.platforms.forEach((x) => seen.add(x));
  }
  // With no evidence at all (a Conditional Access-only tenant), every platform may be in use.
  return seen.size ? PLATFORMS.filter((x) => seen.has(x) && isPlatform(x)) : [...PLATFORMS];
}

const MODELS = new WeakMap<TenantView, TenantModel>();

/** The tenant model of a view, computed on first use and shared by everything that reads the same view. */
export function modelOf(tenant: TenantView): TenantModel {
  let m = MODELS.get(tenant);
  if (!m) MODELS.set(tenant, (m = new TenantModel(tenant)));
  return m;
}

export type { ControlAbility, GrantAbility } from './grants';
export type { EnrollmentAnswer, EnrollmentType } from './enrollment';
export type { Targets } from './targets';

/**
 * A tenant's live Zero Trust progress: per layer its policies, licence, unmet prerequisites and status, and the
 * per-platform prerequisite lines that hovers and the tree show ("Windows ✓ (win-baseline), Android ✗ — …").
 */
import { basename } from '../paths';
import { isPlainObject, spanAtPath } from '../document';
import { PROTECTIONS } from '../template-families';
import { CONFIGURATION_EVIDENCE_TYPES, FETCH_PROFILE_SETTINGS, graphTypeName, isOnboardingEvidence, isOtherEnrollmentConfiguration } from '../graph';
import type { FileFacts, OtherFacts, PolicyFacts } from '../facts';
import { KIND_NAMES, KINDS } from '../kinds';
import { LAYERS, layerDefinition } from '../layers';
import { LICENSES, licenseInfo, refusedLicences } from '../licenses';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule, TenantView } from '../rule';

/** The rule with an id, of the rules the service runs (features never read the global registry). */
export type RuleLookup = (ruleId: string) => Rule | undefined;
import { dlpSimulationMode, tenantPlatforms } from '../tenant-query';
import { externalUsersOnly, grantControlNames, grantOperator, RETIRED_GRANTS } from '../model/grants';
import { appliesToNoSignIn } from '../model/sign-in-scope';
import { PLATFORMS } from '../platforms';
import { modelOf } from '../model/index';
import { assignedToNobody, assignmentDeclaration } from '../model/targets';
import { listText, notAnalysedText, withArticle } from '../prose';
import { isManifestPath } from '../paths';
import { foreignDocument } from '../model/foreign';
import { DEFENDER_LAYER_BASELINES } from '../model/baselines';
import { defenderOnlyLevels, dlpPoliciesToProtect, type Onboarding, type ProtectionOff } from '../model/defender';
import type { Finding } from '../types';
import type { AcceptedFinding } from '../analyze';
import { protectionIn } from '../rules/configuration-helpers';
import { ASR_RULES } from '../rules/asr-rules-not-configured';

export interface PrereqLine {
  label: string;
  ok: boolean;
  /**
   * Not known either way (an undeclared manifest fact, a file that could not be read, a profile exported without its
   * settings): the layer is then partial, not complete (a layer is complete only when every line is known met).
   */
  unknown?: boolean;
  /** Unknown because a file not analysed may hold the policy (not an undeclared fact). */
  hidden?: true;
  /**
   * The paths of the files not analysed (the tenant model's `hiding`) that leave the line unknown, when a file does:
   * what `ztp diff` reads to tell a layer status that rests on a file one side could not read.
   */
  hiding?: string[];
  /**
   * Unknown to the files but settled by a declaration: what the manifest says happens outside Intune (Configuration
   * Manager evaluating co-managed devices' compliance). It does not hold the layer back.
   */
  declared?: true;
  detail: string;
}

const names = (ps: PolicyFacts[]): string => ps.map((p) => p.name ?? '?').join(', ');

function policiesOfKind(t: TenantView, kind: PolicyFacts['kind'], platform?: Platform): PolicyFacts[] {
  return t.policies.filter((p) => p.kind === kind && (!platform || p.platforms.includes(platform)));
}

/** Whether devices of a platform can enroll, and why not: the tenant model's answer (unknown when undeclared). */
export function enrollmentLine(t: TenantView, platform: Platform): PrereqLine {
  const label = PLATFORM_LABELS[platform];
  const a = modelOf(t).enrollmentFor(platform);
  if (a.state === 'blocked') return { label, ok: false, detail: a.reason ?? 'cannot enroll' };
  if (a.state === 'unknown') return { label, ok: true, unknown: true, detail: `unknown: ${a.reason ?? 'a fact is not declared'}` };
  return { label, ok: true, detail: 'can enroll' };
}

function appProtectionLine(t: TenantView, platform: Platform): PrereqLine {
  const label = PLATFORM_LABELS[platform];
  const model = modelOf(t);
  const ps = policiesOfKind(t, 'AppProtectionPolicy', platform);
  // The policies that may protect someone's apps: the model's, the ones the grant evaluator reads (not one that selects
  // apps one by one and selects none, `appProtectionWithoutApps`, nor one assigned to nobody, `assignedToNobody`).
  const counted = model.appProtectionPolicies(platform);
  if (counted.length) return { label, ok: true, detail: names(counted) };
  if (model.mayHide('AppProtectionPolicy', platform)) return hiddenLine(t, 'AppProtectionPolicy', platform, 'app protection policy');
  if (!ps.length) return { label, ok: false, detail: 'no app protection policy' };
  const noApps = model.appProtectionWithoutApps(platform);
  const unassigned = ps.filter((p) => !noApps.includes(p) && assignedToNobody(p));
  const parts = [
    ...(noApps.length ? [`${names(noApps)} ${noApps.length > 1 ? 'protect' : 'protects'} no app (\`appGroupType: selectedPublicApps\` with no app in \`apps\`)`] : []),
    ...(unassigned.length ? [`${names(unassigned)} ${unassigned.length > 1 ? 'are' : 'is'} assigned to nobody`] : []),
  ];
  return { label, ok: false, detail: parts.join('; ') };
}

/** A platform's compliance policies that reach devices able to enroll (the same answer the layer 4 rules use). */
function complianceLine(t: TenantView, platform: Platform): PrereqLine {
  const ps = modelOf(t).compliancePolicies(platform);
  // Co-management: Configuration Manager evaluates these devices' compliance (all, or all but the pilot collection's),
  // as the grant evaluator reads it: met or unknown, as far as the files tell, never missing.
  const workload = modelOf(t).configMgrCompliance(platform);
  // Pilot Intune with no Intune compliance policy of the platform: the pilot collection's devices are Intune's, and
  // nothing evaluates them (the grant evaluator's gap, which ca-requires-compliance-policy and What If name too).
  if (workload === 'pilotIntune' && modelOf(t).pilotLacksCompliance(platform)) {
    return { label: `${PLATFORM_LABELS[platform]} (pilot collection)`, ok: false, detail: 'no Intune compliance policy, and Intune evaluates the pilot collection\'s devices (settings.coManagement.complianceWorkload: pilotIntune)' };
  }
  if (workload) {
    const intune = ps.length ? `; Intune: ${names(ps)}` : workload === 'pilotIntune' ? '; the pilot collection has no Intune compliance policy' : '';
    const who = workload === 'configurationManager' ? 'Configuration Manager evaluates co-managed devices' : 'Configuration Manager evaluates co-managed devices outside the pilot collection';
    return { label: PLATFORM_LABELS[platform], ok: true, unknown: true, declared: true, detail: `unknown: ${who} (settings.coManagement.complianceWorkload: ${workload})${intune}` };
  }
  if (!ps.length && modelOf(t).mayHide('CompliancePolicy', platform)) return hiddenLine(t, 'CompliancePolicy', platform, 'compliance policy');
  // An MDM authority other than Intune (`mdm-authority-not-intune`): the platform's compliance policies reach no device
  // (`unknown`, `sccm`), or Basic Mobility and Security decides (`office365`), as the grant evaluator reads it (the
  // model's `intuneService`), so What If, the lockout check and this line give one answer. (A licence without Intune is
  // `license-missing`'s error on the policies, which blocks the layer.)
  const service = ps.length ? modelOf(t).intuneService('compliantDevice') : undefined;
  if (service?.gap === 'mdmAuthority') {
    return service.state === 'none'
      ? { label: PLATFORM_LABELS[platform], ok: false, detail: `${names(ps)} ${ps.length > 1 ? 'reach' : 'reaches'} no device: ${service.reason}` }
      : { label: PLATFORM_LABELS[platform], ok: true, unknown: true, detail: `unknown: ${service.reason}` };
  }
  // No device of the platform can be compliant, whoever signs in: a compliance policy whose OS version bounds no device
  // meets applies to every device, or `secureByDefault` marks those it does not apply to noncompliant (the grant
  // evaluator's answer, What If's and the lockout check's): the policies exist, and the prerequisite is still unmet.
  const ability = ps.length ? modelOf(t).control('compliantDevice', platform) : undefined;
  if (ability?.status === 'impossible' && ability.gap === 'osVersion') return { label: PLATFORM_LABELS[platform], ok: false, detail: `${names(ps)}, but ${ability.cause ?? ability.reason ?? 'no device can be compliant'}` };
  const all = policiesOfKind(t, 'CompliancePolicy', platform);
  // Why none counts: assigned to nobody (the model's `assignedToNobody`), or of an enrollment type no one can enroll.
  const unassigned = all.filter(assignedToNobody);
  const unenrollable = all.filter((p) => !unassigned.includes(p));
  const why = [
    ...(unassigned.length ? [`${names(unassigned)} ${unassigned.length > 1 ? 'are' : 'is'} assigned to nobody`] : []),
    ...(unenrollable.length ? [`${names(unenrollable)} cannot reach devices that can enroll`] : []),
  ];
  const detail = ps.length ? names(ps) : all.length ? why.join('; ') : 'no compliance policy';
  return { label: PLATFORM_LABELS[platform], ok: ps.length > 0, detail };
}

/** The platforms the configuration checks ask about (`PROTECTIONS`): Windows and macOS. */
const CONFIGURED_PLATFORMS: readonly Platform[] = [...new Set(Object.values(PROTECTIONS).map((p) => p.platform))];

/**
 * Layer 5's line for a platform with no configuration profile in the folder, though its devices take configuration
 * from Intune (the tenant model's `configurationKept`): "Windows configuration ✗ — no configuration profile, …"; none
 * where the folder keeps the platform's profiles, does not keep layer 5 here at all, or a file not analysed may hold one
 * (the layer's `hidden` says so).
 */
function noProfileLine(t: TenantView, platform: Platform): PrereqLine | undefined {
  const kept = modelOf(t).configurationKept(platform);
  // Unknown (a file not analysed may hold one): the layer's own `hidden` names that file already.
  if (kept.state !== 'missing') return undefined;
  const label = `${PLATFORM_LABELS[platform]} configuration`;
  const why = kept.enrolledBy.length
    ? `Intune enrolls ${PLATFORM_LABELS[platform]} devices (${names([...kept.enrolledBy])})`
    : kept.pilot
      ? `the pilot collection's co-managed devices take their configuration from Intune (settings.coManagement.${kept.pilot.slider}: pilotIntune)`
      : `Intune enrolls ${PLATFORM_LABELS[platform]} devices`;
  const others = kept.keptFor.length ? `; the folder's layer 5 files are of other platforms` : '';
  return { label, ok: false, detail: `no configuration profile, while ${why}${others}` };
}

/**
 * Whether the layers that rest on enrollment ask about a platform's enrolled devices: not a phone platform kept to
 * app protection (nothing of it enrolls), nor one whose devices Defender for Endpoint security settings management
 * alone manages (the Defender model's answer, where the files show no device Intune enrolls): neither enrolls, so
 * neither needs the Apple push certificate or a compliance policy.
 */
function enrolls(t: TenantView, platform: Platform): boolean {
  if (appProtectionOnly(t, platform)) return false;
  const model = modelOf(t);
  return !(model.defender.securitySettingsManagement(platform) && !model.intuneEnrolls(platform));
}

/**
 * A phone platform kept to app protection: an app protection policy for it, no compliance policy of it (in any
 * state), and no enabled CA policy requiring a compliant device there that app protection cannot meet instead (a BYOD
 * tenant's iPhones and Android phones; "a compliant device or app protection" leaves them a way in).
 */
function appProtectionOnly(t: TenantView, platform: Platform): boolean {
  if (!MOBILE.includes(platform) || policiesOfKind(t, 'CompliancePolicy', platform).length || !policiesOfKind(t, 'AppProtectionPolicy', platform).length) return false;
  return modelOf(t).compliantDeviceRequiredBy(platform).every((p) => grantOperator(p) === 'OR' && grantControlNames(p).includes('compliantApplication'));
}

/** No policy of a kind among the files read, while a file not read may hold one: unknown, never missing. */
function hiddenLine(t: TenantView, kind: NonNullable<PolicyFacts['kind']>, platform: Platform, what: string): PrereqLine {
  const hiding = modelOf(t).hiding(kind, platform);
  const files = hiding.map(fileName);
  return { label: PLATFORM_LABELS[platform], ok: true, unknown: true, hidden: true, hiding: hiding.map((f) => f.path), detail: `unknown: ${notAnalysedText(files, withArticle(`${PLATFORM_LABELS[platform]} ${what}`))}` };
}

/**
 * Why the baselines are unknown: a file not read as a baseline may hold them; or, where the only such file is the
 * manifest, which holds no policy, that it could not be read (the tenant's facts are unknown).
 */
function baselinesUnknown(t: TenantView, names: string[], byTemplate: boolean): string {
  const hiding = modelOf(t).hiding('ConfigurationProfile');
  if (!byTemplate && hiding.length && hiding.every((f) => isManifestPath(f.path))) return `unknown: ${notAnalysedText(hiding.map(fileName), 'a baseline')}`;
  return `unknown: a file that is not read as a baseline (an older intent, an unreadable file) may hold the ${names.join(' and the ')}`;
}

/** The paths of the files not analysed that may hold a configuration profile (onboarding, a baseline): `hiding`'s. */
function hidingProfiles(t: TenantView): string[] {
  return modelOf(t).hiding('ConfigurationProfile').map((f) => f.path);
}

const MOBILE: Platform[] = ['iOS', 'android'];
const DLP_PLATFORMS: Platform[] = ['windows', 'macOS'];

/** A file's name as a prerequisite line shows it: its policy name, else its display name, else its file name. */
function fileName(f: FileFacts): string {
  if (f.type === 'policy' && f.name) return f.name;
  const doc = isPlainObject(f.value) ? f.value : {};
  return typeof doc.displayName === 'string' && doc.displayName ? doc.displayName : f.path.replace(/^.*[\\/]/, '');
}


/**
 * The prerequisite lines of a layer for the given platforms (default: the tenant's platforms that matter there).
 * These are what "Prerequisite layer N" means in the seed.
 */
export function prerequisiteLines(t: TenantView, layer: number, platforms?: Platform[]): { title: string; lines: PrereqLine[] } {
  const all = platforms ?? tenantPlatforms(t);
  switch (layer) {
    case 1:
      return { title: 'App protection policies (layer 1)', lines: all.filter((p) => MOBILE.includes(p) || p === 'windows').filter((p) => MOBILE.includes(p) || platforms).map((p) => appProtectionLine(t, p)) };
    case 2: {
      const lines: PrereqLine[] = [];
      // The model's reading of the fact: not stated, or a value the schema refuses, is unknown (not "not Intune").
      const mdm = modelOf(t).declared.mdmAuthority;
      lines.push({ label: 'MDM authority', ok: mdm === undefined || mdm === 'intune', detail: mdm === undefined ? 'not stated (tenants since 1911 default to intune)' : String(mdm) });
      for (const p of all.filter((x) => x !== 'linux' && enrolls(t, x))) lines.push(enrollmentLine(t, p));
      return { title: 'Platform prerequisites (layer 2)', lines };
    }
    case 3: {
      // Layer 3's own job beside its prerequisite: a compliance policy for each platform whose devices the tenant
      // manages ("define minimum requirements devices must meet", per platform). Asked only of platforms the manifest
      // lists or the tenant's policies manage (with neither, every platform would be asked), and not of a phone platform
      // kept to app protection (BYOD: app protection for it, no compliance policy).
      // Source: https://learn.microsoft.com/intune/intune-service/fundamentals/deployment-plan-compliance-policies
      const lines = all.filter((x) => x !== 'linux' && enrolls(t, x)).map((x) => enrollmentLine(t, x));
      const model = modelOf(t);
      if (model.platformsSource !== 'all') {
        // Linux devices are asked only where the files show Intune enrolls some (a Linux compliance policy, a
        // `linuxMdm` profile): servers that Defender alone manages are not Intune's to evaluate.
        const asked = all.filter((x) => enrolls(t, x) && (x !== 'linux' || model.intuneEnrolls(x)));
        for (const x of asked) {
          const line = complianceLine(t, x);
          // A line of its own kind (the pilot collection's) keeps its label.
          lines.push(line.label === PLATFORM_LABELS[x] ? { ...line, label: `${PLATFORM_LABELS[x]} compliance` } : line);
        }
      }
      return { title: 'Enrolled devices (layer 2) and compliance policies', lines };
    }
    case 5: {
      const lines = all.filter((x) => x !== 'linux' && enrolls(t, x)).map((x) => enrollmentLine(t, x));
      // A platform whose devices take configuration from Intune, with no configuration profile of it in the folder while
      // the folder keeps layer 5 (or a workload at Pilot Intune): the tenant model's answer, the one the configuration
      // checks read (`configurationKept`). Asked of the platforms those checks are about.
      const noProfile = t.manifest ? all.filter((x) => CONFIGURED_PLATFORMS.includes(x)).flatMap((x) => noProfileLine(t, x) ?? []) : [];
      lines.push(...noProfile);
      // Attack surface reduction rules that every assigned profile sets to Audit (or Off) for the devices a security
      // baseline reaches, whose template defaults may block: `asr-rules-not-configured`'s answer (information), not
      // known to be met, so the layer is not complete.
      const asr = all.includes('windows') && t.manifest ? protectionIn(t, ASR_RULES) : undefined;
      const beside = asr?.state === 'unknown' ? asr.besideBaselines : undefined;
      const parts = ['Enrolled devices (layer 2)', ...(noProfile.length ? ['configuration profiles'] : []), ...(beside ? ['attack surface reduction rules'] : [])];
      const title = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]!;
      if (!beside) return { title, lines };
      const { profiles, baselines } = beside;
      lines.push({
        label: 'Windows attack surface reduction rules',
        ok: true,
        unknown: true,
        detail: `unknown: every rule ${names(profiles)} ${profiles.length > 1 ? 'set' : 'sets'} is Audit or Off; whether ${names(baselines)} (a security baseline) enforces them is unknown`,
      });
      return { title, lines };
    }
    case 4: {
      // The platforms where an active policy requires a compliant device (an Android asked only for app protection
      // needs no compliance policy); all of them while none does.
      const required = platforms ? all : all.filter((p) => modelOf(t).compliantDeviceRequiredBy(p).length);
      return { title: 'Compliance policies (layer 3)', lines: (required.length ? required : all).map((p) => complianceLine(t, p)) };
    }
    case 6: {
      const connectors = policiesOfKind(t, 'DefenderConnector');
      const defender = modelOf(t).defender;
      const lines = all.filter((x) => x !== 'linux').map((p): PrereqLine => {
        const on = connectors.filter((c) => c.platforms.includes(p));
        // The model's reading of each connector's `id`: another Mobile Threat Defense partner's connector sends the
        // platform's risk, but not Defender for Endpoint's own risk score, which a compliance policy may require.
        const partners = on.filter((c) => defender.partnerOf(c) === 'partner');
        const own = on.filter((c) => !partners.includes(c));
        const detail = [names(own), ...partners.map((c) => `${c.name ?? '?'} (another Mobile Threat Defense partner's)`)].filter(Boolean).join(', ');
        if (on.length && !own.length) {
          const needing = modelOf(t).compliancePolicies(p).flatMap((c) => defenderOnlyLevels(c).map((l) => `${c.name ?? '?'} (\`${l}\`)`));
          if (needing.length) return { label: `${PLATFORM_LABELS[p]} connector`, ok: false, detail: `${needing.join(', ')} requires Defender for Endpoint's own risk score, but only ${detail} enables ${PLATFORM_LABELS[p]}` };
        }
        if (!on.length) {
          // Devices onboarded without the licence for device risk (Endpoint DLP's onboarding under Microsoft 365 E5
          // Compliance): no connector is theirs to enable until Defender for Endpoint Plan 2 is (the licence and the
          // onboarding are the answers the layer's licence column and `defender.onboarding` give).
          const licence = layerLicensed(t, 6);
          const o = !licence.licensed && !licence.unknown ? defender.onboarding(p) : undefined;
          if (o?.onboarded) {
            const by = [names([...o.profiles, ...o.connectors]), ...o.others.map((x) => x.name)].filter(Boolean).join(', ');
            const dlp = policiesOfKind(t, 'EndpointDlpPolicy').length ? ' for Endpoint DLP' : '';
            return {
              label: `${PLATFORM_LABELS[p]} connector`,
              ok: false,
              detail: `the devices are onboarded${dlp}${by ? ` (${by})` : ''}, but device risk needs Microsoft Defender for Endpoint Plan 2 (${licence.hint.split(', ').slice(0, 2).join(', ')} or another licence that includes it), which no licence the manifest lists includes, before a Defender connector can send it`,
            };
          }
        }
        // A file not analysed may hold the connector that enables the platform: unknown, not missing.
        const hiding = on.length ? [] : modelOf(t).hiding('DefenderConnector').map((f) => f.path);
        if (hiding.length) return { label: `${PLATFORM_LABELS[p]} connector`, ok: true, unknown: true, hiding, detail: `unknown: ${hiding.map((f) => `\`${basename(f)}\``).join(', ')} ${hiding.length > 1 ? 'are' : 'is'} not analysed (a file that could not be read, or a Graph list) and may hold a Defender connector that enables ${PLATFORM_LABELS[p]}` };
        return { label: `${PLATFORM_LABELS[p]} connector`, ok: on.length > 0, detail: on.length ? detail : 'not enabled in a Defender connector' };
      });
      // Onboarding and the baselines are asked only of the platforms in use (the model's: the manifest's, else those its
      // policies manage), as layer 7 reads them: a tenant with no Windows has no Windows device to onboard or harden
      // (the onboarding and baseline rules are silent there too). Intune onboards Windows (EDR policy) and macOS (the
      // onboarding package in a custom profile); Linux is onboarded outside Intune (scripts, Puppet, Ansible), so it has
      // no line. Source: https://learn.microsoft.com/intune/intune-service/protect/advanced-threat-protection-configure
      // With no platform known at all, the Windows lines are shown, as before.
      const onboarded = onboardingPlatforms(t, all);
      const model = modelOf(t);
      for (const p of onboarded) {
        // The Defender model's answer, the one the DLP, onboarding and baseline rules read.
        const onboarding = model.defender.onboarding(p);
        const sources = [names(onboarding.profiles), ...onboarding.others.map((o) => o.name)].filter(Boolean);
        // A file not analysed (a Graph list of profiles, a file that could not be read) may hold the onboarding profile:
        // unknown, as the onboarding rules read it (`mayHide`).
        const hidden = !onboarding.onboarded && !onboarding.unknownWhy && model.mayHide('ConfigurationProfile');
        const label = `${PLATFORM_LABELS[p]} onboarding`;
        lines.push(
          onboarding.unknownWhy
            ? { label, ok: true, unknown: true, ...onboardingHiding(onboarding), detail: `unknown: ${onboarding.unknownWhy}` }
            : hidden
              ? { label, ok: true, unknown: true, hiding: hidingProfiles(t), detail: `unknown: ${hiddenOnboarding(t)}` }
              : { label, ok: onboarding.onboarded, detail: onboarding.onboarded ? onboardedDetail(onboarding, sources) : onboarding.gaps.join(' and ') },
        );
      }
      // Security settings management delivers no security baseline (https://learn.microsoft.com/defender-endpoint/mde-security-integration):
      // where it alone manages the Windows devices, the baselines are not theirs to ask.
      if (!onboarded.includes('windows') || !enrolls(t, 'windows')) return { title: 'Defender for Endpoint (layer 6)', lines };
      // The Windows and Defender for Endpoint baselines the layer asks for, as `defender-baselines-missing` reads them
      // (the tenant model's one answer: an Edge or Microsoft 365 Apps baseline is not one; an intent of a template not
      // known here, or a file that could not be read, may be one). Both are Windows baselines.
      const wanted = DEFENDER_LAYER_BASELINES.map((b) => ({ ...b, presence: model.baselines.presence(b.baseline) }));
      const missing = wanted.filter((b) => b.presence !== 'yes');
      const found = wanted.flatMap((b) => model.baselines.files(b.baseline).map(fileName)).join(', ');
      // Security baselines are settings catalog policies, which the Device configuration workload governs: where the
      // manifest places it with Configuration Manager, the baselines' job is done there (the model's one answer, which
      // layer 5 and `defender-baselines-missing` read).
      const dc = model.configMgrWorkload('windows', 'deviceConfiguration');
      if (missing.length && dc?.state === 'configurationManager') lines.push({ label: 'Security baselines', ok: true, declared: true, detail: 'by Configuration Manager (declared)' });
      else if (!missing.length) lines.push({ label: 'Security baselines', ok: true, detail: found });
      else if (model.mayHide('ConfigurationProfile') || missing.every((b) => b.presence === 'unknown')) lines.push({ label: 'Security baselines', ok: true, unknown: true, ...(model.mayHide('ConfigurationProfile') ? { hiding: hidingProfiles(t) } : {}), detail: baselinesUnknown(t, missing.map((b) => b.name), missing.every((b) => b.presence === 'unknown')) });
      else lines.push({ label: 'Security baselines', ok: false, detail: `no ${missing.filter((b) => b.presence === 'no').map((b) => b.name).join(' and no ')}` });
      return { title: 'Defender for Endpoint (layer 6)', lines };
    }
    case 7: {
      const defender = modelOf(t).defender;
      // Endpoint DLP runs on onboarded Windows and macOS devices: those of the tenant's platforms (the model's: the
      // manifest's, else those its policies manage), as `dlp-requires-defender-onboarding` reads them. A tenant with
      // no Macs has no Mac to onboard, whatever platforms a DLP policy's hover asks about; with neither platform in use,
      // both lines are shown. Source: https://learn.microsoft.com/purview/endpoint-dlp-getting-started
      const tenant = tenantPlatforms(t);
      const inUse = DLP_PLATFORMS.filter((p) => all.includes(p) && tenant.includes(p));
      const lines = (inUse.length ? inUse : DLP_PLATFORMS).map((p): PrereqLine => {
        const o = defender.onboarding(p);
        if (o.unknownWhy) return { label: `${PLATFORM_LABELS[p]} onboarded to Defender`, ok: true, unknown: true, ...onboardingHiding(o), detail: `unknown: ${o.unknownWhy}` };
        if (!o.onboarded && modelOf(t).mayHide('ConfigurationProfile')) return { label: `${PLATFORM_LABELS[p]} onboarded to Defender`, ok: true, unknown: true, hiding: hidingProfiles(t), detail: `unknown: ${hiddenOnboarding(t)}` };
        const line: PrereqLine = { label: `${PLATFORM_LABELS[p]} onboarded to Defender`, ok: o.onboarded, detail: o.onboarded ? onboardedDetail(o, [names([...o.profiles, ...o.connectors]), ...o.others.map((x) => x.name)].filter(Boolean)) : o.gaps.join(' and ') };
        return o.onboarded ? dlpReachLine(t, p, line) : line;
      });
      // Endpoint DLP also needs real-time protection and behavior monitoring on its devices
      // (https://learn.microsoft.com/purview/device-onboarding-overview): a profile that turns either off leaves those
      // devices unprotected where it reaches the devices a DLP policy protects (the model's answer, `dlpProtectionsOff`,
      // which `defender-protection-off`'s note reads). Read per policy, never tenant-wide: a profile for other devices
      // is no gap, and one whose overlap with the policy's devices the files do not show is read as leaving them on
      // (as `setting-conflict` reads an unknown overlap), named in the line's detail but not holding the layer back.
      const windows = (inUse.length ? inUse : DLP_PLATFORMS).includes('windows');
      const off = windows ? defender.protectionsOffFor('windows').filter((x) => x.protection.dlp) : [];
      if (!off.length) return { title: 'Devices onboarded to Defender (layer 6)', lines };
      lines.push(dlpProtectionsLine(t, off));
      return { title: 'Devices onboarded to Defender (layer 6), with Defender Antivirus protections on (layer 5)', lines };
    }
    default:
      return { title: '', lines: [] };
  }
}

/**
 * A platform's onboarding line against the devices the Endpoint DLP policies protect (`dlpPoliciesToProtect`), from
 * the Defender model's one answer (`dlpOnboarding`, which `dlp-requires-defender-onboarding` reads): unmet where the
 * onboarding certainly leaves some of a policy's devices out (an onboarding profile for a pilot group beside a policy
 * for all devices), naming the onboarding files, whom each is assigned to, and the devices left out; unknown where a
 * file not analysed may hold more onboarding; met otherwise, saying where the files do not show whether it reaches
 * them (read as reaching them, never an alarm, as the rule reads it).
 */
function dlpReachLine(t: TenantView, platform: Platform, line: PrereqLine): PrereqLine {
  const defender = modelOf(t).defender;
  const read = dlpPoliciesToProtect(policiesOfKind(t, 'EndpointDlpPolicy')).map((d) => ({ d, x: defender.dlpOnboarding(d).platforms.find((x) => x.platform === platform)! }));
  const policy = (d: PolicyFacts): string => `${d.name ?? d.path} ${d.spec?.mode === 'Disable' ? 'will protect once turned on' : 'protects'}`;
  const partly = read.filter(({ x }) => x.state === 'partly');
  if (partly.length) {
    const by = partly[0]!.x.sources!.map((s) => `${s.name} (assigned to ${s.assigned})`).join(', ').replace(/`/g, '');
    const left = partly.map(({ d, x }) => `of those ${policy(d)}, ${x.left!.replace(/`/g, '')} are not onboarded`).join('; ');
    const detail = `${by} ${partly[0]!.x.sources!.length > 1 ? 'onboard' : 'onboards'} only some of the devices Endpoint DLP protects: ${left}`;
    if (modelOf(t).mayHide('ConfigurationProfile')) return { ...line, ok: true, unknown: true, hiding: hidingProfiles(t), detail: `unknown: ${hiddenOnboarding(t)} (in the files read: ${detail})` };
    return { ...line, ok: false, detail };
  }
  const maybe = read.filter(({ x }) => x.state === 'unknown' && x.sources).map(({ d }) => d.name ?? d.path);
  if (!maybe.length) return line;
  return { ...line, detail: `${line.detail}; whether it reaches every device ${maybe.join(' and ')} ${maybe.length > 1 ? 'protect' : 'protects'} the files do not show (list the groups' members in the manifest to tell)` };
}

const DLP_PROTECTIONS_LABEL = 'Windows real-time protection and behavior monitoring';

/** A protection's name in a line ("real-time protection"). */
const protectionName = (x: ProtectionOff): string => x.protection.label.replace('Microsoft Defender Antivirus ', '');

/** "av turns real-time protection and behavior monitoring off", per profile. */
function turnsOff(offs: readonly ProtectionOff[], also: (profile: PolicyFacts) => string = () => ''): string {
  const byProfile = new Map<PolicyFacts, string[]>();
  for (const x of offs) byProfile.set(x.profile, [...(byProfile.get(x.profile) ?? []), protectionName(x)]);
  return [...byProfile].map(([profile, what]) => `${profile.name ?? profile.path} turns ${[...new Set(what)].join(' and ')} off${also(profile)}`).join('; ');
}

/**
 * Layer 7's line for the protections Endpoint DLP needs, from the tenant model's one answer (`dlpProtectionsOff`, per
 * Endpoint DLP policy and profile): unmet where a profile's Off certainly applies on a policy's devices; met, naming the
 * profiles, where they reach other devices, are in conflict with an On wherever they meet the policy's devices, or may
 * reach them (overlap not shown: read as on, never an alarm); with no Endpoint DLP policy yet, which devices it will
 * protect is not written, and the line names the profiles without holding anything back.
 */
function dlpProtectionsLine(t: TenantView, off: readonly ProtectionOff[]): PrereqLine {
  const defender = modelOf(t).defender;
  const dlp = dlpPoliciesToProtect(policiesOfKind(t, 'EndpointDlpPolicy'));
  const need = '(Endpoint DLP needs both on its devices)';
  if (!dlp.length) return { label: DLP_PROTECTIONS_LABEL, ok: true, detail: `no Endpoint DLP policy says yet which devices it protects: ${turnsOff(off)} for the devices it is assigned to; keep those out of the policy's ${need}` };
  const read = dlp.flatMap((d) => defender.dlpProtectionsOff(d));
  const certain = read.filter((x) => x.state === 'certain');
  if (certain.length) {
    const on = (profile: PolicyFacts): string => {
      const where = certain.filter((x) => x.profile === profile);
      const policies = [...new Set(where.map((x) => x.dlp))];
      return ` on devices ${policies.map((d) => `${d.name ?? d.path} ${d.spec?.mode === 'Disable' ? 'will protect once turned on' : 'protects'} (${where.find((x) => x.dlp === d)!.shared!.replace(/`/g, '')})`).join(' and ')}`;
    };
    return { label: DLP_PROTECTIONS_LABEL, ok: false, detail: `${turnsOff(certain, on)} ${need}` };
  }
  const notes = [...new Set(off.map((x) => x.profile))].map((profile) => {
    const of = read.filter((x) => x.profile === profile);
    const turns = turnsOff(off.filter((x) => x.profile === profile));
    const maybe = [...new Set(of.filter((x) => x.state === 'unknown').map((x) => x.dlp.name ?? x.dlp.path))];
    if (maybe.length) return `${turns} for devices that may be ${maybe.join(' and ')}'s, which the files do not show (list the groups' members in the manifest to tell), so it is read as on there`;
    const conflicts = [...new Set(of.flatMap((x) => x.conflicts ?? []))];
    if (conflicts.length) return `${turns}, but ${conflicts.map((c) => c.name ?? c.path).join(', ')} ${conflicts.length > 1 ? 'turn' : 'turns'} it on wherever they meet the Endpoint DLP policies' devices, a conflict Intune applies on neither side, so it stays on there`;
    return `${turns} only for devices no Endpoint DLP policy protects`;
  });
  return { label: DLP_PROTECTIONS_LABEL, ok: true, detail: `on for the Endpoint DLP policies' devices as far as the files show: ${notes.join('; ')}` };
}

/**
 * The platforms whose onboarding layer 6 asks about: Windows and macOS where in use (of `all`, and the tenant's); with
 * no platform known at all, Windows.
 */
function onboardingPlatforms(t: TenantView, all: Platform[]): Platform[] {
  const tenant = tenantPlatforms(t);
  const inUse = DLP_PLATFORMS.filter((p) => all.includes(p) && tenant.includes(p));
  return inUse.length || tenant.length ? inUse : ['windows'];
}

/**
 * What the manifest declares in place of a layer's files: layer 6's onboarding outside Intune, per platform in use
 * ("Windows onboarded outside Intune (declared)"). It shows beside the layer's policies, and starts the layer.
 */
function declaredOfLayer(t: TenantView, layer: number): string[] {
  if (layer === 3 || layer === 5) return coManagedOfLayer(t, layer);
  if (layer !== 6) return [];
  const defender = modelOf(t).defender;
  return onboardingPlatforms(t, tenantPlatforms(t)).flatMap((p) => {
    const o = defender.onboarding(p);
    if (o.declared) return [`${PLATFORM_LABELS[p]} ${ONBOARDED_OUTSIDE_INTUNE}`];
    return o.securitySettingsManagement && !o.profiles.length && !o.others.length ? [`${PLATFORM_LABELS[p]} ${ONBOARDED_BY_SSM}`] : [];
  });
}

/**
 * What the manifest places with Configuration Manager under co-management, as the tenant model reads it (Windows
 * alone): layer 3's compliance workload ("Windows compliance evaluated by Configuration Manager (declared)"), layer
 * 5's Endpoint Protection and Device configuration workloads. Each starts its layer, as a policy would: the layer's
 * job is done there outside Intune, which no file here shows. Source: https://learn.microsoft.com/mem/configmgr/comanage/workloads
 */
function coManagedOfLayer(t: TenantView, layer: 3 | 5): string[] {
  if (!tenantPlatforms(t).includes('windows')) return [];
  const model = modelOf(t);
  const by = (w: 'configurationManager' | 'pilotIntune' | undefined): string => (w === 'pilotIntune' ? 'Configuration Manager outside the pilot collection (declared)' : 'Configuration Manager (declared)');
  if (layer === 3) {
    const w = model.configMgrCompliance('windows');
    return w ? [`Windows compliance evaluated by ${by(w)}`] : [];
  }
  const out: string[] = [];
  const ep = model.configMgrWorkload('windows', 'endpointProtection')?.state;
  const dc = model.configMgrWorkload('windows', 'deviceConfiguration')?.state;
  if (ep) out.push(`Windows endpoint protection (BitLocker, attack surface reduction rules) by ${by(ep)}`);
  if (dc) out.push(`Windows device configuration (LAPS, security baseline) by ${by(dc)}`);
  return out;
}

/**
 * What onboards a platform's devices: the manifest's declaration first, then security settings management (with the
 * profiles its devices take), then the files that onboard by Intune.
 */
function onboardedDetail(o: Onboarding, sources: string[]): string {
  const ssm = o.securitySettingsManagement;
  const outside = o.declared ? [ONBOARDED_OUTSIDE_INTUNE] : ssm ? [`${ONBOARDED_BY_SSM} (${names(ssm.profiles)})`] : [];
  return [...outside, ...sources].join(', ');
}

/** How the layer lines and the report's layer 6 row name onboarding the manifest declares (`settings.defenderOnboarding`). */
export const ONBOARDED_OUTSIDE_INTUNE = 'onboarded outside Intune (declared)';

/**
 * How they name onboarding that Defender for Endpoint security settings management shows: its devices were onboarded
 * before it manages them, and not by Intune (https://learn.microsoft.com/defender-endpoint/mde-security-integration).
 */
export const ONBOARDED_BY_SSM = 'onboarded outside Intune: security settings management in use';

/**
 * The files not analysed that leave an onboarding answer unknown (`PrereqLine.hiding`): those that may hold the
 * connector its profiles take the package from, and those that may show Intune enrolls devices security settings
 * management does not onboard.
 */
function onboardingHiding(o: Onboarding): { hiding?: string[] } {
  const hiding = [...(o.connectorHiding ?? []), ...(o.enrollmentHiding ?? [])];
  return hiding.length ? { hiding } : {};
}

/** Why onboarding is unknown when a file not analysed may hold its profile. */
function hiddenOnboarding(t: TenantView): string {
  return notAnalysedText(modelOf(t).hiding('ConfigurationProfile').map(fileName), 'an onboarding profile');
}

/** "Windows ✓ (win-baseline), Android ✗ — no compliance policy" */
export function formatLines(lines: PrereqLine[]): string {
  return lines.map((l) => (l.unknown ? `${l.label} ? (${l.detail})` : l.ok ? `${l.label} ✓ (${l.detail})` : `${l.label} ✗ — ${l.detail}`)).join(', ');
}

/** Whether the tenant's licences cover a layer, and which licences would. */
export function layerLicensed(t: TenantView, layer: number): { licensed: boolean; hint: string; unknown?: true } {
  const have = t.manifest?.licenses ?? [];
  const hint = LICENSES.filter((l) => l.layers.includes(layer)).map((l) => l.name).join(', ');
  // No licence the manifest names (none listed, as `ztp import` writes it, or none the schema takes): unknown, as
  // `license-missing` reads it, never "not licensed".
  if (!have.some((id) => licenseInfo(id))) return { licensed: true, hint, unknown: true };
  const licensed = have.some((id) => licenseInfo(id)?.layers.includes(layer));
  // Not covered by those listed, while a licence the schema refused may cover it: unknown, as `license-missing` reads it.
  if (!licensed && refusedLicences(t.manifest).length) return { licensed: true, hint, unknown: true };
  return { licensed, hint };
}

export interface LayerState {
  layer: number;
  name: string;
  status: 'complete' | 'partial' | 'blocked' | 'notStarted';
  /** Whether the manifest's licences cover the layer; true, with `licenseUnknown`, when the manifest names none. */
  licensed: boolean;
  licenseUnknown?: true;
  licenseHint: string;
  policies: PolicyFacts[];
  /**
   * Raw Graph exports of no kind that the layer's checks read: older template profiles and endpoint security intents
   * (layer 5: BitLocker, ASR, FileVault, the firewall), a profile that onboards devices to Defender (layer 6). They
   * count towards the layer's status, as the checks count them.
   */
  evidence: (PolicyFacts | OtherFacts)[];
  /** What the manifest declares in place of files the layer would otherwise need (see `declaredOfLayer`). */
  declared: string[];
  /**
   * Layer 5's profiles and raw exports that a co-management workload Configuration Manager holds governs, whatever they
   * deliver (the tenant model's `configMgrHolds`, the answer the configuration checks read): they reach no co-managed
   * Windows device, so the reports and the tree list them as held back, and they do not do the layer's job. By path,
   * with the note shown beside the name.
   */
  heldBack: { path: string; note: string }[];
  unmet: Finding[];
  errors: number;
  warnings: number;
  prerequisites: { title: string; lines: PrereqLine[] };
  /**
   * Files not analysed (they could not be read, or are Graph lists) that may hold a policy of the layer's kinds, by
   * name: the layer is then partial, neither complete nor "not started" (a file that cannot be read is not missing).
   */
  hidden: string[];
  /**
   * The paths of every file not analysed that the status rests on: those `hidden` names, and those that leave a
   * prerequisite line unknown (`PrereqLine.hiding`). `ztp diff` reads it to tell a status computed without a file one
   * side could not read from a change.
   */
  hiddenPaths: string[];
  /**
   * Layer 5's settings catalog profiles exported without their settings (the model's `profilesWithoutSettings`, the
   * one answer the configuration checks read to stay silent on them), by name, and how many of them lack their
   * assignments too: what they configure is unknown, so the layer is partial, not complete.
   */
  withoutSettings: string[];
  /**
   * The protections those profiles leave unknown, by name, when each one's template family says which it may hold
   * (`template-families.ts`: a disk encryption profile, BitLocker); undefined while one may hold anything.
   */
  withoutSettingsUnknown?: string[];
  withoutAssignments: number;
  /**
   * Layer 5's profiles written under `kind: ConfigurationProfile`, which does not hold them (the model's
   * `profilesWithoutSettings` with `writtenAs`: a template or custom profile, an intent), by name with their Graph type:
   * not read, so what they configure is unknown and the layer partial. `onboarding`: the platform whose Defender
   * onboarding one carries, and `onboardingUnknown` where the Defender model leaves that platform's onboarding unknown
   * for it (layer 6's "?").
   */
  misfiled: { name: string; type: string; onboarding?: Platform; onboardingUnknown?: true }[];
  /**
   * The layer's policies, by name, when every one of them is assigned to nobody (the model's `assignedToNobody`: an app
   * protection policy, an Autopilot profile, a restriction other than the default, a compliance policy or a profile
   * whose file declares assignments that include no one) and nothing else does the layer's job: they apply to no one,
   * so the layer is partial, never complete, whatever the severity of the rules that report them. Empty otherwise.
   */
  assignedToNobody: string[];
  /**
   * Why the layer's policies do not do its job yet: every Endpoint DLP policy in simulation mode (`dlp-simulation-only`);
   * no enabled Conditional Access policy requiring a compliant device (layer 4), or app protection (layer 1, when the
   * tenant has such a policy but none is enforced). The layer is then partial, not complete.
   */
  notEnforced?: string;
  /** What blocks the layer, when it is blocked: each layer rule's error, as "rule on policy". */
  blockedBy: string[];
  /**
   * The layer's policies that need a licence the manifest does not list (`license-missing` errors), by name, while other
   * policies doing the layer's job are licensed and in force (`jobDoneBy`): the layer is then partial, not blocked.
   */
  unlicensed: string[];
  /**
   * With `unlicensed`: the licensed policies in force that do the layer's job meanwhile, by name (`layerJobDoneBy`: for
   * layer 4 the enabled policies requiring a compliant device, for layer 1 app protection).
   */
  jobDoneBy: string[];
  /**
   * Why the layer has this status, in one sentence (undefined when complete or not started): what blocks it, what is
   * not enforced, unknown, unlicensed or unmet, the findings that remain. The one answer the Markdown and HTML reports
   * and the layer tree's tooltip show.
   */
  reason?: string;
}

/** The rule whose error says a policy needs a licence the manifest does not list. */
const LICENCE_RULE = 'license-missing';

/**
 * What each status means, for the reports' legend and the tree's tooltip (README "Layer progress" says the same).
 * Blocked is kept for a layer that cannot do its job as written; one unlicensed policy beside another that does the
 * layer's job (`layerJobDoneBy`), licensed and in force, leaves the layer partial.
 */
export const STATUS_MEANINGS: Record<LayerState['status'], string> = {
  complete: 'the layer has policies, every prerequisite line is known to be met (the facts it needs declared, no file left unread, no profile exported without its settings), they are enforced, and no finding remains (none accepted with `# ztp-ignore` either)',
  partial:
    'the layer has started but is not done: a finding remains (one accepted with `# ztp-ignore` too: the comment accepts it, it does not close it), a prerequisite line is unmet or unknown, a file not analysed may hold its policies, a profile was exported without its settings, its policies are all assigned to nobody or not enforced yet (report-only, simulation), or one of them needs a licence the manifest does not list while it does not do the layer\'s job (layer 4: requires a compliant device; layer 1: app protection) or another that does is licensed and in force',
  blocked:
    'a layer check reports an error that stops the layer doing its job as written, accepted with `# ztp-ignore` or not (a prerequisite of an earlier layer is missing, a policy would lock out the break-glass accounts), or a policy that would do the layer\'s job needs a licence the manifest does not list and no policy doing it is both licensed and in force',
  notStarted: 'the tenant has no policy of this layer',
};

/**
 * Each layer's state. Blocked: a layer rule reports an error on one of the layer's policies (a missing
 * prerequisite). Partial: policies exist but some prerequisite line is unmet, or findings remain. Not started: no
 * policies. Complete otherwise.
 *
 * A finding a `# ztp-ignore` comment accepted (`accepted`) counts for the status as the finding it is: the comment
 * accepts the gap, it does not close it (Macs with no compliance policy are blocked whatever the comment says), so a
 * layer an accepted error blocks stays blocked, and its reason says the error was accepted. The counts of errors and
 * warnings are those `ztp check` reports (the accepted ones are the report's "Accepted findings").
 */
export function layerStates(t: TenantView, findings: Finding[], ruleOf: RuleLookup, accepted: readonly AcceptedFinding[] = []): LayerState[] {
  const acceptedSet = new Set(accepted.map((a) => a.finding));
  const counted = acceptedSet.size ? [...findings, ...acceptedSet] : findings;
  return LAYERS.map((def) => {
    const ofLayer = t.policies.filter((p) => p.layer === def.layer && p.kind);
    const policies = ofLayer.filter((p) => !notARestriction(p));
    const evidence = layerEvidence(t, def.layer);
    const declared = declaredOfLayer(t, def.layer);
    const heldBack = def.layer === 5 ? heldBackOfLayer(t, [...policies, ...evidence]) : [];
    // Every finding of the layer counts, whatever file it is on: a layer 6 finding on a compliance policy
    // (`device-risk-requires-defender`) is layer 6's, and the findings on a file that is no progress (the schema's, on
    // an ESP written as a restriction) still count.
    const onLayer = counted.filter((f) => f.layer === def.layer);
    const reported = onLayer.filter((f) => !acceptedSet.has(f));
    const unmet = reported.filter((f) => ruleOf(f.ruleId)?.category === 'layer');
    const errors = reported.filter((f) => f.severity === 'error').length;
    const warnings = reported.filter((f) => f.severity === 'warning').length;
    const acceptedGaps = onLayer.some((f) => acceptedSet.has(f) && (f.severity === 'error' || f.severity === 'warning'));
    const prerequisites = prerequisiteLines(t, def.layer);
    const { licensed, hint, unknown: licenseUnknown } = layerLicensed(t, def.layer);
    // A file not analysed that may hold one of the layer's policies, or a prerequisite's: the layer is not known to be
    // complete (nor, with nothing read, not started).
    const hiddenFiles = hiddenOfLayer(t, def.layer);
    const hidden = hiddenFiles.map(fileName);
    // Every file not analysed the status rests on, by path: the layer's own kinds' and its prerequisite lines'.
    const hiddenPaths = [...new Set([...hiddenFiles.map((f) => f.path), ...prerequisites.lines.flatMap((l) => (holdsBack(l) ? (l.hiding ?? []) : []))])];
    const unread = def.layer === 5 ? modelOf(t).profilesWithoutSettings() : [];
    // A file written under a kind that does not hold it is not read at all: said as what it is, apart from the profiles
    // exported without their settings.
    const unexported = unread.filter((u) => !u.writtenAs);
    const misfiled = unread.flatMap((u) => (u.writtenAs ? [misfiledEntry(t, u.profile, u.writtenAs)] : []));
    const withoutSettings = unexported.map((u) => u.profile.name ?? fileName(u.profile));
    const withoutAssignments = unexported.filter((u) => assignmentDeclaration(u.profile) === 'undeclared').length;
    // What they leave unknown: anything, while one may hold anything; else only the protections their families hold.
    const withoutSettingsUnknown = unexported.some((u) => u.any) ? undefined : [...new Set(unexported.flatMap((u) => u.holds))].map((id) => PROTECTIONS[id].name);
    // A policy assigned to nobody applies to no one: listed with the layer's policies, it is no progress by itself.
    const unassigned = policies.filter(assignedToNobody);
    const idle = unassigned.length > 0 && unassigned.length === policies.length && !evidence.length && !declared.length ? unassigned.map((p) => p.name ?? fileName(p)) : [];
    const dlp = def.layer === 7 ? policies.filter((p) => p.kind === 'EndpointDlpPolicy') : [];
    const notEnforced =
      dlp.length && dlp.every((p) => dlpSimulationMode(p))
        ? `every Endpoint DLP policy is in simulation mode (${names(dlp)}), which blocks nothing`
        : def.layer === 4
          ? compliantDeviceNotRequired(t, policies)
          : def.layer === 1
            ? appProtectionNotRequired(t)
            : undefined;
    // A policy that needs a licence the manifest does not list blocks the layer only when no policy doing the layer's
    // job (`layerJobDoneBy`) is licensed and in force: one risk-based Conditional Access policy without Entra ID P2
    // leaves layer 4's enabled compliant-device policy doing its job (partial), while a compliant-device policy without
    // Intune blocks layer 4 whatever MFA policy is enabled beside it. A policy filed under another layer (a layer 4
    // policy that also asks for app protection) is licensed only if no licence error is on its file.
    const layerErrors = onLayer.filter((f) => ruleOf(f.ruleId)?.category === 'layer' && f.severity === 'error');
    const licenceErrors = layerErrors.filter((f) => f.ruleId === LICENCE_RULE);
    const unlicensedFiles = new Set(counted.filter((f) => f.ruleId === LICENCE_RULE && f.severity === 'error').map((f) => f.file));
    const held = new Set(heldBack.map((h) => h.path));
    const doneBy = licenceErrors.length ? layerJobDoneBy(t, def.layer, policies, evidence).filter((p) => !unlicensedFiles.has(p.path) && !held.has(p.path)) : [];
    // A licence error blocks only on a policy that would do the layer's job (`layerJobCandidates`, in any state): a
    // risk policy without Entra ID P2 in a layer 4 whose compliant-device requirement is not written yet leaves it
    // partial (the missing requirement says so), where the compliant-device policy without Intune blocks it.
    const candidates = licenceErrors.length && !doneBy.length ? new Set(layerJobCandidates(t, def.layer, policies, evidence).map((p) => p.path)) : new Set<string>();
    const blocking = layerErrors.filter((f) => f.ruleId !== LICENCE_RULE || candidates.has(f.file));
    let status: LayerState['status'];
    if (!policies.length && !evidence.length && !declared.length) status = blocking.length ? 'blocked' : hidden.length ? 'partial' : 'notStarted';
    else if (blocking.length) status = 'blocked';
    else if (errors || warnings || acceptedGaps || hidden.length || withoutSettings.length || misfiled.length || idle.length || notEnforced || prerequisites.lines.some(holdsBack)) status = 'partial';
    else status = 'complete';
    const place = (f: Finding): string => `${findingPlace(t, f)}${acceptedSet.has(f) ? ' (accepted with ztp-ignore)' : ''}`;
    const blockedBy = status === 'blocked' ? blocking.map((f) => `${f.ruleId} on ${place(f)}`) : [];
    const unlicensed = status === 'partial' ? [...new Set(licenceErrors.map(place))] : [];
    const jobDoneBy = unlicensed.length ? [...new Set(doneBy.map((p) => (p.type === 'policy' && p.name ? p.name : evidenceName(p))))] : [];
    const state: LayerState = { layer: def.layer, name: def.name, status, licensed, ...(licenseUnknown ? { licenseUnknown } : {}), ...(notEnforced ? { notEnforced } : {}), licenseHint: hint, policies, evidence, declared, heldBack, unmet, errors, warnings, prerequisites, hidden, hiddenPaths, withoutSettings, ...(withoutSettingsUnknown ? { withoutSettingsUnknown } : {}), withoutAssignments, misfiled, assignedToNobody: idle, blockedBy, unlicensed, jobDoneBy };
    const reason = statusReason(state, onLayer, place);
    return reason ? { ...state, reason } : state;
  });
}

/**
 * Whether a policy of a layer takes effect: a Conditional Access policy that is `enabled` and applies to some sign-in,
 * an Endpoint DLP policy that is neither off nor in simulation; an Intune policy or a raw export has no such switch.
 */
function inForce(p: PolicyFacts | OtherFacts): boolean {
  if (p.type !== 'policy') return true;
  if (p.kind === 'ConditionalAccessPolicy') return p.spec?.state === 'enabled' && !appliesToNoSignIn(p);
  if (p.kind === 'EndpointDlpPolicy') return p.spec?.mode !== 'Disable' && !dlpSimulationMode(p);
  return true;
}

/** The platforms a layer's status asks about: the tenant's (the manifest's, else those its policies manage), else all. */
function statusPlatforms(t: TenantView): Platform[] {
  const platforms = tenantPlatforms(t);
  return platforms.length ? platforms : PLATFORMS;
}

/**
 * The policies that would do the layer's job were they licensed and in force: layer 1's app protection policies and the
 * Conditional Access policies asking for app protection (the model's `appProtectionAskedBy`), layer 4's Conditional
 * Access policies requiring a compliant device, in any state; every other layer's policies and evidence.
 */
function layerJobCandidates(t: TenantView, layer: number, policies: PolicyFacts[], evidence: (PolicyFacts | OtherFacts)[]): (PolicyFacts | OtherFacts)[] {
  if (layer === 1) return [...policies.filter((p) => p.kind === 'AppProtectionPolicy'), ...modelOf(t).appProtectionAskedBy()];
  if (layer === 4) return t.policies.filter((p) => p.kind === 'ConditionalAccessPolicy' && grantControlNames(p).includes('compliantDevice') && !externalUsersOnly(p));
  return [...policies, ...evidence];
}

/**
 * The policies that do a layer's job, the one place that says so for each layer (`layerStates` reads it: a policy
 * that needs a licence the manifest does not list blocks the layer unless one of these, licensed, is in force):
 * - layer 1: its app protection policies (they apply in the apps, with no switch), and the enabled Conditional Access
 *   policies that require app protection on the tenant's platforms (the model's `appProtectionRequiredBy`, whichever
 *   layer they are filed under);
 * - layer 4: the enabled Conditional Access policies that require a compliant device on the tenant's platforms (the
 *   model's `compliantDeviceRequiredBy`); an MFA, block or risk policy is progress, but not the layer's job;
 * - the other layers: their own policies and raw exports (enrollment restrictions and Autopilot profiles, compliance
 *   policies, configuration profiles, Defender connectors and onboarding profiles, Endpoint DLP policies) that are in
 *   force (`inForce`: a DLP policy off or in simulation does nothing).
 */
function layerJobDoneBy(t: TenantView, layer: number, policies: PolicyFacts[], evidence: (PolicyFacts | OtherFacts)[]): (PolicyFacts | OtherFacts)[] {
  const model = modelOf(t);
  const platforms = statusPlatforms(t);
  const byModel = (ask: (p: Platform) => PolicyFacts[]): PolicyFacts[] => [...new Set(platforms.flatMap(ask))];
  // A policy assigned to nobody does no layer's job (`assignedToNobody`).
  if (layer === 1) return [...policies.filter((p) => p.kind === 'AppProtectionPolicy' && !assignedToNobody(p)), ...byModel((p) => model.appProtectionRequiredBy(p))];
  if (layer === 4) return byModel((p) => model.compliantDeviceRequiredBy(p));
  return [...policies, ...evidence].filter((p) => inForce(p) && !(p.type === 'policy' && assignedToNobody(p)));
}

/**
 * Why layer 1 does not enforce app protection at sign-in, while it has Conditional Access policies that ask for it:
 * those are report-only or off, or ask only for the retired approved client app, and no enabled policy requires an app
 * protection policy (the model's `appProtectionRequiredBy`). The seed has the identity team create that policy after the
 * app protection policies ("Conditional Access policy requiring approved apps"); Entra's own templates start it
 * report-only until its impact is known, then switch it on
 * (https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-approved-app-or-app-protection):
 * report-only is the rollout, not its end, so the layer is partial. A tenant with app protection policies and no such
 * Conditional Access policy at all is not held back here (the protection applies in the apps themselves).
 */
function appProtectionNotRequired(t: TenantView): string | undefined {
  const model = modelOf(t);
  // Every Conditional Access policy asking for app protection, whichever layer it is filed under: a
  // `compliantDevice OR compliantApplication` policy is layer 4's, yet asks for app protection too (the model's answer).
  const requiring = model.appProtectionAskedBy();
  if (!requiring.length) return undefined;
  const platforms = tenantPlatforms(t);
  if (statusPlatforms(t).some((p) => model.appProtectionRequiredBy(p).length)) return undefined;
  const waiting = requiring.filter((p) => p.spec?.state === 'enabledForReportingButNotEnforced' || p.spec?.state === 'disabled');
  const retired = requiring.filter((p) => p.spec?.state === 'enabled' && !grantControlNames(p).includes('compliantApplication'));
  const elsewhere = requiring.filter((p) => p.spec?.state === 'enabled' && grantControlNames(p).includes('compliantApplication'));
  const parts: string[] = [];
  if (waiting.length) parts.push(`${names(waiting)} ${waiting.length > 1 ? 'are' : 'is'} report-only or off`);
  if (retired.length) parts.push(`${names(retired)} ${retired.length > 1 ? 'ask' : 'asks'} only for the approved client app, retired in ${RETIRED_GRANTS.approvedApplication!.retired} and no longer enforced`);
  if (elsewhere.length) parts.push(`${names(elsewhere)} ${elsewhere.length > 1 ? 'require' : 'requires'} it ${platforms.length ? `on none of the tenant's platforms (${platforms.join(', ')})` : 'on no platform'}`);
  return `no enabled Conditional Access policy requires app protection yet${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

/**
 * Why layer 4 requires no compliant device yet, while it has Conditional Access policies: none asks for one, or those
 * that do are report-only or off (the model's `compliantDeviceRequiredBy`, the one the prerequisite lines read). Its
 * policies then require MFA or block, which is progress, but not the layer's: it is partial, not complete.
 */
function compliantDeviceNotRequired(t: TenantView, policies: PolicyFacts[]): string | undefined {
  const ca = policies.filter((p) => p.kind === 'ConditionalAccessPolicy');
  if (!ca.length) return undefined;
  const model = modelOf(t);
  const platforms = tenantPlatforms(t);
  if (statusPlatforms(t).some((p) => model.compliantDeviceRequiredBy(p).length)) return undefined;
  const requiring = ca.filter((p) => grantControlNames(p).includes('compliantDevice') && !appliesToNoSignIn(p));
  const waiting = requiring.filter((p) => (p.spec?.state === 'enabledForReportingButNotEnforced' || p.spec?.state === 'disabled') && !externalUsersOnly(p));
  if (waiting.length) return `no enabled Conditional Access policy requires a compliant device yet: ${names(waiting)} ${waiting.length > 1 ? 'are' : 'is'} report-only or off`;
  // Enabled for users of other tenants only: their devices are their home tenant's to evaluate (the model leaves them
  // out of `compliantDeviceRequiredBy`), and layer 4 is about this tenant's users' devices.
  const guestsOnly = requiring.filter((p) => p.spec?.state === 'enabled' && externalUsersOnly(p));
  if (guestsOnly.length && guestsOnly.length === requiring.filter((p) => p.spec?.state === 'enabled').length) {
    return `no Conditional Access policy requires a compliant device of this tenant's users: ${names(guestsOnly)} ${guestsOnly.length > 1 ? 'require' : 'requires'} one of users of other tenants only, whose devices their home tenant evaluates`;
  }
  // Enabled, but only on platforms the tenant does not use.
  const elsewhere = requiring.filter((p) => p.spec?.state === 'enabled' && !externalUsersOnly(p));
  if (elsewhere.length) {
    const on = [...new Set(elsewhere.flatMap((p) => p.platforms))];
    const where = platforms.length ? ` on the tenant's platforms (${platforms.join(', ')})` : '';
    return `no Conditional Access policy requires a compliant device${where}: ${names(elsewhere)} ${elsewhere.length > 1 ? 'require' : 'requires'} one ${on.length ? `on ${on.join(', ')} only` : 'on no platform (its platform condition leaves none)'}`;
  }
  // A state the schema refuses (its finding says so): whether it enforces anything is unknown.
  const unknownState = requiring.filter((p) => !['enabled', 'disabled', 'enabledForReportingButNotEnforced'].includes(String(p.spec?.state)));
  if (unknownState.length) return `whether ${names(unknownState)} ${unknownState.length > 1 ? 'require' : 'requires'} a compliant device is unknown: ${unknownState.length > 1 ? 'their' : 'its'} \`state\` is not one Graph takes`;
  return 'no Conditional Access policy requires a compliant device yet';
}

/**
 * The layer's profiles that Configuration Manager holds back (`LayerState.heldBack`): "held back: Configuration Manager
 * holds the Device configuration workload (declared)".
 */
function heldBackOfLayer(t: TenantView, files: readonly (PolicyFacts | OtherFacts)[]): LayerState['heldBack'] {
  const model = modelOf(t);
  return files.flatMap((f) => {
    const held = model.configMgrHolds(f);
    return held ? [{ path: f.path, note: `held back: Configuration Manager holds the ${held.slider === 'deviceConfigurationWorkload' ? 'Device configuration' : 'Endpoint Protection'} workload (declared)` }] : [];
  });
}

/** A layer's policy or raw export as the reports and the tree list it: its name, and why it is held back when it is (`LayerState.heldBack`). */
export function heldBackLabel(s: Pick<LayerState, 'heldBack'>, path: string, name: string): string {
  const held = s.heldBack.find((h) => h.path === path);
  return held ? `${name} (${held.note})` : name;
}

/** Where a finding is, as the reports name it: its policy's name, else the file's name. */
function findingPlace(t: TenantView, f: Finding): string {
  const file = t.files.find((x) => x.path === f.file);
  return file ? fileName(file) : f.file.replace(/^.*[\\/]/, '');
}

/** The files not analysed that may hold a policy of a layer's kinds (the tenant model's `hiding`). */
function hiddenOfLayer(t: TenantView, layer: number): FileFacts[] {
  const model = modelOf(t);
  const files = new Map<string, FileFacts>();
  for (const kind of KIND_NAMES) if (KINDS[kind].layer === layer) for (const f of model.hiding(kind)) files.set(f.path, f);
  return [...files.values()];
}

/**
 * An enrollment status page or Windows Hello for Business configuration written as an `EnrollmentRestriction` (as
 * `ztp import` once wrote them): no restriction, so it is no progress in layer 2 (the enrollment model reads no such
 * restriction, and the schema warns that the kind does not hold the type).
 */
function notARestriction(p: PolicyFacts): boolean {
  if (p.kind !== 'EnrollmentRestriction') return false;
  const type = graphTypeName(p.odataType);
  return type !== undefined && isOtherEnrollmentConfiguration(type);
}

/**
 * The raw exports of no kind that a layer's checks read (see `LayerState.evidence`), read as the configuration checks
 * read them (`foreignDocument`): a policy file of no kind, or a file of no policy at all, such as an intent in the shape
 * Microsoft's powershell-intune-samples export writes (`TemplateId`, `settingsDelta`, no `@odata.type`). What onboards
 * devices to Defender (the older EDR template profile or intent) is layer 6, not configuration.
 */
export function layerEvidence(t: TenantView, layer: number): (PolicyFacts | OtherFacts)[] {
  if (layer !== 5 && layer !== 6) return [];
  return [...t.policies, ...t.others].filter((f) => {
    const foreign = foreignDocument(f);
    if (!foreign) return false;
    const onboarding = isOnboardingEvidence(foreign.type, foreign.doc);
    return layer === 6 ? onboarding : !onboarding && CONFIGURATION_EVIDENCE_TYPES.includes(foreign.type);
  });
}

/** How a report or the tree names a raw export: its display name, else its file name. */
export function evidenceName(p: PolicyFacts | OtherFacts): string {
  const doc = isPlainObject(p.value) ? p.value : {};
  const name = typeof doc.displayName === 'string' ? doc.displayName : typeof doc.name === 'string' ? doc.name : undefined;
  return name ?? p.path.replace(/^.*[\\/]/, '');
}

/** Markdown that explains a layer, with the tenant's live prerequisite status (hover on `kind`, tree tooltips). */
export function layerMarkdown(t: TenantView, layer: number, platforms?: Platform[]): string {
  const def = layerDefinition(layer);
  if (!def) return '';
  const { licensed, unknown } = layerLicensed(t, layer);
  const pre = prerequisiteLines(t, layer, platforms);
  const out = [
    `**Layer ${def.layer} · ${def.name}** — Zero Trust progression`,
    '',
    def.accomplishes,
    '',
    `**Prerequisites:** ${def.prerequisites}`,
    '',
    `**Licences:** ${def.licenses}${t.manifest ? ` — this tenant: ${unknown ? `unknown (${refusedLicences(t.manifest).length ? `the manifest lists ${refusedLicences(t.manifest).map((id) => `\`${id}\``).join(', ')}, which the schema does not take` : 'the manifest lists no licence'})` : licensed ? '✓ licensed' : `✗ not licensed (has ${t.manifest.licenses.join(', ')})`}` : ''}`,
    '',
    `**Coordinate:** ${def.coordinate}`,
  ];
  if (t.manifest && pre.lines.length) out.push('', `**This tenant — ${pre.title}:** ${formatLines(pre.lines)}`);
  out.push('', def.docs.map((d) => `[${d.title}](${d.url})`).join(' · '));
  return out.join('\n');
}

/** A prerequisite line that keeps a layer from complete: unmet, or not known to be met (unless a declaration settles it). */
function holdsBack(l: PrereqLine): boolean {
  return !l.ok || !!l.hidden || (!!l.unknown && !l.declared);
}

export const STATUS_LABELS: Record<LayerState['status'], string> = { complete: '✅ complete', partial: '🟡 partial', blocked: '⛔ blocked', notStarted: '⚪ not started' };

/**
 * Why a layer that has started is not complete, for the reports and the tree (`LayerState.reason` holds it): what blocks
 * it, what is not enforced, unlicensed or unknown, its unmet prerequisite lines ("Devices onboarded to Defender (layer
 * 6): macOS onboarded to Defender ✗ — …"), and the findings that remain (`findings`, the layer's; without them a layer
 * partial only by a warning would not say why).
 */
export function unmetPrerequisitesText(s: LayerState, findings: readonly string[] = []): string | undefined {
  if (s.status === 'complete' || s.status === 'notStarted') return undefined;
  const unmet = s.prerequisites.lines.filter(holdsBack);
  const parts: string[] = [];
  if (s.blockedBy.length) parts.push(`by ${countedList([...new Set(s.blockedBy)], 'an error', 'errors')}`);
  if (s.notEnforced) parts.push(s.notEnforced);
  if (s.unlicensed.length)
    parts.push(
      `${s.unlicensed.join(', ')} ${s.unlicensed.length > 1 ? 'need' : 'needs'} a licence the manifest does not list (${LICENCE_RULE})${s.jobDoneBy.length ? `; ${countedList(s.jobDoneBy, '', '', true)}, licensed and in force, ${s.jobDoneBy.length > 1 ? 'do' : 'does'} the layer's job` : ''}`,
    );
  if (s.hidden.length) parts.push(`unknown: ${notAnalysedText(s.hidden, "this layer's policies")}`);
  if (s.withoutSettings.length) parts.push(withoutSettingsText(s.withoutSettings, s.withoutAssignments, s.withoutSettingsUnknown));
  if (s.misfiled?.length) parts.push(misfiledText(s.misfiled));
  if (s.assignedToNobody?.length) parts.push(`every policy of the layer is assigned to nobody (${countedList(s.assignedToNobody, '', '', true)}), so none applies to anyone`);
  if (unmet.length) parts.push(`${s.prerequisites.title}: ${formatLines(unmet)}`);
  if (findings.length) parts.push(`findings remain: ${countedList(findings, 'one', 'of them', true)}`);
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * Why profiles exported without their settings leave a layer unknown, and what to fetch: "unknown: 7 profiles were
 * exported without their settings nor their assignments (a, b, c and 4 more), so what they configure is not known;
 * export each with `GET …/configurationPolicies/{id}?$expand=settings,assignments` (Learn)".
 */
function withoutSettingsText(names: readonly string[], withoutAssignments: number, protections?: readonly string[]): string {
  const n = names.length;
  const subject = n === 1 ? '1 profile was' : `${n} profiles were`;
  const their = n === 1 ? 'its' : 'their';
  const assignments = !withoutAssignments ? '' : withoutAssignments === n ? ` nor ${their} assignments` : ` (${withoutAssignments} of them without their assignments too)`;
  return `unknown: ${subject} exported without ${their} settings${assignments} (${countedList(names, '', '', true)}), as a \`GET /deviceManagement/configurationPolicies\` list returns them, so ${protections ? `whether ${n === 1 ? 'it turns' : 'they turn'} on ${orList(protections)}` : `what ${n === 1 ? 'it configures' : 'they configure'}`} is not known; export ${n === 1 ? 'it' : 'each'} with ${FETCH_PROFILE_SETTINGS} (${LIST_POLICIES_DOC})`;
}

/** A profile written under a kind that does not hold it, as layer 5's state names it (`LayerState.misfiled`). */
function misfiledEntry(t: TenantView, p: PolicyFacts, writtenAs: { type: string; onboarding?: Platform }): LayerState['misfiled'][number] {
  const { type, onboarding } = writtenAs;
  if (!onboarding) return { name: p.name ?? fileName(p), type };
  // The Defender model's answer for the platform: unknown for this file, or onboarded (or not) by what else it reads.
  const unknown = modelOf(t).defender.onboarding(onboarding).unknown?.some((o) => o.file === p);
  return { name: p.name ?? fileName(p), type, onboarding, ...(unknown ? { onboardingUnknown: true as const } : {}) };
}

/**
 * Why profiles written under a kind that does not hold them leave layer 5 unknown: "unknown: `a` (`#microsoft.graph.
 * macOSCustomConfiguration`) is written under `kind: ConfigurationProfile`, which holds settings catalog profiles only,
 * so it is not read …; it carries the macOS Defender for Endpoint onboarding payload …; keep it as its raw Graph export".
 */
function misfiledText(misfiled: LayerState['misfiled']): string {
  const n = misfiled.length;
  const named = listText(misfiled.slice(0, 3).map((m) => `\`${m.name}\` (\`#microsoft.graph.${m.type}\`)`)) + (n > 3 ? ` and ${n - 3} more` : '');
  const parts = [`unknown: ${named} ${n > 1 ? 'are' : 'is'} written under \`kind: ConfigurationProfile\`, which holds settings catalog profiles only, so ${n > 1 ? 'they are' : 'it is'} not read (see ${n > 1 ? 'their' : 'its'} schema error) and what ${n > 1 ? 'they configure' : 'it configures'} is not known`];
  for (const m of misfiled.filter((x) => x.onboarding)) {
    const who = m.onboarding === 'macOS' ? 'the Macs' : `the ${PLATFORM_LABELS[m.onboarding!]} devices`;
    parts.push(`${n === 1 ? 'it' : `\`${m.name}\``} carries the ${PLATFORM_LABELS[m.onboarding!]} Defender for Endpoint onboarding payload${m.onboarding === 'macOS' ? ' (`com.microsoft.wdav.atp`)' : ''}, so ${m.onboardingUnknown ? `whether ${who} are onboarded is unknown (layer 6)` : `layer 6 reads ${who}' onboarding from other files`}`);
  }
  parts.push(`keep ${n > 1 ? 'each' : 'it'} as its raw Graph export, with no \`kind\`, to have ${n > 1 ? 'them' : 'it'} read`);
  return parts.join('; ');
}

/** "a", "a or b", "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : (items[0] ?? '');
}

/** Learn's page on listing settings catalog policies, which returns them without their settings. */
const LIST_POLICIES_DOC = 'https://learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list?view=graph-rest-beta';

/** "an error: a, b" / "5 errors: a, b, c and 2 more"; `bare` leaves the count out ("a, b, c and 2 more"). */
function countedList(items: readonly string[], one: string, many: string, bare = false): string {
  const shown = `${items.slice(0, 3).join(', ')}${items.length > 3 ? ` and ${items.length - 3} more` : ''}`;
  return bare ? shown : `${items.length === 1 ? one : `${items.length} ${many}`}: ${shown}`;
}

/**
 * A layer's reason (`LayerState.reason`): `unmetPrerequisitesText` with the layer's findings that no other part names
 * (errors and warnings, as "rule (severity) on policy"; not the errors that block it, nor the licence errors said apart).
 */
function statusReason(s: LayerState, onLayer: readonly Finding[], place: (f: Finding) => string): string | undefined {
  const said = new Set(s.blockedBy);
  const remaining = onLayer
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .filter((f) => !(f.ruleId === LICENCE_RULE && s.unlicensed.length && f.severity === 'error'))
    .map((f) => ({ key: `${f.ruleId} on ${place(f)}`, text: `${f.ruleId} (${f.severity}) on ${place(f)}` }))
    .filter((f) => !said.has(f.key))
    .map((f) => f.text);
  return unmetPrerequisitesText(s, [...new Set(remaining)]);
}

/**
 * A layer's status as the tree's tooltip opens: the status, the one reason the reports give (`LayerState.reason`), and
 * what the status means ("**Status: ⛔ blocked** — by an error: …").
 */
export function layerStatusMarkdown(s: Pick<LayerState, 'status' | 'reason'>): string {
  return `**Status: ${STATUS_LABELS[s.status]}**${s.reason ? ` — ${s.reason}` : ''}\n\n_${STATUS_LABELS[s.status].replace(/^\S+ /, '').replace(/^./, (c) => c.toUpperCase())}: ${STATUS_MEANINGS[s.status]}._`;
}

/** The seven-layer table (status, licence, policies, findings), as Markdown lines. */
export function layerTableMarkdown(states: LayerState[]): string[] {
  const lines = ['| Layer | Status | Licensed | Policies | Findings |', '|---|---|---|---|---|'];
  for (const s of states) {
    const why = s.reason;
    lines.push(`| ${s.layer} · ${s.name} | ${STATUS_LABELS[s.status]}${why ? ` — ${why.replace(/\|/g, '\\|')}` : ''} | ${s.licenseUnknown ? 'unknown' : s.licensed ? 'yes' : 'no'} | ${[...s.policies.map((p) => heldBackLabel(s, p.path, p.name ?? '')), ...s.evidence.map((p) => heldBackLabel(s, p.path, evidenceName(p))), ...s.declared].join(', ') || '—'} | ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'} |`);
  }
  return lines;
}

/** The Markdown layer report of one tenant: the seven-layer table and its findings. */
export function layerReportMarkdown(t: TenantView, findings: Finding[], rel: (p: string) => string, ruleOf: RuleLookup, accepted: readonly AcceptedFinding[] = []): string {
  const states = layerStates(t, findings, ruleOf, accepted);
  const lines = [`## Tenant ${t.manifest?.name ?? rel(t.root ?? '')}`, '', ...layerTableMarkdown(states)];
  const mine = findings.filter((f) => f.severity !== 'hint');
  if (mine.length) {
    lines.push('', '### Findings', '');
    for (const f of mine) {
      const facts = t.files.find((x) => x.path === f.file);
      const line = facts ? facts.parsed.lines.positionAt(f.span.offset).line + 1 : 1;
      lines.push(`- **${f.severity}** \`${f.ruleId}\` ${rel(f.file)}:${line} — ${f.message}`);
    }
  }
  return lines.join('\n');
}

export { spanAtPath };

import type { PolicyFacts } from '../facts';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import type { Rule } from '../rule';
import { applyingCaPolicies, isReportOnly, policySpan, related } from '../tenant-query';
import type { RelatedInfo } from '../types';
import { modelOf } from '../model/index';
import { managedLevelsText, managedDevicesOnly, protectsNoApp, PROTECTS_NO_APP, unmanagedDevicesOnly } from '../model/app-protection';
import { APP_SCOPE_RULE, grantControlNames, grantOperator, grantVerdict, type ControlAbility, type GrantAbility } from '../model/grants';
import { policyLabel } from './ca-helpers';
import { policiesOfKind } from '../reads';
import { listText, withArticle } from '../prose';

/** The platforms whose app protection policies choose apps and device management levels (`targetedManagedAppProtection`). */
const TARGETED: readonly Platform[] = ['iOS', 'android'];

/**
 * An app protection policy that protects no app a Conditional Access policy may ask it of: one that selects apps one by
 * one and selects none (`appGroupType: selectedPublicApps`, `apps: []`), or one for apps on Intune-managed devices only
 * (`targetedAppManagementLevels: mdm`…) that is all a CA policy asking app protection alone has on the platform, so a
 * device not enrolled in Intune cannot meet it. And the mirror: one for apps on unmanaged devices only
 * (`targetedAppManagementLevels: unmanaged`) that is all such a CA policy has, for users who enroll devices of the
 * platform (a compliance policy reaches them) or whom the CA policy asks a compliant device too (AND): on a device
 * Intune manages their apps get no policy. What is read is the model's (`model/app-protection.ts`, the grant
 * evaluator's `managedDevicesOnly` and `unmanagedDevicesOnly`).
 */
export const appProtectionTargetsNoApp: Rule = {
  id: APP_SCOPE_RULE,
  title: 'An app protection policy protects no app where Conditional Access asks for it',
  category: 'layer',
  layer: 1,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policies',
    'https://learn.microsoft.com/graph/api/resources/intune-mam-targetedmanagedappprotection',
    'https://learn.microsoft.com/graph/api/resources/intune-mam-appmanagementlevel',
  ],
  peers: [],
  emitsOn: ['AppProtectionPolicy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    const model = modelOf(tenant);
    for (const p of policiesOfKind(tenant, 'AppProtectionPolicy')) {
      if (!protectsNoApp(p)) continue;
      const asking = p.platforms.flatMap((pl) => model.appProtectionRequiredBy(pl)).filter((q, i, all) => all.indexOf(q) === i);
      const label = p.platforms[0] ? PLATFORM_LABELS[p.platforms[0]] : '';
      const ca = asking.length ? `; ${listText(asking.map((q) => policyLabel(q)))} ${asking.length > 1 ? 'require' : 'requires'} app protection on ${label}, which this policy meets for no app` : '';
      emit({
        file: p,
        span: policySpan(p, ['spec', 'appGroupType'], 'value'),
        message: `${p.name ? `\`${p.name}\`` : 'this app protection policy'} ${PROTECTS_NO_APP}: its settings apply to nothing${ca}. Select the apps in \`apps\` (Outlook, Teams, Edge…), or set \`appGroupType: allCoreMicrosoftApps\``,
        related: asking.map((q) => related(q, 'Conditional Access policy that requires app protection')),
      });
    }
    // Managed devices only, where a CA policy asks app protection alone (or beside controls that are in doubt too).
    const byPolicy = new Map<PolicyFacts, { ca: PolicyFacts[]; platforms: Platform[] }>();
    for (const q of applyingCaPolicies(tenant)) {
      if (!grantControlNames(q).includes('compliantApplication')) continue;
      for (const platform of model.caPlatforms(q).filter((pl) => TARGETED.includes(pl))) {
        if (enrollmentRequired(tenant, q, platform)) continue;
        const grant = model.grant(q, platform);
        const c = grant.controls.find((x) => x.control === 'compliantApplication');
        if (!c?.managedDevicesOnly || grantVerdict(scopeGrant(grant)) !== 'mayBeImpossible') continue;
        for (const a of c.managedDevicesOnly) {
          const entry = byPolicy.get(a) ?? { ca: [], platforms: [] };
          if (!entry.ca.includes(q)) entry.ca.push(q);
          if (!entry.platforms.includes(platform)) entry.platforms.push(platform);
          byPolicy.set(a, entry);
        }
      }
    }
    // Unmanaged devices only, where the CA policy's users enroll devices of the platform, or it asks a compliant one too:
    // certain on Android under AND (a compliant device is one Intune manages), in doubt otherwise.
    type Case = 'certain' | 'withDevice' | 'enroll';
    const unmanaged = new Map<PolicyFacts, { ca: PolicyFacts[]; cases: Map<Case, { ca: PolicyFacts[]; platforms: Platform[] }> }>();
    for (const q of applyingCaPolicies(tenant)) {
      if (!grantControlNames(q).includes('compliantApplication')) continue;
      const withDevice = grantOperator(q) === 'AND' && grantControlNames(q).includes('compliantDevice');
      for (const platform of model.caPlatforms(q).filter((pl) => TARGETED.includes(pl))) {
        const grant = model.grant(q, platform);
        const c = grant.controls.find((x) => x.control === 'compliantApplication');
        const verdict = grantVerdict(scopeGrant(grant));
        if (!c?.unmanagedDevicesOnly || !(verdict === 'mayBeImpossible' || (verdict === 'impossible' && c.status === 'impossible'))) continue;
        const kind: Case = c.status === 'impossible' ? 'certain' : withDevice ? 'withDevice' : 'enroll';
        for (const a of c.unmanagedDevicesOnly) {
          const entry = unmanaged.get(a) ?? { ca: [] as PolicyFacts[], cases: new Map<Case, { ca: PolicyFacts[]; platforms: Platform[] }>() };
          if (!entry.ca.includes(q)) entry.ca.push(q);
          const one = entry.cases.get(kind) ?? { ca: [] as PolicyFacts[], platforms: [] as Platform[] };
          if (!one.ca.includes(q)) one.ca.push(q);
          if (!one.platforms.includes(platform)) one.platforms.push(platform);
          entry.cases.set(kind, one);
          unmanaged.set(a, entry);
        }
      }
    }
    const managedText = (platforms: readonly Platform[]): string =>
      [
        ...(platforms.includes('android') ? ['an Android device Intune manages (a work profile, a fully managed phone)'] : []),
        ...(platforms.includes('iOS') ? ['an iOS/iPadOS device enrolled in Intune whose MDM passes the app `IntuneMAMUPN` (Intune does for Excel, Outlook, PowerPoint, Teams and Word)'] : []),
      ].join(' or on ');
    for (const [a, { ca, cases }] of unmanaged) {
      const levels = unmanagedDevicesOnly(a)!;
      const platforms = [...new Set([...cases.values()].flatMap((x) => x.platforms))];
      const label = listText(platforms.map((pl) => PLATFORM_LABELS[pl]));
      const related: RelatedInfo[] = ca.map((q) => ({ file: q.path, span: policySpan(q, ['spec', 'grantControls'], 'key'), message: 'Conditional Access policy that requires app protection' }));
      const asks = (qs: PolicyFacts[]): string => `${listText(qs.map((q) => policyLabel(q)))} ${qs.length > 1 ? 'ask' : 'asks'} for it`;
      const parts: string[] = [];
      const certain = cases.get('certain');
      if (certain) parts.push(`${asks(certain.ca)} with a compliant device (AND), which only a device Intune manages meets, and no app there gets a policy from it: the grant can never be met on Android`);
      const withDevice = cases.get('withDevice');
      if (withDevice) parts.push(`${asks(withDevice.ca)} with a compliant device (AND), and on ${managedText(withDevice.platforms)} the app gets no policy from it: the grant may never be met there`);
      const enroll = cases.get('enroll');
      if (enroll) parts.push(`${asks(enroll.ca)} of users who enroll ${listText(enroll.platforms.map((pl) => PLATFORM_LABELS[pl]))} devices (a compliance policy reaches them), and on ${managedText(enroll.platforms)} no app gets a policy: the grant cannot be met there and the sign-in is blocked`);
      emit({
        file: a,
        span: policySpan(a, ['spec', 'targetedAppManagementLevels'], 'value'),
        message:
          `${a.name ? `\`${a.name}\`` : 'this app protection policy'} targets apps on unmanaged devices only (${managedLevelsText(levels)}), and it is all the ${label} app protection there is for ${ca.length > 1 ? 'these CA policies' : 'this CA policy'}: ${parts.join('; ')}. ` +
          'Target apps on managed devices too (`targetedAppManagementLevels: unspecified` for every device, or a second policy for managed devices), or offer a compliant device with OR in the CA policy',
        lowered: ca.every(isReportOnly),
        related,
      });
    }
    for (const [a, { ca, platforms }] of byPolicy) {
      const levels = managedDevicesOnly(a)!;
      const label = listText(platforms.map((pl) => PLATFORM_LABELS[pl]));
      const related: RelatedInfo[] = ca.map((q) => ({ file: q.path, span: policySpan(q, ['spec', 'grantControls'], 'key'), message: 'Conditional Access policy that requires app protection' }));
      emit({
        file: a,
        span: policySpan(a, ['spec', 'targetedAppManagementLevels'], 'value'),
        message:
          `${a.name ? `\`${a.name}\`` : 'this app protection policy'} targets apps on Intune-managed devices only (${managedLevelsText(levels)}), and it is all the ${label} app protection ${listText(ca.map((q) => policyLabel(q)))} ` +
          `${ca.length > 1 ? 'ask' : 'asks'} for without requiring an enrolled device: on ${withArticle(`${label} device`)} not enrolled in Intune (a personal phone under MAM only) no app gets a policy, so ${ca.length > 1 ? 'their' : 'its'} grant cannot be met there and the sign-in is blocked. ` +
          'Target apps on unmanaged devices too (`targetedAppManagementLevels: unspecified` for every device, or add `unmanaged`), or, if only enrolled devices should get in, require a compliant device as well',
        lowered: ca.every(isReportOnly),
        related,
      });
    }
  },
};

/**
 * Whether the tenant already requires an enrolled device of the platform for this CA policy's users: another enabled
 * CA policy asks a compliant device there with no app-based way around it (only `compliantDevice`, or under AND). Then
 * a device not enrolled is kept out by design, and app protection for managed devices only is no gap.
 */
function enrollmentRequired(tenant: Parameters<Rule['check']>[0], q: PolicyFacts, platform: Platform): boolean {
  const model = modelOf(tenant);
  // The policy itself asks a compliant device under AND: enrollment is required by it.
  if (grantOperator(q) === 'AND' && grantControlNames(q).includes('compliantDevice')) return true;
  return model.compliantDeviceRequiredBy(platform).some((o) => {
    if (o === q) return false;
    const controls = grantControlNames(o);
    return grantOperator(o) === 'AND' || controls.every((c) => c === 'compliantDevice');
  });
}

/**
 * The grant as this rule weighs it: a control in doubt only for an enrollment fact the manifest does not declare (the
 * Apple push certificate, the managed Google Play binding: `undeclared-fact` asks for it, What If and the lockout check
 * say "may be") is a way in as far as the app protection scope goes: the gap this rule names is the scope's, not that
 * fact's, and "compliant device or app protection" stays Microsoft's template where the fact is merely undeclared.
 */
function scopeGrant(grant: GrantAbility): GrantAbility {
  const enrollmentFact = (c: ControlAbility): boolean => c.undeclared === 'applePushCertificate' || c.undeclared === 'androidEnterprise';
  return { ...grant, controls: grant.controls.map((c) => (enrollmentFact(c) ? { ...c, mayBeImpossible: undefined } : c)) };
}

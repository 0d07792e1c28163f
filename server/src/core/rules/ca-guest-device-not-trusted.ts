import { spanAtPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { applyingCaPolicies, grantControlPath, isReportOnly } from '../tenant-query';
import { modelOf } from '../model/index';
import { externalUsersOnly, gapMatters, grantControlNames, guestAudience, GUEST_TRUST_RULE, untrustedClaimText, type ControlAbility } from '../model/grants';
import { trustFact } from '../model/cross-tenant';
import { policyLabel } from './ca-helpers';

const DEVICE_CONTROLS = ['compliantDevice', 'domainJoinedDevice'] as const;

/**
 * A CA policy for users of other tenants only asks them for a compliant or hybrid joined device, and the manifest
 * declares that the cross-tenant access settings do not trust that claim from their home tenant: their device counts
 * for nothing here, and the guests it reaches cannot meet the grant. A policy for guests of several types, local guests
 * (`internalGuest`, whose devices are this tenant's) among them, or for `GuestsOrExternalUsers`, gets a warning naming
 * the external types that cannot meet it. The grant evaluator decides it (`model/grants.ts`, from
 * `model/cross-tenant.ts`), as What If reads it; undeclared trust is `undeclared-fact`'s. A policy for All users stays
 * out of scope.
 */
export const caGuestDeviceNotTrusted: Rule = {
  id: GUEST_TRUST_RULE,
  title: 'Conditional Access asks guests for a device claim the cross-tenant access settings do not trust',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'error',
  sources: [
    'https://learn.microsoft.com/entra/external-id/authentication-conditional-access',
    'https://learn.microsoft.com/entra/external-id/cross-tenant-access-settings-b2b-collaboration',
    'https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyinboundtrust',
  ],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.manifest) return;
    const model = modelOf(tenant);
    for (const p of applyingCaPolicies(tenant)) {
      // Only a policy whose users are guests and external users can have the gap (`guestAudience`, which the grant
      // evaluator reads too): the others need no grant evaluated here, on every edit that re-runs the rule.
      if (!guestAudience(p)?.external.length || !DEVICE_CONTROLS.some((c) => grantControlNames(p).includes(c))) continue;
      for (const control of DEVICE_CONTROLS) {
        const gap = untrustedGap(model, p, control);
        if (!gap) continue;
        const all = gap.status === 'impossible';
        const what = control === 'compliantDevice' ? 'a compliant device' : 'a hybrid joined device';
        const when = isReportOnly(p) ? ' once it is enforced (it is report-only)' : '';
        emit({
          file: p,
          span: spanAtPath(p.parsed, grantControlPath(p, control), 'value'),
          // Some tenants trusted, some not: the guests of the others are blocked, not every guest.
          ...(all ? {} : { severity: 'warning' as const }),
          message: `${policyLabel(p)} requires ${what} of ${externalUsersOnly(p) ? 'users of other tenants only' : 'guests and external users'}, ${all && gap.untrustedTenants ? `but ${untrustedClaimText(control, gap.untrustedTenants)}, so every guest it reaches is blocked` : `and ${gap.reason ?? ''}`}${when}. Turn on \`${trustFact(control).split('.').pop()}\` in the cross-tenant access settings (the default's inbound trust, or the partner's) and declare it in \`${trustFact(control).replace(/\.[^.]+$/, '')}\` (or the partner's entry in \`settings.crossTenantAccess.partners\`), or offer these users a control they can meet here (\`mfa\` under \`OR\`)`,
          lowered: isReportOnly(p),
          data: { policy: p.name ?? '', control },
        });
      }
    }
  },
};

/**
 * The device control the grant evaluator says guests cannot meet for want of trust, on a platform where it matters
 * (no other control of an OR grant lets them in); undefined where it does not.
 */
function untrustedGap(model: ReturnType<typeof modelOf>, p: PolicyFacts, control: (typeof DEVICE_CONTROLS)[number]): ControlAbility | undefined {
  for (const platform of model.caPlatforms(p)) {
    const grant = model.grant(p, platform);
    const c = grant.controls.find((x) => x.control === control && x.rule === GUEST_TRUST_RULE);
    if (c && gapMatters(grant, c)) return c;
  }
  return undefined;
}

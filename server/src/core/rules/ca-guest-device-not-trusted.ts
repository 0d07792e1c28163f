import { spanAtPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { applyingCaPolicies, grantControlPath, isReportOnly, policySpan } from '../tenant-query';
import { modelOf } from '../model/index';
import { allUsersGuests, EXTERNAL_APP_PROTECTION_TEXT, externalGuestsBeside, externalUsersOnly, grantControlNames, grantOperator, guestAudience, GUEST_TRUST_RULE, untrustedClaimText, type ControlAbility, type GrantAbility } from '../model/grants';
import { strengthTitle } from '../model/cross-tenant';
import { trustFact } from '../model/cross-tenant';
import { policyLabel } from './ca-helpers';
import { listText } from '../prose';

const DEVICE_CONTROLS = ['compliantDevice', 'domainJoinedDevice'] as const;
/**
 * The controls whose claim inbound trust decides for users of other tenants: the device claims, and MFA (an
 * authentication strength; `mfa` itself for B2B direct connect users, who complete no MFA here).
 */
const TRUSTED_CONTROLS = [...DEVICE_CONTROLS, 'authenticationStrength', 'mfa'] as const;
type TrustedControl = (typeof TRUSTED_CONTROLS)[number];
/** What a policy for All users is asked of for its guests: the device claims, and an authentication strength. */
const MEMBERS_CONTROLS = [...DEVICE_CONTROLS, 'authenticationStrength'] as const;

/**
 * A CA policy for users of other tenants only asks them for a compliant or hybrid joined device, and the manifest
 * declares that the cross-tenant access settings do not trust that claim from their home tenant: their device counts
 * for nothing here, and the guests it reaches cannot meet the grant. A policy for guests of several types, local guests
 * (`internalGuest`, whose devices are this tenant's) among them, or for `GuestsOrExternalUsers`, gets a warning naming
 * the external types that cannot meet it. A policy for All users reaches B2B guests too unless it excludes them: where
 * the manifest declares that the trust leaves some or all of them out, a warning (this tenant's users can meet it) that
 * names them and says to exclude them and give them a policy of their own, or to trust their devices (their MFA, for
 * an authentication strength they can meet only in their home tenant); undeclared, it is silent (no `undeclared-fact` either: nearly every tenant has such a policy). The grant evaluator decides it
 * (`model/grants.ts`, from `model/cross-tenant.ts`), as What If reads it; undeclared trust for a guest policy is
 * `undeclared-fact`'s. Two guest types have MFA gaps of their own (`ControlAbility.guestTypeGaps`): `otherExternalUser`
 * users cannot be asked an authentication strength whatever the trust (the fix: the `mfa` grant), and B2B direct
 * connect users meet `mfa`, or any strength, only under MFA trust. App protection (`compliantApplication`) no user of
 * another tenant can meet, whatever the trust (Learn: not supported for B2B collaboration and B2B direct connect users):
 * an error where the policy is for them alone, a warning where it names them beside this tenant's users (the grant
 * evaluator's `externalAppProtection` and `appProtectionBeside`); not for All users, Learn's own app protection policy.
 */
export const caGuestDeviceNotTrusted: Rule = {
  id: GUEST_TRUST_RULE,
  title: 'Conditional Access asks guests for a device or MFA claim the cross-tenant access settings do not trust, or for app protection',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'error',
  sources: [
    'https://learn.microsoft.com/entra/external-id/authentication-conditional-access',
    'https://learn.microsoft.com/entra/external-id/cross-tenant-access-settings-b2b-collaboration',
    'https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyinboundtrust',
    'https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-external-users',
  ],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.manifest) return;
    const model = modelOf(tenant);
    for (const p of applyingCaPolicies(tenant)) {
      // Only a policy whose users are guests and external users can have the gap (`guestAudience`, which the grant
      // evaluator reads too): the others need no grant evaluated here, on every edit that re-runs the rule.
      const members = !guestAudience(p)?.external.length;
      // A policy for All users is asked of its device controls and its authentication strength (not of `mfa`, which
      // every guest it reaches but a B2B direct connect user meets at sign-in).
      const trusted = members && !allUsersGuests(p) ? [] : (members ? MEMBERS_CONTROLS : TRUSTED_CONTROLS).filter((c) => grantControlNames(p).includes(c));
      // App protection, which no user of another tenant can meet, of a policy that names them (alone, or beside users of
      // this tenant): the grant evaluator's gap (`externalAppProtection`, `appProtectionBeside`).
      const app = grantControlNames(p).includes('compliantApplication') && (!members || externalGuestsBeside(p)) ? (['compliantApplication'] as const) : [];
      const controls = [...trusted, ...app];
      if (!controls.length) continue;
      for (const control of controls) {
        if (control === 'compliantApplication') {
          appProtectionFinding(model, p, emit);
          continue;
        }
        const gap = untrustedGap(model, p, control);
        if (!gap) continue;
        const all = gap.status === 'impossible';
        const when = isReportOnly(p) ? ' once it is enforced (it is report-only)' : '';
        if (control === 'authenticationStrength' || control === 'mfa') {
          // Named as the model reads it: a custom strength by the `displayName` of its export in the folder, else its id.
          const title = strengthTitle(model.strengthOf(p) ?? {});
          const what = control === 'mfa' ? 'MFA' : title !== undefined ? `the authentication strength \`${title}\`` : 'an authentication strength';
          if (members) {
            emit({
              file: p,
              span: policySpan(p, ['spec', 'grantControls', 'authenticationStrength'], 'key'),
              severity: 'warning',
              message: `${policyLabel(p)} requires ${what} of All users, and ${when ? 'once it is enforced (it is report-only) ' : ''}${gap.reason ?? ''}. Exclude guests and external users (\`excludeGuestsOrExternalUsers\`) and give them their own policy (the built-in Multifactor authentication strength, or \`mfa\`), or ${trustText('authenticationStrength')}`,
              lowered: isReportOnly(p),
              data: { policy: p.name ?? '', control },
            });
            continue;
          }
          emit({
            file: p,
            span: control === 'mfa' ? spanAtPath(p.parsed, grantControlPath(p, control), 'value') : policySpan(p, ['spec', 'grantControls', 'authenticationStrength'], 'key'),
            ...(all ? {} : { severity: 'warning' as const }),
            message: `${policyLabel(p)} requires ${what} of ${externalUsersOnly(p) ? 'users of other tenants only' : 'guests and external users'}, ${all ? `but ${gap.reason ?? ''}: every guest it reaches is blocked` : `and ${gap.reason ?? ''}`}${when}. ${mfaFixText(control, gap)}`,
            lowered: isReportOnly(p),
            data: { policy: p.name ?? '', control },
          });
          continue;
        }
        const what = control === 'compliantDevice' ? 'a compliant device' : 'a hybrid joined device';
        // App protection beside it, under OR, is no way in for them either: say so, or the warning reads as wrong.
        const app = grantControlNames(p).includes('compliantApplication') && grantOperator(p) === 'OR' ? ' (app protection, the other option, is not open to users of other tenants either)' : '';
        emit({
          file: p,
          span: spanAtPath(p.parsed, grantControlPath(p, control), 'value'),
          // Some tenants trusted, some not: the guests of the others are blocked, not every guest.
          ...(all ? {} : { severity: 'warning' as const }),
          message: members
            ? `${policyLabel(p)} requires ${what} of All users, and ${when ? 'once it is enforced (it is report-only) ' : ''}${gap.reason ?? ''}${app}. Exclude guests and external users (\`excludeGuestsOrExternalUsers\`) and give them their own policy, or trust their devices: ${trustText(control)}`
            : `${policyLabel(p)} requires ${what} of ${externalUsersOnly(p) ? 'users of other tenants only' : 'guests and external users'}, ${all && gap.untrustedTenants ? `but ${untrustedClaimText(control, gap.untrustedTenants)}, so every guest it reaches is blocked` : `and ${gap.reason ?? ''}`}${app}${when}. ${trustText(control, true)}, or offer these users a control they can meet here (\`mfa\` under \`OR\`)`,
          lowered: isReportOnly(p),
          data: { policy: p.name ?? '', control },
        });
      }
    }
  },
};

/**
 * App protection asked of users of other tenants, who cannot meet it (the grant evaluator's `GUEST_TRUST_RULE` gap on
 * `compliantApplication`): an error where the policy is for them alone and no other control of an OR grant lets them in,
 * a warning where it names them beside this tenant's users (the gap is only the guests'). Under OR beside a device
 * control, the device's finding says it (app protection, the other option, is not open to them either), or the device
 * is their way in, or `undeclared-fact` asks for the trust: nothing is said twice.
 */
function appProtectionFinding(model: ReturnType<typeof modelOf>, p: PolicyFacts, emit: Parameters<Rule['check']>[1]): void {
  if (grantOperator(p) === 'OR' && DEVICE_CONTROLS.some((d) => grantControlNames(p).includes(d))) return;
  const gap = appProtectionGap(model, p);
  if (!gap) return;
  const all = gap.status === 'impossible';
  const when = isReportOnly(p) ? ' once it is enforced (it is report-only)' : '';
  const instead = 'MFA (`mfa`, or an authentication strength they can meet here, such as the built-in Multifactor authentication)';
  emit({
    file: p,
    span: spanAtPath(p.parsed, grantControlPath(p, 'compliantApplication'), 'value'),
    ...(all ? {} : { severity: 'warning' as const }),
    message: all
      ? `${policyLabel(p)} requires app protection (\`compliantApplication\`) of users of other tenants only, but ${EXTERNAL_APP_PROTECTION_TEXT}: every guest it reaches is blocked${when}. Require ${instead} of them instead, or take these guests out of the policy: no app protection policy or cross-tenant trust setting lets them meet it`
      : `${policyLabel(p)} requires app protection (\`compliantApplication\`), and ${when ? 'once it is enforced (it is report-only) ' : ''}${gap.reason ?? ''}. Exclude those guests (\`excludeGuestsOrExternalUsers\`) and give them a policy of their own that requires ${instead}: no app protection policy or cross-tenant trust setting lets them meet it`,
    lowered: isReportOnly(p),
    data: { policy: p.name ?? '', control: 'compliantApplication' },
  });
}

/**
 * App protection the grant evaluator says the guests a policy reaches cannot meet, on a platform where it matters: under
 * AND always; under OR unless another control lets guests in, one that can be met with no policy missing (an MFA claim
 * that keeps out only some of them has its own finding, which names those).
 */
function appProtectionGap(model: ReturnType<typeof modelOf>, p: PolicyFacts): ControlAbility | undefined {
  for (const platform of model.caPlatforms(p)) {
    const grant = model.grant(p, platform);
    const c = grant.controls.find((x) => x.control === 'compliantApplication' && x.rule === GUEST_TRUST_RULE);
    if (c && (grant.operator === 'AND' || !grant.controls.some((o) => o !== c && o.status === 'possible' && !o.missing && !o.notForExternalUsers))) return c;
  }
  return undefined;
}

/** How to trust the claim: "turn on `isCompliantDeviceAccepted` … and declare it in `settings.crossTenantAccess.inboundTrust` …". */
function trustText(control: TrustedControl, capital = false): string {
  const claim = control === 'authenticationStrength' ? 'mfa' : control;
  const text = `turn on \`${trustFact(claim).split('.').pop()}\` in the cross-tenant access settings (the default's inbound trust, or the partner's) and declare it in \`${trustFact(claim).replace(/\.[^.]+$/, '')}\` (or the partner's entry in \`settings.crossTenantAccess.partners\`)`;
  return capital ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/**
 * How to let in the guests an MFA claim keeps out, from the grant evaluator's structured answer (`guestTypeGaps`): the
 * `mfa` grant for the types no authentication strength can be asked of (`otherExternalUser`), MFA trust for the others
 * (B2B direct connect users need it for any MFA), or, for an authentication strength, one they can meet here.
 */
function mfaFixText(control: 'authenticationStrength' | 'mfa', gap: ControlAbility): string {
  const gaps = (gap.guestTypeGaps ?? []).filter((g) => g.state !== 'undeclared');
  const grant = gaps.filter((g) => g.fix === 'mfaGrant');
  const trust = gaps.filter((g) => g.fix === 'trust');
  const parts: string[] = [];
  if (grant.length) parts.push(`Give ${listText(grant.map((g) => g.who))} a policy of their own with \`mfa\` in \`builtInControls\`, and exclude them here (\`excludeGuestsOrExternalUsers\`)`);
  if (trust.length || !gaps.length) {
    const direct = trust.some((g) => g.types.includes('b2bDirectConnectUser'));
    const other = control === 'authenticationStrength' && trust.some((g) => !g.types.includes('b2bDirectConnectUser'));
    const text = trustText('authenticationStrength', !parts.length);
    parts.push(other || !gaps.length ? `${text}, or require of them a strength they can meet here (the built-in Multifactor authentication)` : direct && !other ? `${text}, or exclude B2B direct connect users (\`b2bDirectConnectUser\`) here` : text);
  }
  return parts.join('; ');
}

/**
 * Whether a guest-trust gap matters for this grant: under AND always; under OR only when no other control lets the
 * guests in, one they can meet here (MFA, an authentication strength, terms of use) that has no gap of its own. A
 * device control the trust leaves out for them too (`compliantDevice` beside `domainJoinedDevice`) is no way in, nor is
 * app protection, which users of other tenants cannot meet (`notForExternalUsers`).
 */
function guestGapMatters(grant: GrantAbility, gap: ControlAbility): boolean {
  if (grant.operator === 'AND') return true;
  // App protection is no way in for users of other tenants either (`notForExternalUsers`): the grant evaluator's answer.
  return !grant.controls.some((c) => c !== gap && c.status === 'possible' && !c.missing && c.rule !== GUEST_TRUST_RULE && !c.notForExternalUsers);
}

/**
 * The device control the grant evaluator says guests cannot meet for want of trust, on a platform where it matters
 * (no other control of an OR grant lets them in); undefined where it does not.
 */
function untrustedGap(model: ReturnType<typeof modelOf>, p: PolicyFacts, control: TrustedControl): ControlAbility | undefined {
  for (const platform of model.caPlatforms(p)) {
    const grant = model.grant(p, platform);
    const c = grant.controls.find((x) => x.control === control && x.rule === GUEST_TRUST_RULE);
    if (c && guestGapMatters(grant, c)) return c;
  }
  return undefined;
}

import type { PolicyFacts } from '../facts';
import { policySpan, related } from '../tenant-query';
import type { Emit, Rule } from '../rule';
import { policiesOfKind } from '../reads';
import { modelOf, type TenantModel } from '../model';
import { DEFAULT_COMPLIANCE_VALIDITY_DAYS } from '../model/declared';
import { actionNotOfferedOn, complianceActions, namesTemplate, type ComplianceAction } from '../model/compliance-actions';
import { NONCOMPLIANCE_ACTIONS_SOURCE, noncomplianceActionOfferedOn } from '../schema/graph-constraints';
import type { Severity } from '../types';

/**
 * How each action Intune does not offer on a platform is reported: a lock that never happens is a protection missing;
 * a push notification or a place on the retire list (a list an admin works through, which retires nothing by itself)
 * that never comes is information.
 */
const NOT_OFFERED_SEVERITY: Readonly<Record<string, Severity>> = { remoteLock: 'warning', pushNotification: 'information', retire: 'information' };
/** The admin center's names of the actions `NOT_OFFERED_SEVERITY` covers. */
const PORTAL_NAME: Readonly<Record<string, string>> = {
  remoteLock: 'Remotely lock the noncompliant device',
  pushNotification: 'Send push notification to end user',
  retire: 'Add device to retire list',
};
/** What is lost when the action never runs, and what to do instead. */
const NOT_OFFERED_EFFECT: Readonly<Record<string, { lost: string; instead: string }>> = {
  remoteLock: { lost: 'and no failing device here is locked', instead: '; what keeps a failing device out is the block action with Conditional Access requiring a compliant device' },
  pushNotification: { lost: 'and users hear nothing from it', instead: ', and use `notification` (email, with a message template) to tell users' },
  retire: {
    lost: 'and no failing device here is put on the list of devices to retire (Devices > Compliance > Retire noncompliant devices)',
    instead: '; find long-noncompliant devices in the noncompliant devices report instead',
  },
};

/** `a macOS`, `an Android (AOSP)`. */
function an(label: string): string {
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;
}

function days(hours: number): string {
  // Whole days and hours, never rounded: 721 hours is "30 days and 1 hour", longer than 30 days, as the message says.
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  const dayText = `${d} day${d === 1 ? '' : 's'}`;
  const hourText = `${h} hour${h === 1 ? '' : 's'}`;
  return !d ? hourText : !h ? dayText : `${dayText} and ${hourText}`;
}

/**
 * Actions for noncompliance that do nothing, or not what the admin expects: a "Mark device noncompliant" (`block`)
 * whose grace period outlasts the compliance status validity period, an action Intune does not offer on the policy's
 * platform, an email (`notification`) with no message template.
 */
export const complianceActionIneffective: Rule = {
  id: 'compliance-action-ineffective',
  title: 'A compliance policy action for noncompliance does nothing, or acts much later than expected',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'warning',
  sources: [
    NONCOMPLIANCE_ACTIONS_SOURCE,
    'https://learn.microsoft.com/graph/api/resources/intune-devices-compliancestate',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-devicecomplianceactionitem',
    'https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started',
  ],
  emitsOn: ['CompliancePolicy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    const policies = policiesOfKind(tenant, 'CompliancePolicy');
    if (!policies.length) return;
    const model = modelOf(tenant);
    for (const p of policies) {
      const { actions, firstBlock, unread } = complianceActions(p);
      // A raw export fetched without the actions' expansion says nothing about them (compliance-missing-block-action).
      if (unread && !actions.length) continue;
      if (firstBlock) checkGracePeriod(p, firstBlock, model, emit);
      for (const a of actions) {
        const platform = actionNotOfferedOn(p, a.actionType);
        if (platform && a.actionType) {
          const effect = Object.hasOwn(NOT_OFFERED_EFFECT, a.actionType) ? NOT_OFFERED_EFFECT[a.actionType] : undefined;
          emit({
            file: p,
            severity: NOT_OFFERED_SEVERITY[a.actionType] ?? 'warning',
            span: policySpan(p, [...a.path, 'actionType'], 'value'),
            message:
              `\`actionType: ${a.actionType}\` ("${PORTAL_NAME[a.actionType] ?? a.actionType}") in ${an(platform)} compliance policy: Intune offers it only on ${noncomplianceActionOfferedOn(a.actionType)}, ` +
              `so it never runs on ${an(platform)} device${effect ? `, ${effect.lost}` : ''}. ` +
              `Remove the action${effect?.instead ?? ''}`,
          });
        }
        if (a.actionType === 'notification' && !namesTemplate(a)) {
          const written = !a.hasTemplateKey ? 'has no `notificationTemplateId`' : a.notificationTemplateId?.trim() ? 'has the zero GUID as its `notificationTemplateId`' : 'has an empty `notificationTemplateId`';
          emit({
            file: p,
            span: policySpan(p, a.hasTemplateKey ? [...a.path, 'notificationTemplateId'] : [...a.path, 'actionType'], 'value'),
            message:
              `\`actionType: notification\` ("Send email to end user") ${written}, so it names no template: ` +
              `the email's subject and body come from a notification message template (Devices > Compliance > Notifications), which the admin center makes you choose for this action, so no email reaches the user. ` +
              `Create the template and set its id in \`notificationTemplateId\``,
          });
        }
      }
    }
  },
};

/**
 * A block action whose grace period outlasts the compliance status validity period: the device is `inGracePeriod`,
 * "non-compliant but still has access to corporate resources" (Graph complianceState), for longer than a device that
 * stops reporting keeps its compliance. A warning where an enabled CA policy requires a compliant device on the
 * policy's platform (that is what the grace period disarms), information otherwise.
 */
function checkGracePeriod(p: PolicyFacts, block: ComplianceAction, model: TenantModel, emit: Emit): void {
  const hours = block.gracePeriodHours!;
  const declared = model.declared.complianceValidityDays;
  const validityDays = declared ?? DEFAULT_COMPLIANCE_VALIDITY_DAYS;
  if (hours <= validityDays * 24) return;
  const requiring = [...new Set(p.platforms.flatMap((platform) => model.compliantDeviceRequiredBy(platform)))];
  const validity = `the tenant's compliance status validity period (${validityDays} days${declared === undefined ? ", Intune's default, as the manifest declares no `settings.deviceComplianceCheckinThresholdDays`" : ''})`;
  const ca = requiring.length
    ? `so ${requiring.map((c) => `\`${c.name ?? c.path}\``).join(', ')} (requiring a compliant device on ${p.platforms.join(', ')}) let${requiring.length === 1 ? 's' : ''} it in all that time`
    : `and once a Conditional Access policy requires a compliant device on ${p.platforms.join(', ') || 'its platform'}, it lets the device in all that time (none enabled here does yet)`;
  emit({
    file: p,
    severity: requiring.length ? 'warning' : 'information',
    span: policySpan(p, [...block.path, 'gracePeriodHours'], 'value'),
    message:
      `\`gracePeriodHours: ${hours}\` on the block action ("Mark device noncompliant"): a device that fails this policy stays in its grace period, noncompliant but still let in (Graph \`inGracePeriod\`), for ${days(hours)}, ` +
      `${ca}. That is longer than ${validity}, after which even a device that stops reporting is marked noncompliant. ` +
      `Lower it to at most ${validityDays * 24} hours (a day or a few is usual, with a \`notification\` action at 0 hours to tell the user)`,
    related: requiring.map((c) => related(c, 'requires a compliant device: a device in its grace period passes it')),
  });
}


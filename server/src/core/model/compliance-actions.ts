/**
 * A compliance policy's actions for noncompliance (`scheduledActionsForRule[].scheduledActionConfigurations[]`), read
 * once per file: what `compliance-missing-block-action` and `compliance-action-ineffective` ask, and any other reader
 * (What If, the report) that comes to ask when a failing device is marked noncompliant.
 *
 * Sources: https://learn.microsoft.com/intune/intune-service/protect/actions-for-noncompliance (the actions and the
 * platforms that offer each), https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-devicecomplianceactionitem
 * (`actionType`, `gracePeriodHours` 0–8760, `notificationTemplateId`).
 */
import { isPlainObject, type JsonPath } from '../document';
import type { PolicyFacts } from '../facts';
import { hasBlockAction } from '../graph';
import { PLATFORM_LABELS, platformOfODataType } from '../platforms';
import { NONCOMPLIANCE_ACTIONS_NOT_OFFERED } from '../schema/graph-constraints';

/** One action as the file writes it; a value of the wrong type is undefined (the schema reports it). */
export interface ComplianceAction {
  actionType: string | undefined;
  /** Whole hours, when the file writes a whole number; undefined otherwise. */
  gracePeriodHours: number | undefined;
  /** Whether the item has a `notificationTemplateId` key at all. */
  hasTemplateKey: boolean;
  /** The template id, when it is a string. */
  notificationTemplateId: string | undefined;
  /** Where the item is, as a path of the format (`['spec', 'scheduledActionsForRule', i, 'scheduledActionConfigurations', j]`). */
  path: JsonPath;
}

export interface ComplianceActions {
  /** Every action item that is a mapping, in file order. */
  actions: readonly ComplianceAction[];
  /** Whether some item is `actionType: block` ("Mark device noncompliant"), in any rule. */
  hasBlock: boolean;
  /**
   * The block action that marks a failing device noncompliant first (the smallest valid grace period), when one has a
   * grace period in Graph's range: until then the device is `inGracePeriod`, noncompliant yet let in.
   */
  firstBlock: ComplianceAction | undefined;
  /**
   * Whether the file does not say what the actions are: a raw Graph export without `scheduledActionsForRule`, or with
   * a rule without `scheduledActionConfigurations` (Graph returns them only with `$expand`). Unknown, never missing.
   */
  unread: boolean;
}

/** Graph's range of `gracePeriodHours` (deviceComplianceActionItem: "Valid values 0 to 8760"). */
export const MAX_GRACE_PERIOD_HOURS = 8760;

const CACHE = new WeakMap<PolicyFacts, ComplianceActions>();

/** A compliance policy's actions for noncompliance, read once per file (facts never change: a new text has new ones). */
export function complianceActions(p: PolicyFacts): ComplianceActions {
  let answer = CACHE.get(p);
  if (!answer) CACHE.set(p, (answer = readActions(p)));
  return answer;
}

function readActions(p: PolicyFacts): ComplianceActions {
  const rules = p.spec?.scheduledActionsForRule;
  const actions: ComplianceAction[] = [];
  let unread = !!p.raw && rules === undefined;
  if (Array.isArray(rules)) {
    rules.forEach((rule, i) => {
      if (!isPlainObject(rule)) return;
      const items = rule.scheduledActionConfigurations;
      if (items === undefined && p.raw) unread = true;
      if (!Array.isArray(items)) return;
      items.forEach((item, j) => {
        if (!isPlainObject(item)) return;
        const grace = item.gracePeriodHours;
        actions.push({
          actionType: typeof item.actionType === 'string' ? item.actionType : undefined,
          gracePeriodHours: typeof grace === 'number' && Number.isInteger(grace) ? grace : undefined,
          hasTemplateKey: 'notificationTemplateId' in item,
          notificationTemplateId: typeof item.notificationTemplateId === 'string' ? item.notificationTemplateId : undefined,
          path: ['spec', 'scheduledActionsForRule', i, 'scheduledActionConfigurations', j],
        });
      });
    });
  }
  const blocks = actions.filter((a) => a.actionType === 'block');
  const inRange = blocks.filter((a) => a.gracePeriodHours !== undefined && a.gracePeriodHours >= 0 && a.gracePeriodHours <= MAX_GRACE_PERIOD_HOURS);
  const firstBlock = inRange.reduce<ComplianceAction | undefined>((min, a) => (!min || a.gracePeriodHours! < min.gracePeriodHours! ? a : min), undefined);
  // `hasBlockAction` is the one reading of "has a block action", which `ztp export` asks of a Graph body too.
  return { actions, hasBlock: hasBlockAction(rules), firstBlock, unread };
}

/** The zero GUID Graph writes on actions that use no template (every exported `block` action carries it). */
const NO_TEMPLATE = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

/**
 * Whether a `notification` action ("Send email to end user") names a message template: the admin center makes one
 * choose a template, which holds the email's subject and body; an item with no id, an empty one or the zero GUID
 * names none, so there is no email to send.
 */
export function namesTemplate(a: ComplianceAction): boolean {
  const id = a.notificationTemplateId?.trim();
  return !!id && !NO_TEMPLATE.test(id);
}

/**
 * The platform (as the admin center names it) when Intune does not offer this action for the policy's platform, from
 * the one table hover and completion read (`NONCOMPLIANCE_ACTIONS_NOT_OFFERED`); else undefined (offered, or unknown).
 */
export function actionNotOfferedOn(p: PolicyFacts, actionType: string | undefined): string | undefined {
  const platform = platformOfODataType(p.spec?.['@odata.type']);
  if (!actionType || !platform) return undefined;
  return NONCOMPLIANCE_ACTIONS_NOT_OFFERED[platform]?.includes(actionType) ? PLATFORM_LABELS[platform] : undefined;
}

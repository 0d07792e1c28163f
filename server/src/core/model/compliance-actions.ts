/**
 * A compliance policy's actions for noncompliance (`scheduledActionsForRule[].scheduledActionConfigurations[]`), read
 * once per file: what `compliance-missing-block-action` and `compliance-action-ineffective` ask, and any other reader
 * (What If, the report) that comes to ask when a failing device is marked noncompliant.
 *
 * Sources: https://learn.microsoft.com/intune/device-security/compliance/configure-noncompliance-actions (the actions
 * and the platforms that offer each, `NONCOMPLIANCE_ACTION_PLATFORMS`), https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-devicecomplianceactionitem
 * (`actionType`, `gracePeriodHours` 0–8760, `notificationTemplateId`).
 */
import { isPlainObject, type JsonPath } from '../document';
import type { PolicyFacts } from '../facts';
import { graphTypeName, hasBlockAction, isSettingsCatalogComplianceSpec } from '../graph';
import { platformsOfConfigurationFlags } from '../platforms';
import { COMPLIANCE_ACTION_PLATFORM_LABELS, platformsOfferingAction, type ComplianceActionPlatform } from '../schema/graph-constraints';

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

/** Learn's row of each compliance policy type (`COMPLIANCE_ACTION_PLATFORM_LABELS`). */
const ACTION_PLATFORM_OF_TYPE: Readonly<Record<string, ComplianceActionPlatform>> = {
  androidCompliancePolicy: 'androidDeviceAdministrator',
  aospDeviceOwnerCompliancePolicy: 'aosp',
  // Fully managed, dedicated and corporate-owned work profile; personally owned work profile (and its older name).
  androidDeviceOwnerCompliancePolicy: 'androidEnterprise',
  androidWorkProfileCompliancePolicy: 'androidEnterprise',
  androidForWorkCompliancePolicy: 'androidEnterprise',
  iosCompliancePolicy: 'iOS',
  macOSCompliancePolicy: 'macOS',
  windows10CompliancePolicy: 'windows',
  windows10MobileCompliancePolicy: 'windows',
  windows81CompliancePolicy: 'windows',
  windowsPhone81CompliancePolicy: 'windows',
};

/**
 * Which of Learn's platforms a compliance policy's actions are for: by its `@odata.type`, so that AOSP
 * (`aospDeviceOwnerCompliancePolicy`) is told from Android Enterprise, which Conditional Access' `android` cannot; and
 * for a settings catalog policy (`deviceManagementCompliancePolicy`, tagged or untagged), by its `platforms`, read as
 * the policy's facts read them (`platformsOfConfigurationFlags`), when they name Linux alone. Anything else is
 * unknown (undefined). Takes the spec, so that completion, which has no facts, asks the same question.
 */
export function actionPlatformOf(spec: Record<string, unknown> | undefined): ComplianceActionPlatform | undefined {
  if (!spec) return undefined;
  const type = graphTypeName(spec['@odata.type']);
  if (type && Object.hasOwn(ACTION_PLATFORM_OF_TYPE, type)) return ACTION_PLATFORM_OF_TYPE[type];
  if (!isSettingsCatalogComplianceSpec(spec)) return undefined;
  const platforms = platformsOfConfigurationFlags(spec.platforms);
  return platforms.length === 1 && platforms[0] === 'linux' ? 'linux' : undefined;
}

/**
 * The platform (as Learn names it) when Intune does not offer this action for the policy's platform, from the one
 * table hover and completion read (`NONCOMPLIANCE_ACTION_PLATFORMS`); else undefined (offered, or unknown).
 */
export function actionNotOfferedOn(p: PolicyFacts, actionType: string | undefined): string | undefined {
  const platform = actionPlatformOf(p.spec);
  const offeredOn = actionType ? platformsOfferingAction(actionType) : undefined;
  if (!platform || !offeredOn) return undefined;
  return offeredOn.includes(platform) ? undefined : COMPLIANCE_ACTION_PLATFORM_LABELS[platform];
}

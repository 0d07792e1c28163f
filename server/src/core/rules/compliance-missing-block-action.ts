import { isPlainObject, type JsonPath } from '../document';
import { docPath, type PolicyFacts } from '../facts';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import type { Fix, TextEdit } from '../types';
import { addToMap, appendToSequence } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';
import { policiesOfKind } from '../reads';
import { complianceActions } from '../model/compliance-actions';

/** The action the portal calls "Mark device noncompliant", with no grace period (the portal's default). */
const BLOCK_ACTION = { actionType: 'block', gracePeriodHours: 0 };
/** The rule label real exports use; Graph treats it as an opaque string. */
const RULE = { ruleName: 'PasswordRequired', scheduledActionConfigurations: [BLOCK_ACTION] };

/**
 * Where the block action goes, decided from the file's shape: into the first rule's configurations, as that
 * rule's new configurations list, as a first rule, or as a new `scheduledActionsForRule` key on `spec`.
 */
type Insert = 'action' | 'configurations' | 'rule' | 'scheduledActionsForRule';

export interface BlockActionData {
  insert: Insert;
  path: JsonPath;
}

/** How to insert the action; undefined when the file's shape is too odd to edit safely (the schema reports it). */
function insertionFor(spec: Record<string, unknown>): BlockActionData | undefined {
  const rules = spec.scheduledActionsForRule;
  if (rules === undefined) return { insert: 'scheduledActionsForRule', path: ['spec'] };
  if (!Array.isArray(rules)) return undefined;
  if (rules.length === 0) return { insert: 'rule', path: ['spec', 'scheduledActionsForRule'] };
  const first = rules[0];
  if (!isPlainObject(first)) return undefined;
  const configurations = first.scheduledActionConfigurations;
  if (Array.isArray(configurations)) return { insert: 'action', path: ['spec', 'scheduledActionsForRule', 0, 'scheduledActionConfigurations'] };
  if (configurations === undefined) return { insert: 'configurations', path: ['spec', 'scheduledActionsForRule', 0] };
  return undefined;
}

function editFor(p: PolicyFacts, data: BlockActionData): TextEdit | undefined {
  // `data.path` is a path of the format (`['spec', …]`); a raw export holds the spec at its root.
  const path = docPath(p, data.path);
  switch (data.insert) {
    case 'action':
      return appendToSequence(p.parsed, path, [BLOCK_ACTION]);
    case 'configurations':
      return addToMap(p.parsed, path, 'scheduledActionConfigurations', [BLOCK_ACTION]);
    case 'rule':
      return appendToSequence(p.parsed, path, [RULE]);
    case 'scheduledActionsForRule':
      return addToMap(p.parsed, path, 'scheduledActionsForRule', [RULE]);
  }
}

/** A compliance policy with no `block` action: nothing ever marks a failing device noncompliant. */
export const complianceMissingBlockAction: Rule = {
  id: 'compliance-missing-block-action',
  title: 'A compliance policy has no "Mark device noncompliant" (block) action',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/intune/intune-service/protect/actions-for-noncompliance'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'CompliancePolicy')) {
      const spec = p.spec;
      if (!spec) continue;
      const actions = complianceActions(p);
      if (actions.hasBlock) continue;
      // A raw export without the property (or a rule without its configurations) was fetched without
      // `$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`: Graph returns the actions only when
      // asked, and every policy in Intune has its block action. Unknown, not missing.
      if (actions.unread) continue;
      const present = spec.scheduledActionsForRule !== undefined;
      emit({
        file: p,
        span: policySpan(p, present ? ['spec', 'scheduledActionsForRule'] : ['spec'], 'key'),
        message: `${present ? '`scheduledActionsForRule` has' : 'the policy has no `scheduledActionsForRule`, so it has'} no \`actionType: block\` action (the portal's "Mark device noncompliant"): a device that fails this policy is never marked noncompliant, and Conditional Access keeps letting it in. Graph also requires the action when the policy is created; add \`{ actionType: block, gracePeriodHours: 0 }\``,
        data: insertionFor(spec),
      });
    }
  },
  fix(finding, tenant) {
    const data = finding.data as BlockActionData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data || !p) return [];
    const edit = editFor(p, data);
    if (!edit) return [];
    const fix: Fix = { title: 'Add the "Mark device noncompliant" (block) action with no grace period', isPreferred: true, safe: true, edits: [edit], creates: [] };
    return [fix];
  },
};

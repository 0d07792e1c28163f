import type { Rule } from '../rule';

/** A `ztp-ignore` comment without a reason (an auditor will ask for it), so it suppresses nothing. */
export const invalidSuppression: Rule = {
  id: 'invalid-suppression',
  title: 'A ztp-ignore comment without a reason',
  category: 'structure',
  defaultSeverity: 'warning',
  check(tenant, emit) {
    for (const file of tenant.files) {
      for (const c of file.suppressions.invalid) {
        emit({
          file,
          span: c.span,
          message: `this ztp-ignore has no reason, so it suppresses nothing; write \`# ztp-ignore ${c.ruleIds.join(', ')}: <why this is accepted>\``,
        });
      }
    }
  },
};

import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { diagnoseSettings } from '../settings-catalog/diagnose';

/**
 * A settings catalog value Graph refuses: a choice value that is not one of the setting's options (or belongs to
 * another setting), a simple value of the wrong type or outside its range, an instance of the wrong kind, or a child
 * under a parent that does not have it. No quick fix: which option was meant is the author's choice (the hover and
 * completion list them).
 */
export const invalidSettingValue: Rule = {
  id: 'invalid-setting-value',
  title: 'A settings catalog value is not one the setting allows (option, type, range, kind or parent)',
  category: 'structure',
  defaultSeverity: 'error',
  sources: [
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationchoicesettingdefinition?view=graph-rest-beta',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationsettinginstance?view=graph-rest-beta',
  ],
  check(tenant, emit) {
    for (const p of tenant.policies) {
      for (const v of diagnoseSettings(p, tenant).values) {
        emit({ file: p, span: policySpan(p, ['spec', ...v.path], 'value'), message: v.message });
      }
    }
  },
};

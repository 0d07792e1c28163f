import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { diagnoseSettings } from '../settings-catalog/diagnose';

/** A settings catalog setting of one platform (or technology) in a policy for another. */
export const settingPlatformMismatch: Rule = {
  id: 'setting-platform-mismatch',
  title: "A settings catalog setting does not apply to the policy's platforms or technologies",
  category: 'structure',
  defaultSeverity: 'error',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/configuration/settings-catalog',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationsettingapplicability?view=graph-rest-beta',
  ],
  check(tenant, emit) {
    for (const p of tenant.policies) {
      for (const m of diagnoseSettings(p, tenant).platforms) {
        emit({ file: p, span: policySpan(p, ['spec', ...m.instance.idPath], 'value'), message: m.message });
      }
    }
  },
};

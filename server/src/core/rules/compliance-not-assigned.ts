import { assignedToNobody } from '../model/targets';
import { assignmentSpan } from '../tenant-query';
import type { Rule } from '../rule';
import { policiesOfKind } from '../reads';

/**
 * A compliance policy whose file declares its assignments and they include no one (the model's `assignedToNobody`):
 * Intune never evaluates it. A file that says nothing about assignments (a raw export fetched without them) is unknown,
 * and stays silent.
 */
export const complianceNotAssigned: Rule = {
  id: 'compliance-not-assigned',
  title: 'A compliance policy is assigned to nobody',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-security/compliance/create-policy',
    'https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started',
  ],
  peers: ['ZTA 24541', 'ZTA 24542', 'ZTA 24543', 'ZTA 24545'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'CompliancePolicy')) {
      if (!p.spec || !assignedToNobody(p)) continue;
      emit({
        file: p,
        span: assignmentSpan(p),
        message:
          `${p.name ? `\`${p.name}\`` : 'this compliance policy'} is assigned to nobody (its assignments include no group, \`allUsers\` or \`allDevices\`): ` +
          'Intune evaluates a compliance policy only on the devices it is assigned to, so none of its settings ever marks a device noncompliant. ' +
          'Assign it to the groups whose devices it should check, or delete it if nothing should use it',
      });
    }
  },
};

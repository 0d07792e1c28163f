/**
 * An enrollment restriction other than the tenant default whose file declares its assignments and they include no one
 * (the model's `assignedToNobody`, which the enrollment model reads too: such a restriction restricts no one). Intune
 * applies such a restriction only to the users in the groups it is assigned to, and the default to everyone else. A file
 * that says nothing about assignments (a raw export fetched without `$expand=assignments`) is unknown, and stays
 * silent; the default restriction applies to everyone, whatever it is assigned to.
 */
import { graphTypeName, isOtherEnrollmentConfiguration } from '../graph';
import { assignedToNobody } from '../model/targets';
import { policiesOfKind } from '../reads';
import type { Rule } from '../rule';
import { assignmentSpan } from '../tenant-query';

export const enrollmentRestrictionNotAssigned: Rule = {
  id: 'enrollment-restriction-not-assigned',
  title: 'An enrollment restriction other than the default is assigned to nobody',
  category: 'layer',
  layer: 2,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/enrollment/create-device-platform-restrictions',
    'https://learn.microsoft.com/intune/intune-service/enrollment/enrollment-restrictions-set',
  ],
  emitsOn: ['EnrollmentRestriction'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'EnrollmentRestriction')) {
      if (!p.spec || !assignedToNobody(p)) continue;
      // An enrollment status page or Windows Hello configuration written as a restriction is no restriction (the schema
      // says so): not this rule's.
      const type = graphTypeName(p.odataType);
      if (type && isOtherEnrollmentConfiguration(type)) continue;
      const priority = typeof p.spec.priority === 'number' ? ` (priority ${p.spec.priority})` : '';
      emit({
        file: p,
        span: assignmentSpan(p),
        message:
          `${p.name ? `\`${p.name}\`` : 'this enrollment restriction'}${priority} is assigned to nobody (its assignments include no group or \`allUsers\`): ` +
          'Intune applies a restriction other than the default only to the users in the groups it is assigned to, and the default restriction to everyone else, ' +
          'so what this one allows or blocks applies to no one. Assign it to the groups it should restrict, or delete it if nothing should use it',
      });
    }
  },
};

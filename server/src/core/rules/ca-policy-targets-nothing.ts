import { asObject } from '../document';
import type { Rule } from '../rule';
import { activeCaPolicies, isReportOnly, policySpan } from '../tenant-query';
import { noApplications, noUsers } from '../model/sign-in-scope';


/** An active CA policy that includes no user (or workload identity) or no target resource: it applies to no sign-in. */
export const caPolicyTargetsNothing: Rule = {
  id: 'ca-policy-targets-nothing',
  title: 'An active Conditional Access policy targets no users or no resources, so it applies to nothing',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps',
    'https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset',
  ],
  peers: ['MT.1184'],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of activeCaPolicies(tenant)) {
      const conditions = asObject(p.spec?.conditions);
      // No `conditions` at all breaks the schema, which reports it.
      if (!conditions) continue;
      const state = isReportOnly(p) ? 'report-only' : 'enabled';
      const users = noUsers(p, conditions);
      if (users) {
        emit({
          file: p,
          span: policySpan(p, 'users' in conditions ? ['spec', 'conditions', 'users'] : ['spec', 'conditions'], 'key'),
          message:
            `this ${state} policy ${users}, so it applies to nobody: it looks like protection and enforces nothing. ` +
            'Include the users it is meant for (`includeUsers: [All]`, groups or directory roles), or set `state: disabled` (or delete it) if it is not needed',
          lowered: isReportOnly(p),
          data: { side: 'users' },
        });
      }
      // No `applications` at all: Graph refuses to create the policy, which the schema reports.
      const apps = 'applications' in conditions ? noApplications(p, conditions) : undefined;
      if (apps) {
        const a = asObject(conditions.applications);
        const path = a && 'includeApplications' in a ? ['spec', 'conditions', 'applications', 'includeApplications'] : 'applications' in conditions ? ['spec', 'conditions', 'applications'] : ['spec', 'conditions'];
        emit({
          file: p,
          span: policySpan(p, path, 'key'),
          message:
            `this ${state} policy ${apps}, so it applies to no sign-in: it looks like protection and enforces nothing. ` +
            'Include the resources it is meant for (`includeApplications: [All]`, an app, a user action or an authentication context), or set `state: disabled` (or delete it) if it is not needed',
          lowered: isReportOnly(p),
          data: { side: 'applications' },
        });
      }
    }
  },
};

import { asObject } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { activeCaPolicies, isReportOnly, policySpan } from '../tenant-query';


function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Entries of an include list that name someone or something: `None` is the portal's "nobody" / "no resource". */
function named(v: unknown): string[] {
  return strings(v).filter((x) => x.trim() && x !== 'None');
}

/** A set filter (`applicationFilter`, `servicePrincipalFilter`…): an object with a rule, or anything else non-null. */
function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

/**
 * Whether the policy targets identities other than users: workload identities (`clientApplications`, service
 * principals or agent identities, by list or filter) or agents (`agents`, a preview without a published type, so
 * any non-null value counts: silence where we cannot read it).
 */
function targetsOtherIdentities(conditions: Record<string, unknown>): boolean {
  if (isSet(conditions.agents)) return true;
  const ca = asObject(conditions.clientApplications);
  if (!ca) return false;
  return Object.entries(ca).some(([k, v]) => !k.includes('@') && /^include|Filter$/.test(k) && (Array.isArray(v) ? named(v).length > 0 : isSet(v)));
}

/** Why the users side targets nobody, or undefined when it targets someone (or cannot be known). */
function noUsers(p: PolicyFacts, conditions: Record<string, unknown>): string | undefined {
  if (targetsOtherIdentities(conditions)) return undefined;
  const users = conditions.users;
  // Graph writes `users` in every export: a raw export without it is not ours to judge.
  if (users === undefined) return p.raw ? undefined : 'has no `users` condition';
  const u = asObject(users);
  if (!u) return users === null ? 'has `users: null`' : undefined;
  if (named(u.includeUsers).length || named(u.includeGroups).length || named(u.includeRoles).length) return undefined;
  if (isSet(u.includeGuestsOrExternalUsers)) return undefined;
  return strings(u.includeUsers).includes('None') ? 'includes the users `None`' : 'includes no user, group, role or guest type';
}

/** Keys of `conditions.applications` that name a target resource. */
const APP_TARGETS = ['includeApplications', 'includeUserActions', 'includeAuthenticationContextClassReferences'];

/** Why the target resources are empty, or undefined when the policy targets some resource (or cannot be known). */
function noApplications(p: PolicyFacts, conditions: Record<string, unknown>): string | undefined {
  const apps = conditions.applications;
  if (apps === undefined) return p.raw ? undefined : 'has no `applications` condition (target resources)';
  const a = asObject(apps);
  if (!a) return apps === null ? 'has `applications: null`' : undefined;
  if (APP_TARGETS.some((k) => named(a[k]).length)) return undefined;
  // A custom security attribute filter, Global Secure Access traffic (beta): targets chosen another way.
  if (isSet(a.applicationFilter) || isSet(a.globalSecureAccess) || isSet(a.networkAccess)) return undefined;
  return strings(a.includeApplications).includes('None') ? 'includes the resources `None`' : 'includes no app, user action or authentication context';
}

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
      const apps = noApplications(p, conditions);
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

import type { Rule } from '../rule';
import { applyingCaPolicies, isReportOnly, policySpan } from '../tenant-query';
import { caUsers } from '../model/break-glass';
import { asObject } from '../document';
import { codeList, policyLabel } from './ca-helpers';

/**
 * An active CA policy that disables resilience defaults (`sessionControls.disableResilienceDefaults: true`) and reaches
 * many users: All users, or groups or roles (included or excluded). During an outage the Backup Authentication Service
 * then cannot extend an existing session when a condition cannot be evaluated in real time, and blocks it; group and
 * role membership is such a condition, so a policy that names a group or a role reduces resilience for every user of
 * the tenant. Microsoft "highly recommends leaving the resilience defaults enabled"
 * (https://learn.microsoft.com/entra/identity/conditional-access/resilience-defaults). A policy for named users only is
 * Learn's own advice, and is not reported.
 */
export const caResilienceDefaultsDisabled: Rule = {
  id: 'ca-resilience-defaults-disabled',
  title: 'A Conditional Access policy for All users, groups or roles disables resilience defaults',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'information',
  sources: ['https://learn.microsoft.com/entra/identity/conditional-access/resilience-defaults'],
  peers: [],
  emitsOn: ['ConditionalAccessPolicy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of applyingCaPolicies(tenant)) {
      if (asObject(p.spec?.sessionControls)?.disableResilienceDefaults !== true) continue;
      const u = caUsers(p);
      const all = u.includeUsers.some((x) => x.toLowerCase() === 'all');
      const named = [...u.includeGroups, ...u.excludeGroups, ...u.includeRoles, ...u.excludeRoles];
      if (!all && !named.length) continue;
      const names = [...new Set(named)];
      const nameText = `${codeList(names.slice(0, 3), 'and')}${names.length > 3 ? '…' : ''}`;
      const membership =
        'group and role membership cannot be evaluated in real time during an outage, so every user who signs in to the apps it targets is denied then, ' +
        "even those outside its groups and roles: it reduces resilience for the whole tenant (Learn's warning).";
      const scope = all
        ? 'for All users: during a Microsoft Entra outage the Backup Authentication Service does not extend an existing session when a condition of the policy cannot be evaluated in real time, ' +
          `so the sign-ins in its scope are blocked until the outage ends.${names.length ? ` It also names ${nameText}: ${membership}` : ''}`
        : `on a policy for ${nameText}: ${membership}`;
      emit({
        file: p,
        span: policySpan(p, ['spec', 'sessionControls', 'disableResilienceDefaults'], 'key'),
        message:
          `${policyLabel(p)} disables resilience defaults ${scope} ` +
          'Microsoft highly recommends leaving resilience defaults enabled: remove `disableResilienceDefaults`, or keep it only on a policy for a sensitive app that must be evaluated in real time, assigned to individual users',
        lowered: isReportOnly(p),
      });
    }
  },
};

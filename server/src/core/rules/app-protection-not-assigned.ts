import { assignedToNobody } from '../model/targets';
import { modelOf } from '../model/index';
import { listText } from '../prose';
import { policiesOfKind } from '../reads';
import type { Rule } from '../rule';
import { assignmentSpan, related } from '../tenant-query';
import { policyLabel } from './ca-helpers';

/**
 * An app protection policy whose file declares its assignments and they include no one (the model's
 * `assignedToNobody`): Intune applies app protection only to the users in the groups it is assigned to, so its
 * settings protect no one's apps, and it meets `compliantApplication` for no one (the grant evaluator leaves it out
 * too). A file that says nothing about assignments (a raw export fetched without `$expand=assignments`) is unknown,
 * and stays silent.
 */
export const appProtectionNotAssigned: Rule = {
  id: 'app-protection-not-assigned',
  title: 'An app protection policy is assigned to nobody',
  category: 'layer',
  layer: 1,
  defaultSeverity: 'warning',
  emitsOn: ['AppProtectionPolicy'],
  sources: ['https://learn.microsoft.com/intune/intune-service/apps/app-protection-policies'],
  peers: ['ZTA 24548', 'ZTA 24549'],
  check(tenant, emit) {
    if (!tenant.root) return;
    const policies = policiesOfKind(tenant, 'AppProtectionPolicy').filter((p) => p.spec && assignedToNobody(p));
    if (!policies.length) return;
    const model = modelOf(tenant);
    for (const p of policies) {
      // The Conditional Access policies that ask app protection on its platforms, which it meets for no one.
      const asking = p.platforms.flatMap((pl) => model.appProtectionRequiredBy(pl)).filter((q, i, all) => all.indexOf(q) === i);
      const ca = asking.length ? `, and ${listText(asking.map((q) => policyLabel(q)))} ${asking.length > 1 ? 'require' : 'requires'} app protection, which this policy meets for no one` : '';
      emit({
        file: p,
        span: assignmentSpan(p),
        message:
          `${p.name ? `\`${p.name}\`` : 'this app protection policy'} is assigned to nobody (its assignments include no group or \`allUsers\`): ` +
          `Intune applies an app protection policy only to the users in the groups it is assigned to, so no one's apps get its PIN, encryption or data transfer settings${ca}. ` +
          'Assign it to the user groups whose apps it should protect (app protection is assigned to users, whatever their device), or delete it if nothing should use it',
        related: asking.map((q) => related(q, 'Conditional Access policy that requires app protection')),
      });
    }
  },
};

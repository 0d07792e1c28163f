/**
 * An enrollment restriction that never applies: every user it is assigned to is also assigned a restriction of the
 * same type (and platform) with a higher priority, and Intune applies only that one. Which restrictions are shadowed
 * is the tenant model's answer (`EnrollmentModel.shadowedBy`); a group the manifest does not declare leaves it unknown.
 */
import { modelOf } from '../model/index';
import type { ShadowingRestriction } from '../model/enrollment';
import type { PolicyFacts } from '../facts';
import { relative } from '../paths';
import { listText } from '../prose';
import { policiesOfKind } from '../reads';
import type { Rule } from '../rule';
import { policySpan } from '../tenant-query';

const label = (p: PolicyFacts): string => `\`${p.name ?? p.path}\``;

/** How a higher restriction takes the shadowed one's targets: all users, the same group, or a group they are nested in. */
function takesText(h: ShadowingRestriction): string {
  if (h.takes.some((t) => t.through === 'allUsers')) return 'is assigned to all users';
  return listText(
    h.takes.map(({ target, through }) =>
      target === through ? `is also assigned to \`${target}\`` : `is assigned to \`${through}\`, which \`${target}\` is nested in`,
    ),
  );
}

export const enrollmentRestrictionShadowed: Rule = {
  id: 'enrollment-restriction-shadowed',
  title: 'An enrollment restriction never applies: a higher-priority one takes all its users',
  category: 'layer',
  layer: 2,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/intune/intune-service/enrollment/enrollment-restrictions-set'],
  emitsOn: ['EnrollmentRestriction'],
  check(tenant, emit) {
    if (!tenant.root || !tenant.manifest) return;
    const enrollment = modelOf(tenant).enrollment;
    for (const p of policiesOfKind(tenant, 'EnrollmentRestriction')) {
      const shadowing = enrollment.shadowedBy(p);
      if (!shadowing) continue;
      const names = listText(shadowing.by.map((h) => label(h.policy)));
      const toAll = shadowing.by.some((h) => h.takes.some((t) => t.through === 'allUsers'));
      const where = (h: ShadowingRestriction): string => `${label(h.policy)} (priority ${h.priority}, \`${relative(tenant.root!, h.policy.path)}\`) ${takesText(h)}`;
      emit({
        file: p,
        span: policySpan(p, ['spec', 'priority'], 'value'),
        message:
          `${label(p)} (priority ${shadowing.priority}) never applies to anyone: Intune applies to each user only the highest-priority ${shadowing.list} ` +
          `restriction assigned to their groups, and every user this one is assigned to gets a higher one first: ${listText(shadowing.by.map(where))}. ` +
          'What it sets reaches no one. ' +
          `Move it above ${names} in the priority list (priority 1 is the highest), ` +
          (toAll
            ? `or assign ${names} to the groups it is meant for rather than all users`
            : `or assign it to a group ${names} ${shadowing.by.length === 1 ? 'does' : 'do'} not cover`) +
          '; delete it if nothing should use it',
        related: shadowing.by.map((h) => ({
          file: h.policy.path,
          span: policySpan(h.policy, ['spec', 'priority'], 'value'),
          message: `the higher-priority restriction (priority ${h.priority}) that takes its users first`,
        })),
      });
    }
  },
};

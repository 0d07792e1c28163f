/**
 * A compliance policy for devices that cannot enroll applies to no device. Whether they can is the tenant model's
 * answer (restrictions by priority and assignment, the Apple push certificate, the managed Google Play binding);
 * facts the manifest does not declare are unknown and raise nothing here.
 */
import type { PolicyFacts } from '../facts';
import { modelOf } from '../model/index';
import { assignmentDeclaration } from '../model/targets';
import { ENROLLMENT_LABELS, enrollmentTypeOf } from '../model/enrollment';
import { PLATFORM_LABELS } from '../platforms';
import type { Rule } from '../rule';
import { policySpan } from '../tenant-query';
import type { RelatedInfo } from '../types';
import { spanAtPath } from '../document';
import { policiesOfKind } from '../reads';
import { listText } from '../prose';

/** How the message names the devices: Android's management modes enroll so differently that they are named apart. */
function devicesLabel(p: PolicyFacts): string {
  const type = enrollmentTypeOf(p);
  if (type) return ENROLLMENT_LABELS[type];
  return p.platforms[0] ? PLATFORM_LABELS[p.platforms[0]] : 'These';
}

/**
 * Microsoft's move from Android device administrator to work profile: a device administrator compliance policy that
 * blocks device administrator management marks the devices already enrolled noncompliant, while a restriction keeps
 * new ones from enrolling. A restriction blocks new enrollments only, so the policy reaches those devices by design.
 * https://learn.microsoft.com/intune/intune-service/enrollment/android-move-device-admin-work-profile
 */
function isDeviceAdministratorMigration(p: PolicyFacts): boolean {
  return enrollmentTypeOf(p) === 'android' && p.spec?.securityBlockDeviceAdministratorManagedDevices === true;
}

/** A compliance policy for a platform that cannot enroll: it applies to no device. */
export const complianceRequiresEnrollment: Rule = {
  id: 'compliance-requires-enrollment',
  title: 'A compliance policy targets a platform that cannot enroll',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'error',
  sources: ['https://learn.microsoft.com/intune/intune-service/enrollment/enrollment-restrictions-set', 'https://learn.microsoft.com/intune/intune-service/enrollment/apple-mdm-push-certificate-get', 'https://learn.microsoft.com/intune/intune-service/enrollment/connect-intune-android-enterprise'],
  peers: ['MT.1092', 'MT.1095'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!tenant.root || !manifest) return;
    const model = modelOf(tenant);
    for (const p of policiesOfKind(tenant, 'CompliancePolicy')) {
      if (!p.platforms.length || isDeviceAdministratorMigration(p)) continue;
      const answer = model.complianceEnrollment(p);
      // Blocked unless the users are also in a group another restriction lets enroll, which the manifest does not say:
      // a warning that names those groups, never an error on an undeclared fact.
      const unlessIn = answer.state === 'unknown' ? answer.unlessIn : undefined;
      if (answer.state !== 'blocked' && !unlessIn?.length) continue;
      const source = answer.source;
      // A restriction that might allow it could sit in a file that could not be read.
      if (source?.policy && model.mayHide('EnrollmentRestriction')) continue;
      const related: RelatedInfo[] = [];
      if (source?.policy) related.push({ file: source.file, span: policySpan(source.policy, source.path, 'value'), message: 'the restriction that blocks enrollment' });
      else if (source) related.push({ file: manifest.path, span: spanAtPath(manifest.parsed, source.path, 'value'), message: 'the tenant manifest\'s settings' });
      emit({
        file: p,
        span: policySpan(p, ['spec', '@odata.type'], 'value'),
        // A policy assigned to nobody (compliance-not-assigned says so) is read against every user. A restriction
        // stops new enrollments only: devices enrolled before it are still evaluated (Learn: edits "don't affect
        // devices that are already enrolled"). An expired push certificate or a lost Google Play binding reaches
        // enrolled devices too.
        message: unlessIn?.length
          ? `${devicesLabel(p)} devices cannot enroll for the users this policy is assigned to unless they are also in ${listText(unlessIn.map((g) => `\`${g}\``), 'or')} (the manifest does not say whether they are), so it may reach no device but those enrolled before the block: ${answer.reason}`
          : `${devicesLabel(p)} devices cannot enroll for ${assignmentDeclaration(p) === 'nobody' ? 'any user' : 'the users this policy is assigned to'}, so it reaches ${source?.policy ? 'no device but those enrolled before the block' : 'no device'}: ${answer.reason}`,
        ...(unlessIn?.length ? { severity: 'warning' as const } : {}),
        related,
      });
    }
  },
};

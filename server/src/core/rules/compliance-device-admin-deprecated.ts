import type { Rule } from '../rule';
import { policySpan, related } from '../tenant-query';
import { modelOf } from '../model/index';
import { enrollmentTypeOf } from '../model/enrollment';
import { DEVICE_ADMIN_RULE } from '../model/grants';
import { policyLabel } from './ca-helpers';
import { policiesOfKind } from '../reads';
import { listText } from '../prose';

/**
 * A device administrator compliance policy (`androidCompliancePolicy`). Intune ended device administrator management
 * on devices with Google Mobile Services on 31 December 2024: such devices enroll as Android Enterprise (work profile,
 * fully managed, dedicated), which a device administrator policy does not reach
 * (https://learn.microsoft.com/intune/intune-service/enrollment/android-move-device-admin-work-profile). Where it is all
 * the Android compliance a CA policy's compliant device rests on, the grant evaluator says so (`deviceAdminOnly`), and
 * the message names the CA policies.
 */
export const complianceDeviceAdminDeprecated: Rule = {
  id: DEVICE_ADMIN_RULE,
  title: 'A compliance policy is for Android device administrator, which Intune no longer manages on GMS devices',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/enrollment/android-move-device-admin-work-profile',
    'https://learn.microsoft.com/intune/intune-service/fundamentals/whats-new#plan-for-change-intune-is-moving-to-support-android-enterprise-by-default',
  ],
  peers: [],
  emitsOn: ['CompliancePolicy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    const model = modelOf(tenant);
    for (const p of policiesOfKind(tenant, 'CompliancePolicy')) {
      if (enrollmentTypeOf(p) !== 'android') continue;
      // Learn's own move to Android Enterprise makes a device administrator compliance policy that blocks device
      // administrator devices ("Block devices managed with device administrator"): it is the migration, not a policy
      // to retire (https://learn.microsoft.com/intune/intune-service/enrollment/android-move-device-admin-work-profile).
      if (p.spec?.securityBlockDeviceAdministratorManagedDevices === true) continue;
      // The CA policies whose compliant device on Android rests on device administrator policies only.
      const resting = model.compliantDeviceRequiredBy('android').filter((q) => model.grant(q, 'android').controls.some((c) => c.deviceAdminOnly?.includes(p)));
      const ca = resting.length
        ? `; the tenant's Android compliance is device administrator's only, so the compliant device ${listText(resting.map((q) => policyLabel(q)))} ${resting.length > 1 ? 'require' : 'requires'} on Android ${model.declared.secureByDefault === true ? 'may be unsatisfiable: secureByDefault marks an Android Enterprise device no policy reaches noncompliant' : 'is checked on no Android Enterprise device'}`
        : '';
      // Android Enterprise compliance policies beside it: they cover those devices, and this one can go once no device
      // is enrolled as device administrator any more.
      const enterprise = policiesOfKind(tenant, 'CompliancePolicy').filter((c) => c !== p && c.platforms.includes('android') && enrollmentTypeOf(c) !== undefined && enrollmentTypeOf(c) !== 'android');
      const fix = enterprise.length
        ? `${listText(enterprise.map((c) => `\`${c.name ?? c.path}\``))} ${enterprise.length > 1 ? 'cover' : 'covers'} Android Enterprise devices: move the remaining devices with Google Mobile Services off device administrator, then keep this policy only for devices without them`
        : 'Add Android Enterprise compliance policies (`androidWorkProfileCompliancePolicy` for personal devices, `androidDeviceOwnerCompliancePolicy` for corporate ones) and move the devices with Google Mobile Services off device administrator';
      emit({
        file: p,
        span: policySpan(p, ['spec', '@odata.type'], 'value'),
        message:
          `${p.name ? `\`${p.name}\`` : 'this compliance policy'} is for Android device administrator (\`androidCompliancePolicy\`), whose support ended on devices with Google Mobile Services on 31 December 2024 (devices without them may stay on device administrator): ` +
          `those enroll as Android Enterprise, and this policy does not reach them${ca}. ${fix}`,
        tags: ['deprecated'],
        related: resting.map((q) => related(q, 'Conditional Access policy that requires a compliant device on Android')),
      });
    }
  },
};

import { graphTypeName } from '../graph';
import { policiesOfKind } from '../reads';
import type { Rule } from '../rule';
import { policySpan } from '../tenant-query';
import { policyLabel } from './ca-helpers';
import { compareVersions, FIRST_WINDOWS_10, versionParts } from '../model/os-version';

const CREATE_WINDOWS_URL = 'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-windows';

/** The Windows 10/11 compliance policy's minimum versions, with their portal names (Device Properties). */
const PROPERTIES: readonly { property: string; portal: string }[] = [
  { property: 'osMinimumVersion', portal: 'Minimum OS version' },
  { property: 'mobileOsMinimumVersion', portal: 'Minimum OS version for mobile devices' },
];

/**
 * Whether a minimum version sets no floor by mistake: it is below 10.0.10240, so every Windows 10/11 device meets it,
 * and it names a build (`10.0.1904`, a truncated 10.0.19041) or an older Windows (`6.3.9600`, Windows 8.1's). `10`,
 * `10.0`, `10.0.0` name no build: "any Windows 10 or 11", which is what they do.
 */
export function setsNoFloor(value: unknown): boolean {
  const v = versionParts(value);
  if (!v || compareVersions(v, FIRST_WINDOWS_10) >= 0) return false;
  const namesNoBuild = v[0] === 10 && v.slice(1).every((n) => n === 0);
  return !namesNoBuild;
}

/**
 * A Windows 10/11 compliance policy whose minimum OS version is below the first Windows 10 build: every device it checks
 * meets it, so the policy sets no OS floor, where the author meant one (a live tenant's `10.0.1904` for 10.0.19041).
 * Other platforms' versions are not read: their numbering is their own.
 */
export const complianceOsMinimumNoFloor: Rule = {
  id: 'compliance-os-minimum-no-floor',
  title: 'A Windows compliance policy\'s minimum OS version is below the first Windows 10 build',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'warning',
  sources: [CREATE_WINDOWS_URL, 'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windows10compliancepolicy?view=graph-rest-beta'],
  emitsOn: ['CompliancePolicy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'CompliancePolicy')) {
      if (graphTypeName(p.odataType) !== 'windows10CompliancePolicy' || !p.spec) continue;
      for (const { property, portal } of PROPERTIES) {
        const value = p.spec[property];
        if (!setsNoFloor(value)) continue;
        emit({
          file: p,
          severity: 'warning',
          span: policySpan(p, ['spec', property], 'value'),
          message:
            `${policyLabel(p)} sets \`${property}\` (${portal}) to \`${String(value).trim()}\`, below 10.0.10240, the first Windows 10 build: ` +
            'every Windows 10 or 11 device meets it, so the policy sets no OS floor. ' +
            'Write the whole version as `ver` shows it, `major.minor.build` (10.0.19045 is Windows 10 22H2, 10.0.26100 Windows 11 24H2), ' +
            `or remove the property if no floor is meant (${CREATE_WINDOWS_URL})`,
          data: { property, value: String(value) },
        });
      }
    }
  },
};

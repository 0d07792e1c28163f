import { specPath } from '../facts';
import { graphTypeName } from '../graph';
import { assignmentDeclaration } from '../model/targets';
import { osVersionUnmeetable, type OsVersionUnmeetable } from '../model/os-version';
import { OS_VERSION_RULE } from '../model/grants';
import { policiesOfKind } from '../reads';
import type { Rule } from '../rule';
import { policySpan, related } from '../tenant-query';
import type { Fix } from '../types';
import { replaceValue } from '../yaml-edit';
import { policyLabel } from './ca-helpers';
import { policyAt } from './endpoint-helpers';

const CREATE_WINDOWS_URL = 'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-windows';

/** What a finding carries for its fix. */
interface UnmeetableData {
  which: OsVersionUnmeetable['which'];
  property: string;
  value: string;
  replacement?: string;
}

/**
 * A compliance policy whose OS version bounds no device meets (`osVersionUnmeetable`, the model's one reading): a
 * Windows 10/11 minimum above 10.0 (`11.0.22000`: Windows 11 reports 10.0.22000 and later), a Windows maximum below
 * 10.0.10240, or on any platform a minimum above the maximum. Every device it applies to is noncompliant; the grant
 * evaluator reads the same answer, so What If and the lockout check say that a compliant device cannot be met where it
 * certainly applies. An error where the policy is assigned; a warning where it is assigned to nobody, whom it is
 * assigned to is not in the file, or the bound is Windows 10 Mobile's only (it checks no device today, and is wrong all
 * the same).
 */
export const complianceOsVersionUnmeetable: Rule = {
  id: OS_VERSION_RULE,
  title: 'A compliance policy\'s OS version bounds are met by no device',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'error',
  sources: [
    CREATE_WINDOWS_URL,
    'https://learn.microsoft.com/windows/win32/sysinfo/operating-system-version',
    'https://learn.microsoft.com/windows/release-health/windows11-release-information',
    'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-monitor',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windows10compliancepolicy?view=graph-rest-beta',
  ],
  emitsOn: ['CompliancePolicy'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'CompliancePolicy')) {
      const bounds = osVersionUnmeetable(p);
      if (!bounds.length) continue;
      const assigned = assignmentDeclaration(p);
      const windows = graphTypeName(p.odataType) === 'windows10CompliancePolicy';
      for (const b of bounds) {
        const severity = assigned === 'assigned' && b.devices === 'policy' ? 'error' : 'warning';
        const who =
          b.devices === 'mobile'
            ? 'every Windows 10 Mobile device it checks is noncompliant'
            : assigned === 'assigned'
              ? 'every device it applies to is noncompliant, and a Conditional Access policy that requires a compliant device blocks it'
              : assigned === 'nobody'
                ? 'once assigned, every device it applies to is noncompliant'
                : 'every device it applies to is noncompliant (whom it is assigned to is not in this file)';
        const fix = b.replacement ? ` Write \`${b.replacement}\` (\`ver\` on Windows 11 shows 10.0.<build>)` : b.which === 'range' ? ` Lower the minimum or raise the maximum (\`${b.maximum!.property}\`)` : ` Correct the version as \`ver\` shows it on a device you mean to allow, or remove the property`;
        emit({
          file: p,
          severity,
          span: policySpan(p, b.path, 'value'),
          message: `${policyLabel(p)} sets \`${b.property}\` to \`${b.value}\`: ${b.detail}, so ${who}.${fix}${windows ? ` (${CREATE_WINDOWS_URL})` : ''}`,
          ...(b.maximum ? { related: [related(p, `the maximum, \`${b.maximum.value}\`, is below the minimum`, ['spec', b.maximum.property])] } : {}),
          data: { which: b.which, property: b.property, value: b.value, ...(b.replacement ? { replacement: b.replacement } : {}) } satisfies UnmeetableData,
        });
      }
    }
  },
  fix(finding, tenant) {
    const data = finding.data as UnmeetableData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data?.replacement || !p?.spec) return [];
    // The value must still be the one the finding was made on.
    if (typeof p.spec[data.property] !== 'string' || (p.spec[data.property] as string).trim() !== data.value) return [];
    const edit = replaceValue(p.parsed, specPath(p, data.property), data.replacement);
    if (!edit) return [];
    // `11.0.<build>` with a Windows 11 build: the same build, as Windows reports it. Nothing else is read into it.
    const fix: Fix = { title: `Set ${data.property} to ${data.replacement} (Windows 11 reports 10.0.<build>)`, isPreferred: true, safe: true, edits: [edit], creates: [] };
    return [fix];
  },
};

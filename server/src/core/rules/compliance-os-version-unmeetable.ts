import { specPath } from '../facts';
import { graphTypeName } from '../graph';
import { assignmentDeclaration } from '../model/targets';
import { boundText, osVersionUnmeetable, type OsVersionUnmeetable } from '../model/os-version';
import { OS_VERSION_RULE } from '../model/grants';
import { policiesOfKind } from '../reads';
import type { Rule } from '../rule';
import { policySpan, related } from '../tenant-query';
import type { Fix } from '../types';
import { replaceValue } from '../yaml-edit';
import { policyLabel } from './ca-helpers';
import { policyAt } from './endpoint-helpers';

const CREATE_WINDOWS_URL = 'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-windows';
const CREATE_LINUX_URL = 'https://learn.microsoft.com/intune/intune-service/protect/compliance-policy-create-linux';

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
 * 10.0.10240, on any platform a minimum above the maximum; Windows valid build ranges none of which holds a device,
 * Linux allowed distributions none of which does. Every device it applies to is noncompliant; the grant evaluator reads
 * the same answer, so What If and the lockout check say that a compliant device cannot be met where it certainly
 * applies. An error where the policy is assigned; a warning where it is assigned to nobody, whom it is assigned to is
 * not in the file, or the bound makes only some devices noncompliant: Windows 10 Mobile's pair (it checks no device
 * today, and is wrong all the same), one build range of several, one distribution of several, a WSL distribution
 * (only devices with it installed).
 */
export const complianceOsVersionUnmeetable: Rule = {
  id: OS_VERSION_RULE,
  title: 'A compliance policy\'s OS version bounds are met by no device',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'error',
  sources: [
    CREATE_WINDOWS_URL,
    CREATE_LINUX_URL,
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-operatingsystemversionrange',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-wsldistributionconfiguration?view=graph-rest-beta',
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
      const learn = windows ? ` (${CREATE_WINDOWS_URL})` : p.platforms.includes('linux') ? ` (${CREATE_LINUX_URL})` : '';
      for (const b of bounds) {
        const severity = assigned === 'assigned' && b.devices === 'policy' ? 'error' : 'warning';
        const who =
          b.devices === 'mobile'
            ? 'every Windows 10 Mobile device it checks is noncompliant'
            : b.devices === 'some'
              ? `${b.someDevices}${assigned === 'nobody' ? ' once it is assigned' : ''}`
              : assigned === 'assigned'
                ? 'every device it applies to is noncompliant, and a Conditional Access policy that requires a compliant device blocks it'
                : assigned === 'nobody'
                  ? 'once assigned, every device it applies to is noncompliant'
                  : 'every device it applies to is noncompliant (whom it is assigned to is not in this file)';
        const fix = b.replacement
          ? ` Write \`${b.replacement}\` (\`ver\` on Windows 11 shows 10.0.<build>)`
          : b.which === 'range'
            ? ` Lower the minimum or raise the maximum (\`${b.maximum!.property}\`)`
            : b.entry
              ? ` Correct the range as \`ver\` shows the builds you mean to allow, or remove it`
              : ` Correct the version as \`ver\` shows it on a device you mean to allow, or remove the property`;
        const what = b.entry ? `lists ${boundText(b)}` : `sets \`${b.property}\` to \`${b.value}\``;
        emit({
          file: p,
          severity,
          span: policySpan(p, b.path, 'value'),
          message: `${policyLabel(p)} ${what}: ${b.detail}, so ${who}.${fix}${learn}`,
          ...(b.maximum ? { related: [related(p, `the maximum, \`${b.maximum.value}\`, is below the minimum`, b.maximum.path)] } : {}),
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

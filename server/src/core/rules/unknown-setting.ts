import { specPath } from '../facts';
import { policySpan } from '../tenant-query';
import type { Rule, TenantView } from '../rule';
import { diagnoseSettings } from '../settings-catalog/diagnose';
import { replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';

/** The index's snapshot date (the index is loaded already when there is a finding to report). */
const snapshot = (tenant: TenantView): string => tenant.catalog?.()?.snapshot ?? 'unknown';

export interface UnknownSettingData {
  path: (string | number)[];
  suggestion?: string;
}

/**
 * A `settingDefinitionId` that is not a settings catalog setting: misspelt (its own choice value names the setting
 * it meant), absent from a complete catalog snapshot, deprecated, or gone from the catalog since real exports used it.
 */
export const unknownSetting: Rule = {
  id: 'unknown-setting',
  title: 'A settingDefinitionId is not a settings catalog setting (misspelt, unknown, deprecated or retired)',
  category: 'structure',
  defaultSeverity: 'error',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/configuration/settings-catalog',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationsettingdefinition?view=graph-rest-beta',
  ],
  check(tenant, emit) {
    for (const p of tenant.policies) {
      for (const u of diagnoseSettings(p, tenant).unknown) {
        const id = u.instance.id;
        const span = policySpan(p, ['spec', ...u.instance.idPath], 'value');
        const data: UnknownSettingData = { path: u.instance.idPath, ...(u.suggestions.length === 1 ? { suggestion: u.suggestions[0] } : {}) };
        if (u.reason === 'misspelt') {
          emit({ file: p, span, data, message: `\`${id}\` is not a settings catalog setting: its value belongs to \`${u.suggestions[0]}\`. Did you mean \`${u.suggestions[0]}\`? Graph refuses an unknown setting id` });
        } else if (u.reason === 'unknown') {
          const hint = u.suggestions.length ? ` Did you mean ${u.suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '';
          emit({ file: p, span, data, message: `\`${id}\` is not in the settings catalog (snapshot ${snapshot(tenant)}), so Graph refuses it.${hint}` });
        } else if (u.reason === 'deprecated') {
          emit({ file: p, span, severity: 'warning', message: `"${u.info?.displayName ?? id}" (\`${id}\`) is marked deprecated in the settings catalog (snapshot ${snapshot(tenant)}): Intune may stop applying it; use its replacement` });
        } else {
          emit({ file: p, span, severity: 'warning', message: `\`${id}\` has left the settings catalog: real exports used it, but Graph's catalog of ${snapshot(tenant)} no longer has it. Remove it or use its replacement` });
        }
      }
    }
  },
  fix(finding, tenant) {
    const data = finding.data as UnknownSettingData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data?.suggestion || !p?.spec) return [];
    const edit = replaceValue(p.parsed, specPath(p, ...data.path), data.suggestion);
    return edit ? [{ title: `Change to ${data.suggestion}`, isPreferred: true, safe: true, edits: [edit], creates: [] }] : [];
  },
};

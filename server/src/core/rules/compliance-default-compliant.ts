import { isMap } from 'yaml';
import { nodeAtPath, spanAtPath } from '../document';
import { modelOf } from '../model/index';
import { grantControlNames } from '../model/grants';
import type { ManifestFacts } from '../facts';
import type { Rule } from '../rule';
import { applyingCaPolicies, grantControlPath, related } from '../tenant-query';
import type { TextEdit } from '../types';
import { addToMap, replaceValue } from '../yaml-edit';
import { codeList } from './ca-helpers';

/** CA requires compliant devices, but `settings.secureByDefault` is not true: devices with no compliance policy pass. */
export const complianceDefaultCompliant: Rule = {
  id: 'compliance-default-compliant',
  title: 'Devices with no compliance policy count as compliant while Conditional Access requires compliance',
  category: 'layer',
  layer: 3,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/intune/intune-service/protect/device-compliance-get-started', 'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-devicemanagementsettings?view=graph-rest-beta'],
  peers: ['MT.1054'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    // The model's one reading of the fact: only a declared `false` is false. Not declared (or a value the schema
    // refuses, such as `secureByDefault:` left empty) is unknown, and `undeclared-fact` asks for it instead.
    if (!manifest || modelOf(tenant).secureByDefault !== false) return;
    const requiring = applyingCaPolicies(tenant).filter((p) => grantControlNames(p).includes('compliantDevice'));
    if (!requiring.length) return;
    // The manifest is tenant-wide, so report-only CA policies do not lower this finding.
    emit({
      file: manifest,
      // The `secureByDefault` line; spanAtPath falls back to the `settings` key, then to line 1.
      span: spanAtPath(manifest.parsed, ['settings', 'secureByDefault'], 'value'),
      message: message(requiring.map((p) => p.name ?? p.path)),
      related: requiring.map((p) => related(p, 'requires a compliant device', grantControlPath(p, 'compliantDevice'))),
      data: { policies: requiring.map((p) => p.name) },
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    const edit = secureByDefaultEdit(manifest);
    // The manifest declares a fact of the tenant, and the change it stands for marks every device with no compliance
    // policy noncompliant at once: a person decides it, after the coverage findings are fixed (never `--fix`).
    return edit ? [{ title: 'Set `secureByDefault: true` (devices with no compliance policy are marked noncompliant)', isPreferred: true, safe: false, edits: [edit], creates: [] }] : [];
  },
};

function message(policies: string[]): string {
  const who = `${codeList(policies)} ${policies.length > 1 ? 'require' : 'requires'} a compliant device`;
  return (
    `\`settings.secureByDefault\` is \`false\`, so a device with no compliance policy assigned counts as compliant and passes unchecked; ${who}. ` +
    'Set `secureByDefault: true` ("Mark devices with no compliance policy assigned as: Not compliant")'
  );
}

/** Replace the value when the key is there, else add it to `settings`, else add a `settings` map. */
export function secureByDefaultEdit(manifest: ManifestFacts): TextEdit | undefined {
  const parsed = manifest.parsed;
  if (nodeAtPath(parsed.doc, ['settings', 'secureByDefault']).node) return replaceValue(parsed, ['settings', 'secureByDefault'], true);
  const settings = nodeAtPath(parsed.doc, ['settings']);
  if (isMap(settings.node)) return addToMap(parsed, ['settings'], 'secureByDefault', true);
  // A `settings:` key with no map under it has nowhere to take the new key; the schema reports it first.
  if (settings.pair) return undefined;
  return addToMap(parsed, [], 'settings', { secureByDefault: true });
}

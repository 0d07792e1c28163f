/**
 * `ztp export` without I/O: from a tenant view, the request file of each policy (named safely and uniquely), the
 * errors that stop the export (nothing is written then), and the warnings. The CLI loads the tenant and writes.
 */
import { MANIFEST_FILE } from './facts';
import { exportPolicy } from './export-policy';
import { modelOf } from './model/index';
import { relative } from './paths';
import { safeFileStem } from './file-stem';
import { listText } from './prose';
import { templateVariableStyle, templateVariableText } from './schema/issue';
import type { TenantView } from './rule';
import type { Finding } from './types';

export interface ExportPlan {
  /** One request file per exportable policy: its file name in `--out` and its JSON content. */
  files: { name: string; content: Record<string, unknown> }[];
  /** Why the tenant cannot be exported as it is (`file: problem`); any error means nothing may be written. */
  errors: string[];
  /** What the admin must still do by hand, or should know. */
  warnings: string[];
}

/**
 * Plan the export of one tenant. `duplicates` are the tenant's `duplicate-name` findings: two policies with one name
 * stop the export (the rule is the one judge of what counts as a duplicate).
 */
export function planExport(view: TenantView, duplicates: Finding[]): ExportPlan {
  const manifest = view.manifest;
  const rel = (p: string): string => (view.root ? relative(view.root, p) : p);
  const errors: string[] = [];
  const warnings: string[] = [];
  const files: ExportPlan['files'] = [];
  const fileNames = new Set<string>();
  const upns = new Map<string, string[]>();
  const manifestFile = view.manifestFile;
  if (manifestFile?.parsed.syntaxErrors.length) errors.push(`${MANIFEST_FILE}: does not parse (${manifestFile.parsed.syntaxErrors[0]!.message})`);
  for (const p of view.policies) {
    const where = rel(p.path);
    if (p.parsed.syntaxErrors.length) {
      errors.push(`${where}: does not parse (${p.parsed.syntaxErrors[0]!.message})`);
      continue;
    }
    if (!p.kind) {
      warnings.push(`${where}: skipped, its \`kind\` is missing or unknown`);
      continue;
    }
    // A template's variables (`%tenantid%`, a CIPP custom variable) where Graph takes another value: `ztp check` notes
    // them in a raw export (checked once substituted) and reports them in a file of this format; either way the body
    // holds them as written, as the all-zero ids below are said.
    const variables = [...new Set(p.schemaIssues.flatMap((i) => i.templateVariables ?? []))];
    if (variables.length) {
      warnings.push(`${where}: ${listText(variables.map((v) => `\`${v}\``))} ${variables.length === 1 ? `is ${templateVariableText(variables[0]!)}` : `are template variables (${variables.every((v) => templateVariableStyle(v) === 'cipp') ? 'as CIPP writes them, filled in per tenant when CIPP deploys the template' : 'filled in per tenant when the template is deployed'})`}, sent as written: Graph refuses ${variables.length > 1 ? 'them' : 'it'}, so replace ${variables.length > 1 ? 'each' : 'it'} with the tenant's value before sending`);
    }
    const counted = p.schemaIssues.filter((i) => i.severity !== 'information');
    if (counted.length) {
      // Said as `ztp check` says them: a property Graph's metadata does not list (yet) is a warning, not an error.
      const drift = counted.filter((i) => i.severity === 'warning').length;
      const counts = [[counted.length - drift, 'error'], [drift, 'warning']].filter(([n]) => n).map(([n, w]) => `${n} schema ${w}${n === 1 ? '' : 's'}`);
      // Not when every issue is the format's own and Graph takes the body (a keyword's casing, sent as Graph spells
      // it; a file this format's kind does not hold).
      warnings.push(`${where}: ${counts.join(' and ')}; ${counted.every((i) => i.graphTakesIt) ? 'the body is sent as Graph takes it' : 'Graph may refuse the body'} (run ztp check)`);
    }
    const r = exportPolicy(p, manifest, where, p.kind === 'DefenderConnector' ? { connectorPartner: modelOf(view).defender.partnerOf(p) } : {});
    for (const e of r.errors) errors.push(`${where}: ${e}`);
    for (const w of r.warnings) warnings.push(`${where}: ${w}`);
    // User principal names are said once each, below, not once per place.
    for (const u of r.userPrincipalNames ?? []) upns.set(u, [...(upns.get(u) ?? []), p.name ?? where].filter((x, i, a) => a.indexOf(x) === i));
    for (const d of duplicates) if (d.file === p.path) errors.push(`${where}: ${d.message}`);
    if (!r.content) continue;
    // The file name comes from the policy's name, an untrusted string: made safe, and unique ignoring case.
    files.push({ name: `${safeFileStem(p.name, fileNames)}.json`, content: r.content });
  }
  if (upns.size) {
    warnings.push(
      `${upns.size} user principal ${upns.size === 1 ? 'name stays' : 'names stay'} in Conditional Access users, where Graph takes object ids; replace ${upns.size === 1 ? 'it' : 'them'} before sending (each file's notes say where): ${[...upns].map(([u, ps]) => `${u} (${ps.join(', ')})`).join('; ')}`,
    );
  }
  return { files, errors, warnings };
}

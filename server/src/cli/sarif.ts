/**
 * `ztp check --format sarif`: SARIF 2.1.0, as GitHub code scanning reads it. Each rule carries an absolute
 * `helpUri` and its docs page as `help.markdown` (shown with the alert), so nothing points into the user's repository.
 */
import type { Finding, Range, Rule } from '../core/index';
import type { OutputFinding } from './output';
import { RULE_DOCS } from './rule-docs.generated';
import { ruleDocsUrl } from './meta';

const SARIF_LEVEL: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A rule's SARIF `help`: its page's opening paragraph and address as text, the whole page as Markdown. */
export function ruleHelp(rule: Rule, docs: Readonly<Record<string, string>> = RULE_DOCS): { text: string; markdown?: string } {
  const url = ruleDocsUrl(rule.id);
  const page = docs[rule.id];
  if (page === undefined) return { text: `${rule.title}. Documentation: ${url}` };
  return { text: `${openingParagraph(page) ?? rule.title} Documentation: ${url}`, markdown: absoluteLinks(page, url) };
}

/** The first paragraph after the page's title, on one line. */
function openingParagraph(markdown: string): string | undefined {
  const blocks = markdown.split(/\n\s*\n/).map((b) => b.trim());
  const first = blocks.find((b) => b && !b.startsWith('#') && !b.startsWith('|') && !b.startsWith('```'));
  return first?.replace(/\s*\n\s*/g, ' ');
}

/** Relative links of a page (`schema.md`, `../schemas.md`, `#how-to-fix`) made absolute against its address. */
export function absoluteLinks(markdown: string, pageUrl: string): string {
  const resolve = (target: string): string => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
    try {
      return new URL(target, pageUrl).href;
    } catch {
      return target;
    }
  };
  return markdown
    .replace(/(\]\()([^)\s]+)(\))/g, (_m, open: string, target: string, close: string) => `${open}${resolve(target)}${close}`)
    .replace(/^(\[[^\]]+\]:\s*)(\S+)/gm, (_m, label: string, target: string) => `${label}${resolve(target)}`);
}

/**
 * A file's path as a SARIF `artifactLocation.uri`: a relative URI reference (RFC 3986), each segment percent-encoded,
 * so that the spaces and `#` of real export names ("Windows - ASR rules.json") stay one valid reference.
 */
function uriOf(path: string): string {
  return path
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

export function formatSarif(findings: OutputFinding[], rules: Rule[], version: string): string {
  const region = (r: Range): Record<string, number> => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  const driverRules = rules.map((r) => ({
    id: r.id,
    name: r.id,
    shortDescription: { text: r.title },
    helpUri: ruleDocsUrl(r.id),
    help: ruleHelp(r),
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
    properties: r.layer !== undefined ? { layer: r.layer, category: r.category } : { category: r.category },
  }));
  const index = new Map(driverRules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ztp', fullName: 'Intune Zero Trust Policies', version, semanticVersion: version, rules: driverRules } },
        results: findings.map((f) => {
          const res: Record<string, unknown> = {
            ruleId: f.code,
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(f.file) }, region: region(f.range) } }],
          };
          if (index.has(f.code)) res.ruleIndex = index.get(f.code);
          if (f.layer !== undefined) res.properties = { layer: f.layer };
          if (f.related?.length) {
            res.relatedLocations = f.related.map((r, i) => ({
              id: i,
              message: { text: r.message },
              physicalLocation: { artifactLocation: { uri: uriOf(r.file) }, region: region(r.range) },
            }));
          }
          return res;
        }),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

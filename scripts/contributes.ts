/**
 * The generated parts of the extension's contributions: a `zeroTrust.rules.<id>` setting for every rule in the
 * registry, and the JSON snippets, derived from the YAML ones. `gen-contributes.ts` writes them; the manifest test
 * checks that the committed files are current.
 */
import { parse } from 'yaml';
import type { Rule } from '../server/src/core/rule';
import { docsPath } from '../server/src/core/rule';
import { catalogueMarkdown, ruleCatalogue } from '../server/src/core/features/rule-catalogue';
import { parseSnippet, type SnippetFile } from '../client/src/snippet-syntax';

export const RULE_SETTING_PREFIX = 'zeroTrust.rules.';
export const SEVERITY_SETTING_VALUES = ['error', 'warning', 'information', 'hint', 'off'] as const;

export interface RuleSetting {
  type: 'string';
  enum: string[];
  enumDescriptions: string[];
  default: string;
  scope: 'window';
  markdownDescription: string;
}

/** The setting for one rule: its default severity, and a link to its docs page (bundled with the extension). */
export function ruleSetting(rule: Rule): RuleSetting {
  const args = encodeURIComponent(JSON.stringify([rule.id]));
  const layer = rule.layer ? ` (layer ${rule.layer})` : '';
  return {
    type: 'string',
    enum: [...SEVERITY_SETTING_VALUES],
    enumDescriptions: ['Report as an error.', 'Report as a warning.', 'Report as information.', 'Report as a hint.', 'Do not run the rule.'],
    default: rule.defaultSeverity,
    scope: 'window',
    markdownDescription:
      `Severity of \`${rule.id}\`${layer}: ${rule.title}. Default: \`${rule.defaultSeverity}\`. ` +
      `Docs: [${docsPath(rule.id)}](command:zeroTrust.openRuleDocs?${args}).`,
  };
}

/** Every rule's setting, keyed by setting name and sorted by rule id. */
export function ruleSettings(rules: readonly Rule[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const r of [...rules].sort((a, b) => a.id.localeCompare(b.id))) out[RULE_SETTING_PREFIX + r.id] = ruleSetting(r);
  return out;
}

/**
 * Returns `configuration.properties` with the rule settings replaced by the registry's: the other settings
 * first, in their order, then one per rule.
 */
export function withRuleSettings(properties: Record<string, unknown>, rules: readonly Rule[]): Record<string, unknown> {
  const others = Object.entries(properties).filter(([k]) => !k.startsWith(RULE_SETTING_PREFIX));
  return { ...Object.fromEntries(others), ...ruleSettings(rules) };
}

/**
 * The JSON snippets: each YAML snippet's document written as JSON, with the same tabstops and choices, less
 * `except` (the manifest, which is always `zerotrust.yaml`).
 */
export function jsonSnippets(yamlSnippets: SnippetFile, except: string[] = []): SnippetFile {
  const out: SnippetFile = {};
  for (const [key, s] of Object.entries(yamlSnippets)) {
    if (!except.includes(key)) out[key] = { ...s, body: yamlBodyToJson(s.body.join('\n')).split('\n') };
  }
  return out;
}

const SENTINEL = (i: number) => `ztpSnippetSlot${i}x`;

/**
 * Swaps each tabstop, choice or variable for a sentinel word, parses the YAML, writes JSON, escapes it for the
 * snippet syntax and puts the originals back. Tabstops sit only where strings go, so each stays inside quotes.
 */
function yamlBodyToJson(body: string): string {
  const slots: string[] = [];
  const plain = parseSnippet(body)
    .map((n) => {
      if (n.type === 'text') return n.value;
      slots.push(body.slice(n.start, n.end));
      return SENTINEL(slots.length - 1);
    })
    .join('');
  const json = JSON.stringify(parse(plain), null, 2).replace(/[\\$]/g, (c) => `\\${c}`);
  return slots.reduce((text, slot, i) => text.split(SENTINEL(i)).join(slot), json);
}

const CATALOGUE_BEGIN = '<!-- BEGIN generated catalogue: npm run gen:contributes -->';
const CATALOGUE_END = '<!-- END generated catalogue -->';

/** docs/rules/README.md with its generated catalogue (between the markers) made from the rules. */
export function withRuleCatalogue(readme: string, rules: readonly Rule[]): string {
  const begin = readme.indexOf(CATALOGUE_BEGIN);
  const end = readme.indexOf(CATALOGUE_END);
  if (begin < 0 || end < begin) throw new Error(`docs/rules/README.md has no ${CATALOGUE_BEGIN} … ${CATALOGUE_END} markers`);
  return `${readme.slice(0, begin + CATALOGUE_BEGIN.length)}\n\n${catalogueMarkdown(ruleCatalogue(rules))}\n${readme.slice(end)}`;
}

/**
 * The rule catalogue (`ztp rules`, docs/rules/README.md): every rule with its layer, severity, fix, the Microsoft
 * Learn pages it comes from, and the live-tenant auditor checks it corresponds to (Maester, Microsoft's Zero Trust
 * Assessment, CISA ScubaGear), so an admin who runs those sees which of their checks this one makes earlier.
 */
import type { Rule } from '../rule';
import type { Severity } from '../types';

export interface CatalogueEntry {
  id: string;
  title: string;
  category: 'structure' | 'layer';
  layer: number | null;
  severity: Severity;
  fix: boolean;
  sources: string[];
  peers: string[];
}

/** The peer families, each a column of the Markdown table. */
const PEER_FAMILIES: { title: string; match: (peer: string) => boolean }[] = [
  { title: 'Maester', match: (p) => p.startsWith('MT.') },
  { title: 'Zero Trust Assessment', match: (p) => p.startsWith('ZTA') },
  { title: 'CISA ScubaGear', match: (p) => p.startsWith('MS.') },
];

/** Every rule, structure rules first, then by layer and id. */
export function ruleCatalogue(rules: readonly Rule[]): CatalogueEntry[] {
  return rules
    .map((r) => ({ id: r.id, title: r.title, category: r.category, layer: r.layer ?? null, severity: r.defaultSeverity, fix: !!r.fix, sources: [...(r.sources ?? [])], peers: [...(r.peers ?? [])] }))
    .sort((a, b) => (a.category === b.category ? (a.layer ?? 0) - (b.layer ?? 0) || a.id.localeCompare(b.id) : a.category === 'structure' ? -1 : 1));
}

/** One line a rule: `id  layer  severity  fix  peers  title`. */
export function catalogueText(entries: readonly CatalogueEntry[]): string {
  const width = Math.max(...entries.map((e) => e.id.length));
  const lines = entries.map((e) => `${e.id.padEnd(width)}  ${e.layer === null ? '—' : e.layer}  ${e.severity.padEnd(11)}  ${e.fix ? 'fix' : '   '}  ${e.title}${e.peers.length ? `  [${e.peers.join(', ')}]` : ''}`);
  const layer = entries.filter((e) => e.category === 'layer');
  lines.push('', `${entries.length} rules: ${entries.length - layer.length} structure, ${layer.length} layer (${layer.filter((e) => e.peers.length).length} with peer checks)`);
  return lines.join('\n');
}

/** The catalogue as Markdown tables (structure rules, then layer rules), linking each rule's page under `pageBase`. */
export function catalogueMarkdown(entries: readonly CatalogueEntry[], pageBase = ''): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const table = (rows: readonly CatalogueEntry[]): string[] => [
    `| Rule | Layer | Severity | Fix | ${PEER_FAMILIES.map((f) => f.title).join(' | ')} | Summary |`,
    `|---|---|---|---|${PEER_FAMILIES.map(() => '---|').join('')}---|`,
    ...rows.map((e) => {
      const peers = PEER_FAMILIES.map((f) => e.peers.filter(f.match).join(', ') || '—');
      return `| [${e.id}](${pageBase}${e.id}.md) | ${e.layer ?? '—'} | ${e.severity} | ${e.fix ? 'yes' : 'no'} | ${peers.map(cell).join(' | ')} | ${cell(e.title)} |`;
    }),
  ];
  const structure = entries.filter((e) => e.category === 'structure');
  const layer = entries.filter((e) => e.category === 'layer');
  return [
    `### Structure rules (every file): ${structure.length}`,
    '',
    ...table(structure),
    '',
    `### Layer rules (across files): ${layer.length}, ${layer.filter((e) => e.peers.length).length} with the live-tenant checks they correspond to`,
    '',
    ...table(layer),
    '',
  ].join('\n');
}

/**
 * What the layer-progress tree and the status bar show, computed from the server's `zeroTrust/layers` result.
 * Pure (no `vscode`): the adapters in layers-tree.ts and status-bar.ts turn it into tree items and a status item.
 */
import type { LayerInfo, LayerPolicy, LayerStatus, TenantLayers, UnmetPrerequisite } from '../../server/src/protocol';
import { PLATFORM_LABELS, isPlatform } from '../../server/src/core/platforms';

export type LayerNode =
  | { type: 'tenant'; tenant: TenantLayers }
  | { type: 'layer'; tenant: TenantLayers; layer: LayerInfo }
  | { type: 'policy'; tenant: TenantLayers; layer: LayerInfo; policy: LayerPolicy }
  | { type: 'unmet'; tenant: TenantLayers; layer: LayerInfo; unmet: UnmetPrerequisite };

/** A codicon id and a theme colour id. */
export interface IconSpec {
  id: string;
  color?: string;
}

const STATUS_ICONS: Record<LayerStatus, IconSpec> = {
  complete: { id: 'pass-filled', color: 'testing.iconPassed' },
  partial: { id: 'warning', color: 'editorWarning.foreground' },
  blocked: { id: 'error', color: 'errorForeground' },
  notStarted: { id: 'circle-outline', color: 'disabledForeground' },
};

const STATUS_WORDS: Record<LayerStatus, string> = {
  complete: 'complete',
  partial: 'partial',
  blocked: 'blocked',
  notStarted: 'not started',
};

const SEVERITY_ICONS: Record<UnmetPrerequisite['severity'], IconSpec> = {
  error: { id: 'error', color: 'errorForeground' },
  warning: { id: 'warning', color: 'editorWarning.foreground' },
  information: { id: 'info', color: 'editorInfo.foreground' },
  hint: { id: 'lightbulb' },
};

/** The tree's children of a node (the tenants at the root): a layer lists its unmet prerequisites, then its policies. */
export function childrenOf(tenants: readonly TenantLayers[], node?: LayerNode): LayerNode[] {
  if (!node) return tenants.map((tenant) => ({ type: 'tenant', tenant }));
  const { tenant } = node;
  switch (node.type) {
    case 'tenant':
      return [...tenant.layers].sort((a, b) => a.layer - b.layer).map((layer) => ({ type: 'layer', tenant, layer }));
    case 'layer': {
      const { layer } = node;
      return [
        ...layer.unmet.map((unmet): LayerNode => ({ type: 'unmet', tenant, layer, unmet })),
        ...layer.policies.map((policy): LayerNode => ({ type: 'policy', tenant, layer, policy })),
      ];
    }
    default:
      return [];
  }
}

/** A stable id for a node, so the tree keeps its expansion and selection across refreshes. */
export function nodeId(node: LayerNode): string {
  switch (node.type) {
    case 'tenant':
      return node.tenant.uri;
    case 'layer':
      return `${node.tenant.uri}#${node.layer.layer}`;
    case 'policy':
      return `${node.tenant.uri}#${node.layer.layer}#policy#${node.policy.uri}#${node.policy.name}`;
    case 'unmet': {
      const { start } = node.unmet.range;
      return `${node.tenant.uri}#${node.layer.layer}#unmet#${node.unmet.ruleId}#${node.unmet.uri}#${start.line}:${start.character}`;
    }
  }
}

/** The status icon of a layer. */
export function statusIcon(status: LayerStatus): IconSpec {
  return STATUS_ICONS[status];
}

/** The icon of an unmet prerequisite, by its severity. */
export function severityIcon(severity: UnmetPrerequisite['severity']): IconSpec {
  return SEVERITY_ICONS[severity];
}

/** "complete", "not started", …: a status in words. */
export function statusWord(status: LayerStatus): string {
  return STATUS_WORDS[status];
}

/** "1 · App protection". */
export function layerLabel(layer: LayerInfo): string {
  return `${layer.layer} · ${layer.name}`;
}

/** A layer whose status the working changes alter: what it was at the ref compared with. */
export interface LayerChangeMark {
  status: LayerStatus;
  ref: string;
}

/** "3 policies · 1 unmet · 2 errors · not licensed", and "was complete at HEAD" when the working changes alter it. */
export function layerDescription(layer: LayerInfo, changedFrom?: LayerChangeMark): string {
  const parts = changedFrom ? [`● was ${statusWord(changedFrom.status)} at ${changedFrom.ref}`] : [];
  parts.push(count(layer.policies.length, 'policy', 'policies'));
  if (layer.unmet.length) parts.push(`${layer.unmet.length} unmet`);
  if (layer.errors) parts.push(count(layer.errors, 'error'));
  if (layer.warnings) parts.push(count(layer.warnings, 'warning'));
  if (!layer.licensed) parts.push('not licensed');
  if (layer.checks?.total) parts.push(`${layer.checks.passing}/${layer.checks.total} checks pass`);
  return parts.join(' · ');
}

/** The layer's tooltip: the server's Markdown, the checks that find something, and the licence hint when not licensed. */
export function layerTooltip(layer: LayerInfo): string {
  const licence = layer.licensed ? '' : `\n\n---\n\n$(lock) **Not licensed.**${layer.licenseHint ? ` Covered by: ${layer.licenseHint}.` : ''}`;
  const c = layer.checks;
  const checks = c?.total ? `\n\n---\n\n**Checks:** ${c.passing} of ${c.total} pass${c.failing.length ? `; findings from ${c.failing.map((id) => `\`${id}\``).join(', ')}` : ''}` : '';
  return `${layer.tooltip}${checks}${licence}`;
}

/** "windows, iOS · CompliancePolicy" for a policy row; "… · held back: …" when Configuration Manager holds it back. */
export function policyDescription(policy: LayerPolicy): string {
  const platforms = policy.platforms.map((p) => (isPlatform(p) ? PLATFORM_LABELS[p] : p)).join(', ');
  const described = platforms ? `${platforms} · ${policy.kind}` : policy.kind;
  return policy.heldBack ? `${described} · ${policy.heldBack}` : described;
}

/** The number of complete layers of a tenant. */
export function completeCount(tenant: TenantLayers): number {
  return tenant.layers.filter((l) => l.status === 'complete').length;
}

/** "4/7 layers complete" for a tenant row. */
export function tenantDescription(tenant: TenantLayers): string {
  const count = `${completeCount(tenant)}/${tenant.layers.length} layers complete`;
  return tenant.problem ? `${count} · manifest unreadable, checks skipped` : count;
}

/** "$(shield) ZT 4/7", with the tenant's name when the workspace has several tenants. */
export function statusBarText(tenant: TenantLayers, several: boolean): string {
  return `$(shield) ${several ? `${tenant.name} ` : ''}ZT ${completeCount(tenant)}/${tenant.layers.length}`;
}

/** Markdown with one line per layer, each with its status icon (needs `supportThemeIcons`). */
export function statusBarTooltip(tenant: TenantLayers): string {
  const lines = [...tenant.layers]
    .sort((a, b) => a.layer - b.layer)
    .map((l) => `$(${statusIcon(l.status).id}) ${layerLabel(l)}: ${statusWord(l.status)}${l.licensed ? '' : ' (not licensed)'}`);
  return [`**Zero Trust layers: ${escapeMarkdown(tenant.name)}**`, '', ...lines.map((l) => `${l}  `), '', 'Click to show the layer progress.'].join('\n');
}

/**
 * The tenant a document belongs to: the innermost tenant folder that holds it (a nested manifest starts a new
 * tenant), or undefined.
 */
export function tenantOfUri<T extends { uri: string }>(tenants: readonly T[], uri: string): T | undefined {
  const target = normalizeUri(uri);
  let best: T | undefined;
  for (const t of tenants) {
    const folder = normalizeUri(t.uri);
    if (target !== folder && !target.startsWith(`${folder}/`)) continue;
    if (!best || folder.length > normalizeUri(best.uri).length) best = t;
  }
  return best;
}

/** Compares URIs as VS Code and the server may spell them: decoded, no trailing slash, lower-case drive letter. */
function normalizeUri(uri: string): string {
  let u: string;
  try {
    u = decodeURIComponent(uri);
  } catch {
    u = uri;
  }
  return u.replace(/\/+$/, '').replace(/^file:\/\/\/([A-Za-z]):/, (_m, d: string) => `file:///${d.toLowerCase()}:`);
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, (c) => `\\${c}`);
}

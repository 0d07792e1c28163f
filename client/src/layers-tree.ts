/** The "Layer progress" tree: tenant → the seven layers → each layer's unmet prerequisites and policies. */
import {
  EventEmitter,
  MarkdownString,
  Range,
  ThemeColor,
  ThemeIcon,
  TreeItem,
  TreeItemCollapsibleState,
  Uri,
  window,
  type Disposable,
  type Event,
  type TreeDataProvider,
  type TreeView,
} from 'vscode';
import type { LayerProgress } from './layer-progress';
import type { ChangeImpact } from './change-impact';
import {
  childrenOf,
  layerDescription,
  layerLabel,
  layerTooltip,
  nodeId,
  policyDescription,
  severityIcon,
  statusIcon,
  statusWord,
  tenantDescription,
  type IconSpec,
  type LayerNode,
} from './layers-model';

export const LAYERS_VIEW = 'zeroTrustLayers';

class LayersTreeProvider implements TreeDataProvider<LayerNode> {
  private readonly changed = new EventEmitter<void>();
  readonly onDidChangeTreeData: Event<void> = this.changed.event;

  constructor(
    private readonly progress: LayerProgress,
    private readonly impact?: ChangeImpact,
  ) {}

  /** Redraws the whole tree (the result is small: tenants × 7 layers). */
  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: LayerNode): Promise<LayerNode[]> {
    if (!node) await this.progress.loaded;
    return childrenOf(this.progress.tenants, node);
  }

  getTreeItem(node: LayerNode): TreeItem {
    const item = toTreeItem(node, this.impact);
    item.id = nodeId(node);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Creates the tree view and keeps it in step with the layer progress. */
export function createLayersTree(progress: LayerProgress, impact?: ChangeImpact): Disposable {
  const provider = new LayersTreeProvider(progress, impact);
  const view: TreeView<LayerNode> = window.createTreeView(LAYERS_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  const listener = progress.onDidChange(() => {
    view.message = progress.message;
    provider.refresh();
  });
  const marks = impact?.onDidChangeMarks(() => provider.refresh());
  return { dispose: () => [listener, view, provider, ...(marks ? [marks] : [])].forEach((d) => d.dispose()) };
}

function toTreeItem(node: LayerNode, impact: ChangeImpact | undefined): TreeItem {
  switch (node.type) {
    case 'tenant': {
      const item = new TreeItem(node.tenant.name, TreeItemCollapsibleState.Expanded);
      item.description = tenantDescription(node.tenant);
      item.iconPath = new ThemeIcon(node.tenant.problem ? 'warning' : 'shield');
      item.tooltip = `Tenant folder ${Uri.parse(node.tenant.uri).fsPath}${node.tenant.problem ? `\n\n${node.tenant.problem}` : ''}`;
      item.contextValue = 'tenant';
      return item;
    }
    case 'layer': {
      const { layer } = node;
      const hasChildren = layer.policies.length + layer.unmet.length > 0;
      const item = new TreeItem(layerLabel(layer), hasChildren ? TreeItemCollapsibleState.Collapsed : TreeItemCollapsibleState.None);
      const changedFrom = impact?.before(node.tenant.uri, layer.layer);
      item.description = layerDescription(layer, changedFrom);
      item.iconPath = themeIcon(statusIcon(layer.status));
      item.tooltip = markdown(layerTooltip(layer));
      // The status with the reason the reports give (the tooltip opens with both too).
      item.accessibilityInformation = { label: `${layerLabel(layer)}, ${statusWord(layer.status)}${layer.reason ? `: ${layer.reason}` : ''}, ${layerDescription(layer, changedFrom)}` };
      item.contextValue = 'layer';
      return item;
    }
    case 'policy': {
      const { policy } = node;
      const uri = Uri.parse(policy.uri);
      const item = new TreeItem(policy.name, TreeItemCollapsibleState.None);
      item.description = policyDescription(policy);
      item.resourceUri = uri;
      item.iconPath = ThemeIcon.File;
      item.tooltip = uri.fsPath;
      item.contextValue = 'policy';
      const at = new Range(policy.line, 0, policy.line, 0);
      item.command = { command: 'vscode.open', title: 'Open Policy', arguments: [uri, { selection: at }] };
      return item;
    }
    case 'unmet': {
      const { unmet } = node;
      const item = new TreeItem(unmet.message, TreeItemCollapsibleState.None);
      item.description = unmet.ruleId;
      item.iconPath = themeIcon(severityIcon(unmet.severity));
      const action = unmet.fixable ? 'Click to apply its quick fix.' : 'Click to go to the finding.';
      item.tooltip = markdown(`${escapeText(unmet.message)}\n\n\`${unmet.ruleId}\` · ${action}`);
      item.contextValue = unmet.fixable ? 'unmet.fixable' : 'unmet';
      item.command = {
        command: unmet.fixable ? 'zeroTrust.applyPrerequisiteFix' : 'zeroTrust.openFinding',
        title: unmet.fixable ? 'Apply Quick Fix' : 'Go to Finding',
        arguments: [node],
      };
      return item;
    }
  }
}

function themeIcon(spec: IconSpec): ThemeIcon {
  return new ThemeIcon(spec.id, spec.color ? new ThemeColor(spec.color) : undefined);
}

function markdown(text: string): MarkdownString {
  const md = new MarkdownString(text);
  md.supportThemeIcons = true;
  return md;
}

function escapeText(text: string): string {
  return new MarkdownString().appendText(text).value;
}

/**
 * The status bar item "$(shield) ZT 4/7" for the tenant of the active editor (or the first tenant), and the
 * `zeroTrust.layer<N>` context keys of that tenant, which check off the walkthrough's steps.
 */
import { MarkdownString, StatusBarAlignment, commands, window, type Disposable } from 'vscode';
import type { LayerProgress } from './layer-progress';
import { statusBarText, statusBarTooltip, tenantOfUri } from './layers-model';
import type { TenantLayers } from '../../server/src/protocol';

const LAYER_COUNT = 7;

/** Creates the status bar item; it follows the active editor and the layer progress. */
export function createLayerStatusBar(progress: LayerProgress): Disposable {
  const item = window.createStatusBarItem('zeroTrust.layers', StatusBarAlignment.Left, 10);
  item.name = 'Zero Trust layer progress';
  item.command = 'zeroTrustLayers.focus';
  let shown: TenantLayers | undefined;

  const update = () => {
    const tenants = progress.tenants;
    const active = window.activeTextEditor?.document.uri.toString();
    const tenant = (active && tenantOfUri(tenants, active)) || tenants[0];
    if (!tenant) {
      item.hide();
    } else {
      item.text = statusBarText(tenant, tenants.length > 1);
      const tooltip = new MarkdownString(statusBarTooltip(tenant));
      tooltip.supportThemeIcons = true;
      item.tooltip = tooltip;
      item.show();
    }
    // A refresh brings new objects, so this skips only the editor switches that stay in the same tenant.
    if (tenant !== shown) void setLayerContext(tenant);
    shown = tenant;
  };

  update();
  const listeners = [progress.onDidChange(update), window.onDidChangeActiveTextEditor(update)];
  return { dispose: () => [...listeners, item].forEach((d) => d.dispose()) };
}

/** `zeroTrust.layer1` … `zeroTrust.layer7`: each layer's status in the shown tenant (unset with no tenant). */
async function setLayerContext(tenant: TenantLayers | undefined): Promise<void> {
  for (let n = 1; n <= LAYER_COUNT; n++) {
    const status = tenant?.layers.find((l) => l.layer === n)?.status;
    await commands.executeCommand('setContext', `zeroTrust.layer${n}`, status);
  }
}

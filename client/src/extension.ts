/**
 * The VS Code extension: a thin client. It starts the language server, shows the server's layer progress (tree
 * and status bar), and creates files from the snippets. All analysis happens in the server.
 */
import { commands, window, type Disposable, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './language-client';
import { LayerProgress } from './layer-progress';
import { createLayersTree } from './layers-tree';
import { createLayerStatusBar } from './status-bar';
import { newPolicy } from './new-policy';
import { createManifest } from './create-manifest';
import { applyPrerequisiteFix, openFinding } from './prerequisite-fix';
import { LayerReport } from './documents';
import { RuleDocs, openRuleDocs } from './rule-docs';
import { WhatIf } from './what-if';
import { ChangeImpact } from './change-impact';
import { LayersRequest, ServerInfoRequest, type LayersResult, type ServerInfoResult } from '../../server/src/protocol';

let client: LanguageClient | undefined;

/** What `activate` returns to other extensions and to the real-editor tests. */
export interface ZeroTrustApi {
  /** The server's current layer progress (a fresh `zeroTrust/layers` request). */
  getLayers(): Promise<LayersResult>;
  /** How long `activate` took, in ms (the benchmark reads it from the real-editor run). */
  activationMs: number;
  /** The language server's process id (a fresh `zeroTrust/serverInfo` request; the real-editor tests kill it). */
  serverPid(): Promise<number>;
}

/** Registers the views and commands first, so they work even when the server fails to start. */
export async function activate(context: ExtensionContext): Promise<ZeroTrustApi> {
  const started = Date.now();
  const ruleDocs = new RuleDocs(context.asAbsolutePath('dist/rule-docs.json.br'));
  client = createLanguageClient(context);
  const progress = new LayerProgress(client);
  const report = new LayerReport(client, progress);
  const whatIf = new WhatIf(client);
  const impact = new ChangeImpact(client);
  context.subscriptions.push(ruleDocs, progress, report, whatIf, impact, createLayersTree(progress, impact), createLayerStatusBar(progress), ...registerCommands(context, client, progress, report, whatIf, impact, ruleDocs));
  // Start the server without holding up activation: requests wait for it, and the tree shows when it is ready.
  client.start().catch((e: unknown) => {
    // The client has reported it in its output channel; the tree says the server is not running.
    void window.showErrorMessage(`The Zero Trust language server did not start: ${(e as Error).message ?? String(e)}`);
  });
  const lc = client;
  return {
    getLayers: () => lc.sendRequest<LayersResult>(LayersRequest),
    activationMs: Date.now() - started,
    serverPid: async () => (await lc.sendRequest<ServerInfoResult>(ServerInfoRequest)).pid,
  };
}

/** Stops the server. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function registerCommands(context: ExtensionContext, lc: LanguageClient, progress: LayerProgress, report: LayerReport, whatIf: WhatIf, impact: ChangeImpact, ruleDocs: RuleDocs): Disposable[] {
  const { extensionUri } = context;
  return [
    commands.registerCommand('zeroTrust.newPolicy', (arg?: unknown) => newPolicy(extensionUri, arg)),
    commands.registerCommand('zeroTrust.createManifest', (arg?: unknown) => createManifest(extensionUri, arg)),
    commands.registerCommand('zeroTrust.showLayerReport', () => report.show()),
    commands.registerCommand('zeroTrust.whatIf', (arg?: unknown) => whatIf.run(arg)),
    commands.registerCommand('zeroTrust.showChangeImpact', (arg?: unknown) => impact.run(arg)),
    commands.registerCommand('zeroTrust.restartServer', () => restart(lc)),
    commands.registerCommand('zeroTrust.refreshLayers', () => progress.refresh()),
    commands.registerCommand('zeroTrust.openRuleDocs', (arg?: unknown) => openRuleDocs(ruleDocs, arg)),
    commands.registerCommand('zeroTrust.applyPrerequisiteFix', (arg?: unknown) => applyPrerequisiteFix(lc, arg)),
    commands.registerCommand('zeroTrust.openFinding', (arg?: unknown) => openFinding(arg)),
  ];
}

async function restart(lc: LanguageClient): Promise<void> {
  try {
    await lc.restart();
  } catch (e) {
    void window.showErrorMessage(`The Zero Trust language server did not restart: ${(e as Error).message ?? String(e)}`);
  }
}

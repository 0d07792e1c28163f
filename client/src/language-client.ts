/** The language client: starts dist/server.js over IPC and passes it the `zeroTrust` settings. */
import * as path from 'node:path';
import { window, workspace, type Diagnostic, type ExtensionContext, type Uri } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV, type ZeroTrustSettings } from '../../server/src/protocol';
import { ruleDocsUri } from './rule-docs';

/** YAML and JSON files on disk; the server decides which of them are policy files. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
];

/** Creates (does not start) the client. Its output channels and file watcher go into the context's subscriptions. */
export function createLanguageClient(context: ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = window.createOutputChannel('Zero Trust Policies', { log: true });
  // Written only when `zeroTrust.trace.server` is not `off` (the client reads `<id>.trace.server` itself).
  const traceOutputChannel = window.createOutputChannel('Zero Trust Policies (trace)', { log: true });
  const watcher = workspace.createFileSystemWatcher('**/*.{yaml,yml,json}');
  context.subscriptions.push(outputChannel, traceOutputChannel, watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: 'zeroTrust', fileEvents: watcher },
    // A function, so that a restart passes the settings as they are then.
    initializationOptions: () => ({ settings: readSettings() }),
    outputChannel,
    traceOutputChannel,
    // A server that dies is started again, up to 4 times in 3 minutes (vscode-languageclient's DefaultErrorHandler;
    // the real-editor suite kills it and waits for the diagnostics to come back).
    connectionOptions: { maxRestartCount: 4 },
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => next(uri, diagnostics.map(linkRuleDocs)),
    },
  };
  return new LanguageClient('zeroTrust', 'Zero Trust Policies', serverOptions, clientOptions);
}

/** Each rule's docs link, made once (every diagnostic of the rule has it). */
const ruleLinks = new Map<string, Uri>();

/**
 * The server links each diagnostic's rule to its page on disk beside the server (docs/rules/<id>.md, which the npm
 * package ships for other editors); the .vsix carries the pages in dist/rule-docs.json.br instead, so in VS Code the
 * rule's link is the page in the extension's read-only folder (`zero-trust-rule:/<id>.md`, rule-docs.ts), which the
 * editor opens as it opened the file. Not a `command:` link: the Problems panel runs one, but the editor's hover
 * and the F8 problem widget open a diagnostic's link without allowing commands, so a click there would do nothing.
 */
export function linkRuleDocs(d: Diagnostic): Diagnostic {
  if (d.source !== 'ztp' || typeof d.code !== 'object') return d;
  const id = String(d.code.value);
  let target = ruleLinks.get(id);
  if (!target) ruleLinks.set(id, (target = ruleDocsUri(id)));
  d.code = { value: d.code.value, target };
  return d;
}

/**
 * The settings the server reads. None of them makes anything run, so they are read the same way in Restricted Mode.
 * `rules` holds every `zeroTrust.rules.<id>`, defaults included.
 */
export function readSettings(): ZeroTrustSettings {
  const config = workspace.getConfiguration('zeroTrust');
  return {
    rules: config.get<ZeroTrustSettings['rules']>('rules') ?? {},
    exclude: config.get<string[]>('exclude') ?? [],
    maxFileSizeMB: config.get<number>('maxFileSizeMB') ?? 5,
  };
}

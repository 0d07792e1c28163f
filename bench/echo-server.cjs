// The transport floor: an LSP server that does nothing but answer each change of a document with empty diagnostics,
// over the same JSON-RPC library and stdio as ours. `npm run bench` drives it with the same client and edits, so our
// edit latency reads as this floor plus our own work.
const { createConnection, ProposedFeatures, TextDocumentSyncKind } = require('vscode-languageserver/node');

const connection = createConnection(ProposedFeatures.all);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Full } }));
connection.onDidOpenTextDocument((p) => connection.sendDiagnostics({ uri: p.textDocument.uri, version: p.textDocument.version, diagnostics: [] }));
connection.onDidChangeTextDocument((p) => connection.sendDiagnostics({ uri: p.textDocument.uri, version: p.textDocument.version, diagnostics: [] }));
connection.listen();

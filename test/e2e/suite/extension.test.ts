/**
 * The extension inside a real VS Code, against test/e2e/workspace (a tenant with two known gaps):
 * - compliance/win-compliance.yaml line 3: `unknown-owner` (owner `endpoints`);
 * - conditional-access/ca-require-compliant.yaml line 20: `ca-requires-compliance-policy` (no Android compliance policy).
 * Every check polls with a deadline; nothing sleeps a fixed time.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LayersResult } from '../../../server/src/protocol';

const EXTENSION_ID = 'intune-zero-trust.intune-zero-trust-policies';

interface ExtensionApi {
  getLayers(): Promise<LayersResult>;
  activationMs: number;
  serverPid(): Promise<number>;
}

function tenantUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  return vscode.Uri.joinPath(folder, 'contoso', ...parts);
}

/** Poll `check` until it returns a truthy value, or fail with `what` after `ms`. */
async function until<T>(what: string | (() => string), check: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function codesOnLines(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line + 1}:${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}`).sort();
}

const CA = (): vscode.Uri => tenantUri('conditional-access', 'ca-require-compliant.yaml');
const WIN = (): vscode.Uri => tenantUri('compliance', 'win-compliance.yaml');

let api: ExtensionApi;

const REALTIME = 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring';

/**
 * A settings catalog profile written into the tenant for one test, opened, and removed afterwards (with its editor),
 * so that the other tests see the workspace as committed.
 */
async function withSettingsProfile(name: string, body: (uri: vscode.Uri, doc: vscode.TextDocument) => Promise<void>): Promise<void> {
  const uri = tenantUri('configuration', `${name}.yaml`);
  const text = [
    'kind: ConfigurationProfile',
    `name: ${name}`,
    'owner: endpoint',
    'spec:',
    `  name: ${name}`,
    '  platforms: windows10',
    '  technologies: mdm',
    '  settings:',
    '    - "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting"',
    '      settingInstance:',
    '        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"',
    `        settingDefinitionId: ${REALTIME}`,
    '        choiceSettingValue:',
    `          value: ${REALTIME}_1`,
    '          children: []',
    '',
  ].join('\n');
  const folder = vscode.Uri.joinPath(uri, '..');
  const folderExisted = await vscode.workspace.fs.stat(folder).then(() => true, () => false);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await body(uri, doc);
  } finally {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folderExisted ? uri : folder, { recursive: true });
  }
}

suite('Intune Zero Trust Policies in VS Code', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    api = await ext.activate();
    // Read by the runner into artifacts/metrics.json, and from there by the benchmark.
    console.log(`e2e metric activationMs=${api.activationMs}`);
  });

  // The UI checks that follow open the workspace again in the same profile: leave no editor to be restored.
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the extension activates', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.getLayers, 'function');
  });

  test('diagnostics show the expected rule ids on the expected lines, across files (not open)', async () => {
    // On failure, say what was expected and what the editor shows.
    await until(() => `line 20 of ca-require-compliant.yaml to show ca-requires-compliance-policy; the editor shows [${codesOnLines(CA()).join(', ')}]`, () => codesOnLines(CA()).includes('20:ca-requires-compliance-policy'));
    await until(() => `line 3 of win-compliance.yaml to show unknown-owner; the editor shows [${codesOnLines(WIN()).join(', ')}]`, () => codesOnLines(WIN()).includes('3:unknown-owner'));
    const d = vscode.languages.getDiagnostics(CA()).find((x) => String((x.code as { value: string }).value ?? x.code) === 'ca-requires-compliance-policy')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /no Android compliance policy/);
    assert.equal(d.source, 'ztp');
  });

  test('hover on kind shows layer context', async () => {
    const doc = await vscode.workspace.openTextDocument(CA());
    await vscode.window.showTextDocument(doc);
    const hovers = await until('hover', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', CA(), new vscode.Position(0, 8));
      return h.length ? h : undefined;
    });
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /Layer 4 · Require compliant devices/);
    assert.match(text, /Android ✗ — no compliance policy/);
  });

  test('completion offers group names and enum values', async () => {
    const doc = await vscode.workspace.openTextDocument(WIN());
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    try {
      const line = original.split('\n').findIndex((l) => l.includes('include: [grp-all-staff]'));
      await editor.edit((e) => e.replace(new vscode.Range(line, 0, line, doc.lineAt(line).text.length), '  include: [grp-all-staff, ]'));
      const groups = await until('group completions', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', WIN(), new vscode.Position(line, '  include: [grp-all-staff, '.length));
        const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return labels.includes('grp-breakglass') ? labels : undefined;
      });
      assert.ok(groups.includes('allDevices'));
      const typeLine = original.split('\n').findIndex((l) => l.includes('bitLockerEnabled'));
      await editor.edit((e) => e.insert(new vscode.Position(typeLine, 0), '  passwordRequiredType: \n'));
      const values = await until('enum completions', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', WIN(), new vscode.Position(typeLine, '  passwordRequiredType: '.length));
        const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return labels.includes('alphanumeric') ? labels : undefined;
      });
      assert.ok(values.includes('deviceDefault') && values.includes('numeric'));
    } finally {
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), original));
      await doc.save();
    }
  });

  test('hover on a settings catalog definition id shows the setting from the shipped index', async () => {
    await withSettingsProfile('e2e-hover', async (uri, doc) => {
      const line = doc.getText().split('\n').findIndex((l) => l.includes(`settingDefinitionId: ${REALTIME}`));
      const at = new vscode.Position(line, doc.lineAt(line).text.indexOf(REALTIME) + 10);
      const text = await until('settings catalog hover', async () => {
        const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
        const md = h.flatMap((x) => x.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
        return md.includes('Allow Realtime Monitoring') ? md : undefined;
      });
      assert.match(text, /\*\*Allow Realtime Monitoring\*\*/);
      assert.match(text, /CSP: `\.\/Device\/Vendor\/MSFT\/Policy\/Config\/Defender\/AllowRealtimeMonitoring`/);
    });
  });

  test('completion offers a settings catalog choice value with the option names', async () => {
    await withSettingsProfile('e2e-completion', async (uri, doc) => {
      const editor = await vscode.window.showTextDocument(doc);
      const line = doc.getText().split('\n').findIndex((l) => l.includes(`value: ${REALTIME}_1`));
      const indent = doc.lineAt(line).text.indexOf('value:');
      await editor.edit((e) => e.replace(new vscode.Range(line, 0, line, doc.lineAt(line).text.length), `${' '.repeat(indent)}value: `));
      const items = await until('choice value completions', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(line, indent + 'value: '.length));
        return list.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === `${REALTIME}_0`) ? list.items : undefined;
      });
      const option = (id: string): vscode.CompletionItem | undefined => items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === id);
      assert.equal(option(`${REALTIME}_0`)?.detail, 'Not allowed');
      assert.equal(option(`${REALTIME}_1`)?.detail, 'Allowed (default)');
    });
  });

  test('the quick fix creates the missing compliance policy file and clears the error', async () => {
    const diag = await until('CA error', () => vscode.languages.getDiagnostics(CA()).find((d) => String((d.code as { value: string }).value ?? d.code) === 'ca-requires-compliance-policy'));
    const actions = await until('code actions', async () => {
      const a = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', CA(), diag.range, vscode.CodeActionKind.QuickFix.value);
      return a.some((x) => x.edit) ? a : undefined;
    });
    const fix = actions.find((a) => a.isPreferred && a.edit) ?? actions.find((a) => a.edit && !a.title.startsWith('Suppress'))!;
    assert.match(fix.title, /Android/i);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'the edit applies');
    await vscode.workspace.saveAll(false);
    const created = await until('created file', async () => (await vscode.workspace.findFiles('contoso/compliance/android*.yaml')).at(0));
    const text = (await vscode.workspace.openTextDocument(created)).getText();
    assert.match(text, /kind: CompliancePolicy/);
    assert.match(text, /androidWorkProfileCompliancePolicy/);
    assert.match(text, /actionType: block/);
    await until('CA error cleared', () => !codesOnLines(CA()).some((c) => c.endsWith('ca-requires-compliance-policy')));
  });

  test('the layer tree data has the right statuses for the seven layers', async () => {
    const result = await until('layers', async () => {
      const r = await api.getLayers();
      return r.tenants.length && r.tenants[0]!.layers[3]!.status !== 'blocked' ? r : undefined;
    });
    const t = result.tenants[0]!;
    assert.equal(t.name, 'contoso-e2e');
    assert.deepEqual(t.layers.map((l) => l.layer), [1, 2, 3, 4, 5, 6, 7]);
    const status = Object.fromEntries(t.layers.map((l) => [l.layer, l.status]));
    assert.equal(status[1], 'notStarted');
    assert.equal(status[2], 'notStarted');
    assert.ok(['partial', 'complete'].includes(status[3]!), `layer 3 is ${status[3]}`);
    assert.ok(['partial', 'complete'].includes(status[4]!), `layer 4 is ${status[4]}`);
    assert.equal(status[7], 'notStarted');
    assert.ok(t.layers.every((l) => l.licensed));
  });

  test('Open Rule Documentation shows the page from the shipped bundle in a preview, and the diagnostics link to it', async () => {
    // The .vsix carries the pages in dist/rule-docs.json.br, not as docs/rules/*.md: the extension serves them read-only.
    const id = 'ca-requires-compliance-policy';
    const uri = vscode.Uri.from({ scheme: 'zero-trust-rule', path: `/${id}.md` });
    await vscode.commands.executeCommand('zeroTrust.openRuleDocs', id);
    const doc = await until('the rule page', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.getText().length > 0));
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'docs', 'rules', `${id}.md`)));
    assert.equal(doc.getText(), source.replace(/\r\n/g, '\n'));
    await until('the Markdown preview', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => /Preview/.test(t.label) && t.label.includes(id)));
    // The pages are files of a read-only folder: the preview's links to other rule pages resolve to them.
    const listed = await vscode.workspace.fs.readDirectory(uri.with({ path: '/' }));
    assert.ok(listed.some(([name, type]) => name === 'ca-group-alignment.md' && type === vscode.FileType.File), listed.map(([n]) => n).join(', '));
    assert.equal((await vscode.workspace.fs.stat(uri.with({ path: '/ca-group-alignment.md' }))).type, vscode.FileType.File);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, new Uint8Array())), 'the pages are read-only');
    const links = await until('document links', async () => {
      const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri, 10);
      return l?.length ? l : undefined;
    });
    // (The Markdown language service may wrap a target in its own open-link command: read the target decoded.)
    const targets = links.map((l) => decodeURIComponent(l.target?.toString() ?? ''));
    assert.ok(targets.some((t) => t.includes('zero-trust-rule') && t.includes('/ca-group-alignment.md')), targets.join('\n'));
    // A diagnostic's rule link (the Problems panel, the hover, the F8 widget) is the page itself: the hover opens a
    // link without allowing commands, so it cannot be a command.
    await until(() => `unknown-owner on win-compliance.yaml; the editor shows [${codesOnLines(WIN()).join(', ')}]`, () => codesOnLines(WIN()).includes('3:unknown-owner'));
    const d = vscode.languages.getDiagnostics(WIN()).find((x) => typeof x.code === 'object' && x.code.value === 'unknown-owner')!;
    const target = (d.code as { target: vscode.Uri }).target;
    assert.equal(target.toString(), uri.with({ path: '/unknown-owner.md' }).toString());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.open', target);
    await until('the unknown-owner page', () => vscode.workspace.textDocuments.some((x) => x.uri.toString() === uri.with({ path: '/unknown-owner.md' }).toString()));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the commands run without error', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['zeroTrust.newPolicy', 'zeroTrust.createManifest', 'zeroTrust.showLayerReport', 'zeroTrust.restartServer', 'zeroTrust.refreshLayers']) {
      assert.ok(all.includes(id), `${id} is registered`);
    }
    await vscode.commands.executeCommand('zeroTrust.refreshLayers');
    await vscode.commands.executeCommand('zeroTrust.showLayerReport');
    await vscode.commands.executeCommand('zeroTrust.restartServer');
    // After a restart the diagnostics come back.
    await until('diagnostics after restart', () => codesOnLines(WIN()).includes('3:unknown-owner'));
  });
  test('What If… shows the evaluation as Markdown, and its links open the policy files', async () => {
    const tenant = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'contoso').toString();
    await vscode.commands.executeCommand('zeroTrust.whatIf', { tenantUri: tenant, scenario: { user: ['grp-all-staff'], platform: 'android', app: 'All', clientApp: 'browser' } });
    const uri = vscode.Uri.from({ scheme: 'zero-trust-what-if', path: '/Zero Trust What If.md' });
    const doc = await until('the What If document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()));
    const text = doc.getText();
    assert.match(text, /^# What If · contoso-e2e/);
    // The quick-fix test above created the Android compliance policy, so a compliant device is all it takes.
    assert.match(text, /\*\*Result: 🟡 allowed if a compliant device\*\*/);
    assert.ok(text.includes('[ca-require-compliant](/contoso/conditional-access/ca-require-compliant.yaml)'), text);
    // The Markdown language service resolves the preview's links; each must reach the policy file on disk.
    const links = await until('document links', async () => {
      const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri, 10);
      return l?.length ? l : undefined;
    });
    const targets = links.map((l) => decodeURIComponent(l.target?.toString() ?? ''));
    assert.ok(targets.some((t) => t.includes('/contoso/conditional-access/ca-require-compliant.yaml')), targets.join('\n'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('What If… carries a user action, an authentication context and a flow to the server, as ztp whatif does', async () => {
    const tenant = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'contoso').toString();
    const uri = vscode.Uri.from({ scheme: 'zero-trust-what-if', path: '/Zero Trust What If.md' });
    const shown = (pattern: RegExp) => until(`the What If document matching ${pattern}`, () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && pattern.test(d.getText())));
    await vscode.commands.executeCommand('zeroTrust.whatIf', { tenantUri: tenant, scenario: { user: ['grp-all-staff'], platform: 'windows', userAction: 'registerSecurityInformation', authFlow: 'deviceCodeFlow', clientApp: 'browser' } });
    const action = (await shown(/user action registerSecurityInformation/)).getText();
    assert.match(action, /authentication flow deviceCodeFlow/);
    await vscode.commands.executeCommand('zeroTrust.whatIf', { tenantUri: tenant, scenario: { user: ['grp-all-staff'], platform: 'windows', app: 'Office365', authContext: 'c1', clientApp: 'browser' } });
    await shown(/authentication context c1/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Show Change Impact compares the working changes with HEAD and shows the Markdown in a preview', async () => {
    // An uncommitted change: the compliant-device grant becomes a block, so staff are blocked everywhere it applies.
    const ca = tenantUri('conditional-access', 'ca-require-compliant.yaml');
    const doc = await vscode.workspace.openTextDocument(ca);
    const original = doc.getText();
    const at = original.indexOf('- compliantDevice');
    assert.ok(at > 0, 'the fixture grants compliantDevice');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(ca, new vscode.Range(doc.positionAt(at), doc.positionAt(at + '- compliantDevice'.length)), '- block');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    try {
      await vscode.commands.executeCommand('zeroTrust.showChangeImpact', { ref: 'HEAD' });
      const uri = vscode.Uri.from({ scheme: 'zero-trust-change-impact', path: '/Zero Trust Change Impact.md' });
      const impact = await until('the change impact document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.getText().length > 0));
      const text = impact.getText();
      assert.match(text, /ca-require-compliant/, text);
      assert.match(text, /→ \*\*blocked by ca-require-compliant\*\*/, text);
      assert.match(text.split('\n')[0]!, /⛔/, 'the headline says the change fails');
      assert.match(text, /grp-all-staff/, text);
      // The preview is open beside it.
      await until('the Markdown preview', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => /Preview/.test(t.label) && /Change Impact/.test(t.label)));
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.replace(ca, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(back);
      await doc.save();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('a server that dies is restarted, and the diagnostics come back', async () => {
    const before = await until('server pid', () => api.serverPid());
    assert.ok(Number.isInteger(before) && before > 0 && before !== process.pid, `server pid ${before}`);
    process.kill(before, 'SIGKILL');
    // The language client restarts a crashed server (up to 4 times in 3 minutes); requests fail until it is back.
    const after = await until('a new server', async () => {
      const pid = await api.serverPid();
      return pid !== before ? pid : undefined;
    }, 60_000);
    assert.notEqual(after, before);
    await until('the killed server gone', () => {
      try {
        process.kill(before, 0);
        return false;
      } catch {
        return true;
      }
    });
    // Diagnostics from the new server: an edit changes the finding's message, which only a live server can do.
    const doc = await vscode.workspace.openTextDocument(WIN());
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    try {
      const line = original.split('\n').findIndex((l) => l.startsWith('owner:'));
      await editor.edit((e) => e.replace(new vscode.Range(line, 0, line, doc.lineAt(line).text.length), 'owner: endpointz'));
      await until('diagnostics from the restarted server', () =>
        vscode.languages.getDiagnostics(WIN()).some((d) => String((d.code as { value: string }).value ?? d.code) === 'unknown-owner' && d.message.includes('endpointz')),
      );
    } finally {
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), original));
      await doc.save();
    }
    await until('diagnostics after the revert', () => codesOnLines(WIN()).includes('3:unknown-owner') && !vscode.languages.getDiagnostics(WIN()).some((d) => d.message.includes('endpointz')));
    // Leave the workbench as the UI checks expect it: no editor left open by this test.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

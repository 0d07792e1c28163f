/**
 * The actions of an unmet prerequisite in the tree: apply its quick fix, or go to the finding.
 *
 * The fix is asked of the server for exactly that finding's diagnostic (found by rule id and range), not through
 * `vscode.executeCodeActionProvider`: the actions that command returns carry no diagnostics, so they cannot be
 * matched to a rule id, and they mix in other extensions' actions.
 */
import { Range, Uri, commands, languages, window, workspace, type CodeAction, type Command, type Diagnostic } from 'vscode';
import { CodeActionKind, CodeActionRequest, CodeActionTriggerKind, type LanguageClient } from 'vscode-languageclient/node';
import type { UnmetPrerequisite } from '../../server/src/protocol';
import type { LayerNode } from './layers-model';

/** Applies the preferred quick fix of the finding (asks when none is preferred). */
export async function applyPrerequisiteFix(client: LanguageClient, arg: unknown): Promise<void> {
  const unmet = unmetOf(arg);
  if (!unmet) return;
  const uri = Uri.parse(unmet.uri);
  await workspace.openTextDocument(uri);
  const diagnostic = findDiagnostic(uri, unmet);
  const action = diagnostic && (await chooseAction(await fixesFor(client, uri, diagnostic)));
  if (!action) {
    await showFinding(unmet);
    void window.showInformationMessage(`No quick fix is available here for ${unmet.ruleId}; the finding is open instead.`);
    return;
  }
  if (action.edit && !(await workspace.applyEdit(action.edit))) {
    void window.showErrorMessage(`The quick fix "${action.title}" could not be applied.`);
    return;
  }
  if (action.command) await commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  await window.showTextDocument(changedFile(action, uri), { preview: false });
}

/** Opens the finding's file with the finding selected. */
export async function openFinding(arg: unknown): Promise<void> {
  const unmet = unmetOf(arg);
  if (unmet) await showFinding(unmet);
}

async function showFinding(unmet: UnmetPrerequisite): Promise<void> {
  await window.showTextDocument(Uri.parse(unmet.uri), { selection: toRange(unmet.range) });
}

function unmetOf(arg: unknown): UnmetPrerequisite | undefined {
  const node = arg as LayerNode | undefined;
  return node?.type === 'unmet' ? node.unmet : undefined;
}

/** The published diagnostic of the finding: same rule id, same range (else the first of that rule that overlaps). */
function findDiagnostic(uri: Uri, unmet: UnmetPrerequisite): Diagnostic | undefined {
  const range = toRange(unmet.range);
  const ofRule = languages.getDiagnostics(uri).filter((d) => codeOf(d) === unmet.ruleId);
  return ofRule.find((d) => d.range.isEqual(range)) ?? ofRule.find((d) => d.range.intersection(range));
}

/** The server's quick fixes for one diagnostic (which keeps its `data`, so the rule can compute its fix). */
async function fixesFor(client: LanguageClient, uri: Uri, diagnostic: Diagnostic): Promise<CodeAction[]> {
  const c2p = client.code2ProtocolConverter;
  const result = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: c2p.asUri(uri) },
    range: c2p.asRange(diagnostic.range),
    context: { diagnostics: [c2p.asDiagnostic(diagnostic)], only: [CodeActionKind.QuickFix], triggerKind: CodeActionTriggerKind.Invoked },
  });
  const actions = (await client.protocol2CodeConverter.asCodeActionResult(result ?? [])) as (CodeAction | Command)[];
  return actions.filter((a): a is CodeAction => typeof a.command !== 'string');
}

function codeOf(d: Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

/** The preferred fix; otherwise the user picks (one of them may be a suppression, which must not just happen). */
async function chooseAction(actions: CodeAction[]): Promise<CodeAction | undefined> {
  const preferred = actions.find((a) => a.isPreferred);
  if (preferred || !actions.length) return preferred;
  const picked = await window.showQuickPick(
    actions.map((a) => ({ label: a.title, action: a })),
    { title: 'Apply Quick Fix', placeHolder: 'Which fix?' },
  );
  return picked?.action;
}

/** The file to show after the fix: another file it wrote (a new policy, say), else the finding's own. */
function changedFile(action: CodeAction, findingUri: Uri): Uri {
  const other = action.edit?.entries().find(([u]) => u.toString() !== findingUri.toString());
  return other?.[0] ?? findingUri;
}

function toRange(r: UnmetPrerequisite['range']): Range {
  return new Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

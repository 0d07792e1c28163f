import { isSeq, type Node, type YAMLSeq } from 'yaml';
import { nodeAtPath, spanAtPath, type JsonPath, type ParsedDocument } from '../document';
import { docPath, type PolicyFacts } from '../facts';
import type { Rule } from '../rule';
import { grantControlPath, grantControlsOf, isReportOnly } from '../tenant-query';
import type { Fix, TextEdit } from '../types';
import { addToMap, appendToSequence, replaceValue } from '../yaml-edit';
import { policyAt, policyLabel } from './ca-helpers';
import { policiesOfKind } from '../reads';
import { RETIRED_GRANTS } from '../model/grants';

const RETIRED = 'approvedApplication';
const { retired: RETIRED_ON, successor: SUCCESSOR } = RETIRED_GRANTS[RETIRED]!;
const CONTROLS: JsonPath = ['spec', 'grantControls', 'builtInControls'];

/** A CA policy uses the approved-client-app grant, which Microsoft retired in March 2026 and no longer enforces. */
export const approvedAppGrantRetired: Rule = {
  id: 'approved-app-grant-retired',
  title: 'The approved-client-app grant is retired and no longer enforced',
  category: 'layer',
  layer: 1,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/entra/identity/conditional-access/migrate-approved-client-app', 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant'],
  peers: ['MT.1072'],
  check(tenant, emit) {
    // A file in no tenant folder is checked against its schema only (its no-tenant-manifest finding says so).
    if (!tenant.root) return;
    // Every CA policy, not only active ones: a disabled policy that is switched on later would still rely on it.
    for (const p of policiesOfKind(tenant, 'ConditionalAccessPolicy')) {
      if (!grantControlsOf(p).includes(RETIRED)) continue;
      const hasSuccessor = grantControlsOf(p).includes(SUCCESSOR);
      emit({
        file: p,
        span: spanAtPath(p.parsed, grantControlPath(p, RETIRED), 'value'),
        message: message(p, hasSuccessor),
        lowered: isReportOnly(p),
        tags: ['deprecated'],
        data: { hasSuccessor },
      });
    }
  },
  fix(finding, tenant) {
    const p = policyAt(tenant, finding.file);
    if (!p || !grantControlsOf(p).includes(RETIRED)) return [];
    const index = grantControlsOf(p).indexOf(RETIRED);
    if (grantControlsOf(p).includes(SUCCESSOR)) {
      const edit = removeSequenceItem(p.parsed, docPath(p, CONTROLS), index);
      return edit ? [{ title: `Remove \`${RETIRED}\` (\`${SUCCESSOR}\` already carries the grant)`, isPreferred: true, safe: true, edits: [edit], creates: [] }] : [];
    }
    const fixes: Fix[] = [];
    const replace = replaceValue(p.parsed, docPath(p, [...CONTROLS, index]), SUCCESSOR);
    // On an enabled policy the successor is enforced at once where the retired control asked nothing: users whose apps
    // have no app protection policy are then kept out. A person decides when (after report-only); elsewhere it is safe.
    if (replace) fixes.push({ title: `Replace \`${RETIRED}\` with \`${SUCCESSOR}\``, isPreferred: true, safe: p.spec?.state !== 'enabled', edits: [replace], creates: [] });
    const addOr = addSuccessorWithOr(p);
    if (addOr.length) fixes.push({ title: `Add \`${SUCCESSOR}\` with operator OR (keep \`${RETIRED}\` for now)`, safe: false, edits: addOr, creates: [] });
    return fixes;
  },
};

function message(p: PolicyFacts, hasSuccessor: boolean): string {
  const base = `\`${RETIRED}\` (Require approved client app) was retired in ${RETIRED_ON} and is no longer enforced: Conditional Access treats it as not selected`;
  return hasSuccessor
    ? `${base}, and ${policyLabel(p)} already has \`${SUCCESSOR}\`; remove \`${RETIRED}\``
    : `${base}, so ${policyLabel(p)} no longer checks the app. Replace it with \`${SUCCESSOR}\` (Require app protection policy), which needs an app protection policy for the same users`;
}

/**
 * Append the successor and make the operator OR, so either grant satisfies the policy during the move (Microsoft's
 * advice for policies that use only the approved-app grant). With other controls under AND, switching to OR would
 * let any one of them through alone, so then there is no such fix.
 */
function addSuccessorWithOr(p: PolicyFacts): TextEdit[] {
  const operator = (p.spec?.grantControls as Record<string, unknown> | undefined)?.operator;
  const others = grantControlsOf(p).filter((c) => c !== RETIRED);
  if (others.length && operator !== 'OR') return [];
  const append = appendToSequence(p.parsed, docPath(p, CONTROLS), [SUCCESSOR]);
  if (!append) return [];
  const edits = [append];
  if (operator === undefined) {
    const add = addToMap(p.parsed, docPath(p, ['spec', 'grantControls']), 'operator', 'OR');
    if (add) edits.push(add);
  } else if (operator !== 'OR') {
    const set = replaceValue(p.parsed, docPath(p, ['spec', 'grantControls', 'operator']), 'OR');
    if (set) edits.push(set);
  }
  return edits;
}

/**
 * Remove one item of a sequence with a minimal edit: a block item's whole line, or a flow/JSON item with the
 * separator that joins it to its neighbour. Returns undefined for the only item (that would leave the key empty).
 */
function removeSequenceItem(parsed: ParsedDocument, path: JsonPath, index: number): TextEdit | undefined {
  const seq = nodeAtPath(parsed.doc, path).node;
  if (!isSeq(seq)) return undefined;
  const items = (seq as YAMLSeq).items as Node[];
  const item = items[index];
  if (!item?.range || items.length < 2) return undefined;
  const span = (seq as YAMLSeq).flow || parsed.format === 'json' ? flowItemSpan(parsed, items, index) : blockItemSpan(parsed, item);
  return { file: parsed.path, span, newText: '' };
}

function contentEnd(parsed: ParsedDocument, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /\s/.test(parsed.text[end - 1]!)) end--;
  return end;
}

function flowItemSpan(parsed: ParsedDocument, items: Node[], index: number): { offset: number; length: number } {
  const item = items[index]!;
  if (index < items.length - 1) {
    // Up to the next item, taking the comma and the space or line break after it.
    const next = items[index + 1]!.range![0];
    return { offset: item.range![0], length: next - item.range![0] };
  }
  // The last item: from the end of the one before it, taking the comma before.
  const prevEnd = contentEnd(parsed, items[index - 1]!);
  return { offset: prevEnd, length: contentEnd(parsed, item) - prevEnd };
}

function blockItemSpan(parsed: ParsedDocument, item: Node): { offset: number; length: number } {
  const dash = parsed.text.lastIndexOf('-', item.range![0]);
  const line = parsed.lines.positionAt(dash).line;
  if (line + 1 < parsed.lines.lineCount) {
    const start = parsed.lines.lineStart(line);
    return { offset: start, length: parsed.lines.lineStart(line + 1) - start };
  }
  // The file's last line has no line break after it: take the one before it instead.
  const start = parsed.lines.lineEnd(line - 1);
  return { offset: start, length: parsed.lines.lineEnd(line) - start };
}

/** The tenant report's words: counts read "1 warning", "2 warnings", in the header and in the seven-layer table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleById } from '../../server/src/core/rules/index';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { reportMarkdown } from '../../server/src/core/features/report';
import type { Finding, Severity } from '../../server/src/core/types';

const CONTOSO = join(__dirname, '..', '..', 'examples', 'contoso').replace(/\\/g, '/');

async function contoso() {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => new Date('2026-06-01T00:00:00Z') });
  for (const f of await service.discover(CONTOSO)) await service.load(f);
  return service.view(CONTOSO);
}

/** A finding of no rule on a policy file of layer 1 (so it counts on that layer and changes no status rule). */
function finding(file: string, severity: Severity): Finding {
  return { ruleId: 'test-finding', severity, message: `a ${severity}`, file, span: { offset: 0, length: 0 }, layer: 1 };
}

function markdown(view: Awaited<ReturnType<typeof contoso>>, severities: Severity[]): string {
  const file = view.policies.find((p) => p.layer === 1 && p.kind)!.path;
  const findings = severities.map((s) => finding(file, s));
  return reportMarkdown({ tenant: view, findings, rel: (p) => p.slice(CONTOSO.length + 1), generated: new Date('2026-06-01T00:00:00Z'), ruleOf: ruleById });
}

const layerRow = (md: string, layer: number): string => md.split('\n').find((l) => l.startsWith(`| ${layer} · `))!;

test('report Markdown: one of a kind is singular ("1 error, 1 warning"), in the header and the layer table', async () => {
  const md = markdown(await contoso(), ['error', 'warning', 'information']);
  assert.match(md, /· 1 error, 1 warning, 1 information ·/);
  assert.match(layerRow(md, 1), /\| 1 error, 1 warning \|$/);
  assert.doesNotMatch(md, /\b1 (errors|warnings|informations)\b/);
});

test('report Markdown: none or several are plural ("0 errors, 2 warnings")', async () => {
  const md = markdown(await contoso(), ['warning', 'warning']);
  assert.match(md, /· 0 errors, 2 warnings, 0 information ·/);
  assert.match(layerRow(md, 1), /\| 0 errors, 2 warnings \|$/);
  assert.match(layerRow(md, 2), /\| 0 errors, 0 warnings \|$/);
});

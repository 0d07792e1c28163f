/**
 * The publisher (server/src/lsp/publish.ts): after an edit, the edited file's diagnostics are sent and written out
 * (`sendNow`) before the other files of its tenant are compared, and every other file whose findings changed follows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createPolicyService } from '../../server/src/core/index';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { Publisher, type DiagnosticsSink } from '../../server/src/lsp/publish';
import { makeSafe } from '../../server/src/lsp/safe';
import { Session } from '../../server/src/lsp/session';
import { pathToUri } from '../../server/src/lsp/convert';
import { RULES } from '../../server/src/core/rules/index';
import type { Rule } from '../../server/src/core/rule';

const NOW = new Date('2026-06-01T00:00:00Z');
const CONTOSO = resolve(__dirname, '..', '..', 'examples', 'contoso');

test("an edit's diagnostics: the edited file's are sent and written out first, then the other files whose findings changed", async () => {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => NOW, incremental: true });
  for (const path of await service.discover(CONTOSO)) await service.load(path);
  const root = service.tenantRoots()[0]!;
  const events: string[] = [];
  const sink = {
    sendDiagnostics: (p: { uri: string; diagnostics: unknown[] }) => {
      events.push(`send ${p.uri} ${JSON.stringify(p.diagnostics)}`);
      return Promise.resolve();
    },
    sendNotification: () => Promise.resolve(),
  } as unknown as DiagnosticsSink;
  const publisher = new Publisher(sink, new TextDocuments(TextDocument), service, new Session(service), makeSafe(() => undefined), () => events.push('written'));
  publisher.publish([root]);
  assert.ok(!events.includes('written'), 'with no edited file, nothing is written out early');
  const before = new Set(events);

  // The tenant's only Windows compliance policy becomes a macOS one: the CA policy that requires a compliant device
  // on Windows gains an error, in another file.
  const compliance = service.paths().find((p) => /compliance/.test(p) && /windows10CompliancePolicy/.test(readFileSync(p, 'utf8')))!;
  assert.ok(compliance, 'the example has a Windows compliance policy');
  events.length = 0;
  service.update(compliance, readFileSync(compliance, 'utf8').replace('windows10CompliancePolicy', 'macOSCompliancePolicy'), 2);
  publisher.publish([root], compliance);
  assert.match(events[0]!, new RegExp(`^send ${pathToUri(compliance).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `), 'the edited file first');
  assert.equal(events[1], 'written', 'and written out before anything else');
  const others = events.slice(2);
  assert.ok(others.length > 0, 'another file changed');
  assert.ok(!others.includes('written'));
  for (const e of others) assert.ok(!e.startsWith(`send ${pathToUri(compliance)} `), 'the edited file is sent once');
  // Only files whose diagnostics changed follow.
  for (const e of others) assert.ok(!before.has(e), `${e} was sent before, unchanged`);
});

test("an edit's file is written out before the rules that find nothing on a file of its kind run (Rule.emitsOn); the tenant's analysis then runs them, and sends the edited file no second time", async () => {
  const events: string[] = [];
  // Each rule notes when it runs.
  const rules = RULES.map((r): Rule => ({ ...r, check: (view, emit) => (events.push(`run ${r.id}`), r.check(view, emit)) }));
  const service = createPolicyService({ fs: nodeFileSystem, now: () => NOW, incremental: true, rules });
  for (const path of await service.discover(CONTOSO)) await service.load(path);
  const root = service.tenantRoots()[0]!;
  const sink = {
    sendDiagnostics: (p: { uri: string }) => (events.push(`send ${p.uri}`), Promise.resolve()),
    sendNotification: () => Promise.resolve(),
  } as unknown as DiagnosticsSink;
  const publisher = new Publisher(sink, new TextDocuments(TextDocument), service, new Session(service), makeSafe(() => undefined), () => events.push('written'));
  publisher.publish([root]);

  const compliance = service.paths().find((p) => /compliance/.test(p) && /windows10CompliancePolicy/.test(readFileSync(p, 'utf8')))!;
  events.length = 0;
  service.update(compliance, readFileSync(compliance, 'utf8').replace('windows10CompliancePolicy', 'macOSCompliancePolicy'), 2);
  publisher.publish([root], compliance);
  const written = events.indexOf('written');
  assert.equal(events[written - 1], `send ${pathToUri(compliance)}`, 'the edited file is written out first');
  const ran = (id: string): number => events.indexOf(`run ${id}`);
  // A compliance rule runs before it; a rule whose findings are only on CA policies, after it.
  assert.ok(ran('compliance-missing-block-action') >= 0 && ran('compliance-missing-block-action') < written);
  assert.ok(RULES.find((r) => r.id === 'ca-requires-compliance-policy')?.emitsOn?.includes('ConditionalAccessPolicy'));
  assert.ok(ran('ca-requires-compliance-policy') > written, 'ca-requires-compliance-policy runs after the edited file has gone');
  assert.ok(events.some((e, i) => i > written && e.startsWith('send ') && e !== `send ${pathToUri(compliance)}`), 'the CA policy it changed follows');
  assert.equal(events.filter((e) => e === `send ${pathToUri(compliance)}`).length, 1, 'the edited file is sent once');
  // Each rule ran at most once for the edit.
  const runs = events.filter((e) => e.startsWith('run '));
  assert.equal(new Set(runs).size, runs.length);
});

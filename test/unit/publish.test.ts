/**
 * The publisher (server/src/lsp/publish.ts): after an edit, the edited file's diagnostics are sent and written out
 * (`sendNow`) before the other files of its tenant are compared, and every other file whose findings changed follows;
 * an editor's edit (`publishEdit`) leaves that rest for a timer tick, so the next message is handled first.
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

test("an editor's edits: each edited file is sent at once, and the rest of the tenant a timer tick later, once for edits that came meanwhile, with the diagnostics of publishing each edit whole", async (t) => {
  /** The contoso example, loaded, with a publisher over it whose messages are noted; `last` is each file's last. */
  const start = async (): Promise<{ service: ReturnType<typeof createPolicyService>; root: string; publisher: Publisher; events: string[]; last: Map<string, string> }> => {
    const service = createPolicyService({ fs: nodeFileSystem, now: () => NOW, incremental: true });
    for (const path of await service.discover(CONTOSO)) await service.load(path);
    const events: string[] = [];
    const last = new Map<string, string>();
    const sink = {
      sendDiagnostics: (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
        events.push(`send ${p.uri}`);
        last.set(p.uri, JSON.stringify([p.version, p.diagnostics]));
        return Promise.resolve();
      },
      sendNotification: () => Promise.resolve(),
    } as unknown as DiagnosticsSink;
    const publisher = new Publisher(sink, new TextDocuments(TextDocument), service, new Session(service), makeSafe(() => undefined), () => events.push('written'));
    const root = service.tenantRoots()[0]!;
    publisher.publish([root]);
    events.length = 0;
    return { service, root, publisher, events, last };
  };
  // The tenant's only Windows compliance policy becomes a macOS one (the CA policy requiring a compliant device on
  // Windows gains an error, in another file), and a CA policy loses its break-glass exclusion, as the bench's edits do.
  const texts = (service: ReturnType<typeof createPolicyService>): [string, string][] => {
    const compliance = service.paths().find((p) => /compliance/.test(p) && /windows10CompliancePolicy/.test(readFileSync(p, 'utf8')))!;
    const ca = service.paths().find((p) => /conditional-access/.test(p) && /excludeUsers:/.test(readFileSync(p, 'utf8')) && p !== compliance)!;
    assert.ok(compliance && ca, 'the example has both');
    const caText = readFileSync(ca, 'utf8');
    const caEdited = caText.replace(/^( *)excludeUsers:.*\n((\1 +- .*\n)*)/m, '');
    assert.notEqual(caEdited, caText);
    return [
      [compliance, readFileSync(compliance, 'utf8').replace('windows10CompliancePolicy', 'macOSCompliancePolicy')],
      [ca, caEdited],
    ];
  };

  // Each edit published whole, as before.
  const whole = await start();
  for (const [path, text] of texts(whole.service)) {
    whole.service.update(path, text, 2);
    whole.publisher.publish([whole.root], path);
  }

  t.mock.timers.enable({ apis: ['setTimeout'] });
  const edits = await start();
  const [[compliance, complianceText], [ca, caText]] = texts(edits.service);
  edits.service.update(compliance!, complianceText!, 2);
  edits.publisher.publishEdit([edits.root], compliance!);
  edits.service.update(ca!, caText!, 2);
  edits.publisher.publishEdit([edits.root], ca!);
  assert.deepEqual(edits.events, [`send ${pathToUri(compliance!)}`, 'written', `send ${pathToUri(ca!)}`, 'written'], 'each edited file at once, nothing else yet');
  t.mock.timers.tick(1);
  const rest = edits.events.slice(4);
  assert.ok(rest.length > 0, 'the other files whose findings changed follow');
  assert.ok(!rest.includes('written'));
  assert.equal(new Set(rest).size, rest.length, 'each file once, for both edits');
  // The same diagnostics, file by file, as publishing each edit whole.
  assert.deepEqual([...edits.last].sort(), [...whole.last].sort());
  t.mock.timers.tick(10);
  assert.equal(edits.events.length, 4 + rest.length, 'nothing more');

  // A publish before the tick (the file watcher, a close) takes what an edit left with it.
  const again = await start();
  const [[path, text]] = texts(again.service);
  again.service.update(path!, text!, 2);
  again.publisher.publishEdit([again.root], path!);
  again.publisher.publish([]);
  const sent = again.events.length;
  assert.ok(sent > 2, 'the rest went with it');
  t.mock.timers.tick(1);
  assert.equal(again.events.length, sent, 'and the timer finds nothing left');
});

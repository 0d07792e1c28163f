/**
 * `zeroTrust/changeImpact` (Show Change Impact): the server compares the workspace as it is with the workspace the
 * extension describes by the changed files' content at a git ref, and answers `ztp diff`'s Markdown and the layers
 * whose status the change alters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient, uri } from '../harness/lsp-client';
import { ChangeImpactRequest, type ChangeImpactParams, type ChangeImpactResponse } from '../../server/src/protocol';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'contoso');

test('the working changes against the files at a ref: sign-ins, findings and layers that change', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-impact-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tenant = join(dir, 'contoso');
  cpSync(EXAMPLE, tenant, { recursive: true });
  // The working changes: a CA policy's compliant-device grant becomes a block, and the Windows compliance policy
  // is deleted. At the ref, both were as in the example.
  const ca = join(tenant, 'conditional-access', 'ca-all-users-require-compliant-device.yaml');
  const caBefore = readFileSync(ca, 'utf8');
  writeFileSync(ca, caBefore.replace('[compliantDevice]', '[block]'));
  const win = join(tenant, 'compliance', 'win-compliance-baseline.yaml');
  const winBefore = readFileSync(win, 'utf8');
  unlinkSync(win);
  // The legacy-auth block, which does not exclude the break-glass accounts (an error that blocks layer 4), deleted.
  const legacy = join(tenant, 'conditional-access', 'ca-block-legacy-auth.yaml');
  const legacyBefore = readFileSync(legacy, 'utf8');
  unlinkSync(legacy);
  // A file added by the working changes, absent at the ref.
  const added = join(tenant, 'notes.yaml');
  writeFileSync(added, 'kind: ConditionalAccessPolicy\nname: ca-new\nowner: identity\nspec:\n  displayName: new\n  state: disabled\n');

  const client = await LspClient.start([dir]);
  t.after(() => client.stop());
  // The CA policy has no findings before the change and is not open: the end of the first scan says it was analysed.
  await client.until('the first scan', () => client.progressEnded > 0);
  const params: ChangeImpactParams = {
    ref: 'HEAD',
    files: [
      { uri: uri(ca), content: caBefore },
      { uri: uri(win), content: winBefore },
      { uri: uri(legacy), content: legacyBefore },
      { uri: uri(added), content: null },
      // Outside the workspace: ignored, never read or stood in for.
      { uri: 'file:///etc/ztp-impact.yaml', content: 'kind: Tenant\n' },
    ],
  };
  const r = (await client.conn.sendRequest(ChangeImpactRequest, params)) as ChangeImpactResponse;
  const first = r.markdown.split('\n')[0]!;
  assert.match(first, /⛔/, first);
  assert.match(r.markdown, /git HEAD/);
  assert.match(r.markdown, /ca-all-users-require-compliant-device/);
  assert.match(r.markdown, /→ \*\*blocked by ca-all-users-require-compliant-device\*\*/);
  assert.match(r.markdown, /win-compliance-baseline/, 'the deleted policy is listed');
  assert.match(r.markdown, /ca-new/, 'the added policy is listed');
  assert.ok(r.failures.length > 0, 'a whole group is newly blocked');
  const layers = r.layers.find((l) => l.uri.replace(/\/$/, '') === uri(tenant));
  assert.ok(layers, JSON.stringify(r.layers));
  // Layer 4 loses both its errors (the compliant-device gap, now a block; the legacy-auth policy's break-glass
  // exclusion); layer 3 stays partial (Windows now has no compliance policy).
  assert.ok(layers.changes.some((c) => c.layer === 4 && c.before === 'blocked' && c.after === 'partial'), `layer 4 changes: ${JSON.stringify(layers.changes)}`);
  assert.ok(!layers.changes.some((c) => c.layer === 3), `layer 3 does not change: ${JSON.stringify(layers.changes)}`);
  // Nothing on disk changed.
  assert.equal(readFileSync(ca, 'utf8'), caBefore.replace('[compliantDevice]', '[block]'));
});

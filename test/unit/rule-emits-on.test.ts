/**
 * `Rule.emitsOn`: a rule that names the kinds of file its findings are on lets the language server send an edited file's
 * diagnostics before it runs (`PolicyService.fileFindings`). A kind left out would make that first answer wrong until the
 * rest of the tenant's analysis sent it again, so every finding of such a rule, on every tenant the tests hold (the
 * fixtures, the examples, and the real exports beside the repository when they are there), must be on a file of a kind
 * it names. Each rule that names kinds must have findings here, or the check says nothing of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPolicyService } from '../../server/src/core/index';
import { RULES } from '../../server/src/core/rules/index';
import { fileKindOf } from '../../server/src/core/rule';
import { nodeFileSystemSync } from '../../server/src/host/node-fs';
import { REPO_ROOT, TENANT_WORKSPACES } from '../harness/tenant-workspaces';

test('every finding of a rule that names the kinds of file it finds something on is on a file of one of those kinds', async () => {
  const declared = new Map(RULES.filter((r) => r.emitsOn).map((r) => [r.id, r.emitsOn!]));
  assert.ok(declared.size > 0);
  const seen = new Set<string>();
  for (const { dir: rel } of TENANT_WORKSPACES.filter((w) => !w.skip)) {
    const dir = join(REPO_ROOT, rel);
    const s = createPolicyService({ fs: nodeFileSystemSync, now: () => new Date('2026-11-20T12:00:00Z') });
    for (const p of await s.discover(dir)) await s.loadOrSkip(p);
    for (const root of [...s.tenantRoots(), undefined]) {
      for (const f of s.findings(root)) {
        const kinds = declared.get(f.ruleId);
        if (!kinds) continue;
        seen.add(f.ruleId);
        const file = s.get(f.file);
        const kind = file && fileKindOf(file);
        assert.ok(kind !== undefined && kinds.includes(kind), `${f.ruleId} found something on ${f.file.slice(REPO_ROOT.length)} (${kind ?? 'no kind'}), which it does not name (${kinds.join(', ')})`);
      }
    }
  }
  const silent = [...declared.keys()].filter((id) => !seen.has(id));
  assert.deepEqual(silent, [], 'rules that name kinds of file but found nothing on the tenants here');
});

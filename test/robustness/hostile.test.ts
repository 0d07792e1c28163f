/**
 * Hostile and odd files: each gives a clear finding (or, where that is the right answer, none), never a crash, a
 * hang or a blank. The core is driven directly and through the CLI (`main()` in-process, with an injectable file
 * system for faults that root cannot produce on disk, such as EACCES). SECURITY.md lists the limits tested here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBytes, parseText, PARSE_LIMITS } from '../../server/src/core/document';
import { type PolicyFileSystem } from '../../server/src/core/workspace';
import { createPolicyService } from '../../server/src/core/service';
import { confinedFileSystem, nodeFileSystem, OUTSIDE_WORKSPACE } from '../../server/src/host/node-fs';
import { main, type CliIO } from '../../server/src/cli/main';
import type { Finding } from '../../server/src/core/types';

const MANIFEST = `kind: Tenant
name: hostile
licenses: [M365_E5]
platforms: [windows]
groups:
  - name: grp-all-staff
teams:
  endpoint: { contact: endpoint@example.com }
settings:
  secureByDefault: true
`;

const POLICY = `kind: CompliancePolicy
name: win
owner: endpoint
spec:
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"
  displayName: Windows baseline
  bitLockerEnabled: true
  secureBootEnabled: true
  codeIntegrityEnabled: true
  scheduledActionsForRule:
    - ruleName: PasswordRequired
      scheduledActionConfigurations:
        - { actionType: block, gracePeriodHours: 0 }
assignments:
  include: [grp-all-staff]
`;

/** The tenant above has no Conditional Access policy; that finding is beside the point here. */
const QUIET = { rules: { 'legacy-auth-not-blocked': 'off' as const } };
const QUIET_FLAG = ['--rule', 'legacy-auth-not-blocked=off'];

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-hostile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A tenant on disk: the manifest plus `files` (relative path → content). */
function tenantOnDisk(dir: string, files: Record<string, string | Uint8Array> = {}): string {
  writeFileSync(join(dir, 'zerotrust.yaml'), MANIFEST);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

/** Analyse a tenant whose one policy file has `content`; the findings on that file. */
async function findingsFor(name: string, content: string | Uint8Array, manifest: string | Uint8Array = MANIFEST): Promise<Finding[]> {
  const files = new Map<string, Uint8Array>([
    ['/t/zerotrust.yaml', typeof manifest === 'string' ? new TextEncoder().encode(manifest) : manifest],
    [`/t/${name}`, typeof content === 'string' ? new TextEncoder().encode(content) : content],
  ]);
  const service = createPolicyService({ fs: memoryFs(files), settings: QUIET });
  for (const p of files.keys()) await service.load(p);
  return service.analyzeAll().filter((f) => f.file === `/t/${name}`);
}

function memoryFs(files: Map<string, Uint8Array>, faults: Record<string, string> = {}): PolicyFileSystem {
  return {
    async readFile(p) {
      if (faults[p]) throw Object.assign(new Error(`${faults[p]}: simulated, open '${p}'`), { code: faults[p] });
      const b = files.get(p);
      if (!b) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
      return b;
    },
    async readDirectory(dir) {
      const names = new Set<string>();
      for (const p of files.keys()) if (p.startsWith(dir + '/')) names.add(p.slice(dir.length + 1).split('/')[0]!);
      return [...names].map((name) => ({ name, kind: files.has(`${dir}/${name}`) ? ('file' as const) : ('directory' as const) }));
    },
  };
}

function only(findings: Finding[], ruleId: string): Finding {
  const f = findings.filter((x) => x.ruleId === ruleId);
  assert.equal(f.length, 1, `one ${ruleId} finding, got: ${JSON.stringify(findings.map((x) => `${x.ruleId}: ${x.message}`))}`);
  return f[0]!;
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], cwd: string, fs?: PolicyFileSystem): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, isTTY: false, env: { NO_COLOR: '1' }, fs };
  const code = await main(argv[0] === 'check' ? [...argv, ...QUIET_FLAG] : argv, io);
  return { code, stdout, stderr };
}

/** A YAML "billion laughs": ten levels of nine aliases each (9^10 ≈ 3.5 billion strings once expanded). */
function aliasBomb(levels = 10): string {
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return `kind: CompliancePolicy\nname: bomb\nspec:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

test('a YAML alias bomb (billion laughs) is refused quickly, in bounded memory, with a clear finding', async () => {
  const text = aliasBomb();
  parseText('/warm/x.yaml', 'a: &a [1]\nb: *a\n');
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const parsed = parseText('/t/bomb.yaml', text);
  const ms = performance.now() - started;
  const grewMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
  assert.equal(parsed.value, undefined);
  assert.match(parsed.syntaxErrors.map((e) => e.message).join('\n'), /alias bomb/);
  // SECURITY.md quotes the measured figure (a few ms); the bound here is loose because CI machines are noisy.
  assert.ok(ms < 1000, `refused in ${ms.toFixed(1)} ms`);
  assert.ok(grewMb < 64, `heap grew ${grewMb.toFixed(1)} MB`);
  console.log(`alias bomb refused in ${ms.toFixed(1)} ms (heap +${grewMb.toFixed(1)} MB)`);
  const f = only(await findingsFor('bomb.yaml', text), 'yaml-syntax');
  assert.match(f.message, /^YAML syntax: refused: the document expands YAML aliases too many times \(over 100\), as an alias bomb does(\. Until it parses, .*)?$/);
});

test('aliases within the limit still work', async () => {
  const text = `${POLICY}x-anchors:\n  base: &base { a: 1 }\n  copy: *base\n`;
  const p = parseText('/t/ok.yaml', text);
  assert.deepEqual(p.syntaxErrors, []);
  assert.deepEqual((p.value as { 'x-anchors': unknown })['x-anchors'], { base: { a: 1 }, copy: { a: 1 } });
});

test('nesting 10,000 levels deep (block, flow, JSON) does not overflow the stack: one clear yaml-syntax finding', async () => {
  const deep: [string, string][] = [
    ['block.yaml', `kind: CompliancePolicy\nspec:\n  x:\n    ${'- '.repeat(10_000)}1\n`],
    ['block-map.yaml', Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'],
    ['flow.yaml', `kind: CompliancePolicy\nspec: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
    ['flow-map.yaml', `kind: CompliancePolicy\nspec: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`],
    ['deep.json', `{"kind": "CompliancePolicy", "spec": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`],
    ['deep-array.json', `{"kind": "CompliancePolicy", "spec": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
    ['unclosed.json', '['.repeat(10_000)],
  ];
  for (const [name, text] of deep) {
    const started = performance.now();
    const f = only(await findingsFor(name, text), 'yaml-syntax');
    const ms = performance.now() - started;
    assert.match(f.message, new RegExp(`(YAML|JSON) syntax: refused: the document nests more than ${PARSE_LIMITS.maxDepth} levels deep`), name);
    assert.ok(f.span.offset > 0 && f.span.offset <= text.length, `${name}: the finding points where it gets too deep`);
    assert.ok(ms < 2000, `${name}: ${ms.toFixed(0)} ms`);
  }
  // Just under the limit is fine.
  const ok = parseText('/t/ok.yaml', `spec: ${'['.repeat(200)}${']'.repeat(200)}\n`);
  assert.deepEqual(ok.syntaxErrors, []);
});

test('a 50 MB file is skipped with a "file too large" finding; the limit is a setting (service, CLI flag)', async (t) => {
  const dir = tenantOnDisk(tempDir(t), { 'compliance/win.yaml': POLICY });
  const big = join(dir, 'compliance', 'huge.yaml');
  writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, '#'));
  const started = performance.now();
  const r = await cli(['check', dir, '--format', 'json'], dir);
  assert.ok(performance.now() - started < 5000, 'the big file is not read');
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { file: string; code: string; message: string }[];
  const f = out.filter((x) => x.file === 'compliance/huge.yaml');
  assert.equal(f.length, 1, r.stdout);
  assert.equal(f[0]!.code, 'yaml-syntax');
  assert.match(f[0]!.message, /file too large: 50\.0 MB is over the 5\.0 MB limit.*zeroTrust\.maxFileSizeMB.*--max-file-size/);

  // --max-file-size: a 2 MB file (of comments) is too large at 1 MB and fine at 3 MB.
  writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, '#'));
  const low = await cli(['check', dir, '--format', 'json', '--max-file-size', '1'], dir);
  assert.match(low.stdout, /file too large: 2\.0 MB is over the 1\.0 MB limit/);
  const high = await cli(['check', dir, '--format', 'json', '--max-file-size=3'], dir);
  assert.equal(high.code, 0, high.stdout + high.stderr);
  assert.deepEqual(JSON.parse(high.stdout), []);
  for (const bad of ['0', '-1', 'big', '']) {
    const u = await cli(['check', dir, '--max-file-size', bad], dir);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /--max-file-size takes a size in MB/);
  }
  const help = await cli(['--help'], dir);
  assert.match(help.stdout, /--max-file-size <MB>/);

  // The service's setting applies to editor buffers too (the language server's zeroTrust.maxFileSizeMB).
  const service = createPolicyService({ fs: nodeFileSystem, maxFileSize: 1024 });
  const facts = service.update('/t/buffer.yaml', 'x'.repeat(2048), 1);
  assert.match(facts.parsed.syntaxErrors[0]!.message, /file too large/);
  assert.equal(facts.parsed.text, '');
});

test('binary data, invalid UTF-8 and UTF-16 without a BOM', async () => {
  const binary = new Uint8Array(512).map((_, i) => (i * 7919) % 256);
  assert.match(only(await findingsFor('binary.yaml', binary), 'yaml-syntax').message, /binary data|not valid UTF-8/);
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  assert.match(only(await findingsFor('image.yaml', png), 'yaml-syntax').message, /YAML syntax: the file is not valid UTF-8/);
  const nul = new TextEncoder().encode('kind: CompliancePolicy\nname: x\u0000\u0000\u0000y\n');
  assert.match(only(await findingsFor('nul.yaml', nul), 'yaml-syntax').message, /YAML syntax: the file holds NUL bytes: it looks like binary data, not text/);
  const bad = new Uint8Array([...new TextEncoder().encode('kind: CompliancePolicy\nname: caf'), 0xe9, 0x0a]);
  assert.match(only(await findingsFor('latin1.yaml', bad), 'yaml-syntax').message, /not valid UTF-8; save it as UTF-8/);
  // UTF-16 without a BOM is recognised by its NUL pattern, LE and BE.
  const le = Buffer.from(POLICY, 'utf16le');
  const be = Buffer.from(le).swap16();
  for (const bytes of [le, be]) {
    const p = parseBytes('/t/u16.yaml', bytes);
    assert.deepEqual(p.syntaxErrors, []);
    assert.equal((p.value as { name: string }).name, 'win');
  }
});

test('UTF-16 with a BOM and UTF-8 with a BOM parse, with positions in the decoded text', async () => {
  const text = POLICY.replace('bitLockerEnabled: true', 'bitLockerEnabled: maybe');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  const u8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  for (const bytes of [le, be, u8]) {
    const f = only(await findingsFor('bom.yaml', bytes), 'schema');
    assert.equal(text.slice(f.span.offset, f.span.offset + f.span.length), 'maybe');
  }
});

test('CRLF line endings: positions count CRLF as one line break', async () => {
  const text = POLICY.replace('bitLockerEnabled: true', 'bitLockerEnabled: maybe').replace(/\n/g, '\r\n');
  const files = new Map([
    ['/t/zerotrust.yaml', new TextEncoder().encode(MANIFEST.replace(/\n/g, '\r\n'))],
    ['/t/crlf.yaml', new TextEncoder().encode(text)],
  ]);
  const service = createPolicyService({ fs: memoryFs(files), settings: QUIET });
  for (const p of files.keys()) await service.load(p);
  const findings = service.analyzeAll();
  const f = only(findings, 'schema');
  assert.deepEqual(service.get(f.file)!.parsed.lines.rangeOf(f.span).start, { line: 6, character: 20 });
});

test('tab indentation gets a clear finding (YAML forbids tabs in indentation)', async () => {
  const f = only(await findingsFor('tabs.yaml', POLICY.replace('  displayName', '\tdisplayName')), 'yaml-syntax');
  assert.match(f.message, /YAML syntax: Tabs are not allowed as indentation \(YAML forbids tab characters in indentation; indent with spaces\)/);
});

test('an empty policy file has no finding; an empty zerotrust.yaml has a clear schema finding', async () => {
  for (const empty of ['', '\n\n', '# just a comment\n', '---\n']) {
    assert.deepEqual(await findingsFor('empty.yaml', empty), [], JSON.stringify(empty));
  }
  const files = new Map([['/t/zerotrust.yaml', new Uint8Array()]]);
  const service = createPolicyService({ fs: memoryFs(files) });
  await service.load('/t/zerotrust.yaml');
  const f = only(service.analyzeAll(), 'schema');
  assert.match(f.message, /the manifest must be a mapping with `kind: Tenant`, `name` and `licenses`/);
});

test('several YAML documents in one file, and duplicate keys, are named plainly', async () => {
  const multi = only(await findingsFor('multi.yaml', `${POLICY}---\nkind: CompliancePolicy\nname: second\n`), 'yaml-syntax');
  assert.match(multi.message, /the file holds 2 YAML documents; a policy file holds exactly one/);
  const dup = only(await findingsFor('dup.yaml', POLICY.replace('owner: endpoint\n', 'owner: endpoint\nowner: identity\n')), 'yaml-syntax');
  assert.match(dup.message, /`owner` appears twice in the same mapping \(first on line \d+\); remove one of the two/);
  const dupJson = only(await findingsFor('dup.json', '{"kind": "CompliancePolicy", "name": "a", "name": "b"}'), 'yaml-syntax');
  assert.match(dupJson.message, /JSON syntax: .*`"name"` appears twice in the same object/);
});

test('a symbolic link loop in a tenant folder is not followed: the scan ends', async (t) => {
  const dir = tenantOnDisk(tempDir(t), { 'compliance/win.yaml': POLICY });
  symlinkSync(dir, join(dir, 'compliance', 'loop'));
  symlinkSync(join(dir, 'compliance', 'loop'), join(dir, 'loop2'));
  symlinkSync(join(dir, 'compliance', 'win.yaml'), join(dir, 'linked.yaml'));
  let reads = 0;
  const counting: PolicyFileSystem = { ...nodeFileSystem, readDirectory: (p) => (reads++, nodeFileSystem.readDirectory(p)) };
  const service = createPolicyService({ fs: counting });
  const files = await service.discover(dir);
  assert.deepEqual(files.map((f) => f.slice(dir.length)), ['/compliance/win.yaml', '/zerotrust.yaml']);
  assert.equal(reads, 2, 'the tenant folder and compliance/, nothing through the links');
  const r = await cli(['check', dir, '--format', 'json'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('a file that cannot be read (EACCES): a finding in the core, a clear message and exit 2 in the CLI', async (t) => {
  const files = new Map([
    ['/t/zerotrust.yaml', new TextEncoder().encode(MANIFEST)],
    ['/t/secret.yaml', new TextEncoder().encode(POLICY)],
  ]);
  const fs = memoryFs(files, { '/t/secret.yaml': 'EACCES' });
  const service = createPolicyService({ fs, settings: QUIET });
  await assert.rejects(service.load('/t/secret.yaml'), /EACCES/);
  assert.equal((await service.loadOrSkip('/t/zerotrust.yaml')).status, 'loaded');
  const r = await service.loadOrSkip('/t/secret.yaml');
  assert.equal(r.status, 'unreadable');
  const f = only(service.analyzeAll(), 'yaml-syntax');
  assert.equal(f.file, '/t/secret.yaml');
  assert.match(f.message, /the file cannot be read \(EACCES: permission denied\); it is not analysed/);

  const dir = tenantOnDisk(tempDir(t), { 'compliance/win.yaml': POLICY, 'compliance/locked.yaml': POLICY.replace('name: win', 'name: locked') });
  const locked = join(dir, 'compliance', 'locked.yaml');
  const diskWithFault: PolicyFileSystem = {
    ...nodeFileSystem,
    readFile: async (p) => {
      if (p === locked) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
      return nodeFileSystem.readFile(p);
    },
  };
  const out = await cli(['check', dir], dir, diskWithFault);
  assert.equal(out.code, 2);
  assert.equal(out.stderr, 'ztp: compliance/locked.yaml: cannot read the file (EACCES: permission denied)\n');
});

test('a file deleted between discovery and the read is skipped: no finding, no exit 2 (a note on stderr)', async (t) => {
  const files = new Map([
    ['/t/zerotrust.yaml', new TextEncoder().encode(MANIFEST)],
    ['/t/gone.yaml', new TextEncoder().encode(POLICY)],
  ]);
  const service = createPolicyService({ fs: memoryFs(files, { '/t/gone.yaml': 'ENOENT' }), settings: QUIET });
  const found = await service.discover('/t');
  assert.deepEqual(found, ['/t/gone.yaml', '/t/zerotrust.yaml']);
  for (const f of found) await service.loadOrSkip(f);
  assert.equal(service.get('/t/gone.yaml'), undefined);
  assert.deepEqual(service.analyzeAll(), []);

  const dir = tenantOnDisk(tempDir(t), { 'compliance/win.yaml': POLICY, 'compliance/gone.yaml': POLICY.replace('name: win', 'name: gone') });
  const gone = join(dir, 'compliance', 'gone.yaml');
  const racing: PolicyFileSystem = {
    ...nodeFileSystem,
    readFile: async (p, maxBytes) => {
      if (p === gone) rmSync(gone);
      return nodeFileSystem.readFile(p, maxBytes);
    },
  };
  const out = await cli(['check', dir, '--format', 'json'], dir, racing);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), []);
  assert.equal(out.stderr, 'ztp: compliance/gone.yaml: skipped: the file went away while it was being checked\n');
});

test('a named pipe called policy.yaml neither hangs the scan nor a direct read', { skip: process.platform === 'win32' }, async (t) => {
  const dir = tenantOnDisk(tempDir(t), { 'compliance/win.yaml': POLICY });
  const fifo = join(dir, 'compliance', 'pipe.yaml');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return t.skip('mkfifo is not available');
  const service = createPolicyService({ fs: nodeFileSystem });
  assert.deepEqual((await service.discover(dir)).map((f) => f.slice(dir.length)), ['/compliance/win.yaml', '/zerotrust.yaml']);
  const started = performance.now();
  const r = await service.loadOrSkip(fifo);
  assert.equal(r.status, 'skipped');
  assert.ok(performance.now() - started < 1000);
  const out = await cli(['check', dir], dir);
  assert.equal(out.code, 0, out.stdout + out.stderr);
});

test('100,000 files in node_modules and dot-folders are never entered: the scan stays fast', { timeout: 120_000 }, async (t) => {
  const dir = tenantOnDisk(tempDir(t), { 'compliance/win.yaml': POLICY });
  const created = performance.now();
  let count = 0;
  for (const top of ['node_modules', '.git', '.cache', 'compliance/node_modules']) {
    for (let d = 0; d < 50; d++) {
      const sub = join(dir, top, `pkg${d}`);
      mkdirSync(sub, { recursive: true });
      for (let i = 0; i < 500; i++, count++) writeFileSync(join(sub, `f${i}.yaml`), 'kind: Bogus\n');
    }
  }
  assert.equal(count, 100_000);
  const createMs = performance.now() - created;
  const visited: string[] = [];
  const counting: PolicyFileSystem = { ...nodeFileSystem, readDirectory: (p) => (visited.push(p.slice(dir.length) || '/'), nodeFileSystem.readDirectory(p)) };
  const service = createPolicyService({ fs: counting });
  const started = performance.now();
  const files = await service.discover(dir);
  const scanMs = performance.now() - started;
  assert.deepEqual(visited.sort(), ['/', '/compliance']);
  assert.deepEqual(files.map((f) => f.slice(dir.length)), ['/compliance/win.yaml', '/zerotrust.yaml']);
  assert.ok(scanMs < 1000, `scan took ${scanMs.toFixed(0)} ms`);
  const r = await cli(['check', dir, '--format', 'json'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  console.log(`100,000 skipped files created in ${createMs.toFixed(0)} ms; scan ${scanMs.toFixed(1)} ms`);
});

test("the server's confined file system reads inside its folders only, symbolic links resolved", async (t) => {
  const ws = tenantOnDisk(tempDir(t), { 'compliance/win.yaml': POLICY });
  const outside = tempDir(t);
  writeFileSync(join(outside, 'secret.yaml'), POLICY);
  mkdirSync(join(outside, 'dir'));
  writeFileSync(join(outside, 'dir', 'inner.yaml'), POLICY);
  symlinkSync(join(outside, 'secret.yaml'), join(ws, 'link.yaml'));
  symlinkSync(join(outside, 'dir'), join(ws, 'dir-link'));
  symlinkSync(join(ws, 'compliance', 'win.yaml'), join(ws, 'inner-link.yaml'));
  const fs = confinedFileSystem(nodeFileSystem, () => [ws]);
  assert.equal(new TextDecoder().decode(await fs.readFile(join(ws, 'compliance', 'win.yaml'))), POLICY);
  assert.equal(new TextDecoder().decode(await fs.readFile(join(ws, 'inner-link.yaml'))), POLICY, 'a link that stays inside is fine');
  for (const p of [join(outside, 'secret.yaml'), join(ws, 'link.yaml'), join(ws, 'dir-link', 'inner.yaml'), `${ws}/compliance/../../${outside.split('/').pop()}/secret.yaml`]) {
    await assert.rejects(fs.readFile(p), (e: NodeJS.ErrnoException) => e.code === OUTSIDE_WORKSPACE, p);
    await assert.rejects(fs.readFile(p, 1024), (e: NodeJS.ErrnoException) => e.code === OUTSIDE_WORKSPACE, p);
  }
  await assert.rejects(fs.readDirectory(join(ws, 'dir-link')), (e: NodeJS.ErrnoException) => e.code === OUTSIDE_WORKSPACE);
  // Through the service: skipped without a finding, as a file that is not there.
  const service = createPolicyService({ fs });
  assert.equal((await service.loadOrSkip(join(ws, 'link.yaml'))).status, 'skipped');
  assert.equal(service.get(join(ws, 'link.yaml')), undefined);
  // With no workspace folder, nothing is read.
  await assert.rejects(confinedFileSystem(nodeFileSystem, () => []).readFile(join(ws, 'compliance', 'win.yaml')), (e: NodeJS.ErrnoException) => e.code === OUTSIDE_WORKSPACE);
});

test('a tiny size limit is printed in units that show the difference, never "0.0 MB is over the 0.0 MB limit"', async () => {
  const { formatSize } = await import('../../server/src/core/sizes');
  assert.equal(formatSize(0), '0 bytes');
  assert.equal(formatSize(1), '1 byte');
  assert.equal(formatSize(1048), '1.0 KB');
  assert.equal(formatSize(5 * 1048576), '5.0 MB');
  const s = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] }, maxFileSize: 0.001 * 1048576 });
  const f = s.update('/t/x.yaml', `kind: CompliancePolicy\nname: ${'x'.repeat(2000)}\n`, 1);
  assert.match(f.parsed.syntaxErrors[0]!.message, /file too large: 2\.0 KB is over the 1\.0 KB limit/);
  const same = createPolicyService({ fs: { readFile: async () => new Uint8Array(), readDirectory: async () => [] }, maxFileSize: 5 * 1048576 });
  const g = same.update('/t/y.yaml', 'x'.repeat(5 * 1048576 + 10), 1);
  assert.match(g.parsed.syntaxErrors[0]!.message, /file too large: 5242890 bytes is over the 5242880 bytes limit/);
});

/**
 * A file over the size limit (`--max-file-size`, `zeroTrust.maxFileSizeMB`) is a file not analysed, as one that does
 * not parse is: what it may hold is told from its first bytes (model/sniff.ts), never taken as missing, and every
 * reader (the rules, What If, the lockout check, the report, ztp diff) reads the model's one answer. whatif, report
 * and diff take --max-file-size as check does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess, tempDir, type CliRun } from '../harness/cli';
import { createPolicyService } from '../../server/src/core/service';
import { factsFromPlain, plainFacts } from '../../server/src/core/facts-transfer';
import { modelOf } from '../../server/src/core/model/index';
import { sniffKind, sniffPlatform } from '../../server/src/core/model/sniff';
import { TOO_LARGE_HEAD_BYTES, type PolicyFileSystem } from '../../server/src/core/index';
import { nodeFileSystem, nodeFileSystemSync } from '../../server/src/host/node-fs';
import { openGitTree, resolveRevision } from '../../server/src/host/git-tree';
import { overlayFileSystem } from '../../server/src/host/overlay-fs';

const ROOT = join(__dirname, '..', '..');
const COMPLIANCE = join(ROOT, 'test', 'fixtures-whatif', 'oversize-compliance');
const IOS = join('compliance', 'ios-compliance.yaml');
const OVERSIZE_CA = join(ROOT, 'test', 'fixtures-whatif', 'lockout-oversize-ca');
/** 0.002 MB (2,097 bytes): the iOS compliance file of the fixture (2.8 KB) is over it, every other file under. */
const SMALL = '0.002';
/** 0.001 MB (1,048 bytes): the CA file of lockout-oversize-ca (1.7 KB) is over it, the manifest under. */
const TINY = '0.001';

function ztp(argv: string[], cwd = ROOT): Promise<CliRun> {
  return runInProcess(argv, { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ZTP_JOBS: '1' } });
}

interface JsonFinding {
  file: string;
  code: string;
  message: string;
}

test('check: a compliance policy over the size limit is not missing: no ca-requires-compliance-policy error, the file-too-large finding names what it may hold', async (t) => {
  const over = await ztp(['check', COMPLIANCE, '--max-file-size', SMALL, '--format', 'json']);
  assert.equal(over.code, 1, over.stderr);
  const findings = JSON.parse(over.stdout) as JsonFinding[];
  const tooLarge = findings.filter((f) => f.code === 'yaml-syntax');
  assert.equal(tooLarge.length, 1, over.stdout);
  assert.match(tooLarge[0]!.file, /compliance\/ios-compliance\.yaml$/);
  // Its first bytes name an iOS compliance policy: only the checks for that wait for it.
  assert.match(tooLarge[0]!.message, /^file too large: 2\.8 KB is over the 2\.0 KB limit, so it is not analysed .*Until it can be read, the checks that look across the tenant for a `CompliancePolicy` for iOS\/iPadOS say nothing: the file may hold one$/);
  assert.deepEqual(findings.filter((f) => f.code === 'ca-requires-compliance-policy'), []);
  // The checks for other kinds still read the tenant: the file says it holds no Conditional Access policy.
  assert.ok(findings.some((f) => f.code === 'legacy-auth-not-blocked'), over.stdout);
  // Read whole, the tenant is the same, less the finding.
  const read = JSON.parse((await ztp(['check', COMPLIANCE, '--format', 'json'])).stdout) as JsonFinding[];
  assert.deepEqual(read.filter((f) => f.code === 'yaml-syntax' || f.code === 'ca-requires-compliance-policy'), []);
  // The near miss: with the file gone, the iOS compliance policy is missing and the rule says so.
  const without = tempDir(t, 'oversize');
  cpSync(COMPLIANCE, without, { recursive: true });
  rmSync(join(without, IOS));
  const gone = JSON.parse((await ztp(['check', without, '--max-file-size', SMALL, '--format', 'json'])).stdout) as JsonFinding[];
  assert.ok(gone.some((f) => f.code === 'ca-requires-compliance-policy' && /iOS/.test(f.message)), JSON.stringify(gone));
});

test('check <folder> outside every tenant: an over-size policy file is said, as inside a tenant; one whose first 64 KB show no policy gets a note; both parallel and not', async (t) => {
  const dir = tempDir(t, 'oversize-bare');
  // The iOS compliance policy of the fixture (2.8 KB, over 0.002 MB), in a folder with no zerotrust.yaml, beside a
  // policy under the limit and a JSON data file over it whose first 64 KB hold no policy key.
  cpSync(join(COMPLIANCE, IOS), join(dir, 'ios-compliance.yaml'));
  writeFileSync(join(dir, 'small.yaml'), 'kind: CompliancePolicy\nname: small\nspec:\n  "@odata.type": "#microsoft.graph.windows10CompliancePolicy"\n  displayName: small\n');
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ row: i, note: 'x'.repeat(40) })) }));
  for (const jobs of ['1', '2']) {
    const r = await runInProcess(['check', dir, '--max-file-size', SMALL, '--format', 'json', '--jobs', jobs], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    const tooLarge = findings.filter((f) => f.code === 'yaml-syntax');
    assert.deepEqual(tooLarge.map((f) => f.file), ['ios-compliance.yaml'], r.stdout);
    assert.match(tooLarge[0]!.message, /^file too large: 2\.8 KB is over the 2\.0 KB limit, so it is not analysed \(raise it with the setting `zeroTrust\.maxFileSizeMB` or `--max-file-size <MB>` on the command line\)/);
    // The data file: not a finding (nothing shows it is a policy), but said on stderr with the limit and the flag.
    assert.ok(!findings.some((f) => f.file === 'data.json'), r.stdout);
    assert.match(r.stderr, /^ztp: data\.json: skipped: file too large: \d+\.\d KB is over the 2\.0 KB limit \(raise it with .*`--max-file-size <MB>` on the command line\); it is in no tenant folder and its first 64 KB show no policy, so it is not checked$/m);
    assert.doesNotMatch(r.stderr, /ios-compliance/);
  }
  // The near miss: under the limit, neither is said (the data file is not a policy; the policy file is read).
  const read = await runInProcess(['check', dir, '--format', 'json', '--jobs', '1'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  assert.equal(read.stderr, '');
  assert.deepEqual((JSON.parse(read.stdout) as JsonFinding[]).filter((f) => f.code === 'yaml-syntax'), []);
});

test('check <folder> holding only an over-size data file: the usage error says the file was skipped, its size, the limit and --max-file-size', async (t) => {
  const dir = tempDir(t, 'oversize-only');
  // A 5.6 MB JSON data file (rows of a report, no policy key in its first 64 KB), alone in the folder: over the default
  // 5 MB limit.
  const row = JSON.stringify({ device: 'PC-0001', user: 'someone@contoso.com', lastSeen: '2026-11-30T08:00:00Z', note: 'x'.repeat(60) });
  writeFileSync(join(dir, 'big-data.json'), `{"rows":[${Array.from({ length: 40000 }, () => row).join(',')}]}`);
  for (const jobs of ['1', '2']) {
    const r = await runInProcess(['check', dir, '--jobs', jobs], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /^ztp: no tenant folder or policy file under .*oversize-only-[^;]*; big-data\.json was skipped: file too large: 5\.\d MB is over the 5\.0 MB limit \(raise it with the setting `zeroTrust\.maxFileSizeMB` or `--max-file-size <MB>` on the command line\); it is in no tenant folder and its first 64 KB show no policy, so it is not checked$/m, jobs);
  }
  // Raised over its size, it is read: a data file, no policy, and the plain usage error.
  const raised = await runInProcess(['check', dir, '--max-file-size', '10'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  assert.equal(raised.code, 2);
  assert.match(raised.stderr, /no tenant folder or policy file under .*oversize-only-\w+\n?$/);
  assert.doesNotMatch(raised.stderr, /skipped/);
});

test('whatif --lockout: a CA policy over the size limit leaves "no lockout" unknown (exit 2), as a CA file that does not parse does', async () => {
  const read = await ztp(['whatif', '--lockout', OVERSIZE_CA]);
  assert.equal(read.code, 0, read.stdout + read.stderr);
  assert.match(read.stdout, /✓ no lockout/);
  const over = await ztp(['whatif', '--lockout', OVERSIZE_CA, '--max-file-size', TINY]);
  assert.equal(over.code, 2, over.stdout + over.stderr);
  assert.match(over.stdout, /\? no lockout among the policies read: `[^`]*ca\/mfa-all\.yaml` is not analysed \(a file that could not be read, or a Graph list\) and may hold a Conditional Access policy, which these sign-ins leave out/);
  const json = JSON.parse((await ztp(['whatif', '--lockout', OVERSIZE_CA, '--max-file-size', TINY, '--format', 'json'])).stdout) as { findings: unknown[]; unread: string[] };
  assert.deepEqual(json.findings, []);
  assert.equal(json.unread.length, 1);
  assert.match(json.unread[0]!, /ca\/mfa-all\.yaml$/);
  // One sign-in says what it leaves out too.
  const one = await ztp(['whatif', OVERSIZE_CA, '--user', 'someone@oversize.example', '--platform', 'windows', '--max-file-size', TINY]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /Result: allowed \(no enforced policy applies\) \(among the policies read\)/);
});

test('whatif: a compliance policy over the size limit makes a compliant device unknown on its platform only; the lockout check says it may lock out and finds no lockout', async () => {
  const ios = await ztp(['whatif', COMPLIANCE, '--user', 'someone@oversize.example', '--platform', 'iOS', '--max-file-size', SMALL]);
  assert.equal(ios.code, 0, ios.stderr);
  assert.match(ios.stdout, /unknown whether a compliant device can be met on iOS: `compliance\/ios-compliance\.yaml` is not analysed/);
  assert.match(ios.stdout, /Result: allowed if a compliant device; may be blocked in practice/);
  const windows = await ztp(['whatif', COMPLIANCE, '--user', 'someone@oversize.example', '--platform', 'windows', '--max-file-size', SMALL]);
  assert.doesNotMatch(windows.stdout, /unknown whether/);
  const lockout = await ztp(['whatif', '--lockout', COMPLIANCE, '--max-file-size', SMALL]);
  // The file's first bytes say it holds a compliance policy, not a Conditional Access one: the sign-ins miss nothing.
  assert.equal(lockout.code, 0, lockout.stdout);
  // Unknown, not fine: "may be locked out" (exit 0), never "no lockout" (audit r29 r2).
  assert.match(lockout.stdout, /\? MAY BE UNSATISFIABLE in ca-require-compliant — on iOS[^\n]*\n[^\n]*\n {6}why {3}unknown whether a compliant device can be met on iOS/);
  assert.doesNotMatch(lockout.stdout, /✓ no lockout/);
  assert.doesNotMatch(lockout.stdout, /Not analysed/);
});

test('report --max-file-size: the finding, no ca-requires-compliance-policy error, layer 3 unknown; the lockout check unknown for an over-size CA file', async () => {
  const r = await ztp(['report', COMPLIANCE, '--max-file-size', SMALL]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /`yaml-syntax` \| file too large: 2\.8 KB is over the 2\.0 KB limit/);
  assert.doesNotMatch(r.stdout, /ca-requires-compliance-policy/);
  assert.match(r.stdout, /\| 3 · Compliance policies \| 🟡 partial — unknown: `ios-compliance\.yaml` is not analysed/);
  assert.doesNotMatch((await ztp(['report', COMPLIANCE])).stdout, /file too large/);
  const ca = await ztp(['report', OVERSIZE_CA, '--max-file-size', TINY]);
  assert.equal(ca.code, 0, ca.stderr);
  assert.match(ca.stdout, /lockouts unknown/);
  assert.match(ca.stdout, /❔ No account is locked out by the policies read: `[^`]*mfa-all\.yaml` is not analysed \(a file that could not be read, or a Graph list\) and may hold a Conditional Access policy, which these sign-ins leave out\./);
  const html = await ztp(['report', OVERSIZE_CA, '--max-file-size', TINY, '--format', 'html']);
  assert.match(html.stdout, /may hold a Conditional Access policy, which these sign-ins leave out\.<\/p>/);
});

test('diff --max-file-size: a compliance policy that grows over the limit is no longer readable, not removed; no ca-requires-compliance-policy error is introduced', async (t) => {
  const dir = tempDir(t, 'oversize');
  const base = join(dir, 'base');
  cpSync(COMPLIANCE, base, { recursive: true });
  // The base's iOS policy is under the limit: its notes are not there yet.
  const text = readFileSync(join(COMPLIANCE, IOS), 'utf8');
  writeFileSync(join(base, IOS), text.replace(/^# restricted app.*\n/gm, ''));
  const r = await ztp(['diff', base, COMPLIANCE, '--max-file-size', SMALL, '--format', 'json']);
  const impact = JSON.parse(r.stdout) as { tenants: { introduced: { ruleId: string }[]; layers: { layer: number; after: string }[]; policies: { name: string; change: string }[] }[] };
  const [tenant] = impact.tenants;
  assert.ok(tenant, r.stdout);
  const introduced = tenant.introduced.map((f) => f.ruleId);
  assert.ok(introduced.includes('yaml-syntax'), r.stdout);
  assert.ok(!introduced.includes('ca-requires-compliance-policy'), r.stdout);
  assert.deepEqual(tenant.policies.map((p) => [p.name, p.change]), [['ios-compliance', 'unreadable']]);
  // Layer 3 is unknown, not missing: partial, never not started.
  assert.deepEqual(tenant.layers.map((l) => [l.layer, l.after]), [[3, 'partial']]);
  assert.equal(r.code, 1, 'the finding it introduces is an error');
  // The limit applies to both sides: the same over-size file on each changes nothing.
  const same = await ztp(['diff', COMPLIANCE, COMPLIANCE, '--max-file-size', SMALL]);
  assert.equal(same.code, 0, same.stdout + same.stderr);
});

test('diff --max-file-size: a CA file over the limit on both sides that changed is changed and unreadable on both sides; unchanged, it is no change', async (t) => {
  const dir = tempDir(t, 'oversize');
  const head = join(dir, 'head');
  cpSync(OVERSIZE_CA, head, { recursive: true });
  const file = join(head, 'ca', 'mfa-all.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s*)state: enabled$/m, '$1state: disabled'));
  const r = await ztp(['diff', OVERSIZE_CA, head, '--max-file-size', TINY, '--format', 'json']);
  const impact = JSON.parse(r.stdout) as { tenants: { change: string; signInsNotCompared?: string[]; policies: { change: string; stillUnreadable?: boolean }[] }[] };
  const [tenant] = impact.tenants;
  assert.equal(tenant?.change, 'changed', r.stdout);
  assert.deepEqual(tenant!.policies.map((p) => [p.change, p.stillUnreadable]), [['unreadable', true]]);
  assert.equal(tenant!.signInsNotCompared?.length, 1);
  const same = await ztp(['diff', OVERSIZE_CA, OVERSIZE_CA, '--max-file-size', TINY]);
  assert.match(same.stdout, /No change to findings, layers, sign-ins or policies/);
});

test('--max-file-size on whatif, report and diff: parsed, checked and helped as check does it', async () => {
  const uses: string[][] = [
    ['check', COMPLIANCE],
    ['whatif', '--lockout', COMPLIANCE],
    ['report', COMPLIANCE],
    ['diff', COMPLIANCE, COMPLIANCE],
  ];
  for (const argv of uses) {
    for (const bad of ['0', '-1', 'big', '5MB', '']) {
      const r = await ztp([...argv, `--max-file-size=${bad}`]);
      assert.equal(r.code, 2, `${argv.join(' ')} ${bad}`);
      assert.equal(r.stderr, `ztp: --max-file-size takes a size in MB greater than 0, not '${bad}'\n`, argv[0]);
    }
    const help = await ztp([argv[0]!, '--help']);
    assert.match(help.stdout, /--max-file-size <MB> +larger files are not analysed: what they may hold is unknown \(default: 5\)/, argv[0]);
  }
  assert.match((await ztp(['--help'])).stdout, /\(whatif, report and diff take it too\)/);
});

// --- the model and the hosts ------------------------------------------------------------------------------------

const MANIFEST = 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [windows, iOS]\n';
const IOS_HEAD = 'kind: CompliancePolicy\nname: ios\nspec:\n  "@odata.type": "#microsoft.graph.iosCompliancePolicy"\n  displayName: ios\n';
const PADDING = `# ${'x'.repeat(98)}\n`;

function memoryFs(files: Record<string, string>, refuseWithHead: boolean): PolicyFileSystem {
  return {
    async readFile(path, maxBytes = Infinity) {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      const bytes = new TextEncoder().encode(text);
      if (bytes.byteLength > maxBytes) throw Object.assign(new Error('too large'), { code: 'ETOOLARGE', size: bytes.byteLength, ...(refuseWithHead ? { head: bytes.subarray(0, TOO_LARGE_HEAD_BYTES) } : {}) });
      return bytes;
    },
    async readDirectory() {
      return [];
    },
  };
}

async function modelWith(files: Record<string, string>, maxFileSize: number, refuseWithHead = true) {
  const service = createPolicyService({ fs: memoryFs(files, refuseWithHead), maxFileSize });
  for (const p of Object.keys(files)) await service.load(p);
  return { service, model: modelOf(service.view('/t')) };
}

test('an over-size file whose first bytes name an iOS compliance type hides an iOS compliance policy only', async () => {
  const { model } = await modelWith({ '/t/zerotrust.yaml': MANIFEST, '/t/ios.yaml': IOS_HEAD + PADDING.repeat(30) }, 1024);
  assert.equal(model.unreadable.length, 1);
  assert.equal(model.mayHide('CompliancePolicy', 'iOS'), true);
  assert.equal(model.mayHide('CompliancePolicy', 'windows'), false);
  assert.equal(model.mayHide('ConditionalAccessPolicy'), false);
  assert.equal(model.mayHide('AppProtectionPolicy', 'iOS'), false);
  // Not parsed: the head is kept beside an empty text, so nothing reads it as the file.
  const file = model.unreadable[0]!.file;
  assert.equal(file.parsed.text, '');
  assert.equal(file.parsed.value, undefined);
});

test('an over-size file whose first bytes name nothing, or whose head the host did not hand over, may hold any policy', async () => {
  // 70 KB of comments first: the head (64 KB) holds no key, so it says nothing of the policy below.
  const late = await modelWith({ '/t/zerotrust.yaml': MANIFEST, '/t/late.yaml': PADDING.repeat(700) + IOS_HEAD }, 1024);
  assert.equal(late.model.mayHide('ConditionalAccessPolicy'), true);
  assert.equal(late.model.mayHide('CompliancePolicy', 'windows'), true);
  const headless = await modelWith({ '/t/zerotrust.yaml': MANIFEST, '/t/ios.yaml': IOS_HEAD + PADDING.repeat(30) }, 1024, false);
  assert.equal(headless.model.mayHide('ConditionalAccessPolicy'), true);
  assert.equal(headless.model.mayHide('CompliancePolicy', 'windows'), true);
});

test('an over-size list may hold any policy, whatever its first item names, unless its entity set says which kind', async () => {
  // A bare list of Windows compliance policies that may end with a CA policy (the review's 5.6 MB repro, shrunk): the
  // rest was never read.
  const item = JSON.stringify({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'Win', passwordRequired: true });
  const bare = await modelWith({ '/t/zerotrust.yaml': MANIFEST, '/t/list.json': `[${item},${item}]` + ' '.repeat(2048) }, 1024);
  assert.equal(bare.model.mayHide('ConditionalAccessPolicy'), true);
  assert.equal(bare.model.mayHide('CompliancePolicy', 'iOS'), true);
  // A collection read from `deviceCompliancePolicies` holds compliance policies only, of any platform.
  const listed = `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceCompliancePolicies","value":[${item},${item}]}`;
  const collection = await modelWith({ '/t/zerotrust.yaml': MANIFEST, '/t/list.json': listed + ' '.repeat(2048) }, 1024);
  assert.equal(collection.model.mayHide('ConditionalAccessPolicy'), false);
  assert.equal(collection.model.mayHide('CompliancePolicy', 'iOS'), true);
});

test('an editor buffer over the limit is read by its first characters, as a file on disk is', async () => {
  const service = createPolicyService({ fs: memoryFs({}, true), maxFileSize: 1024 });
  service.update('/t/zerotrust.yaml', MANIFEST, 1);
  const buffer = service.update('/t/ios.yaml', IOS_HEAD + PADDING.repeat(30), 1);
  assert.equal(sniffKind(buffer), 'CompliancePolicy');
  assert.equal(sniffPlatform(buffer), 'iOS');
  const model = modelOf(service.view('/t'));
  assert.equal(model.mayHide('CompliancePolicy', 'iOS'), true);
  assert.equal(model.mayHide('CompliancePolicy', 'windows'), false);
  // The server's read workers send facts as plain data: the head travels with the finding.
  const arrived = factsFromPlain(structuredClone(plainFacts(buffer)));
  assert.equal(sniffKind(arrived), 'CompliancePolicy');
  assert.equal(sniffPlatform(arrived), 'iOS');
});

test('the file systems refuse an over-size file with its first 64 KB, never more', async (t) => {
  const dir = tempDir(t, 'oversize');
  const big = IOS_HEAD + PADDING.repeat(1000); // about 100 KB
  writeFileSync(join(dir, 'big.yaml'), big);
  const path = join(dir, 'big.yaml').replace(/\\/g, '/');
  for (const fs of [nodeFileSystem, nodeFileSystemSync, overlayFileSystem(nodeFileSystem, new Map([[path, new TextEncoder().encode(big)]]))]) {
    const e = (await fs.readFile(path, 1024).then(() => undefined, (x: unknown) => x)) as { code?: string; size?: number; head?: Uint8Array };
    assert.equal(e?.code, 'ETOOLARGE');
    assert.equal(e.size, Buffer.byteLength(big));
    assert.equal(e.head?.byteLength, TOO_LARGE_HEAD_BYTES);
    assert.equal(Buffer.from(e.head!).toString('utf8'), big.slice(0, TOO_LARGE_HEAD_BYTES));
  }
  // A file shorter than 64 KB but over the limit: all of it, unparsed.
  writeFileSync(join(dir, 'small.yaml'), IOS_HEAD + PADDING.repeat(20));
  const e = (await nodeFileSystemSync.readFile(join(dir, 'small.yaml'), 1024).catch((x: unknown) => x)) as { head?: Uint8Array };
  assert.equal(Buffer.from(e.head!).toString('utf8'), IOS_HEAD + PADDING.repeat(20));
});

const HAS_GIT = spawnSync('git', ['--version']).status === 0;
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };

test('a git revision (ztp diff --base) hands over an over-size blob\'s first 64 KB, and the objects read after it stay whole', { skip: !HAS_GIT && 'git is not installed' }, async (t) => {
  const repo = tempDir(t, 'oversize');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 't'));
  const big = IOS_HEAD + PADDING.repeat(3000); // about 300 KB: many chunks of git's output go by unkept
  writeFileSync(join(repo, 't', 'big.yaml'), big);
  writeFileSync(join(repo, 't', 'small.yaml'), IOS_HEAD);
  git('add', '-A');
  git('commit', '-q', '-m', 'files');
  const root = repo.replace(/\\/g, '/');
  const tree = await openGitTree(root, await resolveRevision(root, 'HEAD', GIT_ENV), GIT_ENV);
  t.after(() => tree.close());
  const e = (await tree.fs.readFile(`${root}/t/big.yaml`, 1024).catch((x: unknown) => x)) as { code?: string; size?: number; head?: Uint8Array };
  assert.equal(e.code, 'ETOOLARGE');
  assert.equal(e.size, Buffer.byteLength(big));
  assert.equal(Buffer.from(e.head!).toString('utf8'), big.slice(0, TOO_LARGE_HEAD_BYTES));
  assert.equal(Buffer.from(await tree.fs.readFile(`${root}/t/small.yaml`, 1024)).toString('utf8'), IOS_HEAD);
  assert.equal(Buffer.from(await tree.fs.readFile(`${root}/t/big.yaml`)).toString('utf8'), big);
  // In one go, as a scan reads them: each answer is its own object's.
  const [a, b, c] = await Promise.all([tree.fs.readFile(`${root}/t/big.yaml`, 1024).catch((x: { head: Uint8Array }) => x.head), tree.fs.readFile(`${root}/t/small.yaml`), tree.fs.readFile(`${root}/t/big.yaml`, 1024).catch((x: { head: Uint8Array }) => x.head)]);
  assert.equal(Buffer.from(a).toString('utf8'), big.slice(0, TOO_LARGE_HEAD_BYTES));
  assert.equal(Buffer.from(b).toString('utf8'), IOS_HEAD);
  assert.equal(Buffer.from(c).toString('utf8'), big.slice(0, TOO_LARGE_HEAD_BYTES));
  // The whole file's hash (ztp diff, for over-size files alike in size and head): the revision's, from its listing, is
  // the working tree's, streamed, while the file is as committed, and differs once a byte past the head changes.
  assert.equal(await tree.fs.digest!(`${root}/t/big.yaml`), await nodeFileSystemSync.digest!(`${root}/t/big.yaml`));
  assert.match((await tree.fs.digest!(`${root}/t/big.yaml`))!, /^git-sha1:[0-9a-f]{40}$/);
  writeFileSync(join(repo, 't', 'big.yaml'), big.slice(0, -2) + (big.endsWith('x\n') ? 'y\n' : 'x\n'));
  assert.notEqual(await tree.fs.digest!(`${root}/t/big.yaml`), await nodeFileSystemSync.digest!(`${root}/t/big.yaml`));
});

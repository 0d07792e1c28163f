/**
 * Issue #16: `ztp diff`, the command. Two folders, or the working tree against a git revision read with git's own
 * commands (the working tree and the index left byte for byte as they were); exit 0/1 from the change, 2 for a usage
 * or I/O problem, one line on stderr. What the comparison finds is the core's, tested with it; here, what the command
 * loads, says and returns, and the workflow docs/ci.md documents for pull requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runInProcess, tempDir, type CliRun } from '../harness/cli';
import type { PolicyFileSystem } from '../../server/src/core/index';
import { nodeFileSystemSync } from '../../server/src/host/node-fs';

const ROOT = join(__dirname, '..', '..');
const LOCKOUT = join(ROOT, 'test', 'fixtures-whatif', 'lockout');
const CA = join('conditional-access', 'ca-block-during-migration.yaml');
const BREAK_GLASS = 'bg-admin@northwind.com';


function run(argv: string[], cwd: string, options: { fs?: PolicyFileSystem; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  return runInProcess(argv, { cwd, env: options.env ?? { PATH: process.env.PATH, NO_COLOR: '1' }, fs: options.fs });
}

/**
 * The lockout fixture's tenant, with the break-glass group excluded from its block-everyone policy (`safe`), or as
 * the fixture has it, the exclusion removed: the break-glass account is blocked.
 */
function northwind(dir: string, safe: boolean): string {
  cpSync(LOCKOUT, dir, { recursive: true });
  if (safe) {
    const file = join(dir, CA);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes('excludeGroups: [grp-it-admins]'));
    writeFileSync(file, text.replace('excludeGroups: [grp-it-admins]', 'excludeGroups: [grp-it-admins, grp-breakglass]'));
  }
  return dir;
}

test('two folders: a break-glass exclusion removed is exit 1, and the account is named', async (t) => {
  const dir = tempDir(t, 'diff');
  northwind(join(dir, 'before'), true);
  northwind(join(dir, 'after'), false);
  const r = await run(['diff', 'before', 'after'], dir);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.includes(BREAK_GLASS), r.stdout);
  assert.match(r.stdout, /ca-block-during-migration/);
  const md = await run(['diff', 'before', 'after', '--format', 'md'], dir);
  assert.equal(md.code, 1);
  assert.ok(md.stdout.includes(BREAK_GLASS), md.stdout);
  const json = await run(['diff', 'before', 'after', '--format', 'json'], dir);
  assert.equal(json.code, 1);
  const impact = JSON.parse(json.stdout) as { base: string; head: string; failures: string[]; tenants: { name: string }[] };
  assert.equal(impact.base, 'before');
  assert.equal(impact.head, 'after');
  assert.deepEqual(impact.tenants.map((x) => x.name), ['northwind']);
  assert.ok(impact.failures.length > 0 && impact.failures.some((f) => f.includes(BREAK_GLASS)), impact.failures.join('\n'));
  // The other way round, the change puts the exclusion back: nothing to stop.
  assert.equal((await run(['diff', 'after', 'before'], dir)).code, 0);
});

test('two folders: an unchanged copy is exit 0 with a "no changes" summary, in every format', async (t) => {
  const dir = tempDir(t, 'diff');
  cpSync(join(ROOT, 'examples', 'contoso'), join(dir, 'a', 'contoso'), { recursive: true });
  cpSync(join(ROOT, 'examples', 'contoso'), join(dir, 'b', 'contoso'), { recursive: true });
  const text = await run(['diff', 'a', 'b'], dir);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.equal(text.stderr, '');
  assert.match(text.stdout, /no change/i);
  const md = await run(['diff', 'a/contoso', 'b/contoso', '--format', 'markdown'], dir);
  assert.equal(md.code, 0);
  assert.match(md.stdout.split('\n')[0]!, /no change/i, md.stdout);
  const json = await run(['diff', 'a', 'b', '--format', 'json'], dir);
  assert.equal(json.code, 0);
  assert.deepEqual((JSON.parse(json.stdout) as { failures: string[] }).failures, []);
});

test('a folder inside a tenant is compared with its whole tenant', async (t) => {
  const dir = tempDir(t, 'diff');
  northwind(join(dir, 'before'), true);
  northwind(join(dir, 'after'), false);
  const r = await run(['diff', 'before/conditional-access', 'after/conditional-access'], dir);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.ok(r.stdout.includes(BREAK_GLASS));
});

test('usage problems: exit 2, one line on stderr, nothing on stdout', async (t) => {
  const dir = tempDir(t, 'diff');
  northwind(join(dir, 'a'), true);
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'file.yaml'), 'x: 1\n');
  const cases: [string[], RegExp][] = [
    [['diff'], /^ztp: name two folders to compare \(ztp diff <base> <head>\), or a git revision/],
    [['diff', 'a'], /^ztp: name the folder to compare a with/],
    [['diff', 'a', 'a', 'a'], /^ztp: ztp diff compares two folders, not 3; to compare paths with a git revision, use --base <ref>\n$/],
    [['diff', 'a', 'nope'], /^ztp: no such folder: nope\n$/],
    [['diff', 'file.yaml', 'a'], /^ztp: file\.yaml is a file, not a folder/],
    [['diff', 'a', 'a', '--format', 'sarif'], /^ztp: unknown format 'sarif'; use text, md or json\n$/],
    [['diff', 'a', 'a', '--frobnicate'], /^ztp: unknown option '--frobnicate'; see ztp diff --help\n$/],
    [['diff', '--base'], /^ztp: --base needs a value\n$/],
    [['diff', '--base='], /^ztp: --base needs a git revision/],
    [['diff', 'empty', 'empty'], /^ztp: no tenant folder \(a folder with a zerotrust\.yaml\) or policy file in empty or empty\n$/],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv, dir);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, message, argv.join(' '));
    assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
    assert.equal(r.stdout, '', argv.join(' '));
  }
  const help = await run(['diff', '--help'], dir);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage:\n {2}ztp diff <base> <head> \[--format text\|md\|json\] \[--max-file-size <MB>\]\n {2}ztp diff --base <git-revision> \[paths…\]/);
  assert.match((await run(['--help'], dir)).stdout, /ztp diff <base> <head>/);
});

test('no tenant folder on either side, but policy files in none: compared as their group, exit 0 or 1 from the change, not 2', async (t) => {
  const dir = tempDir(t, 'diff');
  const template = (applications: string) =>
    `kind: ConditionalAccessPolicy\nname: ca-all-users-mfa\nspec:\n  displayName: ca-all-users-mfa\n  state: enabled\n  conditions:\n    users:\n      includeUsers: [All]\n    applications:\n      ${applications}: [All]\n    clientAppTypes: [all]\n  grantControls:\n    operator: OR\n    builtInControls: [mfa]\n`;
  for (const [side, applications] of [['base', 'includeApplications'], ['same', 'includeApplications'], ['broken', 'includeApplicatons']] as const) {
    mkdirSync(join(dir, side, 'templates'), { recursive: true });
    writeFileSync(join(dir, side, 'templates', 'ca-all-users-mfa.yaml'), template(applications));
  }
  const same = await run(['diff', 'base', 'same', '--format', 'json'], dir);
  assert.equal(same.code, 0, same.stderr);
  const sameJson = JSON.parse(same.stdout) as { tenants: unknown[]; noTenant: { change: string } };
  assert.deepEqual(sameJson.tenants, []);
  assert.equal(sameJson.noTenant.change, 'unchanged');
  const broken = await run(['diff', 'base', 'broken', '--format', 'json'], dir);
  assert.equal(broken.code, 1, broken.stderr);
  const brokenJson = JSON.parse(broken.stdout) as { noTenant: { change: string; introduced: { ruleId: string; file: string }[] }; failures: string[] };
  assert.equal(brokenJson.noTenant.change, 'changed');
  assert.deepEqual(brokenJson.noTenant.introduced.map((f) => [f.ruleId, f.file]), [['schema', 'templates/ca-all-users-mfa.yaml']]);
  assert.match(brokenJson.failures[0]!, /^files in no tenant: introduces an error: schema on ca-all-users-mfa/);
  assert.equal(broken.stderr, '');
  // One side empty: its files are all new (an added template's findings are introduced).
  mkdirSync(join(dir, 'empty'));
  const added = await run(['diff', 'empty', 'broken'], dir);
  assert.equal(added.code, 1, added.stderr);
  assert.match(added.stdout, /Files in no tenant folder \(changed\)/);
});

test('a file that cannot be read (through io.fs) is named on stderr, exit 2', async (t) => {
  const dir = tempDir(t, 'diff');
  northwind(join(dir, 'before'), true);
  northwind(join(dir, 'after'), true);
  const locked: PolicyFileSystem = {
    ...nodeFileSystemSync,
    readFile: async (p, max) => {
      if (p.endsWith('/after/conditional-access/ca-block-during-migration.yaml')) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
      return nodeFileSystemSync.readFile(p, max);
    },
  };
  const r = await run(['diff', 'before', 'after'], dir, { fs: locked });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'ztp: after/conditional-access/ca-block-during-migration.yaml: cannot read the file (EACCES: permission denied)\n');
});

// --- git ---------------------------------------------------------------------------------------------------------

const HAS_GIT = spawnSync('git', ['--version']).status === 0;
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
}

/** A repository with the safe tenant committed under tenants/northwind. */
function repository(t: { after: (fn: () => void) => void }): string {
  const repo = tempDir(t, 'diff');
  git(repo, 'init', '-q', '-b', 'main');
  northwind(join(repo, 'tenants', 'northwind'), true);
  writeFileSync(join(repo, 'README.md'), 'policies\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'the tenant');
  return repo;
}

/** Every file's bytes under a folder (the .git folder apart), and the index's bytes and modification time. */
function snapshot(repo: string): { files: Map<string, string>; index: string; indexMtime: number; status: string } {
  // `git status` may refresh the index: run it first, then read the index, so the snapshot is taken after it.
  const status = git(repo, 'status', '--porcelain', '--untracked-files=all');
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) {
        if (n !== '.git') walk(p);
      } else files.set(relative(repo, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(repo);
  const indexFile = join(repo, '.git', 'index');
  return { files, index: createHash('sha256').update(readFileSync(indexFile)).digest('hex'), indexMtime: statSync(indexFile).mtimeMs, status };
}

test('--base HEAD: the working tree against the last commit, read from git without touching the working tree or the index', { skip: !HAS_GIT && 'git is not installed' }, async (t) => {
  const repo = repository(t);
  // The change: the break-glass exclusion removed, not committed.
  const file = join(repo, 'tenants', 'northwind', CA);
  writeFileSync(file, readFileSync(file, 'utf8').replace('excludeGroups: [grp-it-admins, grp-breakglass]', 'excludeGroups: [grp-it-admins]'));
  const before = snapshot(repo);
  assert.equal(before.status, ' M tenants/northwind/conditional-access/ca-block-during-migration.yaml\n');
  const index = { hash: before.index, mtime: before.indexMtime };
  const r = await run(['diff', '--base', 'HEAD'], repo);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.includes(BREAK_GLASS), r.stdout);
  const json = await run(['diff', '--base', 'HEAD', '--format', 'json', 'tenants/northwind/conditional-access'], repo);
  assert.equal(json.code, 1, json.stderr);
  const impact = JSON.parse(json.stdout) as { base: string; head: string; tenants: { name: string; policies: { file: string }[] }[] };
  assert.equal(impact.base, 'git:HEAD');
  assert.equal(impact.head, 'working tree');
  assert.deepEqual(impact.tenants.map((x) => x.name), ['northwind']);
  // Both sides name a file as the working tree does (paths relative to the current folder, here the repository).
  for (const p of impact.tenants[0]!.policies) assert.equal(p.file, 'tenants/northwind/conditional-access/ca-block-during-migration.yaml');
  // Nothing was written: the index (bytes and time), every file of the working tree, and what git status says.
  const indexFile = join(repo, '.git', 'index');
  assert.equal(createHash('sha256').update(readFileSync(indexFile)).digest('hex'), index.hash, 'the index is byte-identical');
  assert.equal(statSync(indexFile).mtimeMs, index.mtime, 'the index was not rewritten');
  const after = snapshot(repo);
  assert.deepEqual(after.files, before.files);
  assert.equal(after.status, before.status);
  assert.ok(!existsSync(join(repo, '.git', 'index.lock')));
});

test('--base <commit> from a subfolder; a tenant deleted in the working tree is compared by its path in the revision', { skip: !HAS_GIT && 'git is not installed' }, async (t) => {
  const repo = repository(t);
  const commit = git(repo, 'rev-parse', 'HEAD').trim();
  // Unchanged: exit 0 from a subfolder, paths as given.
  const same = await run(['diff', '--base', commit, '.'], join(repo, 'tenants'));
  assert.equal(same.code, 0, same.stdout + same.stderr);
  assert.match(same.stdout, /no change/i);
  rmSync(join(repo, 'tenants', 'northwind'), { recursive: true });
  const gone = await run(['diff', '--base', 'main', 'tenants/northwind', '--format', 'json'], repo);
  assert.ok(gone.code === 0 || gone.code === 1, gone.stderr);
  const impact = JSON.parse(gone.stdout) as { tenants: { name: string; change: string }[] };
  assert.deepEqual(impact.tenants.map((x) => [x.name, x.change]), [['northwind', 'removed']]);
  const nowhere = await run(['diff', '--base', 'main', 'tenants/nowhere'], repo);
  assert.equal(nowhere.code, 2);
  assert.equal(nowhere.stderr, 'ztp: no such file or folder: tenants/nowhere (neither in the working tree nor in main)\n');
});

test('--base: no such revision, not a repository, git missing, a path outside: exit 2, one line', { skip: !HAS_GIT && 'git is not installed' }, async (t) => {
  const repo = repository(t);
  const missing = await run(['diff', '--base', 'no-such-branch'], repo);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, `ztp: no git revision 'no-such-branch' in ${repo}\n`);
  assert.equal(missing.stdout, '');
  const dash = await run(['diff', '--base=--output=x'], repo);
  assert.equal(dash.code, 2);
  assert.equal(dash.stderr, "ztp: '--output=x' is not a git revision\n");
  const plain = tempDir(t, 'diff');
  northwind(join(plain, 'northwind'), true);
  const notRepo = await run(['diff', '--base', 'HEAD', 'northwind'], plain, { env: { ...GIT_ENV, GIT_CEILING_DIRECTORIES: plain } });
  assert.equal(notRepo.code, 2);
  assert.match(notRepo.stderr, /^ztp: \S+ is not in a git repository; --base compares the working tree with a git revision\n$/);
  const noGit = await run(['diff', '--base', 'HEAD'], repo, { env: { PATH: join(plain, 'no-bin') } });
  assert.equal(noGit.code, 2);
  assert.match(noGit.stderr, /^ztp: git is needed for --base, and it was not found on the PATH/);
  const outside = await run(['diff', '--base', 'HEAD', '.', plain], repo);
  assert.equal(outside.code, 2);
  assert.equal(outside.stderr, `ztp: ${plain} is outside the git repository at ${repo}\n`);
});

test("--base: the repository's configuration runs nothing (fsmonitor, hooks, filters, textconv), and blobs are read raw", { skip: !HAS_GIT && 'git is not installed' }, async (t) => {
  const repo = repository(t);
  const marker = join(repo, 'ran');
  const script = join(repo, 'evil.sh');
  writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\ncat\n`, { mode: 0o755 });
  for (const [k, v] of [['core.fsmonitor', script], ['core.hooksPath', repo], ['filter.evil.smudge', script], ['filter.evil.clean', script], ['diff.evil.textconv', script], ['core.pager', script]]) git(repo, 'config', k!, v!);
  writeFileSync(join(repo, '.git', 'info', 'attributes'), '*.yaml filter=evil diff=evil\n');
  for (const hook of ['post-checkout', 'post-index-change', 'reference-transaction']) writeFileSync(join(repo, hook), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
  const r = await run(['diff', '--base', 'HEAD', '--format', 'md'], repo);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(existsSync(marker), false, 'no program of the repository ran');
  // The control: git status, which ztp never runs, runs the repository's fsmonitor program.
  git(repo, 'status', '--porcelain');
  assert.equal(existsSync(marker), true, 'the configuration is live');
});

test('the built CLI: ztp diff --base HEAD in a repository', { skip: !HAS_GIT && 'git is not installed' }, (t) => {
  const repo = repository(t);
  const file = join(repo, 'tenants', 'northwind', CA);
  writeFileSync(file, readFileSync(file, 'utf8').replace('excludeGroups: [grp-it-admins, grp-breakglass]', 'excludeGroups: [grp-it-admins]'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ztp.js'), 'diff', '--base', 'HEAD', '--format', 'md'], { cwd: repo, encoding: 'utf8', env: GIT_ENV });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.ok(r.stdout.includes(BREAK_GLASS), r.stdout);
});

// --- the documented workflow (docs/ci.md) ------------------------------------------------------------------------

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: { impact: { steps: Step[] } };
}

/** The workflow in docs/ci.md that comments the change impact on a pull request. */
function impactWorkflow(): Workflow {
  const doc = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
  const block = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith('# .github/workflows/zero-trust-impact.yml'));
  assert.ok(block, 'docs/ci.md has the change impact workflow');
  return parseYaml(block) as Workflow;
}

test('docs/ci.md: the change impact workflow runs ztp diff --base on pull requests, with the history and the permission it needs', () => {
  const wf = impactWorkflow();
  assert.ok('pull_request' in wf.on);
  assert.deepEqual(wf.permissions, { contents: 'read', 'pull-requests': 'write' });
  const steps = wf.jobs.impact.steps;
  assert.equal(steps.find((s) => String(s.uses).startsWith('actions/checkout@'))?.with?.['fetch-depth'], 0);
  const diff = steps.find((s) => String(s.run).includes('ztp diff'))!;
  assert.match(diff.run!, /npx ztp diff --base "origin\/\$BASE_REF" --format md > impact\.md/);
  assert.equal(diff.env?.BASE_REF, '${{ github.base_ref }}');
  assert.ok(steps.some((s) => String(s.uses).startsWith('actions/github-script@')));
  assert.ok(steps.some((s) => s.if === "steps.impact.outputs.status == '1'" && /exit 1/.test(s.run ?? '')), 'the job fails after commenting when the change fails');
});

test('docs/ci.md: the workflow script updates its one comment (found by the hidden marker), else creates it', async (t) => {
  const dir = tempDir(t, 'diff');
  writeFileSync(join(dir, 'impact.md'), '**⛔ This change locks out a break-glass account**\n');
  const script = impactWorkflow().jobs.impact.steps.find((s) => String(s.uses).startsWith('actions/github-script@'))!.with!.script as string;
  const cwd = process.cwd();
  process.chdir(dir);
  t.after(() => process.chdir(cwd));
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const runScript = async (existing: { id: number; user: { login: string; type: string }; body: string }[]) => {
    const calls: [string, Record<string, unknown>][] = [];
    const rest = {
      issues: {
        listComments: 'listComments',
        updateComment: async (a: Record<string, unknown>) => void calls.push(['update', a]),
        createComment: async (a: Record<string, unknown>) => void calls.push(['create', a]),
      },
    };
    const github = { rest, paginate: async (fn: unknown, a: Record<string, unknown>) => (calls.push(['list', a]), fn === 'listComments' ? existing : []) };
    const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 } };
    await new AsyncFunction('require', 'github', 'context', script)(require, github, context);
    return calls;
  };
  const body = '<!-- ztp-diff -->\n**⛔ This change locks out a break-glass account**\n';
  assert.deepEqual(await runScript([{ id: 1, user: { login: 'someone', type: 'User' }, body: 'looks good <!-- ztp-diff -->' }]), [
    ['list', { owner: 'o', repo: 'r', issue_number: 7, per_page: 100 }],
    ['create', { owner: 'o', repo: 'r', issue_number: 7, body }],
  ]);
  const updated = await runScript([
    { id: 1, user: { login: 'someone', type: 'User' }, body: 'hi' },
    { id: 2, user: { login: 'github-actions[bot]', type: 'Bot' }, body: '<!-- ztp-diff -->\nold' },
  ]);
  assert.deepEqual(updated[1], ['update', { owner: 'o', repo: 'r', comment_id: 2, body }]);
  assert.equal(updated.length, 2);
});

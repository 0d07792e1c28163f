/**
 * The CI integrations (docs/ci.md): the GitHub Action's check step, scripts/action-check.sh, run on examples/contoso
 * as the action runs it (SARIF that code scanning takes, the exit status, the step outputs); and action.yml and
 * .pre-commit-hooks.yaml, read with the `yaml` package, have the keys GitHub and pre-commit require.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'action-check.sh');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Runs the action's check step from the repository root, with a GITHUB_OUTPUT file as the runner gives it. */
function actionCheck(dir: string, args: string[], env: Record<string, string> = {}): Run {
  const out = join(dir, `github-output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(out, '');
  const r = spawnSync('bash', [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_OUTPUT: out, ...env } });
  const outputs = Object.fromEntries(
    readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

test('the action check step on examples/contoso: valid SARIF 2.1.0, exit status 1 for its two errors, and the step outputs', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-action-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sarifFile = join(dir, 'out', 'ztp.sarif');
  const r = actionCheck(dir, [sarifFile, 'examples/contoso']);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^ztp check: 7 finding\(s\), 2 error\(s\); SARIF 2\.1\.0 in .*ztp\.sarif \(exit status 1\)$/m);
  assert.deepEqual(r.outputs, { 'sarif-file': sarifFile, 'exit-code': '1', results: '7', errors: '2' });

  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs.length, 1);
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'ztp');
  const ruleIds = new Set(run.tool.driver.rules.map((x: { id: string }) => x.id));
  const results = run.results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
  assert.equal(results.length, 7);
  assert.deepEqual(results.filter((x) => x.level === 'error').map((x) => x.ruleId).sort(), ['break-glass-not-excluded', 'ca-requires-compliance-policy']);
  for (const x of results) {
    assert.ok(ruleIds.has(x.ruleId), x.ruleId);
    const loc = x.locations[0]!.physicalLocation;
    assert.match(loc.artifactLocation.uri, /^examples\/contoso\//, 'paths relative to the repository, as code scanning wants');
    assert.ok(loc.region.startLine >= 1);
  }
});

test('the action check step passes extra options to ztp check, and exits 0 when no error is left', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-action-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = actionCheck(dir, [join(dir, 'z.sarif'), 'examples/contoso', '--', '--rule', 'break-glass-not-excluded=off', '--rule', 'ca-requires-compliance-policy=warning']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.outputs['exit-code'], '0');
  assert.equal(r.outputs.errors, '0');
  assert.equal(r.outputs.results, '6');
});

test('the action check step: a wrong path or output that is not SARIF is exit status 2, with no SARIF left to upload', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-action-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const missing = actionCheck(dir, [join(dir, 'a.sarif'), 'no/such/folder']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or folder/);
  assert.equal(existsSync(join(dir, 'a.sarif')), false);
  assert.deepEqual(missing.outputs, { 'exit-code': '2' }, 'no sarif-file output, so the upload step is skipped');

  const fake = join(dir, 'fake-ztp.js');
  writeFileSync(fake, 'process.stdout.write(JSON.stringify({ version: "2.0.0", runs: [] }));\n');
  const bad = actionCheck(dir, [join(dir, 'b.sarif'), 'examples/contoso'], { ZTP: `node ${fake}` });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not SARIF that code scanning can take: version is "2\.0\.0"/);

  const usage = actionCheck(dir, [join(dir, 'c.sarif')]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^usage: action-check\.sh/);
});

test('action.yml is a composite action with documented inputs, runs scripts/action-check.sh, and uploads SARIF', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  for (const key of ['name', 'description', 'inputs', 'outputs', 'runs']) assert.ok(action[key], `action.yml has ${key}`);
  assert.equal(action.runs.using, 'composite');
  for (const name of ['path', 'args', 'sarif-file', 'upload-sarif', 'category', 'fail-on-error', 'ztp-version', 'node-version']) {
    assert.ok(action.inputs[name], `input ${name}`);
    assert.equal(typeof action.inputs[name].description, 'string', `input ${name} is described`);
    assert.ok('default' in action.inputs[name], `input ${name} has a default`);
  }
  for (const [name, o] of Object.entries(action.outputs as Record<string, { description: string; value: string }>)) {
    assert.equal(typeof o.description, 'string', name);
    assert.match(o.value, /^\$\{\{ steps\.check\.outputs\.[\w-]+ \}\}$/, name);
  }
  const steps = action.runs.steps as { id?: string; uses?: string; run?: string; shell?: string; with?: Record<string, string>; if?: string }[];
  for (const s of steps) {
    assert.ok(s.uses || s.run, 'every step uses an action or runs a command');
    if (s.run) {
      assert.equal(s.shell, 'bash', 'a composite step that runs a command must name its shell');
      assert.doesNotMatch(s.run, /\$\{\{/, 'inputs reach the shell through env, never pasted into the script');
    }
  }
  const check = steps.find((s) => s.id === 'check')!;
  assert.match(check.run!, /bash "\$GITHUB_ACTION_PATH\/scripts\/action-check\.sh" "\$ZTP_SARIF" \$ZTP_PATHS -- \$ZTP_ARGS/);
  assert.ok(existsSync(SCRIPT));
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
  assert.ok(upload, 'a step uploads the SARIF');
  assert.equal(upload.with!.sarif_file, '${{ steps.check.outputs.sarif-file }}');
  assert.match(upload.if!, /always\(\)/, 'the upload runs even when the check found errors');
  assert.ok(steps.some((s) => s.uses?.startsWith('actions/setup-node@')), 'Node is set up');
  const last = steps[steps.length - 1]!;
  assert.match(last.if!, /fail-on-error == 'true' && steps\.check\.outputs\.exit-code == '1'/);
});

test('.pre-commit-hooks.yaml defines ztp-check: a node hook whose entry is the package bin, on YAML and JSON files', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
  assert.ok(Array.isArray(hooks) && hooks.length >= 1);
  const hook = hooks.find((h) => h.id === 'ztp-check')!;
  assert.ok(hook, 'the ztp-check hook');
  for (const key of ['id', 'name', 'entry', 'language']) assert.equal(typeof hook[key], 'string', `the hook has ${key}`);
  assert.equal(hook.language, 'node');
  const [command, sub] = (hook.entry as string).split(/\s+/);
  assert.ok(command && pkg.bin[command], `the entry runs a bin of the package (${command})`);
  assert.equal(sub, 'check');
  // pre-commit matches `files` with Python's re.search; this pattern reads the same in JavaScript.
  const files = new RegExp(hook.files as string);
  for (const f of ['tenants/contoso/zerotrust.yaml', 'ca/x.yml', 'export/CA001.json']) assert.match(f, files);
  for (const f of ['README.md', 'scripts/build.mjs', 'policy.yaml.bak']) assert.doesNotMatch(f, files);
  assert.equal(hook.require_serial, true);
});

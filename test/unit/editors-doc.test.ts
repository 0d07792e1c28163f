/**
 * docs/editors.md: the Neovim configuration it gives for the installed Neovim (0.7: `vim.lsp.start_client`; 0.8 to
 * 0.10: `vim.lsp.start`) is run headless on a copy of examples/contoso, with `ztp` replaced by this repository's
 * bin/ztp.js: diagnostics arrive for the tenant, the rule turned off in `init_options` stays silent, and the quick
 * fix that creates the missing Android compliance policy is offered and creates the file. Skipped where `nvim` is not
 * installed (CI here has none; install Debian's `neovim` to run it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'editors.md'), 'utf8');

function nvimVersion(): [number, number] | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  const m = r.status === 0 ? /NVIM v(\d+)\.(\d+)/.exec(r.stdout) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The first ```lua block after the heading that starts with `heading`. */
function luaBlock(heading: string): string {
  const at = doc.indexOf(`\n### ${heading}`);
  assert.ok(at >= 0, `docs/editors.md has a section "${heading}"`);
  const m = /```lua\n([\s\S]*?)```/.exec(doc.slice(at));
  assert.ok(m, `a Lua block under "${heading}"`);
  return m[1]!;
}

/** Waits for the tenant's diagnostics, then asks for the quick fixes of ca-requires-compliance-policy and applies the one that creates a file. */
const PROBE = `
local deadline = vim.loop.now() + 40000
local first
local timer = vim.loop.new_timer()
local function finish(lines)
  timer:stop()
  local f = io.open(vim.env.ZTP_PROBE_OUT, 'w')
  f:write(table.concat(lines, '\\n') .. '\\n')
  f:close()
  vim.cmd('silent! wall')
  vim.cmd('qa!')
end
timer:start(300, 300, vim.schedule_wrap(function()
  local ok, err = pcall(function()
    local all = {}
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      for _, d in ipairs(vim.diagnostic.get(b)) do table.insert(all, d) end
    end
    local mine = vim.tbl_filter(function(d) return d.code == 'ca-requires-compliance-policy' end, vim.diagnostic.get(0))
    if #mine == 0 then
      if vim.loop.now() > deadline then finish({ 'timeout' }) end
      return
    end
    first = first or vim.loop.now()
    if vim.loop.now() < first + 3000 then return end
    local lines = {}
    for _, d in ipairs(all) do table.insert(lines, 'diagnostic ' .. tostring(d.code)) end
    local d = mine[1]
    local diagnostics = vim.tbl_filter(function(x) return x.code == 'ca-requires-compliance-policy' end,
      vim.lsp.diagnostic.get_line_diagnostics(0, d.lnum))
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(0) },
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      context = { diagnostics = diagnostics },
    }
    local res = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 10000) or {}
    for _, r in pairs(res) do
      for _, a in ipairs(r.result or {}) do
        table.insert(lines, 'action ' .. a.title)
        if a.edit and a.edit.documentChanges then vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16') end
      end
    end
    finish(lines)
  end)
  if not ok then finish({ 'error ' .. tostring(err) }) end
end))
`;

test('docs/editors.md: the Neovim configuration gives diagnostics, honours init_options and applies the fix that creates a file', (t) => {
  const version = nvimVersion();
  if (!version) return t.skip('nvim is not installed');
  const [major, minor] = version;
  if (major === 0 && minor >= 11) return t.skip('Neovim 0.11+: the vim.lsp.config form is not run here');
  const block = luaBlock(major === 0 && minor < 8 ? 'Neovim 0.7' : 'Plain `vim.lsp.start`');
  const command = `{ '${process.execPath}', '${join(ROOT, 'bin', 'ztp.js')}', 'lsp', '--stdio' }`;
  assert.match(block, /cmd = \{ 'ztp', 'lsp', '--stdio' \}/);
  // The documented config, with ztp from this checkout and a rule turned off that contoso would report.
  const init = block
    .replace("cmd = { 'ztp', 'lsp', '--stdio' }", `cmd = ${command}`)
    .replace("['license-missing'] = 'off'", "['compliance-default-compliant'] = 'off'");

  const dir = mkdtempSync(join(tmpdir(), 'ztp-nvim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'examples', 'contoso'), join(dir, 'contoso'), { recursive: true });
  writeFileSync(join(dir, 'init.lua'), init);
  writeFileSync(join(dir, 'probe.lua'), PROBE);
  const out = join(dir, 'probe.out');
  const r = spawnSync('nvim', ['--headless', '-u', join(dir, 'init.lua'), '-c', `luafile ${join(dir, 'probe.lua')}`, 'contoso/conditional-access/ca-all-users-require-compliant-device.yaml'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ZTP_PROBE_OUT: out, XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config') },
  });
  assert.ok(existsSync(out), `the probe wrote its report (nvim exited ${r.status}: ${r.stderr})`);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.ok(!lines.some((l) => /^(timeout|error)/.test(l)), lines.join('\n'));
  const codes = lines.filter((l) => l.startsWith('diagnostic ')).map((l) => l.slice(11));
  for (const code of ['ca-requires-compliance-policy', 'break-glass-not-excluded', 'app-protection-weak']) assert.ok(codes.includes(code), `${code} is reported (${codes.join(', ')})`);
  assert.ok(!codes.includes('compliance-default-compliant'), 'the rule turned off in init_options is silent');
  assert.ok(lines.includes('action Create a compliance policy for Android'), lines.join('\n'));
  assert.match(readFileSync(join(dir, 'contoso', 'compliance', 'android-compliance-baseline.yaml'), 'utf8'), /^kind: CompliancePolicy$/m);
});

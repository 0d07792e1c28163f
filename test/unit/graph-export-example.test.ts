/**
 * examples/graph-export, the Graph export samples the README's import example uses: they keep the shapes they claim
 * (one file UTF-16 LE with a BOM and CRLF), `ztp import` takes every policy and group id in them, and `ztp check` on
 * the result says what examples/graph-export/README.md says it says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'graph-export');
const ztp = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'ztp.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

test('examples/graph-export: one IntuneManagement file is UTF-16 LE with a BOM and CRLF, the others UTF-8 JSON', () => {
  const json = files(EXAMPLE).filter((f) => f.endsWith('.json'));
  assert.equal(json.length, 7);
  const utf16 = json.filter((f) => {
    const b = readFileSync(f);
    return b[0] === 0xff && b[1] === 0xfe;
  });
  assert.deepEqual(utf16.map((f) => relative(EXAMPLE, f)), ['IntuneManagement/ConditionalAccess/CA200 - All users - Require compliant device on Windows.json']);
  const text = readFileSync(utf16[0]!).subarray(2).toString('utf16le');
  assert.ok(text.includes('\r\n') && !/[^\r]\n/.test(text), 'CRLF line endings only');
  assert.equal(JSON.parse(text)['@odata.type'], '#microsoft.graph.conditionalAccessPolicy');
  for (const f of json.filter((x) => !utf16.includes(x))) JSON.parse(readFileSync(f, 'utf8'));
});

test('ztp import examples/graph-export imports five policies and four groups, then ztp check finds what the sample leaves open: secureByDefault undeclared, device code flow and unknown platforms not blocked', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-graph-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'fabrikam');
  const imp = ztp(['import', 'examples/graph-export', '--out', out, '--license', 'M365_E5']);
  assert.equal(imp.status, 0, imp.stdout + imp.stderr);
  assert.match(imp.stdout, /imported 5 policies/);
  const written = files(out).map((f) => relative(out, f).split('\\').join('/')).sort();
  assert.deepEqual(written, [
    'app-protection/android-app-protection-byod.yaml',
    'compliance/win-compliance-fabrikam-baseline.yaml',
    'conditional-access/ca002-all-users-block-legacy-authentication.yaml',
    'conditional-access/ca200-all-users-require-compliant-device-on-windows.yaml',
    'configuration/win-settings-defender-antivirus.yaml',
    'zerotrust.yaml',
  ]);
  const manifest = readFileSync(join(out, 'zerotrust.yaml'), 'utf8');
  for (const g of ['CA - Emergency access accounts - Exclude', 'SG - All employees', 'SG - Kiosk devices', 'SG - Mobile users']) assert.ok(manifest.includes(`name: ${g}\n`), g);
  assert.match(manifest, /breakGlass:\n {2}groups:\n {4}- CA - Emergency access accounts - Exclude/);

  const check = ztp(['check', out, '--format', 'json']);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const findings = JSON.parse(check.stdout) as { code: string; severity: string; message: string }[];
  // The sample's two CA policies block neither device code flow nor unknown platforms, neither requires MFA for
  // all users or admins, none protects security info registration, and none answers sign-in or user risk (the
  // sample is licensed M365 E5, so Entra ID P2), and its one Windows configuration profile (Defender Antivirus) sets
  // neither BitLocker, nor Windows LAPS, nor ASR rules, and no profile is the Windows security baseline: true of the
  // sample tenant.
  assert.deepEqual(findings.map((f) => `${f.severity} ${f.code}`).sort(), [
    'information ca-security-info-registration-unprotected',
    'information ca-unknown-platforms-not-blocked',
    'information undeclared-fact',
    'information windows-security-baseline-missing',
    'warning asr-rules-not-configured',
    'warning bitlocker-not-configured',
    'warning ca-device-code-flow-not-blocked',
    'warning ca-mfa-admins-missing',
    'warning ca-mfa-all-users-missing',
    'warning ca-sign-in-risk-not-covered',
    'warning ca-user-risk-not-covered',
    'warning laps-not-configured',
  ]);
  assert.match(findings.find((f) => f.code === 'undeclared-fact')!.message, /secureByDefault/);
});

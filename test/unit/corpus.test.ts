/**
 * The real-export corpus (../shared/corpus, beside the repository): Graph exports that admins published, which
 * Microsoft accepted. Every one imports; the imported tenants have no schema finding (each one would be a schema bug:
 * fix schemas/src, never the corpus); the raw files analysed in place say the same as the imported ones; and the round
 * trip gives back every setting. The layer findings are the ones docs/corpus-findings.md explains.
 * Skipped when the corpus is not there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createPolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import type { Finding } from '../../server/src/core/types';
import { roundTrip, ROOT, tmp, ztp } from '../harness/interop';

const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const present = existsSync(join(CORPUS, 'conditional-access-baseline')) && existsSync(join(CORPUS, 'open-intune-baseline'));
const skip = present ? false : `the corpus is not at ${CORPUS}`;

/** A fixed "now", as the fixtures use. */
const NOW = new Date('2026-06-01T00:00:00Z');

const STRUCTURE = ['schema', 'yaml-syntax', 'unknown-kind', 'unresolved-group', 'duplicate-name', 'unknown-owner', 'invalid-suppression'];

interface Source {
  folder: string;
  policies: number;
  /** Files skipped by import, relative to the folder: they hold no policy kind. */
  skipped: string[];
  /**
   * The files `ztp import` copies as exported (named locations, authentication strengths and contexts), which hold no
   * policy kind: in both forms `unknown-kind` says (information) what reads them.
   */
  kept?: string[];
  /** The layer findings on the imported tenant, as `rule-id severity file` (see docs/corpus-findings.md). */
  findings: string[];
}

const SOURCES: Source[] = [
  {
    folder: 'conditional-access-baseline',
    policies: 36,
    skipped: [],
    // Copied into the tenant as exported (`conditional-access/named-locations/`), where `check` reads them.
    kept: ['Config/NamedLocations/ALLOWED COUNTRIES - SERVICE ACCOUNTS.json', 'Config/NamedLocations/ALLOWED COUNTRIES.json', 'Config/NamedLocations/All Compliant Network locations.json'],
    findings: [
      'break-glass-not-excluded warning conditional-access/ca006-global-dataprotection-office365-anyplatform-browser-unmanaged-appenforcerestrictions.yaml',
      'ca-policy-targets-nothing warning conditional-access/ca104-admins-identityprotection-allapps-anyplatform-continuousaccessevaluation.yaml',
      'ca-requires-app-protection error conditional-access/ca005-global-dataprotection-office365-iosenandroid-clientapps-unmanaged-appenforcedrestrictions.yaml',
      'ca-requires-compliance-policy error conditional-access/ca208-internals-baseprotection-anyapp-macos-compliant.yaml',
      'ca-requires-compliance-policy warning conditional-access/ca503-agents-baseprotection-allagentusers-requirecompliantdevice.yaml',
      'ca-security-info-registration-unprotected information zerotrust.yaml',
      'ca-sign-in-risk-not-covered warning zerotrust.yaml',
      'ca-user-risk-not-covered warning zerotrust.yaml',
      'undeclared-fact information zerotrust.yaml',
    ],
  },
  {
    folder: 'open-intune-baseline',
    policies: 88,
    skipped: [
      'WINDOWS/IntuneManagement/DeviceConfiguration/Win - OIB - TP - Health Monitoring - D - Endpoint Analytics - v3.4.json',
      'WINDOWS/IntuneManagement/DriverUpdateProfiles/Win - OIB - WUfB Drivers - Ring 1 - Pilot - v3.0.json',
      'WINDOWS/IntuneManagement/DriverUpdateProfiles/Win - OIB - WUfB Drivers - Ring 2 - UAT - v3.0.json',
      'WINDOWS/IntuneManagement/DriverUpdateProfiles/Win - OIB - WUfB Drivers - Ring 3 - Production - v3.0.json',
      'WINDOWS/IntuneManagement/UpdatePolicies/Win - OIB - WUfB - Ring 1 - Pilot - v3.0.json',
      'WINDOWS/IntuneManagement/UpdatePolicies/Win - OIB - WUfB - Ring 2 - UAT - v3.0.json',
      'WINDOWS/IntuneManagement/UpdatePolicies/Win - OIB - WUfB - Ring 3 - Production - v3.0.json',
    ],
    findings: [
      // The two BYOD app protection policies are exported with `"assignments": []` and `isAssigned: false`, as the
      // Windows 365 compliance policy is (the thirty-first pass's review).
      'app-protection-not-assigned warning app-protection/android-baseline-byod-app-protection.yaml',
      'app-protection-not-assigned warning app-protection/ios-baseline-byod-app-protection.yaml',
      'compliance-not-assigned warning compliance/win365-oib-compliance-u-device-health-v1-0.yaml',
      'filevault-not-configured warning configuration/macos-oib-disk-encryption-d-filevault-v1-0.yaml',
      'legacy-auth-not-blocked warning zerotrust.yaml',
      'macos-firewall-not-configured warning configuration/macos-oib-firewall-d-gatekeeper-v1-0.yaml',
      'undeclared-fact information zerotrust.yaml',
      'windows-security-baseline-missing information zerotrust.yaml',
    ],
  },
];

async function analyse(root: string): Promise<Finding[]> {
  const s = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
  for (const f of await s.discover(root)) await s.load(f);
  return s.analyzeAll();
}

function describe(f: Finding, root: string): string {
  return `${f.ruleId} ${f.severity} ${relative(root, f.file).replace(/\\/g, '/')}`;
}

for (const src of SOURCES) {
  test(`corpus ${src.folder}: every file imports, the skipped ones are named, and the tenant has no schema finding`, { skip }, async () => {
    const out = tmp('ztp-corpus-');
    try {
      const r = await ztp(['import', join(CORPUS, src.folder), '--out', out, '--license', 'M365_E5']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^imported ${src.policies} policies`));
      const skipped = [...r.stderr.matchAll(/^ {2}(.+?\.json): `#microsoft\.graph\.\w+` is /gm)].map((m) => m[1]);
      assert.deepEqual(skipped.sort(), [...src.skipped].sort());
      assert.doesNotMatch(r.stderr, /could not (read|map)/);
      if (src.folder === 'conditional-access-baseline') {
        // Two group ids have a stale group file beside the renamed group: said, and the migration table's name used.
        assert.match(r.stderr, /group 20cd89e3-25e2-4fcd-82c5-de666dfd31a4: has 2 names in the export .*; "CA005-Global-DataProtection-Office365-iOSenAndroid-ClientApps-Unmanaged-AppEnforcedRestrictions - Exclude" is used/);
        assert.match(r.stderr, /group a8e55fcf-f8ed-43c2-bb4f-0c62edd62963: has 2 names in the export/);
      }
      const findings = await analyse(out);
      const keptNote = (f: Finding): boolean => f.ruleId === 'unknown-kind' && f.severity === 'information' && /^conditional-access\/(named-locations|authentication-strengths|authentication-contexts)\//.test(relative(out, f.file).replace(/\\/g, '/'));
      assert.equal(findings.filter(keptNote).length, src.kept?.length ?? 0, 'each file the import kept as exported is named once, as what reads it');
      assert.deepEqual(
        findings.filter((f) => STRUCTURE.includes(f.ruleId) && !keptNote(f)).map((f) => `${describe(f, out)}: ${f.message}`),
        [],
        'no structure finding: each schema finding would be a schema bug',
      );
      const layer = findings.filter((f) => !STRUCTURE.includes(f.ruleId)).map((f) => describe(f, out));
      assert.deepEqual(layer.sort(), [...src.findings].sort(), 'the layer findings docs/corpus-findings.md explains (update it with this test)');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test(`corpus ${src.folder}: the raw exports, analysed in place, have no schema finding and the same layer findings`, { skip }, async () => {
    const imported = tmp('ztp-corpus-imp-');
    const raw = tmp('ztp-corpus-raw-');
    try {
      assert.equal((await ztp(['import', join(CORPUS, src.folder), '--out', imported, '--license', 'M365_E5'])).code, 0);
      // The raw folder: the corpus files as they are, under the manifest the import generated.
      cpSync(join(CORPUS, src.folder), raw, { recursive: true });
      writeFileSync(join(raw, 'zerotrust.yaml'), readFileSync(join(imported, 'zerotrust.yaml')));
      const findings = await analyse(raw);
      const structure = findings.filter((f) => STRUCTURE.includes(f.ruleId));
      // Only the files that hold no policy kind are reported (unknown-kind, on their `@odata.type`).
      assert.deepEqual(structure.filter((f) => f.ruleId !== 'unknown-kind').map((f) => `${describe(f, raw)}: ${f.message}`), []);
      assert.deepEqual(structure.map((f) => relative(raw, f.file).replace(/\\/g, '/')).sort(), [...src.skipped, ...(src.kept ?? [])].sort());
      // The same layer findings, on the same policies (named alike in both forms).
      const byName = async (root: string, list: Finding[]): Promise<string[]> => {
        const s = createPolicyService({ fs: nodeFileSystem, now: () => NOW });
        for (const f of await s.discover(root)) await s.load(f);
        return list.filter((f) => !STRUCTURE.includes(f.ruleId)).map((f) => {
          const facts = s.get(f.file);
          return `${f.ruleId} ${f.severity} ${facts?.type === 'policy' ? facts.name : 'zerotrust.yaml'}`;
        });
      };
      assert.deepEqual((await byName(raw, findings)).sort(), (await byName(imported, await analyse(imported))).sort());
    } finally {
      rmSync(imported, { recursive: true, force: true });
      rmSync(raw, { recursive: true, force: true });
    }
  });

  test(`corpus ${src.folder}: the round trip (import, then export) gives back every setting`, { skip }, async () => {
    const r = await roundTrip(join(CORPUS, src.folder), ['M365_E5']);
    assert.deepEqual(r.problems, []);
    assert.equal(r.checked, src.policies);
  });
}

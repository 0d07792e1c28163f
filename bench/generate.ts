/**
 * A seeded, deterministic generator of realistic workspaces for the benchmarks.
 *
 *   npx tsx bench/generate.ts <msp|large-tenant|scale-500|scale-1000|scale-2000|scale-5000> <out-dir> [--seed N]
 *
 * Presets:
 * - `msp`: 50 tenants × 100 policies, a realistic mix over the seven layers, some gaps in each tenant;
 * - `large-tenant`: one tenant with 2,000 policies, mostly settings catalog profiles of about 200 lines;
 * - `mix-ca`: 50 tenants × 100 policies, unlike `msp`: mostly small Conditional Access policies, with a few large
 *   settings catalog profiles (40 settings each);
 * - `scale-N`: N files in tenants of 100, for the growth curve (`scale-50000`: 500 tenants).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast and seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: T[]): T => xs[Math.floor(r() * xs.length)]!;

const GROUPS = ['grp-all-staff', 'grp-sales', 'grp-finance', 'grp-engineering', 'grp-admins', 'grp-kiosk', 'grp-mobile', 'grp-contractors'];

function manifest(name: string, r: Rand, gaps: Set<string>): string {
  return `kind: Tenant
name: ${name}
licenses: [${gaps.has('license') ? 'M365_E3' : 'M365_E5'}]
platforms: [windows, iOS, android, macOS]
groups:
${[...GROUPS, 'grp-breakglass'].map((g) => `  - name: ${g}\n    id: ${guid(r)}`).join('\n')}
breakGlass:
  groups: [grp-breakglass]
  users: [bg-admin1@${name}.example]
teams:
  identity: { contact: identity@${name}.example }
  endpoint: { contact: endpoint@${name}.example }
  threat: { contact: soc@${name}.example }
  data: { contact: purview@${name}.example }
settings:
  mdmAuthority: intune
  secureByDefault: ${gaps.has('secureByDefault') ? 'false' : 'true'}
  deviceComplianceCheckinThresholdDays: 30
  applePushCertificate:
    expirationDateTime: 2027-09-14
  androidEnterprise:
    bindStatus: boundAndValidated
`;
}

function guid(r: Rand): string {
  const h = (n: number): string => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`;
}

function ca(name: string, r: Rand, platforms: string[], control: string, excludeBreakGlass = true): string {
  return `kind: ConditionalAccessPolicy
name: ${name}
owner: identity
description: Generated Conditional Access policy
spec:
  displayName: ${name}
  state: ${pick(r, ['enabled', 'enabled', 'enabledForReportingButNotEnforced'])}
  conditions:
    users:
      includeGroups: [${pick(r, GROUPS.slice(0, 4))}]
${excludeBreakGlass ? '      excludeGroups: [grp-breakglass]\n      excludeUsers: [bg-admin1@t.example]\n' : ''}    applications:
      includeApplications: [All]
    platforms:
      includePlatforms: [${platforms.join(', ')}]
  grantControls:
    operator: OR
    builtInControls: [${control}]
`;
}

const COMPLIANCE: Record<string, string> = {
  windows: 'windows10CompliancePolicy',
  iOS: 'iosCompliancePolicy',
  macOS: 'macOSCompliancePolicy',
  android: 'androidWorkProfileCompliancePolicy',
};

function compliance(name: string, platform: string): string {
  const extra: Record<string, string> = {
    windows: '  bitLockerEnabled: true\n  secureBootEnabled: true\n  codeIntegrityEnabled: true\n  osMinimumVersion: 10.0.19045\n',
    iOS: '  passcodeRequired: true\n  passcodeMinimumLength: 6\n  securityBlockJailbrokenDevices: true\n',
    macOS: '  passwordRequired: true\n  storageRequireEncryption: true\n  firewallEnabled: true\n',
    android: '  passwordRequired: true\n  storageRequireEncryption: true\n  securityBlockJailbrokenDevices: true\n',
  };
  return `kind: CompliancePolicy
name: ${name}
owner: endpoint
assignments:
  include: [allUsers]
spec:
  "@odata.type": "#microsoft.graph.${COMPLIANCE[platform]}"
  displayName: ${name}
${extra[platform]}  scheduledActionsForRule:
    - ruleName: PasswordRequired
      scheduledActionConfigurations:
        - { actionType: block, gracePeriodHours: 0 }
`;
}

function appProtection(name: string, platform: 'iOS' | 'android'): string {
  return `kind: AppProtectionPolicy
name: ${name}
owner: endpoint
assignments:
  include: [allUsers]
spec:
  "@odata.type": "#microsoft.graph.${platform === 'iOS' ? 'ios' : 'android'}ManagedAppProtection"
  displayName: ${name}
  pinRequired: true
  minimumPinLength: 6
  deviceComplianceRequired: true
  dataBackupBlocked: true
  allowedOutboundDataTransferDestinations: managedApps
  allowedOutboundClipboardSharingLevel: managedAppsWithPasteIn
  saveAsBlocked: true
  periodOfflineBeforeAccessCheck: PT12H
  periodOnlineBeforeAccessCheck: PT30M
`;
}

/** A settings catalog profile with `settings` setting instances (about 9 lines each). */
function settingsProfile(name: string, r: Rand, settings: number, family = 'none', templateId = ''): string {
  const lines = [`kind: ConfigurationProfile`, `name: ${name}`, `owner: endpoint`, `assignments:`, `  include: [allDevices]`, `spec:`, `  name: ${name}`, `  platforms: windows10`, `  technologies: mdm`];
  if (family !== 'none') lines.push('  templateReference:', `    templateId: ${templateId}`, `    templateFamily: ${family}`);
  lines.push('  settings:');
  for (let i = 0; i < settings; i++) {
    const id = `device_vendor_msft_policy_config_${pick(r, ['defender', 'browser', 'bitlocker', 'firewall', 'update'])}_setting${i}`;
    lines.push(
      '    - "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting"',
      '      settingInstance:',
      '        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"',
      `        settingDefinitionId: ${id}`,
      '        choiceSettingValue:',
      '          "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue"',
      // One value a setting id, whichever profile sets it, as a tenant's profiles do: random values made every profile
      // a conflict with every other on all devices (setting-conflict). The draw is kept, so the rest of the workspace
      // stays as it was generated before.
      `          value: ${id}_${String((pick(r, ['0', '1', '2']), i % 3))}`,
      '          children: []',
    );
  }
  return lines.join('\n') + '\n';
}

function edr(name: string): string {
  return settingsProfile(name, rng(1), 1, 'endpointSecurityEndpointDetectionAndResponse', '0385b795-0f2f-44ac-8602-9f65bf6adede_1').replace(
    /settingDefinitionId: .*\n(.*\n){2}.*value: .*/,
    'settingDefinitionId: device_vendor_msft_windowsadvancedthreatprotection_configurationtype\n        choiceSettingValue:\n          "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue"\n          value: device_vendor_msft_windowsadvancedthreatprotection_configurationtype_autofromconnector',
  );
}

const CONNECTOR = `kind: DefenderConnector
name: mde-connector
owner: threat
spec:
  windowsEnabled: true
  iosEnabled: true
  androidEnabled: true
  macEnabled: true
  iosMobileApplicationManagementEnabled: true
  androidMobileApplicationManagementEnabled: true
`;

const DLP = (name: string): string => `kind: EndpointDlpPolicy
name: ${name}
owner: data
spec:
  mode: Enable
  locations:
    devices:
      include: [All]
  rules:
    - name: block-usb
      sensitiveInfoTypes: [Credit Card Number]
      restrictions:
        - { activity: copyToRemovableMedia, action: block }
`;

/** One tenant with `count` files (manifest included). */
export function writeTenant(dir: string, name: string, count: number, r: Rand, profileSettings = 8, mix: { ca: number; compliance: number } = { ca: 0.15, compliance: 0.1 }): number {
  mkdirSync(dir, { recursive: true });
  const gaps = new Set<string>([pick(r, ['android', 'secureByDefault', 'breakglass', 'license', 'none'])]);
  const files: [string, string][] = [];
  files.push(['zerotrust.yaml', manifest(name, r, gaps)]);
  for (const p of ['windows', 'iOS', 'macOS', 'android']) if (!(gaps.has('android') && p === 'android')) files.push([`compliance/${p.toLowerCase()}-compliance.yaml`, compliance(`${p.toLowerCase()}-compliance`, p)]);
  files.push(['app-protection/ios-app-protection.yaml', appProtection('ios-app-protection', 'iOS')]);
  files.push(['app-protection/android-app-protection.yaml', appProtection('android-app-protection', 'android')]);
  files.push(['conditional-access/ca-require-compliant.yaml', ca('ca-require-compliant', r, ['windows', 'iOS', 'android', 'macOS'], 'compliantDevice')]);
  files.push(['conditional-access/ca-app-protection.yaml', ca('ca-app-protection', r, ['iOS', 'android'], 'compliantApplication')]);
  files.push(['conditional-access/ca-block-legacy.yaml', ca('ca-block-legacy', r, ['all'], 'block', !gaps.has('breakglass')).replace('    platforms:\n      includePlatforms: [all]\n', '    clientAppTypes: [exchangeActiveSync, other]\n').replace(/includeGroups: \[[^\]]*\]/, 'includeUsers: [All]')]);
  files.push(['defender/mde-connector.yaml', CONNECTOR]);
  files.push(['defender/mde-onboarding.yaml', edr('mde-onboarding')]);
  files.push(['configuration/windows-baseline.yaml', settingsProfile('windows-baseline', r, profileSettings, 'baseline', '66df8dce-0166-4b82-92f7-1f74e3ca17a3_4')]);
  files.push(['configuration/mde-baseline.yaml', settingsProfile('mde-baseline', r, profileSettings, 'baseline', '49b8320f-e179-472e-8e2c-2fde00289ca2_1')]);
  files.push(['dlp/dlp-financial.yaml', DLP('dlp-financial')]);
  let i = 0;
  while (files.length < count) {
    i++;
    const roll = r();
    if (roll < mix.ca) files.push([`conditional-access/ca-extra-${i}.yaml`, ca(`ca-extra-${i}`, r, [pick(r, ['windows', 'iOS', 'macOS'])], pick(r, ['mfa', 'compliantDevice', 'block']))]);
    else if (roll < mix.ca + mix.compliance) {
      const p = pick(r, ['windows', 'iOS', 'macOS']);
      files.push([`compliance/extra-${i}.yaml`, compliance(`compliance-extra-${i}`, p)]);
    } else files.push([`configuration/profile-${i}.yaml`, settingsProfile(`profile-${i}`, r, profileSettings)]);
  }
  for (const [rel, text] of files) {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text.replaceAll("@t.example", `@${name}.example`));
  }
  return files.length;
}

export function generate(preset: string, out: string, seed = 42): number {
  rmSync(out, { recursive: true, force: true });
  const r = rng(seed);
  let total = 0;
  if (preset === 'msp') {
    for (let t = 0; t < 50; t++) total += writeTenant(join(out, `customer-${String(t + 1).padStart(2, '0')}`), `customer-${t + 1}`, 100, r);
  } else if (preset === 'mix-ca') {
    // Unlike msp: most files are small Conditional Access policies, and the profiles are few and large (40 settings).
    for (let t = 0; t < 50; t++) total += writeTenant(join(out, `customer-${String(t + 1).padStart(2, '0')}`), `customer-${t + 1}`, 100, r, 40, { ca: 0.8, compliance: 0.05 });
  } else if (preset === 'large-tenant') {
    total += writeTenant(join(out, 'enterprise'), 'enterprise', 2000, r, 22);
  } else if (/^scale-\d+$/.test(preset)) {
    const n = Number(preset.slice(6));
    for (let t = 0; total < n; t++) total += writeTenant(join(out, `tenant-${t + 1}`), `tenant-${t + 1}`, Math.min(100, n - total), r);
  } else throw new Error(`unknown preset ${preset}; use msp, mix-ca, large-tenant or scale-<N>`);
  return total;
}

if (process.argv[1] && /generate\.ts$/.test(process.argv[1])) {
  const [preset, out] = process.argv.slice(2);
  const seedAt = process.argv.indexOf('--seed');
  if (!preset || !out) {
    console.error('usage: npx tsx bench/generate.ts <msp|large-tenant|scale-N> <out-dir> [--seed N]');
    process.exit(2);
  }
  const n = generate(preset, out, seedAt > 0 ? Number(process.argv[seedAt + 1]) : 42);
  console.log(`wrote ${n} files to ${out}`);
}

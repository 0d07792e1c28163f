/**
 * The tenant manifest's schema (`schemas/zerotrust.schema.json`): our own format, with the Graph enums it reuses
 * (MDM authority, the Google Play binding status, CA platforms) taken from the metadata.
 */
import type { GraphModel } from './graph-model';
import { PLATFORMS } from '../../server/src/core/platforms';
import { LICENSE_IDS, LICENSES } from '../../server/src/core/licenses';
import { GUID_PATTERN } from './patterns';
import { COMPLIANCE_WORKLOADS } from '../../server/src/core/model/declared';
import { DEFENDER_ONBOARDING_PLATFORMS, DEFENDER_ONBOARDING_VALUES } from '../../server/src/core/model/declared';

type Json = Record<string, unknown>;

/** The manifest's schema. */
export function manifestSchema(model: GraphModel): Json {
  const mdm = model.enums.get('mdmAuthority')!;
  const bind = model.enums.get('androidManagedStoreAccountBindStatus')!;
  const caPlatforms = model.enums.get('conditionalAccessDevicePlatform')!.members.filter((m) => (PLATFORMS as string[]).includes(m));
  const groupName = { type: 'string', minLength: 1, 'x-noun': 'group name' };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Zero Trust tenant manifest (zerotrust.yaml)',
    description: 'The tenant manifest: licences, platforms, groups, break-glass accounts, teams and tenant-wide settings. Its folder is a tenant folder.',
    'x-graphSnapshot': model.snapshot.date,
    type: 'object',
    required: ['kind', 'name', 'licenses'],
    additionalProperties: false,
    properties: {
      kind: { const: 'Tenant', description: 'Marks this file as a tenant manifest.' },
      name: { type: 'string', minLength: 1, description: 'The tenant\'s name in this repository.' },
      description: { type: 'string', description: 'Notes about the tenant.' },
      licenses: {
        type: 'array',
        uniqueItems: true,
        description: 'The licences the tenant holds. Rules check each layer\'s capability against them.',
        items: { enum: LICENSE_IDS, 'x-noun': 'licence', 'x-enumDescriptions': LICENSES.map((l) => l.name) },
      },
      platforms: {
        type: 'array',
        uniqueItems: true,
        description: 'The device platforms in use (Conditional Access platform names). `all` or a missing platform condition in a CA policy means these.',
        items: { enum: caPlatforms, 'x-noun': 'platform' },
      },
      groups: {
        type: 'array',
        description: 'Every group that policies may name.',
        items: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { ...groupName, description: 'The group\'s name, as policies refer to it.' },
            id: { type: 'string', pattern: GUID_PATTERN, 'x-noun': 'GUID', description: 'The Entra object id of the group (a GUID). Needed to export to Graph.' },
            description: { type: 'string', description: 'What the group holds.' },
            members: {
              type: 'array',
              items: { type: 'string', minLength: 1 },
              description: 'The members: user principal names and other manifest groups (nested groups). Listed, they are the whole group to every check; a group that lists none may hold anyone (a dynamic group).',
            },
          },
        },
      },
      breakGlass: {
        type: 'object',
        additionalProperties: false,
        description: 'Emergency-access accounts. Every Conditional Access policy must exclude them.',
        properties: {
          groups: { type: 'array', items: groupName, description: 'Groups that hold the break-glass accounts.' },
          users: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Break-glass user principal names or object ids.' },
          roles: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            description: 'Directory roles the break-glass accounts hold (a role name such as `Global Administrator`, or its template id). When absent, they are taken to be Global Administrators.',
          },
        },
      },
      teams: {
        type: 'object',
        description: 'Who owns which policies: the seed\'s cross-team coordination. Keys are team names that policies use in `owner`.',
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            contact: { type: 'string', description: 'How to reach the team (an address or a channel).' },
            description: { type: 'string', description: 'What the team owns.' },
          },
        },
      },
      settings: {
        type: 'object',
        additionalProperties: false,
        description: 'Tenant-wide facts, with Graph\'s names where Graph has one.',
        properties: {
          mdmAuthority: { enum: mdm.members, 'x-enumType': 'mdmAuthority', description: 'The tenant\'s MDM authority (organization.mobileDeviceManagementAuthority). Should be `intune`.' },
          defenderOnboarding: defenderOnboardingSchema(),
          secureByDefault: {
            type: 'boolean',
            description:
              'deviceManagementSettings.secureByDefault: "Mark devices with no compliance policy assigned as" Not compliant (`true`) or Compliant (`false`, the default). Set `true` whenever Conditional Access requires compliant devices.',
          },
          deviceComplianceCheckinThresholdDays: {
            type: 'integer',
            minimum: 1,
            maximum: 120,
            description: 'deviceManagementSettings.deviceComplianceCheckinThresholdDays: the compliance status validity period, 1–120 days (default 30).',
          },
          applePushCertificate: {
            type: 'object',
            additionalProperties: false,
            required: ['expirationDateTime'],
            description: 'The Apple MDM push (APNs) certificate, needed before any iOS/iPadOS/macOS enrollment. Valid for one year; renew with the same Apple ID.',
            properties: {
              expirationDateTime: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}', 'x-noun': 'date (YYYY-MM-DD)', description: 'When the APNs certificate expires.' },
              appleIdentifier: { type: 'string', description: 'The Apple ID the certificate was created with. Renew with the same one.' },
              topicIdentifier: { type: 'string', description: 'The certificate\'s push topic.' },
            },
          },
          coManagement: {
            type: 'object',
            additionalProperties: false,
            description:
              'Configuration Manager co-management of Windows devices: where its workloads are. A workload not declared is read as Intune\'s. Source: https://learn.microsoft.com/mem/configmgr/comanage/workloads',
            properties: {
              complianceWorkload: {
                enum: [...COMPLIANCE_WORKLOADS],
                'x-noun': 'compliance workload',
                'x-enumDescriptions': [
                  'Configuration Manager evaluates co-managed devices\' compliance and reports it to Entra ID for Conditional Access',
                  'Intune evaluates the pilot collection\'s devices, Configuration Manager the other co-managed devices',
                  'Intune evaluates every co-managed device\'s compliance',
                ],
                description:
                  'The co-management slider of the compliance policies workload: `configurationManager`, `pilotIntune` or `intune`. With `configurationManager` (and `pilotIntune`, outside the pilot collection) Windows compliance comes from Configuration Manager, which these files cannot show: a Conditional Access requirement of a compliant Windows device is then not read as unmet for want of an Intune compliance policy.',
              },
              endpointProtectionWorkload: {
                enum: [...COMPLIANCE_WORKLOADS],
                'x-noun': 'endpoint protection workload',
                'x-enumDescriptions': [
                  'Configuration Manager delivers endpoint protection (Defender Antivirus, the firewall, BitLocker, attack surface reduction rules) to co-managed devices',
                  'Intune delivers it to the pilot collection\'s devices, Configuration Manager to the other co-managed devices',
                  'Intune delivers endpoint protection to every co-managed device',
                ],
                description:
                  'The co-management slider of the Endpoint Protection workload (Defender Antivirus, the firewall, Windows encryption/BitLocker, Exploit Guard/attack surface reduction rules, Application Control, Defender for Endpoint): `configurationManager`, `pilotIntune` or `intune`. With `configurationManager`, the checks that no Intune profile turns on BitLocker or attack surface reduction rules on Windows stay silent. Moving `deviceConfigurationWorkload` to `intune` moves this one too. Source: https://learn.microsoft.com/mem/configmgr/comanage/workloads#endpoint-protection',
              },
              deviceConfigurationWorkload: {
                enum: [...COMPLIANCE_WORKLOADS],
                'x-noun': 'device configuration workload',
                'x-enumDescriptions': [
                  'Configuration Manager delivers device configuration (and, unless its own slider moved, endpoint protection) to co-managed devices',
                  'Intune delivers it to the pilot collection\'s devices, Configuration Manager to the other co-managed devices',
                  'Intune delivers device configuration, endpoint protection and resource access to every co-managed device',
                ],
                description:
                  'The co-management slider of the Device configuration workload (settings catalog profiles whatever they hold, Windows LAPS, the security baselines): `configurationManager`, `pilotIntune` or `intune`. With `configurationManager`, the checks that no Intune profile turns on Windows LAPS or the Windows security baseline stay silent. Switching it to Intune moves the Endpoint Protection and Resource access workloads too. Source: https://learn.microsoft.com/mem/configmgr/comanage/workloads#device-configuration',
              },
            },
          },
          crossTenantAccess: crossTenantAccessSchema(),
          androidEnterprise: {
            type: 'object',
            additionalProperties: false,
            description: 'The managed Google Play binding (androidManagedStoreAccountEnterpriseSettings), needed for Android Enterprise enrollment.',
            properties: {
              bindStatus: { enum: bind.members, 'x-enumType': 'androidManagedStoreAccountBindStatus', description: 'Whether the tenant is bound to managed Google Play.' },
            },
          },
        },
      },
    },
  };
}

/**
 * `settings.defenderOnboarding`: how each platform's devices are onboarded to Defender for Endpoint, for what no Intune
 * file can show (Group Policy, Configuration Manager, a script, Purview device onboarding). Our own fact: Graph has no
 * property for it. The model reads it (`model/declared.ts`, `DefenderModel.onboarding`).
 */
function defenderOnboardingSchema(): Json {
  const how = {
    enum: [...DEFENDER_ONBOARDING_VALUES],
    'x-noun': 'Defender onboarding value',
    'x-enumDescriptions': [
      'Intune onboards the devices (an EDR policy, or for macOS a custom profile carrying the onboarding package): the checks look for it in the files, as when nothing is declared.',
      'The devices are onboarded outside Intune (Group Policy, Configuration Manager, a local script, Purview device onboarding, another MDM): the checks take them as onboarded, with no Intune file to show it.',
    ],
  };
  const labels: Record<(typeof DEFENDER_ONBOARDING_PLATFORMS)[number], string> = { windows: 'Windows', macOS: 'macOS' };
  return {
    type: 'object',
    additionalProperties: false,
    description:
      'How each platform\'s devices are onboarded to Microsoft Defender for Endpoint: `intune` (an Intune profile in these files onboards them; the same as not declaring the platform) or `outsideIntune` (Group Policy, Configuration Manager, a local script, Purview device onboarding). Declare `outsideIntune` so the onboarding and Endpoint DLP checks count the devices as onboarded.',
    properties: Object.fromEntries(
      DEFENDER_ONBOARDING_PLATFORMS.map((p) => [p, { ...how, description: `How ${labels[p]} devices are onboarded to Defender for Endpoint: \`intune\` or \`outsideIntune\`.` }]),
    ),
  };
}

/**
 * `settings.crossTenantAccess`: what the cross-tenant access settings trust of users of other tenants, with Graph's
 * names (crossTenantAccessPolicyConfigurationDefault and crossTenantAccessPolicyConfigurationPartner, `inboundTrust`:
 * https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyinboundtrust). The model reads it
 * (`model/cross-tenant.ts`).
 */
function crossTenantAccessSchema(): Json {
  const trust = (whose: string): Json => ({
    type: 'object',
    additionalProperties: false,
    description: `crossTenantAccessPolicyInboundTrust: which claims of a user's home tenant this tenant accepts, ${whose}. Each is off by default. A claim not written is not declared.`,
    properties: {
      isMfaAccepted: { type: 'boolean', description: 'Trust multifactor authentication done in the home tenant.' },
      isCompliantDeviceAccepted: { type: 'boolean', description: 'Trust a device the home tenant marks compliant: without it, no guest meets a Conditional Access requirement of a compliant device.' },
      isHybridAzureADJoinedDeviceAccepted: { type: 'boolean', description: 'Trust a device hybrid joined in the home tenant: without it, no guest meets a requirement of a hybrid joined device.' },
    },
  });
  return {
    type: 'object',
    additionalProperties: false,
    description:
      'Cross-tenant access settings (External Identities): what this tenant trusts of guests\' and other external users\' home tenants. Not declared, a Conditional Access requirement of a compliant or hybrid joined device of guests is unknown. Source: https://learn.microsoft.com/entra/external-id/cross-tenant-access-settings-b2b-collaboration',
    properties: {
      inboundTrust: trust('by default (crossTenantAccessPolicyConfigurationDefault)'),
      partners: {
        type: 'array',
        description: 'Organizational settings (crossTenantAccessPolicyConfigurationPartner): a partner tenant\'s own inbound trust, which overrides the default for its users; a claim not written takes the default.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['tenantId'],
          properties: {
            tenantId: { type: 'string', minLength: 1, description: 'The partner\'s tenant id.' },
            inboundTrust: trust('for this partner\'s users'),
          },
        },
      },
    },
  };
}

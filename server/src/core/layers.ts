/**
 * The seed's seven-layer Zero Trust progression ("Zero Trust deployment approach with Microsoft Intune"), as data:
 * what each layer accomplishes, its prerequisites, licences and the team to coordinate with.
 */

export interface LayerDefinition {
  layer: number;
  name: string;
  accomplishes: string;
  prerequisites: string;
  /** The seed's licence column. */
  licenses: string;
  /** Layers this one builds on (the seed's prerequisites). */
  requires: number[];
  coordinate: string;
  docs: { title: string; url: string }[];
}

const INTUNE = 'https://learn.microsoft.com/intune/intune-service';

export const LAYERS: LayerDefinition[] = [
  {
    layer: 1,
    name: 'App protection',
    accomplishes: 'Protects organizational data inside apps without requiring enrollment; the foundation for bring-your-own-device.',
    prerequisites: 'Supported apps (Microsoft 365 apps and other policy-enabled apps).',
    licenses: 'Microsoft 365 E3, E5, F1, F3, F5',
    requires: [],
    coordinate: 'Identity team: after creating app protection policies, they create the Conditional Access policy that requires app protection.',
    docs: [
      { title: 'App protection policies overview', url: `${INTUNE}/apps/app-protection-policy` },
      { title: 'Data protection framework', url: `${INTUNE}/apps/app-protection-framework` },
    ],
  },
  {
    layer: 2,
    name: 'Enroll devices',
    accomplishes: 'Establishes the relationship between user, device and Intune: device management and visibility into the endpoints that reach your resources.',
    prerequisites: 'Platform prerequisites: MDM authority, the Apple MDM push certificate, the managed Google Play binding.',
    licenses: 'Microsoft 365 E3, E5, F1, F3, F5',
    requires: [],
    coordinate: 'Endpoint team owns enrollment; platform owners supply certificates and bindings.',
    docs: [
      { title: 'Deployment guidance: enroll devices', url: `${INTUNE}/fundamentals/deployment-guide-enrollment` },
      { title: 'Apple MDM push certificate', url: `${INTUNE}/enrollment/apple-mdm-push-certificate-get` },
    ],
  },
  {
    layer: 3,
    name: 'Compliance policies',
    accomplishes: 'Defines the minimum a device must meet (password, OS version, encryption) and marks devices compliant or noncompliant.',
    prerequisites: 'Devices enrolled in layer 2.',
    licenses: 'Microsoft 365 E3, E5, F3, F5',
    requires: [2],
    coordinate: 'Endpoint team creates and assigns the compliance policies the identity team will require in layer 4.',
    docs: [
      { title: 'Device compliance overview', url: `${INTUNE}/protect/device-compliance-get-started` },
      { title: 'Actions for noncompliance', url: `${INTUNE}/protect/actions-for-noncompliance` },
    ],
  },
  {
    layer: 4,
    name: 'Require compliant devices',
    accomplishes: 'Enforces compliance through Microsoft Entra Conditional Access: noncompliant devices are blocked.',
    prerequisites: 'Compliance policies from layer 3, and coordination with the identity administrators.',
    licenses: 'Microsoft 365 E3, E5, F3, F5',
    requires: [3],
    coordinate:
      'Identity team: they create the Conditional Access policy with "Require device to be marked as compliant"; make both policies target the same groups and test with the What If tool before enforcing.',
    docs: [
      { title: 'Integrate compliance with Conditional Access', url: `${INTUNE}/protect/device-compliance-get-started#integrate-with-conditional-access` },
      { title: 'Require compliant devices (Entra)', url: 'https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-device-compliance' },
    ],
  },
  {
    layer: 5,
    name: 'Configuration profiles',
    accomplishes: 'Hardens device settings, deploys security baselines and moves security controls from Group Policy to cloud policy.',
    prerequisites: 'Devices enrolled in layer 2.',
    licenses: 'Microsoft 365 E3, E5, F3, F5',
    requires: [2],
    coordinate: 'Endpoint team; agree baseline exceptions with the security team.',
    docs: [
      { title: 'Deploy configuration profiles', url: `${INTUNE}/fundamentals/deployment-plan-configuration-profile` },
      { title: 'Security baselines', url: `${INTUNE}/protect/security-baselines` },
    ],
  },
  {
    layer: 6,
    name: 'Device risk monitoring',
    accomplishes: 'Integrates Microsoft Defender for Endpoint to monitor device risk, detect threats and block access by risk level; deploys the security baselines.',
    prerequisites: 'Microsoft Defender for Endpoint set up, and coordination with the threat protection team.',
    licenses: 'Microsoft 365 E5, F5',
    requires: [2, 3],
    coordinate: 'Threat protection team: they run Defender for Endpoint; you onboard devices with Intune and deploy both the Windows and the Defender for Endpoint baselines.',
    docs: [
      { title: 'Microsoft Defender for Endpoint integration', url: `${INTUNE}/protect/microsoft-defender-integrate` },
      { title: 'Configure Defender for Endpoint in Intune', url: `${INTUNE}/protect/advanced-threat-protection-configure` },
    ],
  },
  {
    layer: 7,
    name: 'Endpoint DLP',
    accomplishes: 'Protects sensitive data on endpoints with Microsoft Purview Data Loss Prevention: monitors and controls file operations.',
    prerequisites: 'Microsoft Purview configuration, and devices onboarded to Defender for Endpoint in layer 6.',
    licenses: 'Microsoft 365 E5, E5 Compliance add-on, F5 Compliance add-on',
    requires: [6],
    coordinate: 'Data security team: they author DLP policies in Purview; your part is making sure devices are onboarded to Defender (automatic DLP onboarding).',
    docs: [
      { title: 'Learn about Endpoint DLP', url: 'https://learn.microsoft.com/purview/endpoint-dlp-learn-about' },
      { title: 'Get started with Endpoint DLP', url: 'https://learn.microsoft.com/purview/endpoint-dlp-getting-started' },
    ],
  },
];

export function layerDefinition(layer: number): LayerDefinition | undefined {
  return LAYERS.find((l) => l.layer === layer);
}

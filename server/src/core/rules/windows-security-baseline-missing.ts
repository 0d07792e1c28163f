import { templateFamily } from '../facts';
import { BASELINE_TEMPLATE_FAMILY } from '../kinds';
import { baselineIntentTemplates } from '../intent-templates';
import type { Rule } from '../rule';
import { modelOf } from '../model/index';
import { reportProtection, type Protection } from './configuration-helpers';

/** The Security Baseline for Windows 10 and later: its template id, before the `_<version>` suffix. */
const WINDOWS_BASELINE = '66df8dce-0166-4b82-92f7-1f74e3ca17a3';

const isWindowsBaseline = (spec: Record<string, unknown> | undefined): boolean => {
  const ref = spec?.templateReference;
  const id = ref && typeof ref === 'object' ? (ref as Record<string, unknown>).templateId : undefined;
  return templateFamily(spec) === BASELINE_TEMPLATE_FAMILY && typeof id === 'string' && id.toLowerCase().startsWith(`${WINDOWS_BASELINE}_`);
};

export const WINDOWS_SECURITY_BASELINE: Protection = {
  id: 'windowsBaseline',
  platform: 'windows',
  // A settings catalog policy, which the co-management Device configuration slider controls whatever it holds
  // (https://learn.microsoft.com/mem/configmgr/comanage/workloads#device-configuration).
  workload: 'deviceConfiguration',
  name: 'the Windows security baseline',
  setting: `a settings catalog profile from the template "Security Baseline for Windows 10 and later", \`templateReference.templateId: ${WINDOWS_BASELINE}_<version>\``,
  enabling: () => [],
  // A whole profile from its template, whatever its settings hold.
  decides: () => false,
  isProfile: (p) => isWindowsBaseline(p.spec),
  // The older generation's Windows baseline is an intent of a known template (November 2021, December 2020: the
  // intent template table). Whether another intent may be an older version of it (their template ids are not all known)
  // is the tenant model's answer (`baselines.presence`), read in `check`: an intent of an unknown template with Windows
  // settings leaves it unknown; one of a Mac's settings, or of a known endpoint security template (BitLocker, firewall…),
  // does not.
  intentTemplates: baselineIntentTemplates('windows'),
  // Another baseline (Defender for Endpoint, Edge) is not this one.
  baselines: [],
};

/** The tenant manages Windows with Intune, but no assigned profile is the Windows security baseline. */
export const windowsSecurityBaselineMissing: Rule = {
  id: 'windows-security-baseline-missing',
  title: 'No assigned Windows security baseline',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'information',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/protect/security-baselines',
    'https://learn.microsoft.com/intune/intune-service/protect/security-baseline-settings-mdm-all',
  ],
  peers: ['ZTA 24573'],
  check(tenant, emit) {
    // Whether the tenant has a Windows baseline at all is the tenant model's answer, the one defender-baselines-missing
    // reads: while an intent or baseline of an unknown template may be an older version of it, neither rule speaks.
    if (tenant.root && tenant.manifest && modelOf(tenant).baselines.presence('windows') === 'unknown') return;
    reportProtection(tenant, emit, WINDOWS_SECURITY_BASELINE, {
      risk: "Windows devices keep the settings Microsoft's baseline hardens (credential protection, SMB, Defender, firewall) at their defaults unless other profiles set them",
      create:
        'If your own settings catalog profiles already cover the baseline (as some published baselines do), say so with a `ztp-ignore` comment; otherwise create a profile from Endpoint security > Security baselines > Security Baseline for Windows 10 and later',
    });
  },
};

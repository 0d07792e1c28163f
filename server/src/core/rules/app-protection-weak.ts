import { isTemplateVariable } from '../schema/issue';
import { specPath, type PolicyFacts } from '../facts';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import type { Fix, TextEdit } from '../types';
import { addToMap, replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';
import { policiesOfKind } from '../reads';

/**
 * The seed's own examples of app protection: a PIN for work data, and blocking jailbroken/rooted devices. Every
 * level (1 basic, 2 enhanced, 3 high) of Microsoft's data protection framework sets both to `true`.
 */
const REQUIREMENTS: { property: string; why: string; types?: RegExp; onlyWhenFalse?: boolean }[] = [
  { property: 'pinRequired', why: 'work data in the app opens without an app PIN' },
  { property: 'deviceComplianceRequired', why: 'the app keeps running on jailbroken or rooted devices (conditional launch)' },
  // Level 1 also requires "Encrypt org data" (Android's own property; iOS encrypts with the device passcode). Reported
  // only when turned off: a file that leaves it out says nothing of it.
  { property: 'encryptAppData', why: 'org data the app stores on the device is not encrypted by app protection', types: /androidManagedAppProtection$/, onlyWhenFalse: true },
];

/** Edge on Windows (`windowsManagedAppProtection`) has neither setting, so only iOS and Android are checked. */
const MOBILE_TYPES = /^#?microsoft\.graph\.(iosManagedAppProtection|androidManagedAppProtection)$/;

export interface WeakAppProtectionData {
  property: string;
}

function shown(value: unknown): string {
  return value === undefined ? 'is not set' : `is \`${JSON.stringify(value)}\``;
}

/** Set the property to `true`: replace the value that is there, or add the key at the end of `spec`. */
function setTrue(p: PolicyFacts, property: string): TextEdit | undefined {
  return property in p.spec! ? replaceValue(p.parsed, specPath(p, property), true) : addToMap(p.parsed, specPath(p), property, true);
}

/** An iOS or Android app protection policy that does not require a PIN, block jailbroken/rooted devices, or (Android) encrypt org data. */
export const appProtectionWeak: Rule = {
  id: 'app-protection-weak',
  title: 'An app protection policy does not require a PIN, does not block jailbroken/rooted devices, or does not encrypt org data',
  category: 'layer',
  layer: 1,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/intune/intune-service/apps/app-protection-framework', 'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy-settings-ios', 'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy-settings-android'],
  peers: ['ZTA 51014'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'AppProtectionPolicy')) {
      if (!p.spec || !MOBILE_TYPES.test(p.odataType ?? '')) continue;
      for (const { property, why, types, onlyWhenFalse } of REQUIREMENTS) {
        if (types && !types.test(p.odataType ?? '')) continue;
        const value = p.spec[property];
        if (value === true || (onlyWhenFalse && value !== false)) continue;
        // A template's variable (`%pin%`, filled in per tenant by CIPP): known once substituted (the schema notes it).
        if (isTemplateVariable(value)) continue;
        emit({
          file: p,
          span: property in p.spec ? policySpan(p, ['spec', property], 'value') : policySpan(p, ['spec'], 'key'),
          message: `\`${property}\` ${shown(value)}, so ${why}; every level of Microsoft's app protection framework (1 basic, 2 enhanced, 3 high) sets \`${property}: true\``,
          data: { property } satisfies WeakAppProtectionData,
        });
      }
    }
  },
  fix(finding, tenant) {
    const data = finding.data as WeakAppProtectionData | undefined;
    const p = policyAt(tenant, finding.file);
    if (!data || !p?.spec) return [];
    const edit = setTrue(p, data.property);
    if (!edit) return [];
    const fix: Fix = { title: `Set ${data.property}: true`, isPreferred: true, safe: true, edits: [edit], creates: [] };
    return [fix];
  },
};

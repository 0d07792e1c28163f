import { isPlainObject } from '../document';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { policiesOfKind } from '../reads';

/** An Endpoint DLP policy, not turned off, whose devices location includes no device. */
export const dlpNoDevicesLocation: Rule = {
  id: 'dlp-no-devices-location',
  title: 'An Endpoint DLP policy includes no device, so it protects nothing',
  category: 'layer',
  layer: 7,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/powershell/module/exchange/new-dlpcompliancepolicy',
    'https://learn.microsoft.com/purview/endpoint-dlp-learn-about',
    'https://learn.microsoft.com/purview/dlp-policy-reference',
  ],
  peers: ['MS.SECURITYSUITE.3.2v1'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'EndpointDlpPolicy')) {
      const spec = p.spec;
      if (!spec || spec.mode === 'Disable') continue;
      const locations = isPlainObject(spec.locations) ? spec.locations : undefined;
      const devices = isPlainObject(locations?.devices) ? locations.devices : undefined;
      // No `locations.devices` at all is the schema's error (it is required), not a second finding here.
      if (!devices) continue;
      const include = devices.include;
      if (include !== undefined && (!Array.isArray(include) || include.length > 0)) continue;
      emit({
        file: p,
        span: include === undefined ? policySpan(p, ['spec', 'locations', 'devices'], 'key') : policySpan(p, ['spec', 'locations', 'devices', 'include'], 'value'),
        message: `the devices location includes no device (\`locations.devices.include\` is ${include === undefined ? 'not set' : 'empty'}), so the policy is created with no Endpoint DLP location and none of its rules applies anywhere. Add \`include: [All]\`, or the groups whose devices it should protect`,
      });
    }
  },
};

import { DLP_SIMULATION_MODES, dlpSimulationMode, policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { policiesOfKind } from '../reads';

/** An Endpoint DLP policy that stays in simulation: it records matches and blocks nothing. */
export const dlpSimulationOnly: Rule = {
  id: 'dlp-simulation-only',
  title: 'An Endpoint DLP policy is in simulation mode, so it blocks nothing',
  category: 'layer',
  layer: 7,
  defaultSeverity: 'information',
  sources: [
    'https://learn.microsoft.com/purview/dlp-create-deploy-policy',
    'https://learn.microsoft.com/purview/endpoint-dlp-learn-about',
    'https://learn.microsoft.com/powershell/module/exchange/new-dlpcompliancepolicy',
  ],
  peers: ['MS.SECURITYSUITE.3.2v1'],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'EndpointDlpPolicy')) {
      const mode = dlpSimulationMode(p);
      if (!mode) continue;
      emit({
        file: p,
        span: policySpan(p, ['spec', 'mode'], 'value'),
        message: `\`mode: ${mode}\` ${DLP_SIMULATION_MODES[mode]}, so the policy's \`block\` and \`warn\` restrictions stop nothing and sensitive data still leaves the device. Once the simulation's matches in Purview look right, set \`mode: Enable\``,
      });
    }
  },
};

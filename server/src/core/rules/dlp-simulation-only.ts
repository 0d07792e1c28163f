import { DLP_SIMULATION_MODES, dlpSimulationMode, policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import { policiesOfKind } from '../reads';
import { isPlainObject } from '../document';
import type { PolicyFacts } from '../facts';

/** An Endpoint DLP policy's rules (`spec.rules`), each an object. */
function rulesOf(p: PolicyFacts): Record<string, unknown>[] {
  const rules = p.spec?.rules;
  return Array.isArray(rules) ? rules.filter(isPlainObject) : [];
}

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
      // What its rules would do once enforced: a policy whose restrictions only audit blocks nothing either way.
      const actions = new Set(rulesOf(p).flatMap((r) => (Array.isArray(r.restrictions) ? r.restrictions : []).map((x) => (isPlainObject(x) ? x.action : undefined))));
      const enforcing = ['block', 'warn'].filter((a) => actions.has(a));
      emit({
        file: p,
        span: policySpan(p, ['spec', 'mode'], 'value'),
        // No restriction read (none written, or in a shape this file does not hold): what they do is not said.
        message: enforcing.length || !actions.size
          ? `\`mode: ${mode}\` ${DLP_SIMULATION_MODES[mode]}, so the policy's ${enforcing.length ? `${enforcing.map((a) => `\`${a}\``).join(' and ')} ` : ''}restrictions stop nothing and sensitive data still leaves the device. Once the simulation's matches in Purview look right, set \`mode: Enable\``
          : `\`mode: ${mode}\` ${DLP_SIMULATION_MODES[mode]}, and its restrictions only \`audit\`, so even enforced it would stop nothing: sensitive data still leaves the device. Once the simulation's matches in Purview look right, add \`block\` or \`warn\` restrictions for the activities that must not happen and set \`mode: Enable\``,
      });
    }
  },
};

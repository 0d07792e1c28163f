import { spanAtPath } from '../document';
import { modelOf } from '../model/index';
import type { Rule } from '../rule';
// What each non-Intune value means: the model's words, which the grant evaluator (What If, the lockout check) says too.
import { MDM_AUTHORITY_MEANING as MEANING } from '../model/intune-service';

/** The manifest declares an MDM authority other than Intune. An undeclared authority is unknown: silent. */
export const mdmAuthorityNotIntune: Rule = {
  id: 'mdm-authority-not-intune',
  title: 'The MDM authority is not Microsoft Intune',
  category: 'layer',
  layer: 2,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/fundamentals/mdm-authority-set',
    'https://learn.microsoft.com/graph/api/resources/organization?view=graph-rest-beta',
  ],
  peers: ['MT.1105'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!tenant.root || !manifest) return;
    // The model's reading: a value the schema refuses (`mdmAuthority:` left empty, a typo) is undeclared, so unknown.
    const value = modelOf(tenant).declared.mdmAuthority;
    if (!value || value === 'intune' || !(value in MEANING)) return;
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['settings', 'mdmAuthority'], 'value'),
      message:
        `the MDM authority is \`${value}\`: ${MEANING[value]}, so the enrollment, compliance and configuration policies in this repository do not apply. ` +
        'Set the MDM authority to Intune in the Intune admin center (Tenant administration > Tenant status, or the orange banner), then declare `mdmAuthority: intune`',
      data: { mdmAuthority: value },
    });
  },
};

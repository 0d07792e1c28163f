/**
 * `settings.secureByDefault` is asked for only where a policy requires a compliant device of this tenant's own users
 * (review r31, F7): a guest's device is compliant in their home tenant and counts here only through the cross-tenant
 * access settings' trust, never through this tenant's secureByDefault
 * (https://learn.microsoft.com/entra/external-id/authentication-conditional-access). The model's one answer
 * (`compliantDeviceAskedBy`) is what layer 4's status ("no Conditional Access policy requires a compliant device of
 * this tenant's users") and `undeclared-fact` read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/service';
import { layerStates } from '../../server/src/core/features/layer-status';
import { ruleById } from '../../server/src/core/rules/index';
import { modelOf } from '../../server/src/core/model/index';

const MANIFEST = `kind: Tenant
name: t
licenses: [M365_E5]
platforms: [windows]
groups:
  - name: grp-breakglass
    members: [bg1@t.example]
breakGlass: { groups: [grp-breakglass], users: [bg1@t.example] }
settings:
  crossTenantAccess:
    inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true }
`;

function compliantPolicy(name: string, types: string, state = 'enabled'): string {
  return `kind: ConditionalAccessPolicy
name: ${name}
spec:
  displayName: ${name}
  state: ${state}
  conditions:
    users:
      includeGuestsOrExternalUsers:
        guestOrExternalUserTypes: ${types}
        externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: all }
    applications: { includeApplications: [MicrosoftAdminPortals] }
    clientAppTypes: [all]
  grantControls: { operator: OR, builtInControls: [compliantDevice] }
`;
}

function analyse(policy: string) {
  const enc = new TextEncoder();
  const files: Record<string, string> = { '/t/zerotrust.yaml': MANIFEST, '/t/ca.yaml': policy };
  const service = createPolicyService({ fs: { readFile: async (p) => enc.encode(files[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(files)) service.update(p, text, 1);
  const findings = service.analyzeTenant('/t');
  const view = service.view('/t');
  return {
    asked: modelOf(view).compliantDeviceAskedBy().map((p) => p.name),
    secureByDefault: findings.filter((f) => f.ruleId === 'undeclared-fact' && /settings\.secureByDefault/.test(f.message)),
    four: layerStates(view, findings, (id) => ruleById(id)).find((s) => s.layer === 4)!,
  };
}

test('a compliant device of service providers only: layer 4 says no policy asks it of this tenant\'s users, and undeclared-fact does not ask for secureByDefault', () => {
  for (const state of ['enabled', 'enabledForReportingButNotEnforced']) {
    const { asked, secureByDefault, four } = analyse(compliantPolicy('gdap-compliant', 'serviceProvider', state));
    assert.deepEqual(asked, []);
    assert.deepEqual(secureByDefault.map((f) => f.message), [], state);
    if (state === 'enabled') assert.match(four.notEnforced ?? '', /^no Conditional Access policy requires a compliant device of this tenant's users: gdap-compliant requires one of users of other tenants only/);
  }
});

test('a compliant device of local guests beside B2B guests: asked of this tenant\'s accounts, so secureByDefault is asked for', () => {
  const { asked, secureByDefault } = analyse(compliantPolicy('guests-compliant', 'internalGuest,b2bCollaborationGuest'));
  assert.deepEqual(asked, ['guests-compliant']);
  assert.equal(secureByDefault.length, 1);
  assert.match(secureByDefault[0]!.message, /Conditional Access requires compliant devices of this tenant's users/);
});

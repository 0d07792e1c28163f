/**
 * App protection asked of guests and external users (review r31, F4): Learn's table of Conditional Access for external
 * users marks "Require app protection policy" and "Require approved client app" Not supported for B2B collaboration and
 * B2B direct connect users (https://learn.microsoft.com/entra/external-id/authentication-conditional-access). The grant
 * evaluator's answer is the one What If and the rules read: a policy for users of other tenants only cannot be met by
 * them (an error of `ca-guest-device-not-trusted`, never an app protection policy to add); one that names them beside
 * this tenant's users is their problem only (a warning), while this tenant's users meet it as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/service';
import { evaluate } from '../../server/src/core/whatif';
import type { TenantView } from '../../server/src/core/rule';
import { caPolicyText } from '../harness/ca-policy';

const MANIFEST = 'kind: Tenant\nname: t\nlicenses: [M365_E5]\nplatforms: [iOS]\ngroups:\n  - name: grp-sales\n    members: [ann@t.example]\n  - name: grp-breakglass\n    members: [bg@t.example]\nbreakGlass:\n  groups: [grp-breakglass]\nsettings: { secureByDefault: true }\n';
const APP = 'kind: AppProtectionPolicy\nname: ios-app\nassignments: { include: [allUsers] }\nspec:\n  "@odata.type": "#microsoft.graph.iosManagedAppProtection"\n  displayName: iOS apps\n  appGroupType: allCoreMicrosoftApps\n  pinRequired: true\n';
const B2B = "includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'b2bCollaborationGuest,b2bCollaborationMember', externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: all } }";

function appPolicy(name: string, users: string, controls = 'compliantApplication'): string {
  return caPolicyText(name, `{ ${users} }`, '{ includeApplications: [Office365] }', ['platforms: { includePlatforms: [iOS] }'], `{ operator: OR, builtInControls: [${controls}] }`);
}

function service(files: Record<string, string>) {
  const enc = new TextEncoder();
  const s = createPolicyService({ fs: { readFile: async (p) => enc.encode(files[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(files)) s.update(p, text, 1);
  return s;
}

function findings(files: Record<string, string>): string[] {
  return service(files)
    .analyzeTenant('/t')
    .filter((f) => f.ruleId === 'ca-guest-device-not-trusted' || f.ruleId === 'ca-requires-app-protection')
    .map((f) => `${f.ruleId} ${f.severity}: ${f.message}`);
}

const view = (files: Record<string, string>): TenantView => service(files).view('/t');
const guest = { user: 'g@partner.example', guestType: 'b2bCollaborationGuest' as const, platform: 'iOS', app: 'Office365', clientApp: 'mobileAppsAndDesktopClients', appProtected: true };

test('app protection of B2B guests only: an error of ca-guest-device-not-trusted, with or without an app protection policy here, and no app protection policy offered', () => {
  for (const withApp of [true, false]) {
    const files = { '/t/zerotrust.yaml': MANIFEST, '/t/ca.yaml': appPolicy('guests-app', B2B), ...(withApp ? { '/t/app.yaml': APP } : {}) };
    const found = findings(files);
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /^ca-guest-device-not-trusted error: `guests-app` requires app protection \(`compliantApplication`\) of users of other tenants only, but Conditional Access does not support app protection, nor approved client apps, for B2B collaboration and B2B direct connect users/);
    assert.match(found[0]!, /Require MFA \(`mfa`, or an authentication strength they can meet here/);
    assert.doesNotMatch(found[0]!, /AppProtectionPolicy/);
    // What If says the same of a guest, in the same words whether or not this tenant has a policy of its own.
    const r = evaluate(view(files), guest);
    assert.equal(r.verdict, 'unsatisfiable', r.summary);
    assert.match(r.unsatisfiable[0]!.reason, /cannot be required of B2B guests/);
    assert.equal(r.unsatisfiable[0]!.rule, 'ca-guest-device-not-trusted');
  }
});

test('app protection or MFA of B2B guests: they meet MFA, nothing to report', () => {
  assert.deepEqual(findings({ '/t/zerotrust.yaml': MANIFEST, '/t/ca.yaml': appPolicy('guests-app', B2B, 'compliantApplication, mfa'), '/t/app.yaml': APP }), []);
});

test('app protection of a group and B2B guests: the guests\' problem only (a warning); the group\'s users meet it, and What If agrees for each', () => {
  const users = `includeGroups: [grp-sales], excludeGroups: [grp-breakglass], ${B2B}`;
  const files = { '/t/zerotrust.yaml': MANIFEST, '/t/ca.yaml': appPolicy('sales-and-guests-app', users), '/t/app.yaml': APP };
  const found = findings(files);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0]!, /^ca-guest-device-not-trusted warning: `sales-and-guests-app` requires app protection \(`compliantApplication`\), and the `b2bCollaborationGuest` and `b2bCollaborationMember` guests it reaches cannot meet it: .*; this tenant's users it reaches can\. Exclude those guests/);
  const v = view(files);
  assert.equal(evaluate(v, guest).verdict, 'unsatisfiable');
  const member = evaluate(v, { ...guest, guestType: undefined, user: 'grp-sales' });
  assert.equal(member.verdict, 'allowed', member.summary);
  assert.equal(member.uncertain, undefined);
});

test('app protection of a group and B2B guests with no app protection policy: the group\'s gap is ca-requires-app-protection\'s, which says the guests cannot meet it whatever is added; What If tells the guest why they cannot', () => {
  const users = `includeGroups: [grp-sales], excludeGroups: [grp-breakglass], ${B2B}`;
  const files = { '/t/zerotrust.yaml': MANIFEST, '/t/ca.yaml': appPolicy('sales-and-guests-app', users) };
  const found = findings(files);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0]!, /^ca-requires-app-protection error: no iOS\/iPadOS app protection policy; .*Add an AppProtectionPolicy for iOS\/iPadOS.*\. The `b2bCollaborationGuest` and `b2bCollaborationMember` guests it reaches cannot meet it whatever this tenant's policies: .*Exclude them \(`excludeGuestsOrExternalUsers`\)/);
  const v = view(files);
  const g = evaluate(v, guest);
  assert.equal(g.verdict, 'unsatisfiable');
  assert.match(g.unsatisfiable[0]!.reason, /cannot be required of B2B guests/);
  const member = evaluate(v, { ...guest, guestType: undefined, user: 'grp-sales' });
  assert.equal(member.verdict, 'unsatisfiable');
  assert.match(member.unsatisfiable[0]!.reason, /no iOS\/iPadOS app protection policy/);
});

test('app protection of All users, Learn\'s own policy: not reported for the guests it reaches, while What If says a guest cannot meet it', () => {
  const files = { '/t/zerotrust.yaml': MANIFEST, '/t/ca.yaml': appPolicy('all-app', 'includeUsers: [All], excludeGroups: [grp-breakglass]'), '/t/app.yaml': APP };
  assert.deepEqual(findings(files), []);
  assert.equal(evaluate(view(files), guest).verdict, 'unsatisfiable');
});

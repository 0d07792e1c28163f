/**
 * A Graph list of Conditional Access policies (audit r30 c1): the model reads its items as CA policies, so What If and
 * the lockout check say it holds them (with how many), as `unknown-kind` counts them on the file, never "may hold".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/core/service';
import { evaluate } from '../../server/src/core/whatif';
import { lockoutCheck } from '../../server/src/core/lockout';
import { lockoutText, whatIfText } from '../../server/src/core/features/whatif-format';

const FILES: Record<string, string> = {
  '/t/zerotrust.yaml': "kind: Tenant\nname: lab\nlicenses: [M365_E3]\nbreakGlass:\n  users: [aaaaaaaa-0000-4000-8000-000000000001]\n",
  '/t/ca-policies.json': "{\n  \"_comment\": \"Sanitized export of the lab's Conditional Access policies.\",\n  \"value\": [\n    {\n      \"id\": \"00000000-0000-4000-8000-000000000007\",\n      \"displayName\": \"Require MFA for All Users\",\n      \"state\": \"enabled\",\n      \"conditions\": {\n        \"clientAppTypes\": [\n          \"all\"\n        ],\n        \"applications\": {\n          \"includeApplications\": [\n            \"All\"\n          ]\n        },\n        \"users\": {\n          \"includeUsers\": [\n            \"All\"\n          ],\n          \"excludeUsers\": [\n            \"aaaaaaaa-0000-4000-8000-000000000001\"\n          ]\n        }\n      },\n      \"grantControls\": {\n        \"operator\": \"OR\",\n        \"builtInControls\": [\n          \"mfa\"\n        ]\n      }\n    },\n    {\n      \"id\": \"00000000-0000-4000-8000-000000000000\",\n      \"displayName\": \"Block Legacy Authentication\",\n      \"state\": \"enabled\",\n      \"conditions\": {\n        \"clientAppTypes\": [\n          \"exchangeActiveSync\",\n          \"other\"\n        ],\n        \"applications\": {\n          \"includeApplications\": [\n            \"All\"\n          ]\n        },\n        \"users\": {\n          \"includeUsers\": [\n            \"All\"\n          ],\n          \"excludeUsers\": [\n            \"aaaaaaaa-0000-4000-8000-000000000001\"\n          ]\n        }\n      },\n      \"grantControls\": {\n        \"operator\": \"OR\",\n        \"builtInControls\": [\n          \"block\"\n        ]\n      }\n    }\n  ]\n}",
};

test('a Graph list of Conditional Access policies: check counts them, What If and the lockout check say the file holds them (r30 audit c1)', () => {
  const enc = new TextEncoder();
  const service = createPolicyService({ fs: { readFile: async (p) => enc.encode(FILES[p] ?? ''), readDirectory: async () => [] } });
  for (const [p, text] of Object.entries(FILES)) service.update(p, text, 1);
  const view = service.view('/t');
  const kind = service.findings('/t').find((f) => f.ruleId === 'unknown-kind');
  assert.match(kind?.message ?? '', /holds 2 policies \(2 `ConditionalAccessPolicy`\)/);
  const text = lockoutText(lockoutCheck(view), (p) => p);
  assert.match(text, /ca-policies.json` holds a Conditional Access policy, which these sign-ins leave out: it is not analysed, in a Graph list that holds 2 of them; `ztp import/);
  assert.doesNotMatch(text, /may hold a Conditional Access policy/);
  const result = evaluate(view, { user: 'a@fabrikam.example', platform: 'windows', app: 'Office365', clientApp: 'browser' });
  const said = whatIfText(result, (p) => p);
  assert.match(said, /holds a Conditional Access policy, which this result leaves out: it is not analysed, in a Graph list that holds 2 of them/);
  assert.doesNotMatch(said, /may hold a Conditional Access policy/);
});

/** What If test helpers shared by the What If suites. */
import assert from 'node:assert/strict';
import type { WhatIfResult } from '../../server/src/core/whatif';

/** The evaluation of the policy named `name` (enforced or report-only) in a What If result; fails when it is not there. */
export function policyIn(r: WhatIfResult, name: string): WhatIfResult['policies'][number] {
  const p = [...r.policies, ...r.reportOnly].find((x) => x.name === name);
  assert.ok(p, `no policy ${name}`);
  return p;
}

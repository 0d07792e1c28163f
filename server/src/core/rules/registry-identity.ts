/** Layer rules around Conditional Access (the identity team's side). Each rule lives in its own file. */
import type { Rule } from '../rule';

export const IDENTITY_RULES: Rule[] = [];

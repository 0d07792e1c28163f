/** Layer rules around Intune, Defender and Purview (the endpoint, threat and data teams' side). Each rule lives in its own file. */
import type { Rule } from '../rule';

export const ENDPOINT_RULES: Rule[] = [];

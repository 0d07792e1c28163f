import type { Rule } from '../rule';

/**
 * A rule threw while checking a tenant. The engine (`analyze.ts`) raises this finding on the crashed rule's behalf,
 * on line 1 of the tenant's manifest (or of the file, outside a tenant), so a rule that never ran is never mistaken
 * for a rule that found nothing. `check` itself has nothing to look at.
 */
export const internalError: Rule = {
  id: 'internal-error',
  title: 'A rule failed while checking, so its findings are missing',
  category: 'structure',
  defaultSeverity: 'error',
  check() {
    // Raised by runRules when another rule throws.
  },
};

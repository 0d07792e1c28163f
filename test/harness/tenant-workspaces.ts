/**
 * The tenants the tests hold, for checks that must hold on every one of them (incremental analysis, `Rule.emitsOn`):
 * the fixtures, the examples, and the real exports beside the repository (`../shared/corpus`) when they are there.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
/** The real exports admins published (see corpus.test.ts); absent from a clone on its own. */
export const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus');

/** The folders, relative to the repository, and whether each is there (a reason to skip when it is not). */
export const TENANT_WORKSPACES: { dir: string; corpus: boolean; skip: string | false }[] = [
  ...['test/fixtures', 'test/fixtures-tenants', 'test/fixtures-whatif', 'examples'].map((dir) => ({ dir, corpus: false, skip: false as const })),
  ...['conditional-access-baseline', 'open-intune-baseline'].map((name) => ({
    dir: join('..', 'shared', 'corpus', name),
    corpus: true,
    skip: existsSync(CORPUS) ? (false as const) : `the corpus is not at ${CORPUS}`,
  })),
];

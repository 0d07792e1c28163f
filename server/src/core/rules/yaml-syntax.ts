import type { FileFacts } from '../facts';
import { modelOf } from '../model/index';
import { PLATFORM_LABELS } from '../platforms';
import { withArticle } from '../prose';
import type { Rule } from '../rule';

/**
 * The file does not parse (or is not text): YAML for `.yaml`/`.yml`, strict JSON for `.json` (document.ts). When the
 * file may hold a policy (`TenantModel.unreadable`), the first error also says which of the tenant's checks wait for
 * it: they say nothing rather than call that policy missing.
 */
export const yamlSyntax: Rule = {
  id: 'yaml-syntax',
  title: 'The file does not parse as YAML or JSON',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant, emit) {
    const mayHold = new Map<FileFacts, string>();
    if (tenant.root) {
      for (const u of modelOf(tenant).unreadable) {
        const what = u.kind === '*' ? 'a policy of any kind' : withArticle(`\`${u.kind}\``);
        // What the file's type says it is for (`model/sniff.ts`): the checks wait for that platform only.
        mayHold.set(u.file, u.platforms?.length ? `${what} for ${u.platforms.map((p) => PLATFORM_LABELS[p]).join(' or ')}` : what);
      }
    }
    for (const file of tenant.files) {
      // Most files parse: nothing to say, nothing to make.
      if (!file.parsed.syntaxErrors.length) continue;
      const held = mayHold.get(file);
      file.parsed.syntaxErrors.forEach((e, i) => {
        // A file not read at all (too large, refused) has no syntax to speak of; the manifest holds no policy, but the
        // checks that need it wait for it.
        const until = e.unread ? 'it can be read' : 'it parses';
        const note = !held || i > 0 ? '' : file.type === 'manifest' ? `. Until ${until}, the checks that need the manifest say nothing` : `. Until ${until}, the checks that look across the tenant for ${held} say nothing: the file may hold one`;
        emit({ file, span: e.span, message: `${e.unread ? '' : `${file.parsed.format === 'json' ? 'JSON' : 'YAML'} syntax: `}${e.message}${note}` });
      });
    }
  },
};

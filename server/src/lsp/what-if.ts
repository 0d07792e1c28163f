/** The `zeroTrust/whatIf` request: the quick-pick choices, or one evaluation with its Markdown (policy links as URIs). */
import { whatIfMarkdown, type PolicyService } from '../core/index';
import type { WhatIfParams, WhatIfResponse, WhatIfTenantChoice } from '../protocol';
import { pathToUri, uriToPath } from './convert';

export function whatIfChoices(service: PolicyService, roots: string[]): WhatIfTenantChoice[] {
  return service.whatIfChoices(roots).map(({ root, ...choice }) => ({ uri: pathToUri(root), ...choice }));
}

/**
 * A link that VS Code's Markdown preview opens. The preview renders no `file:` link, and it resolves a path that
 * starts with `/` against the first workspace folder (its document is virtual), so the link is the file's path
 * relative to that folder, `..` segments included: the preview normalises them, even across drives on Windows.
 */
export function previewHref(file: string, firstFolder: string | undefined): string {
  const target = new URL(pathToUri(file)).pathname;
  if (!firstFolder) return pathToUri(file);
  const from = new URL(pathToUri(firstFolder)).pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  const to = target.split('/').filter(Boolean);
  let i = 0;
  while (i < from.length && i < to.length && from[i] === to[i]) i++;
  return '/' + [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

export function handleWhatIf(service: PolicyService, roots: string[], params: WhatIfParams | undefined, firstFolder?: string): WhatIfResponse {
  const tenants = whatIfChoices(service, roots);
  const s = params?.scenario;
  if (!s) return { tenants };
  const root = params?.tenantUri ? uriToPath(params.tenantUri)?.replace(/\/+$/, '') : roots.length === 1 ? roots[0] : undefined;
  if (!root || !roots.includes(root)) return { tenants, errors: ['choose one of the tenant folders'] };
  const { errors, result: r } = service.whatIf(root, s);
  if (!r) return { tenants, errors };
  const rows = [...r.policies, ...r.reportOnly].map((p) => ({ name: p.name, uri: pathToUri(p.file), state: p.state, applies: p.applies, why: p.why, grant: p.grant?.summary }));
  return {
    tenants,
    result: { verdict: r.verdict, summary: r.summary, policies: rows, warnings: r.warnings },
    markdown: whatIfMarkdown(r, (f) => previewHref(f, firstFolder)),
  };
}

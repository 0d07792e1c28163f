/** The package's own facts the CLI prints: its version, and where its rule pages are published. */
import pkg from '../../../package.json';

export const VERSION: string = pkg.version;

/** The repository, as the fallback when package.json names none. */
const REPOSITORY = 'https://github.com/intune-zero-trust/intune-zero-trust-policies';

/**
 * The repository's web address, from package.json's `repository` (`git+https://…/x.git`, or `github:owner/name`) or
 * `homepage` (`…#readme`).
 */
export function repositoryUrl(p: { repository?: unknown; homepage?: unknown }): string {
  const repo = typeof p.repository === 'string' ? p.repository : (p.repository as { url?: unknown } | undefined)?.url;
  const candidates = [typeof repo === 'string' ? repo : undefined, typeof p.homepage === 'string' ? p.homepage : undefined];
  for (const c of candidates) {
    if (!c) continue;
    const short = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(c);
    const url = short ? `https://github.com/${short[1]}` : c.replace(/^git\+/, '').replace(/#.*$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
    if (/^https:\/\/[^\s/]+\/[^\s]+$/.test(url)) return url;
  }
  return REPOSITORY;
}

/** Where rule `id`'s docs page is published: an absolute URL, as SARIF's `helpUri` must be. */
export function ruleDocsUrl(id: string, base = repositoryUrl(pkg as { repository?: unknown; homepage?: unknown })): string {
  return `${base}/blob/main/docs/rules/${id}.md`;
}

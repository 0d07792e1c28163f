/**
 * `zeroTrust/changeImpact`: the workspace as it is (the live service, unsaved buffers included) against the
 * workspace at a git ref, which the extension gives as the files the working changes touch, with their content at
 * that ref. The other files are read from disk as they are, inside the workspace folders only.
 */
import { changeImpactMarkdown, createPolicyService, diffWorkspaces, forEachLimit, isInside, join, READ_CONCURRENCY, type PolicyService } from '../core/index';
import { confinedFileSystem, nodeFileSystem } from '../host/node-fs';
import { overlayFileSystem, type Overrides } from '../host/overlay-fs';
import type { ChangeImpactParams, ChangeImpactResponse } from '../protocol';
import { pathToUri, uriToPath } from './convert';
import type { Session } from './session';

export async function changeImpact(service: PolicyService, session: Session, params: ChangeImpactParams): Promise<ChangeImpactResponse> {
  const root = session.folders[0];
  if (!root) return { markdown: 'Show Change Impact needs a workspace folder.', failures: [], layers: [] };
  const overrides: Overrides = new Map();
  const encoder = new TextEncoder();
  for (const f of Array.isArray(params?.files) ? params.files : []) {
    const path = typeof f?.uri === 'string' ? uriToPath(f.uri) : undefined;
    // Only files of the workspace folders: the server reads, and stands in for, nothing else.
    if (!path || !session.isInWorkspace(path)) continue;
    overrides.set(path, typeof f.content === 'string' ? encoder.encode(f.content) : null);
  }
  const ref = typeof params?.ref === 'string' && params.ref ? params.ref : 'HEAD';
  const base = createPolicyService({
    fs: overlayFileSystem(confinedFileSystem(nodeFileSystem, () => session.folders), overrides),
    settings: service.settings,
    maxFileSize: service.maxFileSize,
    // The same settings catalog index as the working tree: else the settings checks differ between the sides alone.
    settingsCatalog: () => service.settingsCatalog(),
  });
  for (const folder of session.folders) {
    const files = (await base.discover(folder)).filter((f) => !session.isExcluded(f));
    await forEachLimit(files, READ_CONCURRENCY, async (f) => void (await base.loadOrSkip(f)));
  }
  const impact = diffWorkspaces({ service: base, root, label: `git ${ref}` }, { service, root, label: 'working tree' });
  const abs = (p: string): string => (p.startsWith('/') || /^[A-Za-z]:/.test(p) ? p : p === '' || p === '.' ? root : join(root, p));
  return {
    markdown: changeImpactMarkdown(impact),
    failures: impact.failures,
    layers: impact.tenants
      // A layer whose status rests on a file one side could not read is no change to mark ("was partial at HEAD"): the
      // preview says it is unknown, and why.
      .map((t) => ({ ...t, known: t.layers.filter((l) => !l.baseUnknown?.length && !l.headUnknown?.length) }))
      .filter((t) => t.headRoot !== undefined && t.known.length)
      .map((t) => ({ uri: pathToUri(abs(t.headRoot!)), changes: t.known.map((l) => ({ layer: l.layer, before: l.before, after: l.after })) }))
      .filter((t) => session.folders.some((f) => isInside(f, uriToPath(t.uri) ?? ''))),
  };
}

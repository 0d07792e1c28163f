/** The layer progress the tree and the status bar show (`zeroTrust/layers`), as the protocol carries it. */
import { MANIFEST_FILE, join, type PolicyService, type TenantProgress } from '../core/index';
import type { LayersResult, TenantLayers } from '../protocol';
import { pathToUri } from './convert';
import type { Session } from './session';

/** One tenant's layers, paths as URIs and spans as ranges. */
export function tenantLayers(service: PolicyService, root: string): TenantLayers {
  const p: TenantProgress = service.layers(root);
  return {
    uri: pathToUri(root),
    name: p.name,
    manifestUri: pathToUri(p.manifestFile),
    ...(p.problem ? { problem: p.problem } : {}),
    layers: p.layers.map((s) => ({
      layer: s.layer,
      name: s.name,
      status: s.status,
      ...(s.reason ? { reason: s.reason } : {}),
      licensed: s.licensed,
      licenseHint: s.licensed ? undefined : s.licenseHint,
      policies: s.policies.map((x) => ({ uri: pathToUri(x.path), name: x.name, kind: x.kind, platforms: x.platforms, line: x.line, ...(x.heldBack ? { heldBack: x.heldBack } : {}) })),
      unmet: s.unmet.map(({ finding: f, fixable }) => ({
        ruleId: f.ruleId,
        message: f.message,
        severity: f.severity,
        uri: pathToUri(f.file),
        range: service.get(f.file)!.parsed.lines.rangeOf(f.span),
        fixable,
      })),
      errors: s.errors,
      warnings: s.warnings,
      tooltip: s.tooltip,
      checks: s.checks,
    })),
  };
}

/** Every tenant of the workspace that is not excluded. */
export function layersResult(service: PolicyService, session: Session): LayersResult {
  const tenants: TenantLayers[] = [];
  for (const root of service.tenantRoots()) if (!session.isExcluded(join(root, MANIFEST_FILE))) tenants.push(tenantLayers(service, root));
  return { tenants };
}

/**
 * The tenant's custom authentication strengths, as its folder exports them (raw Graph `authenticationStrengthPolicy`
 * documents, one a file or a Graph list of them, beside the policies, in Graph's JSON or as the PowerShell SDK writes
 * them): no policy kind holds one, and a CA policy names
 * its strength in `grantControls.authenticationStrength`, often by id alone (Terraform, Microsoft365DSC and TMF exports
 * keep the strength in a file of its own). The one reader of "what strength does this policy require" (`policyStrength`):
 * the policy's own `authenticationStrength` where it holds its `allowedCombinations` (or Graph's
 * `requirementsSatisfied`), else the folder's export of that id, so the MFA rules, the legacy authentication reading,
 * the guests' reading, What If and the lockout check read one answer (`strengthFactors` in `grants.ts` reads it).
 *
 * A built-in strength (`00000000-0000-0000-0000-000000000002` to `…0004`) keeps its known combinations whatever the
 * folder holds; a custom id the folder does not export stays unknown, as it is read without it (multifactor by
 * `strengthFactors`, never a gap).
 * https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy,
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths
 */
import { asObject, isPlainObject } from '../document';
import type { FileFacts, PolicyFacts } from '../facts';
import { collectionItems, graphTypeName, powerShellSdkRenamed } from '../graph';
import { BUILT_IN_STRENGTHS } from './strength-factors';

/** One authentication strength the folder exports. */
export interface AuthStrength {
  id: string;
  displayName: string | undefined;
  /** The export as Graph writes it: `allowedCombinations`, and `requirementsSatisfied` where a read kept it. */
  document: Readonly<Record<string, unknown>>;
  file: string;
}

/** What the folder says of the tenant's authentication strengths. */
export interface AuthStrengths {
  /** Every strength exported with an id and its `allowedCombinations`, by lower-case id. */
  byId: ReadonlyMap<string, AuthStrength>;
  /**
   * The ids (lower case) two exports give different methods: Graph's ids are unique, so one of them is stale or
   * edited, and which the tenant holds is unknown (review r27 B, s3). A policy naming one is read by id only.
   */
  conflicting: ReadonlySet<string>;
}

const STRENGTH_TYPE = 'authenticationStrengthPolicy';

/** Whether a document is an authentication strength's export: by its `@odata.type`, or without one by its `allowedCombinations`. */
function isStrengthExport(doc: Record<string, unknown>): boolean {
  const type = graphTypeName(doc['@odata.type']);
  if (type !== undefined) return type === STRENGTH_TYPE;
  return !('kind' in doc) && !('spec' in doc) && Array.isArray(doc.allowedCombinations);
}

/**
 * An authentication strength's export as the model reads it, in Graph's property names, or undefined when the document
 * is none (or has no id, or neither its combinations nor `requirementsSatisfied`). The PowerShell SDK's shape
 * (`Get-MgPolicyAuthenticationStrengthPolicy | ConvertTo-Json`: `Id`, `DisplayName`, `AllowedCombinations`, `PolicyType`,
 * `RequirementsSatisfied`, no `@odata.type`) is read through `powerShellSdkRenamed`, the renaming that reads the SDK's
 * policies. `ztp import` copies a file exactly when this reads something from it.
 */
export function authStrengthExport(raw: Record<string, unknown>): Record<string, unknown> | undefined {
  const doc = powerShellSdkRenamed(raw) ?? raw;
  if (!isStrengthExport(doc) || typeof doc.id !== 'string' || !doc.id.trim()) return undefined;
  // An export without its combinations says nothing of MFA: read as if it were not here (unknown).
  if (!hasCombinations(doc) && doc.requirementsSatisfied === undefined) return undefined;
  return doc;
}

function strengthOf(raw: Record<string, unknown>, file: string): AuthStrength | undefined {
  const doc = authStrengthExport(raw);
  if (!doc) return undefined;
  const id = String(doc.id).trim();
  const displayName = typeof doc.displayName === 'string' && doc.displayName.trim() ? doc.displayName : undefined;
  return { id, displayName, document: doc, file };
}

function hasCombinations(doc: Record<string, unknown>): boolean {
  return Array.isArray(doc.allowedCombinations) && doc.allowedCombinations.length > 0;
}

/** What an export says a strength admits, in one order: its combinations and `requirementsSatisfied`. */
function methodsOf(doc: Readonly<Record<string, unknown>>): string {
  const combos = Array.isArray(doc.allowedCombinations) ? doc.allowedCombinations.map((c) => String(c).split(',').map((m) => m.trim()).sort().join(',')).sort() : [];
  return JSON.stringify([combos, doc.requirementsSatisfied ?? null]);
}

/** The authentication strengths of a tenant's files (its policies of no kind and its other files). */
export function readAuthStrengths(files: readonly FileFacts[]): AuthStrengths {
  const byId = new Map<string, AuthStrength>();
  const conflicting = new Set<string>();
  for (const f of files) {
    if (f.type === 'manifest' || (f.type === 'policy' && f.kind !== undefined)) continue;
    const doc = asObject(f.value);
    const docs = collectionItems(f.value) ?? (doc ? [doc] : []);
    for (const d of docs) {
      const strength = strengthOf(d, f.path);
      if (!strength) continue;
      const key = strength.id.toLowerCase();
      const had = byId.get(key);
      if (!had) byId.set(key, strength);
      else if (methodsOf(had.document) !== methodsOf(strength.document)) conflicting.add(key);
    }
  }
  return { byId, conflicting };
}

/**
 * The authentication strength a CA policy requires, as every reader takes it, or undefined when it requires none: its
 * own `grantControls.authenticationStrength` where that holds `allowedCombinations` or `requirementsSatisfied` (an
 * expanded export), or names a built-in strength; else, for a custom strength named by id, the folder's export of that
 * id, its own keys (a `displayName` it holds) kept over the export's; else its own, by id only (unknown).
 */
export function policyStrength(strengths: AuthStrengths, p: PolicyFacts): Record<string, unknown> | undefined {
  const gc = isPlainObject(p.spec?.grantControls) ? p.spec.grantControls : undefined;
  const own = isPlainObject(gc?.authenticationStrength) ? gc.authenticationStrength : undefined;
  if (!own) return undefined;
  if (hasCombinations(own) || own.requirementsSatisfied !== undefined) return own;
  const id = typeof own.id === 'string' ? own.id.trim() : undefined;
  if (!id || BUILT_IN_STRENGTHS[id]) return own;
  // Two exports of the id that disagree: which the tenant holds is unknown, as for an id the folder does not export.
  const exported = strengths.conflicting.has(id.toLowerCase()) ? undefined : strengths.byId.get(id.toLowerCase());
  if (!exported) return own;
  const { allowedCombinations, requirementsSatisfied } = exported.document;
  return {
    ...own,
    ...(exported.displayName && !(typeof own.displayName === 'string' && own.displayName) ? { displayName: exported.displayName } : {}),
    allowedCombinations,
    ...(requirementsSatisfied !== undefined ? { requirementsSatisfied } : {}),
  };
}

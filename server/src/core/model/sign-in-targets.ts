/**
 * What the tenant's files name as a sign-in's target besides an app: the user actions and authentication contexts its
 * Conditional Access policies include (the model's `targetResources`), the authentication flows they name
 * (`transferFlows`), and the authentication contexts the folder exports (raw Graph `authenticationContextClassReference`
 * documents, one a file or a Graph list of them, `GET /identity/conditionalAccess/authenticationContextClassReferences`),
 * which give a context its display name and description. What If's choices (the editor's quick picks) read this one
 * answer, as the evaluation reads `targetResources` and `transferFlows` for the same policies.
 *
 * An authentication context's id is `c1` to `c99` (`auth-context-id.ts`, in any letter case); an export's
 * `isAvailable: false` is a context not yet published to apps, still "shown and available for Conditional Access policy
 * authoring" (https://learn.microsoft.com/graph/api/resources/authenticationcontextclassreference).
 */
import { authContextId } from '../auth-context-id';
import { asObject } from '../document';
import type { FileFacts, PolicyFacts } from '../facts';
import { collectionItems, graphTypeName, powerShellSdkRenamed } from '../graph';
import { policyTargetResources, transferFlows } from './sign-in-scope';


/** One authentication context the tenant's files name. */
export interface AuthenticationContext {
  /** Its id, lower case (`c1`). */
  id: string;
  /** Its display name and description, from the folder's export of it. */
  displayName?: string;
  description?: string;
  /** From its export: published to apps (`true`), or for policy authoring only (`false`); unset without an export. */
  isAvailable?: boolean;
  /** The export that names it, when the folder has one. */
  file?: string;
  /** The CA policies that include it (their names, in path order). */
  policies: string[];
}

/** What the tenant's files name as sign-in targets besides apps. */
export interface SignInTargets {
  /** Each user action a CA policy includes (its `urn:user:…` value, lower case) → the policies that include it. */
  userActions: ReadonlyMap<string, readonly string[]>;
  /** Every authentication context a CA policy includes or the folder exports, by number. */
  authenticationContexts: readonly AuthenticationContext[];
  /** Each authentication flow a CA policy names (`transferFlows`, lower case) → the policies that name it. */
  authenticationFlows: ReadonlyMap<string, readonly string[]>;
}

function add(map: Map<string, string[]>, key: string, name: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [name]);
  else if (!list.includes(name)) list.push(name);
}

const CONTEXT_TYPE = 'authenticationContextClassReference';

/**
 * Whether a document is an authentication context's export: its `@odata.type` says so, or it sits in a list whose
 * `@odata.context` is the contexts' collection (Graph writes no type on a list's items), or, with no type at all, it
 * has a context's id and Graph's `isAvailable` flag (`Get-MgIdentityConditionalAccessAuthenticationContextClassReference
 * | ConvertTo-Json` writes so).
 */
function isContextExport(d: Record<string, unknown>, inContextList: boolean): boolean {
  const type = graphTypeName(d['@odata.type']);
  if (type !== undefined) return type === CONTEXT_TYPE;
  return inContextList || typeof d.isAvailable === 'boolean';
}

/**
 * The authentication context a document of the folder exports, in Graph's property names, or undefined when it is none
 * (`isContextExport`, with an id `c1` to `c99`). The PowerShell SDK's shape
 * (`Get-MgIdentityConditionalAccessAuthenticationContextClassReference | ConvertTo-Json`: `Id`, `DisplayName`,
 * `Description`, `IsAvailable`) is read through `powerShellSdkRenamed`, as the SDK's policies are. `ztp import` copies a
 * file exactly when this reads something from it.
 */
export function authContextExport(raw: Record<string, unknown>, inContextList: boolean): Record<string, unknown> | undefined {
  const d = powerShellSdkRenamed(raw) ?? raw;
  if (typeof d.id !== 'string' || !isContextExport(d, inContextList) || !authContextId(d.id)) return undefined;
  return d;
}

/** Whether a file's value is a Graph list whose `@odata.context` is the authentication contexts' collection. */
export function contextListed(value: unknown): boolean {
  const context = asObject(value)?.['@odata.context'];
  return typeof context === 'string' && /authenticationContextClassReferences(\(|\/|$)/i.test(context);
}

/**
 * The sign-in targets of a tenant: its CA policies (`caPolicies`, every state: a disabled or report-only policy's
 * context is the tenant's too) and its files of no kind (`foreign`: the policies of no kind and the other files).
 */
export function readSignInTargets(caPolicies: readonly PolicyFacts[], foreign: readonly FileFacts[]): SignInTargets {
  const userActions = new Map<string, string[]>();
  const flows = new Map<string, string[]>();
  const contexts = new Map<string, AuthenticationContext>();
  for (const p of caPolicies) {
    const name = p.name ?? p.path;
    const targets = policyTargetResources(p);
    for (const a of targets.userActions) add(userActions, a.trim().toLowerCase(), name);
    for (const f of transferFlows(p.spec?.conditions)) add(flows, f.toLowerCase(), name);
    for (const c of targets.authenticationContexts) {
      const id = authContextId(c);
      if (!id) continue;
      const known = contexts.get(id);
      if (!known) contexts.set(id, { id, policies: [name] });
      else if (!known.policies.includes(name)) known.policies.push(name);
    }
  }
  for (const f of foreign) {
    if (f.type === 'manifest' || (f.type === 'policy' && f.kind !== undefined)) continue;
    const items = collectionItems(f.value);
    const docs = items ?? (asObject(f.value) ? [asObject(f.value)!] : []);
    const listed = items !== undefined && contextListed(f.value);
    for (const raw of docs) {
      const d = authContextExport(raw, listed);
      if (!d) continue;
      const id = authContextId(String(d.id))!;
      const known = contexts.get(id) ?? { id, policies: [] };
      if (known.file !== undefined) continue;
      contexts.set(id, {
        ...known,
        ...(typeof d.displayName === 'string' && d.displayName.trim() ? { displayName: d.displayName.trim() } : {}),
        ...(typeof d.description === 'string' && d.description.trim() ? { description: d.description.trim() } : {}),
        ...(typeof d.isAvailable === 'boolean' ? { isAvailable: d.isAvailable } : {}),
        file: f.path,
      });
    }
  }
  const byNumber = [...contexts.values()].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  return { userActions, authenticationContexts: byNumber, authenticationFlows: flows };
}

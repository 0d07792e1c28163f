/**
 * An authentication context's id, `c1` to `c99`: "Organizations can create up to 99 authentication context
 * definitions" (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#authentication-context;
 * Graph's authContext: "Supported values are c1 through c99"). No imports: the model, What If's validation and the
 * editor's input box read this one pattern.
 */
const AUTH_CONTEXT_ID = /^c([1-9]|[1-9][0-9])$/i;

/** An authentication context id (`c1`…`c99`), lower case as policies write it; undefined when the value is not one. */
export function authContextId(value: string): string | undefined {
  const v = value.trim();
  return AUTH_CONTEXT_ID.test(v) ? v.toLowerCase() : undefined;
}

/**
 * The built-in Entra directory roles by name (`data/directory-roles.json`, from Learn's "Microsoft Entra built-in
 * roles"): what a role name in the manifest's `breakGlass.roles` or a CA policy's `includeRoles`/`excludeRoles` may
 * be, the template id `ztp export` writes for it, and the hint when a name is none of them. One table for `check`,
 * `export` and the model, so a name one of them takes the others take too.
 */
import directoryRoles from './data/directory-roles.json';
import { closest } from './prose';

/** Every built-in directory role: [name, template id (lower case)]. */
export const DIRECTORY_ROLES: readonly [string, string][] = Object.entries((directoryRoles as { roles: Record<string, string> }).roles).map(
  ([name, id]) => [name, id.toLowerCase()],
);

const BY_NAME = new Map(DIRECTORY_ROLES.map(([name, id]) => [name.toLowerCase(), id]));

/** The template id (lower case) of a built-in role named `name` (any case, spaces trimmed), else undefined. */
export function builtInRoleId(name: string): string | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/**
 * The built-in role a name that is none probably meant: a near miss (`Securty Administrator`), or the name with
 * "Admin" written out (`Global Admin`), or the one role whose name starts with it.
 */
export function roleNameHint(value: string): string | undefined {
  const names = DIRECTORY_ROLES.map(([name]) => name);
  const word = value.trim();
  if (word.length > 256) return undefined;
  const spelled = word.replace(/\badmin\b/gi, 'Administrator');
  const near = closest(spelled, names);
  if (near) return near;
  const starts = names.filter((n) => n.toLowerCase().startsWith(word.toLowerCase()));
  return word.length >= 4 && starts.length === 1 ? starts[0] : undefined;
}

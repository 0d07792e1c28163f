/**
 * The built-in Entra directory roles by name (`data/directory-roles.json`, from Learn's "Microsoft Entra built-in
 * roles"): what a role name in the manifest's `breakGlass.roles` or a CA policy's `includeRoles`/`excludeRoles` may
 * be, the template id `ztp export` writes for it, and the hint when a name is none of them. One table for `check`,
 * `export` and the model, so a name one of them takes the others take too.
 */
import directoryRoles from './data/directory-roles.json';
import { closest, editDistance } from './prose';

const TABLE = directoryRoles as {
  listed: string;
  roles: Record<string, string>;
  hidden: Record<string, string>;
  aliases: Record<string, string>;
};

/** The date of Learn's page the table was read from (its ms.date): roles Microsoft added since are not in it. */
export const ROLES_LISTED = TABLE.listed;

/**
 * Every built-in directory role: [name, template id (lower case)], the names Learn lists today first, then the
 * deprecated roles and those the portal does not show (`Device Join`, `Guest User`: Graph still returns them), then
 * the other names a role has gone by (`Company Administrator`, MSOnline's name for Global Administrator; `Exchange
 * Service Administrator`, the AzureAD module's), so a label found by id is the current name.
 */
export const DIRECTORY_ROLES: readonly [string, string][] = [
  ...Object.entries(TABLE.roles),
  ...Object.entries(TABLE.hidden),
  ...Object.entries(TABLE.aliases),
].map(([name, id]) => [name, id.toLowerCase()]);

const BY_NAME = new Map<string, string>();
for (const [name, id] of DIRECTORY_ROLES) if (!BY_NAME.has(name.toLowerCase())) BY_NAME.set(name.toLowerCase(), id);

/** The template id (lower case) of a built-in role named `name` (any case, spaces trimmed), else undefined. */
export function builtInRoleId(name: string): string | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/**
 * The built-in role a name that is none probably meant: a typo (`Securty Administrator`: a few letters off, for the
 * name's length), or the name with "Admin" written out (`Global Admin`), or the one role whose name starts with it.
 * A name a whole word away is no typo but another role, or one newer than the table (`Company Administrator` is not
 * `Compliance Administrator`, `AI Administrator` not `Edge Administrator`): no hint.
 */
export function roleNameHint(value: string): string | undefined {
  const names = DIRECTORY_ROLES.map(([name]) => name);
  const word = value.trim();
  if (word.length > 256) return undefined;
  const spelled = word.replace(/\badmin\b/gi, 'Administrator');
  const near = closest(spelled, names);
  // A typo changes a letter in ten of the name, at most three (`closest` alone allows a quarter of it).
  if (near && editDistance(spelled.toLowerCase(), near.toLowerCase()) <= Math.min(3, Math.max(1, Math.floor(spelled.length / 10)))) return near;
  const starts = names.filter((n) => n.toLowerCase().startsWith(word.toLowerCase()));
  return word.length >= 4 && starts.length === 1 ? starts[0] : undefined;
}

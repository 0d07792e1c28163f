/**
 * What the manifest's JSON Schema cannot say: values that must be unique across its groups, and references that
 * must name something (a built-in role, a user, a manifest group). Each is a `schema` finding on the manifest, as a
 * licence listed twice is. Read only what is well-formed: a value of the wrong type is the generated schema's.
 */
import { asObject as obj, type JsonPath } from '../document';
import { builtInRoleId } from '../directory-roles';
import { closest } from '../prose';
import { unknownRoleMessage } from './graph-constraints';
import type { SchemaIssue } from './issue';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The manifest's issues beyond its schema. */
export function manifestConstraintIssues(value: Record<string, unknown>): SchemaIssue[] {
  const groups = Array.isArray(value.groups) ? value.groups.map((g) => obj(g)) : [];
  const names = groups.map((g) => (typeof g?.name === 'string' ? g.name : undefined));
  return [...duplicateGroups(groups, names), ...memberValues(groups, names), ...breakGlassValues(obj(value.breakGlass), names), ...coManagementSliders(obj(obj(value.settings)?.coManagement))];
}

/** How far each co-management slider position moves a workload to Intune. */
const TOWARD_INTUNE: Record<string, number> = { configurationManager: 0, pilotIntune: 1, intune: 2 };

/**
 * Co-management workload sliders the console cannot hold: switching Device configuration to Pilot Intune or Intune
 * moves Endpoint Protection (and Resource access) with it (https://learn.microsoft.com/mem/configmgr/comanage/workloads#device-configuration),
 * so Endpoint Protection is never further from Intune than Device configuration. The tenant model reads Endpoint
 * Protection as Device configuration's then (`configMgrWorkload`); the manifest should say what the console shows. A
 * warning: the declaration is read, and what it means is not in doubt.
 */
function coManagementSliders(coManagement: Record<string, unknown> | undefined): SchemaIssue[] {
  const ep = coManagement?.endpointProtectionWorkload;
  const dc = coManagement?.deviceConfigurationWorkload;
  if (typeof ep !== 'string' || typeof dc !== 'string' || TOWARD_INTUNE[ep] === undefined || TOWARD_INTUNE[dc] === undefined) return [];
  if (TOWARD_INTUNE[ep]! >= TOWARD_INTUNE[dc]!) return [];
  return [
    {
      path: ['settings', 'coManagement', 'endpointProtectionWorkload'],
      target: 'value',
      severity: 'warning',
      message:
        `\`endpointProtectionWorkload: ${ep}\` with \`deviceConfigurationWorkload: ${dc}\` is a position the co-management console cannot hold: moving Device configuration to ${dc === 'intune' ? 'Intune' : 'Pilot Intune'} moves Endpoint Protection with it, so the checks read Endpoint Protection as \`${dc}\`. ` +
        `Set \`endpointProtectionWorkload: ${dc}\` (what the console shows), or move \`deviceConfigurationWorkload\` back to \`${ep}\` if Device configuration is still Configuration Manager's`,
    },
  ];
}

/**
 * Policies name a group by its name, and `ztp export` turns the name into the group's `id`: two groups with one
 * name make the name mean either, and two with one `id` are one Entra group under two names (a policy that names it
 * by id resolves to the first). The second occurrence is the error, as for a licence listed twice.
 */
function duplicateGroups(groups: (Record<string, unknown> | undefined)[], names: (string | undefined)[]): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const byName = new Map<string, number>();
  const byId = new Map<string, number>();
  groups.forEach((g, i) => {
    const name = names[i];
    if (name) {
      const first = byName.get(name);
      if (first === undefined) byName.set(name, i);
      else
        out.push({
          path: ['groups', i, 'name'],
          target: 'value',
          message: `\`groups\` lists \`${name}\` twice (also \`groups[${first}]\`): policies name a group by its name, so each name must be one group`,
        });
    }
    const id = typeof g?.id === 'string' && GUID.test(g.id) ? g.id.toLowerCase() : undefined;
    if (id === undefined) return;
    const first = byId.get(id);
    if (first === undefined) byId.set(id, i);
    else
      out.push({
        path: ['groups', i, 'id'],
        target: 'value',
        message: `\`groups\` lists the id \`${g!.id as string}\` twice (also on \`${names[first] ?? `groups[${first}]`}\`): one Entra group is one manifest group; give each its own object id`,
      });
  });
  return out;
}

/** A user principal name, as far as can be told offline: anything with an `@` may be one. */
function mayBeUser(v: string): boolean {
  return v.includes('@') || GUID.test(v.trim());
}

/**
 * Group `members` list user principal names and other manifest groups (the format's contract); an object id may
 * stand for either. Anything else names nothing the rules can follow (a group this manifest does not declare, a user
 * without a domain): a warning, since the group may still hold what it names, with the group a near miss meant.
 */
function memberValues(groups: (Record<string, unknown> | undefined)[], names: (string | undefined)[]): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const known = names.filter((n): n is string => n !== undefined);
  const declared = new Set(known);
  // The near miss is looked for among a manifest's usual few hundred groups, never at a hostile file's cost.
  const hints = known.length <= 1000;
  groups.forEach((g, i) => {
    const members = g?.members;
    if (!Array.isArray(members)) return;
    members.forEach((m, j) => {
      if (typeof m !== 'string' || !m.trim() || mayBeUser(m) || declared.has(m)) return;
      const hint = hints && m.length <= 256 ? closest(m, known) : undefined;
      out.push({
        path: ['groups', i, 'members', j],
        target: 'value',
        severity: 'warning',
        message: `\`${m}\` in \`members\` is neither a user principal name, an object id, nor a group of this manifest${hint ? ` (did you mean \`${hint}\`?)` : ''}: the checks read it as a member of that name, neither a user they can match nor a group (a device name leaves the group of unknown kind), so whatever a group of that name holds (a nested break-glass account) is not seen`,
      });
    });
  });
  return out;
}

/**
 * `breakGlass.users` are user principal names or object ids, and `breakGlass.roles` directory roles by built-in name
 * or template id (the format's contract). A user that is neither is a warning (a manifest group goes in
 * `breakGlass.groups`); so is a role that is neither, as in a CA policy (the table of names lags Learn's list): the
 * break-glass check would credit no policy that excludes the role the accounts really hold by its id.
 */
function breakGlassValues(bg: Record<string, unknown> | undefined, names: (string | undefined)[]): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (!bg) return out;
  const users = Array.isArray(bg.users) ? bg.users : [];
  users.forEach((u, i) => {
    if (typeof u !== 'string' || !u.trim() || mayBeUser(u)) return;
    const group = names.includes(u);
    out.push({
      path: ['breakGlass', 'users', i] as JsonPath,
      target: 'value',
      severity: 'warning',
      message: group
        ? `\`${u}\` in \`breakGlass.users\` is a group of this manifest, not a user: list it in \`breakGlass.groups\``
        : `\`${u}\` in \`breakGlass.users\` is neither a user principal name nor an object id, so the checks cannot tell which account it is: write the account's UPN (\`bg-admin1@contoso.com\`) or its object id`,
    });
  });
  const roles = Array.isArray(bg.roles) ? bg.roles : [];
  roles.forEach((r, i) => {
    if (typeof r !== 'string' || !r.trim() || GUID.test(r.trim()) || builtInRoleId(r)) return;
    out.push({ path: ['breakGlass', 'roles', i], target: 'value', severity: 'warning', message: unknownRoleMessage(r, 'breakGlass.roles') });
  });
  return out;
}

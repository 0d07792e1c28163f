/**
 * The deprecated device state condition of a Conditional Access policy (`conditions.deviceStates`), read as the filter
 * for devices that replaced it. Apart from `device-filter.ts`, which reads a policy's facts, so that the schema's
 * constraints (`graph-constraints.ts`, which the facts import) read the one reading without an import circle.
 */
import { asObject } from '../document';

/** A policy's device filter, as written or as its deprecated device state condition reads (`deviceStates`). */
export interface DeviceFilter {
  mode: string;
  rule: string;
  /**
   * Read from the deprecated device state condition (`conditions.deviceStates`), not written as a filter: the states it
   * excludes, as written. The texts name the condition, with the filter it reads as.
   */
  deviceStates?: readonly string[];
}

/** The device states `excludeStates` takes, as the filter attribute each is (Graph beta, conditionalAccessDeviceStates). */
const DEVICE_STATE_RULES: Readonly<Record<string, string>> = {
  compliant: 'device.isCompliant -eq True',
  domainjoined: 'device.trustType -eq "ServerAD"',
};

/**
 * The deprecated device state condition (`conditions.deviceStates`, Graph beta: `includeStates` takes `All` only,
 * `excludeStates` `Compliant` and `DomainJoined`) as the filter for devices that replaced it: every device but those
 * marked compliant or hybrid joined, `exclude: device.isCompliant -eq True -or device.trustType -eq "ServerAD"`. An
 * unregistered device is neither, as its null attributes match no positive operator. Undefined where the condition
 * leaves no device out (no exclusion). Where it says what is not documented (an `includeStates` without `All`, a state
 * of another name, the schema's errors), the filter's mode is `deviceStates`, which no reader knows: whether the
 * policy applies is unknown, never decided. Values are read without regard to case.
 * Sources: https://learn.microsoft.com/graph/api/resources/conditionalaccessdevicestates?view=graph-rest-beta,
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
 */
export function deviceStatesFilter(value: unknown): DeviceFilter | undefined {
  const states = asObject(value);
  if (!states) return undefined;
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);
  const include = list(states.includeStates);
  const exclude = list(states.excludeStates);
  if (!exclude.length && (!include.length || include.some((s) => s.toLowerCase() === 'all'))) return undefined;
  const rules = exclude.map((s) => DEVICE_STATE_RULES[s.toLowerCase()]);
  const documented = include.some((s) => s.toLowerCase() === 'all') && include.every((s) => s.toLowerCase() === 'all') && rules.every((r) => r !== undefined);
  if (!documented) return { mode: 'deviceStates', rule: `includeStates: [${include.join(', ')}], excludeStates: [${exclude.join(', ')}]`, deviceStates: exclude };
  return { mode: 'exclude', rule: [...new Set(rules)].join(' -or '), deviceStates: exclude };
}


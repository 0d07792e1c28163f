/**
 * A Conditional Access device filter (`conditions.devices.deviceFilter`: `{ mode, rule }`) read against what is known
 * of a device: its platform, and, where a What If scenario says so, whether it is hybrid joined or compliant. Each
 * comparison is true, false or unknown (`undefined`), and `-and` / `-or` combine them as three-valued logic, so a
 * filter is decided only where the known facts decide it: a block of every device but hybrid-joined ones
 * (`exclude: device.trustType -eq "ServerAD"`), or but Microsoft Entra joined ones (`-eq "AzureAD"`), applies to every
 * iPhone and Android phone, whatever else the rule says. Anything the files cannot know (extension attributes,
 * models, names) stays unknown.
 * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
 */
import { asObject } from '../document';
import type { PolicyFacts } from '../facts';
import { filterKey, filterRuleProblems, ruleMatches, ruleUndecidedBy, type DeviceFacts, type Tri } from '../device-filter-rule';
import { deviceStatesFilter, type DeviceFilter } from './device-states';

export { deviceStatesFilter, type DeviceFilter } from './device-states';

export { filterKey, filterRuleProblems, ruleMatches, ruleUndecidedBy, type DeviceFacts, type FilterRuleProblem } from '../device-filter-rule';

/**
 * A policy's device filter, when it has one with a rule. A `mode` other than Graph's `include` or `exclude` (the
 * schema's finding) is kept as written: which way the filter works is then unknown. A policy with no filter but the
 * deprecated device state condition has the filter that condition is (`deviceStatesFilter`), so What If, the lockout
 * check and the model read the one condition one way.
 */
export function deviceFilterOf(p: PolicyFacts | undefined): DeviceFilter | undefined {
  const conditions = asObject(p?.spec?.conditions);
  const filter = asObject(asObject(conditions?.devices)?.deviceFilter);
  if (typeof filter?.rule === 'string' && filter.rule.trim()) return { mode: typeof filter.mode === 'string' ? filter.mode : 'include', rule: filter.rule };
  return deviceStatesFilter(conditions?.deviceStates);
}

/**
 * How a message names a policy's device filter: "the device filter (exclude: <rule>)", or, read from the deprecated
 * device state condition, "the device state condition (excludeStates: Compliant, DomainJoined; the filter exclude:
 * <rule>)". `noun` is what a filter written as one is called.
 */
export function filterName(filter: DeviceFilter, noun = 'the device filter'): string {
  if (!filter.deviceStates) return `${noun} (${filter.mode}: ${filter.rule})`;
  const states = `excludeStates: ${filter.deviceStates.join(', ')}`;
  return filter.mode === 'deviceStates' ? `the device state condition (${filter.rule})` : `the device state condition (${states}; the filter ${filter.mode}: ${filter.rule})`;
}

/**
 * Whether the policy applies to the device as far as its filter goes: true (no filter, or the facts decide that it
 * does), false (the facts decide that the filter leaves the device out), or undefined (the filter reads what is not
 * known, does not parse, or has a mode Graph does not know).
 */
export function filterApplies(p: PolicyFacts | undefined, facts: DeviceFacts): Tri {
  const filter = deviceFilterOf(p);
  if (!filter) return true;
  if (filter.mode !== 'include' && filter.mode !== 'exclude') return undefined;
  const matches = ruleMatches(filter.rule, facts);
  if (matches === undefined) {
    const key = facts.known?.size ? filterKey(filter) : undefined;
    const known = key ? facts.known!.get(key.key) : undefined;
    return known === undefined ? undefined : known === key!.positive;
  }
  return filter.mode === 'include' ? matches : !matches;
}

/** `device.isCompliant -eq True`, normalised. */
const IS_COMPLIANT_KEY = 'device.iscompliant -eq "true"';

/**
 * Whether a policy that blocks is, through its filter, a requirement of a compliant device: it blocks every device
 * but compliant ones (`exclude: device.isCompliant -eq True`, or `include: device.isCompliant -ne True`, which an
 * unregistered device, whose isCompliant is null, matches too), Microsoft's documented way to require compliance with
 * a filter. Its grant must be the block alone; any other filter, however close, stays a filter that reads what is
 * not known offline. The grant evaluator reads such a policy's grant as `compliantDevice` (`grantControlNames`).
 * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
 */
export function compliantDeviceByFilter(p: PolicyFacts | undefined): boolean {
  const grant = asObject(p?.spec?.grantControls);
  const controls = Array.isArray(grant?.builtInControls) ? grant.builtInControls : [];
  if (controls.length !== 1 || controls[0] !== 'block') return false;
  const filter = deviceFilterOf(p);
  const key = filter ? filterKey(filter) : undefined;
  return key?.key === IS_COMPLIANT_KEY && !key.positive;
}

/** What each `device.trustType` value means, as Learn's filter for devices page names them. */
const TRUST_TYPES: Readonly<Record<string, string>> = {
  serverad: 'hybrid joined',
  azuread: 'Microsoft Entra joined',
  workplace: 'Microsoft Entra registered',
};

/**
 * The devices a filter rule matches, in words: "the devices that match `device.trustType -eq "ServerAD" -or …`
 * (hybrid joined or Microsoft Entra joined)". The join states are named when the rule is nothing but `trustType`
 * comparisons joined by `-or`; otherwise the rule is quoted alone.
 */
export function matchingDevicesText(rule: string): string {
  const terms = rule.split(/\s+-or\s+/i).map((t) => t.trim().replace(/^\((.*)\)$/, '$1').trim());
  const kinds = terms.map((t) => /^device\.trustType\s+-eq\s+["']([A-Za-z]+)["']$/i.exec(t)?.[1]?.toLowerCase());
  const named = kinds.every((k) => k !== undefined && TRUST_TYPES[k]) ? [...new Set(kinds.map((k) => TRUST_TYPES[k!]!))] : [];
  const words = named.length ? ` (${named.length > 1 ? `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}` : named[0]})` : '';
  return `the devices that match \`${rule}\`${words}`;
}

/**
 * Which devices a policy's filter leaves out of it and which it takes in, in words, for a message that must say both
 * (the lockout check, where the filter reads what is not known offline and the favourable device is one it leaves
 * out): `exclude` leaves the matching devices out, `include` takes only them in.
 */
export function filterScopeText(filter: DeviceFilter): { leftOut: string; takenIn: string } {
  if (filter.mode === 'deviceStates') return { leftOut: `the devices ${filterName(filter)} leaves out`, takenIn: 'the others' };
  const matching = matchingDevicesText(filter.rule);
  if (filter.mode === 'exclude') return { leftOut: matching, takenIn: 'the other devices' };
  if (filter.mode === 'include') return { leftOut: 'the other devices', takenIn: matching };
  return { leftOut: `the devices the filter (mode \`${filter.mode}\`) leaves out`, takenIn: 'the others' };
}

/**
 * When a policy whose filter reads what is not known offline applies, in words: "if the device matches `<rule>`"
 * (`include`), "if the device does not match `<rule>`" (`exclude`). What If reads such a policy as one that may apply:
 * its block or impossible requirement is a doubt ("may be blocked"), never a certain verdict, as the lockout check,
 * which signs in with a device the filter leaves out, reads it too.
 */
export function filterAppliesWhen(filter: DeviceFilter): string {
  if (filter.mode === 'deviceStates') return `if its device state condition (${filter.rule}) takes the device in`;
  if (filter.mode === 'include') return `if the device matches \`${filter.rule}\``;
  if (filter.mode === 'exclude') return `if the device does not match \`${filter.rule}\``;
  return `if its device filter (mode \`${filter.mode}\`, rule \`${filter.rule}\`) takes the device in`;
}

/**
 * Why a filter's reading is unknown, in words, for What If's note and the lockout check: "reads what is not known
 * offline", or, where the rule holds what Learn's filter for devices page does not accept, the token (the `schema`
 * warning is on it), since no device fact would decide it.
 */
export function filterUnknownText(rule: string): string {
  const undecided = ruleUndecidedBy(rule);
  if (!undecided) return 'reads what is not known offline';
  return `holds \`${rule.slice(undecided.offset, undecided.offset + undecided.length)}\`, which Learn's filter for devices page does not document (the \`schema\` warning says why), and what Entra makes of it is unknown`;
}

/** A value in a filter rule that no device has (`trustType -eq "HybridAzureADJoined"`), in words, or undefined. */
export function filterNoDeviceText(rule: string): string | undefined {
  return filterRuleProblems(rule).find((p) => p.kind === 'value')?.message;
}

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
import type { Platform } from '../platforms';

/** What is known of the device signing in. An unset fact is unknown. */
export interface DeviceFacts {
  platform?: Platform;
  hybridJoined?: boolean;
  compliant?: boolean;
  /**
   * Whether the device is registered in Microsoft Entra ID at all. An unregistered device (a stranger's laptop with a
   * phished password) has every attribute null: no positive operator matches it and every negative one does (Learn,
   * filter for devices: "For a device that is unregistered with Microsoft Entra ID, all device properties are
   * considered as null values"), so any filter that parses is decided for it.
   */
  registered?: boolean;
  /**
   * Whether the device matches a rule the facts above cannot decide, by the rule's normalised form (`filterKey`): a
   * branch of a sign-in that complementary filters split (What If tries the device that matches and the one that does
   * not, and every device is one of the two).
   */
  known?: ReadonlyMap<string, boolean>;
}

type Tri = boolean | undefined;

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

/**
 * A filter as "the policy applies exactly when the device matches `key`" (`positive`) or "exactly when it does not":
 * the rule normalised (whitespace, the case of attributes, operators and `-and`/`-or`/`-not`, parentheses around the
 * whole; values as written), with `include: -not (R)`, `exclude: R` and, for one comparison, its negated operator
 * (`-ne`, `-notContains`…, which match a null attribute where the positive one does not) read as R with the other
 * polarity. Two policies whose filters share a key with opposite polarities are complementary: every device is in
 * exactly one of them (the privileged access workstation pattern of the filter for devices page). Undefined for a
 * rule that does not parse or a mode Graph does not know.
 * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
 */
export function filterKey(filter: { mode: string; rule: string }): { key: string; positive: boolean; rule: string } | undefined {
  if (filter.mode !== 'include' && filter.mode !== 'exclude') return undefined;
  let tokens = tokenize(filter.rule);
  if (!tokens?.length || !parses(tokens)) return undefined;
  let positive = filter.mode === 'include';
  let rule = filter.rule.trim();
  tokens = unwrap(tokens);
  if (tokens[0]?.t === 'not') {
    const inner = unwrap(tokens.slice(1));
    if (inner.length === 3 || (tokens[1]?.t === 'lp' && inner.length < tokens.length - 1)) {
      tokens = inner;
      positive = !positive;
      // The rule as written without its `-not`, where it starts with one; else the normalised form.
      const bare = /^-?not\b\s*(.*)$/is.exec(rule)?.[1]?.trim();
      rule = bare === undefined ? inner.map(tokenText).join(' ') : /^\(.*\)$/s.test(bare) && parses(tokenize(bare.slice(1, -1)) ?? []) ? bare.slice(1, -1).trim() : bare;
    }
  }
  if (tokens.length === 3 && tokens[1]?.t === 'op' && NEGATED[tokens[1].v]) {
    tokens = [tokens[0]!, { t: 'op', v: NEGATED[tokens[1].v]! }, tokens[2]!];
    positive = !positive;
    rule = rule.replace(/-(ne|not(?:startswith|endswith|contains|in|match))\b/i, (m) => `-${NEGATED[m.slice(1).toLowerCase()]!}`);
  }
  return { key: tokens.map(tokenText).join(' '), positive, rule };
}

/** Whether the tokens are one rule that parses (whatever the facts). */
function parses(tokens: Token[]): boolean {
  const parser = new Parser(tokens, {});
  parser.or();
  return parser.done();
}

/** The tokens without parentheses around the whole rule. */
function unwrap(tokens: Token[]): Token[] {
  while (tokens[0]?.t === 'lp' && tokens[tokens.length - 1]?.t === 'rp' && parses(tokens.slice(1, -1))) tokens = tokens.slice(1, -1);
  return tokens;
}

function tokenText(t: Token): string {
  switch (t.t) {
    case 'lp':
      return '(';
    case 'rp':
      return ')';
    case 'and':
      return '-and';
    case 'or':
      return '-or';
    case 'not':
      return '-not';
    case 'attr':
      return `device.${t.v}`;
    case 'op':
      return `-${t.v}`;
    case 'val':
      return JSON.stringify(t.v);
  }
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

/** Whether the device matches a filter rule, in three values. */
export function ruleMatches(rule: string, facts: DeviceFacts): Tri {
  const tokens = tokenize(rule);
  if (!tokens) return undefined;
  const parser = new Parser(tokens, facts);
  const value = parser.or();
  return parser.done() ? value : undefined;
}

type Token = { t: 'lp' } | { t: 'rp' } | { t: 'and' } | { t: 'or' } | { t: 'not' } | { t: 'attr'; v: string } | { t: 'op'; v: string } | { t: 'val'; v: string | string[] };

const OPERATORS = ['eq', 'ne', 'startswith', 'notstartswith', 'endswith', 'notendswith', 'contains', 'notcontains', 'in', 'notin', 'match', 'notmatch'];

function tokenize(rule: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  const str = (): string | undefined => {
    const q = rule[i];
    const end = rule.indexOf(q!, i + 1);
    if (end < 0) return undefined;
    const v = rule.slice(i + 1, end);
    i = end + 1;
    return v;
  };
  while (i < rule.length) {
    const c = rule[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(') (out.push({ t: 'lp' }), i++);
    else if (c === ')') (out.push({ t: 'rp' }), i++);
    else if (c === '"' || c === "'") {
      const v = str();
      if (v === undefined) return undefined;
      out.push({ t: 'val', v });
    } else if (c === '[') {
      const items: string[] = [];
      i++;
      for (;;) {
        while (i < rule.length && /[\s,]/.test(rule[i]!)) i++;
        if (rule[i] === ']') break;
        if (rule[i] !== '"' && rule[i] !== "'") return undefined;
        const v = str();
        if (v === undefined) return undefined;
        items.push(v);
      }
      i++;
      out.push({ t: 'val', v: items });
    } else {
      const m = /^[-!]?[A-Za-z0-9_.]+/.exec(rule.slice(i));
      if (!m) return undefined;
      const word = m[0];
      i += word.length;
      const lower = word.toLowerCase();
      if (lower === '-and' || lower === 'and') out.push({ t: 'and' });
      else if (lower === '-or' || lower === 'or') out.push({ t: 'or' });
      else if (lower === '-not' || lower === 'not') out.push({ t: 'not' });
      else if (lower.startsWith('-') && OPERATORS.includes(lower.slice(1))) out.push({ t: 'op', v: lower.slice(1) });
      else if (lower.startsWith('device.')) out.push({ t: 'attr', v: lower.slice('device.'.length) });
      else if (lower === 'true' || lower === 'false') out.push({ t: 'val', v: lower });
      else return undefined;
    }
  }
  return out;
}

class Parser {
  private at = 0;
  /** A token out of place: the rule does not parse, and decides nothing. */
  private failed = false;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly facts: DeviceFacts,
  ) {}

  done(): boolean {
    return this.at === this.tokens.length && !this.failed;
  }

  or(): Tri {
    let v = this.and();
    while (this.peek()?.t === 'or') {
      this.at++;
      const r = this.and();
      v = v === true || r === true ? true : v === false && r === false ? false : undefined;
    }
    return v;
  }

  private and(): Tri {
    let v = this.unary();
    while (this.peek()?.t === 'and') {
      this.at++;
      const r = this.unary();
      v = v === false || r === false ? false : v === true && r === true ? true : undefined;
    }
    return v;
  }

  private unary(): Tri {
    // Graph caps a rule at 3,072 characters; a hand-written one nested deeper than any real rule decides nothing.
    if (++this.depth > MAX_DEPTH) {
      this.failed = true;
      this.at = this.tokens.length;
      return undefined;
    }
    try {
      return this.operand();
    } finally {
      this.depth--;
    }
  }

  private operand(): Tri {
    if (this.peek()?.t === 'not') {
      this.at++;
      const v = this.unary();
      return v === undefined ? undefined : !v;
    }
    if (this.peek()?.t === 'lp') {
      this.at++;
      const v = this.or();
      if (this.peek()?.t !== 'rp') this.failed = true;
      else this.at++;
      return v;
    }
    const attr = this.tokens[this.at];
    const op = this.tokens[this.at + 1];
    const val = this.tokens[this.at + 2];
    if (attr?.t !== 'attr' || op?.t !== 'op' || val?.t !== 'val') {
      this.failed = true;
      this.at = this.tokens.length;
      return undefined;
    }
    this.at += 3;
    return compare(attr.v, op.v, val.v, this.facts);
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }
}

/** How deep parentheses and `-not` may nest before a rule is read as not parsing. */
const MAX_DEPTH = 100;

/** The operators that ask for a match; their `not…` forms (and `ne`) ask for its absence. */
const NEGATED: Record<string, string> = { ne: 'eq', notstartswith: 'startswith', notendswith: 'endswith', notcontains: 'contains', notin: 'in', notmatch: 'match' };

function compare(attr: string, op: string, value: string | string[], facts: DeviceFacts): Tri {
  const positive = NEGATED[op];
  if (positive) {
    const v = compare(attr, positive, value, facts);
    return v === undefined ? undefined : !v;
  }
  // Every attribute of an unregistered device is null, which no positive operator matches.
  if (facts.registered === false) return false;
  const values = Array.isArray(value) ? value : [value];
  switch (attr) {
    case 'iscompliant': {
      if (facts.compliant === undefined || op !== 'eq' || Array.isArray(value)) return undefined;
      const wantsCompliant = value.toLowerCase() === 'true';
      if (!wantsCompliant && value.toLowerCase() !== 'false') return undefined;
      // A compliant device is registered, and its isCompliant is true. A device that is not compliant may be
      // registered (false) or not registered at all, when the property is null and no positive operator matches it
      // (Learn, filter for devices: unregistered devices): `-eq False` is then unknown, `-eq True` false either way.
      if (facts.compliant) return wantsCompliant;
      return wantsCompliant ? false : undefined;
    }
    case 'trusttype': {
      if (op !== 'eq' && op !== 'in') return undefined;
      // The join states the device may be in; it matches where every one of them is named, and not where none is.
      // An unregistered device has no trustType, which no positive operator matches (and every negative one does).
      const possible = trustTypesOf(facts);
      const named = new Set(values.map((v) => v.toLowerCase()));
      const hits = possible.filter((t) => t !== null && named.has(t)).length;
      return hits === possible.length ? true : hits === 0 ? false : undefined;
    }
    case 'operatingsystem': {
      if (!facts.platform || (op !== 'eq' && op !== 'in' && op !== 'startswith')) return undefined;
      // A value that names another platform's family never matches; one of this family may (iOS or iPadOS…).
      const families = values.map(familyOf);
      if (families.every((f) => f !== undefined && f !== facts.platform)) return false;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A device's `trustType` (lower case), or `null` for a device not registered in Microsoft Entra ID at all. */
type TrustType = 'azuread' | 'serverad' | 'workplace' | null;

/**
 * The join states a device may be in, from what is known of it. Only Windows devices and Macs are Microsoft Entra
 * joined (AzureAD: concept-directory-join lists Windows 10/11 and Windows Server VMs in Azure; Platform SSO joins a
 * Mac, "Join a Mac device with Microsoft Entra ID"), and only Windows devices hybrid joined (ServerAD,
 * concept-hybrid-join); iOS, Android and Linux devices are at most registered (Workplace, concept-device-registration).
 * Any device may also be unregistered, except a compliant one: compliance is a state of the Microsoft Entra device
 * object. A device of no known platform (an unrecognised user agent) may be anything.
 * Sources: https://learn.microsoft.com/entra/identity/devices/concept-directory-join,
 * https://learn.microsoft.com/entra/identity/devices/concept-device-registration,
 * https://learn.microsoft.com/entra/identity/devices/device-join-microsoft-entra-company-portal
 */
function trustTypesOf(facts: DeviceFacts): TrustType[] {
  let possible: TrustType[];
  if (facts.hybridJoined) possible = ['serverad'];
  else if (!facts.platform || facts.platform === 'windows') possible = ['azuread', 'serverad', 'workplace', null];
  else if (facts.platform === 'macOS') possible = ['azuread', 'workplace', null];
  else possible = ['workplace', null];
  if (facts.hybridJoined === false) possible = possible.filter((t) => t !== 'serverad');
  if (facts.compliant || facts.registered) possible = possible.filter((t) => t !== null);
  return possible;
}

/** The platform an `operatingSystem` value names, by its start (`Windows`, `iOS`/`iPadOS`, `Android`, `MacMDM`/`macOS`, `Linux`). */
function familyOf(value: string): Platform | undefined {
  const v = value.trim().toLowerCase();
  if (v.startsWith('windows')) return 'windows';
  if (v.startsWith('ios') || v.startsWith('ipad') || v.startsWith('iphone')) return 'iOS';
  if (v.startsWith('android')) return 'android';
  if (v.startsWith('mac') || v.startsWith('osx')) return 'macOS';
  if (v.startsWith('linux') || v.startsWith('ubuntu') || v.startsWith('redhat') || v.startsWith('rhel')) return 'linux';
  return undefined;
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

/**
 * A Conditional Access device filter rule (`conditions.devices.deviceFilter.rule`), read once: its tokens, whether it
 * parses, what Learn's filter for devices page does not accept in it (`filterRuleProblems`, which the `schema` rule
 * reports on the token), and whether a device matches it as far as what is known of the device decides
 * (`ruleMatches`, in three values, which the tenant model's filter reading and What If read). It imports no facts, so
 * the schema's checks and the model read the one parser.
 * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
 */
import type { Platform } from './platforms';
import { closest } from './prose';

/** What is known of the device signing in. An unset fact is unknown. */
export interface DeviceFacts {
  platform?: Platform;
  hybridJoined?: boolean;
  compliant?: boolean;
  /**
   * Whether the device is registered in Microsoft Entra ID at all. An unregistered device (a stranger's laptop with a
   * phished password) has every attribute null: no positive operator matches it and every negative one does (Learn,
   * filter for devices: "For a device that is unregistered with Microsoft Entra ID, all device properties are
   * considered as null values"), so any filter that parses, of attributes and operators Learn's table lists, is
   * decided for it.
   */
  registered?: boolean;
  /**
   * Whether the device matches a rule the facts above cannot decide, by the rule's normalised form (`filterKey`): a
   * branch of a sign-in that complementary filters split (What If tries the device that matches and the one that does
   * not, and every device is one of the two).
   */
  known?: ReadonlyMap<string, boolean>;
}

/** True, false or unknown. */
export type Tri = boolean | undefined;

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
    tokens = [tokens[0]!, { ...tokens[1], v: NEGATED[tokens[1].v]! }, tokens[2]!];
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
    case 'word':
      return t.v;
  }
}


/** Whether the device matches a filter rule, in three values. */
export function ruleMatches(rule: string, facts: DeviceFacts): Tri {
  const tokens = tokenize(rule);
  if (!tokens) return undefined;
  const parser = new Parser(tokens, facts);
  const value = parser.or();
  return parser.done() ? value : undefined;
}

/**
 * Something in a filter rule that Learn's filter for devices page does not accept, at its characters in the rule
 * (`offset`, `length`, in the rule as read, before any YAML or JSON quoting):
 * - `syntax`: the rule does not parse (an unquoted string, `==` for `-eq`, a parenthesis not closed…); it decides
 *   nothing, and no other problem is looked for;
 * - `attribute`: an attribute the page does not list (`device.isManaged`);
 * - `operator`: an operator the page does not list for the attribute (`device.trustType -in`, `-match` anywhere);
 * - `value`: a value outside those the page lists for the attribute (`device.trustType -eq "HybridAzureADJoined"`), or
 *   a `deviceId` or `mdmAppId` that is not a GUID: the comparison matches no device (and its negation every device),
 *   which `ruleMatches` reads too;
 * - `length`: longer than the 3,072 characters a rule may have.
 * Learn does not say whether Graph refuses the first three; What If reads such a comparison (or a rule that does not
 * parse) as unknown.
 * Source: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices (the
 * table of supported attributes, operators and values) and its syntax page, rules for dynamic membership groups
 * (https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership: "Double quotes are optional unless the
 * value is a string", operators with or without their hyphen, `null` with `-eq` or `-ne` only).
 */
export interface FilterRuleProblem {
  offset: number;
  length: number;
  kind: 'syntax' | 'attribute' | 'operator' | 'value' | 'length';
  message: string;
}

/** What a filter rule holds that Learn's filter for devices page does not accept (`FilterRuleProblem`). */
export function filterRuleProblems(rule: string): FilterRuleProblem[] {
  const out: FilterRuleProblem[] = [];
  if (rule.length > MAX_RULE_LENGTH) out.push({ offset: 0, length: rule.length, kind: 'length', message: `the rule is ${rule.length} characters long; a filter rule may have at most ${MAX_RULE_LENGTH} (Learn, filter for devices)` });
  const lexed = lex(rule);
  if (lexed.problem) return [...out, lexed.problem];
  if (!lexed.tokens.length) return out;
  const parser = new Parser(lexed.tokens, {}, rule);
  parser.or();
  parser.finish();
  return parser.problem ? [...out, parser.problem] : [...out, ...parser.findings];
}

/**
 * The first problem of a filter rule that leaves it, or a comparison of it, unknown (a syntax error, an attribute or
 * operator the page does not list), if any: What If says it instead of "reads what is not known offline".
 */
export function ruleUndecidedBy(rule: string): FilterRuleProblem | undefined {
  return filterRuleProblems(rule).find((p) => p.kind !== 'value' && p.kind !== 'length');
}

/** Learn caps a filter rule at 3,072 characters ("The maximum length for the filter rule is 3072 characters"). */
const MAX_RULE_LENGTH = 3072;

/** A token of a rule, with the characters it stands on (`at` up to `end`). */
type Token = (
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'and' }
  | { t: 'or' }
  | { t: 'not' }
  /** An attribute, lower case, without `device.`; `name` as written. */
  | { t: 'attr'; v: string; name: string }
  /** An operator, lower case, without its hyphen. */
  | { t: 'op'; v: string }
  /** A value: a string, a list of strings (`items`: where each stands), or `true`/`false`/`null` written bare. */
  | { t: 'val'; v: string | string[] | null; items?: { at: number; end: number }[]; bare?: true }
  /** A bare word the syntax has no place for: an unquoted string, another object's attribute, an unknown operator. */
  | { t: 'word'; v: string }
) & { at: number; end: number };

const OPERATORS = ['eq', 'ne', 'startswith', 'notstartswith', 'endswith', 'notendswith', 'contains', 'notcontains', 'in', 'notin', 'match', 'notmatch'];

/** The operators as Learn writes them. */
const OPERATOR_NAMES: Readonly<Record<string, string>> = {
  eq: '-eq',
  ne: '-ne',
  startswith: '-startsWith',
  notstartswith: '-notStartsWith',
  endswith: '-endsWith',
  notendswith: '-notEndsWith',
  contains: '-contains',
  notcontains: '-notContains',
  in: '-in',
  notin: '-notIn',
  match: '-match',
  notmatch: '-notMatch',
};

/** Every operator the page lists for a string attribute (no `-match`: no attribute lists it). */
const STRING_OPERATORS = ['eq', 'ne', 'startswith', 'notstartswith', 'endswith', 'notendswith', 'contains', 'notcontains', 'in', 'notin'];

/** One row of Learn's table: the attribute as written there, its operators and, where the page lists them, its values. */
interface AttributeRow {
  name: string;
  operators: readonly string[];
  values?: readonly string[];
  /** "A valid deviceId that is a GUID", "A valid MDM application ID" (an application id is a GUID). */
  guid?: true;
}

/**
 * Learn's table of the device attributes a filter can use, by lower-case name. Source:
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices ("Supported
 * operators and device properties for filters"). `systemLabels` lists "some of the supported values", so its values
 * are not checked; `trustType`, `deviceOwnership`, `isCompliant` and `profileType` list them all.
 */
const ATTRIBUTES: Readonly<Record<string, AttributeRow>> = {
  deviceid: { name: 'deviceId', operators: ['eq', 'ne', 'in', 'notin'], guid: true },
  displayname: { name: 'displayName', operators: STRING_OPERATORS },
  deviceownership: { name: 'deviceOwnership', operators: ['eq', 'ne'], values: ['Personal', 'Company'] },
  enrollmentprofilename: { name: 'enrollmentProfileName', operators: STRING_OPERATORS },
  iscompliant: { name: 'isCompliant', operators: ['eq', 'ne'], values: ['True', 'False'] },
  manufacturer: { name: 'manufacturer', operators: STRING_OPERATORS },
  mdmappid: { name: 'mdmAppId', operators: ['eq', 'ne', 'in', 'notin'], guid: true },
  model: { name: 'model', operators: STRING_OPERATORS },
  operatingsystem: { name: 'operatingSystem', operators: STRING_OPERATORS },
  operatingsystemversion: { name: 'operatingSystemVersion', operators: STRING_OPERATORS },
  physicalids: { name: 'physicalIds', operators: ['contains', 'notcontains'] },
  profiletype: { name: 'profileType', operators: ['eq', 'ne'], values: ['RegisteredDevice', 'SecureVM', 'Printer', 'Shared', 'IoT'] },
  systemlabels: { name: 'systemLabels', operators: ['contains', 'notcontains'] },
  trusttype: { name: 'trustType', operators: ['eq', 'ne'], values: ['AzureAD', 'ServerAD', 'Workplace'] },
  ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionattribute${i + 1}`, { name: `extensionAttribute${i + 1}`, operators: STRING_OPERATORS }])),
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is one the attribute's row accepts (values compare without regard to case, as the syntax does). */
function fits(row: AttributeRow, value: string): boolean {
  if (row.guid) return GUID.test(value.trim());
  return !row.values || row.values.some((v) => v.toLowerCase() === value.toLowerCase());
}

function tokenize(rule: string): Token[] | undefined {
  const lexed = lex(rule);
  return lexed.problem ? undefined : lexed.tokens;
}

/** A rule's tokens, or the first characters that are no token of the syntax. */
function lex(rule: string): { tokens: Token[]; problem?: FilterRuleProblem } {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (at: number, end: number, message: string) => ({ tokens, problem: { offset: at, length: Math.max(1, end - at), kind: 'syntax' as const, message } });
  // A quoted string from `i`, with the syntax's escapes (a backquote before a double quote, a single quote doubled).
  const str = (): { v: string; end: number } | undefined => {
    const q = rule[i]!;
    let v = '';
    for (let j = i + 1; j < rule.length; j++) {
      const c = rule[j]!;
      if (q === '"' && c === '`' && rule[j + 1] === '"') {
        v += '"';
        j++;
      } else if (c === q && q === "'" && rule[j + 1] === "'") {
        v += "'";
        j++;
      } else if (c === q) return { v, end: j + 1 };
      else v += c;
    }
    return undefined;
  };
  while (i < rule.length) {
    const c = rule[i]!;
    const at = i;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') (tokens.push({ t: c === '(' ? 'lp' : 'rp', at, end: ++i }));
    else if (c === '"' || c === "'") {
      const s = str();
      if (!s) return fail(at, rule.length, `the string that starts here has no closing ${c === '"' ? 'double' : 'single'} quote`);
      tokens.push({ t: 'val', v: s.v, at, end: (i = s.end) });
    } else if (c === '[') {
      const items: string[] = [];
      const spans: { at: number; end: number }[] = [];
      i++;
      for (;;) {
        while (i < rule.length && /[\s,]/.test(rule[i]!)) i++;
        if (i >= rule.length) return fail(at, at + 1, 'this list (`[`) is not closed by `]`');
        if (rule[i] === ']') break;
        if (rule[i] !== '"' && rule[i] !== "'") {
          const bare = /^[^\s,\]]+/.exec(rule.slice(i))![0];
          return fail(i, i + bare.length, `\`${bare}\` is written without quotes: each value of a list is a quoted string (\`"${bare.replace(/"/g, '')}"\`)`);
        }
        const s = str();
        if (!s) return fail(i, rule.length, 'the string that starts here has no closing quote');
        items.push(s.v);
        spans.push({ at: i, end: s.end });
        i = s.end;
      }
      tokens.push({ t: 'val', v: items, items: spans, at, end: ++i });
    } else {
      const m = /^[-!]?[A-Za-z0-9_.]+/.exec(rule.slice(i));
      if (!m) {
        const text = /^[^\s()"'[\]]+/.exec(rule.slice(i))?.[0] ?? c;
        const hint = /^[=!<>]=?$|^-?(?:gt|lt|ge|le)$/i.test(text) || text === '==' ? ': comparisons are written `-eq`, `-ne`, `-startsWith`, `-contains`, `-in`… (as in `device.trustType -eq "AzureAD"`)' : text === '&&' || text === '||' ? `: write \`${text === '&&' ? '-and' : '-or'}\`` : '';
        return fail(at, at + text.length, `\`${text}\` is not part of the rule syntax${hint}`);
      }
      const word = m[0];
      i += word.length;
      const lower = word.toLowerCase();
      const end = i;
      if (lower === '-and' || lower === 'and') tokens.push({ t: 'and', at, end });
      else if (lower === '-or' || lower === 'or') tokens.push({ t: 'or', at, end });
      else if (lower === '-not' || lower === 'not') tokens.push({ t: 'not', at, end });
      // "Operators can be used with or without the hyphen (-) prefix" (rules for dynamic membership groups).
      else if (OPERATORS.includes(lower.replace(/^-/, ''))) tokens.push({ t: 'op', v: lower.replace(/^-/, ''), at, end });
      else if (lower.startsWith('device.') && lower.length > 'device.'.length && !lower.slice('device.'.length).includes('.')) tokens.push({ t: 'attr', v: lower.slice('device.'.length), name: word.slice('device.'.length), at, end });
      else if (lower === 'true' || lower === 'false') tokens.push({ t: 'val', v: lower, bare: true, at, end });
      else if (lower === 'null') tokens.push({ t: 'val', v: null, bare: true, at, end });
      else tokens.push({ t: 'word', v: word, at, end });
    }
  }
  return { tokens };
}

class Parser {
  private at = 0;
  /** A token out of place: the rule does not parse, and decides nothing. */
  private failed = false;
  private depth = 0;
  /** The first syntax problem, when the parser was given the rule's text to name it (`filterRuleProblems`). */
  problem: FilterRuleProblem | undefined;
  /** The attributes, operators and values the page does not list, in a rule that parses. */
  readonly findings: FilterRuleProblem[] = [];
  constructor(
    private readonly tokens: Token[],
    private readonly facts: DeviceFacts,
    /** The rule's text: given, the parser says what it does not accept. */
    private readonly text?: string,
  ) {}

  done(): boolean {
    return this.at === this.tokens.length && !this.failed;
  }

  /** After `or()`: a token left over is out of place. */
  finish(): void {
    const left = this.tokens[this.at];
    if (!this.failed && left) this.fail(this.at, left.t === 'rp' ? '`)` closes no `(`' : `\`${this.written(left)}\` follows a whole comparison: join comparisons with \`-and\` or \`-or\``);
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
      this.fail(this.at, 'the rule nests parentheses and `-not` deeper than any filter rule can');
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
      const open = this.at++;
      const v = this.or();
      if (this.failed) return undefined;
      if (this.peek()?.t !== 'rp') this.fail(this.peek() ? this.at : open, this.peek() ? `\`${this.written(this.peek()!)}\` follows a whole comparison inside \`(\`: join comparisons with \`-and\` or \`-or\`, or close the parenthesis` : '`(` is not closed by `)`');
      else this.at++;
      return v;
    }
    const attr = this.tokens[this.at];
    const op = this.tokens[this.at + 1];
    const val = this.tokens[this.at + 2];
    if (attr?.t !== 'attr') return this.fail(this.at, attr ? this.notAttribute(attr) : 'the rule ends where a comparison (`device.<attribute> -<operator> "<value>"`) is expected');
    if (op?.t !== 'op') return this.fail(this.at + 1, op ? this.notOperator(op) : `\`${this.written(attr)}\` has no operator and value after it (\`-eq "<value>"\`…)`);
    if (val?.t !== 'val') return this.fail(this.at + 2, val ? this.notValue(val, op) : `\`${this.written(op)}\` has no value after it`);
    this.at += 3;
    if (this.text !== undefined) this.check(attr, op, val);
    return compare(attr.v, op.v, val.v, this.facts);
  }

  /** The attribute, operator and values of a comparison, against Learn's table. */
  private check(attr: Token & { t: 'attr' }, op: Token & { t: 'op' }, val: Token & { t: 'val' }): void {
    const row = ATTRIBUTES[attr.v];
    const opName = OPERATOR_NAMES[op.v]!;
    const add = (t: { at: number; end: number }, kind: FilterRuleProblem['kind'], message: string) => this.findings.push({ offset: t.at, length: t.end - t.at, kind, message });
    if (!row) {
      const near = closest(attr.name, Object.values(ATTRIBUTES).map((r) => r.name));
      add(attr, 'attribute', `\`${this.written(attr)}\` is not an attribute a device filter can use: ${near ? `did you mean \`device.${near}\`? ` : ''}Learn's filter for devices lists ${ATTRIBUTE_LIST}`);
      return;
    }
    if (!row.operators.includes(op.v)) {
      add(op, 'operator', `\`${row.name}\` takes ${row.operators.map((o) => `\`${OPERATOR_NAMES[o]}\``).join(', ')}, not \`${opName}\` (Learn, filter for devices)`);
      return;
    }
    const list = op.v === 'in' || op.v === 'notin';
    if (Array.isArray(val.v) !== list) {
      add(val, 'syntax', list ? `\`${opName}\` takes a list of values in brackets (\`["…", "…"]\`)` : `\`${opName}\` takes one value, not a list: use \`-in\` or \`-notIn\` for a list`);
      return;
    }
    if (val.v === null) {
      if (op.v !== 'eq' && op.v !== 'ne') add(val, 'syntax', '`null` is compared with `-eq` or `-ne` only');
      return;
    }
    if (typeof val.v === 'string' && val.bare && !row.values) {
      add(val, 'syntax', `\`${this.written(val)}\` is written without quotes, but \`${row.name}\` is a string: write \`"${this.written(val)}"\``);
      return;
    }
    const values = Array.isArray(val.v) ? val.v : [val.v];
    const spans = val.items ?? [val];
    const negative = NEGATED[op.v] !== undefined;
    const comparison = this.text!.slice(attr.at, val.end);
    values.forEach((v, i) => {
      if (fits(row, v)) return;
      const what = row.guid ? `is not a GUID, as every \`${row.name}\` is` : `is not a value \`${row.name}\` takes (Learn, filter for devices: ${row.values!.map((x) => `\`${x}\``).join(', ')})`;
      const all = values.every((x) => !fits(row, x));
      const effect = !all ? 'so it matches no device' : negative ? `so \`${comparison}\` holds for every device` : `so \`${comparison}\` matches no device`;
      // On the value inside its quotes, where it has characters.
      const span = spans[i]!;
      const inner = span.end - span.at > 2 && /["']/.test(this.text![span.at]!) ? { at: span.at + 1, end: span.end - 1 } : span;
      add(inner, 'value', `\`${v}\` ${what}, ${effect}${row.values ? hintFor(row, v) : ''}`);
    });
  }

  private notAttribute(t: Token): string {
    const w = this.written(t);
    if (t.t === 'word' && ATTRIBUTES[t.v.toLowerCase()]) return `\`${w}\` is written without \`device.\`: write \`device.${ATTRIBUTES[t.v.toLowerCase()]!.name}\``;
    if (t.t === 'word' && /^[A-Za-z]+\./.test(t.v)) return `\`${w}\` is not a device attribute: a device filter reads \`device.<attribute>\` only`;
    return `a comparison (\`device.<attribute> -<operator> "<value>"\`) is expected where \`${w}\` stands`;
  }

  private notOperator(t: Token): string {
    const w = this.written(t);
    return `\`${w}\` is not an operator of the rule syntax: ${Object.values(OPERATOR_NAMES).map((o) => `\`${o}\``).join(', ')}`;
  }

  private notValue(t: Token, op: Token): string {
    const w = this.written(t);
    if (t.t === 'word') return `\`${w}\` is a string written without quotes: write \`"${w}"\` (Learn: "Double quotes are optional unless the value is a string")`;
    return `\`${this.written(op)}\` has no value after it, but \`${w}\``;
  }

  /** A token as the rule writes it. */
  private written(t: Token): string {
    return this.text !== undefined ? this.text.slice(t.at, t.end) : tokenText(t);
  }

  /** The rule does not parse: stop, and say why at the token (the last one when the rule ended early). */
  private fail(index: number, message: string): undefined {
    if (!this.failed && this.text !== undefined) {
      const t = this.tokens[Math.min(index, this.tokens.length - 1)];
      if (t) this.problem = { offset: t.at, length: t.end - t.at, kind: 'syntax', message };
    }
    this.failed = true;
    this.at = this.tokens.length;
    return undefined;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }
}

/** The attributes as Learn's table names them, for a message. */
const ATTRIBUTE_LIST = [...new Set(Object.values(ATTRIBUTES).map((r) => (r.name.startsWith('extensionAttribute') ? 'extensionAttribute1-15' : r.name)))].map((n) => `\`${n}\``).join(', ');

/** A hint for a value outside an attribute's list: the value it was likely meant as. */
function hintFor(row: AttributeRow, value: string): string {
  const v = value.toLowerCase().replace(/[^a-z]/g, '');
  if (row.name === 'trustType') {
    if (v.includes('hybrid') || v.includes('domainjoined') || v === 'serverad') return ': a hybrid joined device is `ServerAD`';
    if (v.includes('registered') || v.includes('workplace')) return ': a Microsoft Entra registered device is `Workplace`';
    if (v.includes('join') || v.includes('entra') || v.includes('azure')) return ': a Microsoft Entra joined device is `AzureAD`';
  }
  return '';
}

/** How deep parentheses and `-not` may nest before a rule is read as not parsing. */
const MAX_DEPTH = 100;

/** The operators that ask for a match; their `not…` forms (and `ne`) ask for its absence. */
const NEGATED: Record<string, string> = { ne: 'eq', notstartswith: 'startswith', notendswith: 'endswith', notcontains: 'contains', notin: 'in', notmatch: 'match' };

function compare(attr: string, op: string, value: string | string[] | null, facts: DeviceFacts): Tri {
  // An attribute or operator Learn's table does not list: whether Graph takes it, and what Entra then makes of it, is
  // not documented (`filterRuleProblems`).
  const row = ATTRIBUTES[attr];
  if (!row || !row.operators.includes(op)) return undefined;
  const positive = NEGATED[op];
  if (positive) {
    const v = compare(attr, positive, value, facts);
    return v === undefined ? undefined : !v;
  }
  // `-eq null`: every attribute of an unregistered device is null; a registered one may hold the attribute or not.
  if (value === null) return op === 'eq' && facts.registered === false ? true : undefined;
  // Every attribute of an unregistered device is null, which no positive operator matches.
  if (facts.registered === false) return false;
  if (Array.isArray(value) !== (op === 'in')) return undefined;
  // A value outside those the attribute takes matches no device (a list, none of its values that do not fit).
  const values = (Array.isArray(value) ? value : [value]).filter((v) => fits(row, v));
  if (!values.length) return false;
  switch (attr) {
    case 'iscompliant': {
      if (facts.compliant === undefined) return undefined;
      const wantsCompliant = values[0]!.toLowerCase() === 'true';
      // A compliant device is registered, and its isCompliant is true. A device that is not compliant may be
      // registered (false) or not registered at all, when the property is null and no positive operator matches it
      // (Learn, filter for devices: unregistered devices): `-eq False` is then unknown, `-eq True` false either way.
      if (facts.compliant) return wantsCompliant;
      return wantsCompliant ? false : undefined;
    }
    case 'trusttype': {
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

/**
 * Completions: keys and values from the schema at the cursor (with `@odata.type` choosing the subtype), kinds,
 * `@odata.type` values, group names, team names, platforms, licences, new-policy snippets, and settings catalog ids,
 * options and whole settings from the index (setting-completion.ts). The cursor's place in
 * the YAML is read from the text around it, so half-written documents still complete.
 */
import { isPlainObject, parseText, type JsonPath } from '../document';
import { BUILTIN_TARGET_INFO, BUILTIN_TARGETS, DLP_ALL_DEVICES, isManifestPath } from '../facts';
import { isReadOnlyProperty, rawKindOf } from '../graph';
import { KIND_NAMES, KINDS, type PolicyKind } from '../kinds';
import { LICENSES } from '../licenses';
import { PLATFORMS } from '../platforms';
import { MANIFEST_SCHEMA, POLICY_SCHEMAS, type SchemaObject } from '../schema/schemas';
import type { PolicyStore } from '../workspace';
import type { CompletionEntries, CompletionEntry, CompletionKind } from './completion-entry';
import { allowedValues, discriminatorOptions, schemaAtPath } from './schema-nav';
import { flowPlace } from './flow-context';
import { settingCompletions } from './setting-completion';
import { GRANT_OPERATORS, LIST_KEYWORDS, noncomplianceActionsNotOffered } from '../schema/graph-constraints';
import { actionPlatformOf } from '../model/compliance-actions';
import { RETIRED_GRANTS } from '../model/grants';
import type { Span } from '../types';

export type { CompletionEntries, CompletionEntry, CompletionKind } from './completion-entry';

/** The token at the cursor that an entry replaces. */
interface Token {
  /** The token, quotes included (empty at the cursor when nothing is typed there). */
  span: Span;
  /** The quote it opens with, when it is quoted. */
  quote?: '"' | "'";
  /** Its closing quote is there. */
  closed: boolean;
  /** A `:` already follows it (a key typed before its value). */
  colonFollows: boolean;
}

interface Context {
  /** Path of the object (key completion) or of the value being completed. */
  path: JsonPath;
  mode: 'key' | 'value';
  /** The partial word typed so far. */
  partial: string;
  /** Keys already present in the object (key mode). */
  siblings: string[];
  /** The settings catalog completions were given already: only the schema's remain. */
  schemaOnly?: boolean;
  /**
   * The whole token under the cursor, which an entry replaces: a client's own word (VS Code's splits at `-` and `.`)
   * would leave `grp-` or `#microsoft.graph.` of what was typed before the inserted text.
   */
  token?: Token;
  /** A JSON file: keys and values are JSON. */
  json?: boolean;
  /** In a YAML flow collection (`[a, b]`, `{ a: b }`), where `,`, `[`, `]`, `{`, `}` end a plain scalar. */
  flow?: boolean;
  /** In a JSON list, between its items: `path` is the list's, and a value completes an item. */
  listItem?: boolean;
}

/** The index of the quote that closes a string whose opening quote is before `rest`, or -1 when the line ends first. */
function closingQuote(rest: string, quote: string): number {
  for (let j = 0; j < rest.length; j++) {
    const c = rest[j];
    if (quote === '"' && c === '\\') j++;
    else if (c === quote) {
      if (quote === "'" && rest[j + 1] === "'") j++;
      else return j;
    }
  }
  return -1;
}

/** The token of a flow place (JSON, or a YAML flow collection): its quote, whether it is closed, a plain one's trailing blanks left out. */
function flowToken(text: string, span: Span, offset: number, colonFollows: boolean): Token {
  const q = text[span.offset];
  const quote = span.length > 0 && (q === '"' || q === "'") ? q : undefined;
  const end = span.offset + span.length;
  // An unclosed string's token ends at the cursor; a closed one's after its closing quote, past the cursor.
  const closed = !!quote && span.length >= 2 && end > offset && text[end - 1] === quote;
  let length = span.length;
  if (!quote) while (length > 0 && /\s/.test(text[span.offset + length - 1]!)) length--;
  return { span: { offset: span.offset, length }, quote, closed, colonFollows };
}

/**
 * The length of the part of `rest` (the line after the cursor) that belongs to a YAML scalar typed up to the cursor
 * with no closing quote after it: up to a comment (` #`), the end of the line, and, for a plain scalar, a `: ` (a
 * mapping's colon); in a flow collection up to `,`, `[`, `]`, `{`, `}` too. Trailing blanks are left out. A plain
 * scalar holds spaces (`- SG All| Staff` is one value, `SG All Staff`), so the first blank does not end it.
 */
function scalarRest(rest: string, plain: boolean, flow: boolean): number {
  let j = 0;
  for (; j < rest.length; j++) {
    const c = rest[j]!;
    if (c === '#' && (j === 0 || /[ \t]/.test(rest[j - 1]!))) break;
    if (plain && c === ':' && (j + 1 >= rest.length || /[ \t]/.test(rest[j + 1]!) || (flow && /[,[\]{}]/.test(rest[j + 1]!)))) break;
    if (flow && /[,[\]{}]/.test(c)) break;
  }
  while (j > 0 && /[ \t]/.test(rest[j - 1]!)) j--;
  return j;
}

/**
 * The token of a YAML block key or scalar whose typed part (opening quote included) ends at the cursor: a key is a
 * word; a quoted scalar ends at its closing quote; a plain one (or one whose quote is not closed yet) as `scalarRest`
 * says. `flow` is a flow list read by the line alone (`key: [a, par|`).
 */
function blockToken(text: string, offset: number, typed: string, key: boolean, flow = false): Token {
  const start = offset - typed.length;
  const q = typed[0];
  const quote = q === '"' || q === "'" ? q : undefined;
  const eol = /\r?\n|\r|$/.exec(text.slice(offset))!.index;
  const rest = text.slice(offset, offset + eol);
  const close = quote ? closingQuote(rest, quote) : -1;
  const end = close >= 0 ? offset + close + 1 : offset + (key ? /^[\w@.#$-]*/.exec(rest)![0].length : scalarRest(rest, !quote, flow));
  const colonFollows = key && /^[ \t]*:/.test(text.slice(end, end + 40));
  return { span: { offset: start, length: end - start }, quote, closed: close >= 0, colonFollows };
}

/** A string as a YAML scalar: plain when YAML reads it back as that string, else double-quoted. */
function yamlScalar(v: string, flow: boolean): string {
  const plain =
    v !== '' &&
    // An indicator first (`#` starts a comment, `@` and `` ` `` are reserved, `*`, `&`, `!` alias, anchor and tag).
    !/^[#@%*&!{}[\]|>'"`,]/.test(v) &&
    !/^[-?:](\s|$)/.test(v) &&
    !/:(\s|$)|\s#|^\s|\s$/.test(v) &&
    !(flow && /[,[\]{}]/.test(v)) &&
    // What YAML would read as another type.
    !/^(true|false|null|~|[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/i.test(v);
  return plain ? v : JSON.stringify(v);
}

/**
 * A value entry as an edit of the whole token under the cursor: inside its quotes when it is quoted (closing them when
 * they are not) unless it is a literal, which replaces the token with its quotes, else the whole token, as a JSON string in JSON (`literal` values, booleans and numbers, stay bare)
 * and quoted in YAML where a plain scalar would read otherwise (`"#microsoft.graph.windows10CompliancePolicy"`).
 */
function valueEdit(e: CompletionEntry, ctx: Context, literal: boolean): CompletionEntry {
  const tok = ctx.token;
  if (!tok || e.snippet) return e;
  const v = e.insertText ?? e.label;
  // A boolean, number or null typed in quotes (`"t|"`) would stay a string the schema refuses: the quotes go too.
  // The client filters on the range's text, the opening quote included.
  if (literal && tok.quote) return { ...e, insertText: v, replace: tok.span, filterText: `${tok.quote}${v}${tok.quote}` };
  if (tok.quote) {
    const inner = tok.quote === '"' ? JSON.stringify(v).slice(1, -1) : v.replace(/'/g, "''");
    const from = tok.span.offset + 1;
    const to = tok.span.offset + tok.span.length - (tok.closed ? 1 : 0);
    return { ...e, insertText: tok.closed ? inner : inner + tok.quote, replace: { offset: from, length: to - from } };
  }
  return { ...e, insertText: literal ? v : ctx.json ? JSON.stringify(v) : yamlScalar(v, !!ctx.flow), replace: tok.span };
}

/** Values that are no strings (booleans, numbers): inserted bare. */
function isLiteral(schema: Record<string, unknown> | undefined, v: string): boolean {
  if (!schema) return false;
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).some((x) => typeof x !== 'string' && String(x) === v);
  if (schema.const !== undefined) return typeof schema.const !== 'string';
  const t = schema.type;
  return (v === 'true' || v === 'false') && (t === 'boolean' || (Array.isArray(t) && t.includes('boolean')));
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function unquote(k: string): string {
  return k.replace(/^["']|["']$/g, '');
}

/**
 * The path of the mapping that holds a line whose content starts at column `indent`, read from the lines above.
 * A list item on the way adds index 0 (schemas are the same for every item); `skipDash` ignores sibling items.
 */
function parentPath(lines: string[], lineNo: number, indent: number, skipDash = -1): JsonPath {
  const path: JsonPath = [];
  let want = indent;
  let skip = skipDash;
  for (let l = lineNo - 1; l >= 0 && want > 0; l--) {
    const line = lines[l]!;
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const dash = /^(\s*)-(\s|$)/.exec(line);
    const dashCol = dash ? dash[1]!.length : -1;
    if (dashCol >= 0) {
      if (dashCol === skip) continue;
      if (dashCol < want) {
        // `- key:` whose key sits left of us holds our line; otherwise we are a sibling key in the item.
        const itemKey = /^(\s*-\s+)(["']?[\w@.#$-]+["']?)\s*:\s*(#.*)?$/.exec(line);
        if (itemKey && itemKey[1]!.length < want) path.unshift(unquote(itemKey[2]!));
        path.unshift(0);
        want = dashCol + 1;
        skip = dashCol;
      }
      continue;
    }
    const key = /^(\s*)(["']?[\w@.#$-]+["']?)\s*:/.exec(line);
    if (key && key[1]!.length < want) {
      path.unshift(unquote(key[2]!));
      want = key[1]!.length;
      skip = -1;
    }
  }
  return path;
}

function siblingKeys(lines: string[], lineNo: number, indent: number): string[] {
  const keys: string[] = [];
  for (const dir of [-1, 1]) {
    for (let l = lineNo + dir; l >= 0 && l < lines.length; l += dir) {
      const line = lines[l]!;
      if (!line.trim() || line.trim().startsWith('#')) continue;
      const ind = indentOf(line);
      if (ind < indent) break;
      const m = /^(\s*)(-\s+)?(["']?[\w@.#$-]+["']?)\s*:/.exec(line);
      if (ind === indent && m && !m[2]) keys.push(unquote(m[3]!));
      if (ind === indent && /^\s*-/.test(line)) break;
    }
  }
  return keys;
}

/** A line that opens a YAML block node (`key:` with nothing after it, or `- `): no flow collection goes past it. */
const BLOCK_LINE = /^\s*(?:-\s|-$|(?:-\s+)?["']?[\w@.#$-]+["']?\s*:\s*(?:#.*)?$)/;

/** Read the cursor's context from YAML text. */
export function yamlContext(text: string, offset: number): Context | undefined {
  const before = text.slice(0, offset);
  const lineStart = Math.max(before.lastIndexOf('\n') + 1, 0);
  const prefix = before.slice(lineStart);
  const lines = text.split(/\r?\n|\r/);
  const lineNo = before.split(/\r?\n|\r/).length - 1;
  // `key: { a: x, b: [y, par|` or `- { a: par|`: in a flow collection, read by the JSON scanner in YAML mode. The
  // collection may open on a line above (`builtInControls: [` then `mfa,` then the cursor).
  const inFlow = (line: string, at: number, no: number): Context | undefined => {
    const opener = /^(\s*)(-\s+)?(?:(["']?[\w@.#$-]+["']?)\s*:\s+)?(?=[[{])/.exec(line);
    if (!opener || !(opener[2] || opener[3])) return undefined;
    const place = flowPlace(text, at + opener[0].length, offset, true);
    if (!place) return undefined;
    const indent = opener[1]!.length;
    const owner = opener[2] ? [...parentPath(lines, no, indent + 1, indent), 0] : parentPath(lines, no, indent);
    const base = opener[3] ? [...owner, unquote(opener[3])] : owner;
    // A list item's index is 0 here as everywhere in YAML (schemas are the same for every item).
    const sub = place.path.map((s) => (typeof s === 'number' ? 0 : s));
    const token = flowToken(text, place.token, offset, place.mode === 'key' && place.colonFollows);
    return { path: [...base, ...sub], mode: place.mode, partial: place.quoted ? place.partial : place.partial.trim(), siblings: place.siblings, token, flow: true };
  };
  const here = inFlow(prefix, lineStart, lineNo);
  if (here) return here;
  for (let l = lineNo - 1, start = lineStart; l >= 0 && lineNo - l <= 200; l--) {
    const line = lines[l]!;
    start -= line.length + (text[start - 2] === '\r' && text[start - 1] === '\n' ? 2 : 1);
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const above = inFlow(line, start, l);
    if (above) return above;
    if (BLOCK_LINE.test(line)) break;
  }
  // `key: [a, b, par|` — an item of a flow list.
  const flow = /^(\s*)(-\s+)?(["']?[\w@.#$-]+["']?)\s*:\s*\[(?:[^\]]*,)?\s*([^,\]]*)$/.exec(prefix);
  if (flow) {
    const indent = flow[1]!.length;
    const base = flow[2] ? [...parentPath(lines, lineNo, indent + 1, indent), 0] : parentPath(lines, lineNo, indent);
    const typed = flow[4]!.trimStart();
    return { path: [...base, unquote(flow[3]!), 0], mode: 'value', partial: typed.trim(), siblings: [], token: blockToken(text, offset, typed, false, true), flow: true };
  }
  // `key: par|` — a scalar value (in its quotes it may hold a `#`: `"#microsoft.graph.win|"`).
  const value = /^(\s*)(-\s+)?(["']?[\w@.#$-]+["']?)\s*:\s+("[^"]*|'[^']*|[^"'#{[\s][^#]*)?$/.exec(prefix);
  if (value) {
    const indent = value[1]!.length;
    const base = value[2] ? [...parentPath(lines, lineNo, indent + 1, indent), 0] : parentPath(lines, lineNo, indent);
    const typed = value[4] ?? '';
    return { path: [...base, unquote(value[3]!)], mode: 'value', partial: typed.replace(/^["']/, '').trim(), siblings: [], token: blockToken(text, offset, typed, false) };
  }
  // `  - par|` — an item of a block list (a value), unless the list holds mappings.
  const item = /^(\s*)-\s+("[^"]*|'[^']*|[^"'#:\s][^:#]*)?$/.exec(prefix);
  if (item) {
    const dashIndent = item[1]!.length;
    const owner = parentPath(lines, lineNo, dashIndent + 1, dashIndent);
    const typed = item[2] ?? '';
    return { path: [...owner, 0], mode: 'value', partial: typed.replace(/^["']/, '').trim(), siblings: [], token: blockToken(text, offset, typed, false) };
  }
  // `  par|` — a key (`par|: value` when its value is there already).
  const key = /^(\s*)(["']?[\w@.#$-]*)$/.exec(prefix);
  if (key) {
    const indent = key[1]!.length;
    return { path: parentPath(lines, lineNo, indent), mode: 'key', partial: unquote(key[2]!), siblings: siblingKeys(lines, lineNo, indent), token: blockToken(text, offset, key[2]!, true) };
  }
  return undefined;
}

function schemaFor(kind: PolicyKind | 'Tenant' | undefined): SchemaObject | undefined {
  if (kind === 'Tenant') return MANIFEST_SCHEMA;
  return kind ? POLICY_SCHEMAS[kind] : undefined;
}

function snippetFor(kind: PolicyKind): string {
  const info = KINDS[kind];
  const lines = [`kind: ${kind}`, 'name: ${1:new-policy}', 'owner: ${2:' + info.team + '}', 'description: ${3:What this policy is for}'];
  if (info.assignable) lines.push('assignments:', '  include: [${4:allUsers}]');
  lines.push('spec:');
  if (info.graphTypes.length > 1 || info.odataTypeRequired) lines.push(`  "@odata.type": "#microsoft.graph.\${5|${info.graphTypes.join(',')}|}"`);
  if (kind === 'ConditionalAccessPolicy') lines.push('  displayName: ${6:Policy name}', '  state: enabledForReportingButNotEnforced', '  conditions:', '    users: { includeUsers: [All] }', '    applications: { includeApplications: [All] }', '  grantControls: { operator: OR, builtInControls: [mfa] }');
  else if (kind === 'ConfigurationProfile') lines.push('  name: ${6:Profile name}', '  platforms: windows10', '  technologies: mdm', '  settings: []');
  else if (kind === 'EndpointDlpPolicy') lines.push('  mode: TestWithNotifications', '  locations:', '    devices: { include: [All] }', '  rules:', '    - name: ${6:block-usb-copy}', '      restrictions:', '        - { activity: copyToRemovableMedia, action: block }');
  else if (kind === 'DefenderConnector') lines.push('  windowsEnabled: true');
  else lines.push('  displayName: ${6:Policy name}');
  if (kind === 'CompliancePolicy') lines.push('  scheduledActionsForRule:', '    - ruleName: PasswordRequired', '      scheduledActionConfigurations:', '        - { actionType: block, gracePeriodHours: 0 }');
  return lines.join('\n') + '\n$0';
}

function describe(s: Record<string, unknown> | undefined): string | undefined {
  if (!s) return undefined;
  const d = typeof s.description === 'string' ? s.description : undefined;
  return s['x-betaOnly'] ? `${d ?? ''}\n\n_Beta only._`.trim() : d;
}

/**
 * The items of the list at the cursor, lowercased (group ids and user principal names are compared without case), less
 * the one being typed: the text is read again with an empty string for the token under the cursor, so a name typed in
 * full is still offered where it stands. Empty when the text does not parse so, or the place holds no list.
 */
function heldItems(path: string, text: string, ctx: Context, raw: boolean): Set<string> {
  // The token becomes an empty string, which no list names and which keeps the commas of a JSON list as they were.
  const at = ctx.token?.span ?? { offset: 0, length: 0 };
  const cut = ctx.token ? `${text.slice(0, at.offset)}""${text.slice(at.offset + at.length)}` : text;
  const parsed = parseText(path, cut, 0, { lenientJson: true });
  let node: unknown = raw ? { spec: parsed.value } : parsed.value;
  // The list's own path: a YAML item's index is always 0 here, and the item typed is no member anyway.
  const listPath = typeof ctx.path[ctx.path.length - 1] === 'number' ? ctx.path.slice(0, -1) : ctx.path;
  for (const seg of listPath) node = isPlainObject(node) && typeof seg === 'string' ? node[seg] : Array.isArray(node) && typeof seg === 'number' ? node[seg] : undefined;
  return new Set(Array.isArray(node) ? node.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()) : []);
}

/** Completions at an offset of a file (its current text is passed, since it may be half-written). */
export function complete(service: PolicyStore, path: string, text: string, offset: number, forced?: Context): CompletionEntries {
  const isManifest = isManifestPath(path);
  const ctx = forced ?? (/\.json$/i.test(path) ? jsonContext(text, offset) : yamlContext(text, offset));
  if (!ctx) return [];
  const json = ctx.json;
  const facts = service.get(path);
  // Half-typed lines often break the parse; read the rest of the document without the cursor's line.
  let value = facts?.parsed.text === text ? facts.parsed.value : undefined;
  if (value === undefined) {
    const start = text.lastIndexOf('\n', offset - 1) + 1;
    const endNl = text.indexOf('\n', offset);
    value = parseText(path, text.slice(0, start) + text.slice(endNl < 0 ? text.length : endNl + 1), 0, { lenientJson: true }).value;
  }
  const kindValue = isPlainObject(value) ? value.kind : undefined;
  let kind: PolicyKind | 'Tenant' | undefined = isManifest ? 'Tenant' : typeof kindValue === 'string' && (KIND_NAMES as string[]).includes(kindValue) ? (kindValue as PolicyKind) : undefined;
  // A raw Graph export is completed as the `spec` of its kind (it cannot have a `spec` key of its own).
  const rawKind = !isManifest && !kind ? rawKindOf(value) : undefined;
  if (rawKind) {
    kind = rawKind;
    value = { kind: rawKind, spec: value };
    if (ctx.path[0] !== 'spec') return complete(service, path, text, offset, { ...ctx, path: ['spec', ...ctx.path] });
  }
  if ((kind === 'ConfigurationProfile' || kind === 'CompliancePolicy') && !ctx.schemaOnly && ctx.path[0] === 'spec' && ctx.path[1] === 'settings') {
    const found = settingCompletions({ file: path, text, offset, path: ctx.path, mode: ctx.mode, siblings: ctx.siblings, value }, service.settingsCatalog());
    // A new `- ` item of `spec.settings` gets the schema's keys too; an id or a value gets the index's answers alone.
    const keys = found && ctx.mode === 'key' && ctx.path.length === 3 ? complete(service, path, text, offset, { ...ctx, schemaOnly: true }) : [];
    if (found) return Object.assign([...found.entries, ...keys], { incomplete: found.incomplete || !!keys.incomplete });
  }
  const root = service.tenantRootOf(path);
  const manifest = service.view(root).manifest;
  const groups = manifest?.groups ?? [];
  const p = ctx.path.map((s) => (typeof s === 'number' ? '#' : s)).join('/');
  const out: CompletionEntry[] = [];
  const values = (labels: string[], kindOf: CompletionKind = 'value', detail?: string): void => {
    for (const l of labels) out.push({ label: l, kind: kindOf, detail });
  };
  // What the list being completed holds already, by name or id as written (both sides: a raw export may name a
  // group by its display name, a policy of ours by its id): not offered again.
  let held: Set<string> | undefined;
  const holds = (...names: (string | undefined)[]): boolean => {
    held ??= heldItems(path, text, ctx, !!rawKind);
    return names.some((n) => n !== undefined && held!.has(n.toLowerCase()));
  };
  const groupItems = (): void => {
    for (const g of groups) {
      if (holds(g.name, g.id)) continue;
      if (rawKind) {
        // A raw Graph export names groups by object id, as Graph requires: the name is what is shown and matched.
        if (g.id) out.push({ label: g.name, kind: 'reference', detail: `group ${g.name} · ${g.id}`, documentation: [`Inserts the object id \`${g.id}\` of the manifest group \`${g.name}\`: Graph names groups by id.`, g.description].filter(Boolean).join('\n\n'), insertText: g.id, filterText: g.name });
        continue;
      }
      out.push({ label: g.name, kind: 'reference', detail: 'group', documentation: [g.description, g.id ? `id ${g.id}` : ''].filter(Boolean).join(' · ') });
    }
  };

  // The values at the place, or 'keys' where a list of objects starts a new item.
  const literals = new Set<CompletionEntry>();
  const valuesAt = (): CompletionEntry[] | 'keys' => {
    if (p === 'kind') {
      if (isManifest) values(['Tenant'], 'keyword');
      else for (const k of KIND_NAMES) out.push({ label: k, kind: 'keyword', detail: `layer ${KINDS[k].layer}`, documentation: KINDS[k].summary });
      return out;
    }
    if (p === 'owner') {
      values(manifest?.teams ?? [], 'reference', 'team');
      return out;
    }
    if (/^assignments\/(include|exclude)\/#$/.test(p) || /^assignments\/(include|exclude)$/.test(p)) {
      if (p.includes('include')) for (const b of BUILTIN_TARGETS) out.push({ label: b, kind: 'keyword', detail: 'built-in target', documentation: `${BUILTIN_TARGET_INFO[b].summary} (\`${BUILTIN_TARGET_INFO[b].graphType}\`)` });
      groupItems();
      return out;
    }
    if (/^spec\/conditions\/users\/(include|exclude)Groups(\/#)?$/.test(p) || /^breakGlass\/groups(\/#)?$/.test(p) || (rawKind && p === 'spec/assignments/#/target/groupId')) {
      groupItems();
      return out;
    }
    // The keywords of a CA policy's user, application and location lists (an exclusion takes neither `All` nor `None`).
    const list = kind === 'ConditionalAccessPolicy' ? LIST_KEYWORDS.find((l) => l.keys.some((k) => p === ['spec', ...l.at, k].join('/') || p === ['spec', ...l.at, k, '#'].join('/'))) : undefined;
    if (list) {
      const include = /\/include\w+(\/#)?$/.test(p);
      values((include ? [...list.words] : list.words.filter((w) => w !== 'All' && w !== 'None')).filter((w) => !holds(w)), 'keyword');
      if (list.at[1] === 'users') values((manifest?.breakGlass.users ?? []).filter((u) => !holds(u)), 'reference', 'break-glass user');
      return out;
    }
    if (kind === 'ConditionalAccessPolicy' && p === 'spec/grantControls/operator') {
      values([...GRANT_OPERATORS], 'enum');
      return out;
    }
    if (/^spec\/locations\/devices\/(include|exclude)(\/#)?$/.test(p)) {
      if (p.includes('include')) values([DLP_ALL_DEVICES], 'keyword', 'built-in target');
      groupItems();
      return out;
    }
    if (isManifest && /^platforms(\/#)?$/.test(p)) {
      values(PLATFORMS.filter((pl) => !holds(pl)), 'enum', 'platform');
      return out;
    }
    if (isManifest && /^licenses(\/#)?$/.test(p)) {
      for (const l of LICENSES) if (!holds(l.id)) out.push({ label: l.id, kind: 'enum', detail: l.name, documentation: `Layers ${l.layers.join(', ') || '—'}${l.conditionalAccess ? ' · Conditional Access' : ''}${l.entraIdP2 ? ' · Entra ID P2' : ''}\n\nSource: ${l.source}` });
      return out;
    }
    const schemaRoot = schemaFor(kind);
    if (!schemaRoot) return out;
    const last = ctx.path[ctx.path.length - 1];
    if (last === '@odata.type') {
      const parentSchema = schemaAtPath(schemaRoot, value, ctx.path.slice(0, -1));
      const raw = rawSchemaAt(schemaRoot, ctx.path.slice(0, -1));
      const opts = discriminatorOptions(schemaRoot, raw ?? parentSchema.schema);
      const single = (parentSchema.schema?.properties as Record<string, Record<string, unknown>> | undefined)?.['@odata.type']?.const;
      values(opts.length ? opts : typeof single === 'string' ? [single] : [], 'enum', '@odata.type');
      return out;
    }
    let { schema } = schemaAtPath(schemaRoot, value, ctx.path);
    // Between the items of a JSON list: complete an item.
    if (ctx.listItem && schema?.items) schema = schemaAtPath(schemaRoot, value, [...ctx.path, 0]).schema;
    if (schema && (schema.properties || Array.isArray(schema.oneOf))) {
      // `- |` in a list of objects starts a new item: offer its keys (in JSON an object needs its braces first).
      return 'keys';
    }
    const betas = (schema?.['x-betaMembers'] as string[] | undefined) ?? [];
    // What the portal does not offer for the policy's platform (the actionType hover says the same) is left out.
    const platform = last === 'actionType' && kind === 'CompliancePolicy' && isPlainObject(value) && isPlainObject(value.spec) ? actionPlatformOf(value.spec) : undefined;
    const notOffered = platform ? noncomplianceActionsNotOffered(platform) : [];
    const controls = kind === 'ConditionalAccessPolicy' && /^spec\/grantControls\/builtInControls(\/#)?$/.test(p);
    for (const v of allowedValues(schema)) {
      // A list of enum values (grant controls, client app types, platforms) is not offered what it holds already.
      if (notOffered.includes(v) || holds(v)) continue;
      const retired = controls ? RETIRED_GRANTS[v] : undefined;
      if (retired) {
        out.push({ label: v, kind: 'enum', detail: `retired in ${retired.retired}, no longer enforced: use ${retired.successor}`, documentation: describe(schema), sortText: `9${v}` });
        continue;
      }
      out.push({ label: v, kind: 'enum', detail: betas.includes(v) ? 'beta only' : undefined, documentation: describe(schema), sortText: `1${v}` });
      if (isLiteral(schema, v)) literals.add(out[out.length - 1]!);
    }
    return out;
  };
  if (ctx.mode === 'value') {
    const found = valuesAt();
    // `- |` in a list of objects starts a new item: offer its keys (in JSON an object needs its braces first).
    if (found === 'keys') return json ? [] : complete(service, path, text, offset, { ...ctx, mode: 'key' });
    return found.map((e) => valueEdit(e, ctx, literals.has(e)));
  }

  // Keys replace the whole token typed: in JSON `"key": ` (only `"key"` when its `:` is there, and `"key": ,` when
  // another property follows with no comma between), in YAML `key: ` (only `key` before its `:`), quoted where needed.
  const tok = ctx.token;
  const keyInsert = (name: string): Pick<CompletionEntry, 'insertText' | 'replace' | 'filterText' | 'snippet'> => {
    if (json) {
      const quoted = JSON.stringify(name);
      if (tok?.colonFollows) return { insertText: quoted, replace: tok.span, filterText: tok.quote ? quoted : name };
      const after = tok ? tok.span.offset + tok.span.length : offset;
      if (/^\s*"/.test(text.slice(after))) return { insertText: `${quoted.replace(/[$}\\]/g, '\\$&')}: $0,`, snippet: true, replace: tok?.span, filterText: tok?.quote ? quoted : name };
      return { insertText: `${quoted}: `, replace: tok?.span, filterText: tok?.quote ? quoted : name };
    }
    const quote = tok?.quote ?? (/^[A-Za-z_][\w]*$/.test(name) ? '' : '"');
    const k = quote === '"' ? JSON.stringify(name) : quote === "'" ? `'${name.replace(/'/g, "''")}'` : name;
    return { insertText: tok?.colonFollows ? k : `${k}: `, replace: tok?.span, filterText: tok?.quote ? `${tok.quote}${name}` : name };
  };
  if (ctx.path.length === 0 && !kind && !isManifest) {
    if (!json) for (const k of KIND_NAMES) out.push({ label: `${k} policy`, kind: 'snippet', detail: `new ${k} (layer ${KINDS[k].layer})`, insertText: snippetFor(k), snippet: true, documentation: KINDS[k].summary });
    if (!ctx.siblings.includes('kind')) out.push({ label: 'kind', kind: 'property', ...keyInsert('kind'), detail: 'policy kind' });
    return out;
  }
  const schemaRoot = schemaFor(kind);
  if (!schemaRoot) return out;
  const { schema } = schemaAtPath(schemaRoot, value, ctx.path);
  let objectSchema = schema;
  if (objectSchema && Array.isArray(objectSchema.oneOf)) {
    // No @odata.type yet: offer it first, it decides the rest.
    if (!ctx.siblings.includes('@odata.type')) out.push({ label: '@odata.type', kind: 'property', ...keyInsert('@odata.type'), detail: 'choose the Graph type first', sortText: '0' });
    objectSchema = undefined;
  }
  const props = (objectSchema?.properties as Record<string, Record<string, unknown>> | undefined) ?? {};
  const required = new Set((objectSchema?.required as string[] | undefined) ?? []);
  const atSpecRoot = ctx.path.length === 1 && ctx.path[0] === 'spec';
  for (const [name, s] of Object.entries(props)) {
    if (ctx.siblings.includes(name)) continue;
    if (name === '@odata.type' && !required.has(name)) continue;
    // What Graph sets itself (ids, timestamps, counters) comes last: an author has no reason to write it.
    const readOnly = isReadOnlyProperty(name, atSpecRoot);
    out.push({
      label: name,
      kind: 'property',
      detail: `${required.has(name) ? 'required · ' : ''}${readOnly ? 'read-only, set by Graph · ' : ''}${s['x-betaOnly'] ? 'beta · ' : ''}${typeof s['x-graphType'] === 'string' ? String(s['x-graphType']) : typeof s.type === 'string' ? s.type : ''}`.replace(/ · $/, ''),
      documentation: describe(s),
      ...keyInsert(name),
      sortText: `${required.has(name) ? '1' : readOnly ? '9' : '2'}${name}`,
    });
  }
  return out;
}

/** The un-resolved schema node at a path (to find discriminated unions before a subtype is chosen). */
function rawSchemaAt(root: SchemaObject, path: JsonPath): Record<string, unknown> | undefined {
  const { schema } = schemaAtPath(root, {}, path);
  return schema;
}

/**
 * The cursor's context in a JSON file, read from its text (a key being typed does not parse): the path with its real
 * list indices, and the token a key completion replaces.
 */
function jsonContext(text: string, offset: number): Context | undefined {
  const start = text.search(/[[{]/);
  if (start < 0 || start >= offset) return undefined;
  const place = flowPlace(text, start, offset, false);
  if (!place) return undefined;
  const token = flowToken(text, place.token, offset, place.mode === 'key' && place.colonFollows);
  // Between the items of a list (nothing typed yet) the place is the list itself, where a new item goes.
  const path = place.inArray && place.token.length === 0 ? place.path.slice(0, -1) : place.path;
  return { path, mode: place.mode, partial: place.partial, siblings: place.siblings, token, json: true, listItem: place.inArray && place.token.length === 0 };
}

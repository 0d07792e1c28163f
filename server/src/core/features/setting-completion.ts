/**
 * Completions for settings catalog bodies, from the settings catalog index: definition ids (matched by id and by the
 * words of their display name, filtered to the policy's platforms, full definitions first), a choice setting's
 * options, and snippets that insert a whole setting of the right instance type for a definition.
 */
import { isPlainObject, valueAtPath, type JsonPath } from '../document';
import type { SettingInfo, SettingsCatalog } from '../settings-catalog/catalog';
import { ownerOfValue, platformFamily } from '../settings-catalog/conventions';
import type { Span } from '../types';
import type { CompletionEntry } from './completion-entry';
import { settingSnippet } from './setting-snippet';

/** At most this many ids or snippets are returned; the list is then marked incomplete, so typing asks again. */
export const MAX_SETTING_COMPLETIONS = 200;

/** What the caller (completion.ts) knows of the place being completed. */
export interface SettingCompletionPlace {
  /** The file's path (`.json` completes JSON). */
  file: string;
  text: string;
  offset: number;
  /** The completion context's path, `spec` first (list indices are 0 in YAML: read from the text above). */
  path: JsonPath;
  mode: 'key' | 'value';
  /** Keys already present in the object (key mode). */
  siblings: string[];
  /** The policy as `{ kind, spec }` (a raw export wrapped), read from the text without the cursor's line. */
  value: unknown;
}

export interface SettingCompletions {
  entries: CompletionEntry[];
  /** Cut to the best matches or filtered by what was typed: the host should ask again as typing goes on. */
  incomplete: boolean;
}

const isJson = (file: string): boolean => /\.json$/i.test(file);
const flags = (v: unknown): string[] => (typeof v === 'string' ? v.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'none') : []);

/** The settings catalog completions at a place, or undefined when the place is not a settings catalog id or value. */
export function settingCompletions(place: SettingCompletionPlace, catalog: SettingsCatalog | undefined): SettingCompletions | undefined {
  if (!catalog || place.path[0] !== 'spec' || place.path[1] !== 'settings') return undefined;
  const p = place.path.map((s) => (typeof s === 'number' ? '#' : s)).join('/');
  if (place.mode === 'value' && p.endsWith('/settingDefinitionId')) return idCompletions(place, catalog);
  if (place.mode === 'value' && (/\/choiceSettingValue\/value$/.test(p) || /\/choiceSettingCollectionValue\/#\/value$/.test(p))) return choiceCompletions(place, catalog);
  const newItem = (p === 'spec/settings/#' && place.mode === 'key' && place.siblings.length === 0) || (p === 'spec/settings' && (isJson(place.file) ? place.mode === 'value' : place.mode === 'key'));
  return newItem ? snippetCompletions(place, catalog) : undefined;
}

/** The typed part of a scalar value before the cursor (inside its quotes) and where it starts. */
function typedValue(text: string, offset: number, json: boolean): { partial: string; replace: Span; quoted: boolean } {
  const prefix = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  const m = json ? /:\s*(")([^"]*)$/.exec(prefix) ?? /()([^\s:,[{"]*)$/.exec(prefix) : /:\s+(["']?)([^#]*)$/.exec(prefix) ?? /-\s+(["']?)([^#]*)$/.exec(prefix);
  const partial = m?.[2] ?? '';
  return { partial, replace: { offset: offset - partial.length, length: partial.length }, quoted: !!m?.[1] };
}

/** Every word of `query` in the setting's id, display name or category, and how well it matches (lower is better). */
export function matchRank(info: SettingInfo, query: string): number | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const name = info.displayName?.toLowerCase() ?? '';
  if (info.id.startsWith(q)) return 0;
  if (name.startsWith(q)) return 1;
  const words = q.split(/\s+/);
  if (words.every((w) => name.includes(w))) return 2;
  if (words.every((w) => info.id.includes(w))) return 3;
  const all = `${info.id} ${name} ${info.categoryPath.join(' ').toLowerCase()}`;
  return words.every((w) => all.includes(w)) ? 4 : undefined;
}

/** Whether a setting can sit in a policy for `platforms` (Graph's flags, lower case; none: any). */
export function fitsPlatforms(info: SettingInfo, platforms: string[]): boolean {
  if (!platforms.length) return true;
  const own = info.platforms.length ? info.platforms : platformFamily(info.id)?.platforms ?? [];
  return !own.length || own.some((x) => platforms.includes(x.toLowerCase()));
}

/** The settings matching what was typed and the policy's platforms, best first: full definitions, then match, then name. */
function rankedSettings(catalog: SettingsCatalog, query: string, platforms: string[], only?: (info: SettingInfo) => boolean): { infos: SettingInfo[]; cut: boolean } {
  const found: { info: SettingInfo; rank: number }[] = [];
  for (const id of catalog.ids()) {
    const info = catalog.get(id);
    if (!info || (only && !only(info)) || !fitsPlatforms(info, platforms)) continue;
    const rank = matchRank(info, query);
    if (rank !== undefined) found.push({ info, rank });
  }
  found.sort((a, b) => Number(!a.info.defined) - Number(!b.info.defined) || a.rank - b.rank || (a.info.displayName ?? a.info.id).localeCompare(b.info.displayName ?? b.info.id) || a.info.id.localeCompare(b.info.id));
  return { infos: found.slice(0, MAX_SETTING_COMPLETIONS).map((f) => f.info), cut: found.length > MAX_SETTING_COMPLETIONS };
}

const sortKey = (i: number): string => String(i).padStart(4, '0');

function policyPlatforms(value: unknown): string[] {
  const spec = isPlainObject(value) ? value.spec : undefined;
  return flags(isPlainObject(spec) ? spec.platforms : undefined);
}

function idCompletions(place: SettingCompletionPlace, catalog: SettingsCatalog): SettingCompletions {
  const json = isJson(place.file);
  const typed = typedValue(place.text, place.offset, json);
  const { infos, cut } = rankedSettings(catalog, typed.partial, policyPlatforms(place.value));
  const entries = infos.map((info, i): CompletionEntry => ({
    label: info.id,
    kind: 'value',
    detail: info.displayName ?? `seen in real exports · ${info.kind}`,
    documentation: [info.description, info.categoryPath.join(' › '), info.defined ? '' : 'The shipped settings catalog index has no definition for this setting.'].filter(Boolean).join('\n\n') || undefined,
    filterText: [typed.partial.includes(' ') ? '' : info.id, info.displayName].filter(Boolean).join(' ') || info.id,
    insertText: json && !typed.quoted ? JSON.stringify(info.id) : info.id,
    replace: typed.replace,
    sortText: sortKey(i),
  }));
  return { entries, incomplete: cut || typed.partial.trim() !== '' };
}

/** The `settingDefinitionId` of the instance holding the choice value being completed. */
function enclosingSettingId(place: SettingCompletionPlace): string | undefined {
  if (isJson(place.file)) {
    // A JSON context has the real path (with its list indices): the instance is the object above the value.
    const cut = place.path[place.path.length - 2] === 'choiceSettingValue' ? 2 : 3;
    const instance = valueAtPath(place.value, place.path.slice(0, -cut));
    return isPlainObject(instance) && typeof instance.settingDefinitionId === 'string' ? instance.settingDefinitionId : undefined;
  }
  return yamlInstanceId(place.text, place.offset);
}

interface YamlLine {
  indent: number;
  /** The column of the line's key (after `- `), when the line holds one. */
  keyCol?: number;
  key?: string;
  rest?: string;
  dash: boolean;
}

function readLine(line: string): YamlLine | undefined {
  if (!line.trim() || line.trim().startsWith('#')) return undefined;
  const m = /^(\s*)(-\s+)?(?:(["']?)([\w@.#$-]+)\3\s*:(?:\s+(.*)|\s*)$)?/.exec(line)!;
  const indent = m[1]!.length;
  const dash = !!m[2] || /^\s*-(\s|$)/.test(line);
  return m[4] !== undefined ? { indent, dash, keyCol: indent + (m[2]?.length ?? 0), key: m[4], rest: m[5] ?? '' } : { indent, dash };
}

/**
 * The `settingDefinitionId` beside the mapping key that holds the cursor's line (`choiceSettingValue:` or
 * `choiceSettingCollectionValue:`), read from the YAML text: the document may not parse while it is being typed.
 */
export function yamlInstanceId(text: string, offset: number): string | undefined {
  const lines = text.split(/\r?\n|\r/);
  const lineNo = text.slice(0, offset).split(/\r?\n|\r/).length - 1;
  const here = readLine(lines[lineNo]!);
  if (here?.keyCol === undefined) return undefined;
  let owner = -1;
  for (let l = lineNo - 1; l >= 0 && owner < 0; l--) {
    const y = readLine(lines[l]!);
    if (y?.keyCol !== undefined && y.keyCol < here.keyCol) owner = l;
  }
  const col = owner >= 0 ? readLine(lines[owner]!)!.keyCol! : -1;
  if (col < 0) return undefined;
  // Siblings of the owner key: the same key column, within the same mapping (up to the item's dash, down to the next).
  for (const dir of [-1, 1]) {
    for (let l = owner + dir; l >= 0 && l < lines.length; l += dir) {
      const y = readLine(lines[l]!);
      if (!y || y.indent > col || (y.indent === col && y.dash)) continue;
      if (y.keyCol !== col || (dir === 1 && y.dash)) break;
      if (y.key === 'settingDefinitionId') return y.rest!.replace(/\s+#.*$/, '').trim().replace(/^(["'])(.*)\1$/, '$2') || undefined;
      if (y.dash) break;
    }
  }
  return undefined;
}

function choiceCompletions(place: SettingCompletionPlace, catalog: SettingsCatalog): SettingCompletions | undefined {
  const json = isJson(place.file);
  const typed = typedValue(place.text, place.offset, json);
  const id = enclosingSettingId(place) ?? (typed.partial ? ownerOfValue(typed.partial, catalog)?.id : undefined);
  const info = id ? catalog.get(id) : undefined;
  if (!info?.options.length) return undefined;
  const name = info.displayName ?? info.id;
  const entries = info.options.map((o, i): CompletionEntry => ({
    label: o.id,
    kind: 'enum',
    detail: info.defined ? `${o.name}${info.defaultValue === o.id ? ' (default)' : ''}` : 'seen in real exports',
    documentation: info.defined ? `**${o.name}**${o.value !== undefined ? ` (value ${o.value})` : ''}: option of **${name}** (\`${info.id}\`).${info.description ? `\n\n${info.description}` : ''}` : `A value of \`${info.id}\` seen in real exports; the shipped settings catalog index has no definition for this setting.`,
    filterText: info.defined ? `${o.id} ${o.name}` : o.id,
    insertText: json && !typed.quoted ? JSON.stringify(o.id) : o.id,
    replace: typed.replace,
    sortText: sortKey(i),
  }));
  return { entries, incomplete: false };
}

function snippetCompletions(place: SettingCompletionPlace, catalog: SettingsCatalog): SettingCompletions {
  const json = isJson(place.file);
  const lineStart = place.text.lastIndexOf('\n', place.offset - 1) + 1;
  const prefix = place.text.slice(lineStart, place.offset);
  const item = /^(\s*)(-\s+)?(.*)$/.exec(prefix)!;
  const typed = json ? typedValue(place.text, place.offset, true).partial : item[3]!;
  const { infos, cut } = rankedSettings(catalog, typed, policyPlatforms(place.value), (info) => info.defined && info.kind !== 'redirect');
  const unit = indentUnit(place.text);
  // The text carries its own indentation (hosts insert it as is): the column its first line starts at.
  const column = json ? item[1]!.length : item[1]!.length + (item[2]?.length ?? 2);
  // In a JSON list, an item inserted before another needs the comma between them.
  const comma = json && /^\s*\{/.test(place.text.slice(place.offset)) ? ',' : '';
  const entries = infos.map((info, i): CompletionEntry => {
    const body = settingSnippet(info, json ? 'json' : 'yaml', unit, column) + comma;
    return {
      label: `settings catalog setting: ${info.displayName ?? info.id}`,
      kind: 'snippet',
      detail: info.id,
      documentation: [info.description, info.categoryPath.join(' › ')].filter(Boolean).join('\n\n') || undefined,
      filterText: `${info.displayName ?? ''} ${info.id}`.trim(),
      insertText: json || item[2] ? body : `- ${body}`,
      snippet: true,
      keepIndentation: true,
      replace: { offset: place.offset - typed.length, length: typed.length },
      sortText: sortKey(i),
    };
  });
  return { entries, incomplete: cut || typed.trim() !== '' };
}

/** The document's indentation step (the smallest indentation of a line), 2 when nothing is indented. */
function indentUnit(text: string): number {
  let unit = 0;
  for (const m of text.matchAll(/^( +)\S/gm)) if (!unit || m[1]!.length < unit) unit = m[1]!.length;
  return unit >= 2 && unit <= 8 ? unit : 2;
}

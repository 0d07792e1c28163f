/**
 * The snippet that inserts a whole settings catalog setting for a definition: the `deviceManagementConfigurationSetting`
 * wrapper, the instance of the definition's kind, its id and a value (the default, or the first option) on a tab
 * stop, in YAML or JSON, indented from the column the snippet starts at.
 */
import type { SettingInfo } from '../settings-catalog/catalog';

const GRAPH = '#microsoft.graph.deviceManagementConfiguration';

/** The instance `@odata.type` of each definition kind. */
export const INSTANCE_TYPES: Record<Exclude<SettingInfo['kind'], 'redirect'>, string> = {
  choice: `${GRAPH}ChoiceSettingInstance`,
  choiceCollection: `${GRAPH}ChoiceSettingCollectionInstance`,
  simple: `${GRAPH}SimpleSettingInstance`,
  simpleCollection: `${GRAPH}SimpleSettingCollectionInstance`,
  group: `${GRAPH}GroupSettingInstance`,
  groupCollection: `${GRAPH}GroupSettingCollectionInstance`,
};

/** A tab stop: snippet text, written as an id (plain in YAML, quoted in JSON), a string (quoted) or a number. */
class TabStop {
  constructor(
    readonly text: string,
    readonly as: 'id' | 'string' | 'number',
  ) {}
}

type Tree = string | number | TabStop | Tree[] | { [key: string]: Tree };

/** Snippet syntax: `$`, `}` and `\` are literal only when escaped; inside a choice, `,`, `|` and `\`. */
const escapeText = (s: string): string => s.replace(/[\\$}]/g, '\\$&');
const escapeChoice = (s: string): string => s.replace(/[\\,|]/g, '\\$&');

/** Up to this many options become a choice tab stop; more become a placeholder holding the default. */
const MAX_CHOICES = 30;

function valueTab(info: SettingInfo): TabStop {
  if (info.options.length) {
    const first = info.options.find((o) => o.id === info.defaultValue) ?? info.options[0]!;
    if (info.options.length > MAX_CHOICES) return new TabStop(`\${1:${escapeText(first.id)}}`, 'id');
    const ordered = [first, ...info.options.filter((o) => o !== first)];
    return new TabStop(`\${1|${ordered.map((o) => escapeChoice(o.id)).join(',')}|}`, 'id');
  }
  const c = info.constraint;
  if (c?.type === 'integer') {
    const n = typeof info.defaultValue === 'number' ? info.defaultValue : c.min ?? 0;
    return new TabStop(`\${1:${n}}`, 'number');
  }
  const def = typeof info.defaultValue === 'string' || typeof info.defaultValue === 'number' ? String(info.defaultValue) : '';
  return new TabStop(def ? `\${1:${escapeText(JSON.stringify(def).slice(1, -1))}}` : '$1', 'string');
}

function simpleValue(info: SettingInfo): Record<string, Tree> {
  const c = info.constraint;
  const type = c?.type === 'integer' ? 'Integer' : c?.type === 'secret' ? 'Secret' : 'String';
  const out: Record<string, Tree> = { '@odata.type': `${GRAPH}${type}SettingValue`, value: valueTab(info) };
  // A secret is written in clear text and encrypted by Graph; reads return a token, never the secret.
  if (type === 'Secret') out.valueState = 'notEncrypted';
  return out;
}

/** The setting's whole `deviceManagementConfigurationSetting`, as a tree with one tab stop on its value. */
function settingTree(info: SettingInfo): Record<string, Tree> {
  const kind = info.kind === 'redirect' ? 'choice' : info.kind;
  const instance: Record<string, Tree> = { '@odata.type': INSTANCE_TYPES[kind], settingDefinitionId: info.id };
  if (kind === 'choice') instance.choiceSettingValue = { value: valueTab(info), children: [] };
  else if (kind === 'choiceCollection') instance.choiceSettingCollectionValue = [{ value: valueTab(info), children: [] }];
  else if (kind === 'simple') instance.simpleSettingValue = simpleValue(info);
  else if (kind === 'simpleCollection') instance.simpleSettingCollectionValue = [simpleValue(info)];
  else if (kind === 'group') instance.groupSettingValue = { children: [] };
  else instance.groupSettingCollectionValue = [{ children: [] }];
  return { '@odata.type': `${GRAPH}Setting`, settingInstance: instance };
}

const isObject = (t: Tree): t is { [key: string]: Tree } => typeof t === 'object' && !(t instanceof TabStop) && !Array.isArray(t);

function yamlScalar(t: Tree): string {
  if (t instanceof TabStop) return t.as === 'string' ? `"${t.text}"` : t.text;
  if (typeof t === 'number') return String(t);
  if (Array.isArray(t) && !t.length) return '[]';
  const s = String(t);
  const plain = /^[A-Za-z_][\w.{}$-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s);
  return escapeText(plain ? s : JSON.stringify(s));
}

function yamlLines(tree: { [key: string]: Tree }, col: number, unit: number, out: string[]): void {
  for (const [key, v] of Object.entries(tree)) {
    const k = escapeText(/^[A-Za-z_]\w*$/.test(key) ? key : JSON.stringify(key));
    const pad = ' '.repeat(col);
    if (isObject(v)) {
      out.push(`${pad}${k}:`);
      yamlLines(v, col + unit, unit, out);
    } else if (Array.isArray(v) && v.length) {
      out.push(`${pad}${k}:`);
      for (const item of v) {
        const start = out.length;
        if (isObject(item)) yamlLines(item, col + unit + 2, unit, out);
        else out.push(`${' '.repeat(col + unit + 2)}${yamlScalar(item)}`);
        out[start] = `${' '.repeat(col + unit)}- ${out[start]!.trimStart()}`;
      }
    } else {
      out.push(`${pad}${k}: ${yamlScalar(v)}`);
    }
  }
}

function jsonText(t: Tree, col: number, unit: number): string {
  if (t instanceof TabStop) return t.as === 'number' ? t.text : `"${t.text}"`;
  if (typeof t === 'number') return String(t);
  if (typeof t === 'string') return escapeText(JSON.stringify(t));
  const inner = ' '.repeat(col + unit);
  if (Array.isArray(t)) return t.length ? `[\n${t.map((x) => inner + jsonText(x, col + unit, unit)).join(',\n')}\n${' '.repeat(col)}]` : '[]';
  const entries = Object.entries(t).map(([k, v]) => `${inner}${escapeText(JSON.stringify(k))}: ${jsonText(v, col + unit, unit)}`);
  return `{\n${entries.join(',\n')}\n${' '.repeat(col)}}`;
}

/**
 * The snippet text of a whole setting for `info`. Its first line starts at the cursor; the others carry the
 * indentation of `column` (where the first line starts) plus their depth, `unit` spaces a level.
 */
export function settingSnippet(info: SettingInfo, format: 'yaml' | 'json', unit: number, column: number): string {
  const tree = settingTree(info);
  if (format === 'json') return `${jsonText(tree, column, unit)}$0`;
  const lines: string[] = [];
  yamlLines(tree, column, unit, lines);
  lines[0] = lines[0]!.trimStart();
  return `${lines.join('\n')}$0`;
}

/**
 * Hovers on settings catalog instances, from the settings catalog index: on a `settingDefinitionId` what the setting
 * is (name, category, description, platforms, CSP or payload path, allowed values, default, docs); on a choice value
 * the chosen option among the others; on a simple value the setting and its constraint. An id the index only saw in
 * real exports says what is known of it and how to get its definition.
 */
import type { JsonPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { SettingInfo, SettingOption, SettingsCatalog, ValueConstraint } from '../settings-catalog/catalog';
import { platformFamily } from '../settings-catalog/conventions';
import { settingInstances, type SettingInstanceRef } from '../settings-catalog/instances';

/** How many options a hover lists before it says how many more there are. */
const MAX_OPTIONS = 20;

const KIND_LABELS: Record<SettingInfo['kind'], string> = {
  choice: 'choice setting',
  choiceCollection: 'choice collection setting',
  simple: 'simple setting',
  simpleCollection: 'simple collection setting',
  group: 'group setting',
  groupCollection: 'group collection setting',
  redirect: 'redirect setting',
};

const HOW_TO_DEFINE =
  "To check it against Graph's full catalog, run `ztp check --settings-catalog` with Graph's setting definitions (the output of `GET /beta/deviceManagement/configurationSettings`); see docs/settings-catalog.md.";

const sameOffsets = (a: JsonPath, b: JsonPath): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
const code = (s: string | number): string => `\`${String(s).replace(/`/g, "'")}\``;

/** The setting a settings catalog value belongs to, and what of it sits at `specPath`. */
export type SettingSite =
  | { on: 'id'; instance: SettingInstanceRef }
  | { on: 'choice'; instance: SettingInstanceRef; value: string }
  | { on: 'simple'; instance: SettingInstanceRef; value: unknown };

/** What of a settings catalog body is at a path relative to `spec` (an id, a choice value or a simple value). */
export function settingSiteAt(spec: Record<string, unknown> | undefined, specPath: JsonPath): SettingSite | undefined {
  for (const instance of settingInstances(spec)) {
    if (sameOffsets(instance.idPath, specPath)) return { on: 'id', instance };
    const choice = instance.choices.find((c) => sameOffsets(c.path, specPath));
    if (choice) return { on: 'choice', instance, value: choice.value };
    const simple = instance.simple.find((s) => sameOffsets(s.path, specPath));
    if (simple) return { on: 'simple', instance, value: simple.value };
  }
  return undefined;
}

/** The hover Markdown for a settings catalog id or value at `at` (a path from the policy's root, `spec` first). */
export function settingHover(file: PolicyFacts, at: JsonPath, catalog: SettingsCatalog | undefined): string | undefined {
  if (!catalog || at[0] !== 'spec' || !file.spec) return undefined;
  const site = settingSiteAt(file.spec, at.slice(1));
  if (!site) return undefined;
  const info = catalog.get(site.instance.id);
  if (!info) return unknownMarkdown(site.instance.id, catalog);
  if (site.on === 'id') return info.defined ? definitionMarkdown(info, catalog) : observedMarkdown(info, catalog);
  if (site.on === 'choice') return choiceMarkdown(info, site.value, catalog);
  return simpleMarkdown(info, site.value, catalog);
}

/** `Name` (`id`), or the id alone when the index has no display name. */
function settingLabel(info: SettingInfo): string {
  return info.displayName ? `**${info.displayName}** (${code(info.id)})` : code(info.id);
}

function footer(catalog: SettingsCatalog): string {
  return `_Settings catalog index: ${catalog.source}, snapshot ${catalog.snapshot}._`;
}

function optionLine(o: SettingOption, info: SettingInfo, chosen?: string): string {
  const marks = [o.value !== undefined ? `value ${o.value}` : '', info.defaultValue === o.id ? 'default' : ''].filter(Boolean);
  return `- ${o.id === chosen ? '▶ ' : ''}${o.name !== o.id ? `${o.name} — ` : ''}${code(o.id)}${marks.length ? ` (${marks.join(', ')})` : ''}`;
}

function optionLines(info: SettingInfo, chosen?: string, skipChosen = false): string[] {
  const options = skipChosen ? info.options.filter((o) => o.id !== chosen) : info.options;
  const lines = options.slice(0, MAX_OPTIONS).map((o) => optionLine(o, info, skipChosen ? undefined : chosen));
  if (options.length > MAX_OPTIONS) lines.push(`- … and ${options.length - MAX_OPTIONS} more`);
  return lines;
}

/** A simple value's constraint in words: `integer, 3–10`, `string, at most 255 characters`. */
export function constraintText(c: ValueConstraint | undefined, collection = false): string | undefined {
  if (!c) return undefined;
  const parts: string[] = [c.type === 'secret' ? 'secret string (write-only: Graph returns it encrypted)' : c.type];
  if (c.min !== undefined && c.max !== undefined) parts.push(`${c.min}–${c.max}`);
  else if (c.min !== undefined) parts.push(`at least ${c.min}`);
  else if (c.max !== undefined) parts.push(`at most ${c.max}`);
  if (c.minLength !== undefined && c.maxLength !== undefined) parts.push(`${c.minLength}–${c.maxLength} characters`);
  else if (c.maxLength !== undefined) parts.push(`at most ${c.maxLength} characters`);
  else if (c.minLength !== undefined) parts.push(`at least ${c.minLength} characters`);
  if (c.pattern) parts.push(`matching ${code(c.pattern)}`);
  return `${collection ? 'a list of values, each a ' : ''}${parts.join(', ')}`;
}

function pathLine(info: SettingInfo): string | undefined {
  if (!info.cspPath) return undefined;
  return `${platformFamily(info.id)?.family === 'Windows' ? 'CSP' : 'Payload'}: ${code(info.cspPath)}`;
}

function platformLine(info: SettingInfo): string | undefined {
  const parts = [info.platforms.length ? `Platforms: ${info.platforms.join(', ')}` : '', info.technologies.length ? `technologies: ${info.technologies.join(', ')}` : ''].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

function defaultText(info: SettingInfo): string | undefined {
  if (info.defaultValue === undefined) return undefined;
  const option = info.options.find((o) => o.id === info.defaultValue);
  return option ? `${option.name} (${code(option.id)})` : code(info.defaultValue);
}

function childrenLine(info: SettingInfo, catalog: SettingsCatalog): string | undefined {
  if (!info.kind.startsWith('group') || !info.children.length) return undefined;
  const names = info.children.slice(0, 8).map((id) => catalog.get(id)?.displayName ?? code(id));
  const more = info.children.length > 8 ? `, … (${info.children.length} in all)` : '';
  return `Holds: ${names.join(', ')}${more}`;
}

/** The hover of a fully defined setting's id. */
export function definitionMarkdown(info: SettingInfo, catalog: SettingsCatalog): string {
  const lines: string[] = [`${settingLabel(info)} · ${KIND_LABELS[info.kind]}`];
  if (info.deprecated) lines.push('', '⚠ **Deprecated**: Intune still shows this setting, marked deprecated.');
  if (info.categoryPath.length) lines.push('', info.categoryPath.join(' › '));
  if (info.description) lines.push('', info.description);
  const facts = [platformLine(info), pathLine(info)].filter((x): x is string => !!x);
  if (facts.length) lines.push('', facts.join('  \n'));
  if (info.options.length) lines.push('', 'Options:', ...optionLines(info));
  const constraint = constraintText(info.constraint, info.kind === 'simpleCollection');
  if (constraint) lines.push('', `Value: ${constraint}`);
  const children = childrenLine(info, catalog);
  if (children) lines.push('', children);
  const def = defaultText(info);
  if (def && !info.options.length) lines.push('', `Default: ${def}`);
  if (info.docsUrl) lines.push('', `[Documentation](${info.docsUrl})`);
  lines.push('', footer(catalog));
  return lines.join('\n');
}

/** The hover of a setting the index only saw in real exports. */
export function observedMarkdown(info: SettingInfo, catalog: SettingsCatalog): string {
  const platforms = info.platforms.length ? info.platforms : platformFamily(info.id)?.platforms ?? [];
  const lines = [`${code(info.id)} · ${KIND_LABELS[info.kind]}${platforms.length ? ` · ${platforms.join(', ')}` : ''}`];
  if (catalog.complete) lines.push('', `Seen in real Graph exports, but Graph's definitions of ${catalog.snapshot} do not have it: it may have left the catalog.`);
  else lines.push('', 'Seen in real Graph exports, but the shipped settings catalog index has **no definition** for it: no display name, description, options or constraints.');
  if (info.options.length) lines.push('', `Values seen: ${info.options.slice(0, MAX_OPTIONS).map((o) => code(o.id)).join(', ')}${info.options.length > MAX_OPTIONS ? `, … (${info.options.length})` : ''}`);
  lines.push('', HOW_TO_DEFINE, '', footer(catalog));
  return lines.join('\n');
}

function unknownMarkdown(id: string, catalog: SettingsCatalog): string {
  const lines = [`${code(id)} is **not in the settings catalog index**.`];
  lines.push('', catalog.complete ? 'The index holds every setting Graph defined on its snapshot date: check the id.' : `The shipped index is partial (${catalog.size} settings), so this says nothing about the id. ${HOW_TO_DEFINE}`);
  lines.push('', footer(catalog));
  return lines.join('\n');
}

function choiceMarkdown(info: SettingInfo, value: string, catalog: SettingsCatalog): string {
  const chosen = info.options.find((o) => o.id === value.toLowerCase());
  const lines: string[] = [];
  if (chosen && info.defined) {
    lines.push(`**${chosen.name}**${chosen.value !== undefined ? ` (value ${chosen.value})` : ''} — option of ${settingLabel(info)}${info.defaultValue === chosen.id ? ' · the default' : ''}`);
    if (info.description) lines.push('', info.description);
    const others = optionLines(info, chosen.id, true);
    lines.push('', others.length ? 'Other options:' : 'It is the only option.', ...others);
  } else if (info.defined) {
    lines.push(`${code(value)} is **not an option** of ${settingLabel(info)}.`, '', 'Options:', ...optionLines(info));
  } else {
    lines.push(`${code(value)} — a value of ${code(info.id)}${chosen ? ', seen in real exports' : ''}.`, '', 'The shipped settings catalog index has no definition for this setting, so its options and their names are not known offline.');
    const others = info.options.filter((o) => o.id !== chosen?.id);
    if (others.length) lines.push('', `Other values seen: ${others.slice(0, MAX_OPTIONS).map((o) => code(o.id)).join(', ')}`);
    lines.push('', HOW_TO_DEFINE);
  }
  lines.push('', footer(catalog));
  return lines.join('\n');
}

function simpleMarkdown(info: SettingInfo, value: unknown, catalog: SettingsCatalog): string {
  const lines = [`${code(JSON.stringify(value) ?? String(value))} — value of ${settingLabel(info)}`];
  if (info.defined) {
    if (info.description) lines.push('', info.description);
    const constraint = constraintText(info.constraint, info.kind === 'simpleCollection');
    if (constraint) lines.push('', `Allowed: ${constraint}`);
    const def = defaultText(info);
    if (def) lines.push('', `Default: ${def}`);
    if (info.docsUrl) lines.push('', `[Documentation](${info.docsUrl})`);
  } else {
    lines.push('', `The shipped settings catalog index has no definition for this setting, so its constraints are not known offline. ${HOW_TO_DEFINE}`);
  }
  lines.push('', footer(catalog));
  return lines.join('\n');
}

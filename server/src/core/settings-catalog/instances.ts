/**
 * The setting instances of a settings catalog body (`spec.settings`), flattened: each with its definition id, its
 * kind, where it sits, its values and its parent. Graph nests children under a choice value
 * (`choiceSettingValue.children`), under each item of a choice collection, and under each item of a group
 * collection; exports write each top-level setting either as `{ settingInstance: {…} }` or as the instance itself.
 */
import { asObject } from '../document';
import type { SettingKind } from './catalog';

type JsonPath = (string | number)[];

/** A value written in an instance, with where it is (relative to `spec`). */
export interface InstanceValue<T> {
  value: T;
  path: JsonPath;
  /** The simple value's `@odata.type` (`…IntegerSettingValue`, `…StringSettingValue`, `…SecretSettingValue`). */
  odataType?: string;
}

export interface SettingInstanceRef {
  id: string;
  /** The id lower-cased, as ids compare (Graph matches them case-insensitively). */
  key: string;
  /** From the instance's `@odata.type`; undefined when it is missing or not a setting instance type. */
  kind: SettingKind | undefined;
  /** The instance object, relative to `spec`. */
  path: JsonPath;
  /** The path of `settingDefinitionId`, relative to `spec`. */
  idPath: JsonPath;
  /** The parent instance (its id lower-cased) and, for a choice parent, the option the child sits under. */
  parent?: { id: string; option?: string };
  choices: InstanceValue<string>[];
  simple: InstanceValue<unknown>[];
  /**
   * The instance carries no value of any kind: an export that kept each setting's id and dropped its value (seen in a
   * live tenant's daily backup), so what the setting is set to is unknown, not "off".
   */
  valueless?: true;
}

const KINDS: Record<string, SettingKind> = {
  deviceManagementConfigurationChoiceSettingInstance: 'choice',
  deviceManagementConfigurationChoiceSettingCollectionInstance: 'choiceCollection',
  deviceManagementConfigurationSimpleSettingInstance: 'simple',
  deviceManagementConfigurationSimpleSettingCollectionInstance: 'simpleCollection',
  deviceManagementConfigurationGroupSettingInstance: 'group',
  deviceManagementConfigurationGroupSettingCollectionInstance: 'groupCollection',
  deviceManagementConfigurationSettingGroupCollectionInstance: 'groupCollection',
  deviceManagementConfigurationSettingGroupInstance: 'group',
};

/** The instance kind an `@odata.type` names. */
export function instanceKind(odataType: unknown): SettingKind | undefined {
  if (typeof odataType !== 'string') return undefined;
  return KINDS[odataType.replace(/^#?microsoft\.graph\./, '')];
}


const MAX_DEPTH = 32;

/** Where an instance holds its value, one property per instance type (Graph's `deviceManagementConfiguration…Instance`). */
const VALUE_KEYS = ['choiceSettingValue', 'choiceSettingCollectionValue', 'simpleSettingValue', 'simpleSettingCollectionValue', 'groupSettingValue', 'groupSettingCollectionValue'] as const;

const flattened = new WeakMap<unknown[], SettingInstanceRef[]>();

/**
 * Every setting instance of a settings catalog body, parents before children. Computed once per body (bodies are
 * replaced, never changed, when a file changes), so the rules that look at settings share one walk.
 */
export function settingInstances(spec: Record<string, unknown> | undefined): SettingInstanceRef[] {
  const settings = spec?.settings;
  if (!Array.isArray(settings)) return [];
  const cached = flattened.get(settings);
  if (cached) return cached;
  const out: SettingInstanceRef[] = [];
  flattened.set(settings, out);
  settings.forEach((s, i) => {
    const o = asObject(s);
    if (!o) return;
    if (asObject(o.settingInstance)) visit(asObject(o.settingInstance)!, ['settings', i, 'settingInstance'], undefined, 0, out);
    else if (typeof o.settingDefinitionId === 'string') visit(o, ['settings', i], undefined, 0, out);
  });
  return out;
}

/**
 * The steps from an instance to its definition id and to its single values, shared by every instance (a value in a
 * collection has steps of its own, with its index).
 */
const ID_STEPS = ['settingDefinitionId'] as const;
const CHOICE_STEPS = ['choiceSettingValue', 'value'] as const;
const SIMPLE_STEPS = ['simpleSettingValue', 'value'] as const;

/**
 * A value as `visit` finds it: its path is made when asked, from its instance's path and the steps after it. A
 * profile's instances are kept with its body for every analysis after the first, and whole paths made for every
 * value (and every instance's `idPath`) were a sixth of the heap once every tenant of `msp` was analysed.
 */
class PlacedValue<T> implements InstanceValue<T> {
  constructor(
    readonly value: T,
    private readonly at: JsonPath,
    private readonly steps: readonly (string | number)[],
    readonly odataType?: string,
  ) {}

  get path(): JsonPath {
    return [...this.at, ...this.steps];
  }
}

/** An instance as `visit` finds it, its `idPath` made when asked (see `PlacedValue`). */
class Instance implements SettingInstanceRef {
  readonly key: string;
  parent?: { id: string; option?: string };
  readonly choices: InstanceValue<string>[] = [];
  readonly simple: InstanceValue<unknown>[] = [];
  valueless?: true;

  constructor(
    readonly id: string,
    readonly kind: SettingKind | undefined,
    readonly path: JsonPath,
  ) {
    this.key = id.toLowerCase();
  }

  get idPath(): JsonPath {
    return [...this.path, ...ID_STEPS];
  }
}

function visit(inst: Record<string, unknown>, path: JsonPath, parent: SettingInstanceRef['parent'], depth: number, out: SettingInstanceRef[]): void {
  const id = inst.settingDefinitionId;
  if (typeof id !== 'string' || depth > MAX_DEPTH) return;
  const ref = new Instance(id, instanceKind(inst['@odata.type']), path);
  if (parent) ref.parent = parent;
  if (!VALUE_KEYS.some((k) => inst[k] !== undefined && inst[k] !== null)) ref.valueless = true;
  out.push(ref);
  const children = (list: unknown, at: JsonPath, option?: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((c, j) => {
      const co = asObject(c);
      if (co) visit(co, [...at, j], { id: ref.key, ...(option !== undefined ? { option } : {}) }, depth + 1, out);
    });
  };
  const choice = asObject(inst.choiceSettingValue);
  if (choice) {
    const v = typeof choice.value === 'string' ? choice.value : undefined;
    if (v !== undefined) ref.choices.push(new PlacedValue(v, path, CHOICE_STEPS));
    children(choice.children, [...path, 'choiceSettingValue', 'children'], v);
  }
  const choiceItems = inst.choiceSettingCollectionValue;
  if (Array.isArray(choiceItems)) {
    choiceItems.forEach((item, j) => {
      const io = asObject(item);
      if (!io) return;
      const v = typeof io.value === 'string' ? io.value : undefined;
      if (v !== undefined) ref.choices.push(new PlacedValue(v, path, ['choiceSettingCollectionValue', j, 'value']));
      children(io.children, [...path, 'choiceSettingCollectionValue', j, 'children'], v);
    });
  }
  const simple = asObject(inst.simpleSettingValue);
  if (simple && 'value' in simple) ref.simple.push(simpleValue(simple, path, SIMPLE_STEPS));
  const simpleItems = inst.simpleSettingCollectionValue;
  if (Array.isArray(simpleItems)) {
    simpleItems.forEach((item, j) => {
      const io = asObject(item);
      if (io && 'value' in io) ref.simple.push(simpleValue(io, path, ['simpleSettingCollectionValue', j, 'value']));
    });
  }
  const group = asObject(inst.groupSettingValue);
  if (group) children(group.children, [...path, 'groupSettingValue', 'children']);
  const groupItems = inst.groupSettingCollectionValue;
  if (Array.isArray(groupItems)) {
    groupItems.forEach((item, j) => {
      const io = asObject(item);
      if (io) children(io.children, [...path, 'groupSettingCollectionValue', j, 'children']);
    });
  }
}

function simpleValue(o: Record<string, unknown>, at: JsonPath, steps: readonly (string | number)[]): InstanceValue<unknown> {
  const t = o['@odata.type'];
  return new PlacedValue(o.value, at, steps, typeof t === 'string' ? t : undefined);
}

/** Whether a policy body is a settings catalog body (a `settings` list of setting instances). */
export function hasSettingInstances(spec: Record<string, unknown> | undefined): boolean {
  return Array.isArray(spec?.settings) && (spec!.settings as unknown[]).some((s) => {
    const o = asObject(s);
    return !!o && (typeof asObject(o.settingInstance)?.settingDefinitionId === 'string' || typeof o.settingDefinitionId === 'string');
  });
}

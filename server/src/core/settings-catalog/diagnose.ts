/**
 * What is wrong with a policy's settings catalog instances, decided once per policy and read by the three rules
 * (`unknown-setting`, `invalid-setting-value`, `setting-platform-mismatch`). Precision first: a check runs only where
 * the index (or a naming rule every real export follows, conventions.ts) decides it; what the index does not know is
 * not reported.
 */
import type { PolicyFacts } from '../facts';
import type { TenantView } from '../rule';
import type { SettingInfo, SettingsCatalog } from './catalog';
import { isTemplatedId, nearestIds, optionStems, ownerOfValue, platformFamily, valueBelongsTo } from './conventions';
import { editDistance } from '../prose';
import { isTemplateVariable } from '../schema/issue';
import { settingInstances, type SettingInstanceRef } from './instances';

type JsonPath = (string | number)[];

export interface UnknownSetting {
  instance: SettingInstanceRef;
  /** `misspelt`: its own value names a nearby setting; `unknown`: not in a complete catalog; `deprecated`/`retired`. */
  reason: 'misspelt' | 'unknown' | 'deprecated' | 'retired';
  suggestions: string[];
  info?: SettingInfo;
}

export interface ValueProblem {
  instance: SettingInstanceRef;
  /** Where to place the finding (spec-relative). */
  path: JsonPath;
  message: string;
}

export interface PlatformProblem {
  instance: SettingInstanceRef;
  message: string;
}

export interface SettingsDiagnosis {
  unknown: UnknownSetting[];
  values: ValueProblem[];
  platforms: PlatformProblem[];
}

const EMPTY: SettingsDiagnosis = { unknown: [], values: [], platforms: [] };
const cache = new WeakMap<Record<string, unknown>, { catalog: SettingsCatalog | undefined; result: SettingsDiagnosis }>();

const KIND_NAMES: Record<string, string> = {
  choice: 'ChoiceSettingInstance',
  choiceCollection: 'ChoiceSettingCollectionInstance',
  simple: 'SimpleSettingInstance',
  simpleCollection: 'SimpleSettingCollectionInstance',
  group: 'GroupSettingInstance',
  groupCollection: 'GroupSettingCollectionInstance',
};

const flags = (v: unknown): string[] => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s && s !== 'none') : []);
const label = (info: SettingInfo | undefined, id: string): string => (info?.displayName ? `"${info.displayName}" (\`${id}\`)` : `\`${id}\``);

/**
 * The settings catalog problems of one policy (cached per body and index). The index is asked for only when the
 * policy has a settings catalog body: a tenant without one never loads it.
 */
export function diagnoseSettings(p: PolicyFacts, tenant: TenantView): SettingsDiagnosis {
  const spec = p.spec;
  if (!spec || !Array.isArray(spec.settings) || !spec.settings.length) return EMPTY;
  const catalog = tenant.catalog?.();
  const hit = cache.get(spec);
  if (hit && hit.catalog === catalog) return hit.result;
  const result = diagnose(spec, catalog);
  cache.set(spec, { catalog, result });
  return result;
}

function diagnose(spec: Record<string, unknown>, catalog: SettingsCatalog | undefined): SettingsDiagnosis {
  const out: SettingsDiagnosis = { unknown: [], values: [], platforms: [] };
  const instances = settingInstances(spec);
  const policyPlatforms = flags(spec.platforms);
  const policyTechnologies = flags(spec.technologies);
  for (const inst of instances) {
    const id = inst.key;
    const info = catalog?.get(id);
    const templated = isTemplatedId(id);
    // A misspelt id: its choice value names a setting close to it (the value kept the right spelling).
    const foreign = templated ? undefined : inst.choices.find((c) => !valueBelongsTo(id, c.value) && !info?.options.some((o) => o.id === c.value.toLowerCase()));
    if (foreign) {
      const owner = ownerOfValue(foreign.value, catalog);
      const limit = Math.max(2, Math.min(6, Math.floor(id.length / 12)));
      if (owner && !info?.defined && !catalog?.has(id) && editDistance(id, owner.id, limit) <= limit) {
        out.unknown.push({ instance: inst, reason: 'misspelt', suggestions: [owner.id] });
        continue;
      }
      out.values.push({
        instance: inst,
        path: foreign.path,
        message: `\`${foreign.value}\` is not an option of ${label(info, inst.id)}: a choice value is the setting's id followed by \`_\` and the option${owner ? `, so this one belongs to \`${owner.id}\`` : ''}. Choose one of the setting's own options`,
      });
    } else if (info?.deprecated) {
      out.unknown.push({ instance: inst, reason: 'deprecated', suggestions: [], info });
    } else if (info && !info.defined && catalog?.complete) {
      out.unknown.push({ instance: inst, reason: 'retired', suggestions: [], info });
    } else if (!info && catalog?.complete && !templated) {
      out.unknown.push({ instance: inst, reason: 'unknown', suggestions: nearestIds(id, catalog) });
      continue;
    }
    if (info?.defined) valueProblems(inst, info, catalog!, out.values, !!foreign);
    platformProblem(inst, info, catalog, policyPlatforms, policyTechnologies, out.platforms);
  }
  return out;
}

function valueProblems(inst: SettingInstanceRef, info: SettingInfo, catalog: SettingsCatalog, out: ValueProblem[], valueReported: boolean): void {
  const name = label(info, inst.id);
  if (inst.kind && info.kind !== 'redirect' && inst.kind !== info.kind) {
    out.push({
      instance: inst,
      path: [...inst.path, '@odata.type'],
      message: `${name} is a ${info.kind} setting: write it as \`#microsoft.graph.deviceManagementConfiguration${KIND_NAMES[info.kind] ?? ''}\`, not a ${inst.kind} instance`,
    });
    return;
  }
  if ((info.kind === 'choice' || info.kind === 'choiceCollection') && info.options.length && !valueReported) {
    const ids = new Set(info.options.map((o) => o.id));
    for (const c of inst.choices) {
      if (ids.has(c.value.toLowerCase())) continue;
      const shown = info.options.slice(0, 8).map((o) => `\`${o.id}\` (${o.name})`).join(', ');
      const more = info.options.length > 8 ? ` and ${info.options.length - 8} more` : '';
      out.push({
        instance: inst,
        path: c.path,
        message: `\`${c.value}\` is not an option of ${name}${catalog.complete ? '' : ' in the settings catalog index'}. Its options are ${shown}${more}`,
      });
    }
  }
  const c = info.constraint;
  if (c && (info.kind === 'simple' || info.kind === 'simpleCollection')) {
    for (const v of inst.simple) {
      const problem = simpleProblem(v.value, v.odataType, c);
      if (problem) out.push({ instance: inst, path: v.path, message: `${name}: ${problem}` });
    }
  }
  const parent = inst.parent && catalog.get(inst.parent.id);
  if (parent?.defined && parent.childrenComplete) {
    const wanted = inst.parent!.option?.toLowerCase();
    const option = wanted ? parent.options.find((o) => o.id === wanted) : undefined;
    // A choice option's children, or a group's; an option that lists none says nothing (the list may be unknown).
    const allowed = new Set(option ? (option.children ?? []) : parent.kind.startsWith('group') ? parent.children : []);
    if (allowed.size && !allowed.has(inst.key)) {
      out.push({
        instance: inst,
        path: inst.idPath,
        message: `${name} cannot sit under ${label(parent, parent.id)}${option ? ` when it is \`${option.id}\`` : ''}: its children are ${[...allowed].slice(0, 6).map((x) => `\`${x}\``).join(', ')}${allowed.size > 6 ? '…' : ''}`,
      });
    }
  }
}

function simpleProblem(value: unknown, odataType: string | undefined, c: NonNullable<SettingInfo['constraint']>): string | undefined {
  const t = odataType?.replace(/^#?microsoft\.graph\./, '');
  if (c.type === 'integer') {
    if (t && !/IntegerSettingValue$/.test(t)) return `the value must be an \`#microsoft.graph.deviceManagementConfigurationIntegerSettingValue\`, not \`${t}\``;
    // A template's variable (`%BatterySleepTimeout%`, filled in per tenant by CIPP) is the schema rule's to say, once.
    if (isTemplateVariable(value)) return undefined;
    // A whole number written as a string ("30") is read as the number: whether Graph takes it is not ours to say.
    const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) return `the value must be a whole number, not ${JSON.stringify(value)}`;
    if (c.min !== undefined && n < c.min) return `${n} is below the minimum, ${c.min} (allowed: ${c.min}–${c.max ?? '…'})`;
    if (c.max !== undefined && n > c.max) return `${n} is above the maximum, ${c.max} (allowed: ${c.min ?? '…'}–${c.max})`;
    return undefined;
  }
  if (c.type === 'string') {
    if (t && /IntegerSettingValue$/.test(t)) return 'the value must be a `#microsoft.graph.deviceManagementConfigurationStringSettingValue`, not an integer value';
    if (typeof value !== 'string') return undefined;
    if (c.maxLength !== undefined && value.length > c.maxLength) return `the value is ${value.length} characters long; at most ${c.maxLength} are allowed`;
    if (c.minLength !== undefined && value.length < c.minLength) return `the value is ${value.length} characters long; at least ${c.minLength} are required`;
  }
  return undefined;
}

/** Technologies whose settings go to apps rather than through the device's MDM channel. */
const APP_TECHNOLOGIES = ['exchangeonline', 'mobileapplicationmanagement'];

function platformProblem(
  inst: SettingInstanceRef,
  info: SettingInfo | undefined,
  catalog: SettingsCatalog | undefined,
  platforms: string[],
  technologies: string[],
  out: PlatformProblem[],
): void {
  if (!platforms.length || inst.parent) return;
  const lower = platforms.map((p) => p.toLowerCase());
  // Settings that Exchange Online or app management deliver to apps (quiet time for Outlook and Teams on phones:
  // `device_vendor_msft_policy_config_quiettime_…` in an android,iOS policy) keep a CSP-shaped id whatever the
  // platform: for those, the prefix says nothing.
  const appDelivered = technologies.some((t) => APP_TECHNOLOGIES.includes(t.toLowerCase()));
  const family = appDelivered ? undefined : platformFamily(inst.id);
  const settingPlatforms = info?.defined && info.platforms.length ? info.platforms : family?.platforms;
  if (settingPlatforms && !settingPlatforms.some((p) => lower.includes(p.toLowerCase()))) {
    const what = info?.defined && info.platforms.length ? `a ${info.platforms.join('/')} setting` : `a ${family!.family} setting`;
    out.push({
      instance: inst,
      message: `${label(info, inst.id)} is ${what}, and this policy's \`platforms\` is \`${platforms.join(',')}\`: Graph refuses it. Move it to a ${settingPlatforms[0]} policy`,
    });
    return;
  }
  // Technologies only from Graph's own complete definitions: the seed does not claim them.
  if (catalog?.complete && info?.defined && info.technologies.length && technologies.length) {
    const lowerTech = technologies.map((t) => t.toLowerCase());
    if (!info.technologies.some((t) => lowerTech.includes(t.toLowerCase()))) {
      out.push({
        instance: inst,
        message: `${label(info, inst.id)} applies to the technologies \`${info.technologies.join(',')}\`, and this policy's \`technologies\` is \`${technologies.join(',')}\``,
      });
    }
  }
}

/** The option stems of a setting (exported for completion: values start with one of them). */
export { optionStems };

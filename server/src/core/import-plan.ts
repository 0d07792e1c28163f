/**
 * `ztp import` without I/O: from the files of a Graph export folder (and the tenant's manifest, if it has one), what
 * to write — each policy file with its content, the groups and tenant facts for `zerotrust.yaml` — and what to say
 * about what was skipped, could not be read, or could not be mapped. The CLI reads the folder and writes the plan.
 */
import { Document, isMap, isSeq, parse, parseDocument, visit, YAMLMap, type DocumentOptions } from 'yaml';
import { asObject, isPlainObject, parseBytes, parseText } from './document';
import { collectFacts, MANIFEST_FILE, type FileFacts } from './facts';
import { AZUREAD_MODULE_ADVICE, collectionItems, collectionLists, powerShellSdkRenamed, selectedProperties, configurationEvidenceType, CONFIGURATION_EVIDENCE_TYPES, conventionalFolder, describeForeignGraphType, foreignGraphTypeOf, fromAzureAdModule, fromPowerShellSdk, isOnboardingEvidence, powerShellSdkEnumsAdvice, rawKindOf, listItem, listItemKind, isTenantDefault, powerShellSdkTruncated, rawPolicyName, readGraphAssignments, slugName, graphTypeName, WINDOWS_HELLO_TEMPLATE, intentTemplateId, typedExport, exporterMetadata, misnamedIntentType } from './graph';
import { intentTemplateOf } from './intent-templates';
import { classifyExportFile, exportedGroups, importPolicy, isGroupNamedInExport, templateVariablesNote, tenantFactsOf, unwrapExport, type ExportedTenantFacts, type ImportNote } from './interop';
import type { PolicyKind } from './kinds';
import { basename, normalizeSlashes, relative } from './paths';
import { PLATFORMS, type Platform } from './platforms';
import { safeFileStem } from './file-stem';
import { decodeBytes } from './text';
import { grantControlsOf } from './tenant-query';
import { isTemplateVariable } from './schema/issue';
import { evidencedPlatformsOf } from './reads';
import { authStrengthExport } from './model/auth-strengths';
import { documentOnboarding } from './model/defender';
import { isNamedLocationExport } from './model/named-locations';
import { authContextExport, contextListed } from './model/sign-in-targets';

/** One file of the export folder, as read. */
export interface ExportFolderFile {
  /** Absolute path. */
  path: string;
  bytes: Uint8Array;
}

export interface ImportOptions {
  /** The export folder (absolute): file names in the plan are relative to it. */
  source: string;
  format: 'yaml' | 'json';
  /** The text of the tenant's `zerotrust.yaml`, when it has one. */
  manifestText?: string;
}

/** A note tied to one export file (its path relative to the export folder). */
export interface FileNote {
  file: string;
  note: ImportNote;
}

/** A policy file to write. */
export interface PlannedPolicyFile {
  /** Relative to the tenant folder, with `/`: `compliance/win-compliance-baseline.yaml`. */
  path: string;
  content: string;
  /** The export file it came from, relative to the export folder. */
  from: string;
  kind: PolicyKind;
}

/** A file copied as exported: a resource no kind holds whose settings the configuration checks read. */
export interface KeptFile {
  /** Relative to the tenant folder, with `/`. */
  path: string;
  content: string;
  from: string;
  /** What it is, for the line that says so. */
  what: string;
}

/**
 * A policy exported with `$select` (its `@odata.context` names the properties fetched), kept as the raw Graph export
 * it is: a policy file's `spec` says that a property it leaves out is not set, a raw export says nothing about it.
 */
export interface SelectedPolicyFile extends PlannedPolicyFile {
  /** The properties the `$select` fetched, as the context lists them. */
  properties: string[];
  /** Where in the export file it was (`item 2 of its \`value\` list`), if not the whole file. */
  wrapper?: string;
}

export interface ImportPlan {
  policies: PlannedPolicyFile[];
  /** Policies exported with `$select`: written as raw Graph exports, not as policy files, and said on stderr. */
  selected: SelectedPolicyFile[];
  /** Files copied as they are (`CONFIGURATION_EVIDENCE_TYPES`). */
  kept: KeptFile[];
  /** Groups to add to the manifest (sorted by name); without an id when the export names them by display name only. */
  newGroups: { name: string; id?: string }[];
  /** Groups the manifest lists by name without an id, and the id the export gives them. */
  idsForListedGroups: Map<string, string>;
  /** Tenant-wide facts the export shows (push certificate, Google Play binding, compliance settings). */
  facts: ExportedTenantFacts;
  /** Distinct group ids read, and from how many files (exported groups and migration tables). */
  groupsRead: { ids: number; files: number };
  skipped: { file: string; reason: string }[];
  unreadable: { file: string; reason: string }[];
  /** Group ids no source names (kept as ids). */
  unmapped: FileNote[];
  /** Everything else worth saying: ids with two names, assignments kept in Graph's shape, named locations… */
  notes: FileNote[];
  /** Whether the export holds anything to import: a policy, a group, or a tenant fact. */
  importable: boolean;
}

interface FoundGroup {
  id: string;
  name: string;
  from: string;
  /** From a migration table (else an exported group file). */
  table: boolean;
}

const BREAK_GLASS = /break[\s_-]*glass|emergency[\s_-]*access/i;

/** What `ztp import` reads, for the message when an export folder holds none of it. */
export const IMPORTABLE =
  'a Graph export of a policy of one of the kinds (Conditional Access, compliance, configuration, app protection, enrollment, Autopilot, Defender), or a CIPP template holding one, an Entra group export, a MigrationTable.json or a tenant setting (JSON, UTF-8 or UTF-16)';

/** What to do with a Microsoft365DSC configuration instead, for the skip's reason and the message when nothing else is there. */
export const MICROSOFT365DSC_ADVICE =
  'ztp import does not read a Microsoft365DSC configuration (PowerShell DSC, not Graph JSON): export the policies with Microsoft Graph (Graph Explorer, the Graph PowerShell SDK with `ConvertTo-Json -Depth 10`) or IntuneManagement, then import that export folder';

/** The files besides JSON that an export folder is read for: PowerShell scripts, to tell a Microsoft365DSC configuration. */
export const IMPORT_FOREIGN_FILE_PATTERN = /\.ps1$/i;

/**
 * Whether a PowerShell script is a Microsoft365DSC configuration (`Export-M365DSCConfiguration` writes one, a
 * `Configuration` block with `Import-DscResource -ModuleName 'Microsoft365DSC'` and one block a resource, such as
 * `IntuneDeviceCompliancePolicyWindows10 "…" { … }` or `AADConditionalAccessPolicy "…" { … }`), and, when it is, the
 * Intune and Entra resources it holds, by name, each once (or its first line, `# Generated with Microsoft365DSC version
 * …`, as an export of version 1.26.218.1 begins). Undefined for any other script. Source:
 * https://microsoft.github.io/Microsoft365DSC/user-guide/cmdlets/Export-M365DSCConfiguration
 */
export function microsoft365DscResources(text: string): string[] | undefined {
  if (!/^\s*Import-DscResource\b[^\r\n]*\bMicrosoft365DSC\b/im.test(text) && !/^\s*#\s*Generated with Microsoft365DSC\b/im.test(text)) return undefined;
  const names = new Set<string>();
  for (const m of text.matchAll(/^\s*((?:Intune|AAD)[A-Za-z0-9]+)\s+["'][^"'\r\n]*["']\s*(?:\{|$)/gm)) names.add(m[1]!);
  return [...names];
}

/** Why a Microsoft365DSC configuration is skipped: what it holds, and what to export instead. */
function microsoft365DscReason(resources: string[]): string {
  const shown = resources.length > 6 ? `${resources.slice(0, 6).join(', ')} and ${resources.length - 6} more` : resources.join(', ');
  return `a Microsoft365DSC configuration${resources.length ? ` (its Intune and Entra resources: ${shown})` : ''}; ${MICROSOFT365DSC_ADVICE}`;
}

/** The `@odata.context` that says what a policy's export holds: its own, else its list's. */
function contextOf(doc: Record<string, unknown>, listContext?: unknown): string | undefined {
  const own = doc['@odata.context'];
  if (typeof own === 'string') return own;
  return typeof listContext === 'string' ? listContext : undefined;
}

/**
 * `text`, the JSON of `doc`, with `"templateId": id` added as its first property, in the file's own layout (its line
 * ends, indentation and spacing around `:` are those of the property after it), the rest of the text untouched. Graph's
 * `deviceManagementIntent` names its template so
 * (https://learn.microsoft.com/graph/api/resources/intune-deviceintent-devicemanagementintent?view=graph-rest-beta).
 * An object with no property to copy the layout from is written anew.
 */
function withTemplateId(text: string, doc: Record<string, unknown>, id: string): string {
  const m = /^(\s*\{)(\s*)"(?:[^"\\]|\\.)*"(\s*):(\s*)/.exec(text);
  if (!m) return JSON.stringify({ templateId: id, ...doc }, null, 2) + '\n';
  const [, open, space, before, after] = m;
  return `${open}${space}"templateId"${before}:${after}${JSON.stringify(id)},${text.slice(open!.length)}`;
}

/**
 * What a kept profile does for the Defender checks, when it is one the onboarding checks read (a Windows custom profile
 * writing the onboarding CSP, the Windows template profile or EDR intent, a macOS custom profile carrying the package):
 * the model's own answer (`documentOnboarding`), so a profile whose onboarding package is empty is not said to onboard.
 * Its type alone does not say so, and a custom profile carries anything: nothing is said of one that is no onboarding.
 */
function onboardingNote(type: string, doc: unknown): string {
  if (!isPlainObject(doc) || !isOnboardingEvidence(type, doc)) return '';
  const answer = documentOnboarding(type, doc);
  const platform = (p: Platform): string => (p === 'macOS' ? 'macOS' : 'Windows');
  if (answer.onboards === 'yes') {
    return `, which onboards ${platform(answer.platform)} devices to Defender for Endpoint (${answer.withPackage ? 'with the onboarding package it carries' : "with the package it takes from the Defender connector"})`;
  }
  if (answer.onboards === 'unknown') return `, which may onboard ${platform(answer.platform)} devices to Defender for Endpoint: the export leaves out ${answer.without === 'packageType' ? 'its configuration package type' : 'its settings'}, which would say`;
  return answer.why ? `, though it onboards no device: ${answer.why}` : '';
}

/**
 * Why a kept file is kept: which checks read a file of its type (`CONFIGURATION_EVIDENCE_TYPES`, and the Defender
 * onboarding profiles), where the skipped files of other types are read by none.
 */
function keptFor(type: string, doc: unknown): string {
  const read = KEPT_FOR[type];
  if (read) return `: kept, as ${read}`;
  return isPlainObject(doc) && isOnboardingEvidence(type, doc) ? ': kept, as the Defender for Endpoint onboarding checks read it' : '';
}

/** Which checks read a kept file of each type (the rules' `legacy` readers and the models that read such files). */
const KEPT_FOR: Readonly<Record<string, string>> = {
  windows10EndpointProtectionConfiguration: 'the BitLocker and attack surface reduction checks read its settings',
  windows10GeneralConfiguration: 'the BitLocker check reads its settings',
  macOSEndpointProtectionConfiguration: 'the FileVault, FileVault recovery key and macOS firewall checks read its settings',
  windows10CustomConfiguration: 'its OMA-URI settings may set the BitLocker, LAPS, attack surface reduction or Defender onboarding CSPs, which those checks read',
  macOSCustomConfiguration: 'the `.mobileconfig` it carries may hold the FileVault, firewall, recovery key escrow or Defender onboarding payload, which those checks read',
  deviceManagementIntent: "the security baseline and configuration checks read an endpoint security profile's template and settings",
  windowsDefenderAdvancedThreatProtectionConfiguration: 'the Defender for Endpoint onboarding checks read it',
};

/**
 * Why a file that holds a JSON string is skipped, when the string is IntuneManagement's copy of a profile's settings
 * (`{ "settings": [ … ] }`, written as `<name>_Settings.json` beside the profile's `<name>.json`): the profile file
 * holds the same settings, so nothing is lost; without that file, or with one that holds no settings, it says so.
 * Undefined for any other string. Source: Micke-K/IntuneManagement, which exports an endpoint security intent's
 * settings both inside the profile and as this separate file.
 */
function settingsCopyReason(file: string, text: string, files: readonly ExportFolderFile[], rel: (p: string) => string): string | undefined {
  let inner: unknown;
  try {
    inner = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(inner) || !Array.isArray(inner.settings)) return undefined;
  const normal = normalizeSlashes(file);
  // The profile of the same stem beside it: `Win - BitLocker_Settings.json` → `Win - BitLocker.json`.
  const stem = normal.replace(/_settings\.json$/i, '');
  const beside = stem !== normal ? files.find((f) => normalizeSlashes(f.path).toLowerCase() === `${stem}.json`.toLowerCase()) : undefined;
  const profile = beside ? parseBytes(beside.path, beside.bytes).value : undefined;
  const name = isPlainObject(profile) && typeof profile.displayName === 'string' && profile.displayName ? profile.displayName : beside ? basename(beside.path) : undefined;
  const count = `${inner.settings.length} ${inner.settings.length === 1 ? 'setting' : 'settings'}`;
  if (beside && isPlainObject(profile) && Array.isArray(profile.settings)) {
    return `IntuneManagement's copy of \`${name}\`'s settings (${count}, as one JSON string), which the profile file ${rel(beside.path)} holds: nothing lost`;
  }
  // A profile file that could not be read (not text, or not JSON) says nothing of what it holds: its own entry says why.
  if (beside && profile === undefined) return `IntuneManagement's copy of \`${name}\`'s settings (${count}, as one JSON string), beside the profile file ${rel(beside.path)}, which could not be read: fix that file, then import again`;
  if (beside) return `IntuneManagement's copy of \`${name}\`'s settings (${count}, as one JSON string); the profile file ${rel(beside.path)} does not hold them, so they are not imported: export the profile again with its settings`;
  return `a copy of a profile's settings (${count}, as one JSON string, as IntuneManagement writes \`<profile>_Settings.json\`) without the profile file it belongs to: export the profile itself`;
}

/**
 * The resources no kind holds that the Conditional Access checks read beside the policies, as `ztp check` reads them in
 * place: custom authentication strengths (`model/auth-strengths.ts`), named locations (`model/named-locations.ts`) and
 * authentication contexts (`model/sign-in-targets.ts`), each in Graph's JSON or as the PowerShell SDK writes it. The
 * import copies a file (or a list's item) exactly when the model's reader reads something from it, into the folder
 * named here below `conditional-access/`, so a CA policy that names one by id reads in the tenant folder what it read
 * in the export.
 */
interface CaReference {
  folder: string;
  what: string;
}

function caReferenceOf(raw: Record<string, unknown>, inContextList: boolean): CaReference | undefined {
  if (rawKindOf(raw)) return undefined;
  const strength = authStrengthExport(raw);
  if (strength) {
    const combos = Array.isArray(strength.allowedCombinations) ? strength.allowedCombinations.map(String) : [];
    return {
      folder: 'conditional-access/authentication-strengths',
      what: `the authentication strength ${labelOf(strength)}${combos.length ? `, admitting ${combos.map((c) => `\`${c}\``).join(', ')},` : ''} which the Conditional Access checks, What If and the lockout check read for the policies that name it by id`,
    };
  }
  if (isNamedLocationExport(raw)) {
    const d = powerShellSdkRenamed(raw) ?? raw;
    const type = graphTypeName(d['@odata.type']);
    const trust = type === 'ipNamedLocation' ? `an IP location ${d.isTrusted === true ? 'marked trusted' : 'not marked trusted'}` : `a \`${type}\``;
    return {
      folder: 'conditional-access/named-locations',
      what: `the named location ${labelOf(d)}, ${trust}, which the Conditional Access checks and What If read for the policies that name it by id`,
    };
  }
  const context = authContextExport(raw, inContextList);
  if (context) return { folder: 'conditional-access/authentication-contexts', what: `the authentication context ${labelOf(context)}, whose name What If's choices read` };
  return undefined;
}

function labelOf(d: Record<string, unknown>): string {
  const name = typeof d.displayName === 'string' && d.displayName.trim() ? d.displayName.trim() : undefined;
  return name ? `\`${name}\` (${String(d.id)})` : `\`${String(d.id)}\``;
}

/** What a kept file's line says of a file of such resources, one or a list of them. */
function caReferencesWhat(refs: CaReference[]): string {
  if (refs.length === 1) return refs[0]!.what;
  const kinds = [...new Set(refs.map((r) => r.folder.replace(/^.*\//, '').replace(/-/g, ' ')))];
  return `a list of ${refs.length} ${kinds.join(' and ')}, which the Conditional Access checks read for the policies that name them by id`;
}

/** Plan an import: classify every export file, map group ids to names, convert each policy. */
export function planImport(files: ExportFolderFile[], options: ImportOptions): ImportPlan {
  const rel = (p: string): string => relative(normalizeSlashes(options.source), normalizeSlashes(p));
  const existing = options.manifestText ? manifestGroups(options.manifestText) : [];
  const skipped: ImportPlan['skipped'] = [];
  const unreadable: ImportPlan['unreadable'] = [];
  const policies: { file: string; kind: PolicyKind; value: Record<string, unknown>; wrapper?: string; item?: number; locations?: string[]; context?: string; metadata?: ImportNote[] }[] = [];
  const found: FoundGroup[] = [];
  /** The groups an export file names (`exportedGroups`, the reading `ztp check` makes of the same files). */
  const foundGroups = (value: unknown, file: string): void => {
    for (const g of exportedGroups(value)) found.push({ id: g.id.toLowerCase(), name: g.name, from: rel(file), table: g.table });
  };
  const kept: KeptFile[] = [];
  const keptNames = new Set<string>();
  /** What a kept file was given that its export held elsewhere (an intent's template id from its file's name). */
  const keptNotes: FileNote[] = [];
  const facts: ExportedTenantFacts = {};
  /** The stems taken in each folder of kept Conditional Access resources. */
  const referenceNames = new Map<string, Set<string>>();
  const keepReference = (ref: CaReference, name: string, content: string, from: string, what: string): void => {
    const taken = referenceNames.get(ref.folder) ?? new Set<string>();
    referenceNames.set(ref.folder, taken);
    kept.push({ path: `${ref.folder}/${safeFileStem(name, taken)}.json`, content, from, what });
  };
  for (const { path: file, bytes } of files) {
    // A script beside the exports (`IMPORT_FOREIGN_FILE_PATTERN`) is named only when it is a Microsoft365DSC
    // configuration, which holds the policies in a shape this does not read: other scripts are the folder's own.
    if (IMPORT_FOREIGN_FILE_PATTERN.test(file)) {
      const resources = microsoft365DscResources(decodeBytes(bytes).text);
      if (resources) skipped.push({ file: rel(file), reason: microsoft365DscReason(resources) });
      continue;
    }
    const parsed = parseBytes(file, bytes);
    if (parsed.syntaxErrors.length || parsed.value === undefined) {
      unreadable.push({ file: rel(file), reason: `could not be read: ${parsed.syntaxErrors[0]?.message ?? 'no JSON value'}` });
      continue;
    }
    // Authentication strengths, named locations, authentication contexts, one a file or a list of them: copied as
    // exported, as `ztp check` reads them beside the policies (`caReferenceOf`).
    const listedItems = collectionItems(parsed.value);
    const referenceDocs = listedItems ?? (isPlainObject(parsed.value) ? [parsed.value] : []);
    const inContextList = listedItems !== undefined && contextListed(parsed.value);
    const references = referenceDocs.map((d) => caReferenceOf(d, inContextList));
    if (references.length && references.every((r) => r !== undefined)) {
      const refs = references as CaReference[];
      const one = referenceDocs.length === 1 && !listedItems ? powerShellSdkRenamed(referenceDocs[0]) ?? referenceDocs[0]! : undefined;
      keepReference(refs[0]!, one ? rawPolicyName(one, basename(file)) : slugName(basename(file).replace(/\.[^.]*$/, '')), parsed.text.replace(/^\uFEFF/, ''), rel(file), caReferencesWhat(refs));
      continue;
    }
    // A policy inside another tool's wrapper (a CIPP template) is read as the Graph body it holds; one the PowerShell
    // SDK wrote (PascalCase) with Graph's own property names.
    const unwrapped = unwrapExport(parsed.value);
    const sdk = fromPowerShellSdk(parsed.value);
    if (sdk && powerShellSdkTruncated(parsed.value)) {
      skipped.push({ file: rel(file), reason: 'a PowerShell SDK object written at `ConvertTo-Json`\'s default depth: its nested settings are type names, not values. Export it again with `ConvertTo-Json -Depth 10`' });
      continue;
    }
    const lost = sdk ? powerShellSdkEnumsAdvice(parsed.value) : undefined;
    if (lost) {
      // Kept as exported rather than skipped: in the tenant folder it is a policy that is not analysed, so the checks
      // that look for its kind hold back, as `ztp check` holds them back on the export itself.
      const stem = safeFileStem(rawPolicyName(sdk!, basename(file)), keptNames);
      keptNames.add(stem);
      kept.push({ path: `configuration/${stem}.json`, content: parsed.text.replace(/^\uFEFF/, ''), from: rel(file), what: sdkKeptNote(sdk!, lost) });
      continue;
    }
    if (sdk && fromAzureAdModule(parsed.value)) {
      skipped.push({ file: rel(file), reason: `a Conditional Access policy ${AZUREAD_MODULE_ADVICE}` });
      continue;
    }
    const read = unwrapped?.value ?? sdk ?? parsed.value;
    // An object that names no type is read as the type its `@odata.context` names, as the checks read it (`typedExport`).
    const value = isPlainObject(read) ? typedExport(read) : read;
    const learned = tenantFactsOf(value);
    if (learned) {
      Object.assign(facts, learned);
      continue;
    }
    // A list response saved whole (`{ "value": [ … ] }`): each item is read as if it were a file of its own.
    const lists = collectionLists(value);
    if (lists) {
      const items = lists.flatMap((l) => l.items);
      let taken = 0;
      // The groups of the list, read as `ztp check` reads a list of groups beside raw exports; counted below.
      foundGroups(value, file);
      // Each item by its place in its list (a tool's export may keep several, each under a key of its own), and, for a
      // file name it lacks, in the file.
      const placed = lists.flatMap((l) => l.items.map((raw, at) => ({ raw, at, key: l.key })));
      placed.forEach(({ raw, at, key }, i) => {
        // A list fetched with `$select` holds only the properties its context names, in every item: the context of a
        // `value` list is its response's; a tool's own list has none.
        const listContext = key === 'value' ? (value as Record<string, unknown>)['@odata.context'] : undefined;
        const place = key === undefined ? `item ${at + 1} of its list` : `item ${at + 1} of its \`${key}\` list`;
        if (fromAzureAdModule(raw) && fromPowerShellSdk(raw)) {
          skipped.push({ file: rel(file), reason: `${place} is a Conditional Access policy ${AZUREAD_MODULE_ADVICE}` });
          return;
        }
        const sdkItem = fromPowerShellSdk(raw);
        const lostItem = sdkItem ? powerShellSdkEnumsAdvice(raw) : undefined;
        if (lostItem) {
          const stem = safeFileStem(rawPolicyName(sdkItem!, `${basename(file)}-${i + 1}`), keptNames);
          keptNames.add(stem);
          kept.push({ path: `configuration/${stem}.json`, content: JSON.stringify(raw, null, 2) + '\n', from: rel(file), what: `${sdkKeptNote(sdkItem!, lostItem)}, ${place}` });
          taken++;
          return;
        }
        // An authentication strength, a named location or a context in a list of other things: a file of its own.
        const reference = caReferenceOf(raw, false);
        if (reference) {
          const named = powerShellSdkRenamed(raw) ?? raw;
          keepReference(reference, rawPolicyName(named, `${basename(file)}-${i + 1}`), JSON.stringify(raw, null, 2) + '\n', rel(file), `${reference.what}, ${place}`);
          taken++;
          return;
        }
        const item = listItem(value, raw);
        const listed = listItemKind(value, item);
        const classified = classifyExportFile(item, value);
        // A settings catalog item of a compliance list is a compliance policy, as its list says (`listItemKind`).
        const c = classified.type === 'policy' && listed && listed !== classified.kind ? { ...classified, kind: listed } : classified;
        const evidence = c.type === 'skip' ? configurationEvidenceType(item) : undefined;
        if (evidence) {
          // A template, custom or onboarding profile the configuration checks read: kept as a file of its own, as exported.
          const stem = safeFileStem(rawPolicyName(item, `${basename(file)}-${i + 1}`), keptNames);
          keptNames.add(stem);
          kept.push({ path: `configuration/${stem}.json`, content: JSON.stringify(item, null, 2) + '\n', from: rel(file), what: `${describeForeignGraphType(evidence)}${keptFor(evidence, item)}${onboardingNote(evidence, item)}, ${place}` });
        } else if (c.type === 'policy') policies.push({ file, kind: c.kind, value: item, wrapper: place, item: i, context: contextOf(item, listContext) });
        else if (c.type !== 'group') {
          // A Windows Hello for Business template profile is dropped with what to do instead, in a list as on its own
          // (the other types a list holds besides policies go unmentioned, as before: a backup's lists hold many).
          if (c.type === 'skip' && graphTypeName(item['@odata.type']) === WINDOWS_HELLO_TEMPLATE) skipped.push({ file: rel(file), reason: `${place}: ${c.reason}` });
          return;
        }
        taken++;
      });
      if (!taken) {
        // A list of ids and names alone may be groups fetched with `$select=id,displayName` (or the PowerShell SDK's
        // `Id`/`DisplayName`), but nothing in it says so, and a wrong id → name map would be worse than none: say how
        // to export it so that it reads as groups.
        const idsAndNames = items.length > 0 && items.every((it) => isPlainObject(it) && Object.keys(it).every((k) => /^(id|displayName)$/i.test(k) || k.startsWith('@odata.')));
        const hint = idsAndNames ? ': its items hold only ids and names, which do not say they are groups; export the groups with `securityEnabled` in the `$select`, or keep the `@odata.context` Graph writes' : '';
        skipped.push({ file: rel(file), reason: `a Graph collection export whose ${items.length} items hold no policy of the kinds and no group${hint}` });
      }
      continue;
    }
    // IntuneManagement writes, beside a profile it exports with its settings (`<name>.json`), a copy of those settings
    // as one JSON string (`<name>_Settings.json`): told by its shape, a string holding `{ "settings": [ … ] }`.
    const copy = typeof value === 'string' ? settingsCopyReason(file, value, files, rel) : undefined;
    if (copy) {
      skipped.push({ file: rel(file), reason: copy });
      continue;
    }
    const c = classifyExportFile(value);
    const foreign = c.type === 'skip' ? foreignGraphTypeOf(value as Record<string, unknown>) : undefined;
    // Onboarding evidence inside a CIPP template is kept too (as the Graph body it holds); other foreign types are kept
    // only as exported.
    const onboarding = foreign !== undefined && isOnboardingEvidence(foreign, value as Record<string, unknown>);
    if (foreign && ((CONFIGURATION_EVIDENCE_TYPES.includes(foreign) && !unwrapped) || onboarding)) {
      // No kind holds it, but the configuration or Defender onboarding checks read it: the tenant folder keeps it as exported.
      const stem = safeFileStem(rawPolicyName(value as Record<string, unknown>, basename(file)), keptNames);
      keptNames.add(stem);
      let content = unwrapped ? JSON.stringify(value, null, 2) + '\n' : parsed.text.replace(/^\uFEFF/, '');
      // An intent whose template only its file's name gives (an IntuneBackupAndRestore backup, `intentTemplateId`) is
      // kept under another name: the kept file carries the template as Graph's own `templateId`, so the tenant folder
      // reads as the export did.
      const doc = value as Record<string, unknown>;
      const named = foreign === 'deviceManagementIntent' && !unwrapped && intentTemplateId(doc) === undefined ? intentTemplateId(doc, file) : undefined;
      if (named) {
        content = withTemplateId(content, doc, named);
        const template = intentTemplateOf(named);
        keptNotes.push({ file: rel(file), note: { where: 'templateId', message: `the intent's template (\`${named}\`, ${template ? template.name : 'a template not known here'}) is in the file's name alone, as IntuneBackupAndRestore writes its backups (\`<templateId>_<template name>_<intent name>_<intent id>.json\`); written into configuration/${stem}.json as \`templateId\`, Graph's own property, since the kept file is named otherwise` } });
      }
      // An intent written with a type Graph does not have (`#microsoft.graph.intent`): kept as exported and read by its
      // shape, as one with no type is; the note says which type Graph takes.
      const misnamed = foreign === 'deviceManagementIntent' ? misnamedIntentType(doc) : undefined;
      if (misnamed !== undefined) {
        keptNotes.push({ file: rel(file), note: { where: '@odata.type', message: `\`#microsoft.graph.${misnamed}\` is not a type Graph knows; by its shape this is a \`deviceManagementIntent\` written with a wrong type, kept as exported in configuration/${stem}.json and read as one: write \`#microsoft.graph.deviceManagementIntent\` before sending it to Graph` } });
      }
      kept.push({ path: `configuration/${stem}.json`, content, from: rel(file), what: `${describeForeignGraphType(foreign)}${keptFor(foreign, value)}${onboardingNote(foreign, value)}${unwrapped ? `, from ${unwrapped.wrapper}` : ''}` });
      continue;
    }
    if (c.type === 'policy') {
      const { value: body, notes: metadata } = withoutExporterMetadata(c.kind, value as Record<string, unknown>);
      policies.push({ file, kind: c.kind, value: body, wrapper: unwrapped?.wrapper, locations: unwrapped?.locations, context: contextOf(body), ...(metadata.length ? { metadata } : {}) });
    }
    else if (c.type === 'group' || c.type === 'migration-table') foundGroups(value, file);
    else if (c.type === 'native') skipped.push({ file: rel(file), reason: 'already a policy file of this format (has `kind` and `spec`); copy it as it is' });
    else if (unwrapped) skipped.push({ file: rel(file), reason: `${unwrapped.wrapper}${unwrapped.type ? ` of type \`${unwrapped.type}\`` : ''} that holds no policy of the kinds (${c.reason})` });
    // A Graph resource no check reads: said so, where a kept one of the same family says which check reads it (the
    // Windows Hello profile's reason says it already).
    else if (foreign && foreign !== WINDOWS_HELLO_TEMPLATE) skipped.push({ file: rel(file), reason: `${c.reason}: no check reads this type, so it is not imported` });
    else skipped.push({ file: rel(file), reason: c.reason });
  }

  const { names, newGroups, idsForListedGroups, conflicts } = mapGroups(found, existing);
  // Groups a policy names by display name, not by id (CIPP's Conditional Access templates do): the manifest gets them
  // by name, so they resolve and a break-glass group among them is offered; their ids are for the admin to add.
  const knownNames = new Set([...existing.map((g) => g.name), ...newGroups.map((g) => g.name)]);
  // The names this import adds (a name the manifest or an exported group already has is that group: no note).
  const addedByName = new Set<string>();
  const byName = new Map<string, string[]>();
  // A template's variables where a group goes (`__GRP_CA_EXC_ID__`, `$allusersgroupid`, `%CA504ExclGroupId%`): filled
  // in per tenant when the template is deployed, so no group of the manifest; the note says so.
  const placeholders = new Map<string, string[]>();
  for (const p of policies) {
    for (const ref of groupNamesIn(p.value)) {
      // A group the manifest already declares is that group, whatever its name looks like (as `isTemplateVariableGroup`
      // reads a tenant's references).
      if (!knownNames.has(ref) && isTemplateVariable(ref)) {
        const list = placeholders.get(p.file) ?? [];
        if (!list.includes(ref)) placeholders.set(p.file, [...list, ref]);
        continue;
      }
      if (!knownNames.has(ref)) {
        knownNames.add(ref);
        addedByName.add(ref);
        newGroups.push({ name: ref });
      }
      if (!addedByName.has(ref)) continue;
      const list = byName.get(p.file) ?? [];
      if (!list.includes(ref)) byName.set(p.file, [...list, ref]);
    }
  }

  const planned: PlannedPolicyFile[] = [];
  const selected: SelectedPolicyFile[] = [];
  const unmapped: FileNote[] = [];
  const notes: FileNote[] = [];
  const used = new Set<string>();
  const restrictionTypes = new Map<string, string[]>();
  const ext = options.format === 'json' ? 'json' : 'yaml';
  for (const p of policies) {
    const wanted = safeFileStem(rawPolicyName(p.value, p.item === undefined ? basename(p.file) : `${basename(p.file).replace(/\.[^.]*$/, '')}-${p.item + 1}`), new Set());
    // Intune writes one platform restriction of several enrollment types (Android: device administrator and work
    // profile) as one object per type, of one name and priority: each is written with its type in its name.
    const platformType = singlePlatformType(p.value);
    const pair = used.has(wanted) && platformType !== undefined && restrictionTypes.get(wanted)?.every((t) => t !== platformType);
    const base = pair ? `${wanted}-${platformType.toLowerCase()}` : wanted;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    if (platformType !== undefined) restrictionTypes.set(wanted, [...(restrictionTypes.get(wanted) ?? []), platformType]);
    // Two exports of one name: both are kept, and the tenant (like Graph, were both created) then holds two policies
    // of one display name; say so rather than let the rename hide it.
    // Intune's built-in defaults ("All users and all devices") share one name in every tenant and are never created.
    const builtIn = isTenantDefault({ kind: p.kind, spec: p.value });
    if (name !== wanted && !pair && !builtIn) notes.push({ file: rel(p.file), note: { where: 'displayName', message: `another export is also named \`${wanted}\`; this one is written as \`${name}\`. Keep one of them, or both would be created` } });
    const imported = importPolicy(p.kind, p.value, name, (id) => names.get(id));
    for (const n of imported.unmapped) unmapped.push({ file: rel(p.file), note: n });
    const properties = selectedProperties(p.context);
    if (properties) {
      // Exported with `$select`: only the listed properties were fetched. A policy file would say that every setting
      // left out is not set (30 false "not required" findings on a real portal capture), so the policy is kept as the
      // raw export it is, which the checks read as saying nothing about what it leaves out (docs/graph-interop.md).
      // An item of a list gets the context Graph gives one object of that request, so the file says so itself.
      const body = p.item !== undefined && p.value['@odata.context'] === undefined ? { '@odata.context': `${p.context}/$entity`, ...p.value } : p.value;
      selected.push({ path: `${conventionalFolder(p.kind, p.value)}/${name}.json`, content: JSON.stringify(body, null, 2) + '\n', from: rel(p.file), kind: p.kind, properties, wrapper: p.wrapper });
      continue;
    }
    for (const n of [...(p.metadata ?? []), ...imported.notes]) notes.push({ file: rel(p.file), note: n });
    const held = placeholders.get(p.file);
    if (held?.length) notes.push({ file: rel(p.file), note: { where: 'groups', message: placeholderNote(held) } });
    const named = byName.get(p.file);
    if (named?.length) {
      notes.push({ file: rel(p.file), note: { where: 'groups', message: `groups named by display name, not id (${named.map((n) => `\`${n}\``).join(', ')}): added to ${MANIFEST_FILE} by name, without an id; add each group's object id before \`ztp export\` (Graph takes ids only)` } });
    }
    if (p.locations?.length) {
      notes.push({ file: rel(p.file), note: { where: 'LocationInfo', message: `the template's named location definitions (${p.locations.map((n) => `\`${n}\``).join(', ')}) are left out: named locations have no policy kind, so they must exist in the tenant you export to` } });
    }
    const spec = imported.doc.spec as Record<string, unknown>;
    const header = [`Imported by ztp import from ${rel(p.file)}${p.wrapper ? ` (${p.wrapper})` : ''}.`, 'Read-only fields (ids, timestamps, OData annotations) were left out; every setting is as exported.'];
    planned.push({ path: `${conventionalFolder(p.kind, spec)}/${name}.${ext}`, content: renderPolicy(imported.doc, options.format, header), from: rel(p.file), kind: p.kind });
  }
  return {
    policies: planned,
    selected,
    kept,
    newGroups: [...newGroups].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1)),
    idsForListedGroups,
    facts,
    groupsRead: { ids: new Set(found.map((g) => g.id)).size, files: new Set(found.map((g) => g.from)).size },
    skipped,
    unreadable,
    unmapped,
    notes: [...conflicts, ...keptNotes, ...notes],
    importable: policies.length > 0 || kept.length > 0 || found.length > 0 || Object.keys(facts).length > 0,
  };
}

/**
 * Group ids → names: the manifest first, then migration tables (written with the policies, so their names are the
 * ones the policies knew), then exported group files. An id with two names in the export is noted. Two groups with
 * one display name get the id's first block added, so names stay unique.
 */
function mapGroups(found: FoundGroup[], existing: { name: string; id?: string }[]) {
  const names = new Map<string, string>();
  for (const g of existing) if (g.id) names.set(g.id.toLowerCase(), g.name);
  const taken = new Set(existing.map((g) => g.name));
  const ordered = [...found].sort((a, b) => Number(!a.table) - Number(!b.table));
  const conflicts: FileNote[] = [];
  const byId = new Map<string, FoundGroup[]>();
  for (const g of found) byId.set(g.id, [...(byId.get(g.id) ?? []), g]);
  for (const [id, list] of byId) {
    const distinct = [...new Set(list.map((g) => g.name))];
    if (distinct.length < 2) continue;
    const chosen = names.get(id) ?? ordered.find((g) => g.id === id)!.name;
    conflicts.push({ file: list.map((g) => g.from).join(', '), note: { where: `group ${id}`, message: `has ${distinct.length} names in the export (${distinct.map((n) => `"${n}"`).join(', ')}); "${chosen}" is used` } });
  }
  const newGroups: { name: string; id?: string }[] = [];
  const idsForListedGroups = new Map<string, string>();
  for (const g of ordered) {
    if (names.has(g.id)) continue;
    let name = g.name.trim() || g.id;
    const sameName = existing.find((e) => e.name === name);
    if (sameName && !sameName.id) {
      // The manifest lists the group by name without an id: this export supplies it.
      idsForListedGroups.set(name, g.id);
      names.set(g.id, name);
      continue;
    }
    if (taken.has(name)) name = `${name} (${g.id.slice(0, 8)})`;
    taken.add(name);
    names.set(g.id, name);
    newGroups.push({ name, id: g.id });
  }
  return { names, newGroups, idsForListedGroups, conflicts };
}

/**
 * Written so that YAML 1.1 and 1.2 read it alike: a string that a YAML 1.1 reader (PyYAML, Ansible, older tools in a
 * pipeline) would take for a date, a boolean or a number (`minimumRequiredPatchVersion: 0000-00-00`, `on`, `0777`) is
 * quoted, as is one YAML 1.2 (ours) would take for a number (`0o17`); the file has no `%YAML` directive.
 */
const WRITE_AS: DocumentOptions = { version: '1.1' };

/** A plain scalar YAML 1.2 may read as something other than a string: short, one word-like run. */
const MAYBE_TYPED = /^[\w.+\-:~ ]{1,40}$/;

/** A YAML 1.1 document of the value, with the strings YAML 1.2 would read otherwise quoted too. */
function documentOf(value: unknown): Document {
  const d = new Document(value, WRITE_AS);
  visit(d, {
    Scalar(_, node) {
      if (typeof node.value !== 'string' || !MAYBE_TYPED.test(node.value)) return;
      try {
        if (typeof parse(node.value) !== 'string') node.type = 'QUOTE_DOUBLE';
      } catch {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return d;
}

/** Render a policy file. YAML gets a header that says where it came from. */
function renderPolicy(doc: Record<string, unknown>, format: 'yaml' | 'json', header: string[]): string {
  if (format === 'json') return JSON.stringify(doc, null, 2) + '\n';
  const d = documentOf(doc);
  d.commentBefore = header.map((h) => ` ${h}`).join('\n');
  return d.toString({ lineWidth: 0 });
}

/** An existing manifest's groups (name and id), read without judging the rest of it. */
function manifestGroups(text: string): { name: string; id?: string }[] {
  const facts = collectFacts(parseText(MANIFEST_FILE, text));
  return facts.type === 'manifest' ? facts.groups.map((g) => ({ name: g.name, id: g.id })) : [];
}

/**
 * The platforms in use that the policy files show, in the catalogue's order: those an Intune policy or a raw profile kept
 * beside them manages (the model's `evidencedPlatformsOf`: a restriction that blocks its platform shows it is kept out;
 * a macOS custom profile carrying Defender's onboarding payload shows Macs), those a
 * CA policy that blocks every platform but some leaves out (Microsoft's "block access for unknown or unsupported
 * device platform": the supported ones), and those CA policies name. When a CA policy applies to every platform and
 * nothing but CA policies' own platform conditions names any, that list says nothing of the other platforms in use:
 * none is written, and the manifest's `platforms` stays undeclared (undeclared-fact asks for it).
 */
export function platformsOf(files: FileFacts[]): Platform[] {
  const evidence = new Set<Platform>();
  const named = new Set<Platform>();
  let open = false;
  for (const f of files) {
    if (f.type === 'manifest') continue;
    if (f.type !== 'policy' || f.kind !== 'ConditionalAccessPolicy') {
      // The model's evidence (`evidencedPlatformsOf`): what the manifest would be taken to list had it listed none,
      // the raw profiles import keeps included (a macOS custom profile that onboards Macs to Defender).
      evidencedPlatformsOf(f).forEach((p) => evidence.add(p as Platform));
    } else if (!f.allPlatforms) {
      f.platforms.forEach((p) => named.add(p));
    } else if (grantControlsOf(f).includes('block') && f.platforms.length < PLATFORMS.length) {
      PLATFORMS.filter((p) => !f.platforms.includes(p)).forEach((p) => evidence.add(p));
    } else {
      open = true;
    }
  }
  if (open && !evidence.size) return [];
  return PLATFORMS.filter((p) => evidence.has(p) || named.has(p));
}

export interface ManifestPlanOptions {
  /** The manifest's current text; undefined when the tenant folder has none. */
  text?: string;
  /** How messages name the manifest (a path as the user would type it). */
  label: string;
  /** The tenant folder's name (the new manifest's `name` is its slug) and the export folder's. */
  tenantFolder: string;
  sourceFolder: string;
  licenses: string[];
  /** The platforms the tenant's policies name (only used when the manifest is created). */
  platforms: Platform[];
}

/** The manifest change: the content to write (a new file, or the old one extended), and the line that says so. */
export interface ManifestPlan {
  write?: { content: string; mode: 'create' | 'replace' };
  summary?: string;
}

/** Create the manifest, or add the new groups (and ids found for listed groups) to the one there. */
export function planManifest(plan: ImportPlan, o: ManifestPlanOptions): ManifestPlan {
  const sorted = plan.newGroups;
  const facts = plan.facts;
  const ids = plan.idsForListedGroups;
  if (o.text === undefined) {
    const breakGlass = sorted.filter((g) => BREAK_GLASS.test(g.name)).map((g) => g.name);
    const value: Record<string, unknown> = { kind: 'Tenant', name: slugName(o.tenantFolder) || 'tenant', licenses: o.licenses };
    if (o.platforms.length) value.platforms = o.platforms;
    if (sorted.length) value.groups = sorted.map((g) => (g.id ? { name: g.name, id: g.id } : { name: g.name }));
    if (breakGlass.length) value.breakGlass = { groups: breakGlass };
    if (Object.keys(facts).length) value.settings = { ...facts };
    const d = documentOf(value);
    const header = [
      ` Created by ztp import from ${o.sourceFolder}.`,
      o.licenses.length ? ' Licences as given with --license.' : ' TODO: list the licences the tenant holds (license-missing checks nothing until you do).',
      o.platforms.length
        ? ' Platforms: those the imported policies, and the profiles kept beside them, manage.'
        : ' No platforms: the imported policies do not show which are in use (none names one, or one applies to every platform),\n so the checks count those the policies name. List the platforms in use in `platforms`.',
    ];
    if (sorted.some((g) => g.id)) header.push(' Groups: names from the export (migration table, exported groups); ids as in Entra.');
    if (sorted.some((g) => !g.id)) header.push(' Groups without an id: the export names them by display name only; add their object ids before `ztp export`.');
    if (breakGlass.length) header.push(' breakGlass: groups whose name says break-glass or emergency access; check them.');
    const undeclared = [
      ...(breakGlass.length ? [] : ['breakGlass']),
      ...(facts.secureByDefault === undefined ? ['settings.secureByDefault'] : []),
      ...(facts.applePushCertificate ? [] : ['settings.applePushCertificate']),
      ...(facts.androidEnterprise ? [] : ['settings.androidEnterprise.bindStatus']),
    ];
    if (Object.keys(facts).length) header.push(` settings: ${Object.keys(facts).join(', ')} as the export shows them.`);
    if (undeclared.length) {
      header.push(` Not declared, because the export does not show them: ${undeclared.join(', ')}.`);
      header.push(' Unknown is not false: the checks that need them stay silent and say (undeclared-fact) what to declare.');
    }
    d.commentBefore = header.join('\n');
    return {
      write: { content: d.toString({ lineWidth: 0 }), mode: 'create' },
      summary: `created ${o.label} with ${sorted.length} ${sorted.length === 1 ? 'group' : 'groups'}${breakGlass.length ? ` (break-glass: ${breakGlass.join(', ')})` : ''}${o.licenses.length ? '' : "; add the tenant's licences to it"}`,
    };
  }
  if (!sorted.length && !ids.size) return {};
  const d = parseDocument(o.text);
  if (d.errors.length || !isMap(d.contents)) return { summary: `${MANIFEST_FILE} could not be extended (it does not parse as a mapping); add these groups by hand: ${sorted.map((g) => (g.id ? `${g.name} (${g.id})` : g.name)).join(', ')}` };
  let seq = d.get('groups');
  if (!isSeq(seq)) {
    d.set('groups', d.createNode([]));
    seq = d.get('groups');
  }
  if (isSeq(seq)) {
    for (const item of seq.items) {
      if (isMap(item)) {
        const name = item.get('name');
        if (typeof name === 'string' && ids.has(name) && !item.has('id')) item.set('id', ids.get(name));
      }
    }
    for (const g of sorted) {
      const m = new YAMLMap();
      m.set('name', g.name);
      if (g.id) m.set('id', g.id);
      seq.items.push(m);
    }
  }
  return {
    write: { content: d.toString({ lineWidth: 0 }), mode: 'replace' },
    summary: `extended ${MANIFEST_FILE}: ${sorted.length} groups added${ids.size ? `, ids for ${[...ids.keys()].join(', ')}` : ''}`,
  };
}

/**
 * Group references that are display names, not ids: in a Conditional Access policy's users (CIPP writes them so), and
 * in assignment targets that carry `groupName` without `groupId` (IntuneCD removes the id).
 */
function groupNamesIn(v: Record<string, unknown>): string[] {
  const users = asObject(asObject(v.conditions)?.users);
  const refs: unknown[] = users ? [users.includeGroups, users.excludeGroups].flatMap((l) => (Array.isArray(l) ? l : [])) : [];
  // An Intune assignment's group, by `groupId` or IntuneCD's `groupName`: a name where the id goes
  // (`"groupId": "Emergency Breakglass"`) or a template's variable (`"$allusersgroupid"`) is read as in a CA policy.
  for (const t of readGraphAssignments(v.assignments)) refs.push(t.groupId ?? t.groupName);
  return refs.filter(isGroupNamedInExport);
}

/**
 * Simeon Cloud's reference to a group (`${urn:resource:MSGraph:Groups/<display name>?id}`), which Simeon replaces by
 * the group's id when it deploys the file: the group's display name, or undefined for any other value.
 */
export function simeonGroupName(value: unknown): string | undefined {
  const m = typeof value === 'string' ? /^\$\{urn:resource:MSGraph:Groups\/([^?{}]+)\?id\}$/.exec(value) : null;
  return m?.[1]?.trim() || undefined;
}

/**
 * A raw export without what its exporter added that is no Graph property (`exporterMetadata`, graph.ts, the reading
 * the raw reader shares: keys beginning with `$`, Simeon's `expand`, the display name from `$friendlyName`), and its groups named `${urn:resource:MSGraph:Groups/<name>?id}` are the groups `<name>`
 * (`simeonGroupName`). Each change is said in a note.
 */
function withoutExporterMetadata(kind: PolicyKind, v: Record<string, unknown>): { value: Record<string, unknown>; notes: ImportNote[] } {
  const notes: ImportNote[] = [];
  const metadata = exporterMetadata(kind, v);
  if (!metadata && !JSON.stringify(v).includes('${urn:resource:MSGraph:Groups/')) return { value: v, notes };
  const out = metadata?.body ?? v;
  if (metadata) notes.push({ where: metadata.dropped.map((k) => `\`${k}\``).join(', '), message: `left out: an exporter's metadata (Simeon Cloud writes \`$description\`, \`$friendlyName\` and \`expand\`), not Graph properties (a key beginning with \`$\` is never one), which Graph would refuse` });
  if (metadata?.named) notes.push({ where: metadata.named.key, message: `taken from \`$friendlyName\` (\`${metadata.named.value}\`): the export has no \`${metadata.named.key}\`, which Graph requires` });
  const groups: string[] = [];
  const named = (x: unknown): unknown => {
    const name = simeonGroupName(x);
    if (name !== undefined) {
      if (!groups.includes(name)) groups.push(name);
      return name;
    }
    if (Array.isArray(x)) return x.map(named);
    if (isPlainObject(x)) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, named(y)]));
    return x;
  };
  const value = named(out) as Record<string, unknown>;
  if (groups.length) notes.push({ where: 'groups', message: `Simeon Cloud's group references (\`\${urn:resource:MSGraph:Groups/<name>?id}\`, the group's id filled in when Simeon deploys) read as the groups they name: ${groups.map((g) => `\`${g}\``).join(', ')}` });
  return { value, notes };
}

/**
 * What `ztp import` says of the template variables a policy has where a group goes: placeholders, kept as written
 * and not added to the manifest as groups (`check` then says, through `unresolved-group`, what each stands for).
 */
function placeholderNote(held: readonly string[]): string {
  return templateVariablesNote(held, { name: 'group', not: 'a group', kept: ` and not added to ${MANIFEST_FILE}`, replace: `a group of ${MANIFEST_FILE} (or its object id)` });
}

/** The `platformType` of a single-platform enrollment restriction (`android`, `androidForWork`…), or undefined. */
function singlePlatformType(v: Record<string, unknown>): string | undefined {
  const type = typeof v['@odata.type'] === 'string' ? v['@odata.type'].replace(/^#?microsoft\.graph\./, '') : '';
  return type === 'deviceEnrollmentPlatformRestrictionConfiguration' && typeof v.platformType === 'string' && /^[A-Za-z]+$/.test(v.platformType) ? v.platformType : undefined;
}

/**
 * What `ztp import` says of a PowerShell SDK object it keeps as exported (`powerShellSdkEnumsLost`): it cannot become a
 * policy file, and why, with the way to export it again.
 */
function sdkKeptNote(sdk: Record<string, unknown>, advice: string): string {
  return `a \`${rawKindOf(sdk)}\` as the PowerShell SDK writes it, kept as exported: it cannot become a policy file, and while it is here the checks that look for its kind hold back; ${advice}`;
}

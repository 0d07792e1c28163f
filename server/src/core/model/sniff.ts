/**
 * What a file that could not be read or parsed may hold, told from what of its text there is: the tenant model's
 * `unreadable` (a policy that is unknown, never missing) and discovery outside any tenant (a file that may be a policy
 * is checked, so its syntax error is reported) read it here, so the two agree on which files may be policies.
 */
import type { FileFacts } from '../facts';
import { graphTypeName, kindOfODataType, mayBeConfigurationEvidence, topLevelODataType } from '../graph';
import { isPolicyKind, type PolicyKind } from '../kinds';
import { isUnreadable } from '../reads';
import { platformOfODataType, type Platform } from '../platforms';

const KIND_IN_YAML = /^\s*["']?kind["']?\s*:\s*["']?([A-Za-z]+)/m;
/** A file's `owner`, read as its `kind` is: a key at the start of a line, in YAML or JSON, its value a plain word. */
const OWNER_IN_TEXT = /^\s*["']?owner["']?\s*:\s*["']?([A-Za-z0-9_.@-]+)/m;
const ODATA_IN_TEXT = /"@odata\.type"\s*:\s*"(#?microsoft\.graph\.[A-Za-z0-9]+)"/;
/** The keys a policy file is told by: ours (`kind`, `spec`), or a raw export's (`rawKindOf`). */
const POLICY_KEYS = /(?:kind|spec|@odata\.type|conditions|settings|partnerState)["']?\s*:/;
/** The keys of a raw CA export (`rawKindOf`): its conditions, and its grant or session controls. */
const CA_KEYS = [/["']?conditions["']?\s*:/, /["']?(?:grantControls|sessionControls)["']?\s*:/];
/** The keys of a raw settings catalog export (`rawKindOf`). */
const CATALOG_KEYS = [/["']?technologies["']?\s*:/, /["']?platforms["']?\s*:/, /["']?(?:settings|templateReference)["']?\s*:/];
/** As much of a file as the sniffing reads. */
const SNIFFED_CHARS = 65536;

/**
 * The text the sniffing reads: the file's own, or, for a file over the size limit (whose text is empty: it was not
 * read whole), the first bytes the host read of it (`SyntaxProblem.head`), as a file that does not parse is read.
 */
export function sniffedText(f: FileFacts): string {
  const text = headOf(f) ?? f.parsed.text;
  // Bytes that are not clean text (a UTF-16 file whose byte order mark was damaged, read as UTF-8: every other byte a
  // NUL, each now U+FFFD): what was decoded, read past the characters that could not be, so `"kind": "CompliancePolicy"`
  // and its `@odata.type` still show (https://www.unicode.org/faq/utf_bom.html#BOM).
  return (undecodable(f) ? text.replace(/\uFFFD/g, '') : text).slice(0, SNIFFED_CHARS);
}

/** Whether the file's bytes were not clean text (`SyntaxProblem.undecodable`). */
function undecodable(f: FileFacts): boolean {
  return f.parsed.syntaxErrors.some((e) => e.undecodable);
}

/** The first characters kept of a file over the size limit (`SyntaxProblem.head`), if it is one. */
function headOf(f: FileFacts): string | undefined {
  return f.parsed.syntaxErrors[0]?.head;
}

/**
 * The kind of policy a Graph collection holds, from the entity set its `@odata.context` names (`…/$metadata#
 * deviceManagement/deviceCompliancePolicies(…)`), where the set holds one kind of ours; template and custom profiles
 * (`deviceConfigurations`) are what the configuration checks read. Undefined for any other set, or none.
 * Graph: https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancepolicy-list
 */
const KIND_OF_ENTITY_SET: Readonly<Record<string, PolicyKind>> = {
  'deviceManagement/deviceCompliancePolicies': 'CompliancePolicy',
  'deviceManagement/compliancePolicies': 'CompliancePolicy',
  'deviceManagement/configurationPolicies': 'ConfigurationProfile',
  'deviceManagement/deviceConfigurations': 'ConfigurationProfile',
  'deviceManagement/windowsAutopilotDeploymentProfiles': 'AutopilotProfile',
  'deviceManagement/mobileThreatDefenseConnectors': 'DefenderConnector',
  'identity/conditionalAccess/policies': 'ConditionalAccessPolicy',
  'deviceAppManagement/iosManagedAppProtections': 'AppProtectionPolicy',
  'deviceAppManagement/androidManagedAppProtections': 'AppProtectionPolicy',
  'deviceAppManagement/windowsManagedAppProtections': 'AppProtectionPolicy',
};

function kindOfCollectionContext(text: string): PolicyKind | undefined {
  // Only the outermost object's context, before its `value`: a bare list's first item's (`…/$entity`, one object's)
  // says nothing of the list, nor does a nested one.
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (!start.startsWith('{')) return undefined;
  const value = start.search(/"value"\s*:/);
  const match = /"@odata\.context"\s*:\s*"[^"#]*#([^"(]*)/.exec(start);
  if (!match || (value >= 0 && match.index > value)) return undefined;
  return KIND_OF_ENTITY_SET[match[1]!];
}

/** Whether a text opens a list of documents: a bare JSON list, or a Graph collection's `value`. */
function isListText(text: string): boolean {
  return /^\s*\[/.test(text) || /["']?value["']?\s*:\s*\[/.test(text);
}

/**
 * What kind of policy an unreadable file may hold, from what of its text there is; `none` when it names a Graph
 * resource of none of our kinds at its top level (an app configuration with a trailing comma), or has none of the
 * keys a policy is told by, as the file would be read once it parses (`rawKindOf`: such a file holds no policy). A
 * raw template, custom or intent profile may hold what a `ConfigurationProfile` would (`mayBeConfigurationEvidence`).
 */
export function sniffKind(f: FileFacts): PolicyKind | '*' | 'none' {
  const head = headOf(f) !== undefined;
  const documents = yamlDocuments(sniffedText(f));
  // Several YAML documents: each may hold a policy. One kind when they all name the same, any when they differ.
  const kinds = new Set(documents.map((d) => kindInText(d, head)).filter((k) => k !== 'none'));
  const kind = documents.length <= 1 ? kindInText(documents[0] ?? '', head) : kinds.size === 0 ? 'none' : kinds.size === 1 ? [...kinds][0]! : '*';
  // A file whose bytes could not be decoded is not read, so what it lacks is not known to be lacking: where what was
  // decoded shows none of a policy's keys, it may hold any (a file that cannot be read is not missing).
  return kind === 'none' && undecodable(f) ? '*' : kind;
}

/**
 * The `owner` an unreadable file names, read from its text as its kind is (`sniffKind`): the team the report files its
 * findings under, as it would once the file parses. Undefined when its text names none (or it holds several documents
 * that name different ones).
 */
export function sniffOwner(f: FileFacts): string | undefined {
  const owners = new Set(yamlDocuments(sniffedText(f)).map((d) => OWNER_IN_TEXT.exec(d)?.[1]));
  return owners.size === 1 ? [...owners][0] : undefined;
}

/** A YAML document marker (`---` or `...` at the start of a line): never content, not even inside a quoted scalar. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t]|\r?$)/m;

/**
 * The texts of a YAML stream's documents, those that hold anything but blank lines (one, the text itself, when it has
 * no document marker). A file of several documents does not parse (document.ts): what each of them may hold counts.
 */
function yamlDocuments(text: string): string[] {
  if (!DOCUMENT_MARKER.test(text)) return [text];
  const documents = text.split(new RegExp(DOCUMENT_MARKER.source, 'gm')).filter((d) => d.trim() !== '');
  return documents.length ? documents : [text];
}

/**
 * `sniffKind` of a text: `head` says it is the first bytes of a file over the size limit, which may hold a policy
 * whatever they show, as long as they name no other Graph resource.
 */
function kindInText(text: string, head: boolean): PolicyKind | '*' | 'none' {
  // No text at all: the file could not be read (refused, not text; too large with no head to hand), so it may hold
  // anything.
  if (!text.trim()) return '*';
  // A list (a bare one, or a Graph collection's `value`): its first item's type says nothing of the others (a list of
  // Windows compliance policies may end with a CA policy), as `sniffPlatform` reads it. A collection's `@odata.context`
  // names the entity set it was read from, which holds one kind (`deviceCompliancePolicies` holds no CA policy).
  if (isListText(text)) return kindOfCollectionContext(text) ?? '*';
  const k = KIND_IN_YAML.exec(text)?.[1];
  if (k === 'Tenant') return '*';
  if (k && isPolicyKind(k)) return k;
  const top = topLevelODataType(text);
  // A raw template, custom or intent profile (no kind of ours holds one) is read by the configuration and onboarding
  // checks once it parses, and shows the tenant enrolls its platform: it may hold what a configuration profile would.
  if (top !== undefined) return kindOfODataType(top) ?? (mayBeConfigurationEvidence(graphTypeName(top) ?? '') ? 'ConfigurationProfile' : 'none');
  const t = ODATA_IN_TEXT.exec(text)?.[1];
  const byType = t ? kindOfODataType(t) : undefined;
  if (byType) return byType;
  // A raw export with no `@odata.type` is told by its keys, as `rawKindOf` tells it once it parses: a CA policy has
  // `conditions` beside its grant or session controls; a settings catalog policy its `technologies` and `platforms`.
  // (A nested type, such as the `conditionalAccessAllExternalTenants` of a policy that scopes guests, says nothing.)
  if (CA_KEYS.every((re) => re.test(text))) return 'ConditionalAccessPolicy';
  if (CATALOG_KEYS.every((re) => re.test(text))) return /["']?scheduledActionsForRule["']?\s*:/.test(text) ? 'CompliancePolicy' : 'ConfigurationProfile';
  // Nothing a reader of policies goes by (`kind`, `@odata.type`, or the keys `rawKindOf` tells a raw export by): a
  // tenant list, a note, a script's settings. Parsed, it would hold no policy either; but the head of a file over the
  // size limit is not the file, and what it lacks may come after it (a long comment first), so that may hold any.
  return t || POLICY_KEYS.test(text) || head ? '*' : 'none';
}

/**
 * Whether a file in no tenant folder that did not parse is checked all the same (its syntax errors reported) when a
 * folder scan meets it, as it is when named: its text shows a policy by the sniffing above (one of our kinds, a Graph
 * resource of one of them, or a policy's keys). Stricter than the model only where the model guesses for safety: a
 * file with no text (too large, not read) or one that names a `kind` of no policy of ours (another tool's file, or a
 * `Tenant` not named zerotrust.yaml) is left alone, as a folder scan leaves such a file alone when it parses. A file
 * over the size limit is read from the first bytes kept of it (`SyntaxProblem.head`) as a file that does not parse is
 * read from its text: they must show a policy themselves (a `data.json` of 2 MB whose first 64 KB show none is not
 * taken for one here, where the model, inside a tenant, must suppose it may be; `overSizeNotChecked` says it).
 */
export function mayHoldPolicyOutsideTenant(f: FileFacts): boolean {
  if (f.type !== 'other' || !isUnreadable(f)) return false;
  const text = sniffedText(f);
  if (!text.trim()) return false;
  const k = KIND_IN_YAML.exec(text)?.[1];
  if (k !== undefined && !isPolicyKind(k)) return false;
  return kindInText(text, false) !== 'none';
}

/**
 * The size of a file over the size limit, in bytes (characters for an editor buffer), or undefined for any other file.
 */
export function overSize(f: FileFacts): number | undefined {
  const problem = f.parsed.syntaxErrors[0];
  return problem?.unread ? problem.size : undefined;
}

/**
 * The platform an unreadable file's policy is for, when its text names its Graph type (`#microsoft.graph.
 * windows10CompliancePolicy`: Windows); undefined when it names none, so it may be for any.
 */
export function sniffPlatform(f: FileFacts): Platform | undefined {
  const documents = yamlDocuments(sniffedText(f));
  if (documents.length > 1) {
    // Several documents: one platform only when every one of them names it.
    const platforms = new Set(documents.map(platformInText));
    return platforms.size === 1 ? [...platforms][0] : undefined;
  }
  return platformInText(documents[0] ?? '');
}

function platformInText(text: string): Platform | undefined {
  // A list (a bare one, or a Graph collection's `value`) may hold policies of every platform, whatever its first item.
  if (isListText(text)) return undefined;
  // The outermost object's type; in a policy file of ours (`kind:`), the first type there is its `spec`'s.
  const type = topLevelODataType(text) ?? (KIND_IN_YAML.test(text) ? ODATA_IN_TEXT.exec(text)?.[1] : undefined);
  return type === undefined ? undefined : platformOfODataType(type);
}

import { spanAtPath, type JsonPath } from '../document';
import type { FileFacts, PolicyFacts } from '../facts';
import { foreignAssignment, intentProperties, intentTemplateId, isEdrIntent } from '../graph';
import { templateFamilyOf } from '../kinds';
import { intentTemplateOf } from '../intent-templates';
import { catalogPayloadType, ESCROW_PAYLOAD, isEscrowPayloadType, macOSCustomPayloads, payloadsOfType } from '../model/apple-payloads';
import { modelOf, settingsNotExported, unexportedMayHold } from '../model/index';
import { foreignDocument } from '../model/foreign';
import { targetsInWords } from '../model/setting-values';
import type { Targets } from '../model/targets';
import type { Rule, TenantView } from '../rule';
import { settingInstances } from '../settings-catalog/instances';
import { policySpan } from '../tenant-query';
import type { Span } from '../types';
import { configurationProfiles, foreignDocuments, foreignName, profileLabel, protectionIn, type ProtectionSource } from './configuration-helpers';
import { FILEVAULT } from './filevault-not-configured';

/** The settings catalog's FileVault Recovery Key Escrow payload: its group, and its `Location` (the one key Intune asks for). */
const ESCROW_LOCATION = 'com.apple.security.fderecoverykeyescrow_location';
/**
 * The endpoint security disk encryption family: its macOS profile is FileVault, whose recovery key type is the
 * personal key only, which Intune escrows ("For Recovery key type, only Personal Recovery Key is supported",
 * https://learn.microsoft.com/intune/device-configuration/endpoint-security/encrypt-filevault-macos).
 */
const DISK_ENCRYPTION_FAMILY = 'endpointSecurityDiskEncryption';

/** Whether a profile or export escrows the personal recovery key to Intune: yes, no, or unknown (it may). */
type Escrow = 'yes' | 'no' | 'unknown';

/** A settings catalog or endpoint security profile: its escrow payload, or the disk encryption template that escrows itself. */
function profileEscrows(p: PolicyFacts): Escrow {
  if (templateFamilyOf(p.spec?.templateReference) === DISK_ENCRYPTION_FAMILY) return 'yes';
  // Exported without its settings: it may carry the escrow payload only where its template family may hold FileVault
  // (the model's table; a firewall or antivirus profile does not). Assigned to nobody, the caller skips it.
  if (settingsNotExported(p)) return unexportedMayHold(p).holds.includes('filevault') ? 'unknown' : 'no';
  return settingInstances(p.spec).some((i) => isEscrowPayloadType(catalogPayloadType(i.key))) ? 'yes' : 'no';
}

/**
 * The endpoint protection template (and its intent): the recovery key types it selects. Intune escrows the personal
 * key (`fileVaultSelectedRecoveryKeyTypes` holds `personalRecoveryKey`), never an institutional one; an export
 * without the property may select it (https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-macosfilevaultrecoverykeytypes).
 */
function templateEscrows(props: Record<string, unknown>): Escrow {
  // Its FileVault section off: it writes no FileVault payload, and no escrow either.
  if (props.fileVaultEnabled === false) return 'no';
  // Graph's flags enum is a string (`personalRecoveryKey,institutionalRecoveryKey`); an intent's `valueJson` holds it
  // as a list (`["personalRecoveryKey"]`, Nerdio's FileVault intent).
  const types = props.fileVaultSelectedRecoveryKeyTypes;
  const list = typeof types === 'string' ? types.split(',') : Array.isArray(types) && types.every((t) => typeof t === 'string') ? (types as string[]) : undefined;
  if (!list) return 'unknown';
  return list.some((t) => t.trim() === 'personalRecoveryKey') ? 'yes' : 'no';
}

/** A raw export of no kind (a template profile, an intent, a custom profile): whether it escrows the key. */
function foreignEscrows(type: string, doc: Record<string, unknown>): Escrow {
  if (type === 'macOSEndpointProtectionConfiguration') return templateEscrows(doc);
  if (type === 'macOSCustomConfiguration') {
    const read = macOSCustomPayloads(doc);
    return read.state === 'unknown' ? 'unknown' : payloadsOfType(read.payloads, ESCROW_PAYLOAD).length ? 'yes' : 'no';
  }
  if (type === 'deviceManagementIntent') {
    // The EDR intent onboards to Defender; an intent of a Windows template (a security baseline, BitLocker, the
    // firewall…: the intent template table) holds no Mac setting.
    if (isEdrIntent(doc) || intentTemplateOf(intentTemplateId(doc))?.platform === 'windows') return 'no';
    const byType = intentProperties(doc);
    if (!byType) return 'unknown';
    const mac = byType.get('macOSEndpointProtectionConfiguration');
    return mac ? templateEscrows(mac) : 'no';
  }
  return 'no';
}

/** One profile that turns FileVault on for someone and leaves the recovery key where Intune cannot read it. */
interface Unescrowed {
  source: ProtectionSource;
  span: Span;
  what: string;
  /** The escrow profiles of the tenant, when some exist but certainly do not reach every device this one reaches. */
  partial?: { name: string; whom: string }[];
}

/** Whom an assignment reaches, in words, for the message (`targetsInWords`, as the onboarding reach names it). */
function whomText(t: Targets | undefined): string {
  return t ? targetsInWords(t) : 'assignments its file does not list';
}

/**
 * The assigned profiles that turn FileVault on for devices the escrow payload does not reach: every one of them when
 * no assigned profile escrows the personal recovery key; otherwise those that neither escrow it themselves nor are
 * reached by the escrow profiles together, where the files show some of their devices certainly outside them (the
 * tenant model's `reachOfAll`: FileVault on all devices and escrow on a group; groups known disjoint). Empty when any
 * profile may escrow the key (an unknown value, a profile exported without its settings or payload or its
 * assignments, a file not analysed), or when whom they reach may overlap (groups the manifest does not describe, filters).
 */
function unescrowed(tenant: TenantView): Unescrowed[] {
  const answer = protectionIn(tenant, FILEVAULT);
  if (answer.state !== 'met') return [];
  const model = modelOf(tenant);
  if (model.mayHide('ConfigurationProfile')) return [];
  // Every profile that reaches someone (or whose assignments are not in its file) and may carry the escrow payload.
  // The payload escrows the key on the Macs it is installed on, whichever profile turned FileVault on there (Apple:
  // one escrow payload per Mac, in any system profile); a Mac it does not reach keeps its key to itself.
  const escrows: { file: FileFacts; name: string }[] = [];
  for (const p of configurationProfiles(tenant, 'macOS')) {
    const escrow = profileEscrows(p);
    if (escrow === 'no') continue;
    const reach = model.assignmentOf(p);
    if (reach === 'nobody') continue;
    if (escrow === 'unknown' || reach === 'undeclared') return [];
    escrows.push({ file: p, name: profileLabel(p) });
  }
  for (const { file, type, doc } of foreignDocuments(tenant)) {
    const escrow = foreignEscrows(type, doc);
    if (escrow === 'no') continue;
    const reach = foreignAssignment(doc);
    if (reach === 'nobody') continue;
    if (escrow === 'unknown' || reach === 'undeclared') return [];
    escrows.push({ file, name: foreignName(file, doc) });
  }
  const out: Unescrowed[] = [];
  for (const source of answer.sources) {
    if (source.assigned !== 'assigned') continue;
    const f = source.file;
    let partial: Unescrowed['partial'];
    if (escrows.length) {
      // FileVault and its escrow in one profile: every Mac that takes the one takes the other.
      if (escrows.some((e) => e.file === f)) continue;
      if (model.reachOfAll(escrows.map((e) => e.file), f).state !== 'some') continue;
      partial = escrows.map((e) => ({ name: e.name, whom: whomText(model.fileTargets(e.file)) }));
    }
    if (f.type === 'policy' && f.kind === 'ConfigurationProfile') {
      const enable = FILEVAULT.enabling(settingInstances(f.spec))[0];
      out.push({ source, partial, span: enable ? policySpan(f, ['spec', ...enable.idPath], 'value') : policySpan(f, ['spec'], 'key'), what: `sets no FileVault Recovery Key Escrow (\`${ESCROW_LOCATION}\`)` });
      continue;
    }
    const foreign = foreignDocument(f);
    if (!foreign) continue;
    const { type, doc } = foreign;
    const at: JsonPath = type === 'macOSCustomConfiguration' ? ['payload'] : 'fileVaultSelectedRecoveryKeyTypes' in doc ? ['fileVaultSelectedRecoveryKeyTypes'] : 'fileVaultEnabled' in doc ? ['fileVaultEnabled'] : ['@odata.type'];
    const what =
      type === 'macOSCustomConfiguration'
        ? `carries FileVault's payload (\`com.apple.MCX.FileVault2\`, \`Enable: On\`) and no recovery key escrow payload (\`${ESCROW_PAYLOAD}\`)`
        : 'selects no personal recovery key (`fileVaultSelectedRecoveryKeyTypes` without `personalRecoveryKey`), the only key Intune escrows';
    out.push({ source, partial, span: spanAtPath(f.parsed, at, 'key'), what });
  }
  return out;
}

/** FileVault is turned on for Macs no assigned escrow profile reaches (none at all, or only some of them). */
export const filevaultRecoveryKeyNotEscrowed: Rule = {
  id: 'filevault-recovery-key-not-escrowed',
  title: 'FileVault is turned on, but no assigned profile escrows the personal recovery key to Intune, or the escrow profiles reach only some of the Macs that encrypt',
  category: 'layer',
  layer: 5,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/device-configuration/endpoint-security/encrypt-filevault-macos',
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-filevaultstate',
  ],
  peers: [],
  check(tenant, emit) {
    const found = unescrowed(tenant);
    for (const u of found) {
      const loss =
        "Intune never holds the Mac's personal recovery key, so nobody can unlock a Mac whose user forgot the password (its data is lost), Intune cannot rotate or show the key, and the encryption report lists the Mac as `escrowNotEnabled`. ";
      const message = u.partial
        ? `${u.source.name} turns on FileVault for ${whomText(modelOf(tenant).fileTargets(u.source.file))}, but the recovery key escrow payload does not reach all of those Macs: ` +
          `${u.partial.map((e) => `${e.name} (assigned to ${e.whom})`).join(', ')} ${u.partial.length > 1 ? 'escrow' : 'escrows'} the key only on the Macs ${u.partial.length > 1 ? 'they are' : 'it is'} installed on. ` +
          `On the others, ${loss}` +
          `Assign the escrow profile to every device ${u.source.name} reaches, or add FileVault Recovery Key Escrow with a Location to ${u.source.name} itself (settings catalog: Full Disk Encryption > FileVault Recovery Key Escrow)`
        : `${u.source.name} turns on FileVault for the devices it is assigned to, but it ${u.what}, and no other assigned profile escrows the key: ` +
          loss +
          'Add FileVault Recovery Key Escrow with a Location to the profile (settings catalog: Full Disk Encryption > FileVault Recovery Key Escrow), or use the endpoint security FileVault profile (Endpoint security > Disk encryption > macOS), which escrows the personal recovery key';
      emit({
        file: u.source.file,
        span: u.span,
        message,
        related: found.filter((o) => o !== u).map((o) => ({ file: o.source.file.path, span: o.span, message: 'also turns on FileVault without escrowing the recovery key' })),
        data: { platform: 'macOS', state: u.partial ? 'partlyEscrowed' : 'unescrowed' },
      });
    }
  },
};

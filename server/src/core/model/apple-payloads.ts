/**
 * What the tenant's Macs are told by Apple configuration payloads, whichever Intune profile carries them: a settings
 * catalog or endpoint security profile (its setting ids are the payload's type and key, lower-cased:
 * `com.apple.mcx.filevault2_enable`), the older endpoint protection template (`macOSEndpointProtectionConfiguration`),
 * or a macOS custom configuration profile (`macOSCustomConfiguration`), whose `payload` is the `.mobileconfig` itself,
 * base64 (Graph: https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-macoscustomconfiguration; Intune:
 * https://learn.microsoft.com/intune/intune-service/configuration/custom-settings-macos).
 * The one answer to "does this payload turn FileVault (or the firewall) on, does it escrow the recovery key": the
 * configuration checks feed it the settings catalog's choices, the template's properties and a custom profile's
 * payloads alike, and the layer status counts what they find.
 */
import { decodeBytes } from '../text';
import { isPlistDict, parsePlist, type PlistDict } from '../plist';

/** Apple's payload types (https://developer.apple.com/documentation/devicemanagement/fdefilevault and siblings). */
export const FILEVAULT_PAYLOAD = 'com.apple.MCX.FileVault2';
export const FIREWALL_PAYLOAD = 'com.apple.security.firewall';
/** FileVault recovery key escrow: the personal recovery key goes to the MDM server (Intune) encrypted for it. */
export const ESCROW_PAYLOAD = 'com.apple.security.FDERecoveryKeyEscrow';

/** FileVault's `Enable` key: the string `On` turns FileVault on (`Off` turns it off). */
export function fileVaultEnableOn(enable: unknown): boolean {
  return enable === 'On';
}

/** The firewall payload's `EnableFirewall` key: the boolean `true` turns the application firewall on. */
export function firewallEnableOn(enable: unknown): boolean {
  return enable === true;
}

/** Whether a payload type is the recovery key escrow payload (types compare case-insensitively: the catalog lower-cases them). */
export function isEscrowPayloadType(type: string): boolean {
  return type.toLowerCase() === ESCROW_PAYLOAD.toLowerCase();
}

/** The payload type a settings catalog id belongs to: the part before its first `_` (`com.apple.mcx.filevault2`). */
export function catalogPayloadType(settingId: string): string {
  const i = settingId.indexOf('_');
  return (i < 0 ? settingId : settingId.slice(0, i)).toLowerCase();
}

/** What a macOS custom profile's payload says: its payloads, or unknown, and why. */
export type CustomPayloads = { state: 'read'; payloads: PlistDict[] } | { state: 'unknown'; reason: string };

const READ = new WeakMap<Record<string, unknown>, CustomPayloads>();

/**
 * The payloads of a macOS custom configuration profile: the `PayloadContent` items of its `.mobileconfig` (or the
 * profile's own dict when it is a single payload). The `payload` is base64 as Graph returns it; a plain-text plist (a
 * hand-written body) is read too. A binary plist, a signed profile, text that does not decode, or a plist this
 * reader refuses is unknown: the profile may hold anything.
 */
export function macOSCustomPayloads(doc: Record<string, unknown>): CustomPayloads {
  let found = READ.get(doc);
  if (!found) READ.set(doc, (found = readCustomPayloads(doc.payload)));
  return found;
}

function readCustomPayloads(payload: unknown): CustomPayloads {
  if (typeof payload !== 'string' || payload.trim() === '') return { state: 'unknown', reason: 'the export has no `payload`' };
  const text = payloadText(payload.trim());
  if (text === undefined) return { state: 'unknown', reason: 'its `payload` is neither base64 nor a property list' };
  const parsed = parsePlist(text);
  if (!parsed.ok) return { state: 'unknown', reason: parsed.reason };
  const root = parsed.value;
  if (!isPlistDict(root)) return { state: 'unknown', reason: 'its property list is not a dictionary' };
  const content = root.PayloadContent;
  if (content === undefined) return typeof root.PayloadType === 'string' ? { state: 'read', payloads: [root] } : { state: 'unknown', reason: 'its property list has no `PayloadContent`' };
  if (!Array.isArray(content) || !content.every(isPlistDict)) return { state: 'unknown', reason: '`PayloadContent` is not a list of payload dictionaries' };
  return { state: 'read', payloads: content };
}

/** The plist text of a payload: as is when it already is XML, else decoded from base64 (UTF-8 or UTF-16 with a BOM). */
function payloadText(payload: string): string | undefined {
  if (payload.startsWith('<')) return payload;
  const b64 = payload.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return undefined;
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  // A binary plist says so in its first bytes; `parsePlist` refuses it by name.
  if (binary.startsWith('bplist')) return binary.slice(0, 8);
  return decodeBytes(bytes).text;
}

/** The payloads of a type (types compare case-insensitively). */
export function payloadsOfType(payloads: PlistDict[], type: string): PlistDict[] {
  const t = type.toLowerCase();
  return payloads.filter((p) => typeof p.PayloadType === 'string' && p.PayloadType.toLowerCase() === t);
}

/** The XML property list reader, and what the configuration checks read of a macOS custom profile's payload. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPlistDict, parsePlist, PlistData, PlistDate, type PlistDict } from '../../server/src/core/plist';
import { fileVaultEnableOn, firewallEnableOn, macOSCustomPayloads, payloadsOfType } from '../../server/src/core/model/apple-payloads';
import { FILEVAULT } from '../../server/src/core/rules/filevault-not-configured';
import { MACOS_FIREWALL } from '../../server/src/core/rules/macos-firewall-not-configured';
import { settingInstances } from '../../server/src/core/settings-catalog/instances';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n';
const plist = (body: string): string => `${HEAD}<plist version="1.0">\n${body}\n</plist>\n`;

function read(body: string): unknown {
  const r = parsePlist(plist(body));
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value;
}

test('every element a configuration profile uses is read with its type', () => {
  const v = read(`<dict>
    <!-- a comment between entries -->
    <key>S</key><string>a &lt;b&gt; &amp; &#233;&#x41;</string>
    <key>Empty</key><string/>
    <key>T</key><true/>
    <key>F</key><false/>
    <key>I</key><integer>-42</integer>
    <key>R</key><real>1.5</real>
    <key>D</key><data>
      SGVs
      bG8=
    </data>
    <key>When</key><date>2024-12-03T10:00:00Z</date>
    <key>A</key><array><integer>1</integer><dict/><array/></array>
  </dict>`) as PlistDict;
  assert.equal(v.S, 'a <b> & éA');
  assert.equal(v.Empty, '');
  assert.equal(v.T, true);
  assert.equal(v.F, false);
  assert.equal(v.I, -42);
  assert.equal(v.R, 1.5);
  assert.ok(v.D instanceof PlistData && v.D.base64 === 'SGVsbG8=');
  assert.ok(v.When instanceof PlistDate && v.When.text === '2024-12-03T10:00:00Z');
  assert.deepEqual(v.A, [1, Object.create(null), []]);
  assert.ok(isPlistDict(v));
  assert.ok(!isPlistDict(v.D) && !isPlistDict(v.When) && !isPlistDict(v.A));
});

test('a string keeps its whitespace; a key named like a type stays a dict entry', () => {
  const v = read('<dict><key>data</key><string>  two  words </string></dict>') as PlistDict;
  assert.equal(v.data, '  two  words ');
  assert.ok(isPlistDict(v));
});

test('what is not a strict XML property list is refused with its reason, never read as empty', () => {
  const refused: [string, RegExp][] = [
    ['bplist00\u00d1\u0001\u0002', /binary property list/],
    [plist('<dict><key>A</key></dict>'), /has no value/],
    [plist('<dict><key>A</key><key>B</key><true/></dict>'), /has no value/],
    [plist('<dict><string>x</string><true/></dict>'), /expects a `<key>`/],
    [plist('<dict><key>A</key><bool>1</bool></dict>'), /not a property list element/],
    [plist('<integer>1.5</integer>'), /not an integer/],
    [plist('<real>abc</real>'), /not a number/],
    [plist('<data>@@</data>'), /not base64/],
    [plist('<string>&nbsp;</string>'), /entity/],
    [plist('<string><![CDATA[x]]></string>'), /CDATA/],
    [plist('<dict><key>A</key><string>x</dict>'), /<\/string>/],
    [`${HEAD}<plist version="1.0"><true/></plist> trailing`, /after `<\/plist>`/],
    [`${HEAD}<dict/>`, /root element/],
    ['not xml at all', /element was expected/],
  ];
  for (const [text, reason] of refused) {
    const r = parsePlist(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.reason, reason, text);
  }
});

/** The public repro's custom profiles (Ruthhl3ss/Intune-Goodies' firewall payload, a FileVault payload), as Graph exports them. */
const REPRO = join(__dirname, '../fixtures/filevault-not-configured/ok-raw-custom-profile/configuration/macOS custom filevault.json');

test("a macOS custom profile's base64 payload is read as its payloads; FileVault on is the same answer as the settings catalog's", () => {
  const doc = JSON.parse(readFileSync(REPRO, 'utf8')) as Record<string, unknown>;
  const read = macOSCustomPayloads(doc);
  assert.equal(read.state, 'read');
  if (read.state !== 'read') return;
  const fv = payloadsOfType(read.payloads, 'com.apple.mcx.filevault2');
  assert.equal(fv.length, 1);
  assert.ok(FILEVAULT.payload!.on(fv[0]!));
  // The settings catalog's option `_0` is the payload's `Enable: On`, through the same predicate.
  const spec = (value: string) => ({
    settings: [
      {
        settingInstance: {
          '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
          settingDefinitionId: 'com.apple.mcx.filevault2_enable',
          choiceSettingValue: { value, children: [] },
        },
      },
    ],
  });
  assert.equal(FILEVAULT.enabling(settingInstances(spec('com.apple.mcx.filevault2_enable_0'))).length, 1);
  assert.equal(FILEVAULT.enabling(settingInstances(spec('com.apple.mcx.filevault2_enable_1'))).length, 0);
  assert.ok(!FILEVAULT.payload!.on({ ...fv[0]!, Enable: 'Off' }));
  assert.ok(fileVaultEnableOn('On') && !fileVaultEnableOn('on') && !fileVaultEnableOn(true));
  assert.ok(FILEVAULT.legacy!.macOSEndpointProtectionConfiguration!({ fileVaultEnabled: true }));
  assert.ok(!FILEVAULT.legacy!.macOSEndpointProtectionConfiguration!({ fileVaultEnabled: false }));
  // The firewall: `EnableFirewall` true, and nothing else.
  assert.ok(MACOS_FIREWALL.payload!.on({ PayloadType: 'com.apple.security.firewall', EnableFirewall: true }));
  assert.ok(!MACOS_FIREWALL.payload!.on({ PayloadType: 'com.apple.security.firewall', EnableFirewall: 1 }));
  assert.ok(firewallEnableOn(true) && !firewallEnableOn('true'));
});

test('a custom payload as plain XML is read; binary, signed, missing or undecodable ones are unknown', () => {
  const xml = plist('<dict><key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.security.firewall</string><key>EnableFirewall</key><true/></dict></array></dict>');
  const plain = macOSCustomPayloads({ payload: xml });
  assert.equal(plain.state, 'read');
  assert.equal(plain.state === 'read' && payloadsOfType(plain.payloads, 'com.apple.security.firewall').length, 1);
  // Base64 split over lines, as some exporters wrap it.
  const wrapped = Buffer.from(xml).toString('base64').replace(/(.{76})/g, '$1\n');
  assert.equal(macOSCustomPayloads({ payload: wrapped }).state, 'read');
  // A single payload written without the Configuration wrapper.
  const single = macOSCustomPayloads({ payload: plist('<dict><key>PayloadType</key><string>com.apple.MCX.FileVault2</string><key>Enable</key><string>On</string></dict>') });
  assert.equal(single.state === 'read' && single.payloads.length, 1);
  const unknown: [unknown, RegExp][] = [
    [Buffer.from('bplist00\u00d1\u0001\u0002', 'latin1').toString('base64'), /binary/],
    // A signed profile is CMS (DER): its bytes are no XML.
    [Buffer.from([0x30, 0x82, 0x1f, 0x3a, 0x06, 0x09, 0x2a, 0x86]).toString('base64'), /element was expected/],
    ['not base64 at all!', /neither base64/],
    [undefined, /no `payload`/],
    ['', /no `payload`/],
    [Buffer.from(plist('<array/>')).toString('base64'), /not a dictionary/],
    [Buffer.from(plist('<dict><key>PayloadContent</key><string>x</string></dict>')).toString('base64'), /not a list/],
  ];
  for (const [payload, reason] of unknown) {
    const r = macOSCustomPayloads({ payload });
    assert.equal(r.state, 'unknown', String(payload));
    if (r.state === 'unknown') assert.match(r.reason, reason, String(payload));
  }
});

test('a property list nested thousands deep is refused with a reason, not read on the call stack', () => {
  const deep = `<plist version="1.0">${'<array>'.repeat(20000)}${'</array>'.repeat(20000)}</plist>`;
  const r = parsePlist(deep);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /nested deeper than 64/);
  // A profile's ordinary depth reads.
  const ok = parsePlist(`<plist version="1.0">${'<dict><key>k</key>'.repeat(10)}<true/>${'</dict>'.repeat(10)}</plist>`);
  assert.equal(ok.ok, true);
});

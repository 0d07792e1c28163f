/** What the layer tree and the status bar show for a `zeroTrust/layers` result (the pure part of the client). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerInfo, TenantLayers } from '../../server/src/protocol';
import {
  childrenOf,
  layerDescription,
  layerLabel,
  layerTooltip,
  nodeId,
  policyDescription,
  statusBarText,
  statusBarTooltip,
  statusIcon,
  tenantOfUri,
  type LayerNode,
} from '../../client/src/layers-model';

const NAMES = ['App protection', 'Enroll devices', 'Compliance policies', 'Require compliant devices', 'Configuration profiles', 'Device risk monitoring', 'Endpoint DLP'];

function layer(n: number, over: Partial<LayerInfo> = {}): LayerInfo {
  return { layer: n, name: NAMES[n - 1]!, status: 'notStarted', licensed: true, policies: [], unmet: [], errors: 0, warnings: 0, tooltip: `Layer ${n}`, ...over };
}

const contoso: TenantLayers = {
  uri: 'file:///repo/contoso',
  name: 'contoso',
  manifestUri: 'file:///repo/contoso/zerotrust.yaml',
  // Out of order on purpose: the tree sorts.
  layers: [
    layer(3, {
      status: 'blocked',
      policies: [
        { uri: 'file:///repo/contoso/compliance/win.yaml', name: 'win', kind: 'CompliancePolicy', platforms: ['windows'], line: 2 },
        { uri: 'file:///repo/contoso/compliance/ios.yaml', name: 'ios', kind: 'CompliancePolicy', platforms: ['iOS'], line: 0 },
      ],
      unmet: [
        {
          ruleId: 'compliance-missing-block-action',
          message: 'No block action',
          severity: 'error',
          uri: 'file:///repo/contoso/compliance/ios.yaml',
          range: { start: { line: 5, character: 2 }, end: { line: 5, character: 6 } },
          fixable: true,
        },
      ],
      errors: 1,
      warnings: 2,
    }),
    layer(1, { status: 'complete' }),
    layer(2, { status: 'complete' }),
    layer(4, { status: 'partial' }),
    layer(5),
    layer(6),
    layer(7, { licensed: false, licenseHint: 'M365_E5, M365_E5_COMPLIANCE' }),
  ],
};

test('tenant → seven layers in order → unmet prerequisites, then policies', () => {
  const [tenant] = childrenOf([contoso]);
  assert.equal(tenant!.type, 'tenant');
  const layers = childrenOf([contoso], tenant);
  assert.deepEqual(layers.map((l) => (l.type === 'layer' ? layerLabel(l.layer) : '')), NAMES.map((n, i) => `${i + 1} · ${n}`));
  const l3 = layers[2]!;
  const children = childrenOf([contoso], l3);
  assert.deepEqual(children.map((c) => c.type), ['unmet', 'policy', 'policy']);
  assert.deepEqual(childrenOf([contoso], children[1]), []);
  assert.equal(new Set([tenant, ...layers, ...children].map((n) => nodeId(n as LayerNode))).size, 1 + 7 + 3, 'ids are unique');
});

test('descriptions, tooltips and icons', () => {
  const l3 = contoso.layers[0]!;
  assert.equal(layerDescription(l3), '2 policies · 1 unmet · 1 error · 2 warnings');
  assert.equal(layerDescription(layer(1, { policies: [l3.policies[0]!] })), '1 policy');
  // The layer's checks: how many of its rules find nothing in the tenant.
  const checked = layer(4, { checks: { passing: 5, total: 7, failing: ['break-glass-not-excluded', 'legacy-auth-not-blocked'] } });
  assert.equal(layerDescription(checked), '0 policies · 5/7 checks pass');
  assert.match(layerTooltip(checked), /\*\*Checks:\*\* 5 of 7 pass; findings from `break-glass-not-excluded`, `legacy-auth-not-blocked`/);
  // A layer the working changes alter (Show Change Impact) says what it was at the ref, first.
  assert.equal(layerDescription(l3, { status: 'complete', ref: 'HEAD' }), '● was complete at HEAD · 2 policies · 1 unmet · 1 error · 2 warnings');
  const l7 = contoso.layers[6]!;
  assert.equal(layerDescription(l7), '0 policies · not licensed');
  assert.match(layerTooltip(l7), /Not licensed.*M365_E5, M365_E5_COMPLIANCE/s);
  assert.equal(layerTooltip(contoso.layers[1]!), 'Layer 1');
  assert.deepEqual(statusIcon('complete'), { id: 'pass-filled', color: 'testing.iconPassed' });
  assert.deepEqual(statusIcon('blocked'), { id: 'error', color: 'errorForeground' });
  assert.deepEqual(statusIcon('notStarted'), { id: 'circle-outline', color: 'disabledForeground' });
  assert.equal(statusIcon('partial').color, 'editorWarning.foreground');
  assert.equal(policyDescription(l3.policies[1]!), 'iOS/iPadOS · CompliancePolicy');
});

test('status bar: complete layers of the tenant, its name when there are several', () => {
  assert.equal(statusBarText(contoso, false), '$(shield) ZT 2/7');
  assert.equal(statusBarText(contoso, true), '$(shield) contoso ZT 2/7');
  const tooltip = statusBarTooltip(contoso);
  assert.match(tooltip, /\$\(pass-filled\) 1 · App protection: complete/);
  assert.match(tooltip, /\$\(circle-outline\) 7 · Endpoint DLP: not started \(not licensed\)/);
  assert.ok(tooltip.indexOf('1 ·') < tooltip.indexOf('3 ·'), 'layers in order');
});

test('the tenant of a document: the innermost tenant folder, however the URI is spelled', () => {
  const outer = { uri: 'file:///repo/msp' };
  const inner = { uri: 'file:///repo/msp/customers/fabrikam' };
  const spaced = { uri: 'file:///repo/My%20Tenant' };
  const drive = { uri: 'file:///C%3A/tenants/contoso' };
  const all = [outer, inner, spaced, drive];
  assert.equal(tenantOfUri(all, 'file:///repo/msp/ca/x.yaml'), outer);
  assert.equal(tenantOfUri(all, 'file:///repo/msp/customers/fabrikam/ca/x.yaml'), inner);
  assert.equal(tenantOfUri(all, 'file:///repo/msp-other/x.yaml'), undefined);
  assert.equal(tenantOfUri(all, 'file:///repo/My Tenant/x.yaml'), spaced);
  assert.equal(tenantOfUri(all, 'file:///c%3A/tenants/contoso/x.yaml'), drive);
  assert.equal(tenantOfUri(all, 'file:///repo/msp'), outer);
});

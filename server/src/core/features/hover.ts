/**
 * Hovers: layer context on `kind`, what a grant control needs and where the tenant meets it, Graph property
 * descriptions from the schemas, a group's manifest entry with every policy that names it, and settings catalog
 * settings from the index (setting-hover.ts).
 */
import { isPlainObject, type JsonPath } from '../document';
import { BUILTIN_TARGET_INFO, DLP_ALL_DEVICES, isBuiltinTarget, type BuiltinTarget, type FileFacts, type PolicyFacts } from '../facts';
import { KINDS } from '../kinds';
import { MANIFEST_SCHEMA, POLICY_SCHEMAS } from '../schema/schemas';
import type { PolicyStore } from '../workspace';
import type { TenantView } from '../rule';
import type { Span } from '../types';
import { caPlatforms } from '../tenant-query';
import { resolveGroup } from '../model/groups';
import { RETIRED_GRANTS } from '../model/grants';
import { formatLines, layerMarkdown, prerequisiteLines } from './layer-status';
import { protectionLevelMarkdown } from './protection-level';
import { settingHover } from './setting-hover';
import { locate } from './locate';
import { allowedValues, schemaAtPath, typeLabel } from './schema-nav';
import { relative } from '../paths';
import { PLATFORM_LABELS, type Platform } from '../platforms';
import { COMPLIANCE_ACTION_PLATFORM_LABELS, GRANT_OPERATORS, LIST_KEYWORDS, NONCOMPLIANCE_ACTIONS_SOURCE, noncomplianceActionsNotOffered, type ComplianceActionPlatform } from '../schema/graph-constraints';
import { actionPlatformOf } from '../model/compliance-actions';

export interface HoverResult {
  markdown: string;
  span: Span;
}

const CONTROLS: Record<string, string> = {
  block: '**Block access.** Blocks the sign-ins the policy matches. Keep break-glass accounts excluded.',
  mfa: '**Require multifactor authentication.** Users must complete MFA; no Intune prerequisite.',
  compliantDevice:
    '**Require device to be marked as compliant.** The device must be Entra registered and enrolled in Intune (layer 2), and an Intune compliance policy (layer 3) must be assigned to the same users for each platform. With no policy assigned, `secureByDefault` decides whether the device counts as compliant.',
  domainJoinedDevice: '**Require Microsoft Entra hybrid joined device.** Windows only; no Intune prerequisite.',
  approvedApplication:
    `**Require approved client app.** Retired by Microsoft in ${RETIRED_GRANTS.approvedApplication!.retired} and no longer enforced: it behaves as if it were not selected. Use \`${RETIRED_GRANTS.approvedApplication!.successor}\` (Require app protection policy).`,
  compliantApplication:
    '**Require app protection policy.** iOS and Android (Edge on Windows in preview): an Intune app protection policy (layer 1) must be assigned to the user for that app, and a broker app must be installed (Authenticator on iOS, Company Portal on Android).',
  passwordChange: '**Require password change.** For user-risk policies; needs `mfa` with `AND`, all applications, and Entra ID P2.',
  riskRemediation: '**Require risk remediation.** For user-risk policies; needs an authentication strength with `AND`, and Entra ID P2.',
};

function controlStatus(t: TenantView, p: PolicyFacts, control: string): string {
  const platforms = caPlatforms(p, t);
  if (control === 'compliantDevice') return `**This tenant:** ${formatLines(prerequisiteLines(t, 4, platforms).lines)}`;
  if (control === 'compliantApplication' || control === 'approvedApplication') {
    const mobile = platforms.filter((x): x is Platform => x === 'iOS' || x === 'android');
    return mobile.length ? `**This tenant:** ${formatLines(prerequisiteLines(t, 1, mobile).lines)}` : '**This tenant:** the policy covers no iOS or Android devices, where app protection applies.';
  }
  return '';
}

/** The hover of a built-in target (`allUsers`, `allDevices`, a DLP policy's `All`) where groups are named, or undefined. */
function builtinTargetHover(file: FileFacts, path: JsonPath, value: string): string | undefined {
  if (file.type !== 'policy') return undefined;
  const s = path.join('/');
  if (/^assignments\/(include|exclude)\/\d+$/.test(s) && isBuiltinTarget('assignments', value)) {
    const info = BUILTIN_TARGET_INFO[value as BuiltinTarget];
    return `**Built-in target:** ${info.summary} (\`${info.graphType}\`), not a group: it needs no entry in the manifest.`;
  }
  if (/^spec\/locations\/devices\/(include|exclude)\/\d+$/.test(s) && isBuiltinTarget('dlp-locations', value)) {
    return `**Built-in target:** all devices onboarded to Microsoft Purview (Endpoint DLP's \`${DLP_ALL_DEVICES}\` location), not a group: it needs no entry in the manifest.`;
  }
  return undefined;
}

function isGroupPath(file: FileFacts, path: JsonPath): boolean {
  const s = path.join('/');
  if (file.type === 'policy') {
    // Graph-shaped assignments name groups by id (`spec/assignments/0/target/groupId`).
    return /^assignments\/(include|exclude)\/\d+$/.test(s) || /^spec\/conditions\/users\/(include|exclude)Groups\/\d+$/.test(s) || /^spec\/locations\/devices\/(include|exclude)\/\d+$/.test(s) || /^spec\/assignments\/\d+\/target\/groupId$/.test(s);
  }
  if (file.type === 'manifest') return /^groups\/\d+\/name$/.test(s) || /^breakGlass\/groups\/\d+$/.test(s);
  return false;
}

/** Every place in the tenant that names a group (by name or id). */
export function groupUses(t: TenantView, group: string): { file: FileFacts; path: JsonPath }[] {
  const out: { file: FileFacts; path: JsonPath }[] = [];
  const m = t.manifest;
  for (const p of t.policies) {
    for (const ref of p.groupRefs) {
      const name = m ? resolveGroup(m, ref.value) ?? ref.value : ref.value;
      if (name === group) out.push({ file: p, path: ref.path });
    }
  }
  if (m) m.breakGlass.groups.forEach((g, i) => (g === group ? out.push({ file: m, path: ['breakGlass', 'groups', i] }) : undefined));
  return out;
}

function groupHover(t: TenantView, value: string, root: string | undefined): string {
  const m = t.manifest;
  if (!m) return `Group \`${value}\` — this file is in no tenant folder.`;
  const name = resolveGroup(m, value);
  if (!name) return `Group \`${value}\` is **not in the tenant manifest**; add it to \`groups\` in zerotrust.yaml.`;
  const g = m.groups.find((x) => x.name === name)!;
  const lines = [`**Group \`${g.name}\`**${g.id ? ` · \`${g.id}\`` : ' · no Entra object id yet (needed to export)'}`];
  if (g.description) lines.push('', g.description);
  if (g.members.length) lines.push('', `Members: ${g.members.map((x) => `\`${x}\``).join(', ')}`);
  if (m.breakGlass.groups.includes(g.name)) lines.push('', '⚠ Break-glass group: every Conditional Access policy must exclude it.');
  const uses = groupUses(t, g.name).filter((u) => u.file.type === 'policy');
  lines.push('', uses.length ? `Used by ${uses.length} polic${uses.length === 1 ? 'y' : 'ies'}:` : 'No policy names this group yet.');
  for (const u of uses) {
    const where = u.path.slice(0, -1).join('.');
    const name2 = u.file.type === 'policy' ? u.file.name : '';
    lines.push(`- \`${name2}\` (${root ? relative(root, u.file.path) : u.file.path}) — ${where}`);
  }
  return lines.join('\n');
}

/** A compliance policy's `actionType`: the noncompliance actions the portal does not offer for its platform (Learn's row). */
function actionsNotOffered(file: PolicyFacts, at: JsonPath): { platform: ComplianceActionPlatform; not: readonly string[] } | undefined {
  if (file.kind !== 'CompliancePolicy' || at[at.length - 1] !== 'actionType') return undefined;
  const platform = actionPlatformOf(file.spec);
  const not = platform ? noncomplianceActionsNotOffered(platform) : undefined;
  return platform && not?.length ? { platform, not } : undefined;
}

/** A property's type, description and allowed values; `notOffered` are left out of those (the platform lacks them). */
function propertyHover(schemaRoot: Record<string, unknown>, value: unknown, path: JsonPath, onKey: boolean, scalar: unknown, notOffered: readonly string[] = []): string | undefined {
  const { schema } = schemaAtPath(schemaRoot, value, path);
  if (!schema) return undefined;
  const key = [...path].reverse().find((s) => typeof s === 'string');
  const lines: string[] = [];
  lines.push(`**${String(key ?? 'value')}** · \`${typeLabel(schema)}\``);
  if (typeof schema.description === 'string') lines.push('', schema.description);
  const allowed = allowedValues(schema).filter((v) => !notOffered.includes(v));
  const betaMembers = (schema['x-betaMembers'] as string[] | undefined) ?? [];
  if (allowed.length && allowed.length <= 40 && !(allowed.length === 2 && allowed[0] === 'true')) {
    lines.push('', `Allowed: ${allowed.map((a) => `\`${a}\`${betaMembers.includes(a) ? ' (beta)' : ''}`).join(', ')}`);
  }
  if (!onKey && typeof scalar === 'string' && betaMembers.includes(scalar)) lines.push('', `\`${scalar}\` exists only in Graph beta.`);
  if (schema['x-betaOnly']) lines.push('', '_Beta only: not in Graph v1.0. The Intune portal and exports use beta._');
  return lines.join('\n');
}

/** What completion reads too: a CA list's keywords, the grant operators, the noncompliance actions a platform lacks. */
function listFacts(file: PolicyFacts, at: JsonPath): string | undefined {
  const s = at.filter((x) => typeof x === 'string').join('/');
  if (file.kind === 'ConditionalAccessPolicy') {
    const list = LIST_KEYWORDS.find((l) => l.keys.some((k) => s === ['spec', ...l.at, k].join('/')));
    if (list) return `Keywords: ${list.words.map((w) => `\`${w}\``).join(', ')}`;
    if (s === 'spec/grantControls/operator') return `Allowed: ${GRANT_OPERATORS.map((w) => `\`${w}\``).join(', ')}`;
  }
  const actions = actionsNotOffered(file, at);
  if (actions) return `Not offered for ${COMPLIANCE_ACTION_PLATFORM_LABELS[actions.platform]}: ${actions.not.map((w) => `\`${w}\``).join(', ')} ([actions for noncompliance](${NONCOMPLIANCE_ACTIONS_SOURCE})).`;
  return undefined;
}

/** The hover at an offset of a file the service knows. */
export function hover(service: PolicyStore, path: string, offset: number): HoverResult | undefined {
  const file = service.get(path);
  if (!file) return undefined;
  const loc = locate(file.parsed, offset);
  if (!loc) return undefined;
  const root = service.tenantRootOf(path);
  const t = service.view(root);
  const span = loc.scalar?.span ?? { offset, length: 0 };
  const str = typeof loc.scalar?.value === 'string' ? (loc.scalar.value as string) : undefined;
  // A raw Graph export is read as `{ kind, name, spec: <the document> }`: its paths are under `spec`.
  const raw = file.type === 'policy' && file.raw === true;
  const value = raw ? { kind: file.kind, name: file.name, spec: file.parsed.value } : file.parsed.value;
  const at = raw ? ['spec', ...loc.path] : loc.path;

  if (file.type === 'policy' && file.kind && loc.path.length === 1 && loc.path[0] === 'kind') {
    const info = KINDS[file.kind];
    const platforms = file.kind === 'ConditionalAccessPolicy' ? caPlatforms(file, t) : file.platforms.length ? file.platforms : undefined;
    const head = `\`${file.kind}\` — ${info.summary}${platforms?.length ? ` Platforms: ${platforms.map((p) => PLATFORM_LABELS[p]).join(', ')}.` : ''}\n\n---\n\n`;
    const level = file.kind === 'AppProtectionPolicy' ? protectionLevelMarkdown(file.spec) : undefined;
    return { markdown: head + (level ? `${level}\n\n---\n\n` : '') + layerMarkdown(t, file.layer ?? info.layer, platforms), span };
  }
  if (file.type === 'policy' && str && loc.on === 'value' && /^spec\/grantControls\/builtInControls\/\d+$/.test(at.join('/'))) {
    const text = CONTROLS[str];
    if (text) return { markdown: [text, controlStatus(t, file, str)].filter(Boolean).join('\n\n'), span };
  }
  const builtin = str && loc.on === 'value' ? builtinTargetHover(file, at, str) : undefined;
  if (builtin) return { markdown: builtin, span };
  if (str && loc.on === 'value' && isGroupPath(file, at)) return { markdown: groupHover(t, str, root), span };
  if (file.type === 'manifest' && str && loc.path.join('/').match(/^groups\/\d+\/name$/)) return { markdown: groupHover(t, str, root), span };
  if (file.type === 'policy' && loc.on === 'value' && loc.scalar && at[0] === 'spec' && at[1] === 'settings') {
    const markdown = settingHover(file, at, service.settingsCatalog());
    if (markdown) return { markdown, span };
  }

  const schemaRoot = file.type === 'manifest' ? MANIFEST_SCHEMA : file.type === 'policy' && file.kind ? POLICY_SCHEMAS[file.kind] : undefined;
  if (!schemaRoot || !isPlainObject(value)) return undefined;
  // The Allowed list leaves out what the policy's platform does not offer, as completion does (listFacts names them).
  const notOffered = file.type === 'policy' ? actionsNotOffered(file, at)?.not : undefined;
  let md = propertyHover(schemaRoot, value, at, loc.on === 'key', loc.scalar?.value, notOffered);
  if (!md) return undefined;
  const extra = file.type === 'policy' ? listFacts(file, at) : undefined;
  if (extra) md = `${md}\n\n${extra}`;
  // On app protection settings, say which framework level the policy reaches (the app-protection-weak context).
  const level = file.type === 'policy' && file.kind === 'AppProtectionPolicy' && at[0] === 'spec' && at.length === 2 ? protectionLevelMarkdown(file.spec) : undefined;
  return { markdown: level ? `${md}\n\n${level}` : md, span };
}

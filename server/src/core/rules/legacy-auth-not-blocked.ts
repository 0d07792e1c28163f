import { spanAtPath } from '../document';
import type { PolicyFacts } from '../facts';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, related, REPORT_ONLY } from '../tenant-query';
import { modelOf, type LegacyBlock, type LegacyClient } from '../model/index';
import { emptyGrant } from '../model/grants';
import { docPath } from '../facts';
import { addToMap, renderFlow, replaceScalarWith } from '../yaml-edit';
import { resolveGroup } from '../model/groups';
import { isLegacyClient, LEGACY_CLIENTS, legacyClientAppTypes, legacyClientsCovered, legacyScopeShortfalls, namedClientAppTypes } from '../model/legacy-auth';
import { closestText, coversAllApps, grantText, listText, nearest, policyLabel, refusalShortfalls, stagedPolicyFix, stateShortfalls } from './ca-helpers';
import { policiesOfKind } from '../reads';

/** Why a CA policy does not block legacy authentication for all users, or undefined when it does. */
function shortfall(p: PolicyFacts): string | undefined {
  const problems = shortfalls(p);
  return problems.length ? listText(problems) : undefined;
}

/** What keeps a policy from blocking legacy clients for everyone: its state, its users, its client app types, its grant, its apps. */
function shortfalls(p: PolicyFacts): string[] {
  const problems = [...stateShortfalls(p), ...refusalShortfalls(p), ...legacyScopeShortfalls(p)];
  // A grant that names no control, What If's "granted: nothing to meet" (the model's `emptyGrant`): said as such, since
  // its session controls look like settings but keep no legacy client out.
  const empty = emptyGrant(p);
  if (empty) problems.push(empty === 'sessionOnly' ? SESSION_ONLY : 'has no grant control');
  else if (!grantControlsOf(p).includes('block')) problems.push('does not block');
  const covered = legacyClientsCovered(p);
  const uncovered = LEGACY_CLIENTS.filter((c) => legacyClientAppTypes(p).includes(c) && !covered.includes(c));
  if (uncovered.length) problems.push(`does not cover All cloud apps for ${listText(uncovered.map((c) => `\`${c}\``))}`);
  return problems;
}

/** The shortfall of a policy with session controls and no grant: What If's reading of a sign-in it applies to. */
const SESSION_ONLY =
  'has no grant control, only session controls: What If grants a legacy sign-in it applies to with nothing to meet, and session controls keep no one out';

/** The grant the policy is given by the fix, and named in the message. */
const BLOCK_GRANT = { operator: 'OR', builtInControls: ['block'] };

/**
 * The near miss whose only shortfall is a grant with no control left out or `null` (session controls only, or
 * nothing): meant as the block, scoped as the block, and one grant short of it. The fix gives it the grant rather
 * than add a second policy beside it.
 */
function grantOnlyMiss(tenant: TenantView): PolicyFacts | undefined {
  const best = nearest(nearMisses(tenant), shortfalls);
  // Enabled, or report-only (staged, as the created policy would be): a disabled one was turned off by someone.
  if (!best || (best.spec?.state !== 'enabled' && best.spec?.state !== REPORT_ONLY)) return undefined;
  if (shortfalls(best).length !== 1 + stateShortfalls(best).length) return undefined;
  const grant = best.spec?.grantControls;
  return emptyGrant(best) && (grant === null || grant === undefined) ? best : undefined;
}

/** The legacy client types the tenant's policies block directly (`block`) for All users, taken together. */
function blockedDirectly(blocks: readonly LegacyBlock[]): Set<LegacyClient> {
  return new Set(blocks.filter((b) => b.how === 'block').map((b) => b.client));
}

/**
 * Whom a policy that blocks legacy sign-ins in practice leaves out, in words: the exclusions beyond the declared
 * break-glass accounts (`grp-contractors`, "2 users", "1 role").
 */
function exclusionsOf(files: readonly PolicyFacts[], tenant: TenantView): string[] {
  // Two files of one policy that differ: what either excludes is named.
  return [...new Set(files.flatMap((p) => exclusionsOfFile(p, tenant)))];
}

function exclusionsOfFile(p: PolicyFacts, tenant: TenantView): string[] {
  const manifest = tenant.manifest;
  const u = caUsers(p);
  const name = (g: string): string => (manifest ? resolveGroup(manifest, g) ?? g : g);
  const count = (n: number, what: string): string[] => (n ? [`${n} ${what}${n > 1 ? 's' : ''}`] : []);
  // The break-glass accounts' exclusion is expected (Microsoft's policies have it): only the others are named.
  const bg = modelOf(tenant).breakGlass;
  const others = bg.declared ? bg.otherExclusions(p) : { groups: u.excludeGroups.map(name), users: u.excludeUsers };
  return [...others.groups.map((g) => `\`${g}\``), ...count(others.users.length, 'user'), ...count(u.excludeRoles.length, 'role')];
}

/**
 * The blocks by the policy they come from, a policy named once: two files of one policy (an export beside the file
 * made from it, a `_fixed/` copy) are one policy to the reader, named by the first file's label.
 */
function byLabel(blocks: readonly LegacyBlock[]): [PolicyFacts[], LegacyBlock[]][] {
  const out = new Map<string, [PolicyFacts[], LegacyBlock[]]>();
  for (const b of blocks) {
    const key = policyLabel(b.policy);
    const entry = out.get(key) ?? [[], []];
    if (!entry[0].includes(b.policy)) entry[0].push(b.policy);
    if (!entry[1].some((x) => x.client === b.client)) entry[1].push(b);
    out.set(key, entry);
  }
  return [...out.values()];
}

/**
 * The policies that block legacy sign-ins in practice, in words: "`mfa-all-users` requires `mfa` of All users (but
 * `grp-contractors`) on All cloud apps, `exchangeActiveSync` and `other` included: a legacy client … cannot perform MFA".
 * The exclusions named are those beyond the declared break-glass accounts; `named` leaves them out where the sentence
 * has already named them.
 */
function inPracticeText(blocks: readonly LegacyBlock[], tenant: TenantView, named = false): string {
  // Policies that say the same (whom, where, which clients, what they ask and why a legacy client cannot) are named
  // together, and what they say is said once: two MFA-for-everyone policies make one sentence, not the same one twice.
  const same = new Map<string, string[]>();
  for (const [files, bs] of byLabel(blocks)) {
    const p = files[0]!;
    const excluded = exclusionsOf(files, tenant);
    const who = !excluded.length ? 'All users' : named ? 'everyone else' : `All users (but ${listText(excluded)})`;
    const apps = coversAllApps(p) ? 'All cloud apps' : 'Exchange Online';
    const clients = listText(bs.map((b) => `\`${b.client}\``));
    const rest = `${grantText(tenant, p)} of ${who} on ${apps}, ${clients} included, and ${[...new Set(bs.map((b) => b.reason))].join('; ')}`;
    same.set(rest, [...(same.get(rest) ?? []), policyLabel(p)]);
  }
  return [...same.entries()].map(([rest, labels]) => (labels.length > 1 ? `${listText(labels)} each require ${rest}` : `${labels[0]} requires ${rest}`)).join('; ');
}

/**
 * "Those sign-ins are blocked in practice …": today, when the policies exclude no one beyond the break-glass
 * accounts; for everyone but whom the one policy excludes, named; for everyone but those the policies exclude when
 * several do (each policy's exclusions named beside it).
 */
function blockedInPracticeText(blocks: readonly LegacyBlock[], tenant: TenantView): string {
  const policies = byLabel(blocks).map(([files]) => files);
  const exclusions = policies.map((files) => exclusionsOf(files, tenant));
  // The break-glass accounts' exclusion is expected (and `break-glass-not-excluded` asks for it): not named, so adding
  // it (that rule's fix) leaves this sentence as it was.
  if (exclusions.every((e) => !e.length)) return `Those sign-ins are blocked in practice today: ${inPracticeText(blocks, tenant)}`;
  if (policies.length === 1) return `Those sign-ins are blocked in practice for everyone but ${listText(exclusions[0]!)}: ${inPracticeText(blocks, tenant, true)}`;
  return `Those sign-ins are blocked in practice for everyone but those the policies exclude: ${inPracticeText(blocks, tenant)}`;
}

/** No active CA policy blocks the legacy client app types (exchangeActiveSync and other) for All users. */
export const legacyAuthNotBlocked: Rule = {
  id: 'legacy-auth-not-blocked',
  title: 'No Conditional Access policy blocks legacy authentication for all users',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication'],
  peers: ['MT.1009', 'MT.1010', 'MS.AAD.1.1v1', 'ZTA 21796'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!manifest) return;
    const model = modelOf(tenant);
    const blocks = model.legacyBlocks();
    const blocked = blockedDirectly(blocks);
    const open = LEGACY_CLIENTS.filter((c) => !blocked.has(c));
    if (!open.length) return;
    // A block whose `state` is missing or misspelt may be deployed enabled: unknown, not missing.
    const unknownState = blockedDirectly(model.legacyBlocks('stateUnknown'));
    if (open.every((c) => unknownState.has(c))) return;
    // A blocking policy may sit in a file that could not be read.
    if (model.mayHide('ConditionalAccessPolicy')) return;
    const near = nearMisses(tenant);
    const best = nearest(near, shortfalls);
    // Enabled policies that would keep legacy clients out but Graph refuses as written (What If leaves them out):
    // named, with the schema problem, unless a near miss already names the policy.
    const refusedBlocks = model.legacyBlocks('refused').filter((b) => open.includes(b.client));
    const refusedNote = [...new Set(refusedBlocks.map((b) => b.policy))]
      .filter((p) => p !== best)
      .map((p) => `; ${policyLabel(p)} would ${refusedBlocks.some((b) => b.policy === p && b.how === 'block') ? 'block them' : 'block them in practice'} but ${refusalShortfalls(p)[0]}`)
      .join('');
    const closest = best && closestText(best, shortfalls(best));
    // A policy meant as the block, scoped as it, whose grant is missing: it is given the grant, no second policy added.
    const patch = grantOnlyMiss(tenant);
    const add = patch
      ? `${policyLabel(patch)} is meant as that block but ${listText(shortfalls(patch))}. Give it the grant (\`grantControls: ${renderFlow(BLOCK_GRANT)}\`) rather than add another policy` +
        `${patch.spec?.state === 'enabled' ? ', once the sign-in logs (Client app column) show no account that still needs a legacy protocol: it is enforced at once' : ', then enable it'}${refusedNote}`
      : `Add a policy that blocks \`clientAppTypes\` \`exchangeActiveSync\` and \`other\` for All users (excluding the break-glass accounts)${closest ?? ''}${refusedNote}`;
    // The legacy sign-ins an enabled policy keeps out today by asking what a legacy client cannot do (MFA, a device
    // state): Microsoft's "indirectly blocking legacy authentication", the answer What If gives for such a sign-in.
    const inPractice = blocks.filter((b) => b.how === 'inPractice' && open.includes(b.client));
    const stillOpen = open.filter((c) => !inPractice.some((b) => b.client === c));
    const relatedInPractice = [...new Set(inPractice.map((b) => b.policy))].map((p) => related(p, 'blocks legacy clients in practice only: its grant asks what they cannot do'));
    const which = blocked.size ? `\`${open[0]}\` (only ${listText([...blocked].map((c) => `\`${c}\``))} is blocked)` : 'legacy authentication';
    if (!stillOpen.length) {
      const whichDirect = blocked.size ? listText(open.map((c) => `\`${c}\``)) : 'legacy authentication';
      emit({
        file: manifest,
        span: spanAtPath(manifest.parsed, ['kind'], 'value'),
        message:
          `no enabled Conditional Access policy blocks ${whichDirect} directly for All users${blocked.size ? ` (only ${listText([...blocked].map((c) => `\`${c}\``))} is)` : ''}. ` +
          `${blockedInPracticeText(inPractice, tenant)} (Microsoft's "indirectly blocking legacy authentication"). ` +
          `That rests on ${byLabel(inPractice).length > 1 ? 'the policies keeping their' : 'the policy keeping its'} scope: a later exclusion, a client app condition for browsers and modern apps only, ` +
          'or an app scoping lets legacy clients in with nothing to answer. A direct block survives those changes, and Microsoft recommends it. ' +
          add,
        related: [...relatedInPractice, ...near.map(nearMissNote)],
        data: {},
      });
      return;
    }
    const practiceNote = inPractice.length ? ` (${listText(stillOpen.map((c) => `\`${c}\``))} ${stillOpen.length > 1 ? 'are' : 'is'} open; ${inPracticeText(inPractice, tenant)})` : '';
    emit({
      file: manifest,
      span: spanAtPath(manifest.parsed, ['kind'], 'value'),
      message:
        `no enabled Conditional Access policy blocks ${which} for All users${practiceNote}: legacy clients cannot do MFA or report a device, ` +
        'so they are kept out only where a policy that includes their client types happens to ask for one, and a password ' +
        'alone signs in everywhere else (a policy scoped to browsers and modern apps, a new app, an exclusion). ' +
        add,
      related: [...relatedInPractice, ...near.map(nearMissNote)],
      data: {},
    });
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    if (!manifest || finding.file !== manifest.path) return [];
    // A block that is only report-only is already staged (by this fix, or by hand): what is left is a person's call,
    // after the sign-in logs, to enable it. Another copy would help nothing, and `--fix` would add one per pass.
    if (nearMisses(tenant).some((p) => p.spec?.state === REPORT_ONLY && shortfalls(p).length === 1 && !emptyGrant(p))) return [];
    // The block is there but for its grant: the grant is added where it is missing (`null`, or left out), and nothing
    // else of the file changes. On an enabled policy the block is enforced at once, and the accounts still signing in
    // with legacy protocols are kept out: a person decides when, after the sign-in logs (the editor offers it; `--fix`
    // leaves it). No second policy is offered beside it: it would be one more block to keep in step.
    const patch = grantOnlyMiss(tenant);
    if (patch) {
      const edit =
        patch.spec?.grantControls === null
          ? replaceScalarWith(patch.parsed, docPath(patch, ['spec', 'grantControls']), BLOCK_GRANT)
          : addToMap(patch.parsed, docPath(patch, ['spec']), 'grantControls', BLOCK_GRANT);
      if (!edit) return [];
      return [{ title: `Give ${policyLabel(patch)} the grant \`block\` (it has none)`, isPreferred: true, safe: patch.spec?.state !== 'enabled', edits: [edit], creates: [] }];
    }
    return stagedPolicyFix(tenant, 'block-legacy-authentication', {
    description: 'Block Exchange ActiveSync and other legacy-authentication clients for all users',
    displayName: 'All users - Block legacy authentication',
    users: { includeUsers: ['All'] },
    conditions: { clientAppTypes: [...LEGACY_CLIENTS] },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  }, HEADER);
  },
};

/** CA policies that try to block legacy clients but fall short, so the author sees why they do not count. */
function nearMisses(tenant: TenantView): PolicyFacts[] {
  // Policies that name a legacy client type: a block of every client type that falls short (unknown platforms, a
  // country allowlist) was not meant as this one, and naming it would mislead. A block whose name says it is one
  // ("Block legacy authentication", "BLOCK-BASICAUTH-ALL") is named whatever its client types, since a reviewer who
  // trusts the name believes legacy authentication blocked: the name decides only that it is named, never the finding.
  // A policy whose grant names no control (`grantControls: null` beside session controls, a script that sent the wrong
  // argument) is named when it reads as the block but for that: named as one, or naming the legacy client types alone
  // (a sign-in frequency for every client type is not meant as a block).
  return policiesOfKind(tenant, 'ConditionalAccessPolicy').filter(
    (p) =>
      shortfall(p) !== undefined &&
      (grantControlsOf(p).includes('block')
        ? namedClientAppTypes(p).some(isLegacyClient) || namedAsLegacyBlock(p)
        : !!emptyGrant(p) && (namedAsLegacyBlock(p) || (namedClientAppTypes(p).length > 0 && namedClientAppTypes(p).every(isLegacyClient)))),
  );
}

/** A near miss, pointed at from the finding: what it does for legacy clients, and why that does not count. */
function nearMissNote(p: PolicyFacts): ReturnType<typeof related> {
  return related(p, `${grantControlsOf(p).includes('block') ? 'blocks legacy clients' : 'is meant to block legacy clients'} but ${shortfall(p)}`);
}

/** A policy whose name or display name says it is about legacy (basic) authentication. */
function namedAsLegacyBlock(p: PolicyFacts): boolean {
  const displayName = typeof p.spec?.displayName === 'string' ? p.spec.displayName : '';
  return /legacy|basic[\s_-]*auth/i.test(`${p.name ?? ''} ${displayName}`);
}

const HEADER = [
  'Layer 4: created by the legacy-auth-not-blocked quick fix. Legacy authentication cannot do MFA or report a device.',
  'Report-only first: check the sign-in logs (Client app column) for accounts that still use legacy protocols,',
  'move them to modern authentication, then set state: enabled.',
];

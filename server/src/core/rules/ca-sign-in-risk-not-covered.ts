import { asObject, spanAtPath, strings } from '../document';
import type { PolicyFacts } from '../facts';
import { licenseInfo } from '../licenses';
import type { Rule, TenantView } from '../rule';
import { caUsers, grantControlsOf, policySpan, related } from '../tenant-query';
import { graphRefusal } from '../schema/issue';
import { modelOf } from '../model/index';
import { caStateKnown, closestText, codeList, grantMeantAsMfa, grantOnlyThrough, grantRequiresMfa, grantText, LEGACY_CLIENTS_ONLY, mfaShortfall, modernClientLimit, NO_MFA, listText, nearest, policyLabel, refusalShortfalls, stateShortfalls } from './ca-helpers';
import { grantControlNames, grantOperator } from '../model/grants';
import { allUsersMfaPolicy } from './ca-mfa-all-users-missing';
import { policiesOfKind } from '../reads';

/** The two risk conditions of a CA policy. */
export type RiskKey = 'signInRiskLevels' | 'userRiskLevels';

/** What a tenant-wide risk rule looks for: the condition, the levels to cover, and the grants that answer the risk. */
export interface RiskCoverage {
  key: RiskKey;
  /** The levels that enabled policies must cover between them. */
  levels: string[];
  /** Whether the policy's grant answers the risk (the tenant's model reads its authentication strength). */
  answers: (p: PolicyFacts, tenant: TenantView) => boolean;
  /** What the grant must do, for messages ("requires MFA"). */
  grantText: string;
}

/** The risk levels a policy responds to. */
export function riskLevels(p: PolicyFacts, key: RiskKey): string[] {
  return strings(asObject(p.spec?.conditions)?.[key]).filter((l) => l === 'low' || l === 'medium' || l === 'high');
}

/** Whether the manifest's licences are known and one of them includes Entra ID P2 (risk conditions need it). */
export function hasEntraIdP2(tenant: TenantView): boolean {
  return (tenant.manifest?.licenses ?? []).some((id) => licenseInfo(id)?.entraIdP2 === true);
}

/** Graph's client app types. */
const CLIENT_APP_TYPES = ['all', 'browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'easSupported', 'other'];

/** What keeps a policy that names the risk from answering it for everyone, its state aside. */
function conditionShortfalls(tenant: TenantView, p: PolicyFacts, c: RiskCoverage): string[] {
  const problems: string[] = [];
  if (!caUsers(p).includeUsers.includes('All')) problems.push('does not target All users');
  const conditions = asObject(p.spec?.conditions);
  const apps = strings(asObject(conditions?.applications)?.includeApplications);
  if (!apps.includes('All')) problems.push('does not target All resources');
  const other: RiskKey = c.key === 'signInRiskLevels' ? 'userRiskLevels' : 'signInRiskLevels';
  if (riskLevels(p, other).length) problems.push(`also sets \`${other}\`, so it acts only when both risks are present`);
  const clients = strings(conditions?.clientAppTypes);
  // A value Graph does not know (`All`) is the schema's finding, and unknown here.
  const known = clients.every((x) => CLIENT_APP_TYPES.includes(x));
  if (known && clients.length && !clients.includes('all') && !(clients.includes('browser') && clients.includes('mobileAppsAndDesktopClients'))) {
    problems.push('leaves out browser or mobile and desktop clients in `clientAppTypes`');
  }
  const include = strings(asObject(conditions?.locations)?.includeLocations);
  if (include.length && !include.includes('All')) problems.push('applies only in some locations');
  const platforms = strings(asObject(conditions?.platforms)?.includePlatforms);
  if (platforms.length && !platforms.includes('all')) problems.push('applies only on some platforms');
  if (!c.answers(p, tenant)) {
    // MFA offered beside something weaker under OR: the risky sign-in can take the other way.
    const offered = grantRequiresMfa(tenant, p, { custom: false }) && grantOperator(p) === 'OR';
    // An authentication strength a single factor meets answers no risk: the model's `strengthFactors`.
    const weak = !grantControlsOf(p).includes('block') && grantMeantAsMfa(tenant, p, { custom: false }) ? mfaShortfall(tenant, p, { custom: false }) : undefined;
    problems.push(offered ? `offers another control than MFA under \`OR\`, so a risky sign-in need not prove itself again` : weak && weak !== NO_MFA ? weak : `neither blocks nor ${c.grantText}`);
  }
  return problems;
}

/**
 * What keeps a policy that names the risk from answering it for everyone: its state, whether Graph would take it
 * (`refusalShortfalls`, as the tenant-wide rules that read `readSafeguard` say it), and its conditions.
 */
function shortfalls(tenant: TenantView, p: PolicyFacts, c: RiskCoverage): string[] {
  return [...stateShortfalls(p, 'enforces'), ...refusalShortfalls(p), ...conditionShortfalls(tenant, p, c)];
}

/** Which of the wanted levels no enabled, All-users policy answers (taken together: one policy may cover high, another medium). */
function uncoveredLevels(tenant: TenantView, ca: readonly PolicyFacts[], c: RiskCoverage): string[] {
  const covered = new Set<string>();
  for (const p of ca) {
    // A policy whose `state` is missing or invalid may be deployed enabled: its levels are unknown, not missing.
    const counts = shortfalls(tenant, p, c).length === 0 || (!caStateKnown(p) && !refusalShortfalls(p).length && conditionShortfalls(tenant, p, c).length === 0);
    if (counts) for (const l of riskLevels(p, c.key)) covered.add(l);
  }
  return c.levels.filter((l) => !covered.has(l));
}

/** CA policies that name the risk but fall short, so the author sees why they do not count. */
function nearMisses(tenant: TenantView, ca: readonly PolicyFacts[], c: RiskCoverage): PolicyFacts[] {
  return ca.filter((p) => riskLevels(p, c.key).length > 0 && shortfalls(tenant, p, c).length > 0);
}

/**
 * The shared check of the risk rules: in a tenant with Entra ID P2 that keeps its CA policies here, the enabled
 * All-users policies must answer every wanted level of the risk.
 */
export function checkRiskCoverage(tenant: TenantView, c: RiskCoverage, describe: (open: string[], closest: string) => string) {
  const manifest = tenant.manifest;
  if (!manifest || !tenant.root) return undefined;
  // Risk conditions need Entra ID P2: without it (or with no licence declared) the policy cannot exist.
  if (!hasEntraIdP2(tenant)) return undefined;
  const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
  // A tenant with no CA policy files may keep them elsewhere.
  if (!ca.length) return undefined;
  const open = uncoveredLevels(tenant, ca, c);
  if (!open.length) return undefined;
  // The covering policy may sit in a file that could not be read.
  if (modelOf(tenant).mayHide('ConditionalAccessPolicy')) return undefined;
  const near = nearMisses(tenant, ca, c);
  // The closest is one that, fixed, would answer a level still open: a policy for high risk only says nothing of medium.
  const best = nearest(near.filter((p) => riskLevels(p, c.key).some((l) => open.includes(l))), (p) => shortfalls(tenant, p, c));
  // A policy Graph would refuse and that would otherwise answer is named so: "would meet it but Graph refuses it as written".
  const closest = best ? closestText(best, shortfalls(tenant, best, c)) : '';
  return {
    file: manifest,
    span: spanAtPath(manifest.parsed, ['kind'], 'value'),
    message: describe(open, closest),
    related: near.map((p) => related(p, `names ${c.key === 'signInRiskLevels' ? 'sign-in' : 'user'} risk but ${listText(shortfalls(tenant, p, c))}`)),
    data: {},
  };
}

/** Whether a policy's session asks for a full sign-in every time it is evaluated (`signInFrequency.frequencyInterval: everyTime`). */
export function signsInEveryTime(p: PolicyFacts): boolean {
  const sif = asObject(asObject(p.spec?.sessionControls)?.signInFrequency);
  return !!sif && sif.isEnabled !== false && sif.frequencyInterval === 'everyTime';
}

/**
 * The enabled policies that answer a level of the risk for everyone but without sign-in frequency "every time", where
 * no policy that asks for it answers that level. Learn's risk policies set Session > Sign-in frequency > Every time
 * (policy-risk-based-sign-in, policy-risk-based-user), and its session lifetime page lists risky users and risky
 * sign-ins among the cases that need a fresh authentication every time
 * (https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime#require-reauthentication-every-time).
 * A block asks nothing a session could already hold, and Entra sets every time itself on a policy that requires risk
 * remediation (concept-conditional-access-grant): neither is named.
 */
export function withoutEveryTime(tenant: TenantView, c: RiskCoverage): { p: PolicyFacts; levels: string[] }[] {
  const ca = policiesOfKind(tenant, 'ConditionalAccessPolicy');
  const covers = ca.filter((p) => p.spec?.state === 'enabled' && !graphRefusal(p.schemaIssues) && shortfalls(tenant, p, c).length === 0 && riskLevels(p, c.key).some((l) => c.levels.includes(l)));
  const fresh = new Set(covers.filter((p) => signsInEveryTime(p) || grantControlsOf(p).includes('block') || grantControlsOf(p).includes('riskRemediation')).flatMap((p) => riskLevels(p, c.key)));
  return covers
    .filter((p) => !signsInEveryTime(p) && !grantControlsOf(p).includes('block') && !grantControlsOf(p).includes('riskRemediation'))
    .map((p) => ({ p, levels: riskLevels(p, c.key).filter((l) => c.levels.includes(l) && !fresh.has(l)) }))
    .filter((x) => x.levels.length > 0);
}

/** Where the note on a risk policy without "every time" sits: its sign-in frequency when it sets one, else its risk levels. */
export function everyTimeSpan(p: PolicyFacts, key: RiskKey) {
  const sif = asObject(asObject(p.spec?.sessionControls)?.signInFrequency);
  return sif ? policySpan(p, ['spec', 'sessionControls', 'signInFrequency'], 'key') : policySpan(p, ['spec', 'conditions', key], 'key');
}

/** The session control a risk policy's note asks for, as the format writes it. */
export const EVERY_TIME = '`sessionControls.signInFrequency: { isEnabled: true, frequencyInterval: everyTime, authenticationType: primaryAndSecondaryAuthentication }`';

const SIGN_IN_RISK: RiskCoverage = {
  key: 'signInRiskLevels',
  levels: ['high', 'medium'],
  // MFA that a risky sign-in cannot avoid: not beside app protection or a compliant device under OR, which would let
  // it through without a fresh proof.
  answers: (p, tenant) => grantControlsOf(p).includes('block') || (grantRequiresMfa(tenant, p, { custom: false }) && grantOnlyThrough(tenant, p, ['mfa', 'authenticationStrength'])),
  grantText: 'requires MFA (or an authentication strength)',
};

/**
 * What meets an All users MFA policy's grant at a risky sign-in without a fresh proof: an MFA claim the session already
 * holds, and under OR any control offered beside MFA (a compliant device, a hybrid joined device) on its own.
 */
function metWithout(p: PolicyFacts): string {
  const mfa = (c: string): boolean => c === 'mfa' || c === 'authenticationStrength' || c.startsWith('custom:');
  const others = grantOperator(p) === 'OR' ? grantControlNames(p).filter((c) => !mfa(c)) : [];
  return others.length ? `${codeList(others, 'or')} alone meets it, as does an MFA claim the session already holds` : 'an MFA claim the session already holds meets it';
}

/**
 * No enabled CA policy requires MFA for medium and high sign-in risk for All users, in a tenant with Entra ID P2 that
 * keeps its Conditional Access policies here.
 */
export const caSignInRiskNotCovered: Rule = {
  id: 'ca-sign-in-risk-not-covered',
  title: 'No Conditional Access policy requires MFA for risky sign-ins',
  category: 'layer',
  layer: 4,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-risk-based-sign-in',
    'https://learn.microsoft.com/entra/id-protection/howto-identity-protection-configure-risk-policies',
  ],
  peers: ['MT.1012', 'MS.AAD.2.3v1'],
  emitsOn: ['manifest', 'ConditionalAccessPolicy'],
  check(tenant, emit) {
    // A policy that answers the risk but lets a session's MFA claim meet it: information, naming it, with Learn's reason.
    if (hasEntraIdP2(tenant)) {
      for (const { p, levels } of withoutEveryTime(tenant, SIGN_IN_RISK)) {
        emit({
          file: p,
          span: everyTimeSpan(p, 'signInRiskLevels'),
          severity: 'information',
          message:
            `${policyLabel(p)} requires ${grantText(tenant, p)} at ${listText(levels.map((l) => `\`${l}\``))} sign-in risk for All users, but without sign-in frequency "every time": ` +
            'an MFA claim the session already holds meets it, so a risky sign-in in a session that did MFA before (a replayed token) is asked for nothing new, and the risk is never remediated. ' +
            'Learn\'s sign-in risk policy sets Session > Sign-in frequency > Every time, and lists risky sign-ins among the cases that need a fresh authentication every time. ' +
            `Add ${EVERY_TIME}`,
          data: { everyTime: true },
        });
      }
    }
    // With MFA already required of everyone, the gap is a fresh proof at the risky sign-in, not the password alone.
    const mfa = allUsersMfaPolicy(tenant);
    // The MFA policy for All users may leave modern clients out (`clientAppTypes` for legacy clients only, or browsers
    // only): the same answer `ca-mfa-admins-missing` gives of it (`modernClientLimit`).
    const limit = mfa ? modernClientLimit(mfa) : undefined;
    const outcome = !mfa
      ? 'gets in with the password alone. '
      : limit === LEGACY_CLIENTS_ONLY
        ? `is asked for nothing in a browser or a mobile or desktop app: ${policyLabel(mfa)} requires ${grantText(tenant, mfa)} of All users but ${limit}, and the risk is never remediated. `
        : limit
          ? `is asked for nothing more than any other: ${policyLabel(mfa)} requires ${grantText(tenant, mfa)} of All users but ${limit}, and where it applies ${metWithout(mfa)}, and the risk is never remediated. `
          : `is asked for nothing more than any other: ${policyLabel(mfa)} requires ${grantText(tenant, mfa)} of All users, but ${metWithout(mfa)}, and the risk is never remediated. `;
    const finding = checkRiskCoverage(tenant, SIGN_IN_RISK, (open, closest) =>
      `no enabled Conditional Access policy requires MFA for ${listText(open.map((l) => `\`${l}\``))} sign-in risk for All users: ` +
      'a sign-in Entra ID Protection finds risky (a password spray, an unfamiliar location, a token from a known attacker) then ' +
      outcome +
      'Add a policy with `signInRiskLevels: [high, medium]` that requires MFA (or an ' +
      `authentication strength) with sign-in frequency "every time", for All users and All resources, excluding the break-glass accounts${closest}`,
    );
    if (finding) emit(finding);
  },
};

/**
 * What an applying policy asks of the sign-in: its grant controls, each one's status (met by the scenario, still
 * required, or impossible for this tenant, as the tenant model's one grant evaluator says), combined under the
 * grant's operator with `block` winning; and its session controls, in words.
 */
import { DIRECTORY_SYNC_ROLE, SYNC_ACCOUNT_TEXT, syncAccountCanMeet } from '../model/directory-sync';
import type { PolicyFacts } from '../facts';
import type { TenantView } from '../rule';
import { builtInControlsOf, compliantDeviceExemption, managedWindowsDevice, managedWindowsFix, offeredDevice, requiredBut, WINDOWS_MAM_UNMANAGED_ONLY, emptyGrant, EMPTY_GRANT_TEXT, EXTERNAL_DEVICE_CLAIMS, EXTERNAL_NO_APP_PROTECTION, externalUsersCanMeet, externalUsersOnly, guestTrustFor, guestTypeGapFor, type ControlGap, type UndeclaredFact, grantOperator, guestBringsHomeDevice, GUEST_TRUST_RULE, reachesLocalGuests, singleFactorText, strengthIsMultifactor, untrustedMfaText, type ControlAbility } from '../model/grants';
import { RESOURCE_TENANT_MFA_TEXT, strengthName, tenantsText, trustFact, TRUST_CLAIMS, type TrustClaim } from '../model/cross-tenant';
import { modelOf } from '../model/index';
import { legacyCannotMeet } from '../model/legacy-auth';
import { canonicalPlatform, type ResolvedScenario } from './scenario';
import { obj, strings } from './values';
import type { SchemaIssue } from '../schema/issue';

/** Where a control stands for this sign-in. */
export type ControlStatus = 'satisfied' | 'required' | 'unsatisfiable' | 'notEnforced' | 'block';

/** One grant control of a policy, for this sign-in. */
export interface ControlEvaluation {
  /** The Graph name (`compliantDevice`, `mfa`, `authenticationStrength`, `termsOfUse:<id>`…). */
  control: string;
  /** What an admin reads: "MFA", "a compliant device". */
  label: string;
  status: ControlStatus;
  reason?: string;
  /**
   * Where `reason` opens with what is asked ("compliant device required on ios, but …"): why the control fails, alone
   * (the grant evaluator's `cause`), which an option under OR says, none being required alone.
   */
  cause?: string;
  /** The rule whose finding (and quick fix) addresses this control when it cannot be met. */
  rule?: string;
  /** A multifactor authentication strength: the sign-in that meets it meets MFA too. */
  meetsMfa?: boolean;
  /**
   * Why this control may be impossible to meet, what the files do not say deciding it (`ControlAbility.mayBeImpossible`):
   * a required compliant device when no compliance policy is known to reach the user and `secureByDefault` is on or not
   * declared; app protection, required or taken as met, when no app protection policy is known to reach the user.
   */
  uncertain?: string;
  /** With `uncertain`: the manifest fact whose absence leaves it in doubt (the model's `undeclared`), which the lockout check's fix names. */
  undeclared?: UndeclaredFact;
  /** For a control that cannot be met: what keeps the user from it, where the fix depends on it (the model's `ControlGap`). */
  gap?: ControlGap;
  /** A control no device of the platform can meet (hybrid join off Windows: the model's `notOnPlatform`). */
  notOnPlatform?: true;
}

/** A policy's grant for this sign-in: its controls, combined under its operator. */
export interface GrantEvaluation {
  operator: 'AND' | 'OR';
  controls: ControlEvaluation[];
  outcome: 'block' | 'granted' | 'requires' | 'unsatisfiable';
  /** The controls still to meet: all of them (AND) or any one (OR). */
  needs?: { operator: 'AND' | 'OR'; controls: ControlEvaluation[] };
  /** "block", "requires a compliant device", "granted (a compliant device: satisfied)". */
  summary: string;
}

/** The policy being evaluated, as far as the grant needs it: its name, and the notes it collects. */
export interface PolicyNotes {
  name: string;
  notes: string[];
}

/** The session controls a policy sets, in words ("sign-in frequency: every time"). */
export function sessionControls(p: PolicyFacts, refused: readonly SchemaIssue[] = [], cloudAppsLicensedHere?: boolean): string[] {
  const sc = obj(p.spec?.sessionControls);
  if (!sc) return [];
  const out: string[] = [];
  const enabled = (k: string): Record<string, unknown> | undefined => {
    const v = obj(sc[k]);
    return v && v.isEnabled !== false ? v : undefined;
  };
  // A control whose settings Graph refuses (`type: minutes`, `mode: nevr`) is named with what is wrong, never described
  // as if it held a value: the policy is not deployable as written.
  const invalid = (k: string): string | undefined => {
    const places = refused
      .map((i) => i.path.map(String))
      .filter((path) => path[path.indexOf('sessionControls') + 1] === k && path.includes('sessionControls'))
      .map((path) => path.slice(path.indexOf('sessionControls') + 2).join('.') || k);
    return places.length ? `not valid as written (${[...new Set(places)].map((x) => `\`${x}\``).join(', ')}: see the schema errors)` : undefined;
  };
  const sif = enabled('signInFrequency');
  // `type` is Graph's plural unit (`days`, `hours`): "1 day", "12 hours".
  const unit = (v: unknown, type: unknown): string => (typeof type === 'string' ? (v === 1 ? type.replace(/s$/, '') : type) : '');
  const sifInvalid = invalid('signInFrequency');
  if (sif) out.push(sifInvalid ? `sign-in frequency: ${sifInvalid}` : sif.frequencyInterval === 'everyTime' ? 'sign-in frequency: every time' : `sign-in frequency: ${String(sif.value ?? '?')} ${unit(sif.value, sif.type)}`.trim());
  const pb = enabled('persistentBrowser');
  const pbInvalid = invalid('persistentBrowser');
  if (pb) out.push(`persistent browser: ${pbInvalid ?? String(pb.mode ?? '?')}`);
  const cas = enabled('cloudAppSecurity');
  const casInvalid = invalid('cloudAppSecurity');
  // Without Microsoft Defender for Cloud Apps (the manifest's licences, `cloudAppsLicensed`: false, not unknown) the
  // session is not routed through it: the control may not apply (`license-missing` reports it).
  const casUnlicensed = cloudAppsLicensedHere === false ? ' — may not apply: no licence the manifest lists includes Microsoft Defender for Cloud Apps, which App Control needs' : '';
  if (cas) out.push(`Conditional Access App Control: ${casInvalid ?? String(cas.cloudAppSecurityType ?? '?')}${casUnlicensed}`);
  if (enabled('applicationEnforcedRestrictions')) out.push('app enforced restrictions');
  if (enabled('secureSignInSession')) out.push('token protection');
  if (sc.disableResilienceDefaults === true) out.push('resilience defaults disabled');
  // Continuous access evaluation has no `isEnabled`: its mode says it (`strictEnforcement`, `strictLocation`, `disabled`).
  const cae = obj(sc.continuousAccessEvaluation);
  if (typeof cae?.mode === 'string') out.push(`continuous access evaluation: ${invalid('continuousAccessEvaluation') ?? cae.mode}`);
  const gsa = enabled('globalSecureAccessFilteringProfile');
  if (gsa) out.push(`Global Secure Access filtering profile${typeof gsa.profileId === 'string' ? ` ${gsa.profileId}` : ''}`);
  return out;
}

/** How What If names the `mfa` control (a multifactor authentication strength meets it too). */
export const MFA_LABEL = 'MFA';

const LABELS: Record<string, string> = {
  block: 'block',
  mfa: MFA_LABEL,
  compliantDevice: 'a compliant device',
  domainJoinedDevice: 'a hybrid joined device',
  compliantApplication: 'app protection',
  approvedApplication: 'an approved client app',
  passwordChange: 'a password change',
  riskRemediation: 'risk remediation',
  verifiedID: 'identity verification with Verified ID',
};

/** The grant of an applying policy for this sign-in; notes on what meeting it rests on go to `ev.notes`. */
export function evaluateGrant(tenant: TenantView, p: PolicyFacts, s: ResolvedScenario, ev: PolicyNotes): GrantEvaluation {
  const gc = obj(p.spec?.grantControls);
  const operator = grantOperator(p);
  const controls: ControlEvaluation[] = [];
  // Notes that a control rests on an Intune policy that does not reach the user, by control: said below unless, under
  // OR, another control the user can meet is offered.
  const coverage = new Map<string, string>();
  // The built-in controls as Entra enforces them (a block of every device but compliant ones is a compliant device).
  for (const c of builtInControlsOf(p)) {
    controls.push(controlStatus(tenant, p, c, s, ev, (note) => coverage.set(c, note)));
  }
  // The strength as the model reads it: a custom one named by id, completed by the folder's export of it (its
  // combinations and `displayName`), the answer the MFA rules and the legacy authentication reading take too.
  const strength = modelOf(tenant).strengthOf(p);
  if (strength) {
    // Its name: the built-in strengths' table is the model's (`BUILT_IN_STRENGTHS`, cross-tenant.ts).
    const name = strengthName(strength);
    // What a legacy client can meet is the model's one answer (`legacy-auth-not-blocked` reads it for the tenant).
    const legacy = legacyCannotMeet('authenticationStrength', s.clientApp, strength);
    // A strength a single factor meets (`federatedSingleFactor`) is said so where the result names it: the model's
    // `strengthFactors`, which the MFA rules read too.
    const single = singleFactorText(strength);
    const label = single
      ? `${name} (${/strength/.test(name) ? '' : 'an authentication strength '}a single factor passes: ${single})`
      : /strength/.test(name) ? name : `${name} (authentication strength)`;
    const meetsMfa = strengthIsMultifactor(strength) ? { meetsMfa: true } : {};
    // A guest of another tenant: whether they can meet it here is the grant evaluator's answer (MFA trust, and the
    // methods open to them in this tenant), the one `ca-guest-device-not-trusted` reads.
    // A strength none of whose methods can be used on the platform (Windows Hello for Business alone, on iOS) is met by
    // no one there: the grant evaluator's answer (`strengthPlatforms`), the one `ca-strength-platform-unsupported` reads.
    const off = legacy ? undefined : strengthOffPlatform(tenant, p, s);
    const guest = !legacy && !off && s.guest && guestBringsHomeDevice(s.guestType) ? guestStrengthStatus(tenant, p, s) : undefined;
    controls.push(off ? { control: 'authenticationStrength', label, ...off, ...meetsMfa } : guest ? { control: 'authenticationStrength', label, ...guest, ...meetsMfa } : {
      control: 'authenticationStrength',
      label,
      status: legacy ? 'unsatisfiable' : 'required',
      reason: legacy ?? 'proven at sign-in; never satisfied offline',
      ...meetsMfa,
    });
  }
  // Basic authentication shows no terms of use and runs no custom control: the sign-in is blocked (Learn, conditions).
  const prompt = (control: string): { status: 'unsatisfiable' | 'required'; reason?: string } => {
    const reason = legacyCannotMeet(control, s.clientApp);
    return reason ? { status: 'unsatisfiable', reason } : { status: 'required' };
  };
  for (const t of strings(gc?.termsOfUse)) controls.push({ control: `termsOfUse:${t}`, label: `accepting terms of use ${t}`, ...prompt(`termsOfUse:${t}`) });
  for (const f of strings(gc?.customAuthenticationFactors)) controls.push({ control: `custom:${f}`, label: `custom control ${f}`, ...prompt(`custom:${f}`) });
  // The Microsoft Entra Connect Sync account, the one holder of Directory Synchronization Accounts, meets none of the
  // controls that ask a person or a managed device (the model's `syncAccountCanMeet`, which ca-directory-sync-role-targeted reads).
  if (s.roles.includes(DIRECTORY_SYNC_ROLE)) {
    for (const c of controls) {
      if ((c.status !== 'required' && c.status !== 'satisfied') || syncAccountCanMeet(c.control.split(':')[0]!)) continue;
      c.status = 'unsatisfiable';
      c.reason = SYNC_ACCOUNT_TEXT;
      delete c.cause;
      delete c.uncertain;
    }
  }
  // A compliant device that may be impossible (`uncertain`) is no sure way in either; when no other option is, what it
  // rests on is said beside the others' notes (under AND, or when every option is in doubt, the result says it).
  const reachable = controls.some((c) => (c.status === 'required' || c.status === 'satisfied') && !coverage.has(c.control) && !c.uncertain);
  if (!(operator === 'OR' && reachable)) for (const note of coverage.values()) ev.notes.push(note);
  if (operator === 'OR' && !reachable && coverage.size) for (const c of controls) if (c.uncertain) ev.notes.push(`${ev.name}: ${c.uncertain}`);
  // A doubt a manifest fact would settle (`secureByDefault` undeclared) is still said where another option is a sure way
  // in: declaring the fact is asked either way.
  if (operator === 'OR' && reachable) for (const c of controls) if (c.uncertain && c.undeclared) ev.notes.push(`${ev.name}: ${c.uncertain}`);

  if (controls.some((c) => c.status === 'block')) return { operator, controls, outcome: 'block', summary: 'block' };
  const live = controls.filter((c) => c.status !== 'notEnforced');
  if (!live.length) {
    // A grant that names no control: the model's one reading (`emptyGrant`), which legacy-auth-not-blocked says too.
    const empty = controls.length ? undefined : emptyGrant(p);
    const why = controls.length ? ` — ${controls.map((c) => c.reason ?? c.label).join('; ')}` : empty && EMPTY_GRANT_TEXT[empty] ? ` (${EMPTY_GRANT_TEXT[empty]})` : '';
    return { operator, controls, outcome: 'granted', summary: `granted: nothing to meet${why}` };
  }
  const satisfied = live.filter((c) => c.status === 'satisfied');
  const open = live.filter((c) => c.status === 'required');
  const impossible = live.filter((c) => c.status === 'unsatisfiable');
  if (operator === 'OR') {
    if (satisfied.length) return { operator, controls, outcome: 'granted', summary: `granted: ${satisfied.map((c) => c.label).join(', ')} met` };
    if (open.length) {
      // A control no device of the platform can meet (hybrid join off Windows) beside one that remains is the grant's
      // design (Microsoft's "compliant or hybrid joined device"), not a gap: nothing to say. A control the tenant
      // could make possible (a compliance policy the platform lacks) is said, while an option that is no doubt
      // remains. Where every option left may be impossible, each is a doubt of the sign-in that says the failing
      // options and why (`othersFail`, evaluate.ts): said there once, and "the other option remains" would not hold.
      if (!open.every((c) => c.uncertain)) for (const c of impossible) if (!c.notOnPlatform) ev.notes.push(`${ev.name}: ${c.reason}; the other option${open.length > 1 ? 's remain' : ' remains'}`);
      return { operator, controls, outcome: 'requires', needs: { operator, controls: open }, summary: `requires ${open.map((c) => c.label).join(' or ')}` };
    }
    // Every option fails: none is required alone, so each is said as an option, why it fails (not "X required").
    const why = impossible.length > 1 ? `every option fails (Require one of the selected controls): ${impossible.map((c) => `for ${c.label}, ${c.cause ?? c.reason ?? 'it cannot be met'}`).join('; ')}` : impossible.map((c) => c.reason).join('; ');
    return { operator, controls, outcome: 'unsatisfiable', summary: `unsatisfiable: ${why}` };
  }
  if (impossible.length) return { operator, controls, outcome: 'unsatisfiable', summary: `unsatisfiable: ${impossible.map((c) => c.reason).join('; ')}` };
  if (open.length) return { operator, controls, outcome: 'requires', needs: { operator, controls: open }, summary: `requires ${open.map((c) => c.label).join(' and ')}` };
  return { operator, controls, outcome: 'granted', summary: `granted: ${satisfied.map((c) => c.label).join(', ')} met` };
}

/**
 * A guest's compliant or hybrid joined device: their home tenant's claim, which counts here as far as the cross-tenant
 * access settings trust it: the grant evaluator's one answer for the policy (`ControlAbility.guestTrust`, which
 * `ca-guest-device-not-trusted` reads too). Declared untrusted for the tenants the policy reaches, the control cannot be
 * met; trusted, the scenario decides; undeclared (or trusted for some tenants only, the guest's not being named), the
 * result line carries the condition. A policy that reaches no guest by type (a group that holds them) has no answer:
 * the scenario decides. With the guest's home tenant named (`--guest-tenant`), the answer is narrowed to that tenant
 * (`guestTrustFor`: the partner's trust, else the default's), so "some tenants" no longer leaves it in doubt.
 */
function guestDeviceStatus(tenant: TenantView, base: Pick<ControlEvaluation, 'control' | 'label' | 'rule'>, claim: TrustClaim, has: boolean, ability: ControlAbility, p: PolicyFacts, ev: PolicyNotes, s: ResolvedScenario): ControlEvaluation {
  // The guest's home tenant named (`--guest-tenant`): the trust for that tenant, the partner's or else the default.
  const answer = guestTrustFor(modelOf(tenant).declared.inboundTrust, ability.guestTrust, claim, s.guestTenant) ?? { state: 'trusted' as const };
  // A guest of no stated type and no home tenant may be a local guest; one with a home tenant is a user of another.
  const untyped = s.guestType === undefined && s.guestTenant === undefined;
  const what = claim === 'compliantDevice' ? 'compliant' : 'hybrid joined';
  const fact = TRUST_CLAIMS[claim];
  const status = has ? 'satisfied' : 'required';
  switch (answer.state) {
    case 'trusted':
      return { ...base, status };
    case 'untrusted':
      // A guest of no stated type, of a policy that reaches local guests too: a local guest's device is this tenant's.
      if (untyped && reachesLocalGuests(p)) {
        return { ...base, status, uncertain: `a guest's ${what} device counts here only if they are a local guest (\`internalGuest\`, whose device is this tenant's): the cross-tenant access settings do not trust a user of another tenant's (\`${fact}\` is false for ${tenantsText(answer.tenants)}; --guest-type names the kind of guest)`, rule: GUEST_TRUST_RULE };
      }
      return { ...base, status: 'unsatisfiable', reason: `a guest's ${what} device is their home tenant's, and the cross-tenant access settings do not trust it (\`${fact}\` is false for ${tenantsText(answer.tenants)})`, rule: GUEST_TRUST_RULE };
    case 'some':
      ev.notes.push(`${ev.name}: ${EXTERNAL_DEVICE_CLAIMS}`);
      return { ...base, status, uncertain: `a guest's ${what} device counts here only if their home tenant is trusted (\`${fact}\` is false for ${tenantsText(answer.tenants)}; the scenario does not say which tenant the guest is from)`, rule: GUEST_TRUST_RULE };
    case 'undeclared':
      return { ...base, status, uncertain: `a guest's ${what} device counts here only if this tenant trusts their home tenant's ${what} devices (\`${trustFact(claim)}\`${s.guestTenant ? ` or the partner entry of ${s.guestTenant}` : ''}, not declared; off by default)` };
  }
}

/**
 * An MFA claim asked of a guest of a type the grant evaluator says cannot meet it as the others do
 * (`ControlAbility.guestTypeGaps`: `otherExternalUser` asked an authentication strength, whatever the trust; a B2B direct
 * connect user without MFA trust): the entry of the guest's type decides. A guest of no stated type gets the policy's
 * answer: impossible for every type it reaches, unsatisfiable (unless they may be a local guest the policy reaches);
 * some types kept out, the result line carries the condition. Undefined where the answer leaves it to the sign-in.
 */
function guestTypeStatus(tenant: TenantView, ability: ControlAbility, p: PolicyFacts, s: ResolvedScenario): Pick<ControlEvaluation, 'status' | 'reason' | 'uncertain' | 'rule'> | undefined {
  const all = ability.guestTypeGaps ?? [];
  if (!all.length) return undefined;
  // The guest's home tenant named (`--guest-tenant`): each gap of MFA trust is that tenant's (the partner's trust, else
  // the default), the model's answer (`guestTypeGapFor`), not the policy's for every tenant it reaches.
  const trust = modelOf(tenant).declared.inboundTrust;
  const home = s.guestTenant;
  const gaps = home === undefined ? all : all.flatMap((g) => guestTypeGapFor(trust, g, home) ?? []);
  if (!gaps.length) return undefined;
  // The rule's name goes with what `ca-guest-device-not-trusted` reports (`ability.rule`), or a control no guest can meet.
  const rule = ability.rule === GUEST_TRUST_RULE ? { rule: GUEST_TRUST_RULE } : {};
  if (s.guestType !== undefined) {
    const g = gaps.find((x) => x.types.includes(s.guestType!));
    if (!g) return undefined;
    if (g.state === 'never' || g.state === 'untrusted') return { status: 'unsatisfiable', reason: g.reason, ...rule };
    if (g.state === 'some') return { status: 'required', uncertain: `${g.who}${g.tenants ? ` from ${tenantsText(g.tenants)}` : ''} cannot meet it: ${g.reason} (the scenario does not say which tenant the guest is from)`, ...rule };
    return { status: 'required', uncertain: g.reason };
  }
  // Every type kept out (for the home tenant named, still every one, each certainly).
  if (ability.status === 'impossible' && gaps.length === all.length && gaps.every((g) => g.state === 'never' || g.state === 'untrusted')) {
    if (reachesLocalGuests(p)) return { status: 'required', uncertain: `a guest can meet it only if they are a local guest (\`internalGuest\`, who signs in here as this tenant's users; --guest-type names the kind of guest): ${ability.reason ?? ''}`, ...rule };
    return { status: 'unsatisfiable', reason: ability.reason ?? gaps.map((g) => g.reason).join('; '), ...rule };
  }
  // Only the home tenant is in doubt (the guests of some tenants), or only undeclared trust: as the policy's answer says
  // (or, the home tenant named, as its gaps do).
  const byType = gaps.some((g) => g.who !== 'the guests');
  const why = (home === undefined ? ability.reason : undefined) ?? gaps.map((g) => g.reason).join('; ');
  const note = byType ? ' (--guest-type names the kind of guest)' : gaps.some((g) => g.state === 'some') ? ' (the scenario does not say which tenant the guest is from)' : '';
  return { status: 'required', uncertain: `${why}${note}`, ...rule };
}

/**
 * An authentication strength on a platform none of its methods can be used on, from the grant evaluator's answer
 * (`gap: 'strengthPlatform'`): unsatisfiable whoever signs in, as a hybrid joined device off Windows. Undefined otherwise.
 */
function strengthOffPlatform(tenant: TenantView, p: PolicyFacts, s: ResolvedScenario): Pick<ControlEvaluation, 'status' | 'reason' | 'cause' | 'rule' | 'gap' | 'notOnPlatform'> | undefined {
  const platform = canonicalPlatform(s.platform);
  if (!platform) return undefined;
  const ability = modelOf(tenant).control('authenticationStrength', platform, s.platform, s.groups.map((g) => g.name), p);
  if (ability.status !== 'impossible' || ability.gap !== 'strengthPlatform') return undefined;
  return { status: 'unsatisfiable', reason: ability.reason, ...(ability.cause !== undefined ? { cause: ability.cause } : {}), ...(ability.rule ? { rule: ability.rule } : {}), gap: ability.gap, notOnPlatform: true };
}

/**
 * An authentication strength for a guest of another tenant (or of no stated type), from the grant evaluator's answer
 * for the policy: a guest type it cannot be asked of, or that needs MFA trust the settings do not give
 * (`guestTypeStatus`), and otherwise `ControlAbility.guestTrust`: a strength they can meet only in their home tenant
 * (phishing-resistant MFA), with MFA trust declared off for the tenants the policy reaches, cannot be met (unless the
 * guest may be a local guest the policy reaches, who signs in here as this tenant's users do); off for some tenants, or
 * not declared, the result line carries the condition. Undefined where the answer leaves it to the sign-in.
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-external-users
 */
function guestStrengthStatus(tenant: TenantView, p: PolicyFacts, s: ResolvedScenario): Pick<ControlEvaluation, 'status' | 'reason' | 'uncertain' | 'rule'> | undefined {
  const model = modelOf(tenant);
  const ability = model.control('authenticationStrength', canonicalPlatform(s.platform), s.platform, s.groups.map((g) => g.name), p);
  // A guest type no trust can help (`otherExternalUser` asked a strength) is kept out whatever their home tenant.
  if (s.guestType !== undefined && ability.guestTypeGaps?.some((g) => g.state === 'never' && g.types.includes(s.guestType!))) return guestTypeStatus(tenant, ability, p, s);
  // The guest's home tenant named (`--guest-tenant`): MFA trust for that tenant, the partner's or else the default.
  if (s.guestTenant && ability.guestTrust) {
    const mine = guestTrustFor(model.declared.inboundTrust, ability.guestTrust, 'mfa', s.guestTenant)!;
    const here = `they complete MFA here, where only ${RESOURCE_TENANT_MFA_TEXT} is open to them, and the strength allows none of these`;
    if (mine.state === 'trusted') return undefined;
    if (mine.state === 'untrusted' || mine.state === 'some') return { status: 'unsatisfiable', reason: `${untrustedMfaText(mine.tenants)}, so ${here}`, rule: GUEST_TRUST_RULE };
    return { status: 'required', uncertain: `the guest from ${s.guestTenant} can meet it only if this tenant trusts their home tenant's MFA (\`${trustFact('mfa')}\` or the partner entry of ${s.guestTenant}, not declared; off by default): without it ${here}` };
  }
  return guestTypeStatus(tenant, ability, p, s);
}

/**
 * One control for this sign-in. Whether it can be met at all on the platform, for this user, is the tenant model's
 * answer (the same the rules give); the scenario then says whether this sign-in meets it.
 */
function controlStatus(tenant: TenantView, p: PolicyFacts, control: string, s: ResolvedScenario, ev: PolicyNotes, uncovered: (note: string) => void): ControlEvaluation {
  const label = LABELS[control] ?? control;
  const platform = canonicalPlatform(s.platform);
  const model = modelOf(tenant);
  const homeDevice = (control === 'compliantDevice' && platform) || (control === 'domainJoinedDevice' && platform === 'windows');
  // A local guest (`internalGuest`) is an account of this tenant: their device is enrolled and evaluated here, as any
  // user's, and cross-tenant access settings do not apply (the model's `guestBringsHomeDevice`). The policy's answer
  // for the users of other tenants it reaches is not theirs: their device control is asked as this tenant's users' is.
  const external = s.guest && guestBringsHomeDevice(s.guestType);
  const ability = model.control(control, platform, s.platform, s.groups.map((g) => g.name), s.guest && !external && homeDevice ? undefined : p, s.roleHolder);
  // The guests' gap of a policy for All users is not this sign-in's, unless the user is a guest of another tenant.
  const rule = ability.rule === GUEST_TRUST_RULE && !external ? undefined : ability.rule;
  const base = { control, label, ...(rule ? { rule } : {}) };
  if (ability.status === 'block') return { ...base, status: 'block' };
  if (ability.status === 'notEnforced') return { ...base, status: 'notEnforced', reason: ability.reason };
  // Intune enrollment and the Web Company Portal are not gated by the compliant device control (the model's
  // `compliantDeviceExemption`, which a block of every device but compliant ones does not share).
  const exempt = control === 'compliantDevice' ? compliantDeviceExemption(p, s.app) : undefined;
  if (exempt) return { ...base, status: 'notEnforced', reason: exempt };
  // Device and app controls a legacy client cannot meet (MFA waits below: a guest's or a retired control comes first).
  const legacy = control === 'mfa' ? undefined : legacyCannotMeet(control, s.clientApp);
  if (legacy) return { ...base, status: 'unsatisfiable', reason: legacy };
  // A guest's device claims are their home tenant's: this tenant's compliance policies and enrollment do not decide
  // them (a platform no device of which can be compliant, or hybrid joined, is another matter).
  if (external && homeDevice) return guestDeviceStatus(tenant, base, control as TrustClaim, (control === 'compliantDevice' ? s.deviceCompliant : s.hybridJoined) === true, ability, p, ev, s);
  // App protection: a guest of another tenant never meets it, whatever this tenant's app protection policies (the grant
  // evaluator's `notForExternalUsers`): said before this tenant's own gap (no policy here), which is not theirs; the
  // rule named only where `ca-guest-device-not-trusted` reports it.
  if (external && !externalUsersCanMeet(control)) {
    const { rule: _own, ...named } = base;
    return { ...named, ...(ability.rule === GUEST_TRUST_RULE ? { rule: GUEST_TRUST_RULE } : {}), status: 'unsatisfiable', reason: EXTERNAL_NO_APP_PROTECTION };
  }
  if (ability.status === 'impossible') return { ...base, status: 'unsatisfiable', reason: ability.reason, ...(ability.cause !== undefined ? { cause: ability.cause } : {}), ...(ability.gap ? { gap: ability.gap } : {}), ...(ability.notOnPlatform ? { notOnPlatform: true as const } : {}) };
  switch (control) {
    case 'compliantDevice':
      // Whether a compliance policy reaches this user is the model's answer (`complianceReach`), the rule's too. Where
      // it may not and secureByDefault is on, the sign-in may be blocked in practice (`uncertain`, not a note); where it
      // does not, or may not, otherwise, a note, said unless under OR another control the user can meet is offered.
      // (So does a compliance policy in a file not analysed where the files read say no device can be compliant, `gap:
      // 'unread'`, and an undeclared enrollment prerequisite, the push certificate or the managed Google Play binding.)
      if (ability.mayBeImpossible) return { ...base, status: s.deviceCompliant ? 'satisfied' : 'required', ...(s.deviceCompliant ? {} : { uncertain: ability.reason, ...(ability.undeclared ? { undeclared: ability.undeclared } : {}), ...(ability.gap ? { gap: ability.gap } : {}) }) };
      if (ability.reach) uncovered(`${ev.name}: ${ability.reason}`);
      else if (ability.missing || ability.unknown || ability.deviceAdminOnly || externalUsersOnly(p)) ev.notes.push(`${ev.name}: ${ability.reason}`);
      return { ...base, status: s.deviceCompliant ? 'satisfied' : 'required' };
    case 'compliantApplication':
      // Windows app protection is Edge's: a desktop or mobile app sign-in there cannot meet it, whatever the policy's
      // client apps (the rule reads a policy for desktop apps alone as impossible; this is the one sign-in).
      if (platform === 'windows' && s.clientApp !== 'browser') {
        return { ...base, status: 'unsatisfiable', ...requiredBut('app protection required on windows', 'Windows app protection applies only in Microsoft Edge, and this is an app sign-in, not a browser one'), gap: 'edgeOnly' };
      }
      // Intune MAM on Windows applies only on PCs neither MDM enrolled nor Microsoft Entra joined: a compliant or hybrid
      // joined device gets no app protection policy, whatever the scenario says of the app (`managedWindowsDevice`).
      {
        const managed = managedWindowsDevice(platform, { compliant: s.deviceCompliant, hybridJoined: s.hybridJoined });
        if (managed) {
          const device = managed === 'compliant' ? 'this device is compliant, so MDM enrolled' : 'this device is hybrid joined, so Microsoft Entra joined';
          return { ...base, rule: 'ca-requires-app-protection', status: 'unsatisfiable', ...requiredBut('app protection required on windows', `${device}, and ${WINDOWS_MAM_UNMANAGED_ONLY}, so Edge here gets no app protection policy; ${managedWindowsFix(ev.name, offeredDevice(p, () => model.control('compliantDevice', platform, s.platform, s.groups.map((g) => g.name), p, s.roleHolder)))}`), gap: 'managedWindows' };
        }
      }
      if (platform === 'windows') ev.notes.push(`${ev.name}: app protection on Windows covers Microsoft Edge only`);
      // The tenant enrolls Windows PCs: an app the scenario says is protected is on a PC Intune does not manage;
      // otherwise the sign-in may be from an enrolled one, where the grant is not met.
      if (ability.gap === 'managedWindows' && ability.mayBeImpossible && !ability.reach) return { ...base, status: s.appProtected ? 'satisfied' : 'required', ...(s.appProtected ? {} : { uncertain: ability.reason, gap: 'managedWindows' as const }) };
      if (ability.unknown && !ability.mayBeImpossible) ev.notes.push(`${ev.name}: ${ability.reason}`);
      // Whether an app protection policy reaches this user is the model's answer (`appProtectionReach`), the rule's
      // too: one that excludes them leaves the control impossible (above, whatever the scenario says of the app); one
      // that may not reach them leaves the sign-in in doubt, even with the app taken to be protected (only a policy
      // that reaches the user protects their app).
      // Policies for apps on Intune-managed devices only: an app the scenario says is protected has one (its device
      // is enrolled); otherwise an unenrolled device may get none.
      // Policies for apps on unmanaged devices only: an app the scenario says is protected has one (its device is not
      // managed); a compliant Android device is one Intune manages, where no app gets one; otherwise an enrolled
      // device may get none.
      if (ability.unmanagedDevicesOnly && !ability.reach) {
        if (platform === 'android' && s.deviceCompliant === true && !s.appProtected) {
          return { ...base, status: 'unsatisfiable', ...requiredBut('app protection required on android', `this device is compliant, so Intune manages it, and the tenant's Android app protection ${ability.unmanagedDevicesOnly.length > 1 ? 'policies' : 'policy'} ${ability.unmanagedDevicesOnly.map((c) => c.name ?? c.path).join(', ')} ${ability.unmanagedDevicesOnly.length > 1 ? 'target' : 'targets'} apps on unmanaged devices only (\`targetedAppManagementLevels: unmanaged\`): no app on it gets a policy`), gap: 'unmanagedOnly' };
        }
        return { ...base, status: s.appProtected ? 'satisfied' : 'required', ...(s.appProtected ? {} : { uncertain: ability.reason, gap: 'unmanagedOnly' as const }) };
      }
      if (ability.managedDevicesOnly && !ability.reach) return { ...base, status: s.appProtected ? 'satisfied' : 'required', ...(s.appProtected ? {} : { uncertain: ability.reason }) };
      if (ability.mayBeImpossible) return { ...base, status: s.appProtected ? 'satisfied' : 'required', uncertain: ability.reason, ...(ability.gap ? { gap: ability.gap } : {}) };
      return { ...base, status: s.appProtected ? 'satisfied' : 'required' };
    case 'domainJoinedDevice':
      return { ...base, status: s.hybridJoined ? 'satisfied' : 'required' };
    default: {
      const noMfa = control === 'mfa' ? legacyCannotMeet(control, s.clientApp) : undefined;
      if (noMfa) return { ...base, status: 'unsatisfiable', reason: noMfa };
      // A B2B direct connect user meets MFA only under MFA trust: the grant evaluator's answer for the policy.
      const guestMfa = control === 'mfa' && external ? guestTypeStatus(tenant, ability, p, s) : undefined;
      if (guestMfa) return { ...base, ...guestMfa };
      return { ...base, status: 'required', reason: control === 'mfa' ? 'proven at sign-in; never satisfied offline' : undefined };
    }
  }
}

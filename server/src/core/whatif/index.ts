/**
 * Offline What If: which Conditional Access policies a sign-in meets, why, and what they ask of it — the seed's
 * "test together using the Conditional Access What If tool before enabling enforcement", from the files alone.
 *
 * It follows Entra's evaluation: a policy applies when every condition it sets matches (users, then target
 * resources, platforms, client apps, locations, risk); exclusions win over inclusions. Every enforced policy that
 * applies must be satisfied (AND across policies); within one, `operator` combines its grant controls and `block`
 * wins. Report-only policies are evaluated the same way but never change the result. Offline, nothing is proven
 * interactively: MFA and authentication strengths become requirements ("allowed if MFA"), and the device state
 * comes from the scenario. On top of Entra, it checks the tenant can meet a requirement at all: a compliant device
 * on a platform with no compliance policy, or app protection with no app protection policy, is unsatisfiable.
 */
export { APP_KEYWORDS, AUTH_FLOWS, CLIENT_APPS, INSIDER_RISK_LEVELS, RISK_LEVELS, USER_ACTIONS, canonicalAuthContext, canonicalAuthFlow, canonicalPlatform, canonicalUserAction, describeUser, resolveScenario, signInTargetChoices, validateScenario } from './scenario';
export type { AuthFlow, ClientApp, ResolvedScenario, RiskLevel, SignInTargetChoices, UserAction, WhatIfScenario } from './scenario';
export type { ConditionCheck, ConditionName } from './conditions';
export type { ControlEvaluation, ControlStatus, GrantEvaluation } from './grants';
export { allFailText, anyOfText, deviceFilterNote, optionReason, unsatisfiableReasons, doubtGroups, doubtReasons, evaluate, MAY_BE_BLOCKED, notDeployableText, requirementText } from './evaluate';
export type { PolicyEvaluation, PolicyState, Unsatisfiable, Verdict, WhatIfResult, WhyPart } from './evaluate';
export { ROLE_NAMES } from '../model/break-glass';

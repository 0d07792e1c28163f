import { asObject, firstLineSpan, formatOf, isPlainObject, spanAtPath } from '../document';
import { documentOnboarding } from '../model/defender';
import { AZUREAD_MODULE_ADVICE, collectionEvidence, collectionKinds, collectionLists, CONFIGURATION_EVIDENCE_TYPES, configurationEvidenceType, describeForeignGraphType, foreignGraphTypeOf, foreignTypeLabel, fromAzureAdModule, fromPowerShellSdk, graphTypeName, isOnboardingEvidence, listItem, listItemKind, POWERSHELL_SDK_SHAPE, powerShellSdkEnumsAdvice, powerShellSdkTruncated, rawKindOf, wrappedKind } from '../graph';
import { MANIFEST_FILE } from '../facts';
import { KIND_NAMES } from '../kinds';
import { macOSCustomPayloads } from '../model/apple-payloads';
import { basename } from '../paths';
import type { Rule, TenantView } from '../rule';
import { modelOf } from '../model/index';
import { strengthTitle } from '../model/cross-tenant';
import { closest } from '../prose';

/**
 * A macOS custom profile: the configuration checks read the payloads of its `.mobileconfig` (FileVault, its recovery
 * key escrow, the firewall), or, when they cannot, hold back while it is assigned: the message says which.
 */
function macCustomMessage(doc: Record<string, unknown>): string {
  const head = `\`#microsoft.graph.macOSCustomConfiguration\` is ${describeForeignGraphType('macOSCustomConfiguration')}, so this Graph export is not checked as a policy`;
  const read = macOSCustomPayloads(doc);
  if (read.state === 'unknown') {
    return `${head}, and its \`payload\` cannot be read (${read.reason}; an XML property list, base64 or plain, is read): while it is assigned, the FileVault and macOS firewall checks cannot tell what it turns on and say nothing. Export it again with its \`payload\`, or upload the profile unsigned as XML`;
  }
  return `${head}; but the configuration checks (FileVault, its recovery key escrow and the macOS firewall, through the payloads of its \`.mobileconfig\`) read what it turns on: keep it in the tenant folder`;
}

/**
 * Whether the tenant model reads this file as the authentication strength of its id (`TenantModel.authStrengths`): it
 * has an id and its combinations, and no other file took the id first.
 */
function readAsStrength(tenant: TenantView, path: string, doc: Record<string, unknown>): boolean {
  const id = typeof doc.id === 'string' ? doc.id.trim().toLowerCase() : undefined;
  return id !== undefined && modelOf(tenant).authStrengths.byId.get(id)?.file === path;
}

/** `kind` is missing or not one of the catalogue's kinds. */
export const unknownKind: Rule = {
  id: 'unknown-kind',
  title: '`kind` is missing or not a known policy kind',
  category: 'structure',
  defaultSeverity: 'error',
  check(tenant, emit) {
    for (const file of tenant.policies) {
      if (file.kind) continue;
      const list = KIND_NAMES.join(', ');
      // Its `@odata.type`, or, without one, what its shape says (an intent by its settings, as the checks read it).
      const foreign = file.kindValue === undefined && isPlainObject(file.value) && !('spec' in file.value) ? foreignGraphTypeOf(file.value) : undefined;
      if (foreign && isPlainObject(file.value)) {
        const label = foreignTypeLabel(file.value, foreign);
        const tagged = graphTypeName(file.value['@odata.type']) !== undefined;
        // A raw Graph export of a resource that no kind holds (an update ring, a named location…).
        // Information, not an error: a full Intune backup holds many resources no kind checks, and they are not wrong.
        const evidence = CONFIGURATION_EVIDENCE_TYPES.includes(foreign);
        // Whether it onboards is the Defender model's answer (`documentOnboarding`): a template profile whose onboarding
        // package is empty and that takes none from the connector onboards nothing, whatever its type.
        const onboardingAnswer = isOnboardingEvidence(foreign, file.value) ? documentOnboarding(foreign, file.value, file.path) : undefined;
        const onboarding = onboardingAnswer?.onboards === 'yes';
        // Exported without what would say (an intent without its settings): it may onboard, not a fact either way.
        const mayOnboard = onboardingAnswer?.onboards === 'unknown' ? onboardingAnswer : undefined;
        const onboardsNothing = onboardingAnswer?.onboards === 'no' ? onboardingAnswer.why : undefined;
        emit({
          file,
          severity: 'information',
          span: tagged ? spanAtPath(file.parsed, ['@odata.type'], 'value') : spanAtPath(file.parsed, ['assignments'], 'key'),
          message: onboardsNothing
            ? `${label} is ${describeForeignGraphType(foreign)}, so this Graph export is not checked as a policy; the Defender onboarding checks read it, but it onboards no device: ${onboardsNothing}`
            : mayOnboard
            ? `${label} is ${describeForeignGraphType(foreign)}, so this Graph export is not checked as a policy; it may onboard devices to Defender for Endpoint, but it was exported without ${mayOnboard.without === 'packageType' ? 'its configuration package type' : 'its settings'}, which would say, so the Defender checks (onboarding, device risk, Endpoint DLP, baselines) read whether it onboards as unknown: keep it in the tenant folder, and export it again with ${mayOnboard.without === 'packageType' ? 'that property' : foreign === 'deviceManagementIntent' ? 'its settings (`GET /deviceManagement/intents/{id}/settings`)' : 'its settings'} to settle it`
            : onboarding
            ? `${label} is ${describeForeignGraphType(foreign)}, so this Graph export is not checked as a policy; but it onboards devices to Defender for Endpoint${foreign === 'windows10CustomConfiguration' ? ' (an OMA-URI setting writes the onboarding blob to the WindowsAdvancedThreatProtection CSP\'s `Onboarding` node)' : ''}, which the Defender checks (onboarding, device risk, Endpoint DLP, baselines) read${foreign === 'windows10CustomConfiguration' ? ', as the configuration checks read its other CSPs' : ''}: keep it in the tenant folder`
            : evidence && foreign === 'macOSCustomConfiguration' && isPlainObject(file.value)
            ? macCustomMessage(file.value)
            : /NamedLocation$/.test(foreign)
            ? // The model's one reader of named locations (`model/named-locations.ts`) reads it.
              `${label} is ${describeForeignGraphType(foreign)}, so this Graph export is not checked as a policy; but ${foreign === 'ipNamedLocation' ? 'What If (\`--location trusted\`) reads whether it is trusted, and ' : ''}the Conditional Access messages name it by its \`displayName\`: keep it in the tenant folder`
            : foreign === 'authenticationStrengthPolicy' && readAsStrength(tenant, file.path, file.value)
            ? // The model's one reader of authentication strengths (`model/auth-strengths.ts`) reads it.
              `${label} is ${describeForeignGraphType(foreign)}, so this Graph export is not checked as a policy; but it is read as the tenant's authentication strength \`${strengthTitle(file.value) ?? ''}\`: the Conditional Access checks, What If and the lockout check read its \`allowedCombinations\` for the policies that name it by id alone (\`grantControls.authenticationStrength.id\`), and their messages name it by its \`displayName\`: keep it in the tenant folder`
            : evidence
            ? `${label} is ${describeForeignGraphType(foreign)}, so this Graph export is not checked as a policy; but the configuration checks (${foreign === 'windows10CustomConfiguration' ? 'BitLocker, attack surface reduction rules and Windows LAPS, through their CSPs' : 'BitLocker, attack surface reduction rules, FileVault, the macOS firewall, the security baseline'}) read what it turns on: keep it in the tenant folder`
            : // The description may end on a clause of its own ("…count here"): the verdict is a sentence of its own, with its reason.
              `${label} is ${describeForeignGraphType(foreign)}. This Graph export is not analysed: raw exports are read when their \`@odata.type\` is one of the kinds' resources. Move the file out of the tenant folder, or leave it: nothing here checks it`,
        });
      } else if (file.kindValue === undefined && isPlainObject(file.value) && !('spec' in file.value) && Array.isArray(file.value.assignments)) {
        // Graph's assignments list (ours is a mapping) on a document with no `@odata.type`: a raw export of a resource
        // no kind holds, whose exporter dropped the type (IntuneCD's update profiles and scripts). Not a mistake.
        emit({
          file,
          severity: 'information',
          span: spanAtPath(file.parsed, ['assignments'], 'key'),
          message:
            'this looks like a Graph export (its `assignments` are Graph\'s list) of a resource none of the kinds holds, and it has no `@odata.type` to say which, so it is not analysed. ' +
            'Move the file out of the tenant folder, or leave it: nothing here checks it. If it is a policy of one of the kinds, export it again with its `@odata.type`',
        });
      } else if (file.kindValue === undefined) {
        emit({ file, span: firstLineSpan(file.parsed), message: `the file has no \`kind\`; add \`kind:\` with one of ${list}` });
      } else if (file.kindValue === 'Tenant') {
        // A manifest under another name (`zerotrust.yml`, `ZeroTrust.yaml`): it opens no tenant, so say which name does.
        emit({
          file,
          span: spanAtPath(file.parsed, ['kind'], 'value'),
          message: `\`Tenant\` is the manifest's kind, and the manifest must be named \`${MANIFEST_FILE}\` (this file is \`${basename(file.path)}\`): rename it, or give this file one of the policy kinds, ${list}`,
        });
      } else {
        const hint = typeof file.kindValue === 'string' ? closest(file.kindValue, KIND_NAMES) : undefined;
        const shown = typeof file.kindValue === 'string' ? `\`${file.kindValue}\`` : 'this value';
        emit({
          file,
          span: spanAtPath(file.parsed, ['kind'], 'value'),
          message: `${shown} is not a policy kind; expected one of ${list}${hint ? ` (did you mean \`${hint}\`?)` : ''}`,
        });
      }
    }
    // A list response saved whole: the policies in it are there, but not analysed one by one.
    for (const file of tenant.others) {
      const wrapped = wrappedKind(file.value);
      if (wrapped) {
        emit({
          file,
          severity: 'information',
          span: spanAtPath(file.parsed, [wrapped.key], 'key'),
          message:
            `this file is ${wrapped.wrapper} holding a \`${wrapped.kind}\`${wrapped.type ? ` (\`${wrapped.type}\`)` : ''}, which is not analysed inside its wrapper${typeof asObject(file.value)?.[wrapped.key] === 'string' ? ' (its policy is a string here, so no finding could point into it)' : ''}: ` +
            `turn it into a policy file with \`ztp import <folder> --out <tenant folder>\`. Until then, the checks that look across the tenant for \`${wrapped.kind}\` say nothing, since the policy is here, unread`,
        });
        continue;
      }
      const sdk = rawKindOf(fromPowerShellSdk(file.value));
      if (sdk && fromAzureAdModule(file.value)) {
        emit({
          file,
          severity: 'information',
          span: firstLineSpan(file.parsed),
          message: `this file is a \`${sdk}\` ${AZUREAD_MODULE_ADVICE}, then turn it into a policy file with \`ztp import <folder> --out <tenant folder>\`. Until then, the checks that look across the tenant for \`${sdk}\` say nothing, since the policy is here, unread`,
        });
        continue;
      }
      if (sdk) {
        emit({
          file,
          severity: 'information',
          span: firstLineSpan(file.parsed),
          message:
            `this file is a \`${sdk}\` ${POWERSHELL_SDK_SHAPE}, which is not analysed in that shape; ` +
            (powerShellSdkEnumsAdvice(file.value) !== undefined
              ? `${powerShellSdkEnumsAdvice(file.value)}, then turn it into a policy file with \`ztp import <folder> --out <tenant folder>\`. `
              : powerShellSdkTruncated(file.value)
              ? 'it was written at `ConvertTo-Json`\'s default depth, so its nested settings are type names, not values: export it again with `ConvertTo-Json -Depth 10`, then turn it into a policy file with `ztp import <folder> --out <tenant folder>`. '
              : formatOf(file.path) === 'yaml'
              ? 'turn it into a policy file with Graph\'s own property names with `ztp import <folder> --out <tenant folder>`, which reads JSON exports: save the object as JSON first (`ConvertTo-Json -Depth 10`). '
              : 'turn it into a policy file with Graph\'s own property names with `ztp import <folder> --out <tenant folder>`. ') +
            `Until then, the checks that look across the tenant for \`${sdk}\` say nothing, since the policy is here, unread`,
        });
        continue;
      }
      const kinds = collectionKinds(file.value);
      // Template or custom profiles and onboarding profiles: no kind holds them, but the configuration and Defender
      // checks read them when each is a file of its own.
      const profiles = collectionEvidence(file.value);
      if (!kinds.size && !profiles) continue;
      const total = [...kinds.values()].reduce((a, b) => a + b, 0) + profiles;
      const counts = [...[...kinds].map(([kind, n]) => `${n} \`${kind}\``), ...(profiles ? [`${profiles} template, custom or onboarding ${profiles === 1 ? 'profile' : 'profiles'}`] : [])].join(', ');
      // Where the list is: the file itself, Graph's `value`, or a tool's lists under keys of its own, of which those
      // holding what is counted are named (the finding on the first).
      const counted = (item: Record<string, unknown>): boolean => listItemKind(file.value, listItem(file.value, item)) !== undefined || configurationEvidenceType(item) !== undefined;
      const keys = (collectionLists(file.value) ?? []).flatMap((l) => (l.key !== undefined && (l.key === 'value' || l.items.some(counted)) ? [l.key] : []));
      const where =
        !keys.length ? 'this JSON list'
        : keys[0] === 'value' ? "this Graph collection export's `value` list"
        : `this export's ${keys.length === 1 ? `\`${keys[0]}\` list` : `lists ${keys.map((k) => `\`${k}\``).join(' and ')}`}`;
      emit({
        file,
        severity: 'information',
        span: keys.length ? spanAtPath(file.parsed, [keys[0]!], 'key') : firstLineSpan(file.parsed),
        message:
          `${where} ${keys.length > 1 ? 'hold' : 'holds'} ${total} ${kinds.size ? (total === 1 ? 'policy' : 'policies') : total === 1 ? 'profile' : 'profiles'} (${counts}), which ${total === 1 ? 'is' : 'are'} not analysed in a list: ` +
          `split it into one file per policy with \`ztp import <export folder> --out <tenant folder>\`. Until then, the checks that look across the tenant for ${kinds.size ? 'those kinds' : 'what they configure'} say nothing${kinds.size ? ' on the platforms the items are for' : ''}, since ${total === 1 ? 'it is' : 'they are'} here, unread`,
      });
    }
  },
};

import { asObject, spanAtPath, type JsonPath } from '../document';
import { modelOf } from '../model/index';
import type { Rule } from '../rule';
import { secureByDefaultEdit } from './compliance-default-compliant';

/** Whether every key of a path is written in a value (`settings: null` is written: its key is there to point at). */
function hasKeyPath(value: unknown, path: JsonPath): boolean {
  let v = value;
  for (const step of path) {
    const o = typeof step === 'string' ? asObject(v) : undefined;
    if (!o || !Object.prototype.hasOwnProperty.call(o, step)) return false;
    v = o[step as string];
  }
  return true;
}

/**
 * A manifest fact that rules need is not declared. Unknown is not false: the rules that need it stay silent on the
 * policies, and the manifest says once, per fact, what to declare and which rules that lets run.
 */
export const undeclaredFact: Rule = {
  id: 'undeclared-fact',
  title: 'A tenant fact that some checks need is not declared in the manifest',
  // About the facts the layer rules need, not about a file's shape.
  category: 'layer',
  defaultSeverity: 'information',
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!tenant.root || !manifest) return;
    for (const f of modelOf(tenant).undeclared()) {
      // On the key the fact belongs under (`settings`); where the manifest has none, on its `kind` value, as the facts
      // of the manifest's top level are: never on line 1, which in an imported manifest is a comment.
      const span = f.path.length && hasKeyPath(manifest.parsed.value, f.path) ? spanAtPath(manifest.parsed, f.path, 'key') : spanAtPath(manifest.parsed, ['kind'], 'value');
      emit({
        file: manifest,
        span,
        message: `declare \`${f.fact}\` in zerotrust.yaml (for example \`${f.example}\`) so that ${f.rules.map((r) => `\`${r}\``).join(', ')} can check it: ${f.why}. ${f.until ?? 'Until then it is unknown, and those checks assume nothing'}`,
        data: { fact: f.fact, rules: f.rules },
      });
    }
  },
  fix(finding, tenant) {
    const manifest = tenant.manifest;
    const fact = (finding.data as { fact?: string } | undefined)?.fact;
    if (!manifest || finding.file !== manifest.path || fact !== 'settings.secureByDefault') return [];
    const edit = secureByDefaultEdit(manifest);
    // Whether the tenant marks devices with no compliance policy noncompliant is a fact of the tenant: a person declares it.
    return edit ? [{ title: 'Declare `secureByDefault: true` (and set "Mark devices with no compliance policy assigned as: Not compliant" in Intune)', isPreferred: true, safe: false, edits: [edit], creates: [] }] : [];
  },
};

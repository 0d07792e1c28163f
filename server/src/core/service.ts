/**
 * The front door to the core (as vscode-json-languageservice's `getLanguageService`): `createPolicyService` returns
 * one object with the file store and every feature (analysis, fixes, hover, completion, navigation, layers, What
 * If, the lockout check, the report, the rules). The language server and the CLI use only this; each feature lives
 * in a module of its own and takes the store.
 */
import { MANIFEST_FILE } from './facts';
import { isPlainObject, spanAtPath } from './document';
import { foreignGraphTypeOf } from './graph';
import { PolicyStore, type PolicyServiceOptions } from './workspace';
import { RULES } from './rules/index';
import type { Rule } from './rule';
import type { Finding, Fix, Span } from './types';
import { hover, type HoverResult } from './features/hover';
import { complete, type CompletionEntries } from './features/completion';
import { definition, documentSymbols, references, workspaceSymbols, type FileSpan, type OutlineSymbol, type WorkspaceSymbol } from './features/navigation';
import { evidenceName, layerMarkdown, layerReportMarkdown, layerStates, layerStatusMarkdown, type LayerState } from './features/layer-status';
import { reportHtml, reportMarkdown } from './features/report';
import { lockoutCheck, type LockoutReport } from './lockout';
import { evaluate, signInTargetChoices, validateScenario, type SignInTargetChoices, type WhatIfResult, type WhatIfScenario } from './whatif';
import { suppressionComment } from './suppress';
import { ruleCatalogue, type CatalogueEntry } from './features/rule-catalogue';
import { resolveGroup } from './model/groups';
import { join } from './paths';

/** A layer as the tree and the status bar show it: its state, its tooltip, and whether each unmet finding has a fix. */
export interface LayerProgress extends Omit<LayerState, 'policies' | 'evidence' | 'unmet'> {
  /** Its policy files, and the raw exports of no kind its checks read (`kind` is then their Graph type). */
  policies: {
    path: string;
    name: string;
    kind: string;
    platforms: string[];
    /** 0-based line of `kind` (of `@odata.type` for a raw export). */
    line: number;
    /** Why Configuration Manager holds it back, when it does (`LayerState.heldBack`). */
    heldBack?: string;
  }[];
  unmet: { finding: Finding; fixable: boolean }[];
  tooltip: string;
  /** The layer's checks (its layer rules that run), and how many of them find nothing in this tenant. */
  checks: { passing: number; total: number; failing: string[] };
}

/** One tenant's progress along the seven layers. */
export interface TenantProgress {
  root: string;
  name: string;
  manifestFile: string;
  /** Why the manifest cannot be used, when it cannot. */
  problem?: string;
  layers: LayerProgress[];
}

/**
 * A tenant as What If offers it: who and what can be chosen, and besides an app the user actions, authentication
 * contexts and flows a sign-in can be (`SignInTargetChoices`, with the policies that name each).
 */
export interface WhatIfChoice extends SignInTargetChoices {
  root: string;
  name: string;
  platforms: string[];
  breakGlassUsers: string[];
  groups: { name: string; description?: string; breakGlass: boolean }[];
}

export interface ReportOptions {
  format: 'md' | 'html';
  /** Absolute path → what the page shows. */
  rel: (path: string) => string;
  generated?: Date;
  version?: string;
}

export class PolicyService extends PolicyStore {
  /** The rule with this id, of the rules this service runs. */
  rule(id: string): Rule | undefined {
    return this.rules.find((r) => r.id === id);
  }

  /** The rules this service runs, as a catalogue (`ztp rules`). */
  catalogue(): CatalogueEntry[] {
    return ruleCatalogue(this.rules);
  }

  /** `rule`, bound: what the features are given instead of the global registry. */
  readonly ruleOf = (id: string): Rule | undefined => this.rule(id);

  /** One tenant's findings (cached until the tenant or the settings change). */
  findings(root: string | undefined): Finding[] {
    return this.analyzeTenant(root);
  }

  /** The fixes of a finding, computed by its rule from the finding's `data` and the tenant as it is now. */
  fixes(finding: Finding): Fix[] {
    const rule = this.rule(finding.ruleId);
    if (!rule?.fix) return [];
    return rule.fix(finding, this.view(this.tenantRootOf(finding.file)));
  }

  /**
   * The finding a client's diagnostic stands for: same rule, same start; else the same rule on the same line (the
   * client may hold a range from before an edit).
   */
  findingAt(path: string, ruleId: string, offset: number): Finding | undefined {
    const facts = this.get(path);
    if (!facts) return undefined;
    const mine = this.findings(this.tenantRootOf(path)).filter((f) => f.file === facts.path && f.ruleId === ruleId);
    const line = facts.parsed.lines.positionAt(offset).line;
    return mine.find((f) => f.span.offset === offset) ?? mine.find((f) => facts.parsed.lines.positionAt(f.span.offset).line === line);
  }

  /** The `# ztp-ignore` comment line to insert above a 0-based line, in YAML files (JSON has no comments). */
  suppression(path: string, line: number, ruleId: string): { span: Span; newText: string } | undefined {
    const facts = this.get(path);
    if (!facts || facts.parsed.format !== 'yaml') return undefined;
    const lines = facts.parsed.lines;
    const text = facts.parsed.text.slice(lines.lineStart(line), lines.lineEnd(line));
    const indent = /^\s*(- )?/.exec(text)![0].replace('- ', '  ').length;
    return { span: { offset: lines.lineStart(line), length: 0 }, newText: suppressionComment(ruleId, indent) + lines.eol() };
  }

  hover(path: string, offset: number): HoverResult | undefined {
    return hover(this, path, offset);
  }

  /** The completions at an offset of the file's current text; `incomplete` when they are the best of more. */
  complete(path: string, text: string, offset: number): CompletionEntries {
    return complete(this, path, text, offset);
  }

  definition(path: string, offset: number): FileSpan | undefined {
    return definition(this, path, offset);
  }

  references(path: string, offset: number, includeDeclaration: boolean): FileSpan[] {
    return references(this, path, offset, includeDeclaration);
  }

  documentSymbols(path: string): OutlineSymbol[] {
    const facts = this.get(path);
    return facts ? documentSymbols(facts.parsed) : [];
  }

  workspaceSymbols(query: string): WorkspaceSymbol[] {
    return workspaceSymbols(this, query);
  }

  /** The seven layers of one tenant, as the tree, the status bar and the layer report show them. */
  layers(root: string): TenantProgress {
    const view = this.view(root);
    const findings = this.findings(root);
    // The findings `# ztp-ignore` accepted count for the status as the gaps they are (layerStates), as in the report.
    const states = layerStates(view, findings, this.ruleOf, this.acceptedFindings(root));
    const off = this.settings.rules ?? {};
    const checksOf = (layer: number): LayerProgress['checks'] => {
      const ids = this.rules.filter((r) => r.category === 'layer' && r.layer === layer && off[r.id] !== 'off').map((r) => r.id);
      const failing = ids.filter((id) => findings.some((f) => f.ruleId === id));
      return { passing: ids.length - failing.length, total: ids.length, failing };
    };
    return {
      root,
      name: view.manifest?.name ?? root,
      manifestFile: view.manifestFile?.path ?? join(root, MANIFEST_FILE),
      ...(view.manifestProblem ? { problem: `the manifest cannot be read (${view.manifestProblem}); checks that need it were skipped` } : {}),
      layers: states.map(({ evidence, ...s }) => {
        // What Configuration Manager holds back (layer 5 under co-management), as the reports say it.
        const heldBackOf = (path: string): { heldBack?: string } => {
          const h = s.heldBack.find((x) => x.path === path);
          return h ? { heldBack: h.note } : {};
        };
        return {
          ...s,
          policies: [
            ...s.policies.map((p) => ({ path: p.path, name: p.name ?? '', kind: p.kind ?? '', platforms: p.platforms, line: p.parsed.lines.positionAt(spanAtPath(p.parsed, ['kind'], 'key').offset).line, ...heldBackOf(p.path) })),
            // Raw exports of no kind that the layer's checks read, named by their Graph type.
            ...evidence.map((p) => ({ path: p.path, name: evidenceName(p), kind: `${foreignGraphTypeOf(isPlainObject(p.value) ? p.value : undefined) ?? 'deviceManagementIntent'} (raw export)`, platforms: p.type === 'policy' ? p.platforms : [], line: p.parsed.lines.positionAt(spanAtPath(p.parsed, ['@odata.type'], 'key').offset).line, ...heldBackOf(p.path) })),
          ],
          unmet: s.unmet.map((finding) => ({ finding, fixable: !!this.rule(finding.ruleId)?.fix })),
          // The status and its reason first, as the reports give them (one `LayerState`), then the layer's hover text.
          tooltip: `${layerStatusMarkdown(s)}\n\n---\n\n${layerMarkdown(view, s.layer)}`,
          checks: checksOf(s.layer),
        };
      }),
    };
  }

  /** The Markdown layer report of every tenant. */
  layerReport(rel: (root: string, path: string) => string): string {
    const parts = ['# Zero Trust layer report', ''];
    for (const root of this.tenantRoots()) parts.push(layerReportMarkdown(this.view(root), this.findings(root), (p) => rel(root, p), this.ruleOf, this.acceptedFindings(root)), '');
    if (parts.length === 2) parts.push('No tenant folder (a folder with a zerotrust.yaml) in this workspace.');
    return parts.join('\n');
  }

  /** The tenants What If can evaluate, with the users, groups and platforms to choose from. */
  whatIfChoices(roots: string[] = this.tenantRoots()): WhatIfChoice[] {
    const out: WhatIfChoice[] = [];
    for (const root of roots) {
      const view = this.view(root);
      const m = view.manifest;
      if (!m) continue;
      const bgGroups = m.breakGlass.groups.map((g) => resolveGroup(m, g) ?? g);
      out.push({
        root,
        name: m.name ?? root,
        platforms: m.platforms,
        breakGlassUsers: m.breakGlass.users,
        groups: m.groups.map((g) => ({ name: g.name, description: g.description, breakGlass: bgGroups.includes(g.name) })),
        ...signInTargetChoices(view),
      });
    }
    return out;
  }

  /** Evaluate a sign-in against one tenant's Conditional Access, or say what is wrong with the scenario. */
  whatIf(root: string, scenario: WhatIfScenario): { errors: string[]; result?: WhatIfResult } {
    const view = this.view(root);
    const errors = validateScenario(view, scenario);
    return errors.length ? { errors } : { errors, result: evaluate(view, scenario) };
  }

  /** What If for every break-glass account and a sample member of every included group, on every platform. */
  lockout(root: string): LockoutReport {
    return lockoutCheck(this.view(root));
  }

  /** The tenant report, Markdown or self-contained HTML. */
  report(root: string, options: ReportOptions): string {
    const view = this.view(root);
    const input = { tenant: view, findings: this.findings(root), accepted: this.acceptedFindings(root), lockout: lockoutCheck(view), rel: options.rel, generated: options.generated ?? new Date(), version: options.version, ruleOf: this.ruleOf };
    return options.format === 'html' ? reportHtml(input) : reportMarkdown(input);
  }
}

/** The core's one entry point: a service over a file system the host gives, running the registry's rules by default. */
export function createPolicyService(options: PolicyServiceOptions): PolicyService {
  return new PolicyService({ ...options, rules: options.rules ?? RULES });
}

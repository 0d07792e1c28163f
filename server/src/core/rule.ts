/**
 * What a rule is. One rule, one file: each declares its id, default severity, layer and docs, checks a tenant's
 * facts, and computes its own fix from the finding's `data`.
 */
import type { FileFacts, ManifestFacts, OtherFacts, PolicyFacts } from './facts';
import type { Finding, Fix, RelatedInfo, Severity, Span } from './types';
import type { PolicyKind } from './kinds';
import type { SettingsCatalog } from './settings-catalog/catalog';

/** One tenant's facts (or, with no `root`, the policy files that are in no tenant folder). */
export interface TenantView {
  root: string | undefined;
  /**
   * The manifest, when it could be read. A manifest that does not parse, is too large or cannot be read is left
   * out here (`manifestProblem` says why, `manifestFile` holds it): rules that read the manifest do not run.
   */
  manifest: ManifestFacts | undefined;
  /** Why the tenant's manifest cannot be used, when it cannot. */
  manifestProblem?: string;
  /** The manifest file, usable or not. */
  manifestFile?: ManifestFacts;
  policies: PolicyFacts[];
  others: OtherFacts[];
  /** Every file of the view, manifest first. */
  files: FileFacts[];
  /**
   * Of the files in no tenant (`root` undefined), those named like the manifest but not it (`isManifestLookalike`):
   * a `zerotrust.yml` that was meant to open a tenant.
   */
  manifestLookalikes?: readonly string[];
  /**
   * The tenant folders checked with this one that come before it in path order and whose manifest has the same
   * `name` (a customer folder copied with its manifest): `duplicate-tenant-name`. The store makes it from every
   * manifest it holds, and the names a host gives it of the tenants it does not (`tenantNames`).
   */
  sameNameTenants?: readonly string[];
  /** The current date (for expiry checks), injectable for tests. */
  now: Date;
  /** The settings catalog index, when the host has one (read on first call). */
  catalog?: () => SettingsCatalog | undefined;
  /**
   * The policies of one kind, kept by kind (a store's view; read it through `policiesOfKind`). A rule that asks for
   * the kinds it needs, rather than walking `policies`, runs again only when a file of those kinds changes.
   */
  ofKind?(kind: PolicyKind): readonly PolicyFacts[];
  /** How often each read of the tenant has changed (`ReadVersions` in reads.ts), and the count this view was made at. */
  readVersions?: ReadCounts;
  generation?: number;
}

/** What a view says of how often each read of its tenant changed (`ReadVersions`, reads.ts; `keptReading`). */
export interface ReadCounts {
  readonly generation: number;
  version(read: string): number;
}

export interface Emitted {
  file: FileFacts;
  span: Span;
  message: string;
  /** Overrides the rule's default severity for this finding (before settings and lowering). */
  severity?: Severity;
  /** Report-only lowering: one step lower than it would be. */
  lowered?: boolean;
  layer?: number;
  related?: RelatedInfo[];
  data?: unknown;
  tags?: Finding['tags'];
  certain?: Finding['certain'];
}

export type Emit = (finding: Emitted) => void;

export interface Rule {
  /** Stable kebab-case id: the diagnostic's `code`. */
  id: string;
  /** One line, for listings and SARIF. */
  title: string;
  category: 'structure' | 'layer';
  /** The layer the rule belongs to, when it has one. */
  layer?: number;
  defaultSeverity: Severity;
  /** Where the check comes from: the Microsoft Learn pages (and peer baselines) that decide it. */
  sources?: string[];
  /**
   * The checks of the live-tenant auditors this rule corresponds to, decided here from the files before deployment:
   * Maester (`MT.1015`), Microsoft's Zero Trust Assessment (`ZTA 24541`), CISA ScubaGear (`MS.AAD.3.1v1`).
   */
  peers?: string[];
  /**
   * The kinds of file this rule's findings are on, when it can say: `manifest`, or policy kinds. After an edit, the
   * edited file's diagnostics are sent once the rules that may find something on a file of its kind have run
   * (`PolicyService.fileFindings`); the others run after. Left out, any file. test/unit/rule-emits-on.test.ts holds
   * every finding on the fixtures, the examples and the corpus to it.
   */
  emitsOn?: readonly FileKind[];
  check(tenant: TenantView, emit: Emit): void;
  /** The fixes for one of this rule's findings, computed from its `data`. */
  fix?(finding: Finding, tenant: TenantView): Fix[];
}

/** What a rule may find something on (`Rule.emitsOn`): the manifest, or a policy of a kind. */
export type FileKind = 'manifest' | PolicyKind;

/** A file's kind as `Rule.emitsOn` names it (undefined: a policy of no known kind, or another file). */
export function fileKindOf(f: FileFacts): FileKind | undefined {
  return f.type === 'manifest' ? 'manifest' : f.type === 'policy' ? f.kind : undefined;
}

/** Whether a rule may find something on a file of this kind (a rule that names kinds finds nothing on a file of none). */
export function mayEmitOn(rule: Rule, kind: FileKind | undefined): boolean {
  return !rule.emitsOn || (kind !== undefined && rule.emitsOn.includes(kind));
}

/** Docs page of a rule, relative to the package root. */
export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

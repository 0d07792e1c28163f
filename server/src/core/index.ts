/**
 * What the hosts (the language server, the CLI, the benchmarks) may use of the core, in one place: the service
 * (`createPolicyService`, core/service.ts) and the few pure helpers a host needs at its edge (paths, file-system
 * errors, edits, output formats). `test/unit/layering.test.ts` checks that hosts import the core only through here.
 */
export { createPolicyService, PolicyService, type LayerProgress, type TenantProgress, type WhatIfChoice, type ReportOptions } from './service';
export {
  POLICY_FILE_PATTERN,
  isSkippedFolder,
  isSkippedReadError,
  readErrorReason,
  nearestTenantRoot,
  nearestTenantRootAsync,
  manifestProblem,
  manifestName,
  type DirEntry,
  type PolicyFileSystem,
  type PolicyServiceOptions,
  type ScanProblem,
} from './workspace';
export { isManifestLookalike, isManifestPath, MANIFEST_FILE } from './facts';
export { mayHoldPolicyOutsideTenant, overSize } from './model/sniff';
export { plainFacts, factsFromPlain, type PlainFileFacts } from './facts-transfer';
export { releaseSyntaxTree } from './document';
export { isInside, normalizeSlashes, relative, dirname, basename, join } from './paths';
export { forEachLimit, READ_CONCURRENCY } from './concurrency';
export { precompileAll } from './schema/validator';
export { applyEdits, editsByFile } from './fix-apply';
export { docsPath, type Rule, type TenantView } from './rule';
export { INTERNAL_ERROR, type AcceptedFinding, type AnalysisSettings } from './analyze';
export { AUTH_FLOWS, CLIENT_APPS, INSIDER_RISK_LEVELS, RISK_LEVELS, USER_ACTIONS, canonicalAuthContext, canonicalAuthFlow, canonicalUserAction, type WhatIfScenario, type WhatIfResult } from './whatif';
export { whatIfJson, whatIfMarkdown, whatIfText, lockoutJson, lockoutText } from './features/whatif-format';
export type { LockoutReport } from './lockout';
export type { CompletionEntries, CompletionEntry, CompletionKind } from './features/completion';
export type { OutlineSymbol, FileSpan, WorkspaceSymbol } from './features/navigation';
export type { HoverResult } from './features/hover';
export type { Finding, Fix, Range, Position, Severity, SeveritySetting, Span, TextEdit, FileCreate, RelatedInfo } from './types';
// The CLI's planning (ztp import, ztp export) and the rest it needs at its edge.
export { planImport, planManifest, platformsOf, IMPORTABLE, IMPORT_FOREIGN_FILE_PATTERN, MICROSOFT365DSC_ADVICE, type ImportPlan, type ExportFolderFile, type ManifestPlan } from './import-plan';
export { planExport, type ExportPlan } from './export-plan';
export { safeFileStem } from './file-stem';
export { formatSize, tooLargeMessage, TOO_LARGE_HEAD_BYTES } from './sizes';
export { LICENSE_IDS } from './licenses';
export type { Platform } from './platforms';
// ztp diff and "Show Change Impact": what a change does to findings, layers, sign-ins and policies.
export { diffWorkspaces, changeImpactExitCode, sameHeadOverSize, type DiffService, type DiffSide } from './diff/index';
export type { ChangeImpact, TenantImpact, NoTenantImpact, DiffFinding, LayerChange, SignInChange, ReportOnlyChange, PolicyChange, SettingChange, NewLockout, NewRestriction } from './diff/types';
export { changeImpactText, changeImpactMarkdown, changeImpactJson } from './features/diff-format';
export { catalogueMarkdown, catalogueText, type CatalogueEntry } from './features/rule-catalogue';
// The settings catalog index: the host reads the file, the core parses and answers.
export { SettingsCatalog, type SettingInfo, type SettingsCatalogData } from './settings-catalog/catalog';
export { parseSettingsCatalog, buildSettingsCatalog, graphValues, type ObservedSetting } from './settings-catalog/build';
export { settingInstances } from './settings-catalog/instances';

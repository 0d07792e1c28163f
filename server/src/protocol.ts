/**
 * The custom messages between the extension and the language server, typed once for both sides.
 * (Only LSP protocol types here, and types of the core: the client bundles this file too, and a type import leaves
 * no code behind.)
 */
import type { PolicyState, Verdict, WhatIfScenario } from './core/whatif';
import type { WhatIfChoice } from './core/service';

export type LayerStatus = 'complete' | 'partial' | 'blocked' | 'notStarted';

export interface LayerPolicy {
  uri: string;
  name: string;
  kind: string;
  platforms: string[];
  /** 0-based line of the policy's `kind`, for opening it. */
  line: number;
  /** Why Configuration Manager holds it back under co-management, when it does (layer 5). */
  heldBack?: string;
}

export interface UnmetPrerequisite {
  /** The rule that found it. */
  ruleId: string;
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** Where the finding is (open it, or run its quick fix there). */
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** Whether the rule offers a quick fix for it. */
  fixable: boolean;
}

export interface LayerInfo {
  layer: number;
  name: string;
  status: LayerStatus;
  /** Why the layer has its status (absent when complete or not started): the sentence the reports give. */
  reason?: string;
  licensed: boolean;
  /** Licences that would cover the layer, when it is not licensed. */
  licenseHint?: string;
  policies: LayerPolicy[];
  unmet: UnmetPrerequisite[];
  /** Counts of findings on the layer's policies. */
  errors: number;
  warnings: number;
  /** Markdown explaining the layer (the same text as the hover on `kind`). */
  tooltip: string;
  /** The layer's checks (its rules that run) and how many find nothing in this tenant; `failing` names the others. */
  checks?: { passing: number; total: number; failing: string[] };
}

export interface TenantLayers {
  /** URI of the tenant folder. */
  uri: string;
  name: string;
  manifestUri: string;
  /** Why the tenant's layers are incomplete: its manifest could not be read, so the checks that need it were skipped. */
  problem?: string;
  layers: LayerInfo[];
}

export interface LayersResult {
  tenants: TenantLayers[];
}

/** Request: the layer progress of every tenant. */
export const LayersRequest = 'zeroTrust/layers';
/** Notification (server → client): the layer progress changed; ask again. */
export const LayersChangedNotification = 'zeroTrust/layersChanged';
/** Request: the Markdown layer report of every tenant (the "Show Layer Report" command). */
export const LayerReportRequest = 'zeroTrust/layerReport';

export interface LayerReportResult {
  markdown: string;
}

/** Request: the server process's id and version (the real-editor tests kill it by pid to check the restart). */
export const ServerInfoRequest = 'zeroTrust/serverInfo';

export interface ServerInfoResult {
  pid: number;
  version: string;
}

/** Settings the server reads (section `zeroTrust`). */
export interface ZeroTrustSettings {
  rules?: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>;
  exclude?: string[];
  maxFileSizeMB?: number;
}

/**
 * Request: offline What If ("Zero Trust: What If…"). Without a scenario it returns only the choices (tenants, their
 * groups, break-glass users and platforms, and the user actions, authentication contexts and flows a sign-in can be,
 * each with the policies that name it) for the quick picks; with one, the evaluation and its Markdown.
 */
export const WhatIfRequest = 'zeroTrust/whatIf';

/**
 * The sign-in to evaluate: the core's scenario itself (a user principal name and/or manifest groups, platform, app,
 * client app, device state, location, risk…), so the request and `ztp whatif` cannot drift apart.
 */
export type WhatIfScenarioParams = WhatIfScenario;

export interface WhatIfParams {
  /** URI of the tenant folder (one of `tenants[].uri`); required with a scenario. */
  tenantUri?: string;
  scenario?: WhatIfScenarioParams;
}

/** A tenant What If can evaluate (the core's choice, its folder as a URI). */
export interface WhatIfTenantChoice extends Omit<WhatIfChoice, 'root'> {
  uri: string;
}

export interface WhatIfPolicyRow {
  name: string;
  uri: string;
  state: PolicyState;
  applies: boolean;
  why: string;
  grant?: string;
}

export interface WhatIfResponse {
  tenants: WhatIfTenantChoice[];
  /** Problems with the scenario (unknown group, platform…); nothing was evaluated. */
  errors?: string[];
  result?: {
    verdict: Verdict;
    summary: string;
    policies: WhatIfPolicyRow[];
    warnings: string[];
  };
  /** The readable report (result, scenario, a table per group of policies, links to the files). */
  markdown?: string;
}

/**
 * Request: "Zero Trust: Show Change Impact". The extension reads, with VS Code's Git extension, the files the working
 * changes touch as they are at `ref`; the server loads the workspace with those files put back (the other side is
 * the workspace as it is) and answers what the change does (`ztp diff`'s Markdown).
 */
export const ChangeImpactRequest = 'zeroTrust/changeImpact';

export interface ChangeImpactParams {
  /** The revision compared with, as the user named it (`HEAD`, `origin/main`). */
  ref: string;
  /** Every policy-like file the working changes touch, with its content at `ref` (null: it did not exist there). */
  files: { uri: string; content: string | null }[];
}

export interface ChangeImpactResponse {
  markdown: string;
  /** Why the change would fail `ztp diff` (empty: it would pass). */
  failures: string[];
  /** Per tenant (the folder as it is now), the layers whose status the working changes alter, and their status before. */
  layers: { uri: string; changes: { layer: number; before: LayerStatus; after: LayerStatus }[] }[];
}

/**
 * Node options the extension starts the server with (and the benchmarks, to measure what users run). Semi-spaces of
 * at most 8 MB (V8 sizes them from the machine's memory, up to 16 MB) keep the server's heap nearer what it holds:
 * its peak on `msp` is about 235 MB, and 247 MB without the flag. 2 MB kept it 7 MB lower, but an edit allocates
 * about 0.6 MB (mostly `yaml` parsing the file, and the rules it touches), so every third edit paid for a
 * collection: the edit p50 was 0.3 to 0.5 ms higher. A V8 heap flag is read when the process starts, so it cannot be
 * set later; editors that start `ztp lsp` themselves may pass it the same way.
 */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=8'];

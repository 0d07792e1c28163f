/**
 * The custom messages between the extension and the language server, typed once for both sides.
 * (Only LSP protocol types here: the client bundles this file too.)
 */

export type LayerStatus = 'complete' | 'partial' | 'blocked' | 'notStarted';

export interface LayerPolicy {
  uri: string;
  name: string;
  kind: string;
  platforms: string[];
  /** 0-based line of the policy's `kind`, for opening it. */
  line: number;
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
 * groups, break-glass users and platforms) for the quick picks; with one, the evaluation and its Markdown.
 */
export const WhatIfRequest = 'zeroTrust/whatIf';

export interface WhatIfScenarioParams {
  /** A user principal name and/or manifest group names. */
  user: string[];
  platform: string;
  /** An app id, `Office365`, `MicrosoftAdminPortals` or `All`. */
  app: string;
  clientApp: string;
  deviceCompliant?: boolean;
  appProtected?: boolean;
  hybridJoined?: boolean;
  location?: string;
  signInRisk?: string;
  userRisk?: string;
  roles?: string[];
  guest?: boolean;
}

export interface WhatIfParams {
  /** URI of the tenant folder (one of `tenants[].uri`); required with a scenario. */
  tenantUri?: string;
  scenario?: WhatIfScenarioParams;
}

export interface WhatIfTenantChoice {
  uri: string;
  name: string;
  platforms: string[];
  breakGlassUsers: string[];
  groups: { name: string; description?: string; breakGlass: boolean }[];
}

export interface WhatIfPolicyRow {
  name: string;
  uri: string;
  state: 'enabled' | 'reportOnly' | 'disabled';
  applies: boolean;
  why: string;
  grant?: string;
}

export interface WhatIfResponse {
  tenants: WhatIfTenantChoice[];
  /** Problems with the scenario (unknown group, platform…); nothing was evaluated. */
  errors?: string[];
  result?: {
    verdict: 'allowed' | 'allowedIf' | 'blocked' | 'unsatisfiable';
    summary: string;
    policies: WhatIfPolicyRow[];
    warnings: string[];
  };
  /** The readable report (result, scenario, a table per group of policies, links to the files). */
  markdown?: string;
}

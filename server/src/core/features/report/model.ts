/**
 * What the tenant report says, computed once and rendered by `markdown.ts` and `html.ts`: the seven layers' states,
 * the finding counts, the findings grouped by the team that owns them (with each team's contact), and what each
 * settings catalog profile sets.
 */
import { acceptedEntries, type AcceptedEntry, type AcceptedFinding } from '../../analyze';
import type { PolicyFacts } from '../../facts';
import type { LockoutReport } from '../../lockout';
import { modelOf } from '../../model/index';
import type { TenantView } from '../../rule';
import type { Finding, Severity } from '../../types';
import { layerStates, type LayerState, type RuleLookup } from '../layer-status';
import { profileSettings, type ProfileSettings } from './settings';

/** A finding accepted with `# ztp-ignore`, as the report lists it (the core's one reading, which `ztp diff` reads too). */
export type ReportAccepted = AcceptedEntry;

/** What a host gives the report. */
export interface ReportInput {
  tenant: TenantView;
  findings: Finding[];
  /** The lockout check, when the host ran it. */
  lockout?: LockoutReport;
  /** The findings `# ztp-ignore` comments accepted, with their comments (none when the host gives none). */
  accepted?: readonly AcceptedFinding[];
  /** Absolute path → what the page shows (relative to the tenant folder). */
  rel: (path: string) => string;
  generated?: Date;
  version?: string;
  /** The rules the findings came from. */
  ruleOf: RuleLookup;
}

/** The team a layer's policies usually belong to in the seed, when a file names no owner. */
const LAYER_TEAMS: Record<number, string> = { 1: 'endpoint', 2: 'endpoint', 3: 'endpoint', 4: 'identity', 5: 'endpoint', 6: 'threat', 7: 'data' };

/** A finding as the report lists it: where, in which policy, and who else it concerns. */
export interface ReportFinding {
  finding: Finding;
  file: string;
  line: number;
  policy?: string;
  /** Other teams whose files the finding points at: coordinate with them. */
  with: string[];
}

/** The findings and policies one team owns. */
export interface TeamGroup {
  /** A key of the manifest's `teams`, or undefined for findings no team owns. */
  team?: string;
  contact?: string;
  /** How findings came to this team: the files' `owner`, or the layer's usual team. */
  policies: PolicyFacts[];
  findings: ReportFinding[];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

function teamContacts(t: TenantView): Map<string, string | undefined> {
  const raw = t.manifest?.value?.teams;
  const out = new Map<string, string | undefined>();
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const contact = v && typeof v === 'object' && typeof (v as Record<string, unknown>).contact === 'string' ? ((v as Record<string, unknown>).contact as string) : undefined;
      out.set(k, contact);
    }
  }
  return out;
}

/**
 * Which team owns a file: its `owner` when that is a team (for a file that could not be read, the `owner` its text
 * names, read as its kind is: the model's `unreadable`), else the usual team of its layer.
 */
function ownerOf(t: TenantView, file: string, layer: number | undefined, teams: Map<string, string | undefined>): string | undefined {
  const p = t.policies.find((x) => x.path === file);
  if (p?.owner && teams.has(p.owner)) return p.owner;
  const sniffed = p ? undefined : modelOf(t).unreadable.find((u) => u.file.path === file)?.owner;
  if (sniffed && teams.has(sniffed)) return sniffed;
  const l = p?.layer ?? layer;
  const byLayer = l !== undefined ? LAYER_TEAMS[l] : undefined;
  return byLayer && teams.has(byLayer) ? byLayer : undefined;
}

/**
 * The tenant's policy files as the contract counts them: a `kind` of the kinds, or a raw Graph export whose
 * `@odata.type` is one (`kind` is set either way). A named location, an authentication strength or another raw
 * export of no kind is read by the model (its facts are a policy's) but is no policy file: not counted, and no team's
 * policy without an owner.
 */
export function policyFilesOf(t: TenantView): PolicyFacts[] {
  return t.policies.filter((p) => p.kind !== undefined);
}

/** The findings (hints left out) grouped by owner team, in the manifest's team order; unowned last. */
export function findingsByTeam(t: TenantView, findings: Finding[], rel: (p: string) => string): TeamGroup[] {
  const teams = teamContacts(t);
  const groups = new Map<string | undefined, TeamGroup>();
  for (const [team, contact] of teams) groups.set(team, { team, contact, policies: [], findings: [] });
  groups.set(undefined, { team: undefined, policies: [], findings: [] });
  for (const p of policyFilesOf(t)) groups.get(ownerOf(t, p.path, p.layer, teams))!.policies.push(p);
  const sorted = findings
    .filter((f) => f.severity !== 'hint')
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.layer ?? 9) - (b.layer ?? 9) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.offset - b.span.offset));
  for (const f of sorted) {
    const team = ownerOf(t, f.file, f.layer, teams);
    const facts = t.files.find((x) => x.path === f.file);
    const line = facts ? facts.parsed.lines.positionAt(f.span.offset).line + 1 : 1;
    const policy = t.policies.find((x) => x.path === f.file)?.name;
    const others = new Set<string>();
    for (const r of f.related ?? []) {
      const o = ownerOf(t, r.file, undefined, teams);
      if (o && o !== team && t.policies.some((x) => x.path === r.file)) others.add(o);
    }
    groups.get(team)!.findings.push({ finding: f, file: rel(f.file), line, policy, with: [...others] });
  }
  return [...groups.values()].filter((g) => g.team !== undefined || g.findings.length || g.policies.length);
}

function counts(findings: Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/** A count with its noun, singular for one ("1 warning", "2 policies"). */
export function plural(n: number, word: string): string {
  if (n === 1) return `${n} ${word}`;
  return `${n} ${word.endsWith('y') && !/[aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

function dateText(d: Date | undefined): string {
  return (d ?? new Date()).toISOString().slice(0, 10);
}

function tenantName(input: ReportInput): string {
  return input.tenant.manifest?.name ?? input.rel(input.tenant.root ?? '.');
}

/** What the report says, whatever its format. */
export interface ReportModel {
  /** The tenant's name: the manifest's, else its folder. */
  name: string;
  states: LayerState[];
  counts: Record<Severity, number>;
  /** How many of the seven layers are complete. */
  complete: number;
  teams: TeamGroup[];
  /** What each settings catalog profile sets, by its file's path (each team lists those it owns). */
  profiles: Map<string, ProfileSettings>;
  /** The day the report was made (YYYY-MM-DD). */
  date: string;
  /** The findings accepted with `# ztp-ignore`, each with its reason. */
  accepted: AcceptedEntry[];
  /** How many policy files the tenant has (`policyFilesOf`). */
  policyFiles: number;
}

/** The report's content, computed once for either format. */
export function reportModel(input: ReportInput): ReportModel {
  const states = layerStates(input.tenant, input.findings, input.ruleOf, input.accepted ?? []);
  return {
    name: tenantName(input),
    states,
    counts: counts(input.findings),
    complete: states.filter((s) => s.status === 'complete').length,
    teams: findingsByTeam(input.tenant, input.findings, input.rel),
    profiles: profileSettings(input.tenant),
    date: dateText(input.generated),
    accepted: acceptedEntries(input.tenant, input.accepted ?? [], input.rel),
    policyFiles: policyFilesOf(input.tenant).length,
  };
}

/**
 * Sign-in changes in few words: the cells of the grid that share who, before and after are folded into
 * "windows, macOS · browser, mobile/desktop apps · every app", so a change that hits 40 cells reads as a line or two.
 * The failures (core) and every output format (features) word them the same way.
 */
import type { Restriction } from '../lockout';
import type { Verdict } from '../whatif';
import { listText } from '../prose';
import type { NewRestriction, ReportOnlyChange, SignInChange } from './types';

/** One cell of the grid, less the account. */
export interface Cell {
  platform: string;
  clientApp: string;
  app: string;
}

/** A block of cells: every platform here × every client app × every app. */
export interface CellBlock {
  platforms: string[];
  clientApps: string[];
  apps: string[];
}

const CLIENT_APP_LABELS: Record<string, string> = { browser: 'browser', mobileAppsAndDesktopClients: 'mobile/desktop apps' };

/** A client app as the output names it ("mobile/desktop apps"). */
export function clientAppLabel(clientApp: string): string {
  return CLIENT_APP_LABELS[clientApp] ?? clientApp;
}

/** `All` is the lockout check's app: a sign-in that reaches every cloud app, so any policy on any app applies. */
export function appLabel(app: string): string {
  return app === 'All' ? 'every app' : app;
}

const pushNew = <T>(list: T[], x: T): void => {
  if (!list.includes(x)) list.push(x);
};

/**
 * Fold cells into blocks, keeping the order they came in (the grid's): per app, the client apps that share a set of
 * platforms; then the apps that share both.
 */
export function compactCells(cells: Cell[]): CellBlock[] {
  const byApp = new Map<string, Map<string, string[]>>();
  for (const c of cells) {
    let clients = byApp.get(c.app);
    if (!clients) byApp.set(c.app, (clients = new Map()));
    let platforms = clients.get(c.clientApp);
    if (!platforms) clients.set(c.clientApp, (platforms = []));
    pushNew(platforms, c.platform);
  }
  const blocks: CellBlock[] = [];
  const keyOf = (b: Omit<CellBlock, 'apps'>): string => `${b.platforms.join('\u0001')}\u0000${b.clientApps.join('\u0001')}`;
  const byKey = new Map<string, CellBlock>();
  for (const [app, clients] of byApp) {
    const rows: Omit<CellBlock, 'apps'>[] = [];
    for (const [clientApp, platforms] of clients) {
      const row = rows.find((r) => r.platforms.join('\u0001') === platforms.join('\u0001'));
      if (row) row.clientApps.push(clientApp);
      else rows.push({ platforms: [...platforms], clientApps: [clientApp] });
    }
    for (const r of rows) {
      const had = byKey.get(keyOf(r));
      if (had) had.apps.push(app);
      else {
        const block = { ...r, apps: [app] };
        byKey.set(keyOf(r), block);
        blocks.push(block);
      }
    }
  }
  return blocks;
}

/** "windows, macOS · browser, mobile/desktop apps · every app" */
export function cellBlockText(b: CellBlock): string {
  return `${b.platforms.join(', ')} · ${b.clientApps.map(clientAppLabel).join(', ')} · ${b.apps.map(appLabel).join(', ')}`;
}

/** The account as the output names it: a role's holder as the lockout check names it ("holds the … role"). */
export function subjectLabel(c: Pick<SignInChange, 'user' | 'subjectKind' | 'group' | 'role'>): string {
  if (c.subjectKind === 'breakGlass') return `${c.user} (break-glass)`;
  if (c.role) return `${c.user} (holds the ${c.role} role)`;
  if (!c.group) return `${c.user} (in no group)`;
  return c.user;
}

/** Whom a sample member stands for: "group grp-mobile (sample@grp-mobile)", "every holder of the … role (…)". */
export function sampleText(s: { user: string; group?: string; role?: string }): string {
  if (s.group) return `group ${s.group} (${s.user})`;
  if (s.role) return `every holder of the ${s.role} role (${s.user})`;
  return `every user in no group (${s.user})`;
}

/** What a block the lockout check reads as a restriction keeps out, after the policy's name. */
const RESTRICTION_TEXT: Record<Restriction, string> = {
  locations: 'blocks only outside the locations it excludes',
  groups: 'blocks everyone but the groups it excludes',
  apps: 'blocks only some apps',
  platforms: 'blocks only some platforms',
  clientApps: 'blocks only some client apps',
  devices: 'blocks only the devices its filter picks',
};

/** Accounts every sign-in of which a change now ends by the same restrictions. */
export interface RestrictionGroup {
  /** "ca-x blocks only outside the locations it excludes" (each policy, joined). */
  what: string;
  /** Whom each account stands for (`sampleText`). */
  accounts: string[];
}

/** Fold the accounts a change now stops only by restrictions, by what restricts them, in the order they come. */
export function groupRestrictions(list: NewRestriction[]): RestrictionGroup[] {
  const out: RestrictionGroup[] = [];
  for (const r of list) {
    const what = listText(r.restrictions.map((x) => `${x.policy} ${RESTRICTION_TEXT[x.restriction]}`));
    const had = out.find((g) => g.what === what);
    if (had) had.accounts.push(sampleText(r));
    else out.push({ what, accounts: [sampleText(r)] });
  }
  return out;
}

/** An outcome in words: "allowed", "allowed if MFA (ca-mfa)", "blocked by ca-x", "unsatisfiable in ca-y". */
export function outcomeText(verdict: Verdict, decidedBy: string[], summary: string): string {
  const by = decidedBy.join(', ');
  switch (verdict) {
    case 'allowed':
      return 'allowed';
    case 'allowedIf':
      return by ? `${summary} (${by})` : summary;
    case 'blocked':
      return `blocked by ${by}`;
    case 'unsatisfiable':
      return `unsatisfiable in ${by}`;
  }
}

/** The old outcome of a sign-in change, in words. */
export function beforeText(c: SignInChange): string {
  return outcomeText(c.before, c.decidedByBefore ?? [], c.beforeSummary);
}

/** Where a block the lockout check reads as a restriction applies, after "blocked by ca-x". */
const RESTRICTED_TEXT: Record<Restriction, string> = {
  locations: 'only outside the locations it excludes',
  groups: 'only outside the groups it excludes',
  apps: 'only on some apps',
  platforms: 'only on some platforms',
  clientApps: 'only in some client apps',
  devices: 'only on the devices its filter picks',
};

/**
 * The new outcome of a sign-in change, in words; a block the lockout check reads as a restriction says where it
 * applies and that it is no lockout ("blocked by ca-x only outside the locations it excludes (a restriction, not a
 * lockout)"), so the line does not read as the lockout the failures would name.
 */
export function afterText(c: SignInChange): string {
  const text = outcomeText(c.after, c.decidedBy, c.afterSummary);
  if (c.after !== 'blocked' || !c.restrictedBy?.length) return text;
  const where = c.restrictedBy.map((r) => (c.restrictedBy!.length > 1 ? `${r.policy} ${RESTRICTED_TEXT[r.restriction]}` : RESTRICTED_TEXT[r.restriction]));
  return `${text} ${[...new Set(where)].join('; ')} (${c.restrictedBy.length > 1 ? 'restrictions' : 'a restriction'}, not a lockout)`;
}

/** What cannot be met on the sign-ins of a group now unsatisfiable, each reason once (What If's `unsatisfiable`). */
export function unsatisfiableReasons(changes: readonly SignInChange[]): string[] {
  return [...new Set(changes.flatMap((c) => c.afterUnsatisfiable ?? []))];
}

/** Sign-in changes that share an account, a before and an after. */
export interface SignInGroup {
  who: string;
  before: string;
  after: string;
  changes: SignInChange[];
  blocks: CellBlock[];
}

function groupBy<T>(items: T[], key: (x: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = map.get(k);
    if (list) list.push(x);
    else map.set(k, [x]);
  }
  return [...map.values()];
}

/** Fold sign-in changes by (account, before, after), in the order they come. */
export function groupSignIns(changes: SignInChange[]): SignInGroup[] {
  return groupBy(changes, (c) => [c.user, beforeText(c), afterText(c)].join('\u0000')).map((list) => ({
    who: subjectLabel(list[0]!),
    before: beforeText(list[0]!),
    after: afterText(list[0]!),
    changes: list,
    blocks: compactCells(list),
  }));
}

export interface ReportOnlyGroup {
  user: string;
  policy: string;
  before: string;
  after: string;
  blocks: CellBlock[];
}

/** Fold report-only changes by (account, policy, before, after). */
export function groupReportOnly(changes: ReportOnlyChange[]): ReportOnlyGroup[] {
  return groupBy(changes, (c) => [c.user, c.policy, c.before, c.after].join('\u0000')).map((list) => ({
    user: list[0]!.user,
    policy: list[0]!.policy,
    before: list[0]!.before,
    after: list[0]!.after,
    blocks: compactCells(list),
  }));
}

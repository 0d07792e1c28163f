/**
 * Sign-in changes in few words: the cells of the grid that share who, before and after are folded into
 * "windows, macOS · browser, mobile/desktop apps · every app", so a change that hits 40 cells reads as a line or two.
 * The failures (core) and every output format (features) word them the same way.
 */
import type { Verdict } from '../whatif';
import type { ReportOnlyChange, SignInChange } from './types';

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

/** The account as the output names it. */
export function subjectLabel(c: Pick<SignInChange, 'user' | 'subjectKind' | 'group'>): string {
  if (c.subjectKind === 'breakGlass') return `${c.user} (break-glass)`;
  if (!c.group) return `${c.user} (in no group)`;
  return c.user;
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

/** The new outcome of a sign-in change, in words. */
export function afterText(c: SignInChange): string {
  return outcomeText(c.after, c.decidedBy, c.afterSummary);
}

/** What cannot be met, from What If's summary of an unsatisfiable sign-in ("blocked in practice: …; …"). */
export function unsatisfiableReasons(summary: string): string[] {
  return summary.replace(/^blocked in practice: /, '').split('; ').filter(Boolean);
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

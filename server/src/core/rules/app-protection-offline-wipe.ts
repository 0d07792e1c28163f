import { specPath, type PolicyFacts } from '../facts';
import { policySpan } from '../tenant-query';
import type { Rule } from '../rule';
import type { Fix } from '../types';
import { replaceValue } from '../yaml-edit';
import { policyAt } from './endpoint-helpers';
import { policiesOfKind } from '../reads';
import { listText } from '../prose';

/** iOS, Android and Edge on Windows: the framework's offline grace period rows apply to all three. */
const APP_PROTECTION_TYPES = /^#?microsoft\.graph\.(iosManagedAppProtection|androidManagedAppProtection|windowsManagedAppProtection)$/;

const MINUTE = 1;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Microsoft's data protection framework (levels 1 and 2): "Offline grace period", block access after 10080 minutes. */
const ACCESS_LIMIT = 7 * DAY;
/**
 * Level 1: wipe org data after 90 days offline. Level 2 says 30 days, but the product's own level 2 templates (the
 * ca-requires-app-protection fix, the examples) still write 90, so the rule holds the floor every level shares.
 */
const WIPE_LEVEL_1 = 90 * DAY;

const WIPE = 'periodOfflineBeforeWipeIsEnforced';
const ACCESS = 'periodOfflineBeforeAccessCheck';

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration in minutes, as the range it may mean (a month is 28 to 31 days, a year 365 or 366); undefined
 * for anything else, including negative durations.
 */
export function durationMinutes(v: unknown): { min: number; max: number } | undefined {
  if (typeof v !== 'string' || v === 'P' || v.endsWith('T')) return undefined;
  const m = DURATION.exec(v);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const fixed = w! * 7 * DAY + d! * DAY + h! * HOUR + mi! * MINUTE + s! / 60;
  return { min: fixed + y! * 365 * DAY + mo! * 28 * DAY, max: fixed + y! * 366 * DAY + mo! * 31 * DAY };
}

/**
 * A duration as people say it. One of months or years is no fixed number of days: "4 months", not the 112 days its
 * shortest reading gives (four months in a row are 120 days at least).
 */
function spokenDuration(raw: unknown, d: { min: number; max: number }): string {
  if (d.min === d.max || typeof raw !== 'string') return spoken(d.min);
  const m = DURATION.exec(raw)!;
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const words = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  const parts = m.slice(1).flatMap((x, i) => (x === undefined || Number(x) === 0 ? [] : [unit(Number(x), words[i]!)]));
  return listText(parts);
}

/** Minutes as people say them: "90 days", "12 hours", "45 minutes". */
function spoken(minutes: number): string {
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes % DAY === 0) return unit(minutes / DAY, 'day');
  if (minutes % HOUR === 0) return unit(minutes / HOUR, 'hour');
  return unit(Math.round(minutes), 'minute');
}

export interface OfflineData {
  property: string;
  /** The framework's value the fix writes. */
  value: string;
}

interface Gap {
  property: string;
  message: string;
  value: string;
}

function wipeGap(spec: Record<string, unknown>): Gap | undefined {
  const raw = spec[WIPE];
  const d = durationMinutes(raw);
  // `PT0S` is not documented (Graph does not say whether it means "never" or "at once"), so zero says nothing here.
  if (!d || d.min <= WIPE_LEVEL_1) return undefined;
  return {
    property: WIPE,
    value: 'P90D',
    message: `\`${WIPE}: ${String(raw)}\` keeps work data on a device that has been offline for ${spokenDuration(raw, d)}, longer than the 90 days (\`P90D\`) that level 1 of Microsoft's app protection framework, its minimum for an enterprise device, allows; level 2 wipes it after 30 days`,
  };
}

function accessGap(spec: Record<string, unknown>): Gap | undefined {
  const raw = spec[ACCESS];
  const d = durationMinutes(raw);
  if (!d || d.min <= ACCESS_LIMIT) return undefined;
  return {
    property: ACCESS,
    value: 'P7D',
    message: `\`${ACCESS}: ${String(raw)}\` lets the app open work data for ${spokenDuration(raw, d)} without checking in, so a disabled account or a wiped user keeps access offline for that long; Microsoft's app protection framework blocks access after 10080 minutes (7 days, \`P7D\`) at levels 1 and 2`,
  };
}

/** An app protection policy whose offline grace periods are longer than Microsoft's data protection framework asks. */
export const appProtectionOfflineWipe: Rule = {
  id: 'app-protection-offline-wipe',
  title: 'An app protection policy keeps work data offline longer than the data protection framework allows',
  category: 'layer',
  layer: 1,
  defaultSeverity: 'warning',
  sources: [
    'https://learn.microsoft.com/intune/intune-service/apps/app-protection-framework',
    'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy-settings-ios',
    'https://learn.microsoft.com/intune/intune-service/apps/app-protection-policy-settings-android',
    'https://learn.microsoft.com/graph/api/resources/intune-mam-managedappprotection?view=graph-rest-beta',
  ],
  check(tenant, emit) {
    if (!tenant.root) return;
    for (const p of policiesOfKind(tenant, 'AppProtectionPolicy')) {
      if (!p.spec || !APP_PROTECTION_TYPES.test(p.odataType ?? '')) continue;
      for (const gap of [accessGap(p.spec), wipeGap(p.spec)]) {
        if (!gap) continue;
        emit({
          file: p,
          span: policySpan(p, ['spec', gap.property], 'value'),
          message: gap.message,
          data: { property: gap.property, value: gap.value } satisfies OfflineData,
        });
      }
    }
  },
  fix(finding, tenant) {
    const data = finding.data as OfflineData | undefined;
    const p: PolicyFacts | undefined = policyAt(tenant, finding.file);
    if (!data || !p?.spec || !(data.property in p.spec)) return [];
    // A wipe period that would come before access is blocked is not what anyone means: leave that policy to a person.
    if (data.property === WIPE && (durationMinutes(p.spec[ACCESS])?.max ?? 0) >= WIPE_LEVEL_1) return [];
    const edit = replaceValue(p.parsed, specPath(p, data.property), data.value);
    if (!edit) return [];
    const wipe = data.property === WIPE;
    const fix: Fix = {
      title: `Set ${data.property}: ${data.value} (${wipe ? '90 days' : '7 days'}, Microsoft's data protection framework)`,
      isPreferred: true,
      // A shorter wipe period erases work data on phones that stay offline: a person decides that, not --fix.
      safe: !wipe,
      edits: [edit],
      creates: [],
    };
    return [fix];
  },
};

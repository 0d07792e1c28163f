/**
 * Helpers for the Graph interop tests: run `ztp` in-process, and the round trip (import a Graph export folder, export
 * the tenant, compare every body with the original export less its read-only content).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { main, type CliIO } from '../../server/src/cli/main';
import { parseBytes } from '../../server/src/core/document';
import { stripReadOnly } from '../../server/src/core/graph';
import { importedSpec } from '../../server/src/core/interop';

export const ROOT = join(__dirname, '..', '..');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `ztp <args>` in-process, from `cwd`. */
export async function ztp(args: string[], cwd = ROOT): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, isTTY: false, env: { NO_COLOR: '1' } };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

export function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A JSON file as Graph exports write it (UTF-8 or UTF-16, with or without a BOM). */
export function readExport(path: string): Record<string, unknown> {
  return parseBytes(path, readFileSync(path)).value as Record<string, unknown>;
}

/**
 * Properties that are not settings, listed here independently of the product's own list: Graph sets them (ids,
 * versions, timestamps, counters), or they are OData annotations and actions. `assignments` is compared on its own.
 */
const NOT_SETTINGS = new Set(['id', 'version', 'createdDateTime', 'lastModifiedDateTime', 'modifiedDateTime', 'deletedDateTime', 'settingCount', 'isAssigned', 'creationSource', 'priorityMetaData', 'deployedAppCount', 'supportsScopeTags', 'templateId', 'settingDefinitions', 'assignments', 'source', 'sourceId', 'templateFamily', 'templateDisplayName', 'templateDisplayVersion']);

function isAnnotation(key: string): boolean {
  return key.startsWith('@') || key.startsWith('#') || key.includes('@odata.');
}

/**
 * Every setting of the original (a leaf value at a path) that the exported body does not hold with the same value.
 * `authenticationStrength` is a reference: only its `id` is a setting. A `null` `partialEnablementStrategy` is none.
 */
export function lostSettings(original: unknown, body: unknown, path = ''): string[] {
  if (Array.isArray(original)) {
    if (!Array.isArray(body)) return [`${path}: a list became ${JSON.stringify(body)}`];
    if (original.length !== body.length) return [`${path}: ${original.length} items became ${body.length}`];
    return original.flatMap((v, i) => lostSettings(v, body[i], `${path}[${i}]`));
  }
  if (original !== null && typeof original === 'object') {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return [`${path}: an object became ${JSON.stringify(body)}`];
    const out: string[] = [];
    for (const [k, v] of Object.entries(original)) {
      if (isAnnotation(k) || NOT_SETTINGS.has(k)) continue;
      if (k === 'partialEnablementStrategy' && v === null) continue;
      const there = (body as Record<string, unknown>)[k];
      if (k === 'authenticationStrength' && v && typeof v === 'object') {
        if ((there as { id?: unknown } | null)?.id !== (v as { id?: unknown }).id) out.push(`${path}.${k}.id`);
        continue;
      }
      if (!(k in body)) {
        out.push(`${path}.${k}: missing`);
        continue;
      }
      out.push(...lostSettings(v, there, `${path}.${k}`));
    }
    return out;
  }
  return Object.is(original, body) ? [] : [`${path}: ${JSON.stringify(original)} became ${JSON.stringify(body)}`];
}

/** Graph assignment targets as comparable strings (a `none` or empty filter is no filter). */
export function targetKeys(list: unknown): string[] {
  return (Array.isArray(list) ? list : [])
    .map((a) => (a as { target?: Record<string, unknown> }).target ?? {})
    .map((t) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(t)
            .filter(([k, v]) => !(k.startsWith('deviceAndAppManagementAssignmentFilter') && (v === null || v === 'none')))
            .sort(([a], [b]) => (a < b ? -1 : 1)),
        ),
      ),
    )
    .sort();
}

export interface RoundTrip {
  /** Policies whose body and assignments came back whole. */
  checked: number;
  problems: string[];
  importRun: Run;
  exportRun: Run;
}

/** Import `source` into a temporary tenant, export it, and compare each exported body with the original. */
export async function roundTrip(source: string, licenses: string[] = []): Promise<RoundTrip> {
  const tenant = tmp('ztp-rt-tenant-');
  const out = tmp('ztp-rt-out-');
  const problems: string[] = [];
  let checked = 0;
  try {
    const importRun = await ztp(['import', source, '--out', tenant, ...licenses.flatMap((l) => ['--license', l])]);
    const exportRun = await ztp(['export', tenant, '--out', out]);
    if (importRun.code === 2 || exportRun.code !== 0) return { checked, problems: [`import ${importRun.code}: ${importRun.stderr}\nexport ${exportRun.code}: ${exportRun.stderr}`], importRun, exportRun };
    // The policy files written: the lines under `imported N policies`, not the files kept as exported below `kept …`.
    let section = '';
    for (const line of importRun.stdout.split('\n')) {
      if (!line.startsWith(' ')) section = line.split(' ')[0]!;
      const m = /^ {2}(.+?) {2}← (.+)$/.exec(line);
      if (!m || section !== 'imported') continue;
      const imported = parse(readFileSync(resolve(ROOT, m[1]!), 'utf8')) as { kind: Parameters<typeof importedSpec>[0]; name: string };
      const original = readExport(join(source, m[2]!));
      const exported = JSON.parse(readFileSync(join(out, `${imported.name}.json`), 'utf8'));
      // Apps travel in the targetApps call; put them back to compare the whole body.
      const body = { ...exported.body, ...(exported.targetApps ? { apps: exported.targetApps.body.apps } : {}) };
      const assigned = exported.assign ? (Object.values(exported.assign.body)[0] as unknown[]) : [];
      try {
        // The policy file keeps the template's family (the checks read it); the body leaves it to Graph, with the
        // template's name and version (read-only, derived from its id).
        const spec = importedSpec(imported.kind, original);
        const template = spec.templateReference as Record<string, unknown> | undefined;
        if (template) for (const key of ['templateFamily', 'templateDisplayName', 'templateDisplayVersion']) delete template[key];
        assert.deepStrictEqual(body, spec, 'the body is the export less read-only content');
        assert.deepStrictEqual(lostSettings(original, body), [], 'no setting is lost');
        assert.deepStrictEqual(targetKeys(assigned), targetKeys(stripReadOnly({ assignments: original.assignments ?? [] }).assignments), 'the same assignment targets');
        checked++;
      } catch (e) {
        problems.push(`${m[2]}: ${(e as Error).message.slice(0, 3000)}`);
      }
    }
    return { checked, problems, importRun, exportRun };
  } finally {
    rmSync(tenant, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

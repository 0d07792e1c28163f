/**
 * Reads the settings catalog index from disk, once, on first use: the compressed index shipped beside the bundles
 * (`dist/settings-catalog.json.gz`, built from `data/settings-catalog/`), or one the user names on the command line
 * (`ztp check --settings-catalog`; no editor setting names a file, SECURITY.md): an index this product built, or Graph's own
 * definitions as `GET /beta/deviceManagement/configurationSettings` returns them (one page, a list of pages, or an
 * array), which is then indexed in memory.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildSettingsCatalog, graphValues, parseSettingsCatalog, type SettingsCatalog } from '../core/index';

export const SETTINGS_CATALOG_FILE = 'settings-catalog.json.gz';

let bundled: { path: string | undefined } | undefined;

/** Where the shipped index is: beside the bundle (dist/), or in the repository when run from source (looked up once). */
export function bundledSettingsCatalogPath(): string | undefined {
  if (!bundled) {
    const candidates = [join(__dirname, SETTINGS_CATALOG_FILE), join(__dirname, '..', '..', '..', 'data', 'settings-catalog', 'index.json.gz')];
    bundled = { path: candidates.find((p) => existsSync(p)) };
  }
  return bundled.path;
}

const cache = new Map<string, SettingsCatalog>();

/**
 * The index at `path` (or the shipped one). Throws an error naming the file and the fix when the file cannot be read
 * or is not an index or a Graph dump; returns undefined only when no path is given and none is shipped.
 */
export function loadSettingsCatalog(path?: string): SettingsCatalog | undefined {
  const file = path ?? bundledSettingsCatalogPath();
  if (!file) return undefined;
  const cached = cache.get(file);
  if (cached) return cached;
  let json: unknown;
  try {
    const bytes = readFileSync(file);
    const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8').replace(/^\uFEFF/, '');
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: cannot read the settings catalog (${(e as Error).message}). Give an index built by \`npm run settings-catalog:refresh\`, or Graph's /beta/deviceManagement/configurationSettings output`);
  }
  let catalog: SettingsCatalog;
  const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  if (o?.format === 1) catalog = parseSettingsCatalog(json);
  else {
    const definitions = graphValues(json);
    if (!definitions.length) throw new Error(`${file}: neither a settings catalog index nor Graph setting definitions (expected { "value": [ … ] } from /beta/deviceManagement/configurationSettings)`);
    // A dump the admin took from their own tenant: complete as of the file's date, with no categories.
    const snapshot = statSync(file).mtime.toISOString().slice(0, 10);
    const built = buildSettingsCatalog({ definitions, categories: [], source: file, snapshot, complete: true });
    catalog = parseSettingsCatalog(built.data);
  }
  cache.set(file, catalog);
  return catalog;
}

/** Why the shipped index could not be read, once it failed (it is not read again). */
let shippedProblem: string | undefined;

/**
 * The shipped index, for a host that goes on without it: undefined when none ships or it cannot be read. A failure
 * is told once through `onProblem`, and the file is not read again (the server, its read workers and the CLI).
 */
export function shippedSettingsCatalog(onProblem?: (message: string) => void): SettingsCatalog | undefined {
  if (shippedProblem !== undefined) return undefined;
  try {
    return loadSettingsCatalog();
  } catch (e) {
    shippedProblem = (e as Error).message;
    onProblem?.(shippedProblem);
    return undefined;
  }
}

/**
 * Builds the settings catalog index the product ships (`data/settings-catalog/index.json.gz`; the build copies it to
 * `dist/settings-catalog.json.gz`). One command:
 *
 *   npm run settings-catalog:refresh                 # from the seed and the observed settings in data/settings-catalog/
 *   npm run settings-catalog:refresh -- --graph      # from Graph itself: every definition and category, then complete
 *   npm run settings-catalog:refresh -- --definitions defs.json [--categories cats.json] --complete --snapshot 2026-12-01
 *
 * `--graph` reads a bearer token for Microsoft Graph from ZTP_GRAPH_TOKEN (DeviceManagementConfiguration.Read.All)
 * and pages through /beta/deviceManagement/configurationSettings and /configurationCategories. This script is the
 * only part of the project that talks to a network, and only when asked; the product never does.
 *
 * Real exports' observations (data/settings-catalog/observed.json) are checked against the definitions: a value or
 * a nesting that real tenants use and the definitions refuse stops the build, because the index would raise false
 * alarms on them (use --allow-conflicts to write it anyway, and read the list).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSettingsCatalog, graphValues, type ObservedSetting } from '../../server/src/core/index';

const DATA = join(__dirname, '..', '..', 'data', 'settings-catalog');
const OUT = join(DATA, 'index.json.gz');
const GRAPH = 'https://graph.microsoft.com/beta/deviceManagement';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string): boolean => process.argv.includes(name);
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));

async function fromGraph(collection: string): Promise<unknown[]> {
  const token = process.env.ZTP_GRAPH_TOKEN;
  if (!token) throw new Error('--graph needs a Microsoft Graph token in ZTP_GRAPH_TOKEN (DeviceManagementConfiguration.Read.All)');
  const out: unknown[] = [];
  let url: string | undefined = `${GRAPH}/${collection}`;
  while (url) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { value?: unknown[]; '@odata.nextLink'?: string };
    out.push(...(page.value ?? []));
    url = page['@odata.nextLink'];
    process.stderr.write(`\r${collection}: ${out.length}`);
  }
  process.stderr.write('\n');
  return out;
}

async function main(): Promise<void> {
  const graph = flag('--graph');
  const today = new Date().toISOString().slice(0, 10);
  let definitions: unknown[];
  let categories: unknown[];
  let source: string;
  let snapshot: string;
  let complete: boolean;
  if (graph) {
    definitions = await fromGraph('configurationSettings');
    categories = await fromGraph('configurationCategories');
    source = 'Microsoft Graph beta /deviceManagement/configurationSettings';
    snapshot = today;
    complete = true;
  } else {
    const defs = arg('--definitions') ?? join(DATA, 'seed', 'definitions.json');
    const cats = arg('--categories') ?? join(DATA, 'seed', 'categories.json');
    definitions = graphValues(readJson(defs));
    categories = graphValues(readJson(cats));
    complete = flag('--complete');
    source = arg('--source') ?? (arg('--definitions') ? defs : 'the project\'s seed definitions (data/settings-catalog/seed, from Microsoft Learn)');
    snapshot = arg('--snapshot') ?? (readJson(join(DATA, 'seed', 'snapshot.json')) as { snapshot: string }).snapshot;
  }
  const observed = (readJson(join(DATA, 'observed.json')) as { settings: Record<string, ObservedSetting> }).settings;
  const { data, conflicts, skipped } = buildSettingsCatalog({ definitions, categories, observed, source, snapshot, complete });
  for (const c of conflicts) console.error(`conflict: ${c}`);
  if (conflicts.length && !flag('--allow-conflicts')) {
    console.error(`${conflicts.length} conflicts between the definitions and real exports: the index was not written`);
    process.exit(1);
  }
  const json = JSON.stringify(data);
  const gz = gzipSync(json, { level: 9 });
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, gz);
  const defined = data.settings.filter((s) => !s.obs).length;
  console.log(
    `wrote ${OUT}: ${data.settings.length} settings (${defined} defined, ${data.settings.length - defined} observed), ` +
      `${Object.keys(data.categories).length} categories, ${skipped} definitions skipped; ${(json.length / 1024).toFixed(0)} KB JSON, ` +
      `${(gz.length / 1024).toFixed(0)} KB compressed; snapshot ${snapshot}${complete ? ', complete' : ', partial'}`,
  );
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});

/**
 * Collects the settings catalog settings used in folders of real Graph exports (IntuneManagement, IntuneCD,
 * Graph GETs; UTF-8 or UTF-16): each setting id with its instance kinds, the choice values used, the platforms of the
 * policies and the parents it was nested under. The index keeps them as "observed" settings: they exist, and the
 * values seen are real options (docs/settings-catalog.md).
 *
 *   npx tsx scripts/settings-catalog/harvest-observed.ts --source "owner/repo@commit (MIT)" <folder> [--source … <folder>]… > observed.json
 *
 * Only harvest repositories whose licence allows it; the output names each source.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { settingInstances, type ObservedSetting } from '../../server/src/core/index';
import { decodeBytes } from '../../server/src/core/text';

type Acc = { kinds: Set<string>; values: Set<string>; platforms: Set<string>; parents: Set<string> };

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) yield* files(p);
    else if (/\.json$/i.test(name) && s.size < 20 * 1024 * 1024) yield p;
  }
}

const acc = new Map<string, Acc>();
function visit(v: unknown, depth: number): void {
  if (depth > 12 || !v || typeof v !== 'object') return;
  if (Array.isArray(v)) return v.forEach((x) => visit(x, depth + 1));
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.settings) && ('platforms' in o || 'technologies' in o)) {
    const platforms = typeof o.platforms === 'string' ? o.platforms : '';
    for (const inst of settingInstances(o)) {
      const id = inst.id.toLowerCase();
      const a = acc.get(id) ?? { kinds: new Set(), values: new Set(), platforms: new Set(), parents: new Set() };
      acc.set(id, a);
      const node = inst.path.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)?.[k], o) as Record<string, unknown>;
      if (typeof node?.['@odata.type'] === 'string') a.kinds.add(node['@odata.type'].replace(/^#?microsoft\.graph\./, ''));
      for (const c of inst.choices) a.values.add(c.value.toLowerCase());
      if (platforms) a.platforms.add(platforms);
      if (inst.parent) a.parents.add(inst.parent.id.toLowerCase());
    }
    return;
  }
  for (const x of Object.values(o)) visit(x, depth + 1);
}

const sources: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--source') {
    sources.push(args[++i]!);
    continue;
  }
  for (const f of files(args[i]!)) {
    let json: unknown;
    try {
      json = JSON.parse(decodeBytes(readFileSync(f)).text);
    } catch {
      continue;
    }
    visit(json, 0);
  }
}
const settings: Record<string, ObservedSetting> = {};
for (const [id, a] of [...acc].sort(([x], [y]) => (x < y ? -1 : 1))) {
  settings[id] = { kinds: [...a.kinds].sort(), values: [...a.values].sort(), platforms: [...a.platforms].sort(), parents: [...a.parents].sort() };
}
// One setting per line: reviewable diffs when the harvest is run again.
const lines = Object.entries(settings).map(([id, s]) => `${JSON.stringify(id)}: ${JSON.stringify(s)}`);
process.stdout.write(`{\n"sources": ${JSON.stringify(sources)},\n"settings": {\n${lines.join(",\n")}\n}\n}\n`);

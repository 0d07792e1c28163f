/**
 * The fixture harness. A fixture is a folder (usually a tenant) whose files carry their expected findings as
 * comments beside the lines: `# expect: rule-id` or `# expect: rule-id(warning), other-id`. JSON files, which
 * cannot hold comments, list theirs in a sidecar `<file>.expect` with lines `LINE rule-id[(severity)]` (1-based).
 * The harness checks that the findings are exactly the expected ones: no more, no less.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createPolicyService, type PolicyService } from '../../server/src/core/workspace';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import type { Finding } from '../../server/src/core/types';

export const FIXTURES = join(__dirname, '..', 'fixtures');

/** A fixed "now" so date rules (certificate expiry) give the same answer every day. */
export const FIXTURE_NOW = new Date('2026-06-01T00:00:00Z');

export interface FixtureResult {
  service: PolicyService;
  findings: Finding[];
  actual: string[];
  expected: string[];
}

const EXPECT = /#\s*expect:\s*([a-z0-9-]+(?:\([a-z]+\))?(?:\s*,\s*[a-z0-9-]+(?:\([a-z]+\))?)*)/;

function expectationsIn(dir: string, file: string, text: string): string[] {
  const rel = relative(dir, file).replace(/\\/g, '/');
  const out: string[] = [];
  if (file.endsWith('.json')) {
    const side = file + '.expect';
    if (!existsSync(side)) return out;
    for (const raw of readFileSync(side, 'utf8').split(/\r?\n/)) {
      const m = /^\s*(\d+)\s+(.+?)\s*$/.exec(raw);
      if (!m) continue;
      for (const id of m[2]!.split(',')) out.push(`${rel}:${Number(m[1])} ${id.trim()}`);
    }
    return out;
  }
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    const m = EXPECT.exec(line);
    if (m) for (const id of m[1]!.split(',')) out.push(`${rel}:${i + 1} ${id.trim()}`);
  });
  return out;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

/** Analyse a fixture folder and gather expected and actual findings as comparable lines. */
export async function runFixture(dir: string): Promise<FixtureResult> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW });
  const files = walk(dir);
  for (const f of files) await service.load(f);
  const findings = service.analyzeAll();
  const withSeverity = new Set<string>();
  const expected: string[] = [];
  for (const f of files) {
    for (const e of expectationsIn(dir, f, readFileSync(f, 'utf8'))) {
      expected.push(e);
      if (e.includes('(')) withSeverity.add(e.replace(/\(.*$/, ''));
    }
  }
  const actual = findings.map((f) => {
    const facts = service.get(f.file)!;
    const line = facts.parsed.lines.positionAt(f.span.offset).line + 1;
    const base = `${relative(dir, f.file).replace(/\\/g, '/')}:${line} ${f.ruleId}`;
    return withSeverity.has(base) ? `${base}(${f.severity})` : base;
  });
  return { service, findings, actual: actual.sort(), expected: expected.sort() };
}

/** Every case folder of a rule: `test/fixtures/<rule-id>/<case>/`. */
export function fixtureCases(ruleId: string): string[] {
  const dir = join(FIXTURES, ruleId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort()
    .map((n) => join(dir, n));
}

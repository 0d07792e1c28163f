/**
 * The fixture harness. A fixture is a folder (usually a tenant) whose files carry their expected findings as
 * comments beside the lines: `# expect: rule-id` or `# expect: rule-id(warning), other-id`. JSON files, which
 * cannot hold comments, list theirs in a sidecar `<file>.expect` with lines `LINE rule-id[(severity)]` (1-based).
 * The harness checks that the findings are exactly the expected ones: no more, no less.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createPolicyService, type PolicyService } from '../../server/src/core/service';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { loadSettingsCatalog } from '../../server/src/host/settings-catalog-file';
import type { Finding, Fix } from '../../server/src/core/types';
import { RULES, ruleById } from '../../server/src/core/rules/index';
import { applyEdits, editsByFile } from '../../server/src/core/fix-apply';
import { cpSync, mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';

/** Rules every fixture is checked against besides the rule under test: the fixture files must be valid. */
export const STRUCTURE_RULES = RULES.filter((r) => r.category === 'structure').map((r) => r.id);

export const FIXTURES = join(__dirname, '..', 'fixtures');

/**
 * The rules `npm test -- --rule <id>[,<id>…]` selects (scripts/run-tests.mjs passes them as `ZTP_RULE`), or every
 * rule. The fixture, fix and meta tests run only the selected rules' cases.
 */
export function isSelectedRule(ruleId: string): boolean {
  const only = process.env.ZTP_RULE?.split(',').map((r) => r.trim()).filter(Boolean);
  return !only?.length || only.includes(ruleId);
}

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
    // `_fixed/` holds a fix's golden output, not input.
    if (statSync(p).isDirectory()) {
      if (!name.startsWith('_')) walk(p, out);
    }
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

/**
 * Analyse a fixture folder and gather expected and actual findings as comparable lines. With `ruleUnderTest`,
 * only that rule's findings and the structure rules' count (like ESLint's RuleTester), so a layer fixture need
 * not satisfy every other layer rule.
 */
export async function runFixture(dir: string, ruleUnderTest?: string): Promise<FixtureResult> {
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW, settingsCatalog: () => loadSettingsCatalog() });
  const files = walk(dir);
  for (const f of files) await service.load(f);
  const all = service.analyzeAll();
  const findings = ruleUnderTest ? all.filter((f) => f.ruleId === ruleUnderTest || STRUCTURE_RULES.includes(f.ruleId)) : all;
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

export interface FixOutcome {
  before: Finding[];
  after: Finding[];
  fixes: Fix[];
  /** file (relative) → content after the fix, for every file that changed or was created */
  changed: Map<string, string>;
  /** The golden files in `_fixed/` (relative → content). */
  golden: Map<string, string>;
  workDir: string;
}

/**
 * Copy a fixture to a temporary folder, apply the preferred fix of every finding of `ruleId`, and analyse again.
 * The caller asserts: the findings are gone, no new finding appeared, and the changed files equal `_fixed/`.
 */
export async function applyFixture(caseDir: string, ruleId: string): Promise<FixOutcome> {
  const workDir = mkdtempSync(join(tmpdir(), 'ztp-fix-'));
  cpSync(caseDir, workDir, { recursive: true, filter: (src) => !src.split(/[\\/]/).some((s) => s === '_fixed') });
  const files = walk(workDir);
  const original = new Map(files.map((f) => [f, readFileSync(f, 'latin1')]));
  const service = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW, settingsCatalog: () => loadSettingsCatalog() });
  for (const f of files) await service.load(f);
  const before = service.analyzeAll();
  const rule = ruleById(ruleId)!;
  const fixes: Fix[] = [];
  for (const f of before.filter((x) => x.ruleId === ruleId)) {
    const list = rule.fix?.(f, service.view(service.tenantRootOf(f.file))) ?? [];
    const fix = list.find((x) => x.isPreferred) ?? list[0];
    if (fix) fixes.push(fix);
  }
  for (const [file, edits] of editsByFile(fixes)) {
    const text = service.get(file)!.parsed.text;
    writeFileSync(file, applyEdits(text, edits));
  }
  for (const fix of fixes) {
    for (const c of fix.creates) {
      mkdirSync(dirname(c.file), { recursive: true });
      writeFileSync(c.file, c.content);
    }
  }
  const after2 = createPolicyService({ fs: nodeFileSystem, now: () => FIXTURE_NOW, settingsCatalog: () => loadSettingsCatalog() });
  const filesAfter = walk(workDir);
  for (const f of filesAfter) await after2.load(f);
  const after = after2.analyzeAll();
  const changed = new Map<string, string>();
  for (const f of filesAfter) {
    const now = readFileSync(f, 'latin1');
    if (original.get(f) !== now) changed.set(relative(workDir, f).replace(/\\/g, '/'), now);
  }
  const golden = new Map<string, string>();
  const goldenDir = join(caseDir, '_fixed');
  if (existsSync(goldenDir)) {
    const walkAll = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walkAll(p);
        else golden.set(relative(goldenDir, p).replace(/\\/g, '/'), readFileSync(p, 'latin1'));
      }
    };
    walkAll(goldenDir);
  }
  return { before, after, fixes, changed, golden, workDir };
}

export function cleanup(o: FixOutcome): void {
  rmSync(o.workDir, { recursive: true, force: true });
}

/** Compare findings across two runs by rule, file (relative to its root) and message. */
export function findingKeys(findings: Finding[], root: string): string[] {
  return findings.map((f) => `${relative(root, f.file).replace(/\\/g, '/')} ${f.ruleId} ${f.message}`).sort();
}

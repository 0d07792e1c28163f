/**
 * Property-based fuzzing of the analysis core (fast-check). Shared by the CI test (test/robustness/fuzz.test.ts, a
 * bounded seeded run) and `npm run fuzz` (scripts/fuzz.ts, 100,000 cases by default).
 *
 * Each case takes a fixture tenant (test/fixtures/<rule>/<case>/), replaces one of its files with a hostile variant
 * (mutated bytes, truncation, a deleted key, a value of another type, random Unicode, random YAML structure or tokens)
 * and checks, for every input:
 * - loading and analysing the tenant, and every editor feature at a random offset, return and never throw;
 * - it finishes within a second per file;
 * - every finding's span (and related span) lies inside its document, and its LSP range is valid;
 * - every fix's edits lie inside their document and apply;
 * - the `--format json` output still matches the contract.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { type PolicyFileSystem } from '../../server/src/core/workspace';
import { createPolicyService, type PolicyService } from '../../server/src/core/service';
import { ruleById } from '../../server/src/core/rules/index';
import { applyEdits } from '../../server/src/core/fix-apply';
import { hover } from '../../server/src/core/features/hover';
import { complete } from '../../server/src/core/features/completion';
import { definition, references, documentSymbols, workspaceSymbols, type OutlineSymbol } from '../../server/src/core/features/navigation';
import { layerStates, layerReportMarkdown } from '../../server/src/core/features/layer-status';
import { KINDS } from '../../server/src/core/kinds';
import type { Range, Span } from '../../server/src/core/types';
import type { LineIndex } from '../../server/src/core/text';
import { formatJson, formatSarif, type OutputFinding } from '../../server/src/cli/format';
import { toOutput } from '../../server/src/cli/main';
import { RULES } from '../../server/src/core/rules/index';

export const FIXTURES = join(__dirname, '..', 'fixtures');
const NOW = new Date('2026-06-01T00:00:00Z');
/** Each file must be analysed within this budget (generous: CI machines are noisy). */
export const PER_FILE_BUDGET_MS = 1000;

interface FixtureCase {
  dir: string;
  /** Absolute path → bytes. */
  files: Map<string, Uint8Array>;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!name.startsWith('_')) walk(p, out);
    } else if (/\.(ya?ml|json)$/i.test(name)) out.push(p);
  }
  return out;
}

/** Every case folder under test/fixtures with its files. */
export function loadFixtureCases(root = FIXTURES): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const rule of readdirSync(root).sort()) {
    const rdir = join(root, rule);
    if (!statSync(rdir).isDirectory()) continue;
    for (const c of readdirSync(rdir).sort()) {
      const dir = join(rdir, c);
      if (!statSync(dir).isDirectory()) continue;
      const files = new Map<string, Uint8Array>();
      for (const f of walk(dir)) files.set(f.replace(/\\/g, '/'), new Uint8Array(readFileSync(f)));
      if (files.size) cases.push({ dir, files });
    }
  }
  return cases;
}

/** A file system over a map, for a service that never touches the disk. */
export function memoryFileSystem(files: Map<string, Uint8Array>): PolicyFileSystem {
  return {
    async readFile(p) {
      const b = files.get(p);
      if (!b) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return b;
    },
    async readDirectory() {
      return [];
    },
  };
}

/** Keys and scalar values seen in the fixtures: the dictionary random documents are built from. */
export interface Dictionary {
  keys: string[];
  scalars: (string | number | boolean | null)[];
}

export function dictionaryOf(cases: FixtureCase[]): Dictionary {
  const keys = new Set<string>(['kind', 'name', 'owner', 'spec', 'assignments', 'include', 'exclude', '@odata.type']);
  const scalars = new Set<string | number | boolean | null>([...Object.keys(KINDS), 'Tenant', null, true, false, 0, -1]);
  const visit = (v: unknown, depth: number): void => {
    if (depth > 40) return;
    if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        keys.add(k);
        visit(x, depth + 1);
      }
    } else if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) scalars.add(v as string);
  };
  for (const c of cases) {
    for (const [p, bytes] of c.files) {
      try {
        visit(p.endsWith('.json') ? JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, '')) : parse(new TextDecoder().decode(bytes), { logLevel: 'error' }), 0);
      } catch {
        // fixtures that are broken on purpose
      }
    }
  }
  return { keys: [...keys].sort(), scalars: [...scalars] };
}

/** What replaces the chosen file. */
export type Mutation =
  | { type: 'bytes'; ops: { at: number; op: 'flip' | 'insert' | 'delete'; bytes: number[]; len: number }[] }
  | { type: 'truncate'; at: number }
  | { type: 'delete-key'; pick: number }
  | { type: 'swap-type'; pick: number; value: unknown }
  | { type: 'unicode'; at: number; insert: string }
  | { type: 'random-yaml'; value: unknown; style: 'block' | 'flow' | 'json' }
  | { type: 'tokens'; text: string };

export interface FuzzCase {
  caseIndex: number;
  fileIndex: number;
  mutation: Mutation;
  /** Where the editor features are asked (a fraction of the text length). */
  cursor: number;
  /** Give the content as a string (an editor buffer) rather than bytes (a file on disk). */
  asText: boolean;
}

const TOKENS = [
  '- ', ': ', ':', '[', ']', '{', '}', ', ', '&a ', '*a', '&b ', '*b', '!!str ', '!!map ', '!custom ', '? ', '|\n', '>-\n', '# c\n', '\n', '\r\n', '  ', '\t',
  '"', "'", '---\n', '...\n', '%YAML 1.2\n', 'kind: ', 'spec:\n', 'assignments:\n', 'include: ', 'CompliancePolicy', 'ConditionalAccessPolicy', 'Tenant',
  '"@odata.type": ', '#microsoft.graph.windows10CompliancePolicy', 'null', 'true', '1e999', '0x1F', '~', '\\u0000', '\u0000', '\uFEFF', '\uD800', 'é', '😀', '<<: *a\n',
];

function jsonValue(dict: Dictionary): fc.Arbitrary<unknown> {
  const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('node'), fc.dictionary(fc.constantFrom(...dict.keys), tie('tree'), { maxKeys: 6 }), fc.array(tie('tree'), { maxLength: 4 })),
    node: fc.oneof(fc.constantFrom(...dict.scalars), fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
  }));
  return tree;
}

/** A random policy-shaped document: a known kind, with random content made of the fixtures' keys and values. */
function policyValue(dict: Dictionary): fc.Arbitrary<unknown> {
  return fc.record(
    {
      kind: fc.constantFrom(...Object.keys(KINDS), 'Tenant', 'Bogus'),
      name: fc.oneof(fc.constantFrom(...dict.scalars), fc.string({ maxLength: 8 })),
      owner: fc.constantFrom('endpoint', 'identity', 7, null),
      spec: jsonValue(dict),
      assignments: fc.record({ include: fc.array(fc.constantFrom(...dict.scalars), { maxLength: 3 }), exclude: jsonValue(dict) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['kind'] },
  );
}

export function mutationArb(dict: Dictionary): fc.Arbitrary<Mutation> {
  const byteOp = fc.record({ at: fc.nat(), op: fc.constantFrom('flip' as const, 'insert' as const, 'delete' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }), len: fc.integer({ min: 1, max: 40 }) });
  const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 16 });
  return fc.oneof(
    fc.record({ type: fc.constant('bytes' as const), ops: fc.array(byteOp, { minLength: 1, maxLength: 6 }) }),
    fc.record({ type: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ type: fc.constant('delete-key' as const), pick: fc.nat() }),
    fc.record({ type: fc.constant('swap-type' as const), pick: fc.nat(), value: jsonValue(dict) }),
    fc.record({ type: fc.constant('unicode' as const), at: fc.nat(), insert: fc.oneof(utf16, fc.string({ unit: 'binary', maxLength: 16 })) }),
    fc.record({ type: fc.constant('random-yaml' as const), value: fc.oneof(policyValue(dict), jsonValue(dict)), style: fc.constantFrom('block' as const, 'flow' as const, 'json' as const) }),
    fc.record({ type: fc.constant('tokens' as const), text: fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.constantFrom(...dict.keys), utf16), { maxLength: 60 }).map((a) => a.join('')) }),
  );
}

export function caseArb(cases: FixtureCase[], dict: Dictionary): fc.Arbitrary<FuzzCase> {
  return fc.record({
    caseIndex: fc.nat({ max: cases.length - 1 }),
    fileIndex: fc.nat(),
    mutation: mutationArb(dict),
    cursor: fc.double({ min: 0, max: 1, noNaN: true }),
    asText: fc.boolean(),
  });
}

/** Paths into a plain value, for picking a key to delete or a value to swap. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 500) return out;
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...prefix, i]), paths(x, [...prefix, i], out)));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push([...prefix, k]), paths(x, [...prefix, k], out));
  return out;
}

function edit(value: unknown, path: (string | number)[], fn: (parent: Record<string | number, unknown>, key: string | number) => void): void {
  let cur = value as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  fn(cur, path[path.length - 1]!);
}

function render(value: unknown, style: 'block' | 'flow' | 'json', json: boolean): string {
  if (json || style === 'json') return JSON.stringify(value, null, 2) ?? 'null';
  return stringify(value, { collectionStyle: style === 'flow' ? 'flow' : 'block', aliasDuplicateObjects: false });
}

/** The hostile content for a case: bytes (as read from disk) or text (an editor buffer). */
export function mutate(original: Uint8Array, path: string, m: Mutation): Uint8Array | string {
  const json = /\.json$/i.test(path);
  const text = (): string => new TextDecoder().decode(original);
  switch (m.type) {
    case 'bytes': {
      const b = [...original];
      for (const op of m.ops) {
        const at = b.length ? op.at % (b.length + 1) : 0;
        if (op.op === 'flip' && b.length) b[at % b.length] = op.bytes[0]!;
        else if (op.op === 'insert') b.splice(at, 0, ...op.bytes);
        else b.splice(at, op.len);
      }
      return new Uint8Array(b);
    }
    case 'truncate':
      return original.subarray(0, original.length ? m.at % (original.length + 1) : 0);
    case 'unicode': {
      const t = text();
      const at = m.at % (t.length + 1);
      return t.slice(0, at) + m.insert + t.slice(at);
    }
    case 'delete-key':
    case 'swap-type': {
      let value: unknown;
      try {
        value = json ? JSON.parse(text().replace(/^\uFEFF/, '')) : parse(text(), { logLevel: 'error' });
      } catch {
        return original;
      }
      const all = paths(value);
      if (!all.length) return m.type === 'swap-type' ? render(m.value, 'block', json) : original;
      const target = all[m.pick % all.length]!;
      if (m.type === 'delete-key') edit(value, target, (parent, key) => (Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key]));
      else edit(value, target, (parent, key) => (parent[key] = m.value));
      return render(value, 'block', json);
    }
    case 'random-yaml':
      return render(m.value, m.style, json);
    case 'tokens':
      return m.text;
  }
}

/** Problems found with one case; empty when every property holds. */
export interface Check {
  problems: string[];
  ms: number;
}

function checkSpan(problems: string[], what: string, span: Span, lines: LineIndex): void {
  const len = lines.text.length;
  if (!Number.isInteger(span.offset) || !Number.isInteger(span.length) || span.offset < 0 || span.length < 0 || span.offset + span.length > len) {
    problems.push(`${what}: span ${JSON.stringify(span)} outside the text (length ${len})`);
    return;
  }
  checkRange(problems, what, lines.rangeOf(span), lines);
}

function checkRange(problems: string[], what: string, r: Range, lines: LineIndex): void {
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) problems.push(`${what}: bad position ${JSON.stringify(p)}`);
    else if (p.line >= lines.lineCount) problems.push(`${what}: line ${p.line} past the last line ${lines.lineCount - 1}`);
    else if (p.character > lines.lineEnd(p.line) - lines.lineStart(p.line)) problems.push(`${what}: character ${p.character} past the end of line ${p.line}`);
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) problems.push(`${what}: range ends before it starts ${JSON.stringify(r)}`);
}

const SEVERITIES = ['error', 'warning', 'information', 'hint'];

/** The `--format json` contract: file, range (0-based), severity, code, message, optional layer; nothing else. */
export function checkJsonContract(json: string): string[] {
  const problems: string[] = [];
  let out: unknown;
  try {
    out = JSON.parse(json);
  } catch (e) {
    return [`json output does not parse: ${(e as Error).message}`];
  }
  if (!Array.isArray(out)) return ['json output is not an array'];
  for (const f of out as Record<string, unknown>[]) {
    const keys = Object.keys(f).sort();
    const extra = keys.filter((k) => !['code', 'file', 'layer', 'message', 'range', 'severity'].includes(k));
    if (extra.length) problems.push(`json: unexpected keys ${extra.join()}`);
    if (typeof f.file !== 'string' || !f.file) problems.push('json: file is not a string');
    if (typeof f.code !== 'string' || !/^[a-z0-9-]+$/.test(f.code)) problems.push(`json: bad code ${String(f.code)}`);
    if (typeof f.message !== 'string' || !f.message.trim()) problems.push('json: empty message');
    if (!SEVERITIES.includes(f.severity as string)) problems.push(`json: bad severity ${String(f.severity)}`);
    if ('layer' in f && !(Number.isInteger(f.layer) && (f.layer as number) >= 1 && (f.layer as number) <= 7)) problems.push(`json: bad layer ${String(f.layer)}`);
    const r = f.range as Range | undefined;
    const pos = (p: unknown): boolean => !!p && Number.isInteger((p as { line: number }).line) && Number.isInteger((p as { character: number }).character) && (p as { line: number }).line >= 0 && (p as { character: number }).character >= 0;
    if (!r || !pos(r.start) || !pos(r.end) || Object.keys(r).sort().join() !== 'end,start') problems.push(`json: bad range ${JSON.stringify(r)}`);
  }
  return problems;
}

/** A fixture tenant loaded once; each case swaps one file's content in and back out. */
export class FuzzWorld {
  private readonly services = new Map<number, PolicyService>();
  private version = 1;
  readonly cases: FixtureCase[];
  readonly dict: Dictionary;

  constructor() {
    this.cases = loadFixtureCases();
    this.dict = dictionaryOf(this.cases);
  }

  private async service(i: number): Promise<PolicyService> {
    let s = this.services.get(i);
    if (!s) {
      const c = this.cases[i]!;
      s = createPolicyService({ fs: memoryFileSystem(c.files), now: () => NOW, onRuleError: (id, e) => console.error(`rule ${id} threw: ${String(e)}`) });
      for (const p of c.files.keys()) await s.load(p);
      this.services.set(i, s);
    }
    return s;
  }

  arbitrary(): fc.Arbitrary<FuzzCase> {
    return caseArb(this.cases, this.dict);
  }

  /** Run one case: returns the properties that failed (none when it holds). */
  async run(fc_: FuzzCase): Promise<Check> {
    const c = this.cases[fc_.caseIndex]!;
    const service = await this.service(fc_.caseIndex);
    const files = [...c.files.keys()];
    const path = files[fc_.fileIndex % files.length]!;
    const original = c.files.get(path)!;
    const content = mutate(original, path, fc_.mutation);
    const input = fc_.asText && typeof content !== 'string' ? new TextDecoder().decode(content) : content;
    const problems: string[] = [];
    const started = performance.now();
    try {
      service.update(path, input, ++this.version);
      this.checkTenant(service, path, fc_.cursor, c.dir, problems);
    } catch (e) {
      problems.push(`threw: ${(e as Error).stack ?? String(e)}`);
    } finally {
      service.update(path, original, ++this.version);
    }
    const ms = performance.now() - started;
    if (ms > PER_FILE_BUDGET_MS * files.length) problems.push(`took ${ms.toFixed(0)} ms for ${files.length} files`);
    return { problems, ms };
  }

  private checkTenant(service: PolicyService, path: string, cursor: number, root: string, problems: string[]): void {
    const findings = service.analyzeAll();
    for (const f of findings) {
      const facts = service.get(f.file);
      if (!facts) {
        problems.push(`${f.ruleId}: finding in an unknown file ${f.file}`);
        continue;
      }
      checkSpan(problems, `${f.ruleId} in ${f.file}`, f.span, facts.parsed.lines);
      for (const r of f.related ?? []) {
        const rf = service.get(r.file);
        if (rf) checkSpan(problems, `${f.ruleId} related ${r.file}`, r.span, rf.parsed.lines);
      }
      if (!SEVERITIES.includes(f.severity)) problems.push(`${f.ruleId}: severity ${f.severity}`);
      if (!f.message?.trim()) problems.push(`${f.ruleId}: empty message`);
      // Every fix of every finding: edits inside their files, and they apply.
      const rule = ruleById(f.ruleId);
      if (rule?.fix) {
        const view = service.view(service.tenantRootOf(f.file));
        for (const fix of rule.fix(f, view)) {
          for (const e of fix.edits) {
            const ef = service.get(e.file);
            if (!ef) problems.push(`${f.ruleId} fix edits an unknown file ${e.file}`);
            else checkSpan(problems, `${f.ruleId} fix edit`, e.span, ef.parsed.lines);
          }
          const byFile = new Map<string, typeof fix.edits>();
          for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
          for (const [file, edits] of byFile) {
            const ef = service.get(file);
            if (ef) applyEdits(ef.parsed.text, edits);
          }
        }
      }
    }
    const out: OutputFinding[] = findings.map((f) => toOutput(service, f, root));
    problems.push(...checkJsonContract(formatJson(out)));
    JSON.parse(formatSarif(out, RULES, '0.0.0'));
    // The editor features at a cursor in the mutated file.
    const facts = service.get(path)!;
    const text = facts.parsed.text;
    const offset = Math.min(text.length, Math.floor(cursor * (text.length + 1)));
    const h = hover(service, path, offset);
    if (h) checkSpan(problems, 'hover', h.span, facts.parsed.lines);
    complete(service, path, text, offset);
    const d = definition(service, path, offset);
    if (d && service.get(d.file)) checkSpan(problems, 'definition', d.span, service.get(d.file)!.parsed.lines);
    for (const r of references(service, path, offset, true)) if (service.get(r.file)) checkSpan(problems, 'reference', r.span, service.get(r.file)!.parsed.lines);
    const visit = (s: OutlineSymbol): void => {
      checkSpan(problems, `symbol ${s.name}`, s.span, facts.parsed.lines);
      checkSpan(problems, `symbol ${s.name} selection`, s.selection, facts.parsed.lines);
      s.children.forEach(visit);
    };
    documentSymbols(facts.parsed).forEach(visit);
    workspaceSymbols(service, text.slice(offset, offset + 3));
    const root_ = service.tenantRootOf(path);
    const view = service.view(root_);
    const tenantFindings = findings.filter((f) => service.tenantRootOf(f.file) === root_);
    layerStates(view, tenantFindings, ruleById);
    layerReportMarkdown(view, tenantFindings, (p) => p, ruleById);
  }
}

/** Run `runs` seeded cases; resolves with statistics, rejects (fast-check's report, with the seed) on a failure. */
export async function fuzz(runs: number, seed: number, onProgress?: (done: number) => void): Promise<{ runs: number; ms: number; slowestMs: number }> {
  const world = new FuzzWorld();
  let done = 0;
  let slowest = 0;
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(world.arbitrary(), async (c) => {
      const r = await world.run(c);
      slowest = Math.max(slowest, r.ms);
      if (++done % 1000 === 0) onProgress?.(done);
      if (r.problems.length) throw new Error(r.problems.slice(0, 10).join('\n'));
    }),
    { numRuns: runs, seed },
  );
  return { runs: done, ms: performance.now() - started, slowestMs: slowest };
}

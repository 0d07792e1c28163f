/**
 * Nothing lost: a property test over the fixture cases whose findings have fixes, as they are and with CRLF line
 * endings and extra comment lines. Every fix that applies (not only the preferred one) changes its files only inside
 * its own edits (the rest is compared byte for byte), removes no comment, keeps CRLF line endings, and leaves a file
 * that still parses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type PolicyFileSystem } from '../../server/src/core/workspace';
import { createPolicyService } from '../../server/src/core/service';
import { ruleById } from '../../server/src/core/rules/index';
import { applyEdits } from '../../server/src/core/fix-apply';
import { parseText } from '../../server/src/core/document';
import type { TextEdit } from '../../server/src/core/types';
import { FIXTURES, FIXTURE_NOW } from '../harness/fixtures';

interface Case {
  dir: string;
  files: Map<string, string>;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) {
      if (!n.startsWith('_')) walk(p, out);
    } else if (/\.(ya?ml|json)$/.test(n)) out.push(p);
  }
  return out;
}

/** Fixture cases where some rule with a fix fires (read once). */
function casesWithFixes(): Case[] {
  const out: Case[] = [];
  for (const rule of readdirSync(FIXTURES).sort()) {
    if (!ruleById(rule)?.fix) continue;
    for (const c of readdirSync(join(FIXTURES, rule)).sort()) {
      const dir = join(FIXTURES, rule, c);
      if (!statSync(dir).isDirectory() || c.startsWith('ok-')) continue;
      out.push({ dir, files: new Map(walk(dir).map((f) => [f, readFileSync(f, 'utf8')])) });
    }
  }
  return out;
}

/** Comments in a YAML text: `#` at a line start or after white space, outside quotes (good enough for fixtures). */
function comments(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
        out.push(line.slice(i).trim());
        break;
      }
    }
  }
  return out;
}

interface Variant {
  crlf: boolean;
  /** Lines (by a fraction of the file) before which a full-line comment is added, YAML only. */
  commentsAt: number[];
}

function transform(path: string, text: string, v: Variant): string {
  let lines = text.split('\n');
  if (!path.endsWith('.json')) {
    for (const [k, at] of v.commentsAt.entries()) {
      const i = Math.min(lines.length - 1, Math.floor(at * lines.length));
      const indent = /^\s*/.exec(lines[i]!)![0].replace(/-/g, ' ');
      lines = [...lines.slice(0, i), `${indent}# keep-me-${k}`, ...lines.slice(i)];
    }
  }
  const out = lines.join('\n');
  return v.crlf ? out.replace(/\r?\n/g, '\r\n') : out;
}

function memoryFs(files: Map<string, string>): PolicyFileSystem {
  return {
    readFile: async (p) => {
      const t = files.get(p);
      if (t === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return new TextEncoder().encode(t);
    },
    readDirectory: async () => [],
  };
}

/** Problems with applying every fix of every finding in the case (empty when nothing is lost). */
async function check(c: Case, v: Variant): Promise<{ problems: string[]; fixes: number }> {
  const files = new Map([...c.files].map(([p, t]) => [p, transform(p, t, v)]));
  const service = createPolicyService({ fs: memoryFs(files), now: () => FIXTURE_NOW });
  for (const p of files.keys()) await service.load(p);
  const problems: string[] = [];
  let count = 0;
  for (const finding of service.analyzeAll()) {
    const rule = ruleById(finding.ruleId);
    if (!rule?.fix) continue;
    for (const fix of rule.fix(finding, service.view(service.tenantRootOf(finding.file)))) {
      count++;
      const byFile = new Map<string, TextEdit[]>();
      for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
      for (const [file, edits] of byFile) {
        const where = `${relative(FIXTURES, c.dir)} ${JSON.stringify(v)}: ${rule.id} "${fix.title}" on ${relative(c.dir, file)}`;
        const before = service.get(file)!.parsed.text;
        const after = applyEdits(before, edits);
        // Outside the edits, byte for byte: the result is the original's untouched runs with each edit's text between.
        const sorted = [...new Map(edits.map((e) => [`${e.span.offset}:${e.span.length}:${e.newText}`, e])).values()].sort((a, b) => a.span.offset - b.span.offset);
        let expected = '';
        let at = 0;
        for (const e of sorted) {
          if (e.span.offset < at) problems.push(`${where}: overlapping edits`);
          expected += before.slice(at, e.span.offset) + e.newText;
          at = e.span.offset + e.span.length;
        }
        expected += before.slice(at);
        if (after !== expected) problems.push(`${where}: the file changed outside the fix's edits`);
        // Comments survive: none of the original's comments is missing afterwards.
        const left = comments(after);
        for (const comment of comments(before)) {
          const i = left.indexOf(comment);
          if (i < 0) problems.push(`${where}: the comment "${comment}" is gone`);
          else left.splice(i, 1);
        }
        // CRLF survives: a CRLF file gets no bare LF.
        const wasCrlf = before.includes('\r\n') && !/(^|[^\r])\n/.test(before);
        if (wasCrlf && /(^|[^\r])\n/.test(after)) problems.push(`${where}: a line lost its CRLF`);
        if (!before.includes('\r') && after.includes('\r')) problems.push(`${where}: a CR appeared in an LF file`);
        // And the file still parses.
        const reparsed = parseText(file, after);
        if (reparsed.syntaxErrors.length) problems.push(`${where}: the result does not parse: ${reparsed.syntaxErrors[0]!.message}`);
      }
    }
  }
  return { problems, fixes: count };
}

test('nothing lost: every fix edits only its own spans, keeps comments and CRLF, and leaves a file that parses', { timeout: 120_000 }, async () => {
  const cases = casesWithFixes();
  assert.ok(cases.length >= 20, `${cases.length} cases with fixes`);
  // Every case once as it is, and once in CRLF.
  let fixes = 0;
  for (const c of cases) {
    for (const crlf of [false, true]) {
      const r = await check(c, { crlf, commentsAt: [] });
      assert.deepEqual(r.problems, []);
      fixes += r.fixes;
    }
  }
  assert.ok(fixes >= 40, `${fixes} fixes checked`);
  console.log(`${cases.length} fixture cases with fixes, ${fixes} fixes checked (LF and CRLF)`);
  // Then random cases, line endings and comment lines (seeded).
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: cases.length - 1 }), fc.boolean(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }), async (i, crlf, commentsAt) => {
      const r = await check(cases[i]!, { crlf, commentsAt });
      assert.deepEqual(r.problems, []);
    }),
    { numRuns: 300, seed: 20260601 },
  );
});

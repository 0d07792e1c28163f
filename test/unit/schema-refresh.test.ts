/**
 * The schemas' Graph metadata snapshot: recorded, shown, and refreshable from newer metadata by one command
 * (`npm run schemas -- --v1-csdl … --beta-csdl … --date … --source …`; docs/schemas.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSchemas } from '../../scripts/schema-gen/generate';
import { graphTypesText, importMetadata, parseCsdl } from '../../scripts/schema-gen/metadata-import';
import type { GraphTypesFile } from '../../scripts/schema-gen/graph-model';
import { GRAPH_SNAPSHOT } from '../../server/src/core/schema/schemas';

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'schemas', 'src');
const committed = (): GraphTypesFile => JSON.parse(readFileSync(join(SRC, 'graph-types.json'), 'utf8'));

test('graph-types.json records the date and source of its metadata snapshot', () => {
  const file = committed();
  assert.match(file.snapshot?.date ?? '', /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(file.snapshot?.source, 'snapshot.source says where the metadata came from');
});

test('regenerating the schemas records the snapshot date in every schema, and the committed schemas are current', () => {
  const { files, snapshot } = generateSchemas(SRC);
  assert.equal(snapshot.date, committed().snapshot!.date);
  for (const [name, schema] of files) {
    assert.equal(schema['x-graphSnapshot'], snapshot.date, `${name} records the snapshot`);
    assert.equal(readFileSync(join(ROOT, 'schemas', name), 'utf8'), JSON.stringify(schema, null, 2) + '\n', `schemas/${name} is current (npm run schemas)`);
  }
  assert.equal(GRAPH_SNAPSHOT, snapshot.date, 'the bundled schemas show the same date the analysis names');
});

/** CSDL written from a graph-types.json (beta types untyped), with extra properties per type. */
function csdlOf(file: GraphTypesFile, version: 'v1_0' | 'beta', extra: Record<string, string[]> = {}): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>', '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>'];
  out.push('<Schema Namespace="microsoft.graph.callRecords" xmlns="http://docs.oasis-open.org/odata/ns/edm"><ComplexType Name="conditionalAccessPolicy"><Property Name="decoy" Type="Edm.String"/></ComplexType></Schema>');
  out.push('<Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">');
  const enumNames = new Set([...Object.keys(file.v1_0.enums), ...(version === 'beta' ? Object.keys(file.beta.enums) : [])]);
  for (const name of enumNames) {
    const v1 = file.v1_0.enums[name];
    const members = version === 'beta' && file.beta.enums[name] ? file.beta.enums[name]! : v1!.members;
    out.push(`<EnumType Name="${name}"${v1?.flags ? ' IsFlags="true"' : ''}>${members.map((m, i) => `<Member Name="${m}" Value="${i}"/>`).join('')}</EnumType>`);
  }
  const typeNames = new Set([...Object.keys(file.v1_0.types), ...(version === 'beta' ? Object.keys(file.beta.types) : [])]);
  for (const name of typeNames) {
    const v1 = file.v1_0.types[name];
    const kind = v1?.kind ?? 'ComplexType';
    const head = `<${kind} Name="${name}"${v1?.base ? ` BaseType="graph.${v1.base}"` : ''}${v1?.abstract ? ' Abstract="true"' : ''}>`;
    const props: string[] = [];
    const typed = v1?.properties ?? {};
    const names = version === 'beta' && file.beta.types[name] ? file.beta.types[name]!.properties : Object.keys(typed);
    for (const p of names) {
      const t = typed[p];
      const type = t ? t.type.replace(/^(Collection\()?(?!Edm\.)([A-Za-z0-9_]+)/, (_m, c: string | undefined, n: string) => `${c ?? ''}graph.${n}`) : 'Edm.String';
      props.push(`<Property Name="${p}" Type="${type}"${t && !t.nullable ? ' Nullable="false"' : ''}><Annotation Term="Org.OData.Core.V1.Description" String="x"/></Property>`);
    }
    for (const p of extra[name] ?? []) props.push(`<Property Name="${p}" Type="Edm.String"/>`);
    const nav = version === 'beta' && file.beta.types[name] ? file.beta.types[name]!.navigation : (v1?.navigation ?? []);
    for (const n of nav) props.push(`<NavigationProperty Name="${n}" Type="Collection(graph.entity)" ContainsTarget="true"/>`);
    out.push(`${head}${props.join('')}</${kind}>`);
  }
  out.push('</Schema></edmx:DataServices></edmx:Edmx>');
  return out.join('\n');
}

test('refreshing from newer CSDL keeps the selection, records the new snapshot, and the schemas take the new properties', () => {
  const previous = committed();
  const v1 = parseCsdl(csdlOf(previous, 'v1_0'));
  const beta = parseCsdl(csdlOf(previous, 'beta', { conditionalAccessSessionControls: ['brandNewSessionControl'] }));
  assert.equal(v1.types.get('conditionalAccessPolicy')?.properties.some((p) => p.name === 'decoy'), false, 'other namespaces are skipped');
  const next = importMetadata({ previous, v1, beta, snapshot: { date: '2027-01-15', source: 'msgraph-metadata @ test' } });
  assert.deepEqual(next.snapshot, { date: '2027-01-15', source: 'msgraph-metadata @ test' });
  assert.deepEqual(next.v1_0, previous.v1_0, 'the same metadata gives the same v1.0 types');
  assert.ok(next.beta.types.conditionalAccessSessionControls!.properties.includes('brandNewSessionControl'));
  assert.throws(() => importMetadata({ previous, v1, beta, snapshot: { date: 'Jan 2027', source: 'x' } }), /YYYY-MM-DD/);

  const dir = mkdtempSync(join(tmpdir(), 'ztp-schemas-'));
  try {
    cpSync(SRC, dir, { recursive: true });
    writeFileSync(join(dir, 'graph-types.json'), graphTypesText(next));
    const { files, snapshot } = generateSchemas(dir);
    assert.equal(snapshot.date, '2027-01-15');
    const ca = files.get('conditional-access-policy.schema.json')!;
    assert.equal(ca['x-graphSnapshot'], '2027-01-15');
    assert.match(String(ca.description), /2027-01-15/);
    const defs = ca.definitions as Record<string, { properties: Record<string, unknown> }>;
    assert.ok(defs.conditionalAccessSessionControls!.properties.brandNewSessionControl, 'a property the new metadata lists is in the schema');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the committed graph-types.json is written in the refresh command\'s own format', () => {
  assert.equal(graphTypesText(committed()), readFileSync(join(SRC, 'graph-types.json'), 'utf8'));
  assert.ok(readdirSync(SRC).includes('beta-overlay.json'));
});

test('the overlay\'s documented ranges reach the schemas, and a range on a property that is not an integer is refused', async () => {
  const { GraphModel } = await import('../../scripts/schema-gen/graph-model');
  const src = join(__dirname, '..', '..', 'schemas', 'src');
  const raw = JSON.parse(readFileSync(join(src, 'graph-types.json'), 'utf8'));
  const overlay = JSON.parse(readFileSync(join(src, 'beta-overlay.json'), 'utf8'));
  const model = new GraphModel(raw, overlay);
  assert.deepEqual(model.ranges.get('deviceEnrollmentLimitConfiguration.limit'), { minimum: 1, maximum: 15 });
  const enrollment = readFileSync(join(__dirname, '..', '..', 'schemas', 'enrollment-restriction.schema.json'), 'utf8');
  assert.match(enrollment, /"limit": \{\s*"type": "integer",[^}]*"minimum": 1,\s*"maximum": 15/);
  const bad = { ...overlay, ranges: { 'deviceEnrollmentConfiguration.displayName': { maximum: 3, source: 'x' } } };
  assert.throws(() => new GraphModel(raw, bad), /not an integer/);
  const unsourced = { ...overlay, ranges: { 'deviceEnrollmentLimitConfiguration.limit': { maximum: 3 } } };
  assert.throws(() => new GraphModel(raw, unsourced), /has no source/);
});

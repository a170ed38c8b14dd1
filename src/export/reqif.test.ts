import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExportedRecords } from '../app/use-cases/export-records.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { readReqif, reqifToPlan } from '../ingest/reqif.js';
import { withDefaults, type ReqifMap } from '../ingest/reqif-map.js';
import { writeReqif } from './reqif.js';

type Rec = ExportedRecords['records'][number];

const rec = (type: string, number: number, title: string, body: string, fields: Record<string, unknown>, at = '2026-05-01T10:00:00.000Z'): Rec => ({
  key: `${type}-${number}`,
  type,
  number,
  status: 'draft',
  revision: 1,
  title,
  body,
  fields,
  hash: 'h',
  revisedAt: at,
  revisedBy: 'erin',
});

const sample: ExportedRecords = {
  product: { key: 'RPM', name: 'Remote Patient Monitor' },
  records: [
    rec('PPI', 1, 'Complaint about alarm volume', '', { kind: 'complaint', receivedOn: '2026-03-04' }),
    rec('SRS', 1, 'Encrypt data in transit', 'Use **TLS 1.3**.\n\n- no downgrade\n- HSTS', { priority: 'must', riskControl: true, externalId: 'DOORS 42' }),
    rec('SRS', 2, 'Session timeout', 'After 15 min idle.', { priority: 'could', category: 'security', riskControl: false }, '2026-05-02T09:00:00.000Z'),
    rec('SRS', 3, 'Timeout warning', 'Warn 1 min before.', { riskControl: false }),
    rec('TC', 1, 'TLS handshake', 'Steps below.', { level: 'system', steps: [{ action: 'connect', expected: 'TLS 1.3' }], automated: true }),
  ],
  links: [
    { id: 7, type: 'verifies', from: 'TC-1', to: 'SRS-1', fromRevision: 1, toRevision: 1 },
    { id: 8, type: 'refines', from: 'SRS-3', to: 'SRS-2', fromRevision: 1, toRevision: 1 },
  ],
};

const roundTrip = (data: ExportedRecords, map: ReqifMap): ReturnType<typeof reqifToPlan> => {
  const xml = writeReqif(data, map, DEFAULT_CATALOG);
  return reqifToPlan(readReqif(xml, 'out.reqif'), map, DEFAULT_CATALOG);
};

describe('writing ReqIF', () => {
  const map = withDefaults(undefined, DEFAULT_CATALOG);

  it('writes a header, datatypes, a spec object type per record type, objects, relations and specifications, deterministically', () => {
    const xml = writeReqif(sample, map, DEFAULT_CATALOG);
    expect(writeReqif(sample, map, DEFAULT_CATALOG)).toBe(xml);
    const doc = readReqif(xml, 'out.reqif');
    expect(doc.problems).toEqual([]);
    expect(doc.header).toMatchObject({ tool: 'Dossier', title: 'Remote Patient Monitor (RPM)', creationTime: '2026-05-02T09:00:00.000Z' });
    expect(doc.types.filter((t) => t.kind === 'SPEC-OBJECT-TYPE').map((t) => t.name)).toEqual(['Post-production information', 'Software requirement', 'Test case'].map((n) => expect.stringMatching(new RegExp(n, 'i')) as unknown as string));
    const srs = doc.types.find((t) => t.id === 'dossier-type-SRS');
    expect(srs?.attributes.map((a) => `${a.name}:${a.kind}`)).toEqual(expect.arrayContaining(['ReqIF.Name:STRING', 'ReqIF.Text:XHTML', 'priority:ENUMERATION', 'riskControl:BOOLEAN', 'externalId:STRING']));
    expect(doc.objects.map((o) => o.id)).toEqual(['RPM-PPI-1', 'DOORS_42', 'RPM-SRS-2', 'RPM-SRS-3', 'RPM-TC-1']);
    expect(doc.relations.map((r) => `${r.source} ${r.type?.name ?? ''} ${r.target}`)).toEqual(['RPM-TC-1 verifies DOORS_42', 'RPM-SRS-3 refines RPM-SRS-2']);
    expect(doc.specifications.map((s) => s.children.length)).toEqual([1, 3, 1]);
    expect(xml).toContain('<xhtml:strong>TLS 1.3</xhtml:strong>');
  });

  it('reads back its own output losslessly: titles, bodies, fields and links', () => {
    const r = roundTrip(sample, map);
    expect(r.problems).toEqual([]);
    expect((r.plan.records ?? []).map((x) => [x.type, x.title, x.body, x.fields])).toEqual(sample.records.map((x) => [x.type, x.title, x.body, x.fields]));
    const keyOf = new Map((r.plan.records ?? []).map((x, i) => [x.ref, sample.records[i]?.key]));
    expect((r.plan.links ?? []).map((l) => `${keyOf.get(l.from)} ${l.type} ${keyOf.get(l.to)}`)).toEqual(['TC-1 verifies SRS-1', 'SRS-3 refines SRS-2']);
  });

  it('nests records under their parent with a hierarchy link in the map, and reads the nesting back as that link', () => {
    const hmap: ReqifMap = { ...map, hierarchy: { link: 'refines', reverse: false } };
    const xml = writeReqif(sample, hmap, DEFAULT_CATALOG);
    const doc = readReqif(xml, 'out.reqif');
    expect(doc.relations).toHaveLength(1);
    const srsSpec = doc.specifications.find((s) => /software/i.test(s.name));
    expect(srsSpec?.children.map((h) => [h.object, h.children.map((c) => c.object)])).toEqual([['DOORS_42', []], ['RPM-SRS-2', ['RPM-SRS-3']]]);
    const r = reqifToPlan(doc, hmap, DEFAULT_CATALOG);
    expect((r.plan.links ?? []).map((l) => `${l.from} ${l.type} ${l.to}`)).toEqual(['RPM-TC-1 verifies DOORS_42', 'RPM-SRS-3 refines RPM-SRS-2']);
  });

  it('uses the names a map gives, and enumeration labels from its values', () => {
    const named: ReqifMap = {
      types: [{ reqif: 'Software Requirement', type: 'SRS', title: 'Heading', body: 'Text', fields: { Priority: { field: 'priority', values: { High: 'must', Low: 'could' } } }, set: {}, externalId: 'identifier' }],
      relations: [{ reqif: 'Verified By', link: 'verifies', reverse: true }],
    };
    const m = withDefaults(named, DEFAULT_CATALOG);
    const xml = writeReqif(sample, m, DEFAULT_CATALOG);
    expect(xml).toContain('LONG-NAME="Software Requirement"');
    expect(xml).toContain('LONG-NAME="Heading"');
    expect(xml).toContain('LONG-NAME="High"');
    const doc = readReqif(xml, 'out.reqif');
    expect(doc.relations.map((r) => `${r.source} ${r.type?.name ?? ''} ${r.target}`)).toContain('DOORS_42 Verified By RPM-TC-1');
    const r = reqifToPlan(doc, m, DEFAULT_CATALOG);
    expect(r.problems).toEqual([]);
    // The identifier carries externalId here: a record without one gets its Dossier identifier as externalId.
    expect((r.plan.records ?? []).filter((x) => x.type === 'SRS').map((x) => x.fields)).toEqual([
      { priority: 'must', riskControl: true, externalId: 'DOORS_42' },
      { priority: 'could', category: 'security', riskControl: false, externalId: 'RPM-SRS-2' },
      { riskControl: false, externalId: 'RPM-SRS-3' },
    ]);
    expect((r.plan.links ?? []).map((l) => `${l.from} ${l.type} ${l.to}`)).toContain('RPM-TC-1 verifies DOORS_42');
  });

  it('refuses a text XML cannot carry, naming the record', () => {
    const bad = { ...sample, records: [rec('SRS', 9, 'Bell \u0007 here', '', {})] };
    expect(() => writeReqif(bad, map, DEFAULT_CATALOG)).toThrow(/record SRS-9: its title holds a control character/);
  });

  it('reads back any generated records exactly (property)', () => {
    // eslint-disable-next-line no-control-regex -- removing what XML 1.0 cannot carry is the point
    const xmlSafe = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((s) => xmlSafe(s).trim()).filter((s) => s !== '');
    const title = text.map((s) => s.replace(/[\r\n]+/g, ' ').trim()).filter((s) => s !== '');
    const md = fc.oneof(
      fc.constant(''),
      text,
      fc.array(fc.oneof(text, text.map((t) => `**${t}**`), text.map((t) => `- ${t}`), text.map((t) => `# ${t}`)), { maxLength: 5 }).map((p) => p.join('\n\n')),
    );
    const srs = fc.record(
      { priority: fc.constantFrom('must', 'should', 'could'), category: fc.constantFrom('functional', 'security'), rationale: text, externalId: text, riskControl: fc.boolean() },
      { requiredKeys: ['riskControl'] },
    );
    const tc = fc.record(
      { level: fc.constantFrom('unit', 'integration', 'system'), steps: fc.array(fc.record({ action: text, expected: text }), { maxLength: 2 }), automated: fc.boolean(), acceptanceCriteria: text },
      { requiredKeys: ['level', 'steps', 'automated'] },
    );
    const records = fc.tuple(fc.array(fc.tuple(title, md, srs), { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(title, md, tc), { maxLength: 3 }));
    fc.assert(
      fc.property(records, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }), ([s, t], pairs) => {
        const all = [...s.map(([ti, b, f], i) => rec('SRS', i + 1, ti, b, f)), ...t.map(([ti, b, f], i) => rec('TC', i + 1, ti, b, f))];
        const tcs = all.filter((r) => r.type === 'TC');
        const srss = all.filter((r) => r.type === 'SRS');
        const seen = new Set<string>();
        const links = pairs
          .map(([a, b], i) => ({ id: i + 1, type: 'verifies', from: tcs[a % Math.max(1, tcs.length)]?.key ?? '', to: srss[b % srss.length]?.key ?? '', fromRevision: 1, toRevision: 1 }))
          .filter((l) => l.from !== '' && !seen.has(`${l.from} ${l.to}`) && seen.add(`${l.from} ${l.to}`));
        const data: ExportedRecords = { product: { key: 'P', name: 'P & <Q>' }, records: all, links };
        const r = roundTrip(data, map);
        expect(r.problems).toEqual([]);
        expect((r.plan.records ?? []).map((x) => [x.type, x.title, x.body, x.fields])).toEqual(all.map((x) => [x.type, x.title, x.body, x.fields]));
        const keyOf = new Map((r.plan.records ?? []).map((x, i) => [x.ref, all[i]?.key]));
        expect((r.plan.links ?? []).map((l) => `${keyOf.get(l.from)} ${keyOf.get(l.to)}`)).toEqual(links.map((l) => `${l.from} ${l.to}`));
      }),
      { numRuns: 150 },
    );
  });
});

describe('writing a deep hierarchy', () => {
  it('nests at most 100 levels and writes deeper links as relations, so the file reads back', () => {
    const records = Array.from({ length: 150 }, (_, i) => rec('SRS', i + 1, `Level ${i + 1}`, '', { riskControl: false }));
    const links = records.slice(1).map((r, i) => ({ id: i + 1, type: 'refines', from: r.key, to: `SRS-${i + 1}`, fromRevision: 1, toRevision: 1 }));
    const map: ReqifMap = { ...withDefaults(undefined, DEFAULT_CATALOG), hierarchy: { link: 'refines', reverse: false } };
    const xml = writeReqif({ product: { key: 'P', name: 'P' }, records, links }, map, DEFAULT_CATALOG);
    const r = reqifToPlan(readReqif(xml, 'deep.reqif'), map, DEFAULT_CATALOG);
    expect(r.problems).toEqual([]);
    expect(r.plan.links).toHaveLength(149);
  });
});

import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/hashing.js';
import { markdownBlocks } from '../core/documents/markdown.js';
import type { Block, GeneratedDocument, RecordPage, TechnicalFile } from '../core/documents/model.js';

/**
 * Document models for renderer tests and benchmarks, built without a store: a small realistic document, and a
 * synthetic technical file of any size (SYS ← SRS ← TC, like the benchmark project). Deterministic.
 */

const PRODUCT = { key: 'RPM', name: 'VitalLink Remote Patient Monitoring', safetyClass: 'B', intendedUse: 'Remote monitoring of vital signs.' };
const BASELINE = { kind: 'release' as const, label: '1.2.0', hash: 'a'.repeat(64) };
const AT = '2026-11-30T12:00:00.000Z';

function withHash(doc: Omit<GeneratedDocument, 'contentHash'>): GeneratedDocument {
  const { generatedAt: _, ...rest } = doc;
  return { ...doc, contentHash: createHash('sha256').update(canonicalJson(rest)).digest('hex') };
}

/** A small software requirements specification with every kind of block, a gap, a signature and a sheet table. */
export function aDocument(overrides: Partial<Omit<GeneratedDocument, 'contentHash'>> = {}): GeneratedDocument {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: 'Purpose', anchor: 'purpose' },
    ...markdownBlocks('This specification lists the **software requirements** of VitalLink. See [SRS-1](SRS-1) and [the guidance](https://example.com/guide).'),
    { kind: 'heading', level: 1, text: 'Requirements', anchor: 'requirements' },
    {
      kind: 'record',
      key: 'SRS-1',
      type: 'SRS',
      title: 'Encrypt vital-sign data in transit',
      revision: 2,
      status: 'approved',
      fields: [
        { label: 'Category', value: 'security' },
        { label: 'Risk control', value: 'yes' },
      ],
      body: markdownBlocks('All data leaving the phone **shall** use TLS 1.3.\n\n- mutual authentication\n- certificate pinning'),
    },
    {
      kind: 'record',
      key: 'SRS-2',
      type: 'SRS',
      title: 'Alarm on lost connection — ünïcödé & <special> "chars"',
      revision: 1,
      status: 'draft',
      fields: [],
      body: markdownBlocks('Raise an alarm within 30 s.\n\n```\nretry(3)\n```'),
    },
    { kind: 'heading', level: 2, text: 'Traceability', anchor: 'traceability' },
    {
      kind: 'table',
      sheet: 'Trace matrix',
      caption: 'Requirement → verification',
      columns: [{ title: 'Requirement', width: 1 }, { title: 'Title', width: 3 }, { title: 'Verified by', width: 1 }],
      rows: [
        [{ inlines: [{ kind: 'link', text: 'SRS-1', target: { record: 'SRS-1' } }] }, { inlines: [{ kind: 'text', text: 'Encrypt vital-sign data in transit' }] }, { inlines: [{ kind: 'link', text: 'TC-1', target: { record: 'TC-1' } }], tone: 'ok' }],
        [{ inlines: [{ kind: 'link', text: 'SRS-2', target: { record: 'SRS-2' } }] }, { inlines: [{ kind: 'text', text: 'Alarm on lost connection' }] }, { inlines: [{ kind: 'text', text: 'not verified' }], tone: 'gap' }],
      ],
    },
    { kind: 'gap', text: 'SRS-2 has no verifying test.' },
    { kind: 'pagebreak' },
    { kind: 'heading', level: 1, text: 'Glossary', anchor: 'glossary' },
    { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'SOUP: software of unknown provenance' }], [{ kind: 'text', text: 'TLS', code: true }]] },
    { kind: 'code', text: 'GET /api/v1/vitals' },
  ];
  return withHash({
    id: 'srs',
    title: 'Software requirements specification',
    clauses: ['IEC 62304 5.2'],
    product: PRODUCT,
    baseline: BASELINE,
    generatedAt: AT,
    history: [
      { revision: '1', date: '2026-10-01', author: 'Dana Engineer', description: 'First issue' },
      { revision: '2', date: '2026-11-15', author: 'Dana Engineer', description: 'Adds the alarm requirement' },
    ],
    signatures: [
      { printedName: 'Quinn Quality', username: 'quinn.qa', at: '2026-11-20T09:30:00Z', meaning: 'reviewed', signed: 'RPM/DOC-2@2' },
      { printedName: 'Avery Approver', username: 'avery.approver', at: '2026-11-21T16:05:00Z', meaning: 'approved', signed: 'RPM/DOC-2@2' },
    ],
    blocks,
    gaps: ['SRS-2 has no verifying test.'],
    records: ['SRS-1', 'SRS-2', 'TC-1'],
    ...overrides,
  });
}

const WORDS = 'system shall provide monitor alarm patient infusion rate display operator dose limit verify log event record sensor pressure battery network user'.split(' ');
function sentence(seed: number, n: number): string {
  return Array.from({ length: n }, (_, k) => WORDS[(seed * 31 + k * 17) % WORDS.length]).join(' ');
}

/**
 * A technical file of `sys` SYS, 5·`sys` SRS and 20·`sys` TC records (26,000 at 1,000), each with a page, and two
 * documents: an SRS with every requirement in full and a trace matrix (one row per requirement, a sheet table).
 */
export function syntheticTechnicalFile(sys: number): TechnicalFile {
  const nSrs = sys * 5;
  const nTc = sys * 20;
  const pages: RecordPage[] = [];
  const title = (type: string, k: number): string => `${type} ${k}: ${sentence(k, 6)}`;
  const srsOf = (k: number): number => ((k - 1) % Math.max(1, Math.floor(nSrs * 0.97))) + 1;
  const sysOf = (k: number): number => ((k - 1) % Math.max(1, Math.floor(sys * 0.95))) + 1;
  const testsOf = new Map<number, number[]>();
  for (let k = 1; k <= nTc; k++) testsOf.set(srsOf(k), [...(testsOf.get(srsOf(k)) ?? []), k]);
  const page = (type: string, k: number, up: RecordPage['upstream'], down: RecordPage['downstream']): RecordPage => ({
    key: `${type}-${k}`,
    type,
    typeName: type,
    title: title(type, k),
    status: k % 3 === 0 ? 'draft' : 'approved',
    revision: 1 + (k % 2),
    hash: createHash('sha256').update(`${type}-${k}`).digest('hex'),
    fields: [{ label: 'Level', value: `${Math.floor(k / 100) + 1}.${(k % 100) + 1}` }],
    body: markdownBlocks(`The ${type} item ${k} **shall** ${sentence(k, 14)}.\n\nRationale: ${sentence(k + 1, 12)}.`),
    upstream: up,
    downstream: down,
    signatures: [],
  });
  const srsBySys = new Map<number, number[]>();
  for (let k = 1; k <= nSrs; k++) srsBySys.set(sysOf(k), [...(srsBySys.get(sysOf(k)) ?? []), k]);
  for (let k = 1; k <= sys; k++) {
    pages.push(page('SYS', k, [], (srsBySys.get(k) ?? []).map((s) => ({ linkType: 'derives_from', key: `SRS-${s}`, title: title('SRS', s), suspect: false }))));
  }
  for (let k = 1; k <= nSrs; k++) {
    pages.push(
      page(
        'SRS',
        k,
        [{ linkType: 'derives_from', key: `SYS-${sysOf(k)}`, title: title('SYS', sysOf(k)), suspect: k % 50 === 0 }],
        (testsOf.get(k) ?? []).map((t) => ({ linkType: 'verifies', key: `TC-${t}`, title: title('TC', t), suspect: false })),
      ),
    );
  }
  for (let k = 1; k <= nTc; k++) pages.push(page('TC', k, [{ linkType: 'verifies', key: `SRS-${srsOf(k)}`, title: title('SRS', srsOf(k)), suspect: false }], []));

  const srsPages = pages.filter((p) => p.type === 'SRS');
  const srs = withHash({
    id: 'srs',
    title: 'Software requirements specification',
    clauses: ['IEC 62304 5.2'],
    product: PRODUCT,
    baseline: BASELINE,
    generatedAt: AT,
    history: [{ revision: '1', date: '2026-11-30', author: 'Bench', description: 'Synthetic' }],
    signatures: [],
    blocks: [
      { kind: 'heading', level: 1, text: 'Requirements', anchor: 'requirements' },
      ...srsPages.map((p): Block => ({ kind: 'record', key: p.key, type: p.type, title: p.title, revision: p.revision, status: p.status, fields: p.fields, body: p.body })),
    ],
    gaps: [],
    records: srsPages.map((p) => p.key),
  });
  const matrix = withHash({
    id: 'trace-matrix',
    title: 'Trace matrix',
    clauses: ['IEC 62304 5.1.1', 'ISO 13485 7.3.10'],
    product: PRODUCT,
    baseline: BASELINE,
    generatedAt: AT,
    history: [],
    signatures: [],
    blocks: [
      { kind: 'heading', level: 1, text: 'Requirement → verification', anchor: 'req-ver' },
      {
        kind: 'table',
        sheet: 'Requirement to test',
        columns: [{ title: 'Requirement' }, { title: 'Title', width: 3 }, { title: 'Verified by', width: 2 }],
        rows: srsPages.map((p) => {
          const tests = testsOf.get(Number(p.key.slice(4))) ?? [];
          return [
            { inlines: [{ kind: 'link', text: p.key, target: { record: p.key } }] },
            { inlines: [{ kind: 'text', text: p.title }] },
            tests.length === 0
              ? { inlines: [{ kind: 'text', text: 'not verified' }], tone: 'gap' }
              : { inlines: tests.flatMap((t, i) => [...(i === 0 ? [] : [{ kind: 'text' as const, text: ', ' }]), { kind: 'link' as const, text: `TC-${t}`, target: { record: `TC-${t}` } }]), tone: 'ok' },
          ];
        }),
      },
    ],
    gaps: [],
    records: srsPages.map((p) => p.key),
  });
  return { product: PRODUCT, baseline: BASELINE, generatedAt: AT, documents: [srs, matrix], records: pages };
}

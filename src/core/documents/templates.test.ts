import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedTemplates } from '../../ingest/document-templates.js';
import { AppError } from '../errors.js';
import { generateDocuments } from './generate.js';
import type { Block } from './model.js';
import type { BaselineSnapshot } from './snapshot.js';
import { parseTemplate, renderTemplate, templatesInForce } from './templates.js';

const FM = '---\ntitle: T\nclauses: [IEC 62304 5.1]\n---\n';

function refusal(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('no refusal');
}

/** A tiny baseline by hand: two requirements, one verified, one user need without validation. */
const snapshot: BaselineSnapshot = {
  product: { key: 'P', name: 'Pump & Co <b>', safetyClass: 'B', intendedUse: 'Helps.' },
  baseline: { kind: 'now', label: 'current state', hash: 'a'.repeat(64) },
  release: null,
  asOf: '2026-01-01T00:00:00.000Z',
  typeNames: { UN: 'User need', SYS: 'System requirement', SRS: 'Software requirement', TC: 'Test case' },
  records: [
    { key: 'UN-1', type: 'UN', number: 1, status: 'approved', revision: 1, title: 'Need', body: '', fields: {}, hash: 'h1', revisedAt: '2026-01-01T00:00:00.000Z', revisedBy: 'a' },
    { key: 'SRS-1', type: 'SRS', number: 1, status: 'approved', revision: 2, title: 'Req one', body: 'Body **bold** and <script>x</script>', fields: { kind: 'functional' }, hash: 'h2', revisedAt: '2026-01-01T00:00:00.000Z', revisedBy: 'a' },
    { key: 'SRS-2', type: 'SRS', number: 2, status: 'draft', revision: 1, title: 'Req two', body: '', fields: {}, hash: 'h3', revisedAt: '2026-01-01T00:00:00.000Z', revisedBy: 'a' },
    { key: 'TC-1', type: 'TC', number: 1, status: 'approved', revision: 1, title: 'Test', body: '', fields: { level: 'system' }, hash: 'h4', revisedAt: '2026-01-01T00:00:00.000Z', revisedBy: 'a' },
  ],
  links: [
    { id: 1, type: 'derives_from', from: 'SRS-1', to: 'UN-1', suspect: false },
    { id: 2, type: 'verifies', from: 'TC-1', to: 'SRS-1', suspect: true },
  ],
  testRuns: [],
  results: [],
  verdicts: { 'TC-1': 'passed', 'SRS-1': 'passed' },
  risk: { asOf: '2026-01-01', policyRecord: null, policyRevision: 0, rows: [], zoneTotals: { initial: { acceptable: 0, reduce: 0, unacceptable: 0 }, residual: { acceptable: 0, reduce: 0, unacceptable: 0 } } },
  gate: { kind: 'rule check', passed: true, failOn: 'error', findings: [], residualAnomalies: [] },
  recordSignatures: {},
  releaseSignatures: [],
  documentHistory: {},
};

describe('document templates', () => {
  it('parses front matter and refuses bad templates, naming the file, line and field', () => {
    expect(parseTemplate('x', `${FM}# Hi\n`, 'f.md')).toMatchObject({ id: 'x', title: 'T', clauses: ['IEC 62304 5.1'], order: 100, body: '# Hi\n' });
    expect(refusal(() => parseTemplate('x', '# no front matter', 'f.md')).message).toBe('f.md:1: a template starts with front matter between --- lines (title, clauses)');
    expect(refusal(() => parseTemplate('x', '---\ntitle: [a\n---\n', 'f.md')).message).toMatch(/^f\.md:\d+: front matter is not valid YAML/);
    expect(refusal(() => parseTemplate('x', '---\ntitle: T\n---\n', 'f.md')).message).toMatch(/^f\.md: front matter field clauses: /);
    expect(refusal(() => parseTemplate('x', '---\ntitle: T\nclauses: [a]\nextra: 1\n---\n', 'f.md')).message).toMatch(/^f\.md: front matter: /);
    expect(refusal(() => parseTemplate('x', `${FM}line\n{{#if a}}\n`, 'f.md')).message).toMatch(/^f\.md(:\d+)?: the template does not parse/);
    expect(refusal(() => parseTemplate('Bad_ID', FM, 'f.md')).message).toMatch(/lower-case words joined by hyphens/);
  });

  it('refuses any text it cannot use with INVALID_INPUT, never another error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.boolean(), (body, withFm) => {
        try {
          parseTemplate('x', withFm ? `---\n${body}\n---\n${body}` : body, 'f.md');
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('INVALID_INPUT');
        }
      }),
    );
  });

  it('fills placeholders without HTML escaping and puts parts in place; an unknown part is refused', () => {
    const t = parseTemplate('x', `${FM}# About {{product.name}}\n\nBefore.\n\n{{{part "p" "A" "B"}}}\n\nAfter.\n`, 'f.md');
    const blocks = renderTemplate(t, { product: { name: 'A & B' } }, { p: (args) => [{ kind: 'gap', text: args.join('+') }] });
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'gap', 'paragraph']);
    expect(blocks[0]).toMatchObject({ text: 'About A & B' });
    expect(blocks[2]).toEqual({ kind: 'gap', text: 'A+B' });
    expect(refusal(() => renderTemplate(t, {}, {})).message).toMatch(/^f\.md: unknown part "p"/);
  });

  it('every shipped template parses and calls only known parts, for a release and for now', () => {
    const templates = templatesInForce(shippedTemplates());
    expect(templates).toHaveLength(16);
    const docs = generateDocuments(snapshot, templates, '2026-02-02T00:00:00.000Z');
    expect(docs.map((d) => d.id)).toContain('trace-matrix');
  });

  it('builds documents from a small baseline: gaps in place, suspect marks, records named, stable hashes', () => {
    const templates = templatesInForce(shippedTemplates());
    const [tm] = generateDocuments(snapshot, templates, '2026-02-02T00:00:00.000Z', ['trace-matrix']);
    expect(tm?.gaps).toEqual([
      'user needs without validation: UN-1',
      'requirements without a passing verification: SRS-2',
      'requirements with suspect links to review: SRS-1',
      'no risk controls (RC records) to trace',
    ]);
    expect(tm?.records).toEqual(['SRS-1', 'SRS-2', 'TC-1', 'UN-1']);
    const [again] = generateDocuments(snapshot, templates, '2030-01-01T00:00:00.000Z', ['trace-matrix']);
    expect(again?.contentHash).toBe(tm?.contentHash);
    const [srs] = generateDocuments(snapshot, templates, '2026-02-02T00:00:00.000Z', ['software-requirements']);
    const rec = srs?.blocks.find((b): b is Extract<Block, { kind: 'record' }> => b.kind === 'record' && b.key === 'SRS-1');
    expect(rec?.fields).toEqual([{ label: 'Kind', value: 'functional' }]);
    // Raw HTML in a record body stays text.
    expect(JSON.stringify(rec?.body)).toContain('<script>x</script>');
    expect(JSON.stringify(srs?.blocks)).toContain('Pump & Co <b> (P)');
  });
});

describe('documentJson', () => {
  it('writes the same canonical JSON as canonicalJson for document data', async () => {
    const { canonicalJson } = await import('../hashing.js');
    const { documentJson } = await import('./generate.js');
    const docs = generateDocuments(snapshot, templatesInForce(shippedTemplates()), '2026-02-02T00:00:00.000Z');
    for (const d of docs) expect(documentJson(d)).toBe(canonicalJson(d));
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(documentJson(v)).toBe(canonicalJson(v));
      }),
    );
    // Control characters, quotes, backslashes and lone surrogates in keys and values.
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\u0000', '\u001f', '\ud800', '\udc00', '\u2028'), fc.string({ unit: 'binary', maxLength: 1 })) });
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(text, fc.array(text), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))), (v) => {
        expect(documentJson(v)).toBe(canonicalJson(v));
      }),
    );
  });
});

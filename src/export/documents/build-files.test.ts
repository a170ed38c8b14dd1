import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { GeneratedDocument, TechnicalFile } from '../../core/documents/model.js';
import { writeTechnicalFile } from './build-files.js';

// The renderers are written elsewhere; here only what the writer does with their output matters.
vi.mock('./html-site.js', () => ({
  renderHtmlSite: (file: TechnicalFile, emit: (path: string, content: string) => void): void => {
    if (file.product.key === 'BAD') emit('../escape.html', 'x');
    emit('index.html', `<h1>${file.product.name}</h1>`);
    for (const d of file.documents) emit(`documents/${d.id}.html`, d.title);
  },
}));
vi.mock('./pdf.js', () => ({ renderPdf: (d: GeneratedDocument) => Promise.resolve(new TextEncoder().encode(`%PDF-${d.id}`)) }));
vi.mock('./docx.js', () => ({ renderDocx: (d: GeneratedDocument) => Promise.resolve(new TextEncoder().encode(`PK${d.id}`)) }));
vi.mock('./xlsx.js', () => ({ renderXlsx: (d: GeneratedDocument) => Promise.resolve(d.id === 'a' ? new TextEncoder().encode('PKa') : undefined) }));

const doc = (id: string): GeneratedDocument => ({
  id,
  title: `Document ${id}`,
  clauses: ['IEC 62304 5.1'],
  product: { key: 'P', name: 'Product', safetyClass: 'B', intendedUse: 'x' },
  baseline: { kind: 'now', label: 'current state', hash: 'h' },
  generatedAt: '2026-01-01T00:00:00.000Z',
  history: [],
  signatures: [],
  blocks: [],
  gaps: id === 'b' ? ['one gap'] : [],
  records: [],
  contentHash: `c-${id}`,
});
const file = (key = 'P'): TechnicalFile => ({
  product: { key, name: 'Product', safetyClass: 'B', intendedUse: 'x' },
  baseline: { kind: 'now', label: 'current state', hash: 'h' },
  generatedAt: '2026-01-01T00:00:00.000Z',
  documents: [doc('a'), doc('b')],
  records: [],
});

describe('writeTechnicalFile', () => {
  it('writes each format into its folder, skips documents without sheets in XLSX, and lists every file with its SHA-256', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dossier-docs-')), 'out');
    const steps: string[] = [];
    const m = await writeTechnicalFile(file(), out, new Set(['html', 'pdf', 'docx', 'xlsx']), (done, total, phase) => steps.push(`${done}/${total} ${phase}`));
    expect(m.files.map((f) => f.path)).toEqual(['docx/a.docx', 'docx/b.docx', 'html/documents/a.html', 'html/documents/b.html', 'html/index.html', 'pdf/a.pdf', 'pdf/b.pdf', 'xlsx/a.xlsx']);
    for (const f of m.files) {
      const bytes = readFileSync(join(out, f.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      expect(bytes.byteLength).toBe(f.bytes);
    }
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual(m);
    expect(m.documents).toEqual([
      { id: 'a', title: 'Document a', contentHash: 'c-a', gaps: 0 },
      { id: 'b', title: 'Document b', contentHash: 'c-b', gaps: 1 },
    ]);
    expect(steps.at(-1)).toBe('7/7 xlsx b');
    // No temporary file is left behind.
    expect(readdirSync(join(out, 'pdf'))).toEqual(['a.pdf', 'b.pdf']);
  });

  it('writes only the formats asked for', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dossier-docs-'));
    const m = await writeTechnicalFile(file(), out, new Set(['pdf']));
    expect(m.files.map((f) => f.path)).toEqual(['pdf/a.pdf', 'pdf/b.pdf']);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'pdf']);
  });

  it('refuses a page a renderer would put outside the output folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dossier-docs-'));
    await expect(writeTechnicalFile(file('BAD'), join(out, 'site'), new Set(['html']))).rejects.toThrow('a renderer asked to write outside html/: ../escape.html');
    expect(readdirSync(out)).toEqual([]);
  });
});

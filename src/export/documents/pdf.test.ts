import { describe, expect, it } from 'vitest';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { aDocument, syntheticTechnicalFile } from '../../test-support/document-fixtures.js';
import { renderPdf } from './pdf.js';

interface Parsed {
  readonly pages: readonly string[];
  readonly info: Record<string, unknown>;
  /** Link annotations: named destinations inside the PDF and outside addresses. */
  readonly links: readonly { readonly dest?: unknown; readonly url?: string }[];
  /** Every text item as pdf.js reads it (one per string the PDF draws). */
  readonly items: readonly string[];
}

/** The text of every page (items joined by spaces, whitespace collapsed) and the document info dictionary. */
async function parsePdf(bytes: Uint8Array): Promise<Parsed> {
  const pdf = await getDocument({ data: bytes.slice(), useWorkerFetch: false, isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  const links: { dest?: unknown; url?: string }[] = [];
  const items: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    for (const a of (await page.getAnnotations()) as { subtype: string; dest?: unknown; url?: string }[]) {
      if (a.subtype === 'Link') links.push({ dest: a.dest, url: a.url });
    }
    const content = await page.getTextContent();
    const strings = content.items.map((item) => ('str' in item ? item.str : ''));
    items.push(...strings);
    const text = strings.join(' ');
    pages.push(text.replace(/\s+/g, ' ').trim());
  }
  const meta = await pdf.getMetadata();
  await pdf.destroy();
  return { pages, info: meta.info as Record<string, unknown>, links, items };
}

describe('renderPdf', () => {
  it('prints the cover, history, approvals, contents and every block of the document [DOSSIER-SRS-46]', async () => {
    const doc = aDocument();
    const { pages, info, links, items } = await parsePdf(await renderPdf(doc));
    expect(items).toContain('Raise an alarm within 30 s.');
    const all = pages.join('\n');
    expect(pages.length).toBeGreaterThan(1);
    // A record shown in this document is a link target; an outside address is a link; a record not shown is text.
    expect(links.map((l) => l.dest ?? l.url)).toEqual(expect.arrayContaining(['r-SRS-1', 'r-SRS-2', 'https://example.com/guide']));
    expect(links.some((l) => String(l.dest).includes('TC-1'))).toBe(false);
    // Cover page.
    const cover = pages[0] ?? '';
    expect(cover).toContain('VitalLink Remote Patient Monitoring');
    expect(cover).toContain('Product RPM');
    expect(cover).toContain('Software requirements specification');
    expect(cover).toContain('release 1.2.0');
    expect(cover).toContain(doc.baseline.hash);
    expect(cover).toContain('2026-11-30T12:00:00.000Z');
    expect(cover).toContain(doc.contentHash);
    expect(cover).toContain('IEC 62304 class B');
    // Revision history and signatures (21 CFR 11.50: name, date and time with zone, meaning, what was signed).
    expect(all).toContain('Adds the alarm requirement');
    expect(all).toContain('Quinn Quality');
    expect(all).toContain('2026-11-20T09:30:00Z');
    expect(all).toMatch(/reviewed/);
    expect(all).toContain('RPM/DOC-2@2');
    expect(all).toContain('Avery Approver');
    // The table of contents lists the headings with page numbers.
    const toc = pages.find((p) => p.includes('Contents')) ?? '';
    expect(toc).toMatch(/Purpose \d+/);
    expect(toc).toMatch(/Requirements \d+/);
    expect(toc).toMatch(/Traceability \d+/);
    expect(toc).toMatch(/Glossary \d+/);
    // Blocks.
    expect(all).toContain('software requirements');
    expect(all).toContain('SRS-1 r2 (approved) — Encrypt vital-sign data in transit');
    expect(all).toContain('Risk control');
    expect(all).toContain('certificate pinning');
    expect(all).toContain('SRS-2 r1 (draft) — Alarm on lost connection — ünïcödé & <special> "chars"');
    expect(all).toContain('retry(3)');
    expect(all).toContain('Requirement -> verification');
    expect(all).toContain('not verified');
    expect(all).toContain('TC-1');
    expect(all).toContain('Gap: SRS-2 has no verifying test.');
    expect(all).toContain('SOUP: software of unknown provenance');
    expect(all).toContain('GET /api/v1/vitals');
    // The page break puts the glossary on a page of its own.
    expect(pages.findIndex((p) => p.includes('Gap: SRS-2'))).toBeLessThan(pages.findIndex((p) => p.includes('SOUP: software')));
    // Header and footer on every page.
    pages.forEach((p, i) => {
      expect(p).toContain(`page ${i + 1} of ${pages.length}`);
      expect(p).toContain(`content ${doc.contentHash.slice(0, 12)}`);
      expect(p).toContain('Baseline 1.2.0');
    });
    expect(pages[1]).toContain('RPM VitalLink Remote Patient Monitoring');
    // Document information from the model.
    expect(info['Title']).toBe('Software requirements specification');
    expect(info['Creator']).toBe('Dossier');
    expect(String(info['CreationDate'])).toContain('20261130120000');
  });

  it('says plainly when a document is not signed and has no history', async () => {
    const { pages } = await parsePdf(await renderPdf(aDocument({ signatures: [], history: [] })));
    const all = pages.join('\n');
    expect(all).toContain('Not signed: no electronic signature applies to this document in this baseline.');
    expect(all).toContain('not signed');
    expect(all).toContain('No revision history');
  });

  it('shows characters beyond the standard fonts through the embedded fallback font', async () => {
    const doc = aDocument({
      blocks: [
        { kind: 'heading', level: 1, text: 'Ωmega ≤ 5 µg — Łódź', anchor: 'x' },
        { kind: 'paragraph', inlines: [{ kind: 'text', text: 'Привет мир, ≥ ±3 °C, €10, check ✓ done' }] },
      ],
    });
    // Runs in different fonts come out as separate text items: compare without spaces (and µ as pdf.js reads it).
    const squash = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '');
    const all = squash((await parsePdf(await renderPdf(doc))).pages.join('\n'));
    expect(all).toContain(squash('Ωmega ≤ 5 µg — Łódź'));
    expect(all).toContain(squash('Привет мир, ≥ ±3 °C, €10'));
    // No shipped font has a check mark: it is named, not dropped.
    expect(all).toContain(squash('check [U+2713] done'));
  });

  it('draws neighbouring words alike as one string, not word by word', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const bytes = await renderPdf(aDocument({ blocks: [{ kind: 'paragraph', inlines: [{ kind: 'text', text: words }] }] }));
    const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
    const last = await pdf.getPage(pdf.numPages);
    const ops = await last.getOperatorList();
    const shown = ops.fnArray.filter((fn) => fn === OPS.showText).length;
    await pdf.destroy();
    // Header (2), footer (3) and the paragraph's few lines: far fewer than its 60 words.
    expect(shown).toBeLessThan(15);
  });

  it('gives the same text (and bytes) twice for the same model', async () => {
    const bytesA = await renderPdf(aDocument());
    const bytesB = await renderPdf(aDocument());
    const a = await parsePdf(bytesA);
    const b = await parsePdf(bytesB);
    expect(b.pages).toEqual(a.pages);
    // pdfmake and pdfkit add nothing random once the dates come from the model: the bytes are the same too.
    expect(Buffer.from(bytesB).equals(Buffer.from(bytesA))).toBe(true);
  });

  it('renders a large specification (250 requirements) with one heading line per record', async () => {
    const doc = syntheticTechnicalFile(50).documents[0];
    if (doc === undefined) throw new Error('fixture has no SRS');
    const { pages } = await parsePdf(await renderPdf(doc));
    const all = pages.join('\n');
    expect(pages.length).toBeGreaterThan(20);
    expect(all).toContain('SRS-1 r2 (approved) — SRS 1:');
    expect(all).toContain('SRS-250 r1 (approved) — SRS 250:');
    expect(all.match(/SRS-\d+ r\d \((approved|draft)\) —/g)?.length).toBe(250);
    expect(pages.at(-1)).toContain(`page ${pages.length} of ${pages.length}`);
  });
});

import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { aDocument, syntheticTechnicalFile } from '../../test-support/document-fixtures.js';
import { renderDocx } from './docx.js';

interface Para {
  readonly style: string | undefined;
  readonly text: string;
  readonly xml: string;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? '');
}

/** The paragraphs of a WordprocessingML part: style ID and text (tabs and breaks as spaces). */
function paragraphs(xml: string): Para[] {
  return [...xml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map((m) => {
    const body = m[1] ?? '';
    const style = /<w:pStyle w:val="([^"]+)"/.exec(body)?.[1];
    const text = [...body.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g)].map((t) => (t[1] === undefined ? ' ' : unescapeXml(t[1]))).join('');
    return { style, text, xml: body };
  });
}

async function unpack(bytes: Uint8Array): Promise<{ files: Record<string, string>; body: Para[] }> {
  const zip = await JSZip.loadAsync(bytes);
  const files: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) {
    const entry = zip.file(name);
    if (entry !== null && name.endsWith('.xml')) files[name] = await entry.async('string');
  }
  return { files, body: paragraphs(files['word/document.xml'] ?? '') };
}

describe('renderDocx', () => {
  it('writes Word headings, a TOC field, tables with header rows, lists, records, signatures and page numbers', async () => {
    const doc = aDocument();
    const { files, body } = await unpack(await renderDocx(doc));
    const xml = files['word/document.xml'] ?? '';
    const texts = body.map((p) => p.text);
    const all = texts.join('\n');

    // Cover section.
    expect(all).toContain('VitalLink Remote Patient Monitoring');
    expect(body.find((p) => p.style === 'Title')?.text).toBe('Software requirements specification');
    expect(all).toContain('release 1.2.0');
    expect(all).toContain(doc.baseline.hash);
    expect(all).toContain(doc.contentHash);
    expect(all).toContain('IEC 62304 class B');
    expect(all).toContain('2026-11-30T12:00:00.000Z');

    // Real heading styles, defined in styles.xml.
    const headings = body.filter((p) => /^Heading\d$/.test(p.style ?? '')).map((p) => `${p.style}:${p.text}`);
    expect(headings).toEqual(['Heading1:Purpose', 'Heading1:Requirements', 'Heading2:Traceability', 'Heading1:Glossary']);
    expect(files['word/styles.xml']).toContain('w:styleId="Heading1"');
    expect(files['word/styles.xml']).toContain('w:styleId="Heading2"');

    // A TOC field over Heading 1–4 (Word fills in page numbers when it updates fields).
    expect(xml).toMatch(/TOC \\h \\o &quot;1-4&quot;/);
    expect(files['word/settings.xml']).toContain('w:updateFields');

    // Records: heading line, fields table, body.
    expect(texts).toContain('SRS-1 r2 (approved) — Encrypt vital-sign data in transit');
    expect(texts).toContain('SRS-2 r1 (draft) — Alarm on lost connection — ünïcödé & <special> "chars"');
    expect(body.filter((p) => p.style === 'RecordHeading')).toHaveLength(2);
    expect(texts).toContain('Risk control');
    expect(texts).toContain('All data leaving the phone shall use TLS 1.3.');

    // Lists as Word numbering, code in the monospace style.
    expect(body.filter((p) => p.xml.includes('<w:numPr>')).map((p) => p.text)).toEqual([
      'mutual authentication',
      'certificate pinning',
      'SOUP: software of unknown provenance',
      'TLS',
    ]);
    expect(files['word/numbering.xml']).toContain('w:val="decimal"');
    expect(body.find((p) => p.style === 'Code' && p.text === 'retry(3)')).toBeDefined();
    expect(/w:styleId="Code"[\s\S]*?<\/w:style>/.exec(files['word/styles.xml'] ?? '')?.[0]).toContain('Courier New');

    // Tables: header rows repeated, tones as shading, link text.
    const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((m) => m[1] ?? '');
    const trace = tables.find((t) => t.includes('Verified by')) ?? '';
    expect(trace).toContain('<w:tblHeader/>');
    const rows = [...trace.matchAll(/<w:tr(?:\s[^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((r) => paragraphs(r[1] ?? '').map((p) => p.text));
    expect(rows).toEqual([
      ['Requirement', 'Title', 'Verified by'],
      ['SRS-1', 'Encrypt vital-sign data in transit', 'TC-1'],
      ['SRS-2', 'Alarm on lost connection', 'not verified'],
    ]);
    expect(trace).toContain('w:fill="F6D5D5"');
    expect(trace).toContain('w:fill="D9EFD9"');
    expect(texts).toContain('Requirement → verification');

    // The outside link is a hyperlink; the gap stands out.
    expect(xml).toContain('w:instr="HYPERLINK &quot;https://example.com/guide&quot;"');
    expect(texts.find((t) => t.startsWith('This specification'))).toBe('This specification lists the software requirements of VitalLink. See SRS-1 and the guidance.');
    expect(body.find((p) => p.style === 'Gap')?.text).toBe('Gap: SRS-2 has no verifying test.');
    expect(xml).toContain('w:type="page"');

    // Signatures and history.
    const approvals = tables.find((t) => t.includes('Printed name')) ?? '';
    expect(paragraphs(approvals).map((p) => p.text)).toEqual(expect.arrayContaining(['Quinn Quality (quinn.qa)', '2026-11-20T09:30:00Z', 'reviewed', 'RPM/DOC-2@2']));
    expect(all).toContain('Adds the alarm requirement');

    // Header and footer: product and title; baseline, PAGE of NUMPAGES, content hash.
    const header = Object.entries(files).find(([n]) => n.startsWith('word/header'))?.[1] ?? '';
    const footer = Object.entries(files).find(([n]) => n.startsWith('word/footer'))?.[1] ?? '';
    expect(paragraphs(header)[0]?.text).toBe('RPM VitalLink Remote Patient Monitoring Software requirements specification');
    expect(footer).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>/);
    expect(footer).toMatch(/<w:instrText[^>]*>NUMPAGES<\/w:instrText>/);
    expect(paragraphs(footer)[0]?.text).toMatch(/^Baseline 1\.2\.0 page {2}of {2}content /);
    expect(paragraphs(footer)[0]?.text).toContain(`content ${doc.contentHash.slice(0, 12)}`);

    // Document properties from the model.
    const core = files['docProps/core.xml'] ?? '';
    expect(core).toContain('<dc:title>Software requirements specification</dc:title>');
    expect(core).toContain('<dc:creator>Dossier</dc:creator>');
    expect(core).toContain('>2026-11-30T12:00:00Z</dcterms:created>');
    expect(core).toContain('RPM VitalLink Remote Patient Monitoring');
  });

  it('says plainly when the document is not signed', async () => {
    const { body } = await unpack(await renderDocx(aDocument({ signatures: [] })));
    expect(body.map((p) => p.text)).toContain('Not signed: no electronic signature applies to this document in this baseline.');
  });

  it('gives the same bytes twice for the same model', async () => {
    const a = await renderDocx(aDocument());
    const b = await renderDocx(aDocument());
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    const zip = await JSZip.loadAsync(a);
    expect(Object.keys(zip.files)[0]).toBe('[Content_Types].xml');
    expect(zip.file('word/document.xml')?.date.toISOString()).toBe('2026-11-30T12:00:00.000Z');
  });

  it('renders a large specification (250 requirements)', async () => {
    const doc = syntheticTechnicalFile(50).documents[0];
    if (doc === undefined) throw new Error('fixture has no SRS');
    const { body } = await unpack(await renderDocx(doc));
    const records = body.filter((p) => p.style === 'RecordHeading');
    expect(records).toHaveLength(250);
    expect(records[249]?.text).toMatch(/^SRS-250 r1 \(approved\) — SRS 250: /);
  });
});

import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  SimpleField,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  Tab,
  TabStopType,
  TextRun,
  WidthType,
  type FileChild,
  type ParagraphChild,
} from 'docx';
import JSZip from 'jszip';
import { coverLines } from '../../core/documents/cover.js';
import type { Block, Cell, CellTone, GeneratedDocument, Inline } from '../../core/documents/model.js';

/**
 * One generated document as DOCX (the `docx` library): Word's own Heading 1–4 styles (so the navigation pane and the
 * TOC field work), a cover section, tables whose header row repeats on every page, tone as cell shading, lists as
 * Word numbering, code in a monospace style, PAGE/NUMPAGES in the footer, and document properties from the model.
 * Deterministic: the creation dates in `docProps/core.xml` and the dates inside the zip are `generatedAt`.
 */

const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134; // 2 cm
const TEXT_WIDTH = A4.width - 2 * MARGIN;
const MONO = 'Courier New';
const TONE_FILL: Readonly<Record<CellTone, string>> = { ok: 'D9EFD9', gap: 'F6D5D5', warning: 'FBEECB', muted: 'EEEEEE' };
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4] as const;
const THIN = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const BORDERS = { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN };

function safeUrl(url: string): string | undefined {
  return /^(https?:|mailto:)/i.test(url) ? url : undefined;
}

function runs(inlines: readonly Inline[]): ParagraphChild[] {
  return inlines.map((inline): ParagraphChild => {
    if (inline.kind === 'text') {
      return new TextRun({ text: inline.text, bold: inline.bold, italics: inline.italic, ...(inline.code ? { font: MONO, size: 18 } : {}) });
    }
    if ('url' in inline.target) {
      const url = safeUrl(inline.target.url);
      // A HYPERLINK field rather than a relationship: the library names relationships at random, which would make
      // the same document differ byte for byte.
      return url === undefined ? new TextRun(inline.text) : new SimpleField(`HYPERLINK "${url.replace(/["\\]/g, '')}"`, inline.text);
    }
    // A record or another document: its key or title as text (the HTML site is where links are followed).
    return new TextRun({ text: inline.text, bold: 'record' in inline.target });
  });
}

function textCell(children: ParagraphChild[], options: { fill?: string; width?: number } = {}): TableCell {
  return new TableCell({
    children: [new Paragraph({ children, style: 'TableText' })],
    ...(options.fill !== undefined ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: options.fill } } : {}),
    ...(options.width !== undefined ? { width: { size: options.width, type: WidthType.DXA } } : {}),
  });
}

/** A table whose first row is a header row Word repeats at the top of every page. */
function grid(header: readonly string[], rows: readonly TableCell[][], weights: readonly number[]): Table {
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const widths = weights.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: BORDERS,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: header.map((h, i) => textCell([new TextRun({ text: h, bold: true })], { fill: 'E4E8EE', width: widths[i] })),
      }),
      ...rows.map((cells) => new TableRow({ children: cells })),
    ],
  });
}

function cell(c: Cell | undefined): TableCell {
  if (c === undefined) return textCell([]);
  return textCell(runs(c.inlines), c.tone === undefined ? {} : { fill: TONE_FILL[c.tone] });
}

class BlockWriter {
  private lists = 0;
  private level = 0;

  blocks(blocks: readonly Block[], inRecord = false): FileChild[] {
    return blocks.flatMap((b) => this.block(b, inRecord));
  }

  private block(block: Block, inRecord: boolean): FileChild[] {
    switch (block.kind) {
      case 'heading':
        if (inRecord) return [new Paragraph({ children: [new TextRun({ text: block.text, bold: true })], keepNext: true })];
        this.level = block.level;
        return [new Paragraph({ text: block.text, heading: HEADINGS[block.level - 1] })];
      case 'paragraph':
        return [new Paragraph({ children: runs(block.inlines) })];
      case 'list': {
        // Each list is its own numbering instance, so an ordered list counts from 1.
        const instance = ++this.lists;
        return block.items.map(
          (item) =>
            new Paragraph({ children: runs(item), numbering: { reference: block.ordered ? 'ordered' : 'bullets', level: 0, instance } }),
        );
      }
      case 'code': {
        const lines = block.text.split('\n');
        return [new Paragraph({ style: 'Code', children: lines.map((line, i) => new TextRun({ text: line, break: i === 0 ? 0 : 1 })) })];
      }
      case 'table': {
        const out: FileChild[] = [];
        if (block.caption !== undefined) out.push(new Paragraph({ style: 'Caption', text: block.caption, keepNext: true }));
        out.push(
          grid(
            block.columns.map((c) => c.title),
            block.rows.map((row) => block.columns.map((_, i) => cell(row[i]))),
            block.columns.map((c) => c.width ?? 1),
          ),
        );
        out.push(new Paragraph({ text: '' }));
        return out;
      }
      case 'record': {
        // The record's heading line has an outline level one below the section it is in: Word's navigation pane
        // lists it, the TOC (built from Heading 1–4) does not, so a 5,000-requirement SRS keeps a short TOC.
        const out: FileChild[] = [
          new Paragraph({
            style: 'RecordHeading',
            outlineLevel: Math.min(this.level, 8),
            keepNext: true,
            children: [new TextRun({ text: `${block.key} r${block.revision} (${block.status})`, bold: true }), new TextRun(` — ${block.title}`)],
          }),
        ];
        if (block.fields.length > 0) {
          const widths = [Math.floor(TEXT_WIDTH * 0.25), TEXT_WIDTH - Math.floor(TEXT_WIDTH * 0.25)];
          out.push(
            new Table({
              width: { size: TEXT_WIDTH, type: WidthType.DXA },
              columnWidths: widths,
              borders: BORDERS,
              rows: block.fields.map(
                (f) =>
                  new TableRow({
                    children: [textCell([new TextRun({ text: f.label, bold: true })], { fill: 'F2F4F7', width: widths[0] }), textCell([new TextRun(f.value)], { width: widths[1] })],
                  }),
              ),
            }),
          );
        }
        out.push(...this.blocks(block.body, true));
        return out;
      }
      case 'gap':
        return [new Paragraph({ style: 'Gap', children: [new TextRun({ text: 'Gap: ', bold: true, color: '9B1C1C' }), new TextRun(block.text)] })];
      case 'pagebreak':
        return [new Paragraph({ children: [new PageBreak()] })];
    }
  }
}

function coverChildren(doc: GeneratedDocument): FileChild[] {
  const row = (label: string, value: string, mono = false): TableRow =>
    new TableRow({
      children: [
        textCell([new TextRun({ text: label, bold: true })], { width: Math.floor(TEXT_WIDTH * 0.3) }),
        textCell([new TextRun({ text: value, ...(mono ? { font: MONO, size: 18 } : {}) })], { width: TEXT_WIDTH - Math.floor(TEXT_WIDTH * 0.3) }),
      ],
    });
  return [
    new Paragraph({ spacing: { before: 2400 }, children: [new TextRun({ text: doc.product.name, size: 28 })] }),
    new Paragraph({ children: [new TextRun({ text: `Product ${doc.product.key}`, color: '555555' })], spacing: { after: 480 } }),
    new Paragraph({ style: 'Title', text: doc.title }),
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: [Math.floor(TEXT_WIDTH * 0.3), TEXT_WIDTH - Math.floor(TEXT_WIDTH * 0.3)],
      borders: { ...BORDERS, left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, insideVertical: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } },
      rows: [
        ...coverLines(doc).map((l) => row(l.label, l.value, l.mono)),
      ],
    }),
  ];
}

function frontMatter(doc: GeneratedDocument): FileChild[] {
  const history =
    doc.history.length === 0
      ? new Paragraph('No revision history: this document is not controlled by a document record.')
      : grid(
          ['Revision', 'Date', 'Author', 'Description'],
          doc.history.map((h) => [textCell([new TextRun(h.revision)]), textCell([new TextRun(h.date)]), textCell([new TextRun(h.author)]), textCell([new TextRun(h.description)])]),
          [12, 18, 22, 48],
        );
  // 21 CFR 11.50: each signature shows the printed name, the date and time, and the meaning of the signing.
  const approvals =
    doc.signatures.length === 0
      ? new Paragraph({ children: [new TextRun({ text: 'Not signed: no electronic signature applies to this document in this baseline.', bold: true })] })
      : grid(
          ['Printed name', 'Date and time', 'Meaning', 'Signed'],
          doc.signatures.map((s) => [
            textCell([new TextRun(s.printedName), new TextRun({ text: ` (${s.username})`, color: '555555' })]),
            textCell([new TextRun(s.at)]),
            textCell([new TextRun(s.meaning)]),
            textCell([new TextRun({ text: s.signed, font: MONO, size: 18 })]),
          ]),
          [30, 26, 16, 28],
        );
  return [
    new Paragraph({ style: 'FrontHeading', text: 'Revision history' }),
    history,
    new Paragraph({ style: 'FrontHeading', text: 'Approvals' }),
    approvals,
    new Paragraph({ style: 'FrontHeading', text: 'Contents' }),
    new TableOfContents('Contents', { hyperlink: true, headingStyleRange: '1-4' }),
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

function coreXml(doc: GeneratedDocument, subject: string): string {
  const at = new Date(doc.generatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(doc.title)}</dc:title>` +
    `<dc:subject>${escapeXml(subject)}</dc:subject>` +
    '<dc:creator>Dossier</dc:creator>' +
    `<cp:keywords>${escapeXml(doc.clauses.join(', '))}</cp:keywords>` +
    `<dc:description>${escapeXml(`Content SHA-256 ${doc.contentHash}; baseline hash ${doc.baseline.hash}`)}</dc:description>` +
    '<cp:lastModifiedBy>Dossier</cp:lastModifiedBy>' +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * The library numbers bookmarks (the TOC's `_TocN` anchors) from a counter shared by every document the process
 * writes, so the second render of a model would differ from the first: number them again from 1, in order.
 */
function renumberBookmarks(xml: string): string {
  const ids = new Map<string, number>();
  const idOf = (n: string): number => {
    let id = ids.get(n);
    if (id === undefined) ids.set(n, (id = ids.size + 1));
    return id;
  };
  return xml
    .replace(/_Toc(\d+)/g, (_, n: string) => `_Toc${idOf(n)}`)
    .replace(/(<w:bookmark(?:Start|End)\b[^>]*?\bw:id=")(\d+)"/g, (_, head: string, n: string) => `${head}${idOf(n)}"`);
}

/**
 * One document as DOCX with real Word headings, a TOC field, repeated table header rows, numbered and bulleted
 * lists, and PAGE/NUMPAGES page numbers. Word fills in the TOC's page numbers when it updates fields on opening.
 * @param doc - the document model
 */
export async function renderDocx(doc: GeneratedDocument): Promise<Uint8Array> {
  const subject = `${doc.product.key} ${doc.product.name}: ${doc.title} (${doc.baseline.label})`;
  const writer = new BlockWriter();
  const small = { size: 16, color: '555555' };
  const document = new Document({
    title: doc.title,
    subject,
    creator: 'Dossier',
    lastModifiedBy: 'Dossier',
    keywords: doc.clauses.join(', '),
    features: { updateFields: true },
    styles: {
      default: { document: { run: { font: 'Calibri', size: 21 } } },
      paragraphStyles: [
        { id: 'Code', name: 'Code', basedOn: 'Normal', run: { font: MONO, size: 17 }, paragraph: { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F4F4F4' }, spacing: { before: 60, after: 120 } } },
        { id: 'TableText', name: 'Table Text', basedOn: 'Normal', run: { size: 18 }, paragraph: { spacing: { before: 20, after: 20 } } },
        { id: 'RecordHeading', name: 'Record Heading', basedOn: 'Normal', next: 'Normal', run: { size: 22, color: '1B2B44' }, paragraph: { spacing: { before: 200, after: 60 }, keepNext: true } },
        { id: 'FrontHeading', name: 'Front Matter Heading', basedOn: 'Normal', next: 'Normal', run: { size: 30, bold: true }, paragraph: { spacing: { before: 240, after: 120 }, keepNext: true } },
        {
          id: 'Gap',
          name: 'Gap',
          basedOn: 'Normal',
          paragraph: {
            border: { top: { style: BorderStyle.SINGLE, size: 12, color: 'B42318' }, bottom: { style: BorderStyle.SINGLE, size: 12, color: 'B42318' }, left: { style: BorderStyle.SINGLE, size: 12, color: 'B42318' }, right: { style: BorderStyle.SINGLE, size: 12, color: 'B42318' } },
            shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'FDECEC' },
            spacing: { before: 120, after: 160 },
          },
        },
      ],
    },
    numbering: {
      config: [
        { reference: 'bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }] },
        { reference: 'ordered', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }] },
      ],
    },
    sections: [
      {
        properties: { page: { size: A4, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
        children: coverChildren(doc),
      },
      {
        properties: { page: { size: A4, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
                children: [new TextRun({ text: `${doc.product.key} ${doc.product.name}`, ...small }), new TextRun({ children: [new Tab(), doc.title], ...small })],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                tabStops: [
                  { type: TabStopType.CENTER, position: Math.floor(TEXT_WIDTH / 2) },
                  { type: TabStopType.RIGHT, position: TEXT_WIDTH },
                ],
                children: [
                  new TextRun({ text: doc.baseline.kind === 'release' ? `Baseline ${doc.baseline.label}` : doc.baseline.label, ...small }),
                  new TextRun({ children: [new Tab(), 'page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], ...small }),
                  new TextRun({ children: [new Tab(), `content ${doc.contentHash.slice(0, 12)}`], ...small }),
                ],
              }),
            ],
          }),
        },
        children: [...frontMatter(doc), ...writer.blocks(doc.blocks)],
      },
    ],
  });
  const buffer = await Packer.toBuffer(document, false, [{ path: 'docProps/core.xml', data: coreXml(doc, subject) }]);
  // Same model, same bytes: bookmarks numbered from 1 and every zip entry dated `generatedAt` (jszip writes UTC).
  const packed = await JSZip.loadAsync(buffer);
  const names = Object.keys(packed.files).filter((n) => packed.files[n]?.dir === false);
  // [Content_Types].xml first, as Office writes it: some readers look for it there.
  names.sort((a, b) => Number(b === '[Content_Types].xml') - Number(a === '[Content_Types].xml'));
  const out = new JSZip();
  const date = new Date(doc.generatedAt);
  for (const name of names) {
    const entry = packed.file(name);
    if (entry === null) continue;
    const data = name === 'word/document.xml' ? renumberBookmarks(await entry.async('string')) : await entry.async('nodebuffer');
    out.file(name, data, { date, createFolders: false });
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

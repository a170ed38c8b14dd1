import { createRequire } from 'node:module';
import { coverLines } from '../../core/documents/cover.js';
import type { Block, Cell, CellTone, GeneratedDocument, Inline } from '../../core/documents/model.js';

/**
 * One generated document as PDF, laid out by pdfmake (pure JavaScript: no browser to install). Text uses the
 * standard PDF fonts (Helvetica, Courier: nothing embedded) and falls back, run by run, to Roboto (shipped inside
 * the pdfmake package, embedded as a subset) for characters outside the standard fonts' WinAnsi encoding. A few
 * arrows that neither font can draw become ASCII digraphs; any other such character is printed as `[U+XXXX]`, so
 * nothing is silently dropped.
 *
 * pdfmake (and pdfkit under it) is loaded with `createRequire` so that it runs from `node_modules` even in the
 * bundled CLI: pdfkit reads its font metrics from files next to its own code.
 */

/** The part of pdfmake's Node API this module uses. */
interface PdfMake {
  virtualfs: { writeFileSync(name: string, content: Buffer): void; existsSync(name: string): boolean };
  setFonts(fonts: Record<string, Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(definition: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
}

type Node = Record<string, unknown>;
type Content = Node | string | Content[];
/** A piece of text: a bare string when it needs no style of its own (cheaper for pdfmake to lay out). */
type Run = Node | string;

const STANDARD_FONTS = new Set([
  'Helvetica',
  'Helvetica-Bold',
  'Helvetica-Oblique',
  'Helvetica-BoldOblique',
  'Courier',
  'Courier-Bold',
  'Courier-Oblique',
  'Courier-BoldOblique',
]);

/** One laid-out word (pdfmake lays text out word by word) and the line it is in. */
interface LaidOutInline {
  text: string;
  x: number;
  width: number;
  [property: string]: unknown;
}
interface LaidOutLine {
  inlines: LaidOutInline[];
}
interface RendererModule {
  default: { prototype: { renderLine: (this: unknown, line: LaidOutLine, x: number, y: number) => void; __wordsMerged?: true } };
}

// Everything that changes how a word is drawn: two neighbours alike in all of these can be drawn as one string.
const DRAWN_AS = [
  'font', 'fontSize', 'color', 'background', 'decoration', 'decorationStyle', 'decorationColor', 'decorationThickness',
  'link', 'linkToDestination', 'linkToPage', 'opacity', 'characterSpacing', 'sup', 'sub', 'fontFeatures', 'justifyShift',
] as const;

/**
 * pdfmake draws a line word by word (one text operation, with its colour and font set again, per word), which made
 * drawing most of the time of a 5,000-requirement document. Neighbouring words drawn alike are joined into one
 * string first; the layout (pdfmake's measurement of every word) is unchanged. pdfmake is pinned to 0.3.11, whose
 * `Renderer.renderLine` reads only the fields listed in DRAWN_AS plus text, x and width.
 */
function mergeWordsWhenRendering(renderer: RendererModule): void {
  const proto = renderer.default.prototype;
  if (proto.__wordsMerged) return;
  const original = proto.renderLine;
  proto.renderLine = function renderLine(line: LaidOutLine, x: number, y: number): void {
    const inlines = line.inlines;
    if (inlines.length < 2) return original.call(this, line, x, y);
    const joined: LaidOutInline[] = [];
    for (const inline of inlines) {
      const prev = joined.at(-1);
      if (
        prev !== undefined &&
        prev['_pageNodeRef'] === undefined &&
        inline['_pageNodeRef'] === undefined &&
        Math.abs(prev.x + prev.width - inline.x) < 0.01 &&
        DRAWN_AS.every((k) => prev[k] === inline[k])
      ) {
        joined[joined.length - 1] = { ...prev, text: prev.text + inline.text, width: inline.x + inline.width - prev.x };
      } else joined.push(inline);
    }
    if (joined.length === inlines.length) return original.call(this, line, x, y);
    const view = Object.create(line) as LaidOutLine;
    view.inlines = joined;
    return original.call(this, view, x, y);
  };
  proto.__wordsMerged = true;
}

let loaded: PdfMake | undefined;
let hasRobotoGlyph: ((codePoint: number) => boolean) | undefined;

function pdfmake(): PdfMake {
  if (loaded) return loaded;
  // Not named `require`, so that the CLI bundler leaves these loads to Node at run time.
  const load = createRequire(import.meta.url);
  const pm = load('pdfmake') as PdfMake;
  const vfs = load('pdfmake/build/vfs_fonts.js') as Record<string, string>;
  for (const [name, base64] of Object.entries(vfs)) {
    if (!pm.virtualfs.existsSync(name)) pm.virtualfs.writeFileSync(name, Buffer.from(base64, 'base64'));
  }
  pm.setFonts({
    Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' },
    Courier: { normal: 'Courier', bold: 'Courier-Bold', italics: 'Courier-Oblique', bolditalics: 'Courier-BoldOblique' },
    Roboto: { normal: 'Roboto-Regular.ttf', bold: 'Roboto-Medium.ttf', italics: 'Roboto-Italic.ttf', bolditalics: 'Roboto-MediumItalic.ttf' },
  });
  // Nothing is fetched and no local file is read but pdfkit's own metrics of the standard fonts.
  pm.setUrlAccessPolicy(() => false);
  pm.setLocalAccessPolicy((path) => STANDARD_FONTS.has(path));
  mergeWordsWhenRendering(load('pdfmake/js/Renderer.js') as RendererModule);
  // fontkit as pdfkit finds it (pdfmake → pdfkit → fontkit), wherever npm put them.
  const fromPdfkit = createRequire(createRequire(load.resolve('pdfmake')).resolve('pdfkit'));
  const fontkit = fromPdfkit('fontkit') as { create(buffer: Buffer): { hasGlyphForCodePoint(cp: number): boolean } };
  const roboto = fontkit.create(Buffer.from(vfs['Roboto-Regular.ttf'] ?? '', 'base64'));
  hasRobotoGlyph = (cp) => roboto.hasGlyphForCodePoint(cp);
  loaded = pm;
  return pm;
}

// Windows-1252 (WinAnsi) beyond Latin-1: what the standard fonts can show in 0x80–0x9F.
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((c) => c.codePointAt(0) ?? 0));
const NOT_WIN_ANSI = /[^\t\n\r\x20-\x7e\xa0-\xff]/u;
const SUBSTITUTES: Readonly<Record<string, string>> = { '→': '->', '←': '<-', '↔': '<->', '⇒': '=>', '⇐': '<=', '⇔': '<=>' };

function isWinAnsi(cp: number): boolean {
  return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
}

interface RunStyle {
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly code?: boolean;
  readonly link?: string;
  readonly color?: string;
}

/** Text as pdfmake runs: one run unless some characters need the fallback font. */
function runs(text: string, style: RunStyle = {}): Run[] {
  const base: Node = {};
  if (style.bold) base['bold'] = true;
  if (style.italic) base['italics'] = true;
  if (style.code) {
    base['font'] = 'Courier';
    base['fontSize'] = 8.5;
  }
  if (style.link !== undefined) {
    base['link'] = style.link;
    base['color'] = '#1a4f8b';
    base['decoration'] = 'underline';
  }
  if (style.color !== undefined) base['color'] = style.color;
  const plain = Object.keys(base).length === 0;
  if (!NOT_WIN_ANSI.test(text)) return [plain ? text : { ...base, text }];
  const out: Run[] = [];
  let current = '';
  let currentFont: 'standard' | 'Roboto' = 'standard';
  const flush = (): void => {
    if (current === '') return;
    if (currentFont === 'Roboto') out.push({ ...base, text: current, font: 'Roboto' });
    else out.push(plain ? current : { ...base, text: current });
    current = '';
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    let font: 'standard' | 'Roboto';
    let shown = ch;
    if (isWinAnsi(cp)) font = 'standard';
    else if (hasRobotoGlyph?.(cp)) font = 'Roboto';
    else {
      font = 'standard';
      shown = SUBSTITUTES[ch] ?? `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`;
    }
    if (font !== currentFont) flush();
    currentFont = font;
    current += shown;
  }
  flush();
  return out;
}

function safeUrl(url: string): string | undefined {
  return /^(https?:|mailto:)/i.test(url) ? url : undefined;
}

/** Adjacent bare strings joined: fewer inlines for the layout to measure. */
function merged(parts: readonly Run[]): Run[] | string {
  const out: Run[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else out.push(part);
  }
  return out.length === 1 && typeof out[0] === 'string' ? out[0] : out;
}

/**
 * @param shown - keys of the records shown in full in this document: a link to one of them jumps to it
 */
function inlineRuns(inlines: readonly Inline[], shown: ReadonlySet<string>): Run[] | string {
  const out: Run[] = [];
  for (const inline of inlines) {
    if (inline.kind === 'text') out.push(...runs(inline.text, { bold: inline.bold, italic: inline.italic, code: inline.code }));
    else if ('url' in inline.target) {
      const url = safeUrl(inline.target.url);
      out.push(...runs(inline.text, url === undefined ? {} : { link: url }));
    } else if ('record' in inline.target && shown.has(inline.target.record)) {
      const destination = `r-${inline.target.record}`;
      out.push(...runs(inline.text, { bold: true }).map((r) => ({ ...(typeof r === 'string' ? { text: r } : r), linkToDestination: destination })));
    } else out.push(...runs(inline.text, { bold: 'record' in inline.target }));
  }
  return merged(out);
}

const TONE_FILL: Readonly<Record<CellTone, string>> = { ok: '#d9efd9', gap: '#f6d5d5', warning: '#fbeecb', muted: '#eeeeee' };

const GRID_LAYOUT = {
  hLineWidth: (): number => 0.5,
  vLineWidth: (): number => 0.5,
  hLineColor: (): string => '#999999',
  vLineColor: (): string => '#999999',
  paddingLeft: (): number => 4,
  paddingRight: (): number => 4,
  paddingTop: (): number => 2,
  paddingBottom: (): number => 2,
};

function headerCell(title: string): Node {
  return { text: runs(title, { bold: true }), fillColor: '#e4e8ee' };
}

function cell(c: Cell, shown: ReadonlySet<string>): Node {
  const node: Node = { text: inlineRuns(c.inlines, shown) };
  if (c.tone !== undefined) node['fillColor'] = TONE_FILL[c.tone];
  return node;
}

/** A table whose header row is repeated on every page it runs over. */
function grid(header: readonly string[], rows: readonly Node[][], widths: readonly (number | string)[]): Node {
  return {
    table: { headerRows: 1, widths, body: [header.map(headerCell), ...rows] },
    layout: GRID_LAYOUT,
    fontSize: 9,
    margin: [0, 2, 0, 8],
  };
}

function relativeWidths(weights: readonly number[]): string[] {
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return weights.map((w) => `${((w / total) * 100).toFixed(2)}%`);
}

class BlockWriter {
  private readonly ids = new Set<string>();

  /** @param shown - keys of the records shown in full (link targets inside the PDF) */
  constructor(private readonly shown: ReadonlySet<string>) {}

  blocks(blocks: readonly Block[], nested = false): Content[] {
    const out: Content[] = [];
    for (const block of blocks) out.push(this.block(block, nested));
    return out;
  }

  private block(block: Block, nested: boolean): Content {
    switch (block.kind) {
      case 'heading': {
        const node: Node = { text: runs(block.text), style: `h${block.level}` };
        if (!nested) {
          node['tocItem'] = true;
          node['tocMargin'] = [(block.level - 1) * 12, 1, 0, 1];
        }
        if (!this.ids.has(block.anchor) && !nested) {
          this.ids.add(block.anchor);
          node['id'] = `h-${block.anchor}`;
        }
        return node;
      }
      case 'paragraph':
        return { text: inlineRuns(block.inlines, this.shown), margin: [0, 0, 0, 6] };
      case 'list': {
        const items = block.items.map((item) => ({ text: inlineRuns(item, this.shown) }));
        return block.ordered ? { ol: items, margin: [0, 0, 0, 6] } : { ul: items, margin: [0, 0, 0, 6] };
      }
      case 'code':
        return {
          table: { widths: ['*'], body: [[{ text: runs(block.text, { code: true }), preserveLeadingSpaces: true }]] },
          layout: { ...GRID_LAYOUT, hLineColor: (): string => '#cccccc', vLineColor: (): string => '#cccccc', fillColor: (): string => '#f4f4f4' },
          margin: [0, 0, 0, 6],
        };
      case 'table': {
        const parts: Content[] = [];
        if (block.caption !== undefined) parts.push({ text: runs(block.caption, { italic: true }), fontSize: 9, margin: [0, 2, 0, 2] });
        parts.push(
          grid(
            block.columns.map((c) => c.title),
            block.rows.map((row) => block.columns.map((_, i) => (row[i] === undefined ? { text: '' } : cell(row[i], this.shown)))),
            relativeWidths(block.columns.map((c) => c.width ?? 1)),
          ),
        );
        return { stack: parts };
      }
      case 'record': {
        // Kept flat and cheap: a heading line, one two-column fields table only when there are fields, the body.
        const parts: Content[] = [
          { text: merged(runs(`${block.key} r${block.revision} (${block.status}) — ${block.title}`)), style: 'record' },
        ];
        if (block.fields.length > 0) {
          parts.push({
            table: { widths: ['25%', '75%'], body: block.fields.map((f) => [{ text: merged(runs(f.label)), bold: true }, { text: merged(runs(f.value)) }]) },
            layout: GRID_LAYOUT,
            fontSize: 8.5,
            margin: [0, 0, 0, 4],
          });
        }
        parts.push(...this.blocks(block.body, true));
        const node: Node = { stack: parts, margin: [0, 0, 0, 6] };
        if (!this.ids.has(block.key)) {
          this.ids.add(block.key);
          node['id'] = `r-${block.key}`;
        }
        return node;
      }
      case 'gap':
        return {
          table: { widths: ['*'], body: [[{ text: [...runs('Gap: ', { bold: true, color: '#9b1c1c' }), ...runs(block.text)] }]] },
          layout: {
            hLineWidth: (): number => 1.5,
            vLineWidth: (): number => 1.5,
            hLineColor: (): string => '#b42318',
            vLineColor: (): string => '#b42318',
            fillColor: (): string => '#fdecec',
            paddingLeft: (): number => 6,
            paddingRight: (): number => 6,
            paddingTop: (): number => 4,
            paddingBottom: (): number => 4,
          },
          margin: [0, 2, 0, 8],
        };
      case 'pagebreak':
        return { text: '', pageBreak: 'after' };
    }
  }
}

function coverPage(doc: GeneratedDocument): Content[] {
  const row = (label: string, value: string, code = false): Node[] => [{ text: runs(label, { bold: true }) }, { text: runs(value, { code }) }];
  return [
    { text: runs(doc.product.name), fontSize: 14, margin: [0, 120, 0, 4] },
    { text: runs(`Product ${doc.product.key}`), color: '#555555', margin: [0, 0, 0, 24] },
    { text: runs(doc.title, { bold: true }), fontSize: 24, margin: [0, 0, 0, 24] },
    {
      table: {
        widths: ['30%', '70%'],
        body: [
          ...coverLines(doc).map((l) => row(l.label, l.value, l.mono)),
        ],
      },
      layout: 'lightHorizontalLines',
      fontSize: 10,
    },
    { text: '', pageBreak: 'after' },
  ];
}

function frontMatter(doc: GeneratedDocument): Content[] {
  const history =
    doc.history.length === 0
      ? { text: runs('No revision history: this document is not controlled by a document record.'), margin: [0, 0, 0, 8] }
      : grid(
          ['Revision', 'Date', 'Author', 'Description'],
          doc.history.map((h) => [{ text: runs(h.revision) }, { text: runs(h.date) }, { text: runs(h.author) }, { text: runs(h.description) }]),
          ['12%', '18%', '22%', '48%'],
        );
  // 21 CFR 11.50: each signature shows the printed name, the date and time, and the meaning of the signing.
  const approvals =
    doc.signatures.length === 0
      ? { text: runs('Not signed: no electronic signature applies to this document in this baseline.', { bold: true }), margin: [0, 0, 0, 8] }
      : grid(
          ['Printed name', 'Date and time', 'Meaning', 'Signed'],
          doc.signatures.map((s) => [
            { text: [...runs(s.printedName), ...runs(` (${s.username})`, { color: '#555555' })] },
            { text: runs(s.at) },
            { text: runs(s.meaning) },
            { text: runs(s.signed, { code: true }) },
          ]),
          ['30%', '26%', '16%', '28%'],
        );
  return [
    { text: 'Revision history', style: 'h1' },
    history,
    { text: 'Approvals', style: 'h1' },
    approvals,
    { toc: { title: { text: 'Contents', style: 'h1' } }, margin: [0, 8, 0, 0] },
    { text: '', pageBreak: 'after' },
  ];
}

/**
 * The pdfmake document definition of a generated document (exported for tests and the benchmark).
 * @param doc - the document model
 */
export function pdfDefinition(doc: GeneratedDocument): Record<string, unknown> {
  pdfmake(); // loads the fallback font's glyph table used by runs()
  const writer = new BlockWriter(new Set(doc.blocks.flatMap((b) => (b.kind === 'record' ? [b.key] : []))));
  const at = new Date(doc.generatedAt);
  const hashPrefix = doc.contentHash.slice(0, 12);
  return {
    pageSize: 'A4',
    pageMargins: [50, 60, 50, 60],
    info: {
      title: doc.title,
      subject: `${doc.product.key} ${doc.product.name}: ${doc.title} (${doc.baseline.label})`,
      author: 'Dossier',
      creator: 'Dossier',
      producer: 'Dossier',
      keywords: doc.clauses.join(', '),
      creationDate: at,
      modDate: at,
    },
    defaultStyle: { font: 'Helvetica', fontSize: 10, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 16, bold: true, margin: [0, 14, 0, 6] },
      h2: { fontSize: 13, bold: true, margin: [0, 10, 0, 4] },
      h3: { fontSize: 11.5, bold: true, margin: [0, 8, 0, 4] },
      h4: { fontSize: 10.5, bold: true, italics: true, margin: [0, 6, 0, 3] },
      record: { fontSize: 10.5, bold: true, margin: [0, 6, 0, 3], color: '#1b2b44' },
    },
    header: (currentPage: number): Content =>
      currentPage === 1
        ? ''
        : {
            columns: [
              { text: runs(`${doc.product.key} ${doc.product.name}`), alignment: 'left' },
              { text: runs(doc.title), alignment: 'right' },
            ],
            fontSize: 8,
            color: '#555555',
            margin: [50, 30, 50, 0],
          },
    footer: (currentPage: number, pageCount: number): Content => ({
      columns: [
        { text: runs(doc.baseline.kind === 'release' ? `Baseline ${doc.baseline.label}` : doc.baseline.label), alignment: 'left' },
        { text: `page ${currentPage} of ${pageCount}`, alignment: 'center' },
        { text: `content ${hashPrefix}`, alignment: 'right' },
      ],
      fontSize: 8,
      color: '#555555',
      margin: [50, 20, 50, 0],
    }),
    content: [...coverPage(doc), ...frontMatter(doc), ...writer.blocks(doc.blocks)],
  };
}

/**
 * One document as PDF: cover page, revision history, approvals, table of contents, the blocks, and a header and
 * footer (baseline, page X of Y, content hash) on every page. The PDF's dates come from `generatedAt`, so the same
 * model gives the same bytes.
 * @param doc - the document model
 */
export async function renderPdf(doc: GeneratedDocument): Promise<Uint8Array> {
  const buffer = await pdfmake().createPdf(pdfDefinition(doc)).getBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * The document model: what every generated document is made of, whatever it is rendered to (HTML, PDF, DOCX,
 * XLSX). Generators (`core/documents/*`) build it from a baseline; renderers (`export/documents/*`) only lay it out,
 * so the same baseline gives the same text in every format. Plain data: no I/O, no library types.
 */

/** A run of text in a paragraph, a list item or a table cell. */
export type Inline =
  | { readonly kind: 'text'; readonly text: string; readonly bold?: boolean; readonly italic?: boolean; readonly code?: boolean }
  /**
   * A link. `target` is a record (`{ record: 'SRS-12' }`), a generated document (`{ document: 'srs' }`, optionally
   * a heading anchor in it) or an outside address (`{ url }`, http/https/mailto only; renderers drop any other).
   */
  | { readonly kind: 'link'; readonly text: string; readonly target: LinkTarget };

export type LinkTarget =
  | { readonly record: string }
  | { readonly document: string; readonly anchor?: string }
  | { readonly url: string };

/** How a table cell should stand out (a gap in a trace matrix, a risk in the unacceptable zone). */
export type CellTone = 'ok' | 'gap' | 'warning' | 'muted';

export interface Cell {
  readonly inlines: readonly Inline[];
  readonly tone?: CellTone;
}

export interface Column {
  readonly title: string;
  /** Relative width (renderers scale to the page); default 1. */
  readonly width?: number;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4; readonly text: string; readonly anchor: string }
  | { readonly kind: 'paragraph'; readonly inlines: readonly Inline[] }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: 'code'; readonly text: string }
  /**
   * A table. `sheet` names it when it is worth an XLSX sheet of its own (trace matrix, risk table, SOUP list, test
   * results): the XLSX renderer writes only tables with a sheet name, with frozen header, filters and tones as
   * conditional colours.
   */
  | { readonly kind: 'table'; readonly columns: readonly Column[]; readonly rows: readonly (readonly Cell[])[]; readonly sheet?: string; readonly caption?: string }
  /** A record shown in full inside a document (a requirement in an SRS): heading line, fields, body. */
  | {
      readonly kind: 'record';
      readonly key: string;
      readonly type: string;
      readonly title: string;
      readonly revision: number;
      readonly status: string;
      readonly fields: readonly { readonly label: string; readonly value: string }[];
      readonly body: readonly Block[];
    }
  /** Something the document should contain and the baseline lacks: shown prominently, listed in `gaps`. */
  | { readonly kind: 'gap'; readonly text: string }
  | { readonly kind: 'pagebreak' };

/** One electronic signature as it must be shown with a signed record (21 CFR 11.50). */
export interface SignatureManifestation {
  readonly printedName: string;
  readonly username: string;
  /** ISO 8601 with the zone, e.g. `2026-11-30T14:02:11Z`. */
  readonly at: string;
  readonly meaning: string;
  /** What was signed: `RPM/DOC-3@2` or `release 1.2.0`. */
  readonly signed: string;
}

/** A row of a document's revision history: the revisions of the record that controls it (its DOC) or of the baseline. */
export interface HistoryRow {
  readonly revision: string;
  readonly date: string;
  readonly author: string;
  readonly description: string;
}

/** What a document was generated from. */
export interface BaselineRef {
  /** `release` for a frozen release baseline; `now` for the product's current state. */
  readonly kind: 'release' | 'now';
  /** `1.2.0`, or `current state`. */
  readonly label: string;
  /** The release's baseline hash, or a hash of the current records' revision hashes. */
  readonly hash: string;
}

export interface ProductRef {
  readonly key: string;
  readonly name: string;
  readonly safetyClass: string;
  readonly intendedUse: string;
}

/** One generated document. */
export interface GeneratedDocument {
  /** Stable ID, also its file name: `srs`, `risk-management-report`. */
  readonly id: string;
  readonly title: string;
  /** Which standard's deliverable it is and the clauses it answers: `IEC 62304 5.2`. */
  readonly clauses: readonly string[];
  readonly product: ProductRef;
  readonly baseline: BaselineRef;
  /** ISO 8601 UTC. Not part of `contentHash`, so the same baseline gives the same hash. */
  readonly generatedAt: string;
  readonly history: readonly HistoryRow[];
  readonly signatures: readonly SignatureManifestation[];
  readonly blocks: readonly Block[];
  /** What the document lacks, in words (also shown in place as `gap` blocks); empty when complete. */
  readonly gaps: readonly string[];
  /** Record keys the document shows or names, for links both ways in the HTML site. */
  readonly records: readonly string[];
  /** SHA-256 (hex) of the canonical JSON of everything above but `generatedAt` and `contentHash` itself. */
  readonly contentHash: string;
}

/** One record's page in the static technical file. */
export interface RecordPage {
  readonly key: string;
  readonly type: string;
  readonly typeName: string;
  readonly title: string;
  readonly status: string;
  readonly revision: number;
  /** SHA-256 of the revision shown. */
  readonly hash: string;
  readonly fields: readonly { readonly label: string; readonly value: string }[];
  readonly body: readonly Block[];
  /** Links leaving this record (`SRS-3 derives_from SYS-1` on SRS-3's page) and arriving at it. */
  readonly upstream: readonly { readonly linkType: string; readonly key: string; readonly title: string; readonly suspect: boolean }[];
  readonly downstream: readonly { readonly linkType: string; readonly key: string; readonly title: string; readonly suspect: boolean }[];
  readonly signatures: readonly SignatureManifestation[];
  /** The documents that show or name this record (filled by the site builder from `GeneratedDocument.records`). */
  readonly documents?: readonly { readonly id: string; readonly title: string }[];
}

/** The whole technical file of a baseline: every document and every record. */
export interface TechnicalFile {
  readonly product: ProductRef;
  readonly baseline: BaselineRef;
  readonly generatedAt: string;
  readonly documents: readonly GeneratedDocument[];
  readonly records: readonly RecordPage[];
}

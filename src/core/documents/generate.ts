import { sha256Hex } from '../hashing.js';
import { invalidInput } from '../errors.js';
import type { Block, GeneratedDocument, HistoryRow, Inline, RecordPage, SignatureManifestation, TechnicalFile } from './model.js';
import { documentParts, recordFields, SnapshotIndex, type DocumentSummary } from './parts.js';
import { markdownBlocks } from './markdown.js';
import type { BaselineSnapshot } from './snapshot.js';
import { renderTemplate, type DocumentTemplate } from './templates.js';

/** What a list of documents shows: each document's ID, title, clauses and whether it is complete. */
export interface DocumentStatus {
  readonly id: string;
  readonly title: string;
  readonly clauses: readonly string[];
  readonly gaps: readonly string[];
}

/** The data a template's placeholders read: `{{product.name}}`, `{{baseline.label}}`, `{{count.SRS}}`. */
function templateData(s: BaselineSnapshot, ix: SnapshotIndex): Record<string, unknown> {
  const count: Record<string, number> = {};
  for (const t of Object.keys(s.typeNames)) count[t] = ix.ofType(t).length;
  return {
    product: s.product,
    baseline: s.baseline,
    release: s.release,
    isRelease: s.release !== null,
    count,
    gate: { kind: s.gate.kind, passed: s.gate.passed, failOn: s.gate.failOn },
    risk: { policyRecord: s.risk.policyRecord, policyRevision: s.risk.policyRevision, asOf: s.risk.asOf.slice(0, 10) },
  };
}

/** Every gap block's text and every record a document shows or names, walking nested record bodies. */
function collect(blocks: readonly Block[], gaps: string[], records: Set<string>): void {
  const inl = (runs: readonly Inline[]): void => {
    for (const r of runs) if (r.kind === 'link' && 'record' in r.target) records.add(r.target.record);
  };
  for (const b of blocks) {
    switch (b.kind) {
      case 'gap':
        gaps.push(b.text);
        break;
      case 'paragraph':
        inl(b.inlines);
        break;
      case 'list':
        b.items.forEach(inl);
        break;
      case 'table':
        for (const row of b.rows) for (const c of row) inl(c.inlines);
        break;
      case 'record':
        records.add(b.key);
        collect(b.body, gaps, records);
        break;
      case 'code':
      case 'heading':
      case 'pagebreak':
        break;
    }
  }
}

/** The DOC record that controls a document: same document kind, title containing the template's `control.title`. */
function controllingRecord(t: DocumentTemplate, ix: SnapshotIndex): string | undefined {
  if (t.control === undefined) return undefined;
  const want = t.control.title.toLowerCase();
  return ix.ofType('DOC').find((d) => d.fields['docType'] === t.control?.docType && d.title.toLowerCase().includes(want))?.key;
}

/** SHA-256 of a document's canonical JSON without `generatedAt` and `contentHash`. */
export function documentContentHash(doc: Omit<GeneratedDocument, 'contentHash' | 'generatedAt'> & { generatedAt?: string; contentHash?: string }): string {
  const { generatedAt: _g, contentHash: _c, ...rest } = doc;
  return sha256Hex(documentJson(rest));
}

/**
 * Canonical JSON (RFC 8785) of plain document data: keys sorted by UTF-16 code units, no white space, strings and
 * numbers as `JSON.stringify` writes them, undefined properties left out. The same text as `canonicalJson` for the
 * document model's values (strings, finite numbers, booleans, arrays, plain objects), written in one pass with each
 * set of keys sorted once: several times faster on a document of thousands of rows than the general serializer.
 */
export function documentJson(value: unknown): string {
  let out = '';
  // Objects of one kind (cells, inlines, record fields) share their keys: sort each set of keys once per document.
  const sortedKeys = new Map<string, readonly (readonly [string, string])[]>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      out += NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
    } else if (v === null || typeof v !== 'object') {
      out += JSON.stringify(v) ?? 'null';
    } else if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ',';
        const x: unknown = v[i];
        walk(x === undefined ? null : x);
      }
      out += ']';
    } else {
      const o = v as Record<string, unknown>;
      const own = Object.keys(o);
      // The key list as JSON: unambiguous (a joined string would take `{}` and `{"": …}` for the same shape).
      const shape = JSON.stringify(own);
      let keys = sortedKeys.get(shape);
      if (keys === undefined) {
        keys = [...own].sort().map((k) => [k, `${JSON.stringify(k)}:`] as const);
        sortedKeys.set(shape, keys);
      }
      let first = true;
      out += '{';
      for (const [k, quoted] of keys) {
        const x = o[k];
        if (x === undefined) continue;
        out += first ? quoted : `,${quoted}`;
        first = false;
        walk(x);
      }
      out += '}';
    }
  };
  walk(value);
  return out;
}

/** Characters a JSON string must escape (and lone surrogates, which JSON.stringify writes as escapes). */
// eslint-disable-next-line no-control-regex -- the characters JSON escapes are exactly the control characters, quote and backslash
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Builds the generated documents of a baseline from their templates. Index documents (the risk file, the design
 * history file, the FDA and MDR indexes) point at the others, so every document is first built once to learn its
 * gaps, then the whole set again with that knowledge.
 * @param templates - every document's template (the shipped ones with a team's overrides put in)
 * @param only - just these document IDs (all when absent)
 * @throws AppError INVALID_INPUT naming an unknown document ID in `only`, or a template that fails
 */
export function generateDocuments(s: BaselineSnapshot, templates: readonly DocumentTemplate[], generatedAt: string, only?: readonly string[]): GeneratedDocument[] {
  const sorted = [...templates].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  if (only !== undefined) {
    const known = new Set(sorted.map((t) => t.id));
    const unknown = only.filter((id) => !known.has(id));
    if (unknown.length > 0) throw invalidInput(`unknown document ${unknown.join(', ')} (known: ${[...known].join(', ')})`, { field: 'only', item: unknown[0] ?? '' });
  }
  const ix = new SnapshotIndex(s);
  const data = templateData(s, ix);
  const wanted = only === undefined ? sorted : sorted.filter((t) => only.includes(t.id));
  const isIndex = (t: DocumentTemplate): boolean => INDEX_PART.test(t.body);
  // Documents that are no index never depend on the others: rendered once. Index documents need the others' gaps.
  const plain = documentParts(ix, undefined);
  const blocks = new Map<string, Block[]>();
  const needed = wanted.some(isIndex) ? sorted : wanted;
  const summaries = new Map<string, DocumentSummary>();
  const summarise = (t: DocumentTemplate, b: readonly Block[]): void => {
    const gaps: string[] = [];
    collect(b, gaps, new Set());
    summaries.set(t.id, { id: t.id, title: t.title, gaps: gaps.length });
  };
  for (const t of needed) {
    const b = renderTemplate(t, data, plain);
    if (!isIndex(t)) blocks.set(t.id, b);
    summarise(t, b);
  }
  // An index may point at another index (the MDR index at the risk management file): two rounds settle the counts.
  for (let round = 0; round < 2; round++) {
    const parts = documentParts(ix, new Map(summaries));
    for (const t of needed.filter(isIndex)) {
      const b = renderTemplate(t, data, parts);
      blocks.set(t.id, b);
      summarise(t, b);
    }
  }
  return wanted.map((t) => buildOne(t, s, ix, blocks.get(t.id) ?? [], generatedAt));
}

const INDEX_PART = /part\s+["'][a-z-]*-index["']/;

function buildOne(t: DocumentTemplate, s: BaselineSnapshot, ix: SnapshotIndex, blocks: readonly Block[], generatedAt: string): GeneratedDocument {
  const gaps: string[] = [];
  const records = new Set<string>();
  collect(blocks, gaps, records);
  const control = controllingRecord(t, ix);
  let history: readonly HistoryRow[];
  let signatures: readonly SignatureManifestation[];
  if (control !== undefined) {
    records.add(control);
    history = s.documentHistory[control] ?? [];
    signatures = s.recordSignatures[control] ?? [];
  } else {
    history = [
      {
        revision: s.baseline.kind === 'release' ? `${s.baseline.label} (baseline ${s.release?.baseline ?? 1})` : 'current state',
        date: s.asOf.slice(0, 10),
        author: s.release?.createdBy ?? 'Dossier',
        description: s.baseline.kind === 'release' ? `Generated from the frozen baseline of release ${s.baseline.label}` : 'Generated from the current state of the records (not a release)',
      },
    ];
    signatures = s.releaseSignatures;
  }
  const doc = {
    id: t.id,
    title: t.title,
    clauses: t.clauses,
    product: s.product,
    baseline: s.baseline,
    history,
    signatures,
    blocks,
    gaps,
    records: [...records].sort(),
  };
  return { ...doc, generatedAt, contentHash: documentContentHash(doc) };
}

/** Each document's ID, title, clauses and gaps (what `docs list` shows). */
export function documentStatuses(docs: readonly GeneratedDocument[]): DocumentStatus[] {
  return docs.map((d) => ({ id: d.id, title: d.title, clauses: d.clauses, gaps: d.gaps }));
}

/**
 * The whole technical file: the documents and one page per record, with the links leaving and arriving at it
 * (suspect ones marked), its signatures and the documents that show or name it.
 */
export function buildTechnicalFile(s: BaselineSnapshot, documents: readonly GeneratedDocument[], generatedAt: string): TechnicalFile {
  const ix = new SnapshotIndex(s);
  const namedBy = new Map<string, { id: string; title: string }[]>();
  for (const d of documents) for (const k of d.records) {
    const list = namedBy.get(k);
    if (list === undefined) namedBy.set(k, [{ id: d.id, title: d.title }]);
    else list.push({ id: d.id, title: d.title });
  }
  const title = (k: string): string => ix.byKey.get(k)?.title ?? '';
  const records: RecordPage[] = s.records.map((r) => ({
    key: r.key,
    type: r.type,
    typeName: s.typeNames[r.type] ?? r.type,
    title: r.title,
    status: r.status,
    revision: r.revision,
    hash: r.hash,
    fields: recordFields(r),
    body: markdownBlocks(r.body, 1, `rec-${r.key}`),
    upstream: ix.linksFrom(r.key).map((l) => ({ linkType: l.type, key: l.to, title: title(l.to), suspect: l.suspect })),
    downstream: ix.linksTo(r.key).map((l) => ({ linkType: l.type, key: l.from, title: title(l.from), suspect: l.suspect })),
    signatures: s.recordSignatures[r.key] ?? [],
    documents: namedBy.get(r.key) ?? [],
  }));
  return { product: s.product, baseline: s.baseline, generatedAt, documents, records };
}

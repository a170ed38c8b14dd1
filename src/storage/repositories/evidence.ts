import type { Selectable } from 'kysely';
import { canonicalJson } from '../../core/hashing.js';
import {
  evidenceDigestText,
  type EvidenceImport,
  type EvidenceItem,
  type EvidenceItemKind,
  type EvidenceKind,
  type EvidenceRef,
  type EvidenceRole,
} from '../../core/evidence/model.js';
import type { ResultItem } from '../../core/evidence/verdicts.js';
import type { EvidenceDigestRow, EvidenceItemFilter, EvidenceReader, EvidenceWriter } from '../../core/ports.js';
import { chunks } from '../dialect.js';
import { entityColumns, type Mutable } from '../entity-columns.js';
import type { EvidenceImportRow, EvidenceItemRow, EvidenceRefRow } from '../schema.js';
import { Repository } from './repository.js';

/** An evidence import and its row (meta as canonical JSON text). */
export const EVIDENCE_IMPORT_COLUMNS = entityColumns<EvidenceImport, EvidenceImportRow>({
  id: 'id',
  productId: 'product_id',
  kind: { column: 'kind', read: (v) => v as EvidenceKind },
  source: 'source',
  contentHash: 'content_hash',
  meta: { column: 'meta', read: (v) => JSON.parse(v as string) as Record<string, unknown>, write: (m) => canonicalJson(m) },
  itemCount: 'item_count',
  itemsDigest: 'items_digest',
  importedAt: 'imported_at',
  importedBy: 'imported_by',
  version: 'version',
  voidedAt: 'voided_at',
  voidedBy: 'voided_by',
  voidReason: 'void_reason',
});

/**
 * An evidence item's own columns (its references are rows of `evidence_refs`). Written as flat values in this order
 * (`insertEvidenceItems`), the largest bulk write.
 */
export const EVIDENCE_ITEM_COLUMNS = entityColumns<Omit<EvidenceItem, 'refs' | 'dataJson'>, EvidenceItemRow>({
  id: 'id',
  importId: 'import_id',
  productId: 'product_id',
  kind: { column: 'kind', read: (v) => v as EvidenceItemKind },
  key: 'key',
  outcome: 'outcome',
  data: { column: 'data', read: (v) => JSON.parse(v as string) as Record<string, unknown>, write: (d) => canonicalJson(d) },
});

// `insertEvidenceItems` writes the item's values in this order, by hand (no object per item).
if (EVIDENCE_ITEM_COLUMNS.columns.join() !== 'id,import_id,product_id,kind,key,outcome,data') {
  throw new Error('EVIDENCE_ITEM_COLUMNS changed: update insertEvidenceItems');
}

/** The columns of `evidence_refs` in the order `insertEvidenceItems` writes them. */
const EVIDENCE_REF_COLUMNS = ['item_id', 'record_id', 'role'] as const satisfies readonly (keyof EvidenceRefRow)[];

/** Evidence imports, their items and the items' record references. */
export class EvidenceRepository extends Repository implements EvidenceReader, EvidenceWriter {
  async findEvidenceImport(productId: number, kind: EvidenceKind, contentHash: string): Promise<EvidenceImport | undefined> {
    const row = await this.db
      .selectFrom('evidence_imports')
      .selectAll()
      .where('product_id', '=', productId)
      .where('kind', '=', kind)
      .where('content_hash', '=', contentHash)
      .executeTakeFirst();
    return row === undefined ? undefined : EVIDENCE_IMPORT_COLUMNS.fromRow(row);
  }

  async findEvidenceImportById(productId: number, id: number): Promise<EvidenceImport | undefined> {
    const row = await this.db
      .selectFrom('evidence_imports')
      .selectAll()
      .where('product_id', '=', productId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : EVIDENCE_IMPORT_COLUMNS.fromRow(row);
  }

  async listEvidenceImports(productId?: number, kind?: EvidenceKind): Promise<EvidenceImport[]> {
    let q = this.db.selectFrom('evidence_imports').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    if (kind !== undefined) q = q.where('kind', '=', kind);
    return (await q.orderBy('id').execute()).map((r) => EVIDENCE_IMPORT_COLUMNS.fromRow(r));
  }

  async listEvidenceItems(filter: EvidenceItemFilter): Promise<EvidenceItem[]> {
    const out: EvidenceItem[] = [];
    // Large ID lists go in chunks (bound-parameter limits); each chunk reads items, then their references.
    const listed = filter.importIds ?? filter.itemIds;
    const groups: (readonly number[] | undefined)[] = listed !== undefined ? chunks(listed, 500) : [undefined];
    for (const ids of groups) {
      if (ids !== undefined && ids.length === 0) continue;
      let q = this.db.selectFrom('evidence_items').selectAll().where('product_id', '=', filter.productId);
      if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
      if (ids !== undefined) q = q.where(filter.importIds !== undefined ? 'import_id' : 'id', 'in', ids);
      const rows = await q.orderBy('id').execute();
      // One push per item: spreading an import's items as arguments overflows the stack past ~120,000 of them.
      for (const item of await this.withRefs(rows)) out.push(item);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  async listNewestTestResults(productId: number): Promise<ResultItem[]> {
    // Per record, the newest import (import IDs grow) with a result that ran a test of it; then that import's results
    // for the record. Results of older runs, under names no longer used, are not read (see `testVerdicts`).
    const ran = ['passed', 'failed', 'error', 'flaky'];
    const newest = this.db
      .selectFrom('evidence_refs as r')
      .innerJoin('evidence_items as i', 'i.id', 'r.item_id')
      .innerJoin('evidence_imports as m', 'm.id', 'i.import_id')
      .select((eb) => ['r.record_id', eb.fn.max('i.import_id').as('import_id')])
      .where('i.product_id', '=', productId)
      .where('m.voided_at', 'is', null)
      .where('i.kind', '=', 'test_result')
      .where('i.outcome', 'in', ran)
      .groupBy('r.record_id')
      .as('n');
    const rows = await this.db
      .selectFrom('evidence_items as i')
      .innerJoin('evidence_refs as r', 'r.item_id', 'i.id')
      .innerJoin(newest, (j) => j.onRef('n.record_id', '=', 'r.record_id').onRef('n.import_id', '=', 'i.import_id'))
      .select(['i.id', 'i.import_id', 'i.key', 'i.outcome', 'r.record_id', 'r.role'])
      .where('i.product_id', '=', productId)
      .where('i.kind', '=', 'test_result')
      .where('i.outcome', 'in', ran)
      .orderBy('i.id')
      .orderBy('r.record_id')
      .execute();
    const out: ResultItem[] = [];
    let last: { id: number; importId: number; key: string; outcome: string | null; refs: EvidenceRef[] } | undefined;
    for (const r of rows) {
      if (last === undefined || last.id !== r.id) {
        last = { id: r.id, importId: r.import_id, key: r.key, outcome: r.outcome, refs: [] };
        out.push(last);
      }
      last.refs.push({ recordId: r.record_id, role: r.role as EvidenceRole });
    }
    return out;
  }

  async scanEvidenceDigests(afterId: number, limit: number): Promise<EvidenceDigestRow[]> {
    const items = await this.dialect.selectArrays(
      this.db,
      this.db
        .selectFrom('evidence_items')
        .select(['id', 'import_id', 'kind', 'key', 'outcome', 'data'])
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit),
    );
    const last = items[items.length - 1];
    if (last === undefined) return [];
    // The page's references in one range query on the primary key (item, record, role): the order the digest uses.
    const refs = await this.dialect.selectArrays(
      this.db,
      this.db
        .selectFrom('evidence_refs')
        .select(['item_id', 'record_id', 'role'])
        .where('item_id', '>', afterId)
        .where('item_id', '<=', last[0] as number)
        .orderBy('item_id')
        .orderBy('record_id')
        .orderBy('role'),
    );
    const out: EvidenceDigestRow[] = [];
    let r = 0;
    for (const [id, importId, kind, key, outcome, data] of items) {
      const own: EvidenceRef[] = [];
      while (r < refs.length && (refs[r]?.[0] as number) < (id as number)) r++;
      for (; r < refs.length && refs[r]?.[0] === id; r++) {
        own.push({ recordId: refs[r]?.[1] as number, role: refs[r]?.[2] as EvidenceRole });
      }
      const digested = { kind: kind as EvidenceItemKind, key: key as string, outcome: outcome as string | null, refs: own };
      const text = evidenceDigestText(digested, data as string);
      out.push({ id: id as number, importId: importId as number, text });
    }
    return out;
  }

  async pageEvidenceItems(afterId: number, limit: number): Promise<EvidenceItem[]> {
    const rows = await this.db.selectFrom('evidence_items').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return this.withRefs(rows);
  }

  /** Attaches record references to item rows (one query per 500 items). */
  private async withRefs(rows: readonly Selectable<EvidenceItemRow>[]): Promise<EvidenceItem[]> {
    const refs = new Map<number, EvidenceRef[]>();
    for (const part of chunks(rows.map((r) => r.id), 500)) {
      if (part.length === 0) continue;
      const found = await this.db
        .selectFrom('evidence_refs')
        .selectAll()
        .where('item_id', 'in', part)
        .orderBy('item_id')
        .orderBy('record_id')
        .orderBy('role')
        .execute();
      for (const f of found) {
        const list = refs.get(f.item_id) ?? [];
        list.push({ recordId: f.record_id, role: f.role as EvidenceRole });
        refs.set(f.item_id, list);
      }
    }
    return rows.map((r) => {
      const item = EVIDENCE_ITEM_COLUMNS.fromRow(r) as Mutable<EvidenceItem>;
      item.refs = refs.get(r.id) ?? [];
      return item;
    });
  }

  async insertEvidenceImports(imports: readonly EvidenceImport[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'evidence_imports', imports.map((i) => EVIDENCE_IMPORT_COLUMNS.toRow(i)));
  }

  async setEvidenceImportVersion(id: number, version: string): Promise<void> {
    await this.db.updateTable('evidence_imports').set({ version }).where('id', '=', id).execute();
  }

  async markEvidenceImportVoid(id: number, at: string, by: string, reason: string): Promise<void> {
    await this.db.updateTable('evidence_imports').set({ voided_at: at, voided_by: by, void_reason: reason }).where('id', '=', id).execute();
  }

  async insertEvidenceItems(items: readonly EvidenceItem[]): Promise<void> {
    // The largest bulk write (a test run of 100,000 results): values straight into the statement, no row objects.
    const columns = EVIDENCE_ITEM_COLUMNS.columns;
    const values: unknown[] = new Array<unknown>(items.length * columns.length);
    let v = 0;
    for (const i of items) {
      // In EVIDENCE_ITEM_COLUMNS order.
      values[v++] = i.id;
      values[v++] = i.importId;
      values[v++] = i.productId;
      values[v++] = i.kind;
      values[v++] = i.key;
      values[v++] = i.outcome;
      values[v++] = i.dataJson ?? canonicalJson(i.data);
    }
    await this.dialect.insertValues(this.db, 'evidence_items', columns, values);
    const refs: unknown[] = [];
    for (const i of items) for (const r of i.refs) refs.push(i.id, r.recordId, r.role);
    await this.dialect.insertValues(this.db, 'evidence_refs', EVIDENCE_REF_COLUMNS, refs);
  }
}

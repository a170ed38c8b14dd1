import { recordKey, type Link, type LinkView } from '../../core/entities.js';
import type { LinkFilter, LinksReader, LinksWriter } from '../../core/ports.js';
import { chunks, IN_CHUNK } from '../dialect.js';
import { entityColumns } from '../entity-columns.js';
import type { LinkRow } from '../schema.js';
import { Repository } from './repository.js';

/** A link and its row. */
export const LINK_COLUMNS = entityColumns<Link, LinkRow>({
  id: 'id',
  productId: 'product_id',
  type: 'type',
  fromId: 'from_id',
  toId: 'to_id',
  fromRevision: 'from_revision',
  toRevision: 'to_revision',
  createdAt: 'created_at',
  createdBy: 'created_by',
  confirmedAt: 'confirmed_at',
  confirmedBy: 'confirmed_by',
  removedAt: 'removed_at',
  removedBy: 'removed_by',
  removalReason: 'removal_reason',
});

/** A link row with the types and numbers of its ends, as `linkViewQuery` selects it. */
type LinkViewRow = LinkRow & { from_type: string; from_number: number; to_type: string; to_number: number };

function toLinkView(r: LinkViewRow): LinkView {
  return {
    ...LINK_COLUMNS.fromRow(r),
    fromKey: recordKey(r.from_type, r.from_number),
    fromType: r.from_type,
    toKey: recordKey(r.to_type, r.to_number),
    toType: r.to_type,
  };
}

/** Links between records (never deleted: removal is marked). */
export class LinksRepository extends Repository implements LinksReader, LinksWriter {
  async listLinks(filter: LinkFilter): Promise<LinkView[]> {
    let q = this.linkViewQuery().where('l.product_id', '=', filter.productId);
    if (filter.recordId !== undefined) {
      const id = filter.recordId;
      q = q.where((eb) => eb.or([eb('l.from_id', '=', id), eb('l.to_id', '=', id)]));
    }
    if (filter.includeRemoved !== true) q = q.where('l.removed_at', 'is', null);
    const rows = await q.orderBy('l.id').execute();
    return rows.map(toLinkView);
  }

  async findLink(productId: number, id: number): Promise<LinkView | undefined> {
    const row = await this.linkViewQuery().where('l.product_id', '=', productId).where('l.id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toLinkView(row);
  }

  // eslint-disable-next-line @typescript-eslint/explicit-function-return-type -- Kysely infers the builder type
  private linkViewQuery() {
    return this.db
      .selectFrom('links as l')
      .innerJoin('records as f', 'f.id', 'l.from_id')
      .innerJoin('records as t', 't.id', 'l.to_id')
      .selectAll('l')
      .select(['f.type as from_type', 'f.number as from_number', 't.type as to_type', 't.number as to_number']);
  }

  async listActiveLinkEnds(fromIds: readonly number[]): Promise<Pick<Link, 'type' | 'fromId' | 'toId'>[]> {
    const out: Pick<Link, 'type' | 'fromId' | 'toId'>[] = [];
    for (const part of chunks([...new Set(fromIds)], IN_CHUNK)) {
      const rows = await this.db
        .selectFrom('links')
        .select(['type', 'from_id', 'to_id'])
        .where('from_id', 'in', part)
        .where('removed_at', 'is', null)
        .execute();
      for (const r of rows) out.push({ type: r.type, fromId: r.from_id, toId: r.to_id });
    }
    return out;
  }

  async pageLinks(afterId: number, limit: number): Promise<Link[]> {
    const query = this.db.selectFrom('links').select(LINK_COLUMNS.columns).where('id', '>', afterId).orderBy('id').limit(limit);
    return (await this.dialect.selectArrays(this.db, query)).map((a) => LINK_COLUMNS.fromArray(a));
  }

  async insertLinks(links: readonly Link[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'links', links.map((l) => LINK_COLUMNS.toRow(l)));
  }

  async markLinkRemoved(id: number, removedAt: string, removedBy: string, reason: string | null): Promise<void> {
    await this.db
      .updateTable('links')
      .set({ removed_at: removedAt, removed_by: removedBy, removal_reason: reason })
      .where('id', '=', id)
      .execute();
  }

  async confirmLink(id: number, fromRevision: number, toRevision: number, at: string, by: string): Promise<void> {
    await this.db
      .updateTable('links')
      .set({ from_revision: fromRevision, to_revision: toRevision, confirmed_at: at, confirmed_by: by })
      .where('id', '=', id)
      .execute();
  }
}

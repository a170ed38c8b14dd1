import type { DatabaseCheck, NextIds, StoreWideReader } from '../../core/ports.js';
import { checkDatabase } from '../database-check.js';
import { Repository } from './repository.js';

/** The table each kind of internal ID numbers. */
const ID_TABLES = {
  product: 'products',
  record: 'records',
  link: 'links',
  evidenceImport: 'evidence_imports',
  evidenceItem: 'evidence_items',
  release: 'releases',
} as const satisfies Record<keyof NextIds, string>;

/** What concerns the whole store: the next free IDs, whether it is empty, the engine's check of its storage. */
export class StoreWideRepository extends Repository implements StoreWideReader {
  async nextIds(): Promise<NextIds> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('products').select((e) => e.fn.max('id').as('m')).as('product'),
        eb.selectFrom('records').select((e) => e.fn.max('id').as('m')).as('record'),
        eb.selectFrom('links').select((e) => e.fn.max('id').as('m')).as('link'),
        eb.selectFrom('evidence_imports').select((e) => e.fn.max('id').as('m')).as('evidenceImport'),
        eb.selectFrom('evidence_items').select((e) => e.fn.max('id').as('m')).as('evidenceItem'),
        eb.selectFrom('releases').select((e) => e.fn.max('id').as('m')).as('release'),
      ])
      .executeTakeFirstOrThrow();
    return {
      product: Number(row.product ?? 0) + 1,
      record: Number(row.record ?? 0) + 1,
      link: Number(row.link ?? 0) + 1,
      evidenceImport: Number(row.evidenceImport ?? 0) + 1,
      evidenceItem: Number(row.evidenceItem ?? 0) + 1,
      release: Number(row.release ?? 0) + 1,
    };
  }

  async nextFreeId(kind: keyof NextIds): Promise<number> {
    const row = await this.db
      .selectFrom(ID_TABLES[kind])
      .select((e) => e.fn.max('id').as('m'))
      .executeTakeFirstOrThrow();
    return Number(row.m ?? 0) + 1;
  }

  async isEmpty(): Promise<boolean> {
    const p = await this.db.selectFrom('products').select('id').limit(1).executeTakeFirst();
    const a = await this.db.selectFrom('audit_events').select('seq').limit(1).executeTakeFirst();
    return p === undefined && a === undefined;
  }

  async checkDatabase(): Promise<DatabaseCheck> {
    return checkDatabase(this.db, this.dialect.name);
  }
}

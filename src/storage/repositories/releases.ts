import type { Release, ReleaseEvidence, ReleaseLink, ReleaseRecord, ReleaseStatus } from '../../core/evidence/model.js';
import type { ReleasesReader, ReleasesWriter } from '../../core/ports.js';
import { entityColumns } from '../entity-columns.js';
import type { ReleaseEvidenceRow, ReleaseLinkRow, ReleaseRecordRow, ReleaseRow } from '../schema.js';
import { Repository } from './repository.js';

/** A release and its row. */
export const RELEASE_COLUMNS = entityColumns<Release, ReleaseRow>({
  id: 'id',
  productId: 'product_id',
  version: 'version',
  baseline: 'baseline',
  status: { column: 'status', read: (v) => v as ReleaseStatus },
  baselineHash: 'baseline_hash',
  auditSeq: { column: 'audit_seq', read: Number },
  auditHash: 'audit_hash',
  createdAt: 'created_at',
  createdBy: 'created_by',
  releasedAt: 'released_at',
  releasedBy: 'released_by',
  voidedAt: 'voided_at',
  voidedBy: 'voided_by',
  voidReason: 'void_reason',
});

/** A record as frozen in a baseline, and its row. */
export const RELEASE_RECORD_COLUMNS = entityColumns<ReleaseRecord, ReleaseRecordRow>({
  releaseId: 'release_id',
  recordId: 'record_id',
  revision: 'revision',
  status: 'status',
  hash: 'hash',
});

/** A link as frozen in a baseline, and its row. */
export const RELEASE_LINK_COLUMNS = entityColumns<ReleaseLink, ReleaseLinkRow>({
  releaseId: 'release_id',
  linkId: 'link_id',
  type: 'type',
  fromId: 'from_id',
  toId: 'to_id',
  fromRevision: 'from_revision',
  toRevision: 'to_revision',
  checkedAt: 'checked_at',
});

/** Evidence of a release, and its row. */
export const RELEASE_EVIDENCE_COLUMNS = entityColumns<ReleaseEvidence, ReleaseEvidenceRow>({
  releaseId: 'release_id',
  importId: 'import_id',
  itemId: 'item_id',
});

/** Releases and their frozen baselines. */
export class ReleasesRepository extends Repository implements ReleasesReader, ReleasesWriter {
  async listReleases(productId?: number): Promise<Release[]> {
    let q = this.db.selectFrom('releases').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    return (await q.orderBy('id').execute()).map((r) => RELEASE_COLUMNS.fromRow(r));
  }

  async findRelease(productId: number, version: string): Promise<Release | undefined> {
    const row = await this.db
      .selectFrom('releases')
      .selectAll()
      .where('product_id', '=', productId)
      .where('version', '=', version)
      .orderBy('baseline', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : RELEASE_COLUMNS.fromRow(row);
  }

  async listReleaseRecords(releaseId: number): Promise<ReleaseRecord[]> {
    const rows = await this.db.selectFrom('release_records').selectAll().where('release_id', '=', releaseId).orderBy('record_id').execute();
    return rows.map((r) => RELEASE_RECORD_COLUMNS.fromRow(r));
  }

  async listReleaseLinks(releaseId: number): Promise<ReleaseLink[]> {
    const rows = await this.db.selectFrom('release_links').selectAll().where('release_id', '=', releaseId).orderBy('link_id').execute();
    return rows.map((r) => RELEASE_LINK_COLUMNS.fromRow(r));
  }

  async listReleaseEvidence(releaseId?: number): Promise<ReleaseEvidence[]> {
    let q = this.db.selectFrom('release_evidence').selectAll();
    if (releaseId !== undefined) q = q.where('release_id', '=', releaseId);
    const rows = await q.orderBy('release_id').orderBy('import_id').orderBy('item_id').execute();
    return rows.map((r) => RELEASE_EVIDENCE_COLUMNS.fromRow(r));
  }

  async insertReleases(releases: readonly Release[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'releases', releases.map((r) => RELEASE_COLUMNS.toRow(r)));
  }

  async insertReleaseRecords(rows: readonly ReleaseRecord[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'release_records', rows.map((r) => RELEASE_RECORD_COLUMNS.toRow(r)));
  }

  async insertReleaseLinks(rows: readonly ReleaseLink[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'release_links', rows.map((r) => RELEASE_LINK_COLUMNS.toRow(r)));
  }

  async insertReleaseEvidence(rows: readonly ReleaseEvidence[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'release_evidence', rows.map((r) => RELEASE_EVIDENCE_COLUMNS.toRow(r)));
  }

  async markReleased(releaseId: number, at: string, by: string): Promise<void> {
    await this.db
      .updateTable('releases')
      .set({ status: 'released', released_at: at, released_by: by })
      .where('id', '=', releaseId)
      .execute();
  }

  async voidRelease(releaseId: number, at: string, by: string, reason: string): Promise<void> {
    await this.db
      .updateTable('releases')
      .set({ status: 'void', voided_at: at, voided_by: by, void_reason: reason })
      .where('id', '=', releaseId)
      .execute();
  }
}

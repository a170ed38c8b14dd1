import type { AttachmentRow } from '../../core/attachments/model.js';
import type { AttachmentContent, AttachmentsReader, AttachmentsWriter } from '../../core/attachments/ports.js';
import { entityColumns } from '../entity-columns.js';
import type { AttachmentTableRow } from '../schema.js';
import { Repository } from './repository.js';

/** An attachment and its row (numbers read as numbers: PostgreSQL drivers may hand some back as text). */
const ATTACHMENT_COLUMNS = entityColumns<AttachmentRow, AttachmentTableRow>({
  id: { column: 'id', read: Number },
  productId: { column: 'product_id', read: Number },
  recordId: { column: 'record_id', read: Number },
  revision: { column: 'revision', read: Number },
  name: 'name',
  mediaType: 'media_type',
  size: { column: 'size', read: Number },
  sha256: 'sha256',
  attachedAt: 'attached_at',
  attachedBy: 'attached_by',
});

const toContent = (r: { sha256: string; size: number | string; bytes: Uint8Array }): AttachmentContent => ({
  sha256: r.sha256,
  size: Number(r.size),
  bytes: r.bytes,
});

/** Attachments and their content-addressed bytes. Both tables are only ever inserted into. */
export class AttachmentsRepository extends Repository implements AttachmentsReader, AttachmentsWriter {
  async listAttachments(recordId: number): Promise<AttachmentRow[]> {
    const rows = await this.db.selectFrom('attachments').selectAll().where('record_id', '=', recordId).orderBy('id').execute();
    return rows.map((r) => ATTACHMENT_COLUMNS.fromRow(r));
  }

  async pageAttachments(afterId: number, limit: number): Promise<AttachmentRow[]> {
    const rows = await this.db.selectFrom('attachments').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map((r) => ATTACHMENT_COLUMNS.fromRow(r));
  }

  async findAttachmentContent(sha256: string): Promise<AttachmentContent | undefined> {
    const row = await this.db.selectFrom('attachment_contents').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    return row === undefined ? undefined : toContent(row);
  }

  async hasAttachmentContent(sha256: string): Promise<boolean> {
    const row = await this.db.selectFrom('attachment_contents').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
    return row !== undefined;
  }

  async pageAttachmentContents(afterSha256: string, limit: number): Promise<AttachmentContent[]> {
    const rows = await this.db.selectFrom('attachment_contents').selectAll().where('sha256', '>', afterSha256).orderBy('sha256').limit(limit).execute();
    return rows.map(toContent);
  }

  async nextAttachmentId(): Promise<number> {
    const row = await this.db.selectFrom('attachments').select((e) => e.fn.max('id').as('m')).executeTakeFirstOrThrow();
    return Number(row.m ?? 0) + 1;
  }

  async insertAttachmentContent(content: AttachmentContent): Promise<void> {
    await this.db.insertInto('attachment_contents').values({ sha256: content.sha256, size: content.size, bytes: content.bytes }).execute();
  }

  async insertAttachments(rows: readonly AttachmentRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('attachments').values(rows.map((r) => ATTACHMENT_COLUMNS.toRow(r) as unknown as AttachmentTableRow)).execute();
  }
}

import type { PendingRecordRow, SignatureStep, SignatureCheckRow, SignaturesReader, SignaturesWriter } from '../../core/signatures/ports.js';
import {
  SignatureMeaningSchema,
  SignatureMethodSchema,
  SignedEntityTypeSchema,
  type SignatureRow,
  type StatementAcceptanceRow,
  type WorkflowRow,
} from '../../core/signatures/model.js';
import type { RecordSignatureStep } from '../../core/signatures/ports.js';
import { entityColumns } from '../entity-columns.js';
import type { SignatureStatementTableRow, SignatureTableRow, WorkflowTableRow } from '../schema.js';
import { Repository } from './repository.js';

/** A signature and its row. */
export const SIGNATURE_COLUMNS = entityColumns<SignatureRow, SignatureTableRow>({
  id: 'id',
  productId: 'product_id',
  entityType: { column: 'entity_type', read: (v) => SignedEntityTypeSchema.parse(v) },
  entityId: 'entity_id',
  entityKey: 'entity_key',
  revision: 'revision',
  contentHash: 'content_hash',
  manifest: 'manifest',
  meaning: { column: 'meaning', read: (v) => SignatureMeaningSchema.parse(v) },
  step: 'step',
  userId: 'user_id',
  username: 'username',
  printedName: 'printed_name',
  signedAt: 'signed_at',
  method: { column: 'method', read: (v) => SignatureMethodSchema.parse(v) },
});

/** The same columns read as they are stored: verification compares them and reports a bad value, never throws. */
const STORED_SIGNATURE_COLUMNS = entityColumns<SignatureRow, SignatureTableRow>({
  id: 'id',
  productId: 'product_id',
  entityType: { column: 'entity_type', read: (v) => v as SignatureRow['entityType'] },
  entityId: 'entity_id',
  entityKey: 'entity_key',
  revision: 'revision',
  contentHash: 'content_hash',
  manifest: 'manifest',
  meaning: { column: 'meaning', read: (v) => v as SignatureRow['meaning'] },
  step: 'step',
  userId: 'user_id',
  username: 'username',
  printedName: 'printed_name',
  signedAt: 'signed_at',
  method: { column: 'method', read: (v) => v as SignatureRow['method'] },
});

const STATEMENT_COLUMNS = entityColumns<StatementAcceptanceRow, SignatureStatementTableRow>({
  id: 'id',
  userId: 'user_id',
  username: 'username',
  printedName: 'printed_name',
  version: 'version',
  text: 'text',
  acceptedAt: 'accepted_at',
});

const WORKFLOW_COLUMNS = entityColumns<WorkflowRow, WorkflowTableRow>({
  productId: 'product_id',
  subject: 'subject',
  definition: 'definition',
  updatedAt: 'updated_at',
  updatedBy: 'updated_by',
});

const IN_LIST = 900;

/** Electronic signatures, accountability statements and approval workflows. Signatures are only ever inserted. */
export class SignaturesRepository extends Repository implements SignaturesReader, SignaturesWriter {
  async listSignatures(entityType: SignatureRow['entityType'], entityIds: readonly number[]): Promise<SignatureRow[]> {
    const out: SignatureRow[] = [];
    for (let i = 0; i < entityIds.length; i += IN_LIST) {
      const ids = entityIds.slice(i, i + IN_LIST);
      const rows = await this.db.selectFrom('signatures').selectAll().where('entity_type', '=', entityType).where('entity_id', 'in', ids).orderBy('id').execute();
      for (const r of rows) out.push(SIGNATURE_COLUMNS.fromRow(r));
    }
    return entityIds.length > IN_LIST ? out.sort((a, b) => a.id - b.id) : out;
  }

  async pageSignatures(afterId: number, limit: number): Promise<SignatureRow[]> {
    const rows = await this.db.selectFrom('signatures').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map((r) => SIGNATURE_COLUMNS.fromRow(r));
  }

  async pageSignatureChecks(afterId: number, limit: number, entityType?: string): Promise<SignatureCheckRow[]> {
    let q = this.db.selectFrom('signatures as s');
    if (entityType !== undefined) q = q.where('s.entity_type', '=', entityType);
    const rows = await q
      .leftJoin('revisions as v', (j) =>
        j.onRef('v.record_id', '=', 's.entity_id').onRef('v.revision', '=', 's.revision').on('s.entity_type', '=', 'record'),
      )
      // A training signature signs the revision of the document its assignment names.
      .leftJoin('training_assignments as ta', (j) => j.onRef('ta.id', '=', 's.entity_id').on('s.entity_type', '=', 'training'))
      .leftJoin('revisions as tv', (j) => j.onRef('tv.record_id', '=', 'ta.record_id').onRef('tv.revision', '=', 's.revision'))
      .selectAll('s')
      .select(['v.hash as revision_hash', 'tv.hash as training_hash'])
      .where('s.id', '>', afterId)
      .orderBy('s.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...STORED_SIGNATURE_COLUMNS.fromRow(r), revisionHash: r.revision_hash ?? r.training_hash ?? null }));
  }

  async listStatementAcceptances(userId?: number): Promise<StatementAcceptanceRow[]> {
    let q = this.db.selectFrom('signature_statements').selectAll();
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return (await q.orderBy('id').execute()).map((r) => STATEMENT_COLUMNS.fromRow(r));
  }

  async listWorkflows(productId?: number): Promise<WorkflowRow[]> {
    let q = this.db.selectFrom('workflows').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    return (await q.orderBy('product_id').orderBy('subject').execute()).map((r) => WORKFLOW_COLUMNS.fromRow(r));
  }

  async listPendingRecords(productId: number): Promise<PendingRecordRow[]> {
    const rows = await this.db
      .selectFrom('records as r')
      .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
      .select(['r.id as recordId', 'r.product_id as productId', 'r.type', 'r.number', 'v.title', 'v.revision', 'v.created_by as author', 'r.updated_at as updatedAt'])
      .where('r.product_id', '=', productId)
      .where('r.status', '=', 'in_review')
      .orderBy('r.id')
      .execute();
    return rows.map((r) => ({ ...r, recordId: Number(r.recordId), productId: Number(r.productId), number: Number(r.number), revision: Number(r.revision) }));
  }

  async listLatestRevisionHashes(recordIds: readonly number[]): Promise<Map<number, { readonly hash: string; readonly author: string }>> {
    const out = new Map<number, { hash: string; author: string }>();
    for (let i = 0; i < recordIds.length; i += IN_LIST) {
      const rows = await this.db
        .selectFrom('records as r')
        .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
        .select(['r.id as recordId', 'v.hash', 'v.created_by as author'])
        .where('r.id', 'in', recordIds.slice(i, i + IN_LIST))
        .execute();
      for (const r of rows) out.set(Number(r.recordId), { hash: r.hash, author: r.author });
    }
    return out;
  }

  async listPendingSignatures(productId: number, recordIds?: readonly number[]): Promise<SignatureStep[]> {
    const out: SignatureStep[] = [];
    const parts = recordIds === undefined ? [undefined] : Array.from({ length: Math.ceil(recordIds.length / IN_LIST) }, (_, k) => recordIds.slice(k * IN_LIST, (k + 1) * IN_LIST));
    for (const ids of parts) {
      let q = this.db
        .selectFrom('signatures as s')
        .innerJoin('records as r', (j) => j.onRef('r.id', '=', 's.entity_id').onRef('r.latest_revision', '=', 's.revision'))
        .select(['s.entity_id as entityId', 's.step', 's.user_id as userId', 's.meaning', 's.signed_at as signedAt'])
        .where('s.entity_type', '=', 'record')
        .where('r.product_id', '=', productId)
        .where('r.status', '=', 'in_review');
      if (ids !== undefined) q = q.where('r.id', 'in', ids);
      for (const r of await q.orderBy('s.id').execute()) {
        out.push({ entityId: Number(r.entityId), step: Number(r.step), userId: Number(r.userId), meaning: SignatureMeaningSchema.parse(r.meaning), signedAt: r.signedAt });
      }
    }
    return out;
  }

  async listRecordSignatureSteps(productId: number): Promise<RecordSignatureStep[]> {
    const rows = await this.db
      .selectFrom('signatures')
      .select(['entity_id', 'revision', 'step'])
      .where('product_id', '=', productId)
      .where('entity_type', '=', 'record')
      .execute();
    return rows.map((r) => ({ recordId: Number(r.entity_id), revision: Number(r.revision), step: Number(r.step) }));
  }

  async nextSignatureId(): Promise<number> {
    const row = await this.db.selectFrom('signatures').select((e) => e.fn.max('id').as('m')).executeTakeFirstOrThrow();
    return Number(row.m ?? 0) + 1;
  }

  async insertSignatures(rows: readonly SignatureRow[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'signatures', rows.map((r) => SIGNATURE_COLUMNS.toRow(r)));
  }

  async insertStatementAcceptance(row: Omit<StatementAcceptanceRow, 'id'>): Promise<StatementAcceptanceRow> {
    const m = await this.db.selectFrom('signature_statements').select((e) => e.fn.max('id').as('m')).executeTakeFirstOrThrow();
    const full: StatementAcceptanceRow = { ...row, id: Number(m.m ?? 0) + 1 };
    await this.dialect.insertRows(this.db, 'signature_statements', [STATEMENT_COLUMNS.toRow(full)]);
    return full;
  }

  async putWorkflow(row: WorkflowRow): Promise<void> {
    const values: WorkflowTableRow = {
      product_id: row.productId,
      subject: row.subject,
      definition: row.definition,
      updated_at: row.updatedAt,
      updated_by: row.updatedBy,
    };
    await this.db
      .insertInto('workflows')
      .values(values)
      .onConflict((oc) => oc.columns(['product_id', 'subject']).doUpdateSet({ definition: row.definition, updated_at: row.updatedAt, updated_by: row.updatedBy }))
      .execute();
  }

  async markSessionSigned(sessionId: string, at: string): Promise<void> {
    await this.db.updateTable('sessions').set({ signed_at: at }).where('id', '=', sessionId).where('signed_at', 'is', null).execute();
  }

  async sessionHasSigned(sessionId: string): Promise<boolean> {
    const row = await this.db.selectFrom('sessions').select('signed_at').where('id', '=', sessionId).executeTakeFirst();
    return row?.signed_at !== null && row?.signed_at !== undefined;
  }
}

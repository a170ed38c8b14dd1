import { WriteSession } from '../../core/record-hooks.js';
import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { AppError, invalidInput, invalidState } from '../../core/errors.js';
import { ProductKeySchema, qualifiedKey, recordKey } from '../../core/entities.js';
import { getProduct, getRecords } from '../../core/lookups.js';
import { writeStatusChange } from '../../core/record-writes.js';
import {
  WorkflowMeaningSchema,
  signatureEntityId,
  SignatureViewSchema,
  toSignatureView,
  workflowFor,
  signatureEventValue,
  type SignatureRow,
} from '../../core/signatures/model.js';
import type { SignatureStep } from '../../core/signatures/ports.js';
import { checkSigning, isComplete } from '../../core/signatures/workflow.js';
import { ReasonSchema } from '../../core/validation.js';
import { asSigner, SignCredentialsShape, credentialsOf, withSigner } from '../services/signing.js';
import { defineUseCase } from '../use-case.js';

export const SignRecordsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Each record with the revision the signer read: signing any other revision is refused (412). */
  records: z
    .array(z.strictObject({ record: z.string().min(1), revision: z.number().int().positive() }))
    .min(1)
    .max(10_000),
  meaning: WorkflowMeaningSchema,
  reason: ReasonSchema.optional(),
  ...SignCredentialsShape,
});
export type SignRecordsInput = z.input<typeof SignRecordsInputSchema>;

export const SignRecordsOutputSchema = z.object({
  signatures: z.array(SignatureViewSchema),
  /** Records whose workflow these signatures completed: they are now approved. */
  approved: z.array(z.string()),
});

/**
 * Signs record revisions electronically, in one batch: one re-authentication, one signature per record, all in one
 * transaction (all or none). Each signature binds the SHA-256 of the exact revision, its meaning, the signer's name
 * and the UTC time, and is written with its SIGNATURE_APPLIED event. The record's workflow decides the order and who
 * may sign; the signature that completes it approves the record (RECORD_STATUS_CHANGED, in the same transaction).
 * @throws AppError PRECONDITION_FAILED when a record has changed since the revision named; INVALID_STATE when a
 *   record is not in review or the signature is out of order or already given; FORBIDDEN for a signer the workflow
 *   does not allow; UNAUTHENTICATED for wrong credentials (counted toward lockout)
 */
export const signRecordsUseCase = defineUseCase({
  name: 'record.sign',
  summary: 'Sign record revisions electronically (re-entering your password), as their workflow asks.',
  kind: 'write',
  what: 'signature',
  input: SignRecordsInputSchema,
  output: SignRecordsOutputSchema,
  permission: 'signature.sign',
  http: { method: 'POST', path: '/api/v1/products/:productKey/signatures' },
  run: (ctx, input) => {
    const items = input.records.map((r) => `${input.productKey}/${r.record.replace(/^[A-Z0-9]+\//, '')}`);
    return withSigner(
      ctx,
      credentialsOf(input),
      { action: 'record.sign', productKey: input.productKey, items, meaning: input.meaning },
      async (w, signer, at) => {
        const deps = asSigner(ctx.deps, signer);
        const product = await getProduct(w, input.productKey);
        const heads = await getRecords(
          w,
          product,
          input.records.map((r) => r.record),
        );
        if (new Set(heads.map((h) => h.id)).size !== heads.length) throw invalidInput('a record is named twice in one signing', { field: 'records' });
        const ids = heads.map((h) => h.id);
        const latest = await w.listLatestRevisionHashes(ids);
        const existing = new Map<number, SignatureStep[]>();
        for (const s of await w.listPendingSignatures(product.id, ids)) existing.set(s.entityId, [...(existing.get(s.entityId) ?? []), s]);
        const workflows = await w.listWorkflows(product.id);
        let nextId = await w.nextSignatureId();
        const rows: SignatureRow[] = [];
        const approved: string[] = [];
        const completes: (typeof heads)[number][] = [];
        for (const [n, head] of heads.entries()) {
          const item = qualifiedKey(product.key, head.type, head.number);
          const revision = input.records[n]?.revision ?? 0;
          if (revision !== head.latestRevision) {
            throw new AppError(
              'PRECONDITION_FAILED',
              revision > head.latestRevision
                ? `${item} has no revision ${revision}: the latest is revision ${head.latestRevision}`
                : `${item} has changed since revision ${revision}: the latest is revision ${head.latestRevision} (by ${head.updatedBy} at ${head.updatedAt}); read it again before signing`,
              { item, field: `records[${n}].revision` },
            );
          }
          const p = latest.get(head.id);
          if (head.status !== 'in_review' || p === undefined) {
            throw invalidState(`${item} is ${head.status}: only a record in review is signed (send it with dossier record status ${recordKey(head.type, head.number)} in_review)`, { item });
          }
          const workflow = workflowFor(workflows, product.id, head.type);
          const on = existing.get(head.id) ?? [];
          const step = checkSigning(workflow, { item, productKey: product.key, author: p.author, signatures: on }, { userId: signer.user.id, username: signer.user.username, grants: signer.grants }, input.meaning);
          const row: SignatureRow = {
            id: nextId++,
            productId: product.id,
            entityType: 'record',
            entityId: head.id,
            entityKey: item,
            revision: head.latestRevision,
            contentHash: p.hash,
            manifest: null,
            meaning: input.meaning,
            step,
            userId: signer.user.id,
            username: signer.user.username,
            printedName: signer.user.printedName,
            signedAt: at,
            method: signer.method,
          };
          rows.push(row);
          existing.set(head.id, [...on, row]);
          if (isComplete(workflow, [...on, row])) completes.push(head);
        }
        await w.insertSignatures(rows);
        await appendAudit(
          w,
          deps,
          at,
          rows.map((s) => ({
            action: 'SIGNATURE_APPLIED' as const,
            entityType: 'signature' as const,
            entityId: signatureEntityId(s.entityKey, s.id),
            productKey: product.key,
            newValue: signatureEventValue(s),
            reason: input.reason ?? null,
          })),
        );
        // One write session for the batch: the record hooks read what they need once, not once per record.
        const session = new WriteSession(w, product);
        for (const head of completes) {
          await writeStatusChange(w, deps, product, head, 'approved', at, input.reason ?? null, { session });
          approved.push(qualifiedKey(product.key, head.type, head.number));
        }
        return { signatures: rows.map((s) => toSignatureView(s, s.revision)), approved };
      },
    );
  },
});


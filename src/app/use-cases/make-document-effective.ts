import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidInput, invalidState } from '../../core/errors.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord, getRevision } from '../../core/lookups.js';
import {
  addDays,
  effectivityEntityId,
  effectivityEventValue,
  makeEffectiveRefusal,
  versionInForce,
  type EffectivityRow,
} from '../../core/qms/document-control.js';
import { approvalOf } from '../../core/signatures/approval.js';
import { workflowFor } from '../../core/signatures/model.js';
import { ReasonSchema } from '../../core/validation.js';
import { assignTraining, requireDocument, trainingDaysOf } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';

export const MakeDocumentEffectiveInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `DOC-3` */
  record: z.string().min(1).max(60),
  /** The day the approved version comes into force (YYYY-MM-DD). */
  on: z.iso.date(),
  reason: ReasonSchema.optional(),
});
export type MakeDocumentEffectiveInput = z.input<typeof MakeDocumentEffectiveInputSchema>;

export const MakeDocumentEffectiveOutputSchema = z.object({
  document: z.string(),
  revision: z.number().int(),
  version: z.string(),
  effectiveOn: z.string(),
  /** How the revision was approved: with its workflow's electronic signatures, or without (a local operator). */
  approval: z.enum(['electronic', 'without electronic signature']),
  /** The version this one supersedes, if any. */
  supersedes: z.object({ revision: z.number().int(), version: z.string(), effectiveOn: z.string() }).nullable(),
  assignments: z.array(z.object({ id: z.number().int(), username: z.string(), role: z.string().nullable(), dueOn: z.string() })),
});

/**
 * `document.make-effective` (ISO 13485 4.2.4): the approved revision of a controlled document comes into force on a
 * date; the version in force is the newest made effective, earlier ones are superseded. In the same transaction
 * every member of every job role that requires training on the document is assigned training on this version, due
 * `trainingDays` (default 30) after the date. Refused (nothing changed): a document not approved, obsolete, without a
 * version, already effective at this revision, or whose version is not higher than the one in force.
 * @throws AppError INVALID_STATE for each refusal above; INVALID_INPUT for a record that is not a document
 */
export const makeDocumentEffectiveUseCase = defineUseCase({
  name: 'document.make-effective',
  summary: 'Make the approved version of a controlled document effective on a date, assigning training on it.',
  kind: 'write',
  what: 'document effectivity',
  input: MakeDocumentEffectiveInputSchema,
  output: MakeDocumentEffectiveOutputSchema,
  permission: 'document.control',
  http: { method: 'POST', path: '/api/v1/products/:productKey/documents/:record/effective', status: 201 },
  run: (ctx, input) =>
    ctx.deps.store.write(async (w) => {
      const at = ctx.deps.clock.now();
      const product = await getProduct(w, input.productKey);
      const head = await getRecord(w, product, input.record);
      const item = requireDocument(product, head);
      const approved = head.approvedRevision === null ? undefined : await getRevision(w, product, head, head.approvedRevision);
      const version = typeof approved?.fields['version'] === 'string' ? approved.fields['version'] : null;
      const mine = (await w.listEffectivities(product.id)).filter((e) => e.recordId === head.id);
      const current = versionInForce(mine);
      const refusal = makeEffectiveRefusal({ item, status: head.status, approvedRevision: head.approvedRevision, version }, current);
      if (refusal !== null) throw invalidState(refusal, { item, field: 'record' });
      if (approved === undefined || version === null) throw invalidState(`${item} has no approved version`, { item });
      if (current !== undefined && input.on < current.effectiveOn) {
        throw invalidInput(`${item} version ${version} cannot come into force on ${input.on}, before version ${current.version} (effective ${current.effectiveOn})`, {
          item,
          field: 'on',
        });
      }
      const signatures = await w.listSignatures('record', [head.id]);
      const workflow = workflowFor(await w.listWorkflows(product.id), product.id, head.type);
      const approval = approvalOf(workflow, { status: 'approved', approvedRevision: head.approvedRevision }, signatures) ?? 'without electronic signature';
      const row: EffectivityRow = {
        id: await w.nextDocumentControlId('effectivities'),
        productId: product.id,
        recordId: head.id,
        revision: approved.revision,
        version,
        effectiveOn: input.on,
        madeAt: at,
        madeBy: ctx.deps.actor.id,
      };
      await w.insertEffectivities([row]);
      await appendAudit(w, ctx.deps, at, [
        {
          action: 'DOCUMENT_EFFECTIVE',
          entityType: 'document',
          entityId: effectivityEntityId(item, row.id),
          productKey: product.key,
          oldValue: current === undefined ? null : { revision: current.revision, version: current.version, effectiveOn: current.effectiveOn },
          newValue: effectivityEventValue(row, { productKey: product.key, recordKey: item }),
          reason: input.reason ?? null,
        },
      ]);
      const assigned = await assignTraining(w, ctx.deps, product, head, row, addDays(input.on, trainingDaysOf(approved.fields)), at);
      return {
        document: recordKey(head.type, head.number),
        revision: row.revision,
        version,
        effectiveOn: row.effectiveOn,
        approval,
        supersedes: current === undefined ? null : { revision: current.revision, version: current.version, effectiveOn: current.effectiveOn },
        assignments: assigned.map(({ row: a, role }) => ({ id: a.id, username: a.username, role, dueOn: a.dueOn })),
      };
    }),
});

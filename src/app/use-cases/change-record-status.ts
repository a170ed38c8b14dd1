import { WriteSession } from '../../core/record-hooks.js';
import { z } from 'zod';
import { RecordStatusSchema, type RecordStatus } from '../../core/catalog/lifecycle.js';
import type { Permission } from '../../core/access/permissions.js';
import type { Principal } from '../../core/access/principal.js';
import { AppError, forbidden, invalidInput } from '../../core/errors.js';
import { ProductKeySchema, recordKey, RecordHeadSchema, type RecordHead } from '../../core/entities.js';
import { workflowFor } from '../../core/signatures/model.js';
import { describeSteps, nextStep } from '../../core/signatures/workflow.js';
import { writeStatusChange } from '../../core/record-writes.js';
import { checkBaseRevision, getProduct, getRecords } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const ChangeRecordStatusInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  record: z.string().min(1),
  to: RecordStatusSchema,
  /**
   * The revision the person looked at. Required for every change but obsolete: approving a revision other than
   * the one reviewed must be impossible.
   */
  baseRevision: z.number().int().positive().optional(),
  reason: ReasonSchema.optional(),
});
export type ChangeRecordStatusInput = z.input<typeof ChangeRecordStatusInputSchema>;

export const ChangeRecordStatusesInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Each record with the revision the person looked at (required for every change but obsolete). */
  records: z
    .array(z.strictObject({ record: z.string().min(1), baseRevision: z.number().int().positive().optional() }))
    .min(1)
    .max(10_000),
  to: RecordStatusSchema,
  reason: ReasonSchema.optional(),
});
export type ChangeRecordStatusesInput = z.input<typeof ChangeRecordStatusesInputSchema>;

/**
 * Moves several records through their lifecycle in one transaction: all change, or none (the first refusal names
 * its record). Each change writes its own RECORD_STATUS_CHANGED event.
 * @throws AppError as `changeRecordStatus`, naming the record concerned
 */
export async function changeRecordStatuses(deps: Deps, input: ChangeRecordStatusesInput): Promise<RecordHead[]> {
  const i = parseInput(ChangeRecordStatusesInputSchema, input, 'status change');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const heads = await getRecords(
      w,
      product,
      i.records.map((r) => r.record),
    );
    if (heads.length !== i.records.length) throw invalidInput('a record is named twice in one status change', { field: 'records' });
    const at = deps.clock.now();
    const out: RecordHead[] = [];
    // One write session for the batch: the record hooks read what they need once, not once per record.
    const session = new WriteSession(w, product);
    for (const [n, head] of heads.entries()) {
      const base = i.records[n]?.baseRevision;
      const item = `${product.key}/${recordKey(head.type, head.number)}`;
      if (i.to === 'obsolete' && i.reason === undefined) {
        throw invalidInput(`making ${item} obsolete needs a reason`, { item, field: 'reason' });
      }
      if (i.to !== 'obsolete' && base === undefined) {
        throw invalidInput(`name the revision of ${item} you reviewed (latest is ${head.latestRevision})`, {
          item,
          field: 'baseRevision',
        });
      }
      if (base !== undefined) checkBaseRevision(item, head, base, 'you acted on');
      out.push(await writeStatusChange(w, deps, product, head, i.to, at, i.reason ?? null, { session }));
    }
    return out;
  });
}

/**
 * Moves a record through its lifecycle (draft → in review → approved → obsolete). Approval marks the latest
 * revision as the approved one. Making a record obsolete needs a reason; it is never deleted.
 * @throws AppError INVALID_STATE when the lifecycle does not allow the change
 * @throws AppError CONFLICT when `baseRevision` is stale; INVALID_INPUT when it is missing, does not exist yet, or a
 *   required reason is missing
 */
export async function changeRecordStatus(deps: Deps, input: ChangeRecordStatusInput): Promise<RecordHead> {
  const i = parseInput(ChangeRecordStatusInputSchema, input, 'status change');
  const [head] = await changeRecordStatuses(deps, {
    productKey: i.productKey,
    records: [{ record: i.record, ...(i.baseRevision === undefined ? {} : { baseRevision: i.baseRevision }) }],
    to: i.to,
    ...(i.reason === undefined ? {} : { reason: i.reason }),
  });
  if (head === undefined) throw new AppError('INTERNAL', 'changeRecordStatuses returned nothing for one record');
  return head;
}

/**
 * The permission a move to `to` needs: back to draft or into review is a submission, approval and withdrawal
 * (obsolete) are each their own right (ISO 13485 4.2.4: documents are reviewed and approved by the designated).
 */
export function statusPermission(to: RecordStatus): Permission {
  switch (to) {
    case 'draft':
    case 'in_review':
      return 'record.submit';
    case 'approved':
      return 'record.approve';
    case 'obsolete':
      return 'record.obsolete';
  }
}

/**
 * Approval is an electronic signature (21 CFR 11.50, 11.70): a signed-in user or an API token approves by signing,
 * never by a bare status change. Only the operator of a local store (who can change the database file anyway) may
 * still approve by status change; such an approval is shown as made without electronic signature.
 * @throws AppError FORBIDDEN naming the records, how to sign them, and what their workflow still needs
 */
async function refuseUnsignedApproval(deps: Deps, principal: Principal, productKey: string, records: readonly { record: string; baseRevision?: number | undefined }[]): Promise<void> {
  if (principal.kind === 'local' || principal.kind === 'anonymous') return;
  const needs = await deps.store.read(async (r) => {
    const product = await getProduct(r, productKey);
    const heads = await getRecords(
      r,
      product,
      records.map((x) => x.record),
    );
    const workflows = await r.listWorkflows(product.id);
    const signed = await r.listSignatures('record', heads.map((h) => h.id));
    return heads.map((h) => {
      const workflow = workflowFor(workflows, product.id, h.type);
      const on = signed.filter((s) => s.entityId === h.id && s.revision === h.latestRevision);
      const at = nextStep(workflow, on);
      const key = recordKey(h.type, h.number);
      return {
        key,
        ref: `${key}@${h.latestRevision}`,
        text: at === undefined ? `${key}: every signature is given` : `${key} still needs ${describeSteps(workflow, at)}`,
      };
    });
  });
  const first = needs[0];
  const meaning = 'approved';
  throw forbidden(
    `${principal.id} may not approve by status change: approval is an electronic signature. ` +
      `Sign with \`dossier record sign ${needs.map((n) => n.ref).join(' ')} --meaning ${meaning}\` ` +
      `(or POST /api/v1/products/${productKey}/signatures). ${needs.map((n) => n.text).join('; ')}`,
    { item: first === undefined ? productKey : `${productKey}/${first.key}`, field: 'to' },
  );
}

export const changeRecordStatusUseCase = defineUseCase({
  name: 'record.status',
  summary: 'Move a record through its lifecycle.',
  kind: 'write',
  what: 'status change',
  input: ChangeRecordStatusInputSchema,
  output: RecordHeadSchema,
  permission: (input) => statusPermission(input.to),
  http: { method: 'POST', path: '/api/v1/products/:productKey/records/:record/status', ifMatch: 'baseRevision', etag: 'latestRevision' },
  run: async ({ deps, principal }, input) => {
    if (input.to === 'approved') {
      await refuseUnsignedApproval(deps, principal, input.productKey, [{ record: input.record, baseRevision: input.baseRevision }]);
    }
    return changeRecordStatus(deps, input);
  },
});

export const changeRecordStatusesUseCase = defineUseCase({
  name: 'record.status-many',
  summary: 'Move several records through their lifecycle in one transaction.',
  kind: 'write',
  what: 'status change',
  input: ChangeRecordStatusesInputSchema,
  output: z.array(RecordHeadSchema),
  // Every record moves to the same status, so one permission covers them all.
  permission: (input) => statusPermission(input.to),
  http: { method: 'POST', path: '/api/v1/products/:productKey/records/status' },
  run: async ({ deps, principal }, input) => {
    if (input.to === 'approved') await refuseUnsignedApproval(deps, principal, input.productKey, input.records);
    return changeRecordStatuses(deps, input);
  },
});

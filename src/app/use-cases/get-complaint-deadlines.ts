import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { invalidInput } from '../../core/errors.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord, getRevision } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { COMPLAINT_PROCESS, processState } from '../../core/qms/processes.js';
import { reportDeadlines } from '../../core/qms/vigilance.js';
import { defineUseCase } from '../use-case.js';

export const GetComplaintDeadlinesInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `CMP-3`. */
  record: z.string().trim().min(1).max(100),
  /** The day the status is as of (default: today, UTC). */
  asOf: z.iso.date().optional(),
});

export const ReportDeadlineSchema = z.strictObject({
  jurisdiction: z.enum(['FDA', 'EU']),
  eventKind: z.string().nullable(),
  clause: z.string().nullable(),
  days: z.number().int().nullable(),
  count: z.enum(['calendar', 'work']).nullable(),
  dueOn: z.string().nullable(),
  reportedOn: z.string().nullable(),
  status: z.enum(['undecided', 'not_reportable', 'no_awareness_date', 'reported_on_time', 'reported_late', 'due', 'overdue']),
  daysFromDue: z.number().int().nullable(),
  text: z.string(),
});

export const ComplaintDeadlinesSchema = z.strictObject({
  record: z.string(),
  title: z.string(),
  state: z.string(),
  awareOn: z.string().nullable(),
  asOf: z.string(),
  reports: z.array(ReportDeadlineSchema),
});
export type ComplaintDeadlines = z.output<typeof ComplaintDeadlinesSchema>;

/**
 * A complaint's vigilance report deadlines (21 CFR 803; EU MDR Art. 87), counted from its `awareOn` day, with where
 * each report stands: reported on time or late, due in N days, overdue, not reportable, or undecided.
 * @throws AppError NOT_FOUND for the product or record; INVALID_INPUT when the record is not a complaint
 */
export async function getComplaintDeadlines(deps: Pick<Deps, 'store' | 'clock'>, input: z.output<typeof GetComplaintDeadlinesInputSchema>): Promise<ComplaintDeadlines> {
  const asOf = input.asOf ?? deps.clock.now().slice(0, 10);
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await getRecord(r, product, input.record);
    const key = recordKey(head.type, head.number);
    if (head.type !== RECORD_TYPE.CMP) throw invalidInput(`${product.key}/${key} is not a complaint (CMP)`, { item: key, field: 'record' });
    const rev = await getRevision(r, product, head, head.latestRevision);
    const awareOn = rev.fields['awareOn'];
    return {
      record: key,
      title: rev.title,
      state: processState(COMPLAINT_PROCESS, rev.fields, head.status),
      awareOn: typeof awareOn === 'string' ? awareOn : null,
      asOf,
      reports: [...reportDeadlines(rev.fields, asOf)],
    };
  });
}

/** `qms.complaint-deadlines`: a complaint's vigilance report deadlines. */
export const getComplaintDeadlinesUseCase = defineUseCase({
  name: 'qms.complaint-deadlines',
  summary: "Show a complaint's vigilance report deadlines (FDA, EU) and where each report stands.",
  kind: 'read',
  what: 'complaint deadlines',
  input: GetComplaintDeadlinesInputSchema,
  output: ComplaintDeadlinesSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/complaints/:record/deadlines' },
  run: ({ deps }, input) => getComplaintDeadlines(deps, input),
});
